// SPDX-License-Identifier: MIT
/*
 * ksyms_diff: pairing by name, duplicated static names, module symbols,
 * the slide, 32-bit against sign-extended addresses, and the reasons the
 * kernel build gives for a System.map and kallsyms to differ.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksyms.h>

#include "harness.h"
#include "table/table.h"

struct sym {
	uint64_t addr;
	char type;
	const char *name;
	const char *module;
};

static struct ksyms_table *table(enum ksyms_source_kind kind, int word, const struct sym *s, size_t n)
{
	struct ksyms_table *t = ks_table_new();

	for (size_t i = 0; t && i < n; i++)
		if (!ks_table_add(t, s[i].addr, s[i].type, s[i].name, strlen(s[i].name), s[i].module))
			return NULL;
	if (t) {
		t->info.source_kind = kind;
		t->info.word_size = word;
	}
	return t;
}

#define TABLE(kind, word, arr) table((kind), (word), (arr), sizeof(arr) / sizeof((arr)[0]))

static struct ksyms_diff *diff(const struct ksyms_table *a, const struct ksyms_table *b, bool strict)
{
	KSYMS_OPTS(ksyms_diff_opts, o, .strict = strict);
	struct ksyms_diff *d = NULL;
	struct ksyms_error *err = ksyms_diff_create(a, b, &o, &d);

	if (err)
		printf("# %s\n", ksyms_error_message(err));
	ksyms_error_destroy(err);
	return d;
}

/* The entry whose A (or, if none, B) symbol is @name at @addr. */
static bool find(const struct ksyms_diff *d, const char *name, uint64_t addr, struct ksyms_diff_entry *ret)
{
	for (size_t i = 0; ksyms_diff_entry(d, i, ret); i++) {
		const struct ksyms_symbol *s = ret->a_index != SIZE_MAX ? &ret->a : &ret->b;
		if (strcmp(s->name, name) == 0 && s->addr == addr)
			return true;
	}
	return false;
}

static void test_basic(void)
{
	static const struct sym a[] = {
		{ 0x1000, 'T', "_stext", NULL }, { 0x1010, 't', "same", NULL },   { 0x1020, 't', "moves", NULL },
		{ 0x1030, 't', "gone", NULL },   { 0x1040, 'T', "retyped", NULL }, { 0x2000, 'T', "_etext", NULL },
	};
	static const struct sym b[] = {
		{ 0x1000, 'T', "_stext", NULL },  { 0x1010, 't', "same", NULL },    { 0x1028, 't', "moves", NULL },
		{ 0x1038, 't', "new_fn", NULL }, { 0x1040, 't', "retyped", NULL }, { 0x2000, 'T', "_etext", NULL },
	};
	struct ksyms_table *ta = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, a), *tb = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, b);
	struct ksyms_diff *d = diff(ta, tb, false);
	struct ksyms_diff_entry e;

	CHECK(d != NULL);
	if (!d)
		goto out;
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	CHECK_EQ_U64(s->addr_bits, 64);
	CHECK_EQ_U64(s->a_compared, 6);
	CHECK_EQ_U64(s->same, 4);
	CHECK_EQ_U64(s->moved, 1);
	CHECK_EQ_U64(s->only_a, 1);
	CHECK_EQ_U64(s->only_b, 1);
	CHECK_EQ_U64(s->type_changed, 1);
	CHECK(!s->has_slide); /* one move among five unique names */
	CHECK_EQ_U64(s->unexplained, 4); /* two of the same kind: no excuses */
	CHECK_EQ_U64(ksyms_diff_count(d), 7);
	CHECK(find(d, "moves", 0x1020, &e) && e.kind == KSYMS_DIFF_MOVED && e.b.addr == 0x1028 && !e.slid);
	CHECK(find(d, "gone", 0x1030, &e) && e.kind == KSYMS_DIFF_ONLY_A && e.b_index == SIZE_MAX && !e.b.name);
	CHECK(find(d, "new_fn", 0x1038, &e) && e.kind == KSYMS_DIFF_ONLY_B && e.a_index == SIZE_MAX);
	CHECK(find(d, "retyped", 0x1040, &e) && e.kind == KSYMS_DIFF_SAME && e.type_changed && e.a.type == 'T' &&
	      e.b.type == 't' && e.reason == KSYMS_DIFF_UNEXPLAINED);
	/* ordered by kind, then address */
	CHECK(ksyms_diff_entry(d, 0, &e) && e.kind == KSYMS_DIFF_SAME && strcmp(e.a.name, "_stext") == 0);
	CHECK(ksyms_diff_entry(d, 4, &e) && e.kind == KSYMS_DIFF_MOVED);
	CHECK(ksyms_diff_entry(d, 5, &e) && e.kind == KSYMS_DIFF_ONLY_A);
	CHECK(ksyms_diff_entry(d, 6, &e) && e.kind == KSYMS_DIFF_ONLY_B);
	CHECK(!ksyms_diff_entry(d, 7, &e));
	ksyms_diff_destroy(d);

	/* a table against itself */
	d = diff(ta, ta, false);
	CHECK(d && ksyms_diff_summary(d)->same == 6 && ksyms_diff_summary(d)->unexplained == 0);
	ksyms_diff_destroy(d);
out:
	ksyms_table_destroy(ta);
	ksyms_table_destroy(tb);
}

/* KASLR: every address + slide; static names defined three times. */
static void test_slide_and_duplicates(void)
{
	static const struct sym a[] = {
		{ 0xffffffff81000000ull, 'T', "_stext", NULL }, { 0xffffffff81000100ull, 't', "dup", NULL },
		{ 0xffffffff81000200ull, 't', "f1", NULL },     { 0xffffffff81000300ull, 't', "dup", NULL },
		{ 0xffffffff81000400ull, 't', "f2", NULL },     { 0xffffffff81000500ull, 't', "dup", NULL },
		{ 0xffffffff81000600ull, 't', "f3", NULL },     { 0xffffffff81000700ull, 'T', "_etext", NULL },
		{ 0x0000000000000000ull, 'A', "percpu_base", NULL },
	};
	/* slid by 0x200, which puts two copies of dup at the others' old places */
	static const struct sym b[] = {
		{ 0xffffffff81000200ull, 'T', "_stext", NULL }, { 0xffffffff81000300ull, 't', "dup", NULL },
		{ 0xffffffff81000400ull, 't', "f1", NULL },     { 0xffffffff81000500ull, 't', "dup", NULL },
		{ 0xffffffff81000600ull, 't', "f2", NULL },     { 0xffffffff81000700ull, 't', "dup", NULL },
		{ 0xffffffff81000800ull, 't', "f3", NULL },     { 0xffffffff81000900ull, 'T', "_etext", NULL },
		{ 0x0000000000000000ull, 'A', "percpu_base", NULL },
		{ 0xffffffff81000a00ull, 't', "dup", NULL }, /* a fourth copy */
	};
	struct ksyms_table *ta = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, a), *tb = TABLE(KSYMS_SOURCE_PROC_KALLSYMS, 8, b);
	struct ksyms_diff *d = diff(ta, tb, false);
	struct ksyms_diff_entry e;

	CHECK(d != NULL);
	if (!d)
		goto out;
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	CHECK(s->has_slide);
	CHECK_EQ_U64(s->slide, 0x200);
	CHECK_EQ_U64(s->moved, 8);
	CHECK_EQ_U64(s->moved_by_slide, 8);
	CHECK_EQ_U64(s->same, 1); /* the absolute symbol does not slide */
	CHECK_EQ_U64(s->only_b, 1);
	CHECK_EQ_U64(s->by_reason[KSYMS_DIFF_SLIDE], 8);
	CHECK_EQ_U64(s->unexplained, 1); /* the extra copy */
	/* each copy paired with its slid self, not with the copy now at its address */
	CHECK(find(d, "dup", 0xffffffff81000100ull, &e) && e.b.addr == 0xffffffff81000300ull && e.slid &&
	      e.reason == KSYMS_DIFF_SLIDE);
	CHECK(find(d, "dup", 0xffffffff81000300ull, &e) && e.b.addr == 0xffffffff81000500ull && e.slid);
	CHECK(find(d, "dup", 0xffffffff81000500ull, &e) && e.b.addr == 0xffffffff81000700ull && e.slid);
	CHECK(find(d, "dup", 0xffffffff81000a00ull, &e) && e.kind == KSYMS_DIFF_ONLY_B);
	ksyms_diff_destroy(d);

	/* B against A: the slide is negative, modulo 2^64 */
	d = diff(tb, ta, false);
	CHECK(d && ksyms_diff_summary(d)->has_slide && ksyms_diff_summary(d)->slide == (uint64_t)-0x200);
	ksyms_diff_destroy(d);
out:
	ksyms_table_destroy(ta);
	ksyms_table_destroy(tb);
}

/* Without a slide, copies pair at equal addresses, then in address order. */
static void test_duplicates_no_slide(void)
{
	static const struct sym a[] = {
		{ 0x100, 't', "dup", NULL }, { 0x200, 't', "dup", NULL }, { 0x300, 't', "dup", NULL },
		{ 0x400, 't', "x", NULL },   { 0x500, 't', "y", NULL },
	};
	static const struct sym b[] = {
		{ 0x150, 't', "dup", NULL }, { 0x300, 't', "dup", NULL }, { 0x400, 't', "x", NULL },
		{ 0x500, 't', "y", NULL },
	};
	struct ksyms_table *ta = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, a), *tb = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, b);
	struct ksyms_diff *d = diff(ta, tb, false);
	struct ksyms_diff_entry e;

	CHECK(d && !ksyms_diff_summary(d)->has_slide);
	CHECK(d && find(d, "dup", 0x300, &e) && e.kind == KSYMS_DIFF_SAME);
	CHECK(d && find(d, "dup", 0x100, &e) && e.kind == KSYMS_DIFF_MOVED && e.b.addr == 0x150);
	CHECK(d && find(d, "dup", 0x200, &e) && e.kind == KSYMS_DIFF_ONLY_A);
	ksyms_diff_destroy(d);
	ksyms_table_destroy(ta);
	ksyms_table_destroy(tb);
}

/* A slide must explain more than half of the moves of unique names. */
static void test_no_false_slide(void)
{
	static const struct sym a[] = {
		{ 0x100, 't', "a", NULL }, { 0x200, 't', "b", NULL }, { 0x300, 't', "c", NULL },
		{ 0x400, 't', "d", NULL }, { 0x500, 't', "e", NULL },
	};
	static const struct sym b[] = {
		{ 0x110, 't', "a", NULL }, { 0x210, 't', "b", NULL }, { 0x320, 't', "c", NULL },
		{ 0x430, 't', "d", NULL }, { 0x540, 't', "e", NULL },
	};
	struct ksyms_table *ta = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, a), *tb = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, b);
	struct ksyms_diff *d = diff(ta, tb, false);

	CHECK(d && !ksyms_diff_summary(d)->has_slide && ksyms_diff_summary(d)->unexplained == 5);
	ksyms_diff_destroy(d);
	ksyms_table_destroy(ta);
	ksyms_table_destroy(tb);
}

static void test_modules(void)
{
	static const struct sym a[] = {
		{ 0xffffffff81000000ull, 'T', "_stext", NULL },
		{ 0xffffffffc0001000ull, 't', "init", "snd" },
		{ 0xffffffffc0002000ull, 't', "init", "e1000e" },
		{ 0xffffffffc0003000ull, 't', "only_here", "snd" },
	};
	static const struct sym b[] = {
		{ 0xffffffff81000000ull, 'T', "_stext", NULL },
		{ 0xffffffffc0005000ull, 't', "init", "e1000e" }, /* reloaded elsewhere */
		{ 0xffffffffc0001000ull, 't', "init", "snd" },
		{ 0xffffffffc0004000ull, 't', "_stext", "snd" }, /* a module's own, not the kernel's */
	};
	static const struct sym map[] = { { 0xffffffff81000000ull, 'T', "_stext", NULL } };
	struct ksyms_table *ta = TABLE(KSYMS_SOURCE_PROC_KALLSYMS, 8, a), *tb = TABLE(KSYMS_SOURCE_PROC_KALLSYMS, 8, b);
	struct ksyms_table *tm = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, map);
	struct ksyms_diff *d = diff(ta, tb, false);
	struct ksyms_diff_entry e;

	CHECK(d != NULL);
	if (d) {
		const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
		CHECK_EQ_U64(s->same, 2);
		CHECK_EQ_U64(s->moved, 1);
		CHECK_EQ_U64(s->only_a, 1);
		CHECK_EQ_U64(s->only_b, 1);
		CHECK(find(d, "init", 0xffffffffc0002000ull, &e) && e.kind == KSYMS_DIFF_MOVED &&
		      strcmp(e.b.module, "e1000e") == 0);
		CHECK(find(d, "_stext", 0xffffffffc0004000ull, &e) && e.kind == KSYMS_DIFF_ONLY_B &&
		      strcmp(e.b.module, "snd") == 0);
	}
	ksyms_diff_destroy(d);
	/* a map has no modules: they are skipped, not "only in B" */
	d = diff(tm, tb, false);
	CHECK(d && ksyms_diff_summary(d)->b_modules_skipped == 3 && ksyms_diff_summary(d)->same == 1 &&
	      ksyms_diff_summary(d)->only_b == 0 && ksyms_diff_summary(d)->b_compared == 1);
	ksyms_diff_destroy(d);
	ksyms_table_destroy(ta);
	ksyms_table_destroy(tb);
	ksyms_table_destroy(tm);
}

/* 32-bit MIPS: System.map prints sign-extended addresses. */
static void test_sign_extended(void)
{
	static const struct sym map[] = {
		{ 0xffffffff80100000ull, 'T', "_text", NULL },
		{ 0xffffffff80100400ull, 'T', "_stext", NULL },
		{ 0xffffffff80100500ull, 't', "f", NULL },
		{ 0x0000000000001000ull, 'A', "low_abs", NULL },
	};
	static const struct sym img[] = {
		{ 0x80100400u, 'T', "_stext", NULL },
		{ 0x80100500u, 't', "f", NULL },
	};
	struct ksyms_table *tm = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, map), *ti = TABLE(KSYMS_SOURCE_KALLSYMS, 4, img);
	struct ksyms_diff *d = diff(tm, ti, false);
	struct ksyms_diff_entry e;

	CHECK(d != NULL);
	if (d) {
		const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
		CHECK_EQ_U64(s->addr_bits, 32);
		CHECK_EQ_U64(s->same, 2);
		CHECK_EQ_U64(s->only_a, 2);
		/* the entries keep the addresses as each source has them */
		CHECK(find(d, "f", 0xffffffff80100500ull, &e) && e.kind == KSYMS_DIFF_SAME && e.b.addr == 0x80100500u);
	}
	ksyms_diff_destroy(d);

	/* a 64-bit map with real 64-bit addresses is not narrowed */
	static const struct sym map64[] = { { 0xffff800080000000ull, 'T', "_stext", NULL } };
	struct ksyms_table *t64 = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, map64);
	d = diff(t64, ti, false);
	CHECK(d && ksyms_diff_summary(d)->addr_bits == 64 && ksyms_diff_summary(d)->moved == 1);
	ksyms_diff_destroy(d);
	ksyms_table_destroy(t64);
	ksyms_table_destroy(tm);
	ksyms_table_destroy(ti);
}

/* System.map against kallsyms: what the build drops has a reason. */
static const struct sym reason_map[] = {
	{ 0x0000000000000000ull, 'D', "fixed_percpu_data", NULL },
	{ 0x0000000000000000ull, 'A', "abs_sym", NULL },
	{ 0xffffffff81000000ull, 'T', "_text", NULL },        /* before _stext: outside */
	{ 0xffffffff81000100ull, 'T', "_stext", NULL },
	{ 0xffffffff81000200ull, 't', "$x", NULL },
	{ 0xffffffff81000300ull, 't', "f", NULL },
	{ 0xffffffff81000400ull, 'r', "__kstrtab_f", NULL },
	{ 0xffffffff81000500ull, 't', "g_veneer", NULL },
	{ 0xffffffff81000600ull, 't', "inside_but_missing", NULL },
	{ 0xffffffff81001000ull, 'T', "_etext", NULL },
	{ 0xffffffff81001000ull, 'R', "__start_rodata", NULL }, /* at _etext */
	{ 0xffffffff81002000ull, 'R', "kallsyms_names", NULL },
	{ 0xffffffff81003000ull, 'D', "some_data", NULL },
	{ 0xffffffff82000000ull, 'T', "_sinittext", NULL },
	{ 0xffffffff82000100ull, 't', "init_fn", NULL },
	{ 0xffffffff82001000ull, 'T', "_einittext", NULL },
};

static const struct sym reason_ks[] = {
	{ 0x0000000000000000ull, 'A', "fixed_percpu_data", NULL },
	{ 0xffffffff81000100ull, 'T', "_stext", NULL },
	{ 0xffffffff81000300ull, 't', "f", NULL },
	{ 0xffffffff81000380ull, 't', ".LC0", NULL },
	{ 0xffffffff81001000ull, 'T', "_etext", NULL },
	{ 0xffffffff82000000ull, 'T', "_sinittext", NULL },
	{ 0xffffffff82000100ull, 't', "init_fn", NULL },
	{ 0xffffffff82001000ull, 'T', "_einittext", NULL },
};

static void test_reasons(void)
{
	struct ksyms_table *tm = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, reason_map);
	struct ksyms_table *tk = TABLE(KSYMS_SOURCE_PROC_KALLSYMS, 8, reason_ks);
	struct ksyms_diff *d = diff(tm, tk, false);
	struct ksyms_diff_entry e;

	CHECK(d != NULL);
	if (!d)
		goto out;
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	CHECK(s->text_only);
	CHECK(find(d, "fixed_percpu_data", 0, &e) && e.type_changed && e.reason == KSYMS_DIFF_PERCPU);
	CHECK(find(d, "abs_sym", 0, &e) && e.reason == KSYMS_DIFF_ABSOLUTE);
	CHECK(find(d, "_text", 0xffffffff81000000ull, &e) && e.reason == KSYMS_DIFF_OUTSIDE_TEXT);
	CHECK(find(d, "$x", 0xffffffff81000200ull, &e) && e.reason == KSYMS_DIFF_LOCAL_LABEL);
	CHECK(find(d, "__kstrtab_f", 0xffffffff81000400ull, &e) && e.reason == KSYMS_DIFF_BUILD_FILTER);
	CHECK(find(d, "g_veneer", 0xffffffff81000500ull, &e) && e.reason == KSYMS_DIFF_BUILD_FILTER);
	CHECK(find(d, "inside_but_missing", 0xffffffff81000600ull, &e) && e.reason == KSYMS_DIFF_UNEXPLAINED);
	CHECK(find(d, "__start_rodata", 0xffffffff81001000ull, &e) && e.reason == KSYMS_DIFF_OUTSIDE_TEXT);
	/* outside text in a text-only kernel, whatever the name */
	CHECK(find(d, "kallsyms_names", 0xffffffff81002000ull, &e) && e.reason == KSYMS_DIFF_OUTSIDE_TEXT);
	CHECK(find(d, "some_data", 0xffffffff81003000ull, &e) && e.reason == KSYMS_DIFF_OUTSIDE_TEXT);
	/* kallsyms keeps labels System.map drops (<= 6.3) */
	CHECK(find(d, ".LC0", 0xffffffff81000380ull, &e) && e.kind == KSYMS_DIFF_ONLY_B &&
	      e.reason == KSYMS_DIFF_LOCAL_LABEL);
	CHECK_EQ_U64(s->unexplained, 1);
	CHECK_EQ_U64(s->by_reason[KSYMS_DIFF_OUTSIDE_TEXT], 4);
	ksyms_diff_destroy(d);

	/* the same the other way round */
	d = diff(tk, tm, false);
	CHECK(d && ksyms_diff_summary(d)->unexplained == 1 && ksyms_diff_summary(d)->text_only);
	ksyms_diff_destroy(d);
	/* --strict: nothing is excused */
	d = diff(tm, tk, true);
	CHECK(d && ksyms_diff_summary(d)->unexplained == 11);
	ksyms_diff_destroy(d);
	/* two of the same kind: no excuses either */
	tk->info.source_kind = KSYMS_SOURCE_SYSTEM_MAP;
	d = diff(tm, tk, false);
	CHECK(d && ksyms_diff_summary(d)->unexplained == 11);
	ksyms_diff_destroy(d);
out:
	ksyms_table_destroy(tm);
	ksyms_table_destroy(tk);
}

/* A kallsyms table with data (CONFIG_KALLSYMS_ALL) excuses no missing data. */
static void test_all_symbols(void)
{
	static const struct sym ks[] = {
		{ 0xffffffff81000100ull, 'T', "_stext", NULL },
		{ 0xffffffff81001000ull, 'T', "_etext", NULL },
		{ 0xffffffff81004000ull, 'D', "other_data", NULL },
	};
	struct ksyms_table *tm = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, reason_map);
	struct ksyms_table *tk = TABLE(KSYMS_SOURCE_KALLSYMS, 8, ks);
	struct ksyms_diff *d = diff(tm, tk, false);
	struct ksyms_diff_entry e;

	CHECK(d && !ksyms_diff_summary(d)->text_only);
	CHECK(d && find(d, "some_data", 0xffffffff81003000ull, &e) && e.reason == KSYMS_DIFF_UNEXPLAINED);
	/* kallsyms' own tables were left out before 6.4 */
	CHECK(d && find(d, "kallsyms_names", 0xffffffff81002000ull, &e) && e.reason == KSYMS_DIFF_KALLSYMS_TABLE);
	ksyms_diff_destroy(d);
	ksyms_table_destroy(tm);
	ksyms_table_destroy(tk);
}

static bool only_t(void *ctx, const struct ksyms_symbol *s)
{
	(*(int *)ctx)++;
	return s->type == 't';
}

static void test_filter_and_errors(void)
{
	static const struct sym a[] = { { 0x100, 'T', "_stext", NULL }, { 0x200, 't', "f", NULL } };
	static const struct sym z[] = { { 0, 'T', "_stext", NULL }, { 0, 't', "f", NULL } };
	struct ksyms_table *ta = TABLE(KSYMS_SOURCE_SYSTEM_MAP, 8, a), *tz = TABLE(KSYMS_SOURCE_PROC_KALLSYMS, 8, z);
	int calls = 0;
	KSYMS_OPTS(ksyms_diff_opts, o, .filter = only_t, .filter_ctx = &calls);
	struct ksyms_diff *d = NULL;
	struct ksyms_error *err = ksyms_diff_create(ta, ta, &o, &d);

	CHECK(!err && d);
	CHECK(d && ksyms_diff_summary(d)->same == 1 && ksyms_diff_summary(d)->a_filtered == 1);
	CHECK_EQ_U64(calls, 4);
	ksyms_diff_destroy(d);
	d = NULL;

	/* kptr_restrict's zeros are no addresses */
	tz->info.addresses_hidden = true;
	err = ksyms_diff_create(ta, tz, NULL, &d);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT && !d);
	printf("# %s\n", err ? ksyms_error_message(err) : "(accepted)");
	ksyms_error_destroy(err);
	err = ksyms_diff_create(NULL, ta, NULL, &d);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT);
	ksyms_error_destroy(err);
	/* options from a newer caller: unknown non-zero bytes are refused */
	struct {
		struct ksyms_diff_opts o;
		uint64_t extra;
	} big = { .o = { .sz = sizeof(big) }, .extra = 1 };
	err = ksyms_diff_create(ta, ta, &big.o, &d);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT);
	ksyms_error_destroy(err);
	big.extra = 0;
	err = ksyms_diff_create(ta, ta, &big.o, &d);
	CHECK(!err && d);
	ksyms_diff_destroy(d);
	/* an older caller's shorter struct */
	struct ksyms_diff_opts small = { .sz = sizeof(size_t) };
	err = ksyms_diff_create(ta, ta, &small, &d);
	CHECK(!err && d);
	ksyms_diff_destroy(d);

	CHECK(ksyms_diff_summary(NULL) == NULL && ksyms_diff_count(NULL) == 0);
	ksyms_diff_destroy(NULL);
	CHECK_STR(ksyms_diff_kind_name(KSYMS_DIFF_ONLY_B), "only-b");
	CHECK_STR(ksyms_diff_reason_name(KSYMS_DIFF_OUTSIDE_TEXT), "outside-text");
	CHECK_STR(ksyms_diff_reason_name(KSYMS_DIFF_UNEXPLAINED), "");
	CHECK_STR(ksyms_diff_reason_name(KSYMS_DIFF_REASON_COUNT), "unknown");
	CHECK(strlen(ksyms_diff_reason_text(KSYMS_DIFF_PERCPU)) > 10);
	ksyms_table_destroy(ta);
	ksyms_table_destroy(tz);
}

int main(void)
{
	test_basic();
	test_slide_and_duplicates();
	test_duplicates_no_slide();
	test_no_false_slide();
	test_modules();
	test_sign_extended();
	test_reasons();
	test_all_symbols();
	test_filter_and_errors();
	return tap_done();
}
