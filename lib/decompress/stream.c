// SPDX-License-Identifier: MIT
/*
 * The driver every streaming codec runs on (decompress.h: ks_stream_run):
 * output grown in steps up to the cap, the early-stop question asked as it
 * grows, and the errors a codec reports.  A helper of the codec files;
 * decompress.c, the folder's face, calls the codecs.
 */
#include <string.h>

#include "decompress.h"
#include "core/compiler.h"
#include "core/error.h"

struct ksyms_error *ks_decomp_too_large(const char *codec, uint64_t cap)
{
	return ks_error(KSYMS_ERR_TOO_LARGE, "%s stream decompresses to more than the %llu-byte limit (see --max-output)", codec,
			(unsigned long long)cap);
}

struct ksyms_error *ks_decomp_corrupt(const char *codec, struct span in, size_t off, const char *why)
{
	uint64_t at = in.origin + off;

	return ks_error_at((int64_t)at, "corrupt %s data near offset 0x%llx: %s", codec, (unsigned long long)at, why);
}

/* Output is grown this much per step: big enough that the per-call cost of
 * the libraries vanishes, small enough not to overshoot a small cap. */
enum { STREAM_CHUNK = 1 << 20 };

/* Room for the next step: one byte more than the cap allows, so a stream of
 * exactly @cap bytes is accepted and one byte more is detected.  In place,
 * all of it, every time. */
static size_t step_room(uint64_t cap, uint64_t made, bool in_place)
{
	return in_place || cap - made < STREAM_CHUNK ? (size_t)(cap - made) + 1 : STREAM_CHUNK;
}

/* The output sizes at which a ks_stop is asked: from @first, each a quarter
 * more than the last (at least 1 MiB more), so that the questions cost a
 * bounded fraction of the decompression however long the stream is. */
enum { DEFAULT_FIRST_STOP = 8 << 20 };

static size_t next_question(size_t made)
{
	size_t grow = made / 4 > STREAM_CHUNK ? made / 4 : STREAM_CHUNK;
	return made > SIZE_MAX - grow ? SIZE_MAX : made + grow;
}

static bool stop_here(struct ks_decomp_result *r, const struct ks_buf *out, size_t start, size_t *ask_at)
{
	size_t made = out->len - start;

	if (!r->stop || made < *ask_at)
		return false;
	*ask_at = next_question(made);
	return r->stop->enough(r->stop->ctx, span_make(out->p + start, made, 0));
}

static struct ksyms_error *stream_run(const char *codec, ks_step_fn *step, void *state, struct span in,
				      uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r, bool in_place)
{
	size_t start = out->len, pos = 0;
	size_t ask_at = r->stop && r->stop->first ? r->stop->first : DEFAULT_FIRST_STOP;

	for (;;) {
		if (out->len - start > cap)
			return ks_decomp_too_large(codec, cap);
		size_t room = step_room(cap, out->len - start, in_place);
		if (!ks_buf_reserve(out, room)) /* in place: already there, nothing moves */
			return &ks_enomem;
		struct ks_step_io io = {
			.in = span_at(in, pos, in.len - pos),
			.in_len = in.len - pos,
			.out = out->p + out->len,
			.out_len = room,
			.made = out->len - start,
		};
		enum ks_step s = step(state, &io);
		pos += io.in_used;
		out->len += io.out_made;
		r->consumed = pos;
		switch (s) {
		case KS_STEP_END:
			return out->len - start > cap ? ks_decomp_too_large(codec, cap) : NULL;
		case KS_STEP_CORRUPT:
			return ks_decomp_corrupt(codec, in, pos, io.why);
		case KS_STEP_NOMEM:
			return &ks_enomem;
		case KS_STEP_LIMIT:
			return ks_error(KSYMS_ERR_TOO_LARGE, "%s stream %s", codec, io.why);
		case KS_STEP_FULL:
			return ks_decomp_too_large(codec, cap);
		case KS_STEP_MORE:
			break;
		}
		if (stop_here(r, out, start, &ask_at)) {
			r->stopped = true;
			return NULL;
		}
		if (io.in_used || io.out_made)
			continue;
		/* no progress with room to write: the decoder wants input */
		if (pos < in.len)
			return ks_decomp_corrupt(codec, in, pos, "the decoder stopped making progress");
		r->truncated = true;
		return NULL;
	}
}

struct ksyms_error *ks_stream_run(const char *codec, ks_step_fn *step, void *state, struct span in, uint64_t cap,
				  struct ks_buf *out, struct ks_decomp_result *r)
{
	return stream_run(codec, step, state, in, cap, out, r, false);
}

struct ksyms_error *ks_stream_run_in_place(const char *codec, ks_step_fn *step, void *state, struct span in,
					   uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	return stream_run(codec, step, state, in, cap, out, r, true);
}
