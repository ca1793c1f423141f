// SPDX-License-Identifier: MIT
/*
 * Finding kallsyms_markers, kallsyms_names and kallsyms_num_syms, working
 * backwards from the token table.
 *
 * In every layout the order is ... num_syms, names, markers ... and the
 * markers are followed (after padding) by token_table, except in 6.2/6.3
 * and stable backports such as Debian 6.1.192, where seqs_of_names (3 bytes
 * per symbol) sits between markers and token_table.
 *
 * markers[k] is the offset in names of symbol 256*k, so markers[0] == 0 and
 * each step covers 256 entries of at least 2 bytes.  The decisive check is a
 * walk of the whole names stream: every group of 256 entries must end
 * exactly where the next marker says, and the last group exactly where the
 * markers begin (give or take alignment).  num_syms is found as the word
 * right before names whose value is consistent with the marker count.
 *
 * The entry length is one byte before 6.1 and ULEB128 (one or two bytes)
 * since 73bbb94466fd ("kallsyms: support "big" kernel symbols", 6.1).  The
 * stream does not say which; the walk does: only the right rule lands on
 * every marker once a name of 128+ bytes exists.
 */
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "core/overflow.h"

enum {
	MAX_EXTRA_MARKERS = 4,               /* seqs_of_names words read as markers by chance */
	MIN_GROUP = 256 * 2,                 /* 256 entries of >= 2 bytes */
	MAX_GROUP = 256 * (KS_MAX_ENTRY + 2), /* 256 entries of the longest kind */
};

bool ks_names_walk(struct span data, size_t pos, size_t limit, uint32_t count, unsigned len_bytes,
		   size_t *ret_end, bool *ret_long)
{
	const uint8_t *p = span_at(data, 0, limit);

	if (!p)
		return false;
	for (uint32_t i = 0; i < count; i++) {
		if (pos >= limit)
			return false;
		size_t len = p[pos];
		size_t hdr = 1;
		if (len_bytes == 2 && (len & 0x80)) {
			if (pos + 1 >= limit)
				return false;
			len = (len & 0x7f) | (size_t)p[pos + 1] << 7;
			hdr = 2;
			*ret_long = true;
		}
		if (len == 0 || len > limit - pos - hdr)
			return false;
		pos += hdr + len;
	}
	*ret_end = pos;
	return true;
}

bool ks_seqs_valid(struct span data, size_t off, uint32_t n, unsigned entry_size, bool be)
{
	size_t bytes;

	if (n == 0 || ckd_mul_size(&bytes, n, entry_size))
		return false;
	const uint8_t *p = span_at(data, off, bytes);
	if (!p)
		return false;
	uint8_t *seen = calloc((n + 7) / 8, 1);
	if (!seen)
		return false;
	bool ok = true;
	for (uint32_t i = 0; i < n && ok; i++) {
		const uint8_t *e = p + (size_t)i * entry_size;
		/* 3-byte entries are big-endian whatever the target (19bd8981dc2e) */
		uint32_t v = entry_size == 3 ? (uint32_t)e[0] << 16 | e[1] << 8 | e[2] : load32(e, be);
		if (v >= n || (seen[v / 8] & (1u << (v % 8))))
			ok = false;
		else
			seen[v / 8] |= (uint8_t)(1u << (v % 8));
	}
	free(seen);
	return ok;
}

/* The markers as found: where they are and how wide. */
struct markers {
	size_t off;
	unsigned size;
	uint32_t count;
	bool be;
};

static uint64_t marker(struct span d, const struct markers *m, uint32_t k)
{
	return load_word(d.p + m->off + (size_t)k * m->size, m->size, m->be);
}

static bool marker_step_ok(uint64_t lo, uint64_t hi)
{
	return hi > lo && hi - lo >= MIN_GROUP && hi - lo <= MAX_GROUP;
}

/* Markers that end at @end: read backwards until markers[0] == 0. */
static bool markers_ending_at(const struct ks_ctx *ctx, size_t end, unsigned w, bool be, uint32_t max,
			      struct markers *ret)
{
	struct span d = ctx->data;
	uint64_t prev = 0;
	uint32_t k = 0;

	for (size_t pos = end; pos >= w; pos -= w) {
		uint64_t v;
		if (!ks_work(ctx, 1) || !span_word(d, pos - w, w, be, &v))
			return false;
		if (k > 0 && !marker_step_ok(v, prev))
			return false;
		k++;
		if (v == 0) {
			ret->off = pos - w;
			ret->size = w;
			ret->count = k;
			ret->be = be;
			return true;
		}
		if (k >= max) {
			ks_over_max(ctx, pos - w);
			return false;
		}
		prev = v;
	}
	return false;
}

/* Markers that start at @start: read forwards while they ascend. */
static bool markers_starting_at(const struct ks_ctx *ctx, size_t start, size_t limit, unsigned w, bool be,
				uint32_t max, struct markers *ret)
{
	struct span d = ctx->data;
	uint64_t v, prev;
	uint32_t k = 1;

	if (!span_word(d, start, w, be, &prev) || prev != 0)
		return false;
	for (size_t pos = start + w; pos + w <= limit && k < max; pos += w, k++) {
		if (!ks_work(ctx, 1) || !span_word(d, pos, w, be, &v) || !marker_step_ok(prev, v))
			break;
		prev = v;
	}
	if (k >= max)
		ks_over_max(ctx, start);
	ret->off = start;
	ret->size = w;
	ret->count = k;
	ret->be = be;
	return true;
}

/* Walk every group of names from @x with the given length rule. */
static bool walk_groups(const struct ks_ctx *ctx, const struct markers *m, size_t x, uint32_t n, size_t names_limit,
			unsigned len_bytes, size_t *ret_end, bool *ret_long)
{
	struct span d = ctx->data;
	bool lng = false;
	size_t end = 0;

	for (uint32_t k = 0; k < m->count; k++) {
		uint64_t mk = marker(d, m, k);
		size_t start;
		if (mk > names_limit || ckd_add_size(&start, x, (size_t)mk))
			return false;
		uint32_t cnt = k + 1 < m->count ? 256 : n - 256 * k;
		if (!ks_work(ctx, cnt) || !ks_names_walk(d, start, names_limit, cnt, len_bytes, &end, &lng))
			return false;
		if (k + 1 < m->count && end != x + marker(d, m, k + 1))
			return false;
	}
	*ret_end = end;
	*ret_long = lng;
	return true;
}

/* Does a names stream of @n entries start at @x and end just before the
 * markers (0..7 bytes of zero padding)?  Fills the length rule. */
static bool names_fit(const struct ks_ctx *ctx, const struct markers *m, size_t x, uint32_t n, struct ks_names *ret)
{
	struct span d = ctx->data;
	size_t end;
	bool lng;

	/* ULEB128 first: when no entry has bit 7 set it reads like one byte */
	for (unsigned lb = 2; lb >= 1; lb--) {
		if (!walk_groups(ctx, m, x, n, m->off, lb, &end, &lng))
			continue;
		if (!ks_gap_ok(m->off - end, m->off - x) || !span_is_zero(d, end, m->off - end))
			continue;
		ret->off = x;
		ret->len = end - x;
		ret->len_bytes = lb == 2 && lng ? 2 : 1;
		ret->long_seen = lng;
		ret->len_ambiguous = !lng;
		return true;
	}
	return false;
}

/* Search the word holding num_syms before the names, given the markers. */
static bool find_num_syms(const struct ks_ctx *ctx, const struct markers *m, struct ks_names *ret)
{
	struct span d = ctx->data;
	uint64_t last = marker(d, m, m->count - 1);
	uint32_t nmin = 256 * (m->count - 1) + 1, nmax = 256 * m->count;

	if (last + 2 > m->off)
		return false;
	/* the last group starts at names + last and holds 1..256 entries */
	size_t hi = m->off - (size_t)last - 2;
	size_t lo = hi > MAX_GROUP + 16 ? hi - MAX_GROUP - 16 : 0;
	bool best = false;

	for (size_t q = hi; q + 1 > lo && ks_work(ctx, 1); q--) {
		/* num_syms, names and markers are labels (.balign 4 or 8): a
		 * count at any other distance is a chance value, and one of
		 * those in front of a small real table took its place (fuzz_gen) */
		if ((m->off - q) % 4)
			goto next;
		for (unsigned ns = m->size; ns <= 8; ns += 4) { /* pointer-wide markers: pointer-wide count */
			uint64_t v;
			if (!span_word(d, q, ns, m->be, &v) || v < nmin || v > nmax)
				continue;
			if (v > ctx->max_symbols) {
				ks_over_max(ctx, q);
				continue;
			}
			/* 0..7 bytes of padding, or (before 5.0) names 16 or
			 * 256 bytes after the count */
			static const size_t old_at[] = { KS_OLD_ALIGN, 256 };
			for (size_t k = 0; k < KS_MAX_PAD + 1 + KS_ARRAY_SIZE(old_at); k++) {
				size_t pad = k <= KS_MAX_PAD ? k : old_at[k - KS_MAX_PAD - 1] - ns;
				size_t x = q + ns + pad;
				if (pad && !span_is_zero(d, q + ns, pad)) {
					if (k <= KS_MAX_PAD)
						k = KS_MAX_PAD; /* no more short pads; the old ones may still fit */
					continue;
				}
				if ((m->off - x) % 4)
					continue;
				struct ks_names cand = { 0 };
				if (!names_fit(ctx, m, x, (uint32_t)v, &cand))
					continue;
				cand.num_syms_off = q;
				/* an 8-byte count and a 4-byte count plus padding read the
				 * same; pointer-wide markers mean the pointer-wide era */
				cand.num_syms_size = m->size == 8 && ns == 8 ? 8 : 4;
				cand.num_syms = (uint32_t)v;
				if (ns == 8 && m->size != 8)
					continue; /* found again as 4 bytes + padding */
				*ret = cand;
				best = true;
				break;
			}
			if (best)
				return true;
		}
next:
		if (q == 0)
			break;
	}
	return false;
}

static bool try_markers(const struct ks_ctx *ctx, const struct markers *m, struct ks_names *ret)
{
	if (m->count == 0)
		return false;
	if ((uint64_t)m->count * 256 > ctx->max_symbols + 255ull) {
		ks_over_max(ctx, m->off);
		return false;
	}
	if (!find_num_syms(ctx, m, ret))
		return false;
	ret->markers_off = m->off;
	ret->marker_size = m->size;
	ret->num_markers = m->count;
	ks_debug(&ctx->log, "names at 0x%zx (%zu bytes), %u markers of %u bytes at 0x%zx, num_syms %u at 0x%zx",
		 ret->off, ret->len, m->count, m->size, m->off, ret->num_syms, ret->num_syms_off);
	return true;
}

/* Insert @c into @v (@n of at most @max, most symbols first). */
static void keep_candidate(struct ks_names *v, size_t *n, size_t max, const struct ks_names *c)
{
	size_t i;

	if (*n == max) {
		if (v[max - 1].num_syms >= c->num_syms)
			return; /* not among the @max largest */
		i = max - 1;
	} else {
		i = (*n)++;
	}
	while (i > 0 && v[i - 1].num_syms < c->num_syms) {
		v[i] = v[i - 1];
		i--;
	}
	v[i] = *c;
}

/* Zero bytes right before @off, up to KS_MAX_OLD_PAD + 1. */
static size_t zeros_before(struct span d, size_t off)
{
	size_t z = 0;

	while (z <= KS_MAX_OLD_PAD && z < off && span_is_zero(d, off - z - 1, 1))
		z++;
	return z;
}

/*
 * A reading with a gap longer than KS_MAX_PAD is the pre-5.0 16/256-byte
 * alignment (kallsyms.h) only if every table of it starts a multiple of 16
 * bytes from the others; zeros read as a one-entry marker table further on
 * (a small 6.2 table's padding) make a gap but break that.
 */
static bool gaps_consistent(const struct ks_names *nm, const struct ks_tokens *tok)
{
	size_t marks_end = nm->markers_off + (size_t)nm->num_markers * nm->marker_size;
	size_t starts[] = { nm->num_syms_off, nm->markers_off, tok->table_off, tok->index_off };
	bool long_gap = nm->off - (nm->num_syms_off + nm->num_syms_size) > KS_MAX_PAD ||
			nm->markers_off - (nm->off + nm->len) > KS_MAX_PAD ||
			(!nm->seqs_after_markers && tok->table_off - marks_end > KS_MAX_PAD) ||
			tok->index_off - (tok->table_off + tok->table_len) > KS_MAX_PAD;

	for (size_t i = 0; long_gap && i < KS_ARRAY_SIZE(starts); i++)
		if ((starts[i] - nm->off) % KS_OLD_ALIGN)
			return false;
	return true;
}

/* Layout without anything between markers and token_table. */
static size_t find_adjacent(const struct ks_ctx *ctx, const struct ks_tokens *tok, struct ks_names *ret, size_t max_ret)
{
	struct span d = ctx->data;
	uint32_t max = ctx->max_symbols / 256 + 2;
	size_t found = 0, z = zeros_before(d, tok->table_off);

	/* 0..7 bytes of padding; or, before 5.0, the markers end where the
	 * zero run before the token table starts (the last marker's own
	 * high bytes may be zeros too) */
	for (size_t k = 0; k <= 2 * KS_MAX_PAD + 1; k++) {
		size_t pad = k <= KS_MAX_PAD ? k : z - (k - KS_MAX_PAD - 1);
		if (pad > z || pad > tok->table_off || (k > KS_MAX_PAD && (z <= KS_MAX_PAD || pad <= KS_MAX_PAD)))
			continue;
		size_t end = tok->table_off - pad;
		for (unsigned w = 4; w <= 8; w += 4) {
			struct markers m;
			struct ks_names cand;
			/* markers are a label (.balign 4 or 8) like the token table */
			if (!markers_ending_at(ctx, end, w, tok->be, max, &m) || (tok->table_off - m.off) % 4 ||
			    !ks_gap_ok(pad, tok->table_off - m.off) || !try_markers(ctx, &m, &cand))
				continue;
			/* padding can pose as a one-entry marker table, and data
			 * before a small table as a bigger one: the largest
			 * first, the others in case its addresses do not fit */
			if (gaps_consistent(&cand, tok))
				keep_candidate(ret, &found, max_ret, &cand);
		}
	}
	return found;
}

/* seqs_of_names of @es-byte entries filling [s, t) up to 0..7 bytes of
 * padding, consistent with the markers and the names before them. */
static bool try_seqs_gap(const struct ks_ctx *ctx, const struct markers *m, size_t s, size_t t, unsigned es,
			 struct ks_names *ret)
{
	for (size_t pad2 = 0; pad2 <= KS_MAX_PAD && pad2 < t - s; pad2++) {
		size_t bytes = t - s - pad2;
		if (pad2 && !span_is_zero(ctx->data, t - pad2, pad2))
			break;
		if (bytes % es)
			continue;
		size_t n = bytes / es;
		if (n <= 256 * (size_t)(m->count - 1) || n > 256 * (size_t)m->count)
			continue;
		if (!ks_work(ctx, n) || !ks_seqs_valid(ctx->data, s, (uint32_t)n, es, m->be))
			continue;
		struct ks_names cand;
		if (!try_markers(ctx, m, &cand) || cand.num_syms != n)
			continue;
		/* seqs_of_names came with 6.2 (and stable 6.1), long after
		 * .balign: no pre-5.0 gaps */
		if (cand.off - (cand.num_syms_off + cand.num_syms_size) > KS_MAX_PAD ||
		    cand.markers_off - (cand.off + cand.len) > KS_MAX_PAD)
			continue;
		cand.seqs_after_markers = true;
		cand.seqs_off = s;
		cand.seqs_entry_size = es;
		*ret = cand;
		return true;
	}
	return false;
}

/*
 * The seqs_of_names gap after markers @m, ending at the token table @t.
 * The first words of seqs_of_names can continue the markers' ascent (a
 * generated table of 8 symbols read its one marker as two), so the last
 * few markers read are also tried as the start of seqs_of_names.
 */
static bool try_marker_counts(const struct ks_ctx *ctx, const struct markers *found, size_t t, struct ks_names *ret)
{
	for (uint32_t k = found->count; k >= 1 && k + MAX_EXTRA_MARKERS > found->count; k--) {
		struct markers m = *found;
		m.count = k;
		size_t mend = m.off + (size_t)k * m.size;
		for (unsigned es = 3; es <= 4; es++) {
			for (size_t pad1 = 0; pad1 <= KS_MAX_PAD; pad1++) {
				size_t s = mend + pad1;
				if (s >= t || (pad1 && !span_is_zero(ctx->data, mend, pad1)))
					break;
				/* a label too (.balign 4 or 8): else a zero first or
				 * last entry lets it be read one entry off */
				if ((t - s) % 4)
					continue;
				if (try_seqs_gap(ctx, &m, s, t, es, ret))
					return true;
			}
		}
	}
	return false;
}

/* 6.2/6.3 layout: markers, then seqs_of_names (n entries), then token_table. */
static bool find_with_seqs(const struct ks_ctx *ctx, const struct ks_tokens *tok, struct ks_names *ret)
{
	struct span d = ctx->data;
	uint32_t max = ctx->max_symbols / 256 + 2;
	size_t window = (size_t)ctx->max_symbols * 4 + (size_t)max * 8 + 64;
	size_t t = tok->table_off;
	size_t lo = t > window ? t - window : 0;

	/* markers and token_table are both label-aligned (.balign 4 or 8), so
	 * markers start a multiple of 4 bytes before the token table, even
	 * when the kernel sits at an odd offset of the data (a dump, a
	 * firmware blob).  Any closer step reads a marker of 0 out of the
	 * zero padding and the first seqs_of_names entry when that is 0, and
	 * puts seqs_of_names one entry late (a fuzz_gen finding). */
	for (size_t p = t >= 8 ? t - 8 : t % 4; p + 4 > lo + 4 && ks_work(ctx, 1); p -= 4) {
		for (unsigned w = 4; w <= 8; w += 4) {
			struct markers m;
			if (!span_is_zero(d, p, w) || !markers_starting_at(ctx, p, t, w, tok->be, max, &m))
				continue;
			if (try_marker_counts(ctx, &m, t, ret))
				return true;
		}
		if (p < 4)
			break;
	}
	return false;
}

size_t ks_names_find(const struct ks_ctx *ctx, const struct ks_tokens *tok, struct ks_names *ret, size_t max,
		     bool with_seqs)
{
	if (!with_seqs)
		return find_adjacent(ctx, tok, ret, max);
	ks_debug(&ctx->log, "no markers right before token_table at 0x%zx that fit; looking for seqs_of_names between them",
		 tok->table_off);
	return find_with_seqs(ctx, tok, ret) ? 1 : 0;
}
