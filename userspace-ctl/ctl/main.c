// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl: the command-line tool of camfence, in the style of ip, wg and
 * nft. One file per subcommand; this file holds the subcommand table, the
 * option parsing and the helpers they share.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ctl.h"

#ifndef CAMFENCE_VERSION
#define CAMFENCE_VERSION "unknown"
#endif

const char *prog = "camfencectl";
bool ctl_json;
bool ctl_force;
const char *ctl_netns;
bool ctl_dry_run;
bool ctl_strict;
bool ctl_print;
const char *ctl_confirm;

static int cmd_help(int argc, char **argv);
static void usage(FILE *f);

static const struct ctl_cmd cmds[] = {
	{ "check", cmd_check, "[--strict] [--print] FILE",
	  "validate a configuration without loading it (kernel limits, warnings)",
	  "  --strict                 warnings are errors\n"
	  "  --print                  print the policy the kernel would get (defines\n"
	  "                           expanded, combined profiles) instead of a summary\n" },
	{ "load", cmd_load, "[-y|--force] [--dry-run|--confirm SECONDS] FILE",
	  "validate and load a configuration atomically",
	  "  -y, --force              also when a VLAN or interface leaving the zones would\n"
	  "                           be open (not in sealed_vlans/sealed_ifaces)\n"
	  "  --dry-run                print what would change, commit nothing (= diff)\n"
	  "  --confirm SECONDS        roll back unless 'camfencectl confirm' comes in time\n"
	  "  -j, --json               with --dry-run: the changes as JSON\n" },
	{ "diff", cmd_diff, "FILE", "what loading FILE would change (exit 0 same, 1 differs, 2 error)",
	  "  -j, --json               the changes as JSON\n" },
	{ "confirm", cmd_confirm, "", "keep the policy of load --confirm (cancel its rollback)", NULL },
	{ "show", cmd_show, "[NAME|device NAME|policy]",
	  "devices with counters; one device in detail; the committed policy",
	  "  -j, --json               JSON output\n" },
	{ "stats", cmd_stats, "", "global counters, generation and mode",
	  "  -j, --json               JSON output\n" },
	{ "unknown", cmd_unknown, "[--csv] [--from FILE]", "MACs seen in zones that no device claims (--csv: a draft list; --from FILE)",
	  "  --csv                    a draft device list (camfence.conf(5) CSV)\n"
	  "  --from FILE              read a saved 'camfencectl -j unknown' instead of the kernel\n"
	  "  -j, --json               JSON output\n" },
	{ "monitor", cmd_monitor, "", "print events (denied connections) until interrupted",
	  "  -j, --json               one JSON object per line (\"time\": RFC 3339, UTC, ns;\n"
	  "                           \"timestamp\": seconds since the epoch)\n" },
	{ "learn", cmd_learn, "NAME [--profile NEWNAME]", "print rules that would allow what NAME was denied",
	  "  --profile NEWNAME        a whole profile: NAME's profile and the learned rules\n"
	  "  -j, --json               JSON output\n" },
	{ "mode", cmd_mode, "enforce|monitor", "set the global mode", NULL },
	{ "flush", cmd_flush, "[-y|--force]", "replace the policy by an empty one (zones re-sealed or open)",
	  "  -y, --force              also when a zone's VLAN or interface would be open\n"
	  "                           (not in sealed_vlans/sealed_ifaces; it names them)\n" },
	{ "metrics", cmd_metrics, "", "counters in the Prometheus text format", NULL },
	{ "vendor", cmd_vendor, "MAC...", "the registered vendor of MAC addresses (IEEE registries)",
	  "  -j, --json               JSON output\n" },
	{ "report", cmd_report, "[-o FILE] [-c CONFIG] [--from FILE] [--title TEXT]",
	  "the site report: one self-contained HTML page",
	  "  -o FILE                  write the page to FILE (default: standard output)\n"
	  "  -c, --config CONFIG      add each device's rules from CONFIG\n"
	  "  --from FILE              render a saved 'camfencectl -j report'\n"
	  "  --title TEXT             the page's title\n"
	  "  -j, --json               the data as JSON instead of the page\n" },
	{ "mud", cmd_mud, "import|export ...", "MUD files (RFC 8520) to and from profiles",
	  "  mud import FILE [--name NAME] [--partial]\n"
	  "  mud export PROFILE -c CONFIG [--url URL] [--systeminfo TEXT]\n" },
	{ "profile", cmd_profile, "[NAME OPTIONS]", "list the vendor profiles; NAME --nvr A --router A: one for a site",
	  "  profile                  list the vendor profiles\n"
	  "  profile NAME --nvr ADDR[,ADDR...] --router ADDR [--operators PREFIX] [--name NEWNAME]\n" },
	{ "help", cmd_help, "[COMMAND]", "this help, or the help of COMMAND", NULL },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/*
 * The command NAME names: itself, or the one command it is an abbreviation
 * of (like ip: "sh" is show). NULL when none; *amb is set when NAME starts
 * several commands.
 */
static const struct ctl_cmd *find_cmd(const char *name, bool *amb)
{
	const struct ctl_cmd *c = NULL;
	size_t i, n = strlen(name);

	*amb = false;
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	for (i = 0; n && i < NCMDS; i++)
		if (!strncmp(cmds[i].name, name, n)) {
			if (c)
				*amb = true;
			c = &cmds[i];
		}
	return *amb ? NULL : c;
}

/* "camfencectl: ambiguous command 'm': mode, metrics, mud" or unknown. */
static int bad_cmd(const char *name, bool amb, bool with_usage)
{
	size_t i, n = strlen(name);
	int k = 0;

	if (!amb && with_usage) {
		ctl_err("unknown command '%s'", name);
		usage(stderr);
		return CTL_USAGE;
	}
	if (!amb) {
		ctl_err("unknown command '%s' (try '%s help')", name, prog);
		return CTL_USAGE;
	}
	fprintf(stderr, "%s: ambiguous command '%s':", prog, name);
	for (i = 0; i < NCMDS; i++)
		if (!strncmp(cmds[i].name, name, n))
			fprintf(stderr, "%s %s", k++ ? "," : "", cmds[i].name);
	fputc('\n', stderr);
	return CTL_USAGE;
}

static void cmd_usage(const struct ctl_cmd *c, FILE *f)
{
	fprintf(f, "Usage: %s [-j] [-n NETNS] %s%s%s\n\n  %s\n", prog, c->name,
		c->args[0] ? " " : "", c->args, c->help);
	if (c->detail)
		fprintf(f, "\n%s", c->detail);
	fprintf(f, "\nSee camfencectl(8).\n");
}

/* help [COMMAND]; COMMAND --help */
static int cmd_help(int argc, char **argv)
{
	const struct ctl_cmd *c;
	bool amb;

	if (argc > 2)
		return ctl_usage(argv[0]);
	if (argc == 1) {
		usage(stdout);
		return CTL_OK;
	}
	c = find_cmd(argv[1], &amb);
	if (!c)
		return bad_cmd(argv[1], amb, false);
	cmd_usage(c, stdout);
	return CTL_OK;
}

/* Subcommands that parse their own options (after their name; -j stays global). */
static bool own_opts(const char *name)
{
	static const char *const own[] = { "unknown", "mud", "report", "profile", "learn" };
	const struct ctl_cmd *c;
	size_t i;
	bool amb;

	c = find_cmd(name, &amb);
	for (i = 0; c && i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(own[i], c->name))
			return true;
	return false;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-j|--json] [-n NETNS] COMMAND [ARGS]\n"
		"       %s help [COMMAND] | COMMAND --help | --version\n\n"
		"Commands (any unambiguous abbreviation: sh = show):\n", prog, prog);
	for (i = 0; i < NCMDS; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s %s", cmds[i].name, cmds[i].args);
		if (strlen(left) > 24)
			fprintf(f, "  %s\n  %-24s %s\n", left, "", cmds[i].help);
		else
			fprintf(f, "  %-24s %s\n", left, cmds[i].help);
	}
	fprintf(f, "\nOptions:\n"
		"  -j, --json               JSON output for the read commands\n"
		"  -y, --force              load, flush: also when a VLAN or interface would open\n"
		"  --strict                 check: warnings are errors\n"
		"  --print                  check: print the policy the kernel would get\n"
		"  --dry-run                load: print what would change, commit nothing\n"
		"  --confirm SECONDS        load: roll back unless 'confirm' comes in time\n"
		"  -n, --netns NETNS        run in the network namespace NETNS (/run/netns)\n"
		"  -h, --help               this help; after a command, its help\n"
		"  -V, --version            print the version\n"
		"\nExit status: 0 success, 1 bad input or refused, 2 usage;\n"
		"diff and load --dry-run: 0 no change, 1 changes, 2 trouble.\n");
}

int ctl_usage(const char *cmd)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, cmd)) {
			fprintf(stderr, "Usage: %s [-j] %s %s\n", prog,
				cmds[i].name, cmds[i].args);
			return CTL_USAGE;
		}
	usage(stderr);
	return CTL_USAGE;
}

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int open_fail(struct cf_nl *nl, int err)
{
	if (!err)
		return 0;
	ctl_err("%s", cf_nl_strerror(nl, err));
	return err == -ENOENT ? CTL_ABSENT : CTL_FAIL;
}

int ctl_open(struct cf_nl *nl)
{
	return open_fail(nl, cf_nl_open(nl));
}

int ctl_open_load(struct cf_nl *nl)
{
	return open_fail(nl, cf_nl_open_autoload(nl));
}

int ctl_nl_fail(struct cf_nl *nl, int err)
{
	ctl_err("%s", cf_nl_strerror(nl, err));
	return CTL_FAIL;
}

int ctl_parse(const char *path, struct cf_config *cfg)
{
	struct cf_diags d;
	int i, n;

	cf_diags_init(&d);
	d.limit = CF_DIAGS_SHOW;
	n = cf_config_parse_file(path, cfg, &d, 0);
	/* FILE:LINE:COL: messages; the main file unreadable: our own */
	for (i = 0; i < d.count; i++)
		fprintf(stderr, "%s%s\n", cfg->nfiles ? "" : "camfencectl: ",
			d.msgs[i]);
	if (d.more)
		ctl_err("%d more error%s", d.more, d.more == 1 ? "" : "s");
	if (n > 0 && d.count == 0)
		ctl_err("%s: invalid configuration", path);
	cf_diags_free(&d);
	return n > 0 ? -1 : 0;
}

void ctl_print_commit(const struct cf_commit *c)
{
	printf("generation %llu: %u added, %u removed, %u changed, %u unchanged\n",
	       (unsigned long long)c->generation, c->added, c->removed,
	       c->changed, c->unchanged);
}

/* ---- tables ---- */

static char *xstrdup(const char *s)
{
	char *p = strdup(s ? s : "");

	if (!p) {
		ctl_err("out of memory");
		exit(CTL_FAIL);
	}
	return p;
}

void ctl_table_init(struct ctl_table *t, int ncols, const char *const *hdr)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	ctl_table_row(t, hdr);
}

void ctl_table_row(struct ctl_table *t, const char *const *cells)
{
	int i;

	if (t->nrows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, (size_t)cap * t->ncols * sizeof(*c));

		if (!c) {
			ctl_err("out of memory");
			exit(CTL_FAIL);
		}
		t->cells = c;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = xstrdup(cells[i]);
	t->nrows++;
}

void ctl_table_print(struct ctl_table *t, FILE *f, const char *indent)
{
	int *w = calloc(t->ncols, sizeof(*w));
	int r, c;

	if (!w)
		return;
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			int len = strlen(t->cells[r * t->ncols + c]);

			if (len > w[c])
				w[c] = len;
		}
	for (r = 0; r < t->nrows; r++) {
		fputs(indent, f);
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			if (c == t->ncols - 1)
				fprintf(f, "%s\n", s);
			else
				fprintf(f, "%-*s  ", w[c], s);
		}
	}
	free(w);
}

void ctl_table_free(struct ctl_table *t)
{
	int i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

/* -n NETNS: like ip -n, enter /run/netns/NETNS before netlink is opened. */
static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		ctl_err("invalid network namespace name '%s'", name);
		return CTL_USAGE;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ctl_err("cannot open network namespace '%s': %s%s", name,
			strerror(errno),
			errno == ENOENT ? " (ip netns list shows the names)" : "");
		return CTL_FAIL;
	}
	if (setns(fd, CLONE_NEWNET)) {
		ctl_err("cannot enter network namespace '%s': %s", name,
			strerror(errno));
		close(fd);
		return CTL_FAIL;
	}
	close(fd);
	return CTL_OK;
}

int main(int argc, char **argv)
{
	char **args = calloc(argc + 1, sizeof(*args));
	const char *netns = NULL;
	const struct ctl_cmd *c;
	bool help = false, amb;
	int nargs = 0, i;

	if (!args)
		return CTL_FAIL;
	/* options may come before or after the subcommand */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (++i < argc)
				args[nargs++] = argv[i];
			break;
		}
		if (a[0] != '-' || !a[1]) {
			args[nargs++] = argv[i];
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			ctl_json = true;
		} else if (!strcmp(a, "-y") || !strcmp(a, "--force")) {
			ctl_force = true;
		} else if (!strcmp(a, "--dry-run")) {
			ctl_dry_run = true;
		} else if (!strcmp(a, "--strict")) {
			ctl_strict = true;
		} else if (!strcmp(a, "--print")) {
			ctl_print = true;
		} else if (!strcmp(a, "--confirm") && i + 1 < argc) {
			ctl_confirm = argv[++i];
		} else if (!strncmp(a, "--confirm=", 10)) {
			ctl_confirm = a + 10;
		} else if ((!strcmp(a, "-n") || !strcmp(a, "--netns")) &&
			   i + 1 < argc) {
			netns = argv[++i];
		} else if (!strncmp(a, "--netns=", 8)) {
			netns = a + 8;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			help = true;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("%s %s\n", prog, CAMFENCE_VERSION);
			free(args);
			return CTL_OK;
		} else if (nargs && own_opts(args[0])) {
			args[nargs++] = argv[i];	/* the subcommand's own option */
		} else {
			ctl_err("unknown option '%s'", a);
			usage(stderr);
			free(args);
			return CTL_USAGE;
		}
	}
	if (!nargs && help) {
		usage(stdout);
		free(args);
		return CTL_OK;
	}
	if (!nargs) {
		usage(stderr);
		free(args);
		return CTL_USAGE;
	}
	c = find_cmd(args[0], &amb);
	if (!c) {
		int ret = bad_cmd(args[0], amb, true);

		free(args);
		return ret;
	}
	if (help) {
		cmd_usage(c, stdout);
		free(args);
		return CTL_OK;
	}
	args[0] = (char *)c->name;	/* the subcommands see the full name */
	if (ctl_force && c->run != cmd_flush && c->run != cmd_load) {
		ctl_err("option --force (-y) is only for flush and load");
		free(args);
		return ctl_usage(c->name);
	}
	if ((ctl_strict || ctl_print) && c->run != cmd_check) {
		ctl_err("option %s is only for check",
			ctl_strict ? "--strict" : "--print");
		free(args);
		return ctl_usage(c->name);
	}
	if ((ctl_dry_run || ctl_confirm) && c->run != cmd_load) {
		ctl_err("options --dry-run and --confirm are only for load");
		free(args);
		return ctl_usage(c->name);
	}
	ctl_netns = netns;
	if (netns) {
		int ret = enter_netns(netns);

		if (ret != CTL_OK) {
			free(args);
			return ret;
		}
	}
	{
		int ret = c->run(nargs, args);

		free(args);
		if (fflush(stdout) == EOF && ret == CTL_OK)
			ret = CTL_FAIL;
		return ret;
	}
}
