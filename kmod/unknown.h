/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence unknown-device table (unknown.c): MACs seen in a zone that no
 * device claims.
 */
#ifndef _CF_UNKNOWN_H
#define _CF_UNKNOWN_H

#include "policy.h"

struct cf_unknown_info {
	u8 mac[ETH_ALEN];
	char zone[CAMFENCE_NAME_MAX + 1];
	u16 vlan;
	char ifname[IFNAMSIZ];
	struct cf_addr addr;
	u64 first_seen, last_seen, packets;
};

/* Copies at most max entries, returns how many. Process context. */
int cf_unknown_snapshot(struct cf_net *cn, struct cf_unknown_info *out,
			int max);

/* Records a packet from a MAC no device claims, seen in zone zidx of
 * policy p; same return convention as cf_device_deny(). BH context.
 */
bool cf_unknown_record(struct cf_net *cn, const u8 *mac,
		       const struct cf_policy *p, u32 zidx, u16 vid,
		       const struct net_device *in, u8 family,
		       const union nf_inet_addr *saddr, u64 *suppressed);

/* Allocates the table at the first policy with zones (cn->lock held). */
int cf_unknown_enable(struct cf_net *cn);
int cf_unknown_net_init(struct cf_net *cn);
void cf_unknown_net_exit(struct cf_net *cn);

#endif /* _CF_UNKNOWN_H */
