// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl check [--strict] FILE: validate without touching the kernel.
 *
 * Besides the parser's errors: the kernel's limits (max_zones, max_profiles,
 * max_rules, max_devices), read from /sys/module/camfence/parameters when the
 * module is loaded and the built-in defaults otherwise, reported at the
 * object that crosses one; and warnings (lib/lint.c), which leave the exit
 * status 0 unless --strict. CAMFENCE_PARAMS_DIR in the environment replaces
 * the parameters directory (tests).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "ctl.h"

static void read_limit(const char *name, unsigned int *v)
{
	char buf[32], *end;
	unsigned long x;

	if (ctl_read_param(name, buf, sizeof(buf)))
		return;
	errno = 0;
	x = strtoul(buf, &end, 10);
	if (!errno && end != buf && !*end && x <= 0xffffffffUL)
		*v = (unsigned int)x;
}

/* From the loaded module, else the defaults (no seal; nor in a network
 * namespace other than the initial one). Returns whether the module's
 * parameters were read.
 */
static bool read_env(struct cf_kernel_limits *lim, struct cf_lint_env *env)
{
	struct stat st;

	lim->max_devices = CF_DEFAULT_MAX_DEVICES;
	lim->max_profiles = CF_DEFAULT_MAX_PROFILES;
	lim->max_rules = CF_DEFAULT_MAX_RULES;
	lim->max_zones = CF_DEFAULT_MAX_ZONES;
	memset(env, 0, sizeof(*env));
	if (stat(ctl_params_dir(), &st) || !S_ISDIR(st.st_mode))
		return false;
	read_limit("max_devices", &lim->max_devices);
	read_limit("max_profiles", &lim->max_profiles);
	read_limit("max_rules", &lim->max_rules);
	read_limit("max_zones", &lim->max_zones);
	ctl_seal_env(env);
	return true;
}

int cmd_check(int argc, char **argv)
{
	struct cf_kernel_limits lim;
	struct cf_lint_env env;
	struct cf_config cfg;
	struct cf_diags d, w;
	int ret = CTL_OK, i, nerr, nwarn;

	if (argc != 2)
		return ctl_usage(argv[0]);
	cf_config_init(&cfg);
	if (ctl_parse(argv[1], &cfg) < 0) {
		cf_config_free(&cfg);
		return CTL_FAIL;
	}
	read_env(&lim, &env);
	cf_diags_init(&d);
	cf_diags_init(&w);
	d.limit = CF_DIAGS_SHOW;
	w.limit = CF_DIAGS_SHOW;
	d.cfg = &cfg;		/* "included here" lines */
	w.cfg = &cfg;
	nerr = cf_config_check_limits(&cfg, &lim, &d);
	nwarn = cf_config_lint(&cfg, &env, &w);
	for (i = 0; i < d.count; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
	for (i = 0; i < w.count; i++)
		fprintf(stderr, "%s\n", w.msgs[i]);
	if (w.more)
		ctl_err("%d more warning%s", w.more, w.more == 1 ? "" : "s");
	if (nerr) {
		ret = CTL_FAIL;
	} else if (nwarn && ctl_strict) {
		ctl_err("%s: %d warning%s, refused by --strict", argv[1], nwarn,
			nwarn == 1 ? "" : "s");
		ret = CTL_FAIL;
	} else if (ctl_print) {
		/* defines expanded, combined profiles synthesized */
		cf_config_write(stdout, &cfg, NULL);
	} else {
		printf("%s: ok: %d zones, %d profiles, %d devices", argv[1],
		       cfg.nzones, cfg.nprofiles, cfg.ndevices);
		if (nwarn)
			printf(", %d warning%s", nwarn, nwarn == 1 ? "" : "s");
		putchar('\n');
	}
	cf_diags_free(&d);
	cf_diags_free(&w);
	cf_config_free(&cfg);
	return ret;
}
