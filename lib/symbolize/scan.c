// SPDX-License-Identifier: MIT
/*
 * The line scanner: where a kernel log line shows an address or a symbol.
 *
 * What the kernel prints, and so what is recognised:
 * - %pS / %pB with kallsyms: "func+0x1c/0x80", plus " [module]" (and a
 *   build id inside the brackets with %pSb); x86 RIP lines, call trace
 *   entries, lockdep "at:", KASAN "in func+...";
 * - %pS without kallsyms: "0x" and the address zero-padded to the pointer
 *   width (lib/vsprintf.c special_hex_number());
 * - print_ip_sym() and pre-4.x call traces: "[<ffffffff81234567>]";
 * - %px/%lx in register and stack dumps: bare hex, pointer width.
 * Tokens start and end at word boundaries so that parts of names,
 * timestamps ("[   12.345678]") and caller ids ("[T1]") never match.
 */
#include <string.h>

#include "symbolize.h"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static unsigned hex_val(char c)
{
	if (c <= '9')
		return (unsigned)(c - '0');
	return (unsigned)((c | 0x20) - 'a' + 10);
}

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Characters of kernel symbol names (C identifiers plus the compilers'
 * ".cold", ".constprop.0", ".llvm.123" suffixes and '$'). */
static bool is_name_char(char c)
{
	return is_alnum(c) || c == '_' || c == '.' || c == '$';
}

static bool is_name_start(char c)
{
	return is_name_char(c) && !(c >= '0' && c <= '9');
}

/* Read up to 16 hex digits at @p; *ret_n is how many there are (0 if
 * more than 16, which is no address). */
static uint64_t read_hex(const char *line, size_t len, size_t p, size_t *ret_n)
{
	uint64_t v = 0;
	size_t n = 0;

	while (p + n < len && is_hex(line[p + n])) {
		if (n == 16) {
			*ret_n = 0;
			return 0;
		}
		v = v << 4 | hex_val(line[p + n]);
		n++;
	}
	*ret_n = n;
	return v;
}

static bool at(const char *line, size_t len, size_t p, const char *lit)
{
	size_t n = strlen(lit);
	return p <= len && len - p >= n && memcmp(line + p, lit, n) == 0;
}

/* The end of a token must not run into a word. */
static bool ends_word(const char *line, size_t len, size_t p)
{
	return p >= len || !(is_alnum(line[p]) || line[p] == '_');
}

/* "[<" hex ">]" */
static bool scan_frame(const char *line, size_t len, size_t p, struct ks_tok *t)
{
	size_t n;

	if (!at(line, len, p, "[<"))
		return false;
	t->addr = read_hex(line, len, p + 2, &n);
	if (!n || !at(line, len, p + 2 + n, ">]"))
		return false;
	t->kind = KS_TOK_FRAME;
	t->digits = (unsigned)n;
	t->start = p;
	t->end = p + 2 + n + 2;
	return true;
}

/* "0x" hex */
static bool scan_hex0x(const char *line, size_t len, size_t p, struct ks_tok *t)
{
	size_t n;

	if (!at(line, len, p, "0x"))
		return false;
	t->addr = read_hex(line, len, p + 2, &n);
	if (!n || !ends_word(line, len, p + 2 + n))
		return false;
	t->kind = KS_TOK_HEX0X;
	t->digits = (unsigned)n;
	t->start = p;
	t->end = p + 2 + n;
	return true;
}

/* Bare hex of exactly the pointer width. */
static bool scan_hex(const char *line, size_t len, size_t p, int word_size, struct ks_tok *t)
{
	size_t n;

	t->addr = read_hex(line, len, p, &n);
	if (n != (size_t)word_size * 2 || !ends_word(line, len, p + n))
		return false;
	t->kind = KS_TOK_HEX;
	t->digits = (unsigned)n;
	t->start = p;
	t->end = p + n;
	return true;
}

/* " [module]" or " [module build-id]" after a symbol; returns its end. */
static size_t scan_module(const char *line, size_t len, size_t p, struct ks_tok *t)
{
	size_t q = p + 2;

	if (!at(line, len, p, " ["))
		return p;
	while (q < len && (is_alnum(line[q]) || line[q] == '_' || line[q] == '-'))
		q++;
	size_t mod_end = q;
	if (q == p + 2)
		return p;
	if (q < len && line[q] == ' ') { /* %pSb: the module's build id */
		size_t id = ++q;
		while (q < len && is_hex(line[q]))
			q++;
		if (q == id)
			return p;
	}
	if (q >= len || line[q] != ']')
		return p;
	t->mod_start = p + 2;
	t->mod_len = mod_end - (p + 2);
	return q + 1;
}

/* name "+0x" hex "/0x" hex */
static bool scan_named(const char *line, size_t len, size_t p, struct ks_tok *t)
{
	size_t q = p, n;

	if (!is_name_start(line[p]))
		return false;
	while (q < len && is_name_char(line[q]))
		q++;
	if (q - p > KS_SYM_NAME_MAX || !at(line, len, q, "+0x"))
		return false;
	t->name_len = q - p;
	t->off = read_hex(line, len, q + 3, &n);
	if (!n || !at(line, len, q + 3 + n, "/0x"))
		return false;
	q += 3 + n + 3;
	t->size = read_hex(line, len, q, &n);
	if (!n || !ends_word(line, len, q + n))
		return false;
	t->kind = KS_TOK_NAMED;
	t->start = p;
	t->mod_start = t->mod_len = 0;
	t->end = scan_module(line, len, q + n, t);
	return true;
}

static bool scan_at(const char *line, size_t len, size_t p, int word_size, struct ks_tok *t)
{
	char c = line[p];

	if (c == '[')
		return scan_frame(line, len, p, t);
	if (c == '0' && p + 1 < len && line[p + 1] == 'x')
		return scan_hex0x(line, len, p, t);
	if (is_name_start(c) && scan_named(line, len, p, t))
		return true;
	return is_hex(c) && scan_hex(line, len, p, word_size, t);
}

bool ks_scan_line(const char *line, size_t len, int word_size, struct ks_toks *out)
{
	size_t p = 0;

	out->n = 0;
	while (p < len) {
		struct ks_tok t;
		if (scan_at(line, len, p, word_size, &t)) {
			if (!ks_grow((void **)&out->v, &out->cap, out->n + 1, sizeof(*out->v)))
				return false;
			out->v[out->n++] = t;
			p = t.end;
			continue;
		}
		/* no token starts inside a word: skip to its end */
		if (is_name_char(line[p])) {
			while (p < len && is_name_char(line[p]))
				p++;
		} else {
			p++;
		}
	}
	return true;
}

/* Every line is searched for a few fixed strings, which start with bytes
 * rare in logs ('K', 'C', 'R', '<'): memchr() skips to the candidates. */
static const char *find(const char *line, size_t len, const char *lit)
{
	size_t n = strlen(lit);

	if (!line || len < n)
		return NULL; /* and no arithmetic on a NULL line */
	const char *p = line, *end = line + len;

	while ((size_t)(end - p) >= n && (p = memchr(p, lit[0], (size_t)(end - p) - n + 1))) {
		if (memcmp(p, lit, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

bool ks_parse_kernel_offset(const char *line, size_t len, struct ks_kernel_offset *ret)
{
	const char *k = find(line, len, "Kernel Offset: ");
	size_t n, p;

	if (!k)
		return false;
	p = (size_t)(k - line) + strlen("Kernel Offset: ");
	if (at(line, len, p, "disabled")) {
		ret->disabled = true;
		ret->offset = ret->from = 0;
		return true;
	}
	if (!at(line, len, p, "0x"))
		return false;
	uint64_t off = read_hex(line, len, p + 2, &n);
	if (!n)
		return false;
	p += 2 + n;
	if (!at(line, len, p, " from 0x"))
		return false;
	uint64_t from = read_hex(line, len, p + 8, &n);
	if (!n)
		return false;
	ret->disabled = false;
	ret->offset = off;
	ret->from = from;
	return true;
}

bool ks_skip_line(const char *line, size_t len)
{
	return find(line, len, "Code: ") != NULL;
}

bool ks_x86_line(const char *line, size_t len)
{
	return find(line, len, "RIP: ") || find(line, len, "<TASK>");
}

bool ks_trace_entry(const char *line, size_t pos)
{
	size_t p = pos;

	if (p == 0 || line[p - 1] != ' ')
		return false;
	while (p > 0 && line[p - 1] == ' ')
		p--;
	if (p > 0 && line[p - 1] == '?') {
		p--;
		while (p > 0 && line[p - 1] == ' ')
			p--;
	}
	/* the log prefix ends with a timestamp or caller id "]", a syslog
	 * level ">", or "kernel:" (journalctl, /var/log/kern.log) */
	if (p == 0 || line[p - 1] == ']' || line[p - 1] == '>')
		return true;
	return p >= 7 && memcmp(line + p - 7, "kernel:", 7) == 0;
}

const struct ks_tok *ks_tok_next(const struct ks_toks *tv, size_t i, const char *line)
{
	if (i + 1 >= tv->n)
		return NULL;
	const struct ks_tok *a = &tv->v[i], *b = &tv->v[i + 1];
	for (size_t p = a->end; p < b->start; p++) {
		if (line[p] != ' ' && line[p] != '(')
			return NULL;
	}
	return b;
}
