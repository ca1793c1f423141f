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

/* The kernel's legacy lz4 frame (lz4 -l): blocks of 8 MiB, each at most
 * LZ4_COMPRESSBOUND(8 MiB) bytes compressed. */
enum {
	KS_LZ4_LEGACY_BLOCK = 8 << 20,
	KS_LZ4_LEGACY_MAX_COMPRESSED = KS_LZ4_LEGACY_BLOCK + KS_LZ4_LEGACY_BLOCK / 255 + 16,
};

/*
 * A caller that may not need the whole stream: @enough is asked, at output
 * sizes that grow geometrically from @first, whether the output so far
 * (from the start of this stream) suffices.  If it says yes, the
 * decompression stops there and result->stopped is set.  Only the
 * streaming codecs (ks_stream_run) ask; lzo and lz4's legacy frame always
 * run to the end.
 */
struct ks_stop {
	bool (*enough)(void *ctx, struct span out);
	void *ctx;
	size_t first; /* output size of the first question (0: 8 MiB) */
};

struct ks_decomp_result {
	size_t consumed;  /* input bytes used by the stream */
	bool truncated;   /* the input ended before the stream did */
	bool stopped;     /* the ks_stop said the output was enough */
	const struct ks_stop *stop; /* in, set by ks_decompress_until() */
};

const char *ks_codec_name(enum ks_codec c);
/*
 * True if a stream of codec @c can start at @off: the magic plus the
 * header fields that cost nothing to check (reserved bits, the lzma
 * dictionary size), so that the 3-byte magics of gzip and lzma found at
 * random inside a kernel are mostly rejected before any decoding.
 */
bool ks_codec_magic(struct span in, size_t off, enum ks_codec c);
/* The codec whose magic is at @off, if any. */
bool ks_codec_detect(struct span in, size_t off, enum ks_codec *ret);
/* Whether this build has @c (its library may still be missing). */
bool ks_codec_built(enum ks_codec c);
/* Whether @c can be decoded: built in, and its library loads (codec_libs.h). */
bool ks_codec_available(enum ks_codec c);
/* The magic bytes of @c (for scanning), and their length in *ret_len. */
const uint8_t *ks_codec_magic_bytes(enum ks_codec c, size_t *ret_len);
/*
 * True if the header at @off, which passed ks_codec_magic(), is still
 * likely to be chance: lzma's 5d 00 00 with a stated size (an unknown size
 * is eight 0xff bytes more, as good as a long magic).
 */
bool ks_codec_weak_at(struct span in, size_t off, enum ks_codec c);
/*
 * True for byte-aligned LZ77 without entropy coding (lz4, lzo): text of the
 * uncompressed data, a kernel's "Linux version" banner included, shows
 * through in the compressed stream.
 */
bool ks_codec_shows_text(enum ks_codec c);

/*
 * Decompress one stream starting at the beginning of @in into @out
 * (appending), producing at most @cap bytes.  Data after the stream is
 * ignored.  A stream cut short by the end of @in is not an error: the
 * output so far is kept and result->truncated is set.  On error @out may
 * hold partial output; the caller frees it.
 */
struct ksyms_error *ks_decompress(enum ks_codec c, struct span in, uint64_t cap, struct ks_buf *out,
				  struct ks_decomp_result *result);
/* ks_decompress(), stopping early where @stop (may be NULL) says so. */
struct ksyms_error *ks_decompress_until(enum ks_codec c, struct span in, uint64_t cap, const struct ks_stop *stop,
					struct ks_buf *out, struct ks_decomp_result *result);

/*
 * The streaming driver that every codec with a streaming library API
 * shares (decompress.c): it owns the cap, the output growth, the
 * truncation rule and the error offsets; a codec supplies one step.
 */
enum ks_step {
	KS_STEP_MORE,    /* progress made (or none possible without more input) */
	KS_STEP_END,     /* the stream ended */
	KS_STEP_CORRUPT, /* bad data; @why says what */
	KS_STEP_NOMEM,   /* the library could not allocate */
	KS_STEP_LIMIT,   /* the stream needs more memory than we allow; @why says how much */
	KS_STEP_FULL,    /* the output does not fit in the room given: it passes the cap */
};

struct ks_step_io {
	const uint8_t *in; /* input left */
	size_t in_len;
	size_t in_used;    /* set by the step */
	uint8_t *out;      /* room for output */
	size_t out_len;
	size_t made;       /* output of this stream before @out (it ends at @out) */
	size_t out_made;   /* set by the step */
	const char *why;   /* set by the step with CORRUPT or LIMIT */
};

typedef enum ks_step ks_step_fn(void *state, struct ks_step_io *io);

struct ksyms_error *ks_stream_run(const char *codec, ks_step_fn *step, void *state, struct span in, uint64_t cap,
				  struct ks_buf *out, struct ks_decomp_result *r);
/*
 * The same for a codec that decodes in place, reading its back-references
 * from the output itself instead of a window of its own (zstd's stable
 * output buffer): the room up to the cap must already be reserved
 * (ks_buf_reserve_exact(out, cap + 1)), and every step is offered all of
 * what is left of it, so the output never moves.
 */
struct ksyms_error *ks_stream_run_in_place(const char *codec, ks_step_fn *step, void *state, struct span in,
					   uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r);

/* Helpers for the block formats (lzo, lz4 legacy) that manage their own output. */
struct ksyms_error *ks_decomp_too_large(const char *codec, uint64_t cap);
struct ksyms_error *ks_decomp_corrupt(const char *codec, struct span in, size_t off, const char *why);

/*
 * One page of a kdump-compressed dump (decompress_page.c): the page codecs
 * of makedumpfile's diskdump format, each block compressed on its own and
 * unframed.  ks_decompress_page() writes at most @out_len bytes and says
 * how many in *ret_len; false for a block that is corrupt, that would
 * expand past @out_len, or whose codec is not built in.
 */
enum ks_page_codec { KS_PAGE_ZLIB, KS_PAGE_LZO, KS_PAGE_SNAPPY, KS_PAGE_ZSTD, KS_PAGE_CODEC_COUNT };
const char *ks_page_codec_name(enum ks_page_codec c);
bool ks_page_codec_available(enum ks_page_codec c);
/* "snappy-compressed pages, but snappy support is not built in (install ...)" */
struct ksyms_error *ks_page_unsupported(enum ks_page_codec c);
bool ks_decompress_page(enum ks_page_codec c, struct span in, uint8_t *out, size_t out_len, size_t *ret_len);

/* Per-codec entry points (decompress_<codec>.c); each exists only if built in. */
typedef struct ksyms_error *ks_decode_fn(struct span in, uint64_t cap, struct ks_buf *out,
					 struct ks_decomp_result *r);
ks_decode_fn ks_gunzip, ks_unxz, ks_unlzma, ks_bunzip2, ks_unlzo, ks_unlz4, ks_unlz4_legacy, ks_unzstd;

#endif
