// SPDX-License-Identifier: GPL-2.0
/*
 * camfence transactions: the specs of one BEGIN..COMMIT, validated object
 * by object (names, addresses, unique MACs, addresses and names, rules),
 * kept in hash tables until cf_policy_build() turns them into an
 * immutable policy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/rcupdate.h>
#include <net/ipv6.h>
#include "txn.h"
#include "policy.h"

static bool cf_name_valid(const char *s, size_t size)
{
	size_t i, n = strnlen(s, size);

	if (n == 0 || n > CAMFENCE_NAME_MAX || n == size)
		return false;
	for (i = 0; i < n; i++) {
		if (!isalnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return false;
	}
	return true;
}

static void cf_addr_norm(struct cf_addr *dst, const struct cf_addr *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->family = src->family;
	if (src->family == AF_INET)
		dst->addr.ip = src->addr.ip;
	else
		dst->addr.in6 = src->addr.in6;
}

/*
 * Makes room for @need elements of @esz bytes in *arr (capacity *cap),
 * doubling it; the first @used elements, the initialised ones, are copied
 * (kvmalloc_array() does not zero: copying the whole capacity would copy
 * uninitialised memory).
 */
int cf_grow(void **arr, u32 *cap, u32 used, u32 need, size_t esz)
{
	u32 ncap = *cap ? *cap : 16;
	void *na;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > U32_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	na = kvmalloc_array(ncap, esz, GFP_KERNEL_ACCOUNT);
	if (!na)
		return -ENOMEM;
	if (*arr) {
		memcpy(na, *arr, (size_t)used * esz);
		kvfree(*arr);
	}
	*arr = na;
	*cap = ncap;
	return 0;
}

struct cf_txn *cf_txn_new(struct cf_net *cn)
{
	struct cf_txn *t;

	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return NULL;
	t->cn = cn;
	t->seed = get_random_u32();
	t->prof_head = kvcalloc(CF_TXN_HSIZE * 4, sizeof(u32),
				GFP_KERNEL_ACCOUNT);
	if (!t->prof_head) {
		kvfree(t);
		return NULL;
	}
	t->name_head = t->prof_head + CF_TXN_HSIZE;
	t->mac_head = t->name_head + CF_TXN_HSIZE;
	t->addr_head = t->mac_head + CF_TXN_HSIZE;
	return t;
}

void cf_txn_free(struct cf_txn *t)
{
	u32 i;

	if (!t)
		return;
	for (i = 0; i < t->nprofiles; i++)
		kvfree(t->profiles[i].rules);
	kvfree(t->profiles);
	kvfree(t->zones);
	kvfree(t->devs);
	kvfree(t->addrs);
	kvfree(t->prof_head);
	kvfree(t);
}

void cf_txn_set_mode(struct cf_txn *t, u8 mode)
{
	t->mode_set = true;
	t->mode = mode;
}

static bool cf_txn_ifname_used(const struct cf_txn *t, const char *name,
			       const char **zone)
{
	u32 i, j;

	for (i = 0; i < t->nzones; i++) {
		for (j = 0; j < t->zones[i].nifs; j++) {
			if (!strcmp(t->zones[i].ifnames[j], name)) {
				*zone = t->zones[i].name;
				return true;
			}
		}
	}
	return false;
}

int cf_txn_add_zone(struct cf_txn *t, const struct cf_zone_spec *spec,
		    struct netlink_ext_ack *extack)
{
	struct cf_net *cn = t->cn;
	struct cf_zone_spec *z;
	const char *other;
	u32 i, j;
	int err;

	if (!cf_name_valid(spec->name, sizeof(spec->name))) {
		cf_set_err(cn, extack, "zone %.32s: invalid name", spec->name);
		return -EINVAL;
	}
	for (i = 0; i < t->nzones; i++) {
		if (!strcmp(t->zones[i].name, spec->name)) {
			cf_set_err(cn, extack, "zone %s: duplicate name", spec->name);
			return -EEXIST;
		}
	}
	if (t->nzones >= cf_limits.max_zones) {
		cf_set_err(cn, extack, "zone %s: too many zones (max_zones=%u)",
			   spec->name, cf_limits.max_zones);
		return -ENOSPC;
	}
	if (spec->unknown > CAMFENCE_ACTION_MAX) {
		cf_set_err(cn, extack, "zone %s: invalid unknown action %u",
			   spec->name, spec->unknown);
		return -EINVAL;
	}
	if (spec->nvlans > CF_MAX_ZONE_VLANS || spec->nifs > CF_MAX_ZONE_IFS) {
		cf_set_err(cn, extack, "zone %s: too many VLANs or interfaces",
			   spec->name);
		return -EINVAL;
	}
	if (!spec->nvlans && !spec->nifs) {
		cf_set_err(cn, extack, "zone %s: no VLAN and no interface",
			   spec->name);
		return -EINVAL;
	}
	for (i = 0; i < spec->nvlans; i++) {
		u16 vid = spec->vlans[i];

		if (vid < 1 || vid > 4094) {
			cf_set_err(cn, extack, "zone %s: VLAN %u out of range 1..4094",
				   spec->name, vid);
			return -EINVAL;
		}
		if (t->vlan_zone[vid]) {
			cf_set_err(cn, extack, "zone %s: VLAN %u already in zone %s",
				   spec->name, vid,
				   t->zones[t->vlan_zone[vid] - 1].name);
			return -EEXIST;
		}
		for (j = 0; j < i; j++) {
			if (spec->vlans[j] == vid) {
				cf_set_err(cn, extack, "zone %s: VLAN %u listed twice",
					   spec->name, vid);
				return -EEXIST;
			}
		}
	}
	for (i = 0; i < spec->nifs; i++) {
		const char *ifn = spec->ifnames[i];
		size_t n = strnlen(ifn, IFNAMSIZ);

		if (n == 0 || n == IFNAMSIZ || !dev_valid_name(ifn)) {
			cf_set_err(cn, extack, "zone %s: invalid interface name",
				   spec->name);
			return -EINVAL;
		}
		if (cf_txn_ifname_used(t, ifn, &other)) {
			cf_set_err(cn, extack,
				   "zone %s: interface %s already in zone %s",
				   spec->name, ifn, other);
			return -EEXIST;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(spec->ifnames[j], ifn)) {
				cf_set_err(cn, extack,
					   "zone %s: interface %s listed twice",
					   spec->name, ifn);
				return -EEXIST;
			}
		}
	}
	err = cf_grow((void **)&t->zones, &t->zcap, t->nzones, t->nzones + 1,
		      sizeof(*z));
	if (err)
		return err;
	z = &t->zones[t->nzones];
	*z = *spec;
	z->name[CAMFENCE_NAME_MAX] = '\0';
	t->nzones++;
	for (i = 0; i < spec->nvlans; i++)
		t->vlan_zone[spec->vlans[i]] = t->nzones;
	return 0;
}

int cf_txn_add_seal(struct cf_txn *t, const struct cf_zone_spec *spec)
{
	struct cf_zone_spec *z;
	const char *zone;
	u32 i, j;
	u16 vid;
	int err;

	if (!spec || t->seal)
		return 0;
	err = cf_grow((void **)&t->zones, &t->zcap, t->nzones, t->nzones + 1,
		      sizeof(*z));
	if (err)
		return err;
	z = &t->zones[t->nzones];
	memset(z, 0, sizeof(*z));
	strscpy(z->name, spec->name, sizeof(z->name));
	z->unknown = CAMFENCE_ACTION_DROP;
	for (i = 0; i < spec->nvlans && i < CF_MAX_ZONE_VLANS; i++) {
		vid = spec->vlans[i];
		if (vid && vid < VLAN_N_VID && !t->vlan_zone[vid]) {
			z->vlans[z->nvlans++] = vid;
			t->vlan_zone[vid] = t->nzones + 1;
		}
	}
	for (i = 0; i < spec->nifs && i < CF_MAX_ZONE_IFS; i++) {
		if (cf_txn_ifname_used(t, spec->ifnames[i], &zone))
			continue;
		for (j = 0; j < z->nifs; j++)
			if (!strcmp(z->ifnames[j], spec->ifnames[i]))
				break;
		if (j == z->nifs)
			strscpy(z->ifnames[z->nifs++], spec->ifnames[i],
				IFNAMSIZ);
	}
	if (!z->nvlans && !z->nifs)
		return 0;
	t->nzones++;
	t->seal = true;
	return 0;
}

static void cf_prefix_mask(u8 family, u8 plen, union nf_inet_addr *mask)
{
	int i;

	memset(mask, 0, sizeof(*mask));
	if (family == AF_INET) {
		mask->ip = plen ? htonl(~0U << (32 - plen)) : 0;
		return;
	}
	for (i = 0; i < 4; i++, plen = plen > 32 ? plen - 32 : 0) {
		if (plen >= 32)
			mask->ip6[i] = htonl(~0U);
		else if (plen)
			mask->ip6[i] = htonl(~0U << (32 - plen));
	}
}

static int cf_rule_build(struct cf_net *cn, const char *prof, u32 idx,
			 const struct cf_rule_spec *rs, struct cf_rule *r,
			 struct netlink_ext_ack *extack)
{
	u32 i, words;

	memset(r, 0, sizeof(*r));
	if (rs->dir != CAMFENCE_DIR_TO && rs->dir != CAMFENCE_DIR_FROM) {
		cf_set_err(cn, extack, "profile %s: rule %u: direction must be to or from",
			   prof, idx + 1);
		return -EINVAL;
	}
	/* any IP protocol: rules on others than TCP/UDP match without ports */
	if (rs->family == AF_INET) {
		if (rs->prefixlen > 32)
			goto bad_prefix;
		if (rs->proto == IPPROTO_ICMPV6) {
			cf_set_err(cn, extack, "profile %s: rule %u: icmpv6 with an IPv4 peer",
				   prof, idx + 1);
			return -EINVAL;
		}
	} else if (rs->family == AF_INET6) {
		if (rs->prefixlen > 128)
			goto bad_prefix;
		if (rs->proto == IPPROTO_ICMP) {
			cf_set_err(cn, extack, "profile %s: rule %u: icmp with an IPv6 peer",
				   prof, idx + 1);
			return -EINVAL;
		}
	} else if (rs->family) {
		cf_set_err(cn, extack, "profile %s: rule %u: bad address family",
			   prof, idx + 1);
		return -EINVAL;
	}
	if (rs->nports > CF_MAX_PORT_RANGES) {
		cf_set_err(cn, extack, "profile %s: rule %u: more than %u port ranges",
			   prof, idx + 1, CF_MAX_PORT_RANGES);
		return -EINVAL;
	}
	if (rs->nports && rs->proto != IPPROTO_TCP &&
	    rs->proto != IPPROTO_UDP) {
		cf_set_err(cn, extack, "profile %s: rule %u: ports need tcp or udp",
			   prof, idx + 1);
		return -EINVAL;
	}
	for (i = 0; i < rs->nports; i++) {
		if (rs->ports[i].lo > rs->ports[i].hi) {
			cf_set_err(cn, extack, "profile %s: rule %u: port range %u-%u is reversed",
				   prof, idx + 1, rs->ports[i].lo, rs->ports[i].hi);
			return -EINVAL;
		}
		r->ports[i] = rs->ports[i];
	}
	r->dir = rs->dir;
	r->family = rs->family;
	r->proto = rs->proto;
	r->nports = rs->nports;
	if (rs->family) {
		cf_prefix_mask(rs->family, rs->prefixlen, &r->mask);
		words = rs->family == AF_INET ? 1 : 4;
		for (i = 0; i < words; i++) {
			r->peer.all[i] = rs->peer.all[i];
			if (r->peer.all[i] & ~r->mask.all[i]) {
				cf_set_err(cn, extack,
					   "profile %s: rule %u: host bits set beyond /%u",
					   prof, idx + 1, rs->prefixlen);
				return -EINVAL;
			}
		}
	}
	return 0;

bad_prefix:
	cf_set_err(cn, extack, "profile %s: rule %u: prefix length %u is over %u",
		   prof, idx + 1, rs->prefixlen, rs->family == AF_INET ? 32 : 128);
	return -EINVAL;
}

static u32 cf_txn_find_profile(const struct cf_txn *t, const char *name)
{
	u32 i = t->prof_head[cf_hash_name(name, t->seed) & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->profiles[i - 1].name_next) {
		if (!strcmp(t->profiles[i - 1].name, name))
			return i;
	}
	return 0;
}

int cf_txn_add_profile(struct cf_txn *t, const struct cf_profile_spec *spec,
		       struct netlink_ext_ack *extack)
{
	struct cf_net *cn = t->cn;
	struct cf_txn_profile *tp;
	struct cf_rule *rules = NULL;
	u32 i, b;
	int err;

	if (!cf_name_valid(spec->name, sizeof(spec->name))) {
		cf_set_err(cn, extack, "profile %.32s: invalid name", spec->name);
		return -EINVAL;
	}
	if (cf_txn_find_profile(t, spec->name)) {
		cf_set_err(cn, extack, "profile %s: duplicate name", spec->name);
		return -EEXIST;
	}
	if (t->nprofiles >= cf_limits.max_profiles) {
		cf_set_err(cn, extack, "profile %s: too many profiles (max_profiles=%u)",
			   spec->name, cf_limits.max_profiles);
		return -ENOSPC;
	}
	if (spec->nrules > cf_limits.max_rules) {
		cf_set_err(cn, extack, "profile %s: %u rules, more than max_rules=%u",
			   spec->name, spec->nrules, cf_limits.max_rules);
		return -ENOSPC;
	}
	if (spec->nrules) {
		rules = kvmalloc_array(spec->nrules, sizeof(*rules),
				       GFP_KERNEL_ACCOUNT);
		if (!rules)
			return -ENOMEM;
	}
	for (i = 0; i < spec->nrules; i++) {
		err = cf_rule_build(cn, spec->name, i, &spec->rules[i],
				    &rules[i], extack);
		if (err)
			goto err_free;
	}
	err = cf_grow((void **)&t->profiles, &t->pcap, t->nprofiles,
		      t->nprofiles + 1, sizeof(*tp));
	if (err)
		goto err_free;
	tp = &t->profiles[t->nprofiles];
	memset(tp, 0, sizeof(*tp));
	strscpy(tp->name, spec->name, sizeof(tp->name));
	tp->nrules = spec->nrules;
	tp->rules = rules;
	b = cf_hash_name(tp->name, t->seed) & (CF_TXN_HSIZE - 1);
	tp->name_next = t->prof_head[b];
	t->prof_head[b] = ++t->nprofiles;
	return 0;

err_free:
	kvfree(rules);
	return err;
}

static u32 cf_txn_find_dev_name(const struct cf_txn *t, const char *name)
{
	u32 i = t->name_head[cf_hash_name(name, t->seed) & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->devs[i - 1].name_next) {
		if (!strcmp(t->devs[i - 1].spec.name, name))
			return i;
	}
	return 0;
}

static u32 cf_txn_find_dev_mac(const struct cf_txn *t, const u8 *mac)
{
	u32 i = t->mac_head[cf_hash_mac(mac, t->seed) & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->devs[i - 1].mac_next) {
		if (ether_addr_equal(t->devs[i - 1].spec.mac, mac))
			return i;
	}
	return 0;
}

static u32 cf_txn_find_addr(const struct cf_txn *t, const struct cf_addr *a)
{
	u32 h = cf_hash_addr(a->family, &a->addr, t->seed);
	u32 i = t->addr_head[h & (CF_TXN_HSIZE - 1)];

	for (; i; i = t->addrs[i - 1].next) {
		const struct cf_addr *o = &t->addrs[i - 1].addr;

		if (cf_addr_eq(o->family, &o->addr, a->family, &a->addr))
			return i;
	}
	return 0;
}

static int cf_check_addr(struct cf_net *cn, const struct cf_device_spec *spec,
			 const struct cf_addr *a, struct netlink_ext_ack *extack)
{
	if (a->family == AF_INET) {
		if (ipv4_is_zeronet(a->addr.ip) || ipv4_is_multicast(a->addr.ip) ||
		    ipv4_is_lbcast(a->addr.ip) || ipv4_is_loopback(a->addr.ip)) {
			cf_set_err(cn, extack, "device %s: address %pI4 is not a unicast address",
				   spec->name, &a->addr.ip);
			return -EINVAL;
		}
		return 0;
	}
	if (a->family == AF_INET6) {
		int type = ipv6_addr_type(&a->addr.in6);

		if (type == IPV6_ADDR_ANY || (type & IPV6_ADDR_MULTICAST) ||
		    (type & IPV6_ADDR_LOOPBACK)) {
			cf_set_err(cn, extack, "device %s: address %pI6c is not a unicast address",
				   spec->name, &a->addr.in6);
			return -EINVAL;
		}
		return 0;
	}
	cf_set_err(cn, extack, "device %s: bad address family %u", spec->name,
		   a->family);
	return -EINVAL;
}

int cf_txn_add_device(struct cf_txn *t, const struct cf_device_spec *spec,
		      struct netlink_ext_ack *extack)
{
	struct cf_net *cn = t->cn;
	struct cf_addr norm[CF_MAX_DEV_ADDRS];
	struct cf_txn_dev *td;
	u32 i, j, prof, other, b;
	int err;

	if (!cf_name_valid(spec->name, sizeof(spec->name))) {
		cf_set_err(cn, extack, "device %.32s: invalid name", spec->name);
		return -EINVAL;
	}
	other = cf_txn_find_dev_name(t, spec->name);
	if (other) {
		cf_set_err(cn, extack, "device %s: duplicate name", spec->name);
		return -EEXIST;
	}
	if (t->ndevs >= cf_limits.max_devices) {
		cf_set_err(cn, extack, "device %s: too many devices (max_devices=%u)",
			   spec->name, cf_limits.max_devices);
		return -ENOSPC;
	}
	if (!is_valid_ether_addr(spec->mac)) {
		cf_set_err(cn, extack, "device %s: MAC %pM is not a unicast address",
			   spec->name, spec->mac);
		return -EINVAL;
	}
	other = cf_txn_find_dev_mac(t, spec->mac);
	if (other) {
		cf_set_err(cn, extack, "device %s: MAC %pM already used by device %s",
			   spec->name, spec->mac, t->devs[other - 1].spec.name);
		return -EEXIST;
	}
	prof = cf_txn_find_profile(t, spec->profile);
	if (!prof) {
		cf_set_err(cn, extack, "device %s: unknown profile %.32s",
			   spec->name, spec->profile);
		return -ENOENT;
	}
	if (spec->mode > CAMFENCE_MODE_MAX) {
		cf_set_err(cn, extack, "device %s: invalid mode %u", spec->name,
			   spec->mode);
		return -EINVAL;
	}
	if (spec->port[0] && (strnlen(spec->port, IFNAMSIZ) == IFNAMSIZ ||
			      !dev_valid_name(spec->port))) {
		cf_set_err(cn, extack, "device %s: invalid port name",
			   spec->name);
		return -EINVAL;
	}
	if (spec->naddrs > CF_MAX_DEV_ADDRS) {
		cf_set_err(cn, extack, "device %s: more than %u addresses",
			   spec->name, CF_MAX_DEV_ADDRS);
		return -EINVAL;
	}
	for (i = 0; i < spec->naddrs; i++) {
		cf_addr_norm(&norm[i], &spec->addrs[i]);
		err = cf_check_addr(cn, spec, &norm[i], extack);
		if (err)
			return err;
		for (j = 0; j < i; j++) {
			if (cf_addr_eq(norm[j].family, &norm[j].addr,
				       norm[i].family, &norm[i].addr)) {
				cf_set_err(cn, extack, "device %s: address listed twice",
					   spec->name);
				return -EEXIST;
			}
		}
		other = cf_txn_find_addr(t, &norm[i]);
		if (other) {
			const char *on = t->devs[t->addrs[other - 1].dev].spec.name;

			if (norm[i].family == AF_INET)
				cf_set_err(cn, extack, "device %s: address %pI4 already used by device %s",
					   spec->name, &norm[i].addr.ip, on);
			else
				cf_set_err(cn, extack, "device %s: address %pI6c already used by device %s",
					   spec->name, &norm[i].addr.in6, on);
			return -EEXIST;
		}
	}
	err = cf_grow((void **)&t->devs, &t->dcap, t->ndevs, t->ndevs + 1,
		      sizeof(*td));
	if (err)
		return err;
	err = cf_grow((void **)&t->addrs, &t->acap, t->naddrs,
		      t->naddrs + spec->naddrs, sizeof(*t->addrs));
	if (err)
		return err;

	td = &t->devs[t->ndevs];
	memset(td, 0, sizeof(*td));
	td->spec = *spec;
	td->spec.name[CAMFENCE_NAME_MAX] = '\0';
	td->spec.profile[CAMFENCE_NAME_MAX] = '\0';
	td->profile = prof - 1;
	td->addr_first = t->naddrs;
	for (i = 0; i < spec->naddrs; i++) {
		struct cf_txn_addr *ta = &t->addrs[t->naddrs];

		td->spec.addrs[i] = norm[i];
		ta->addr = norm[i];
		ta->dev = t->ndevs;
		b = cf_hash_addr(norm[i].family, &norm[i].addr, t->seed) &
		    (CF_TXN_HSIZE - 1);
		ta->next = t->addr_head[b];
		t->addr_head[b] = ++t->naddrs;
	}
	t->ndevs++;
	b = cf_hash_name(td->spec.name, t->seed) & (CF_TXN_HSIZE - 1);
	td->name_next = t->name_head[b];
	t->name_head[b] = t->ndevs;
	b = cf_hash_mac(td->spec.mac, t->seed) & (CF_TXN_HSIZE - 1);
	td->mac_next = t->mac_head[b];
	t->mac_head[b] = t->ndevs;
	return 0;
}

/* ---- comparing with the active policy (no-op commits) ---- */

static int cf_policy_zone_idx(const struct cf_policy *p, const char *name,
			      u32 hint)
{
	u32 i;

	if (hint < p->nconf_zones && !strcmp(p->zones[hint].name, name))
		return hint;
	for (i = 0; i < p->nconf_zones; i++)
		if (!strcmp(p->zones[i].name, name))
			return i;
	return -1;
}

static const struct cf_profile *cf_policy_profile_by_name(const struct cf_policy *p,
							  const char *name,
							  u32 hint)
{
	u32 i;

	if (hint < p->nprofiles && !strcmp(p->profiles[hint].name, name))
		return &p->profiles[hint];
	for (i = 0; i < p->nprofiles; i++)
		if (!strcmp(p->profiles[i].name, name))
			return &p->profiles[i];
	return NULL;
}

/*
 * The names are unique on both sides and the counts equal, so finding each
 * object of the transaction, equal, in the policy proves the two are the
 * same. Profiles and zones are compared by name (a linear search when they
 * are not at the same index: at most max_profiles * max_profiles / 2 name
 * comparisons), devices by MAC through the policy's hash table.
 */
bool cf_txn_unchanged(struct cf_net *cn, const struct cf_txn *t)
{
	const struct cf_policy *p;
	const struct cf_profile *pp;
	const struct cf_device *od;
	u32 i, j, nvids = 0, nifs = 0;
	int zi;

	lockdep_assert_held(&cn->lock);
	p = rcu_dereference_protected(cn->policy, lockdep_is_held(&cn->lock));
	if (!cf_generation(cn) || p->sealed)
		return false;
	if (t->mode_set && t->mode != cn->mode)
		return false;
	if (t->seal || t->nzones != p->nconf_zones ||
	    t->nprofiles != p->nprofiles ||
	    t->ndevs != p->ndevices || t->naddrs != p->naddrs)
		return false;

	for (i = 0; i < t->nzones; i++) {
		const struct cf_zone_spec *z = &t->zones[i];

		zi = cf_policy_zone_idx(p, z->name, i);
		if (zi < 0 || p->zones[zi].unknown != z->unknown)
			return false;
		for (j = 0; j < z->nvlans; j++)
			if (p->vlan_zone[z->vlans[j]] != zi + 1)
				return false;
		for (j = 0; j < z->nifs; j++)
			if (cf_policy_zone_ifname(p, z->ifnames[j]) !=
			    &p->zones[zi])
				return false;
		nvids += z->nvlans;
		nifs += z->nifs;
	}
	/* the same zones leave the same sealed VLANs and interfaces */
	if (nvids + p->nseal_vids != p->nzone_vids ||
	    nifs + p->nseal_ifs != p->nifzones)
		return false;

	for (i = 0; i < t->nprofiles; i++) {
		const struct cf_txn_profile *tp = &t->profiles[i];

		pp = cf_policy_profile_by_name(p, tp->name, i);
		if (!pp || pp->nrules != tp->nrules ||
		    (tp->nrules && memcmp(pp->rules, tp->rules,
					  tp->nrules * sizeof(*tp->rules))))
			return false;
	}

	for (i = 0; i < t->ndevs; i++) {
		const struct cf_txn_dev *td = &t->devs[i];

		od = cf_policy_dev_by_mac(p, td->spec.mac);
		if (!od || strcmp(od->name, td->spec.name) ||
		    od->mode != td->spec.mode ||
		    od->naddrs != td->spec.naddrs ||
		    strcmp(od->port, td->spec.port) ||
		    strcmp(od->profile->name, t->profiles[td->profile].name))
			return false;
		for (j = 0; j < td->spec.naddrs; j++)
			if (!cf_device_has_addr(od, td->spec.addrs[j].family,
						&td->spec.addrs[j].addr))
				return false;
	}
	return true;
}
