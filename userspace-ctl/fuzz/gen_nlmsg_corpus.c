// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus of fuzz_nlmsg into DIR: every message of
 * nlmsg_seeds.h as two inputs, NAME.raw.msg (the whole message) and
 * NAME.msg (after the headers the fuzzer builds). `make nlmsg-corpus`.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "nlmsg_seeds.h"

static int write_file(const char *dir, const char *name, const char *ext,
		      const uint8_t *buf, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s%s", dir, name, ext);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, n, f) != n || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t buf[70 * 1024];
	int i, raw;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < NSEEDS; i++) {
		struct nl_msg *msg = seeds[i].build();

		if (!msg) {
			fprintf(stderr, "%s: cannot build\n", seeds[i].name);
			return 1;
		}
		for (raw = 0; raw < 2; raw++) {
			size_t n = seed_input(&seeds[i], nlmsg_hdr(msg), raw,
					      buf, sizeof(buf));

			if (!n || write_file(argv[1], seeds[i].name,
					     raw ? ".raw.msg" : ".msg", buf, n))
				return 1;
		}
		nlmsg_free(msg);
	}
	return 0;
}
