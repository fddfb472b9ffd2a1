/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TAP helpers shared by the unit tests (one translation unit each):
 * ok() prints "ok N - what" / "not ok N - what" and counts failures in
 * ntests/nfailed; same_diags() compares all diagnostics exactly.
 */
#ifndef CAMFENCE_TESTS_TAP_H
#define CAMFENCE_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

static int ntests, nfailed;

static inline void ok(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ntests++;
	if (!cond)
		nfailed++;
	printf("%sok %d - ", cond ? "" : "not ", ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static inline int same_diags(const struct cf_diags *d, const char *const *want)
{
	int n = 0, i, good;

	while (want[n])
		n++;
	good = d->count == n;
	for (i = 0; good && i < n; i++)
		good = !strcmp(d->msgs[i], want[i]);
	if (!good) {
		for (i = 0; i < n; i++)
			printf("#   expected: %s\n", want[i]);
		for (i = 0; i < d->count; i++)
			printf("#   got:      %s\n", d->msgs[i]);
	}
	return good;
}

#define MSGS(...) ((const char *const []){ __VA_ARGS__, NULL })
#define NONE ((const char *const []){ NULL })

#endif
