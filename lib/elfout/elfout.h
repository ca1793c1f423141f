/* SPDX-License-Identifier: MIT */
/*
 * The ELF writer: a kernel's bytes (struct ks_kernel) and a symbol table
 * into an ELF that debuggers and disassemblers read (ksyms.h,
 * ksyms_elf_write).  The entry layer finds the BTF and hands it in; the
 * writer reads the kernel and the tables, never the image.
 */
#ifndef KSYMS_ELFOUT_H
#define KSYMS_ELFOUT_H

#include "ksyms.h"
#include "kernel/kernel.h"
#include "table/table.h"

struct ks_elfout_in {
	const struct ks_kernel *k;
	struct ksyms_table *own;          /* decoded from k: base, arch, word size, byte order (NULL: ELF input) */
	struct ksyms_table *syms;         /* the symbols to write */
	const struct ksyms_btf_info *btf; /* the kernel's BTF, or NULL */
	bool has_slide;
	uint64_t slide;
	ksyms_log_fn *log;
	void *log_ctx;
	enum ksyms_log_level log_level;
};

struct ksyms_error *ks_elfout_write(const struct ks_elfout_in *in, ksyms_write_fn *write, void *ctx,
				    struct ksyms_elf_result *ret);

#endif
