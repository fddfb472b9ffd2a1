// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the CSV device list parser (lib/csv.c): the quirks of real
 * inventory exports (BOM, CRLF and CR line ends, spaces, quotes, ';' and
 * tab separators, columns in any order, optional and unknown columns,
 * Cisco and bare-hex MACs) and every error with its exact
 * "FILE:LINE:COL: message".
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
	   v->loc.line == 4 && v->loc.col == 3 && !strcmp(v->loc.file, "d.csv"),
	   "spaces trimmed, quoted \"a;b\" address list, empty mode = default, line 4 col 3");
	v = &cfg.devices[1];
	ok(!strcmp(v->name, "cam-2") &&
	   !strcmp(cf_format_mac(v->mac, m, sizeof(m)), "3c:ef:8c:00:00:02") &&
	   v->naddrs == 1 && ip_is(&v->addrs[0], AF_INET, "10.20.0.12") &&
	   !strcmp(v->profile, "nvr") && v->mode == CAMFENCE_MODE_MONITOR &&
	   v->loc.line == 5, "quoted name and profile, dashed upper-case MAC, monitor");
	v = &cfg.devices[2];
	ok(!strcmp(v->name, "cam-3") && v->naddrs == 0 &&
	   v->mode == CAMFENCE_MODE_DEFAULT && v->loc.line == 6,
	   "no addresses, mode field left out");
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

/* A real export: ';' (a German Excel), other column names and order,
 * columns camfence ignores, Cisco and bare-hex MACs, CR line ends. */
static void test_real_export(void)
{
	static const char text[] =
		"\xef\xbb\xbf" "Location;MAC Address;Device Name;Model;IP Address;Profile\r"
		"Lobby;4419.B600.000D;lobby-1;DS-2CD2143;10.20.0.11, 10.20.0.21;nvr-only\r"
		"Garage;3cef8c000002;garage-2;IPC-HDW;10.20.0.12 fd00:20::12;nvr-only\r"
		";;;;;\r"
		"Yard;44-19-b6-00-00-03;yard-3;;;nvr-only\r";
	struct cf_config cfg;
	struct cf_diags d;
	const struct cf_cfg_device *v;
	char m[20];
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_csv_parse_buffer("export.csv", text, sizeof(text) - 1, &cfg, &d);
	ok(n == 0 && same_diags(&d, NONE) && cfg.ndevices == 3,
	   "';' export with BOM and CR line ends: 3 devices (%d), the empty row skipped",
	   cfg.ndevices);
	if (cfg.ndevices != 3)
		goto out;
	v = &cfg.devices[0];
	ok(!strcmp(v->name, "lobby-1") &&
	   !strcmp(cf_format_mac(v->mac, m, sizeof(m)), "44:19:b6:00:00:0d") &&
	   v->naddrs == 2 && ip_is(&v->addrs[1], AF_INET, "10.20.0.21") &&
	   !strcmp(v->profile, "nvr-only") && v->loc.line == 2 && v->loc.col == 22,
	   "columns by name in any order, Cisco MAC, addresses separated by ', ', name at col 22");
	v = &cfg.devices[1];
	ok(!strcmp(v->name, "garage-2") &&
	   !strcmp(cf_format_mac(v->mac, m, sizeof(m)), "3c:ef:8c:00:00:02") &&
	   v->naddrs == 2 && ip_is(&v->addrs[1], AF_INET6, "fd00:20::12") &&
	   v->loc.line == 3, "bare-hex MAC, addresses separated by a space");
	v = &cfg.devices[2];
	ok(!strcmp(v->name, "yard-3") && v->naddrs == 0 && v->loc.line == 5,
	   "empty ignored column and empty addresses");
out:
	cf_config_free(&cfg);
	cf_diags_free(&d);

	expect("tab separated: a space is part of a field, a leading tab an empty field",
	       "name\tmac\tprofile\ncam 1\t02:00:00:00:00:01\tp\n\tcam-2 \t02:00:00:00:00:02\tp\n", 0,
	       MSGS("d.csv:2:1: invalid device name 'cam 1' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		    "d.csv:3:27: too many fields: 4, the header has 3"));
	expect("tab separated: fields are trimmed of spaces only",
	       "name\tmac\tprofile\n cam-1 \t 02:00:00:00:00:01 \tp\n", 1, NONE);
	expect("';' with quoted ';' address list",
	       "name;mac;ips;profile\ncam;02:00:00:00:00:01;\"10.0.0.1;10.0.0.2\";p\n", 1, NONE);
	expect("mixed line ends: LF, CRLF, CR",
	       "name,mac,profile\na,02:00:00:00:00:01,p\r\nb,02:00:00:00:00:02,p\rc,02:00:00:00:00:zz,p\n", 2,
	       MSGS("d.csv:4:3: invalid MAC '02:00:00:00:00:zz' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("only name, mac and profile",
	       "profile,mac,name\np,02:00:00:00:00:01,cam\n", 1, NONE);
	expect("header aliases: device, macaddr, ip, hostname is a name too",
	       "Device,MACADDR,IP,Profile,Mode\ncam,02:00:00:00:00:01,10.0.0.1,p,monitor\n", 1, NONE);
	expect("Cisco MAC with a wrong group",
	       "name,mac,profile\ncam,4419.b600.00d,p\ncam2,4419b600000,p\ncam3,4419.b600.000g,p\n", 0,
	       MSGS("d.csv:2:5: invalid MAC '4419.b600.00d' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
		    "d.csv:3:6: invalid MAC '4419b600000' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
		    "d.csv:4:6: invalid MAC '4419.b600.000g' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("bare-hex multicast MAC",
	       "name,mac,profile\ncam,01005e0000fb,p\n", 0,
	       MSGS("d.csv:2:5: MAC 01:00:5e:00:00:fb is a multicast address (a device needs a unicast MAC)"));
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
	       1, MSGS("d.csv:5:7: invalid MAC 'zz' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("unknown columns are ignored",
	       "name,vendor,mac,model,profile,notes\ncam,Hikvision,02:00:00:00:00:01,DS-2CD,p,\"door, left\"\n",
	       1, NONE);
	expect("a misspelled required column: did you mean",
	       "name,mac,ips,profle,mode\ncam,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:1:14: unknown column 'profle' (did you mean profile?)"));
	expect("a misspelled MAC column",
	       "Name;MAC Adress;Profile\ncam;02:00:00:00:00:01;p\n", 0,
	       MSGS("d.csv:1:6: unknown column 'MAC Adress' (did you mean mac?)"));
	expect("header with a missing column",
	       "name,mac,ips\ncam,02:00:00:00:00:01,\n", 0,
	       MSGS("d.csv:1:1: missing column profile (required: name, mac and profile; ips, mode and bridge port are optional)"));
	expect("header with two missing columns",
	       "name,location\ncam,x\n", 0,
	       MSGS("d.csv:1:1: missing columns mac, profile (required: name, mac and profile; ips, mode and bridge port are optional)"));
	expect("duplicate column",
	       "name,mac,profile,MAC Address\ncam,02:00:00:00:00:01,p,02:00:00:00:00:02\n", 0,
	       MSGS("d.csv:1:18: duplicate column 'MAC Address' (mac, as column 2)"));
	expect("no header: a device line first",
	       "cam,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:1:1: invalid header 'cam,02:00:00:00:00:01,,p,' (expected column names: name, mac and profile; ips, mode and bridge port are optional)"));
	expect("empty file", "", 0,
	       MSGS("d.csv:1:1: missing header (expected column names: name, mac and profile; ips, mode and bridge port are optional)"));
	expect("only a BOM and comments", "\xef\xbb\xbf# nothing\n\n", 0,
	       MSGS("d.csv:1:1: missing header (expected column names: name, mac and profile; ips, mode and bridge port are optional)"));
	expect_len("UTF-16 export", "\xff\xfen\0a\0m\0e\0", 10, 0,
		   MSGS("d.csv:1:1: UTF-16 text is not supported (save the list as CSV UTF-8)"));
	expect("header only: no devices, no error", "name,mac,ips,profile,mode\r\n", 0,
	       NONE);
	expect("control character in the header", "name,mac,\x01profile\ncam,02:00:00:00:00:01,p\n", 0,
	       MSGS("d.csv:1:10: invalid character 0x01"));
}

#define H "name,mac,ips,profile,mode\n"

static void test_errors(void)
{
	expect("too few fields", H "cam,02:00:00:00:00:01,10.0.0.1\n", 0,
	       MSGS("d.csv:2:1: too few fields: 3, the header has 5 (no profile)"));
	expect("missing optional fields at the end are empty",
	       "name,mac,profile,ips,mode\ncam,02:00:00:00:00:01,p\n", 1, NONE);
	expect("too many fields", H "cam,02:00:00:00:00:01,,p,,x\n", 0,
	       MSGS("d.csv:2:27: too many fields: 6, the header has 5"));
	expect("empty fields beyond the header are fine", H "cam,02:00:00:00:00:01,,p,,,\n", 1, NONE);
	expect("an empty row is skipped", H ",,,,\n , ,,, \n", 0, NONE);
	expect("invalid device name", H "front door,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:1: invalid device name 'front door' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("empty device name", H ",02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:1: invalid device name '' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("comma inside quotes stays in the field",
	       H "\"cam,1\",02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:1: invalid device name 'cam,1' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("doubled quote inside quotes",
	       H "\"a\"\"b\",02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:1: invalid device name 'a\"b' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("invalid MAC", H "cam,02:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:5: invalid MAC '02:00:00:00:01' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)"));
	expect("multicast MAC", H "cam,01:00:5e:00:00:fb,,p,\n", 0,
	       MSGS("d.csv:2:5: MAC 01:00:5e:00:00:fb is a multicast address (a device needs a unicast MAC)"));
	expect("zero MAC", H "cam,000000000000,,p,\n", 0,
	       MSGS("d.csv:2:5: MAC 00:00:00:00:00:00 is not valid"));
	expect("invalid address", H "cam,02:00:00:00:00:01,10.0.0.1;10.0.0.999,p,\n", 0,
	       MSGS("d.csv:2:32: invalid address '10.0.0.999' (expected an IPv4 or IPv6 address)"));
	expect("invalid address in a quoted field: its column",
	       H "cam,02:00:00:00:00:01,\"10.0.0.1, 10.0.0.999\",p,\n", 0,
	       MSGS("d.csv:2:34: invalid address '10.0.0.999' (expected an IPv4 or IPv6 address)"));
	expect("multicast address", H "cam,02:00:00:00:00:01,10.0.0.1;224.0.0.251,p,\n", 0,
	       MSGS("d.csv:2:32: address 224.0.0.251 is not a unicast address"));
	expect("addresses separated by ',' inside quotes",
	       H "cam,02:00:00:00:00:01,\"10.0.0.1,10.0.0.2\",p,\n", 1, NONE);
	expect("invalid profile name", H "cam,02:00:00:00:00:01,,nvr only,\n", 0,
	       MSGS("d.csv:2:24: invalid profile name 'nvr only' (expected 1-32 characters of A-Z a-z 0-9 . _ -)"));
	expect("invalid mode", H "cam,02:00:00:00:00:01,,p,off\n", 0,
	       MSGS("d.csv:2:26: invalid mode 'off' (expected enforce, monitor or empty)"));
	expect("invalid mode: did you mean", H "cam,02:00:00:00:00:01,,p,Monitoring\ncam2,02:00:00:00:00:02,,p,enforec\n", 0,
	       MSGS("d.csv:2:26: invalid mode 'Monitoring' (expected enforce, monitor or empty)",
		    "d.csv:3:27: invalid mode 'enforec' (did you mean enforce?)"));
	expect("several errors in one line, all reported",
	       H "cam!,02:00:00:00:00,1.2.3,p p,x\n", 0,
	       MSGS("d.csv:2:1: invalid device name 'cam!' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		    "d.csv:2:6: invalid MAC '02:00:00:00:00' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
		    "d.csv:2:21: invalid address '1.2.3' (expected an IPv4 or IPv6 address)",
		    "d.csv:2:27: invalid profile name 'p p' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		    "d.csv:2:31: invalid mode 'x' (expected enforce, monitor or empty)"));
	expect("unterminated quoted field", H "cam,\"02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:5: unterminated quoted field 2"));
	expect("text after a closing quote", H "\"cam\"x,02:00:00:00:00:01,,p,\n", 0,
	       MSGS("d.csv:2:6: unexpected character after quoted field 1"));
	expect("control character", H "cam,02:00:00:00:00:01,\x01,p,\n", 0,
	       MSGS("d.csv:2:23: invalid character 0x01"));
	expect("errors on several lines, good lines kept",
	       H "a,02:00:00:00:00:01,,p,\nb,02:00:00:00:00:0x,,p,\nc,02:00:00:00:00:03,,p,\nd,02:00:00:00:00:04,,p,maybe\n",
	       2, MSGS("d.csv:3:3: invalid MAC '02:00:00:00:00:0x' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
		       "d.csv:5:24: invalid mode 'maybe' (expected enforce, monitor or empty)"));
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
	       MSGS("d.csv:2:174: too many addresses for device cam (max 16)"));
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
		"x.csv:2:1: device a uses unknown profile p",
		"x.csv:3:1: duplicate MAC 02:00:00:00:00:01 (first used by device a at x.csv:2)",
		"x.csv:3:1: device b uses unknown profile p",
		"x.csv:4:1: duplicate address 10.0.0.1 (first bound to device a at x.csv:2)",
		"x.csv:4:1: device c uses unknown profile p",
		"x.csv:5:1: duplicate device name a (first defined at x.csv:2)",
		"x.csv:5:1: device a uses unknown profile p",
		"x.csv:6:1: device e has no profile")),
	   "cross-checks on a CSV: duplicates, unknown and missing profiles");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

/* The optional "bridge port" column (the device's configured port);
 * a column named "port" alone is an inventory's switch port: ignored. */
static void test_bridge_port(void)
{
	static const char text[] =
		"name,mac,profile,Bridge Port,port\n"
		"nvr,00:11:32:00:00:05,p,pnvr,Gi1/0/1\n"
		"cam,44:19:b6:00:00:01,p,,Gi1/0/2\n"
		"bad,44:19:b6:00:00:02,p,eth0/1,Gi1/0/3\n"
		"long,44:19:b6:00:00:03,p,abcdefghijklmnop,\n";
	struct cf_config cfg;
	struct cf_diags d;
	int n;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_csv_parse_buffer("d.csv", text, sizeof(text) - 1, &cfg, &d);
	ok(n == 2 && same_diags(&d, MSGS(
		"d.csv:4:25: invalid interface name 'eth0/1' (expected 1-15 characters, no '/', ':' or spaces)",
		"d.csv:5:26: invalid interface name 'abcdefghijklmnop' (expected 1-15 characters, no '/', ':' or spaces)")),
	   "bridge port column: invalid names with their columns");
	ok(cfg.ndevices == 2 && !strcmp(cfg.devices[0].port, "pnvr") &&
	   !cfg.devices[1].port[0],
	   "bridge port column: set, empty = none; 'port' is ignored");
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

int main(void)
{
	test_bridge_port();
	test_quirks();
	test_real_export();
	test_header();
	test_errors();
	test_limits();
	test_validation();
	printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
