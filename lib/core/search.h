/* SPDX-License-Identifier: MIT */
/* Binary search without branches on the data: the comparison feeds a
 * conditional move, so a probe costs no misprediction.  Searches for
 * unrelated addresses (lookups, the exports of a ksymtab, sampled pointers)
 * guess wrong about half of their ~17 steps with the usual lo/hi loop:
 * 110 ns against 28 ns a search in 151k addresses on this project's VM. */
#ifndef KSYMS_CORE_SEARCH_H
#define KSYMS_CORE_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The first position in @a[0..n) (ascending, through @order when not
 * NULL: a[order[0]], a[order[1]], ...) whose value is at least @x; n if none. */
static inline size_t ks_lower_bound_u64(const uint64_t *a, const uint32_t *order, size_t n, uint64_t x)
{
	size_t base = 0, len = n;

	if (n == 0)
		return 0;
	/* the answer lies in [base, base + len] */
	while (len > 1) {
		size_t half = len / 2;
		size_t probe = base + half - 1;
		uint64_t v = order ? a[order[probe]] : a[probe];
		base = v < x ? base + half : base;
		len -= half;
	}
	return base + ((order ? a[order[base]] : a[base]) < x);
}

/* The number of values <= @v in the ascending @a[0..n). */
static inline size_t ks_upper_bound_u64(const uint64_t *a, size_t n, uint64_t v)
{
	const uint64_t *base = a;

	if (n == 0)
		return 0;
	while (n > 1) {
		size_t half = n / 2;
		base = base[half] <= v ? base + half : base;
		n -= half;
	}
	return (size_t)(base - a) + (*base <= v);
}

/*
 * A blocked search over a long ascending column: @top holds every
 * KS_SEARCH_BLOCK-th value (25 KiB for 200k symbols) and stays in cache,
 * so a search misses the cache on the block's few lines only, not on most
 * of its ~17 steps through the whole column (lookups; the ksymtab's 12k
 * searches were 7.7% of `ksyms info` before).
 */
enum { KS_SEARCH_BLOCK = 64 };

struct ks_blocked {
	const uint64_t *a;      /* the column (not owned) */
	const uint32_t *order;  /* positions into @a in ascending order, or NULL */
	size_t n;
	uint64_t *top;          /* owned: value at every KS_SEARCH_BLOCK-th position */
	size_t ntop;
};

/* Index @a[0..n) (through @order when not NULL).  False: out of memory. */
bool ks_blocked_init(struct ks_blocked *b, const uint64_t *a, const uint32_t *order, size_t n);
void ks_blocked_free(struct ks_blocked *b);

/* The first position whose value is >= @x; n if none.
 * Block k-1 holds the answer when top[k] is the first block start >= @x:
 * every earlier block ends below top[k-1] < x, and if nothing in block k-1
 * reaches x the answer is block k's start, which the in-block search
 * returns as its length. */
static inline size_t ks_blocked_lower_bound(const struct ks_blocked *b, uint64_t x)
{
	size_t k = ks_lower_bound_u64(b->top, NULL, b->ntop, x);

	if (k == 0)
		return 0;
	size_t lo = (k - 1) * KS_SEARCH_BLOCK;
	size_t len = b->n - lo < KS_SEARCH_BLOCK ? b->n - lo : KS_SEARCH_BLOCK;
	if (b->order)
		return lo + ks_lower_bound_u64(b->a, b->order + lo, len, x);
	return lo + ks_lower_bound_u64(b->a + lo, NULL, len, x);
}

/* The number of values <= @v (values are integers: "<= v" is "< v + 1"). */
static inline size_t ks_blocked_upper_bound(const struct ks_blocked *b, uint64_t v)
{
	return v == UINT64_MAX ? b->n : ks_blocked_lower_bound(b, v + 1);
}

#endif
