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
#include <dlfcn.h>
#include <pthread.h>
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

#ifdef HAVE_SNAPPY
/*
 * libsnappy is loaded on the first snappy page rather than linked: it is
 * C++, and linking it made every run load libstdc++, libm and libgcc_s
 * (3 ms of a 5 ms start-up, measured with `ksyms --version`) for a codec
 * that only makedumpfile -p and QEMU -s dumps use.  The two entry points
 * are looked up once per process and never change after: shared by every
 * image, safe from any thread.
 */
struct snappy_api {
	snappy_status (*length)(const char *in, size_t in_len, size_t *ret);
	snappy_status (*uncompress)(const char *in, size_t in_len, char *out, size_t *out_len);
};
static struct snappy_api snappy_api;
static pthread_once_t snappy_once = PTHREAD_ONCE_INIT;

static void load_snappy(void)
{
	void *h = dlopen(KS_SNAPPY_SONAME, RTLD_NOW | RTLD_LOCAL);
	struct snappy_api api;

	if (!h)
		return;
	*(void **)&api.length = dlsym(h, "snappy_uncompressed_length");
	*(void **)&api.uncompress = dlsym(h, "snappy_uncompress");
	if (api.length && api.uncompress)
		snappy_api = api;
	else
		dlclose(h);
}

static const struct snappy_api *snappy(void)
{
	pthread_once(&snappy_once, load_snappy);
	return snappy_api.uncompress ? &snappy_api : NULL;
}
#endif

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
		return snappy() != NULL;
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
#ifdef HAVE_SNAPPY
	if (c == KS_PAGE_SNAPPY)
		return ks_error(KSYMS_ERR_UNSUPPORTED,
				"snappy-compressed pages, but %s cannot be loaded (install libsnappy1v5)", KS_SNAPPY_SONAME);
#endif
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
		const struct snappy_api *api = snappy();
		size_t want;
		if (!api || api->length((const char *)in.p, in.len, &want) != SNAPPY_OK || want > out_len)
			return false;
		n = out_len;
		if (api->uncompress((const char *)in.p, in.len, (char *)out, &n) != SNAPPY_OK)
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
