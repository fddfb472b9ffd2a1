// SPDX-License-Identifier: GPL-2.0
/*
 * camfence.conf(5) parser: a pure library (stdio only, no netlink, no global
 * state). Line oriented: every statement is one line, so an error skips the
 * rest of its line and parsing goes on; every error is reported as
 * "FILE:LINE:COL: message". Cross-checks that need the whole configuration
 * (duplicates, unknown profiles) run in cf_config_validate() once everything,
 * includes and CSV device lists too, has been read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "config.h"
#include "parse_util.h"

#define CF_FILE_SIZE_MAX	(64u << 20)	/* refuse bigger config files */
#define LINE_TOKS		16		/* no statement has more words */

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

/* ---------------------------------------------------------------------- */
/* init / free / diagnostics                                               */

void cf_config_init(struct cf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = CAMFENCE_MODE_DEFAULT;
}

void cf_config_free(struct cf_config *cfg)
{
	int i;

	if (!cfg)
		return;
	for (i = 0; i < cfg->nprofiles; i++)
		free(cfg->profiles[i].rules);
	for (i = 0; i < cfg->nfiles; i++)
		free(cfg->files[i]);
	for (i = 0; i < cfg->nglobs; i++)
		free(cfg->globs[i]);
	free(cfg->globs);
	free(cfg->file_from);
	free(cfg->zones);
	free(cfg->profiles);
	free(cfg->devices);
	free(cfg->files);
	cf_config_init(cfg);
}

void cf_diags_init(struct cf_diags *d)
{
	d->count = 0;
	d->msgs = NULL;
	d->cfg = NULL;
	d->limit = 0;
	d->more = 0;
}

void cf_diags_free(struct cf_diags *d)
{
	int i;

	if (!d)
		return;
	for (i = 0; i < d->count; i++)
		free(d->msgs[i]);
	free(d->msgs);
	cf_diags_init(d);
}

/* msg plus "\nFILE:LINE: included here" for each include statement that
 * led to loc's file (msg is freed; the result is returned).
 */
static char *add_chain(const struct cf_config *cfg,
		       const struct cf_cfg_loc *loc, char *msg)
{
	const char *file = loc ? loc->file : NULL;
	int i, hops;

	if (!cfg || !cfg->file_from)
		return msg;
	for (hops = 0; file && hops <= cfg->nfiles; hops++) {
		const struct cf_cfg_loc *from = NULL;
		char *out;

		/* locations point into cfg->files (interned) */
		for (i = 0; i < cfg->nfiles; i++)
			if (cfg->files[i] == file) {
				from = &cfg->file_from[i];
				break;
			}
		if (!from || !from->file)
			break;
		if (asprintf(&out, "%s\n%s:%d: included here", msg, from->file,
			     from->line) < 0)
			abort();
		free(msg);
		msg = out;
		file = from->file;
	}
	return msg;
}

void cf_diag_vadd(struct cf_diags *d, const struct cf_cfg_loc *loc,
		  const char *fmt, va_list ap)
{
	char *msg, *out;
	int r;

	if (!d)
		return;
	if (diags_full(d)) {
		d->more++;
		return;
	}
	r = vasprintf(&msg, fmt, ap);
	if (r < 0)
		abort();
	if (loc && loc->file && loc->line > 0 && loc->col > 0)
		r = asprintf(&out, "%s:%d:%d: %s", loc->file, loc->line,
			     loc->col, msg);
	else if (loc && loc->file && loc->line > 0)
		r = asprintf(&out, "%s:%d: %s", loc->file, loc->line, msg);
	else if (loc && loc->file)
		r = asprintf(&out, "%s: %s", loc->file, msg);
	else
		r = asprintf(&out, "%s", msg);
	free(msg);
	if (r < 0)
		abort();
	out = add_chain(d->cfg, loc, out);
	d->msgs = grow(d->msgs, d->count, sizeof(*d->msgs));
	d->msgs[d->count++] = out;
}

void cf_diag_add(struct cf_diags *d, const struct cf_cfg_loc *loc,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_diag_vadd(d, loc, fmt, ap);
	va_end(ap);
}

const char *cf_config_add_file_from(struct cf_config *cfg, const char *path,
				    const struct cf_cfg_loc *from)
{
	static const struct cf_cfg_loc none;
	int i;

	for (i = 0; i < cfg->nfiles; i++)
		if (!strcmp(cfg->files[i], path))
			return cfg->files[i];
	cfg->files = grow(cfg->files, cfg->nfiles, sizeof(*cfg->files));
	cfg->file_from = grow(cfg->file_from, cfg->nfiles,
			      sizeof(*cfg->file_from));
	cfg->files[cfg->nfiles] = xstrdup(path);
	cfg->file_from[cfg->nfiles] = from ? *from : none;
	return cfg->files[cfg->nfiles++];
}

const char *cf_config_add_file(struct cf_config *cfg, const char *path)
{
	return cf_config_add_file_from(cfg, path, NULL);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Optimal string alignment distance (Levenshtein with transpositions of
 * adjacent characters as one edit: "valn" is 1 from "vlan"), ignoring case;
 * words longer than 64 are never close.
 */
static int edit_distance(const char *a, const char *b)
{
	int d[3][65], la = (int)strlen(a), lb = (int)strlen(b);
	int i, j;

	if (la > 64 || lb > 64)
		return 1000;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		int *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i + 1) % 3];

		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			int cost = lower(a[i - 1]) != lower(b[j - 1]);
			int v = prev[j - 1] + cost;

			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (cur[j - 1] + 1 < v)
				v = cur[j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			cur[j] = v;
		}
	}
	return d[la % 3][lb];
}

/* How much of their ends two words share: breaks ties ("icmp6" is as far
 * from icmp as from icmpv6, but shares its last character with icmpv6).
 */
static int common_ends(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), p = 0, s = 0;

	while (p < la && p < lb && lower(a[p]) == lower(b[p]))
		p++;
	while (s < la - p && s < lb - p &&
	       lower(a[la - 1 - s]) == lower(b[lb - 1 - s]))
		s++;
	return (int)(p + s);
}

const char *cf_did_you_mean(const char *s, const char *const *cands,
			    size_t ncands)
{
	const char *best = NULL;
	int bestd = 1000, beste = -1, len = (int)strlen(s), max;
	size_t i;

	max = len <= 4 ? 1 : 2;
	if (max >= len)
		max = len - 1;
	for (i = 0; i < ncands; i++) {
		int d, e;

		if (!strcmp(s, cands[i]))
			return NULL;
		d = edit_distance(s, cands[i]);
		if (d > bestd)
			continue;
		e = common_ends(s, cands[i]);
		if (d < bestd || e > beste) {
			bestd = d;
			beste = e;
			best = cands[i];
		}
	}
	return bestd <= max ? best : NULL;
}

char *cf_format_loc(const struct cf_cfg_loc *loc, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%d", loc->file ? loc->file : "?", loc->line);
	return buf;
}

/* ---------------------------------------------------------------------- */
/* value parsers shared with csv.c and the tools                           */

static int is_name_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int cf_valid_name(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (i >= CF_CFG_NAME_MAX || !is_name_char((unsigned char)s[i]))
			return 0;
	return i > 0;
}

int cf_profile_list_add(char list[CF_CFG_NAME_MAX + 1], const char *part,
			char *err, size_t errlen)
{
	size_t have = strlen(list), n = strlen(part);
	const char *s = list;
	char q[64];

	if (!cf_valid_name(part)) {
		snprintf(err, errlen,
			 "invalid profile name '%s' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
			 excerpt(q, sizeof(q), part));
		return -1;
	}
	while (*s) {
		const char *e = strchr(s, CF_COMBO_SEP);
		size_t l = e ? (size_t)(e - s) : strlen(s);

		if (l == n && !memcmp(s, part, n)) {
			snprintf(err, errlen, "profile %s is listed twice",
				 part);
			return -1;
		}
		s += l + (e ? 1 : 0);
	}
	if (have + (have ? 1 : 0) + n > CF_CFG_NAME_MAX) {
		char kname[2 * CF_CFG_NAME_MAX + 2];
		char *c;

		snprintf(kname, sizeof(kname), "%s%c%s", list, CF_COMBO_KSEP,
			 part);
		for (c = kname; *c; c++)
			if (*c == CF_COMBO_SEP)
				*c = CF_COMBO_KSEP;
		snprintf(err, errlen,
			 "too many profiles: the combined profile %s would have a name of %zu characters, the kernel's limit is %d (shorten the profile names)",
			 kname, strlen(kname), CF_CFG_NAME_MAX);
		return -1;
	}
	if (have)
		list[have++] = CF_COMBO_SEP;
	memcpy(list + have, part, n + 1);
	return 0;
}

/* The kernel's dev_valid_name(). */
int cf_valid_ifname(const char *s)
{
	size_t i;

	if (!*s || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= CF_CFG_IFNAME_MAX - 1 || c == '/' || c == ':' ||
		    c <= ' ' || c == 0x7f)
			return 0;
	}
	return 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "aabb.ccdd.eeff" (Cisco) or "aabbccddeeff": 12 hex digits, in groups of
 * 4 separated by dots when dots is set.
 */
static int parse_mac_hex(const char *s, int dots, uint8_t mac[6])
{
	int i, k = 0, hi, lo;

	for (i = 0; i < 6; i++) {
		if (dots && (i == 2 || i == 4) && s[k++] != '.')
			return CF_MAC_ESYNTAX;
		hi = hexval((unsigned char)s[k]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[k + 1]);
		if (lo < 0)
			return CF_MAC_ESYNTAX;
		mac[i] = (uint8_t)(hi << 4 | lo);
		k += 2;
	}
	return 0;
}

int cf_parse_mac(const char *s, uint8_t mac[6])
{
	size_t len = strlen(s);
	char sep = 0;
	int i, hi, lo;

	if (len == 14 || len == 12) {
		if (parse_mac_hex(s, len == 14, mac))
			return CF_MAC_ESYNTAX;
		goto check;
	}
	if (len != 17)
		return CF_MAC_ESYNTAX;
	for (i = 0; i < 6; i++) {
		const char *p = s + i * 3;

		hi = hexval((unsigned char)p[0]);
		lo = hexval((unsigned char)p[1]);
		if (hi < 0 || lo < 0)
			return CF_MAC_ESYNTAX;
		if (i < 5) {
			if (p[2] != ':' && p[2] != '-')
				return CF_MAC_ESYNTAX;
			if (sep && p[2] != sep)
				return CF_MAC_ESYNTAX;
			sep = p[2];
		}
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
check:
	if (mac[0] & 1)
		return CF_MAC_EMULTICAST;
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return CF_MAC_EZERO;
	return 0;
}

int cf_parse_addr(const char *s, struct cf_cfg_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (strchr(s, ':')) {
		if (inet_pton(AF_INET6, s, a->addr) != 1)
			return -1;
		a->family = AF_INET6;
	} else {
		if (inet_pton(AF_INET, s, a->addr) != 1)
			return -1;
		a->family = AF_INET;
	}
	return 0;
}

int cf_addr_is_unicast(const struct cf_cfg_addr *a)
{
	static const uint8_t zero[16], one[16] = { [15] = 1 };
	const uint8_t *b = a->addr;

	if (a->family == AF_INET)
		return b[0] != 0 && b[0] != 127 && (b[0] & 0xf0) != 0xe0 &&
		       !(b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255);
	if (a->family == AF_INET6)
		return memcmp(b, zero, 16) && memcmp(b, one, 16) && b[0] != 0xff;
	return 0;
}

int cf_parse_mode(const char *s)
{
	if (!strcmp(s, "enforce"))
		return CAMFENCE_MODE_ENFORCE;
	if (!strcmp(s, "monitor"))
		return CAMFENCE_MODE_MONITOR;
	return -1;
}

const struct cf_cfg_profile *cf_config_find_profile(const struct cf_config *cfg,
						    const char *name)
{
	int i;

	for (i = 0; i < cfg->nprofiles; i++)
		if (!strcmp(cfg->profiles[i].name, name))
			return &cfg->profiles[i];
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* the parser                                                              */

struct incl {
	dev_t dev;
	ino_t ino;
	const char *path;
};

/* One value of a define: a peer as in a rule. */
struct defval {
	int family;			/* 0 = any */
	uint8_t peer[16];
	int prefixlen;
};

struct def {
	char name[CF_CFG_NAME_MAX + 1];
	struct cf_cfg_loc loc;
	int n;
	struct defval *v;
};

struct pctx {
	struct cf_config *cfg;
	struct cf_diags *diags;
	unsigned int flags;
	int nerr;
	int nstack;			/* files being read (include chain) */
	struct incl stack[CF_CFG_MAX_INCLUDE_DEPTH + 1];
	struct cf_cfg_loc mode_loc;	/* first top-level mode statement */
	int ndefs;			/* define NAME = PEER, ... */
	struct def *defs;
};

enum block { B_NONE, B_ZONE, B_PROFILE, B_DEVICE };

struct tok {
	const char *s;
	int col;
};

struct fstate {
	struct pctx *p;
	const char *file;		/* interned in cfg->files */
	const char *basedir;		/* NULL: relative to the cwd */
	int line;
	enum block block;
	int bad_header;			/* discard the block at its end */
	int errs_in_block;
	struct cf_cfg_loc block_loc;
	struct cf_cfg_zone zone;
	struct cf_cfg_profile prof;
	struct cf_cfg_device dev;
	int seen_unknown, seen_mac, seen_profile, seen_mode, seen_port;
	int truncated;			/* column of a word after LINE_TOKS, or 0 */
};

static int parse_file_rec(struct pctx *p, const char *path,
			  const struct cf_cfg_loc *from);
static void parse_define(struct fstate *fs, const struct tok *t, int ntok);

static void perr(struct fstate *fs, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct fstate *fs, int col, const char *fmt, ...)
{
	struct cf_cfg_loc loc = { fs->file, fs->line, col };
	va_list ap;

	va_start(ap, fmt);
	cf_diag_vadd(fs->p->diags, &loc, fmt, ap);
	va_end(ap);
	fs->p->nerr++;
	if (fs->block != B_NONE)
		fs->errs_in_block++;
}

static const char *block_kind(enum block b)
{
	switch (b) {
	case B_ZONE:
		return "zone";
	case B_PROFILE:
		return "profile";
	case B_DEVICE:
		return "device";
	default:
		return "top level";
	}
}

static const char *block_name(struct fstate *fs)
{
	switch (fs->block) {
	case B_ZONE:
		return fs->zone.name;
	case B_PROFILE:
		return fs->prof.name;
	case B_DEVICE:
		return fs->dev.name;
	default:
		return "";
	}
}

/*
 * A statement allowed once per block (zone "unknown", device "mac",
 * "profile", "mode", "port"): the first remembers its line in *seen; a later one
 * is reported as "duplicate 'mac' in device cam1 (first at line 3)".
 * Returns nonzero for a duplicate.
 */
static int dup_stmt(struct fstate *fs, const struct tok *t, int *seen)
{
	if (*seen) {
		perr(fs, t[0].col, "duplicate '%s' in %s %s (first at line %d)",
		     t[0].s, block_kind(fs->block), block_name(fs), *seen);
		return 1;
	}
	*seen = fs->line;
	return 0;
}

/* Too many words: complain about the first one that is not expected. */
static int check_ntok(struct fstate *fs, const struct tok *t, int ntok, int max)
{
	char q[64];

	if (ntok <= max)
		return 0;
	perr(fs, t[max].col, "unexpected '%s'",
	     excerpt(q, sizeof(q), t[max].s));
	return -1;
}

#define NWORDS(a) (sizeof(a) / sizeof((a)[0]))

/* "did you mean vlan?" when word looks like a typo of one of words, else
 * "expected <expected>"; for "(%s)" in a message.
 */
static const char *hint(char *buf, size_t len, const char *word,
			const char *const *words, size_t n, const char *expected)
{
	const char *m = cf_did_you_mean(word, words, n);

	if (m)
		snprintf(buf, len, "did you mean %s?", m);
	else
		snprintf(buf, len, "expected %s", expected);
	return buf;
}

static int is_kw(const char *s)
{
	return !strcmp(s, "zone") || !strcmp(s, "profile") ||
	       !strcmp(s, "device");
}

/* Close the open block: keep it, or drop it after a bad header (any error,
 * for a device, so that a half-read device does not cause follow-up errors
 * such as "has no MAC").
 */
static void close_block(struct fstate *fs)
{
	struct cf_config *cfg = fs->p->cfg;

	switch (fs->block) {
	case B_ZONE:
		if (!fs->bad_header && !fs->errs_in_block &&
		    !fs->zone.nvlans && !fs->zone.nifs) {
			/* the kernel refuses it; say so here */
			cf_diag_add(fs->p->diags, &fs->zone.loc,
				    "zone %s has no VLAN and no interface",
				    fs->zone.name);
			fs->p->nerr++;
		} else if (!fs->bad_header) {
			cfg->zones = grow(cfg->zones, cfg->nzones,
					  sizeof(*cfg->zones));
			cfg->zones[cfg->nzones++] = fs->zone;
		}
		break;
	case B_PROFILE:
		if (!fs->bad_header) {
			cfg->profiles = grow(cfg->profiles, cfg->nprofiles,
					     sizeof(*cfg->profiles));
			cfg->profiles[cfg->nprofiles++] = fs->prof;
		} else {
			free(fs->prof.rules);
		}
		fs->prof.rules = NULL;
		break;
	case B_DEVICE:
		if (!fs->bad_header && !fs->errs_in_block) {
			cfg->devices = grow(cfg->devices, cfg->ndevices,
					    sizeof(*cfg->devices));
			cfg->devices[cfg->ndevices++] = fs->dev;
		}
		break;
	default:
		break;
	}
	fs->block = B_NONE;
}

static void open_block(struct fstate *fs, const struct tok *t, int ntok)
{
	enum block b = !strcmp(t[0].s, "zone") ? B_ZONE :
		       !strcmp(t[0].s, "profile") ? B_PROFILE : B_DEVICE;
	const char *kind = t[0].s;
	char *name;
	char q[64];

	fs->block = b;
	fs->bad_header = 0;
	fs->errs_in_block = 0;
	fs->block_loc = (struct cf_cfg_loc){ fs->file, fs->line, t[0].col };
	fs->seen_unknown = fs->seen_mac = fs->seen_profile = fs->seen_mode = 0;
	fs->seen_port = 0;
	switch (b) {
	case B_ZONE:
		memset(&fs->zone, 0, sizeof(fs->zone));
		fs->zone.unknown = CAMFENCE_ACTION_DROP;
		fs->zone.loc = fs->block_loc;
		name = fs->zone.name;
		break;
	case B_PROFILE:
		memset(&fs->prof, 0, sizeof(fs->prof));
		fs->prof.loc = fs->block_loc;
		name = fs->prof.name;
		break;
	default:
		memset(&fs->dev, 0, sizeof(fs->dev));
		fs->dev.mode = CAMFENCE_MODE_DEFAULT;
		fs->dev.loc = fs->block_loc;
		name = fs->dev.name;
		break;
	}

	if (ntok < 2 || !strcmp(t[1].s, "{")) {
		perr(fs, t[0].col, "missing %s name", kind);
		fs->bad_header = 1;
		return;
	}
	if (!cf_valid_name(t[1].s)) {
		perr(fs, t[1].col,
		     "invalid %s name '%s' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		     kind, excerpt(q, sizeof(q), t[1].s));
		fs->bad_header = 1;
	} else {
		strcpy(name, t[1].s);
	}
	if (ntok < 3 || strcmp(t[2].s, "{")) {
		/* Most likely a forgotten brace: read the block anyway. */
		perr(fs, ntok < 3 ? t[1].col : t[2].col,
		     "expected '{' after %s name", kind);
		fs->bad_header = 1;
		return;
	}
	if (check_ntok(fs, t, ntok, 3))
		fs->bad_header = 1;
}

/* "mode enforce|monitor" at the top level or in a device. */
static int parse_mode_stmt(struct fstate *fs, const struct tok *t, int ntok)
{
	char q[64];
	int m;

	if (ntok < 2) {
		perr(fs, t[0].col, "missing mode (expected enforce or monitor)");
		return -1;
	}
	m = cf_parse_mode(t[1].s);
	if (m < 0) {
		static const char *const modes[] = { "enforce", "monitor" };
		char h[64];

		perr(fs, t[1].col, "invalid mode '%s' (%s)",
		     excerpt(q, sizeof(q), t[1].s),
		     hint(h, sizeof(h), t[1].s, modes, NWORDS(modes),
			  "enforce or monitor"));
		return -1;
	}
	if (check_ntok(fs, t, ntok, 2))
		return -1;
	return m;
}

static char *path_join(const char *basedir, const char *rel)
{
	char *out;

	if (rel[0] == '/' || !basedir || !*basedir || !strcmp(basedir, "."))
		return xstrdup(rel);
	if (asprintf(&out, "%s/%s", basedir, rel) < 0)
		abort();
	return out;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *d;

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	d = strndup(path, (size_t)(slash - path));
	if (!d)
		abort();
	return d;
}

/*
 * include "devices.d/NAME.csv" with a glob(3) pattern (* ? [) in NAME:
 * every match, sorted by name (glob(3) sorts with the locale's collation; camfencectl and camfenced run in the C
 * locale, so this is byte order). A pattern that matches nothing is an
 * error: a typo must not silently leave every device out of the policy.
 */
static void include_glob(struct fstate *fs, const struct tok *t,
			 const char *pattern, const struct cf_cfg_loc *from)
{
	struct pctx *p = fs->p;
	char q[64];
	glob_t g;
	size_t i;
	int rc;

	for (i = 0; i < (size_t)p->cfg->nglobs; i++)
		if (!strcmp(p->cfg->globs[i], pattern))
			break;
	if (i == (size_t)p->cfg->nglobs) {
		p->cfg->globs = grow(p->cfg->globs, p->cfg->nglobs,
				     sizeof(*p->cfg->globs));
		p->cfg->globs[p->cfg->nglobs++] = xstrdup(pattern);
	}
	memset(&g, 0, sizeof(g));
	errno = 0;
	rc = glob(pattern, GLOB_ERR, NULL, &g);
	if (rc == GLOB_NOMATCH || (rc == GLOB_ABORTED && errno == ENOENT)) {
		perr(fs, t[1].col, "include pattern '%s' matches no file",
		     excerpt(q, sizeof(q), t[1].s));
	} else if (rc) {
		perr(fs, t[1].col, "include pattern '%s': %s",
		     excerpt(q, sizeof(q), t[1].s),
		     rc == GLOB_NOSPACE ? "out of memory" :
		     errno ? strerror(errno) : "read error");
	} else {
		for (i = 0; i < g.gl_pathc; i++)
			p->nerr += parse_file_rec(p, g.gl_pathv[i], from);
	}
	globfree(&g);
}

static void top_stmt(struct fstate *fs, const struct tok *t, int ntok)
{
	struct pctx *p = fs->p;
	char q[64], where[PATH_MAX + 32];

	if (is_kw(t[0].s)) {
		open_block(fs, t, ntok);
	} else if (!strcmp(t[0].s, "mode")) {
		int m = parse_mode_stmt(fs, t, ntok);

		if (m < 0)
			return;
		if (p->mode_loc.file) {
			perr(fs, t[0].col, "duplicate mode (first set at %s)",
			     cf_format_loc(&p->mode_loc, where, sizeof(where)));
			return;
		}
		p->mode_loc = (struct cf_cfg_loc){ fs->file, fs->line,
						   t[0].col };
		p->cfg->mode = m;
	} else if (!strcmp(t[0].s, "include")) {
		struct cf_cfg_loc from = { fs->file, fs->line, t[0].col };
		char *path;

		if (ntok < 2) {
			perr(fs, t[0].col, "missing include path");
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (!t[1].s[0]) {
			perr(fs, t[1].col, "empty include path");
			return;
		}
		if (p->flags & CF_CFG_NO_INCLUDE) {
			perr(fs, t[0].col, "include is not allowed here");
			return;
		}
		path = path_join(fs->basedir, t[1].s);
		if (strpbrk(t[1].s, "*?["))
			include_glob(fs, t, path, &from);
		else
			p->nerr += parse_file_rec(p, path, &from);
		free(path);
	} else if (!strcmp(t[0].s, "define")) {
		parse_define(fs, t, ntok);
	} else if (!strcmp(t[0].s, "}")) {
		perr(fs, t[0].col, "unexpected '}' (no block is open)");
	} else {
		static const char *const stmts[] = {
			"zone", "profile", "device", "mode", "include", "define"
		};
		const char *m = cf_did_you_mean(t[0].s, stmts, NWORDS(stmts));

		if (m)
			perr(fs, t[0].col, "unknown statement '%s' (did you mean %s?)",
			     excerpt(q, sizeof(q), t[0].s), m);
		else
			perr(fs, t[0].col, "unknown statement '%s'",
			     excerpt(q, sizeof(q), t[0].s));
	}
}

static void zone_stmt(struct fstate *fs, const struct tok *t, int ntok)
{
	struct cf_cfg_zone *z = &fs->zone;
	char q[64];

	if (!strcmp(t[0].s, "vlan")) {
		const char *s;
		long v = 0;

		if (ntok < 2) {
			perr(fs, t[0].col, "missing VLAN ID (expected 1-4094)");
			return;
		}
		for (s = t[1].s; *s >= '0' && *s <= '9' && v <= 4094; s++)
			v = v * 10 + (*s - '0');
		if (*s || s == t[1].s || v < 1 || v > 4094) {
			perr(fs, t[1].col, "invalid VLAN ID '%s' (expected 1-4094)",
			     excerpt(q, sizeof(q), t[1].s));
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (z->nvlans >= CAMFENCE_MAX_ZONE_VLANS) {
			perr(fs, t[0].col, "too many VLANs in zone %s (max %d)",
			     z->name, CAMFENCE_MAX_ZONE_VLANS);
			return;
		}
		z->vlans[z->nvlans++] = (uint16_t)v;
	} else if (!strcmp(t[0].s, "interface")) {
		if (ntok < 2) {
			perr(fs, t[0].col, "missing interface name");
			return;
		}
		if (!cf_valid_ifname(t[1].s)) {
			perr(fs, t[1].col,
			     "invalid interface name '%s' (expected 1-15 characters, no '/', ':' or spaces)",
			     excerpt(q, sizeof(q), t[1].s));
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (z->nifs >= CAMFENCE_MAX_ZONE_IFS) {
			perr(fs, t[0].col,
			     "too many interfaces in zone %s (max %d)",
			     z->name, CAMFENCE_MAX_ZONE_IFS);
			return;
		}
		strcpy(z->ifnames[z->nifs++], t[1].s);
	} else if (!strcmp(t[0].s, "unknown")) {
		int a;

		if (ntok < 2) {
			perr(fs, t[0].col,
			     "missing action (expected drop, monitor or allow)");
			return;
		}
		if (!strcmp(t[1].s, "drop")) {
			a = CAMFENCE_ACTION_DROP;
		} else if (!strcmp(t[1].s, "monitor")) {
			a = CAMFENCE_ACTION_MONITOR;
		} else if (!strcmp(t[1].s, "allow")) {
			a = CAMFENCE_ACTION_ALLOW;
		} else {
			static const char *const acts[] = {
				"drop", "monitor", "allow"
			};
			char h[64];

			perr(fs, t[1].col, "invalid action '%s' (%s)",
			     excerpt(q, sizeof(q), t[1].s),
			     hint(h, sizeof(h), t[1].s, acts, NWORDS(acts),
				  "drop, monitor or allow"));
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (dup_stmt(fs, t, &fs->seen_unknown))
			return;
		z->unknown = a;
	} else {
		static const char *const stmts[] = {
			"vlan", "interface", "unknown"
		};
		char h[64];

		perr(fs, t[0].col, "unknown zone statement '%s' (%s)",
		     excerpt(q, sizeof(q), t[0].s),
		     hint(h, sizeof(h), t[0].s, stmts, NWORDS(stmts),
			  "vlan, interface or unknown"));
	}
}

static int clamp_int(size_t v)
{
	return v > INT_MAX ? INT_MAX : (int)v;
}

/* The column of the byte off bytes into a word starting at col. */
static int colplus(int col, size_t off)
{
	return clamp_int((size_t)col + off);
}

/* PEER: "any", an address or a prefix with zero host bits. */
static int parse_peer(struct fstate *fs, const struct tok *t,
		      struct cf_cfg_rule *r)
{
	char buf[128], q[64], fixed[64];
	struct cf_cfg_addr a;
	const char *slash, *s;
	int plen = -1, max, i;
	size_t alen;

	if (!strcmp(t->s, "any")) {
		r->family = 0;
		r->prefixlen = 0;
		return 0;
	}
	slash = strchr(t->s, '/');
	alen = slash ? (size_t)(slash - t->s) : strlen(t->s);
	if (alen >= sizeof(buf))
		goto bad;
	memcpy(buf, t->s, alen);
	buf[alen] = '\0';
	if (cf_parse_addr(buf, &a))
		goto bad;
	max = a.family == AF_INET ? 32 : 128;
	if (slash) {
		plen = 0;
		for (s = slash + 1; *s >= '0' && *s <= '9' && plen <= 128; s++)
			plen = plen * 10 + (*s - '0');
		if (*s || s == slash + 1 || plen > max) {
			perr(fs, colplus(t->col, alen + 1),
			     "invalid prefix length '%s' (expected 0-%d)",
			     excerpt(q, sizeof(q), slash + 1), max);
			return -1;
		}
	} else {
		plen = max;
	}
	r->family = a.family;
	r->prefixlen = plen;
	memcpy(r->peer, a.addr, sizeof(r->peer));
	for (i = 0; i < max / 8; i++) {
		int bits = plen - i * 8;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
			       (uint8_t)(0xff << (8 - bits));

		r->peer[i] &= mask;
	}
	if (memcmp(r->peer, a.addr, sizeof(r->peer))) {
		perr(fs, t->col,
		     "prefix %s has host bits set (did you mean %s?)",
		     excerpt(q, sizeof(q), t->s),
		     cf_format_prefix(r->family, r->peer, plen, fixed,
				      sizeof(fixed)));
		return -1;
	}
	return 0;
bad:
	perr(fs, t->col,
	     "invalid peer '%s' (expected an address, a prefix or any)",
	     excerpt(q, sizeof(q), t->s));
	return -1;
}

static const struct def *find_def(const struct pctx *p, const char *name)
{
	int i;

	for (i = 0; i < p->ndefs; i++)
		if (!strcmp(p->defs[i].name, name))
			return &p->defs[i];
	return NULL;
}

/* "$name" at col: its define, or an error (with a suggestion). */
static const struct def *use_def(struct fstate *fs, const char *s, int col)
{
	struct pctx *p = fs->p;
	const struct def *d = find_def(p, s + 1);
	const char **names;
	const char *m;
	char q[64];
	int i;

	if (d)
		return d;
	names = calloc((size_t)p->ndefs + 1, sizeof(*names));
	if (!names)
		abort();
	for (i = 0; i < p->ndefs; i++)
		names[i] = p->defs[i].name;
	m = s[1] ? cf_did_you_mean(s + 1, names, (size_t)p->ndefs) : NULL;
	if (m)
		perr(fs, col, "undefined name '%s' (did you mean $%s?)",
		     excerpt(q, sizeof(q), s), m);
	else if (p->ndefs)
		perr(fs, col, "undefined name '%s' (define it first: define %s = ADDRESS, ...)",
		     excerpt(q, sizeof(q), s), cf_valid_name(s + 1) ? s + 1 : "NAME");
	else
		perr(fs, col, "undefined name '%s' (no define precedes this line)",
		     excerpt(q, sizeof(q), s));
	free(names);
	return NULL;
}

static void def_push(struct def *d, int family, const uint8_t *peer,
		     int prefixlen)
{
	d->v = grow(d->v, d->n, sizeof(*d->v));
	d->v[d->n].family = family;
	memcpy(d->v[d->n].peer, peer, sizeof(d->v[d->n].peer));
	d->v[d->n].prefixlen = prefixlen;
	d->n++;
}

/*
 * define NAME = PEER, PEER ...: a named list of peers (addresses, prefixes,
 * any or an earlier $name), expanded where a rule names $NAME. The commas
 * may stand alone or touch the values ("a, b", "a,b", "a , b").
 */
static void parse_define(struct fstate *fs, const struct tok *t, int ntok)
{
	struct pctx *p = fs->p;
	const struct def *prev;
	struct def d;
	char q[64], where[PATH_MAX + 32], item[128];
	int i, need = 1;

	if (ntok < 2 || !strcmp(t[1].s, "=")) {
		perr(fs, t[0].col, "missing name after define");
		return;
	}
	if (!cf_valid_name(t[1].s)) {
		perr(fs, t[1].col,
		     "invalid define name '%s' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		     excerpt(q, sizeof(q), t[1].s));
		return;
	}
	prev = find_def(p, t[1].s);
	if (prev) {
		perr(fs, t[1].col, "$%s is already defined (first at %s)",
		     t[1].s, cf_format_loc(&prev->loc, where, sizeof(where)));
		return;
	}
	if (ntok < 3 || strcmp(t[2].s, "=")) {
		perr(fs, ntok < 3 ? t[1].col : t[2].col,
		     "expected '=' after define %s", t[1].s);
		return;
	}
	if (fs->truncated) {
		perr(fs, fs->truncated,
		     "too many words (max %d; write the list without spaces: a,b,c)",
		     LINE_TOKS);
		return;
	}
	memset(&d, 0, sizeof(d));
	strcpy(d.name, t[1].s);
	d.loc = (struct cf_cfg_loc){ fs->file, fs->line, t[1].col };
	for (i = 3; i < ntok; i++) {
		const char *s = t[i].s;

		for (;;) {
			const char *e = strchr(s, ',');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			int col = colplus(t[i].col, (size_t)(s - t[i].s));

			if (n) {
				struct cf_cfg_rule r;
				struct tok one = { item, col };

				if (!need) {
					perr(fs, col, "missing ',' before '%s'",
					     excerpt(q, sizeof(q), s));
					goto out;
				}
				if (n >= sizeof(item))
					n = sizeof(item) - 1;
				memcpy(item, s, n);
				item[n] = '\0';
				if (item[0] == '$') {
					const struct def *o = use_def(fs, item, col);
					int k;

					if (!o)
						goto out;
					for (k = 0; k < o->n; k++)
						def_push(&d, o->v[k].family,
							 o->v[k].peer,
							 o->v[k].prefixlen);
				} else {
					memset(&r, 0, sizeof(r));
					if (parse_peer(fs, &one, &r))
						goto out;
					def_push(&d, r.family, r.peer,
						 r.prefixlen);
				}
				need = 0;
			} else if (e && need) {
				perr(fs, col, "missing value before ','");
				goto out;
			}
			if (!e)
				break;
			need = 1;
			s = e + 1;
		}
	}
	if (!d.n) {
		perr(fs, t[2].col,
		     "empty list in define %s (expected addresses or prefixes after '=')",
		     d.name);
		goto out;
	}
	if (need) {
		perr(fs, colplus(t[ntok - 1].col, strlen(t[ntok - 1].s) - 1),
		     "missing value after ','");
		goto out;
	}
	p->defs = grow(p->defs, p->ndefs, sizeof(*p->defs));
	p->defs[p->ndefs++] = d;
	return;
out:
	free(d.v);
}

/* "80" or "7200-7299": 1..65535; returns the end of the number or NULL. */
static const char *parse_port(const char *s, unsigned int *out)
{
	unsigned int v = 0;
	const char *b = s;

	while (*s >= '0' && *s <= '9') {
		if (v <= 65535)
			v = v * 10 + (unsigned int)(*s - '0');
		s++;
	}
	if (s == b || v < 1 || v > 65535)
		return NULL;
	*out = v;
	return s;
}

static int parse_ports(struct fstate *fs, const struct tok *t,
		       struct cf_cfg_rule *r)
{
	const char *s = t->s;
	char item[64], q[64];

	for (;;) {
		const char *b = s, *e = strchr(s, ',');
		unsigned int lo, hi;
		const char *x;
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n >= sizeof(item))
			n = sizeof(item) - 1;
		memcpy(item, s, n);
		item[n] = '\0';
		x = parse_port(item, &lo);
		hi = lo;
		if (x && *x == '-')
			x = parse_port(x + 1, &hi);
		if (!x || *x || (e ? (size_t)(e - s) : strlen(s)) != n) {
			perr(fs, colplus(t->col, (size_t)(b - t->s)),
			     "invalid port '%s' (expected 1-65535 or a range a-b)",
			     excerpt(q, sizeof(q), item));
			return -1;
		}
		if (lo > hi) {
			perr(fs, colplus(t->col, (size_t)(b - t->s)),
			     "invalid port range '%s' (start is greater than end)",
			     excerpt(q, sizeof(q), item));
			return -1;
		}
		if (r->nports >= CAMFENCE_MAX_PORT_RANGES) {
			perr(fs, colplus(t->col, (size_t)(b - t->s)),
			     "too many port ranges (max %d)",
			     CAMFENCE_MAX_PORT_RANGES);
			return -1;
		}
		r->ports[r->nports].lo = (uint16_t)lo;
		r->ports[r->nports].hi = (uint16_t)hi;
		r->nports++;
		if (!e)
			return 0;
		s = e + 1;
	}
}

static void profile_stmt(struct fstate *fs, const struct tok *t, int ntok)
{
	struct cf_cfg_profile *pr = &fs->prof;
	const struct def *def = NULL;
	struct cf_cfg_rule r;
	char q[64], peer[64];
	int i;

	if (strcmp(t[0].s, "allow")) {
		static const char *const stmts[] = { "allow" };
		char h[64];

		perr(fs, t[0].col, "unknown profile statement '%s' (%s)",
		     excerpt(q, sizeof(q), t[0].s),
		     hint(h, sizeof(h), t[0].s, stmts, NWORDS(stmts), "allow"));
		return;
	}
	memset(&r, 0, sizeof(r));
	r.loc = (struct cf_cfg_loc){ fs->file, fs->line, t[0].col };
	if (ntok < 2) {
		perr(fs, t[0].col, "missing direction (expected to or from)");
		return;
	}
	if (!strcmp(t[1].s, "to")) {
		r.dir = CAMFENCE_DIR_TO;
	} else if (!strcmp(t[1].s, "from")) {
		r.dir = CAMFENCE_DIR_FROM;
	} else {
		static const char *const dirs[] = { "to", "from" };
		char h[64];

		perr(fs, t[1].col, "invalid direction '%s' (%s)",
		     excerpt(q, sizeof(q), t[1].s),
		     hint(h, sizeof(h), t[1].s, dirs, NWORDS(dirs), "to or from"));
		return;
	}
	if (ntok < 3) {
		perr(fs, t[0].col,
		     "missing peer (expected an address, a prefix or any)");
		return;
	}
	if (t[2].s[0] == '$') {
		def = use_def(fs, t[2].s, t[2].col);
		if (!def)
			return;
	} else if (parse_peer(fs, &t[2], &r)) {
		return;
	}
	if (ntok >= 4) {
		r.proto = cf_parse_proto(t[3].s);
		if (r.proto < 0) {
			const char *m = cf_proto_suggest(t[3].s);

			if (m)
				perr(fs, t[3].col,
				     "invalid protocol '%s' (did you mean %s?)",
				     excerpt(q, sizeof(q), t[3].s), m);
			else
				perr(fs, t[3].col,
				     "invalid protocol '%s' (expected a name such as tcp, udp, icmp, icmpv6, gre, esp, sctp, or a number 0-255)",
				     excerpt(q, sizeof(q), t[3].s));
			return;
		}
	}
	if (ntok >= 5) {
		if (r.proto != 6 && r.proto != 17) {
			perr(fs, t[4].col,
			     "ports are only allowed with tcp or udp");
			return;
		}
		if (parse_ports(fs, &t[4], &r))
			return;
	}
	if (check_ntok(fs, t, ntok, 5))
		return;
	/*
	 * One rule per value of a define ($nvr), else the one peer. With a
	 * define, icmp is the ICMP of each peer's family (icmpv6 for its IPv6
	 * values), so that one rule serves an NVR with both addresses (the
	 * vendor profiles); icmpv6 stays IPv6 only.
	 */
	for (i = 0; i < (def ? def->n : 1); i++) {
		if (def) {
			r.family = def->v[i].family;
			memcpy(r.peer, def->v[i].peer, sizeof(r.peer));
			r.prefixlen = def->v[i].prefixlen;
		}
		if ((r.proto == 1 && r.family == AF_INET6 && !def) ||
		    (r.proto == 58 && r.family == AF_INET)) {
			perr(fs, t[3].col,
			     "%s does not match %s peer %s%s%s (use %s)",
			     r.proto == 1 ? "icmp" : "icmpv6",
			     r.proto == 1 ? "IPv6" : "IPv4",
			     cf_format_prefix(r.family, r.peer, r.prefixlen,
					      peer, sizeof(peer)),
			     def ? " of $" : "", def ? def->name : "",
			     r.proto == 1 ? "icmpv6" : "icmp");
			return;
		}
	}
	for (i = 0; i < (def ? def->n : 1); i++) {
		struct cf_cfg_rule one = r;

		if (def) {
			one.family = def->v[i].family;
			memcpy(one.peer, def->v[i].peer, sizeof(one.peer));
			one.prefixlen = def->v[i].prefixlen;
			if (one.proto == 1 && one.family == AF_INET6)
				one.proto = 58;
		}
		pr->rules = grow(pr->rules, pr->nrules, sizeof(*pr->rules));
		pr->rules[pr->nrules++] = one;
	}
}

static void device_stmt(struct fstate *fs, const struct tok *t, int ntok)
{
	struct cf_cfg_device *d = &fs->dev;
	char q[64], m[20];
	int rc;

	if (!strcmp(t[0].s, "mac")) {
		uint8_t mac[6];

		if (ntok < 2) {
			perr(fs, t[0].col, "missing MAC address");
			return;
		}
		rc = cf_parse_mac(t[1].s, mac);
		if (rc == CF_MAC_ESYNTAX) {
			perr(fs, t[1].col,
			     "invalid MAC '%s' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
			     excerpt(q, sizeof(q), t[1].s));
			return;
		}
		if (rc == CF_MAC_EMULTICAST) {
			perr(fs, t[1].col,
			     "MAC %s is a multicast address (a device needs a unicast MAC)",
			     cf_format_mac(mac, m, sizeof(m)));
			return;
		}
		if (rc == CF_MAC_EZERO) {
			perr(fs, t[1].col, "MAC 00:00:00:00:00:00 is not valid");
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (dup_stmt(fs, t, &fs->seen_mac))
			return;
		memcpy(d->mac, mac, 6);
	} else if (!strcmp(t[0].s, "ip")) {
		struct cf_cfg_addr a;

		if (ntok < 2) {
			perr(fs, t[0].col, "missing address");
			return;
		}
		if (cf_parse_addr(t[1].s, &a)) {
			perr(fs, t[1].col,
			     "invalid address '%s' (expected an IPv4 or IPv6 address)",
			     excerpt(q, sizeof(q), t[1].s));
			return;
		}
		if (!cf_addr_is_unicast(&a)) {
			perr(fs, t[1].col, "address %s is not a unicast address",
			     excerpt(q, sizeof(q), t[1].s));
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (d->naddrs >= CAMFENCE_MAX_DEVICE_ADDRS) {
			perr(fs, t[0].col,
			     "too many addresses for device %s (max %d)",
			     d->name, CAMFENCE_MAX_DEVICE_ADDRS);
			return;
		}
		d->addrs[d->naddrs++] = a;
	} else if (!strcmp(t[0].s, "profile")) {
		char list[CF_CFG_NAME_MAX + 1] = "", err[256], part[64];
		int i, need = 1;

		if (ntok < 2) {
			perr(fs, t[0].col, "missing profile name");
			return;
		}
		/* profile cam | cam, nvr-pull | cam,nvr-pull | cam+nvr-pull */
		for (i = 1; i < ntok; i++) {
			const char *s = t[i].s;

			for (;;) {
				const char *e = strpbrk(s, ",+");
				size_t n = e ? (size_t)(e - s) : strlen(s);
				int col = colplus(t[i].col, (size_t)(s - t[i].s));

				if (n) {
					if (!need) {
						perr(fs, col,
						     "missing ',' before '%s'",
						     excerpt(q, sizeof(q), s));
						return;
					}
					if (n >= sizeof(part))
						n = sizeof(part) - 1;
					memcpy(part, s, n);
					part[n] = '\0';
					if (cf_profile_list_add(list, part, err,
								sizeof(err))) {
						perr(fs, col, "%s", err);
						return;
					}
					need = 0;
				} else if (e && need) {
					perr(fs, col, "missing profile name before '%c'", *e);
					return;
				}
				if (!e)
					break;
				need = 1;
				s = e + 1;
			}
		}
		if (need) {
			perr(fs, colplus(t[ntok - 1].col,
					 strlen(t[ntok - 1].s) - 1),
			     "missing profile name after '%c'",
			     t[ntok - 1].s[strlen(t[ntok - 1].s) - 1]);
			return;
		}
		if (dup_stmt(fs, t, &fs->seen_profile))
			return;
		strcpy(d->profile, list);
	} else if (!strcmp(t[0].s, "mode")) {
		int mode = parse_mode_stmt(fs, t, ntok);

		if (mode < 0)
			return;
		if (dup_stmt(fs, t, &fs->seen_mode))
			return;
		d->mode = mode;
	} else if (!strcmp(t[0].s, "port")) {
		/* the bridge port the device must be on (port security) */
		if (ntok < 2) {
			perr(fs, t[0].col, "missing interface name");
			return;
		}
		if (!cf_valid_ifname(t[1].s)) {
			perr(fs, t[1].col,
			     "invalid interface name '%s' (expected 1-15 characters, no '/', ':' or spaces)",
			     excerpt(q, sizeof(q), t[1].s));
			return;
		}
		if (check_ntok(fs, t, ntok, 2))
			return;
		if (dup_stmt(fs, t, &fs->seen_port))
			return;
		strcpy(d->port, t[1].s);
	} else {
		static const char *const stmts[] = {
			"mac", "ip", "profile", "mode", "port"
		};
		char h[64];

		perr(fs, t[0].col, "unknown device statement '%s' (%s)",
		     excerpt(q, sizeof(q), t[0].s),
		     hint(h, sizeof(h), t[0].s, stmts, NWORDS(stmts),
			  "mac, ip, profile, mode or port"));
	}
}

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Split one line into words: '#' starts a comment, "..." is one word
 * (no escapes), '{' and '}' are words of their own. Words are copied to
 * buf (2 * len + 2 bytes). Returns the number of words (at most LINE_TOKS
 * are kept: no statement has that many), or -1 after an error.
 */
static int tokenize(struct fstate *fs, const char *l, size_t len, char *buf,
		    struct tok *t)
{
	char *o = buf;
	size_t i = 0;
	int n = 0;

	fs->truncated = 0;
	while (i < len && n < LINE_TOKS) {
		unsigned char c = (unsigned char)l[i];
		size_t start = i;

		if (is_space(c)) {
			i++;
			continue;
		}
		if (c == '#')
			break;
		if (c < 0x20 || c == 0x7f) {
			perr(fs, clamp_int(i + 1), "invalid character 0x%02x", c);
			return -1;
		}
		t[n].s = o;
		t[n].col = clamp_int(start + 1);
		if (c == '"') {
			for (i++; i < len && l[i] != '"'; i++) {
				c = (unsigned char)l[i];
				if (c < 0x20 || c == 0x7f) {
					perr(fs, clamp_int(i + 1),
					     "invalid character 0x%02x", c);
					return -1;
				}
				*o++ = (char)c;
			}
			if (i >= len) {
				perr(fs, clamp_int(start + 1),
				     "unterminated string");
				return -1;
			}
			i++;
		} else if (c == '{' || c == '}') {
			*o++ = (char)c;
			i++;
		} else {
			while (i < len) {
				c = (unsigned char)l[i];
				if (is_space(c) || c == '#' || c == '"' ||
				    c == '{' || c == '}' || c < 0x20 ||
				    c == 0x7f)
					break;
				*o++ = (char)c;
				i++;
			}
		}
		*o++ = '\0';
		n++;
	}
	while (n == LINE_TOKS && i < len && is_space((unsigned char)l[i]))
		i++;
	if (n == LINE_TOKS && i < len && l[i] != '#')
		fs->truncated = clamp_int(i + 1);	/* its column */
	return n;
}

static void parse_line(struct fstate *fs, const char *l, size_t len, char *buf)
{
	struct tok t[LINE_TOKS];
	char where[PATH_MAX + 32];
	int ntok;

	ntok = tokenize(fs, l, len, buf, t);
	if (ntok <= 0)
		return;
	if (fs->block == B_NONE) {
		top_stmt(fs, t, ntok);
		return;
	}
	if (!strcmp(t[0].s, "}")) {
		check_ntok(fs, t, ntok, 1);
		close_block(fs);
		return;
	}
	if (is_kw(t[0].s) && (fs->block != B_DEVICE ||
			      strcmp(t[0].s, "profile") ||
			      (ntok >= 3 && !strcmp(t[2].s, "{")))) {
		/*
		 * A new block: the previous one lacks its '}'. Its content
		 * may be fine, so this error does not drop it.
		 */
		int errs = fs->errs_in_block;

		perr(fs, t[0].col, "missing '}' before '%s' (%s %s opened at %s)",
		     t[0].s, block_kind(fs->block), block_name(fs),
		     cf_format_loc(&fs->block_loc, where, sizeof(where)));
		fs->errs_in_block = errs;
		close_block(fs);
		top_stmt(fs, t, ntok);
		return;
	}
	if (!strcmp(t[0].s, "include") || !strcmp(t[0].s, "define")) {
		perr(fs, t[0].col, "%s is only allowed at the top level",
		     t[0].s);
		return;
	}
	switch (fs->block) {
	case B_ZONE:
		zone_stmt(fs, t, ntok);
		break;
	case B_PROFILE:
		profile_stmt(fs, t, ntok);
		break;
	default:
		device_stmt(fs, t, ntok);
		break;
	}
}

static void parse_text(struct pctx *p, const char *file, const char *buf,
		       size_t len, const char *basedir)
{
	struct fstate fs;
	size_t pos = 0;
	size_t tcap = 256;
	char *tbuf = malloc(tcap);

	if (!tbuf)
		abort();

	memset(&fs, 0, sizeof(fs));
	fs.p = p;
	fs.file = file;
	fs.basedir = basedir;
	fs.block = B_NONE;

	if (is_utf16(buf, len)) {
		struct cf_cfg_loc loc = { file, 1, 1 };

		cf_diag_add(p->diags, &loc,
			    "UTF-16 text is not supported (save the file as UTF-8)");
		p->nerr++;
		free(tbuf);
		return;
	}
	/* a UTF-8 BOM (Windows editors): columns count from after it */
	if (len >= 3 && !memcmp(buf, UTF8_BOM, 3))
		pos = 3;
	while (pos < len) {
		const char *l = buf + pos;
		size_t n, next = next_line(buf, len, pos, &n);

		if (fs.line < INT_MAX)
			fs.line++;
		if (2 * n + 2 > tcap) {
			char *nb = malloc(2 * n + 2);

			if (!nb)
				abort();
			free(tbuf);
			tbuf = nb;
			tcap = 2 * n + 2;
		}
		parse_line(&fs, l, n, tbuf);
		pos = next;
	}
	free(tbuf);
	if (fs.block != B_NONE) {
		struct cf_cfg_loc loc = fs.block_loc;

		cf_diag_add(p->diags, &loc, "%s %s is not closed (missing '}')",
			    block_kind(fs.block), block_name(&fs));
		p->nerr++;
		close_block(&fs);
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

/*
 * Read one file (main or included). from is the include statement, NULL
 * for the main file. Returns the number of errors added.
 */
static int parse_file_rec(struct pctx *p, const char *path,
			  const struct cf_cfg_loc *from)
{
	int before = p->nerr, added = 0, i;
	const char *file;
	struct stat st;
	char *buf = NULL, *dir;
	size_t len = 0;
	FILE *f;

	if (from && p->nstack > CF_CFG_MAX_INCLUDE_DEPTH) {
		cf_diag_add(p->diags, from,
			    "include nesting too deep (max %d levels)",
			    CF_CFG_MAX_INCLUDE_DEPTH);
		return 1;
	}
	f = fopen(path, "r");
	if (!f) {
		cf_diag_add(p->diags, from, "cannot read '%s': %s", path,
			    strerror(errno));
		return 1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		cf_diag_add(p->diags, from, "cannot read '%s': %s", path,
			    "not a regular file");
		fclose(f);
		return 1;
	}
	for (i = 0; i < p->nstack; i++) {
		if (p->stack[i].dev == st.st_dev && p->stack[i].ino == st.st_ino) {
			char *chain = NULL, *tmp;
			int j;

			for (j = i; j < p->nstack; j++) {
				if (asprintf(&tmp, "%s%s -> ", chain ? chain : "",
					     p->stack[j].path) < 0)
					abort();
				free(chain);
				chain = tmp;
			}
			cf_diag_add(p->diags, from, "include cycle: %s%s",
				    chain, path);
			free(chain);
			fclose(f);
			return 1;
		}
	}
	if ((size_t)st.st_size > CF_FILE_SIZE_MAX) {
		cf_diag_add(p->diags, from, "'%s' is too large (max %u MiB)",
			    path, CF_FILE_SIZE_MAX >> 20);
		fclose(f);
		return 1;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		abort();
	len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		cf_diag_add(p->diags, from, "cannot read '%s': %s", path,
			    strerror(errno));
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);

	file = cf_config_add_file_from(p->cfg, path, from);
	if (ends_with(path, ".csv")) {
		p->nerr += cf_csv_parse_buffer(file, buf, len, p->cfg,
					       p->diags);
	} else {
		p->stack[p->nstack].dev = st.st_dev;
		p->stack[p->nstack].ino = st.st_ino;
		p->stack[p->nstack].path = file;
		p->nstack++;
		dir = dir_of(path);
		parse_text(p, file, buf, len, dir);
		free(dir);
		p->nstack--;
	}
	free(buf);
	added = p->nerr - before;
	p->nerr = before;
	return added;
}

static void free_defs(struct pctx *p)
{
	int i;

	for (i = 0; i < p->ndefs; i++)
		free(p->defs[i].v);
	free(p->defs);
	p->defs = NULL;
	p->ndefs = 0;
}

int cf_config_parse_file(const char *path, struct cf_config *cfg,
			 struct cf_diags *diags, unsigned int flags)
{
	struct pctx p;
	int n;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.diags = diags;
	p.flags = flags;
	if (diags)
		diags->cfg = cfg;
	n = parse_file_rec(&p, path, NULL);
	free_defs(&p);
	n += cf_config_validate(cfg, diags);
	if (diags)
		diags->cfg = NULL;
	return n;
}

int cf_config_parse_buffer(const char *name, const char *buf, size_t len,
			   const char *basedir, struct cf_config *cfg,
			   struct cf_diags *diags, unsigned int flags)
{
	struct pctx p;
	const char *file;

	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.diags = diags;
	p.flags = flags;
	file = cf_config_add_file(cfg, name ? name : "<buffer>");
	/* the buffer is the root of the include chain (no inode) */
	p.stack[0].path = file;
	p.nstack = 1;
	if (diags)
		diags->cfg = cfg;
	if (ends_with(file, ".csv"))
		p.nerr = cf_csv_parse_buffer(file, buf, len, cfg, diags);
	else
		parse_text(&p, file, buf, len, basedir);
	free_defs(&p);
	p.nerr += cf_config_validate(cfg, diags);
	if (diags)
		diags->cfg = NULL;
	return p.nerr;
}

/* ---------------------------------------------------------------------- */
/* cross-checks                                                            */

struct hent {
	const void *key;
	size_t len;
	int idx;
};

struct hmap {
	struct hent *e;
	size_t mask;
};

static void hm_init(struct hmap *m, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap <<= 1;
	m->e = calloc(cap, sizeof(*m->e));
	if (!m->e)
		abort();
	m->mask = cap - 1;
}

static uint64_t hm_hash(const void *k, size_t len)
{
	const uint8_t *b = k;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Insert key -> idx unless present; returns the existing idx or -1. */
static int hm_insert(struct hmap *m, const void *k, size_t len, int idx)
{
	size_t i = (size_t)hm_hash(k, len) & m->mask;

	for (;; i = (i + 1) & m->mask) {
		struct hent *e = &m->e[i];

		if (!e->key) {
			e->key = k;
			e->len = len;
			e->idx = idx;
			return -1;
		}
		if (e->len == len && !memcmp(e->key, k, len))
			return e->idx;
	}
}

static int hm_find(const struct hmap *m, const void *k, size_t len)
{
	size_t i = (size_t)hm_hash(k, len) & m->mask;

	for (;; i = (i + 1) & m->mask) {
		const struct hent *e = &m->e[i];

		if (!e->key)
			return -1;
		if (e->len == len && !memcmp(e->key, k, len))
			return e->idx;
	}
}

static void hm_free(struct hmap *m)
{
	free(m->e);
	m->e = NULL;
}

static int vfail(struct cf_diags *diags, const struct cf_cfg_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int vfail(struct cf_diags *diags, const struct cf_cfg_loc *loc,
		 const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	cf_diag_add(diags, loc, "%s", msg);
	free(msg);
	return 1;
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

/* The profile names for suggestions, and the last suggestion (a misspelled
 * profile is usually used by many devices of a CSV list).
 */
struct suggest {
	const char **names;
	const char *last, *last_hint;
};

static int unknown_profile(const struct cf_config *cfg,
			   struct cf_diags *diags,
			   const struct cf_cfg_device *d, struct suggest *sug)
{
	const char *m = NULL;
	int i;

	/* a message that will not be kept needs no suggestion */
	if (diags && !diags_full(diags) && cfg->nprofiles) {
		if (!sug->names) {
			sug->names = calloc((size_t)cfg->nprofiles,
					    sizeof(*sug->names));
			if (!sug->names)
				abort();
			for (i = 0; i < cfg->nprofiles; i++)
				sug->names[i] = cfg->profiles[i].name;
		}
		if (sug->last && !strcmp(sug->last, d->profile)) {
			m = sug->last_hint;
		} else {
			m = cf_did_you_mean(d->profile, sug->names,
					    (size_t)cfg->nprofiles);
			sug->last = d->profile;
			sug->last_hint = m;
		}
	}
	if (m)
		return vfail(diags, &d->loc,
			     "device %s uses unknown profile %s (did you mean %s?)",
			     d->name, d->profile, m);
	return vfail(diags, &d->loc, "device %s uses unknown profile %s",
		     d->name, d->profile);
}

static bool same_rule(const struct cf_cfg_rule *a, const struct cf_cfg_rule *b)
{
	return a->dir == b->dir && a->family == b->family &&
	       a->prefixlen == b->prefixlen && a->proto == b->proto &&
	       a->nports == b->nports && !memcmp(a->peer, b->peer, 16) &&
	       !memcmp(a->ports, b->ports,
		       (size_t)imin(a->nports, CAMFENCE_MAX_PORT_RANGES) *
		       sizeof(a->ports[0]));
}

static int find_profile_idx(const struct cf_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nprofiles; i++)
		if (!strcmp(cfg->profiles[i].name, name))
			return i;
	return -1;
}

/*
 * Devices with several profiles ("cam+nvr-pull"): synthesize the combined
 * profile "cam.nvr-pull" (once; the union of the rules, in the order of the
 * list, without repeating a rule) and point the device at it. bad[i] is set
 * for a device whose list names an unknown profile (reported here).
 */
static int combine_profiles(struct cf_config *cfg, struct cf_diags *diags,
			    char *bad)
{
	char kname[CF_CFG_NAME_MAX + 1], part[CF_CFG_NAME_MAX + 1];
	char where[PATH_MAX + 32];
	int errs = 0, i, k, j, r;

	for (i = 0; i < cfg->ndevices; i++) {
		struct cf_cfg_device *d = &cfg->devices[i];
		struct cf_cfg_profile np;
		const char *s;
		char *c;

		if (!strchr(d->profile, CF_COMBO_SEP))
			continue;
		strcpy(kname, d->profile);
		for (c = kname; *c; c++)
			if (*c == CF_COMBO_SEP)
				*c = CF_COMBO_KSEP;
		k = find_profile_idx(cfg, kname);
		if (k >= 0 && !cfg->profiles[k].combined) {
			errs += vfail(diags, &d->loc,
				      "device %s: profiles %s combine into the profile %s, but profile %s is defined at %s (rename it)",
				      d->name, d->profile, kname, kname,
				      cf_format_loc(&cfg->profiles[k].loc,
						    where, sizeof(where)));
			bad[i] = 1;
			continue;
		}
		if (k < 0) {
			memset(&np, 0, sizeof(np));
			strcpy(np.name, kname);
			strcpy(np.combo, d->profile);
			np.combined = true;
			np.loc = d->loc;
			for (s = d->profile; *s;) {
				const char *e = strchr(s, CF_COMBO_SEP);
				size_t n = e ? (size_t)(e - s) : strlen(s);
				const struct cf_cfg_profile *src;

				memcpy(part, s, n);
				part[n] = '\0';
				s += n + (e ? 1 : 0);
				j = find_profile_idx(cfg, part);
				if (j < 0 || cfg->profiles[j].combined) {
					/* own suggestions: cfg->profiles grows */
					struct suggest one_sug = { 0 };
					struct cf_cfg_device one = *d;

					strcpy(one.profile, part);
					errs += unknown_profile(cfg, diags,
								&one, &one_sug);
					free(one_sug.names);
					bad[i] = 1;
					continue;
				}
				src = &cfg->profiles[j];
				for (j = 0; j < src->nrules; j++) {
					for (r = 0; r < np.nrules; r++)
						if (same_rule(&np.rules[r],
							      &src->rules[j]))
							break;
					if (r < np.nrules)
						continue;
					np.rules = grow(np.rules, np.nrules,
							sizeof(*np.rules));
					np.rules[np.nrules++] = src->rules[j];
				}
			}
			if (bad[i]) {
				free(np.rules);
				continue;
			}
			cfg->profiles = grow(cfg->profiles, cfg->nprofiles,
					     sizeof(*cfg->profiles));
			cfg->profiles[cfg->nprofiles++] = np;
		}
		strcpy(d->combo, d->profile);
		strcpy(d->profile, kname);
	}
	return errs;
}

int cf_config_validate(struct cf_config *cfg, struct cf_diags *diags)
{
	struct suggest sug = { 0 };
	struct hmap names, vlans, ifs, pnames, dnames, macs, addrs;
	char where[PATH_MAX + 32], buf[64];
	size_t nv = 0, ni = 0, na = 0;
	int errs = 0, i, j, k;
	char *bad;

	bad = calloc((size_t)cfg->ndevices + 1, 1);
	if (!bad)
		abort();
	errs += combine_profiles(cfg, diags, bad);
	for (i = 0; i < cfg->nzones; i++) {
		nv += (size_t)imin(cfg->zones[i].nvlans, CAMFENCE_MAX_ZONE_VLANS);
		ni += (size_t)imin(cfg->zones[i].nifs, CAMFENCE_MAX_ZONE_IFS);
	}
	for (i = 0; i < cfg->ndevices; i++)
		na += (size_t)imin(cfg->devices[i].naddrs,
				   CAMFENCE_MAX_DEVICE_ADDRS);
	hm_init(&names, (size_t)cfg->nzones);
	hm_init(&vlans, nv);
	hm_init(&ifs, ni);
	hm_init(&pnames, (size_t)cfg->nprofiles);
	hm_init(&dnames, (size_t)cfg->ndevices);
	hm_init(&macs, (size_t)cfg->ndevices);
	hm_init(&addrs, na);

	for (i = 0; i < cfg->nzones; i++) {
		struct cf_cfg_zone *z = &cfg->zones[i];

		k = hm_insert(&names, z->name, strlen(z->name), i);
		if (k >= 0)
			errs += vfail(diags, &z->loc,
				      "duplicate zone name %s (first defined at %s)",
				      z->name, cf_format_loc(&cfg->zones[k].loc,
							     where, sizeof(where)));
		if (z->nvlans > CAMFENCE_MAX_ZONE_VLANS)
			errs += vfail(diags, &z->loc,
				      "too many VLANs in zone %s (max %d)",
				      z->name, CAMFENCE_MAX_ZONE_VLANS);
		for (j = 0; j < imin(z->nvlans, CAMFENCE_MAX_ZONE_VLANS); j++) {
			k = hm_insert(&vlans, &z->vlans[j], sizeof(z->vlans[j]), i);
			if (k >= 0)
				errs += vfail(diags, &z->loc,
					      "duplicate VLAN %u (first in zone %s at %s)",
					      z->vlans[j], cfg->zones[k].name,
					      cf_format_loc(&cfg->zones[k].loc,
							    where, sizeof(where)));
		}
		if (z->nifs > CAMFENCE_MAX_ZONE_IFS)
			errs += vfail(diags, &z->loc,
				      "too many interfaces in zone %s (max %d)",
				      z->name, CAMFENCE_MAX_ZONE_IFS);
		for (j = 0; j < imin(z->nifs, CAMFENCE_MAX_ZONE_IFS); j++) {
			const char *ifn = z->ifnames[j];

			k = hm_insert(&ifs, ifn,
				      strnlen(ifn, CF_CFG_IFNAME_MAX), i);
			if (k >= 0)
				errs += vfail(diags, &z->loc,
					      "duplicate interface %.16s (first in zone %s at %s)",
					      ifn, cfg->zones[k].name,
					      cf_format_loc(&cfg->zones[k].loc,
							    where, sizeof(where)));
		}
	}

	for (i = 0; i < cfg->nprofiles; i++) {
		struct cf_cfg_profile *pr = &cfg->profiles[i];

		k = hm_insert(&pnames, pr->name, strlen(pr->name), i);
		if (k >= 0)
			errs += vfail(diags, &pr->loc,
				      "duplicate profile name %s (first defined at %s)",
				      pr->name,
				      cf_format_loc(&cfg->profiles[k].loc,
						    where, sizeof(where)));
		for (j = 0; j < pr->nrules; j++)
			if (pr->rules[j].nports > CAMFENCE_MAX_PORT_RANGES)
				errs += vfail(diags, &pr->rules[j].loc,
					      "too many port ranges (max %d)",
					      CAMFENCE_MAX_PORT_RANGES);
	}

	for (i = 0; i < cfg->ndevices; i++) {
		struct cf_cfg_device *d = &cfg->devices[i];
		static const uint8_t zero[6];

		k = hm_insert(&dnames, d->name, strlen(d->name), i);
		if (k >= 0)
			errs += vfail(diags, &d->loc,
				      "duplicate device name %s (first defined at %s)",
				      d->name,
				      cf_format_loc(&cfg->devices[k].loc,
						    where, sizeof(where)));
		if (!memcmp(d->mac, zero, 6)) {
			errs += vfail(diags, &d->loc, "device %s has no MAC",
				      d->name);
		} else {
			k = hm_insert(&macs, d->mac, 6, i);
			if (k >= 0)
				errs += vfail(diags, &d->loc,
					      "duplicate MAC %s (first used by device %s at %s)",
					      cf_format_mac(d->mac, buf, sizeof(buf)),
					      cfg->devices[k].name,
					      cf_format_loc(&cfg->devices[k].loc,
							    where, sizeof(where)));
		}
		if (d->naddrs > CAMFENCE_MAX_DEVICE_ADDRS)
			errs += vfail(diags, &d->loc,
				      "too many addresses for device %s (max %d)",
				      d->name, CAMFENCE_MAX_DEVICE_ADDRS);
		for (j = 0; j < imin(d->naddrs, CAMFENCE_MAX_DEVICE_ADDRS); j++) {
			struct cf_cfg_addr *a = &d->addrs[j];
			int alen = a->family == AF_INET ? 4 : 16;

			/* key: family and the address bytes */
			k = hm_insert(&addrs, a, offsetof(struct cf_cfg_addr, addr) +
				      (size_t)alen, i);
			if (k >= 0)
				errs += vfail(diags, &d->loc,
					      "duplicate address %s (first bound to device %s at %s)",
					      cf_format_prefix(a->family, a->addr,
							       alen * 8, buf,
							       sizeof(buf)),
					      cfg->devices[k].name,
					      cf_format_loc(&cfg->devices[k].loc,
							    where, sizeof(where)));
		}
		if (bad[i])
			;	/* reported by combine_profiles() */
		else if (!d->profile[0])
			errs += vfail(diags, &d->loc, "device %s has no profile",
				      d->name);
		else if (hm_find(&pnames, d->profile, strlen(d->profile)) < 0)
			errs += unknown_profile(cfg, diags, d, &sug);
	}
	free(sug.names);
	free(bad);

	hm_free(&names);
	hm_free(&vlans);
	hm_free(&ifs);
	hm_free(&pnames);
	hm_free(&dnames);
	hm_free(&macs);
	hm_free(&addrs);
	return errs;
}
