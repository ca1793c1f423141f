// SPDX-License-Identifier: MIT
/*
 * zstd through ZSTD_decompressStream, which returns 0 at the end of a
 * frame: data after the first frame (the kernel's appended size) is left
 * alone.
 *
 * Memory.  In its usual mode libzstd copies the output through a window of
 * its own, as big as the frame header asks (the kernel's `zstd -22 --ultra`:
 * 2^27; `zstd --long=31`: 2^31), allocated before the first byte: with a
 * large window the output is held twice, and a 30-byte frame claiming 2^31
 * cost 2 GiB (found by fuzz_textmap).  So the output room up to the cap is
 * reserved first (address space only: pages become resident as they are
 * written) and libzstd decodes straight into it (ZSTD_d_stableOutBuffer,
 * libzstd >= 1.4.4), holding no window at all.  Where that reservation
 * fails (a 32-bit process, strict overcommit) it falls back to the usual
 * mode.  Either way the window may not exceed the cap rounded up to a power
 * of two; windows up to libzstd's default of 2^27 are always taken, so a
 * small cap does not turn away a stream that fits in it.
 */
#include "decompress.h"

#ifdef HAVE_ZSTD
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_d_stableOutBuffer: only the parameter's number */
#include <zstd.h>
#include <zstd_errors.h>

#include "core/compiler.h"
#include "core/error.h"

enum { KERNEL_WINDOW_LOG_MAX = 31, LIBZSTD_DEFAULT_WINDOW_LOG = 27 };

/* The window log that covers the output cap, within [2^27, 2^31]. */
static int window_log_for_cap(uint64_t cap)
{
	int log = LIBZSTD_DEFAULT_WINDOW_LOG;

	while (log < KERNEL_WINDOW_LOG_MAX && (UINT64_C(1) << log) < cap)
		log++;
	return log;
}

/* An error leaves the input position where the failing call began: feed
 * a block's worth at a time so the driver's position says where. */
static const size_t ZSTD_STEP = 128 << 10;

static enum ks_step zstd_step(void *state, struct ks_step_io *io)
{
	ZSTD_inBuffer ib = { io->in, KS_MIN(io->in_len, ZSTD_STEP), 0 };
	/* the same buffer every step when decoding in place, as libzstd checks */
	ZSTD_outBuffer ob = { io->out - io->made, io->made + io->out_len, io->made };

	size_t rc = ZSTD_decompressStream(state, &ob, &ib);
	io->in_used = ib.pos;
	io->out_made = ob.pos - io->made;
	if (!ZSTD_isError(rc))
		return rc == 0 ? KS_STEP_END : KS_STEP_MORE;
	io->why = ZSTD_getErrorName(rc);
	switch (ZSTD_getErrorCode(rc)) {
	case ZSTD_error_memory_allocation:
		return KS_STEP_NOMEM;
	case ZSTD_error_frameParameter_windowTooLarge:
		io->why = "asks for a window larger than the output limit";
		return KS_STEP_LIMIT;
	case ZSTD_error_dstSize_tooSmall: /* in place: the next block passes the cap */
		return KS_STEP_FULL;
	default:
		return KS_STEP_CORRUPT;
	}
}

struct ksyms_error *ks_unzstd(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	ZSTD_DCtx *d = ZSTD_createDCtx();

	if (!d)
		return &ks_enomem;
	struct ksyms_error *err;
	int window_log = window_log_for_cap(cap);
	if (ZSTD_isError(ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax, window_log))) {
		err = ks_error(KSYMS_ERR_UNSUPPORTED, "this libzstd does not accept 2^%d-byte windows",
			       window_log);
	} else if (cap < SIZE_MAX - out->len && ks_buf_reserve_exact(out, (size_t)cap + 1) &&
		   !ZSTD_isError(ZSTD_DCtx_setParameter(d, ZSTD_d_stableOutBuffer, 1))) {
		err = ks_stream_run_in_place("zstd", zstd_step, d, in, cap, out, r);
		ks_buf_trim(out);
	} else {
		err = ks_stream_run("zstd", zstd_step, d, in, cap, out, r);
	}
	ZSTD_freeDCtx(d);
	return err;
}
#endif
