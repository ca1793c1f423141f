// SPDX-License-Identifier: MIT
/* The bounds-checked reader, byte order helpers, overflow checks, errors,
 * the branch-free binary search, the arena. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/hashmap.h"
#include "core/overflow.h"
#include "core/search.h"
#include "core/sort.h"
#include "core/span.h"

static void test_span(void)
{
	static const uint8_t d[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x00, 'a', 'b', 0 };
	struct span s = span_make(d, sizeof(d), 100);
	struct span sub;
	uint32_t v32;
	uint64_t v64;
	uint16_t v16;

	CHECK(span_has(s, 0, sizeof(d)));
	CHECK(!span_has(s, 1, sizeof(d)));
	CHECK(!span_has(s, SIZE_MAX, 2));
	CHECK(!span_has(s, 2, SIZE_MAX));
	CHECK(span_u32(s, 0, false, &v32) && v32 == 0x04030201);
	CHECK(span_u32(s, 0, true, &v32) && v32 == 0x01020304);
	CHECK(span_u64(s, 0, false, &v64) && v64 == 0x0807060504030201ull);
	CHECK(span_u64(s, 0, true, &v64) && v64 == 0x0102030405060708ull);
	CHECK(span_u16(s, 1, true, &v16) && v16 == 0x0203);
	CHECK(!span_u64(s, 5, false, &v64));
	CHECK(!span_u32(s, sizeof(d) - 3, false, &v32));
	CHECK(span_sub(s, 2, 3, &sub) && sub.len == 3 && sub.origin == 102);
	CHECK(!span_sub(s, 10, 3, &sub));
	CHECK(span_strnlen(s, 9, 10) == 2);
	CHECK(span_strnlen(s, 12, 10) == SIZE_MAX);
	CHECK(span_find(s, 0, "ab", 2) == 9);
	CHECK(span_find(s, 10, "ab", 2) == SIZE_MAX);
	CHECK(span_is_zero(s, 8, 1) && !span_is_zero(s, 7, 2));
	struct span t = span_from(s, 100);
	CHECK(t.len == 0);
}

static void test_overflow(void)
{
	size_t r;
	CHECK(ckd_add_size(&r, SIZE_MAX, 1));
	CHECK(!ckd_add_size(&r, 1, 2) && r == 3);
	CHECK(ckd_mul_size(&r, SIZE_MAX / 2 + 1, 2));
	CHECK(!align_up_size(&r, 9, 8) && r == 16);
	CHECK(align_up_size(&r, SIZE_MAX, 8));
}

static void test_errors(void)
{
	struct ksyms_error *e = ks_error_at(0x1c3a40, "token_index at 0x%x is not ascending", 0x1c3a40);
	CHECK(ksyms_error_code(e) == KSYMS_ERR_BAD_DATA);
	CHECK(ksyms_error_offset(e) == 0x1c3a40);
	e = ks_error_wrap(e, "gzip stream");
	CHECK_STR(ksyms_error_message(e), "gzip stream: token_index at 0x1c3a40 is not ascending");
	ksyms_error_destroy(e);
	ksyms_error_destroy(NULL);
	ksyms_error_destroy(&ks_enomem);
	CHECK(ksyms_error_code(&ks_enomem) == KSYMS_ERR_NOMEM);
}

static void test_buf_and_map(void)
{
	struct ks_buf b = { 0 };
	CHECK(ks_buf_append(&b, "abc", 3));
	CHECK(ks_buf_align(&b, 8) && b.len == 8);
	CHECK(ks_buf_zeros(&b, 3) && b.len == 11);
	ks_buf_free(&b);

	struct ks_hashmap m;
	CHECK(ks_hashmap_init(&m, 4));
	for (uint64_t k = 0; k < 4; k++)
		*ks_hashmap_slot(&m, k * 0x1000) = (uint32_t)k + 1;
	CHECK(ks_hashmap_slot(&m, 0x99) == NULL); /* full */
	CHECK(ks_hashmap_get(&m, 0x3000) && *ks_hashmap_get(&m, 0x3000) == 4);
	CHECK(ks_hashmap_get(&m, 0x5000) == NULL);
	ks_hashmap_deinit(&m);
}

/* ks_grow keeps an array's contents as it moves onto huge pages (past
 * 256 KiB) and grows on; ks_alloc_large gives 2 MiB-aligned memory from
 * 256 KiB on, which is what makes the huge pages possible. */
static void test_large_arrays(void)
{
	uint32_t *a = NULL;
	size_t cap = 0, n = 3u << 20 >> 2, bad = 0; /* 3 MiB of uint32_t */

	for (size_t i = 0; i < n; i++) {
		if (!ks_grow((void **)&a, &cap, i + 1, sizeof(*a)))
			break;
		a[i] = (uint32_t)(i * 2654435761u);
	}
	CHECK(cap >= n);
	for (size_t i = 0; i < n && cap >= n; i++)
		bad += a[i] != (uint32_t)(i * 2654435761u);
	CHECK(bad == 0);
	free(a);

	void *p = ks_alloc_large(300u << 10);
	CHECK(p && ((uintptr_t)p & ((2u << 20) - 1)) == 0);
	free(p);
	uint8_t *z = ks_calloc_large(1u << 20, 3);
	size_t nonzero = 0;
	for (size_t i = 0; z && i < (3u << 20); i += 4093)
		nonzero += z[i] != 0;
	CHECK(z && nonzero == 0);
	free(z);
	p = ks_alloc_large(100); /* small: plain malloc */
	CHECK(p != NULL);
	free(p);
	CHECK(ks_calloc_large(SIZE_MAX / 2, 4) == NULL);
}

/* ks_lower_bound_u64 and ks_upper_bound_u64 against a plain scan: every
 * length up to 40, values with repeats, keys below, between, on and above
 * them, directly and through an order array (the values reversed). */
static void test_lower_bound(void)
{
	uint64_t a[40], s[40];
	uint32_t order[40];
	size_t bad = 0, tried = 0;
	unsigned r = 12345;

	for (size_t n = 0; n <= 40; n++) {
		for (int round = 0; round < 20; round++) {
			uint64_t v = 0;
			for (size_t i = 0; i < n; i++) {
				r = r * 1103515245u + 12345u;
				v += (r >> 16) % 3 * 2; /* steps of 0, 2 or 4: repeats and gaps */
				a[i] = v;
			}
			/* s holds a's values reversed; order[k] = n-1-k puts them back */
			for (size_t i = 0; i < n; i++) {
				s[n - 1 - i] = a[i];
				order[i] = (uint32_t)(n - 1 - i);
			}
			for (uint64_t x = 0; x <= v + 2; x++) {
				size_t want = 0;
				while (want < n && a[want] < x)
					want++;
				bad += ks_lower_bound_u64(a, NULL, n, x) != want;
				bad += ks_lower_bound_u64(s, order, n, x) != want;
				size_t upper = want;
				while (upper < n && a[upper] <= x)
					upper++;
				bad += ks_upper_bound_u64(a, n, x) != upper;
				tried += 3;
			}
		}
	}
	CHECK(tried > 10000);
	CHECK_EQ_U64(bad, 0);
	uint64_t top[3] = { 1, 2, UINT64_MAX };
	CHECK_EQ_U64(ks_lower_bound_u64(top, NULL, 3, UINT64_MAX), 2);
	CHECK_EQ_U64(ks_lower_bound_u64(top, NULL, 3, 0), 0);
}

/* Mismatches of the blocked searches against a plain scan of @a at @x. */
static size_t blocked_mismatches(const uint64_t *a, size_t n, const struct ks_blocked *direct,
				 const struct ks_blocked *through, uint64_t x)
{
	size_t lower = 0, upper;

	while (lower < n && a[lower] < x)
		lower++;
	upper = lower;
	while (upper < n && a[upper] <= x)
		upper++;
	return (ks_blocked_lower_bound(direct, x) != lower) + (ks_blocked_lower_bound(through, x) != lower) +
	       (ks_blocked_upper_bound(direct, x) != upper) + (ks_blocked_upper_bound(through, x) != upper);
}

/* ks_blocked_* against a plain scan, across block boundaries: lengths
 * around one, two and three blocks, repeats that straddle a block's start,
 * direct and through an order array, keys 0 and UINT64_MAX included. */
static void test_blocked_search(void)
{
	enum { MAX = 3 * KS_SEARCH_BLOCK + 2 };
	static uint64_t a[MAX], s[MAX];
	static uint32_t order[MAX];
	size_t bad = 0, tried = 0;
	unsigned r = 777;
	const size_t lengths[] = { 0, 1, 2, KS_SEARCH_BLOCK - 1, KS_SEARCH_BLOCK, KS_SEARCH_BLOCK + 1,
				   2 * KS_SEARCH_BLOCK, 2 * KS_SEARCH_BLOCK + 1, MAX };

	for (size_t li = 0; li < sizeof(lengths) / sizeof(lengths[0]); li++) {
		size_t n = lengths[li];
		for (int round = 0; round < 8; round++) {
			/* round 6 ends on UINT64_MAX, round 7 lies just below it */
			uint64_t v = round == 7 ? UINT64_MAX - 3 * MAX : 0;
			for (size_t i = 0; i < n; i++) {
				r = r * 1103515245u + 12345u;
				v += (r >> 16) % 3; /* steps of 0, 1 or 2 */
				a[i] = v;
			}
			uint64_t limit = v + 2;
			if (round == 6 && n)
				a[n - 1] = UINT64_MAX;
			for (size_t i = 0; i < n; i++) {
				s[n - 1 - i] = a[i];
				order[i] = (uint32_t)(n - 1 - i);
			}
			struct ks_blocked direct, through;
			CHECK(ks_blocked_init(&direct, a, NULL, n));
			CHECK(ks_blocked_init(&through, s, order, n));
			for (uint64_t x = round == 7 ? UINT64_MAX - 3 * MAX - 1 : 0; x <= limit; x++, tried++)
				bad += blocked_mismatches(a, n, &direct, &through, x);
			bad += blocked_mismatches(a, n, &direct, &through, UINT64_MAX - 1);
			bad += blocked_mismatches(a, n, &direct, &through, UINT64_MAX);
			ks_blocked_free(&direct);
			ks_blocked_free(&through);
		}
	}
	CHECK(tried > 5000);
	CHECK_EQ_U64(bad, 0);
}

/* ks_radix_sort_records: records of a u64 and a u32 key, sorted by each,
 * against the order a stable insertion sort gives: keys with shared high
 * digits (kernel addresses), repeats (stability), a key of UINT64_MAX. */
struct rec {
	uint64_t addr;
	uint32_t index;
};

static void test_radix_sort(void)
{
	enum { N = 3000 };
	static struct rec r[N];
	static uint32_t p[N], tmp[N], want[N];
	unsigned seed = 99;
	size_t bad = 0;

	for (int key = 0; key < 2; key++) {
		for (size_t n = 0; n <= N; n = n ? n * 3 : 1) {
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				r[i].addr = 0xffff800080000000ull + ((uint64_t)(seed >> 8) % (1u << 22)) * 4;
				r[i].index = (seed >> 4) % 70000;
				if (i % 7 == 3)
					r[i].addr = r[i / 2].addr; /* repeats */
				p[i] = (uint32_t)i;
			}
			if (n > 5)
				r[5].addr = UINT64_MAX;
			for (size_t i = 0; i < n; i++) {
				size_t j = i;
				uint64_t k = key ? r[i].index : r[i].addr;
				while (j > 0 && (key ? r[want[j - 1]].index : r[want[j - 1]].addr) > k) {
					want[j] = want[j - 1];
					j--;
				}
				want[j] = (uint32_t)i;
			}
			if (key)
				ks_radix_sort_records(r, sizeof(*r), offsetof(struct rec, index), 4, p, tmp, n);
			else
				ks_radix_sort_records(r, sizeof(*r), offsetof(struct rec, addr), 8, p, tmp, n);
			for (size_t i = 0; i < n; i++)
				bad += p[i] != want[i];
		}
	}
	CHECK_EQ_U64(bad, 0);
}

/* The arena: aligned pieces that do not overlap and keep their bytes, a
 * small chunk for small requests and whole huge pages for large ones,
 * exact first reservations, and release giving back exactly what came
 * after the mark. */
static void test_arena(void)
{
	struct ks_arena a = { 0 };
	unsigned char *p[64];
	size_t bad = 0;

	for (size_t i = 0; i < 64; i++) {
		p[i] = ks_arena_alloc(&a, i * 37 + 1);
		if (!p[i] || (uintptr_t)p[i] % 16)
			bad++;
		else
			memset(p[i], (int)i, i * 37 + 1);
	}
	for (size_t i = 0; i < 64; i++)
		for (size_t j = 0; p[i] && j < i * 37 + 1; j++)
			bad += p[i][j] != (unsigned char)i;
	CHECK_EQ_U64(bad, 0);
	struct ks_arena_chunk *small = a.chunks;
	CHECK(small != NULL);

	/* a large piece starts a chunk on a 2 MiB boundary (after the header) */
	struct ks_arena_mark m = ks_arena_mark(&a);
	unsigned char *big = ks_arena_alloc(&a, 300u << 10);
	CHECK(big != NULL && a.chunks != small && (uintptr_t)big / KS_HUGE_PAGE == (uintptr_t)(big + (300u << 10)) / KS_HUGE_PAGE);
	unsigned char *next = ks_arena_alloc(&a, 1u << 20); /* fits the same chunk's rest */
	CHECK(next == big + (300u << 10));
	ks_arena_release(&a, m);
	CHECK(a.chunks == small);
	CHECK(ks_arena_alloc(&a, 16) == p[63] + ((63 * 37 + 1 + 15) & ~(size_t)15));

	/* growth: first reservation exact, then doubling, the contents kept */
	uint32_t *v = NULL;
	size_t cap = 0;
	CHECK(ks_arena_grow(&a, (void **)&v, &cap, 1000, sizeof(*v)) && cap == 1000);
	for (uint32_t i = 0; i < 1000; i++)
		v[i] = i * 7;
	CHECK(ks_arena_grow(&a, (void **)&v, &cap, 1001, sizeof(*v)) && cap == 2000);
	bad = 0;
	for (uint32_t i = 0; i < 1000; i++)
		bad += v[i] != i * 7;
	CHECK_EQ_U64(bad, 0);
	CHECK(!ks_arena_grow(&a, (void **)&v, &cap, SIZE_MAX / 2, sizeof(*v)));
	CHECK(ks_arena_alloc(&a, SIZE_MAX - 8) == NULL);
	ks_arena_free(&a);
	CHECK(a.chunks == NULL && a.used == 0);

	/* lent room: the rest of a huge-page allocation is the first chunk,
	 * the arena never frees it, and frees the lender's block once kept */
	size_t bytes = 300u << 10, size = ks_large_size(bytes);
	CHECK_EQ_U64(size, KS_HUGE_PAGE);
	CHECK_EQ_U64(ks_large_size(1000), 1000);
	unsigned char *block = ks_alloc_large(bytes);
	CHECK(block != NULL && !ks_arena_lend(&a, block + bytes, 1000)); /* too small */
	CHECK(ks_arena_lend(&a, block + bytes + 3, size - bytes - 3));
	CHECK(!ks_arena_lend(&a, block + bytes, size - bytes)); /* not empty */
	unsigned char *in = ks_arena_alloc(&a, 1u << 20);
	CHECK(in >= block + bytes && in + (1u << 20) <= block + size && (uintptr_t)in % 16 == 0);
	memset(in, 0x5a, 1u << 20);
	unsigned char *out = ks_arena_alloc(&a, 1u << 20); /* past the lent room: a chunk of its own */
	CHECK(out != NULL && (out < block || out >= block + size));
	ks_arena_free(&a); /* must not free block */
	block[0] = 1;
	CHECK(ks_arena_lend(&a, block + bytes, size - bytes));
	ks_arena_keep(&a, block);
	ks_arena_free(&a); /* frees block: ASan and valgrind see a leak or a double free otherwise */
	CHECK(a.kept == NULL && a.chunks == NULL);
}

int main(void)
{
	test_span();
	test_overflow();
	test_errors();
	test_buf_and_map();
	test_large_arrays();
	test_lower_bound();
	test_blocked_search();
	test_radix_sort();
	test_arena();
	return tap_done();
}
