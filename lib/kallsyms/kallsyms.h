/* SPDX-License-Identifier: MIT */
/*
 * Internal interface of the kallsyms locator and decoder.
 *
 * The locator works on a span of kernel bytes only (it never sees a file)
 * and proceeds from the most recognisable table outwards:
 *
 *   hint.c       where the tables probably are: a sampled address table,
 *                so that the token search starts near it
 *   tokens.c     kallsyms_token_index + kallsyms_token_table (the anchor)
 *   names.c      kallsyms_markers, kallsyms_names, kallsyms_num_syms,
 *                and the pre-6.4 kallsyms_seqs_of_names gap
 *   addrs.c      kallsyms_addresses / kallsyms_offsets / relative_base and
 *                the 6.4+ seqs_of_names, in every address mode
 *   base.c       virtual addresses: the image base and a zeroed relative_base
 *   decode.c     kallsyms_names expanded into the table (lib/table)
 *   layout.c     named layouts per format era, for the generator (lib/gen)
 *   locate.c     drives the above over every candidate and keeps the one
 *                that decodes completely
 *
 * Every position is a byte offset into the kernel span (span.origin == 0).
 */
#ifndef KSYMS_KALLSYMS_H
#define KSYMS_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/log.h"
#include "core/span.h"
#include "kernel/kernel.h"
#include "table/table.h"

/* KSYM_NAME_LEN is 512 since 6.1 (73bbb94466fd) and 128 before; a stored
 * entry (type letter + name, compressed) is never longer than this. */
enum { KS_MAX_ENTRY = 512, KS_TOKEN_INDEX_SIZE = 512, KS_MAX_PAD = 7 };

/*
 * Before ~5.0 scripts/kallsyms aligned every table with ".align 8" (64-bit)
 * or ".align 4" (32-bit), which GNU as reads as 2^8 = 256 or 2^4 = 16
 * bytes on arm, arm64, mips, powerpc and riscv (as bytes on x86 and
 * s390); later trees write ".balign".  So those kernels have up to 255
 * bytes of zero padding between tables, and every table starts a multiple
 * of 16 (or 256) bytes from every other: a gap longer than KS_MAX_PAD is
 * taken only where that holds.  Found by the oracle (tests/oracle) on
 * 2.6.32-4.19 images of those architectures.
 */
enum { KS_MAX_OLD_PAD = 255, KS_OLD_ALIGN = 16 };

/* A gap of @pad bytes between tables that start @dist bytes apart. */
static inline bool ks_gap_ok(size_t pad, size_t dist)
{
	return pad <= KS_MAX_PAD || (pad <= KS_MAX_OLD_PAD && dist % KS_OLD_ALIGN == 0);
}

/* kallsyms_token_table + kallsyms_token_index, validated. */
struct ks_tokens {
	bool be;
	size_t table_off;  /* kallsyms_token_table */
	size_t table_len;
	size_t index_off;  /* kallsyms_token_index (256 x u16) */
	uint16_t index[256];
	const uint8_t *str[256]; /* expansion of each code (into the span) */
	uint16_t len[256];
};

/* kallsyms_names + kallsyms_markers + kallsyms_num_syms, validated by a
 * walk that lands on every marker. */
struct ks_names {
	size_t off, len;          /* kallsyms_names */
	size_t markers_off;
	unsigned marker_size;     /* 4 or 8 */
	uint32_t num_markers;
	size_t num_syms_off;
	unsigned num_syms_size;   /* 4 or 8 */
	uint32_t num_syms;
	unsigned len_bytes;       /* 1, or 2 = ULEB128 (6.1+) */
	bool long_seen;           /* an entry used a 2-byte length */
	bool len_ambiguous;       /* no entry tells the two encodings apart */
	/* seqs_of_names found between markers and token_table (6.2/6.3) */
	bool seqs_after_markers;
	size_t seqs_off;
	unsigned seqs_entry_size;
};

/* kallsyms_addresses or kallsyms_offsets (+ relative_base). */
struct ks_addrs {
	enum ksyms_addr_mode mode;
	enum ksyms_table_order order;
	unsigned word;            /* kernel word size implied (0 = not implied) */
	size_t off, size;         /* the addresses/offsets array */
	bool has_relbase;
	size_t relbase_off;
	uint64_t relbase;         /* as stored (may be 0 before boot relocation) */
	bool abs32_too;           /* a pc-relative array that also reads as absolute u32s */
	enum ksyms_addr_mode abs_mode; /* ... as which: ABSOLUTE32 (7.0) or ABSOLUTE (6.4-6.9) */
	bool has_seqs;            /* 6.4+ seqs_of_names after the addresses */
	size_t seqs_off;
	unsigned seqs_entry_size;
};

/* What the locator found: positions and layout, before decoding. */
struct ks_found {
	struct ks_tokens tok;
	struct ks_names names;
	struct ks_addrs addrs;
	int word_size;
};

/* What the search of one kernel has spent and met, across candidates. */
struct ks_search {
	/* Steps of work left; shared by every candidate, so that many fake
	 * tables cannot multiply the work. */
	uint64_t work_left;
	/* A consistent kallsyms_markers table ran past max_symbols. */
	bool over_max;
	size_t over_at;
	/* The raw image's run of R_*_RELATIVE records, found once (base.c). */
	bool rela_searched, rela_found;
	size_t rela_off, rela_count;
	bool rela_be;
};

struct ks_ctx {
	struct span data;
	const struct ks_kernel *kernel;
	const struct ksyms_find_opts *opts;
	struct ks_log log;
	uint32_t max_symbols;
	uint32_t max_name_len;
	uint64_t max_pool;  /* bytes the expanded names may take (the kernel's max_output) */
	bool be;  /* byte order of the candidate being decoded (from token_index) */
	struct ks_search *search; /* NULL: no limit on the work */
	/* a probe of a prefix (early stop): set instead of inferring a
	 * kallsyms_relative_base, which a prefix cannot settle */
	bool *relbase_wanted;
};

/* The architecture: the user's, else what the kernel's format says (NULL). */
static inline const char *ks_ctx_arch(const struct ks_ctx *ctx)
{
	return ctx->opts && ctx->opts->arch ? ctx->opts->arch : ctx->kernel->arch;
}

/*
 * Charge @n steps of search work (a word or an entry examined, a position
 * tried).  False once the budget is spent: every search loop then stops,
 * and the locator reports that it gave up.  The budget is linear in the
 * data size, so the search is too, however many candidates it holds.
 */
static inline bool ks_work(const struct ks_ctx *ctx, uint64_t n)
{
	if (!ctx->search)
		return true;
	if (ctx->search->work_left <= n) {
		ctx->search->work_left = 0;
		return false;
	}
	ctx->search->work_left -= n;
	return true;
}

/* Note that a table at @off holds more symbols than max_symbols allows. */
static inline void ks_over_max(const struct ks_ctx *ctx, size_t off)
{
	if (ctx->search && !ctx->search->over_max) {
		ctx->search->over_max = true;
		ctx->search->over_at = off;
	}
}

/* tokens.c: scan forward from *pos for the next token_index/token_table
 * pair; updates *pos past the hit.  Returns false when none is left. */
bool ks_tokens_next(const struct ks_ctx *ctx, size_t *pos, struct ks_tokens *ret);

/* tokens.c: the same, found through a "0".."9" token run that starts
 * before @end (fast path). */
bool ks_tokens_by_digits(const struct ks_ctx *ctx, size_t *from, size_t end, struct ks_tokens *ret);

/* hint.c: where the tables probably are (an offset to start the search
 * at), from a sparse sample of the bytes; 0 when nothing suggests a place. */
size_t ks_hint_tables(const struct ks_ctx *ctx);

/* names.c: find markers, names and num_syms ending before the token table:
 * up to @max readings, the one of most symbols first; with @with_seqs,
 * the reading with seqs_of_names between markers and token table (6.2,
 * 6.3), tried when none of the others fits. */
enum { KS_MAX_NAMES_CANDIDATES = 4 };
size_t ks_names_find(const struct ks_ctx *ctx, const struct ks_tokens *tok, struct ks_names *ret, size_t max,
		     bool with_seqs);
/* Walk @count entries from @pos; *ret_end receives the offset after them.
 * False if an entry is empty or runs outside [.., limit). */
bool ks_names_walk(struct span data, size_t pos, size_t limit, uint32_t count, unsigned len_bytes,
		   size_t *ret_end, bool *ret_long);
/* Check that seqs_of_names at @off is a permutation of 0..n-1. */
bool ks_seqs_valid(struct span data, size_t off, uint32_t n, unsigned entry_size, bool be);

/* addrs.c: find the address table for the located names. */
bool ks_addrs_find(const struct ks_ctx *ctx, const struct ks_found *f, struct ks_addrs *ret);
/* Decode addresses into @out (num_syms entries) given the virtual address
 * of the table (needed for PC-relative) and the relative base. */
void ks_addrs_decode(struct span data, const struct ks_found *f, uint64_t table_va, uint64_t relbase,
		     uint64_t *out);

/* base.c: virtual address facts. */
struct ks_base {
	bool known;
	uint64_t base;             /* VA of data offset 0 (raw images) */
	const char *source;
	enum ks_base_src kind;     /* what the source rests on (lib/verify weighs it) */
};

static inline void ks_base_set(struct ks_base *b, uint64_t base, enum ks_base_src kind, const char *source)
{
	b->known = true;
	b->base = base;
	b->kind = kind;
	b->source = source;
}
/* VA of data offset @off: through the ELF segments, or base + off. */
bool ks_offset_to_va(const struct ks_kernel *k, const struct ks_base *b, size_t off, uint64_t *ret);
/* Infer a relative_base stored as 0 (relocated at boot).  Its relocation
 * record, when it is what gives the value, also gives the image base:
 * set in @base unless that is known already. */
bool ks_infer_relbase(const struct ks_ctx *ctx, const struct ks_found *f, const uint64_t *rel, const char *types,
		      uint64_t *ret, const char **ret_source, enum ks_addr_src *ret_kind, struct ks_base *base);
/* The image base of a raw image from the relocation record of the word at
 * data offset @off (any word a RELA kernel relocates at boot). */
bool ks_infer_base_by_rela(const struct ks_ctx *ctx, size_t off, uint64_t *ret);
/* Infer the image base of a raw image from pointers in it. @addrs are the
 * symbol addresses relative to the unknown base (the data offsets). */
bool ks_infer_base_by_pointers(const struct ks_ctx *ctx, const uint64_t *rel, const char *types, size_t n,
			       unsigned word, uint64_t *ret);
/* Infer the image base of a raw image from words that hold their own
 * address (empty list_heads), among those at data offsets [@lo, @hi). */
bool ks_infer_base_by_self_pointers(const struct ks_ctx *ctx, unsigned word, size_t lo, size_t hi, uint64_t *ret);
/* Look for an R_*_RELATIVE relocation of the word at data offset @off. */
bool ks_rela_lookup(const struct ks_ctx *ctx, size_t off, uint64_t *ret_addend, uint64_t *ret_base);

#endif
