// SPDX-License-Identifier: GPL-2.0
/*
 * The site report: one self-contained HTML page for people who do not run
 * routers (an auditor, a council): no script, no external style sheet,
 * font or image; the bars are inline SVG. Every string that comes from
 * the kernel or a file is escaped.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include "report.h"
#include "draft.h"
#include "json.h"

void cf_report_free(struct cf_report *r)
{
	free(r->devs);
	memset(r, 0, sizeof(*r));
}

static const char *dir_name(int dir)
{
	return dir == CAMFENCE_DIR_TO ? "to" : dir == CAMFENCE_DIR_FROM ? "from" : "-";
}

static char *addr_str(int family, const uint8_t *a, char *buf, size_t len)
{
	if (!family || !inet_ntop(family, a, buf, (socklen_t)len))
		snprintf(buf, len, "-");
	return buf;
}

int cf_report_is_internet(int family, const uint8_t *a)
{
	if (family == AF_INET) {
		if (a[0] == 10 || a[0] == 127 || a[0] == 0 || a[0] >= 224 ||
		    (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
		    (a[0] == 169 && a[1] == 254) || (a[0] == 100 && (a[1] & 0xc0) == 64))
			return 0;
		return 1;
	}
	if (family == AF_INET6) {
		static const uint8_t lo[16] = { [15] = 1 };

		if ((a[0] & 0xfe) == 0xfc || a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||
		    !memcmp(a, lo, 16))
			return 0;
		return 1;
	}
	return 0;
}

/* ---- JSON ---- */

static void json_ev(struct cf_json *j, const struct cf_evidence *e)
{
	char buf[64];

	cf_json_str(j, "peer", addr_str(e->family, e->peer, buf, sizeof(buf)));
	cf_json_str(j, "dir", dir_name(e->dir));
	cf_json_str(j, "proto", cf_format_proto(e->proto, buf, sizeof(buf)));
	cf_json_u64(j, "port", e->port);
	cf_json_str(j, "reason", cf_reason_name(e->reason));
	cf_json_u64(j, "count", e->count);
	cf_json_u64(j, "first_seen", e->first_seen);
	cf_json_u64(j, "last_seen", e->last_seen);
}

void cf_report_json_dns(struct cf_json *j, const struct cf_dev_info *d)
{
	int i;

	cf_json_obj_open(j, "dns");
	cf_json_u64(j, "total", d->dns_total);
	cf_json_u64(j, "invalid", d->dns_invalid);
	cf_json_u64(j, "replaced", d->dns_replaced);
	cf_json_arr_open(j, "names");
	for (i = 0; i < d->ndns; i++) {
		const struct cf_dns_name *n = &d->dns[i];

		cf_json_obj_open(j, NULL);
		cf_json_str(j, "name", n->name);
		cf_json_str(j, "verdict", cf_verdict_name(n->verdict));
		cf_json_u64(j, "count", n->count);
		cf_json_timestamp(j, "first_seen", n->first_seen);
		cf_json_timestamp(j, "last_seen", n->last_seen);
		cf_json_obj_close(j);
	}
	cf_json_arr_close(j);
	cf_json_obj_close(j);
}

int cf_report_write_json(FILE *f, const struct cf_report *r)
{
	struct cf_json j;
	char buf[64];
	size_t i;
	int k;

	cf_json_begin(&j, f);
	cf_json_obj_open(&j, NULL);
	cf_json_u64(&j, "report_version", 1);
	cf_json_u64(&j, "generated", (uint64_t)r->generated);
	cf_json_obj_open(&j, "stats");
	cf_json_str(&j, "mode", cf_mode_name(r->stats.mode));
	cf_json_u64(&j, "generation", r->stats.generation);
	cf_json_u64(&j, "device_count", r->stats.device_count);
	cf_json_str(&j, "version", r->stats.module_version);
	cf_json_obj_open(&j, "stats");
	cf_json_u64(&j, "allowed_packets", r->stats.allowed_packets);
	cf_json_u64(&j, "dropped_packets", r->stats.dropped_packets);
	cf_json_u64(&j, "unknown_packets", r->stats.unknown_packets);
	cf_json_u64(&j, "spoofed_packets", r->stats.spoofed_packets);
	cf_json_u64(&j, "monitored_packets", r->stats.monitored_packets);
	cf_json_obj_close(&j);
	cf_json_obj_close(&j);
	cf_json_arr_open(&j, "devices");
	for (i = 0; i < r->ndevs; i++) {
		const struct cf_dev_info *d = &r->devs[i].info;

		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "name", d->name);
		cf_json_str(&j, "mac", cf_format_mac(d->mac, buf, sizeof(buf)));
		cf_json_arr_open(&j, "addresses");
		for (k = 0; k < d->naddrs; k++)
			cf_json_str(&j, NULL, addr_str(d->addrs[k].family, d->addrs[k].addr, buf, sizeof(buf)));
		cf_json_arr_close(&j);
		cf_json_str(&j, "profile", d->profile);
		cf_json_str(&j, "mode", cf_mode_name(d->mode));
		cf_json_str(&j, "effective_mode", cf_mode_name(d->effective_mode));
		cf_json_u64(&j, "allowed_packets", d->allowed_packets);
		cf_json_u64(&j, "dropped_packets", d->dropped_packets);
		cf_json_u64(&j, "monitored_packets", d->monitored_packets);
		cf_json_u64(&j, "spoofed_packets", d->spoofed_packets);
		cf_json_u64(&j, "last_seen", d->last_seen);
		if (r->devs[i].nrules >= 0) {
			cf_json_arr_open(&j, "rules");
			for (k = 0; k < r->devs[i].nrules; k++)
				cf_json_str(&j, NULL, r->devs[i].rules[k]);
			cf_json_arr_close(&j);
		}
		cf_json_arr_open(&j, "evidence");
		for (k = 0; k < d->nevidence; k++) {
			cf_json_obj_open(&j, NULL);
			json_ev(&j, &d->evidence[k]);
			cf_json_obj_close(&j);
		}
		cf_json_arr_close(&j);
		if (d->has_dns)
			cf_report_json_dns(&j, d);
		cf_json_obj_close(&j);
	}
	cf_json_arr_close(&j);
	cf_json_obj_close(&j);
	return cf_json_end(&j);
}

static json_object *member(json_object *o, const char *k)
{
	json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, k, &v))
		return NULL;
	return v;
}

static const char *str(json_object *o, const char *k)
{
	json_object *v = member(o, k);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* A non-negative integer member; absent is 0. -1 if malformed. */
static int u64(json_object *o, const char *k, uint64_t *out)
{
	json_object *v = member(o, k);

	*out = 0;
	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return -1;
	*out = json_object_get_uint64(v);
	return 0;
}

static int copy(char *dst, size_t len, const char *s)
{
	if (!s)
		return 0;
	if (strlen(s) >= len)
		return -1;
	strcpy(dst, s);
	return 0;
}

/* ASCII without control characters: what the writer copies unchanged */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f || *s == '"' || *s == '\\')
			return false;
	return true;
}

static int mode_of(const char *s)
{
	if (!s || !strcmp(s, "default"))
		return CAMFENCE_MODE_DEFAULT;
	return cf_parse_mode(s);
}

static int read_ev(json_object *o, struct cf_evidence *e)
{
	const char *s;
	struct cf_cfg_addr a;
	uint64_t port;
	int i;

	memset(e, 0, sizeof(*e));
	s = str(o, "peer");
	if (s && strcmp(s, "-")) {
		if (cf_parse_addr(s, &a))
			return -1;
		e->family = a.family;
		memcpy(e->peer, a.addr, 16);
	}
	s = str(o, "dir");
	e->dir = s && !strcmp(s, "to") ? CAMFENCE_DIR_TO : s && !strcmp(s, "from") ? CAMFENCE_DIR_FROM : 0;
	s = str(o, "proto");
	e->proto = s ? cf_parse_proto(s) : 0;
	if (e->proto < 0)
		return -1;
	s = str(o, "reason");
	for (i = 0; s && i <= CAMFENCE_REASON_MAX; i++)
		if (!strcmp(s, cf_reason_name(i)))
			e->reason = i;
	if (u64(o, "port", &port) || port > 65535 || u64(o, "count", &e->count) ||
	    u64(o, "first_seen", &e->first_seen) || u64(o, "last_seen", &e->last_seen))
		return -1;
	e->port = (uint16_t)port;
	return 0;
}

/* "dns" of a device (absent in reports before it): 0 or -1. */
static int read_dns(json_object *o, struct cf_dev_info *d)
{
	json_object *names;
	uint64_t v;
	size_t k, n;
	int i;

	if (!o)
		return 0;
	names = member(o, "names");
	if (!json_object_is_type(o, json_type_object) || u64(o, "total", &v) ||
	    v > CAMFENCE_DNS_NAMES || u64(o, "invalid", &d->dns_invalid) ||
	    u64(o, "replaced", &d->dns_replaced) || !names ||
	    !json_object_is_type(names, json_type_array))
		return -1;
	d->dns_total = (uint32_t)v;
	n = json_object_array_length(names);
	if (n > d->dns_total)
		return -1;
	for (k = 0; k < n; k++) {
		json_object *e = json_object_array_get_idx(names, k);
		struct cf_dns_name *dn = &d->dns[d->ndns];
		const char *s = str(e, "verdict");

		if (copy(dn->name, sizeof(dn->name), str(e, "name")) ||
		    !cf_valid_dns_name(dn->name) || !s ||
		    u64(e, "count", &dn->count) ||
		    u64(e, "first_seen", &dn->first_seen) ||
		    u64(e, "last_seen", &dn->last_seen))
			return -1;
		dn->verdict = -1;
		for (i = 0; i < __CAMFENCE_VERDICT_MAX; i++)
			if (!strcmp(s, cf_verdict_name(i)))
				dn->verdict = i;
		if (dn->verdict < 0)
			return -1;
		d->ndns++;
	}
	d->has_dns = true;
	return 0;
}

int cf_report_from_json(const char *buf, size_t len, struct cf_report *r, char *err, size_t errlen)
{
	json_object *root = cf_json_parse(buf, len, err, errlen), *st, *cnt, *devs;
	uint64_t v;
	size_t i, n;

	memset(r, 0, sizeof(*r));
	if (!root)
		return -1;
	st = member(root, "stats");
	devs = member(root, "devices");
	if (!st || !json_object_is_type(st, json_type_object) || !devs ||
	    !json_object_is_type(devs, json_type_array)) {
		snprintf(err, errlen, "expected {\"stats\": {...}, \"devices\": [...]} (camfencectl -j report)");
		goto fail;
	}
	if (u64(root, "generated", &v)) {
		snprintf(err, errlen, "invalid generated");
		goto fail;
	}
	r->generated = (time_t)v;
	r->stats.mode = mode_of(str(st, "mode"));
	cnt = member(st, "stats");
	if (r->stats.mode < 0 || u64(st, "generation", &r->stats.generation) ||
	    copy(r->stats.module_version, sizeof(r->stats.module_version), str(st, "version")) ||
	    !printable(r->stats.module_version) ||
	    u64(cnt, "allowed_packets", &r->stats.allowed_packets) ||
	    u64(cnt, "dropped_packets", &r->stats.dropped_packets) ||
	    u64(cnt, "unknown_packets", &r->stats.unknown_packets) ||
	    u64(cnt, "spoofed_packets", &r->stats.spoofed_packets) ||
	    u64(cnt, "monitored_packets", &r->stats.monitored_packets)) {
		snprintf(err, errlen, "stats: a member is invalid");
		goto fail;
	}
	n = json_object_array_length(devs);
	if (n > CF_REPORT_MAX_DEVICES) {
		snprintf(err, errlen, "more than %d devices", CF_REPORT_MAX_DEVICES);
		goto fail;
	}
	r->devs = calloc(n ? n : 1, sizeof(*r->devs));
	if (!r->devs) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(devs, i), *a, *ev, *rules;
		struct cf_report_dev *rd = &r->devs[i];
		struct cf_dev_info *d = &rd->info;
		size_t k;

		if (!json_object_is_type(o, json_type_object) || !str(o, "name") ||
		    !cf_valid_name(str(o, "name")) || !str(o, "mac") || cf_parse_mac(str(o, "mac"), d->mac)) {
			snprintf(err, errlen, "devices[%zu]: missing or invalid name or mac", i);
			goto fail;
		}
		strcpy(d->name, str(o, "name"));
		d->mode = mode_of(str(o, "mode"));
		d->effective_mode = mode_of(str(o, "effective_mode"));
		if (copy(d->profile, sizeof(d->profile), str(o, "profile")) ||
		    (d->profile[0] && !cf_valid_name(d->profile)) || d->mode < 0 ||
		    d->effective_mode < 0 ||
		    u64(o, "allowed_packets", &d->allowed_packets) ||
		    u64(o, "dropped_packets", &d->dropped_packets) ||
		    u64(o, "monitored_packets", &d->monitored_packets) ||
		    u64(o, "spoofed_packets", &d->spoofed_packets) ||
		    u64(o, "last_seen", &d->last_seen)) {
			snprintf(err, errlen, "devices[%zu] (%s): a member is invalid", i, d->name);
			goto fail;
		}
		a = member(o, "addresses");
		for (k = 0; a && json_object_is_type(a, json_type_array) &&
		     k < json_object_array_length(a); k++) {
			const char *s = json_object_get_string(json_object_array_get_idx(a, k));

			if (d->naddrs == CAMFENCE_MAX_DEVICE_ADDRS || !s ||
			    cf_parse_addr(s, &d->addrs[d->naddrs])) {
				snprintf(err, errlen, "devices[%zu] (%s): invalid address", i, d->name);
				goto fail;
			}
			d->naddrs++;
		}
		rd->nrules = -1;
		rules = member(o, "rules");
		if (rules && json_object_is_type(rules, json_type_array)) {
			rd->nrules = 0;
			for (k = 0; k < json_object_array_length(rules) && rd->nrules < CF_REPORT_MAX_RULES; k++) {
				const char *s = json_object_get_string(json_object_array_get_idx(rules, k));

				if (s && strlen(s) < sizeof(rd->rules[0]))
					strcpy(rd->rules[rd->nrules++], s);
			}
		}
		ev = member(o, "evidence");
		for (k = 0; ev && json_object_is_type(ev, json_type_array) &&
		     k < json_object_array_length(ev); k++) {
			if (d->nevidence == CAMFENCE_EVIDENCE_SLOTS ||
			    read_ev(json_object_array_get_idx(ev, k), &d->evidence[d->nevidence])) {
				snprintf(err, errlen, "devices[%zu] (%s): evidence[%zu] is invalid", i, d->name, k);
				goto fail;
			}
			d->nevidence++;
		}
		if (read_dns(member(o, "dns"), d)) {
			snprintf(err, errlen, "devices[%zu] (%s): dns is invalid", i, d->name);
			goto fail;
		}
		r->ndevs++;
	}
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	cf_report_free(r);
	return -1;
}

/* ---- HTML ---- */

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				fputc(*s, f);
		}
	}
}

/* 23410 -> "23,410" */
static char *thousands(uint64_t v, char *buf, size_t len)
{
	char tmp[32];
	size_t n, i, o = 0;

	snprintf(tmp, sizeof(tmp), "%" PRIu64, v);
	n = strlen(tmp);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
	return buf;
}

static char *utc(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm))
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

/* Is addr bound to a device of the report (another camera)? */
static const struct cf_dev_info *owner(const struct cf_report *r, int family, const uint8_t *a)
{
	size_t i;
	int k;

	for (i = 0; i < r->ndevs; i++)
		for (k = 0; k < r->devs[i].info.naddrs; k++)
			if (r->devs[i].info.addrs[k].family == family &&
			    !memcmp(r->devs[i].info.addrs[k].addr, a, family == AF_INET ? 4 : 16))
				return &r->devs[i].info;
	return NULL;
}

struct devsum {
	uint64_t internet;		/* packets towards the internet */
	int internet_dests;
	uint64_t first;			/* first attempt of anything denied */
};

static void summarise(const struct cf_dev_info *d, struct devsum *s)
{
	int k;

	memset(s, 0, sizeof(*s));
	for (k = 0; k < d->nevidence; k++) {
		const struct cf_evidence *e = &d->evidence[k];

		if (e->dir == CAMFENCE_DIR_TO && cf_report_is_internet(e->family, e->peer)) {
			s->internet += e->count;
			s->internet_dests++;
		}
		if (e->first_seen && (!s->first || e->first_seen < s->first))
			s->first = e->first_seen;
	}
}

/* A bar: allowed (grey) and denied (red) packets on one scale for all devices. */
static void bar(FILE *f, uint64_t allowed, uint64_t denied, uint64_t max)
{
	const int w = 320;
	int wa = max ? (int)((double)allowed * w / (double)max) : 0;
	int wd = max ? (int)((double)denied * w / (double)max) : 0;

	if (allowed && !wa)
		wa = 1;
	if (denied && !wd)
		wd = 1;
	fprintf(f, "<svg class=\"bar\" width=\"%d\" height=\"14\" viewBox=\"0 0 %d 14\" "
		"xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"allowed and denied packets\">"
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"14\" fill=\"#eee\"/>"
		"<rect x=\"0\" y=\"0\" width=\"%d\" height=\"14\" fill=\"#8a9bb0\"/>"
		"<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"14\" fill=\"#c0392b\"/></svg>",
		w, w, w, wa, wa, wd);
}

/* The DNS names a device asked for, most queried first. */
static void dns_table(FILE *f, const struct cf_dev_info *d)
{
	struct cf_dns_name v[CAMFENCE_DNS_NAMES];
	char a[32], b[32], c[32];
	int k, n = d->ndns;

	if (!d->has_dns)
		return;
	memcpy(v, d->dns, (size_t)n * sizeof(v[0]));
	cf_dns_sort(v, n);
	fprintf(f, "<p class=\"dnsnote\">DNS: %d name%s asked for", n, n == 1 ? "" : "s");
	if ((uint32_t)n < d->dns_total)
		fprintf(f, " (of %u kept)", d->dns_total);
	if (d->dns_invalid)
		fprintf(f, "; %s malformed quer%s not recorded",
			thousands(d->dns_invalid, a, sizeof(a)), d->dns_invalid == 1 ? "y" : "ies");
	if (d->dns_replaced)
		fprintf(f, "; %s older name%s replaced (%d kept at most)",
			thousands(d->dns_replaced, a, sizeof(a)), d->dns_replaced == 1 ? "" : "s",
			CAMFENCE_DNS_NAMES);
	fprintf(f, "</p>\n");
	if (!n)
		return;
	fprintf(f, "<table class=\"dns\">\n<tr><th>DNS name it asked for</th>"
		"<th class=\"num\">Times</th><th>First</th><th>Last</th><th>Query</th></tr>\n");
	for (k = 0; k < n; k++) {
		fprintf(f, "<tr><td><code>");
		esc(f, v[k].name);
		fprintf(f, "</code></td><td class=\"num\">%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			thousands(v[k].count, a, sizeof(a)), utc(v[k].first_seen, b, sizeof(b)),
			utc(v[k].last_seen, c, sizeof(c)),
			v[k].verdict == CAMFENCE_VERDICT_ALLOWED ? "allowed (its resolver)" :
			v[k].verdict == CAMFENCE_VERDICT_DROPPED ? "<span class=\"ok\">blocked</span>" :
			"<span class=\"bad\">got through (monitor)</span>");
	}
	fprintf(f, "</table>\n");
}

int cf_report_write_html(FILE *f, const struct cf_report *r, struct cf_vendor_db *db,
			 const char *title)
{
	uint64_t internet = 0, through = 0, max = 0, denied_total = 0;
	int tried = 0, cams = 0, monitor = 0;
	char a[32], b[32], c[64];
	size_t i;
	int k;

	for (i = 0; i < r->ndevs; i++) {
		const struct cf_dev_info *d = &r->devs[i].info;
		uint64_t den = d->dropped_packets + d->monitored_packets;
		struct devsum s;
		struct cf_vendor v;

		summarise(d, &s);
		cf_vendor_lookup(db, d->mac, &v);
		cams += v.camera != NULL;
		if (s.internet) {
			tried++;
			internet += s.internet;
			if (d->effective_mode == CAMFENCE_MODE_MONITOR)
				through += s.internet;
		}
		monitor += d->effective_mode == CAMFENCE_MODE_MONITOR;
		denied_total += den;
		if (d->allowed_packets + den > max)
			max = d->allowed_packets + den;
	}
	if (!title)
		title = "camfence site report";
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		"<meta name=\"generator\" content=\"camfencectl report\">\n<title>");
	esc(f, title);
	fprintf(f, "</title>\n<style>\n"
		"body{font-family:sans-serif;margin:2em;color:#222;max-width:60em}\n"
		"h1{font-size:1.6em;margin-bottom:.2em} h2{font-size:1.2em;margin:1.6em 0 .3em;border-bottom:1px solid #ccc}\n"
		".summary{font-size:1.25em;background:#f4f6f8;padding:.8em 1em;border-left:6px solid #2c3e50}\n"
		".ok{color:#1e7d32;font-weight:bold} .bad{color:#c0392b;font-weight:bold}\n"
		"table{border-collapse:collapse;margin:.4em 0} td,th{padding:.15em .6em;text-align:left;vertical-align:top}\n"
		"th{background:#f0f0f0} .num{text-align:right} .meta{color:#555;font-size:.9em}\n"
		".legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 1em;vertical-align:middle}\n"
		"code{font-size:.95em}\n"
		"@page{size:A4 landscape;margin:1cm} @media print{body{margin:0;max-width:none;font-size:10px}}\n</style>\n</head>\n<body>\n<h1>");
	esc(f, title);
	fprintf(f, "</h1>\n<p class=\"meta\">Generated %s by camfencectl from policy generation %" PRIu64
		" (global mode %s, module %s).</p>\n",
		utc((uint64_t)r->generated, c, sizeof(c)), r->stats.generation,
		cf_mode_name(r->stats.mode), r->stats.module_version[0] ? r->stats.module_version : "-");
	/* "cameras" only when every device is one by its registered maker: an
	 * NVR or a door controller in the policy is not counted as a camera
	 */
	fprintf(f, "<p class=\"summary\" id=\"summary\">");
	if ((size_t)cams == r->ndevs)
		fprintf(f, "%zu camera%s; ", r->ndevs, r->ndevs == 1 ? "" : "s");
	else
		fprintf(f, "%zu device%s (%d by a camera maker); ", r->ndevs,
			r->ndevs == 1 ? "" : "s", cams);
	fprintf(f, "%d tried to reach the internet %s time%s; ",
		tried, thousands(internet, a, sizeof(a)), internet == 1 ? "" : "s");
	if (through)	/* evidence counts packets: say attempts, not connections */
		fprintf(f, "<span class=\"bad\">%s of those attempts got through (monitor mode)</span>.</p>\n",
			thousands(through, b, sizeof(b)));
	else
		fprintf(f, "<span class=\"ok\">0 connections got through</span>.</p>\n");
	fprintf(f, "<p>%d of them %s made by a known camera maker (IEEE registry). %s packets were denied "
		"in all. %s</p>\n", cams, cams == 1 ? "is" : "are", thousands(denied_total, a, sizeof(a)),
		monitor ? "Devices in <b>monitor</b> mode are observed, not blocked: what they tried got through."
		: "Every camera is in <b>enforce</b> mode: what no rule allows is blocked.");
	fprintf(f, "<p class=\"legend\">Bars: <span style=\"background:#8a9bb0\"></span>allowed packets"
		"<span style=\"background:#c0392b\"></span>denied (or, in monitor mode, observed) packets, "
		"on one scale for all cameras.</p>\n");
	for (i = 0; i < r->ndevs; i++) {
		const struct cf_report_dev *rd = &r->devs[i];
		const struct cf_dev_info *d = &rd->info;
		bool mon = d->effective_mode == CAMFENCE_MODE_MONITOR;
		struct cf_vendor v;
		struct devsum s;

		summarise(d, &s);
		cf_vendor_lookup(db, d->mac, &v);
		fprintf(f, "<h2 id=\"dev-");
		esc(f, d->name);
		fprintf(f, "\">");
		esc(f, d->name);
		fprintf(f, "</h2>\n<table>\n<tr><th>Vendor</th><td>");
		if (v.camera) {
			esc(f, v.camera->family);
			fprintf(f, " (camera maker; registered to ");
			esc(f, v.org);
			fprintf(f, ")");
		} else {
			esc(f, v.kind == CF_MAC_UNREGISTERED ? "unknown" : cf_vendor_name(&v));
		}
		fprintf(f, "</td></tr>\n<tr><th>MAC</th><td><code>%s</code></td></tr>\n<tr><th>Addresses</th><td>",
			cf_format_mac(d->mac, c, sizeof(c)));
		for (k = 0; k < d->naddrs; k++)
			fprintf(f, "%s<code>%s</code>", k ? ", " : "",
				addr_str(d->addrs[k].family, d->addrs[k].addr, c, sizeof(c)));
		fprintf(f, "%s</td></tr>\n<tr><th>Mode</th><td>%s</td></tr>\n<tr><th>Allowed</th><td>",
			d->naddrs ? "" : "-",
			mon ? "<span class=\"bad\">monitor</span>: observed, not blocked"
			    : "<span class=\"ok\">enforce</span>: what no rule allows is blocked");
		fprintf(f, "profile <code>");
		esc(f, d->profile);
		fprintf(f, "</code>");
		if (rd->nrules > 0) {
			fprintf(f, "<br>");
			for (k = 0; k < rd->nrules; k++) {
				fprintf(f, "%s<code>", k ? "<br>" : "");
				esc(f, rd->rules[k]);
				fprintf(f, "</code>");
			}
		} else if (rd->nrules == 0) {
			fprintf(f, ": nothing");
		}
		fprintf(f, "</td></tr>\n<tr><th>Traffic</th><td>");
		bar(f, d->allowed_packets, d->dropped_packets + d->monitored_packets, max);
		fprintf(f, " %s allowed, %s denied", thousands(d->allowed_packets, a, sizeof(a)),
			thousands(d->dropped_packets + d->monitored_packets, b, sizeof(b)));
		if (d->spoofed_packets)
			fprintf(f, ", %s with a forged address", thousands(d->spoofed_packets, a, sizeof(a)));
		fprintf(f, "</td></tr>\n<tr><th>Internet</th><td>");
		if (s.internet)
			fprintf(f, "<span class=\"%s\">tried %s time%s, %d destination%s: %s</span>",
				mon ? "bad" : "ok", thousands(s.internet, a, sizeof(a)), s.internet == 1 ? "" : "s",
				s.internet_dests, s.internet_dests == 1 ? "" : "s",
				mon ? "got through (monitor mode)" : "all blocked");
		else
			fprintf(f, "never tried");
		fprintf(f, "</td></tr>\n<tr><th>Since</th><td>%s</td></tr>\n</table>\n",
			s.first ? utc(s.first, a, sizeof(a)) : "no denied attempt recorded");
		dns_table(f, d);
		if (!d->nevidence)
			continue;
		fprintf(f, "<table class=\"evidence\">\n<tr><th>What it tried</th><th>Where</th>"
			"<th class=\"num\">Times</th><th>First</th><th>Last</th><th>Outcome</th></tr>\n");
		for (k = 0; k < d->nevidence; k++) {
			const struct cf_evidence *e = &d->evidence[k];
			const struct cf_dev_info *peer = owner(r, e->family, e->peer);
			bool mcast = (e->family == AF_INET && e->peer[0] >= 224 && e->peer[0] < 240) ||
				     (e->family == AF_INET6 && e->peer[0] == 0xff);
			const char *where = peer ? "another camera" : mcast ? "multicast (the segment)"
				: cf_report_is_internet(e->family, e->peer) ? "internet" : "local network";
			char p[16], pa[64], what[128];

			addr_str(e->family, e->peer, pa, sizeof(pa));
			cf_format_proto(e->proto, p, sizeof(p));
			if (e->port)
				snprintf(what, sizeof(what), "%s %s %s%s%s:%u", e->dir == CAMFENCE_DIR_FROM ?
					 "from" : "to", p, e->family == AF_INET6 ? "[" : "", pa,
					 e->family == AF_INET6 ? "]" : "", e->port);
			else
				snprintf(what, sizeof(what), "%s %s %s", e->dir == CAMFENCE_DIR_FROM ?
					 "from" : "to", p, pa);
			fprintf(f, "<tr><td><code>");
			esc(f, what);
			fprintf(f, "</code></td><td>%s", where);
			if (peer) {
				fprintf(f, " (");
				esc(f, peer->name);
				fprintf(f, ")");
			}
			fprintf(f, "</td><td class=\"num\">%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
				thousands(e->count, a, sizeof(a)), utc(e->first_seen, b, sizeof(b)),
				utc(e->last_seen, c, sizeof(c)),
				mon ? "<span class=\"bad\">got through (monitor)</span>"
				    : "<span class=\"ok\">blocked</span>");
		}
		fprintf(f, "</table>\n");
	}
	fprintf(f, "<p class=\"meta\">camfence keeps cameras to what their profile allows; every "
		"denied attempt is counted per device and its destination kept as evidence "
		"(the last %d destinations per device).</p>\n</body>\n</html>\n", CAMFENCE_EVIDENCE_SLOTS);
	return ferror(f) ? -1 : 0;
}
