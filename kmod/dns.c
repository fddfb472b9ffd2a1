// SPDX-License-Identifier: GPL-2.0
/*
 * DNS names as evidence (issue 17): per device, the distinct names it asked
 * for in UDP queries to port 53, with the verdict of the query, a count and
 * the first and last time.
 *
 * The parser reads a flat copy of the start of the payload (at most
 * CF_DNS_PARSE_LEN bytes, skb_header_pointer()), walks the one question's
 * labels with every length checked against what was copied, refuses
 * compression pointers (a query has nothing to point back to) and accepts
 * only letters, digits, '-' and '_'. It has no kernel dependency: the
 * fuzz target and the unit test of userspace-ctl compile this file with
 * __KERNEL__ undefined.
 *
 * A device's table (CAMFENCE_DNS_NAMES entries, about 18 KiB) is taken at
 * its first query from a module-wide pool of preallocated tables that a
 * work item refills: the packet path never allocates. While the pool is
 * empty, queries are not recorded (and not counted).
 */
#ifdef __KERNEL__
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <net/netlink.h>
#else
#include <string.h>
#endif
#include "dns.h"

static char cf_dns_lower(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_')
		return c;
	return 0;
}

static int cf_dns_walk(const unsigned char *msg, unsigned int len, char *name)
{
	unsigned int pos = CF_DNS_HDR_LEN, out = 0, i;

	if (len > CF_DNS_PARSE_LEN)
		len = CF_DNS_PARSE_LEN;
	if (len < CF_DNS_HDR_LEN)
		return CF_DNS_TRUNCATED;
	/* flags: QR (0x80) clear, OPCODE (0x78) 0 */
	if (msg[2] & 0xf8)
		return CF_DNS_NOT_QUERY;
	if (msg[4] != 0 || msg[5] != 1)
		return CF_DNS_QDCOUNT;
	for (;;) {
		unsigned int l;

		if (pos >= len)
			return CF_DNS_TRUNCATED;
		l = msg[pos];
		if ((l & 0xc0) == 0xc0)
			return CF_DNS_COMPRESSED;
		if (l & 0xc0)
			return CF_DNS_LABEL;
		/* wire length so far, this label and the root's 0 */
		if (pos - CF_DNS_HDR_LEN + 1 + l + (l ? 1 : 0) > CF_DNS_WIRE_MAX)
			return CF_DNS_TOO_LONG;
		pos++;
		if (!l)
			break;
		if (pos + l > len)
			return CF_DNS_TRUNCATED;
		if (out)
			name[out++] = '.';
		for (i = 0; i < l; i++) {
			char c = cf_dns_lower(msg[pos + i]);

			if (!c)
				return CF_DNS_CHAR;
			name[out++] = c;
		}
		pos += l;
	}
	/* QTYPE and QCLASS */
	if (pos + 4 > len)
		return CF_DNS_TRUNCATED;
	if (!out)
		name[out++] = '.';
	name[out] = '\0';
	return CF_DNS_OK;
}

int cf_dns_parse(const unsigned char *msg, unsigned int len, char *name)
{
	int res = cf_dns_walk(msg, len, name);

	if (res != CF_DNS_OK)
		name[0] = '\0';
	return res;
}

const char *cf_dns_result_str(int res)
{
	switch (res) {
	case CF_DNS_OK:
		return "ok";
	case CF_DNS_TRUNCATED:
		return "truncated";
	case CF_DNS_NOT_QUERY:
		return "not a query";
	case CF_DNS_QDCOUNT:
		return "QDCOUNT is not 1";
	case CF_DNS_COMPRESSED:
		return "compression pointer";
	case CF_DNS_LABEL:
		return "label over 63 bytes";
	case CF_DNS_TOO_LONG:
		return "name over 255 bytes";
	case CF_DNS_CHAR:
		return "character not allowed";
	}
	return "?";
}

#ifdef __KERNEL__

struct cf_dns_entry {
	char name[CAMFENCE_DNS_NAME_MAX + 1];
	u8 verdict;
	u32 hash;			/* of the name: compared first */
	u64 count, first_seen, last_seen;
	u64 stamp;			/* sequence of the last hit, for LRU */
};

struct cf_dns_table {
	spinlock_t lock;		/* BH */
	u32 n;
	u64 seq;			/* LRU clock */
	u64 invalid, replaced;
	struct cf_dns_entry e[CAMFENCE_DNS_NAMES];
};

#define CF_DNS_POOL_SIZE	8
#define CF_DNS_POOL_LOW		4

static DEFINE_SPINLOCK(cf_dns_pool_lock);	/* BH */
static struct cf_dns_table *cf_dns_pool[CF_DNS_POOL_SIZE];
static u32 cf_dns_pool_n;
static bool cf_dns_pool_on = true;	/* until module exit */

static bool cf_dns_pool_used;		/* a device was committed */

static void cf_dns_pool_work(struct work_struct *work);
static DECLARE_WORK(cf_dns_pool_wk, cf_dns_pool_work);

bool cf_dns_names = true;

/* Turned on at run time: the pool is filled if devices exist. */
static int cf_dns_names_set(const char *val, const struct kernel_param *kp)
{
	int err = param_set_bool(val, kp);

	if (!err && READ_ONCE(cf_dns_names) && READ_ONCE(cf_dns_pool_used))
		queue_work(system_unbound_wq, &cf_dns_pool_wk);
	return err;
}

static const struct kernel_param_ops cf_dns_names_ops = {
	.set = cf_dns_names_set,
	.get = param_get_bool,
};

module_param_cb(dns_names, &cf_dns_names_ops, &cf_dns_names, 0644);
MODULE_PARM_DESC(dns_names,
		 "Record the DNS names devices ask for (UDP port 53; default on)");

static struct cf_dns_table *cf_dns_alloc(void)
{
	struct cf_dns_table *t = vzalloc(sizeof(*t));

	if (t)
		spin_lock_init(&t->lock);
	return t;
}

void cf_dns_free(struct cf_dns_table *t)
{
	vfree(t);
}

/* Fills the pool (process context). */
static void cf_dns_pool_fill(void)
{
	struct cf_dns_table *t;

	for (;;) {
		spin_lock_bh(&cf_dns_pool_lock);
		if (!cf_dns_pool_on || cf_dns_pool_n >= CF_DNS_POOL_SIZE) {
			spin_unlock_bh(&cf_dns_pool_lock);
			return;
		}
		spin_unlock_bh(&cf_dns_pool_lock);
		t = cf_dns_alloc();
		if (!t)
			return;
		spin_lock_bh(&cf_dns_pool_lock);
		if (cf_dns_pool_on && cf_dns_pool_n < CF_DNS_POOL_SIZE) {
			cf_dns_pool[cf_dns_pool_n++] = t;
			t = NULL;
		}
		spin_unlock_bh(&cf_dns_pool_lock);
		cf_dns_free(t);
	}
}

static void cf_dns_pool_work(struct work_struct *work)
{
	cf_dns_pool_fill();
}

/*
 * A device is committed: the pool is filled now, so that its first query
 * finds a table. Nothing is allocated before the first device, nor while
 * dns_names is off.
 */
void cf_dns_pool_kick(void)
{
	bool low;

	WRITE_ONCE(cf_dns_pool_used, true);
	if (!READ_ONCE(cf_dns_names))
		return;
	spin_lock_bh(&cf_dns_pool_lock);
	low = cf_dns_pool_on && cf_dns_pool_n < CF_DNS_POOL_LOW;
	spin_unlock_bh(&cf_dns_pool_lock);
	if (low)
		cf_dns_pool_fill();
}

/* Packet path (BH off or softirq): a table from the pool, NULL if empty. */
static struct cf_dns_table *cf_dns_pool_take(void)
{
	struct cf_dns_table *t = NULL;
	bool low;

	spin_lock_bh(&cf_dns_pool_lock);
	if (cf_dns_pool_n)
		t = cf_dns_pool[--cf_dns_pool_n];
	low = cf_dns_pool_on && cf_dns_pool_n < CF_DNS_POOL_LOW;
	spin_unlock_bh(&cf_dns_pool_lock);
	if (low)
		queue_work(system_unbound_wq, &cf_dns_pool_wk);
	return t;
}

static void cf_dns_pool_give(struct cf_dns_table *t)
{
	spin_lock_bh(&cf_dns_pool_lock);
	if (cf_dns_pool_on && cf_dns_pool_n < CF_DNS_POOL_SIZE) {
		cf_dns_pool[cf_dns_pool_n++] = t;
		t = NULL;
	}
	spin_unlock_bh(&cf_dns_pool_lock);
	cf_dns_free(t);
}

void cf_dns_module_exit(void)
{
	spin_lock_bh(&cf_dns_pool_lock);
	cf_dns_pool_on = false;
	spin_unlock_bh(&cf_dns_pool_lock);
	cancel_work_sync(&cf_dns_pool_wk);
	while (cf_dns_pool_n)
		cf_dns_free(cf_dns_pool[--cf_dns_pool_n]);
}

static void cf_dns_record(struct cf_dns_table *t, const char *name, int res,
			  u8 verdict)
{
	struct cf_dns_entry *e = NULL;
	u64 now = ktime_get_real_seconds();
	u32 i, hash = 0;

	if (res == CF_DNS_OK)
		hash = jhash(name, strlen(name), 0);
	spin_lock_bh(&t->lock);
	if (res != CF_DNS_OK) {
		t->invalid++;
		goto out;
	}
	for (i = 0; i < t->n; i++) {
		if (t->e[i].hash == hash && t->e[i].verdict == verdict &&
		    !strcmp(t->e[i].name, name)) {
			e = &t->e[i];
			break;
		}
	}
	if (!e) {
		if (t->n < CAMFENCE_DNS_NAMES) {
			e = &t->e[t->n++];
		} else {
			e = &t->e[0];
			for (i = 1; i < CAMFENCE_DNS_NAMES; i++)
				if (t->e[i].stamp < e->stamp)
					e = &t->e[i];
			t->replaced++;
		}
		strscpy(e->name, name, sizeof(e->name));
		e->verdict = verdict;
		e->hash = hash;
		e->count = 0;
		e->first_seen = now;
	}
	e->count++;
	e->last_seen = now;
	e->stamp = ++t->seq;
out:
	spin_unlock_bh(&t->lock);
}

void cf_dns_query(struct cf_dns_table **slot, const struct sk_buff *skb,
		  unsigned int payoff, u8 verdict)
{
	unsigned char buf[CF_DNS_PARSE_LEN];
	char name[CAMFENCE_DNS_NAME_MAX + 1];
	struct cf_dns_table *t, *old;
	const unsigned char *msg;
	unsigned int len;
	int res;

	if (!READ_ONCE(cf_dns_names))
		return;
	name[0] = '\0';
	t = READ_ONCE(*slot);
	if (!t) {
		t = cf_dns_pool_take();
		if (!t)
			return;
		old = cmpxchg(slot, NULL, t);
		if (old) {
			cf_dns_pool_give(t);
			t = old;
		}
	}
	len = skb->len > payoff ? skb->len - payoff : 0;
	len = min_t(unsigned int, len, sizeof(buf));
	msg = len ? skb_header_pointer(skb, payoff, len, buf) : NULL;
	if (msg)
		res = cf_dns_parse(msg, len, name);
	else
		res = CF_DNS_TRUNCATED;
	cf_dns_record(t, name, res, verdict);
}

static int cf_dns_put_entry(struct sk_buff *msg, const struct cf_dns_entry *e)
{
	struct nlattr *nest = nla_nest_start(msg, CAMFENCE_DNS_A_ENTRY);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(msg, CAMFENCE_DNS_A_NAME, e->name) ||
	    nla_put_u8(msg, CAMFENCE_DNS_A_VERDICT, e->verdict) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DNS_A_COUNT, e->count,
			      CAMFENCE_DNS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DNS_A_FIRST_SEEN, e->first_seen,
			      CAMFENCE_DNS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DNS_A_LAST_SEEN, e->last_seen,
			      CAMFENCE_DNS_A_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int cf_dns_nl_put(struct sk_buff *msg, struct cf_dns_table *t, bool partial)
{
	struct nlattr *nest;
	int err = 0;
	u32 i;

	if (!t)
		return 0;
	nest = nla_nest_start(msg, CAMFENCE_DEVICE_A_DNS);
	if (!nest)
		return -EMSGSIZE;
	spin_lock_bh(&t->lock);
	if (nla_put_u32(msg, CAMFENCE_DNS_A_TOTAL, t->n) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DNS_A_INVALID, t->invalid,
			      CAMFENCE_DNS_A_PAD) ||
	    nla_put_u64_64bit(msg, CAMFENCE_DNS_A_REPLACED, t->replaced,
			      CAMFENCE_DNS_A_PAD)) {
		err = -EMSGSIZE;
	}
	for (i = 0; !err && i < t->n; i++) {
		err = cf_dns_put_entry(msg, &t->e[i]);
		if (err && partial) {
			err = 0;
			break;
		}
	}
	spin_unlock_bh(&t->lock);
	if (err) {
		nla_nest_cancel(msg, nest);
		return err;
	}
	nla_nest_end(msg, nest);
	return 0;
}

size_t cf_dns_nl_size(void)
{
	size_t entry = nla_total_size(0) +
		       nla_total_size(CAMFENCE_DNS_NAME_MAX + 1) +
		       nla_total_size(sizeof(u8)) +
		       3 * nla_total_size_64bit(sizeof(u64));

	return nla_total_size(0) + nla_total_size(sizeof(u32)) +
	       2 * nla_total_size_64bit(sizeof(u64)) +
	       CAMFENCE_DNS_NAMES * entry;
}

#endif /* __KERNEL__ */
