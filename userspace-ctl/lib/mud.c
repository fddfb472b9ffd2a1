// SPDX-License-Identifier: GPL-2.0
/*
 * MUD (RFC 8520) import and export. The reader walks only the parts of the
 * JSON it knows (ietf-mud:mud, the policies' ACL names, the ACLs of RFC
 * 8519 with the MUD and acldns augmentations); every ACE it cannot turn
 * into an `allow` rule exactly is reported, never widened: a rule is only
 * written when it allows no more than the ACE.
 *
 * Direction. A camfence rule allows a connection and its replies; a MUD
 * ACE matches packets of one direction. The connection an ACE belongs to
 * is found from its policy (from-device or to-device), its ports and
 * ietf-mud:direction-initiated:
 *   from-device ACL, destination port P            -> allow to PEER P
 *   from-device ACL, source port P                 -> allow from PEER P
 *   to-device ACL,   destination port P            -> allow from PEER P
 *   to-device ACL,   source port P                 -> allow to PEER P
 *   no port: from-device -> to, to-device -> from
 * and direction-initiated, when present, decides to (from-device) or from
 * (to-device); the port kept is then the responder's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <json-c/json.h>
#include "mud.h"
#include "draft.h"
#include "json.h"

#define PH_NVR		"192.0.2.10"
#define PH_ROUTER	"192.0.2.1"
#define PH_OPS		"198.51.100.0"
#define PH_OPS_LEN	24

#define URN_DNS "urn:ietf:params:mud:dns"
#define URN_NTP "urn:ietf:params:mud:ntp"

void cf_mud_init(struct cf_mud *m)
{
	memset(m, 0, sizeof(*m));
}

void cf_mud_free(struct cf_mud *m)
{
	int i;

	for (i = 0; i < m->nunmapped; i++)
		free(m->unmapped[i]);
	free(m->unmapped);
	memset(m, 0, sizeof(*m));
}

/*
 * Text from the MUD file ends up in comments of the profile: a newline in
 * an ACE name or a key would start a configuration line there. Control
 * characters become '?'.
 */
static void defang(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

__attribute__((format(printf, 2, 3)))
static void unmapped(struct cf_mud *m, const char *fmt, ...)
{
	char **v, *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return;
	defang(s);
	v = realloc(m->unmapped, (m->nunmapped + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return;
	}
	m->unmapped = v;
	m->unmapped[m->nunmapped++] = s;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static const char *get_s(json_object *o, const char *key)
{
	json_object *v = get(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* An integer member in [lo, hi], else -1. */
static long get_int(json_object *o, const char *key, long lo, long hi)
{
	json_object *v = get(o, key);
	int64_t x;

	if (!v || !json_object_is_type(v, json_type_int))
		return -1;
	x = json_object_get_int64(v);
	return x < lo || x > hi ? -1 : (long)x;
}

static void set_ph(struct cf_cfg_rule *r, const char *addr, int plen)
{
	r->family = AF_INET;
	memset(r->peer, 0, sizeof(r->peer));
	inet_pton(AF_INET, addr, r->peer);
	r->prefixlen = plen;
}

/* "10.0.0.0/8" or "fd00::/8" of the given family into the rule's peer. */
static int parse_net(const char *s, int family, struct cf_cfg_rule *r)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	long plen;
	char *end;
	int i, max = family == AF_INET ? 32 : 128;

	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, slash - s);
	buf[slash - s] = 0;
	errno = 0;
	plen = strtol(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || plen < 0 || plen > max)
		return -1;
	memset(r->peer, 0, sizeof(r->peer));
	if (inet_pton(family, buf, r->peer) != 1)
		return -1;
	for (i = (int)plen; i < max; i++)
		if (r->peer[i / 8] & (0x80 >> (i % 8)))
			return -1;	/* host bits set */
	r->family = family;
	r->prefixlen = (int)plen;
	return 0;
}

/* A port match: {operator, port} or {lower-port, upper-port}. */
static int parse_port(json_object *o, struct camfence_port_range *p, const char **why)
{
	const char *op = get_s(o, "operator");
	long port = get_int(o, "port", 0, 65535);
	long lo = get_int(o, "lower-port", 0, 65535), hi = get_int(o, "upper-port", 0, 65535);

	if (!json_object_is_type(o, json_type_object)) {
		*why = "a port match that is not an object";
		return -1;
	}
	if (lo >= 0 || hi >= 0) {
		if (lo < 1 || hi < lo || op) {
			*why = "an invalid port range";
			return -1;
		}
		p->lo = (uint16_t)lo;
		p->hi = (uint16_t)hi;
		return 0;
	}
	if (port < 1) {
		*why = "a port that is missing or out of range";
		return -1;
	}
	if (!op || !strcmp(op, "eq")) {
		p->lo = p->hi = (uint16_t)port;
	} else if (!strcmp(op, "lte")) {
		p->lo = 1;
		p->hi = (uint16_t)port;
	} else if (!strcmp(op, "gte")) {
		p->lo = (uint16_t)port;
		p->hi = 65535;
	} else {
		*why = "port operator 'neq' (camfence rules list the ports they allow)";
		return -1;
	}
	return 0;
}

enum pol { FROM_DEVICE, TO_DEVICE };

static void add_rule(struct cf_mud *m, const struct cf_cfg_rule *r, const char *ace)
{
	if (m->nrules == CF_MUD_MAX_RULES) {
		unmapped(m, "ACE '%s': more than %d rules", ace, CF_MUD_MAX_RULES);
		return;
	}
	m->rules[m->nrules++] = *r;
}

/* One ACE into at most one rule. */
static void map_ace(struct cf_mud *m, json_object *ace, enum pol pol, int acl_family,
		    const char *acl)
{
	const char *name = get_s(ace, "name"), *fwd, *why = NULL, *dirinit = NULL;
	json_object *matches = get(ace, "matches"), *actions = get(ace, "actions"), *l4 = NULL;
	struct camfence_port_range sport = { 0, 0 }, dport = { 0, 0 };
	bool has_sport = false, has_dport = false, has_peer = false, klass_peer = false;
	struct cf_cfg_rule r;
	int family = acl_family, proto = -1;
	char nm[80];

	snprintf(nm, sizeof(nm), "%s", name ? name : "(unnamed)");
	memset(&r, 0, sizeof(r));
	fwd = get_s(actions, "forwarding");
	if (!fwd || (strcmp(fwd, "accept") && strcmp(fwd, "ietf-access-control-list:accept"))) {
		unmapped(m, "ACE '%s' (ACL '%s'): action '%s' is not accept (camfence denies what no rule allows)",
			 nm, acl, fwd ? fwd : "(none)");
		return;
	}
	if (matches && !json_object_is_type(matches, json_type_object)) {
		unmapped(m, "ACE '%s' (ACL '%s'): matches is not an object", nm, acl);
		return;
	}
	if (!matches)
		goto matched;	/* no matches: every packet of the policy's direction */
	json_object_object_foreach(matches, key, val) {
		if (!strcmp(key, "ipv4") || !strcmp(key, "ipv6")) {
			int f = key[3] == '4' ? AF_INET : AF_INET6;
			const char *peer_key = pol == FROM_DEVICE ? (f == AF_INET ? "destination-ipv4-network"
					       : "destination-ipv6-network")
					       : (f == AF_INET ? "source-ipv4-network" : "source-ipv6-network");

			if (!json_object_is_type(val, json_type_object)) {
				why = "an ipv4/ipv6 match that is not an object";
				break;
			}
			family = f;
			json_object_object_foreach(val, k3, v3) {
				if (!strcmp(k3, "protocol")) {
					proto = json_object_is_type(v3, json_type_int) ?
						(int)json_object_get_int64(v3) : -2;
					if (proto < 0 || proto > 255) {
						why = "an invalid protocol";
						break;
					}
				} else if (!strcmp(k3, peer_key)) {
					const char *s = json_object_get_string(v3);

					if (has_peer) {
						why = "two peers in one ACE";
						break;
					}
					if (!json_object_is_type(v3, json_type_string) || parse_net(s, f, &r)) {
						why = "an invalid network";
						break;
					}
					has_peer = true;
				} else if (!strcmp(k3, "ietf-acldns:src-dnsname") ||
					   !strcmp(k3, "ietf-acldns:dst-dnsname")) {
					unmapped(m, "ACE '%s' (ACL '%s'): DNS name '%s' (%s): camfence rules "
						 "take addresses; write the service's address, or leave it denied",
						 nm, acl, json_object_get_string(v3), k3);
					return;
				} else if (!strncmp(k3, "source-ipv", 10) || !strncmp(k3, "destination-ipv", 15)) {
					why = "a match on the device's own address";
					break;
				} else {
					unmapped(m, "ACE '%s' (ACL '%s'): match on %s.%s", nm, acl, key, k3);
					return;
				}
			}
			if (why)
				break;
		} else if (!strcmp(key, "tcp") || !strcmp(key, "udp")) {
			int p = key[0] == 't' ? 6 : 17;

			if (!json_object_is_type(val, json_type_object)) {
				why = "a tcp/udp match that is not an object";
				break;
			}
			if (l4) {
				why = "both tcp and udp";
				break;
			}
			l4 = val;
			if (proto >= 0 && proto != p) {
				why = "a protocol that contradicts its tcp/udp match";
				break;
			}
			proto = p;
			json_object_object_foreach(val, k4, v4) {
				if (!strcmp(k4, "source-port")) {
					if (parse_port(v4, &sport, &why))
						break;
					has_sport = true;
				} else if (!strcmp(k4, "destination-port")) {
					if (parse_port(v4, &dport, &why))
						break;
					has_dport = true;
				} else if (!strcmp(k4, "ietf-mud:direction-initiated") && p == 6) {
					dirinit = json_object_get_string(v4);
					if (!dirinit || (strcmp(dirinit, "from-device") && strcmp(dirinit, "to-device"))) {
						why = "an invalid direction-initiated";
						break;
					}
				} else {
					unmapped(m, "ACE '%s' (ACL '%s'): match on %s.%s", nm, acl, key, k4);
					return;
				}
			}
			if (why)
				break;
		} else if (!strcmp(key, "icmp")) {
			if (json_object_is_type(val, json_type_object) && json_object_object_length(val)) {
				unmapped(m, "ACE '%s' (ACL '%s'): match on ICMP type or code (camfence rules allow the protocol)",
					 nm, acl);
				return;
			}
			if (proto < 0)
				proto = family == AF_INET6 ? 58 : 1;
		} else if (!strcmp(key, "ietf-mud:mud")) {
			if (!json_object_is_type(val, json_type_object) || json_object_object_length(val) != 1) {
				why = "an ietf-mud:mud match without exactly one class";
				break;
			}
			if (has_peer) {
				why = "two peers in one ACE";
				break;
			}
			has_peer = true;
			klass_peer = true;
			if (get(val, "my-controller")) {
				set_ph(&r, PH_NVR, 32);
			} else if (get(val, "local-networks")) {
				set_ph(&r, PH_OPS, PH_OPS_LEN);
			} else if (get_s(val, "controller")) {
				const char *c = get_s(val, "controller");

				if (!strcmp(c, URN_DNS) || !strcmp(c, URN_NTP)) {
					set_ph(&r, PH_ROUTER, 32);
				} else {
					unmapped(m, "ACE '%s' (ACL '%s'): controller class '%s': only my-controller "
						 "(the NVR), local-networks and the DNS/NTP classes are mapped",
						 nm, acl, c);
					return;
				}
			} else {
				const char *k5 = "?";

				json_object_object_foreach(val, kk, vv) {
					(void)vv;
					k5 = kk;
				}
				unmapped(m, "ACE '%s' (ACL '%s'): MUD class '%s' needs a MUD manager that knows "
					 "the other devices", nm, acl, k5);
				return;
			}
		} else {
			unmapped(m, "ACE '%s' (ACL '%s'): match on '%s'", nm, acl, key);
			return;
		}
	}
matched:
	if (why) {
		unmapped(m, "ACE '%s' (ACL '%s'): %s", nm, acl, why);
		return;
	}
	if (has_sport && has_dport) {
		unmapped(m, "ACE '%s' (ACL '%s'): both source and destination ports (camfence rules "
			 "name the responder's port only)", nm, acl);
		return;
	}
	/* the connection: who opens it, which port is the responder's */
	if (dirinit) {
		r.dir = !strcmp(dirinit, "from-device") ? CAMFENCE_DIR_TO : CAMFENCE_DIR_FROM;
		if (has_sport || has_dport) {
			/* the responder's port is where the packet goes when
			 * it travels from the initiator, else where it comes from
			 */
			bool to_responder = (r.dir == CAMFENCE_DIR_TO) == (pol == FROM_DEVICE);

			if (to_responder != has_dport) {
				unmapped(m, "ACE '%s' (ACL '%s'): a port of the initiator (camfence rules "
					 "name the responder's port)", nm, acl);
				return;
			}
		}
	} else if (has_sport) {
		r.dir = pol == FROM_DEVICE ? CAMFENCE_DIR_FROM : CAMFENCE_DIR_TO;
	} else {
		r.dir = pol == FROM_DEVICE ? CAMFENCE_DIR_TO : CAMFENCE_DIR_FROM;
	}
	if (has_sport || has_dport) {
		r.nports = 1;
		r.ports[0] = has_dport ? dport : sport;
	}
	r.proto = proto < 0 ? 0 : proto;
	if (r.nports && r.proto != 6 && r.proto != 17) {
		unmapped(m, "ACE '%s' (ACL '%s'): ports without tcp or udp", nm, acl);
		return;
	}
	if (!has_peer) {
		/* every address of the ACL's family; both when unknown */
		memset(r.peer, 0, sizeof(r.peer));
		r.family = family;
		r.prefixlen = 0;
	}
	if ((r.proto == 1 && r.family == AF_INET6) || (r.proto == 58 && r.family == AF_INET)) {
		if (klass_peer) {
			/* a class has both families, its placeholder is IPv4:
			 * icmp (camfencectl profile writes icmpv6 for an IPv6 NVR)
			 */
			r.proto = 1;
		} else {
			unmapped(m, "ACE '%s' (ACL '%s'): protocol %d in an %s ACL", nm, acl, r.proto,
				 r.family == AF_INET ? "IPv4" : "IPv6");
			return;
		}
	}
	add_rule(m, &r, nm);
}

static int cmp_port(const void *a, const void *b)
{
	const struct camfence_port_range *x = a, *y = b;

	return x->lo != y->lo ? x->lo - y->lo : x->hi - y->hi;
}

/* Rules equal but for their ports. */
static int cmp_key(const struct cf_cfg_rule *x, const struct cf_cfg_rule *y)
{
	if (x->dir != y->dir)
		return x->dir - y->dir;
	if (x->family != y->family)
		return x->family - y->family;
	if (x->prefixlen != y->prefixlen)
		return x->prefixlen - y->prefixlen;
	if (memcmp(x->peer, y->peer, 16))
		return memcmp(x->peer, y->peer, 16);
	return x->proto - y->proto;
}

static int cmp_rule(const void *a, const void *b)
{
	const struct cf_cfg_rule *x = a, *y = b;
	int c = cmp_key(x, y);

	if (c)
		return c;
	if (x->nports != y->nports)
		return x->nports - y->nports;
	return x->nports ? cmp_port(&x->ports[0], &y->ports[0]) : 0;
}

/* Merge the rules that differ only by ports, drop those another covers,
 * and join 0.0.0.0/0 + ::/0 into any.
 */
static void normalise(struct cf_mud *m)
{
	int i, j, n = 0, k;

	qsort(m->rules, m->nrules, sizeof(m->rules[0]), cmp_rule);
	for (i = 0; i < m->nrules; i++) {
		struct cf_cfg_rule *r = &m->rules[i];

		if (n && !cmp_key(&m->rules[n - 1], r)) {
			struct cf_cfg_rule *p = &m->rules[n - 1];

			if (!p->nports)
				continue;	/* all ports already */
			if (!r->nports) {
				p->nports = 0;	/* r covers p */
				continue;
			}
			if (p->nports + r->nports <= CAMFENCE_MAX_PORT_RANGES) {
				for (j = 0; j < r->nports; j++)
					p->ports[p->nports++] = r->ports[j];
				continue;
			}
		}
		m->rules[n++] = *r;
	}
	m->nrules = n;
	for (i = 0; i < m->nrules; i++) {
		struct cf_cfg_rule *r = &m->rules[i];

		qsort(r->ports, r->nports, sizeof(r->ports[0]), cmp_port);
		for (j = 0, k = 0; j < r->nports; j++)
			if (!k || cmp_port(&r->ports[k - 1], &r->ports[j]))
				r->ports[k++] = r->ports[j];
		r->nports = k;
		/* no stale entries after the list: rules compare with memcmp */
		memset(&r->ports[k], 0, (CAMFENCE_MAX_PORT_RANGES - k) * sizeof(r->ports[0]));
	}
	/* 0.0.0.0/0 and ::/0 with the same protocol and ports: any */
	for (i = 0; i < m->nrules; i++) {
		struct cf_cfg_rule *a = &m->rules[i];

		if (a->family != AF_INET || a->prefixlen)
			continue;
		for (j = 0; j < m->nrules; j++) {
			struct cf_cfg_rule *b = &m->rules[j];

			if (b->family == AF_INET6 && !b->prefixlen && b->dir == a->dir &&
			    b->proto == a->proto && b->nports == a->nports &&
			    !memcmp(b->ports, a->ports, a->nports * sizeof(a->ports[0]))) {
				a->family = 0;
				m->rules[j] = m->rules[--m->nrules];
				break;
			}
		}
	}
	/* 0.0.0.0/0 or ::/0 next to any with the same protocol and ports */
	for (i = 0; i < m->nrules; i++) {
		struct cf_cfg_rule *a = &m->rules[i];

		if (!a->family || a->prefixlen)
			continue;
		for (j = 0; j < m->nrules; j++) {
			struct cf_cfg_rule *b = &m->rules[j];

			if (!b->family && b->dir == a->dir && b->proto == a->proto &&
			    b->nports == a->nports &&
			    !memcmp(b->ports, a->ports, a->nports * sizeof(a->ports[0]))) {
				m->rules[i--] = m->rules[--m->nrules];
				break;
			}
		}
	}
	qsort(m->rules, m->nrules, sizeof(m->rules[0]), cmp_rule);
}

/* The names of a policy's ACLs. */
static json_object *policy_acls(json_object *mud, const char *policy)
{
	json_object *l = get(get(get(mud, policy), "access-lists"), "access-list");

	return l && json_object_is_type(l, json_type_array) ? l : NULL;
}

static bool in_policy(json_object *list, const char *name)
{
	size_t i;

	for (i = 0; list && i < json_object_array_length(list); i++) {
		const char *n = get_s(json_object_array_get_idx(list, i), "name");

		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

static void name_from_url(struct cf_mud *m)
{
	const char *s = strrchr(m->url, '/');
	size_t n = 0;

	s = s && s[1] ? s + 1 : "mud";
	for (; *s && n < CF_CFG_NAME_MAX; s++)
		if (isalnum((unsigned char)*s) || strchr("._-", *s))
			m->name[n++] = *s;
	m->name[n] = 0;
	if (!n)
		snprintf(m->name, sizeof(m->name), "mud");
}

int cf_mud_import(const char *buf, size_t len, struct cf_mud *m, char *err, size_t errlen)
{
	json_object *root = cf_json_parse(buf, len, err, errlen), *mud, *acls, *fr, *to;
	const char *s;
	size_t i, j, naces = 0;

	if (!root)
		return -1;
	mud = get(root, "ietf-mud:mud");
	if (!mud || !json_object_is_type(mud, json_type_object)) {
		snprintf(err, errlen, "not a MUD file (no \"ietf-mud:mud\" object)");
		goto fail;
	}
	if (get_int(mud, "mud-version", 0, 1000) != 1) {
		snprintf(err, errlen, "unsupported or missing mud-version (1 expected)");
		goto fail;
	}
	s = get_s(mud, "mud-url");
	snprintf(m->url, sizeof(m->url), "%s", s ? s : "");
	s = get_s(mud, "systeminfo");
	snprintf(m->systeminfo, sizeof(m->systeminfo), "%s", s ? s : "");
	defang(m->url);
	defang(m->systeminfo);
	name_from_url(m);
	fr = policy_acls(mud, "from-device-policy");
	to = policy_acls(mud, "to-device-policy");
	acls = get(get(root, "ietf-access-control-list:acls"), "acl");
	if (!acls)	/* the name used by drafts before RFC 8519 */
		acls = get(get(root, "ietf-access-control-list:access-lists"), "acl");
	if (!acls || !json_object_is_type(acls, json_type_array)) {
		snprintf(err, errlen, "no ACLs (\"ietf-access-control-list:acls\": {\"acl\": [...]})");
		goto fail;
	}
	for (i = 0; i < json_object_array_length(acls); i++) {
		json_object *acl = json_object_array_get_idx(acls, i), *aces;
		const char *an = get_s(acl, "name"), *type = get_s(acl, "type");
		int family = 0;
		enum pol pol;

		if (!an) {
			unmapped(m, "ACL %zu: no name", i);
			continue;
		}
		if (in_policy(fr, an))
			pol = FROM_DEVICE;
		else if (in_policy(to, an))
			pol = TO_DEVICE;
		else {
			unmapped(m, "ACL '%s': in neither from-device-policy nor to-device-policy", an);
			continue;
		}
		if (type && strstr(type, "ipv4"))
			family = AF_INET;
		else if (type && strstr(type, "ipv6"))
			family = AF_INET6;
		aces = get(get(acl, "aces"), "ace");
		if (!aces || !json_object_is_type(aces, json_type_array)) {
			unmapped(m, "ACL '%s': no aces", an);
			continue;
		}
		for (j = 0; j < json_object_array_length(aces); j++) {
			json_object *ace = json_object_array_get_idx(aces, j);

			if (++naces > CF_MUD_MAX_ACES) {
				snprintf(err, errlen, "more than %d ACEs", CF_MUD_MAX_ACES);
				goto fail;
			}
			if (!json_object_is_type(ace, json_type_object)) {
				unmapped(m, "ACL '%s': ACE %zu is not an object", an, j);
				continue;
			}
			map_ace(m, ace, pol, family, an);
		}
	}
	normalise(m);
	json_object_put(root);
	return 0;
fail:
	json_object_put(root);
	return -1;
}

static bool is_ph(const struct cf_cfg_rule *r, const char *addr, int plen)
{
	uint8_t a[16] = { 0 };

	inet_pton(AF_INET, addr, a);
	return r->family == AF_INET && r->prefixlen == plen && !memcmp(r->peer, a, 16);
}

/* The parameter a placeholder rule stands for, NULL if none. */
static const char *ph_param(const struct cf_cfg_rule *r)
{
	if (is_ph(r, PH_NVR, 32))
		return "$nvr";
	if (is_ph(r, PH_ROUTER, 32))
		return "$router";
	if (is_ph(r, PH_OPS, PH_OPS_LEN))
		return "$operators";
	return NULL;
}

void cf_mud_write_profile(FILE *f, const struct cf_mud *m, const char *name, const char *source)
{
	char rule[512];
	int i;

	fprintf(f, "# camfence profile imported from a MUD file (RFC 8520)%s", source ? ": " : "");
	for (; source && *source; source++)
		fputc((unsigned char)*source < 0x20 || *source == 0x7f ? '?' : *source, f);
	fputc('\n', f);
	if (m->url[0])
		fprintf(f, "# mud-url: %s\n", m->url);
	if (m->systeminfo[0])
		fprintf(f, "# systeminfo: %s\n", m->systeminfo);
	fprintf(f, "# Parameters, as in the vendor profiles (define them before including this\n"
		"# file, or camfencectl profile FILE --nvr --router --operators):\n"
		"# $nvr = my-controller (the NVR), $router = the DNS/NTP controller classes\n"
		"# (the router), $operators = local-networks (the operators' network).\n");
	for (i = 0; i < m->nunmapped; i++)
		fprintf(f, "# not mapped (denied): %s\n", m->unmapped[i]);
	fprintf(f, "\nprofile %s {\n", name);
	for (i = 0; i < m->nrules; i++) {
		const struct cf_cfg_rule *r = &m->rules[i];
		const char *param = ph_param(r);
		char *peer, *rest;

		cf_format_rule(r, rule, sizeof(rule));
		/* "allow to 192.0.2.10 udp 5684" -> "allow to $nvr udp 5684" */
		peer = param ? strchr(rule + 6, ' ') : NULL;
		if (peer) {
			peer++;
			rest = strchr(peer, ' ');
			fprintf(f, "    %.*s%s%s\n", (int)(peer - rule), rule, param,
				rest ? rest : "");
		} else {
			fprintf(f, "    %s\n", rule);
		}
	}
	fprintf(f, "}\n");
}

/* ---- export ---- */

struct acl_out {
	const char *suffix;		/* "v4fr", ... */
	int family;
	enum pol pol;
	char *buf;			/* the ACEs, JSON text joined by ',' */
	size_t len;
	FILE *f;
	int n;
};

/* One ACE (a JSON object) into acl. */
static void write_ace(struct acl_out *acl, const char *name, const struct cf_cfg_rule *r,
		      const char *klass, const char *controller, bool peer_dst,
		      const struct camfence_port_range *port, bool port_dst, const char *dirinit)
{
	struct cf_json j;
	char net[64];

	if (acl->n++)
		fputc(',', acl->f);
	cf_json_begin(&j, acl->f);
	cf_json_obj_open(&j, NULL);
	cf_json_str(&j, "name", name);
	cf_json_obj_open(&j, "matches");
	if (klass) {
		cf_json_obj_open(&j, "ietf-mud:mud");
		if (controller) {
			cf_json_str(&j, "controller", controller);
		} else {
			cf_json_arr_open(&j, klass);
			cf_json_null(&j, NULL);
			cf_json_arr_close(&j);
		}
		cf_json_obj_close(&j);
	}
	if (r->proto || (!klass && r->prefixlen)) {
		cf_json_obj_open(&j, acl->family == AF_INET ? "ipv4" : "ipv6");
		if (r->proto)
			cf_json_u64(&j, "protocol", (uint64_t)r->proto);
		if (!klass && r->prefixlen) {
			cf_format_prefix(r->family, r->peer, r->prefixlen, net, sizeof(net));
			if (!strchr(net, '/'))
				snprintf(net + strlen(net), sizeof(net) - strlen(net), "/%d", r->prefixlen);
			cf_json_str(&j, peer_dst ? (acl->family == AF_INET ? "destination-ipv4-network"
						    : "destination-ipv6-network")
				    : (acl->family == AF_INET ? "source-ipv4-network" : "source-ipv6-network"),
				    net);
		}
		cf_json_obj_close(&j);
	}
	if (port || (dirinit && r->proto == 6)) {
		cf_json_obj_open(&j, r->proto == 6 ? "tcp" : "udp");
		if (dirinit && r->proto == 6)
			cf_json_str(&j, "ietf-mud:direction-initiated", dirinit);
		if (port) {
			cf_json_obj_open(&j, port_dst ? "destination-port" : "source-port");
			if (port->lo == port->hi) {
				cf_json_str(&j, "operator", "eq");
				cf_json_u64(&j, "port", port->lo);
			} else {
				cf_json_u64(&j, "lower-port", port->lo);
				cf_json_u64(&j, "upper-port", port->hi);
			}
			cf_json_obj_close(&j);
		}
		cf_json_obj_close(&j);
	}
	cf_json_obj_close(&j);
	cf_json_obj_open(&j, "actions");
	cf_json_str(&j, "forwarding", "accept");
	cf_json_obj_close(&j);
	cf_json_obj_close(&j);
	/* no cf_json_end: it would add a newline inside the array */
}

int cf_mud_export(FILE *f, FILE *notes, const struct cf_cfg_profile *p, const char *url,
		  const char *systeminfo, time_t when, int *nskipped)
{
	int skipped = 0;
	struct acl_out acls[4] = {
		{ "v4fr", AF_INET, FROM_DEVICE, NULL, 0, NULL, 0 },
		{ "v6fr", AF_INET6, FROM_DEVICE, NULL, 0, NULL, 0 },
		{ "v4to", AF_INET, TO_DEVICE, NULL, 0, NULL, 0 },
		{ "v6to", AF_INET6, TO_DEVICE, NULL, 0, NULL, 0 },
	};
	char ts[32], aname[64];
	struct tm tm;
	int i, k, total = 0;
	bool anyfr = false, anyto = false;

	for (k = 0; k < 4; k++) {
		acls[k].f = open_memstream(&acls[k].buf, &acls[k].len);
		if (!acls[k].f)
			return -1;
	}
	for (i = 0; i < p->nrules; i++) {
		const struct cf_cfg_rule *r = &p->rules[i];
		struct cf_cfg_rule rc;
		const char *klass = NULL, *controller = NULL;
		bool to = r->dir == CAMFENCE_DIR_TO;
		int fam;

		if (is_ph(r, PH_NVR, 32)) {
			klass = "my-controller";
		} else if (is_ph(r, PH_OPS, PH_OPS_LEN)) {
			klass = "local-networks";
		} else if (is_ph(r, PH_ROUTER, 32)) {
			/* the router: DNS and NTP have well-known controller
			 * classes (RFC 8520 section 8); nothing else does
			 */
			int pi;

			klass = "controller";
			for (pi = 0; pi < r->nports; pi++)
				if (r->ports[pi].lo != r->ports[pi].hi ||
				    (r->ports[pi].lo != 53 && r->ports[pi].lo != 123))
					break;
			if (!r->nports || pi < r->nports || (r->proto != 17 && r->proto != 6)) {
				char rule[256];

				if (notes)
					fprintf(notes, "rule %d (%s): the router has a MUD class for DNS (53) and "
						"NTP (123) only: left out\n", i + 1,
						cf_format_rule(r, rule, sizeof(rule)));
				skipped++;
				continue;
			}
		}
		for (fam = AF_INET; fam <= AF_INET6; fam = fam == AF_INET ? AF_INET6 : AF_INET6 + 1) {
			struct acl_out *init, *reply;
			int pi;

			if (!klass && r->family && r->family != fam)
				continue;
			if (!klass && ((r->proto == 1 && fam != AF_INET) ||
				       (r->proto == 58 && fam != AF_INET6)))
				continue;
			if (klass && (r->proto == 1 || r->proto == 58)) {
				/* the class has both families: ICMP in each */
				rc = *r;
				rc.proto = fam == AF_INET ? 1 : 58;
				r = &rc;
			}
			/* the initiator's packets, and the responder's replies */
			init = &acls[(fam == AF_INET6) + (to ? 0 : 2)];
			reply = &acls[(fam == AF_INET6) + (to ? 2 : 0)];
			if (!r->nports) {
				snprintf(aname, sizeof(aname), "rule%d-%s", i + 1, to ? "frdev" : "todev");
				write_ace(init, aname, r, klass, controller, to, NULL, false,
					  to ? "from-device" : "to-device");
				total++;
				continue;
			}
			for (pi = 0; pi < r->nports; pi++) {
				if (klass && !strcmp(klass, "controller"))
					controller = r->ports[pi].lo == 123 ? URN_NTP : URN_DNS;
				snprintf(aname, sizeof(aname), "rule%d-%d-%s", i + 1, pi + 1,
					 to ? "frdev" : "todev");
				write_ace(init, aname, r, klass, controller, to, &r->ports[pi], true,
					  to ? "from-device" : "to-device");
				snprintf(aname, sizeof(aname), "rule%d-%d-%s", i + 1, pi + 1,
					 to ? "todev" : "frdev");
				write_ace(reply, aname, r, klass, controller, !to, &r->ports[pi], false,
					  to ? "from-device" : "to-device");
				total += 2;
			}
		}
	}
	for (k = 0; k < 4; k++)
		fclose(acls[k].f);
	gmtime_r(&when, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(f, "{\n  \"ietf-mud:mud\": {\n    \"mud-version\": 1,\n    \"mud-url\": ");
	cf_json_write_string(f, url);
	fprintf(f, ",\n    \"last-update\": \"%s\",\n    \"cache-validity\": 48,\n"
		"    \"is-supported\": true,\n    \"systeminfo\": ", ts);
	cf_json_write_string(f, systeminfo);
	for (k = 0; k < 4; k++) {
		anyfr |= acls[k].n && acls[k].pol == FROM_DEVICE;
		anyto |= acls[k].n && acls[k].pol == TO_DEVICE;
	}
	for (i = 0; i < 2; i++) {
		bool first = true;

		fprintf(f, ",\n    \"%s\": {\"access-lists\": {\"access-list\": [",
			i ? "to-device-policy" : "from-device-policy");
		for (k = 0; k < 4; k++) {
			if (!acls[k].n || (int)acls[k].pol != i)
				continue;
			fprintf(f, "%s{\"name\": ", first ? "" : ", ");
			snprintf(aname, sizeof(aname), "%s-%s", p->name, acls[k].suffix);
			cf_json_write_string(f, aname);
			fputc('}', f);
			first = false;
		}
		fprintf(f, "]}}");
	}
	(void)anyfr;
	(void)anyto;
	fprintf(f, "\n  },\n  \"ietf-access-control-list:acls\": {\n    \"acl\": [");
	for (k = 0, i = 0; k < 4; k++) {
		if (!acls[k].n)
			continue;
		snprintf(aname, sizeof(aname), "%s-%s", p->name, acls[k].suffix);
		fprintf(f, "%s\n      {\"name\": ", i++ ? "," : "");
		cf_json_write_string(f, aname);
		fprintf(f, ", \"type\": \"%s\",\n       \"aces\": {\"ace\": [%.*s]}}",
			acls[k].family == AF_INET ? "ipv4-acl-type" : "ipv6-acl-type",
			(int)acls[k].len, acls[k].buf);
	}
	fprintf(f, "\n    ]\n  }\n}\n");
	for (k = 0; k < 4; k++)
		free(acls[k].buf);
	if (nskipped)
		*nskipped = skipped;
	return total;
}
