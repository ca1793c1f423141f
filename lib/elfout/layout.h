/* SPDX-License-Identifier: MIT */
/* The ELF writer's working state, shared by its files (elfout.c is the
 * face; sections.c, regions.c, symtab.c and machine.c its helpers). */
#ifndef KSYMS_ELFOUT_LAYOUT_H
#define KSYMS_ELFOUT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/buf.h"
#include "core/log.h"
#include "kernel/kernel.h"
#include "table/table.h"

enum {
	SHT_NULL_ = 0, SHT_PROGBITS_ = 1, SHT_SYMTAB_ = 2, SHT_STRTAB_ = 3, SHT_NOBITS_ = 8,
	SHF_WRITE_ = 1, SHF_ALLOC_ = 2, SHF_EXECINSTR_ = 4,
	SHN_ABS_ = 0xfff1, SHN_LORESERVE_ = 0xff00,
	/* sections added for symbols that no section of their type holds */
	KS_MAX_EXTRA_SECTIONS = 4096,
};

/* Symbol classes: the section type a letter needs for nm to print it. */
enum ks_cls { CLS_NONE = 0, CLS_TEXT = 't', CLS_RODATA = 'r', CLS_DATA = 'd', CLS_BSS = 'b' };

struct ks_osec {
	const char *name;
	uint32_t type, link, info;
	uint64_t flags, addr, size, offset, align, entsize;
	char cls;          /* enum ks_cls of an allocated section */
	uint32_t name_off; /* in the output .shstrtab */
};

/* A piece of the kernel's bytes in the output file, loaded at vaddr. */
struct ks_oseg {
	uint64_t vaddr, paddr, off, filesz, memsz;
	uint32_t flags;
};

struct ks_elfw {
	const struct ks_kernel *k;
	struct ksyms_table *syms;
	struct ks_log log;
	bool is64, be;
	unsigned word;     /* 4 or 8 */
	uint64_t mask;     /* addresses wrap at the word size */
	uint64_t slide;
	bool elf_input;    /* the output starts with the input's bytes */
	const char *arch;
	bool arm;          /* EM_ARM: odd text addresses are Thumb code */

	struct ks_osec *secs; /* [0] is the null section */
	size_t nsecs, cap;
	uint32_t *by_addr;    /* allocated sections with bytes, by address */
	size_t nby;
	size_t extra;         /* zero-size sections added for symbols */

	struct ks_oseg *segs;
	size_t nsegs;

	/* the kernel's symbols by address (symorder.c) */
	uint32_t *order;
	size_t norder;

	/* .symtab and .strtab, built by symtab.c */
	struct ks_buf symtab, strtab;
	size_t nlocal, nsyms, nabs, mismatches;
	bool data_symbols;
};

/* sections.c */
enum ks_cls ks_cls_of_letter(char type);
enum ks_cls ks_cls_of_flags(uint32_t type, uint64_t flags);
void ks_sec_flags(enum ks_cls cls, uint32_t *ret_type, uint64_t *ret_flags);
/* Append a section; NULL when out of memory.  Pointers into secs are valid until the next add. */
struct ks_osec *ks_sec_add(struct ks_elfw *w, const char *name);
/* Sort the allocated sections with bytes by address for ks_sec_find(). */
bool ks_sec_index(struct ks_elfw *w);
/* The section for a symbol at @addr of class @cls (CLS_NONE: any). 0 if none fits. */
size_t ks_sec_find(struct ks_elfw *w, uint64_t addr, enum ks_cls cls);
/* A zero-size section of @cls at @addr, added once; 0 past the limit or out of memory. */
size_t ks_sec_extra(struct ks_elfw *w, uint64_t addr, enum ks_cls cls);
/* File offset in the output of address @va, if a segment holds the byte. */
bool ks_seg_off(const struct ks_elfw *w, uint64_t va, uint64_t *ret);

/* symorder.c: the kernel's symbols in address order (w->order), whether
 * any is a data symbol; and the lowest address of each of @n names (sorted
 * here) in one pass over the table. */
struct ksyms_error *ks_symorder_build(struct ks_elfw *w);
void ks_symorder_lookup(const struct ks_elfw *w, const char **names, size_t n, uint64_t *ret_addr, bool *ret_found);

/* regions.c: the sections of a kernel without section headers. */
struct ksyms_error *ks_regions_build(struct ks_elfw *w, const struct ksyms_btf_info *btf);

/* symtab.c */
struct ksyms_error *ks_symtab_build(struct ks_elfw *w);

/* machine.c */
void ks_machine(const struct ks_elfw *w, uint16_t *ret_machine, uint32_t *ret_flags);

#endif
