// SPDX-License-Identifier: MIT
/*
 * U-Boot legacy images (U-Boot doc "Legacy image format"; what `mkimage -A
 * ... -T kernel` writes): a 64-byte big-endian header, then the data.
 *   0 magic 0x27051956   4 header CRC32 (computed with this field 0)
 *   8 time   12 data size   16 load address   20 entry point
 *   24 data CRC32   28 os, arch, type, compression (one byte each)
 *   32 name[32]
 * A "multi" image's data starts with a 0-terminated list of u32 sizes and
 * the images follow, each padded to 4 bytes; the first is the kernel.
 *
 * The data is yielded as a view: the compression byte is cross-checked
 * against the stream's own magic, and the codec unwrapper decompresses.
 * CRC mismatches are noted in the description, not fatal: the header
 * checks that matter (sizes against the data) are done regardless.
 */
#include <stdio.h>
#include <string.h>

#ifdef HAVE_ZLIB
#include "decompress/codec_libs.h"
#endif

#include "kernel/kernel.h"
#include "unwrap_util.h"
#include "decompress/decompress.h"

enum {
	UI_MAGIC = 0x27051956,
	UI_HCRC = 4,
	UI_SIZE = 12,
	UI_LOAD = 16,
	UI_ENTRY = 20,
	UI_DCRC = 24,
	UI_ARCH = 29,
	UI_TYPE = 30,
	UI_COMP = 31,
	UI_NAME = 32,
	UI_NAME_LEN = 32,
	UI_HEADER_SIZE = 64,
	UI_MAX_MULTI = 1024, /* bound on a multi image's size list */
};

enum { UI_ARCH_MIPS = 5, UI_ARCH_MIPS64 = 6 };
enum { UI_TYPE_KERNEL = 2, UI_TYPE_RAMDISK = 3, UI_TYPE_MULTI = 4, UI_TYPE_SCRIPT = 6, UI_TYPE_FLAT_DT = 8 };

/* U-Boot's IH_ARCH_* numbering (include/image.h), by index. */
static const char *const arch_names[] = {
	"invalid", "alpha", "arm", "x86", "ia64", "mips", "mips64", "powerpc", "s390", "sh", "sparc",
	"sparc64", "m68k", "nios", "microblaze", "nios2", "blackfin", "avr32", "st200", "sandbox",
	"nds32", "or1k", "arm64", "arc", "x86_64", "xtensa", "riscv",
};

/* IH_COMP_*: the codec each compression byte names (none = -1). */
static const struct {
	const char *name;
	int codec;
} comps[] = {
	{ "none", -1 }, { "gzip", KS_CODEC_GZIP }, { "bzip2", KS_CODEC_BZIP2 }, { "lzma", KS_CODEC_LZMA },
	{ "lzo", KS_CODEC_LZO }, { "lz4", KS_CODEC_LZ4 }, { "zstd", KS_CODEC_ZSTD },
};

struct uimage {
	uint32_t size, load, entry, hcrc, dcrc;
	uint8_t arch, type, comp;
	char name[UI_NAME_LEN + 1];
};

static void uimage_read(struct span in, struct uimage *h)
{
	(void)span_u32(in, UI_HCRC, true, &h->hcrc);
	(void)span_u32(in, UI_SIZE, true, &h->size);
	(void)span_u32(in, UI_LOAD, true, &h->load);
	(void)span_u32(in, UI_ENTRY, true, &h->entry);
	(void)span_u32(in, UI_DCRC, true, &h->dcrc);
	(void)span_u8(in, UI_ARCH, &h->arch);
	(void)span_u8(in, UI_TYPE, &h->type);
	(void)span_u8(in, UI_COMP, &h->comp);
	unwrap_text(h->name, sizeof(h->name), in, UI_NAME, UI_NAME_LEN);
}

/* Check both CRCs; append what does not match (or that nothing could be
 * checked) to @note. */
static void uimage_crc_note(struct span in, struct span data, const struct uimage *h, char *note, size_t cap)
{
#ifdef HAVE_ZLIB
	const struct ks_zlib_api *zl = ks_zlib();
	if (!zl) {
		snprintf(note, cap, ", CRCs not checked (zlib did not load)");
		return;
	}
	uint8_t hdr[UI_HEADER_SIZE];
	memcpy(hdr, span_at(in, 0, UI_HEADER_SIZE), UI_HEADER_SIZE);
	memset(hdr + UI_HCRC, 0, 4);
	bool hok = zl->crc32(0, hdr, UI_HEADER_SIZE) == h->hcrc;
	uLong d = zl->crc32(0, NULL, 0);
	/* crc32() takes a 32-bit length: feed large data in pieces */
	for (size_t done = 0; done < data.len;) {
		size_t n = KS_MIN(data.len - done, (size_t)1 << 30);
		d = zl->crc32(d, span_at(data, done, n), (uInt)n);
		done += n;
	}
	bool dok = d == h->dcrc;
	snprintf(note, cap, "%s%s%s", hok && dok ? ", CRCs good" : "", hok ? "" : ", WARNING: header CRC mismatch",
		 dok ? "" : ", WARNING: data CRC mismatch");
#else
	(void)in;
	(void)data;
	(void)h;
	snprintf(note, cap, ", CRCs not checked (built without zlib)");
#endif
}

/* A multi-file image: the first of its sub-images. */
static struct ksyms_error *uimage_multi_first(struct span data, struct span *ret, unsigned *ret_count)
{
	uint32_t first = 0, v;
	size_t n = 0;

	do {
		if (n >= UI_MAX_MULTI || !span_u32(data, n * 4, true, &v))
			return ks_error_at((int64_t)data.origin,
					   "uImage: the multi-file size list at 0x%llx has no end",
					   (unsigned long long)data.origin);
		if (n == 0)
			first = v;
		n++;
	} while (v);
	*ret_count = (unsigned)(n - 1);
	if (n == 1)
		return ks_error(KSYMS_ERR_NOT_FOUND, "uImage: the multi-file image is empty");
	return unwrap_range(data, "uImage", "first file of the multi-file image", n * 4, first, ret);
}

/* Which types cannot hold a kernel, and what to call them. */
static const char *uimage_not_kernel(uint8_t type)
{
	switch (type) {
	case UI_TYPE_RAMDISK:
		return "a ramdisk";
	case UI_TYPE_SCRIPT:
		return "a U-Boot script";
	case UI_TYPE_FLAT_DT:
		return "a device tree";
	default:
		return NULL;
	}
}

/*
 * A base hint for the next layer only where the load address is the
 * kernel's virtual address: MIPS kernels are linked to run from KSEG0
 * (0x80000000 and up), and U-Boot loads them where they are linked.  ARM,
 * arm64, PowerPC and others load at a physical address, which says
 * nothing about the virtual one, so no hint is given for them.
 */
static bool uimage_base_hint(const struct uimage *h)
{
	return (h->arch == UI_ARCH_MIPS || h->arch == UI_ARCH_MIPS64) && h->load >= 0x80000000u;
}

static struct ksyms_error *uimage_check_comp(struct span payload, const struct uimage *h)
{
	enum ks_codec c;

	if (h->comp >= KS_ARRAY_SIZE(comps))
		return ks_error(KSYMS_ERR_UNSUPPORTED, "uImage: unknown compression type %u", h->comp);
	int want = comps[h->comp].codec;
	if (want < 0)
		return NULL;
	if (ks_codec_detect(payload, 0, &c) &&
	    ((int)c == want || (want == KS_CODEC_LZ4 && c == KS_CODEC_LZ4_LEGACY)))
		return NULL;
	return ks_error_at((int64_t)payload.origin, "uImage: the header says %s, but the data at 0x%llx is not a %s stream",
			   comps[h->comp].name, (unsigned long long)payload.origin, comps[h->comp].name);
}

struct ksyms_error *ks_unwrap_uimage(struct span in, const struct ks_unwrap_opts *o, bool *found,
				     struct ks_unwrapped *ret)
{
	uint32_t magic;
	struct uimage h = { 0 };
	struct span data = { 0 }, payload = { 0 };
	unsigned files = 0;
	char crc[96], multi[48] = "";

	if (!span_u32(in, 0, true, &magic) || magic != UI_MAGIC)
		return NULL;
	*found = true;
	if (!span_has(in, 0, UI_HEADER_SIZE))
		return ks_error_at((int64_t)in.origin, "uImage: header truncated (%zu of %d bytes)", in.len,
				   UI_HEADER_SIZE);
	uimage_read(in, &h);
	const char *what = uimage_not_kernel(h.type);
	if (what)
		return ks_error(KSYMS_ERR_NOT_FOUND, "uImage '%s' holds %s, not a kernel", h.name, what);
	struct ksyms_error *err = unwrap_range(in, "uImage", "data", UI_HEADER_SIZE, h.size, &data);
	if (err)
		return err;
	payload = data;
	if (h.type == UI_TYPE_MULTI && (err = uimage_multi_first(data, &payload, &files)))
		return err;
	if ((err = uimage_check_comp(payload, &h)))
		return err;
	uimage_crc_note(in, data, &h, crc, sizeof(crc));
	if (files)
		snprintf(multi, sizeof(multi), ", multi-file: the first of %u", files);
	const char *arch = h.arch < KS_ARRAY_SIZE(arch_names) ? arch_names[h.arch] : "unknown arch";
	ret->format = "uImage";
	ret->offset = (size_t)(payload.origin - in.origin);
	ret->size = payload.len;
	ret->has_base_hint = uimage_base_hint(&h);
	ret->base_hint = h.load;
	ret->arch_hint = ks_arch_from_name(arch);
	ret->arch_hint_source = "uImage header";
	snprintf(ret->description, sizeof(ret->description),
		 "U-Boot uImage '%s', %s, compression %s, %u bytes, load 0x%08x, entry 0x%08x%s%s", h.name, arch,
		 comps[h.comp].name, h.size, h.load, h.entry, multi, crc);
	ks_debug(o->log, "uImage: type %u, arch %u, comp %u, %u files", h.type, h.arch, h.comp, files);
	return NULL;
}
