/* SPDX-License-Identifier: GPL-2.0 */
/* camfencectl: shared declarations of the subcommands (one file each). */
#ifndef CAMFENCE_CTL_H
#define CAMFENCE_CTL_H

#include <stdbool.h>
#include "config.h"
#include "json.h"
#include "nl.h"
#include "vendor.h"

#define CTL_OK		0
#define CTL_FAIL	1	/* bad input, refused by the kernel */
#define CTL_USAGE	2
#define CTL_ABSENT	(-1)	/* ctl_open(): module not loaded; exit 1 */

extern const char *prog;
extern bool ctl_json;
extern bool ctl_force;		/* -y, --force: flush and load */
extern bool ctl_dry_run;	/* --dry-run: load only */
extern bool ctl_strict;		/* --strict: check only */
extern bool ctl_print;		/* --print: check only */
extern const char *ctl_confirm;	/* --confirm SECONDS: load only */
extern const char *ctl_netns;	/* -n NETNS, or NULL */

struct ctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);	/* argv[0] is the subcommand */
	const char *args;
	const char *help;
	const char *detail;		/* help CMD: options, one per line */
};

int cmd_check(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_unknown(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_learn(int argc, char **argv);
int cmd_mode(int argc, char **argv);
int cmd_flush(int argc, char **argv);
int cmd_metrics(int argc, char **argv);
int cmd_diff(int argc, char **argv);
void ctl_warn_offload(struct cf_nl *nl);
int cmd_confirm(int argc, char **argv);
int cmd_vendor(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_mud(int argc, char **argv);
int cmd_report(int argc, char **argv);

/* Vendor recognition (ctl/vendor.c): the registries of CAMFENCE_IEEE_DATA
 * (default /usr/share/ieee-data) and CAMFENCE_PROFILES/camera-vendors.list
 * (default /usr/share/camfence/profiles), loaded once. A missing registry
 * gives "-" (JSON null) as every vendor; err says why.
 */
const char *ctl_ieee_dir(void);
const char *ctl_profiles_dir(void);
struct cf_vendor_db *ctl_vendor_db(const char **err);
void ctl_vendor_of(const uint8_t mac[6], struct cf_vendor *v);
const char *ctl_vendor_cell(const struct cf_vendor *v);
void ctl_vendor_json(struct cf_json *j, const struct cf_vendor *v);

/* "camfencectl: <msg>" on stderr */
__attribute__((format(printf, 1, 2)))
void ctl_err(const char *fmt, ...);
/* Prints the usage of one subcommand and returns CTL_USAGE. */
int ctl_usage(const char *cmd);
/*
 * Opens the netlink socket without ever loading the module; prints the
 * cause and returns CTL_ABSENT when the module is not loaded ("camfence is
 * not loaded (modprobe camfence; dkms status)"), CTL_FAIL on another error.
 * Both are non-zero and exit status 1.
 */
int ctl_open(struct cf_nl *nl);
/* The same for load: the kernel loads the module if it is installed. */
int ctl_open_load(struct cf_nl *nl);
/* Prints the error of a failed request, returns CTL_FAIL. */
int ctl_nl_fail(struct cf_nl *nl, int err);
/* Parses and validates FILE, printing every error; 0 if valid. */
int ctl_parse(const char *path, struct cf_config *cfg);
/* "generation 3: 2 added, 0 removed, 1 changed, 4 unchanged" */
void ctl_print_commit(const struct cf_commit *c);

/* load.c: the seal check of a load of want (FILE path) before it commits:
 * reads the active policy back, then ctl_seal_gate(); CTL_OK or CTL_FAIL.
 */
int ctl_load_gate(struct cf_nl *nl, const struct cf_config *want,
		  const char *path);
/* load's report: the devices added, removed, changed, the generation */
void ctl_print_load(const struct cf_commit *res, const struct cf_diff *diff);

/* policy.c: reads the active policy back (cf_config_init()s cfg, prints
 * the error); CTL_OK or CTL_FAIL.
 */
int ctl_read_policy(struct cf_nl *nl, struct cf_config *cfg, uint64_t *gen,
		    bool *sealed);
/* The comment that heads show policy's output. */
void ctl_policy_header(char *buf, size_t len, uint64_t gen, bool sealed);
int ctl_show_policy(struct cf_nl *nl);
/* diff FILE (dry_run false), load --dry-run FILE: 0 same, 1 differs, 2
 * trouble
 */
int ctl_diff_file(const char *path, bool dry_run);

/* confirm.c */
int ctl_load_confirm(const char *path, const char *secs);
/* a plain load committed while a confirmation is pending: says so */
void ctl_warn_pending(void);

/*
 * seal.c: the module's parameters directory (CAMFENCE_PARAMS_DIR replaces
 * it), one parameter's value ("" if empty; -1 if unreadable).
 */
const char *ctl_params_dir(void);
int ctl_read_param(const char *name, char *buf, size_t len);
/* The seal that applies where camfencectl commits: sealed_vlans and
 * sealed_ifaces in the initial network namespace, none in another.
 */
void ctl_seal_env(struct cf_lint_env *env);
/*
 * Before a commit of want in place of cur: prints what happens to each
 * VLAN and interface that leaves the zones ("zone b (removed): VLAN 21
 * re-sealed (sealed_vlans)", "... OPEN: not in sealed_vlans/sealed_ifaces")
 * and, if one would be open and not --force, refuses ("camfencectl: refusing
 * to VERB: ... run 'RETRY' (or -y) to VERB anyway"): CTL_FAIL. Else CTL_OK.
 */
int ctl_seal_gate(const struct cf_config *cur, const struct cf_config *want,
		  const char *verb, const char *retry);

/* A left-aligned text table with columns separated by two spaces. */
struct ctl_table {
	int ncols, nrows, cap;
	char **cells;			/* nrows * ncols, strdup'ed */
};

void ctl_table_init(struct ctl_table *t, int ncols, const char *const *hdr);
void ctl_table_row(struct ctl_table *t, const char *const *cells);
void ctl_table_print(struct ctl_table *t, FILE *f, const char *indent);
void ctl_table_free(struct ctl_table *t);

#endif /* CAMFENCE_CTL_H */
