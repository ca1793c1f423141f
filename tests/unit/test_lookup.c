// SPDX-License-Identifier: MIT
/* Address and name lookups against the kernel's rules (kernel/kallsyms.c
 * get_symbol_pos, kallsyms_lookup_size_offset, kallsyms_lookup_name). */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "table/table.h"

static void add(struct ksyms_table *t, uint64_t a, char type, const char *name, const char *mod)
{
	CHECK(ks_table_add(t, a, type, name, strlen(name), mod));
}

/* A text-only kernel (no data symbols): text ends at _etext. */
static struct ksyms_table *text_only(void)
{
	struct ksyms_table *t = ks_table_new();
	add(t, 0x1000, 'T', "_stext", NULL);
	add(t, 0x1000, 'T', "startup", NULL);     /* alias of _stext */
	add(t, 0x1040, 't', "helper", NULL);
	add(t, 0x1040, 'W', "weak_alias", NULL);
	add(t, 0x1100, 'T', "last_func", NULL);
	add(t, 0x1180, 'T', "_etext", NULL);
	add(t, 0x2000, 'T', "_sinittext", NULL);
	add(t, 0x2000, 't', "init_a", NULL);
	add(t, 0x2080, 't', "init_b", NULL);
	add(t, 0x2100, 'T', "_einittext", NULL);
	add(t, 0x0, 'A', "percpu_thing", NULL);
	add(t, 0x1040, 't', "dup", NULL);
	add(t, 0x2080, 't', "dup", NULL);
	return t;
}

static void test_text_only(void)
{
	struct ksyms_table *t = text_only();
	struct ksyms_match m;

	CHECK(ksyms_table_prepare(t) == NULL);
	/* the first alias in table order, offset, size to the next higher address */
	CHECK(ksyms_table_lookup_addr(t, 0x1000, &m));
	CHECK_STR(m.sym.name, "_stext");
	CHECK_EQ_U64(m.offset, 0);
	CHECK_EQ_U64(m.size, 0x40);
	CHECK_EQ_U64(m.aliases, 2);
	CHECK(ksyms_table_lookup_addr(t, 0x105c, &m));
	CHECK_STR(m.sym.name, "helper");
	CHECK_EQ_U64(m.offset, 0x1c);
	CHECK_EQ_U64(m.size, 0xc0);
	CHECK_EQ_U64(m.aliases, 3); /* helper, weak_alias, dup */
	struct ksyms_symbol s;
	CHECK(ksyms_table_by_address(t, m.alias_pos + 1, &s, NULL) && strcmp(s.name, "weak_alias") == 0);
	/* the last text symbol ends at _etext */
	CHECK(ksyms_table_lookup_addr(t, 0x117f, &m));
	CHECK_STR(m.sym.name, "last_func");
	CHECK_EQ_U64(m.size, 0x80);
	/* [_stext, _etext) and [_sinittext, _einittext) only */
	CHECK(!ksyms_table_lookup_addr(t, 0x0fff, &m));
	CHECK(!ksyms_table_lookup_addr(t, 0x1180, &m));
	CHECK(!ksyms_table_lookup_addr(t, 0x1fff, &m));
	CHECK(ksyms_table_lookup_addr(t, 0x20a0, &m));
	CHECK_STR(m.sym.name, "init_b");
	CHECK_EQ_U64(m.size, 0x80); /* up to _einittext */
	CHECK(!ksyms_table_lookup_addr(t, 0x2100, &m));
	/* absolute symbols never resolve */
	CHECK(!ksyms_table_lookup_addr(t, 0x0, &m));

	size_t pos;
	CHECK_EQ_U64(ksyms_table_lookup_name(t, "dup", &pos), 2);
	CHECK(ksyms_table_by_name(t, pos, &s, NULL) && s.addr == 0x1040); /* lowest first */
	CHECK(ksyms_table_by_name(t, pos + 1, &s, NULL) && s.addr == 0x2080);
	CHECK_EQ_U64(ksyms_table_lookup_name(t, "last_func", &pos), 1);
	CHECK_EQ_U64(ksyms_table_lookup_name(t, "nope", &pos), 0);
	CHECK_EQ_U64(ksyms_table_lookup_name(t, "", &pos), 0);
	ksyms_table_destroy(t);
}

/* CONFIG_KALLSYMS_ALL: data resolves up to _end, the last symbol ends there. */
static void test_all_symbols(void)
{
	struct ksyms_table *t = ks_table_new();
	struct ksyms_match m;

	add(t, 0x1000, 'T', "_text", NULL);
	add(t, 0x1100, 'T', "_stext", NULL);
	add(t, 0x1200, 'T', "_etext", NULL);
	add(t, 0x3000, 'D', "some_data", NULL);
	add(t, 0x3100, 'B', "last_bss", NULL);
	add(t, 0x3400, 'B', "_end", NULL);
	add(t, 0xffff0000, 't', "mod_fn", "mymod");
	add(t, 0xffff0100, 't', "mod_fn2", "mymod");
	CHECK(!ksyms_table_lookup_addr(t, 0x1080, &m)); /* before _stext: not resolved */
	CHECK(ksyms_table_lookup_addr(t, 0x3010, &m));
	CHECK_STR(m.sym.name, "some_data");
	CHECK(ksyms_table_lookup_addr(t, 0x33ff, &m));
	CHECK_STR(m.sym.name, "last_bss");
	CHECK_EQ_U64(m.size, 0x300);
	CHECK(!ksyms_table_lookup_addr(t, 0x3400, &m));
	CHECK(ksyms_table_lookup_addr(t, 0xffff0010, &m));
	CHECK_STR(m.sym.name, "mod_fn");
	CHECK_STR(m.sym.module, "mymod");
	CHECK_EQ_U64(m.size, 0x100);
	CHECK(ksyms_table_lookup_addr(t, 0xffff0110, &m));
	CHECK_EQ_U64(m.size, 0); /* the module's end is unknown */
	CHECK(!ksyms_table_lookup_addr(t, 0xffff0100 + 0x20000, &m));
	ksyms_table_destroy(t);
}

/* Absolute symbols (System.map's sizes, x86-64's per-cpu offsets) never
 * resolve an address, even one that falls inside the text. */
static void test_absolute_never_resolves(void)
{
	struct ksyms_table *t = ks_table_new();
	struct ksyms_match m;

	add(t, 0x1000, 'T', "_text", NULL);
	add(t, 0x1100, 'T', "_stext", NULL);
	add(t, 0x1150, 'A', "an_absolute", NULL);
	add(t, 0x1158, 'a', "a_local_absolute", NULL);
	add(t, 0x1200, 'T', "_etext", NULL);
	CHECK(ksyms_table_lookup_addr(t, 0x1160, &m));
	CHECK_STR(m.sym.name, "_stext");
	CHECK_EQ_U64(m.offset, 0x60);
	CHECK_EQ_U64(m.size, 0x100);
	ksyms_table_destroy(t);
}

/* The last symbol of a module covers [addr, addr + 64 KiB): a symbol list
 * does not say where the module ends. */
static void test_module_last_symbol(void)
{
	struct ksyms_table *t = ks_table_new();
	struct ksyms_match m;

	add(t, 0x1000, 'T', "_text", NULL);
	add(t, 0x1100, 'T', "_stext", NULL);
	add(t, 0x1200, 'T', "_etext", NULL);
	add(t, 0x70000000, 't', "mod_a", "mymod");
	add(t, 0x70000100, 't', "mod_b", "mymod");
	CHECK(ksyms_table_lookup_addr(t, 0x70000100 + 0xffff, &m));
	CHECK_STR(m.sym.name, "mod_b");
	CHECK_EQ_U64(m.offset, 0xffff);
	CHECK(!ksyms_table_lookup_addr(t, 0x70000100 + 0x10000, &m));
	ksyms_table_destroy(t);
}

/* Before 5.16 the kernel's ranges included their end (is_kernel_text(),
 * is_kernel_inittext(), is_kernel() compared <=); core_kernel_data, a
 * function until 5.16, marks a table of that era. */
static void test_bounds_before_5_16(void)
{
	struct ksyms_table *t = text_only();
	struct ksyms_match m;

	add(t, 0x1010, 'T', "core_kernel_data", NULL);
	CHECK(ksyms_table_lookup_addr(t, 0x1180, &m)); /* _etext itself */
	CHECK_STR(m.sym.name, "_etext");
	CHECK_EQ_U64(m.offset, 0);
	CHECK(!ksyms_table_lookup_addr(t, 0x1181, &m));
	CHECK(ksyms_table_lookup_addr(t, 0x2100, &m)); /* _einittext itself */
	CHECK_STR(m.sym.name, "_einittext");
	CHECK(!ksyms_table_lookup_addr(t, 0x2101, &m));
	ksyms_table_destroy(t);

	t = ks_table_new();
	add(t, 0x1100, 'T', "_stext", NULL);
	add(t, 0x1110, 'T', "core_kernel_data", NULL);
	add(t, 0x1200, 'T', "_etext", NULL);
	add(t, 0x3000, 'D', "some_data", NULL);
	add(t, 0x3400, 'B', "_end", NULL);
	add(t, 0x3800, 'D', "after_end", NULL);
	CHECK(ksyms_table_lookup_addr(t, 0x3400, &m)); /* _end itself */
	CHECK_STR(m.sym.name, "_end");
	CHECK_EQ_U64(m.size, 0x400);
	CHECK(!ksyms_table_lookup_addr(t, 0x3401, &m));
	ksyms_table_destroy(t);
}

/* Since 5.16 CONFIG_KALLSYMS_ALL also resolves [__init_begin, __init_end),
 * wherever the architecture puts it (__is_kernel()). */
static void test_init_data_5_16(void)
{
	struct ksyms_table *t = ks_table_new();
	struct ksyms_match m;

	add(t, 0x1100, 'T', "_stext", NULL);
	add(t, 0x1200, 'T', "_etext", NULL);
	add(t, 0x3000, 'D', "some_data", NULL);
	add(t, 0x3400, 'B', "_end", NULL);
	add(t, 0x8000, 'D', "__init_begin", NULL);
	add(t, 0x8010, 'd', "init_data", NULL);
	add(t, 0x8100, 'D', "__init_end", NULL);
	CHECK(!ksyms_table_lookup_addr(t, 0x3400, &m));
	CHECK(ksyms_table_lookup_addr(t, 0x8020, &m));
	CHECK_STR(m.sym.name, "init_data");
	CHECK(!ksyms_table_lookup_addr(t, 0x8100, &m));
	ksyms_table_destroy(t);
}

/*
 * A table of absolute addresses with 1-byte name lengths and no
 * core_kernel_data says its era by its banner: the half-open ranges came
 * in v5.16-rc1 ("kallsyms: fix address-checks for kernel related range"),
 * so 5.15 still resolves _etext itself and 5.16 does not.
 */
static void test_bounds_by_banner(void)
{
	static const char *const banners[] = { "Linux version 5.15.0-1-amd64 (gcc)", "Linux version 5.16.0-1-amd64 (gcc)",
					       "Linux version 4.19.0 (gcc)", "Linux version 6.1.0 (gcc)" };
	static const bool inclusive[] = { true, false, true, false };

	for (size_t i = 0; i < 4; i++) {
		struct ksyms_table *t = text_only();
		struct ksyms_match m;
		t->info.source_kind = KSYMS_SOURCE_KALLSYMS;
		t->info.layout.addr_mode = KSYMS_ADDR_ABSOLUTE;
		t->info.layout.name_len_bytes = 1;
		CHECK(ks_table_set_banner(t, banners[i], strlen(banners[i])));
		CHECK(ksyms_table_lookup_addr(t, 0x1180, &m) == inclusive[i]); /* _etext itself */
		CHECK(!ksyms_table_lookup_addr(t, 0x1181, &m));
		ksyms_table_destroy(t);
	}
}

int main(void)
{
	test_text_only();
	test_all_symbols();
	test_module_last_symbol();
	test_absolute_never_resolves();
	test_bounds_before_5_16();
	test_init_data_5_16();
	test_bounds_by_banner();
	return tap_done();
}
