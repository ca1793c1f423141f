/* SPDX-License-Identifier: MIT */
/*
 * Helpers the container unwrappers share: checking a header's
 * (offset, length) against the data, copying a header's text field for a
 * description, and finding device trees appended after a payload.
 * Every header field is untrusted; offsets and lengths are 64-bit here so
 * that a 32-bit host cannot wrap them before the check.
 */
#ifndef KSYMS_INPUT_UNWRAP_UTIL_H
#define KSYMS_INPUT_UNWRAP_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "unwrap.h"
#include "core/error.h"

/*
 * The sub-span [off, off + len) of @in, or a KSYMS_ERR_BAD_DATA error
 * "<fmt>: <what> (<len> bytes at 0x<off>) extends past the end of the data
 * (<in.len> bytes)".  @in.origin is added to offsets in the message, so for
 * a view of the file they are file offsets.
 */
static inline struct ksyms_error *unwrap_range(struct span in, const char *fmt, const char *what, uint64_t off,
					       uint64_t len, struct span *ret)
{
	if (off > in.len || len > in.len - off)
		return ks_error_at((int64_t)(in.origin + (off < in.len ? off : in.len)),
				   "%s: %s (%llu bytes at 0x%llx) extends past the end of the data (%zu bytes)", fmt,
				   what, (unsigned long long)len, (unsigned long long)(in.origin + off), in.len);
	return span_sub(in, (size_t)off, (size_t)len, ret) ? NULL : ks_error_at(0, "%s: bad range", fmt);
}

/*
 * Copy the text field of at most @max bytes at @off into @dst (of @cap
 * bytes), stopping at a NUL and replacing what is not printable ASCII with
 * '?', so a hostile name cannot garble a terminal.  @dst is "" if the field
 * is empty or out of bounds.
 */
static inline void unwrap_text(char *dst, size_t cap, struct span in, size_t off, size_t max)
{
	size_t n = 0;
	uint8_t c;

	while (n + 1 < cap && n < max && span_u8(in, off + n, &c) && c) {
		dst[n] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		n++;
	}
	if (cap)
		dst[n] = 0;
}

/* Flattened device tree header (devicetree-specification, section 5.2):
 * big-endian magic 0xd00dfeed, then totalsize. */
static const uint32_t FDT_MAGIC = 0xd00dfeedu;
enum { FDT_HEADER_SIZE = 40 };

/* True if a plausible FDT header is at @off: magic, a totalsize that holds
 * at least the header and fits in @in; its size in *ret_size. */
static inline bool unwrap_fdt_at(struct span in, size_t off, size_t *ret_size)
{
	uint32_t magic, total, version, last_comp;

	if (!span_u32(in, off, true, &magic) || magic != FDT_MAGIC || !span_u32(in, off + 4, true, &total) ||
	    !span_u32(in, off + 20, true, &version) || !span_u32(in, off + 24, true, &last_comp))
		return false;
	/* version 17 is current; readers of 16 can read it (last_comp_version) */
	if (total < FDT_HEADER_SIZE || !span_has(in, off, total) || version < 16 || last_comp > 16)
		return false;
	*ret_size = total;
	return true;
}

/*
 * Where the device trees appended to a payload start: scan @in for the
 * first FDT header from which whole FDTs, back to back, end exactly at
 * the end of @in (how "Image.gz-dtb" and zImage + DTB are made: cat).
 * Returns that offset and the number of blobs, or SIZE_MAX if the data
 * does not end in device trees.  The scan is bounded by the data size and
 * each candidate's chain is walked at most 64 blobs deep.
 */
static inline size_t unwrap_appended_fdts(struct span in, size_t from, unsigned *ret_count)
{
	static const uint8_t magic[4] = { 0xd0, 0x0d, 0xfe, 0xed };
	size_t at;

	while ((at = span_find(in, from, magic, sizeof(magic))) != SIZE_MAX) {
		size_t pos = at, size;
		unsigned n = 0;
		while (n < 64 && pos < in.len && unwrap_fdt_at(in, pos, &size)) {
			pos += size;
			n++;
		}
		if (n && pos == in.len) {
			*ret_count = n;
			return at;
		}
		from = at + 1;
	}
	return SIZE_MAX;
}

#endif
