// SPDX-License-Identifier: MIT
/* ksyms sym2addr: names (or glob patterns) to addresses, as the kernel's
 * kallsyms_lookup_name() sees them. */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct opt sym2addr_opts[] = {
	{ "json", 'j', NULL,
	  "JSON Lines: {\"query\":...,\"addr\":\"0x...\",\"type\":...,\n"
	  "\"name\":...,\"matches\":N,\"lookup_name\":true,\"export\":...}" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec sym2addr_spec = {
	.name = "sym2addr",
	.usage = "sym2addr [OPTIONS] [SRC] NAME...",
	.about = "Print the address of each NAME, one /proc/kallsyms-style line per symbol:\n"
		 "  ADDR TYPE NAME\n"
		 "A static name defined more than once prints every definition, lowest\n"
		 "address first: the one kallsyms_lookup_name() returns, marked\n"
		 "'(1 of N: kallsyms_lookup_name)'; the others '(2 of N)'...  A NAME with\n"
		 "*, ? or [ is a shell pattern (quote it): every matching symbol, by name.\n"
		 "SRC is any symbol source; the first argument is SRC when it is a file, '-' or\n"
		 "a path with '/', otherwise every argument is a NAME in the running kernel.\n"
		 "When SRC is a kernel image, exported symbols carry a tab and EXPORT_SYMBOL\n"
		 "or EXPORT_SYMBOL_GPL (and a tab and the namespace, if any); exported data\n"
		 "that kallsyms lacks (no CONFIG_KALLSYMS_ALL) is found in the ksymtab and\n"
		 "printed with type '?'.\n",
	.opts = sym2addr_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
	.epilog = "Exit status: 0 if every NAME matched, 1 if one matched nothing (or SRC is\n"
		  "unusable), 2 on usage errors.\n",
};

struct s2a {
	struct ksyms_table *tab;
	struct out *o;
	bool json;
	int digits;
	size_t missing;
};

/* One symbol: the @k-th (0-based) of @n definitions of its name. */
struct hit {
	const char *query;
	struct ksyms_symbol sym;
	struct ksyms_export x;
	bool has_export;
	size_t k, n;
	bool lookup_name; /* the one kallsyms_lookup_name() returns */
};

static void print_text(struct s2a *c, const struct hit *h)
{
	out_hex(c->o, h->sym.addr, c->digits);
	out_char(c->o, ' ');
	out_char(c->o, h->sym.type);
	out_char(c->o, ' ');
	out_str(c->o, h->sym.name);
	if (h->sym.module)
		out_printf(c->o, "\t[%s]", h->sym.module);
	if (h->has_export)
		out_export_text(c->o, &h->x);
	if (h->n > 1)
		out_printf(c->o, "\t(%zu of %zu%s)", h->k + 1, h->n, h->lookup_name ? ": kallsyms_lookup_name" : "");
	out_char(c->o, '\n');
}

static void print_json(struct s2a *c, const struct hit *h)
{
	out_char(c->o, '{');
	out_json_member(c->o, "query", h->query);
	out_str(c->o, ",\"addr\":\"0x");
	out_hex(c->o, h->sym.addr, c->digits);
	out_str(c->o, "\",\"type\":");
	char type[2] = { h->sym.type, 0 };
	out_json_string(c->o, type);
	out_char(c->o, ',');
	out_json_member(c->o, "name", h->sym.name);
	if (h->sym.module) {
		out_char(c->o, ',');
		out_json_member(c->o, "module", h->sym.module);
	}
	out_printf(c->o, ",\"matches\":%zu,\"lookup_name\":%s", h->n, h->lookup_name ? "true" : "false");
	if (h->has_export)
		out_export_json(c->o, &h->x);
	out_str(c->o, "}\n");
}

static void print_hit(struct s2a *c, const struct hit *h)
{
	(c->json ? print_json : print_text)(c, h);
}

/* kallsyms_lookup_name() searches vmlinux before modules
 * (module_kallsyms_lookup_name), and the lowest address among equal
 * names (6.2+ binary search; the linear scan before finds the same). */
static size_t lookup_name_choice(struct ksyms_table *tab, size_t pos, size_t n)
{
	struct ksyms_symbol s;

	for (size_t k = 0; k < n; k++)
		if (ksyms_table_by_name(tab, pos + k, &s, NULL) && !s.module)
			return k;
	return 0;
}

/* Every definition of the name at name-order positions [pos, pos + n). */
static void print_name(struct s2a *c, const char *query, size_t pos, size_t n)
{
	size_t chosen = lookup_name_choice(c->tab, pos, n);

	for (size_t k = 0; k < n && !c->o->failed; k++) {
		struct hit h = { .query = query, .k = k, .n = n, .lookup_name = k == chosen };
		size_t index;
		if (!ksyms_table_by_name(c->tab, pos + k, &h.sym, &index))
			break;
		h.has_export = ksyms_table_export(c->tab, index, &h.x);
		print_hit(c, &h);
	}
}

/* An exported name kallsyms lacks (data of a kernel without
 * CONFIG_KALLSYMS_ALL): its ksymtab entry still has the address, unless
 * the image leaves that to boot-time relocation (0).  Returns how many
 * were printed; *ret_unplaced counts the others. */
static size_t print_ksymtab_only(struct s2a *c, const char *query, bool glob, size_t *ret_unplaced)
{
	size_t n = ksyms_table_export_count(c->tab), printed = 0;

	for (size_t i = 0; i < n; i++) {
		struct hit h = { .query = query, .n = 1, .lookup_name = true, .has_export = true };
		if (!ksyms_table_export_at(c->tab, i, &h.x) || h.x.index != SIZE_MAX)
			continue;
		if (glob ? fnmatch(query, h.x.name, 0) != 0 : strcmp(query, h.x.name) != 0)
			continue;
		if (!h.x.addr) {
			fprintf(stderr, "%s: '%s': exported (%s), but kallsyms lacks it and the image leaves its "
				"address to boot-time relocation\n", progname, h.x.name, ksyms_export_kind_name(h.x.kind));
			++*ret_unplaced;
			continue;
		}
		h.sym = (struct ksyms_symbol){ .addr = h.x.addr, .name = h.x.name, .type = '?' };
		print_hit(c, &h);
		printed++;
	}
	return printed;
}

/* Name order puts equal names together: each group is one name's
 * definitions, printed when the name matches @pattern. */
static size_t find_glob(struct s2a *c, const char *pattern)
{
	size_t n = ksyms_table_count(c->tab), pos = 0, printed = 0;
	struct ksyms_symbol s, t;

	while (pos < n && !c->o->failed && ksyms_table_by_name(c->tab, pos, &s, NULL)) {
		size_t end = pos + 1;
		while (end < n && ksyms_table_by_name(c->tab, end, &t, NULL) && strcmp(t.name, s.name) == 0)
			end++;
		if (fnmatch(pattern, s.name, 0) == 0) {
			print_name(c, pattern, pos, end - pos);
			printed++;
		}
		pos = end;
	}
	return printed;
}

static void not_found(struct s2a *c, const char *query)
{
	c->missing++;
	if (!c->json) {
		fprintf(stderr, "%s: '%s': no such symbol\n", progname, query);
		return;
	}
	out_char(c->o, '{');
	out_json_member(c->o, "query", query);
	out_str(c->o, ",\"error\":\"no such symbol\"}\n");
}

static void find(struct s2a *c, const char *query)
{
	size_t pos, n, unplaced = 0;
	bool glob = strpbrk(query, "*?[") != NULL;

	n = glob ? find_glob(c, query) : ksyms_table_lookup_name(c->tab, query, &pos);
	if (n && !glob)
		print_name(c, query, pos, n);
	if (glob || !n)
		n += print_ksymtab_only(c, query, glob, &unplaced);
	if (!n && !unplaced)
		not_found(c, query);
	else if (!n)
		c->missing++;
}

static void sym2addr_option(void *ctx, int key, const char *arg)
{
	(void)key;
	(void)arg;
	((struct s2a *)ctx)->json = true; /* -j */
}

int cmd_sym2addr(int argc, char **argv)
{
	struct input_opts in;
	struct s2a c = { 0 };
	struct out o;
	char *running = NULL;
	int rc;

	input_opts_init(&in);
	in.need_addresses = true;
	int i = parse_options(&sym2addr_spec, argc, argv, &in, sym2addr_option, &c);
	if (i == argc)
		usage_error(&sym2addr_spec, "sym2addr takes at least one NAME");
	if (names_file(argv[i])) {
		if (i + 1 == argc)
			usage_error(&sym2addr_spec, "sym2addr takes at least one NAME after SRC");
		rc = open_table(argv[i++], &in, NULL, &c.tab);
	} else {
		rc = open_running_table(&in, true, &c.tab, &running);
	}
	if (rc)
		return rc;
	out_init(&o);
	c.o = &o;
	c.digits = addr_digits(c.tab);
	for (; i < argc && !o.failed; i++)
		find(&c, argv[i]);
	rc = out_finish(&o);
	ksyms_table_destroy(c.tab);
	free(running);
	return rc ? rc : c.missing ? EXIT_BAD_INPUT : 0;
}
