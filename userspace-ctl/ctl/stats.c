// SPDX-License-Identifier: GPL-2.0
/* camfencectl stats: global counters, generation, mode, device count. */
#include <inttypes.h>
#include <stdio.h>
#include "ctl.h"

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
		cf_json_obj_open(&j, "stats");
		cf_json_u64(&j, "allowed_packets", st.allowed_packets);
		cf_json_u64(&j, "dropped_packets", st.dropped_packets);
		cf_json_u64(&j, "unknown_packets", st.unknown_packets);
		cf_json_u64(&j, "spoofed_packets", st.spoofed_packets);
		cf_json_u64(&j, "monitored_packets", st.monitored_packets);
		cf_json_u64(&j, "events_suppressed", st.events_suppressed);
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
	printf("allowed_packets: %" PRIu64 "\n", st.allowed_packets);
	printf("dropped_packets: %" PRIu64 "\n", st.dropped_packets);
	printf("unknown_packets: %" PRIu64 "\n", st.unknown_packets);
	printf("spoofed_packets: %" PRIu64 "\n", st.spoofed_packets);
	printf("monitored_packets: %" PRIu64 "\n", st.monitored_packets);
	printf("events_suppressed: %" PRIu64 "\n", st.events_suppressed);
	return CTL_OK;
}
