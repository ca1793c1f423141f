// SPDX-License-Identifier: MIT
/*
 * bench-lookups [IMAGE] [SECONDS]: address and name lookups per second on
 * one core, after loading (issue 4 asks for >= 10 million address and
 * >= 2 million name lookups a second).  Without IMAGE it takes the corpus
 * kernel with the largest System.map under $KSYMS_CORPUS.
 *
 * Addresses are drawn uniformly over [lowest symbol, highest symbol] of
 * the kernel (the same as %pS sees in a stack trace: mostly text, some
 * data); names are those of random symbols, plus 1 in 8 that do not
 * exist.  Both sequences are made before the clock starts, and the rates
 * are per second of the thread's CPU time.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <ksyms.h>

enum { N_ADDR = 1 << 22, N_NAME = 1 << 20 };

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return clock_s(CLOCK_MONOTONIC);
}

/* Lookup rates count this thread's CPU time, not wall time: on a shared
 * machine the wall clock also counts the time other processes ran. */
static double cpu_now(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, no libc state */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

/* The kernel file named by a corpus folder's meta. */
static bool kernel_of(const char *dir, char *out, size_t size)
{
	char path[8192], line[512];
	snprintf(path, sizeof(path), "%s/meta", dir);
	FILE *f = fopen(path, "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "kernel_file:", 12) != 0)
			continue;
		char *v = line + 12 + strspn(line + 12, " ");
		v[strcspn(v, "\n")] = 0;
		snprintf(out, size, "%s/%s", dir, v);
		found = true;
	}
	fclose(f);
	return found;
}

static bool largest_corpus_kernel(char *out, size_t size)
{
	const char *corpus = getenv("KSYMS_CORPUS");
	DIR *d = corpus ? opendir(corpus) : NULL;
	struct dirent *e;
	off_t best = 0;

	if (!d)
		return false;
	while ((e = readdir(d))) {
		char dir[4096], map[8192];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", corpus, e->d_name);
		snprintf(map, sizeof(map), "%s/System.map", dir);
		if (stat(map, &st) == 0 && st.st_size > best && kernel_of(dir, out, size))
			best = st.st_size;
	}
	closedir(d);
	return best > 0;
}

static double bench_addrs(struct ksyms_table *t, double seconds, size_t *ret_resolved)
{
	uint64_t *a = malloc(N_ADDR * sizeof(*a));
	struct ksyms_symbol lo, hi;
	size_t n = ksyms_table_count(t), done = 0, resolved = 0;
	struct ksyms_match m;

	if (!a || !ksyms_table_by_address(t, 0, &lo, NULL))
		return 0;
	/* the highest kernel symbol: walk back from the end of address order */
	for (size_t pos = n; pos-- > 0;)
		if (ksyms_table_by_address(t, pos, &hi, NULL))
			break;
	for (size_t i = 0; i < N_ADDR; i++)
		a[i] = lo.addr + rnd() % (hi.addr - lo.addr + 1);
	double t0 = cpu_now(), t1;
	do {
		for (size_t i = 0; i < N_ADDR; i++)
			resolved += ksyms_table_lookup_addr(t, a[i], &m);
		done += N_ADDR;
		t1 = cpu_now();
	} while (t1 - t0 < seconds);
	free(a);
	*ret_resolved = resolved;
	return (double)done / (t1 - t0);
}

static double bench_names(struct ksyms_table *t, double seconds, size_t *ret_found)
{
	const char **names = malloc(N_NAME * sizeof(*names));
	size_t n = ksyms_table_count(t), done = 0, found = 0, pos;
	static const char *const absent[] = { "no_such_symbol", "schedule_", "x", "__this_is_not_there" };

	if (!names)
		return 0;
	for (size_t i = 0; i < N_NAME; i++) {
		struct ksyms_symbol s;
		if (i % 8 == 7 || !ksyms_table_symbol(t, rnd() % n, &s))
			names[i] = absent[i % 4];
		else
			names[i] = s.name;
	}
	double t0 = cpu_now(), t1;
	do {
		for (size_t i = 0; i < N_NAME; i++)
			found += ksyms_table_lookup_name(t, names[i], &pos) != 0;
		done += N_NAME;
		t1 = cpu_now();
	} while (t1 - t0 < seconds);
	free(names);
	*ret_found = found;
	return (double)done / (t1 - t0);
}

int main(int argc, char **argv)
{
	char path[8192];
	double seconds = argc > 2 ? atof(argv[2]) : 1.0;
	struct ksyms_table *t;
	struct ksyms_error *err;
	size_t hits = 0;

	if (argc > 1)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else if (!largest_corpus_kernel(path, sizeof(path))) {
		fprintf(stderr, "bench-lookups: give an IMAGE or set KSYMS_CORPUS to the unpacked corpus\n");
		return 2;
	}
	double t0 = now();
	err = ksyms_table_open(path, NULL, &t);
	if (err) {
		fprintf(stderr, "bench-lookups: '%s': %s\n", path, ksyms_error_message(err));
		ksyms_error_destroy(err);
		return 1;
	}
	double t1 = now();
	err = ksyms_table_prepare(t);
	double t2 = now();
	if (err) {
		fprintf(stderr, "bench-lookups: %s\n", ksyms_error_message(err));
		return 1;
	}
	printf("%s: %zu symbols, loaded in %.0f ms, indexes built in %.1f ms\n", path, ksyms_table_count(t),
	       (t1 - t0) * 1e3, (t2 - t1) * 1e3);
	double ar = bench_addrs(t, seconds, &hits);
	printf("address lookups: %.1f million/s of CPU time (goal 10)  [%zu resolved]\n", ar / 1e6, hits);
	double nr = bench_names(t, seconds, &hits);
	printf("name lookups:    %.1f million/s of CPU time (goal 2)  [%zu found]\n", nr / 1e6, hits);
	ksyms_table_destroy(t);
	return ar >= 10e6 && nr >= 2e6 ? 0 : 1;
}
