// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl flush [--force]: replace the policy by an empty one (a commit).
 *
 * An empty policy has no zones: every VLAN and interface of the active
 * policy's zones leaves the zones. The module re-seals those of
 * sealed_vlans/sealed_ifaces (in the initial network namespace); the others
 * are open, without any filtering. flush reads the active policy back
 * (GET_POLICY), prints what happens to each (seal.c) and refuses without
 * --force (-y) when one would be open. A policy it cannot read back (a
 * module without GET_POLICY) is flushed only with --force; any other error
 * of the read-back (no CAP_NET_ADMIN) is the flush's error.
 */
#include <errno.h>
#include <stdio.h>
#include "ctl.h"

int cmd_flush(int argc, char **argv)
{
	struct cf_config cur, empty;
	struct cf_commit res;
	struct cf_nl nl;
	uint64_t gen = 0;
	bool sealed = false;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	cf_config_init(&cur);
	cf_config_init(&empty);
	err = cf_nl_get_policy(&nl, &cur, &gen, &sealed);
	/* a module without GET_POLICY: only --force goes on */
	if (err && err != -EOPNOTSUPP && err != -EINVAL) {
		ctl_nl_fail(&nl, err);
		goto fail;
	}
	if (err && !ctl_force) {
		ctl_err("refusing to flush: cannot read the active policy back to tell which VLANs and interfaces would open (%s); run 'camfencectl flush --force' (or -y) to flush anyway",
			cf_nl_strerror(&nl, err));
		goto fail;
	}
	if (!err && ctl_seal_gate(&cur, &empty, "flush",
				  "camfencectl flush --force"))
		goto fail;
	err = cf_nl_flush(&nl, &res);
	if (err) {
		ctl_nl_fail(&nl, err);
		goto fail;
	}
	ctl_print_commit(&res);
	cf_config_free(&cur);
	cf_nl_close(&nl);
	return CTL_OK;
fail:
	cf_config_free(&cur);
	cf_nl_close(&nl);
	return CTL_FAIL;
}
