// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of the Prometheus exposition (lib/metrics.c): the exact text
 * of camfencectl metrics for a policy with two devices, and of a module
 * that is not loaded (camfence_up 0); and every camfence_* name in
 * deploy/prometheus/camfence.rules.yml, its unit tests and the Grafana
 * dashboard deploy/grafana/camfence.json is a metric
 * written here (found from the binary's path, build/asan/test_metrics ->
 * ../../../deploy, or $CF_DEPLOYDIR).
 * Output: "ok N - what" / "not ok N - what"; exit 1 if anything failed.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "tap.h"

/* out: the text written by fn into a memory stream (free it). */
#define CAPTURE(out, rc, call)						\
	do {								\
		size_t len_ = 0;					\
		FILE *f = open_memstream(&(out), &len_);		\
		rc = call;						\
		fclose(f);						\
	} while (0)

static int same_text(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 1;
	printf("#   expected:\n%s#   got:\n%s", want, got);
	return 0;
}

static const char want_up[] =
	"# HELP camfence_up 1 when the camfence module is loaded and answered, 0 when it is not loaded.\n"
	"# TYPE camfence_up gauge\n"
	"camfence_up 1\n"
	"# HELP camfence_build_info Always 1; the version of the camfence tools that wrote these metrics.\n"
	"# TYPE camfence_build_info gauge\n"
	"camfence_build_info{version=\"" CAMFENCE_VERSION "\"} 1\n"
	"# HELP camfence_allowed_packets_total Packets allowed.\n"
	"# TYPE camfence_allowed_packets_total counter\n"
	"camfence_allowed_packets_total 100\n"
	"# HELP camfence_dropped_packets_total Packets dropped.\n"
	"# TYPE camfence_dropped_packets_total counter\n"
	"camfence_dropped_packets_total 13\n"
	"# HELP camfence_unknown_packets_total Packets from MAC addresses no device claims.\n"
	"# TYPE camfence_unknown_packets_total counter\n"
	"camfence_unknown_packets_total 4\n"
	"# HELP camfence_spoofed_packets_total Packets with a source address not bound to their device.\n"
	"# TYPE camfence_spoofed_packets_total counter\n"
	"camfence_spoofed_packets_total 2\n"
	"# HELP camfence_monitored_packets_total Packets that would have been dropped, passed in monitor mode.\n"
	"# TYPE camfence_monitored_packets_total counter\n"
	"camfence_monitored_packets_total 7\n"
	"# HELP camfence_events_suppressed_total Events suppressed by rate limiting.\n"
	"# TYPE camfence_events_suppressed_total counter\n"
	"camfence_events_suppressed_total 1\n"
	"# HELP camfence_unknown_not_recorded_total Unknown frames whose MAC was not recorded (above unknown_new_rate).\n"
	"# TYPE camfence_unknown_not_recorded_total counter\n"
	"camfence_unknown_not_recorded_total 4900\n"
	"# HELP camfence_evidence_not_recorded_total Denials kept in last_drop only (evidence pool empty).\n"
	"# TYPE camfence_evidence_not_recorded_total counter\n"
	"camfence_evidence_not_recorded_total 32\n"
	"# HELP camfence_generation Policy commits so far.\n"
	"# TYPE camfence_generation gauge\n"
	"camfence_generation 4\n"
	"# HELP camfence_devices Devices in the active policy.\n"
	"# TYPE camfence_devices gauge\n"
	"camfence_devices 2\n"
	"# HELP camfence_sealed 1 while sealed (no policy committed yet).\n"
	"# TYPE camfence_sealed gauge\n"
	"camfence_sealed 0\n"
	"# HELP camfence_mode Global mode (1 for the active one).\n"
	"# TYPE camfence_mode gauge\n"
	"camfence_mode{mode=\"enforce\"} 1\n"
	"camfence_mode{mode=\"monitor\"} 0\n"
	"# HELP camfence_device_allowed_packets_total Packets to or from the device allowed.\n"
	"# TYPE camfence_device_allowed_packets_total counter\n"
	"camfence_device_allowed_packets_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 60\n"
	"camfence_device_allowed_packets_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 40\n"
	"# HELP camfence_device_allowed_bytes_total Bytes to or from the device allowed.\n"
	"# TYPE camfence_device_allowed_bytes_total counter\n"
	"camfence_device_allowed_bytes_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 6000\n"
	"camfence_device_allowed_bytes_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 4000\n"
	"# HELP camfence_device_dropped_packets_total Packets to or from the device dropped (spoofed included).\n"
	"# TYPE camfence_device_dropped_packets_total counter\n"
	"camfence_device_dropped_packets_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 0\n"
	"camfence_device_dropped_packets_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 9\n"
	"# HELP camfence_device_dropped_bytes_total Bytes to or from the device dropped.\n"
	"# TYPE camfence_device_dropped_bytes_total counter\n"
	"camfence_device_dropped_bytes_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 0\n"
	"camfence_device_dropped_bytes_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 900\n"
	"# HELP camfence_device_monitored_packets_total Packets that would have been dropped, passed in monitor mode.\n"
	"# TYPE camfence_device_monitored_packets_total counter\n"
	"camfence_device_monitored_packets_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 7\n"
	"camfence_device_monitored_packets_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 0\n"
	"# HELP camfence_device_spoofed_packets_total Packets from the device with a source address not bound to it.\n"
	"# TYPE camfence_device_spoofed_packets_total counter\n"
	"camfence_device_spoofed_packets_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 0\n"
	"camfence_device_spoofed_packets_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 2\n"
	"# HELP camfence_device_events_suppressed_total Events of the device suppressed by rate limiting.\n"
	"# TYPE camfence_device_events_suppressed_total counter\n"
	"camfence_device_events_suppressed_total{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 0\n"
	"camfence_device_events_suppressed_total{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 1\n"
	"# HELP camfence_device_last_seen_timestamp_seconds Last time the device was seen, seconds since the epoch (0 never).\n"
	"# TYPE camfence_device_last_seen_timestamp_seconds gauge\n"
	"camfence_device_last_seen_timestamp_seconds{device=\"garage-2\",mac=\"3c:ef:8c:00:00:02\"} 0\n"
	"camfence_device_last_seen_timestamp_seconds{device=\"lobby-1\",mac=\"44:19:b6:00:00:01\"} 1795000000\n";

static const char want_down[] =
	"# HELP camfence_up 1 when the camfence module is loaded and answered, 0 when it is not loaded.\n"
	"# TYPE camfence_up gauge\n"
	"camfence_up 0\n"
	"# HELP camfence_build_info Always 1; the version of the camfence tools that wrote these metrics.\n"
	"# TYPE camfence_build_info gauge\n"
	"camfence_build_info{version=\"" CAMFENCE_VERSION "\"} 1\n";

static void sample(struct cf_stats *st, struct cf_metrics_dev *d)
{
	memset(st, 0, sizeof(*st));
	st->mode = CAMFENCE_MODE_ENFORCE;
	st->generation = 4;
	st->device_count = 2;
	st->allowed_packets = 100;
	st->dropped_packets = 13;
	st->unknown_packets = 4;
	st->spoofed_packets = 2;
	st->monitored_packets = 7;
	st->events_suppressed = 1;
	st->unknown_not_recorded = 4900;
	st->evidence_not_recorded = 32;
	memset(d, 0, 2 * sizeof(*d));
	strcpy(d[0].name, "garage-2");
	memcpy(d[0].mac, "\x3c\xef\x8c\x00\x00\x02", 6);
	d[0].allowed_packets = 60;
	d[0].allowed_bytes = 6000;
	d[0].monitored_packets = 7;
	strcpy(d[1].name, "lobby-1");
	memcpy(d[1].mac, "\x44\x19\xb6\x00\x00\x01", 6);
	d[1].allowed_packets = 40;
	d[1].allowed_bytes = 4000;
	d[1].dropped_packets = 9;
	d[1].dropped_bytes = 900;
	d[1].spoofed_packets = 2;
	d[1].events_suppressed = 1;
	d[1].last_seen = 1795000000;
}

/*
 * Every "camfence_<name>" in file must be a metric of exposition (a
 * "# TYPE camfence_<name> " line); 1 if so, and at least one was found.
 */
static int names_known(const char *path, const char *exposition, int quiet)
{
	char line[1024], name[128], type[160];
	int found = 0, good = 1;
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("#   %s: cannot read\n", path);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		while ((p = strstr(p, "camfence_"))) {
			size_t n = 9;

			while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '_' ||
			       (p[n] >= '0' && p[n] <= '9'))
				n++;
			if (n > 9 && n < sizeof(name)) {
				memcpy(name, p, n);
				name[n] = '\0';
				snprintf(type, sizeof(type), "# TYPE %s ", name);
				if (!strstr(exposition, type)) {
					if (!quiet)
						printf("#   %s: %s is no metric of camfencectl metrics\n",
						       path, name);
					good = 0;
				}
				found++;
			}
			p += n;
		}
	}
	fclose(f);
	return good && found > 0;
}

static void find_deploy(const char *argv0, char *dir, size_t len)
{
	const char *env = getenv("CF_DEPLOYDIR");
	char self[PATH_MAX], *slash;

	if (env) {
		snprintf(dir, len, "%s", env);
		return;
	}
	if (!realpath(argv0, self))
		snprintf(self, sizeof(self), "%s", argv0);
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(dir, len, "%.3800s/../../../deploy", self);
}

int main(int argc, char **argv)
{
	char deploy[PATH_MAX], path[PATH_MAX + 64], *all = NULL;
	struct cf_metrics_dev d[2];
	struct cf_stats st;
	char *out = NULL;
	int rc;

	(void)argc;
	sample(&st, d);
	CAPTURE(out, rc, cf_metrics_write(f, &st, d, 2));
	ok(rc == 0 && same_text(out, want_up),
	   "two devices: camfence_up 1, global, then per-device metrics");
	all = out;

	st.mode = CAMFENCE_MODE_MONITOR;
	st.sealed = true;
	st.device_count = 0;
	CAPTURE(out, rc, cf_metrics_write(f, &st, d, 0));
	ok(rc == 0 && strstr(out, "camfence_sealed 1\n") &&
	   strstr(out, "camfence_mode{mode=\"enforce\"} 0\ncamfence_mode{mode=\"monitor\"} 1\n") &&
	   strstr(out, "camfence_devices 0\n") &&
	   strstr(out, "# TYPE camfence_device_last_seen_timestamp_seconds gauge\n") &&
	   !strstr(out, "{device="),
	   "no devices, monitor, sealed: HELP/TYPE of the device metrics, no samples");
	free(out);

	/* camfenced --no-device-metrics */
	st.sealed = false;
	st.device_count = 2;
	CAPTURE(out, rc, cf_metrics_write_opt(f, &st, d, 2, false));
	ok(rc == 0 && strstr(out, "camfence_devices 2\n") &&
	   !strstr(out, "camfence_device_") && !strstr(out, "{device="),
	   "--no-device-metrics: the global metrics, no camfence_device_* at all");
	free(out);

	/* camfenced's own */
	CAPTURE(out, rc, cf_metrics_write_config(f, true, 1795000000, 0));
	ok(rc == 0 && same_text(out,
		"# HELP camfence_config_last_reload_success 1 when camfenced's last reload of its configuration was valid and committed, else 0.\n"
		"# TYPE camfence_config_last_reload_success gauge\n"
		"camfence_config_last_reload_success 1\n"
		"# HELP camfence_config_last_reload_timestamp_seconds Time of camfenced's last reload attempt, seconds since the epoch (0 none).\n"
		"# TYPE camfence_config_last_reload_timestamp_seconds gauge\n"
		"camfence_config_last_reload_timestamp_seconds 1795000000\n"
		"# HELP camfence_config_policy_matches 1 when the kernel's policy is the one of camfenced's configuration, 0 when another commit changed it.\n"
		"# TYPE camfence_config_policy_matches gauge\n"
		"camfence_config_policy_matches 0\n"),
	   "camfenced: reload success, time, the policy not the configuration's");
	{
		size_t la = strlen(all), lo = strlen(out);
		char *both = malloc(la + lo + 1);

		if (!both)
			abort();
		memcpy(both, all, la);
		memcpy(both + la, out, lo + 1);
		free(all);
		all = both;
	}
	free(out);
	CAPTURE(out, rc, cf_metrics_write_config(f, false, 0, -1));
	ok(rc == 0 && strstr(out, "camfence_config_last_reload_success 0\n") &&
	   strstr(out, "camfence_config_last_reload_timestamp_seconds 0\n") &&
	   !strstr(out, "policy_matches"),
	   "camfenced: nothing to compare (-1): no camfence_config_policy_matches");
	free(out);

	CAPTURE(out, rc, cf_metrics_write_down(f));
	ok(rc == 0 && same_text(out, want_down), "module not loaded: camfence_up 0 only");
	free(out);

	find_deploy(argv[0], deploy, sizeof(deploy));
	snprintf(path, sizeof(path), "%s/prometheus/camfence.rules.yml", deploy);
	ok(names_known(path, all, 0), "the alerting rules use metrics camfencectl writes");
	snprintf(path, sizeof(path), "%s/prometheus/camfence.rules.test.yml", deploy);
	ok(names_known(path, all, 0), "their unit tests use metrics camfencectl writes");
	snprintf(path, sizeof(path), "%s/grafana/camfence.json", deploy);
	ok(names_known(path, all, 0), "the Grafana dashboard uses metrics camfencectl and camfenced write");
	ok(!names_known(path, "# TYPE camfence_up gauge\n", 1),
	   "(the check finds names missing from an exposition)");
	free(all);

	printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
