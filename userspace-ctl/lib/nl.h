/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence netlink client (libnl-genl-3): the only code in userspace that
 * speaks the generic netlink family of kmod/camfence_uapi.h. Shared by
 * camfencectl and camfenced.
 *
 * Functions return 0 or a negative errno. -ENOENT from cf_nl_open() means
 * the family is not registered (module not loaded). Only
 * cf_nl_open_autoload() may load the module. After a kernel error,
 * nl->errmsg holds the extack message ("" if the kernel gave none);
 * cf_nl_strerror() turns an error into the text the tools print.
 */
#ifndef CAMFENCE_NL_H
#define CAMFENCE_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/netlink.h>
#include "config.h"

struct nl_sock;

struct cf_nl {
	struct nl_sock *sk;
	int family;			/* generic netlink family id */
	int events_grp;			/* multicast group id, -1 if unknown */
	char errmsg[256];		/* extack message of the last error */
};

struct cf_evidence {
	int dir;			/* enum camfence_dir */
	int family;			/* AF_INET, AF_INET6, 0 if no peer */
	uint8_t peer[16];
	int proto;
	uint16_t port;
	int reason;			/* enum camfence_reason */
	uint64_t count, first_seen, last_seen;
};

/* A DNS name the device asked for (kmod/dns.c), one per name and verdict. */
struct cf_dns_name {
	char name[CAMFENCE_DNS_NAME_MAX + 1];	/* lower case, "." the root */
	int verdict;				/* enum camfence_verdict */
	uint64_t count, first_seen, last_seen;
};

struct cf_dev_info {
	char name[CAMFENCE_NAME_MAX + 1];
	uint8_t mac[6];
	int naddrs;
	struct cf_cfg_addr addrs[CAMFENCE_MAX_DEVICE_ADDRS];
	char profile[CAMFENCE_NAME_MAX + 1];
	int mode;			/* configured: DEFAULT, ENFORCE, MONITOR */
	int effective_mode;		/* ENFORCE or MONITOR */
	uint64_t allowed_packets, allowed_bytes;
	uint64_t dropped_packets, dropped_bytes;
	uint64_t monitored_packets, spoofed_packets, events_suppressed;
	uint64_t last_seen;
	char port[16];			/* bridge port bound to, "" none */
	char seen_port[16];		/* bridge port last seen on */
	bool has_last_drop;
	struct cf_evidence last_drop;
	int nevidence;
	struct cf_evidence evidence[CAMFENCE_EVIDENCE_SLOTS];
	/* DNS names: has_dns once the kernel has a table for the device;
	 * dns_total is how many it holds (more than ndns: the reply was cut)
	 */
	bool has_dns;
	uint32_t dns_total;
	uint64_t dns_invalid, dns_replaced;
	int ndns;
	struct cf_dns_name dns[CAMFENCE_DNS_NAMES];
};

/* Is s a DNS name as the kernel records it (kmod/dns.c)? */
bool cf_valid_dns_name(const char *s);
/* Sorts DNS names: most queries first, then by name, then by verdict. */
void cf_dns_sort(struct cf_dns_name *v, int n);

struct cf_stats {
	int mode;
	uint64_t generation;
	uint32_t device_count;
	bool sealed;
	char module_version[64];
	/* "IFNAME switchdev|flowtable" lines: zone interfaces whose traffic
	 * can bypass the hooks (kernel offload.c); "" when none
	 */
	char offload[1024];
	uint64_t allowed_packets, dropped_packets, unknown_packets;
	uint64_t spoofed_packets, events_suppressed, monitored_packets;
	/* 0 from a module older than these counters */
	uint64_t unknown_not_recorded, evidence_not_recorded;
};

struct cf_unknown {
	uint8_t mac[6];
	char zone[CAMFENCE_NAME_MAX + 1];
	uint16_t vlan;
	char ifname[CF_CFG_IFNAME_MAX];
	int family;			/* 0 if no address seen */
	uint8_t addr[16];
	uint64_t first_seen, last_seen, packets;
};

struct cf_event {
	uint64_t timestamp_ns;
	char device[CAMFENCE_NAME_MAX + 1];	/* "" for unknown devices */
	bool has_mac;
	uint8_t mac[6];
	char zone[CAMFENCE_NAME_MAX + 1];
	int dir, proto, reason, verdict;
	int family;
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	uint64_t suppressed;
};

struct cf_commit {
	uint64_t generation;
	uint32_t added, removed, changed, unchanged;
	/* the configuration equalled the active policy: nothing was
	 * committed and the generation is the one before
	 */
	bool noop;
	/* in the reply to BEGIN: CAMFENCE_A_TXN_ID, 0 from a module without */
	uint64_t txn_id;
};

/* Device names by category, computed by comparing the devices in the kernel
 * (by MAC) with a configuration; sorted.
 */
struct cf_diff {
	int nadded, nremoved, nchanged;
	char **added, **removed, **changed;
};

/*
 * Opens a socket and finds the family (and its events group) in a dump of
 * the registered generic netlink families: never loads the module; -ENOENT
 * if it is not loaded. For every reader, and any writer but a load.
 */
int cf_nl_open(struct cf_nl *nl);
/* The same, but the family is resolved by name: when camfence.ko is
 * installed and not loaded, the kernel loads it (the family alias).
 * camfencectl load and camfenced at start.
 */
int cf_nl_open_autoload(struct cf_nl *nl);
void cf_nl_close(struct cf_nl *nl);
/* "camfence is not loaded (modprobe camfence; dkms status)",
 * "permission denied (need CAP_NET_ADMIN)", "kernel: <extack>", or strerror.
 */
const char *cf_nl_strerror(const struct cf_nl *nl, int err);

typedef int (*cf_dev_fn)(const struct cf_dev_info *d, void *arg);
typedef int (*cf_unknown_fn)(const struct cf_unknown *u, void *arg);
typedef int (*cf_event_fn)(const struct cf_event *ev, void *arg);

/* name NULL: dump every device; else get one (-ENOENT if absent). fn returns
 * 0 to go on, non-zero to stop (a negative value is also returned as the
 * error). *generation (may be NULL) gets the policy generation. A dump
 * interrupted by a commit is retried. A reply that does not decode (see
 * cf_decode_device()) fails the request with -EBADMSG; the same holds for
 * the other requests.
 */
int cf_nl_get_devices(struct cf_nl *nl, const char *name, cf_dev_fn fn,
		      void *arg, uint64_t *generation);
int cf_nl_get_stats(struct cf_nl *nl, struct cf_stats *st);
int cf_nl_get_unknown(struct cf_nl *nl, cf_unknown_fn fn, void *arg);
int cf_nl_set_mode(struct cf_nl *nl, int mode);
int cf_nl_flush(struct cf_nl *nl, struct cf_commit *res);

/*
 * Loads cfg as one transaction: BEGIN, ADD messages of about 16 KiB (zones,
 * profiles, devices, the global mode), COMMIT. On any error the transaction
 * is aborted and the active policy is unchanged. diff (may be NULL) gets the
 * names of the devices added, removed and changed.
 */
int cf_nl_load(struct cf_nl *nl, const struct cf_config *cfg,
	       struct cf_commit *res, struct cf_diff *diff);
void cf_diff_free(struct cf_diff *diff);

/*
 * Reads the committed policy back (one GET_POLICY dump, retried when a
 * commit interrupts it) into cfg (cf_config_init()ed by the caller; locations
 * are empty): the global mode, zones (VLANs ascending, interfaces sorted),
 * profiles with their rules, devices, each in the kernel's order.
 * *generation and *sealed (may be NULL) get the generation and whether no
 * policy was committed yet (then cfg holds only the mode).
 */
int cf_nl_get_policy(struct cf_nl *nl, struct cf_config *cfg,
		     uint64_t *generation, bool *sealed);

/* Events: subscribe this socket to the events group (use a socket of its
 * own), then call cf_nl_events_recv() whenever cf_nl_fd() is readable.
 * cf_nl_events_recv() returns -ENOBUFS when events were lost (the socket
 * stays usable).
 */
int cf_nl_events_subscribe(struct cf_nl *nl);
int cf_nl_fd(const struct cf_nl *nl);
int cf_nl_events_recv(struct cf_nl *nl, cf_event_fn fn, void *arg);

/*
 * Decoders of one message from the kernel, callable without a socket
 * (lib/nlmsg.c; nl.c's callbacks, fuzz/fuzz_nlmsg.c and tests/test_nlmsg.c
 * use them). nlh points to len readable bytes that hold one netlink message:
 * nlmsghdr, genlmsghdr and the attributes of kmod/camfence_uapi.h. Nothing
 * in it is trusted: they return 0 and fill *out, or -EBADMSG (and *out
 * zeroed) when the message is malformed: nlmsg_len beyond len or shorter
 * than the headers, bytes left over after the last attribute (of the message
 * or of a nest), a known attribute of the wrong size, a string without its
 * NUL or longer than the uapi allows, a name that is not a valid name, an
 * address that is neither 4 nor 16 bytes, more addresses or evidence
 * entries than the uapi's maximum, a missing nest or identity (a device's
 * NAME and MAC, an unknown entry's MAC). Attributes of types the decoder
 * does not know (a newer module) are ignored; of a repeated attribute that
 * is not repeatable, the last counts.
 */
/* GET_DEVICE: *generation (may be NULL) gets CAMFENCE_A_GENERATION when
 * present and is left alone otherwise.
 */
int cf_decode_device(const struct nlmsghdr *nlh, size_t len,
		     struct cf_dev_info *d, uint64_t *generation);
int cf_decode_stats(const struct nlmsghdr *nlh, size_t len,
		    struct cf_stats *st);
int cf_decode_unknown(const struct nlmsghdr *nlh, size_t len,
		      struct cf_unknown *u);
/* One message of the GET_POLICY dump (see camfence_uapi.h). */
enum cf_policy_msg_kind {
	CF_PMSG_HEAD,			/* mode, sealed */
	CF_PMSG_ZONE,
	CF_PMSG_PROFILE,		/* a part of a profile's rules */
	CF_PMSG_DEVICE,
};

struct cf_policy_msg {
	int kind;
	uint64_t generation;
	int mode;			/* HEAD: ENFORCE or MONITOR */
	bool sealed;			/* HEAD */
	struct cf_cfg_zone zone;	/* ZONE */
	/* PROFILE: profile.rules (malloc'ed, profile.nrules of them) are the
	 * rules first_rule .. first_rule + nrules - 1 of total
	 */
	struct cf_cfg_profile profile;
	uint32_t first_rule, total_rules;
	struct cf_cfg_device device;	/* DEVICE */
};

/* Every attribute checked as for cf_decode_device(), plus: exactly one of
 * ZONE, PROFILE, DEVICE (or none: the head, which needs MODE and SEALED),
 * GENERATION present, names and interface names valid, VLANs 1-4094 (at
 * most 64), actions, modes, directions and prefix lengths in range, port
 * ranges ordered and only with tcp/udp, a profile's rules within its total.
 * Free with cf_policy_msg_free() (also after an error).
 */
int cf_decode_policy(const struct nlmsghdr *nlh, size_t len,
		     struct cf_policy_msg *m);
void cf_policy_msg_free(struct cf_policy_msg *m);
/* The reply to COMMIT and FLUSH, and to BEGIN (txn_id). */
int cf_decode_commit(const struct nlmsghdr *nlh, size_t len,
		     struct cf_commit *c);
/* -ENOMSG (and *ev zeroed) for a well-formed message of another command. */
int cf_decode_event(const struct nlmsghdr *nlh, size_t len,
		    struct cf_event *ev);
/*
 * An NLMSG_ERROR or NLMSG_DONE message: *error gets its error, a negative
 * errno or 0 (-EPROTO when the value is no errno), msg (msglen > 0) the
 * extended ack message, "" if none; non-printable bytes become '?'.
 * -EBADMSG (and msg "") if the message is malformed; *error is still set
 * when the part that holds it is complete, else 0.
 */
int cf_decode_extack(const struct nlmsghdr *nlh, size_t len, int *error,
		     char *msg, size_t msglen);

/* Formatting shared by the tools (lib/nlmsg.c). */
/* "2026-11-23T11:24:20Z"; "never" for 0; buf >= 32 */
char *cf_format_time(uint64_t secs, char *buf, size_t len);
/* "udp 203.0.113.7:6800", "tcp [fd00::1]:443", "icmp 10.0.0.1"; "" if none */
char *cf_format_drop(const struct cf_evidence *e, char *buf, size_t len);
/* Address by length/family: "10.20.0.11", "fd00::1"; buf >= 64 */
char *cf_format_addr(int family, const uint8_t *addr, char *buf, size_t len);
/* One line: "<ts> dropped lobby-1 44:19:b6:00:00:01 to udp 10.20.0.11:40000
 * -> 203.0.113.7:6800 reason no-rule zone cameras"
 */
char *cf_format_event(const struct cf_event *ev, char *buf, size_t len);
/* RFC 3339, UTC, nanoseconds: "2026-11-23T11:24:20.123456789Z"; buf >= 40 */
char *cf_format_time_ns(uint64_t ns, char *buf, size_t len);
/*
 * monitor -j: one event as a JSON object: "time" (cf_format_time_ns() of
 * the kernel's CLOCK_REALTIME stamp), "timestamp" (integer seconds since
 * the epoch), "timestamp_ns", then device, mac, zone (null when none),
 * verdict, dir, proto, saddr, sport, daddr, dport, reason, suppressed.
 */
struct cf_json;
void cf_event_json(struct cf_json *j, const struct cf_event *ev);
const char *cf_verdict_name(int verdict);
const char *cf_dir_name(int dir);

/* Prometheus text exposition of the global and per-device counters:
 * requests them, then cf_metrics_write(). 0, -EIO on a write error.
 */
int cf_nl_write_metrics(struct cf_nl *nl, FILE *f);
/* per_device false: the global metrics only (no device dump) */
int cf_nl_write_metrics_opt(struct cf_nl *nl, FILE *f, bool per_device);

/* The formatting itself (lib/metrics.c, no socket). */
struct cf_metrics_dev {
	char name[CAMFENCE_NAME_MAX + 1];
	uint8_t mac[6];
	uint64_t allowed_packets, allowed_bytes;
	uint64_t dropped_packets, dropped_bytes;
	uint64_t monitored_packets, spoofed_packets, events_suppressed;
	uint64_t last_seen;
};

/* "camfence_up 1", the global metrics, then every per-device metric for
 * devs in the given order (camfencectl sorts them by name).
 */
int cf_metrics_write(FILE *f, const struct cf_stats *st,
		     const struct cf_metrics_dev *devs, size_t n);
/* per_device false: without the camfence_device_* metrics (HELP included) */
int cf_metrics_write_opt(FILE *f, const struct cf_stats *st,
			 const struct cf_metrics_dev *devs, size_t n,
			 bool per_device);
/* Only "camfence_up 0" and camfence_build_info: the module is not loaded. */
int cf_metrics_write_down(FILE *f);
/*
 * camfenced's own: camfence_config_last_reload_success (reload_ok),
 * camfence_config_last_reload_timestamp_seconds (reload_time, 0 none) and,
 * unless matches is -1 (nothing to compare: no module or no valid file),
 * camfence_config_policy_matches.
 */
int cf_metrics_write_config(FILE *f, bool reload_ok, int64_t reload_time,
			    int matches);

#endif /* CAMFENCE_NL_H */
