// SPDX-License-Identifier: MIT
/*
 * ELF core files (e_type ET_CORE): what kdump's /proc/vmcore is copied out
 * as, what makedumpfile -E writes, what QEMU's dump-guest-memory writes
 * without compression.  Each PT_LOAD is a run of physical memory (p_paddr)
 * at p_offset; PT_NOTE segments hold VMCOREINFO and the CPU state.  Loads
 * are trusted for nothing: a load that runs past the file is cut at its
 * end, one that overlaps an earlier one loses the overlap, and the notes
 * parser stops at the first note that lies about its size.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "core/error.h"
#include "core/overflow.h"
#include "kernel/elf.h"

enum { ET_CORE = 4, PT_NOTE = 4, PN_XNUM = 0xffff, NOTE_MAX = 64 << 20 };

bool ks_dump_elf_detect(struct span file)
{
	uint16_t type;
	uint8_t data;

	if (!ks_elf_is_elf(file) || !span_u8(file, 5, &data) || (data != 1 && data != 2))
		return false;
	return span_u16(file, 16, data == 2, &type) && type == ET_CORE;
}

/* QEMU's x86-64 CPU state note (target/i386/arch_dump.c, QEMUCPUState):
 * version, size, 16 general registers, rip, rflags, ten segment
 * descriptors of 24 bytes, then cr[0..4]. */
enum { QEMU_X86_CR0 = 8 + 18 * 8 + 10 * 24 };

static void qemu_cpu_state(struct ks_dump *d, struct span desc)
{
	uint32_t size;

	d->cpus++;
	if (d->has_cr3 || d->e_machine != 62 || !span_u32(desc, 4, d->be, &size) || size > desc.len ||
	    size < QEMU_X86_CR0 + 5 * 8)
		return;
	if (span_u64(desc, QEMU_X86_CR0 + 3 * 8, d->be, &d->cr3) && span_u64(desc, QEMU_X86_CR0 + 4 * 8, d->be, &d->cr4))
		d->has_cr3 = d->cr3 != 0;
}

static void vmcoreinfo_note(struct ks_dump *d, struct span desc, const char *source)
{
	size_t n = desc.len;

	while (n && desc.p[n - 1] == 0)
		n--;
	if (d->vmci.text || !ks_vmci_valid((const char *)desc.p, n))
		return;
	d->vmci.text = (const char *)desc.p;
	d->vmci.len = n;
	d->vmci_source = source;
}

void ks_dump_parse_notes(struct ks_dump *d, struct span notes)
{
	size_t pos = 0;

	while (pos + 12 <= notes.len) {
		uint32_t namesz = 0, descsz = 0, type = 0;
		size_t name_end, desc_off, desc_end;
		span_u32(notes, pos, d->be, &namesz);
		span_u32(notes, pos + 4, d->be, &descsz);
		span_u32(notes, pos + 8, d->be, &type);
		if (namesz == 0 && descsz == 0 && type == 0)
			break; /* padding */
		if (ckd_add_size(&name_end, pos + 12, namesz) || align_up_size(&desc_off, name_end, 4) ||
		    ckd_add_size(&desc_end, desc_off, descsz) || desc_end > notes.len) {
			d->notes_bad = true;
			return;
		}
		struct span name = { 0 }, desc = { 0 };
		if (!span_sub(notes, pos + 12, namesz, &name) || !span_sub(notes, desc_off, descsz, &desc)) {
			d->notes_bad = true;
			return;
		}
		size_t nl = namesz && name.p[namesz - 1] == 0 ? namesz - 1 : namesz;
		if (nl == 10 && memcmp(name.p, "VMCOREINFO", 10) == 0)
			vmcoreinfo_note(d, desc, "its VMCOREINFO note");
		else if (nl == 4 && memcmp(name.p, "QEMU", 4) == 0)
			qemu_cpu_state(d, desc);
		if (align_up_size(&pos, desc_end, 4))
			break;
	}
}

static int cmp_range(const void *a, const void *b)
{
	const struct ks_dump_range *x = a, *y = b;

	return (x->pa > y->pa) - (x->pa < y->pa);
}

/* Sort the ranges by physical address and cut overlaps: the earlier range
 * keeps the bytes two loads claim. */
void ks_dump_sort_ranges(struct ks_dump *d)
{
	size_t m = 0;

	qsort(d->ranges, d->nranges, sizeof(*d->ranges), cmp_range);
	for (size_t i = 0; i < d->nranges; i++) {
		struct ks_dump_range r = d->ranges[i];
		if (m) {
			const struct ks_dump_range *p = &d->ranges[m - 1];
			uint64_t end = p->pa + p->size;
			if (r.pa < end) {
				uint64_t cut = end - r.pa;
				if (cut >= r.size)
					continue;
				r.pa += cut;
				r.size -= cut;
				r.file_off += cut;
				r.file_size = r.file_size > cut ? r.file_size - cut : 0;
			}
		}
		d->ranges[m++] = r;
	}
	d->nranges = m;
}

/* The number of program headers: e_phnum, or sh_info of section 0 when
 * there are more than 65534 (PN_XNUM, what QEMU writes for big guests). */
static size_t phnum(const struct ks_elf *e)
{
	uint32_t info;

	if (e->phnum != PN_XNUM || !e->shoff)
		return e->phnum;
	if (!span_u32(e->data, (size_t)e->shoff + (e->is64 ? 44 : 28), e->be, &info))
		return 0;
	return info;
}

struct ksyms_error *ks_dump_elf_open(struct ks_dump *d)
{
	struct ks_elf e;
	struct ksyms_error *err = ks_elf_parse(d->file, &e);
	struct span f = d->file;

	if (err)
		return ks_error_wrap(err, "ELF core");
	d->format = "ELF core";
	d->e_machine = e.machine;
	d->word_size = e.is64 ? 8 : 4;
	d->be = e.be;
	d->arch = ks_arch_from_machine(e.machine, d->word_size);
	size_t n = phnum(&e), entsz = e.is64 ? 56 : 32;
	uint64_t bytes;
	if (e.phentsize < entsz || __builtin_mul_overflow((uint64_t)n, (uint64_t)e.phentsize, &bytes) ||
	    e.phoff > f.len || bytes > f.len - e.phoff)
		return ks_error_at((int64_t)e.phoff, "ELF core: %zu program headers at 0x%llx lie outside the file", n,
				   (unsigned long long)e.phoff);
	d->ranges = calloc(n ? n : 1, sizeof(*d->ranges));
	if (!d->ranges)
		return &ks_enomem;
	e.phnum = (uint16_t)(n > 0xffff ? 0xffff : n);
	for (size_t i = 0; i < n; i++) {
		struct ks_elf_phdr ph;
		const uint8_t *p = span_at(f, (size_t)e.phoff + i * e.phentsize, entsz);
		if (!p)
			break;
		ph.type = load32(p, e.be);
		if (e.is64) {
			ph.offset = load64(p + 8, e.be);
			ph.vaddr = load64(p + 16, e.be);
			ph.paddr = load64(p + 24, e.be);
			ph.filesz = load64(p + 32, e.be);
			ph.memsz = load64(p + 40, e.be);
		} else {
			ph.offset = load32(p + 4, e.be);
			ph.vaddr = load32(p + 8, e.be);
			ph.paddr = load32(p + 12, e.be);
			ph.filesz = load32(p + 16, e.be);
			ph.memsz = load32(p + 20, e.be);
		}
		if (ph.type == PT_NOTE) {
			struct span notes;
			uint64_t len = ph.filesz > NOTE_MAX ? NOTE_MAX : ph.filesz;
			if (ph.offset <= f.len && len <= f.len - ph.offset &&
			    span_sub(f, (size_t)ph.offset, (size_t)len, &notes))
				ks_dump_parse_notes(d, notes);
			else
				d->notes_bad = true;
			continue;
		}
		if (ph.type != KS_PT_LOAD || !ph.memsz)
			continue;
		/* /proc/kcore: loads without a physical address (vmalloc,
		 * modules) say p_paddr = -1 */
		if (ph.paddr == ~0ull || (!e.is64 && ph.paddr == 0xffffffffull))
			continue;
		uint64_t fs = ph.filesz < ph.memsz ? ph.filesz : ph.memsz, end;
		if (ph.offset > f.len)
			fs = 0;
		else if (fs > f.len - ph.offset)
			fs = f.len - ph.offset; /* a core cut short */
		if (ckd_add_u64(&end, ph.paddr, ph.memsz))
			continue;
		d->ranges[d->nranges++] = (struct ks_dump_range){ ph.paddr, ph.memsz, ph.offset, fs };
	}
	ks_dump_sort_ranges(d);
	if (!d->nranges)
		return ks_error(KSYMS_ERR_NOT_FOUND, "ELF core without memory (no PT_LOAD with a physical address)");
	/* only QEMU writes "QEMU" notes; kdump's /proc/vmcore and
	 * makedumpfile -E carry VMCOREINFO */
	d->producer = d->cpus ? "QEMU dump-guest-memory" : d->vmci.text ? "kdump or makedumpfile -E" : NULL;
	return NULL;
}
