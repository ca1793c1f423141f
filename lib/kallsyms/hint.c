// SPDX-License-Identifier: MIT
/*
 * Where to look first: a sparse sample of the kernel's bytes for the
 * address table (kallsyms_addresses or kallsyms_offsets), so that the
 * search for the token table starts next to it instead of reading every
 * byte of the text in front of it (about 20 MiB of a 6.12 arm64 Image:
 * 3 ms of the 20 that `info` took).
 *
 * Every layout keeps the tables together in .rodata: before 6.4 the
 * address table comes first and the token table follows it after the
 * names; from 6.4 (404bad70fcf7) the token table ends a few KiB before
 * it.  An address table is long (4 or 8 bytes per symbol) and, unlike
 * code or most data, monotonic with small steps, so one cache line of it
 * reads as a sorted run: a sample every @stride bytes meets it.
 *
 * The hint only orders the search (locate.c scans from it to the end,
 * then the bytes before it); a wrong hint costs time, never a result.
 * Only an input with two complete tables can tell: the one at or after
 * the hint wins, not the first in the file, so memory dumps, which may
 * hold several kernels, are not hinted.
 */
#include "kallsyms.h"

enum {
	SAMPLE = 64,            /* one cache line per sample */
	MIN_STRIDE = 4096,
	MAX_STRIDE = 64 * 1024, /* one page fault per sample on a mapped file */
	STRIDES_PER_IMAGE = 512,
	/* the 6.4+ token table and markers before the array's first sample */
	BEFORE = 64 * 1024,
	/* neighbours in a sorted address table are this close (symbols of
	 * one cache line's worth span far less than a MiB) */
	MAX_SPREAD = 1u << 24,
	/* a table of at least 8 KiB (2048 u32 offsets): every kernel's */
	CONFIRM_LINES = 8,
	CONFIRM_STEP = 1024,
	CONFIRM_BACK = CONFIRM_LINES / 2 * CONFIRM_STEP,
};

/* @n words at @p of @size bytes form a run that only rises (+1), or only
 * falls (-1), by less than MAX_SPREAD in all, with at least n/2 distinct
 * values (not a zero fill or a counter array of a few values); else 0. */
static int sorted_run(const uint8_t *p, unsigned n, unsigned size, bool be)
{
	uint64_t first = load_word(p, size, be), prev = first;
	unsigned up = 0, down = 0;

	for (unsigned i = 1; i < n; i++) {
		uint64_t w = load_word(p + i * size, size, be);
		up += w > prev;
		down += w < prev;
		prev = w;
	}
	uint64_t spread = prev > first ? prev - first : first - prev;
	if ((up && down) || (up + down) * 2 < n || spread >= MAX_SPREAD)
		return 0;
	return up ? 1 : -1;
}

/*
 * The sample at @o is one line of a long table, not of a short sorted
 * array (a 6.12 arm64 Image has arrays of pointers to strings, in order,
 * megabytes before kallsyms): CONFIRM_LINES lines CONFIRM_STEP apart
 * around it run the same way, each continuing the one before.
 */
static bool long_run(struct span d, size_t o, unsigned size, bool be, int dir)
{
	size_t at = o > CONFIRM_BACK ? o - CONFIRM_BACK : 0;
	uint64_t prev = 0;

	for (unsigned k = 0; k < CONFIRM_LINES; k++, at += CONFIRM_STEP) {
		const uint8_t *p = span_at(d, at, SAMPLE);
		if (!p || sorted_run(p, SAMPLE / size, size, be) != dir)
			return false;
		uint64_t first = load_word(p, size, be);
		if (k && (dir > 0 ? first < prev : first > prev))
			return false;
		prev = load_word(p + SAMPLE - size, size, be);
	}
	return true;
}

/* A 64-byte sample at @o that reads as part of an address table: u32
 * (offsets, or a 32-bit kernel's addresses) or u64, either byte order.  A
 * u32 table read as u64s spreads by 2^32 and more, so the two differ. */
static bool looks_like_addresses(struct span d, size_t o)
{
	const uint8_t *p = span_at(d, o, SAMPLE);

	for (int k = 0; p && k < 4; k++) {
		unsigned size = k & 1 ? 8 : 4;
		bool be = k >= 2;
		int dir = sorted_run(p, SAMPLE / size, size, be);
		if (dir && long_run(d, o, size, be, dir))
			return true;
	}
	return false;
}

size_t ks_hint_tables(const struct ks_ctx *ctx)
{
	struct span d = ctx->data;
	size_t stride = MIN_STRIDE;

	/* a memory dump may hold several kernels: keep to file order there */
	if (ctx->kernel->dump)
		return 0;
	while (stride < MAX_STRIDE && stride * STRIDES_PER_IMAGE < d.len)
		stride *= 2;
	for (size_t o = 0; o < d.len; o += stride) {
		if (looks_like_addresses(d, o)) {
			size_t back = stride + BEFORE;
			ks_debug(&ctx->log, "kallsyms search: a sorted address-like run at 0x%zx: starting there", o);
			return o > back ? o - back : 0;
		}
	}
	return 0;
}
