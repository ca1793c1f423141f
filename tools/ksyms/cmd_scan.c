// SPDX-License-Identifier: MIT
/*
 * ksyms scan: which of many files hold a kernel, and what kernel.  The
 * paths are walked first (directories recursively, each sorted by name),
 * so that the output has one order whatever the number of workers; then
 * scan_run() describes the files in worker processes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan.h"

enum { OPT_JSON = 0x100, OPT_FOLLOW };

static const struct opt scan_opts[] = {
	{ "jobs", 'j', "N", "describe N files at a time, in N worker processes (default:\nthe number of online CPUs)" },
	{ "json", OPT_JSON, NULL, "one JSON object per file, one per line (JSON Lines)" },
	{ "follow", 'L', NULL, "follow symbolic links to directories (links to files are\nalways followed)" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec scan_spec = {
	.name = "scan",
	.usage = "scan [OPTIONS] PATH...",
	.about = "Say for each file under PATH (directories are walked recursively, each in\n"
		 "name order) whether it holds a kernel and, if so, its version, architecture,\n"
		 "word size and byte order, symbol count, load address, whether the addresses\n"
		 "are verified, the container chain, and whether it has BTF and an embedded\n"
		 ".config (IKCONFIG).  One line per file, in the order walked, whatever -j.\n"
		 "Special files (devices, fifos, sockets) and symbolic links to directories\n"
		 "are skipped (-v says so).  A progress line goes to stderr when it is a\n"
		 "terminal.\n",
	.opts = scan_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
	.epilog = "Exit status: 0 when every file was scanned (kernel or not), 1 when a file\n"
		  "could not be read (or, with --strict, a kernel's addresses could not be\n"
		  "verified), 2 usage.\n",
};

static void scan_option(void *ctx, int key, const char *arg)
{
	struct scan *s = ctx;

	if (key == 'j') {
		unsigned long long j = parse_number("job count", arg);
		if (j < 1 || j > 1024)
			usage_error(&scan_spec, "--jobs takes a number from 1 to 1024, not '%s'", arg);
		s->jobs = (unsigned)j;
	} else if (key == OPT_JSON) {
		s->json = true;
	} else if (key == 'L') {
		s->follow = true;
	}
}

/* ------------------------------------------------------------------------ */
/* The walk */

/* The directories being walked, to notice a symbolic link back to one. */
struct ancestors {
	dev_t dev[256];
	ino_t ino[256];
	size_t n;
};

static void skipped(const char *path, const char *why)
{
	if (verbose)
		fprintf(stderr, "%s: scan: '%s': skipped: %s\n", progname, path, why);
}

static struct scan_entry *add_entry(struct scan *s, const char *path)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64;
		struct scan_entry *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			usage_error(&scan_spec, "out of memory");
		s->v = v;
		s->cap = cap;
	}
	struct scan_entry *e = &s->v[s->n++];
	memset(e, 0, sizeof(*e));
	e->path = strdup(path);
	if (!e->path)
		usage_error(&scan_spec, "out of memory");
	return e;
}

static void add_error(struct scan *s, const char *path, const char *what, int err)
{
	struct scan_entry *e = add_entry(s, path);
	size_t n = strlen(what) + 128;

	e->error = malloc(n);
	if (!e->error)
		usage_error(&scan_spec, "out of memory");
	snprintf(e->error, n, "%s: %s", what, strerror(err));
	e->status = EXIT_BAD_INPUT;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in @path, sorted (bytewise), or NULL with errno set. */
static char **read_dir(const char *path, size_t *ret_n)
{
	DIR *d = opendir(path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;

	if (!d)
		return NULL;
	errno = 0;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 32;
			char **v = realloc(names, cap * sizeof(*v));
			if (!v)
				usage_error(&scan_spec, "out of memory");
			names = v;
		}
		if (!(names[n++] = strdup(de->d_name)))
			usage_error(&scan_spec, "out of memory");
		errno = 0;
	}
	int e = errno;
	closedir(d);
	if (e) {
		while (n)
			free(names[--n]);
		free(names);
		errno = e;
		return NULL;
	}
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	*ret_n = n;
	return names ? names : calloc(1, sizeof(*names));
}

static const char *special_kind(mode_t m)
{
	if (S_ISFIFO(m))
		return "a fifo";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

static void walk(struct scan *s, const char *path, bool top, struct ancestors *up);

static void walk_dir(struct scan *s, const char *path, const struct stat *st, struct ancestors *up)
{
	size_t n = 0;

	for (size_t i = 0; i < up->n; i++) {
		if (up->dev[i] == st->st_dev && up->ino[i] == st->st_ino) {
			skipped(path, "a symbolic link loop (a directory inside itself)");
			return;
		}
	}
	if (up->n == sizeof(up->dev) / sizeof(up->dev[0])) {
		skipped(path, "directories nested too deep");
		return;
	}
	char **names = read_dir(path, &n);
	if (!names) {
		add_error(s, path, "cannot read the directory", errno);
		return;
	}
	up->dev[up->n] = st->st_dev;
	up->ino[up->n++] = st->st_ino;
	size_t plen = strlen(path);
	bool slash = plen && path[plen - 1] == '/';
	for (size_t i = 0; i < n; i++) {
		size_t nlen = strlen(names[i]), at = plen + !slash;
		char *child = malloc(at + nlen + 1);
		if (!child)
			usage_error(&scan_spec, "out of memory");
		memcpy(child, path, plen);
		child[plen] = '/';
		memcpy(child + at, names[i], nlen + 1);
		walk(s, child, false, up);
		free(child);
		free(names[i]);
	}
	free(names);
	up->n--;
}

/* A path given or found: a file to scan, a directory to walk, or something
 * to skip.  Links to files are followed; links to directories only with
 * --follow (and always when named on the command line, as find -H). */
static void walk(struct scan *s, const char *path, bool top, struct ancestors *up)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		add_error(s, path, "cannot stat", errno);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) != 0) {
			if (top)
				add_error(s, path, "cannot follow the symbolic link", errno);
			else
				skipped(path, errno == ELOOP ? "a symbolic link loop" : "a dangling symbolic link");
			return;
		}
		if (S_ISDIR(st.st_mode) && !top && !s->follow) {
			skipped(path, "a symbolic link to a directory (--follow follows it)");
			return;
		}
	}
	if (S_ISREG(st.st_mode))
		add_entry(s, path);
	else if (S_ISDIR(st.st_mode))
		walk_dir(s, path, &st, up);
	else
		skipped(path, special_kind(st.st_mode));
}

/* ------------------------------------------------------------------------ */
/* One file, in a worker */

/* Text from a file name or a hostile image, on one line: control
 * characters (and, in a path, '\\') as \\xNN.  Returns the columns written. */
static int out_escaped(struct out *o, const char *text, bool backslash)
{
	int w = 0;

	for (const unsigned char *p = (const unsigned char *)text; *p; p++, w++) {
		if ((*p == '\\' && backslash) || *p < 0x20 || *p == 0x7f) {
			out_printf(o, "\\x%02x", *p);
			w += 3;
		} else {
			out_char(o, (char)*p);
		}
	}
	return w;
}

/* "PATH:" and the padding to the results' column */
static void out_path(struct out *o, const char *path, int width)
{
	int w = out_escaped(o, path, true);

	out_char(o, ':');
	for (; w < width; w++)
		out_char(o, ' ');
	out_char(o, ' ');
}

static void json_str_or_null(struct out *o, const char *key, const char *v)
{
	out_char(o, ',');
	out_json_member_or_null(o, key, v);
}

static void json_tristate(struct out *o, const char *key, int v)
{
	out_printf(o, ",\"%s\":%s", key, v < 0 ? "null" : v ? "true" : "false");
}

/* "6.12.57+deb13-arm64" of "Linux version 6.12.57+deb13-arm64 (...) ...", malloc'd */
static char *release_of(const char *banner)
{
	static const char lv[] = "Linux version ";

	if (!banner || strncmp(banner, lv, sizeof(lv) - 1) != 0)
		return NULL;
	const char *r = banner + sizeof(lv) - 1;
	return strndup(r, strcspn(r, " "));
}

/* "EFI zboot > zstd > arm64 Image": the container chain, outermost first */
static void out_chain_text(struct out *o, const struct ksyms_image *img)
{
	for (size_t l = 0; img && l < ksyms_image_layer_count(img); l++)
		out_printf(o, "%s%s", l ? " > " : "", ksyms_image_layer(img, l)->format);
}

/* The embedded .config: 1 present, 0 absent, -1 unknown (no zlib) */
static int ikconfig_present(const struct ksyms_image *img)
{
	char *config = NULL;
	size_t len = 0;
	struct ksyms_error *err = ksyms_image_config(img, &config, &len);

	if (!err) {
		ksyms_free(config);
		return 1;
	}
	int r = ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND ? 0 : -1;
	ksyms_error_destroy(err);
	return r;
}

/* What scan says of a kernel beyond its table's info. */
struct extras {
	char *release;     /* of the banner */
	bool has_btf;
	struct ksyms_btf_info btf;
	int ikconfig;      /* ikconfig_present() */
};

static void print_kernel_text(const struct scan *s, struct out *o, const struct scan_entry *e,
			      const struct ksyms_image *img, const struct ksyms_info *i, const struct extras *x)
{
	out_path(o, e->path, s->width);
	out_str(o, "kernel ");
	out_escaped(o, x->release ? x->release : "(no banner)", false);
	out_printf(o, " %s %d-bit %s, %llu symbols, ", i->arch ? i->arch : "unknown-arch", i->word_size * 8,
		   i->byte_order == KSYMS_ENDIAN_BIG ? "BE" : "LE", (unsigned long long)i->num_syms);
	if (i->base_known)
		out_printf(o, "load 0x%llx, ", (unsigned long long)i->base);
	else
		out_str(o, "load unknown, ");
	out_str(o, i->addresses_verified ? "verified, " : "NOT verified, ");
	out_chain_text(o, img);
	out_str(o, x->has_btf ? ", btf" : "");
	out_str(o, x->ikconfig > 0 ? ", ikconfig" : "");
	out_char(o, '\n');
}

/* The members info --json has too are written as it writes them. */
static void print_kernel_json(struct out *o, const struct scan_entry *e, const struct ksyms_image *img,
			      const struct ksyms_info *i, const struct extras *x)
{
	out_char(o, '{');
	out_json_member(o, "path", e->path);
	out_str(o, ",\"kernel\":true,\"error\":null,\"failed\":false,");
	out_json_member(o, "source", i->source ? i->source : "unknown");
	out_char(o, ',');
	out_json_chain(o, img);
	json_str_or_null(o, "banner", i->banner);
	json_str_or_null(o, "release", x->release);
	json_str_or_null(o, "arch", i->arch);
	json_str_or_null(o, "arch_source", i->arch_source);
	out_printf(o, ",\"bits\":%d,\"endian\":\"%s\",\"num_syms\":%llu,\"load_address\":", i->word_size * 8,
		   i->byte_order == KSYMS_ENDIAN_BIG ? "big" : "little", (unsigned long long)i->num_syms);
	if (i->base_known)
		out_printf(o, "\"0x%llx\"", (unsigned long long)i->base);
	else
		out_str(o, "null");
	json_str_or_null(o, "load_address_source", i->base_source);
	out_printf(o, ",\"addresses_verified\":%s", i->addresses_verified ? "true" : "false");
	json_str_or_null(o, "verify_note", i->verify_note);
	out_char(o, ',');
	out_json_btf(o, x->has_btf ? &x->btf : NULL);
	json_tristate(o, "ikconfig", x->ikconfig);
	out_str(o, "}\n");
}

static void print_kernel(const struct scan *s, struct out *o, const struct scan_entry *e,
			 const struct ksyms_image *img, struct ksyms_table *tab)
{
	const struct ksyms_info *i = ksyms_table_info(tab);
	struct extras x = { .release = release_of(i->banner), .ikconfig = ikconfig_present(img) };
	struct ksyms_error *err = ksyms_image_btf(img, tab, NULL, &x.btf, NULL);

	x.has_btf = !err;
	if (s->json)
		print_kernel_json(o, e, img, i, &x);
	else
		print_kernel_text(s, o, e, img, i, &x);
	ksyms_error_destroy(err);
	free(x.release);
}

/* No kernel (or no way to read the file): why, and what was unwrapped. */
static void print_none(const struct scan *s, struct out *o, const char *path, const struct ksyms_image *img,
		       const char *why, bool failed)
{
	char *banner = NULL;

	if (img)
		ksyms_error_destroy(ksyms_image_banner(img, &banner));
	if (!s->json) {
		out_path(o, path, s->width);
		if (failed) {
			out_str(o, "error: ");
			out_escaped(o, why, false);
			out_char(o, '\n');
		} else {
			out_str(o, "no kernel");
			if (img && (ksyms_image_layer_count(img) > 1 || strcmp(ksyms_image_layer(img, 0)->format, "raw") != 0)) {
				out_str(o, " in ");
				out_chain_text(o, img);
			}
			out_str(o, " (");
			out_escaped(o, why, false);
			out_char(o, ')');
			char *release = release_of(banner);
			if (release) {
				out_str(o, ", banner of ");
				out_escaped(o, release, false);
			}
			free(release);
			out_char(o, '\n');
		}
		ksyms_free(banner);
		return;
	}
	out_char(o, '{');
	out_json_member(o, "path", path);
	out_str(o, ",\"kernel\":false,");
	out_json_member(o, "error", why);
	out_printf(o, ",\"failed\":%s", failed ? "true" : "false");
	if (img) {
		out_char(o, ',');
		out_json_chain(o, img);
		json_str_or_null(o, "banner", banner);
	}
	out_str(o, "}\n");
	ksyms_free(banner);
}

void scan_print_error(const struct scan *s, struct out *o, const struct scan_entry *e)
{
	print_none(s, o, e->path, NULL, e->error, true);
}

static void log_with_path(void *ctx, enum ksyms_log_level level, const char *msg)
{
	fprintf(stderr, "%s: '%s': %s%s\n", progname, (const char *)ctx, level >= KSYMS_LOG_DEBUG ? "debug: " : "",
		msg);
}

/* Not having read it: only the system's refusal or a lack of memory; bad
 * data, no tables, an unsupported codec or a cap are answers about it. */
static bool read_failure(const struct ksyms_error *err)
{
	enum ksyms_error_code c = ksyms_error_code(err);
	return c == KSYMS_ERR_OS || c == KSYMS_ERR_NOMEM;
}

int scan_describe(const struct scan *s, const struct scan_entry *e)
{
	struct ksyms_open_opts open = s->in.open;
	struct ksyms_find_opts find = s->in.find;
	struct ksyms_source_opts so = { .sz = sizeof(so), .kind = s->in.kind, .open = &open, .find = &find };
	struct ksyms_image *img = NULL;
	struct ksyms_table *tab = NULL;
	struct out o;
	int rc = 0;

	if (verbose > 1) {
		open.log = find.log = log_with_path;
		open.log_ctx = find.log_ctx = e->path;
		open.log_level = find.log_level = KSYMS_LOG_DEBUG;
	}
	out_init(&o);
	struct ksyms_error *err = ksyms_image_open(e->path, &open, &img);
	if (!err)
		err = ksyms_table_read(img, &so, &tab);
	if (err) {
		bool failed = read_failure(err);
		print_none(s, &o, e->path, img, ksyms_error_message(err), failed);
		rc = failed ? EXIT_BAD_INPUT : 0;
		ksyms_error_destroy(err);
	} else if (ksyms_table_info(tab)->source_kind != KSYMS_SOURCE_KALLSYMS) {
		/* --source auto: a symbol list is no kernel */
		char why[128];
		snprintf(why, sizeof(why), "a symbol list (%s)", ksyms_table_info(tab)->source);
		print_none(s, &o, e->path, img, why, false);
	} else {
		print_kernel(s, &o, e, img, tab);
		if (s->in.strict && !ksyms_table_info(tab)->addresses_verified)
			rc = EXIT_BAD_INPUT;
	}
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	int orc = out_finish(&o);
	return orc ? orc : rc;
}

/* ------------------------------------------------------------------------ */

static int path_width(const struct scan *s)
{
	size_t w = 0;

	for (size_t i = 0; i < s->n; i++) {
		size_t n = 0;
		for (const unsigned char *p = (const unsigned char *)s->v[i].path; *p; p++)
			n += *p == '\\' || *p < 0x20 || *p == 0x7f ? 4 : 1; /* out_escaped() */
		if (n > w)
			w = n;
	}
	return w > 60 ? 60 : (int)w; /* longer paths push their line out */
}

int cmd_scan(int argc, char **argv)
{
	struct scan s;

	memset(&s, 0, sizeof(s));
	input_opts_init(&s.in);
	/* images, not symbol lists: a System.map beside a kernel is no kernel */
	s.in.kind = KSYMS_SOURCE_KALLSYMS;
	s.in.shows_verification = true;
	s.in.find.info_only = true; /* facts, as info prints them: no names expanded */
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	s.jobs = cpus < 1 ? 1 : cpus > 1024 ? 1024 : (unsigned)cpus;
	int i = parse_options(&scan_spec, argc, argv, &s.in, scan_option, &s);
	if (i == argc)
		usage_error(&scan_spec, "scan needs a PATH");
	for (; i < argc; i++) {
		struct ancestors up = { .n = 0 };
		walk(&s, argv[i], true, &up);
	}
	s.width = path_width(&s);
	int rc = scan_run(&s);
	for (size_t k = 0; k < s.n; k++) {
		free(s.v[k].path);
		free(s.v[k].error);
		free(s.v[k].result);
	}
	free(s.v);
	return rc;
}
