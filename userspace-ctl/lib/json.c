// SPDX-License-Identifier: GPL-2.0
/* Tiny streaming JSON writer (see json.h). */
#include <inttypes.h>
#include <string.h>
#include <time.h>
#include "json.h"

void cf_json_begin(struct cf_json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
}

int cf_json_end(struct cf_json *j)
{
	fputc('\n', j->f);
	return (j->depth != 0 || j->overflow) ? -1 : 0;
}

/* Length of the valid UTF-8 sequence at s, 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

void cf_json_write_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		size_t n;

		switch (*s) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
				break;
			}
			n = utf8_len(s);
			if (!n) {
				fputs("\\ufffd", f);
				break;
			}
			fwrite(s, 1, n, f);
			s += n;
			continue;
		}
		s++;
	}
	fputc('"', f);
}

/* Comma and member name before a value. */
static void prefix(struct cf_json *j, const char *key)
{
	int d = j->depth <= CF_JSON_MAX_DEPTH ? j->depth : CF_JSON_MAX_DEPTH;

	if (j->need_comma[d])
		fputc(',', j->f);
	j->need_comma[d] = true;
	if (key) {
		cf_json_write_string(j->f, key);
		fputc(':', j->f);
	}
}

static void open_(struct cf_json *j, const char *key, char c)
{
	prefix(j, key);
	fputc(c, j->f);
	if (j->depth >= CF_JSON_MAX_DEPTH) {
		j->overflow = true;
		j->depth++;
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_(struct cf_json *j, char c)
{
	fputc(c, j->f);
	if (j->depth > 0)
		j->depth--;
	else
		j->overflow = true;
}

void cf_json_obj_open(struct cf_json *j, const char *key)
{
	open_(j, key, '{');
}

void cf_json_obj_close(struct cf_json *j)
{
	close_(j, '}');
}

void cf_json_arr_open(struct cf_json *j, const char *key)
{
	open_(j, key, '[');
}

void cf_json_arr_close(struct cf_json *j)
{
	close_(j, ']');
}

void cf_json_str(struct cf_json *j, const char *key, const char *val)
{
	prefix(j, key);
	if (val)
		cf_json_write_string(j->f, val);
	else
		fputs("null", j->f);
}

void cf_json_u64(struct cf_json *j, const char *key, uint64_t val)
{
	prefix(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void cf_json_i64(struct cf_json *j, const char *key, int64_t val)
{
	prefix(j, key);
	fprintf(j->f, "%" PRId64, val);
}

void cf_json_bool(struct cf_json *j, const char *key, bool val)
{
	prefix(j, key);
	fputs(val ? "true" : "false", j->f);
}

void cf_json_null(struct cf_json *j, const char *key)
{
	prefix(j, key);
	fputs("null", j->f);
}

char *cf_json_rfc3339(uint64_t secs, char *buf, size_t len)
{
	time_t t = (time_t)secs;
	struct tm tm;

	buf[0] = '\0';
	/* up to 9999-12-31T23:59:59Z: four digits of year */
	if (!secs || secs > 253402300799ULL || !gmtime_r(&t, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		buf[0] = '\0';
	return buf;
}

void cf_json_timestamp(struct cf_json *j, const char *key, uint64_t secs)
{
	char name[128], buf[64];

	cf_json_u64(j, key, secs);
	snprintf(name, sizeof(name), "%s_time", key);
	if (cf_json_rfc3339(secs, buf, sizeof(buf))[0])
		cf_json_str(j, name, buf);
	else
		cf_json_null(j, name);
}
