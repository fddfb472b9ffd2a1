/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The site report of `camfencectl report`: its data (the global counters
 * and every device with its evidence, as the kernel reports them), the JSON
 * form that `camfencectl -j report` writes and `report --from FILE` reads
 * back, and the self-contained HTML page. Pure: no netlink, no sockets.
 */
#ifndef CAMFENCE_REPORT_H
#define CAMFENCE_REPORT_H

#include <stdio.h>
#include <time.h>
#include "json.h"
#include "nl.h"
#include "vendor.h"

#define CF_REPORT_MAX_DEVICES 100000
#define CF_REPORT_MAX_RULES 64

struct cf_report_dev {
	struct cf_dev_info info;
	int nrules;			/* -1: the profile's rules are unknown */
	char rules[CF_REPORT_MAX_RULES][128];
};

struct cf_report {
	time_t generated;
	struct cf_stats stats;
	size_t ndevs;
	struct cf_report_dev *devs;
};

void cf_report_free(struct cf_report *r);

/* The JSON form ({"report_version": 1, "generated", "stats", "devices"}:
 * the members of `camfencectl -j stats` and `-j show NAME`).
 */
int cf_report_write_json(FILE *f, const struct cf_report *r);
/* Reads it back; 0, or -1 with a message in err. */
int cf_report_from_json(const char *buf, size_t len, struct cf_report *r,
			char *err, size_t errlen);

/* "dns": {"total", "invalid", "replaced", "names": [{"name", "verdict",
 * "count", "first_seen", "last_seen"}]} of a device, names in d's order
 * (-j show NAME and -j report).
 */
void cf_report_json_dns(struct cf_json *j, const struct cf_dev_info *d);

/* The HTML page; db gives the vendors (may be empty). title may be NULL. */
int cf_report_write_html(FILE *f, const struct cf_report *r,
			 struct cf_vendor_db *db, const char *title);

/* 1 if a device's peer is on the internet: not private, shared,
 * loopback, link-local, unique-local or multicast.
 */
int cf_report_is_internet(int family, const uint8_t *addr);

#endif /* CAMFENCE_REPORT_H */
