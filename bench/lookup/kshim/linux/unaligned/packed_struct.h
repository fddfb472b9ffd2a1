/* SPDX-License-Identifier: GPL-2.0 */
/* bench/lookup: what the kernel's jhash.h takes from this header */
#ifndef CF_LOOKUP_PACKED_STRUCT_H
#define CF_LOOKUP_PACKED_STRUCT_H
struct __una_u32 { u32 x; } __attribute__((__packed__));
static inline u32 __get_unaligned_cpu32(const void *p)
{
	const struct __una_u32 *ptr = (const struct __una_u32 *)p;

	return ptr->x;
}
#endif
