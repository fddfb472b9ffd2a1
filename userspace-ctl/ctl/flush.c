// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl flush [--force]: replace the policy by an empty one (a commit).
 *
 * An empty policy has no zones: every camera VLAN it fenced is open again,
 * and a first commit lifts the seal of sealed_vlans/sealed_ifaces. So flush
 * refuses without --force (-y) unless it can see that nothing would open.
 * It reads the active policy back (GET_POLICY) and names what the flush
 * removes: each zone with its VLANs and interfaces, the number of profiles
 * and devices; a policy without zones opens nothing and is flushed without
 * --force. A module without GET_POLICY: any committed policy counts as one
 * with zones. Before the first commit, the seal counts when the module was
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

/* "zone cams (vlan 20, 21), zone lab (interface cam0)", at most len */
static void zone_list(const struct cf_config *cfg, char *buf, size_t len)
{
	size_t n = 0;
	int i, k;

	buf[0] = '\0';
#define ADD(...) do {							\
		if (n < len)						\
			n += snprintf(buf + n, len - n, __VA_ARGS__);	\
	} while (0)
	for (i = 0; i < cfg->nzones; i++) {
		const struct cf_cfg_zone *z = &cfg->zones[i];
		const char *sep = "";

		ADD("%szone %s (", i ? ", " : "", z->name);
		if (z->nvlans)
			ADD("vlan");
		for (k = 0; k < z->nvlans; k++)
			ADD("%s %u", k ? "," : "", z->vlans[k]);
		if (z->nvlans)
			sep = "; ";
		if (z->nifs)
			ADD("%sinterface", sep);
		for (k = 0; k < z->nifs; k++)
			ADD("%s %s", k ? "," : "", z->ifnames[k]);
		ADD(")");
	}
#undef ADD
}

/*
 * Read back: NULL if flushing opens nothing (no zone), else why it is
 * refused. 1 if the policy could not be read (older module).
 */
static int would_open_policy(struct cf_nl *nl, char *buf, size_t len,
			     const char **why)
{
	struct cf_config cfg;
	char zones[512];
	uint64_t gen = 0;
	bool sealed = false;
	int err;

	*why = NULL;
	cf_config_init(&cfg);
	err = cf_nl_get_policy(nl, &cfg, &gen, &sealed);
	if (err) {
		cf_config_free(&cfg);
		return 1;
	}
	if (gen && cfg.nzones) {
		zone_list(&cfg, zones, sizeof(zones));
		snprintf(buf, len,
			 "it removes %s, %d profile%s and %d device%s of generation %" PRIu64
			 ": the zone%s VLANs and interfaces would be open, without any filtering",
			 zones, cfg.nprofiles, cfg.nprofiles == 1 ? "" : "s",
			 cfg.ndevices, cfg.ndevices == 1 ? "" : "s", gen,
			 cfg.nzones == 1 ? "'s" : "s'");
		*why = buf;
	}
	cf_config_free(&cfg);
	return 0;
}

/* NULL if flushing opens nothing, else why it is refused. */
static const char *would_open(struct cf_nl *nl, const struct cf_stats *st,
			      char *buf, size_t len)
{
	char vlans[256], ifs[256];
	const char *why;

	if (!st->sealed && !would_open_policy(nl, buf, len, &why))
		return why;
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
	char why[1024];
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
		if (would_open(&nl, &st, why, sizeof(why))) {
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
