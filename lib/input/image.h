/* SPDX-License-Identifier: MIT */
#ifndef KSYMS_INPUT_IMAGE_H
#define KSYMS_INPUT_IMAGE_H

#include "ksyms.h"
#include "decompress/decompress.h"
#include "kernel/kernel.h"

/* The limit on decompressed data when the options give none. */
#define KS_DEFAULT_MAX_OUTPUT (1ull << 30)

/*
 * ksyms_image_open() and _open_mem() with a question to ask each
 * decompression as its output grows (NULL: none): the entry layer's
 * early stop for callers that need only the kallsyms tables.
 */
struct ksyms_error *ks_image_open(const char *path, const struct ksyms_open_opts *opts, const struct ks_stop *stop,
				  struct ksyms_image **ret);
struct ksyms_error *ks_image_open_mem(const void *data, size_t len, const struct ksyms_open_opts *opts,
				      const struct ks_stop *stop, struct ksyms_image **ret);
/* What the options ask for, with the defaults, whatever their size. */
bool ks_open_opts_kallsyms_only(const struct ksyms_open_opts *opts);
uint64_t ks_open_opts_max_output(const struct ksyms_open_opts *opts);

/* The classified kernel of an opened image. */
const struct ks_kernel *ks_image_kernel(const struct ksyms_image *img);
/* Whether a layer was decompressed only as far as the kallsyms tables
 * (ksyms_open_opts.kallsyms_only): the kernel data is a prefix. */
bool ks_image_stopped_early(const struct ksyms_image *img);
/* Whether the caller asked for the kallsyms tables only (no exports). */
bool ks_image_kallsyms_only(const struct ksyms_image *img);
/* The memory dump the kernel was read from, or NULL (input/dump.h). */
struct ks_dump *ks_image_dump(const struct ksyms_image *img);
/* The input as opened, before any container or compression was unwrapped. */
struct span ks_image_file(const struct ksyms_image *img);

#endif
