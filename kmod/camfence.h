/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence internal interfaces.
 *
 * Ownership of the parts (one file per concern):
 *   main.c      module init/exit, module parameters, pernet_operations
 *   txn.c       the transaction builder: specs validated object by object
 *   policy.c    the immutable policy object: build, lookups, rule match,
 *               commit (swap), reading the configuration back
 *   devstate.c  state kept per MAC across commits: counters, last seen,
 *               bridge port, evidence and its pool, event token bucket;
 *               the namespace's global counters
 *   unknown.c   the table of MACs seen in a zone that no device claims
 *   hooks.c     netfilter hooks (ipv4, ipv6, arp, bridge): classification
 *               and verdict
 *   netlink.c   generic netlink family: attribute parsing into the *_spec
 *               structs below, replies and dumps, transaction ownership
 *   events.c    the events ring filled by the hooks, drained by a work item
 *               that multicasts CAMFENCE_CMD_EVENT
 *   sysfs.c     /sys/kernel/camfence (init_net only) and its reconciliation
 *               with the active policy
 *   offload.c   detection of hardware and flowtable offload at commit
 *   dns.c       DNS names devices ask for: the question parser, the
 *               per-device tables and their pool (dns.h)
 *
 * Each has its header (txn.h, policy.h, ...); this one holds what they all
 * share: the limits, the specs parsed from netlink and struct cf_net.
 */
#ifndef _CAMFENCE_H
#define _CAMFENCE_H

#include <linux/types.h>
#include <linux/atomic.h>
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
	unsigned int unknown_new_rate;	/* new unknown entries/s per CPU, 100 */
	unsigned int unknown_new_burst;	/* default 200 */
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
	char port[IFNAMSIZ];		/* configured bridge port, "" = learned */
};

/* ---- per network namespace state (main.c allocates, the files own) ---- */

struct cf_policy;		/* policy.h, immutable once committed */
struct cf_txn;			/* txn.h, a policy being built */
struct cf_devstate;		/* devstate.h, per-MAC state across commits */
struct cf_device;		/* policy.h, a device inside one policy */
struct cf_devstate_net;		/* devstate.c: global counters, evidence pool */
struct cf_unknown_table;	/* unknown.c */
struct cf_events;		/* events.c */
struct cf_sysfs;		/* sysfs.c (init_net only) */

struct cf_net {
	struct net *net;
	struct mutex lock;		/* commits, transactions, mode, sysfs */
	struct cf_policy __rcu *policy;	/* never NULL after init */
	/*
	 * Written under lock, read without it by GET_STATS, sysfs and the
	 * hooks: atomic64_t because the module also builds on 32-bit
	 * kernels (the DKMS package is Architecture: all), where a plain
	 * u64 load can tear; on 64-bit atomic64_read() is a plain load.
	 */
	atomic64_t generation;		/* commits so far, cf_generation() */
	atomic64_t sysfs_generation;	/* generation shown by sysfs */
	u8 mode;			/* global mode, lock + WRITE_ONCE/READ_ONCE */
	bool sealed;			/* no commit yet (boot seal), as mode */
	bool hooks_on;			/* netfilter hooks registered, lock */
	/* transaction bookkeeping (netlink.c), under lock */
	struct cf_txn *txn;
	u32 txn_portid;
	const void *txn_sk;		/* sending socket, compared only */
	u64 txn_id;			/* CAMFENCE_A_TXN_ID */
	/* connection tracking references (policy.c), under lock */
	bool ct_inet;			/* inet conntrack reference held */
	bool ct_bridge_ok;		/* bridge conntrack held, WRITE_ONCE */
	/* the files' own state, each private to its file */
	struct cf_devstate_net *dsn;
	struct cf_unknown_table *unknown;	/* NULL until zones exist */
	struct cf_events *events;		/* NULL until zones exist */
	struct cf_sysfs *sysfs;			/* NULL but in init_net */
};

struct cf_net *cf_net(const struct net *net);
/*
 * The module's sealed_vlans and sealed_ifaces as a zone spec (main.c), or
 * NULL: none given, or cn is not init_net's. Constant while loaded.
 */
const struct cf_zone_spec *cf_sealed_spec(const struct cf_net *cn);

static inline u64 cf_generation(const struct cf_net *cn)
{
	return atomic64_read(&cn->generation);
}

#endif /* _CAMFENCE_H */
