// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl report [-o FILE.html] [-c CONFIG] [--from FILE] [--title TEXT]
 *
 * The site report (lib/report.c): one self-contained HTML page. The data
 * comes from the kernel (the device dump with its evidence and the global
 * counters) or, with --from, from a saved `camfencectl -j report`, so a
 * report can be written elsewhere than on the router and tested without
 * the module. -c adds each device's rules from the configuration ("what it
 * is allowed"); -j writes the data as JSON instead of the page.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ctl.h"
#include "report.h"

struct collect {
	struct cf_report *r;
	size_t cap;
	int err;
};

static int collect(const struct cf_dev_info *d, void *arg)
{
	struct collect *c = arg;

	if (c->r->ndevs == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct cf_report_dev *v = realloc(c->r->devs, cap * sizeof(*v));

		if (!v) {
			c->err = -ENOMEM;
			return 1;
		}
		c->r->devs = v;
		c->cap = cap;
	}
	c->r->devs[c->r->ndevs].info = *d;
	c->r->devs[c->r->ndevs].nrules = -1;
	c->r->ndevs++;
	return 0;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct cf_report_dev *)a)->info.name,
		      ((const struct cf_report_dev *)b)->info.name);
}

static int usage_report(void)
{
	fprintf(stderr, "Usage: %s [-j] report [-o FILE] [-c CONFIG] [--from FILE] [--title TEXT]\n", prog);
	return CTL_USAGE;
}

int cmd_report(int argc, char **argv)
{
	const char *out = NULL, *conf = NULL, *from = NULL, *title = NULL, *sde;
	struct cf_report r = { 0 };
	char err[256];
	size_t i;
	FILE *f;
	int a, ret = CTL_OK;

	for (a = 1; a < argc; a++) {
		const char **dst = NULL;

		if (!strcmp(argv[a], "-o") || !strcmp(argv[a], "--output"))
			dst = &out;
		else if (!strcmp(argv[a], "-c") || !strcmp(argv[a], "--config"))
			dst = &conf;
		else if (!strcmp(argv[a], "--from"))
			dst = &from;
		else if (!strcmp(argv[a], "--title"))
			dst = &title;
		if (!dst || a + 1 >= argc) {
			if (!dst)
				ctl_err("unknown argument '%s'", argv[a]);
			return usage_report();
		}
		*dst = argv[++a];
	}
	if (from) {
		size_t len;
		char *buf = cf_read_file(from, &len);

		if (!buf) {
			ctl_err("%s: %s", from, strerror(errno));
			return CTL_FAIL;
		}
		if (cf_report_from_json(buf, len, &r, err, sizeof(err))) {
			ctl_err("%s: %s", from, err);
			free(buf);
			return CTL_FAIL;
		}
		free(buf);
	} else {
		struct collect c = { &r, 0, 0 };
		struct cf_nl nl;
		uint64_t gen = 0;
		int e, tries;

		if (ctl_open(&nl))
			return CTL_FAIL;
		e = cf_nl_get_stats(&nl, &r.stats);
		for (tries = 0; !e && tries < 5; tries++) {
			r.ndevs = 0;
			e = cf_nl_get_devices(&nl, NULL, collect, &c, &gen);
			if (!e)
				e = c.err;
			if (e != -EAGAIN)
				break;
		}
		if (e) {
			ret = ctl_nl_fail(&nl, e);
			cf_nl_close(&nl);
			cf_report_free(&r);
			return ret;
		}
		cf_nl_close(&nl);
		/* the dump's generation: the policy the devices belong to */
		r.stats.generation = gen ? gen : r.stats.generation;
		sde = getenv("SOURCE_DATE_EPOCH");
		r.generated = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
		if (r.ndevs)
			qsort(r.devs, r.ndevs, sizeof(*r.devs), cmp_dev);
	}
	if (conf) {
		struct cf_config cfg;

		cf_config_init(&cfg);
		if (ctl_parse(conf, &cfg) < 0) {
			cf_config_free(&cfg);
			cf_report_free(&r);
			return CTL_FAIL;
		}
		for (i = 0; i < r.ndevs; i++) {
			const struct cf_cfg_profile *p = cf_config_find_profile(&cfg, r.devs[i].info.profile);
			int k;

			if (!p)
				continue;
			r.devs[i].nrules = 0;
			for (k = 0; k < p->nrules && k < CF_REPORT_MAX_RULES; k++)
				cf_format_rule(&p->rules[k], r.devs[i].rules[r.devs[i].nrules++],
					       sizeof(r.devs[i].rules[0]));
		}
		cf_config_free(&cfg);
	}
	f = out ? fopen(out, "w") : stdout;
	if (!f) {
		ctl_err("%s: %s", out, strerror(errno));
		cf_report_free(&r);
		return CTL_FAIL;
	}
	if (ctl_json) {
		if (cf_report_write_json(f, &r))
			ret = CTL_FAIL;
	} else {
		const char *verr;

		ctl_vendor_db(&verr);
		if (verr)
			ctl_err("warning: %s", verr);
		if (cf_report_write_html(f, &r, ctl_vendor_db(NULL), title))
			ret = CTL_FAIL;
	}
	if (out) {
		if (fclose(f)) {
			ctl_err("%s: %s", out, strerror(errno));
			ret = CTL_FAIL;
		} else if (ret == CTL_OK) {
			printf("report written to %s (%zu device%s)\n", out, r.ndevs, r.ndevs == 1 ? "" : "s");
		}
	}
	cf_report_free(&r);
	return ret;
}
