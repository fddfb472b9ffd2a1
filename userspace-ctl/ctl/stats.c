// SPDX-License-Identifier: GPL-2.0
/* camfencectl stats: global counters, generation, mode, device count. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "ctl.h"

/*
 * Calls fn(line, arg) for each line of an offload report ("IFNAME KIND").
 */
static void offload_each(const char *rep, void (*fn)(const char *, void *),
			 void *arg)
{
	char buf[sizeof(((struct cf_stats *)0)->offload)], *save, *l;

	snprintf(buf, sizeof(buf), "%s", rep);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		fn(l, arg);
}

static void offload_warn(const char *line, void *arg)
{
	char ifname[64] = "", kind[32] = "";

	(void)arg;
	sscanf(line, "%63s %31s", ifname, kind);
	ctl_err("warning: %s: %s", ifname,
		!strcmp(kind, "switchdev") ?
		"switchdev port: frames switched in hardware bypass camfence (use \"bridge link set dev PORT isolated on\" or keep the zone off the switch chip; docs/deploy.md)" :
		"member of an nft flowtable: offloaded connections bypass camfence (keep camera zones out of flowtables; docs/deploy.md)");
}

/* After a commit: warn about zone interfaces whose traffic bypasses us. */
void ctl_warn_offload(struct cf_nl *nl)
{
	struct cf_stats st;

	if (!cf_nl_get_stats(nl, &st))
		offload_each(st.offload, offload_warn, NULL);
}

static void offload_json(const char *line, void *arg)
{
	cf_json_str(arg, NULL, line);
}

static void offload_text(const char *line, void *arg)
{
	(void)arg;
	printf("offload: %s\n", line);
}

int cmd_stats(int argc, char **argv)
{
	struct cf_stats st;
	struct cf_nl nl;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	err = cf_nl_get_stats(&nl, &st);
	if (err) {
		err = ctl_nl_fail(&nl, err);
		cf_nl_close(&nl);
		return err;
	}
	cf_nl_close(&nl);
	if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "mode", cf_mode_name(st.mode));
		cf_json_u64(&j, "generation", st.generation);
		cf_json_u64(&j, "device_count", st.device_count);
		cf_json_bool(&j, "sealed", st.sealed);
		cf_json_str(&j, "version", st.module_version);
		cf_json_arr_open(&j, "offload");
		offload_each(st.offload, offload_json, &j);
		cf_json_arr_close(&j);
		cf_json_obj_open(&j, "stats");
		cf_json_u64(&j, "allowed_packets", st.allowed_packets);
		cf_json_u64(&j, "dropped_packets", st.dropped_packets);
		cf_json_u64(&j, "unknown_packets", st.unknown_packets);
		cf_json_u64(&j, "spoofed_packets", st.spoofed_packets);
		cf_json_u64(&j, "monitored_packets", st.monitored_packets);
		cf_json_u64(&j, "events_suppressed", st.events_suppressed);
		cf_json_u64(&j, "unknown_not_recorded", st.unknown_not_recorded);
		cf_json_u64(&j, "evidence_not_recorded", st.evidence_not_recorded);
		cf_json_obj_close(&j);
		cf_json_obj_close(&j);
		cf_json_end(&j);
		return CTL_OK;
	}
	printf("mode: %s\n", cf_mode_name(st.mode));
	printf("generation: %" PRIu64 "\n", st.generation);
	printf("device_count: %u\n", st.device_count);
	printf("sealed: %s\n", st.sealed ? "yes" : "no");
	printf("version: %s\n", st.module_version[0] ? st.module_version : "-");
	offload_each(st.offload, offload_text, NULL);
	printf("allowed_packets: %" PRIu64 "\n", st.allowed_packets);
	printf("dropped_packets: %" PRIu64 "\n", st.dropped_packets);
	printf("unknown_packets: %" PRIu64 "\n", st.unknown_packets);
	printf("spoofed_packets: %" PRIu64 "\n", st.spoofed_packets);
	printf("monitored_packets: %" PRIu64 "\n", st.monitored_packets);
	printf("events_suppressed: %" PRIu64 "\n", st.events_suppressed);
	printf("unknown_not_recorded: %" PRIu64 "\n", st.unknown_not_recorded);
	printf("evidence_not_recorded: %" PRIu64 "\n", st.evidence_not_recorded);
	return CTL_OK;
}
