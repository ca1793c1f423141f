/* SPDX-License-Identifier: MIT */
/* A growable byte buffer and a growth helper for typed arrays. */
#ifndef KSYMS_CORE_BUF_H
#define KSYMS_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"

struct ks_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
};

/* Make room for @extra more bytes; false on overflow or out of memory. */
KS_MUST_CHECK bool ks_buf_reserve(struct ks_buf *b, size_t extra);
/* Make room for exactly @extra more bytes (no rounding up): for a reservation
 * as large as a cap, which is only ever partly written. */
KS_MUST_CHECK bool ks_buf_reserve_exact(struct ks_buf *b, size_t extra);
/* Give back the room beyond b->len. */
void ks_buf_trim(struct ks_buf *b);
KS_MUST_CHECK bool ks_buf_append(struct ks_buf *b, const void *p, size_t n);
/* Append @n zero bytes. */
KS_MUST_CHECK bool ks_buf_zeros(struct ks_buf *b, size_t n);
/* Pad with zeros to a multiple of the power of two @align. */
KS_MUST_CHECK bool ks_buf_align(struct ks_buf *b, size_t align);
void ks_buf_free(struct ks_buf *b);

/* Double *n (not 0) until it is at least @need; false on overflow. */
KS_MUST_CHECK bool ks_double_to(size_t *n, size_t need);
/* Grow the array *p (of *cap elements of @elem bytes) to hold at least @need. */
KS_MUST_CHECK bool ks_grow(void **p, size_t *cap, size_t need, size_t elem);

/* Advise transparent huge pages under the buffer @p of @bytes when it is
 * large enough to gain from them (advice only: nothing else changes). */
void ks_advise_huge(void *p, size_t bytes);

/* The transparent huge page size that alignments here aim at (x86-64 and
 * arm64 with 4 KiB pages; elsewhere the advice is merely wasted). */
#define KS_HUGE_PAGE ((size_t)2 << 20)

/* Arrays of 256 KiB or more on huge pages (see buf.c); free() frees them. */
void *ks_alloc_large(size_t bytes);
/* The bytes that ks_alloc_large(@bytes) really allocates (its huge-page
 * rounding), all of them usable. */
size_t ks_large_size(size_t bytes);
void *ks_calloc_large(size_t n, size_t elem);

/* Zeroed memory of @bytes from the kernel, 2 MiB-aligned and advised
 * huge from 256 KiB on, without a memset() (fresh pages are zero);
 * freed with ks_unmap_zeroed(p, bytes) only.  NULL: out of memory. */
void *ks_map_zeroed(size_t bytes);
void ks_unmap_zeroed(void *p, size_t bytes);

/* Map the pages under an array about to be written all over now, in one
 * system call instead of a fault per page (advice only). */
void ks_prefault(void *p, size_t bytes);

#endif
