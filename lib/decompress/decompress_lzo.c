// SPDX-License-Identifier: MIT
/*
 * lzo in the lzop file format, what the kernel's `lzop -9` writes: a
 * header (lzop's src/lzop.c, write_header()) and then blocks of
 * (u32 uncompressed size, u32 compressed size, checksums, data), all
 * big-endian, ended by a zero size.  liblzo2 decodes one LZO1X block; the
 * framing is parsed here, as the kernel's lib/decompress_unlzo.c does.
 */
#include "decompress.h"

#ifdef HAVE_LZO
#include "codec_libs.h"

#include <string.h>

#include "core/compiler.h"
#include "core/error.h"

/* lzop's header flags and limits. */
enum {
	F_ADLER32_D = 0x1,
	F_ADLER32_C = 0x2,
	F_H_EXTRA_FIELD = 0x40,
	F_CRC32_D = 0x100,
	F_CRC32_C = 0x200,
	F_H_FILTER = 0x800,
	F_H_CRC32 = 0x1000,
	M_LZO1X_1 = 1,
	M_LZO1X_999 = 3,
	/* lzop writes 256 KiB blocks and refuses blocks over 64 MiB */
	MAX_BLOCK = 64 << 20,
	/* header fields that exist only from this lzop format version on */
	V_LEVEL = 0x0940,
	V_MIN = 0x0900,
	MAGIC_LEN = 9,
};

static const char LZO[] = "lzo";

struct lzop {
	const struct ks_lzo_api *lzo;
	struct span in;
	size_t pos;     /* the reader's position */
	bool short_in;  /* the input ended inside the header */
	uint32_t flags;
};

static bool short_input(struct lzop *z)
{
	z->short_in = true;
	return false;
}

static bool rd8(struct lzop *z, uint32_t *v)
{
	uint8_t b;

	if (!span_u8(z->in, z->pos, &b))
		return short_input(z);
	*v = b;
	z->pos += 1;
	return true;
}

static bool rd16(struct lzop *z, uint32_t *v)
{
	uint16_t h;

	if (!span_u16(z->in, z->pos, true, &h))
		return short_input(z);
	*v = h;
	z->pos += 2;
	return true;
}

static bool rd32(struct lzop *z, uint32_t *v)
{
	if (!span_u32(z->in, z->pos, true, v))
		return short_input(z);
	z->pos += 4;
	return true;
}

static bool skip(struct lzop *z, size_t n)
{
	if (!span_has(z->in, z->pos, n))
		return short_input(z);
	z->pos += n;
	return true;
}

/* The header checksum covers everything from the version to the name. */
static bool header_checksum_ok(struct lzop *z, size_t from)
{
	size_t len = z->pos - from;
	const uint8_t *p = span_at(z->in, from, len);
	uint32_t want;

	if (!p || !rd32(z, &want))
		return false;
	return want == (z->flags & F_H_CRC32 ? z->lzo->crc32(0, p, len) : z->lzo->adler32(1, p, len));
}

/* Parse the header; on success z->pos is at the first block. */
static struct ksyms_error *parse_header(struct lzop *z)
{
	uint32_t version, lib_version, needed = 0, method, level = 0, mode, mtime, name_len, v;

	z->pos = MAGIC_LEN;
	if (!rd16(z, &version) || !rd16(z, &lib_version))
		return NULL;
	if (version < V_MIN)
		return ks_decomp_corrupt(LZO, z->in, MAGIC_LEN, "lzop format version too old");
	if (version >= V_LEVEL && !rd16(z, &needed))
		return NULL;
	if (!rd8(z, &method) || (version >= V_LEVEL && !rd8(z, &level)) || !rd32(z, &z->flags))
		return NULL;
	if (method < M_LZO1X_1 || method > M_LZO1X_999)
		return ks_decomp_corrupt(LZO, z->in, z->pos, "not an LZO1X method");
	if (z->flags & F_H_FILTER)
		return ks_decomp_corrupt(LZO, z->in, z->pos, "lzop filters are not supported");
	if (!rd32(z, &mode) || !rd32(z, &mtime) || (version >= V_LEVEL && !rd32(z, &v)) || !rd8(z, &name_len) ||
	    !skip(z, name_len))
		return NULL;
	if (!header_checksum_ok(z, MAGIC_LEN))
		return z->short_in ? NULL : ks_decomp_corrupt(LZO, z->in, z->pos, "header checksum mismatch");
	/* lzop never writes an extra field for the kernel; skip it and its checksum */
	if (z->flags & F_H_EXTRA_FIELD && rd32(z, &v) && skip(z, v))
		skip(z, 4);
	return NULL;
}

struct block {
	uint32_t dst_len, src_len;
	uint32_t d_adler, d_crc;
	const uint8_t *src;
	size_t avail; /* bytes of src present (< src_len if the input is cut) */
};

/* Read the next block header; false at the end mark or end of input. */
static bool next_block(struct lzop *z, struct block *b, struct ksyms_error **err)
{
	uint32_t skip_sum;

	if (!rd32(z, &b->dst_len) || b->dst_len == 0)
		return false;
	size_t at = z->pos - 4;
	if (!rd32(z, &b->src_len))
		return false;
	if (b->dst_len > MAX_BLOCK || b->src_len == 0 || b->src_len > b->dst_len) {
		*err = ks_decomp_corrupt(LZO, z->in, at, "bad block sizes");
		return false;
	}
	if (((z->flags & F_ADLER32_D) && !rd32(z, &b->d_adler)) || ((z->flags & F_CRC32_D) && !rd32(z, &b->d_crc)))
		return false;
	/* compressed-data checksums are only stored for compressed blocks */
	if (b->src_len < b->dst_len && (((z->flags & F_ADLER32_C) && !rd32(z, &skip_sum)) ||
					((z->flags & F_CRC32_C) && !rd32(z, &skip_sum))))
		return false;
	b->avail = KS_MIN(b->src_len, z->in.len - z->pos);
	b->src = span_at(z->in, z->pos, b->avail);
	z->pos += b->avail;
	return true;
}

/* Decode one block into @out; a cut block keeps what it yields. */
static struct ksyms_error *decode_block(struct lzop *z, const struct block *b, struct ks_buf *out, size_t at)
{
	uint8_t *dst = out->p + out->len;
	lzo_uint n = b->dst_len;

	if (b->src_len == b->dst_len) {
		n = b->avail;
		memcpy(dst, b->src, n);
	} else {
		int rc = z->lzo->decompress_safe(b->src, b->avail, dst, &n, NULL);
		if (rc == LZO_E_INPUT_OVERRUN && b->avail < b->src_len) {
			out->len += n;
			return NULL;
		}
		if (rc != LZO_E_OK || n != b->dst_len)
			return ks_decomp_corrupt(LZO, z->in, at, "bad LZO1X block");
	}
	if (b->avail == b->src_len && (((z->flags & F_ADLER32_D) && z->lzo->adler32(1, dst, n) != b->d_adler) ||
				       ((z->flags & F_CRC32_D) && z->lzo->crc32(0, dst, n) != b->d_crc)))
		return ks_decomp_corrupt(LZO, z->in, at, "block checksum mismatch");
	out->len += n;
	return NULL;
}

struct ksyms_error *ks_unlzo(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	struct lzop z = { .lzo = ks_lzo(), .in = in };
	struct block b;
	size_t start = out->len;
	struct ksyms_error *err = NULL;

	if (!z.lzo) /* loaded and lzo_init() run, or why not */
		return ks_lib_error(KS_LIB_LZO, "lzo data");
	/* the framing is ours to parse: nothing below checks the magic */
	if (!span_eq(in, 0, "\x89LZO\0\r\n\x1a\n", MAGIC_LEN))
		return ks_decomp_corrupt(LZO, in, 0, "no lzop magic");
	err = parse_header(&z);
	while (!err && !z.short_in && next_block(&z, &b, &err)) {
		size_t at = z.pos - b.avail;
		if ((uint64_t)(out->len - start) + b.dst_len > cap)
			return ks_decomp_too_large(LZO, cap);
		if (!ks_buf_reserve(out, b.dst_len))
			return &ks_enomem;
		err = decode_block(&z, &b, out, at);
		if (b.avail < b.src_len)
			z.short_in = true;
	}
	r->consumed = z.pos;
	r->truncated = z.short_in;
	return err;
}
#endif
