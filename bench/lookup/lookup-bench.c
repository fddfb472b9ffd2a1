// SPDX-License-Identifier: GPL-2.0
/*
 * bench/lookup/lookup-bench - camfence's packet-path lookups on this CPU
 * (issue 16, target 7).
 *
 *   lookup-bench [-r ROUNDS] [-l LOOKUPS] [-b] N...
 *
 * -b breaks the tables after building them (another hash seed than the one
 * they were built with): the self-test that the answer check fails (make
 * check expects exit 1).
 *
 * The lookup code is camfence's own: cf_policy_dev_by_mac(),
 * cf_policy_dev_by_addr(), cf_device_allows() (with cf_rule_match() and the
 * jhash-based cf_hash_mac()/cf_hash_addr()) and the structures they walk are
 * extracted from kmod/ at build time (extract.py, Makefile), not copied.
 * This file only builds a policy the way cf_policy_build() lays it out
 * (one device array, one address array, chains of index + 1 in power-of-two
 * bucket arrays of cf_hsize(n), one shared profile) and times lookups.
 *
 * For each N: N devices, each with its own MAC and one IPv4 address, all
 * with the benchmark's Hikvision-style profile (bench/cfgen.py: five rules,
 * the measured camera -> NVR UDP stream matching the last one).  A lookup is
 * what the forward hook does for a camera's packet to the NVR and the
 * address lookup of the reverse direction: cf_policy_dev_by_mac(source MAC),
 * cf_policy_dev_by_addr(source address) (must be the same device),
 * cf_device_allows(device, TO, NVR, UDP, 9000).  The devices are visited in
 * a random order (a new permutation per round), every lookup a different
 * device, so with 100,000 devices (several MB of device, address and bucket
 * arrays) the lookups miss the caches as a router's would with that many
 * active devices; with 10 everything stays in L1.  Each result is checked
 * (exit 1 on a wrong answer).  Rounds alternate the sizes; per round and
 * size one line:
 *
 *   BENCH lookup n=N round=R ns_mac=X ns_addr=X ns_rule=X ns_all=X
 *
 * ns_all is the three in sequence (one packet); the others time one kind
 * alone over the same visiting order.  The keys (MAC, source address) are
 * read from an array in visiting order, as the hook reads them from the
 * packet it holds: the lookup, not the making of its key, takes the misses.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "shim.h"
#include "../../kmod/camfence_uapi.h"
#include <linux/jhash.h>
#include "cf_lookup_gen.h"

static u64 rng = 0x9e3779b97f4a7c15ULL;

static u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(rng >> 11);
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);

	if (!p) {
		perror("lookup-bench: calloc");
		exit(2);
	}
	return p;
}

static u32 hsize(u32 n)		/* cf_hsize(): roundup_pow_of_two(max(n, 8)) */
{
	u32 s = 8;

	while (s < n)
		s <<= 1;
	return s;
}

static struct cf_rule mkrule(u8 dir, const char *peer, int plen, u8 proto,
			     u16 lo, u16 hi)
{
	struct cf_rule r;

	memset(&r, 0, sizeof(r));
	r.dir = dir;
	r.family = AF_INET;
	inet_pton(AF_INET, peer, &r.peer.ip);
	r.mask.ip = plen ? htonl(~0u << (32 - plen)) : 0;
	r.peer.ip &= r.mask.ip;
	r.proto = proto;
	if (lo) {
		r.nports = 1;
		r.ports[0].lo = lo;
		r.ports[0].hi = hi;
	}
	return r;
}

/* The key of device i as a packet carries it: MAC and address. */
struct key {
	u8 mac[8];
	union nf_inet_addr saddr;
};

struct bench {
	struct cf_policy p;
	struct cf_profile prof;
	u32 n;
	u32 *order;		/* visiting order: device indexes */
	struct key *keys;	/* keys[j]: the key of device order[j] */
};

static void build(struct bench *b, u32 n)
{
	struct cf_policy *p = &b->p;
	u32 i, h;

	memset(b, 0, sizeof(*b));
	b->n = n;
	/* bench/cfgen.py's hik-nvr profile, in its order */
	b->prof.nrules = 5;
	b->prof.rules = xcalloc(5, sizeof(struct cf_rule));
	b->prof.rules[0] = mkrule(CAMFENCE_DIR_FROM, "10.30.0.5", 32, IPPROTO_TCP, 554, 554);
	b->prof.rules[1] = mkrule(CAMFENCE_DIR_TO, "10.30.0.5", 32, IPPROTO_TCP, 7200, 7299);
	b->prof.rules[2] = mkrule(CAMFENCE_DIR_TO, "10.67.255.254", 32, IPPROTO_UDP, 53, 53);
	b->prof.rules[3] = mkrule(CAMFENCE_DIR_FROM, "10.99.0.0", 24, IPPROTO_ICMP, 0, 0);
	b->prof.rules[4] = mkrule(CAMFENCE_DIR_TO, "10.30.0.5", 32, IPPROTO_UDP, 9000, 9099);
	p->seed = rnd();
	p->nprofiles = 1;
	p->profiles = &b->prof;
	p->dev_hmask = hsize(n) - 1;
	p->addr_hmask = hsize(n) - 1;
	p->mac_head = xcalloc((size_t)(p->dev_hmask + 1) * 2, sizeof(u32));
	p->name_head = p->mac_head + p->dev_hmask + 1;
	p->addr_head = xcalloc(p->addr_hmask + 1, sizeof(u32));
	p->addrs = xcalloc(n, sizeof(*p->addrs));
	p->devices = xcalloc(n, sizeof(*p->devices));
	for (i = 0; i < n; i++) {
		struct cf_addr_ent *e = &p->addrs[i];
		struct cf_device *d = &p->devices[i];

		e->addr.family = AF_INET;
		e->addr.addr.ip = htonl(0x0a400001u + i);	/* 10.64.0.1 + i */
		e->dev = i;
		h = cf_hash_addr(AF_INET, &e->addr.addr, p->seed) & p->addr_hmask;
		e->next = p->addr_head[h];
		p->addr_head[h] = i + 1;

		snprintf(d->name, sizeof(d->name), "cam-%06u", i);
		d->mac[0] = 0x02;
		d->mac[1] = 0xcf;
		d->mac[2] = (u8)(i >> 24);
		d->mac[3] = (u8)(i >> 16);
		d->mac[4] = (u8)(i >> 8);
		d->mac[5] = (u8)i;
		d->naddrs = 1;
		d->addrs = e;
		d->profile = &b->prof;
		h = cf_hash_mac(d->mac, p->seed) & p->dev_hmask;
		d->mac_next = p->mac_head[h];
		p->mac_head[h] = i + 1;
	}
	p->naddrs = n;
	p->ndevices = n;
	b->order = xcalloc(n, sizeof(u32));
	for (i = 0; i < n; i++)
		b->order[i] = i;
	b->keys = xcalloc(n, sizeof(*b->keys));
}

static void destroy(struct bench *b)
{
	free(b->p.mac_head);
	free(b->p.addr_head);
	free(b->p.addrs);
	free(b->p.devices);
	free(b->prof.rules);
	free(b->order);
	free(b->keys);
}

static void shuffle(struct bench *b)
{
	u32 i, j, t;

	for (i = b->n - 1; i > 0; i--) {
		j = rnd() % (i + 1);
		t = b->order[i];
		b->order[i] = b->order[j];
		b->order[j] = t;
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void mkkey(const struct bench *b, u32 i, struct key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->mac, b->p.devices[i].mac, ETH_ALEN);
	k->saddr.ip = htonl(0x0a400001u + i);
}

/* After shuffle(): the keys in the new visiting order (not timed). */
static void mkkeys(struct bench *b)
{
	u32 j;

	for (j = 0; j < b->n; j++)
		mkkey(b, b->order[j], &b->keys[j]);
}

enum { T_MAC, T_ADDR, T_RULE, T_ALL, T_MAX };

static volatile uintptr_t sink;

static double run(const struct bench *b, int what, u64 lookups)
{
	const struct cf_policy *p = &b->p;
	union nf_inet_addr nvr;
	uintptr_t acc = 0;
	double t0, t1;
	u64 l;
	u32 j = 0;

	memset(&nvr, 0, sizeof(nvr));
	nvr.ip = htonl(0x0a1e0005u);	/* 10.30.0.5 */
	t0 = now_ns();
	for (l = 0; l < lookups; l++) {
		u32 i = b->order[j];
		const struct cf_device *d = NULL;
		const struct key *k = &b->keys[j];

		if (++j == b->n)
			j = 0;
		switch (what) {
		case T_MAC:
			d = cf_policy_dev_by_mac(p, k->mac);
			break;
		case T_ADDR:
			d = cf_policy_dev_by_addr(p, AF_INET, &k->saddr);
			break;
		case T_RULE:
			d = &p->devices[i];
			if (!cf_device_allows(d, CAMFENCE_DIR_TO, AF_INET, &nvr,
					      IPPROTO_UDP, 9000))
				d = NULL;
			break;
		default:
			d = cf_policy_dev_by_mac(p, k->mac);
			if (d && cf_policy_dev_by_addr(p, AF_INET, &k->saddr) != d)
				d = NULL;
			if (d && !cf_device_allows(d, CAMFENCE_DIR_TO, AF_INET,
						   &nvr, IPPROTO_UDP, 9000))
				d = NULL;
			break;
		}
		if (d != &p->devices[i]) {
			fprintf(stderr, "lookup-bench: wrong answer for device %u (n=%u, test %d)\n",
				i, b->n, what);
			exit(1);
		}
		acc += (uintptr_t)d;
	}
	t1 = now_ns();
	sink = acc;
	return (t1 - t0) / (double)lookups;
}

int main(int argc, char **argv)
{
	long rounds = 7, lookups = 4000000, r;
	struct bench *b;
	int opt, nb, i, w, breakit = 0;
	double ns[T_MAX];

	while ((opt = getopt(argc, argv, "r:l:b")) != -1) {
		switch (opt) {
		case 'b': breakit = 1; break;
		case 'r': rounds = strtol(optarg, NULL, 10); break;
		case 'l': lookups = strtol(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	nb = argc - optind;
	if (nb < 1 || rounds < 1 || lookups < 1)
		goto usage;
	b = xcalloc(nb, sizeof(*b));
	for (i = 0; i < nb; i++) {
		long n = strtol(argv[optind + i], NULL, 10);

		if (n < 1 || n > 16000000)
			goto usage;
		build(&b[i], (u32)n);
		if (breakit)
			b[i].p.seed ^= 0x5a5a5a5a;
	}
	for (r = 1; r <= rounds; r++) {
		for (i = 0; i < nb; i++) {
			/* alternate the order of the sizes every other round */
			struct bench *x = &b[r % 2 ? i : nb - 1 - i];

			shuffle(x);
			mkkeys(x);
			run(x, T_ALL, x->n < 100000 ? 100000 : x->n);	/* warm */
			for (w = 0; w < T_MAX; w++)
				ns[w] = run(x, w, (u64)lookups);
			printf("BENCH lookup n=%u round=%ld ns_mac=%.2f ns_addr=%.2f ns_rule=%.2f ns_all=%.2f\n",
			       x->n, r, ns[T_MAC], ns[T_ADDR], ns[T_RULE], ns[T_ALL]);
			fflush(stdout);
		}
	}
	for (i = 0; i < nb; i++)
		destroy(&b[i]);
	free(b);
	return 0;
usage:
	fprintf(stderr, "usage: lookup-bench [-r ROUNDS] [-l LOOKUPS] [-b] N...\n");
	return 2;
}
