/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer for camfencectl -j: compact output, commas
 * and escaping handled here, one document per cf_json_begin/cf_json_end.
 */
#ifndef CAMFENCE_JSON_H
#define CAMFENCE_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CF_JSON_MAX_DEPTH 16

struct cf_json {
	FILE *f;
	int depth;
	bool need_comma[CF_JSON_MAX_DEPTH + 1];
	bool overflow;			/* nesting deeper than the maximum */
};

void cf_json_begin(struct cf_json *j, FILE *f);
/* Ends the document with a newline; returns -1 if it was malformed. */
int cf_json_end(struct cf_json *j);

/* key is the member name inside an object, NULL inside an array or at the
 * top level.
 */
void cf_json_obj_open(struct cf_json *j, const char *key);
void cf_json_obj_close(struct cf_json *j);
void cf_json_arr_open(struct cf_json *j, const char *key);
void cf_json_arr_close(struct cf_json *j);
void cf_json_str(struct cf_json *j, const char *key, const char *val);
void cf_json_u64(struct cf_json *j, const char *key, uint64_t val);
void cf_json_i64(struct cf_json *j, const char *key, int64_t val);
void cf_json_bool(struct cf_json *j, const char *key, bool val);
void cf_json_null(struct cf_json *j, const char *key);
/*
 * A timestamp in integer seconds since the epoch, as monitor -j writes its
 * "timestamp" and "time": key with the integer, and key + "_time" with the
 * same instant in RFC 3339, UTC ("2026-11-23T11:24:20Z"), or null for 0
 * (never). "last_seen": 1795433060, "last_seen_time": "2026-11-23T...Z".
 */
void cf_json_timestamp(struct cf_json *j, const char *key, uint64_t secs);
/* The RFC 3339 UTC text of secs ("" for 0 or out of range); buf >= 32 */
char *cf_json_rfc3339(uint64_t secs, char *buf, size_t len);

/* Writes s as a quoted JSON string: ", \ and control characters escaped,
 * valid UTF-8 copied, invalid bytes replaced by U+FFFD.
 */
void cf_json_write_string(FILE *f, const char *s);

#endif /* CAMFENCE_JSON_H */
