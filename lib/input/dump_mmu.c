// SPDX-License-Identifier: MIT
/*
 * x86-64 page tables, read out of a dump: 4-level (PML4) or 5-level (LA57)
 * paging, 4 KiB pages, 2 MiB and 1 GiB large pages (Intel SDM vol. 3,
 * 4.5).  The root is a physical address: CR3 from the CPU state a QEMU
 * dump records, or init_top_pgt that VMCOREINFO names.  A walk reads at
 * most one entry per level; the kernel map reads the 512 page directory
 * entries of the kernel image's 1 GiB and the page tables they point to.
 */
#include <string.h>

#include "dump.h"

enum { PRESENT = 1, LARGE = 0x80 };
static const uint64_t ADDR_MASK = 0x000ffffffffff000ull;
/* __START_KERNEL_map and KERNEL_IMAGE_SIZE (arch/x86/include/asm/page_64_types.h) */
static const uint64_t START_KERNEL_MAP = 0xffffffff80000000ull, KERNEL_IMAGE_SIZE = 1ull << 30;

static bool entry(const struct ks_pa_reader *d, uint64_t table, unsigned idx, uint64_t *ret)
{
	uint8_t b[8];

	if (!d->read(d->ctx, (table & ADDR_MASK) + idx * 8, b, 8))
		return false;
	*ret = load64(b, false);
	return true;
}

/* Walk down to the entry for @va at level @stop (1: page table entry, 2:
 * page directory); *ret_level says where a large page ended the walk. */
static bool walk(const struct ks_pa_reader *d, uint64_t root, int levels, uint64_t va, int stop, uint64_t *ret, int *ret_level)
{
	uint64_t table = root, e = 0;

	for (int lvl = levels; lvl >= stop; lvl--) {
		unsigned idx = (unsigned)(va >> (12 + 9 * (lvl - 1))) & 511;
		if (!entry(d, table, idx, &e) || !(e & PRESENT))
			return false;
		if ((lvl == 2 || lvl == 3) && (e & LARGE)) {
			*ret = e;
			*ret_level = lvl;
			return true;
		}
		table = e;
	}
	*ret = e;
	*ret_level = stop;
	return true;
}

bool ks_mmu_x86_translate(const struct ks_pa_reader *d, uint64_t root, int levels, uint64_t va, uint64_t *ret_pa,
			  uint64_t *ret_size)
{
	uint64_t e;
	int lvl;

	if (!walk(d, root, levels, va, 1, &e, &lvl))
		return false;
	uint64_t page = 1ull << (12 + 9 * (lvl - 1));
	*ret_pa = (e & ADDR_MASK & ~(page - 1)) + (va & (page - 1));
	*ret_size = page - (va & (page - 1));
	return true;
}

static void add_run(struct ks_map_run *runs, size_t *n, size_t max, uint64_t va, uint64_t pa, uint64_t size)
{
	if (*n) {
		struct ks_map_run *r = &runs[*n - 1];
		if (r->va + r->size == va && r->pa + r->size == pa) {
			r->size += size;
			return;
		}
	}
	if (*n < max)
		runs[(*n)++] = (struct ks_map_run){ va, pa, size };
}

size_t ks_mmu_x86_kernel_map(const struct ks_pa_reader *d, uint64_t root, int levels, struct ks_map_run *ret, size_t max)
{
	size_t n = 0;

	for (uint64_t va = START_KERNEL_MAP; va - START_KERNEL_MAP < KERNEL_IMAGE_SIZE; va += 1ull << 21) {
		uint64_t e;
		int lvl;
		if (!walk(d, root, levels, va, 2, &e, &lvl))
			continue;
		if (lvl == 3) /* a 1 GiB page: the kernel map never uses one */
			return 0;
		if (e & LARGE) {
			add_run(ret, &n, max, va, e & ADDR_MASK & ~((1ull << 21) - 1), 1ull << 21);
			continue;
		}
		uint8_t pt[4096];
		if (!d->read(d->ctx, e & ADDR_MASK, pt, sizeof(pt)))
			continue;
		for (unsigned i = 0; i < 512; i++) {
			uint64_t pte = load64(pt + i * 8, false);
			if (pte & PRESENT)
				add_run(ret, &n, max, va + ((uint64_t)i << 12), pte & ADDR_MASK, 4096);
		}
	}
	return n;
}
