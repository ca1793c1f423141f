// SPDX-License-Identifier: MIT
/*
 * x86 bzImage (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel
 * Header").  The file is a real-mode setup of setup_sects + 1 sectors of
 * 512 bytes (setup_sects 0 means 4), then the protected-mode decompressor,
 * which carries the compressed ELF vmlinux at payload_offset (counted from
 * the start of the protected-mode code) for payload_length bytes (boot
 * protocol 2.08+).  A PE/EFI stub only adds "MZ" and a PE header in front
 * of the same setup header.
 *
 * The payload is yielded as a view, not decompressed here: the codec
 * unwrapper recognises it by its own magic, so the chain reads
 * "bzImage -> zstd -> ELF vmlinux" and each step is shown on its own.
 */
#include <stdio.h>
#include <string.h>

#include "unwrap_util.h"
#include "decompress/decompress.h"

enum {
	BZ_SETUP_SECTS = 0x1f1,
	BZ_HEADER = 0x202,
	BZ_VERSION = 0x206,
	BZ_KERNEL_VERSION = 0x20e,
	BZ_LOADFLAGS = 0x211,
	BZ_PAYLOAD_OFFSET = 0x248,
	BZ_PAYLOAD_LENGTH = 0x24c,
	BZ_SECTOR = 512,
	BZ_PROTO_PAYLOAD = 0x208, /* payload_offset/length exist since 2.08 */
};

/* The kernel_version field points (minus 0x200) at a NUL-terminated
 * version string inside the setup code (boot protocol 2.00+): keep its
 * first word, the release ("6.12.107+deb13-amd64"). */
static void bz_version_string(struct span in, size_t setup_end, char *dst, size_t cap)
{
	uint16_t p;

	dst[0] = 0;
	if (span_u16(in, BZ_KERNEL_VERSION, false, &p) && p && (size_t)p + 0x200 < setup_end)
		unwrap_text(dst, cap, in, (size_t)p + 0x200, cap - 1);
	char *sp = strchr(dst, ' ');
	if (sp)
		*sp = 0;
}

/*
 * Protocols before 2.08 (kernels before 2.6.26) do not say where the
 * payload is; it is a gzip stream inside the protected-mode code.  The
 * decompressor itself may hold the three magic bytes, so each candidate
 * must decode its first TRIAL_BYTES (or end cleanly before) to count.
 */
enum { OLD_MAX_TRIES = 16, TRIAL_BYTES = 64 * 1024 };

static bool bz_gzip_decodes(struct span s)
{
	struct ks_buf out = { 0 };
	struct ks_decomp_result r;
	struct ksyms_error *err = ks_decompress(KS_CODEC_GZIP, s, TRIAL_BYTES, &out, &r);
	bool ok = !err || ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE;

	ksyms_error_destroy(err);
	ks_buf_free(&out);
	return ok;
}

static struct ksyms_error *bz_find_old_payload(struct span in, size_t pm_start, unsigned version,
					       size_t *ret_off, size_t *ret_len)
{
	size_t at = pm_start;

	for (unsigned tries = 0; tries < OLD_MAX_TRIES; tries++, at++) {
		at = span_find(in, at, "\x1f\x8b\x08", 3);
		if (at == SIZE_MAX)
			break;
		if (bz_gzip_decodes(span_from(in, at))) {
			*ret_off = at;
			*ret_len = in.len - at;
			return NULL;
		}
	}
	return ks_error(KSYMS_ERR_UNSUPPORTED,
			"bzImage: boot protocol %u.%02u states no payload offset and no gzip stream that decodes "
			"follows the setup code at 0x%zx", version >> 8, version & 0xff, pm_start);
}

struct ksyms_error *ks_unwrap_bzimage(struct span in, const struct ks_unwrap_opts *o, bool *found,
				      struct ks_unwrapped *ret)
{
	uint8_t sects, loadflags = 0;
	uint16_t version;
	uint32_t poff = 0, plen = 0;
	struct ksyms_error *err;

	if (!span_eq(in, BZ_HEADER, "HdrS", 4))
		return NULL;
	if (!span_u8(in, BZ_SETUP_SECTS, &sects) || !span_u16(in, BZ_VERSION, false, &version) ||
	    !span_u8(in, BZ_LOADFLAGS, &loadflags))
		return ks_error_at((int64_t)in.origin, "bzImage: setup header truncated (%zu bytes)", in.len);
	*found = true;
	if (sects == 0)
		sects = 4;
	/* at most 256 sectors: cannot overflow */
	size_t pm_start = ((size_t)sects + 1) * BZ_SECTOR;
	if (pm_start >= in.len)
		return ks_error_at((int64_t)in.origin, "bzImage: the %zu-byte setup code is not followed by a kernel "
				   "(file of %zu bytes)", pm_start, in.len);

	size_t off = 0, len = 0;
	if (version >= BZ_PROTO_PAYLOAD) {
		if (!span_u32(in, BZ_PAYLOAD_OFFSET, false, &poff) || !span_u32(in, BZ_PAYLOAD_LENGTH, false, &plen))
			return ks_error_at((int64_t)in.origin, "bzImage: setup header truncated (%zu bytes)", in.len);
		struct span payload = { 0 };
		err = unwrap_range(in, "bzImage", "payload", (uint64_t)pm_start + poff, plen, &payload);
		if (err)
			return err;
		if (plen == 0)
			return ks_error_at((int64_t)(in.origin + BZ_PAYLOAD_LENGTH), "bzImage: payload_length is 0");
		off = pm_start + poff;
		len = plen;
	} else {
		err = bz_find_old_payload(in, pm_start, version, &off, &len);
		if (err)
			return err;
	}

	enum ks_codec c;
	const char *codec = ks_codec_detect(span_from(in, off), 0, &c) ? ks_codec_name(c) : "uncompressed";
	char kver[72];
	bz_version_string(in, pm_start, kver, sizeof(kver));
	ret->format = "bzImage";
	ret->offset = off;
	ret->size = len;
	snprintf(ret->description, sizeof(ret->description),
		 "x86 %s, boot protocol %u.%02u%s, %zu-byte setup, %s payload of %zu bytes at 0x%zx%s%s%s",
		 (loadflags & 1) ? "bzImage" : "zImage", version >> 8, version & 0xff,
		 span_eq(in, 0, "MZ", 2) ? ", PE/EFI stub" : "", pm_start, codec, len, off,
		 version < BZ_PROTO_PAYLOAD ? " (found by its magic)" : "", kver[0] ? ", version " : "", kver);
	ks_debug(o->log, "bzImage: setup_sects %u, payload_offset 0x%x, payload_length 0x%x", sects, poff, plen);
	return NULL;
}
