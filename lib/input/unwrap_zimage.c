// SPDX-License-Identifier: MIT
/*
 * 32-bit ARM zImage (arch/arm/boot/compressed/head.S; the words a boot
 * loader reads are described in Documentation/arch/arm/booting.rst):
 *   0x24 magic 0x016f2818   0x28 start address   0x2c end address
 *   0x30 endianness flag 0x04030201, stored in the kernel's byte order
 * The magic, start and end are little-endian even in a BE8 kernel (its
 * linker script byte-swaps them so loaders need not care); only in old
 * BE32 kernels is the magic itself big-endian.  end - start is the size
 * of the zImage; a device tree may be appended after it.
 *
 * The compressed kernel sits inside the decompressor at an offset no
 * header states.  Find it: try each codec magic inside the zImage, in
 * file order, and keep the first candidate that decompresses to something
 * kernel-like (a "Linux version " banner, or at least bigger than the
 * zImage).  The found stream is decompressed here, since checking a
 * candidate means decompressing it anyway.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "unwrap_util.h"
#include "decompress/decompress.h"

enum {
	ZI_MAGIC_OFF = 0x24,
	ZI_START = 0x28,
	ZI_END = 0x2c,
	ZI_ENDIAN = 0x30,
	ZI_MAGIC = 0x016f2818,
	ZI_ENDIAN_FLAG = 0x04030201,
	ZI_MAX_TRIES = 32, /* candidates decompressed before giving up */
};

struct zimage {
	const char *endian; /* "little-endian", "big-endian (BE8)", ... */
	uint32_t start, end;
	size_t size;
};

/* False if @in is not a zImage. */
static bool zimage_header(struct span in, struct zimage *z)
{
	uint32_t m, flag = 0;
	bool be;

	if (!span_u32(in, ZI_MAGIC_OFF, false, &m))
		return false;
	if (m == ZI_MAGIC)
		be = false;
	else if (m == __builtin_bswap32(ZI_MAGIC))
		be = true;
	else
		return false;
	/* the magic was there, so start and end (before 0x30) are too */
	(void)span_u32(in, ZI_START, be, &z->start);
	(void)span_u32(in, ZI_END, be, &z->end);
	if (be)
		z->endian = "big-endian (BE32)";
	else if (span_u32(in, ZI_ENDIAN, false, &flag) && flag == __builtin_bswap32(ZI_ENDIAN_FLAG))
		z->endian = "big-endian (BE8)";
	else
		z->endian = "little-endian";
	return true;
}

/* How much a candidate's output looks like the kernel a zImage carries. */
enum zfit { ZFIT_NO, ZFIT_BIG, ZFIT_BANNER };

static enum zfit zimage_fit(const struct ks_buf *out, size_t zimage_size)
{
	size_t off, len;

	if (ks_kernel_banner(span_make(out->p, out->len, 0), &off, &len))
		return ZFIT_BANNER;
	return out->len > zimage_size ? ZFIT_BIG : ZFIT_NO;
}

struct zsearch {
	size_t off;                /* of the stream that worked */
	enum ks_codec codec;
	struct ks_decomp_result r;
	struct ksyms_error *unsupported; /* a candidate this build cannot decode */
	unsigned tries;
	bool has_big;              /* a candidate bigger than the zImage, no banner */
	size_t big_off;
	enum ks_codec big_codec;
};

/* Decompress the candidate at @off into @out, noting it in @s; ZFIT_NO if
 * it is not a stream, or *err for trouble that must be reported (the
 * output cap, memory). */
static enum zfit zimage_try(struct span img, size_t off, enum ks_codec c, const struct ks_unwrap_opts *o,
			    struct zsearch *s, struct ks_buf *out, struct ksyms_error **err)
{
	struct ks_decomp_result r;

	if (!ks_codec_available(c)) {
		if (!s->unsupported)
			s->unsupported = ks_error_wrap(ks_decompress(c, img, 0, out, &r), "ARM zImage: %s stream at 0x%zx",
						       ks_codec_name(c), off);
		return ZFIT_NO;
	}
	s->tries++;
	s->off = off;
	s->codec = c;
	out->len = 0;
	*err = ks_unwrap_decompress(c, span_from(img, off), o, out, &r);
	if (*err) {
		enum ksyms_error_code code = ksyms_error_code(*err);
		ks_debug(o->log, "zImage: %s candidate at 0x%zx: %s", ks_codec_name(c), off, ksyms_error_message(*err));
		if (code != KSYMS_ERR_TOO_LARGE && code != KSYMS_ERR_NOMEM) {
			ksyms_error_destroy(*err);
			*err = NULL;
		}
		return ZFIT_NO;
	}
	enum zfit fit = zimage_fit(out, img.len);
	if (fit != ZFIT_BANNER)
		ks_debug(o->log, "zImage: %s candidate at 0x%zx gives %zu bytes with no kernel banner", ks_codec_name(c),
			 off, out->len);
	s->r = r;
	return fit;
}

/*
 * The first candidate whose output has a "Linux version " banner wins.
 * Failing that, the first whose output is bigger than the zImage (a
 * kernel without a banner is odd, but its stream still decompresses to
 * more than the decompressor holds); it is decompressed again at the end
 * rather than kept while the search goes on.
 */
static struct ksyms_error *zimage_search(struct span img, const struct ks_unwrap_opts *o, struct zsearch *s,
					 struct ks_buf *out)
{
	struct ksyms_error *err = NULL;
	enum ks_codec c;

	for (size_t off = 0; off < img.len && s->tries < ZI_MAX_TRIES; off++) {
		if (!ks_codec_detect(img, off, &c))
			continue;
		enum zfit fit = zimage_try(img, off, c, o, s, out, &err);
		if (fit == ZFIT_BANNER || err)
			break;
		if (fit == ZFIT_BIG && !s->has_big) {
			s->has_big = true;
			s->big_off = off;
			s->big_codec = c;
		}
		s->codec = KS_CODEC_COUNT;
	}
	if (!err && s->codec == KS_CODEC_COUNT && s->has_big)
		(void)zimage_try(img, s->big_off, s->big_codec, o, s, out, &err);
	if (err) {
		ksyms_error_destroy(s->unsupported);
		return ks_error_wrap(err, "ARM zImage: %s stream at 0x%zx", ks_codec_name(s->codec), s->off);
	}
	if (s->codec != KS_CODEC_COUNT) {
		ksyms_error_destroy(s->unsupported);
		return NULL;
	}
	if (s->unsupported)
		return s->unsupported;
	return ks_error(KSYMS_ERR_NOT_FOUND, "ARM zImage: no compressed kernel found in its %zu bytes (%u candidate "
			"streams tried)", img.len, s->tries);
}

struct ksyms_error *ks_unwrap_zimage(struct span in, const struct ks_unwrap_opts *o, bool *found,
				     struct ks_unwrapped *ret)
{
	struct zimage z = { 0 };
	struct zsearch s = { .codec = KS_CODEC_COUNT };
	struct span img = { 0 };
	char dtb[64] = "";
	size_t dtb_size;

	if (!zimage_header(in, &z))
		return NULL;
	*found = true;
	if (z.end < z.start)
		return ks_error_at((int64_t)(in.origin + ZI_END), "ARM zImage: end address 0x%x is below start 0x%x",
				   z.end, z.start);
	struct ksyms_error *err = unwrap_range(in, "ARM zImage", "image (end - start)", 0, z.end - z.start, &img);
	if (err)
		return err;
	err = zimage_search(img, o, &s, &ret->out);
	if (err) {
		ks_buf_free(&ret->out);
		return err;
	}
	if (unwrap_fdt_at(in, img.len, &dtb_size))
		snprintf(dtb, sizeof(dtb), ", appended DTB of %zu bytes", dtb_size);
	ret->format = "zImage";
	ret->arch_hint = "arm";
	ret->arch_hint_source = "ARM zImage header";
	ret->byte_order_hint = strncmp(z.endian, "big", 3) == 0 ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	ret->offset = s.off;
	ret->size = s.r.consumed;
	ret->decompressed = true;
	ret->stopped = s.r.stopped;
	snprintf(ret->description, sizeof(ret->description),
		 "ARM zImage, %s%s, %u bytes; %s stream at 0x%zx, %zu bytes -> %zu bytes%s%s", z.endian,
		 span_eq(in, 0, "MZ", 2) ? ", EFI stub" : "", z.end - z.start, ks_codec_name(s.codec), s.off,
		 s.r.consumed, ret->out.len, ks_stream_note(&s.r), dtb);
	return NULL;
}
