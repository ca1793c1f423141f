// SPDX-License-Identifier: MIT
/*
 * Text symbol lists: System.map (`nm -n` filtered by scripts/mksysmap),
 * raw `nm -n` output (undefined symbols have blanks for an address) and
 * /proc/kallsyms ("%px %c %s\n", module symbols "%px %c %s\t[%s]\n",
 * kernel/kallsyms.c s_show).  A /proc/kallsyms read by a user that
 * kptr_restrict hides addresses from shows every address as 0: that is
 * recorded (info.addresses_hidden), not taken as data.
 */
#include <stdlib.h>
#include <string.h>

#include "source.h"
#include "core/error.h"
#include "kernel/kernel.h"

enum {
	MAX_HEX = 16,
	DETECT_LINES = 8,
	DETECT_BYTES = 4096,
	/* MODULE_NAME_LEN is 56; "[__builtin__kprobes]" and the like are longer */
	MAX_MODULE = 255,
	EXCERPT = 60,
};

struct line {
	uint64_t addr;
	unsigned digits;
	char type;
	const char *name;
	size_t name_len;
	const char *module;
	size_t module_len;
};

/* Walks the lines of a span: each without its "\n" and a final "\r". */
struct cursor {
	struct span data;
	size_t pos, lineno, line_off;
};

static bool next_line(struct cursor *c, const char **ret, size_t *ret_len)
{
	if (c->pos >= c->data.len)
		return false;
	size_t rest = c->data.len - c->pos;
	const char *p = (const char *)span_at(c->data, c->pos, rest);
	const char *nl = memchr(p, '\n', rest);
	size_t len = nl ? (size_t)(nl - p) : rest;

	c->line_off = c->pos;
	c->pos += len + (nl != NULL);
	c->lineno++;
	if (len && p[len - 1] == '\r')
		len--;
	*ret = p;
	*ret_len = len;
	return true;
}

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static bool is_type_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '?';
}

/*
 * The address: hex digits, or for an undefined symbol of raw `nm` output
 * as many blanks as a defined symbol has digits ("%*s" in nm.c).  Sets
 * *i to the index of the separator.  @return NULL or what is wrong.
 */
static const char *parse_addr(const char *s, size_t len, size_t *i, struct line *l)
{
	size_t k = 0;

	while (k < len && s[k] == ' ')
		k++;
	if (k == 8 + 1 || k == 16 + 1) {
		/* blanks, the separator, then "U name": only undefined
		 * symbols have no value */
		if (k >= len || !strchr("Uwv", s[k]))
			return "blank address on a symbol that is not undefined";
		l->digits = (unsigned)k - 1;
		*i = k - 1;
		return NULL;
	}
	if (k)
		return "leading blanks";
	for (; k < len && hex_value((uint8_t)s[k]) >= 0; k++) {
		if (k >= MAX_HEX)
			return "address longer than 16 hex digits";
		l->addr = l->addr << 4 | (uint64_t)hex_value((uint8_t)s[k]);
	}
	if (k == 0 || (k < len && s[k] != ' '))
		return "no address";
	l->digits = (unsigned)k;
	*i = k;
	return NULL;
}

/* Kernel names are printable; a control byte means this is not a list. */
static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((uint8_t)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

/* "\t[MODULE]" after the name. */
static const char *parse_module(const char *m, size_t mlen, struct line *l)
{
	if (mlen < 3 || m[0] != '[' || m[mlen - 1] != ']')
		return "text after the name is not '\\t[module]'";
	if (mlen - 2 > MAX_MODULE)
		return "module name longer than 255 bytes";
	if (!printable(m + 1, mlen - 2) || memchr(m + 1, ' ', mlen - 2))
		return "bad module name";
	l->module = m + 1;
	l->module_len = mlen - 2;
	return NULL;
}

/* Parse "ADDR TYPE NAME[\t[MODULE]]" (no newline).  @return NULL or what is wrong. */
static const char *parse_line(const char *s, size_t len, struct line *l)
{
	size_t i = 0;

	memset(l, 0, sizeof(*l));
	const char *why = parse_addr(s, len, &i, l);
	if (why)
		return why;
	if (i + 3 > len || s[i] != ' ' || s[i + 2] != ' ')
		return "no type letter after the address";
	l->type = s[i + 1];
	if (!is_type_letter(l->type))
		return "the type is not a letter";
	const char *name = s + i + 3;
	size_t rest = len - i - 3;
	const char *tab = memchr(name, '\t', rest);
	l->name = name;
	l->name_len = tab ? (size_t)(tab - name) : rest;
	if (l->name_len == 0)
		return "no name";
	if (memchr(l->name, ' ', l->name_len))
		return "a blank in the name";
	if (!printable(l->name, l->name_len))
		return "a control character in the name";
	return tab ? parse_module(tab + 1, rest - l->name_len - 1, l) : NULL;
}

/* The start of the data is text: no NUL bytes in the first 4 KiB. */
static bool looks_like_text(struct span data)
{
	size_t n = data.len < DETECT_BYTES ? data.len : DETECT_BYTES;
	const uint8_t *p = span_at(data, 0, n);

	return p && n && !memchr(p, 0, n);
}

/*
 * A list if the start is text and one of its first non-blank lines is
 * "address type name": a header line or a typo further down then gets a
 * line-numbered error from the parser instead of being tried as a kernel
 * image.  Kernel images start with binary headers and NUL bytes.
 */
bool ks_textmap_detect(struct span data)
{
	struct cursor c = { .data = data };
	const char *s;
	size_t len, lines = 0;

	if (!looks_like_text(data))
		return false;
	while (lines < DETECT_LINES && next_line(&c, &s, &len)) {
		struct line l;
		if (len == 0)
			continue;
		if (!parse_line(s, len, &l))
			return true;
		lines++;
	}
	/* nothing but blank lines is an empty list, not a kernel */
	return lines == 0 && c.pos >= data.len;
}

struct load_state {
	unsigned max_digits;
	bool all_zero, has_modules;
	/* the previous kernel symbol, for the order of aliases */
	uint64_t prev_addr;
	const char *prev_name;
	size_t prev_len;
	bool kallsyms_order;
};

/*
 * System.map or /proc/kallsyms: the same text, but only /proc/kallsyms
 * has module lines or hidden (all-zero) addresses, and the two order
 * aliases differently.  System.map is `nm -n` under LC_COLLATE=C (the
 * kernel's top Makefile exports it): symbols at one address come in
 * strcmp order.  kallsyms sorts them by its own tie-breaks (weak last,
 * linker-provided last, fewer leading underscores first), which put
 * hundreds of aliases out of strcmp order in every kernel of the corpus
 * and none in any System.map.  Otherwise the file name may say.
 */
static enum ksyms_source_kind choose_kind(enum ksyms_source_kind kind, const char *path,
					  const struct load_state *st)
{
	if (kind == KSYMS_SOURCE_SYSTEM_MAP || kind == KSYMS_SOURCE_PROC_KALLSYMS)
		return kind;
	if (st->has_modules || st->all_zero || st->kallsyms_order || (path && strstr(path, "kallsyms")))
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
	i->addresses_hidden = all_zero;
	const char **names = malloc(t->count * sizeof(*names));
	if (names) {
		/* best effort: the arch is a hint, not worth failing for */
		for (size_t k = 0; k < t->count; k++)
			names[k] = t->pool + t->name[k];
		i->arch = ks_arch_from_symbols(names, t->count);
		i->arch_source = i->arch ? "symbol names" : NULL;
		free(names);
	}
}

/* "line 3: no address (expected 'address type name'): 'text'" with the
 * line cut short and anything unprintable shown as '?'. */
static struct ksyms_error *line_error(const struct cursor *c, const char *s, size_t len, const char *why)
{
	char ex[EXCERPT + 4];
	size_t n = len > EXCERPT ? EXCERPT : len;

	for (size_t i = 0; i < n; i++)
		ex[i] = (uint8_t)s[i] < 0x20 || (uint8_t)s[i] >= 0x7f ? '?' : s[i];
	memcpy(ex + n, len > n ? "..." : "", len > n ? 4 : 1);
	return ks_error_at((int64_t)(c->data.origin + c->line_off),
			   "line %zu: %s (expected 'address type name'): '%s'", c->lineno, why, ex);
}

static int cmp_names(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	return c ? c : (alen > blen) - (alen < blen);
}

static void note_order(struct load_state *st, const struct line *l)
{
	if (st->prev_name && l->addr == st->prev_addr &&
	    cmp_names(l->name, l->name_len, st->prev_name, st->prev_len) < 0)
		st->kallsyms_order = true;
	st->prev_addr = l->addr;
	st->prev_name = l->name;
	st->prev_len = l->name_len;
}

static bool add_line(struct ksyms_table *t, const struct line *l, struct load_state *st)
{
	char modname[MAX_MODULE + 1];
	const char *mod = NULL;

	if (l->module) {
		memcpy(modname, l->module, l->module_len);
		modname[l->module_len] = 0;
		mod = modname;
		st->has_modules = true;
		t->info.module_symbols++;
	}
	if (l->digits > st->max_digits)
		st->max_digits = l->digits;
	st->all_zero = st->all_zero && l->addr == 0;
	if (!l->module)
		note_order(st, l);
	return ks_table_add(t, l->addr, l->type, l->name, l->name_len, mod);
}

static struct ksyms_error *load_lines(struct span data, struct ksyms_table *t, struct load_state *st)
{
	struct cursor c = { .data = data };
	const char *s;
	size_t len;

	while (next_line(&c, &s, &len)) {
		struct line l;
		if (len == 0)
			continue;
		const char *why = parse_line(s, len, &l);
		if (why)
			return line_error(&c, s, len, why);
		if (!add_line(t, &l, st))
			return &ks_enomem;
	}
	if (t->count == 0)
		return ks_error_at((int64_t)data.origin, "no symbols in the list (only blank lines)");
	return NULL;
}

struct ksyms_error *ks_textmap_load(struct span data, const char *path, enum ksyms_source_kind kind,
				    struct ksyms_table **ret)
{
	struct ksyms_table *t = ks_table_new();
	struct load_state st = { .all_zero = true };

	/* one symbol per ~40 bytes of text: a good first reservation */
	if (!t || !ks_table_reserve(t, data.len / 40 + 16, data.len / 2 + 16)) {
		ksyms_table_destroy(t);
		return &ks_enomem;
	}
	struct ksyms_error *err = load_lines(data, t, &st);
	if (err) {
		ksyms_table_destroy(t);
		return err;
	}
	fill_info(t, choose_kind(kind, path, &st), st.max_digits, st.all_zero);
	ks_table_addresses_stated(t);
	*ret = t;
	return NULL;
}
