// SPDX-License-Identifier: GPL-2.0
/*
 * camfence device state: what is kept per MAC across commits (per-CPU
 * counters, last seen, the bridge port, the evidence of denied connections
 * and the event token bucket), the pool the deny path takes evidence
 * tables from, and the namespace's global per-CPU counters.
 *
 * A struct cf_devstate is refcounted: one reference per policy that has
 * the device, one per sysfs directory. The packet path only adds to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/timekeeping.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include "devstate.h"
#include "dns.h"

struct cf_pcpu_stats {
	u64_stats_t c[CF_GS_MAX];
	struct u64_stats_sync syncp;
};

struct cf_pcpu_devstats {
	u64_stats_t c[CF_DS_MAX];
	struct u64_stats_sync syncp;
};

/*
 * The evidence table of a device. Most devices never see a denial, so the
 * table is not part of struct cf_devstate: the deny path takes one from a
 * per-netns pool of preallocated tables (no allocation on the packet path),
 * and a work item refills the pool in process context. While the pool is
 * empty, a denial is kept in last_drop only, and last_drop becomes the
 * first entry of the table attached at the next denial.
 *
 * A burst of first denials from more devices than the pool holds (say 64
 * cameras denied in one softirq, before the refill work can run) leaves
 * the devices past the 32nd with last_drop only: each such denial of a
 * new connection is counted in evidence_not_recorded (global stats).
 * What a device shows does not change (its one evidence entry is then
 * last_drop itself), but a second, different connection denied before a
 * table is attached replaces the first in last_drop, and that loss is
 * what the counter tells.
 */
struct cf_evtable {
	u64 seq;				/* LRU clock */
	u8 n;					/* entries in use */
	u64 stamp[CAMFENCE_EVIDENCE_SLOTS];	/* seq of each one's last hit */
	struct cf_evidence e[CAMFENCE_EVIDENCE_SLOTS];
};

/* Issue 16, target 5: what a device costs.  Lock debugging grows it. */
#if BITS_PER_LONG == 64 && !defined(CONFIG_DEBUG_SPINLOCK) && \
	!defined(CONFIG_DEBUG_LOCK_ALLOC)
static_assert(sizeof(struct cf_devstate) == 144);
#endif

#define CF_EVPOOL_SIZE	32
#define CF_EVPOOL_LOW	16

/* Exact-size caches: kmalloc would round a devstate (144 bytes) up to 192
 * and an evidence table (912) up to 1024.
 */
static struct kmem_cache *cf_ds_cache, *cf_ev_cache;

/* The namespace's part (cn->dsn). */
struct cf_devstate_net {
	struct cf_pcpu_stats __percpu *stats;
	/* pool of evidence tables for the deny path */
	spinlock_t evpool_lock;		/* BH */
	u32 evpool_n;
	bool evpool_on;			/* refills allowed (devices exist) */
	struct cf_evtable *evpool[CF_EVPOOL_SIZE];
	struct work_struct evpool_work;
};

void cf_devstate_put(struct cf_devstate *ds)
{
	if (ds && refcount_dec_and_test(&ds->ref)) {
		free_percpu(ds->stats);
		cf_pname_put(ds->pname);
		if (ds->ev)
			kmem_cache_free(cf_ev_cache, ds->ev);
		cf_dns_free(ds->dns);
		kmem_cache_free(cf_ds_cache, ds);
	}
}

void cf_devstate_get(struct cf_devstate *ds)
{
	refcount_inc(&ds->ref);
}

/* ---- counters ---- */

void cf_gstat_inc(struct cf_net *cn, enum cf_gstat idx)
{
	struct cf_pcpu_stats *s = this_cpu_ptr(cn->dsn->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[idx]);
	u64_stats_update_end(&s->syncp);
}

void cf_stats_event_suppressed(struct cf_net *cn)
{
	struct cf_pcpu_stats *s = get_cpu_ptr(cn->dsn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->c[CF_GS_SUPPRESSED]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(cn->dsn->stats);
}

/* Adds one packet to counter @pkts and, for the counters that have one,
 * @bytes to the byte counter that follows it.
 */
void cf_dstat_add(const struct cf_device *d, enum cf_dstat pkts,
		  unsigned int bytes)
{
	struct cf_pcpu_devstats *s = this_cpu_ptr(d->ds->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[pkts]);
	if (pkts == CF_DS_ALLOWED_PKTS || pkts == CF_DS_DROPPED_PKTS)
		u64_stats_add(&s->c[pkts + 1], bytes);
	u64_stats_update_end(&s->syncp);
}

void cf_device_touch(const struct cf_device *d)
{
	u64 now = cf_now();

	if (READ_ONCE(d->ds->last_seen) != now)
		WRITE_ONCE(d->ds->last_seen, now);
}

/* The larger of the two counter sets (cf_stats_add_cpu()). */
#define CF_STATS_MAX	((int)CF_DS_MAX > (int)CF_GS_MAX ? (int)CF_DS_MAX : \
			 (int)CF_GS_MAX)

/* Adds one CPU's n counters to sum[], read consistently. */
static void cf_stats_add_cpu(const u64_stats_t *c,
			     const struct u64_stats_sync *syncp, int n, u64 *sum)
{
	u64 v[CF_STATS_MAX];
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < n; i++)
			v[i] = u64_stats_read(&c[i]);
	} while (u64_stats_fetch_retry(syncp, start));
	for (i = 0; i < n; i++)
		sum[i] += v[i];
}

void cf_stats_read(struct cf_net *cn, struct cf_stats_info *out)
{
	u64 sum[CF_GS_MAX] = {};
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct cf_pcpu_stats *s = per_cpu_ptr(cn->dsn->stats, cpu);

		cf_stats_add_cpu(s->c, &s->syncp, CF_GS_MAX, sum);
	}
	memset(out, 0, sizeof(*out));
	out->allowed_packets = sum[CF_GS_ALLOWED];
	out->dropped_packets = sum[CF_GS_DROPPED];
	out->unknown_packets = sum[CF_GS_UNKNOWN];
	out->spoofed_packets = sum[CF_GS_SPOOFED];
	out->monitored_packets = sum[CF_GS_MONITORED];
	out->events_suppressed = sum[CF_GS_SUPPRESSED];
	out->unknown_not_recorded = sum[CF_GS_UNKNOWN_NOT_RECORDED];
	out->evidence_not_recorded = sum[CF_GS_EVIDENCE_NOT_RECORDED];
}

static void cf_devstats_read(const struct cf_devstate *ds,
			     struct cf_devstats_info *out)
{
	u64 sum[CF_DS_MAX] = {};
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct cf_pcpu_devstats *s = per_cpu_ptr(ds->stats, cpu);

		cf_stats_add_cpu(s->c, &s->syncp, CF_DS_MAX, sum);
	}
	out->allowed_packets = sum[CF_DS_ALLOWED_PKTS];
	out->allowed_bytes = sum[CF_DS_ALLOWED_BYTES];
	out->dropped_packets = sum[CF_DS_DROPPED_PKTS];
	out->dropped_bytes = sum[CF_DS_DROPPED_BYTES];
	out->monitored_packets = sum[CF_DS_MONITORED_PKTS];
	out->spoofed_packets = sum[CF_DS_SPOOFED_PKTS];
	out->events_suppressed = sum[CF_DS_SUPPRESSED];
}

/* ---- deny path: evidence, rate limits ---- */

void cf_tb_init(struct cf_tbucket *tb)
{
	tb->credit = cf_limits.event_burst * HZ;
	tb->last = get_jiffies_64();
	tb->pending = 0;
}

bool cf_tb_take(struct cf_tbucket *tb)
{
	u64 now = get_jiffies_64();
	u32 max = cf_limits.event_burst * HZ;

	/* min() first: (now - last) * rate may not fit a u32 */
	tb->credit = min_t(u64, max,
			   tb->credit + (now - tb->last) * cf_limits.event_rate);
	tb->last = now;
	if (tb->credit >= HZ) {
		tb->credit -= HZ;
		return true;
	}
	return false;
}

static void cf_evidence_info(const struct cf_evidence *e,
			     struct cf_evidence_info *o)
{
	o->dir = e->dir;
	o->proto = e->proto;
	o->reason = e->reason;
	o->family = e->family;
	o->port = e->port;
	o->peer = e->peer;
	o->count = e->count;
	o->first_seen = e->first_seen;
	o->last_seen = e->last_seen;
}

/* Takes a table from the pool (softirq, ds->lock held); NULL if empty. */
static struct cf_evtable *cf_evpool_take(struct cf_net *cn)
{
	struct cf_devstate_net *pv = cn->dsn;
	struct cf_evtable *ev = NULL;
	bool refill;

	spin_lock(&pv->evpool_lock);
	if (pv->evpool_n)
		ev = pv->evpool[--pv->evpool_n];
	refill = pv->evpool_on && pv->evpool_n < CF_EVPOOL_LOW;
	spin_unlock(&pv->evpool_lock);
	if (refill)
		queue_work(system_unbound_wq, &pv->evpool_work);
	return ev;
}

/* Fills the pool (process context). */
static void cf_evpool_fill(struct cf_devstate_net *pv)
{
	struct cf_evtable *ev;

	for (;;) {
		spin_lock_bh(&pv->evpool_lock);
		if (!pv->evpool_on || pv->evpool_n >= CF_EVPOOL_SIZE) {
			spin_unlock_bh(&pv->evpool_lock);
			return;
		}
		spin_unlock_bh(&pv->evpool_lock);
		ev = kmem_cache_alloc(cf_ev_cache, GFP_KERNEL);
		if (!ev)
			return;
		spin_lock_bh(&pv->evpool_lock);
		if (pv->evpool_on && pv->evpool_n < CF_EVPOOL_SIZE) {
			pv->evpool[pv->evpool_n++] = ev;
			ev = NULL;
		}
		spin_unlock_bh(&pv->evpool_lock);
		if (ev)
			kmem_cache_free(cf_ev_cache, ev);
	}
}

static void cf_evpool_work(struct work_struct *work)
{
	cf_evpool_fill(container_of(work, struct cf_devstate_net, evpool_work));
}

/* Stops the refills and empties the pool (process context). */
static void cf_evpool_drain(struct cf_devstate_net *pv)
{
	spin_lock_bh(&pv->evpool_lock);
	pv->evpool_on = false;
	spin_unlock_bh(&pv->evpool_lock);
	cancel_work_sync(&pv->evpool_work);
	while (pv->evpool_n)
		kmem_cache_free(cf_ev_cache, pv->evpool[--pv->evpool_n]);
}

static bool cf_evidence_match(const struct cf_evidence *c, u8 dir, u8 family,
			      const union nf_inet_addr *peer, u8 proto,
			      u16 port)
{
	return c->dir == dir && c->proto == proto && c->port == port &&
	       cf_addr_eq(c->family, &c->peer, family, peer);
}

bool cf_device_deny(const struct cf_device *d, u8 dir, u8 family,
		    const union nf_inet_addr *peer, u8 proto, u16 port,
		    u8 reason, u64 *suppressed)
{
	struct cf_devstate *ds = d->ds;
	struct cf_evidence *e = NULL;
	struct cf_evtable *ev;
	bool emit, nottable = false;
	u64 now = cf_now();
	u32 i;

	spin_lock_bh(&ds->lock);
	if (!ds->ev) {
		ev = cf_evpool_take(ds->cn);
		if (ev) {
			ev->seq = 0;
			ev->n = 0;
			/* what was kept while there was no table */
			if (ds->last_drop.count) {
				ev->e[0] = ds->last_drop;
				ev->stamp[0] = ++ev->seq;
				ev->n = 1;
			}
			ds->ev = ev;
		}
	}
	ev = ds->ev;
	if (!ev) {
		/* no table yet: last_drop only */
		if (ds->last_drop.count &&
		    cf_evidence_match(&ds->last_drop, dir, family, peer, proto,
				      port))
			e = &ds->last_drop;
	}
	for (i = 0; ev && i < ev->n; i++) {
		struct cf_evidence *c = &ev->e[i];

		if (cf_evidence_match(c, dir, family, peer, proto, port)) {
			e = c;
			break;
		}
	}
	if (!e) {
		if (!ev) {
			/* pool empty: this denial lives in last_drop only */
			nottable = true;
			e = &ds->last_drop;
		} else if (ev->n < CAMFENCE_EVIDENCE_SLOTS) {
			e = &ev->e[ev->n++];
		} else {
			u32 lru = 0;

			for (i = 1; i < CAMFENCE_EVIDENCE_SLOTS; i++)
				if (ev->stamp[i] < ev->stamp[lru])
					lru = i;
			e = &ev->e[lru];
		}
		memset(e, 0, sizeof(*e));
		e->dir = dir;
		e->proto = proto;
		e->port = port;
		e->family = family;
		if (family == AF_INET)
			e->peer.ip = peer->ip;
		else
			e->peer.in6 = peer->in6;
		e->first_seen = now;
	}
	e->reason = reason;
	e->count++;
	e->last_seen = now;
	if (ev)
		ev->stamp[e - ev->e] = ++ev->seq;
	if (e != &ds->last_drop)
		ds->last_drop = *e;

	emit = cf_tb_take(&ds->tb);
	if (emit) {
		*suppressed = ds->tb.pending;
		ds->tb.pending = 0;
	} else if (ds->tb.pending < U32_MAX) {
		ds->tb.pending++;
	}
	spin_unlock_bh(&ds->lock);

	if (nottable)
		cf_gstat_inc(ds->cn, CF_GS_EVIDENCE_NOT_RECORDED);
	if (!emit) {
		cf_dstat_add(d, CF_DS_SUPPRESSED, 0);
		cf_gstat_inc(ds->cn, CF_GS_SUPPRESSED);
	}
	return emit;
}

/* ---- device info ---- */

/* The name of interface ifindex ("" if none or gone). */
static void cf_ifname(struct net *net, int ifindex, char *name)
{
	struct net_device *dev;

	name[0] = '\0';
	if (!ifindex)
		return;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (dev)
		strscpy(name, dev->name, IFNAMSIZ);
	rcu_read_unlock();
}

static void cf_ds_fill(struct cf_devstate *ds, struct cf_device_info *out)
{
	u32 i;

	cf_devstats_read(ds, &out->stats);
	out->last_seen = READ_ONCE(ds->last_seen);
	cf_ifname(ds->cn->net, READ_ONCE(ds->port_ifindex), out->port);
	cf_ifname(ds->cn->net, READ_ONCE(ds->seen_ifindex), out->seen_port);
	spin_lock_bh(&ds->lock);
	out->has_last_drop = ds->last_drop.count != 0;
	if (out->has_last_drop)
		cf_evidence_info(&ds->last_drop, &out->last_drop);
	out->nevidence = 0;
	if (ds->ev) {
		out->nevidence = ds->ev->n;
		for (i = 0; i < ds->ev->n; i++)
			cf_evidence_info(&ds->ev->e[i], &out->evidence[i]);
	} else if (out->has_last_drop) {
		/* no table yet (pool empty): last_drop is its one entry */
		out->nevidence = 1;
		cf_evidence_info(&ds->last_drop, &out->evidence[0]);
	}
	spin_unlock_bh(&ds->lock);
}

void cf_device_fill_info(const struct cf_device *d, struct cf_device_info *out)
{
	u32 i;

	memset(out, 0, sizeof(*out));
	strscpy(out->name, d->name, sizeof(out->name));
	strscpy(out->profile, d->profile->name, sizeof(out->profile));
	ether_addr_copy(out->mac, d->mac);
	out->mode = d->mode;
	out->effective_mode = cf_device_effective_mode(d);
	out->naddrs = d->naddrs;
	for (i = 0; i < d->naddrs; i++)
		out->addrs[i] = d->addrs[i].addr;
	cf_ds_fill(d->ds, out);
}

void cf_devstate_fill_info(struct cf_devstate *ds, struct cf_device_info *out)
{
	u8 m;

	memset(out, 0, sizeof(*out));
	spin_lock_bh(&ds->lock);
	if (ds->pname)
		strscpy(out->profile, ds->pname->name, sizeof(out->profile));
	out->mode = ds->mode;
	spin_unlock_bh(&ds->lock);
	ether_addr_copy(out->mac, ds->mac);
	m = out->mode == CAMFENCE_MODE_DEFAULT ? READ_ONCE(ds->cn->mode) :
						 out->mode;
	out->effective_mode = m == CAMFENCE_MODE_MONITOR ? m :
						CAMFENCE_MODE_ENFORCE;
	cf_ds_fill(ds, out);
}

/* ---- commit ---- */

struct cf_devstate *cf_devstate_new(struct cf_net *cn, const u8 *mac)
{
	struct cf_devstate *ds;
	int cpu;

	ds = kmem_cache_zalloc(cf_ds_cache, GFP_KERNEL);
	if (!ds)
		return NULL;
	ds->stats = alloc_percpu_gfp(struct cf_pcpu_devstats,
				     GFP_KERNEL_ACCOUNT);
	if (!ds->stats) {
		kmem_cache_free(cf_ds_cache, ds);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(ds->stats, cpu)->syncp);
	refcount_set(&ds->ref, 1);
	ds->cn = cn;
	ether_addr_copy(ds->mac, mac);
	spin_lock_init(&ds->lock);
	cf_tb_init(&ds->tb);
	cf_dns_pool_kick();
	return ds;
}

void cf_devstate_set_info(struct cf_devstate *ds, const struct cf_device *d)
{
	struct cf_pname *old;

	cf_pname_get(d->profile->pname);
	spin_lock_bh(&ds->lock);
	old = ds->pname;
	ds->pname = d->profile->pname;
	ds->mode = d->mode;
	spin_unlock_bh(&ds->lock);
	cf_pname_put(old);
}

/* NULL in ds->kobj: no directory; the next cf_sysfs_sync() tries again. */

/* Devices exist: keep the pool filled from now on (cn->lock held). */
void cf_devstate_pool_enable(struct cf_net *cn)
{
	struct cf_devstate_net *pv = cn->dsn;

	spin_lock_bh(&pv->evpool_lock);
	pv->evpool_on = true;
	spin_unlock_bh(&pv->evpool_lock);
	cf_evpool_fill(pv);
}

/* ---- per network namespace ---- */

int cf_devstate_net_init(struct cf_net *cn)
{
	struct cf_devstate_net *pv;
	int cpu;

	pv = kzalloc(sizeof(*pv), GFP_KERNEL_ACCOUNT);
	if (!pv)
		return -ENOMEM;
	pv->stats = alloc_percpu_gfp(struct cf_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!pv->stats) {
		kfree(pv);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pv->stats, cpu)->syncp);
	spin_lock_init(&pv->evpool_lock);
	INIT_WORK(&pv->evpool_work, cf_evpool_work);
	cn->dsn = pv;
	return 0;
}

/* After the policy is gone (its devstates may still be freeing). */
void cf_devstate_net_exit(struct cf_net *cn)
{
	struct cf_devstate_net *pv = cn->dsn;

	if (!pv)
		return;
	cf_evpool_drain(pv);
	free_percpu(pv->stats);
	kfree(pv);
	cn->dsn = NULL;
}

/* ---- module ---- */

int cf_devstate_module_init(void)
{
	cf_ds_cache = kmem_cache_create("camfence_devstate",
					sizeof(struct cf_devstate), 0,
					SLAB_ACCOUNT, NULL);
	cf_ev_cache = kmem_cache_create("camfence_evidence",
					sizeof(struct cf_evtable), 0,
					SLAB_ACCOUNT, NULL);
	if (!cf_ds_cache || !cf_ev_cache) {
		cf_devstate_module_exit();
		return -ENOMEM;
	}
	return 0;
}

void cf_devstate_module_exit(void)
{
	cf_dns_module_exit();
	kmem_cache_destroy(cf_ev_cache);
	kmem_cache_destroy(cf_ds_cache);
	cf_ev_cache = NULL;
	cf_ds_cache = NULL;
}
