// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/policytext.c: cf_config_write() (what camfencectl show
 * policy prints) parses back to the same configuration and writes the same
 * text again; cf_config_diff() (camfencectl diff, load --dry-run) prints the
 * exact expected lines and counts: mode, zones (VLANs, interfaces, unknown),
 * profiles (rule lines in order, the devices that use them), devices
 * (matched by MAC: a rename, addresses, profile, mode), added and removed
 * objects, a reordered file equal to the original. lib/lint.c: the kernel's
 * limits at the crossing object, the warnings with their locations.
 * Output: "ok N - what" / "not ok N - what"; exit 1 if anything failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "json.h"
#include "tap.h"

static int parse(const char *text, struct cf_config *cfg)
{
	struct cf_diags d;
	int i, n;

	cf_config_init(cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, strlen(text), NULL, cfg, &d,
				   CF_CFG_NO_INCLUDE);
	for (i = 0; i < d.count; i++)
		printf("#   %s\n", d.msgs[i]);
	cf_diags_free(&d);
	return n;
}

static char *write_text(const struct cf_config *cfg, const char *header)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	cf_config_write(f, cfg, header);
	fclose(f);
	return buf;
}

static char *diff_text(const struct cf_config *a, const struct cf_config *b,
		       struct cf_cfg_diffstat *st, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	*ret = cf_config_diff(f, a, b, st);
	cf_diffstat_print(f, st);
	fclose(f);
	return buf;
}

static int same_text(const char *got, const char *want)
{
	if (!strcmp(got, want))
		return 1;
	printf("# expected:\n%s# got:\n%s", want, got);
	return 0;
}

static const char site[] =
	"mode monitor\n"
	"zone cameras {\n"
	"    vlan 20\n"
	"    vlan 30\n"
	"    interface cam0\n"
	"    unknown monitor\n"
	"}\n"
	"zone lab {\n"
	"    vlan 40\n"
	"}\n"
	"profile nvr-only {\n"
	"    allow from 10.20.0.5 tcp 554,80,8000-8010\n"
	"    allow to 10.20.0.1 udp 53,123\n"
	"    allow to fd00:20::/64 icmpv6\n"
	"    allow to any gre\n"
	"}\n"
	"profile ntp {\n"
	"    allow to 10.20.0.1 udp 123\n"
	"}\n"
	"profile empty {\n"
	"}\n"
	"device lobby-1 {\n"
	"    mac 44:19:b6:00:00:01\n"
	"    ip 10.20.0.11\n"
	"    ip fd00:20::11\n"
	"    profile nvr-only\n"
	"}\n"
	"device garage-2 {\n"
	"    mac 3c:ef:8c:00:00:02\n"
	"    ip 10.20.0.12\n"
	"    profile nvr-only\n"
	"    mode enforce\n"
	"    port pcam2\n"
	"}\n"
	"device yard-3 {\n"
	"    mac 44:19:b6:00:00:03\n"
	"    profile ntp\n"
	"}\n";

static const char site_written[] =
	"# header\n"
	"mode monitor\n"
	"\n"
	"zone cameras {\n"
	"    vlan 20\n"
	"    vlan 30\n"
	"    interface cam0\n"
	"    unknown monitor\n"
	"}\n"
	"\n"
	"zone lab {\n"
	"    vlan 40\n"
	"    unknown drop\n"
	"}\n"
	"\n"
	"profile nvr-only {\n"
	"    allow from 10.20.0.5 tcp 554,80,8000-8010\n"
	"    allow to 10.20.0.1 udp 53,123\n"
	"    allow to fd00:20::/64 icmpv6\n"
	"    allow to any gre\n"
	"}\n"
	"\n"
	"profile ntp {\n"
	"    allow to 10.20.0.1 udp 123\n"
	"}\n"
	"\n"
	"profile empty {\n"
	"}\n"
	"\n"
	"device lobby-1 {\n"
	"    mac 44:19:b6:00:00:01\n"
	"    ip 10.20.0.11\n"
	"    ip fd00:20::11\n"
	"    profile nvr-only\n"
	"}\n"
	"\n"
	"device garage-2 {\n"
	"    mac 3c:ef:8c:00:00:02\n"
	"    ip 10.20.0.12\n"
	"    profile nvr-only\n"
	"    mode enforce\n"
	"    port pcam2\n"
	"}\n"
	"\n"
	"device yard-3 {\n"
	"    mac 44:19:b6:00:00:03\n"
	"    profile ntp\n"
	"}\n";

/* site changed: mode, zone cameras (vlan 30 -> 31, interface cam1 added,
 * unknown drop), zone lab removed, zone lab2 added, profile nvr-only (one
 * rule changed, one added), profile ntp unchanged, profile empty removed,
 * profile cloud added; lobby-1 renamed lobby-one with another address,
 * garage-2 only through its profile, yard-3 removed, gate-4 added.
 */
static const char site2[] =
	"mode enforce\n"
	"zone cameras {\n"
	"    vlan 20\n"
	"    vlan 31\n"
	"    interface cam0\n"
	"    interface cam1\n"
	"}\n"
	"zone lab2 {\n"
	"    vlan 41\n"
	"}\n"
	"profile nvr-only {\n"
	"    allow from 10.20.0.5 tcp 554,80,8000-8010\n"
	"    allow to 10.20.0.1 udp 53\n"
	"    allow to fd00:20::/64 icmpv6\n"
	"    allow to any gre\n"
	"    allow to 10.99.0.0/24 tcp 443\n"
	"}\n"
	"profile ntp {\n"
	"    allow to 10.20.0.1 udp 123\n"
	"}\n"
	"profile cloud {\n"
	"    allow to any\n"
	"}\n"
	"device lobby-one {\n"
	"    mac 44:19:b6:00:00:01\n"
	"    ip 10.20.0.11\n"
	"    ip fd00:20::12\n"
	"    profile nvr-only\n"
	"}\n"
	"device garage-2 {\n"
	"    mac 3c:ef:8c:00:00:02\n"
	"    ip 10.20.0.12\n"
	"    profile nvr-only\n"
	"    mode enforce\n"
	"    port pcam2\n"
	"}\n"
	"device gate-4 {\n"
	"    mac 44:19:b6:00:00:04\n"
	"    profile cloud\n"
	"    mode monitor\n"
	"}\n";

static const char diff_1_2[] =
	"-mode monitor\n"
	"+mode enforce\n"
	"[edit zone cameras]\n"
	"-    vlan 30\n"
	"-    unknown monitor\n"
	"+    vlan 31\n"
	"+    interface cam1\n"
	"+    unknown drop\n"
	"+zone lab2 {\n"
	"+    vlan 41\n"
	"+    unknown drop\n"
	"+}\n"
	"-zone lab {\n"
	"-    vlan 40\n"
	"-    unknown drop\n"
	"-}\n"
	"[edit profile nvr-only]\n"
	"     # used by lobby-one, garage-2\n"
	"-    allow to 10.20.0.1 udp 53,123\n"
	"+    allow to 10.20.0.1 udp 53\n"
	"+    allow to 10.99.0.0/24 tcp 443\n"
	"+profile cloud {\n"
	"+    allow to any\n"
	"+}\n"
	"-profile empty {\n"
	"-}\n"
	"[edit device lobby-1 -> lobby-one]\n"
	"-    ip fd00:20::11\n"
	"+    ip fd00:20::12\n"
	"+device gate-4 {\n"
	"+    mac 44:19:b6:00:00:04\n"
	"+    profile cloud\n"
	"+    mode monitor\n"
	"+}\n"
	"-device yard-3 {\n"
	"-    mac 44:19:b6:00:00:03\n"
	"-    profile ntp\n"
	"-}\n"
	"devices: 1 added, 1 removed, 2 changed (1 by their profile's rules), 0 unchanged; "
	"profiles: 1 added, 1 removed, 1 changed; zones: 1 added, 1 removed, 1 changed; "
	"mode changed\n";

/* diff -j of site -> site2: the same changes as diff_1_2 */
static const char diff_1_2_json[] =
	"{\"differs\":true,\"mode\":{\"from\":\"monitor\",\"to\":\"enforce\"},"
	"\"zones\":{\"added\":[{\"name\":\"lab2\",\"lines\":[\"vlan 41\",\"unknown drop\"]}],"
	"\"removed\":[{\"name\":\"lab\",\"lines\":[\"vlan 40\",\"unknown drop\"]}],"
	"\"changed\":[{\"name\":\"cameras\",\"removed\":[\"vlan 30\",\"unknown monitor\"],"
	"\"added\":[\"vlan 31\",\"interface cam1\",\"unknown drop\"]}]},"
	"\"profiles\":{\"added\":[{\"name\":\"cloud\",\"lines\":[\"allow to any\"]}],"
	"\"removed\":[{\"name\":\"empty\",\"lines\":[]}],"
	"\"changed\":[{\"name\":\"nvr-only\",\"used_by\":[\"lobby-one\",\"garage-2\"],"
	"\"removed\":[\"allow to 10.20.0.1 udp 53,123\"],"
	"\"added\":[\"allow to 10.20.0.1 udp 53\",\"allow to 10.99.0.0/24 tcp 443\"]}]},"
	"\"devices\":{\"added\":[{\"name\":\"gate-4\",\"lines\":[\"mac 44:19:b6:00:00:04\",\"profile cloud\",\"mode monitor\"]}],"
	"\"removed\":[{\"name\":\"yard-3\",\"lines\":[\"mac 44:19:b6:00:00:03\",\"profile ntp\"]}],"
	"\"changed\":[{\"name\":\"lobby-one\",\"old_name\":\"lobby-1\",\"removed\":[\"ip fd00:20::11\"],\"added\":[\"ip fd00:20::12\"]}],"
	"\"changed_by_profile\":[\"garage-2\"]},"
	"\"summary\":{\"devices\":{\"added\":1,\"removed\":1,\"changed\":2,\"changed_by_profile\":1,\"unchanged\":0},"
	"\"profiles\":{\"added\":1,\"removed\":1,\"changed\":1},"
	"\"zones\":{\"added\":1,\"removed\":1,\"changed\":1},\"mode_changed\":true}}\n";

static char *diff_json(const struct cf_config *a, const struct cf_config *b,
		       int *ret)
{
	struct cf_cfg_diffstat st;
	struct cf_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	cf_json_begin(&j, f);
	cf_json_obj_open(&j, NULL);
	*ret = cf_config_diff_json(&j, a, b, &st);
	cf_json_obj_close(&j);
	if (cf_json_end(&j))
		*ret = -2;
	fclose(f);
	return buf;
}

int main(void)
{
	struct cf_config a, b, c;
	struct cf_cfg_diffstat st;
	char *t1, *t2, *d;
	int ret;

	/* write: exact text, parses back, writes the same again */
	ok(parse(site, &a) == 0, "site parses");
	t1 = write_text(&a, "# header\n");
	ok(same_text(t1, site_written), "cf_config_write: exact text");
	ok(parse(t1, &b) == 0, "written text parses");
	t2 = write_text(&b, "# header\n");
	ok(same_text(t2, t1), "parse -> write -> parse -> write: same text");
	d = diff_text(&a, &b, &st, &ret);
	ok(ret == 0, "written text equals the original (cf_config_diff 0)");
	ok(same_text(d, "devices: 0 added, 0 removed, 0 changed, 3 unchanged; "
		     "profiles: 0 added, 0 removed, 0 changed; zones: 0 added, "
		     "0 removed, 0 changed; mode unchanged\n"),
	   "no difference: no lines, zero counts");
	free(d);
	free(t1);
	free(t2);
	cf_config_free(&b);

	/* every kind of change */
	ok(parse(site2, &b) == 0, "site2 parses");
	d = diff_text(&a, &b, &st, &ret);
	ok(ret == 1, "site -> site2 differs (cf_config_diff 1)");
	ok(same_text(d, diff_1_2), "site -> site2: exact diff");
	ok(st.dev_added == 1 && st.dev_removed == 1 && st.dev_changed == 2 &&
	   st.dev_by_profile == 1 && st.dev_unchanged == 0,
	   "site -> site2: device counts as the kernel's");
	free(d);
	d = diff_json(&a, &b, &ret);
	ok(ret == 1, "diff -j: site -> site2 differs");
	ok(same_text(d, diff_1_2_json), "diff -j: site -> site2: exact JSON");
	free(d);
	d = diff_json(&a, &a, &ret);
	ok(ret == 0 && same_text(d,
		"{\"differs\":false,\"mode\":null,"
		"\"zones\":{\"added\":[],\"removed\":[],\"changed\":[]},"
		"\"profiles\":{\"added\":[],\"removed\":[],\"changed\":[]},"
		"\"devices\":{\"added\":[],\"removed\":[],\"changed\":[],\"changed_by_profile\":[]},"
		"\"summary\":{\"devices\":{\"added\":0,\"removed\":0,\"changed\":0,\"changed_by_profile\":0,\"unchanged\":3},"
		"\"profiles\":{\"added\":0,\"removed\":0,\"changed\":0},"
		"\"zones\":{\"added\":0,\"removed\":0,\"changed\":0},\"mode_changed\":false}}\n"),
	   "diff -j: no difference: empty lists, zero counts");
	free(d);
	/* f NULL: counted only */
	ret = cf_config_diff(NULL, &a, &b, &st);
	ok(ret == 1 && st.zone_changed == 1 && st.prof_changed == 1 &&
	   st.mode_changed, "cf_config_diff without output: same counts");

	/* a file without a mode keeps the kernel's: no mode line */
	b.mode = CAMFENCE_MODE_DEFAULT;
	d = diff_text(&a, &b, &st, &ret);
	ok(!strstr(d, "-mode ") && !strstr(d, "+mode ") && strstr(d, "; mode unchanged\n"),
	   "want without mode: no mode lines");
	ok(!st.mode_changed, "want without mode: mode unchanged");
	free(d);
	cf_config_free(&b);

	/* the rule order matters (the kernel compares rules in order) */
	ok(parse("profile p {\n allow to 10.0.0.1 udp 1\n allow to 10.0.0.2 udp 2\n}\n", &b) == 0 &&
	   parse("profile p {\n allow to 10.0.0.2 udp 2\n allow to 10.0.0.1 udp 1\n}\n", &c) == 0,
	   "two orders of the same rules parse");
	d = diff_text(&b, &c, &st, &ret);
	ok(ret == 1 && same_text(d,
		"[edit profile p]\n"
		"-    allow to 10.0.0.1 udp 1\n"
		"+    allow to 10.0.0.1 udp 1\n"
		"devices: 0 added, 0 removed, 0 changed, 0 unchanged; profiles: 0 added, "
		"0 removed, 1 changed; zones: 0 added, 0 removed, 0 changed; mode unchanged\n"),
	   "rules reordered: a moved line");
	free(d);
	cf_config_free(&b);
	cf_config_free(&c);

	/* a device's configured port: added, changed, removed */
	ok(parse("profile p {\n}\ndevice d {\n mac 02:00:00:00:00:01\n profile p\n}\n", &b) == 0 &&
	   parse("profile p {\n}\ndevice d {\n mac 02:00:00:00:00:01\n port br0.p1\n profile p\n}\n", &c) == 0,
	   "device with and without a port parse");
	ok(!strcmp(c.devices[0].port, "br0.p1") && !b.devices[0].port[0],
	   "the port is kept ('%s'), none is empty", c.devices[0].port);
	d = diff_text(&b, &c, &st, &ret);
	ok(ret == 1 && same_text(d,
		"[edit device d]\n"
		"+    port br0.p1\n"
		"devices: 0 added, 0 removed, 1 changed, 0 unchanged; profiles: 0 added, "
		"0 removed, 0 changed; zones: 0 added, 0 removed, 0 changed; mode unchanged\n"),
	   "device port added");
	free(d);
	d = diff_text(&c, &b, &st, &ret);
	ok(ret == 1 && st.dev_changed == 1 && same_text(d,
		"[edit device d]\n"
		"-    port br0.p1\n"
		"devices: 0 added, 0 removed, 1 changed, 0 unchanged; profiles: 0 added, "
		"0 removed, 0 changed; zones: 0 added, 0 removed, 0 changed; mode unchanged\n"),
	   "device port removed");
	free(d);
	cf_config_free(&b);
	ok(parse("profile p {\n}\ndevice d {\n mac 02:00:00:00:00:01\n profile p\n port br0.p2\n}\n", &b) == 0,
	   "device with another port parses");
	d = diff_text(&c, &b, &st, &ret);
	ok(ret == 1 && st.dev_changed == 1 && same_text(d,
		"[edit device d]\n"
		"-    port br0.p1\n"
		"+    port br0.p2\n"
		"devices: 0 added, 0 removed, 1 changed, 0 unchanged; profiles: 0 added, "
		"0 removed, 0 changed; zones: 0 added, 0 removed, 0 changed; mode unchanged\n"),
	   "device port changed");
	free(d);
	t1 = write_text(&b, "");
	ok(same_text(t1, "\nprofile p {\n}\n\ndevice d {\n    mac 02:00:00:00:00:01\n"
		     "    profile p\n    port br0.p2\n}\n"),
	   "cf_config_write prints the port");
	free(t1);
	cf_config_free(&b);
	cf_config_free(&c);

	/* a device's mode back to the default: "-    mode monitor" */
	ok(parse("profile p {\n}\ndevice d {\n mac 02:00:00:00:00:01\n profile p\n mode monitor\n}\n", &b) == 0 &&
	   parse("profile p {\n}\ndevice d {\n mac 02:00:00:00:00:01\n profile p\n}\n", &c) == 0,
	   "device with and without a mode parse");
	d = diff_text(&b, &c, &st, &ret);
	ok(ret == 1 && same_text(d,
		"[edit device d]\n"
		"-    mode monitor\n"
		"devices: 0 added, 0 removed, 1 changed, 0 unchanged; profiles: 0 added, "
		"0 removed, 0 changed; zones: 0 added, 0 removed, 0 changed; mode unchanged\n"),
	   "device mode removed");
	free(d);
	cf_config_free(&b);
	cf_config_free(&c);
	cf_config_free(&a);

	/* lib/lint.c */
	{
		static const char lint_conf[] =
			"mode enforce\n"
			"zone z {\n vlan 20\n unknown allow\n}\n"
			"profile p {\n allow to any\n allow to any\n allow to 10.0.0.1 tcp 1-10,5\n}\n"
			"profile q {\n}\n"
			"device d {\n mac 02:00:00:00:00:01\n profile p\n}\n";
		struct cf_kernel_limits lim = { 1, 1, 2, 1 };
		struct cf_lint_env env = { .nsealed_vlans = 2,
					   .sealed_vlans = { 20, 30 } };
		struct cf_diags dg;
		static const char *const want_lim[] = {
			"t.conf:11:1: profile q is profile 2: over the kernel's limit of 1 profiles (max_profiles)",
			"t.conf:9:2: profile p: rule 3 is over the kernel's limit of 2 rules per profile (max_rules)",
			NULL
		};
		static const char *const want_lint[] = {
			"t.conf:2:1: warning: zone z: unknown allow under mode enforce: a device that no one listed passes unfiltered",
			"t.conf:7:2: warning: profile p: 'allow to any' lets its 1 device (d) reach every address, the internet included",
			"t.conf:8:2: warning: profile p: 'allow to any' lets its 1 device (d) reach every address, the internet included",
			"t.conf:8:2: warning: profile p: duplicate rule (the same as line 7)",
			"t.conf:9:2: warning: profile p: port 5 overlaps port 1-10 of the same rule",
			"t.conf:11:1: warning: profile q is used by no device",
			"t.conf: warning: sealed VLAN 30 (module parameter sealed_vlans) is in no zone: it stays sealed (everything on it dropped)",
			NULL
		};

		ok(parse(lint_conf, &a) == 0, "lint config parses");
		cf_diags_init(&dg);
		ok(cf_config_check_limits(&a, &lim, &dg) == 2 &&
		   same_diags(&dg, want_lim), "limits: at the crossing objects");
		cf_diags_free(&dg);
		cf_diags_init(&dg);
		ok(cf_config_lint(&a, &env, &dg) == 7 && same_diags(&dg, want_lint),
		   "warnings: each at its line");
		cf_diags_free(&dg);
		cf_config_free(&a);
	}

	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
