// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the DNS question parser of kmod/dns.c (the same
 * file the module builds, without __KERNEL__). A name returned must be
 * what the kernel may record: 1..253 characters of [a-z0-9_-.], no empty
 * label, or "."; any other result leaves the name empty. The parser must
 * not read past len or CF_DNS_PARSE_LEN (ASan: the input is copied to an
 * exact-size buffer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../kmod/dns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[CAMFENCE_DNS_NAME_MAX + 1];
	unsigned char *copy;
	size_t n, i;
	int res;

	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	res = cf_dns_parse(copy, (unsigned int)size, name);
	n = strnlen(name, sizeof(name));
	if (n == sizeof(name))
		abort();
	if (res != CF_DNS_OK) {
		if (n)
			abort();
	} else if (strcmp(name, ".")) {
		if (n == 0 || n > CAMFENCE_DNS_NAME_MAX || name[0] == '.' ||
		    name[n - 1] == '.' || strstr(name, ".."))
			abort();
		for (i = 0; i < n; i++) {
			char c = name[i];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			      c == '-' || c == '_' || c == '.'))
				abort();
		}
	}
	free(copy);
	return 0;
}
