// SPDX-License-Identifier: MIT
/*
 * Symbolizing kernel logs: annotate every kernel address with what %pS
 * would print for it, check every symbol the log already names.
 *
 * Per token of a line (scan.c):
 * - an address followed by a logged symbol ("[<addr>] func+0x1c/0x80"):
 *   the pair is checked; the log needs nothing added;
 * - "[<addr>]" followed by another token of the same value (the riscv
 *   "[<addr>] 0xaddr" of a kernel without kallsyms, x86's old doubled RIP):
 *   the second one is annotated;
 * - any other address the table resolves, after the slide: annotated.  In
 *   %pS positions ("0x" plus pointer-width hex, "[<addr>]") the annotation
 *   reads like the kernel's own " func+0x1c/0x80"; next to other numbers
 *   (register and stack dumps) it is put in parentheses;
 * - a logged symbol without address: its name and size are checked.
 * The rest of the line is copied byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "symbolize.h"
#include "core/error.h"
#include "table/table.h"

/* ------------------------------------------------------------------------ */
/* creating */

static bool opts_ok(const struct ksyms_symbolize_opts *o)
{
	if (!o)
		return true;
	if (o->sz < sizeof(size_t))
		return false;
	for (size_t i = sizeof(*o); i < o->sz; i++) {
		if (((const uint8_t *)o)[i])
			return false; /* options from a newer libksyms */
	}
	return true;
}

/* x86 call traces print %pB: the symbol of the return address minus 1,
 * so that a call at the very end of a function names that function. */
static bool arch_prints_backtrace(const char *arch)
{
	return arch && (strcmp(arch, "x86_64") == 0 || strcmp(arch, "i386") == 0);
}

static int guess_word_size(struct ksyms_table *tab)
{
	struct ksyms_symbol sym;

	for (size_t i = 0; ksyms_table_symbol(tab, i, &sym); i++) {
		if (sym.addr > UINT32_MAX)
			return 8;
	}
	return 4;
}

static void read_table_facts(struct ksyms_symbolizer *s)
{
	const struct ksyms_info *info = ksyms_table_info(s->tab);
	size_t pos;

	s->word_size = info->word_size == 4 || info->word_size == 8 ? info->word_size : guess_word_size(s->tab);
	s->addr_mask = s->word_size == 4 ? UINT32_MAX : UINT64_MAX;
	s->arch_known = info->arch != NULL;
	s->backtrace_pb = arch_prints_backtrace(info->arch);
	s->all_symbols = s->tab->idx.all;
	s->has_modules = s->tab->idx.nmod > 0;
	if (ksyms_table_lookup_name(s->tab, "_text", &pos)) {
		struct ksyms_symbol sym;
		s->has_text = ksyms_table_by_name(s->tab, pos, &sym, NULL);
		s->table_text = sym.addr;
	}
}

struct ksyms_error *ksyms_symbolizer_create(struct ksyms_table *tab, const struct ksyms_symbolize_opts *opts,
					    struct ksyms_symbolizer **ret)
{
	struct ksyms_symbolize_opts o = { .sz = sizeof(o) };
	struct ksyms_error *err;

	if (!tab || !ret || !opts_ok(opts))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_symbolizer_create");
	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	err = ksyms_table_prepare(tab);
	if (err)
		return err;
	struct ksyms_symbolizer *s = calloc(1, sizeof(*s));
	if (!s)
		return &ks_enomem;
	s->tab = tab;
	read_table_facts(s);
	s->replace = o.replace;
	if (o.has_base && !s->has_text) {
		free(s);
		return ks_error(KSYMS_ERR_NOT_FOUND, "the table has no _text to take the base from: give the slide");
	}
	s->given = o.has_slide || o.has_base;
	s->given_slide = (o.has_base ? o.base - s->table_text : o.slide) & s->addr_mask;
	s->dirty = true;
	*ret = s;
	return NULL;
}

void ksyms_symbolizer_destroy(struct ksyms_symbolizer *s)
{
	if (!s)
		return;
	free(s->votes);
	free(s->toks.v);
	free(s->ann);
	ks_buf_free(&s->out);
	free(s);
}

/* ------------------------------------------------------------------------ */
/* gathering evidence */

static size_t without_newline(const char *line, size_t len)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	return len;
}

static bool is_address(const struct ks_tok *t)
{
	return t->kind != KS_TOK_NAMED;
}

struct ksyms_error *ksyms_symbolizer_scan(struct ksyms_symbolizer *s, const char *line, size_t len)
{
	struct ks_kernel_offset ko;

	if (!s || (!line && len))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_symbolizer_scan");
	len = without_newline(line, len);
	s->scanned++;
	if (ks_parse_kernel_offset(line, len, &ko)) {
		ks_slide_add_offset(s, &ko, s->scanned);
		return NULL;
	}
	if (ks_skip_line(line, len))
		return NULL;
	if (!s->arch_known && !s->backtrace_pb)
		s->backtrace_pb = ks_x86_line(line, len);
	if (!ks_scan_line(line, len, s->word_size, &s->toks))
		return &ks_enomem;
	for (size_t i = 0; i < s->toks.n; i++) {
		const struct ks_tok *a = &s->toks.v[i];
		const struct ks_tok *b = ks_tok_next(&s->toks, i, line);
		/* module addresses do not move with the kernel: no evidence */
		if (!is_address(a) || !b || b->kind != KS_TOK_NAMED || b->mod_len || !ks_tok_name(s, line, b))
			continue;
		if (!ks_slide_add_frame(s, a->addr, s->name, b->off))
			return &ks_enomem;
	}
	return NULL;
}

const struct ksyms_slide_info *ksyms_symbolizer_slide(struct ksyms_symbolizer *s)
{
	if (!s)
		return NULL;
	ks_slide_settle(s);
	return &s->slide;
}

/* ------------------------------------------------------------------------ */
/* resolving */

static bool lookup(struct ksyms_symbolizer *s, uint64_t a, bool backtrace, struct ksyms_match *m)
{
	if (!backtrace)
		return ksyms_table_lookup_addr(s->tab, a, m);
	/* %pB: the call's own symbol, then the offset of the return address */
	if (a == 0 || !ksyms_table_lookup_addr(s->tab, a - 1, m))
		return false;
	m->offset++;
	return true;
}

/* What the kernel printed for a logged address.  The kernel moves by the
 * slide; modules are where a /proc/kallsyms of the same boot says. */
static bool resolve(struct ksyms_symbolizer *s, uint64_t addr, bool backtrace, struct ksyms_match *m)
{
	uint64_t slide = s->slide.slide;
	bool found = lookup(s, (addr - slide) & s->addr_mask, backtrace, m);

	if (slide == 0 || !s->has_modules || (found && !m->sym.module))
		return found;
	return lookup(s, addr, backtrace, m) && m->sym.module;
}

/* Size of the symbol at @addr as the kernel computes it; 0 if unknown. */
static bool size_at(struct ksyms_symbolizer *s, uint64_t addr, uint64_t *ret)
{
	struct ksyms_match m;

	if (!ksyms_table_lookup_addr(s->tab, addr, &m) || m.sym.addr != addr)
		return false;
	*ret = m.size;
	return true;
}

static bool same_module(const char *line, const struct ks_tok *t, const char *mod)
{
	if (!t->mod_len)
		return !mod;
	return mod && strlen(mod) == t->mod_len && memcmp(line + t->mod_start, mod, t->mod_len) == 0;
}

/* ------------------------------------------------------------------------ */
/* output */

static bool put(struct ksyms_symbolizer *s, const void *p, size_t n)
{
	return ks_buf_append(&s->out, p, n);
}

static bool put_str(struct ksyms_symbolizer *s, const char *str)
{
	return put(s, str, strlen(str));
}

static bool put_hex(struct ksyms_symbolizer *s, uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[18];
	size_t n = sizeof(tmp);

	do {
		tmp[--n] = digits[v & 15];
		v >>= 4;
	} while (v);
	tmp[--n] = 'x';
	tmp[--n] = '0';
	return put(s, tmp + n, sizeof(tmp) - n);
}

/* "func+0x1c/0x80 [mod]": kallsyms' "%s+%#lx/%#lx", whose %#lx prints
 * "0x0" for zero (unlike C's printf). */
static bool put_symbol(struct ksyms_symbolizer *s, const struct ksyms_match *m)
{
	bool ok = put_str(s, m->sym.name) && put(s, "+", 1) && put_hex(s, m->offset) && put(s, "/", 1) &&
		  put_hex(s, m->size);
	if (ok && m->sym.module)
		ok = put(s, " [", 2) && put_str(s, m->sym.module) && put(s, "]", 1);
	return ok;
}

/* Copy the line up to @upto. */
static bool copy_to(struct ksyms_symbolizer *s, const char *line, size_t *pos, size_t upto)
{
	bool ok = upto <= *pos || put(s, line + *pos, upto - *pos);
	if (upto > *pos)
		*pos = upto;
	return ok;
}

static struct ksyms_annotation *new_annotation(struct ksyms_symbolizer *s, const struct ks_tok *t)
{
	if (!ks_grow((void **)&s->ann, &s->ann_cap, s->nann + 1, sizeof(*s->ann)))
		return NULL;
	struct ksyms_annotation *a = &s->ann[s->nann++];
	memset(a, 0, sizeof(*a));
	a->start = t->start;
	a->len = t->end - t->start;
	return a;
}

/* ------------------------------------------------------------------------ */
/* checking what the log names */

static const char NO_SUCH_SYMBOL[] = "no such symbol in the table";
static const char OTHER_SIZE[] = "another size in the table";
static const char OTHER_SYMBOL[] = "something else at this address in the table";
static const char NO_SYMBOL_HERE[] = "no symbol at this address in the table";
static const char UNRESOLVED[] = "the table has it where the kernel resolves no address";

/* The candidates for a logged name: symbols of that name in the logged
 * module (or the kernel), at @want when @has_want. */
static void check_candidates(struct ksyms_symbolizer *s, const char *line, const struct ks_tok *t, bool has_want,
			     uint64_t want, struct ksyms_annotation *a)
{
	size_t pos, n = ksyms_table_lookup_name(s->tab, s->name, &pos);
	bool any = false, named = false;

	for (size_t k = 0; k < n; k++) {
		struct ksyms_symbol sym;
		uint64_t size;
		if (!ksyms_table_by_name(s->tab, pos + k, &sym, NULL) || !same_module(line, t, sym.module))
			continue;
		if (has_want && sym.addr != want)
			continue;
		named = true;
		if (!size_at(s, sym.addr, &size))
			continue; /* before _stext, say: %pS never prints it */
		if (!any) { /* the first candidate says what the table has */
			any = true;
			a->resolved = true;
			ksyms_table_lookup_addr(s->tab, sym.addr, &a->match);
			a->match.offset = t->off;
		}
		/* size 0: the table cannot tell (the last symbol); %pB may print offset == size */
		if (size == 0 || (size == t->size && t->off <= size)) {
			ksyms_table_lookup_addr(s->tab, sym.addr, &a->match);
			a->match.offset = t->off;
			a->kind = KSYMS_ANNOT_CHECKED;
			return;
		}
	}
	a->kind = KSYMS_ANNOT_MISMATCH;
	a->reason = any ? OTHER_SIZE : named ? UNRESOLVED : NO_SUCH_SYMBOL;
}

/* A logged symbol, and the address logged just before it if any. */
static void check_named(struct ksyms_symbolizer *s, const char *line, const struct ks_tok *addr,
			const struct ks_tok *t, struct ksyms_annotation *a)
{
	a->start = t->start;
	a->len = t->end - t->start;
	a->has_addr = addr != NULL;
	a->addr = addr ? addr->addr : 0;
	if (t->mod_len && !s->has_modules) {
		a->kind = KSYMS_ANNOT_UNCHECKED; /* an image or System.map has no modules */
		return;
	}
	if (!ks_tok_name(s, line, t)) {
		a->kind = KSYMS_ANNOT_MISMATCH;
		a->reason = NO_SUCH_SYMBOL;
		return;
	}
	uint64_t run = addr ? addr->addr : 0;
	if (addr && !t->mod_len)
		run -= s->slide.slide;
	run &= s->addr_mask;
	check_candidates(s, line, t, addr != NULL, (run - t->off) & s->addr_mask, a);
	if (a->kind != KSYMS_ANNOT_MISMATCH || a->reason != NO_SUCH_SYMBOL)
		return;
	if (addr) { /* say what the table has at the logged address instead */
		a->resolved = resolve(s, addr->addr, false, &a->match);
		a->reason = a->resolved ? OTHER_SYMBOL : NO_SYMBOL_HERE;
	}
	/* without data symbols in the table, an unknown name may be data */
	if (!a->resolved && !s->all_symbols && ksyms_table_lookup_name(s->tab, s->name, NULL) == 0)
		a->kind = KSYMS_ANNOT_UNCHECKED;
}

/* " (ksyms: the table has func+0x1c/0x90)" after a disagreeing symbol. */
static bool put_mismatch(struct ksyms_symbolizer *s, const struct ksyms_annotation *a)
{
	bool ok = put_str(s, " (ksyms: ");
	if (a->resolved && a->reason != NO_SUCH_SYMBOL)
		ok = ok && put_str(s, "the table has ") && put_symbol(s, &a->match);
	else
		ok = ok && put_str(s, a->reason);
	return ok && put(s, ")", 1);
}

/* ------------------------------------------------------------------------ */
/* annotating */

struct line_state {
	const char *line;
	size_t len;
	size_t pos; /* bytes of the line copied out so far */
	bool marked;
};

static bool is_pointer(const struct ksyms_symbolizer *s, const struct ks_tok *t)
{
	return t->kind == KS_TOK_FRAME || (t->kind == KS_TOK_HEX0X && t->digits == (unsigned)s->word_size * 2);
}

/* The log already names what is at the address: lockdep's
 * "ffffffff82a3c520 (rtnl_mutex){+.+.}", arm's "[<c0123456>] (func) from". */
static bool names_itself(const char *line, size_t len, size_t end, const char *name)
{
	size_t n = strlen(name);

	if (len - end < n + 3 || line[end] != ' ' || line[end + 1] != '(')
		return false;
	return memcmp(line + end + 2, name, n) == 0 && line[end + 2 + n] == ')';
}

static bool annotate_address(struct ksyms_symbolizer *s, struct line_state *ls, const struct ks_tok *t)
{
	struct ksyms_match m;
	bool pointer = is_pointer(s, t);

	if (s->replace && (!pointer || t->kind != KS_TOK_HEX0X))
		return true;
	/* %pB stands where the kernel printed a symbol, never for a %px value */
	if (!resolve(s, t->addr, pointer && s->backtrace_pb && ks_trace_entry(ls->line, t->start), &m))
		return true;
	if (names_itself(ls->line, ls->len, t->end, m.sym.name))
		return true;
	struct ksyms_annotation *a = new_annotation(s, t);
	if (!a)
		return false;
	a->kind = KSYMS_ANNOT_ADDRESS;
	a->has_addr = a->resolved = true;
	a->addr = t->addr;
	a->match = m;
	s->stats.annotated++;
	if (s->replace) {
		bool ok = copy_to(s, ls->line, &ls->pos, t->start) && put_symbol(s, &m);
		ls->pos = t->end;
		return ok;
	}
	if (!copy_to(s, ls->line, &ls->pos, t->end))
		return false;
	if (pointer)
		return put(s, " ", 1) && put_symbol(s, &m);
	return put(s, " (", 2) && put_symbol(s, &m) && put(s, ")", 1);
}

static bool annotate_named(struct ksyms_symbolizer *s, struct line_state *ls, const struct ks_tok *addr,
			   const struct ks_tok *t)
{
	struct ksyms_annotation *a = new_annotation(s, t);

	if (!a)
		return false;
	check_named(s, ls->line, addr, t, a);
	switch (a->kind) {
	case KSYMS_ANNOT_CHECKED:
		s->stats.checked++;
		return true;
	case KSYMS_ANNOT_MISMATCH:
		s->stats.mismatches++;
		ls->marked = true;
		return copy_to(s, ls->line, &ls->pos, t->end) && put_mismatch(s, a);
	default:
		s->stats.unchecked++;
		return true;
	}
}

static bool annotate_tokens(struct ksyms_symbolizer *s, struct line_state *ls)
{
	const struct ks_toks *tv = &s->toks;

	for (size_t i = 0; i < tv->n; i++) {
		const struct ks_tok *t = &tv->v[i];
		const struct ks_tok *next = ks_tok_next(tv, i, ls->line);
		bool ok;
		if (!is_address(t)) {
			ok = annotate_named(s, ls, NULL, t);
		} else if (next && next->kind == KS_TOK_NAMED) {
			ok = annotate_named(s, ls, t, next);
			i++;
		} else if (next && t->kind == KS_TOK_FRAME && next->addr == t->addr) {
			ok = true; /* "[<addr>] 0xaddr", "[<addr>]  [<addr>] func": annotate the last */
		} else {
			ok = annotate_address(s, ls, t);
		}
		if (!ok)
			return false;
	}
	return true;
}

struct ksyms_error *ksyms_symbolize_line(struct ksyms_symbolizer *s, const char *line, size_t len, const char **ret,
					 size_t *ret_len)
{
	struct ks_kernel_offset ko;
	struct line_state ls = { .line = line };

	if (!s || (!line && len) || !ret || !ret_len)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_symbolize_line");
	ks_slide_settle(s);
	size_t body = without_newline(line, len);
	ls.len = body;
	s->out.len = 0;
	s->nann = 0;
	s->stats.lines++;
	if (!ks_parse_kernel_offset(line, body, &ko) && !ks_skip_line(line, body)) {
		if (!ks_scan_line(line, body, s->word_size, &s->toks) || !annotate_tokens(s, &ls))
			return &ks_enomem;
	}
	if (!copy_to(s, line, &ls.pos, len) || !ks_buf_reserve(&s->out, 1))
		return &ks_enomem;
	s->stats.mismatch_lines += ls.marked;
	*ret = (const char *)s->out.p;
	*ret_len = s->out.len;
	return NULL;
}

const struct ksyms_annotation *ksyms_symbolizer_annotations(const struct ksyms_symbolizer *s, size_t *ret_count)
{
	if (ret_count)
		*ret_count = s ? s->nann : 0;
	return s ? s->ann : NULL;
}

const struct ksyms_symbolize_stats *ksyms_symbolizer_stats(const struct ksyms_symbolizer *s)
{
	return s ? &s->stats : NULL;
}
