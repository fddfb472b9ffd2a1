// SPDX-License-Identifier: GPL-2.0
/*
 * camfence unknown-device table: the MACs seen in a zone that no device
 * claims, with where and when, for `camfencectl unknown`. Bounded
 * (unknown_table_size), least recently seen replaced first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include "unknown.h"
#include "devstate.h"

struct cf_unknown {
	u8 mac[ETH_ALEN];
	u16 vlan;
	char zone[CAMFENCE_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
	struct cf_addr addr;
	u64 first_seen, last_seen, packets;
	u64 stamp;
};

/* The namespace's table (cn->unknown). */
struct cf_unknown_table {
	spinlock_t unk_lock;		/* unk*, unk_tb; BH */
	u32 unk_size, unk_used, unk_hint;
	u64 unk_seq;			/* LRU clock of the table */
	struct cf_unknown *unk;
	struct cf_tbucket unk_tb;
};

/*
 * The unknown-device table is allocated at the namespace's first policy
 * with zones (the hooks run only then; the sealed policy has its zones at
 * namespace init): a namespace that never uses camfence does not pay for
 * it. cn->lock held, or namespace init. pv->unk is set under unk_lock,
 * which its readers take.
 */
int cf_unknown_enable(struct cf_net *cn)
{
	struct cf_unknown_table *pv = cn->unknown;
	u32 size = cf_limits.unknown_table_size;
	struct cf_unknown *unk;

	if (pv->unk)
		return 0;
	unk = kvcalloc(size, sizeof(*unk), GFP_KERNEL_ACCOUNT);
	if (!unk)
		return -ENOMEM;
	spin_lock_bh(&pv->unk_lock);
	pv->unk = unk;
	pv->unk_size = size;
	spin_unlock_bh(&pv->unk_lock);
	return 0;
}

bool cf_unknown_record(struct cf_net *cn, const u8 *mac,
		       const struct cf_zone *zone, u16 vid,
		       const struct net_device *in, u8 family,
		       const union nf_inet_addr *saddr, u64 *suppressed)
{
	struct cf_unknown_table *pv = cn->unknown;
	struct cf_unknown *u = NULL;
	u64 now = cf_now();
	bool emit;
	u32 i;

	spin_lock_bh(&pv->unk_lock);
	if (unlikely(!pv->unk)) {
		spin_unlock_bh(&pv->unk_lock);
		return false;
	}
	if (pv->unk_hint < pv->unk_used) {
		u = &pv->unk[pv->unk_hint];
		if (!ether_addr_equal(u->mac, mac) || strcmp(u->zone, zone->name))
			u = NULL;
	}
	for (i = 0; !u && i < pv->unk_used; i++) {
		if (ether_addr_equal(pv->unk[i].mac, mac) &&
		    !strcmp(pv->unk[i].zone, zone->name))
			u = &pv->unk[i];
	}
	if (!u) {
		if (pv->unk_used < pv->unk_size) {
			u = &pv->unk[pv->unk_used++];
		} else {
			u = &pv->unk[0];
			for (i = 1; i < pv->unk_used; i++)
				if (pv->unk[i].stamp < u->stamp)
					u = &pv->unk[i];
		}
		memset(u, 0, sizeof(*u));
		ether_addr_copy(u->mac, mac);
		strscpy(u->zone, zone->name, sizeof(u->zone));
		u->first_seen = now;
	}
	pv->unk_hint = u - pv->unk;
	u->vlan = vid;
	if (in)
		strscpy(u->ifname, in->name, sizeof(u->ifname));
	if (family) {
		u->addr.family = family;
		u->addr.addr = *saddr;
	}
	u->last_seen = now;
	u->stamp = ++pv->unk_seq;
	u->packets++;

	emit = cf_tb_take(&pv->unk_tb);
	if (emit) {
		*suppressed = pv->unk_tb.pending;
		pv->unk_tb.pending = 0;
	} else {
		pv->unk_tb.pending++;
	}
	spin_unlock_bh(&pv->unk_lock);
	if (!emit)
		cf_gstat_inc(cn, CF_GS_SUPPRESSED);
	return emit;
}

int cf_unknown_snapshot(struct cf_net *cn, struct cf_unknown_info *out,
			int max)
{
	struct cf_unknown_table *pv = cn->unknown;
	int i, n;

	spin_lock_bh(&pv->unk_lock);
	n = min_t(int, max, pv->unk_used);
	for (i = 0; i < n; i++) {
		const struct cf_unknown *u = &pv->unk[i];
		struct cf_unknown_info *o = &out[i];

		memset(o, 0, sizeof(*o));
		ether_addr_copy(o->mac, u->mac);
		strscpy(o->zone, u->zone, sizeof(o->zone));
		o->vlan = u->vlan;
		strscpy(o->ifname, u->ifname, sizeof(o->ifname));
		o->addr = u->addr;
		o->first_seen = u->first_seen;
		o->last_seen = u->last_seen;
		o->packets = u->packets;
	}
	spin_unlock_bh(&pv->unk_lock);
	return n;
}

int cf_unknown_net_init(struct cf_net *cn)
{
	struct cf_unknown_table *pv;

	pv = kzalloc(sizeof(*pv), GFP_KERNEL_ACCOUNT);
	if (!pv)
		return -ENOMEM;
	spin_lock_init(&pv->unk_lock);
	cf_tb_init(&pv->unk_tb);
	cn->unknown = pv;
	return 0;
}

void cf_unknown_net_exit(struct cf_net *cn)
{
	struct cf_unknown_table *pv = cn->unknown;

	if (!pv)
		return;
	kvfree(pv->unk);
	kfree(pv);
	cn->unknown = NULL;
}
