// SPDX-License-Identifier: GPL-2.0
/*
 * CSV device lists, as asset inventories and spreadsheets export them: a
 * header line naming the columns, then one device per line.
 *
 * - Separator: ',', ';' or a tab, whichever the header line has most of
 *   (outside quotes); the data lines use the same.
 * - Columns by header name, in any order, case-insensitive, ignoring ' ',
 *   '_', '-' and '.': name (or device, device name, hostname), mac (mac
 *   address, macaddr), profile are required; ips (ip, ip address,
 *   addresses), mode and bridge port (the device's configured port: only
 *   this name, as "port" alone is often a switch's port in inventories)
 *   are optional; any other column is ignored.
 * - A UTF-8 BOM, "\r\n", "\n" or lone "\r" line ends, spaces around fields,
 *   "quoted" fields (with "" for a quote), blank lines and '#' comment
 *   lines. Addresses are separated by ';', ',' or spaces (quote the field
 *   when that is also the separator); mode may be empty; fields missing at
 *   the end of a line are empty.
 * - MACs as aa:bb:cc:dd:ee:ff, aa-bb-..., Cisco aabb.ccdd.eeff or aabbccddeeff.
 * Errors are "FILE:LINE:COL: message" (COL: the byte column of the field);
 * a line with an error adds no device.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "parse_util.h"

enum col { C_NAME, C_MAC, C_IPS, C_PROFILE, C_MODE, C_PORT, NCOLS };

static const char *const col_names[NCOLS] = {
	"name", "mac", "ips", "profile", "mode", "bridge port"
};

static const int col_required[NCOLS] = { 1, 1, 0, 1, 0, 0 };

/* Header names after normalization (lower case, no ' ', '_', '-', '.'). */
static const struct {
	const char *name;
	enum col col;
} col_aliases[] = {
	{ "name", C_NAME }, { "device", C_NAME }, { "devicename", C_NAME },
	{ "hostname", C_NAME },
	{ "mac", C_MAC }, { "macaddress", C_MAC }, { "macaddr", C_MAC },
	{ "ips", C_IPS }, { "ip", C_IPS }, { "ipaddress", C_IPS },
	{ "ipaddresses", C_IPS }, { "addresses", C_IPS },
	{ "profile", C_PROFILE },
	{ "mode", C_MODE },
	{ "bridgeport", C_PORT },
};

#define NALIASES (sizeof(col_aliases) / sizeof(col_aliases[0]))
#define MAX_FIELDS 256		/* columns of a header that are looked at */

struct field {
	char *s;		/* content, NUL-terminated */
	int col;		/* 1-based byte column where the field starts */
	int quoted;
};

struct csv {
	struct cf_config *cfg;
	struct cf_diags *diags;
	const char *file;
	int line;
	int errs;
	char sep;
	int ncols;		/* fields in the header */
	int idx[NCOLS];		/* header field of each column, -1 if none */
};

static void cerr(struct csv *c, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cerr(struct csv *c, int col, const char *fmt, ...)
{
	struct cf_cfg_loc loc = { c->file, c->line, col > 0 ? col : 1 };
	va_list ap;

	va_start(ap, fmt);
	cf_diag_vadd(c->diags, &loc, fmt, ap);
	va_end(ap);
	c->errs++;
}

static int is_blank(const struct csv *c, int ch)
{
	return ch == ' ' || ch == '\r' || (ch == '\t' && c->sep != '\t');
}

static int clamp_col(size_t i)
{
	return i >= 0x7ffffffe ? 0x7fffffff : (int)i + 1;
}

/* The separator of a header line: the most frequent of ',', ';', tab
 * outside quotes; ',' when there is none.
 */
static char detect_sep(const char *l, size_t len)
{
	static const char seps[] = { ',', ';', '\t' };
	size_t cnt[3] = { 0 }, i;
	int inq = 0, k, best = 0;

	for (i = 0; i < len; i++) {
		if (l[i] == '"')
			inq = !inq;
		else if (!inq)
			for (k = 0; k < 3; k++)
				if (l[i] == seps[k])
					cnt[k]++;
	}
	for (k = 1; k < 3; k++)
		if (cnt[k] > cnt[best])
			best = k;
	return seps[best];
}

/*
 * Split a line into fields written to out (len + 1 bytes); at most max are
 * stored in f. Returns the number of fields (possibly more than max), or
 * -1 after an error.
 */
static int split(struct csv *c, const char *l, size_t len, char *out,
		 struct field *f, int max)
{
	size_t i = 0;
	int n = 0;

	for (;;) {
		char *start = out, *end;
		int col, quoted = 0;

		while (i < len && is_blank(c, (unsigned char)l[i]))
			i++;
		col = clamp_col(i);
		if (i < len && l[i] == '"') {
			quoted = 1;
			for (i++;; i++) {
				if (i >= len) {
					cerr(c, col, "unterminated quoted field %d",
					     n + 1);
					return -1;
				}
				if (l[i] == '"') {
					if (i + 1 < len && l[i + 1] == '"') {
						*out++ = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				*out++ = l[i];
			}
			while (i < len && is_blank(c, (unsigned char)l[i]))
				i++;
			if (i < len && l[i] != c->sep) {
				cerr(c, clamp_col(i),
				     "unexpected character after quoted field %d",
				     n + 1);
				return -1;
			}
			end = out;
		} else {
			while (i < len && l[i] != c->sep)
				*out++ = l[i++];
			end = out;
			while (end > start && is_blank(c, (unsigned char)end[-1]))
				end--;
		}
		*end = '\0';
		out = end + 1;
		if (n < max)
			f[n] = (struct field){ start, col, quoted };
		if (n < 0x7fffffff)
			n++;
		if (i >= len)
			return n;
		i++;		/* the separator */
	}
}

/* "MAC Address" -> "macaddress" */
static void normalize(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s && o + 1 < len; s++) {
		char ch = *s;

		if (ch == ' ' || ch == '_' || ch == '-' || ch == '.' || ch == '\t')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		out[o++] = ch;
	}
	out[o] = '\0';
}

static const char *required_list(void)
{
	return "name, mac and profile; ips, mode and bridge port are optional";
}

/* Reads the header; 0 if usable, -1 after an error (nothing else read). */
static int parse_header(struct csv *c, const char *l, size_t n,
			struct field *f, int nf)
{
	int unknown[MAX_FIELDS];
	int nunknown = 0, known = 0, nmissing = 0, i, k, bad = 0;
	char missing[128] = "";
	char q[64];

	c->ncols = nf;
	for (k = 0; k < NCOLS; k++)
		c->idx[k] = -1;
	for (i = 0; i < nf && i < MAX_FIELDS; i++) {
		char norm[64];
		size_t a;

		normalize(f[i].s, norm, sizeof(norm));
		for (a = 0; a < NALIASES; a++)
			if (!strcmp(norm, col_aliases[a].name))
				break;
		if (a == NALIASES) {
			if (f[i].s[0])
				unknown[nunknown++] = i;
			continue;
		}
		k = col_aliases[a].col;
		known++;
		if (c->idx[k] >= 0) {
			cerr(c, f[i].col,
			     "duplicate column '%s' (%s, as column %d)",
			     excerpt(q, sizeof(q), f[i].s), col_names[k],
			     c->idx[k] + 1);
			bad = 1;
			continue;
		}
		c->idx[k] = i;
	}
	if (bad)
		return -1;
	if (!known) {
		char *hl = strndup(l, n);

		if (!hl)
			abort();
		cerr(c, 1, "invalid header '%s' (expected column names: %s)",
		     excerpt(q, sizeof(q), hl), required_list());
		free(hl);
		return -1;
	}
	for (k = 0; k < NCOLS; k++) {
		const char *cands[NALIASES];
		size_t a, ncands = 0;

		if (!col_required[k] || c->idx[k] >= 0)
			continue;
		/* a misspelled header is the likely cause */
		for (a = 0; a < NALIASES; a++)
			if (col_aliases[a].col == (enum col)k)
				cands[ncands++] = col_aliases[a].name;
		for (i = 0; i < nunknown; i++) {
			char norm[64];

			normalize(f[unknown[i]].s, norm, sizeof(norm));
			if (cf_did_you_mean(norm, cands, ncands))
				break;
		}
		if (i < nunknown) {
			cerr(c, f[unknown[i]].col,
			     "unknown column '%s' (did you mean %s?)",
			     excerpt(q, sizeof(q), f[unknown[i]].s),
			     col_names[k]);
			bad = 1;
			continue;
		}
		if (missing[0])
			strcat(missing, ", ");
		strcat(missing, col_names[k]);
		nmissing++;
	}
	if (nmissing)
		cerr(c, 1, "missing column%s %s (required: %s)",
		     nmissing > 1 ? "s" : "", missing, required_list());
	return bad || nmissing ? -1 : 0;
}

/* The field of column k, "" if the column is absent or the line short. */
static const struct field *get(const struct csv *c, const struct field *f,
			       int nf, enum col k)
{
	static const struct field none = { "", 0, 0 };
	int i = c->idx[k];

	return i >= 0 && i < nf && i < MAX_FIELDS ? &f[i] : &none;
}

static int is_addr_sep(int ch)
{
	return ch == ';' || ch == ',' || ch == ' ' || ch == '\t';
}

static void add_device(struct csv *c, const struct field *f, int nf)
{
	const struct field *fname = get(c, f, nf, C_NAME);
	const struct field *fmac = get(c, f, nf, C_MAC);
	const struct field *fips = get(c, f, nf, C_IPS);
	const struct field *fprof = get(c, f, nf, C_PROFILE);
	const struct field *fmode = get(c, f, nf, C_MODE);
	const struct field *fport = get(c, f, nf, C_PORT);
	struct cf_config *cfg = c->cfg;
	struct cf_cfg_device d;
	char q[64], m[20];
	int before = c->errs, rc, k;
	const char *s;

	/* too few fields: a column the line does not reach is required */
	for (k = 0; k < NCOLS; k++)
		if (col_required[k] && c->idx[k] >= nf) {
			cerr(c, 1, "too few fields: %d, the header has %d (no %s)",
			     nf, c->ncols, col_names[k]);
			return;
		}
	for (k = c->ncols; k < nf && k < MAX_FIELDS; k++)
		if (f[k].s[0]) {
			cerr(c, f[k].col, "too many fields: %d, the header has %d",
			     nf, c->ncols);
			return;
		}

	memset(&d, 0, sizeof(d));
	d.mode = CAMFENCE_MODE_DEFAULT;
	d.loc = (struct cf_cfg_loc){ c->file, c->line, fname->col ? fname->col : 1 };

	if (!cf_valid_name(fname->s))
		cerr(c, fname->col,
		     "invalid device name '%s' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		     excerpt(q, sizeof(q), fname->s));
	else
		strcpy(d.name, fname->s);

	rc = cf_parse_mac(fmac->s, d.mac);
	if (rc == CF_MAC_ESYNTAX)
		cerr(c, fmac->col,
		     "invalid MAC '%s' (expected aa:bb:cc:dd:ee:ff, aabb.ccdd.eeff or aabbccddeeff)",
		     excerpt(q, sizeof(q), fmac->s));
	else if (rc == CF_MAC_EMULTICAST)
		cerr(c, fmac->col,
		     "MAC %s is a multicast address (a device needs a unicast MAC)",
		     cf_format_mac(d.mac, m, sizeof(m)));
	else if (rc == CF_MAC_EZERO)
		cerr(c, fmac->col, "MAC 00:00:00:00:00:00 is not valid");

	for (s = fips->s; *s;) {
		struct cf_cfg_addr a;
		char ip[128];
		size_t len;
		int col;

		while (is_addr_sep((unsigned char)*s))
			s++;
		if (!*s)
			break;
		len = 0;
		while (s[len] && !is_addr_sep((unsigned char)s[len]))
			len++;
		col = clamp_col((size_t)(fips->col - 1 + fips->quoted) +
				(size_t)(s - fips->s));
		if (len >= sizeof(ip))
			len = sizeof(ip) - 1;
		memcpy(ip, s, len);
		ip[len] = '\0';
		while (*s && !is_addr_sep((unsigned char)*s))
			s++;
		if (cf_parse_addr(ip, &a)) {
			cerr(c, col, "invalid address '%s' (expected an IPv4 or IPv6 address)",
			     excerpt(q, sizeof(q), ip));
			continue;
		}
		if (!cf_addr_is_unicast(&a)) {
			cerr(c, col, "address %s is not a unicast address",
			     excerpt(q, sizeof(q), ip));
			continue;
		}
		if (d.naddrs >= CAMFENCE_MAX_DEVICE_ADDRS) {
			cerr(c, col, "too many addresses for device %s (max %d)",
			     d.name, CAMFENCE_MAX_DEVICE_ADDRS);
			break;
		}
		d.addrs[d.naddrs++] = a;
	}

	/* An empty profile is reported by the final validation; several
	 * profiles are joined by '+' ("cam+nvr-pull": ',' and ';' separate
	 * fields).
	 */
	if (fprof->s[0]) {
		const char *ps = fprof->s;
		char list[CF_CFG_NAME_MAX + 1] = "", part[64], err[256];

		for (;;) {
			const char *e = strchr(ps, CF_COMBO_SEP);
			size_t n = e ? (size_t)(e - ps) : strlen(ps);
			int col = fprof->col ? fprof->col + (int)(ps - fprof->s) : 0;

			if (n >= sizeof(part))
				n = sizeof(part) - 1;
			memcpy(part, ps, n);
			part[n] = '\0';
			if (!n && e) {
				cerr(c, col, "missing profile name before '+'");
				break;
			}
			if (!n) {
				cerr(c, col ? col - 1 : 0,
				     "missing profile name after '+'");
				break;
			}
			if (cf_profile_list_add(list, part, err, sizeof(err))) {
				cerr(c, col, "%s", err);
				break;
			}
			if (!e) {
				strcpy(d.profile, list);
				break;
			}
			ps = e + 1;
		}
	}

	if (fmode->s[0]) {
		d.mode = cf_parse_mode(fmode->s);
		if (d.mode < 0) {
			static const char *const modes[] = { "enforce", "monitor" };
			const char *hint = cf_did_you_mean(fmode->s, modes, 2);

			if (hint)
				cerr(c, fmode->col, "invalid mode '%s' (did you mean %s?)",
				     excerpt(q, sizeof(q), fmode->s), hint);
			else
				cerr(c, fmode->col,
				     "invalid mode '%s' (expected enforce, monitor or empty)",
				     excerpt(q, sizeof(q), fmode->s));
		}
	}

	if (fport->s[0]) {
		if (!cf_valid_ifname(fport->s))
			cerr(c, fport->col,
			     "invalid interface name '%s' (expected 1-15 characters, no '/', ':' or spaces)",
			     excerpt(q, sizeof(q), fport->s));
		else
			strcpy(d.port, fport->s);
	}

	if (c->errs != before)
		return;
	cfg->devices = grow(cfg->devices, cfg->ndevices, sizeof(*cfg->devices));
	cfg->devices[cfg->ndevices++] = d;
}

int cf_csv_parse_buffer(const char *name, const char *buf, size_t len,
			struct cf_config *cfg, struct cf_diags *diags)
{
	struct csv c = { .cfg = cfg, .diags = diags, .sep = ',' };
	struct field *f = calloc(MAX_FIELDS, sizeof(*f));
	size_t pos = 0, cap = 0;
	char *out = NULL;
	int header = 0;

	if (!f)
		abort();
	c.file = cf_config_add_file(cfg, name ? name : "<csv>");
	if (is_utf16(buf, len)) {
		c.line = 1;
		cerr(&c, 1, "UTF-16 text is not supported (save the list as CSV UTF-8)");
		free(f);
		return c.errs;
	}
	if (len >= 3 && !memcmp(buf, UTF8_BOM, 3))
		pos = 3;

	while (pos < len) {
		const char *l = buf + pos;
		size_t n, i;
		int nf, bad = 0;

		pos = next_line(buf, len, pos, &n);
		if (c.line < 0x7fffffff)
			c.line++;
		for (i = 0; i < n && (l[i] == ' ' || l[i] == '\t'); i++)
			;
		if (i == n || l[i] == '#')
			continue;
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)l[i];

			if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
				cerr(&c, clamp_col(i), "invalid character 0x%02x", ch);
				bad = 1;
				break;
			}
		}
		if (bad) {
			if (!header)
				break;
			continue;
		}
		if (n + 1 > cap) {
			cap = n + 1;
			free(out);
			out = malloc(cap);
			if (!out)
				abort();
		}
		if (!header)
			c.sep = detect_sep(l, n);
		nf = split(&c, l, n, out, f, MAX_FIELDS);
		if (nf < 0) {
			if (!header)
				break;
			continue;
		}
		if (!header) {
			if (parse_header(&c, l, n, f, nf))
				break;
			header = 1;
			continue;
		}
		/* an empty spreadsheet row: ",,,," */
		for (i = 0; i < (size_t)nf && i < MAX_FIELDS && !f[i].s[0]; i++)
			;
		if (i == (size_t)nf)
			continue;
		add_device(&c, f, nf);
	}
	free(out);
	free(f);
	if (!header && !c.errs) {
		c.line = 1;
		cerr(&c, 1, "missing header (expected column names: %s)",
		     required_list());
	}
	return c.errs;
}
