// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl load FILE: parse, validate, then one transaction (BEGIN, ADD...,
 * COMMIT); prints the devices added, removed and changed and the generation.
 * On any error the transaction is aborted: the active policy is unchanged.
 * A FILE equal to the active policy is not committed (the kernel compares):
 * "no change", same generation. --dry-run: see policy.c; --confirm: see
 * confirm.c. Before committing, the active policy is read back: each VLAN
 * and interface the new zones leave out is named, re-sealed or OPEN, and
 * an OPEN one refuses the load without --force (seal.c).
 */
#include <errno.h>
#include <stdio.h>
#include "ctl.h"

int ctl_load_gate(struct cf_nl *nl, const struct cf_config *want,
		  const char *path)
{
	struct cf_config cur;
	char retry[4200];
	uint64_t gen = 0;
	bool sealed = false;
	int err, ret;

	cf_config_init(&cur);
	err = cf_nl_get_policy(nl, &cur, &gen, &sealed);
	if (err) {
		cf_config_free(&cur);
		/* a module without GET_POLICY: only --force goes on */
		if (err != -EOPNOTSUPP && err != -EINVAL)
			return ctl_nl_fail(nl, err);
		if (ctl_force)
			return CTL_OK;
		ctl_err("refusing to load: cannot read the active policy back to tell which VLANs and interfaces would open (%s); run 'camfencectl load --force %s' (or -y) to load anyway",
			cf_nl_strerror(nl, err), path);
		return CTL_FAIL;
	}
	snprintf(retry, sizeof(retry), "camfencectl load --force %s", path);
	ret = ctl_seal_gate(&cur, want, "load", retry);
	cf_config_free(&cur);
	return ret;
}

#define LOAD_MAX_NAMES 50	/* names printed per line, then "+N more" */

static void print_names(const char *what, char **names, int n)
{
	int i;

	if (!n)
		return;
	printf("%s: ", what);
	for (i = 0; i < n && i < LOAD_MAX_NAMES; i++)
		printf("%s%s", i ? ", " : "", names[i]);
	if (n > LOAD_MAX_NAMES)
		printf(", ... (+%d more)", n - LOAD_MAX_NAMES);
	putchar('\n');
}

void ctl_print_load(const struct cf_commit *res, const struct cf_diff *diff)
{
	if (res->noop) {
		printf("no change: generation %llu stays (%u devices unchanged)\n",
		       (unsigned long long)res->generation, res->unchanged);
		return;
	}
	print_names("added", diff->added, diff->nadded);
	print_names("removed", diff->removed, diff->nremoved);
	print_names("changed", diff->changed, diff->nchanged);
	/* the kernel also counts devices whose profile's rules changed
	 * (camfencectl diff names them)
	 */
	if (res->changed > (uint32_t)diff->nchanged)
		printf("changed: %u device(s) whose profile rules changed\n",
		       res->changed - diff->nchanged);
	ctl_print_commit(res);
}

int cmd_load(int argc, char **argv)
{
	struct cf_config cfg;
	struct cf_commit res;
	struct cf_diff diff;
	struct cf_nl nl;
	int ret = CTL_FAIL, err;

	if (argc != 2)
		return ctl_usage(argv[0]);
	if (ctl_dry_run && ctl_confirm) {
		ctl_err("--dry-run and --confirm exclude each other");
		return ctl_usage(argv[0]);
	}
	if (ctl_dry_run)
		return ctl_diff_file(argv[1], true);
	if (ctl_confirm)
		return ctl_load_confirm(argv[1], ctl_confirm);
	cf_config_init(&cfg);
	if (ctl_parse(argv[1], &cfg) < 0)
		goto out;
	if (ctl_open_load(&nl))
		goto out;
	if (ctl_load_gate(&nl, &cfg, argv[1])) {
		cf_nl_close(&nl);
		goto out;
	}
	err = cf_nl_load(&nl, &cfg, &res, &diff);
	if (err) {
		ret = ctl_nl_fail(&nl, err);
	} else {
		/* a commit (not a no-op) ends a pending confirmation's wait */
		if (!res.noop)
			ctl_warn_pending();
		ctl_print_load(&res, &diff);
		ctl_warn_offload(&nl);
		ret = CTL_OK;
	}
	cf_diff_free(&diff);
	cf_nl_close(&nl);
out:
	cf_config_free(&cfg);
	return ret;
}
