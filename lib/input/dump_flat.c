// SPDX-License-Identifier: MIT
/*
 * makedumpfile's flattened format (makedumpfile -F, and what QEMU 7.2's
 * dump-guest-memory -z/-l/-s writes): a 4096-byte header starting
 * "makedumpfile", then records of (offset, size) big-endian int64 and
 * `size` bytes of the plain kdump file that belong at `offset`, ended by
 * an offset of -1.  `makedumpfile -R` replays it into the plain file; we
 * index the records instead and read the plain file through them.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/overflow.h"

enum { FLAT_HEADER = 4096, REC_HEADER = 16 };

bool ks_dump_flat_detect(struct span file)
{
	uint64_t type;

	return span_eq(file, 0, "makedumpfile\0\0\0\0", 16) && span_u64(file, 16, true, &type) && type == 1;
}

static int cmp_rec(const void *a, const void *b)
{
	const struct ks_flat_rec *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

struct ksyms_error *ks_dump_flat_index(struct ks_dump *d)
{
	struct span f = d->file;
	size_t pos = FLAT_HEADER, cap = 0;

	for (;;) {
		uint64_t off, size;
		if (!span_u64(f, pos, true, &off) || !span_u64(f, pos + 8, true, &size))
			break; /* cut short: keep what was written */
		if (off == ~0ull)
			break;
		if ((off >> 63) || size > f.len - pos - REC_HEADER)
			return ks_error_at((int64_t)pos, "flattened dump: record at 0x%zx (offset 0x%llx, %llu bytes) runs "
					   "past the file", pos, (unsigned long long)off, (unsigned long long)size);
		if (d->nrecs == cap && !ks_grow((void **)&d->recs, &cap, d->nrecs + 1, sizeof(*d->recs)))
			return &ks_enomem;
		d->recs[d->nrecs++] = (struct ks_flat_rec){ off, size, pos + REC_HEADER };
		pos += REC_HEADER + (size_t)size;
	}
	if (!d->nrecs)
		return ks_error_at(FLAT_HEADER, "flattened dump without records");
	qsort(d->recs, d->nrecs, sizeof(*d->recs), cmp_rec);
	return NULL;
}

/* The record that holds logical byte @off (the last written of those that
 * do), or NULL. */
static const struct ks_flat_rec *rec_at(const struct ks_dump *d, uint64_t off)
{
	size_t lo = 0, hi = d->nrecs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->recs[mid].off <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* records before lo start at or before @off; a few back may be a
	 * longer one that covers it */
	for (size_t i = lo, tries = 0; i > 0 && tries < 16; i--, tries++) {
		const struct ks_flat_rec *r = &d->recs[i - 1];
		if (off - r->off < r->size)
			return r;
	}
	return NULL;
}

bool ks_dump_file_read(const struct ks_dump *d, uint64_t off, void *buf, size_t len)
{
	uint8_t *out = buf;

	if (!d->flat) {
		const uint8_t *p = off <= SIZE_MAX ? span_at(d->file, (size_t)off, len) : NULL;
		if (!p)
			return false;
		memcpy(out, p, len);
		return true;
	}
	while (len) {
		const struct ks_flat_rec *r = rec_at(d, off);
		if (!r)
			return false;
		uint64_t in = off - r->off, n = r->size - in;
		if (n > len)
			n = len;
		const uint8_t *p = span_at(d->file, (size_t)(r->at + in), (size_t)n);
		if (!p)
			return false;
		memcpy(out, p, (size_t)n);
		out += n;
		off += n;
		len -= (size_t)n;
	}
	return true;
}

const uint8_t *ks_dump_file_at(const struct ks_dump *d, uint64_t off, size_t len)
{
	if (!d->flat)
		return off <= SIZE_MAX ? span_at(d->file, (size_t)off, len) : NULL;
	const struct ks_flat_rec *r = rec_at(d, off);
	if (!r || r->size - (off - r->off) < len)
		return NULL;
	return span_at(d->file, (size_t)(r->at + (off - r->off)), len);
}
