// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of lib/vendor.c and lib/draft.c: the IEEE registry reader
 * (fixture registry in tests/data/ieee: malformed lines skipped and
 * counted), longest assignment first, the U/L bit, the camera-maker list
 * and its errors, the draft device list (exact text, names that would
 * collide), and the reader of a saved "camfencectl -j unknown".
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "tap.h"
#include "vendor.h"
#include "draft.h"

static void mac(const char *s, uint8_t m[6])
{
	if (cf_parse_mac(s, m))
		abort();
}

static const char *lookup(struct cf_vendor_db *db, const char *s, struct cf_vendor *v)
{
	uint8_t m[6];

	mac(s, m);
	cf_vendor_lookup(db, m, v);
	return cf_vendor_name(v);
}

static char *draft(const struct cf_unknown *u, size_t n, struct cf_vendor_db *db, int *count)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*count = cf_draft_csv(f, u, n, db);
	fclose(f);
	return buf;
}

int main(void)
{
	struct cf_vendor_db db;
	struct cf_vendor v;
	struct cf_unknown u[4];
	struct cf_unknown *uv;
	size_t nu;
	char err[256], *out;
	int n, bad = -1, count;
	static const char reg[] = "Registry,Assignment,Organization Name,Organization Address\n"
		"MA-L,4419B6,\"Hangzhou Hikvision Digital Technology Co.,Ltd.\",\"x\"\n";

	cf_vendor_db_init(&db);
	n = cf_vendor_parse_registry(&db, reg, strlen(reg), &bad);
	ok(n == 1 && bad == 0, "registry buffer: 1 assignment, 0 bad (got %d, %d)", n, bad);
	cf_vendor_db_free(&db);

	cf_vendor_db_init(&db);
	n = cf_vendor_load_dir(&db, "tests/data/ieee");
	ok(n == 3, "fixture registry: 3 files read (got %d)", n);
	ok(db.nouis == 9, "fixture registry: 9 assignments, the 5 malformed lines skipped (got %zu)", db.nouis);
	{
		size_t len;
		char *buf = cf_read_file("tests/data/ieee/oui.csv", &len);
		struct cf_vendor_db d2;

		cf_vendor_db_init(&d2);
		n = cf_vendor_parse_registry(&d2, buf, len, &bad);
		ok(n == 7 && bad == 5, "oui.csv: 7 good, 5 bad lines (got %d, %d)", n, bad);
		cf_vendor_db_free(&d2);
		free(buf);
	}

	ok(!strcmp(lookup(&db, "44:19:b6:00:00:01", &v), "Hangzhou Hikvision Digital Technology Co.,Ltd.") &&
	   !strcmp(v.registry, "MA-L") && !strcmp(v.assignment, "4419B6") && !v.camera,
	   "MA-L lookup, no camera list yet");
	ok(!strcmp(lookup(&db, "70:b3:d5:f2:f0:01", &v), "TELEPLATFORMS") &&
	   !strcmp(v.registry, "MA-S") && !strcmp(v.assignment, "70B3D5F2F"),
	   "MA-S (36 bits) wins over MA-M and MA-L");
	ok(!strcmp(lookup(&db, "70:b3:d5:f3:00:01", &v), "Some \"Quoted\" MA-M Org") &&
	   !strcmp(v.registry, "MA-M") && !strcmp(v.assignment, "70B3D5F"),
	   "MA-M (28 bits) wins over MA-L; quotes unescaped");
	ok(!strcmp(lookup(&db, "70:b3:d5:00:00:01", &v), "IEEE Registration Authority") &&
	   !strcmp(v.registry, "MA-L"), "MA-L when no longer assignment matches");
	ok(!strcmp(lookup(&db, "00:11:22:33:44:55", &v), "unregistered") &&
	   v.kind == CF_MAC_UNREGISTERED && !v.org, "unregistered universal MAC");
	ok(!strcmp(lookup(&db, "46:19:b6:00:00:01", &v), "randomised") && v.kind == CF_MAC_RANDOM,
	   "U/L bit, AAI quadrant (x6 reserved too): randomised, not Hikvision");
	ok(!strcmp(lookup(&db, "02:00:00:00:00:99", &v), "randomised"), "x2: randomised");
	ok(!strcmp(lookup(&db, "0a:00:00:00:00:01", &v), "locally administered") &&
	   v.kind == CF_MAC_LOCAL, "xA (ELI): locally administered");
	ok(!strcmp(lookup(&db, "fe:00:00:00:00:01", &v), "locally administered"),
	   "xE (SAI): locally administered");

	/* camera list */
	ok(cf_vendor_parse_cameras(&db, "a | b | c\n", strlen("a | b | c\n"), err, sizeof(err)) == -1 &&
	   !strcmp(err, "1: expected 4 fields 'MATCH | FAMILY | PROFILE | SOURCE', got 3"),
	   "camera list: 3 fields refused (%s)", err);
	ok(cf_vendor_parse_cameras(&db, "#c\n\na | b | bad name | s\n", strlen("#c\n\na | b | bad name | s\n"), err, sizeof(err)) == -1 &&
	   !strcmp(err, "3: invalid profile name 'bad name'"), "camera list: bad profile name (%s)", err);
	ok(cf_vendor_parse_cameras(&db, " | b | p | s\n", strlen(" | b | p | s\n"), err, sizeof(err)) == -1 &&
	   !strcmp(err, "1: empty field"), "camera list: empty match (%s)", err);
	ok(db.ncams == 0, "nothing kept from refused lines");
	n = cf_vendor_load_cameras(&db, "tests/data/camera-vendors.list", err, sizeof(err));
	ok(n == 3, "camera list fixture: 3 entries (got %d)", n);
	lookup(&db, "44:19:b6:00:00:01", &v);
	ok(v.camera && !strcmp(v.camera->family, "Hikvision") && !strcmp(v.camera->profile, "hikvision"),
	   "Hikvision MAC is a camera vendor");
	lookup(&db, "00:1c:44:00:00:01", &v);
	ok(!v.camera && !strcmp(v.org, "Bosch Security Systems BV"), "Bosch not in this list: no camera mark");
	ok(cf_vendor_load_cameras(&db, "tests/data/nonexistent.list", err, sizeof(err)) == -1 &&
	   !strcmp(err, "tests/data/nonexistent.list: No such file or directory"), "missing list: %s", err);

	/* draft */
	memset(u, 0, sizeof(u));
	mac("00:00:01:aa:bb:cc", u[0].mac);
	strcpy(u[0].zone, "cameras");
	u[0].family = AF_INET;
	memcpy(u[0].addr, "\x0a\x14\x00\x63", 4);
	mac("3c:ef:8c:00:00:07", u[1].mac);
	strcpy(u[1].zone, "cameras");
	mac("3c:ef:8c:00:00:07", u[2].mac);	/* same MAC in a second zone, with an address */
	strcpy(u[2].zone, "lab");
	u[2].family = AF_INET;
	memcpy(u[2].addr, "\x0a\x15\x00\x07", 4);
	mac("3c:ef:8d:00:00:07", u[3].mac);	/* unregistered, same suffix */
	strcpy(u[3].zone, "cameras");
	out = draft(u, 4, &db, &count);
	ok(count == 3, "draft: 3 devices (got %d)", count);
	ok(!strcmp(out,
		   "# camfence draft device list: review every line, then include it\n"
		   "# from camfence.conf (include \"FILE.csv\") and run camfencectl check.\n"
		   "name,mac,ips,profile,mode,vendor,zone\n"
		   "# 00:00:01:aa:bb:cc: XEROX CORPORATION is not a known camera maker: review the profile\n"
		   "xerox-aabbcc,00:00:01:aa:bb:cc,10.20.0.99,generic-onvif,monitor,\"XEROX CORPORATION\",cameras\n"
		   "dahua-000007,3c:ef:8c:00:00:07,10.21.0.7,dahua,monitor,\"Zhejiang Dahua Technology Co., Ltd.\",lab\n"
		   "# 3c:ef:8d:00:00:07: unregistered is not a known camera maker: review the profile\n"
		   "# 3c:ef:8d:00:00:07: no address seen yet: add ips before enforcing\n"
		   "device-000007,3c:ef:8d:00:00:07,,generic-onvif,monitor,,cameras\n"),
	   "draft: exact text");
	if (count != 3)
		printf("%s", out);
	free(out);
	{
		char nm[40];

		lookup(&db, "44:19:b6:00:00:01", &v);
		ok(!strcmp(cf_draft_name(&v, (const uint8_t *)"\x44\x19\xb6\x00\x00\x01", 4, nm, sizeof(nm)),
			   "hikvision-b6000001"), "draft name with 4 octets: %s", nm);
	}
	/* two Hikvision cameras whose last three octets agree get 4 */
	memset(u, 0, sizeof(u));
	mac("44:19:b6:00:00:01", u[0].mac);
	mac("44:19:b7:00:00:01", u[1].mac);	/* unregistered */
	mac("c0:56:e3:00:00:01", u[2].mac);	/* Hikvision again */
	out = draft(u, 3, &db, &count);
	ok(count == 3 && strstr(out, "\nhikvision-000001,44:19:b6:00:00:01,") &&
	   strstr(out, "\ndevice-000001,44:19:b7:00:00:01,") &&
	   strstr(out, "\nhikvision-e3000001,c0:56:e3:00:00:01,"),
	   "colliding names get a fourth octet, different brands do not collide");
	free(out);

	/* reader of camfencectl -j unknown */
	{
		static const char good[] = "{\"unknown\":[{\"mac\":\"44:19:b6:00:00:07\",\"vendor\":\"x\","
			"\"camera_vendor\":true,\"zone\":\"cameras\",\"vlan\":20,\"ifname\":\"eth1.20\","
			"\"address\":\"10.20.0.17\",\"first_seen\":1,\"last_seen\":2,\"packets\":12}]}\n";

		ok(cf_unknown_from_json(good, strlen(good), &uv, &nu, err, sizeof(err)) == 0 && nu == 1 &&
		   uv[0].vlan == 20 && uv[0].packets == 12 && uv[0].family == AF_INET &&
		   !strcmp(uv[0].zone, "cameras"), "unknown JSON read");
		free(uv);
		ok(cf_unknown_from_json("{\"unknown\":[{\"mac\":\"zz\"}]}", strlen("{\"unknown\":[{\"mac\":\"zz\"}]}"), &uv, &nu, err, sizeof(err)) == -1 &&
		   !strcmp(err, "unknown[0]: missing or invalid mac"), "bad mac: %s", err);
		ok(cf_unknown_from_json("{\"unknown\":[{\"mac\":\"44:19:b6:00:00:07\",\"vlan\":5000}]}", strlen("{\"unknown\":[{\"mac\":\"44:19:b6:00:00:07\",\"vlan\":5000}]}"),
					&uv, &nu, err, sizeof(err)) == -1 &&
		   !strcmp(err, "unknown[0]: a number is invalid"), "vlan 5000: %s", err);
		ok(cf_unknown_from_json("{\"devices\":[]}", strlen("{\"devices\":[]}"), &uv, &nu, err, sizeof(err)) == -1 &&
		   !strcmp(err, "expected {\"unknown\": [...]} (camfencectl -j unknown)"), "wrong document: %s", err);
		ok(cf_unknown_from_json("{\"unknown\":[] } x", strlen("{\"unknown\":[] } x"), &uv, &nu, err, sizeof(err)) == -1 &&
		   !strncmp(err, "invalid JSON at byte", 20), "trailing text: %s", err);
	}
	cf_vendor_db_free(&db);
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
