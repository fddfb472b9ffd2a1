// SPDX-License-Identifier: GPL-2.0
/* camfencectl unknown: MAC addresses seen in zones that no device claims. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "draft.h"

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

static void usage_unknown(void)
{
	fprintf(stderr, "Usage: %s [-j] unknown [--csv] [--from FILE]\n", prog);
}

int cmd_unknown(int argc, char **argv)
{
	static const char *const hdr[] = {
		"MAC", "ZONE", "VLAN", "IFNAME", "ADDRESS", "FIRST-SEEN",
		"LAST-SEEN", "PACKETS", "VENDOR"
	};
	struct uvec uv = { 0 };
	const char *from = NULL;
	bool csv = false;
	size_t i;
	int err, a;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--csv")) {
			csv = true;
		} else if (!strcmp(argv[a], "--from") && a + 1 < argc) {
			from = argv[++a];
		} else {
			if (argv[a][0] == '-')
				ctl_err("unknown option '%s'", argv[a]);
			usage_unknown();
			return CTL_USAGE;
		}
	}
	if (csv && ctl_json) {
		ctl_err("--csv and -j exclude each other");
		return CTL_USAGE;
	}
	if (from) {
		/* a saved "camfencectl -j unknown" (no module needed) */
		char msg[256];
		size_t len;
		char *buf = cf_read_file(from, &len);

		if (!buf) {
			ctl_err("%s: %s", from, strerror(errno));
			return CTL_FAIL;
		}
		err = cf_unknown_from_json(buf, len, &uv.v, &uv.n, msg, sizeof(msg));
		free(buf);
		if (err) {
			ctl_err("%s: %s", from, msg);
			return CTL_FAIL;
		}
	} else {
		struct cf_nl nl;

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
	}
	if (uv.n)
		qsort(uv.v, uv.n, sizeof(*uv.v), cmp_unknown);
	if (csv) {
		const char *verr;

		ctl_vendor_db(&verr);
		if (verr)
			ctl_err("warning: %s", verr);
		if (cf_draft_csv(stdout, uv.v, uv.n, ctl_vendor_db(NULL)) < 0) {
			ctl_err("out of memory");
			free(uv.v);
			return CTL_FAIL;
		}
	} else if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_arr_open(&j, "unknown");
		for (i = 0; i < uv.n; i++) {
			const struct cf_unknown *u = &uv.v[i];
			char mac[18], addr[64];
			struct cf_vendor v;

			ctl_vendor_of(u->mac, &v);
			cf_json_obj_open(&j, NULL);
			cf_json_str(&j, "mac", cf_format_mac(u->mac, mac, sizeof(mac)));
			ctl_vendor_json(&j, &v);
			cf_json_str(&j, "zone", u->zone);
			cf_json_u64(&j, "vlan", u->vlan);
			cf_json_str(&j, "ifname", u->ifname);
			if (u->family)
				cf_json_str(&j, "address", cf_format_addr(u->family, u->addr,
									  addr, sizeof(addr)));
			else
				cf_json_null(&j, "address");
			cf_json_timestamp(&j, "first_seen", u->first_seen);
			cf_json_timestamp(&j, "last_seen", u->last_seen);
			cf_json_u64(&j, "packets", u->packets);
			cf_json_obj_close(&j);
		}
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_end(&j);
	} else {
		struct ctl_table t;

		ctl_table_init(&t, 9, hdr);
		for (i = 0; i < uv.n; i++) {
			const struct cf_unknown *u = &uv.v[i];
			char mac[18], vlan[8], addr[64], fs[32], ls[32], pk[24];
			struct cf_vendor v;
			const char *cells[9];

			ctl_vendor_of(u->mac, &v);
			cells[0] = cf_format_mac(u->mac, mac, sizeof(mac));
			cells[1] = u->zone[0] ? u->zone : "-";
			cells[2] = vlan;
			cells[3] = u->ifname[0] ? u->ifname : "-";
			cells[4] = cf_format_addr(u->family, u->addr, addr, sizeof(addr));
			cells[5] = cf_format_time(u->first_seen, fs, sizeof(fs));
			cells[6] = cf_format_time(u->last_seen, ls, sizeof(ls));
			cells[7] = pk;
			cells[8] = ctl_vendor_cell(&v);
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
