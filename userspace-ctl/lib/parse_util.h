/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal helpers shared by the camfence.conf parser (config.c) and the
 * CSV device list parser (csv.c). Not part of the library's interface.
 */
#ifndef CAMFENCE_PARSE_UTIL_H
#define CAMFENCE_PARSE_UTIL_H

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* cf_diag_add() with a va_list, for the parsers' own error functions. */
void cf_diag_vadd(struct cf_diags *d, const struct cf_cfg_loc *loc,
		  const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define QUOTE_MAX		48		/* token excerpt in messages */

/* Grow an array whose capacity is implied by its count (4, 8, 16, ...). */
static inline void *grow(void *p, int n, size_t sz)
{
	size_t cap;

	if (n != 0 && (n < 4 || (n & (n - 1))))
		return p;
	cap = n < 4 ? 4 : (size_t)n * 2;
	p = realloc(p, cap * sz);
	if (!p)
		abort();
	return p;
}

/* A token for an error message: truncated, control characters replaced. */
static inline const char *excerpt(char *out, size_t outlen, const char *s)
{
	size_t i, n = strlen(s);
	size_t max = outlen - 4;

	if (max > QUOTE_MAX)
		max = QUOTE_MAX;
	for (i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < n) {
		memcpy(out + i, "...", 3);
		i += 3;
	}
	out[i] = '\0';
	return out;
}

#endif
