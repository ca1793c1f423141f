// SPDX-License-Identifier: MIT
/* ksyms list: the symbol table as /proc/kallsyms prints it. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { OPT_EXPORTED = 0x100, OPT_UNEXPORTED };

static const struct opt list_opts[] = {
	{ "type", 't', "LETTERS", "keep symbols whose type is one of LETTERS (e.g. tT)" },
	{ "substring", 's', "TEXT", "keep names containing TEXT (repeatable)" },
	{ "glob", 'g', "PATTERN", "keep names matching the shell PATTERN (repeatable)" },
	{ "exported", OPT_EXPORTED, NULL,
	  "keep symbols exported to modules (the image's __ksymtab), each\n"
	  "followed by a tab and EXPORT_SYMBOL or EXPORT_SYMBOL_GPL (and a\n"
	  "tab and the namespace, if any); exported symbols that kallsyms\n"
	  "lacks (data, without CONFIG_KALLSYMS_ALL) follow with type '?'.\n"
	  "A 'T' alone does not mean exported." },
	{ "unexported", OPT_UNEXPORTED, NULL, "keep symbols that are not exported" },
	{ "json", 'j', NULL, "JSON Lines: {\"addr\":\"0x...\",\"type\":\"T\",\"name\":\"...\"}" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec list_spec = {
	.name = "list",
	.usage = "list [OPTIONS] [SRC]",
	.about = "Print the kernel's symbol table in table order, as /proc/kallsyms does:\n"
		 "'%016lx %c %s' on 64-bit kernels, '%08lx' on 32-bit ones.  SRC is any symbol\n"
		 "source (a kernel image, an ELF vmlinux, a System.map, a /proc/kallsyms; '-' reads\n"
		 "stdin); without SRC, the running kernel.\n",
	.opts = list_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
};

/* -t, -s, -g, and --exported or --unexported on top */
struct list_filter {
	struct name_filter names;
	int exports; /* 0 all, OPT_EXPORTED or OPT_UNEXPORTED */
};

static bool keep(const struct list_filter *f, const struct ksyms_symbol *s, const struct ksyms_export *x)
{
	if (f->exports && (x->kind != KSYMS_EXPORT_NONE) != (f->exports == OPT_EXPORTED))
		return false;
	return name_filter_keep(&f->names, s);
}

static void print_text(struct out *o, const struct ksyms_symbol *s, const struct ksyms_export *x, int digits)
{
	if (!s->module && x->kind == KSYMS_EXPORT_NONE) {
		out_symbol_line(o, s->addr, digits, s->type, s->name);
		return;
	}
	char sep[3] = { ' ', s->type, ' ' };

	out_hex(o, s->addr, digits);
	out_bytes(o, sep, 3);
	out_str(o, s->name);
	if (s->module) {
		out_str(o, "\t[");
		out_str(o, s->module);
		out_char(o, ']');
	}
	out_export_text(o, x);
	out_char(o, '\n');
}

static void print_json(struct out *o, const struct ksyms_symbol *s, const struct ksyms_export *x, int digits)
{
	out_str(o, "{\"addr\":\"0x");
	out_hex(o, s->addr, digits);
	out_str(o, "\",\"type\":\"");
	out_char(o, s->type);
	out_str(o, "\",");
	out_json_member(o, "name", s->name);
	if (s->module) {
		out_char(o, ',');
		out_json_member(o, "module", s->module);
	}
	if (x->kind != KSYMS_EXPORT_NONE)
		out_export_json(o, x);
	out_str(o, "}\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of the entries that name a table symbol, sorted (NULL if none
 * or out of memory: then nothing is shadowed). */
static const char **placed_export_names(const struct ksyms_table *tab, size_t *ret_n)
{
	size_t n = ksyms_table_export_count(tab), m = 0;
	const char **names = malloc((n ? n : 1) * sizeof(*names));
	struct ksyms_export x;

	for (size_t i = 0; names && i < n; i++)
		if (ksyms_table_export_at(tab, i, &x) && x.index != SIZE_MAX)
			names[m++] = x.name;
	if (names)
		qsort(names, m, sizeof(*names), cmp_str);
	*ret_n = m;
	return names;
}

/* Exported symbols the table does not have: kallsyms without
 * CONFIG_KALLSYMS_ALL keeps text only, so exported data has no line of
 * its own.  Its address comes from the ksymtab entry; its type is unknown.
 * Some images hold 0 there, for the boot-time relocation to fill in.  A
 * name exported again by an entry the table does place is not repeated:
 * 5.10 arm64 links the KVM nVHE hypervisor's own copies of memcpy and
 * friends into __ksymtab under the same names, at the hypervisor's
 * addresses, which kallsyms leaves out. */
static void print_missing_exports(struct out *o, const struct ksyms_table *tab, const struct list_filter *f, bool json,
				  int digits, const char *path)
{
	size_t n = ksyms_table_export_count(tab), unplaced = 0, nplaced;
	const char **placed = placed_export_names(tab, &nplaced);

	for (size_t i = 0; i < n && !o->failed; i++) {
		struct ksyms_export x;
		if (!ksyms_table_export_at(tab, i, &x) || x.index != SIZE_MAX)
			continue;
		if (placed && bsearch(&x.name, placed, nplaced, sizeof(*placed), cmp_str))
			continue;
		struct ksyms_symbol s = { .addr = x.addr, .name = x.name, .type = '?' };
		if (!keep(f, &s, &x))
			continue;
		if (!x.addr) {
			unplaced++;
			continue;
		}
		(json ? print_json : print_text)(o, &s, &x, digits);
	}
	free(placed);
	if (unplaced)
		fprintf(stderr, "%s: '%s': note: %zu exported symbols are not listed: kallsyms lacks them and the "
			"image leaves their address to boot-time relocation\n", progname, path, unplaced);
}

/* --exported or --unexported on a table without a ksymtab: say so. */
static bool exports_usable(const char *path, const struct ksyms_table *tab)
{
	const struct ksyms_exports_info *xi = ksyms_table_exports(tab);

	if (xi->known)
		return true;
	fprintf(stderr, "%s: '%s': exported symbols unknown: %s\n", progname, path, xi->unknown_reason);
	return false;
}

/* Print the table of @path (NULL: the running kernel) as the options say. */
static int list(const char *path, struct input_opts *in, const struct list_filter *f, bool json)
{
	struct ksyms_table *tab;
	char *running = NULL;
	/* without an export filter the kallsyms tables are all it needs:
	 * a compressed kernel is decompressed only as far as them */
	in->open.kallsyms_only = !f->exports;
	int rc = path ? open_table(path, in, NULL, &tab) : open_running_table(in, true, &tab, &running);
	if (rc)
		return rc;
	if (running)
		path = running;
	if (f->exports && !exports_usable(path, tab)) {
		ksyms_table_destroy(tab);
		return EXIT_BAD_INPUT;
	}
	const struct ksyms_info *info = ksyms_table_info(tab);
	if (info->addresses_hidden)
		fprintf(stderr, "%s: '%s': warning: every address is 0: kptr_restrict hides them from this reader\n",
			progname, path);
	if (!info->base_known && info->layout.addr_mode == KSYMS_ADDR_PC_RELATIVE)
		fprintf(stderr, "%s: '%s': warning: the load address is unknown; addresses are offsets into the kernel (use --base)\n",
			progname, path);
	int digits = info->word_size == 4 ? 8 : 16;
	struct out o;
	out_init(&o);
	size_t n = ksyms_table_count(tab);
	bool filtering = f->exports || name_filter_active(&f->names);
	for (size_t i = 0; i < n && !o.failed; i++) {
		struct ksyms_symbol s;
		struct ksyms_export x = { .kind = KSYMS_EXPORT_NONE };
		if (f->exports)
			ksyms_table_export(tab, i, &x);
		if (!ksyms_table_symbol(tab, i, &s) || (filtering && !keep(f, &s, &x)))
			continue;
		(json ? print_json : print_text)(&o, &s, &x, digits);
	}
	if (f->exports == OPT_EXPORTED)
		print_missing_exports(&o, tab, f, json, digits, path);
	rc = out_finish(&o);
	ksyms_table_destroy(tab);
	free(running);
	return rc;
}

struct list_args {
	struct list_filter f;
	bool json;
};

static void list_option(void *ctx, int key, const char *arg)
{
	struct list_args *a = ctx;

	if (name_filter_option(&a->f.names, key, arg))
		return;
	if (key == 'j')
		a->json = true;
	else
		a->f.exports = key; /* OPT_EXPORTED or OPT_UNEXPORTED */
}

int cmd_list(int argc, char **argv)
{
	struct input_opts in;
	struct list_args a = { .json = false };

	input_opts_init(&in);
	if (!name_filter_init(&a.f.names, argc))
		return EXIT_BAD_INPUT;
	int i = parse_options(&list_spec, argc, argv, &in, list_option, &a);
	if (argc - i > 1)
		usage_error(&list_spec, "list takes at most one SRC");
	int rc = list(i < argc ? argv[i] : NULL, &in, &a.f, a.json);
	name_filter_free(&a.f.names);
	return rc;
}
