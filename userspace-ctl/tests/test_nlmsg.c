// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the decoders of the kernel's messages (lib/nlmsg.c): the
 * seed messages of fuzz_nlmsg (fuzz/nlmsg_seeds.h) decode to exact values,
 * their committed corpus files are what the generator writes, and every
 * kind of malformed message is refused with -EBADMSG and a zeroed result.
 * Runs from userspace-ctl/ (the corpus path is relative).
 * Output: "ok N - what" / "not ok N - what"; exit 1 if anything failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "json.h"
#include "../fuzz/nlmsg_seeds.h"
#include "tap.h"

#define CORPUS "fuzz/corpus/fuzz_nlmsg"

static const struct seed *find_seed(const char *name)
{
	int i;

	for (i = 0; i < NSEEDS; i++)
		if (!strcmp(seeds[i].name, name))
			return &seeds[i];
	abort();
}

/* A seed message, or abort: the tests below need it. */
static struct nl_msg *build(const char *name)
{
	struct nl_msg *msg = find_seed(name)->build();

	if (!msg)
		abort();
	return msg;
}

static bool zeroed(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static bool addr_is(int family, const uint8_t *a, int want_family,
		    const char *text)
{
	uint8_t b[16] = { 0 };

	return family == want_family && inet_pton(family, text, b) == 1 &&
	       !memcmp(a, b, family == AF_INET ? 4 : 16);
}

static bool mac_is(const uint8_t *mac, const char *text)
{
	char buf[18];

	return !strcmp(cf_format_mac(mac, buf, sizeof(buf)), text);
}

static bool drop_is(const struct cf_evidence *e, const char *text)
{
	char buf[96];

	cf_format_drop(e, buf, sizeof(buf));
	if (strcmp(buf, text))
		printf("#   got '%s', expected '%s'\n", buf, text);
	return !strcmp(buf, text);
}

/* ---- the seeds ---- */

static void test_corpus_files(void)
{
	static uint8_t want[70 * 1024], got[70 * 1024];
	char path[256];
	int i, raw;

	for (i = 0; i < NSEEDS; i++) {
		struct nl_msg *msg = seeds[i].build();

		for (raw = 0; raw < 2; raw++) {
			size_t n = msg ? seed_input(&seeds[i], nlmsg_hdr(msg),
						    raw, want, sizeof(want)) : 0;
			size_t m = 0;
			FILE *f;

			snprintf(path, sizeof(path), CORPUS "/%s%s",
				 seeds[i].name, raw ? ".raw.msg" : ".msg");
			f = fopen(path, "rb");
			if (f) {
				m = fread(got, 1, sizeof(got), f);
				fclose(f);
			}
			ok(n && n == m && !memcmp(want, got, n),
			   "%s is what `make nlmsg-corpus` writes", path);
		}
		nlmsg_free(msg);
	}
}

static void test_device_full(void)
{
	struct nl_msg *msg = build("device-full");
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct cf_dev_info *d = calloc(1, sizeof(*d));
	const struct cf_evidence *e;
	uint64_t gen = 0;

	ok(cf_decode_device(nlh, nlh->nlmsg_len, d, &gen) == 0 && gen == 42,
	   "device-full: decodes, generation 42");
	ok(!strcmp(d->name, "lobby-1") && mac_is(d->mac, "44:19:b6:00:00:01") &&
	   !strcmp(d->profile, "hikvision") &&
	   d->mode == CAMFENCE_MODE_DEFAULT &&
	   d->effective_mode == CAMFENCE_MODE_ENFORCE,
	   "device-full: name, MAC, profile, modes");
	ok(d->naddrs == 2 &&
	   addr_is(d->addrs[0].family, d->addrs[0].addr, AF_INET, "10.20.0.11") &&
	   addr_is(d->addrs[1].family, d->addrs[1].addr, AF_INET6, "fd00::11"),
	   "device-full: addresses 10.20.0.11 fd00::11");
	ok(d->allowed_packets == 1000 && d->allowed_bytes == 1234567 &&
	   d->dropped_packets == 16 && d->dropped_bytes == 2048 &&
	   d->monitored_packets == 5 && d->spoofed_packets == 1 &&
	   d->events_suppressed == UINT64_MAX &&
	   d->last_seen == SEED_T0 + 60,
	   "device-full: the 7 counters and last_seen");
	e = &d->last_drop;
	ok(d->has_last_drop && e->dir == CAMFENCE_DIR_TO &&
	   addr_is(e->family, e->peer, AF_INET, "203.0.113.7") &&
	   e->proto == 17 && e->port == 6800 &&
	   e->reason == CAMFENCE_REASON_NO_RULE && e->count == 12 &&
	   e->first_seen == SEED_T0 && e->last_seen == SEED_T0 + 60 &&
	   drop_is(e, "udp 203.0.113.7:6800"),
	   "device-full: last drop udp 203.0.113.7:6800, 12 packets");
	e = d->evidence;
	ok(d->nevidence == 3 && drop_is(&e[0], "udp 203.0.113.7:6800") &&
	   e[0].count == 12 &&
	   addr_is(e[1].family, e[1].peer, AF_INET6, "2001:db8::1") &&
	   drop_is(&e[1], "tcp [2001:db8::1]:443") && e[1].count == 3 &&
	   e[1].first_seen == SEED_T0 + 5 && e[1].last_seen == SEED_T0 + 7 &&
	   e[2].dir == CAMFENCE_DIR_FROM &&
	   e[2].reason == CAMFENCE_REASON_SPOOFED &&
	   drop_is(&e[2], "icmp 203.0.113.7") && e[2].count == 1,
	   "device-full: 3 evidence entries, exact");
	free(d);
	nlmsg_free(msg);
}

static void test_device_min_max(void)
{
	struct nl_msg *msg = build("device-min");
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct cf_dev_info *d = calloc(1, sizeof(*d));
	uint64_t gen = 0;
	char buf[64];

	ok(cf_decode_device(nlh, nlh->nlmsg_len, d, &gen) == 0 && gen == 42 &&
	   !strcmp(d->name, "gate.cam_2") &&
	   mac_is(d->mac, "3c:ef:8c:00:00:2a") && d->profile[0] == '\0' &&
	   d->mode == CAMFENCE_MODE_MONITOR &&
	   d->effective_mode == CAMFENCE_MODE_MONITOR && d->naddrs == 0 &&
	   d->nevidence == 0 && !d->has_last_drop && d->allowed_packets == 0 &&
	   d->last_seen == 0,
	   "device-min: name and MAC, no profile, nothing seen");
	nlmsg_free(msg);

	msg = build("device-max");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_device(nlh, nlh->nlmsg_len, d, NULL) == 0 &&
	   d->naddrs == CAMFENCE_MAX_DEVICE_ADDRS &&
	   d->nevidence == CAMFENCE_EVIDENCE_SLOTS &&
	   addr_is(d->addrs[14].family, d->addrs[14].addr, AF_INET, "10.20.0.18") &&
	   addr_is(d->addrs[15].family, d->addrs[15].addr, AF_INET6, "fd00::18") &&
	   d->evidence[15].port == 7015 &&
	   !strcmp(cf_format_drop(&d->evidence[15], buf, sizeof(buf)),
		   "udp 203.0.113.7:7015"),
	   "device-max: 16 addresses and 16 evidence entries");
	free(d);
	nlmsg_free(msg);
}

static void test_device_dns(void)
{
	struct nl_msg *msg = build("device-dns");
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct cf_dev_info *d = calloc(1, sizeof(*d));

	ok(cf_decode_device(nlh, nlh->nlmsg_len, d, NULL) == 0 && d->has_dns &&
	   d->dns_total == 3 && d->dns_invalid == 2 && d->dns_replaced == 0 &&
	   d->ndns == 3,
	   "device-dns: decodes, 3 names, 2 invalid");
	ok(!strcmp(d->dns[0].name, "api.hik-connect.com") &&
	   d->dns[0].verdict == CAMFENCE_VERDICT_ALLOWED && d->dns[0].count == 3 &&
	   d->dns[0].first_seen == SEED_T0 && d->dns[0].last_seen == SEED_T0 + 10 &&
	   !strcmp(d->dns[1].name, "p2p.easy4ip.com") &&
	   d->dns[1].verdict == CAMFENCE_VERDICT_DROPPED && d->dns[1].count == 7 &&
	   !strcmp(d->dns[2].name, ".") &&
	   d->dns[2].verdict == CAMFENCE_VERDICT_MONITORED,
	   "device-dns: names, verdicts, counts, times exact");
	cf_dns_sort(d->dns, d->ndns);
	ok(!strcmp(d->dns[0].name, "p2p.easy4ip.com") &&
	   !strcmp(d->dns[1].name, "api.hik-connect.com") &&
	   !strcmp(d->dns[2].name, "."),
	   "cf_dns_sort: most queried first");
	nlmsg_free(msg);
	msg = build("device-full");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_device(nlh, nlh->nlmsg_len, d, NULL) == 0 && !d->has_dns &&
	   d->ndns == 0 && d->dns_total == 0,
	   "device-full: no DNS nest, no table");
	ok(cf_valid_dns_name("a.b") && cf_valid_dns_name(".") &&
	   cf_valid_dns_name("_x-1.example") && !cf_valid_dns_name("") &&
	   !cf_valid_dns_name("A.b") && !cf_valid_dns_name("a..b") &&
	   !cf_valid_dns_name(".a") && !cf_valid_dns_name("a.") &&
	   !cf_valid_dns_name("a b") && !cf_valid_dns_name("<script>"),
	   "cf_valid_dns_name: kernel-recorded names only");
	free(d);
	nlmsg_free(msg);
}

static void test_stats_unknown_commit(void)
{
	struct nl_msg *msg = build("stats");
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct cf_stats st;
	struct cf_unknown u;
	struct cf_commit c;

	ok(cf_decode_stats(nlh, nlh->nlmsg_len, &st) == 0 &&
	   st.mode == CAMFENCE_MODE_ENFORCE && st.generation == 7 &&
	   st.device_count == 3 && !st.sealed &&
	   !strcmp(st.module_version, "0.1.0") &&
	   st.allowed_packets == 5000 && st.dropped_packets == 321 &&
	   st.unknown_packets == 20 && st.spoofed_packets == 4 &&
	   st.events_suppressed == 17 && st.monitored_packets == 2 &&
	   st.unknown_not_recorded == 4900 && st.evidence_not_recorded == 32,
	   "stats: every field");
	nlmsg_free(msg);
	msg = build("stats-sealed");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_stats(nlh, nlh->nlmsg_len, &st) == 0 &&
	   st.mode == CAMFENCE_MODE_MONITOR && st.generation == 0 &&
	   st.device_count == 0 && st.sealed && st.dropped_packets == 9 &&
	   st.unknown_packets == 9 && st.allowed_packets == 0,
	   "stats-sealed: sealed, monitor, 9 drops");
	nlmsg_free(msg);

	msg = build("unknown-v4");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_unknown(nlh, nlh->nlmsg_len, &u) == 0 &&
	   mac_is(u.mac, "3c:ef:8c:00:00:2a") && !strcmp(u.zone, "cameras") &&
	   u.vlan == 20 && !strcmp(u.ifname, "br-cam.20") &&
	   addr_is(u.family, u.addr, AF_INET, "10.20.0.99") &&
	   u.first_seen == SEED_T0 && u.last_seen == SEED_T0 + 30 &&
	   u.packets == 77,
	   "unknown-v4: every field");
	nlmsg_free(msg);
	msg = build("unknown-noaddr");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_unknown(nlh, nlh->nlmsg_len, &u) == 0 && u.family == 0 &&
	   zeroed(u.addr, 16) && u.vlan == 0 && !strcmp(u.ifname, "eth1") &&
	   u.packets == 1,
	   "unknown-noaddr: no address, untagged");
	nlmsg_free(msg);

	msg = build("commit");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_commit(nlh, nlh->nlmsg_len, &c) == 0 &&
	   c.generation == 8 && c.added == 2 && c.removed == 1 &&
	   c.changed == 1 && c.unchanged == 5,
	   "commit: generation 8, +2 -1 ~1 =5");
	ok(c.txn_id == 0, "commit: no transaction id");
	nlmsg_free(msg);
	msg = build("begin");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_commit(nlh, nlh->nlmsg_len, &c) == 0 &&
	   c.txn_id == 0x100000007ULL && c.generation == 0,
	   "begin: transaction id 0x100000007");
	nlmsg_free(msg);
}

static void test_events(void)
{
	static const char *const want[] = {
		"2026-11-23T11:24:20.123Z dropped lobby-1 44:19:b6:00:00:01 to "
		"udp 10.20.0.11:40000 -> 203.0.113.7:6800 reason no-rule zone cameras",
		"2026-11-23T11:24:20.123Z dropped unknown 3c:ef:8c:00:00:2a to "
		"tcp [fd00::11]:51000 -> [2001:db8::1]:443 reason unknown-device "
		"zone cameras suppressed 3",
	};
	static const char *const want_json[] = {
		"{\"time\":\"2026-11-23T11:24:20.123456789Z\",\"timestamp\":1795433060,"
		"\"timestamp_ns\":1795433060123456789,\"device\":\"lobby-1\","
		"\"mac\":\"44:19:b6:00:00:01\",\"zone\":\"cameras\",\"verdict\":\"dropped\","
		"\"dir\":\"to\",\"proto\":\"udp\",\"saddr\":\"10.20.0.11\",\"sport\":40000,"
		"\"daddr\":\"203.0.113.7\",\"dport\":6800,\"reason\":\"no-rule\",\"suppressed\":0}\n",
		"{\"time\":\"2026-11-23T11:24:20.123456789Z\",\"timestamp\":1795433060,"
		"\"timestamp_ns\":1795433060123456789,\"device\":null,"
		"\"mac\":\"3c:ef:8c:00:00:2a\",\"zone\":\"cameras\",\"verdict\":\"dropped\","
		"\"dir\":\"to\",\"proto\":\"tcp\",\"saddr\":\"fd00::11\",\"sport\":51000,"
		"\"daddr\":\"2001:db8::1\",\"dport\":443,\"reason\":\"unknown-device\",\"suppressed\":3}\n",
	};
	const char *names[] = { "event-v4", "event-v6" };
	struct cf_event ev;
	char buf[256];
	int i;

	for (i = 0; i < 2; i++) {
		struct nl_msg *msg = build(names[i]);
		struct nlmsghdr *nlh = nlmsg_hdr(msg);
		int ret = cf_decode_event(nlh, nlh->nlmsg_len, &ev);

		cf_format_event(&ev, buf, sizeof(buf));
		if (strcmp(buf, want[i]))
			printf("#   got '%s'\n", buf);
		ok(ret == 0 && ev.has_mac && !strcmp(buf, want[i]) &&
		   ev.timestamp_ns == SEED_T0 * 1000000000ull + 123456789,
		   "%s: %s", names[i], want[i]);
		/* monitor -j: RFC 3339 time (UTC, ns) and integer seconds */
		{
			char *jb = NULL;
			size_t jl = 0;
			FILE *jf = open_memstream(&jb, &jl);
			struct cf_json j;

			cf_json_begin(&j, jf);
			cf_event_json(&j, &ev);
			cf_json_end(&j);
			fclose(jf);
			if (strcmp(jb, want_json[i]))
				printf("#   got '%s'\n", jb);
			ok(!strcmp(jb, want_json[i]), "%s -j: %s", names[i],
			   want_json[i]);
			free(jb);
		}
		/* another command of the family is no event */
		((struct genlmsghdr *)nlmsg_data(nlh))->cmd = CAMFENCE_CMD_GET_STATS;
		ret = cf_decode_event(nlh, nlh->nlmsg_len, &ev);
		ok(ret == -ENOMSG && zeroed(&ev, sizeof(ev)),
		   "%s as GET_STATS: -ENOMSG", names[i]);
		nlmsg_free(msg);
	}
}

static void test_errors(void)
{
	static const struct {
		const char *name;
		int error;
		const char *msg;
	} want[] = {
		{ "error-capped", -EINVAL, "device lobby-1: no profile named nvr" },
		{ "error-echo", -EBUSY, "another transaction is open" },
		{ "error-plain", -EPERM, "" },
		{ "done-error", -ENOBUFS, "dump too big" },
	};
	char msg[256];
	size_t i;
	int err;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct nl_msg *m = build(want[i].name);
		struct nlmsghdr *nlh = nlmsg_hdr(m);
		int ret = cf_decode_extack(nlh, nlh->nlmsg_len, &err, msg,
					   sizeof(msg));

		ok(ret == 0 && err == want[i].error && !strcmp(msg, want[i].msg),
		   "%s: error %d, message '%s'", want[i].name, want[i].error,
		   want[i].msg);
		nlmsg_free(m);
	}
}

/*
 * Each seed in its two fuzz forms (the committed files through the fuzz
 * target's own cf_fz_message()) decodes to the same result.
 */
#define POLICY_OUT_RULES 4
struct policy_out {
	struct cf_policy_msg m;
	struct cf_cfg_rule r[POLICY_OUT_RULES];
};

static void decode_any(int kind, const struct nlmsghdr *nlh, size_t len,
		       void *out, size_t outlen, int *ret)
{
	memset(out, 0, outlen);
	switch (kind) {
	case CF_FZ_DEVICE:
		*ret = cf_decode_device(nlh, len, out, NULL);
		break;
	case CF_FZ_STATS:
		*ret = cf_decode_stats(nlh, len, out);
		break;
	case CF_FZ_UNKNOWN:
		*ret = cf_decode_unknown(nlh, len, out);
		break;
	case CF_FZ_COMMIT:
		*ret = cf_decode_commit(nlh, len, out);
		break;
	case CF_FZ_EVENT:
		*ret = cf_decode_event(nlh, len, out);
		break;
	case CF_FZ_POLICY: {
		/* the rules move behind the message, the pointer is cleared:
		 * two decodings compare with memcmp
		 */
		struct policy_out *po = out;

		*ret = cf_decode_policy(nlh, len, &po->m);
		if (!*ret && !po->m.profile.nrules)
			;
		else if (!*ret && po->m.profile.nrules <= POLICY_OUT_RULES)
			memcpy(po->r, po->m.profile.rules,
			       po->m.profile.nrules * sizeof(po->r[0]));
		else if (!*ret)
			*ret = -E2BIG;
		cf_policy_msg_free(&po->m);
		po->m.profile.nrules = 0;
		break;
	}
	default:
		*ret = cf_decode_extack(nlh, len, out, (char *)out + sizeof(int),
					outlen - sizeof(int));
		break;
	}
}

static void test_fuzz_forms(void)
{
	static uint8_t in[70 * 1024];
	static union {
		struct cf_dev_info d;
		struct policy_out p;
	} a, b;
	int i;

	for (i = 0; i < NSEEDS; i++) {
		struct nl_msg *msg = seeds[i].build();
		struct nlmsghdr *nlh = nlmsg_hdr(msg), *w, *r;
		size_t nw, nr, lw = 0, lr = 0;
		int rw = 1, rr = 1, rm = 1;

		nw = seed_input(&seeds[i], nlh, false, in, sizeof(in));
		w = cf_fz_message(in, nw, &lw);
		decode_any(seeds[i].kind, w, lw, &a, sizeof(a), &rw);
		nr = seed_input(&seeds[i], nlh, true, in, sizeof(in));
		r = cf_fz_message(in, nr, &lr);
		decode_any(seeds[i].kind, r, lr, &b, sizeof(b), &rr);
		ok(nw && nr && rw == 0 && rr == 0 && lr == nlh->nlmsg_len &&
		   lw == lr && !memcmp(&a, &b, sizeof(a)),
		   "%s: the wrapped and the raw fuzz input decode alike",
		   seeds[i].name);
		decode_any(seeds[i].kind, nlh, nlh->nlmsg_len, &b, sizeof(b), &rm);
		ok(rm == 0 && !memcmp(&a, &b, sizeof(a)),
		   "%s: and like the message itself", seeds[i].name);
		free(w);
		free(r);
		nlmsg_free(msg);
	}
}

/* ---- malformed messages ---- */

/* A GET_DEVICE reply whose DEVICE nest the caller fills. */
static struct nlattr *open_nest;

static struct nl_msg *begin(int cmd, int nest)
{
	struct nl_msg *msg = seed_genl(cmd, 0);

	if (!msg || !(open_nest = nla_nest_start(msg, nest)))
		abort();
	return msg;
}

static void name_mac(struct nl_msg *msg, const char *name)
{
	if (nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, name) ||
	    nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1))
		abort();
}

/* Ends the nest, decodes as a device; the result is zeroed on error. */
static int end_device(struct nl_msg *msg, struct cf_dev_info *d)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int ret;

	nla_nest_end(msg, open_nest);
	ret = cf_decode_device(nlh, nlh->nlmsg_len, d, NULL);
	if (ret && !zeroed(d, sizeof(*d)))
		ret = -999;
	nlmsg_free(msg);
	return ret;
}

/* A device with a DNS nest: TOTAL total, one entry (name, verdict). */
static int dns_device(struct cf_dev_info *d, uint32_t total, const char *name,
		      int verdict)
{
	struct nl_msg *msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	struct nlattr *n, *e;

	name_mac(msg, "lobby-1");
	n = nla_nest_start(msg, CAMFENCE_DEVICE_A_DNS);
	if (!n || nla_put_u32(msg, CAMFENCE_DNS_A_TOTAL, total))
		abort();
	if (name) {
		e = nla_nest_start(msg, CAMFENCE_DNS_A_ENTRY);
		if (!e || nla_put_string(msg, CAMFENCE_DNS_A_NAME, name) ||
		    nla_put_u8(msg, CAMFENCE_DNS_A_VERDICT, (uint8_t)verdict))
			abort();
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, n);
	return end_device(msg, d);
}

static void test_bad_dns(void)
{
	struct cf_dev_info *d = calloc(1, sizeof(*d));
	char longest[CAMFENCE_DNS_NAME_MAX + 2];

	ok(dns_device(d, 1, "a.example", CAMFENCE_VERDICT_DROPPED) == 0 &&
	   d->ndns == 1 && !strcmp(d->dns[0].name, "a.example"),
	   "dns: one entry is read");
	ok(dns_device(d, 2, "a.example", CAMFENCE_VERDICT_DROPPED) == 0 &&
	   d->ndns == 1 && d->dns_total == 2,
	   "dns: fewer entries than TOTAL (a cut reply) is read");
	ok(dns_device(d, 0, "a.example", 0) == -EBADMSG,
	   "dns: more entries than TOTAL: -EBADMSG");
	ok(dns_device(d, CAMFENCE_DNS_NAMES + 1, NULL, 0) == -EBADMSG,
	   "dns: TOTAL 65: -EBADMSG");
	ok(dns_device(d, 1, "A.example", 0) == -EBADMSG,
	   "dns: an upper-case name: -EBADMSG");
	ok(dns_device(d, 1, "evil<script>", 0) == -EBADMSG,
	   "dns: a name with '<': -EBADMSG");
	ok(dns_device(d, 1, "a..example", 0) == -EBADMSG,
	   "dns: an empty label: -EBADMSG");
	ok(dns_device(d, 1, "", 0) == -EBADMSG, "dns: an empty name: -EBADMSG");
	ok(dns_device(d, 1, "a.example", __CAMFENCE_VERDICT_MAX) == -EBADMSG,
	   "dns: verdict 3: -EBADMSG");
	memset(longest, 'a', sizeof(longest));
	longest[63] = longest[127] = longest[191] = '.';
	longest[CAMFENCE_DNS_NAME_MAX] = '\0';
	ok(dns_device(d, 1, longest, 0) == 0 && strlen(d->dns[0].name) == 253,
	   "dns: a name of 253 characters is read");
	longest[CAMFENCE_DNS_NAME_MAX] = 'a';
	longest[CAMFENCE_DNS_NAME_MAX + 1] = '\0';
	ok(dns_device(d, 1, longest, 0) == -EBADMSG,
	   "dns: a name of 254 characters: -EBADMSG");
	free(d);
}

static void test_bad_devices(void)
{
	struct cf_dev_info *d = calloc(1, sizeof(*d));
	struct nl_msg *msg;
	struct nlattr *n, *e;
	int i;

	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "abcdefghijklmnopqrstuvwxyz012345");
	ok(end_device(msg, d) == 0 && strlen(d->name) == 32,
	   "a name of 32 characters is read");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "abcdefghijklmnopqrstuvwxyz0123456");
	ok(end_device(msg, d) == -EBADMSG, "a name of 33: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	nla_put(msg, CAMFENCE_DEVICE_A_NAME, 7, "lobby-1");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	ok(end_device(msg, d) == -EBADMSG, "a name without its NUL: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby 1");
	ok(end_device(msg, d) == -EBADMSG, "a name with a space: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "");
	ok(end_device(msg, d) == -EBADMSG, "an empty name: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	ok(end_device(msg, d) == -EBADMSG, "no name: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "lobby-1");
	ok(end_device(msg, d) == -EBADMSG, "no MAC: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "lobby-1");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 5, seed_mac1);
	ok(end_device(msg, d) == -EBADMSG, "a MAC of 5 bytes: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	nla_put_u32(msg, CAMFENCE_DEVICE_A_MODE, 1);
	ok(end_device(msg, d) == -EBADMSG, "MODE as a u32: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	nla_put(msg, CAMFENCE_DEVICE_A_ADDR, 5, seed_v6_dev);
	ok(end_device(msg, d) == -EBADMSG, "an address of 5 bytes: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	for (i = 0; i <= CAMFENCE_MAX_DEVICE_ADDRS; i++)
		nla_put(msg, CAMFENCE_DEVICE_A_ADDR, 4, seed_v4_dev);
	ok(end_device(msg, d) == -EBADMSG, "17 addresses: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	nla_put(msg, CAMFENCE_DEVICE_A_STATS, 3, "abc");
	ok(end_device(msg, d) == -EBADMSG,
	   "a STATS nest that holds no attributes: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	n = nla_nest_start(msg, CAMFENCE_DEVICE_A_EVIDENCE);
	for (i = 0; i <= CAMFENCE_EVIDENCE_SLOTS; i++)
		seed_put_evidence(msg, CAMFENCE_EVIDENCE_A_ENTRY,
				  &seed_evidence_full[0]);
	nla_nest_end(msg, n);
	ok(end_device(msg, d) == -EBADMSG, "17 evidence entries: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	n = nla_nest_start(msg, CAMFENCE_DEVICE_A_EVIDENCE);
	e = nla_nest_start(msg, CAMFENCE_EVIDENCE_A_ENTRY);
	nla_put(msg, CAMFENCE_EVIDENCE_A_PEER, 8, seed_v6_peer);
	nla_nest_end(msg, e);
	nla_nest_end(msg, n);
	ok(end_device(msg, d) == -EBADMSG,
	   "an evidence peer of 8 bytes: -EBADMSG");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_DEVICE);
	name_mac(msg, "lobby-1");
	nla_put_u32(msg, CAMFENCE_DEVICE_A_MAX + 1, 7);
	nla_put_u32(msg, 0x7fff, 7);
	nla_nest_end(msg, open_nest);
	nla_put_u64(msg, CAMFENCE_A_MAX + 1, 7);
	open_nest = nla_nest_start(msg, CAMFENCE_A_MAX + 2);
	ok(end_device(msg, d) == 0 && !strcmp(d->name, "lobby-1"),
	   "attributes of unknown types are ignored");
	msg = begin(CAMFENCE_CMD_GET_DEVICE, CAMFENCE_A_STATS);
	ok(end_device(msg, d) == -EBADMSG, "no DEVICE nest: -EBADMSG");
	free(d);
}

/* Every shorter cut of a message is refused, with nlmsg_len kept (it
 * overruns the buffer) or set to the cut (an attribute overruns).
 */
static void test_truncations(void)
{
	static const char *const names[] = {
		"device-full", "device-max", "unknown-v4", "event-v4"
	};
	size_t i, n;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct seed *s = find_seed(names[i]);
		struct nl_msg *msg = s->build();
		struct nlmsghdr *nlh = nlmsg_hdr(msg);
		size_t len = nlh->nlmsg_len;
		int accepted = 0;
		union {
			struct cf_dev_info d;
			char c[sizeof(struct cf_dev_info) + 256];
		} *out = malloc(sizeof(*out));

		for (n = 0; n < len; n++) {
			uint8_t *buf = malloc(n ? n : 1);
			int ret;

			memcpy(buf, nlh, n);
			decode_any(s->kind, (void *)buf, n, out, sizeof(*out),
				   &ret);
			accepted += ret != -EBADMSG;
			if (n >= NLMSG_HDRLEN) {
				((struct nlmsghdr *)buf)->nlmsg_len = n;
				decode_any(s->kind, (void *)buf, n, out,
					   sizeof(*out), &ret);
				accepted += ret != -EBADMSG;
			}
			free(buf);
		}
		ok(accepted == 0, "%s: all %zu truncations refused",
		   names[i], 2 * len - NLMSG_HDRLEN);
		free(out);
		nlmsg_free(msg);
	}
}

static void test_bad_headers(void)
{
	struct nl_msg *msg = build("commit");
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	uint32_t len = nlh->nlmsg_len;
	struct cf_commit c;

	ok(cf_decode_commit(nlh, len - 1, &c) == -EBADMSG && zeroed(&c, sizeof(c)),
	   "nlmsg_len beyond the buffer: -EBADMSG");
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN - 1;
	ok(cf_decode_commit(nlh, len, &c) == -EBADMSG,
	   "nlmsg_len shorter than the headers: -EBADMSG");
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = NLMSG_ERROR;
	ok(cf_decode_commit(nlh, len, &c) == -EBADMSG,
	   "a control message type: -EBADMSG");
	ok(cf_decode_commit(NULL, 0, &c) == -EBADMSG, "no message: -EBADMSG");
	nlmsg_free(msg);

	msg = begin(CAMFENCE_CMD_EVENT, CAMFENCE_A_EVENT);
	nla_put(msg, CAMFENCE_EVENT_A_SADDR, 4, seed_v4_dev);
	nla_put(msg, CAMFENCE_EVENT_A_DADDR, 16, seed_v6_peer);
	nla_nest_end(msg, open_nest);
	{
		struct cf_event ev;

		nlh = nlmsg_hdr(msg);
		ok(cf_decode_event(nlh, nlh->nlmsg_len, &ev) == -EBADMSG &&
		   zeroed(&ev, sizeof(ev)),
		   "an event from IPv4 to IPv6: -EBADMSG");
	}
	nlmsg_free(msg);

	msg = seed_genl(CAMFENCE_CMD_GET_STATS, 0);
	nla_put_string(msg, CAMFENCE_A_MODULE_VERSION, "1.0\n\x1b[31m\xff");
	{
		struct cf_stats st;

		nlh = nlmsg_hdr(msg);
		ok(cf_decode_stats(nlh, nlh->nlmsg_len, &st) == 0 &&
		   !strcmp(st.module_version, "1.0??[31m?"),
		   "module version: control bytes become '?'");
	}
	nlmsg_free(msg);
}

/* NLMSG_ERROR with the given error, flags, echoed length and payload. */
static int decode_error(int32_t error, int flags, uint32_t echo_len,
			const void *tail, size_t tail_len, int *err,
			char *msg, size_t msglen)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t len = NLMSG_HDRLEN + sizeof(*e) + tail_len;

	memset(buf, 0, sizeof(buf));
	nlh->nlmsg_len = len;
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = flags;
	e->error = error;
	e->msg.nlmsg_len = echo_len;
	if (tail_len)
		memcpy(e + 1, tail, tail_len);
	return cf_decode_extack(nlh, len, err, msg, msglen);
}

static void test_bad_errors(void)
{
	/* NLMSGERR_ATTR_MSG "abc" without its NUL */
	static const uint8_t tlv[] = { 7, 0, NLMSGERR_ATTR_MSG, 0, 'a', 'b', 'c', 0 };
	char msg[64];
	int err;

	ok(decode_error(-EBUSY, NLM_F_ACK_TLVS, 8, tlv, sizeof(tlv), &err,
			msg, sizeof(msg)) == -EBADMSG && err == -EBUSY && !msg[0],
	   "an echoed request shorter than its header: -EBADMSG, error kept");
	ok(decode_error(-EBUSY, NLM_F_ACK_TLVS, UINT32_MAX, tlv, sizeof(tlv),
			&err, msg, sizeof(msg)) == -EBADMSG && err == -EBUSY,
	   "an echoed request of 4 GiB: -EBADMSG");
	{
		/* 2 bytes of echoed payload, padded: the TLVs start aligned */
		uint8_t t[4 + sizeof(tlv)] = { 0xaa, 0xbb, 0, 0 };

		memcpy(t + 4, tlv, sizeof(tlv));
		ok(decode_error(-EBUSY, NLM_F_ACK_TLVS, NLMSG_HDRLEN + 2, t,
				sizeof(t), &err, msg, sizeof(msg)) == 0 &&
		   err == -EBUSY && !strcmp(msg, "abc"),
		   "an echoed request of 18 bytes: the TLVs after its padding");
	}
	ok(decode_error(INT_MIN, NLM_F_CAPPED, 16, NULL, 0, &err, msg,
			sizeof(msg)) == 0 && err == -EPROTO,
	   "error INT_MIN: -EPROTO");
	ok(decode_error(5, NLM_F_CAPPED, 16, NULL, 0, &err, msg,
			sizeof(msg)) == 0 && err == -EPROTO,
	   "a positive error: -EPROTO");
	ok(decode_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 16, tlv,
			sizeof(tlv), &err, msg, sizeof(msg)) == 0 &&
	   err == -EINVAL && !strcmp(msg, "abc"),
	   "an extack message is read up to the attribute's end");
	ok(decode_error(-EINVAL, NLM_F_CAPPED | NLM_F_ACK_TLVS, 16, tlv,
			sizeof(tlv), &err, msg, 3) == 0 && !strcmp(msg, "ab"),
	   "and truncated to the buffer");
	{
		uint8_t buf[64] __attribute__((aligned(4)));
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

		memset(buf, 0, sizeof(buf));
		nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr) - 1;
		nlh->nlmsg_type = NLMSG_ERROR;
		ok(cf_decode_extack(nlh, sizeof(buf), &err, msg,
				    sizeof(msg)) == -EBADMSG && err == 0,
		   "an NLMSG_ERROR shorter than nlmsgerr: -EBADMSG");
		nlh->nlmsg_len = sizeof(buf);
		nlh->nlmsg_type = NLMSG_NOOP;
		ok(cf_decode_extack(nlh, sizeof(buf), &err, msg,
				    sizeof(msg)) == -EBADMSG,
		   "NLMSG_NOOP: -EBADMSG");
	}
}

/* ---- GET_POLICY ---- */

static void test_policy(void)
{
	struct cf_policy_msg m;
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	char buf[128];

	msg = build("policy-head");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_policy(nlh, nlh->nlmsg_len, &m) == 0 &&
	   m.kind == CF_PMSG_HEAD && m.generation == 7 &&
	   m.mode == CAMFENCE_MODE_MONITOR && !m.sealed,
	   "policy-head: generation 7, monitor, not sealed");
	cf_policy_msg_free(&m);
	nlmsg_free(msg);

	msg = build("policy-zone");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_policy(nlh, nlh->nlmsg_len, &m) == 0 &&
	   m.kind == CF_PMSG_ZONE && !strcmp(m.zone.name, "cameras") &&
	   m.zone.unknown == CAMFENCE_ACTION_MONITOR && m.zone.nvlans == 2 &&
	   m.zone.vlans[0] == 20 && m.zone.vlans[1] == 4094 &&
	   m.zone.nifs == 1 && !strcmp(m.zone.ifnames[0], "cam0"),
	   "policy-zone: cameras, VLANs 20 4094, cam0, unknown monitor");
	cf_policy_msg_free(&m);
	nlmsg_free(msg);

	msg = build("policy-profile");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_policy(nlh, nlh->nlmsg_len, &m) == 0 &&
	   m.kind == CF_PMSG_PROFILE && !strcmp(m.profile.name, "nvr-only") &&
	   m.first_rule == 1 && m.total_rules == 3 && m.profile.nrules == 2 &&
	   !strcmp(cf_format_rule(&m.profile.rules[0], buf, sizeof(buf)),
		   "allow from 10.20.0.11 tcp 554,8000-8010") &&
	   !strcmp(cf_format_rule(&m.profile.rules[1], buf, sizeof(buf)),
		   "allow to any gre"),
	   "policy-profile: rules 2-3 of 3, as config lines");
	cf_policy_msg_free(&m);
	nlmsg_free(msg);

	msg = build("policy-device");
	nlh = nlmsg_hdr(msg);
	ok(cf_decode_policy(nlh, nlh->nlmsg_len, &m) == 0 &&
	   m.kind == CF_PMSG_DEVICE && !strcmp(m.device.name, "lobby-1") &&
	   mac_is(m.device.mac, "44:19:b6:00:00:01") &&
	   !strcmp(m.device.profile, "nvr-only") &&
	   m.device.mode == CAMFENCE_MODE_ENFORCE && m.device.naddrs == 2 &&
	   addr_is(m.device.addrs[0].family, m.device.addrs[0].addr, AF_INET,
		   "10.20.0.11") &&
	   addr_is(m.device.addrs[1].family, m.device.addrs[1].addr, AF_INET6,
		   "fd00::11") && !strcmp(m.device.port, "pcam1"),
	   "policy-device: lobby-1, two addresses, enforce, port pcam1");
	cf_policy_msg_free(&m);
	nlmsg_free(msg);
}

/* One malformed GET_POLICY message: put() adds attributes after the
 * generation; the decoder must refuse it with a zeroed result.
 */
static void bad_policy(const char *what, void (*put)(struct nl_msg *msg))
{
	struct nl_msg *msg = seed_genl(CAMFENCE_CMD_GET_POLICY, NLM_F_MULTI);
	struct cf_policy_msg m;
	struct nlmsghdr *nlh;
	int ret;

	if (!msg || nla_put_u64(msg, CAMFENCE_A_GENERATION, 3))
		abort();
	put(msg);
	nlh = nlmsg_hdr(msg);
	memset(&m, 0x5a, sizeof(m));
	ret = cf_decode_policy(nlh, nlh->nlmsg_len, &m);
	ok(ret == -EBADMSG && zeroed(&m, sizeof(m)), "bad policy message: %s",
	   what);
	nlmsg_free(msg);
}

static struct nlattr *pnest(struct nl_msg *msg, int type)
{
	struct nlattr *n = nla_nest_start(msg, type);

	if (!n)
		abort();
	return n;
}

static void bp_no_mode(struct nl_msg *msg)
{
	nla_put_u8(msg, CAMFENCE_A_SEALED, 0);
}

static void bp_mode_default(struct nl_msg *msg)
{
	nla_put_u8(msg, CAMFENCE_A_MODE, CAMFENCE_MODE_DEFAULT);
	nla_put_u8(msg, CAMFENCE_A_SEALED, 0);
}

static void bp_two_nests(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_ZONE);

	nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "z");
	nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 20);
	nla_nest_end(msg, n);
	n = pnest(msg, CAMFENCE_A_DEVICE);
	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "d");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "p");
	nla_nest_end(msg, n);
}

static void bp_zone_empty(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_ZONE);

	nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "z");
	nla_nest_end(msg, n);
}

static void bp_zone_vlan0(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_ZONE);

	nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "z");
	nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 0);
	nla_nest_end(msg, n);
}

static void bp_zone_action(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_ZONE);

	nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "z");
	nla_put_u16(msg, CAMFENCE_ZONE_A_VLAN, 20);
	nla_put_u8(msg, CAMFENCE_ZONE_A_UNKNOWN, CAMFENCE_ACTION_MAX + 1);
	nla_nest_end(msg, n);
}

static void bp_zone_ifname(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_ZONE);

	nla_put_string(msg, CAMFENCE_ZONE_A_NAME, "z");
	nla_put_string(msg, CAMFENCE_ZONE_A_IFNAME, "a/b");
	nla_nest_end(msg, n);
}

/* A profile with one rule that rule() fills. */
static void bp_rule(struct nl_msg *msg, void (*rule)(struct nl_msg *msg))
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_PROFILE), *r;

	nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, "p");
	nla_put_u32(msg, CAMFENCE_PROFILE_A_FIRST_RULE, 0);
	nla_put_u32(msg, CAMFENCE_PROFILE_A_NRULES, 1);
	r = pnest(msg, CAMFENCE_PROFILE_A_RULE);
	rule(msg);
	nla_nest_end(msg, r);
	nla_nest_end(msg, n);
}

static void r_nodir(struct nl_msg *msg)
{
	nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 6);
}

static void r_ports_gre(struct nl_msg *msg)
{
	struct camfence_port_range pr = { 1, 2 };

	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 47);
	nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(pr), &pr);
}

static void r_reversed(struct nl_msg *msg)
{
	struct camfence_port_range pr = { 9, 2 };

	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_put_u8(msg, CAMFENCE_RULE_A_PROTO, 17);
	nla_put(msg, CAMFENCE_RULE_A_PORTS, sizeof(pr), &pr);
}

static void r_plen_nopeer(struct nl_msg *msg)
{
	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_put_u8(msg, CAMFENCE_RULE_A_PREFIXLEN, 8);
}

static void r_plen_33(struct nl_msg *msg)
{
	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_put(msg, CAMFENCE_RULE_A_PEER, 4, seed_v4_dev);
	nla_put_u8(msg, CAMFENCE_RULE_A_PREFIXLEN, 33);
}

static void r_peer5(struct nl_msg *msg)
{
	static const uint8_t five[5] = { 1, 2, 3, 4, 5 };

	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_put(msg, CAMFENCE_RULE_A_PEER, 5, five);
}

static void bp_rule_nodir(struct nl_msg *msg) { bp_rule(msg, r_nodir); }
static void bp_rule_ports_gre(struct nl_msg *msg) { bp_rule(msg, r_ports_gre); }
static void bp_rule_reversed(struct nl_msg *msg) { bp_rule(msg, r_reversed); }
static void bp_rule_plen_nopeer(struct nl_msg *msg) { bp_rule(msg, r_plen_nopeer); }
static void bp_rule_plen_33(struct nl_msg *msg) { bp_rule(msg, r_plen_33); }
static void bp_rule_peer5(struct nl_msg *msg) { bp_rule(msg, r_peer5); }

static void bp_profile_counts(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_PROFILE), *r;

	/* two rules where the total leaves room for one */
	nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, "p");
	nla_put_u32(msg, CAMFENCE_PROFILE_A_FIRST_RULE, 2);
	nla_put_u32(msg, CAMFENCE_PROFILE_A_NRULES, 3);
	r = pnest(msg, CAMFENCE_PROFILE_A_RULE);
	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_nest_end(msg, r);
	r = pnest(msg, CAMFENCE_PROFILE_A_RULE);
	nla_put_u8(msg, CAMFENCE_RULE_A_DIR, CAMFENCE_DIR_TO);
	nla_nest_end(msg, r);
	nla_nest_end(msg, n);
}

static void bp_profile_nofirst(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_PROFILE);

	nla_put_string(msg, CAMFENCE_PROFILE_A_NAME, "p");
	nla_put_u32(msg, CAMFENCE_PROFILE_A_NRULES, 0);
	nla_nest_end(msg, n);
}

static void bp_device_noprofile(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_DEVICE);

	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "d");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	nla_nest_end(msg, n);
}

static void bp_device_mode(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_DEVICE);

	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "d");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "p");
	nla_put_u8(msg, CAMFENCE_DEVICE_A_MODE, CAMFENCE_MODE_MAX + 1);
	nla_nest_end(msg, n);
}

static void bp_device_port(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_DEVICE);

	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "d");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "p");
	nla_put_string(msg, CAMFENCE_DEVICE_A_PORT, "Gi1/0/3");
	nla_nest_end(msg, n);
}

static void bp_device_port_empty(struct nl_msg *msg)
{
	struct nlattr *n = pnest(msg, CAMFENCE_A_DEVICE);

	nla_put_string(msg, CAMFENCE_DEVICE_A_NAME, "d");
	nla_put(msg, CAMFENCE_DEVICE_A_MAC, 6, seed_mac1);
	nla_put_string(msg, CAMFENCE_DEVICE_A_PROFILE, "p");
	nla_put_string(msg, CAMFENCE_DEVICE_A_PORT, "");
	nla_nest_end(msg, n);
}

static void test_bad_policy(void)
{
	bad_policy("head without MODE", bp_no_mode);
	bad_policy("head with mode default", bp_mode_default);
	bad_policy("ZONE and DEVICE in one message", bp_two_nests);
	bad_policy("zone without VLAN or interface", bp_zone_empty);
	bad_policy("zone with VLAN 0", bp_zone_vlan0);
	bad_policy("zone with an unknown action out of range", bp_zone_action);
	bad_policy("zone with an invalid interface name", bp_zone_ifname);
	bad_policy("rule without a direction", bp_rule_nodir);
	bad_policy("rule with ports on gre", bp_rule_ports_gre);
	bad_policy("rule with a reversed port range", bp_rule_reversed);
	bad_policy("rule with a prefix length and no peer", bp_rule_plen_nopeer);
	bad_policy("rule with an IPv4 /33", bp_rule_plen_33);
	bad_policy("rule with a 5-byte peer", bp_rule_peer5);
	bad_policy("profile with more rules than its total", bp_profile_counts);
	bad_policy("profile without FIRST_RULE", bp_profile_nofirst);
	bad_policy("device without a profile", bp_device_noprofile);
	bad_policy("device with a mode out of range", bp_device_mode);
	bad_policy("device with an invalid port name", bp_device_port);
	bad_policy("device with an empty port name", bp_device_port_empty);
}

int main(void)
{
	test_corpus_files();
	test_device_full();
	test_device_min_max();
	test_device_dns();
	test_bad_dns();
	test_stats_unknown_commit();
	test_events();
	test_errors();
	test_fuzz_forms();
	test_bad_devices();
	test_truncations();
	test_bad_headers();
	test_bad_errors();
	test_policy();
	test_bad_policy();
	printf("1..%d\n# %d passed, %d failed\n", ntests, ntests - nfailed, nfailed);
	return nfailed ? 1 : 0;
}
