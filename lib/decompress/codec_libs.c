// SPDX-License-Identifier: MIT
/* Loading the codec libraries on first use (codec_libs.h). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "codec_libs.h"
#include "core/compiler.h"
#include "core/error.h"

_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym() results are stored as function pointers");

/* One entry point: its name in the library and where it goes in the API. */
struct entry {
	const char *name;
	size_t at;
};

/* The compiler checks each member against the library's own prototype
 * (without referring to the symbol, which would link the library). */
#define ENTRY(api, member, fn)                                                                                  \
	{ #fn, offsetof(struct api, member) }
#define SAME_TYPE(api, member, fn)                                                                              \
	_Static_assert(__builtin_types_compatible_p(__typeof__(&fn), __typeof__(((struct api *)0)->member)), \
		       #fn " does not match struct " #api)

struct lib {
	const char *name;    /* for messages: "zlib" */
	const char *soname;  /* what dlopen() asks for; NULL: linked */
	const char *alt_soname; /* tried next (another distribution's name), or NULL */
	const char *package; /* the Debian package that installs it */
	const struct entry *entries;
	size_t count;
	void *api;                  /* the struct the entries fill */
	int (*ready)(const void *api); /* a library's own set-up; 0 when it worked */
	bool linked;                /* api holds the linked functions already */
};

/*
 * Built without the sonames (by hand, as the static ksyms that
 * tests/qemu/kcore-session boots in a guest, where a static binary has no
 * dlopen()), a library is linked and its API points at its functions.
 */

#ifdef HAVE_ZLIB
#ifdef KS_ZLIB_SONAME
static struct ks_zlib_api zlib_api;
#else
static struct ks_zlib_api zlib_api = { inflateInit2_, inflate, inflateEnd, uncompress, crc32 };
#endif
SAME_TYPE(ks_zlib_api, inflateInit2_, inflateInit2_);
SAME_TYPE(ks_zlib_api, inflate, inflate);
SAME_TYPE(ks_zlib_api, inflateEnd, inflateEnd);
SAME_TYPE(ks_zlib_api, uncompress, uncompress);
SAME_TYPE(ks_zlib_api, crc32, crc32);
static const struct entry zlib_entries[] __attribute__((unused)) = {
	ENTRY(ks_zlib_api, inflateInit2_, inflateInit2_), ENTRY(ks_zlib_api, inflate, inflate),
	ENTRY(ks_zlib_api, inflateEnd, inflateEnd),       ENTRY(ks_zlib_api, uncompress, uncompress),
	ENTRY(ks_zlib_api, crc32, crc32),
};
#endif

#ifdef HAVE_LZMA
#ifdef KS_LZMA_SONAME
static struct ks_lzma_api lzma_api;
#else
static struct ks_lzma_api lzma_api = { lzma_stream_decoder, lzma_alone_decoder, lzma_code, lzma_end };
#endif
SAME_TYPE(ks_lzma_api, stream_decoder, lzma_stream_decoder);
SAME_TYPE(ks_lzma_api, alone_decoder, lzma_alone_decoder);
SAME_TYPE(ks_lzma_api, code, lzma_code);
SAME_TYPE(ks_lzma_api, end, lzma_end);
static const struct entry lzma_entries[] __attribute__((unused)) = {
	ENTRY(ks_lzma_api, stream_decoder, lzma_stream_decoder),
	ENTRY(ks_lzma_api, alone_decoder, lzma_alone_decoder),
	ENTRY(ks_lzma_api, code, lzma_code),
	ENTRY(ks_lzma_api, end, lzma_end),
};
#endif

#ifdef HAVE_ZSTD
#ifdef KS_ZSTD_SONAME
static struct ks_zstd_api zstd_api;
#else
static struct ks_zstd_api zstd_api = { ZSTD_createDCtx,	   ZSTD_freeDCtx, ZSTD_DCtx_setParameter,
				       ZSTD_DCtx_reset,	   ZSTD_decompressStream, ZSTD_decompress,
				       ZSTD_isError,	   ZSTD_getErrorName, ZSTD_getErrorCode };
#endif
SAME_TYPE(ks_zstd_api, createDCtx, ZSTD_createDCtx);
SAME_TYPE(ks_zstd_api, freeDCtx, ZSTD_freeDCtx);
SAME_TYPE(ks_zstd_api, DCtx_setParameter, ZSTD_DCtx_setParameter);
SAME_TYPE(ks_zstd_api, DCtx_reset, ZSTD_DCtx_reset);
SAME_TYPE(ks_zstd_api, decompressStream, ZSTD_decompressStream);
SAME_TYPE(ks_zstd_api, decompress, ZSTD_decompress);
SAME_TYPE(ks_zstd_api, isError, ZSTD_isError);
SAME_TYPE(ks_zstd_api, getErrorName, ZSTD_getErrorName);
SAME_TYPE(ks_zstd_api, getErrorCode, ZSTD_getErrorCode);
static const struct entry zstd_entries[] __attribute__((unused)) = {
	ENTRY(ks_zstd_api, createDCtx, ZSTD_createDCtx),
	ENTRY(ks_zstd_api, freeDCtx, ZSTD_freeDCtx),
	ENTRY(ks_zstd_api, DCtx_setParameter, ZSTD_DCtx_setParameter),
	ENTRY(ks_zstd_api, DCtx_reset, ZSTD_DCtx_reset),
	ENTRY(ks_zstd_api, decompressStream, ZSTD_decompressStream),
	ENTRY(ks_zstd_api, decompress, ZSTD_decompress),
	ENTRY(ks_zstd_api, isError, ZSTD_isError),
	ENTRY(ks_zstd_api, getErrorName, ZSTD_getErrorName),
	ENTRY(ks_zstd_api, getErrorCode, ZSTD_getErrorCode),
};
#endif

#ifdef HAVE_LZ4
#ifdef KS_LZ4_SONAME
static struct ks_lz4_api lz4_api;
#else
static struct ks_lz4_api lz4_api = { LZ4F_createDecompressionContext, LZ4F_freeDecompressionContext,
				     LZ4F_decompress, LZ4F_isError, LZ4F_getErrorName, LZ4_decompress_safe,
				     LZ4_decompress_safe_partial };
#endif
SAME_TYPE(ks_lz4_api, createDecompressionContext, LZ4F_createDecompressionContext);
SAME_TYPE(ks_lz4_api, freeDecompressionContext, LZ4F_freeDecompressionContext);
SAME_TYPE(ks_lz4_api, decompress, LZ4F_decompress);
SAME_TYPE(ks_lz4_api, isError, LZ4F_isError);
SAME_TYPE(ks_lz4_api, getErrorName, LZ4F_getErrorName);
SAME_TYPE(ks_lz4_api, decompress_safe, LZ4_decompress_safe);
SAME_TYPE(ks_lz4_api, decompress_safe_partial, LZ4_decompress_safe_partial);
static const struct entry lz4_entries[] __attribute__((unused)) = {
	ENTRY(ks_lz4_api, createDecompressionContext, LZ4F_createDecompressionContext),
	ENTRY(ks_lz4_api, freeDecompressionContext, LZ4F_freeDecompressionContext),
	ENTRY(ks_lz4_api, decompress, LZ4F_decompress),
	ENTRY(ks_lz4_api, isError, LZ4F_isError),
	ENTRY(ks_lz4_api, getErrorName, LZ4F_getErrorName),
	ENTRY(ks_lz4_api, decompress_safe, LZ4_decompress_safe),
	ENTRY(ks_lz4_api, decompress_safe_partial, LZ4_decompress_safe_partial),
};
#endif

#ifdef HAVE_BZIP2
#ifdef KS_BZIP2_SONAME
static struct ks_bzip2_api bzip2_api;
#else
static struct ks_bzip2_api bzip2_api = { BZ2_bzDecompressInit, BZ2_bzDecompress, BZ2_bzDecompressEnd };
#endif
SAME_TYPE(ks_bzip2_api, decompressInit, BZ2_bzDecompressInit);
SAME_TYPE(ks_bzip2_api, decompress, BZ2_bzDecompress);
SAME_TYPE(ks_bzip2_api, decompressEnd, BZ2_bzDecompressEnd);
static const struct entry bzip2_entries[] __attribute__((unused)) = {
	ENTRY(ks_bzip2_api, decompressInit, BZ2_bzDecompressInit),
	ENTRY(ks_bzip2_api, decompress, BZ2_bzDecompress),
	ENTRY(ks_bzip2_api, decompressEnd, BZ2_bzDecompressEnd),
};
#endif

#ifdef HAVE_LZO
/* lzo_init() is a macro that calls __lzo_init_v2 with the sizes of the
 * caller's types, for the library to check: call it through the pointer. */
struct lzo_setup {
	struct ks_lzo_api api;
	int (*init_v2)(unsigned, int, int, int, int, int, int, int, int, int);
};
#ifdef KS_LZO_SONAME
static struct lzo_setup lzo_setup;
#else
static struct lzo_setup lzo_setup = { { lzo1x_decompress_safe, lzo_adler32, lzo_crc32 }, __lzo_init_v2 };
#endif
SAME_TYPE(lzo_setup, api.decompress_safe, lzo1x_decompress_safe);
SAME_TYPE(lzo_setup, api.adler32, lzo_adler32);
SAME_TYPE(lzo_setup, api.crc32, lzo_crc32);
SAME_TYPE(lzo_setup, init_v2, __lzo_init_v2);
static const struct entry lzo_entries[] __attribute__((unused)) = {
	ENTRY(lzo_setup, api.decompress_safe, lzo1x_decompress_safe),
	ENTRY(lzo_setup, api.adler32, lzo_adler32),
	ENTRY(lzo_setup, api.crc32, lzo_crc32),
	ENTRY(lzo_setup, init_v2, __lzo_init_v2),
};

static int lzo_ready(const void *api)
{
	const struct lzo_setup *s = api;
#define __lzo_init_v2 s->init_v2
	return lzo_init() == LZO_E_OK ? 0 : -1;
#undef __lzo_init_v2
}
#endif

#ifdef HAVE_SNAPPY
#ifdef KS_SNAPPY_SONAME
static struct ks_snappy_api snappy_api;
#else
static struct ks_snappy_api snappy_api = { snappy_uncompressed_length, snappy_uncompress };
#endif
SAME_TYPE(ks_snappy_api, uncompressed_length, snappy_uncompressed_length);
SAME_TYPE(ks_snappy_api, uncompress, snappy_uncompress);
static const struct entry snappy_entries[] __attribute__((unused)) = {
	ENTRY(ks_snappy_api, uncompressed_length, snappy_uncompressed_length),
	ENTRY(ks_snappy_api, uncompress, snappy_uncompress),
};
#endif

/* The sonames are the ABI each library has kept for years; meson.build
 * passes them in beside the checks for the headers. */
#define LIB_ALT(var, label, so, alt, pkg, setup)                                                          \
	{ .name = label, .soname = so, .alt_soname = alt, .package = pkg, .entries = var##_entries,       \
	  .count = KS_ARRAY_SIZE(var##_entries), .api = &var##_api, .ready = setup }
#define LIB(var, label, so, pkg, setup) LIB_ALT(var, label, so, NULL, pkg, setup)
#define LINKED(var, label, pkg, setup)                                                                    \
	{ .name = label, .package = pkg, .api = &var##_api, .ready = setup, .linked = true }

/* one more than the libraries: a build without any still initialises one */
static const struct lib libs[KS_LIB_COUNT + 1] = {
	[KS_LIB_COUNT] = { .name = NULL },
#ifdef HAVE_ZLIB
#ifdef KS_ZLIB_SONAME
	[KS_LIB_ZLIB] = LIB(zlib, "zlib", KS_ZLIB_SONAME, "zlib1g", NULL),
#else
	[KS_LIB_ZLIB] = LINKED(zlib, "zlib", "zlib1g", NULL),
#endif
#endif
#ifdef HAVE_LZMA
#ifdef KS_LZMA_SONAME
	[KS_LIB_LZMA] = LIB(lzma, "liblzma", KS_LZMA_SONAME, "liblzma5", NULL),
#else
	[KS_LIB_LZMA] = LINKED(lzma, "liblzma", "liblzma5", NULL),
#endif
#endif
#ifdef HAVE_ZSTD
#ifdef KS_ZSTD_SONAME
	[KS_LIB_ZSTD] = LIB(zstd, "libzstd", KS_ZSTD_SONAME, "libzstd1", NULL),
#else
	[KS_LIB_ZSTD] = LINKED(zstd, "libzstd", "libzstd1", NULL),
#endif
#endif
#ifdef HAVE_LZ4
#ifdef KS_LZ4_SONAME
	[KS_LIB_LZ4] = LIB(lz4, "liblz4", KS_LZ4_SONAME, "liblz4-1", NULL),
#else
	[KS_LIB_LZ4] = LINKED(lz4, "liblz4", "liblz4-1", NULL),
#endif
#endif
#ifdef HAVE_BZIP2
#ifdef KS_BZIP2_SONAME
	/* libbz2.so.1 where a distribution names it without the minor */
	[KS_LIB_BZIP2] = LIB_ALT(bzip2, "libbz2", KS_BZIP2_SONAME, "libbz2.so.1", "libbz2-1.0", NULL),
#else
	[KS_LIB_BZIP2] = LINKED(bzip2, "libbz2", "libbz2-1.0", NULL),
#endif
#endif
#ifdef HAVE_LZO
#ifdef KS_LZO_SONAME
	[KS_LIB_LZO] = { .name = "liblzo2", .soname = KS_LZO_SONAME, .package = "liblzo2-2", .entries = lzo_entries,
			 .count = KS_ARRAY_SIZE(lzo_entries), .api = &lzo_setup, .ready = lzo_ready },
#else
	[KS_LIB_LZO] = { .name = "liblzo2", .package = "liblzo2-2", .api = &lzo_setup, .ready = lzo_ready,
			 .linked = true },
#endif
#endif
#ifdef HAVE_SNAPPY
#ifdef KS_SNAPPY_SONAME
	[KS_LIB_SNAPPY] = LIB(snappy, "libsnappy", KS_SNAPPY_SONAME, "libsnappy1v5", NULL),
#else
	[KS_LIB_SNAPPY] = LINKED(snappy, "libsnappy", "libsnappy1v5", NULL),
#endif
#endif
};

/* What became of each library: 0 not tried yet, then LOADED, MISSING (no
 * such file to open) or UNUSABLE (opened, but an entry point is missing
 * or its set-up failed: another build or version of it). */
enum { LOADED = 1, MISSING = 2, UNUSABLE = 3 };
static _Atomic int state[KS_LIB_COUNT];
static char why[KS_LIB_COUNT][256]; /* written once, before state says MISSING or UNUSABLE */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static int load(enum ks_lib which)
{
	const struct lib *l = &libs[which];

	if (!l->api) {
		snprintf(why[which], sizeof(why[which]), "not built in");
		return MISSING;
	}
	if (l->linked) {
		if (l->ready && l->ready(l->api) != 0) {
			snprintf(why[which], sizeof(why[which]), "%s failed its self-check", l->name);
			return UNUSABLE;
		}
		return LOADED;
	}
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h && l->alt_soname)
		h = dlopen(l->alt_soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why[which], sizeof(why[which]), "%s", e ? e : "dlopen failed");
		return MISSING;
	}
	for (size_t i = 0; i < l->count; i++) {
		void *p = dlsym(h, l->entries[i].name);
		if (!p) {
			(void)dlerror(); /* leave no error pending for the caller's thread */
			snprintf(why[which], sizeof(why[which]), "it has no %s (another version or build of %s?)",
				 l->entries[i].name, l->name);
			dlclose(h);
			return UNUSABLE;
		}
		memcpy((char *)l->api + l->entries[i].at, &p, sizeof(p));
	}
	if (l->ready && l->ready(l->api) != 0) {
		snprintf(why[which], sizeof(why[which]), "it failed its self-check");
		dlclose(h);
		return UNUSABLE;
	}
	return LOADED; /* the handle stays open for the life of the process */
}

const void *ks_lib_api(enum ks_lib which)
{
	if ((unsigned)which >= KS_LIB_COUNT)
		return NULL;
	int s = atomic_load_explicit(&state[which], memory_order_acquire);
	if (!s) {
		pthread_mutex_lock(&load_lock);
		s = atomic_load_explicit(&state[which], memory_order_relaxed);
		if (!s) {
			s = load(which);
			atomic_store_explicit(&state[which], s, memory_order_release);
		}
		pthread_mutex_unlock(&load_lock);
	}
	return s == LOADED ? libs[which].api : NULL;
}

bool ks_lib_built(enum ks_lib which)
{
	return (unsigned)which < KS_LIB_COUNT && libs[which].api;
}

struct ksyms_error *ks_lib_error(enum ks_lib which, const char *what)
{
	if (!ks_lib_built(which))
		return ks_error(KSYMS_ERR_UNSUPPORTED, "%s, but support for it is not built in", what);
	const struct lib *l = &libs[which];
	const char *name = l->soname ? l->soname : l->name;
	if (atomic_load_explicit(&state[which], memory_order_acquire) == UNUSABLE)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "%s, but %s is not usable: %s", what, name, why[which]);
	return ks_error(KSYMS_ERR_UNSUPPORTED, "%s, but %s cannot be loaded (install %s): %s", what, name,
			l->package, why[which]);
}
