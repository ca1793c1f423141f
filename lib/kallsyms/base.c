// SPDX-License-Identifier: MIT
/*
 * Virtual addresses for a kernel that does not state them.
 *
 * An ELF vmlinux maps file offsets to addresses with its program headers.
 * A raw image (arm64/riscv Image, a decompressed payload, a dump) does not:
 * it is loaded at a base the image does not store.  Three things need it:
 *  - the addresses of the tables themselves (what `info` reports);
 *  - 7.x place-relative offsets, which are relative to their own address;
 *  - kallsyms_relative_base and kallsyms_addresses on RELA kernels (arm64
 *    before RELR, ppc64), where the in-image word is 0 until the boot-time
 *    relocation writes it (kallsyms-format.md section 5).
 *
 * Three data-driven sources:
 *  1. R_*_RELATIVE relocations: on RELA kernels the image carries a table
 *     of (place, type, addend) records; the record whose place is the word
 *     in question gives its value.  The image base is the one that makes
 *     the records' places land on zeroed words.
 *  2. Pointer votes: the image holds many absolute pointers to symbols (or
 *     their RELA addends).  If symbol i sits at `C + rel[i]` for an unknown
 *     constant C, every pointer p to a symbol votes for C = p - rel[i].  The
 *     true C collects thousands of votes; chance gives a handful.  C is
 *     aligned (a kernel base is at least page-aligned), which keeps the
 *     candidate set per pointer tiny: only symbols with p's low bits.
 *  3. Self-pointers: an empty list_head (LIST_HEAD(), every mutex and wait
 *     queue initialiser) holds its own address, so a word at offset p whose
 *     value is B + p votes for B.  Thousands of them exist in any kernel's
 *     data; by chance almost nothing else does.  This needs no symbols at
 *     all, so it also serves text-only tables (no CONFIG_KALLSYMS_ALL).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "kallsyms.h"
#include "core/hashmap.h"

bool ks_offset_to_va(const struct ks_kernel *k, const struct ks_base *b, size_t off, uint64_t *ret)
{
	if (k->nsegs) {
		for (size_t i = 0; i < k->nsegs; i++) {
			const struct ks_segment *s = &k->segs[i];
			if (off >= s->off && off - s->off < s->size) {
				*ret = s->vaddr + (off - s->off);
				return true;
			}
		}
		return false;
	}
	if (!b->known)
		return false;
	*ret = b->base + off;
	return true;
}

/* ------------------------------------------------------------------------ */
/* RELA tables in raw images */

/* R_*_RELATIVE for the 64-bit architectures that use RELA kernels. */
static const uint32_t relative_types[] = {
	1027, /* R_AARCH64_RELATIVE */
	3,    /* R_RISCV_RELATIVE, R_LARCH_RELATIVE */
	8,    /* R_X86_64_RELATIVE */
	22,   /* R_PPC64_RELATIVE */
	12,   /* R_390_RELATIVE */
};

/* Records tried as the one that relocates the word (each tried costs a
 * sample of the table): a real kernel has count / 512 whose place fits
 * the word's page offset; hostile data cannot make the search quadratic. */
enum { RELA_SIZE = 24, MIN_RELA_RUN = 64, MAX_RELA_TRIES = 4096 };

struct rela_run {
	size_t off;
	size_t count;
	bool be;
};

static bool is_relative_info(uint64_t info)
{
	/* most words are no small number: one test rejects them (this runs
	 * on every 8 bytes of the kernel) */
	if (info > 1027)
		return false;
	for (size_t i = 0; i < KS_ARRAY_SIZE(relative_types); i++)
		if (info == relative_types[i])
			return true;
	return false;
}

/* The longest run of consecutive Elf64_Rela records of a RELATIVE type. */
static bool find_rela_run(struct span d, bool be, struct rela_run *ret)
{
	struct rela_run best = { 0 };

	for (size_t p = 0; p + RELA_SIZE <= d.len; p += 8) {
		uint64_t info = load64(d.p + p + 8, be);
		if (!is_relative_info(info))
			continue;
		size_t q = p;
		while (q + RELA_SIZE <= d.len && load64(d.p + q + 8, be) == info)
			q += RELA_SIZE;
		size_t n = (q - p) / RELA_SIZE;
		if (n > best.count) {
			best.off = p;
			best.count = n;
		}
		p = q - 8 > p ? q - 8 : p;
	}
	best.be = be;
	*ret = best;
	return best.count >= MIN_RELA_RUN;
}

static uint64_t rela_offset(struct span d, const struct rela_run *r, size_t i)
{
	return load64(d.p + r->off + i * RELA_SIZE, r->be);
}

static uint64_t rela_addend(struct span d, const struct rela_run *r, size_t i)
{
	return load64(d.p + r->off + i * RELA_SIZE + 16, r->be);
}

/*
 * How many of a sample of records land, with base @b, on a word that is 0
 * (not yet relocated) or already holds the addend; 0 unless nearly all of
 * those inside the data do.  With the right base every one does; with a
 * wrong one, a place lands on a zero by the image's zero density, which
 * can pass one half (a cut s390x image did, and gave a wrong base).
 */
static size_t rela_fit(struct span d, const struct rela_run *r, uint64_t b)
{
	size_t step = r->count / 512 + 1, hits = 0, seen = 0, samples = 0;

	for (size_t i = 0; i < r->count; i += step) {
		uint64_t place = rela_offset(d, r, i) - b, v;
		samples++;
		if (place > d.len || !span_u64(d, (size_t)place, r->be, &v))
			continue;
		seen++;
		if (v == 0 || v == rela_addend(d, r, i))
			hits++;
	}
	if (seen * 2 < samples || hits * 10 < seen * 9)
		return 0;
	return hits * step;
}

/* The run, found once per search (the scan reads the whole image). */
static bool cached_rela_run(const struct ks_ctx *ctx, struct rela_run *ret)
{
	struct ks_search *s = ctx->search;
	struct rela_run r;

	if (!s)
		return find_rela_run(ctx->data, ctx->be, ret);
	if (!s->rela_searched || s->rela_be != ctx->be) {
		s->rela_found = find_rela_run(ctx->data, ctx->be, &r);
		s->rela_searched = true;
		s->rela_be = ctx->be;
		s->rela_off = r.off;
		s->rela_count = r.count;
	}
	*ret = (struct rela_run){ s->rela_off, s->rela_count, s->rela_be };
	return s->rela_found;
}

static bool rela_lookup_raw(const struct ks_ctx *ctx, size_t off, uint64_t *ret_addend, uint64_t *ret_base)
{
	struct span d = ctx->data;
	struct rela_run r;

	if (!cached_rela_run(ctx, &r))
		return false;
	size_t best_fit = 0, tries = 0;
	for (size_t i = 0; i < r.count && tries < MAX_RELA_TRIES; i++) {
		uint64_t b = rela_offset(d, &r, i) - off;
		if (b & 0xfff)
			continue;
		tries++;
		size_t fit = rela_fit(d, &r, b);
		if (fit > best_fit && fit * 2 >= r.count) {
			best_fit = fit;
			*ret_addend = rela_addend(d, &r, i);
			*ret_base = b;
		}
	}
	if (best_fit)
		ks_debug(&ctx->log, "RELA table of %zu records at 0x%zx; image base 0x%llx", r.count, r.off,
			 (unsigned long long)*ret_base);
	return best_fit > 0;
}

/* An ELF's own relocation section: find the record for data offset @off. */
static bool rela_lookup_elf(const struct ks_ctx *ctx, size_t off, uint64_t *ret_addend)
{
	const struct ks_kernel *k = ctx->kernel;
	struct ks_base none = { 0 };
	uint64_t va;
	bool be = ctx->be;
	unsigned esz = k->word_size == 8 ? 24 : 12, w = (unsigned)k->word_size;

	if (!k->rela_is_rela || !k->rela.len || !ks_offset_to_va(k, &none, off, &va))
		return false;
	for (size_t p = 0; p + esz <= k->rela.len; p += esz) {
		if (load_word(k->rela.p + p, w, be) == va) {
			uint64_t a = load_word(k->rela.p + p + 2 * w, w, be);
			*ret_addend = w == 4 ? (uint64_t)(uint32_t)a : a;
			return true;
		}
	}
	return false;
}

bool ks_rela_lookup(const struct ks_ctx *ctx, size_t off, uint64_t *ret_addend, uint64_t *ret_base)
{
	if (ctx->kernel->nsegs)
		return rela_lookup_elf(ctx, off, ret_addend);
	return rela_lookup_raw(ctx, off, ret_addend, ret_base);
}

/* ------------------------------------------------------------------------ */
/* Pointer votes */

enum {
	MAX_WORDS = 1 << 21,     /* words sampled from the image */
	MAX_PAIRS = 1 << 24,     /* (word, symbol) pairs examined */
	MAX_CANDIDATES = 1 << 19,
	MIN_VOTES = 16,
	MIN_VOTE_SHARE = 64,     /* votes needed: one per this many candidate symbols */
	MIN_TEXT_SYMBOLS = 64,
};

struct keyed {
	uint64_t low, val;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;

	if (x->low != y->low)
		return x->low < y->low ? -1 : 1;
	return (x->val > y->val) - (x->val < y->val);
}

/* Symbols grouped by their low bits: sorted values + a map from low bits to
 * the first index of the group (stored +1). */
struct buckets {
	uint64_t *vals;
	size_t n;
	uint64_t mask;
	struct ks_hashmap first;
};

/* Function symbols only: function pointers point exactly at them, while
 * pointers into data mostly point inside objects, which would vote for
 * wrong constants as often as the density of data symbols allows. */
static bool is_text_type(char t)
{
	return t == 't' || t == 'T' || t == 'w' || t == 'W';
}

static bool buckets_build(struct buckets *b, const uint64_t *rel, const char *types, size_t n, uint64_t align)
{
	struct keyed *k = ks_alloc_large(n * sizeof(*k));
	size_t text = 0;

	for (size_t i = 0; types && i < n; i++)
		text += is_text_type(types[i]);
	bool only_text = text >= MIN_TEXT_SYMBOLS;

	b->mask = align - 1;
	b->vals = ks_alloc_large(n * sizeof(*b->vals));
	if (!k || !b->vals) {
		free(k);
		free(b->vals);
		return false;
	}
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		if (only_text && !is_text_type(types[i]))
			continue;
		k[nk].low = rel[i] & b->mask;
		k[nk].val = rel[i];
		nk++;
	}
	n = nk;
	qsort(k, n, sizeof(*k), cmp_keyed);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (!m || k[i].val != b->vals[m - 1])
			b->vals[m++] = k[i].val;
	free(k);
	b->n = m;
	if (!ks_hashmap_init(&b->first, m + 1)) {
		free(b->vals);
		return false;
	}
	for (size_t i = 0; i < m; i++) {
		uint32_t *slot = ks_hashmap_slot(&b->first, b->vals[i] & b->mask);
		if (slot && !*slot)
			*slot = (uint32_t)i + 1;
	}
	return true;
}

static void buckets_free(struct buckets *b)
{
	free(b->vals);
	ks_hashmap_deinit(&b->first);
}

static bool plausible_constant(const struct ks_va_tops *tops, uint64_t c, uint64_t top, unsigned word)
{
	if (word == 4)
		return c <= 0xffffffffull && c + top <= 0xffffffffull;
	return c + top >= c && (c >> 48 == 0 || ks_va_tops_has(tops, (uint16_t)(c >> 48)));
}

/* Cheap filter before any lookup: small integers and (on 64-bit) values
 * without a kernel-looking top are not pointers to the kernel image. */
static bool pointer_like(const struct ks_va_tops *tops, uint64_t w, unsigned word)
{
	if (w < 0x10000)
		return false;
	if (word == 4)
		return true;
	return (w >> 32) == 0 || ((w >> 48) && ks_va_tops_has(tops, (uint16_t)(w >> 48)));
}

/* The candidate with the most votes, its count and the runner-up's. */
static uint64_t top_two(const struct ks_hashmap *votes, uint32_t *ret_top1, uint32_t *ret_top2)
{
	uint32_t top1 = 0, top2 = 0;
	uint64_t best = 0;

	for (size_t i = 0; i < votes->cap; i++) {
		const struct ks_hashmap_slot *s = &votes->slots[i];
		if (!s->used)
			continue;
		if (s->val > top1) {
			top2 = top1;
			top1 = s->val;
			best = s->key;
		} else if (s->val > top2) {
			top2 = s->val;
		}
	}
	*ret_top1 = top1;
	*ret_top2 = top2;
	return best;
}

static bool vote(const struct ks_ctx *ctx, const struct buckets *b, unsigned word, uint64_t top,
		 uint64_t *ret, uint32_t *ret_votes)
{
	struct span d = ctx->data;
	bool be = ctx->be;
	size_t nwords = d.len / word;
	size_t stride = nwords / MAX_WORDS + 1;
	size_t pairs = 0;
	struct ks_hashmap votes;
	struct ks_va_tops tops; /* looked up once: this loop reads every word */

	ks_arch_va_tops(ks_ctx_arch(ctx), &tops);
	if (!ks_hashmap_init(&votes, MAX_CANDIDATES))
		return false;
	for (size_t i = 0; i < nwords && pairs < MAX_PAIRS; i += stride) {
		uint64_t w = load_word(d.p + i * word, word, be);
		if (!pointer_like(&tops, w, word))
			continue;
		uint32_t *first = ks_hashmap_get(&b->first, w & b->mask);
		if (!first)
			continue;
		for (size_t j = *first - 1; j < b->n && (b->vals[j] & b->mask) == (w & b->mask); j++) {
			pairs++;
			uint64_t c = w - b->vals[j];
			if (!plausible_constant(&tops, c, top, word))
				continue;
			uint32_t *slot = ks_hashmap_slot(&votes, c);
			if (slot)
				(*slot)++;
		}
	}
	uint32_t top1, top2;
	uint64_t best = top_two(&votes, &top1, &top2);
	ks_hashmap_deinit(&votes);
	ks_debug(&ctx->log, "pointer votes (alignment 0x%llx): best 0x%llx with %u, runner-up %u",
		 (unsigned long long)(b->mask + 1), (unsigned long long)best, top1, top2);
	/* A whole image points at a good share of its functions (ops
	 * tables, initcalls: 51,880 votes for 34,724 symbols on s390x); a
	 * peak of a few dozen is what a part of one (a file cut short after
	 * the tables) gives for a wrong constant. */
	if (top1 < MIN_VOTES || top1 < 3 * top2 || top1 < b->n / MIN_VOTE_SHARE)
		return false;
	*ret = best;
	*ret_votes = top1;
	return true;
}

enum { MIN_SELF_VOTES = 16, SELF_MARGIN = 8, SELF_CANDIDATES = 1 << 16, MAX_SELF_WORDS = 1 << 21 };

bool ks_infer_base_by_self_pointers(const struct ks_ctx *ctx, unsigned word, size_t lo, size_t hi, uint64_t *ret)
{
	struct span d = ctx->data;
	uint64_t mask = word == 4 ? 0xffffffffull : ~0ull;
	struct ks_hashmap votes;
	struct ks_va_tops tops;

	ks_arch_va_tops(ks_ctx_arch(ctx), &tops);
	if (word != 4 && word != 8)
		return false;
	hi = KS_MIN(hi, d.len);
	if (lo >= hi)
		return false;
	size_t first = (lo + word - 1) / word, nwords = hi / word;
	if (!ks_hashmap_init(&votes, SELF_CANDIDATES))
		return false;
	/* an odd stride samples every alignment of the list_heads evenly */
	size_t stride = ((nwords - first) / MAX_SELF_WORDS) | 1;
	for (size_t i = first; i < nwords; i += stride) {
		uint64_t w = load_word(d.p + i * word, word, ctx->be);
		uint64_t b = (w - i * word) & mask;
		if ((b & 0xfff) || !pointer_like(&tops, w, word) || !plausible_constant(&tops, b, 0, word))
			continue;
		uint32_t *slot = ks_hashmap_slot(&votes, b);
		if (slot)
			(*slot)++;
	}
	uint32_t top1, top2;
	uint64_t best = top_two(&votes, &top1, &top2);
	ks_hashmap_deinit(&votes);
	ks_debug(&ctx->log, "self-pointer votes (%u-byte words): best 0x%llx with %u, runner-up %u", word,
		 (unsigned long long)best, top1, top2);
	if (top1 < MIN_SELF_VOTES || top1 < SELF_MARGIN * top2)
		return false;
	ks_info(&ctx->log, "base 0x%llx from %u self-pointers", (unsigned long long)best, top1);
	*ret = best;
	return true;
}

bool ks_infer_base_by_pointers(const struct ks_ctx *ctx, const uint64_t *rel, const char *types, size_t n,
			       unsigned word, uint64_t *ret)
{
	static const uint64_t aligns[] = { 1u << 21, 1u << 16, 1u << 12 };
	uint64_t top = 0;

	if (!n || (word != 4 && word != 8))
		return false;
	for (size_t i = 0; i < n; i++)
		top = rel[i] > top ? rel[i] : top;
	for (size_t a = 0; a < KS_ARRAY_SIZE(aligns); a++) {
		struct buckets b;
		uint32_t votes;
		if (!buckets_build(&b, rel, types, n, aligns[a]))
			return false;
		bool ok = vote(ctx, &b, word, top, ret, &votes);
		buckets_free(&b);
		if (ok) {
			ks_info(&ctx->log, "base 0x%llx from %u pointers to symbols", (unsigned long long)*ret, votes);
			return true;
		}
	}
	return false;
}

/*
 * The record that relocates a word holds the word's link-time address as
 * its place (r_offset): with the word's data offset, that is the image
 * base, whatever symbols the table has (a 6.1 arm64 kernel without
 * CONFIG_KALLSYMS_ALL has no kallsyms_* symbol to anchor it).
 */
bool ks_infer_base_by_rela(const struct ks_ctx *ctx, size_t off, uint64_t *ret)
{
	uint64_t addend, base;

	if (ctx->kernel->nsegs || !rela_lookup_raw(ctx, off, &addend, &base))
		return false;
	ks_info(&ctx->log, "base 0x%llx from the relocation record of the word at 0x%zx", (unsigned long long)base,
		off);
	*ret = base;
	return true;
}

bool ks_infer_relbase(const struct ks_ctx *ctx, const struct ks_found *f, const uint64_t *rel, const char *types,
		      uint64_t *ret, const char **ret_source, enum ks_addr_src *ret_kind, struct ks_base *img)
{
	uint64_t addend, base = 0;

	if (ks_rela_lookup(ctx, f->addrs.relbase_off, &addend, &base) && addend) {
		*ret = addend;
		*ret_source = "its R_*_RELATIVE relocation record";
		*ret_kind = KS_ADDR_SRC_RELA;
		if (!img->known && !ctx->kernel->nsegs)
			ks_base_set(img, base, KS_BASE_SRC_RELA, "the relocation record of kallsyms_relative_base");
		return true;
	}
	if (ks_infer_base_by_pointers(ctx, rel, types, f->names.num_syms, (unsigned)f->word_size, ret)) {
		*ret_source = "pointers to symbols in the image";
		*ret_kind = KS_ADDR_SRC_VOTES;
		return true;
	}
	return false;
}
