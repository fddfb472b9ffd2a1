// SPDX-License-Identifier: GPL-2.0
/*
 * lib/seal.c: the module's seal parameters, and what a commit does to the
 * VLANs and interfaces it takes out of the zones (re-sealed or OPEN), with
 * the exact lines load, flush and diff print.
 */
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "json.h"
#include "tap.h"

static void parse(const char *text, struct cf_config *cfg)
{
	struct cf_diags d;

	cf_config_init(cfg);
	cf_diags_init(&d);
	if (cf_config_parse_buffer("t.conf", text, strlen(text), NULL, cfg, &d, 0) ||
	    d.count) {
		printf("# parse failed: %s\n", d.count ? d.msgs[0] : "?");
		exit(1);
	}
	cf_diags_free(&d);
}

static char *texts(const struct cf_seal_changes *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cf_seal_print(f, c);
	fclose(f);
	return buf;
}

static char *json(const struct cf_seal_changes *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cf_json j;

	cf_json_begin(&j, f);
	cf_json_obj_open(&j, NULL);
	cf_seal_json(&j, c);
	cf_json_obj_close(&j);
	cf_json_end(&j);
	fclose(f);
	return buf;
}

static const char AB[] =
	"zone a {\n    vlan 20\n    vlan 22\n    interface cam0\n}\n"
	"zone b {\n    vlan 21\n    interface cam1\n}\n";
static const char A[] = "zone a {\n    vlan 20\n}\n";
static const char B2[] = "zone b {\n    vlan 21\n    vlan 22\n    interface cam1\n}\n";

int main(void)
{
	struct cf_config ab, a, b2, empty;
	struct cf_seal_changes c;
	struct cf_lint_env env;
	char buf[512], *s;
	int n;

	cf_seal_parse(&env, "20,21,0,4095,x,22x,", "cam0,,averyveryverylongname,cam9");
	ok(env.nsealed_vlans == 2 && env.sealed_vlans[0] == 20 &&
	   env.sealed_vlans[1] == 21, "parse: VLANs 20, 21 (0, 4095, x, 22x skipped): %d",
	   env.nsealed_vlans);
	ok(env.nsealed_ifs == 2 && !strcmp(env.sealed_ifs[0], "cam0") &&
	   !strcmp(env.sealed_ifs[1], "cam9"), "parse: interfaces cam0, cam9: %d",
	   env.nsealed_ifs);
	cf_seal_parse(&env, NULL, "");
	ok(!env.nsealed_vlans && !env.nsealed_ifs, "parse: nothing");

	parse(AB, &ab);
	parse(A, &a);
	parse(B2, &b2);
	cf_config_init(&empty);
	cf_seal_parse(&env, "20,21", "cam1");

	n = cf_seal_compare(&ab, &a, &env, &c);
	s = texts(&c);
	ok(n == 4 && c.nopen == 2 && !strcmp(s,
		"zone a: VLAN 22 OPEN: not in sealed_vlans/sealed_ifaces\n"
		"zone a: interface cam0 OPEN: not in sealed_vlans/sealed_ifaces\n"
		"zone b (removed): VLAN 21 re-sealed (sealed_vlans)\n"
		"zone b (removed): interface cam1 re-sealed (sealed_ifaces)\n"),
	   "a+b -> a: %d items, %d open", n, c.nopen);
	if (nfailed)
		printf("# got:\n%s", s);
	free(s);
	ok(!strcmp(cf_seal_open_text(&c, buf, sizeof(buf)),
		   "zone a VLAN 22, zone a interface cam0"),
	   "open text: %s", buf);
	s = json(&c);
	ok(!strcmp(s, "{\"seal\":["
		   "{\"zone\":\"a\",\"zone_removed\":false,\"vlan\":22,\"state\":\"open\"},"
		   "{\"zone\":\"a\",\"zone_removed\":false,\"interface\":\"cam0\",\"state\":\"open\"},"
		   "{\"zone\":\"b\",\"zone_removed\":true,\"vlan\":21,\"state\":\"re-sealed\",\"sealed_by\":\"sealed_vlans\"},"
		   "{\"zone\":\"b\",\"zone_removed\":true,\"interface\":\"cam1\",\"state\":\"re-sealed\",\"sealed_by\":\"sealed_ifaces\"}"
		   "],\"would_open\":true}\n"), "json");
	free(s);
	cf_seal_changes_free(&c);

	/* VLAN 22 moves to zone b: covered, no line */
	n = cf_seal_compare(&ab, &b2, &env, &c);
	s = texts(&c);
	ok(n == 2 && c.nopen == 1 && !strcmp(s,
		"zone a (removed): VLAN 20 re-sealed (sealed_vlans)\n"
		"zone a (removed): interface cam0 OPEN: not in sealed_vlans/sealed_ifaces\n"),
	   "a+b -> b': VLAN 22 moved, covered");
	if (nfailed)
		printf("# got:\n%s", s);
	free(s);
	cf_seal_changes_free(&c);

	/* a flush; then no seal at all (another namespace) */
	n = cf_seal_compare(&a, &empty, &env, &c);
	ok(n == 1 && !c.nopen, "a -> flush: re-sealed");
	cf_seal_changes_free(&c);
	n = cf_seal_compare(&a, &empty, NULL, &c);
	s = texts(&c);
	ok(n == 1 && c.nopen == 1 &&
	   !strcmp(s, "zone a (removed): VLAN 20 OPEN: not in sealed_vlans/sealed_ifaces\n"),
	   "a -> flush without a seal: open");
	if (nfailed)
		printf("# got:\n%s", s);
	free(s);
	cf_seal_changes_free(&c);
	s = json(&c);
	ok(!strcmp(s, "{\"seal\":[],\"would_open\":false}\n"), "json, nothing");
	free(s);

	/* nothing leaves the zones: adding, or the same */
	ok(cf_seal_compare(&a, &ab, &env, &c) == 0 && !c.nopen, "a -> a+b: nothing");
	cf_seal_changes_free(&c);
	ok(cf_seal_compare(&empty, &empty, &env, &c) == 0, "flush -> flush: nothing");
	cf_seal_changes_free(&c);

	cf_config_free(&ab);
	cf_config_free(&a);
	cf_config_free(&b2);
	cf_config_free(&empty);
	printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
