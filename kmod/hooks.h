/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence netfilter hooks (hooks.c).
 */
#ifndef _CF_HOOKS_H
#define _CF_HOOKS_H

#include "camfence.h"

/* Registers the hooks at pernet init if the initial (sealed) policy has
 * zones; unregisters them (if registered) at pernet exit.
 */
int cf_hooks_net_init(struct net *net);
void cf_hooks_net_exit(struct net *net);
/*
 * Registers (on) or unregisters the namespace's hooks, cn->lock held,
 * process context. policy.c registers them before publishing a policy
 * with zones and unregisters them after publishing one without.
 */
int cf_hooks_set(struct cf_net *cn, bool on);

#endif /* _CF_HOOKS_H */
