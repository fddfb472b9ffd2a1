// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl learn NAME: from the device's denied-destination table, print
 * "allow to|from PEER PROTO PORTS" rules (ports merged per direction, peer
 * and protocol, sorted) that would allow what it was denied by its own
 * profile, ready to paste into the profile.
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

static void emit(struct cf_cfg_rule *r, struct cf_json *j)
{
	char buf[1024];

	cf_format_rule(r, buf, sizeof(buf));
	if (j)
		cf_json_str(j, NULL, buf);
	else
		printf("%s\n", buf);
}

int cmd_learn(int argc, char **argv)
{
	struct cf_evidence ev[CAMFENCE_EVIDENCE_SLOTS];
	struct cf_cfg_rule rule;
	struct cf_json j;
	struct got *g;
	struct cf_nl nl;
	int i, n = 0, err;

	if (argc != 2)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	g = calloc(1, sizeof(*g));
	if (!g) {
		cf_nl_close(&nl);
		return CTL_FAIL;
	}
	err = cf_nl_get_devices(&nl, argv[1], get_one, g, NULL);
	if ((err == -ENOENT && !nl.errmsg[0]) || (!err && !g->found)) {
		ctl_err("no device named '%s'", argv[1]);
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
	if (ctl_json) {
		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "device", g->info.name);
		cf_json_arr_open(&j, "rules");
	}
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
				emit(&rule, ctl_json ? &j : NULL);
				rule.nports = 0;
			}
			rule.ports[rule.nports].lo = ev[i].port;
			rule.ports[rule.nports].hi = ev[i].port;
			rule.nports++;
		}
		i--;
		emit(&rule, ctl_json ? &j : NULL);
	}
	if (ctl_json) {
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_end(&j);
	} else if (!n) {
		fprintf(stderr, "%s: %s: no denied destinations to learn from\n",
			prog, g->info.name);
	}
	err = CTL_OK;
out:
	free(g);
	cf_nl_close(&nl);
	return err;
}
