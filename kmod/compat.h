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
 * Formatted extack messages. cf_set_err(cn, extack, fmt, ...) is called by
 * netlink.c, txn.c and policy.c (cn is unused: the text is not kept in the
 * namespace). NL_SET_ERR_MSG_FMT (6.2) formats the text into the extack
 * itself, extack->_msg_buf of NETLINK_MAX_FMTMSG_LEN (80) bytes, and cuts
 * a longer text: camfence's messages name a device, an address and what
 * was discarded and run to CF_ERRMSG_LEN (on 6.12 "device multi: MAC
 * 01:00:5e:00:00:01 is not a unicast address (transaction discarded)" lost
 * its last 5 characters). So it is used only where that buffer holds
 * CF_ERRMSG_LEN. Elsewhere (6.1 has no buffer at all) netlink.c formats
 * into storage that belongs to the calling thread until its next camfence
 * error (CF_ERRMSG_POOL, see cf_set_err() there): netlink_ack() copies the
 * text through extack->_msg only after the handler returned and the locks
 * were dropped, so the text must not be in memory another request reuses.
 */
struct cf_net;

#define CF_ERRMSG_LEN	160

#if defined(NL_SET_ERR_MSG_FMT) && defined(NETLINK_MAX_FMTMSG_LEN) && \
	NETLINK_MAX_FMTMSG_LEN >= CF_ERRMSG_LEN
#define cf_set_err(cn, extack, fmt, ...) do {				\
	(void)(cn);							\
	NL_SET_ERR_MSG_FMT(extack, fmt, ##__VA_ARGS__);			\
} while (0)
#else
#define CF_ERRMSG_POOL
__printf(3, 4)
void cf_set_err(struct cf_net *cn, struct netlink_ext_ack *extack,
		const char *fmt, ...);
#endif

#endif /* _CAMFENCE_COMPAT_H */
