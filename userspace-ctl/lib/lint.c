// SPDX-License-Identifier: GPL-2.0
/*
 * What camfencectl check adds to the parser (pure: the limits and the sealed
 * VLANs and interfaces are given by the caller, who reads them from
 * /sys/module/camfence/parameters or takes the defaults):
 * - the kernel's limits (max_zones, max_profiles, max_rules per profile,
 *   max_devices): an error at the object that crosses one, which the kernel
 *   would refuse at load;
 * - warnings about configurations that load but are likely mistakes.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"

int cf_config_check_limits(const struct cf_config *cfg,
			   const struct cf_kernel_limits *lim,
			   struct cf_diags *d)
{
	int i, j, n = 0;

	if (cfg->nzones > 0 && (unsigned int)cfg->nzones > lim->max_zones) {
		const struct cf_cfg_zone *z = &cfg->zones[lim->max_zones];

		cf_diag_add(d, &z->loc,
			    "zone %s is zone %u: over the kernel's limit of %u zones (max_zones)",
			    z->name, lim->max_zones + 1, lim->max_zones);
		n++;
	}
	if (cfg->nprofiles > 0 &&
	    (unsigned int)cfg->nprofiles > lim->max_profiles) {
		const struct cf_cfg_profile *p = &cfg->profiles[lim->max_profiles];

		cf_diag_add(d, &p->loc,
			    "profile %s is profile %u: over the kernel's limit of %u profiles (max_profiles)",
			    p->name, lim->max_profiles + 1, lim->max_profiles);
		n++;
	}
	for (i = 0; i < cfg->nprofiles; i++) {
		const struct cf_cfg_profile *p = &cfg->profiles[i];

		if (p->nrules <= 0 || (unsigned int)p->nrules <= lim->max_rules)
			continue;
		j = (int)lim->max_rules;
		cf_diag_add(d, &p->rules[j].loc,
			    "profile %s: rule %d is over the kernel's limit of %u rules per profile (max_rules)",
			    p->name, j + 1, lim->max_rules);
		n++;
	}
	if (cfg->ndevices > 0 &&
	    (unsigned int)cfg->ndevices > lim->max_devices) {
		const struct cf_cfg_device *dv = &cfg->devices[lim->max_devices];

		cf_diag_add(d, &dv->loc,
			    "device %s is device %u: over the kernel's limit of %u devices (max_devices)",
			    dv->name, lim->max_devices + 1, lim->max_devices);
		n++;
	}
	return n;
}

static bool rule_eq(const struct cf_cfg_rule *a, const struct cf_cfg_rule *b)
{
	char x[512], y[512];

	return !strcmp(cf_format_rule(a, x, sizeof(x)),
		       cf_format_rule(b, y, sizeof(y)));
}

/* Two port ranges of one rule that overlap: the first such pair. */
static bool ports_overlap(const struct cf_cfg_rule *r, int *pi, int *pj)
{
	int i, j;

	for (i = 0; i < r->nports; i++)
		for (j = i + 1; j < r->nports; j++)
			if (r->ports[i].lo <= r->ports[j].hi &&
			    r->ports[j].lo <= r->ports[i].hi) {
				*pi = i;
				*pj = j;
				return true;
			}
	return false;
}

static void range_text(const struct camfence_port_range *p, char *buf,
		       size_t len)
{
	if (p->lo == p->hi)
		snprintf(buf, len, "%u", p->lo);
	else
		snprintf(buf, len, "%u-%u", p->lo, p->hi);
}

/* 1 if list ("cam+nvr-pull") names profile */
static bool in_combo(const char *list, const char *profile)
{
	size_t n = strlen(profile);

	while (*list) {
		const char *e = strchr(list, CF_COMBO_SEP);
		size_t l = e ? (size_t)(e - list) : strlen(list);

		if (l == n && !memcmp(list, profile, n))
			return true;
		list += l + (e ? 1 : 0);
	}
	return false;
}

/* The devices that use profile, alone or with others. */
static int users(const struct cf_config *cfg, const char *profile,
		 const char **first)
{
	int i, n = 0;

	*first = NULL;
	for (i = 0; i < cfg->ndevices; i++)
		if (!strcmp(cfg->devices[i].profile, profile) ||
		    in_combo(cfg->devices[i].combo, profile)) {
			if (!n)
				*first = cfg->devices[i].name;
			n++;
		}
	return n;
}

int cf_config_lint(const struct cf_config *cfg, const struct cf_lint_env *env,
		   struct cf_diags *w)
{
	struct cf_cfg_loc top = { cfg->nfiles ? cfg->files[0] : NULL, 0, 0 };
	const char *first;
	char a[16], b[16];
	int i, j, k, n = 0, u;

	if (cfg->ndevices && !cfg->nzones) {
		cf_diag_add(w, &cfg->devices[0].loc,
			    "warning: %d device%s but no zone: no VLAN or interface is fenced, the devices are not filtered anywhere",
			    cfg->ndevices, cfg->ndevices == 1 ? "" : "s");
		n++;
	}
	for (i = 0; i < cfg->nzones; i++) {
		const struct cf_cfg_zone *z = &cfg->zones[i];

		if (z->unknown != CAMFENCE_ACTION_ALLOW ||
		    cfg->mode == CAMFENCE_MODE_MONITOR)
			continue;
		cf_diag_add(w, &z->loc,
			    "warning: zone %s: unknown allow under mode enforce: a device that no one listed passes unfiltered",
			    z->name);
		n++;
	}
	for (i = 0; i < cfg->nprofiles; i++) {
		const struct cf_cfg_profile *p = &cfg->profiles[i];

		/* a combination: its profiles are judged themselves */
		if (p->combined)
			continue;
		u = users(cfg, p->name, &first);
		/* a policy without devices is a template: no one uses anything */
		if (!u && cfg->ndevices) {
			cf_diag_add(w, &p->loc,
				    "warning: profile %s is used by no device",
				    p->name);
			n++;
		}
		for (j = 0; j < p->nrules; j++) {
			const struct cf_cfg_rule *r = &p->rules[j];
			int pi, pj;

			if (u && !r->family) {
				cf_diag_add(w, &r->loc,
					    "warning: profile %s: 'allow %s any' lets its %d device%s (%s%s) %s every address, the internet included",
					    p->name,
					    r->dir == CAMFENCE_DIR_FROM ? "from" : "to",
					    u, u == 1 ? "" : "s", first,
					    u > 1 ? ", ..." : "",
					    r->dir == CAMFENCE_DIR_FROM ?
					    "be reached from" : "reach");
				n++;
			}
			for (k = 0; k < j; k++)
				if (rule_eq(&p->rules[k], r))
					break;
			if (k < j) {
				cf_diag_add(w, &r->loc,
					    "warning: profile %s: duplicate rule (the same as line %d)",
					    p->name, p->rules[k].loc.line);
				n++;
			} else if (ports_overlap(r, &pi, &pj)) {
				range_text(&r->ports[pi], a, sizeof(a));
				range_text(&r->ports[pj], b, sizeof(b));
				cf_diag_add(w, &r->loc,
					    "warning: profile %s: port %s overlaps port %s of the same rule",
					    p->name, b, a);
				n++;
			}
		}
	}
	for (i = 0; env && i < env->nsealed_vlans; i++) {
		if (cf_config_covers_vlan(cfg, env->sealed_vlans[i]))
			continue;
		cf_diag_add(w, &top,
			    "warning: sealed VLAN %u (module parameter sealed_vlans) is in no zone: it stays sealed (everything on it dropped)",
			    env->sealed_vlans[i]);
		n++;
	}
	for (i = 0; env && i < env->nsealed_ifs; i++) {
		if (cf_config_covers_if(cfg, env->sealed_ifs[i]))
			continue;
		cf_diag_add(w, &top,
			    "warning: sealed interface %s (module parameter sealed_ifaces) is in no zone: it stays sealed (everything on it dropped)",
			    env->sealed_ifs[i]);
		n++;
	}
	return n;
}
