// SPDX-License-Identifier: GPL-2.0
/* camfencectl unknown: MAC addresses seen in zones that no device claims. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

struct uvec {
	struct cf_unknown *v;
	size_t n, cap;
	int err;
};

static int collect(const struct cf_unknown *u, void *arg)
{
	struct uvec *uv = arg;

	if (uv->n == uv->cap) {
		size_t cap = uv->cap ? uv->cap * 2 : 32;
		struct cf_unknown *v = realloc(uv->v, cap * sizeof(*v));

		if (!v) {
			uv->err = -ENOMEM;
			return 1;
		}
		uv->v = v;
		uv->cap = cap;
	}
	uv->v[uv->n++] = *u;
	return 0;
}

static int cmp_unknown(const void *a, const void *b)
{
	const struct cf_unknown *x = a, *y = b;
	int c = memcmp(x->mac, y->mac, 6);

	if (c)
		return c;
	c = strcmp(x->zone, y->zone);
	return c ? c : (int)x->vlan - (int)y->vlan;
}

int cmd_unknown(int argc, char **argv)
{
	static const char *const hdr[] = {
		"MAC", "ZONE", "VLAN", "IFNAME", "ADDRESS", "FIRST-SEEN",
		"LAST-SEEN", "PACKETS"
	};
	struct uvec uv = { 0 };
	struct cf_nl nl;
	size_t i;
	int err;

	if (argc != 1)
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	err = cf_nl_get_unknown(&nl, collect, &uv);
	if (!err)
		err = uv.err;
	if (err) {
		err = ctl_nl_fail(&nl, err);
		cf_nl_close(&nl);
		free(uv.v);
		return err;
	}
	cf_nl_close(&nl);
	if (uv.n)
		qsort(uv.v, uv.n, sizeof(*uv.v), cmp_unknown);
	if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_arr_open(&j, "unknown");
		for (i = 0; i < uv.n; i++) {
			const struct cf_unknown *u = &uv.v[i];
			char mac[18], addr[64];

			cf_json_obj_open(&j, NULL);
			cf_json_str(&j, "mac", cf_format_mac(u->mac, mac, sizeof(mac)));
			cf_json_str(&j, "zone", u->zone);
			cf_json_u64(&j, "vlan", u->vlan);
			cf_json_str(&j, "ifname", u->ifname);
			if (u->family)
				cf_json_str(&j, "address", cf_format_addr(u->family, u->addr,
									  addr, sizeof(addr)));
			else
				cf_json_null(&j, "address");
			cf_json_u64(&j, "first_seen", u->first_seen);
			cf_json_u64(&j, "last_seen", u->last_seen);
			cf_json_u64(&j, "packets", u->packets);
			cf_json_obj_close(&j);
		}
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_end(&j);
	} else {
		struct ctl_table t;

		ctl_table_init(&t, 8, hdr);
		for (i = 0; i < uv.n; i++) {
			const struct cf_unknown *u = &uv.v[i];
			char mac[18], vlan[8], addr[64], fs[32], ls[32], pk[24];
			const char *cells[8] = {
				cf_format_mac(u->mac, mac, sizeof(mac)),
				u->zone[0] ? u->zone : "-", vlan,
				u->ifname[0] ? u->ifname : "-",
				cf_format_addr(u->family, u->addr, addr, sizeof(addr)),
				cf_format_time(u->first_seen, fs, sizeof(fs)),
				cf_format_time(u->last_seen, ls, sizeof(ls)), pk
			};

			if (u->vlan)
				snprintf(vlan, sizeof(vlan), "%u", u->vlan);
			else
				snprintf(vlan, sizeof(vlan), "-");
			snprintf(pk, sizeof(pk), "%" PRIu64, u->packets);
			ctl_table_row(&t, cells);
		}
		ctl_table_print(&t, stdout, "");
		ctl_table_free(&t);
	}
	free(uv.v);
	return CTL_OK;
}
