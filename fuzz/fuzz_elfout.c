// SPDX-License-Identifier: MIT
/*
 * The ELF writer and the BTF locator on arbitrary images.  The first byte
 * picks options (bit 0: a slide; bit 1: the BTF checker alone, in both
 * byte orders, on the rest: headers that lie about their lengths); the rest
 * is the image.  For every image that decodes:
 *   - a BTF blob found lies inside the kernel and validates again;
 *   - the ELF written is one the library's own ELF reader accepts, of the
 *     size the writer reports, whose section count is the one reported,
 *     whose sections with bytes and PT_LOADs' file bytes lie inside it (a
 *     PT_LOAD whose input offset was past the input's end keeps that
 *     offset, congruent to its address as the ELF spec asks, with no file
 *     bytes: it promises none), whose .symtab
 *     holds the reported symbols, each in a section that exists (or
 *     absolute) and named inside .strtab; and the ELF opens again as an
 *     image.
 */
#include <string.h>

#include "fuzz.h"
#include "btf/btf.h"
#include "core/buf.h"
#include "core/endian.h"
#include "kernel/elf.h"

enum { MAX_OUT = 64u << 20 };

static int to_buf(void *ctx, const void *p, size_t n)
{
	struct ks_buf *b = ctx;

	if (b->len + n > MAX_OUT)
		return 27; /* EFBIG */
	return ks_buf_append(b, p, n) ? 0 : 12;
}

static void check_symtab(const struct ks_elf *e, const struct ks_elf_shdr *sym, const struct ksyms_elf_result *r)
{
	struct ks_elf_shdr str;
	size_t esize = e->is64 ? 24 : 16;

	fuzz_check(sym->entsize == esize && sym->size == (r->symbols + 1) * esize);
	fuzz_check(ks_elf_shdr(e, sym->link, &str) && str.type == KS_SHT_STRTAB);
	for (size_t i = 1; i <= r->symbols; i++) {
		const uint8_t *p = e->data.p + sym->offset + i * esize;
		uint32_t name = load32(p, e->be);
		uint16_t shndx = load16(p + (e->is64 ? 6 : 14), e->be);
		fuzz_check(name < str.size && memchr(e->data.p + str.offset + name, 0, str.size - name));
		fuzz_check(shndx == 0xfff1 || (shndx > 0 && shndx < e->shnum));
	}
}

static void check_elf(struct span out, const struct ksyms_elf_result *r)
{
	struct ks_elf e;
	struct ks_elf_phdr ph;
	struct ks_elf_shdr sh;
	bool symtab = false;

	fuzz_check(r->size == out.len);
	struct ksyms_error *err = ks_elf_parse(out, &e);
	fuzz_check(err == NULL);
	fuzz_check(e.shnum == r->sections);
	for (size_t i = 0; i < e.phnum; i++)
		if (ks_elf_phdr(&e, i, &ph) && ph.type == KS_PT_LOAD)
			fuzz_check(ph.filesz == 0 || (ph.offset <= out.len && ph.filesz <= out.len - ph.offset));
	for (size_t i = 1; i < e.shnum; i++) {
		fuzz_check(ks_elf_shdr(&e, i, &sh));
		if (sh.type == KS_SHT_SYMTAB && strcmp(sh.name, ".symtab") == 0 && !symtab) {
			fuzz_check(sh.offset <= out.len && sh.size <= out.len - sh.offset);
			check_symtab(&e, &sh, r);
			symtab = true;
		}
	}
	fuzz_check(symtab);
	struct ksyms_image *img;
	err = ksyms_image_open_mem(out.p, out.len, NULL, &img);
	fuzz_check(err == NULL);
	ksyms_image_destroy(img);
}

static void btf_alone(struct span s)
{
	size_t size;
	uint32_t types;

	for (int be = 0; be < 2; be++) {
		struct ksyms_error *err = ks_btf_check(s, be, &size, &types);
		if (!err)
			fuzz_check(size <= s.len && types > 0);
		ksyms_error_destroy(err);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t flags = data[0];
	struct span s = span_make(data + 1, size - 1, 0);
	KSYMS_OPTS(ksyms_open_opts, oo, .max_output = 16u << 20);
	struct ksyms_image *img;
	struct ksyms_table *tab;

	if (flags & 2) {
		btf_alone(s);
		return 0;
	}
	struct ksyms_error *err = ksyms_image_open_mem(s.p, s.len, &oo, &img);
	if (err) {
		ksyms_error_destroy(err); /* the open's own target covers its errors */
		return 0;
	}
	err = ksyms_table_from_image(img, NULL, &tab);
	if (err) {
		ksyms_error_destroy(err);
		tab = NULL;
	}
	size_t klen;
	const uint8_t *kdata = ksyms_image_kernel(img, &klen);
	struct ksyms_btf_info b;
	const void *blob;
	err = ksyms_image_btf(img, tab, NULL, &b, &blob);
	if (!err) {
		fuzz_check(b.offset <= klen && b.size <= klen - b.offset && (const uint8_t *)blob == kdata + b.offset);
		size_t sz;
		uint32_t types;
		struct ksyms_error *e2 = ks_btf_check(span_make(blob, (size_t)b.size, 0), b.byte_order == KSYMS_ENDIAN_BIG,
						      &sz, &types);
		fuzz_check(e2 == NULL && sz == b.size && types == b.num_types);
	}
	ksyms_error_destroy(err);
	if (tab) {
		KSYMS_OPTS(ksyms_elf_opts, eo, .has_slide = flags & 1, .slide = 0x1000000);
		struct ks_buf out = { 0 };
		struct ksyms_elf_result r;
		err = ksyms_elf_write(img, tab, &eo, to_buf, &out, &r);
		if (!err)
			check_elf(span_make(out.p, out.len, 0), &r);
		ksyms_error_destroy(err);
		ks_buf_free(&out);
	}
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	return 0;
}
