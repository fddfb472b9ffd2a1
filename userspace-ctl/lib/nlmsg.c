// SPDX-License-Identifier: GPL-2.0
/*
 * Decoding of the messages the kernel sends (replies, events, errors) and
 * the formatting of what they carry, without a socket (see nl.h). nl.c's
 * callbacks decode with these; so do the fuzz target fuzz/fuzz_nlmsg.c and
 * the unit test tests/test_nlmsg.c.
 *
 * A message is checked before anything is read from it: the netlink and
 * generic netlink headers against the buffer, every attribute against a
 * policy of its exact uapi size (libnl's nla_parse), every nest for bytes
 * that are no attribute. Strings must be NUL-terminated and names valid;
 * integers are read with memcpy (attributes are only 4-byte aligned).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/netlink.h>
#include "json.h"
#include "nl.h"

/* A message longer than this is malformed (the kernel's are < 64 KiB). */
#define CF_NLMSG_MAX		(1u << 30)

#define ALIGN4(x)		(((x) + 3) & ~(size_t)3)

/* ---- policies: the exact size of every attribute the decoders read ---- */

#define P_U8		{ .type = NLA_U8, .maxlen = 1 }
#define P_U16		{ .type = NLA_U16, .maxlen = 2 }
#define P_U32		{ .type = NLA_U32, .maxlen = 4 }
#define P_U64		{ .type = NLA_U64, .maxlen = 8 }
#define P_NAME		{ .type = NLA_STRING, .maxlen = CAMFENCE_NAME_MAX + 1 }
#define P_IFNAME	{ .type = NLA_STRING, .maxlen = CF_CFG_IFNAME_MAX }
#define P_STRING	{ .type = NLA_STRING }
#define P_MAC		{ .minlen = 6, .maxlen = 6 }
#define P_ADDR		{ .minlen = 4, .maxlen = 16 }	/* 4 or 16: get_addr() */
#define P_NEST		{ .type = NLA_NESTED }

static const struct nla_policy top_policy[CAMFENCE_A_MAX + 1] = {
	[CAMFENCE_A_GENERATION]		= P_U64,
	[CAMFENCE_A_MODE]		= P_U8,
	[CAMFENCE_A_ZONE]		= P_NEST,
	[CAMFENCE_A_PROFILE]		= P_NEST,
	[CAMFENCE_A_DEVICE]		= P_NEST,
	[CAMFENCE_A_STATS]		= P_NEST,
	[CAMFENCE_A_UNKNOWN]		= P_NEST,
	[CAMFENCE_A_EVENT]		= P_NEST,
	[CAMFENCE_A_COMMIT_ADDED]	= P_U32,
	[CAMFENCE_A_COMMIT_REMOVED]	= P_U32,
	[CAMFENCE_A_COMMIT_CHANGED]	= P_U32,
	[CAMFENCE_A_COMMIT_UNCHANGED]	= P_U32,
	[CAMFENCE_A_DEVICE_COUNT]	= P_U32,
	[CAMFENCE_A_SEALED]		= P_U8,
	[CAMFENCE_A_MODULE_VERSION]	= P_STRING,
	[CAMFENCE_A_OFFLOAD]		= { .type = NLA_STRING, .maxlen = 1024 },
	[CAMFENCE_A_COMMIT_NOOP]	= P_U8,
	[CAMFENCE_A_TXN_ID]		= P_U64,
};

static const struct nla_policy zone_policy[CAMFENCE_ZONE_A_MAX + 1] = {
	[CAMFENCE_ZONE_A_NAME]		= P_NAME,
	[CAMFENCE_ZONE_A_VLAN]		= P_U16,
	[CAMFENCE_ZONE_A_IFNAME]	= P_IFNAME,
	[CAMFENCE_ZONE_A_UNKNOWN]	= P_U8,
};

static const struct nla_policy profile_policy[CAMFENCE_PROFILE_A_MAX + 1] = {
	[CAMFENCE_PROFILE_A_NAME]	= P_NAME,
	[CAMFENCE_PROFILE_A_RULE]	= P_NEST,
	[CAMFENCE_PROFILE_A_FIRST_RULE]	= P_U32,
	[CAMFENCE_PROFILE_A_NRULES]	= P_U32,
};

static const struct nla_policy rule_policy[CAMFENCE_RULE_A_MAX + 1] = {
	[CAMFENCE_RULE_A_DIR]		= P_U8,
	[CAMFENCE_RULE_A_PEER]		= P_ADDR,
	[CAMFENCE_RULE_A_PREFIXLEN]	= P_U8,
	[CAMFENCE_RULE_A_PROTO]		= P_U8,
	[CAMFENCE_RULE_A_PORTS]		= { .minlen = 4, .maxlen = 4 },
};

static const struct nla_policy device_policy[CAMFENCE_DEVICE_A_MAX + 1] = {
	[CAMFENCE_DEVICE_A_NAME]	= P_NAME,
	[CAMFENCE_DEVICE_A_MAC]		= P_MAC,
	[CAMFENCE_DEVICE_A_ADDR]	= P_ADDR,
	[CAMFENCE_DEVICE_A_PROFILE]	= P_NAME,
	[CAMFENCE_DEVICE_A_MODE]	= P_U8,
	[CAMFENCE_DEVICE_A_EFFECTIVE_MODE] = P_U8,
	[CAMFENCE_DEVICE_A_STATS]	= P_NEST,
	[CAMFENCE_DEVICE_A_LAST_SEEN]	= P_U64,
	[CAMFENCE_DEVICE_A_LAST_DROP]	= P_NEST,
	[CAMFENCE_DEVICE_A_EVIDENCE]	= P_NEST,
	[CAMFENCE_DEVICE_A_PORT]	= { .type = NLA_STRING, .maxlen = 16 },
	[CAMFENCE_DEVICE_A_SEEN_PORT]	= { .type = NLA_STRING, .maxlen = 16 },
	[CAMFENCE_DEVICE_A_DNS]		= P_NEST,
};

static const struct nla_policy dns_policy[CAMFENCE_DNS_A_MAX + 1] = {
	[CAMFENCE_DNS_A_TOTAL]		= P_U32,
	[CAMFENCE_DNS_A_INVALID]	= P_U64,
	[CAMFENCE_DNS_A_REPLACED]	= P_U64,
	[CAMFENCE_DNS_A_ENTRY]		= P_NEST,
	[CAMFENCE_DNS_A_NAME]		= { .type = NLA_STRING,
					    .maxlen = CAMFENCE_DNS_NAME_MAX + 1 },
	[CAMFENCE_DNS_A_VERDICT]	= P_U8,
	[CAMFENCE_DNS_A_COUNT]		= P_U64,
	[CAMFENCE_DNS_A_FIRST_SEEN]	= P_U64,
	[CAMFENCE_DNS_A_LAST_SEEN]	= P_U64,
};

static const struct nla_policy devstats_policy[CAMFENCE_DEVSTATS_A_MAX + 1] = {
	[CAMFENCE_DEVSTATS_A_ALLOWED_PACKETS]	= P_U64,
	[CAMFENCE_DEVSTATS_A_ALLOWED_BYTES]	= P_U64,
	[CAMFENCE_DEVSTATS_A_DROPPED_PACKETS]	= P_U64,
	[CAMFENCE_DEVSTATS_A_DROPPED_BYTES]	= P_U64,
	[CAMFENCE_DEVSTATS_A_MONITORED_PACKETS]	= P_U64,
	[CAMFENCE_DEVSTATS_A_SPOOFED_PACKETS]	= P_U64,
	[CAMFENCE_DEVSTATS_A_EVENTS_SUPPRESSED]	= P_U64,
};

static const struct nla_policy evidence_policy[CAMFENCE_EVIDENCE_A_MAX + 1] = {
	[CAMFENCE_EVIDENCE_A_ENTRY]	= P_NEST,
	[CAMFENCE_EVIDENCE_A_DIR]	= P_U8,
	[CAMFENCE_EVIDENCE_A_PEER]	= P_ADDR,
	[CAMFENCE_EVIDENCE_A_PROTO]	= P_U8,
	[CAMFENCE_EVIDENCE_A_PORT]	= P_U16,
	[CAMFENCE_EVIDENCE_A_REASON]	= P_U8,
	[CAMFENCE_EVIDENCE_A_COUNT]	= P_U64,
	[CAMFENCE_EVIDENCE_A_FIRST_SEEN] = P_U64,
	[CAMFENCE_EVIDENCE_A_LAST_SEEN]	= P_U64,
};

static const struct nla_policy stats_policy[CAMFENCE_STATS_A_MAX + 1] = {
	[CAMFENCE_STATS_A_ALLOWED_PACKETS]	= P_U64,
	[CAMFENCE_STATS_A_DROPPED_PACKETS]	= P_U64,
	[CAMFENCE_STATS_A_UNKNOWN_PACKETS]	= P_U64,
	[CAMFENCE_STATS_A_SPOOFED_PACKETS]	= P_U64,
	[CAMFENCE_STATS_A_EVENTS_SUPPRESSED]	= P_U64,
	[CAMFENCE_STATS_A_MONITORED_PACKETS]	= P_U64,
	[CAMFENCE_STATS_A_UNKNOWN_NOT_RECORDED]	= P_U64,
	[CAMFENCE_STATS_A_EVIDENCE_NOT_RECORDED] = P_U64,
};

static const struct nla_policy unknown_policy[CAMFENCE_UNKNOWN_A_MAX + 1] = {
	[CAMFENCE_UNKNOWN_A_MAC]	= P_MAC,
	[CAMFENCE_UNKNOWN_A_ZONE]	= P_NAME,
	[CAMFENCE_UNKNOWN_A_VLAN]	= P_U16,
	[CAMFENCE_UNKNOWN_A_IFNAME]	= P_IFNAME,
	[CAMFENCE_UNKNOWN_A_FIRST_SEEN]	= P_U64,
	[CAMFENCE_UNKNOWN_A_LAST_SEEN]	= P_U64,
	[CAMFENCE_UNKNOWN_A_PACKETS]	= P_U64,
	[CAMFENCE_UNKNOWN_A_ADDR]	= P_ADDR,
};

static const struct nla_policy event_policy[CAMFENCE_EVENT_A_MAX + 1] = {
	[CAMFENCE_EVENT_A_TIMESTAMP]	= P_U64,
	[CAMFENCE_EVENT_A_DEVICE]	= P_NAME,
	[CAMFENCE_EVENT_A_MAC]		= P_MAC,
	[CAMFENCE_EVENT_A_ZONE]		= P_NAME,
	[CAMFENCE_EVENT_A_DIR]		= P_U8,
	[CAMFENCE_EVENT_A_SADDR]	= P_ADDR,
	[CAMFENCE_EVENT_A_DADDR]	= P_ADDR,
	[CAMFENCE_EVENT_A_PROTO]	= P_U8,
	[CAMFENCE_EVENT_A_SPORT]	= P_U16,
	[CAMFENCE_EVENT_A_DPORT]	= P_U16,
	[CAMFENCE_EVENT_A_REASON]	= P_U8,
	[CAMFENCE_EVENT_A_VERDICT]	= P_U8,
	[CAMFENCE_EVENT_A_SUPPRESSED]	= P_U64,
};

/* ---- attribute streams ---- */

/*
 * An attribute stream of len bytes must be attributes up to its end (the
 * last one's padding may be missing); libnl's nla_parse() alone ignores
 * trailing bytes, which is how a nest that is no nest would get through.
 */
static int parse_attrs(struct nlattr **tb, int max, const void *head, int len,
		       const struct nla_policy *policy)
{
	struct nlattr *pos;
	int rem;

	if (len < 0)
		return -EBADMSG;
	nla_for_each_attr(pos, (struct nlattr *)head, len, rem)
		;
	if (rem > 0)
		return -EBADMSG;
	if (nla_parse(tb, max, (struct nlattr *)head, len, policy) < 0)
		return -EBADMSG;
	return 0;
}

static int parse_nest(struct nlattr **tb, int max, const struct nlattr *nest,
		      const struct nla_policy *policy)
{
	return parse_attrs(tb, max, nla_data(nest), nla_len(nest), policy);
}

/*
 * The attributes of a generic netlink message of the family: the netlink
 * header and nlmsg_len within len, the genl header within nlmsg_len.
 * *cmd (may be NULL) gets the command.
 */
static int parse_genl(const struct nlmsghdr *nlh, size_t len,
		      struct nlattr **tb, int *cmd)
{
	const struct genlmsghdr *gh;
	size_t mlen;

	if (!nlh || len < NLMSG_HDRLEN)
		return -EBADMSG;
	mlen = nlh->nlmsg_len;
	if (mlen > len || mlen > CF_NLMSG_MAX ||
	    mlen < NLMSG_HDRLEN + GENL_HDRLEN ||
	    nlh->nlmsg_type < NLMSG_MIN_TYPE)
		return -EBADMSG;
	gh = (const struct genlmsghdr *)((const char *)nlh + NLMSG_HDRLEN);
	if (cmd)
		*cmd = gh->cmd;
	return parse_attrs(tb, CAMFENCE_A_MAX,
			   (const char *)gh + GENL_HDRLEN,
			   (int)(mlen - NLMSG_HDRLEN - GENL_HDRLEN), top_policy);
}

/* ---- attribute readers (after the policy: sizes are exact) ---- */

static uint64_t get_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a)
		memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static uint32_t get_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (a)
		memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static uint16_t get_u16(const struct nlattr *a)
{
	uint16_t v = 0;

	if (a)
		memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static uint8_t get_u8(const struct nlattr *a)
{
	return a ? *(const uint8_t *)nla_data(a) : 0;
}

/* Up to the first NUL (the policy guarantees one), truncated to len. */
static void get_str(const struct nlattr *a, char *buf, size_t len)
{
	size_t n;

	buf[0] = '\0';
	if (!a)
		return;
	n = strnlen(nla_data(a), nla_len(a));
	if (n >= len)
		n = len - 1;
	memcpy(buf, nla_data(a), n);
	buf[n] = '\0';
}

/* A name of the uapi: absent or "" only where empty is allowed. */
static int get_name(const struct nlattr *a, char *buf, size_t len,
		    bool required)
{
	get_str(a, buf, len);
	if (!buf[0])
		return required ? -EBADMSG : 0;
	return cf_valid_name(buf) ? 0 : -EBADMSG;
}

/* Non-printable bytes (control characters, not ASCII) become '?'. */
static void make_printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			*s = '?';
}

/* AF_INET/AF_INET6 by length, 0 if absent; -EBADMSG for another length. */
static int get_addr(const struct nlattr *a, uint8_t *out)
{
	memset(out, 0, 16);
	if (!a)
		return 0;
	if (nla_len(a) == 4) {
		memcpy(out, nla_data(a), 4);
		return AF_INET;
	}
	if (nla_len(a) == 16) {
		memcpy(out, nla_data(a), 16);
		return AF_INET6;
	}
	return -EBADMSG;
}

static int get_mac(const struct nlattr *a, uint8_t *mac)
{
	if (!a)
		return -EBADMSG;
	memcpy(mac, nla_data(a), 6);
	return 0;
}

/* ---- devices ---- */

static int decode_evidence(const struct nlattr *nest, struct cf_evidence *e)
{
	struct nlattr *tb[CAMFENCE_EVIDENCE_A_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (parse_nest(tb, CAMFENCE_EVIDENCE_A_MAX, nest, evidence_policy))
		return -EBADMSG;
	e->family = get_addr(tb[CAMFENCE_EVIDENCE_A_PEER], e->peer);
	if (e->family < 0)
		return -EBADMSG;
	e->dir = get_u8(tb[CAMFENCE_EVIDENCE_A_DIR]);
	e->proto = get_u8(tb[CAMFENCE_EVIDENCE_A_PROTO]);
	e->port = get_u16(tb[CAMFENCE_EVIDENCE_A_PORT]);
	e->reason = get_u8(tb[CAMFENCE_EVIDENCE_A_REASON]);
	e->count = get_u64(tb[CAMFENCE_EVIDENCE_A_COUNT]);
	e->first_seen = get_u64(tb[CAMFENCE_EVIDENCE_A_FIRST_SEEN]);
	e->last_seen = get_u64(tb[CAMFENCE_EVIDENCE_A_LAST_SEEN]);
	return 0;
}

static int decode_dns_entry(const struct nlattr *nest, struct cf_dns_name *e)
{
	struct nlattr *tb[CAMFENCE_DNS_A_MAX + 1];

	memset(e, 0, sizeof(*e));
	if (parse_nest(tb, CAMFENCE_DNS_A_MAX, nest, dns_policy) ||
	    !tb[CAMFENCE_DNS_A_NAME])
		return -EBADMSG;
	get_str(tb[CAMFENCE_DNS_A_NAME], e->name, sizeof(e->name));
	if (!cf_valid_dns_name(e->name))
		return -EBADMSG;
	e->verdict = get_u8(tb[CAMFENCE_DNS_A_VERDICT]);
	if (e->verdict >= __CAMFENCE_VERDICT_MAX)
		return -EBADMSG;
	e->count = get_u64(tb[CAMFENCE_DNS_A_COUNT]);
	e->first_seen = get_u64(tb[CAMFENCE_DNS_A_FIRST_SEEN]);
	e->last_seen = get_u64(tb[CAMFENCE_DNS_A_LAST_SEEN]);
	return 0;
}

static int decode_dns(const struct nlattr *nest, struct cf_dev_info *d)
{
	struct nlattr *tb[CAMFENCE_DNS_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	if (!nest)
		return 0;
	/* checks the entries' sizes and the nest's tail */
	if (parse_nest(tb, CAMFENCE_DNS_A_MAX, nest, dns_policy))
		return -EBADMSG;
	d->has_dns = true;
	d->dns_total = get_u32(tb[CAMFENCE_DNS_A_TOTAL]);
	d->dns_invalid = get_u64(tb[CAMFENCE_DNS_A_INVALID]);
	d->dns_replaced = get_u64(tb[CAMFENCE_DNS_A_REPLACED]);
	if (d->dns_total > CAMFENCE_DNS_NAMES)
		return -EBADMSG;
	nla_for_each_nested(pos, (struct nlattr *)nest, rem) {
		if (nla_type(pos) != CAMFENCE_DNS_A_ENTRY)
			continue;
		if (d->ndns >= (int)d->dns_total ||
		    decode_dns_entry(pos, &d->dns[d->ndns++]))
			return -EBADMSG;
	}
	return 0;
}

static int decode_devstats(const struct nlattr *nest, struct cf_dev_info *d)
{
	struct nlattr *st[CAMFENCE_DEVSTATS_A_MAX + 1];

	if (!nest)
		return 0;
	if (parse_nest(st, CAMFENCE_DEVSTATS_A_MAX, nest, devstats_policy))
		return -EBADMSG;
	d->allowed_packets = get_u64(st[CAMFENCE_DEVSTATS_A_ALLOWED_PACKETS]);
	d->allowed_bytes = get_u64(st[CAMFENCE_DEVSTATS_A_ALLOWED_BYTES]);
	d->dropped_packets = get_u64(st[CAMFENCE_DEVSTATS_A_DROPPED_PACKETS]);
	d->dropped_bytes = get_u64(st[CAMFENCE_DEVSTATS_A_DROPPED_BYTES]);
	d->monitored_packets = get_u64(st[CAMFENCE_DEVSTATS_A_MONITORED_PACKETS]);
	d->spoofed_packets = get_u64(st[CAMFENCE_DEVSTATS_A_SPOOFED_PACKETS]);
	d->events_suppressed = get_u64(st[CAMFENCE_DEVSTATS_A_EVENTS_SUPPRESSED]);
	return 0;
}

static int decode_device_nest(const struct nlattr *nest, struct cf_dev_info *d)
{
	struct nlattr *tb[CAMFENCE_DEVICE_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	if (parse_nest(tb, CAMFENCE_DEVICE_A_MAX, nest, device_policy) ||
	    get_name(tb[CAMFENCE_DEVICE_A_NAME], d->name, sizeof(d->name),
		     true) ||
	    get_mac(tb[CAMFENCE_DEVICE_A_MAC], d->mac) ||
	    get_name(tb[CAMFENCE_DEVICE_A_PROFILE], d->profile,
		     sizeof(d->profile), false))
		return -EBADMSG;
	d->mode = get_u8(tb[CAMFENCE_DEVICE_A_MODE]);
	d->effective_mode = get_u8(tb[CAMFENCE_DEVICE_A_EFFECTIVE_MODE]);
	d->last_seen = get_u64(tb[CAMFENCE_DEVICE_A_LAST_SEEN]);
	get_str(tb[CAMFENCE_DEVICE_A_PORT], d->port, sizeof(d->port));
	make_printable(d->port);
	get_str(tb[CAMFENCE_DEVICE_A_SEEN_PORT], d->seen_port,
		sizeof(d->seen_port));
	make_printable(d->seen_port);
	/* repeatable: the policy checked each one's size */
	nla_for_each_nested(pos, (struct nlattr *)nest, rem) {
		struct cf_cfg_addr *a;

		if (nla_type(pos) != CAMFENCE_DEVICE_A_ADDR)
			continue;
		if (d->naddrs >= CAMFENCE_MAX_DEVICE_ADDRS)
			return -EBADMSG;
		a = &d->addrs[d->naddrs++];
		a->family = get_addr(pos, a->addr);
		if (a->family <= 0)
			return -EBADMSG;
	}
	if (decode_devstats(tb[CAMFENCE_DEVICE_A_STATS], d))
		return -EBADMSG;
	if (tb[CAMFENCE_DEVICE_A_LAST_DROP]) {
		d->has_last_drop = true;
		if (decode_evidence(tb[CAMFENCE_DEVICE_A_LAST_DROP],
				    &d->last_drop))
			return -EBADMSG;
	}
	if (tb[CAMFENCE_DEVICE_A_EVIDENCE]) {
		struct nlattr *ev[CAMFENCE_EVIDENCE_A_MAX + 1];

		/* checks the entries' sizes and the nest's tail */
		if (parse_nest(ev, CAMFENCE_EVIDENCE_A_MAX,
			       tb[CAMFENCE_DEVICE_A_EVIDENCE], evidence_policy))
			return -EBADMSG;
		nla_for_each_nested(pos, tb[CAMFENCE_DEVICE_A_EVIDENCE], rem) {
			if (nla_type(pos) != CAMFENCE_EVIDENCE_A_ENTRY)
				continue;
			if (d->nevidence >= CAMFENCE_EVIDENCE_SLOTS ||
			    decode_evidence(pos, &d->evidence[d->nevidence++]))
				return -EBADMSG;
		}
	}
	if (decode_dns(tb[CAMFENCE_DEVICE_A_DNS], d))
		return -EBADMSG;
	return 0;
}

int cf_decode_device(const struct nlmsghdr *nlh, size_t len,
		     struct cf_dev_info *d, uint64_t *generation)
{
	struct nlattr *tb[CAMFENCE_A_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (parse_genl(nlh, len, tb, NULL) || !tb[CAMFENCE_A_DEVICE] ||
	    decode_device_nest(tb[CAMFENCE_A_DEVICE], d)) {
		memset(d, 0, sizeof(*d));
		return -EBADMSG;
	}
	if (generation && tb[CAMFENCE_A_GENERATION])
		*generation = get_u64(tb[CAMFENCE_A_GENERATION]);
	return 0;
}

/* ---- the policy (GET_POLICY) ---- */

static int decode_zone_nest(const struct nlattr *nest, struct cf_cfg_zone *z)
{
	struct nlattr *tb[CAMFENCE_ZONE_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	if (parse_nest(tb, CAMFENCE_ZONE_A_MAX, nest, zone_policy) ||
	    get_name(tb[CAMFENCE_ZONE_A_NAME], z->name, sizeof(z->name), true))
		return -EBADMSG;
	z->unknown = get_u8(tb[CAMFENCE_ZONE_A_UNKNOWN]);
	if (z->unknown > CAMFENCE_ACTION_MAX)
		return -EBADMSG;
	nla_for_each_nested(pos, (struct nlattr *)nest, rem) {
		if (nla_type(pos) == CAMFENCE_ZONE_A_VLAN) {
			uint16_t vid = get_u16(pos);

			if (z->nvlans >= CAMFENCE_MAX_ZONE_VLANS || vid < 1 ||
			    vid > 4094)
				return -EBADMSG;
			z->vlans[z->nvlans++] = vid;
		} else if (nla_type(pos) == CAMFENCE_ZONE_A_IFNAME) {
			if (z->nifs >= CAMFENCE_MAX_ZONE_IFS)
				return -EBADMSG;
			get_str(pos, z->ifnames[z->nifs],
				sizeof(z->ifnames[z->nifs]));
			if (!cf_valid_ifname(z->ifnames[z->nifs++]))
				return -EBADMSG;
		}
	}
	if (!z->nvlans && !z->nifs)
		return -EBADMSG;
	return 0;
}

static int decode_rule_nest(const struct nlattr *nest, struct cf_cfg_rule *r)
{
	struct nlattr *tb[CAMFENCE_RULE_A_MAX + 1];
	struct nlattr *pos;
	int rem, full;

	if (parse_nest(tb, CAMFENCE_RULE_A_MAX, nest, rule_policy))
		return -EBADMSG;
	r->dir = get_u8(tb[CAMFENCE_RULE_A_DIR]);
	if (r->dir != CAMFENCE_DIR_TO && r->dir != CAMFENCE_DIR_FROM)
		return -EBADMSG;
	r->proto = get_u8(tb[CAMFENCE_RULE_A_PROTO]);
	r->family = get_addr(tb[CAMFENCE_RULE_A_PEER], r->peer);
	if (r->family < 0)
		return -EBADMSG;
	full = r->family == AF_INET ? 32 : 128;
	r->prefixlen = r->family ? full : 0;
	if (tb[CAMFENCE_RULE_A_PREFIXLEN]) {
		r->prefixlen = get_u8(tb[CAMFENCE_RULE_A_PREFIXLEN]);
		if (!r->family || r->prefixlen > full)
			return -EBADMSG;
	}
	nla_for_each_nested(pos, (struct nlattr *)nest, rem) {
		struct camfence_port_range pr;

		if (nla_type(pos) != CAMFENCE_RULE_A_PORTS)
			continue;
		memcpy(&pr, nla_data(pos), sizeof(pr));
		if ((r->proto != 6 && r->proto != 17) ||
		    r->nports >= CAMFENCE_MAX_PORT_RANGES || pr.lo > pr.hi)
			return -EBADMSG;
		r->ports[r->nports++] = pr;
	}
	return 0;
}

static int decode_profile_nest(const struct nlattr *nest,
			       struct cf_policy_msg *m)
{
	struct nlattr *tb[CAMFENCE_PROFILE_A_MAX + 1];
	struct cf_cfg_profile *p = &m->profile;
	struct nlattr *pos;
	int rem, n = 0;

	if (parse_nest(tb, CAMFENCE_PROFILE_A_MAX, nest, profile_policy) ||
	    get_name(tb[CAMFENCE_PROFILE_A_NAME], p->name, sizeof(p->name),
		     true) ||
	    !tb[CAMFENCE_PROFILE_A_FIRST_RULE] || !tb[CAMFENCE_PROFILE_A_NRULES])
		return -EBADMSG;
	m->first_rule = get_u32(tb[CAMFENCE_PROFILE_A_FIRST_RULE]);
	m->total_rules = get_u32(tb[CAMFENCE_PROFILE_A_NRULES]);
	nla_for_each_nested(pos, (struct nlattr *)nest, rem)
		n += nla_type(pos) == CAMFENCE_PROFILE_A_RULE;
	if (m->first_rule > m->total_rules ||
	    (uint32_t)n > m->total_rules - m->first_rule)
		return -EBADMSG;
	if (!n)
		return 0;
	p->rules = calloc(n, sizeof(*p->rules));
	if (!p->rules)
		return -ENOMEM;
	nla_for_each_nested(pos, (struct nlattr *)nest, rem) {
		if (nla_type(pos) != CAMFENCE_PROFILE_A_RULE)
			continue;
		if (decode_rule_nest(pos, &p->rules[p->nrules++]))
			return -EBADMSG;
	}
	return 0;
}

static int decode_devspec_nest(const struct nlattr *nest,
			       struct cf_cfg_device *d)
{
	struct nlattr *tb[CAMFENCE_DEVICE_A_MAX + 1];
	struct nlattr *pos;
	int rem;

	if (parse_nest(tb, CAMFENCE_DEVICE_A_MAX, nest, device_policy) ||
	    get_name(tb[CAMFENCE_DEVICE_A_NAME], d->name, sizeof(d->name),
		     true) ||
	    get_mac(tb[CAMFENCE_DEVICE_A_MAC], d->mac) ||
	    get_name(tb[CAMFENCE_DEVICE_A_PROFILE], d->profile,
		     sizeof(d->profile), true))
		return -EBADMSG;
	d->mode = get_u8(tb[CAMFENCE_DEVICE_A_MODE]);
	if (d->mode > CAMFENCE_MODE_MAX)
		return -EBADMSG;
	/* the configured port (in GET_DEVICE: the port it is bound to) */
	get_str(tb[CAMFENCE_DEVICE_A_PORT], d->port, sizeof(d->port));
	if (tb[CAMFENCE_DEVICE_A_PORT] && !cf_valid_ifname(d->port))
		return -EBADMSG;
	nla_for_each_nested(pos, (struct nlattr *)nest, rem) {
		struct cf_cfg_addr *a;

		if (nla_type(pos) != CAMFENCE_DEVICE_A_ADDR)
			continue;
		if (d->naddrs >= CAMFENCE_MAX_DEVICE_ADDRS)
			return -EBADMSG;
		a = &d->addrs[d->naddrs++];
		a->family = get_addr(pos, a->addr);
		if (a->family <= 0)
			return -EBADMSG;
	}
	return 0;
}

void cf_policy_msg_free(struct cf_policy_msg *m)
{
	free(m->profile.rules);
	m->profile.rules = NULL;
	m->profile.nrules = 0;
}

int cf_decode_policy(const struct nlmsghdr *nlh, size_t len,
		     struct cf_policy_msg *m)
{
	struct nlattr *tb[CAMFENCE_A_MAX + 1];
	int nests, err = -EBADMSG;

	memset(m, 0, sizeof(*m));
	if (parse_genl(nlh, len, tb, NULL) || !tb[CAMFENCE_A_GENERATION])
		goto fail;
	m->generation = get_u64(tb[CAMFENCE_A_GENERATION]);
	nests = !!tb[CAMFENCE_A_ZONE] + !!tb[CAMFENCE_A_PROFILE] +
		!!tb[CAMFENCE_A_DEVICE];
	if (nests > 1)
		goto fail;
	if (tb[CAMFENCE_A_ZONE]) {
		m->kind = CF_PMSG_ZONE;
		err = decode_zone_nest(tb[CAMFENCE_A_ZONE], &m->zone);
	} else if (tb[CAMFENCE_A_PROFILE]) {
		m->kind = CF_PMSG_PROFILE;
		err = decode_profile_nest(tb[CAMFENCE_A_PROFILE], m);
	} else if (tb[CAMFENCE_A_DEVICE]) {
		m->kind = CF_PMSG_DEVICE;
		err = decode_devspec_nest(tb[CAMFENCE_A_DEVICE], &m->device);
	} else {
		m->kind = CF_PMSG_HEAD;
		m->mode = get_u8(tb[CAMFENCE_A_MODE]);
		m->sealed = get_u8(tb[CAMFENCE_A_SEALED]) != 0;
		if (tb[CAMFENCE_A_MODE] && tb[CAMFENCE_A_SEALED] &&
		    (m->mode == CAMFENCE_MODE_ENFORCE ||
		     m->mode == CAMFENCE_MODE_MONITOR))
			err = 0;
	}
	if (!err)
		return 0;
fail:
	cf_policy_msg_free(m);
	memset(m, 0, sizeof(*m));
	return err == -ENOMEM ? -ENOMEM : -EBADMSG;
}

/* ---- stats, unknown, commit ---- */

int cf_decode_stats(const struct nlmsghdr *nlh, size_t len,
		    struct cf_stats *s)
{
	struct nlattr *tb[CAMFENCE_A_MAX + 1];
	struct nlattr *st[CAMFENCE_STATS_A_MAX + 1];

	memset(s, 0, sizeof(*s));
	if (parse_genl(nlh, len, tb, NULL))
		return -EBADMSG;
	if (tb[CAMFENCE_A_STATS] &&
	    parse_nest(st, CAMFENCE_STATS_A_MAX, tb[CAMFENCE_A_STATS],
		       stats_policy))
		return -EBADMSG;
	s->mode = get_u8(tb[CAMFENCE_A_MODE]);
	s->generation = get_u64(tb[CAMFENCE_A_GENERATION]);
	s->device_count = get_u32(tb[CAMFENCE_A_DEVICE_COUNT]);
	s->sealed = get_u8(tb[CAMFENCE_A_SEALED]);
	get_str(tb[CAMFENCE_A_MODULE_VERSION], s->module_version,
		sizeof(s->module_version));
	make_printable(s->module_version);
	get_str(tb[CAMFENCE_A_OFFLOAD], s->offload, sizeof(s->offload));
	for (char *c = s->offload; *c; c++)	/* lines of printable text */
		if (*c != '\n' && ((unsigned char)*c < 0x20 ||
				    (unsigned char)*c >= 0x7f))
			*c = '?';
	if (tb[CAMFENCE_A_STATS]) {
		s->allowed_packets = get_u64(st[CAMFENCE_STATS_A_ALLOWED_PACKETS]);
		s->dropped_packets = get_u64(st[CAMFENCE_STATS_A_DROPPED_PACKETS]);
		s->unknown_packets = get_u64(st[CAMFENCE_STATS_A_UNKNOWN_PACKETS]);
		s->spoofed_packets = get_u64(st[CAMFENCE_STATS_A_SPOOFED_PACKETS]);
		s->events_suppressed = get_u64(st[CAMFENCE_STATS_A_EVENTS_SUPPRESSED]);
		s->monitored_packets = get_u64(st[CAMFENCE_STATS_A_MONITORED_PACKETS]);
		s->unknown_not_recorded =
			get_u64(st[CAMFENCE_STATS_A_UNKNOWN_NOT_RECORDED]);
		s->evidence_not_recorded =
			get_u64(st[CAMFENCE_STATS_A_EVIDENCE_NOT_RECORDED]);
	}
	return 0;
}

static int decode_unknown_nest(const struct nlattr *nest, struct cf_unknown *x)
{
	struct nlattr *u[CAMFENCE_UNKNOWN_A_MAX + 1];

	if (parse_nest(u, CAMFENCE_UNKNOWN_A_MAX, nest, unknown_policy) ||
	    get_mac(u[CAMFENCE_UNKNOWN_A_MAC], x->mac) ||
	    get_name(u[CAMFENCE_UNKNOWN_A_ZONE], x->zone, sizeof(x->zone),
		     false))
		return -EBADMSG;
	get_str(u[CAMFENCE_UNKNOWN_A_IFNAME], x->ifname, sizeof(x->ifname));
	if (x->ifname[0] && !cf_valid_ifname(x->ifname))
		return -EBADMSG;
	x->family = get_addr(u[CAMFENCE_UNKNOWN_A_ADDR], x->addr);
	if (x->family < 0)
		return -EBADMSG;
	x->vlan = get_u16(u[CAMFENCE_UNKNOWN_A_VLAN]);
	x->first_seen = get_u64(u[CAMFENCE_UNKNOWN_A_FIRST_SEEN]);
	x->last_seen = get_u64(u[CAMFENCE_UNKNOWN_A_LAST_SEEN]);
	x->packets = get_u64(u[CAMFENCE_UNKNOWN_A_PACKETS]);
	return 0;
}

int cf_decode_unknown(const struct nlmsghdr *nlh, size_t len,
		      struct cf_unknown *x)
{
	struct nlattr *tb[CAMFENCE_A_MAX + 1];

	memset(x, 0, sizeof(*x));
	if (parse_genl(nlh, len, tb, NULL) || !tb[CAMFENCE_A_UNKNOWN] ||
	    decode_unknown_nest(tb[CAMFENCE_A_UNKNOWN], x)) {
		memset(x, 0, sizeof(*x));
		return -EBADMSG;
	}
	return 0;
}

int cf_decode_commit(const struct nlmsghdr *nlh, size_t len,
		     struct cf_commit *c)
{
	struct nlattr *tb[CAMFENCE_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (parse_genl(nlh, len, tb, NULL))
		return -EBADMSG;
	c->generation = get_u64(tb[CAMFENCE_A_GENERATION]);
	c->noop = get_u8(tb[CAMFENCE_A_COMMIT_NOOP]) != 0;
	c->added = get_u32(tb[CAMFENCE_A_COMMIT_ADDED]);
	c->removed = get_u32(tb[CAMFENCE_A_COMMIT_REMOVED]);
	c->changed = get_u32(tb[CAMFENCE_A_COMMIT_CHANGED]);
	c->unchanged = get_u32(tb[CAMFENCE_A_COMMIT_UNCHANGED]);
	c->txn_id = get_u64(tb[CAMFENCE_A_TXN_ID]);
	return 0;
}

/* ---- events ---- */

static int decode_event_nest(const struct nlattr *nest, struct cf_event *ev)
{
	struct nlattr *e[CAMFENCE_EVENT_A_MAX + 1];
	int sfam, dfam;

	if (parse_nest(e, CAMFENCE_EVENT_A_MAX, nest, event_policy) ||
	    get_name(e[CAMFENCE_EVENT_A_DEVICE], ev->device,
		     sizeof(ev->device), false) ||
	    get_name(e[CAMFENCE_EVENT_A_ZONE], ev->zone, sizeof(ev->zone),
		     false))
		return -EBADMSG;
	if (e[CAMFENCE_EVENT_A_MAC]) {
		ev->has_mac = true;
		get_mac(e[CAMFENCE_EVENT_A_MAC], ev->mac);
	}
	/* one family for both ends; either may be absent */
	sfam = get_addr(e[CAMFENCE_EVENT_A_SADDR], ev->saddr);
	dfam = get_addr(e[CAMFENCE_EVENT_A_DADDR], ev->daddr);
	if (sfam < 0 || dfam < 0 || (sfam && dfam && sfam != dfam))
		return -EBADMSG;
	ev->family = sfam ? sfam : dfam;
	ev->timestamp_ns = get_u64(e[CAMFENCE_EVENT_A_TIMESTAMP]);
	ev->dir = get_u8(e[CAMFENCE_EVENT_A_DIR]);
	ev->proto = get_u8(e[CAMFENCE_EVENT_A_PROTO]);
	ev->sport = get_u16(e[CAMFENCE_EVENT_A_SPORT]);
	ev->dport = get_u16(e[CAMFENCE_EVENT_A_DPORT]);
	ev->reason = get_u8(e[CAMFENCE_EVENT_A_REASON]);
	ev->verdict = get_u8(e[CAMFENCE_EVENT_A_VERDICT]);
	ev->suppressed = get_u64(e[CAMFENCE_EVENT_A_SUPPRESSED]);
	return 0;
}

int cf_decode_event(const struct nlmsghdr *nlh, size_t len,
		    struct cf_event *ev)
{
	struct nlattr *tb[CAMFENCE_A_MAX + 1];
	int cmd;

	memset(ev, 0, sizeof(*ev));
	if (parse_genl(nlh, len, tb, &cmd))
		return -EBADMSG;
	if (cmd != CAMFENCE_CMD_EVENT)
		return -ENOMSG;
	if (!tb[CAMFENCE_A_EVENT] ||
	    decode_event_nest(tb[CAMFENCE_A_EVENT], ev)) {
		memset(ev, 0, sizeof(*ev));
		return -EBADMSG;
	}
	return 0;
}

/* ---- errors ---- */

int cf_decode_extack(const struct nlmsghdr *nlh, size_t len, int *error,
		     char *msg, size_t msglen)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t mlen, off;
	int32_t e;

	*error = 0;
	if (msglen)
		msg[0] = '\0';
	if (!nlh || len < NLMSG_HDRLEN)
		return -EBADMSG;
	mlen = nlh->nlmsg_len;
	if (mlen > len || mlen > CF_NLMSG_MAX || mlen < NLMSG_HDRLEN)
		return -EBADMSG;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = NLMSG_DATA(nlh);

		if (mlen < NLMSG_HDRLEN + sizeof(*err))
			return -EBADMSG;
		e = err->error;
		*error = e > 0 || e < -4095 ? -EPROTO : e;
		/* the request is echoed unless NETLINK_CAP_ACK capped it */
		if (nlh->nlmsg_flags & NLM_F_CAPPED) {
			off = NLMSG_HDRLEN + sizeof(*err);
		} else {
			if (err->msg.nlmsg_len < NLMSG_HDRLEN)
				return -EBADMSG;
			off = NLMSG_HDRLEN +
			      ALIGN4(sizeof(e) + (size_t)err->msg.nlmsg_len);
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* a dump's end: the error, then the TLVs */
		if (mlen < NLMSG_HDRLEN + sizeof(e))
			return -EBADMSG;
		memcpy(&e, NLMSG_DATA(nlh), sizeof(e));
		*error = e > 0 || e < -4095 ? -EPROTO : e;
		off = NLMSG_HDRLEN + sizeof(e);
	} else {
		return -EBADMSG;
	}
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= mlen)
		return off > mlen ? -EBADMSG : 0;
	/* best effort: no policy, up to the first NUL or the attribute's end */
	nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + off),
		  (int)(mlen - off), NULL);
	if (tb[NLMSGERR_ATTR_MSG] && msglen) {
		get_str(tb[NLMSGERR_ATTR_MSG], msg, msglen);
		make_printable(msg);
	}
	return 0;
}

/* ---- formatting ---- */

const char *cf_dir_name(int dir)
{
	switch (dir) {
	case CAMFENCE_DIR_TO:
		return "to";
	case CAMFENCE_DIR_FROM:
		return "from";
	default:
		return "-";
	}
}

char *cf_format_time(uint64_t secs, char *buf, size_t len)
{
	time_t t = (time_t)secs;
	struct tm tm;

	if (!secs || !gmtime_r(&t, &tm)) {
		snprintf(buf, len, "never");
		return buf;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *cf_format_addr(int family, const uint8_t *addr, char *buf, size_t len)
{
	if (family != AF_INET && family != AF_INET6) {
		snprintf(buf, len, "-");
		return buf;
	}
	if (!inet_ntop(family, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

/* "10.0.0.1:80", "[fd00::1]:80", "10.0.0.1" (port 0) */
static char *format_endpoint(int family, const uint8_t *addr, uint16_t port,
			     char *buf, size_t len)
{
	char a[64];

	cf_format_addr(family, addr, a, sizeof(a));
	if (!port)
		snprintf(buf, len, "%s", a);
	else if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", a, port);
	else
		snprintf(buf, len, "%s:%u", a, port);
	return buf;
}

char *cf_format_drop(const struct cf_evidence *e, char *buf, size_t len)
{
	char ep[80];

	if (!e) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	/* the format of sysfs' last_drop: a port for tcp and udp only */
	if (e->proto == 6 || e->proto == 17) {
		char a[64];

		cf_format_addr(e->family, e->peer, a, sizeof(a));
		snprintf(ep, sizeof(ep), e->family == AF_INET6 ? "[%s]:%u" :
			 "%s:%u", a, e->port);
	} else {
		cf_format_addr(e->family, e->peer, ep, sizeof(ep));
	}
	/* sysfs names 5 protocols; camfence.conf reads "proto-N" too */
	if (e->proto == 0 || e->proto == 1 || e->proto == 6 ||
	    e->proto == 17 || e->proto == 58)
		snprintf(buf, len, "%s %s", cf_proto_name(e->proto), ep);
	else
		snprintf(buf, len, "proto-%d %s", e->proto, ep);
	return buf;
}

char *cf_format_event(const struct cf_event *ev, char *buf, size_t len)
{
	char ts[48], mac[18], src[80], dst[80], proto[16];
	uint64_t ns = ev->timestamp_ns;
	struct timespec now;
	time_t t;
	struct tm tm;
	int n;

	if (!ns) {
		clock_gettime(CLOCK_REALTIME, &now);
		ns = (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec;
	}
	t = (time_t)(ns / 1000000000ull);
	gmtime_r(&t, &tm);
	n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(ts + n, sizeof(ts) - n, ".%03uZ",
		 (unsigned int)(ns % 1000000000ull / 1000000));
	if (ev->has_mac)
		cf_format_mac(ev->mac, mac, sizeof(mac));
	else
		snprintf(mac, sizeof(mac), "-");
	format_endpoint(ev->family, ev->saddr, ev->sport, src, sizeof(src));
	format_endpoint(ev->family, ev->daddr, ev->dport, dst, sizeof(dst));
	n = snprintf(buf, len, "%s %s %s %s %s %s %s -> %s reason %s", ts,
		     cf_verdict_name(ev->verdict),
		     ev->device[0] ? ev->device : "unknown", mac,
		     cf_dir_name(ev->dir),
		     cf_format_proto(ev->proto, proto, sizeof(proto)), src, dst,
		     cf_reason_name(ev->reason));
	if (ev->zone[0] && n > 0 && (size_t)n < len)
		n += snprintf(buf + n, len - n, " zone %s", ev->zone);
	if (ev->suppressed && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, " suppressed %" PRIu64,
			 ev->suppressed);
	return buf;
}

char *cf_format_time_ns(uint64_t ns, char *buf, size_t len)
{
	time_t t = (time_t)(ns / 1000000000ull);
	struct tm tm;
	size_t n;

	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, len, "never");
		return buf;
	}
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09uZ",
		 (unsigned int)(ns % 1000000000ull));
	return buf;
}

void cf_event_json(struct cf_json *j, const struct cf_event *ev)
{
	char mac[18], a[64];
	uint64_t ns = ev->timestamp_ns;

	cf_json_obj_open(j, NULL);
	cf_json_str(j, "time", cf_format_time_ns(ns, a, sizeof(a)));
	cf_json_u64(j, "timestamp", ns / 1000000000ull);
	cf_json_u64(j, "timestamp_ns", ns);
	if (ev->device[0])
		cf_json_str(j, "device", ev->device);
	else
		cf_json_null(j, "device");
	if (ev->has_mac)
		cf_json_str(j, "mac", cf_format_mac(ev->mac, mac, sizeof(mac)));
	else
		cf_json_null(j, "mac");
	if (ev->zone[0])
		cf_json_str(j, "zone", ev->zone);
	else
		cf_json_null(j, "zone");
	cf_json_str(j, "verdict", cf_verdict_name(ev->verdict));
	cf_json_str(j, "dir", cf_dir_name(ev->dir));
	cf_json_str(j, "proto", cf_format_proto(ev->proto, a, sizeof(a)));
	cf_json_str(j, "saddr", cf_format_addr(ev->family, ev->saddr, a, sizeof(a)));
	cf_json_u64(j, "sport", ev->sport);
	cf_json_str(j, "daddr", cf_format_addr(ev->family, ev->daddr, a, sizeof(a)));
	cf_json_u64(j, "dport", ev->dport);
	cf_json_str(j, "reason", cf_reason_name(ev->reason));
	cf_json_u64(j, "suppressed", ev->suppressed);
	cf_json_obj_close(j);
}
