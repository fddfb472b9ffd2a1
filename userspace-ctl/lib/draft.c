// SPDX-License-Identifier: GPL-2.0
/*
 * The draft device list of `camfencectl unknown --csv` and the reader of a
 * saved `camfencectl -j unknown` document. A draft is for review: every
 * device is in monitor mode and a device that no camera maker claims says
 * so in a comment line before it.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include "draft.h"

/* Lower-case [a-z0-9] run of s (at most max chars); '-' between words
 * is kept when keep_dash.
 */
static void slug(const char *s, char *out, size_t max)
{
	size_t n = 0;

	while (*s && !isalnum((unsigned char)*s))
		s++;
	for (; *s && n < max; s++) {
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
		else if (*s == '-' && isalnum((unsigned char)s[1]))
			out[n++] = '-';
		else
			break;
	}
	out[n] = 0;
}

char *cf_draft_name(const struct cf_vendor *v, const uint8_t mac[6],
		    int octets, char *buf, size_t len)
{
	char brand[20];
	size_t o;
	int i;

	switch (v->kind) {
	case CF_MAC_REGISTERED:
		slug(v->camera ? v->camera->family : v->org, brand, 12);
		break;
	case CF_MAC_LOCAL:
	case CF_MAC_RANDOM:
		snprintf(brand, sizeof(brand), "local");
		break;
	default:
		brand[0] = 0;
	}
	if (!brand[0])
		snprintf(brand, sizeof(brand), "device");
	o = (size_t)snprintf(buf, len, "%s-", brand);
	for (i = 6 - octets; i < 6 && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%02x", mac[i]);
	return buf;
}

/* A CSV field, quoted when it holds the separator, a quote or spaces. */
static void csv_put(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"; \t")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

int cf_draft_csv(FILE *f, const struct cf_unknown *u, size_t n,
		 struct cf_vendor_db *db)
{
	char (*names)[40] = calloc(n ? n : 1, sizeof(*names));
	size_t i, k;
	int count = 0;

	if (!names)
		return -1;
	/* names first: 3 octets, more where two devices would collide */
	for (i = 0; i < n; i++) {
		struct cf_vendor v;
		int oct = 3;

		if (i && !memcmp(u[i].mac, u[i - 1].mac, 6))
			continue;
		cf_vendor_lookup(db, u[i].mac, &v);
		for (;;) {
			cf_draft_name(&v, u[i].mac, oct, names[i], sizeof(names[i]));
			for (k = 0; k < i; k++)
				if (names[k][0] && !strcmp(names[k], names[i]))
					break;
			if (k == i || oct == 6)
				break;
			oct++;
		}
	}
	fprintf(f, "# camfence draft device list: review every line, then include it\n"
		"# from camfence.conf (include \"FILE.csv\") and run camfencectl check.\n"
		"name,mac,ips,profile,mode,vendor,zone\n");
	for (i = 0; i < n; i = k) {
		const struct cf_unknown *d = &u[i];
		struct cf_vendor v;
		char mac[18], addr[64];

		/* the first entry of this MAC with an address */
		for (k = i; k < n && !memcmp(u[k].mac, d->mac, 6); k++)
			if (!d->family && u[k].family)
				d = &u[k];
		cf_vendor_lookup(db, d->mac, &v);
		cf_format_mac(d->mac, mac, sizeof(mac));
		if (!v.camera)
			fprintf(f, "# %s: %s is not a known camera maker: review the profile\n",
				mac, v.kind == CF_MAC_REGISTERED ? v.org : cf_vendor_name(&v));
		if (!d->family)
			fprintf(f, "# %s: no address seen yet: add ips before enforcing\n", mac);
		addr[0] = 0;
		if (d->family && !inet_ntop(d->family, d->addr, addr, sizeof(addr)))
			addr[0] = 0;
		fprintf(f, "%s,%s,%s,%s,monitor,", names[i], mac, addr,
			v.camera ? v.camera->profile : CF_DRAFT_DEFAULT_PROFILE);
		csv_put(f, v.kind == CF_MAC_UNREGISTERED ? "" : cf_vendor_name(&v));
		fputc(',', f);
		csv_put(f, d->zone);
		fputc('\n', f);
		count++;
	}
	free(names);
	return count;
}

static int get_u64(json_object *o, const char *key, uint64_t *out, bool need)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return need ? -1 : 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	*out = json_object_get_uint64(v);
	if (errno || json_object_get_int64(v) < 0)
		return -1;
	return 0;
}

static const char *get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Parses a whole buffer (a NUL inside is an error: json-c stops there). */
json_object *cf_json_parse(const char *buf, size_t len, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	enum json_tokener_error e;

	if (len > (size_t)INT32_MAX || memchr(buf, 0, len)) {
		snprintf(err, errlen, "not a JSON text");
		return NULL;
	}
	tok = json_tokener_new_ex(64);
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	e = json_tokener_get_error(tok);
	if (!root || e != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		size_t off = json_tokener_get_parse_end(tok);

		/* trailing white space is fine */
		while (root && e == json_tokener_success && off < len &&
		       isspace((unsigned char)buf[off]))
			off++;
		if (!root || e != json_tokener_success || off != len) {
			snprintf(err, errlen, "invalid JSON at byte %zu: %s", off,
				 e != json_tokener_success ? json_tokener_error_desc(e)
				 : "text after the document");
			json_object_put(root);
			json_tokener_free(tok);
			return NULL;
		}
	}
	json_tokener_free(tok);
	return root;
}

int cf_unknown_from_json(const char *buf, size_t len, struct cf_unknown **out,
			 size_t *nout, char *err, size_t errlen)
{
	json_object *root = cf_json_parse(buf, len, err, errlen), *arr;
	struct cf_unknown *v = NULL;
	size_t i, n;

	*out = NULL;
	*nout = 0;
	if (!root)
		return -1;
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "unknown", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		snprintf(err, errlen, "expected {\"unknown\": [...]} (camfencectl -j unknown)");
		goto fail;
	}
	n = json_object_array_length(arr);
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct cf_unknown *u = &v[i];
		const char *s;
		uint64_t vlan = 0;
		struct cf_cfg_addr a;

		if (!json_object_is_type(o, json_type_object)) {
			snprintf(err, errlen, "unknown[%zu]: not an object", i);
			goto fail;
		}
		s = get_str(o, "mac");
		if (!s || cf_parse_mac(s, u->mac)) {
			snprintf(err, errlen, "unknown[%zu]: missing or invalid mac", i);
			goto fail;
		}
		s = get_str(o, "zone");
		if (s && strlen(s) < sizeof(u->zone))
			strcpy(u->zone, s);
		s = get_str(o, "ifname");
		if (s && strlen(s) < sizeof(u->ifname))
			strcpy(u->ifname, s);
		s = get_str(o, "address");
		if (s) {
			if (cf_parse_addr(s, &a)) {
				snprintf(err, errlen, "unknown[%zu]: invalid address '%s'", i, s);
				goto fail;
			}
			u->family = a.family;
			memcpy(u->addr, a.addr, 16);
		}
		if (get_u64(o, "vlan", &vlan, false) || vlan > 4094 ||
		    get_u64(o, "first_seen", &u->first_seen, false) ||
		    get_u64(o, "last_seen", &u->last_seen, false) ||
		    get_u64(o, "packets", &u->packets, false)) {
			snprintf(err, errlen, "unknown[%zu]: a number is invalid", i);
			goto fail;
		}
		u->vlan = (uint16_t)vlan;
	}
	json_object_put(root);
	*out = v;
	*nout = n;
	return 0;
fail:
	free(v);
	json_object_put(root);
	return -1;
}
