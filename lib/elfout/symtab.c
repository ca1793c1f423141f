// SPDX-License-Identifier: MIT
/*
 * .symtab and .strtab: every symbol of the table, in the section that
 * holds it, with the type, binding and size that make nm print the letter
 * the table has and gdb resolve addresses as the kernel's %pS does.
 *
 *   letter        binding  type     section
 *   t T           local/global FUNC an executable one
 *   r R, d D      local/global OBJECT read-only / writable data
 *   b B           local/global OBJECT one without contents (NOBITS)
 *   W             weak     FUNC in text, else NOTYPE (nm: 'W')
 *   V             weak     OBJECT (nm: 'V')
 *   A a           global/local NOTYPE SHN_ABS
 *
 * nm has no letter for a defined symbol that is 'w' or 'v' (those are
 * undefined weak symbols to nm: a defined weak symbol prints 'W' or 'V'),
 * nor for the rest ('N', '?', 'u', 'g', 's', ...): such symbols are written
 * as their case says, in the section that holds them, and counted.
 *
 * Sizes are what %pS prints after the slash: up to the next higher symbol,
 * and never past the end of the section (which, for the last symbols of
 * the text and init text, is where the kernel's _etext and _einittext
 * bounds put it).
 */
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/overflow.h"

enum { STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2, STT_NOTYPE = 0, STT_OBJECT = 1, STT_FUNC = 2 };

struct placed {
	uint32_t shndx;
	uint64_t size;
};

static bool is_abs(char t)
{
	return t == 'A' || t == 'a';
}

static bool is_weak(char t)
{
	return t == 'W' || t == 'w' || t == 'V' || t == 'v';
}

static unsigned binding(char t)
{
	if (is_weak(t))
		return STB_WEAK;
	return t >= 'A' && t <= 'Z' ? STB_GLOBAL : STB_LOCAL;
}

/* The letter nm prints for a symbol of @bind and @type in section @s (NULL: absolute). */
static char nm_letter(unsigned bind, unsigned type, const struct ks_osec *s)
{
	char c;

	if (bind == STB_WEAK)
		return type == STT_OBJECT ? 'V' : 'W';
	if (!s)
		c = 'a';
	else if (s->flags & SHF_EXECINSTR_)
		c = 't';
	else if (s->type == SHT_NOBITS_)
		c = 'b';
	else
		c = s->flags & SHF_WRITE_ ? 'd' : 'r';
	return bind == STB_GLOBAL ? (char)(c - 'a' + 'A') : c;
}

static unsigned sym_type(const struct ks_elfw *w, const struct ksyms_symbol *sym, const struct ks_osec *s)
{
	char t = sym->type;

	switch (ks_cls_of_letter(t)) {
	/* an ARM function at an odd address is Thumb code to the ELF
	 * reader, which clears the bit: a label there (str_p2 in the
	 * kernel's text) keeps its address as a plain symbol */
	case CLS_TEXT: return w->arm && (sym->addr & 1) ? STT_NOTYPE : STT_FUNC;
	case CLS_RODATA: case CLS_DATA: case CLS_BSS: return STT_OBJECT;
	default: break;
	}
	if (t == 'V' || t == 'v')
		return STT_OBJECT;
	if ((t == 'W' || t == 'w') && s && (s->flags & SHF_EXECINSTR_))
		return STT_FUNC;
	return STT_NOTYPE;
}

/* Size as %pS gives it, up to the next higher symbol (kallsyms_lookup_size_offset),
 * cut at the end of the section. */
static uint64_t sym_size(uint64_t addr, const struct ks_osec *sec, uint64_t next)
{
	uint64_t size = next > addr ? next - addr : 0;
	uint64_t room = sec->addr + sec->size - addr;

	return size < room ? size : room;
}

/* Place every symbol, in address order (zero-size sections come out sorted). */
static struct ksyms_error *place(struct ks_elfw *w, struct placed *pl)
{
	const struct ksyms_table *t = w->syms;
	uint64_t next = 0;

	for (size_t pos = 0; pos < w->norder; pos++) {
		size_t idx = w->order[pos];
		uint64_t addr = t->addr[idx];
		char type = t->type[idx];
		/* the next higher address among the kernel's own symbols */
		if (pos == 0 || addr != t->addr[w->order[pos - 1]]) {
			size_t q = pos + 1;
			while (q < w->norder && t->addr[w->order[q]] == addr)
				q++;
			next = q < w->norder ? t->addr[w->order[q]] : 0;
		}
		if (is_abs(type))
			continue;
		enum ks_cls cls = ks_cls_of_letter(type);
		size_t sec = ks_sec_find(w, addr, cls);
		if (!sec && cls != CLS_NONE)
			sec = ks_sec_extra(w, addr, cls);
		if (!sec)
			sec = ks_sec_find(w, addr, CLS_NONE);
		if (!sec)
			sec = ks_sec_extra(w, addr, CLS_DATA);
		pl[idx].shndx = (uint32_t)sec;
		pl[idx].size = sec ? sym_size(addr, &w->secs[sec], next) : 0;
	}
	return NULL;
}

static bool put_sym(struct ks_elfw *w, uint32_t name, uint64_t value, uint64_t size, unsigned info, uint32_t shndx)
{
	uint8_t e[24] = { 0 };

	if (w->is64) {
		store32(e, name, w->be);
		e[4] = (uint8_t)info;
		store16(e + 6, (uint16_t)shndx, w->be);
		store64(e + 8, value, w->be);
		store64(e + 16, size, w->be);
		return ks_buf_append(&w->symtab, e, 24);
	}
	store32(e, name, w->be);
	store32(e + 4, (uint32_t)value, w->be);
	store32(e + 8, (uint32_t)size, w->be);
	e[12] = (uint8_t)info;
	store16(e + 14, (uint16_t)shndx, w->be);
	return ks_buf_append(&w->symtab, e, 16);
}

static struct ksyms_error *emit(struct ks_elfw *w, const struct placed *pl, bool locals)
{
	size_t count = ksyms_table_count(w->syms);
	struct ksyms_symbol s;

	for (size_t i = 0; i < count; i++) {
		ksyms_table_symbol(w->syms, i, &s);
		unsigned bind = binding(s.type);
		if (s.module || (bind == STB_LOCAL) != locals)
			continue;
		const struct ks_osec *sec = is_abs(s.type) || !pl[i].shndx ? NULL : &w->secs[pl[i].shndx];
		unsigned type = sym_type(w, &s, sec);
		uint32_t shndx = sec ? pl[i].shndx : SHN_ABS_;
		uint64_t value = s.addr;
		if (sec && sec->addr)
			value += w->slide; /* absolute symbols (x86-64 per-cpu offsets) and sections at 0 stay */
		size_t len = strlen(s.name);
		if (w->strtab.len > UINT32_MAX - len - 1)
			return ks_error(KSYMS_ERR_TOO_LARGE, "symbol names too large for an ELF string table");
		uint32_t name = (uint32_t)w->strtab.len;
		if (!ks_buf_append(&w->strtab, s.name, len + 1) ||
		    !put_sym(w, name, value & w->mask, sec ? pl[i].size : 0, bind << 4 | type, shndx))
			return &ks_enomem;
		w->nabs += !sec;
		w->mismatches += nm_letter(bind, type, sec) != s.type;
		w->nsyms++;
		if (locals)
			w->nlocal++;
	}
	return NULL;
}

struct ksyms_error *ks_symtab_build(struct ks_elfw *w)
{
	size_t count = ksyms_table_count(w->syms);
	struct placed *pl = calloc(count ? count : 1, sizeof(*pl));
	struct ksyms_error *err;
	size_t esize = w->is64 ? 24 : 16;

	if (!pl || !ks_buf_reserve(&w->symtab, (count + 1) * esize) || !ks_buf_zeros(&w->symtab, esize) ||
	    !ks_buf_zeros(&w->strtab, 1)) {
		free(pl);
		return &ks_enomem;
	}
	err = place(w, pl);
	if (!err)
		err = emit(w, pl, true);
	if (!err)
		err = emit(w, pl, false);
	free(pl);
	return err;
}
