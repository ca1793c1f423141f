// SPDX-License-Identifier: MIT
/*
 * Finding __ksymtab when nothing says where it is: a raw image (no ELF
 * section headers) whose kallsyms has no __start___ksymtab, i.e. a kernel
 * before 6.4 built without CONFIG_KALLSYMS_ALL (kallsyms-format.md 4.1).
 *
 * An entry gives itself away: its value is the address of a table
 * symbol and its name points at that very symbol's name.  Such "seeds"
 * do not happen by chance, and __ksymtab holds thousands.  The densest
 * run of seeds is extended over the neighbouring entries that merely
 * decode (exported data, absent from a text-only table), and split where
 * the name order starts over: each section is sorted by name
 * (SORT(___ksymtab+*) in vmlinux.lds.h, for the kernel's bsearch) and
 * they follow each other in the linker script's order: __ksymtab,
 * __ksymtab_gpl, then up to 5.12 __ksymtab_unused, __ksymtab_unused_gpl,
 * __ksymtab_gpl_future (labelled in that order; those three were all but
 * unused, so an empty one mislabelling the next is a theoretical risk).
 * A single sorted run followed by one small byte per entry is 7.x's
 * __ksymtab + __kflagstab.
 */
#include <stdlib.h>
#include <string.h>

#include "exports.h"
#include "core/buf.h"

enum {
	MIN_SEEDS = 16,    /* fewer is not a ksymtab */
	MAX_GAP = 32,      /* entries between seeds of one run (exported data) */
	MAX_REGIONS = 64,
	SURE_RUN = 256,    /* seeds in a row that can only be a ksymtab */
};

/* A stretch of the data with one address mapping. */
struct region {
	size_t off, len;
	uint64_t va;
};

static size_t get_regions(const struct ks_ksym_ctx *c, struct region *r)
{
	size_t n = 0;

	if (c->map.flat) {
		r[0] = (struct region){ 0, c->data.len, c->map.base };
		return 1;
	}
	for (size_t i = 0; i < c->map.nsegs && n < MAX_REGIONS; i++) {
		const struct ks_segment *s = &c->map.segs[i];
		if (s->off >= c->data.len)
			continue;
		size_t len = s->size < c->data.len - s->off ? (size_t)s->size : c->data.len - (size_t)s->off;
		r[n++] = (struct region){ (size_t)s->off, len, s->vaddr };
	}
	return n;
}

struct family {
	bool prel32;
	unsigned field;
};

/* The two leading fields of a would-be entry at @p (address @va). */
static void read_pair(const struct ks_ksym_ctx *c, const struct family *f, const uint8_t *p, uint64_t va,
		      uint64_t *value, uint64_t *name)
{
	if (f->prel32) {
		*value = va + (uint64_t)(int64_t)(int32_t)load32(p, c->be);
		*name = va + 4 + (uint64_t)(int64_t)(int32_t)load32(p + 4, c->be);
	} else {
		*value = load_word(p, f->field, c->be);
		*name = load_word(p + f->field, f->field, c->be);
	}
	*value &= c->map.mask;
	*name &= c->map.mask;
}

/* The table's addresses, hashed: the scan asks "is this word a symbol
 * address?" millions of times, and a binary search per word would cost
 * ten times the rest of the scan. */
struct addr_set {
	uint64_t *addr; /* 0 = empty: no symbol worth matching sits at 0 */
	uint32_t *pos;  /* first address-order position of that address */
	size_t mask;
};

static size_t slot_of(const struct addr_set *h, uint64_t a)
{
	return (size_t)((a * 0x9e3779b97f4a7c15ull) >> 20) & h->mask;
}

static bool set_build(const struct ks_ksym_ctx *c, struct addr_set *h)
{
	size_t cap = 16;

	while (cap < c->norder * 2)
		cap *= 2;
	h->mask = cap - 1;
	h->addr = ks_calloc_large(cap, sizeof(*h->addr));
	h->pos = ks_alloc_large(cap * sizeof(*h->pos));
	if (!h->addr || !h->pos)
		return false;
	for (size_t p = 0; p < c->norder; p++) {
		uint64_t a = ks_ksym_addr_at(c, p);
		if (!a || (p && ks_ksym_addr_at(c, p - 1) == a))
			continue;
		size_t s = slot_of(h, a);
		while (h->addr[s])
			s = (s + 1) & h->mask;
		h->addr[s] = a;
		h->pos[s] = (uint32_t)p;
	}
	return true;
}

static void set_free(struct addr_set *h)
{
	free(h->addr);
	free(h->pos);
}

/* Is there a symbol at @value whose name is the string at address @name? */
static bool is_seed(const struct ks_ksym_ctx *c, const struct addr_set *h, uint64_t value, uint64_t name)
{
	size_t s = slot_of(h, value), off;

	if (!ks_vamap_to_off(&c->map, name, &off))
		return false;
	while (h->addr[s] && h->addr[s] != value)
		s = (s + 1) & h->mask;
	if (!h->addr[s])
		return false;
	for (size_t p = h->pos[s]; p < c->norder && p - h->pos[s] < KS_KSYM_MAX_ALIASES && ks_ksym_addr_at(c, p) == value;
	     p++) {
		size_t i = c->order ? c->order[p] : p;
		char buf[KS_NAME_BUF];
		const char *n = ks_table_name_or_copy(c->t, i, buf);
		size_t len = strlen(n);
		if (span_eq(c->data, off, n, len + 1))
			return true;
	}
	return false;
}

/* Offsets where family @f decodes to a seed, ascending, until the data
 * ends or a run of SURE_RUN seeds (each within MAX_GAP entries of the
 * last) has ended: that is the ksymtab (a kernel exports thousands of
 * symbols), and the rest of the data is not needed. */
static bool find_seeds(const struct ks_ksym_ctx *c, const struct addr_set *h, const struct family *f, size_t **ret,
		       size_t *ret_n)
{
	struct region r[MAX_REGIONS];
	size_t nr = get_regions(c, r), n = 0, cap = 0, run = 0;
	size_t *seeds = NULL, gap = 3 * (size_t)f->field * MAX_GAP;
	uint64_t lo = ks_ksym_addr_at(c, 0), hi = ks_ksym_addr_at(c, c->norder - 1);

	for (size_t k = 0; k < nr; k++) {
		const uint8_t *p = span_at(c->data, r[k].off, r[k].len);
		for (size_t i = 0; p && i + 2 * f->field <= r[k].len; i += f->field) {
			uint64_t value, name;
			size_t at = r[k].off + i;
			read_pair(c, f, p + i, r[k].va + i, &value, &name);
			if (value < lo || value > hi || !is_seed(c, h, value, name)) {
				if (run >= SURE_RUN && at - seeds[n - 1] > gap)
					goto done;
				continue;
			}
			if (!ks_grow((void **)&seeds, &cap, n + 1, sizeof(*seeds))) {
				free(seeds);
				return false;
			}
			run = n && at - seeds[n - 1] <= gap ? run + 1 : 1;
			seeds[n++] = at;
		}
	}
done:
	*ret = seeds;
	*ret_n = n;
	return true;
}

/* Entries are {value, name} or {value, name, namespace}: the spacing of
 * neighbouring seeds says which. */
static unsigned guess_nfields(const struct family *f, const size_t *seeds, size_t n)
{
	size_t two = 0, three = 0;

	for (size_t i = 1; i < n; i++) {
		size_t gap = seeds[i] - seeds[i - 1];
		two += gap == 2 * f->field;
		three += gap == 3 * f->field;
	}
	return three >= two ? 3 : 2;
}

/* The run of seeds (gaps of whole entries, at most MAX_GAP) with the most seeds. */
static void densest_run(const size_t *seeds, size_t n, size_t stride, size_t *ret_first, size_t *ret_last)
{
	size_t best = 0, best_first = 0, first = 0;

	for (size_t i = 1; i <= n; i++) {
		bool breaks = i == n || (seeds[i] - seeds[i - 1]) % stride || seeds[i] - seeds[i - 1] > MAX_GAP * stride;
		if (!breaks)
			continue;
		if (i - first > best) {
			best = i - first;
			best_first = first;
		}
		first = i;
	}
	*ret_first = seeds[best_first];
	*ret_last = seeds[best_first + best - 1];
}

/* Any entry that decodes: its value may be a symbol the table lacks, or
 * even 0 (a word the boot-time relocation fills in, as s390's
 * __bpf_call_base in 6.1). */
static bool plausible(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l, size_t off)
{
	struct ks_raw_export e;

	return ks_ksym_read(c, l, off, &e);
}

static int cmp_names(const struct ks_raw_export *a, const struct ks_raw_export *b)
{
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int r = memcmp(a->name, b->name, n);

	return r ? r : (a->name_len > b->name_len) - (a->name_len < b->name_len);
}

/* 7.x: one flag byte per entry right after the single __ksymtab, each
 * holding only KSYM_FLAG_* bits. */
static void find_flags(struct ks_ksym_ctx *c, size_t end, size_t entries)
{
	const uint8_t *f = span_at(c->data, end, entries);

	for (size_t i = 0; f && i < entries; i++)
		if (f[i] > 3)
			return;
	if (f)
		c->sec[KS_SEC_FLAGS] = (struct ks_range){ .present = true, .off = end, .len = entries };
}

/* Cut [start, end) into the name-sorted sections. */
static bool split_sections(struct ks_ksym_ctx *c, const struct ks_ksym_layout *l, size_t start, size_t end)
{
	size_t st = (size_t)l->field * l->nfields;
	struct ks_raw_export prev = { 0 }, cur;
	int s = 0;
	size_t sec_start = start;

	for (size_t off = start; off < end; off += st) {
		if (!ks_ksym_read(c, l, off, &cur))
			return false;
		/* an equal name continues the section: 5.10 arm64 links the
		 * KVM nVHE hypervisor's own copy of EXPORT_SYMBOL(__memcpy)
		 * (__kvm_nvhe___ksymtab___memcpy) right before the kernel's,
		 * both named "__memcpy" */
		if (off > start && cmp_names(&prev, &cur) > 0) {
			c->sec[s] = (struct ks_range){ .present = true, .off = sec_start, .len = off - sec_start };
			if (++s == KS_SEC_FLAGS)
				return false; /* not sorted: not something we know */
			sec_start = off;
		}
		prev = cur;
	}
	c->sec[s] = (struct ks_range){ .present = true, .off = sec_start, .len = end - sec_start };
	if (s == 0)
		find_flags(c, end, (end - start) / st);
	return true;
}

static bool scan_family(struct ks_ksym_ctx *c, const struct addr_set *h, const struct family *f, size_t *ret_seeds)
{
	size_t *seeds, n, first, last;

	if (!find_seeds(c, h, f, &seeds, &n))
		return false;
	*ret_seeds = n;
	if (n < MIN_SEEDS) {
		free(seeds);
		return false;
	}
	struct ks_ksym_layout l = { f->prel32, f->field, guess_nfields(f, seeds, n) };
	size_t st = (size_t)l.field * l.nfields;
	densest_run(seeds, n, st, &first, &last);
	free(seeds);
	size_t start = first, end = last + st;
	while (start >= st && plausible(c, &l, start - st))
		start -= st;
	while (plausible(c, &l, end))
		end += st;
	memset(c->sec, 0, sizeof(c->sec));
	return split_sections(c, &l, start, end);
}

bool ks_ksym_scan(struct ks_ksym_ctx *c)
{
	/* absolute first: the kernels that need the scan mostly lack PREL32 */
	const struct family fams[] = { { false, c->word }, { true, 4 } };
	size_t best = 0, seeds;
	struct ks_range found[KS_SEC_COUNT] = { { 0 } };
	struct addr_set h = { 0 };

	if (!c->norder || !set_build(c, &h)) {
		set_free(&h);
		return false;
	}
	for (size_t i = 0; i < KS_ARRAY_SIZE(fams) && best < SURE_RUN; i++) {
		if (scan_family(c, &h, &fams[i], &seeds) && seeds > best) {
			best = seeds;
			memcpy(found, c->sec, sizeof(found));
		}
	}
	set_free(&h);
	memcpy(c->sec, found, sizeof(found));
	return best > 0;
}
