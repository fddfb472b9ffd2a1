// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl flush [--force]: replace the policy by an empty one (a commit).
 *
 * An empty policy has no zones: every camera VLAN it fenced is open again,
 * and a first commit lifts the seal of sealed_vlans/sealed_ifaces. So flush
 * refuses without --force (-y) unless it can see that nothing would open.
 * The kernel does not report the zones of the active policy (GET_STATS has
 * no zone count), so any committed policy (generation > 0) counts as one
 * with zones; before the first commit, the seal counts when the module was
 * loaded with sealed_vlans or sealed_ifaces.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "ctl.h"

#define PARAMS "/sys/module/camfence/parameters/"

/* The value of a module parameter, "" if empty; -1 if unreadable. */
static int read_param(const char *name, char *buf, size_t len)
{
	char path[128];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), PARAMS "%s", name);
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

/* NULL if flushing opens nothing, else why it is refused. */
static const char *would_open(const struct cf_stats *st, char *buf, size_t len)
{
	char vlans[256], ifs[256];

	if (!st->sealed) {
		snprintf(buf, len,
			 "an empty policy leaves the camera zones of the active policy (generation %" PRIu64 ", %u device%s) open, without any filtering",
			 st->generation, st->device_count,
			 st->device_count == 1 ? "" : "s");
		return buf;
	}
	/* sealed: open only if something is sealed (unreadable: assume so) */
	if (read_param("sealed_vlans", vlans, sizeof(vlans)) == 0 &&
	    read_param("sealed_ifaces", ifs, sizeof(ifs)) == 0 &&
	    !vlans[0] && !ifs[0])
		return NULL;
	snprintf(buf, len,
		 "a flush is the first commit: it lifts the seal of the sealed VLANs and interfaces and leaves them open, without any filtering");
	return buf;
}

int cmd_flush(int argc, char **argv)
{
	struct cf_commit res;
	struct cf_stats st;
	struct cf_nl nl;
	char why[256];
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	if (!ctl_force) {
		err = cf_nl_get_stats(&nl, &st);
		if (err) {
			err = ctl_nl_fail(&nl, err);
			cf_nl_close(&nl);
			return err;
		}
		if (would_open(&st, why, sizeof(why))) {
			ctl_err("refusing to flush: %s; run 'camfencectl flush --force' (or -y) to flush anyway",
				why);
			cf_nl_close(&nl);
			return CTL_FAIL;
		}
	}
	err = cf_nl_flush(&nl, &res);
	if (err)
		err = ctl_nl_fail(&nl, err);
	else
		ctl_print_commit(&res);
	cf_nl_close(&nl);
	return err ? CTL_FAIL : CTL_OK;
}
