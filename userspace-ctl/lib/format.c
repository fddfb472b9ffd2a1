// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting helpers shared by the tools: names of the uapi enums and
 * addresses, MACs and rules printed back in camfence.conf(5) syntax, so
 * that what camfencectl learn prints can be pasted into a config.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"
#include "nl.h"
#include "parse_util.h"

const char *cf_mode_name(int mode)
{
	switch (mode) {
	case CAMFENCE_MODE_DEFAULT:
		return "default";
	case CAMFENCE_MODE_ENFORCE:
		return "enforce";
	case CAMFENCE_MODE_MONITOR:
		return "monitor";
	default:
		return "unknown";
	}
}

const char *cf_action_name(int action)
{
	switch (action) {
	case CAMFENCE_ACTION_DROP:
		return "drop";
	case CAMFENCE_ACTION_MONITOR:
		return "monitor";
	case CAMFENCE_ACTION_ALLOW:
		return "allow";
	default:
		return "unknown";
	}
}

/*
 * IP protocol names: the keywords of netbase's /etc/protocols (IANA's
 * assigned numbers), built in so that the parser does not depend on the
 * system's files (getprotobyname() would also read NSS, and the fuzz
 * targets need a pure parser). 0 is "any"; 58 is "icmpv6" as in the rest
 * of camfence, with netbase's "ipv6-icmp" accepted as an alias.
 */
static const struct {
	const char *name;
	uint8_t num;
} protos[] = {
	{ "any", 0 }, { "icmp", 1 }, { "igmp", 2 }, { "ggp", 3 },
	{ "ipencap", 4 }, { "st", 5 }, { "tcp", 6 }, { "egp", 8 },
	{ "igp", 9 }, { "pup", 12 }, { "udp", 17 }, { "hmp", 20 },
	{ "xns-idp", 22 }, { "rdp", 27 }, { "iso-tp4", 29 }, { "dccp", 33 },
	{ "xtp", 36 }, { "ddp", 37 }, { "idpr-cmtp", 38 }, { "ipv6", 41 },
	{ "ipv6-route", 43 }, { "ipv6-frag", 44 }, { "idrp", 45 },
	{ "rsvp", 46 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 },
	{ "skip", 57 }, { "icmpv6", 58 }, { "ipv6-nonxt", 59 },
	{ "ipv6-opts", 60 }, { "rspf", 73 }, { "vmtp", 81 }, { "eigrp", 88 },
	{ "ospf", 89 }, { "ax.25", 93 }, { "ipip", 94 }, { "etherip", 97 },
	{ "encap", 98 }, { "pim", 103 }, { "ipcomp", 108 }, { "vrrp", 112 },
	{ "l2tp", 115 }, { "isis", 124 }, { "sctp", 132 }, { "fc", 133 },
	{ "mobility-header", 135 }, { "udplite", 136 }, { "mpls-in-ip", 137 },
	{ "manet", 138 }, { "hip", 139 }, { "shim6", 140 }, { "wesp", 141 },
	{ "rohc", 142 }, { "ethernet", 143 },
};

static const char *const proto_aliases[][2] = {
	{ "ipv6-icmp", "icmpv6" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *cf_proto_name(int proto)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(protos); i++)
		if (protos[i].num == proto)
			return protos[i].name;
	return NULL;
}

char *cf_format_proto(int proto, char *buf, size_t len)
{
	const char *name = cf_proto_name(proto);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "%d", proto);
	return buf;
}

int cf_parse_proto(const char *s)
{
	const char *d = s;
	size_t i;
	int v = 0;

	for (i = 0; i < ARRAY_LEN(proto_aliases); i++)
		if (!strcmp(s, proto_aliases[i][0]))
			s = proto_aliases[i][1];
	for (i = 0; i < ARRAY_LEN(protos); i++)
		if (!strcmp(s, protos[i].name))
			return protos[i].num;
	/* a number, or "proto-N" as sysfs' last_drop prints it */
	if (!strncmp(d, "proto-", 6))
		d += 6;
	if (!*d)
		return -1;
	for (; *d; d++) {
		if (*d < '0' || *d > '9')
			return -1;
		v = v * 10 + (*d - '0');
		if (v > 255)
			return -1;
	}
	return v;
}

const char *cf_proto_suggest(const char *s)
{
	const char *names[ARRAY_LEN(protos) + ARRAY_LEN(proto_aliases)];
	size_t i, n = 0;

	for (i = 0; i < ARRAY_LEN(protos); i++)
		names[n++] = protos[i].name;
	for (i = 0; i < ARRAY_LEN(proto_aliases); i++)
		names[n++] = proto_aliases[i][0];
	return cf_did_you_mean(s, names, n);
}

const char *cf_reason_name(int reason)
{
	switch (reason) {
	case CAMFENCE_REASON_NONE:
		return "none";
	case CAMFENCE_REASON_NO_RULE:
		return "no-rule";
	case CAMFENCE_REASON_PEER_NO_RULE:
		return "peer-no-rule";
	case CAMFENCE_REASON_UNKNOWN_DEVICE:
		return "unknown-device";
	case CAMFENCE_REASON_SPOOFED:
		return "spoofed";
	case CAMFENCE_REASON_SEALED:
		return "sealed";
	case CAMFENCE_REASON_NOT_IP:
		return "not-ip";
	case CAMFENCE_REASON_PORT:
		return "port-moved";
	default:
		return "unknown";
	}
}

char *cf_format_prefix(int family, const uint8_t *addr, int prefixlen,
		       char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	int full;

	if (!len)
		return buf;
	if (family != AF_INET && family != AF_INET6) {
		snprintf(buf, len, "any");
		return buf;
	}
	full = family == AF_INET ? 32 : 128;
	if (!inet_ntop(family, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (prefixlen == full)
		snprintf(buf, len, "%s", a);
	else
		snprintf(buf, len, "%s/%d", a, prefixlen);
	return buf;
}

char *cf_format_mac(const uint8_t *mac, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

static int proto_ok(int proto)
{
	return proto >= 0 && proto <= 255;
}

/*
 * "allow to 10.20.0.1 udp 53,123", "allow to any gre", "allow to any 253".
 * A protocol "any" without ports is left out, as in the config. The result
 * always parses back: a protocol is printed by name, or by number when it
 * has none; a value that is no protocol (outside 0-255) becomes "any" plus
 * a comment ("# protocol 300"), and ports are only printed for tcp and udp.
 * A truncated result ends where buf ends.
 */
char *cf_format_rule(const struct cf_cfg_rule *r, char *buf, size_t len)
{
	char peer[64];
	size_t n;
	int i;

	if (!len)
		return buf;
	cf_format_prefix(r->family, r->peer, r->prefixlen, peer, sizeof(peer));
	snprintf(buf, len, "allow %s %s", r->dir == CAMFENCE_DIR_FROM ?
		 "from" : "to", peer);
	n = strlen(buf);
	if (r->proto && proto_ok(r->proto)) {
		char p[16];

		snprintf(buf + n, len - n, " %s",
			 cf_format_proto(r->proto, p, sizeof(p)));
		n += strlen(buf + n);
	}
	for (i = 0; (r->proto == 6 || r->proto == 17) && i < r->nports &&
	     i < CAMFENCE_MAX_PORT_RANGES; i++) {
		const struct camfence_port_range *p = &r->ports[i];
		const char *sep = i ? "," : " ";

		if (p->lo == p->hi)
			snprintf(buf + n, len - n, "%s%u", sep, p->lo);
		else
			snprintf(buf + n, len - n, "%s%u-%u", sep, p->lo, p->hi);
		n += strlen(buf + n);
	}
	if (!proto_ok(r->proto))
		snprintf(buf + n, len - n, " # protocol %d", r->proto);
	return buf;
}

const char *cf_verdict_name(int verdict)
{
	switch (verdict) {
	case CAMFENCE_VERDICT_ALLOWED:
		return "allowed";
	case CAMFENCE_VERDICT_DROPPED:
		return "dropped";
	case CAMFENCE_VERDICT_MONITORED:
		return "monitored";
	default:
		return "unknown";
	}
}

bool cf_valid_dns_name(const char *s)
{
	size_t i, n = strlen(s), label = 0;

	if (!strcmp(s, "."))
		return true;
	if (n == 0 || n > CAMFENCE_DNS_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_') || ++label > 63)
			return false;
	}
	return label > 0;
}

static int cmp_dns(const void *a, const void *b)
{
	const struct cf_dns_name *x = a, *y = b;
	int c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	c = strcmp(x->name, y->name);
	return c ? c : x->verdict - y->verdict;
}

void cf_dns_sort(struct cf_dns_name *v, int n)
{
	if (n > 1)
		qsort(v, (size_t)n, sizeof(v[0]), cmp_dns);
}
