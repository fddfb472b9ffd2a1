// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the MUD reader (lib/mud.c, json-c underneath): any
 * input must be read without crash, leak or UB; every rule it maps must be
 * valid camfence syntax (the profile it writes parses without error, with
 * its parameters $nvr, $router, $operators defined), and
 * exporting that profile and reading the export back must give the same
 * rules (the round trip of tests/host/35-mud.sh, on arbitrary input).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mud.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_mud *m = calloc(1, sizeof(*m)), *m2 = calloc(1, sizeof(*m2));
	char err[256], *prof = NULL, *exp = NULL;
	size_t plen = 0, elen = 0;
	struct cf_config cfg;
	struct cf_diags d;
	FILE *f;
	int i, skipped = 0;

	if (!m || !m2)
		goto out;
	cf_mud_init(m);
	cf_mud_init(m2);
	if (cf_mud_import((const char *)data, size, m, err, sizeof(err)) || !m->nrules)
		goto out;
	f = open_memstream(&prof, &plen);
	if (!f)
		goto out;
	/* the parameters the profile uses, as camfencectl mud export
	 * defines them (the placeholders that map back to the classes)
	 */
	fputs("define nvr = 192.0.2.10\ndefine router = 192.0.2.1\n"
	      "define operators = 198.51.100.0/24\n", f);
	cf_mud_write_profile(f, m, "fuzz", NULL);
	fclose(f);
	cf_config_init(&cfg);
	cf_diags_init(&d);
	if (cf_config_parse_buffer("fuzz.conf", prof, plen, NULL, &cfg, &d, CF_CFG_NO_INCLUDE)) {
		for (i = 0; i < d.count; i++)
			fprintf(stderr, "%s\n", d.msgs[i]);
		fprintf(stderr, "%s", prof);
		abort();	/* the importer wrote a rule camfence refuses */
	}
	f = open_memstream(&exp, &elen);
	if (!f || cfg.nprofiles != 1 ||
	    cf_mud_export(f, NULL, &cfg.profiles[0], "https://x.invalid/fuzz", "fuzz", 0, &skipped) < 0)
		abort();
	fclose(f);
	if (cf_mud_import(exp, elen, m2, err, sizeof(err)))
		abort();	/* our own export must read back */
	if (!skipped && (m2->nrules != m->nrules ||
			 memcmp(m2->rules, m->rules, m->nrules * sizeof(m->rules[0])))) {
		fprintf(stderr, "%s\n%s", prof, exp);
		abort();	/* the round trip changed the rules */
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);
out:
	if (m)
		cf_mud_free(m);
	if (m2)
		cf_mud_free(m2);
	free(m);
	free(m2);
	free(prof);
	free(exp);
	return 0;
}
