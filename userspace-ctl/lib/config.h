/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence configuration: a pure parser (no netlink) for camfence.conf(5)
 * and the CSV device list. Shared by camfencectl, camfenced, the unit tests
 * and the fuzz targets.
 */
#ifndef CAMFENCE_CONFIG_H
#define CAMFENCE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include "../../kmod/camfence_uapi.h"

#define CF_CFG_NAME_MAX CAMFENCE_NAME_MAX
#define CF_CFG_IFNAME_MAX 16		/* IFNAMSIZ, with the NUL */
#define CF_CFG_MAX_INCLUDE_DEPTH 8

struct cf_cfg_loc {
	const char *file;		/* points into cf_config.files */
	int line;			/* 1-based */
	int col;			/* 1-based; 0 for CSV */
};

struct cf_cfg_addr {
	int family;			/* AF_INET or AF_INET6 */
	uint8_t addr[16];		/* network byte order */
};

struct cf_cfg_zone {
	char name[CF_CFG_NAME_MAX + 1];
	int unknown;			/* enum camfence_action */
	int nvlans;
	uint16_t vlans[CAMFENCE_MAX_ZONE_VLANS];
	int nifs;
	char ifnames[CAMFENCE_MAX_ZONE_IFS][CF_CFG_IFNAME_MAX];
	struct cf_cfg_loc loc;
};

struct cf_cfg_rule {
	int dir;			/* enum camfence_dir */
	int family;			/* 0 = any peer, AF_INET, AF_INET6 */
	uint8_t peer[16];		/* network byte order, host bits zero */
	int prefixlen;
	int proto;			/* IP protocol 0-255; 0 = any */
	int nports;			/* 0 = any port */
	struct camfence_port_range ports[CAMFENCE_MAX_PORT_RANGES];
	struct cf_cfg_loc loc;
};

struct cf_cfg_profile {
	char name[CF_CFG_NAME_MAX + 1];
	int nrules;
	struct cf_cfg_rule *rules;
	struct cf_cfg_loc loc;
	/* synthesized for devices with several profiles: the union of the
	 * rules of the profiles of combo ("cam+nvr-pull"); loc is the first
	 * such device's
	 */
	bool combined;
	char combo[CF_CFG_NAME_MAX + 1];
};

struct cf_cfg_device {
	char name[CF_CFG_NAME_MAX + 1];
	uint8_t mac[6];
	int naddrs;
	struct cf_cfg_addr addrs[CAMFENCE_MAX_DEVICE_ADDRS];
	/* one profile; or, as parsed, several joined by '+' ("cam+nvr-pull"),
	 * which cf_config_validate() replaces by the name of the combined
	 * profile it synthesizes ("cam.nvr-pull"), keeping the list in combo
	 */
	char profile[CF_CFG_NAME_MAX + 1];
	char combo[CF_CFG_NAME_MAX + 1];
	int mode;			/* enum camfence_mode, DEFAULT if unset */
	char port[CF_CFG_IFNAME_MAX];	/* configured bridge port, "" if unset */
	struct cf_cfg_loc loc;
};

struct cf_config {
	int mode;			/* ENFORCE or MONITOR; DEFAULT if unset */
	int nzones, nprofiles, ndevices;
	struct cf_cfg_zone *zones;
	struct cf_cfg_profile *profiles;
	struct cf_cfg_device *devices;
	/* every file read (main file first), for locations and for
	 * camfenced's inotify watches
	 */
	int nfiles;
	char **files;
	/* per file: the include statement that read it first (file NULL
	 * for the main file or a buffer); for the include chain of errors
	 */
	struct cf_cfg_loc *file_from;
	/* include patterns (the path with its wildcards), matched or
	 * not, for camfenced's watches: a file that appears is read
	 */
	int nglobs;
	char **globs;
};

/* All errors of one parse, in file order: "FILE:LINE:COL: message". An
 * error in an included file is followed, in the same message, by a line
 * per include statement that led there, innermost first:
 * "cams.csv:3:19: invalid MAC ...\nsite.conf:12: included here".
 */
struct cf_diags {
	int count;
	char **msgs;
	/* set by the parse functions while they run: the files and their
	 * include statements, for the "included here" lines
	 */
	const struct cf_config *cfg;
	/* 0: keep every message; else keep the first limit messages and
	 * only count the others in more (count + more errors in all)
	 */
	int limit;
	int more;
};

/* What camfencectl and camfenced print: the first 50 errors, then
 * "N more errors".
 */
#define CF_DIAGS_SHOW	50

/* Flags for the parse functions. */
#define CF_CFG_NO_INCLUDE 0x1		/* treat include as an error (fuzzing) */

void cf_config_init(struct cf_config *cfg);
void cf_config_free(struct cf_config *cfg);
void cf_diags_init(struct cf_diags *d);
void cf_diags_free(struct cf_diags *d);

/*
 * Parse a configuration file, following includes (paths relative to the
 * including file; ".csv" files are device lists). Returns the number of
 * errors (0 = valid). Cross-checks (duplicate names, MACs, addresses,
 * unknown profiles) are done after everything is read.
 */
int cf_config_parse_file(const char *path, struct cf_config *cfg,
			 struct cf_diags *diags, unsigned int flags);

/* Same for a buffer; name is used in messages, basedir for includes. */
int cf_config_parse_buffer(const char *name, const char *buf, size_t len,
			   const char *basedir, struct cf_config *cfg,
			   struct cf_diags *diags, unsigned int flags);

/* Parse a CSV device list into cfg: a header naming the columns (name,
 * mac, profile; optionally ips and mode; others are ignored), in any order,
 * separated by ',', ';' or tabs (the header's separator). Profiles are
 * checked by the caller's final validation.
 */
int cf_csv_parse_buffer(const char *name, const char *buf, size_t len,
			struct cf_config *cfg, struct cf_diags *diags);

/*
 * Several profiles per device: "cam+nvr-pull" in the configuration is sent
 * to the kernel as the combined profile "cam.nvr-pull" (the kernel's names
 * have no '+'), the union of the rules.
 * cf_profile_list_add appends the profile name part to list (a
 * "+"-separated list, "" to start); 0, or -1 with a message in err
 * (invalid name, listed twice, combined name over CF_CFG_NAME_MAX).
 */
#define CF_COMBO_SEP	'+'	/* in the configuration and the CSV */
#define CF_COMBO_KSEP	'.'	/* in the combined profile's name */
int cf_profile_list_add(char list[CF_CFG_NAME_MAX + 1], const char *part,
			char *err, size_t errlen);

/* Final cross-checks over everything parsed; returns errors added. */
int cf_config_validate(struct cf_config *cfg, struct cf_diags *diags);

/* Lookups. */
const struct cf_cfg_profile *cf_config_find_profile(const struct cf_config *cfg,
						    const char *name);

/* Formatting helpers shared by the tools. */
const char *cf_mode_name(int mode);		/* "enforce", "monitor", "default" */
const char *cf_action_name(int action);		/* "drop", "monitor", "allow" */
/* "any" (0), "icmp", "tcp", "gre", "icmpv6" (58), ...: the keyword of
 * /etc/protocols (built in); NULL for a number without one.
 */
const char *cf_proto_name(int proto);
/* The name, or the number for a protocol without one ("253"). */
char *cf_format_proto(int proto, char *buf, size_t len);
/* A name of cf_proto_name() (and "ipv6-icmp"), a number 0-255, or
 * "proto-N" (sysfs' last_drop): 0-255, else -1.
 */
int cf_parse_proto(const char *s);
/* The protocol name s is likely a typo of (see cf_did_you_mean()), or NULL. */
const char *cf_proto_suggest(const char *s);
const char *cf_reason_name(int reason);		/* "no-rule", "spoofed", ... */
/* "10.20.0.0/24", "fd00::1", "any"; buf >= 64 bytes */
char *cf_format_prefix(int family, const uint8_t *addr, int prefixlen,
		       char *buf, size_t len);
/* "44:19:b6:00:00:01"; buf >= 18 bytes */
char *cf_format_mac(const uint8_t *mac, char *buf, size_t len);
/* One rule in config syntax: "allow to 10.20.0.1 udp 53,123" */
char *cf_format_rule(const struct cf_cfg_rule *r, char *buf, size_t len);

/*
 * Building blocks shared by config.c, csv.c and the tools (added by the
 * parser; all pure, no global state).
 */
/* 1 if s matches [A-Za-z0-9._-]{1,32} */
int cf_valid_name(const char *s);
/* 1 if s is a valid Linux interface name (1-15 chars, no '/', ':', space) */
int cf_valid_ifname(const char *s);
/* "aa:bb:cc:dd:ee:ff" or with '-' separators, Cisco's "aabb.ccdd.eeff",
 * or 12 hex digits "aabbccddeeff", any case. Returns 0, or
 * CF_MAC_ESYNTAX, CF_MAC_EMULTICAST (group bit set), CF_MAC_EZERO.
 */
#define CF_MAC_ESYNTAX		(-1)
#define CF_MAC_EMULTICAST	(-2)
#define CF_MAC_EZERO		(-3)
int cf_parse_mac(const char *s, uint8_t mac[6]);
/* One IPv4 or IPv6 address without prefix; 0 or -1. Unused bytes zeroed. */
int cf_parse_addr(const char *s, struct cf_cfg_addr *a);
/* 1 if a can be bound to a device: not unspecified, loopback, multicast
 * or (IPv4) 0.0.0.0/8 and the limited broadcast (what the kernel accepts).
 */
int cf_addr_is_unicast(const struct cf_cfg_addr *a);
/* "enforce" / "monitor" -> CAMFENCE_MODE_*, else -1 */
int cf_parse_mode(const char *s);
/* Append "FILE:LINE:COL: message" (col 0: "FILE:LINE: message"; line 0 or
 * no loc: "FILE: message" / "message") to d (d may be NULL).
 */
void cf_diag_add(struct cf_diags *d, const struct cf_cfg_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Record path in cfg->files (once); returns the stored copy. */
const char *cf_config_add_file(struct cf_config *cfg, const char *path);
/* Format a location as "FILE:LINE" into buf. */
char *cf_format_loc(const struct cf_cfg_loc *loc, char *buf, size_t len);

/*
 * lib/policytext.c: a configuration as text, and what loading one over
 * another changes (the policy read back from the kernel, cf_nl_get_policy(),
 * against a file).
 */
/* cfg in the configuration language (zones, profiles, devices, each a
 * block, in cfg's order), after header (comment lines, may be NULL); what it
 * writes parses back to the same configuration. 0, or -1 on a write error.
 */
int cf_config_write(FILE *f, const struct cf_config *cfg, const char *header);

struct cf_cfg_diffstat {
	int dev_added, dev_removed, dev_changed, dev_unchanged;
	int dev_by_profile;		/* of dev_changed: only their rules */
	int zone_added, zone_removed, zone_changed;
	int prof_added, prof_removed, prof_changed;
	bool mode_changed;
};

/*
 * What loading want changes in cur, written to f (NULL: only counted), in
 * the style of Junos' show | compare: "+mode enforce" / "-mode monitor"
 * (when want has a mode); "[edit zone NAME]", "[edit profile NAME]",
 * "[edit device NAME]" (or "[edit device OLD -> NEW]" for a renamed
 * device) followed by the "-    line" / "+    line" that changed (a profile
 * also lists the devices that use it, " # used by ..."); whole blocks with
 * "+" or "-" in front of every line for objects added or removed. Zones,
 * then profiles, then devices; each kind: want's order, then removals in
 * cur's order. Devices are matched by MAC, zones and profiles by name, as
 * the kernel does. Returns 1 if they differ, 0 if not, -1 on error.
 */
int cf_config_diff(FILE *f, const struct cf_config *cur,
		   const struct cf_config *want, struct cf_cfg_diffstat *st);
/* "devices: 1 added, 0 removed, 2 changed (1 by their profile's rules), 3
 * unchanged; profiles: ...; zones: ...; mode changed|unchanged"
 */
void cf_diffstat_print(FILE *f, const struct cf_cfg_diffstat *st);
/*
 * The same difference as members of the JSON object open in j: "differs",
 * "mode" ({"from", "to"} or null), "zones", "profiles", "devices" (each
 * {"added": [{"name", "lines"}], "removed": [...], "changed": [{"name",
 * "removed": [lines], "added": [lines]}]}; a changed profile has "used_by",
 * a renamed device "old_name"; devices also "changed_by_profile": [names])
 * and "summary" (the counts of st). Lines are written as in the text diff.
 * Returns as cf_config_diff().
 */
struct cf_json;
int cf_config_diff_json(struct cf_json *j, const struct cf_config *cur,
			const struct cf_config *want,
			struct cf_cfg_diffstat *st);

/*
 * lib/lint.c: what camfencectl check adds to the parser.
 */
/* The module parameters of kmod/main.c, with their defaults. */
#define CF_DEFAULT_MAX_DEVICES	65536
#define CF_DEFAULT_MAX_PROFILES	1024
#define CF_DEFAULT_MAX_RULES	64
#define CF_DEFAULT_MAX_ZONES	64

struct cf_kernel_limits {
	unsigned int max_devices, max_profiles, max_rules, max_zones;
};

/* An error (no "warning: ") at the first object over each limit: the
 * (max_zones + 1)th zone, the (max_profiles + 1)th profile, the
 * (max_rules + 1)th rule of each profile with too many, the
 * (max_devices + 1)th device. Returns the errors added.
 */
int cf_config_check_limits(const struct cf_config *cfg,
			   const struct cf_kernel_limits *lim,
			   struct cf_diags *d);

/* The module's seal (sealed_vlans, sealed_ifaces), when it is loaded. */
struct cf_lint_env {
	int nsealed_vlans;
	unsigned int sealed_vlans[CAMFENCE_MAX_ZONE_VLANS];
	int nsealed_ifs;
	char sealed_ifs[CAMFENCE_MAX_ZONE_IFS][CF_CFG_IFNAME_MAX];
};

/*
 * Warnings ("FILE:LINE:COL: warning: ..."), in this order: devices but no
 * zone (at the first device); a zone with unknown allow unless the mode is
 * monitor; per profile: used by no device (only when there are devices),
 * "allow to any" / "allow from any" in a profile some device uses, a rule
 * equal to an earlier one of the profile, port ranges of one rule that
 * overlap; a sealed VLAN or interface of env (may be NULL) in no zone.
 * Returns the warnings added.
 */
int cf_config_lint(const struct cf_config *cfg, const struct cf_lint_env *env,
		   struct cf_diags *w);

/*
 * lib/seal.c: the module's seal. A VLAN of sealed_vlans or an interface of
 * sealed_ifaces that no zone of the active policy covers is sealed
 * (everything dropped), in the initial network namespace. A commit that
 * takes a VLAN or interface out of every zone re-seals it, or leaves it
 * open (not in the seal: no longer filtered at all).
 */
/* env from the parameters' text ("20,21", "cam0,cam1"; NULL = none);
 * entries that are not a VLAN ID or an interface name are skipped.
 */
void cf_seal_parse(struct cf_lint_env *env, const char *vlans,
		   const char *ifaces);
/*
 * The seal that applies to this process's network namespace: the
 * parameters in params_dir (/sys/module/camfence/parameters) in the
 * initial namespace, none in another (netns_given: -n NETNS, used when
 * the namespace cannot be compared with PID 1's).
 */
void cf_seal_read(struct cf_lint_env *env, const char *params_dir,
		  bool netns_given);
/* Does a zone of cfg list this VLAN ID / interface name? */
bool cf_config_covers_vlan(const struct cf_config *cfg, unsigned int vid);
bool cf_config_covers_if(const struct cf_config *cfg, const char *ifn);

struct cf_seal_item {
	char zone[CF_CFG_NAME_MAX + 1];	/* its zone in the active policy */
	bool zone_removed;		/* the new policy has no such zone */
	unsigned int vlan;		/* or 0 and ifname */
	char ifname[CF_CFG_IFNAME_MAX];
	bool sealed;			/* re-sealed; false: OPEN */
};

struct cf_seal_changes {
	int n, cap, nopen;
	struct cf_seal_item *items;	/* in cur's order: zones, VLANs, ifs */
};

/*
 * Each VLAN and interface of a zone of cur that no zone of want covers,
 * re-sealed by env (may be NULL: no seal) or open. Returns their number,
 * -1 out of memory. Free c with cf_seal_changes_free().
 */
int cf_seal_compare(const struct cf_config *cur, const struct cf_config *want,
		    const struct cf_lint_env *env, struct cf_seal_changes *c);
void cf_seal_changes_free(struct cf_seal_changes *c);
/* "zone b (removed): VLAN 21 re-sealed (sealed_vlans)",
 * "zone b: interface cam0 OPEN: not in sealed_vlans/sealed_ifaces"
 */
const char *cf_seal_item_text(const struct cf_seal_item *it, char *buf,
			      size_t len);
/* every item's text, one a line */
void cf_seal_print(FILE *f, const struct cf_seal_changes *c);
/* the open ones: "zone b VLAN 22, zone c interface cam0" */
const char *cf_seal_open_text(const struct cf_seal_changes *c, char *buf,
			      size_t len);
/* "seal": [{zone, zone_removed, vlan | interface, state, sealed_by}],
 * "would_open": bool, as members of the open object
 */
struct cf_json;
void cf_seal_json(struct cf_json *j, const struct cf_seal_changes *c);

#endif /* CAMFENCE_CONFIG_H */
