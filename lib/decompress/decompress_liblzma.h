/* SPDX-License-Identifier: MIT */
/* What the xz and lzma codecs share: both are liblzma streams. */
#ifndef KSYMS_DECOMPRESS_LIBLZMA_H
#define KSYMS_DECOMPRESS_LIBLZMA_H

#include "codec_libs.h"
#include "decompress.h"

/* Start @s as an .xz stream decoder (@xz) or an .lzma one, run it over
 * @in, then end it. */
struct ksyms_error *ks_liblzma_run(const char *codec, bool xz, struct span in, uint64_t cap, struct ks_buf *out,
				   struct ks_decomp_result *r);

#endif
