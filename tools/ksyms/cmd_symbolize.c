// SPDX-License-Identifier: MIT
/* ksyms symbolize: a kernel log with every kernel address annotated. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char usage_text[] =
	"usage: ksyms symbolize [OPTIONS] SRC [LOG]\n"
	"Print a kernel log (oops, panic, warning, KASAN, lockdep, hung task, soft lockup,\n"
	"dmesg; LOG, default stdin) with every kernel address annotated with\n"
	"symbol+offset/size, as the kernel's %pS prints it; every other byte is kept.\n"
	"SRC is a kernel image, a System.map, a /proc/kallsyms (modules included) or an\n"
	"ELF with .symtab.  Symbols the log already names are checked against SRC;\n"
	"disagreements are marked '(ksyms: ...)' and counted on stderr.\n\n"
	"The KASLR slide comes from the log (its 'Kernel Offset:' line, or frames that\n"
	"show an address and its symbol) unless given:\n"
	"      --slide N           run-time minus SRC address (the 'Kernel Offset' value)\n"
	"      --base ADDR         run-time address of _text (grep ' _text$' /proc/kallsyms)\n"
	"      --replace           rewrite the 0x... addresses a kernel without kallsyms\n"
	"                          prints for %pS as func+0x1c/0x80: the log as a kernel\n"
	"                          with kallsyms would have printed it; add nothing else\n"
	"  -j, --json              the findings as JSON instead of the log\n"
	"  -q, --quiet             no note about the slide on stderr\n"
	"      --image-base ADDR   virtual address of a raw image's first byte\n"
	"      --arch ARCH, --endian little|big, --bits 32|64   override detection\n"
	"      --source auto|kallsyms|symtab|system.map|proc   what SRC is\n"
	"      --max-output BYTES  cap on decompressed data (default 1 GiB)\n"
	"  -v, --verbose           explain how SRC was read\n";

enum { OPT_SLIDE = 0x100, OPT_BASE, OPT_REPLACE, OPT_IMAGE_BASE };

struct sym_args {
	struct input_opts in;
	struct ksyms_symbolize_opts so;
	bool json, quiet;
	const char *src, *log;
};

static void parse_args(int argc, char **argv, struct sym_args *a)
{
	static const struct option longopts[] = {
		{ "slide", required_argument, NULL, OPT_SLIDE },
		{ "base", required_argument, NULL, OPT_BASE },
		{ "replace", no_argument, NULL, OPT_REPLACE },
		{ "image-base", required_argument, NULL, OPT_IMAGE_BASE },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "arch", required_argument, NULL, 'A' },
		{ "endian", required_argument, NULL, 'E' },
		{ "bits", required_argument, NULL, 'W' },
		{ "max-output", required_argument, NULL, 'M' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "source", required_argument, NULL, 'S' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "jqhv", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_SLIDE:
			a->so.has_slide = true;
			a->so.slide = parse_number("slide", optarg);
			break;
		case OPT_BASE:
			a->so.has_base = true;
			a->so.base = parse_number("base address", optarg);
			break;
		case OPT_REPLACE:
			a->so.replace = true;
			break;
		case OPT_IMAGE_BASE:
			input_option(&a->in, 'B', optarg);
			break;
		case 'j':
			a->json = true;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			if (!input_option(&a->in, c, optarg))
				usage_error(usage_text, "bad usage");
		}
	}
	if (a->so.has_slide && a->so.has_base)
		usage_error(usage_text, "--slide and --base say the same thing: give one");
	if (optind >= argc || argc - optind > 2)
		usage_error(usage_text, "expected SRC and at most one LOG");
	a->src = argv[optind];
	a->log = optind + 1 < argc ? argv[optind + 1] : NULL;
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

static void json_bytes(struct out *o, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";

	out_char(o, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\') {
			out_char(o, '\\');
			out_char(o, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			out_bytes(o, esc, 6);
		} else {
			out_char(o, (char)c);
		}
	}
	out_char(o, '"');
}

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
	out_printf(o, "{\"line\":%zu,\"column\":%zu,\"kind\":\"%s\",\"text\":", no, a->start + 1, kind_name(a->kind));
	json_bytes(o, line + a->start, a->len);
	if (a->has_addr)
		out_printf(o, ",\"address\":\"0x%llx\"", (unsigned long long)a->addr);
	if (a->resolved) {
		out_str(o, ",\"symbol\":");
		out_json_string(o, a->match.sym.name);
		out_printf(o, ",\"symbol_address\":\"0x%llx\",\"offset\":\"0x%llx\",\"size\":\"0x%llx\"",
			   (unsigned long long)a->match.sym.addr, (unsigned long long)a->match.offset,
			   (unsigned long long)a->match.size);
		if (a->match.sym.module) {
			out_str(o, ",\"module\":");
			out_json_string(o, a->match.sym.module);
		}
	}
	if (a->reason) {
		out_str(o, ",\"reason\":");
		out_json_string(o, a->reason);
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
				"address and symbol): assuming 0; give --slide or --base if the kernel was "
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
	size_t len = 0;

	input_opts_init(&args.in);
	args.in.need_addresses = true;
	args.in.open.kallsyms_only = true; /* no exports: decompress only as far as kallsyms */
	parse_args(argc, argv, &args);
	int rc = open_table(args.src, &args.in, NULL, &tab);
	if (rc)
		return rc;
	char *buf = read_log(args.log, &len);
	if (!buf) {
		ksyms_table_destroy(tab);
		return EXIT_BAD_INPUT;
	}
	rc = run(&args, tab, buf, len);
	free(buf);
	ksyms_table_destroy(tab);
	return rc;
}
