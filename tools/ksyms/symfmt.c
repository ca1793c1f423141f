// SPDX-License-Identifier: MIT
/* How symbols are written by list, addr2sym and sym2addr: the export
 * suffix, the kernel's %pS, kernel addresses as users type them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

void out_export_text(struct out *o, const struct ksyms_export *x)
{
	if (x->kind == KSYMS_EXPORT_NONE)
		return;
	out_char(o, '\t');
	out_str(o, ksyms_export_kind_name(x->kind));
	if (x->ns) {
		out_char(o, '\t');
		out_str(o, x->ns);
	}
}

void out_export_json(struct out *o, const struct ksyms_export *x)
{
	out_str(o, ",\"export\":");
	if (x->kind == KSYMS_EXPORT_NONE) {
		out_str(o, "null");
		return;
	}
	out_json_string(o, ksyms_export_kind_name(x->kind));
	if (x->ns) {
		out_char(o, ',');
		out_json_member(o, "namespace", x->ns);
	}
}

/* sprint_symbol() (kernel/kallsyms.c): "name+0xoff/0xsize", then
 * " [module]" for a module's symbol.  A symbol list does not say where a
 * module ends, so its last symbol's size is unknown: "/?". */
void out_symbol_offset(struct out *o, const struct ksyms_match *m)
{
	out_str(o, m->sym.name);
	out_printf(o, "+0x%llx/", (unsigned long long)m->offset);
	if (m->size)
		out_printf(o, "0x%llx", (unsigned long long)m->size);
	else
		out_char(o, '?');
	if (m->sym.module) {
		out_str(o, " [");
		out_str(o, m->sym.module);
		out_char(o, ']');
	}
}

char *symbol_offset_string(const struct ksyms_match *m)
{
	const char *mod = m->sym.module;
	size_t n = strlen(m->sym.name) + (mod ? strlen(mod) + 3 : 0) + 48;
	char *s = malloc(n), size[24] = "?";

	if (!s)
		return NULL;
	if (m->size)
		snprintf(size, sizeof(size), "0x%llx", (unsigned long long)m->size);
	snprintf(s, n, "%s+0x%llx/%s%s%s%s", m->sym.name, (unsigned long long)m->offset, size, mod ? " [" : "",
		 mod ? mod : "", mod ? "]" : "");
	return s;
}

int addr_digits(const struct ksyms_table *tab)
{
	return ksyms_table_info(tab)->word_size == 4 ? 8 : 16;
}

/* 32-bit MIPS System.maps list sign-extended addresses (ffffffff8xxxxxxx):
 * a 64-bit table whose every kernel address has that form. */
static bool sign_extended_table(struct ksyms_table *tab)
{
	struct ksyms_symbol s;

	return ksyms_table_info(tab)->word_size == 8 && ksyms_table_by_address(tab, 0, &s, NULL) &&
	       s.addr >= 0xffffffff80000000ull;
}

bool parse_kernel_addr(struct ksyms_table *tab, const char *s, uint64_t *ret)
{
	const char *p = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? s + 2 : s;
	char *end;

	/* kernel addresses are hex, with or without 0x, as oopses print them */
	if (!*p || strchr(p, '-') || strchr(p, '+') || *p == ' ')
		return false;
	errno = 0;
	uint64_t v = strtoull(p, &end, 16);
	if (errno || *end)
		return false;
	if (ksyms_table_info(tab)->word_size == 4 && v > 0xffffffffull) {
		if (v >> 32 != 0xffffffffull)
			return false; /* does not fit a 32-bit kernel */
		v &= 0xffffffffull;
	} else if (v <= 0xffffffffull && (v & 0x80000000ull) && sign_extended_table(tab)) {
		v |= 0xffffffff00000000ull;
	}
	*ret = v;
	return true;
}
