// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: sends malformed and random messages to the camfence generic
 * netlink family (issue 7, item 2) and reads every reply.
 *
 *   nlfuzz [-n COUNT] [-s SEED] [-S NSOCKETS] [-v]
 *
 * COUNT messages (default 100000) from a deterministic PRNG (SEED, printed;
 * default 1) over NSOCKETS sockets (default 4). Messages are batched: up to
 * 48 netlink messages in one datagram, each with NLM_F_ACK, then every
 * completion (ack, error or end of dump) is read before the next batch, so
 * the receive buffer never overflows. The mix (shares in CLASS_WEIGHT):
 * wrong attribute types/lengths, truncated attributes, oversized attributes,
 * nesting errors, huge counts, COMMIT/ABORT/ADD without BEGIN, interleaved
 * transactions across sockets (scripted, exact errnos), random command
 * numbers with random flags, random garbage, bad genl versions and lying
 * nlmsg_len values. At the end it prints, per class, the number of messages
 * and of each errno seen.
 *
 * WHY THE ACTIVE POLICY CANNOT CHANGE (by construction)
 * Only COMMIT (of a transaction the sending socket owns), FLUSH and SET_MODE
 * change the active policy; BEGIN, ADD and ABORT only touch the pending
 * transaction. Sockets with an even index are "owners" (they may BEGIN, ADD
 * and ABORT freely), sockets with an odd index are "bystanders" (they never
 * send an effective BEGIN, so they never own a transaction). Every message
 * goes through emit(), which refuses to send (and aborts nlfuzz) unless:
 *  - nlmsg_type is the camfence family id (garbage never reaches another
 *    family) and nlmsg_len matches the bytes sent for the message (so the
 *    kernel never parses the next bytes as a message of its own), except
 *    for the last message of a datagram whose nlmsg_len is below 16 or
 *    beyond the datagram (the kernel drops it without parsing it);
 *  - when the genl command is FLUSH or SET_MODE (from any socket), COMMIT
 *    from an owner or BEGIN from a bystander, the first attribute after the
 *    genl header is a complete CAMFENCE_A_GENERATION. These commands are
 *    validated strictly with the family policy, where
 *    CAMFENCE_A_GENERATION is NLA_REJECT: the genetlink core answers EINVAL
 *    from __nlmsg_parse() before any doit handler runs, whatever follows
 *    the attribute (a truncation never cuts into it: emit() checks the
 *    length). Version, flags and reserved bits do not matter: the core does
 *    not check the version, and a message without NLM_F_REQUEST or with
 *    NLM_F_DUMP never reaches a doit handler of these commands.
 * So no message can flush or set the mode, no owner can commit, and a
 * bystander cannot own a transaction: its COMMIT, ABORT and ADD reach the
 * handlers unguarded and fail with ENOENT or EBUSY (checked for the bare
 * ones); nothing else can own a transaction during the run (the test runs
 * no other client during the fuzzing). A socket's transaction dies with it
 * (URELEASE), and port ids are unique among live sockets. An owner's
 * transaction is only ever discarded (ABORT, failed ADD, socket closed).
 * As a second line, any success of COMMIT/FLUSH/SET_MODE or of a
 * bystander's BEGIN, any reply carrying COMMIT or FLUSH, a lost reply, a
 * scripted step with another errno than expected, or a generation/mode/
 * device count from GET_STATS that differs between start and end is a
 * failure: exit 1.
 *
 * -w FILE (for the test that a foreign change is noticed): after the
 * fuzzing, every socket is closed (so no transaction of this run is left)
 * and reopened, "# nlfuzz: fuzzing done, waiting for FILE" is printed, and
 * the final GET_STATS waits until FILE exists (at most 300 s, else exit 2).
 * Another client can then commit in a window that is certain, not raced.
 *
 * Exit: 0 pass, 1 failure (described on stderr), 2 usage or socket error.
 */

#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "camfence_uapi.h"

#define MAX_SOCKS	16
#define BATCH_MSGS	48
#define BATCH_BYTES	(160 * 1024)
#define SMALL_MSG	(6 * 1024)
#define HUGE_MSG	(128 * 1024)
#define REPLY_TIMEOUT_MS 20000
#define NERR		140	/* errno histogram slots; the last is "other" */
#define WANT_ANY	INT_MIN
#define WANT_TXN_ERR	(INT_MIN + 1)	/* -ENOENT or -EBUSY */

enum cls {
	C_WRONG, C_TRUNC, C_OVERSIZE, C_NEST, C_HUGE, C_NOBEGIN, C_INTERLEAVE,
	C_RANDCMD, C_GARBAGE, C_VERSION, C_NLLEN, C_TXN, C_STATS, NCLS
};

static const char *const cls_name[NCLS] = {
	[C_WRONG] = "wrong-type-len", [C_TRUNC] = "truncated",
	[C_OVERSIZE] = "oversized", [C_NEST] = "nesting",
	[C_HUGE] = "huge-counts", [C_NOBEGIN] = "no-begin",
	[C_INTERLEAVE] = "interleaved", [C_RANDCMD] = "random-cmd",
	[C_GARBAGE] = "garbage", [C_VERSION] = "bad-version",
	[C_NLLEN] = "bad-nlmsg_len", [C_TXN] = "begin-prelude",
	[C_STATS] = "get-stats",
};

/* Shares (per mille) of the classes picked for each message of a batch. */
static const int class_weight[NCLS] = {
	[C_WRONG] = 170, [C_TRUNC] = 120, [C_OVERSIZE] = 80, [C_NEST] = 110,
	[C_HUGE] = 25, [C_NOBEGIN] = 90, [C_INTERLEAVE] = 0,
	[C_RANDCMD] = 150, [C_GARBAGE] = 150, [C_VERSION] = 85,
	[C_NLLEN] = 20, [C_TXN] = 0, [C_STATS] = 0,
};

struct pend {
	uint32_t seq;
	uint8_t cls, cmd;
	bool danger;		/* would change the policy if it succeeded */
	bool expect;		/* a completion is expected */
	bool done;
	int want;		/* expected error, WANT_ANY or WANT_TXN_ERR */
};

struct sock {
	struct nl_sock *sk;
	bool owner;
};

struct fz {
	int family;
	int nsocks;
	struct sock socks[MAX_SOCKS];
	struct nl_cb *cb;
	uint64_t rng;
	uint32_t seq;
	long target, sent;
	/* the batch being built */
	int bsock;
	unsigned char *buf;
	size_t blen;
	struct pend p[BATCH_MSGS];
	int np;
	bool bclosed;		/* a lying nlmsg_len ended the datagram */
	/* results */
	long hist[NCLS][NERR];
	long msgs[NCLS];
	long replies, dumps_intr, strays, lost, mismatches, unexpected;
	int failures;
	/* GET_STATS capture */
	bool stats_mode;
	uint64_t generation;
	unsigned int mode, device_count, sealed;
};

static struct fz F;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("nlfuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

static void failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void failure(const char *fmt, ...)
{
	va_list ap;

	F.failures++;
	if (F.failures > 20)
		return;
	va_start(ap, fmt);
	fputs("nlfuzz: FAILURE: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* ---- PRNG: splitmix64, deterministic for a seed ---- */

static uint64_t rnd64(void)
{
	uint64_t z = (F.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

static bool chance(int percent)
{
	return (int)rnd(100) < percent;
}

static void rnd_bytes(unsigned char *p, size_t n)
{
	uint64_t r;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		r = rnd64();
		memcpy(p + i, &r, 8);
	}
	if (i < n) {
		r = rnd64();
		memcpy(p + i, &r, n - i);
	}
}

/* ---- sockets ---- */

static void sock_open(struct sock *s)
{
	int one = 1;

	s->sk = nl_socket_alloc();
	if (!s->sk || genl_connect(s->sk))
		die("cannot open a generic netlink socket");
	setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	/* acks carry the header only, not the (large) request */
	setsockopt(nl_socket_get_fd(s->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	nl_socket_set_buffer_size(s->sk, 1 << 20, 1 << 20);
	/* one recvmsg per datagram: no MSG_PEEK, a buffer for any dump skb */
	nl_socket_disable_msg_peek(s->sk);
	nl_socket_set_msg_buf_size(s->sk, 64 * 1024);
	nl_socket_disable_seq_check(s->sk);
	if (nl_socket_set_nonblocking(s->sk) < 0)
		die("cannot make the socket non-blocking");
}

/* ---- replies ---- */

static struct pend *find_pend(uint32_t seq)
{
	int i;

	for (i = 0; i < F.np; i++)
		if (F.p[i].seq == seq)
			return &F.p[i];
	return NULL;
}

static void complete(uint32_t seq, int err)
{
	struct pend *p = find_pend(seq);
	int e = -err;

	if (!p || !p->expect || p->done) {
		F.strays++;
		return;
	}
	p->done = true;
	F.hist[p->cls][e >= 0 && e < NERR - 1 ? e : NERR - 1]++;
	if (p->danger && !err) {
		F.unexpected++;
		failure("command %u (class %s, seq %u) succeeded: it could have changed the active policy",
			p->cmd, cls_name[p->cls], seq);
	}
	if (p->want == WANT_ANY)
		return;
	if (p->want == WANT_TXN_ERR ? (err != -ENOENT && err != -EBUSY) :
	    err != p->want) {
		F.mismatches++;
		failure("command %u (class %s, seq %u): error %d, expected %s%d",
			p->cmd, cls_name[p->cls], seq, err,
			p->want == WANT_TXN_ERR ? "ENOENT/EBUSY " : "",
			p->want == WANT_TXN_ERR ? 0 : p->want);
	}
}

static int on_error(struct sockaddr_nl *sa, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);

	complete(nlh->nlmsg_seq, e->error);
	return NL_SKIP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	complete(nlmsg_hdr(msg)->nlmsg_seq, 0);
	return NL_OK;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
	complete(nlh->nlmsg_seq, err);
	return NL_OK;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	F.dumps_intr++;
	return NL_OK;
}

static int on_seq(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g;
	struct nlattr *a;
	int rem;

	F.replies++;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return NL_OK;
	g = nlmsg_data(nlh);
	if (g->cmd == CAMFENCE_CMD_COMMIT || g->cmd == CAMFENCE_CMD_FLUSH) {
		F.unexpected++;
		failure("a %s reply arrived (seq %u): a commit happened",
			g->cmd == CAMFENCE_CMD_COMMIT ? "COMMIT" : "FLUSH",
			nlh->nlmsg_seq);
	}
	if (!F.stats_mode || g->cmd != CAMFENCE_CMD_GET_STATS)
		return NL_OK;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0),
			  rem) {
		switch (nla_type(a)) {
		case CAMFENCE_A_GENERATION:
			F.generation = nla_get_u64(a);
			break;
		case CAMFENCE_A_MODE:
			F.mode = nla_get_u8(a);
			break;
		case CAMFENCE_A_DEVICE_COUNT:
			F.device_count = nla_get_u32(a);
			break;
		case CAMFENCE_A_SEALED:
			F.sealed = nla_get_u8(a);
			break;
		}
	}
	return NL_OK;
}

static int outstanding(void)
{
	int i, n = 0;

	for (i = 0; i < F.np; i++)
		n += F.p[i].expect && !F.p[i].done;
	return n;
}

/* Sends the batch as one datagram and reads every completion. */
static void flush(void)
{
	struct nl_sock *sk = F.socks[F.bsock].sk;
	struct pollfd pfd = { .fd = nl_socket_get_fd(sk), .events = POLLIN };
	int err, left;

	if (!F.np)
		return;
	err = nl_sendto(sk, F.buf, F.blen);
	if (err < 0)
		die("send of %zu bytes (%d messages): %s", F.blen, F.np,
		    nl_geterror(err));
	while ((left = outstanding()) > 0) {
		err = nl_recvmsgs_report(sk, F.cb);
		if (err < 0 && err != -NLE_AGAIN)
			die("receive: %s (%d replies outstanding)",
			    nl_geterror(err), left);
		if (err > 0)
			continue;
		/* nothing to read: wait */
		if (poll(&pfd, 1, REPLY_TIMEOUT_MS) <= 0) {
			F.lost += left;
			failure("%d of %d messages got no reply within %d ms (socket %d)",
				left, F.np, REPLY_TIMEOUT_MS, F.bsock);
			break;
		}
	}
	/* a message that expects no reply: read what may have come anyway */
	while (nl_recvmsgs_report(sk, F.cb) > 0)
		;
	F.np = 0;
	F.blen = 0;
	F.bclosed = false;
}

static void batch_start(int s)
{
	flush();
	F.bsock = s;
}

/* ---- building and emitting messages ---- */

/* Commands that carry the guard attribute (see the top comment). */
static bool dangerous(uint8_t cmd, bool owner)
{
	return cmd == CAMFENCE_CMD_FLUSH || cmd == CAMFENCE_CMD_SET_MODE ||
	       (cmd == CAMFENCE_CMD_COMMIT && owner) ||
	       (cmd == CAMFENCE_CMD_BEGIN && !owner);
}

/* Commands whose success would change the policy or break the roles. */
static bool mutating(uint8_t cmd, bool owner)
{
	return cmd == CAMFENCE_CMD_FLUSH || cmd == CAMFENCE_CMD_SET_MODE ||
	       cmd == CAMFENCE_CMD_COMMIT ||
	       (cmd == CAMFENCE_CMD_BEGIN && !owner);
}

static bool owner(void)
{
	return F.socks[F.bsock].owner;
}

/* The guard: a complete NLA_REJECT attribute first (see the top comment). */
static void put_guard(struct nl_msg *msg)
{
	nla_put_u64(msg, CAMFENCE_A_GENERATION, 0);
}

static struct nl_msg *mk_full(uint8_t cmd, int flags, uint8_t version,
			      size_t size)
{
	struct nl_msg *msg = nlmsg_alloc_size(size);

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, ++F.seq, F.family, 0,
				 flags, cmd, version))
		die("cannot build a message");
	if (dangerous(cmd, owner()))
		put_guard(msg);
	return msg;
}

static struct nl_msg *mk(uint8_t cmd)
{
	return mk_full(cmd, NLM_F_REQUEST | NLM_F_ACK, CAMFENCE_GENL_VERSION,
		       SMALL_MSG);
}

static bool guard_present(const struct nlmsghdr *nlh, size_t len)
{
	const struct nlattr *a = (const void *)((const char *)nlh +
						NLMSG_HDRLEN + GENL_HDRLEN);

	return len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + 8 &&
	       nlh->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN + NLA_HDRLEN + 8 &&
	       a->nla_len == NLA_HDRLEN + 8 &&
	       a->nla_type == CAMFENCE_A_GENERATION;
}

/*
 * Appends msg (freed) to the batch. wire_len: the bytes sent for it (its
 * nlmsg_len, or for a lying message what it really holds).
 */
static void emit_len(struct nl_msg *msg, int cls, int want, size_t wire_len,
		     bool lying)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	const struct genlmsghdr *g = nlmsg_data(nlh);
	size_t alen = NLMSG_ALIGN(wire_len);
	struct pend *p;
	uint8_t cmd;

	if (F.bclosed || F.np == BATCH_MSGS || F.blen + alen > BATCH_BYTES)
		batch_start(F.bsock);
	/* the safety checks of the top comment */
	if (nlh->nlmsg_type != F.family)
		die("BUG: message type %u is not the family", nlh->nlmsg_type);
	if (wire_len < NLMSG_HDRLEN + GENL_HDRLEN)
		die("BUG: message of %zu bytes", wire_len);
	if (lying ? !(nlh->nlmsg_len < NLMSG_HDRLEN ||
		      nlh->nlmsg_len > alen) : nlh->nlmsg_len != wire_len)
		die("BUG: nlmsg_len %u for %zu bytes", nlh->nlmsg_len,
		    wire_len);
	cmd = g->cmd;
	if (dangerous(cmd, owner()) && !lying &&
	    !guard_present(nlh, wire_len))
		die("BUG: command %u without its guard attribute", cmd);

	memcpy(F.buf + F.blen, nlh, wire_len);
	memset(F.buf + F.blen + wire_len, 0, alen - wire_len);
	F.blen += alen;
	p = &F.p[F.np++];
	*p = (struct pend){
		.seq = nlh->nlmsg_seq, .cls = cls, .cmd = cmd,
		.danger = mutating(cmd, owner()) &&
			  (nlh->nlmsg_flags & NLM_F_REQUEST),
		.expect = !lying, .want = want,
	};
	F.msgs[cls]++;
	F.sent++;
	if (lying)
		F.bclosed = true;
	nlmsg_free(msg);
}

static void emit(struct nl_msg *msg, int cls, int want)
{
	emit_len(msg, cls, want, nlmsg_hdr(msg)->nlmsg_len, false);
}

/* A BEGIN before a mutated ADD, so that the ADD reaches the parsers. */
static void maybe_begin(void)
{
	if (owner() && chance(85))
		emit(mk(CAMFENCE_CMD_BEGIN), C_TXN, WANT_ANY);
}

/* ---- attribute tables ---- */

enum lvl { L_TOP, L_ZONE, L_PROFILE, L_RULE, L_DEVICE, NLVL };
enum kind { K_U8, K_U16, K_NAME, K_IFNAME, K_ADDR, K_MAC, K_PORTS, K_NEST,
	    K_RO };

struct adesc {
	uint16_t type;
	uint8_t kind;
	uint8_t sub;		/* K_NEST: the level inside */
};

static const struct adesc top_attrs[] = {
	{ CAMFENCE_A_MODE, K_U8, 0 }, { CAMFENCE_A_ZONE, K_NEST, L_ZONE },
	{ CAMFENCE_A_PROFILE, K_NEST, L_PROFILE },
	{ CAMFENCE_A_DEVICE, K_NEST, L_DEVICE },
	{ CAMFENCE_A_PAD, K_RO, 0 }, { CAMFENCE_A_STATS, K_RO, 0 },
	{ CAMFENCE_A_UNKNOWN, K_RO, 0 }, { CAMFENCE_A_EVENT, K_RO, 0 },
	{ CAMFENCE_A_COMMIT_ADDED, K_RO, 0 },
	{ CAMFENCE_A_DEVICE_COUNT, K_RO, 0 }, { CAMFENCE_A_SEALED, K_RO, 0 },
	{ CAMFENCE_A_MODULE_VERSION, K_RO, 0 },
};

static const struct adesc zone_attrs[] = {
	{ CAMFENCE_ZONE_A_NAME, K_NAME, 0 }, { CAMFENCE_ZONE_A_VLAN, K_U16, 0 },
	{ CAMFENCE_ZONE_A_IFNAME, K_IFNAME, 0 },
	{ CAMFENCE_ZONE_A_UNKNOWN, K_U8, 0 },
};

static const struct adesc profile_attrs[] = {
	{ CAMFENCE_PROFILE_A_NAME, K_NAME, 0 },
	{ CAMFENCE_PROFILE_A_RULE, K_NEST, L_RULE },
};

static const struct adesc rule_attrs[] = {
	{ CAMFENCE_RULE_A_DIR, K_U8, 0 }, { CAMFENCE_RULE_A_PEER, K_ADDR, 0 },
	{ CAMFENCE_RULE_A_PREFIXLEN, K_U8, 0 },
	{ CAMFENCE_RULE_A_PROTO, K_U8, 0 }, { CAMFENCE_RULE_A_PORTS, K_PORTS, 0 },
};

static const struct adesc device_attrs[] = {
	{ CAMFENCE_DEVICE_A_NAME, K_NAME, 0 }, { CAMFENCE_DEVICE_A_MAC, K_MAC, 0 },
	{ CAMFENCE_DEVICE_A_ADDR, K_ADDR, 0 },
	{ CAMFENCE_DEVICE_A_PROFILE, K_NAME, 0 },
	{ CAMFENCE_DEVICE_A_MODE, K_U8, 0 },
	{ CAMFENCE_DEVICE_A_EFFECTIVE_MODE, K_RO, 0 },
	{ CAMFENCE_DEVICE_A_STATS, K_RO, 0 },
	{ CAMFENCE_DEVICE_A_LAST_SEEN, K_RO, 0 },
	{ CAMFENCE_DEVICE_A_EVIDENCE, K_RO, 0 },
};

static const struct {
	const struct adesc *a;
	int n;
	int max;
} levels[NLVL] = {
	[L_TOP] = { top_attrs, 12, CAMFENCE_A_MAX },
	[L_ZONE] = { zone_attrs, 4, CAMFENCE_ZONE_A_MAX },
	[L_PROFILE] = { profile_attrs, 2, CAMFENCE_PROFILE_A_MAX },
	[L_RULE] = { rule_attrs, 5, CAMFENCE_RULE_A_MAX },
	[L_DEVICE] = { device_attrs, 9, CAMFENCE_DEVICE_A_MAX },
};

static const struct adesc *pick_attr(int lvl)
{
	return &levels[lvl].a[rnd(levels[lvl].n)];
}

static void put_name(struct nl_msg *msg, int type, char prefix)
{
	char name[16];

	snprintf(name, sizeof(name), "%c%u", prefix, rnd(8));
	nla_put_string(msg, type, name);
}

static void put_mac(struct nl_msg *msg, int type, unsigned int i)
{
	unsigned char mac[6] = { 0x02, 0xfa, 0, 0, (unsigned char)(i >> 8),
				 (unsigned char)i };

	nla_put(msg, type, 6, mac);
}

static void put_addr(struct nl_msg *msg, int type)
{
	unsigned char a[16];

	rnd_bytes(a, sizeof(a));
	nla_put(msg, type, chance(70) ? 4 : 16, a);
}

static void put_ports(struct nl_msg *msg, bool reversed)
{
	struct camfence_port_range pr;

	pr.lo = (uint16_t)rnd(65536);
	pr.hi = (uint16_t)(pr.lo + rnd(65536 - pr.lo));
	if (reversed && pr.lo != pr.hi) {
		uint16_t t = pr.lo;

		pr.lo = pr.hi;
		pr.hi = t;
	}
	nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(pr), &pr);
}

static void put_obj(struct nl_msg *msg, int lvl, int bad_depth);

/* One attribute of the level with a valid payload. */
static void put_valid(struct nl_msg *msg, int lvl, const struct adesc *d)
{
	static const uint8_t protos[] = { 0, 1, 6, 17, 58 };

	switch (d->kind) {
	case K_U8:
		if (lvl == L_RULE && d->type == CAMFENCE_RULE_A_DIR)
			nla_put_u8(msg, d->type, 1 + rnd(2));
		else if (lvl == L_RULE && d->type == CAMFENCE_RULE_A_PROTO)
			nla_put_u8(msg, d->type, protos[rnd(5)]);
		else if (lvl == L_RULE)
			nla_put_u8(msg, d->type, rnd(33));
		else if (lvl == L_TOP)
			nla_put_u8(msg, d->type, 1 + rnd(2));
		else
			nla_put_u8(msg, d->type, rnd(3));
		break;
	case K_U16:
		nla_put_u16(msg, d->type, 1 + rnd(4094));
		break;
	case K_NAME:
		put_name(msg, d->type, lvl == L_ZONE ? 'z' :
			 lvl == L_DEVICE && d->type == CAMFENCE_DEVICE_A_NAME ?
			 'd' : 'p');
		break;
	case K_IFNAME:
		nla_put_string(msg, d->type, chance(50) ? "eth0" : "cfz9");
		break;
	case K_ADDR:
		put_addr(msg, d->type);
		break;
	case K_MAC:
		put_mac(msg, d->type, rnd(65536));
		break;
	case K_PORTS:
		put_ports(msg, false);
		break;
	case K_NEST:
		put_obj(msg, d->sub, -1);
		break;
	case K_RO:
		nla_put_u8(msg, d->type, 1);
		break;
	}
}

/* One attribute of the level with a wrong type, length or value. */
static void put_wrong(struct nl_msg *msg, int lvl, const struct adesc *d)
{
	unsigned char blob[64];
	size_t len;

	rnd_bytes(blob, sizeof(blob));
	switch (rnd(4)) {
	case 0:	/* a length that does not fit the type */
		switch (d->kind) {
		case K_U8:
			len = 2 + rnd(8);
			break;
		case K_U16:
			len = chance(50) ? 1 : 3 + rnd(6);
			break;
		case K_MAC:
			len = chance(50) ? rnd(6) : 7 + rnd(10);
			break;
		case K_ADDR:
			len = rnd(21);
			if (len == 4 || len == 16)
				len++;
			break;
		case K_PORTS:
			len = chance(50) ? rnd(4) : 5 + rnd(8);
			break;
		default:
			len = rnd(3);	/* names, nests: 0-2 bytes */
			break;
		}
		nla_put(msg, d->type, len, blob);
		break;
	case 1:	/* out-of-range values */
		switch (d->kind) {
		case K_U8:
			nla_put_u8(msg, d->type, chance(30) ? 0 : 3 + rnd(253));
			break;
		case K_U16:
			nla_put_u16(msg, d->type, chance(30) ? 0 : 4095 + rnd(61441));
			break;
		case K_MAC:
			blob[0] |= 1;	/* multicast */
			nla_put(msg, d->type, 6, blob);
			break;
		case K_PORTS:
			put_ports(msg, true);
			break;
		case K_NAME:
			nla_put_string(msg, d->type, chance(50) ? "a/b" :
				       chance(50) ? ".." : "");
			break;
		default:
			nla_put(msg, d->type, 4, blob);
			break;
		}
		break;
	case 2:	/* a string without its NUL, or a type beyond the maximum */
		if (d->kind == K_NAME || d->kind == K_IFNAME) {
			nla_put(msg, d->type, 1 + rnd(8), "abcdefgh");
		} else {
			len = rnd(9);
			nla_put(msg, chance(20) ? 0 : levels[lvl].max + 1 + rnd(40),
				len, blob);
		}
		break;
	default: /* the payload of another attribute of the level */
		put_valid(msg, lvl, &(struct adesc){ d->type,
			  pick_attr(lvl)->kind, d->sub ? d->sub : L_RULE });
		break;
	}
}

/*
 * A nest of level lvl with its mandatory attributes and some optional ones.
 * bad_depth: -1 all valid; 0 one attribute of this level is wrong; > 0 the
 * wrong attribute is in a nested object that much deeper (when possible).
 */
static void put_obj(struct nl_msg *msg, int lvl, int bad_depth)
{
	static const uint16_t nest_type[NLVL] = {
		0, CAMFENCE_A_ZONE, CAMFENCE_A_PROFILE, CAMFENCE_PROFILE_A_RULE,
		CAMFENCE_A_DEVICE };
	struct nlattr *n = NULL;
	int i, extra, bad_at;

	/* levels without nested objects: the wrong attribute is here */
	if (bad_depth > 0 && lvl != L_TOP && lvl != L_PROFILE)
		bad_depth = 0;
	if (lvl != L_TOP)
		n = nla_nest_start(msg, nest_type[lvl]);
	extra = rnd(4);
	bad_at = bad_depth == 0 ? (int)rnd(extra + 3) : -1;
	for (i = 0; i < extra + 3; i++) {
		const struct adesc *d;

		if (i == bad_at) {
			put_wrong(msg, lvl, pick_attr(lvl));
			continue;
		}
		switch (lvl) {
		case L_ZONE:
			d = i == 0 ? &zone_attrs[0] : &zone_attrs[1 + rnd(3)];
			break;
		case L_PROFILE:
			d = i == 0 ? &profile_attrs[0] : &profile_attrs[1];
			if (i == 1 && bad_depth > 0) {
				put_obj(msg, L_RULE, bad_depth - 1);
				continue;
			}
			break;
		case L_RULE:
			d = i == 0 ? &rule_attrs[0] : i == 1 ? &rule_attrs[3] :
			    &rule_attrs[rnd(5)];
			if (i > 2 && d->type != CAMFENCE_RULE_A_PORTS)
				continue;
			break;
		case L_DEVICE:
			d = &device_attrs[i < 3 ? i == 2 ? 3 : i : 2];
			break;
		default:
			d = &top_attrs[1 + rnd(3)];
			if (bad_depth > 0 && i == 0) {
				put_obj(msg, d->sub, bad_depth - 1);
				continue;
			}
			break;
		}
		put_valid(msg, lvl, d);
	}
	if (n)
		nla_nest_end(msg, n);
}

/* ---- the classes ---- */

static uint8_t any_cmd(void)
{
	return 1 + rnd(CAMFENCE_CMD_FLUSH);
}

static void gen_wrong(void)
{
	struct nl_msg *msg;
	uint8_t cmd = chance(65) ? CAMFENCE_CMD_ADD : any_cmd();
	int lvl;

	if (cmd == CAMFENCE_CMD_ADD) {
		maybe_begin();
		msg = mk(cmd);
		put_obj(msg, L_TOP, rnd(4));
	} else if (cmd == CAMFENCE_CMD_GET_DEVICE && chance(70)) {
		msg = mk(cmd);
		put_obj(msg, L_DEVICE, 0);
	} else {
		msg = mk(cmd);
		lvl = L_TOP;
		put_wrong(msg, lvl, pick_attr(lvl));
	}
	emit(msg, C_WRONG, WANT_ANY);
}

/* Pointers to every attribute of a message (nested ones too). */
static int collect(struct nlattr *head, int len, struct nlattr **out, int n,
		   int max, int depth)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, head, len, rem) {
		if (n == max)
			break;
		out[n++] = a;
		if ((a->nla_type & NLA_F_NESTED) && depth < 8)
			n = collect(nla_data(a), nla_len(a), out, n, max,
				    depth + 1);
	}
	return n;
}

static void gen_trunc(void)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct nlattr *attrs[256];
	uint8_t cmd = chance(70) ? CAMFENCE_CMD_ADD : any_cmd();
	size_t min, len;
	int n, first;

	if (cmd == CAMFENCE_CMD_ADD)
		maybe_begin();
	msg = mk(cmd);
	if (cmd == CAMFENCE_CMD_ADD || chance(50))
		put_obj(msg, L_TOP, -1);
	else
		put_obj(msg, L_DEVICE, -1);
	nlh = nlmsg_hdr(msg);
	first = dangerous(cmd, owner()) ? 1 : 0;
	min = NLMSG_HDRLEN + GENL_HDRLEN + first * (NLA_HDRLEN + 8);
	if (chance(50) && nlh->nlmsg_len > min + 1) {
		/* cut inside the attributes: the last one runs past the end */
		len = min + 1 + rnd(nlh->nlmsg_len - min - 1);
		nlh->nlmsg_len = len;
	} else {
		/* an attribute (maybe nested) claims more than there is */
		n = collect(genlmsg_attrdata(nlmsg_data(nlh), 0),
			    genlmsg_attrlen(nlmsg_data(nlh), 0), attrs, 0,
			    256, 0);
		if (n > first) {
			struct nlattr *a = attrs[first + rnd(n - first)];
			unsigned int l = a->nla_len + 1 + rnd(2000);

			a->nla_len = l > 65535 ? 65535 : l;
		}
	}
	emit(msg, C_TRUNC, WANT_ANY);
}

static void gen_oversize(void)
{
	static const uint16_t name_types[][2] = {
		{ CAMFENCE_A_ZONE, CAMFENCE_ZONE_A_NAME },
		{ CAMFENCE_A_ZONE, CAMFENCE_ZONE_A_IFNAME },
		{ CAMFENCE_A_PROFILE, CAMFENCE_PROFILE_A_NAME },
		{ CAMFENCE_A_DEVICE, CAMFENCE_DEVICE_A_NAME },
		{ CAMFENCE_A_DEVICE, CAMFENCE_DEVICE_A_PROFILE },
	};
	static const uint16_t blob_types[][2] = {
		{ CAMFENCE_A_DEVICE, CAMFENCE_DEVICE_A_MAC },
		{ CAMFENCE_A_DEVICE, CAMFENCE_DEVICE_A_ADDR },
		{ CAMFENCE_A_ZONE, CAMFENCE_ZONE_A_VLAN },
		{ CAMFENCE_A_DEVICE, 0 },		/* UNSPEC */
		{ CAMFENCE_A_DEVICE, CAMFENCE_DEVICE_A_MAX + 1 },
	};
	static unsigned char blob[4096];
	char name[256];
	struct nl_msg *msg;
	struct nlattr *n;
	uint8_t cmd = chance(75) ? CAMFENCE_CMD_ADD :
		      chance(50) ? CAMFENCE_CMD_GET_DEVICE : any_cmd();
	size_t len;
	int i;

	if (cmd == CAMFENCE_CMD_ADD)
		maybe_begin();
	msg = mk(cmd);
	len = 33 + rnd(200);		/* 33..232 characters */
	memset(name, 'a' + rnd(26), len);
	name[len] = 0;
	switch (rnd(4)) {
	case 0:
	case 1:
		i = rnd(5);
		n = nla_nest_start(msg, name_types[i][0]);
		if (name_types[i][1] != 1)
			put_name(msg, 1, 'x');
		nla_put_string(msg, name_types[i][1], name);
		nla_nest_end(msg, n);
		break;
	case 2:
		len = 7 + rnd(sizeof(blob) - 7);
		rnd_bytes(blob, len);
		i = rnd(5);
		n = nla_nest_start(msg, blob_types[i][0]);
		put_name(msg, 1, 'x');
		nla_put(msg, blob_types[i][1], len, blob);
		nla_nest_end(msg, n);
		break;
	default:
		/* a top-level blob: MODE, a read-only attribute, or a rule */
		len = 17 + rnd(sizeof(blob) - 17);
		rnd_bytes(blob, len);
		if (chance(50)) {
			nla_put(msg, chance(50) ? CAMFENCE_A_MODE :
				CAMFENCE_A_MODULE_VERSION, len, blob);
		} else {
			struct nlattr *r;

			n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
			put_name(msg, CAMFENCE_PROFILE_A_NAME, 'p');
			r = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
			nla_put_u8(msg, CAMFENCE_RULE_A_DIR, 1);
			nla_put(msg, chance(50) ? CAMFENCE_RULE_A_PEER :
				CAMFENCE_RULE_A_PORTS, len, blob);
			nla_nest_end(msg, r);
			nla_nest_end(msg, n);
		}
		break;
	}
	emit(msg, C_OVERSIZE, WANT_ANY);
}

static void gen_nest(void)
{
	struct nl_msg *msg;
	struct nlattr *n, *stack[12];
	uint8_t cmd = chance(75) ? CAMFENCE_CMD_ADD :
		      chance(60) ? CAMFENCE_CMD_GET_DEVICE : any_cmd();
	int i, depth;

	if (cmd == CAMFENCE_CMD_ADD)
		maybe_begin();
	msg = mk(cmd);
	switch (rnd(6)) {
	case 0:	/* a nest attribute without NLA_F_NESTED */
		n = nla_nest_start(msg, top_attrs[1 + rnd(3)].type);
		n->nla_type &= ~NLA_F_NESTED;
		if (chance(50))
			put_name(msg, 1, 'n');
		else
			nla_put_u8(msg, 3, 1);
		nla_nest_end(msg, n);
		break;
	case 1:	/* a scalar with NLA_F_NESTED, or a nest holding a scalar */
		if (chance(50)) {
			n = nla_nest_start(msg, CAMFENCE_A_MODE);
			nla_put_u8(msg, 1, 1);
			nla_nest_end(msg, n);
		} else {
			n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
			nla_put_u32(msg, CAMFENCE_DEVICE_A_MAC | NLA_F_NESTED,
				    rnd64());
			nla_nest_end(msg, n);
		}
		break;
	case 2:	/* nests 10 deep */
		depth = 10;
		stack[0] = nla_nest_start(msg, top_attrs[1 + rnd(3)].type);
		for (i = 1; i < depth; i++) {
			if (chance(30))
				put_name(msg, 1, 'd');
			stack[i] = nla_nest_start(msg, chance(50) ?
						  CAMFENCE_PROFILE_A_RULE :
						  1 + rnd(10));
		}
		nla_put_u8(msg, 1, 1);
		for (i = depth - 1; i >= 0; i--)
			nla_nest_end(msg, stack[i]);
		break;
	case 3:	/* empty nests */
		n = nla_nest_start(msg, top_attrs[1 + rnd(3)].type);
		if (chance(50)) {
			struct nlattr *r;

			put_name(msg, 1, 'e');
			r = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
			nla_nest_end_keep_empty(msg, r);
		}
		nla_nest_end_keep_empty(msg, n);
		break;
	case 4:	/* a nest with bytes that are not an attribute inside */
		n = nla_nest_start(msg, top_attrs[1 + rnd(3)].type);
		put_name(msg, 1, 'j');
		rnd_bytes(nlmsg_reserve(msg, 1 + rnd(3), 1), 1);
		nla_nest_end(msg, n);
		break;
	default: /* a rule nest at the top, a device nest in a profile */
		n = nla_nest_start(msg, chance(50) ? CAMFENCE_A_PROFILE :
				   CAMFENCE_A_ZONE);
		put_name(msg, 1, 'w');
		put_obj(msg, chance(50) ? L_DEVICE : L_ZONE, -1);
		nla_nest_end(msg, n);
		break;
	}
	emit(msg, C_NEST, WANT_ANY);
}

static void gen_huge(void)
{
	struct nl_msg *msg;
	struct nlattr *n, *r;
	unsigned int i, j, count;
	unsigned char a[16];
	bool vlans;

	maybe_begin();
	msg = mk_full(CAMFENCE_CMD_ADD, NLM_F_REQUEST | NLM_F_ACK,
		      CAMFENCE_GENL_VERSION, HUGE_MSG);
	switch (rnd(6)) {
	case 0:	/* a profile over max_rules (64), or under with 32 ports */
		count = chance(70) ? 65 + rnd(1400) : 1 + rnd(64);
		n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
		put_name(msg, CAMFENCE_PROFILE_A_NAME, 'h');
		for (i = 0; i < count; i++) {
			r = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
			nla_put_u8(msg, CAMFENCE_RULE_A_DIR, 1 + rnd(2));
			nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 17);
			for (j = 0; j < (count <= 64 ? 32u : 1u); j++)
				put_ports(msg, false);
			nla_nest_end(msg, r);
		}
		nla_nest_end(msg, n);
		break;
	case 1:	/* a rule with thousands of port ranges, some reversed */
		count = 33 + rnd(3000);
		n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
		put_name(msg, CAMFENCE_PROFILE_A_NAME, 'h');
		r = nla_nest_start(msg, CAMFENCE_PROFILE_A_RULE);
		nla_put_u8(msg, CAMFENCE_RULE_A_DIR, 1);
		nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 6);
		for (i = 0; i < count; i++)
			put_ports(msg, chance(10));
		nla_nest_end(msg, r);
		nla_nest_end(msg, n);
		break;
	case 2:	/* a device with thousands of addresses */
		count = 17 + rnd(2500);
		n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
		put_name(msg, CAMFENCE_DEVICE_A_NAME, 'd');
		put_mac(msg, CAMFENCE_DEVICE_A_MAC, rnd(65536));
		put_name(msg, CAMFENCE_DEVICE_A_PROFILE, 'p');
		for (i = 0; i < count; i++) {
			rnd_bytes(a, sizeof(a));
			nla_put(msg, CAMFENCE_DEVICE_A_ADDR, 4, a);
		}
		nla_nest_end(msg, n);
		break;
	case 3:	/* a zone with thousands of VLANs or interfaces */
		vlans = chance(50);
		count = vlans ? 65 + rnd(4000) : 17 + rnd(1000);
		n = nla_nest_start(msg, CAMFENCE_A_ZONE);
		put_name(msg, CAMFENCE_ZONE_A_NAME, 'z');
		for (i = 0; i < count; i++) {
			if (vlans)
				nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN,
					    1 + i % 4094);
			else
				nla_put_string(msg, CAMFENCE_ZONE_A_IFNAME,
					       "cfhuge0");
		}
		nla_nest_end(msg, n);
		break;
	case 4:	/* hundreds of devices in one ADD (profile first or not) */
		count = 100 + rnd(700);
		if (chance(50)) {
			n = nla_nest_start(msg, CAMFENCE_A_PROFILE);
			nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, "hp");
			nla_nest_end(msg, n);
		}
		for (i = 0; i < count; i++) {
			char name[16];

			snprintf(name, sizeof(name), "h%u", i);
			n = nla_nest_start(msg, CAMFENCE_A_DEVICE);
			nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, name);
			put_mac(msg, CAMFENCE_DEVICE_A_MAC,
				chance(2) ? 7 : i);
			nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "hp");
			nla_nest_end(msg, n);
		}
		break;
	default: /* thousands of zones/profiles, duplicate names */
		count = 200 + rnd(1500);
		for (i = 0; i < count; i++) {
			n = nla_nest_start(msg, chance(50) ? CAMFENCE_A_ZONE :
					   CAMFENCE_A_PROFILE);
			put_name(msg, 1, 'm');
			nla_nest_end(msg, n);
		}
		break;
	}
	emit(msg, C_HUGE, WANT_ANY);
}

/* Bare COMMIT/ABORT/ADD from a socket that did not BEGIN. */
static void gen_nobegin(void)
{
	static const uint8_t cmds[] = { CAMFENCE_CMD_COMMIT,
		CAMFENCE_CMD_ABORT, CAMFENCE_CMD_ADD };
	uint8_t cmd = cmds[rnd(3)];
	struct nl_msg *msg;

	if (owner()) {
		/* an owner may hold a transaction: ABORT/ADD, any result */
		msg = mk(cmd == CAMFENCE_CMD_COMMIT ? CAMFENCE_CMD_ABORT : cmd);
		if (cmd == CAMFENCE_CMD_ADD)
			put_obj(msg, L_TOP, -1);
		emit(msg, C_NOBEGIN, WANT_ANY);
		return;
	}
	/* a bystander never owns the transaction: ENOENT or EBUSY */
	msg = mk(cmd);
	if (cmd == CAMFENCE_CMD_ADD)
		put_obj(msg, L_TOP, chance(50) ? -1 : (int)rnd(3));
	emit(msg, C_NOBEGIN, cmd == CAMFENCE_CMD_ADD ? WANT_ANY : WANT_TXN_ERR);
}

static void gen_randcmd(void)
{
	static const int extra[] = { NLM_F_ECHO, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REPLACE,
		NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_DUMP_INTR,
		NLM_F_DUMP_FILTERED, 0x1000, 0x8000 };
	uint8_t cmd = chance(50) ? rnd(256) : rnd(CAMFENCE_CMD_EVENT + 2);
	int flags = NLM_F_ACK | (chance(90) ? NLM_F_REQUEST : 0);
	struct nl_msg *msg;
	int i, k = rnd(4);

	for (i = 0; i < k; i++)
		flags |= extra[rnd(sizeof(extra) / sizeof(extra[0]))];
	if (cmd == CAMFENCE_CMD_ADD)
		maybe_begin();
	msg = mk_full(cmd, flags, CAMFENCE_GENL_VERSION, SMALL_MSG);
	k = rnd(4);
	for (i = 0; i < k; i++) {
		const struct adesc *d = &top_attrs[rnd(4)];

		if (d->type == CAMFENCE_A_DEVICE && chance(50)) {
			struct nlattr *n = nla_nest_start(msg, d->type);

			nla_put_string(msg, CAMFENCE_DEVICE_A_NAME,
				       chance(50) ? "lobby-1" : "d1");
			nla_nest_end(msg, n);
		} else {
			put_valid(msg, L_TOP, d);
		}
	}
	emit(msg, C_RANDCMD, WANT_ANY);
}

static void gen_garbage(void)
{
	static unsigned char junk[2048];
	struct genlmsghdr g;
	struct nl_msg *msg;
	size_t len = chance(70) ? rnd(64) : rnd(sizeof(junk));
	int flags = NLM_F_REQUEST | NLM_F_ACK;

	g.cmd = chance(60) ? rnd(CAMFENCE_CMD_EVENT + 2) : rnd(256);
	g.version = rnd(256);
	g.reserved = chance(80) ? 0 : rnd(65536);
	msg = nlmsg_alloc_size(SMALL_MSG);
	if (!msg || !nlmsg_put(msg, NL_AUTO_PORT, ++F.seq, F.family, 0, flags)
	    || nlmsg_append(msg, &g, sizeof(g), NLMSG_ALIGNTO))
		die("cannot build a message");
	if (dangerous(g.cmd, owner()))
		put_guard(msg);
	if (chance(50)) {
		rnd_bytes(junk, len);
		nlmsg_append(msg, junk, len, chance(50) ? NLMSG_ALIGNTO : 0);
	} else {
		/* attribute-shaped garbage: random types, lengths, flags */
		int i, k = 1 + rnd(6);

		for (i = 0; i < k; i++) {
			struct nlattr *a;
			size_t l = rnd(40);

			a = nlmsg_reserve(msg, NLA_HDRLEN + l, NLMSG_ALIGNTO);
			if (!a)
				break;
			rnd_bytes((unsigned char *)a, NLA_HDRLEN + l);
			a->nla_type = rnd(24) | (chance(20) ? NLA_F_NESTED : 0);
			if (chance(70))
				a->nla_len = NLA_HDRLEN + l;
		}
	}
	emit(msg, C_GARBAGE, WANT_ANY);
}

static void gen_version(void)
{
	static const uint8_t versions[] = { 0, 2, 3, 7, 128, 255 };
	uint8_t ver = versions[rnd(6)];
	uint8_t cmd = any_cmd();
	struct nl_msg *msg;

	if (cmd == CAMFENCE_CMD_ADD)
		maybe_begin();
	msg = mk_full(cmd, NLM_F_REQUEST | NLM_F_ACK, ver, SMALL_MSG);
	if (cmd == CAMFENCE_CMD_ADD) {
		put_obj(msg, L_TOP, -1);
	} else if (cmd == CAMFENCE_CMD_GET_DEVICE) {
		struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_DEVICE);

		nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "lobby-1");
		nla_nest_end(msg, n);
	} else if (cmd == CAMFENCE_CMD_SET_MODE) {
		nla_put_u8(msg, CAMFENCE_A_MODE, 1 + rnd(2));
	}
	emit(msg, C_VERSION, WANT_ANY);
}

/* Last message of a datagram, nlmsg_len < 16 or beyond the datagram. */
static void gen_nllen(void)
{
	struct nl_msg *msg = mk(chance(50) ? CAMFENCE_CMD_GET_STATS : any_cmd());
	struct nlmsghdr *nlh;
	size_t real;

	put_obj(msg, L_TOP, -1);
	nlh = nlmsg_hdr(msg);
	real = nlh->nlmsg_len;
	if (chance(30))
		nlh->nlmsg_len = rnd(NLMSG_HDRLEN);
	else
		nlh->nlmsg_len = NLMSG_ALIGN(real) + 1 + rnd(5000);
	emit_len(msg, C_NLLEN, WANT_ANY, real, true);
}

/* ---- scripted interleaving across sockets, exact errnos ---- */

static void step_cls(int s, uint8_t cmd, int want, int cls)
{
	struct nl_msg *msg;

	batch_start(s);
	msg = mk(cmd);
	if (cmd == CAMFENCE_CMD_ADD)
		put_obj(msg, L_TOP, -1);
	emit(msg, cls, want);
	flush();
}

static void step(int s, uint8_t cmd, int want)
{
	step_cls(s, cmd, want, C_INTERLEAVE);
}

static void reopen(int s)
{
	batch_start(s);
	nl_socket_free(F.socks[s].sk);
	sock_open(&F.socks[s]);
}

static int pick_role(bool own, int skip_idx)
{
	int i, n = 0, c[MAX_SOCKS];

	for (i = 0; i < F.nsocks; i++)
		if (F.socks[i].owner == own && i != skip_idx)
			c[n++] = i;
	return n ? c[rnd(n)] : -1;
}

static void interleave(void)
{
	int a = pick_role(true, -1), b = pick_role(false, -1);
	int c = pick_role(true, a), i;

	/* a known state: every owner aborts (no transaction afterwards) */
	for (i = 0; i < F.nsocks; i++)
		if (F.socks[i].owner)
			step(i, CAMFENCE_CMD_ABORT, WANT_ANY);
	if (b >= 0) {
		step(b, CAMFENCE_CMD_COMMIT, -ENOENT);
		step(b, CAMFENCE_CMD_ABORT, -ENOENT);
		step(b, CAMFENCE_CMD_ADD, -ENOENT);
	}
	step(a, CAMFENCE_CMD_BEGIN, 0);
	step(a, CAMFENCE_CMD_BEGIN, 0);		/* begin twice */
	if (b >= 0) {
		step(b, CAMFENCE_CMD_ADD, -EBUSY);	/* add on B */
		step(b, CAMFENCE_CMD_COMMIT, -EBUSY); /* commit on B */
		step(b, CAMFENCE_CMD_ABORT, -EBUSY);
		step(b, CAMFENCE_CMD_BEGIN, -EINVAL); /* guarded */
	}
	if (c >= 0)
		step(c, CAMFENCE_CMD_BEGIN, -EBUSY);
	/* a valid zone in A's transaction */
	batch_start(a);
	{
		struct nl_msg *msg = mk(CAMFENCE_CMD_ADD);
		struct nlattr *n = nla_nest_start(msg, CAMFENCE_A_ZONE);
		char name[16];

		snprintf(name, sizeof(name), "iz%u", rnd(1000));
		nla_put_string(msg, CAMFENCE_ZONE_A_NAME, name);
		nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 1 + rnd(4094));
		nla_nest_end(msg, n);
		emit(msg, C_INTERLEAVE, 0);
		flush();
	}
	/* A's COMMIT is refused by the core: its transaction stays open */
	step(a, CAMFENCE_CMD_COMMIT, -EINVAL);
	if (c >= 0)
		step(c, CAMFENCE_CMD_BEGIN, -EBUSY);
	switch (rnd(3)) {
	case 0:	/* close A mid-transaction: the transaction is freed */
		reopen(a);
		if (c >= 0) {
			step(c, CAMFENCE_CMD_BEGIN, 0);
			if (b >= 0)
				step(b, CAMFENCE_CMD_COMMIT, -EBUSY);
			step(c, CAMFENCE_CMD_ABORT, 0);
		}
		step(a, CAMFENCE_CMD_ABORT, -ENOENT);
		break;
	case 1:	/* A aborts */
		step(a, CAMFENCE_CMD_ABORT, 0);
		if (b >= 0)
			step(b, CAMFENCE_CMD_COMMIT, -ENOENT);
		step(a, CAMFENCE_CMD_ABORT, -ENOENT);
		break;
	default: /* A's bad ADD discards its transaction */
		batch_start(a);
		{
			struct nl_msg *msg = mk(CAMFENCE_CMD_ADD);

			nla_put_u8(msg, CAMFENCE_A_MODE, 0);
			emit(msg, C_INTERLEAVE, -EINVAL);
			flush();
		}
		step(a, CAMFENCE_CMD_ABORT, -ENOENT);
		break;
	}
}

/* ---- GET_STATS at start and end ---- */

static void read_stats(void)
{
	F.stats_mode = true;
	F.generation = UINT64_MAX;
	step_cls(0, CAMFENCE_CMD_GET_STATS, 0, C_STATS);
	F.sent--;	/* not one of the COUNT fuzzing messages */
	F.stats_mode = false;
	if (F.generation == UINT64_MAX)
		die("GET_STATS returned no generation");
}

/* ---- main ---- */

/* -w: no transaction of ours is left; wait until FILE exists */
static void wait_for(const char *file)
{
	struct stat st;
	int i;

	for (i = 0; i < F.nsocks; i++)
		reopen(i);
	printf("# nlfuzz: fuzzing done, waiting for %s\n", file);
	for (i = 0; i < 3000; i++) {
		if (!stat(file, &st))
			return;
		usleep(100 * 1000);
	}
	die("%s did not appear in 300 s", file);
}

static const char *errname(int e)
{
	static char buf[16];
	const char *s;

	if (!e)
		return "ok";
	if (e == NERR - 1)
		return "other";
	s = strerrorname_np(e);
	if (s)
		return s;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void print_hist(const char *prefix, const long *h)
{
	int e;

	printf("%s", prefix);
	for (e = 0; e < NERR; e++)
		if (h[e])
			printf(" %s=%ld", errname(e), h[e]);
	printf("\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pick_class(void)
{
	int r = rnd(1000), c;

	for (c = 0; c < NCLS; c++) {
		r -= class_weight[c];
		if (r < 0)
			return c;
	}
	return C_RANDCMD;
}

int main(int argc, char **argv)
{
	static void (*const gen[NCLS])(void) = {
		[C_WRONG] = gen_wrong, [C_TRUNC] = gen_trunc,
		[C_OVERSIZE] = gen_oversize, [C_NEST] = gen_nest,
		[C_HUGE] = gen_huge, [C_NOBEGIN] = gen_nobegin,
		[C_RANDCMD] = gen_randcmd, [C_GARBAGE] = gen_garbage,
		[C_VERSION] = gen_version, [C_NLLEN] = gen_nllen,
	};
	unsigned long long seed = 1;
	uint64_t gen0, dev0;
	unsigned int mode0, sealed0;
	long total[NERR] = { 0 };
	bool verbose = false;
	const char *wait_file = NULL;
	double t0, t;
	int opt, c, e, k, i;
	char prefix[64];

	F.target = 100000;
	F.nsocks = 4;
	while ((opt = getopt(argc, argv, "n:s:S:vw:")) != -1) {
		switch (opt) {
		case 'n':
			F.target = atol(optarg);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			F.nsocks = atoi(optarg);
			break;
		case 'v':
			verbose = true;
			break;
		case 'w':
			wait_file = optarg;
			break;
		default:
			fprintf(stderr, "usage: nlfuzz [-n COUNT] [-s SEED] [-S NSOCKETS] [-v] [-w FILE]\n");
			return 2;
		}
	}
	if (F.target < 1 || F.nsocks < 1 || F.nsocks > MAX_SOCKS) {
		fprintf(stderr, "nlfuzz: -n must be >= 1, -S 1..%d\n", MAX_SOCKS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * Speed under TCG: received messages are copied into buffers of their
	 * own size (not a page each), and the heap keeps its memory instead of
	 * trimming and growing it around every 64 KiB receive buffer.
	 */
	nlmsg_set_default_size(256);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	F.rng = seed;
	F.buf = malloc(BATCH_BYTES);
	F.cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!F.buf || !F.cb)
		die("out of memory");
	nl_cb_err(F.cb, NL_CB_CUSTOM, on_error, NULL);
	nl_cb_set(F.cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, NULL);
	nl_cb_set(F.cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, NULL);
	nl_cb_set(F.cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, NULL);
	nl_cb_set(F.cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, NULL);
	nl_cb_set(F.cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, NULL);
	for (i = 0; i < F.nsocks; i++) {
		sock_open(&F.socks[i]);
		F.socks[i].owner = !(i & 1);
	}
	F.family = genl_ctrl_resolve(F.socks[0].sk, CAMFENCE_GENL_NAME);
	if (F.family < 0)
		die("family %s not found (module not loaded?)",
		    CAMFENCE_GENL_NAME);
	t0 = now_s();
	read_stats();
	/* after the first GET_STATS: a change from now on is detected */
	printf("# nlfuzz: seed %llu, %ld messages, %d sockets\n", seed,
	       F.target, F.nsocks);
	gen0 = F.generation;
	mode0 = F.mode;
	dev0 = F.device_count;
	sealed0 = F.sealed;
	while (F.sent < F.target) {
		/* owners more often: their ADDs reach the parsers */
		int s = pick_role(chance(70), -1);

		if (s < 0)
			s = rnd(F.nsocks);

		k = rnd(1000);
		if (k < 40) {		/* scripted interleaving */
			interleave();
			continue;
		}
		if (k < 43) {		/* a socket closes, maybe mid-transaction */
			reopen(s);
			continue;
		}
		batch_start(s);
		k = 1 + rnd(BATCH_MSGS);
		for (i = 0; i < k && F.sent < F.target && !F.bclosed; i++) {
			c = pick_class();
			gen[c]();
		}
		flush();
		if (verbose && F.sent % 10000 < (long)k)
			fprintf(stderr, "nlfuzz: %ld sent\n", F.sent);
	}
	batch_start(0);
	if (wait_file)
		wait_for(wait_file);
	read_stats();
	t = now_s() - t0;
	for (i = 0; i < F.nsocks; i++)
		nl_socket_free(F.socks[i].sk);

	for (c = 0; c < NCLS; c++) {
		snprintf(prefix, sizeof(prefix), "# nlfuzz: class %s: %ld messages:",
			 cls_name[c], F.msgs[c]);
		print_hist(prefix, F.hist[c]);
		for (e = 0; e < NERR; e++)
			total[e] += F.hist[c][e];
	}
	printf("# nlfuzz: replies %ld, dumps interrupted %ld, strays %ld, lost %ld, mismatches %ld, unexpected successes %ld\n",
	       F.replies, F.dumps_intr, F.strays, F.lost, F.mismatches,
	       F.unexpected);
	if (F.generation != gen0 || F.mode != mode0 ||
	    F.device_count != dev0 || F.sealed != sealed0)
		failure("GET_STATS changed: generation %llu -> %llu, mode %u -> %u, devices %llu -> %u, sealed %u -> %u",
			(unsigned long long)gen0,
			(unsigned long long)F.generation, mode0, F.mode,
			(unsigned long long)dev0, F.device_count, sealed0,
			F.sealed);
	printf("# nlfuzz: generation %llu, mode %u, device_count %u (unchanged: %s)\n",
	       (unsigned long long)F.generation, F.mode, F.device_count,
	       F.generation == gen0 && F.mode == mode0 &&
	       F.device_count == dev0 ? "yes" : "NO");
	snprintf(prefix, sizeof(prefix), "# nlfuzz: %ld messages, seed %llu, %.1f s, errno histogram:",
		 F.sent, seed, t);
	print_hist(prefix, total);
	if (F.failures) {
		fprintf(stderr, "nlfuzz: %d failures\n", F.failures);
		return 1;
	}
	return 0;
}
