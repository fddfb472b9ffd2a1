// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition of camfencectl metrics and camfenced
 * --textfile: pure formatting (no socket), so that tests/test_metrics.c
 * checks the exact output and that deploy/prometheus/camfence.rules.yml
 * only uses metrics written here.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nl.h"

static const struct {
	const char *name, *type, *help;
	size_t off;
} dev_metrics[] = {
	{ "allowed_packets_total", "counter", "Packets to or from the device allowed.",
	  offsetof(struct cf_metrics_dev, allowed_packets) },
	{ "allowed_bytes_total", "counter", "Bytes to or from the device allowed.",
	  offsetof(struct cf_metrics_dev, allowed_bytes) },
	{ "dropped_packets_total", "counter", "Packets to or from the device dropped (spoofed included).",
	  offsetof(struct cf_metrics_dev, dropped_packets) },
	{ "dropped_bytes_total", "counter", "Bytes to or from the device dropped.",
	  offsetof(struct cf_metrics_dev, dropped_bytes) },
	{ "monitored_packets_total", "counter", "Packets that would have been dropped, passed in monitor mode.",
	  offsetof(struct cf_metrics_dev, monitored_packets) },
	{ "spoofed_packets_total", "counter", "Packets from the device with a source address not bound to it.",
	  offsetof(struct cf_metrics_dev, spoofed_packets) },
	{ "events_suppressed_total", "counter", "Events of the device suppressed by rate limiting.",
	  offsetof(struct cf_metrics_dev, events_suppressed) },
	{ "last_seen_timestamp_seconds", "gauge", "Last time the device was seen, seconds since the epoch (0 never).",
	  offsetof(struct cf_metrics_dev, last_seen) },
};

static const struct {
	const char *name, *help;
	size_t off;
} glob_metrics[] = {
	{ "allowed_packets_total", "Packets allowed.",
	  offsetof(struct cf_stats, allowed_packets) },
	{ "dropped_packets_total", "Packets dropped.",
	  offsetof(struct cf_stats, dropped_packets) },
	{ "unknown_packets_total", "Packets from MAC addresses no device claims.",
	  offsetof(struct cf_stats, unknown_packets) },
	{ "spoofed_packets_total", "Packets with a source address not bound to their device.",
	  offsetof(struct cf_stats, spoofed_packets) },
	{ "monitored_packets_total", "Packets that would have been dropped, passed in monitor mode.",
	  offsetof(struct cf_stats, monitored_packets) },
	{ "events_suppressed_total", "Events suppressed by rate limiting.",
	  offsetof(struct cf_stats, events_suppressed) },
	{ "unknown_not_recorded_total", "Unknown frames whose MAC was not recorded (above unknown_new_rate).",
	  offsetof(struct cf_stats, unknown_not_recorded) },
	{ "evidence_not_recorded_total", "Denials kept in last_drop only (evidence pool empty).",
	  offsetof(struct cf_stats, evidence_not_recorded) },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void metric_head(FILE *f, const char *name, const char *type,
			const char *help)
{
	fprintf(f, "# HELP camfence_%s %s\n# TYPE camfence_%s %s\n", name,
		help, name, type);
}

static void write_up(FILE *f, int up)
{
	metric_head(f, "up", "gauge",
		    "1 when the camfence module is loaded and answered, 0 when it is not loaded.");
	fprintf(f, "camfence_up %d\n", up);
}

#ifndef CAMFENCE_VERSION
#define CAMFENCE_VERSION "unknown"
#endif

/* the version of the tools (the module's: modinfo camfence) */
static void write_build_info(FILE *f)
{
	metric_head(f, "build_info", "gauge",
		    "Always 1; the version of the camfence tools that wrote these metrics.");
	fprintf(f, "camfence_build_info{version=\"%s\"} 1\n", CAMFENCE_VERSION);
}

int cf_metrics_write_down(FILE *f)
{
	write_up(f, 0);
	write_build_info(f);
	return ferror(f) ? -EIO : 0;
}

int cf_metrics_write_config(FILE *f, bool reload_ok, int64_t reload_time,
			    int matches)
{
	metric_head(f, "config_last_reload_success", "gauge",
		    "1 when camfenced's last reload of its configuration was valid and committed, else 0.");
	fprintf(f, "camfence_config_last_reload_success %d\n", reload_ok ? 1 : 0);
	metric_head(f, "config_last_reload_timestamp_seconds", "gauge",
		    "Time of camfenced's last reload attempt, seconds since the epoch (0 none).");
	fprintf(f, "camfence_config_last_reload_timestamp_seconds %" PRId64 "\n",
		reload_time);
	if (matches >= 0) {
		metric_head(f, "config_policy_matches", "gauge",
			    "1 when the kernel's policy is the one of camfenced's configuration, 0 when another commit changed it.");
		fprintf(f, "camfence_config_policy_matches %d\n", matches);
	}
	return ferror(f) ? -EIO : 0;
}

int cf_metrics_write(FILE *f, const struct cf_stats *st,
		     const struct cf_metrics_dev *devs, size_t n)
{
	return cf_metrics_write_opt(f, st, devs, n, true);
}

int cf_metrics_write_opt(FILE *f, const struct cf_stats *st,
			 const struct cf_metrics_dev *devs, size_t n,
			 bool per_device)
{
	char mac[18];
	size_t i, k;
	uint64_t v;

	write_up(f, 1);
	write_build_info(f);
	for (i = 0; i < ARRAY_LEN(glob_metrics); i++) {
		memcpy(&v, (const char *)st + glob_metrics[i].off, sizeof(v));
		metric_head(f, glob_metrics[i].name, "counter",
			    glob_metrics[i].help);
		fprintf(f, "camfence_%s %" PRIu64 "\n", glob_metrics[i].name, v);
	}
	metric_head(f, "generation", "gauge", "Policy commits so far.");
	fprintf(f, "camfence_generation %" PRIu64 "\n", st->generation);
	metric_head(f, "devices", "gauge", "Devices in the active policy.");
	fprintf(f, "camfence_devices %u\n", st->device_count);
	metric_head(f, "sealed", "gauge", "1 while sealed (no policy committed yet).");
	fprintf(f, "camfence_sealed %d\n", st->sealed ? 1 : 0);
	metric_head(f, "mode", "gauge", "Global mode (1 for the active one).");
	fprintf(f, "camfence_mode{mode=\"enforce\"} %d\n",
		st->mode == CAMFENCE_MODE_ENFORCE);
	fprintf(f, "camfence_mode{mode=\"monitor\"} %d\n",
		st->mode == CAMFENCE_MODE_MONITOR);
	for (k = 0; per_device && k < ARRAY_LEN(dev_metrics); k++) {
		char name[64];

		snprintf(name, sizeof(name), "device_%s", dev_metrics[k].name);
		metric_head(f, name, dev_metrics[k].type, dev_metrics[k].help);
		for (i = 0; i < n; i++) {
			memcpy(&v, (const char *)&devs[i] + dev_metrics[k].off,
			       sizeof(v));
			/* names are [A-Za-z0-9._-]: no label escaping */
			fprintf(f, "camfence_%s{device=\"%s\",mac=\"%s\"} %" PRIu64 "\n",
				name, devs[i].name,
				cf_format_mac(devs[i].mac, mac, sizeof(mac)), v);
		}
	}
	return ferror(f) ? -EIO : 0;
}
