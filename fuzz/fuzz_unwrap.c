// SPDX-License-Identifier: MIT
/*
 * One container header parser (UNWRAP, set by fuzz/meson.build: bzImage,
 * zImage, zboot, boot.img, uImage or FIT) on arbitrary bytes, with a small
 * output cap.  What it yields must lie inside the input (a view) or within
 * the cap (decompressed, and charged to the decompression budget), with a
 * format and a terminated description.
 */
#include <string.h>

#include "fuzz.h"
#include "input/unwrap.h"

enum { CAP = 1 << 20 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ks_log log = { 0 };
	uint64_t work = 2 * CAP;
	struct ks_unwrap_opts o = { .max_output = CAP, .log = &log, .work_left = &work };
	struct ks_unwrapped u;
	bool found = false;

	memset(&u, 0, sizeof(u));
	struct ksyms_error *err = UNWRAP(span_make(data, size, 0), &o, &found, &u);
	if (err) {
		fuzz_check(ksyms_error_message(err) != NULL);
		fuzz_check(ksyms_error_offset(err) <= (int64_t)size);
		ksyms_error_destroy(err);
		ks_buf_free(&u.out);
		return 0;
	}
	if (found) {
		fuzz_check(u.format != NULL);
		fuzz_check(memchr(u.description, 0, sizeof(u.description)) != NULL);
		fuzz_check(u.offset <= size);
		if (u.decompressed)
			fuzz_check(u.out.len <= CAP && u.out.len <= 2 * CAP - work);
		else
			fuzz_check(u.size <= size - u.offset);
	}
	ks_buf_free(&u.out);
	return 0;
}
