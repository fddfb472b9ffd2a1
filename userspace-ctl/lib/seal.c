// SPDX-License-Identifier: GPL-2.0
/*
 * The seal (pure: no libnl, no files). The module drops everything on a
 * VLAN of sealed_vlans or an interface of sealed_ifaces that no zone of the
 * active policy covers (in the initial network namespace), from its load
 * and after every commit. A VLAN or interface a commit takes out of the
 * zones is therefore either re-sealed, or open: no longer filtered at all.
 * load, flush, diff and camfenced say which, before they commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "config.h"
#include "json.h"

/* "20,21" (sysfs prints a ushort array so), at most the kernel's count */
void cf_seal_parse(struct cf_lint_env *env, const char *vlans,
		   const char *ifaces)
{
	const char *s, *e;
	unsigned long v;
	char *end;
	size_t n;

	memset(env, 0, sizeof(*env));
	for (s = vlans; s && *s; s = *e ? e + 1 : e) {
		e = s + strcspn(s, ",");
		v = strtoul(s, &end, 10);
		if (end == e && end != s && v >= 1 && v <= 4094 &&
		    env->nsealed_vlans < CAMFENCE_MAX_ZONE_VLANS)
			env->sealed_vlans[env->nsealed_vlans++] = (unsigned int)v;
	}
	for (s = ifaces; s && *s; s = *e ? e + 1 : e) {
		e = s + strcspn(s, ",");
		n = (size_t)(e - s);
		if (n && n < CF_CFG_IFNAME_MAX &&
		    env->nsealed_ifs < CAMFENCE_MAX_ZONE_IFS) {
			memcpy(env->sealed_ifs[env->nsealed_ifs], s, n);
			env->sealed_ifs[env->nsealed_ifs++][n] = '\0';
		}
	}
}

/*
 * Is this process in the initial network namespace (the one the module
 * seals)? Compared with PID 1's; when that cannot be read (no privilege):
 * yes unless netns_given. CAMFENCE_SEAL_NETNS=init|other decides (tests).
 */
static bool in_init_net(bool netns_given)
{
	const char *e = getenv("CAMFENCE_SEAL_NETNS");
	struct stat self, init;

	if (e && e[0])
		return !strcmp(e, "init");
	if (stat("/proc/self/ns/net", &self) || stat("/proc/1/ns/net", &init))
		return !netns_given;
	return self.st_ino == init.st_ino && self.st_dev == init.st_dev;
}

static void read_param(const char *dir, const char *name, char *buf,
		       size_t len)
{
	char path[512];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
}

void cf_seal_read(struct cf_lint_env *env, const char *params_dir,
		  bool netns_given)
{
	char vlans[1024], ifs[1024];

	memset(env, 0, sizeof(*env));
	if (!in_init_net(netns_given))
		return;
	read_param(params_dir, "sealed_vlans", vlans, sizeof(vlans));
	read_param(params_dir, "sealed_ifaces", ifs, sizeof(ifs));
	cf_seal_parse(env, vlans, ifs);
}

bool cf_config_covers_vlan(const struct cf_config *cfg, unsigned int vid)
{
	int i, j;

	for (i = 0; i < cfg->nzones; i++)
		for (j = 0; j < cfg->zones[i].nvlans; j++)
			if (cfg->zones[i].vlans[j] == vid)
				return true;
	return false;
}

bool cf_config_covers_if(const struct cf_config *cfg, const char *ifn)
{
	int i, j;

	for (i = 0; i < cfg->nzones; i++)
		for (j = 0; j < cfg->zones[i].nifs; j++)
			if (!strcmp(cfg->zones[i].ifnames[j], ifn))
				return true;
	return false;
}

static bool has_zone(const struct cf_config *cfg, const char *name)
{
	int i;

	for (i = 0; i < cfg->nzones; i++)
		if (!strcmp(cfg->zones[i].name, name))
			return true;
	return false;
}

static bool sealed_vlan(const struct cf_lint_env *env, unsigned int vid)
{
	int i;

	for (i = 0; env && i < env->nsealed_vlans; i++)
		if (env->sealed_vlans[i] == vid)
			return true;
	return false;
}

static bool sealed_if(const struct cf_lint_env *env, const char *ifn)
{
	int i;

	for (i = 0; env && i < env->nsealed_ifs; i++)
		if (!strcmp(env->sealed_ifs[i], ifn))
			return true;
	return false;
}

static int add_item(struct cf_seal_changes *c, const struct cf_cfg_zone *z,
		    bool removed, unsigned int vid, const char *ifn,
		    bool sealed)
{
	struct cf_seal_item *it, *n;

	if (c->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 8;

		n = realloc(c->items, (size_t)cap * sizeof(*n));
		if (!n)
			return -1;
		c->items = n;
		c->cap = cap;
	}
	it = &c->items[c->n++];
	memset(it, 0, sizeof(*it));
	snprintf(it->zone, sizeof(it->zone), "%s", z->name);
	it->zone_removed = removed;
	it->vlan = vid;
	if (ifn)
		snprintf(it->ifname, sizeof(it->ifname), "%s", ifn);
	it->sealed = sealed;
	if (!sealed)
		c->nopen++;
	return 0;
}

int cf_seal_compare(const struct cf_config *cur, const struct cf_config *want,
		    const struct cf_lint_env *env, struct cf_seal_changes *c)
{
	int i, j;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < cur->nzones; i++) {
		const struct cf_cfg_zone *z = &cur->zones[i];
		bool removed = !has_zone(want, z->name);

		for (j = 0; j < z->nvlans; j++) {
			if (cf_config_covers_vlan(want, z->vlans[j]))
				continue;
			if (add_item(c, z, removed, z->vlans[j], NULL,
				     sealed_vlan(env, z->vlans[j])))
				goto oom;
		}
		for (j = 0; j < z->nifs; j++) {
			if (cf_config_covers_if(want, z->ifnames[j]))
				continue;
			if (add_item(c, z, removed, 0, z->ifnames[j],
				     sealed_if(env, z->ifnames[j])))
				goto oom;
		}
	}
	return c->n;
oom:
	cf_seal_changes_free(c);
	return -1;
}

void cf_seal_changes_free(struct cf_seal_changes *c)
{
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static const char *what(const struct cf_seal_item *it, char *buf, size_t len)
{
	if (it->ifname[0])
		snprintf(buf, len, "interface %s", it->ifname);
	else
		snprintf(buf, len, "VLAN %u", it->vlan);
	return buf;
}

const char *cf_seal_item_text(const struct cf_seal_item *it, char *buf,
			      size_t len)
{
	char w[64];

	snprintf(buf, len, "zone %s%s: %s %s", it->zone,
		 it->zone_removed ? " (removed)" : "", what(it, w, sizeof(w)),
		 it->sealed ? (it->ifname[0] ? "re-sealed (sealed_ifaces)" :
					       "re-sealed (sealed_vlans)") :
			      "OPEN: not in sealed_vlans/sealed_ifaces");
	return buf;
}

void cf_seal_print(FILE *f, const struct cf_seal_changes *c)
{
	char line[256];
	int i;

	for (i = 0; i < c->n; i++)
		fprintf(f, "%s\n", cf_seal_item_text(&c->items[i], line,
						     sizeof(line)));
}

const char *cf_seal_open_text(const struct cf_seal_changes *c, char *buf,
			      size_t len)
{
	size_t n = 0;
	char w[64];
	int i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < c->n && n < len; i++) {
		if (c->items[i].sealed)
			continue;
		n += snprintf(buf + n, len - n, "%szone %s %s", k++ ? ", " : "",
			      c->items[i].zone,
			      what(&c->items[i], w, sizeof(w)));
	}
	return buf;
}

void cf_seal_json(struct cf_json *j, const struct cf_seal_changes *c)
{
	int i;

	cf_json_arr_open(j, "seal");
	for (i = 0; i < c->n; i++) {
		const struct cf_seal_item *it = &c->items[i];

		cf_json_obj_open(j, NULL);
		cf_json_str(j, "zone", it->zone);
		cf_json_bool(j, "zone_removed", it->zone_removed);
		if (it->ifname[0])
			cf_json_str(j, "interface", it->ifname);
		else
			cf_json_u64(j, "vlan", it->vlan);
		cf_json_str(j, "state", it->sealed ? "re-sealed" : "open");
		if (it->sealed)
			cf_json_str(j, "sealed_by", it->ifname[0] ?
				    "sealed_ifaces" : "sealed_vlans");
		cf_json_obj_close(j);
	}
	cf_json_arr_close(j);
	cf_json_bool(j, "would_open", c->nopen > 0);
}
