/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * camfence generic netlink interface: the single definition shared by the
 * kernel module (kmod/) and the userspace tools (userspace-ctl/).
 *
 * Conventions
 * - Family CAMFENCE_GENL_NAME, version CAMFENCE_GENL_VERSION. Every write
 *   command needs CAP_NET_ADMIN in the user namespace owning the netns.
 * - Integers are host byte order, except addresses (network byte order, 4
 *   bytes for IPv4, 16 for IPv6: the family is given by the length).
 * - Names (zones, profiles, devices) match [A-Za-z0-9._-]{1,32}, are sent
 *   NUL-terminated and are unique within their kind.
 * - Times are seconds since the epoch (CLOCK_REALTIME), 0 means never.
 * - A policy is loaded as a transaction owned by one netlink socket:
 *   BEGIN, any number of ADD messages, then COMMIT or ABORT. Only one
 *   transaction may be open per network namespace (BEGIN by another socket
 *   fails with EBUSY); a transaction whose socket closes is freed. COMMIT
 *   validates the whole policy and swaps it in atomically; on any error the
 *   active policy is untouched and the transaction is discarded.
 */
#ifndef _UAPI_LINUX_CAMFENCE_H
#define _UAPI_LINUX_CAMFENCE_H

#include <linux/types.h>

#define CAMFENCE_GENL_NAME	"camfence"
#define CAMFENCE_GENL_VERSION	1
#define CAMFENCE_MCGRP_EVENTS	"events"

#define CAMFENCE_NAME_MAX	32	/* characters, without the NUL */
#define CAMFENCE_EVIDENCE_SLOTS	16	/* denied destinations kept per device */
#define CAMFENCE_MAX_ZONE_VLANS	64	/* VLAN IDs per zone */
#define CAMFENCE_MAX_ZONE_IFS	16	/* interfaces per zone */
#define CAMFENCE_MAX_PORT_RANGES 32	/* port ranges per rule */
#define CAMFENCE_MAX_DEVICE_ADDRS 16	/* bound addresses per device */
#define CAMFENCE_DNS_NAMES	64	/* DNS names kept per device */
#define CAMFENCE_DNS_NAME_MAX	253	/* characters of a name, without the NUL */

/* Global and per-device mode. DEFAULT (devices only) follows the global mode. */
enum camfence_mode {
	CAMFENCE_MODE_DEFAULT,
	CAMFENCE_MODE_ENFORCE,
	CAMFENCE_MODE_MONITOR,
	__CAMFENCE_MODE_MAX
};

#define CAMFENCE_MODE_MAX (__CAMFENCE_MODE_MAX - 1)

/* What a zone does with a MAC address that no device claims. */
enum camfence_action {
	CAMFENCE_ACTION_DROP,		/* the default */
	CAMFENCE_ACTION_MONITOR,	/* count, let pass */
	CAMFENCE_ACTION_ALLOW,
	__CAMFENCE_ACTION_MAX
};

#define CAMFENCE_ACTION_MAX (__CAMFENCE_ACTION_MAX - 1)

/* Rule direction, seen from the device the profile belongs to. */
enum camfence_dir {
	CAMFENCE_DIR_UNSPEC,
	CAMFENCE_DIR_TO,	/* connections the device opens towards a peer */
	CAMFENCE_DIR_FROM,	/* connections a peer opens towards the device */
	__CAMFENCE_DIR_MAX
};

#define CAMFENCE_DIR_MAX (__CAMFENCE_DIR_MAX - 1)

/* Why a packet was denied (events, evidence). */
enum camfence_reason {
	CAMFENCE_REASON_NONE,
	CAMFENCE_REASON_NO_RULE,	/* the device's own profile has no rule */
	/* reserved: each denying device reports NO_RULE for its own profile */
	CAMFENCE_REASON_PEER_NO_RULE,
	CAMFENCE_REASON_UNKNOWN_DEVICE,	/* MAC in a zone that no device claims */
	CAMFENCE_REASON_SPOOFED,	/* source address not bound to the device */
	CAMFENCE_REASON_SEALED,		/* sealed: in no zone of the policy */
	CAMFENCE_REASON_NOT_IP,		/* bridged frame that is neither IP nor ARP */
	CAMFENCE_REASON_PORT,		/* device's MAC on another bridge port */
	__CAMFENCE_REASON_MAX
};

#define CAMFENCE_REASON_MAX (__CAMFENCE_REASON_MAX - 1)

/* Verdict reported in events. */
enum camfence_verdict {
	CAMFENCE_VERDICT_ALLOWED,
	CAMFENCE_VERDICT_DROPPED,
	CAMFENCE_VERDICT_MONITORED,	/* would have been dropped; passed (monitor) */
	__CAMFENCE_VERDICT_MAX
};

/*
 * Rule protocol: any IP protocol number, 0 meaning any protocol. Ports
 * only with 6 (tcp) and 17 (udp).
 */
#define CAMFENCE_PROTO_ANY	0

enum camfence_cmd {
	CAMFENCE_CMD_UNSPEC,
	/*
	 * doit, admin: open a transaction owned by the sending socket. The
	 * reply (same command) carries CAMFENCE_A_TXN_ID.
	 */
	CAMFENCE_CMD_BEGIN,
	/*
	 * doit, admin: add objects to the open transaction. Carries any number
	 * of CAMFENCE_A_ZONE, CAMFENCE_A_PROFILE and CAMFENCE_A_DEVICE nests and
	 * optionally CAMFENCE_A_MODE (the global mode of the new policy; when no
	 * ADD carries it, the current global mode is kept). Profiles must be
	 * added before the devices that name them.
	 */
	CAMFENCE_CMD_ADD,
	/*
	 * doit, admin: validate and swap. The reply (same command) carries
	 * CAMFENCE_A_GENERATION and CAMFENCE_A_COMMIT_{ADDED,REMOVED,CHANGED,
	 * UNCHANGED} (devices, matched by MAC).
	 */
	CAMFENCE_CMD_COMMIT,
	/* doit, admin: discard the open transaction. */
	CAMFENCE_CMD_ABORT,
	/*
	 * dump: every device. doit with CAMFENCE_A_DEVICE { NAME }: one device.
	 * Admin, because the device inventory is sensitive (see README).
	 * Each message: CAMFENCE_A_GENERATION and one CAMFENCE_A_DEVICE nest
	 * with the read-only attributes filled in.
	 */
	CAMFENCE_CMD_GET_DEVICE,
	/*
	 * doit: CAMFENCE_A_MODE, CAMFENCE_A_GENERATION, CAMFENCE_A_DEVICE_COUNT,
	 * CAMFENCE_A_SEALED, CAMFENCE_A_STATS, CAMFENCE_A_MODULE_VERSION.
	 */
	CAMFENCE_CMD_GET_STATS,
	/* dump, admin: the unknown-device table, one CAMFENCE_A_UNKNOWN each. */
	CAMFENCE_CMD_GET_UNKNOWN,
	/* doit, admin: CAMFENCE_A_MODE (ENFORCE or MONITOR). */
	CAMFENCE_CMD_SET_MODE,
	/* doit, admin: replace the policy by an empty one (a commit). */
	CAMFENCE_CMD_FLUSH,
	/* multicast on CAMFENCE_MCGRP_EVENTS: one CAMFENCE_A_EVENT nest. */
	CAMFENCE_CMD_EVENT,
	/*
	 * dump, admin: the committed policy, as ADD would carry it, in one
	 * dump so that it is one consistent snapshot (a commit during the
	 * dump flags it NLM_F_DUMP_INTR). Every message carries
	 * CAMFENCE_A_GENERATION. In order: one message with CAMFENCE_A_MODE
	 * and CAMFENCE_A_SEALED (as GET_STATS); one CAMFENCE_A_ZONE nest per message (VLANs
	 * ascending, interfaces sorted by name); CAMFENCE_A_PROFILE nests
	 * (a profile with many rules is split over several messages, each
	 * with the profile's NAME, CAMFENCE_PROFILE_A_FIRST_RULE and
	 * CAMFENCE_PROFILE_A_NRULES); one CAMFENCE_A_DEVICE nest per message
	 * with the configuration attributes only (NAME, MAC, ADDR, PROFILE,
	 * MODE). Before the first commit, the boot-time seal's zone is not
	 * sent (it is no configuration).
	 */
	CAMFENCE_CMD_GET_POLICY,
	__CAMFENCE_CMD_MAX
};

#define CAMFENCE_CMD_MAX (__CAMFENCE_CMD_MAX - 1)

enum camfence_attr {
	CAMFENCE_A_UNSPEC,
	CAMFENCE_A_PAD,
	CAMFENCE_A_GENERATION,		/* u64: commits so far (not no-ops) */
	CAMFENCE_A_MODE,		/* u8: enum camfence_mode */
	CAMFENCE_A_ZONE,		/* nest: enum camfence_zone_attr */
	CAMFENCE_A_PROFILE,		/* nest: enum camfence_profile_attr */
	CAMFENCE_A_DEVICE,		/* nest: enum camfence_device_attr */
	CAMFENCE_A_STATS,		/* nest: enum camfence_stats_attr */
	CAMFENCE_A_UNKNOWN,		/* nest: enum camfence_unknown_attr */
	CAMFENCE_A_EVENT,		/* nest: enum camfence_event_attr */
	CAMFENCE_A_COMMIT_ADDED,	/* u32 */
	CAMFENCE_A_COMMIT_REMOVED,	/* u32 */
	CAMFENCE_A_COMMIT_CHANGED,	/* u32 */
	CAMFENCE_A_COMMIT_UNCHANGED,	/* u32 */
	CAMFENCE_A_DEVICE_COUNT,	/* u32 */
	CAMFENCE_A_SEALED,		/* u8: 1 while sealed (no commit yet) */
	CAMFENCE_A_MODULE_VERSION,	/* string */
	/*
	 * u8, in the reply to COMMIT: 1 when the transaction equalled the
	 * active policy (zones, profiles and their rules, devices, mode): it
	 * was discarded, nothing was swapped and the generation is the same.
	 */
	CAMFENCE_A_COMMIT_NOOP,
	/*
	 * string, in the reply to GET_STATS: "IFNAME switchdev" and "IFNAME
	 * flowtable" lines for zone interfaces whose traffic can bypass the
	 * hooks (switched in hardware, offloaded to an nft flowtable)
	 */
	CAMFENCE_A_OFFLOAD,
	/*
	 * u64, in the reply to BEGIN: the identity of the transaction it
	 * opened, never reused while the module is loaded. ADD, COMMIT and
	 * ABORT may carry it (clients should): a transaction that is not the
	 * open one (another BEGIN replaced it, the socket was closed and its
	 * port id taken by another socket) fails with ESTALE instead of adding
	 * to, or committing, whatever transaction is open. Without it, the
	 * transaction is the one the sending socket opened.
	 */
	CAMFENCE_A_TXN_ID,
	__CAMFENCE_A_MAX
};

#define CAMFENCE_A_MAX (__CAMFENCE_A_MAX - 1)

enum camfence_zone_attr {
	CAMFENCE_ZONE_A_UNSPEC,
	CAMFENCE_ZONE_A_NAME,		/* string */
	CAMFENCE_ZONE_A_VLAN,		/* u16, 1..4094; repeatable */
	CAMFENCE_ZONE_A_IFNAME,		/* string < IFNAMSIZ; repeatable */
	CAMFENCE_ZONE_A_UNKNOWN,	/* u8: enum camfence_action */
	__CAMFENCE_ZONE_A_MAX
};

#define CAMFENCE_ZONE_A_MAX (__CAMFENCE_ZONE_A_MAX - 1)

enum camfence_profile_attr {
	CAMFENCE_PROFILE_A_UNSPEC,
	CAMFENCE_PROFILE_A_NAME,	/* string */
	CAMFENCE_PROFILE_A_RULE,	/* nest: enum camfence_rule_attr; repeatable */
	/* read only (GET_POLICY): index of this message's first rule, u32 */
	CAMFENCE_PROFILE_A_FIRST_RULE,
	/* read only (GET_POLICY): the profile's number of rules, u32 */
	CAMFENCE_PROFILE_A_NRULES,
	__CAMFENCE_PROFILE_A_MAX
};

#define CAMFENCE_PROFILE_A_MAX (__CAMFENCE_PROFILE_A_MAX - 1)

/* Inclusive destination port range, host byte order, lo <= hi. */
struct camfence_port_range {
	__u16 lo;
	__u16 hi;
};

enum camfence_rule_attr {
	CAMFENCE_RULE_A_UNSPEC,
	CAMFENCE_RULE_A_DIR,		/* u8: enum camfence_dir */
	/*
	 * binary, 4 or 16 bytes: the peer prefix. Absent: any peer, any
	 * family. Host bits beyond PREFIXLEN must be zero.
	 */
	CAMFENCE_RULE_A_PEER,
	CAMFENCE_RULE_A_PREFIXLEN,	/* u8: 0..32 or 0..128; default full */
	CAMFENCE_RULE_A_PROTO,		/* u8: see CAMFENCE_PROTO_ANY; default any */
	/* struct camfence_port_range; repeatable; tcp/udp only; none = any */
	CAMFENCE_RULE_A_PORTS,
	__CAMFENCE_RULE_A_MAX
};

#define CAMFENCE_RULE_A_MAX (__CAMFENCE_RULE_A_MAX - 1)

enum camfence_device_attr {
	CAMFENCE_DEVICE_A_UNSPEC,
	/* configuration (ADD) and read back (GET) */
	CAMFENCE_DEVICE_A_NAME,		/* string */
	CAMFENCE_DEVICE_A_MAC,		/* binary, 6 bytes, unicast */
	CAMFENCE_DEVICE_A_ADDR,		/* binary, 4 or 16 bytes; repeatable */
	CAMFENCE_DEVICE_A_PROFILE,	/* string: a profile of the same policy */
	CAMFENCE_DEVICE_A_MODE,		/* u8: enum camfence_mode (DEFAULT allowed) */
	/* read only (GET) */
	CAMFENCE_DEVICE_A_EFFECTIVE_MODE, /* u8: ENFORCE or MONITOR */
	CAMFENCE_DEVICE_A_STATS,	/* nest: enum camfence_devstats_attr */
	CAMFENCE_DEVICE_A_LAST_SEEN,	/* u64 */
	CAMFENCE_DEVICE_A_LAST_DROP,	/* nest: enum camfence_evidence_attr */
	CAMFENCE_DEVICE_A_EVIDENCE,	/* nest of CAMFENCE_EVIDENCE_A_ENTRY nests */
	CAMFENCE_DEVICE_A_PAD,
	/* string: in ADD and GET_POLICY, the configured bridge port (an
	 * interface name; absent: learned at first sight); in GET_DEVICE,
	 * the bridge port the device is bound to
	 */
	CAMFENCE_DEVICE_A_PORT,
	CAMFENCE_DEVICE_A_SEEN_PORT,	/* string: bridge port last seen on */
	/*
	 * nest: enum camfence_dns_attr, the DNS names the device asked for
	 * (absent until its first query on UDP port 53, or with the module
	 * parameter dns_names=0 from the start)
	 */
	CAMFENCE_DEVICE_A_DNS,
	__CAMFENCE_DEVICE_A_MAX
};

#define CAMFENCE_DEVICE_A_MAX (__CAMFENCE_DEVICE_A_MAX - 1)

/* Per-device counters; the names are those of the sysfs files. */
enum camfence_devstats_attr {
	CAMFENCE_DEVSTATS_A_UNSPEC,
	CAMFENCE_DEVSTATS_A_PAD,
	CAMFENCE_DEVSTATS_A_ALLOWED_PACKETS,	/* u64 */
	CAMFENCE_DEVSTATS_A_ALLOWED_BYTES,	/* u64 */
	CAMFENCE_DEVSTATS_A_DROPPED_PACKETS,	/* u64, spoofed included */
	CAMFENCE_DEVSTATS_A_DROPPED_BYTES,	/* u64 */
	CAMFENCE_DEVSTATS_A_MONITORED_PACKETS,	/* u64 */
	CAMFENCE_DEVSTATS_A_SPOOFED_PACKETS,	/* u64 */
	CAMFENCE_DEVSTATS_A_EVENTS_SUPPRESSED,	/* u64 */
	__CAMFENCE_DEVSTATS_A_MAX
};

#define CAMFENCE_DEVSTATS_A_MAX (__CAMFENCE_DEVSTATS_A_MAX - 1)

/*
 * A denied destination (evidence table, last drop) or, inside an event, the
 * connection that was denied.
 */
enum camfence_evidence_attr {
	CAMFENCE_EVIDENCE_A_UNSPEC,
	CAMFENCE_EVIDENCE_A_PAD,
	CAMFENCE_EVIDENCE_A_ENTRY,	/* nest of the attributes below */
	CAMFENCE_EVIDENCE_A_DIR,	/* u8: TO (device initiated) or FROM */
	CAMFENCE_EVIDENCE_A_PEER,	/* binary 4 or 16: the other end */
	CAMFENCE_EVIDENCE_A_PROTO,	/* u8 */
	CAMFENCE_EVIDENCE_A_PORT,	/* u16: destination port, 0 if none */
	CAMFENCE_EVIDENCE_A_REASON,	/* u8: enum camfence_reason */
	CAMFENCE_EVIDENCE_A_COUNT,	/* u64: packets denied */
	CAMFENCE_EVIDENCE_A_FIRST_SEEN,	/* u64 */
	CAMFENCE_EVIDENCE_A_LAST_SEEN,	/* u64 */
	__CAMFENCE_EVIDENCE_A_MAX
};

#define CAMFENCE_EVIDENCE_A_MAX (__CAMFENCE_EVIDENCE_A_MAX - 1)

/*
 * The DNS names a device asked for (kmod/dns.c): one ENTRY per distinct
 * (name, verdict), at most CAMFENCE_DNS_NAMES, the least recently queried
 * replaced when full. TOTAL is the number of entries the kernel holds: a
 * reply with fewer ENTRY nests was cut to fit one message (a dump).
 */
enum camfence_dns_attr {
	CAMFENCE_DNS_A_UNSPEC,
	CAMFENCE_DNS_A_PAD,
	CAMFENCE_DNS_A_TOTAL,		/* u32: entries held */
	/* u64: queries whose name was not recorded: malformed, truncated,
	 * QDCOUNT != 1, a compression pointer, a label over 63 bytes, a
	 * character other than letters, digits, '-' and '_'
	 */
	CAMFENCE_DNS_A_INVALID,
	CAMFENCE_DNS_A_REPLACED,	/* u64: entries replaced when full */
	CAMFENCE_DNS_A_ENTRY,		/* nest of the attributes below */
	CAMFENCE_DNS_A_NAME,		/* string: lower case, "." for the root */
	CAMFENCE_DNS_A_VERDICT,		/* u8: enum camfence_verdict of the query */
	CAMFENCE_DNS_A_COUNT,		/* u64: queries */
	CAMFENCE_DNS_A_FIRST_SEEN,	/* u64 */
	CAMFENCE_DNS_A_LAST_SEEN,	/* u64 */
	__CAMFENCE_DNS_A_MAX
};

#define CAMFENCE_DNS_A_MAX (__CAMFENCE_DNS_A_MAX - 1)

/* Global counters; the names are those of /sys/kernel/camfence/stats/. */
enum camfence_stats_attr {
	CAMFENCE_STATS_A_UNSPEC,
	CAMFENCE_STATS_A_PAD,
	CAMFENCE_STATS_A_ALLOWED_PACKETS,	/* u64 */
	CAMFENCE_STATS_A_DROPPED_PACKETS,	/* u64: every drop */
	CAMFENCE_STATS_A_UNKNOWN_PACKETS,	/* u64: from unclaimed MACs */
	CAMFENCE_STATS_A_SPOOFED_PACKETS,	/* u64 */
	CAMFENCE_STATS_A_EVENTS_SUPPRESSED,	/* u64 */
	CAMFENCE_STATS_A_MONITORED_PACKETS,	/* u64 */
	/* u64: unknown frames whose MAC was not recorded (unknown_new_rate) */
	CAMFENCE_STATS_A_UNKNOWN_NOT_RECORDED,
	/* u64: denials kept in last_drop only (evidence pool empty) */
	CAMFENCE_STATS_A_EVIDENCE_NOT_RECORDED,
	__CAMFENCE_STATS_A_MAX
};

#define CAMFENCE_STATS_A_MAX (__CAMFENCE_STATS_A_MAX - 1)

enum camfence_unknown_attr {
	CAMFENCE_UNKNOWN_A_UNSPEC,
	CAMFENCE_UNKNOWN_A_PAD,
	CAMFENCE_UNKNOWN_A_MAC,		/* binary, 6 bytes */
	CAMFENCE_UNKNOWN_A_ZONE,	/* string: zone name */
	CAMFENCE_UNKNOWN_A_VLAN,	/* u16: VLAN seen on, 0 if untagged */
	CAMFENCE_UNKNOWN_A_IFNAME,	/* string: ingress interface */
	CAMFENCE_UNKNOWN_A_FIRST_SEEN,	/* u64 */
	CAMFENCE_UNKNOWN_A_LAST_SEEN,	/* u64 */
	CAMFENCE_UNKNOWN_A_PACKETS,	/* u64 */
	CAMFENCE_UNKNOWN_A_ADDR,	/* binary 4 or 16: last source address */
	__CAMFENCE_UNKNOWN_A_MAX
};

#define CAMFENCE_UNKNOWN_A_MAX (__CAMFENCE_UNKNOWN_A_MAX - 1)

enum camfence_event_attr {
	CAMFENCE_EVENT_A_UNSPEC,
	CAMFENCE_EVENT_A_PAD,
	CAMFENCE_EVENT_A_TIMESTAMP,	/* u64: nanoseconds since the epoch */
	CAMFENCE_EVENT_A_DEVICE,	/* string: device name (absent: unknown) */
	CAMFENCE_EVENT_A_MAC,		/* binary, 6 bytes: the device's MAC */
	CAMFENCE_EVENT_A_ZONE,		/* string: zone name, if any */
	CAMFENCE_EVENT_A_DIR,		/* u8: enum camfence_dir, for the device */
	CAMFENCE_EVENT_A_SADDR,		/* binary 4 or 16 */
	CAMFENCE_EVENT_A_DADDR,		/* binary 4 or 16 */
	CAMFENCE_EVENT_A_PROTO,		/* u8 */
	CAMFENCE_EVENT_A_SPORT,		/* u16, 0 if none */
	CAMFENCE_EVENT_A_DPORT,		/* u16, 0 if none */
	CAMFENCE_EVENT_A_REASON,	/* u8: enum camfence_reason */
	CAMFENCE_EVENT_A_VERDICT,	/* u8: enum camfence_verdict */
	CAMFENCE_EVENT_A_SUPPRESSED,	/* u64: events suppressed before this one */
	__CAMFENCE_EVENT_A_MAX
};

#define CAMFENCE_EVENT_A_MAX (__CAMFENCE_EVENT_A_MAX - 1)

#endif /* _UAPI_LINUX_CAMFENCE_H */
