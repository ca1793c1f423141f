// SPDX-License-Identifier: MIT
/*
 * Classifying the innermost data: an ELF vmlinux (program headers give
 * virtual addresses), an arm64 or RISC-V Image (a documented 64-byte
 * header: Documentation/arch/arm64/booting.rst, riscv/boot-image-header.rst),
 * or raw bytes (a decompressed payload, a dump).
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/elf.h"
#include "classify.h"
#include "core/error.h"

/*
 * e_entry is a virtual address on most kernels, but x86 and some others
 * link it physical (ENTRY(phys_startup_64)): then the segment whose
 * p_paddr range holds it says where it is mapped.
 */
static void elf_entry(const struct ks_elf *e, struct ks_kernel *k)
{
	const struct ks_elf_phdr *phys = NULL;
	struct ks_elf_phdr ph, found;

	for (size_t i = 0; e->entry && i < e->phnum; i++) {
		if (!ks_elf_phdr(e, i, &ph) || ph.type != KS_PT_LOAD)
			continue;
		if (e->entry >= ph.vaddr && e->entry - ph.vaddr < ph.memsz) {
			k->has_entry_va = true;
			k->entry_va = e->entry;
			k->entry_source = "ELF e_entry";
			return;
		}
		if (!phys && e->entry >= ph.paddr && e->entry - ph.paddr < ph.memsz) {
			found = ph;
			phys = &found;
		}
	}
	if (phys) {
		k->has_entry_va = true;
		k->entry_va = phys->vaddr + (e->entry - phys->paddr);
		k->entry_source = "ELF e_entry, physical, through its segment";
	}
}

static struct ksyms_error *classify_elf(struct span data, struct ks_kernel *k)
{
	struct ks_elf e;
	struct ksyms_error *err = ks_elf_parse(data, &e);

	if (err)
		return err;
	k->format = "ELF vmlinux";
	k->word_size = e.is64 ? 8 : 4;
	k->byte_order = e.be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	k->e_machine = e.machine;
	k->arch = ks_arch_from_machine(e.machine, k->word_size);
	k->arch_source = "ELF header";
	k->segs = calloc(e.phnum ? e.phnum : 1, sizeof(*k->segs));
	if (!k->segs)
		return &ks_enomem;
	for (size_t i = 0; i < e.phnum; i++) {
		struct ks_elf_phdr ph;
		if (!ks_elf_phdr(&e, i, &ph) || ph.type != KS_PT_LOAD || ph.filesz == 0)
			continue;
		/* a truncated file (or a prefix decompressed only as far as
		 * kallsyms): map what is there of each segment */
		if (ph.offset >= data.len)
			continue;
		k->segs[k->nsegs].off = ph.offset;
		k->segs[k->nsegs].size = ph.filesz < data.len - ph.offset ? ph.filesz : data.len - ph.offset;
		k->segs[k->nsegs].vaddr = ph.vaddr;
		k->nsegs++;
	}
	struct ks_elf_shdr sh;
	if (ks_elf_section_by_name(&e, ".rela.dyn", &sh) && sh.type == KS_SHT_RELA &&
	    span_sub(data, (size_t)sh.offset, (size_t)sh.size, &k->rela))
		k->rela_is_rela = true;
	elf_entry(&e, k);
	return NULL;
}

/* An arm64 B instruction at @off (instructions are little-endian on every
 * arm64 kernel): its target as a data offset. */
static bool arm64_branch(struct span data, size_t off, size_t *ret)
{
	uint32_t insn;

	if (!span_u32(data, off, false, &insn) || (insn & 0xfc000000u) != 0x14000000u)
		return false;
	int64_t imm = (int64_t)((insn & 0x03ffffffu) ^ 0x02000000u) - 0x02000000; /* sign-extend 26 bits */
	int64_t to = (int64_t)off + imm * 4;
	if (to < 0 || (uint64_t)to >= data.len)
		return false;
	*ret = (size_t)to;
	return true;
}

/* A RISC-V JAL with rd = x0 ("j") at @off, or its compressed form C.J. */
static bool riscv_jump(struct span data, size_t off, size_t *ret)
{
	uint32_t insn;
	uint16_t half;
	int64_t imm;

	if (!span_u16(data, off, false, &half))
		return false;
	if ((half & 3) == 1 && (half >> 13) == 5) { /* C.J: imm[11|4|9:8|10|6|7|3:1|5] */
		imm = ((half >> 12) & 1) << 11 | ((half >> 11) & 1) << 4 | ((half >> 9) & 3) << 8 |
		      ((half >> 8) & 1) << 10 | ((half >> 7) & 1) << 6 | ((half >> 6) & 1) << 7 |
		      ((half >> 3) & 7) << 1 | ((half >> 2) & 1) << 5;
		imm = (imm ^ 0x800) - 0x800;
	} else if (span_u32(data, off, false, &insn) && (insn & 0xfff) == 0x06f) { /* JAL x0 */
		imm = (int64_t)((insn >> 31) & 1) << 20 | (int64_t)((insn >> 21) & 0x3ff) << 1 |
		      (int64_t)((insn >> 20) & 1) << 11 | (int64_t)((insn >> 12) & 0xff) << 12;
		imm = (imm ^ 0x100000) - 0x100000;
	} else {
		return false;
	}
	int64_t to = (int64_t)off + imm;
	if (to < 0 || (uint64_t)to >= data.len)
		return false;
	*ret = (size_t)to;
	return true;
}

static void set_entry_off(struct ks_kernel *k, size_t off, const char *source)
{
	k->has_entry_off = true;
	k->entry_off = off;
	k->entry_source = source;
}

/* The architecture an EFI stub's PE header names ("MZ", e_lfanew at 0x3c). */
static const char *pe_arch(struct span data)
{
	uint32_t pe;
	uint16_t machine;

	if (!span_eq(data, 0, "MZ", 2) || !span_u32(data, 0x3c, false, &pe) || !span_eq(data, pe, "PE\0\0", 4) ||
	    !span_u16(data, (size_t)pe + 4, false, &machine))
		return NULL;
	return ks_arch_from_pe_machine(machine);
}

/*
 * LoongArch Image (arch/loongarch/kernel/head.S, 6.1+): "MZ", then at 0x08
 * the entry point's physical address, 0x10 the image size, 0x18 the load
 * offset from the start of RAM (PHYS_LINK_KADDR), LINUX_PE_MAGIC at 0x38
 * and the PE header's offset at 0x3c.  The kernel runs in the cached
 * direct-mapped window (CSR_DMW1_BASE, 0x9000000000000000 on 64-bit), so
 * the first byte's virtual address is that window plus the load offset:
 * a convention, used only when the data itself ties nothing down.
 */
static void classify_loongarch(struct span data, struct ks_kernel *k)
{
	uint64_t entry, load;

	k->format = "loongarch Image";
	k->arch = "loongarch64";
	k->arch_source = "LoongArch Image header";
	k->word_size = 8;
	k->byte_order = KSYMS_ENDIAN_LITTLE;
	if (!span_u64(data, 0x08, false, &entry) || !span_u64(data, 0x18, false, &load))
		return;
	k->has_text_offset = true;
	k->text_offset = load;
	if (entry >= load && entry - load < data.len)
		set_entry_off(k, (size_t)(entry - load), "the LoongArch Image header's entry");
	if (load < (1ull << 48)) {
		k->has_image_base = true;
		k->image_base = 0x9000000000000000ull + load;
		k->image_base_source = "the LoongArch Image header (load offset in the cached window 0x9000000000000000)";
	}
}

static void classify_image(struct span data, struct ks_kernel *k)
{
	uint64_t v;
	uint32_t magic;
	size_t to;

	if (span_eq(data, 0x38, "ARM\x64", 4)) {
		k->format = "arm64 Image";
		k->arch = "arm64";
		k->arch_source = "arm64 Image header";
		k->word_size = 8;
		/* flags bit 0: kernel endianness, 1 = big */
		if (span_u64(data, 0x18, false, &v))
			k->byte_order = (v & 1) ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
		k->has_text_offset = span_u64(data, 0x08, false, &k->text_offset);
		/* code0 is "b stext", or the "MZ" instruction of an EFI stub
		 * followed by code1, "b primary_entry" */
		if (arm64_branch(data, 0, &to) || arm64_branch(data, 4, &to))
			set_entry_off(k, to, "the arm64 Image's first branch");
	} else if (span_eq(data, 0x38, "RSC\x05", 4) || span_eq(data, 0x30, "RISCV\0\0\0", 8)) {
		k->format = "riscv Image";
		k->arch = "riscv64";
		k->arch_source = "RISC-V Image header";
		k->byte_order = KSYMS_ENDIAN_LITTLE;
		k->has_text_offset = span_u64(data, 0x08, false, &k->text_offset);
		/* "j _start_kernel", after the "MZ" c.li of an EFI stub */
		if (riscv_jump(data, span_eq(data, 0, "MZ", 2) ? 2 : 0, &to))
			set_entry_off(k, to, "the RISC-V Image's first jump");
	} else if (span_u32(data, 0x38, false, &magic) && magic == 0x818223cdu &&
		   pe_arch(data) && strcmp(pe_arch(data), "loongarch64") == 0) {
		classify_loongarch(data, k);
	}
}

struct ksyms_error *ks_kernel_classify(struct span data, struct ks_kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->data = data;
	k->format = "raw";
	if (ks_elf_is_elf(data))
		return classify_elf(data, k);
	classify_image(data, k);
	return NULL;
}

bool ks_kernel_has_image_header(struct span data)
{
	struct ks_kernel k;

	memset(&k, 0, sizeof(k));
	classify_image(data, &k);
	return k.format != NULL;
}
