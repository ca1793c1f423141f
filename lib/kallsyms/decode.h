/* SPDX-License-Identifier: MIT */
#ifndef KSYMS_KALLSYMS_DECODE_H
#define KSYMS_KALLSYMS_DECODE_H

#include "kallsyms.h"
#include "core/error.h"
#include "table/table.h"

/* Expand every name of a located table into @t (addresses left 0). */
struct ksyms_error *ks_decode_names(const struct ks_ctx *ctx, const struct ks_found *f, struct ksyms_table *t);

/* Find and decode kallsyms in a classified kernel. */
struct ksyms_error *ks_kallsyms_load(const struct ks_kernel *k, const struct ksyms_find_opts *opts,
				     struct ksyms_table **ret);
/* The same for a prefix of a kernel being decompressed (the early-stop
 * question): where the addresses would need a kallsyms_relative_base
 * inferred from the whole kernel, it fails at once with
 * *ret_relbase_wanted set instead of inferring one from the prefix. */
struct ksyms_error *ks_kallsyms_probe(const struct ks_kernel *k, const struct ksyms_find_opts *opts,
				      struct ksyms_table **ret, bool *ret_relbase_wanted);

#endif
