/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence generic netlink family (netlink.c).
 */
#ifndef _CF_NETLINK_H
#define _CF_NETLINK_H

#include "camfence.h"
#include "events.h"

/* cf_set_err(cn, extack, fmt, ...): a formatted extack message, compat.h */

int cf_genl_init(void);
/* Module unload, before the namespaces are stopped: no more events. */
void cf_genl_events_off(void);
void cf_genl_exit(void);
/* Multicasts one event to CAMFENCE_MCGRP_EVENTS (process context). */
void cf_genl_send_event(struct cf_net *cn, const struct cf_event_info *ev);

#endif /* _CF_NETLINK_H */
