// SPDX-License-Identifier: MIT
/*
 * The KASLR slide: run-time address minus table address, from what the log
 * itself shows.
 *
 * - A "Kernel Offset: 0x<off> from 0x<link>" line (printed by x86, arm64
 *   and riscv panics) says _text ran at link + off.  The slide is that
 *   minus the table's _text: off for a table at link-time addresses
 *   (an image, System.map), 0 for a /proc/kallsyms of the same boot.
 * - A frame that prints both an address and the symbol the kernel found
 *   for it ("[<ffffffff9a2b3c4d>] func+0x1c/0x80") pins the slide to
 *   address - (func + 0x1c), for some symbol named func.  Every such frame
 *   votes for the slides it allows; one slide should explain them all.
 *
 * A slide the caller gives wins over both; a Kernel Offset line wins over
 * frames, which are checked against it instead.
 */
#include <string.h>

#include "symbolize.h"
#include "core/buf.h"

/* Enough for any real log: a frame suggests one slide per symbol of its
 * name, and all but the true slide are scattered. */
enum { MAX_VOTES = 4096, MAX_CANDIDATES = 32 };

bool ks_tok_name(struct ksyms_symbolizer *s, const char *line, const struct ks_tok *t)
{
	if (t->name_len > KS_SYM_NAME_MAX)
		return false;
	memcpy(s->name, line + t->start, t->name_len);
	s->name[t->name_len] = '\0';
	return true;
}

static bool vote(struct ksyms_symbolizer *s, uint64_t slide)
{
	for (size_t i = 0; i < s->nvotes; i++) {
		if (s->votes[i].slide == slide) {
			s->votes[i].votes++;
			return true;
		}
	}
	if (s->nvotes == MAX_VOTES)
		return true; /* ignore the tail of a pathological log */
	if (!ks_grow((void **)&s->votes, &s->votes_cap, s->nvotes + 1, sizeof(*s->votes)))
		return false;
	s->votes[s->nvotes].slide = slide;
	s->votes[s->nvotes].votes = 1;
	s->nvotes++;
	return true;
}

bool ks_slide_add_frame(struct ksyms_symbolizer *s, uint64_t addr, const char *name, uint64_t off)
{
	uint64_t seen[MAX_CANDIDATES];
	size_t pos, nseen = 0;
	size_t n = ksyms_table_lookup_name(s->tab, name, &pos);

	s->frames++;
	s->dirty = true;
	for (size_t k = 0; k < n && nseen < MAX_CANDIDATES; k++) {
		struct ksyms_symbol sym;
		if (!ksyms_table_by_name(s->tab, pos + k, &sym, NULL) || sym.module)
			continue;
		uint64_t slide = (addr - sym.addr - off) & s->addr_mask;
		bool dup = false;
		for (size_t j = 0; j < nseen; j++)
			dup |= seen[j] == slide;
		if (dup)
			continue;
		seen[nseen++] = slide;
		if (!vote(s, slide))
			return false;
	}
	return true;
}

void ks_slide_add_offset(struct ksyms_symbolizer *s, const struct ks_kernel_offset *ko, size_t line)
{
	if (s->have_offset) {
		/* a second boot in the same log: keep the first, say so */
		if (ko->offset != s->koff.offset || ko->disabled != s->koff.disabled)
			s->slide.offset_conflict = true;
		return;
	}
	s->have_offset = true;
	s->koff = *ko;
	s->slide.offset_line = line;
	s->dirty = true;
}

static size_t votes_for(const struct ksyms_symbolizer *s, uint64_t slide)
{
	for (size_t i = 0; i < s->nvotes; i++) {
		if (s->votes[i].slide == slide)
			return s->votes[i].votes;
	}
	return 0;
}

/* The slide the Kernel Offset line implies for this table. */
static uint64_t offset_slide(struct ksyms_symbolizer *s)
{
	const struct ks_kernel_offset *ko = &s->koff;
	struct ksyms_slide_info *si = &s->slide;

	si->kernel_offset = ko->offset;
	si->link_text = ko->from;
	si->text_mismatch = false;
	if (ko->disabled || !s->has_text)
		return ko->offset;
	/* neither a link-time table nor a run-time one of the same boot */
	si->text_mismatch = s->table_text != ko->from && s->table_text != ((ko->from + ko->offset) & s->addr_mask);
	return (ko->from + ko->offset - s->table_text) & s->addr_mask;
}

static unsigned trailing_zeros(uint64_t v)
{
	unsigned n = 0;

	if (!v)
		return 64;
	while (!(v & 1)) {
		v >>= 1;
		n++;
	}
	return n;
}

/* More votes wins; on a tie (a frame whose name is defined more than once
 * and nothing else to go by) the more aligned slide: KASLR moves the
 * kernel in steps of at least 64 KiB, a wrong candidate rarely is. */
static bool better(const struct ks_vote *a, const struct ks_vote *b)
{
	if (a->votes != b->votes)
		return a->votes > b->votes;
	return trailing_zeros(a->slide) > trailing_zeros(b->slide);
}

void ks_slide_settle(struct ksyms_symbolizer *s)
{
	struct ksyms_slide_info *si = &s->slide;

	if (!s->dirty)
		return;
	s->dirty = false;
	si->frames = s->frames;
	if (s->given) {
		si->source = KSYMS_SLIDE_GIVEN;
		si->slide = s->given_slide;
	} else if (s->have_offset) {
		si->source = KSYMS_SLIDE_KERNEL_OFFSET;
		si->slide = offset_slide(s);
	} else if (s->nvotes) {
		size_t best = 0;
		for (size_t i = 1; i < s->nvotes; i++) {
			if (better(&s->votes[i], &s->votes[best]))
				best = i;
		}
		si->source = KSYMS_SLIDE_FRAMES;
		si->slide = s->votes[best].slide;
	} else {
		si->source = KSYMS_SLIDE_NONE;
		si->slide = 0;
	}
	si->frames_agree = votes_for(s, si->slide);
}
