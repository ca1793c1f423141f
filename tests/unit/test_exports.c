// SPDX-License-Identifier: MIT
/*
 * Exported symbols (lib/exports): synthetic kernels holding a ksymtab in
 * every layout (absolute 32/64-bit pointers, place-relative s32, with and
 * without the namespace field, 7.x __kflagstab), both byte orders, found
 * through __start_/__stop_ symbols or by scanning.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/endian.h"
#include "exports/exports.h"

enum {
	IMG_SIZE = 0x10000,
	TEXT = 0x1000,     /* functions: 0x10 bytes each */
	KSYMTAB = 0x4000,
	STRINGS = 0x8000,
	DATA = 0x9000,     /* an exported variable the table lacks */
	NFUNC = 40,        /* 24 EXPORT_SYMBOL, 16 EXPORT_SYMBOL_GPL */
	NPLAIN = 24,
};

struct fake {
	uint8_t buf[IMG_SIZE];
	bool be;
	unsigned word;
	uint64_t base;
	struct ks_ksym_layout l;
	bool flags;        /* 7.x: one __ksymtab + __kflagstab */
	size_t strings;    /* next free byte of the strings area */
	size_t ksymtab_end, gpl_end;
};

static uint64_t va(const struct fake *f, size_t off)
{
	return f->base + off;
}

static size_t add_string(struct fake *f, const char *s)
{
	size_t off = f->strings;
	memcpy(f->buf + off, s, strlen(s) + 1);
	f->strings += strlen(s) + 1;
	return off;
}

static void put_field(struct fake *f, size_t off, uint64_t target)
{
	if (f->l.prel32)
		store32(f->buf + off, (uint32_t)(target - va(f, off)), f->be);
	else
		store_word(f->buf + off, target, f->l.field, f->be);
}

static void put_entry(struct fake *f, size_t off, uint64_t value, const char *name, const char *ns)
{
	size_t n = add_string(f, name);
	size_t none = add_string(f, ""); /* 5.8+: "" in __ksymtab_strings means no namespace */

	put_field(f, off, value);
	put_field(f, off + f->l.field, va(f, n));
	if (f->l.nfields == 3)
		put_field(f, off + 2 * f->l.field, ns ? va(f, add_string(f, ns)) : va(f, none));
}

static void func_name(char *out, size_t i)
{
	snprintf(out, 16, "func_%02zu", i);
}

/*
 * Build the image: __ksymtab = func_00..func_23 and zz_data_var,
 * __ksymtab_gpl = func_24..func_39, each sorted by name as SORT() makes
 * them; or, 7.x, one __ksymtab of all 41 followed by __kflagstab.
 */
static void build(struct fake *f)
{
	size_t stride = (size_t)f->l.field * f->l.nfields, off = KSYMTAB;
	char name[16];

	memset(f->buf, 0x5a, sizeof(f->buf)); /* not zeros: nothing decodes by accident */
	f->strings = STRINGS;
	for (size_t i = 0; i < NFUNC; i++) {
		if (i == NPLAIN && !f->flags) {
			put_entry(f, off, va(f, DATA), "zz_data_var", NULL);
			off += stride;
			f->ksymtab_end = off;
		}
		func_name(name, i);
		/* func_10's value word is 0, as a RELA kernel leaves it for the
		 * boot-time relocation (6.1 s390x) */
		uint64_t value = i == 10 && !f->l.prel32 ? 0 : va(f, TEXT + 0x10 * i);
		put_entry(f, off, value, name, i == 5 ? "NS_A" : i == 30 ? "module:x,y" : NULL);
		off += stride;
	}
	if (f->flags) {
		put_entry(f, off, va(f, DATA), "zz_data_var", NULL);
		off += stride;
		f->ksymtab_end = off;
		for (size_t i = 0; i <= NFUNC; i++)
			f->buf[off + i] = i >= NPLAIN && i < NFUNC ? 1 : 0; /* KSYM_FLAG_GPL_ONLY */
	}
	f->gpl_end = off;
}

static void add(struct ksyms_table *t, uint64_t a, char type, const char *name)
{
	CHECK(ks_table_add(t, a, type, name, strlen(name), NULL));
}

static struct ksyms_table *table_for(const struct fake *f, bool bounds)
{
	struct ksyms_table *t = ks_table_new();
	char name[16];

	add(t, va(f, TEXT), 'T', "_stext");
	for (size_t i = 0; i < NFUNC; i++) {
		func_name(name, i);
		add(t, va(f, TEXT + 0x10 * i), i % 3 ? 'T' : 't', name);
	}
	add(t, va(f, TEXT + 0x10 * NFUNC), 'T', "_etext");
	add(t, va(f, TEXT + 0x10 * NFUNC), 'T', "not_exported");
	if (bounds && f->flags) {
		add(t, va(f, KSYMTAB), 'R', "__start___ksymtab");
		add(t, va(f, f->ksymtab_end), 'R', "__stop___ksymtab");
		add(t, va(f, f->ksymtab_end), 'R', "__start___kflagstab");
		add(t, va(f, f->ksymtab_end + NFUNC + 1), 'R', "__stop___kflagstab");
	} else if (bounds) {
		add(t, va(f, KSYMTAB), 'R', "__start___ksymtab");
		add(t, va(f, f->ksymtab_end), 'R', "__stop___ksymtab");
		add(t, va(f, f->ksymtab_end), 'R', "__start___ksymtab_gpl");
		add(t, va(f, f->gpl_end), 'R', "__stop___ksymtab_gpl");
	}
	t->info.word_size = (int)f->word;
	t->info.byte_order = f->be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	t->info.base_known = true;
	t->info.base = f->base;
	return t;
}

static size_t index_of(struct ksyms_table *t, const char *name)
{
	for (size_t i = 0; i < ksyms_table_count(t); i++) {
		struct ksyms_symbol s;
		if (ksyms_table_symbol(t, i, &s) && strcmp(s.name, name) == 0)
			return i;
	}
	return SIZE_MAX;
}

static void check_exports(struct ksyms_table *t, const char *what, unsigned nfields)
{
	const struct ksyms_exports_info *xi = ksyms_table_exports(t);
	struct ksyms_export x;

	printf("# %s: %s, %s, %s\n", what, xi->known ? "known" : xi->unknown_reason, xi->found_by ? xi->found_by : "-",
	       xi->layout ? xi->layout : "-");
	CHECK(xi->known);
	CHECK_EQ_U64(xi->count, NFUNC + 1);
	CHECK_EQ_U64(xi->gpl, NFUNC - NPLAIN);
	CHECK_EQ_U64(xi->not_in_table, 1);
	CHECK_EQ_U64(xi->with_namespace, nfields == 3 ? 2 : 0);
	CHECK(ksyms_table_export(t, index_of(t, "func_03"), &x) && x.kind == KSYMS_EXPORT_PLAIN && !x.ns);
	CHECK(ksyms_table_export(t, index_of(t, "func_05"), &x) && x.kind == KSYMS_EXPORT_PLAIN);
	CHECK(nfields == 2 ? !x.ns : x.ns && strcmp(x.ns, "NS_A") == 0);
	CHECK(ksyms_table_export(t, index_of(t, "func_30"), &x) && x.kind == KSYMS_EXPORT_GPL);
	CHECK(nfields == 2 ? !x.ns : x.ns && strcmp(x.ns, "module:x,y") == 0);
	CHECK(ksyms_table_export(t, index_of(t, "func_39"), &x) && x.kind == KSYMS_EXPORT_GPL);
	/* matched by its name, the only one in the table: the table gives the address */
	CHECK(ksyms_table_export(t, index_of(t, "func_10"), &x) && x.kind == KSYMS_EXPORT_PLAIN);
	CHECK_EQ_U64(x.addr, t->addr[index_of(t, "func_10")]);
	CHECK(ksyms_table_export(t, index_of(t, "not_exported"), &x) && x.kind == KSYMS_EXPORT_NONE);
	CHECK(ksyms_table_export(t, index_of(t, "_stext"), &x) && x.kind == KSYMS_EXPORT_NONE);
	bool found = false;
	for (size_t i = 0; i < ksyms_table_export_count(t); i++)
		if (ksyms_table_export_at(t, i, &x) && strcmp(x.name, "zz_data_var") == 0)
			found = x.index == SIZE_MAX && x.kind == KSYMS_EXPORT_PLAIN;
	CHECK(found);
}

static void run_layout(bool prel32, unsigned word, unsigned nfields, bool be, bool flags, bool bounds)
{
	static struct fake f;
	char what[128];

	memset(&f, 0, sizeof(f));
	f.be = be;
	f.word = word;
	f.base = word == 8 ? 0xffff800080000000ull : 0xc0000000ull;
	f.l = (struct ks_ksym_layout){ prel32, prel32 ? 4u : word, nfields };
	f.flags = flags;
	build(&f);
	struct ksyms_table *t = table_for(&f, bounds);
	struct ks_kernel k = { .data = span_make(f.buf, sizeof(f.buf), 0), .word_size = (int)word };
	snprintf(what, sizeof(what), "%s %u-bit %u fields %s%s, %s", prel32 ? "prel32" : "absolute", word * 8, nfields,
		 be ? "BE" : "LE", flags ? " +kflagstab" : "", bounds ? "bounds" : "scan");
	CHECK(ks_exports_read(&k, t) == NULL);
	check_exports(t, what, nfields);
	ksyms_table_destroy(t);
}

static void test_layouts(void)
{
	for (int be = 0; be < 2; be++) {
		for (int bounds = 0; bounds < 2; bounds++) {
			run_layout(false, 8, 2, be, false, bounds); /* before 4.19 (no namespaces: 2 fields) */
			run_layout(false, 8, 3, be, false, bounds); /* 5.4+ without PREL32 (riscv, ppc64, s390) */
			run_layout(false, 4, 2, be, false, bounds); /* 32-bit before 4.19 */
			run_layout(false, 4, 3, be, false, bounds); /* 32-bit arm, mips */
			run_layout(true, 8, 2, be, false, bounds);  /* 4.19 - 5.3 PREL32 */
			run_layout(true, 8, 3, be, false, bounds);  /* 5.4+ PREL32 (x86-64, arm64) */
			run_layout(true, 4, 3, be, false, bounds);  /* 5.4+ PREL32, i386 */
			run_layout(true, 8, 3, be, true, bounds);   /* 7.x */
		}
	}
}

/* A zero value word (left for a boot-time relocation) is matched by name
 * only when the table holds that name once: func_20 also names a static
 * function elsewhere, so neither copy may be called exported. */
static void test_zero_value_ambiguous(void)
{
	static struct fake f;
	struct ksyms_export x;

	memset(&f, 0, sizeof(f));
	f.word = 8;
	f.base = 0xffff800080000000ull;
	f.l = (struct ks_ksym_layout){ false, 8, 3 };
	build(&f);
	put_field(&f, KSYMTAB + 20 * 8 * 3, 0); /* func_20's value word */
	struct ksyms_table *t = table_for(&f, true);
	add(t, va(&f, TEXT + 0x10 * NFUNC + 0x20), 't', "func_20");
	struct ks_kernel k = { .data = span_make(f.buf, sizeof(f.buf), 0), .word_size = 8 };
	CHECK(ks_exports_read(&k, t) == NULL);
	CHECK(ksyms_table_exports(t)->known);
	CHECK_EQ_U64(ksyms_table_exports(t)->not_in_table, 2); /* zz_data_var and func_20 */
	size_t copies = 0;
	for (size_t i = 0; i < ksyms_table_count(t); i++) {
		struct ksyms_symbol s;
		if (ksyms_table_symbol(t, i, &s) && strcmp(s.name, "func_20") == 0) {
			copies++;
			CHECK(ksyms_table_export(t, i, &x) && x.kind == KSYMS_EXPORT_NONE);
		}
	}
	CHECK_EQ_U64(copies, 2);
	/* func_10, zero too but unique, is still matched */
	CHECK(ksyms_table_export(t, index_of(t, "func_10"), &x) && x.kind == KSYMS_EXPORT_PLAIN);
	ksyms_table_destroy(t);
}

/* Found by scanning, the sections are cut where the names stop being
 * sorted; an equal name continues a section (5.10 arm64 links the KVM nVHE
 * copy of EXPORT_SYMBOL(__memcpy) right before the kernel's, both
 * "__memcpy").  Here __ksymtab entries 3 and 4 are both "func_03". */
static void test_equal_names_continue(void)
{
	static struct fake f;
	struct ksyms_export x;

	memset(&f, 0, sizeof(f));
	f.word = 8;
	f.base = 0xffff800080000000ull;
	f.l = (struct ks_ksym_layout){ false, 8, 3 };
	build(&f);
	put_field(&f, KSYMTAB + 4 * 8 * 3 + 8, va(&f, add_string(&f, "func_03")));
	struct ksyms_table *t = table_for(&f, false);
	struct ks_kernel k = { .data = span_make(f.buf, sizeof(f.buf), 0), .word_size = 8 };
	CHECK(ks_exports_read(&k, t) == NULL);
	CHECK(ksyms_table_exports(t)->known);
	CHECK_EQ_U64(ksyms_table_exports(t)->gpl, NFUNC - NPLAIN);
	CHECK(ksyms_table_export(t, index_of(t, "func_05"), &x) && x.kind == KSYMS_EXPORT_PLAIN);
	CHECK(ksyms_table_export(t, index_of(t, "func_30"), &x) && x.kind == KSYMS_EXPORT_GPL);
	ksyms_table_destroy(t);
}

/*
 * A __ksymtab that matches as well read with 2 place-relative fields as
 * with the 3 it was written with: a tie goes to the first layout (3
 * fields, place-relative: x86-64 and arm64 since 5.4).  Two entries, 24
 * bytes, also read as three 8-byte ones, and place-relative fields keep
 * their targets however they are grouped:
 *   written (12 bytes):  [func_a, "func_a", ""]  [counter, "counter", "NS_B"]
 *   read as 8 bytes:     [func_a, "func_a"]  [the "" string, counter's bytes]
 *                        ["counter" string, "NS_B"]
 * counter (an exported char array, not in a text-only table, holding a
 * name-like string) is no match in either reading: one match each.
 */
static void test_layout_tie(void)
{
	static struct fake f;
	struct ksyms_export x;

	memset(&f, 0, sizeof(f));
	f.word = 8;
	f.base = 0xffff800080000000ull;
	f.l = (struct ks_ksym_layout){ true, 4, 3 };
	memset(f.buf, 0x5a, sizeof(f.buf));
	f.strings = STRINGS;
	memcpy(f.buf + DATA, "Zzz_text", sizeof("Zzz_text")); /* counter's contents */
	put_entry(&f, KSYMTAB, va(&f, TEXT), "func_a", NULL);
	put_entry(&f, KSYMTAB + 12, va(&f, DATA), "counter", "NS_B");
	struct ksyms_table *t = ks_table_new();
	add(t, va(&f, TEXT), 'T', "func_a");
	add(t, va(&f, TEXT + 0x10), 'T', "func_b");
	add(t, va(&f, KSYMTAB), 'R', "__start___ksymtab");
	add(t, va(&f, KSYMTAB + 24), 'R', "__stop___ksymtab");
	t->info.word_size = 8;
	t->info.byte_order = KSYMS_ENDIAN_LITTLE;
	t->info.base_known = true;
	t->info.base = f.base;
	struct ks_kernel k = { .data = span_make(f.buf, sizeof(f.buf), 0), .word_size = 8 };
	CHECK(ks_exports_read(&k, t) == NULL);
	const struct ksyms_exports_info *xi = ksyms_table_exports(t);
	printf("# tie: %s, %s\n", xi->known ? "known" : xi->unknown_reason, xi->layout ? xi->layout : "-");
	CHECK(xi->known);
	CHECK(xi->layout && strstr(xi->layout, "place-relative value/name/namespace"));
	CHECK_EQ_U64(xi->count, 2);
	CHECK_EQ_U64(xi->with_namespace, 1);
	CHECK_EQ_U64(xi->not_in_table, 1);
	CHECK(ksyms_table_export(t, index_of(t, "func_a"), &x) && x.kind == KSYMS_EXPORT_PLAIN && !x.ns);
	bool found = false;
	for (size_t i = 0; i < ksyms_table_export_count(t); i++)
		if (ksyms_table_export_at(t, i, &x) && strcmp(x.name, "counter") == 0)
			found = x.ns && strcmp(x.ns, "NS_B") == 0 && x.addr == va(&f, DATA);
	CHECK(found);
	ksyms_table_destroy(t);
}

/* What cannot be read says why. */
static void test_unknown(void)
{
	static uint8_t junk[IMG_SIZE];
	struct ksyms_table *t = ks_table_new();
	add(t, 0x1000, 'T', "_stext");
	add(t, 0x1010, 'T', "f");
	t->info.word_size = 8;
	t->info.base_known = false;
	struct ks_kernel k = { .data = span_make(junk, sizeof(junk), 0) };
	CHECK(ks_exports_read(&k, t) == NULL);
	CHECK(!ksyms_table_exports(t)->known);
	CHECK(strstr(ksyms_table_exports(t)->unknown_reason, "load address"));
	struct ksyms_export x;
	CHECK(!ksyms_table_export(t, 0, &x));
	CHECK_EQ_U64(ksyms_table_export_count(t), 0);
	t->info.base_known = true;
	CHECK(ks_exports_read(&k, t) == NULL);
	CHECK(!ksyms_table_exports(t)->known);
	printf("# junk: %s\n", ksyms_table_exports(t)->unknown_reason);
	ksyms_table_destroy(t);
	/* a table from a symbol list has no ksymtab at all */
	t = ks_table_new();
	CHECK(!ksyms_table_exports(t)->known && strstr(ksyms_table_exports(t)->unknown_reason, "no ksymtab"));
	CHECK_STR(ksyms_export_kind_name(KSYMS_EXPORT_GPL), "EXPORT_SYMBOL_GPL");
	CHECK_STR(ksyms_export_kind_name(KSYMS_EXPORT_NONE), "");
	ksyms_table_destroy(t);
}

int main(void)
{
	test_layouts();
	test_zero_value_ambiguous();
	test_equal_names_continue();
	test_layout_tie();
	test_unknown();
	return tap_done();
}
