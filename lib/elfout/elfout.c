// SPDX-License-Identifier: MIT
/*
 * The ELF writer's face (elfout.h): what the output holds and where.
 *
 *   raw kernel      ELF header, one PT_LOAD of the kernel's bytes at the
 *                   base address (bss included in its memory size), the
 *                   bytes at a file offset congruent to the base modulo
 *                   64 KiB, then .shstrtab, .strtab, .symtab and the
 *                   section headers; sections rebuilt by regions.c.
 *   ELF vmlinux     its bytes as they are, the ELF header (and with a slide
 *                   the program headers) patched, its section headers kept
 *                   (or rebuilt over its PT_LOADs when it has none), a
 *                   .symtab added or put in place of its own, a .BTF
 *                   section header added when only the bytes were there.
 *
 * The kernel's bytes are handed to the caller's write function straight
 * from the image: the writer's own memory is the symbol table and headers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "elfout.h"
#include "layout.h"
#include "core/compiler.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/overflow.h"
#include "kernel/elf.h"

enum {
	ET_EXEC = 2, PT_LOAD_ = 1, PF_X = 1, PF_W = 2, PF_R = 4,
	SEG_ALIGN = 0x10000,      /* 64 KiB: the largest page size of any kernel */
	BSS_GAP = 16u << 20,      /* bss further than this past the bytes is not the kernel's */
};

/* Field offsets of the ELF header: 32-bit, 64-bit. */
enum { F_ENTRY, F_PHOFF, F_SHOFF, F_FLAGS, F_EHSIZE, F_PHENTSIZE, F_PHNUM, F_SHENTSIZE, F_SHNUM, F_SHSTRNDX };
static const uint8_t ehdr_off[][2] = { { 24, 24 }, { 28, 32 }, { 32, 40 }, { 36, 48 }, { 40, 52 },
				       { 42, 54 }, { 44, 56 }, { 46, 58 }, { 48, 60 }, { 50, 62 } };

static void set_word(const struct ks_elfw *w, uint8_t *p, uint64_t v)
{
	if (w->is64)
		store64(p, v, w->be);
	else
		store32(p, (uint32_t)v, w->be);
}

static void set_ehdr(const struct ks_elfw *w, uint8_t *h, int f, uint64_t v)
{
	uint8_t *p = h + ehdr_off[f][w->is64];

	if (f <= F_SHOFF)
		set_word(w, p, v);
	else if (f == F_FLAGS)
		store32(p, (uint32_t)v, w->be);
	else
		store16(p, (uint16_t)v, w->be);
}

/* ------------------------------------------------------------------------ */
/* output */

struct sink {
	ksyms_write_fn *fn;
	void *ctx;
	uint64_t done;
	int errnum;
};

static bool put(struct sink *o, const void *p, size_t n)
{
	if (o->errnum || !n)
		return !o->errnum;
	o->errnum = o->fn(o->ctx, p, n);
	o->done += n;
	return !o->errnum;
}

static bool pad_to(struct sink *o, uint64_t off)
{
	static const uint8_t zeros[4096];

	while (!o->errnum && o->done < off)
		put(o, zeros, (size_t)KS_MIN(off - o->done, sizeof(zeros)));
	return !o->errnum;
}

/* ------------------------------------------------------------------------ */
/* sections of an ELF input */

struct input {
	struct ks_elf e;
	size_t shstrtab, symtab, strtab; /* their indices in the input, to reuse; 0 = none */
	bool has_btf_section;
};

static struct ksyms_error *copy_sections(struct ks_elfw *w, struct input *in)
{
	for (size_t i = 1; i < in->e.shnum; i++) {
		struct ks_elf_shdr sh;
		if (!ks_elf_shdr(&in->e, i, &sh))
			memset(&sh, 0, sizeof(sh));
		struct ks_osec *s = ks_sec_add(w, sh.name ? sh.name : "");
		if (!s)
			return ks_error(KSYMS_ERR_TOO_LARGE, "the input has too many sections to add to");
		s->type = sh.type;
		s->flags = sh.flags;
		s->addr = sh.addr;
		s->offset = sh.offset;
		s->size = sh.size;
		s->link = sh.link;
		s->info = sh.info;
		s->align = sh.addralign;
		s->entsize = sh.entsize;
		s->cls = (char)ks_cls_of_flags(sh.type, sh.flags);
		if (sh.type == SHT_SYMTAB_ && !in->symtab) {
			in->symtab = i;
			in->strtab = sh.link && sh.link < in->e.shnum && sh.link != in->e.shstrndx ? sh.link : 0;
		}
		in->has_btf_section |= sh.name && strcmp(sh.name, ".BTF") == 0;
	}
	if (in->e.shstrndx && in->e.shstrndx < in->e.shnum && w->secs[in->e.shstrndx].type == SHT_STRTAB_)
		in->shstrtab = in->e.shstrndx;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* segments */

static struct ksyms_error *input_segments(struct ks_elfw *w, const struct ks_elf *e)
{
	w->segs = calloc(e->phnum ? e->phnum : 1, sizeof(*w->segs));
	if (!w->segs)
		return &ks_enomem;
	for (size_t i = 0; i < e->phnum; i++) {
		struct ks_elf_phdr ph;
		if (!ks_elf_phdr(e, i, &ph) || ph.type != PT_LOAD_ || ph.offset > w->k->data.len)
			continue;
		w->segs[w->nsegs++] = (struct ks_oseg){ ph.vaddr, ph.paddr, ph.offset,
							KS_MIN(ph.filesz, w->k->data.len - ph.offset), ph.memsz,
							ph.flags };
	}
	return NULL;
}

/* A raw kernel's one segment; its memory size grows over the bss once the
 * sections are known. */
static struct ksyms_error *raw_segment(struct ks_elfw *w, uint64_t base, uint64_t data_off)
{
	w->segs = calloc(1, sizeof(*w->segs));
	if (!w->segs)
		return &ks_enomem;
	w->segs[0] = (struct ks_oseg){ base, base, data_off, w->k->data.len, w->k->data.len, PF_R | PF_W | PF_X };
	w->nsegs = 1;
	return NULL;
}

static void grow_over_bss(struct ks_elfw *w)
{
	struct ks_oseg *g = &w->segs[0];
	uint64_t end = g->vaddr + g->memsz;

	for (size_t i = 1; i < w->nsecs; i++) {
		const struct ks_osec *s = &w->secs[i];
		if (s->type == SHT_NOBITS_ && s->addr >= end && s->addr - end <= BSS_GAP)
			end = s->addr + s->size;
	}
	g->memsz = end - g->vaddr;
}

/* ------------------------------------------------------------------------ */
/* the tail: .shstrtab, .strtab, .symtab, section headers */

struct tail {
	struct ks_buf shstr;
	size_t sh_shstrtab, sh_strtab, sh_symtab;
	uint64_t shoff;
};

static size_t place_section(struct ks_elfw *w, size_t reuse, const char *name)
{
	if (reuse) {
		w->secs[reuse].name = name;
		return reuse;
	}
	return ks_sec_add(w, name) ? w->nsecs - 1 : 0;
}

static struct ksyms_error *add_tail_sections(struct ks_elfw *w, const struct input *in, struct tail *t)
{
	t->sh_symtab = place_section(w, in ? in->symtab : 0, ".symtab");
	t->sh_strtab = t->sh_symtab ? place_section(w, in ? in->strtab : 0, ".strtab") : 0;
	t->sh_shstrtab = t->sh_strtab ? place_section(w, in ? in->shstrtab : 0, ".shstrtab") : 0;
	if (!t->sh_shstrtab)
		return ks_error(KSYMS_ERR_TOO_LARGE, "too many sections for an ELF");
	struct ks_osec *sym = &w->secs[t->sh_symtab], *str = &w->secs[t->sh_strtab], *sh = &w->secs[t->sh_shstrtab];
	*sym = (struct ks_osec){ .name = ".symtab", .type = SHT_SYMTAB_, .size = w->symtab.len,
				 .link = (uint32_t)t->sh_strtab, .info = (uint32_t)(w->nlocal + 1), .align = w->word,
				 .entsize = w->is64 ? 24 : 16 };
	*str = (struct ks_osec){ .name = ".strtab", .type = SHT_STRTAB_, .size = w->strtab.len, .align = 1 };
	*sh = (struct ks_osec){ .name = ".shstrtab", .type = SHT_STRTAB_, .align = 1 };
	/* names: one copy of each distinct pointer in a row is enough */
	if (!ks_buf_zeros(&t->shstr, 1))
		return &ks_enomem;
	for (size_t i = 1; i < w->nsecs; i++) {
		struct ks_osec *s = &w->secs[i];
		if (i > 1 && s->name == w->secs[i - 1].name) {
			s->name_off = w->secs[i - 1].name_off;
			continue;
		}
		s->name_off = (uint32_t)t->shstr.len;
		if (!ks_buf_append(&t->shstr, s->name, strlen(s->name) + 1))
			return &ks_enomem;
		if (t->shstr.len > UINT32_MAX)
			return ks_error(KSYMS_ERR_TOO_LARGE, "section names too large for an ELF");
	}
	sh->size = t->shstr.len;
	return NULL;
}

/* File offsets of the tail, after @end (the kernel's bytes). */
static void layout_tail(struct ks_elfw *w, struct tail *t, uint64_t end)
{
	w->secs[t->sh_shstrtab].offset = end;
	end += t->shstr.len;
	w->secs[t->sh_strtab].offset = end;
	end += w->strtab.len;
	end = (end + 7) & ~7ull;
	w->secs[t->sh_symtab].offset = end;
	end += w->symtab.len;
	t->shoff = (end + 7) & ~7ull;
}

static void put_shdr(const struct ks_elfw *w, uint8_t *p, const struct ks_osec *s)
{
	bool be = w->be;
	/* sections at 0 (x86-64 per-cpu) keep their offsets; the rest move with the slide */
	uint64_t addr = s->flags & SHF_ALLOC_ && s->addr ? (s->addr + w->slide) & w->mask : s->addr;

	store32(p, s->name_off, be);
	store32(p + 4, s->type, be);
	if (w->is64) {
		store64(p + 8, s->flags, be);
		store64(p + 16, addr, be);
		store64(p + 24, s->offset, be);
		store64(p + 32, s->size, be);
		store32(p + 40, s->link, be);
		store32(p + 44, s->info, be);
		store64(p + 48, s->align, be);
		store64(p + 56, s->entsize, be);
	} else {
		store32(p + 8, (uint32_t)s->flags, be);
		store32(p + 12, (uint32_t)addr, be);
		store32(p + 16, (uint32_t)s->offset, be);
		store32(p + 20, (uint32_t)s->size, be);
		store32(p + 24, s->link, be);
		store32(p + 28, s->info, be);
		store32(p + 32, (uint32_t)s->align, be);
		store32(p + 36, (uint32_t)s->entsize, be);
	}
}

static bool write_tail(struct ks_elfw *w, const struct tail *t, struct sink *o)
{
	size_t shsize = w->is64 ? 64 : 40;
	uint8_t sh[64];

	if (!pad_to(o, w->secs[t->sh_shstrtab].offset) || !put(o, t->shstr.p, t->shstr.len) ||
	    !put(o, w->strtab.p, w->strtab.len) || !pad_to(o, w->secs[t->sh_symtab].offset) ||
	    !put(o, w->symtab.p, w->symtab.len) || !pad_to(o, t->shoff))
		return false;
	memset(sh, 0, sizeof(sh));
	put(o, sh, shsize); /* the null section */
	for (size_t i = 1; i < w->nsecs; i++) {
		put_shdr(w, sh, &w->secs[i]);
		put(o, sh, shsize);
	}
	return !o->errnum;
}

/* ------------------------------------------------------------------------ */
/* the head: a new one for a raw kernel, the input's patched for an ELF */

static uint64_t raw_entry(const struct ks_elfw *w, uint64_t base)
{
	const struct ks_kernel *k = w->k;
	const char *names[1] = { "_text" };
	uint64_t text;
	bool found;

	if (k->has_entry_va)
		return k->entry_va;
	if (k->has_entry_off)
		return base + k->entry_off;
	ks_symorder_lookup(w, names, 1, &text, &found);
	return found ? text : base;
}

static bool write_raw(struct ks_elfw *w, const struct tail *t, struct sink *o, uint64_t entry)
{
	size_t ehsize = w->is64 ? 64 : 52, phsize = w->is64 ? 56 : 32;
	uint8_t h[64 + 56] = { 0x7f, 'E', 'L', 'F', (uint8_t)(w->is64 ? 2 : 1), (uint8_t)(w->be ? 2 : 1), 1 };
	const struct ks_oseg *g = &w->segs[0];
	uint16_t machine;
	uint32_t flags;

	ks_machine(w, &machine, &flags);
	store16(h + 16, ET_EXEC, w->be);
	store16(h + 18, machine, w->be);
	store32(h + 20, 1, w->be);
	set_ehdr(w, h, F_ENTRY, (entry + w->slide) & w->mask);
	set_ehdr(w, h, F_PHOFF, ehsize);
	set_ehdr(w, h, F_SHOFF, t->shoff);
	set_ehdr(w, h, F_FLAGS, flags);
	set_ehdr(w, h, F_EHSIZE, ehsize);
	set_ehdr(w, h, F_PHENTSIZE, phsize);
	set_ehdr(w, h, F_PHNUM, 1);
	set_ehdr(w, h, F_SHENTSIZE, w->is64 ? 64 : 40);
	set_ehdr(w, h, F_SHNUM, w->nsecs);
	set_ehdr(w, h, F_SHSTRNDX, t->sh_shstrtab);
	uint8_t *p = h + ehsize;
	uint64_t va = (g->vaddr + w->slide) & w->mask;
	store32(p, PT_LOAD_, w->be);
	if (w->is64) {
		store32(p + 4, g->flags, w->be);
		store64(p + 8, g->off, w->be);
		store64(p + 16, va, w->be);
		store64(p + 24, va, w->be);
		store64(p + 32, g->filesz, w->be);
		store64(p + 40, g->memsz, w->be);
		store64(p + 48, SEG_ALIGN, w->be);
	} else {
		store32(p + 4, (uint32_t)g->off, w->be);
		store32(p + 8, (uint32_t)va, w->be);
		store32(p + 12, (uint32_t)va, w->be);
		store32(p + 16, (uint32_t)g->filesz, w->be);
		store32(p + 20, (uint32_t)g->memsz, w->be);
		store32(p + 24, g->flags, w->be);
		store32(p + 28, SEG_ALIGN, w->be);
	}
	return put(o, h, ehsize + phsize) && pad_to(o, g->off) && put(o, w->k->data.p, w->k->data.len) &&
	       write_tail(w, t, o);
}

/* A program header whose file bytes run past the end of the input (a
 * truncated or lying vmlinux) is cut to the bytes that are there, as
 * input_segments() cut it: the ELF written must not promise bytes it does
 * not hold. */
static void clamp_phdr_filesz(const struct ks_elfw *w, uint8_t *ph)
{
	uint64_t len = w->k->data.len;
	uint8_t *off_p = ph + (w->is64 ? 8 : 4), *filesz_p = ph + (w->is64 ? 32 : 16);
	uint64_t off = w->is64 ? load64(off_p, w->be) : load32(off_p, w->be);
	uint64_t filesz = w->is64 ? load64(filesz_p, w->be) : load32(filesz_p, w->be);

	if (off > len)
		set_word(w, filesz_p, 0);
	else if (filesz > len - off)
		set_word(w, filesz_p, len - off);
}

/* The input's program headers with the slide added to their addresses (a
 * segment at 0, x86-64's per-cpu, keeps its offsets) and their file sizes
 * cut to the input's bytes. */
static uint8_t *slid_phdrs(const struct ks_elfw *w, const struct ks_elf *e, size_t *ret_len)
{
	size_t len = (size_t)e->phnum * e->phentsize;
	uint8_t *p = malloc(len ? len : 1);

	if (!p)
		return NULL;
	memcpy(p, w->k->data.p + e->phoff, len);
	for (size_t i = 0; i < e->phnum; i++) {
		uint8_t *q = p + i * e->phentsize + (w->is64 ? 16 : 8);
		uint64_t va = w->is64 ? load64(q, w->be) : load32(q, w->be);
		if (va)
			set_word(w, q, (va + w->slide) & w->mask);
		clamp_phdr_filesz(w, p + i * e->phentsize);
	}
	*ret_len = len;
	return p;
}

static bool entry_in_segment(const struct ks_elfw *w, uint64_t entry)
{
	for (size_t i = 0; i < w->nsegs; i++)
		if (w->segs[i].vaddr && entry - w->segs[i].vaddr < w->segs[i].memsz)
			return true;
	return false;
}

static struct ksyms_error *write_elf(struct ks_elfw *w, const struct ks_elf *e, const struct tail *t,
				     struct sink *o)
{
	size_t ehsize = e->is64 ? 64 : 52, phlen = 0;
	uint8_t h[64];
	struct span d = w->k->data;
	uint8_t *ph = NULL;

	memcpy(h, d.p, ehsize);
	if (w->slide && entry_in_segment(w, e->entry))
		set_ehdr(w, h, F_ENTRY, (e->entry + w->slide) & w->mask);
	set_ehdr(w, h, F_SHOFF, t->shoff);
	set_ehdr(w, h, F_SHENTSIZE, e->is64 ? 64 : 40);
	set_ehdr(w, h, F_SHNUM, w->nsecs);
	set_ehdr(w, h, F_SHSTRNDX, t->sh_shstrtab);
	/* the program headers lie after the ELF header (ks_elf_parse checked
	 * they are in the file); they are rewritten for a slide and for file
	 * sizes that run past the input's end */
	bool patch_ph = e->phnum && e->phoff >= ehsize;
	if (patch_ph && !(ph = slid_phdrs(w, e, &phlen)))
		return &ks_enomem;
	size_t ph_at = patch_ph ? (size_t)e->phoff : d.len;
	bool ok = put(o, h, ehsize) && put(o, d.p + ehsize, ph_at - ehsize) && (!patch_ph || put(o, ph, phlen)) &&
		  put(o, d.p + KS_MIN(ph_at + phlen, d.len), d.len - KS_MIN(ph_at + phlen, d.len)) &&
		  write_tail(w, t, o);
	free(ph);
	(void)ok;
	return NULL;
}

/* ------------------------------------------------------------------------ */

static struct ksyms_error *setup(struct ks_elfw *w, const struct ks_elfout_in *in, struct input *inp,
				 uint64_t *ret_base)
{
	const struct ks_kernel *k = in->k;
	const struct ksyms_info *i = in->own ? ksyms_table_info(in->own) : NULL;

	w->k = k;
	w->syms = in->syms;
	w->log = (struct ks_log){ in->log, in->log_ctx, in->log_level };
	w->arch = i && i->arch ? i->arch : k->arch;
	w->arm = w->arch && strcmp(w->arch, "arm") == 0;
	if (ks_elf_is_elf(k->data)) {
		struct ksyms_error *err = ks_elf_parse(k->data, &inp->e);
		if (err)
			return err;
		w->elf_input = true;
		w->is64 = inp->e.is64;
		w->be = inp->e.be;
	} else {
		if (!i || !i->base_known)
			return ks_error(KSYMS_ERR_NOT_FOUND, "the load address of this raw kernel is unknown (give --base)");
		int word = i->word_size ? i->word_size : k->word_size;
		w->is64 = word != 4;
		w->be = (i->byte_order ? i->byte_order : k->byte_order) == KSYMS_ENDIAN_BIG;
		*ret_base = i->base;
	}
	w->word = w->is64 ? 8 : 4;
	w->mask = w->is64 ? ~0ull : 0xffffffffull;
	w->slide = in->has_slide ? in->slide & w->mask : 0;
	*ret_base &= w->mask;
	return ks_sec_add(w, "") ? NULL : &ks_enomem; /* the null section */
}

static void report(struct ks_elfw *w, struct ksyms_elf_result *r, const struct input *inp, bool btf)
{
	memset(r, 0, sizeof(*r));
	r->kept_input_sections = w->elf_input && inp->e.shnum;
	r->data_symbols = w->data_symbols;
	r->sections = w->nsecs;
	r->symbols = w->nsyms;
	r->absolute = w->nabs;
	r->letter_mismatches = w->mismatches;
	r->has_btf = btf;
	if (!r->kept_input_sections && !w->data_symbols)
		ks_info(&w->log, "elf: the table has text symbols only (a kernel without CONFIG_KALLSYMS_ALL): "
			"beyond the text, the sections are large ones that no symbol bounds");
	ks_info(&w->log, "elf: %zu sections (%s), %zu of them zero-size for symbols no section of their type holds; "
		"%zu symbols, %zu absolute, %zu whose letter nm cannot print as the table has it",
		w->nsecs, r->kept_input_sections ? "the input's, kept" : "from boundary symbols and symbol types",
		w->extra, w->nsyms, w->nabs, w->mismatches);
}

/* A .BTF section header for BTF bytes an ELF input has no section for. */
static struct ksyms_error *add_btf_section(struct ks_elfw *w, const struct ksyms_btf_info *btf)
{
	struct ks_osec *s = ks_sec_add(w, ".BTF");

	if (!s)
		return ks_error(KSYMS_ERR_TOO_LARGE, "too many sections for an ELF");
	s->type = SHT_PROGBITS_;
	s->flags = SHF_ALLOC_;
	s->addr = btf->address;
	s->offset = btf->offset;
	s->size = btf->size;
	s->cls = CLS_RODATA;
	return NULL;
}

struct ksyms_error *ks_elfout_write(const struct ks_elfout_in *in, ksyms_write_fn *write, void *ctx,
				    struct ksyms_elf_result *ret)
{
	struct ks_elfw w = { 0 };
	struct input inp = { 0 };
	struct tail t = { 0 };
	struct sink o = { write, ctx, 0, 0 };
	uint64_t base = 0, data_off = 0;
	bool btf = false;
	struct ksyms_error *err = setup(&w, in, &inp, &base);

	if (!err && w.elf_input)
		err = input_segments(&w, &inp.e);
	if (!err && !w.elf_input) {
		size_t head = (w.is64 ? 64 + 56 : 52 + 32);
		data_off = ((head + SEG_ALIGN - 1) & ~(uint64_t)(SEG_ALIGN - 1)) + (base & (SEG_ALIGN - 1));
		err = raw_segment(&w, base, data_off);
	}
	if (!err)
		err = ks_symorder_build(&w);
	if (!err) {
		if (w.elf_input && inp.e.shnum) {
			err = copy_sections(&w, &inp);
			btf = inp.has_btf_section;
			if (!err && !btf && in->btf && in->btf->has_address) {
				err = add_btf_section(&w, in->btf);
				btf = true;
			}
		} else {
			err = ks_regions_build(&w, in->btf);
			btf = in->btf != NULL;
		}
	}
	if (!err && !w.elf_input)
		grow_over_bss(&w);
	if (!err && !ks_sec_index(&w))
		err = &ks_enomem;
	if (!err)
		err = ks_symtab_build(&w);
	if (!err)
		err = add_tail_sections(&w, w.elf_input ? &inp : NULL, &t);
	if (!err) {
		layout_tail(&w, &t, w.elf_input ? w.k->data.len : data_off + w.k->data.len);
		if (w.elf_input)
			err = write_elf(&w, &inp.e, &t, &o);
		else
			write_raw(&w, &t, &o, raw_entry(&w, base));
	}
	if (!err && o.errnum)
		err = ks_error_os(o.errnum, "cannot write the ELF");
	if (!err && ret) {
		report(&w, ret, &inp, btf);
		ret->size = o.done;
	}
	free(w.secs);
	free(w.by_addr);
	free(w.segs);
	free(w.order);
	ks_buf_free(&w.symtab);
	ks_buf_free(&w.strtab);
	ks_buf_free(&t.shstr);
	return err;
}
