/* SPDX-License-Identifier: MIT */
/*
 * The facts about a kernel's bytes: the data, its architecture, word size
 * and byte order (and where each came from), the file offset <-> virtual
 * address map, the entry point its header states, relocation records.  A
 * plain type below both its producers and its consumers: input/ fills it
 * in from a container chain (classify.c), and kallsyms/, exports/ and
 * verify/ read it; neither side includes the other.
 */
#ifndef KSYMS_KERNEL_KERNEL_H
#define KSYMS_KERNEL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/span.h"
#include "vmcoreinfo.h"

/* One PT_LOAD segment of an ELF: data offsets [off, off+size) are at vaddr. */
struct ks_segment {
	uint64_t off, size, vaddr;
};

/* A named symbol of an ELF .symtab that the locator may use as a hint. */
struct ks_elf_hint {
	const char *name;
	uint64_t vaddr;
};

/* A piece of kernel data that a memory dump read from physical memory:
 * data offsets [off, off+size) are physical [pa, pa+size). */
struct ks_phys_piece {
	uint64_t off, pa, size;
};

/*
 * What a memory dump (input/dump.c) says about the kernel data it handed
 * on: a window of the dumped memory that holds the running kernel's image.
 * Its virtual addresses, when known, are the segments of struct ks_kernel.
 */
struct ks_dump_facts {
	const char *format;            /* "ELF core", "kdump-compressed", "LiME", "raw memory" */
	const char *producer;          /* "QEMU dump-guest-memory", "makedumpfile", ... or NULL */
	const struct ks_vmcoreinfo *vmcoreinfo; /* NULL if the dump has none */
	const char *vmcoreinfo_source; /* "ELF note", "kdump header", "found in memory at ..." */
	const char *va_source;         /* how the window's virtual addresses were found; NULL: not */
	uint64_t kernel_pa;            /* physical address of data offset 0 */
	const struct ks_phys_piece *pieces; /* data offset -> physical address */
	size_t npieces;
	uint64_t missing;              /* bytes of the window not in the dump (read as zero) */
};

struct ks_kernel {
	struct span data;
	const char *format;      /* "ELF vmlinux", "arm64 Image", "riscv Image", "loongarch Image", "raw" */
	const char *arch;        /* NULL if unknown */
	const char *arch_source;
	int word_size;           /* 4, 8, or 0 if unknown */
	enum ksyms_byte_order byte_order;
	uint16_t e_machine;      /* ELF machine, or 0 */

	/* ELF: file offset -> virtual address */
	struct ks_segment *segs;
	size_t nsegs;

	/* A base address a container stated (e.g. a uImage load address). */
	bool has_base_hint;
	uint64_t base_hint;
	const char *base_hint_source;

	/* A base the kernel's own header implies by convention (LoongArch:
	 * the load offset in the direct-mapped window), weaker than what the
	 * data shows: used only when nothing in the data ties offsets to
	 * addresses. */
	bool has_image_base;
	uint64_t image_base;
	const char *image_base_source;

	/* ELF: the .rela.dyn (or similar) section, for relocated words. */
	struct span rela;
	bool rela_is_rela;       /* Elf_Rela (with addend) rather than Elf_Rel */

	/* The open's limit on data produced from the input (max_output; 0 =
	 * the default): it also caps the expanded symbol names, which a
	 * hostile table can make hundreds of times larger than itself. */
	uint64_t max_output;

	/* raw Image headers: offset of the first byte from the start of RAM
	 * (text_offset), informational only. */
	bool has_text_offset;
	uint64_t text_offset;

	/* Where the kernel's header says execution starts, a fact that no
	 * symbol table inference touches: a virtual address (ELF e_entry,
	 * mapped through p_paddr when it is physical) or a data offset (the
	 * branch an arm64 or RISC-V Image starts with, the entry a LoongArch
	 * Image header states). */
	bool has_entry_va;
	uint64_t entry_va;
	bool has_entry_off;
	size_t entry_off;
	const char *entry_source;

	/* What the segments rest on, for what `info` says about the load
	 * address: NULL means the ELF program headers. */
	const char *segs_source;
	/* A memory dump's facts, or NULL for a kernel file. */
	const struct ks_dump_facts *dump;
};

/* Free what ks_kernel_classify() (input/classify.h) allocated. */
void ks_kernel_deinit(struct ks_kernel *k);

/* The "Linux version ..." banner, if present: offset and length, else false. */
bool ks_kernel_banner(struct span data, size_t *ret_off, size_t *ret_len);
/* The banner's length if one starts at @at. */
bool ks_kernel_banner_at(struct span data, size_t at, size_t *ret_len);

/* arch.c: architecture names and ELF machine numbers. */
const char *ks_arch_from_machine(uint16_t e_machine, int word_size);
uint16_t ks_machine_from_arch(const char *arch);
int ks_arch_word_size(const char *arch);
/* Guess the architecture from the names of decoded symbols. */
const char *ks_arch_from_symbols(const char *const *names, size_t n);
/* The architecture a PE/COFF machine type names (EFI stubs), or NULL. */
const char *ks_arch_from_pe_machine(uint16_t machine);
/* A container's architecture name ("arm64", uImage/FIT spelling) as ours, or NULL. */
const char *ks_arch_from_name(const char *name);
/* Whether a 64-bit kernel of @arch (NULL: any) has virtual addresses with these top 16 bits. */
bool ks_arch_va_top_ok(const char *arch, uint16_t top);
/* The same as a set looked up once, for loops over every word of a kernel:
 * one bit per top (8 KiB), so that a test is a load and a shift. */
struct ks_va_tops {
	uint64_t bits[1 << 10];
};
void ks_arch_va_tops(const char *arch, struct ks_va_tops *ret);
static inline bool ks_va_tops_has(const struct ks_va_tops *t, uint16_t top)
{
	return t->bits[top >> 6] >> (top & 63) & 1;
}

#endif
