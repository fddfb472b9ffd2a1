/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DNS names as evidence: the names a device asks for (kmod/dns.c).
 *
 * The parser (cf_dns_parse()) is plain C on a flat buffer: the kernel
 * copies the start of a UDP payload with skb_header_pointer(), userspace
 * compiles the same file for its fuzz target and unit test
 * (userspace-ctl/fuzz/fuzz_dns.c, tests/test_dns.c).
 */
#ifndef _CAMFENCE_DNS_H
#define _CAMFENCE_DNS_H

#include "camfence_uapi.h"

#define CF_DNS_PORT		53
#define CF_DNS_HDR_LEN		12
#define CF_DNS_WIRE_MAX		255	/* a name on the wire, RFC 1035 2.3.4 */
#define CF_DNS_LABEL_MAX	63
/* What the parser needs: the header, the longest name, QTYPE and QCLASS. */
#define CF_DNS_PARSE_LEN	(CF_DNS_HDR_LEN + CF_DNS_WIRE_MAX + 4)

enum cf_dns_result {
	CF_DNS_OK,		/* name holds the lower-cased question name */
	CF_DNS_TRUNCATED,	/* ends inside the header or the question */
	CF_DNS_NOT_QUERY,	/* QR set (a response) or OPCODE not QUERY */
	CF_DNS_QDCOUNT,		/* not exactly one question */
	CF_DNS_COMPRESSED,	/* a compression pointer: refused */
	CF_DNS_LABEL,		/* label type 01/10, i.e. a length over 63 */
	CF_DNS_TOO_LONG,	/* over 255 bytes on the wire */
	CF_DNS_CHAR,		/* a character other than LDH and '_' */
};

/*
 * Parses the question of a DNS query in msg[0..len). At most
 * CF_DNS_PARSE_LEN bytes are read whatever len says. On CF_DNS_OK, name
 * (CAMFENCE_DNS_NAME_MAX + 1 bytes) holds the name in lower case without
 * the trailing dot, "." for the root; otherwise name is "".
 */
int cf_dns_parse(const unsigned char *msg, unsigned int len, char *name);
const char *cf_dns_result_str(int res);

#ifdef __KERNEL__
#include <linux/skbuff.h>

struct cf_dns_table;

/* The module parameter dns_names (default on), read on the packet path. */
extern bool cf_dns_names;

/*
 * A UDP packet to port 53 from a device (hook path, softirq or BH off):
 * payoff is the offset of the UDP payload in skb, verdict the packet's
 * enum camfence_verdict. *slot is the device's table, taken from the pool
 * at its first query (cmpxchg; no allocation here).
 */
void cf_dns_query(struct cf_dns_table **slot, const struct sk_buff *skb,
		  unsigned int payoff, u8 verdict);
/* Frees a device's table (its devstate is freed; any context). */
void cf_dns_free(struct cf_dns_table *t);
/* Refills the pool if it is low (process context: a commit with devices). */
void cf_dns_pool_kick(void);
/* Module exit, after every devstate is freed: empties the pool. */
void cf_dns_module_exit(void);
/*
 * Puts CAMFENCE_DEVICE_A_DNS for table t (NULL: nothing). With partial
 * false, -EMSGSIZE if it does not fit; with partial true, the entries
 * that fit (TOTAL says how many there are).
 */
int cf_dns_nl_put(struct sk_buff *msg, struct cf_dns_table *t, bool partial);
/* An upper bound of the size of the nest. */
size_t cf_dns_nl_size(void);
#endif /* __KERNEL__ */

#endif /* _CAMFENCE_DNS_H */
