// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CSV device list parser (lib/csv.c): the quirks of real
 * inventory exports (BOM, CRLF, spaces, quotes) and every error with its
 * exact "FILE:LINE: message".
 * Output: "ok N - what" / "not ok N - what"; exit 1 if anything failed.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "tap.h"

/* cf_csv_parse_buffer on "d.csv": exact messages and device count. */
static void expect_len(const char *what, const char *text, size_t len,
		       int ndev, const char *const *want)
{
	struct cf_config cfg;
	struct cf_diags d;
	int n, nwant = 0;

	while (want[nwant])
		nwant++;
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_csv_parse_buffer("d.csv", text, len, &cfg, &d);
	if (cfg.ndevices != ndev)
		printf("#   %d devices, expected %d\n", cfg.ndevices, ndev);
	ok(same_diags(&d, want) && n == nwant && cfg.ndevices == ndev, "%s", what);
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static void expect(const char *what, const char *text, int ndev,
		   const char *const *want)
{
	expect_len(what, text, strlen(text), ndev, want);
}

static int ip_is(const struct cf_cfg_addr *a, int family, const char *text)
{
	uint8_t b[16] = { 0 };

	return a->family == family && inet_pton(family, text, b) == 1 &&
	       !memcmp(a->addr, b, 16);
}

static void test_quirks(void)
{
	static const char text[] =
		"\xef\xbb\xbfname, mac ,ips,profile,mode\r\n"
		"# exported by the asset inventory\r\n"
		"\r\n"
		"  cam-1 , 44:19:b6:00:00:01 , \"10.20.0.11;fd00:20::11\" , nvr , \r\n"
		"\"cam-2\",3C-EF-8C-00-00-02,10.20.0.12,\"nvr\",monitor\r\n"
		"cam-3,44:19:b6:00:00:03,,nvr\r\n"
		"\tcam-4\t,44:19:b6:00:00:04, 10.20.0.14 ; 10.20.0.15 ;,nvr,enforce";
	struct cf_config cfg;
	struct cf_diags d;
	const struct cf_cfg_device *v;
	char m[20];
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_csv_parse_buffer("d.csv", text, sizeof(text) - 1, &cfg, &d);
	ok(n == 0 && same_diags(&d, NONE) && cfg.ndevices == 4,
	   "BOM, CRLF, comment and blank lines, spaces, quotes: 4 devices (%d)",
	   cfg.ndevices);
	if (cfg.ndevices != 4)
		goto out;
	v = &cfg.devices[0];
	ok(!strcmp(v->name, "cam-1") &&
	   !strcmp(cf_format_mac(v->mac, m, sizeof(m)), "44:19:b6:00:00:01") &&
	   v->naddrs == 2 && ip_is(&v->addrs[0], AF_INET, "10.20.0.11") &&
	   ip_is(&v->addrs[1], AF_INET6, "fd00:20::11") &&
	   !strcmp(v->profile, "nvr") && v->mode == CAMFENCE_MODE_DEFAULT &&
	   v->loc.line == 4 && v->loc.col == 0 && !strcmp(v->loc.file, "d.csv"),
	   "spaces trimmed, quoted \"a;b\" address list, empty mode = default, line 4");
	v = &cfg.devices[1];
	ok(!strcmp(v->name, "cam-2") &&
	   !strcmp(cf_format_mac(v->mac, m, sizeof(m)), "3c:ef:8c:00:00:02") &&
	   v->naddrs == 1 && ip_is(&v->addrs[0], AF_INET, "10.20.0.12") &&
	   !strcmp(v->profile, "nvr") && v->mode == CAMFENCE_MODE_MONITOR &&
	   v->loc.line == 5, "quoted name and profile, dashed upper-case MAC, monitor");
	v = &cfg.devices[2];
	ok(!strcmp(v->name, "cam-3") && v->naddrs == 0 &&
	   v->mode == CAMFENCE_MODE_DEFAULT && v->loc.line == 6,
	   "no addresses, mode column left out");
	v = &cfg.devices[3];
	ok(!strcmp(v->name, "cam-4") && v->naddrs == 2 &&
	   ip_is(&v->addrs[1], AF_INET, "10.20.0.15") &&
	   v->mode == CAMFENCE_MODE_ENFORCE && v->loc.line == 7,
	   "tabs, spaces around ';', trailing ';', last line without newline");
	ok(cfg.nfiles == 1 && cfg.devices[0].loc.file == cfg.files[0],
	   "the CSV is recorded in cfg->files and locations point there");
out:
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static void test_header(void)
{
	expect("header in another case is accepted",
	       "Name,MAC,IPs,Profile,Mode\ncam,02:00:00:00:00:01,,p,\n", 1, NONE);
	expect("quoted header fields are accepted",
	       "\"name\",\"mac\",\"ips\",\"profile\",\"mode\"\ncam,02:00:00:00:00:01,,p,\n",
	       1, NONE);
	expect("header after comment lines",
	       "# inventory\n\nname,mac,ips,profile,mode\ncam,02:00:00:00:00:01,,p,\ncam-2,zz,,p,\n",
	       1, MSGS("d.csv:5: invalid MAC 'zz' (expected aa:bb:cc:dd:ee:ff)"));
	expect("wrong header column: nothing else is read",
	       "name,mac,ip,profile,mode\ncam,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:1: invalid header 'name,mac,ip,profile,mode' (expected name,mac,ips,profile,mode)"));
	expect("header with a missing column",
	       "name,mac,ips,profile\ncam,02:00:00:00:00:01,,p\n", 0,
	       MSGS("d.csv:1: invalid header 'name,mac,ips,profile' (expected name,mac,ips,profile,mode)"));
	expect("no header: a device line first",
	       "cam,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:1: invalid header 'cam,02:00:00:00:00:01,,p,' (expected name,mac,ips,profile,mode)"));
	expect("empty file", "", 0,
	       MSGS("d.csv:1: missing header (expected name,mac,ips,profile,mode)"));
	expect("only a BOM and comments", "\xef\xbb\xbf# nothing\n\n", 0,
	       MSGS("d.csv:1: missing header (expected name,mac,ips,profile,mode)"));
	expect_len("UTF-16 export", "\xff\xfen\0a\0m\0e\0", 10, 0,
		   MSGS("d.csv:1: UTF-16 text is not supported (save the list as CSV UTF-8)"));
	expect("header only: no devices, no error", "name,mac,ips,profile,mode\r\n", 0,
	       NONE);
}

#define H "name,mac,ips,profile,mode\n"

static void test_errors(void)
{
	expect("too few fields", H "cam,02:00:00:00:00:01,10.0.0.1\n", 0,
	       MSGS("d.csv:2: expected 5 fields (name,mac,ips,profile,mode), found 3"));
	expect("too many fields", H "cam,02:00:00:00:00:01,,p,,x\n", 0,
	       MSGS("d.csv:2: expected 5 fields (name,mac,ips,profile,mode), found 6"));
	expect("invalid device name", H "front door,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: invalid device name 'front door' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("empty device name", H ",02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: invalid device name '' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("comma inside quotes stays in the field",
	       H "\"cam,1\",02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: invalid device name 'cam,1' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("doubled quote inside quotes",
	       H "\"a\"\"b\",02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: invalid device name 'a\"b' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("invalid MAC", H "cam,02:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: invalid MAC '02:00:00:00:01' (expected aa:bb:cc:dd:ee:ff)"));
	expect("multicast MAC", H "cam,01:00:5e:00:00:fb,,p,\n", 0,
	       MSGS("d.csv:2: MAC 01:00:5e:00:00:fb is a multicast address (a device needs a unicast MAC)"));
	expect("zero MAC", H "cam,00:00:00:00:00:00,,p,\n", 0,
	       MSGS("d.csv:2: MAC 00:00:00:00:00:00 is not valid"));
	expect("invalid address", H "cam,02:00:00:00:00:01,10.0.0.1;10.0.0.999,p,\n", 0,
	       MSGS("d.csv:2: invalid address '10.0.0.999' (expected an IPv4 or IPv6 address)"));
	expect("multicast address", H "cam,02:00:00:00:00:01,10.0.0.1;224.0.0.251,p,\n", 0,
	       MSGS("d.csv:2: address 224.0.0.251 is not a unicast address"));
	expect("addresses separated by ',' inside quotes",
	       H "cam,02:00:00:00:00:01,\"10.0.0.1,10.0.0.2\",p,\n", 0,
	       MSGS("d.csv:2: invalid address '10.0.0.1,10.0.0.2' (expected an IPv4 or IPv6 address)"));
	expect("invalid profile name", H "cam,02:00:00:00:00:01,,nvr only,\n", 0,
	       MSGS("d.csv:2: invalid profile name 'nvr only' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("invalid mode", H "cam,02:00:00:00:00:01,,p,off\n", 0,
	       MSGS("d.csv:2: invalid mode 'off' (expected enforce, monitor or empty)"));
	expect("several errors in one line, all reported",
	       H "cam!,02:00:00:00:00,1.2.3,p p,x\n", 0,
	       MSGS("d.csv:2: invalid device name 'cam!' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		    "d.csv:2: invalid MAC '02:00:00:00:00' (expected aa:bb:cc:dd:ee:ff)",
		    "d.csv:2: invalid address '1.2.3' (expected an IPv4 or IPv6 address)",
		    "d.csv:2: invalid profile name 'p p' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		    "d.csv:2: invalid mode 'x' (expected enforce, monitor or empty)"));
	expect("unterminated quoted field", H "cam,\"02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: unterminated quoted field 2"));
	expect("text after a closing quote", H "\"cam\"x,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2: unexpected character after quoted field 1"));
	expect("control character", H "cam,02:00:00:00:00:01,\x01,p,\n", 0,
	       MSGS("d.csv:2: invalid character 0x01"));
	expect("errors on several lines, good lines kept",
	       H "a,02:00:00:00:00:01,,p,\nb,02:00:00:00:00:0x,,p,\nc,02:00:00:00:00:03,,p,\nd,02:00:00:00:00:04,,p,maybe\n",
	       2, MSGS("d.csv:3: invalid MAC '02:00:00:00:00:0x' (expected aa:bb:cc:dd:ee:ff)",
		       "d.csv:5: invalid mode 'maybe' (expected enforce, monitor or empty)"));
}

static void test_limits(void)
{
	char text[1024], *p = text;
	int i;

	p += sprintf(p, H "cam,02:00:00:00:00:01,");
	for (i = 1; i <= CAMFENCE_MAX_DEVICE_ADDRS; i++)
		p += sprintf(p, "%s10.0.0.%d", i > 1 ? ";" : "", i);
	p += sprintf(p, ",p,\n");
	expect("16 addresses are fine", text, 1, NONE);
	p -= 4;
	p += sprintf(p, ";10.0.0.17,p,\n");
	expect("17 addresses are too many", text, 0,
	       MSGS("d.csv:2: too many addresses for device cam (max 16)"));
}

/* Through cf_config_parse_buffer (a ".csv" name): with the cross-checks. */
static void test_validation(void)
{
	static const char text[] =
		H "a,02:00:00:00:00:01,10.0.0.1,p,\n"
		"b,02:00:00:00:00:01,10.0.0.2,p,\n"
		"c,02:00:00:00:00:03,10.0.0.1,p,\n"
		"a,02:00:00:00:00:04,,p,\n"
		"e,02:00:00:00:00:05,,,\n";
	struct cf_config cfg;
	struct cf_diags d;
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("x.csv", text, strlen(text), NULL, &cfg, &d, 0);
	ok(n == 8 && cfg.ndevices == 5 && same_diags(&d, MSGS(
		"x.csv:2: device a uses unknown profile p",
		"x.csv:3: duplicate MAC 02:00:00:00:00:01 (first used by device a at x.csv:2)",
		"x.csv:3: device b uses unknown profile p",
		"x.csv:4: duplicate address 10.0.0.1 (first bound to device a at x.csv:2)",
		"x.csv:4: device c uses unknown profile p",
		"x.csv:5: duplicate device name a (first defined at x.csv:2)",
		"x.csv:5: device a uses unknown profile p",
		"x.csv:6: device e has no profile")),
	   "cross-checks on a CSV: duplicates, unknown and missing profiles");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

int main(void)
{
	test_quirks();
	test_header();
	test_errors();
	test_limits();
	test_validation();
	printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
