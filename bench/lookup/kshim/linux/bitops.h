/* SPDX-License-Identifier: GPL-2.0 */
/* bench/lookup: what the kernel's jhash.h takes from linux/bitops.h */
#ifndef CF_LOOKUP_BITOPS_H
#define CF_LOOKUP_BITOPS_H
static inline u32 rol32(u32 word, unsigned int shift)
{
	return (word << (shift & 31)) | (word >> ((-shift) & 31));
}
#endif
