// SPDX-License-Identifier: GPL-2.0
/*
 * camfence generic netlink family: strict attribute policies, parsing into
 * the *_spec structs of camfence.h, transaction ownership, replies, dumps
 * and the events multicast group.
 *
 * The family is parallel (parallel_ops): genetlink takes no global lock
 * around its operations, so a long commit (thousands of devices, sysfs
 * directories, synchronize_net()) in one namespace blocks neither other
 * generic netlink families nor camfence in other namespaces. Every
 * operation that touches a namespace's shared state takes its cn->lock
 * (transactions, commits, mode, the device and policy dumps); GET_STATS
 * reads only what is published for lockless readers (READ_ONCE, RCU,
 * per-CPU counters) and the unknown-device dump takes the table's own
 * lock. Modules are loaded before cn->lock is taken (cf_ct_modules()), as
 * nf_tables does: modprobe may take seconds and must not hold a lock.
 */

#include <linux/kernel.h>
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/etherdevice.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "netlink.h"
#include "txn.h"
#include "policy.h"
#include "devstate.h"
#include "unknown.h"
#include "events.h"
#include "offload.h"
#include "dns.h"

static struct genl_family camfence_family;
static bool cf_genl_registered;
static bool cf_genl_events_stopped;	/* module unload */

enum { CF_MCGRP_EVENTS };

/* ---- attribute policies, one per nesting level ---- */

static int cf_validate_addr(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	int len = nla_len(attr);

	if (len == sizeof(struct in_addr) || len == sizeof(struct in6_addr))
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "address must be 4 (IPv4) or 16 (IPv6) bytes");
	return -EINVAL;
}

static int cf_validate_mac(const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == ETH_ALEN)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "MAC address must be 6 bytes");
	return -EINVAL;
}

/* Names: [A-Za-z0-9._-]{1,32}, NUL-terminated. */
static int cf_validate_name(const struct nlattr *attr,
			    struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	size_t i, len = strnlen(s, nla_len(attr));

	if (len < 1 || len > CAMFENCE_NAME_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "names must be 1 to 32 characters");
		return -EINVAL;
	}
	if (!strcmp(s, ".") || !strcmp(s, "..")) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "the names . and .. are reserved");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum(s[i]) && s[i] != '.' && s[i] != '_' &&
		    s[i] != '-') {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "names may only contain A-Z a-z 0-9 . _ -");
			return -EINVAL;
		}
	}
	return 0;
}

#define CF_POLICY_NAME NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, cf_validate_name)
#define CF_POLICY_ADDR NLA_POLICY_VALIDATE_FN(NLA_BINARY, cf_validate_addr)
#define CF_POLICY_RO { .type = NLA_REJECT, \
		       .reject_message = "read-only attribute" }

static const struct nla_policy cf_zone_policy[CAMFENCE_ZONE_A_MAX + 1] = {
	[CAMFENCE_ZONE_A_NAME]		= CF_POLICY_NAME,
	[CAMFENCE_ZONE_A_VLAN]		= NLA_POLICY_RANGE(NLA_U16, 1, 4094),
	[CAMFENCE_ZONE_A_IFNAME]	= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[CAMFENCE_ZONE_A_UNKNOWN]	= NLA_POLICY_MAX(NLA_U8,
							 CAMFENCE_ACTION_MAX),
};

static const struct nla_policy cf_rule_policy[CAMFENCE_RULE_A_MAX + 1] = {
	[CAMFENCE_RULE_A_DIR]		= NLA_POLICY_RANGE(NLA_U8,
							   CAMFENCE_DIR_TO,
							   CAMFENCE_DIR_MAX),
	[CAMFENCE_RULE_A_PEER]		= CF_POLICY_ADDR,
	[CAMFENCE_RULE_A_PREFIXLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[CAMFENCE_RULE_A_PROTO]		= { .type = NLA_U8 },	/* any IP protocol */
	[CAMFENCE_RULE_A_PORTS]		=
		NLA_POLICY_EXACT_LEN(sizeof(struct camfence_port_range)),
};

static const struct nla_policy cf_profile_policy[CAMFENCE_PROFILE_A_MAX + 1] = {
	[CAMFENCE_PROFILE_A_NAME]	= CF_POLICY_NAME,
	[CAMFENCE_PROFILE_A_RULE]	= NLA_POLICY_NESTED(cf_rule_policy),
	[CAMFENCE_PROFILE_A_FIRST_RULE]	= CF_POLICY_RO,
	[CAMFENCE_PROFILE_A_NRULES]	= CF_POLICY_RO,
};

static const struct nla_policy cf_device_policy[CAMFENCE_DEVICE_A_MAX + 1] = {
	[CAMFENCE_DEVICE_A_NAME]	= CF_POLICY_NAME,
	[CAMFENCE_DEVICE_A_MAC]		= NLA_POLICY_VALIDATE_FN(NLA_BINARY,
							 cf_validate_mac),
	[CAMFENCE_DEVICE_A_ADDR]	= CF_POLICY_ADDR,
	[CAMFENCE_DEVICE_A_PROFILE]	= CF_POLICY_NAME,
	[CAMFENCE_DEVICE_A_MODE]	= NLA_POLICY_MAX(NLA_U8,
							 CAMFENCE_MODE_MAX),
	[CAMFENCE_DEVICE_A_EFFECTIVE_MODE] = CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_STATS]	= CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_LAST_SEEN]	= CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_LAST_DROP]	= CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_EVIDENCE]	= CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_PAD]		= CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_PORT]	= { .type = NLA_NUL_STRING,
					    .len = IFNAMSIZ - 1 },
	[CAMFENCE_DEVICE_A_SEEN_PORT]	= CF_POLICY_RO,
	[CAMFENCE_DEVICE_A_DNS]		= CF_POLICY_RO,
};

static const struct nla_policy cf_policy[CAMFENCE_A_MAX + 1] = {
	[CAMFENCE_A_PAD]		= CF_POLICY_RO,
	[CAMFENCE_A_GENERATION]		= CF_POLICY_RO,
	[CAMFENCE_A_MODE]		= NLA_POLICY_MAX(NLA_U8,
							 CAMFENCE_MODE_MAX),
	[CAMFENCE_A_ZONE]		= NLA_POLICY_NESTED(cf_zone_policy),
	[CAMFENCE_A_PROFILE]		= NLA_POLICY_NESTED(cf_profile_policy),
	[CAMFENCE_A_DEVICE]		= NLA_POLICY_NESTED(cf_device_policy),
	[CAMFENCE_A_STATS]		= CF_POLICY_RO,
	[CAMFENCE_A_UNKNOWN]		= CF_POLICY_RO,
	[CAMFENCE_A_EVENT]		= CF_POLICY_RO,
	[CAMFENCE_A_COMMIT_ADDED]	= CF_POLICY_RO,
	[CAMFENCE_A_COMMIT_REMOVED]	= CF_POLICY_RO,
	[CAMFENCE_A_COMMIT_CHANGED]	= CF_POLICY_RO,
	[CAMFENCE_A_COMMIT_UNCHANGED]	= CF_POLICY_RO,
	[CAMFENCE_A_DEVICE_COUNT]	= CF_POLICY_RO,
	[CAMFENCE_A_SEALED]		= CF_POLICY_RO,
	[CAMFENCE_A_MODULE_VERSION]	= CF_POLICY_RO,
	[CAMFENCE_A_OFFLOAD]		= CF_POLICY_RO,
	[CAMFENCE_A_COMMIT_NOOP]	= CF_POLICY_RO,
	[CAMFENCE_A_TXN_ID]		= { .type = NLA_U64 },
};

/*
 * The one exception to strict validation by the genetlink core: ADD. Its
 * nests are parsed strictly by cf_nl_add_one() with the policies above
 * (nla_parse_nested() is strict), so that an error in an ADD message
 * discards the transaction: the core would reject the message before the
 * handler runs, and a client that ignored the error could then commit a
 * policy without the refused object (a device that is missing is an
 * unknown device, and "unknown allow" lets it pass). The syntax is in the
 * policies, what it means in txn.c (one check each).
 */
static const struct nla_policy cf_add_policy[CAMFENCE_A_MAX + 1] = {
	[CAMFENCE_A_MODE]		= { .type = NLA_U8 },
	[CAMFENCE_A_ZONE]		= { .type = NLA_NESTED },
	[CAMFENCE_A_PROFILE]		= { .type = NLA_NESTED },
	[CAMFENCE_A_DEVICE]		= { .type = NLA_NESTED },
	[CAMFENCE_A_TXN_ID]		= { .type = NLA_U64 },
};

/* ---- extack messages ---- */

#ifdef CF_ERRMSG_POOL
/*
 * netlink_ack() reads the text through extack->_msg after this handler
 * returned and cn->lock (and, on 6.1, every genetlink lock but cb_lock) was
 * dropped, so the text must stay put until then, whatever other requests
 * do meanwhile. A thread sends its netlink requests one after the other
 * (the kernel side of sendmsg() runs in that thread, each request acked
 * before the next is parsed), so the storage of a request is that of its
 * thread: one entry per thread that got a camfence message, reused by that
 * thread only, taken over by another once the thread is gone (its struct
 * pid has no task any more: the reference we hold keeps the pointer from
 * being reused meanwhile). The entries are global, not per namespace (a
 * namespace that never fails a request pays nothing), charged to the
 * thread's memory cgroup, and freed at module unload, after the family is
 * unregistered: genl_unregister_family() waits for cb_lock, held across
 * netlink_ack(). Past CF_ERRMSG_MAX live threads the message is a fixed
 * text.
 */
#define CF_ERRMSG_MAX	4096

struct cf_errmsg {
	struct list_head list;
	struct pid *owner;
	char text[CF_ERRMSG_LEN];
};

static LIST_HEAD(cf_errmsgs);
static DEFINE_MUTEX(cf_errmsg_lock);	/* cf_errmsgs, cf_nerrmsgs, owners */
static unsigned int cf_nerrmsgs;

static struct cf_errmsg *cf_errmsg_of(struct pid *me)
{
	struct cf_errmsg *e, *dead = NULL;

	lockdep_assert_held(&cf_errmsg_lock);
	rcu_read_lock();
	list_for_each_entry(e, &cf_errmsgs, list) {
		if (e->owner == me)
			break;
		if (!dead && !pid_task(e->owner, PIDTYPE_PID))
			dead = e;
	}
	rcu_read_unlock();
	if (!list_entry_is_head(e, &cf_errmsgs, list))
		return e;
	if (dead) {
		put_pid(dead->owner);
		dead->owner = get_pid(me);
		return dead;
	}
	if (cf_nerrmsgs >= CF_ERRMSG_MAX)
		return NULL;
	e = kzalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);
	if (!e)
		return NULL;
	e->owner = get_pid(me);
	list_add(&e->list, &cf_errmsgs);
	cf_nerrmsgs++;
	return e;
}

void cf_set_err(struct cf_net *cn, struct netlink_ext_ack *extack,
		const char *fmt, ...)
{
	char text[CF_ERRMSG_LEN];
	struct cf_errmsg *e;
	va_list args;

	if (!extack)
		return;
	/* first: an argument may be this thread's entry (extack->_msg) */
	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);

	mutex_lock(&cf_errmsg_lock);
	e = cf_errmsg_of(task_pid(current));
	if (e) {
		strscpy(e->text, text, sizeof(e->text));
		extack->_msg = e->text;
	} else {
		NL_SET_ERR_MSG(extack,
			       "camfence: too many clients failing at once, no details");
	}
	mutex_unlock(&cf_errmsg_lock);
}

static void cf_errmsg_free_all(void)
{
	struct cf_errmsg *e, *tmp;

	mutex_lock(&cf_errmsg_lock);
	list_for_each_entry_safe(e, tmp, &cf_errmsgs, list) {
		list_del(&e->list);
		put_pid(e->owner);
		kfree(e);
	}
	cf_nerrmsgs = 0;
	mutex_unlock(&cf_errmsg_lock);
}
#else
static void cf_errmsg_free_all(void)
{
}
#endif

/* ---- parsing ADD ---- */

static void cf_nla_addr(const struct nlattr *a, struct cf_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (nla_len(a) == sizeof(struct in_addr)) {
		out->family = AF_INET;
		memcpy(&out->addr.in, nla_data(a), sizeof(struct in_addr));
	} else {
		out->family = AF_INET6;
		memcpy(&out->addr.in6, nla_data(a), sizeof(struct in6_addr));
	}
}

static int cf_parse_zone(struct cf_net *cn, const struct nlattr *nest,
			 struct cf_zone_spec *z, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CAMFENCE_ZONE_A_MAX + 1];
	const struct nlattr *a;
	int rem, err;

	err = nla_parse_nested(tb, CAMFENCE_ZONE_A_MAX, nest, cf_zone_policy,
			       extack);
	if (err)
		return err;
	memset(z, 0, sizeof(*z));
	if (!tb[CAMFENCE_ZONE_A_NAME]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CAMFENCE_ZONE_A_NAME);
		cf_set_err(cn, extack, "zone without a name");
		return -EINVAL;
	}
	nla_strscpy(z->name, tb[CAMFENCE_ZONE_A_NAME], sizeof(z->name));
	z->unknown = CAMFENCE_ACTION_DROP;
	if (tb[CAMFENCE_ZONE_A_UNKNOWN])
		z->unknown = nla_get_u8(tb[CAMFENCE_ZONE_A_UNKNOWN]);

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CAMFENCE_ZONE_A_VLAN:
			if (z->nvlans >= CF_MAX_ZONE_VLANS) {
				NL_SET_BAD_ATTR(extack, a);
				cf_set_err(cn, extack,
					   "zone %s: more than %d VLANs",
					   z->name, CF_MAX_ZONE_VLANS);
				return -E2BIG;
			}
			z->vlans[z->nvlans++] = nla_get_u16(a);
			break;
		case CAMFENCE_ZONE_A_IFNAME:
			if (z->nifs >= CF_MAX_ZONE_IFS) {
				NL_SET_BAD_ATTR(extack, a);
				cf_set_err(cn, extack,
					   "zone %s: more than %d interfaces",
					   z->name, CF_MAX_ZONE_IFS);
				return -E2BIG;
			}
			nla_strscpy(z->ifnames[z->nifs++], a, IFNAMSIZ);
			break;
		}
	}
	return 0;
}

static int cf_parse_rule(struct cf_net *cn, const char *pname, u32 idx,
			 const struct nlattr *nest, struct cf_rule_spec *r,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CAMFENCE_RULE_A_MAX + 1];
	const struct nlattr *a;
	struct cf_addr peer;
	int rem, err;

	err = nla_parse_nested(tb, CAMFENCE_RULE_A_MAX, nest, cf_rule_policy,
			       extack);
	if (err)
		return err;
	memset(r, 0, sizeof(*r));
	if (!tb[CAMFENCE_RULE_A_DIR]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CAMFENCE_RULE_A_DIR);
		cf_set_err(cn, extack, "profile %s: rule %u has no direction",
			   pname, idx + 1);
		return -EINVAL;
	}
	r->dir = nla_get_u8(tb[CAMFENCE_RULE_A_DIR]);

	if (tb[CAMFENCE_RULE_A_PEER]) {
		cf_nla_addr(tb[CAMFENCE_RULE_A_PEER], &peer);
		r->family = peer.family;
		r->peer = peer.addr;
		r->prefixlen = peer.family == AF_INET ? 32 : 128;
		if (tb[CAMFENCE_RULE_A_PREFIXLEN])
			r->prefixlen = nla_get_u8(tb[CAMFENCE_RULE_A_PREFIXLEN]);
	} else if (tb[CAMFENCE_RULE_A_PREFIXLEN]) {
		NL_SET_BAD_ATTR(extack, tb[CAMFENCE_RULE_A_PREFIXLEN]);
		cf_set_err(cn, extack,
			   "profile %s: rule %u: prefix length without a peer",
			   pname, idx + 1);
		return -EINVAL;
	}

	if (tb[CAMFENCE_RULE_A_PROTO])
		r->proto = nla_get_u8(tb[CAMFENCE_RULE_A_PROTO]);

	nla_for_each_nested(a, nest, rem) {
		const struct camfence_port_range *pr;

		if (nla_type(a) != CAMFENCE_RULE_A_PORTS)
			continue;
		/* a bound of the spec's array; what the ports mean: txn.c */
		if (r->nports >= CF_MAX_PORT_RANGES) {
			NL_SET_BAD_ATTR(extack, a);
			cf_set_err(cn, extack,
				   "profile %s: rule %u: more than %d port ranges",
				   pname, idx + 1, CF_MAX_PORT_RANGES);
			return -E2BIG;
		}
		pr = nla_data(a);
		r->ports[r->nports++] = *pr;
	}
	return 0;
}

static int cf_parse_profile(struct cf_net *cn, const struct nlattr *nest,
			    struct cf_profile_spec *p,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CAMFENCE_PROFILE_A_MAX + 1];
	const struct nlattr *a;
	u32 nrules = 0;
	int rem, err;

	err = nla_parse_nested(tb, CAMFENCE_PROFILE_A_MAX, nest,
			       cf_profile_policy, extack);
	if (err)
		return err;
	memset(p, 0, sizeof(*p));
	if (!tb[CAMFENCE_PROFILE_A_NAME]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CAMFENCE_PROFILE_A_NAME);
		cf_set_err(cn, extack, "profile without a name");
		return -EINVAL;
	}
	nla_strscpy(p->name, tb[CAMFENCE_PROFILE_A_NAME], sizeof(p->name));

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == CAMFENCE_PROFILE_A_RULE)
			nrules++;
	if (nrules > READ_ONCE(cf_limits.max_rules)) {
		cf_set_err(cn, extack,
			   "profile %s: %u rules, over the limit of %u (max_rules)",
			   p->name, nrules, READ_ONCE(cf_limits.max_rules));
		return -E2BIG;
	}
	if (!nrules)
		return 0;
	p->rules = kvcalloc(nrules, sizeof(*p->rules), GFP_KERNEL);
	if (!p->rules)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CAMFENCE_PROFILE_A_RULE)
			continue;
		err = cf_parse_rule(cn, p->name, p->nrules, a,
				    &p->rules[p->nrules], extack);
		if (err) {
			kvfree(p->rules);
			p->rules = NULL;
			return err;
		}
		p->nrules++;
	}
	return 0;
}

static int cf_parse_device(struct cf_net *cn, const struct nlattr *nest,
			   struct cf_device_spec *d,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CAMFENCE_DEVICE_A_MAX + 1];
	const struct nlattr *a;
	int rem, err;

	err = nla_parse_nested(tb, CAMFENCE_DEVICE_A_MAX, nest,
			       cf_device_policy, extack);
	if (err)
		return err;
	memset(d, 0, sizeof(*d));
	if (!tb[CAMFENCE_DEVICE_A_NAME]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CAMFENCE_DEVICE_A_NAME);
		cf_set_err(cn, extack, "device without a name");
		return -EINVAL;
	}
	nla_strscpy(d->name, tb[CAMFENCE_DEVICE_A_NAME], sizeof(d->name));
	if (!tb[CAMFENCE_DEVICE_A_MAC]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CAMFENCE_DEVICE_A_MAC);
		cf_set_err(cn, extack, "device %s: no MAC address", d->name);
		return -EINVAL;
	}
	memcpy(d->mac, nla_data(tb[CAMFENCE_DEVICE_A_MAC]), ETH_ALEN);
	if (!tb[CAMFENCE_DEVICE_A_PROFILE]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CAMFENCE_DEVICE_A_PROFILE);
		cf_set_err(cn, extack, "device %s: no profile", d->name);
		return -EINVAL;
	}
	nla_strscpy(d->profile, tb[CAMFENCE_DEVICE_A_PROFILE],
		    sizeof(d->profile));
	d->mode = CAMFENCE_MODE_DEFAULT;
	if (tb[CAMFENCE_DEVICE_A_MODE])
		d->mode = nla_get_u8(tb[CAMFENCE_DEVICE_A_MODE]);
	if (tb[CAMFENCE_DEVICE_A_PORT])
		nla_strscpy(d->port, tb[CAMFENCE_DEVICE_A_PORT],
			    sizeof(d->port));

	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CAMFENCE_DEVICE_A_ADDR)
			continue;
		if (d->naddrs >= CF_MAX_DEV_ADDRS) {
			NL_SET_BAD_ATTR(extack, a);
			cf_set_err(cn, extack,
				   "device %s: more than %d addresses",
				   d->name, CF_MAX_DEV_ADDRS);
			return -E2BIG;
		}
		cf_nla_addr(a, &d->addrs[d->naddrs++]);
	}
	return 0;
}

/* ---- transactions ---- */

/*
 * Transaction identity. The owner is the sending socket: its port id (what
 * the messages say) and the socket itself. The port id alone is not enough:
 * netlink_release() frees the port id before the NETLINK_URELEASE notifier
 * discards the socket's transaction, and another socket may bind that port
 * id in between. The socket is compared, never dereferenced: it is freed
 * only after that notifier ran, so no other socket at the same address can
 * find its transaction. CAMFENCE_A_TXN_ID, when the request carries it,
 * must name the open transaction as well (see the uapi header).
 */
static atomic64_t cf_txn_ids = ATOMIC64_INIT(0);

static bool cf_txn_sender(const struct cf_net *cn, struct sk_buff *skb,
			  const struct genl_info *info)
{
	return cn->txn_portid == info->snd_portid &&
	       cn->txn_sk == NETLINK_CB(skb).sk;
}

/* Returns the transaction the sender owns, or NULL with extack set. */
static struct cf_txn *cf_owned_txn(struct cf_net *cn, struct sk_buff *skb,
				   struct genl_info *info, int *err)
{
	const struct nlattr *id = info->attrs[CAMFENCE_A_TXN_ID];

	if (!cn->txn) {
		cf_set_err(cn, info->extack,
			   "no transaction is open (send BEGIN first)");
		*err = -ENOENT;
		return NULL;
	}
	if (!cf_txn_sender(cn, skb, info)) {
		cf_set_err(cn, info->extack,
			   "the open transaction belongs to another socket (port %u)",
			   cn->txn_portid);
		*err = -EBUSY;
		return NULL;
	}
	if (id && nla_get_u64(id) != cn->txn_id) {
		NL_SET_BAD_ATTR(info->extack, id);
		cf_set_err(cn, info->extack,
			   "transaction %llu is not the open one (%llu)",
			   nla_get_u64(id), cn->txn_id);
		*err = -ESTALE;
		return NULL;
	}
	return cn->txn;
}

static void cf_txn_discard(struct cf_net *cn)
{
	if (cn->txn) {
		cf_txn_free(cn->txn);
		cn->txn = NULL;
		cn->txn_portid = 0;
		cn->txn_sk = NULL;
	}
}

static int cf_nl_begin(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	struct sk_buff *msg;
	struct cf_txn *txn;
	void *hdr;
	u64 id;
	int err = 0;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&cn->lock);
	if (cn->txn && !cf_txn_sender(cn, skb, info)) {
		cf_set_err(cn, info->extack,
			   "another transaction is open (owned by port %u)",
			   cn->txn_portid);
		err = -EBUSY;
		goto out;
	}
	cf_txn_discard(cn);
	txn = cf_txn_new(cn);
	if (!txn) {
		err = -ENOMEM;
		goto out;
	}
	id = atomic64_inc_return(&cf_txn_ids);
	cn->txn = txn;
	cn->txn_portid = info->snd_portid;
	cn->txn_sk = NETLINK_CB(skb).sk;
	cn->txn_id = id;
	mutex_unlock(&cn->lock);

	hdr = genlmsg_put_reply(msg, info, &camfence_family, 0,
				CAMFENCE_CMD_BEGIN);
	if (!hdr || nla_put_u64_64bit(msg, CAMFENCE_A_TXN_ID, id,
				      CAMFENCE_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
out:
	mutex_unlock(&cn->lock);
	nlmsg_free(msg);
	return err;
}

/* Appends " (transaction discarded)" to whatever message the error set. */
static void cf_err_discarded(struct cf_net *cn, struct netlink_ext_ack *extack)
{
	char msg[160];

	if (!extack)
		return;
	if (extack->_msg) {
		/* NL_SET_ERR_MSG_FMT may format into the text it reads */
		strscpy(msg, extack->_msg, sizeof(msg));
		cf_set_err(cn, extack, "%s (transaction discarded)", msg);
	} else {
		cf_set_err(cn, extack, "invalid ADD (transaction discarded)");
	}
}

static int cf_nl_add_one(struct cf_net *cn, struct cf_txn *txn,
			 const struct nlattr *a, struct netlink_ext_ack *extack)
{
	union {
		struct cf_zone_spec zone;
		struct cf_profile_spec profile;
		struct cf_device_spec device;
	} *spec;
	int err;

	switch (nla_type(a)) {
	case CAMFENCE_A_ZONE:
	case CAMFENCE_A_PROFILE:
	case CAMFENCE_A_DEVICE:
		if (!(a->nla_type & NLA_F_NESTED)) {
			NL_SET_BAD_ATTR(extack, a);
			cf_set_err(cn, extack, "NLA_F_NESTED is missing");
			return -EINVAL;
		}
		break;
	case CAMFENCE_A_TXN_ID:
		return 0;	/* checked by cf_owned_txn() */
	case CAMFENCE_A_MODE:
		if (nla_len(a) != sizeof(u8)) {
			NL_SET_BAD_ATTR(extack, a);
			cf_set_err(cn, extack, "MODE must be a u8");
			return -EINVAL;
		}
		break;
	default:
		NL_SET_BAD_ATTR(extack, a);
		cf_set_err(cn, extack, "attribute %u is not allowed in ADD",
			   nla_type(a));
		return -EINVAL;
	}

	spec = kmalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	switch (nla_type(a)) {
	case CAMFENCE_A_ZONE:
		err = cf_parse_zone(cn, a, &spec->zone, extack);
		if (!err)
			err = cf_txn_add_zone(txn, &spec->zone, extack);
		break;
	case CAMFENCE_A_PROFILE:
		err = cf_parse_profile(cn, a, &spec->profile, extack);
		if (!err) {
			err = cf_txn_add_profile(txn, &spec->profile, extack);
			kvfree(spec->profile.rules);
		}
		break;
	case CAMFENCE_A_DEVICE:
		err = cf_parse_device(cn, a, &spec->device, extack);
		if (!err)
			err = cf_txn_add_device(txn, &spec->device, extack);
		break;
	case CAMFENCE_A_MODE:
		if (nla_get_u8(a) != CAMFENCE_MODE_ENFORCE &&
		    nla_get_u8(a) != CAMFENCE_MODE_MONITOR) {
			NL_SET_BAD_ATTR(extack, a);
			cf_set_err(cn, extack,
				   "the global mode must be enforce or monitor");
			err = -EINVAL;
			break;
		}
		cf_txn_set_mode(txn, nla_get_u8(a));
		err = 0;
		break;
	default:
		err = -EINVAL;
		break;
	}
	kfree(spec);
	return err;
}

static int cf_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	const struct nlattr *a;
	struct cf_txn *txn;
	int rem, err = 0;

	mutex_lock(&cn->lock);
	txn = cf_owned_txn(cn, skb, info, &err);
	if (!txn)
		goto out;
	nlmsg_for_each_attr(a, info->nlhdr, GENL_HDRLEN, rem) {
		err = cf_nl_add_one(cn, txn, a, info->extack);
		if (err) {
			cf_txn_discard(cn);
			cf_err_discarded(cn, info->extack);
			break;
		}
	}
out:
	mutex_unlock(&cn->lock);
	return err;
}

static int cf_put_commit(struct sk_buff *msg, const struct cf_commit_result *r,
			 bool noop)
{
	if (nla_put_u64_64bit(msg, CAMFENCE_A_GENERATION, r->generation,
			      CAMFENCE_A_PAD) ||
	    nla_put_u32(msg, CAMFENCE_A_COMMIT_ADDED, r->added) ||
	    nla_put_u32(msg, CAMFENCE_A_COMMIT_REMOVED, r->removed) ||
	    nla_put_u32(msg, CAMFENCE_A_COMMIT_CHANGED, r->changed) ||
	    nla_put_u32(msg, CAMFENCE_A_COMMIT_UNCHANGED, r->unchanged) ||
	    nla_put_u8(msg, CAMFENCE_A_COMMIT_NOOP, noop))
		return -EMSGSIZE;
	return 0;
}

/* Sends the reply of a commit (COMMIT or FLUSH); msg was allocated before. */
static int cf_commit_reply(struct sk_buff *msg, struct genl_info *info, u8 cmd,
			   const struct cf_commit_result *res, bool noop)
{
	void *hdr;

	hdr = genlmsg_put_reply(msg, info, &camfence_family, 0, cmd);
	if (!hdr || cf_put_commit(msg, res, noop)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * nf_ct_netns_get(NFPROTO_BRIDGE) loads nf_conntrack_bridge itself, with
 * our lock held; loading it first, without any lock, leaves it nothing to
 * load. If it cannot be loaded, the conntrack core tries again under the
 * lock (only this namespace waits) and the commit goes on without bridge
 * conntrack (policy.c, cf_ct_get()).
 */
static void cf_ct_modules(struct cf_net *cn)
{
	if (IS_ENABLED(CONFIG_NF_CONNTRACK_BRIDGE) &&
	    !READ_ONCE(cn->ct_bridge_ok))
		request_module("nf_conntrack_bridge");
}

static int cf_nl_commit(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	struct cf_commit_result res = {};
	struct sk_buff *msg;
	struct cf_txn *txn;
	int err = 0;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	cf_ct_modules(cn);
	mutex_lock(&cn->lock);
	txn = cf_owned_txn(cn, skb, info, &err);
	if (!txn)
		goto out_free;
	cn->txn = NULL;
	cn->txn_portid = 0;
	cn->txn_sk = NULL;
	/*
	 * A transaction equal to the active policy is not committed: the
	 * generation is what tells camfenced, scripts and monitoring that the
	 * policy changed, and a reload of the same file must not say so.
	 * Compared here, under cn->lock, rather than by the tools reading the
	 * policy back first: no other commit can come in between.
	 */
	if (cf_txn_unchanged(cn, txn)) {
		res.generation = cf_generation(cn);
		rcu_read_lock();
		res.unchanged = cf_policy_device_count(cf_policy_rcu(cn));
		rcu_read_unlock();
		cf_txn_free(txn);
		mutex_unlock(&cn->lock);
		return cf_commit_reply(msg, info, CAMFENCE_CMD_COMMIT, &res,
				       true);
	}
	err = cf_txn_commit(cn, txn, &res, info->extack);
	if (err)
		goto out_free;
	mutex_unlock(&cn->lock);
	return cf_commit_reply(msg, info, CAMFENCE_CMD_COMMIT, &res, false);

out_free:
	mutex_unlock(&cn->lock);
	nlmsg_free(msg);
	return err;
}

static int cf_nl_abort(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	int err = 0;

	mutex_lock(&cn->lock);
	if (cf_owned_txn(cn, skb, info, &err))
		cf_txn_discard(cn);
	mutex_unlock(&cn->lock);
	return err;
}

static int cf_nl_set_mode(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	int err = 0;
	u8 mode;

	mutex_lock(&cn->lock);
	if (!info->attrs[CAMFENCE_A_MODE]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, CAMFENCE_A_MODE);
		cf_set_err(cn, info->extack, "SET_MODE needs CAMFENCE_A_MODE");
		err = -EINVAL;
		goto out;
	}
	mode = nla_get_u8(info->attrs[CAMFENCE_A_MODE]);
	if (mode != CAMFENCE_MODE_ENFORCE && mode != CAMFENCE_MODE_MONITOR) {
		NL_SET_BAD_ATTR(info->extack, info->attrs[CAMFENCE_A_MODE]);
		cf_set_err(cn, info->extack,
			   "the global mode must be enforce or monitor");
		err = -EINVAL;
		goto out;
	}
	cf_set_mode(cn, mode);
out:
	mutex_unlock(&cn->lock);
	return err;
}

static int cf_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	struct cf_commit_result res = {};
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	cf_ct_modules(cn);
	mutex_lock(&cn->lock);
	err = cf_flush(cn, &res, info->extack);
	mutex_unlock(&cn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return cf_commit_reply(msg, info, CAMFENCE_CMD_FLUSH, &res, false);
}

/* Frees the transaction of a generic netlink socket that is closed. */
static int cf_nl_notify(struct notifier_block *nb, unsigned long state,
			void *ptr)
{
	struct netlink_notify *n = ptr;
	struct cf_net *cn;

	if (state != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid || !READ_ONCE(cf_genl_registered))
		return NOTIFY_DONE;
	cn = cf_net(n->net);
	if (!cn)
		return NOTIFY_DONE;
	mutex_lock(&cn->lock);
	if (cn->txn && cn->txn_portid == n->portid)
		cf_txn_discard(cn);
	mutex_unlock(&cn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block cf_nl_notifier = {
	.notifier_call = cf_nl_notify,
};

/* ---- reading: devices, stats, unknown table, events ---- */

static int cf_put_addr(struct sk_buff *msg, int type, u8 family,
		       const union nf_inet_addr *addr)
{
	if (family == AF_INET)
		return nla_put_in_addr(msg, type, addr->ip);
	if (family == AF_INET6)
		return nla_put_in6_addr(msg, type, &addr->in6);
	return 0;
}

static int cf_put_evidence(struct sk_buff *msg,
			   const struct cf_evidence_info *e)
{
	if (nla_put_u8(msg, CAMFENCE_EVIDENCE_A_DIR, e->dir) ||
	    cf_put_addr(msg, CAMFENCE_EVIDENCE_A_PEER, e->family, &e->peer) ||
	    nla_put_u8(msg, CAMFENCE_EVIDENCE_A_PROTO, e->proto) ||
	    nla_put_u16(msg, CAMFENCE_EVIDENCE_A_PORT, e->port) ||
	    nla_put_u8(msg, CAMFENCE_EVIDENCE_A_REASON, e->reason) ||
	    nla_put_u64_64bit(msg, CAMFENCE_EVIDENCE_A_COUNT, e->count,
			      CAMFENCE_EVIDENCE_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_EVIDENCE_A_FIRST_SEEN,
			      e->first_seen, CAMFENCE_EVIDENCE_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_EVIDENCE_A_LAST_SEEN,
			      e->last_seen, CAMFENCE_EVIDENCE_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int cf_put_devstats(struct sk_buff *msg,
			   const struct cf_devstats_info *s)
{
	static const int pad = CAMFENCE_DEVSTATS_A_PAD;

	if (nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_ALLOWED_PACKETS,
			      s->allowed_packets, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_ALLOWED_BYTES,
			      s->allowed_bytes, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_DROPPED_PACKETS,
			      s->dropped_packets, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_DROPPED_BYTES,
			      s->dropped_bytes, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_MONITORED_PACKETS,
			      s->monitored_packets, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_SPOOFED_PACKETS,
			      s->spoofed_packets, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DEVSTATS_A_EVENTS_SUPPRESSED,
			      s->events_suppressed, pad))
		return -EMSGSIZE;
	return 0;
}

static int cf_put_device(struct sk_buff *msg, const struct cf_device_info *d,
			 struct cf_dns_table *dns, bool dns_partial)
{
	struct nlattr *dev, *nest, *entry;
	int i;

	dev = nla_nest_start(msg, CAMFENCE_A_DEVICE);
	if (!dev)
		return -EMSGSIZE;
	if (nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, d->name) ||
	    nla_put(msg, CAMFENCE_DEVICE_A_MAC, ETH_ALEN, d->mac))
		goto cancel;
	for (i = 0; i < d->naddrs && i < CF_MAX_DEV_ADDRS; i++)
		if (cf_put_addr(msg, CAMFENCE_DEVICE_A_ADDR, d->addrs[i].family,
				&d->addrs[i].addr))
			goto cancel;
	if (nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, d->profile) ||
	    nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, d->mode) ||
	    nla_put_u8(msg, CAMFENCE_DEVICE_A_EFFECTIVE_MODE,
		       d->effective_mode))
		goto cancel;

	nest = nla_nest_start(msg, CAMFENCE_DEVICE_A_STATS);
	if (!nest || cf_put_devstats(msg, &d->stats))
		goto cancel;
	nla_nest_end(msg, nest);

	if (nla_put_u64_64bit(msg, CAMFENCE_DEVICE_A_LAST_SEEN, d->last_seen,
			      CAMFENCE_DEVICE_A_PAD) ||
	    (d->port[0] &&
	     nla_put_string(msg, CAMFENCE_DEVICE_A_PORT, d->port)) ||
	    (d->seen_port[0] &&
	     nla_put_string(msg, CAMFENCE_DEVICE_A_SEEN_PORT, d->seen_port)))
		goto cancel;
	if (d->has_last_drop) {
		nest = nla_nest_start(msg, CAMFENCE_DEVICE_A_LAST_DROP);
		if (!nest || cf_put_evidence(msg, &d->last_drop))
			goto cancel;
		nla_nest_end(msg, nest);
	}

	nest = nla_nest_start(msg, CAMFENCE_DEVICE_A_EVIDENCE);
	if (!nest)
		goto cancel;
	for (i = 0; i < d->nevidence && i < CAMFENCE_EVIDENCE_SLOTS; i++) {
		entry = nla_nest_start(msg, CAMFENCE_EVIDENCE_A_ENTRY);
		if (!entry || cf_put_evidence(msg, &d->evidence[i]))
			goto cancel;
		nla_nest_end(msg, entry);
	}
	nla_nest_end(msg, nest);
	if (cf_dns_nl_put(msg, dns, dns_partial))
		goto cancel;
	nla_nest_end(msg, dev);
	return 0;

cancel:
	nla_nest_cancel(msg, dev);
	return -EMSGSIZE;
}

/*
 * One GET_DEVICE message: GENERATION and one DEVICE nest. dns (under
 * rcu_read_lock, from the device d was read from) is the DNS nest's table;
 * with dns_partial, its entries are cut to what fits.
 */
static int cf_fill_device(struct sk_buff *msg, u32 portid, u32 seq, int flags,
			  u64 generation, const struct cf_device_info *d,
			  struct cf_dns_table *dns, bool dns_partial,
			  struct netlink_callback *cb)
{
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &camfence_family, flags,
			  CAMFENCE_CMD_GET_DEVICE);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_u64_64bit(msg, CAMFENCE_A_GENERATION, generation,
			      CAMFENCE_A_PAD) ||
	    cf_put_device(msg, d, dns, dns_partial)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return 0;
}

static int cf_nl_get_device(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	struct nlattr *tb[CAMFENCE_DEVICE_A_MAX + 1];
	char name[CAMFENCE_NAME_MAX + 1];
	struct cf_device_info *d;
	struct cf_device *dev;
	struct sk_buff *msg;
	u64 generation;
	int err;

	mutex_lock(&cn->lock);
	if (!info->attrs[CAMFENCE_A_DEVICE]) {
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, CAMFENCE_A_DEVICE);
		cf_set_err(cn, info->extack,
			   "GET_DEVICE needs DEVICE { NAME } (or a dump)");
		err = -EINVAL;
		goto out_unlock;
	}
	err = nla_parse_nested(tb, CAMFENCE_DEVICE_A_MAX,
			       info->attrs[CAMFENCE_A_DEVICE],
			       cf_device_policy, info->extack);
	if (err)
		goto out_unlock;
	if (!tb[CAMFENCE_DEVICE_A_NAME]) {
		NL_SET_ERR_ATTR_MISS(info->extack, info->attrs[CAMFENCE_A_DEVICE],
				     CAMFENCE_DEVICE_A_NAME);
		cf_set_err(cn, info->extack, "GET_DEVICE needs a device NAME");
		err = -EINVAL;
		goto out_unlock;
	}
	nla_strscpy(name, tb[CAMFENCE_DEVICE_A_NAME], sizeof(name));

	err = -ENOMEM;
	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		goto out_unlock;
	msg = genlmsg_new(NLMSG_GOODSIZE + cf_dns_nl_size(), GFP_KERNEL);
	if (!msg)
		goto out_free;

	rcu_read_lock();
	generation = cf_generation(cn);
	dev = cf_policy_find_device(cf_policy_rcu(cn), name);
	if (dev) {
		cf_device_fill_info(dev, d);
		err = cf_fill_device(msg, info->snd_portid, info->snd_seq, 0,
				     generation, d, READ_ONCE(dev->ds->dns),
				     false, NULL);
	}
	rcu_read_unlock();
	if (!dev) {
		NL_SET_BAD_ATTR(info->extack, tb[CAMFENCE_DEVICE_A_NAME]);
		cf_set_err(cn, info->extack, "no device named %s", name);
		err = -ENOENT;
		nlmsg_free(msg);
		goto out_free;
	}
	mutex_unlock(&cn->lock);

	kfree(d);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);

out_free:
	kfree(d);
out_unlock:
	mutex_unlock(&cn->lock);
	return err;
}

/*
 * Dump of every device. cb->args[0] is the index of the next device in the
 * policy; cb->seq follows the generation, so a dump that spans a commit is
 * flagged NLM_F_DUMP_INTR.
 */
static int cf_nl_dump_devices(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cf_net *cn = cf_net(sock_net(skb->sk));
	const struct cf_policy *p;
	struct cf_device_info *d;
	u32 idx = cb->args[0];
	u64 generation;
	int err = 0;

	d = kmalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	mutex_lock(&cn->lock);
	generation = cf_generation(cn);
	cb->seq = lower_32_bits(generation) + 1;
	rcu_read_lock();
	p = cf_policy_rcu(cn);
	for (; idx < cf_policy_device_count(p); idx++) {
		struct cf_device *dev = cf_policy_device(p, idx);

		if (!dev)
			break;
		cf_device_fill_info(dev, d);
		err = cf_fill_device(skb, NETLINK_CB(cb->skb).portid,
				     cb->nlh->nlmsg_seq, NLM_F_MULTI,
				     generation, d, READ_ONCE(dev->ds->dns),
				     false, cb);
		/* alone in a message and still too big: cut its DNS names */
		if (err && idx == cb->args[0])
			err = cf_fill_device(skb, NETLINK_CB(cb->skb).portid,
					     cb->nlh->nlmsg_seq, NLM_F_MULTI,
					     generation, d,
					     READ_ONCE(dev->ds->dns),
					     true, cb);
		if (err)
			break;
	}
	rcu_read_unlock();
	mutex_unlock(&cn->lock);
	kfree(d);
	/* A device that does not fit in an empty skb is an error. */
	if (err && idx == cb->args[0])
		return err;
	cb->args[0] = idx;
	return skb->len;
}

static int cf_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct cf_net *cn = cf_net(genl_info_net(info));
	struct cf_stats_info s;
	struct sk_buff *msg;
	struct nlattr *nest;
	char *offload;
	u32 ndevices;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	offload = kmalloc(CF_OFFLOAD_LEN, GFP_KERNEL);
	if (!msg || !offload) {
		nlmsg_free(msg);
		kfree(offload);
		return -ENOMEM;
	}
	cf_offload_report(genl_info_net(info), offload, CF_OFFLOAD_LEN);
	cf_stats_read(cn, &s);
	rcu_read_lock();
	ndevices = cf_policy_device_count(cf_policy_rcu(cn));
	rcu_read_unlock();

	hdr = genlmsg_put_reply(msg, info, &camfence_family, 0,
				CAMFENCE_CMD_GET_STATS);
	if (!hdr)
		goto nospace;
	if (nla_put_u8(msg, CAMFENCE_A_MODE, READ_ONCE(cn->mode)) ||
	    nla_put_u64_64bit(msg, CAMFENCE_A_GENERATION,
			      cf_generation(cn), CAMFENCE_A_PAD) ||
	    nla_put_u32(msg, CAMFENCE_A_DEVICE_COUNT, ndevices) ||
	    nla_put_u8(msg, CAMFENCE_A_SEALED, READ_ONCE(cn->sealed)) ||
	    nla_put_string(msg, CAMFENCE_A_MODULE_VERSION,
			   CAMFENCE_VERSION_STR) ||
	    (offload[0] && nla_put_string(msg, CAMFENCE_A_OFFLOAD, offload)))
		goto nospace;
	nest = nla_nest_start(msg, CAMFENCE_A_STATS);
	if (!nest ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_ALLOWED_PACKETS,
			      s.allowed_packets, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_DROPPED_PACKETS,
			      s.dropped_packets, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_UNKNOWN_PACKETS,
			      s.unknown_packets, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_SPOOFED_PACKETS,
			      s.spoofed_packets, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_EVENTS_SUPPRESSED,
			      s.events_suppressed, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_MONITORED_PACKETS,
			      s.monitored_packets, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_UNKNOWN_NOT_RECORDED,
			      s.unknown_not_recorded, CAMFENCE_STATS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_STATS_A_EVIDENCE_NOT_RECORDED,
			      s.evidence_not_recorded, CAMFENCE_STATS_A_PAD))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	kfree(offload);
	return genlmsg_reply(msg, info);

nospace:
	kfree(offload);
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/*
 * Dump of the unknown-device table: a snapshot taken in .start, walked with
 * cb->args[0] as the cursor, freed in .done.
 */
struct cf_unknown_dump {
	int n;
	struct cf_unknown_info e[];
};

static int cf_nl_unknown_start(struct netlink_callback *cb)
{
	struct cf_net *cn = cf_net(sock_net(cb->skb->sk));
	unsigned int max = min_t(unsigned int,
				 READ_ONCE(cf_limits.unknown_table_size),
				 CF_UNKNOWN_MAX);
	struct cf_unknown_dump *u;

	u = kvzalloc(struct_size(u, e, max), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	u->n = max ? cf_unknown_snapshot(cn, u->e, max) : 0;
	cb->args[0] = 0;
	cb->args[1] = (long)u;
	return 0;
}

static int cf_nl_unknown_done(struct netlink_callback *cb)
{
	kvfree((void *)cb->args[1]);
	cb->args[1] = 0;
	return 0;
}

static int cf_put_unknown(struct sk_buff *msg, const struct cf_unknown_info *u)
{
	static const int pad = CAMFENCE_UNKNOWN_A_PAD;
	struct nlattr *nest;

	nest = nla_nest_start(msg, CAMFENCE_A_UNKNOWN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put(msg, CAMFENCE_UNKNOWN_A_MAC, ETH_ALEN, u->mac) ||
	    nla_put_string(msg, CAMFENCE_UNKNOWN_A_ZONE, u->zone) ||
	    nla_put_u16(msg, CAMFENCE_UNKNOWN_A_VLAN, u->vlan) ||
	    nla_put_string(msg, CAMFENCE_UNKNOWN_A_IFNAME, u->ifname) ||
	    nla_put_u64_64bit(msg, CAMFENCE_UNKNOWN_A_FIRST_SEEN,
			      u->first_seen, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_UNKNOWN_A_LAST_SEEN,
			      u->last_seen, pad) ||
	    nla_put_u64_64bit(msg, CAMFENCE_UNKNOWN_A_PACKETS, u->packets,
			      pad) ||
	    cf_put_addr(msg, CAMFENCE_UNKNOWN_A_ADDR, u->addr.family,
			&u->addr.addr)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int cf_nl_dump_unknown(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cf_unknown_dump *u = (struct cf_unknown_dump *)cb->args[1];
	long idx = cb->args[0];
	void *hdr;

	for (; u && idx < u->n; idx++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &camfence_family,
				  NLM_F_MULTI, CAMFENCE_CMD_GET_UNKNOWN);
		if (!hdr)
			break;
		if (cf_put_unknown(skb, &u->e[idx])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = idx;
	return skb->len;
}

/* ---- reading the policy back: GET_POLICY ---- */

static int cf_put_zone(struct sk_buff *msg, const struct cf_zone_spec *z)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, CAMFENCE_A_ZONE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, CAMFENCE_ZONE_A_NAME, z->name) ||
	    nla_put_u8(msg, CAMFENCE_ZONE_A_UNKNOWN, z->unknown))
		goto cancel;
	for (i = 0; i < z->nvlans; i++)
		if (nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, z->vlans[i]))
			goto cancel;
	for (i = 0; i < z->nifs; i++)
		if (nla_put_string(msg, CAMFENCE_ZONE_A_IFNAME, z->ifnames[i]))
			goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int cf_put_rule(struct sk_buff *msg, const struct cf_rule_spec *r)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(msg, CAMFENCE_RULE_A_DIR, r->dir) ||
	    nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, r->proto))
		goto cancel;
	if (r->family &&
	    (cf_put_addr(msg, CAMFENCE_RULE_A_PEER, r->family, &r->peer) ||
	     nla_put_u8(msg, CAMFENCE_RULE_A_PREFIXLEN, r->prefixlen)))
		goto cancel;
	for (i = 0; i < r->nports; i++)
		if (nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(r->ports[i]),
			    &r->ports[i]))
			goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

static int cf_put_device_spec(struct sk_buff *msg,
			      const struct cf_device_spec *d)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, CAMFENCE_A_DEVICE);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, d->name) ||
	    nla_put(msg, CAMFENCE_DEVICE_A_MAC, ETH_ALEN, d->mac) ||
	    nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, d->profile) ||
	    nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, d->mode) ||
	    (d->port[0] &&
	     nla_put_string(msg, CAMFENCE_DEVICE_A_PORT, d->port)))
		goto cancel;
	for (i = 0; i < d->naddrs; i++)
		if (cf_put_addr(msg, CAMFENCE_DEVICE_A_ADDR, d->addrs[i].family,
				&d->addrs[i].addr))
			goto cancel;
	nla_nest_end(msg, nest);
	return 0;
cancel:
	nla_nest_cancel(msg, nest);
	return -EMSGSIZE;
}

enum { CF_PD_HEAD, CF_PD_ZONES, CF_PD_PROFILES, CF_PD_DEVICES, CF_PD_DONE };

union cf_policy_dump_buf {
	struct cf_zone_spec zone;
	struct cf_rule_spec rule;
	struct cf_device_spec device;
};

/*
 * One message of the GET_POLICY dump, cursor in cb->args: [0] the section
 * (CF_PD_*), [1] the index within it, [2] the next rule of the current
 * profile. Returns 1 when the message was added, 0 at the end of a
 * section (cursor moved on), -EMSGSIZE when the skb is full.
 */
static int cf_policy_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			      struct cf_net *cn, const struct cf_policy *p,
			      u64 generation, union cf_policy_dump_buf *buf)
{
	struct cf_device *dev = NULL;
	const char *pname = NULL;
	u32 idx = cb->args[1], ridx, nrules = 0;
	struct nlattr *nest;
	int added = 0;
	void *hdr;

	switch (cb->args[0]) {
	case CF_PD_ZONES:
		if (cf_policy_sealed(p) || idx >= cf_policy_zone_count(p))
			goto next_section;
		break;
	case CF_PD_PROFILES:
		pname = cf_policy_profile(p, idx, &nrules);
		if (cf_policy_sealed(p) || !pname)
			goto next_section;
		break;
	case CF_PD_DEVICES:
		dev = cf_policy_device(p, idx);
		if (!dev)
			goto next_section;
		break;
	}

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &camfence_family, NLM_F_MULTI,
			  CAMFENCE_CMD_GET_POLICY);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	if (nla_put_u64_64bit(skb, CAMFENCE_A_GENERATION, generation,
			      CAMFENCE_A_PAD))
		goto cancel;

	switch (cb->args[0]) {
	case CF_PD_HEAD:
		if (nla_put_u8(skb, CAMFENCE_A_MODE, READ_ONCE(cn->mode)) ||
		    nla_put_u8(skb, CAMFENCE_A_SEALED, READ_ONCE(cn->sealed)))
			goto cancel;
		genlmsg_end(skb, hdr);
		goto next_section;
	case CF_PD_ZONES:
		cf_policy_zone_spec(p, idx, &buf->zone);
		if (cf_put_zone(skb, &buf->zone))
			goto cancel;
		break;
	case CF_PD_PROFILES:
		ridx = cb->args[2];
		nest = nla_nest_start(skb, CAMFENCE_A_PROFILE);
		if (!nest ||
		    nla_put_string(skb, CAMFENCE_PROFILE_A_NAME, pname) ||
		    nla_put_u32(skb, CAMFENCE_PROFILE_A_FIRST_RULE, ridx) ||
		    nla_put_u32(skb, CAMFENCE_PROFILE_A_NRULES, nrules))
			goto cancel;
		/* as many rules as fit; the rest in the next message */
		for (; ridx < nrules; ridx++, added++) {
			cf_policy_rule_spec(p, idx, ridx, &buf->rule);
			if (cf_put_rule(skb, &buf->rule))
				break;
		}
		if (ridx < nrules && !added)
			goto cancel;
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
		if (ridx < nrules) {
			cb->args[2] = ridx;
			return -EMSGSIZE;
		}
		cb->args[2] = 0;
		cb->args[1] = idx + 1;
		return 1;
	case CF_PD_DEVICES:
		cf_device_spec_of(dev, &buf->device);
		if (cf_put_device_spec(skb, &buf->device))
			goto cancel;
		break;
	}
	genlmsg_end(skb, hdr);
	cb->args[1] = idx + 1;
	return 1;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
next_section:
	cb->args[0]++;
	cb->args[1] = 0;
	cb->args[2] = 0;
	return cb->args[0] == CF_PD_ZONES ? 1 : 0;
}

static int cf_nl_dump_policy(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct cf_net *cn = cf_net(sock_net(skb->sk));
	union cf_policy_dump_buf *buf;
	int ret = 0, msgs = 0;
	u64 generation;

	buf = kmalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(&cn->lock);
	generation = cf_generation(cn);
	cb->seq = lower_32_bits(generation) + 1;
	rcu_read_lock();
	while (cb->args[0] < CF_PD_DONE) {
		ret = cf_policy_dump_one(skb, cb, cn, cf_policy_rcu(cn),
					 generation, buf);
		if (ret < 0)
			break;
		msgs += ret;
	}
	rcu_read_unlock();
	mutex_unlock(&cn->lock);
	kfree(buf);
	/* an object that does not fit in an empty skb is an error */
	if (ret < 0 && !msgs && !skb->len)
		return ret;
	return skb->len;
}

void cf_genl_send_event(struct cf_net *cn, const struct cf_event_info *ev)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	if (!READ_ONCE(cf_genl_registered) ||
	    READ_ONCE(cf_genl_events_stopped) ||
	    !genl_has_listeners(&camfence_family, cn->net, CF_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &camfence_family, 0, CAMFENCE_CMD_EVENT);
	if (!hdr)
		goto nospace;
	nest = nla_nest_start(msg, CAMFENCE_A_EVENT);
	if (!nest ||
	    nla_put_u64_64bit(msg, CAMFENCE_EVENT_A_TIMESTAMP,
			      ev->timestamp_ns, CAMFENCE_EVENT_A_PAD) ||
	    (ev->device[0] &&
	     nla_put_string(msg, CAMFENCE_EVENT_A_DEVICE, ev->device)) ||
	    nla_put(msg, CAMFENCE_EVENT_A_MAC, ETH_ALEN, ev->mac) ||
	    (ev->zone[0] &&
	     nla_put_string(msg, CAMFENCE_EVENT_A_ZONE, ev->zone)) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_DIR, ev->dir) ||
	    cf_put_addr(msg, CAMFENCE_EVENT_A_SADDR, ev->family, &ev->saddr) ||
	    cf_put_addr(msg, CAMFENCE_EVENT_A_DADDR, ev->family, &ev->daddr) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_PROTO, ev->proto) ||
	    nla_put_u16(msg, CAMFENCE_EVENT_A_SPORT, ev->sport) ||
	    nla_put_u16(msg, CAMFENCE_EVENT_A_DPORT, ev->dport) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_REASON, ev->reason) ||
	    nla_put_u8(msg, CAMFENCE_EVENT_A_VERDICT, ev->verdict) ||
	    nla_put_u64_64bit(msg, CAMFENCE_EVENT_A_SUPPRESSED,
			      ev->suppressed, CAMFENCE_EVENT_A_PAD))
		goto nospace;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&camfence_family, cn->net, msg, 0,
				CF_MCGRP_EVENTS, GFP_KERNEL);
	return;

nospace:
	nlmsg_free(msg);
}

/* ---- the family ---- */

static const struct genl_ops cf_genl_ops[] = {
	{
		.cmd = CAMFENCE_CMD_BEGIN,
		.doit = cf_nl_begin,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_ADD,
		.doit = cf_nl_add,
		.policy = cf_add_policy,
		.maxattr = CAMFENCE_A_MAX,
		.validate = GENL_DONT_VALIDATE_STRICT,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_COMMIT,
		.doit = cf_nl_commit,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_ABORT,
		.doit = cf_nl_abort,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_GET_DEVICE,
		.doit = cf_nl_get_device,
		.dumpit = cf_nl_dump_devices,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_GET_STATS,
		.doit = cf_nl_get_stats,
	}, {
		.cmd = CAMFENCE_CMD_GET_UNKNOWN,
		.start = cf_nl_unknown_start,
		.dumpit = cf_nl_dump_unknown,
		.done = cf_nl_unknown_done,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_SET_MODE,
		.doit = cf_nl_set_mode,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_FLUSH,
		.doit = cf_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = CAMFENCE_CMD_GET_POLICY,
		.dumpit = cf_nl_dump_policy,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

/*
 * An event names a camera, its addresses and what it tried to reach: the
 * inventory that GET_DEVICE and GET_UNKNOWN keep from unprivileged users.
 * genl_bind() refuses to add a socket to the group (EPERM) unless the
 * caller has CAP_NET_ADMIN in the user namespace owning the socket's
 * network namespace, the check GENL_UNS_ADMIN_PERM makes for the commands.
 */
static const struct genl_multicast_group cf_genl_mcgrps[] = {
	[CF_MCGRP_EVENTS] = {
		.name = CAMFENCE_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family camfence_family __ro_after_init = {
	.name = CAMFENCE_GENL_NAME,
	.version = CAMFENCE_GENL_VERSION,
	.maxattr = CAMFENCE_A_MAX,
	.policy = cf_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = cf_genl_ops,
	.n_ops = ARRAY_SIZE(cf_genl_ops),
	/*
	 * Every command from COMMIT on is validated strictly by the core
	 * against the family's policy. BEGIN and ADD come first: ADD needs
	 * GENL_DONT_VALIDATE_STRICT (below, cf_add_policy), which the core
	 * allows only for commands before resv_start_op; BEGIN has no
	 * attributes but the transaction id, which the family policy types.
	 */
	.resv_start_op = CAMFENCE_CMD_ADD + 1,
	.mcgrps = cf_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cf_genl_mcgrps),
};

int cf_genl_init(void)
{
	int err;

	err = genl_register_family(&camfence_family);
	if (err)
		return err;
	err = netlink_register_notifier(&cf_nl_notifier);
	if (err) {
		genl_unregister_family(&camfence_family);
		return err;
	}
	WRITE_ONCE(cf_genl_registered, true);
	return 0;
}

void cf_genl_events_off(void)
{
	WRITE_ONCE(cf_genl_events_stopped, true);
}

void cf_genl_exit(void)
{
	WRITE_ONCE(cf_genl_registered, false);
	netlink_unregister_notifier(&cf_nl_notifier);
	genl_unregister_family(&camfence_family);
	/* no request is in netlink_ack() any more */
	cf_errmsg_free_all();
}

MODULE_ALIAS_GENL_FAMILY(CAMFENCE_GENL_NAME);
