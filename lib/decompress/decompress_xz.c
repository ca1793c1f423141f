// SPDX-License-Identifier: MIT
/*
 * xz through liblzma's stream decoder.  The kernel's xz_wrap.sh adds BCJ
 * filters (--x86, --arm, --powerpc, ...); inside an .xz stream they are
 * named in the block headers and liblzma applies them itself.
 */
#include "decompress.h"

#ifdef HAVE_LZMA
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/overflow.h"
#include "decompress_liblzma.h"

/* liblzma's dictionary (up to the 32 or 64 MiB the kernel's xz and lzma
 * use) is written front to back like the output: give it huge pages too
 * (ks_advise_huge; it cut the page faults of an xz kernel by most). */
static void *huge_alloc(void *opaque, size_t nmemb, size_t size)
{
	size_t bytes;

	(void)opaque;
	if (ckd_mul_size(&bytes, nmemb, size))
		return NULL;
	void *p = malloc(bytes ? bytes : 1);
	if (p)
		ks_advise_huge(p, bytes);
	return p;
}

static void huge_free(void *opaque, void *p)
{
	(void)opaque;
	free(p);
}

static const lzma_allocator ks_liblzma_allocator = { huge_alloc, huge_free, NULL };

/* The decoder memory limit for an output cap of @cap bytes. */
static uint64_t ks_liblzma_memlimit(uint64_t cap)
{
	/* The dictionary is never usefully larger than the output; the kernel
	 * uses 32 MiB (xz) or 64 MiB (lzma -9), so small caps still get room. */
	static const uint64_t slack = 256ull << 20;

	return cap > UINT64_MAX - slack ? UINT64_MAX : cap + slack;
}

struct lzma_state {
	const struct ks_lzma_api *lz;
	lzma_stream s;
};

static enum ks_step liblzma_step(void *state, struct ks_step_io *io)
{
	struct lzma_state *st = state;
	lzma_stream *s = &st->s;

	s->next_in = io->in;
	s->avail_in = io->in_len;
	s->next_out = io->out;
	s->avail_out = io->out_len;
	lzma_ret rc = st->lz->code(s, LZMA_RUN);
	io->in_used = io->in_len - s->avail_in;
	io->out_made = io->out_len - s->avail_out;
	switch (rc) {
	case LZMA_OK:
	case LZMA_BUF_ERROR: /* no progress possible: the driver decides */
		return KS_STEP_MORE;
	case LZMA_STREAM_END:
		return KS_STEP_END;
	case LZMA_MEM_ERROR:
		return KS_STEP_NOMEM;
	case LZMA_MEMLIMIT_ERROR:
		io->why = "needs a larger dictionary than the output limit allows";
		return KS_STEP_LIMIT;
	case LZMA_FORMAT_ERROR:
		io->why = "bad header";
		return KS_STEP_CORRUPT;
	case LZMA_OPTIONS_ERROR:
		io->why = "unsupported options in the header";
		return KS_STEP_CORRUPT;
	case LZMA_DATA_ERROR:
		io->why = "compressed data is corrupt";
		return KS_STEP_CORRUPT;
	default:
		io->why = "liblzma failed";
		return KS_STEP_CORRUPT;
	}
}

struct ksyms_error *ks_liblzma_run(const char *codec, bool xz, struct span in, uint64_t cap, struct ks_buf *out,
				   struct ks_decomp_result *r)
{
	struct lzma_state st = { ks_lzma(), LZMA_STREAM_INIT };
	struct ksyms_error *err;

	if (!st.lz)
		{
		char what[32];
		snprintf(what, sizeof(what), "%s data", codec);
		return ks_lib_error(KS_LIB_LZMA, what);
	}
	st.s.allocator = &ks_liblzma_allocator;
	/* no LZMA_CONCATENATED: stop after the first stream, ignoring what follows */
	lzma_ret init = xz ? st.lz->stream_decoder(&st.s, ks_liblzma_memlimit(cap), 0)
			   : st.lz->alone_decoder(&st.s, ks_liblzma_memlimit(cap));
	if (init == LZMA_MEM_ERROR)
		err = &ks_enomem;
	else if (init != LZMA_OK)
		err = ks_error(KSYMS_ERR_UNSUPPORTED, "cannot initialise the liblzma %s decoder", codec);
	else
		err = ks_stream_run(codec, liblzma_step, &st, in, cap, out, r);
	st.lz->end(&st.s);
	return err;
}

struct ksyms_error *ks_unxz(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	return ks_liblzma_run("xz", true, in, cap, out, r);
}
#endif
