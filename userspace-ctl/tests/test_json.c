// SPDX-License-Identifier: GPL-2.0
/* Unit test of the JSON writer (lib/json.c): exact output. Run under
 * ASan/UBSan by the harness; exit 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json.h"

static int failures;

#define CHECK_OUT(what, expected, body)					\
	do {								\
		char *buf = NULL;					\
		size_t len = 0;						\
		FILE *f = open_memstream(&buf, &len);			\
		struct cf_json j;					\
		int rc;							\
		cf_json_begin(&j, f);					\
		body;							\
		rc = cf_json_end(&j);					\
		fclose(f);						\
		if (strcmp(buf, expected) || rc != 0) {			\
			printf("not ok - %s: expected '%s', got '%s' (rc %d)\n", \
			       what, expected, buf, rc);		\
			failures++;					\
		} else {						\
			printf("ok - %s\n", what);			\
		}							\
		free(buf);						\
	} while (0)

static void check_string(const char *what, const char *in, const char *expected)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cf_json_write_string(f, in);
	fclose(f);
	if (strcmp(buf, expected)) {
		printf("not ok - %s: expected '%s', got '%s'\n", what, expected, buf);
		failures++;
	} else {
		printf("ok - %s\n", what);
	}
	free(buf);
}

int main(void)
{
	CHECK_OUT("empty object", "{}\n", {
		cf_json_obj_open(&j, NULL);
		cf_json_obj_close(&j);
	});
	/* show -j, unknown -j: integer seconds and an RFC 3339 sibling */
	CHECK_OUT("timestamp and its RFC 3339 sibling",
		  "{\"last_seen\":1795433060,\"last_seen_time\":\"2026-11-23T11:24:20Z\","
		  "\"first_seen\":0,\"first_seen_time\":null,"
		  "\"epoch\":1,\"epoch_time\":\"1970-01-01T00:00:01Z\"}\n", {
		cf_json_obj_open(&j, NULL);
		cf_json_timestamp(&j, "last_seen", 1795433060);
		cf_json_timestamp(&j, "first_seen", 0);
		cf_json_timestamp(&j, "epoch", 1);
		cf_json_obj_close(&j);
	});
	{
		char b[32];

		if (strcmp(cf_json_rfc3339(UINT64_MAX, b, sizeof(b)), "")) {
			printf("not ok - out of range timestamp: '%s'\n", b);
			failures++;
		} else {
			printf("ok - out of range timestamp: empty\n");
		}
	}
	CHECK_OUT("empty array", "[]\n", {
		cf_json_arr_open(&j, NULL);
		cf_json_arr_close(&j);
	});
	CHECK_OUT("scalars", "{\"a\":1,\"b\":-2,\"c\":true,\"d\":false,\"e\":null,\"f\":\"x\",\"g\":null}\n", {
		cf_json_obj_open(&j, NULL);
		cf_json_u64(&j, "a", 1);
		cf_json_i64(&j, "b", -2);
		cf_json_bool(&j, "c", true);
		cf_json_bool(&j, "d", false);
		cf_json_null(&j, "e");
		cf_json_str(&j, "f", "x");
		cf_json_str(&j, "g", NULL);
		cf_json_obj_close(&j);
	});
	CHECK_OUT("u64 max", "[18446744073709551615,0,-9223372036854775808]\n", {
		cf_json_arr_open(&j, NULL);
		cf_json_u64(&j, NULL, UINT64_MAX);
		cf_json_u64(&j, NULL, 0);
		cf_json_i64(&j, NULL, INT64_MIN);
		cf_json_arr_close(&j);
	});
	CHECK_OUT("nesting and commas",
		  "{\"devices\":[{\"name\":\"lobby-1\",\"addresses\":[\"10.20.0.11\",\"fd00:20::11\"]},{\"name\":\"b\",\"addresses\":[]}],\"generation\":3}\n", {
		cf_json_obj_open(&j, NULL);
		cf_json_arr_open(&j, "devices");
		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "name", "lobby-1");
		cf_json_arr_open(&j, "addresses");
		cf_json_str(&j, NULL, "10.20.0.11");
		cf_json_str(&j, NULL, "fd00:20::11");
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "name", "b");
		cf_json_arr_open(&j, "addresses");
		cf_json_arr_close(&j);
		cf_json_obj_close(&j);
		cf_json_arr_close(&j);
		cf_json_u64(&j, "generation", 3);
		cf_json_obj_close(&j);
	});
	CHECK_OUT("escaped key", "{\"a\\\"b\":\"\"}\n", {
		cf_json_obj_open(&j, NULL);
		cf_json_str(&j, "a\"b", "");
		cf_json_obj_close(&j);
	});

	check_string("plain", "lobby-1", "\"lobby-1\"");
	check_string("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"");
	check_string("short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	check_string("control chars", "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	check_string("slash unescaped", "a/b", "\"a/b\"");
	check_string("utf-8 kept", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7",
		     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xb7\"");
	check_string("invalid byte", "a\xff" "b", "\"a\\ufffdb\"");
	check_string("truncated sequence", "\xe2\x82", "\"\\ufffd\\ufffd\"");
	check_string("overlong", "\xc0\xaf", "\"\\ufffd\\ufffd\"");
	check_string("surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	check_string("beyond U+10FFFF", "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	check_string("empty", "", "\"\"");

	/* malformed documents are reported by cf_json_end */
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		struct cf_json j;
		int rc, i;

		cf_json_begin(&j, f);
		cf_json_obj_open(&j, NULL);
		rc = cf_json_end(&j);
		if (rc != -1) {
			printf("not ok - unclosed object: rc %d\n", rc);
			failures++;
		} else {
			printf("ok - unclosed object reported\n");
		}
		cf_json_begin(&j, f);
		for (i = 0; i < CF_JSON_MAX_DEPTH + 2; i++)
			cf_json_arr_open(&j, NULL);
		for (i = 0; i < CF_JSON_MAX_DEPTH + 2; i++)
			cf_json_arr_close(&j);
		rc = cf_json_end(&j);
		if (rc != -1) {
			printf("not ok - too deep: rc %d\n", rc);
			failures++;
		} else {
			printf("ok - nesting overflow reported\n");
		}
		fclose(f);
		free(buf);
	}
	printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
