// SPDX-License-Identifier: GPL-2.0
/*
 * Vendor recognition from the IEEE registries (Debian's ieee-data) and the
 * curated camera-maker list. The registry CSVs are parsed strictly: a line
 * that is not "Registry,Assignment,Organization Name,..." with a known
 * registry and an assignment of the matching length in hex is skipped, so a
 * damaged file can cost a vendor name but never a wrong one.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vendor.h"

void cf_vendor_db_init(struct cf_vendor_db *db)
{
	memset(db, 0, sizeof(*db));
}

void cf_vendor_db_free_cameras(struct cf_vendor_db *db)
{
	size_t i;

	for (i = 0; i < db->ncams; i++) {
		free(db->cams[i].match);
		free(db->cams[i].family);
		free(db->cams[i].profile);
		free(db->cams[i].source);
	}
	free(db->cams);
	db->cams = NULL;
	db->ncams = 0;
}

void cf_vendor_db_free(struct cf_vendor_db *db)
{
	cf_vendor_db_free_cameras(db);
	free(db->ouis);
	free(db->pool);
	memset(db, 0, sizeof(*db));
}

char *cf_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		size_t r;

		if (cap - n < 65536) {
			char *nb;

			cap = cap ? cap * 2 : 131072;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno ? errno : EIO;

		free(buf);
		fclose(f);
		errno = e;
		return NULL;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* Appends s (len bytes) to the pool; returns its offset or -1. */
static long pool_add(struct cf_vendor_db *db, const char *s, size_t len)
{
	size_t off = db->poollen;

	if (db->poollen + len + 1 > db->poolcap) {
		size_t cap = db->poolcap ? db->poolcap * 2 : 65536;
		char *p;

		while (cap < db->poollen + len + 1)
			cap *= 2;
		p = realloc(db->pool, cap);
		if (!p)
			return -1;
		db->pool = p;
		db->poolcap = cap;
	}
	memcpy(db->pool + off, s, len);
	db->pool[off + len] = 0;
	db->poollen += len + 1;
	return (long)off;
}

/*
 * One CSV field (RFC 4180) from *p up to end of line; unquoted into out
 * (at most outlen-1 bytes; longer fields are cut). Returns 1 if a field
 * was read and a comma follows, 0 at the end of the line, -1 on a
 * malformed quote.
 */
static int csv_field(const char **p, const char *end, char *out, size_t outlen)
{
	const char *s = *p;
	size_t n = 0;

	if (s < end && *s == '"') {
		s++;
		for (;;) {
			if (s >= end || *s == '\n')
				return -1;
			if (*s == '"') {
				if (s + 1 < end && s[1] == '"') {
					s++;
				} else {
					s++;
					break;
				}
			}
			if (n + 1 < outlen)
				out[n++] = *s;
			s++;
		}
		if (s < end && *s != ',' && *s != '\n' && *s != '\r')
			return -1;
	} else {
		while (s < end && *s != ',' && *s != '\n' && *s != '\r') {
			if (*s == '"')
				return -1;
			if (n + 1 < outlen)
				out[n++] = *s;
			s++;
		}
	}
	out[n] = 0;
	if (s < end && *s == ',') {
		*p = s + 1;
		return 1;
	}
	*p = s;
	return 0;
}

static const char *const registries[] = { "MA-L", "MA-M", "MA-S", "IAB" };
static const int registry_bits[] = { 24, 28, 36, 36 };

/* Strip trailing spaces (the registry pads some names). */
static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n;
}

static int add_oui(struct cf_vendor_db *db, uint64_t prefix, int bits,
		   const char *org, int reg)
{
	long o, r;

	if (db->nouis == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 4096;
		struct cf_oui *v = realloc(db->ouis, cap * sizeof(*v));

		if (!v)
			return -1;
		db->ouis = v;
		db->cap = cap;
	}
	o = pool_add(db, org, trimmed_len(org));
	r = pool_add(db, registries[reg], strlen(registries[reg]));
	if (o < 0 || r < 0)
		return -1;
	db->ouis[db->nouis].prefix = prefix;
	db->ouis[db->nouis].bits = (uint8_t)bits;
	db->ouis[db->nouis].org = (uint32_t)o;
	db->ouis[db->nouis].registry = (uint32_t)r;
	db->nouis++;
	db->sorted = false;
	return 0;
}

int cf_vendor_parse_registry(struct cf_vendor_db *db, const char *buf,
			     size_t len, int *bad)
{
	const char *p = buf, *end = buf + len;
	int added = 0, nbad = 0, lineno = 0;

	while (p < end) {
		char reg[16], asg[16], org[256];
		const char *eol = memchr(p, '\n', end - p);
		const char *q = p;
		int r, i, nf, bits = 0, regi = -1;
		uint64_t prefix = 0;
		size_t alen;

		if (!eol)
			eol = end;
		lineno++;
		if (p == eol || (eol - p == 1 && *p == '\r'))
			goto next;	/* blank line */
		nf = 0;
		r = csv_field(&q, eol, reg, sizeof(reg));
		if (r >= 0)
			nf++;
		if (r == 1 && (r = csv_field(&q, eol, asg, sizeof(asg))) >= 0)
			nf++;
		if (r == 1 && (r = csv_field(&q, eol, org, sizeof(org))) >= 0)
			nf++;
		if (lineno == 1 && nf >= 1 && !strcmp(reg, "Registry"))
			goto next;	/* the header */
		if (r < 0 || nf < 3) {
			nbad++;
			goto next;
		}
		for (i = 0; i < 4; i++)
			if (!strcmp(reg, registries[i])) {
				regi = i;
				bits = registry_bits[i];
			}
		alen = strlen(asg);
		if (regi < 0 || alen != (size_t)bits / 4 || !org[0]) {
			nbad++;
			goto next;
		}
		for (i = 0; i < (int)alen; i++) {
			int c = (unsigned char)asg[i];

			if (!isxdigit(c)) {
				nbad++;
				goto next;
			}
			prefix = prefix << 4 | (uint64_t)(isdigit(c) ? c - '0' : (tolower(c) - 'a' + 10));
		}
		if (add_oui(db, prefix, bits, org, regi))
			return -1;
		added++;
next:
		p = eol + 1;
	}
	if (bad)
		*bad = nbad;
	return added;
}

int cf_vendor_load_dir(struct cf_vendor_db *db, const char *dir)
{
	static const char *const files[] = { "oui.csv", "mam.csv", "oui36.csv", "iab.csv" };
	size_t i;
	int n = 0;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		size_t len;
		char *buf;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		buf = cf_read_file(path, &len);
		if (!buf) {
			if (errno == ENOENT)
				continue;
			return -errno;
		}
		if (cf_vendor_parse_registry(db, buf, len, NULL) < 0) {
			free(buf);
			return -ENOMEM;
		}
		free(buf);
		n++;
	}
	db->nfiles += n;
	return n;
}

static char *trim_dup(const char *s, size_t n)
{
	char *r;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	r = malloc(n + 1);
	if (r) {
		memcpy(r, s, n);
		r[n] = 0;
	}
	return r;
}

static int valid_profile_name(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > 32)
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("._-", s[i]))
			return 0;
	return 1;
}

int cf_vendor_parse_cameras(struct cf_vendor_db *db, const char *buf,
			    size_t len, char *err, size_t errlen)
{
	const char *p = buf, *end = buf + len;
	int lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', end - p), *s, *f[5];
		struct cf_camvendor cv = { 0 }, *v;
		int nf = 0;

		if (!eol)
			eol = end;
		lineno++;
		s = p;
		while (s < eol && isspace((unsigned char)*s))
			s++;
		if (s == eol || *s == '#')
			goto next;
		if (memchr(p, 0, eol - p)) {
			snprintf(err, errlen, "%d: NUL byte", lineno);
			return -1;
		}
		f[nf++] = p;
		for (s = p; s < eol && nf < 5; s++)
			if (*s == '|')
				f[nf++] = s + 1;
		if (nf != 4) {
			snprintf(err, errlen, "%d: expected 4 fields 'MATCH | FAMILY | PROFILE | SOURCE', got %d",
				 lineno, nf > 4 ? 5 : nf);
			return -1;
		}
		cv.match = trim_dup(f[0], f[1] - 1 - f[0]);
		cv.family = trim_dup(f[1], f[2] - 1 - f[1]);
		cv.profile = trim_dup(f[2], f[3] - 1 - f[2]);
		cv.source = trim_dup(f[3], eol - f[3]);
		if (!cv.match || !cv.family || !cv.profile || !cv.source) {
			snprintf(err, errlen, "%d: out of memory", lineno);
			goto bad;
		}
		if (!cv.match[0] || !cv.family[0] || !cv.source[0]) {
			snprintf(err, errlen, "%d: empty field", lineno);
			goto bad;
		}
		if (!valid_profile_name(cv.profile)) {
			snprintf(err, errlen, "%d: invalid profile name '%s'", lineno, cv.profile);
			goto bad;
		}
		v = realloc(db->cams, (db->ncams + 1) * sizeof(*v));
		if (!v) {
			snprintf(err, errlen, "%d: out of memory", lineno);
			goto bad;
		}
		db->cams = v;
		db->cams[db->ncams++] = cv;
next:
		p = eol + 1;
		continue;
bad:
		free(cv.match);
		free(cv.family);
		free(cv.profile);
		free(cv.source);
		return -1;
	}
	return (int)db->ncams;
}

int cf_vendor_load_cameras(struct cf_vendor_db *db, const char *path,
			   char *err, size_t errlen)
{
	size_t len;
	char *buf = cf_read_file(path, &len);
	char e[200];
	int n;

	if (!buf) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = cf_vendor_parse_cameras(db, buf, len, e, sizeof(e));
	if (n < 0)
		snprintf(err, errlen, "%s:%s", path, e);
	free(buf);
	return n;
}

static int cmp_oui(const void *a, const void *b)
{
	const struct cf_oui *x = a, *y = b;

	if (x->bits != y->bits)
		return x->bits < y->bits ? -1 : 1;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return 0;
}

static const struct cf_oui *find(const struct cf_vendor_db *db, int bits,
				 uint64_t prefix)
{
	struct cf_oui key = { .prefix = prefix, .bits = (uint8_t)bits };

	if (!db->nouis)
		return NULL;
	return bsearch(&key, db->ouis, db->nouis, sizeof(key), cmp_oui);
}

/* Case-insensitive substring. */
static int icontains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return 1;
	return 0;
}

void cf_vendor_lookup(struct cf_vendor_db *db, const uint8_t mac[6],
		      struct cf_vendor *v)
{
	static const int order[] = { 36, 28, 24 };
	uint64_t m = 0;
	size_t i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < 6; i++)
		m = m << 8 | mac[i];
	if (mac[0] & 0x02) {
		/* IEEE 802c SLAP: the Y and Z bits (0x04, 0x08) give the
		 * quadrant: ELI (x A) and SAI (x E) are assigned by a CID holder
		 * or a protocol; AAI (x 2) is where random addresses live
		 * (IEEE 802.1CQ), the reserved quadrant (x 6) has no assigner.
		 */
		v->kind = (mac[0] & 0x08) ? CF_MAC_LOCAL : CF_MAC_RANDOM;
		return;
	}
	v->kind = CF_MAC_UNREGISTERED;
	if (!db->sorted && db->nouis) {
		qsort(db->ouis, db->nouis, sizeof(*db->ouis), cmp_oui);
		db->sorted = true;
	}
	for (i = 0; i < 3; i++) {
		const struct cf_oui *o = find(db, order[i], m >> (48 - order[i]));

		if (o) {
			v->kind = CF_MAC_REGISTERED;
			v->org = db->pool + o->org;
			v->registry = db->pool + o->registry;
			snprintf(v->assignment, sizeof(v->assignment), "%0*llX",
				 order[i] / 4, (unsigned long long)o->prefix);
			break;
		}
	}
	if (!v->org)
		return;
	for (i = 0; i < db->ncams; i++)
		if (icontains(v->org, db->cams[i].match)) {
			v->camera = &db->cams[i];
			break;
		}
}

const char *cf_vendor_name(const struct cf_vendor *v)
{
	switch (v->kind) {
	case CF_MAC_REGISTERED:
		return v->org;
	case CF_MAC_LOCAL:
		return "locally administered";
	case CF_MAC_RANDOM:
		return "randomised";
	default:
		return "unregistered";
	}
}
