// SPDX-License-Identifier: GPL-2.0
/*
 * The seal, as load, flush and diff see it (lib/seal.c does the comparing).
 *
 * The module seals the VLANs of sealed_vlans and the interfaces of
 * sealed_ifaces that no zone of the active policy covers, in the initial
 * network namespace only: a commit in another namespace (-n NETNS, or
 * camfencectl run inside one) re-seals nothing. Before a commit, load and
 * flush read the active policy back and name, for each VLAN and interface
 * the commit takes out of the zones, whether it is re-sealed or left OPEN;
 * an OPEN one is refused without --force (-y).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

#define PARAMS_DIR "/sys/module/camfence/parameters"

const char *ctl_params_dir(void)
{
	const char *d = getenv("CAMFENCE_PARAMS_DIR");

	return d && d[0] ? d : PARAMS_DIR;
}

int ctl_read_param(const char *name, char *buf, size_t len)
{
	char path[512];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", ctl_params_dir(), name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

void ctl_seal_env(struct cf_lint_env *env)
{
	cf_seal_read(env, ctl_params_dir(), ctl_netns != NULL);
}

int ctl_seal_gate(const struct cf_config *cur, const struct cf_config *want,
		  const char *verb, const char *retry)
{
	struct cf_seal_changes c;
	struct cf_lint_env env;
	char open[1024];

	ctl_seal_env(&env);
	if (cf_seal_compare(cur, want, &env, &c) < 0) {
		ctl_err("out of memory");
		return CTL_FAIL;
	}
	cf_seal_print(stdout, &c);
	if (c.nopen && !ctl_force) {
		fflush(stdout);
		ctl_err("refusing to %s: %s would be OPEN, without any filtering (not in sealed_vlans/sealed_ifaces); run '%s' (or -y) to %s anyway",
			verb, cf_seal_open_text(&c, open, sizeof(open)), retry,
			verb);
		cf_seal_changes_free(&c);
		return CTL_FAIL;
	}
	cf_seal_changes_free(&c);
	return CTL_OK;
}
