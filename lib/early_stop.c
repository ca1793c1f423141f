// SPDX-License-Identifier: MIT
/*
 * Stopping a decompression early (ksyms_open_opts.kallsyms_only): the
 * predicate the entry layer hands to the container layer, which asks it
 * as a compressed kernel's output grows.  It is here, not in input/,
 * because only this layer knows both what a container is and what a
 * kallsyms table is.
 */
#include <string.h>

#include "early_stop.h"
#include "input/classify.h"
#include "kallsyms/decode.h"

/*
 * kallsyms_only: the question a decompression asks as its output grows
 * (struct ks_stop).  Enough is a prefix that classifies as a kernel whose
 * kallsyms tables decode and end STOP_MARGIN before the prefix does, with
 * addresses that rest on nothing after it: not a relative_base inferred
 * by votes over the image or from its RELA records (arm64, s390), and
 * 7.x place-relative or 32-bit offsets only in an ELF, whose program
 * headers give the table's address (a raw image's base is voted on).
 * The full decode then runs again on the same prefix, so it finds what
 * this question found.
 */
enum {
	STOP_MARGIN = 64 << 10,
	/* full searches once the digit tokens are in: real kernels need one
	 * to three (the tables end a few MiB after the token table); built
	 * data that keeps failing must not cost more than a few searches */
	MAX_SEARCHES = 6,
};

/*
 * Every real kernel's token table holds "0" to "9" back to back (the fast
 * path of tokens.c): until that run is in the output, the tables cannot
 * be, and only the new bytes need a look.  The full search costs about
 * as much per megabyte as zstd takes to make one; this costs a memchr.
 */
static bool digit_tokens_seen(struct ks_early_stop *sc, struct span out)
{
	static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";

	if (!sc->digits_seen) {
		size_t from = sc->searched > sizeof(digits) ? sc->searched - sizeof(digits) : 0;
		sc->digits_seen = span_find(out, from, digits, sizeof(digits)) != SIZE_MAX;
		sc->searched = out.len;
	}
	return sc->digits_seen;
}

static bool tables_end_before(const struct ksyms_info *info, size_t len)
{
	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		const struct ksyms_table_loc *l = &info->tables[id];
		if (l->present && (l->offset > len || l->size > len - l->offset || len - l->offset - l->size < STOP_MARGIN))
			return false;
	}
	return true;
}

static bool addresses_in_prefix(const struct ksyms_info *info, const struct ks_kernel *k)
{
	if (info->relative_base_inferred)
		return false;
	switch (info->layout.addr_mode) {
	case KSYMS_ADDR_PC_RELATIVE:
	case KSYMS_ADDR_ABSOLUTE32:
		return k->nsegs > 0;
	default:
		return true;
	}
}

static bool kallsyms_complete(void *ctx, struct span out)
{
	struct ks_early_stop *sc = ctx;
	struct ksyms_find_opts fo = { .sz = sizeof(fo) };
	struct ksyms_table *t = NULL;
	struct ks_kernel k;
	bool enough = false, relbase_wanted = false;

	if (sc->never || sc->searches >= MAX_SEARCHES || !digit_tokens_seen(sc, out))
		return false;
	sc->searches++;
	memset(&k, 0, sizeof(k));
	struct ksyms_error *err = ks_kernel_classify(out, &k);
	if (!err) {
		k.max_output = sc->max_output;
		err = ks_kallsyms_probe(&k, &fo, &t, &relbase_wanted);
	}
	/* a relative_base voted on over the whole kernel: no prefix will do
	 * (found before any vote, which would cost a full decode) */
	if (relbase_wanted)
		sc->never = true;
	if (!err) {
		const struct ksyms_info *info = ksyms_table_info(t);
		/* more data will not change how the addresses are found */
		sc->never = !addresses_in_prefix(info, &k);
		enough = !sc->never && tables_end_before(info, out.len);
	}
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	ks_kernel_deinit(&k);
	return enough;
}


void ks_early_stop_init(struct ks_early_stop *s, uint64_t max_output)
{
	memset(s, 0, sizeof(*s));
	s->max_output = max_output;
	s->stop = (struct ks_stop){ kallsyms_complete, s, 0 };
}
