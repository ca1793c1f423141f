// SPDX-License-Identifier: MIT
/* ksyms symbolize: a kernel log with every kernel address annotated. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { OPT_SLIDE = 0x100, OPT_RUNTIME_TEXT, OPT_REPLACE };

static const struct opt symbolize_opts[] = {
	{ "slide", OPT_SLIDE, "N", "the KASLR slide: run-time minus SRC address (the 'Kernel\nOffset' value)" },
	{ "runtime-text", OPT_RUNTIME_TEXT, "ADDR",
	  "the run-time address of _text (grep ' _text$' /proc/kallsyms),\nwhich gives the slide" },
	{ "replace", OPT_REPLACE, NULL,
	  "rewrite the 0x... addresses a kernel without kallsyms prints\n"
	  "for %pS as func+0x1c/0x80: the log as a kernel with kallsyms\n"
	  "would have printed it; add nothing else" },
	{ "json", 'j', NULL, "the findings as one JSON object instead of the log" },
	{ "quiet", 'q', NULL, "no note about the slide on stderr" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec symbolize_spec = {
	.name = "symbolize",
	.usage = "symbolize [OPTIONS] [SRC [LOG]]",
	.about = "Print a kernel log (oops, panic, warning, KASAN, lockdep, hung task, soft lockup,\n"
		 "dmesg; LOG, default stdin) with every kernel address annotated with\n"
		 "symbol+offset/size, as the kernel's %pS prints it; every other byte is kept.\n"
		 "SRC is any symbol source: a kernel image, a System.map, a /proc/kallsyms (modules\n"
		 "included) or an ELF with .symtab; without it, the running kernel.  Symbols the\n"
		 "log already names are checked against SRC; disagreements are marked\n"
		 "'(ksyms: ...)' and counted on stderr.  The KASLR slide comes from the log (its\n"
		 "'Kernel Offset:' line, or frames that show an address and its symbol) unless\n"
		 "--slide or --runtime-text gives it.\n",
	.opts = symbolize_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
};

struct sym_args {
	struct input_opts in;
	struct ksyms_symbolize_opts so;
	bool json, quiet;
	const char *src, *log;
};

static void symbolize_option(void *ctx, int key, const char *arg)
{
	struct sym_args *a = ctx;

	switch (key) {
	case OPT_SLIDE:
		a->so.has_slide = true;
		a->so.slide = parse_number("slide", arg);
		break;
	case OPT_RUNTIME_TEXT:
		a->so.has_base = true;
		a->so.base = parse_number("run-time address of _text", arg);
		break;
	case OPT_REPLACE:
		a->so.replace = true;
		break;
	case 'j':
		a->json = true;
		break;
	default: /* 'q' */
		a->quiet = true;
	}
}

static void parse_args(int argc, char **argv, struct sym_args *a)
{
	int i = parse_options(&symbolize_spec, argc, argv, &a->in, symbolize_option, a);

	if (a->so.has_slide && a->so.has_base)
		usage_error(&symbolize_spec, "--slide and --runtime-text say the same thing: give one");
	if (argc - i > 2)
		usage_error(&symbolize_spec, "symbolize takes SRC and at most one LOG");
	a->src = i < argc ? argv[i] : NULL;
	a->log = i + 1 < argc ? argv[i + 1] : NULL;
	if (a->log && strcmp(a->log, "-") == 0)
		a->log = NULL;
	if (a->src && strcmp(a->src, "-") == 0 && !a->log)
		usage_error(&symbolize_spec, "SRC is stdin ('-'), so LOG must be a file");
}

/* The whole log: the slide may only show at its end (a panic prints
 * Kernel Offset last), so every line is scanned before any is printed. */
static char *read_log(const char *path, size_t *ret_len)
{
	FILE *f = path ? fopen(path, "rb") : stdin;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	bool oom = false;

	if (!f) {
		fprintf(stderr, "%s: '%s': %s\n", progname, path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (cap - len < 65536) {
			size_t ncap = cap ? cap * 2 : 1 << 20;
			char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
			if (!nb) {
				oom = true;
				break;
			}
			buf = nb;
			cap = ncap;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	bool bad = oom || ferror(f);
	if (oom)
		fprintf(stderr, "%s: out of memory reading the log\n", progname);
	else if (bad)
		fprintf(stderr, "%s: '%s': %s\n", progname, path ? path : "stdin", strerror(errno));
	if (path)
		fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*ret_len = len;
	return buf;
}

/* Calls @fn on every line of buf, newline included. */
static struct ksyms_error *each_line(const char *buf, size_t len,
				     struct ksyms_error *(*fn)(void *ctx, const char *line, size_t n, size_t no),
				     void *ctx)
{
	size_t no = 0;

	for (size_t p = 0; p < len;) {
		const char *nl = memchr(buf + p, '\n', len - p);
		size_t n = nl ? (size_t)(nl - (buf + p)) + 1 : len - p;
		struct ksyms_error *err = fn(ctx, buf + p, n, ++no);
		if (err)
			return err;
		p += n;
	}
	return NULL;
}

static struct ksyms_error *scan_one(void *ctx, const char *line, size_t n, size_t no)
{
	(void)no;
	return ksyms_symbolizer_scan(ctx, line, n);
}

struct print_ctx {
	struct ksyms_symbolizer *s;
	struct out *o;
	bool json;
	size_t findings;
};

static const char *kind_name(enum ksyms_annotation_kind k)
{
	switch (k) {
	case KSYMS_ANNOT_ADDRESS:
		return "address";
	case KSYMS_ANNOT_CHECKED:
		return "checked";
	case KSYMS_ANNOT_MISMATCH:
		return "mismatch";
	default:
		return "unchecked";
	}
}

static void json_finding(struct print_ctx *pc, const char *line, size_t no, const struct ksyms_annotation *a)
{
	struct out *o = pc->o;

	out_str(o, pc->findings++ ? ",\n  " : "\n  ");
	out_printf(o, "{\"line\":%zu,\"column\":%zu,\"kind\":\"%s\",", no, a->start + 1, kind_name(a->kind));
	out_json_member_bytes(o, "text", line + a->start, a->len);
	if (a->has_addr)
		out_printf(o, ",\"address\":\"0x%llx\"", (unsigned long long)a->addr);
	if (a->resolved) {
		out_char(o, ',');
		out_json_member(o, "symbol", a->match.sym.name);
		out_printf(o, ",\"symbol_address\":\"0x%llx\",\"offset\":\"0x%llx\",\"size\":\"0x%llx\"",
			   (unsigned long long)a->match.sym.addr, (unsigned long long)a->match.offset,
			   (unsigned long long)a->match.size);
		if (a->match.sym.module) {
			out_char(o, ',');
			out_json_member(o, "module", a->match.sym.module);
		}
	}
	if (a->reason) {
		out_char(o, ',');
		out_json_member(o, "reason", a->reason);
	}
	out_char(o, '}');
}

static struct ksyms_error *print_one(void *ctx, const char *line, size_t n, size_t no)
{
	struct print_ctx *pc = ctx;
	const char *text;
	size_t len, count;

	struct ksyms_error *err = ksyms_symbolize_line(pc->s, line, n, &text, &len);
	if (err)
		return err;
	if (!pc->json) {
		out_bytes(pc->o, text, len);
		return NULL;
	}
	const struct ksyms_annotation *a = ksyms_symbolizer_annotations(pc->s, &count);
	for (size_t i = 0; i < count; i++)
		json_finding(pc, line, no, &a[i]);
	return NULL;
}

static void note_slide(const struct sym_args *args, struct ksyms_table *tab, const struct ksyms_slide_info *si)
{
	unsigned long long slide = si->slide;

	if (si->offset_conflict)
		fprintf(stderr, "%s: warning: the log's Kernel Offset lines disagree (more than one boot?): "
			"using the first, line %zu\n", progname, si->offset_line);
	if (si->text_mismatch)
		fprintf(stderr, "%s: warning: the log's kernel was linked with _text at 0x%llx, '%s' is not: "
			"it is probably not this kernel\n", progname, (unsigned long long)si->link_text, args->src);
	if (args->quiet)
		return;
	switch (si->source) {
	case KSYMS_SLIDE_GIVEN:
		fprintf(stderr, "%s: slide 0x%llx (given)\n", progname, slide);
		break;
	case KSYMS_SLIDE_KERNEL_OFFSET:
		fprintf(stderr, "%s: slide 0x%llx (Kernel Offset line %zu)\n", progname, slide, si->offset_line);
		break;
	case KSYMS_SLIDE_FRAMES:
		fprintf(stderr, "%s: slide 0x%llx (%zu of %zu frames that show address and symbol)\n", progname,
			slide, si->frames_agree, si->frames);
		break;
	default:
		if (ksyms_table_info(tab)->source_kind != KSYMS_SOURCE_PROC_KALLSYMS)
			fprintf(stderr, "%s: no KASLR slide in the log (no Kernel Offset line, no frame showing "
				"address and symbol): assuming 0; give --slide or --runtime-text if the kernel was "
				"relocated\n", progname);
	}
}

static void note_mismatches(const struct sym_args *args, struct ksyms_symbolizer *s)
{
	const struct ksyms_symbolize_stats *st = ksyms_symbolizer_stats(s);

	if (!st->mismatches)
		return;
	fprintf(stderr, "%s: warning: %zu symbol%s in the log disagree%s with '%s' (on %zu line%s, marked "
		"'(ksyms: ...)'): it is probably not the kernel that wrote this log\n", progname,
		st->mismatches, st->mismatches == 1 ? "" : "s", st->mismatches == 1 ? "s" : "", args->src,
		st->mismatch_lines, st->mismatch_lines == 1 ? "" : "s");
}

static void json_head(struct out *o, const struct ksyms_slide_info *si)
{
	out_printf(o, "{\"slide\":\"0x%llx\",\"slide_source\":\"%s\"", (unsigned long long)si->slide,
		   ksyms_slide_source_name(si->source));
	if (si->offset_line)
		out_printf(o, ",\"kernel_offset_line\":%zu,\"kernel_offset\":\"0x%llx\",\"link_text\":\"0x%llx\"",
			   si->offset_line, (unsigned long long)si->kernel_offset, (unsigned long long)si->link_text);
	out_printf(o, ",\"frames\":%zu,\"frames_agree\":%zu,\"findings\":[", si->frames, si->frames_agree);
}

static void json_tail(struct out *o, const struct ksyms_symbolize_stats *st)
{
	out_printf(o, "\n],\"lines\":%zu,\"annotated\":%zu,\"checked\":%zu,\"mismatches\":%zu,\"unchecked\":%zu}\n",
		   st->lines, st->annotated, st->checked, st->mismatches, st->unchecked);
}

static int run(struct sym_args *args, struct ksyms_table *tab, const char *buf, size_t len)
{
	struct ksyms_symbolizer *s;
	struct ksyms_error *err = ksyms_symbolizer_create(tab, &args->so, &s);
	struct out o;

	if (err) {
		report_error(args->src, err);
		return EXIT_BAD_INPUT;
	}
	err = each_line(buf, len, scan_one, s);
	const struct ksyms_slide_info *si = ksyms_symbolizer_slide(s);
	if (!err)
		note_slide(args, tab, si);
	out_init(&o);
	struct print_ctx pc = { .s = s, .o = &o, .json = args->json };
	if (!err && args->json)
		json_head(&o, si);
	if (!err)
		err = each_line(buf, len, print_one, &pc);
	if (!err && args->json)
		json_tail(&o, ksyms_symbolizer_stats(s));
	int rc = out_finish(&o);
	if (err) {
		report_error(NULL, err);
		rc = EXIT_BAD_INPUT;
	} else {
		note_mismatches(args, s);
	}
	ksyms_symbolizer_destroy(s);
	return rc;
}

int cmd_symbolize(int argc, char **argv)
{
	struct sym_args args = { .so = { .sz = sizeof(args.so) } };
	struct ksyms_table *tab;
	char *running = NULL;
	size_t len = 0;
	int rc;

	input_opts_init(&args.in);
	args.in.need_addresses = true;
	args.in.open.kallsyms_only = true; /* no exports: decompress only as far as kallsyms */
	parse_args(argc, argv, &args);
	if (args.src) {
		rc = open_table(args.src, &args.in, NULL, &tab);
	} else {
		/* the slide comes from the log: link-time addresses will do */
		rc = open_running_table(&args.in, false, &tab, &running);
		args.src = running;
	}
	if (rc)
		return rc;
	/* --base was symbolize's run-time _text before it meant the load
	 * address everywhere: say so where it cannot be the latter */
	if (args.in.find.has_base && ksyms_table_info(tab)->source_kind != KSYMS_SOURCE_KALLSYMS)
		fprintf(stderr, "%s: note: --base is the load address of an image, and '%s' is a symbol list; "
			"the run-time address of _text is --runtime-text\n", progname, args.src);
	char *buf = read_log(args.log, &len);
	if (!buf) {
		ksyms_table_destroy(tab);
		free(running);
		return EXIT_BAD_INPUT;
	}
	rc = run(&args, tab, buf, len);
	free(buf);
	ksyms_table_destroy(tab);
	free(running);
	return rc;
}
