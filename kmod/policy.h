/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence policy (policy.c): the immutable policy object, its lookups and
 * the commit that swaps it.
 */
#ifndef _CF_POLICY_H
#define _CF_POLICY_H

#include <linux/jhash.h>
#include <linux/refcount.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include "camfence.h"

/*
 * ---- data plane internals, shared by policy.c and hooks.c only ----
 *
 * A committed struct cf_policy is immutable: readers (the hooks, under the
 * RCU read lock netfilter holds) follow its pointers without locks. The
 * hash chains are arrays of indexes (index + 1, 0 ends a chain) so the
 * tables can be built in one pass and freed with one kvfree each.
 */

struct cf_zone {
	char name[CAMFENCE_NAME_MAX + 1];
	u8 unknown;			/* enum camfence_action */
	bool sealed;			/* the seal: every packet dropped */
};

struct cf_ifzone {
	char name[IFNAMSIZ];
	u32 zone;
};

struct cf_rule {
	u8 dir, family, proto, nports;
	union nf_inet_addr peer, mask;
	struct camfence_port_range ports[CF_MAX_PORT_RANGES];
};

/*
 * A profile's name, refcounted: the policy's profile holds one reference
 * and every device state that shows the name (devstate.c) holds one, so a
 * device's sysfs directory reads its profile without the policy and without
 * a copy of the name per device.
 */
struct cf_pname {
	refcount_t ref;
	char name[CAMFENCE_NAME_MAX + 1];
};

struct cf_pname *cf_pname_get(struct cf_pname *pn);
void cf_pname_put(struct cf_pname *pn);

struct cf_profile {
	char name[CAMFENCE_NAME_MAX + 1];
	struct cf_pname *pname;
	u32 nrules;
	struct cf_rule *rules;
};

struct cf_addr_ent {
	struct cf_addr addr;
	u32 dev;			/* index into cf_policy.devices */
	u32 next;			/* chain: index + 1, 0 ends */
};

struct cf_device {
	char name[CAMFENCE_NAME_MAX + 1];
	u8 mac[ETH_ALEN];
	u8 mode;			/* enum camfence_mode */
	u8 naddrs;
	const struct cf_addr_ent *addrs; /* naddrs entries */
	const struct cf_profile *profile;
	char port[IFNAMSIZ];		/* configured bridge port, "" = learned */
	struct cf_devstate *ds;		/* one reference per policy */
	u32 mac_next, name_next;	/* chains: index + 1, 0 ends */
};

struct cf_portent {
	int ifindex;			/* 0: free; set once (cmpxchg) */
	u32 dev;			/* device index + 1, WRITE_ONCE */
};

struct cf_policy {
	struct rcu_work rwork;		/* frees it after a grace period */
	bool sealed;			/* the boot-time policy: the seal only */
	u32 seed;
	u32 nzones, nifzones, nprofiles, ndevices, naddrs;
	/*
	 * zones[0..nconf_zones) are the configured zones; a last one, when
	 * nzones > nconf_zones, is the seal (cf_txn_add_seal()): the sealed
	 * VLANs and interfaces no configured zone covers, nseal_vids VIDs and
	 * nseal_ifs interfaces of the tables below.
	 */
	u32 nconf_zones, nseal_vids, nseal_ifs;
	u32 dev_hmask, addr_hmask;
	struct cf_zone *zones;
	u16 *vlan_zone;			/* VLAN_N_VID entries: zone index + 1 */
	u16 *zone_vids;			/* the VIDs with a zone, ascending */
	u32 nzone_vids;
	struct cf_ifzone *ifzones;	/* sorted by name */
	struct cf_profile *profiles;
	struct cf_device *devices;
	struct cf_addr_ent *addrs;
	u32 *mac_head, *name_head;	/* dev_hmask + 1 buckets */
	u32 *addr_head;			/* addr_hmask + 1 buckets */
	struct cf_portent *ports;	/* port_hmask + 1: bridge port -> device */
	u32 port_hmask;
};

const struct cf_zone *cf_policy_zone_vid(const struct cf_policy *p, u16 vid);
const struct cf_zone *cf_policy_zone_ifname(const struct cf_policy *p,
					    const char *ifname);
const struct cf_device *cf_policy_dev_by_mac(const struct cf_policy *p,
					     const u8 *mac);
const struct cf_device *cf_policy_dev_by_addr(const struct cf_policy *p,
					      u8 family,
					      const union nf_inet_addr *a);
const struct cf_device *cf_policy_port_dev(const struct cf_policy *p,
					   int ifindex);
bool cf_device_port_ok(const struct cf_policy *p, const struct cf_device *d,
		       const struct net_device *in);
int cf_device_port(const struct cf_device *d);
bool cf_device_has_addr(const struct cf_device *d, u8 family,
			const union nf_inet_addr *a);
/* Does the device's profile have a rule for this connection? */
bool cf_device_allows(const struct cf_device *d, u8 dir, u8 family,
		      const union nf_inet_addr *peer, u8 proto, u16 port);
u8 cf_device_effective_mode(const struct cf_device *d);

/* Port security (sticky bridge port, devstate.c keeps it) */
void cf_policy_port_set(const struct cf_policy *p, const struct cf_device *d,
			int ifindex);

/* ---- reading (any context, under rcu_read_lock) ---- */

struct cf_policy *cf_policy_rcu(struct cf_net *cn);
u32 cf_policy_device_count(const struct cf_policy *p);
struct cf_device *cf_policy_device(const struct cf_policy *p, u32 idx);
struct cf_device *cf_policy_find_device(const struct cf_policy *p,
					const char *name);

/*
 * Reading the configuration back (GET_POLICY), under rcu_read_lock or
 * cn->lock. A zone's VLANs come out ascending and its interfaces sorted by
 * name (the policy keeps them so); everything else in the order of the
 * transaction that built the policy.
 */
bool cf_policy_sealed(const struct cf_policy *p);
/* The configured zones (the seal is not one of them). */
u32 cf_policy_zone_count(const struct cf_policy *p);
u32 cf_policy_profile_count(const struct cf_policy *p);
void cf_policy_zone_spec(const struct cf_policy *p, u32 idx,
			 struct cf_zone_spec *out);
/* The profile's name, *nrules its number of rules. */
const char *cf_policy_profile(const struct cf_policy *p, u32 idx, u32 *nrules);
void cf_policy_rule_spec(const struct cf_policy *p, u32 pidx, u32 ridx,
			 struct cf_rule_spec *out);
void cf_device_spec_of(const struct cf_device *d, struct cf_device_spec *out);

/* ---- commits (process context, cn->lock held) ---- */

struct cf_commit_result {
	u64 generation;
	u32 added, removed, changed, unchanged;
};

/* Validates and swaps. Always consumes txn (frees it on failure). */
int cf_txn_commit(struct cf_net *cn, struct cf_txn *txn,
		  struct cf_commit_result *res, struct netlink_ext_ack *extack);
/* Commits an empty policy. */
int cf_flush(struct cf_net *cn, struct cf_commit_result *res,
	     struct netlink_ext_ack *extack);
void cf_set_mode(struct cf_net *cn, u8 mode);

/* ---- lifecycle (main.c) ---- */

/* The work queue that frees old policies (module init/exit). */
int cf_policy_module_init(void);
void cf_policy_module_exit(void);
/* Per-netns lifecycle, called by main.c's pernet_operations. */
int cf_policy_net_init(struct cf_net *cn, const struct cf_zone_spec *sealed);
void cf_policy_net_exit(struct cf_net *cn);

/* ---- small helpers of the policy's tables (txn.c, policy.c, devstate.c) */

static inline u32 cf_hash_name(const char *s, u32 seed)
{
	return jhash(s, strlen(s), seed);
}

static inline u32 cf_hash_mac(const u8 *mac, u32 seed)
{
	return jhash(mac, ETH_ALEN, seed);
}

static inline u32 cf_hash_addr(u8 family, const union nf_inet_addr *a,
			       u32 seed)
{
	return jhash2(a->all, family == AF_INET ? 1 : 4, seed ^ family);
}

static inline bool cf_addr_eq(u8 fa, const union nf_inet_addr *a,
			      u8 fb, const union nf_inet_addr *b)
{
	if (fa != fb)
		return false;
	if (fa == AF_INET)
		return a->ip == b->ip;
	return ipv6_addr_equal(&a->in6, &b->in6);
}

#endif /* _CF_POLICY_H */
