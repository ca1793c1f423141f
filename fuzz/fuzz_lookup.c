// SPDX-License-Identifier: MIT
/*
 * Lookups on a table built from the input, checked against a linear scan:
 * an address resolves to the last addressable symbol at or below it (the
 * first of its aliases in table order), a name to every symbol of that
 * name (lowest address first), and both orders are sorted.  Input: records
 * of a type byte, a 2-byte address, a name length byte and the name (bit 7
 * of the type byte: a module symbol); 8-byte words after the records are
 * addresses to look up.
 */
#include <string.h>

#include "fuzz.h"
#include "table/table.h"

enum { MAX_SYMS = 512 };

static const char types[] = "TtDdBbRrWwAaUuNnVv";

static bool addressable(char type)
{
	return !strchr("AaUuNn", type);
}

static size_t parse(struct ksyms_table *t, const uint8_t *p, size_t size)
{
	size_t used = 0;
	char name[64];

	while (size - used >= 4 && t->count < MAX_SYMS) {
		const uint8_t *r = p + used;
		size_t len = 1 + r[3] % 16;
		if (len > size - used - 4)
			break;
		for (size_t i = 0; i < len; i++)
			name[i] = (char)('a' + r[4 + i] % 4); /* few letters: many duplicate names */
		uint64_t addr = 0xffff0000u + (uint64_t)(r[1] | r[2] << 8);
		if (!ks_table_add(t, addr, types[(r[0] & 0x7f) % (sizeof(types) - 1)], name, len,
				  r[0] & 0x80 ? "mod" : NULL))
			break;
		used += 4 + len;
	}
	return used;
}

/* The answer by a linear scan: the highest address <= a among the
 * addressable symbols of one kind (kernel or module), first alias. */
static bool scan(const struct ksyms_table *t, uint64_t a, bool modules, size_t *ret)
{
	bool found = false;
	size_t best = 0;

	for (size_t i = 0; i < t->count; i++) {
		if (!addressable(t->type[i]) || (t->module[i] != KS_NO_MODULE) != modules || t->addr[i] > a)
			continue;
		if (!found || t->addr[i] > t->addr[best]) {
			best = i;
			found = true;
		}
	}
	*ret = best;
	return found;
}

static void check_addr(struct ksyms_table *t, uint64_t a)
{
	struct ksyms_match m;
	size_t k, md;

	if (!ksyms_table_lookup_addr(t, a, &m))
		return;
	fuzz_check(m.sym.addr <= a && m.offset == a - m.sym.addr);
	fuzz_check(m.index < t->count && t->addr[m.index] == m.sym.addr && addressable(m.sym.type));
	bool module = m.sym.module != NULL;
	fuzz_check(scan(t, a, module, &k));
	fuzz_check(t->addr[k] == m.sym.addr && k == m.index);
	/* names here never spell _stext, so the kernel's symbols answer for
	 * every address at or above their lowest, modules only below it */
	if (module)
		fuzz_check(!scan(t, a, false, &md));
}

static void check_orders(struct ksyms_table *t)
{
	struct ksyms_symbol s, prev = { 0 };
	size_t idx, prev_idx = 0;

	for (size_t pos = 0; ksyms_table_by_address(t, pos, &s, &idx); pos++) {
		fuzz_check(idx < t->count);
		fuzz_check(pos == 0 || prev.addr < s.addr || (prev.addr == s.addr && prev_idx < idx));
		prev = s;
		prev_idx = idx;
	}
	for (size_t pos = 0; ksyms_table_by_name(t, pos, &s, &idx); pos++) {
		fuzz_check(idx < t->count);
		fuzz_check(pos == 0 || strcmp(prev.name, s.name) <= 0);
		prev = s;
	}
	for (size_t i = 0; i < t->count; i++) {
		const char *name = t->pool + t->name[i];
		size_t pos, n = ksyms_table_lookup_name(t, name, &pos), want = 0;
		for (size_t j = 0; j < t->count; j++)
			want += strcmp(t->pool + t->name[j], name) == 0;
		fuzz_check(n == want);
		for (size_t q = pos; q < pos + n; q++) {
			fuzz_check(ksyms_table_by_name(t, q, &s, &idx) && strcmp(s.name, name) == 0);
			fuzz_check(q == pos || prev.addr <= s.addr);
			prev = s;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ksyms_table *t = ks_table_new();

	if (!t)
		return 0;
	size_t used = parse(t, data, size);
	t->info.word_size = 8;
	check_orders(t);
	for (size_t i = 0; i < t->count; i++)
		check_addr(t, t->addr[i]);
	for (size_t off = used; off + 8 <= size; off += 8) {
		uint64_t a;
		memcpy(&a, data + off, 8);
		check_addr(t, 0xffff0000u + (a & 0x1ffff));
	}
	ksyms_table_destroy(t);
	return 0;
}
