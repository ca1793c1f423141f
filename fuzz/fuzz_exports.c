// SPDX-License-Identifier: MIT
/*
 * The ksymtab reader (lib/exports) on arbitrary kernel bytes, with a
 * fixed table of 48 text symbols.  Input: one byte of flags (bit 0 big
 * endian, bit 1 64-bit, bit 2 give __start___ksymtab/__stop___ksymtab),
 * two little-endian u16 offsets for those bounds, then the kernel data,
 * loaded at a known base.  Whatever it reads must be consistent: every
 * entry named, matched entries pointing at a symbol of that name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exports/exports.h"

enum { NSYMS = 48, HEADER = 5 };

static void check(int cond)
{
	if (!cond)
		abort();
}

static struct ksyms_table *make_table(uint8_t flags, uint64_t base, uint16_t start, uint16_t stop)
{
	struct ksyms_table *t = ks_table_new();
	char name[8];

	if (!t)
		return NULL;
	for (int i = 0; i < NSYMS; i++) {
		snprintf(name, sizeof(name), "f%02d", i);
		if (!ks_table_add(t, base + 0x100 + 0x10 * (uint64_t)i, 'T', name, strlen(name), NULL))
			goto fail;
	}
	if ((flags & 4) && (!ks_table_add(t, base + start, 'R', "__start___ksymtab", 17, NULL) ||
			    !ks_table_add(t, base + stop, 'R', "__stop___ksymtab", 16, NULL)))
		goto fail;
	t->info.word_size = flags & 2 ? 8 : 4;
	t->info.byte_order = flags & 1 ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	t->info.base_known = true;
	t->info.base = base;
	return t;
fail:
	ksyms_table_destroy(t);
	return NULL;
}

static void check_entries(struct ksyms_table *t)
{
	size_t n = ksyms_table_export_count(t);

	for (size_t i = 0; i < n; i++) {
		struct ksyms_export x;
		struct ksyms_symbol s;
		check(ksyms_table_export_at(t, i, &x));
		check(x.name && x.name[0] && x.kind != KSYMS_EXPORT_NONE);
		if (x.index == SIZE_MAX)
			continue;
		check(ksyms_table_symbol(t, x.index, &s) && strcmp(s.name, x.name) == 0);
	}
	for (size_t i = 0; i < ksyms_table_count(t); i++) {
		struct ksyms_export x;
		if (ksyms_table_export(t, i, &x) && x.kind != KSYMS_EXPORT_NONE)
			check(x.index == i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER)
		return 0;
	uint8_t flags = data[0];
	uint16_t start = (uint16_t)(data[1] | data[2] << 8), stop = (uint16_t)(data[3] | data[4] << 8);
	uint64_t base = flags & 2 ? 0xffff800000010000ull : 0xc0010000ull;
	struct ksyms_table *t = make_table(flags, base, start, stop);
	struct ks_kernel k = { .data = span_make(data + HEADER, size - HEADER, 0) };

	if (!t)
		return 0;
	struct ksyms_error *err = ks_exports_read(&k, t);
	if (!err) {
		const struct ksyms_exports_info *xi = ksyms_table_exports(t);
		check(xi->known ? xi->layout != NULL : xi->unknown_reason != NULL);
		check_entries(t);
	}
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	return 0;
}
