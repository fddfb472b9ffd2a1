// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the camfence.conf(5) parser: any input must parse
 * without crash, leak or UB (ASan/UBSan), the error count must match the
 * messages, and every rule that parsed must print back (cf_format_rule) to
 * text that parses to the same rule. A valid configuration written out
 * (cf_config_write, what show policy prints) parses back without error to a
 * configuration cf_config_diff finds equal, and writes the same text again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static void check_roundtrip(const struct cf_cfg_rule *r)
{
	char text[512], line[400];
	struct cf_config cfg;
	struct cf_diags d;
	const struct cf_cfg_rule *b;
	int n, i;

	cf_format_rule(r, line, sizeof(line));
	snprintf(text, sizeof(text), "profile p {\n%s\n}\n", line);
	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("rt.conf", text, strlen(text), NULL, &cfg,
				   &d, CF_CFG_NO_INCLUDE);
	if (n || cfg.nprofiles != 1 || cfg.profiles[0].nrules != 1) {
		fprintf(stderr, "round trip: '%s' does not parse back\n", line);
		abort();
	}
	b = &cfg.profiles[0].rules[0];
	if (b->dir != r->dir || b->family != r->family ||
	    b->prefixlen != r->prefixlen || b->proto != r->proto ||
	    b->nports != r->nports || memcmp(b->peer, r->peer, 16)) {
		fprintf(stderr, "round trip: '%s' parses differently\n", line);
		abort();
	}
	for (i = 0; i < r->nports; i++)
		if (b->ports[i].lo != r->ports[i].lo ||
		    b->ports[i].hi != r->ports[i].hi)
			abort();
	cf_config_free(&cfg);
	cf_diags_free(&d);
}

static char *write_mem(const struct cf_config *cfg, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		abort();
	if (cf_config_write(f, cfg, "# fuzz\n"))
		abort();
	fclose(f);
	return buf;
}

static void check_write_roundtrip(const struct cf_config *cfg)
{
	struct cf_cfg_diffstat st;
	struct cf_config back;
	struct cf_diags d;
	size_t len, len2;
	char *t1, *t2;

	t1 = write_mem(cfg, &len);
	cf_config_init(&back);
	cf_diags_init(&d);
	if (cf_config_parse_buffer("w.conf", t1, len, NULL, &back, &d,
				   CF_CFG_NO_INCLUDE)) {
		fprintf(stderr, "written configuration does not parse: %s\n%s",
			d.count ? d.msgs[0] : "", t1);
		abort();
	}
	if (cf_config_diff(NULL, cfg, &back, &st) != 0) {
		fprintf(stderr, "written configuration differs:\n%s", t1);
		abort();
	}
	t2 = write_mem(&back, &len2);
	if (len != len2 || memcmp(t1, t2, len))
		abort();
	free(t1);
	free(t2);
	cf_config_free(&back);
	cf_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_config cfg;
	struct cf_diags d;
	char buf[64];
	int n, i, j;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_config_parse_buffer("fuzz.conf", (const char *)data, size, NULL,
				   &cfg, &d, CF_CFG_NO_INCLUDE);
	if (n != d.count)
		abort();
	for (i = 0; i < cfg.nprofiles; i++)
		for (j = 0; j < cfg.profiles[i].nrules; j++)
			check_roundtrip(&cfg.profiles[i].rules[j]);
	for (i = 0; i < cfg.ndevices; i++)
		cf_format_mac(cfg.devices[i].mac, buf, sizeof(buf));
	if (!n)
		check_write_roundtrip(&cfg);
	cf_config_free(&cfg);
	cf_diags_free(&d);
	return 0;
}
