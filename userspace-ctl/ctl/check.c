// SPDX-License-Identifier: GPL-2.0
/* camfencectl check FILE: validate without touching the kernel. */
#include <stdio.h>
#include "ctl.h"

int cmd_check(int argc, char **argv)
{
	struct cf_config cfg;
	int ret = CTL_OK;

	if (argc != 2)
		return ctl_usage(argv[0]);
	cf_config_init(&cfg);
	if (ctl_parse(argv[1], &cfg) < 0)
		ret = CTL_FAIL;
	else
		printf("%s: ok: %d zones, %d profiles, %d devices\n", argv[1],
		       cfg.nzones, cfg.nprofiles, cfg.ndevices);
	cf_config_free(&cfg);
	return ret;
}
