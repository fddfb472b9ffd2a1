// SPDX-License-Identifier: GPL-2.0
/*
 * A configuration as text and the difference between two configurations
 * (pure: no netlink). camfencectl show policy writes the policy it read back
 * from the kernel with cf_config_write(); load --dry-run and diff compare the
 * active policy (read back) with a file with cf_config_diff().
 *
 * The comparison is the kernel's (kmod/policy.c, cf_txn_unchanged() and the
 * commit's added/removed/changed counts): devices are matched by MAC (a
 * device keeps its counters and sysfs directory across a rename), zones and
 * profiles by name; a zone's VLANs and interfaces and a device's addresses
 * are sets, a profile's rules a list (the kernel compares them in order).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "config.h"
#include "json.h"

#define LINE_MAX_LEN	512
#define USED_BY_NAMES	8	/* device names listed under a profile */
#define LCS_MAX_CELLS	(4u << 20)

struct lines {
	int n, cap;
	char **v;
};

static void lines_add(struct lines *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void lines_add(struct lines *l, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 8;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			abort();
		l->v = v;
		l->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	l->v[l->n++] = s;
}

static void lines_free(struct lines *l)
{
	int i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static bool lines_has(const struct lines *l, const char *s)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static bool lines_equal(const struct lines *a, const struct lines *b)
{
	int i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return false;
	return true;
}

/* ---- the body lines of each object, as written in a block ---- */

static void zone_lines(const struct cf_cfg_zone *z, struct lines *l)
{
	int i;

	for (i = 0; i < z->nvlans; i++)
		lines_add(l, "vlan %u", z->vlans[i]);
	for (i = 0; i < z->nifs; i++)
		lines_add(l, "interface %s", z->ifnames[i]);
	lines_add(l, "unknown %s", cf_action_name(z->unknown));
}

static void profile_lines(const struct cf_cfg_profile *p, struct lines *l)
{
	char buf[LINE_MAX_LEN];
	int i;

	for (i = 0; i < p->nrules; i++)
		lines_add(l, "%s", cf_format_rule(&p->rules[i], buf, sizeof(buf)));
}

/* Without the MAC when it is the key the diff matched on. */
static void device_lines(const struct cf_cfg_device *d, struct lines *l,
			 bool mac)
{
	char buf[64];
	int i;

	if (mac)
		lines_add(l, "mac %s", cf_format_mac(d->mac, buf, sizeof(buf)));
	for (i = 0; i < d->naddrs; i++)
		lines_add(l, "ip %s",
			  cf_format_prefix(d->addrs[i].family, d->addrs[i].addr,
					   d->addrs[i].family == AF_INET ? 32 : 128,
					   buf, sizeof(buf)));
	lines_add(l, "profile %s", d->profile);
	if (d->mode == CAMFENCE_MODE_ENFORCE || d->mode == CAMFENCE_MODE_MONITOR)
		lines_add(l, "mode %s", cf_mode_name(d->mode));
	if (d->port[0])
		lines_add(l, "port %s", d->port);
}

static void write_block(FILE *f, const char *prefix, const char *kind,
			const char *name, const struct lines *l)
{
	int i;

	fprintf(f, "%s%s %s {\n", prefix, kind, name);
	for (i = 0; i < l->n; i++)
		fprintf(f, "%s    %s\n", prefix, l->v[i]);
	fprintf(f, "%s}\n", prefix);
}

int cf_config_write(FILE *f, const struct cf_config *cfg, const char *header)
{
	struct lines l = { 0 };
	int i;

	if (header && header[0])
		fprintf(f, "%s", header);
	if (cfg->mode == CAMFENCE_MODE_ENFORCE || cfg->mode == CAMFENCE_MODE_MONITOR)
		fprintf(f, "mode %s\n", cf_mode_name(cfg->mode));
	for (i = 0; i < cfg->nzones; i++) {
		zone_lines(&cfg->zones[i], &l);
		fputc('\n', f);
		write_block(f, "", "zone", cfg->zones[i].name, &l);
		lines_free(&l);
	}
	for (i = 0; i < cfg->nprofiles; i++) {
		profile_lines(&cfg->profiles[i], &l);
		fputc('\n', f);
		write_block(f, "", "profile", cfg->profiles[i].name, &l);
		lines_free(&l);
	}
	for (i = 0; i < cfg->ndevices; i++) {
		device_lines(&cfg->devices[i], &l, true);
		fputc('\n', f);
		write_block(f, "", "device", cfg->devices[i].name, &l);
		lines_free(&l);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- the difference ---- */

/* Lines of a that b lacks with '-', lines of b that a lacks with '+'. */
static int set_diff(FILE *f, const struct lines *a, const struct lines *b)
{
	int i, n = 0;

	for (i = 0; i < a->n; i++)
		if (!lines_has(b, a->v[i])) {
			if (f)
				fprintf(f, "-    %s\n", a->v[i]);
			n++;
		}
	for (i = 0; i < b->n; i++)
		if (!lines_has(a, b->v[i])) {
			if (f)
				fprintf(f, "+    %s\n", b->v[i]);
			n++;
		}
	return n;
}

/* The lines of a that b lacks (rm), of b that a lacks (ad), in order. */
static void set_diff_collect(const struct lines *a, const struct lines *b,
			     struct lines *rm, struct lines *ad)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (!lines_has(b, a->v[i]))
			lines_add(rm, "%s", a->v[i]);
	for (i = 0; i < b->n; i++)
		if (!lines_has(a, b->v[i]))
			lines_add(ad, "%s", b->v[i]);
}

/*
 * A list diff (longest common subsequence): rules in order. Written to f
 * ("-    line" / "+    line" interleaved), or, f NULL, collected in rm and
 * ad (each in its list's order).
 */
static void list_diff(FILE *f, const struct lines *a, const struct lines *b,
		      struct lines *rm, struct lines *ad)
{
	size_t w = (size_t)b->n + 1, cells = ((size_t)a->n + 1) * w;
	int *t, i, j;

	if (cells > LCS_MAX_CELLS || !(t = calloc(cells, sizeof(*t)))) {
		if (f)
			set_diff(f, a, b);
		else
			set_diff_collect(a, b, rm, ad);
		return;
	}
	for (i = a->n - 1; i >= 0; i--)
		for (j = b->n - 1; j >= 0; j--)
			t[i * w + j] = !strcmp(a->v[i], b->v[j]) ?
				t[(i + 1) * w + j + 1] + 1 :
				t[(i + 1) * w + j] > t[i * w + j + 1] ?
				t[(i + 1) * w + j] : t[i * w + j + 1];
	for (i = 0, j = 0; i < a->n || j < b->n;) {
		if (i < a->n && j < b->n && !strcmp(a->v[i], b->v[j])) {
			i++;
			j++;
		} else if (j >= b->n ||
			   (i < a->n && t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			if (f)
				fprintf(f, "-    %s\n", a->v[i]);
			else
				lines_add(rm, "%s", a->v[i]);
			i++;
		} else {
			if (f)
				fprintf(f, "+    %s\n", b->v[j]);
			else
				lines_add(ad, "%s", b->v[j]);
			j++;
		}
	}
	free(t);
}

static const struct cf_cfg_zone *find_zone(const struct cf_config *c,
					   const char *name)
{
	int i;

	for (i = 0; i < c->nzones; i++)
		if (!strcmp(c->zones[i].name, name))
			return &c->zones[i];
	return NULL;
}

static const struct cf_cfg_device *find_mac(const struct cf_config *c,
					    const uint8_t *mac, int hint)
{
	int i;

	if (hint < c->ndevices && !memcmp(c->devices[hint].mac, mac, 6))
		return &c->devices[hint];
	for (i = 0; i < c->ndevices; i++)
		if (!memcmp(c->devices[i].mac, mac, 6))
			return &c->devices[i];
	return NULL;
}

static bool profile_same(const struct cf_cfg_profile *a,
			 const struct cf_cfg_profile *b)
{
	struct lines la = { 0 }, lb = { 0 };
	bool same;

	profile_lines(a, &la);
	profile_lines(b, &lb);
	same = lines_equal(&la, &lb);
	lines_free(&la);
	lines_free(&lb);
	return same;
}

static void used_by(FILE *f, const struct cf_config *c, const char *profile)
{
	int i, n = 0;

	for (i = 0; i < c->ndevices; i++) {
		if (strcmp(c->devices[i].profile, profile))
			continue;
		if (n < USED_BY_NAMES)
			fprintf(f, "%s%s", n ? ", " : "     # used by ",
				c->devices[i].name);
		n++;
	}
	if (n > USED_BY_NAMES)
		fprintf(f, " and %d more", n - USED_BY_NAMES);
	if (n)
		fputc('\n', f);
}

/*
 * Devices are matched by MAC: a linear search when they are not at the
 * same index. Sites keep their order between reloads, so this is O(n) in
 * practice; a reordered file of 100,000 devices costs seconds, not hours
 * (the worst case is n * n / 2 MAC comparisons of 6 bytes).
 */
int cf_config_diff(FILE *f, const struct cf_config *cur,
		   const struct cf_config *want, struct cf_cfg_diffstat *st)
{
	struct lines la = { 0 }, lb = { 0 };
	FILE *out = f;
	int i;

	memset(st, 0, sizeof(*st));
	if (!out)
		out = fopen("/dev/null", "w");
	if (!out)
		return -1;

	/* mode: a file without one keeps the kernel's */
	if ((want->mode == CAMFENCE_MODE_ENFORCE ||
	     want->mode == CAMFENCE_MODE_MONITOR) && want->mode != cur->mode) {
		st->mode_changed = true;
		if (cur->mode == CAMFENCE_MODE_ENFORCE ||
		    cur->mode == CAMFENCE_MODE_MONITOR)
			fprintf(out, "-mode %s\n", cf_mode_name(cur->mode));
		fprintf(out, "+mode %s\n", cf_mode_name(want->mode));
	}

	for (i = 0; i < want->nzones; i++) {
		const struct cf_cfg_zone *z = &want->zones[i];
		const struct cf_cfg_zone *o = find_zone(cur, z->name);

		zone_lines(z, &lb);
		if (!o) {
			st->zone_added++;
			write_block(out, "+", "zone", z->name, &lb);
		} else {
			zone_lines(o, &la);
			if (set_diff(NULL, &la, &lb)) {
				st->zone_changed++;
				fprintf(out, "[edit zone %s]\n", z->name);
				set_diff(out, &la, &lb);
			}
			lines_free(&la);
		}
		lines_free(&lb);
	}
	for (i = 0; i < cur->nzones; i++) {
		if (find_zone(want, cur->zones[i].name))
			continue;
		st->zone_removed++;
		zone_lines(&cur->zones[i], &la);
		write_block(out, "-", "zone", cur->zones[i].name, &la);
		lines_free(&la);
	}

	for (i = 0; i < want->nprofiles; i++) {
		const struct cf_cfg_profile *p = &want->profiles[i];
		const struct cf_cfg_profile *o = cf_config_find_profile(cur,
									p->name);

		profile_lines(p, &lb);
		if (!o) {
			st->prof_added++;
			write_block(out, "+", "profile", p->name, &lb);
		} else {
			profile_lines(o, &la);
			if (!lines_equal(&la, &lb)) {
				st->prof_changed++;
				fprintf(out, "[edit profile %s]\n", p->name);
				used_by(out, want, p->name);
				list_diff(out, &la, &lb, NULL, NULL);
			}
			lines_free(&la);
		}
		lines_free(&lb);
	}
	for (i = 0; i < cur->nprofiles; i++) {
		if (cf_config_find_profile(want, cur->profiles[i].name))
			continue;
		st->prof_removed++;
		profile_lines(&cur->profiles[i], &la);
		write_block(out, "-", "profile", cur->profiles[i].name, &la);
		lines_free(&la);
	}

	for (i = 0; i < want->ndevices; i++) {
		const struct cf_cfg_device *d = &want->devices[i];
		const struct cf_cfg_device *o = find_mac(cur, d->mac, i);
		const struct cf_cfg_profile *pn, *po;
		bool renamed;

		if (!o) {
			st->dev_added++;
			device_lines(d, &lb, true);
			write_block(out, "+", "device", d->name, &lb);
			lines_free(&lb);
			continue;
		}
		device_lines(o, &la, false);
		device_lines(d, &lb, false);
		renamed = strcmp(o->name, d->name) != 0;
		if (renamed || set_diff(NULL, &la, &lb)) {
			st->dev_changed++;
			if (renamed)
				fprintf(out, "[edit device %s -> %s]\n",
					o->name, d->name);
			else
				fprintf(out, "[edit device %s]\n", d->name);
			set_diff(out, &la, &lb);
		} else {
			/* same profile name: are its rules the same? */
			pn = cf_config_find_profile(want, d->profile);
			po = cf_config_find_profile(cur, o->profile);
			if (pn && po && !profile_same(pn, po)) {
				st->dev_changed++;
				st->dev_by_profile++;
			} else {
				st->dev_unchanged++;
			}
		}
		lines_free(&la);
		lines_free(&lb);
	}
	for (i = 0; i < cur->ndevices; i++) {
		const struct cf_cfg_device *o = &cur->devices[i];

		if (find_mac(want, o->mac, i))
			continue;
		st->dev_removed++;
		device_lines(o, &la, true);
		write_block(out, "-", "device", o->name, &la);
		lines_free(&la);
	}
	if (out != f)
		fclose(out);
	return st->mode_changed || st->zone_added || st->zone_removed ||
	       st->zone_changed || st->prof_added || st->prof_removed ||
	       st->prof_changed || st->dev_added || st->dev_removed ||
	       st->dev_changed;
}

void cf_diffstat_print(FILE *f, const struct cf_cfg_diffstat *st)
{
	fprintf(f, "devices: %d added, %d removed, %d changed", st->dev_added,
		st->dev_removed, st->dev_changed);
	if (st->dev_by_profile)
		fprintf(f, " (%d by their profile's rules)", st->dev_by_profile);
	fprintf(f, ", %d unchanged; profiles: %d added, %d removed, %d changed; "
		"zones: %d added, %d removed, %d changed; mode %s\n",
		st->dev_unchanged, st->prof_added, st->prof_removed,
		st->prof_changed, st->zone_added, st->zone_removed,
		st->zone_changed, st->mode_changed ? "changed" : "unchanged");
}

/* ---- the difference as JSON (diff -j, load --dry-run -j) ---- */

static void json_lines(struct cf_json *j, const char *key,
		       const struct lines *l)
{
	int i;

	cf_json_arr_open(j, key);
	for (i = 0; i < l->n; i++)
		cf_json_str(j, NULL, l->v[i]);
	cf_json_arr_close(j);
}

/* {"name": N, "lines": [...]}: an object added or removed whole */
static void json_block(struct cf_json *j, const char *name,
		       const struct lines *l)
{
	cf_json_obj_open(j, NULL);
	cf_json_str(j, "name", name);
	json_lines(j, "lines", l);
	cf_json_obj_close(j);
}

/* "removed": [...], "added": [...] of a changed object (sets, or a list) */
static void json_change(struct cf_json *j, const struct lines *a,
			const struct lines *b, bool list)
{
	struct lines rm = { 0 }, ad = { 0 };

	if (list)
		list_diff(NULL, a, b, &rm, &ad);
	else
		set_diff_collect(a, b, &rm, &ad);
	json_lines(j, "removed", &rm);
	json_lines(j, "added", &ad);
	lines_free(&rm);
	lines_free(&ad);
}

static void json_zones(struct cf_json *j, const struct cf_config *cur,
		       const struct cf_config *want)
{
	struct lines la = { 0 }, lb = { 0 };
	int i;

	cf_json_obj_open(j, "zones");
	cf_json_arr_open(j, "added");
	for (i = 0; i < want->nzones; i++) {
		if (find_zone(cur, want->zones[i].name))
			continue;
		zone_lines(&want->zones[i], &lb);
		json_block(j, want->zones[i].name, &lb);
		lines_free(&lb);
	}
	cf_json_arr_close(j);
	cf_json_arr_open(j, "removed");
	for (i = 0; i < cur->nzones; i++) {
		if (find_zone(want, cur->zones[i].name))
			continue;
		zone_lines(&cur->zones[i], &la);
		json_block(j, cur->zones[i].name, &la);
		lines_free(&la);
	}
	cf_json_arr_close(j);
	cf_json_arr_open(j, "changed");
	for (i = 0; i < want->nzones; i++) {
		const struct cf_cfg_zone *o = find_zone(cur, want->zones[i].name);

		if (!o)
			continue;
		zone_lines(o, &la);
		zone_lines(&want->zones[i], &lb);
		if (set_diff(NULL, &la, &lb)) {
			cf_json_obj_open(j, NULL);
			cf_json_str(j, "name", want->zones[i].name);
			json_change(j, &la, &lb, false);
			cf_json_obj_close(j);
		}
		lines_free(&la);
		lines_free(&lb);
	}
	cf_json_arr_close(j);
	cf_json_obj_close(j);
}

static void json_used_by(struct cf_json *j, const struct cf_config *c,
			 const char *profile)
{
	int i;

	cf_json_arr_open(j, "used_by");
	for (i = 0; i < c->ndevices; i++)
		if (!strcmp(c->devices[i].profile, profile))
			cf_json_str(j, NULL, c->devices[i].name);
	cf_json_arr_close(j);
}

static void json_profiles(struct cf_json *j, const struct cf_config *cur,
			  const struct cf_config *want)
{
	struct lines la = { 0 }, lb = { 0 };
	int i;

	cf_json_obj_open(j, "profiles");
	cf_json_arr_open(j, "added");
	for (i = 0; i < want->nprofiles; i++) {
		if (cf_config_find_profile(cur, want->profiles[i].name))
			continue;
		profile_lines(&want->profiles[i], &lb);
		json_block(j, want->profiles[i].name, &lb);
		lines_free(&lb);
	}
	cf_json_arr_close(j);
	cf_json_arr_open(j, "removed");
	for (i = 0; i < cur->nprofiles; i++) {
		if (cf_config_find_profile(want, cur->profiles[i].name))
			continue;
		profile_lines(&cur->profiles[i], &la);
		json_block(j, cur->profiles[i].name, &la);
		lines_free(&la);
	}
	cf_json_arr_close(j);
	cf_json_arr_open(j, "changed");
	for (i = 0; i < want->nprofiles; i++) {
		const struct cf_cfg_profile *p = &want->profiles[i];
		const struct cf_cfg_profile *o = cf_config_find_profile(cur,
									p->name);

		if (!o)
			continue;
		profile_lines(o, &la);
		profile_lines(p, &lb);
		if (!lines_equal(&la, &lb)) {
			cf_json_obj_open(j, NULL);
			cf_json_str(j, "name", p->name);
			json_used_by(j, want, p->name);
			json_change(j, &la, &lb, true);
			cf_json_obj_close(j);
		}
		lines_free(&la);
		lines_free(&lb);
	}
	cf_json_arr_close(j);
	cf_json_obj_close(j);
}

static void json_devices(struct cf_json *j, const struct cf_config *cur,
			 const struct cf_config *want)
{
	struct lines la = { 0 }, lb = { 0 };
	int i;

	cf_json_obj_open(j, "devices");
	cf_json_arr_open(j, "added");
	for (i = 0; i < want->ndevices; i++) {
		if (find_mac(cur, want->devices[i].mac, i))
			continue;
		device_lines(&want->devices[i], &lb, true);
		json_block(j, want->devices[i].name, &lb);
		lines_free(&lb);
	}
	cf_json_arr_close(j);
	cf_json_arr_open(j, "removed");
	for (i = 0; i < cur->ndevices; i++) {
		if (find_mac(want, cur->devices[i].mac, i))
			continue;
		device_lines(&cur->devices[i], &la, true);
		json_block(j, cur->devices[i].name, &la);
		lines_free(&la);
	}
	cf_json_arr_close(j);
	cf_json_arr_open(j, "changed");
	for (i = 0; i < want->ndevices; i++) {
		const struct cf_cfg_device *d = &want->devices[i];
		const struct cf_cfg_device *o = find_mac(cur, d->mac, i);

		if (!o)
			continue;
		device_lines(o, &la, false);
		device_lines(d, &lb, false);
		if (strcmp(o->name, d->name) || set_diff(NULL, &la, &lb)) {
			cf_json_obj_open(j, NULL);
			cf_json_str(j, "name", d->name);
			if (strcmp(o->name, d->name))
				cf_json_str(j, "old_name", o->name);
			json_change(j, &la, &lb, false);
			cf_json_obj_close(j);
		}
		lines_free(&la);
		lines_free(&lb);
	}
	cf_json_arr_close(j);
	/* same lines, but the rules of their profile changed */
	cf_json_arr_open(j, "changed_by_profile");
	for (i = 0; i < want->ndevices; i++) {
		const struct cf_cfg_device *d = &want->devices[i];
		const struct cf_cfg_device *o = find_mac(cur, d->mac, i);
		const struct cf_cfg_profile *pn, *po;
		bool same;

		if (!o || strcmp(o->name, d->name))
			continue;
		device_lines(o, &la, false);
		device_lines(d, &lb, false);
		same = !set_diff(NULL, &la, &lb);
		lines_free(&la);
		lines_free(&lb);
		pn = cf_config_find_profile(want, d->profile);
		po = cf_config_find_profile(cur, o->profile);
		if (same && pn && po && !profile_same(pn, po))
			cf_json_str(j, NULL, d->name);
	}
	cf_json_arr_close(j);
	cf_json_obj_close(j);
}

int cf_config_diff_json(struct cf_json *j, const struct cf_config *cur,
			const struct cf_config *want,
			struct cf_cfg_diffstat *st)
{
	int d = cf_config_diff(NULL, cur, want, st);

	if (d < 0)
		return d;
	cf_json_bool(j, "differs", d);
	if (st->mode_changed) {
		cf_json_obj_open(j, "mode");
		if (cur->mode == CAMFENCE_MODE_ENFORCE ||
		    cur->mode == CAMFENCE_MODE_MONITOR)
			cf_json_str(j, "from", cf_mode_name(cur->mode));
		else
			cf_json_null(j, "from");
		cf_json_str(j, "to", cf_mode_name(want->mode));
		cf_json_obj_close(j);
	} else {
		cf_json_null(j, "mode");
	}
	json_zones(j, cur, want);
	json_profiles(j, cur, want);
	json_devices(j, cur, want);
	cf_json_obj_open(j, "summary");
	cf_json_obj_open(j, "devices");
	cf_json_u64(j, "added", st->dev_added);
	cf_json_u64(j, "removed", st->dev_removed);
	cf_json_u64(j, "changed", st->dev_changed);
	cf_json_u64(j, "changed_by_profile", st->dev_by_profile);
	cf_json_u64(j, "unchanged", st->dev_unchanged);
	cf_json_obj_close(j);
	cf_json_obj_open(j, "profiles");
	cf_json_u64(j, "added", st->prof_added);
	cf_json_u64(j, "removed", st->prof_removed);
	cf_json_u64(j, "changed", st->prof_changed);
	cf_json_obj_close(j);
	cf_json_obj_open(j, "zones");
	cf_json_u64(j, "added", st->zone_added);
	cf_json_u64(j, "removed", st->zone_removed);
	cf_json_u64(j, "changed", st->zone_changed);
	cf_json_obj_close(j);
	cf_json_bool(j, "mode_changed", st->mode_changed);
	cf_json_obj_close(j);
	return d;
}
