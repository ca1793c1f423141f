/* SPDX-License-Identifier: MIT */
/*
 * The kernel's BTF (CONFIG_DEBUG_INFO_BTF): the .BTF blob that the kernel
 * exposes as /sys/kernel/btf/vmlinux, between __start_BTF and __stop_BTF.
 * It is found by those symbols when the table has data symbols
 * (CONFIG_KALLSYMS_ALL), by the ELF's .BTF section header, or else by a
 * scan for its header; every candidate is validated before it is accepted:
 * the header (magic 0xeB9F, version 1, header length), the type and string
 * sections inside the blob, the strings NUL-terminated, and a walk over
 * every type that must end exactly at the end of the type section with
 * every name inside the strings and every referenced type id defined.
 */
#ifndef KSYMS_BTF_H
#define KSYMS_BTF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/log.h"
#include "core/span.h"
#include "kernel/kernel.h"
#include "table/table.h"

enum { KS_BTF_MAGIC = 0xeb9f, KS_BTF_HDR_MIN = 24 };

/* Validate the BTF blob at the start of @blob (which may extend past its
 * end), in byte order @be.  On success *ret_size is the blob's size and
 * *ret_types its number of types.  Errors name the file offset (blob.origin
 * based). */
struct ksyms_error *ks_btf_check(struct span blob, bool be, size_t *ret_size, uint32_t *ret_types);

/* Whether @k is an ELF with a .BTF section header (so that no table is needed). */
bool ks_btf_in_elf(const struct ks_kernel *k);

/* Find and validate the BTF of kernel @k.  @t (may be NULL) is its decoded
 * table, for __start_BTF/__stop_BTF; @log (may be NULL) hears of rejected
 * candidates.  KSYMS_ERR_NOT_FOUND when the kernel
 * has none. */
struct ksyms_error *ks_btf_locate(const struct ks_kernel *k, struct ksyms_table *t, const struct ks_log *log,
				  struct ksyms_btf_info *ret);

#endif
