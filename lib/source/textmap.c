// SPDX-License-Identifier: MIT
/*
 * Text symbol lists: System.map (`nm -n` filtered by scripts/mksysmap) and
 * /proc/kallsyms ("%px %c %s\n", module symbols "%px %c %s\t[%s]\n",
 * kernel/kallsyms.c s_show).  A /proc/kallsyms read by a user that
 * kptr_restrict hides addresses from shows every address as 0: that is
 * recorded, not taken as data.
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "core/error.h"
#include "input/kernel.h"

enum { MAX_HEX = 16, DETECT_LINES = 8 };

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

struct line {
	uint64_t addr;
	unsigned digits;
	char type;
	const char *name;
	size_t name_len;
	const char *module;
	size_t module_len;
};

/* Parse one line "ADDR TYPE NAME[\t[MODULE]]" of @len bytes (no newline). */
static bool parse_line(const char *s, size_t len, struct line *l)
{
	size_t i = 0;

	memset(l, 0, sizeof(*l));
	if (len && s[len - 1] == '\r')
		len--;
	for (; i < len && hex_value((uint8_t)s[i]) >= 0; i++) {
		if (i >= MAX_HEX)
			return false;
		l->addr = l->addr << 4 | (uint64_t)hex_value((uint8_t)s[i]);
	}
	l->digits = (unsigned)i;
	if (i == 0 || i + 3 > len || s[i] != ' ' || s[i + 2] != ' ')
		return false;
	l->type = s[i + 1];
	if (!((l->type >= 'a' && l->type <= 'z') || (l->type >= 'A' && l->type <= 'Z') || l->type == '?'))
		return false;
	const char *name = s + i + 3;
	size_t rest = len - i - 3;
	const char *tab = memchr(name, '\t', rest);
	l->name = name;
	l->name_len = tab ? (size_t)(tab - name) : rest;
	if (l->name_len == 0 || memchr(l->name, ' ', l->name_len))
		return false;
	if (tab) {
		const char *m = tab + 1;
		size_t mlen = rest - l->name_len - 1;
		if (mlen < 3 || m[0] != '[' || m[mlen - 1] != ']')
			return false;
		l->module = m + 1;
		l->module_len = mlen - 2;
	}
	return true;
}

bool ks_textmap_detect(struct span data)
{
	const char *s = (const char *)data.p;
	size_t pos = 0, lines = 0;

	while (pos < data.len && lines < DETECT_LINES) {
		const char *nl = memchr(s + pos, '\n', data.len - pos);
		size_t len = nl ? (size_t)(nl - (s + pos)) : data.len - pos;
		struct line l;
		if (len && !parse_line(s + pos, len, &l))
			return false;
		lines += len != 0;
		pos += len + 1;
	}
	return lines > 0;
}

static enum ksyms_source_kind choose_kind(enum ksyms_source_kind kind, const char *path, bool has_modules)
{
	if (kind == KSYMS_SOURCE_SYSTEM_MAP || kind == KSYMS_SOURCE_PROC_KALLSYMS)
		return kind;
	if (has_modules || (path && strstr(path, "kallsyms")))
		return KSYMS_SOURCE_PROC_KALLSYMS;
	return KSYMS_SOURCE_SYSTEM_MAP;
}

static void fill_info(struct ksyms_table *t, enum ksyms_source_kind kind, unsigned max_digits, bool all_zero)
{
	struct ksyms_info *i = &t->info;

	i->source_kind = kind;
	i->source = ksyms_source_kind_name(kind);
	i->word_size = max_digits > 8 ? 8 : 4;
	i->num_syms = t->count - i->module_symbols;
	i->addresses_hidden = all_zero && t->count > 0;
	const char **names = malloc(t->count * sizeof(*names));
	if (names) {
		for (size_t k = 0; k < t->count; k++)
			names[k] = t->pool + t->name[k];
		i->arch = ks_arch_from_symbols(names, t->count);
		i->arch_source = i->arch ? "symbol names" : NULL;
		free(names);
	}
}

struct ksyms_error *ks_textmap_load(struct span data, const char *path, enum ksyms_source_kind kind,
				    struct ksyms_table **ret)
{
	const char *s = (const char *)data.p;
	struct ksyms_table *t = ks_table_new();
	size_t pos = 0, lineno = 0;
	unsigned max_digits = 0;
	bool all_zero = true, has_modules = false;
	char modname[256];

	/* one symbol per ~40 bytes of text: a good first reservation */
	if (!t || !ks_table_reserve(t, data.len / 40 + 16, data.len / 2 + 16)) {
		ksyms_table_destroy(t);
		return &ks_enomem;
	}
	while (pos < data.len) {
		const char *nl = memchr(s + pos, '\n', data.len - pos);
		size_t len = nl ? (size_t)(nl - (s + pos)) : data.len - pos;
		struct line l;
		lineno++;
		if (len == 0 || (len == 1 && s[pos] == '\r')) {
			pos += len + 1;
			continue;
		}
		if (!parse_line(s + pos, len, &l)) {
			ksyms_table_destroy(t);
			return ks_error_at((int64_t)pos, "line %zu is not 'address type name': '%.*s'", lineno,
					   (int)(len > 60 ? 60 : len), s + pos);
		}
		const char *mod = NULL;
		if (l.module) {
			size_t n = l.module_len < sizeof(modname) - 1 ? l.module_len : sizeof(modname) - 1;
			memcpy(modname, l.module, n);
			modname[n] = 0;
			mod = modname;
			has_modules = true;
			t->info.module_symbols++;
		}
		if (!ks_table_add(t, l.addr, l.type, l.name, l.name_len, mod)) {
			ksyms_table_destroy(t);
			return &ks_enomem;
		}
		max_digits = l.digits > max_digits ? l.digits : max_digits;
		all_zero = all_zero && l.addr == 0;
		pos += len + 1;
	}
	if (t->count == 0) {
		ksyms_table_destroy(t);
		return ks_error_at(0, "no symbols in the list");
	}
	fill_info(t, choose_kind(kind, path, has_modules), max_digits, all_zero);
	*ret = t;
	return NULL;
}
