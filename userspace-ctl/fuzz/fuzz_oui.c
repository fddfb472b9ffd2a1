// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the vendor readers: the IEEE registry CSV
 * (ieee-data's oui.csv, mam.csv, oui36.csv), camera-vendors.list and a
 * saved "camfencectl -j unknown" (json-c) with the draft device list
 * written from it. The first byte picks the reader; every lookup must
 * give a registered name or one of the fixed strings, and a draft must be
 * written for whatever was read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vendor.h"
#include "draft.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp_mac(const void *a, const void *b)
{
	return memcmp(((const struct cf_unknown *)a)->mac, ((const struct cf_unknown *)b)->mac, 6);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t macs[][6] = {
		{ 0x44, 0x19, 0xb6, 0x00, 0x00, 0x01 }, { 0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x01 },
		{ 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 }, { 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 },
		{ 0xab, 0xcd, 0xef, 0x12, 0x34, 0x56 },
	};
	struct cf_vendor_db db;
	struct cf_unknown *u = NULL;
	struct cf_vendor v;
	char err[256];
	size_t i, n = 0;
	int bad = 0;
	char *copy;

	if (size < 1)
		return 0;
	cf_vendor_db_init(&db);
	/* a copy without the selector: the readers take (buf, len) */
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		if (cf_vendor_parse_registry(&db, copy, size - 1, &bad) < 0 || bad < 0)
			abort();
		break;
	case 1: {
		int nc = cf_vendor_parse_cameras(&db, copy, size - 1, err, sizeof(err));

		if (nc < 0)
			cf_vendor_db_free_cameras(&db);	/* as camfencectl does */
		else if ((size_t)nc != db.ncams)
			abort();
		break;
	}
	default:
		if (cf_unknown_from_json(copy, size - 1, &u, &n, err, sizeof(err)) == 0) {
			FILE *f = fopen("/dev/null", "w");

			if (n)
				qsort(u, n, sizeof(*u), cmp_mac);
			if (f) {
				if (cf_draft_csv(f, u, n, &db) != (int)n) {
					/* one line per distinct MAC: never more than n */
					size_t d = 0;

					for (i = 0; i < n; i++)
						d += !i || memcmp(u[i].mac, u[i - 1].mac, 6);
					if (cf_draft_csv(f, u, n, &db) != (int)d)
						abort();
				}
				fclose(f);
			}
		}
		free(u);
	}
	for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		cf_vendor_lookup(&db, macs[i], &v);
		if (!cf_vendor_name(&v) || (v.kind == CF_MAC_REGISTERED && (!v.org || !v.registry)))
			abort();
	}
	cf_vendor_db_free(&db);
	free(copy);
	return 0;
}
