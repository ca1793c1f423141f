// SPDX-License-Identifier: MIT
/*
 * Classifying the innermost data: an ELF vmlinux (program headers give
 * virtual addresses), an arm64 or RISC-V Image (a documented 64-byte
 * header: Documentation/arch/arm64/booting.rst, riscv/boot-image-header.rst),
 * or raw bytes (a decompressed payload, a dump).
 */
#include <stdlib.h>
#include <string.h>

#include "elf.h"
#include "kernel.h"
#include "core/error.h"

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
	return NULL;
}

static void classify_image(struct span data, struct ks_kernel *k)
{
	uint64_t v;

	if (span_eq(data, 0x38, "ARM\x64", 4)) {
		k->format = "arm64 Image";
		k->arch = "arm64";
		k->arch_source = "arm64 Image header";
		k->word_size = 8;
		/* flags bit 0: kernel endianness, 1 = big */
		if (span_u64(data, 0x18, false, &v))
			k->byte_order = (v & 1) ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
		k->has_text_offset = span_u64(data, 0x08, false, &k->text_offset);
	} else if (span_eq(data, 0x38, "RSC\x05", 4) || span_eq(data, 0x30, "RISCV\0\0\0", 8)) {
		k->format = "riscv Image";
		k->arch = "riscv64";
		k->arch_source = "RISC-V Image header";
		k->byte_order = KSYMS_ENDIAN_LITTLE;
		k->has_text_offset = span_u64(data, 0x08, false, &k->text_offset);
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

void ks_kernel_deinit(struct ks_kernel *k)
{
	free(k->segs);
	k->segs = NULL;
	k->nsegs = 0;
}

bool ks_kernel_banner(struct span data, size_t *ret_off, size_t *ret_len)
{
	static const char tag[] = "Linux version ";
	size_t from = 0, at;

	while ((at = span_find(data, from, tag, sizeof(tag) - 1)) != SIZE_MAX) {
		size_t v = at + sizeof(tag) - 1;
		uint8_t c;
		if (span_u8(data, v, &c) && c >= '0' && c <= '9') {
			size_t len = 0;
			while (len < 512 && span_u8(data, at + len, &c) && c >= 0x20 && c < 0x7f)
				len++;
			*ret_off = at;
			*ret_len = len;
			return true;
		}
		from = at + 1;
	}
	return false;
}
