// SPDX-License-Identifier: GPL-2.0
/*
 * camfence netfilter hooks: classify each packet (zones, devices), let the
 * infrastructure through, and decide per connection.
 *
 * Hooks (per netns, registered only while the namespace's policy has
 * zones, so namespaces that do not use camfence pay nothing):
 *   ipv4/ipv6 NF_INET_FORWARD and NF_INET_LOCAL_IN at NF_IP_PRI_FILTER - 10,
 *   bridge NF_BR_FORWARD at NF_BR_PRI_FILTER_BRIDGED - 10;
 * all after conntrack has attached the connection (NF_IP_PRI_CONNTRACK in
 * PRE_ROUTING), before the filter tables.
 *
 * Runs under the RCU read lock netfilter holds, with BH disabled: no
 * allocation, no sleeping; the only locks are the per-device evidence lock
 * and the unknown-table lock, both taken on the deny path only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/skbuff.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/if_bridge.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/netfilter_bridge.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include "camfence.h"

enum cf_where {
	CF_FORWARD,
	CF_LOCAL_IN,
	CF_BRIDGE,
};

struct cf_pkt {
	u8 family, proto;
	bool l4;			/* ports / icmp type parsed */
	u8 icmp_type;
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
	case IPPROTO_ICMPV6: {
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
	pk->saddr.ip = iph->saddr;
	pk->daddr.ip = iph->daddr;
	if (iph->frag_off & htons(IP_OFFSET))
		return true;
	return cf_parse_l4(skb, off + iph->ihl * 4, pk);
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
	pk->saddr.in6 = ip6h->saddr;
	pk->daddr.in6 = ip6h->daddr;
	nexthdr = ip6h->nexthdr;
	l4off = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr, &frag_off);
	if (l4off < 0)
		return false;
	pk->proto = nexthdr;
	if (frag_off & htons(~0x7))
		return true;
	return cf_parse_l4(skb, l4off, pk);
}

/* The VLAN a routed packet belongs to: a VLAN device's VID, or, on a
 * VLAN-aware bridge device, the tag or the bridge's PVID.
 */
static u16 cf_dev_vid(const struct net_device *dev, const struct sk_buff *skb)
{
	u16 vid = 0;

	if (!dev)
		return 0;
	if (is_vlan_dev(dev))
		return vlan_dev_vlan_id(dev);
	if (netif_is_bridge_master(dev)) {
		if (skb && skb_vlan_tag_present(skb))
			return skb_vlan_tag_get_id(skb);
		if (!br_vlan_get_pvid_rcu(dev, &vid))
			return vid;
	}
	return 0;
}

/*
 * The VLAN of a bridged frame at NF_BR_FORWARD. br_handle_vlan() has
 * already stripped the tag for an untagged egress port, so fall back to
 * the egress port's PVID, then to the ingress port's.
 */
static u16 cf_bridge_vid(const struct sk_buff *skb,
			 const struct nf_hook_state *state)
{
	u16 vid = 0;

	if (skb_vlan_tag_present(skb))
		return skb_vlan_tag_get_id(skb);
	if (state->out && !br_vlan_get_pvid_rcu(state->out, &vid) && vid)
		return vid;
	if (state->in && !br_vlan_get_pvid_rcu(state->in, &vid) && vid)
		return vid;
	return 0;
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

/* Neighbour discovery, MLD and DHCP: always pass, counted nowhere. */
static bool cf_infra(const struct cf_ctx *c)
{
	const struct cf_pkt *pk = &c->pk;
	u16 client, server;

	if (!pk->l4)
		return false;
	if (pk->proto == IPPROTO_ICMPV6 && pk->family == AF_INET6) {
		switch (pk->icmp_type) {
		case 130 ... 137:	/* MLD, RS, RA, NS, NA, redirect */
		case 143:		/* MLDv2 report */
			return true;
		}
		return false;
	}
	if (pk->proto != IPPROTO_UDP)
		return false;
	if (pk->family == AF_INET) {
		client = 68;
		server = 67;
	} else {
		client = 546;
		server = 547;
	}
	if (pk->sport == client && pk->dport == server)
		return c->w != CF_FORWARD;
	if (pk->sport == server && pk->dport == client) {
		if (c->w == CF_LOCAL_IN)
			return true;
		/* a reply on the bridge: not from a device (a camera) */
		if (c->w == CF_BRIDGE)
			return !c->src;
	}
	return false;
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

static unsigned int cf_accept_counted(const struct cf_ctx *c)
{
	if (c->src)
		cf_dstat_add(c->src, CF_DS_ALLOWED_PKTS, c->len);
	if (c->dst)
		cf_dstat_add(c->dst, CF_DS_ALLOWED_PKTS, c->len);
	cf_gstat_inc(c->cn, CF_GS_ALLOWED);
	return NF_ACCEPT;
}

static unsigned int cf_drop_counted(const struct cf_ctx *c)
{
	if (c->src)
		cf_dstat_add(c->src, CF_DS_DROPPED_PKTS, c->len);
	if (c->dst)
		cf_dstat_add(c->dst, CF_DS_DROPPED_PKTS, c->len);
	cf_gstat_inc(c->cn, CF_GS_DROPPED);
	return NF_DROP;
}

static unsigned int cf_monitor_counted(const struct cf_ctx *c)
{
	if (c->src)
		cf_dstat_add(c->src, CF_DS_MONITORED_PKTS, 0);
	if (c->dst)
		cf_dstat_add(c->dst, CF_DS_MONITORED_PKTS, 0);
	cf_gstat_inc(c->cn, CF_GS_MONITORED);
	return NF_ACCEPT;
}

/* A frame that is neither IP nor ARP (or an IP packet too short to
 * parse) from or to a zone.
 */
static unsigned int cf_not_ip(const struct cf_ctx *c)
{
	if (c->src &&
	    cf_device_effective_mode(c->src) == CAMFENCE_MODE_MONITOR)
		return cf_monitor_counted(c);
	return cf_drop_counted(c);
}

static unsigned int cf_spoofed(const struct cf_ctx *c)
{
	const struct cf_pkt *pk = &c->pk;
	u64 supp = 0;

	cf_dstat_add(c->src, CF_DS_SPOOFED_PKTS, 0);
	cf_dstat_add(c->src, CF_DS_DROPPED_PKTS, c->len);
	cf_gstat_inc(c->cn, CF_GS_SPOOFED);
	cf_gstat_inc(c->cn, CF_GS_DROPPED);
	if (cf_device_deny(c->src, CAMFENCE_DIR_TO, pk->family, &pk->daddr,
			   pk->proto, cf_port(pk), CAMFENCE_REASON_SPOOFED,
			   &supp))
		cf_event(c, c->src, NULL, c->zin, CAMFENCE_DIR_TO,
			 CAMFENCE_REASON_SPOOFED, CAMFENCE_VERDICT_DROPPED, supp);
	return NF_DROP;
}

/* Sealed at boot: only the infrastructure passes. */
static unsigned int cf_sealed(const struct cf_ctx *c)
{
	const struct cf_pkt *pk = &c->pk;
	u64 supp = 0;

	if (c->zin && c->eth) {
		cf_gstat_inc(c->cn, CF_GS_UNKNOWN);
		if (cf_unknown_record(c->cn, c->eth->h_source, c->zin, c->vid,
				      c->state->in, pk->family, &pk->saddr,
				      &supp))
			cf_event(c, NULL, c->eth->h_source, c->zin,
				 CAMFENCE_DIR_TO, CAMFENCE_REASON_SEALED,
				 CAMFENCE_VERDICT_DROPPED, supp);
	}
	cf_gstat_inc(c->cn, CF_GS_DROPPED);
	return NF_DROP;
}

static unsigned int cf_judge(struct sk_buff *skb,
			     const struct nf_hook_state *state,
			     enum cf_where w)
{
	const struct cf_device *deny_src = NULL, *deny_dst = NULL;
	enum ip_conntrack_info ctinfo;
	const struct nf_conn *ct;
	struct cf_pkt *pk;
	struct cf_ctx c;
	bool ok, enforce, unknown_monitored = false;
	u64 supp = 0;
	u8 verdict;
	u16 port;

	c.cn = cf_net(state->net);
	c.p = rcu_dereference(c.cn->policy);
	if (unlikely(!c.p) || !c.p->nzones)
		return NF_ACCEPT;

	if (w == CF_BRIDGE) {
		c.vid = cf_bridge_vid(skb, state);
		c.zin = cf_zone_of(c.p, state->in, c.vid);
		c.zout = cf_zone_of(c.p, state->out, c.vid);
	} else {
		c.vid = cf_dev_vid(state->in, skb);
		c.zin = cf_zone_of(c.p, state->in, c.vid);
		c.zout = NULL;
		if (w == CF_FORWARD)
			c.zout = cf_zone_of(c.p, state->out,
					    cf_dev_vid(state->out, NULL));
	}
	if (!c.zin && !c.zout)
		return NF_ACCEPT;

	c.w = w;
	c.state = state;
	c.len = skb->len;
	c.eth = cf_eth(skb, state->in);
	c.src = NULL;
	c.dst = NULL;
	pk = &c.pk;
	memset(pk, 0, sizeof(*pk));

	if (c.zin && c.eth)
		c.src = cf_policy_dev_by_mac(c.p, c.eth->h_source);

	if (w == CF_BRIDGE) {
		switch (skb->protocol) {
		case htons(ETH_P_ARP):
			return NF_ACCEPT;
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
	if (c.zout) {
		if (w == CF_BRIDGE) {
			if (c.eth && is_unicast_ether_addr(c.eth->h_dest))
				c.dst = cf_policy_dev_by_mac(c.p,
							     c.eth->h_dest);
		} else if (ok) {
			c.dst = cf_policy_dev_by_addr(c.p, pk->family,
						      &pk->daddr);
		}
	}
	if (!ok)
		return cf_not_ip(&c);

	if (cf_infra(&c))
		return NF_ACCEPT;

	if (c.p->sealed)
		return cf_sealed(&c);

	if (c.src) {
		cf_device_touch(c.src);
		if (c.src->naddrs &&
		    !cf_device_has_addr(c.src, pk->family, &pk->saddr))
			return cf_spoofed(&c);
	}

	/* Replies and related traffic of a connection that was let through. */
	ct = nf_ct_get(skb, &ctinfo);
	if (ct && ctinfo != IP_CT_NEW)
		return cf_accept_counted(&c);

	if (c.zin && !c.src) {
		u8 act = c.zin->unknown;
		bool emit = false;

		cf_gstat_inc(c.cn, CF_GS_UNKNOWN);
		if (c.eth)
			emit = cf_unknown_record(c.cn, c.eth->h_source, c.zin,
						 c.vid, state->in, pk->family,
						 &pk->saddr, &supp);
		if (act == CAMFENCE_ACTION_DROP) {
			if (emit)
				cf_event(&c, NULL, c.eth->h_source, c.zin,
					 CAMFENCE_DIR_TO,
					 CAMFENCE_REASON_UNKNOWN_DEVICE,
					 CAMFENCE_VERDICT_DROPPED, supp);
			return cf_drop_counted(&c);
		}
		if (act == CAMFENCE_ACTION_MONITOR) {
			if (emit)
				cf_event(&c, NULL, c.eth->h_source, c.zin,
					 CAMFENCE_DIR_TO,
					 CAMFENCE_REASON_UNKNOWN_DEVICE,
					 CAMFENCE_VERDICT_MONITORED, supp);
			unknown_monitored = true;
		}
	}
	if (c.zout && !c.dst &&
	    (w == CF_FORWARD ||
	     (c.eth && is_unicast_ether_addr(c.eth->h_dest)))) {
		u8 act = c.zout->unknown;

		if (act == CAMFENCE_ACTION_DROP) {
			if (c.src &&
			    cf_device_deny(c.src, CAMFENCE_DIR_TO, pk->family,
					   &pk->daddr, pk->proto, cf_port(pk),
					   CAMFENCE_REASON_UNKNOWN_DEVICE,
					   &supp))
				cf_event(&c, c.src, NULL, c.zin,
					 CAMFENCE_DIR_TO,
					 CAMFENCE_REASON_UNKNOWN_DEVICE,
					 CAMFENCE_VERDICT_DROPPED, supp);
			return cf_drop_counted(&c);
		}
		if (act == CAMFENCE_ACTION_MONITOR)
			unknown_monitored = true;
	}

	/* A new connection: the initiator's "to" and the responder's "from". */
	port = cf_port(pk);
	if (c.src && !cf_device_allows(c.src, CAMFENCE_DIR_TO, pk->family,
				       &pk->daddr, pk->proto, port))
		deny_src = c.src;
	if (c.dst && !cf_device_allows(c.dst, CAMFENCE_DIR_FROM, pk->family,
				       &pk->saddr, pk->proto, port))
		deny_dst = c.dst;
	if (!deny_src && !deny_dst) {
		if (unknown_monitored)
			return cf_monitor_counted(&c);
		return cf_accept_counted(&c);
	}

	enforce = (deny_src &&
		   cf_device_effective_mode(deny_src) == CAMFENCE_MODE_ENFORCE) ||
		  (deny_dst &&
		   cf_device_effective_mode(deny_dst) == CAMFENCE_MODE_ENFORCE);
	verdict = enforce ? CAMFENCE_VERDICT_DROPPED : CAMFENCE_VERDICT_MONITORED;
	if (deny_src &&
	    cf_device_deny(deny_src, CAMFENCE_DIR_TO, pk->family, &pk->daddr,
			   pk->proto, port, CAMFENCE_REASON_NO_RULE, &supp))
		cf_event(&c, deny_src, NULL, c.zin, CAMFENCE_DIR_TO,
			 CAMFENCE_REASON_NO_RULE, verdict, supp);
	if (deny_dst &&
	    cf_device_deny(deny_dst, CAMFENCE_DIR_FROM, pk->family, &pk->saddr,
			   pk->proto, port, CAMFENCE_REASON_NO_RULE, &supp))
		cf_event(&c, deny_dst, NULL, c.zout, CAMFENCE_DIR_FROM,
			 CAMFENCE_REASON_NO_RULE, verdict, supp);
	if (enforce)
		return cf_drop_counted(&c);
	return cf_monitor_counted(&c);
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
		.hook		= cf_hook_bridge,
		.pf		= NFPROTO_BRIDGE,
		.hooknum	= NF_BR_FORWARD,
		.priority	= NF_BR_PRI_FILTER_BRIDGED - 10,
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

/* The initial policy has zones only when it is sealed (init_net). */
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
