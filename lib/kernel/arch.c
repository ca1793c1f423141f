// SPDX-License-Identifier: MIT
/*
 * Architecture names: from ELF e_machine, and guessed from the names of
 * decoded symbols when the image says nothing (a bare dump).  Syscall
 * wrapper prefixes (__x64_sys_, __arm64_sys_, ... since 4.17) and
 * arch-only helpers make the guess reliable without disassembly.
 */
#include <string.h>

#include "kernel.h"
#include "core/compiler.h"

struct arch_desc {
	const char *name;
	uint16_t machine;
	int word_size;
};

static const struct arch_desc arches[] = {
	{ "i386", 3, 4 },       { "x86_64", 62, 8 },   { "arm", 40, 4 },       { "arm64", 183, 8 },
	{ "mips", 8, 4 },       { "mips64", 8, 8 },    { "powerpc", 20, 4 },   { "powerpc64", 21, 8 },
	{ "s390", 22, 4 },      { "s390x", 22, 8 },    { "riscv32", 243, 4 },  { "riscv64", 243, 8 },
	{ "loongarch64", 258, 8 }, { "sparc", 2, 4 },  { "sparc64", 43, 8 },   { "parisc", 15, 4 },
	{ "parisc64", 15, 8 },  { "ia64", 50, 8 },     { "sh", 42, 4 },        { "m68k", 4, 4 },
	{ "alpha", 0x9026, 8 }, { "xtensa", 94, 4 },   { "openrisc", 92, 4 },  { "arc", 195, 4 },
	{ "microblaze", 189, 4 }, { "hexagon", 164, 4 }, { "csky", 252, 4 }, { "nios2", 113, 4 },
};

const char *ks_arch_from_machine(uint16_t e_machine, int word_size)
{
	const char *any = NULL;

	for (size_t i = 0; i < KS_ARRAY_SIZE(arches); i++) {
		if (arches[i].machine != e_machine)
			continue;
		if (arches[i].word_size == word_size)
			return arches[i].name;
		any = any ? any : arches[i].name;
	}
	return any;
}

uint16_t ks_machine_from_arch(const char *arch)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(arches); i++)
		if (strcmp(arches[i].name, arch) == 0)
			return arches[i].machine;
	return 0;
}

int ks_arch_word_size(const char *arch)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(arches); i++)
		if (strcmp(arches[i].name, arch) == 0)
			return arches[i].word_size;
	return 0;
}

/* Symbol-name evidence: a prefix (or exact name, if it ends in '$') and
 * the architecture it points to. */
static const struct {
	const char *prefix;
	const char *arch;
} evidence[] = {
	{ "__x64_sys_", "x86_64" },     { "startup_64$", "x86_64" },     { "__ia32_sys_", "x86_64" },
	{ "startup_32$", "i386" },      { "__arm64_sys_", "arm64" },     { "arm64_", "arm64" },
	{ "__aeabi_", "arm" },          { "cpu_v7_", "arm" },            { "arm_dma_", "arm" },
	{ "__riscv_sys_", "riscv64" },  { "riscv_", "riscv64" },         { "__s390x_sys_", "s390x" },
	{ "s390_", "s390x" },           { "ppc_", "powerpc64" },         { "kvmppc_", "powerpc64" },
	{ "__mips", "mips" },           { "r4k_", "mips" },              { "mips_", "mips" },
	{ "loongarch_", "loongarch64" }, { "__loongarch", "loongarch64" }, { "sparc_", "sparc64" },
	{ "parisc_", "parisc" },        { "ia64_", "ia64" },             { "m68k_", "m68k" },
};

static bool matches(const char *name, const char *prefix)
{
	size_t n = strlen(prefix);

	if (prefix[n - 1] == '$')
		return strncmp(name, prefix, n - 1) == 0 && name[n - 1] == 0;
	return strncmp(name, prefix, n) == 0;
}

const char *ks_arch_from_symbols(const char *const *names, size_t n)
{
	size_t hits[KS_ARRAY_SIZE(evidence)] = { 0 };
	const char *best = NULL;
	size_t best_hits = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t e = 0; e < KS_ARRAY_SIZE(evidence); e++)
			if (names[i][0] == evidence[e].prefix[0] && matches(names[i], evidence[e].prefix))
				hits[e]++;
	/* sum the evidence per architecture */
	for (size_t e = 0; e < KS_ARRAY_SIZE(evidence); e++) {
		size_t total = 0;
		for (size_t j = 0; j < KS_ARRAY_SIZE(evidence); j++)
			if (strcmp(evidence[j].arch, evidence[e].arch) == 0)
				total += hits[j];
		if (total > best_hits) {
			best_hits = total;
			best = evidence[e].arch;
		}
	}
	return best_hits >= 3 ? best : NULL;
}

/* PE/COFF machine types of the EFI stubs Linux links into its images
 * (arm64, riscv and loongarch Image headers, x86 bzImage, ARM zImage). */
const char *ks_arch_from_pe_machine(uint16_t machine)
{
	switch (machine) {
	case 0x14c:
		return "i386";
	case 0x8664:
		return "x86_64";
	case 0x1c2: /* ARM Thumb-2: the 32-bit ARM stub */
	case 0x1c0:
		return "arm";
	case 0xaa64:
		return "arm64";
	case 0x5032:
		return "riscv32";
	case 0x5064:
		return "riscv64";
	case 0x6232:
		return "loongarch32";
	case 0x6264:
		return "loongarch64";
	default:
		return NULL;
	}
}

/* An architecture name as containers spell it (U-Boot's uImage and FIT
 * names), when it says the word size too; NULL if not ("riscv"). */
const char *ks_arch_from_name(const char *name)
{
	static const struct {
		const char *name, *arch;
	} names[] = {
		{ "arm", "arm" },         { "arm64", "arm64" },   { "aarch64", "arm64" }, { "x86", "i386" },
		{ "i386", "i386" },       { "x86_64", "x86_64" }, { "mips", "mips" },     { "mips64", "mips64" },
		{ "powerpc", "powerpc" }, { "ppc", "powerpc" },   { "s390", "s390x" },    { "sparc", "sparc" },
		{ "sparc64", "sparc64" }, { "ia64", "ia64" },     { "m68k", "m68k" },     { "sh", "sh" },
		{ "arc", "arc" },         { "xtensa", "xtensa" }, { "microblaze", "microblaze" },
		{ "nios2", "nios2" },     { "or1k", "openrisc" }, { "alpha", "alpha" },
	};

	for (size_t i = 0; name && i < KS_ARRAY_SIZE(names); i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].arch;
	return NULL;
}

/*
 * The top 16 bits a 64-bit kernel's virtual addresses have: the upper
 * half on x86-64, arm64, riscv64, alpha and MIPS CKSEG0 (sign-extended);
 * 0xc000 on powerpc64; the bottom on s390x, sparc64 and parisc64; 0xa000
 * on ia64 (region 5); 0x9000 on loongarch64 (the cached direct-mapped
 * window, CSR_DMW1_BASE); 0x9800/0xa800 on MIPS64 kernels in XKPHYS
 * (Octeon, Loongson 3).  With the architecture unknown, any of them.
 */
static const struct {
	const char *arch;
	uint16_t top[3];
	uint8_t n;
} va_tops[] = {
	{ "x86_64", { 0xffff }, 1 },       { "arm64", { 0xffff }, 1 },      { "riscv64", { 0xffff }, 1 },
	{ "alpha", { 0xffff }, 1 },        { "powerpc64", { 0xc000 }, 1 },  { "s390x", { 0x0000 }, 1 },
	{ "sparc64", { 0x0000 }, 1 },      { "parisc64", { 0x0000 }, 1 },   { "ia64", { 0xa000 }, 1 },
	{ "loongarch64", { 0x9000 }, 1 },  { "mips64", { 0xffff, 0x9800, 0xa800 }, 3 },
};

void ks_arch_va_tops(const char *arch, struct ks_va_tops *ret)
{
	bool any = false;

	memset(ret, 0, sizeof(*ret));
	for (int pass = 0; pass < 2 && !any; pass++) {
		/* pass 1, no architecture or one this table does not know: any known top */
		for (size_t i = 0; i < KS_ARRAY_SIZE(va_tops); i++) {
			if (pass == 0 && (!arch || strcmp(arch, va_tops[i].arch) != 0))
				continue;
			for (unsigned j = 0; j < va_tops[i].n; j++)
				ret->bits[va_tops[i].top[j] >> 6] |= 1ull << (va_tops[i].top[j] & 63);
			any = true;
		}
	}
}

bool ks_arch_va_top_ok(const char *arch, uint16_t top)
{
	bool any = false;

	for (size_t i = 0; i < KS_ARRAY_SIZE(va_tops); i++) {
		if (arch && strcmp(arch, va_tops[i].arch) != 0)
			continue;
		for (unsigned j = 0; j < va_tops[i].n; j++)
			if (va_tops[i].top[j] == top)
				return true;
		any = true;
	}
	/* an architecture this table does not know: any known top */
	return !any && ks_arch_va_top_ok(NULL, top);
}
