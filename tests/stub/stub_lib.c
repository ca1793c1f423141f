// SPDX-License-Identifier: MIT
/*
 * A library that has the soname of a codec library and none of its entry
 * points (tests/stub/meson.build names it libzstd.so.1): put first on
 * LD_LIBRARY_PATH, it is what dlopen() finds, as with another build or a
 * too old version of the real one.
 */
int ksyms_test_stub(void);

int ksyms_test_stub(void)
{
	return 0;
}
