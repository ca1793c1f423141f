// SPDX-License-Identifier: MIT
/*
 * Memory dumps (dump.h): open one, find the running kernel's image in it,
 * and hand on a window of memory that holds it.
 *
 * The window's place, in order of what is known:
 *  1. VMCOREINFO (a note, the kdump header, or the page the kernel keeps
 *     at boot, found in memory): x86-64 names init_top_pgt and phys_base,
 *     so the kernel's page tables give the image's mapping, virtual and
 *     physical; arm64 states kimage_voffset (virtual minus physical) and
 *     _stext, and the image starts with its Image header, which states
 *     its size.
 *  2. Without it, the kallsyms token table is found by its "0".."9" run,
 *     and on x86-64 the CPU state (CR3) that QEMU records gives the page
 *     tables; an arm64 image is found by its header before the tables.
 *  3. Otherwise a physical window around the tables, addresses unknown:
 *     the decoder infers them as it does for a raw image.
 * What VMCOREINFO says is checked against the memory (the window must
 * hold kallsyms tables); when it does not, the scan takes over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "classify.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/overflow.h"
#include "decompress/decompress.h"

enum {
	MAX_RUNS = 4096,
	SCAN_PAGE = 4096,
	VMCI_MAX = 4096, /* VMCOREINFO_BYTES: one page */
	MAX_ANCHORS = 8,
	SCAN_CHUNK = 4 << 20,
	MAX_CANDIDATES = 4096, /* digit runs checked; the rest of a hostile dump's are ignored */
};
static const uint64_t DEFAULT_WINDOW = 256ull << 20;
static const uint64_t X86_START_KERNEL_MAP = 0xffffffff80000000ull;
static const uint64_t WINDOW_AROUND = 48ull << 20; /* either side of the tables when nothing bounds the image */

/* "0\0" "1\0" ... "9\0": the digit tokens, consecutive in every kallsyms_token_table */
static const char DIGITS[] = "0\0001\0002\0003\0004\0005\0006\0007\0008\0009";

bool ks_dump_detect(struct span file)
{
	return ks_dump_elf_detect(file) || ks_dump_kdump_detect(file) || ks_dump_flat_detect(file) ||
	       ks_dump_lime_detect(file);
}

/* ------------------------------------------------------------------------ */
/* reading memory */

static const struct ks_dump_range *range_at(const struct ks_dump *d, uint64_t pa)
{
	size_t lo = 0, hi = d->nranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->ranges[mid].pa <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	const struct ks_dump_range *r = &d->ranges[lo - 1];
	return pa - r->pa < r->size ? r : NULL;
}

/* The first range that starts above @pa, or NULL. */
static const struct ks_dump_range *range_after(const struct ks_dump *d, uint64_t pa)
{
	for (size_t i = 0; i < d->nranges; i++)
		if (d->ranges[i].pa > pa)
			return &d->ranges[i];
	return NULL;
}

bool ks_dump_read_pa(struct ks_dump *d, uint64_t pa, void *buf, size_t len, uint64_t *ret_missing)
{
	uint8_t *out = buf;
	uint64_t missing = 0;
	bool any = false, corrupt = false;

	while (len) {
		size_t n;
		if (d->is_kdump) {
			uint64_t bs = d->kd.block_size, pfn = pa / bs, in = pa % bs;
			const uint8_t *page;
			bool miss;
			n = (size_t)(bs - in) < len ? (size_t)(bs - in) : len;
			if (ks_kdump_read_page(d, pfn, &page, &miss)) {
				memcpy(out, page + in, n);
				any = true;
			} else {
				memset(out, 0, n);
				missing += n;
				corrupt |= !miss;
			}
		} else {
			const struct ks_dump_range *r = range_at(d, pa);
			if (!r) {
				const struct ks_dump_range *next = range_after(d, pa);
				uint64_t gap = next ? next->pa - pa : ~0ull;
				n = gap < len ? (size_t)gap : len;
				memset(out, 0, n);
				missing += n;
			} else {
				uint64_t in = pa - r->pa, left = r->size - in;
				n = left < len ? (size_t)left : len;
				uint64_t have = in < r->file_size ? r->file_size - in : 0;
				size_t copy = have < n ? (size_t)have : n;
				const uint8_t *p = copy ? span_at(d->file, (size_t)(r->file_off + in), copy) : NULL;
				if (p)
					memcpy(out, p, copy);
				else
					copy = 0;
				memset(out + copy, 0, n - copy);
				missing += n - copy;
				any |= copy > 0;
			}
		}
		out += n;
		len -= n;
		if (pa + n < pa)
			break;
		pa += n;
	}
	if (ret_missing)
		*ret_missing += missing;
	return any && !corrupt;
}

bool ks_dump_off_to_pa(const struct ks_dump *d, uint64_t off, uint64_t *ret)
{
	for (size_t i = 0; i < d->npieces; i++) {
		const struct ks_phys_piece *p = &d->pieces[i];
		if (off >= p->off && off - p->off < p->size) {
			*ret = p->pa + (off - p->off);
			return true;
		}
	}
	return false;
}

/* Physical memory for the page-table walker: every byte there, or false. */
static bool read_all_pa(void *ctx, uint64_t pa, void *buf, size_t len)
{
	uint64_t missing = 0;

	return ks_dump_read_pa(ctx, pa, buf, len, &missing) && !missing;
}

/* x86-64: the page tables, from VMCOREINFO's init_top_pgt or CR3. */
static bool mmu_setup(struct ks_dump *d)
{
	uint64_t top, phys_base, l5 = 0;

	if (d->mmu_ready)
		return d->mmu_root != 0;
	d->mmu_ready = true;
	if (!d->arch || strcmp(d->arch, "x86_64") != 0)
		return false;
	if (ks_vmci_symbol(&d->vmci, "init_top_pgt", &top) && ks_vmci_num(&d->vmci, "phys_base", &phys_base) &&
	    top >= X86_START_KERNEL_MAP) {
		ks_vmci_num(&d->vmci, "pgtable_l5_enabled", &l5);
		d->mmu_root = top - X86_START_KERNEL_MAP + phys_base;
		d->mmu_levels = l5 ? 5 : 4;
	} else if (d->has_cr3) {
		d->mmu_root = d->cr3 & 0x000ffffffffff000ull;
		d->mmu_levels = (d->cr4 >> 12) & 1 ? 5 : 4; /* CR4.LA57 */
	}
	return d->mmu_root != 0;
}

bool ks_dump_read_va(struct ks_dump *d, uint64_t va, void *buf, size_t len)
{
	uint8_t *out = buf;

	/* the window first: no page-table walk for the kernel's own data */
	const uint8_t *p = d->va_known && va >= d->va && va - d->va <= d->data.len
				   ? span_at(d->data, (size_t)(va - d->va), len) : NULL;
	if (p) {
		memcpy(out, p, len);
		return true;
	}
	if (!mmu_setup(d))
		return false;
	while (len) {
		uint64_t pa, size;
		struct ks_pa_reader rd = { read_all_pa, d };
		if (!ks_mmu_x86_translate(&rd, d->mmu_root, d->mmu_levels, va, &pa, &size))
			return false;
		size_t n = size < len ? (size_t)size : len;
		uint64_t missing = 0;
		if (!ks_dump_read_pa(d, pa, out, n, &missing) || missing)
			return false;
		out += n;
		len -= n;
		va += n;
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* the scan: VMCOREINFO's page and the kallsyms digit tokens */

struct scan {
	uint64_t anchors[MAX_ANCHORS];
	size_t nanchors;
	bool want_vmci;
	uint64_t vmci_pa;
	bool vmci_found;
	uint8_t vmci[VMCI_MAX];
	size_t vmci_len;
	uint64_t bytes;
	size_t candidates;
	uint8_t *page;
};

static void scan_page_start(struct scan *s, const uint8_t *p, size_t avail, uint64_t pa)
{
	if (!s->want_vmci || s->vmci_found || avail < 10 || memcmp(p, "OSRELEASE=", 10) != 0)
		return;
	size_t n = avail < VMCI_MAX ? avail : VMCI_MAX;
	const uint8_t *nul = memchr(p, 0, n);
	size_t len = nul ? (size_t)(nul - p) : n;
	if (!ks_vmci_valid((const char *)p, len))
		return;
	memcpy(s->vmci, p, len);
	s->vmci_len = len;
	s->vmci_pa = pa;
	s->vmci_found = true;
}

/*
 * Whether the digit run at physical @pa is inside a kallsyms_token_table:
 * the "0" token is entry 48, so 48 strings back is the table's start, 256
 * strings on its end, and kallsyms_token_index (256 ascending u16 from 0,
 * one per string) follows within the alignment padding.  Copies of a
 * table's bytes elsewhere (a page cache, a second kernel) fail nothing
 * here, but nor would they decode any worse.
 */
static bool anchor_is_token_table(struct ks_dump *d, uint64_t pa)
{
	enum { BEFORE = 48 * 33, AFTER = 8192 };
	uint8_t *b = malloc(BEFORE + AFTER);
	uint64_t missing = 0, start = pa > BEFORE ? pa - BEFORE : 0;
	bool ok = false;

	if (!b)
		return false;
	size_t at = (size_t)(pa - start), len = (size_t)(pa - start) + AFTER;
	if (!ks_dump_read_pa(d, start, b, len, &missing))
		goto out;
	struct span s = span_make(b, len, start);
	/* back over 48 strings: each ends with the NUL before the next */
	size_t t = at;
	for (int i = 0; i < 48; i++) {
		if (t < 2 || s.p[t - 1] != 0)
			goto out;
		size_t q = t - 1;
		while (q > 0 && s.p[q - 1] >= 0x20 && s.p[q - 1] < 0x7f && t - 1 - q < 64)
			q--;
		if (q == t - 1)
			goto out; /* an empty token: codes below '0' are never empty in practice */
		t = q;
	}
	size_t e = t, offs[256];
	for (int i = 0; i < 256; i++) {
		size_t n = span_strnlen(s, e, 64);
		if (n == SIZE_MAX)
			goto out;
		offs[i] = e - t;
		e += n + 1;
	}
	for (size_t pad = 0; pad < 8 && !ok; pad++) {
		size_t idx = e + pad;
		bool good = true;
		for (int i = 0; i < 256 && good; i++) {
			uint16_t v;
			good = span_u16(s, idx + 2 * (size_t)i, d->be, &v) && v == offs[i];
		}
		ok = good;
	}
out:
	free(b);
	return ok;
}

static void scan_block(struct ks_dump *d, struct scan *s, struct span b, uint64_t pa)
{
	s->bytes += b.len;
	for (size_t off = (size_t)((SCAN_PAGE - pa % SCAN_PAGE) % SCAN_PAGE); off < b.len; off += SCAN_PAGE)
		scan_page_start(s, b.p + off, b.len - off, pa + off);
	size_t from = 0, at;
	while (s->nanchors < MAX_ANCHORS && (at = span_find(b, from, DIGITS, sizeof(DIGITS))) != SIZE_MAX) {
		s->candidates++;
		if (s->candidates <= MAX_CANDIDATES && anchor_is_token_table(d, pa + at))
			s->anchors[s->nanchors++] = pa + at;
		from = at + 1;
	}
}

static bool scan_done(const struct scan *s)
{
	return s->vmci_found || (!s->want_vmci && s->nanchors);
}

static void scan_memory(struct ks_dump *d, struct scan *s)
{
	if (!d->is_kdump) {
		for (size_t i = 0; i < d->nranges && !scan_done(s); i++) {
			const struct ks_dump_range *r = &d->ranges[i];
			/* in chunks, so that the scan stops where VMCOREINFO is
			 * (a chunk boundary can split a digit run: the next
			 * chunk starts a little before it) */
			for (uint64_t at = 0; at < r->file_size && !scan_done(s); at += SCAN_CHUNK) {
				uint64_t back = at ? 32 : 0, len = r->file_size - at + back;
				struct span b;
				len = len < SCAN_CHUNK + back ? len : SCAN_CHUNK + back;
				if (span_sub(d->file, (size_t)(r->file_off + at - back), (size_t)len, &b))
					scan_block(d, s, b, r->pa + at - back);
			}
		}
		return;
	}
	for (uint64_t pfn = 0; pfn < d->kd.max_mapnr && !scan_done(s); pfn++) {
		const uint8_t *page;
		bool miss;
		if (ks_kdump_read_page(d, pfn, &page, &miss))
		{
			/* the check may read other pages: scan a copy */
			memcpy(s->page, page, d->kd.block_size);
			scan_block(d, s, span_make(s->page, d->kd.block_size, 0), pfn * d->kd.block_size);
		}
	}
}

/* ------------------------------------------------------------------------ */
/* the kernel window */

static struct ksyms_error *add_piece(struct ks_dump *d, uint64_t off, uint64_t pa, uint64_t size, size_t *cap)
{
	if (d->npieces && d->pieces[d->npieces - 1].off + d->pieces[d->npieces - 1].size == off &&
	    d->pieces[d->npieces - 1].pa + d->pieces[d->npieces - 1].size == pa) {
		d->pieces[d->npieces - 1].size += size;
		return NULL;
	}
	if (d->npieces == *cap && !ks_grow((void **)&d->pieces, cap, d->npieces + 1, sizeof(*d->pieces)))
		return &ks_enomem;
	d->pieces[d->npieces++] = (struct ks_phys_piece){ off, pa, size };
	return NULL;
}

/* Read the window described by the pieces: a span of the file when one
 * range holds all of it, else a copy. */
static struct ksyms_error *read_window(struct ks_dump *d, uint64_t len)
{
	if (!d->is_kdump && d->npieces == 1) {
		const struct ks_dump_range *r = range_at(d, d->pieces[0].pa);
		uint64_t in = r ? d->pieces[0].pa - r->pa : 0;
		if (r && in <= r->file_size && len <= r->file_size - in &&
		    span_sub(d->file, (size_t)(r->file_off + in), (size_t)len, &d->data))
			return NULL;
	}
	d->window = malloc(len ? (size_t)len : 1);
	if (!d->window)
		return &ks_enomem;
	memset(d->window, 0, (size_t)len);
	for (size_t i = 0; i < d->npieces; i++) {
		const struct ks_phys_piece *p = &d->pieces[i];
		ks_dump_read_pa(d, p->pa, d->window + p->off, (size_t)p->size, &d->missing);
	}
	d->data = span_make(d->window, (size_t)len, 0);
	return NULL;
}

static void reset_window(struct ks_dump *d)
{
	free(d->window);
	d->window = NULL;
	free(d->pieces);
	d->pieces = NULL;
	d->npieces = 0;
	d->data = span_make(NULL, 0, 0);
	d->va_known = false;
	d->va_source = NULL;
	d->missing = 0;
}

/* A window that is one physical run. */
static struct ksyms_error *window_physical(struct ks_dump *d, uint64_t pa, uint64_t len)
{
	size_t cap = 0;
	struct ksyms_error *err = add_piece(d, 0, pa, len, &cap);

	return err ? err : read_window(d, len);
}

/* Does the window hold what a kernel's kallsyms must (the digit tokens)? */
static bool window_has_tables(struct ks_dump *d)
{
	size_t from = 0, at;
	uint64_t pa;

	for (int i = 0; i < 16 && (at = span_find(d->data, from, DIGITS, sizeof(DIGITS))) != SIZE_MAX; i++) {
		if (ks_dump_off_to_pa(d, at, &pa) && anchor_is_token_table(d, pa))
			return true;
		from = at + 1;
	}
	return false;
}

/* x86-64: the kernel image's mapping in the page tables.  Runs with the
 * same virtual-minus-physical delta as the one holding @pa_in (or the
 * biggest) make the window; holes between them (init memory freed and
 * unmapped after boot) are read at the same delta, the image being
 * physically contiguous. */
static struct ksyms_error *window_x86_pgtable(struct ks_dump *d, uint64_t root, int levels, bool have_pa,
					      uint64_t pa_in, uint64_t max_window, bool *ret_ok)
{
	struct ks_map_run *runs = malloc(MAX_RUNS * sizeof(*runs));
	size_t n, pick = SIZE_MAX;

	*ret_ok = false;
	if (!runs)
		return &ks_enomem;
	struct ks_pa_reader rd = { read_all_pa, d };
	n = ks_mmu_x86_kernel_map(&rd, root, levels, runs, MAX_RUNS);
	for (size_t i = 0; i < n; i++) {
		if (have_pa ? pa_in - runs[i].pa < runs[i].size
			    : pick == SIZE_MAX || runs[i].size > runs[pick].size)
			pick = i;
	}
	if (pick == SIZE_MAX) {
		free(runs);
		return NULL;
	}
	uint64_t delta = runs[pick].va - runs[pick].pa, lo = runs[pick].va, hi = runs[pick].va + runs[pick].size;
	for (size_t i = 0; i < n; i++) {
		if (runs[i].va - runs[i].pa != delta)
			continue;
		lo = runs[i].va < lo ? runs[i].va : lo;
		hi = runs[i].va + runs[i].size > hi ? runs[i].va + runs[i].size : hi;
	}
	free(runs);
	if (hi - lo > max_window)
		hi = lo + max_window;
	struct ksyms_error *err = window_physical(d, lo - delta, hi - lo);
	if (err)
		return err;
	d->va_known = true;
	d->va = lo;
	*ret_ok = true;
	return NULL;
}

/* arm64: the Image header (magic "ARM\x64" at 0x38) at or before @pa, on a
 * 4 KiB boundary, within @back bytes. */
static bool arm64_header_before(struct ks_dump *d, uint64_t pa, uint64_t back, uint64_t *ret_pa, uint64_t *ret_size)
{
	uint8_t h[64];

	for (uint64_t p = pa & ~0xfffull, steps = 0; steps <= back / 4096; p -= 4096, steps++) {
		uint64_t missing = 0;
		if (ks_dump_read_pa(d, p, h, sizeof(h), &missing) && !missing && memcmp(h + 0x38, "ARM\x64", 4) == 0) {
			uint64_t size = load64(h + 0x10, false);
			*ret_pa = p;
			*ret_size = size;
			return true;
		}
		if (p < 4096)
			break;
	}
	return false;
}

static uint64_t clamp_window(uint64_t size, uint64_t max_window)
{
	return size == 0 || size > max_window ? max_window : size;
}

/* 1. VMCOREINFO says where the kernel is. */
static struct ksyms_error *window_from_vmcoreinfo(struct ks_dump *d, uint64_t max_window, bool *ret_ok)
{
	uint64_t stext, v, phys_base;
	struct ksyms_error *err;

	*ret_ok = false;
	if (!d->arch)
		return NULL;
	if (strcmp(d->arch, "x86_64") == 0) {
		bool ok = false;
		if (mmu_setup(d) && d->mmu_root && ks_vmci_symbol(&d->vmci, "init_top_pgt", &v)) {
			if ((err = window_x86_pgtable(d, d->mmu_root, d->mmu_levels, false, 0, max_window, &ok)))
				return err;
			if (ok) {
				d->va_source = "VMCOREINFO (init_top_pgt, phys_base) and the kernel's page tables";
				*ret_ok = true;
				return NULL;
			}
		}
		if (ks_vmci_symbol(&d->vmci, "_stext", &stext) && ks_vmci_num(&d->vmci, "phys_base", &phys_base) &&
		    stext >= X86_START_KERNEL_MAP) {
			uint64_t va = stext & ~0x1fffffull;
			if ((err = window_physical(d, va - X86_START_KERNEL_MAP + phys_base, clamp_window(0, 96ull << 20))))
				return err;
			d->va_known = true;
			d->va = va;
			d->va_source = "VMCOREINFO (_stext, phys_base)";
			*ret_ok = true;
		}
		return NULL;
	}
	if (strcmp(d->arch, "arm64") == 0 && ks_vmci_num(&d->vmci, "kimage_voffset", &v) &&
	    ks_vmci_symbol(&d->vmci, "_stext", &stext)) {
		uint64_t hpa, size;
		if (!arm64_header_before(d, stext - v, 2ull << 20, &hpa, &size)) {
			ks_info(d->log, "dump: no arm64 Image header before _stext (physical 0x%llx)",
				(unsigned long long)(stext - v));
			return NULL;
		}
		if ((err = window_physical(d, hpa, clamp_window(size, max_window))))
			return err;
		d->va_known = true;
		d->va = hpa + v;
		d->va_source = "VMCOREINFO (kimage_voffset, _stext) and the arm64 Image header";
		*ret_ok = true;
	}
	return NULL;
}

/* 2./3. Around the kallsyms tables found in memory. */
static struct ksyms_error *window_from_anchor(struct ks_dump *d, uint64_t anchor, uint64_t max_window, bool *ret_ok)
{
	struct ksyms_error *err;
	uint64_t hpa, size;
	bool ok = false;

	*ret_ok = false;
	if (d->arch && strcmp(d->arch, "x86_64") == 0 && mmu_setup(d)) {
		if ((err = window_x86_pgtable(d, d->mmu_root, d->mmu_levels, true, anchor, max_window, &ok)))
			return err;
		if (!ok && (d->cr3 & 0x1000)) /* PTI: the user half of the pair; the kernel's is below */
			if ((err = window_x86_pgtable(d, d->mmu_root & ~0x1000ull, d->mmu_levels, true, anchor,
						      max_window, &ok)))
				return err;
		if (ok) {
			d->va_source = "the kernel's page tables (CR3 of the CPU state QEMU recorded)";
			*ret_ok = true;
			return NULL;
		}
	}
	if ((!d->arch || strcmp(d->arch, "arm64") == 0) && arm64_header_before(d, anchor, 128ull << 20, &hpa, &size) &&
	    size > anchor - hpa) {
		if ((err = window_physical(d, hpa, clamp_window(size, max_window))))
			return err;
		*ret_ok = true;
		return NULL;
	}
	uint64_t lo = anchor > WINDOW_AROUND ? (anchor - WINDOW_AROUND) & ~0x1fffffull : 0;
	uint64_t len = clamp_window(2 * WINDOW_AROUND, max_window);
	/* keep to the memory the dump holds */
	if (!d->is_kdump) {
		const struct ks_dump_range *r = range_at(d, anchor);
		if (r && lo < r->pa)
			lo = r->pa;
		if (r && r->pa + r->size - lo < len)
			len = r->pa + r->size - lo;
	}
	if ((err = window_physical(d, lo, len)))
		return err;
	*ret_ok = true;
	return NULL;
}

static void describe(struct ks_dump *d)
{
	char vm[128] = "";

	if (d->vmci.text)
		snprintf(vm, sizeof(vm), ", VMCOREINFO from %s", d->vmci_source);
	else
		snprintf(vm, sizeof(vm), ", no VMCOREINFO");
	uint64_t ram = 0;
	if (d->is_kdump) {
		ram = d->kd.rank[d->kd.nrank - 1];
		for (size_t b = (d->kd.nrank - 1) * 64; b < d->kd.bitmap2.len; b++)
			ram += (uint64_t)__builtin_popcount(d->kd.bitmap2.p[b]);
		ram *= d->kd.block_size;
	} else {
		for (size_t i = 0; i < d->nranges; i++)
			ram += d->ranges[i].size;
	}
	snprintf(d->desc, sizeof(d->desc), "%s%s%s, %s, %llu MiB of memory%s%s; kernel at physical 0x%llx%s%s",
		 d->format, d->producer ? " from " : "", d->producer ? d->producer : "", d->arch ? d->arch : "unknown arch",
		 (unsigned long long)(ram >> 20), vm, d->flat ? ", flattened" : "", (unsigned long long)d->kernel_pa,
		 d->va_known ? ", virtual addresses from " : "", d->va_known ? d->va_source : ", virtual addresses not stated");
}

/* VMCOREINFO the kernel keeps in memory (vmcoreinfo_data), when no note
 * or header carried it; and the kallsyms tables for the scan's windows. */
static void scan_for_kernel(struct ks_dump *d, struct scan *s)
{
	s->want_vmci = !d->vmci.text;
	scan_memory(d, s);
	if (s->vmci_found && !d->vmci.text) {
		d->vmci_copy = malloc(s->vmci_len);
		if (!d->vmci_copy)
			return;
		memcpy(d->vmci_copy, s->vmci, s->vmci_len);
		d->vmci.text = (const char *)d->vmci_copy;
		d->vmci.len = s->vmci_len;
		snprintf(d->vmci_where, sizeof(d->vmci_where), "memory (the kernel's copy at physical 0x%llx)",
			 (unsigned long long)s->vmci_pa);
		d->vmci_source = d->vmci_where;
	}
	ks_info(d->log, "dump: scanned %llu MiB of memory: %s VMCOREINFO, %zu kallsyms token table candidates",
		(unsigned long long)(s->bytes >> 20), s->vmci_found ? "found" : "no", s->nanchors);
}

/* The architecture, when the headers did not say (a QEMU kdump header's
 * utsname is empty; raw memory and LiME have none): VMCOREINFO's
 * architecture-specific lines name it. */
static void arch_from_vmcoreinfo(struct ks_dump *d)
{
	uint64_t v;

	if (d->arch || !d->vmci.text)
		return;
	if (ks_vmci_symbol(&d->vmci, "init_top_pgt", &v)) {
		d->arch = "x86_64";
		d->word_size = 8;
		d->arch_from_vmci = true;
	} else if (ks_vmci_num(&d->vmci, "kimage_voffset", &v)) {
		d->arch = "arm64";
		d->word_size = 8;
		d->arch_from_vmci = true;
	}
}

static struct ksyms_error *find_kernel(struct ks_dump *d, uint64_t max_window, bool raw)
{
	struct scan *s = calloc(1, sizeof(*s));
	struct ksyms_error *err = NULL;
	bool ok = false;

	if (!s)
		return &ks_enomem;
	s->page = d->is_kdump ? malloc(d->kd.block_size) : NULL;
	if (d->is_kdump && !s->page) {
		free(s);
		return &ks_enomem;
	}
	if (!d->vmci.text)
		scan_for_kernel(d, s);
	arch_from_vmcoreinfo(d);
	if (raw && !d->vmci.text) {
		free(s->page);
		free(s);
		return ks_error(KSYMS_ERR_NOT_FOUND, "no VMCOREINFO in raw data: not taken for memory");
	}
	if (d->vmci.text) {
		if ((err = window_from_vmcoreinfo(d, max_window, &ok)))
			goto out;
		if (ok && !window_has_tables(d)) {
			ks_info(d->log, "dump: the window VMCOREINFO gives holds no kallsyms tables: scanning instead");
			reset_window(d);
			ok = false;
		}
	}
	if (!ok && d->arch && strcmp(d->arch, "x86_64") == 0 && mmu_setup(d)) {
		/* the page tables of the CPU state: the kernel map, as with VMCOREINFO */
		if ((err = window_x86_pgtable(d, d->mmu_root, d->mmu_levels, false, 0, max_window, &ok)))
			goto out;
		if (!ok && (d->cr3 & 0x1000) &&
		    (err = window_x86_pgtable(d, d->mmu_root & ~0x1000ull, d->mmu_levels, false, 0, max_window, &ok)))
			goto out;
		if (ok && !window_has_tables(d)) {
			reset_window(d);
			ok = false;
		}
		if (ok)
			d->va_source = "the kernel's page tables (CR3 of the CPU state QEMU recorded)";
	}
	if (!ok && !s->bytes) {
		s->want_vmci = false;
		scan_memory(d, s);
	}
	for (size_t i = 0; !ok && i < s->nanchors; i++) {
		if ((err = window_from_anchor(d, s->anchors[i], max_window, &ok)))
			goto out;
		if (ok && !window_has_tables(d)) {
			reset_window(d);
			ok = false;
		}
	}
	if (!ok && d->is_kdump && d->kd.unsupported) {
		/* pages that could not be read for want of their codec (not
		 * built in, or its library not installed) hid the kernel:
		 * that, not "no kernel", is what to tell */
		enum ks_page_codec c = 0;
		while (!(d->kd.unsupported & (1u << c)))
			c++;
		err = ks_error_wrap(ks_page_unsupported(c), "%s", d->format);
	} else if (!ok) {
		err = ks_error(KSYMS_ERR_NOT_FOUND, "%s: no kernel found in the dump's memory (no VMCOREINFO that "
				"leads to one, no kallsyms tables)", d->format);
	}
out:
	free(s->page);
	free(s);
	return err;
}

/* The public summary (ksyms_image_dump()). */
static void fill_public(struct ks_dump *d)
{
	const char *s;
	size_t n;

	d->pub = (struct ksyms_dump_info){
		.format = d->format,
		.producer = d->producer,
		.vmcoreinfo_source = d->vmci.text ? d->vmci_source : NULL,
		.va_source = d->va_known ? d->va_source : NULL,
		.kernel_pa = d->kernel_pa,
		.missing = d->missing,
	};
	if (ks_vmci_get(&d->vmci, "OSRELEASE", &s, &n)) {
		n = n < sizeof(d->osrelease) - 1 ? n : sizeof(d->osrelease) - 1;
		memcpy(d->osrelease, s, n);
		d->osrelease[n] = 0;
		d->pub.osrelease = d->osrelease;
	}
	d->pub.has_kernel_offset = ks_vmci_number(&d->vmci, "KERNELOFFSET", &d->pub.kernel_offset);
}

struct ksyms_error *ks_dump_open(struct span file, const struct ks_dump_opts *o, struct ks_dump **ret)
{
	struct ks_dump *d = calloc(1, sizeof(*d));
	struct ksyms_error *err;

	if (!d)
		return &ks_enomem;
	d->file = file;
	d->log = o->log;
	d->page_size = 4096;
	if (ks_dump_elf_detect(file)) {
		err = ks_dump_elf_open(d);
	} else if (ks_dump_kdump_detect(file)) {
		err = ks_dump_kdump_open(d);
	} else if (ks_dump_flat_detect(file)) {
		d->flat = true;
		err = ks_dump_flat_index(d);
		if (!err) {
			uint8_t sig[8];
			if (!ks_dump_file_read(d, 0, sig, sizeof(sig)) || memcmp(sig, "KDUMP   ", 8) != 0)
				err = ks_error_at(4096, "flattened dump that does not hold a kdump-compressed file");
			else
				err = ks_dump_kdump_open(d);
		}
	} else if (ks_dump_lime_detect(file)) {
		err = ks_dump_lime_open(d);
	} else {
		err = ks_dump_raw_open(d);
	}
	if (!err)
		err = find_kernel(d, o->max_window ? o->max_window : DEFAULT_WINDOW, o->raw);
	if (err) {
		ks_dump_destroy(d);
		return err;
	}
	ks_dump_off_to_pa(d, 0, &d->kernel_pa);
	describe(d);
	fill_public(d);
	*ret = d;
	return NULL;
}

struct ksyms_error *ks_dump_kernel(struct ks_dump *d, struct ks_kernel *k)
{
	struct ksyms_error *err = ks_kernel_classify(d->data, k);

	if (err)
		return err;
	if (d->arch && (!k->arch || strcmp(k->format, "raw") == 0)) {
		k->arch = d->arch;
		k->arch_source = d->arch_from_vmci ? "VMCOREINFO" : d->e_machine ? "the dump's ELF header"
									     : "the dump's header";
	}
	if (!k->word_size && d->word_size && d->arch)
		k->word_size = d->word_size;
	if (!k->byte_order && d->arch)
		k->byte_order = d->be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	if (d->va_known) {
		ks_kernel_deinit(k); /* a window that reads as an ELF keeps no segments of its own */
		k->segs = malloc(sizeof(*k->segs));
		if (!k->segs)
			return &ks_enomem;
		k->segs[0] = (struct ks_segment){ 0, d->data.len, d->va };
		k->nsegs = 1;
		k->segs_source = d->va_source;
		/* the window's header, if any, is the kernel's: its entry is
		 * a data offset, which the segments now map */
	}
	d->facts = (struct ks_dump_facts){
		.format = d->format,
		.producer = d->producer,
		.vmcoreinfo = d->vmci.text ? &d->vmci : NULL,
		.vmcoreinfo_source = d->vmci_source,
		.va_source = d->va_known ? d->va_source : NULL,
		.kernel_pa = d->kernel_pa,
		.pieces = d->pieces,
		.npieces = d->npieces,
		.missing = d->missing,
	};
	k->dump = &d->facts;
	return NULL;
}


void ks_dump_destroy(struct ks_dump *d)
{
	if (!d)
		return;
	free(d->ranges);
	free(d->recs);
	ks_kdump_free(&d->kd);
	free(d->vmci_copy);
	free(d->window);
	free(d->pieces);
	free(d);
}
