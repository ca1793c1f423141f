// SPDX-License-Identifier: MIT
#include <string.h>

#include "decompress.h"
#include "core/error.h"

typedef struct ksyms_error *decode_fn(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r);

struct codec_desc {
	const char *name;
	const char *package; /* Debian -dev package that provides it */
	const uint8_t *magic;
	size_t magic_len;
	decode_fn *decode;   /* NULL when not built in */
};

static const struct codec_desc codecs[KS_CODEC_COUNT] = {
	[KS_CODEC_GZIP] = { "gzip", "zlib1g-dev", (const uint8_t *)"\x1f\x8b\x08", 3,
#ifdef HAVE_ZLIB
			    ks_gunzip
#else
			    NULL
#endif
	},
	[KS_CODEC_XZ] = { "xz", "liblzma-dev", (const uint8_t *)"\xfd" "7zXZ\0", 6, NULL },
	[KS_CODEC_LZMA] = { "lzma", "liblzma-dev", (const uint8_t *)"\x5d\x00\x00", 3, NULL },
	[KS_CODEC_BZIP2] = { "bzip2", "libbz2-dev", (const uint8_t *)"BZh", 3, NULL },
	[KS_CODEC_LZO] = { "lzo", "liblzo2-dev", (const uint8_t *)"\x89LZO\0\r\n\x1a\n", 9, NULL },
	[KS_CODEC_LZ4] = { "lz4", "liblz4-dev", (const uint8_t *)"\x04\x22\x4d\x18", 4, NULL },
	[KS_CODEC_LZ4_LEGACY] = { "lz4 (legacy)", "liblz4-dev", (const uint8_t *)"\x02\x21\x4c\x18", 4, NULL },
	[KS_CODEC_ZSTD] = { "zstd", "libzstd-dev", (const uint8_t *)"\x28\xb5\x2f\xfd", 4, NULL },
};

const char *ks_codec_name(enum ks_codec c)
{
	return c < KS_CODEC_COUNT ? codecs[c].name : "unknown";
}

bool ks_codec_available(enum ks_codec c)
{
	return c < KS_CODEC_COUNT && codecs[c].decode;
}

bool ks_codec_magic(struct span in, size_t off, enum ks_codec c)
{
	return c < KS_CODEC_COUNT && span_eq(in, off, codecs[c].magic, codecs[c].magic_len);
}

bool ks_codec_detect(struct span in, size_t off, enum ks_codec *ret)
{
	for (int c = 0; c < KS_CODEC_COUNT; c++) {
		if (ks_codec_magic(in, off, (enum ks_codec)c)) {
			*ret = (enum ks_codec)c;
			return true;
		}
	}
	return false;
}

struct ksyms_error *ks_decompress(enum ks_codec c, struct span in, uint64_t cap, struct ks_buf *out,
				  struct ks_decomp_result *r)
{
	if (c >= KS_CODEC_COUNT)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "unknown codec %d", (int)c);
	if (!codecs[c].decode)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "%s data, but %s support is not built in (install %s and rebuild)",
				codecs[c].name, codecs[c].name, codecs[c].package);
	memset(r, 0, sizeof(*r));
	return codecs[c].decode(in, cap, out, r);
}
