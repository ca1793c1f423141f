/* SPDX-License-Identifier: MIT */
/*
 * Vouching for decoded addresses.  Decoding a raw kernel infers things the
 * image does not state (its load address, a relative_base the boot-time
 * relocation fills in, the word size), and a wrong inference gives a
 * listing that looks fine with every address wrong.  So before the table
 * is handed out, its addresses are compared with facts about the image
 * that the inference did not use, and the table says which held:
 *
 *   entry       the entry point the kernel's header states (ELF e_entry,
 *               the branch an arm64/RISC-V Image starts with, a LoongArch
 *               header's entry) is where a symbol starts
 *   banner      linux_banner is where "Linux version " is
 *   tables      the kallsyms_* symbols are where the tables were found
 *   pointers    function pointers stored in the kernel's data equal
 *               function symbols' addresses far beyond chance
 *   exports     __ksymtab entries land on the symbols they name
 *   text-range  the text symbols lie inside the kernel's bytes
 *
 * A fact that compares a symbol's address with the image base plus a data
 * offset vouches for the addresses only when the two did not come from
 * one inference (7.x place-relative offsets are the base plus offsets; a
 * base found from the table's own symbols moves with them): such a check
 * still catches a misread table, but is marked not independent.  The
 * addresses are verified when an independent check held and none failed.
 */
#ifndef KSYMS_VERIFY_H
#define KSYMS_VERIFY_H

#include <stdbool.h>

#include "ksyms.h"
#include "kernel/kernel.h"
#include "table/table.h"

/* Check the decoded table @t of kernel @k and record the verdict in
 * t->info.  @prefix: the kernel data is only a prefix of the kernel
 * (decompressed as far as kallsyms), so a fact that lies after it is
 * missing, not contradicted.  Fails only when out of memory. */
struct ksyms_error *ks_verify_table(const struct ks_kernel *k, struct ksyms_table *t, bool prefix);

/* ks_verify_table() in two parts: the checks of the symbols against the
 * image (entry, banner, tables, pointers), with scratch from @scratch,
 * which need neither the exports nor the names beyond the landmarks and
 * may run while the exports are read (pipeline.c); then the rest
 * (exports, VMCOREINFO, text range) and the verdict.  The checks keep
 * ks_verify_table()'s order. */
struct ksyms_error *ks_verify_symbols(const struct ks_kernel *k, struct ksyms_table *t, bool prefix,
				      struct ks_arena *scratch);
void ks_verify_rest(const struct ks_kernel *k, struct ksyms_table *t, bool prefix);


#endif
