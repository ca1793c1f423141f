// SPDX-License-Identifier: MIT
/*
 * Container unwrappers: each container is built here from its documented
 * header layout around a synthetic kernel, opened with
 * ksyms_image_open_mem(), and the chain and the innermost bytes checked.
 * Then the same headers with hostile fields: each must give one error,
 * never a crash (run this under ASan/UBSan too).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include <ksyms.h>

#include "harness.h"
#include "core/buf.h"
#include "core/endian.h"

#ifdef HAVE_ZLIB
#include <zlib.h>

/* ------------------------------------------------------------------------ */
/* Building blocks */

static struct ks_buf kernel; /* the synthetic kernel every test wraps */
static struct ks_buf kernel_gz;

static void make_kernel(void)
{
	static const char banner[] = "Linux version 6.6.0-test (ksyms@test) (gcc 12) #1 SMP\n";
	uint32_t x = 12345;

	for (int i = 0; i < 64 * 1024; i++) {
		x = x * 1103515245 + 12345;
		uint8_t c = (uint8_t)((x >> 16) % 16); /* compressible, not trivial */
		if (!ks_buf_append(&kernel, &c, 1))
			abort();
		if (i == 4096 && !ks_buf_append(&kernel, banner, sizeof(banner)))
			abort();
	}
}

static void gzip_into(struct ks_buf *out, const uint8_t *p, size_t n)
{
	z_stream z = { 0 };

	/* 31: a gzip wrapper, as gzip(1) writes */
	if (deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	size_t bound = deflateBound(&z, (uLong)n);
	if (!ks_buf_reserve(out, bound))
		abort();
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = out->p + out->len;
	z.avail_out = (uInt)bound;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	out->len += bound - z.avail_out;
	deflateEnd(&z);
}

static void put(struct ks_buf *b, size_t off, const void *p, size_t n)
{
	if (off + n > b->len && !ks_buf_zeros(b, off + n - b->len))
		abort();
	memcpy(b->p + off, p, n);
}

static void put32(struct ks_buf *b, size_t off, uint32_t v, bool be)
{
	uint8_t t[4];
	store32(t, v, be);
	put(b, off, t, 4);
}

static void put16le(struct ks_buf *b, size_t off, uint16_t v)
{
	uint8_t t[2];
	store16(t, v, false);
	put(b, off, t, 2);
}

static void append(struct ks_buf *b, const void *p, size_t n)
{
	if (!ks_buf_append(b, p, n))
		abort();
}

/* A minimal, valid FDT header with no nodes: what an appended DTB looks like to us. */
static void append_dtb(struct ks_buf *b, uint32_t size)
{
	size_t at = b->len;
	put32(b, at, 0xd00dfeed, true);
	put32(b, at + 4, size, true);
	put32(b, at + 20, 17, true);
	put32(b, at + 24, 16, true);
	put(b, at + size - 1, "", 1);
}

struct opened {
	struct ksyms_image *img;
	struct ksyms_error *err;
};

static struct opened open_buf(const struct ks_buf *b)
{
	struct opened o = { 0 };
	o.err = ksyms_image_open_mem(b->p, b->len, NULL, &o.img);
	if (o.err)
		printf("# open: %s\n", ksyms_error_message(o.err));
	return o;
}

/* The chain's formats joined with " -> ", and the kernel equal to @want. */
static void check_chain(const struct ks_buf *b, const char *chain, const struct ks_buf *want)
{
	struct opened o = open_buf(b);
	char got[256] = "";
	size_t len = 0;

	CHECK(o.err == NULL);
	ksyms_error_destroy(o.err);
	if (!o.img)
		return;
	for (size_t i = 0; i < ksyms_image_layer_count(o.img); i++) {
		const struct ksyms_layer *l = ksyms_image_layer(o.img, i);
		printf("# %s: %s\n", l->format, l->description);
		if (i)
			strncat(got, " -> ", sizeof(got) - strlen(got) - 1);
		strncat(got, l->format, sizeof(got) - strlen(got) - 1);
	}
	CHECK_STR(got, chain);
	const void *k = ksyms_image_kernel(o.img, &len);
	CHECK(len == want->len && memcmp(k, want->p, len) == 0);
	ksyms_image_destroy(o.img);
}

/* Opening fails with @code and a message containing @needle. */
static void check_error(const struct ks_buf *b, enum ksyms_error_code code, const char *needle)
{
	struct opened o = open_buf(b);

	CHECK(o.err != NULL && o.img == NULL);
	if (!o.err) {
		ksyms_image_destroy(o.img);
		return;
	}
	CHECK_EQ_U64(ksyms_error_code(o.err), code);
	const char *m = ksyms_error_message(o.err);
	if (!CHECK(strstr(m, needle) != NULL))
		printf("# wanted '%s' in the message\n", needle);
	ksyms_error_destroy(o.err);
}

static const char *describe(const struct ks_buf *b, size_t layer, char *dst, size_t cap)
{
	struct opened o = open_buf(b);
	dst[0] = 0;
	if (o.img && ksyms_image_layer(o.img, layer))
		snprintf(dst, cap, "%s", ksyms_image_layer(o.img, layer)->description);
	ksyms_image_destroy(o.img);
	ksyms_error_destroy(o.err);
	return dst;
}

/* ------------------------------------------------------------------------ */
/* x86 bzImage */

static void make_bzimage(struct ks_buf *b, uint8_t setup_sects, uint16_t version, bool pe)
{
	unsigned sects = setup_sects ? setup_sects : 4;
	size_t pm = (sects + 1) * 512;
	const size_t poff = 0x3c0; /* decompressor code before the payload */

	memset(b, 0, sizeof(*b));
	if (pe)
		put(b, 0, "MZ", 2);
	put(b, 0x1f1, &setup_sects, 1);
	put16le(b, 0x1fe, 0xaa55);
	put(b, 0x202, "HdrS", 4);
	put16le(b, 0x206, version);
	put16le(b, 0x20e, 0x300); /* kernel_version string at 0x500 */
	uint8_t lf = 1;
	put(b, 0x211, &lf, 1);
	put(b, 0x500, "6.6.0-test (ksyms@test) #1", 27);
	if (version >= 0x208) {
		put32(b, 0x248, (uint32_t)poff, false);
		put32(b, 0x24c, (uint32_t)kernel_gz.len, false);
	}
	put(b, pm, "decompressor", 12);
	put(b, pm + poff, kernel_gz.p, kernel_gz.len);
	put32(b, b->len, (uint32_t)kernel.len, false);
}

static void test_bzimage(void)
{
	struct ks_buf b;
	char d[256];

	make_bzimage(&b, 0x1b, 0x20f, true);
	check_chain(&b, "bzImage -> gzip -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "boot protocol 2.15, PE/EFI stub") != NULL);
	CHECK(strstr(d, "version 6.6.0-test,") != NULL || strstr(d, "version 6.6.0-test") != NULL);
	ks_buf_free(&b);

	make_bzimage(&b, 0, 0x20a, false); /* setup_sects 0 means 4 */
	check_chain(&b, "bzImage -> gzip -> raw", &kernel);
	ks_buf_free(&b);

	make_bzimage(&b, 4, 0x204, false); /* before 2.08: found by the gzip magic */
	check_chain(&b, "bzImage -> gzip -> raw", &kernel);
	ks_buf_free(&b);

	make_bzimage(&b, 0x1b, 0x20f, false);
	put32(&b, 0x24c, 0xffffffff, false); /* payload_length of 4 GiB */
	check_error(&b, KSYMS_ERR_BAD_DATA, "payload (4294967295 bytes at 0x");
	put32(&b, 0x248, 0xffffffff, false); /* offset that overflows 32 bits */
	check_error(&b, KSYMS_ERR_BAD_DATA, "extends past the end of the data");
	b.len = 0x208; /* truncated inside the header */
	check_error(&b, KSYMS_ERR_BAD_DATA, "setup header truncated");
	b.len = 0x300; /* header complete, setup code cut */
	check_error(&b, KSYMS_ERR_BAD_DATA, "is not followed by a kernel");
	ks_buf_free(&b);
}

/* ------------------------------------------------------------------------ */
/* ARM zImage */

enum zi_kind { ZI_LE, ZI_BE8, ZI_BE32 };

static void make_zimage_of(struct ks_buf *b, enum zi_kind kind, bool dtb, const struct ks_buf *gz, size_t size)
{
	bool be = kind == ZI_BE32;

	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < 0x24; i += 4)
		put32(b, i, 0xe1a00000, be); /* mov r0, r0 */
	put32(b, 0x24, 0x016f2818, be);
	put32(b, 0x28, 0, be);
	put32(b, 0x30, 0x04030201, kind != ZI_LE);
	put32(b, 0x34, 0x45454545, be);
	/* a false candidate first: a gzip magic that is not a stream */
	put(b, 0x200, "\x1f\x8b\x08\x00garbage-not-a-stream", 24);
	put(b, 0x1000, gz->p, gz->len);
	put32(b, b->len, (uint32_t)size, false);
	ks_buf_align(b, 8) ? (void)0 : abort();
	put32(b, 0x2c, (uint32_t)b->len, be);
	if (dtb)
		append_dtb(b, 0x80);
}

static void make_zimage(struct ks_buf *b, enum zi_kind kind, bool dtb)
{
	make_zimage_of(b, kind, dtb, &kernel_gz, kernel.len);
}

/* No banner, but far bigger than the zImage: still taken, after the search. */
static void test_zimage_no_banner(void)
{
	struct ks_buf k = { 0 }, gz = { 0 }, b;

	if (!ks_buf_zeros(&k, 1 << 20))
		abort();
	for (size_t i = 0; i < k.len; i += 64)
		k.p[i] = (uint8_t)i;
	gzip_into(&gz, k.p, k.len);
	make_zimage_of(&b, ZI_LE, false, &gz, k.len);
	check_chain(&b, "zImage -> raw", &k);

	/* past the output cap: the cap's error, not "no kernel found" */
	KSYMS_OPTS(ksyms_open_opts, oo, .max_output = 4096);
	struct ksyms_image *img = NULL;
	struct ksyms_error *err = ksyms_image_open_mem(b.p, b.len, &oo, &img);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE);
	CHECK(err && strstr(ksyms_error_message(err), "ARM zImage: gzip stream at 0x1000") != NULL);
	if (err)
		printf("# %s\n", ksyms_error_message(err));
	ksyms_error_destroy(err);
	ksyms_image_destroy(img);
	ks_buf_free(&b);
	ks_buf_free(&gz);
	ks_buf_free(&k);
}

static void test_zimage(void)
{
	struct ks_buf b;
	char d[256];

	make_zimage(&b, ZI_LE, false);
	check_chain(&b, "zImage -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "little-endian") != NULL);
	CHECK(strstr(d, "gzip stream at 0x1000") != NULL);
	ks_buf_free(&b);

	make_zimage(&b, ZI_BE8, true);
	check_chain(&b, "zImage -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "big-endian (BE8)") != NULL);
	CHECK(strstr(d, "appended DTB of 128 bytes") != NULL);
	ks_buf_free(&b);

	make_zimage(&b, ZI_BE32, false);
	check_chain(&b, "zImage -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "big-endian (BE32)") != NULL);
	ks_buf_free(&b);

	make_zimage(&b, ZI_LE, false);
	put32(&b, 0x2c, 0xfffffff0, false); /* end past the file */
	check_error(&b, KSYMS_ERR_BAD_DATA, "extends past the end of the data");
	put32(&b, 0x28, 0xfffffff8, false); /* end below start */
	check_error(&b, KSYMS_ERR_BAD_DATA, "is below start");
	put32(&b, 0x28, 0, false);
	put32(&b, 0x2c, 0x800, false); /* ends before the stream */
	check_error(&b, KSYMS_ERR_NOT_FOUND, "no compressed kernel found");
	b.len = 0x26; /* the magic cut in half: not a zImage at all, just raw */
	struct opened o = open_buf(&b);
	CHECK(o.err == NULL && o.img && ksyms_image_layer_count(o.img) == 1);
	ksyms_image_destroy(o.img);
	ksyms_error_destroy(o.err);
	ks_buf_free(&b);
}

/* ------------------------------------------------------------------------ */
/* EFI zboot */

static void make_zboot(struct ks_buf *b, const char *type)
{
	const size_t off = 0x1000;

	memset(b, 0, sizeof(*b));
	put(b, 0, "MZ\0\0zimg", 8);
	put32(b, 8, (uint32_t)off, false);
	put32(b, 12, (uint32_t)kernel_gz.len, false);
	put(b, 0x18, type, strlen(type) + 1);
	put(b, 0x38, "\xcd\x23\x82\x81", 4);
	put32(b, 0x3c, 0x40, false);
	put(b, 0x40, "PE\0\0\x64\xaa", 6);
	put(b, off, kernel_gz.p, kernel_gz.len);
	put32(b, b->len, (uint32_t)kernel.len, false);
}

static void test_zboot(void)
{
	struct ks_buf b;
	char d[256];

	make_zboot(&b, "gzip");
	check_chain(&b, "EFI zboot -> gzip -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "EFI zboot for arm64, gzip payload") != NULL);
	ks_buf_free(&b);

	make_zboot(&b, "zstd22");
	check_chain(&b, "EFI zboot -> gzip -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "(the header says 'zstd22')") != NULL);
	put32(&b, 12, 0xffffffff, false);
	check_error(&b, KSYMS_ERR_BAD_DATA, "EFI zboot: payload (4294967295 bytes at 0x1000) extends past");
	put32(&b, 12, 16, false);
	put32(&b, 8, 0x20, false);
	check_error(&b, KSYMS_ERR_BAD_DATA, "starts with no known stream magic");
	b.len = 0x10;
	check_error(&b, KSYMS_ERR_BAD_DATA, "EFI zboot: header truncated");
	ks_buf_free(&b);
}

/* ------------------------------------------------------------------------ */
/* Android boot.img */

static void make_bootimg(struct ks_buf *b, unsigned version, uint32_t page, const struct ks_buf *k)
{
	memset(b, 0, sizeof(*b));
	put(b, 0, "ANDROID!", 8);
	put32(b, 8, (uint32_t)k->len, false);
	put32(b, 40, version, false);
	if (version < 3) {
		put32(b, 12, 0x10008000, false);
		put32(b, 36, page, false);
		put32(b, 44, (11u << 25) | (21u << 4) | 3, false); /* Android 11, 2021-03 */
		put(b, 48, "testboard", 9);
	} else {
		page = 4096;
		put32(b, 20, version == 3 ? 1580 : 1584, false);
	}
	put(b, page - 1, "", 1);
	append(b, k->p, k->len);
	ks_buf_align(b, page) ? (void)0 : abort();
	append(b, "ramdisk", 7); /* the next section */
}

static void test_bootimg(void)
{
	struct ks_buf b, k = { 0 };
	char d[256];

	for (unsigned v = 0; v <= 4; v++) {
		make_bootimg(&b, v, v == 1 ? 4096 : 2048, &kernel_gz);
		check_chain(&b, "boot.img -> gzip -> raw", &kernel);
		ks_buf_free(&b);
	}
	make_bootimg(&b, 2, 2048, &kernel);
	check_chain(&b, "boot.img -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "Android boot.img v2, page size 2048, uncompressed kernel") != NULL);
	CHECK(strstr(d, "board 'testboard', Android 11.0.0, patch level 2021-03") != NULL);
	ks_buf_free(&b);

	/* Image.gz-dtb: two DTBs after the stream; the view stops before them */
	append(&k, kernel_gz.p, kernel_gz.len);
	append_dtb(&k, 0x40);
	append_dtb(&k, 0x48);
	make_bootimg(&b, 0, 2048, &k);
	check_chain(&b, "boot.img -> gzip -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "then 2 appended DTBs (136 bytes)") != NULL);

	put32(&b, 8, 0xffffffff, false);
	check_error(&b, KSYMS_ERR_BAD_DATA, "kernel (4294967295 bytes at 0x800) extends past the end");
	put32(&b, 36, 3000, false);
	check_error(&b, KSYMS_ERR_BAD_DATA, "page size 3000");
	put32(&b, 36, 2048, false);
	put32(&b, 8, 0, false);
	check_error(&b, KSYMS_ERR_NOT_FOUND, "holds no kernel");
	put32(&b, 40, 9, false);
	check_error(&b, KSYMS_ERR_UNSUPPORTED, "header version 9");
	b.len = 1000;
	put32(&b, 40, 0, false);
	check_error(&b, KSYMS_ERR_BAD_DATA, "header truncated");
	put(&b, 0, "VNDRBOOT", 8);
	check_error(&b, KSYMS_ERR_NOT_FOUND, "vendor_boot image (header v");
	ks_buf_free(&b);
	ks_buf_free(&k);
}

/* ------------------------------------------------------------------------ */
/* U-Boot uImage */

static void make_uimage(struct ks_buf *b, const struct ks_buf *data, uint8_t arch, uint8_t type, uint8_t comp,
			uint32_t load)
{
	memset(b, 0, sizeof(*b));
	put32(b, 0, 0x27051956, true);
	put32(b, 12, (uint32_t)data->len, true);
	put32(b, 16, load, true);
	put32(b, 20, load, true);
	put32(b, 24, (uint32_t)crc32(0, data->p, (uInt)data->len), true);
	uint8_t f[4] = { 5 /* linux */, arch, type, comp };
	put(b, 28, f, 4);
	put(b, 32, "test kernel", 11);
	put(b, 63, "", 1);
	put32(b, 4, (uint32_t)crc32(0, b->p, 64), true);
	append(b, data->p, data->len);
}

static void test_uimage(void)
{
	struct ks_buf b, inner, multi = { 0 };
	char d[256];

	make_uimage(&b, &kernel_gz, 2 /* arm */, 2 /* kernel */, 1 /* gzip */, 0x80008000);
	check_chain(&b, "uImage -> gzip -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "U-Boot uImage 'test kernel', arm, compression gzip") != NULL);
	CHECK(strstr(d, "CRCs good") != NULL);
	b.p[b.len - 9] ^= 1; /* in the gzip trailer's CRC: the stream still inflates */
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "WARNING: data CRC mismatch") != NULL);
	b.p[40] ^= 1; /* the name */
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "WARNING: header CRC mismatch") != NULL);
	ks_buf_free(&b);

	/* multi-file: sizes, 0, then the files padded to 4 bytes */
	uint8_t sz[12];
	store32(sz, (uint32_t)kernel_gz.len, true);
	store32(sz + 4, 7, true);
	store32(sz + 8, 0, true);
	append(&multi, sz, sizeof(sz));
	append(&multi, kernel_gz.p, kernel_gz.len);
	ks_buf_align(&multi, 4) ? (void)0 : abort();
	append(&multi, "ramdisk", 7);
	make_uimage(&b, &multi, 5 /* mips */, 4 /* multi */, 1, 0x80100000);
	check_chain(&b, "uImage -> gzip -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "multi-file: the first of 2") != NULL);
	ks_buf_free(&b);

	/* nesting: a uImage of a uImage of a gzip stream */
	make_uimage(&inner, &kernel_gz, 2, 2, 1, 0);
	make_uimage(&b, &inner, 2, 2, 0 /* none */, 0);
	check_chain(&b, "uImage -> uImage -> gzip -> raw", &kernel);
	ks_buf_free(&b);

	/* hostile */
	make_uimage(&b, &inner, 2, 2, 1 /* says gzip: it is not */, 0);
	check_error(&b, KSYMS_ERR_BAD_DATA, "the header says gzip, but the data at 0x40 is not a gzip stream");
	put32(&b, 12, 0xffffffff, true);
	check_error(&b, KSYMS_ERR_BAD_DATA, "uImage: data (4294967295 bytes at 0x40) extends past the end");
	b.len = 40;
	check_error(&b, KSYMS_ERR_BAD_DATA, "uImage: header truncated (40 of 64 bytes)");
	ks_buf_free(&b);
	make_uimage(&b, &kernel_gz, 2, 3 /* ramdisk */, 1, 0);
	check_error(&b, KSYMS_ERR_NOT_FOUND, "holds a ramdisk, not a kernel");
	ks_buf_free(&b);
	store32(multi.p + 8, 0xffffffff, true); /* the size list never ends */
	multi.len = 12;
	make_uimage(&b, &multi, 5, 4, 1, 0);
	check_error(&b, KSYMS_ERR_BAD_DATA, "has no end");
	ks_buf_free(&b);
	ks_buf_free(&multi);

	/* 100 deep: one clear error, from the depth limit */
	for (int i = 0; i < 100; i++) {
		make_uimage(&b, &inner, 2, 2, 0, 0);
		ks_buf_free(&inner);
		inner = b;
	}
	check_error(&inner, KSYMS_ERR_TOO_LARGE, "containers nested more than 16 deep");
	ks_buf_free(&inner);
}

/* ------------------------------------------------------------------------ */
/* FIT: a flattened device tree built token by token */

struct fdtb {
	struct ks_buf st, str;
};

static void fdt_tok(struct fdtb *f, uint32_t tok)
{
	uint8_t t[4];
	store32(t, tok, true);
	append(&f->st, t, 4);
}

static void fdt_begin(struct fdtb *f, const char *name)
{
	fdt_tok(f, 1);
	append(&f->st, name, strlen(name) + 1);
	ks_buf_align(&f->st, 4) ? (void)0 : abort();
}

static void fdt_prop(struct fdtb *f, const char *name, const void *v, size_t n)
{
	fdt_tok(f, 3);
	fdt_tok(f, (uint32_t)n);
	fdt_tok(f, (uint32_t)f->str.len);
	append(&f->str, name, strlen(name) + 1);
	append(&f->st, v, n);
	ks_buf_align(&f->st, 4) ? (void)0 : abort();
}

static void fdt_str(struct fdtb *f, const char *name, const char *v)
{
	fdt_prop(f, name, v, strlen(v) + 1);
}

static void fdt_u32(struct fdtb *f, const char *name, uint32_t v)
{
	uint8_t t[4];
	store32(t, v, true);
	fdt_prop(f, name, t, 4);
}

static void fdt_finish(struct fdtb *f, struct ks_buf *out)
{
	const size_t hdr = 40, rsv = 16;

	fdt_tok(f, 9);
	memset(out, 0, sizeof(*out));
	put32(out, 0, 0xd00dfeed, true);
	put32(out, 4, (uint32_t)(hdr + rsv + f->st.len + f->str.len), true);
	put32(out, 8, (uint32_t)(hdr + rsv), true);
	put32(out, 12, (uint32_t)(hdr + rsv + f->st.len), true);
	put32(out, 16, (uint32_t)hdr, true);
	put32(out, 20, 17, true);
	put32(out, 24, 16, true);
	put32(out, 32, (uint32_t)f->str.len, true);
	put32(out, 36, (uint32_t)f->st.len, true);
	put(out, hdr + rsv - 1, "", 1);
	append(out, f->st.p, f->st.len);
	append(out, f->str.p, f->str.len);
	ks_buf_free(&f->st);
	ks_buf_free(&f->str);
}

enum fit_data { FIT_EMBEDDED, FIT_OFFSET, FIT_POSITION };

/* The tree; external data is placed at @base (data-position) or after the
 * tree (data-offset), both 8 bytes of junk then the kernel. */
static void make_fit_tree(struct ks_buf *b, enum fit_data how, const char *comp, bool default_second, uint32_t base)
{
	struct fdtb f = { 0 };

	fdt_begin(&f, "");
	fdt_str(&f, "description", "test FIT");
	fdt_begin(&f, "images");
	fdt_begin(&f, "fdt-1");
	fdt_str(&f, "type", "flat_dt");
	fdt_prop(&f, "data", "\xd0\x0d\xfe\xed", 4);
	fdt_tok(&f, 2);
	for (int i = 1; i <= 2; i++) {
		fdt_begin(&f, i == 1 ? "kernel-1" : "kernel-2");
		fdt_str(&f, "type", "kernel");
		fdt_str(&f, "arch", "arm64");
		fdt_str(&f, "compression", i == 1 ? "none" : comp);
		if (how == FIT_EMBEDDED) {
			fdt_prop(&f, "data", i == 1 ? "junk" : (const char *)kernel_gz.p, i == 1 ? 4 : kernel_gz.len);
		} else if (how == FIT_OFFSET) {
			fdt_u32(&f, "data-offset", i == 1 ? 0 : 8);
		} else {
			fdt_u32(&f, "data-position", base + (i == 1 ? 0 : 8));
		}
		if (how != FIT_EMBEDDED)
			fdt_u32(&f, "data-size", i == 1 ? 4 : (uint32_t)kernel_gz.len);
		fdt_u32(&f, "load", 0x80080000);
		fdt_begin(&f, "hash-1");
		fdt_str(&f, "algo", "crc32");
		fdt_tok(&f, 2);
		fdt_tok(&f, 2);
	}
	fdt_tok(&f, 2);
	fdt_begin(&f, "configurations");
	fdt_str(&f, "default", default_second ? "conf-2" : "conf-1");
	fdt_begin(&f, "conf-1");
	fdt_str(&f, "kernel", "kernel-1");
	fdt_tok(&f, 2);
	fdt_begin(&f, "conf-2");
	fdt_str(&f, "kernel", "kernel-2");
	fdt_tok(&f, 2);
	fdt_tok(&f, 2);
	fdt_tok(&f, 2);
	fdt_finish(&f, b);
}

static void make_fit(struct ks_buf *b, enum fit_data how, const char *comp, bool default_second)
{
	make_fit_tree(b, how, comp, default_second, 0);
	if (how == FIT_EMBEDDED)
		return;
	/* the tree's size does not depend on the values: build it again
	 * with data-position pointing after it, at a 4-byte boundary + 4 */
	size_t base = ((b->len + 3) & ~(size_t)3) + (how == FIT_POSITION ? 4 : 0);
	ks_buf_free(b);
	make_fit_tree(b, how, comp, default_second, (uint32_t)base);
	put(b, base, "junk\0\0\0\0", 8);
	append(b, kernel_gz.p, kernel_gz.len);
}

static void test_fit(void)
{
	struct ks_buf b;
	char d[256];

	make_fit(&b, FIT_EMBEDDED, "gzip", true);
	check_chain(&b, "FIT -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)),
		      "U-Boot FIT image 'test FIT', kernel 'kernel-2' of configuration 'conf-2' (arm64, compression gzip)") !=
	      NULL);
	ks_buf_free(&b);

	make_fit(&b, FIT_EMBEDDED, "none", true); /* "none", but gzip data: the codec layer takes it */
	check_chain(&b, "FIT -> gzip -> raw", &kernel);
	ks_buf_free(&b);

	make_fit(&b, FIT_OFFSET, "gzip", true);
	check_chain(&b, "FIT -> raw", &kernel);
	CHECK(strstr(describe(&b, 0, d, sizeof(d)), "external data") != NULL);
	ks_buf_free(&b);

	make_fit(&b, FIT_POSITION, "gzip", true);
	check_chain(&b, "FIT -> raw", &kernel);
	ks_buf_free(&b);

	make_fit(&b, FIT_EMBEDDED, "zstd", true);
	check_error(&b, KSYMS_ERR_BAD_DATA, "says compression 'zstd', but its data");
	ks_buf_free(&b);
	make_fit(&b, FIT_EMBEDDED, "lzham", true);
	check_error(&b, KSYMS_ERR_UNSUPPORTED, "unknown compression 'lzham'");
	ks_buf_free(&b);

	/* the default configuration chooses kernel-1: its 4 bytes of junk, uncompressed */
	make_fit(&b, FIT_EMBEDDED, "gzip", false);
	struct ks_buf junk = { 0 };
	append(&junk, "junk", 4);
	check_chain(&b, "FIT -> raw", &junk);
	ks_buf_free(&junk);
	ks_buf_free(&b);

	/* hostile trees */
	struct fdtb f = { 0 };
	fdt_begin(&f, "");
	for (int i = 0; i < 40; i++)
		fdt_begin(&f, "deeper");
	fdt_finish(&f, &b);
	check_error(&b, KSYMS_ERR_BAD_DATA, "nodes nested too deep");
	ks_buf_free(&b);

	memset(&f, 0, sizeof(f));
	fdt_begin(&f, "");
	fdt_tok(&f, 2);
	fdt_finish(&f, &b);
	check_error(&b, KSYMS_ERR_NOT_FOUND, "no /images node");
	put32(&b, 4, 0x7fffffff, true); /* totalsize past the end */
	check_error(&b, KSYMS_ERR_BAD_DATA, "totalsize 2147483647 is past the end");
	put32(&b, 4, (uint32_t)b.len, true);
	uint32_t st = load_be32(b.p + 36);
	put32(&b, 36, 0xfffffff0, true); /* size_dt_struct that overflows */
	check_error(&b, KSYMS_ERR_BAD_DATA, "structure block");
	put32(&b, 36, st - 4, true); /* no room for FDT_END */
	check_error(&b, KSYMS_ERR_BAD_DATA, "ends without FDT_END");
	put32(&b, 36, st, true);
	put32(&b, 56 + 8, 7, true); /* an unknown token after the root's begin */
	check_error(&b, KSYMS_ERR_BAD_DATA, "unknown token at 0x40");
	b.len = 20;
	check_error(&b, KSYMS_ERR_BAD_DATA, "device tree header truncated");
	ks_buf_free(&b);

	memset(&f, 0, sizeof(f));
	fdt_begin(&f, "");
	fdt_begin(&f, "images");
	fdt_begin(&f, "k");
	fdt_str(&f, "type", "kernel");
	fdt_u32(&f, "data-offset", 0x100);
	fdt_u32(&f, "data-size", 0xffffffff);
	fdt_tok(&f, 2);
	fdt_tok(&f, 2);
	fdt_tok(&f, 2);
	fdt_finish(&f, &b);
	check_error(&b, KSYMS_ERR_BAD_DATA, "external kernel data (4294967295 bytes at 0x");
	ks_buf_free(&b);
}

int main(void)
{
	make_kernel();
	gzip_into(&kernel_gz, kernel.p, kernel.len);
	test_bzimage();
	test_zimage();
	test_zimage_no_banner();
	test_zboot();
	test_bootimg();
	test_uimage();
	test_fit();
	ks_buf_free(&kernel);
	ks_buf_free(&kernel_gz);
	return tap_done();
}

#else /* the fixtures are gzip streams: without zlib there is nothing to test */
int main(void)
{
	printf("1..0 # SKIP built without zlib\n");
	return 0;
}
#endif
