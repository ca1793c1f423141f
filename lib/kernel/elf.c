// SPDX-License-Identifier: MIT
#include <string.h>

#include "elf.h"
#include "core/error.h"
#include "core/overflow.h"

bool ks_elf_is_elf(struct span data)
{
	return span_eq(data, 0, "\177ELF", 4);
}

static uint64_t field(const struct ks_elf *e, const uint8_t *p, size_t off32, size_t off64, unsigned size32,
		      unsigned size64)
{
	if (e->is64)
		return size64 == 8 ? load64(p + off64, e->be) : size64 == 4 ? load32(p + off64, e->be)
									: load16(p + off64, e->be);
	return size32 == 4 ? load32(p + off32, e->be) : load16(p + off32, e->be);
}

/* Does a table of @n entries of @entsize at @off fit in the data? */
static bool table_fits(struct span d, uint64_t off, uint64_t n, uint64_t entsize)
{
	uint64_t bytes;

	return !__builtin_mul_overflow(n, entsize, &bytes) && off <= d.len && bytes <= d.len - off;
}

struct ksyms_error *ks_elf_parse(struct span d, struct ks_elf *e)
{
	const uint8_t *h = span_at(d, 0, 52);

	if (!h || !ks_elf_is_elf(d))
		return ks_error_at(0, "not an ELF file");
	if (h[4] != 1 && h[4] != 2)
		return ks_error_at(4, "ELF class %u is neither 32 nor 64-bit", h[4]);
	if (h[5] != 1 && h[5] != 2)
		return ks_error_at(5, "ELF data encoding %u is neither little nor big-endian", h[5]);
	memset(e, 0, sizeof(*e));
	e->data = d;
	e->is64 = h[4] == 2;
	e->be = h[5] == 2;
	if (e->is64 && !(h = span_at(d, 0, 64)))
		return ks_error_at(0, "ELF header truncated");
	e->type = (uint16_t)field(e, h, 16, 16, 2, 2);
	e->machine = (uint16_t)field(e, h, 18, 18, 2, 2);
	e->entry = field(e, h, 24, 24, 4, 8);
	e->phoff = field(e, h, 28, 32, 4, 8);
	e->shoff = field(e, h, 32, 40, 4, 8);
	e->phentsize = (uint16_t)field(e, h, 42, 54, 2, 2);
	e->phnum = (uint16_t)field(e, h, 44, 56, 2, 2);
	e->shentsize = (uint16_t)field(e, h, 46, 58, 2, 2);
	e->shnum = (uint16_t)field(e, h, 48, 60, 2, 2);
	e->shstrndx = (uint16_t)field(e, h, 50, 62, 2, 2);

	unsigned min_ph = e->is64 ? 56 : 32, min_sh = e->is64 ? 64 : 40;
	if (e->phnum && (e->phentsize < min_ph || !table_fits(d, e->phoff, e->phnum, e->phentsize)))
		return ks_error_at((int64_t)e->phoff,
				   "ELF program headers (%u entries of %u bytes at 0x%llx) lie outside the file (%zu bytes)",
				   e->phnum, e->phentsize, (unsigned long long)e->phoff, d.len);
	if (e->shnum && (e->shentsize < min_sh || !table_fits(d, e->shoff, e->shnum, e->shentsize))) {
		/* stripped or truncated section headers: keep the segments */
		e->shnum = 0;
	}
	return NULL;
}

bool ks_elf_phdr(const struct ks_elf *e, size_t i, struct ks_elf_phdr *r)
{
	if (i >= e->phnum)
		return false;
	const uint8_t *p = span_at(e->data, (size_t)e->phoff + i * e->phentsize, e->phentsize);
	if (!p)
		return false;
	r->type = (uint32_t)field(e, p, 0, 0, 4, 4);
	r->flags = (uint32_t)field(e, p, 24, 4, 4, 4);
	r->offset = field(e, p, 4, 8, 4, 8);
	r->vaddr = field(e, p, 8, 16, 4, 8);
	r->paddr = field(e, p, 12, 24, 4, 8);
	r->filesz = field(e, p, 16, 32, 4, 8);
	r->memsz = field(e, p, 20, 40, 4, 8);
	r->align = field(e, p, 28, 48, 4, 8);
	return true;
}

static const char *section_name(const struct ks_elf *e, uint32_t name_off)
{
	struct ks_elf_shdr strtab;

	if (e->shstrndx >= e->shnum || e->shstrndx == 0)
		return "";
	const uint8_t *p = span_at(e->data, (size_t)e->shoff + (size_t)e->shstrndx * e->shentsize, e->shentsize);
	if (!p)
		return "";
	strtab.offset = field(e, p, 16, 24, 4, 8);
	strtab.size = field(e, p, 20, 32, 4, 8);
	if (name_off >= strtab.size || !table_fits(e->data, strtab.offset, strtab.size, 1))
		return "";
	struct span s = span_make(e->data.p + strtab.offset, (size_t)strtab.size, strtab.offset);
	if (span_strnlen(s, name_off, s.len) == SIZE_MAX)
		return "";
	return (const char *)s.p + name_off;
}

bool ks_elf_shdr(const struct ks_elf *e, size_t i, struct ks_elf_shdr *r)
{
	if (i >= e->shnum)
		return false;
	const uint8_t *p = span_at(e->data, (size_t)e->shoff + i * e->shentsize, e->shentsize);
	if (!p)
		return false;
	r->name = section_name(e, (uint32_t)field(e, p, 0, 0, 4, 4));
	r->type = (uint32_t)field(e, p, 4, 4, 4, 4);
	r->flags = field(e, p, 8, 8, 4, 8);
	r->addr = field(e, p, 12, 16, 4, 8);
	r->offset = field(e, p, 16, 24, 4, 8);
	r->size = field(e, p, 20, 32, 4, 8);
	r->link = (uint32_t)field(e, p, 24, 40, 4, 4);
	r->info = (uint32_t)field(e, p, 28, 44, 4, 4);
	r->addralign = field(e, p, 32, 48, 4, 8);
	r->entsize = field(e, p, 36, 56, 4, 8);
	return true;
}

bool ks_elf_section_by_name(const struct ks_elf *e, const char *name, struct ks_elf_shdr *r)
{
	for (size_t i = 1; i < e->shnum; i++)
		if (ks_elf_shdr(e, i, r) && strcmp(r->name, name) == 0)
			return true;
	return false;
}
