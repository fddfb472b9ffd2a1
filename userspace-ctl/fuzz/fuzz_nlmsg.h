/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The input format of fuzz_nlmsg, shared with the seed generator and the
 * unit test. Byte 0 selects:
 *   bits 0-2  the decoder: CF_FZ_DEVICE .. CF_FZ_POLICY (7: modulo 7,
 *             i.e. CF_FZ_DEVICE)
 *   bit 3     raw: the rest is the whole message, nlmsghdr included, taken
 *             as is (its nlmsg_len may lie; the buffer is exactly the rest)
 *   otherwise the rest follows the headers built here: for the generic
 *   netlink decoders a nlmsghdr and genlmsghdr (family CF_FZ_FAMILY, the
 *   command the decoder expects), for the extack a nlmsghdr of type
 *   NLMSG_ERROR (NLMSG_DONE if bit 6) with NLM_F_ACK_TLVS if bit 4 and
 *   NLM_F_CAPPED if bit 5.
 */
#ifndef CAMFENCE_FUZZ_NLMSG_H
#define CAMFENCE_FUZZ_NLMSG_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include "nl.h"

enum {
	CF_FZ_DEVICE,
	CF_FZ_STATS,
	CF_FZ_UNKNOWN,
	CF_FZ_COMMIT,
	CF_FZ_EVENT,
	CF_FZ_EXTACK,
	CF_FZ_POLICY,
	CF_FZ_KINDS
};

#define CF_FZ_RAW	0x08
#define CF_FZ_TLVS	0x10
#define CF_FZ_CAPPED	0x20
#define CF_FZ_DONE	0x40

#define CF_FZ_FAMILY	0x1c	/* any id >= NLMSG_MIN_TYPE */
#define CF_FZ_SEQ	1
#define CF_FZ_PORT	4242

static inline int cf_fz_kind(uint8_t sel)
{
	return (sel & 7) % CF_FZ_KINDS;
}

static inline int cf_fz_cmd(int kind)
{
	switch (kind) {
	case CF_FZ_DEVICE:
		return CAMFENCE_CMD_GET_DEVICE;
	case CF_FZ_STATS:
		return CAMFENCE_CMD_GET_STATS;
	case CF_FZ_UNKNOWN:
		return CAMFENCE_CMD_GET_UNKNOWN;
	case CF_FZ_COMMIT:
		return CAMFENCE_CMD_COMMIT;
	case CF_FZ_POLICY:
		return CAMFENCE_CMD_GET_POLICY;
	default:
		return CAMFENCE_CMD_EVENT;
	}
}

/*
 * The message an input stands for, in a heap buffer of exactly *len bytes
 * (so that ASan sees any read beyond it); NULL for an empty input or no
 * memory. Free it with free().
 */
static inline struct nlmsghdr *cf_fz_message(const uint8_t *data, size_t size,
					     size_t *len)
{
	size_t hdr, n;
	struct nlmsghdr *nlh;
	uint8_t sel;
	int kind;

	if (!size)
		return NULL;
	sel = data[0];
	kind = cf_fz_kind(sel);
	data++;
	size--;
	if (sel & CF_FZ_RAW) {
		/* malloc(0) may return NULL: keep one byte, report 0 */
		nlh = malloc(size ? size : 1);
		if (nlh && size)
			memcpy(nlh, data, size);
		*len = size;
		return nlh;
	}
	hdr = NLMSG_HDRLEN + (kind == CF_FZ_EXTACK ? 0 : GENL_HDRLEN);
	if (size > UINT32_MAX - hdr)
		return NULL;
	n = hdr + size;
	nlh = calloc(1, n);
	if (!nlh)
		return NULL;
	nlh->nlmsg_len = n;
	nlh->nlmsg_seq = CF_FZ_SEQ;
	nlh->nlmsg_pid = CF_FZ_PORT;
	if (kind == CF_FZ_EXTACK) {
		nlh->nlmsg_type = sel & CF_FZ_DONE ? NLMSG_DONE : NLMSG_ERROR;
		if (sel & CF_FZ_TLVS)
			nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		if (sel & CF_FZ_CAPPED)
			nlh->nlmsg_flags |= NLM_F_CAPPED;
	} else {
		struct genlmsghdr *gh = NLMSG_DATA(nlh);

		nlh->nlmsg_type = CF_FZ_FAMILY;
		gh->cmd = cf_fz_cmd(kind);
		gh->version = CAMFENCE_GENL_VERSION;
	}
	memcpy((char *)nlh + hdr, data, size);
	*len = n;
	return nlh;
}

#endif
