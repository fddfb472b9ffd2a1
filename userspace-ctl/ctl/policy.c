// SPDX-License-Identifier: GPL-2.0
/*
 * camfencectl show policy: the committed policy read back from the kernel
 * (GET_POLICY), in the configuration language or as JSON (-j). What it
 * prints loads back as a no-op: the kernel does not commit a policy equal to
 * the active one, so the generation stays.
 *
 * camfencectl diff FILE, load --dry-run FILE: what loading FILE would change,
 * without committing. Exit status as diff(1): 0 no change, 1 changes, 2
 * trouble (a bad FILE, the module not loaded, a refused request).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "ctl.h"

int ctl_read_policy(struct cf_nl *nl, struct cf_config *cfg, uint64_t *gen,
		    bool *sealed)
{
	int err;

	cf_config_init(cfg);
	err = cf_nl_get_policy(nl, cfg, gen, sealed);
	if (err == -EOPNOTSUPP || err == -EINVAL) {
		ctl_err("the camfence module does not dump its policy (GET_POLICY): module older than the tools?");
		return CTL_FAIL;
	}
	if (err)
		return ctl_nl_fail(nl, err);
	return CTL_OK;
}

static void json_rule(struct cf_json *j, const struct cf_cfg_rule *r)
{
	char buf[512];
	int i;

	cf_json_obj_open(j, NULL);
	cf_json_str(j, "direction", r->dir == CAMFENCE_DIR_FROM ? "from" : "to");
	cf_json_str(j, "peer", cf_format_prefix(r->family, r->peer,
						r->prefixlen, buf, sizeof(buf)));
	cf_json_str(j, "protocol", cf_format_proto(r->proto, buf, sizeof(buf)));
	cf_json_arr_open(j, "ports");
	for (i = 0; i < r->nports; i++) {
		const struct camfence_port_range *p = &r->ports[i];

		if (p->lo == p->hi)
			snprintf(buf, sizeof(buf), "%u", p->lo);
		else
			snprintf(buf, sizeof(buf), "%u-%u", p->lo, p->hi);
		cf_json_str(j, NULL, buf);
	}
	cf_json_arr_close(j);
	cf_json_str(j, "rule", cf_format_rule(r, buf, sizeof(buf)) ? buf : "");
	cf_json_obj_close(j);
}

static void json_policy(const struct cf_config *cfg, uint64_t gen, bool sealed)
{
	struct cf_json j;
	char buf[64];
	int i, k;

	cf_json_begin(&j, stdout);
	cf_json_obj_open(&j, NULL);
	cf_json_u64(&j, "generation", gen);
	cf_json_bool(&j, "sealed", sealed);
	cf_json_str(&j, "mode", cf_mode_name(cfg->mode));
	cf_json_arr_open(&j, "zones");
	for (i = 0; i < cfg->nzones; i++) {
		const struct cf_cfg_zone *z = &cfg->zones[i];

		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "name", z->name);
		cf_json_arr_open(&j, "vlans");
		for (k = 0; k < z->nvlans; k++)
			cf_json_u64(&j, NULL, z->vlans[k]);
		cf_json_arr_close(&j);
		cf_json_arr_open(&j, "interfaces");
		for (k = 0; k < z->nifs; k++)
			cf_json_str(&j, NULL, z->ifnames[k]);
		cf_json_arr_close(&j);
		cf_json_str(&j, "unknown", cf_action_name(z->unknown));
		cf_json_obj_close(&j);
	}
	cf_json_arr_close(&j);
	cf_json_arr_open(&j, "profiles");
	for (i = 0; i < cfg->nprofiles; i++) {
		const struct cf_cfg_profile *p = &cfg->profiles[i];

		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "name", p->name);
		cf_json_arr_open(&j, "rules");
		for (k = 0; k < p->nrules; k++)
			json_rule(&j, &p->rules[k]);
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
	}
	cf_json_arr_close(&j);
	cf_json_arr_open(&j, "devices");
	for (i = 0; i < cfg->ndevices; i++) {
		const struct cf_cfg_device *d = &cfg->devices[i];

		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "name", d->name);
		cf_json_str(&j, "mac", cf_format_mac(d->mac, buf, sizeof(buf)));
		cf_json_arr_open(&j, "ips");
		for (k = 0; k < d->naddrs; k++)
			cf_json_str(&j, NULL, cf_format_addr(d->addrs[k].family,
							     d->addrs[k].addr,
							     buf, sizeof(buf)));
		cf_json_arr_close(&j);
		cf_json_str(&j, "profile", d->profile);
		cf_json_str(&j, "mode", cf_mode_name(d->mode));
		if (d->port[0])
			cf_json_str(&j, "port", d->port);
		cf_json_obj_close(&j);
	}
	cf_json_arr_close(&j);
	cf_json_obj_close(&j);
	cf_json_end(&j);
}

void ctl_policy_header(char *buf, size_t len, uint64_t gen, bool sealed)
{
	if (!gen)
		snprintf(buf, len, "# camfence: no policy committed yet (generation 0)\n");
	else
		snprintf(buf, len,
			 "# camfence policy, generation %" PRIu64 " (camfencectl show policy)\n",
			 gen);
}

int ctl_show_policy(struct cf_nl *nl)
{
	struct cf_config cfg;
	char header[256];
	uint64_t gen = 0;
	bool sealed = false;
	int ret;

	ret = ctl_read_policy(nl, &cfg, &gen, &sealed);
	if (ret)
		return ret;
	if (ctl_json) {
		json_policy(&cfg, gen, sealed);
	} else {
		ctl_policy_header(header, sizeof(header), gen, sealed);
		if (!gen) {
			/* nothing to write back: a file with only the mode
			 * would be a first commit (and lift a seal)
			 */
			fputs(header, stdout);
		} else if (cf_config_write(stdout, &cfg, header)) {
			ret = CTL_FAIL;
		}
	}
	cf_config_free(&cfg);
	return ret;
}

/* Exit status 2 for every failure (diff(1) style). */
#define DIFF_TROUBLE 2

int ctl_diff_file(const char *path, bool dry_run)
{
	struct cf_config want, cur;
	struct cf_cfg_diffstat st;
	struct cf_seal_changes seal;
	struct cf_lint_env env;
	struct cf_nl nl;
	uint64_t gen = 0;
	bool sealed = false;
	char open[1024];
	int ret = DIFF_TROUBLE, d;

	cf_config_init(&want);
	if (ctl_parse(path, &want) < 0)
		goto out_want;
	if (ctl_open(&nl))
		goto out_want;
	if (ctl_read_policy(&nl, &cur, &gen, &sealed))
		goto out_nl;
	if (!gen) {
		/* everything is new: the first load always commits */
		cur.mode = CAMFENCE_MODE_DEFAULT;
	}
	/* the VLANs and interfaces leaving the zones: re-sealed or open */
	ctl_seal_env(&env);
	if (cf_seal_compare(&cur, &want, &env, &seal) < 0) {
		ctl_err("out of memory");
		goto out_cur;
	}
	if (ctl_json) {
		struct cf_json j;

		cf_json_begin(&j, stdout);
		cf_json_obj_open(&j, NULL);
		cf_json_u64(&j, "generation", gen);
		cf_json_bool(&j, "dry_run", dry_run);
		/* a load would commit: changes, or the first commit */
		d = cf_config_diff_json(&j, &cur, &want, &st);
		cf_json_bool(&j, "would_commit", d > 0 || !gen);
		cf_seal_json(&j, &seal);
		cf_json_obj_close(&j);
		cf_json_end(&j);
		if (d < 0) {
			ctl_err("out of memory");
			goto out_cur;
		}
		ret = d || !gen ? 1 : 0;
		goto out_cur;
	}
	d = cf_config_diff(stdout, &cur, &want, &st);
	if (d < 0) {
		ctl_err("out of memory");
		goto out_cur;
	}
	if (d || !gen) {
		if (!gen)
			printf("note: no policy committed yet (generation 0): a load commits (the sealed VLANs and interfaces its zones do not cover stay sealed)\n");
		cf_diffstat_print(stdout, &st);
	}
	cf_seal_print(stdout, &seal);
	if (seal.nopen)
		printf("warning: a load would leave %s OPEN, without any filtering: load refuses it without --force\n",
		       cf_seal_open_text(&seal, open, sizeof(open)));
	if (dry_run) {
		if (!d && gen)
			printf("no change: load would not commit (generation stays %" PRIu64 ")\n",
			       gen);
		else
			printf("dry run: nothing committed (generation %" PRIu64 ")\n",
			       gen);
	}
	ret = d || !gen ? 1 : 0;
out_cur:
	cf_seal_changes_free(&seal);
	cf_config_free(&cur);
out_nl:
	cf_nl_close(&nl);
out_want:
	cf_config_free(&want);
	return ret;
}

int cmd_diff(int argc, char **argv)
{
	if (argc != 2)
		return ctl_usage(argv[0]);
	return ctl_diff_file(argv[1], false);
}
