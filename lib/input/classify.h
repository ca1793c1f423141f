/* SPDX-License-Identifier: MIT */
/* Classifying the innermost layer of an image: the kernel's facts. */
#ifndef KSYMS_INPUT_CLASSIFY_H
#define KSYMS_INPUT_CLASSIFY_H

#include "kernel/kernel.h"

/* Classify @data: fill @ret (which borrows @data).  Never fails on unknown
 * data: that is a "raw" kernel. Returns an error only for an ELF whose
 * headers are malformed, or out of memory. */
struct ksyms_error *ks_kernel_classify(struct span data, struct ks_kernel *ret);

/* Whether @data starts with the header of an uncompressed kernel Image
 * (arm64, RISC-V, LoongArch): a kernel, not a decompressor around one. */
bool ks_kernel_has_image_header(struct span data);

#endif
