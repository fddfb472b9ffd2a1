// SPDX-License-Identifier: GPL-2.0
/* camfencectl mode enforce|monitor: set the global mode. */
#include <stdio.h>
#include <string.h>
#include "ctl.h"

int cmd_mode(int argc, char **argv)
{
	struct cf_nl nl;
	int mode, err;

	if (argc != 2)
		return ctl_usage(argv[0]);
	if (!strcmp(argv[1], "enforce"))
		mode = CAMFENCE_MODE_ENFORCE;
	else if (!strcmp(argv[1], "monitor"))
		mode = CAMFENCE_MODE_MONITOR;
	else {
		ctl_err("invalid mode '%s' (expected enforce or monitor)",
			argv[1]);
		return ctl_usage(argv[0]);
	}
	if (ctl_open(&nl))
		return CTL_FAIL;
	err = cf_nl_set_mode(&nl, mode);
	if (err)
		err = ctl_nl_fail(&nl, err);
	else
		printf("mode %s\n", argv[1]);
	cf_nl_close(&nl);
	return err ? CTL_FAIL : CTL_OK;
}
