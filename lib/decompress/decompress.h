/* SPDX-License-Identifier: MIT */
/*
 * Decompression: one entry point, a table of codecs.  Each codec is backed
 * by a Debian library and compiled only when meson found it; a codec that
 * is not built in reports KSYMS_ERR_UNSUPPORTED naming the package.
 * Output is always capped: reaching the cap is KSYMS_ERR_TOO_LARGE, so a
 * compression bomb is an error, not an out-of-memory kill.
 */
#ifndef KSYMS_DECOMPRESS_H
#define KSYMS_DECOMPRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/buf.h"
#include "core/span.h"

enum ks_codec {
	KS_CODEC_GZIP,
	KS_CODEC_XZ,
	KS_CODEC_LZMA,
	KS_CODEC_BZIP2,
	KS_CODEC_LZO,
	KS_CODEC_LZ4,        /* standard frame */
	KS_CODEC_LZ4_LEGACY, /* the kernel's legacy frame (lz4 -l) */
	KS_CODEC_ZSTD,
	KS_CODEC_COUNT
};

struct ks_decomp_result {
	size_t consumed;  /* input bytes used by the stream */
	bool truncated;   /* the input ended before the stream did */
};

const char *ks_codec_name(enum ks_codec c);
/* True if a stream of codec @c can start at @off (checks the magic). */
bool ks_codec_magic(struct span in, size_t off, enum ks_codec c);
/* The codec whose magic is at @off, if any. */
bool ks_codec_detect(struct span in, size_t off, enum ks_codec *ret);
/* Whether this build can decode @c. */
bool ks_codec_available(enum ks_codec c);

/*
 * Decompress one stream starting at the beginning of @in into @out
 * (appending), producing at most @cap bytes.  Data after the stream is
 * ignored.  A stream cut short by the end of @in is not an error: the
 * output so far is kept and result->truncated is set.
 */
struct ksyms_error *ks_decompress(enum ks_codec c, struct span in, uint64_t cap, struct ks_buf *out,
				  struct ks_decomp_result *result);

/* Per-codec entry points (decompress_<codec>.c). */
struct ksyms_error *ks_gunzip(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r);

#endif
