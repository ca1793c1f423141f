// SPDX-License-Identifier: MIT
/*
 * The ELF reader (lib/input/elf.c) and the kernel classifier on arbitrary
 * bytes: every header, segment and section it returns must describe bytes
 * inside the input, and every section name must end inside it.
 */
#include <string.h>

#include "fuzz.h"
#include "kernel/elf.h"
#include "input/classify.h"
#include "kernel/kernel.h"

static void walk(const struct ks_elf *e, size_t size)
{
	struct ks_elf_phdr ph;
	struct ks_elf_shdr sh;

	for (size_t i = 0; i < e->phnum && ks_elf_phdr(e, i, &ph); i++)
		;
	for (size_t i = 0; i < e->shnum && ks_elf_shdr(e, i, &sh); i++) {
		const uint8_t *lo = e->data.p, *hi = e->data.p + size;
		fuzz_check(sh.name != NULL);
		if (sh.name[0])
			fuzz_check((const uint8_t *)sh.name >= lo && (const uint8_t *)sh.name < hi &&
				   memchr(sh.name, 0, (size_t)(hi - (const uint8_t *)sh.name)));
	}
	(void)ks_elf_section_by_name(e, ".symtab", &sh);
	(void)ks_elf_section_by_name(e, ".rela.dyn", &sh);
}

static void classify(struct span s)
{
	struct ks_kernel k;

	memset(&k, 0, sizeof(k));
	struct ksyms_error *err = ks_kernel_classify(s, &k);
	if (err) {
		ksyms_error_destroy(err);
		return;
	}
	fuzz_check(k.format != NULL);
	fuzz_check(k.word_size == 0 || k.word_size == 4 || k.word_size == 8);
	for (size_t i = 0; i < k.nsegs; i++)
		fuzz_check(k.segs[i].off <= s.len && k.segs[i].size <= s.len - k.segs[i].off);
	if (k.rela.len)
		fuzz_check(k.rela.p >= s.p && k.rela.p + k.rela.len <= s.p + s.len);
	size_t at, len;
	if (ks_kernel_banner(s, &at, &len))
		fuzz_check(at <= s.len && len <= s.len - at);
	ks_kernel_deinit(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct span s = span_make(data, size, 0);
	struct ks_elf e;
	struct ksyms_error *err = ks_elf_parse(s, &e);

	if (!err)
		walk(&e, size);
	ksyms_error_destroy(err);
	classify(s);
	return 0;
}
