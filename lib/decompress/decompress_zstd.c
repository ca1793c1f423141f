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
 * cost 2 GiB (found by fuzz_textmap).  So room for the output is reserved
 * first (address space only: pages become resident as they are written; how
 * much: first_room()) and libzstd decodes straight into it
 * (ZSTD_d_stableOutBuffer, libzstd >= 1.4.4), holding no window at all.
 * Where the room cannot be reserved (a 32-bit process, strict overcommit,
 * an unlimited cap) it falls back to the usual mode.  Either way the window
 * may not exceed the cap rounded up to a power of two; windows up to
 * libzstd's default of 2^27 are always taken, so a small cap does not turn
 * away a stream that fits in it.
 */
#include "decompress.h"

#ifdef HAVE_ZSTD
#define ZSTD_STATIC_LINKING_ONLY /* ZSTD_d_stableOutBuffer: only the parameter's number */
#include "codec_libs.h"

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

struct zstd_state {
	const struct ks_zstd_api *zs;
	ZSTD_DCtx *d;
	bool out_of_room; /* in place: the stream wanted more than the room */
};

static enum ks_step zstd_step(void *state, struct ks_step_io *io)
{
	struct zstd_state *z = state;
	ZSTD_inBuffer ib = { io->in, KS_MIN(io->in_len, ZSTD_STEP), 0 };
	/* the same buffer every step when decoding in place, as libzstd checks */
	ZSTD_outBuffer ob = { io->out - io->made, io->made + io->out_len, io->made };

	size_t rc = z->zs->decompressStream(z->d, &ob, &ib);
	io->in_used = ib.pos;
	io->out_made = ob.pos - io->made;
	if (!z->zs->isError(rc)) {
		if (rc != 0)
			return KS_STEP_MORE;
		z->out_of_room = ob.pos == ob.size; /* the room holds one byte past the cap */
		return KS_STEP_END;
	}
	io->why = z->zs->getErrorName(rc);
	switch (z->zs->getErrorCode(rc)) {
	case ZSTD_error_memory_allocation:
		return KS_STEP_NOMEM;
	case ZSTD_error_frameParameter_windowTooLarge:
		io->why = "asks for a window larger than the output limit";
		return KS_STEP_LIMIT;
	case ZSTD_error_dstSize_tooSmall: /* in place: the next block does not fit */
		z->out_of_room = true;
		return KS_STEP_FULL;
	default:
		return KS_STEP_CORRUPT;
	}
}

/*
 * Decoding in place needs its room before the first byte, and reserving all
 * of a 1 GiB cap for every candidate stream costs address space (and under
 * ASan, a poisoned shadow an eighth as big on every free).  So the first room
 * holds what a kernel expands to (about 4:1 with `zstd -22`), and a stream
 * that outgrows it starts again with four times the room, up to the cap: a
 * bomb costs at most a third more decoding.
 */
enum { FIRST_ROOM_MIN = 8 << 20, FIRST_ROOM_PER_INPUT_BYTE = 16, ROOM_GROWTH = 4 };

static uint64_t first_room(size_t in_len, uint64_t cap)
{
	uint64_t room = in_len > (UINT64_MAX - 1) / FIRST_ROOM_PER_INPUT_BYTE ? UINT64_MAX - 1
									     : (uint64_t)in_len * FIRST_ROOM_PER_INPUT_BYTE;
	room = KS_MAX(room, (uint64_t)FIRST_ROOM_MIN);
	return KS_MIN(room, cap) + 1; /* one byte past the cap, as the driver wants */
}

/* False (and nothing done) where the room cannot be reserved. */
static bool reserve_room(struct zstd_state *z, struct ks_buf *out, uint64_t room)
{
	return room <= SIZE_MAX - out->len && ks_buf_reserve_exact(out, (size_t)room) &&
	       !z->zs->isError(z->zs->DCtx_setParameter(z->d, ZSTD_d_stableOutBuffer, 1));
}

static struct ksyms_error *decode_in_place(struct zstd_state *z, struct span in, uint64_t cap, struct ks_buf *out,
					   struct ks_decomp_result *r, uint64_t room)
{
	size_t start = out->len;

	for (;;) {
		z->out_of_room = false;
		struct ksyms_error *err = ks_stream_run_in_place("zstd", zstd_step, z, in, room - 1, out, r);
		if (!err || !z->out_of_room || room - 1 >= cap)
			return err;
		ksyms_error_destroy(err);
		room = room - 1 > cap / ROOM_GROWTH ? cap + 1 : (room - 1) * ROOM_GROWTH + 1;
		out->len = start;
		r->consumed = 0;
		r->truncated = r->stopped = false;
		z->zs->DCtx_reset(z->d, ZSTD_reset_session_only);
		if (!reserve_room(z, out, room))
			return &ks_enomem;
	}
}

struct ksyms_error *ks_unzstd(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	struct zstd_state z = { ks_zstd(), NULL, false };

	if (!z.zs)
		return ks_lib_error(KS_LIB_ZSTD, "zstd data");
	if (!(z.d = z.zs->createDCtx()))
		return &ks_enomem;
	struct ksyms_error *err;
	int window_log = window_log_for_cap(cap);
	uint64_t room = first_room(in.len, cap);

	if (z.zs->isError(z.zs->DCtx_setParameter(z.d, ZSTD_d_windowLogMax, window_log))) {
		err = ks_error(KSYMS_ERR_UNSUPPORTED, "this libzstd does not accept 2^%d-byte windows",
			       window_log);
	} else if (cap < SIZE_MAX && reserve_room(&z, out, room)) { /* cap + 1 below must not wrap */
		err = decode_in_place(&z, in, cap, out, r, room);
		ks_buf_trim(out);
	} else {
		err = ks_stream_run("zstd", zstd_step, &z, in, cap, out, r);
	}
	z.zs->freeDCtx(z.d);
	return err;
}
#endif
