// SPDX-License-Identifier: MIT
/*
 * lz4, both framings.  The standard frame (magic 04 22 4d 18) goes through
 * LZ4F, which checks the optional checksums.  The kernel's Makefile.lib
 * uses `lz4 -l`, the legacy frame (magic 02 21 4c 18): a bare sequence of
 * (little-endian u32 size, LZ4 block) with every block but the last
 * decompressing to exactly 8 MiB, no end mark, and the kernel's own 4-byte
 * size_append right after.
 */
#include "decompress.h"

#ifdef HAVE_LZ4
#include "codec_libs.h"

#include "core/compiler.h"
#include "core/error.h"

/* LZ4F reports no position with an error: feed it in steps small enough
 * that the driver's position says where the bad data is. */
static const size_t LZ4F_STEP = 64 << 10;

struct lz4f_state {
	const struct ks_lz4_api *lz;
	LZ4F_dctx *d;
};

static enum ks_step lz4f_step(void *state, struct ks_step_io *io)
{
	const struct lz4f_state *s = state;
	size_t dst = io->out_len, src = KS_MIN(io->in_len, LZ4F_STEP);

	size_t rc = s->lz->decompress(s->d, io->out, &dst, io->in, &src, NULL);
	io->in_used = src;
	io->out_made = dst;
	if (s->lz->isError(rc)) {
		io->why = s->lz->getErrorName(rc);
		return KS_STEP_CORRUPT;
	}
	return rc == 0 ? KS_STEP_END : KS_STEP_MORE;
}

struct ksyms_error *ks_unlz4(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	struct lz4f_state s = { ks_lz4(), NULL };

	if (!s.lz)
		return ks_lib_error(KS_LIB_LZ4, "lz4 data");
	if (s.lz->isError(s.lz->createDecompressionContext(&s.d, LZ4F_VERSION)))
		return &ks_enomem;
	struct ksyms_error *err = ks_stream_run("lz4", lz4f_step, &s, in, cap, out, r);
	s.lz->freeDecompressionContext(s.d);
	return err;
}

/* Magic numbers of lz4 frames (legacy, standard, skippable 0x184D2A5?):
 * a "block size" equal to one is the start of the next frame. */
static bool is_lz4_magic(uint32_t v)
{
	return v == 0x184c2102 || v == 0x184d2204 || (v & 0xfffffff0) == 0x184d2a50;
}

/* Where the legacy stream ends before the block size @size at @pos. */
static bool legacy_end(uint32_t size, size_t made)
{
	/* A size equal to the output so far is the kernel's size_append after
	 * a stream whose last block was a full 8 MiB. */
	return size == 0 || size > KS_LZ4_LEGACY_MAX_COMPRESSED || is_lz4_magic(size) || size == made;
}

static const char LZ4L[] = "lz4 (legacy)";

/*
 * Decode one block of @len bytes into @dst, which has room for a whole
 * block: checked to its end, or, cut by the end of the input (@cut), what
 * its start decodes to.  Always a whole block's room: what a damaged block
 * yields (or whether it fails) depends on the room it is given, and the
 * cap must not change the output, only refuse it.  That costs at most one
 * block (8 MiB) past the cap, and the output is cut back to one byte over
 * it, as the streaming codecs leave it.
 */
static int legacy_block(const struct ks_lz4_api *lz, const uint8_t *src, size_t len, bool cut, uint8_t *dst)
{
	if (!cut)
		return lz->decompress_safe((const char *)src, (char *)dst, (int)len, KS_LZ4_LEGACY_BLOCK);
	return lz->decompress_safe_partial((const char *)src, (char *)dst, (int)len, KS_LZ4_LEGACY_BLOCK,
					   KS_LZ4_LEGACY_BLOCK);
}

struct ksyms_error *ks_unlz4_legacy(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	const struct ks_lz4_api *lz = ks_lz4();
	size_t start = out->len, pos = 4; /* after the magic */
	uint32_t size;

	if (!lz)
		return ks_lib_error(KS_LIB_LZ4, "lz4 (legacy) data");

	/* the framing is ours to parse: nothing below checks the magic */
	if (!span_eq(in, 0, "\x02\x21\x4c\x18", 4))
		return ks_decomp_corrupt(LZ4L, in, 0, "no lz4 legacy magic");
	r->consumed = pos;
	while (span_u32(in, pos, false, &size) && !legacy_end(size, out->len - start)) {
		/* the size was read, so pos + 4 <= in.len */
		size_t avail = KS_MIN((size_t)size, in.len - (pos + 4));
		bool cut = avail < size;
		if (!ks_buf_reserve(out, KS_LZ4_LEGACY_BLOCK))
			return &ks_enomem;
		int n = legacy_block(lz, span_at(in, pos + 4, avail), avail, cut, out->p + out->len);
		if (n < 0 && !cut)
			return ks_decomp_corrupt(LZ4L, in, pos + 4, "bad LZ4 block");
		out->len += n > 0 ? (size_t)n : 0;
		pos += 4 + avail;
		r->consumed = pos;
		if (out->len - start > cap) {
			out->len = start + (size_t)cap + 1;
			return ks_decomp_too_large(LZ4L, cap);
		}
		if (cut) {
			r->truncated = true;
			break;
		}
		if (n < KS_LZ4_LEGACY_BLOCK)
			break; /* only the last block is short */
	}
	return NULL;
}
#endif
