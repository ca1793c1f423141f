/* SPDX-License-Identifier: MIT */
/* A bounds-checked ELF reader: headers, program headers, sections. Both
 * classes, both byte orders; every field read through the span. */
#ifndef KSYMS_INPUT_ELF_H
#define KSYMS_INPUT_ELF_H

#include <stdbool.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/span.h"

enum { KS_PT_LOAD = 1, KS_SHT_SYMTAB = 2, KS_SHT_STRTAB = 3, KS_SHT_RELA = 4, KS_SHT_NOBITS = 8, KS_SHT_REL = 9 };

struct ks_elf {
	struct span data;
	bool is64, be;
	uint16_t type, machine;
	uint64_t entry;
	uint64_t phoff, shoff;
	uint16_t phentsize, phnum, shentsize, shnum, shstrndx;
};

struct ks_elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct ks_elf_shdr {
	const char *name; /* points into the data, NUL-terminated, or "" */
	uint32_t type;
	uint64_t flags, addr, offset, size, entsize, addralign;
	uint32_t link, info;
};

/* True if @data starts with the ELF magic. */
bool ks_elf_is_elf(struct span data);
/* Parse and check the headers; the tables are read lazily. */
struct ksyms_error *ks_elf_parse(struct span data, struct ks_elf *ret);
bool ks_elf_phdr(const struct ks_elf *e, size_t i, struct ks_elf_phdr *ret);
bool ks_elf_shdr(const struct ks_elf *e, size_t i, struct ks_elf_shdr *ret);
bool ks_elf_section_by_name(const struct ks_elf *e, const char *name, struct ks_elf_shdr *ret);

#endif
