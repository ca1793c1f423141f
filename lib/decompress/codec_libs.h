/* SPDX-License-Identifier: MIT */
/*
 * The codec libraries, opened with dlopen() on first use instead of being
 * linked.  A raw Image or an ELF vmlinux needs none of them, and loading
 * six at start-up cost every run about 40 page faults: 1.4 ms of the
 * 26 ms `ksyms list` of the 7.2 arm64 Image on the benchmark machine,
 * where a page fault costs about 17 us (README, performance).
 *
 * Each library's entry points are looked up once per process, under a
 * lock, and never change after: shared by every image, safe from any
 * thread.  The headers are still needed to build (the types and
 * constants); `ldd libksyms.so` no longer lists the libraries, so the
 * Debian package depends on them by name (debian/control).
 */
#ifndef KSYMS_DECOMPRESS_CODEC_LIBS_H
#define KSYMS_DECOMPRESS_CODEC_LIBS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"

enum ks_lib {
	KS_LIB_ZLIB,
	KS_LIB_LZMA,
	KS_LIB_ZSTD,
	KS_LIB_LZ4,
	KS_LIB_BZIP2,
	KS_LIB_LZO,
	KS_LIB_SNAPPY,
	KS_LIB_COUNT
};

/* The entry points of library @l (one of the structs below), loading it
 * on the first call; NULL when it is not built in or cannot be loaded. */
const void *ks_lib_api(enum ks_lib l);
/* Whether @l was built in (found when ksyms was built). */
bool ks_lib_built(enum ks_lib l);
/* Why @what ("xz data") cannot be decoded: @l is not built in, or did not load. */
struct ksyms_error *ks_lib_error(enum ks_lib l, const char *what);

#ifdef HAVE_ZLIB
#include <zlib.h>
struct ks_zlib_api {
	/* inflateInit2() is a macro for inflateInit2_(s, bits, ZLIB_VERSION, sizeof(z_stream)) */
	int (*inflateInit2_)(z_streamp strm, int window_bits, const char *version, int stream_size);
	int (*inflate)(z_streamp strm, int flush);
	int (*inflateEnd)(z_streamp strm);
	int (*uncompress)(Bytef *dest, uLongf *dest_len, const Bytef *source, uLong source_len);
	uLong (*crc32)(uLong crc, const Bytef *buf, uInt len);
};
static inline const struct ks_zlib_api *ks_zlib(void)
{
	return (const struct ks_zlib_api *)ks_lib_api(KS_LIB_ZLIB);
}
#endif

#ifdef HAVE_LZMA
#include <lzma.h>
struct ks_lzma_api {
	lzma_ret (*stream_decoder)(lzma_stream *strm, uint64_t memlimit, uint32_t flags);
	lzma_ret (*alone_decoder)(lzma_stream *strm, uint64_t memlimit);
	lzma_ret (*code)(lzma_stream *strm, lzma_action action);
	void (*end)(lzma_stream *strm);
};
static inline const struct ks_lzma_api *ks_lzma(void)
{
	return (const struct ks_lzma_api *)ks_lib_api(KS_LIB_LZMA);
}
#endif

#ifdef HAVE_ZSTD
#include <zstd.h>
#include <zstd_errors.h>
struct ks_zstd_api {
	ZSTD_DCtx *(*createDCtx)(void);
	size_t (*freeDCtx)(ZSTD_DCtx *dctx);
	size_t (*DCtx_setParameter)(ZSTD_DCtx *dctx, ZSTD_dParameter param, int value);
	size_t (*DCtx_reset)(ZSTD_DCtx *dctx, ZSTD_ResetDirective reset);
	size_t (*decompressStream)(ZSTD_DCtx *zds, ZSTD_outBuffer *output, ZSTD_inBuffer *input);
	size_t (*decompress)(void *dst, size_t dst_capacity, const void *src, size_t compressed_size);
	unsigned (*isError)(size_t code);
	const char *(*getErrorName)(size_t code);
	ZSTD_ErrorCode (*getErrorCode)(size_t function_result);
};
static inline const struct ks_zstd_api *ks_zstd(void)
{
	return (const struct ks_zstd_api *)ks_lib_api(KS_LIB_ZSTD);
}
#endif

#ifdef HAVE_LZ4
#include <lz4.h>
#include <lz4frame.h>
struct ks_lz4_api {
	LZ4F_errorCode_t (*createDecompressionContext)(LZ4F_dctx **dctx, unsigned version);
	LZ4F_errorCode_t (*freeDecompressionContext)(LZ4F_dctx *dctx);
	size_t (*decompress)(LZ4F_dctx *dctx, void *dst, size_t *dst_size, const void *src, size_t *src_size,
			     const LZ4F_decompressOptions_t *opts);
	unsigned (*isError)(LZ4F_errorCode_t code);
	const char *(*getErrorName)(LZ4F_errorCode_t code);
	int (*decompress_safe)(const char *src, char *dst, int compressed_size, int dst_capacity);
	int (*decompress_safe_partial)(const char *src, char *dst, int compressed_size, int target_size,
				       int dst_capacity);
};
static inline const struct ks_lz4_api *ks_lz4(void)
{
	return (const struct ks_lz4_api *)ks_lib_api(KS_LIB_LZ4);
}
#endif

#ifdef HAVE_BZIP2
#include <bzlib.h>
struct ks_bzip2_api {
	int (*decompressInit)(bz_stream *strm, int verbosity, int small);
	int (*decompress)(bz_stream *strm);
	int (*decompressEnd)(bz_stream *strm);
};
static inline const struct ks_bzip2_api *ks_bzip2(void)
{
	return (const struct ks_bzip2_api *)ks_lib_api(KS_LIB_BZIP2);
}
#endif

#ifdef HAVE_LZO
#include <lzo/lzo1x.h>
/* lzo_init() has run when these are handed out */
struct ks_lzo_api {
	int (*decompress_safe)(const lzo_bytep src, lzo_uint src_len, lzo_bytep dst, lzo_uintp dst_len, lzo_voidp wrkmem);
	lzo_uint32_t (*adler32)(lzo_uint32_t c, const lzo_bytep buf, lzo_uint len);
	lzo_uint32_t (*crc32)(lzo_uint32_t c, const lzo_bytep buf, lzo_uint len);
};
static inline const struct ks_lzo_api *ks_lzo(void)
{
	return (const struct ks_lzo_api *)ks_lib_api(KS_LIB_LZO);
}
#endif

#ifdef HAVE_SNAPPY
#include <snappy-c.h>
struct ks_snappy_api {
	snappy_status (*uncompressed_length)(const char *in, size_t in_len, size_t *ret);
	snappy_status (*uncompress)(const char *in, size_t in_len, char *out, size_t *out_len);
};
static inline const struct ks_snappy_api *ks_snappy(void)
{
	return (const struct ks_snappy_api *)ks_lib_api(KS_LIB_SNAPPY);
}
#endif

#endif
