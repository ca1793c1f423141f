// SPDX-License-Identifier: MIT
/*
 * bench-decode IMAGE [RUNS]: time finding and decoding kallsyms once the
 * image is in memory (read, not mapped, before the clock starts), and
 * formatting the /proc/kallsyms listing into a buffer.  Prints the best of
 * RUNS for each phase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ksyms.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *p = n > 0 ? malloc((size_t)n) : NULL;
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static size_t format_all(struct ksyms_table *t, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	size_t pos = 0, n = ksyms_table_count(t);
	for (size_t i = 0; i < n; i++) {
		struct ksyms_symbol s;
		ksyms_table_symbol(t, i, &s);
		for (int d = 15; d >= 0; d--)
			buf[pos++] = hex[(s.addr >> (4 * d)) & 15];
		buf[pos++] = ' ';
		buf[pos++] = s.type;
		buf[pos++] = ' ';
		size_t l = strlen(s.name);
		memcpy(buf + pos, s.name, l);
		pos += l;
		buf[pos++] = '\n';
	}
	return pos;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench-decode IMAGE [RUNS]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 10;
	size_t len;
	unsigned char *data = slurp(argv[1], &len);
	if (!data) {
		perror(argv[1]);
		return 1;
	}
	double best_open = 1e9, best_find = 1e9, best_fmt = 1e9;
	size_t nsyms = 0, out = 0;
	char *buf = malloc(64u << 20);
	for (int r = 0; r < runs; r++) {
		struct ksyms_image *img;
		struct ksyms_table *tab;
		double t0 = now();
		struct ksyms_error *err = ksyms_image_open_mem(data, len, NULL, &img);
		double t1 = now();
		if (!err)
			err = ksyms_table_from_image(img, NULL, &tab);
		double t2 = now();
		if (err) {
			fprintf(stderr, "%s: %s\n", argv[1], ksyms_error_message(err));
			return 1;
		}
		nsyms = ksyms_table_count(tab);
		out = format_all(tab, buf);
		double t3 = now();
		best_open = t1 - t0 < best_open ? t1 - t0 : best_open;
		best_find = t2 - t1 < best_find ? t2 - t1 : best_find;
		best_fmt = t3 - t2 < best_fmt ? t3 - t2 : best_fmt;
		ksyms_table_destroy(tab);
		ksyms_image_destroy(img);
	}
	printf("%s: %zu bytes, %zu symbols\n", argv[1], len, nsyms);
	printf("  unwrap (decompress)   %8.2f ms\n", best_open * 1e3);
	printf("  find + decode         %8.2f ms\n", best_find * 1e3);
	printf("  format listing        %8.2f ms (%zu bytes)\n", best_fmt * 1e3, out);
	free(buf);
	free(data);
	return 0;
}
