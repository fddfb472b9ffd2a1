// SPDX-License-Identifier: GPL-2.0
/* camfencectl flush: replace the policy by an empty one (a commit). */
#include <stdio.h>
#include "ctl.h"

int cmd_flush(int argc, char **argv)
{
	struct cf_commit res;
	struct cf_nl nl;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	err = cf_nl_flush(&nl, &res);
	if (err)
		err = ctl_nl_fail(&nl, err);
	else
		ctl_print_commit(&res);
	cf_nl_close(&nl);
	return err ? CTL_FAIL : CTL_OK;
}
