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

/*
 * Formatted extack messages. cf_set_err(cn, extack, fmt, ...) is called
 * with cn->lock held, by netlink.c and policy.c. NL_SET_ERR_MSG_FMT (6.2)
 * formats the text into the extack itself (extack->_msg_buf, 80 bytes: a
 * longer text is cut, with a rate-limited warning). 6.1 has no buffer in
 * struct netlink_ext_ack and netlink_ack() copies the text through
 * extack->_msg only after genetlink dropped its locks, so the text must
 * outlive the handler in memory no other request reuses meanwhile:
 * netlink.c keeps it in one of CF_ERRMSG_SLOTS per-namespace slots, each
 * owned by the thread whose last message it holds (see cf_set_err()).
 */
struct cf_net;

#ifdef NL_SET_ERR_MSG_FMT
#define cf_set_err(cn, extack, fmt, ...) do {				\
	(void)(cn);							\
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__);			\
} while (0)
#else
#define CF_ERRMSG_SLOTS	8
#define CF_ERRMSG_LEN	160
__printf(3, 4)
void cf_set_err(struct cf_net *cn, struct netlink_ext_ack *extack,
		const char *fmt, ...);
#endif

#endif /* _CAMFENCE_COMPAT_H */
