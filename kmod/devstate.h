/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence device state (devstate.c): what is kept per MAC across commits
 * (per-CPU counters, last seen, bridge port, evidence and its pool, the
 * event token bucket) and the namespace's global counters.
 */
#ifndef _CF_DEVSTATE_H
#define _CF_DEVSTATE_H

#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/timekeeping.h>
#include "policy.h"

/* Wall-clock seconds, the time unit of last_seen and the evidence. */
static inline u64 cf_now(void)
{
	return ktime_get_real_seconds();
}

/* ---- counters ---- */

enum cf_gstat {
	CF_GS_ALLOWED,
	CF_GS_DROPPED,
	CF_GS_UNKNOWN,
	CF_GS_SPOOFED,
	CF_GS_MONITORED,
	CF_GS_SUPPRESSED,
	CF_GS_UNKNOWN_NOT_RECORDED,	/* unknown.c: above unknown_new_rate */
	CF_GS_EVIDENCE_NOT_RECORDED,	/* denials kept without a table */
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

/* ---- state kept across commits, one per MAC ---- */

/*
 * One denied connection.  Its LRU stamp is in the table (struct cf_evtable),
 * not here: last_drop needs none.  count == 0: no entry.
 */
struct cf_evidence {
	union nf_inet_addr peer;
	u8 family, proto, dir, reason;
	u16 port;
	u64 count, first_seen, last_seen;
};

/*
 * Token bucket; credit is in 1/HZ events, at most event_burst (<= 10^6,
 * main.c) * HZ, so it fits a u32; pending saturates.
 */
struct cf_tbucket {
	u64 last;			/* jiffies */
	u32 credit;
	u32 pending;			/* suppressed since the last event */
};

struct cf_pcpu_devstats;
struct cf_evtable;
struct cf_dns_table;

/*
 * 144 bytes on 64-bit without lock debugging (the static_assert in
 * devstate.c): issue 16's target 5 counts it per device.  Hot fields
 * (read by the hooks) first.
 */
struct cf_devstate {
	refcount_t ref;
	spinlock_t lock;		/* the fields marked "lock"; BH */
	struct cf_net *cn;
	struct cf_pcpu_devstats __percpu *stats;
	u64 last_seen;			/* READ_ONCE/WRITE_ONCE */
	/* port security (cf_device_port_ok()): ifindex, READ_ONCE/cmpxchg */
	int port_ifindex;		/* the bridge port it is bound to */
	int seen_ifindex;		/* the bridge port last seen on */
	struct kobject *kobj;		/* cn->lock */
	struct cf_pname *pname;		/* lock; a reference */
	struct cf_evtable *ev;		/* lock; NULL until the first denial */
	/* dns.c: the names it asked for; NULL until its first query, set
	 * once (cmpxchg), read with READ_ONCE
	 */
	struct cf_dns_table *dns;
	struct cf_tbucket tb;		/* lock */
	struct cf_evidence last_drop;	/* lock; count == 0: none yet */
	u8 mac[ETH_ALEN];
	u8 mode;			/* lock */
	/* no name: sysfs names the directory after the device (sysfs.c) */
};

/* ---- reading (process context) ---- */

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

/* What a device of a policy is and what its state holds. */
void cf_device_fill_info(const struct cf_device *d, struct cf_device_info *out);
/* For sysfs.c: the state behind /sys/kernel/camfence/devices/<name> (out->name
 * is left empty: the state keeps no name).
 * A device directory holds a reference on its devstate.
 */
void cf_devstate_fill_info(struct cf_devstate *ds, struct cf_device_info *out);
void cf_devstate_get(struct cf_devstate *ds);
void cf_devstate_put(struct cf_devstate *ds);

struct cf_stats_info {
	u64 allowed_packets, dropped_packets, unknown_packets;
	u64 spoofed_packets, events_suppressed, monitored_packets;
	u64 unknown_not_recorded, evidence_not_recorded;
};

void cf_stats_read(struct cf_net *cn, struct cf_stats_info *out);

/* ---- packet path (softirq or BH disabled) ---- */

/* Counts one suppressed event in the global stats (any context). */
void cf_stats_event_suppressed(struct cf_net *cn);
void cf_gstat_inc(struct cf_net *cn, enum cf_gstat idx);
/* Adds one packet to counter @pkts and, for the counters that have one,
 * @bytes to the byte counter that follows it.
 */
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

/* Token bucket of the events (also used by unknown.c), BH or lock held. */
void cf_tb_init(struct cf_tbucket *tb);
bool cf_tb_take(struct cf_tbucket *tb);

/* ---- commits (process context, cn->lock held) ---- */

struct cf_devstate *cf_devstate_new(struct cf_net *cn, const u8 *mac);
/* What sysfs shows of the device (name, profile, mode). */
void cf_devstate_set_info(struct cf_devstate *ds, const struct cf_device *d);
/* Devices exist: keep the pool of evidence tables filled. */
void cf_devstate_pool_enable(struct cf_net *cn);

/* ---- lifecycle (main.c) ---- */

int cf_devstate_module_init(void);
void cf_devstate_module_exit(void);
int cf_devstate_net_init(struct cf_net *cn);
void cf_devstate_net_exit(struct cf_net *cn);

#endif /* _CF_DEVSTATE_H */
