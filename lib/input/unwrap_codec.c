// SPDX-License-Identifier: MIT
/* A bare compressed stream: Image.gz, vmlinux.xz, a raw .lz4 ... */
#include <stdio.h>

#include "unwrap.h"
#include "core/error.h"
#include "decompress/decompress.h"

struct ksyms_error *ks_unwrap_codec(struct span in, const struct ks_unwrap_opts *o, bool *found,
				    struct ks_unwrapped *ret)
{
	enum ks_codec c;
	struct ks_decomp_result r;

	if (!ks_codec_detect(in, 0, &c))
		return NULL;
	struct ksyms_error *err = ks_decompress(c, in, o->max_output, &ret->out, &r);
	if (err) {
		ks_buf_free(&ret->out);
		return ks_error_wrap(err, "%s stream at offset 0", ks_codec_name(c));
	}
	if (ret->out.len == 0) {
		ks_buf_free(&ret->out);
		return ks_error_at(0, "%s stream at offset 0 %s", ks_codec_name(c),
				   r.truncated ? "is cut off before any data" : "is empty");
	}
	*found = true;
	ret->format = ks_codec_name(c);
	ret->offset = 0;
	ret->size = r.consumed;
	ret->decompressed = true;
	snprintf(ret->description, sizeof(ret->description), "%s stream, %zu bytes -> %zu bytes%s", ks_codec_name(c),
		 r.consumed, ret->out.len, r.truncated ? " (truncated: the input ends inside the stream)" : "");
	return NULL;
}
