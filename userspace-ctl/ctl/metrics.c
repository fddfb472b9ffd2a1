// SPDX-License-Identifier: GPL-2.0
/* camfencectl metrics: Prometheus text exposition format. */
#include <stdio.h>
#include "ctl.h"

int cmd_metrics(int argc, char **argv)
{
	struct cf_nl nl;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_json) {
		ctl_err("metrics has no JSON form: use 'stats -j' and 'show -j'");
		return CTL_USAGE;
	}
	err = ctl_open(&nl);
	if (err == CTL_ABSENT) {
		/* for the scraper: down, not a missing file */
		cf_metrics_write_down(stdout);
		return CTL_FAIL;
	}
	if (err)
		return CTL_FAIL;
	err = cf_nl_write_metrics(&nl, stdout);
	if (err)
		err = ctl_nl_fail(&nl, err);
	cf_nl_close(&nl);
	return err ? CTL_FAIL : CTL_OK;
}
