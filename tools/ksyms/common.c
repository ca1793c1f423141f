// SPDX-License-Identifier: MIT
/* What every subcommand shares: input options, opening, error reporting,
 * the name filter, writing an output file, buffered output. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static void log_to_stderr(void *ctx, enum ksyms_log_level level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s: %s%s\n", progname, level >= KSYMS_LOG_DEBUG ? "debug: " : "", msg);
}

void report_error(const char *path, struct ksyms_error *err)
{
	const char *msg = ksyms_error_message(err);
	if (path)
		fprintf(stderr, "%s: '%s': %s\n", progname, path, msg);
	else
		fprintf(stderr, "%s: %s\n", progname, msg);
	ksyms_error_destroy(err);
}

void report_hidden(const char *path)
{
	fprintf(stderr,
		"%s: '%s': every address is 0: kptr_restrict hides kernel addresses from this reader; "
		"read /proc/kallsyms as root with 'sysctl kernel.kptr_restrict=0' (or 1 and CAP_SYSLOG), "
		"or use a System.map or the kernel image\n",
		progname, path);
}

/*
 * Addresses that no independent fact confirmed are printed, but never
 * silently: a warning on stderr, or with --strict an error.  False if the
 * table must not be used.
 */
static bool vouched(const char *path, const struct input_opts *o, const struct ksyms_table *tab)
{
	const struct ksyms_info *i = ksyms_table_info(tab);

	if (i->addresses_verified || i->addresses_hidden)
		return true;
	if (o->strict) {
		fprintf(stderr, "%s: '%s': the addresses could not be verified (--strict): %s\n", progname, path,
			i->verify_note);
		return false;
	}
	if (!o->shows_verification)
		fprintf(stderr, "%s: '%s': warning: the addresses could not be verified: %s\n", progname, path,
			i->verify_note);
	return true;
}

int open_table(const char *path, struct input_opts *o, struct ksyms_image **ret_img, struct ksyms_table **ret_tab)
{
	struct ksyms_image *img = NULL;
	struct ksyms_error *err;

	if (verbose) {
		o->open.log = o->find.log = log_to_stderr;
		o->open.log_level = o->find.log_level = verbose > 1 ? KSYMS_LOG_DEBUG : KSYMS_LOG_INFO;
	}
	err = ksyms_image_open(path, &o->open, &img);
	if (!err && ret_tab) {
		struct ksyms_source_opts so = { .sz = sizeof(so), .kind = o->kind, .open = &o->open, .find = &o->find };
		err = ksyms_table_read(img, &so, ret_tab);
		if (!err && ksyms_table_info(*ret_tab)->addresses_hidden && o->need_addresses) {
			/* say it plainly instead of answering with zeros */
			ksyms_table_destroy(*ret_tab);
			*ret_tab = NULL;
			report_hidden(path);
			ksyms_image_destroy(img);
			return EXIT_BAD_INPUT;
		}
	}
	if (err) {
		report_error(path, err);
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
	if (ret_tab && !vouched(path, o, *ret_tab)) {
		ksyms_table_destroy(*ret_tab);
		*ret_tab = NULL;
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
	if (ret_img)
		*ret_img = img;
	else
		ksyms_image_destroy(img);
	return 0;
}

/* ------------------------------------------------------------------------ */

bool name_filter_init(struct name_filter *f, int argc)
{
	memset(f, 0, sizeof(*f));
	/* each -s or -g takes an argument: there are fewer than argc of them */
	f->subs = calloc((size_t)argc, sizeof(*f->subs));
	f->globs = calloc((size_t)argc, sizeof(*f->globs));
	if (f->subs && f->globs)
		return true;
	name_filter_free(f);
	return false;
}

bool name_filter_option(struct name_filter *f, int opt, const char *arg)
{
	switch (opt) {
	case 't': f->types = arg; return true;
	case 's': f->subs[f->nsubs++] = arg; return true;
	case 'g': f->globs[f->nglobs++] = arg; return true;
	default: return false;
	}
}

bool name_filter_active(const struct name_filter *f)
{
	return f->types || f->nsubs || f->nglobs;
}

bool name_filter_keep(const struct name_filter *f, const struct ksyms_symbol *s)
{
	if (f->types && !strchr(f->types, s->type))
		return false;
	if (!f->nsubs && !f->nglobs)
		return true;
	for (size_t i = 0; i < f->nsubs; i++)
		if (strstr(s->name, f->subs[i]))
			return true;
	for (size_t i = 0; i < f->nglobs; i++)
		if (fnmatch(f->globs[i], s->name, 0) == 0)
			return true;
	return false;
}

void name_filter_free(struct name_filter *f)
{
	free(f->subs);
	free(f->globs);
	f->subs = f->globs = NULL;
}

/* ------------------------------------------------------------------------ */

/* At most 1 GiB per write(2): some systems refuse counts above INT_MAX. */
static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n > (1u << 30) ? (1u << 30) : n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

int write_output_file(const char *path, bool force, const void *data, size_t len)
{
	bool to_stdout = strcmp(path, "-") == 0;
	int fd = to_stdout ? STDOUT_FILENO
			   : open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (force ? O_TRUNC : O_EXCL), 0666);

	if (fd < 0) {
		fprintf(stderr, "%s: cannot create '%s': %s\n", progname, path, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	bool ok = write_all(fd, data, len);
	int e = errno;
	if (!to_stdout && close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok)
		return 0;
	if (to_stdout && e == EPIPE)
		return 0; /* the reader went away, like `| head` */
	fprintf(stderr, "%s: cannot write '%s': %s\n", progname, to_stdout ? "(stdout)" : path, strerror(e));
	if (!to_stdout)
		unlink(path); /* no half-written file left behind */
	return EXIT_BAD_INPUT;
}

/* ------------------------------------------------------------------------ */

enum { OUT_CAP = 1 << 16 };

void out_init(struct out *o)
{
	o->buf = malloc(OUT_CAP);
	o->len = 0;
	o->cap = o->buf ? OUT_CAP : 0;
	o->failed = !o->buf;
}

void out_flush(struct out *o)
{
	size_t done = 0;
	while (!o->failed && done < o->len) {
		ssize_t n = write(STDOUT_FILENO, o->buf + done, o->len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			o->failed = true;
		else
			done += (size_t)n;
	}
	o->len = 0;
}

int out_finish(struct out *o)
{
	out_flush(o);
	free(o->buf);
	o->buf = NULL;
	if (o->failed && errno != EPIPE) {
		fprintf(stderr, "%s: cannot write the output: %s\n", progname, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	return 0;
}

void out_bytes(struct out *o, const char *s, size_t n)
{
	if (o->len + n > o->cap) {
		out_flush(o);
		if (n > o->cap) {
			ssize_t w = o->failed ? -1 : write(STDOUT_FILENO, s, n);
			if (w != (ssize_t)n)
				o->failed = true;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void out_str(struct out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

void out_char(struct out *o, char c)
{
	if (o->len + 1 > o->cap)
		out_flush(o);
	if (o->cap)
		o->buf[o->len++] = c;
}

/*
 * Eight lowercase hex digits of @x, most significant first, as the bytes
 * of a word in memory order: each nibble spread to a byte of its own,
 * then '0' added, and 'a' - '0' - 10 more where the nibble is 10 or more,
 * all eight at once.  A listing formats one address per line; the table
 * of digit pairs this replaced took 8 loads and 8 stores an address.
 */
static uint64_t hex8(uint32_t x)
{
	uint64_t v = x;

	v = (v | v << 16) & 0x0000ffff0000ffffull;
	v = (v | v << 8) & 0x00ff00ff00ff00ffull;
	v = (v | v << 4) & 0x0f0f0f0f0f0f0f0full; /* byte k: nibble k, least significant first */
	uint64_t letters = ((v + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
	v += 0x3030303030303030ull + letters * ('a' - '0' - 10);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return v; /* memory order is most significant byte first already */
#else
	return __builtin_bswap64(v);
#endif
}

/* @v as exactly @digits (8 or 16) lowercase hex digits at @p, which a
 * value needing more does not fit in: the caller checked. */
static void hex_fixed(char *p, uint64_t v, int digits)
{
	uint64_t lo = hex8((uint32_t)v);

	if (digits == 16) {
		uint64_t hi = hex8((uint32_t)(v >> 32));
		memcpy(p, &hi, 8);
		p += 8;
	}
	memcpy(p, &lo, 8);
}

void out_hex(struct out *o, uint64_t v, int digits)
{
	char buf[16];
	int n = 16, want = digits < 16 ? digits : 16;

	/* all 16 digits, then drop leading zeros beyond @digits */
	hex_fixed(buf, v, 16);
	int first = 0;
	while (first < n - want && buf[first] == '0')
		first++;
	out_bytes(o, buf + first, (size_t)(n - first));
}

void out_symbol_line(struct out *o, uint64_t addr, int digits, char type, const char *name)
{
	size_t len = strlen(name), need = (size_t)digits + 4 + len;

	/* the common case in one piece: room in the buffer, an address that
	 * fits the width (a wider one, or a long name, goes the slow way) */
	if ((digits != 8 && digits != 16) || (digits == 8 && addr >> 32) || need > o->cap) {
		out_hex(o, addr, digits);
		char sep[3] = { ' ', type, ' ' };
		out_bytes(o, sep, 3);
		out_bytes(o, name, len);
		out_char(o, '\n');
		return;
	}
	if (o->len + need > o->cap)
		out_flush(o);
	char *p = o->buf + o->len;
	hex_fixed(p, addr, digits);
	p[digits] = ' ';
	p[digits + 1] = type;
	p[digits + 2] = ' ';
	memcpy(p + digits + 3, name, len);
	p[digits + 3 + len] = '\n';
	o->len += need;
}

void out_printf(struct out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_bytes(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}
