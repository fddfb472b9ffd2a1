// SPDX-License-Identifier: GPL-2.0
/*
 * The DNS question parser of kmod/dns.c (compiled here without
 * __KERNEL__): exact results and names for normal, limit and hostile
 * queries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "../../kmod/dns.h"

static unsigned char buf[1024];

/* A query: header (id 0x1234, RD, qdcount), then the wire name of the
 * dotted text (each label as written, "" for the root), QTYPE A, QCLASS IN.
 */
static unsigned int query(const char *text, int qdcount)
{
	unsigned int n = 0;
	const char *p = text;

	memset(buf, 0, sizeof(buf));
	buf[0] = 0x12;
	buf[1] = 0x34;
	buf[2] = 0x01;
	buf[5] = (unsigned char)qdcount;
	n = 12;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);

		buf[n++] = (unsigned char)l;
		memcpy(buf + n, p, l);
		n += l;
		p += l;
		if (*p == '.')
			p++;
	}
	buf[n++] = 0;
	buf[n++] = 0;
	buf[n++] = 1;
	buf[n++] = 0;
	buf[n++] = 1;
	return n;
}

static void check(const char *what, unsigned int len, int want_res,
		  const char *want_name)
{
	char name[CAMFENCE_DNS_NAME_MAX + 1];
	int res;

	memset(name, 'x', sizeof(name));
	res = cf_dns_parse(buf, len, name);
	ok(res == want_res && !strcmp(name, want_name),
	   "%s: %s \"%s\"", what, cf_dns_result_str(res), name);
	if (res != want_res || strcmp(name, want_name))
		printf("#   expected %s \"%s\"\n", cf_dns_result_str(want_res),
		       want_name);
}

static char *repeat(char c, int n)
{
	static char s[4][300];
	static int k;
	char *r = s[k++ % 4];

	memset(r, c, (size_t)n);
	r[n] = '\0';
	return r;
}

int main(void)
{
	char text[600], want[600];
	unsigned int n;

	n = query("api.hik-connect.com", 1);
	check("normal", n, CF_DNS_OK, "api.hik-connect.com");
	check("trailing bytes (EDNS OPT) ignored", n + 11, CF_DNS_OK,
	      "api.hik-connect.com");
	n = query("Easy4IP.COM", 1);
	check("uppercase folded", n, CF_DNS_OK, "easy4ip.com");
	n = query("_ntp._udp.pool.ntp.org", 1);
	check("underscore", n, CF_DNS_OK, "_ntp._udp.pool.ntp.org");
	n = query("", 1);
	check("root", n, CF_DNS_OK, ".");

	/* 3 labels of 63 and one of 61: 255 bytes on the wire, 253 chars */
	snprintf(text, sizeof(text), "%s.%s.%s.%s", repeat('a', 63),
		 repeat('b', 63), repeat('c', 63), repeat('d', 61));
	n = query(text, 1);
	check("max length 253", n, CF_DNS_OK, text);
	ok(strlen(text) == 253 && n == 12 + 255 + 4, "max length: %zu chars, %u bytes",
	   strlen(text), n);
	snprintf(text, sizeof(text), "%s.%s.%s.%s", repeat('a', 63),
		 repeat('b', 63), repeat('c', 63), repeat('d', 62));
	n = query(text, 1);
	check("256 bytes on the wire", n, CF_DNS_TOO_LONG, "");
	snprintf(text, sizeof(text), "%s.com", repeat('a', 63));
	snprintf(want, sizeof(want), "%s.com", repeat('a', 63));
	n = query(text, 1);
	check("label 63", n, CF_DNS_OK, want);
	snprintf(text, sizeof(text), "%s.com", repeat('a', 64));
	n = query(text, 1);
	check("label 64", n, CF_DNS_LABEL, "");

	/* compression pointer instead of the name, and after a label */
	n = query("cloud.example", 1);
	buf[12] = 0xc0;
	buf[13] = 0x0c;
	check("compression pointer", n, CF_DNS_COMPRESSED, "");
	n = query("cloud.example", 1);
	buf[18] = 0xc0;
	buf[19] = 0x0c;
	check("compression after a label", n, CF_DNS_COMPRESSED, "");
	n = query("cloud.example", 1);
	buf[12] = 0x80 | 5;
	check("label type 10", n, CF_DNS_LABEL, "");

	n = query("a.example", 2);
	check("QDCOUNT 2", n, CF_DNS_QDCOUNT, "");
	n = query("a.example", 0);
	check("QDCOUNT 0", n, CF_DNS_QDCOUNT, "");
	n = query("a.example", 1);
	buf[4] = 1;
	check("QDCOUNT 257", n, CF_DNS_QDCOUNT, "");

	n = query("a.example", 1);
	buf[2] |= 0x80;
	check("response (QR)", n, CF_DNS_NOT_QUERY, "");
	n = query("a.example", 1);
	buf[2] |= 0x28;	/* OPCODE 5, UPDATE */
	check("opcode UPDATE", n, CF_DNS_NOT_QUERY, "");

	n = query("cloud.example", 1);
	check("truncated in the header", 11, CF_DNS_TRUNCATED, "");
	check("truncated before the name", 12, CF_DNS_TRUNCATED, "");
	check("truncated in a label", 15, CF_DNS_TRUNCATED, "");
	check("truncated before the root", 12 + 14, CF_DNS_TRUNCATED, "");
	check("truncated in QTYPE/QCLASS", n - 1, CF_DNS_TRUNCATED, "");
	check("empty", 0, CF_DNS_TRUNCATED, "");

	n = query("bad name.example", 1);
	check("space", n, CF_DNS_CHAR, "");
	n = query("a.example", 1);
	buf[13] = 0;
	check("NUL in a label", n, CF_DNS_CHAR, "");
	n = query("a.example", 1);
	buf[13] = 0xe9;
	check("byte 0xe9", n, CF_DNS_CHAR, "");
	n = query("a.ex*mple", 1);
	check("asterisk", n, CF_DNS_CHAR, "");

	/* the parser reads at most CF_DNS_PARSE_LEN bytes */
	n = query("a.example", 1);
	check("len beyond the limit", 100000, CF_DNS_OK, "a.example");

	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
