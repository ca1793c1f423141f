// SPDX-License-Identifier: MIT
/*
 * One codec (CODEC, set by fuzz/meson.build) through ks_decompress() with
 * a small cap.  The cap must hold exactly: a stream that decodes to L
 * bytes fits a cap of L and is KSYMS_ERR_TOO_LARGE under a cap of L - 1,
 * with the same bytes as far as it got (the one byte over the cap too).
 */
#include <string.h>

#include "fuzz.h"
#include "decompress/decompress.h"

enum { CAP = 1 << 20 };

static struct ksyms_error *run(struct span in, uint64_t cap, struct ks_buf *out, struct ks_decomp_result *r)
{
	memset(r, 0, sizeof(*r));
	struct ksyms_error *err = ks_decompress(CODEC, in, cap, out, r);

	/* a stream past the cap stops one byte over it, which is how it was seen */
	fuzz_check(out->len <= cap + (err != NULL));
	if (err)
		fuzz_check(ksyms_error_message(err) != NULL && ksyms_error_offset(err) <= (int64_t)in.len);
	else
		fuzz_check(r->consumed <= in.len);
	return err;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span in = span_make(data, size, 0);
	struct ks_buf a = { 0 }, b = { 0 };
	struct ks_decomp_result r;
	struct ksyms_error *err = run(in, CAP, &a, &r);

	if (!err && a.len > 0) {
		struct ksyms_error *e2 = run(in, a.len - 1, &b, &r);
		fuzz_check(e2 && ksyms_error_code(e2) == KSYMS_ERR_TOO_LARGE);
		fuzz_check(b.len == 0 || memcmp(a.p, b.p, b.len) == 0); /* b.p is NULL when empty */
		ksyms_error_destroy(e2);
	}
	ksyms_error_destroy(err);
	ks_buf_free(&a);
	ks_buf_free(&b);
	return 0;
}
