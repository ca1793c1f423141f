// SPDX-License-Identifier: MIT
/*
 * One page of a kdump-compressed dump (makedumpfile's diskdump format, and
 * QEMU's dump-guest-memory -z/-l/-s): each dumped page is compressed on its
 * own, with no framing around it: a zlib stream (compress2()), a raw
 * LZO1X-1 block, a raw snappy block, or a zstd frame.  The output is one
 * page: a block that expands to more than @out_len bytes is corrupt, and
 * no library is ever given room for more.
 */
#include <stdio.h>
#include <string.h>

#include "decompress.h"
#include "core/error.h"

#include "codec_libs.h"

static const struct {
	const char *name, *package;
	enum ks_lib lib;
} page_codecs[] = {
	[KS_PAGE_ZLIB] = { "zlib", "zlib1g-dev", KS_LIB_ZLIB },
	[KS_PAGE_LZO] = { "lzo", "liblzo2-dev", KS_LIB_LZO },
	[KS_PAGE_SNAPPY] = { "snappy", "libsnappy-dev", KS_LIB_SNAPPY },
	[KS_PAGE_ZSTD] = { "zstd", "libzstd-dev", KS_LIB_ZSTD },
};

const char *ks_page_codec_name(enum ks_page_codec c)
{
	return c < KS_PAGE_CODEC_COUNT ? page_codecs[c].name : "?";
}

/* Built in and loaded (loading it now if need be). */
bool ks_page_codec_available(enum ks_page_codec c)
{
	return c < KS_PAGE_CODEC_COUNT && ks_lib_api(page_codecs[c].lib) != NULL;
}

struct ksyms_error *ks_page_unsupported(enum ks_page_codec c)
{
	if (c >= KS_PAGE_CODEC_COUNT)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "a page compressed with an unknown method");
	if (ks_lib_built(page_codecs[c].lib)) {
		char what[64];
		snprintf(what, sizeof(what), "%s-compressed pages", page_codecs[c].name);
		return ks_lib_error(page_codecs[c].lib, what);
	}
	return ks_error(KSYMS_ERR_UNSUPPORTED, "%s-compressed pages, but %s support is not built in (install %s and rebuild)",
			page_codecs[c].name, page_codecs[c].name, page_codecs[c].package);
}

bool ks_decompress_page(enum ks_page_codec c, struct span in, uint8_t *out, size_t out_len, size_t *ret_len)
{
	size_t n = 0;

	if (!in.len)
		return false;
	switch (c) {
#ifdef HAVE_ZLIB
	case KS_PAGE_ZLIB: {
		const struct ks_zlib_api *zl = ks_zlib();
		uLongf dl = (uLongf)out_len;
		if (!zl || zl->uncompress(out, &dl, in.p, (uLong)in.len) != Z_OK)
			return false;
		n = (size_t)dl;
		break;
	}
#endif
#ifdef HAVE_LZO
	case KS_PAGE_LZO: {
		const struct ks_lzo_api *lzo = ks_lzo(); /* lzo_init() has run */
		lzo_uint dl = (lzo_uint)out_len;
		if (!lzo || lzo->decompress_safe(in.p, (lzo_uint)in.len, out, &dl, NULL) != LZO_E_OK)
			return false;
		n = (size_t)dl;
		break;
	}
#endif
#ifdef HAVE_SNAPPY
	case KS_PAGE_SNAPPY: {
		const struct ks_snappy_api *api = ks_snappy();
		size_t want;
		if (!api || api->uncompressed_length((const char *)in.p, in.len, &want) != SNAPPY_OK || want > out_len)
			return false;
		n = out_len;
		if (api->uncompress((const char *)in.p, in.len, (char *)out, &n) != SNAPPY_OK)
			return false;
		break;
	}
#endif
#ifdef HAVE_ZSTD
	case KS_PAGE_ZSTD: {
		const struct ks_zstd_api *zs = ks_zstd();
		size_t r = zs ? zs->decompress(out, out_len, in.p, in.len) : 0;
		if (!zs || zs->isError(r))
			return false;
		n = r;
		break;
	}
#endif
	default:
		return false;
	}
	*ret_len = n;
	return true;
}
