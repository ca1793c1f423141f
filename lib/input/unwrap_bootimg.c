// SPDX-License-Identifier: MIT
/*
 * Android boot images (source.android.com, "Boot image header"; the
 * layout mkbootimg writes).  All fields are little-endian u32.
 *
 * Versions 0 to 2: "ANDROID!", kernel_size at 8, page_size at 36,
 * header_version at 40, name[16] at 48, os_version at 44.  The header
 * takes one page and every section (kernel, ramdisk, second, recovery
 * DTBO, DTB) starts on a page boundary after it, so the kernel is at
 * page_size.  Before version 1 the word at 40 was unused, and some vendor
 * images kept a DTB size there: a large value there means version 0.
 *
 * Versions 3 and 4: "ANDROID!", kernel_size at 8, ramdisk_size at 12,
 * os_version at 16, header_size at 20, header_version at 40; the page
 * size is fixed at 4096, so the kernel is at 4096.
 *
 * The kernel may be an Image, an Image.gz or an lz4 (legacy frame) image,
 * and vendors append device trees to it ("Image.gz-dtb").  It is yielded
 * as a view; a compressed kernel's view stops before appended DTBs, so
 * the codec sees exactly its stream.
 *
 * vendor_boot ("VNDRBOOT", header version 3+) carries the vendor ramdisk
 * and DTB for a boot.img v3/v4 but never a kernel: reported as such.
 */
#include <stdio.h>

#include "unwrap_util.h"
#include "decompress/decompress.h"

enum {
	BI_KERNEL_SIZE = 8,
	BI_V0_PAGE_SIZE = 36,
	BI_VERSION = 40,
	BI_V0_OS_VERSION = 44,
	BI_V0_NAME = 48,
	BI_NAME_LEN = 16,
	BI_V3_RAMDISK_SIZE = 12,
	BI_V3_OS_VERSION = 16,
	BI_V3_PAGE_SIZE = 4096,
	BI_V0_HEADER_SIZE = 1632, /* v0 ends after extra_cmdline; v1 and v2 only add to it */
	BI_V3_HEADER_SIZE = 1580,
	BI_MAX_VERSION = 4,
	VB_VERSION = 8, /* vendor_boot: header_version right after the magic */
};

struct bootimg {
	uint32_t version, page_size, kernel_size, os_version;
	bool legacy_v0; /* the version word held something else (a DTB size) */
	char name[BI_NAME_LEN + 1];
};

static struct ksyms_error *bootimg_header(struct span in, struct bootimg *b)
{
	if (!span_u32(in, BI_VERSION, false, &b->version) || !span_u32(in, BI_KERNEL_SIZE, false, &b->kernel_size))
		return ks_error_at((int64_t)in.origin, "Android boot.img: header truncated (%zu bytes)", in.len);
	if (b->version > BI_MAX_VERSION && b->version < 0x1000)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "Android boot.img: header version %u is not supported (0 to %u are)",
				b->version, BI_MAX_VERSION);
	if (b->version > BI_MAX_VERSION) {
		b->legacy_v0 = true;
		b->version = 0;
	}
	bool v3 = b->version >= 3;
	if (!span_has(in, 0, v3 ? BI_V3_HEADER_SIZE : BI_V0_HEADER_SIZE))
		return ks_error_at((int64_t)in.origin, "Android boot.img v%u: header truncated (%zu bytes)", b->version,
				   in.len);
	if (v3) {
		b->page_size = BI_V3_PAGE_SIZE;
		(void)span_u32(in, BI_V3_OS_VERSION, false, &b->os_version);
		b->name[0] = 0;
		return NULL;
	}
	(void)span_u32(in, BI_V0_PAGE_SIZE, false, &b->page_size);
	(void)span_u32(in, BI_V0_OS_VERSION, false, &b->os_version);
	unwrap_text(b->name, sizeof(b->name), in, BI_V0_NAME, BI_NAME_LEN);
	/* mkbootimg offers 2048 to 16384; allow any power of two a loader could use */
	if (b->page_size < 512 || b->page_size > 65536 || (b->page_size & (b->page_size - 1)))
		return ks_error_at((int64_t)(in.origin + BI_V0_PAGE_SIZE),
				   "Android boot.img v%u: page size %u at 0x%x is not a power of two from 512 to 65536",
				   b->version, b->page_size, BI_V0_PAGE_SIZE);
	return NULL;
}

/* os_version packs A.B.C in 7 bits each from bit 25, and the security
 * patch level as (year - 2000) << 4 | month in the low 11 bits. */
static void bootimg_os_version(uint32_t v, char *dst, size_t cap)
{
	unsigned ver = v >> 11, lvl = v & 0x7ff;

	dst[0] = 0;
	if (!v)
		return;
	snprintf(dst, cap, ", Android %u.%u.%u, patch level %u-%02u", ver >> 14, (ver >> 7) & 0x7f, ver & 0x7f,
		 2000 + (lvl >> 4), lvl & 0xf);
}

/* A compressed kernel followed by DTBs: the size of the stream part. */
static size_t bootimg_trim_dtbs(struct span kernel, char *note, size_t cap)
{
	enum ks_codec c;
	unsigned n;

	note[0] = 0;
	if (!ks_codec_detect(kernel, 0, &c))
		return kernel.len;
	size_t at = unwrap_appended_fdts(kernel, 1, &n);
	if (at == SIZE_MAX)
		return kernel.len;
	snprintf(note, cap, ", then %u appended DTB%s (%zu bytes)", n, n == 1 ? "" : "s", kernel.len - at);
	return at;
}

static struct ksyms_error *vendor_boot_error(struct span in)
{
	uint32_t v = 0;

	(void)span_u32(in, VB_VERSION, false, &v);
	return ks_error(KSYMS_ERR_NOT_FOUND,
			"Android vendor_boot image (header v%u): it holds the vendor ramdisk and device tree, never a "
			"kernel; the kernel is in the matching boot.img", v);
}

struct ksyms_error *ks_unwrap_bootimg(struct span in, const struct ks_unwrap_opts *o, bool *found,
				      struct ks_unwrapped *ret)
{
	struct bootimg b = { 0 };
	struct span kernel = { 0 };
	char os[48], dtb[80];

	if (span_eq(in, 0, "VNDRBOOT", 8)) {
		*found = true;
		return vendor_boot_error(in);
	}
	if (!span_eq(in, 0, "ANDROID!", 8))
		return NULL;
	*found = true;
	struct ksyms_error *err = bootimg_header(in, &b);
	if (err)
		return err;
	if (b.kernel_size == 0)
		return ks_error(KSYMS_ERR_NOT_FOUND, "Android boot.img v%u holds no kernel (kernel_size is 0)", b.version);
	err = unwrap_range(in, "Android boot.img", "kernel", b.page_size, b.kernel_size, &kernel);
	if (err)
		return err;
	size_t size = bootimg_trim_dtbs(kernel, dtb, sizeof(dtb));
	enum ks_codec c;
	const char *codec = ks_codec_detect(kernel, 0, &c) ? ks_codec_name(c) : "uncompressed";
	bootimg_os_version(b.os_version, os, sizeof(os));
	ret->format = "boot.img";
	ret->offset = b.page_size;
	ret->size = size;
	snprintf(ret->description, sizeof(ret->description),
		 "Android boot.img v%u%s, page size %u, %s kernel of %zu bytes at 0x%x%s%s%s%s%s",
		 b.version, b.legacy_v0 ? " (legacy: a DTB size where the version is)" : "", b.page_size, codec, size,
		 b.page_size, dtb, b.name[0] ? ", board '" : "", b.name, b.name[0] ? "'" : "", os);
	ks_debug(o->log, "boot.img: header v%u, kernel_size %u", b.version, b.kernel_size);
	return NULL;
}
