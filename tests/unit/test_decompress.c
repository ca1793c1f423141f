// SPDX-License-Identifier: MIT
/*
 * The decompression contract, per codec, on streams made in-process by the
 * libraries' own encoders: exactly @cap bytes is accepted and one more is
 * KSYMS_ERR_TOO_LARGE; data after the stream is ignored and not consumed;
 * a cut stream keeps a prefix and sets truncated; corrupt data is
 * KSYMS_ERR_BAD_DATA at a file offset.  (lzo and the legacy lz4 frame have
 * no in-library encoder for their file formats: tests/cli_codecs.sh makes
 * them with lzop and lz4 -l.)  Also the header checks behind
 * ks_codec_magic().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/error.h"
#include "decompress/decompress.h"

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_BZIP2
#include <bzlib.h>
#endif
#ifdef HAVE_LZ4
#include <lz4frame.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

enum { PLAIN = 300000, ORIGIN = 0x1000 };

static uint8_t plain[PLAIN];

static void make_plain(void)
{
	uint32_t x = 12345;

	for (size_t i = 0; i < PLAIN; i++) {
		x = x * 1103515245 + 12345;
		/* compressible, but not trivially */
		plain[i] = (uint8_t)("kallsyms_token_table"[(x >> 16) % 20] + (i % 7 == 0 ? (x >> 24) % 3 : 0));
	}
}

typedef size_t encode_fn(const uint8_t *in, size_t len, uint8_t *out, size_t cap);

#ifdef HAVE_ZLIB
static size_t enc_gzip(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };

	if (deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return 0;
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	size_t n = cap - z.avail_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? n : 0;
}
#endif

#ifdef HAVE_LZMA
static size_t enc_xz(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	size_t pos = 0;

	return lzma_easy_buffer_encode(6, LZMA_CHECK_CRC32, NULL, in, len, out, &pos, cap) == LZMA_OK ? pos : 0;
}

static size_t enc_lzma(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	lzma_stream s = LZMA_STREAM_INIT;
	lzma_options_lzma opt;

	if (lzma_lzma_preset(&opt, 6) || lzma_alone_encoder(&s, &opt) != LZMA_OK)
		return 0;
	s.next_in = in;
	s.avail_in = len;
	s.next_out = out;
	s.avail_out = cap;
	lzma_ret rc = lzma_code(&s, LZMA_FINISH);
	size_t n = cap - s.avail_out;
	lzma_end(&s);
	return rc == LZMA_STREAM_END ? n : 0;
}
#endif

#ifdef HAVE_BZIP2
static size_t enc_bzip2(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	unsigned n = (unsigned)cap;
	int rc = BZ2_bzBuffToBuffCompress((char *)out, &n, (char *)(uintptr_t)in, (unsigned)len, 9, 0, 0);

	return rc == BZ_OK ? n : 0;
}
#endif

#ifdef HAVE_LZ4
static size_t enc_lz4(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	LZ4F_preferences_t p;

	memset(&p, 0, sizeof(p));
	p.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
	size_t n = LZ4F_compressFrame(out, cap, in, len, &p);
	return LZ4F_isError(n) ? 0 : n;
}
#endif

#ifdef HAVE_ZSTD
/* with a checksum, as the zstd command (and so the kernel build) writes */
static size_t enc_zstd(const uint8_t *in, size_t len, uint8_t *out, size_t cap)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	size_t n = 0;

	if (c && !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, 19)) &&
	    !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1)))
		n = ZSTD_compress2(c, out, cap, in, len);
	ZSTD_freeCCtx(c);
	return ZSTD_isError(n) ? 0 : n;
}
#endif

#ifdef HAVE_ZSTD
/* as the kernel's build writes it: streamed, so no content size in the header */
static size_t enc_zstd_streamed(const uint8_t *in, size_t len, uint8_t *out, size_t cap, int window_log)
{
	ZSTD_CCtx *c = ZSTD_createCCtx();
	ZSTD_inBuffer ib = { in, len, 0 };
	ZSTD_outBuffer ob = { out, cap, 0 };
	size_t rc = 1;

	if (c && !ZSTD_isError(ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, window_log)))
		while (rc != 0 && !ZSTD_isError(rc))
			rc = ZSTD_compressStream2(c, &ob, &ib, ZSTD_e_end);
	ZSTD_freeCCtx(c);
	return rc == 0 ? ob.pos : 0;
}

/* zstd decodes in place, after what the buffer already holds; with a cap
 * too big to reserve it falls back to libzstd's own window; a frame that
 * asks for a window past the cap is refused before anything is allocated */
static void test_zstd_modes(void)
{
	size_t zcap = PLAIN + PLAIN / 2 + 1024;
	uint8_t *z = malloc(zcap);
	struct ks_buf out = { 0 };
	struct ks_decomp_result r;
	struct ksyms_error *err;

	printf("# zstd: in place, fallback, window limit\n");
	size_t zlen = enc_zstd_streamed(plain, PLAIN, z, zcap, 20);
	CHECK(zlen > 0);

	CHECK(ks_buf_append(&out, "layer0", 6));
	memset(&r, 0, sizeof(r));
	err = ks_decompress(KS_CODEC_ZSTD, span_make(z, zlen, ORIGIN), PLAIN, &out, &r);
	CHECK(!err);
	CHECK_EQ_U64(out.len, 6 + PLAIN);
	CHECK(out.len == 6 + PLAIN && memcmp(out.p, "layer0", 6) == 0 && memcmp(out.p + 6, plain, PLAIN) == 0);
	CHECK(out.cap == out.len); /* the reservation is given back */
	ksyms_error_destroy(err);

	out.len = 0;
	memset(&r, 0, sizeof(r));
	err = ks_decompress(KS_CODEC_ZSTD, span_make(z, zlen, ORIGIN), UINT64_MAX, &out, &r);
	CHECK(!err);
	CHECK(out.len == PLAIN && memcmp(out.p, plain, PLAIN) == 0);
	ksyms_error_destroy(err);

	/* magic, no flags, window descriptor 0xa8 = 2^31, then one raw block */
	static const uint8_t claims_2g[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x00, 0xa8, 0x21, 0x00, 0x00, 'a', 'b', 'c', 'd' };
	out.len = 0;
	memset(&r, 0, sizeof(r));
	err = ks_decompress(KS_CODEC_ZSTD, span_make(claims_2g, sizeof(claims_2g), 0), 1 << 20, &out, &r);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE);
	CHECK(err && strstr(ksyms_error_message(err), "window larger than the output limit") != NULL);
	ksyms_error_destroy(err);
	out.len = 0;
	memset(&r, 0, sizeof(r));
	err = ks_decompress(KS_CODEC_ZSTD, span_make(claims_2g, sizeof(claims_2g), 0), 2u << 30, &out, &r);
	CHECK(!err && out.len == 4 && memcmp(out.p, "abcd", 4) == 0);
	ksyms_error_destroy(err);

	/* more than the first room (8 MiB for a small input): decoded again in more room */
	enum { BIG = 20 << 20 };
	uint8_t *big = malloc(BIG), *zbig = malloc(1 << 20);
	for (size_t i = 0; i < BIG; i++)
		big[i] = (uint8_t)(i % 251);
	size_t zbig_len = enc_zstd_streamed(big, BIG, zbig, 1 << 20, 20);
	CHECK(zbig_len > 0 && zbig_len < (1 << 20) / 16);
	out.len = 0;
	memset(&r, 0, sizeof(r));
	err = ks_decompress(KS_CODEC_ZSTD, span_make(zbig, zbig_len, 0), 64 << 20, &out, &r);
	CHECK(!err && !r.truncated && r.consumed == zbig_len);
	CHECK(out.len == BIG && memcmp(out.p, big, BIG) == 0);
	ksyms_error_destroy(err);
	out.len = 0;
	memset(&r, 0, sizeof(r));
	err = ks_decompress(KS_CODEC_ZSTD, span_make(zbig, zbig_len, 0), 10 << 20, &out, &r);
	CHECK(err && strstr(ksyms_error_message(err), "more than the 10485760-byte limit") != NULL);
	CHECK(out.len <= (10 << 20) + 1 && memcmp(out.p, big, out.len) == 0);
	ksyms_error_destroy(err);
	free(big);
	free(zbig);

	ks_buf_free(&out);
	free(z);
}
#endif

static struct ksyms_error *run(enum ks_codec c, const uint8_t *z, size_t len, uint64_t cap, struct ks_buf *out,
			       struct ks_decomp_result *r)
{
	out->len = 0;
	return ks_decompress(c, span_make(z, len, ORIGIN), cap, out, r);
}

static void test_codec(enum ks_codec c, encode_fn *enc)
{
	size_t zcap = PLAIN + PLAIN / 2 + 1024;
	uint8_t *z = malloc(zcap + 64);
	struct ks_buf out = { 0 };
	struct ks_decomp_result r;
	struct ksyms_error *err;

	printf("# %s\n", ks_codec_name(c));
	size_t zlen = enc(plain, PLAIN, z, zcap);
	CHECK(zlen > 0);
	CHECK(ks_codec_magic(span_make(z, zlen, 0), 0, c));

	/* exactly the cap, and data after the stream */
	memset(z + zlen, 0xa5, 64);
	err = run(c, z, zlen + 64, PLAIN, &out, &r);
	CHECK(!err);
	CHECK_EQ_U64(out.len, PLAIN);
	CHECK(out.len == PLAIN && memcmp(out.p, plain, PLAIN) == 0);
	CHECK_EQ_U64(r.consumed, zlen);
	CHECK(!r.truncated);
	ksyms_error_destroy(err);

	/* one byte over the cap: stopped there, with the right bytes */
	err = run(c, z, zlen, PLAIN - 1, &out, &r);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE);
	CHECK(out.len <= PLAIN && memcmp(out.p, plain, out.len) == 0);
	ksyms_error_destroy(err);

	/* cut in the middle: a prefix, truncated, no error */
	err = run(c, z, zlen / 2, PLAIN, &out, &r);
	CHECK(!err);
	CHECK(r.truncated);
	CHECK(out.len < PLAIN && memcmp(out.p, plain, out.len) == 0);
	ksyms_error_destroy(err);

	/* corrupt bytes in the middle (garbage may decode long: room for it) */
	memset(z + zlen / 2, 0x5a, 16);
	err = run(c, z, zlen, 4 * PLAIN, &out, &r);
	if (err)
		printf("# %s\n", ksyms_error_message(err));
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA);
	CHECK(ksyms_error_offset(err) >= ORIGIN && ksyms_error_offset(err) <= (int64_t)(ORIGIN + zlen));
	ksyms_error_destroy(err);

	ks_buf_free(&out);
	free(z);
}

static bool magic_at0(const uint8_t *d, size_t n, enum ks_codec c)
{
	return ks_codec_magic(span_make(d, n, 0), 0, c);
}

static void test_headers(void)
{
	/* lzma: dictionary 2^n or 2^n + 2^(n-1), size unknown or below 2^38 */
	uint8_t l[13] = { 0x5d, 0x00, 0x00, 0x00, 0x04, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	CHECK(magic_at0(l, sizeof(l), KS_CODEC_LZMA));
	CHECK(!ks_codec_weak_at(span_make(l, sizeof(l), 0), 0, KS_CODEC_LZMA));
	l[3] = 0x03, l[4] = 0x00; /* 3 * 64 KiB */
	CHECK(magic_at0(l, sizeof(l), KS_CODEC_LZMA));
	l[3] = 0x05; /* 5 * 64 KiB */
	CHECK(!magic_at0(l, sizeof(l), KS_CODEC_LZMA));
	l[3] = 0x00; /* 0 */
	CHECK(!magic_at0(l, sizeof(l), KS_CODEC_LZMA));
	l[3] = 0x80;
	memset(l + 5, 0, 8);
	l[5] = 0x10; /* a stated size: valid but weak */
	CHECK(magic_at0(l, sizeof(l), KS_CODEC_LZMA));
	CHECK(ks_codec_weak_at(span_make(l, sizeof(l), 0), 0, KS_CODEC_LZMA));
	l[10] = 0x40; /* 2^38 and more */
	CHECK(!magic_at0(l, sizeof(l), KS_CODEC_LZMA));
	CHECK(!magic_at0(l, 4, KS_CODEC_LZMA));

	uint8_t g[10] = { 0x1f, 0x8b, 0x08, 0x08 };
	CHECK(magic_at0(g, sizeof(g), KS_CODEC_GZIP));
	g[3] = 0x20; /* reserved flag */
	CHECK(!magic_at0(g, sizeof(g), KS_CODEC_GZIP));

	static const uint8_t bz[] = "BZh91AY&SY";
	CHECK(magic_at0(bz, 10, KS_CODEC_BZIP2));
	CHECK(!magic_at0((const uint8_t *)"BZh0" "1AY&SY", 10, KS_CODEC_BZIP2));
	CHECK(!magic_at0((const uint8_t *)"BZh9" "xxxxxx", 10, KS_CODEC_BZIP2));

	/* lz4 legacy: the first block size bounds the candidate */
	uint8_t lg[8] = { 0x02, 0x21, 0x4c, 0x18, 0x00, 0x10, 0x00, 0x00 };
	CHECK(magic_at0(lg, sizeof(lg), KS_CODEC_LZ4_LEGACY));
	lg[7] = 0x01;
	CHECK(!magic_at0(lg, sizeof(lg), KS_CODEC_LZ4_LEGACY));

	enum ks_codec c;
	CHECK(ks_codec_detect(span_make(bz, 10, 0), 0, &c) && c == KS_CODEC_BZIP2);
	CHECK(!ks_codec_detect(span_make(bz, 3, 0), 0, &c));
	CHECK(ks_codec_shows_text(KS_CODEC_LZ4) && ks_codec_shows_text(KS_CODEC_LZO) &&
	      !ks_codec_shows_text(KS_CODEC_XZ));
}

/* A codec this build lacks must say which package provides it. */
static void test_unsupported(enum ks_codec c, const char *pkg)
{
	static const uint8_t junk[64];
	struct ks_buf out = { 0 };
	struct ks_decomp_result r;
	struct ksyms_error *err = run(c, junk, sizeof(junk), 1024, &out, &r);

	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_UNSUPPORTED);
	CHECK(err && strstr(ksyms_error_message(err), pkg) != NULL);
	ksyms_error_destroy(err);
	ks_buf_free(&out);
}

struct codec_case {
	enum ks_codec codec;
	encode_fn *encode; /* NULL when the codec is not built in */
	const char *package;
};

int main(void)
{
	const struct codec_case cases[] = {
#ifdef HAVE_ZLIB
		{ KS_CODEC_GZIP, enc_gzip, "zlib1g-dev" },
#else
		{ KS_CODEC_GZIP, NULL, "zlib1g-dev" },
#endif
#ifdef HAVE_LZMA
		{ KS_CODEC_XZ, enc_xz, "liblzma-dev" },
		{ KS_CODEC_LZMA, enc_lzma, "liblzma-dev" },
#else
		{ KS_CODEC_XZ, NULL, "liblzma-dev" },
		{ KS_CODEC_LZMA, NULL, "liblzma-dev" },
#endif
#ifdef HAVE_BZIP2
		{ KS_CODEC_BZIP2, enc_bzip2, "libbz2-dev" },
#else
		{ KS_CODEC_BZIP2, NULL, "libbz2-dev" },
#endif
#ifdef HAVE_LZ4
		{ KS_CODEC_LZ4, enc_lz4, "liblz4-dev" },
#else
		{ KS_CODEC_LZ4, NULL, "liblz4-dev" },
#endif
#ifdef HAVE_ZSTD
		{ KS_CODEC_ZSTD, enc_zstd, "libzstd-dev" },
#else
		{ KS_CODEC_ZSTD, NULL, "libzstd-dev" },
#endif
	};

	make_plain();
	test_headers();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].encode)
			test_codec(cases[i].codec, cases[i].encode);
		else
			test_unsupported(cases[i].codec, cases[i].package);
	}
#ifdef HAVE_ZSTD
	test_zstd_modes();
#endif
	return tap_done();
}
