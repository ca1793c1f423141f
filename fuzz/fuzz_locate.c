// SPDX-License-Identifier: MIT
/*
 * The kallsyms locator and decoder on raw bytes, with the byte order, word
 * size, base and symbol limit forced or left to detection as the first
 * input byte says:
 *   bits 0-1  byte order: auto, little, big, auto
 *   bits 2-3  word size: auto, 4, 8, auto
 *   bit 4     give a base address
 *   bit 5     max_symbols = 1000
 *   bit 6     decode for the facts only too (info_only, the architecture
 *             given so that the names stay packed): the same verdict, and
 *             every packed name reads as the full decode's
 * A decoded table must hold what the decoder promises: a type letter per
 * symbol, names without control characters, table locations inside the
 * data, the forced byte order and word size, and lookups of its own
 * addresses that land on them.
 */
#include <string.h>

#include "fuzz.h"
#include "kallsyms/decode.h"

static void check_table(struct ksyms_table *t, size_t len, const struct ksyms_find_opts *o)
{
	const struct ksyms_info *info = ksyms_table_info(t);
	size_t n = ksyms_table_count(t);

	fuzz_check(n == info->num_syms && n > 0);
	fuzz_check(!o->max_symbols || n <= o->max_symbols);
	fuzz_check(!o->word_size || info->word_size == o->word_size);
	fuzz_check(!o->byte_order || info->byte_order == o->byte_order);
	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		const struct ksyms_table_loc *l = &info->tables[id];
		fuzz_check(!l->present || (l->offset <= len && l->size <= len - l->offset));
	}
	for (size_t i = 0; i < n; i++) {
		struct ksyms_symbol s;
		fuzz_check(ksyms_table_symbol(t, i, &s));
		fuzz_check((s.type >= 'a' && s.type <= 'z') || (s.type >= 'A' && s.type <= 'Z') || s.type == '?');
		fuzz_check(s.name && strlen(s.name) <= 511);
		for (const char *c = s.name; *c; c++)
			fuzz_check((uint8_t)*c >= 0x20 && *c != 0x7f);
		if (info->word_size == 4)
			fuzz_check(s.addr <= UINT32_MAX);
	}
	for (size_t i = 0; i < n && i < 256; i++) {
		struct ksyms_symbol s;
		struct ksyms_match m;
		size_t pos;
		fuzz_check(ksyms_table_symbol(t, i, &s));
		if (ksyms_table_lookup_addr(t, s.addr, &m))
			fuzz_check(m.sym.addr == s.addr || strchr("AaUuNn", s.type));
		fuzz_check(ksyms_table_lookup_name(t, s.name, &pos) >= 1);
	}
}

/* The facts-only decode of the same bytes agrees with the full one @t
 * (NULL: it failed). */
static void check_facts_only(const struct ks_kernel *k, const struct ksyms_find_opts *o, struct ksyms_table *t)
{
	struct ksyms_find_opts fo = *o;
	struct ksyms_table *p;
	char buf[KS_NAME_BUF];

	fo.info_only = true;
	struct ksyms_error *err = ks_kallsyms_load(k, &fo, &p);
	fuzz_check(!err == !!t);
	ksyms_error_destroy(err);
	if (err)
		return;
	fuzz_check(p->count == t->count && p->info.num_syms == t->info.num_syms);
	for (size_t i = 0; i < p->count; i++) {
		const char *want = t->pool + t->name[i];
		size_t n = ks_table_name_copy(p, i, buf);
		fuzz_check(strcmp(buf, want) == 0 && ks_table_name_eq(p, i, want, n) && p->type[i] == t->type[i]);
	}
	ksyms_table_destroy(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int words[4] = { 0, 4, 8, 0 };
	static const enum ksyms_byte_order orders[4] = { KSYMS_ENDIAN_AUTO, KSYMS_ENDIAN_LITTLE, KSYMS_ENDIAN_BIG,
							 KSYMS_ENDIAN_AUTO };

	if (size < 1)
		return 0;
	uint8_t f = data[0];
	KSYMS_OPTS(ksyms_find_opts, o, .byte_order = orders[f & 3], .word_size = words[(f >> 2) & 3],
		   .has_base = f & 0x10, .base = 0xffffffff80000000ull, .max_symbols = f & 0x20 ? 1000 : 0);
	if (o.word_size == 4)
		o.base = 0xc0000000u;
	if (f & 0x40)
		o.arch = "arm64";
	struct ks_kernel k = { .data = span_make(data + 1, size - 1, 0), .format = "raw" };
	struct ksyms_table *t;
	struct ksyms_error *err = ks_kallsyms_load(&k, &o, &t);

	if (f & 0x40)
		check_facts_only(&k, &o, err ? NULL : t);
	if (err) {
		fuzz_check(ksyms_error_message(err) != NULL && ksyms_error_offset(err) <= (int64_t)size);
		ksyms_error_destroy(err);
		return 0;
	}
	check_table(t, size - 1, &o);
	ksyms_table_destroy(t);
	return 0;
}
