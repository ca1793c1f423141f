// SPDX-License-Identifier: MIT
/*
 * The embedded .config (lib/config/ikconfig.c): gzip data between
 * IKCFG_ST and IKCFG_ED as kernel/configs.c lays it out, a broken end
 * marker, no marker at all; and the version banner.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_ZLIB
#include <zlib.h>
#endif

#include "harness.h"
#include "ksyms.h"

#ifdef HAVE_ZLIB
static size_t gzip(const char *in, size_t len, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };
	CHECK(deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END);
	size_t n = z.total_out;
	deflateEnd(&z);
	return n;
}

static void test_config(void)
{
	static const char config[] = "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_IKCONFIG=y\n"
				     "CONFIG_KALLSYMS=y\n# CONFIG_KALLSYMS_ALL is not set\n";
	static uint8_t img[8192];
	struct ksyms_image *im;
	char *got = NULL;
	size_t len = 0, at = 3000;

	memset(img, 0xa5, sizeof(img));
	memcpy(img + 100, "Linux version 9.9.9 (test) #1\n", 30);
	memcpy(img + at, "IKCFG_ST", 8);
	size_t n = gzip(config, sizeof(config) - 1, img + at + 8, 4096);
	memcpy(img + at + 8 + n, "IKCFG_ED", 8);
	CHECK(ksyms_image_open_mem(img, sizeof(img), NULL, &im) == NULL);
	CHECK(ksyms_image_config(im, &got, &len) == NULL);
	CHECK(got && len == sizeof(config) - 1 && memcmp(got, config, len) == 0);
	ksyms_free(got);
	char *banner = NULL;
	CHECK(ksyms_image_banner(im, &banner) == NULL);
	CHECK_STR(banner, "Linux version 9.9.9 (test) #1");
	ksyms_free(banner);
	ksyms_image_destroy(im);

	/* no end marker: the stream is not the kernel's */
	memcpy(img + at + 8 + n, "IKCFG_XX", 8);
	CHECK(ksyms_image_open_mem(img, sizeof(img), NULL, &im) == NULL);
	struct ksyms_error *err = ksyms_image_config(im, &got, &len);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA);
	ksyms_error_destroy(err);
	ksyms_image_destroy(im);

	/* no marker at all: said plainly */
	memset(img + at, 0xa5, 8);
	CHECK(ksyms_image_open_mem(img, sizeof(img), NULL, &im) == NULL);
	err = ksyms_image_config(im, &got, &len);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND &&
	      strstr(ksyms_error_message(err), "without CONFIG_IKCONFIG"));
	ksyms_error_destroy(err);
	ksyms_image_destroy(im);
}
#endif

int main(void)
{
#ifdef HAVE_ZLIB
	test_config();
#else
	printf("# SKIP: this build has no zlib\n");
#endif
	return tap_done();
}
