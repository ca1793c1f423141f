/* SPDX-License-Identifier: MIT */
/*
 * Memory dumps: a producer of kernel bytes beside the container chain.
 *
 * A dump holds physical memory, not a kernel file: an ELF core (kdump's
 * /proc/vmcore copied out, makedumpfile -E, QEMU dump-guest-memory), a
 * kdump-compressed file (makedumpfile's diskdump format, plain or
 * "flattened" as QEMU writes it), a LiME capture, or raw memory.  Opening
 * one (dump.c) reads its headers and notes (VMCOREINFO, the CPU state),
 * finds the running kernel's image in it, and hands on a window of memory
 * that holds it, with the virtual address of every byte when something
 * states them: VMCOREINFO, the kernel's page tables, or nothing (then the
 * decoder infers them as for a raw image).  Everything is read through the
 * mapped file; only the window (tens of MiB) and one page at a time of a
 * compressed dump are ever copied.
 *
 *   dump.c        detection, the kernel window, the facts for ks_kernel
 *   dump_elf.c    ELF cores: PT_LOAD ranges, notes
 *   dump_kdump.c  kdump-compressed: headers, bitmaps, page descriptors, pages
 *   dump_flat.c   makedumpfile's flattened format: an index of its records
 *   dump_lime.c   LiME range headers; raw memory
 *   dump_mmu.c    x86-64 page tables (4- and 5-level)
 */
#ifndef KSYMS_INPUT_DUMP_H
#define KSYMS_INPUT_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/log.h"
#include "core/span.h"
#include "kernel/kernel.h"
#include "kernel/vmcoreinfo.h"

/* A run of physical memory stored as plain bytes in the file; bytes past
 * @file_size (an ELF p_memsz beyond p_filesz) read as zero. */
struct ks_dump_range {
	uint64_t pa, size;
	uint64_t file_off, file_size;
};

/* The flattened format's records, sorted by their place in the logical file. */
struct ks_flat_rec {
	uint64_t off, size; /* in the logical (plain) file */
	uint64_t at;        /* where the data is in the flattened file */
};

struct ks_kdump {
	bool be;
	uint32_t header_version;
	uint32_t block_size;
	uint64_t max_mapnr;
	struct span bitmap2;  /* the pages dumped */
	uint64_t desc_off;    /* page descriptors, in the logical file */
	uint64_t *rank;       /* dumped pages before each 512-bit chunk of bitmap2 */
	size_t nrank;
	uint64_t phys_base;   /* the sub-header's (QEMU writes it wrong: memory-dumps.md) */
	uint8_t *page;        /* the last page read, decompressed */
	uint8_t *cbuf;        /* a compressed page copied out of a flattened file */
	uint64_t cached_pfn;
	bool cached;
	char utsname_machine[66];
	char utsname_release[66];
	unsigned codecs_seen; /* bit per ks_page_codec */
	unsigned unsupported; /* ... of which this build cannot decode */
	uint8_t *notes;       /* the ELF notes, copied out */
	uint8_t *bitmap_copy; /* the bitmap, when the file does not hold it in one piece */
};

/* A run of the kernel's virtual mapping: [va, va+size) -> [pa, pa+size). */
struct ks_map_run {
	uint64_t va, pa, size;
};

struct ks_dump {
	struct span file;          /* the file as mapped */
	const struct ks_log *log;
	const char *format;        /* "ELF core", "kdump-compressed", "LiME", "raw memory" */
	const char *producer;      /* "QEMU dump-guest-memory", "makedumpfile", ... or NULL */
	char desc[512];

	/* physical memory: plain ranges (ELF, LiME, raw) or kdump pages */
	struct ks_dump_range *ranges;
	size_t nranges;
	bool is_kdump;
	struct ks_kdump kd;
	bool flat;                 /* kdump in the flattened format */
	struct ks_flat_rec *recs;
	size_t nrecs;

	/* what the headers and notes state */
	uint16_t e_machine;
	const char *arch;          /* "x86_64", "arm64", ... or NULL */
	bool arch_from_vmci;
	int word_size;
	bool be;
	uint64_t page_size;
	struct ks_vmcoreinfo vmci;
	const char *vmci_source;
	char vmci_where[96];
	uint8_t *vmci_copy;        /* VMCOREINFO copied out of memory or a flattened file */
	bool has_cr3;
	uint64_t cr3, cr4;
	unsigned cpus;             /* CPU state notes seen */
	bool notes_bad;            /* a note ran past its segment: the rest were skipped */

	/* the kernel window */
	uint8_t *window;           /* owned copy, or NULL when it is a span of the file */
	struct span data;
	struct ks_phys_piece *pieces;
	size_t npieces;
	bool va_known;
	uint64_t va;               /* virtual address of data offset 0 */
	const char *va_source;
	uint64_t missing;          /* bytes of the window the dump does not hold (read as zero) */
	uint64_t kernel_pa;        /* physical address of data offset 0 */
	struct ks_dump_facts facts;
	struct ksyms_dump_info pub;
	char osrelease[65];
	char facts_where[160];

	/* page-table walking (dump_mmu.c) */
	bool mmu_ready;
	uint64_t mmu_root;
	int mmu_levels;
};

/* The limits of one open (the caller's max_output caps the window). */
struct ks_dump_opts {
	uint64_t max_window;
	const struct ks_log *log;
	/* raw memory: only with VMCOREINFO found in it (else NOT_FOUND, and
	 * the file is read as a raw kernel image) */
	bool raw;
};

/* Whether @file is a memory dump this reader knows; no allocation. */
bool ks_dump_detect(struct span file);
/* Open the dump in @file (which must stay mapped), find the kernel's image
 * and fill @k with the window that holds it. */
struct ksyms_error *ks_dump_open(struct span file, const struct ks_dump_opts *o, struct ks_dump **ret);
void ks_dump_destroy(struct ks_dump *d);
/* Fill @k (borrowing from @d) for the kallsyms decoder and its consumers. */
struct ksyms_error *ks_dump_kernel(struct ks_dump *d, struct ks_kernel *k);

/* Read physical memory; bytes the dump does not hold read as zero and are
 * counted in *ret_missing (may be NULL).  False for a corrupt page (the
 * bytes are zeroed) or when nothing of the range is in the dump. */
bool ks_dump_read_pa(struct ks_dump *d, uint64_t pa, void *buf, size_t len, uint64_t *ret_missing);
/* Read kernel virtual memory: through the window, else the page tables. */
bool ks_dump_read_va(struct ks_dump *d, uint64_t va, void *buf, size_t len);
/* The physical address of data offset @off of the window. */
bool ks_dump_off_to_pa(const struct ks_dump *d, uint64_t off, uint64_t *ret);

/* dump_elf.c */
bool ks_dump_elf_detect(struct span file);
struct ksyms_error *ks_dump_elf_open(struct ks_dump *d);
/* dump_kdump.c */
bool ks_dump_kdump_detect(struct span file);
struct ksyms_error *ks_dump_kdump_open(struct ks_dump *d);
bool ks_kdump_read_page(struct ks_dump *d, uint64_t pfn, const uint8_t **ret, bool *ret_missing);
void ks_kdump_free(struct ks_kdump *kd);
/* dump_flat.c */
bool ks_dump_flat_detect(struct span file);
struct ksyms_error *ks_dump_flat_index(struct ks_dump *d);
/* Read the logical file (plain: the span; flattened: through the index). */
bool ks_dump_file_read(const struct ks_dump *d, uint64_t off, void *buf, size_t len);
/* A pointer to @len bytes of the logical file when they are contiguous in
 * the real one, else NULL. */
const uint8_t *ks_dump_file_at(const struct ks_dump *d, uint64_t off, size_t len);
/* dump_lime.c */
bool ks_dump_lime_detect(struct span file);
struct ksyms_error *ks_dump_lime_open(struct ks_dump *d);
/* Big enough to be memory, and no kernel file's header at its start. */
bool ks_dump_raw_detect(struct span file);
struct ksyms_error *ks_dump_raw_open(struct ks_dump *d);
/* Sort the ranges by physical address, cutting overlaps (dump_elf.c). */
void ks_dump_sort_ranges(struct ks_dump *d);
/* Parse ELF notes in [off, off+len) of the file (ELF cores and kdump headers). */
void ks_dump_parse_notes(struct ks_dump *d, struct span notes);
/* dump_mmu.c: x86-64 page tables from @root (a physical address), read
 * through @d (all of the bytes asked for, or false). */
struct ks_pa_reader {
	bool (*read)(void *ctx, uint64_t pa, void *buf, size_t len);
	void *ctx;
};
bool ks_mmu_x86_translate(const struct ks_pa_reader *d, uint64_t root, int levels, uint64_t va, uint64_t *ret_pa,
			  uint64_t *ret_size);
/* The kernel image mapping (__START_KERNEL_map .. the top): contiguous
 * runs (va, pa, size) in @ret (up to @max); their count. */
size_t ks_mmu_x86_kernel_map(const struct ks_pa_reader *d, uint64_t root, int levels, struct ks_map_run *ret, size_t max);

#endif
