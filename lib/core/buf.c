// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "overflow.h"

bool ks_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 16;
	while (n < need) {
		if (ckd_mul_size(&n, n, 2))
			return false;
	}
	size_t bytes;
	if (ckd_mul_size(&bytes, n, elem))
		return false;
	void *q = realloc(*p, bytes);
	if (!q)
		return false;
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
