// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the decoding of the kernel's messages in userspace
 * (lib/nlmsg.c: cf_decode_device, _stats, _unknown, _commit, _event,
 * _extack, _policy). Input format: fuzz_nlmsg.h. Any input must decode without
 * crash, leak or UB; what a decoder accepts must hold the invariants the
 * tools rely on (bounded counts, known families, valid NUL-terminated names)
 * and go through the formatting the tools print it with; what it rejects
 * must come back zeroed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz_nlmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static int zeroed(const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static int family_ok(int family)
{
	return family == 0 || family == AF_INET || family == AF_INET6;
}

/* NUL-terminated within its buffer; a valid name, or "" if allowed. */
static void check_name(const char *s, size_t size, int empty_ok)
{
	check(strnlen(s, size) < size);
	check(s[0] ? cf_valid_name(s) : empty_ok);
}

static void check_evidence(const struct cf_evidence *e)
{
	char buf[128];

	check(family_ok(e->family));
	check(e->dir >= 0 && e->dir <= 255 && e->proto >= 0 &&
	      e->proto <= 255 && e->reason >= 0 && e->reason <= 255);
	cf_format_drop(e, buf, sizeof(buf));
	check(strlen(buf) < sizeof(buf));
	cf_format_addr(e->family, e->peer, buf, sizeof(buf));
	cf_format_time(e->first_seen, buf, sizeof(buf));
	cf_format_time(e->last_seen, buf, sizeof(buf));
	cf_dir_name(e->dir);
	cf_reason_name(e->reason);
}

static void device(const struct nlmsghdr *nlh, size_t len)
{
	struct cf_dev_info *d = malloc(sizeof(*d));
	uint64_t gen = 0xfeedfacecafef00dull;
	char buf[96];
	int i;

	if (!d)
		return;
	if (cf_decode_device(nlh, len, d, &gen)) {
		check(zeroed(d, sizeof(*d)));
		check(gen == 0xfeedfacecafef00dull);
		free(d);
		return;
	}
	check_name(d->name, sizeof(d->name), 0);
	check_name(d->profile, sizeof(d->profile), 1);
	check(d->naddrs >= 0 && d->naddrs <= CAMFENCE_MAX_DEVICE_ADDRS);
	for (i = 0; i < d->naddrs; i++) {
		check(d->addrs[i].family == AF_INET ||
		      d->addrs[i].family == AF_INET6);
		cf_format_prefix(d->addrs[i].family, d->addrs[i].addr,
				 d->addrs[i].family == AF_INET ? 32 : 128,
				 buf, sizeof(buf));
	}
	check(d->nevidence >= 0 && d->nevidence <= CAMFENCE_EVIDENCE_SLOTS);
	for (i = 0; i < d->nevidence; i++)
		check_evidence(&d->evidence[i]);
	if (d->has_last_drop)
		check_evidence(&d->last_drop);
	else
		check(zeroed(&d->last_drop, sizeof(d->last_drop)));
	cf_format_mac(d->mac, buf, sizeof(buf));
	cf_format_time(d->last_seen, buf, sizeof(buf));
	cf_mode_name(d->mode);
	cf_mode_name(d->effective_mode);
	free(d);
}

static void stats(const struct nlmsghdr *nlh, size_t len)
{
	struct cf_stats st;
	size_t i;

	if (cf_decode_stats(nlh, len, &st)) {
		check(zeroed(&st, sizeof(st)));
		return;
	}
	check(strnlen(st.module_version, sizeof(st.module_version)) <
	      sizeof(st.module_version));
	for (i = 0; st.module_version[i]; i++)
		check(st.module_version[i] >= 0x20 && st.module_version[i] < 0x7f);
	cf_mode_name(st.mode);
}

static void unknown(const struct nlmsghdr *nlh, size_t len)
{
	struct cf_unknown u;
	char buf[96];

	if (cf_decode_unknown(nlh, len, &u)) {
		check(zeroed(&u, sizeof(u)));
		return;
	}
	check_name(u.zone, sizeof(u.zone), 1);
	check(strnlen(u.ifname, sizeof(u.ifname)) < sizeof(u.ifname));
	check(!u.ifname[0] || cf_valid_ifname(u.ifname));
	check(family_ok(u.family));
	cf_format_addr(u.family, u.addr, buf, sizeof(buf));
	cf_format_mac(u.mac, buf, sizeof(buf));
	cf_format_time(u.first_seen, buf, sizeof(buf));
}

static void commit(const struct nlmsghdr *nlh, size_t len)
{
	struct cf_commit c;

	if (cf_decode_commit(nlh, len, &c))
		check(zeroed(&c, sizeof(c)));
}

static void event(const struct nlmsghdr *nlh, size_t len)
{
	struct cf_event ev;
	char buf[512];
	int ret = cf_decode_event(nlh, len, &ev);

	if (ret) {
		check(ret == -EBADMSG || ret == -ENOMSG);
		check(zeroed(&ev, sizeof(ev)));
		return;
	}
	check_name(ev.device, sizeof(ev.device), 1);
	check_name(ev.zone, sizeof(ev.zone), 1);
	check(family_ok(ev.family));
	if (!ev.timestamp_ns)
		ev.timestamp_ns = 1;	/* 0 means "now": keep it deterministic */
	cf_format_event(&ev, buf, sizeof(buf));
	check(strlen(buf) < sizeof(buf));
	/* a short buffer truncates, never overflows */
	cf_format_event(&ev, buf, 40);
	check(strlen(buf) < 40);
	cf_verdict_name(ev.verdict);
}

static void extack(const struct nlmsghdr *nlh, size_t len)
{
	char msg[256];
	int err = 1, ret, i;

	ret = cf_decode_extack(nlh, len, &err, msg, sizeof(msg));
	check(ret == 0 || ret == -EBADMSG);
	check(err <= 0 && err >= -4095);
	check(strnlen(msg, sizeof(msg)) < sizeof(msg));
	for (i = 0; msg[i]; i++)
		check(msg[i] >= 0x20 && msg[i] < 0x7f);
	if (ret)
		check(!msg[0]);
	/* a zero-sized message buffer is never written */
	ret = cf_decode_extack(nlh, len, &err, msg + 1, 0);
	check(ret == 0 || ret == -EBADMSG);
}

static void policy(const struct nlmsghdr *nlh, size_t len)
{
	struct cf_policy_msg *m = malloc(sizeof(*m));
	struct cf_config cfg;
	FILE *f;
	char buf[512];
	int i, ret;

	if (!m)
		return;
	ret = cf_decode_policy(nlh, len, m);
	if (ret) {
		check(ret == -EBADMSG || ret == -ENOMEM);
		check(zeroed(m, sizeof(*m)));
		free(m);
		return;
	}
	check(m->kind >= CF_PMSG_HEAD && m->kind <= CF_PMSG_DEVICE);
	cf_config_init(&cfg);
	switch (m->kind) {
	case CF_PMSG_HEAD:
		check(m->mode == CAMFENCE_MODE_ENFORCE ||
		      m->mode == CAMFENCE_MODE_MONITOR);
		cfg.mode = m->mode;
		break;
	case CF_PMSG_ZONE:
		check_name(m->zone.name, sizeof(m->zone.name), 0);
		check(m->zone.nvlans <= CAMFENCE_MAX_ZONE_VLANS &&
		      m->zone.nifs <= CAMFENCE_MAX_ZONE_IFS &&
		      m->zone.nvlans + m->zone.nifs > 0);
		for (i = 0; i < m->zone.nvlans; i++)
			check(m->zone.vlans[i] >= 1 && m->zone.vlans[i] <= 4094);
		for (i = 0; i < m->zone.nifs; i++)
			check(cf_valid_ifname(m->zone.ifnames[i]));
		cfg.zones = &m->zone;
		cfg.nzones = 1;
		break;
	case CF_PMSG_PROFILE:
		check_name(m->profile.name, sizeof(m->profile.name), 0);
		check(m->first_rule <= m->total_rules &&
		      (uint32_t)m->profile.nrules <= m->total_rules - m->first_rule);
		for (i = 0; i < m->profile.nrules; i++) {
			const struct cf_cfg_rule *r = &m->profile.rules[i];

			check(family_ok(r->family));
			check(r->nports <= CAMFENCE_MAX_PORT_RANGES);
			cf_format_rule(r, buf, sizeof(buf));
			check(strlen(buf) < sizeof(buf));
		}
		cfg.profiles = &m->profile;
		cfg.nprofiles = 1;
		break;
	default:
		check_name(m->device.name, sizeof(m->device.name), 0);
		check_name(m->device.profile, sizeof(m->device.profile), 0);
		check(m->device.naddrs <= CAMFENCE_MAX_DEVICE_ADDRS);
		for (i = 0; i < m->device.naddrs; i++)
			check(m->device.addrs[i].family == AF_INET ||
			      m->device.addrs[i].family == AF_INET6);
		cfg.devices = &m->device;
		cfg.ndevices = 1;
		break;
	}
	/* what show policy prints of it */
	f = fopen("/dev/null", "w");
	if (f) {
		check(cf_config_write(f, &cfg, "# fuzz\n") == 0);
		fclose(f);
	}
	cf_policy_msg_free(m);
	free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	size_t len;

	nlh = cf_fz_message(data, size, &len);
	if (!nlh)
		return 0;
	switch (cf_fz_kind(data[0])) {
	case CF_FZ_DEVICE:
		device(nlh, len);
		break;
	case CF_FZ_STATS:
		stats(nlh, len);
		break;
	case CF_FZ_UNKNOWN:
		unknown(nlh, len);
		break;
	case CF_FZ_COMMIT:
		commit(nlh, len);
		break;
	case CF_FZ_EVENT:
		event(nlh, len);
		break;
	case CF_FZ_POLICY:
		policy(nlh, len);
		break;
	default:
		extack(nlh, len);
		break;
	}
	free(nlh);
	return 0;
}
