// SPDX-License-Identifier: MIT
/*
 * LD_PRELOAD shim for tests: dlopen() fails for every file named in
 * $KSYMS_TEST_HIDE_LIBS (space-separated sonames), as on a system where
 * that library is not installed.  libksyms opens its codec libraries with
 * dlopen() on first use (lib/decompress/codec_libs.c).
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

void *dlopen(const char *file, int mode);

static int hidden(const char *file)
{
	const char *list = getenv("KSYMS_TEST_HIDE_LIBS");
	size_t n = file ? strlen(file) : 0;

	for (const char *p = list; p && n && (p = strstr(p, file)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
			return 1;
	return 0;
}

void *dlopen(const char *file, int mode)
{
	void *(*real)(const char *, int);
	void *sym = dlsym(RTLD_NEXT, "dlopen");

	memcpy(&real, &sym, sizeof(sym));
	if (!real)
		return NULL;
	/* a path that does not exist: dlerror() then says what a missing
	 * library makes it say */
	return real(hidden(file) ? "/nonexistent/hidden-by-ksyms-tests.so" : file, mode);
}
