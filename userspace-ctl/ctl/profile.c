// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl profile [NAME --nvr ADDR[,ADDR...] --router ADDR[,ADDR...]
 *                     [--operators PREFIX] [--name NEWNAME]]
 *
 * The shipped vendor profiles (profiles/NAME.conf, installed to
 * /usr/share/camfence/profiles) take the site's addresses as defines:
 * $nvr the NVR, $router the router, $operators the operators' network; a
 * site defines them and includes the file. This command writes a copy
 * with the addresses in it instead (a pinned profile, or a second copy
 * under another --name for a second NVR group): it replaces the parameter
 * of each allow line (one line per NVR address, icmp becoming icmpv6 for
 * an IPv6 one), leaves the comments as they are, checks the result with
 * the configuration parser and prints it. Without NAME it lists the
 * profiles.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctl.h"

#define PH_NVR		"$nvr"
#define PH_ROUTER	"$router"
#define PH_OPS		"$operators"

static int usage_profile(void)
{
	fprintf(stderr, "Usage: %s profile\n"
		"       %s profile NAME --nvr ADDR[,ADDR...] --router ADDR[,ADDR...] [--operators PREFIX] [--name NEWNAME]\n",
		prog, prog);
	return CTL_USAGE;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_profiles(void)
{
	const char *dir = ctl_profiles_dir();
	static const char *const hdr[] = { "PROFILE", "FOR" };
	char **names = NULL;
	size_t n = 0, i;
	struct ctl_table t;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d) {
		ctl_err("%s: %s", dir, strerror(errno));
		return CTL_FAIL;
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char **nn;

		if (l < 6 || strcmp(de->d_name + l - 5, ".conf"))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn)
			break;
		names = nn;
		names[n] = strndup(de->d_name, l - 5);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	ctl_table_init(&t, 2, hdr);
	for (i = 0; i < n; i++) {
		char path[4096], line[512] = "", *desc = "-";
		const char *cells[2];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s.conf", dir, names[i]);
		f = fopen(path, "r");
		if (f) {
			if (fgets(line, sizeof(line), f)) {
				static const char pfx[] = "# camfence vendor profile: ";

				line[strcspn(line, "\r\n")] = 0;
				if (!strncmp(line, pfx, strlen(pfx)))
					desc = line + strlen(pfx);
			}
			fclose(f);
		}
		cells[0] = names[i];
		cells[1] = desc;
		ctl_table_row(&t, cells);
		free(names[i]);
	}
	free(names);
	ctl_table_print(&t, stdout, "");
	ctl_table_free(&t);
	return CTL_OK;
}

struct tok {
	const char *s;
	size_t len;
};

/* The words of the code part of a line (before '#'), at most 8. */
static int words(const char *line, struct tok *t, int max)
{
	const char *p = line;
	int n = 0;

	while (*p && *p != '#' && *p != '\n' && n < max) {
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			p++;
			continue;
		}
		t[n].s = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '#' && *p != '\n' && *p != '\r')
			p++;
		t[n].len = (size_t)(p - t[n].s);
		n++;
	}
	return n;
}

static bool tok_is(const struct tok *t, const char *s)
{
	return t->len == strlen(s) && !strncmp(t->s, s, t->len);
}

/* line with the word t replaced by rep (and "icmp" by "icmpv6" for an
 * IPv6 peer, icmp being IPv4 only)
 */
static void put_subst(FILE *out, const char *line, const struct tok *w, int nw,
		      int idx, const char *rep, bool v6)
{
	const char *p = line, *hash;
	long delta = 0;			/* output length - input length */
	int i;

	for (i = 0; i < nw; i++) {
		if (i == idx || (v6 && i == 3 && tok_is(&w[i], "icmp"))) {
			const char *r = i == idx ? rep : "icmpv6";

			fwrite(p, 1, (size_t)(w[i].s - p), out);
			fputs(r, out);
			delta += (long)strlen(r) - (long)w[i].len;
			p = w[i].s + w[i].len;
		}
	}
	/* keep the comment in its column when the spaces before it allow */
	hash = strchr(p, '#');
	if (hash && hash > p && hash[-1] == ' ') {
		const char *sp = hash;
		long n;

		while (sp > p && sp[-1] == ' ')
			sp--;
		n = (long)(hash - sp) - delta;
		fwrite(p, 1, (size_t)(sp - p), out);
		fprintf(out, "%*s", (int)(n < 1 ? 1 : n), "");
		p = hash;
	}
	fputs(p, out);
}

static int split_addrs(char *list, char **out, int max, const char *opt)
{
	int n = 0;
	char *save = NULL, *s;

	for (s = strtok_r(list, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		struct cf_cfg_addr a;

		if (cf_parse_addr(s, &a) || !cf_addr_is_unicast(&a)) {
			ctl_err("%s: '%s' is not a unicast IPv4 or IPv6 address", opt, s);
			return -1;
		}
		if (n == max) {
			ctl_err("%s: at most %d addresses", opt, max);
			return -1;
		}
		out[n++] = s;
	}
	if (!n) {
		ctl_err("%s: no address", opt);
		return -1;
	}
	return n;
}

int cmd_profile(int argc, char **argv)
{
	char *nvrs[8], *routers[8], *ops = NULL, *newname = NULL;
	char *nvrarg = NULL, *routerarg = NULL, *name = NULL;
	char *nvrcopy, *routercopy;
	char path[4096], *src, *buf = NULL, *line, *save = NULL;
	size_t len, blen = 0;
	int nnvr, nrouter, i, ret = CTL_OK, nsub = 0;
	struct cf_config cfg;
	struct cf_diags d;
	FILE *out;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		char **dst = NULL;

		if (!strcmp(a, "--nvr"))
			dst = &nvrarg;
		else if (!strcmp(a, "--router"))
			dst = &routerarg;
		else if (!strcmp(a, "--operators"))
			dst = &ops;
		else if (!strcmp(a, "--name"))
			dst = &newname;
		else if (a[0] == '-') {
			ctl_err("unknown option '%s'", a);
			return usage_profile();
		} else if (!name) {
			name = argv[i];
			continue;
		} else {
			return usage_profile();
		}
		if (i + 1 >= argc) {
			ctl_err("option %s needs a value", a);
			return usage_profile();
		}
		*dst = argv[++i];
	}
	if (!name) {
		if (nvrarg || routerarg || ops || newname)
			return usage_profile();
		return list_profiles();
	}
	if (!nvrarg || !routerarg) {
		ctl_err("profile %s: --nvr and --router are required", name);
		return usage_profile();
	}
	if (newname && !cf_valid_name(newname)) {
		ctl_err("--name: invalid name '%s' (1 to 32 of A-Z a-z 0-9 . _ -)", newname);
		return CTL_USAGE;
	}
	nvrcopy = strdup(nvrarg);
	routercopy = strdup(routerarg);
	if (!nvrcopy || !routercopy) {
		free(nvrcopy);
		free(routercopy);
		return CTL_FAIL;
	}
	nnvr = split_addrs(nvrcopy, nvrs, 8, "--nvr");
	nrouter = nnvr < 0 ? -1 : split_addrs(routercopy, routers, 8, "--router");
	if (nnvr < 0 || nrouter < 0) {
		free(nvrcopy);
		free(routercopy);
		return CTL_USAGE;
	}
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s.conf", ctl_profiles_dir(), name);
	src = cf_read_file(path, &len);
	if (!src) {
		ctl_err("%s: %s (camfencectl profile lists the profiles)", path, strerror(errno));
		free(nvrcopy);
		free(routercopy);
		return CTL_FAIL;
	}
	out = open_memstream(&buf, &blen);
	if (!out) {
		free(src);
		free(nvrcopy);
		free(routercopy);
		return CTL_FAIL;
	}
	fprintf(out, "# Generated by: camfencectl profile %s --nvr %s --router %s%s%s%s%s\n"
		"# from %s (its comments explain each rule and what is denied).\n",
		name, nvrarg, routerarg, ops ? " --operators " : "", ops ? ops : "",
		newname ? " --name " : "", newname ? newname : "", path);
	for (line = strtok_r(src, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct tok w[8];
		int nw = words(line, w, 8), k;

		if (nw >= 2 && tok_is(&w[0], "profile") && newname) {
			put_subst(out, line, w, nw, 1, newname, false);
			fputc('\n', out);
			continue;
		}
		if (nw >= 3 && tok_is(&w[0], "allow")) {
			if (tok_is(&w[2], PH_NVR)) {
				for (k = 0; k < nnvr; k++) {
					put_subst(out, line, w, nw, 2, nvrs[k], strchr(nvrs[k], ':'));
					fputc('\n', out);
				}
				nsub++;
				continue;
			}
			if (tok_is(&w[2], PH_ROUTER)) {
				for (k = 0; k < nrouter; k++) {
					put_subst(out, line, w, nw, 2, routers[k], strchr(routers[k], ':'));
					fputc('\n', out);
				}
				nsub++;
				continue;
			}
			if (tok_is(&w[2], PH_OPS)) {
				if (ops) {
					put_subst(out, line, w, nw, 2, ops, strchr(ops, ':'));
					fputc('\n', out);
				}
				nsub++;
				continue;
			}
			if (w[2].len > 1 && w[2].s[0] == '$') {
				ctl_err("%s: allow line with an unknown parameter '%.*s' (vendor profiles take "
					PH_NVR ", " PH_ROUTER ", " PH_OPS ")", path,
					(int)w[2].len, w[2].s);
				ret = CTL_FAIL;
			}
		}
		fputs(line, out);
		fputc('\n', out);
	}
	fclose(out);
	free(src);
	free(nvrcopy);
	free(routercopy);
	if (ret == CTL_OK && !nsub) {
		ctl_err("%s: no rule uses a parameter (" PH_NVR ", " PH_ROUTER ", " PH_OPS
			"): not a vendor profile", path);
		ret = CTL_FAIL;
	}
	if (ret == CTL_OK) {
		/* the result must be a valid configuration fragment */
		cf_config_init(&cfg);
		cf_diags_init(&d);
		if (cf_config_parse_buffer("(generated profile)", buf, blen, NULL, &cfg, &d,
					   CF_CFG_NO_INCLUDE)) {
			for (i = 0; i < d.count; i++)
				fprintf(stderr, "%s\n", d.msgs[i]);
			ctl_err("the generated profile is not valid");
			ret = CTL_FAIL;
		} else if (cfg.nprofiles != 1) {
			ctl_err("%s: expected exactly one profile, found %d", path, cfg.nprofiles);
			ret = CTL_FAIL;
		}
		cf_config_free(&cfg);
		cf_diags_free(&d);
	}
	if (ret == CTL_OK)
		fwrite(buf, 1, blen, stdout);
	free(buf);
	return ret;
}
