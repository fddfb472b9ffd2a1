// SPDX-License-Identifier: GPL-2.0
/*
 * camfence unknown-device table: the MACs seen in a zone that no device
 * claims, with where and when, for `camfencectl unknown`.
 *
 * A camera VLAN may hold a hostile device that sends frames from random
 * source MACs, so the packet path must stay cheap and bounded whatever the
 * frames are:
 *
 * - Entries hang in a hash table of per-bucket spinlocks (seeded jhash of
 *   the MAC, see below), so CPUs receiving frames of different MACs do not
 *   serialise on one lock, and a lookup walks one short chain instead of
 *   the whole table. The buckets are a power of two >= unknown_table_size.
 * - The table holds at most unknown_table_size entries (preallocated, so
 *   the packet path never allocates). Once they are all in use, a new MAC
 *   replaces the least recently seen of CF_UNK_SCAN entries taken by a clock
 *   hand: an approximation of LRU with a bounded scan, never a scan of the
 *   whole table. The victim's bucket lock is only tried (a CPU holds one
 *   bucket lock and tries a second), a busy victim is skipped.
 * - New entries are rate limited per CPU (unknown_new_rate per second,
 *   unknown_new_burst): above it a frame from a MAC the table does not hold
 *   is counted (unknown_packets, unknown_not_recorded) but not recorded. The
 *   zone's unknown action applies to it as to any unknown frame (the hooks
 *   decide it, not this file). A MAC already in the table is always updated.
 * - Events for unknown devices are rate limited per CPU as well
 *   (event_rate, event_burst): no lock is shared between CPUs per frame.
 *
 * Zones and commits: the hooks pass the zone as its index in the policy's
 * zone array, and the fast path compares indexes, not names. A commit may
 * renumber the zones, so an entry also keeps its zone's name and the
 * identity of the policy its index was resolved in (the policy's address
 * and its random seed). The hash covers the MAC only (not the zone index),
 * so that after a commit a MAC still finds its entry: the first packet under
 * the new policy compares the names once and re-resolves the index; an
 * entry whose zone is gone (or renamed) keeps its old name for the
 * snapshot, is no longer matched, and ages out through the clock. A MAC
 * can only be in a bucket once per zone, so the zones do not lengthen a
 * chain beyond max_zones entries of one MAC. (Two policies with the same
 * address and the same 32-bit seed would be taken for one: the odds are
 * 2^-32 per reuse of an address, and the cost is packets counted on the
 * entry of the zone that had that index.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/log2.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include "unknown.h"
#include "devstate.h"

/* Entries a replacement looks at (from the clock hand). */
#define CF_UNK_SCAN	8
#define CF_UNK_FREE	U32_MAX

struct cf_unknown {
	struct hlist_node node;		/* in buckets[bucket], bucket's lock */
	/*
	 * The bucket it is hashed in, CF_UNK_FREE while it is not: written
	 * under that bucket's lock (set before the entry is added, cleared
	 * when it is taken out), READ_ONCE by a replacement choosing victims.
	 */
	u32 bucket;
	unsigned long seen;		/* jiffies of the last packet, READ_ONCE */
	unsigned long pol;		/* the policy zidx belongs to (identity) */
	u32 pseed;			/* and its seed */
	u16 zidx;
	u16 vlan;
	u8 mac[ETH_ALEN];
	char zone[CAMFENCE_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
	struct cf_addr addr;
	u64 first_seen, last_seen, packets;
};

struct cf_unk_bucket {
	spinlock_t lock;		/* the chain and its entries; BH */
	struct hlist_head head;
};

/* Per CPU: the new-entry and the event token buckets (BH disabled). */
struct cf_unk_pcpu {
	u64 new_credit, new_last;	/* credit in 1/HZ entries */
	struct cf_tbucket tb;		/* events of unknown devices */
};

/* The namespace's table (cn->unknown). */
struct cf_unknown_table {
	u32 seed;
	u32 size;			/* entries, unknown_table_size */
	u32 hmask;			/* buckets - 1 */
	atomic_t used;			/* entries handed out, <= size */
	atomic_t hand;			/* clock hand of the replacement */
	struct cf_unknown *unk;		/* size entries; NULL until enabled */
	struct cf_unk_bucket *buckets;
	struct cf_unk_pcpu __percpu *pcpu;
};

static void cf_unk_pcpu_init(struct cf_unk_pcpu *r)
{
	r->new_credit = (u64)cf_limits.unknown_new_burst * HZ;
	r->new_last = get_jiffies_64();
	cf_tb_init(&r->tb);
}

/*
 * The unknown-device table is allocated at the namespace's first policy
 * with zones (the hooks run only then; the sealed policy has its zones at
 * namespace init): a namespace that never uses camfence does not pay for
 * it. cn->lock held, or namespace init; published with smp_store_release()
 * after everything it points to is initialised, read with
 * smp_load_acquire() by the hooks and the snapshot.
 */
int cf_unknown_enable(struct cf_net *cn)
{
	struct cf_unknown_table *pv = cn->unknown;
	u32 size = cf_limits.unknown_table_size;
	u32 nb = roundup_pow_of_two(size);
	struct cf_unk_bucket *b;
	struct cf_unknown *unk;
	u32 i;
	int cpu;

	if (pv->unk)
		return 0;
	unk = kvcalloc(size, sizeof(*unk), GFP_KERNEL_ACCOUNT);
	b = kvcalloc(nb, sizeof(*b), GFP_KERNEL_ACCOUNT);
	pv->pcpu = alloc_percpu_gfp(struct cf_unk_pcpu, GFP_KERNEL_ACCOUNT);
	if (!unk || !b || !pv->pcpu) {
		kvfree(unk);
		kvfree(b);
		free_percpu(pv->pcpu);
		pv->pcpu = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < nb; i++) {
		spin_lock_init(&b[i].lock);
		INIT_HLIST_HEAD(&b[i].head);
	}
	for (i = 0; i < size; i++)
		unk[i].bucket = CF_UNK_FREE;
	for_each_possible_cpu(cpu)
		cf_unk_pcpu_init(per_cpu_ptr(pv->pcpu, cpu));
	pv->seed = get_random_u32();
	pv->size = size;
	pv->hmask = nb - 1;
	atomic_set(&pv->used, 0);
	atomic_set(&pv->hand, 0);
	pv->buckets = b;
	/* pairs with the acquire in the readers: the table before its use */
	smp_store_release(&pv->unk, unk);
	return 0;
}

/* A token for a new entry from this CPU's bucket (BH disabled). */
static bool cf_unk_new_ok(struct cf_unknown_table *pv)
{
	struct cf_unk_pcpu *r = this_cpu_ptr(pv->pcpu);
	u64 max = (u64)cf_limits.unknown_new_burst * HZ;
	u64 now = get_jiffies_64();

	r->new_credit += (now - r->new_last) * cf_limits.unknown_new_rate;
	if (r->new_credit > max)
		r->new_credit = max;
	r->new_last = now;
	if (r->new_credit < HZ)
		return false;
	r->new_credit -= HZ;
	return true;
}

/* Takes u out of bucket bi (its lock held). */
static struct cf_unknown *cf_unk_unhash(struct cf_unknown *u)
{
	hlist_del_init(&u->node);
	WRITE_ONCE(u->bucket, CF_UNK_FREE);
	return u;
}

/*
 * An entry for a new MAC in bucket bi (whose lock is held): an unused one
 * while there are some, else the least recently seen of CF_UNK_SCAN from
 * the clock hand, taken out of its bucket. An entry between two buckets
 * (CF_UNK_FREE: being handed out by another CPU) is not a candidate. NULL
 * if the candidates' buckets were busy twice.
 */
static struct cf_unknown *cf_unk_get(struct cf_unknown_table *pv, u32 bi)
{
	struct cf_unknown *u, *victim;
	u32 start, i, vb;
	int n, tries;

	n = atomic_fetch_add_unless(&pv->used, 1, pv->size);
	if (n < pv->size)
		return &pv->unk[n];

	for (tries = 0; tries < 2; tries++) {
		start = (u32)atomic_fetch_add(CF_UNK_SCAN, &pv->hand);
		victim = NULL;
		for (i = 0; i < CF_UNK_SCAN; i++) {
			u = &pv->unk[(start + i) % pv->size];
			if (READ_ONCE(u->bucket) == CF_UNK_FREE)
				continue;
			if (!victim || time_before(READ_ONCE(u->seen),
						   READ_ONCE(victim->seen)))
				victim = u;
		}
		if (!victim)
			continue;
		vb = READ_ONCE(victim->bucket);
		if (vb == CF_UNK_FREE)
			continue;
		if (vb == bi)
			return cf_unk_unhash(victim);
		if (!spin_trylock(&pv->buckets[vb].lock))
			continue;
		/*
		 * Under vb's lock, bucket == vb means hashed in vb: it may
		 * have moved since it was chosen.
		 */
		u = READ_ONCE(victim->bucket) == vb ? cf_unk_unhash(victim) :
						      NULL;
		spin_unlock(&pv->buckets[vb].lock);
		if (u)
			return u;
	}
	return NULL;
}

/* Is u the entry of (mac, zone zidx of p)? Bucket lock held. */
static bool cf_unk_match(struct cf_unknown *u, const u8 *mac,
			 const struct cf_policy *p, u16 zidx)
{
	if (!ether_addr_equal(u->mac, mac))
		return false;
	if (likely(u->pol == (unsigned long)p && u->pseed == p->seed))
		return u->zidx == zidx;
	/* recorded under another policy: the zone may have a new index */
	if (strcmp(u->zone, p->zones[zidx].name))
		return false;
	u->pol = (unsigned long)p;
	u->pseed = p->seed;
	u->zidx = zidx;
	return true;
}

bool cf_unknown_record(struct cf_net *cn, const u8 *mac,
		       const struct cf_policy *p, u32 zidx, u16 vid,
		       const struct net_device *in, u8 family,
		       const union nf_inet_addr *saddr, u64 *suppressed)
{
	struct cf_unknown_table *pv = cn->unknown;
	struct cf_unknown *u = NULL, *unk;
	struct cf_unk_bucket *b;
	struct cf_unk_pcpu *r;
	bool emit, recorded = true;
	u32 bi;

	/* pairs with cf_unknown_enable(): buckets and pcpu are set */
	unk = smp_load_acquire(&pv->unk);
	if (unlikely(!unk))
		return false;
	bi = cf_hash_mac(mac, pv->seed) & pv->hmask;
	b = &pv->buckets[bi];

	spin_lock_bh(&b->lock);
	hlist_for_each_entry(u, &b->head, node) {
		if (cf_unk_match(u, mac, p, zidx))
			break;
	}
	if (!u) {
		u = cf_unk_new_ok(pv) ? cf_unk_get(pv, bi) : NULL;
		if (u) {
			/* node and bucket are set below, under this lock */
			memset(&u->addr, 0, sizeof(u->addr));
			u->ifname[0] = '\0';
			u->packets = 0;
			ether_addr_copy(u->mac, mac);
			u->pol = (unsigned long)p;
			u->pseed = p->seed;
			u->zidx = zidx;
			strscpy(u->zone, p->zones[zidx].name, sizeof(u->zone));
			u->first_seen = cf_now();
			WRITE_ONCE(u->bucket, bi);
			hlist_add_head(&u->node, &b->head);
		} else {
			recorded = false;
		}
	}
	if (u) {
		u->vlan = vid;
		if (in)
			strscpy(u->ifname, in->name, sizeof(u->ifname));
		if (family) {
			u->addr.family = family;
			u->addr.addr = *saddr;
		}
		u->last_seen = cf_now();
		WRITE_ONCE(u->seen, jiffies);
		u->packets++;
	}

	/* still BH disabled: this CPU's event bucket */
	r = this_cpu_ptr(pv->pcpu);
	emit = cf_tb_take(&r->tb);
	if (emit) {
		*suppressed = r->tb.pending;
		r->tb.pending = 0;
	} else if (r->tb.pending < U32_MAX) {
		r->tb.pending++;
	}
	spin_unlock_bh(&b->lock);
	if (!recorded)
		cf_gstat_inc(cn, CF_GS_UNKNOWN_NOT_RECORDED);
	if (!emit)
		cf_gstat_inc(cn, CF_GS_SUPPRESSED);
	return emit;
}

int cf_unknown_snapshot(struct cf_net *cn, struct cf_unknown_info *out,
			int max)
{
	struct cf_unknown_table *pv = cn->unknown;
	const struct cf_unknown *u;
	struct cf_unk_bucket *b;
	struct cf_unknown *unk;
	int n = 0;
	u32 i;

	/* pairs with cf_unknown_enable(): buckets are set */
	unk = smp_load_acquire(&pv->unk);
	if (!unk)
		return 0;
	for (i = 0; i <= pv->hmask && n < max; i++) {
		b = &pv->buckets[i];
		spin_lock_bh(&b->lock);
		hlist_for_each_entry(u, &b->head, node) {
			struct cf_unknown_info *o = &out[n];

			if (n >= max)
				break;
			memset(o, 0, sizeof(*o));
			ether_addr_copy(o->mac, u->mac);
			strscpy(o->zone, u->zone, sizeof(o->zone));
			o->vlan = u->vlan;
			strscpy(o->ifname, u->ifname, sizeof(o->ifname));
			o->addr = u->addr;
			o->first_seen = u->first_seen;
			o->last_seen = u->last_seen;
			o->packets = u->packets;
			n++;
		}
		spin_unlock_bh(&b->lock);
		cond_resched();
	}
	return n;
}

int cf_unknown_net_init(struct cf_net *cn)
{
	struct cf_unknown_table *pv;

	pv = kzalloc(sizeof(*pv), GFP_KERNEL_ACCOUNT);
	if (!pv)
		return -ENOMEM;
	cn->unknown = pv;
	return 0;
}

void cf_unknown_net_exit(struct cf_net *cn)
{
	struct cf_unknown_table *pv = cn->unknown;

	if (!pv)
		return;
	kvfree(pv->unk);
	kvfree(pv->buckets);
	free_percpu(pv->pcpu);
	kfree(pv);
	cn->unknown = NULL;
}
