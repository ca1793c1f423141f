// SPDX-License-Identifier: MIT
/*
 * The kernel's export table, what find_symbol() (kernel/module/main.c;
 * kernel/module.c before 5.17) searches when a module is loaded, read from
 * the image.
 *
 * Entry layouts, all in the kernel's byte order:
 *  - struct kernel_symbol { unsigned long value; const char *name; }:
 *    absolute pointers, in every kernel before 4.19 and later on
 *    architectures without CONFIG_HAVE_ARCH_PREL32_RELOCATIONS (32-bit
 *    arm, mips, powerpc, s390, riscv in the corpus);
 *  - 4.19, 7290d5809571 ("module: use relative references for __ksymtab
 *    entries"): { int value_offset; int name_offset; }, each field holding
 *    target - &field (x86, arm64);
 *  - 5.4, 8651ec01daed ("module: add support for symbol namespaces"): a
 *    third field for the namespace string, in both layouts.  "None" was a
 *    NULL pointer or a 0 offset (which points at the zero field itself, so
 *    it reads as ""); since 5.8 both point at an empty string in
 *    __ksymtab_strings.  6.5 moved the entries into modpost-generated
 *    vmlinux.export.c (include/linux/export-internal.h): same bytes;
 *  - 7.x: one __ksymtab for every licence, plus __kflagstab with one byte
 *    per entry whose bit 0 is KSYM_FLAG_GPL_ONLY
 *    (include/linux/module_symbol.h; checked on the 7.2 corpus kernels,
 *    where it agrees with the 6.12 sections for 11,025 of 11,026 names).
 * Before 7.x the licence is the section: __ksymtab, __ksymtab_gpl and, up
 * to 5.12, __ksymtab_unused, __ksymtab_unused_gpl, __ksymtab_gpl_future.
 *
 * The layout is not guessed from a version: every candidate is decoded
 * and the one whose entries all name valid strings, and most often name
 * the table's symbol at their value, wins.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exports.h"
#include "core/error.h"
#include "core/overflow.h"
#include "core/sort.h"
#include "kernel/elf.h"

static const char *const sec_names[KS_SEC_COUNT] = {
	"__ksymtab",        "__ksymtab_gpl",        "__ksymtab_unused",
	"__ksymtab_unused_gpl", "__ksymtab_gpl_future", "__kflagstab",
};

static const enum ksyms_export_kind sec_kind[KS_SEC_COUNT] = {
	KSYMS_EXPORT_PLAIN,      KSYMS_EXPORT_GPL,        KSYMS_EXPORT_UNUSED,
	KSYMS_EXPORT_UNUSED_GPL, KSYMS_EXPORT_GPL_FUTURE, KSYMS_EXPORT_NONE,
};

struct addr_idx {
	uint64_t addr;
	uint32_t index;
};

static int cmp_addr_idx(const void *a, const void *b)
{
	const struct addr_idx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* Tables decoded from kallsyms are sorted by address already; an ELF
 * .symtab is not. */
static bool address_order(struct ks_ksym_ctx *c, uint32_t **ret)
{
	const struct ksyms_table *t = c->t;
	size_t i;

	*ret = NULL;
	c->norder = t->count;
	for (i = 1; i < t->count && t->addr[i - 1] <= t->addr[i]; i++)
		;
	if (i >= t->count)
		return true;
	struct addr_idx *k = malloc(t->count * sizeof(*k));
	uint32_t *order = malloc(t->count * sizeof(*order));
	if (!k || !order) {
		free(k);
		free(order);
		return false;
	}
	for (i = 0; i < t->count; i++)
		k[i] = (struct addr_idx){ t->addr[i], (uint32_t)i };
	qsort(k, t->count, sizeof(*k), cmp_addr_idx);
	for (i = 0; i < t->count; i++)
		order[i] = k[i].index;
	free(k);
	c->order = order;
	*ret = order;
	return true;
}

/* ------------------------------------------------------------------------ */
/* the table's address order, and finding the sections */

static bool set_range(struct ks_ksym_ctx *c, enum ks_ksec s, uint64_t start, uint64_t stop)
{
	size_t off;

	if (stop < start || stop - start > SIZE_MAX || !ks_vamap_to_off(&c->map, start, &off) ||
	    !span_has(c->data, off, (size_t)(stop - start)))
		return false;
	c->sec[s] = (struct ks_range){ .present = true, .off = off, .len = (size_t)(stop - start) };
	return true;
}

/* With CONFIG_KALLSYMS_ALL, and since 6.4 always (scripts/kallsyms keeps
 * __start_* and __stop_*), the linker script's bounds are in the table. */
static bool sections_from_symbols(struct ks_ksym_ctx *c)
{
	const struct ksyms_table *t = c->t;
	uint64_t start[KS_SEC_COUNT], stop[KS_SEC_COUNT];
	bool has_start[KS_SEC_COUNT] = { 0 }, has_stop[KS_SEC_COUNT] = { 0 };

	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);) {
		const char *n = t->pool + t->name[i];
		if (n[0] != '_' || n[1] != '_' || n[2] != 's' || n[3] != 't')
			continue; /* the cheap test first: without the landmark list this loop sees every symbol */
		bool is_start = strncmp(n, "__start_", 8) == 0;
		if ((!is_start && strncmp(n, "__stop_", 7) != 0) || t->module[i] != KS_NO_MODULE)
			continue;
		n += is_start ? 8 : 7;
		for (int s = 0; s < KS_SEC_COUNT; s++) {
			if (strcmp(n, sec_names[s]) != 0)
				continue;
			bool *has = is_start ? has_start : has_stop;
			if (!has[s]) {
				(is_start ? start : stop)[s] = t->addr[i];
				has[s] = true;
			}
		}
	}
	bool any = false;
	for (int s = 0; s < KS_SEC_COUNT; s++)
		if (has_start[s] && has_stop[s] && stop[s] > start[s])
			any |= set_range(c, s, start[s], stop[s]);
	return any;
}

/* Every vmlinux.lds.h output section of that name: an ELF keeps them. */
static bool sections_from_elf(struct ks_ksym_ctx *c)
{
	struct ks_elf e;
	struct ksyms_error *err;
	bool any = false;

	if (!ks_elf_is_elf(c->data))
		return false;
	err = ks_elf_parse(c->data, &e);
	if (err) {
		ksyms_error_destroy(err);
		return false;
	}
	for (int s = 0; s < KS_SEC_COUNT; s++) {
		struct ks_elf_shdr sh;
		if (!ks_elf_section_by_name(&e, sec_names[s], &sh) || sh.type == KS_SHT_NOBITS || !sh.size ||
		    sh.offset > SIZE_MAX || sh.size > SIZE_MAX || !span_has(c->data, (size_t)sh.offset, (size_t)sh.size))
			continue;
		c->sec[s] = (struct ks_range){ .present = true, .off = (size_t)sh.offset, .len = (size_t)sh.size };
		any = true;
	}
	return any;
}

/* ------------------------------------------------------------------------ */
/* choosing the layout */

static size_t stride(const struct ks_ksym_layout *l)
{
	return (size_t)l->field * l->nfields;
}

/* How many of the first SAMPLE entries of each section layout @l matches
 * to the table; -1 if one of them does not decode or a section is not a
 * whole number of entries.  decode_all() checks the rest. */
static long score_layout(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l)
{
	enum { SAMPLE = 64 };
	long matches = 0;

	for (int s = 0; s < KS_SEC_FLAGS; s++) {
		const struct ks_range *r = &c->sec[s];
		if (!r->present)
			continue;
		if (r->len % stride(l))
			return -1;
		for (size_t i = 0; i < r->len / stride(l) && i < SAMPLE; i++) {
			struct ks_raw_export e;
			if (!ks_ksym_read(c, l, r->off + i * stride(l), &e))
				return -1;
			matches += ks_ksym_match(c, e.value, e.name, e.name_len) != SIZE_MAX;
		}
	}
	return matches;
}

static bool choose_layout(const struct ks_ksym_ctx *c, struct ks_ksym_layout *ret)
{
	const struct ks_ksym_layout cands[] = {
		{ true, 4, 3 }, { true, 4, 2 }, { false, c->word, 3 }, { false, c->word, 2 },
	};
	long best = 0;

	for (size_t i = 0; i < KS_ARRAY_SIZE(cands); i++) {
		long m = score_layout(c, &cands[i]);
		if (m > best) {
			best = m;
			*ret = cands[i];
		}
	}
	return best > 0;
}

static void describe_layout(const struct ks_ksym_layout *l, bool flags, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s (%zu-byte entries)%s", l->prel32 ? "place-relative" : "absolute",
		 l->nfields == 3 ? "value/name/namespace" : "value/name", stride(l),
		 flags ? " + __kflagstab" : "");
}

/* ------------------------------------------------------------------------ */
/* decoding */

static void set_loc(const struct ks_ksym_ctx *c, enum ks_ksec s, struct ksyms_table_loc *loc)
{
	const struct ks_range *r = &c->sec[s];
	uint64_t va;

	if (!r->present)
		return;
	loc->present = true;
	loc->offset = r->off;
	loc->size = r->len;
	if (ks_vamap_to_va(&c->map, r->off, &va))
		loc->address = va;
}

/* 7.x: the licence of __ksymtab entry @i is in __kflagstab. */
static enum ksyms_export_kind flag_kind(const struct ks_ksym_ctx *c, size_t i)
{
	const uint8_t *f = span_at(c->data, c->sec[KS_SEC_FLAGS].off + i, 1);

	return f && (*f & 1) ? KSYMS_EXPORT_GPL : KSYMS_EXPORT_PLAIN; /* KSYM_FLAG_GPL_ONLY */
}

/* An entry whose value word is 0 in the image (relocated at boot: RELA
 * kernels such as 6.1 s390x keep the value in the relocation, not in
 * place) still names its symbol: match it by name when the table has
 * exactly one symbol of that name.  One pass over the table for all of
 * them, a binary search per symbol. */
struct zname {
	const char *name;
	size_t ent, hits, index;
};

static int cmp_zname(const void *a, const void *b)
{
	return strcmp(((const struct zname *)a)->name, ((const struct zname *)b)->name);
}

static bool match_zero_values(const struct ksyms_table *t, struct ks_exports *x)
{
	size_t z = 0;

	for (size_t i = 0; i < x->count; i++)
		z += x->ent[i].index == UINT32_MAX && x->ent[i].addr == 0;
	if (!z)
		return true;
	struct zname *v = malloc(z * sizeof(*v));
	if (!v)
		return false;
	z = 0;
	for (size_t i = 0; i < x->count; i++)
		if (x->ent[i].index == UINT32_MAX && x->ent[i].addr == 0)
			v[z++] = (struct zname){ .name = x->pool + x->ent[i].name, .ent = i };
	qsort(v, z, sizeof(*v), cmp_zname);
	for (size_t i = 0; i < t->count; i++) {
		char buf[KS_NAME_BUF];
		struct zname key = { .name = ks_table_name_or_copy(t, i, buf) };
		struct zname *hit = bsearch(&key, v, z, sizeof(*v), cmp_zname);
		if (hit) {
			hit->hits++;
			hit->index = i;
		}
	}
	for (size_t k = 0; k < z; k++) {
		if (v[k].hits != 1 || v[k].index >= UINT32_MAX)
			continue;
		x->ent[v[k].ent].index = (uint32_t)v[k].index;
		x->ent[v[k].ent].addr = t->addr[v[k].index];
	}
	free(v);
	return true;
}

/*
 * Match every entry to its table symbol (ks_ksym_match), in the order of
 * their addresses: the searches then read the table's address column and
 * names front to back.  In the ksymtab's own order (by name) each search
 * read them at random, and waited on memory for ~6% of `ksyms info` on
 * 6.12 arm64 (11,880 entries, a 1.2 MB column).
 */
static bool match_entries(const struct ks_ksym_ctx *c, struct ks_exports *x)
{
	struct ks_arena_mark scratch = ks_arena_mark(x->arena);
	size_t n = x->count, bytes;
	uint32_t *p = ckd_mul_size(&bytes, n ? n : 1, sizeof(*p)) ? NULL : ks_arena_alloc(x->arena, bytes);
	uint32_t *tmp = p ? ks_arena_alloc(x->arena, bytes) : NULL;

	if (!tmp) {
		ks_arena_release(x->arena, scratch);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = (uint32_t)i;
	ks_radix_sort_records(x->ent, sizeof(*x->ent), offsetof(struct ks_export_ent, addr), sizeof(x->ent->addr), p,
			      tmp, n);
	/* the pool is in ksymtab (name) order: ask for the name AHEAD entries
	 * on.  A second cursor that also asked for that entry's symbol name
	 * made matching slower (7.2 arm64: 1.06 -> 1.33 ms). */
	enum { AHEAD = 4 };
	size_t cursor = 0;
	for (size_t k = 0; k < n; k++) {
		struct ks_export_ent *e = &x->ent[p[k]];
		const char *name = x->pool + e->name;
		if (k + AHEAD < n) {
			const struct ks_export_ent *f = &x->ent[p[k + AHEAD]];
			__builtin_prefetch(x->pool + f->name);
		}
		size_t index = ks_ksym_match_next(c, &cursor, e->addr, name, e->name_len);
		x->matched_by_address += index != SIZE_MAX;
		e->index = index >= UINT32_MAX ? UINT32_MAX : (uint32_t)index;
	}
	ks_arena_release(x->arena, scratch);
	return true;
}

static struct ksyms_error *decode_all(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l,
				      struct ks_exports *x)
{
	bool flags = c->sec[KS_SEC_FLAGS].present;
	size_t total = 0;

	for (int s = 0; s < KS_SEC_FLAGS; s++)
		total += c->sec[s].present ? c->sec[s].len / stride(l) : 0;
	if (!ks_exports_reserve(x, total))
		return &ks_enomem;
	for (int s = 0; s < KS_SEC_FLAGS; s++) {
		const struct ks_range *r = &c->sec[s];
		for (size_t i = 0; r->present && i < r->len / stride(l); i++) {
			struct ks_raw_export e;
			if (!ks_ksym_read(c, l, r->off + i * stride(l), &e)) {
				x->info.known = false;
				x->info.unknown_reason = "a __ksymtab entry does not decode";
				x->count = 0;
				return NULL;
			}
			enum ksyms_export_kind kind = s == KS_SEC_KSYMTAB && flags ? flag_kind(c, i) : sec_kind[s];
			if (!ks_exports_add(x, &e, kind, SIZE_MAX))
				return &ks_enomem;
		}
	}
	if (!match_entries(c, x))
		return &ks_enomem;
	describe_layout(l, flags, x->layout, sizeof(x->layout));
	x->info.layout = x->layout;
	x->prel32 = l->prel32;
	x->info.found_by = c->found_by;
	set_loc(c, KS_SEC_KSYMTAB, &x->info.ksymtab);
	set_loc(c, KS_SEC_GPL, &x->info.ksymtab_gpl);
	set_loc(c, KS_SEC_FLAGS, &x->info.kflagstab);
	return match_zero_values(c->t, x) && ks_exports_finish(x) ? NULL : &ks_enomem;
}

/* A __kflagstab must have exactly one byte per __ksymtab entry. */
static bool flags_fit(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l)
{
	const struct ks_range *f = &c->sec[KS_SEC_FLAGS], *k = &c->sec[KS_SEC_KSYMTAB];

	return !f->present || (k->present && f->len == k->len / stride(l));
}

static struct ksyms_error *read_sections(struct ks_ksym_ctx *c, struct ks_exports *x)
{
	struct ks_ksym_layout l;

	if (!choose_layout(c, &l)) {
		x->info.unknown_reason = "no layout of the ksymtab entries names the table's symbols";
		return NULL;
	}
	if (!flags_fit(c, &l)) {
		x->info.unknown_reason = "__kflagstab does not have one byte per __ksymtab entry";
		return NULL;
	}
	x->info.known = true; /* unless decode_all() finds a bad entry */
	return decode_all(c, &l, x);
}

static void ctx_init(struct ks_ksym_ctx *c, const struct ks_kernel *k, const struct ksyms_table *t)
{
	const struct ksyms_info *i = &t->info;
	int word = i->word_size ? i->word_size : k->word_size ? k->word_size : 8;
	bool be = i->byte_order ? i->byte_order == KSYMS_ENDIAN_BIG : k->byte_order == KSYMS_ENDIAN_BIG;

	memset(c, 0, sizeof(*c));
	c->data = k->data;
	c->be = be;
	c->word = (unsigned)word;
	c->t = t;
	ks_vamap_init(&c->map, k, i->base_known, i->base, word);
}

/* Look for the sections: the ELF's headers, the table's __start_ and
 * __stop_ symbols, or the kernel data itself. */
static bool find_sections(struct ks_ksym_ctx *c)
{
	if (sections_from_elf(c)) {
		c->found_by = "ELF section headers";
		return true;
	}
	if (sections_from_symbols(c)) {
		c->found_by = "__start_/__stop_ symbols";
		return true;
	}
	memset(c->sec, 0, sizeof(c->sec));
	if (ks_ksym_scan(c)) {
		c->found_by = "scan of the kernel data";
		return true;
	}
	return false;
}

struct ksyms_error *ks_exports_read(const struct ks_kernel *k, struct ksyms_table *t)
{
	struct ks_exports *x = calloc(1, sizeof(*x));
	struct ks_ksym_ctx c;
	uint32_t *order;
	struct ksyms_error *err = NULL;

	if (!x)
		return &ks_enomem;
	ks_exports_destroy(t->exports);
	t->exports = x;
	x->arena = &t->arena;
	ctx_init(&c, k, t);
	if (!ks_vamap_usable(&c.map)) {
		x->info.unknown_reason = "the kernel's load address is unknown (use --base)";
		return NULL;
	}
	if (!address_order(&c, &order))
		return &ks_enomem;
	if (!ks_blocked_init(&c.addr_search, t->addr, order, c.norder)) {
		free(order);
		return &ks_enomem;
	}
	if (find_sections(&c))
		err = read_sections(&c, x);
	else
		x->info.unknown_reason = "no __ksymtab found (a kernel built without CONFIG_MODULES has none)";
	ks_blocked_free(&c.addr_search);
	free(order);
	return err;
}
