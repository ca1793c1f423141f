// SPDX-License-Identifier: MIT
/*
 * The command line of every subcommand: its options, described once in a
 * cmd_spec, become getopt_long's tables and the --help text, so a command
 * accepts exactly the options its help lists.  The options that say how
 * to read a kernel are shared, with one meaning each, by every command
 * that reads one.  Also -o FILE, which every command that writes text has.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

const struct opt image_options[] = {
	{ "max-output", OPT_MAX_OUTPUT, "BYTES",
	  "cap on decompressed data, all layers together (default 1G;\nK, M and G suffixes)" },
	{ "max-depth", OPT_MAX_DEPTH, "N", "refuse containers nested deeper (default 16)" },
	{ "verbose", 'v', NULL, "say what was found where (twice, -vv: also every candidate\nrejected, and why)" },
	{ NULL, 0, NULL, NULL },
};

const struct opt table_options[] = {
	{ "base", OPT_BASE, "ADDR",
	  "the image's load address: the virtual address of the kernel\ndata's first byte (raw images); overrides inference" },
	{ "arch", OPT_ARCH, "ARCH", "architecture (arm64, x86_64, ...), reported as given" },
	{ "bits", OPT_BITS, "32|64", "word size, instead of detecting it" },
	{ "endian", OPT_ENDIAN, "little|big", "byte order, instead of detecting it" },
	{ "source", OPT_SOURCE, "KIND", "read SRC as auto, kallsyms, symtab, system.map or proc" },
	{ "max-symbols", OPT_MAX_SYMBOLS, "N", "refuse kallsyms tables of more symbols (default 4000000)" },
	{ "max-name-len", OPT_MAX_NAME_LEN, "N", "refuse longer decoded names (default and most 511)" },
	{ "strict", OPT_STRICT, NULL, "fail (exit 1) on anything ksyms cannot vouch for, instead of\nwarning" },
	{ NULL, 0, NULL, NULL },
};

const struct opt output_options[] = {
	{ "output", 'o', "FILE", "write to FILE instead of stdout ('-': stdout)" },
	{ NULL, 0, NULL, NULL },
};

static const struct opt help_option[] = {
	{ "help", 'h', NULL, "print this help and exit" },
	{ NULL, 0, NULL, NULL },
};

/* The command being parsed, for messages about bad values. */
static const struct cmd_spec *current;

void usage_error(const struct cmd_spec *spec, const char *fmt, ...)
{
	va_list ap;

	if (!spec)
		spec = current;
	fprintf(stderr, "%s: ", progname);
	if (spec)
		fprintf(stderr, "%s: ", spec->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (spec)
		fprintf(stderr, " (see '%s %s --help')", progname, spec->name);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

unsigned long long parse_number(const char *what, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-')
		usage_error(NULL, "invalid %s '%s'", what, s);
	return v;
}

/* A byte count: a number, optionally followed by K, M or G (powers of 1024). */
static unsigned long long parse_size(const char *what, const char *s)
{
	static const char units[] = "KMG";
	size_t n = strlen(s);
	const char *u = n ? strchr(units, s[n - 1]) : NULL;

	if (!u || !*u)
		return parse_number(what, s);
	char *digits = strndup(s, n - 1);
	if (!digits)
		usage_error(NULL, "out of memory");
	unsigned long long r = parse_number(what, digits);
	free(digits);
	for (const char *p = units; p <= u; p++)
		if (__builtin_mul_overflow(r, 1024ull, &r))
			usage_error(NULL, "invalid %s '%s'", what, s);
	return r;
}

/* A limit: a number from 1 to @max. */
static unsigned long long parse_limit(const char *opt, const char *s, unsigned long long max)
{
	unsigned long long v = parse_number(opt, s);

	if (v < 1 || v > max)
		usage_error(NULL, "%s takes a number from 1 to %llu, not '%s'", opt, max, s);
	return v;
}

enum ksyms_source_kind parse_source_kind(const char *arg)
{
	if (strcmp(arg, "auto") == 0)
		return KSYMS_SOURCE_AUTO;
	if (strcmp(arg, "kallsyms") == 0 || strcmp(arg, "image") == 0)
		return KSYMS_SOURCE_KALLSYMS;
	if (strcmp(arg, "symtab") == 0)
		return KSYMS_SOURCE_SYMTAB;
	if (strcmp(arg, "system.map") == 0 || strcmp(arg, "map") == 0)
		return KSYMS_SOURCE_SYSTEM_MAP;
	if (strcmp(arg, "proc") == 0 || strcmp(arg, "kallsyms-text") == 0)
		return KSYMS_SOURCE_PROC_KALLSYMS;
	usage_error(NULL, "--source takes auto, kallsyms, symtab, system.map or proc, not '%s'", arg);
}

/* One of the shared options; false if @key is not one. */
static bool input_option(struct input_opts *o, int key, const char *arg)
{
	switch (key) {
	case OPT_BASE:
		o->find.has_base = true;
		o->find.base = parse_number("load address", arg);
		return true;
	case OPT_ARCH:
		o->find.arch = arg;
		return true;
	case OPT_ENDIAN:
		if (strcmp(arg, "little") == 0 || strcmp(arg, "le") == 0)
			o->find.byte_order = KSYMS_ENDIAN_LITTLE;
		else if (strcmp(arg, "big") == 0 || strcmp(arg, "be") == 0)
			o->find.byte_order = KSYMS_ENDIAN_BIG;
		else
			usage_error(NULL, "--endian takes 'little' or 'big', not '%s'", arg);
		return true;
	case OPT_BITS: {
		unsigned long long b = parse_number("word size", arg);
		if (b != 32 && b != 64)
			usage_error(NULL, "--bits takes 32 or 64, not '%s'", arg);
		o->find.word_size = (int)(b / 8);
		return true;
	}
	case OPT_MAX_OUTPUT:
		o->open.max_output = parse_size("--max-output", arg);
		return true;
	case OPT_MAX_SYMBOLS:
		o->find.max_symbols = (uint32_t)parse_limit("--max-symbols", arg, UINT32_MAX);
		return true;
	case OPT_MAX_NAME_LEN:
		o->find.max_name_len = (uint32_t)parse_limit("--max-name-len", arg, 511);
		return true;
	case OPT_MAX_DEPTH:
		o->open.max_depth = (unsigned)parse_limit("--max-depth", arg, 4096);
		return true;
	case OPT_SOURCE:
		o->kind = parse_source_kind(arg);
		return true;
	case OPT_STRICT:
		o->strict = true;
		return true;
	default:
		return false;
	}
}

void input_opts_init(struct input_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->find.sz = sizeof(o->find);
	o->open.sz = sizeof(o->open);
}

/* ------------------------------------------------------------------------ */
/* The option list of a command: its own, then the shared groups, then --help. */

enum { MAX_OPTS = 48 };

struct optlist {
	const struct opt *o[MAX_OPTS];
	size_t n, own; /* the first @own are the command's */
};

static bool overridden(const struct cmd_spec *spec, const char *name)
{
	for (const struct opt *o = spec->opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return true;
	return false;
}

static void add_group(struct optlist *l, const struct cmd_spec *spec, const struct opt *g)
{
	for (; g->name; g++)
		if (!overridden(spec, g->name) && l->n < MAX_OPTS)
			l->o[l->n++] = g;
}

static void collect(const struct cmd_spec *spec, struct optlist *l)
{
	l->n = 0;
	for (const struct opt *o = spec->opts; o && o->name && l->n < MAX_OPTS; o++)
		l->o[l->n++] = o;
	if (spec->groups & OPTS_OUTPUT)
		add_group(l, spec, output_options);
	l->own = l->n;
	if (spec->groups & OPTS_TABLE)
		add_group(l, spec, table_options);
	if (spec->groups & OPTS_IMAGE)
		add_group(l, spec, image_options);
	add_group(l, spec, help_option);
}

enum { HELP_COL = 26, HELP_WIDTH = 80 };

/* "  -o, --output FILE       help", the help wrapped at HELP_WIDTH columns. */
static void print_opt(FILE *f, const struct opt *o)
{
	char lhs[64];
	bool has_short = o->key > ' ' && o->key < 0x7f;
	size_t col;

	snprintf(lhs, sizeof(lhs), "  %s%c%s--%s%s%s", has_short ? "-" : " ", has_short ? o->key : ' ',
		 has_short ? ", " : "  ", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fputs(lhs, f);
	col = strlen(lhs);
	if (col + 2 > HELP_COL) {
		fputc('\n', f);
		col = 0;
	}
	fprintf(f, "%*s", (int)(HELP_COL - col), "");
	col = HELP_COL;
	for (const char *p = o->help; *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		size_t w = strcspn(p, " \n");
		if (!w)
			break;
		if (col > HELP_COL && col + 1 + w > HELP_WIDTH) {
			fprintf(f, "\n%*s", HELP_COL, "");
			col = HELP_COL;
		}
		if (col > HELP_COL) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, w, f);
		col += w;
		p += w;
	}
	fputc('\n', f);
}

void print_help(const struct cmd_spec *spec, FILE *f)
{
	struct optlist l;

	collect(spec, &l);
	fprintf(f, "usage: %s %s\n%s\n", progname, spec->usage, spec->about);
	fputs("Options:\n", f);
	for (size_t i = 0; i < l.n; i++) {
		if (i == l.own && (spec->groups & OPTS_INPUT))
			fputs("Input options (the same for every command that reads a kernel):\n", f);
		print_opt(f, l.o[i]);
	}
	if (spec->epilog)
		fprintf(f, "\n%s", spec->epilog);
}

/* ------------------------------------------------------------------------ */
/* -o FILE */

static char *out_path, *out_tmp;

/* At exit() (a usage error after -o, a failure): no half-written file. */
static void output_abort(void)
{
	if (out_tmp)
		unlink(out_tmp);
	out_tmp = NULL;
}

static void output_open(const char *path)
{
	if (strcmp(path, "-") == 0)
		return;
	size_t n = strlen(path);
	out_path = strdup(path);
	out_tmp = malloc(n + 16);
	if (!out_path || !out_tmp)
		usage_error(NULL, "out of memory");
	snprintf(out_tmp, n + 16, "%s.ksyms-XXXXXX", path);
	int fd = mkstemp(out_tmp);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot create '%s': %s\n", progname, path, strerror(errno));
		free(out_tmp);
		out_tmp = NULL;
		exit(EXIT_BAD_INPUT);
	}
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || dup2(fd, STDOUT_FILENO) < 0) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, path, strerror(errno));
		close(fd);
		output_abort();
		exit(EXIT_BAD_INPUT);
	}
	close(fd);
	atexit(output_abort);
}

int output_finish(int rc)
{
	struct stat st;

	if (fflush(stdout) != 0 && rc == 0) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, out_path ? out_path : "(stdout)",
			strerror(errno));
		rc = EXIT_BAD_INPUT;
	}
	if (!out_tmp)
		return rc;
	/* keep what a command that found something wrong still printed (a
	 * diff that differs, addresses of which one did not resolve) */
	bool keep = rc == 0 || (rc == EXIT_BAD_INPUT && fstat(STDOUT_FILENO, &st) == 0 && st.st_size > 0);
	if (keep && rename(out_tmp, out_path) != 0) {
		fprintf(stderr, "%s: cannot write '%s': %s\n", progname, out_path, strerror(errno));
		rc = EXIT_BAD_INPUT;
		keep = false;
	}
	if (!keep)
		unlink(out_tmp);
	free(out_tmp);
	out_tmp = NULL;
	return rc;
}

/* ------------------------------------------------------------------------ */

static const struct option *find_long(const struct option *longopts, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(longopts[i].name) == len && strncmp(longopts[i].name, name, len) == 0)
			return &longopts[i];
	return NULL;
}

/* getopt_long takes any unambiguous prefix of a long option; ksyms takes
 * the names its --help lists and no others, so that adding an option
 * never changes what an abbreviation meant. */
static void exact_long_options(const struct cmd_spec *spec, int argc, char **argv, const struct option *longopts,
			       size_t n)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return;
		if (a[0] == '-' && a[1] != '-' && a[1]) {
			/* -xyz: a letter that takes an argument ends the cluster */
			for (const char *p = a + 1; *p; p++) {
				bool takes = false;
				for (size_t k = 0; k < n; k++)
					if (longopts[k].val == (unsigned char)*p && longopts[k].has_arg)
						takes = true;
				if (takes) {
					i += !p[1];
					break;
				}
			}
			continue;
		}
		if (a[0] != '-' || a[1] != '-')
			continue;
		size_t len = strcspn(a + 2, "=");
		const struct option *o = find_long(longopts, n, a + 2, len);
		if (!o)
			usage_error(spec, "unknown option '%.*s'", (int)len + 2, a);
		if (o->has_arg && !a[2 + len])
			i++; /* its argument */
	}
}

int parse_options(const struct cmd_spec *spec, int argc, char **argv, struct input_opts *in,
		  void (*fn)(void *ctx, int key, const char *arg), void *ctx)
{
	struct option longopts[MAX_OPTS + 1];
	char shortopts[2 * MAX_OPTS + 2] = ":";
	size_t ns = 1;
	struct optlist l;
	const char *output = NULL;
	int c;

	current = spec;
	collect(spec, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct opt *o = l.o[i];
		/* an own option named like a shared one keeps the shared key */
		int key = o->key;
		longopts[i] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, key };
		if (key > ' ' && key < 0x7f) {
			shortopts[ns++] = (char)key;
			if (o->arg)
				shortopts[ns++] = ':';
		}
	}
	longopts[l.n] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[ns] = 0;
	exact_long_options(spec, argc, argv, longopts, l.n);
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const char *opt = argv[optind - 1 < argc ? optind - 1 : argc - 1];
		if (c == '?' && optopt && optopt < 0x100)
			usage_error(spec, "unknown option '-%c'", optopt);
		if (c == '?')
			usage_error(spec, "unknown option '%s'", opt);
		if (c == ':' && optopt && optopt < 0x7f && optopt > ' ' && opt[1] != '-')
			usage_error(spec, "option '-%c' needs an argument", optopt);
		if (c == ':')
			usage_error(spec, "option '%s' needs an argument", opt);
		if (c == 'h') {
			print_help(spec, stdout);
			exit(0);
		}
		if (c == 'o' && (spec->groups & OPTS_OUTPUT)) {
			output = optarg;
			continue;
		}
		if (c == 'v' && (spec->groups & OPTS_IMAGE)) {
			verbose++;
			continue;
		}
		if (in && input_option(in, c, optarg))
			continue;
		fn(ctx, c, optarg);
	}
	if (output)
		output_open(output);
	return optind;
}
