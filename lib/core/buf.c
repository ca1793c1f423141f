// SPDX-License-Identifier: MIT
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "overflow.h"

/*
 * Ask for transparent huge pages under a large buffer (a decompressed
 * kernel, a symbol table's arrays).  Such a buffer is written once, front
 * to back, so every 4 KiB page of it costs a fault; with THP in "madvise"
 * mode (Debian's default) one fault maps 2 MiB.  The faults were 24% of
 * `ksyms list` on a zstd bzImage (13,400 of them) on a virtual machine
 * where a fault is dear.  Advice only: where the kernel has no THP, or the
 * range moves on a later realloc, nothing changes but the speed.
 */
enum { HUGE_ADVICE_MIN = 4u << 20 };

void ks_advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	long page = sysconf(_SC_PAGESIZE);
	if (bytes < HUGE_ADVICE_MIN || page <= 0)
		return;
	/* Every page the buffer touches, the partial first and last too: the
	 * mapping malloc made for it (its header sits before @p) then stays
	 * one VMA, which realloc can still grow with mremap; advising only the
	 * whole pages inside split it, and every growth became a copy. */
	uintptr_t mask = (uintptr_t)page - 1;
	uintptr_t start = (uintptr_t)p & ~mask;
	uintptr_t end = ((uintptr_t)p + bytes + mask) & ~mask;
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

/*
 * Map the pages under [@p, @p + @bytes) writable now, in one system call,
 * for an array about to be written all over (a symbol table's columns, a
 * hash map's slots).  Each first write to a page otherwise costs a fault:
 * 1,040 of the 1,780 faults of `ksyms list` on a 210,000-symbol kernel
 * were the columns, on a virtual machine where a fault costs microseconds.
 * Advice only (MADV_POPULATE_WRITE is Linux 5.14+; older kernels say
 * EINVAL and the pages fault in as before).  Small arrays are left alone:
 * they share pages with malloc's other chunks.
 */
enum { PREFAULT_MIN = 64u << 10 };

void ks_prefault(void *p, size_t bytes)
{
#ifdef MADV_POPULATE_WRITE
	long page = sysconf(_SC_PAGESIZE);
	if (bytes < PREFAULT_MIN || page <= 0)
		return;
	uintptr_t mask = (uintptr_t)page - 1;
	uintptr_t start = ((uintptr_t)p + mask) & ~mask; /* whole pages inside only */
	uintptr_t end = ((uintptr_t)p + bytes) & ~mask;
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)bytes;
#endif
}

/*
 * An array of 256 KiB or more, on whole 2 MiB pages: aligned to 2 MiB,
 * its size rounded up to a multiple, and advised huge.  malloc puts such an
 * array in a mapping of its own at no particular alignment, so an array
 * under 4 MiB got no huge page at all, and every 4 KiB page of it cost a
 * fault on first write, prefaulted or not.  On this project's virtual
 * machine (shadow page tables) a first write to a prefaulted 4 KiB page
 * costs about 7 us and a fault 15 us, against 0.15 us per 4 KiB on a huge
 * page (8 MiB written once: 31 ms lazy, 15 ms prefaulted, 1.3 ms on huge
 * pages; a 256 KiB array is 64 faults, about 0.7 ms, against one 2 MiB
 * page cleared in about 0.15 ms).  The rounding costs at most 2 MiB per
 * array, once.  Freed with free().  ks_grow() moves an array here when it
 * grows past 256 KiB.
 */
enum { LARGE_MIN = 256u << 10 };

void *ks_alloc_large(size_t bytes)
{
	size_t r;

	if (bytes < LARGE_MIN)
		return malloc(bytes ? bytes : 1);
	if (ckd_add_size(&r, bytes, KS_HUGE_PAGE - 1))
		return NULL;
	r &= ~(size_t)(KS_HUGE_PAGE - 1);
	void *q = aligned_alloc(KS_HUGE_PAGE, r);
#ifdef MADV_HUGEPAGE
	if (q)
		(void)madvise(q, r, MADV_HUGEPAGE);
#endif
	return q;
}

size_t ks_large_size(size_t bytes)
{
	size_t r;

	if (bytes < LARGE_MIN || ckd_add_size(&r, bytes, KS_HUGE_PAGE - 1))
		return bytes;
	return r & ~(size_t)(KS_HUGE_PAGE - 1);
}

/*
 * For the vote maps (hashmap.c), which must start zeroed: ks_calloc_large()
 * clears with memset() what the kernel has just cleared, 16 MiB for the
 * largest.  Below LARGE_MIN calloc() does the same job; from it on, an
 * anonymous mapping trimmed to a 2 MiB boundary.
 */
void *ks_map_zeroed(size_t bytes)
{
	size_t r, span;

	if (bytes < LARGE_MIN)
		return calloc(1, bytes ? bytes : 1);
	if (ckd_add_size(&r, bytes, KS_HUGE_PAGE - 1))
		return NULL;
	r &= ~(size_t)(KS_HUGE_PAGE - 1);
	if (ckd_add_size(&span, r, KS_HUGE_PAGE))
		return NULL;
	uint8_t *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	uint8_t *q = (uint8_t *)(((uintptr_t)m + KS_HUGE_PAGE - 1) & ~(uintptr_t)(KS_HUGE_PAGE - 1));
	if (q > m)
		(void)munmap(m, (size_t)(q - m));
	if (q + r < m + span)
		(void)munmap(q + r, (size_t)(m + span - (q + r)));
#ifdef MADV_HUGEPAGE
	(void)madvise(q, r, MADV_HUGEPAGE);
#endif
	return q;
}

void ks_unmap_zeroed(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < LARGE_MIN) {
		free(p);
		return;
	}
	(void)munmap(p, (bytes + KS_HUGE_PAGE - 1) & ~(size_t)(KS_HUGE_PAGE - 1));
}

/* ks_alloc_large() zeroed, for @n elements of @elem bytes. */
void *ks_calloc_large(size_t n, size_t elem)
{
	size_t bytes;

	if (ckd_mul_size(&bytes, n, elem))
		return NULL;
	if (bytes < LARGE_MIN)
		return calloc(n ? n : 1, elem ? elem : 1);
	void *q = ks_alloc_large(bytes);
	if (q)
		memset(q, 0, bytes);
	return q;
}

bool ks_double_to(size_t *n, size_t need)
{
	while (*n < need) {
		if (ckd_mul_size(n, *n, 2))
			return false;
	}
	return true;
}

bool ks_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 16, bytes;
	if (!ks_double_to(&n, need) || ckd_mul_size(&bytes, n, elem))
		return false;
	void *q;
	size_t old = *cap * elem; /* cannot overflow: it was allocated */
	if (bytes >= LARGE_MIN && old < LARGE_MIN) {
		/* onto huge pages once it is large (ks_alloc_large) */
		q = ks_alloc_large(bytes); /* advised huge already */
		if (!q)
			return false;
		if (*p) {
			memcpy(q, *p, old);
			free(*p);
		}
	} else {
		q = realloc(*p, bytes);
		if (!q)
			return false;
		ks_advise_huge(q, bytes);
	}
	*p = q;
	*cap = n;
	return true;
}

bool ks_buf_reserve(struct ks_buf *b, size_t extra)
{
	size_t need;

	if (ckd_add_size(&need, b->len, extra))
		return false;
	return ks_grow((void **)&b->p, &b->cap, need, 1);
}

bool ks_buf_reserve_exact(struct ks_buf *b, size_t extra)
{
	size_t need;

	if (ckd_add_size(&need, b->len, extra))
		return false;
	if (need <= b->cap)
		return true;
	void *q = realloc(b->p, need);
	if (!q)
		return false;
	ks_advise_huge(q, need);
	b->p = q;
	b->cap = need;
	return true;
}

void ks_buf_trim(struct ks_buf *b)
{
	if (b->len == 0 || b->len == b->cap)
		return;
	void *q = realloc(b->p, b->len);
	if (q) { /* a shrink that fails leaves the buffer as it was */
		b->p = q;
		b->cap = b->len;
	}
}

bool ks_buf_append(struct ks_buf *b, const void *p, size_t n)
{
	if (!ks_buf_reserve(b, n))
		return false;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	return true;
}

bool ks_buf_zeros(struct ks_buf *b, size_t n)
{
	if (n == 0)
		return true; /* b->p may still be NULL */
	if (!ks_buf_reserve(b, n))
		return false;
	memset(b->p + b->len, 0, n);
	b->len += n;
	return true;
}

bool ks_buf_align(struct ks_buf *b, size_t align)
{
	size_t rem = b->len & (align - 1);
	return rem ? ks_buf_zeros(b, align - rem) : true;
}

void ks_buf_free(struct ks_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
