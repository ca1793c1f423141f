// SPDX-License-Identifier: MIT
/*
 * The locator's driver: every token-table candidate in the kernel is
 * followed outwards (names, markers, num_syms, addresses); the first that
 * decodes completely is the table (the step-0 dummy table of 6.12+ builds
 * has zero symbols and never decodes).  When nothing decodes, the error
 * says how far the best candidate got, so "not a kernel" and "a kernel
 * whose table we misread" differ.
 */
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "decode.h"
#include "kernel/vamap.h"
#include "core/overflow.h"

enum { DEFAULT_MAX_SYMBOLS = 4000000, MAX_NAME_LEN = 511 };
static const uint64_t DEFAULT_MAX_POOL = 1ull << 30; /* max_output's default */

/*
 * The search's work budget (see ks_work()): steps per byte of data, plus a
 * floor for small inputs.  A real kernel's table is found within a small
 * fraction of it (the first candidates of the digit fast path); data
 * built to hold table look-alikes by the thousand runs out of it in time
 * linear in its size instead of quadratic.
 */
enum { WORK_PER_BYTE = 8 };
static const uint64_t WORK_FLOOR = 64ull << 20;

/* How far a candidate got, for the error message. */
enum progress { P_NONE, P_TOKENS, P_NAMES, P_ADDRS, P_DECODE };

struct attempt {
	enum progress progress;
	size_t where;
	uint32_t num_syms;
	struct ksyms_error *err;
};

static void note(struct attempt *a, enum progress p, size_t where, uint32_t n, struct ksyms_error *err)
{
	if (p < a->progress) {
		ksyms_error_destroy(err);
		return;
	}
	ksyms_error_destroy(a->err);
	a->progress = p;
	a->where = where;
	a->num_syms = n;
	a->err = err;
}

static struct ksyms_error *failure(struct attempt *a, const struct ks_ctx *ctx, uint64_t budget)
{
	size_t len = ctx->data.len;

	if (ctx->search->over_max)
		return ks_error_limit_at((int64_t)ctx->search->over_at,
				   "kallsyms tables at 0x%zx hold more than %u symbols, the limit (see --max-symbols)",
				   ctx->search->over_at, ctx->max_symbols);
	/* a candidate that got as far as decoding says more than "gave up" */
	if (ctx->search->work_left == 0 && a->progress < P_DECODE)
		return ks_error_limit_at((int64_t)a->where,
				   "gave up looking for kallsyms: the data holds too many table look-alikes (the "
				   "search's limit of %llu steps ran out; the most complete candidate was at 0x%zx)",
				   (unsigned long long)budget, a->where);
	switch (a->progress) {
	case P_NONE:
		return ks_error(KSYMS_ERR_NOT_FOUND,
				"no kallsyms tables found in the %zu bytes of kernel data (no kallsyms_token_table; "
				"not a kernel, one cut short, or one built without CONFIG_KALLSYMS?)", len);
	case P_TOKENS:
		return ks_error_at((int64_t)a->where,
				   "kallsyms_token_table found at 0x%zx, but no kallsyms_markers/kallsyms_names before it",
				   a->where);
	case P_NAMES:
		return ks_error_at((int64_t)a->where,
				   "kallsyms_names found at 0x%zx (%u symbols), but no consistent address table",
				   a->where, a->num_syms);
	default: {
		struct ksyms_error *e = a->err;
		a->err = NULL;
		return e ? e : ks_error(KSYMS_ERR_BAD_DATA, "kallsyms tables could not be decoded");
	}
	}
}

/* ------------------------------------------------------------------------ */
/* word size, base, addresses */

static int choose_word_size(const struct ks_ctx *ctx, const struct ks_found *f)
{
	if (ctx->opts && ctx->opts->word_size)
		return ctx->opts->word_size;
	if (ctx->kernel->word_size)
		return ctx->kernel->word_size;
	if (f->addrs.word)
		return (int)f->addrs.word;
	if (f->names.marker_size == 8)
		return 8;
	return 0; /* decided from the addresses or the architecture later */
}

static void set_loc(struct ksyms_info *info, enum ksyms_table_id id, size_t off, size_t size)
{
	info->tables[id].present = true;
	info->tables[id].offset = off;
	info->tables[id].size = size;
}

/* The address array is kallsyms_addresses when absolute, else kallsyms_offsets. */
static void set_array_loc(struct ksyms_info *info, const struct ks_addrs *a)
{
	memset(&info->tables[KSYMS_TAB_ADDRESSES], 0, sizeof(info->tables[KSYMS_TAB_ADDRESSES]));
	memset(&info->tables[KSYMS_TAB_OFFSETS], 0, sizeof(info->tables[KSYMS_TAB_OFFSETS]));
	set_loc(info, a->mode == KSYMS_ADDR_ABSOLUTE ? KSYMS_TAB_ADDRESSES : KSYMS_TAB_OFFSETS, a->off, a->size);
}

static void fill_locations(struct ksyms_info *info, const struct ks_found *f)
{
	const struct ks_names *nm = &f->names;
	const struct ks_addrs *a = &f->addrs;

	set_loc(info, KSYMS_TAB_TOKEN_TABLE, f->tok.table_off, f->tok.table_len);
	set_loc(info, KSYMS_TAB_TOKEN_INDEX, f->tok.index_off, KS_TOKEN_INDEX_SIZE);
	set_loc(info, KSYMS_TAB_NAMES, nm->off, nm->len);
	set_loc(info, KSYMS_TAB_MARKERS, nm->markers_off, (size_t)nm->num_markers * nm->marker_size);
	set_loc(info, KSYMS_TAB_NUM_SYMS, nm->num_syms_off, nm->num_syms_size);
	set_array_loc(info, a);
	if (a->has_relbase)
		set_loc(info, KSYMS_TAB_RELATIVE_BASE, a->relbase_off, a->word);
	if (a->has_seqs)
		set_loc(info, KSYMS_TAB_SEQS_OF_NAMES, a->seqs_off, (size_t)a->seqs_entry_size * nm->num_syms);
}

/*
 * The label alignment of a table whose gaps are longer than KS_MAX_PAD:
 * the ".align 8"/".align 4" of kernels before 5.0 on architectures where
 * that means 256 or 16 bytes (kallsyms.h).  256 if every table starts a
 * multiple of it from kallsyms_names, else 16; 0 for a modern table.
 */
static unsigned old_alignment(const struct ksyms_info *info)
{
	size_t start[KSYMS_TAB_COUNT], end[KSYMS_TAB_COUNT], n = 0;
	bool long_gap = false, all256 = true;
	uint64_t names = info->tables[KSYMS_TAB_NAMES].offset;

	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		const struct ksyms_table_loc *l = &info->tables[id];
		if (!l->present)
			continue;
		start[n] = (size_t)l->offset;
		end[n++] = (size_t)(l->offset + l->size);
		all256 &= ((l->offset - names) & 255) == 0;
	}
	for (size_t i = 0; i < n; i++) {
		size_t next = SIZE_MAX; /* the nearest table after this one */
		for (size_t j = 0; j < n; j++)
			if (start[j] >= end[i] && start[j] < next)
				next = start[j];
		if (next != SIZE_MAX && next - end[i] > KS_MAX_PAD)
			long_gap = true;
	}
	return !long_gap ? 0 : all256 ? 256 : KS_OLD_ALIGN;
}

static void fill_layout(struct ksyms_info *info, const struct ks_found *f)
{
	struct ksyms_layout *l = &info->layout;
	const struct ks_addrs *a = &f->addrs;

	l->addr_mode = a->mode;
	l->order = a->order;
	l->seqs = !a->has_seqs ? KSYMS_SEQS_NONE
		  : f->names.seqs_after_markers ? KSYMS_SEQS_AFTER_MARKERS : KSYMS_SEQS_AFTER_ADDRESSES;
	l->seqs_entry_size = a->has_seqs ? (uint8_t)a->seqs_entry_size : 0;
	l->marker_size = (uint8_t)f->names.marker_size;
	l->num_syms_size = (uint8_t)f->names.num_syms_size;
	/* The length encoding shows only once a name needs two bytes; every
	 * layout newer than 6.1 (seqs_of_names, 6.4 order, 7.0 offsets) has
	 * the ULEB128 rule, so report that when the data cannot tell. */
	bool newer = a->has_seqs || a->order == KSYMS_ORDER_NAMES_FIRST || a->mode == KSYMS_ADDR_PC_RELATIVE ||
		     a->mode == KSYMS_ADDR_ABSOLUTE32;
	l->name_len_bytes = (uint8_t)(f->names.long_seen || (f->names.len_ambiguous && newer) ? 2 : 1);
	info->long_names_seen = f->names.long_seen;
	l->align = (uint8_t)(a->mode == KSYMS_ADDR_PC_RELATIVE || a->mode == KSYMS_ADDR_ABSOLUTE32 ||
			     f->word_size == 4 ? 4 : 8);
	unsigned old = old_alignment(info);
	if (old)
		l->align = (uint16_t)old;
}

/* The index of the landmark symbol @name (ks_is_landmark_name()), or -1. */
static long find_landmark(const struct ksyms_table *t, const char *name)
{
	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);)
		if (strcmp(t->pool + t->name[i], name) == 0)
			return (long)i;
	return -1;
}

/* With absolute symbol addresses, the kernel's own kallsyms_* symbols (in
 * the table when CONFIG_KALLSYMS_ALL) tie file offsets to addresses. */
static bool base_from_own_symbols(const struct ksyms_table *t, uint64_t mask, uint64_t *ret)
{
	static const char prefix[] = "kallsyms_";
	bool found = false;
	uint64_t base = 0;

	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);) {
		const char *n = t->pool + t->name[i];
		if (n[0] != 'k' || strncmp(n, prefix, sizeof(prefix) - 1) != 0)
			continue;
		for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
			if (!t->info.tables[id].present || strcmp(n, ksyms_table_id_name(id)) != 0)
				continue;
			uint64_t b = (t->addr[i] - t->info.tables[id].offset) & mask;
			if (found && b != base)
				return false; /* disagreeing anchors: trust none */
			base = b;
			found = true;
		}
	}
	*ret = base;
	return found;
}

/* A raw Image starts with _text (arm64 booting.rst; riscv boot-image-header). */
static bool base_from_image_start(const struct ks_ctx *ctx, const struct ksyms_table *t, uint64_t *ret)
{
	const char *f = ctx->kernel->format;
	const char *start = NULL;

	if (strcmp(f, "arm64 Image") == 0)
		start = "_text";
	else if (strcmp(f, "riscv Image") == 0)
		start = "_start";
	if (!start)
		return false;
	long i = find_landmark(t, start);
	if (i < 0)
		return false;
	*ret = t->addr[i];
	return true;
}

static struct ks_base initial_base(const struct ks_ctx *ctx)
{
	struct ks_base base = { 0 };

	if (ctx->opts && ctx->opts->has_base)
		ks_base_set(&base, ctx->opts->base, KS_BASE_SRC_USER, "given by the user");
	else if (ctx->kernel->has_base_hint)
		ks_base_set(&base, ctx->kernel->base_hint, KS_BASE_SRC_CONTAINER, ctx->kernel->base_hint_source);
	return base;
}

/*
 * The data offsets [@lo, @hi) of .data (_sdata to _edata), from symbol
 * addresses that are data offsets, if both lie inside the data and make
 * a section of at least 64 KiB.  The empty list_heads that hold their own
 * address live there: on the 7.2 arm64 Image it is 5.4 of 48 MB, and the
 * self-pointer scan of the whole image was 12% of `ksyms list`.
 */
static bool data_section(const struct ksyms_table *t, size_t len, size_t *lo, size_t *hi)
{
	uint64_t s = UINT64_MAX, e = UINT64_MAX;

	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);) {
		const char *name = t->pool + t->name[i];
		if (name[0] != '_' || (name[1] != 's' && name[1] != 'e'))
			continue;
		if (strcmp(name, "_sdata") == 0)
			s = t->addr[i];
		else if (strcmp(name, "_edata") == 0)
			e = t->addr[i];
	}
	if (s >= e || e > len || e - s < (64u << 10))
		return false;
	*lo = (size_t)s;
	*hi = (size_t)e;
	return true;
}

/* The architecture the symbol names suggest, or NULL (also when out of
 * memory); a table decoded for its facts only is expanded first. */
static const char *arch_from_names(struct ksyms_table *t)
{
	const char *arch = NULL;

	if (!ks_table_unpack(t))
		return NULL;
	const char **names = malloc(t->count * sizeof(*names));
	if (names) {
		for (size_t i = 0; i < t->count; i++)
			names[i] = t->pool + t->name[i];
		arch = ks_arch_from_symbols(names, t->count);
		free(names);
	}
	return arch;
}

/* 7.x place-relative offsets in a raw image: symbol i is at data offset
 * off + 4i + v[i]; the base that turns those into addresses comes from
 * self-pointers, else from pointers to the symbols. */
static void base_for_pc_relative(const struct ks_ctx *ctx, struct ks_found *f, struct ksyms_table *t,
				 struct ks_base *base)
{
	unsigned words[2] = { f->word_size ? (unsigned)f->word_size : 8, f->word_size ? 0 : 4 };
	size_t lo, hi;
	uint64_t b;

	/* with the table's own offset as its address, each symbol's address
	 * is its data offset */
	ks_addrs_decode(ctx->data, f, f->addrs.off, 0, t->addr);
	bool has_data = data_section(t, ctx->data.len, &lo, &hi);
	for (int i = 0; i < 2 && words[i] && !base->known; i++) {
		if ((has_data && ks_infer_base_by_self_pointers(ctx, words[i], lo, hi, &b)) ||
		    ks_infer_base_by_self_pointers(ctx, words[i], 0, ctx->data.len, &b)) {
			ks_base_set(base, b, KS_BASE_SRC_SELF, "words in the image that hold their own address");
		} else {
			if (!ks_infer_base_by_pointers(ctx, t->addr, t->type, t->count, words[i], &b))
				continue;
			ks_base_set(base, b, KS_BASE_SRC_VOTES, "pointers to symbols in the image");
		}
		if (!f->word_size)
			f->word_size = (int)words[i];
	}
	if (!base->known && ctx->kernel->has_image_base)
		ks_base_set(base, ctx->kernel->image_base, KS_BASE_SRC_HEADER, ctx->kernel->image_base_source);
	if (base->known)
		return;
	base->source = "nothing in the image ties offsets to addresses: they are printed as offsets into the kernel data (use --base)";
	/* the offsets alone look 32-bit; the architecture says otherwise */
	if (!f->word_size) {
		const char *arch = arch_from_names(t);
		f->word_size = arch ? ks_arch_word_size(arch) : 0;
	}
}

/* Do most text symbols fall inside the data if it starts at @base? */
static bool base_fits_text(const struct ksyms_table *t, uint64_t base, size_t len, uint64_t mask)
{
	size_t text = 0, inside = 0;

	for (size_t i = 0; i < t->count; i++) {
		if (t->type[i] != 't' && t->type[i] != 'T')
			continue;
		text++;
		inside += ((t->addr[i] - base) & mask) < len;
	}
	return text && inside * 10 >= text * 9;
}

/* The base of a raw image whose symbol addresses are absolute: only needed
 * to give the tables' own addresses. */
static void base_for_raw(const struct ks_ctx *ctx, struct ks_found *f, const struct ksyms_table *t,
			 struct ks_base *base)
{
	uint64_t mask = f->word_size == 4 ? 0xffffffffull : ~0ull, b;

	/* place-relative addresses are offsets from the table: its own
	 * symbols agree with any base, so they cannot anchor one */
	if (f->addrs.mode != KSYMS_ADDR_PC_RELATIVE && base_from_own_symbols(t, mask, &b))
		ks_base_set(base, b, KS_BASE_SRC_SYMBOLS, "the kernel's own kallsyms_* symbols");
	else if (f->addrs.has_relbase && ks_infer_base_by_rela(ctx, f->addrs.relbase_off, &b))
		ks_base_set(base, b, KS_BASE_SRC_RELA, "the relocation record of kallsyms_relative_base");
	else if (ks_infer_base_by_self_pointers(ctx, (unsigned)f->word_size, 0, ctx->data.len, &b) &&
		 base_fits_text(t, b, ctx->data.len, mask))
		ks_base_set(base, b, KS_BASE_SRC_SELF, "words in the image that hold their own address");
	else if (base_from_image_start(ctx, t, &b))
		ks_base_set(base, b, KS_BASE_SRC_SYMBOLS, "the Image header (the image starts at _text)");
	else if (ctx->kernel->has_image_base)
		ks_base_set(base, ctx->kernel->image_base, KS_BASE_SRC_HEADER, ctx->kernel->image_base_source);
}

/* How many text symbols lie in [lo, hi) (hi exclusive; lo <= hi). */
static size_t text_inside(const struct ksyms_table *t, uint64_t lo, uint64_t hi)
{
	size_t in = 0;

	for (size_t i = 0; i < t->count; i++)
		if ((t->type[i] == 't' || t->type[i] == 'T') && t->addr[i] >= lo && t->addr[i] < hi)
			in++;
	return in;
}

/* 7.0 32-bit: place-relative (relocatable) and absolute (not) offsets can
 * both be ascending; the reading whose text lands inside the image wins.
 * 64-bit kernels have no absolute32 mode. */
static void settle_abs32(const struct ks_ctx *ctx, struct ks_found *f, struct ksyms_table *t, struct ks_base *base)
{
	const struct ks_kernel *k = ctx->kernel;
	uint64_t table_va, lo, hi;

	if (f->word_size == 8)
		return;
	if (!ks_offset_to_va(k, base, f->addrs.off, &table_va)) {
		struct ks_base b = { .known = true, .kind = KS_BASE_SRC_SELF,
				     .source = "words in the image that hold their own address" };
		if (!ks_infer_base_by_self_pointers(ctx, 4, 0, ctx->data.len, &b.base)) {
			f->addrs.mode = f->addrs.abs_mode; /* the only reading that needs no base */
			return;
		}
		*base = b;
		table_va = b.base + f->addrs.off;
	}
	if (k->nsegs) {
		lo = ~0ull;
		hi = 0;
		for (size_t i = 0; i < k->nsegs; i++) {
			lo = k->segs[i].vaddr < lo ? k->segs[i].vaddr : lo;
			hi = k->segs[i].vaddr + k->segs[i].size > hi ? k->segs[i].vaddr + k->segs[i].size : hi;
		}
	} else {
		lo = base->base;
		hi = base->base + ctx->data.len;
	}
	ks_addrs_decode(ctx->data, f, table_va, 0, t->addr);
	size_t pc = text_inside(t, lo, hi);
	f->addrs.mode = f->addrs.abs_mode;
	ks_addrs_decode(ctx->data, f, table_va, 0, t->addr);
	size_t abs = text_inside(t, lo, hi);
	if (pc > abs)
		f->addrs.mode = KSYMS_ADDR_PC_RELATIVE;
	ks_debug(&ctx->log, "32-bit offsets: %zu text symbols inside the image read place-relative, %zu read absolute",
		 pc, abs);
}

/* A probe's answer: the addresses need the whole kernel. */
static struct ksyms_error *relbase_needs_kernel(const struct ks_ctx *ctx)
{
	*ctx->relbase_wanted = true;
	return ks_error(KSYMS_ERR_NOT_FOUND, "kallsyms_relative_base must be inferred from the whole kernel");
}

/* kallsyms_relative_base is 0 until boot-time relocation (arm64/ppc64/s390 RELA). */
static struct ksyms_error *infer_relbase(const struct ks_ctx *ctx, struct ks_found *f, struct ksyms_table *t,
					 uint64_t table_va, uint64_t *relbase, struct ks_base *base)
{
	const char *src = NULL;

	if (ctx->relbase_wanted)
		return relbase_needs_kernel(ctx);
	ks_addrs_decode(ctx->data, f, table_va, 0, t->addr);
	if (!ks_infer_relbase(ctx, f, t->addr, t->type, relbase, &src, &t->addr_src, base))
		return ks_error_at((int64_t)f->addrs.relbase_off,
				   "kallsyms_relative_base at 0x%zx is 0 (set by boot-time relocation) and could not be inferred",
				   f->addrs.relbase_off);
	t->info.relative_base_inferred = true;
	t->info.relative_base_source = src;
	return NULL;
}

static bool all_zero(struct span d, size_t off, size_t len)
{
	const uint8_t *p = span_at(d, off, len);

	for (size_t i = 0; p && i < len; i++)
		if (p[i])
			return false;
	return p != NULL;
}

/* Decode the addresses of a table whose names are decoded. */
static struct ksyms_error *decode_addresses(const struct ks_ctx *ctx, struct ks_found *f, struct ksyms_table *t)
{
	const struct ks_kernel *k = ctx->kernel;
	struct ks_base base = initial_base(ctx);
	uint64_t table_va = 0, relbase = f->addrs.relbase;
	struct ksyms_error *err;

	if (f->addrs.abs32_too) {
		settle_abs32(ctx, f, t, &base);
		set_array_loc(&t->info, &f->addrs); /* its name follows the reading */
	}
	if (!ks_offset_to_va(k, &base, f->addrs.off, &table_va) && f->addrs.mode == KSYMS_ADDR_PC_RELATIVE) {
		base_for_pc_relative(ctx, f, t, &base);
		table_va = base.base + f->addrs.off;
	}
	if (f->addrs.has_relbase && relbase == 0 && (err = infer_relbase(ctx, f, t, table_va, &relbase, &base)))
		return err;
	if (f->addrs.mode == KSYMS_ADDR_ABSOLUTE && all_zero(ctx->data, f->addrs.off, f->addrs.size))
		return ks_error_at((int64_t)f->addrs.off,
				   "kallsyms_addresses at 0x%zx is all zero (filled in by boot-time relocation)",
				   f->addrs.off);
	ks_addrs_decode(ctx->data, f, table_va, relbase, t->addr);
	t->info.relative_base = relbase;
	if (!f->word_size) {
		uint64_t hi = t->count ? t->addr[t->count - 1] : 0;
		f->word_size = hi > 0xffffffffull ? 8 : 4;
		/* decoded before the word size was known: a 7.x offset
		 * below the data's start must wrap at 32 bits too */
		for (size_t i = 0; f->word_size == 4 && i < t->count; i++)
			t->addr[i] &= 0xffffffffull;
	}
	if (!base.known && !k->nsegs)
		base_for_raw(ctx, f, t, &base);
	if (!t->addr_src)
		t->addr_src = f->addrs.mode == KSYMS_ADDR_PC_RELATIVE ? KS_ADDR_SRC_BASE : KS_ADDR_SRC_TABLE;
	t->base_src = k->nsegs ? KS_BASE_SRC_ELF : base.known ? base.kind : KS_BASE_SRC_NONE;
	t->info.base_known = base.known || k->nsegs;
	t->info.base = base.base & (f->word_size == 4 ? 0xffffffffull : ~0ull);
	t->info.base_source = k->nsegs ? (k->segs_source ? k->segs_source : "ELF program headers") : base.source;
	return NULL;
}

/*
 * The load address of an ELF vmlinux: its lowest PT_LOAD, but not one at
 * virtual address 0 beside others: x86-64 before 6.15 links .data..percpu
 * as a segment at 0 (every 5.10-6.12 amd64 kernel reported a load address
 * of 0).  Not the segment of the entry point either: 7.x x86-64 enters in
 * a segment of its own, 0x2200000 above _text.
 */
static uint64_t elf_load_address(const struct ks_kernel *k)
{
	uint64_t lo = ~0ull, lo_nonzero = ~0ull;

	for (size_t i = 0; i < k->nsegs; i++) {
		lo = KS_MIN(lo, k->segs[i].vaddr);
		if (k->segs[i].vaddr)
			lo_nonzero = KS_MIN(lo_nonzero, k->segs[i].vaddr);
	}
	return lo_nonzero != ~0ull ? lo_nonzero : lo;
}

static void fill_table_addresses(const struct ks_ctx *ctx, struct ksyms_table *t, int word_size)
{
	struct ks_base base = { .known = t->info.base_known, .base = t->info.base };
	uint64_t mask = word_size == 4 ? 0xffffffffull : ~0ull;

	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		struct ksyms_table_loc *l = &t->info.tables[id];
		uint64_t va;
		if (l->present && ks_offset_to_va(ctx->kernel, &base, (size_t)l->offset, &va))
			l->address = va & mask;
	}
	if (ctx->kernel->nsegs)
		t->info.base = elf_load_address(ctx->kernel) & mask;
}

static void fill_arch(const struct ks_ctx *ctx, struct ksyms_table *t, int word_size)
{
	const struct ks_kernel *k = ctx->kernel;

	if (ctx->opts && ctx->opts->arch) {
		t->info.arch = ctx->opts->arch;
		t->info.arch_source = "given by the user";
	} else if (k->arch) {
		t->info.arch = k->arch;
		t->info.arch_source = k->arch_source;
	} else {
		t->info.arch = arch_from_names(t);
		if (t->info.arch) {
			t->info.arch_source = "symbol names";
			/* a 32/64-bit family named by its symbols */
			if (strcmp(t->info.arch, "x86_64") == 0 && word_size == 4)
				t->info.arch = "i386";
		}
	}
}

/* The banner where linux_banner says it is (a table with data symbols
 * and a known base): no search of the megabytes before it. */
static bool banner_by_symbol(const struct ks_ctx *ctx, const struct ksyms_table *t, size_t *ret_off, size_t *ret_len)
{
	struct ks_vamap m;
	size_t off;

	if (!t->info.base_known)
		return false;
	ks_vamap_init(&m, ctx->kernel, true, t->info.base, t->info.word_size ? t->info.word_size : 8);
	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);) {
		const char *n = t->pool + t->name[i];
		if (n[0] != 'l' || strcmp(n, "linux_banner") != 0)
			continue;
		if (!ks_vamap_to_off(&m, t->addr[i], &off) || !ks_kernel_banner_at(ctx->data, off, ret_len))
			return false;
		*ret_off = off;
		return true;
	}
	return false;
}

static struct ksyms_error *build(const struct ks_ctx *ctx, struct ks_found *f, struct ksyms_table **ret)
{
	struct ksyms_table *t;
	struct ksyms_error *err;

	/* A probe asks only whether a prefix of the kernel will do, and a
	 * relative_base of 0 says no before the names are expanded (6.1
	 * s390x: 8.1M instructions, half of all its name expansion).  At
	 * worst a false candidate ends the probe: the whole kernel is then
	 * decompressed, as it would have been anyway. */
	if (ctx->relbase_wanted && f->addrs.has_relbase && f->addrs.relbase == 0)
		return relbase_needs_kernel(ctx);
	t = ks_table_new();
	if (!t)
		return &ks_enomem;
	t->info.source = "kallsyms";
	t->info.source_kind = KSYMS_SOURCE_KALLSYMS;
	f->word_size = choose_word_size(ctx, f);
	err = ks_decode_names(ctx, f, t);
	if (!err) {
		fill_locations(&t->info, f);
		err = decode_addresses(ctx, f, t);
	}
	if (err) {
		ksyms_table_destroy(t);
		return err;
	}
	t->info.word_size = f->word_size;
	t->info.byte_order = f->tok.be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	t->info.num_syms = f->names.num_syms;
	fill_layout(&t->info, f);
	fill_table_addresses(ctx, t, f->word_size);
	fill_arch(ctx, t, f->word_size);
	size_t boff, blen;
	if ((banner_by_symbol(ctx, t, &boff, &blen) || ks_kernel_banner(ctx->data, &boff, &blen)) &&
	    !ks_table_set_banner(t, (const char *)ctx->data.p + boff, blen)) {
		ksyms_table_destroy(t);
		return &ks_enomem;
	}
	*ret = t;
	return NULL;
}

/* Follow each of the @n readings of the names in turn: the first whose
 * address table fits and that decodes.  True when the search for this
 * token table is over: a table in *ret, or NULL for want of memory. */
static bool try_names(struct ks_ctx *ctx, struct ks_found *f, struct attempt *att, const struct ks_names *names,
		      size_t n, struct ksyms_table **ret)
{
	for (size_t i = 0; i < n; i++) {
		f->names = names[i];
		memset(&f->addrs, 0, sizeof(f->addrs));
		if (!ks_addrs_find(ctx, f, &f->addrs)) {
			note(att, P_NAMES, f->names.off, f->names.num_syms, NULL);
			continue;
		}
		struct ksyms_error *err = build(ctx, f, ret);
		if (!err) {
			ks_info(&ctx->log, "kallsyms: %u symbols, names at 0x%zx", f->names.num_syms, f->names.off);
			return true;
		}
		ks_debug(&ctx->log, "candidate at 0x%zx rejected: %s", f->names.off, ksyms_error_message(err));
		if (err == &ks_enomem) {
			note(att, P_DECODE, f->names.off, f->names.num_syms, err);
			*ret = NULL;
			return true;
		}
		/* the reading of most symbols says best what is wrong */
		if (i > 0 && att->progress >= P_DECODE)
			ksyms_error_destroy(err);
		else
			note(att, P_DECODE, f->names.off, f->names.num_syms, err);
	}
	return false;
}

/* Follow one token-table candidate outwards; the table if it decodes. */
static struct ksyms_table *try_candidate(struct ks_ctx *ctx, struct ks_found *f, struct attempt *att)
{
	struct ks_names names[KS_MAX_NAMES_CANDIDATES];
	struct ksyms_table *t = NULL;

	ctx->be = f->tok.be;
	memset(&f->addrs, 0, sizeof(f->addrs));
	memset(&f->names, 0, sizeof(f->names));
	/* markers right before the token table; then (6.2, 6.3) with
	 * seqs_of_names between them, also when a reading of the first kind
	 * was only data in front of a small table */
	for (int pass = 0; pass < 2; pass++) {
		size_t n = ks_names_find(ctx, &f->tok, names, KS_MAX_NAMES_CANDIDATES, pass == 1);
		if (try_names(ctx, f, att, names, n, &t))
			return t;
	}
	note(att, P_TOKENS, f->tok.table_off, 0, NULL);
	return NULL;
}

/* A probe that met a relative_base to infer has its answer: stop looking. */
static bool probe_answered(const struct ks_ctx *ctx)
{
	return ctx->relbase_wanted && *ctx->relbase_wanted;
}

static struct ksyms_error *load(const struct ks_kernel *k, const struct ksyms_find_opts *opts, bool *relbase_wanted,
				struct ksyms_table **ret)
{
	struct ks_ctx ctx = {
		.data = k->data,
		.kernel = k,
		.opts = opts,
		.max_symbols = opts && opts->max_symbols ? opts->max_symbols : DEFAULT_MAX_SYMBOLS,
		/* no kernel stores a longer name: KSYM_NAME_LEN - 1 caps any limit */
		.max_name_len = opts && opts->max_name_len && opts->max_name_len < MAX_NAME_LEN ? opts->max_name_len
											    : MAX_NAME_LEN,
		.max_pool = k->max_output ? k->max_output : DEFAULT_MAX_POOL,
	};
	struct attempt att = { .progress = P_NONE };
	struct ksyms_table *best = NULL;
	struct ks_found f;
	uint64_t budget = WORK_FLOOR + (uint64_t)k->data.len * WORK_PER_BYTE;
	struct ks_search search = { .work_left = budget };

	ctx.search = &search;
	ctx.relbase_wanted = relbase_wanted;

	if (opts) {
		ctx.log.fn = opts->log;
		ctx.log.ctx = opts->log_ctx;
		ctx.log.level = opts->log_level ? opts->log_level : KSYMS_LOG_INFO;
	}
	/* A table that decodes completely is the one: every table, marker and
	 * address check has passed.  The fast path finds real kernels, from
	 * where a sample of the bytes suggests (hint.c) and then before it;
	 * the full scan finds what it misses (tables without digit tokens). */
	size_t hint = ks_hint_tables(&ctx), from = hint, pos = 0;
	while (!best && !probe_answered(&ctx) && ks_tokens_by_digits(&ctx, &from, SIZE_MAX, &f.tok))
		best = try_candidate(&ctx, &f, &att);
	/* then the bytes before the hint: every run is tried once */
	from = 0;
	while (!best && hint && !probe_answered(&ctx) && ks_tokens_by_digits(&ctx, &from, hint, &f.tok))
		best = try_candidate(&ctx, &f, &att);
	while (!best && !probe_answered(&ctx) && ks_tokens_next(&ctx, &pos, &f.tok))
		best = try_candidate(&ctx, &f, &att);
	ks_debug(&ctx.log, "kallsyms search: %llu of %llu steps of work used",
		 (unsigned long long)(budget - search.work_left), (unsigned long long)budget);
	if (!best)
		return failure(&att, &ctx, budget);
	ksyms_error_destroy(att.err);
	*ret = best;
	return NULL;
}

struct ksyms_error *ks_kallsyms_load(const struct ks_kernel *k, const struct ksyms_find_opts *opts,
				     struct ksyms_table **ret)
{
	return load(k, opts, NULL, ret);
}

struct ksyms_error *ks_kallsyms_probe(const struct ks_kernel *k, const struct ksyms_find_opts *opts,
				      struct ksyms_table **ret, bool *ret_relbase_wanted)
{
	*ret_relbase_wanted = false;
	return load(k, opts, ret_relbase_wanted, ret);
}
