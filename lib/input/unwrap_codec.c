// SPDX-License-Identifier: MIT
/* A bare compressed stream: Image.gz, vmlinux.xz, a raw .lz4 ... */
#include <stdio.h>

#include "unwrap.h"
#include "core/error.h"
#include "decompress/decompress.h"

struct ksyms_error *ks_unwrap_decompress(enum ks_codec c, struct span in, const struct ks_unwrap_opts *o,
					 struct ks_buf *out, struct ks_decomp_result *r)
{
	bool by_work = o->work_left && *o->work_left < o->max_output;
	uint64_t cap = by_work ? *o->work_left : o->max_output;
	size_t before = out->len;
	struct ksyms_error *err = ks_decompress_until(c, in, cap, o->stop, out, r);
	uint64_t made = out->len - before;

	if (o->work_left)
		*o->work_left -= made < *o->work_left ? made : *o->work_left;
	if (err && by_work && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE) {
		ksyms_error_destroy(err);
		return ks_error(KSYMS_ERR_TOO_LARGE,
				"gave up: the compressed streams tried in this input decompress to more than twice "
				"the limit on decompressed data in all (see --max-output)");
	}
	return err;
}

const char *ks_stream_note(const struct ks_decomp_result *r)
{
	if (r->stopped)
		return " (stopped there: the kallsyms tables were decoded)";
	return r->truncated ? " (truncated: the input ends inside the stream)" : "";
}

struct ksyms_error *ks_unwrap_codec(struct span in, const struct ks_unwrap_opts *o, bool *found,
				    struct ks_unwrapped *ret)
{
	enum ks_codec c;
	struct ks_decomp_result r;

	if (!ks_codec_detect(in, 0, &c))
		return NULL;
	struct ksyms_error *err = ks_unwrap_decompress(c, in, o, &ret->out, &r);
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
	ret->stopped = r.stopped;
	snprintf(ret->description, sizeof(ret->description), "%s stream, %zu bytes -> %zu bytes%s", ks_codec_name(c),
		 r.consumed, ret->out.len, ks_stream_note(&r));
	return NULL;
}
