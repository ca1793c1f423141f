// SPDX-License-Identifier: MIT
/* /proc/kcore, read with pread: see kcore.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kcore.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/span.h"
#include "kernel/elf.h"
#include "kernel/vmcoreinfo.h"

enum {
	ET_CORE = 4, ET_EXEC = 2, PT_NOTE = 4,
	NT_TASKSTRUCT = 4,           /* kcore's third note, after NT_PRSTATUS and NT_PRPSINFO */
	HEADERS_MAX = 1 << 20,       /* ELF header and program headers */
	NOTES_MAX = 1 << 20,         /* one PT_NOTE */
	DATA_OFFSET = 4096,          /* where the load's bytes go in the ELF made of it */
};

/* The headers and notes of a kcore. */
struct kc {
	uint8_t *hdr;
	struct ks_elf e;
	uint8_t *notes;
	size_t notes_len;
	struct ks_vmcoreinfo vmci;
	bool has_vmci, has_taskstruct;
};

static bool pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

static void kc_free(struct kc *k)
{
	free(k->hdr);
	free(k->notes);
	memset(k, 0, sizeof(*k));
}

/* The ELF header and program headers; false if this is no ELF core. */
static bool read_headers(int fd, struct kc *k)
{
	uint8_t id[64];
	ssize_t n = pread(fd, id, sizeof(id), 0);

	if (n < 52 || !ks_elf_is_elf(span_make(id, (size_t)n, 0)) || (id[4] != 1 && id[4] != 2) ||
	    (id[5] != 1 && id[5] != 2) || (id[4] == 2 && n < 64))
		return false;
	bool is64 = id[4] == 2, be = id[5] == 2;
	if (load16(id + 16, be) != ET_CORE)
		return false;
	uint64_t phoff = is64 ? load64(id + 32, be) : load32(id + 28, be);
	uint64_t phsize = (uint64_t)load16(id + (is64 ? 54 : 42), be) * load16(id + (is64 ? 56 : 44), be);
	if (phoff > HEADERS_MAX || phsize > HEADERS_MAX - phoff)
		return false;
	size_t len = (size_t)(phoff + phsize) > sizeof(id) ? (size_t)(phoff + phsize) : sizeof(id);
	if (!(k->hdr = malloc(len)) || !pread_full(fd, k->hdr, len, 0))
		return false;
	struct ksyms_error *err = ks_elf_parse(span_make(k->hdr, len, 0), &k->e);
	ksyms_error_destroy(err);
	return !err;
}

/* Walk the notes of one PT_NOTE: VMCOREINFO and kcore's NT_TASKSTRUCT. */
static void scan_notes(struct kc *k)
{
	struct span s = span_make(k->notes, k->notes_len, 0);
	bool be = k->e.be;

	for (size_t at = 0;;) {
		uint32_t namesz, descsz, type;
		if (!span_u32(s, at, be, &namesz) || !span_u32(s, at + 4, be, &descsz) || !span_u32(s, at + 8, be, &type))
			return;
		size_t name_at = at + 12, name_room = ((size_t)namesz + 3) & ~(size_t)3;
		size_t desc_at = name_at + name_room, desc_room = ((size_t)descsz + 3) & ~(size_t)3;
		if (namesz > s.len || descsz > s.len || !span_has(s, name_at, name_room) || !span_has(s, desc_at, descsz))
			return;
		const char *name = (const char *)k->notes + name_at;
		if (type == NT_TASKSTRUCT && namesz == 5 && memcmp(name, "CORE", 5) == 0)
			k->has_taskstruct = true;
		if (namesz == 11 && memcmp(name, "VMCOREINFO", 11) == 0 &&
		    ks_vmci_valid((const char *)k->notes + desc_at, descsz)) {
			k->vmci = (struct ks_vmcoreinfo){ (const char *)k->notes + desc_at, descsz };
			k->has_vmci = true;
		}
		if (desc_room > s.len - desc_at)
			return;
		at = desc_at + desc_room;
	}
}

static void read_notes(int fd, struct kc *k)
{
	struct ks_elf_phdr ph;

	for (size_t i = 0; i < k->e.phnum; i++) {
		if (!ks_elf_phdr(&k->e, i, &ph) || ph.type != PT_NOTE || !ph.filesz)
			continue;
		size_t len = ph.filesz < NOTES_MAX ? (size_t)ph.filesz : NOTES_MAX;
		uint8_t *p = malloc(len);
		if (!p || !pread_full(fd, p, len, ph.offset)) {
			free(p);
			continue;
		}
		free(k->notes);
		k->notes = p;
		k->notes_len = len;
		scan_notes(k);
		if (k->has_vmci)
			return;
	}
}

bool ks_kcore_detect(int fd, bool unmappable)
{
	struct kc k = { 0 };
	bool yes = false;

	if (read_headers(fd, &k)) {
		if (!unmappable)
			read_notes(fd, &k);
		yes = unmappable || k.has_taskstruct;
	}
	kc_free(&k);
	return yes;
}

static bool holds_physical(const struct ks_elf_phdr *ph, bool is64)
{
	/* vmalloc, modules and vmemmap have none: p_paddr is -1 */
	return ph->paddr != (is64 ? ~0ull : 0xffffffffull);
}

/* Whether the physical range of load @i lies inside another load's: the
 * kernel image is in RAM, and the direct map's loads cover all of RAM. */
static bool inside_other_load(const struct kc *k, size_t i, const struct ks_elf_phdr *ph)
{
	struct ks_elf_phdr o;

	for (size_t j = 0; j < k->e.phnum; j++) {
		if (j == i || !ks_elf_phdr(&k->e, j, &o) || o.type != KS_PT_LOAD || !holds_physical(&o, k->e.is64) ||
		    o.vaddr == ph->vaddr)
			continue;
		if (o.paddr <= ph->paddr && ph->paddr - o.paddr <= o.memsz && ph->memsz <= o.memsz - (ph->paddr - o.paddr))
			return true;
	}
	return false;
}

/*
 * The load that holds the kernel image.  VMCOREINFO's addresses are the
 * running kernel's: the smallest load with a physical address that holds
 * init_uts_ns (or _stext) is KCORE_TEXT (on 32-bit kernels the direct map
 * holds the image too, but it is larger).  Without VMCOREINFO (before
 * 4.19), KCORE_TEXT is the load whose physical range lies inside another
 * load's (a RAM load of the direct map): no RAM load lies inside another.
 */
static bool pick_load(const struct kc *k, uint64_t max, struct ks_elf_phdr *ret)
{
	struct ks_elf_phdr ph;
	uint64_t anchor;
	bool found = false;

	if (k->has_vmci &&
	    (ks_vmci_symbol(&k->vmci, "_stext", &anchor) || ks_vmci_symbol(&k->vmci, "init_uts_ns", &anchor))) {
		for (size_t i = 0; i < k->e.phnum; i++) {
			if (!ks_elf_phdr(&k->e, i, &ph) || ph.type != KS_PT_LOAD || !ph.filesz ||
			    !holds_physical(&ph, k->e.is64) || ph.filesz > max)
				continue;
			if (anchor >= ph.vaddr && anchor - ph.vaddr < ph.filesz && (!found || ph.filesz < ret->filesz)) {
				*ret = ph;
				found = true;
			}
		}
		return found;
	}
	for (size_t i = 0; i < k->e.phnum; i++) {
		if (!ks_elf_phdr(&k->e, i, &ph) || ph.type != KS_PT_LOAD || !ph.filesz ||
		    !holds_physical(&ph, k->e.is64) || ph.filesz > max || (found && ph.filesz >= ret->filesz))
			continue;
		if (inside_other_load(k, i, &ph)) {
			*ret = ph;
			found = true;
		}
	}
	return found;
}

/* An ELF executable of one PT_LOAD: @ph's bytes at its address. */
static uint8_t *make_elf(const struct kc *k, const struct ks_elf_phdr *ph, size_t *ret_len)
{
	bool is64 = k->e.is64, be = k->e.be;
	size_t len = DATA_OFFSET + (size_t)ph->filesz;
	uint8_t *p = calloc(1, len);

	if (!p)
		return NULL;
	memcpy(p, k->hdr, 16); /* the identification: class, byte order, OS ABI */
	store16(p + 16, ET_EXEC, be);
	store16(p + 18, k->e.machine, be);
	store32(p + 20, 1, be);
	if (is64) {
		store64(p + 24, ph->vaddr, be);                   /* e_entry: _text */
		store64(p + 32, 64, be);                          /* e_phoff */
		store32(p + 48, load32(k->hdr + 48, be), be);     /* e_flags */
		store16(p + 52, 64, be);
		store16(p + 54, 56, be);
		store16(p + 56, 1, be);
		uint8_t *h = p + 64;
		store32(h, KS_PT_LOAD, be);
		store32(h + 4, 7, be);
		store64(h + 8, DATA_OFFSET, be);
		store64(h + 16, ph->vaddr, be);
		store64(h + 24, ph->paddr, be);
		store64(h + 32, ph->filesz, be);
		store64(h + 40, ph->filesz, be);
		store64(h + 48, DATA_OFFSET, be);
	} else {
		store32(p + 24, (uint32_t)ph->vaddr, be);
		store32(p + 28, 52, be);
		store32(p + 36, load32(k->hdr + 36, be), be);
		store16(p + 40, 52, be);
		store16(p + 42, 32, be);
		store16(p + 44, 1, be);
		uint8_t *h = p + 52;
		store32(h, KS_PT_LOAD, be);
		store32(h + 4, DATA_OFFSET, be);
		store32(h + 8, (uint32_t)ph->vaddr, be);
		store32(h + 12, (uint32_t)ph->paddr, be);
		store32(h + 16, (uint32_t)ph->filesz, be);
		store32(h + 20, (uint32_t)ph->filesz, be);
		store32(h + 24, 7, be);
		store32(h + 28, DATA_OFFSET, be);
	}
	*ret_len = len;
	return p;
}

struct ksyms_error *ks_kcore_read(int fd, uint64_t max, struct ks_kcore *ret)
{
	struct kc k = { 0 };
	struct ks_elf_phdr ph = { 0 };

	memset(ret, 0, sizeof(*ret));
	if (!read_headers(fd, &k)) {
		kc_free(&k);
		return ks_error_at(0, "not an ELF core with readable program headers");
	}
	read_notes(fd, &k);
	if (max > SIZE_MAX - DATA_OFFSET)
		max = SIZE_MAX - DATA_OFFSET;
	if (!pick_load(&k, max, &ph)) {
		kc_free(&k);
		return ks_error(KSYMS_ERR_NOT_FOUND,
				"no load of this kernel core holds the kernel image (%s), or it is larger than the "
				"%llu-byte limit (see --max-output)",
				k.has_vmci ? "none holds VMCOREINFO's _stext or init_uts_ns"
					   : "no VMCOREINFO note, and no load stands apart from the direct map",
				(unsigned long long)max);
	}
	uint8_t *elf = make_elf(&k, &ph, &ret->len);
	if (!elf) {
		kc_free(&k);
		return &ks_enomem;
	}
	if (!pread_full(fd, elf + DATA_OFFSET, (size_t)ph.filesz, ph.offset)) {
		int e = errno ? errno : EIO;
		free(elf);
		kc_free(&k);
		return ks_error_os(e, "cannot read the kernel image load (%llu bytes at file offset 0x%llx)",
				   (unsigned long long)ph.filesz, (unsigned long long)ph.offset);
	}
	ret->elf = elf;
	ret->offset = ph.offset;
	ret->size = ph.filesz;
	const char *rel = NULL;
	size_t rel_len = 0;
	if (k.has_vmci)
		ks_vmci_get(&k.vmci, "OSRELEASE", &rel, &rel_len);
	snprintf(ret->desc, sizeof(ret->desc),
		 "kernel core (/proc/kcore): the kernel image load at 0x%llx (physical 0x%llx), %llu bytes at file "
		 "offset 0x%llx, read with pread%s%.*s",
		 (unsigned long long)ph.vaddr, (unsigned long long)ph.paddr, (unsigned long long)ph.filesz,
		 (unsigned long long)ph.offset, rel ? "; VMCOREINFO OSRELEASE " : "", rel ? (int)(rel_len < 64 ? rel_len : 64) : 0,
		 rel ? rel : "");
	kc_free(&k);
	return NULL;
}

void ks_kcore_free(struct ks_kcore *k)
{
	free(k->elf);
	memset(k, 0, sizeof(*k));
}
