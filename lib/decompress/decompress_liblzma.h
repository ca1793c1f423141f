/* SPDX-License-Identifier: MIT */
/* What the xz and lzma codecs share: both are liblzma streams. */
#ifndef KSYMS_DECOMPRESS_LIBLZMA_H
#define KSYMS_DECOMPRESS_LIBLZMA_H

#include <lzma.h>

#include "decompress.h"

/* malloc and free, with huge pages under a large dictionary */
extern const lzma_allocator ks_liblzma_allocator;
/* The decoder memory limit for an output cap of @cap bytes. */
uint64_t ks_liblzma_memlimit(uint64_t cap);
ks_step_fn ks_liblzma_step;
/* Run the initialised (per @init) decoder @s over @in, then end it. */
struct ksyms_error *ks_liblzma_run(const char *codec, lzma_stream *s, lzma_ret init, struct span in, uint64_t cap,
				   struct ks_buf *out, struct ks_decomp_result *r);

#endif
