/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence internal interfaces.
 *
 * Ownership of the parts (one file per concern):
 *   main.c     module init/exit, module parameters, pernet_operations
 *   policy.c   the immutable policy object, the transaction builder, commit,
 *              device state kept across commits, lookups, unknown table
 *   hooks.c    netfilter hooks (ipv4, ipv6, bridge), classification, verdict
 *   netlink.c  generic netlink family: attribute parsing into the *_spec
 *              structs below, replies and dumps, transaction ownership
 *   events.c   the events ring filled by the hooks, drained by a work item
 *              that multicasts CAMFENCE_CMD_EVENT
 *   sysfs.c    /sys/kernel/camfence (init_net only)
 *
 * The types marked "opaque" are defined at the end of this header for
 * policy.c and hooks.c; other files use them only through the functions
 * declared here.
 */
#ifndef _CAMFENCE_H
#define _CAMFENCE_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/if.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/netfilter.h>
#include <net/netlink.h>
#include "camfence_uapi.h"
#include "compat.h"

#define CAMFENCE_VERSION_STR CAMFENCE_VERSION

/* Fixed bounds of the configuration objects (limits that are module
 * parameters live in main.c, see cf_limits).
 */
#define CF_MAX_ZONE_VLANS	CAMFENCE_MAX_ZONE_VLANS
#define CF_MAX_ZONE_IFS		CAMFENCE_MAX_ZONE_IFS
#define CF_MAX_PORT_RANGES	CAMFENCE_MAX_PORT_RANGES
#define CF_MAX_DEV_ADDRS	CAMFENCE_MAX_DEVICE_ADDRS
#define CF_UNKNOWN_MAX		4096	/* upper bound of unknown_table_size */

/* Module parameters (main.c). Read at commit time. */
struct cf_limits {
	unsigned int max_devices;	/* default 65536 */
	unsigned int max_profiles;	/* default 1024 */
	unsigned int max_rules;		/* per profile, default 64 */
	unsigned int max_zones;		/* default 64 */
	unsigned int unknown_table_size; /* default 256 */
	unsigned int event_rate;	/* events per second per device, default 10 */
	unsigned int event_burst;	/* default 20 */
	unsigned int sysfs_sync_max;	/* default 1024, see sysfs_generation */
};

extern struct cf_limits cf_limits;

/* ---- configuration as parsed from netlink (netlink.c fills these) ---- */

struct cf_addr {
	u8 family;			/* AF_INET or AF_INET6 */
	union nf_inet_addr addr;
};

struct cf_zone_spec {
	char name[CAMFENCE_NAME_MAX + 1];
	u8 unknown;			/* enum camfence_action */
	u16 nvlans;
	u16 vlans[CF_MAX_ZONE_VLANS];
	u16 nifs;
	char ifnames[CF_MAX_ZONE_IFS][IFNAMSIZ];
};

struct cf_rule_spec {
	u8 dir;				/* enum camfence_dir */
	u8 family;			/* 0: any peer, AF_INET, AF_INET6 */
	u8 prefixlen;
	u8 proto;			/* 0 any, 1, 6, 17, 58 */
	union nf_inet_addr peer;
	u8 nports;			/* 0: any port */
	struct camfence_port_range ports[CF_MAX_PORT_RANGES];
};

struct cf_profile_spec {
	char name[CAMFENCE_NAME_MAX + 1];
	u32 nrules;
	struct cf_rule_spec *rules;	/* owned by the caller */
};

struct cf_device_spec {
	char name[CAMFENCE_NAME_MAX + 1];
	u8 mac[ETH_ALEN];
	char profile[CAMFENCE_NAME_MAX + 1];
	u8 mode;			/* enum camfence_mode, DEFAULT allowed */
	u8 naddrs;
	struct cf_addr addrs[CF_MAX_DEV_ADDRS];
};

/* ---- per network namespace state (main.c allocates, policy.c owns) ---- */

struct cf_policy;		/* opaque, immutable once committed */
struct cf_txn;			/* opaque, a policy being built */
struct cf_devstate;		/* opaque, per-MAC state kept across commits */
struct cf_device;		/* opaque, a device inside one policy */

struct cf_net {
	struct net *net;
	struct mutex lock;		/* commits, transactions, mode, sysfs */
	struct cf_policy __rcu *policy;	/* never NULL after init */
	u64 generation;			/* commits so far, lock + WRITE_ONCE */
	u64 sysfs_generation;		/* generation shown by sysfs, lock */
	u8 mode;			/* global mode, READ_ONCE on the fast path */
	bool sealed;			/* until the first commit, as generation */
	bool hooks_on;			/* netfilter hooks registered, lock */
	/* transaction bookkeeping (netlink.c), under lock */
	struct cf_txn *txn;
	u32 txn_portid;
	/* private to policy.c: global per-CPU counters, unknown table, ... */
	void *priv;
	/* private to events.c */
	void *events;
	/* private to sysfs.c (init_net only) */
	void *sysfs;
#ifdef CF_ERRMSG_SLOTS
	/* extack messages on 6.1 (compat.h, cf_set_err), under lock */
	struct pid *errmsg_owner[CF_ERRMSG_SLOTS];
	char errmsg[CF_ERRMSG_SLOTS][CF_ERRMSG_LEN];
#endif
};

struct cf_net *cf_net(const struct net *net);

/* ---- policy.c: transactions and commits (process context, cn->lock held) */

struct cf_txn *cf_txn_new(struct cf_net *cn);
void cf_txn_free(struct cf_txn *txn);
void cf_txn_set_mode(struct cf_txn *txn, u8 mode);
/* Each returns 0 or a negative errno and sets an extack message that names
 * the object ("device lobby-1: MAC 44:19:b6:00:00:01 already used by ...").
 */
int cf_txn_add_zone(struct cf_txn *txn, const struct cf_zone_spec *spec,
		    struct netlink_ext_ack *extack);
int cf_txn_add_profile(struct cf_txn *txn, const struct cf_profile_spec *spec,
		       struct netlink_ext_ack *extack);
int cf_txn_add_device(struct cf_txn *txn, const struct cf_device_spec *spec,
		      struct netlink_ext_ack *extack);

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

/* ---- policy.c: reading (any context, under rcu_read_lock) ---- */

struct cf_evidence_info {
	u8 dir, proto, reason, family;
	u16 port;
	union nf_inet_addr peer;
	u64 count, first_seen, last_seen;
};

struct cf_devstats_info {
	u64 allowed_packets, allowed_bytes;
	u64 dropped_packets, dropped_bytes;
	u64 monitored_packets, spoofed_packets, events_suppressed;
};

struct cf_device_info {
	char name[CAMFENCE_NAME_MAX + 1];
	char profile[CAMFENCE_NAME_MAX + 1];
	u8 mac[ETH_ALEN];
	u8 mode, effective_mode;
	u8 naddrs;
	struct cf_addr addrs[CF_MAX_DEV_ADDRS];
	struct cf_devstats_info stats;
	u64 last_seen;
	char port[IFNAMSIZ];		/* bridge port bound to, "" = none */
	char seen_port[IFNAMSIZ];	/* bridge port last seen on */
	bool has_last_drop;
	struct cf_evidence_info last_drop;
	u8 nevidence;
	struct cf_evidence_info evidence[CAMFENCE_EVIDENCE_SLOTS];
};

struct cf_policy *cf_policy_rcu(struct cf_net *cn);
u32 cf_policy_device_count(const struct cf_policy *p);
struct cf_device *cf_policy_device(const struct cf_policy *p, u32 idx);
struct cf_device *cf_policy_find_device(const struct cf_policy *p,
					const char *name);
void cf_device_info(const struct cf_device *d, struct cf_device_info *out);

/*
 * Reading the configuration back (GET_POLICY), under rcu_read_lock or
 * cn->lock. A zone's VLANs come out ascending and its interfaces sorted by
 * name (the policy keeps them so); everything else in the order of the
 * transaction that built the policy.
 */
bool cf_policy_sealed(const struct cf_policy *p);
u32 cf_policy_zone_count(const struct cf_policy *p);
u32 cf_policy_profile_count(const struct cf_policy *p);
void cf_policy_zone_spec(const struct cf_policy *p, u32 idx,
			 struct cf_zone_spec *out);
/* The profile's name, *nrules its number of rules. */
const char *cf_policy_profile(const struct cf_policy *p, u32 idx, u32 *nrules);
void cf_policy_rule_spec(const struct cf_policy *p, u32 pidx, u32 ridx,
			 struct cf_rule_spec *out);
void cf_device_spec_of(const struct cf_device *d, struct cf_device_spec *out);
/*
 * cn->lock held: true when committing t would change nothing (same zones,
 * profiles with the same rules in the same order, devices by MAC with the
 * same name, mode, profile and addresses, same global mode), after a
 * first commit.
 */
bool cf_txn_unchanged(struct cf_net *cn, const struct cf_txn *t);

struct cf_stats_info {
	u64 allowed_packets, dropped_packets, unknown_packets;
	u64 spoofed_packets, events_suppressed, monitored_packets;
};

void cf_stats_read(struct cf_net *cn, struct cf_stats_info *out);
/* Counts one suppressed event in the global stats (any context). */
void cf_stats_event_suppressed(struct cf_net *cn);

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

/* For sysfs.c: the state behind /sys/kernel/camfence/devices/<name>.
 * A device directory holds a reference on its devstate (process context).
 */
void cf_devstate_info(struct cf_devstate *ds, struct cf_device_info *out);
void cf_devstate_get(struct cf_devstate *ds);
void cf_devstate_put(struct cf_devstate *ds);

/* ---- events.c: called from the hooks (softirq), never sleeps or allocs */

struct cf_event_info {
	u64 timestamp_ns;
	char device[CAMFENCE_NAME_MAX + 1];	/* "" for unknown devices */
	u8 mac[ETH_ALEN];
	char zone[CAMFENCE_NAME_MAX + 1];
	u8 dir, family, proto, reason, verdict;
	union nf_inet_addr saddr, daddr;
	u16 sport, dport;
	u64 suppressed;
};

/* Allocates the ring, at the first policy with zones (cn->lock held). */
int cf_events_enable(struct cf_net *cn);
/* Queues nothing more and waits for the work item (process context). */
void cf_events_net_stop(struct cf_net *cn);
void cf_events_net_exit(struct cf_net *cn);
/* Queues one event (rate limiting is done by the caller, per device). */
void cf_event_queue(struct cf_net *cn, const struct cf_event_info *ev);

/* ---- offload.c: process context, takes the RTNL ---- */

#define CF_OFFLOAD_LEN	1024
int cf_offload_report(struct net *net, char *buf, size_t len);

/* ---- netlink.c ---- */

/* cf_set_err(cn, extack, fmt, ...): a formatted extack message, compat.h */

int cf_genl_init(void);
/* Module unload, before the namespaces are stopped: no more events. */
void cf_genl_events_off(void);
void cf_genl_exit(void);
/* Namespace exit: what cf_set_err() kept. */
void cf_genl_net_exit(struct cf_net *cn);
/* Multicasts one event to CAMFENCE_MCGRP_EVENTS (process context). */
void cf_genl_send_event(struct cf_net *cn, const struct cf_event_info *ev);

/* ---- sysfs.c (init_net only; no-ops for other namespaces) ---- */

int cf_sysfs_net_init(struct cf_net *cn);
void cf_sysfs_net_exit(struct cf_net *cn);
/* Called by policy.c at commit or from its sysfs work item, cn->lock held,
 * process context. The kobject returned holds a reference on ds; it is
 * stored in the devstate and given back on delete. NULL for a namespace
 * without sysfs, an ERR_PTR() when the directory cannot be made.
 */
struct kobject *cf_sysfs_device_add(struct cf_net *cn, struct cf_devstate *ds,
				    const char *name);
int cf_sysfs_device_rename(struct kobject *kobj, const char *name);
void cf_sysfs_device_del(struct kobject *kobj);

/* ---- hooks.c ---- */

/* Registers the hooks at pernet init if the initial (sealed) policy has
 * zones; unregisters them (if registered) at pernet exit.
 */
int cf_hooks_net_init(struct net *net);
void cf_hooks_net_exit(struct net *net);
/*
 * Registers (on) or unregisters the namespace's hooks, cn->lock held,
 * process context. policy.c registers them before publishing a policy
 * with zones and unregisters them after publishing one without.
 */
int cf_hooks_set(struct cf_net *cn, bool on);

/* ---- main.c: module internals ---- */

/* The slab caches of policy.c (module init/exit). */
int cf_policy_module_init(void);
void cf_policy_module_exit(void);
/* Per-netns lifecycle of policy.c, called by main.c's pernet_operations. */
int cf_policy_net_init(struct cf_net *cn, const struct cf_zone_spec *sealed);
/* Removes the sysfs objects of the devices (before cf_sysfs_net_exit). */
void cf_policy_net_unpublish(struct cf_net *cn);
void cf_policy_net_exit(struct cf_net *cn);

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

struct cf_profile {
	char name[CAMFENCE_NAME_MAX + 1];
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
	struct cf_devstate *ds;		/* one reference per policy */
	u32 mac_next, name_next;	/* chains: index + 1, 0 ends */
};

struct cf_portent {
	int ifindex;			/* 0: free; set once (cmpxchg) */
	u32 dev;			/* device index + 1, WRITE_ONCE */
};

struct cf_policy {
	struct rcu_work rwork;		/* frees it after a grace period */
	bool sealed;			/* the boot-time sealed zones only */
	u32 seed;
	u32 nzones, nifzones, nprofiles, ndevices, naddrs;
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

enum cf_gstat {
	CF_GS_ALLOWED,
	CF_GS_DROPPED,
	CF_GS_UNKNOWN,
	CF_GS_SPOOFED,
	CF_GS_MONITORED,
	CF_GS_SUPPRESSED,
	CF_GS_MAX
};

enum cf_dstat {
	CF_DS_ALLOWED_PKTS,
	CF_DS_ALLOWED_BYTES,
	CF_DS_DROPPED_PKTS,
	CF_DS_DROPPED_BYTES,
	CF_DS_MONITORED_PKTS,
	CF_DS_SPOOFED_PKTS,
	CF_DS_SUPPRESSED,
	CF_DS_MAX
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

/* Counters, packet path (softirq or BH disabled). */
void cf_gstat_inc(struct cf_net *cn, enum cf_gstat idx);
void cf_dstat_add(const struct cf_device *d, enum cf_dstat pkts,
		  unsigned int bytes);
void cf_device_touch(const struct cf_device *d);

/*
 * Deny path: records the evidence (and last drop) of a denied connection
 * on the device and takes a token from its event bucket. Returns true if
 * an event may be sent; *suppressed is then the number of events
 * suppressed since the previous one.
 */
bool cf_device_deny(const struct cf_device *d, u8 dir, u8 family,
		    const union nf_inet_addr *peer, u8 proto, u16 port,
		    u8 reason, u64 *suppressed);
/* Records a packet from a MAC no device claims; same return convention. */
bool cf_unknown_record(struct cf_net *cn, const u8 *mac,
		       const struct cf_zone *zone, u16 vid,
		       const struct net_device *in, u8 family,
		       const union nf_inet_addr *saddr, u64 *suppressed);

#endif /* _CAMFENCE_H */
