// SPDX-License-Identifier: MIT
#include "core/search.h"

#include <stdlib.h>
#include <string.h>

static uint64_t value_at(const struct ks_blocked *b, size_t pos)
{
	return b->a[b->order ? b->order[pos] : pos];
}

bool ks_blocked_init(struct ks_blocked *b, const uint64_t *a, const uint32_t *order, size_t n)
{
	*b = (struct ks_blocked){ .a = a, .order = order, .n = n };
	b->ntop = (n + KS_SEARCH_BLOCK - 1) / KS_SEARCH_BLOCK;
	if (!b->ntop)
		return true;
	b->top = malloc(b->ntop * sizeof(*b->top));
	if (!b->top) {
		b->ntop = 0;
		return false;
	}
	for (size_t k = 0; k < b->ntop; k++)
		b->top[k] = value_at(b, k * KS_SEARCH_BLOCK);
	return true;
}

void ks_blocked_free(struct ks_blocked *b)
{
	free(b->top);
	memset(b, 0, sizeof(*b));
}
