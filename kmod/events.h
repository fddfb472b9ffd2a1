/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence events (events.c): a ring filled by the hooks, drained by a work
 * item that multicasts CAMFENCE_CMD_EVENT.
 */
#ifndef _CF_EVENTS_H
#define _CF_EVENTS_H

#include "camfence.h"

struct cf_event_info {
	u64 timestamp_ns;
	char device[CAMFENCE_NAME_MAX + 1];	/* "" for unknown devices */
	u8 mac[ETH_ALEN];
	char zone[CAMFENCE_NAME_MAX + 1];
	u8 dir, family, proto, reason, verdict;
	union nf_inet_addr saddr, daddr;
	u16 sport, dport;
	u64 suppressed;
};

/* Allocates the ring, at the first policy with zones (cn->lock held). */
int cf_events_enable(struct cf_net *cn);
/* Queues nothing more and waits for the work item (process context). */
void cf_events_net_stop(struct cf_net *cn);
void cf_events_net_exit(struct cf_net *cn);
/* Queues one event (rate limiting is done by the caller, per device). */
void cf_event_queue(struct cf_net *cn, const struct cf_event_info *ev);

#endif /* _CF_EVENTS_H */
