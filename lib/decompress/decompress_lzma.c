// SPDX-License-Identifier: MIT
/*
 * The legacy .lzma ("LZMA_Alone") format that the kernel's `lzma -9`
 * writes: 13-byte header, then raw LZMA.  Piped input gives an unknown
 * size (all ones) and an end-of-payload marker; a known size ends the
 * stream by itself.  Both are liblzma's alone decoder.
 */
#include "decompress.h"

#ifdef HAVE_LZMA
#include "decompress_liblzma.h"

struct ksyms_error *ks_unlzma(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	return ks_liblzma_run("lzma", false, in, cap, out, r);
}
#endif
