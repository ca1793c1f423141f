/* SPDX-License-Identifier: MIT */
/*
 * File offset <-> virtual address for the kernel data (the innermost
 * layer): through an ELF's PT_LOAD segments, or one base for a raw image
 * (the base kallsyms decoding found, ksyms_info.base).  Readers of
 * pointer tables inside the kernel (the ksymtab, IKCONFIG neighbours) use
 * it to follow a pointer to the bytes it points at.
 */
#ifndef KSYMS_INPUT_VAMAP_H
#define KSYMS_INPUT_VAMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel.h"

struct ks_vamap {
	const struct ks_segment *segs; /* borrowed from the ks_kernel; NULL for a raw image */
	size_t nsegs;
	bool flat;     /* raw image with a known base */
	uint64_t base; /* flat: address of data offset 0 */
	uint64_t mask; /* addresses wrap at the kernel's word size */
	size_t len;    /* data length */
};

/* Set up the map of @k: its segments if it is an ELF, else base + offset
 * when @base_known.  @word_size (4 or 8) decides where addresses wrap. */
void ks_vamap_init(struct ks_vamap *m, const struct ks_kernel *k, bool base_known, uint64_t base, int word_size);
/* Whether any address can be mapped. */
bool ks_vamap_usable(const struct ks_vamap *m);
/* Address of data offset @off. */
bool ks_vamap_to_va(const struct ks_vamap *m, size_t off, uint64_t *ret);
/* Data offset of address @va, if the file holds that byte. */
bool ks_vamap_to_off(const struct ks_vamap *m, uint64_t va, size_t *ret);

#endif
