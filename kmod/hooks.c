// SPDX-License-Identifier: GPL-2.0
/*
 * camfence netfilter hooks: classify each packet (zones, devices), let the
 * infrastructure through, and decide per connection.
 *
 * Hooks (per netns, registered only while the namespace's policy has
 * zones, so namespaces that do not use camfence pay nothing):
 *   ipv4/ipv6 NF_INET_FORWARD and NF_INET_LOCAL_IN at NF_IP_PRI_FILTER - 10,
 *   bridge NF_BR_FORWARD at NF_BR_PRI_FILTER_BRIDGED - 10,
 *   arp NF_ARP_IN at -10 (ARP for the router's own addresses);
 * all after conntrack has attached the connection (NF_IP_PRI_CONNTRACK in
 * PRE_ROUTING), before the filter tables.
 *
 * Runs under the RCU read lock netfilter holds, with BH disabled: no
 * allocation, no sleeping; the only locks are the per-device evidence lock
 * and the unknown table's bucket locks, both taken on the deny path only.
 *
 * The pipeline of cf_judge(): classify (zones, VLAN, devices, headers),
 * then the link-scope infrastructure table (cf_infra_table, the only
 * exemptions, none on FORWARD), the sealed and anti-spoofing checks, the
 * zone's unknown action, and the connection's rules. Every packet of a
 * connection is judged against the current policy, not only its first one:
 * the connection's roles (initiator, responder) and addresses come from its
 * conntrack entry, so a commit or a mode change reaches the connections
 * that exist (see cf_conn_of()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <linux/in.h>
#include <linux/igmp.h>
#include <linux/if_arp.h>
#include <linux/netfilter_arp.h>
#include <linux/if_vlan.h>
#include <linux/if_bridge.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_bridge.h>
#include <net/ipv6.h>
#include <net/ip_fib.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/netfilter/nf_conntrack.h>
#include "hooks.h"
#include "policy.h"
#include "devstate.h"
#include "unknown.h"
#include "events.h"
#include "dns.h"

enum cf_where {
	CF_FORWARD,
	CF_LOCAL_IN,
	CF_BRIDGE,
	CF_ARP_IN,
};

struct cf_pkt {
	u8 family, proto;
	bool l4;			/* ports / icmp type parsed */
	u8 icmp_type;			/* ICMP, ICMPv6 and IGMP */
	u8 ttl;				/* TTL or hop limit */
	u16 l4off;			/* offset of the L4 header */
	u16 sport, dport;
	union nf_inet_addr saddr, daddr;
};

struct cf_ctx {
	struct cf_net *cn;
	const struct cf_policy *p;
	enum cf_where w;
	const struct nf_hook_state *state;
	const struct ethhdr *eth;
	unsigned int len;
	u16 vid;
	const struct cf_zone *zin, *zout;
	const struct cf_device *src, *dst;
	struct cf_pkt pk;
};

static bool cf_parse_l4(const struct sk_buff *skb, unsigned int off,
			struct cf_pkt *pk)
{
	pk->l4off = off;
	switch (pk->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP: {
		__be16 _ports[2];
		const __be16 *ports;

		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (!ports)
			return false;
		pk->sport = ntohs(ports[0]);
		pk->dport = ntohs(ports[1]);
		pk->l4 = true;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
	case IPPROTO_IGMP: {
		u8 _type;
		const u8 *type;

		type = skb_header_pointer(skb, off, sizeof(_type), &_type);
		if (!type)
			return false;
		pk->icmp_type = *type;
		pk->l4 = true;
		break;
	}
	}
	return true;
}

/*
 * IPv4 options (RFC 791): only Router Alert (RFC 2113: IGMP) and padding.
 * Source routes, record route and timestamps serve no camera and would
 * let a packet be delivered elsewhere than the address judged: the packet
 * is not classified (dropped).
 */
static bool cf_ipv4_opts_ok(const struct sk_buff *skb, unsigned int off,
			    unsigned int len)
{
	const u8 *o;
	u8 _o[40];
	unsigned int i;

	o = skb_header_pointer(skb, off, len, _o);
	if (!o)
		return false;
	for (i = 0; i < len && o[i] != IPOPT_END; ) {
		if (o[i] == IPOPT_NOOP) {
			i++;
			continue;
		}
		if (o[i] != IPOPT_RA || i + 4 > len || o[i + 1] != 4)
			return false;
		i += 4;
	}
	return true;
}

/*
 * A packet is classified only whole: conntrack reassembles fragments before
 * every camfence hook (nf_defrag_ipv4/ipv6 in PRE_ROUTING, and on the
 * bridge nf_conntrack_bridge), so a fragment seen here was not reassembled
 * (bridge connection tracking unavailable) and its ports, or the part an
 * overlapping fragment rewrites, cannot be judged: the parsers return false
 * (dropped and counted, RFC 7113 for the ICMPv6 case).
 */
static bool cf_parse_ipv4(const struct sk_buff *skb, struct cf_pkt *pk)
{
	unsigned int off = skb_network_offset(skb);
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	pk->family = AF_INET;
	pk->proto = iph->protocol;
	pk->ttl = iph->ttl;
	pk->saddr.ip = iph->saddr;
	pk->daddr.ip = iph->daddr;
	if (iph->frag_off & htons(IP_MF | IP_OFFSET))
		return false;
	if (iph->ihl > 5 &&
	    !cf_ipv4_opts_ok(skb, off + sizeof(*iph), iph->ihl * 4 - sizeof(*iph)))
		return false;
	return cf_parse_l4(skb, off + iph->ihl * 4, pk);
}

static bool cf_ipv6_has_rh(const struct sk_buff *skb)
{
	unsigned int off = 0;

	return ipv6_find_hdr(skb, &off, NEXTHDR_ROUTING, NULL, NULL) >= 0;
}

static bool cf_parse_ipv6(const struct sk_buff *skb, struct cf_pkt *pk)
{
	unsigned int off = skb_network_offset(skb);
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	__be16 frag_off = 0;
	u8 nexthdr;
	int l4off;

	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return false;
	pk->family = AF_INET6;
	pk->ttl = ip6h->hop_limit;
	pk->saddr.in6 = ip6h->saddr;
	pk->daddr.in6 = ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	l4off = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr, &frag_off);
	if (l4off < 0)
		return false;
	pk->proto = nexthdr;
	/* a fragment (not an atomic one, RFC 6946): see cf_parse_ipv4() */
	if (frag_off & htons(IP6_OFFSET | IP6_MF))
		return false;
	/* a routing header (RFC 5095: type 0 deprecated; no camera needs one)
	 * would deliver the packet past the address judged
	 */
	if (ip6h->nexthdr != nexthdr && cf_ipv6_has_rh(skb))
		return false;
	return cf_parse_l4(skb, l4off, pk);
}

/* The VLAN a routed packet belongs to: a VLAN device's VID, or, on a
 * VLAN-aware bridge device, the tag or the bridge's PVID (a bridge without
 * vlan_filtering has no VLANs).
 */
static u16 cf_dev_vid(const struct net_device *dev, const struct sk_buff *skb)
{
	u16 vid = 0;

	if (!dev)
		return 0;
	if (is_vlan_dev(dev))
		return vlan_dev_vlan_id(dev);
	if (netif_is_bridge_master(dev) && br_vlan_enabled(dev)) {
		if (skb && skb_vlan_tag_present(skb))
			return skb_vlan_tag_get_id(skb);
		if (!br_vlan_get_pvid_rcu(dev, &vid))
			return vid;
	}
	return 0;
}

/* cf_bridge_vid(): the frame's VLAN cannot be told (see there). */
#define CF_VID_AMBIGUOUS	VLAN_N_VID

/* Is PORT a member of VLAN vid, sending it untagged? */
static bool cf_port_untagged(const struct net_device *port, u16 vid)
{
	struct bridge_vlan_info vi;

	return !br_vlan_get_info_rcu(port, vid, &vi) &&
	       (vi.flags & BRIDGE_VLAN_INFO_UNTAGGED);
}

static bool cf_port_member(const struct net_device *port, u16 vid)
{
	struct bridge_vlan_info vi;

	return !br_vlan_get_info_rcu(port, vid, &vi);
}

/*
 * The VLAN of a bridged frame at NF_BR_FORWARD. A bridge without
 * vlan_filtering has no VLANs: 0, only interface zones match. A tagged
 * frame carries its VLAN. br_handle_vlan() has already removed the tag when
 * the egress port is an untagged member, so an untagged frame belongs to a
 * VLAN that both ports are members of and that the egress port sends
 * untagged: the candidates are the zone VLANs with that membership and the
 * ingress port's PVID. Exactly one candidate is the frame's VLAN; none means
 * no zone VLAN is involved (0); more than one is ambiguous, and the caller
 * drops and counts the frame (fail closed) rather than guess.
 */
static u16 cf_bridge_vid(const struct cf_policy *p, const struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	struct net_device *in = state->in, *br;
	u16 vid = 0, pvid = 0, v;
	unsigned int n = 0;
	u32 i;

	if (!in || !state->out)
		return 0;
	br = netdev_master_upper_dev_get_rcu(in);
	if (!br || !netif_is_bridge_master(br) || !br_vlan_enabled(br))
		return 0;
	if (skb_vlan_tag_present(skb))
		return skb_vlan_tag_get_id(skb);
	if (!br_vlan_get_pvid_rcu(in, &pvid) && pvid &&
	    cf_port_untagged(state->out, pvid)) {
		vid = pvid;
		n++;
	}
	for (i = 0; i < p->nzone_vids; i++) {
		v = p->zone_vids[i];
		if (v == pvid || !cf_port_untagged(state->out, v) ||
		    !cf_port_member(in, v))
			continue;
		vid = v;
		n++;
	}
	return n > 1 ? CF_VID_AMBIGUOUS : vid;
}

static const struct cf_zone *cf_zone_of(const struct cf_policy *p,
					const struct net_device *dev, u16 vid)
{
	const struct cf_zone *z = NULL;

	if (!dev)
		return NULL;
	if (vid)
		z = cf_policy_zone_vid(p, vid);
	if (!z)
		z = cf_policy_zone_ifname(p, dev->name);
	return z;
}

static const struct ethhdr *cf_eth(const struct sk_buff *skb,
				   const struct net_device *in)
{
	if (!in || in->type != ARPHRD_ETHER || !skb_mac_header_was_set(skb) ||
	    skb_mac_header_len(skb) < ETH_HLEN)
		return NULL;
	return eth_hdr(skb);
}

/*
 * Link-scope infrastructure: the only traffic that passes without a rule,
 * uncounted. Each row names the hook it applies to, the message and the
 * scope check that keeps it on the camera's own link, towards the router
 * (LOCAL_IN), and who may get its copy for another bridge port (BRIDGE,
 * cf_infra_bridged()). Nothing is exempt on FORWARD: link-scope messages
 * are never routed. Router
 * advertisements, redirects, MLD queries and DHCP/DHCPv6 server messages
 * are not in the table: from a camera port they are judged like any packet
 * (RA guard RFC 6105, DHCPv6-Shield RFC 7610), so only a device whose
 * profile allows them may send them. The header chain is walked before
 * the table is consulted (ipv6_skip_exthdr()), and a first fragment whose
 * ICMPv6 header is not there is not classified (RFC 7113): dropped.
 */
enum cf_scope {
	CF_SCOPE_HOP255,	/* RFC 4861 7.1.1, 7.1.2: hop limit 255 */
	CF_SCOPE_RS,		/* RFC 4861 6.1.1: hop limit 255; on the
				 * bridge to all-routers (ff02::2) only
				 */
	CF_SCOPE_MLD,		/* RFC 2710 3, RFC 3810 5: link-local source
				 * (:: for an MLDv2 report), hop limit 1,
				 * multicast destination
				 */
	CF_SCOPE_IGMP,		/* RFC 2236 2, RFC 3376 4: TTL 1, multicast */
	CF_SCOPE_DHCP4,		/* RFC 2131 4.1, 4.4.1: the router is server or
				 * relay; on the bridge broadcast only
				 */
	CF_SCOPE_DHCP6,		/* RFC 8415 7.1, 13: link-local source; on the
				 * bridge to All_DHCP_Relay_Agents_and_Servers
				 */
};

/*
 * On the bridge (NF_BR_FORWARD) a copy goes to another port, never to the
 * router, which takes its own at LOCAL_IN. Who behind that port may get it:
 */
enum cf_cross {
	CF_CROSS_ND,		/* neighbour discovery: every port */
	CF_CROSS_ROUTER,	/* a device that may send an RA to ff02::1 */
	CF_CROSS_QUERIER6,	/* ... an MLD query to ff02::1 */
	CF_CROSS_QUERIER4,	/* ... an IGMP query to 224.0.0.1 */
	CF_CROSS_DHCP4,		/* ... a DHCP reply, udp 68 to broadcast */
	CF_CROSS_DHCP6,		/* ... a DHCPv6 reply, udp 546 to the client */
};

#define CF_AT_IN	BIT(CF_LOCAL_IN)
#define CF_AT_BR	BIT(CF_BRIDGE)

struct cf_infra_row {
	u8 where;		/* CF_AT_* */
	u8 family, proto;
	u8 type;		/* ICMPv6 or IGMP type */
	u16 sport, dport;	/* UDP */
	u8 scope;		/* enum cf_scope */
	u8 cross;		/* enum cf_cross */
};

static const struct cf_infra_row cf_infra_table[] = {
	/* router solicitation: the router gets it at LOCAL_IN; the bridge
	 * floods the all-routers copy to the other ports (not counted as a
	 * drop at every camera's boot)
	 */
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_ICMPV6, 133, 0, 0,
	  CF_SCOPE_RS, CF_CROSS_ROUTER },
	/* neighbour solicitation/advertisement: address resolution and DAD */
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_ICMPV6, 135, 0, 0,
	  CF_SCOPE_HOP255, CF_CROSS_ND },
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_ICMPV6, 136, 0, 0,
	  CF_SCOPE_HOP255, CF_CROSS_ND },
	/* MLD reports and done: the router is the querier, snooping bridges */
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_ICMPV6, 131, 0, 0,
	  CF_SCOPE_MLD, CF_CROSS_QUERIER6 },
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_ICMPV6, 132, 0, 0,
	  CF_SCOPE_MLD, CF_CROSS_QUERIER6 },
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_ICMPV6, 143, 0, 0,
	  CF_SCOPE_MLD, CF_CROSS_QUERIER6 },
	/* IGMP v1/v2 reports, v2 leave, v3 report: the IPv4 twin of MLD */
	{ CF_AT_IN | CF_AT_BR, AF_INET, IPPROTO_IGMP,
	  IGMP_HOST_MEMBERSHIP_REPORT, 0, 0, CF_SCOPE_IGMP,
	  CF_CROSS_QUERIER4 },
	{ CF_AT_IN | CF_AT_BR, AF_INET, IPPROTO_IGMP,
	  IGMPV2_HOST_MEMBERSHIP_REPORT, 0, 0, CF_SCOPE_IGMP,
	  CF_CROSS_QUERIER4 },
	{ CF_AT_IN | CF_AT_BR, AF_INET, IPPROTO_IGMP,
	  IGMP_HOST_LEAVE_MESSAGE, 0, 0, CF_SCOPE_IGMP,
	  CF_CROSS_QUERIER4 },
	{ CF_AT_IN | CF_AT_BR, AF_INET, IPPROTO_IGMP,
	  IGMPV3_HOST_MEMBERSHIP_REPORT, 0, 0, CF_SCOPE_IGMP,
	  CF_CROSS_QUERIER4 },
	/* DHCP and DHCPv6 client messages (client port to server port) */
	{ CF_AT_IN | CF_AT_BR, AF_INET, IPPROTO_UDP, 0, 68, 67,
	  CF_SCOPE_DHCP4, CF_CROSS_DHCP4 },
	{ CF_AT_IN | CF_AT_BR, AF_INET6, IPPROTO_UDP, 0, 546, 547,
	  CF_SCOPE_DHCP6, CF_CROSS_DHCP6 },
};

/* ff02::2, all-routers (RFC 4291 2.7.1) */
static const struct in6_addr cf_all_routers = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 }
};

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers (RFC 8415 7.1) */
static const struct in6_addr cf_all_dhcp_relays = {
	.s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2 }
};

static bool cf_infra_scope(const struct cf_ctx *c, u8 scope)
{
	const struct cf_pkt *pk = &c->pk;
	int st;

	switch (scope) {
	case CF_SCOPE_HOP255:
		return pk->ttl == 255;
	case CF_SCOPE_RS:
		return pk->ttl == 255 &&
		       (c->w == CF_LOCAL_IN ||
			ipv6_addr_equal(&pk->daddr.in6, &cf_all_routers));
	case CF_SCOPE_MLD:
		st = ipv6_addr_type(&pk->saddr.in6);
		return pk->ttl == 1 && ipv6_addr_is_multicast(&pk->daddr.in6) &&
		       ((st & IPV6_ADDR_LINKLOCAL) ||
			(pk->icmp_type == ICMPV6_MLD2_REPORT &&
			 st == IPV6_ADDR_ANY));
	case CF_SCOPE_IGMP:
		return pk->ttl == 1 && ipv4_is_multicast(pk->daddr.ip);
	case CF_SCOPE_DHCP4:
		return c->w == CF_LOCAL_IN ||
		       pk->daddr.ip == htonl(INADDR_BROADCAST);
	case CF_SCOPE_DHCP6:
		if (!(ipv6_addr_type(&pk->saddr.in6) & IPV6_ADDR_LINKLOCAL))
			return false;
		return c->w == CF_LOCAL_IN ||
		       ipv6_addr_equal(&pk->daddr.in6, &cf_all_dhcp_relays);
	}
	return false;
}

/* The packet's row of cf_infra_table, or NULL: not infrastructure. */
static const struct cf_infra_row *cf_infra(const struct cf_ctx *c)
{
	const struct cf_pkt *pk = &c->pk;
	const struct cf_infra_row *r;
	unsigned int i;

	if (!pk->l4 || c->w == CF_FORWARD)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(cf_infra_table); i++) {
		r = &cf_infra_table[i];
		if (!(r->where & BIT(c->w)) || r->family != pk->family ||
		    r->proto != pk->proto)
			continue;
		if (r->proto == IPPROTO_UDP ?
		    r->sport != pk->sport || r->dport != pk->dport :
		    r->type != pk->icmp_type)
			continue;
		return cf_infra_scope(c, r->scope) ? r : NULL;
	}
	return NULL;
}

/*
 * Neighbour discovery inspection (the IPv6 twin of ARP inspection, source
 * guard RFC 7039). The form, from any sender (like ARP's, cf_arp()): an
 * RS, NS or NA is not a data channel. Its reserved bits are zero (RFC 4861
 * 4.1, 4.3, 4.4: "MUST be initialized to zero by the sender"); its options
 * are only those these messages carry, each whole: source and target
 * link-layer address (RFC 4861 4.6.1) and the DAD nonce (RFC 7527, the
 * option of RFC 3971 5.3.2); nothing follows the last. Anything else is
 * malformed: dropped and counted. (SEND's CGA and signature options, RFC
 * 3971, are not supported.)
 * The claims, from a device with bound addresses: its source address is
 * one of them, link-local or unspecified (DAD); an NA's target likewise
 * (not unspecified); a link-layer address option is the frame's source
 * MAC. Anything else is spoofed: a camera's NS or unsolicited override NA
 * would otherwise move the router's or a camera's neighbour entry for the
 * NVR to the camera.
 */
enum cf_nd {
	CF_ND_OK,
	CF_ND_SPOOFED,
	CF_ND_MALFORMED,
};

static bool cf_nd_addr_ok(const struct cf_device *d, const struct in6_addr *a,
			  bool any_ok)
{
	int t = ipv6_addr_type(a);

	if (t == IPV6_ADDR_ANY)
		return any_ok;
	if (t & IPV6_ADDR_LINKLOCAL)
		return true;
	return cf_device_has_addr(d, AF_INET6, (const union nf_inet_addr *)a);
}

#define CF_ND_MAX_OPTS	8
#define CF_NA_FLAGS	htonl(0xe0000000)	/* R, S, O (RFC 4861 4.4) */

/* The options from @off on: what cf_nd_check() says of them. */
static enum cf_nd cf_nd_opts(const struct cf_ctx *c, const struct sk_buff *skb,
			     unsigned int off, bool claims)
{
	unsigned int i;
	u8 _o[2 + ETH_ALEN];
	const u8 *o;

	for (i = 0; off < skb->len; i++) {
		o = skb_header_pointer(skb, off, sizeof(_o), _o);
		if (i == CF_ND_MAX_OPTS || !o || o[1] != 1)
			return CF_ND_MALFORMED;
		switch (o[0]) {
		case ND_OPT_SOURCE_LL_ADDR:
		case ND_OPT_TARGET_LL_ADDR:
			if (claims && (!c->eth ||
				       !ether_addr_equal(o + 2, c->eth->h_source)))
				return CF_ND_SPOOFED;
			break;
		case ND_OPT_NONCE:
			break;
		default:
			return CF_ND_MALFORMED;
		}
		off += 8;
	}
	return off == skb->len ? CF_ND_OK : CF_ND_MALFORMED;
}

static enum cf_nd cf_nd_check(const struct cf_ctx *c, const struct sk_buff *skb)
{
	const struct cf_pkt *pk = &c->pk;
	bool claims = c->src && c->src->naddrs;
	const struct in6_addr *t;
	struct in6_addr _t;
	unsigned int off;
	const __be32 *r;
	__be32 _r;

	if (pk->family != AF_INET6 || pk->proto != IPPROTO_ICMPV6 ||
	    pk->icmp_type < NDISC_ROUTER_SOLICITATION ||
	    pk->icmp_type > NDISC_NEIGHBOUR_ADVERTISEMENT)
		return CF_ND_OK;
	r = skb_header_pointer(skb, pk->l4off + 4, sizeof(_r), &_r);
	if (!r || (*r & ~(pk->icmp_type == NDISC_NEIGHBOUR_ADVERTISEMENT ?
			  CF_NA_FLAGS : 0)))
		return CF_ND_MALFORMED;
	if (claims && !cf_nd_addr_ok(c->src, &pk->saddr.in6, true))
		return CF_ND_SPOOFED;
	off = pk->l4off + 8;		/* ICMPv6 header and reserved field */
	if (pk->icmp_type != NDISC_ROUTER_SOLICITATION) {
		t = skb_header_pointer(skb, off, sizeof(_t), &_t);
		if (!t)
			return CF_ND_MALFORMED;
		if (claims && pk->icmp_type == NDISC_NEIGHBOUR_ADVERTISEMENT &&
		    !cf_nd_addr_ok(c->src, t, false))
			return CF_ND_SPOOFED;
		off += sizeof(_t);
	}
	return cf_nd_opts(c, skb, off, claims);
}

static u16 cf_port(const struct cf_pkt *pk)
{
	if (pk->l4 && (pk->proto == IPPROTO_TCP || pk->proto == IPPROTO_UDP))
		return pk->dport;
	return 0;
}

static void cf_event(const struct cf_ctx *c, const struct cf_device *d,
		     const u8 *mac, const struct cf_zone *z, u8 dir, u8 reason,
		     u8 verdict, u64 suppressed)
{
	const struct cf_pkt *pk = &c->pk;
	struct cf_event_info ev;

	memset(&ev, 0, sizeof(ev));
	ev.timestamp_ns = ktime_get_real_ns();
	if (d) {
		strscpy(ev.device, d->name, sizeof(ev.device));
		ether_addr_copy(ev.mac, d->mac);
	} else if (mac) {
		ether_addr_copy(ev.mac, mac);
	}
	if (z)
		strscpy(ev.zone, z->name, sizeof(ev.zone));
	ev.dir = dir;
	ev.family = pk->family;
	ev.proto = pk->proto;
	ev.reason = reason;
	ev.verdict = verdict;
	ev.saddr = pk->saddr;
	ev.daddr = pk->daddr;
	if (pk->l4 && (pk->proto == IPPROTO_TCP || pk->proto == IPPROTO_UDP)) {
		ev.sport = pk->sport;
		ev.dport = pk->dport;
	}
	ev.suppressed = suppressed;
	cf_event_queue(c->cn, &ev);
}

/*
 * ---- verdict: what the decision step says, and the one place that
 * carries it out (counters, evidence, events, the unknown table) ----
 */

enum cf_verdict {
	CF_V_INFRA,	/* not camfence's or implicit infrastructure: passes,
			 * counted nowhere (cf_infra_table says which); also
			 * a monitored port-moved frame at bridge ingress,
			 * whose verdict the next hook counts
			 */
	CF_V_ACCEPT,	/* allowed: passes, counted as allowed */
	CF_V_MONITOR,	/* denied, but monitored: passes, counted as such */
	CF_V_DROP,	/* denied (also spoofed, unknown, unclassified) */
};

/* One denial recorded as evidence on a device (and maybe an event). */
struct cf_denial {
	bool egress;			/* the receiver's, per copy */
	const struct cf_device *d;
	const struct cf_zone *z;
	union nf_inet_addr peer;
	u8 dir, proto, reason, verdict;
	u16 port;
};

struct cf_decision {
	enum cf_verdict v;
	/* the devices the packet is counted on (allowed, monitored, dropped) */
	const struct cf_device *csrc, *cdst;
	bool spoofed;			/* counted as spoofed, globally ... */
	const struct cf_device *spoofer; /* ... and on this device */
	bool unknown;			/* from a MAC no device claims */
	u8 unknown_reason;		/* its event's reason and verdict, */
	u8 unknown_verdict;		/* 0: no event */
	u8 ndenials;
	struct cf_denial denials[2];
	/*
	 * The bridge's copy for one egress port (cf_egress()): not delivered
	 * (egress_drop), and the device behind that port that refused it,
	 * counted as dropped or monitored there (its denial is the last one).
	 */
	bool egress_drop;
	const struct cf_device *egress_dev;
	/* a DNS query from the sender: recorded with this verdict (dns.c) */
	bool dns_query;
	u8 dns_verdict;			/* enum camfence_verdict */
};

static void cf_decide(struct cf_decision *d, enum cf_verdict v,
		      const struct cf_device *csrc,
		      const struct cf_device *cdst)
{
	d->v = v;
	d->csrc = csrc;
	d->cdst = cdst;
}

static void cf_deny_on(struct cf_decision *d, const struct cf_device *dev,
		       const struct cf_zone *z, u8 dir,
		       const union nf_inet_addr *peer, u8 proto, u16 port,
		       u8 reason, u8 verdict)
{
	struct cf_denial *n = &d->denials[d->ndenials++];

	n->egress = false;
	n->d = dev;
	n->z = z;
	n->dir = dir;
	n->peer = *peer;
	n->proto = proto;
	n->port = port;
	n->reason = reason;
	n->verdict = verdict;
}

static void cf_count(const struct cf_ctx *c, const struct cf_decision *d,
		     enum cf_dstat ds, enum cf_gstat gs)
{
	if (d->csrc)
		cf_dstat_add(d->csrc, ds, c->len);
	if (d->cdst)
		cf_dstat_add(d->cdst, ds, c->len);
	cf_gstat_inc(c->cn, gs);
}

/*
 * A frame the bridge floods (broadcast, multicast, unknown unicast) comes
 * to the bridge FORWARD hook once per egress port, as clones that share
 * its data. It is judged for each copy (the device behind each port has
 * its say, cf_egress()), but counted and recorded for its sender once: the
 * bridge ingress hook notes each frame's data on this CPU, and the copies
 * that follow on the same CPU in the same softirq are recognised by it.
 * A copy whose data was reallocated in between is counted again (the
 * figures are then high, never a verdict wrong).
 */
struct cf_frame {
	const unsigned char *head;	/* skb->head at bridge ingress */
	bool counted;			/* its sender's part is counted */
};

static DEFINE_PER_CPU(struct cf_frame, cf_frame);

static void cf_frame_start(const struct sk_buff *skb)
{
	struct cf_frame *f = this_cpu_ptr(&cf_frame);

	f->head = skb->head;
	f->counted = false;
}

/* True for the second and later copies of a flooded frame. */
static bool cf_frame_again(const struct sk_buff *skb)
{
	struct cf_frame *f = this_cpu_ptr(&cf_frame);

	if (f->head != skb->head)
		return false;
	if (f->counted)
		return true;
	f->counted = true;
	return false;
}

static void cf_record(const struct cf_ctx *c, const struct cf_denial *n)
{
	u64 supp = 0;

	if (cf_device_deny(n->d, n->dir, c->pk.family, &n->peer, n->proto,
			   n->port, n->reason, &supp))
		cf_event(c, n->d, NULL, n->z, n->dir, n->reason, n->verdict,
			 supp);
}

/* The sender's part of a decision: counters, evidence, unknown table. */
static void cf_account_sender(const struct cf_ctx *c,
			      const struct sk_buff *skb,
			      const struct cf_decision *d)
{
	const struct cf_pkt *pk = &c->pk;
	u64 supp = 0;
	u8 i;

	if (d->unknown) {
		cf_gstat_inc(c->cn, CF_GS_UNKNOWN);
		if (c->eth && c->zin &&
		    cf_unknown_record(c->cn, c->eth->h_source, c->p,
				      c->zin - c->p->zones, c->vid,
				      c->state->in, pk->family, &pk->saddr,
				      &supp) && d->unknown_verdict)
			cf_event(c, NULL, c->eth->h_source, c->zin,
				 CAMFENCE_DIR_TO, d->unknown_reason,
				 d->unknown_verdict, supp);
	}
	for (i = 0; i < d->ndenials; i++)
		if (!d->denials[i].egress)
			cf_record(c, &d->denials[i]);
	/* DNS names as evidence (dns.c): only UDP queries from a device */
	if (unlikely(d->dns_query))
		cf_dns_query(&c->src->ds->dns, skb,
			     pk->l4off + sizeof(struct udphdr), d->dns_verdict);
	if (d->spoofed) {
		if (d->spoofer)
			cf_dstat_add(d->spoofer, CF_DS_SPOOFED_PKTS, 0);
		cf_gstat_inc(c->cn, CF_GS_SPOOFED);
	}
	switch (d->v) {
	case CF_V_INFRA:
		break;
	case CF_V_ACCEPT:
		cf_count(c, d, CF_DS_ALLOWED_PKTS, CF_GS_ALLOWED);
		break;
	case CF_V_MONITOR:
		cf_count(c, d, CF_DS_MONITORED_PKTS, CF_GS_MONITORED);
		break;
	case CF_V_DROP:
		cf_count(c, d, CF_DS_DROPPED_PKTS, CF_GS_DROPPED);
		break;
	}
}

/*
 * Carries out a decision: the only place that counts and records. @again:
 * another copy of a flooded frame whose sender is counted already; only
 * the receiver's part (a refusal by the device behind this egress port)
 * is counted.
 */
static unsigned int cf_account(const struct cf_ctx *c,
			       const struct sk_buff *skb,
			       const struct cf_decision *d, bool again)
{
	u8 i;

	if (!again)
		cf_account_sender(c, skb, d);
	for (i = 0; i < d->ndenials; i++)
		if (d->denials[i].egress)
			cf_record(c, &d->denials[i]);
	if (d->egress_dev)
		cf_dstat_add(d->egress_dev, d->egress_drop ?
			     CF_DS_DROPPED_PKTS : CF_DS_MONITORED_PKTS, c->len);
	return d->v == CF_V_DROP || d->egress_drop ? NF_DROP : NF_ACCEPT;
}

/* ---- decisions shared by the hooks ---- */

/* In or out of the seal (see cf_sealed()). */
static bool cf_is_sealed(const struct cf_ctx *c)
{
	return (c->zin && c->zin->sealed) || (c->zout && c->zout->sealed);
}

/* The device (if any) is in monitor mode: its own, or the global mode. */
static bool cf_monitored(const struct cf_device *d)
{
	return d && cf_device_effective_mode(d) == CAMFENCE_MODE_MONITOR;
}

/* The device (if any) is in enforce mode: its own, or the global mode. */
static bool cf_enforced(const struct cf_device *d)
{
	return d && cf_device_effective_mode(d) == CAMFENCE_MODE_ENFORCE;
}

/* A frame that is neither IP nor ARP (or an IP packet too short to
 * parse) from or to a zone: unclassified, dropped (monitored for a
 * monitor-mode sender, but in or out of the seal).
 */
static void cf_not_ip(const struct cf_ctx *c, struct cf_decision *d)
{
	if (!cf_is_sealed(c) && cf_monitored(c->src))
		cf_decide(d, CF_V_MONITOR, c->src, c->dst);
	else
		cf_decide(d, CF_V_DROP, c->src, c->dst);
}

/* The sender is a device that claims what is not its own. */
static void cf_spoofed(const struct cf_ctx *c, struct cf_decision *d)
{
	const struct cf_pkt *pk = &c->pk;

	d->spoofed = true;
	d->spoofer = c->src;
	cf_deny_on(d, c->src, c->zin, CAMFENCE_DIR_TO, &pk->daddr, pk->proto,
		   cf_port(pk), CAMFENCE_REASON_SPOOFED,
		   CAMFENCE_VERDICT_DROPPED);
	cf_decide(d, CF_V_DROP, c->src, NULL);
}

/*
 * The seal: a sealed VLAN or interface (sealed_vlans, sealed_ifaces) that
 * no zone of the policy covers is in the policy's last zone, the seal
 * (policy.h), from module load and after every commit that leaves it out
 * of the zones. Only the infrastructure passes, in or out: everything
 * else is dropped and its sender, when no device claims its MAC, recorded
 * in the unknown table (reason "sealed"). A device's packet is counted on
 * the device (a device named in the policy whose zone was removed).
 */
static void cf_sealed(const struct cf_ctx *c, struct cf_decision *d)
{
	d->unknown = c->zin && c->eth && !c->src;
	d->unknown_reason = CAMFENCE_REASON_SEALED;
	d->unknown_verdict = CAMFENCE_VERDICT_DROPPED;
	cf_decide(d, CF_V_DROP, c->src, c->dst);
}

/*
 * A packet from a MAC in a zone that no device claims: recorded in the
 * unknown table; the zone's unknown action. True when that ends the
 * decision (drop); otherwise *monitored is set for "unknown monitor" and
 * the packet is judged on.
 */
static bool cf_unknown(const struct cf_ctx *c, struct cf_decision *d,
		       bool *monitored)
{
	u8 act = c->zin->unknown;

	d->unknown = true;
	d->unknown_reason = CAMFENCE_REASON_UNKNOWN_DEVICE;
	if (act == CAMFENCE_ACTION_DROP) {
		d->unknown_verdict = CAMFENCE_VERDICT_DROPPED;
		cf_decide(d, CF_V_DROP, c->src, c->dst);
		return true;
	}
	if (act == CAMFENCE_ACTION_MONITOR) {
		d->unknown_verdict = CAMFENCE_VERDICT_MONITORED;
		*monitored = true;
	}
	return false;
}

/*
 * ARP on a camera zone (dynamic ARP inspection), on the bridge and towards
 * the router (NF_ARP_IN: ARP for the router's own address never crosses
 * the bridge FORWARD hook). Only well-formed Ethernet/IPv4 requests and
 * replies pass, with nothing after the ARP body but the padding of a
 * minimum-size frame (ARP is not a data channel); the sender hardware
 * address is the frame's source; a device with bound IPv4 addresses claims
 * only those (or 0.0.0.0, an RFC 5227 probe), so a camera cannot poison the
 * router's or another camera's neighbour cache for the NVR's address. A
 * wrong claim is dropped and counted as spoofed, a malformed frame as a
 * drop; ARP from a MAC no device claims gets the zone's unknown action.
 * ARP into a zone from outside it (the router's uplink) is not judged.
 * On the bridge (cf_arp_crosses()) the copy for a port bound to a device
 * must be about that device: the request's or reply's target address is
 * one of its bound addresses.
 */
struct cf_arp_eth {
	struct arphdr h;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

/* ARP body plus the padding of a 60-byte frame */
#define CF_ARP_MAX_LEN	(ETH_ZLEN - ETH_HLEN)

/*
 * The copy the bridge makes for another port (NF_BR_FORWARD) goes to that
 * port's device (cf_policy_port_dev()) only if the target address is one
 * of the device's bound addresses (a reply with target 0.0.0.0 answers an
 * RFC 5227 probe): a request is a question to the owner of its target, a
 * reply an answer to its target (RFC 826). Otherwise it is not about that
 * device, and a camera would reach every other camera's port with a target
 * and a target MAC of its choosing (RFC 5227 announcements included): held,
 * uncounted when the bridge flooded it, dropped and counted as the
 * sender's drop when it was addressed to that port (unicast). Ports with
 * no device, devices without bound addresses (their addresses are not
 * known) and monitor mode (the sender's or the device's: commissioning)
 * keep address resolution as it was: every copy crosses.
 */
static void cf_arp_crosses(const struct cf_ctx *c, const struct cf_arp_eth *a,
			   struct cf_decision *d)
{
	const struct cf_device *e;

	if (c->w != CF_BRIDGE || !c->state->out)
		return;
	e = cf_policy_port_dev(c->p, c->state->out->ifindex);
	if (!e || !e->naddrs || cf_monitored(e) || cf_monitored(c->src))
		return;
	if (cf_device_has_addr(e, AF_INET, &c->pk.daddr) ||
	    (!a->tip && a->h.ar_op == htons(ARPOP_REPLY)))
		return;
	if (is_multicast_ether_addr(c->eth->h_dest))
		d->egress_drop = true;
	else
		cf_decide(d, CF_V_DROP, c->src, NULL);
}

static void cf_arp(struct cf_ctx *c, const struct sk_buff *skb,
		   struct cf_decision *d)
{
	struct cf_pkt *pk = &c->pk;
	const struct cf_arp_eth *a;
	struct cf_arp_eth _a;
	bool monitored = false;

	cf_decide(d, CF_V_INFRA, NULL, NULL);
	if (!c->zin)
		return;
	a = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_a), &_a);
	if (!a || skb->len - skb_network_offset(skb) > CF_ARP_MAX_LEN ||
	    a->h.ar_hrd != htons(ARPHRD_ETHER) ||
	    a->h.ar_pro != htons(ETH_P_IP) || a->h.ar_hln != ETH_ALEN ||
	    a->h.ar_pln != 4 ||
	    (a->h.ar_op != htons(ARPOP_REQUEST) &&
	     a->h.ar_op != htons(ARPOP_REPLY)) ||
	    !c->eth || !ether_addr_equal(a->sha, c->eth->h_source)) {
		cf_not_ip(c, d);
		return;
	}
	pk->family = AF_INET;
	pk->saddr.ip = a->sip;
	pk->daddr.ip = a->tip;
	/* address resolution (RFC 826) is infrastructure: uncounted */
	if (c->zin->sealed)
		return;
	if (c->src) {
		cf_device_touch(c->src);
		if (c->src->naddrs && a->sip &&
		    !cf_device_has_addr(c->src, AF_INET, &pk->saddr)) {
			cf_spoofed(c, d);
			return;
		}
		cf_arp_crosses(c, a, d);
		return;
	}
	if (cf_unknown(c, d, &monitored))
		return;
	if (monitored)
		cf_decide(d, CF_V_MONITOR, c->src, c->dst);
	else
		cf_arp_crosses(c, a, d);
}

/*
 * The connection a packet belongs to, as the rules see it: who opened it
 * (initiator, judged by its "to" rules) and who answers (responder, its
 * "from" rules), their addresses and the responder's port.
 *
 * A packet with no conntrack entry, or the first of a connection (NEW), is
 * its own connection. For every later packet (ESTABLISHED, RELATED, in
 * either direction) the addresses and the port come from the conntrack
 * tuples, so the connection is judged again under the current policy: a
 * commit, a mode change or a removed rule reaches it at its next packet.
 * The original tuple's source is the initiator as the hooks saw it (SNAT
 * happens after FORWARD); the reply tuple's source is the responder after
 * DNAT, its port the port the responder serves. An ICMP error carries the
 * conntrack entry of the connection it is about (RELATED): it is judged as
 * that connection. A connection an FTP/SIP helper expected is its own
 * conntrack entry: judged by its own tuple like a new connection.
 * The devices are the ones the packet shows: its sender is the initiator
 * in the original direction and the responder in the reply direction.
 */
struct cf_conn {
	const struct cf_device *ini, *resp;
	const struct cf_zone *zini, *zresp;
	union nf_inet_addr iaddr, raddr;
	u8 proto;
	u16 port;
	bool reply;		/* the packet goes from responder to initiator */
};

static void cf_conn_of(const struct cf_ctx *c, const struct sk_buff *skb,
		       struct cf_conn *cc)
{
	const struct nf_conntrack_tuple *o, *r;
	const struct cf_pkt *pk = &c->pk;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;

	ct = nf_ct_get(skb, &ctinfo);
	if (!ct || ctinfo == IP_CT_NEW || nf_ct_l3num(ct) != pk->family) {
		cc->reply = false;
		cc->iaddr = pk->saddr;
		cc->raddr = pk->daddr;
		cc->proto = pk->proto;
		cc->port = cf_port(pk);
	} else {
		o = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;
		r = &ct->tuplehash[IP_CT_DIR_REPLY].tuple;
		cc->reply = CTINFO2DIR(ctinfo) == IP_CT_DIR_REPLY;
		cc->iaddr = o->src.u3;
		cc->raddr = r->src.u3;
		cc->proto = o->dst.protonum;
		cc->port = 0;
		if (cc->proto == IPPROTO_TCP || cc->proto == IPPROTO_UDP)
			cc->port = ntohs(r->src.u.all);
	}
	if (cc->reply) {
		cc->ini = c->dst;
		cc->zini = c->zout;
		cc->resp = c->src;
		cc->zresp = c->zin;
	} else {
		cc->ini = c->src;
		cc->zini = c->zin;
		cc->resp = c->dst;
		cc->zresp = c->zout;
	}
}

/*
 * Bridge ingress (NF_BR_PRE_ROUTING, before conntrack): port security. A
 * frame with a device's MAC from a bridge port other than the one the
 * device is bound to (cf_device_port_ok()) is another box taking over the
 * device's identity and its permissions, towards the segment and through
 * the router: dropped and counted as spoofed, with evidence and an event
 * (reason "port-moved"), when the device is enforced or when the port it
 * came from belongs to an enforced device (an enforced camera must not
 * borrow a monitor-mode camera's identity); otherwise (a monitored device
 * moving during commissioning) counted as spoofed, reported, and passed:
 * its verdict (allowed, monitored) is counted by the bridge FORWARD or the
 * router's hook that judges it next, so the frame is counted once.
 */
static void cf_port_moved(struct cf_ctx *c, const struct sk_buff *skb,
			  struct cf_decision *d)
{
	const struct cf_device *owner;
	struct cf_pkt *pk = &c->pk;
	bool enforce;
	u16 vid = 0;

	memset(pk, 0, sizeof(*pk));
	if (skb->protocol == htons(ETH_P_IP))
		cf_parse_ipv4(skb, pk);
	else if (skb->protocol == htons(ETH_P_IPV6))
		cf_parse_ipv6(skb, pk);
	if (skb_vlan_tag_present(skb))
		vid = skb_vlan_tag_get_id(skb);
	else
		br_vlan_get_pvid_rcu(c->state->in, &vid);
	c->zin = cf_zone_of(c->p, c->state->in, vid);
	owner = cf_policy_port_dev(c->p, c->state->in->ifindex);
	enforce = cf_enforced(c->src) || cf_enforced(owner);
	d->spoofed = true;
	d->spoofer = c->src;
	cf_deny_on(d, c->src, c->zin, CAMFENCE_DIR_TO, &pk->daddr, pk->proto,
		   cf_port(pk), CAMFENCE_REASON_PORT,
		   enforce ? CAMFENCE_VERDICT_DROPPED :
			     CAMFENCE_VERDICT_MONITORED);
	/* passed: the hook that judges it next counts its verdict, once */
	cf_decide(d, enforce ? CF_V_DROP : CF_V_INFRA, c->src, NULL);
}

static unsigned int cf_hook_bridge_in(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	struct cf_ctx c = { .state = state, .w = CF_BRIDGE, .len = skb->len };
	struct cf_decision d = {};

	cf_frame_start(skb);
	c.cn = cf_net(state->net);
	c.p = rcu_dereference(c.cn->policy);
	if (unlikely(!c.p) || !c.p->ndevices || !state->in)
		return NF_ACCEPT;
	c.eth = cf_eth(skb, state->in);
	if (!c.eth)
		return NF_ACCEPT;
	c.src = cf_policy_dev_by_mac(c.p, c.eth->h_source);
	if (!c.src || cf_device_port_ok(c.p, c.src, state->in))
		return NF_ACCEPT;
	cf_port_moved(&c, skb, &d);
	return cf_account(&c, skb, &d, false);
}

/* Is the packet's destination a group (multicast, IPv4 broadcast)? */
static bool cf_l3_group(const struct cf_pkt *pk)
{
	if (pk->family == AF_INET)
		return ipv4_is_multicast(pk->daddr.ip) ||
		       ipv4_is_lbcast(pk->daddr.ip);
	return ipv6_addr_is_multicast(&pk->daddr.in6);
}

/*
 * A bridged IP frame from a zone: its link-layer destination must be its
 * IP destination. A unicast packet in a broadcast or multicast frame, or
 * in a frame to a device that does not hold the destination address (or
 * to another MAC than the device that does), would reach other cameras
 * while the rules judge the packet's address: spoofed. (A group packet in
 * a unicast frame is what a bridge port with multicast_to_unicast sends.)
 * IPv6 link-local destinations are not bound to devices: not checked.
 */
static bool cf_l2_matches_l3(const struct cf_ctx *c)
{
	const struct cf_pkt *pk = &c->pk;
	const struct cf_device *l3;

	if (cf_l3_group(pk))
		return true;
	if (is_multicast_ether_addr(c->eth->h_dest))
		return false;
	l3 = cf_policy_dev_by_addr(c->p, pk->family, &pk->daddr);
	if (l3)
		return l3 == c->dst;
	return !c->dst || !c->dst->naddrs ||
	       (pk->family == AF_INET6 &&
		(ipv6_addr_type(&pk->daddr.in6) & IPV6_ADDR_LINKLOCAL));
}

static void cf_misdirected(const struct cf_ctx *c, struct cf_decision *d)
{
	if (c->src) {
		cf_spoofed(c, d);
		return;
	}
	d->spoofed = true;
	cf_decide(d, CF_V_DROP, NULL, c->dst);
}

/*
 * The copy of a bridged frame for one egress port, judged against the
 * device behind that port (the bridge floods broadcast, multicast and
 * unknown unicast to every port, and calls this hook once per copy). A
 * unicast frame for a device goes only to the port that device is bound
 * to; a group frame reaches the device behind the port only if that
 * device's "from" rules allow the sender. A copy that is not delivered is
 * counted on the sender (dropped), and on the receiver with evidence when
 * its rules refused it.
 */
static void cf_egress(const struct cf_ctx *c, struct cf_decision *d)
{
	const struct cf_pkt *pk = &c->pk;
	const struct cf_device *e;
	int out = c->state->out->ifindex, port;
	bool enforce;

	if (!is_multicast_ether_addr(c->eth->h_dest)) {
		port = c->dst ? cf_device_port(c->dst) : 0;
		if (port && port != out)
			d->egress_drop = true;
		return;
	}
	e = cf_policy_port_dev(c->p, out);
	if (!e || e == c->src ||
	    cf_device_allows(e, CAMFENCE_DIR_FROM, pk->family, &pk->saddr,
			     pk->proto, cf_port(pk)))
		return;
	enforce = cf_enforced(e);
	cf_deny_on(d, e, c->zout, CAMFENCE_DIR_FROM, &pk->saddr, pk->proto,
		   cf_port(pk), CAMFENCE_REASON_NO_RULE,
		   enforce ? CAMFENCE_VERDICT_DROPPED :
			     CAMFENCE_VERDICT_MONITORED);
	d->denials[d->ndenials - 1].egress = true;
	d->egress_dev = e;
	d->egress_drop = enforce;
}

/*
 * Infrastructure on the bridge (NF_BR_FORWARD): the copy for another port,
 * never the router's (this host takes its own at LOCAL_IN). Neighbour
 * discovery crosses every port, from a listed device, or from an unknown
 * MAC where the zone's unknown action is not drop (well formed,
 * cf_nd_check()); unlike ARP's (cf_arp_crosses()) its copies are not yet
 * limited to the port of the target's owner. Everything else in
 * cf_infra_table is addressed to the router (RS, MLD and IGMP reports, DHCP
 * and DHCPv6 client messages): its copy reaches the device behind another
 * port only if that device may answer it (its profile allows it to send the
 * RA, the query or the DHCP reply: a router, querier or DHCP server on the
 * segment), or in monitor mode (the sender's or that device's: passed).
 * Otherwise the copy is held: not delivered, and not counted when the
 * bridge flooded it (every camera's boot floods these); a copy in a frame
 * addressed to that port (unicast) is an attempt to reach another box
 * through the exemption: dropped and counted, with evidence (monitored in
 * monitor mode). In the seal nothing crosses. So a camera neither hears nor
 * parses another camera's solicitations, reports and DHCP messages, and
 * they carry no data between cameras (RA guard and DHCP snooping: towards
 * the router's ports only).
 */
static const union nf_inet_addr cf_all_nodes6 = {
	.in6 = { .s6_addr = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
			      0, 0, 0, 0, 0, 0, 0, 1 } }
};

static const union nf_inet_addr cf_all_hosts4 = {
	.ip = cpu_to_be32(INADDR_ALLHOSTS_GROUP)
};

static const union nf_inet_addr cf_bcast4 = {
	.ip = cpu_to_be32(INADDR_BROADCAST)
};

static bool cf_infra_answerer(const struct cf_device *e,
			      const struct cf_infra_row *r,
			      const struct cf_pkt *pk)
{
	switch (r->cross) {
	case CF_CROSS_ROUTER:	/* RFC 4861 6.2.6: the RA, to all nodes */
	case CF_CROSS_QUERIER6:	/* RFC 3810 5.1.15: a general query */
		return cf_device_allows(e, CAMFENCE_DIR_TO, AF_INET6,
					&cf_all_nodes6, IPPROTO_ICMPV6, 0);
	case CF_CROSS_QUERIER4:	/* RFC 3376 4.1.12 */
		return cf_device_allows(e, CAMFENCE_DIR_TO, AF_INET,
					&cf_all_hosts4, IPPROTO_IGMP, 0);
	case CF_CROSS_DHCP4:	/* RFC 2131 4.1: broadcast to port 68 */
		return cf_device_allows(e, CAMFENCE_DIR_TO, AF_INET, &cf_bcast4,
					IPPROTO_UDP, 68);
	case CF_CROSS_DHCP6:	/* RFC 8415 18.3: to the client's address */
		return cf_device_allows(e, CAMFENCE_DIR_TO, AF_INET6,
					&pk->saddr, IPPROTO_UDP, 546);
	}
	return false;
}

static void cf_infra_bridged(const struct cf_ctx *c,
			     const struct cf_infra_row *r,
			     struct cf_decision *d)
{
	const struct cf_pkt *pk = &c->pk;
	const struct cf_device *e;
	bool mon;

	cf_decide(d, CF_V_INFRA, NULL, NULL);
	if (cf_is_sealed(c)) {
		d->egress_drop = true;
		return;
	}
	if (r->cross == CF_CROSS_ND) {
		if (c->zin && !c->src &&
		    c->zin->unknown == CAMFENCE_ACTION_DROP)
			d->egress_drop = true;
		return;
	}
	e = cf_policy_port_dev(c->p, c->state->out->ifindex);
	if (e && cf_infra_answerer(e, r, pk))
		return;
	mon = cf_monitored(c->src) || cf_monitored(e);
	if (is_multicast_ether_addr(c->eth->h_dest)) {
		d->egress_drop = !mon;
		return;
	}
	if (c->src)
		cf_deny_on(d, c->src, c->zin, CAMFENCE_DIR_TO, &pk->daddr,
			   pk->proto, cf_port(pk), CAMFENCE_REASON_NO_RULE,
			   mon ? CAMFENCE_VERDICT_MONITORED :
				 CAMFENCE_VERDICT_DROPPED);
	cf_decide(d, mon ? CF_V_MONITOR : CF_V_DROP, c->src, NULL);
}

/*
 * Reverse path (RFC 3704 strict, as rp_filter=1 or nft "fib saddr . iif
 * oif missing"): a routed packet into a camera zone must come in through
 * the interface the router would use to reach its source. Otherwise a host
 * on the internet could send with the address of a peer the camera may
 * talk to (its NVR) and ride the camera's rules or its connection's
 * conntrack entry. Checked on every such packet, also where the operator
 * left rp_filter off, and for IPv6, which has no rp_filter.
 */
static bool cf_rpf4(struct net *net, const struct net_device *in,
		    const struct cf_pkt *pk)
{
	struct flowi4 fl4 = {
		.flowi4_iif = LOOPBACK_IFINDEX,
		.flowi4_l3mdev = l3mdev_master_ifindex_rcu(in),
		.daddr = pk->saddr.ip,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
	};
	struct fib_result res;

	if (!cf_l3_group(pk))
		fl4.saddr = pk->daddr.ip;

	if (fib_lookup(net, &fl4, &res, FIB_LOOKUP_IGNORE_LINKSTATE) ||
	    res.type != RTN_UNICAST)
		return false;
	return fib_info_nh_uses_dev(res.fi, in);
}

static bool cf_rpf6(struct net *net, const struct sk_buff *skb,
		    const struct net_device *in, const struct cf_pkt *pk)
{
	struct flowi6 fl6 = {
		.flowi6_iif = LOOPBACK_IFINDEX,
		.flowi6_l3mdev = l3mdev_master_ifindex_rcu(in),
		.daddr = pk->saddr.in6,
		.flowi6_proto = pk->proto,
	};
	int flags = 0;
	struct rt6_info *rt;
	bool ok = false;

	if (!cf_l3_group(pk)) {
		fl6.saddr = pk->daddr.in6;
		flags = RT6_LOOKUP_F_HAS_SADDR;
	}
	rt = (struct rt6_info *)ip6_route_lookup(net, &fl6, skb, flags);
	if (!rt->dst.error && !(rt->rt6i_flags & (RTF_REJECT | RTF_ANYCAST |
						   RTF_LOCAL)))
		ok = rt->rt6i_idev->dev == in ||
		     l3mdev_master_ifindex_rcu(rt->rt6i_idev->dev) ==
		     in->ifindex;
	ip6_rt_put(rt);
	return ok;
}

static bool cf_rpf_ok(const struct cf_ctx *c, const struct sk_buff *skb)
{
	const struct cf_pkt *pk = &c->pk;

	if (pk->family == AF_INET)
		return cf_rpf4(c->state->net, c->state->in, pk);
	return cf_rpf6(c->state->net, skb, c->state->in, pk);
}

/* A routed packet into a zone that fails the reverse path check: dropped,
 * counted as spoofed (globally) and as a drop on the device it was for,
 * with evidence naming the forged source.
 */
static void cf_rpf_drop(const struct cf_ctx *c, struct cf_decision *d)
{
	const struct cf_pkt *pk = &c->pk;

	d->spoofed = true;
	if (c->dst)
		cf_deny_on(d, c->dst, c->zout, CAMFENCE_DIR_FROM, &pk->saddr,
			   pk->proto, cf_port(pk), CAMFENCE_REASON_SPOOFED,
			   CAMFENCE_VERDICT_DROPPED);
	cf_decide(d, CF_V_DROP, c->src, c->dst);
}

/* ---- classify: zones, VLAN, devices, headers ---- */

enum cf_class {
	CF_C_NONE,		/* touches no zone: not camfence's */
	CF_C_AMBIGUOUS,		/* bridged, and its VLAN cannot be told */
	CF_C_ARP,
	CF_C_IP,		/* IPv4 or IPv6, headers parsed */
	CF_C_UNPARSED,		/* anything camfence cannot classify */
};

/*
 * The context of a packet that touches a zone (or cannot be placed). The
 * floor, a packet outside every zone, writes nothing here: what the router
 * forwards outside the camera VLANs pays the zone lookups and no more
 * (bench/performance-notes.md, the floor lane).
 */
static void cf_ctx_init(struct cf_ctx *c, struct cf_net *cn,
			const struct cf_policy *p,
			const struct nf_hook_state *state, enum cf_where w,
			unsigned int len, u16 vid, const struct cf_zone *zin,
			const struct cf_zone *zout)
{
	memset(c, 0, sizeof(*c));
	c->cn = cn;
	c->p = p;
	c->w = w;
	c->state = state;
	c->len = len;
	c->vid = vid;
	c->zin = zin;
	c->zout = zout;
}

static enum cf_class cf_classify(struct cf_ctx *c, const struct sk_buff *skb,
				 const struct nf_hook_state *state,
				 enum cf_where w)
{
	struct cf_net *cn = cf_net(state->net);
	const struct cf_policy *p = rcu_dereference(cn->policy);
	const struct cf_zone *zin, *zout = NULL;
	struct cf_pkt *pk = &c->pk;
	u16 vid;
	bool ok;

	if (unlikely(!p) || !p->nzones)
		return CF_C_NONE;

	if (w == CF_BRIDGE) {
		vid = cf_bridge_vid(p, skb, state);
		if (unlikely(vid == CF_VID_AMBIGUOUS)) {
			cf_ctx_init(c, cn, p, state, w, skb->len, vid, NULL,
				    NULL);
			return CF_C_AMBIGUOUS;
		}
		zin = cf_zone_of(p, state->in, vid);
		zout = cf_zone_of(p, state->out, vid);
	} else {
		vid = cf_dev_vid(state->in, skb);
		zin = cf_zone_of(p, state->in, vid);
		if (w == CF_FORWARD)
			zout = cf_zone_of(p, state->out,
					  cf_dev_vid(state->out, NULL));
	}
	if (!zin && !zout)
		return CF_C_NONE;
	cf_ctx_init(c, cn, p, state, w, skb->len, vid, zin, zout);

	c->eth = cf_eth(skb, state->in);
	if (c->zin && c->eth)
		c->src = cf_policy_dev_by_mac(c->p, c->eth->h_source);

	if (w == CF_BRIDGE || w == CF_ARP_IN) {
		switch (skb->protocol) {
		case htons(ETH_P_ARP):
			return CF_C_ARP;
		case htons(ETH_P_IP):
			ok = cf_parse_ipv4(skb, pk);
			break;
		case htons(ETH_P_IPV6):
			ok = cf_parse_ipv6(skb, pk);
			break;
		default:
			ok = false;
			break;
		}
	} else if (state->pf == NFPROTO_IPV4) {
		ok = cf_parse_ipv4(skb, pk);
	} else {
		ok = cf_parse_ipv6(skb, pk);
	}
	if (c->zout) {
		if (w == CF_BRIDGE) {
			if (c->eth && is_unicast_ether_addr(c->eth->h_dest))
				c->dst = cf_policy_dev_by_mac(c->p,
							      c->eth->h_dest);
		} else if (ok) {
			c->dst = cf_policy_dev_by_addr(c->p, pk->family,
						       &pk->daddr);
		}
	}
	return ok ? CF_C_IP : CF_C_UNPARSED;
}

/*
 * ---- verdict of an IP packet: each check in turn, the first that
 * decides ends it ----
 */

/* A zone's unknown action for a packet to a MAC/address no device has. */
static bool cf_unknown_dst(const struct cf_ctx *c, struct cf_decision *d,
			   bool *monitored)
{
	const struct cf_pkt *pk = &c->pk;
	u8 act = c->zout->unknown;

	if (act == CAMFENCE_ACTION_DROP) {
		if (c->src)
			cf_deny_on(d, c->src, c->zin, CAMFENCE_DIR_TO,
				   &pk->daddr, pk->proto, cf_port(pk),
				   CAMFENCE_REASON_UNKNOWN_DEVICE,
				   CAMFENCE_VERDICT_DROPPED);
		cf_decide(d, CF_V_DROP, c->src, c->dst);
		return true;
	}
	if (act == CAMFENCE_ACTION_MONITOR)
		*monitored = true;
	return false;
}

/*
 * The connection's rules: the initiator's "to" and the responder's
 * "from", on every packet (see cf_conn_of()). The router's own
 * connections (opened from LOCAL_OUT, which is not hooked: the operator's
 * box) come back in the reply direction at LOCAL_IN with no initiator in
 * a zone; their replies pass as before.
 */
static void cf_rules(const struct cf_ctx *c, const struct sk_buff *skb,
		     struct cf_decision *d, bool monitored)
{
	const struct cf_device *deny_ini = NULL, *deny_resp = NULL;
	const struct cf_pkt *pk = &c->pk;
	struct cf_conn cc;
	bool enforce;
	u8 verdict;

	cf_conn_of(c, skb, &cc);
	if (cc.reply && c->w == CF_LOCAL_IN) {
		cf_decide(d, CF_V_ACCEPT, c->src, c->dst);
		return;
	}
	if (cc.ini && !cf_device_allows(cc.ini, CAMFENCE_DIR_TO, pk->family,
					&cc.raddr, cc.proto, cc.port))
		deny_ini = cc.ini;
	if (cc.resp && !cf_device_allows(cc.resp, CAMFENCE_DIR_FROM, pk->family,
					 &cc.iaddr, cc.proto, cc.port))
		deny_resp = cc.resp;
	enforce = cf_enforced(deny_ini) || cf_enforced(deny_resp);
	verdict = enforce ? CAMFENCE_VERDICT_DROPPED : CAMFENCE_VERDICT_MONITORED;
	if (unlikely(pk->dport == CF_DNS_PORT) && pk->proto == IPPROTO_UDP &&
	    c->src && cc.ini == c->src && !cc.reply) {
		d->dns_query = true;
		d->dns_verdict = !deny_ini && !deny_resp ?
				 CAMFENCE_VERDICT_ALLOWED : verdict;
	}
	if (!deny_ini && !deny_resp) {
		if (c->w == CF_BRIDGE && c->zin)
			cf_egress(c, d);
		cf_decide(d, monitored ? CF_V_MONITOR : CF_V_ACCEPT, c->src,
			  c->dst);
		return;
	}

	if (deny_ini)
		cf_deny_on(d, deny_ini, cc.zini, CAMFENCE_DIR_TO, &cc.raddr,
			   cc.proto, cc.port, CAMFENCE_REASON_NO_RULE, verdict);
	if (deny_resp)
		cf_deny_on(d, deny_resp, cc.zresp, CAMFENCE_DIR_FROM, &cc.iaddr,
			   cc.proto, cc.port, CAMFENCE_REASON_NO_RULE, verdict);
	cf_decide(d, enforce ? CF_V_DROP : CF_V_MONITOR, c->src, c->dst);
}

static void cf_verdict_ip(struct cf_ctx *c, const struct sk_buff *skb,
			  struct cf_decision *d)
{
	const struct cf_pkt *pk = &c->pk;
	const struct cf_infra_row *r;
	bool monitored = false;

	r = cf_infra(c);
	if (r) {
		switch (cf_nd_check(c, skb)) {
		case CF_ND_SPOOFED:
			cf_spoofed(c, d);
			break;
		case CF_ND_MALFORMED:
			cf_not_ip(c, d);
			break;
		case CF_ND_OK:
			if (c->w == CF_BRIDGE)
				cf_infra_bridged(c, r, d);
			else
				cf_decide(d, CF_V_INFRA, NULL, NULL);
			break;
		}
		return;
	}
	if (cf_is_sealed(c)) {
		cf_sealed(c, d);
		return;
	}
	if (c->src) {
		cf_device_touch(c->src);
		if (c->src->naddrs &&
		    !cf_device_has_addr(c->src, pk->family, &pk->saddr)) {
			cf_spoofed(c, d);
			return;
		}
	}
	if (c->w == CF_BRIDGE && c->zin && !cf_l2_matches_l3(c)) {
		cf_misdirected(c, d);
		return;
	}
	if (c->w == CF_FORWARD && c->zout && !cf_rpf_ok(c, skb)) {
		cf_rpf_drop(c, d);
		return;
	}
	if (c->zin && !c->src && cf_unknown(c, d, &monitored))
		return;
	if (c->zout && !c->dst &&
	    (c->w == CF_FORWARD ||
	     (c->eth && is_unicast_ether_addr(c->eth->h_dest))) &&
	    cf_unknown_dst(c, d, &monitored))
		return;
	cf_rules(c, skb, d, monitored);
}

/*
 * The per-packet decision: classify (zones, VLAN, devices, headers), then
 * the verdict (a struct cf_decision: what passes, what is counted where,
 * what is recorded), then cf_account() carries it out. Nothing before
 * cf_account() counts or records anything.
 */
static unsigned int cf_judge(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     enum cf_where w)
{
	/*
	 * Not cleared on entry (Debian's kernels build with
	 * CONFIG_INIT_STACK_ALL_ZERO, which would clear both, 296 bytes, for
	 * every packet): cf_classify() clears c, and d is cleared below,
	 * only once the packet touches a zone.
	 */
	struct cf_decision d __uninitialized;
	struct cf_ctx c __uninitialized;
	enum cf_class class;
	bool again;

	class = cf_classify(&c, skb, state, w);
	if (class == CF_C_NONE)
		return NF_ACCEPT;
	memset(&d, 0, sizeof(d));
	switch (class) {
	case CF_C_NONE:
		return NF_ACCEPT;
	case CF_C_AMBIGUOUS:
		/* no device can be told: the global counters only */
		d.unknown = true;
		cf_decide(&d, CF_V_DROP, NULL, NULL);
		break;
	case CF_C_ARP:
		cf_arp(&c, skb, &d);
		break;
	case CF_C_UNPARSED:
		cf_not_ip(&c, &d);
		break;
	case CF_C_IP:
		cf_verdict_ip(&c, skb, &d);
		break;
	}
	again = w == CF_BRIDGE && cf_frame_again(skb);
	return cf_account(&c, skb, &d, again);
}

/* A packet br_netfilter is bridging (not routing): see cf_hook_forward(). */
static bool cf_bridged(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	return nf_bridge_get_physoutdev(skb);
#else
	return false;
#endif
}

static unsigned int cf_hook_forward(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	/* br_netfilter passes bridged packets through the inet hooks too
	 * (br_nf_forward_ip() sets physoutdev first, as iptables'
	 * --physdev-is-bridged tests); the bridge hook has already judged
	 * them. A routed packet that entered through a bridge also carries
	 * nf_bridge info (from br_nf_pre_routing()), but no physoutdev: it
	 * is judged here, or a camera behind a VLAN-aware bridge would reach
	 * the internet whenever br_netfilter is loaded.
	 */
	if (cf_bridged(skb))
		return NF_ACCEPT;
	return cf_judge(skb, state, CF_FORWARD);
}

static unsigned int cf_hook_local_in(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	return cf_judge(skb, state, CF_LOCAL_IN);
}

static unsigned int cf_hook_arp_in(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return cf_judge(skb, state, CF_ARP_IN);
}

static unsigned int cf_hook_bridge(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return cf_judge(skb, state, CF_BRIDGE);
}

static const struct nf_hook_ops cf_nf_ops[] = {
	{
		.hook		= cf_hook_forward,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP_PRI_FILTER - 10,
	},
	{
		.hook		= cf_hook_local_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER - 10,
	},
	{
		.hook		= cf_hook_forward,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP6_PRI_FILTER - 10,
	},
	{
		.hook		= cf_hook_local_in,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_FILTER - 10,
	},
	{
		.hook		= cf_hook_arp_in,
		.pf		= NFPROTO_ARP,
		.hooknum	= NF_ARP_IN,
		.priority	= -10,		/* before arptables' filter */
	},
	{
		.hook		= cf_hook_bridge,
		.pf		= NFPROTO_BRIDGE,
		.hooknum	= NF_BR_FORWARD,
		.priority	= NF_BR_PRI_FILTER_BRIDGED - 10,
	},
	{
		.hook		= cf_hook_bridge_in,
		.pf		= NFPROTO_BRIDGE,
		.hooknum	= NF_BR_PRE_ROUTING,
		.priority	= NF_BR_PRI_FIRST + 1,	/* before conntrack */
	},
};

int cf_hooks_set(struct cf_net *cn, bool on)
{
	int err;

	lockdep_assert_held(&cn->lock);
	if (on == cn->hooks_on)
		return 0;
	if (on) {
		err = nf_register_net_hooks(cn->net, cf_nf_ops,
					    ARRAY_SIZE(cf_nf_ops));
		if (err)
			return err;
	} else {
		/* waits for the packets in flight (synchronize_net) */
		nf_unregister_net_hooks(cn->net, cf_nf_ops,
					ARRAY_SIZE(cf_nf_ops));
	}
	cn->hooks_on = on;
	return 0;
}

/* The initial policy has a zone only when it is sealed (init_net). */
int cf_hooks_net_init(struct net *net)
{
	struct cf_net *cn = cf_net(net);
	const struct cf_policy *p;
	int err;

	mutex_lock(&cn->lock);
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	err = cf_hooks_set(cn, p->nzones > 0);
	mutex_unlock(&cn->lock);
	return err;
}

void cf_hooks_net_exit(struct net *net)
{
	struct cf_net *cn = cf_net(net);

	mutex_lock(&cn->lock);
	cf_hooks_set(cn, false);
	mutex_unlock(&cn->lock);
}
