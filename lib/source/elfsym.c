// SPDX-License-Identifier: MIT
/*
 * An ELF .symtab listed the way `nm -n` does, with nm's type letters and
 * order: the source for a vmlinux (or module) that has symbols but no
 * kallsyms, and what System.map is made from (scripts/mksysmap runs
 * `nm -n` under LC_COLLATE=C, exported by the kernel's top Makefile).
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "core/error.h"
#include "core/overflow.h"
#include "kernel/elf.h"
#include "kernel/kernel.h"

enum {
	STB_LOCAL = 0, STB_GLOBAL = 1, STB_WEAK = 2, STB_GNU_UNIQUE = 10,
	STT_OBJECT = 1, STT_SECTION = 3, STT_FILE = 4, STT_GNU_IFUNC = 10,
	SHN_UNDEF = 0, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1, SHN_COMMON = 0xfff2,
	SHF_WRITE = 1, SHF_ALLOC = 2, SHF_EXECINSTR = 4,
	EM_MIPS = 8, SHF_MIPS_GPREL = 0x10000000,
};

struct elf_sym {
	uint32_t name;
	uint8_t info;
	uint16_t shndx;
	uint64_t value, size;
};

/* Symbol @i of the table; the caller checked that it lies inside @syms. */
static void read_sym(const struct ks_elf *e, struct span syms, size_t i, struct elf_sym *s)
{
	size_t esz = e->is64 ? 24 : 16;
	const uint8_t *p = span_at(syms, i * esz, esz);

	if (e->is64) {
		s->name = load32(p, e->be);
		s->info = p[4];
		s->shndx = load16(p + 6, e->be);
		s->value = load64(p + 8, e->be);
		s->size = load64(p + 16, e->be);
	} else {
		s->name = load32(p, e->be);
		s->value = load32(p + 4, e->be);
		s->size = load32(p + 8, e->be);
		s->info = p[12];
		s->shndx = load16(p + 14, e->be);
	}
}

/* binutils' names for sections holding debugging information
 * (_bfd_elf_make_section_from_shdr): nm gives their symbols 'N'. */
static bool is_debug_section(const char *name)
{
	static const char *const prefixes[] = { ".debug", ".zdebug", ".gnu.linkonce.wi.", ".line", ".stab" };

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return strcmp(name, ".gdb_index") == 0;
}

/*
 * nm's lower-case letter for a section (bfd/syms.c decode_section_type,
 * with the flags bfd derives from the ELF section header).  A section
 * that is neither allocated nor read-only gets '?': ppc64's empty
 * `.data_nosave` (flags "W") is why System.map lists __nosave_begin as '?'.
 */
static char section_letter(const struct ks_elf *e, const struct ks_elf_shdr *sh)
{
	bool contents = sh->type != KS_SHT_NOBITS;
	bool load = (sh->flags & SHF_ALLOC) && contents;
	bool readonly = !(sh->flags & SHF_WRITE);
	/* SEC_SMALL_DATA: only MIPS marks it in the ELF flags */
	bool small = e->machine == EM_MIPS && (sh->flags & SHF_MIPS_GPREL);

	if (sh->flags & SHF_EXECINSTR)
		return 't';
	if (load)
		return readonly ? 'r' : small ? 'g' : 'd';
	if (!contents)
		return small ? 's' : 'b';
	if (!(sh->flags & SHF_ALLOC) && is_debug_section(sh->name))
		return 'N';
	return readonly ? 'n' : '?';
}

/* The letter of every section, computed once: symbols number 10^5. */
static char *section_letters(const struct ks_elf *e)
{
	char *l = malloc(e->shnum ? e->shnum : 1);

	for (size_t i = 0; l && i < e->shnum; i++) {
		struct ks_elf_shdr sh;
		/* bfd puts a symbol of a section it cannot read in *ABS* */
		l[i] = ks_elf_shdr(e, i, &sh) ? section_letter(e, &sh) : 'a';
	}
	return l;
}

/* nm's letter for a symbol (bfd/syms.c bfd_decode_symclass). */
static char nm_type(const struct ks_elf *e, const char *letters, const struct elf_sym *s)
{
	unsigned bind = s->info >> 4, type = s->info & 15;
	char c;

	if (s->shndx == SHN_COMMON)
		return 'C';
	if (s->shndx == SHN_UNDEF)
		return bind == STB_WEAK ? (type == STT_OBJECT ? 'v' : 'w') : 'U';
	if (type == STT_GNU_IFUNC)
		return 'i';
	if (bind == STB_WEAK)
		return type == STT_OBJECT ? 'V' : 'W';
	if (bind == STB_GNU_UNIQUE)
		return 'u';
	if (bind != STB_LOCAL && bind != STB_GLOBAL)
		return '?';
	if (s->shndx == SHN_ABS || s->shndx >= SHN_LORESERVE || s->shndx >= e->shnum)
		c = 'a';
	else
		c = letters[s->shndx];
	return bind == STB_GLOBAL && c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

struct nm_entry {
	uint64_t addr;
	const char *name;
	uint32_t index;
	char type;
	bool undefined;
};

/* nm -n (binutils nm.c numeric_forward): undefined symbols first, then by
 * value, then by name (strcoll, and the kernel build runs nm under
 * LC_COLLATE=C); the symbol index makes the order total. */
static int cmp_entry(const void *a, const void *b)
{
	const struct nm_entry *x = a, *y = b;

	if (x->undefined != y->undefined)
		return x->undefined ? -1 : 1;
	if (!x->undefined && x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return (x->index > y->index) - (x->index < y->index);
}

struct symtab {
	struct ks_elf e;
	struct span syms, strs;
	size_t count;
};

static struct ksyms_error *find_symtab(struct span data, struct symtab *st)
{
	struct ks_elf_shdr sh, str;
	struct ksyms_error *err = ks_elf_parse(data, &st->e);
	size_t i;

	if (err)
		return err;
	for (i = 1; i < st->e.shnum; i++)
		if (ks_elf_shdr(&st->e, i, &sh) && sh.type == KS_SHT_SYMTAB)
			break;
	if (i >= st->e.shnum)
		return ks_error(KSYMS_ERR_NOT_FOUND, "no .symtab in the ELF (stripped)");
	if (sh.offset > SIZE_MAX || sh.size > SIZE_MAX || !ks_elf_shdr(&st->e, sh.link, &str) ||
	    str.type != KS_SHT_STRTAB || str.offset > SIZE_MAX || str.size > SIZE_MAX ||
	    !span_sub(data, (size_t)sh.offset, (size_t)sh.size, &st->syms) ||
	    !span_sub(data, (size_t)str.offset, (size_t)str.size, &st->strs))
		return ks_error_at((int64_t)sh.offset, ".symtab or its string table lies outside the file");
	st->count = st->syms.len / (st->e.is64 ? 24 : 16);
	return NULL;
}

/* The symbols nm lists, in nm -n order; entry 0 (the null symbol),
 * section and file symbols are debugging entries nm leaves out. */
static struct ksyms_error *collect(const struct symtab *st, const char *letters, struct nm_entry **ret,
				   size_t *ret_n)
{
	struct nm_entry *v = malloc((st->count ? st->count : 1) * sizeof(*v));
	size_t n = 0;

	if (!v)
		return &ks_enomem;
	for (size_t i = 1; i < st->count; i++) {
		struct elf_sym s;
		read_sym(&st->e, st->syms, i, &s);
		unsigned type = s.info & 15;
		if (type == STT_SECTION || type == STT_FILE || s.name == 0 ||
		    span_strnlen(st->strs, s.name, st->strs.len) == SIZE_MAX)
			continue;
		/* bfd shows a common symbol's size, not its alignment; an undefined
		 * symbol has no address (nm prints none): a value there is at most
		 * the PLT stub an executable points it at, and would put it out of
		 * the address order undefined symbols are listed in (found by
		 * fuzz_symtab) */
		v[n].addr = s.shndx == SHN_COMMON ? s.size : s.shndx == SHN_UNDEF ? 0 : s.value;
		v[n].name = (const char *)span_at(st->strs, s.name, 1);
		v[n].index = (uint32_t)i;
		v[n].type = nm_type(&st->e, letters, &s);
		v[n].undefined = s.shndx == SHN_UNDEF;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_entry);
	*ret = v;
	*ret_n = n;
	return NULL;
}

static struct ksyms_error *fill_table(const struct symtab *st, const struct nm_entry *v, size_t n,
				      struct ksyms_table *t)
{
	if (n == 0)
		return ks_error(KSYMS_ERR_NOT_FOUND, "the ELF .symtab has no symbols");
	for (size_t k = 0; k < n; k++)
		if (!ks_table_add(t, v[k].addr, v[k].type, v[k].name, strlen(v[k].name), NULL))
			return &ks_enomem;
	t->info.source_kind = KSYMS_SOURCE_SYMTAB;
	t->info.source = ksyms_source_kind_name(KSYMS_SOURCE_SYMTAB);
	t->info.word_size = st->e.is64 ? 8 : 4;
	t->info.byte_order = st->e.be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	t->info.arch = ks_arch_from_machine(st->e.machine, t->info.word_size);
	t->info.arch_source = "ELF header";
	t->info.num_syms = t->count;
	return NULL;
}

struct ksyms_error *ks_elfsym_load(struct span data, struct ksyms_table **ret)
{
	struct symtab st;
	struct nm_entry *v = NULL;
	size_t n = 0;
	struct ksyms_error *err = find_symtab(data, &st);

	if (err)
		return err;
	char *letters = section_letters(&st.e);
	struct ksyms_table *t = ks_table_new();
	if (!letters || !t)
		err = &ks_enomem;
	if (!err)
		err = collect(&st, letters, &v, &n);
	if (!err)
		err = fill_table(&st, v, n, t);
	free(v);
	free(letters);
	if (err) {
		ksyms_table_destroy(t);
		return err;
	}
	ks_table_addresses_stated(t);
	*ret = t;
	return NULL;
}
