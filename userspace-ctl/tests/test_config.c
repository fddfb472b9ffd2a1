// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the camfence.conf(5) parser (lib/config.c, lib/format.c).
 * Every error kind with its exact "FILE:LINE:COL: message", the issue's
 * example loaded field by field, several errors in one file, includes
 * (relative paths, cycles, depth), limits and parse -> format -> parse.
 *
 * Test data lives in tests/data/ and examples/; found from the binary's
 * path (build/asan/test_config -> ../../tests/data) or $CF_TESTDATA.
 * Output: "ok N - what" / "not ok N - what"; exit 1 if anything failed.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "parse_util.h"
#include "tap.h"

/* Paths are built into PATH_MAX buffers; truncation would fail a test. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

static char datadir[PATH_MAX], exampledir[PATH_MAX];

/* Parse text as "t.conf" (no includes); compare all messages exactly. */
static void expect_len(const char *what, const char *text, size_t len,
		       const char *const *want)
{
	struct cf_config cfg;
	struct cf_diags d;
	int n, nwant = 0;

	while (want[nwant])
		nwant++;
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, len, NULL, &cfg, &d,
				   CF_CFG_NO_INCLUDE);
	if (n != d.count)
		printf("#   returned %d errors, %d messages\n", n, d.count);
	ok(same_diags(&d, want) && n == nwant, "%s", what);
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static void expect(const char *what, const char *text, const char *const *want)
{
	expect_len(what, text, strlen(text), want);
}

static const char *data(const char *name, char *buf)
{
	snprintf(buf, PATH_MAX, "%s/%s", datadir, name);
	return buf;
}

static void find_data(const char *argv0)
{
	const char *env = getenv("CF_TESTDATA");
	char self[PATH_MAX], *slash;

	if (env) {
		snprintf(datadir, sizeof(datadir), "%s", env);
		snprintf(exampledir, sizeof(exampledir), "%s/../../../examples",
			 env);
		return;
	}
	if (!realpath(argv0, self))
		snprintf(self, sizeof(self), "%s", argv0);
	/* .../userspace-ctl/build/asan/test_config */
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	snprintf(datadir, sizeof(datadir), "%.3800s/../../tests/data", self);
	snprintf(exampledir, sizeof(exampledir), "%.3800s/../../../examples",
		 self);
}

static int ip_eq(int family, const uint8_t *addr, const char *text)
{
	uint8_t b[16] = { 0 };

	if (inet_pton(family, text, b) != 1)
		return 0;
	return !memcmp(addr, b, family == AF_INET ? 4 : 16);
}

static int rule_is(const struct cf_cfg_rule *r, int dir, int family,
		   const char *peer, int plen, int proto, const char *ports)
{
	char buf[256], *p = buf;
	int i;

	if (r->dir != dir || r->family != family || r->prefixlen != plen ||
	    r->proto != proto)
		return 0;
	if (family && !ip_eq(family, r->peer, peer))
		return 0;
	buf[0] = '\0';
	for (i = 0; i < r->nports; i++)
		p += sprintf(p, "%s%u-%u", i ? "," : "", r->ports[i].lo,
			     r->ports[i].hi);
	if (strcmp(buf, ports)) {
		printf("#   ports %s, expected %s\n", buf, ports);
		return 0;
	}
	return 1;
}

static const char *ends(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix) ? s : NULL;
}

/* ---------------------------------------------------------------------- */

static void test_issue_example(void)
{
	struct cf_config cfg;
	struct cf_diags d;
	const struct cf_cfg_profile *p;
	const struct cf_cfg_zone *z;
	const struct cf_cfg_device *dv;
	char path[PATH_MAX], m[32];
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	snprintf(path, sizeof(path), "%s/issue4.conf", exampledir);
	n = cf_config_parse_file(path, &cfg, &d, 0);
	ok(n == 0 && d.count == 0, "issue example loads without errors");
	same_diags(&d, NONE);
	ok(cfg.mode == CAMFENCE_MODE_ENFORCE, "issue example: global mode enforce");
	ok(cfg.nzones == 1 && cfg.nprofiles == 1 && cfg.ndevices == 4,
	   "issue example: 1 zone, 1 profile, 4 devices (2 + 2 from CSV) (%d %d %d)",
	   cfg.nzones, cfg.nprofiles, cfg.ndevices);
	if (cfg.nzones != 1 || cfg.nprofiles != 1 || cfg.ndevices != 4)
		goto out;
	z = &cfg.zones[0];
	ok(!strcmp(z->name, "cameras") && z->nvlans == 1 && z->vlans[0] == 20 &&
	   z->nifs == 1 && !strcmp(z->ifnames[0], "eth2") &&
	   z->unknown == CAMFENCE_ACTION_DROP && z->loc.line == 3 &&
	   z->loc.col == 1, "zone cameras: vlan 20, interface eth2, unknown drop, at line 3");

	p = cf_config_find_profile(&cfg, "nvr-only");
	ok(p && p->nrules == 5 && p->loc.line == 9, "profile nvr-only has 5 rules");
	if (!p || p->nrules != 5)
		goto out;
	ok(rule_is(&p->rules[0], CAMFENCE_DIR_FROM, AF_INET, "10.20.0.5", 32, 6,
		   "554-554,80-80,8000-8000"), "rule 1: from 10.20.0.5 tcp 554,80,8000");
	ok(rule_is(&p->rules[1], CAMFENCE_DIR_TO, AF_INET, "10.20.0.5", 32, 6,
		   "7200-7299"), "rule 2: to 10.20.0.5 tcp 7200-7299 (a range)");
	ok(rule_is(&p->rules[2], CAMFENCE_DIR_TO, AF_INET, "10.20.0.1", 32, 17,
		   "53-53,123-123"), "rule 3: to 10.20.0.1 udp 53,123");
	ok(rule_is(&p->rules[3], CAMFENCE_DIR_TO, AF_INET6, "fd00:20::1", 128,
		   17, "123-123"), "rule 4: IPv6 to fd00:20::1 udp 123");
	ok(rule_is(&p->rules[4], CAMFENCE_DIR_FROM, AF_INET, "10.99.0.0", 24, 1,
		   ""), "rule 5: from 10.99.0.0/24 icmp, no ports");
	ok(p->rules[1].loc.line == 11 && p->rules[1].loc.col == 5 &&
	   !strcmp(p->rules[1].loc.file, path), "rule locations: file, line 11, column 5");
	ok(cf_config_find_profile(&cfg, "nope") == NULL, "find_profile of an unknown name is NULL");

	dv = &cfg.devices[0];
	ok(!strcmp(dv->name, "lobby-1") &&
	   !strcmp(cf_format_mac(dv->mac, m, sizeof(m)), "44:19:b6:00:00:01") &&
	   dv->naddrs == 2 && dv->addrs[0].family == AF_INET &&
	   ip_eq(AF_INET, dv->addrs[0].addr, "10.20.0.11") &&
	   dv->addrs[1].family == AF_INET6 &&
	   ip_eq(AF_INET6, dv->addrs[1].addr, "fd00:20::11") &&
	   !strcmp(dv->profile, "nvr-only") && dv->mode == CAMFENCE_MODE_DEFAULT &&
	   dv->loc.line == 17, "device lobby-1: MAC, 10.20.0.11 + fd00:20::11, nvr-only, default mode");
	dv = &cfg.devices[1];
	ok(!strcmp(dv->name, "garage-2") &&
	   !strcmp(cf_format_mac(dv->mac, m, sizeof(m)), "3c:ef:8c:00:00:02") &&
	   dv->naddrs == 1 && ip_eq(AF_INET, dv->addrs[0].addr, "10.20.0.12") &&
	   !strcmp(dv->profile, "nvr-only") && dv->mode == CAMFENCE_MODE_MONITOR,
	   "device garage-2: MAC, 10.20.0.12, mode monitor");
	dv = &cfg.devices[2];
	ok(!strcmp(dv->name, "entrance-3") &&
	   !strcmp(cf_format_mac(dv->mac, m, sizeof(m)), "44:19:b6:00:00:03") &&
	   dv->naddrs == 2 && dv->mode == CAMFENCE_MODE_DEFAULT &&
	   dv->loc.line == 2 && dv->loc.col == 1 &&
	   ends(dv->loc.file, "/devices.csv"), "CSV device entrance-3 (devices.csv:2:1)");
	dv = &cfg.devices[3];
	ok(!strcmp(dv->name, "yard-4") &&
	   !strcmp(cf_format_mac(dv->mac, m, sizeof(m)), "3c:ef:8c:00:00:04") &&
	   dv->mode == CAMFENCE_MODE_MONITOR, "CSV device yard-4, dashed MAC, monitor");
	ok(cfg.nfiles == 2 && !strcmp(cfg.files[0], path) &&
	   ends(cfg.files[1], "examples/devices.csv"),
	   "files: the config and the included CSV");
out:
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static void test_top_errors(void)
{
	expect("unknown statement", "foo bar\n",
	       MSGS("t.conf:1:1: unknown statement 'foo'"));
	expect("invalid mode", "mode fast\n",
	       MSGS("t.conf:1:6: invalid mode 'fast' (expected enforce or monitor)"));
	expect("missing mode", "  mode\n",
	       MSGS("t.conf:1:3: missing mode (expected enforce or monitor)"));
	expect("duplicate mode", "mode enforce\nmode monitor\n",
	       MSGS("t.conf:2:1: duplicate mode (first set at t.conf:1)"));
	expect("extra word", "mode enforce now\n",
	       MSGS("t.conf:1:14: unexpected 'now'"));
	expect("unexpected '}'", "}\n",
	       MSGS("t.conf:1:1: unexpected '}' (no block is open)"));
	expect("unterminated string", "include \"x.conf\n",
	       MSGS("t.conf:1:9: unterminated string"));
	expect("control character", "mode\x01 enforce\n",
	       MSGS("t.conf:1:5: invalid character 0x01"));
	expect_len("NUL byte", "zone z {\n\tvlan 1\0\n}\n",
		   sizeof("zone z {\n\tvlan 1\0\n}\n") - 1,
		   MSGS("t.conf:2:8: invalid character 0x00"));
	expect("include disabled (fuzzing flag)", "include \"other.conf\"\n",
	       MSGS("t.conf:1:1: include is not allowed here"));
	expect("'#' inside quotes is not a comment", "include \"a#b.conf\" # c\n",
	       MSGS("t.conf:1:1: include is not allowed here"));
	expect("include with two paths", "include \"a\" \"b\"\n",
	       MSGS("t.conf:1:13: unexpected 'b'"));
	expect("control character inside quotes", "include \"a\tb\"\n",
	       MSGS("t.conf:1:11: invalid character 0x09"));
	expect("missing include path", "include\n",
	       MSGS("t.conf:1:1: missing include path"));
	expect("empty include path", "include \"\"\n",
	       MSGS("t.conf:1:9: empty include path"));
	expect("include inside a block", "zone z {\ninclude \"x\"\n}\n",
	       MSGS("t.conf:2:1: include is only allowed at the top level"));
	expect("CRLF, tabs, comments, 'z{' are fine; '}' after a statement is not",
	       "# hello\r\n\r\n\tmode monitor # trailing\r\nzone z{\r\n vlan 5}\r\n}\r\n",
	       MSGS("t.conf:5:8: unexpected '}'"));
}

static void test_block_errors(void)
{
	expect("missing zone name", "zone {\n}\n",
	       MSGS("t.conf:1:1: missing zone name"));
	expect("invalid zone name", "zone bad/name {\n}\n",
	       MSGS("t.conf:1:6: invalid zone name 'bad/name' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("name of 33 characters",
	       "profile abcdefghijklmnopqrstuvwxyz0123456 {\n}\n",
	       MSGS("t.conf:1:9: invalid profile name 'abcdefghijklmnopqrstuvwxyz0123456' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("name of 32 characters is fine",
	       "profile abcdefghijklmnopqrstuvwxyz012345 {\n}\n", NONE);
	expect("missing '{'", "zone z\n  vlan 1\n}\n",
	       MSGS("t.conf:1:6: expected '{' after zone name"));
	expect("block not closed at end of file", "mode enforce\nzone z {\n vlan 1\n",
	       MSGS("t.conf:2:1: zone z is not closed (missing '}')"));
	expect("missing '}' before the next block",
	       "zone z {\n vlan 1\nprofile p {\n}\n",
	       MSGS("t.conf:3:1: missing '}' before 'profile' (zone z opened at t.conf:1)"));
	expect("words after '{'", "zone z { vlan 1 }\n}\n",
	       MSGS("t.conf:1:10: unexpected 'vlan'"));
	expect("words after '}'", "zone z {\n} zone\n",
	       MSGS("t.conf:2:3: unexpected 'zone'"));
}

static void test_zone_errors(void)
{
	expect("vlan 0", "zone z {\n vlan 0\n}\n",
	       MSGS("t.conf:2:7: invalid VLAN ID '0' (expected 1-4094)"));
	expect("vlan 4095", "zone z {\n vlan 4095\n}\n",
	       MSGS("t.conf:2:7: invalid VLAN ID '4095' (expected 1-4094)"));
	expect("vlan not a number", "zone z {\n vlan 2O\n}\n",
	       MSGS("t.conf:2:7: invalid VLAN ID '2O' (expected 1-4094)"));
	expect("vlan 1 and 4094 are fine", "zone z {\n vlan 1\n vlan 4094\n}\n", NONE);
	expect("missing VLAN ID", "zone z {\n vlan\n}\n",
	       MSGS("t.conf:2:2: missing VLAN ID (expected 1-4094)"));
	expect("interface with ':'", "zone z {\n interface eth0:1\n}\n",
	       MSGS("t.conf:2:12: invalid interface name 'eth0:1' (expected 1-15 characters, no '/', ':' or spaces)"));
	expect("interface of 16 characters", "zone z {\n interface abcdefghijklmnop\n}\n",
	       MSGS("t.conf:2:12: invalid interface name 'abcdefghijklmnop' (expected 1-15 characters, no '/', ':' or spaces)"));
	expect("interface of 15 characters is fine",
	       "zone z {\n interface eth2.20-abcdefg\n}\n", NONE);
	expect("missing interface name", "zone z {\n interface\n}\n",
	       MSGS("t.conf:2:2: missing interface name"));
	expect("invalid unknown action", "zone z {\n unknown maybe\n}\n",
	       MSGS("t.conf:2:10: invalid action 'maybe' (expected drop, monitor or allow)"));
	expect("duplicate unknown", "zone z {\n unknown allow\n unknown drop\n}\n",
	       MSGS("t.conf:3:2: duplicate 'unknown' in zone z (first at line 2)"));
	expect("zone without VLAN and interface", "zone z {\n unknown allow\n}\nzone y {\n}\n",
	       MSGS("t.conf:1:1: zone z has no VLAN and no interface",
		    "t.conf:4:1: zone y has no VLAN and no interface"));
	expect("missing unknown action", "zone z {\n vlan 1\n unknown\n}\n",
	       MSGS("t.conf:3:2: missing action (expected drop, monitor or allow)"));
	expect("two interfaces on one line", "zone z {\n interface eth0 eth1\n}\n",
	       MSGS("t.conf:2:17: unexpected 'eth1'"));
	expect("two VLANs on one line", "zone z {\n vlan 20 30\n}\n",
	       MSGS("t.conf:2:10: unexpected '30'"));
	expect("unknown zone statement", "zone z {\n ip 10.0.0.1\n}\n",
	       MSGS("t.conf:2:2: unknown zone statement 'ip' (expected vlan, interface or unknown)"));
}

static void test_zone_limits(void)
{
	char text[4096], *p = text;
	struct cf_config cfg;
	struct cf_diags d;
	int i;

	p += sprintf(p, "zone z {\n");
	for (i = 1; i <= CAMFENCE_MAX_ZONE_VLANS + 1; i++)
		p += sprintf(p, "vlan %d\n", i);
	for (i = 1; i <= CAMFENCE_MAX_ZONE_IFS + 1; i++)
		p += sprintf(p, "interface e%d\n", i);
	p += sprintf(p, "}\n");
	cf_config_init(&cfg);
	cf_diags_init(&d);
	cf_config_parse_buffer("t.conf", text, strlen(text), NULL, &cfg, &d, 0);
	ok(same_diags(&d, MSGS("t.conf:66:1: too many VLANs in zone z (max 64)",
			       "t.conf:83:1: too many interfaces in zone z (max 16)")) &&
	   cfg.nzones == 1 && cfg.zones[0].nvlans == 64 && cfg.zones[0].nifs == 16 &&
	   cfg.zones[0].vlans[63] == 64 && !strcmp(cfg.zones[0].ifnames[15], "e16"),
	   "64 VLANs and 16 interfaces per zone, the 65th/17th is an error");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

#define P(body) "profile p {\n" body "\n}\n"

static void test_rule_errors(void)
{
	expect("unknown profile statement", P(" deny to any"),
	       MSGS("t.conf:2:2: unknown profile statement 'deny' (expected allow)"));
	expect("missing direction", P(" allow"),
	       MSGS("t.conf:2:2: missing direction (expected to or from)"));
	expect("invalid direction", P(" allow towards any"),
	       MSGS("t.conf:2:8: invalid direction 'towards' (expected to or from)"));
	expect("missing peer", P(" allow to"),
	       MSGS("t.conf:2:2: missing peer (expected an address, a prefix or any)"));
	expect("invalid peer", P(" allow to nvr.local"),
	       MSGS("t.conf:2:11: invalid peer 'nvr.local' (expected an address, a prefix or any)"));
	expect("invalid IPv4 peer", P(" allow to 10.0.0.256"),
	       MSGS("t.conf:2:11: invalid peer '10.0.0.256' (expected an address, a prefix or any)"));
	expect("IPv4 prefix length 33", P(" allow to 10.0.0.0/33"),
	       MSGS("t.conf:2:20: invalid prefix length '33' (expected 0-32)"));
	expect("IPv6 prefix length 129", P(" allow to fd00::/129"),
	       MSGS("t.conf:2:18: invalid prefix length '129' (expected 0-128)"));
	expect("empty prefix length", P(" allow to 10.0.0.0/"),
	       MSGS("t.conf:2:20: invalid prefix length '' (expected 0-32)"));
	expect("IPv4 host bits set", P(" allow from 10.99.0.1/24 icmp"),
	       MSGS("t.conf:2:13: prefix 10.99.0.1/24 has host bits set (did you mean 10.99.0.0/24?)"));
	expect("IPv6 host bits set", P(" allow to fd00:20::1/64"),
	       MSGS("t.conf:2:11: prefix fd00:20::1/64 has host bits set (did you mean fd00:20::/64?)"));
	expect("odd IPv4 prefix", P(" allow to 10.0.0.128/25\n allow to 10.0.0.64/25"),
	       MSGS("t.conf:3:11: prefix 10.0.0.64/25 has host bits set (did you mean 10.0.0.0/25?)"));
	expect("invalid protocol", P(" allow to any frobnicate"),
	       MSGS("t.conf:2:15: invalid protocol 'frobnicate' (expected a name such as tcp, udp, icmp, icmpv6, gre, esp, sctp, or a number 0-255)"));
	expect("protocol 256", P(" allow to any 256"),
	       MSGS("t.conf:2:15: invalid protocol '256' (expected a name such as tcp, udp, icmp, icmpv6, gre, esp, sctp, or a number 0-255)"));
	expect("protocol -1", P(" allow to any -1"),
	       MSGS("t.conf:2:15: invalid protocol '-1' (expected a name such as tcp, udp, icmp, icmpv6, gre, esp, sctp, or a number 0-255)"));
	expect("protocol proto-", P(" allow to any proto-"),
	       MSGS("t.conf:2:15: invalid protocol 'proto-' (expected a name such as tcp, udp, icmp, icmpv6, gre, esp, sctp, or a number 0-255)"));
	expect("protocol names are lower case", P(" allow to any GRE"),
	       MSGS("t.conf:2:15: invalid protocol 'GRE' (did you mean gre?)"));
	expect("icmp by number with an IPv6 peer", P(" allow to fd00::1 1"),
	       MSGS("t.conf:2:19: icmp does not match IPv6 peer fd00::1 (use icmpv6)"));
	expect("ports with sctp", P(" allow to any sctp 80"),
	       MSGS("t.conf:2:20: ports are only allowed with tcp or udp"));
	expect("icmp with an IPv6 peer", P(" allow to fd00::1 icmp"),
	       MSGS("t.conf:2:19: icmp does not match IPv6 peer fd00::1 (use icmpv6)"));
	expect("icmpv6 with an IPv4 peer", P(" allow to 10.0.0.0/8 icmpv6"),
	       MSGS("t.conf:2:22: icmpv6 does not match IPv4 peer 10.0.0.0/8 (use icmp)"));
	expect("icmp and icmpv6 with any are fine",
	       P(" allow to any icmp\n allow to any icmpv6"), NONE);
	expect("ports with icmp", P(" allow to 10.0.0.1 icmp 80"),
	       MSGS("t.conf:2:25: ports are only allowed with tcp or udp"));
	expect("ports with protocol any", P(" allow to any any 80"),
	       MSGS("t.conf:2:19: ports are only allowed with tcp or udp"));
	expect("port 0", P(" allow to any tcp 80,0,90"),
	       MSGS("t.conf:2:22: invalid port '0' (expected 1-65535 or a range a-b)"));
	expect("port 65536", P(" allow to any udp 65536"),
	       MSGS("t.conf:2:19: invalid port '65536' (expected 1-65535 or a range a-b)"));
	expect("empty port in list", P(" allow to any udp 53,"),
	       MSGS("t.conf:2:22: invalid port '' (expected 1-65535 or a range a-b)"));
	expect("port not a number", P(" allow to any udp ntp"),
	       MSGS("t.conf:2:19: invalid port 'ntp' (expected 1-65535 or a range a-b)"));
	expect("open range", P(" allow to any tcp 7200-"),
	       MSGS("t.conf:2:19: invalid port '7200-' (expected 1-65535 or a range a-b)"));
	expect("reversed range", P(" allow to any tcp 80,7299-7200"),
	       MSGS("t.conf:2:22: invalid port range '7299-7200' (start is greater than end)"));
	expect("range reversed by one", P(" allow to any tcp 81-80"),
	       MSGS("t.conf:2:19: invalid port range '81-80' (start is greater than end)"));
	expect("range 1-65535 and a == b are fine",
	       P(" allow to any tcp 1-65535\n allow to any udp 53-53"), NONE);
	expect("extra word after ports", P(" allow to 10.0.0.1 tcp 80 443"),
	       MSGS("t.conf:2:27: unexpected '443'"));
	expect("several bad rules, each reported",
	       P(" allow to 10.0.0.1/8\n allow up any\n allow from any tcp 0"),
	       MSGS("t.conf:2:11: prefix 10.0.0.1/8 has host bits set (did you mean 10.0.0.0/8?)",
		    "t.conf:3:8: invalid direction 'up' (expected to or from)",
		    "t.conf:4:21: invalid port '0' (expected 1-65535 or a range a-b)"));
}

static void test_port_limit(void)
{
	char text[1024], *p = text;
	struct cf_config cfg;
	struct cf_diags d;
	int i, n;

	p += sprintf(p, "profile p {\nallow to any tcp ");
	for (i = 1; i <= CAMFENCE_MAX_PORT_RANGES; i++)
		p += sprintf(p, "%s%d", i > 1 ? "," : "", i * 10);
	p += sprintf(p, "\nallow to any tcp 1");
	for (i = 2; i <= CAMFENCE_MAX_PORT_RANGES + 1; i++)
		p += sprintf(p, ",%d", i);
	p += sprintf(p, "\n}\n");
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, strlen(text), NULL, &cfg, &d, 0);
	/* ports at column 18; "1,...,9," is 18 characters, "10,...,32," 69 */
	ok(n == 1 && same_diags(&d, MSGS("t.conf:3:105: too many port ranges (max 32)")) &&
	   cfg.nprofiles == 1 && cfg.profiles[0].nrules == 1 &&
	   cfg.profiles[0].rules[0].nports == 32 &&
	   cfg.profiles[0].rules[0].ports[31].lo == 320,
	   "32 port ranges per rule, the 33rd is an error");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

#define DEV(body) "profile p {\n}\ndevice d {\n profile p\n" body "\n}\n"

static void test_device_errors(void)
{
	expect("missing MAC address", DEV(" mac"),
	       MSGS("t.conf:5:2: missing MAC address"));
	expect("short MAC", DEV(" mac 44:19:b6:00:00"),
	       MSGS("t.conf:5:6: invalid MAC '44:19:b6:00:00' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("mixed MAC separators", DEV(" mac 44:19-b6:00:00:01"),
	       MSGS("t.conf:5:6: invalid MAC '44:19-b6:00:00:01' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("non-hex MAC", DEV(" mac 44:19:b6:00:0g:01"),
	       MSGS("t.conf:5:6: invalid MAC '44:19:b6:00:0g:01' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("multicast MAC", DEV(" mac 01:00:5E:00:00:01"),
	       MSGS("t.conf:5:6: MAC 01:00:5e:00:00:01 is a multicast address (a device needs a unicast MAC)"));
	expect("broadcast MAC", DEV(" mac ff-ff-ff-ff-ff-ff"),
	       MSGS("t.conf:5:6: MAC ff:ff:ff:ff:ff:ff is a multicast address (a device needs a unicast MAC)"));
	expect("zero MAC", DEV(" mac 00:00:00:00:00:00"),
	       MSGS("t.conf:5:6: MAC 00:00:00:00:00:00 is not valid"));
	expect("MAC twice", DEV(" mac 44:19:b6:00:00:01\n mac 44:19:b6:00:00:02"),
	       MSGS("t.conf:6:2: duplicate 'mac' in device d (first at line 5)"));
	expect("missing address", DEV(" mac 44:19:b6:00:00:01\n ip"),
	       MSGS("t.conf:6:2: missing address"));
	expect("address with a prefix", DEV(" mac 44:19:b6:00:00:01\n ip 10.20.0.11/24"),
	       MSGS("t.conf:6:5: invalid address '10.20.0.11/24' (expected an IPv4 or IPv6 address)"));
	expect("bad IPv6 address", DEV(" mac 44:19:b6:00:00:01\n ip fd00::1::2"),
	       MSGS("t.conf:6:5: invalid address 'fd00::1::2' (expected an IPv4 or IPv6 address)"));
	expect("IPv4 multicast address", DEV(" mac 44:19:b6:00:00:01\n ip 239.1.2.3"),
	       MSGS("t.conf:6:5: address 239.1.2.3 is not a unicast address"));
	expect("IPv4 loopback address", DEV(" mac 44:19:b6:00:00:01\n ip 127.0.0.1"),
	       MSGS("t.conf:6:5: address 127.0.0.1 is not a unicast address"));
	expect("IPv4 limited broadcast", DEV(" mac 44:19:b6:00:00:01\n ip 255.255.255.255"),
	       MSGS("t.conf:6:5: address 255.255.255.255 is not a unicast address"));
	expect("IPv4 0.0.0.0/8", DEV(" mac 44:19:b6:00:00:01\n ip 0.1.2.3"),
	       MSGS("t.conf:6:5: address 0.1.2.3 is not a unicast address"));
	expect("IPv6 unspecified, loopback, multicast",
	       DEV(" mac 44:19:b6:00:00:01\n ip ::\n ip ::1\n ip ff02::1"),
	       MSGS("t.conf:6:5: address :: is not a unicast address",
		    "t.conf:7:5: address ::1 is not a unicast address",
		    "t.conf:8:5: address ff02::1 is not a unicast address"));
	expect("edge addresses that are unicast are fine",
	       DEV(" mac 44:19:b6:00:00:01\n ip 1.0.0.0\n ip 223.255.255.254\n ip 255.255.255.254\n ip ::2\n ip fe80::1"),
	       NONE);
	expect("invalid profile name", "device d {\n mac 44:19:b6:00:00:01\n profile a:b\n}\n",
	       MSGS("t.conf:3:10: invalid profile name 'a:b' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("missing profile name", DEV(" mac 44:19:b6:00:00:01\n profile"),
	       MSGS("t.conf:6:2: missing profile name"));
	expect("two MACs on one line", DEV(" mac 44:19:b6:00:00:01 44:19:b6:00:00:02"),
	       MSGS("t.conf:5:24: unexpected '44:19:b6:00:00:02'"));
	expect("two addresses on one line", DEV(" mac 44:19:b6:00:00:01\n ip 10.0.0.1 10.0.0.2"),
	       MSGS("t.conf:6:14: unexpected '10.0.0.2'"));
	expect("two profiles without a comma", "profile p {\n}\ndevice d {\n mac 44:19:b6:00:00:01\n profile p p\n}\n",
	       MSGS("t.conf:5:12: missing ',' before 'p'"));
	expect("profile twice", DEV(" mac 44:19:b6:00:00:01\n profile p"),
	       MSGS("t.conf:6:2: duplicate 'profile' in device d (first at line 4)"));
	expect("invalid device mode", DEV(" mac 44:19:b6:00:00:01\n mode default"),
	       MSGS("t.conf:6:7: invalid mode 'default' (expected enforce or monitor)"));
	expect("mode twice", DEV(" mac 44:19:b6:00:00:01\n mode monitor\n mode enforce"),
	       MSGS("t.conf:7:2: duplicate 'mode' in device d (first at line 6)"));
	expect("missing port name", DEV(" mac 44:19:b6:00:00:01\n port"),
	       MSGS("t.conf:6:2: missing interface name"));
	expect("port name too long", DEV(" mac 44:19:b6:00:00:01\n port abcdefghijklmnop"),
	       MSGS("t.conf:6:7: invalid interface name 'abcdefghijklmnop' (expected 1-15 characters, no '/', ':' or spaces)"));
	expect("port name with '/'", DEV(" mac 44:19:b6:00:00:01\n port Gi1/0/3"),
	       MSGS("t.conf:6:7: invalid interface name 'Gi1/0/3' (expected 1-15 characters, no '/', ':' or spaces)"));
	expect("port name with ':'", DEV(" mac 44:19:b6:00:00:01\n port eth0:1"),
	       MSGS("t.conf:6:7: invalid interface name 'eth0:1' (expected 1-15 characters, no '/', ':' or spaces)"));
	expect("port name '..'", DEV(" mac 44:19:b6:00:00:01\n port .."),
	       MSGS("t.conf:6:7: invalid interface name '..' (expected 1-15 characters, no '/', ':' or spaces)"));
	expect("two ports on one line", DEV(" mac 44:19:b6:00:00:01\n port pcam1 pcam2"),
	       MSGS("t.conf:6:13: unexpected 'pcam2'"));
	expect("port twice", DEV(" mac 44:19:b6:00:00:01\n port pcam1\n port pcam2"),
	       MSGS("t.conf:7:2: duplicate 'port' in device d (first at line 6)"));
	expect("port twice, same name", DEV(" mac 44:19:b6:00:00:01\n port pcam1\n port pcam1"),
	       MSGS("t.conf:7:2: duplicate 'port' in device d (first at line 6)"));
	expect("port names of 15 characters, dots, digits are fine",
	       DEV(" mac 44:19:b6:00:00:01\n port abcdefghijklmno"), NONE);
	expect("a numeric port name is an interface name",
	       DEV(" mac 44:19:b6:00:00:01\n port 80"), NONE);
	expect("unknown device statement", DEV(" mac 44:19:b6:00:00:01\n vlan 20"),
	       MSGS("t.conf:6:2: unknown device statement 'vlan' (expected mac, ip, profile, mode or port)"));
	expect("dashes and upper case in a MAC are fine",
	       DEV(" mac 44-19-B6-0A-Bc-01"), NONE);
}

static void test_address_limit(void)
{
	char text[2048], *p = text;
	struct cf_config cfg;
	struct cf_diags d;
	int i;

	p += sprintf(p, "profile p {\n}\ndevice d {\nmac 02:00:00:00:00:01\nprofile p\n");
	for (i = 1; i <= CAMFENCE_MAX_DEVICE_ADDRS + 1; i++)
		p += sprintf(p, "ip 10.0.0.%d\n", i);
	p += sprintf(p, "}\n");
	cf_config_init(&cfg);
	cf_diags_init(&d);
	cf_config_parse_buffer("t.conf", text, strlen(text), NULL, &cfg, &d, 0);
	ok(same_diags(&d, MSGS("t.conf:22:1: too many addresses for device d (max 16)")) &&
	   cfg.ndevices == 0, "16 addresses per device, the 17th is an error (device dropped)");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static void test_validation(void)
{
	expect("duplicate zone name",
	       "zone z {\n vlan 1\n}\nzone z {\n vlan 2\n}\n",
	       MSGS("t.conf:4:1: duplicate zone name z (first defined at t.conf:1)"));
	expect("VLAN in two zones",
	       "zone a {\n vlan 20\n}\nzone b {\n vlan 30\n vlan 20\n}\n",
	       MSGS("t.conf:4:1: duplicate VLAN 20 (first in zone a at t.conf:1)"));
	expect("VLAN twice in one zone", "zone a {\n vlan 20\n vlan 20\n}\n",
	       MSGS("t.conf:1:1: duplicate VLAN 20 (first in zone a at t.conf:1)"));
	expect("interface in two zones",
	       "zone a {\n interface eth2\n}\nzone b {\n interface eth2\n}\n",
	       MSGS("t.conf:4:1: duplicate interface eth2 (first in zone a at t.conf:1)"));
	expect("duplicate profile name", "profile p {\n}\nprofile p {\n}\n",
	       MSGS("t.conf:3:1: duplicate profile name p (first defined at t.conf:1)"));
	expect("duplicate device name",
	       "profile p {\n}\ndevice d {\n mac 02:00:00:00:00:01\n profile p\n}\n"
	       "device d {\n mac 02:00:00:00:00:02\n profile p\n}\n",
	       MSGS("t.conf:7:1: duplicate device name d (first defined at t.conf:3)"));
	expect("duplicate MAC",
	       "profile p {\n}\ndevice lobby-1 {\n mac 44:19:b6:00:00:01\n profile p\n}\n"
	       "device lobby-2 {\n mac 44:19:B6:00:00:01\n profile p\n}\n",
	       MSGS("t.conf:7:1: duplicate MAC 44:19:b6:00:00:01 (first used by device lobby-1 at t.conf:3)"));
	expect("IPv4 address bound to two devices",
	       "profile p {\n}\ndevice a {\n mac 02:00:00:00:00:01\n ip 10.0.0.1\n profile p\n}\n"
	       "device b {\n mac 02:00:00:00:00:02\n ip 10.0.0.2\n ip 10.0.0.1\n profile p\n}\n",
	       MSGS("t.conf:8:1: duplicate address 10.0.0.1 (first bound to device a at t.conf:3)"));
	expect("IPv6 address bound to two devices (other spelling)",
	       "profile p {\n}\ndevice a {\n mac 02:00:00:00:00:01\n ip fd00::11\n profile p\n}\n"
	       "device b {\n mac 02:00:00:00:00:02\n ip FD00:0::0:11\n profile p\n}\n",
	       MSGS("t.conf:8:1: duplicate address fd00::11 (first bound to device a at t.conf:3)"));
	expect("same bytes as IPv4 and IPv6 are different addresses",
	       "profile p {\n}\ndevice a {\n mac 02:00:00:00:00:01\n ip 10.0.0.1\n profile p\n}\n"
	       "device b {\n mac 02:00:00:00:00:02\n ip a00:1::\n profile p\n}\n", NONE);
	expect("unknown profile",
	       "device cam {\n mac 02:00:00:00:00:01\n profile nvr\n}\n",
	       MSGS("t.conf:1:1: device cam uses unknown profile nvr"));
	expect("device without a profile",
	       "device cam {\n mac 02:00:00:00:00:01\n}\n",
	       MSGS("t.conf:1:1: device cam has no profile"));
	expect("device without a MAC",
	       "profile p {\n}\ndevice cam {\n profile p\n}\n",
	       MSGS("t.conf:3:1: device cam has no MAC"));
	expect("names of different kinds may be equal",
	       "zone x {\n vlan 1\n}\nprofile x {\n}\ndevice x {\n mac 02:00:00:00:00:01\n profile x\n}\n",
	       NONE);
	expect("profile defined after the device is fine",
	       "device cam {\n mac 02:00:00:00:00:01\n profile late\n}\nprofile late {\n}\n", NONE);
}

/* Replace every '@' in tmpl by path. */
static char *subst(const char *tmpl, const char *path)
{
	size_t n = strlen(tmpl) + 1, pl = strlen(path);
	const char *s;
	char *out, *o;

	for (s = tmpl; *s; s++)
		if (*s == '@')
			n += pl;
	out = o = malloc(n);
	for (s = tmpl; *s; s++) {
		if (*s == '@') {
			memcpy(o, path, pl);
			o += pl;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/* cf_config_validate on a configuration changed after parsing. */
static void test_validate_api(void)
{
	static const char text[] =
		"zone z {\n vlan 1\n unknown monitor\n}\n"
		"profile p {\n allow to any tcp 80\n}\n"
		"device d {\n mac 02:00:00:00:00:01\n ip 10.0.0.1\n profile p\n}\n";
	struct cf_config cfg;
	struct cf_diags d;
	int n, i;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, strlen(text), NULL, &cfg, &d, 0);
	ok(n == 0 && cfg.nzones == 1 && cfg.zones[0].unknown == CAMFENCE_ACTION_MONITOR,
	   "unknown monitor");
	if (n || cfg.nzones != 1 || cfg.ndevices != 1 || cfg.nprofiles != 1)
		goto out;
	/* fill the arrays with distinct values, then claim one more */
	for (i = 0; i < CAMFENCE_MAX_ZONE_VLANS; i++)
		cfg.zones[0].vlans[i] = (uint16_t)(i + 1);
	for (i = 0; i < CAMFENCE_MAX_ZONE_IFS; i++)
		snprintf(cfg.zones[0].ifnames[i], CF_CFG_IFNAME_MAX, "e%d", i);
	for (i = 0; i < CAMFENCE_MAX_DEVICE_ADDRS; i++) {
		cfg.devices[0].addrs[i].family = AF_INET;
		cfg.devices[0].addrs[i].addr[0] = 10;
		cfg.devices[0].addrs[i].addr[3] = (uint8_t)(i + 1);
	}
	cfg.zones[0].nvlans = CAMFENCE_MAX_ZONE_VLANS + 1;
	cfg.zones[0].nifs = CAMFENCE_MAX_ZONE_IFS + 1;
	cfg.profiles[0].rules[0].nports = CAMFENCE_MAX_PORT_RANGES + 1;
	cfg.devices[0].naddrs = CAMFENCE_MAX_DEVICE_ADDRS + 1;
	n = cf_config_validate(&cfg, &d);
	ok(same_diags(&d, MSGS(
		"t.conf:1:1: too many VLANs in zone z (max 64)",
		"t.conf:1:1: too many interfaces in zone z (max 16)",
		"t.conf:6:2: too many port ranges (max 32)",
		"t.conf:8:1: too many addresses for device d (max 16)")) && n == 4,
	   "cf_config_validate checks the limits of a hand-made configuration");
	cf_diags_free(&d);
	cfg.zones[0].nvlans = 1;
	cfg.zones[0].nifs = 0;
	cfg.profiles[0].rules[0].nports = 1;
	cfg.devices[0].naddrs = 1;
	strcpy(cfg.devices[0].profile, "q");
	n = cf_config_validate(&cfg, &d);
	ok(n == 1 && same_diags(&d, MSGS("t.conf:8:1: device d uses unknown profile q")),
	   "cf_config_validate sees a renamed profile");
out:
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

/* define NAME = ..., $NAME in rules; several profiles per device. */
static void test_define_and_combined(void)
{
	static const char text[] =
		"define nvr = 10.20.0.5, fd00:20::/64\n"
		"define all = $nvr,any\n"
		"profile a {\n allow from $nvr tcp 554\n allow to 10.0.0.1 udp 53\n}\n"
		"profile b {\n allow to 10.0.0.1 udp 53\n allow to $all\n}\n"
		"device d {\n mac 02:00:00:00:00:01\n profile a, b\n}\n"
		"device e {\n mac 02:00:00:00:00:02\n profile a+b\n}\n"
		"device f {\n mac 02:00:00:00:00:03\n profile b,a\n}\n";
	const struct cf_cfg_profile *ab, *ba;
	struct cf_config cfg;
	struct cf_diags d;
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, strlen(text), NULL, &cfg, &d, 0);
	ok(n == 0 && d.count == 0, "defines and combined profiles parse");
	ok(cfg.nprofiles == 4 && cfg.profiles[0].nrules == 3 &&
	   cfg.profiles[1].nrules == 4,
	   "a and b as written, then a.b and b.a; $nvr is 2 rules, $all 3");
	if (cfg.nprofiles != 4 || cfg.profiles[0].nrules != 3 ||
	    cfg.profiles[1].nrules != 4)
		goto out;
	ok(rule_is(&cfg.profiles[0].rules[0], CAMFENCE_DIR_FROM, AF_INET, "10.20.0.5", 32, 6, "554-554") &&
	   rule_is(&cfg.profiles[0].rules[1], CAMFENCE_DIR_FROM, AF_INET6, "fd00:20::", 64, 6, "554-554") &&
	   rule_is(&cfg.profiles[1].rules[3], CAMFENCE_DIR_TO, 0, NULL, 0, 0, ""),
	   "$nvr expands in the order of its list, a nested $nvr and any too");
	ab = cf_config_find_profile(&cfg, "a.b");
	ba = cf_config_find_profile(&cfg, "b.a");
	ok(ab && ab->combined && !strcmp(ab->combo, "a+b") && ab->nrules == 6 &&
	   ba && ba->combined && ba->nrules == 6 && !cfg.profiles[0].combined,
	   "a.b and b.a: the union, the rule of both once (3 + 4 - 1)");
	ok(ab && rule_is(&ab->rules[2], CAMFENCE_DIR_TO, AF_INET, "10.0.0.1", 32, 17, "53-53") &&
	   rule_is(&ab->rules[3], CAMFENCE_DIR_TO, AF_INET, "10.20.0.5", 32, 0, "") &&
	   ba && rule_is(&ba->rules[0], CAMFENCE_DIR_TO, AF_INET, "10.0.0.1", 32, 17, "53-53"),
	   "the union keeps the order of the list");
	ok(!strcmp(cfg.devices[0].profile, "a.b") && !strcmp(cfg.devices[0].combo, "a+b") &&
	   !strcmp(cfg.devices[1].profile, "a.b") && !strcmp(cfg.devices[2].profile, "b.a") &&
	   !strcmp(cfg.devices[2].combo, "b+a"),
	   "the devices name the combined profile, their list kept in combo");
	n = cf_config_validate(&cfg, &d);
	ok(n == 0 && cfg.nprofiles == 4, "validating again adds nothing");
out:
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

/* Errors of several kinds in one file: all reported, in order. */
static void test_many_errors(void)
{
	static const char *const tmpl[] = {
		"@:2:6: invalid mode 'enforcing' (expected enforce or monitor)",
		"@:5:10: invalid VLAN ID '5000' (expected 1-4094)",
		"@:6:13: invalid action 'reject' (expected drop, monitor or allow)",
		"@:10:14: prefix 10.20.0.5/24 has host bits set (did you mean 10.20.0.0/24?)",
		"@:11:28: invalid port range '7299-7200' (start is greater than end)",
		"@:12:27: icmp does not match IPv6 peer fd00:20::/64 (use icmpv6)",
		"@:16:9: invalid MAC '44:19:b6:00:01' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
		"@:18:5: unknown device statement 'vlan' (expected mac, ip, profile, mode or port)",
		"@:27:1: missing '}' before 'device' (device garage-2 opened at @:21)",
		"@:27:1: duplicate MAC 3c:ef:8c:00:00:02 (first used by device garage-2 at @:21)",
		"@:27:1: duplicate address 10.20.0.12 (first bound to device garage-2 at @:21)",
		"@:27:1: device yard-3 uses unknown profile nvr-onyl (did you mean nvr-only?)",
		NULL
	};
	const char *want[sizeof(tmpl) / sizeof(tmpl[0])];
	char path[PATH_MAX];
	struct cf_config cfg;
	struct cf_diags d;
	int n, i;

	data("many-errors.conf", path);
	for (i = 0; tmpl[i]; i++)
		want[i] = subst(tmpl[i], path);
	want[i] = NULL;
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(path, &cfg, &d, 0);
	ok(n == 12 && same_diags(&d, want),
	   "many-errors.conf: all 12 errors, in order (parse errors, then cross-checks)");
	ok(cfg.ndevices == 2 && !strcmp(cfg.devices[0].name, "garage-2") &&
	   !strcmp(cfg.devices[1].name, "yard-3") && cfg.nprofiles == 1 &&
	   cfg.profiles[0].nrules == 0 && cfg.nzones == 1 &&
	   cfg.zones[0].unknown == CAMFENCE_ACTION_DROP,
	   "many-errors.conf: a device with errors is dropped, the others kept");
	for (i = 0; want[i]; i++)
		free((char *)want[i]);
	cf_config_free(&cfg);
	cf_diags_free(&d);

	/* the same with a limit of 5 kept messages: the rest only counted */
	cf_config_init(&cfg);
	cf_diags_init(&d);
	d.limit = 5;
	n = cf_config_parse_file(path, &cfg, &d, 0);
	for (i = 0; i < 5; i++)
		want[i] = subst(tmpl[i], path);
	want[5] = NULL;
	ok(n == 12 && d.more == 7 && same_diags(&d, want),
	   "cf_diags.limit 5: 12 errors, the first 5 kept, 7 more counted");
	for (i = 0; want[i]; i++)
		free((char *)want[i]);
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static void test_includes(void)
{
	char path[PATH_MAX];
	struct cf_config cfg;
	struct cf_diags d;
	int n;

	/* inc/main.conf -> sub/zones.conf -> ../profiles.conf, and devices.csv */
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("inc/main.conf", path), &cfg, &d, 0);
	ok(n == 0 && same_diags(&d, NONE), "includes relative to the including file load");
	ok(cfg.nzones == 1 && cfg.nprofiles == 1 && cfg.ndevices == 2 &&
	   !strcmp(cfg.zones[0].name, "cams") && !strcmp(cfg.profiles[0].name, "cam") &&
	   !strcmp(cfg.devices[0].name, "cam-1") && !strcmp(cfg.devices[1].name, "cam-2"),
	   "included zone, profile, devices (config and CSV)");
	ok(cfg.nfiles == 4 && ends(cfg.files[0], "inc/main.conf") &&
	   ends(cfg.files[1], "inc/sub/zones.conf") &&
	   ends(cfg.files[2], "inc/sub/../profiles.conf") &&
	   ends(cfg.files[3], "inc/devices.csv"),
	   "cfg->files lists every file read, main first (%d)", cfg.nfiles);
	ok(cfg.ndevices == 2 && ends(cfg.devices[1].loc.file, "inc/devices.csv") &&
	   cfg.devices[1].loc.line == 2 && cfg.zones[0].loc.line == 2 &&
	   ends(cfg.zones[0].loc.file, "inc/sub/zones.conf"),
	   "locations name the included files");
	cf_config_free(&cfg);
	cf_diags_free(&d);

	/* the same through a buffer and a base directory */
	cf_config_init(&cfg);
	cf_diags_init(&d);
	snprintf(path, sizeof(path), "%s/inc", datadir);
	n = cf_config_parse_buffer("buf", "include \"sub/zones.conf\"\n", 24, path,
				   &cfg, &d, 0);
	ok(n == 0 && cfg.nzones == 1 && cfg.nprofiles == 1 && cfg.nfiles == 3 &&
	   !strcmp(cfg.files[0], "buf"), "buffer with a base directory for includes");
	cf_config_free(&cfg);
	cf_diags_free(&d);

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("cycle-a.conf", path), &cfg, &d, 0);
	{
		char w1[PATH_MAX * 5], a[PATH_MAX], b[PATH_MAX];

		data("cycle-a.conf", a);
		data("cycle-b.conf", b);
		snprintf(w1, sizeof(w1),
			 "%s:2:1: include cycle: %s -> %s -> %s\n%s:1: included here",
			 b, a, b, a, a);
		ok(n == 1 && same_diags(&d, MSGS(w1)), "include cycle a -> b -> a is reported");
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("self.conf", path), &cfg, &d, 0);
	{
		char w1[PATH_MAX * 2 + 100];

		snprintf(w1, sizeof(w1), "%s:1:1: include cycle: %s -> %s",
			 path, path, path);
		ok(n == 1 && same_diags(&d, MSGS(w1)) && cfg.nzones == 1,
		   "a file including itself is a cycle; the rest still loads");
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("deep/d0.conf", path), &cfg, &d, 0);
	{
		char w1[PATH_MAX * 10], p8[PATH_MAX], name[32];
		int k, len;

		len = snprintf(w1, sizeof(w1), "%s:1:1: include nesting too deep (max 8 levels)",
			       data("deep/d8.conf", p8));
		/* the chain, innermost first: d7.conf:1 included d8 ... */
		for (k = 7; k >= 0; k--) {
			snprintf(name, sizeof(name), "deep/d%d.conf", k);
			len += snprintf(w1 + len, sizeof(w1) - len, "\n%s:1: included here",
					data(name, p8));
		}
		ok(n == 1 && same_diags(&d, MSGS(w1)) && cfg.nfiles == 9 &&
		   cfg.nzones == 9, "8 levels of includes load, the 9th is an error");
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("missing-include.conf", path), &cfg, &d, 0);
	{
		char w1[PATH_MAX * 2 + 100], m[PATH_MAX];

		snprintf(w1, sizeof(w1),
			 "%s:2:1: cannot read '%s': No such file or directory",
			 path, data("does-not-exist.conf", m));
		ok(n == 1 && same_diags(&d, MSGS(w1)) && cfg.nfiles == 1,
		   "a missing include is an error naming the include line");
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("no-such-file.conf", path), &cfg, &d, 0);
	{
		char w1[PATH_MAX + 100];

		snprintf(w1, sizeof(w1), "cannot read '%s': No such file or directory",
			 path);
		ok(n == 1 && same_diags(&d, MSGS(w1)) && cfg.nfiles == 0,
		   "a missing main file is an error");
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(datadir, &cfg, &d, 0);
	ok(n == 1 && d.count == 1 && strstr(d.msgs[0], "not a regular file"),
	   "a directory is not a config file");
	cf_config_free(&cfg);
	cf_diags_free(&d);

	/* duplicates across an included CSV name both files */
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_file(data("dup-csv.conf", path), &cfg, &d, 0);
	{
		char w1[PATH_MAX * 2 + 200], w2[PATH_MAX * 2 + 200], c[PATH_MAX];

		data("dup.csv", c);
		snprintf(w1, sizeof(w1),
			 "%s:3:1: duplicate MAC 44:19:b6:00:00:01 (first used by device lobby-1 at %s:4)\n"
			 "%s:8: included here", c, path, path);
		snprintf(w2, sizeof(w2),
			 "%s:4:1: device ghost uses unknown profile nope\n%s:8: included here",
			 c, path);
		ok(n == 2 && same_diags(&d, MSGS(w1, w2)),
		   "duplicate MAC between config and CSV names both places and the include");
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static int rules_equal(const struct cf_cfg_rule *a, const struct cf_cfg_rule *b)
{
	int i;

	if (a->dir != b->dir || a->family != b->family ||
	    a->prefixlen != b->prefixlen || a->proto != b->proto ||
	    a->nports != b->nports || memcmp(a->peer, b->peer, 16))
		return 0;
	for (i = 0; i < a->nports; i++)
		if (a->ports[i].lo != b->ports[i].lo ||
		    a->ports[i].hi != b->ports[i].hi)
			return 0;
	return 1;
}

/* parse -> cf_format_rule -> parse gives the same rules */
/* "did you mean": keywords, values and profile names close to a typo. */
static void test_did_you_mean(void)
{
	static const char *const words[] = { "zone", "profile", "device" };

	expect("top-level typo", "zome z {\n vlan 5\n}\n",
	       MSGS("t.conf:1:1: unknown statement 'zome' (did you mean zone?)",
		    "t.conf:2:2: unknown statement 'vlan'",
		    "t.conf:3:1: unexpected '}' (no block is open)"));
	expect("top-level typo of include", "inclued \"x.conf\"\n",
	       MSGS("t.conf:1:1: unknown statement 'inclued' (did you mean include?)"));
	expect("nothing close: no suggestion", "frobnicate\n",
	       MSGS("t.conf:1:1: unknown statement 'frobnicate'"));
	expect("zone statement typo", "zone z {\n valn 5\n vlan 6\n}\n",
	       MSGS("t.conf:2:2: unknown zone statement 'valn' (did you mean vlan?)"));
	expect("zone statement: nothing close", "zone z {\n ip 10.0.0.1\n vlan 6\n}\n",
	       MSGS("t.conf:2:2: unknown zone statement 'ip' (expected vlan, interface or unknown)"));
	expect("unknown action typo", "zone z {\n vlan 5\n unknown dorp\n}\n",
	       MSGS("t.conf:3:10: invalid action 'dorp' (did you mean drop?)"));
	expect("mode typo", "mode monitr\n",
	       MSGS("t.conf:1:6: invalid mode 'monitr' (did you mean monitor?)"));
	expect("mode in another case", "mode Enforce\n",
	       MSGS("t.conf:1:6: invalid mode 'Enforce' (did you mean enforce?)"));
	expect("profile statement typo", P(" alow to any"),
	       MSGS("t.conf:2:2: unknown profile statement 'alow' (did you mean allow?)"));
	expect("direction typo", P(" allow form any"),
	       MSGS("t.conf:2:8: invalid direction 'form' (did you mean from?)"));
	expect("protocol typo", P(" allow to any tpc 80"),
	       MSGS("t.conf:2:15: invalid protocol 'tpc' (did you mean tcp?)"));
	expect("protocol typo: icmp6", P(" allow to any icmp6"),
	       MSGS("t.conf:2:15: invalid protocol 'icmp6' (did you mean icmpv6?)"));
	expect("device statement typo", DEV(" mca 44:19:b6:00:00:01"),
	       MSGS("t.conf:5:2: unknown device statement 'mca' (did you mean mac?)"));
	expect("device statement typo: profiel", "device d {\n mac 44:19:b6:00:00:01\n profiel p\n}\n",
	       MSGS("t.conf:3:2: unknown device statement 'profiel' (did you mean profile?)"));
	expect("unknown profile: the closest name",
	       "profile nvr-only {\n}\nprofile nvr-full {\n}\n"
	       "device d {\n mac 44:19:b6:00:00:01\n profile nvr-olny\n}\n"
	       "device e {\n mac 44:19:b6:00:00:02\n profile NVR-Full\n}\n"
	       "device f {\n mac 44:19:b6:00:00:03\n profile cameras\n}\n",
	       MSGS("t.conf:5:1: device d uses unknown profile nvr-olny (did you mean nvr-only?)",
		    "t.conf:9:1: device e uses unknown profile NVR-Full (did you mean nvr-full?)",
		    "t.conf:13:1: device f uses unknown profile cameras"));
	ok(cf_did_you_mean("zon", words, 3) && !strcmp(cf_did_you_mean("zon", words, 3), "zone") &&
	   !strcmp(cf_did_you_mean("devise", words, 3), "device") &&
	   !strcmp(cf_did_you_mean("PROFILE", words, 3), "profile") &&
	   cf_did_you_mean("zone", words, 3) == NULL &&
	   cf_did_you_mean("z", words, 3) == NULL &&
	   cf_did_you_mean("dvc", words, 3) == NULL &&
	   cf_did_you_mean("", words, 3) == NULL,
	   "cf_did_you_mean: distance 1 up to 4 characters, 2 beyond, case ignored");
}

/* What Windows editors and exports write: BOM, CR-only line ends, UTF-16. */
static void test_encodings(void)
{
	expect("UTF-8 BOM: ignored, columns count from after it",
	       "\xef\xbb\xbfmode monitor\nfrobnicate\n",
	       MSGS("t.conf:2:1: unknown statement 'frobnicate'"));
	expect("UTF-8 BOM then an error on line 1: column after the BOM",
	       "\xef\xbb\xbfmode sometimes\n",
	       MSGS("t.conf:1:6: invalid mode 'sometimes' (expected enforce or monitor)"));
	expect("CR-only line ends (old Mac exports)",
	       "mode monitor\rzone z {\r vlan 5\r vlan 5000\r}\r",
	       MSGS("t.conf:4:7: invalid VLAN ID '5000' (expected 1-4094)"));
	expect("LF, CRLF and CR mixed",
	       "mode monitor\r\nzone z {\n vlan 5\r vlan x\r\n}\n",
	       MSGS("t.conf:4:7: invalid VLAN ID 'x' (expected 1-4094)"));
	expect("a BOM in the middle is not one",
	       "mode monitor\n\xef\xbb\xbfzone z {\n}\n",
	       MSGS("t.conf:2:1: unknown statement '\xef\xbb\xbfzone'",
		    "t.conf:3:1: unexpected '}' (no block is open)"));
	expect_len("UTF-16 config", "\xff\xfem\0o\0d\0e\0", 10,
		   MSGS("t.conf:1:1: UTF-16 text is not supported (save the file as UTF-8)"));
}

static void test_mac_formats(void)
{
	static const struct {
		const char *text;
		int rc;
		const char *mac;
	} cases[] = {
		{ "44:19:b6:00:00:0d", 0, "44:19:b6:00:00:0d" },
		{ "44-19-B6-00-00-0D", 0, "44:19:b6:00:00:0d" },
		{ "4419.b600.000d", 0, "44:19:b6:00:00:0d" },
		{ "4419.B600.000D", 0, "44:19:b6:00:00:0d" },
		{ "4419b600000d", 0, "44:19:b6:00:00:0d" },
		{ "4419B600000D", 0, "44:19:b6:00:00:0d" },
		{ "0100.5e00.00fb", CF_MAC_EMULTICAST, NULL },
		{ "000000000000", CF_MAC_EZERO, NULL },
		{ "4419.b600.000", CF_MAC_ESYNTAX, NULL },
		{ "4419:b600:000d", CF_MAC_ESYNTAX, NULL },
		{ "44.19b6.00000d", CF_MAC_ESYNTAX, NULL },
		{ "4419b600000g", CF_MAC_ESYNTAX, NULL },
		{ "4419b600000d0", CF_MAC_ESYNTAX, NULL },
		{ "4419b60000d", CF_MAC_ESYNTAX, NULL },
		{ "", CF_MAC_ESYNTAX, NULL },
	};
	size_t i;
	int good = 1;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t mac[6];
		char m[20];
		int rc = cf_parse_mac(cases[i].text, mac);

		if (rc != cases[i].rc ||
		    (cases[i].mac && strcmp(cf_format_mac(mac, m, sizeof(m)), cases[i].mac))) {
			printf("#   '%s': rc %d, expected %d\n", cases[i].text, rc, cases[i].rc);
			good = 0;
		}
	}
	ok(good, "cf_parse_mac: colons, dashes, Cisco dots, bare hex, errors");
	expect("Cisco and bare-hex MACs in a device block",
	       "profile p {\n}\ndevice a {\n mac 4419.b600.000d\n profile p\n}\n"
	       "device b {\n mac 4419b600000d\n profile p\n}\n",
	       MSGS("t.conf:7:1: duplicate MAC 44:19:b6:00:00:0d (first used by device a at t.conf:3)"));
}

/* The include chain of an error: each include statement, innermost first. */
static void test_include_chain(void)
{
	char dir[] = "/tmp/cf-test-chain.XXXXXX", p[PATH_MAX], w[3][PATH_MAX * 4];
	struct cf_config cfg;
	struct cf_diags d;
	FILE *f;
	int n;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof(p), "%s/site.conf", dir);
	f = fopen(p, "w");
	fputs("profile nvr-only {\n}\ninclude \"cams/lobby.conf\"\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/cams", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/cams/lobby.conf", dir);
	f = fopen(p, "w");
	fputs("# lobby cameras\ninclude \"lobby.csv\"\nzone z {\n vlan 0\n}\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/cams/lobby.csv", dir);
	f = fopen(p, "w");
	fputs("name;mac;profile\nlobby-1;4419.b600.000z;nvr-only\nlobby-2;4419b6000002;nvr-olny\n", f);
	fclose(f);

	snprintf(w[0], sizeof(w[0]),
		 "%s/cams/lobby.csv:2:9: invalid MAC '4419.b600.000z' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)\n"
		 "%s/cams/lobby.conf:2: included here\n"
		 "%s/site.conf:3: included here", dir, dir, dir);
	snprintf(w[1], sizeof(w[1]),
		 "%s/cams/lobby.conf:4:7: invalid VLAN ID '0' (expected 1-4094)\n"
		 "%s/site.conf:3: included here", dir, dir);
	snprintf(w[2], sizeof(w[2]),
		 "%s/cams/lobby.csv:3:1: device lobby-2 uses unknown profile nvr-olny (did you mean nvr-only?)\n"
		 "%s/cams/lobby.conf:2: included here\n"
		 "%s/site.conf:3: included here", dir, dir, dir);
	cf_config_init(&cfg);
	cf_diags_init(&d);
	snprintf(p, sizeof(p), "%s/site.conf", dir);
	n = cf_config_parse_file(p, &cfg, &d, 0);
	ok(n == 3 && same_diags(&d, MSGS(w[0], w[1], w[2])) && d.cfg == NULL,
	   "errors in included files name the include chain (parse and cross-check errors)");
	cf_config_free(&cfg);
	cf_diags_free(&d);

	snprintf(p, sizeof(p), "%s/cams/lobby.csv", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/cams/lobby.conf", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/cams", dir);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/site.conf", dir);
	unlink(p);
	rmdir(dir);
}

/* Any IP protocol, by name (netbase's keywords), number or proto-N. */
static void test_protocols(void)
{
	static const struct {
		const char *word;
		int num;
	} cases[] = {
		{ "any", 0 }, { "0", 0 }, { "icmp", 1 }, { "igmp", 2 },
		{ "ipencap", 4 }, { "tcp", 6 }, { "udp", 17 }, { "dccp", 33 },
		{ "ipv6", 41 }, { "rsvp", 46 }, { "gre", 47 }, { "esp", 50 },
		{ "ah", 51 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 }, { "58", 58 },
		{ "eigrp", 88 }, { "ospf", 89 }, { "ax.25", 93 }, { "ipip", 94 },
		{ "pim", 103 }, { "vrrp", 112 }, { "l2tp", 115 }, { "sctp", 132 },
		{ "udplite", 136 }, { "ethernet", 143 }, { "47", 47 },
		{ "047", 47 }, { "253", 253 }, { "255", 255 }, { "proto-47", 47 },
		{ "proto-200", 200 },
	};
	char text[128], b[16];
	size_t i;
	int good = 1, p;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cf_config cfg;
		struct cf_diags d;
		int n;

		snprintf(text, sizeof(text), "profile p {\n allow to any %s\n}\n",
			 cases[i].word);
		cf_config_init(&cfg);
		cf_diags_init(&d);
		n = cf_config_parse_buffer("t.conf", text, strlen(text), NULL,
					   &cfg, &d, 0);
		if (n || cfg.nprofiles != 1 || cfg.profiles[0].nrules != 1 ||
		    cfg.profiles[0].rules[0].proto != cases[i].num) {
			printf("#   '%s': %d errors, expected protocol %d\n",
			       cases[i].word, n, cases[i].num);
			good = 0;
		}
		cf_config_free(&cfg);
		cf_diags_free(&d);
	}
	ok(good, "protocols by name, alias, number and proto-N");
	ok(!strcmp(cf_proto_name(0), "any") && !strcmp(cf_proto_name(47), "gre") &&
	   !strcmp(cf_proto_name(58), "icmpv6") && !strcmp(cf_proto_name(132), "sctp") &&
	   cf_proto_name(253) == NULL && cf_proto_name(256) == NULL &&
	   !strcmp(cf_format_proto(50, b, sizeof(b)), "esp") &&
	   !strcmp(cf_format_proto(253, b, sizeof(b)), "253"),
	   "cf_proto_name, cf_format_proto");
	/* every protocol prints to something that parses back to it */
	for (p = 0; p <= 255; p++) {
		struct cf_cfg_rule r;
		struct cf_config cfg;
		struct cf_diags d;
		char line[128];
		int n;

		memset(&r, 0, sizeof(r));
		r.dir = CAMFENCE_DIR_TO;
		r.proto = p;
		cf_format_rule(&r, line, sizeof(line));
		snprintf(text, sizeof(text), "profile p {\n%s\n}\n", line);
		cf_config_init(&cfg);
		cf_diags_init(&d);
		n = cf_config_parse_buffer("t.conf", text, strlen(text), NULL,
					   &cfg, &d, 0);
		if (n || cfg.nprofiles != 1 || cfg.profiles[0].nrules != 1 ||
		    cfg.profiles[0].rules[0].proto != p) {
			printf("#   protocol %d: '%s' does not parse back\n", p, line);
			good = 0;
		}
		cf_config_free(&cfg);
		cf_diags_free(&d);
	}
	ok(good, "protocols 0-255: format -> parse round trip");
}

#define NRT 16	/* rules in the round trip source */

static void test_format_roundtrip(void)
{
	static const char src[] =
		"profile p {\n"
		" allow from 10.20.0.5 tcp 554,80,8000\n"
		" allow to 10.20.0.5 tcp 7200-7299\n"
		" allow to 10.20.0.1 udp 53,123\n"
		" allow to fd00:20::1 udp 123\n"
		" allow from 10.99.0.0/24 icmp\n"
		" allow to any\n"
		" allow from any any\n"
		" allow to 0.0.0.0/0 udp 1-65535\n"
		" allow to ::/0 icmpv6\n"
		" allow from 2001:db8::/32\n"
		" allow to 192.168.1.128/25 tcp 80-80,443\n"
		" allow to ::ffff:10.0.0.1 udp 5000\n"
		" allow to 10.20.0.1 gre\n"
		" allow from any 132\n"
		" allow to fd00::/8 proto-253\n"
		" allow to any ipv6-icmp\n"
		"}\n";
	static const char *const want[] = {
		"allow from 10.20.0.5 tcp 554,80,8000",
		"allow to 10.20.0.5 tcp 7200-7299",
		"allow to 10.20.0.1 udp 53,123",
		"allow to fd00:20::1 udp 123",
		"allow from 10.99.0.0/24 icmp",
		"allow to any",
		"allow from any",
		"allow to 0.0.0.0/0 udp 1-65535",
		"allow to ::/0 icmpv6",
		"allow from 2001:db8::/32",
		"allow to 192.168.1.128/25 tcp 80,443",
		"allow to ::ffff:10.0.0.1 udp 5000",
		"allow to 10.20.0.1 gre",
		"allow from any sctp",
		"allow to fd00::/8 253",
		"allow to any icmpv6",
	};
	struct cf_config a, b;
	struct cf_diags d;
	char text[4096], line[256], *p = text;
	int i, good = 1, n;

	cf_config_init(&a);
	cf_config_init(&b);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("a.conf", src, strlen(src), NULL, &a, &d, 0);
	ok(n == 0 && a.nprofiles == 1 && a.profiles[0].nrules == NRT,
	   "round trip: source parses (%d rules)", a.nprofiles ? a.profiles[0].nrules : -1);
	if (n || a.nprofiles != 1 || a.profiles[0].nrules != NRT)
		goto out;
	p += sprintf(p, "profile p {\n");
	for (i = 0; i < NRT; i++) {
		cf_format_rule(&a.profiles[0].rules[i], line, sizeof(line));
		if (strcmp(line, want[i])) {
			printf("#   rule %d: '%s', expected '%s'\n", i + 1, line, want[i]);
			good = 0;
		}
		p += sprintf(p, "%s\n", line);
	}
	p += sprintf(p, "}\n");
	ok(good, "cf_format_rule prints config syntax");
	n = cf_config_parse_buffer("b.conf", text, strlen(text), NULL, &b, &d, 0);
	good = n == 0 && b.nprofiles == 1 && b.profiles[0].nrules == NRT;
	for (i = 0; good && i < NRT; i++)
		good = rules_equal(&a.profiles[0].rules[i], &b.profiles[0].rules[i]);
	ok(good, "parse -> format -> parse gives the same rules");
	{
		struct cf_cfg_rule r = a.profiles[0].rules[0];
		struct cf_config c;

		r.proto = 47;		/* GRE, with tcp's ports left over */
		cf_format_rule(&r, line, sizeof(line));
		ok(!strcmp(line, "allow from 10.20.0.5 gre"),
		   "gre by name, ports only printed for tcp and udp ('%s')", line);
		r.proto = 300;		/* no IP protocol */
		cf_format_rule(&r, line, sizeof(line));
		cf_config_init(&c);
		snprintf(text, sizeof(text), "profile p {\n%s\n}\n", line);
		n = cf_config_parse_buffer("c.conf", text, strlen(text), NULL,
					   &c, &d, 0);
		ok(!strcmp(line, "allow from 10.20.0.5 # protocol 300") && n == 0 &&
		   c.nprofiles == 1 && c.profiles[0].nrules == 1 &&
		   c.profiles[0].rules[0].proto == 0 && c.profiles[0].rules[0].nports == 0,
		   "a value outside 0-255 prints as any plus a comment, and parses ('%s')",
		   line);
		cf_config_free(&c);
	}
	/* a truncating buffer stays terminated */
	cf_format_rule(&a.profiles[0].rules[0], line, 12);
	ok(!strcmp(line, "allow from "), "cf_format_rule truncates safely ('%s')", line);
out:
	cf_config_free(&a);
	cf_config_free(&b);
	cf_diags_free(&d);
}

static void test_helpers(void)
{
	uint8_t mac[6], v4[4] = { 10, 0, 0, 0 }, v6[16] = { 0xfd, 0 };
	struct cf_cfg_addr a;
	char b[64];

	ok(cf_parse_mac("3C-EF-8C-00-00-02", mac) == 0 &&
	   !strcmp(cf_format_mac(mac, b, sizeof(b)), "3c:ef:8c:00:00:02"),
	   "cf_parse_mac: dashes, upper case");
	ok(cf_parse_mac("3c:ef:8c:00:00:02:", mac) == CF_MAC_ESYNTAX &&
	   cf_parse_mac("", mac) == CF_MAC_ESYNTAX &&
	   cf_parse_mac("3c:ef:8c:00:00:2", mac) == CF_MAC_ESYNTAX &&
	   cf_parse_mac("33:33:00:00:00:01", mac) == CF_MAC_EMULTICAST &&
	   cf_parse_mac("00-00-00-00-00-00", mac) == CF_MAC_EZERO,
	   "cf_parse_mac: errors");
	ok(cf_valid_name("a") && cf_valid_name("Cam_1.lobby-2") &&
	   !cf_valid_name("") && !cf_valid_name("a b") && !cf_valid_name("é"),
	   "cf_valid_name");
	ok(cf_valid_ifname("eth0.20") && cf_valid_ifname("br-cams") &&
	   !cf_valid_ifname(".") && !cf_valid_ifname("..") &&
	   !cf_valid_ifname("a/b") && !cf_valid_ifname(""), "cf_valid_ifname");
	ok(cf_parse_addr("10.1.2.3", &a) == 0 && a.family == AF_INET &&
	   cf_parse_addr("::1", &a) == 0 && a.family == AF_INET6 &&
	   cf_parse_addr("10.1.2", &a) == -1 && cf_parse_addr("fe80::1%eth0", &a) == -1,
	   "cf_parse_addr");
	ok(cf_parse_mode("enforce") == CAMFENCE_MODE_ENFORCE &&
	   cf_parse_mode("monitor") == CAMFENCE_MODE_MONITOR &&
	   cf_parse_mode("Monitor") == -1, "cf_parse_mode");
	ok(!strcmp(cf_format_prefix(AF_INET, v4, 8, b, sizeof(b)), "10.0.0.0/8") &&
	   !strcmp(cf_format_prefix(AF_INET6, v6, 8, b, sizeof(b)), "fd00::/8") &&
	   !strcmp(cf_format_prefix(AF_INET6, v6, 128, b, sizeof(b)), "fd00::") &&
	   !strcmp(cf_format_prefix(0, v6, 0, b, sizeof(b)), "any"),
	   "cf_format_prefix");
	ok(!strcmp(cf_mode_name(CAMFENCE_MODE_DEFAULT), "default") &&
	   !strcmp(cf_mode_name(CAMFENCE_MODE_MONITOR), "monitor") &&
	   !strcmp(cf_action_name(CAMFENCE_ACTION_ALLOW), "allow") &&
	   !strcmp(cf_action_name(CAMFENCE_ACTION_DROP), "drop") &&
	   !strcmp(cf_proto_name(58), "icmpv6") && !strcmp(cf_proto_name(6), "tcp") &&
	   !strcmp(cf_reason_name(CAMFENCE_REASON_SPOOFED), "spoofed") &&
	   !strcmp(cf_reason_name(CAMFENCE_REASON_NO_RULE), "no-rule") &&
	   !strcmp(cf_reason_name(99), "unknown"), "enum names");
}

/* Long lines: a 1 MiB comment, a 100 KiB word (the message quotes 48 chars). */
static void test_long_lines(void)
{
	size_t big = 1 << 20, i;
	char *text = malloc(big + 200000), *p = text;
	struct cf_config cfg;
	struct cf_diags d;
	int n;

	p += sprintf(p, "# ");
	memset(p, 'x', big);
	p += big;
	p += sprintf(p, "\nzone ");
	for (i = 0; i < 100000; i++)
		*p++ = 'a' + (char)(i % 26);
	p += sprintf(p, " {\n}\nmode monitor\n");
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, (size_t)(p - text), NULL,
				   &cfg, &d, 0);
	ok(n == 1 && same_diags(&d, MSGS("t.conf:2:6: invalid zone name 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuv...' (expected 1-32 characters of A-Z a-z 0-9 . _ -)")) &&
	   cfg.mode == CAMFENCE_MODE_MONITOR, "long lines: parsed, message truncated");
	cf_config_free(&cfg);
	cf_diags_free(&d);
	free(text);
}

/* Everything in the buffer is bounded by len, not by a NUL. */
static void test_unterminated_buffer(void)
{
	static const char text[] = "mode monitorXXXX";
	struct cf_config cfg;
	struct cf_diags d;
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("t.conf", text, 12, NULL, &cfg, &d, 0);
	ok(n == 0 && cfg.mode == CAMFENCE_MODE_MONITOR,
	   "the buffer length is respected (no NUL needed)");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

int main(int argc, char **argv)
{
	(void)argc;
	find_data(argv[0]);
	test_issue_example();
	test_top_errors();
	test_block_errors();
	test_zone_errors();
	test_zone_limits();
	test_rule_errors();
	test_port_limit();
	test_device_errors();
	test_address_limit();
	test_validation();
	test_validate_api();
	test_define_and_combined();
	test_many_errors();
	test_includes();
	test_did_you_mean();
	test_encodings();
	test_mac_formats();
	test_include_chain();
	test_protocols();
	test_format_roundtrip();
	test_helpers();
	test_long_lines();
	test_unterminated_buffer();
	printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
