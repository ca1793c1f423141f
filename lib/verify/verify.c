// SPDX-License-Identifier: MIT
/* Checks of decoded addresses against facts about the image (verify.h). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"
#include "core/buf.h"
#include "kernel/vmcoreinfo.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/overflow.h"
#include "core/search.h"
#include "core/span.h"
#include "table/exports.h"
#include "kernel/vamap.h"

enum {
	/* the pointer check reads this many blocks of this many bytes spread
	 * over the image: enough words to count on, few pages touched */
	PTR_BLOCKS = 256,
	PTR_BLOCK = 4096,
	PTR_MIN_HITS = 32,     /* fewer exact hits prove nothing */
	PTR_MIN_WORDS = 512,   /* in-range words needed before a miss counts */
	EXPORTS_MIN = 16,
};

struct vctx {
	const struct ks_kernel *k;
	struct ksyms_table *t;
	struct ks_vamap map;
	bool prefix;
	bool be;
	unsigned word;
	uint64_t mask;
	/* a check of an address against the base plus a data offset vouches
	 * for the absolute addresses (see verify.h) */
	bool base_independent;
	uint64_t *text; /* function symbols' addresses, ascending, unique */
	size_t ntext;
	/* bit k: a function symbol starts in text[0] + [k, k + 1) << coarse_shift
	 * (in the text array's allocation, after its room) */
	uint64_t *coarse;
	size_t coarse_bits;
	unsigned coarse_shift;
	/* the first symbol of each name the checks need, or -1: one pass
	 * over the names finds them all */
	long banner;
	long table_sym[KSYMS_TAB_COUNT];
};

static bool is_text(char c)
{
	return c == 't' || c == 'T' || c == 'w' || c == 'W';
}

static void add_check(struct vctx *v, const char *name, bool held, bool independent, const char *fmt, ...)
{
	struct ksyms_table *t = v->t;
	size_t i = t->info.num_checks;

	if (i >= KS_MAX_CHECKS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->check_detail[i], sizeof(t->check_detail[i]), fmt, ap);
	va_end(ap);
	t->checks[i] = (struct ksyms_check){ name, held, independent, t->check_detail[i] };
	t->info.num_checks = i + 1;
	t->info.checks = t->checks;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The function symbols' addresses, ascending and unique, in the table's
 * arena (scratch, given back by the caller), with room after them for the
 * coarse map (build_coarse: at most a quarter word per address, plus two,
 * and COARSE_WORDS).  Counted first, so that the room is no larger than
 * it must be: in the arena's chunk with the exports, on 6.12 arm64, it
 * needs no 2 MiB page of its own.  A kallsyms table is in address order
 * already (but for x86-64 per-cpu symbols in front, which are data): sort
 * only when it is not. */
enum { COARSE_WORDS = 1 << 15, COARSE_DENSITY = 16 };

static uint64_t *text_addresses(struct ksyms_table *t, struct ks_arena *scratch, size_t *ret_n,
				uint64_t **ret_coarse)
{
	size_t n = 0, words;
	bool sorted = true;

	for (size_t i = 0; i < t->count; i++)
		n += is_text(t->type[i]);
	size_t coarse = n / 4 + 2 < COARSE_WORDS ? n / 4 + 2 : COARSE_WORDS;
	uint64_t *a = ckd_add_size(&words, n, coarse) || words > SIZE_MAX / sizeof(*a)
			      ? NULL
			      : ks_arena_alloc(scratch, words * sizeof(*a));
	if (!a)
		return NULL;
	*ret_coarse = a + n;
	n = 0;
	for (size_t i = 0; i < t->count; i++) {
		if (!is_text(t->type[i]))
			continue;
		if (n && t->addr[i] <= a[n - 1]) {
			if (t->addr[i] == a[n - 1])
				continue; /* an alias */
			sorted = false;
		}
		a[n++] = t->addr[i];
	}
	if (!sorted) {
		qsort(a, n, sizeof(*a), cmp_u64);
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (!m || a[i] != a[m - 1])
				a[m++] = a[i];
		n = m;
	}
	*ret_n = n;
	return a;
}

/*
 * The coarse map lets most words skip the search: check_pointers() tests
 * 57k words (6.12 arm64), nine in ten of which start no function, and the
 * binary searches through the 0.5-0.6 MB of text addresses were 1.2 of
 * the 2.2 ms it took on 7.2 arm64.  About COARSE_DENSITY bits per text
 * symbol, at most COARSE_WORDS words: in the text array's allocation
 * (a fresh page of memory costs more than the bits are worth here).
 */
static void build_coarse(struct vctx *v)
{
	uint64_t range = v->text[v->ntext - 1] - v->text[0];
	unsigned shift = 2;

	while ((range >> shift) / COARSE_DENSITY >= v->ntext || (range >> shift) >= (uint64_t)COARSE_WORDS * 64)
		shift++;
	v->coarse_shift = shift;
	v->coarse_bits = (size_t)(range >> shift) + 1;
	memset(v->coarse, 0, (v->coarse_bits + 63) / 64 * sizeof(*v->coarse));
	for (size_t i = 0; i < v->ntext; i++) {
		size_t bit = (size_t)((v->text[i] - v->text[0]) >> shift);
		v->coarse[bit / 64] |= 1ull << (bit % 64);
	}
}

/* Whether @x is a function symbol's address. */
static bool is_text_address(const struct vctx *v, uint64_t x)
{
	if (x < v->text[0] || x > v->text[v->ntext - 1])
		return false;
	size_t bit = (size_t)((x - v->text[0]) >> v->coarse_shift);
	if (!(v->coarse[bit / 64] >> (bit % 64) & 1))
		return false;
	size_t pos = ks_lower_bound_u64(v->text, NULL, v->ntext, x);
	return pos < v->ntext && v->text[pos] == x;
}

/* Find linux_banner and the kallsyms_* table symbols in one pass. */
static void find_names(struct vctx *v)
{
	const struct ksyms_table *t = v->t;

	v->banner = -1;
	for (int id = 0; id < KSYMS_TAB_COUNT; id++)
		v->table_sym[id] = -1;
	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);) {
		const char *n = t->pool + t->name[i];
		if (n[0] == 'l' && v->banner < 0 && strcmp(n, "linux_banner") == 0) {
			v->banner = (long)i;
		} else if (n[0] == 'k' && strncmp(n, "kallsyms_", 9) == 0) {
			for (int id = 0; id < KSYMS_TAB_COUNT; id++)
				if (v->table_sym[id] < 0 && strcmp(n, ksyms_table_id_name(id)) == 0)
					v->table_sym[id] = (long)i;
		}
	}
}

/* Whether a symbol starts at @va: a function's, found in the text
 * addresses, else any symbol's (a pass over 210k addresses on 7.2 arm64,
 * for an entry point that is a function's nearly always). */
static bool symbol_at(const struct vctx *v, uint64_t va)
{
	const struct ksyms_table *t = v->t;
	size_t pos = ks_lower_bound_u64(v->text, NULL, v->ntext, va);

	if (pos < v->ntext && v->text[pos] == va)
		return true;
	for (size_t i = 0; i < t->count; i++)
		if (t->addr[i] == va)
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */

/* The header's entry point: a symbol starts there. */
static void check_entry(struct vctx *v)
{
	const struct ks_kernel *k = v->k;
	uint64_t va;
	bool independent = v->base_independent;

	if (k->has_entry_va) {
		va = k->entry_va & v->mask;
		independent = true; /* the header states an address */
	} else if (!k->has_entry_off || !ks_vamap_to_va(&v->map, k->entry_off, &va)) {
		return;
	}
	if (!v->ntext)
		return;
	if (symbol_at(v, va)) {
		add_check(v, "entry", true, independent, "a symbol starts at the entry point 0x%llx (%s)",
			  (unsigned long long)va, k->entry_source);
	} else if (va < v->text[0] || va > v->text[v->ntext - 1]) {
		add_check(v, "entry", false, independent,
			  "the entry point 0x%llx (%s) is outside the text symbols (0x%llx-0x%llx)",
			  (unsigned long long)va, k->entry_source, (unsigned long long)v->text[0],
			  (unsigned long long)v->text[v->ntext - 1]);
	}
}

/* linux_banner holds "Linux version ..." (init/version.c). */
static void check_banner(struct vctx *v)
{
	static const char tag[] = "Linux version ";
	long i = v->banner;
	size_t off;

	if (i < 0)
		return;
	uint64_t va = v->t->addr[i];
	if (!ks_vamap_to_off(&v->map, va, &off)) {
		if (!v->prefix)
			add_check(v, "banner", false, v->base_independent,
				  "linux_banner at 0x%llx is outside the kernel's bytes", (unsigned long long)va);
		return;
	}
	bool held = span_eq(v->k->data, off, tag, sizeof(tag) - 1);
	add_check(v, "banner", held, v->base_independent, "linux_banner at 0x%llx (offset 0x%zx) %s",
		  (unsigned long long)va, off, held ? "holds the \"Linux version\" banner" : "does not hold the banner");
}

/* The kernel's own kallsyms_* symbols (CONFIG_KALLSYMS_ALL, 6.4+) are where
 * the tables were found. */
static void check_tables(struct vctx *v)
{
	const struct ksyms_info *info = &v->t->info;
	size_t agree = 0, seen = 0;
	const char *bad = NULL;

	if (!info->base_known)
		return;
	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		if (!info->tables[id].present)
			continue;
		long i = v->table_sym[id];
		if (i < 0)
			continue;
		seen++;
		if (v->t->addr[i] == info->tables[id].address)
			agree++;
		else if (!bad)
			bad = ksyms_table_id_name(id);
	}
	if (!seen)
		return;
	/* a base taken from these very symbols agrees with them by design */
	bool independent = v->base_independent && v->t->base_src != KS_BASE_SRC_SYMBOLS;
	if (bad)
		add_check(v, "tables", false, independent, "the symbol %s is not where that table was found", bad);
	else
		add_check(v, "tables", true, independent, "%zu kallsyms_* symbols are where their tables were found",
			  agree);
}

/*
 * Function pointers in the kernel's data (ops tables, initcalls) hold
 * link-time addresses, so many words of the image equal the address of a
 * function symbol exactly.  With addresses off by any amount, a word in
 * the text's range hits a symbol start only by chance.  Chance depends on
 * how densely and how regularly the symbols sit (x86 aligns functions to
 * 16 bytes, so a base off by a page keeps many hits), so it is measured:
 * the same words against the addresses moved by a page, 64 KiB and 2 MiB
 * either way, the amounts a wrong base is off by.  Measured on the
 * corpus: 9-97% of the in-range words hit with the right addresses,
 * 0.6-1.2% with the addresses moved.
 */
static const int64_t null_shifts[] = { 0x1000, -0x1000, 0x10000, -0x10000, 0x200000, -0x200000 };

static void check_pointers(struct vctx *v)
{
	struct span d = v->k->data;
	size_t nblocks = d.len / PTR_BLOCK, in_range = 0, hits = 0;
	size_t moved[KS_ARRAY_SIZE(null_shifts)] = { 0 };
	/* Addresses fitted to pointers (a relative_base or a 7.x base voted
	 * for by them) agree with the pointers by construction as far as the
	 * fit goes; but a wrong constant wins few of them: on 6.1 s390x the
	 * best wrong ones got 2870 and 3020 votes to the right one's 51880,
	 * about twice chance against thirty times.  Ten times chance still
	 * vouches for a fit. */
	bool fitted = v->t->addr_src == KS_ADDR_SRC_VOTES ||
		      (v->t->addr_src == KS_ADDR_SRC_BASE && v->t->base_src == KS_BASE_SRC_VOTES);

	if (v->ntext < 64)
		return;
	uint64_t lo = v->text[0], hi = v->text[v->ntext - 1];
	build_coarse(v);
	size_t step = nblocks > PTR_BLOCKS ? nblocks / PTR_BLOCKS : 1;
	for (size_t b = 0; b * PTR_BLOCK < d.len && b / step < PTR_BLOCKS; b += step) {
		size_t end = KS_MIN(d.len, (b + 1) * PTR_BLOCK);
		for (size_t off = b * PTR_BLOCK; off + v->word <= end; off += v->word) {
			uint64_t w = load_word(d.p + off, v->word, v->be);
			if (w < lo || w > hi)
				continue;
			in_range++;
			hits += is_text_address(v, w);
			for (size_t s = 0; s < KS_ARRAY_SIZE(null_shifts); s++)
				moved[s] += is_text_address(v, (w + (uint64_t)null_shifts[s]) & v->mask);
		}
	}
	/* chance: the best of the moved addresses, or at least the share of
	 * 4-byte positions in the range that are symbol starts */
	double n = (double)in_range, chance = (double)v->ntext / ((double)(hi - lo) / 4 + 1);
	for (size_t s = 0; in_range && s < KS_ARRAY_SIZE(null_shifts); s++)
		chance = KS_MAX(chance, (double)moved[s] / n);
	double share = in_range ? (double)hits / n : 0;
	/* how many standard deviations above chance: dense text (x86 7.x,
	 * a __pfx_ symbol before every function) makes chance high, 7.8% on
	 * 7.2 amd64 against 14.8%, yet 548 hits where chance gives 289 is 16
	 * deviations; a fit is judged by the ratio, which its choice inflates
	 * less than the deviations */
	double excess = (share - chance) * n, var = n * chance * (1 - chance) + 1;
	bool ten_sd = excess > 0 && excess * excess >= 100 * var;
	bool held = hits >= PTR_MIN_HITS && (fitted ? share >= 10 * chance : ten_sd && share >= 1.5 * chance);
	if (held)
		add_check(v, "pointers", true, true,
			  "%zu of %zu words in the text's range are function symbols' addresses (%.1f%%; %.2f%% "
			  "with the addresses moved)", hits, in_range, 100 * share, 100 * chance);
	else if (in_range >= PTR_MIN_WORDS && share <= chance && !fitted)
		add_check(v, "pointers", false, true,
			  "only %zu of %zu words in the text's range are function symbols' addresses (%.2f%%: no "
			  "more than with the addresses moved, %.2f%%)", hits, in_range, 100 * share, 100 * chance);
}

/* __ksymtab entries point at the symbols they name. */
static void check_exports(struct vctx *v)
{
	const struct ks_exports *x = v->t->exports;

	if (!x || !x->info.known || x->count < EXPORTS_MIN)
		return;
	/* place-relative values are the base plus offsets, stored pointers are not */
	bool independent = x->prel32 ? v->base_independent : v->t->addr_src != KS_ADDR_SRC_VOTES;
	size_t m = x->matched_by_address, n = x->count;
	if (m >= EXPORTS_MIN && m * 2 >= n)
		add_check(v, "exports", true, independent, "%zu of %zu __ksymtab entries point at the symbol they name",
			  m, n);
	else if (m * 10 < n)
		add_check(v, "exports", false, independent,
			  "only %zu of %zu __ksymtab entries point at the symbol they name", m, n);
}

/*
 * A memory dump's VMCOREINFO: the running kernel wrote the addresses of a
 * few of its own symbols (SYMBOL(init_uts_ns), swapper_pg_dir, _stext,
 * prb, ...; kernel/vmcore_info.c) at boot, KASLR applied.  The decoded
 * table must put every one of them that it holds at that address.
 */
enum { VMCI_MAX = 64 };

struct vmci_syms {
	struct {
		char name[64];
		uint64_t value;
		bool seen, agreed;
	} s[VMCI_MAX];
	size_t n;
};

static void collect_vmci_symbol(void *ctx, const char *name, size_t len, uint64_t value)
{
	struct vmci_syms *vs = ctx;

	if (vs->n >= VMCI_MAX || len == 0 || len >= sizeof(vs->s[0].name))
		return;
	/* VMCOREINFO_SYMBOL_ARRAY() writes the symbol's value: an array's
	 * address, but mem_section (SPARSEMEM_EXTREME) and vmemmap are
	 * pointers, and their lines hold what they point at */
	if ((len == 11 && memcmp(name, "mem_section", 11) == 0) || (len == 7 && memcmp(name, "vmemmap", 7) == 0))
		return;
	memcpy(vs->s[vs->n].name, name, len);
	vs->s[vs->n].name[len] = 0;
	vs->s[vs->n].value = value;
	vs->s[vs->n].seen = vs->s[vs->n].agreed = false;
	vs->n++;
}

static void check_vmcoreinfo(struct vctx *v)
{
	const struct ks_dump_facts *d = v->k->dump;
	struct vmci_syms vs = { .n = 0 };
	const struct ksyms_table *t = v->t;

	if (!d || !d->vmcoreinfo || v->prefix)
		return;
	ks_vmci_each_symbol(d->vmcoreinfo, collect_vmci_symbol, &vs);
	if (!vs.n)
		return;
	/* one pass over the names; a name kallsyms holds twice (a static
	 * and a global) agrees if either is at the address */
	for (size_t i = 0; i < t->count; i++) {
		char buf[KS_NAME_BUF];
		const char *n = ks_table_name_or_copy(t, i, buf);
		for (size_t j = 0; j < vs.n; j++) {
			if (n[0] != vs.s[j].name[0] || strcmp(n, vs.s[j].name) != 0)
				continue;
			vs.s[j].seen = true;
			vs.s[j].agreed |= (t->addr[i] & v->mask) == (vs.s[j].value & v->mask);
		}
	}
	size_t seen = 0, agreed = 0;
	const char *bad = NULL;
	uint64_t bad_value = 0;
	for (size_t j = 0; j < vs.n; j++) {
		seen += vs.s[j].seen;
		agreed += vs.s[j].agreed;
		if (vs.s[j].seen && !vs.s[j].agreed && !bad) {
			bad = vs.s[j].name;
			bad_value = vs.s[j].value;
		}
	}
	if (!seen)
		return;
	if (bad)
		add_check(v, "vmcoreinfo", false, true,
			  "VMCOREINFO says %s is at 0x%llx, the table does not (%zu of %zu of its symbols agree)", bad,
			  (unsigned long long)bad_value, agreed, seen);
	else
		add_check(v, "vmcoreinfo", true, true,
			  "%zu of %zu VMCOREINFO SYMBOL() addresses are where the table puts those symbols", agreed, seen);
}

/* The text symbols lie inside the kernel's bytes. */
static void check_text_range(struct vctx *v)
{
	size_t text = 0, inside = 0, off;

	if (v->prefix || !ks_vamap_usable(&v->map))
		return;
	for (size_t i = 0; i < v->t->count; i++) {
		if (v->t->type[i] != 't' && v->t->type[i] != 'T')
			continue;
		text++;
		inside += ks_vamap_to_off(&v->map, v->t->addr[i], &off);
	}
	if (text < 16)
		return;
	/* a base off by a page moves few symbols out: this catches gross
	 * errors only, and vouches for nothing on its own */
	if (inside * 100 >= text * 95)
		add_check(v, "text-range", true, false, "%zu of %zu text symbols lie inside the kernel's bytes", inside,
			  text);
	else if (inside * 2 < text)
		add_check(v, "text-range", false, false, "only %zu of %zu text symbols lie inside the kernel's bytes",
			  inside, text);
}

/* ------------------------------------------------------------------------ */

static void verdict(struct ksyms_table *t)
{
	const struct ksyms_check *failed = NULL, *held = NULL;

	for (size_t i = 0; i < t->info.num_checks; i++) {
		const struct ksyms_check *c = &t->info.checks[i];
		if (!c->held && !failed)
			failed = c;
		if (c->held && c->independent && !held)
			held = c;
	}
	t->info.addresses_verified = held && !failed;
	if (failed) {
		snprintf(t->verify_note, sizeof(t->verify_note), "the %s check failed: %s", failed->name,
			 failed->detail);
	} else if (!held) {
		const char *why = "nothing in the image could be checked against them";
		if (!t->info.base_known)
			why = "the load address is unknown, and nothing in the image could confirm the addresses";
		else if (t->info.num_checks)
			why = "no check that held vouches for them on its own (each rests on the same inference as "
			      "the addresses, or catches only gross errors)";
		snprintf(t->verify_note, sizeof(t->verify_note), "%s", why);
	}
	t->info.verify_note = t->info.addresses_verified ? NULL : t->verify_note;
}

static void vctx_init(struct vctx *v, const struct ks_kernel *k, struct ksyms_table *t, bool prefix)
{
	const struct ksyms_info *i = &t->info;

	*v = (struct vctx){
		.k = k,
		.t = t,
		.prefix = prefix,
		.be = i->byte_order == KSYMS_ENDIAN_BIG,
		.word = i->word_size == 4 ? 4 : 8,
		.mask = i->word_size == 4 ? 0xffffffffull : ~0ull,
		/* the ELF's program headers state the base; otherwise it must
		 * not be derived from the addresses, nor they from it */
		.base_independent = t->base_src == KS_BASE_SRC_ELF ||
				    (t->addr_src != KS_ADDR_SRC_BASE && t->base_src != KS_BASE_SRC_SYMBOLS),
	};
	ks_vamap_init(&v->map, k, i->base_known, i->base, i->word_size);
}

struct ksyms_error *ks_verify_symbols(const struct ks_kernel *k, struct ksyms_table *t, bool prefix,
				      struct ks_arena *scratch)
{
	struct vctx v;

	vctx_init(&v, k, t, prefix);
	t->info.num_checks = 0;
	t->info.checks = t->checks;
	struct ks_arena_mark m = ks_arena_mark(scratch);
	v.text = text_addresses(t, scratch, &v.ntext, &v.coarse);
	if (!v.text) {
		ks_arena_release(scratch, m);
		return &ks_enomem;
	}
	find_names(&v);
	check_entry(&v);
	check_banner(&v);
	check_tables(&v);
	check_pointers(&v);
	ks_arena_release(scratch, m);
	return NULL;
}

void ks_verify_rest(const struct ks_kernel *k, struct ksyms_table *t, bool prefix)
{
	struct vctx v;

	vctx_init(&v, k, t, prefix);
	check_exports(&v);
	check_vmcoreinfo(&v);
	check_text_range(&v);
	verdict(t);
}

struct ksyms_error *ks_verify_table(const struct ks_kernel *k, struct ksyms_table *t, bool prefix)
{
	struct ksyms_error *err = ks_verify_symbols(k, t, prefix, &t->arena);

	if (!err)
		ks_verify_rest(k, t, prefix);
	return err;
}
