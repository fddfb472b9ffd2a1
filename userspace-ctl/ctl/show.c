// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl show [NAME]: a terse table of every device, or one device in
 * detail with its denied-destination table and the DNS names it asked for. -j: field names are the sysfs
 * file names.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"
#include "report.h"

/* What the table needs of a device (not the evidence: 100k devices). */
struct row {
	char name[CAMFENCE_NAME_MAX + 1];
	char profile[CAMFENCE_NAME_MAX + 1];
	uint8_t mac[6];
	int mode, effective_mode;
	int naddrs;
	struct cf_cfg_addr addrs[CAMFENCE_MAX_DEVICE_ADDRS];
	uint64_t allowed_packets, allowed_bytes, dropped_packets, dropped_bytes;
	uint64_t monitored_packets, spoofed_packets, events_suppressed;
	uint64_t last_seen;
	char last_drop[96];
};

struct rows {
	struct row *v;
	size_t n, cap;
	int err;
};

static void fill_row(struct row *r, const struct cf_dev_info *d)
{
	memcpy(r->name, d->name, sizeof(r->name));
	memcpy(r->profile, d->profile, sizeof(r->profile));
	memcpy(r->mac, d->mac, 6);
	r->mode = d->mode;
	r->effective_mode = d->effective_mode;
	r->naddrs = d->naddrs;
	memcpy(r->addrs, d->addrs, sizeof(r->addrs));
	r->allowed_packets = d->allowed_packets;
	r->allowed_bytes = d->allowed_bytes;
	r->dropped_packets = d->dropped_packets;
	r->dropped_bytes = d->dropped_bytes;
	r->monitored_packets = d->monitored_packets;
	r->spoofed_packets = d->spoofed_packets;
	r->events_suppressed = d->events_suppressed;
	r->last_seen = d->last_seen;
	cf_format_drop(d->has_last_drop ? &d->last_drop : NULL, r->last_drop,
		       sizeof(r->last_drop));
}

static int collect(const struct cf_dev_info *d, void *arg)
{
	struct rows *rs = arg;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 64;
		struct row *v = realloc(rs->v, cap * sizeof(*v));

		if (!v) {
			rs->err = -ENOMEM;
			return 1;
		}
		rs->v = v;
		rs->cap = cap;
	}
	fill_row(&rs->v[rs->n++], d);
	return 0;
}

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->name,
		      ((const struct row *)b)->name);
}

static void json_addrs(struct cf_json *j, int n, const struct cf_cfg_addr *a)
{
	char buf[64];
	int i;

	cf_json_arr_open(j, "addresses");
	for (i = 0; i < n; i++)
		cf_json_str(j, NULL, cf_format_addr(a[i].family, a[i].addr,
						    buf, sizeof(buf)));
	cf_json_arr_close(j);
}

/* The members shared by "show -j" and "show NAME -j". */
static void json_row(struct cf_json *j, const struct row *r)
{
	struct cf_vendor v;
	char mac[18];

	cf_json_str(j, "name", r->name);
	cf_json_str(j, "mac", cf_format_mac(r->mac, mac, sizeof(mac)));
	ctl_vendor_of(r->mac, &v);
	ctl_vendor_json(j, &v);
	json_addrs(j, r->naddrs, r->addrs);
	cf_json_str(j, "profile", r->profile);
	cf_json_str(j, "mode", cf_mode_name(r->mode));
	cf_json_str(j, "effective_mode", cf_mode_name(r->effective_mode));
	cf_json_u64(j, "allowed_packets", r->allowed_packets);
	cf_json_u64(j, "allowed_bytes", r->allowed_bytes);
	cf_json_u64(j, "dropped_packets", r->dropped_packets);
	cf_json_u64(j, "dropped_bytes", r->dropped_bytes);
	cf_json_u64(j, "monitored_packets", r->monitored_packets);
	cf_json_u64(j, "spoofed_packets", r->spoofed_packets);
	cf_json_u64(j, "events_suppressed", r->events_suppressed);
	cf_json_timestamp(j, "last_seen", r->last_seen);
	cf_json_str(j, "last_drop", r->last_drop);
}

static int show_all(struct cf_nl *nl)
{
	static const char *const hdr[] = {
		"NAME", "MAC", "MODE", "ALLOWED", "DROPPED", "MONITORED",
		"SPOOFED", "LAST-DROP", "VENDOR"
	};
	struct rows rs = { 0 };
	uint64_t gen = 0;
	size_t i;
	int err, tries;

	for (tries = 0; tries < 5; tries++) {
		rs.n = 0;
		err = cf_nl_get_devices(nl, NULL, collect, &rs, &gen);
		if (!err)
			err = rs.err;
		if (err != -EAGAIN)
			break;
	}
	if (err) {
		free(rs.v);
		return ctl_nl_fail(nl, err);
	}
	if (rs.n)
		qsort(rs.v, rs.n, sizeof(*rs.v), cmp_row);
	if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_arr_open(&j, "devices");
		for (i = 0; i < rs.n; i++) {
			cf_json_obj_open(&j, NULL);
			json_row(&j, &rs.v[i]);
			cf_json_obj_close(&j);
		}
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_end(&j);
	} else {
		struct ctl_table t;

		ctl_table_init(&t, 9, hdr);
		for (i = 0; i < rs.n; i++) {
			const struct row *r = &rs.v[i];
			char mac[18], a[24], d[24], m[24], s[24];
			struct cf_vendor v;
			const char *cells[9] = {
				r->name, cf_format_mac(r->mac, mac, sizeof(mac)),
				cf_mode_name(r->effective_mode), a, d, m, s,
				r->last_drop[0] ? r->last_drop : "-", NULL
			};

			ctl_vendor_of(r->mac, &v);
			cells[8] = ctl_vendor_cell(&v);

			snprintf(a, sizeof(a), "%" PRIu64, r->allowed_packets);
			snprintf(d, sizeof(d), "%" PRIu64, r->dropped_packets);
			snprintf(m, sizeof(m), "%" PRIu64, r->monitored_packets);
			snprintf(s, sizeof(s), "%" PRIu64, r->spoofed_packets);
			ctl_table_row(&t, cells);
		}
		ctl_table_print(&t, stdout, "");
		ctl_table_free(&t);
	}
	free(rs.v);
	return CTL_OK;
}

struct one {
	bool found;
	struct cf_dev_info info;
};

static int get_one(const struct cf_dev_info *d, void *arg)
{
	struct one *o = arg;

	o->found = true;
	o->info = *d;
	return 1;
}

static void json_evidence(struct cf_json *j, const struct cf_evidence *e)
{
	char buf[64];

	cf_json_str(j, "peer", cf_format_addr(e->family, e->peer, buf, sizeof(buf)));
	cf_json_str(j, "dir", cf_dir_name(e->dir));
	cf_json_str(j, "proto", cf_format_proto(e->proto, buf, sizeof(buf)));
	cf_json_u64(j, "port", e->port);
	cf_json_str(j, "reason", cf_reason_name(e->reason));
	cf_json_u64(j, "count", e->count);
	cf_json_timestamp(j, "first_seen", e->first_seen);
	cf_json_timestamp(j, "last_seen", e->last_seen);
}

static void print_dns(const struct cf_dev_info *d)
{
	static const char *const hdr[] = {
		"NAME", "VERDICT", "COUNT", "FIRST-SEEN", "LAST-SEEN"
	};
	struct ctl_table t;
	int i;

	if (!d->ndns) {
		printf("dns names: none");
	} else {
		printf("dns names: %d", d->ndns);
		if ((uint32_t)d->ndns < d->dns_total)
			printf(" of %" PRIu32 " (the reply was cut)", d->dns_total);
	}
	if (d->dns_invalid)
		printf(", %" PRIu64 " invalid %s not recorded", d->dns_invalid,
		       d->dns_invalid == 1 ? "query" : "queries");
	if (d->dns_replaced)
		printf(", %" PRIu64 " replaced (table full)", d->dns_replaced);
	printf("%s\n", d->ndns ? ":" : "");
	if (!d->ndns)
		return;
	ctl_table_init(&t, 5, hdr);
	for (i = 0; i < d->ndns; i++) {
		const struct cf_dns_name *n = &d->dns[i];
		char cnt[24], fs[32], ls[32];
		const char *cells[5] = {
			n->name, cf_verdict_name(n->verdict), cnt,
			cf_format_time(n->first_seen, fs, sizeof(fs)),
			cf_format_time(n->last_seen, ls, sizeof(ls))
		};

		snprintf(cnt, sizeof(cnt), "%" PRIu64, n->count);
		ctl_table_row(&t, cells);
	}
	ctl_table_print(&t, stdout, "  ");
	ctl_table_free(&t);
}

static void print_evidence(const struct cf_dev_info *d);

static void print_one(const struct cf_dev_info *d, uint64_t gen)
{
	struct row r;
	char buf[64], ts[32];
	struct cf_vendor v;
	int i;

	fill_row(&r, d);
	if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		json_row(&j, &r);
		cf_json_str(&j, "port", d->port);
		cf_json_str(&j, "seen_port", d->seen_port);
		cf_json_arr_open(&j, "evidence");
		for (i = 0; i < d->nevidence; i++) {
			cf_json_obj_open(&j, NULL);
			json_evidence(&j, &d->evidence[i]);
			cf_json_obj_close(&j);
		}
		cf_json_arr_close(&j);
		cf_report_json_dns(&j, d);
		cf_json_u64(&j, "generation", gen);
		cf_json_obj_close(&j);
		cf_json_end(&j);
		return;
	}
	printf("device: %s\n", d->name);
	printf("mac: %s\n", cf_format_mac(d->mac, buf, sizeof(buf)));
	ctl_vendor_of(d->mac, &v);
	printf("vendor: %s%s\n", ctl_vendor_cell(&v), v.camera ? " (camera vendor)" : "");
	printf("addresses:");
	for (i = 0; i < d->naddrs; i++)
		printf(" %s", cf_format_addr(d->addrs[i].family,
					     d->addrs[i].addr, buf, sizeof(buf)));
	printf("%s\n", d->naddrs ? "" : " -");
	printf("profile: %s\n", d->profile[0] ? d->profile : "-");
	printf("mode: %s (effective %s)\n", cf_mode_name(d->mode),
	       cf_mode_name(d->effective_mode));
	printf("allowed_packets: %" PRIu64 "\n", d->allowed_packets);
	printf("allowed_bytes: %" PRIu64 "\n", d->allowed_bytes);
	printf("dropped_packets: %" PRIu64 "\n", d->dropped_packets);
	printf("dropped_bytes: %" PRIu64 "\n", d->dropped_bytes);
	printf("monitored_packets: %" PRIu64 "\n", d->monitored_packets);
	printf("spoofed_packets: %" PRIu64 "\n", d->spoofed_packets);
	printf("events_suppressed: %" PRIu64 "\n", d->events_suppressed);
	printf("last_seen: %s\n", cf_format_time(d->last_seen, ts, sizeof(ts)));
	printf("port: %s", d->port[0] ? d->port : "-");
	if (d->seen_port[0] && strcmp(d->seen_port, d->port))
		printf(" (last seen on %s)", d->seen_port);
	printf("\n");
	printf("last_drop: %s\n", r.last_drop[0] ? r.last_drop : "-");
	if (!d->nevidence)
		printf("denied destinations: none\n");
	else
		print_evidence(d);
	print_dns(d);
}

static void print_evidence(const struct cf_dev_info *d)
{
	static const char *const hdr[] = {
		"PEER", "DIR", "PROTO", "PORT", "REASON", "COUNT", "FIRST-SEEN",
		"LAST-SEEN"
	};
	int i;

	printf("denied destinations:\n");
	{
		struct ctl_table t;

		ctl_table_init(&t, 8, hdr);
		for (i = 0; i < d->nevidence; i++) {
			const struct cf_evidence *e = &d->evidence[i];
			char peer[64], port[8], cnt[24], fs[32], ls[32], pr[16];
			const char *cells[8] = {
				cf_format_addr(e->family, e->peer, peer, sizeof(peer)),
				cf_dir_name(e->dir),
				cf_format_proto(e->proto, pr, sizeof(pr)), port,
				cf_reason_name(e->reason), cnt,
				cf_format_time(e->first_seen, fs, sizeof(fs)),
				cf_format_time(e->last_seen, ls, sizeof(ls))
			};

			if (e->port)
				snprintf(port, sizeof(port), "%u", e->port);
			else
				snprintf(port, sizeof(port), "-");
			snprintf(cnt, sizeof(cnt), "%" PRIu64, e->count);
			ctl_table_row(&t, cells);
		}
		ctl_table_print(&t, stdout, "  ");
		ctl_table_free(&t);
	}
}

static int show_one(struct cf_nl *nl, const char *name)
{
	struct one *o = calloc(1, sizeof(*o));
	uint64_t gen = 0;
	int err;

	if (!o)
		return CTL_FAIL;
	err = cf_nl_get_devices(nl, name, get_one, o, &gen);
	if (err == -ENOENT && !nl->errmsg[0]) {
		ctl_err("no device named '%s'", name);
		free(o);
		return CTL_FAIL;
	}
	if (err || !o->found) {
		free(o);
		if (!err) {
			ctl_err("no device named '%s'", name);
			return CTL_FAIL;
		}
		return ctl_nl_fail(nl, err);
	}
	cf_dns_sort(o->info.dns, o->info.ndns);
	print_one(&o->info, gen);
	free(o);
	return CTL_OK;
}

int cmd_show(int argc, char **argv)
{
	struct cf_nl nl;
	int ret;

	if (argc > 3 || (argc == 3 && strcmp(argv[1], "device")))
		return ctl_usage(argv[0]);
	if (ctl_open(&nl))
		return CTL_FAIL;
	if (argc == 3)		/* show device NAME: also a device named policy */
		ret = show_one(&nl, argv[2]);
	else if (argc == 2 && !strcmp(argv[1], "policy"))
		ret = ctl_show_policy(&nl);
	else
		ret = argc == 2 ? show_one(&nl, argv[1]) : show_all(&nl);
	cf_nl_close(&nl);
	return ret;
}
