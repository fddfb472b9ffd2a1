// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the CSV device list parser: any input must parse
 * without crash, leak or UB, the error count must match the messages, and
 * the cross-checks must run on whatever was read.
 */
#include <stdint.h>
#include <stdlib.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_config cfg;
	struct cf_diags d;
	char buf[64];
	int n, i, j;

	cf_config_init(&cfg);
	cf_diags_init(&d);
	n = cf_csv_parse_buffer("fuzz.csv", (const char *)data, size, &cfg, &d);
	if (n != d.count)
		abort();
	n += cf_config_validate(&cfg, &d);
	if (n != d.count)
		abort();
	for (i = 0; i < cfg.ndevices; i++) {
		const struct cf_cfg_device *dev = &cfg.devices[i];

		if (dev->naddrs > CAMFENCE_MAX_DEVICE_ADDRS)
			abort();
		cf_format_mac(dev->mac, buf, sizeof(buf));
		for (j = 0; j < dev->naddrs; j++)
			cf_format_prefix(dev->addrs[j].family, dev->addrs[j].addr,
					 dev->addrs[j].family == 2 ? 32 : 128,
					 buf, sizeof(buf));
	}
	cf_config_free(&cfg);
	cf_diags_free(&d);
	return 0;
}
