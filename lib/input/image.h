/* SPDX-License-Identifier: MIT */
#ifndef KSYMS_INPUT_IMAGE_H
#define KSYMS_INPUT_IMAGE_H

#include "ksyms.h"
#include "kernel.h"

/* The classified kernel of an opened image. */
const struct ks_kernel *ks_image_kernel(const struct ksyms_image *img);
/* Whether a layer was decompressed only as far as the kallsyms tables
 * (ksyms_open_opts.kallsyms_only): the kernel data is a prefix. */
bool ks_image_stopped_early(const struct ksyms_image *img);
/* The input as opened, before any container or compression was unwrapped. */
struct span ks_image_file(const struct ksyms_image *img);

#endif
