// SPDX-License-Identifier: GPL-2.0
/*
 * camfence policy: the immutable policy object and its commit.
 *
 * cf_policy_build() turns a transaction (txn.c) into a struct cf_policy
 * (hash tables sized for its contents, random seed). Commit carries the
 * struct cf_devstate (devstate.c) of every MAC that persists over and
 * publishes it with rcu_assign_pointer() under cn->lock. The old policy is
 * freed after a grace period by a work item (queue_rcu_work()), in process
 * context: a policy of 100,000 devices is too much to free in one RCU
 * callback in softirq. It holds one reference on each of its devices'
 * state, so state of removed devices goes with it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/log2.h>
#include <linux/bsearch.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include "policy.h"
#include "txn.h"
#include "devstate.h"
#include "unknown.h"
#include "events.h"
#include "hooks.h"
#include "sysfs.h"

/* Frees the policies after their grace period (cf_policy_free_later). */
static struct workqueue_struct *cf_free_wq;

struct cf_pname *cf_pname_get(struct cf_pname *pn)
{
	if (pn)
		refcount_inc(&pn->ref);
	return pn;
}

/* Any context: the last reference may be a device state's. */
void cf_pname_put(struct cf_pname *pn)
{
	if (pn && refcount_dec_and_test(&pn->ref))
		kfree(pn);
}

static void cf_policy_free(struct cf_policy *p)
{
	u32 i;

	if (!p)
		return;
	if (p->devices) {
		for (i = 0; i < p->ndevices; i++) {
			cf_devstate_put(p->devices[i].ds);
			cond_resched();
		}
	}
	if (p->profiles) {
		for (i = 0; i < p->nprofiles; i++) {
			kvfree(p->profiles[i].rules);
			cf_pname_put(p->profiles[i].pname);
		}
	}
	kvfree(p->profiles);
	kvfree(p->zones);
	kvfree(p->vlan_zone);
	kfree(p->zone_vids);
	kvfree(p->ifzones);
	kvfree(p->devices);
	kvfree(p->addrs);
	kvfree(p->mac_head);
	kvfree(p->addr_head);
	kvfree(p->ports);
	kfree(p);
}

static void cf_policy_free_work(struct work_struct *work)
{
	cf_policy_free(container_of(to_rcu_work(work), struct cf_policy,
				    rwork));
}

/* Frees p, no longer published, once the RCU readers are done with it. */
static void cf_policy_free_later(struct cf_policy *p)
{
	INIT_RCU_WORK(&p->rwork, cf_policy_free_work);
	queue_rcu_work(cf_free_wq, &p->rwork);
}

static int cf_ifzone_cmp(const void *a, const void *b)
{
	const struct cf_ifzone *x = a, *y = b;

	return strncmp(x->name, y->name, IFNAMSIZ);
}

static u32 cf_hsize(u32 n)
{
	return roundup_pow_of_two(max_t(u32, n, 8));
}

/* Builds the immutable policy from a transaction; takes over its rules. */
/* The VIDs that have a zone, ascending (bridge VLAN resolution). */
static int cf_policy_build_zone_vids(struct cf_policy *p)
{
	u32 n = 0, vid;

	for (vid = 1; vid < VLAN_N_VID; vid++)
		n += !!p->vlan_zone[vid];
	if (!n)
		return 0;
	p->zone_vids = kcalloc(n, sizeof(u16), GFP_KERNEL_ACCOUNT);
	if (!p->zone_vids)
		return -ENOMEM;
	for (vid = 1; vid < VLAN_N_VID; vid++)
		if (p->vlan_zone[vid])
			p->zone_vids[p->nzone_vids++] = vid;
	return 0;
}

static struct cf_policy *cf_policy_build(struct cf_txn *t)
{
	struct cf_policy *p;
	u32 i, j, k, b;

	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return NULL;
	p->seed = get_random_u32();

	if (t->nzones) {
		p->zones = kvcalloc(t->nzones, sizeof(*p->zones),
				    GFP_KERNEL_ACCOUNT);
		p->vlan_zone = kvmalloc_array(VLAN_N_VID, sizeof(u16),
					      GFP_KERNEL_ACCOUNT);
		if (!p->zones || !p->vlan_zone)
			goto err;
		memcpy(p->vlan_zone, t->vlan_zone, sizeof(t->vlan_zone));
		if (cf_policy_build_zone_vids(p))
			goto err;
		for (i = 0; i < t->nzones; i++) {
			strscpy(p->zones[i].name, t->zones[i].name,
				sizeof(p->zones[i].name));
			p->zones[i].unknown = t->zones[i].unknown;
			p->nifzones += t->zones[i].nifs;
		}
		p->nzones = t->nzones;
		p->nconf_zones = t->nzones;
		if (t->seal) {
			p->nconf_zones--;
			p->zones[p->nconf_zones].sealed = true;
			p->nseal_vids = t->zones[p->nconf_zones].nvlans;
			p->nseal_ifs = t->zones[p->nconf_zones].nifs;
		}
	}
	if (p->nifzones) {
		p->ifzones = kvcalloc(p->nifzones, sizeof(*p->ifzones),
				      GFP_KERNEL_ACCOUNT);
		if (!p->ifzones)
			goto err;
		for (i = 0, k = 0; i < t->nzones; i++) {
			for (j = 0; j < t->zones[i].nifs; j++, k++) {
				strscpy(p->ifzones[k].name,
					t->zones[i].ifnames[j], IFNAMSIZ);
				p->ifzones[k].zone = i;
			}
		}
		sort(p->ifzones, p->nifzones, sizeof(*p->ifzones),
		     cf_ifzone_cmp, NULL);
	}

	if (t->nprofiles) {
		p->profiles = kvcalloc(t->nprofiles, sizeof(*p->profiles),
				       GFP_KERNEL_ACCOUNT);
		if (!p->profiles)
			goto err;
		p->nprofiles = t->nprofiles;
		for (i = 0; i < t->nprofiles; i++) {
			struct cf_pname *pn;

			strscpy(p->profiles[i].name, t->profiles[i].name,
				sizeof(p->profiles[i].name));
			pn = kmalloc(sizeof(*pn), GFP_KERNEL_ACCOUNT);
			if (!pn)
				goto err;
			refcount_set(&pn->ref, 1);
			strscpy(pn->name, t->profiles[i].name, sizeof(pn->name));
			p->profiles[i].pname = pn;
			p->profiles[i].nrules = t->profiles[i].nrules;
			p->profiles[i].rules = t->profiles[i].rules;
			t->profiles[i].rules = NULL;
			t->profiles[i].nrules = 0;
		}
	}

	p->dev_hmask = cf_hsize(t->ndevs) - 1;
	p->addr_hmask = cf_hsize(t->naddrs) - 1;
	p->mac_head = kvcalloc((p->dev_hmask + 1) * 2, sizeof(u32),
			       GFP_KERNEL_ACCOUNT);
	p->addr_head = kvcalloc(p->addr_hmask + 1, sizeof(u32),
				GFP_KERNEL_ACCOUNT);
	if (!p->mac_head || !p->addr_head)
		goto err;
	p->name_head = p->mac_head + p->dev_hmask + 1;

	if (t->naddrs) {
		p->addrs = kvcalloc(t->naddrs, sizeof(*p->addrs),
				    GFP_KERNEL_ACCOUNT);
		if (!p->addrs)
			goto err;
		for (i = 0; i < t->naddrs; i++) {
			struct cf_addr_ent *e = &p->addrs[i];

			e->addr = t->addrs[i].addr;
			e->dev = t->addrs[i].dev;
			b = cf_hash_addr(e->addr.family, &e->addr.addr,
					 p->seed) & p->addr_hmask;
			e->next = p->addr_head[b];
			p->addr_head[b] = i + 1;
		}
		p->naddrs = t->naddrs;
	}
	if (t->ndevs) {
		p->devices = kvcalloc(t->ndevs, sizeof(*p->devices),
				      GFP_KERNEL_ACCOUNT);
		if (!p->devices)
			goto err;
		for (i = 0; i < t->ndevs; i++) {
			const struct cf_txn_dev *td = &t->devs[i];
			struct cf_device *d = &p->devices[i];

			strscpy(d->name, td->spec.name, sizeof(d->name));
			ether_addr_copy(d->mac, td->spec.mac);
			d->mode = td->spec.mode;
			strscpy(d->port, td->spec.port, sizeof(d->port));
			d->naddrs = td->spec.naddrs;
			d->addrs = d->naddrs ? &p->addrs[td->addr_first] : NULL;
			d->profile = &p->profiles[td->profile];
			b = cf_hash_mac(d->mac, p->seed) & p->dev_hmask;
			d->mac_next = p->mac_head[b];
			p->mac_head[b] = i + 1;
			b = cf_hash_name(d->name, p->seed) & p->dev_hmask;
			d->name_next = p->name_head[b];
			p->name_head[b] = i + 1;
		}
		p->ndevices = t->ndevs;
		/* the bridge port of each device, at most one per device */
		p->port_hmask = cf_hsize(2 * t->ndevs) - 1;
		p->ports = kvcalloc(p->port_hmask + 1, sizeof(*p->ports),
				    GFP_KERNEL_ACCOUNT);
		if (!p->ports)
			goto err;
	}
	return p;

err:
	cf_policy_free(p);
	return NULL;
}

/* ---- lookups (RCU readers, or cn->lock) ---- */

const struct cf_zone *cf_policy_zone_vid(const struct cf_policy *p, u16 vid)
{
	u16 z;

	if (!p->vlan_zone || vid >= VLAN_N_VID)
		return NULL;
	z = p->vlan_zone[vid];
	return z ? &p->zones[z - 1] : NULL;
}

static int cf_ifzone_key_cmp(const void *key, const void *elt)
{
	const struct cf_ifzone *z = elt;

	return strncmp(key, z->name, IFNAMSIZ);
}

const struct cf_zone *cf_policy_zone_ifname(const struct cf_policy *p,
					    const char *ifname)
{
	const struct cf_ifzone *z;

	if (!p->nifzones)
		return NULL;
	z = bsearch(ifname, p->ifzones, p->nifzones, sizeof(*z),
		    cf_ifzone_key_cmp);
	return z ? &p->zones[z->zone] : NULL;
}

const struct cf_device *cf_policy_dev_by_mac(const struct cf_policy *p,
					     const u8 *mac)
{
	u32 i;

	if (!p->ndevices)
		return NULL;
	i = p->mac_head[cf_hash_mac(mac, p->seed) & p->dev_hmask];
	for (; i; i = p->devices[i - 1].mac_next) {
		if (ether_addr_equal(p->devices[i - 1].mac, mac))
			return &p->devices[i - 1];
	}
	return NULL;
}

/*
 * The device behind a bridge port: an open-addressing table keyed by
 * ifindex, written lock-free from the packet path when a device's port is
 * learned (cf_device_port_ok()) and seeded at commit. Entries are never
 * removed while the policy lives; a port's device is the last one bound
 * to it (one device per access port: see docs/ARCHITECTURE.md).
 */
static struct cf_portent *cf_policy_port_slot(const struct cf_policy *p,
					      int ifindex, bool insert)
{
	u32 b, i;
	int old;

	if (!p->ports)
		return NULL;
	b = jhash_1word(ifindex, p->seed) & p->port_hmask;
	for (i = 0; i <= p->port_hmask; i++, b = (b + 1) & p->port_hmask) {
		struct cf_portent *e = &p->ports[b];

		old = READ_ONCE(e->ifindex);
		if (!old && insert)
			old = cmpxchg(&e->ifindex, 0, ifindex);
		if (old == ifindex || (!old && insert))
			return e;
		if (!old)
			return NULL;
	}
	return NULL;
}

void cf_policy_port_set(const struct cf_policy *p, const struct cf_device *d,
			int ifindex)
{
	struct cf_portent *e = cf_policy_port_slot(p, ifindex, true);
	u32 idx = d - p->devices + 1;

	if (e && READ_ONCE(e->dev) != idx)
		WRITE_ONCE(e->dev, idx);
}

const struct cf_device *cf_policy_port_dev(const struct cf_policy *p,
					   int ifindex)
{
	const struct cf_portent *e = cf_policy_port_slot(p, ifindex, false);
	u32 idx = e ? READ_ONCE(e->dev) : 0;

	return idx ? &p->devices[idx - 1] : NULL;
}

const struct cf_device *cf_policy_dev_by_addr(const struct cf_policy *p,
					      u8 family,
					      const union nf_inet_addr *a)
{
	u32 i;

	if (!p->naddrs)
		return NULL;
	i = p->addr_head[cf_hash_addr(family, a, p->seed) & p->addr_hmask];
	for (; i; i = p->addrs[i - 1].next) {
		const struct cf_addr_ent *e = &p->addrs[i - 1];

		if (cf_addr_eq(e->addr.family, &e->addr.addr, family, a))
			return &p->devices[e->dev];
	}
	return NULL;
}

bool cf_device_has_addr(const struct cf_device *d, u8 family,
			const union nf_inet_addr *a)
{
	u32 i;

	for (i = 0; i < d->naddrs; i++) {
		if (cf_addr_eq(d->addrs[i].addr.family, &d->addrs[i].addr.addr,
			       family, a))
			return true;
	}
	return false;
}

static bool cf_rule_match(const struct cf_rule *r, u8 family,
			  const union nf_inet_addr *peer, u8 proto, u16 port)
{
	u32 i;

	if (r->family) {
		if (r->family != family)
			return false;
		if (family == AF_INET) {
			if ((peer->ip & r->mask.ip) != r->peer.ip)
				return false;
		} else {
			for (i = 0; i < 4; i++)
				if ((peer->ip6[i] & r->mask.ip6[i]) != r->peer.ip6[i])
					return false;
		}
	}
	if (r->proto && r->proto != proto)
		return false;
	if (!r->nports)
		return true;
	for (i = 0; i < r->nports; i++) {
		if (port >= r->ports[i].lo && port <= r->ports[i].hi)
			return true;
	}
	return false;
}

bool cf_device_allows(const struct cf_device *d, u8 dir, u8 family,
		      const union nf_inet_addr *peer, u8 proto, u16 port)
{
	const struct cf_profile *prof = d->profile;
	u32 i;

	for (i = 0; i < prof->nrules; i++) {
		if (prof->rules[i].dir == dir &&
		    cf_rule_match(&prof->rules[i], family, peer, proto, port))
			return true;
	}
	return false;
}

u8 cf_device_effective_mode(const struct cf_device *d)
{
	u8 m = d->mode;

	if (m == CAMFENCE_MODE_DEFAULT)
		m = READ_ONCE(d->ds->cn->mode);
	return m == CAMFENCE_MODE_MONITOR ? m : CAMFENCE_MODE_ENFORCE;
}

struct cf_policy *cf_policy_rcu(struct cf_net *cn)
{
	return rcu_dereference_check(cn->policy, lockdep_is_held(&cn->lock));
}

u32 cf_policy_device_count(const struct cf_policy *p)
{
	return p->ndevices;
}

struct cf_device *cf_policy_device(const struct cf_policy *p, u32 idx)
{
	return idx < p->ndevices ? &p->devices[idx] : NULL;
}

struct cf_device *cf_policy_find_device(const struct cf_policy *p,
					const char *name)
{
	u32 i;

	if (!p->ndevices)
		return NULL;
	i = p->name_head[cf_hash_name(name, p->seed) & p->dev_hmask];
	for (; i; i = p->devices[i - 1].name_next) {
		if (!strcmp(p->devices[i - 1].name, name))
			return &p->devices[i - 1];
	}
	return NULL;
}

/* ---- reading the configuration back (GET_POLICY, no-op commits) ---- */

bool cf_policy_sealed(const struct cf_policy *p)
{
	return p->sealed;
}

u32 cf_policy_zone_count(const struct cf_policy *p)
{
	return p->nconf_zones;
}

u32 cf_policy_profile_count(const struct cf_policy *p)
{
	return p->nprofiles;
}

void cf_policy_zone_spec(const struct cf_policy *p, u32 idx,
			 struct cf_zone_spec *out)
{
	u32 i;

	memset(out, 0, sizeof(*out));
	if (idx >= p->nconf_zones)
		return;
	strscpy(out->name, p->zones[idx].name, sizeof(out->name));
	out->unknown = p->zones[idx].unknown;
	for (i = 0; i < p->nzone_vids && out->nvlans < CF_MAX_ZONE_VLANS; i++)
		if (p->vlan_zone[p->zone_vids[i]] == idx + 1)
			out->vlans[out->nvlans++] = p->zone_vids[i];
	for (i = 0; i < p->nifzones && out->nifs < CF_MAX_ZONE_IFS; i++)
		if (p->ifzones[i].zone == idx)
			strscpy(out->ifnames[out->nifs++], p->ifzones[i].name,
				IFNAMSIZ);
}

const char *cf_policy_profile(const struct cf_policy *p, u32 idx, u32 *nrules)
{
	if (idx >= p->nprofiles) {
		*nrules = 0;
		return NULL;
	}
	*nrules = p->profiles[idx].nrules;
	return p->profiles[idx].name;
}

static u8 cf_mask_len(u8 family, const union nf_inet_addr *mask)
{
	u32 i, n = 0;

	for (i = 0; i < (family == AF_INET ? 1 : 4); i++)
		n += hweight32(mask->all[i]);
	return n;
}

void cf_policy_rule_spec(const struct cf_policy *p, u32 pidx, u32 ridx,
			 struct cf_rule_spec *out)
{
	const struct cf_rule *r;

	memset(out, 0, sizeof(*out));
	if (pidx >= p->nprofiles || ridx >= p->profiles[pidx].nrules)
		return;
	r = &p->profiles[pidx].rules[ridx];
	out->dir = r->dir;
	out->family = r->family;
	out->proto = r->proto;
	out->peer = r->peer;
	if (r->family)
		out->prefixlen = cf_mask_len(r->family, &r->mask);
	out->nports = min_t(u8, r->nports, CF_MAX_PORT_RANGES);
	memcpy(out->ports, r->ports, out->nports * sizeof(out->ports[0]));
}

void cf_device_spec_of(const struct cf_device *d, struct cf_device_spec *out)
{
	u32 i;

	memset(out, 0, sizeof(*out));
	strscpy(out->name, d->name, sizeof(out->name));
	strscpy(out->profile, d->profile->name, sizeof(out->profile));
	ether_addr_copy(out->mac, d->mac);
	out->mode = d->mode;
	strscpy(out->port, d->port, sizeof(out->port));
	out->naddrs = min_t(u8, d->naddrs, CF_MAX_DEV_ADDRS);
	for (i = 0; i < out->naddrs; i++)
		out->addrs[i] = d->addrs[i].addr;
}

/* Index of the zone (or profile) named name, trying hint first; -1 if none. */

/*
 * Port security (switch port security, sticky): the first bridge port a
 * device's MAC is seen on binds it, across commits, until that port is
 * deleted or leaves its bridge. A frame with the device's MAC from any
 * other port is someone taking over the device's identity: false.
 *
 * A device with a configured port passes only from the interface of that
 * name (names survive the port's re-creation, ifindexes do not), from its
 * first frame on: no first sighting to win. It is bound to that port when
 * seen there (the egress judgement looks the port's device up).
 */
bool cf_device_port_ok(const struct cf_policy *p, const struct cf_device *d,
		       const struct net_device *in)
{
	struct cf_devstate *ds = d->ds;
	int idx = in->ifindex, bound, old;
	struct net_device *bdev;

	if (READ_ONCE(ds->seen_ifindex) != idx)
		WRITE_ONCE(ds->seen_ifindex, idx);
	bound = READ_ONCE(ds->port_ifindex);
	if (d->port[0]) {
		if (strncmp(in->name, d->port, IFNAMSIZ))
			return false;
		if (bound != idx) {
			WRITE_ONCE(ds->port_ifindex, idx);
			cf_policy_port_set(p, d, idx);
		}
		return true;
	}
	if (bound == idx)
		return true;
	if (bound) {
		bdev = dev_get_by_index_rcu(dev_net(in), bound);
		if (bdev && netif_is_bridge_port(bdev))
			return false;
	}
	old = cmpxchg(&ds->port_ifindex, bound, idx);
	if (old != bound)
		return old == idx;
	cf_policy_port_set(p, d, idx);
	return true;
}

int cf_device_port(const struct cf_device *d)
{
	return READ_ONCE(d->ds->port_ifindex);
}

/* ---- commit ---- */

static bool cf_device_same(const struct cf_device *a, const struct cf_device *b)
{
	u32 i;

	if (strcmp(a->name, b->name) || a->mode != b->mode ||
	    strcmp(a->port, b->port) ||
	    a->naddrs != b->naddrs || strcmp(a->profile->name, b->profile->name))
		return false;
	if (a->profile->nrules != b->profile->nrules ||
	    (a->profile->nrules &&
	     memcmp(a->profile->rules, b->profile->rules,
		    a->profile->nrules * sizeof(struct cf_rule))))
		return false;
	for (i = 0; i < a->naddrs; i++) {
		if (!cf_device_has_addr(b, a->addrs[i].addr.family,
					&a->addrs[i].addr.addr))
			return false;
	}
	return true;
}

/*
 * The conntrack references the hooks need: inet (required) and bridge
 * (bridged traffic is judged packet by packet without it). A failure to
 * get the bridge one is tried again at the next commit. Taken by a commit
 * of a policy with zones (before its hooks are registered), dropped by
 * cf_ct_put() once a commit without zones unregistered the hooks: a
 * flushed namespace keeps neither conntrack nor defragmentation enabled
 * on camfence's account.
 */
static int cf_ct_get(struct cf_net *cn, struct netlink_ext_ack *extack)
{
	int err;

	if (!cn->ct_inet) {
		err = nf_ct_netns_get(cn->net, NFPROTO_INET);
		if (err) {
			cf_set_err(cn, extack, "cannot enable connection tracking (%d)",
				   err);
			return err;
		}
		cn->ct_inet = true;
	}
	if (!cn->ct_bridge_ok) {
		err = nf_ct_netns_get(cn->net, NFPROTO_BRIDGE);
		if (err) {
			pr_warn_ratelimited("no bridge connection tracking (%d), bridged packets are judged one by one until a commit gets it\n",
					    err);
			return 0;
		}
		WRITE_ONCE(cn->ct_bridge_ok, true);
	}
	return 0;
}

/*
 * The bridge port binding a device takes into the new policy p (od: the
 * same MAC's device in the policy it replaces, or NULL). A configured port
 * that changed, or was added or removed, drops the learned binding: this
 * is how an operator clears one (the device is learned anew, or bound to
 * its configured port). A device whose configured interface exists and is
 * a bridge port is bound to it at once, before it is seen, so that the
 * egress judgement knows the port's device (to nothing while there is no
 * such bridge port: it is bound when seen there). Called past the point of no
 * return: the devstate is shared with the old policy's packets in flight,
 * which at most bind the device to a port the old policy let it use.
 */
static void cf_device_port_commit(struct cf_net *cn, struct cf_policy *p,
				  struct cf_device *d,
				  const struct cf_device *od)
{
	struct cf_devstate *ds = d->ds;
	struct net_device *dev;
	int idx;

	if (od && strcmp(d->port, od->port))
		WRITE_ONCE(ds->port_ifindex, 0);
	if (d->port[0]) {
		rcu_read_lock();
		dev = dev_get_by_name_rcu(cn->net, d->port);
		idx = dev && netif_is_bridge_port(dev) ? dev->ifindex : 0;
		rcu_read_unlock();
		WRITE_ONCE(ds->port_ifindex, idx);
	}
	idx = READ_ONCE(ds->port_ifindex);
	if (idx)
		cf_policy_port_set(p, d, idx);
}

static void cf_ct_put(struct cf_net *cn)
{
	if (cn->ct_bridge_ok)
		nf_ct_netns_put(cn->net, NFPROTO_BRIDGE);
	if (cn->ct_inet)
		nf_ct_netns_put(cn->net, NFPROTO_INET);
	WRITE_ONCE(cn->ct_bridge_ok, false);
	cn->ct_inet = false;
}

int cf_txn_commit(struct cf_net *cn, struct cf_txn *t,
		  struct cf_commit_result *res, struct netlink_ext_ack *extack)
{
	struct cf_policy *old, *p;
	struct cf_device *d;
	const struct cf_device *od;
	u32 i, added = 0, removed = 0, changed = 0, unchanged = 0;
	int err;

	lockdep_assert_held(&cn->lock);
	old = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));

	if (t->ndevs > cf_limits.max_devices ||
	    t->nprofiles > cf_limits.max_profiles ||
	    t->nzones > cf_limits.max_zones) {
		cf_set_err(cn, extack, "policy over a limit (max_devices=%u max_profiles=%u max_zones=%u)",
			   cf_limits.max_devices, cf_limits.max_profiles,
			   cf_limits.max_zones);
		err = -ENOSPC;
		goto err_txn;
	}
	/* the sealed VLANs and interfaces the new zones leave uncovered */
	err = cf_txn_add_seal(t, cf_sealed_spec(cn));
	if (err) {
		cf_set_err(cn, extack, "out of memory sealing the VLANs and interfaces in no zone");
		goto err_txn;
	}
	if (t->nzones) {
		err = cf_ct_get(cn, extack);
		if (err)
			goto err_txn;
	}

	err = -ENOMEM;
	p = cf_policy_build(t);
	if (!p) {
		cf_set_err(cn, extack, "out of memory building the policy");
		goto err_txn;
	}
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		od = old->sealed ? NULL : cf_policy_dev_by_mac(old, d->mac);
		if (od) {
			refcount_inc(&od->ds->ref);
			d->ds = od->ds;
		} else {
			d->ds = cf_devstate_new(cn, d->mac);
			if (!d->ds) {
				cf_set_err(cn, extack, "device %s: out of memory",
					   d->name);
				goto err_policy;
			}
		}
	}

	if (p->nzones) {
		/* what the hooks use, at the first policy with zones */
		err = cf_unknown_enable(cn);
		if (!err)
			err = cf_events_enable(cn);
		if (err) {
			cf_set_err(cn, extack, "out of memory for the unknown-device table and the events");
			goto err_policy;
		}
		err = cf_hooks_set(cn, true);
		if (err) {
			cf_set_err(cn, extack, "cannot register the netfilter hooks (%d)",
				   err);
			goto err_policy;
		}
	}

	/* Point of no return: publish, then update sysfs. */
	for (i = 0; i < old->ndevices; i++)
		removed += !cf_policy_dev_by_mac(p, old->devices[i].mac);
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		od = old->sealed ? NULL : cf_policy_dev_by_mac(old, d->mac);
		if (!od)
			added++;
		else if (cf_device_same(d, od))
			unchanged++;
		else
			changed++;
		cf_device_port_commit(cn, p, d, od);
		cf_devstate_set_info(d->ds, d);
	}

	if (t->mode_set)
		WRITE_ONCE(cn->mode, t->mode);
	rcu_assign_pointer(cn->policy, p);
	/* sysfs and GET_STATS read these without cn->lock */
	atomic64_inc(&cn->generation);
	WRITE_ONCE(cn->sealed, false);
	/* before the old policy goes: sysfs takes its removed devices */
	cf_sysfs_commit(cn, old);
	cf_policy_free_later(old);
	/*
	 * Wait for the packets in flight under the old policy (or mode), so
	 * that once the commit returns no packet is judged by the policy it
	 * replaced: the hooks judge every packet of every connection against
	 * the current policy (hooks.c, cf_conn_of()), and this makes "the
	 * commit returned" the point from which that holds.
	 */
	synchronize_net();
	cf_txn_free(t);
	if (!p->nzones) {
		/* unregistering waits for the packets in flight */
		cf_hooks_set(cn, false);
		cf_ct_put(cn);
	}
	if (p->ndevices)
		cf_devstate_pool_enable(cn);

	if (res) {
		res->generation = cf_generation(cn);
		res->added = added;
		res->removed = removed;
		res->changed = changed;
		res->unchanged = unchanged;
	}
	return 0;

err_policy:
	cf_policy_free(p);
err_txn:
	cf_txn_free(t);
	/* no hooks (no zones before, or their registration failed) */
	if (!cn->hooks_on)
		cf_ct_put(cn);
	return err;
}

int cf_flush(struct cf_net *cn, struct cf_commit_result *res,
	     struct netlink_ext_ack *extack)
{
	struct cf_txn *t = cf_txn_new(cn);

	if (!t) {
		cf_set_err(cn, extack, "out of memory");
		return -ENOMEM;
	}
	return cf_txn_commit(cn, t, res, extack);
}

void cf_set_mode(struct cf_net *cn, u8 mode)
{
	WRITE_ONCE(cn->mode, mode);
	/* the packets in flight that read the old mode are done: see below */
	synchronize_net();
}

/* ---- per network namespace ---- */

int cf_policy_net_init(struct cf_net *cn, const struct cf_zone_spec *sealed)
{
	struct cf_policy *p;
	struct cf_txn *t;
	int err;

	if (sealed) {
		err = cf_unknown_enable(cn);
		if (err)
			return err;
	}
	t = cf_txn_new(cn);
	if (!t)
		return -ENOMEM;
	if (sealed) {
		err = cf_txn_add_seal(t, sealed);
		if (err) {
			cf_txn_free(t);
			return err;
		}
	}
	p = cf_policy_build(t);
	cf_txn_free(t);
	if (!p)
		return -ENOMEM;
	p->sealed = !!sealed;
	RCU_INIT_POINTER(cn->policy, p);
	return 0;
}

void cf_policy_net_exit(struct cf_net *cn)
{
	struct cf_policy *p;

	mutex_lock(&cn->lock);
	cf_txn_free(cn->txn);
	cn->txn = NULL;
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	RCU_INIT_POINTER(cn->policy, NULL);
	mutex_unlock(&cn->lock);
	/* The hooks are unregistered (which waited for the packets in
	 * flight); readers that remain are RCU readers of other paths.
	 */
	if (p)
		cf_policy_free_later(p);
	cf_ct_put(cn);
}

/* ---- module ---- */

int cf_policy_module_init(void)
{
	cf_free_wq = alloc_workqueue("camfence_free", WQ_UNBOUND, 0);
	return cf_free_wq ? 0 : -ENOMEM;
}

/*
 * After rcu_barrier(): every policy's grace period is over and its free
 * work queued; destroy_workqueue() runs them, which frees every devstate
 * (before cf_devstate_module_exit() destroys their caches).
 */
void cf_policy_module_exit(void)
{
	if (cf_free_wq)
		destroy_workqueue(cf_free_wq);
	cf_free_wq = NULL;
}
