// SPDX-License-Identifier: MIT
/*
 * An ELF .symtab listed the way `nm -n` does, with nm's type letters: the
 * source for a vmlinux (or module) that has symbols but no kallsyms.
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "core/error.h"
#include "core/overflow.h"
#include "input/elf.h"
#include "input/kernel.h"

enum {
	STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2,
	STT_OBJECT = 1, STT_SECTION = 3, STT_FILE = 4,
	SHN_UNDEF = 0, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2,
	SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4,
};

struct elf_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

static void read_sym(const struct ks_elf *e, const uint8_t *p, struct elf_sym *s)
{
	if (e->is64) {
		s->name = load32(p, e->be);
		s->info = p[4];
		s->other = p[5];
		s->shndx = load16(p + 6, e->be);
		s->value = load64(p + 8, e->be);
		s->size = load64(p + 16, e->be);
	} else {
		s->name = load32(p, e->be);
		s->value = load32(p + 4, e->be);
		s->size = load32(p + 8, e->be);
		s->info = p[12];
		s->other = p[13];
		s->shndx = load16(p + 14, e->be);
	}
}

/* nm's letter for a symbol (binutils nm: bfd_decode_symclass). */
static char nm_type(const struct ks_elf *e, const struct elf_sym *s)
{
	unsigned bind = s->info >> 4, type = s->info & 15;
	struct ks_elf_shdr sh;
	char c;

	if (s->shndx == SHN_UNDEF)
		return bind == STB_WEAK ? (type == STT_OBJECT ? 'v' : 'w') : 'U';
	if (bind == STB_WEAK)
		return type == STT_OBJECT ? 'V' : 'W';
	if (s->shndx == SHN_ABS)
		c = 'a';
	else if (s->shndx == SHN_COMMON)
		c = 'c';
	else if (!ks_elf_shdr(e, s->shndx, &sh))
		c = '?';
	else if (sh.flags & SHF_EXECINSTR)
		c = 't';
	else if (sh.type == KS_SHT_NOBITS && (sh.flags & SHF_ALLOC))
		c = 'b';
	else if (sh.flags & SHF_WRITE)
		c = 'd';
	else if (sh.flags & SHF_ALLOC)
		c = 'r';
	else
		c = 'n';
	return bind == STB_GLOBAL && c != '?' ? (char)(c - 'a' + 'A') : c;
}

struct nm_entry {
	uint64_t addr;
	uint32_t index;
};

static int cmp_entry(const void *a, const void *b)
{
	const struct nm_entry *x = a, *y = b;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

struct ksyms_error *ks_elfsym_load(struct span data, struct ksyms_table **ret)
{
	struct ks_elf e;
	struct ks_elf_shdr symtab, strtab;
	struct ksyms_error *err = ks_elf_parse(data, &e);
	struct span syms, strs;

	if (err)
		return err;
	if (!ks_elf_section_by_name(&e, ".symtab", &symtab) || symtab.type != KS_SHT_SYMTAB)
		return ks_error(KSYMS_ERR_NOT_FOUND, "no .symtab in the ELF");
	size_t esz = e.is64 ? 24 : 16;
	if (!ks_elf_shdr(&e, symtab.link, &strtab) ||
	    !span_sub(data, (size_t)symtab.offset, (size_t)symtab.size, &syms) ||
	    !span_sub(data, (size_t)strtab.offset, (size_t)strtab.size, &strs))
		return ks_error_at((int64_t)symtab.offset, ".symtab or its string table lies outside the file");
	size_t n = syms.len / esz;
	struct nm_entry *order = malloc((n ? n : 1) * sizeof(*order));
	struct ksyms_table *t = ks_table_new();
	if (!order || !t) {
		free(order);
		ksyms_table_destroy(t);
		return &ks_enomem;
	}
	size_t kept = 0;
	for (size_t i = 1; i < n; i++) {
		struct elf_sym s;
		read_sym(&e, syms.p + i * esz, &s);
		unsigned type = s.info & 15;
		if (type == STT_SECTION || type == STT_FILE || s.name == 0 ||
		    span_strnlen(strs, s.name, strs.len) == SIZE_MAX)
			continue;
		order[kept].addr = e.is64 ? s.value : (uint32_t)s.value;
		order[kept].index = (uint32_t)i;
		kept++;
	}
	qsort(order, kept, sizeof(*order), cmp_entry); /* nm -n */
	for (size_t k = 0; k < kept; k++) {
		struct elf_sym s;
		read_sym(&e, syms.p + (size_t)order[k].index * esz, &s);
		const char *name = (const char *)strs.p + s.name;
		if (!ks_table_add(t, order[k].addr, nm_type(&e, &s), name, strlen(name), NULL)) {
			free(order);
			ksyms_table_destroy(t);
			return &ks_enomem;
		}
	}
	free(order);
	if (t->count == 0) {
		ksyms_table_destroy(t);
		return ks_error(KSYMS_ERR_NOT_FOUND, "the ELF .symtab has no symbols");
	}
	t->info.source_kind = KSYMS_SOURCE_SYMTAB;
	t->info.source = ksyms_source_kind_name(KSYMS_SOURCE_SYMTAB);
	t->info.word_size = e.is64 ? 8 : 4;
	t->info.byte_order = e.be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	t->info.arch = ks_arch_from_machine(e.machine, t->info.word_size);
	t->info.arch_source = "ELF header";
	t->info.num_syms = t->count;
	*ret = t;
	return NULL;
}
