// SPDX-License-Identifier: MIT
/* ksyms gen: kallsyms tables from a System.map, in a synthetic image. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

enum { OPT_GEN_BITS = 0x100, OPT_GEN_ENDIAN, OPT_GEN_BASE, OPT_ELF, OPT_NO_FILTER, OPT_TEXT_ONLY, OPT_PERCPU,
       OPT_BANNER, OPT_LIST_LAYOUTS };

static const struct opt gen_opts[] = {
	{ "output", 'o', "OUT", "the image to write ('-' = stdout)" },
	{ "force", 'f', NULL, "overwrite OUT if it exists" },
	{ "layout", 'l', "NAME", "table layout (default 6.4; see --list-layouts)" },
	{ "bits", OPT_GEN_BITS, "32|64", "kernel word size (default 64)" },
	{ "endian", OPT_GEN_ENDIAN, "little|big", "byte order (default little)" },
	{ "base", OPT_GEN_BASE, "ADDR",
	  "the image's load address: the virtual address of its first byte\n"
	  "(default: the address of _text, else the lowest symbol's, rounded\n"
	  "down to 4 KiB); 7.0 raw images need it again for `ksyms list`" },
	{ "elf", OPT_ELF, NULL, "write a minimal ELF (one PT_LOAD at ADDR), not a raw image" },
	{ "no-filter", OPT_NO_FILTER, NULL, "keep every symbol (the input is already a kallsyms list)" },
	{ "text-only", OPT_TEXT_ONLY, NULL, "keep only text symbols, as without CONFIG_KALLSYMS_ALL" },
	{ "absolute-percpu", OPT_PERCPU, NULL, "per-cpu symbols become type A (x86-64 -percpu layouts)" },
	{ "banner", OPT_BANNER, "TEXT", "the 'Linux version ...' line to embed" },
	{ "list-layouts", OPT_LIST_LAYOUTS, NULL, "print the layout names and what they stand for" },
	{ "verbose", 'v', NULL, "print what was written: symbols kept, where each table is" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec gen_spec = {
	.name = "gen",
	.usage = "gen [OPTIONS] -o OUT SYSTEM_MAP",
	.about = "Build kallsyms tables from a symbol list the way the kernel build does (filter,\n"
		 "sort, compress) and write them into a synthetic kernel image that `ksyms list`\n"
		 "reads back.  SYSTEM_MAP holds 'ADDRESS TYPE NAME' lines (System.map, nm -n,\n"
		 "/proc/kallsyms; module lines are skipped); '-' reads stdin.\n",
	.opts = gen_opts,
	.groups = 0,
};

struct gen_args {
	const char *out, *layout, *input;
	bool force, has_base;
	struct ksyms_gen_opts opts;
};

/* The symbol list: the input file's bytes, cut in place into names. */
struct symbols {
	char *text;
	struct ksyms_gen_symbol *v;
	size_t n, cap;
};

static void symbols_free(struct symbols *s)
{
	free(s->text);
	free(s->v);
}

/* ------------------------------------------------------------------------ */
/* Reading the input */

static char *read_all(FILE *f, size_t *ret_len)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);

	while (buf) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (ferror(f) || feof(f))
			break;
		char *b = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
		if (!b) {
			free(buf);
			return NULL;
		}
		buf = b;
		cap *= 2;
	}
	if (!buf || ferror(f)) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	*ret_len = len;
	return buf;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split @line into at most @max fields separated by blanks. */
static size_t split(char *line, char **field, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (*p) {
		while (is_blank(*p))
			*p++ = 0;
		if (!*p)
			break;
		if (n == max)
			return max + 1;
		field[n++] = p;
		while (*p && !is_blank(*p))
			p++;
	}
	return n;
}

static bool parse_address(const char *s, uint64_t *ret)
{
	uint64_t v = 0;
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; *s; s++, n++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' : *s >= 'a' && *s <= 'f' ? *s - 'a' + 10
			: *s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : -1;
		if (d < 0 || n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*ret = v;
	return n > 0;
}

/* nm types are letters, and '?' for symbols in unknown sections */
static bool is_type(char c)
{
	return c > ' ' && c < 0x7f;
}

static bool is_module_field(const char *s)
{
	size_t n = strlen(s);
	return n >= 3 && s[0] == '[' && s[n - 1] == ']';
}

enum line_result { LINE_OK, LINE_MALFORMED, LINE_NOMEM };

/* One line.  Empty lines and module lines are accepted and skipped. */
static enum line_result parse_line(char *line, struct symbols *s)
{
	char *f[4];
	size_t n = split(line, f, 4);
	uint64_t addr;

	if (n == 0)
		return LINE_OK;
	if (n == 4 && is_module_field(f[3]))
		return LINE_OK; /* a module symbol of /proc/kallsyms: "name\t[mod]" */
	if (n != 3 || !parse_address(f[0], &addr) || f[1][1] || !is_type(f[1][0]))
		return LINE_MALFORMED;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		struct ksyms_gen_symbol *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return LINE_NOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = (struct ksyms_gen_symbol){ .addr = addr, .type = f[1][0], .name = f[2] };
	return LINE_OK;
}

static int read_symbols(const char *path, struct symbols *s)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	size_t len = 0;

	if (!f) {
		fprintf(stderr, "%s: '%s': %s\n", progname, path, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	s->text = read_all(f, &len);
	int e = errno;
	if (!is_stdin)
		fclose(f);
	if (!s->text) {
		fprintf(stderr, "%s: '%s': cannot read: %s\n", progname, path, strerror(e));
		return EXIT_BAD_INPUT;
	}
	if (memchr(s->text, 0, len)) {
		fprintf(stderr, "%s: '%s': not a symbol list (it contains NUL bytes)\n", progname, path);
		return EXIT_BAD_INPUT;
	}
	size_t lineno = 0;
	for (char *line = s->text, *next; line < s->text + len; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : s->text + len;
		if (nl)
			*nl = 0;
		if (nl > line && nl[-1] == '\r')
			nl[-1] = 0;
		lineno++;
		enum line_result r = parse_line(line, s);
		if (r == LINE_MALFORMED) {
			fprintf(stderr, "%s: '%s':%zu: malformed line (expected 'ADDRESS TYPE NAME')\n", progname, path,
				lineno);
			return EXIT_BAD_INPUT;
		}
		if (r == LINE_NOMEM) {
			fprintf(stderr, "%s: '%s': out of memory\n", progname, path);
			return EXIT_BAD_INPUT;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Options */

static void list_layouts(void)
{
	for (const char *const *p = ksyms_layout_preset_names(); *p; p++) {
		struct ksyms_layout l;
		struct ksyms_error *err = ksyms_layout_preset(*p, 8, &l);
		bool only32 = err != NULL;
		if (err) {
			ksyms_error_destroy(err);
			if ((err = ksyms_layout_preset(*p, 4, &l))) {
				ksyms_error_destroy(err);
				continue;
			}
		}
		printf("%-14s %s, %s addresses, seqs_of_names %s, %s name lengths%s\n", *p,
		       ksyms_table_order_name(l.order), ksyms_addr_mode_name(l.addr_mode), ksyms_seqs_pos_name(l.seqs),
		       l.name_len_bytes == 2 ? "ULEB128" : "1-byte", only32 ? " (32-bit only)" : "");
	}
}

/* The default base: where _text is, else the lowest symbol, page aligned. */
static uint64_t default_base(const struct symbols *s)
{
	uint64_t lo = s->n ? UINT64_MAX : 0;

	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->v[i].name, "_text") == 0)
			return s->v[i].addr & ~0xfffull;
		if (s->v[i].addr < lo)
			lo = s->v[i].addr;
	}
	return lo & ~0xfffull;
}

static int parse_bits(const char *arg)
{
	unsigned long long b = parse_number("word size", arg);

	if (b != 32 && b != 64)
		usage_error(&gen_spec, "--bits takes 32 or 64, not '%s'", arg);
	return (int)(b / 8);
}

static enum ksyms_byte_order parse_endian(const char *arg)
{
	if (strcmp(arg, "little") == 0 || strcmp(arg, "le") == 0)
		return KSYMS_ENDIAN_LITTLE;
	if (strcmp(arg, "big") == 0 || strcmp(arg, "be") == 0)
		return KSYMS_ENDIAN_BIG;
	usage_error(&gen_spec, "--endian takes 'little' or 'big', not '%s'", arg);
}

static void gen_option(void *ctx, int key, const char *arg)
{
	struct gen_args *a = ctx;
	struct ksyms_gen_opts *o = &a->opts;

	switch (key) {
	case 'o': a->out = arg; break;
	case 'f': a->force = true; break;
	case 'l': a->layout = arg; break;
	case OPT_GEN_BITS: o->word_size = parse_bits(arg); break;
	case OPT_GEN_ENDIAN: o->byte_order = parse_endian(arg); break;
	case OPT_GEN_BASE: a->has_base = true; o->base = parse_number("load address", arg); break;
	case OPT_ELF: o->elf = true; break;
	case OPT_NO_FILTER: o->filter = false; break;
	case OPT_TEXT_ONLY: o->text_only = true; break;
	case OPT_PERCPU: o->absolute_percpu = true; break;
	case OPT_BANNER: o->banner = arg; break;
	case OPT_LIST_LAYOUTS: list_layouts(); exit(0);
	default: verbose++; break; /* -v */
	}
}

static void parse_args(int argc, char **argv, struct gen_args *a)
{
	struct ksyms_gen_opts *o = &a->opts;
	int i = parse_options(&gen_spec, argc, argv, NULL, gen_option, a);

	if (argc - i != 1)
		usage_error(&gen_spec, "gen takes one SYSTEM_MAP");
	if (!a->out)
		usage_error(&gen_spec, "gen needs -o OUT (or -o - for stdout)");
	a->input = argv[i];
	struct ksyms_error *err = ksyms_layout_preset(a->layout, o->word_size, &o->layout);
	if (err) {
		const char *msg = ksyms_error_message(err);
		fprintf(stderr, "%s: gen: %s (see '%s gen --list-layouts')\n", progname, msg, progname);
		ksyms_error_destroy(err);
		exit(EXIT_USAGE);
	}
}

/* ------------------------------------------------------------------------ */
/* Writing */

static bool output_allowed(const struct gen_args *a)
{
	struct stat st;

	if (strcmp(a->out, "-") == 0) {
		if (!isatty(STDOUT_FILENO))
			return true;
		fprintf(stderr, "%s: refusing to write an image to a terminal (use -o FILE, or redirect stdout)\n",
			progname);
		return false;
	}
	if (a->force || stat(a->out, &st) != 0)
		return true;
	fprintf(stderr, "%s: '%s' exists (use --force to overwrite it)\n", progname, a->out);
	return false;
}

/* -v: what was written, on stderr when the image goes to stdout. */
static void summary(const struct gen_args *a, const struct ksyms_gen_result *r, size_t input)
{
	FILE *f = strcmp(a->out, "-") == 0 ? stderr : stdout;

	fprintf(f, "%s: %zu of %zu symbols, layout %s, %d-bit %s-endian, %s image of %zu bytes at 0x%llx\n",
		a->out, r->num_syms, input, a->layout, a->opts.word_size * 8,
		a->opts.byte_order == KSYMS_ENDIAN_BIG ? "big" : "little", a->opts.elf ? "ELF" : "raw", r->size,
		(unsigned long long)a->opts.base);
	/* in file order, the order of the layout */
	for (uint64_t after = 0, next;; after = next + 1) {
		int id = -1;
		next = UINT64_MAX;
		for (int i = 0; i < KSYMS_TAB_COUNT; i++) {
			const struct ksyms_table_loc *l = &r->tables[i];
			if (l->present && l->offset >= after && l->offset < next) {
				next = l->offset;
				id = i;
			}
		}
		if (id < 0)
			break;
		const struct ksyms_table_loc *l = &r->tables[id];
		fprintf(f, "  %-24s offset 0x%-8llx address 0x%0*llx size %llu\n", ksyms_table_id_name(id),
			(unsigned long long)l->offset, a->opts.word_size * 2, (unsigned long long)l->address,
			(unsigned long long)l->size);
	}
}

int cmd_gen(int argc, char **argv)
{
	struct gen_args a = {
		.layout = "6.4",
		.opts = { .sz = sizeof(a.opts), .word_size = 8, .byte_order = KSYMS_ENDIAN_LITTLE, .filter = true },
	};
	struct symbols s = { 0 };
	struct ksyms_gen_result r;

	parse_args(argc, argv, &a);
	if (!output_allowed(&a))
		return EXIT_BAD_INPUT;
	int rc = read_symbols(a.input, &s);
	if (rc) {
		symbols_free(&s);
		return rc;
	}
	if (!a.has_base) {
		a.opts.base = default_base(&s);
		/* a 64-bit address in a 32-bit list is reported on its symbol */
		if (a.opts.word_size == 4)
			a.opts.base &= 0xffffffffu;
	}
	struct ksyms_error *err = ksyms_generate(s.v, s.n, &a.opts, &r);
	if (err) {
		report_error(a.input, err);
		symbols_free(&s);
		return EXIT_BAD_INPUT;
	}
	rc = write_output_file(a.out, a.force, r.data, r.size);
	if (!rc && verbose)
		summary(&a, &r, s.n);
	ksyms_free(r.data);
	symbols_free(&s);
	return rc;
}
