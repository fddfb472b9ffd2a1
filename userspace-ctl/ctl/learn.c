// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl learn NAME [--profile NEWNAME]: from the device's
 * denied-destination table, print "allow to|from PEER PROTO PORTS" rules
 * (ports merged per direction, peer and protocol, sorted) that would allow
 * what it was denied by its own profile, ready to paste into the profile.
 *
 * A connection between two devices needs both profiles to allow it: when
 * a peer is the address of another device of the active policy (read back
 * with GET_POLICY), the rule that device's profile needs is proposed too,
 * as a comment ("# device nvr-1 (profile nvr) needs: allow from ...").
 * --profile NEWNAME prints a whole profile instead: the rules of the
 * device's profile, then the learned ones, checked by the parser.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "ctl.h"

struct got {
	bool found;
	struct cf_dev_info info;
};

static int get_one(const struct cf_dev_info *d, void *arg)
{
	struct got *g = arg;

	g->found = true;
	g->info = *d;
	return 1;
}

/* Evidence a rule of the device's own profile would allow. */
static bool learnable(const struct cf_evidence *e)
{
	return e->reason == CAMFENCE_REASON_NO_RULE ||
	       e->reason == CAMFENCE_REASON_NONE;
}

static bool has_ports(int proto)
{
	return proto == 6 || proto == 17;
}

static int cmp_ev(const void *a, const void *b)
{
	const struct cf_evidence *x = a, *y = b;
	int c;

	if (x->dir != y->dir)
		return x->dir - y->dir;
	if (x->family != y->family)
		return x->family == AF_INET ? -1 : y->family == AF_INET ? 1 :
		       x->family - y->family;
	c = memcmp(x->peer, y->peer, 16);
	if (c)
		return c;
	if (x->proto != y->proto)
		return x->proto - y->proto;
	return (int)x->port - (int)y->port;
}

static bool same_group(const struct cf_evidence *x, const struct cf_evidence *y)
{
	return x->dir == y->dir && x->family == y->family &&
	       !memcmp(x->peer, y->peer, 16) && x->proto == y->proto;
}

static void start_rule(struct cf_cfg_rule *r, const struct cf_evidence *e)
{
	memset(r, 0, sizeof(*r));
	r->dir = e->dir;
	r->family = e->family;
	memcpy(r->peer, e->peer, 16);
	r->prefixlen = e->family == AF_INET ? 32 : e->family == AF_INET6 ? 128 : 0;
	r->proto = e->proto;
}

struct learned {
	struct cf_cfg_rule *v;
	int n, cap;
};

static int emit(struct cf_cfg_rule *r, struct learned *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 16;
		struct cf_cfg_rule *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *r;
	return 0;
}

/* The device of cfg (other than self) with the rule's peer as address. */
static const struct cf_cfg_device *peer_device(const struct cf_config *cfg,
					       const struct cf_cfg_rule *r,
					       const char *self)
{
	int i, k, len = r->family == AF_INET ? 4 : 16;

	if (r->prefixlen != len * 8)
		return NULL;
	for (i = 0; i < cfg->ndevices; i++) {
		const struct cf_cfg_device *d = &cfg->devices[i];

		if (!strcmp(d->name, self))
			continue;
		for (k = 0; k < d->naddrs; k++)
			if (d->addrs[k].family == r->family &&
			    !memcmp(d->addrs[k].addr, r->peer, len))
				return d;
	}
	return NULL;
}

static const struct cf_cfg_device *find_device(const struct cf_config *cfg,
					       const char *name)
{
	int i;

	for (i = 0; i < cfg->ndevices; i++)
		if (!strcmp(cfg->devices[i].name, name))
			return &cfg->devices[i];
	return NULL;
}

struct peer_rule {
	const char *device, *profile;
	char rule[1024];
};

/*
 * The rules a peer device needs for r of self: the other direction, self's
 * addresses of r's family as peers. -1 if self has none (it cannot be named).
 */
static int peer_rules(const struct cf_cfg_rule *r, const struct cf_cfg_device *peer,
		      const struct cf_cfg_device *self, struct peer_rule *out, int max)
{
	struct cf_cfg_rule pr = *r;
	int k, n = 0;

	pr.dir = r->dir == CAMFENCE_DIR_TO ? CAMFENCE_DIR_FROM : CAMFENCE_DIR_TO;
	for (k = 0; self && k < self->naddrs && n < max; k++) {
		if (self->addrs[k].family != r->family)
			continue;
		memcpy(pr.peer, self->addrs[k].addr, 16);
		out[n].device = peer->name;
		out[n].profile = peer->profile;
		cf_format_rule(&pr, out[n].rule, sizeof(out[n].rule));
		n++;
	}
	return n ? n : -1;
}

/* The device's profile with the learned rules, checked; NULL on error. */
static char *ready_profile(const struct cf_config *cfg, const char *dev,
			   const char *newname, const struct learned *l,
			   uint64_t gen)
{
	const struct cf_cfg_device *d = find_device(cfg, dev);
	const struct cf_cfg_profile *p;
	struct cf_config chk;
	struct cf_diags diags;
	char rule[1024], *buf = NULL;
	size_t len = 0;
	FILE *f;
	int i, bad;

	if (!d || !(p = cf_config_find_profile(cfg, d->profile))) {
		ctl_err("%s: not in the active policy read back (generation %llu)",
			dev, (unsigned long long)gen);
		return NULL;
	}
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "# camfencectl learn %s --profile %s (generation %llu): the rules of\n"
		"# profile %s, which %s uses, then what %s was denied.\n"
		"profile %s {\n", dev, newname, (unsigned long long)gen,
		p->name, dev, dev, newname);
	for (i = 0; i < p->nrules; i++)
		fprintf(f, "    %s\n", cf_format_rule(&p->rules[i], rule, sizeof(rule)));
	if (l->n)
		fprintf(f, "    # learned from %s's denied destinations\n", dev);
	for (i = 0; i < l->n; i++)
		fprintf(f, "    %s\n", cf_format_rule(&l->v[i], rule, sizeof(rule)));
	fprintf(f, "}\n");
	fclose(f);
	cf_config_init(&chk);
	cf_diags_init(&diags);
	bad = cf_config_parse_buffer("(learned profile)", buf, len, NULL, &chk,
				     &diags, CF_CFG_NO_INCLUDE);
	for (i = 0; i < diags.count; i++)
		fprintf(stderr, "%s\n", diags.msgs[i]);
	cf_config_free(&chk);
	cf_diags_free(&diags);
	if (bad) {
		ctl_err("the learned profile is not valid");
		free(buf);
		return NULL;
	}
	return buf;
}

int cmd_learn(int argc, char **argv)
{
	struct cf_evidence ev[CAMFENCE_EVIDENCE_SLOTS];
	const char *dev = NULL, *newname = NULL;
	struct learned l = { 0 };
	struct cf_cfg_rule rule;
	struct cf_config cfg;
	bool have_cfg = false;
	char *ready = NULL;
	uint64_t gen = 0;
	bool sealed;
	struct cf_json j;
	struct got *g;
	struct cf_nl nl;
	int i, n = 0, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--profile") && i + 1 < argc)
			newname = argv[++i];
		else if (!strncmp(argv[i], "--profile=", 10))
			newname = argv[i] + 10;
		else if (argv[i][0] != '-' && !dev)
			dev = argv[i];
		else
			return ctl_usage(argv[0]);
	}
	if (!dev)
		return ctl_usage(argv[0]);
	if (newname && !cf_valid_name(newname)) {
		ctl_err("--profile: invalid name '%s' (1 to 32 of A-Z a-z 0-9 . _ -)", newname);
		return CTL_USAGE;
	}
	if (ctl_open(&nl))
		return CTL_FAIL;
	g = calloc(1, sizeof(*g));
	if (!g) {
		cf_nl_close(&nl);
		return CTL_FAIL;
	}
	err = cf_nl_get_devices(&nl, dev, get_one, g, NULL);
	if ((err == -ENOENT && !nl.errmsg[0]) || (!err && !g->found)) {
		ctl_err("no device named '%s'", dev);
		err = CTL_FAIL;
		goto out;
	}
	if (err) {
		err = ctl_nl_fail(&nl, err);
		goto out;
	}
	for (i = 0; i < g->info.nevidence; i++) {
		const struct cf_evidence *e = &g->info.evidence[i];

		if (!learnable(e) ||
		    (e->dir != CAMFENCE_DIR_TO && e->dir != CAMFENCE_DIR_FROM))
			continue;
		ev[n] = *e;
		if (!has_ports(ev[n].proto))
			ev[n].port = 0;
		n++;
	}
	qsort(ev, n, sizeof(ev[0]), cmp_ev);
	err = CTL_FAIL;
	for (i = 0; i < n; i++) {
		bool any_port = false;
		int k;

		start_rule(&rule, &ev[i]);
		/* every entry of the group; port 0 on tcp/udp means any */
		for (k = i; k < n && same_group(&ev[i], &ev[k]); k++)
			if (has_ports(ev[k].proto) && !ev[k].port)
				any_port = true;
		for (; i < k; i++) {
			if (any_port || !ev[i].port)
				continue;
			if (rule.nports &&
			    rule.ports[rule.nports - 1].hi == ev[i].port)
				continue;	/* duplicate */
			if (rule.nports == CAMFENCE_MAX_PORT_RANGES) {
				if (emit(&rule, &l))
					goto out;
				rule.nports = 0;
			}
			rule.ports[rule.nports].lo = ev[i].port;
			rule.ports[rule.nports].hi = ev[i].port;
			rule.nports++;
		}
		i--;
		if (emit(&rule, &l))
			goto out;
	}
	/* the active policy: the peers that are devices, the device's profile */
	if (n || newname) {
		if (ctl_read_policy(&nl, &cfg, &gen, &sealed))
			goto out;
		have_cfg = true;
	}
	if (newname) {
		ready = ready_profile(&cfg, g->info.name, newname, &l, gen);
		if (!ready)
			goto out;
	}
	if (ctl_json) {
		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "device", g->info.name);
	}
	if (ctl_json)
		cf_json_arr_open(&j, "rules");
	for (i = 0; i < l.n; i++) {
		char buf[1024];

		cf_format_rule(&l.v[i], buf, sizeof(buf));
		if (ctl_json)
			cf_json_str(&j, NULL, buf);
		else if (!ready)
			printf("%s\n", buf);
	}
	if (ctl_json) {
		cf_json_arr_close(&j);
		cf_json_arr_open(&j, "peer_rules");
	}
	for (i = 0; have_cfg && i < l.n; i++) {
		const struct cf_cfg_device *pd = peer_device(&cfg, &l.v[i], g->info.name);
		struct peer_rule pr[CAMFENCE_MAX_DEVICE_ADDRS];
		int np, k;

		if (!pd)
			continue;
		np = peer_rules(&l.v[i], pd, find_device(&cfg, g->info.name),
				pr, CAMFENCE_MAX_DEVICE_ADDRS);
		if (np < 0) {
			if (!ctl_json)
				printf("# device %s (profile %s) is the peer, but %s has no address of its family: its profile cannot name %s\n",
				       pd->name, pd->profile, g->info.name, g->info.name);
			continue;
		}
		for (k = 0; k < np; k++) {
			if (ctl_json) {
				cf_json_obj_open(&j, NULL);
				cf_json_str(&j, "device", pr[k].device);
				cf_json_str(&j, "profile", pr[k].profile);
				cf_json_str(&j, "rule", pr[k].rule);
				cf_json_obj_close(&j);
			} else if (!ready) {
				printf("# device %s (profile %s) needs: %s\n",
				       pr[k].device, pr[k].profile, pr[k].rule);
			}
		}
	}
	if (ctl_json) {
		cf_json_arr_close(&j);
		if (ready)
			cf_json_str(&j, "profile", ready);
		cf_json_obj_close(&j);
		cf_json_end(&j);
	} else if (ready) {
		fputs(ready, stdout);
		/* the peers' side, after the profile: comments */
		for (i = 0; i < l.n; i++) {
			const struct cf_cfg_device *pd = peer_device(&cfg, &l.v[i], g->info.name);
			struct peer_rule pr[CAMFENCE_MAX_DEVICE_ADDRS];
			int np, k;

			if (!pd)
				continue;
			np = peer_rules(&l.v[i], pd, find_device(&cfg, g->info.name),
					pr, CAMFENCE_MAX_DEVICE_ADDRS);
			for (k = 0; k < np; k++)
				printf("# device %s (profile %s) needs: %s\n",
				       pr[k].device, pr[k].profile, pr[k].rule);
		}
	}
	if (!ctl_json && !n)
		fprintf(stderr, "%s: %s: no denied destinations to learn from\n",
			prog, g->info.name);
	err = CTL_OK;
out:
	if (have_cfg)
		cf_config_free(&cfg);
	free(ready);
	free(l.v);
	free(g);
	cf_nl_close(&nl);
	return err;
}
