/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/lookup/shim.h - the kernel environment camfence's lookups need, in
 * userspace: types, and the few helpers of the kernel headers that are
 * neither extracted (ether_addr_equal, ipv6_addr_equal: extract.py from the
 * kernel's headers) nor copied at build time (jhash.h, see Makefile).  Only
 * declarations and trivial definitions live here; no camfence code.
 */
#ifndef CF_LOOKUP_SHIM_H
#define CF_LOOKUP_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <net/if.h>		/* IFNAMSIZ */
#include <netinet/in.h>		/* struct in6_addr, AF_INET, AF_INET6 */
#include <linux/types.h>
#include <linux/netfilter.h>	/* union nf_inet_addr (uapi) */

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define ETH_ALEN 6
#define BITS_PER_LONG 64
/* x86-64, as the kernel's Kconfig says (HAVE_EFFICIENT_UNALIGNED_ACCESS) */
#define CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS 1
#define fallthrough __attribute__((__fallthrough__))

/* only its size matters here: the first member of struct cf_policy */
struct rcu_work {
	void *work[6];
	void *rcu[2];
	void *wq;
};

struct cf_devstate;

#endif
