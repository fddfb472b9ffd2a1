// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the seal parameters' parser (cf_seal_parse(): the
 * text of /sys/module/camfence/parameters/sealed_vlans and sealed_ifaces)
 * and the comparison that follows it: the input, split at its first NUL,
 * is the two parameters. Every VLAN read must be 1..4094, every interface
 * a non-empty name shorter than IFNAMSIZ, at most the kernel's counts; a
 * zone holding all of them compared with an empty policy re-seals all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_config cur, empty;
	struct cf_seal_changes c;
	struct cf_lint_env env;
	struct cf_cfg_zone *z;
	char *text, *ifs;
	size_t n;
	int i;

	text = malloc(size + 2);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	text[size + 1] = '\0';
	n = strlen(text);
	ifs = text + (n < size ? n + 1 : size + 1);
	cf_seal_parse(&env, text, ifs);
	if (env.nsealed_vlans < 0 || env.nsealed_vlans > CAMFENCE_MAX_ZONE_VLANS ||
	    env.nsealed_ifs < 0 || env.nsealed_ifs > CAMFENCE_MAX_ZONE_IFS)
		abort();
	for (i = 0; i < env.nsealed_vlans; i++)
		if (env.sealed_vlans[i] < 1 || env.sealed_vlans[i] > 4094)
			abort();
	for (i = 0; i < env.nsealed_ifs; i++) {
		n = strlen(env.sealed_ifs[i]);
		if (!n || n >= CF_CFG_IFNAME_MAX || strchr(env.sealed_ifs[i], ','))
			abort();
	}

	cf_config_init(&cur);
	cf_config_init(&empty);
	z = calloc(1, sizeof(*z));
	if (z) {
		strcpy(z->name, "z");
		for (i = 0; i < env.nsealed_vlans; i++)
			z->vlans[z->nvlans++] = (uint16_t)env.sealed_vlans[i];
		for (i = 0; i < env.nsealed_ifs; i++)
			strcpy(z->ifnames[z->nifs++], env.sealed_ifs[i]);
		cur.zones = z;
		cur.nzones = 1;
		if (cf_seal_compare(&cur, &empty, &env, &c) >= 0) {
			if (c.nopen || c.n != env.nsealed_vlans + env.nsealed_ifs)
				abort();
			cf_seal_changes_free(&c);
		}
		cur.zones = NULL;
		cur.nzones = 0;
		free(z);
	}
	cf_config_free(&cur);
	cf_config_free(&empty);
	free(text);
	return 0;
}
