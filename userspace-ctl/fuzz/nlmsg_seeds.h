/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real messages of the camfence family, built with libnl the way the module
 * builds them (kmod/netlink.c): the seed corpus of fuzz_nlmsg
 * (gen_nlmsg_corpus.c writes them) and the inputs whose decoding
 * tests/test_nlmsg.c checks value by value. Deterministic: fixed family,
 * port and sequence (fuzz_nlmsg.h), fixed values.
 */
#ifndef CAMFENCE_NLMSG_SEEDS_H
#define CAMFENCE_NLMSG_SEEDS_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>

#include "fuzz_nlmsg.h"

/* 2026-11-23T11:24:20Z and later */
#define SEED_T0		1795433060ull

static const uint8_t seed_mac1[6] = { 0x44, 0x19, 0xb6, 0x00, 0x00, 0x01 };
static const uint8_t seed_mac2[6] = { 0x3c, 0xef, 0x8c, 0x00, 0x00, 0x2a };
static const uint8_t seed_v4_dev[4] = { 10, 20, 0, 11 };
static const uint8_t seed_v4_peer[4] = { 203, 0, 113, 7 };
static const uint8_t seed_v4_unknown[4] = { 10, 20, 0, 99 };
static const uint8_t seed_v6_dev[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0,
					 0, 0, 0, 0, 0, 0, 0, 0x11 };
static const uint8_t seed_v6_peer[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
					  0, 0, 0, 0, 0, 0, 0, 0x01 };

static inline struct nl_msg *seed_genl(int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(64 * 1024);

	if (msg && !genlmsg_put(msg, CF_FZ_PORT, CF_FZ_SEQ, CF_FZ_FAMILY, 0,
				flags, cmd, CAMFENCE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	if (msg)	/* libnl adds NLM_F_REQUEST: not in the kernel's */
		nlmsg_hdr(msg)->nlmsg_flags = flags;
	return msg;
}

struct seed_evidence {
	int dir, proto, reason;
	const uint8_t *peer;
	int peerlen;
	uint16_t port;
	uint64_t count, first, last;
};

static inline int seed_put_evidence(struct nl_msg *msg, int type,
				    const struct seed_evidence *e)
{
	struct nlattr *n = nla_nest_start(msg, type);

	if (!n || nla_put_u8(msg, CAMFENCE_EVIDENCE_A_DIR, e->dir) ||
	    (e->peer && nla_put(msg, CAMFENCE_EVIDENCE_A_PEER, e->peerlen,
				e->peer)) ||
	    nla_put_u8(msg, CAMFENCE_EVIDENCE_A_PROTO, e->proto) ||
	    nla_put_u16(msg, CAMFENCE_EVIDENCE_A_PORT, e->port) ||
	    nla_put_u8(msg, CAMFENCE_EVIDENCE_A_REASON, e->reason) ||
	    nla_put_u64(msg, CAMFENCE_EVIDENCE_A_COUNT, e->count) ||
	    nla_put_u64(msg, CAMFENCE_EVIDENCE_A_FIRST_SEEN, e->first) ||
	    nla_put_u64(msg, CAMFENCE_EVIDENCE_A_LAST_SEEN, e->last))
		return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

/* The evidence entries of seed "device-full", in order. */
static const struct seed_evidence seed_evidence_full[] = {
	{ CAMFENCE_DIR_TO, 17, CAMFENCE_REASON_NO_RULE, seed_v4_peer, 4,
	  6800, 12, SEED_T0, SEED_T0 + 60 },
	{ CAMFENCE_DIR_TO, 6, CAMFENCE_REASON_NO_RULE, seed_v6_peer, 16,
	  443, 3, SEED_T0 + 5, SEED_T0 + 7 },
	{ CAMFENCE_DIR_FROM, 1, CAMFENCE_REASON_SPOOFED, seed_v4_peer, 4,
	  0, 1, SEED_T0 + 9, SEED_T0 + 9 },
};

/*
 * A device as GET_DEVICE sends it: naddrs addresses (alternately v4/v6,
 * the last byte counting up), nev evidence entries (seed_evidence_full
 * first, then copies of its first entry with port 7000 + i).
 */
/* The DNS names of seed "device-dns", in order. */
static const struct {
	const char *name;
	int verdict;
	uint64_t count;
} seed_dns[] = {
	{ "api.hik-connect.com", CAMFENCE_VERDICT_ALLOWED, 3 },
	{ "p2p.easy4ip.com", CAMFENCE_VERDICT_DROPPED, 7 },
	{ ".", CAMFENCE_VERDICT_MONITORED, 1 },
};

static inline int seed_put_dns(struct nl_msg *msg, int ndns)
{
	struct nlattr *n, *e;
	int i;

	n = nla_nest_start(msg, CAMFENCE_DEVICE_A_DNS);
	if (!n || nla_put_u32(msg, CAMFENCE_DNS_A_TOTAL, 3) ||
	    nla_put_u64(msg, CAMFENCE_DNS_A_INVALID, 2) ||
	    nla_put_u64(msg, CAMFENCE_DNS_A_REPLACED, 0))
		return -1;
	for (i = 0; i < ndns; i++) {
		e = nla_nest_start(msg, CAMFENCE_DNS_A_ENTRY);
		if (!e || nla_put_string(msg, CAMFENCE_DNS_A_NAME, seed_dns[i].name) ||
		    nla_put_u8(msg, CAMFENCE_DNS_A_VERDICT, seed_dns[i].verdict) ||
		    nla_put_u64(msg, CAMFENCE_DNS_A_COUNT, seed_dns[i].count) ||
		    nla_put_u64(msg, CAMFENCE_DNS_A_FIRST_SEEN, SEED_T0 + i) ||
		    nla_put_u64(msg, CAMFENCE_DNS_A_LAST_SEEN, SEED_T0 + 10 + i))
			return -1;
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, n);
	return 0;
}

/* ndns > 0: a DNS nest (TOTAL 3, INVALID 2) with the first ndns of
 * seed_dns.
 */
static inline struct nl_msg *seed_device(const char *name, const uint8_t *mac,
					 int naddrs, int nev, bool last_drop,
					 bool with_stats, int ndns)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_GET_DEVICE, NLM_F_MULTI);
	struct nlattr *dev, *n;
	int i;

	if (!msg)
		return NULL;
	if (nla_put_u64(msg, CAMFENCE_A_GENERATION, 42))
		goto fail;
	dev = nla_nest_start(msg, CAMFENCE_A_DEVICE);
	if (!dev || nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, name) ||
	    nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, mac))
		goto fail;
	for (i = 0; i < naddrs; i++) {
		uint8_t a[16];
		int alen = i % 2 ? 16 : 4;

		memcpy(a, alen == 16 ? seed_v6_dev : seed_v4_dev, alen);
		a[alen - 1] += i / 2;
		if (nla_put(msg, CAMFENCE_DEVICE_A_ADDR, alen, a))
			goto fail;
	}
	if (nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE,
			   with_stats ? "hikvision" : "") ||
	    nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, with_stats ?
		       CAMFENCE_MODE_DEFAULT : CAMFENCE_MODE_MONITOR) ||
	    nla_put_u8(msg, CAMFENCE_DEVICE_A_EFFECTIVE_MODE, with_stats ?
		       CAMFENCE_MODE_ENFORCE : CAMFENCE_MODE_MONITOR))
		goto fail;
	if (with_stats) {
		n = nla_nest_start(msg, CAMFENCE_DEVICE_A_STATS);
		if (!n ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_ALLOWED_PACKETS, 1000) ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_ALLOWED_BYTES, 1234567) ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_DROPPED_PACKETS, 16) ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_DROPPED_BYTES, 2048) ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_MONITORED_PACKETS, 5) ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_SPOOFED_PACKETS, 1) ||
		    nla_put_u64(msg, CAMFENCE_DEVSTATS_A_EVENTS_SUPPRESSED,
				UINT64_MAX))
			goto fail;
		nla_nest_end(msg, n);
		if (nla_put_u64(msg, CAMFENCE_DEVICE_A_LAST_SEEN, SEED_T0 + 60))
			goto fail;
	}
	if (last_drop && seed_put_evidence(msg, CAMFENCE_DEVICE_A_LAST_DROP,
					   &seed_evidence_full[0]))
		goto fail;
	n = nla_nest_start(msg, CAMFENCE_DEVICE_A_EVIDENCE);
	if (!n)
		goto fail;
	for (i = 0; i < nev; i++) {
		struct seed_evidence e = seed_evidence_full[i < 3 ? i : 0];

		if (i >= 3)
			e.port = 7000 + i;
		if (seed_put_evidence(msg, CAMFENCE_EVIDENCE_A_ENTRY, &e))
			goto fail;
	}
	nla_nest_end(msg, n);
	if (ndns && seed_put_dns(msg, ndns))
		goto fail;
	nla_nest_end(msg, dev);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static inline struct nl_msg *seed_device_full(void)
{
	return seed_device("lobby-1", seed_mac1, 2, 3, true, true, 0);
}

/* device-full with the DNS names it asked for. */
static inline struct nl_msg *seed_device_dns(void)
{
	return seed_device("lobby-1", seed_mac1, 2, 3, true, true, 3);
}

/* Name and MAC, nothing seen yet: no stats, no last drop, no evidence. */
static inline struct nl_msg *seed_device_min(void)
{
	return seed_device("gate.cam_2", seed_mac2, 0, 0, false, false, 0);
}

/* Every address and evidence slot the uapi allows. */
static inline struct nl_msg *seed_device_max(void)
{
	return seed_device("yard-16", seed_mac1, CAMFENCE_MAX_DEVICE_ADDRS,
			   CAMFENCE_EVIDENCE_SLOTS, true, true, 0);
}

static inline struct nl_msg *seed_stats(bool sealed)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_GET_STATS, 0);
	struct nlattr *n;

	if (!msg)
		return NULL;
	if (nla_put_u8(msg, CAMFENCE_A_MODE, sealed ? CAMFENCE_MODE_MONITOR :
		       CAMFENCE_MODE_ENFORCE) ||
	    nla_put_u64(msg, CAMFENCE_A_GENERATION, sealed ? 0 : 7) ||
	    nla_put_u32(msg, CAMFENCE_A_DEVICE_COUNT, sealed ? 0 : 3) ||
	    nla_put_u8(msg, CAMFENCE_A_SEALED, sealed) ||
	    nla_put_string(msg, CAMFENCE_A_MODULE_VERSION, "0.1.0"))
		goto fail;
	n = nla_nest_start(msg, CAMFENCE_A_STATS);
	if (!n ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_ALLOWED_PACKETS, sealed ? 0 : 5000) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_DROPPED_PACKETS, sealed ? 9 : 321) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_UNKNOWN_PACKETS, sealed ? 9 : 20) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_SPOOFED_PACKETS, sealed ? 0 : 4) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_EVENTS_SUPPRESSED, sealed ? 0 : 17) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_MONITORED_PACKETS, sealed ? 0 : 2) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_UNKNOWN_NOT_RECORDED,
			sealed ? 0 : 4900) ||
	    nla_put_u64(msg, CAMFENCE_STATS_A_EVIDENCE_NOT_RECORDED,
			sealed ? 0 : 32))
		goto fail;
	nla_nest_end(msg, n);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static inline struct nl_msg *seed_stats_enforce(void)
{
	return seed_stats(false);
}

static inline struct nl_msg *seed_stats_sealed(void)
{
	return seed_stats(true);
}

static inline struct nl_msg *seed_unknown(bool with_addr)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_GET_UNKNOWN, NLM_F_MULTI);
	struct nlattr *n;

	if (!msg)
		return NULL;
	n = nla_nest_start(msg, CAMFENCE_A_UNKNOWN);
	if (!n || nla_put(msg, CAMFENCE_UNKNOWN_A_MAC, 6, seed_mac2) ||
	    nla_put_string(msg, CAMFENCE_UNKNOWN_A_ZONE, "cameras") ||
	    nla_put_u16(msg, CAMFENCE_UNKNOWN_A_VLAN, with_addr ? 20 : 0) ||
	    nla_put_string(msg, CAMFENCE_UNKNOWN_A_IFNAME,
			   with_addr ? "br-cam.20" : "eth1") ||
	    nla_put_u64(msg, CAMFENCE_UNKNOWN_A_FIRST_SEEN, SEED_T0) ||
	    nla_put_u64(msg, CAMFENCE_UNKNOWN_A_LAST_SEEN, SEED_T0 + 30) ||
	    nla_put_u64(msg, CAMFENCE_UNKNOWN_A_PACKETS, with_addr ? 77 : 1) ||
	    (with_addr && nla_put(msg, CAMFENCE_UNKNOWN_A_ADDR, 4,
				  seed_v4_unknown)))
		goto fail;
	nla_nest_end(msg, n);
	return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

static inline struct nl_msg *seed_unknown_v4(void)
{
	return seed_unknown(true);
}

static inline struct nl_msg *seed_unknown_noaddr(void)
{
	return seed_unknown(false);
}

static inline struct nl_msg *seed_commit(void)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_COMMIT, 0);

	if (msg && (nla_put_u64(msg, CAMFENCE_A_GENERATION, 8) ||
		    nla_put_u32(msg, CAMFENCE_A_COMMIT_ADDED, 2) ||
		    nla_put_u32(msg, CAMFENCE_A_COMMIT_REMOVED, 1) ||
		    nla_put_u32(msg, CAMFENCE_A_COMMIT_CHANGED, 1) ||
		    nla_put_u32(msg, CAMFENCE_A_COMMIT_UNCHANGED, 5))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The reply to BEGIN: the transaction id. */
static inline struct nl_msg *seed_begin(void)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_BEGIN, 0);

	if (msg && nla_put_u64(msg, CAMFENCE_A_TXN_ID, 0x100000007ULL)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* v4: lobby-1 dropped to udp 203.0.113.7:6800; v6: an unknown device. */
static inline struct nl_msg *seed_event(bool v6)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_EVENT, 0);
	struct nlattr *n;

	if (!msg)
		return NULL;
	n = nla_nest_start(msg, CAMFENCE_A_EVENT);
	if (!n ||
	    nla_put_u64(msg, CAMFENCE_EVENT_A_TIMESTAMP,
			SEED_T0 * 1000000000ull + 123456789) ||
	    (!v6 && nla_put_string(msg, CAMFENCE_EVENT_A_DEVICE, "lobby-1")) ||
	    nla_put(msg, CAMFENCE_EVENT_A_MAC, 6, v6 ? seed_mac2 : seed_mac1) ||
	    nla_put_string(msg, CAMFENCE_EVENT_A_ZONE, "cameras") ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_DIR, CAMFENCE_DIR_TO) ||
	    nla_put(msg, CAMFENCE_EVENT_A_SADDR, v6 ? 16 : 4,
		    v6 ? seed_v6_dev : seed_v4_dev) ||
	    nla_put(msg, CAMFENCE_EVENT_A_DADDR, v6 ? 16 : 4,
		    v6 ? seed_v6_peer : seed_v4_peer) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_PROTO, v6 ? 6 : 17) ||
	    nla_put_u16(msg, CAMFENCE_EVENT_A_SPORT, v6 ? 51000 : 40000) ||
	    nla_put_u16(msg, CAMFENCE_EVENT_A_DPORT, v6 ? 443 : 6800) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_REASON, v6 ?
		       CAMFENCE_REASON_UNKNOWN_DEVICE : CAMFENCE_REASON_NO_RULE) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_VERDICT, CAMFENCE_VERDICT_DROPPED) ||
	    nla_put_u64(msg, CAMFENCE_EVENT_A_SUPPRESSED, v6 ? 3 : 0)) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, n);
	return msg;
}

static inline struct nl_msg *seed_event_v4(void)
{
	return seed_event(false);
}

static inline struct nl_msg *seed_event_v6(void)
{
	return seed_event(true);
}

/* The request the errors below answer: an ADD with one device nest. */
static inline struct nl_msg *seed_request(void)
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_ADD, NLM_F_REQUEST |
				       NLM_F_ACK);
	struct nlattr *n;

	if (!msg)
		return NULL;
	n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
	if (!n || nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "lobby-1") ||
	    nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1) ||
	    nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "nvr")) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, n);
	return msg;
}

/*
 * NLMSG_ERROR as netlink_ack() builds it: the error, the request's header
 * (capped) or the whole request (echo), then the extack TLVs if text.
 */
static inline struct nl_msg *seed_error(int error, bool capped,
					const char *text)
{
	struct nl_msg *req = seed_request();
	struct nlmsghdr *rh;
	struct nl_msg *msg;
	struct nlmsgerr e;
	int flags = (capped ? NLM_F_CAPPED : 0) | (text ? NLM_F_ACK_TLVS : 0);

	if (!req)
		return NULL;
	rh = nlmsg_hdr(req);
	msg = nlmsg_alloc_size(64 * 1024);
	if (!msg || !nlmsg_put(msg, CF_FZ_PORT, CF_FZ_SEQ, NLMSG_ERROR, 0,
			       flags))
		goto fail;
	nlmsg_hdr(msg)->nlmsg_flags = flags;
	memset(&e, 0, sizeof(e));
	e.error = error;
	e.msg = *rh;
	if (nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO) ||
	    (!capped && nlmsg_append(msg, nlmsg_data(rh), nlmsg_datalen(rh),
				     NLMSG_ALIGNTO)))
		goto fail;
	if (text && (nla_put_string(msg, NLMSGERR_ATTR_MSG, text) ||
		     nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 48)))
		goto fail;
	nlmsg_free(req);
	return msg;
fail:
	nlmsg_free(req);
	nlmsg_free(msg);
	return NULL;
}

static inline struct nl_msg *seed_error_capped(void)
{
	return seed_error(-EINVAL, true, "device lobby-1: no profile named nvr");
}

static inline struct nl_msg *seed_error_echo(void)
{
	return seed_error(-EBUSY, false, "another transaction is open");
}

static inline struct nl_msg *seed_error_plain(void)
{
	return seed_error(-EPERM, true, NULL);
}

/* NLMSG_DONE of a dump that failed, with its extack. */
static inline struct nl_msg *seed_done_error(void)
{
	struct nl_msg *msg = nlmsg_alloc_size(4096);
	int32_t err = -ENOBUFS;

	if (!msg || !nlmsg_put(msg, CF_FZ_PORT, CF_FZ_SEQ, NLMSG_DONE, 0,
			       NLM_F_MULTI | NLM_F_ACK_TLVS) ||
	    nlmsg_append(msg, &err, sizeof(err), NLMSG_ALIGNTO) ||
	    nla_put_string(msg, NLMSGERR_ATTR_MSG, "dump too big")) {
		nlmsg_free(msg);
		return NULL;
	}
	nlmsg_hdr(msg)->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	return msg;
}

/* GET_POLICY: the head, a zone, a profile (part of a split one), a device. */
static inline struct nl_msg *seed_policy_msg(int part)
{
	static const struct camfence_port_range pr[2] = { { 554, 554 },
							  { 8000, 8010 } };
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_GET_POLICY, NLM_F_MULTI);
	struct nlattr *n, *r;
	int err = 0;

	if (!msg)
		return NULL;
	err = nla_put_u64(msg, CAMFENCE_A_GENERATION, 7);
	switch (part) {
	case 0:
		err = err || nla_put_u8(msg, CAMFENCE_A_MODE, CAMFENCE_MODE_MONITOR) ||
		      nla_put_u8(msg, CAMFENCE_A_SEALED, 0);
		break;
	case 1:
		n = nla_nest_start(msg, CAMFENCE_A_ZONE);
		err = err || !n ||
		      nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "cameras") ||
		      nla_put_u8(msg, CAMFENCE_ZONE_A_UNKNOWN, CAMFENCE_ACTION_MONITOR) ||
		      nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 20) ||
		      nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 4094) ||
		      nla_put_string(msg, CAMFENCE_ZONE_A_IFNAME, "cam0");
		if (!err)
			nla_nest_end(msg, n);
		break;
	case 2:
		n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
		err = err || !n ||
		      nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, "nvr-only") ||
		      nla_put_u32(msg, CAMFENCE_PROFILE_A_FIRST_RULE, 1) ||
		      nla_put_u32(msg, CAMFENCE_PROFILE_A_NRULES, 3);
		r = err ? NULL : nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
		err = err || !r ||
		      nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_FROM) ||
		      nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 6) ||
		      nla_put(msg, CAMFENCE_RULE_A_PEER, 4, seed_v4_dev) ||
		      nla_put_u8(msg, CAMFENCE_RULE_A_PREFIXLEN, 32) ||
		      nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(pr[0]), &pr[0]) ||
		      nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(pr[1]), &pr[1]);
		if (!err)
			nla_nest_end(msg, r);
		r = err ? NULL : nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
		err = err || !r ||
		      nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO) ||
		      nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 47);
		if (!err) {
			nla_nest_end(msg, r);
			nla_nest_end(msg, n);
		}
		break;
	default:
		n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
		err = err || !n ||
		      nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "lobby-1") ||
		      nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1) ||
		      nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "nvr-only") ||
		      nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, CAMFENCE_MODE_ENFORCE) ||
		      nla_put_string(msg, CAMFENCE_DEVICE_A_PORT, "pcam1") ||
		      nla_put(msg, CAMFENCE_DEVICE_A_ADDR, 4, seed_v4_dev) ||
		      nla_put(msg, CAMFENCE_DEVICE_A_ADDR, 16, seed_v6_dev);
		if (!err)
			nla_nest_end(msg, n);
		break;
	}
	if (err) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static inline struct nl_msg *seed_policy_head(void)
{
	return seed_policy_msg(0);
}

static inline struct nl_msg *seed_policy_zone(void)
{
	return seed_policy_msg(1);
}

static inline struct nl_msg *seed_policy_profile(void)
{
	return seed_policy_msg(2);
}

static inline struct nl_msg *seed_policy_device(void)
{
	return seed_policy_msg(3);
}

struct seed {
	const char *name;
	int kind;			/* CF_FZ_* */
	struct nl_msg *(*build)(void);
};

static const struct seed seeds[] = {
	{ "device-full", CF_FZ_DEVICE, seed_device_full },
	{ "device-min", CF_FZ_DEVICE, seed_device_min },
	{ "device-max", CF_FZ_DEVICE, seed_device_max },
	{ "device-dns", CF_FZ_DEVICE, seed_device_dns },
	{ "stats", CF_FZ_STATS, seed_stats_enforce },
	{ "stats-sealed", CF_FZ_STATS, seed_stats_sealed },
	{ "unknown-v4", CF_FZ_UNKNOWN, seed_unknown_v4 },
	{ "unknown-noaddr", CF_FZ_UNKNOWN, seed_unknown_noaddr },
	{ "commit", CF_FZ_COMMIT, seed_commit },
	{ "begin", CF_FZ_COMMIT, seed_begin },
	{ "event-v4", CF_FZ_EVENT, seed_event_v4 },
	{ "event-v6", CF_FZ_EVENT, seed_event_v6 },
	{ "error-capped", CF_FZ_EXTACK, seed_error_capped },
	{ "error-echo", CF_FZ_EXTACK, seed_error_echo },
	{ "error-plain", CF_FZ_EXTACK, seed_error_plain },
	{ "done-error", CF_FZ_EXTACK, seed_done_error },
	{ "policy-head", CF_FZ_POLICY, seed_policy_head },
	{ "policy-zone", CF_FZ_POLICY, seed_policy_zone },
	{ "policy-profile", CF_FZ_POLICY, seed_policy_profile },
	{ "policy-device", CF_FZ_POLICY, seed_policy_device },
};

#define NSEEDS ((int)(sizeof(seeds) / sizeof(seeds[0])))

/*
 * The fuzz inputs of a message (fuzz_nlmsg.h): raw (the whole message) or
 * wrapped (what follows the headers the fuzzer builds). Returns the input
 * length, written to out (size outlen), or 0 if it does not fit.
 */
static inline size_t seed_input(const struct seed *s, const struct nlmsghdr *nlh,
				 bool raw, uint8_t *out, size_t outlen)
{
	size_t hdr = NLMSG_HDRLEN + (s->kind == CF_FZ_EXTACK ? 0 : GENL_HDRLEN);
	size_t n = raw ? nlh->nlmsg_len : nlh->nlmsg_len - hdr;
	uint8_t sel = s->kind;

	if (1 + n > outlen)
		return 0;
	if (raw) {
		sel |= CF_FZ_RAW;
	} else if (s->kind == CF_FZ_EXTACK) {
		if (nlh->nlmsg_type == NLMSG_DONE)
			sel |= CF_FZ_DONE;
		if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
			sel |= CF_FZ_TLVS;
		if (nlh->nlmsg_flags & NLM_F_CAPPED)
			sel |= CF_FZ_CAPPED;
	}
	out[0] = sel;
	memcpy(out + 1, (const uint8_t *)nlh + (raw ? 0 : hdr), n);
	return 1 + n;
}

#endif
