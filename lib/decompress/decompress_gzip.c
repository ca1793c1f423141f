// SPDX-License-Identifier: MIT
/* gzip through zlib's streaming inflate, so a stream followed by other
 * data (a zImage trailer, an appended DTB) stops cleanly at its end. */
#include <zlib.h>

#include "decompress.h"
#include "core/error.h"

enum { CHUNK = 1 << 20 };

struct ksyms_error *ks_gunzip(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	z_stream z = { 0 };
	struct ksyms_error *err = NULL;
	size_t start = out->len;

	/* 16 + MAX_WBITS: gzip wrapper only */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return &ks_enomem;
	z.next_in = (Bytef *)(uintptr_t)in.p;
	for (;;) {
		/* feed at most 1 GiB at a time: avail_in is 32-bit */
		size_t used = (size_t)(z.next_in - in.p);
		size_t left = in.len - used;
		z.avail_in = (uInt)(left > (1u << 30) ? (1u << 30) : left);
		if (out->len - start >= cap) {
			err = ks_error(KSYMS_ERR_TOO_LARGE, "gzip stream decompresses to more than the %llu-byte limit",
				       (unsigned long long)cap);
			break;
		}
		size_t room = CHUNK;
		if (room > cap - (out->len - start))
			room = (size_t)(cap - (out->len - start));
		if (!ks_buf_reserve(out, room)) {
			err = &ks_enomem;
			break;
		}
		z.next_out = out->p + out->len;
		z.avail_out = (uInt)room;
		int rc = inflate(&z, Z_NO_FLUSH);
		out->len += room - z.avail_out;
		if (rc == Z_STREAM_END)
			break;
		if (rc == Z_BUF_ERROR && z.avail_in == 0 && z.avail_out != 0) {
			if ((size_t)(z.next_in - in.p) < in.len)
				continue; /* the next 1 GiB of input */
			r->truncated = true;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			err = ks_error_at((int64_t)(in.origin + (size_t)(z.next_in - in.p)), "corrupt gzip data: %s",
					  z.msg ? z.msg : "inflate failed");
			break;
		}
	}
	r->consumed = (size_t)(z.next_in - in.p);
	inflateEnd(&z);
	return err;
}
