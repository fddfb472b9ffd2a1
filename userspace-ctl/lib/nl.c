// SPDX-License-Identifier: GPL-2.0
/*
 * camfence netlink client on libnl-genl-3 (see nl.h). One nl_cb per request
 * with valid/finish/ack/error handlers, in the style of iw. The handlers
 * decode with lib/nlmsg.c (no socket there: fuzzed by fuzz/fuzz_nlmsg.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/netlink.h>
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define CF_NL_MSG_TARGET	(16 * 1024)	/* pack ADD messages up to this */
#define CF_NL_MSG_ALLOC		(128 * 1024)	/* one object always fits */
#define CF_NL_RCVBUF		(8 * 1024 * 1024)
#define CF_NL_DUMP_RETRIES	5

/* ---- socket ---- */

static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOMEM:
		return -ENOBUFS;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_DUMP_INTR:
		return -EAGAIN;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	default:
		return -EIO;
	}
}

static int request(struct cf_nl *nl, struct nl_msg *msg,
		   int (*valid)(const struct nlmsghdr *nlh, void *arg),
		   void *arg);

/* ---- resolving the family without loading the module ---- */

struct fam_ctx {
	int id;			/* -ENOENT until found */
	int grp;		/* the events group, -1 if none */
};

/* One family of the controller's dump: is it camfence? */
static int fam_valid(const struct nlmsghdr *nlh, void *arg)
{
	static struct nla_policy pol[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = { .type = NLA_U16 },
		[CTRL_ATTR_FAMILY_NAME] = { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
	};
	static struct nla_policy gpol[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GRP_ID] = { .type = NLA_U32 },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1], *g;
	struct fam_ctx *c = arg;
	int rem;

	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, CTRL_ATTR_MAX, pol) < 0 ||
	    !tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME] ||
	    nla_strcmp(tb[CTRL_ATTR_FAMILY_NAME], CAMFENCE_GENL_NAME))
		return 0;
	c->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (!tb[CTRL_ATTR_MCAST_GROUPS])
		return 0;
	nla_for_each_nested(g, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		struct nlattr *gt[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (nla_parse_nested(gt, CTRL_ATTR_MCAST_GRP_MAX, g, gpol) < 0 ||
		    !gt[CTRL_ATTR_MCAST_GRP_NAME] || !gt[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!nla_strcmp(gt[CTRL_ATTR_MCAST_GRP_NAME], CAMFENCE_MCGRP_EVENTS))
			c->grp = (int)nla_get_u32(gt[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

/*
 * A dump of the controller's families (CTRL_CMD_GETFAMILY with NLM_F_DUMP),
 * not the request by name of genl_ctrl_resolve(): only the latter makes the
 * kernel request_module() the family's alias, i.e. load camfence.ko.
 */
static int resolve_by_dump(struct cf_nl *nl)
{
	struct fam_ctx c = { -ENOENT, -1 };
	struct nl_msg *msg = nlmsg_alloc();
	int err;

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
			 NLM_F_DUMP, CTRL_CMD_GETFAMILY, 1)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	err = request(nl, msg, fam_valid, &c);
	if (err)
		return err;
	if (c.id < 0)
		return -ENOENT;
	nl->family = c.id;
	nl->events_grp = c.grp;
	return 0;
}

static int nl_open(struct cf_nl *nl, bool autoload)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->events_grp = -1;
	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	err = genl_connect(nl->sk);
	if (err < 0) {
		err = nlerr_to_errno(err);
		goto fail;
	}
	/* extack messages, without the echoed request (ADDs are big) */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_set_buffer_size(nl->sk, CF_NL_RCVBUF, 0);
	nl_socket_set_msg_buf_size(nl->sk, 64 * 1024);
	if (autoload) {
		nl->family = genl_ctrl_resolve(nl->sk, CAMFENCE_GENL_NAME);
		err = nl->family < 0 ? -ENOENT : 0;
	} else {
		err = resolve_by_dump(nl);
	}
	if (err)
		goto fail;
	return 0;
fail:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return err;
}

int cf_nl_open(struct cf_nl *nl)
{
	return nl_open(nl, false);
}

int cf_nl_open_autoload(struct cf_nl *nl)
{
	return nl_open(nl, true);
}

void cf_nl_close(struct cf_nl *nl)
{
	if (nl->sk)
		nl_socket_free(nl->sk);
	nl->sk = NULL;
}

int cf_nl_fd(const struct cf_nl *nl)
{
	return nl->sk ? nl_socket_get_fd(nl->sk) : -1;
}

const char *cf_nl_strerror(const struct cf_nl *nl, int err)
{
	static char buf[300];

	if (err == -ENOENT && (!nl || !nl->sk))
		return "camfence is not loaded (modprobe camfence; dkms status)";
	if (err == -EPERM || err == -EACCES)
		return "permission denied (need CAP_NET_ADMIN)";
	if (nl && nl->errmsg[0]) {
		snprintf(buf, sizeof(buf), "kernel: %s", nl->errmsg);
		return buf;
	}
	if (err == -EBUSY)
		return "another policy transaction is open (Device or resource busy)";
	if (err == -EBADMSG)
		return "malformed message from the kernel (camfence module and tools of different versions?)";
	return strerror(-err);
}

/* ---- one request ---- */

struct req {
	struct cf_nl *nl;
	int err;
	bool done;
	bool intr;
	/* decodes one reply: 0 go on, > 0 stop, < 0 an error (stops) */
	int (*valid)(const struct nlmsghdr *nlh, void *arg);
	void *arg;
	int cb_ret;		/* non-zero: the valid callback asked to stop */
};

static int error_handler(struct sockaddr_nl *nla, struct nlmsgerr *e,
			 void *arg)
{
	struct req *r = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)e - 1;
	int err;

	/* libnl checked that nlmsg_len bytes (at least a nlmsgerr) are here */
	cf_decode_extack(nlh, nlh->nlmsg_len, &err, r->nl->errmsg,
			 sizeof(r->nl->errmsg));
	r->err = err ? err : -EPROTO;
	r->done = true;
	return NL_STOP;
}

static int finish_handler(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* a dump that failed carries the error in NLMSG_DONE */
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
		int e;

		memcpy(&e, nlmsg_data(nlh), sizeof(e));
		if (e < 0 && !r->err)
			r->err = e < -4095 ? -EPROTO : e;
	}
	r->done = true;
	return NL_SKIP;
}

static int ack_handler(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	r->done = true;
	return NL_STOP;
}

static int intr_handler(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;

	r->intr = true;
	return NL_OK;
}

static int valid_handler(struct nl_msg *msg, void *arg)
{
	struct req *r = arg;
	int ret;

	if (r->cb_ret || !r->valid)
		return NL_SKIP;
	ret = r->valid(nlmsg_hdr(msg), r->arg);
	if (ret < 0 && !r->err)
		r->err = ret;
	r->cb_ret = ret;
	return NL_SKIP;
}

/* Sends msg (consumed) and processes replies until the ack or dump end. */
static int request(struct cf_nl *nl, struct nl_msg *msg,
		   int (*valid)(const struct nlmsghdr *nlh, void *arg),
		   void *arg)
{
	struct req r = { .nl = nl, .valid = valid, .arg = arg };
	struct nl_cb *cb;
	int ret;

	nl->errmsg[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, valid_handler, &r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, finish_handler, &r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_handler, &r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_handler, &r);
	nl_cb_err(cb, NL_CB_CUSTOM, error_handler, &r);

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		r.err = nlerr_to_errno(ret);
		goto out;
	}
	while (!r.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		if (ret < 0 && !r.done) {
			r.err = nlerr_to_errno(ret);
			break;
		}
	}
	if (!r.err && r.intr)
		r.err = -EAGAIN;
out:
	nl_cb_put(cb);
	return r.err;
}

static struct nl_msg *new_msg(struct cf_nl *nl, int cmd, int flags,
			      size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, CAMFENCE_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* ---- devices ---- */

struct dev_ctx {
	cf_dev_fn fn;
	void *arg;
	uint64_t generation;
	struct cf_dev_info info;	/* big: not on the handler's stack */
};

/* Each message of the dump (or the reply) holds one device. */
static int dev_valid(const struct nlmsghdr *nlh, void *arg)
{
	struct dev_ctx *c = arg;
	int err = cf_decode_device(nlh, nlh->nlmsg_len, &c->info,
				   &c->generation);

	if (err)
		return err;
	return c->fn ? c->fn(&c->info, c->arg) : 0;
}

int cf_nl_get_devices(struct cf_nl *nl, const char *name, cf_dev_fn fn,
		      void *arg, uint64_t *generation)
{
	struct dev_ctx *c = calloc(1, sizeof(*c));
	struct nl_msg *msg;
	int err;

	if (!c)
		return -ENOMEM;
	c->fn = fn;
	c->arg = arg;
	msg = new_msg(nl, CAMFENCE_CMD_GET_DEVICE, name ? 0 : NLM_F_DUMP, 0);
	if (!msg) {
		free(c);
		return -ENOMEM;
	}
	if (name) {
		struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_DEVICE);

		if (!n || nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, name) < 0) {
			nlmsg_free(msg);
			free(c);
			return -EMSGSIZE;
		}
		nla_nest_end(msg, n);
	}
	err = request(nl, msg, dev_valid, c);
	if (generation)
		*generation = c->generation;
	free(c);
	return err;
}

/* ---- stats, unknown, mode, flush ---- */

static int stats_valid(const struct nlmsghdr *nlh, void *arg)
{
	return cf_decode_stats(nlh, nlh->nlmsg_len, arg);
}

int cf_nl_get_stats(struct cf_nl *nl, struct cf_stats *st)
{
	struct nl_msg *msg = new_msg(nl, CAMFENCE_CMD_GET_STATS, 0, 0);

	memset(st, 0, sizeof(*st));
	if (!msg)
		return -ENOMEM;
	return request(nl, msg, stats_valid, st);
}

struct unknown_ctx {
	cf_unknown_fn fn;
	void *arg;
};

static int unknown_valid(const struct nlmsghdr *nlh, void *arg)
{
	struct unknown_ctx *c = arg;
	struct cf_unknown x;
	int err = cf_decode_unknown(nlh, nlh->nlmsg_len, &x);

	return err ? err : c->fn(&x, c->arg);
}

int cf_nl_get_unknown(struct cf_nl *nl, cf_unknown_fn fn, void *arg)
{
	struct unknown_ctx c = { fn, arg };
	struct nl_msg *msg = new_msg(nl, CAMFENCE_CMD_GET_UNKNOWN, NLM_F_DUMP, 0);

	if (!msg)
		return -ENOMEM;
	return request(nl, msg, unknown_valid, &c);
}

int cf_nl_set_mode(struct cf_nl *nl, int mode)
{
	struct nl_msg *msg = new_msg(nl, CAMFENCE_CMD_SET_MODE, 0, 0);

	if (!msg)
		return -ENOMEM;
	if (nla_put_u8(msg, CAMFENCE_A_MODE, mode) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return request(nl, msg, NULL, NULL);
}

static int commit_valid(const struct nlmsghdr *nlh, void *arg)
{
	return cf_decode_commit(nlh, nlh->nlmsg_len, arg);
}

int cf_nl_flush(struct cf_nl *nl, struct cf_commit *res)
{
	struct cf_commit dummy;
	struct nl_msg *msg = new_msg(nl, CAMFENCE_CMD_FLUSH, 0, 0);

	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (!msg)
		return -ENOMEM;
	return request(nl, msg, commit_valid, res);
}

/* ---- load ---- */

static int put_zone(struct nl_msg *msg, const struct cf_cfg_zone *z)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_ZONE);
	int i;

	if (!n || nla_put_string(msg, CAMFENCE_ZONE_A_NAME, z->name) < 0 ||
	    nla_put_u8(msg, CAMFENCE_ZONE_A_UNKNOWN, z->unknown) < 0)
		return -EMSGSIZE;
	for (i = 0; i < z->nvlans; i++)
		if (nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, z->vlans[i]) < 0)
			return -EMSGSIZE;
	for (i = 0; i < z->nifs; i++)
		if (nla_put_string(msg, CAMFENCE_ZONE_A_IFNAME, z->ifnames[i]) < 0)
			return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int put_rule(struct nl_msg *msg, const struct cf_cfg_rule *r)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
	int i;

	if (!n || nla_put_u8(msg, CAMFENCE_RULE_A_DIR, r->dir) < 0 ||
	    nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, r->proto) < 0)
		return -EMSGSIZE;
	if (r->family == AF_INET || r->family == AF_INET6) {
		if (nla_put(msg, CAMFENCE_RULE_A_PEER,
			    r->family == AF_INET ? 4 : 16, r->peer) < 0 ||
		    nla_put_u8(msg, CAMFENCE_RULE_A_PREFIXLEN, r->prefixlen) < 0)
			return -EMSGSIZE;
	}
	for (i = 0; i < r->nports; i++)
		if (nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(r->ports[i]),
			    &r->ports[i]) < 0)
			return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int put_profile(struct nl_msg *msg, const struct cf_cfg_profile *p)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
	int i;

	if (!n || nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, p->name) < 0)
		return -EMSGSIZE;
	for (i = 0; i < p->nrules; i++)
		if (put_rule(msg, &p->rules[i]) < 0)
			return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

static int put_device(struct nl_msg *msg, const struct cf_cfg_device *d)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
	int i;

	if (!n || nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, d->name) < 0 ||
	    nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, d->mac) < 0 ||
	    nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, d->mode) < 0)
		return -EMSGSIZE;
	if (d->port[0] &&
	    nla_put_string(msg, CAMFENCE_DEVICE_A_PORT, d->port) < 0)
		return -EMSGSIZE;
	if (d->profile[0] &&
	    nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, d->profile) < 0)
		return -EMSGSIZE;
	for (i = 0; i < d->naddrs; i++)
		if (nla_put(msg, CAMFENCE_DEVICE_A_ADDR,
			    d->addrs[i].family == AF_INET ? 4 : 16,
			    d->addrs[i].addr) < 0)
			return -EMSGSIZE;
	nla_nest_end(msg, n);
	return 0;
}

/*
 * A message of the open transaction: ADD, COMMIT and ABORT carry the id
 * BEGIN replied with (none from a module that sends none), so that they
 * never reach a transaction this socket did not open.
 */
static struct nl_msg *txn_msg(struct cf_nl *nl, int cmd, uint64_t txn_id,
			      size_t size)
{
	struct nl_msg *msg = new_msg(nl, cmd, 0, size);

	if (msg && txn_id &&
	    nla_put_u64(msg, CAMFENCE_A_TXN_ID, txn_id) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int txn_cmd(struct cf_nl *nl, int cmd, uint64_t txn_id)
{
	struct nl_msg *msg = txn_msg(nl, cmd, txn_id, 0);

	if (!msg)
		return -ENOMEM;
	return request(nl, msg, NULL, NULL);
}

struct adder {
	struct cf_nl *nl;
	struct nl_msg *msg;
	int objects;
	uint64_t txn_id;
};

static int adder_flush(struct adder *a)
{
	int err;

	if (!a->msg)
		return 0;
	err = request(a->nl, a->msg, NULL, NULL);
	a->msg = NULL;
	a->objects = 0;
	return err;
}

static int adder_next(struct adder *a)
{
	int err;

	if (a->msg && nlmsg_hdr(a->msg)->nlmsg_len < CF_NL_MSG_TARGET)
		return 0;
	err = adder_flush(a);
	if (err)
		return err;
	a->msg = txn_msg(a->nl, CAMFENCE_CMD_ADD, a->txn_id, CF_NL_MSG_ALLOC);
	return a->msg ? 0 : -ENOMEM;
}

static int send_config(struct cf_nl *nl, const struct cf_config *cfg,
		       uint64_t txn_id)
{
	struct adder a = { .nl = nl, .txn_id = txn_id };
	int i, err;

	err = adder_next(&a);
	if (err)
		return err;
	if (cfg->mode == CAMFENCE_MODE_ENFORCE ||
	    cfg->mode == CAMFENCE_MODE_MONITOR) {
		if (nla_put_u8(a.msg, CAMFENCE_A_MODE, cfg->mode) < 0)
			goto toobig;
	}
	for (i = 0; i < cfg->nzones; i++) {
		err = adder_next(&a);
		if (err)
			return err;
		if (put_zone(a.msg, &cfg->zones[i]) < 0)
			goto toobig;
	}
	for (i = 0; i < cfg->nprofiles; i++) {
		err = adder_next(&a);
		if (err)
			return err;
		if (put_profile(a.msg, &cfg->profiles[i]) < 0)
			goto toobig;
	}
	for (i = 0; i < cfg->ndevices; i++) {
		err = adder_next(&a);
		if (err)
			return err;
		if (put_device(a.msg, &cfg->devices[i]) < 0)
			goto toobig;
	}
	return adder_flush(&a);
toobig:
	nlmsg_free(a.msg);
	snprintf(nl->errmsg, sizeof(nl->errmsg),
		 "an object does not fit in one netlink message");
	return -EMSGSIZE;
}

/* What the diff needs of a device, sorted by MAC. */
struct devkey {
	uint8_t mac[6];
	int mode;
	int naddrs;
	struct cf_cfg_addr addrs[CAMFENCE_MAX_DEVICE_ADDRS];
	char name[CAMFENCE_NAME_MAX + 1];
	char profile[CAMFENCE_NAME_MAX + 1];
	char port[CF_CFG_IFNAME_MAX];	/* configured bridge port, "" none */
};

struct keyvec {
	struct devkey *v;
	size_t n, cap;
	int err;
};

static int collect_key(const struct cf_dev_info *d, void *arg)
{
	struct keyvec *kv = arg;
	struct devkey *k;

	if (kv->n == kv->cap) {
		size_t cap = kv->cap ? kv->cap * 2 : 256;
		struct devkey *v = realloc(kv->v, cap * sizeof(*v));

		if (!v) {
			kv->err = -ENOMEM;
			return 1;
		}
		kv->v = v;
		kv->cap = cap;
	}
	k = &kv->v[kv->n++];
	memcpy(k->mac, d->mac, 6);
	k->mode = d->mode;
	k->naddrs = d->naddrs;
	memcpy(k->addrs, d->addrs, sizeof(k->addrs));
	memcpy(k->name, d->name, sizeof(k->name));
	memcpy(k->profile, d->profile, sizeof(k->profile));
	snprintf(k->port, sizeof(k->port), "%s", d->port);
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return memcmp(((const struct devkey *)a)->mac,
		      ((const struct devkey *)b)->mac, 6);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool addr_in(const struct cf_cfg_addr *a, const struct devkey *k)
{
	int i, len = a->family == AF_INET ? 4 : 16;

	for (i = 0; i < k->naddrs; i++)
		if (k->addrs[i].family == a->family &&
		    !memcmp(k->addrs[i].addr, a->addr, len))
			return true;
	return false;
}

static bool key_differs(const struct devkey *x, const struct devkey *y)
{
	int i;

	if (strcmp(x->name, y->name) || strcmp(x->profile, y->profile) ||
	    strcmp(x->port, y->port) || x->mode != y->mode ||
	    x->naddrs != y->naddrs)
		return true;
	for (i = 0; i < x->naddrs; i++)
		if (!addr_in(&x->addrs[i], y))
			return true;
	return false;
}

static int push_name(char ***v, int *n, const char *name)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[*n] = strdup(name);
	if (!nv[*n])
		return -ENOMEM;
	(*n)++;
	return 0;
}

static int compute_diff(struct cf_nl *nl, const struct cf_config *cfg,
			struct cf_diff *diff)
{
	struct keyvec cur = { 0 };
	struct devkey *want = NULL;
	size_t i = 0, j = 0, nw = cfg->ndevices;
	int err, tries;

	for (tries = 0; tries < CF_NL_DUMP_RETRIES; tries++) {
		cur.n = 0;
		err = cf_nl_get_devices(nl, NULL, collect_key, &cur, NULL);
		if (!err)
			err = cur.err;
		if (err != -EAGAIN)
			break;
	}
	if (err)
		goto out;
	want = calloc(nw ? nw : 1, sizeof(*want));
	if (!want) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < nw; i++) {
		const struct cf_cfg_device *d = &cfg->devices[i];

		memcpy(want[i].mac, d->mac, 6);
		want[i].mode = d->mode;
		want[i].naddrs = d->naddrs;
		memcpy(want[i].addrs, d->addrs, sizeof(want[i].addrs));
		snprintf(want[i].name, sizeof(want[i].name), "%s", d->name);
		snprintf(want[i].profile, sizeof(want[i].profile), "%s",
			 d->profile);
		snprintf(want[i].port, sizeof(want[i].port), "%s", d->port);
	}
	if (cur.n)
		qsort(cur.v, cur.n, sizeof(*cur.v), cmp_key);
	if (nw)
		qsort(want, nw, sizeof(*want), cmp_key);
	i = 0;
	while (!err && (i < nw || j < cur.n)) {
		int c = i >= nw ? 1 : j >= cur.n ? -1 :
			memcmp(want[i].mac, cur.v[j].mac, 6);

		if (c < 0) {
			err = push_name(&diff->added, &diff->nadded,
					want[i++].name);
		} else if (c > 0) {
			err = push_name(&diff->removed, &diff->nremoved,
					cur.v[j++].name);
		} else {
			if (key_differs(&want[i], &cur.v[j]))
				err = push_name(&diff->changed, &diff->nchanged,
						want[i].name);
			i++;
			j++;
		}
	}
	if (diff->nadded)
		qsort(diff->added, diff->nadded, sizeof(char *), cmp_str);
	if (diff->nremoved)
		qsort(diff->removed, diff->nremoved, sizeof(char *), cmp_str);
	if (diff->nchanged)
		qsort(diff->changed, diff->nchanged, sizeof(char *), cmp_str);
out:
	free(cur.v);
	free(want);
	return err;
}

void cf_diff_free(struct cf_diff *diff)
{
	int i;

	for (i = 0; i < diff->nadded; i++)
		free(diff->added[i]);
	for (i = 0; i < diff->nremoved; i++)
		free(diff->removed[i]);
	for (i = 0; i < diff->nchanged; i++)
		free(diff->changed[i]);
	free(diff->added);
	free(diff->removed);
	free(diff->changed);
	memset(diff, 0, sizeof(*diff));
}

int cf_nl_load(struct cf_nl *nl, const struct cf_config *cfg,
	       struct cf_commit *res, struct cf_diff *diff)
{
	struct cf_commit dummy, begin = { 0 };
	struct nl_msg *msg;
	char saved[sizeof(nl->errmsg)];
	int err;

	if (!res)
		res = &dummy;
	memset(res, 0, sizeof(*res));
	if (diff) {
		memset(diff, 0, sizeof(*diff));
		err = compute_diff(nl, cfg, diff);
		if (err)
			return err;
	}
	msg = new_msg(nl, CAMFENCE_CMD_BEGIN, 0, 0);
	if (!msg)
		return -ENOMEM;
	err = request(nl, msg, commit_valid, &begin);
	if (err)
		return err;
	err = send_config(nl, cfg, begin.txn_id);
	if (!err) {
		msg = txn_msg(nl, CAMFENCE_CMD_COMMIT, begin.txn_id, 0);
		if (!msg)
			err = -ENOMEM;
		else
			err = request(nl, msg, commit_valid, res);
		if (!err)
			return 0;
	}
	/* keep the first error's message; the abort may fail harmlessly
	 * when the kernel already discarded the transaction
	 */
	memcpy(saved, nl->errmsg, sizeof(saved));
	txn_cmd(nl, CAMFENCE_CMD_ABORT, begin.txn_id);
	memcpy(nl->errmsg, saved, sizeof(saved));
	return err;
}

/* ---- the policy ---- */

struct pol_ctx {
	struct cf_config *cfg;
	uint64_t generation;
	bool sealed, head;
	uint32_t last_total;		/* rules of the last profile */
	struct cf_policy_msg m;		/* big: not on the handler's stack */
};

/* Room for element n: capacities 8, 16, 32, ... (amortised O(1)). */
static int pol_grow(void **v, int n, size_t esz)
{
	void *nv;

	if (n && (n < 8 || (n & (n - 1))))
		return 0;
	nv = realloc(*v, (n ? 2 * (size_t)n : 8) * esz);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	return 0;
}

static int pol_valid(const struct nlmsghdr *nlh, void *arg)
{
	struct pol_ctx *c = arg;
	struct cf_config *cfg = c->cfg;
	struct cf_policy_msg *m = &c->m;
	struct cf_cfg_profile *last;
	int err = cf_decode_policy(nlh, nlh->nlmsg_len, m);

	if (err)
		return err;
	if (m->kind != CF_PMSG_HEAD &&
	    (!c->head || m->generation != c->generation)) {
		err = -EBADMSG;
		goto out;
	}
	switch (m->kind) {
	case CF_PMSG_HEAD:
		if (c->head) {
			err = -EBADMSG;
			break;
		}
		c->head = true;
		c->generation = m->generation;
		c->sealed = m->sealed;
		cfg->mode = m->mode;
		break;
	case CF_PMSG_ZONE:
		err = pol_grow((void **)&cfg->zones, cfg->nzones,
			       sizeof(*cfg->zones));
		if (!err)
			cfg->zones[cfg->nzones++] = m->zone;
		break;
	case CF_PMSG_PROFILE:
		last = cfg->nprofiles ? &cfg->profiles[cfg->nprofiles - 1] : NULL;
		if (m->first_rule) {
			/* the rest of the previous message's profile */
			if (!last || strcmp(last->name, m->profile.name) ||
			    (uint32_t)last->nrules != m->first_rule ||
			    m->total_rules != c->last_total) {
				err = -EBADMSG;
				break;
			}
			if (m->profile.nrules) {
				struct cf_cfg_rule *r = realloc(last->rules,
					(last->nrules + m->profile.nrules) * sizeof(*r));

				if (!r) {
					err = -ENOMEM;
					break;
				}
				memcpy(r + last->nrules, m->profile.rules,
				       m->profile.nrules * sizeof(*r));
				last->rules = r;
				last->nrules += m->profile.nrules;
			}
			break;
		}
		if (last && (uint32_t)last->nrules != c->last_total) {
			err = -EBADMSG;
			break;
		}
		c->last_total = m->total_rules;
		err = pol_grow((void **)&cfg->profiles, cfg->nprofiles,
			       sizeof(*cfg->profiles));
		if (err)
			break;
		cfg->profiles[cfg->nprofiles++] = m->profile;
		m->profile.rules = NULL;	/* owned by cfg now */
		m->profile.nrules = 0;
		break;
	case CF_PMSG_DEVICE:
		err = pol_grow((void **)&cfg->devices, cfg->ndevices,
			       sizeof(*cfg->devices));
		if (!err)
			cfg->devices[cfg->ndevices++] = m->device;
		break;
	}
out:
	cf_policy_msg_free(m);
	return err;
}

int cf_nl_get_policy(struct cf_nl *nl, struct cf_config *cfg,
		     uint64_t *generation, bool *sealed)
{
	struct pol_ctx *c = calloc(1, sizeof(*c));
	struct nl_msg *msg;
	int err = -ENOMEM, tries;

	if (!c)
		return -ENOMEM;
	for (tries = 0; tries < CF_NL_DUMP_RETRIES; tries++) {
		cf_config_free(cfg);
		memset(c, 0, sizeof(*c));
		c->cfg = cfg;
		msg = new_msg(nl, CAMFENCE_CMD_GET_POLICY, NLM_F_DUMP, 0);
		if (!msg) {
			err = -ENOMEM;
			break;
		}
		err = request(nl, msg, pol_valid, c);
		if (err != -EAGAIN)
			break;
	}
	if (!err && !c->head)
		err = -EBADMSG;
	/* the last profile complete too */
	if (!err && cfg->nprofiles &&
	    (uint32_t)cfg->profiles[cfg->nprofiles - 1].nrules != c->last_total)
		err = -EBADMSG;
	if (err) {
		cf_config_free(cfg);
	} else {
		if (generation)
			*generation = c->generation;
		if (sealed)
			*sealed = c->sealed;
	}
	free(c);
	return err;
}

/* ---- events ---- */

int cf_nl_events_subscribe(struct cf_nl *nl)
{
	int grp = nl->events_grp, err;

	/* known from the dump of cf_nl_open(); after cf_nl_open_autoload()
	 * the family is there, so a request by name loads nothing
	 */
	if (grp < 0)
		grp = genl_ctrl_resolve_grp(nl->sk, CAMFENCE_GENL_NAME,
					    CAMFENCE_MCGRP_EVENTS);
	if (grp < 0)
		return nlerr_to_errno(grp);
	err = nl_socket_add_membership(nl->sk, grp);
	if (err < 0)
		return nlerr_to_errno(err);
	nl->events_grp = grp;
	nl_socket_disable_seq_check(nl->sk);
	return 0;
}

struct ev_ctx {
	cf_event_fn fn;
	void *arg;
	int ret;
};

/* Malformed events and other commands are skipped. */
static int event_handler(struct nl_msg *msg, void *arg)
{
	struct ev_ctx *c = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct cf_event ev;

	if (cf_decode_event(nlh, nlh->nlmsg_len, &ev) == 0 && !c->ret)
		c->ret = c->fn(&ev, c->arg);
	return NL_SKIP;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int cf_nl_events_recv(struct cf_nl *nl, cf_event_fn fn, void *arg)
{
	struct ev_ctx c = { fn, arg, 0 };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, event_handler, &c);
	/* multicasts carry no sequence number of ours */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	ret = nl_recvmsgs(nl->sk, cb);
	nl_cb_put(cb);
	if (ret < 0)
		return nlerr_to_errno(ret);
	return c.ret;
}

/* ---- metrics ---- */

struct mvec {
	struct cf_metrics_dev *v;
	size_t n, cap;
	int err;
};

static int collect_mdev(const struct cf_dev_info *d, void *arg)
{
	struct mvec *mv = arg;
	struct cf_metrics_dev *m;

	if (mv->n == mv->cap) {
		size_t cap = mv->cap ? mv->cap * 2 : 64;
		struct cf_metrics_dev *v = realloc(mv->v, cap * sizeof(*v));

		if (!v) {
			mv->err = -ENOMEM;
			return 1;
		}
		mv->v = v;
		mv->cap = cap;
	}
	m = &mv->v[mv->n++];
	memcpy(m->name, d->name, sizeof(m->name));
	memcpy(m->mac, d->mac, sizeof(m->mac));
	m->allowed_packets = d->allowed_packets;
	m->allowed_bytes = d->allowed_bytes;
	m->dropped_packets = d->dropped_packets;
	m->dropped_bytes = d->dropped_bytes;
	m->monitored_packets = d->monitored_packets;
	m->spoofed_packets = d->spoofed_packets;
	m->events_suppressed = d->events_suppressed;
	m->last_seen = d->last_seen;
	return 0;
}

static int cmp_mdev(const void *a, const void *b)
{
	return strcmp(((const struct cf_metrics_dev *)a)->name,
		      ((const struct cf_metrics_dev *)b)->name);
}

int cf_nl_write_metrics(struct cf_nl *nl, FILE *f)
{
	return cf_nl_write_metrics_opt(nl, f, true);
}

int cf_nl_write_metrics_opt(struct cf_nl *nl, FILE *f, bool per_device)
{
	struct cf_stats st;
	struct mvec mv = { 0 };
	int err, tries;

	err = cf_nl_get_stats(nl, &st);
	if (err)
		return err;
	if (!per_device) {
		err = cf_metrics_write_opt(f, &st, NULL, 0, false);
		return err;
	}
	for (tries = 0; tries < CF_NL_DUMP_RETRIES; tries++) {
		mv.n = 0;
		err = cf_nl_get_devices(nl, NULL, collect_mdev, &mv, NULL);
		if (!err)
			err = mv.err;
		if (err != -EAGAIN)
			break;
	}
	if (!err) {
		if (mv.n)
			qsort(mv.v, mv.n, sizeof(*mv.v), cmp_mdev);
		err = cf_metrics_write(f, &st, mv.v, mv.n);
	}
	free(mv.v);
	return err;
}
