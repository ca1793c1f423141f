/* SPDX-License-Identifier: MIT */
/*
 * Unwrapping one layer of a container or compression.  image.c tries each
 * unwrapper in turn on the current data; the first that recognises it
 * yields the next layer, until none does and the data is the kernel.
 * New containers slot in as one more entry of the table in image.c.
 */
#ifndef KSYMS_INPUT_UNWRAP_H
#define KSYMS_INPUT_UNWRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/span.h"
#include "decompress/decompress.h"

struct ks_unwrap_opts {
	/* what one decompression may produce: the limit on decompressed
	 * data, less what the outer layers hold already */
	uint64_t max_output;
	const struct ks_log *log;
	/* output every decompression tried while opening one input may still
	 * produce, the failed candidates' included (NULL: no limit) */
	uint64_t *work_left;
	/* NULL, or when a decompression may stop before the end of its
	 * stream (the caller needs only a prefix of the kernel) */
	const struct ks_stop *stop;
};

struct ks_unwrapped {
	const char *format;      /* "gzip", "bzImage", ... */
	char description[256];
	size_t offset, size;     /* the payload (or the compressed stream) inside the input */
	bool decompressed;       /* the data is in @out; else it is input[offset, offset+size) */
	struct ks_buf out;
	/* a base address the container states for the next layer (uImage load address) */
	bool has_base_hint;
	uint64_t base_hint;
	/* the architecture the container states for the kernel inside (a
	 * PE machine type, a uImage arch byte, a FIT arch property): our
	 * name for it, static; NULL if it says none or none we know */
	const char *arch_hint;
	const char *arch_hint_source;
	enum ksyms_byte_order byte_order_hint;
	/* the decompression stopped early (ks_unwrap_opts.stop): @out is a prefix */
	bool stopped;
};

/* Returns NULL with *found = false when @in is not this format. */
typedef struct ksyms_error *ks_unwrap_fn(struct span in, const struct ks_unwrap_opts *o, bool *found,
					 struct ks_unwrapped *ret);

/* Containers with headers (unwrap_<format>.c). */
ks_unwrap_fn ks_unwrap_bzimage, ks_unwrap_zimage, ks_unwrap_zboot, ks_unwrap_bootimg, ks_unwrap_uimage,
	ks_unwrap_fit;

/*
 * ks_decompress() for an unwrapper (unwrap_codec.c): capped at
 * @o->max_output and at what is left of @o->work_left, which is charged
 * with the output.  A search that tries candidate after candidate (bombs
 * included) thus decompresses a bounded amount in all.
 */
struct ksyms_error *ks_unwrap_decompress(enum ks_codec c, struct span in, const struct ks_unwrap_opts *o,
					 struct ks_buf *out, struct ks_decomp_result *r);

/* What to add to a layer's description about how its stream ended: cut
 * off by the input, stopped early, or nothing. */
const char *ks_stream_note(const struct ks_decomp_result *r);

/* A compressed stream at offset 0 (unwrap_codec.c). */
struct ksyms_error *ks_unwrap_codec(struct span in, const struct ks_unwrap_opts *o, bool *found,
				    struct ks_unwrapped *ret);
/* A compressed stream somewhere inside a self-decompressing image (unwrap_embedded.c). */
ks_unwrap_fn ks_unwrap_embedded;

#endif
