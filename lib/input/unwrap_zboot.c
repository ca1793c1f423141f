// SPDX-License-Identifier: MIT
/*
 * EFI zboot (drivers/firmware/efi/libstub/zboot-header.S, used by arm64,
 * riscv64 and loongarch64 distribution kernels since 6.1): a PE executable
 * that decompresses the kernel Image itself when EFI starts it, and tells
 * other loaders where the compressed Image is.  Its MS-DOS header is
 *   0x00 "MZ\0\0"   0x04 "zimg"
 *   0x08 payload offset (u32 LE)   0x0c payload size (u32 LE)
 *   0x10 two reserved words        0x18 compression type, NUL-terminated
 *   0x3c PE header offset (the usual MS-DOS e_lfanew)
 * The payload is yielded as a view; the codec unwrapper decompresses it.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "unwrap_util.h"
#include "decompress/decompress.h"

enum {
	ZB_TYPE = 0x04,
	ZB_OFFSET = 0x08,
	ZB_SIZE = 0x0c,
	ZB_COMP = 0x18,
	ZB_COMP_MAX = 0x38 - 0x18, /* the string ends before LINUX_PE_MAGIC at 0x38 */
	ZB_PE_OFFSET = 0x3c,
};

/* The PE machine type says which architecture the stub is for. */
static const char *zboot_arch(struct span in)
{
	uint32_t pe;
	uint16_t machine;

	if (!span_u32(in, ZB_PE_OFFSET, false, &pe) || !span_eq(in, pe, "PE\0\0", 4) ||
	    !span_u16(in, (size_t)pe + 4, false, &machine))
		return NULL;
	return ks_arch_from_pe_machine(machine);
}

/* "gzip" in the header should match the stream's own magic; lz4 names
 * both of our lz4 codecs. */
static bool zboot_type_matches(const char *type, enum ks_codec c)
{
	const char *name = ks_codec_name(c);

	return strncmp(name, type, strlen(type)) == 0 && (name[strlen(type)] == 0 || name[strlen(type)] == ' ');
}

struct ksyms_error *ks_unwrap_zboot(struct span in, const struct ks_unwrap_opts *o, bool *found,
				    struct ks_unwrapped *ret)
{
	uint32_t off, size;
	char type[ZB_COMP_MAX + 1];
	struct span payload = { 0 };
	enum ks_codec c;

	if (!span_eq(in, 0, "MZ", 2) || !span_eq(in, ZB_TYPE, "zimg", 4))
		return NULL;
	*found = true;
	if (!span_u32(in, ZB_OFFSET, false, &off) || !span_u32(in, ZB_SIZE, false, &size) ||
	    !span_has(in, ZB_COMP, ZB_COMP_MAX))
		return ks_error_at((int64_t)in.origin, "EFI zboot: header truncated (%zu bytes)", in.len);
	unwrap_text(type, sizeof(type), in, ZB_COMP, ZB_COMP_MAX);
	struct ksyms_error *err = unwrap_range(in, "EFI zboot", "payload", off, size, &payload);
	if (err)
		return err;
	if (!ks_codec_detect(payload, 0, &c))
		return ks_error_at((int64_t)payload.origin,
				   "EFI zboot: the payload at 0x%x (compression '%s') starts with no known stream magic",
				   off, type);
	const char *arch = zboot_arch(in);
	ret->format = "EFI zboot";
	ret->arch_hint = arch;
	ret->arch_hint_source = "EFI zboot header";
	ret->offset = off;
	ret->size = size;
	snprintf(ret->description, sizeof(ret->description), "EFI zboot%s%s, %s payload of %u bytes at 0x%x%s%s%s",
		 arch ? " for " : "", arch ? arch : "", ks_codec_name(c), size, off,
		 zboot_type_matches(type, c) ? "" : " (the header says '", zboot_type_matches(type, c) ? "" : type,
		 zboot_type_matches(type, c) ? "" : "')");
	ks_debug(o->log, "EFI zboot: compression type '%s', payload 0x%x + 0x%x", type, off, size);
	return NULL;
}
