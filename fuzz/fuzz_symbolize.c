// SPDX-License-Identifier: MIT
/*
 * ksyms_symbolize_line() on arbitrary logs against a small fixed kernel.
 * The first input byte picks the options (given slide or not, replace
 * mode); the rest is the log, scanned whole and then symbolized line by
 * line.  Properties: a line without findings comes back unchanged, and
 * every finding lies inside its line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksyms.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define check(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                 \
		}                                                                                \
	} while (0)

static const char map[] =
	"ffffffff81000000 T _text\n"
	"ffffffff81000000 T startup_64\n"
	"ffffffff81001000 T _stext\n"
	"ffffffff81001000 T f\n"
	"ffffffff81001040 t dup\n"
	"ffffffff81001080 T __pfx_g\n"
	"ffffffff81001090 T g\n"
	"ffffffff81001100 t dup\n"
	"ffffffff81001180 T _etext\n"
	"ffffffff82000000 D data\n"
	"ffffffff82000100 B _end\n"
	"ffffffffc0000000 t m\t[mod]\n";

static void each_line(struct ksyms_symbolizer *s, const char *log, size_t len, bool symbolize)
{
	for (size_t p = 0; p < len;) {
		const char *nl = memchr(log + p, '\n', len - p);
		size_t n = nl ? (size_t)(nl - (log + p)) + 1 : len - p;
		if (!symbolize) {
			ksyms_error_destroy(ksyms_symbolizer_scan(s, log + p, n));
		} else {
			const char *out;
			size_t out_len, count;
			struct ksyms_error *err = ksyms_symbolize_line(s, log + p, n, &out, &out_len);
			if (!err) {
				const struct ksyms_annotation *a = ksyms_symbolizer_annotations(s, &count);
				check(count || (out_len == n && memcmp(out, log + p, n) == 0));
				for (size_t i = 0; i < count; i++)
					check(a[i].start <= n && a[i].len <= n - a[i].start);
			}
			ksyms_error_destroy(err);
		}
		p += n;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ksyms_table *tab;
	struct ksyms_symbolizer *s;

	if (!tab) {
		struct ksyms_error *err = ksyms_table_open_mem(map, sizeof(map) - 1, NULL, &tab);
		check(err == NULL);
	}
	if (size < 1)
		return 0;
	KSYMS_OPTS(ksyms_symbolize_opts, o, .has_slide = data[0] & 1, .slide = 0x2a000000,
		   .replace = (data[0] & 2) != 0);
	struct ksyms_error *err = ksyms_symbolizer_create(tab, &o, &s);
	check(err == NULL);
	each_line(s, (const char *)data + 1, size - 1, false);
	each_line(s, (const char *)data + 1, size - 1, true);
	ksyms_symbolizer_destroy(s);
	return 0;
}
