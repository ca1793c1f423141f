// SPDX-License-Identifier: MIT
/* ksyms addr2sym: addresses to symbol+offset/size, as the kernel's %pS. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct opt addr2sym_opts[] = {
	{ "all-aliases", 'a', NULL, "one line for each name at the symbol's address" },
	{ "json", 'j', NULL,
	  "JSON Lines: {\"addr\":\"0x...\",\"symbol\":\"name+0x1c/0x80\",\n"
	  "\"name\":...,\"offset\":N,\"size\":N,\"export\":...}" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec addr2sym_spec = {
	.name = "addr2sym",
	.usage = "addr2sym [OPTIONS] [SRC] [ADDR...]",
	.about = "Resolve kernel addresses the way the kernel's %pS prints them: the symbol\n"
		 "at or below the address (its first alias), the offset into it and its size\n"
		 "(up to the next higher symbol), and [module] for a module's symbol.\n"
		 "SRC is any symbol source: a kernel image, an ELF vmlinux, a System.map or a\n"
		 "/proc/kallsyms; without it (when the first argument is not a file), the\n"
		 "running kernel.  ADDRs are hex, with or without 0x; without ADDR arguments\n"
		 "they are read from stdin, separated by blanks or newlines.\n\n"
		 "One line per address:\n"
		 "  ADDR name+0xoff/0xsize              (ADDR as a /proc/kallsyms address)\n"
		 "  ADDR name+0xoff/0xsize [module]     (0xsize is ? for a module's last symbol)\n"
		 "  ADDR not in any symbol\n"
		 "When SRC is a kernel image, an exported symbol's line ends with a tab and\n"
		 "EXPORT_SYMBOL or EXPORT_SYMBOL_GPL, and a tab and its namespace if any;\n"
		 "no suffix means not exported.\n",
	.opts = addr2sym_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
	.epilog = "Exit status: 0 if every address resolved, 1 if one did not (or was not an\n"
		  "address, or SRC is unusable), 2 on usage errors.\n",
};

struct a2s {
	struct ksyms_table *tab;
	struct out *o;
	bool json, all_aliases;
	int digits;
	size_t unresolved;
};

static void print_export(struct a2s *c, size_t index)
{
	struct ksyms_export x;

	if (!ksyms_table_export(c->tab, index, &x))
		return; /* unknown for this source */
	if (c->json)
		out_export_json(c->o, &x);
	else
		out_export_text(c->o, &x);
}

static void print_text(struct a2s *c, uint64_t addr, const struct ksyms_match *m, size_t index)
{
	out_hex(c->o, addr, c->digits);
	out_char(c->o, ' ');
	out_symbol_offset(c->o, m);
	print_export(c, index);
	out_char(c->o, '\n');
}

static void print_json(struct a2s *c, uint64_t addr, const struct ksyms_match *m, size_t index)
{
	out_str(c->o, "{\"addr\":\"0x");
	out_hex(c->o, addr, c->digits);
	out_str(c->o, "\",");
	char *pS = symbol_offset_string(m);
	if (pS)
		out_json_member(c->o, "symbol", pS);
	else
		c->o->failed = true;
	free(pS);
	out_char(c->o, ',');
	out_json_member(c->o, "name", m->sym.name);
	out_printf(c->o, ",\"offset\":%llu,\"size\":", (unsigned long long)m->offset);
	if (m->size)
		out_printf(c->o, "%llu", (unsigned long long)m->size);
	else
		out_str(c->o, "null");
	if (m->sym.module) {
		out_char(c->o, ',');
		out_json_member(c->o, "module", m->sym.module);
	}
	print_export(c, index);
	out_str(c->o, "}\n");
}

static void print_match(struct a2s *c, uint64_t addr, const struct ksyms_match *m, size_t index)
{
	(c->json ? print_json : print_text)(c, addr, m, index);
}

static void print_unresolved(struct a2s *c, const char *token, uint64_t addr, bool parsed)
{
	c->unresolved++;
	if (!parsed) {
		fprintf(stderr, "%s: '%s' is not a kernel address\n", progname, token);
		return;
	}
	if (c->json) {
		out_str(c->o, "{\"addr\":\"0x");
		out_hex(c->o, addr, c->digits);
		out_str(c->o, "\",\"symbol\":null,\"error\":\"not in any symbol\"}\n");
		return;
	}
	out_hex(c->o, addr, c->digits);
	out_str(c->o, " not in any symbol\n");
}

/* Every alias at the match's address, in table order (the first is the
 * one the kernel prints). */
static void print_aliases(struct a2s *c, uint64_t addr, const struct ksyms_match *m)
{
	for (size_t k = 0; k < m->aliases; k++) {
		struct ksyms_match a = *m;
		size_t index;
		if (!ksyms_table_by_address(c->tab, m->alias_pos + k, &a.sym, &index))
			break;
		print_match(c, addr, &a, index);
	}
}

static void resolve(struct a2s *c, const char *token)
{
	uint64_t addr = 0;
	struct ksyms_match m;

	if (!parse_kernel_addr(c->tab, token, &addr)) {
		print_unresolved(c, token, 0, false);
		return;
	}
	if (!ksyms_table_lookup_addr(c->tab, addr, &m)) {
		print_unresolved(c, token, addr, true);
		return;
	}
	if (c->all_aliases && !m.sym.module)
		print_aliases(c, addr, &m);
	else
		print_match(c, addr, &m, m.index);
}

/* Whitespace-separated tokens from stdin, any line length. */
static void resolve_stdin(struct a2s *c)
{
	char tok[128];
	size_t n = 0;
	int ch;

	do {
		ch = getchar();
		if (ch != EOF && !isspace(ch)) {
			if (n < sizeof(tok) - 1)
				tok[n++] = (char)ch;
			continue;
		}
		if (n) {
			tok[n] = 0;
			resolve(c, tok);
			n = 0;
		}
	} while (ch != EOF && !c->o->failed);
}

/* Text-only tables (no CONFIG_KALLSYMS_ALL) resolve no data address:
 * worth one hint when something did not resolve.  Such a table has no
 * _end, which every System.map and KALLSYMS_ALL table has. */
static void hint_text_only(struct ksyms_table *tab, const char *path)
{
	size_t pos;

	if (ksyms_table_lookup_name(tab, "_end", &pos) || !ksyms_table_lookup_name(tab, "_stext", &pos))
		return;
	fprintf(stderr,
		"%s: '%s': note: the table has text symbols only (a kernel built without "
		"CONFIG_KALLSYMS_ALL): data addresses are in no symbol\n",
		progname, path);
}

static void addr2sym_option(void *ctx, int key, const char *arg)
{
	struct a2s *c = ctx;

	(void)arg;
	if (key == 'a')
		c->all_aliases = true;
	else
		c->json = true;
}

int cmd_addr2sym(int argc, char **argv)
{
	struct input_opts in;
	struct a2s c = { 0 };
	struct out o;
	char *running = NULL;
	const char *path;
	int rc;

	input_opts_init(&in);
	in.need_addresses = true;
	int i = parse_options(&addr2sym_spec, argc, argv, &in, addr2sym_option, &c);
	/* the first argument is SRC unless it is an address and no file */
	if (i < argc && (names_file(argv[i]) || strspn(argv[i], "0123456789abcdefABCDEFxX") != strlen(argv[i]))) {
		path = argv[i++];
		if (strcmp(path, "-") == 0 && i == argc)
			usage_error(&addr2sym_spec, "SRC is stdin ('-'), so the addresses must be arguments");
		rc = open_table(path, &in, NULL, &c.tab);
	} else {
		rc = open_running_table(&in, true, &c.tab, &running);
		path = running;
	}
	if (rc)
		return rc;
	out_init(&o);
	c.o = &o;
	c.digits = addr_digits(c.tab);
	if (i < argc)
		for (; i < argc && !o.failed; i++)
			resolve(&c, argv[i]);
	else
		resolve_stdin(&c);
	rc = out_finish(&o);
	if (c.unresolved && !c.json)
		hint_text_only(c.tab, path);
	ksyms_table_destroy(c.tab);
	free(running);
	return rc ? rc : c.unresolved ? EXIT_BAD_INPUT : 0;
}
