// SPDX-License-Identifier: MIT
/* gzip through zlib's streaming inflate, so a stream followed by other
 * data (a zImage trailer, an appended DTB) stops cleanly at its end. */
#include "decompress.h"

#ifdef HAVE_ZLIB
#include "codec_libs.h"

#include "core/compiler.h"
#include "core/error.h"

/* zlib counts in uInt: feed at most 1 GiB per call. */
static const size_t ZLIB_MAX_STEP = 1u << 30;

struct gz_state {
	const struct ks_zlib_api *zl;
	z_stream z;
};

static enum ks_step gz_step(void *state, struct ks_step_io *io)
{
	struct gz_state *g = state;
	z_stream *z = &g->z;
	uInt in_len = (uInt)KS_MIN(io->in_len, ZLIB_MAX_STEP);
	uInt out_len = (uInt)KS_MIN(io->out_len, ZLIB_MAX_STEP);

	z->next_in = (Bytef *)(uintptr_t)io->in; /* zlib's API is not const-correct */
	z->avail_in = in_len;
	z->next_out = io->out;
	z->avail_out = out_len;
	int rc = g->zl->inflate(z, Z_NO_FLUSH);
	io->in_used = in_len - z->avail_in;
	io->out_made = out_len - z->avail_out;
	switch (rc) {
	case Z_STREAM_END:
		return KS_STEP_END;
	case Z_OK:
	case Z_BUF_ERROR: /* no progress possible: the driver decides */
		return KS_STEP_MORE;
	case Z_MEM_ERROR:
		return KS_STEP_NOMEM;
	default:
		io->why = z->msg ? z->msg : "inflate failed";
		return KS_STEP_CORRUPT;
	}
}

struct ksyms_error *ks_gunzip(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	struct gz_state g = { ks_zlib(), { 0 } };

	if (!g.zl)
		return ks_lib_error(KS_LIB_ZLIB, "gzip data");
	/* 16 + MAX_WBITS: gzip wrapper only (inflateInit2() spelt out) */
	if (g.zl->inflateInit2_(&g.z, 16 + MAX_WBITS, ZLIB_VERSION, (int)sizeof(z_stream)) != Z_OK)
		return &ks_enomem;
	struct ksyms_error *err = ks_stream_run("gzip", gz_step, &g, in, cap, out, r);
	g.zl->inflateEnd(&g.z);
	return err;
}
#endif
