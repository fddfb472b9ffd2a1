// SPDX-License-Identifier: GPL-2.0
/*
 * nltest: a raw generic netlink client of the camfence family for the VM
 * tests (transactions, malformed messages, dumps, events). It keeps ONE
 * socket for the whole run and executes its arguments as a script, one
 * command per argument, printing one line per command:
 *
 *   CMD: ok [key=value...]
 *   CMD: error -ERRNO (strerror): extack message
 *
 * Commands (fields separated by ','):
 *   begin | commit | abort | flush | stats
 *   setmode N                     SET_MODE with CAMFENCE_A_MODE=N (u8)
 *   mode N                        ADD carrying CAMFENCE_A_MODE=N
 *   zone NAME[,vlan=N...][,if=IF...][,unknown=N]
 *   profile NAME[,rule=DIR/PEER/PLEN/PROTO/LO-HI+LO-HI...]...
 *                                 DIR: to|from; PEER: any or an address;
 *                                 PLEN: - for none; PORTS: - for none
 *   device NAME,MAC,PROFILE[,addr=A...][,mode=N]
 *   devices PREFIX,N,PROFILE      N devices PREFIX-1.. (MAC 02:00:00:00:hi:lo)
 *                                 in ADD messages of 50
 *   bad WHAT                      a malformed ADD: maclen5 addrlen5 vlan0
 *                                 longname readonly nonested ports47
 *                                 badmode reversed
 *   get NAME                      GET_DEVICE doit; prints the device
 *   errstorm NAME MS              GET_DEVICE of NAME (no such device) again
 *                                 and again for MS ms; prints sent= and
 *                                 wrong= (replies that are not ENOENT with
 *                                 the extack "no device named NAME") and
 *                                 the first wrong reply
 *   dump                          GET_DEVICE dump; prints count= intr=
 *   dump-race                     dump; after the first message, a FLUSH on
 *                                 a second socket (prints intr=)
 *   unknown                       GET_UNKNOWN dump, one line per entry
 *   policy                        GET_POLICY dump; prints count= (messages)
 *   subscribe                     join the events group (the kernel's errno)
 *   events N TIMEOUT_MS           subscribe, print N events or time out
 *   listen FILE                   subscribe to events, then create FILE
 *   wait FILE TIMEOUT_MS          wait until FILE exists
 *   touch FILE | sleep MS
 *   inside DIR MS                 while a commit of another namespace is in
 *                                 the kernel (DIR/generation above
 *                                 DIR/sysfs_generation: published, still
 *                                 creating its sysfs directories), again
 *                                 and again: GET_STATS, BEGIN, COMMIT on
 *                                 this socket, DIR read before and after;
 *                                 until that commit ended or MS ms passed.
 *                                 Prints rounds= (rounds run once the
 *                                 commit was seen), inside= (rounds whose
 *                                 three requests were answered while the
 *                                 same commit was in the kernel before and
 *                                 after them) and failed= (requests not ok)
 *   txnid off|on|prev             from now on ADD, COMMIT and ABORT carry
 *                                 no CAMFENCE_A_TXN_ID (the default), the
 *                                 one of the last BEGIN reply, or the one
 *                                 of the BEGIN before it
 * Exit status: 0 when every command succeeded, 1 if one failed (the run
 * continues), 2 on usage or socket errors.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "camfence_uapi.h"

struct conn {
	struct nl_sock *sk;
	int family;
};

struct reply {
	bool done;
	int error;			/* negative errno or 0 */
	char extack[256];
	const char *cmdname;
	int nmsgs;
	int intr;
	/* dump-race */
	struct conn *racer;
	bool raced;
};

static struct conn main_conn;

/* CAMFENCE_A_TXN_ID of the last two BEGIN replies, and what to carry */
static uint64_t txn_cur, txn_prev;
static enum { TXN_OFF, TXN_CUR, TXN_PREV } txn_mode;

static void die(const char *what)
{
	fprintf(stderr, "nltest: %s\n", what);
	exit(2);
}

static void conn_open(struct conn *c)
{
	int one = 1;

	c->sk = nl_socket_alloc();
	if (!c->sk || genl_connect(c->sk))
		die("cannot open a generic netlink socket");
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_set_buffer_size(c->sk, 1 << 20, 1 << 20);
	c->family = genl_ctrl_resolve(c->sk, CAMFENCE_GENL_NAME);
	if (c->family < 0)
		die("family camfence not found (module not loaded?)");
}

/* ---- replies ---- */

static int on_error(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct reply *r = arg;
	int len = nlh->nlmsg_len - NLMSG_HDRLEN - (int)sizeof(*e);
	struct nlattr *a;
	int rem;

	r->error = e->error;
	r->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		len -= e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (len <= 0)
		return NL_STOP;
	a = (struct nlattr *)((char *)(e + 1) +
			      ((nlh->nlmsg_flags & NLM_F_CAPPED) ? 0 :
			       e->msg.nlmsg_len - NLMSG_HDRLEN));
	nla_for_each_attr(a, a, len, rem)
		if (nla_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(r->extack, sizeof(r->extack), "%s",
				 (char *)nla_data(a));
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	((struct reply *)arg)->done = true;
	return NL_STOP;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	((struct reply *)arg)->intr++;
	return NL_OK;
}

static void print_addr(const char *key, struct nlattr *a)
{
	char buf[INET6_ADDRSTRLEN];

	if (nla_len(a) == 4)
		inet_ntop(AF_INET, nla_data(a), buf, sizeof(buf));
	else if (nla_len(a) == 16)
		inet_ntop(AF_INET6, nla_data(a), buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "len%d", nla_len(a));
	printf(" %s=%s", key, buf);
}

static void print_mac(const char *key, struct nlattr *a)
{
	const unsigned char *m = nla_data(a);

	printf(" %s=%02x:%02x:%02x:%02x:%02x:%02x", key, m[0], m[1], m[2],
	       m[3], m[4], m[5]);
}

static const char *const devstats_names[] = {
	[CAMFENCE_DEVSTATS_A_ALLOWED_PACKETS] = "allowed_packets",
	[CAMFENCE_DEVSTATS_A_ALLOWED_BYTES] = "allowed_bytes",
	[CAMFENCE_DEVSTATS_A_DROPPED_PACKETS] = "dropped_packets",
	[CAMFENCE_DEVSTATS_A_DROPPED_BYTES] = "dropped_bytes",
	[CAMFENCE_DEVSTATS_A_MONITORED_PACKETS] = "monitored_packets",
	[CAMFENCE_DEVSTATS_A_SPOOFED_PACKETS] = "spoofed_packets",
	[CAMFENCE_DEVSTATS_A_EVENTS_SUPPRESSED] = "events_suppressed",
};

static const char *const stats_names[] = {
	[CAMFENCE_STATS_A_ALLOWED_PACKETS] = "allowed_packets",
	[CAMFENCE_STATS_A_DROPPED_PACKETS] = "dropped_packets",
	[CAMFENCE_STATS_A_UNKNOWN_PACKETS] = "unknown_packets",
	[CAMFENCE_STATS_A_SPOOFED_PACKETS] = "spoofed_packets",
	[CAMFENCE_STATS_A_EVENTS_SUPPRESSED] = "events_suppressed",
	[CAMFENCE_STATS_A_MONITORED_PACKETS] = "monitored_packets",
};

static void print_u64s(struct nlattr *nest, const char *const *names, int max,
		       const char *prefix)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) <= max && names[nla_type(a)])
			printf(" %s%s=%llu", prefix, names[nla_type(a)],
			       (unsigned long long)nla_get_u64(a));
}

static void print_evidence(struct nlattr *nest, const char *prefix)
{
	struct nlattr *a;
	char key[64];
	int rem;

	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CAMFENCE_EVIDENCE_A_DIR:
			printf(" %sdir=%u", prefix, nla_get_u8(a));
			break;
		case CAMFENCE_EVIDENCE_A_PEER:
			snprintf(key, sizeof(key), "%speer", prefix);
			print_addr(key, a);
			break;
		case CAMFENCE_EVIDENCE_A_PROTO:
			printf(" %sproto=%u", prefix, nla_get_u8(a));
			break;
		case CAMFENCE_EVIDENCE_A_PORT:
			printf(" %sport=%u", prefix, nla_get_u16(a));
			break;
		case CAMFENCE_EVIDENCE_A_REASON:
			printf(" %sreason=%u", prefix, nla_get_u8(a));
			break;
		case CAMFENCE_EVIDENCE_A_COUNT:
			printf(" %scount=%llu", prefix,
			       (unsigned long long)nla_get_u64(a));
			break;
		}
	}
}

static void print_device(struct nlattr *dev)
{
	struct nlattr *a, *e;
	int rem, rem2, n = 0;
	char prefix[32];

	nla_for_each_nested(a, dev, rem) {
		switch (nla_type(a)) {
		case CAMFENCE_DEVICE_A_NAME:
			printf(" name=%s", nla_get_string(a));
			break;
		case CAMFENCE_DEVICE_A_MAC:
			print_mac("mac", a);
			break;
		case CAMFENCE_DEVICE_A_ADDR:
			print_addr("addr", a);
			break;
		case CAMFENCE_DEVICE_A_PROFILE:
			printf(" profile=%s", nla_get_string(a));
			break;
		case CAMFENCE_DEVICE_A_MODE:
			printf(" mode=%u", nla_get_u8(a));
			break;
		case CAMFENCE_DEVICE_A_EFFECTIVE_MODE:
			printf(" effective_mode=%u", nla_get_u8(a));
			break;
		case CAMFENCE_DEVICE_A_STATS:
			print_u64s(a, devstats_names, CAMFENCE_DEVSTATS_A_MAX,
				   "");
			break;
		case CAMFENCE_DEVICE_A_LAST_SEEN:
			printf(" last_seen=%s",
			       nla_get_u64(a) ? "set" : "0");
			break;
		case CAMFENCE_DEVICE_A_LAST_DROP:
			print_evidence(a, "last_drop.");
			break;
		case CAMFENCE_DEVICE_A_EVIDENCE:
			nla_for_each_nested(e, a, rem2) {
				snprintf(prefix, sizeof(prefix), "ev%d.", n++);
				print_evidence(e, prefix);
			}
			break;
		}
	}
	printf(" evidence=%d", n);
}

static void print_event(struct nlattr *ev)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, ev, rem) {
		switch (nla_type(a)) {
		case CAMFENCE_EVENT_A_TIMESTAMP:
			printf(" ts=%s", nla_get_u64(a) ? "set" : "0");
			break;
		case CAMFENCE_EVENT_A_DEVICE:
			printf(" device=%s", nla_get_string(a));
			break;
		case CAMFENCE_EVENT_A_MAC:
			print_mac("mac", a);
			break;
		case CAMFENCE_EVENT_A_ZONE:
			printf(" zone=%s", nla_get_string(a));
			break;
		case CAMFENCE_EVENT_A_DIR:
			printf(" dir=%u", nla_get_u8(a));
			break;
		case CAMFENCE_EVENT_A_SADDR:
			print_addr("saddr", a);
			break;
		case CAMFENCE_EVENT_A_DADDR:
			print_addr("daddr", a);
			break;
		case CAMFENCE_EVENT_A_PROTO:
			printf(" proto=%u", nla_get_u8(a));
			break;
		case CAMFENCE_EVENT_A_SPORT:
			printf(" sport=%s", nla_get_u16(a) ? "set" : "0");
			break;
		case CAMFENCE_EVENT_A_DPORT:
			printf(" dport=%u", nla_get_u16(a));
			break;
		case CAMFENCE_EVENT_A_REASON:
			printf(" reason=%u", nla_get_u8(a));
			break;
		case CAMFENCE_EVENT_A_VERDICT:
			printf(" verdict=%u", nla_get_u8(a));
			break;
		case CAMFENCE_EVENT_A_SUPPRESSED:
			printf(" suppressed=%llu",
			       (unsigned long long)nla_get_u64(a));
			break;
		}
	}
}

static void print_unknown(struct nlattr *u)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, u, rem) {
		switch (nla_type(a)) {
		case CAMFENCE_UNKNOWN_A_MAC:
			print_mac("mac", a);
			break;
		case CAMFENCE_UNKNOWN_A_ZONE:
			printf(" zone=%s", nla_get_string(a));
			break;
		case CAMFENCE_UNKNOWN_A_VLAN:
			printf(" vlan=%u", nla_get_u16(a));
			break;
		case CAMFENCE_UNKNOWN_A_IFNAME:
			printf(" if=%s", nla_get_string(a));
			break;
		case CAMFENCE_UNKNOWN_A_PACKETS:
			printf(" packets=%llu",
			       (unsigned long long)nla_get_u64(a));
			break;
		case CAMFENCE_UNKNOWN_A_ADDR:
			print_addr("addr", a);
			break;
		}
	}
}

static int send_simple(struct conn *c, uint8_t cmd, struct reply *r);

/* Every message of a reply or dump: printed as attributes. */
static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct reply *r = arg;
	struct nlattr *a;
	int rem;

	r->nmsgs++;
	if (r->racer && !r->raced) {
		struct reply rr = { .cmdname = "race" };

		r->raced = true;
		send_simple(r->racer, CAMFENCE_CMD_FLUSH, &rr);
		if (rr.error)
			fprintf(stderr, "nltest: racing FLUSH failed: %d %s\n",
				rr.error, rr.extack);
	}
	if (!strcmp(r->cmdname, "dump") || !strcmp(r->cmdname, "dump-race") ||
	    !strcmp(r->cmdname, "race") || !strcmp(r->cmdname, "inside"))
		return NL_OK;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem) {
		switch (nla_type(a)) {
		case CAMFENCE_A_GENERATION:
			printf(" generation=%llu",
			       (unsigned long long)nla_get_u64(a));
			break;
		case CAMFENCE_A_MODE:
			printf(" mode=%u", nla_get_u8(a));
			break;
		case CAMFENCE_A_COMMIT_ADDED:
			printf(" added=%u", nla_get_u32(a));
			break;
		case CAMFENCE_A_COMMIT_REMOVED:
			printf(" removed=%u", nla_get_u32(a));
			break;
		case CAMFENCE_A_COMMIT_CHANGED:
			printf(" changed=%u", nla_get_u32(a));
			break;
		case CAMFENCE_A_COMMIT_UNCHANGED:
			printf(" unchanged=%u", nla_get_u32(a));
			break;
		case CAMFENCE_A_COMMIT_NOOP:
			if (nla_get_u8(a))
				printf(" noop");
			break;
		case CAMFENCE_A_DEVICE_COUNT:
			printf(" device_count=%u", nla_get_u32(a));
			break;
		case CAMFENCE_A_SEALED:
			printf(" sealed=%u", nla_get_u8(a));
			break;
		case CAMFENCE_A_TXN_ID:
			txn_prev = txn_cur;
			txn_cur = nla_get_u64(a);
			break;
		case CAMFENCE_A_MODULE_VERSION:
			printf(" version=%s", nla_get_string(a));
			break;
		case CAMFENCE_A_STATS:
			print_u64s(a, stats_names, CAMFENCE_STATS_A_MAX, "");
			break;
		case CAMFENCE_A_DEVICE:
			print_device(a);
			break;
		case CAMFENCE_A_UNKNOWN:
			printf("\nunknown:");
			print_unknown(a);
			break;
		case CAMFENCE_A_EVENT:
			printf("\nevent:");
			print_event(a);
			break;
		}
	}
	return NL_OK;
}

static struct nl_cb *make_cb(struct reply *r)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		die("out of memory");
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, r);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_ack, r);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, r);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, r);
	return cb;
}

/* Sends msg (freed) and reads until the ack, the error or the end of dump. */
static int transact(struct conn *c, struct nl_msg *msg, struct reply *r)
{
	struct nl_cb *cb = make_cb(r);
	int err;

	err = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		r->error = -EIO;
		snprintf(r->extack, sizeof(r->extack), "send: %s",
			 nl_geterror(err));
		nl_cb_put(cb);
		return r->error;
	}
	while (!r->done) {
		err = nl_recvmsgs(c->sk, cb);
		if (err < 0 && !r->done) {
			r->error = -EIO;
			snprintf(r->extack, sizeof(r->extack), "recv: %s",
				 nl_geterror(err));
			break;
		}
	}
	nl_cb_put(cb);
	return r->error;
}

static struct nl_msg *new_msg(struct conn *c, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc_size(256 * 1024);

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
				 flags | NLM_F_ACK, cmd, CAMFENCE_GENL_VERSION))
		die("cannot build a message");
	if (txn_mode != TXN_OFF &&
	    (cmd == CAMFENCE_CMD_ADD || cmd == CAMFENCE_CMD_COMMIT ||
	     cmd == CAMFENCE_CMD_ABORT) &&
	    nla_put_u64(msg, CAMFENCE_A_TXN_ID,
			txn_mode == TXN_CUR ? txn_cur : txn_prev))
		die("cannot build a message");
	return msg;
}

static int send_simple(struct conn *c, uint8_t cmd, struct reply *r)
{
	return transact(c, new_msg(c, cmd, 0), r);
}

/* ---- building ADD messages ---- */

static int parse_mac(const char *s, unsigned char *mac)
{
	unsigned int m[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = m[i];
	return 0;
}

static int put_addr(struct nl_msg *msg, int type, const char *s)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, s, buf) == 1)
		return nla_put(msg, type, 4, buf);
	if (inet_pton(AF_INET6, s, buf) == 1)
		return nla_put(msg, type, 16, buf);
	fprintf(stderr, "nltest: bad address %s\n", s);
	exit(2);
}

static void put_zone(struct nl_msg *msg, char *spec)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_ZONE);
	char *save = NULL, *f;

	f = strtok_r(spec, ",", &save);
	nla_put_string(msg, CAMFENCE_ZONE_A_NAME, f);
	while ((f = strtok_r(NULL, ",", &save))) {
		if (!strncmp(f, "vlan=", 5))
			nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, atoi(f + 5));
		else if (!strncmp(f, "if=", 3))
			nla_put_string(msg, CAMFENCE_ZONE_A_IFNAME, f + 3);
		else if (!strncmp(f, "unknown=", 8))
			nla_put_u8(msg, CAMFENCE_ZONE_A_UNKNOWN, atoi(f + 8));
	}
	nla_nest_end(msg, n);
}

/* DIR/PEER/PLEN/PROTO/LO-HI+LO-HI */
static void put_rule(struct nl_msg *msg, char *spec)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
	char *save = NULL, *dir, *peer, *plen, *proto, *ports, *p, *s2 = NULL;

	dir = strtok_r(spec, "/", &save);
	peer = strtok_r(NULL, "/", &save);
	plen = strtok_r(NULL, "/", &save);
	proto = strtok_r(NULL, "/", &save);
	ports = strtok_r(NULL, "/", &save);
	if (!dir || !peer || !plen || !proto || !ports)
		die("rule needs DIR/PEER/PLEN/PROTO/PORTS");
	nla_put_u8(msg, CAMFENCE_RULE_A_DIR,
		   !strcmp(dir, "to") ? CAMFENCE_DIR_TO :
		   !strcmp(dir, "from") ? CAMFENCE_DIR_FROM : atoi(dir));
	if (strcmp(peer, "any"))
		put_addr(msg, CAMFENCE_RULE_A_PEER, peer);
	if (strcmp(plen, "-"))
		nla_put_u8(msg, CAMFENCE_RULE_A_PREFIXLEN, atoi(plen));
	nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, atoi(proto));
	if (strcmp(ports, "-")) {
		for (p = strtok_r(ports, "+", &s2); p;
		     p = strtok_r(NULL, "+", &s2)) {
			struct camfence_port_range r;
			char *dash = strchr(p, '-');

			r.lo = atoi(p);
			r.hi = dash ? atoi(dash + 1) : r.lo;
			nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(r), &r);
		}
	}
	nla_nest_end(msg, n);
}

static void put_profile(struct nl_msg *msg, char *spec)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
	char *save = NULL, *f;

	f = strtok_r(spec, ",", &save);
	nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, f);
	while ((f = strtok_r(NULL, ",", &save)))
		if (!strncmp(f, "rule=", 5))
			put_rule(msg, f + 5);
	nla_nest_end(msg, n);
}

static void put_device(struct nl_msg *msg, char *spec)
{
	struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
	char *save = NULL, *name, *mac, *prof, *f;
	unsigned char m[6];

	name = strtok_r(spec, ",", &save);
	mac = strtok_r(NULL, ",", &save);
	prof = strtok_r(NULL, ",", &save);
	if (!name || !mac || !prof || parse_mac(mac, m))
		die("device needs NAME,MAC,PROFILE");
	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, name);
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, m);
	nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, prof);
	while ((f = strtok_r(NULL, ",", &save))) {
		if (!strncmp(f, "addr=", 5))
			put_addr(msg, CAMFENCE_DEVICE_A_ADDR, f + 5);
		else if (!strncmp(f, "mode=", 5))
			nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, atoi(f + 5));
	}
	nla_nest_end(msg, n);
}

static struct nl_msg *bad_add(struct conn *c, const char *what)
{
	struct nl_msg *msg = new_msg(c, CAMFENCE_CMD_ADD, 0);
	static const unsigned char mac[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct nlattr *n, *r;
	char longname[64];

	if (!strcmp(what, "nonested")) {
		/* a DEVICE nest without NLA_F_NESTED */
		n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
		n->nla_type &= ~NLA_F_NESTED;
		nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "x");
	} else if (!strcmp(what, "vlan0")) {
		n = nla_nest_start(msg, CAMFENCE_A_ZONE);
		nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "z");
		nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 0);
	} else if (!strcmp(what, "ports47") || !strcmp(what, "reversed")) {
		struct camfence_port_range pr = { 2000, 1000 };

		/* a new profile (p exists): judged by its rules alone */
		n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
		nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, "q");
		r = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
		nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
		nla_put_u8(msg, CAMFENCE_RULE_A_PROTO,
			   strcmp(what, "ports47") ? 17 : 47);
		nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(pr), &pr);
		nla_nest_end(msg, r);
	} else {
		n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
		if (!strcmp(what, "longname")) {
			memset(longname, 'a', 33);
			longname[33] = 0;
			nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, longname);
		} else {
			nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "bad");
		}
		nla_put(msg, CAMFENCE_DEVICE_A_MAC,
			strcmp(what, "maclen5") ? 6 : 5, mac);
		nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "p");
		if (!strcmp(what, "addrlen5"))
			nla_put(msg, CAMFENCE_DEVICE_A_ADDR, 5, "12345");
		else if (!strcmp(what, "readonly"))
			nla_put_u8(msg, CAMFENCE_DEVICE_A_EFFECTIVE_MODE, 1);
		else if (!strcmp(what, "badmode"))
			nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, 3);
		else if (strcmp(what, "maclen5") && strcmp(what, "longname"))
			die("unknown bad WHAT");
	}
	nla_nest_end(msg, n);
	return msg;
}

/* ---- events ---- */

/*
 * Joins the events group with NETLINK_ADD_MEMBERSHIP (the kernel's own
 * errno, unlike libnl's codes): 0 or -errno.
 */
static int subscribe(struct conn *c)
{
	static bool subscribed;
	int grp;

	if (subscribed)
		return 0;
	grp = genl_ctrl_resolve_grp(c->sk, CAMFENCE_GENL_NAME,
				    CAMFENCE_MCGRP_EVENTS);
	if (grp < 0)
		return -ENOENT;
	if (setsockopt(nl_socket_get_fd(c->sk), SOL_NETLINK,
		       NETLINK_ADD_MEMBERSHIP, &grp, sizeof(grp)))
		return -errno;
	subscribed = true;
	nl_socket_disable_seq_check(c->sk);
	return 0;
}

static int on_noseq(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/* read_gen: DIR/FILE as a number, -1 when unreadable */
static long read_gen(const char *dir, const char *file)
{
	char path[512];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int read_events(struct conn *c, int want, int timeout_ms)
{
	struct reply r = { .cmdname = "events" };
	struct nl_cb *cb = make_cb(&r);
	long end = now_ms() + timeout_ms;

	/* multicast messages carry no sequence number */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_noseq, NULL);
	struct pollfd pfd = { .fd = nl_socket_get_fd(c->sk), .events = POLLIN };

	while (r.nmsgs < want) {
		long left = end - now_ms();

		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			break;
		nl_recvmsgs(c->sk, cb);
	}
	nl_cb_put(cb);
	return r.nmsgs;
}

/* ---- main ---- */

static void report(struct reply *r)
{
	if (r->error)
		printf(" error %d (%s): %s", r->error,
		       strerror(-r->error), r->extack);
}

int main(int argc, char **argv)
{
	int i, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2) {
		fprintf(stderr, "usage: nltest CMD [ARG] ...\n");
		return 2;
	}
	/* "CMD ARG" in one argument is CMD and ARG */
	for (i = 1; i < argc; i++) {
		char *sp = strchr(argv[i], ' ');

		if (sp && !strchr(sp + 1, ' ')) {
			char **nargv = calloc(argc + 2, sizeof(*nargv));

			if (!nargv)
				die("out of memory");
			memcpy(nargv, argv, (i + 1) * sizeof(*nargv));
			*sp = 0;
			nargv[i + 1] = sp + 1;
			memcpy(nargv + i + 2, argv + i + 1,
			       (argc - i - 1) * sizeof(*nargv));
			argv = nargv;
			argc++;
			i++;
		}
	}
	conn_open(&main_conn);
	for (i = 1; i < argc; i++) {
		const char *cmd = argv[i];
		char *arg = i + 1 < argc ? argv[i + 1] : NULL;
		struct reply r = { .cmdname = cmd };
		struct nl_msg *msg;
		struct conn racer;

		printf("%s:", cmd);
		if (!strcmp(cmd, "begin") || !strcmp(cmd, "commit") ||
		    !strcmp(cmd, "abort") || !strcmp(cmd, "flush") ||
		    !strcmp(cmd, "stats")) {
			uint8_t c = !strcmp(cmd, "begin") ? CAMFENCE_CMD_BEGIN :
				!strcmp(cmd, "commit") ? CAMFENCE_CMD_COMMIT :
				!strcmp(cmd, "abort") ? CAMFENCE_CMD_ABORT :
				!strcmp(cmd, "flush") ? CAMFENCE_CMD_FLUSH :
				CAMFENCE_CMD_GET_STATS;

			send_simple(&main_conn, c, &r);
		} else if (!strcmp(cmd, "dump") || !strcmp(cmd, "dump-race")) {
			if (!strcmp(cmd, "dump-race")) {
				conn_open(&racer);
				r.racer = &racer;
			}
			/* a small buffer: many messages per dump round */
			msg = new_msg(&main_conn, CAMFENCE_CMD_GET_DEVICE,
				      NLM_F_DUMP);
			transact(&main_conn, msg, &r);
			if (!r.error)
				printf(" count=%d intr=%d", r.nmsgs, r.intr);
			if (r.racer)
				nl_socket_free(racer.sk);
			/* no argument */
		} else if (!strcmp(cmd, "subscribe")) {
			r.error = subscribe(&main_conn);
			if (r.error == -ENOENT)
				snprintf(r.extack, sizeof(r.extack),
					 "no group %s", CAMFENCE_MCGRP_EVENTS);
			/* no argument */
		} else if (!strcmp(cmd, "unknown")) {
			msg = new_msg(&main_conn, CAMFENCE_CMD_GET_UNKNOWN,
				      NLM_F_DUMP);
			transact(&main_conn, msg, &r);
			if (!r.error)
				printf("\nunknown: count=%d", r.nmsgs);
		} else if (!strcmp(cmd, "policy")) {
			msg = new_msg(&main_conn, CAMFENCE_CMD_GET_POLICY,
				      NLM_F_DUMP);
			transact(&main_conn, msg, &r);
			if (!r.error)
				printf("\npolicy: count=%d", r.nmsgs);
		} else if (!arg) {
			fprintf(stderr, "nltest: %s needs an argument\n", cmd);
			return 2;
		} else if (!strcmp(cmd, "setmode") || !strcmp(cmd, "mode")) {
			msg = new_msg(&main_conn, !strcmp(cmd, "mode") ?
				      CAMFENCE_CMD_ADD : CAMFENCE_CMD_SET_MODE,
				      0);
			nla_put_u8(msg, CAMFENCE_A_MODE, atoi(arg));
			transact(&main_conn, msg, &r);
			i++;
		} else if (!strcmp(cmd, "zone") || !strcmp(cmd, "profile") ||
			   !strcmp(cmd, "device")) {
			msg = new_msg(&main_conn, CAMFENCE_CMD_ADD, 0);
			if (cmd[0] == 'z')
				put_zone(msg, arg);
			else if (cmd[0] == 'p')
				put_profile(msg, arg);
			else
				put_device(msg, arg);
			transact(&main_conn, msg, &r);
			i++;
		} else if (!strcmp(cmd, "devices")) {
			char *save = NULL, *prefix, *prof, spec[128];
			int n, k;

			prefix = strtok_r(arg, ",", &save);
			n = atoi(strtok_r(NULL, ",", &save));
			prof = strtok_r(NULL, ",", &save);
			for (k = 1; k <= n && !r.error; k += 50) {
				int j;

				msg = new_msg(&main_conn, CAMFENCE_CMD_ADD, 0);
				for (j = k; j < k + 50 && j <= n; j++) {
					snprintf(spec, sizeof(spec),
						 "%s-%d,02:00:00:00:%02x:%02x,%s",
						 prefix, j, j >> 8, j & 0xff,
						 prof);
					put_device(msg, spec);
				}
				memset(&r, 0, sizeof(r));
				r.cmdname = cmd;
				transact(&main_conn, msg, &r);
			}
			i++;
		} else if (!strcmp(cmd, "bad")) {
			transact(&main_conn, bad_add(&main_conn, arg), &r);
			i++;
		} else if (!strcmp(cmd, "get")) {
			struct nlattr *n;

			msg = new_msg(&main_conn, CAMFENCE_CMD_GET_DEVICE, 0);
			n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
			nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, arg);
			nla_nest_end(msg, n);
			transact(&main_conn, msg, &r);
			i++;
		} else if (!strcmp(cmd, "errstorm")) {
			char want[128], first[300] = "";
			long end, sent = 0, wrong = 0;

			if (i + 2 >= argc)
				die("errstorm NAME MS");
			snprintf(want, sizeof(want), "no device named %s", arg);
			end = now_ms() + atoi(argv[i + 2]);
			while (now_ms() < end) {
				struct reply er = { .cmdname = cmd };
				struct nlattr *n;

				msg = new_msg(&main_conn, CAMFENCE_CMD_GET_DEVICE,
					      0);
				n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
				nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, arg);
				nla_nest_end(msg, n);
				transact(&main_conn, msg, &er);
				sent++;
				if (er.error == -ENOENT && !strcmp(er.extack, want))
					continue;
				if (!wrong++)
					snprintf(first, sizeof(first),
						 "error %d: '%s'", er.error,
						 er.extack);
			}
			printf(" sent=%ld wrong=%ld%s%s", sent, wrong,
			       wrong ? " first=" : "", first);
			i += 2;
		} else if (!strcmp(cmd, "events")) {
			int want = atoi(arg), got;

			if (i + 2 >= argc)
				die("events N TIMEOUT_MS");
			if (subscribe(&main_conn) < 0)
				die("cannot join the events group");
			got = read_events(&main_conn, want, atoi(argv[i + 2]));
			printf("\nevents: count=%d", got);
			i += 2;
		} else if (!strcmp(cmd, "listen")) {
			FILE *f;

			if (subscribe(&main_conn) < 0)
				die("cannot join the events group");
			f = fopen(arg, "w");
			if (f)
				fclose(f);
			i++;
		} else if (!strcmp(cmd, "wait")) {
			long end;
			struct stat st;

			if (i + 2 >= argc)
				die("wait FILE TIMEOUT_MS");
			end = now_ms() + atoi(argv[i + 2]);
			while (stat(arg, &st) && now_ms() < end)
				usleep(20000);
			if (stat(arg, &st)) {
				r.error = -ETIMEDOUT;
				snprintf(r.extack, sizeof(r.extack),
					 "%s did not appear", arg);
			}
			i += 2;
		} else if (!strcmp(cmd, "inside")) {
			static const uint8_t ops[] = { CAMFENCE_CMD_GET_STATS,
						       CAMFENCE_CMD_BEGIN,
						       CAMFENCE_CMD_COMMIT };
			long end, g0, s0, g1, s1, rounds = 0, inside = 0;
			long bad = 0;
			bool seen = false;
			size_t k;

			if (i + 2 >= argc)
				die("inside DIR MS");
			end = now_ms() + atoi(argv[i + 2]);
			while (now_ms() < end) {
				g0 = read_gen(arg, "generation");
				s0 = read_gen(arg, "sysfs_generation");
				if (g0 > s0 && s0 >= 0) {
					seen = true;
				} else if (seen) {
					break; /* that commit ended */
				} else {
					usleep(1000);
					continue;
				}
				rounds++;
				for (k = 0; k < sizeof(ops); k++) {
					struct reply sr = { .cmdname = cmd };

					send_simple(&main_conn, ops[k], &sr);
					if (sr.error)
						bad++;
				}
				g1 = read_gen(arg, "generation");
				s1 = read_gen(arg, "sysfs_generation");
				if (g1 == g0 && s1 == s0)
					inside++;
			}
			printf(" rounds=%ld inside=%ld failed=%ld", rounds,
			       inside, bad);
			if (!seen) {
				r.error = -ETIMEDOUT;
				snprintf(r.extack, sizeof(r.extack),
					 "no commit in the kernel seen in %s",
					 arg);
			}
			i += 2;
		} else if (!strcmp(cmd, "touch")) {
			FILE *f = fopen(arg, "w");

			if (f)
				fclose(f);
			i++;
		} else if (!strcmp(cmd, "txnid")) {
			txn_mode = !strcmp(arg, "on") ? TXN_CUR :
				   !strcmp(arg, "prev") ? TXN_PREV : TXN_OFF;
			i++;
		} else if (!strcmp(cmd, "sleep")) {
			usleep(atoi(arg) * 1000);
			i++;
		} else {
			fprintf(stderr, "nltest: unknown command %s\n", cmd);
			return 2;
		}
		if (r.error) {
			failed = 1;
			report(&r);
			printf("\n");
		} else {
			printf(" ok\n");
		}
	}
	nl_socket_free(main_conn.sk);
	return failed;
}
