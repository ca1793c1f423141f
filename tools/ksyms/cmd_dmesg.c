// SPDX-License-Identifier: MIT
/* ksyms dmesg: the kernel log buffer of a memory dump. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

enum { OPT_CALLER = 0x100 };

static const struct opt dmesg_opts[] = {
	{ "symbolize", 'S', NULL, "annotate every kernel address with symbol+offset/size, from the\n"
				   "dump's own symbol table" },
	{ "caller", OPT_CALLER, NULL, "show each record's caller id ([T123] or [C1]) as a kernel with\n"
				       "CONFIG_PRINTK_CALLER does" },
	{ "raw", 'r', NULL, "prefix each line with <level> as dmesg -r" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec dmesg_spec = {
	.name = "dmesg",
	.usage = "dmesg [OPTIONS] DUMP",
	.about = "Print the kernel log buffer found in a memory dump (vmcore, QEMU dump,\n"
		 "kdump-compressed, LiME, raw memory) as dmesg prints it: '[%5lu.%06lu] text',\n"
		 "one line per line of each record.\n",
	.opts = dmesg_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
};

struct dmesg_args {
	bool sym, raw, caller;
};

static void dmesg_option(void *ctx, int key, const char *arg)
{
	struct dmesg_args *a = ctx;

	(void)arg;
	if (key == 'S')
		a->sym = true;
	else if (key == 'r')
		a->raw = true;
	else
		a->caller = true;
}

/* "[    1.234567] ", and with @caller the console's prefix of a kernel
 * with CONFIG_PRINTK_CALLER (print_caller() in kernel/printk/printk.c):
 * "[%6s]" of "T123" right after the time, "[    1.234567][  T123] ". */
static int time_prefix(char *pre, size_t size, const struct ksyms_log_record *r, bool caller)
{
	int n = snprintf(pre, size, "[%5llu.%06llu]", (unsigned long long)(r->ts_nsec / 1000000000ull),
			 (unsigned long long)(r->ts_nsec % 1000000000ull / 1000));

	if (caller && r->has_caller) {
		char id[16];
		snprintf(id, sizeof(id), "%c%u", r->caller_id & 0x80000000u ? 'C' : 'T', r->caller_id & 0x7fffffffu);
		n += snprintf(pre + n, size - (size_t)n, "[%6s]", id);
	}
	pre[n++] = ' ';
	pre[n] = 0;
	return n;
}

/* The log as text: each line of a record gets the record's prefix. */
static char *format_log(const struct ksyms_dmesg *m, bool caller, bool raw, size_t *ret_len)
{
	/* the whole text first: --symbolize scans it all before it annotates */
	struct { char *p; size_t len, cap; } b = { NULL, 0, 0 };
	for (size_t i = 0; i < ksyms_dmesg_count(m); i++) {
		const struct ksyms_log_record *r = ksyms_dmesg_record(m, i);
		const char *t = r->text, *end = r->text + r->text_len;
		do {
			const char *nl = memchr(t, '\n', (size_t)(end - t));
			const char *le = nl ? nl : end;
			char pre[64];
			int n = 0;
			if (raw && r->has_level)
				n += snprintf(pre + n, sizeof(pre) - (size_t)n, "<%u>", (unsigned)(r->facility << 3 | r->level));
			/* a line of a pre-3.5 character buffer holds its time as text */
			if (r->has_time)
				n += time_prefix(pre + n, sizeof(pre) - (size_t)n, r, caller);
			pre[n] = 0;
			size_t need = b.len + (size_t)n + (size_t)(le - t) + 1;
			if (need > b.cap) {
				size_t cap = b.cap ? b.cap * 2 : 1 << 16;
				while (cap < need)
					cap *= 2;
				char *p = realloc(b.p, cap);
				if (!p) {
					free(b.p);
					return NULL;
				}
				b.p = p;
				b.cap = cap;
			}
			memcpy(b.p + b.len, pre, (size_t)n);
			b.len += (size_t)n;
			memcpy(b.p + b.len, t, (size_t)(le - t));
			b.len += (size_t)(le - t);
			b.p[b.len++] = '\n';
			t = nl ? nl + 1 : end;
		} while (t < end);
	}
	*ret_len = b.len;
	return b.p ? b.p : calloc(1, 1);
}

static int symbolize(struct out *o, struct ksyms_table *tab, const char *text, size_t len)
{
	KSYMS_OPTS(ksyms_symbolize_opts, so, .has_slide = true, .slide = 0);
	struct ksyms_symbolizer *s;
	struct ksyms_error *err = ksyms_symbolizer_create(tab, &so, &s);

	if (err) {
		report_error("symbolizer", err);
		return EXIT_BAD_INPUT;
	}
	for (int pass = 0; pass < 2 && !err; pass++) {
		for (size_t at = 0; at < len && !err;) {
			const char *nl = memchr(text + at, '\n', len - at);
			size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;
			if (pass == 0) {
				err = ksyms_symbolizer_scan(s, text + at, n);
			} else {
				const char *line;
				size_t ll;
				err = ksyms_symbolize_line(s, text + at, n, &line, &ll);
				if (!err)
					out_bytes(o, line, ll);
			}
			at += n;
		}
	}
	ksyms_symbolizer_destroy(s);
	if (err) {
		report_error("symbolizer", err);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

int cmd_dmesg(int argc, char **argv)
{
	struct dmesg_args a = { 0 };
	struct input_opts in;
	struct ksyms_image *img;
	struct ksyms_table *tab = NULL;

	input_opts_init(&in);
	int i = parse_options(&dmesg_spec, argc, argv, &in, dmesg_option, &a);
	if (argc - i != 1)
		usage_error(&dmesg_spec, "dmesg takes one DUMP");
	bool sym = a.sym, raw = a.raw, caller = a.caller;
	const char *path = argv[i];
	/* the symbol table: prb's address without VMCOREINFO, and --symbolize */
	int rc = open_table(path, &in, &img, &tab);
	if (rc && sym)
		return rc;
	if (rc) {
		tab = NULL;
		if ((rc = open_table(path, &in, &img, NULL)))
			return rc;
	}
	struct ksyms_dmesg *m;
	struct ksyms_error *err = ksyms_dmesg_read(img, tab, &m);
	if (err) {
		report_error(path, err);
		ksyms_table_destroy(tab);
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
	if (verbose)
		fprintf(stderr, "%s: '%s': %s\n", progname, path, ksyms_dmesg_source(m));
	if (ksyms_dmesg_partial(m))
		fprintf(stderr, "%s: '%s': warning: the log is partial: %s\n", progname, path, ksyms_dmesg_partial(m));
	size_t len;
	char *text = format_log(m, caller, raw, &len);
	ksyms_dmesg_destroy(m);
	struct out o;
	out_init(&o);
	if (!text) {
		rc = EXIT_BAD_INPUT;
		fprintf(stderr, "%s: out of memory\n", progname);
	} else if (sym) {
		rc = symbolize(&o, tab, text, len);
	} else {
		out_bytes(&o, text, len);
	}
	free(text);
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	int rc2 = out_finish(&o);
	return rc ? rc : rc2;
}
