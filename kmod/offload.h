/* SPDX-License-Identifier: GPL-2.0 */
/*
 * camfence offload detection (offload.c).
 */
#ifndef _CF_OFFLOAD_H
#define _CF_OFFLOAD_H

#include "camfence.h"

#define CF_OFFLOAD_LEN	1024
int cf_offload_report(struct net *net, char *buf, size_t len);

#endif /* _CF_OFFLOAD_H */
