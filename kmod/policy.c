// SPDX-License-Identifier: GPL-2.0
/*
 * camfence policy: the transaction builder, the immutable policy object,
 * commit, the device state kept across commits, the global counters and
 * the unknown-device table.
 *
 * A transaction accumulates validated specs. Commit builds a new
 * struct cf_policy (hash tables sized for its contents, random seed),
 * carries the struct cf_devstate of every MAC that persists over, and
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
#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>
#include <linux/refcount.h>
#include <linux/jhash.h>
#include <linux/random.h>
#include <linux/sort.h>
#include <linux/log2.h>
#include <linux/bsearch.h>
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/timekeeping.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/kobject.h>
#include <linux/sched.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack.h>
#include "camfence.h"

#define CF_TXN_HBITS	12
#define CF_TXN_HSIZE	BIT(CF_TXN_HBITS)

/* ---- state kept across commits ---- */

struct cf_pcpu_stats {
	u64_stats_t c[CF_GS_MAX];
	struct u64_stats_sync syncp;
};

struct cf_pcpu_devstats {
	u64_stats_t c[CF_DS_MAX];
	struct u64_stats_sync syncp;
};

struct cf_evidence {
	union nf_inet_addr peer;
	u8 family, proto, dir, reason;
	u16 port;
	u64 count, first_seen, last_seen;
	u64 stamp;			/* sequence of the last hit, for LRU */
};

/*
 * The evidence table of a device. Most devices never see a denial, so the
 * table is not part of struct cf_devstate: the deny path takes one from a
 * per-netns pool of preallocated tables (no allocation on the packet path),
 * and a work item refills the pool in process context. While the pool is
 * empty, a denial is kept in last_drop only, and last_drop becomes the
 * first entry of the table attached at the next denial.
 */
struct cf_evtable {
	struct cf_evidence e[CAMFENCE_EVIDENCE_SLOTS];
};

#define CF_EVPOOL_SIZE	32
#define CF_EVPOOL_LOW	16

/* Token bucket; credit is in 1/HZ events. */
struct cf_tbucket {
	u64 credit;
	u64 last;
	u64 pending;			/* suppressed since the last event */
};

struct cf_devstate {
	refcount_t ref;
	struct cf_net *cn;
	u8 mac[ETH_ALEN];
	struct cf_pcpu_devstats __percpu *stats;
	u64 last_seen;			/* READ_ONCE/WRITE_ONCE */
	/* port security (cf_device_port_ok()): ifindex, READ_ONCE/cmpxchg */
	int port_ifindex;		/* the bridge port it is bound to */
	int seen_ifindex;		/* the bridge port last seen on */
	struct kobject *kobj;		/* cn->lock */

	spinlock_t lock;		/* everything below; BH */
	char name[CAMFENCE_NAME_MAX + 1];
	char profile[CAMFENCE_NAME_MAX + 1];
	u8 mode;
	u8 nevidence;
	bool has_last_drop;
	struct cf_evidence last_drop;
	struct cf_evtable *ev;		/* NULL until the first denial */
	u64 seq;			/* LRU clock of the evidence table */
	struct cf_tbucket tb;
};

/* Exact-size caches: kmalloc would round a devstate (224 bytes) up to 256
 * and an evidence table (896) up to 1024.
 */
static struct kmem_cache *cf_ds_cache, *cf_ev_cache;
/* Frees the policies after their grace period (cf_policy_free_later). */
static struct workqueue_struct *cf_free_wq;

struct cf_unknown {
	u8 mac[ETH_ALEN];
	u16 vlan;
	char zone[CAMFENCE_NAME_MAX + 1];
	char ifname[IFNAMSIZ];
	struct cf_addr addr;
	u64 first_seen, last_seen, packets;
	u64 stamp;
};

struct cf_priv {
	struct cf_pcpu_stats __percpu *stats;
	spinlock_t unk_lock;		/* unk*, unk_tb; BH */
	u32 unk_size, unk_used, unk_hint;
	u64 unk_seq;			/* LRU clock of the unknown table */
	struct cf_unknown *unk;
	struct cf_tbucket unk_tb;
	struct cf_net *cn;
	bool ct_inet;			/* inet conntrack reference held */
	bool ct_bridge;			/* bridge conntrack tried */
	bool ct_bridge_ok;		/* bridge conntrack reference held */
	/* pool of evidence tables for the deny path */
	spinlock_t evpool_lock;		/* BH */
	u32 evpool_n;
	bool evpool_on;			/* refills allowed (devices exist) */
	struct cf_evtable *evpool[CF_EVPOOL_SIZE];
	struct work_struct evpool_work;
	/* sysfs: directories of removed devices not deleted yet, and the
	 * work item that catches up after large commits (cn->lock)
	 */
	struct kobject **sysfs_del;
	u32 sysfs_ndel, sysfs_delcap;
	bool sysfs_queued;
	struct work_struct sysfs_work;
};

/* ---- transactions ---- */

struct cf_txn_profile {
	char name[CAMFENCE_NAME_MAX + 1];
	u32 nrules;
	struct cf_rule *rules;
	u32 name_next;
};

struct cf_txn_dev {
	struct cf_device_spec spec;
	u32 profile;
	u32 addr_first;
	u32 name_next, mac_next;
};

struct cf_txn_addr {
	struct cf_addr addr;
	u32 dev;
	u32 next;
};

struct cf_txn {
	struct cf_net *cn;
	bool mode_set;
	u8 mode;
	u32 seed;
	u32 nzones, zcap;
	struct cf_zone_spec *zones;
	u32 nprofiles, pcap;
	struct cf_txn_profile *profiles;
	u32 ndevs, dcap;
	struct cf_txn_dev *devs;
	u32 naddrs, acap;
	struct cf_txn_addr *addrs;
	u32 *prof_head, *name_head, *mac_head, *addr_head;
	u16 vlan_zone[VLAN_N_VID];
};

static u64 cf_now(void)
{
	return ktime_get_real_seconds();
}

static bool cf_name_valid(const char *s, size_t size)
{
	size_t i, n = strnlen(s, size);

	if (n == 0 || n > CAMFENCE_NAME_MAX || n == size)
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	}
	return true;
}

static u32 cf_hash_name(const char *s, u32 seed)
{
	return jhash(s, strlen(s), seed);
}

static u32 cf_hash_mac(const u8 *mac, u32 seed)
{
	return jhash(mac, ETH_ALEN, seed);
}

static u32 cf_hash_addr(u8 family, const union nf_inet_addr *a, u32 seed)
{
	return jhash2(a->all, family == AF_INET ? 1 : 4, seed ^ family);
}

static bool cf_addr_eq(u8 fa, const union nf_inet_addr *a,
		       u8 fb, const union nf_inet_addr *b)
{
	if (fa != fb)
		return false;
	if (fa == AF_INET)
		return a->ip == b->ip;
	return ipv6_addr_equal(&a->in6, &b->in6);
}

static void cf_addr_norm(struct cf_addr *dst, const struct cf_addr *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = src->family;
	if (src->family == AF_INET)
		dst->addr.ip = src->addr.ip;
	else
		dst->addr.in6 = src->addr.in6;
}

/*
 * Makes room for @need elements of @esz bytes in *arr (capacity *cap),
 * doubling it; the first @used elements, the initialised ones, are copied
 * (kvmalloc_array() does not zero: copying the whole capacity would copy
 * uninitialised memory).
 */
static int cf_grow(void **arr, u32 *cap, u32 used, u32 need, size_t esz)
{
	u32 ncap = *cap ? *cap : 16;
	void *na;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > U32_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	na = kvmalloc_array(ncap, esz, GFP_KERNEL_ACCOUNT);
	if (!na)
		return -ENOMEM;
	if (*arr) {
		memcpy(na, *arr, (size_t)used * esz);
		kvfree(*arr);
	}
	*arr = na;
	*cap = ncap;
	return 0;
}

struct cf_txn *cf_txn_new(struct cf_net *cn)
{
	struct cf_txn *t;

	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->cn = cn;
	t->seed = get_random_u32();
	t->prof_head = kvcalloc(CF_TXN_HSIZE * 4, sizeof(u32),
				GFP_KERNEL_ACCOUNT);
	if (!t->prof_head) {
		kvfree(t);
		return NULL;
	}
	t->name_head = t->prof_head + CF_TXN_HSIZE;
	t->mac_head = t->name_head + CF_TXN_HSIZE;
	t->addr_head = t->mac_head + CF_TXN_HSIZE;
	return t;
}

void cf_txn_free(struct cf_txn *t)
{
	u32 i;

	if (!t)
		return;
	for (i = 0; i < t->nprofiles; i++)
		kvfree(t->profiles[i].rules);
	kvfree(t->profiles);
	kvfree(t->zones);
	kvfree(t->devs);
	kvfree(t->addrs);
	kvfree(t->prof_head);
	kvfree(t);
}

void cf_txn_set_mode(struct cf_txn *t, u8 mode)
{
	t->mode_set = true;
	t->mode = mode;
}

static bool cf_txn_ifname_used(const struct cf_txn *t, const char *name,
			       const char **zone)
{
	u32 i, j;

	for (i = 0; i < t->nzones; i++) {
		for (j = 0; j < t->zones[i].nifs; j++) {
			if (!strcmp(t->zones[i].ifnames[j], name)) {
				*zone = t->zones[i].name;
				return true;
			}
		}
	}
	return false;
}

int cf_txn_add_zone(struct cf_txn *t, const struct cf_zone_spec *spec,
		    struct netlink_ext_ack *extack)
{
	struct cf_net *cn = t->cn;
	struct cf_zone_spec *z;
	const char *other;
	u32 i, j;
	int err;

	if (!cf_name_valid(spec->name, sizeof(spec->name))) {
		cf_set_err(cn, extack, "zone %.32s: invalid name", spec->name);
		return -EINVAL;
	}
	for (i = 0; i < t->nzones; i++) {
		if (!strcmp(t->zones[i].name, spec->name)) {
			cf_set_err(cn, extack, "zone %s: duplicate name", spec->name);
			return -EEXIST;
		}
	}
	if (t->nzones >= cf_limits.max_zones) {
		cf_set_err(cn, extack, "zone %s: too many zones (max_zones=%u)",
			   spec->name, cf_limits.max_zones);
		return -ENOSPC;
	}
	if (spec->unknown > CAMFENCE_ACTION_MAX) {
		cf_set_err(cn, extack, "zone %s: invalid unknown action %u",
			   spec->name, spec->unknown);
		return -EINVAL;
	}
	if (spec->nvlans > CF_MAX_ZONE_VLANS || spec->nifs > CF_MAX_ZONE_IFS) {
		cf_set_err(cn, extack, "zone %s: too many VLANs or interfaces",
			   spec->name);
		return -EINVAL;
	}
	if (!spec->nvlans && !spec->nifs) {
		cf_set_err(cn, extack, "zone %s: no VLAN and no interface",
			   spec->name);
		return -EINVAL;
	}
	for (i = 0; i < spec->nvlans; i++) {
		u16 vid = spec->vlans[i];

		if (vid < 1 || vid > 4094) {
			cf_set_err(cn, extack, "zone %s: VLAN %u out of range 1..4094",
				   spec->name, vid);
			return -EINVAL;
		}
		if (t->vlan_zone[vid]) {
			cf_set_err(cn, extack, "zone %s: VLAN %u already in zone %s",
				   spec->name, vid,
				   t->zones[t->vlan_zone[vid] - 1].name);
			return -EEXIST;
		}
		for (j = 0; j < i; j++) {
			if (spec->vlans[j] == vid) {
				cf_set_err(cn, extack, "zone %s: VLAN %u listed twice",
					   spec->name, vid);
				return -EEXIST;
			}
		}
	}
	for (i = 0; i < spec->nifs; i++) {
		const char *ifn = spec->ifnames[i];
		size_t n = strnlen(ifn, IFNAMSIZ);

		if (n == 0 || n == IFNAMSIZ || !dev_valid_name(ifn)) {
			cf_set_err(cn, extack, "zone %s: invalid interface name",
				   spec->name);
			return -EINVAL;
		}
		if (cf_txn_ifname_used(t, ifn, &other)) {
			cf_set_err(cn, extack,
				   "zone %s: interface %s already in zone %s",
				   spec->name, ifn, other);
			return -EEXIST;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(spec->ifnames[j], ifn)) {
				cf_set_err(cn, extack,
					   "zone %s: interface %s listed twice",
					   spec->name, ifn);
				return -EEXIST;
			}
		}
	}
	err = cf_grow((void **)&t->zones, &t->zcap, t->nzones, t->nzones + 1,
		      sizeof(*z));
	if (err)
		return err;
	z = &t->zones[t->nzones];
	*z = *spec;
	z->name[CAMFENCE_NAME_MAX] = '\0';
	t->nzones++;
	for (i = 0; i < spec->nvlans; i++)
		t->vlan_zone[spec->vlans[i]] = t->nzones;
	return 0;
}

static void cf_prefix_mask(u8 family, u8 plen, union nf_inet_addr *mask)
{
	int i;

	memset(mask, 0, sizeof(*mask));
	if (family == AF_INET) {
		mask->ip = plen ? htonl(~0U << (32 - plen)) : 0;
		return;
	}
	for (i = 0; i < 4; i++, plen = plen > 32 ? plen - 32 : 0) {
		if (plen >= 32)
			mask->ip6[i] = htonl(~0U);
		else if (plen)
			mask->ip6[i] = htonl(~0U << (32 - plen));
	}
}

static int cf_rule_build(struct cf_net *cn, const char *prof, u32 idx,
			 const struct cf_rule_spec *rs, struct cf_rule *r,
			 struct netlink_ext_ack *extack)
{
	u32 i, words;

	memset(r, 0, sizeof(*r));
	if (rs->dir != CAMFENCE_DIR_TO && rs->dir != CAMFENCE_DIR_FROM) {
		cf_set_err(cn, extack, "profile %s rule %u: direction must be to or from",
			   prof, idx + 1);
		return -EINVAL;
	}
	/* any IP protocol: rules on others than TCP/UDP match without ports */
	if (rs->family == AF_INET) {
		if (rs->prefixlen > 32)
			goto bad_prefix;
		if (rs->proto == IPPROTO_ICMPV6) {
			cf_set_err(cn, extack, "profile %s rule %u: icmpv6 with an IPv4 peer",
				   prof, idx + 1);
			return -EINVAL;
		}
	} else if (rs->family == AF_INET6) {
		if (rs->prefixlen > 128)
			goto bad_prefix;
		if (rs->proto == IPPROTO_ICMP) {
			cf_set_err(cn, extack, "profile %s rule %u: icmp with an IPv6 peer",
				   prof, idx + 1);
			return -EINVAL;
		}
	} else if (rs->family) {
		cf_set_err(cn, extack, "profile %s rule %u: bad address family",
			   prof, idx + 1);
		return -EINVAL;
	}
	if (rs->nports > CF_MAX_PORT_RANGES) {
		cf_set_err(cn, extack, "profile %s rule %u: more than %u port ranges",
			   prof, idx + 1, CF_MAX_PORT_RANGES);
		return -EINVAL;
	}
	if (rs->nports && rs->proto != IPPROTO_TCP &&
	    rs->proto != IPPROTO_UDP) {
		cf_set_err(cn, extack, "profile %s rule %u: ports need tcp or udp",
			   prof, idx + 1);
		return -EINVAL;
	}
	for (i = 0; i < rs->nports; i++) {
		if (rs->ports[i].lo > rs->ports[i].hi) {
			cf_set_err(cn, extack, "profile %s rule %u: port range %u-%u is reversed",
				   prof, idx + 1, rs->ports[i].lo, rs->ports[i].hi);
			return -EINVAL;
		}
		r->ports[i] = rs->ports[i];
	}
	r->dir = rs->dir;
	r->family = rs->family;
	r->proto = rs->proto;
	r->nports = rs->nports;
	if (rs->family) {
		cf_prefix_mask(rs->family, rs->prefixlen, &r->mask);
		words = rs->family == AF_INET ? 1 : 4;
		for (i = 0; i < words; i++) {
			r->peer.all[i] = rs->peer.all[i];
			if (r->peer.all[i] & ~r->mask.all[i]) {
				cf_set_err(cn, extack,
					   "profile %s rule %u: host bits set beyond /%u",
					   prof, idx + 1, rs->prefixlen);
				return -EINVAL;
			}
		}
	}
	return 0;

bad_prefix:
	cf_set_err(cn, extack, "profile %s rule %u: prefix length %u too long",
		   prof, idx + 1, rs->prefixlen);
	return -EINVAL;
}

static u32 cf_txn_find_profile(const struct cf_txn *t, const char *name)
{
	u32 i = t->prof_head[cf_hash_name(name, t->seed) & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->profiles[i - 1].name_next) {
		if (!strcmp(t->profiles[i - 1].name, name))
			return i;
	}
	return 0;
}

int cf_txn_add_profile(struct cf_txn *t, const struct cf_profile_spec *spec,
		       struct netlink_ext_ack *extack)
{
	struct cf_net *cn = t->cn;
	struct cf_txn_profile *tp;
	struct cf_rule *rules = NULL;
	u32 i, b;
	int err;

	if (!cf_name_valid(spec->name, sizeof(spec->name))) {
		cf_set_err(cn, extack, "profile %.32s: invalid name", spec->name);
		return -EINVAL;
	}
	if (cf_txn_find_profile(t, spec->name)) {
		cf_set_err(cn, extack, "profile %s: duplicate name", spec->name);
		return -EEXIST;
	}
	if (t->nprofiles >= cf_limits.max_profiles) {
		cf_set_err(cn, extack, "profile %s: too many profiles (max_profiles=%u)",
			   spec->name, cf_limits.max_profiles);
		return -ENOSPC;
	}
	if (spec->nrules > cf_limits.max_rules) {
		cf_set_err(cn, extack, "profile %s: %u rules, more than max_rules=%u",
			   spec->name, spec->nrules, cf_limits.max_rules);
		return -ENOSPC;
	}
	if (spec->nrules) {
		rules = kvmalloc_array(spec->nrules, sizeof(*rules),
				       GFP_KERNEL_ACCOUNT);
		if (!rules)
			return -ENOMEM;
	}
	for (i = 0; i < spec->nrules; i++) {
		err = cf_rule_build(cn, spec->name, i, &spec->rules[i],
				    &rules[i], extack);
		if (err)
			goto err_free;
	}
	err = cf_grow((void **)&t->profiles, &t->pcap, t->nprofiles,
		      t->nprofiles + 1, sizeof(*tp));
	if (err)
		goto err_free;
	tp = &t->profiles[t->nprofiles];
	memset(tp, 0, sizeof(*tp));
	strscpy(tp->name, spec->name, sizeof(tp->name));
	tp->nrules = spec->nrules;
	tp->rules = rules;
	b = cf_hash_name(tp->name, t->seed) & (CF_TXN_HSIZE - 1);
	tp->name_next = t->prof_head[b];
	t->prof_head[b] = ++t->nprofiles;
	return 0;

err_free:
	kvfree(rules);
	return err;
}

static u32 cf_txn_find_dev_name(const struct cf_txn *t, const char *name)
{
	u32 i = t->name_head[cf_hash_name(name, t->seed) & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->devs[i - 1].name_next) {
		if (!strcmp(t->devs[i - 1].spec.name, name))
			return i;
	}
	return 0;
}

static u32 cf_txn_find_dev_mac(const struct cf_txn *t, const u8 *mac)
{
	u32 i = t->mac_head[cf_hash_mac(mac, t->seed) & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->devs[i - 1].mac_next) {
		if (ether_addr_equal(t->devs[i - 1].spec.mac, mac))
			return i;
	}
	return 0;
}

static u32 cf_txn_find_addr(const struct cf_txn *t, const struct cf_addr *a)
{
	u32 h = cf_hash_addr(a->family, &a->addr, t->seed);
	u32 i = t->addr_head[h & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->addrs[i - 1].next) {
		const struct cf_addr *o = &t->addrs[i - 1].addr;

		if (cf_addr_eq(o->family, &o->addr, a->family, &a->addr))
			return i;
	}
	return 0;
}

static int cf_check_addr(struct cf_net *cn, const struct cf_device_spec *spec,
			 const struct cf_addr *a, struct netlink_ext_ack *extack)
{
	if (a->family == AF_INET) {
		if (ipv4_is_zeronet(a->addr.ip) || ipv4_is_multicast(a->addr.ip) ||
		    ipv4_is_lbcast(a->addr.ip) || ipv4_is_loopback(a->addr.ip)) {
			cf_set_err(cn, extack, "device %s: address %pI4 is not a unicast address",
				   spec->name, &a->addr.ip);
			return -EINVAL;
		}
		return 0;
	}
	if (a->family == AF_INET6) {
		int type = ipv6_addr_type(&a->addr.in6);

		if (type == IPV6_ADDR_ANY || (type & IPV6_ADDR_MULTICAST) ||
		    (type & IPV6_ADDR_LOOPBACK)) {
			cf_set_err(cn, extack, "device %s: address %pI6c is not a unicast address",
				   spec->name, &a->addr.in6);
			return -EINVAL;
		}
		return 0;
	}
	cf_set_err(cn, extack, "device %s: bad address family %u", spec->name,
		   a->family);
	return -EINVAL;
}

int cf_txn_add_device(struct cf_txn *t, const struct cf_device_spec *spec,
		      struct netlink_ext_ack *extack)
{
	struct cf_net *cn = t->cn;
	struct cf_addr norm[CF_MAX_DEV_ADDRS];
	struct cf_txn_dev *td;
	u32 i, j, prof, other, b;
	int err;

	if (!cf_name_valid(spec->name, sizeof(spec->name))) {
		cf_set_err(cn, extack, "device %.32s: invalid name", spec->name);
		return -EINVAL;
	}
	other = cf_txn_find_dev_name(t, spec->name);
	if (other) {
		cf_set_err(cn, extack, "device %s: duplicate name", spec->name);
		return -EEXIST;
	}
	if (t->ndevs >= cf_limits.max_devices) {
		cf_set_err(cn, extack, "device %s: too many devices (max_devices=%u)",
			   spec->name, cf_limits.max_devices);
		return -ENOSPC;
	}
	if (!is_valid_ether_addr(spec->mac)) {
		cf_set_err(cn, extack, "device %s: MAC %pM is not a unicast address",
			   spec->name, spec->mac);
		return -EINVAL;
	}
	other = cf_txn_find_dev_mac(t, spec->mac);
	if (other) {
		cf_set_err(cn, extack, "device %s: MAC %pM already used by device %s",
			   spec->name, spec->mac, t->devs[other - 1].spec.name);
		return -EEXIST;
	}
	prof = cf_txn_find_profile(t, spec->profile);
	if (!prof) {
		cf_set_err(cn, extack, "device %s: unknown profile %.32s",
			   spec->name, spec->profile);
		return -ENOENT;
	}
	if (spec->mode > CAMFENCE_MODE_MAX) {
		cf_set_err(cn, extack, "device %s: invalid mode %u", spec->name,
			   spec->mode);
		return -EINVAL;
	}
	if (spec->naddrs > CF_MAX_DEV_ADDRS) {
		cf_set_err(cn, extack, "device %s: more than %u addresses",
			   spec->name, CF_MAX_DEV_ADDRS);
		return -EINVAL;
	}
	for (i = 0; i < spec->naddrs; i++) {
		cf_addr_norm(&norm[i], &spec->addrs[i]);
		err = cf_check_addr(cn, spec, &norm[i], extack);
		if (err)
			return err;
		for (j = 0; j < i; j++) {
			if (cf_addr_eq(norm[j].family, &norm[j].addr,
				       norm[i].family, &norm[i].addr)) {
				cf_set_err(cn, extack, "device %s: address listed twice",
					   spec->name);
				return -EEXIST;
			}
		}
		other = cf_txn_find_addr(t, &norm[i]);
		if (other) {
			const char *on = t->devs[t->addrs[other - 1].dev].spec.name;

			if (norm[i].family == AF_INET)
				cf_set_err(cn, extack, "device %s: address %pI4 already used by device %s",
					   spec->name, &norm[i].addr.ip, on);
			else
				cf_set_err(cn, extack, "device %s: address %pI6c already used by device %s",
					   spec->name, &norm[i].addr.in6, on);
			return -EEXIST;
		}
	}
	err = cf_grow((void **)&t->devs, &t->dcap, t->ndevs, t->ndevs + 1,
		      sizeof(*td));
	if (err)
		return err;
	err = cf_grow((void **)&t->addrs, &t->acap, t->naddrs,
		      t->naddrs + spec->naddrs, sizeof(*t->addrs));
	if (err)
		return err;

	td = &t->devs[t->ndevs];
	memset(td, 0, sizeof(*td));
	td->spec = *spec;
	td->spec.name[CAMFENCE_NAME_MAX] = '\0';
	td->spec.profile[CAMFENCE_NAME_MAX] = '\0';
	td->profile = prof - 1;
	td->addr_first = t->naddrs;
	for (i = 0; i < spec->naddrs; i++) {
		struct cf_txn_addr *ta = &t->addrs[t->naddrs];

		td->spec.addrs[i] = norm[i];
		ta->addr = norm[i];
		ta->dev = t->ndevs;
		b = cf_hash_addr(norm[i].family, &norm[i].addr, t->seed) &
		    (CF_TXN_HSIZE - 1);
		ta->next = t->addr_head[b];
		t->addr_head[b] = ++t->naddrs;
	}
	t->ndevs++;
	b = cf_hash_name(td->spec.name, t->seed) & (CF_TXN_HSIZE - 1);
	td->name_next = t->name_head[b];
	t->name_head[b] = t->ndevs;
	b = cf_hash_mac(td->spec.mac, t->seed) & (CF_TXN_HSIZE - 1);
	td->mac_next = t->mac_head[b];
	t->mac_head[b] = t->ndevs;
	return 0;
}

/* ---- the policy object ---- */

static void cf_ds_put(struct cf_devstate *ds)
{
	if (ds && refcount_dec_and_test(&ds->ref)) {
		free_percpu(ds->stats);
		if (ds->ev)
			kmem_cache_free(cf_ev_cache, ds->ev);
		kmem_cache_free(cf_ds_cache, ds);
	}
}

void cf_devstate_get(struct cf_devstate *ds)
{
	refcount_inc(&ds->ref);
}

void cf_devstate_put(struct cf_devstate *ds)
{
	cf_ds_put(ds);
}

static void cf_policy_free(struct cf_policy *p)
{
	u32 i;

	if (!p)
		return;
	if (p->devices) {
		for (i = 0; i < p->ndevices; i++) {
			cf_ds_put(p->devices[i].ds);
			cond_resched();
		}
	}
	if (p->profiles) {
		for (i = 0; i < p->nprofiles; i++)
			kvfree(p->profiles[i].rules);
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
			strscpy(p->profiles[i].name, t->profiles[i].name,
				sizeof(p->profiles[i].name));
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

static void cf_policy_port_set(const struct cf_policy *p,
			       const struct cf_device *d, int ifindex)
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
	return p->nzones;
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
	if (idx >= p->nzones)
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
	out->naddrs = min_t(u8, d->naddrs, CF_MAX_DEV_ADDRS);
	for (i = 0; i < out->naddrs; i++)
		out->addrs[i] = d->addrs[i].addr;
}

/* Index of the zone (or profile) named name, trying hint first; -1 if none. */
static int cf_policy_zone_idx(const struct cf_policy *p, const char *name,
			      u32 hint)
{
	u32 i;

	if (hint < p->nzones && !strcmp(p->zones[hint].name, name))
		return hint;
	for (i = 0; i < p->nzones; i++)
		if (!strcmp(p->zones[i].name, name))
			return i;
	return -1;
}

static const struct cf_profile *cf_policy_profile_by_name(const struct cf_policy *p,
							  const char *name,
							  u32 hint)
{
	u32 i;

	if (hint < p->nprofiles && !strcmp(p->profiles[hint].name, name))
		return &p->profiles[hint];
	for (i = 0; i < p->nprofiles; i++)
		if (!strcmp(p->profiles[i].name, name))
			return &p->profiles[i];
	return NULL;
}

/*
 * The names are unique on both sides and the counts equal, so finding each
 * object of the transaction, equal, in the policy proves the two are the
 * same. Profiles and zones are compared by name (a linear search when they
 * are not at the same index: at most max_profiles * max_profiles / 2 name
 * comparisons), devices by MAC through the policy's hash table.
 */
bool cf_txn_unchanged(struct cf_net *cn, const struct cf_txn *t)
{
	const struct cf_policy *p;
	const struct cf_profile *pp;
	const struct cf_device *od;
	u32 i, j, nvids = 0, nifs = 0;
	int zi;

	lockdep_assert_held(&cn->lock);
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	if (!cn->generation || p->sealed)
		return false;
	if (t->mode_set && t->mode != cn->mode)
		return false;
	if (t->nzones != p->nzones || t->nprofiles != p->nprofiles ||
	    t->ndevs != p->ndevices || t->naddrs != p->naddrs)
		return false;

	for (i = 0; i < t->nzones; i++) {
		const struct cf_zone_spec *z = &t->zones[i];

		zi = cf_policy_zone_idx(p, z->name, i);
		if (zi < 0 || p->zones[zi].unknown != z->unknown)
			return false;
		for (j = 0; j < z->nvlans; j++)
			if (p->vlan_zone[z->vlans[j]] != zi + 1)
				return false;
		for (j = 0; j < z->nifs; j++)
			if (cf_policy_zone_ifname(p, z->ifnames[j]) !=
			    &p->zones[zi])
				return false;
		nvids += z->nvlans;
		nifs += z->nifs;
	}
	if (nvids != p->nzone_vids || nifs != p->nifzones)
		return false;

	for (i = 0; i < t->nprofiles; i++) {
		const struct cf_txn_profile *tp = &t->profiles[i];

		pp = cf_policy_profile_by_name(p, tp->name, i);
		if (!pp || pp->nrules != tp->nrules ||
		    (tp->nrules && memcmp(pp->rules, tp->rules,
					  tp->nrules * sizeof(*tp->rules))))
			return false;
	}

	for (i = 0; i < t->ndevs; i++) {
		const struct cf_txn_dev *td = &t->devs[i];

		od = cf_policy_dev_by_mac(p, td->spec.mac);
		if (!od || strcmp(od->name, td->spec.name) ||
		    od->mode != td->spec.mode ||
		    od->naddrs != td->spec.naddrs ||
		    strcmp(od->profile->name, t->profiles[td->profile].name))
			return false;
		for (j = 0; j < td->spec.naddrs; j++)
			if (!cf_device_has_addr(od, td->spec.addrs[j].family,
						&td->spec.addrs[j].addr))
				return false;
	}
	return true;
}

/* ---- counters ---- */

void cf_gstat_inc(struct cf_net *cn, enum cf_gstat idx)
{
	struct cf_priv *pv = cn->priv;
	struct cf_pcpu_stats *s = this_cpu_ptr(pv->stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->c[idx]);
	u64_stats_update_end(&s->syncp);
}

void cf_stats_event_suppressed(struct cf_net *cn)
{
	struct cf_priv *pv = cn->priv;
	struct cf_pcpu_stats *s = get_cpu_ptr(pv->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->c[CF_GS_SUPPRESSED]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(pv->stats);
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

/*
 * Port security (switch port security, sticky): the first bridge port a
 * device's MAC is seen on binds it, across commits, until that port is
 * deleted or leaves its bridge. A frame with the device's MAC from any
 * other port is someone taking over the device's identity: false.
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

void cf_stats_read(struct cf_net *cn, struct cf_stats_info *out)
{
	struct cf_priv *pv = cn->priv;
	u64 sum[CF_GS_MAX] = {};
	int cpu, i;

	for_each_possible_cpu(cpu) {
		const struct cf_pcpu_stats *s = per_cpu_ptr(pv->stats, cpu);
		u64 v[CF_GS_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < CF_GS_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < CF_GS_MAX; i++)
			sum[i] += v[i];
	}
	memset(out, 0, sizeof(*out));
	out->allowed_packets = sum[CF_GS_ALLOWED];
	out->dropped_packets = sum[CF_GS_DROPPED];
	out->unknown_packets = sum[CF_GS_UNKNOWN];
	out->spoofed_packets = sum[CF_GS_SPOOFED];
	out->monitored_packets = sum[CF_GS_MONITORED];
	out->events_suppressed = sum[CF_GS_SUPPRESSED];
}

static void cf_devstats_read(const struct cf_devstate *ds,
			     struct cf_devstats_info *out)
{
	u64 sum[CF_DS_MAX] = {};
	int cpu, i;

	for_each_possible_cpu(cpu) {
		const struct cf_pcpu_devstats *s = per_cpu_ptr(ds->stats, cpu);
		u64 v[CF_DS_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < CF_DS_MAX; i++)
				v[i] = u64_stats_read(&s->c[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < CF_DS_MAX; i++)
			sum[i] += v[i];
	}
	out->allowed_packets = sum[CF_DS_ALLOWED_PKTS];
	out->allowed_bytes = sum[CF_DS_ALLOWED_BYTES];
	out->dropped_packets = sum[CF_DS_DROPPED_PKTS];
	out->dropped_bytes = sum[CF_DS_DROPPED_BYTES];
	out->monitored_packets = sum[CF_DS_MONITORED_PKTS];
	out->spoofed_packets = sum[CF_DS_SPOOFED_PKTS];
	out->events_suppressed = sum[CF_DS_SUPPRESSED];
}

/* ---- deny path: evidence, rate limits, unknown table ---- */

static void cf_tb_init(struct cf_tbucket *tb)
{
	tb->credit = (u64)cf_limits.event_burst * HZ;
	tb->last = get_jiffies_64();
	tb->pending = 0;
}

static bool cf_tb_take(struct cf_tbucket *tb)
{
	u64 now = get_jiffies_64();
	u64 max = (u64)cf_limits.event_burst * HZ;

	tb->credit += (now - tb->last) * cf_limits.event_rate;
	if (tb->credit > max)
		tb->credit = max;
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
	struct cf_priv *pv = cn->priv;
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
static void cf_evpool_fill(struct cf_priv *pv)
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
	cf_evpool_fill(container_of(work, struct cf_priv, evpool_work));
}

/* Stops the refills and empties the pool (process context). */
static void cf_evpool_drain(struct cf_priv *pv)
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
	u64 now = cf_now();
	bool emit;
	u32 i;

	spin_lock_bh(&ds->lock);
	if (!ds->ev) {
		ds->ev = cf_evpool_take(ds->cn);
		/* what was kept while there was no table */
		if (ds->ev && ds->has_last_drop) {
			ds->ev->e[0] = ds->last_drop;
			ds->nevidence = 1;
		}
	}
	if (!ds->ev) {
		/* no table yet: last_drop only */
		if (ds->has_last_drop &&
		    cf_evidence_match(&ds->last_drop, dir, family, peer, proto,
				      port))
			e = &ds->last_drop;
	}
	for (i = 0; ds->ev && i < ds->nevidence; i++) {
		struct cf_evidence *c = &ds->ev->e[i];

		if (cf_evidence_match(c, dir, family, peer, proto, port)) {
			e = c;
			break;
		}
	}
	if (!e) {
		if (!ds->ev) {
			e = &ds->last_drop;
		} else if (ds->nevidence < CAMFENCE_EVIDENCE_SLOTS) {
			e = &ds->ev->e[ds->nevidence++];
		} else {
			e = &ds->ev->e[0];
			for (i = 1; i < CAMFENCE_EVIDENCE_SLOTS; i++)
				if (ds->ev->e[i].stamp < e->stamp)
					e = &ds->ev->e[i];
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
	e->stamp = ++ds->seq;
	if (e != &ds->last_drop)
		ds->last_drop = *e;
	ds->has_last_drop = true;

	emit = cf_tb_take(&ds->tb);
	if (emit) {
		*suppressed = ds->tb.pending;
		ds->tb.pending = 0;
	} else {
		ds->tb.pending++;
	}
	spin_unlock_bh(&ds->lock);

	if (!emit) {
		cf_dstat_add(d, CF_DS_SUPPRESSED, 0);
		cf_gstat_inc(ds->cn, CF_GS_SUPPRESSED);
	}
	return emit;
}

/*
 * The unknown-device table is allocated at the namespace's first policy
 * with zones (the hooks run only then; the sealed policy has its zones at
 * namespace init): a namespace that never uses camfence does not pay for
 * it. cn->lock held, or namespace init. pv->unk is set under unk_lock,
 * which its readers take.
 */
static int cf_unknown_alloc(struct cf_priv *pv)
{
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
	struct cf_priv *pv = cn->priv;
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
	struct cf_priv *pv = cn->priv;
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
	out->has_last_drop = ds->has_last_drop;
	if (ds->has_last_drop)
		cf_evidence_info(&ds->last_drop, &out->last_drop);
	out->nevidence = 0;
	if (ds->ev) {
		out->nevidence = ds->nevidence;
		for (i = 0; i < ds->nevidence; i++)
			cf_evidence_info(&ds->ev->e[i], &out->evidence[i]);
	} else if (ds->has_last_drop) {
		/* the table is being attached: last_drop is its entry */
		out->nevidence = 1;
		cf_evidence_info(&ds->last_drop, &out->evidence[0]);
	}
	spin_unlock_bh(&ds->lock);
}

void cf_device_info(const struct cf_device *d, struct cf_device_info *out)
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

void cf_devstate_info(struct cf_devstate *ds, struct cf_device_info *out)
{
	u8 m;

	memset(out, 0, sizeof(*out));
	spin_lock_bh(&ds->lock);
	strscpy(out->name, ds->name, sizeof(out->name));
	strscpy(out->profile, ds->profile, sizeof(out->profile));
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

static struct cf_devstate *cf_ds_new(struct cf_net *cn, const u8 *mac)
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
	return ds;
}

static bool cf_device_same(const struct cf_device *a, const struct cf_device *b)
{
	u32 i;

	if (strcmp(a->name, b->name) || a->mode != b->mode ||
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

static int cf_ct_get(struct cf_net *cn, struct netlink_ext_ack *extack)
{
	struct cf_priv *pv = cn->priv;
	int err;

	if (!pv->ct_inet) {
		err = nf_ct_netns_get(cn->net, NFPROTO_INET);
		if (err) {
			cf_set_err(cn, extack, "cannot enable connection tracking (%d)",
				   err);
			return err;
		}
		pv->ct_inet = true;
	}
	if (!pv->ct_bridge) {
		err = nf_ct_netns_get(cn->net, NFPROTO_BRIDGE);
		if (err) {
			/* Only try once: bridged traffic is then judged
			 * packet by packet (every packet is new).
			 */
			pr_warn_once("no bridge connection tracking (%d), bridged packets are judged one by one\n",
				     err);
			pv->ct_bridge = true;
			return 0;
		}
		pv->ct_bridge = true;
		pv->ct_bridge_ok = true;
	}
	return 0;
}

static void cf_ds_set_info(struct cf_devstate *ds, const struct cf_device *d)
{
	spin_lock_bh(&ds->lock);
	strscpy(ds->name, d->name, sizeof(ds->name));
	strscpy(ds->profile, d->profile->name, sizeof(ds->profile));
	ds->mode = d->mode;
	spin_unlock_bh(&ds->lock);
}

/* NULL in ds->kobj: no directory; the next cf_sysfs_sync() tries again. */
static void cf_sysfs_add(struct cf_net *cn, struct cf_devstate *ds,
			 const char *name)
{
	struct kobject *kobj = cf_sysfs_device_add(cn, ds, name);

	if (IS_ERR(kobj)) {
		pr_warn_ratelimited("device %s: no sysfs directory (%ld)\n",
				    name, PTR_ERR(kobj));
		kobj = NULL;
	}
	ds->kobj = kobj;
}

/* A directory of a removed device: deleted by the next cf_sysfs_sync(). */
static void cf_sysfs_del_later(struct cf_net *cn, struct kobject *kobj)
{
	struct cf_priv *pv = cn->priv;

	if (cf_grow((void **)&pv->sysfs_del, &pv->sysfs_delcap,
		    pv->sysfs_ndel, pv->sysfs_ndel + 1, sizeof(*pv->sysfs_del)))
		cf_sysfs_device_del(kobj);	/* no memory: now */
	else
		pv->sysfs_del[pv->sysfs_ndel++] = kobj;
}

/* Directories handled by the sysfs work between two unlocks. */
#define CF_SYSFS_BATCH	256

/*
 * Brings /sys/kernel/camfence/devices to the active policy: deletes the
 * directories of removed devices, renames, creates the missing ones, then
 * sets sysfs_generation. cn->lock held; from the work item (@work), the
 * lock is dropped between batches of directories so that commits and
 * netlink requests are not held up, and the walk starts over if a commit
 * came in between (what is done already is skipped).
 */
static void cf_sysfs_sync(struct cf_net *cn, bool work)
{
	struct cf_priv *pv = cn->priv;
	char tmp[CAMFENCE_NAME_MAX + 1];
	struct cf_policy *p;
	struct cf_device *d;
	u64 gen;
	u32 i, n = 0;

	lockdep_assert_held(&cn->lock);
restart:
	gen = cn->generation;
	while (pv->sysfs_ndel) {
		cf_sysfs_device_del(pv->sysfs_del[--pv->sysfs_ndel]);
		if (work && ++n % CF_SYSFS_BATCH == 0) {
			mutex_unlock(&cn->lock);
			cond_resched();
			mutex_lock(&cn->lock);
		}
	}
	if (work && gen != cn->generation)
		goto restart;

	/* Renames go through a temporary name that no device can have
	 * ('~' is not allowed in names), so swapping names works. No unlock
	 * between the two passes.
	 */
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (!d->ds->kobj || !strcmp(kobject_name(d->ds->kobj), d->name))
			continue;
		snprintf(tmp, sizeof(tmp), "~%u", i);
		if (cf_sysfs_device_rename(d->ds->kobj, tmp)) {
			cf_sysfs_device_del(d->ds->kobj);
			d->ds->kobj = NULL;
		}
	}
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (!d->ds->kobj || !strcmp(kobject_name(d->ds->kobj), d->name))
			continue;
		if (cf_sysfs_device_rename(d->ds->kobj, d->name)) {
			cf_sysfs_device_del(d->ds->kobj);
			d->ds->kobj = NULL;
		}
	}

	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		if (d->ds->kobj)
			continue;
		cf_sysfs_add(cn, d->ds, d->name);
		if (work && ++n % CF_SYSFS_BATCH == 0) {
			mutex_unlock(&cn->lock);
			cond_resched();
			mutex_lock(&cn->lock);
			if (gen != cn->generation)
				goto restart;
		}
	}
	WRITE_ONCE(cn->sysfs_generation, gen);
}

static void cf_sysfs_work(struct work_struct *work)
{
	struct cf_priv *pv = container_of(work, struct cf_priv, sysfs_work);
	struct cf_net *cn = pv->cn;

	mutex_lock(&cn->lock);
	cf_sysfs_sync(cn, true);
	pv->sysfs_queued = false;
	mutex_unlock(&cn->lock);
}

/*
 * After a commit (cn->lock held): @n directories to create, rename or
 * delete. Up to sysfs_sync_max of them are handled before the commit
 * replies; a larger change, or one while the work item is still catching
 * up, is left to the work item.
 */
static void cf_sysfs_update(struct cf_net *cn, u32 n)
{
	struct cf_priv *pv = cn->priv;

	if (!cn->sysfs) {
		while (pv->sysfs_ndel)
			cf_sysfs_device_del(pv->sysfs_del[--pv->sysfs_ndel]);
		WRITE_ONCE(cn->sysfs_generation, cn->generation);
		return;
	}
	if (pv->sysfs_queued || n > cf_limits.sysfs_sync_max) {
		pv->sysfs_queued = true;
		queue_work(system_unbound_wq, &pv->sysfs_work);
		return;
	}
	cf_sysfs_sync(cn, false);
}

int cf_txn_commit(struct cf_net *cn, struct cf_txn *t,
		  struct cf_commit_result *res, struct netlink_ext_ack *extack)
{
	struct cf_policy *old, *p;
	struct cf_device *d;
	const struct cf_device *od;
	u32 i, added = 0, removed = 0, changed = 0, unchanged = 0;
	u32 nsysfs = 0;
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
	err = cf_ct_get(cn, extack);
	if (err)
		goto err_txn;

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
			if (READ_ONCE(d->ds->port_ifindex))
				cf_policy_port_set(p, d,
						   READ_ONCE(d->ds->port_ifindex));
		} else {
			d->ds = cf_ds_new(cn, d->mac);
			if (!d->ds) {
				cf_set_err(cn, extack, "device %s: out of memory",
					   d->name);
				goto err_policy;
			}
		}
	}

	if (p->nzones) {
		/* what the hooks use, at the first policy with zones */
		err = cf_unknown_alloc(cn->priv);
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
	for (i = 0; i < old->ndevices; i++) {
		od = &old->devices[i];
		if (cf_policy_dev_by_mac(p, od->mac))
			continue;
		removed++;
		if (od->ds->kobj) {
			cf_sysfs_del_later(cn, od->ds->kobj);
			od->ds->kobj = NULL;
			nsysfs++;
		}
	}
	for (i = 0; i < p->ndevices; i++) {
		d = &p->devices[i];
		od = old->sealed ? NULL : cf_policy_dev_by_mac(old, d->mac);
		if (!od)
			added++;
		else if (cf_device_same(d, od))
			unchanged++;
		else
			changed++;
		if (!d->ds->kobj ||
		    strcmp(kobject_name(d->ds->kobj), d->name))
			nsysfs++;
		cf_ds_set_info(d->ds, d);
	}

	if (t->mode_set)
		WRITE_ONCE(cn->mode, t->mode);
	rcu_assign_pointer(cn->policy, p);
	/* sysfs and GET_STATS read these without cn->lock */
	WRITE_ONCE(cn->generation, cn->generation + 1);
	WRITE_ONCE(cn->sealed, false);
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
	if (!p->nzones)
		cf_hooks_set(cn, false);
	cf_sysfs_update(cn, nsysfs);
	if (p->ndevices) {
		struct cf_priv *pv = cn->priv;

		spin_lock_bh(&pv->evpool_lock);
		pv->evpool_on = true;
		spin_unlock_bh(&pv->evpool_lock);
		cf_evpool_fill(pv);
	}

	if (res) {
		res->generation = cn->generation;
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
	struct cf_priv *pv;
	struct cf_txn *t;
	int cpu, err = -ENOMEM;

	pv = kzalloc(sizeof(*pv), GFP_KERNEL);
	if (!pv)
		return -ENOMEM;
	pv->stats = alloc_percpu(struct cf_pcpu_stats);
	if (!pv->stats)
		goto err_pv;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pv->stats, cpu)->syncp);
	spin_lock_init(&pv->unk_lock);
	spin_lock_init(&pv->evpool_lock);
	INIT_WORK(&pv->evpool_work, cf_evpool_work);
	INIT_WORK(&pv->sysfs_work, cf_sysfs_work);
	pv->cn = cn;
	cf_tb_init(&pv->unk_tb);
	if (sealed) {
		err = cf_unknown_alloc(pv);
		if (err)
			goto err_stats;
	}
	cn->priv = pv;

	err = -ENOMEM;
	t = cf_txn_new(cn);
	if (!t)
		goto err_unk;
	if (sealed) {
		err = cf_txn_add_zone(t, sealed, NULL);
		if (err) {
			cf_txn_free(t);
			goto err_unk;
		}
	}
	p = cf_policy_build(t);
	cf_txn_free(t);
	if (!p) {
		err = -ENOMEM;
		goto err_unk;
	}
	p->sealed = !!sealed;
	RCU_INIT_POINTER(cn->policy, p);
	return 0;

err_unk:
	cn->priv = NULL;
	kvfree(pv->unk);
err_stats:
	free_percpu(pv->stats);
err_pv:
	kfree(pv);
	return err;
}

void cf_policy_net_unpublish(struct cf_net *cn)
{
	struct cf_priv *pv = cn->priv;
	struct cf_policy *p;
	u32 i;

	/* no commit can queue it again: the namespace is going away */
	cancel_work_sync(&pv->sysfs_work);
	mutex_lock(&cn->lock);
	pv->sysfs_queued = false;
	while (pv->sysfs_ndel)
		cf_sysfs_device_del(pv->sysfs_del[--pv->sysfs_ndel]);
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	for (i = 0; i < p->ndevices; i++) {
		struct cf_devstate *ds = p->devices[i].ds;

		if (ds->kobj)
			cf_sysfs_device_del(ds->kobj);
		ds->kobj = NULL;
	}
	mutex_unlock(&cn->lock);
}

void cf_policy_net_exit(struct cf_net *cn)
{
	struct cf_priv *pv = cn->priv;
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
	cf_policy_free_later(p);
	cf_evpool_drain(pv);
	kvfree(pv->sysfs_del);

	if (pv->ct_bridge_ok)
		nf_ct_netns_put(cn->net, NFPROTO_BRIDGE);
	if (pv->ct_inet)
		nf_ct_netns_put(cn->net, NFPROTO_INET);
	kvfree(pv->unk);
	free_percpu(pv->stats);
	kfree(pv);
	cn->priv = NULL;
}

/* ---- module ---- */

int cf_policy_module_init(void)
{
	cf_ds_cache = kmem_cache_create("camfence_devstate",
					sizeof(struct cf_devstate), 0,
					SLAB_ACCOUNT, NULL);
	cf_ev_cache = kmem_cache_create("camfence_evidence",
					sizeof(struct cf_evtable), 0,
					SLAB_ACCOUNT, NULL);
	cf_free_wq = alloc_workqueue("camfence_free", WQ_UNBOUND, 0);
	if (!cf_ds_cache || !cf_ev_cache || !cf_free_wq) {
		cf_policy_module_exit();
		return -ENOMEM;
	}
	return 0;
}

/*
 * After rcu_barrier(): every policy's grace period is over and its free
 * work queued; destroy_workqueue() runs them, which frees every devstate.
 */
void cf_policy_module_exit(void)
{
	if (cf_free_wq)
		destroy_workqueue(cf_free_wq);
	cf_free_wq = NULL;
	kmem_cache_destroy(cf_ev_cache);
	kmem_cache_destroy(cf_ds_cache);
	cf_ev_cache = NULL;
	cf_ds_cache = NULL;
}
