/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence sysfs tree (sysfs.c): /sys/kernel/camfence, init_net only.
 */
#ifndef _CF_SYSFS_H
#define _CF_SYSFS_H

#include "camfence.h"

int cf_sysfs_net_init(struct cf_net *cn);
void cf_sysfs_net_exit(struct cf_net *cn);
/*
 * After a commit published its policy (cn->lock held, process context),
 * with the policy it replaced (still alive): brings the device directories
 * to the new policy, now or from a work item for large changes.
 */
void cf_sysfs_commit(struct cf_net *cn, const struct cf_policy *old);
/* Namespace exit, before the policy goes: removes the device directories. */
void cf_sysfs_net_unpublish(struct cf_net *cn);

#endif /* _CF_SYSFS_H */
