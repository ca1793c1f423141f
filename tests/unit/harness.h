/* SPDX-License-Identifier: MIT */
/* A tiny TAP harness: CHECK() records a failure with file:line and goes on;
 * each test program ends with return tap_done(). */
#ifndef KSYMS_TEST_HARNESS_H
#define KSYMS_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define CHECK(cond) tap_check(!!(cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ_U64(a, b) tap_check_u64((unsigned long long)(a), (unsigned long long)(b), #a " == " #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) tap_check_str((a), (b), #a " == " #b, __FILE__, __LINE__)

static inline int tap_check(int ok, const char *what, const char *file, int line)
{
	tap_n++;
	if (!ok) {
		tap_failed++;
		printf("not ok %d - %s (%s:%d)\n", tap_n, what, file, line);
	} else {
		printf("ok %d - %s\n", tap_n, what);
	}
	return ok;
}

static inline int tap_check_u64(unsigned long long a, unsigned long long b, const char *what, const char *file, int line)
{
	if (a != b)
		printf("# got 0x%llx, expected 0x%llx\n", a, b);
	return tap_check(a == b, what, file, line);
}

static inline int tap_check_str(const char *a, const char *b, const char *what, const char *file, int line)
{
	int ok = a && b && strcmp(a, b) == 0;
	if (!ok)
		printf("# got '%s', expected '%s'\n", a ? a : "(null)", b ? b : "(null)");
	return tap_check(ok, what, file, line);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
