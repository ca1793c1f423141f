// SPDX-License-Identifier: MIT
/*
 * The whole image pipeline on arbitrary bytes: containers, codecs, the
 * kallsyms locator and decoder, lookups.  Besides "no crash", a decoded
 * table must keep the decoder's promises: every symbol of a kallsyms
 * table has a letter for a type, and lookups of its own addresses land.
 */
#include <stdint.h>
#include <stdlib.h>

#include <ksyms.h>

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	KSYMS_OPTS(ksyms_open_opts, oo, .max_output = 64u << 20, .max_depth = 8);
	KSYMS_OPTS(ksyms_source_opts, so, .open = &oo);
	struct ksyms_table *tab;
	struct ksyms_error *err = ksyms_table_open_mem(data, size, &so, &tab);

	if (err) {
		check(ksyms_error_message(err) != NULL);
		ksyms_error_destroy(err);
		return 0;
	}
	const struct ksyms_info *info = ksyms_table_info(tab);
	size_t n = ksyms_table_count(tab);
	for (size_t i = 0; i < n; i++) {
		struct ksyms_symbol s;
		check(ksyms_table_symbol(tab, i, &s));
		check(s.name != NULL);
		if (info->source_kind == KSYMS_SOURCE_KALLSYMS)
			check((s.type >= 'a' && s.type <= 'z') || (s.type >= 'A' && s.type <= 'Z') || s.type == '?');
	}
	for (size_t i = 0; i < n && i < 64; i++) {
		struct ksyms_symbol s;
		struct ksyms_match m;
		size_t pos;
		ksyms_table_symbol(tab, i, &s);
		if (ksyms_table_lookup_addr(tab, s.addr, &m))
			check(m.sym.addr <= s.addr);
		check(ksyms_table_lookup_name(tab, s.name, &pos) >= 1);
	}
	ksyms_table_destroy(tab);
	return 0;
}
