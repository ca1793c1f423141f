// SPDX-License-Identifier: MIT
/*
 * Finding and decoding kallsyms_addresses / kallsyms_offsets.
 *
 * Where the array is depends on the table order:
 *  - addresses first (2.6.10 -> 6.3): addresses | offsets + relative_base
 *    end right before num_syms;
 *  - names first (6.4, 404bad70fcf7): the array follows token_index, then
 *    relative_base (until 7.0), then seqs_of_names.
 * What the values mean depends on the mode (kallsyms-format.md section 3):
 *  - absolute: one pointer-wide word per symbol (before 4.6, and later
 *    without CONFIG_KALLSYMS_BASE_RELATIVE until ~6.10);
 *  - relative (2213e9a66bb8, 4.6): relative_base + (u32)offset, offset[0]
 *    is 0 because relative_base is the lowest address;
 *  - relative with absolute per-cpu (x86-64 SMP, 4.6 -> ~6.14): values
 *    >= 0 are per-cpu offsets, the others are relative_base - 1 - value, so
 *    the first non-per-cpu symbol stores -1;
 *  - place-relative (a081b5789255, 7.0): &offsets[i] + (s32)offsets[i], so
 *    offsets[i] + 4*i never decreases;
 *  - absolute 32 (7.0, 32-bit non-relocatable): (u32)offsets[i].
 * Every candidate position and mode is tried; each must pass its mode's
 * invariant over the whole array, and the candidates are ranked by what
 * else confirms them (seqs_of_names where expected, a plausible
 * relative_base, the known word size).
 */
#include <string.h>

#include "kallsyms.h"
#include "core/overflow.h"

struct cand {
	struct ks_addrs a;
	int score;
};

static uint32_t u32_at(const uint8_t *p, size_t i, bool be)
{
	return load32(p + 4 * i, be);
}

/* Each mode's invariant over the whole array of n entries at p. */
static bool ascending_u32(const uint8_t *p, uint32_t n, bool be)
{
	for (uint32_t i = 1; i < n; i++)
		if (u32_at(p, i, be) < u32_at(p, i - 1, be))
			return false;
	return true;
}

/*
 * 4.6 to 5.9 took relative_base as the lowest address of every symbol
 * read, before the text-range filter of a kernel without
 * CONFIG_KALLSYMS_ALL dropped the ones below _stext (arm64 _text, riscv
 * _start): the first offset is then the distance from there, not 0
 * (record_relative_base() ran before the table shrank; 5.10 filters
 * first).  Ascending still; the first offset below 16 MiB.
 */
enum { MAX_FIRST_OFFSET = 16 << 20 };

static bool valid_relative_late_base(const uint8_t *p, uint32_t n, bool be)
{
	uint32_t first = u32_at(p, 0, be);

	return first > 0 && first < MAX_FIRST_OFFSET && ascending_u32(p, n, be);
}

static bool valid_percpu(const uint8_t *p, uint32_t n, bool be)
{
	uint32_t i = 0;

	/* per-cpu symbols: small non-negative values, ascending */
	for (; i < n && (int32_t)u32_at(p, i, be) >= 0; i++)
		if (i && u32_at(p, i, be) < u32_at(p, i - 1, be))
			return false;
	/* the lowest ordinary symbol is relative_base itself: -1 - 0 */
	if (i == n || (int32_t)u32_at(p, i, be) != -1)
		return false;
	for (i++; i < n; i++) {
		int32_t v = (int32_t)u32_at(p, i, be);
		if (v >= 0 || v > (int32_t)u32_at(p, i - 1, be))
			return false;
	}
	return true;
}

static bool valid_pc_relative(const uint8_t *p, uint32_t n, bool be)
{
	int64_t prev = INT64_MIN;

	for (uint32_t i = 0; i < n; i++) {
		int64_t v = (int64_t)(int32_t)u32_at(p, i, be) + 4 * (int64_t)i;
		if (v < prev)
			return false;
		prev = v;
	}
	return true;
}

/* Absolute words: ascending.  All zero means relocated at boot (reported
 * later); a first entry of 0 is legitimate: x86-64 per-cpu symbols start
 * at 0 (absolute per-cpu, 3.15-4.5 with CONFIG_KALLSYMS_ALL). */
static bool valid_absolute(const uint8_t *p, uint32_t n, unsigned w, bool be, bool *all_zero)
{
	uint64_t prev = load_word(p, w, be);

	*all_zero = prev == 0;
	for (uint32_t i = 1; i < n; i++) {
		uint64_t v = load_word(p + (size_t)i * w, w, be);
		if (v < prev)
			return false;
		if (v)
			*all_zero = false;
		prev = v;
	}
	return true;
}

/*
 * Whether the @n u32s at @off read as an address table of @mode (4-byte
 * words for KSYMS_ADDR_ABSOLUTE), with what one pass found out shared
 * between the modes tried at one start: *asc (-1 = not yet known) says
 * whether the u32s never descend.  Every mode but the per-cpu and
 * place-relative ones rests on that alone, and those two are settled by it
 * in the common cases, so five full passes over a 6.12 arm64 table (605
 * KB, tried at up to three starts) became one each.
 */
static bool valid_u32s(struct span d, enum ksyms_addr_mode mode, size_t off, uint32_t n, bool be, int *asc,
		       bool *all_zero)
{
	size_t size;
	const uint8_t *p = ckd_mul_size(&size, n, 4) ? NULL : span_at(d, off, size);

	*all_zero = false;
	if (!p || n == 0)
		return false;
	if (*asc < 0)
		*asc = ascending_u32(p, n, be);
	uint32_t first = u32_at(p, 0, be), last = u32_at(p, n - 1, be);
	switch (mode) {
	case KSYMS_ADDR_RELATIVE:
		return first == 0 && *asc && (n < 2 || last > 0);
	case KSYMS_ADDR_ABSOLUTE32:
		return first != 0 && *asc;
	case KSYMS_ADDR_ABSOLUTE: /* 4-byte words */
		*all_zero = *asc && last == 0;
		return *asc;
	case KSYMS_ADDR_RELATIVE_PERCPU:
		/* ascending and all below 2^31: no -1 to end the per-cpu part */
		if (*asc && last < 0x80000000u)
			return false;
		return valid_percpu(p, n, be);
	case KSYMS_ADDR_PC_RELATIVE:
		/* ascending and all below 2^31: value + 4 * index ascends */
		if (*asc && last < 0x80000000u)
			return true;
		return valid_pc_relative(p, n, be);
	default:
		return false;
	}
}

/* Each mode's invariant over the whole array of @n entries at @off; @w is
 * the word of an absolute table (4 or 8). */
static bool valid_array(struct span d, enum ksyms_addr_mode mode, size_t off, uint32_t n, unsigned w, bool be,
			bool *all_zero)
{
	size_t size;
	int asc = -1;

	if (mode != KSYMS_ADDR_ABSOLUTE || w == 4)
		return valid_u32s(d, mode, off, n, be, &asc, all_zero);
	*all_zero = false;
	const uint8_t *p = ckd_mul_size(&size, n, w) ? NULL : span_at(d, off, size);
	return p && n > 0 && valid_absolute(p, n, w, be, all_zero);
}

/* A 64-bit kernel address has the top bits of some architecture's kernel
 * addresses (any: the layout is settled before the architecture is
 * trusted, and an ELF's machine may be a stand-in, as ksyms gen writes);
 * a 32-bit one plus the largest offset must not wrap. */
static bool plausible_relbase(uint64_t v, unsigned w, uint64_t span_max)
{
	if (v == 0)
		return true; /* filled in by boot-time relocation: inferred later */
	if (w == 4)
		return v + span_max <= 0xffffffffull;
	return ks_arch_va_top_ok(NULL, (uint16_t)(v >> 48));
}

/* The highest of @n absolute @w-byte addresses at @off looks like a kernel
 * address: 64-bit kernels live at the top (0xffff..., ppc64 0xc000...,
 * ia64 0xa000..., loongarch 0x9000...) or the bottom (s390, sparc64) of
 * the address space.  Two u32s of a small 32-bit table read as one u64
 * otherwise tie. */
static bool plausible_top(struct span d, size_t off, uint32_t n, unsigned w, bool be)
{
	if (w == 4 || n == 0)
		return true;
	return ks_arch_va_top_ok(NULL, (uint16_t)(load_word(d.p + off + (size_t)(n - 1) * 8, 8, be) >> 48));
}

/*
 * Every table label is aligned to the word before 7.0 (ALGN: ".balign 8"
 * on 64-bit, 4 on 32-bit, in scripts/kallsyms.c of 2.6.10 to 6.x) and to 4
 * since, so the distance from a table to kallsyms_names, itself a label,
 * is a multiple of the alignment.  Measured from names, not from the
 * data's start, this holds wherever the kernel sits in its container or
 * dump.  @a is a power of two.
 */
static bool label_aligned(const struct ks_found *f, size_t off, size_t a)
{
	return ((off - f->names.off) & (a - 1)) == 0;
}

/* The first position at or after @v aligned like a label to @a. */
static size_t align_label(const struct ks_found *f, size_t v, size_t a)
{
	return v + ((f->names.off - v) & (a - 1));
}

/* Positions where a table can start after @end: right there or aligned. */
static size_t next_positions(const struct ks_found *f, size_t end, size_t out[3])
{
	size_t n = 0;
	size_t c[3] = { end, align_label(f, end, 4), align_label(f, end, 8) };

	for (int i = 0; i < 3; i++) {
		bool dup = false;
		for (size_t j = 0; j < n; j++)
			dup |= out[j] == c[i];
		if (!dup)
			out[n++] = c[i];
	}
	return n;
}

/* Try seqs_of_names right after @end (6.4+ order). */
static bool seqs_after(const struct ks_ctx *ctx, const struct ks_found *f, size_t end, struct ks_addrs *a)
{
	size_t pos[3];
	size_t np = next_positions(f, end, pos);

	for (size_t i = 0; i < np; i++) {
		if (pos[i] - end && !span_is_zero(ctx->data, end, pos[i] - end))
			continue;
		for (unsigned es = 3; es <= 4; es++) {
			if (ks_work(ctx, f->names.num_syms) &&
			    ks_seqs_valid(ctx->data, pos[i], f->names.num_syms, es, f->tok.be)) {
				a->has_seqs = true;
				a->seqs_off = pos[i];
				a->seqs_entry_size = es;
				return true;
			}
		}
	}
	return false;
}

static const enum ksyms_addr_mode offset_modes[] = {
	KSYMS_ADDR_RELATIVE, KSYMS_ADDR_RELATIVE_PERCPU, KSYMS_ADDR_PC_RELATIVE, KSYMS_ADDR_ABSOLUTE32,
};

static bool mode_has_relbase(enum ksyms_addr_mode m)
{
	return m == KSYMS_ADDR_RELATIVE || m == KSYMS_ADDR_RELATIVE_PERCPU;
}

static int word_score(const struct ks_ctx *ctx, unsigned w)
{
	int known = ctx->opts && ctx->opts->word_size ? ctx->opts->word_size : ctx->kernel->word_size;
	return !known ? 0 : (unsigned)known == w ? 4 : -8;
}

/*
 * The alignment of a table laid out before 5.0 on an architecture whose
 * ".align N" is 2^N bytes (kallsyms.h: KS_MAX_OLD_PAD), as the tables
 * found so far show it: a gap longer than KS_MAX_PAD between any two
 * says so; 256 if they all start a multiple of it apart, else 16.  0 for
 * a table laid out with .balign.  Where it is set, the address table must
 * start on such a boundary too: a 32-bit absolute table read as a 64-bit
 * relative one from a zero word in front of it started off one (the
 * oracle's 3.19 arm raw image).
 */
static size_t old_align(const struct ks_found *f)
{
	const struct ks_names *nm = &f->names;
	size_t marks_end = nm->markers_off + (size_t)nm->num_markers * nm->marker_size;
	size_t gaps[] = {
		nm->off - (nm->num_syms_off + nm->num_syms_size),
		nm->markers_off - (nm->off + nm->len),
		nm->seqs_after_markers ? 0 : f->tok.table_off - marks_end,
		f->tok.index_off - (f->tok.table_off + f->tok.table_len),
	};
	bool old = false;

	for (size_t i = 0; i < KS_ARRAY_SIZE(gaps); i++)
		old |= gaps[i] > KS_MAX_PAD;
	if (!old)
		return 0;
	bool all256 = ((nm->off - nm->num_syms_off) & 255) == 0 && ((nm->markers_off - nm->off) & 255) == 0 &&
		      ((f->tok.index_off - nm->off) & 255) == 0;
	return all256 ? 256 : KS_OLD_ALIGN;
}

static void consider(struct cand *best, const struct cand *c)
{
	if (c->score > best->score)
		*best = *c;
}

/* How far above relative_base the highest symbol lies: the last offset
 * (relative), or -1 - last (per-cpu, where ordinary symbols are negative). */
static uint64_t max_offset(struct span d, enum ksyms_addr_mode mode, size_t off, uint32_t n, bool be)
{
	if (!n)
		return 0;
	uint32_t last = load32(d.p + off + 4 * (size_t)(n - 1), be);
	if (mode == KSYMS_ADDR_RELATIVE_PERCPU)
		return (int32_t)last < 0 ? (uint64_t)(-1 - (int64_t)(int32_t)last) : last;
	return last;
}

/*
 * names-first: array after token_index, then relative_base, then seqs.
 * Every kernel with this order (6.4+) writes kallsyms_seqs_of_names, so a
 * candidate without it is refused: data cut short after the offsets
 * would otherwise read as 7.x place-relative offsets (ascending relative
 * offsets satisfy that invariant too) and decode to wrong addresses.
 */
static void try_names_first(const struct ks_ctx *ctx, const struct ks_found *f, struct cand *best)
{
	struct span d = ctx->data;
	uint32_t n = f->names.num_syms;
	bool be = f->tok.be;
	size_t starts[3];
	size_t ns = next_positions(f, f->tok.index_off + KS_TOKEN_INDEX_SIZE, starts);
	bool zero;

	for (size_t s = 0; s < ns; s++) {
		int asc = -1;
		for (size_t m = 0; m < KS_ARRAY_SIZE(offset_modes); m++) {
			enum ksyms_addr_mode mode = offset_modes[m];
			if (!valid_u32s(d, mode, starts[s], n, be, &asc, &zero))
				continue;
			struct cand c = { .a = { .mode = mode, .order = KSYMS_ORDER_NAMES_FIRST, .off = starts[s],
						 .size = 4 * (size_t)n } };
			size_t end = starts[s] + c.a.size;
			c.score = 10 + (label_aligned(f, starts[s], 4) ? 1 : 0);
			if (!mode_has_relbase(mode)) {
				if (seqs_after(ctx, f, end, &c.a)) {
					c.score += 20;
					consider(best, &c);
				}
				continue;
			}
			for (unsigned w = 8; w >= 4; w -= 4) {
				struct cand r = c;
				r.a.word = w;
				r.a.has_relbase = true;
				r.a.relbase_off = align_label(f, end, w);
				if (!span_word(d, r.a.relbase_off, w, be, &r.a.relbase) ||
				    !plausible_relbase(r.a.relbase, w, max_offset(d, mode, starts[s], n, be)))
					continue;
				r.score += word_score(ctx, w);
				if (seqs_after(ctx, f, r.a.relbase_off + w, &r.a)) {
					r.score += 20;
					consider(best, &r);
				}
			}
		}
		for (unsigned w = 8; w >= 4; w -= 4) {
			if (w == 4 ? !valid_u32s(d, KSYMS_ADDR_ABSOLUTE, starts[s], n, be, &asc, &zero)
				   : !valid_array(d, KSYMS_ADDR_ABSOLUTE, starts[s], n, w, be, &zero))
				continue;
			struct cand c = { .a = { .mode = KSYMS_ADDR_ABSOLUTE, .order = KSYMS_ORDER_NAMES_FIRST, .word = w,
						 .off = starts[s], .size = (size_t)w * n } };
			c.score = 9 + word_score(ctx, w) - (zero ? 5 : 0);
			if (seqs_after(ctx, f, starts[s] + c.a.size, &c.a)) {
				c.score += 20;
				consider(best, &c);
			}
		}
	}
}

/* addresses-first: the array (and relative_base) end right before num_syms. */
static void try_addresses_first(const struct ks_ctx *ctx, const struct ks_found *f, struct cand *best)
{
	struct span d = ctx->data;
	uint32_t n = f->names.num_syms;
	bool be = f->tok.be;
	size_t q = f->names.num_syms_off;
	bool zero;
	int seqs_bonus = f->names.seqs_after_markers ? 20 : 0;

	for (unsigned w = 8; w >= 4; w -= 4) {
		for (size_t pad = 0; pad <= KS_MAX_PAD; pad++) {
			if (q < pad + w || (pad && !span_is_zero(d, q - pad, pad)))
				break;
			size_t rb = q - pad - w;
			/* relative modes: offsets, pad to w, relative_base, num_syms.
			 * A relative_base out of line with the labels is the
			 * last offset and its padding read as one word: on a
			 * kernel whose real relative_base is 0 until boot
			 * (5.10 arm64 RELA) it would win as the only non-zero
			 * one, and every address would be wrong. */
			for (size_t pad2 = 0; pad2 < w && label_aligned(f, rb, w); pad2 += 4) {
				size_t size = 4 * (size_t)n;
				if (rb < pad2 + size)
					break;
				size_t off = rb - pad2 - size;
				uint64_t relbase = load_word(d.p + rb, w, be);
				int asc = -1;
				for (int m = 0; m < 3; m++) {
					/* m == 2: relative, with a first offset above 0 */
					enum ksyms_addr_mode mode = offset_modes[m % 2 ? 1 : 0];
					bool late = m == 2;
					const uint8_t *p = span_at(d, off, size);
					if (late ? !p || !valid_relative_late_base(p, n, be) || !label_aligned(f, off, w)
						 : !valid_u32s(d, mode, off, n, be, &asc, &zero))
						continue;
					if (!plausible_relbase(relbase, w, max_offset(d, mode, off, n, be)))
						continue;
					struct cand c = { .a = { .mode = mode, .order = KSYMS_ORDER_ADDRESSES_FIRST,
								 .word = w, .off = off, .size = size, .has_relbase = true,
								 .relbase_off = rb, .relbase = relbase } };
					/* the array is a label too (.balign w before 7.0):
					 * a table of one zero offset read from the
					 * padding ties with the real one otherwise; a
					 * first offset above 0 is the rarer reading */
					c.score = 10 + word_score(ctx, w) + seqs_bonus + (label_aligned(f, off, w) ? 2 : 0) -
						  (late ? 1 : 0);
					consider(best, &c);
				}
			}
			/* absolute: addresses, pad, num_syms */
			size_t size = (size_t)w * n;
			size_t aend = q - pad;
			if (aend >= size && valid_array(d, KSYMS_ADDR_ABSOLUTE, aend - size, n, w, be, &zero)) {
				struct cand c = { .a = { .mode = KSYMS_ADDR_ABSOLUTE, .order = KSYMS_ORDER_ADDRESSES_FIRST,
							 .word = w, .off = aend - size, .size = size } };
				c.score = 9 + word_score(ctx, w) + seqs_bonus - (zero ? 5 : 0) + label_aligned(f, aend - size, w) -
					  (plausible_top(d, aend - size, n, w, be) ? 0 : 5);
				consider(best, &c);
			}
		}
	}
}

static size_t round_up(size_t v, size_t a)
{
	return (v + a - 1) / a * a;
}

/*
 * addresses-first before 5.0 on the architectures whose ".align N" is 2^N
 * bytes (KS_MAX_OLD_PAD), the table aligned to @a: relative_base or the
 * addresses start @a bytes before num_syms, and the offsets a whole number
 * of alignments before relative_base, with zeros in between.  The
 * alignment says the word size: ".align 8" (256) on 64-bit kernels,
 * ".align 4" (16) on 32-bit ones.
 */
static void try_addresses_first_old(const struct ks_ctx *ctx, const struct ks_found *f, size_t a, struct cand *best)
{
	struct span d = ctx->data;
	uint32_t n = f->names.num_syms;
	bool be = f->tok.be;
	size_t q = f->names.num_syms_off;
	int seqs_bonus = f->names.seqs_after_markers ? 20 : 0;
	unsigned w = a == 256 ? 8 : 4;
	size_t size = 4 * (size_t)n, asize = (size_t)w * n;
	bool zero;

	/* relative: offsets, zeros, relative_base, zeros, num_syms */
	if (q >= a && span_is_zero(d, q - a + w, a - w) && q - a >= round_up(size, a)) {
		size_t rb = q - a, off = rb - round_up(size, a);
		uint64_t relbase = load_word(d.p + rb, w, be);
		const uint8_t *p = span_at(d, off, size);
		int asc = -1;
		for (int m = 0; p && span_is_zero(d, off + size, rb - off - size) && m < 3; m++) {
			/* m == 2: relative, with a first offset above 0 */
			enum ksyms_addr_mode mode = offset_modes[m % 2 ? 1 : 0];
			bool late = m == 2;
			if (late ? !valid_relative_late_base(p, n, be) : !valid_u32s(d, mode, off, n, be, &asc, &zero))
				continue;
			if (!plausible_relbase(relbase, w, max_offset(d, mode, off, n, be)))
				continue;
			struct cand c = { .a = { .mode = mode, .order = KSYMS_ORDER_ADDRESSES_FIRST, .word = w, .off = off,
						 .size = size, .has_relbase = true, .relbase_off = rb, .relbase = relbase } };
			c.score = 10 + word_score(ctx, w) + seqs_bonus - (late ? 1 : 0);
			consider(best, &c);
		}
	}
	/* absolute: addresses, zeros, num_syms */
	size_t span = round_up(asize, a);
	if (q >= span && span_is_zero(d, q - span + asize, span - asize) &&
	    valid_array(d, KSYMS_ADDR_ABSOLUTE, q - span, n, w, be, &zero)) {
		struct cand c = { .a = { .mode = KSYMS_ADDR_ABSOLUTE, .order = KSYMS_ORDER_ADDRESSES_FIRST, .word = w,
					 .off = q - span, .size = asize } };
		c.score = 9 + word_score(ctx, w) + seqs_bonus - (zero ? 5 : 0) - (plausible_top(d, q - span, n, w, be) ? 0 : 5);
		consider(best, &c);
	}
}

bool ks_addrs_find(const struct ks_ctx *ctx, const struct ks_found *f, struct ks_addrs *ret)
{
	struct cand best = { .score = 0 };
	size_t old = old_align(f);

	if (old) {
		/* the other tables are 16 or 256 bytes aligned: so is this one */
		try_addresses_first_old(ctx, f, old, &best);
	} else {
		if (!f->names.seqs_after_markers)
			try_names_first(ctx, f, &best);
		try_addresses_first(ctx, f, &best);
	}
	if (best.score <= 0)
		return false;
	/* On 32-bit, ascending u32 values also satisfy the place-relative
	 * invariant; the decoder settles it with the addresses' fit. */
	bool zero;
	if (best.a.mode == KSYMS_ADDR_PC_RELATIVE &&
	    valid_array(ctx->data, KSYMS_ADDR_ABSOLUTE32, best.a.off, f->names.num_syms, 4, f->tok.be, &zero)) {
		best.a.abs32_too = true;
		best.a.abs_mode = KSYMS_ADDR_ABSOLUTE32;
	}
	/* A 32-bit names-first array of ascending absolute addresses is 7.x's
	 * absolute32 kallsyms_offsets: the same bytes as 6.4-6.9 without
	 * CONFIG_KALLSYMS_BASE_RELATIVE, which only IA-64, a 64-bit
	 * architecture, built.  One that is also a valid place-relative array
	 * is settled the same way as above. */
	if (best.a.mode == KSYMS_ADDR_ABSOLUTE && best.a.word == 4 && best.a.order == KSYMS_ORDER_NAMES_FIRST) {
		best.a.mode = KSYMS_ADDR_ABSOLUTE32;
		if (valid_array(ctx->data, KSYMS_ADDR_PC_RELATIVE, best.a.off, f->names.num_syms, 4, f->tok.be, &zero)) {
			best.a.mode = KSYMS_ADDR_PC_RELATIVE;
			best.a.abs32_too = true;
			best.a.abs_mode = KSYMS_ADDR_ABSOLUTE32;
		}
	}
	if (f->names.seqs_after_markers) {
		best.a.has_seqs = true;
		best.a.seqs_off = f->names.seqs_off;
		best.a.seqs_entry_size = f->names.seqs_entry_size;
	}
	*ret = best.a;
	ks_debug(&ctx->log, "%s table (%s) at 0x%zx, %zu bytes%s", ksyms_addr_mode_name(ret->mode),
		 ksyms_table_order_name(ret->order), ret->off, ret->size,
		 ret->has_relbase ? ", with relative_base" : "");
	return true;
}

void ks_addrs_decode(struct span d, const struct ks_found *f, uint64_t table_va, uint64_t relbase, uint64_t *out)
{
	const struct ks_addrs *a = &f->addrs;
	const uint8_t *p = span_at(d, a->off, a->size);
	uint32_t n = f->names.num_syms;
	bool be = f->tok.be;
	uint64_t mask = f->word_size == 4 ? 0xffffffffull : ~0ull;

	for (uint32_t i = 0; i < n; i++) {
		uint64_t v;
		switch (a->mode) {
		case KSYMS_ADDR_ABSOLUTE:
			v = load_word(p + (size_t)i * a->word, a->word, be);
			break;
		case KSYMS_ADDR_RELATIVE:
			v = relbase + u32_at(p, i, be);
			break;
		case KSYMS_ADDR_RELATIVE_PERCPU: {
			int32_t o = (int32_t)u32_at(p, i, be);
			v = o >= 0 ? (uint64_t)o : relbase - 1 - (uint64_t)(int64_t)o;
			break;
		}
		case KSYMS_ADDR_PC_RELATIVE:
			v = table_va + 4 * (uint64_t)i + (uint64_t)(int64_t)(int32_t)u32_at(p, i, be);
			break;
		default:
			v = u32_at(p, i, be);
			break;
		}
		out[i] = v & mask;
	}
}
