// SPDX-License-Identifier: MIT
/*
 * The sections of a kernel that has no section headers (a raw Image, a
 * decompressed zImage payload, an ELF stripped of them), rebuilt from two
 * things kallsyms keeps:
 *
 *   - the kernel's boundary symbols, which its linker script
 *     (include/asm-generic/vmlinux.lds.h, arch/x/kernel/vmlinux.lds.S)
 *     places at the edges of its output sections: _stext/_etext,
 *     __start_rodata/__end_rodata, _sinittext/_einittext, _sdata/_edata,
 *     __bss_start/__bss_stop, __start___ksymtab..., __start_BTF/__stop_BTF.
 *     They give the names and the edges;
 *   - the type letter of every symbol, which nm took from the section that
 *     held it (binutils' bfd_decode_symclass: executable, read-only,
 *     writable, no contents).  A run of symbols of one kind is one kind of
 *     section; where the kind changes, a section ends.
 *
 * Every address where a symbol starts, or a region or a segment begins or
 * ends, cuts the address space; the piece from one cut to the next takes
 * the kind of the symbols that start there (several kinds at one address:
 * the one the next symbols continue, as _etext and __start_rodata share
 * an address on arm64).  Symbols that mark the end of something (_etext,
 * __stop___ksymtab, ...) start nothing.  Pieces of one kind under one name
 * merge into a section.  Bytes that no symbol starts in (the rodata and
 * data of a kernel with text symbols only) become plain data sections.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "core/compiler.h"
#include "core/error.h"

enum { NAT_TEXT = 1, NAT_DATA = 2, NAT_BSS = 4 };

/* Regions of the kernel's linker script and the symbols at their edges. */
static const struct region_def {
	const char *name, *start, *stop;
	unsigned nat; /* the kinds of piece the name fits */
} region_defs[] = {
	{ ".head.text", "_text", "_stext", NAT_TEXT },
	{ ".text", "_stext", "_etext", NAT_TEXT },
	{ ".rodata", "__start_rodata", "__end_rodata", NAT_DATA },
	{ ".pci_fixup", "__start_pci_fixups_early", "__end_pci_fixups_suspend_late", NAT_DATA },
	{ "__ksymtab", "__start___ksymtab", "__stop___ksymtab", NAT_DATA },
	{ "__ksymtab_gpl", "__start___ksymtab_gpl", "__stop___ksymtab_gpl", NAT_DATA },
	{ "__kcrctab", "__start___kcrctab", "__stop___kcrctab", NAT_DATA },
	{ "__kcrctab_gpl", "__start___kcrctab_gpl", "__stop___kcrctab_gpl", NAT_DATA },
	{ "__kflagstab", "__start___kflagstab", "__stop___kflagstab", NAT_DATA },
	{ "__ksymtab_strings", "__start___ksymtab_strings", "__stop___ksymtab_strings", NAT_DATA },
	{ "__param", "__start___param", "__stop___param", NAT_DATA },
	{ "__modver", "__start___modver", "__stop___modver", NAT_DATA },
	{ "__ex_table", "__start___ex_table", "__stop___ex_table", NAT_DATA },
	{ ".notes", "__start_notes", "__stop_notes", NAT_DATA },
	{ ".BTF", "__start_BTF", "__stop_BTF", NAT_DATA },
	{ ".data..ro_after_init", "__start_ro_after_init", "__end_ro_after_init", NAT_DATA },
	{ ".init.text", "_sinittext", "_einittext", NAT_TEXT },
	{ ".exit.text", "__exittext_begin", "__exittext_end", NAT_TEXT },
	{ ".init.data", "__init_begin", "__init_end", NAT_DATA },
	{ ".data..percpu", "__per_cpu_start", "__per_cpu_end", NAT_DATA },
	{ ".data", "_sdata", "_edata", NAT_DATA },
	{ "__bug_table", "__start___bug_table", "__stop___bug_table", NAT_DATA },
	{ ".bss", "__bss_start", "__bss_stop", NAT_BSS },
};

enum { MAX_REGIONS = KS_ARRAY_SIZE(region_defs) + 2 };

struct region {
	const char *name;
	uint64_t start, end;
	unsigned nat;
};

/* A cut of the address space. */
struct cut {
	uint64_t addr;
	uint8_t starts;   /* kinds of the symbols that start here (1 << kind index) */
	bool boundary;    /* a region's edge: what came before does not run on */
};

struct rctx {
	struct ks_elfw *w;
	struct region reg[MAX_REGIONS];
	size_t nreg;
	struct cut *cuts;
	size_t ncuts, cap;
	uint64_t btf_ids_lo, btf_ids_hi;
	bool has_btf_ids;
};

static const char kind_cls[4] = { CLS_TEXT, CLS_RODATA, CLS_DATA, CLS_BSS };

static int kind_of(enum ks_cls c)
{
	switch (c) {
	case CLS_TEXT: return 0;
	case CLS_RODATA: return 1;
	case CLS_DATA: return 2;
	case CLS_BSS: return 3;
	default: return -1;
	}
}

/* Symbols that mark where something ends: they start no piece.  Only the
 * kernel's own spellings, so that no function is taken for one. */
static bool end_marker(const char *n)
{
	static const char *const exact[] = { "_etext", "_edata", "_einittext", "__bss_stop", "_end", "__init_end",
					     "__end_rodata", "__per_cpu_end", "__irqentry_text_end",
					     "__softirqentry_text_end", "__exittext_end", "__end_ro_after_init" };

	if (strncmp(n, "__stop_", 7) == 0 || strncmp(n, "__end_", 6) == 0)
		return true;
	for (size_t i = 0; i < KS_ARRAY_SIZE(exact); i++)
		if (strcmp(n, exact[i]) == 0)
			return true;
	return false;
}

static bool add_cut(struct rctx *c, uint64_t addr, uint8_t starts, bool boundary)
{
	if (c->ncuts && c->cuts[c->ncuts - 1].addr == addr) {
		c->cuts[c->ncuts - 1].starts |= starts;
		c->cuts[c->ncuts - 1].boundary |= boundary;
		return true;
	}
	if (!ks_grow((void **)&c->cuts, &c->cap, c->ncuts + 1, sizeof(*c->cuts)))
		return false;
	c->cuts[c->ncuts++] = (struct cut){ addr, starts, boundary };
	return true;
}

/* The address ks_symorder_lookup() found for @name (names[] is sorted). */
static bool name_addr(const char **names, const uint64_t *addr, const bool *found, size_t n, const char *name,
		      uint64_t *ret)
{
	/* a name that edges two regions (_stext) is there twice, found once */
	for (size_t i = 0; i < n; i++) {
		if (found[i] && strcmp(names[i], name) == 0) {
			*ret = addr[i];
			return true;
		}
	}
	return false;
}

static void find_regions(struct rctx *c, const struct ksyms_btf_info *btf)
{
	struct ks_elfw *w = c->w;
	enum { N = 2 * KS_ARRAY_SIZE(region_defs) };
	const char *names[N];
	uint64_t addr[N];
	bool found[N], have_btf = false;

	for (size_t i = 0; i < KS_ARRAY_SIZE(region_defs); i++) {
		names[2 * i] = region_defs[i].start;
		names[2 * i + 1] = region_defs[i].stop;
	}
	ks_symorder_lookup(w, names, N, addr, found);
	for (size_t i = 0; i < KS_ARRAY_SIZE(region_defs); i++) {
		const struct region_def *d = &region_defs[i];
		uint64_t a, b;
		if (!name_addr(names, addr, found, N, d->start, &a) || !name_addr(names, addr, found, N, d->stop, &b) ||
		    b < a)
			continue;
		c->reg[c->nreg++] = (struct region){ d->name, a & w->mask, b & w->mask, d->nat };
		have_btf |= strcmp(d->name, ".BTF") == 0;
		ks_debug(&w->log, "elf: region %s at 0x%llx, %llu bytes (%s .. %s)", d->name, (unsigned long long)a,
			 (unsigned long long)(b - a), d->start, d->stop);
	}
	if (btf && btf->has_address && !have_btf)
		c->reg[c->nreg++] = (struct region){ ".BTF", btf->address, btf->address + btf->size, NAT_DATA };
	/* .BTF_ids has no bounds of its own: its BTF_ID() symbols give them (the
	 * last entry is 4 bytes, 8 in a BTF_SET8) */
	if (c->has_btf_ids)
		c->reg[c->nreg++] = (struct region){ ".BTF_ids", c->btf_ids_lo, c->btf_ids_hi + 4, NAT_DATA };
}

static int cmp_cut(const void *a, const void *b)
{
	uint64_t x = ((const struct cut *)a)->addr, y = ((const struct cut *)b)->addr;

	return (x > y) - (x < y);
}

/* Every symbol start, in address order, then the regions' and segments' edges. */
static struct ksyms_error *gather_cuts(struct rctx *c, const struct ksyms_btf_info *btf)
{
	struct ks_elfw *w = c->w;
	struct ksyms_symbol s;

	uint64_t last = 0;
	bool any = false;

	for (size_t pos = 0; pos < w->norder; pos++) {
		ks_table_get(w->syms, w->order[pos], &s);
		if (s.type != 'A' && s.type != 'a') {
			last = s.addr & w->mask;
			any = true;
		}
		if (strncmp(s.name, "__BTF_ID__", 10) == 0) {
			c->btf_ids_lo = c->has_btf_ids ? KS_MIN(c->btf_ids_lo, s.addr) : s.addr;
			c->btf_ids_hi = c->has_btf_ids ? KS_MAX(c->btf_ids_hi, s.addr) : s.addr;
			c->has_btf_ids = true;
		}
		int k = kind_of(ks_cls_of_letter(s.type));
		if (k < 0 || end_marker(s.name))
			continue;
		if (!add_cut(c, s.addr & w->mask, (uint8_t)(1u << k), false))
			return &ks_enomem;
	}
	find_regions(c, btf);
	size_t nsym = c->ncuts;
	/* the last symbols run to the highest address any symbol has (_end) */
	if (any && !add_cut(c, last, 0, false))
		return &ks_enomem;
	for (size_t i = 0; i < c->nreg; i++)
		if (!add_cut(c, c->reg[i].start, 0, true) || !add_cut(c, c->reg[i].end, 0, true))
			return &ks_enomem;
	for (size_t i = 0; i < w->nsegs; i++) {
		const struct ks_oseg *g = &w->segs[i];
		if (!add_cut(c, g->vaddr, 0, false) || !add_cut(c, g->vaddr + g->filesz, 0, false) ||
		    !add_cut(c, g->vaddr + g->memsz, 0, false))
			return &ks_enomem;
	}
	/* the few edges came after the symbols: sort, then merge equal addresses */
	if (c->ncuts > nsym) {
		qsort(c->cuts, c->ncuts, sizeof(*c->cuts), cmp_cut);
		size_t o = 0;
		for (size_t i = 0; i < c->ncuts; i++) {
			if (o && c->cuts[o - 1].addr == c->cuts[i].addr) {
				c->cuts[o - 1].starts |= c->cuts[i].starts;
				c->cuts[o - 1].boundary |= c->cuts[i].boundary;
			} else {
				c->cuts[o++] = c->cuts[i];
			}
		}
		c->ncuts = o;
	}
	return NULL;
}

/* The kind of the piece from cut @i on (-1: none is known). */
static int piece_kind(const struct rctx *c, size_t i, int prev)
{
	uint8_t m = c->cuts[i].starts;

	if (!m)
		return c->cuts[i].boundary ? -1 : prev;
	if (!(m & (m - 1)))
		return __builtin_ctz(m);
	/* several kinds start here: the one the next symbols continue */
	for (size_t j = i + 1; j < c->ncuts; j++) {
		uint8_t n = c->cuts[j].starts & m;
		if (n)
			return __builtin_ctz(n);
		if (c->cuts[j].starts)
			break;
	}
	if (prev >= 0 && (m & (1u << prev)))
		return prev;
	return __builtin_ctz(m);
}

static unsigned nat_of_kind(int k)
{
	return k < 0 ? NAT_DATA : k == 0 ? NAT_TEXT : k == 3 ? NAT_BSS : NAT_DATA;
}

/* The innermost region that holds [lo, hi) and whose name fits the kind. */
static const char *piece_name(const struct rctx *c, uint64_t lo, uint64_t hi, int k)
{
	static const char *const generic[4] = { ".text", ".rodata", ".data", ".bss" };
	const struct region *best = NULL;

	for (size_t i = 0; i < c->nreg; i++) {
		const struct region *r = &c->reg[i];
		if (lo >= r->start && hi <= r->end && (r->nat & nat_of_kind(k)) &&
		    (!best || r->end - r->start < best->end - best->start))
			best = r;
	}
	return best ? best->name : generic[k < 0 ? 2 : k];
}

/* The segment whose file bytes hold [lo, hi), or NULL. */
static const struct ks_oseg *file_seg(const struct ks_elfw *w, uint64_t lo, uint64_t hi)
{
	for (size_t i = 0; i < w->nsegs; i++) {
		const struct ks_oseg *g = &w->segs[i];
		if (lo - g->vaddr < g->filesz && hi - g->vaddr <= g->filesz)
			return &w->segs[i];
	}
	return NULL;
}

static struct ksyms_error *add_piece(struct rctx *c, uint64_t lo, uint64_t hi, int k)
{
	struct ks_elfw *w = c->w;
	const struct ks_oseg *g = file_seg(w, lo, hi);
	enum ks_cls cls = k < 0 ? CLS_DATA : (enum ks_cls)kind_cls[k];
	const char *name = piece_name(c, lo, hi, k);
	uint32_t type;
	uint64_t flags;

	if (k < 0 && !g)
		return NULL; /* nothing starts here and there are no bytes: no section */
	ks_sec_flags(cls, &type, &flags);
	if (!g)
		type = SHT_NOBITS_;
	struct ks_osec *p = w->nsecs > 1 ? &w->secs[w->nsecs - 1] : NULL;
	if (p && p->name == name && p->cls == (char)cls && p->type == type && p->addr + p->size == lo &&
	    (type == SHT_NOBITS_ || p->offset + p->size == g->off + (lo - g->vaddr))) {
		p->size += hi - lo;
		return NULL;
	}
	struct ks_osec *s = ks_sec_add(w, name);
	if (!s)
		return ks_error(KSYMS_ERR_TOO_LARGE, "too many sections for an ELF");
	s->type = type;
	s->flags = flags;
	s->addr = lo;
	s->size = hi - lo;
	s->cls = (char)cls;
	if (g)
		s->offset = g->off + (lo - g->vaddr);
	/* the largest power of two the address is a multiple of, up to a page */
	s->align = lo & 4095 ? lo & -lo : 4096;
	return NULL;
}

struct ksyms_error *ks_regions_build(struct ks_elfw *w, const struct ksyms_btf_info *btf)
{
	struct rctx c = { .w = w };
	struct ksyms_error *err = gather_cuts(&c, btf);
	int prev = -1;

	for (size_t i = 0; !err && i + 1 < c.ncuts; i++) {
		int k = piece_kind(&c, i, prev);
		err = add_piece(&c, c.cuts[i].addr, c.cuts[i + 1].addr, k);
		prev = k;
	}
	free(c.cuts);
	return err;
}
