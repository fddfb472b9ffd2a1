// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl: the command-line tool of camfence, in the style of ip, wg and
 * nft. One file per subcommand; this file holds the subcommand table, the
 * option parsing and the helpers they share.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

#ifndef CAMFENCE_VERSION
#define CAMFENCE_VERSION "unknown"
#endif

const char *prog = "camfencectl";
bool ctl_json;
bool ctl_force;
bool ctl_dry_run;
bool ctl_strict;
bool ctl_print;
const char *ctl_confirm;

static const struct ctl_cmd cmds[] = {
	{ "check", cmd_check, "[--strict] [--print] FILE",
	  "validate a configuration without loading it (kernel limits, warnings)" },
	{ "load", cmd_load, "[--dry-run|--confirm SECONDS] FILE",
	  "validate and load a configuration atomically" },
	{ "diff", cmd_diff, "FILE", "what loading FILE would change (exit 0 same, 1 differs, 2 error)" },
	{ "confirm", cmd_confirm, "", "keep the policy of load --confirm (cancel its rollback)" },
	{ "show", cmd_show, "[NAME|device NAME|policy]",
	  "devices with counters; one device in detail; the committed policy" },
	{ "stats", cmd_stats, "", "global counters, generation and mode" },
	{ "unknown", cmd_unknown, "[OPTIONS]", "MACs seen in zones that no device claims (--csv: a draft list; --from FILE)" },
	{ "monitor", cmd_monitor, "", "print events (denied connections) until interrupted" },
	{ "learn", cmd_learn, "NAME", "print rules that would allow what NAME was denied" },
	{ "mode", cmd_mode, "enforce|monitor", "set the global mode" },
	{ "flush", cmd_flush, "[-y|--force]", "replace the policy by an empty one (opens the zones)" },
	{ "metrics", cmd_metrics, "", "counters in the Prometheus text format" },
	{ "vendor", cmd_vendor, "MAC...", "the registered vendor of MAC addresses (IEEE registries)" },
	{ "report", cmd_report, "[-o FILE] ...", "the site report: one self-contained HTML page" },
	{ "mud", cmd_mud, "import|export ...", "MUD files (RFC 8520) to and from profiles" },
	{ "profile", cmd_profile, "[NAME OPTIONS]", "list the vendor profiles; NAME --nvr A --router A: one for a site" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

/* Subcommands that parse their own options (after their name; -j stays global). */
static bool own_opts(const char *name)
{
	static const char *const own[] = { "unknown", "mud", "report", "profile" };
	size_t i;

	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strcmp(own[i], name))
			return true;
	return false;
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "Usage: %s [-j|--json] COMMAND [ARGS]\n"
		"       %s --version | --help\n\nCommands:\n", prog, prog);
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
		"  -y, --force              flush: also when zones or sealed VLANs would open\n"
		"  --strict                 check: warnings are errors\n"
		"  --print                  check: print the policy the kernel would get\n"
		"  --dry-run                load: print what would change, commit nothing\n"
		"  --confirm SECONDS        load: roll back unless 'confirm' comes in time\n"
		"  -h, --help               this help\n"
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
	for (i = 0; i < d.count; i++)
		fprintf(stderr, "%s\n", d.msgs[i]);
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

int main(int argc, char **argv)
{
	char **args = calloc(argc + 1, sizeof(*args));
	int nargs = 0, i;
	size_t k;

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
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			free(args);
			return CTL_OK;
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
	if (!nargs) {
		usage(stderr);
		free(args);
		return CTL_USAGE;
	}
	for (k = 0; k < NCMDS; k++) {
		if (!strcmp(cmds[k].name, args[0])) {
			int ret;

			if (ctl_force && cmds[k].run != cmd_flush) {
				ctl_err("option --force (-y) is only for flush");
				free(args);
				return ctl_usage(cmds[k].name);
			}
			if ((ctl_strict || ctl_print) && cmds[k].run != cmd_check) {
				ctl_err("option %s is only for check",
					ctl_strict ? "--strict" : "--print");
				free(args);
				return ctl_usage(cmds[k].name);
			}
			if ((ctl_dry_run || ctl_confirm) &&
			    cmds[k].run != cmd_load) {
				ctl_err("options --dry-run and --confirm are only for load");
				free(args);
				return ctl_usage(cmds[k].name);
			}
			ret = cmds[k].run(nargs, args);

			free(args);
			if (fflush(stdout) == EOF && ret == CTL_OK)
				ret = CTL_FAIL;
			return ret;
		}
	}
	ctl_err("unknown command '%s'", args[0]);
	usage(stderr);
	free(args);
	return CTL_USAGE;
}
