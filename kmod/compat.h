/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence: differences between the kernels the module builds against
 * (Debian 12's 6.1 and later), each probed by the macro it needs rather
 * than by version number: stable releases carry backports.
 */
#ifndef _CAMFENCE_COMPAT_H
#define _CAMFENCE_COMPAT_H

#include <net/genetlink.h>

/*
 * GENL_MCAST_CAP_NET_ADMIN: genl_bind() refuses NETLINK_ADD_MEMBERSHIP
 * (and bind() to the group) with EPERM unless the caller has CAP_NET_ADMIN
 * in the user namespace that owns the socket's network namespace. Linux
 * 6.7, backported to 6.1.68 (Debian's 6.1.0-17). Older kernels give a
 * family no way to refuse a subscriber (no bind callback, no filtered
 * broadcast), so the events would reach every local user: refuse to build
 * rather than leak them.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "camfence needs GENL_MCAST_CAP_NET_ADMIN (Linux 6.1.68 or later)"
#endif

#endif /* _CAMFENCE_COMPAT_H */
