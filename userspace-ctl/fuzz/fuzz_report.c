// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the reader of a saved `camfencectl -j report`
 * (camfencectl report --from FILE; json-c underneath): any input is read
 * without crash, leak or UB; what it accepts is written back as JSON, read
 * again to the same data, and rendered as the HTML page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_report r, r2;
	struct cf_vendor_db db;
	char err[256], *js = NULL;
	size_t jlen = 0, i;
	FILE *f;

	if (cf_report_from_json((const char *)data, size, &r, err, sizeof(err)))
		return 0;
	f = open_memstream(&js, &jlen);
	if (!f || cf_report_write_json(f, &r))
		abort();
	fclose(f);
	if (cf_report_from_json(js, jlen, &r2, err, sizeof(err))) {
		fprintf(stderr, "%s\n%s\n", err, js);
		abort();	/* our own JSON must read back */
	}
	if (r2.ndevs != r.ndevs || r2.generated != r.generated ||
	    r2.stats.generation != r.stats.generation)
		abort();
	for (i = 0; i < r.ndevs; i++)
		if (r2.devs[i].info.nevidence != r.devs[i].info.nevidence ||
		    memcmp(r2.devs[i].info.mac, r.devs[i].info.mac, 6) ||
		    strcmp(r2.devs[i].info.name, r.devs[i].info.name) ||
		    r2.devs[i].info.has_dns != r.devs[i].info.has_dns ||
		    r2.devs[i].info.ndns != r.devs[i].info.ndns ||
		    r2.devs[i].info.dns_total != r.devs[i].info.dns_total ||
		    (r.devs[i].info.ndns &&
		     strcmp(r2.devs[i].info.dns[0].name, r.devs[i].info.dns[0].name)))
			abort();
	cf_vendor_db_init(&db);
	f = fopen("/dev/null", "w");
	if (f) {
		if (cf_report_write_html(f, &r, &db, NULL))
			abort();
		fclose(f);
	}
	cf_vendor_db_free(&db);
	cf_report_free(&r);
	cf_report_free(&r2);
	free(js);
	return 0;
}
