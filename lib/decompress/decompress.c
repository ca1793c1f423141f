// SPDX-License-Identifier: MIT
/*
 * The codec table, the header checks behind ks_codec_magic(), and the
 * streaming driver every library-backed codec runs under.
 */
#include <string.h>

#include "decompress.h"
#include "codec_libs.h"
#include "core/compiler.h"
#include "core/error.h"

#ifdef HAVE_ZLIB
#define GZIP_FN ks_gunzip
#else
#define GZIP_FN NULL
#endif
#ifdef HAVE_LZMA
#define XZ_FN ks_unxz
#define LZMA_FN ks_unlzma
#else
#define XZ_FN NULL
#define LZMA_FN NULL
#endif
#ifdef HAVE_BZIP2
#define BZIP2_FN ks_bunzip2
#else
#define BZIP2_FN NULL
#endif
#ifdef HAVE_LZO
#define LZO_FN ks_unlzo
#else
#define LZO_FN NULL
#endif
#ifdef HAVE_LZ4
#define LZ4_FN ks_unlz4
#define LZ4_LEGACY_FN ks_unlz4_legacy
#else
#define LZ4_FN NULL
#define LZ4_LEGACY_FN NULL
#endif
#ifdef HAVE_ZSTD
#define ZSTD_FN ks_unzstd
#else
#define ZSTD_FN NULL
#endif

typedef bool header_fn(struct span in, size_t off);

struct codec_desc {
	const char *name;
	const char *package;  /* Debian -dev package that provides it */
	const uint8_t *magic;
	size_t magic_len;
	header_fn *header;    /* checks past the magic; NULL if none */
	bool weak;            /* the magic alone occurs by chance */
	bool shows_text;      /* literals are stored as they are */
	ks_decode_fn *decode; /* NULL when not built in */
	enum ks_lib lib;      /* the library it needs (codec_libs.h) */
};

/* gzip (RFC 1952): FLG bits 5-7 are reserved and must be zero. */
static bool gzip_header(struct span in, size_t off)
{
	uint8_t flg;

	return span_u8(in, off + 3, &flg) && !(flg & 0xe0);
}

/* xz (xz-file-format 2.1.1.2): stream flags are 0x00 then a 4-bit check type. */
static bool xz_header(struct span in, size_t off)
{
	uint8_t f0, f1;

	return span_u8(in, off + 6, &f0) && span_u8(in, off + 7, &f1) && f0 == 0 && !(f1 & 0xf0);
}

/*
 * The legacy .lzma header: properties byte, little-endian dictionary size,
 * little-endian uncompressed size (all ones = unknown, what `lzma` writes
 * for the kernel's piped input).  Our magic fixes the properties at 0x5d
 * (lc=3 lp=0 pb=2, what every lzma encoder the kernel uses writes) and the
 * low 16 bits of the dictionary size at 0.  xz-utils writes dictionary
 * sizes of 2^n or 2^n + 2^(n-1), and liblzma's own format detection
 * rejects sizes of 2^38 and more: the same checks make 5d 00 00 at random
 * unlikely to pass.
 */
static bool lzma_header(struct span in, size_t off)
{
	uint32_t dict;
	uint64_t size;

	if (!span_u32(in, off + 1, false, &dict) || !span_u64(in, off + 5, false, &size))
		return false;
	if (size != UINT64_MAX && size >= (1ull << 38))
		return false;
	uint32_t low = dict & -dict; /* the lowest set bit */
	return dict == UINT32_MAX || (dict && (dict == low || dict == 3 * low));
}

/* bzip2: "BZh", a block size '1'..'9', then a block magic (pi) or the end-of-stream magic (sqrt(pi)). */
static bool bzip2_header(struct span in, size_t off)
{
	static const uint8_t block[6] = { 0x31, 0x41, 0x59, 0x26, 0x53, 0x59 };
	static const uint8_t eos[6] = { 0x17, 0x72, 0x45, 0x38, 0x50, 0x90 };
	uint8_t level;

	return span_u8(in, off + 3, &level) && level >= '1' && level <= '9' &&
	       (span_eq(in, off + 4, block, sizeof(block)) || span_eq(in, off + 4, eos, sizeof(eos)));
}

/* lz4 frame (lz4_Frame_format.md): FLG version 01, reserved bit 1 zero;
 * BD reserved bits zero and a block maximum size of 4 to 7. */
static bool lz4_header(struct span in, size_t off)
{
	uint8_t flg, bd;

	if (!span_u8(in, off + 4, &flg) || !span_u8(in, off + 5, &bd))
		return false;
	return (flg >> 6) == 1 && !(flg & 0x02) && !(bd & 0x8f) && (bd >> 4) >= 4;
}

/* lz4 legacy: the first block's compressed size is 1 .. LZ4_compressBound(8 MiB). */
static bool lz4_legacy_header(struct span in, size_t off)
{
	uint32_t size;

	return span_u32(in, off + 4, false, &size) && size > 0 && size <= KS_LZ4_LEGACY_MAX_COMPRESSED;
}

/* zstd (RFC 8878 3.1.1.1.1): bit 3 of the frame header descriptor is reserved. */
static bool zstd_header(struct span in, size_t off)
{
	uint8_t fhd;

	return span_u8(in, off + 4, &fhd) && !(fhd & 0x08);
}

#define MAGIC(s) (const uint8_t *)(s), sizeof(s) - 1

static const struct codec_desc codecs[KS_CODEC_COUNT] = {
	[KS_CODEC_GZIP] = { "gzip", "zlib1g-dev", MAGIC("\x1f\x8b\x08"), gzip_header, false, false, GZIP_FN,
			    KS_LIB_ZLIB },
	[KS_CODEC_XZ] = { "xz", "liblzma-dev", MAGIC("\xfd" "7zXZ\0"), xz_header, false, false, XZ_FN, KS_LIB_LZMA },
	[KS_CODEC_LZMA] = { "lzma", "liblzma-dev", MAGIC("\x5d\x00\x00"), lzma_header, true, false, LZMA_FN,
			    KS_LIB_LZMA },
	[KS_CODEC_BZIP2] = { "bzip2", "libbz2-dev", MAGIC("BZh"), bzip2_header, false, false, BZIP2_FN, KS_LIB_BZIP2 },
	[KS_CODEC_LZO] = { "lzo", "liblzo2-dev", MAGIC("\x89LZO\0\r\n\x1a\n"), NULL, false, true, LZO_FN,
			   KS_LIB_LZO },
	[KS_CODEC_LZ4] = { "lz4", "liblz4-dev", MAGIC("\x04\x22\x4d\x18"), lz4_header, false, true, LZ4_FN,
			   KS_LIB_LZ4 },
	[KS_CODEC_LZ4_LEGACY] = { "lz4 (legacy)", "liblz4-dev", MAGIC("\x02\x21\x4c\x18"), lz4_legacy_header, false,
				  true, LZ4_LEGACY_FN, KS_LIB_LZ4 },
	[KS_CODEC_ZSTD] = { "zstd", "libzstd-dev", MAGIC("\x28\xb5\x2f\xfd"), zstd_header, false, false, ZSTD_FN,
			    KS_LIB_ZSTD },
};

const char *ks_codec_name(enum ks_codec c)
{
	return c < KS_CODEC_COUNT ? codecs[c].name : "unknown";
}

bool ks_codec_built(enum ks_codec c)
{
	return c < KS_CODEC_COUNT && codecs[c].decode;
}

/* Built in, and its library loads (opening it now if need be): a codec
 * whose library is missing must not be taken for data that does not
 * decode (an ARM zImage's candidates, IKCONFIG). */
bool ks_codec_available(enum ks_codec c)
{
	return ks_codec_built(c) && ks_lib_api(codecs[c].lib);
}

bool ks_codec_weak_at(struct span in, size_t off, enum ks_codec c)
{
	static const uint8_t unknown_size[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (c >= KS_CODEC_COUNT || !codecs[c].weak)
		return false;
	return !(c == KS_CODEC_LZMA && span_eq(in, off + 5, unknown_size, sizeof(unknown_size)));
}

bool ks_codec_shows_text(enum ks_codec c)
{
	return c < KS_CODEC_COUNT && codecs[c].shows_text;
}

const uint8_t *ks_codec_magic_bytes(enum ks_codec c, size_t *ret_len)
{
	if (c >= KS_CODEC_COUNT)
		return NULL;
	*ret_len = codecs[c].magic_len;
	return codecs[c].magic;
}

bool ks_codec_magic(struct span in, size_t off, enum ks_codec c)
{
	if (c >= KS_CODEC_COUNT || !span_eq(in, off, codecs[c].magic, codecs[c].magic_len))
		return false;
	return !codecs[c].header || codecs[c].header(in, off);
}

bool ks_codec_detect(struct span in, size_t off, enum ks_codec *ret)
{
	for (int c = 0; c < KS_CODEC_COUNT; c++) {
		if (ks_codec_magic(in, off, (enum ks_codec)c)) {
			*ret = (enum ks_codec)c;
			return true;
		}
	}
	return false;
}

/*
 * The room reserved before the first byte, for every codec: 16 bytes per
 * input byte (kernels expand 3 to 9 times), at least 8 MiB, at most the
 * cap (zstd asks for the same room, to decode in place).  Grown step by
 * step instead, the buffer was moved by realloc's mremap to addresses of
 * another 2 MiB alignment, which splits its huge pages into 4 KiB ones,
 * and every later pass over the kernel paid for it in TLB misses: the
 * relocation scan of the 6.1 s390x kernel took 10 ms there against 3 ms
 * in a file mapping.  Address space only: pages become resident as they
 * are written.  Where it cannot be had (a small address space), the
 * buffer grows as before.
 */
enum { FIRST_ROOM_PER_INPUT_BYTE = 16, FIRST_ROOM_MIN = 8 << 20 };

static void reserve_first_room(struct span in, uint64_t cap, struct ks_buf *out)
{
	uint64_t room = (uint64_t)in.len * FIRST_ROOM_PER_INPUT_BYTE;

	if (in.len > UINT64_MAX / FIRST_ROOM_PER_INPUT_BYTE)
		room = UINT64_MAX;
	room = KS_MAX(room, (uint64_t)FIRST_ROOM_MIN);
	room = KS_MIN(room, cap);
	if (out->len || room >= SIZE_MAX || out->cap > room)
		return;
	/* an empty buffer a caller reuses (the next zImage candidate) starts
	 * afresh rather than growing what the last one was trimmed to */
	ks_buf_free(out);
	if (!ks_buf_reserve_exact(out, (size_t)room + 1))
		return; /* no matter: the codec reserves step by step */
}

struct ksyms_error *ks_decompress(enum ks_codec c, struct span in, uint64_t cap, struct ks_buf *out,
				  struct ks_decomp_result *r)
{
	return ks_decompress_until(c, in, cap, NULL, out, r);
}

struct ksyms_error *ks_decompress_until(enum ks_codec c, struct span in, uint64_t cap, const struct ks_stop *stop,
					struct ks_buf *out, struct ks_decomp_result *r)
{
	if (c >= KS_CODEC_COUNT)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "unknown codec %d", (int)c);
	if (!codecs[c].decode)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "%s data, but %s support is not built in (install %s and rebuild)",
				codecs[c].name, codecs[c].name, codecs[c].package);
	memset(r, 0, sizeof(*r));
	r->stop = stop;
	reserve_first_room(in, cap, out);
	struct ksyms_error *err = codecs[c].decode(in, cap, out, r);
	/* give back the room not used (in place: glibc shrinks a mapping
	 * without moving it); the output lives as long as the image */
	ks_buf_trim(out);
	return err;
}
