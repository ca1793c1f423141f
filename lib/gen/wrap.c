// SPDX-License-Identifier: MIT
/*
 * The synthetic image around the tables.
 *
 * A raw image is what a decompressed kernel looks like to the locator: a
 * few KiB of data that is not kallsyms (non-zero filler, so that nothing in
 * it passes for a token_index, whose first entry is 0), a "Linux version"
 * banner, then the tables, then more filler.  Nothing says where it is
 * loaded, as in a real raw image.
 *
 * An ELF image is the same bytes behind an ELF header and one PT_LOAD
 * program header that maps the whole file at the base address, so the
 * decoder reads virtual addresses from the program headers as it does for
 * a vmlinux.  No section headers: the decoder does not need them.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "core/endian.h"
#include "core/overflow.h"
#include "kernel/kernel.h"

enum {
	BANNER_OFFSET = 0x100,
	ET_EXEC = 2,
	PT_LOAD = 1,
	PF_R = 4,
	PF_X = 1,
};

/* Deterministic non-zero bytes (xorshift32): the output must not depend on
 * anything but the input. */
static bool filler(struct ks_buf *out, size_t n, uint32_t seed)
{
	uint32_t x = seed ? seed : 0x2545f491u;

	if (!ks_buf_reserve(out, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		uint8_t b = (uint8_t)(x >> 24);
		out->p[out->len++] = b ? b : 0x5a;
	}
	return true;
}

static size_t ehdr_size(unsigned word)
{
	return word == 8 ? 64 : 52;
}

static size_t phdr_size(unsigned word)
{
	return word == 8 ? 56 : 32;
}

/* The p_align of a segment mapping offset 0 at @base: vaddr and offset
 * must agree modulo it. */
static uint64_t segment_align(uint64_t base)
{
	return base % 0x1000 == 0 ? 0x1000 : 1;
}

static void put_ehdr(uint8_t *h, const struct ks_gen_target *t, uint16_t machine)
{
	bool be = t->be;
	unsigned w = t->word;

	memcpy(h, "\177ELF", 4);
	h[4] = w == 8 ? 2 : 1; /* ELFCLASS64 / ELFCLASS32 */
	h[5] = be ? 2 : 1;     /* ELFDATA2MSB / ELFDATA2LSB */
	h[6] = 1;              /* EV_CURRENT */
	store16(h + 16, ET_EXEC, be);
	store16(h + 18, machine, be);
	store32(h + 20, 1, be);
	/* e_entry, e_phoff, e_shoff (0: no sections), then the sizes */
	size_t p = 24;
	store_word(h + p, t->base, w, be);
	store_word(h + p + w, ehdr_size(w), w, be);
	store_word(h + p + 2 * w, 0, w, be);
	p += 3 * w;
	store32(h + p, 0, be); /* e_flags */
	store16(h + p + 4, (uint16_t)ehdr_size(w), be);
	store16(h + p + 6, (uint16_t)phdr_size(w), be);
	store16(h + p + 8, 1, be);                      /* e_phnum */
	store16(h + p + 10, w == 8 ? 64 : 40, be);      /* e_shentsize */
	store16(h + p + 12, 0, be);                     /* e_shnum */
	store16(h + p + 14, 0, be);                     /* e_shstrndx */
}

/* One PT_LOAD of @size bytes from offset 0 at the base address. */
static void put_phdr(uint8_t *ph, const struct ks_gen_target *t, uint64_t size)
{
	bool be = t->be;

	if (t->word == 8) {
		store32(ph, PT_LOAD, be);
		store32(ph + 4, PF_R | PF_X, be);
		store64(ph + 8, 0, be);
		store64(ph + 16, t->base, be);
		store64(ph + 24, t->base, be);
		store64(ph + 32, size, be);
		store64(ph + 40, size, be);
		store64(ph + 48, segment_align(t->base), be);
	} else {
		store32(ph, PT_LOAD, be);
		store32(ph + 4, 0, be);
		store32(ph + 8, (uint32_t)t->base, be);
		store32(ph + 12, (uint32_t)t->base, be);
		store32(ph + 16, (uint32_t)size, be);
		store32(ph + 20, (uint32_t)size, be);
		store32(ph + 24, PF_R | PF_X, be);
		store32(ph + 28, (uint32_t)segment_align(t->base), be);
	}
}

bool ks_gen_wrap_head(struct ks_buf *out, const struct ks_gen_target *t, bool elf, uint16_t e_machine,
		      const char *banner)
{
	size_t hdr = elf ? ehdr_size(t->word) + phdr_size(t->word) : 0;
	size_t blen = strlen(banner);

	/* the driver checks that the banner fits; reserving first also keeps
	 * ks_buf_zeros() off a NULL buffer when there is no header */
	if (!ks_buf_reserve(out, KS_GEN_TABLES_OFFSET) || !ks_buf_zeros(out, hdr))
		return false;
	if (elf)
		put_ehdr(out->p, t, e_machine);
	/* linux_banner[] ends "\n" and its NUL */
	if (!filler(out, BANNER_OFFSET - hdr, 1) || !ks_buf_append(out, banner, blen) ||
	    !ks_buf_append(out, "\n", 2))
		return false;
	return filler(out, KS_GEN_TABLES_OFFSET - out->len, 2);
}

bool ks_gen_wrap_tail(struct ks_buf *out, const struct ks_gen_target *t, bool elf)
{
	if (!filler(out, KS_GEN_TAIL_SIZE, 3))
		return false;
	if (elf)
		put_phdr(out->p + ehdr_size(t->word), t, out->len);
	return true;
}

/* Architectures that exist in only one byte order. */
static bool arch_fits_order(const char *arch, bool be)
{
	static const char *const little_only[] = { "i386", "x86_64", "riscv32", "riscv64", "loongarch64",
						   "alpha", "ia64" };
	static const char *const big_only[] = { "s390", "s390x", "sparc", "sparc64", "parisc", "parisc64", "m68k" };
	const char *const *list = be ? little_only : big_only;
	size_t n = be ? sizeof(little_only) / sizeof(*list) : sizeof(big_only) / sizeof(*list);

	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], arch) == 0)
			return false;
	return true;
}

/* The 32- or 64-bit sibling of @arch, or NULL. */
static const char *family_member(const char *arch, unsigned word)
{
	static const char *const family[][2] = {
		{ "i386", "x86_64" }, { "arm", "arm64" },   { "powerpc", "powerpc64" }, { "sparc", "sparc64" },
		{ "s390", "s390x" },  { "mips", "mips64" }, { "riscv32", "riscv64" },   { "parisc", "parisc64" },
	};

	for (size_t i = 0; i < sizeof(family) / sizeof(family[0]); i++)
		if (strcmp(family[i][0], arch) == 0 || strcmp(family[i][1], arch) == 0)
			return family[i][word == 8];
	return NULL;
}

uint16_t ks_gen_elf_machine(const struct ks_gen_list *l, unsigned word, bool be)
{
	/* without evidence: x86-64 / i386, PowerPC for big-endian */
	static const char *const defaults[2][2] = { { "i386", "powerpc" }, { "x86_64", "powerpc64" } };
	const char *def = defaults[word == 8][be];
	const char **names = malloc(l->n * sizeof(*names));
	const char *arch = NULL;

	if (names) {
		for (size_t i = 0; i < l->n; i++)
			names[i] = l->v[i].name;
		arch = ks_arch_from_symbols(names, l->n);
		free(names);
	}
	if (arch && ks_arch_word_size(arch) != (int)word)
		arch = family_member(arch, word);
	if (!arch || ks_arch_word_size(arch) != (int)word || !arch_fits_order(arch, be))
		arch = def;
	return ks_machine_from_arch(arch);
}
