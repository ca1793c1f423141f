// SPDX-License-Identifier: MIT
/*
 * Why an arena: every fresh 2 MiB page is cleared whole on its first touch
 * (about 0.15-0.25 ms on the benchmark VM) and every fresh 4 KiB page
 * costs a fault (about 11 us).  `ksyms info` on 6.12 arm64 gave the
 * exports' entries (285 KB) and names (380 KB) a huge page each, their
 * sort 25 small-page faults, and verification's text addresses another
 * huge page: 1.5 MB in all, which one chunk holds.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "overflow.h"

struct ks_arena_chunk {
	struct ks_arena_chunk *next;
	size_t size; /* bytes of room after the header */
	bool lent;   /* in another allocation (ks_arena_lend): not freed here */
	_Alignas(16) unsigned char room[];
};

/* A chunk of at least @need bytes of room: 64 KiB from malloc for a small
 * table, else whole 2 MiB pages (ks_alloc_large), a huge page cleared on
 * first touch instead of a fault per 4 KiB page. */
enum { SMALL_CHUNK = 64u << 10, ALIGN = 16 };

static struct ks_arena_chunk *new_chunk(size_t need)
{
	size_t bytes;

	if (ckd_add_size(&bytes, need, sizeof(struct ks_arena_chunk)))
		return NULL;
	if (bytes <= SMALL_CHUNK)
		bytes = SMALL_CHUNK;
	else
		bytes = ks_large_size(bytes < KS_HUGE_PAGE ? KS_HUGE_PAGE : bytes); /* what ks_alloc_large() takes */
	struct ks_arena_chunk *c = ks_alloc_large(bytes);
	if (c) {
		c->size = bytes - sizeof(*c);
		c->lent = false;
	}
	return c;
}

void *ks_arena_alloc(struct ks_arena *a, size_t bytes)
{
	size_t need;

	if (ckd_add_size(&need, bytes ? bytes : 1, ALIGN - 1))
		return NULL;
	need &= ~(size_t)(ALIGN - 1);
	struct ks_arena_chunk *c = a->chunks;
	if (!c || c->size - a->used < need) {
		c = new_chunk(need);
		if (!c)
			return NULL;
		c->next = a->chunks;
		a->chunks = c;
		a->used = 0;
	}
	void *p = c->room + a->used;
	a->used += need;
	return p;
}

bool ks_arena_grow(struct ks_arena *a, void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	/* a first reservation is exact: the callers know their counts */
	size_t n = *cap ? *cap : need, bytes;
	if (!ks_double_to(&n, need) || ckd_mul_size(&bytes, n, elem))
		return false;
	void *q = ks_arena_alloc(a, bytes);
	if (!q)
		return false;
	if (*cap)
		memcpy(q, *p, *cap * elem); /* cannot overflow: it was allocated */
	*p = q;
	*cap = n;
	return true;
}

bool ks_arena_lend(struct ks_arena *a, void *p, size_t bytes)
{
	uintptr_t at = ((uintptr_t)p + ALIGN - 1) & ~(uintptr_t)(ALIGN - 1);
	size_t skip = (size_t)(at - (uintptr_t)p);

	if (a->chunks || bytes < skip || bytes - skip < SMALL_CHUNK)
		return false;
	struct ks_arena_chunk *c = (struct ks_arena_chunk *)at;
	c->next = NULL;
	c->size = bytes - skip - sizeof(*c);
	c->lent = true;
	a->chunks = c;
	a->used = 0;
	return true;
}

void ks_arena_keep(struct ks_arena *a, void *p)
{
	free(a->kept); /* only one lender: never set twice */
	a->kept = p;
}

struct ks_arena_mark ks_arena_mark(const struct ks_arena *a)
{
	return (struct ks_arena_mark){ a->chunks, a->used };
}

void ks_arena_release(struct ks_arena *a, struct ks_arena_mark m)
{
	while (a->chunks && a->chunks != m.chunk) {
		struct ks_arena_chunk *c = a->chunks;
		a->chunks = c->next;
		if (!c->lent)
			free(c);
	}
	a->used = a->chunks ? m.used : 0;
}

void ks_arena_free(struct ks_arena *a)
{
	ks_arena_release(a, (struct ks_arena_mark){ NULL, 0 });
	free(a->kept);
	a->kept = NULL;
}
