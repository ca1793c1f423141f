// SPDX-License-Identifier: MIT
/*
 * e_machine and e_flags of a kernel that has no ELF header of its own.
 * The flags are those its build would have given vmlinux, so that
 * disassemblers pick the right instruction set and ABI:
 *
 *   ARM        EABI version 5 (every EABI kernel), soft-float (the kernel
 *              is built -msoft-float), BE8 for big-endian ARMv6+ kernels
 *   RISC-V     RVC when any function starts on a 2-byte boundary (only
 *              compressed instructions allow that); soft-float (lp64/ilp32)
 *   PowerPC64  ELFv2 for little-endian (the only ABI it has), ELFv1 for
 *              big-endian (the kernel's default before CONFIG_PPC64_ELF_ABI_V2)
 *   MIPS       o32 and MIPS32r2 for 32-bit, MIPS64r2 (n64) for 64-bit,
 *              noreorder (the kernel's assembly is written that way)
 *   LoongArch  soft-float (-mabi=lp64s), object ABI v1
 */
#include <string.h>

#include "layout.h"

enum { EM_MIPS = 8, EM_PPC64 = 21, EM_ARM = 40, EM_RISCV = 243, EM_LOONGARCH = 258 };

static const uint32_t EF_ARM_EABI_VER5 = 0x05000000, EF_ARM_ABI_FLOAT_SOFT = 0x200, EF_ARM_BE8 = 0x00800000,
		      EF_RISCV_RVC = 0x1, EF_MIPS_NOREORDER = 0x1, EF_MIPS_ABI_O32 = 0x1000,
		      EF_MIPS_ARCH_32R2 = 0x70000000, EF_MIPS_ARCH_64R2 = 0x80000000,
		      EF_LOONGARCH_ABI_SOFT_FLOAT = 0x1, EF_LOONGARCH_OBJABI_V1 = 0x40;

/* Whether a function starts at an address only compressed instructions allow. */
static bool has_rvc(struct ksyms_table *t)
{
	size_t n = ksyms_table_count(t);
	struct ksyms_symbol s;

	for (size_t i = 0; i < n; i++)
		if (ksyms_table_symbol(t, i, &s) && (s.type == 't' || s.type == 'T') && (s.addr & 3) == 2)
			return true;
	return false;
}

void ks_machine(const struct ks_elfw *w, uint16_t *ret_machine, uint32_t *ret_flags)
{
	uint16_t m = w->arch ? ks_machine_from_arch(w->arch) : 0;
	uint32_t f = 0;

	switch (m) {
	case EM_ARM:
		f = EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT | (w->be ? EF_ARM_BE8 : 0);
		break;
	case EM_RISCV:
		f = has_rvc(w->syms) ? EF_RISCV_RVC : 0;
		break;
	case EM_PPC64:
		f = w->be ? 1 : 2;
		break;
	case EM_MIPS:
		f = EF_MIPS_NOREORDER | (w->is64 ? EF_MIPS_ARCH_64R2 : EF_MIPS_ABI_O32 | EF_MIPS_ARCH_32R2);
		break;
	case EM_LOONGARCH:
		f = EF_LOONGARCH_ABI_SOFT_FLOAT | EF_LOONGARCH_OBJABI_V1;
		break;
	default:
		break;
	}
	*ret_machine = m;
	*ret_flags = f;
}
