// SPDX-License-Identifier: MIT
/*
 * Sections of the output ELF and finding the one that holds a symbol.
 *
 * nm prints a symbol's letter from its section (binutils' bfd_decode_symclass):
 * 't' for an executable section, 'b' for one without contents (NOBITS), 'r'
 * for read-only data, 'd' for writable data; upper case when global.  So a
 * symbol goes into a section whose type gives its letter back: the one that
 * holds its address, else the one that ends there (_etext, __bss_stop),
 * else a zero-size section of the right type added at its address.
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "core/compiler.h"

enum ks_cls ks_cls_of_letter(char type)
{
	switch (type) {
	case 't': case 'T': return CLS_TEXT;
	case 'r': case 'R': return CLS_RODATA;
	case 'd': case 'D': return CLS_DATA;
	case 'b': case 'B': return CLS_BSS;
	default: return CLS_NONE;
	}
}

enum ks_cls ks_cls_of_flags(uint32_t type, uint64_t flags)
{
	if (!(flags & SHF_ALLOC_))
		return CLS_NONE;
	if (flags & SHF_EXECINSTR_)
		return CLS_TEXT;
	if (type == SHT_NOBITS_)
		return CLS_BSS;
	return flags & SHF_WRITE_ ? CLS_DATA : CLS_RODATA;
}

void ks_sec_flags(enum ks_cls cls, uint32_t *ret_type, uint64_t *ret_flags)
{
	*ret_type = cls == CLS_BSS ? SHT_NOBITS_ : SHT_PROGBITS_;
	switch (cls) {
	case CLS_TEXT: *ret_flags = SHF_ALLOC_ | SHF_EXECINSTR_; break;
	case CLS_RODATA: *ret_flags = SHF_ALLOC_; break;
	default: *ret_flags = SHF_ALLOC_ | SHF_WRITE_; break;
	}
}

struct ks_osec *ks_sec_add(struct ks_elfw *w, const char *name)
{
	if (w->nsecs >= SHN_LORESERVE_ - 8 || !ks_grow((void **)&w->secs, &w->cap, w->nsecs + 1, sizeof(*w->secs)))
		return NULL;
	struct ks_osec *s = &w->secs[w->nsecs++];
	memset(s, 0, sizeof(*s));
	s->name = name;
	s->align = 1;
	return s;
}

struct addr_idx {
	uint64_t addr;
	uint32_t idx;
};

/* By address, then index: a total order, so qsort needs no context (and
 * no global: writers may run in several threads). */
static int by_addr_cmp(const void *a, const void *b)
{
	const struct addr_idx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

bool ks_sec_index(struct ks_elfw *w)
{
	struct addr_idx *tmp = malloc((w->nsecs ? w->nsecs : 1) * sizeof(*tmp));

	free(w->by_addr);
	w->nby = 0;
	w->by_addr = malloc((w->nsecs ? w->nsecs : 1) * sizeof(*w->by_addr));
	if (!w->by_addr || !tmp) {
		free(tmp);
		return false;
	}
	for (size_t i = 1; i < w->nsecs; i++)
		if (w->secs[i].cls != CLS_NONE && w->secs[i].size)
			tmp[w->nby++] = (struct addr_idx){ w->secs[i].addr, (uint32_t)i };
	qsort(tmp, w->nby, sizeof(*tmp), by_addr_cmp);
	for (size_t i = 0; i < w->nby; i++)
		w->by_addr[i] = tmp[i].idx;
	free(tmp);
	return true;
}

/* Position of the first indexed section starting above @addr. */
static size_t upper(const struct ks_elfw *w, uint64_t addr)
{
	size_t lo = 0, hi = w->nby;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->secs[w->by_addr[mid]].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Sections may overlap (an input's .data..percpu at 0, .vvar): look a few back. */
enum { OVERLAP_SCAN = 16 };

size_t ks_sec_find(struct ks_elfw *w, uint64_t addr, enum ks_cls cls)
{
	size_t pos = upper(w, addr), ends_here = 0;

	for (size_t j = pos, n = 0; j > 0 && n < OVERLAP_SCAN; j--, n++) {
		const struct ks_osec *s = &w->secs[w->by_addr[j - 1]];
		uint64_t off = addr - s->addr;
		bool match = cls == CLS_NONE || s->cls == (char)cls;
		if (off < s->size && match)
			return w->by_addr[j - 1];
		if (off == s->size && match && !ends_here)
			ends_here = w->by_addr[j - 1];
	}
	return ends_here;
}

/* A zero-size section may sit just past a segment's bytes (_edata). */
static bool seg_end_off(const struct ks_elfw *w, uint64_t va, uint64_t *ret)
{
	for (size_t i = 0; i < w->nsegs; i++) {
		if (va == w->segs[i].vaddr + w->segs[i].filesz) {
			*ret = w->segs[i].off + w->segs[i].filesz;
			return true;
		}
	}
	return false;
}

size_t ks_sec_extra(struct ks_elfw *w, uint64_t addr, enum ks_cls cls)
{
	static const char *const names[] = { [CLS_TEXT] = ".text", [CLS_RODATA] = ".rodata", [CLS_DATA] = ".data",
					     [CLS_BSS] = ".bss" };

	/* symbols are placed in address order, so the zero-size sections
	 * added so far sit at the end, in address order */
	for (size_t i = w->nsecs; i > 0 && w->nsecs - i < w->extra; i--) {
		const struct ks_osec *s = &w->secs[i - 1];
		if (s->addr == addr && s->cls == (char)cls)
			return i - 1;
		if (s->addr < addr)
			break;
	}
	if (w->extra >= KS_MAX_EXTRA_SECTIONS || cls == CLS_NONE)
		return 0;
	struct ks_osec *s = ks_sec_add(w, names[(unsigned char)cls]);
	if (!s)
		return 0;
	ks_sec_flags(cls, &s->type, &s->flags);
	s->addr = addr;
	/* no bytes, but PROGBITS all the same: nm takes a NOBITS section's
	 * symbols for bss; its offset is where the address is in the file,
	 * if anywhere */
	if (s->type == SHT_PROGBITS_ && !ks_seg_off(w, addr, &s->offset))
		seg_end_off(w, addr, &s->offset);
	s->cls = (char)cls;
	w->extra++;
	return w->nsecs - 1;
}

bool ks_seg_off(const struct ks_elfw *w, uint64_t va, uint64_t *ret)
{
	for (size_t i = 0; i < w->nsegs; i++) {
		const struct ks_oseg *s = &w->segs[i];
		if (va - s->vaddr < s->filesz) {
			*ret = s->off + (va - s->vaddr);
			return true;
		}
	}
	return false;
}
