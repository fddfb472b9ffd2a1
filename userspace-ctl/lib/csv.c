// SPDX-License-Identifier: GPL-2.0
/*
 * CSV device lists (an asset inventory export): a header line
 * "name,mac,ips,profile,mode", then one device per line. Tolerates a UTF-8
 * BOM, CRLF line ends, spaces around fields, "quoted" fields (with ""
 * for a quote), blank lines and '#' comment lines; ips are separated by
 * ';', mode may be empty (or the column left out). Errors are
 * "FILE:LINE: message"; a line with an error adds no device.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "parse_util.h"

#define CSV_FIELDS	5

static const char *const csv_header[CSV_FIELDS] = {
	"name", "mac", "ips", "profile", "mode"
};

struct csv {
	struct cf_config *cfg;
	struct cf_diags *diags;
	const char *file;
	int line;
	int errs;
};

static void cerr(struct csv *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void cerr(struct csv *c, const char *fmt, ...)
{
	struct cf_cfg_loc loc = { c->file, c->line, 0 };
	va_list ap;

	va_start(ap, fmt);
	cf_diag_vadd(c->diags, &loc, fmt, ap);
	va_end(ap);
	c->errs++;
}

static int is_blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/*
 * Split a line into at most max fields written to out (len + 1 bytes).
 * Returns the number of fields (more than max if there are more), or -1
 * after an error.
 */
static int split(struct csv *c, const char *l, size_t len, char *out,
		 char **f, int max)
{
	size_t i = 0;
	int n = 0;

	for (;;) {
		char *start = out, *end;

		while (i < len && is_blank((unsigned char)l[i]))
			i++;
		if (i < len && l[i] == '"') {
			for (i++;; i++) {
				if (i >= len) {
					cerr(c, "unterminated quoted field %d", n + 1);
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
			while (i < len && is_blank((unsigned char)l[i]))
				i++;
			if (i < len && l[i] != ',') {
				cerr(c, "unexpected character after quoted field %d",
				     n + 1);
				return -1;
			}
			end = out;
		} else {
			while (i < len && l[i] != ',')
				*out++ = l[i++];
			end = out;
			while (end > start && is_blank((unsigned char)end[-1]))
				end--;
		}
		*end = '\0';
		out = end + 1;
		if (n < max)
			f[n] = start;
		n++;
		if (i >= len)
			return n;
		i++;		/* the comma */
	}
}

static void add_device(struct csv *c, char **f, int nf)
{
	struct cf_config *cfg = c->cfg;
	struct cf_cfg_device d;
	char q[64], m[20];
	int before = c->errs, rc;
	char *ip, *save = NULL;

	memset(&d, 0, sizeof(d));
	d.mode = CAMFENCE_MODE_DEFAULT;
	d.loc = (struct cf_cfg_loc){ c->file, c->line, 0 };

	if (!cf_valid_name(f[0]))
		cerr(c, "invalid device name '%s' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		     excerpt(q, sizeof(q), f[0]));
	else
		strcpy(d.name, f[0]);

	rc = cf_parse_mac(f[1], d.mac);
	if (rc == CF_MAC_ESYNTAX)
		cerr(c, "invalid MAC '%s' (expected aa:bb:cc:dd:ee:ff)",
		     excerpt(q, sizeof(q), f[1]));
	else if (rc == CF_MAC_EMULTICAST)
		cerr(c, "MAC %s is a multicast address (a device needs a unicast MAC)",
		     cf_format_mac(d.mac, m, sizeof(m)));
	else if (rc == CF_MAC_EZERO)
		cerr(c, "MAC 00:00:00:00:00:00 is not valid");

	for (ip = strtok_r(f[2], ";", &save); ip;
	     ip = strtok_r(NULL, ";", &save)) {
		struct cf_cfg_addr a;
		char *e;

		while (is_blank((unsigned char)*ip))
			ip++;
		e = ip + strlen(ip);
		while (e > ip && is_blank((unsigned char)e[-1]))
			*--e = '\0';
		if (!*ip)
			continue;
		if (cf_parse_addr(ip, &a)) {
			cerr(c, "invalid address '%s' (expected an IPv4 or IPv6 address)",
			     excerpt(q, sizeof(q), ip));
			continue;
		}
		if (!cf_addr_is_unicast(&a)) {
			cerr(c, "address %s is not a unicast address",
			     excerpt(q, sizeof(q), ip));
			continue;
		}
		if (d.naddrs >= CAMFENCE_MAX_DEVICE_ADDRS) {
			cerr(c, "too many addresses for device %s (max %d)",
			     d.name, CAMFENCE_MAX_DEVICE_ADDRS);
			break;
		}
		d.addrs[d.naddrs++] = a;
	}

	/* An empty profile is reported by the final validation. */
	if (f[3][0] && !cf_valid_name(f[3]))
		cerr(c, "invalid profile name '%s' (expected 1-32 characters of A-Z a-z 0-9 . _ -)",
		     excerpt(q, sizeof(q), f[3]));
	else
		strcpy(d.profile, f[3]);

	if (nf > 4 && f[4][0]) {
		d.mode = cf_parse_mode(f[4]);
		if (d.mode < 0)
			cerr(c, "invalid mode '%s' (expected enforce, monitor or empty)",
			     excerpt(q, sizeof(q), f[4]));
	}

	if (c->errs != before)
		return;
	cfg->devices = grow(cfg->devices, cfg->ndevices, sizeof(*cfg->devices));
	cfg->devices[cfg->ndevices++] = d;
}

int cf_csv_parse_buffer(const char *name, const char *buf, size_t len,
			struct cf_config *cfg, struct cf_diags *diags)
{
	struct csv c = { cfg, diags, NULL, 0, 0 };
	size_t pos = 0, cap = 0;
	char *out = NULL;
	int header = 0;

	c.file = cf_config_add_file(cfg, name ? name : "<csv>");
	if (len >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3))
		pos = 3;
	if (len >= 2 && (!memcmp(buf, "\xff\xfe", 2) ||
			 !memcmp(buf, "\xfe\xff", 2))) {
		/* what spreadsheets write as "Unicode text" */
		c.line = 1;
		cerr(&c, "UTF-16 text is not supported (save the list as CSV UTF-8)");
		return c.errs;
	}

	while (pos < len) {
		const char *l = buf + pos;
		const char *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;
		char *f[CSV_FIELDS];
		size_t i;
		int nf, bad = 0;

		pos += n + (nl ? 1 : 0);
		if (c.line < 0x7fffffff)
			c.line++;
		while (n > 0 && l[n - 1] == '\r')
			n--;
		for (i = 0; i < n && is_blank((unsigned char)l[i]); i++)
			;
		if (i == n || l[i] == '#')
			continue;
		for (i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)l[i];

			if ((ch < 0x20 && ch != '\t' && ch != '\r') ||
			    ch == 0x7f) {
				cerr(&c, "invalid character 0x%02x", ch);
				bad = 1;
				break;
			}
		}
		if (bad)
			continue;
		if (n + 1 > cap) {
			cap = n + 1;
			free(out);
			out = malloc(cap);
			if (!out)
				abort();
		}
		nf = split(&c, l, n, out, f, CSV_FIELDS);
		if (nf < 0) {
			if (!header)
				break;
			continue;
		}
		if (!header) {
			int ok = nf == CSV_FIELDS;

			for (i = 0; ok && i < CSV_FIELDS; i++)
				ok = !strcasecmp(f[i], csv_header[i]);
			if (!ok) {
				char q[64], *hl = strndup(l, n);

				if (!hl)
					abort();
				cerr(&c, "invalid header '%s' (expected name,mac,ips,profile,mode)",
				     excerpt(q, sizeof(q), hl));
				free(hl);
				break;
			}
			header = 1;
			continue;
		}
		if (nf != CSV_FIELDS && nf != CSV_FIELDS - 1) {
			cerr(&c, "expected 5 fields (name,mac,ips,profile,mode), found %d",
			     nf);
			continue;
		}
		add_device(&c, f, nf);
	}
	free(out);
	if (!header && !c.errs) {
		c.line = 1;
		cerr(&c, "missing header (expected name,mac,ips,profile,mode)");
	}
	return c.errs;
}
