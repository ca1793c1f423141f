// SPDX-License-Identifier: MIT
/*
 * The .config a kernel carries with CONFIG_IKCONFIG=y (kernel/configs.c):
 * "IKCFG_ST", the gzip'd .config, "IKCFG_ED", in .rodata.  Until 5.0 it
 * was a C string built by scripts/bin2c; 5.1 ("kernel/configs: use
 * .incbin directive to embed config_data.gz") assembles the same bytes
 * with .incbin.  scripts/extract-ikconfig greps for
 * "IKCFG_ST\037\213\010" (marker plus the gzip magic and deflate method)
 * in the file and in each decompressed form of it; ksyms has unwrapped the
 * layers already, so every layer is searched, innermost first, then the
 * file.
 *
 * With CONFIG_IKCONFIG=m the data is in configs.ko, not in the image;
 * with it unset (Debian's kernels, which ship /boot/config-*) there is
 * nothing to find.
 */
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "core/buf.h"
#include "core/error.h"
#include "decompress/decompress.h"
#include "input/image.h"

static const char magic_start[] = "IKCFG_ST\037\213\010";
static const char magic_end[] = "IKCFG_ED";
/*
 * A .config is a few hundred KiB.  The markers tried and the bytes they
 * inflate to are bounded in all, not per marker, so that a file of
 * markers followed by gzip bombs costs no more than one: the first
 * markers of a file are tried, and each gets what the others left.
 */
enum { MARKER_LEN = 8, MAX_CONFIG = 64 << 20, MAX_MARKERS = 16 };

struct budget {
	uint64_t bytes;   /* inflated bytes left */
	unsigned markers; /* markers left */
};

/* Decompress the stream after the marker at @at; false if it is not one. */
static struct ksyms_error *inflate_at(struct span data, size_t at, struct ks_buf *out, struct budget *b)
{
	struct span gz = span_from(data, at + MARKER_LEN);
	struct ks_decomp_result r = { 0 };
	struct ksyms_error *err = ks_decompress(KS_CODEC_GZIP, gz, b->bytes, out, &r);

	b->bytes -= out->len < b->bytes ? out->len : b->bytes;
	b->markers--;
	if (err)
		return err;
	if (r.truncated)
		return ks_error_at((int64_t)(data.origin + at), "the embedded .config at 0x%zx is cut short", at);
	/* the end marker follows the stream directly; a mismatch means the
	 * magic was a chance hit that happened to inflate */
	if (!span_eq(gz, r.consumed, magic_end, MARKER_LEN))
		return ks_error_at((int64_t)(data.origin + at), "no IKCFG_ED after the .config at 0x%zx", at);
	return NULL;
}

/* The first marker in @data whose stream inflates; *ret_err keeps the
 * reason the others failed. */
static bool find_in(struct span data, struct ks_buf *out, struct budget *b, struct ksyms_error **ret_err)
{
	size_t from = 0, at;

	while (b->markers && b->bytes && (at = span_find(data, from, magic_start, sizeof(magic_start) - 1)) != SIZE_MAX) {
		struct ksyms_error *err = inflate_at(data, at, out, b);
		if (!err)
			return true;
		if (!*ret_err)
			*ret_err = err;
		else
			ksyms_error_destroy(err);
		out->len = 0;
		from = at + 1;
	}
	return false;
}

static struct ksyms_error *not_built_in(void)
{
	return ks_error(KSYMS_ERR_NOT_FOUND, "this kernel was built without CONFIG_IKCONFIG: it holds no "
					     "embedded .config (no IKCFG_ST marker; with CONFIG_IKCONFIG=m it is in "
					     "configs.ko)");
}

struct ksyms_error *ksyms_image_config(const struct ksyms_image *img, char **ret, size_t *ret_len)
{
	struct ks_buf out = { 0 };
	struct ksyms_error *err = NULL;
	struct budget b = { MAX_CONFIG, MAX_MARKERS };
	bool found = false;

	if (!img || !ret || !ret_len)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_image_config");
	/* built in is enough: a missing libz is told by the stream that
	 * needs it, and a kernel without IKCONFIG needs none */
	if (!ks_codec_built(KS_CODEC_GZIP))
		return ks_error(KSYMS_ERR_UNSUPPORTED, "reading the embedded .config needs gzip support (zlib), "
						       "which this build of ksyms lacks");
	for (size_t i = ksyms_image_layer_count(img); i-- > 0 && !found;) {
		size_t len;
		const void *p = ksyms_image_layer_data(img, i, &len);
		found = p && find_in(span_make(p, len, 0), &out, &b, &err);
	}
	/* and the file itself, which is no layer when its kernel came from a
	 * container or a stream found inside it */
	if (!found)
		found = find_in(ks_image_file(img), &out, &b, &err);
	if (!found) {
		ks_buf_free(&out);
		/* a marker whose data is broken is worth its own message */
		return err ? err : not_built_in();
	}
	ksyms_error_destroy(err);
	if (!ks_buf_append(&out, "", 1)) {
		ks_buf_free(&out);
		return &ks_enomem;
	}
	*ret_len = out.len - 1;
	*ret = (char *)out.p;
	return NULL;
}

struct ksyms_error *ksyms_image_banner(const struct ksyms_image *img, char **ret)
{
	size_t len, off, blen;

	if (!img || !ret)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_image_banner");
	const uint8_t *p = ksyms_image_kernel(img, &len);
	struct span data = span_make(p, len, 0);
	if (!p || !ks_kernel_banner(data, &off, &blen))
		return ks_error(KSYMS_ERR_NOT_FOUND, "no \"Linux version\" banner in the kernel");
	char *s = malloc(blen + 1);
	if (!s)
		return &ks_enomem;
	memcpy(s, span_at(data, off, blen), blen);
	s[blen] = 0;
	*ret = s;
	return NULL;
}
