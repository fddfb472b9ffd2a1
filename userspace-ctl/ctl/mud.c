// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl mud import FILE [--name NAME] [--partial]
 * camfencectl mud export PROFILE -c CONFIG [--url URL] [--systeminfo TEXT]
 *
 * MUD files (RFC 8520) to and from camfence profiles (lib/mud.c); neither
 * needs the module. Import writes the profile on stdout and lists on
 * stderr every ACE it could not map; that is an error (exit 1) unless
 * --partial says the operator accepts that those ACEs stay denied.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctl.h"
#include "mud.h"

static int usage_mud(void)
{
	fprintf(stderr, "Usage: %s mud import FILE [--name NAME] [--partial]\n"
		"       %s mud export PROFILE -c CONFIG [--url URL] [--systeminfo TEXT]\n", prog, prog);
	return CTL_USAGE;
}

static int mud_import(int argc, char **argv)
{
	const char *file = NULL, *name = NULL;
	bool partial = false;
	struct cf_mud *m;
	char err[256], *buf;
	size_t len;
	int i, ret = CTL_OK;

	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--name") && i + 1 < argc)
			name = argv[++i];
		else if (!strcmp(argv[i], "--partial"))
			partial = true;
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return usage_mud();
	}
	if (!file)
		return usage_mud();
	if (name && !cf_valid_name(name)) {
		ctl_err("--name: invalid name '%s' (1 to 32 of A-Z a-z 0-9 . _ -)", name);
		return CTL_USAGE;
	}
	buf = cf_read_file(file, &len);
	if (!buf) {
		ctl_err("%s: %s", file, strerror(errno));
		return CTL_FAIL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		free(buf);
		return CTL_FAIL;
	}
	cf_mud_init(m);
	if (cf_mud_import(buf, len, m, err, sizeof(err))) {
		ctl_err("%s: %s", file, err);
		ret = CTL_FAIL;
		goto out;
	}
	for (i = 0; i < m->nunmapped; i++)
		ctl_err("%s: not mapped: %s", file, m->unmapped[i]);
	if (!m->nrules) {
		ctl_err("%s: no ACE could be mapped: no profile written", file);
		ret = CTL_FAIL;
		goto out;
	}
	cf_mud_write_profile(stdout, m, name ? name : m->name, file);
	if (m->nunmapped && !partial) {
		ctl_err("%s: %d ACE%s not mapped (they stay denied); --partial accepts that",
			file, m->nunmapped, m->nunmapped == 1 ? "" : "s");
		ret = CTL_FAIL;
	}
out:
	cf_mud_free(m);
	free(m);
	free(buf);
	return ret;
}

/*
 * A file that uses the vendor profiles' parameters without defining them
 * (a shipped profile, an imported MUD file): parsed with $nvr, $router and
 * $operators as the placeholders cf_mud_export() maps to my-controller,
 * the DNS/NTP controllers and local-networks. 0 if that parsed; else cfg
 * is empty again (the caller parses the file as it is, with its errors).
 */
static int parse_params(const char *path, struct cf_config *cfg)
{
	char abs[PATH_MAX], *buf = NULL;
	struct cf_diags d;
	int n;

	if (!realpath(path, abs))
		return -1;
	if (asprintf(&buf, "define nvr = 192.0.2.10\ndefine router = 192.0.2.1\n"
		     "define operators = 198.51.100.0/24\ninclude \"%s\"\n", abs) < 0)
		return -1;
	cf_diags_init(&d);
	n = cf_config_parse_buffer("(parameters)", buf, strlen(buf), "/", cfg, &d, 0);
	cf_diags_free(&d);
	free(buf);
	if (n) {
		cf_config_free(cfg);
		cf_config_init(cfg);
		return -1;
	}
	return 0;
}

static int mud_export(int argc, char **argv)
{
	const char *prof = NULL, *conf = NULL, *url = NULL, *si = NULL, *sde;
	const struct cf_cfg_profile *p;
	struct cf_config cfg;
	char urlbuf[256], sibuf[128];
	time_t when;
	int i, skipped = 0, ret = CTL_OK;

	for (i = 2; i < argc; i++) {
		if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) && i + 1 < argc)
			conf = argv[++i];
		else if (!strcmp(argv[i], "--url") && i + 1 < argc)
			url = argv[++i];
		else if (!strcmp(argv[i], "--systeminfo") && i + 1 < argc)
			si = argv[++i];
		else if (argv[i][0] != '-' && !prof)
			prof = argv[i];
		else
			return usage_mud();
	}
	if (!prof || !conf)
		return usage_mud();
	cf_config_init(&cfg);
	if (parse_params(conf, &cfg) && ctl_parse(conf, &cfg) < 0) {
		cf_config_free(&cfg);
		return CTL_FAIL;
	}
	p = cf_config_find_profile(&cfg, prof);
	if (!p) {
		ctl_err("%s: no profile '%s'", conf, prof);
		cf_config_free(&cfg);
		return CTL_FAIL;
	}
	if (!url) {
		snprintf(urlbuf, sizeof(urlbuf), "https://mud.example.invalid/camfence/%s", prof);
		url = urlbuf;
	}
	if (!si) {
		snprintf(sibuf, sizeof(sibuf), "camfence profile %s", prof);
		si = sibuf;
	}
	/* reproducible output: SOURCE_DATE_EPOCH, as reproducible builds do */
	sde = getenv("SOURCE_DATE_EPOCH");
	when = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	if (cf_mud_export(stdout, stderr, p, url, si, when, &skipped) < 0) {
		ctl_err("out of memory");
		ret = CTL_FAIL;
	} else if (skipped) {
		ctl_err("%d rule%s of profile %s not exported (see above)", skipped,
			skipped == 1 ? "" : "s", prof);
		ret = CTL_FAIL;
	}
	cf_config_free(&cfg);
	return ret;
}

int cmd_mud(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "import"))
		return mud_import(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "export"))
		return mud_export(argc, argv);
	return usage_mud();
}
