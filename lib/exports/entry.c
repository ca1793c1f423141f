// SPDX-License-Identifier: MIT
/*
 * Reading one ksymtab entry in a given layout, and matching it to the
 * table's symbol of that name at that address: what both the face
 * (ksymtab.c) and the scan for the sections (scan.c) need.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exports.h"
#include "core/search.h"

/* KSYM_NAME_LEN since 6.1; names and namespaces are far shorter. */
enum { MAX_STRING = 512 };

/* ------------------------------------------------------------------------ */
/* reading entries */

/* The characters of a C identifier, '.' (compiler suffixes such as
 * .cold) and '$'; bytes from 0x80 on are none of them. */
static const uint8_t name_char[128] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
};

/* A table instead of a branch per character class: those branches were
 * 49k of the 278k mispredicted branches of `ksyms info` on 6.12 arm64
 * (cachegrind --branch-sim; 11,880 names), now 12k (the loop's end). */
bool ks_ksym_name_ok(const char *s, size_t len)
{
	unsigned ok = len != 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		ok &= name_char[ch & 0x7f] & (ch < 0x80);
	}
	return ok;
}

/* Namespaces are identifiers before 6.13 and string literals since
 * (EXPORT_SYMBOL_NS(sym, "NS")); 6.18's EXPORT_SYMBOL_FOR_MODULES writes
 * "module:a,b". */
bool ks_ksym_ns_ok(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return false;
	return true;
}

static bool string_at(const struct ks_ksym_ctx *c, uint64_t va, const char **ret, size_t *ret_len)
{
	size_t off, len;

	if (!ks_vamap_to_off(&c->map, va, &off))
		return false;
	len = span_strnlen(c->data, off, MAX_STRING);
	if (len == SIZE_MAX)
		return false;
	*ret = (const char *)c->data.p + off;
	*ret_len = len;
	return true;
}

static bool read_fields(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l, size_t off, uint64_t *f)
{
	uint64_t va = 0;

	if (l->prel32 && !ks_vamap_to_va(&c->map, off, &va))
		return false;
	for (unsigned j = 0; j < l->nfields; j++) {
		size_t at = off + (size_t)j * l->field;
		if (l->prel32) {
			uint32_t v;
			if (!span_u32(c->data, at, c->be, &v))
				return false;
			/* offset_to_ptr(): the field's own address plus the s32 */
			f[j] = (va + 4u * j + (uint64_t)(int64_t)(int32_t)v) & c->map.mask;
		} else if (!span_word(c->data, at, l->field, c->be, &f[j])) {
			return false;
		}
	}
	return true;
}

bool ks_ksym_read(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l, size_t off, struct ks_raw_export *ret)
{
	uint64_t f[3];
	struct ks_raw_export e = { 0 };

	if (!read_fields(c, l, off, f))
		return false;
	e.value = f[0];
	if (!string_at(c, f[1], &e.name, &e.name_len) || !ks_ksym_name_ok(e.name, e.name_len))
		return false;
	if (l->nfields == 3 && (l->prel32 || f[2])) {
		if (!string_at(c, f[2], &e.ns, &e.ns_len) || !ks_ksym_ns_ok(e.ns, e.ns_len))
			return false;
		if (!e.ns_len)
			e.ns = NULL;
	}
	*ret = e;
	return true;
}

/* ------------------------------------------------------------------------ */
/* matching entries to table symbols */

uint64_t ks_ksym_addr_at(const struct ks_ksym_ctx *c, size_t pos)
{
	return c->t->addr[c->order ? c->order[pos] : pos];
}

/* The symbol named @name among those at @addr from address-order
 * position @first on. */
static size_t match_from(const struct ks_ksym_ctx *c, size_t first, uint64_t addr, const char *name, size_t name_len)
{
	for (size_t pos = first; pos < c->norder && pos - first < KS_KSYM_MAX_ALIASES && ks_ksym_addr_at(c, pos) == addr;
	     pos++) {
		size_t i = c->order ? c->order[pos] : pos;
		if (ks_table_name_eq(c->t, i, name, name_len))
			return i;
	}
	return SIZE_MAX;
}

size_t ks_ksym_match(const struct ks_ksym_ctx *c, uint64_t addr, const char *name, size_t name_len)
{
	return match_from(c, ks_blocked_lower_bound(&c->addr_search, addr), addr, name, name_len);
}

/*
 * Entries in ascending address order meet the symbols in that order too:
 * a cursor that only moves forward reads the address column once, front
 * to back, where a search per entry missed the cache about once (7.2
 * arm64: 13,867 entries over 209,893 symbols, ks_ksym_match() 4.8% of
 * `info`).
 */
/* The first address-order position from @pos on whose address is not below @addr. */
static size_t seek(const struct ks_ksym_ctx *c, size_t pos, uint64_t addr)
{
	while (pos < c->norder && ks_ksym_addr_at(c, pos) < addr)
		pos++;
	return pos;
}

size_t ks_ksym_match_next(const struct ks_ksym_ctx *c, size_t *cursor, uint64_t addr, const char *name,
			  size_t name_len)
{
	*cursor = seek(c, *cursor, addr);
	return match_from(c, *cursor, addr, name, name_len);
}

