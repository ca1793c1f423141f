// SPDX-License-Identifier: MIT
/* bzip2 through libbz2's streaming decoder; stops at the end of the first
 * stream (the kernel writes one). */
#include "decompress.h"

#ifdef HAVE_BZIP2
#include "codec_libs.h"

#include "core/compiler.h"
#include "core/error.h"

/* libbz2 counts in unsigned int: feed at most 1 GiB per call. */
static const size_t BZ_MAX_STEP = 1u << 30;

struct bz_state {
	const struct ks_bzip2_api *bz;
	bz_stream b;
};

static enum ks_step bz_step(void *state, struct ks_step_io *io)
{
	struct bz_state *s = state;
	bz_stream *b = &s->b;
	unsigned in_len = (unsigned)KS_MIN(io->in_len, BZ_MAX_STEP);
	unsigned out_len = (unsigned)KS_MIN(io->out_len, BZ_MAX_STEP);

	b->next_in = (char *)(uintptr_t)io->in; /* libbz2's API is not const-correct */
	b->avail_in = in_len;
	b->next_out = (char *)io->out;
	b->avail_out = out_len;
	int rc = s->bz->decompress(b);
	io->in_used = in_len - b->avail_in;
	io->out_made = out_len - b->avail_out;
	switch (rc) {
	case BZ_OK:
		return KS_STEP_MORE;
	case BZ_STREAM_END:
		return KS_STEP_END;
	case BZ_MEM_ERROR:
		return KS_STEP_NOMEM;
	case BZ_DATA_ERROR_MAGIC:
		io->why = "bad magic";
		return KS_STEP_CORRUPT;
	case BZ_DATA_ERROR:
		io->why = "compressed data is corrupt (bad block or CRC)";
		return KS_STEP_CORRUPT;
	default:
		io->why = "libbz2 failed";
		return KS_STEP_CORRUPT;
	}
}

struct ksyms_error *ks_bunzip2(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	struct bz_state s = { ks_bzip2(), { 0 } };

	if (!s.bz)
		return ks_lib_error(KS_LIB_BZIP2, "bzip2 data");
	int rc = s.bz->decompressInit(&s.b, 0, 0);
	if (rc == BZ_MEM_ERROR)
		return &ks_enomem;
	if (rc != BZ_OK)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "cannot initialise the libbz2 decoder");
	struct ksyms_error *err = ks_stream_run("bzip2", bz_step, &s, in, cap, out, r);
	s.bz->decompressEnd(&s.b);
	return err;
}
#endif
