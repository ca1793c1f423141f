// SPDX-License-Identifier: MIT
/*
 * ksyms_diff on two symbol lists cut from the input at its first NUL byte
 * (or halfway): the first read as a System.map, the second as detected,
 * so that kallsyms reasons, slides, duplicates and modules all occur.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ksyms.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ksyms_table *open_list(const uint8_t *p, size_t n, enum ksyms_source_kind kind)
{
	KSYMS_OPTS(ksyms_source_opts, so, .kind = kind);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(p, n, &so, &t);

	ksyms_error_destroy(err);
	return err ? NULL : t;
}

/* Every entry must be consistent with the summary. */
static void check(const struct ksyms_diff *d)
{
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	size_t kinds[4] = { 0 };
	struct ksyms_diff_entry e;

	for (size_t i = 0; ksyms_diff_entry(d, i, &e); i++) {
		if ((unsigned)e.kind > KSYMS_DIFF_ONLY_B || (e.a_index == SIZE_MAX) != (e.kind == KSYMS_DIFF_ONLY_B) ||
		    (e.b_index == SIZE_MAX) != (e.kind == KSYMS_DIFF_ONLY_A))
			abort();
		kinds[e.kind]++;
	}
	if (kinds[0] != s->same || kinds[1] != s->moved || kinds[2] != s->only_a || kinds[3] != s->only_b ||
	    s->same + s->moved + s->only_a != s->a_compared || s->same + s->moved + s->only_b != s->b_compared)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t cut = nul ? (size_t)(nul - data) : size / 2;
	size_t rest = size - cut - (nul != NULL);
	struct ksyms_table *a = open_list(data, cut, KSYMS_SOURCE_SYSTEM_MAP);
	struct ksyms_table *b = open_list(data + size - rest, rest, KSYMS_SOURCE_AUTO);
	struct ksyms_diff *d = NULL;

	if (a && b) {
		KSYMS_OPTS(ksyms_diff_opts, o, .strict = size & 1);
		struct ksyms_error *err = ksyms_diff_create(a, b, &o, &d);
		if (!err)
			check(d);
		ksyms_error_destroy(err);
		ksyms_diff_destroy(d);
	}
	ksyms_table_destroy(a);
	ksyms_table_destroy(b);
	return 0;
}
