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

/* The message of the next error would not be kept (cf_diags.limit). */
static inline int diags_full(const struct cf_diags *d)
{
	return d->limit > 0 && d->count >= d->limit;
}

/* cf_diag_add() with a va_list, for the parsers' own error functions. */
void cf_diag_vadd(struct cf_diags *d, const struct cf_cfg_loc *loc,
		  const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

#define QUOTE_MAX		48		/* token excerpt in messages */

#define UTF8_BOM		"\xef\xbb\xbf"

/*
 * The line of buf that starts at pos: *n gets its length without the line
 * end, which is "\n", "\r\n" or a lone "\r" (old Mac exports); returns the
 * position after the line end.
 */
static inline size_t next_line(const char *buf, size_t len, size_t pos,
			       size_t *n)
{
	size_t i = pos;

	while (i < len && buf[i] != '\n' && buf[i] != '\r')
		i++;
	*n = i - pos;
	if (i < len && buf[i] == '\r' && i + 1 < len && buf[i + 1] == '\n')
		return i + 2;
	return i < len ? i + 1 : i;
}

/* A UTF-16 byte order mark: what spreadsheets write as "Unicode text". */
static inline int is_utf16(const char *buf, size_t len)
{
	return len >= 2 && (!memcmp(buf, "\xff\xfe", 2) ||
			    !memcmp(buf, "\xfe\xff", 2));
}

/* The file's include chain for diagnostics: cf_config_add_file() with the
 * include statement that read it first (from->file NULL: the main file).
 */
const char *cf_config_add_file_from(struct cf_config *cfg, const char *path,
				    const struct cf_cfg_loc *from);

/*
 * The candidate closest to s by Levenshtein distance, if it is close enough
 * to be a likely typo (distance 1 for words of up to 4 characters, else up
 * to 2, and less than the length of s); NULL otherwise, or when s is itself
 * a candidate. The first of equally close candidates wins.
 */
const char *cf_did_you_mean(const char *s, const char *const *cands,
			    size_t ncands);

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
