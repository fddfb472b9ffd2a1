/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Vendor recognition: the IEEE registries as Debian's ieee-data ships them
 * (oui.csv MA-L 24 bits, mam.csv MA-M 28 bits, oui36.csv MA-S 36 bits,
 * iab.csv IAB 36 bits) and camfence's curated list of camera makers
 * (camera-vendors.list). Pure: no netlink, no global state.
 */
#ifndef CAMFENCE_VENDOR_H
#define CAMFENCE_VENDOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_IEEE_DATA_DIR "/usr/share/ieee-data"
#ifndef CF_DATADIR
#define CF_DATADIR "/usr/share/camfence"
#endif
#define CF_PROFILES_DIR CF_DATADIR "/profiles"
#define CF_CAMERA_VENDORS_NAME "camera-vendors.list"

struct cf_oui {
	uint64_t prefix;		/* the assignment's top bits */
	uint8_t bits;			/* 24, 28 or 36 */
	uint32_t org;			/* offset into cf_vendor_db.pool */
	uint32_t registry;		/* offset of "MA-L", "MA-M", "MA-S", "IAB" */
};

/* One line of camera-vendors.list. */
struct cf_camvendor {
	char *match;			/* case-insensitive substring of the org */
	char *family;			/* "Hikvision", "Dahua", ... */
	char *profile;			/* suggested profile: "hikvision" */
	char *source;			/* where the mapping comes from */
};

struct cf_vendor_db {
	struct cf_oui *ouis;		/* sorted by (bits, prefix) */
	size_t nouis, cap;
	char *pool;			/* NUL-separated strings */
	size_t poollen, poolcap;
	int nfiles;			/* registry files read */
	struct cf_camvendor *cams;
	size_t ncams;
	bool sorted;
};

enum cf_mac_kind {
	CF_MAC_REGISTERED,		/* found in a registry */
	CF_MAC_UNREGISTERED,		/* universal, not in the registries */
	CF_MAC_LOCAL,			/* U/L bit set, SLAP ELI or SAI quadrant */
	CF_MAC_RANDOM,			/* U/L bit set, SLAP AAI or reserved quadrant */
};

struct cf_vendor {
	enum cf_mac_kind kind;
	const char *org;		/* registered organisation, or NULL */
	const char *registry;		/* "MA-L", ... or NULL */
	char assignment[16];		/* "4419B6", "70B3D5F2F" or "" */
	const struct cf_camvendor *camera;	/* camera maker, or NULL */
};

void cf_vendor_db_init(struct cf_vendor_db *db);
void cf_vendor_db_free(struct cf_vendor_db *db);
/* Forget the camera list only (after a malformed one). */
void cf_vendor_db_free_cameras(struct cf_vendor_db *db);

/*
 * Parse one IEEE registry CSV ("Registry,Assignment,Organization Name,
 * Organization Address", RFC 4180 quoting). Lines that are not a
 * well-formed MA-L/MA-M/MA-S/IAB assignment are skipped and counted in
 * *bad (may be NULL). Returns the number of assignments added, -1 when
 * out of memory.
 */
int cf_vendor_parse_registry(struct cf_vendor_db *db, const char *buf,
			     size_t len, int *bad);
/*
 * Read oui.csv, mam.csv, oui36.csv and iab.csv from dir (the files that
 * exist). Returns the number of files read (0: none; errno-style
 * negative on a read error). path of the first missing file is not an
 * error: ieee-data may ship fewer files.
 */
int cf_vendor_load_dir(struct cf_vendor_db *db, const char *dir);

/*
 * Parse camera-vendors.list: "MATCH | FAMILY | PROFILE | SOURCE" per line,
 * '#' comments and blank lines ignored. Returns the number of entries, or
 * -1 with "LINE: message" in err on the first malformed line.
 */
int cf_vendor_parse_cameras(struct cf_vendor_db *db, const char *buf,
			    size_t len, char *err, size_t errlen);
int cf_vendor_load_cameras(struct cf_vendor_db *db, const char *path,
			   char *err, size_t errlen);

/* Longest assignment first: MA-S/IAB 36 bits, MA-M 28, MA-L 24. */
void cf_vendor_lookup(struct cf_vendor_db *db, const uint8_t mac[6],
		      struct cf_vendor *v);
/* What a person reads: the organisation, "locally administered",
 * "randomised" or "unregistered".
 */
const char *cf_vendor_name(const struct cf_vendor *v);

/* Read a whole file (NUL-terminated, *len without it); NULL + errno. */
char *cf_read_file(const char *path, size_t *len);

#endif /* CAMFENCE_VENDOR_H */
