// SPDX-License-Identifier: MIT
/*
 * The limits on hostile input, and the decoder findings of the hostile
 * work: tables generated in memory, then decoded under a limit.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "gen/gen.h"
#include "kernel/kernel.h"
#include "kallsyms/decode.h"

enum { NAME_LEN = 260 };

/* @n symbols named @len x's and a number: a few tokens of hundreds of
 * characters stand for the whole names. */
static bool generate(size_t n, size_t len, struct ksyms_gen_result *r)
{
	struct ksyms_gen_symbol *syms = calloc(n, sizeof(*syms));
	char *names = malloc(n * (len + 16));
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = 8, .byte_order = KSYMS_ENDIAN_LITTLE, .base = 0xffffffff81000000ull);
	bool ok = syms && names && !ksyms_layout_preset("6.4", 8, &o.layout);

	for (size_t i = 0; ok && i < n; i++) {
		char *p = names + i * (len + 16);
		memset(p, 'x', len);
		snprintf(p + len, 16, "_%zu", i);
		syms[i] = (struct ksyms_gen_symbol){ 0xffffffff81000000ull + 16 * i, p, 'T' };
	}
	struct ksyms_error *err = ok ? ksyms_generate(syms, n, &o, r) : NULL;
	ok = ok && !err;
	ksyms_error_destroy(err);
	free(syms);
	free(names);
	return ok;
}

static struct ksyms_error *decode(const struct ksyms_gen_result *r, uint64_t max_output,
				  const struct ksyms_find_opts *opts, struct ksyms_table **ret)
{
	struct ks_kernel k = { .data = span_make(r->data, r->size, 0), .format = "raw", .max_output = max_output };

	return ks_kallsyms_load(&k, opts, ret);
}

/* A table whose first token is hundreds of characters long was not even
 * a candidate: the index pre-filter wanted index[1] below 256. */
static void test_long_first_token(void)
{
	struct ksyms_gen_result r = { 0 };
	struct ksyms_table *t = NULL;
	uint16_t first;

	CHECK(generate(400, NAME_LEN, &r));
	const struct ksyms_table_loc *ti = &r.tables[KSYMS_TAB_TOKEN_INDEX];
	memcpy(&first, (const uint8_t *)r.data + ti->offset + 2, 2);
	printf("# token 0 is %u characters long\n", first - 1u);
	CHECK(first > 256);
	struct ksyms_error *err = decode(&r, 0, NULL, &t);
	CHECK(!err && ksyms_table_count(t) == 400);
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	ksyms_free(r.data);
}

/* The expanded names count against max_output: 400 x 260 characters
 * from a few KiB of codes. */
static void test_names_pool_limit(void)
{
	struct ksyms_gen_result r = { 0 };
	struct ksyms_table *t = NULL;

	CHECK(generate(400, NAME_LEN, &r));
	struct ksyms_error *err = decode(&r, 64 << 10, NULL, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE);
	if (err)
		printf("# %s\n", ksyms_error_message(err));
	CHECK(err && strstr(ksyms_error_message(err), "65536 bytes of names"));
	ksyms_error_destroy(err);
	err = decode(&r, 1 << 20, NULL, &t);
	CHECK(!err && ksyms_table_count(t) == 400);
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	ksyms_free(r.data);
}

static void test_symbol_and_name_limits(void)
{
	struct ksyms_gen_result r = { 0 };
	struct ksyms_table *t = NULL;
	KSYMS_OPTS(ksyms_find_opts, few, .max_symbols = 300);
	KSYMS_OPTS(ksyms_find_opts, exact, .max_symbols = 600);
	KSYMS_OPTS(ksyms_find_opts, short_names, .max_name_len = 20);

	CHECK(generate(600, 30, &r));
	struct ksyms_error *err = decode(&r, 0, &few, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE && ksyms_error_offset(err) >= 0);
	CHECK(err && strstr(ksyms_error_message(err), "more than 300 symbols"));
	ksyms_error_destroy(err);
	err = decode(&r, 0, &exact, &t);
	CHECK(!err && ksyms_table_count(t) == 600);
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	err = decode(&r, 0, &short_names, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE && ksyms_error_offset(err) >= 0);
	CHECK(err && strstr(ksyms_error_message(err), "more than the limit of 20"));
	ksyms_error_destroy(err);
	ksyms_free(r.data);
}

int main(void)
{
	test_long_first_token();
	test_names_pool_limit();
	test_symbol_and_name_limits();
	return tap_done();
}
