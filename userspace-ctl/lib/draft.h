/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inputs and outputs of the inventory tools, pure (no netlink): the draft
 * device list of `camfencectl unknown --csv`, and the readers of saved
 * `camfencectl -j unknown` / `-j show NAME` / `-j stats` documents (json-c)
 * that `--from FILE` uses.
 */
#ifndef CAMFENCE_DRAFT_H
#define CAMFENCE_DRAFT_H

#include <stdio.h>
#include "nl.h"
#include "vendor.h"

/* The profile a draft gives a device that no camera maker claims. */
#define CF_DRAFT_DEFAULT_PROFILE "generic-onvif"

/*
 * Writes a CSV device list (camfence.conf(5) "CSV DEVICE LISTS") for the
 * unknown devices u[0..n): header "name,mac,ips,profile,mode,vendor,zone",
 * one device per MAC (a MAC seen in several zones once, with the first
 * address seen), name "<brand>-<last three octets>" (longer when two
 * names would collide), the address seen, the profile camera-vendors.list
 * suggests (else CF_DRAFT_DEFAULT_PROFILE, with a "# review" comment line
 * before it), mode monitor. u must be sorted by MAC. Returns the number of
 * devices written.
 */
int cf_draft_csv(FILE *f, const struct cf_unknown *u, size_t n,
		 struct cf_vendor_db *db);

/* The device name the draft gives mac (buf >= 33 bytes). */
char *cf_draft_name(const struct cf_vendor *v, const uint8_t mac[6],
		    int octets, char *buf, size_t len);

/*
 * Reads the document of `camfencectl -j unknown` ({"unknown": [ ... ]}).
 * Returns 0 and a malloc'ed array, or -1 with a message in err.
 */
int cf_unknown_from_json(const char *buf, size_t len, struct cf_unknown **v,
			 size_t *n, char *err, size_t errlen);

/* Parses a whole buffer as one strict JSON document (json-c, nesting at
 * most 64); NULL with "invalid JSON at byte N: ..." in err.
 */
struct json_object;
struct json_object *cf_json_parse(const char *buf, size_t len, char *err,
				  size_t errlen);

#endif /* CAMFENCE_DRAFT_H */
