// SPDX-License-Identifier: MIT
/*
 * An ELF .symtab read as `nm -n` lists it (lib/source/elfsym.c) on
 * arbitrary bytes: every symbol named, with a printable type, in
 * ascending address order, and findable by its name and address.
 */
#include <string.h>

#include "fuzz.h"
#include "source/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksyms_table *t;
	struct ksyms_error *err = ks_elfsym_load(span_make(data, size, 0), &t);

	if (err) {
		fuzz_check(ksyms_error_message(err) != NULL);
		ksyms_error_destroy(err);
		return 0;
	}
	size_t n = ksyms_table_count(t);
	uint64_t prev = 0;
	for (size_t i = 0; i < n; i++) {
		struct ksyms_symbol s;
		size_t pos;
		fuzz_check(ksyms_table_symbol(t, i, &s));
		fuzz_check(s.name && s.type > ' ' && s.type < 0x7f);
		fuzz_check(s.addr >= prev);
		prev = s.addr;
		if (i < 256)
			fuzz_check(ksyms_table_lookup_name(t, s.name, &pos) >= 1);
	}
	ksyms_table_destroy(t);
	return 0;
}
