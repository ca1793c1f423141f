// SPDX-License-Identifier: MIT
/*
 * One page of a kdump-compressed dump (makedumpfile's diskdump format, and
 * QEMU's dump-guest-memory -z/-l/-s): each dumped page is compressed on its
 * own, with no framing around it: a zlib stream (compress2()), a raw
 * LZO1X-1 block, a raw snappy block, or a zstd frame.  The output is one
 * page: a block that expands to more than @out_len bytes is corrupt, and
 * no library is ever given room for more.
 */
#include <string.h>

#include "decompress.h"
#include "core/error.h"

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_LZO
#include <lzo/lzo1x.h>
#endif
#ifdef HAVE_SNAPPY
#include <snappy-c.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

static const struct {
	const char *name, *package;
} page_codecs[] = {
	[KS_PAGE_ZLIB] = { "zlib", "zlib1g-dev" },
	[KS_PAGE_LZO] = { "lzo", "liblzo2-dev" },
	[KS_PAGE_SNAPPY] = { "snappy", "libsnappy-dev" },
	[KS_PAGE_ZSTD] = { "zstd", "libzstd-dev" },
};

const char *ks_page_codec_name(enum ks_page_codec c)
{
	return c < KS_PAGE_CODEC_COUNT ? page_codecs[c].name : "?";
}

bool ks_page_codec_available(enum ks_page_codec c)
{
	switch (c) {
#ifdef HAVE_ZLIB
	case KS_PAGE_ZLIB:
		return true;
#endif
#ifdef HAVE_LZO
	case KS_PAGE_LZO:
		return true;
#endif
#ifdef HAVE_SNAPPY
	case KS_PAGE_SNAPPY:
		return true;
#endif
#ifdef HAVE_ZSTD
	case KS_PAGE_ZSTD:
		return true;
#endif
	default:
		return false;
	}
}

struct ksyms_error *ks_page_unsupported(enum ks_page_codec c)
{
	if (c >= KS_PAGE_CODEC_COUNT)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "a page compressed with an unknown method");
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
		uLongf dl = (uLongf)out_len;
		if (uncompress(out, &dl, in.p, (uLong)in.len) != Z_OK)
			return false;
		n = (size_t)dl;
		break;
	}
#endif
#ifdef HAVE_LZO
	case KS_PAGE_LZO: {
		static bool ready;
		lzo_uint dl = (lzo_uint)out_len;
		if (!ready) {
			if (lzo_init() != LZO_E_OK)
				return false;
			ready = true;
		}
		if (lzo1x_decompress_safe(in.p, (lzo_uint)in.len, out, &dl, NULL) != LZO_E_OK)
			return false;
		n = (size_t)dl;
		break;
	}
#endif
#ifdef HAVE_SNAPPY
	case KS_PAGE_SNAPPY: {
		size_t want;
		if (snappy_uncompressed_length((const char *)in.p, in.len, &want) != SNAPPY_OK || want > out_len)
			return false;
		n = out_len;
		if (snappy_uncompress((const char *)in.p, in.len, (char *)out, &n) != SNAPPY_OK)
			return false;
		break;
	}
#endif
#ifdef HAVE_ZSTD
	case KS_PAGE_ZSTD: {
		size_t r = ZSTD_decompress(out, out_len, in.p, in.len);
		if (ZSTD_isError(r))
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
