/* SPDX-License-Identifier: MIT */
/* Overflow-checked arithmetic on sizes and offsets: every offset computed
 * from input data goes through these. They return true on overflow. */
#ifndef KSYMS_CORE_OVERFLOW_H
#define KSYMS_CORE_OVERFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

static inline bool ckd_add_size(size_t *r, size_t a, size_t b)
{
	return __builtin_add_overflow(a, b, r);
}

static inline bool ckd_mul_size(size_t *r, size_t a, size_t b)
{
	return __builtin_mul_overflow(a, b, r);
}

static inline bool ckd_add_u64(uint64_t *r, uint64_t a, uint64_t b)
{
	return __builtin_add_overflow(a, b, r);
}

/* Round @v up to a multiple of the power of two @align; false on overflow. */
static inline bool align_up_size(size_t *r, size_t v, size_t align)
{
	size_t t;

	if (ckd_add_size(&t, v, align - 1))
		return true;
	*r = t & ~(align - 1);
	return false;
}

#endif
