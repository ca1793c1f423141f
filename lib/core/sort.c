// SPDX-License-Identifier: MIT
#include "core/sort.h"

#include <string.h>

enum { RADIX_BITS = 11, RADIX = 1 << RADIX_BITS };

static uint64_t key_of(const uint8_t *base, size_t stride, size_t key_off, unsigned key_size, uint32_t rec)
{
	const uint8_t *k = base + (size_t)rec * stride + key_off;

	if (key_size == 8) {
		uint64_t v;
		memcpy(&v, k, sizeof(v));
		return v;
	}
	uint32_t v;
	memcpy(&v, k, sizeof(v));
	return v;
}

void ks_radix_sort_records(const void *base, size_t stride, size_t key_off, unsigned key_size, uint32_t *p,
			   uint32_t *tmp, size_t n)
{
	const uint8_t *b = base;
	uint64_t first, differ = 0;

	if (n < 2)
		return;
	first = key_of(b, stride, key_off, key_size, p[0]);
	for (size_t i = 1; i < n; i++)
		differ |= key_of(b, stride, key_off, key_size, p[i]) ^ first;
	for (unsigned shift = 0; shift < 64 && (differ >> shift) != 0; shift += RADIX_BITS) {
		if (((differ >> shift) & (RADIX - 1)) == 0)
			continue; /* every key has the same digit here */
		size_t at[RADIX] = { 0 };
		for (size_t i = 0; i < n; i++)
			at[(key_of(b, stride, key_off, key_size, p[i]) >> shift) & (RADIX - 1)]++;
		for (size_t d = 0, sum = 0; d < RADIX; d++) {
			size_t c = at[d];
			at[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			tmp[at[(key_of(b, stride, key_off, key_size, p[i]) >> shift) & (RADIX - 1)]++] = p[i];
		memcpy(p, tmp, n * sizeof(*p));
	}
}
