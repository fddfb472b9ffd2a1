// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting helpers shared by the tools: names of the uapi enums and
 * addresses, MACs and rules printed back in camfence.conf(5) syntax, so
 * that what camfencectl learn prints can be pasted into a config.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config.h"

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

const char *cf_proto_name(int proto)
{
	switch (proto) {
	case 0:
		return "any";
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	default:
		return "unknown";
	}
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
	return proto == 0 || proto == 1 || proto == 6 || proto == 17 ||
	       proto == 58;
}

/*
 * "allow to 10.20.0.1 udp 53,123". A protocol "any" without ports is left
 * out, as in the config. The result always parses back: a protocol the
 * config cannot name becomes "any" plus a comment ("# protocol 47"), and
 * ports are only printed for tcp and udp. A truncated result ends where
 * buf ends.
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
		snprintf(buf + n, len - n, " %s", cf_proto_name(r->proto));
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
