// SPDX-License-Identifier: MIT
/* File offset <-> virtual address of the kernel data (see vamap.h). */
#include "vamap.h"

void ks_vamap_init(struct ks_vamap *m, const struct ks_kernel *k, bool base_known, uint64_t base, int word_size)
{
	m->segs = k->nsegs ? k->segs : NULL;
	m->nsegs = k->nsegs;
	m->flat = !k->nsegs && base_known;
	m->mask = word_size == 4 ? 0xffffffffull : ~0ull;
	m->base = base & m->mask;
	m->len = k->data.len;
}

bool ks_vamap_usable(const struct ks_vamap *m)
{
	return m->nsegs || m->flat;
}

bool ks_vamap_to_va(const struct ks_vamap *m, size_t off, uint64_t *ret)
{
	if (off >= m->len)
		return false;
	for (size_t i = 0; i < m->nsegs; i++) {
		const struct ks_segment *s = &m->segs[i];
		if (off >= s->off && off - s->off < s->size) {
			*ret = (s->vaddr + (off - s->off)) & m->mask;
			return true;
		}
	}
	if (!m->flat)
		return false;
	*ret = (m->base + off) & m->mask;
	return true;
}

bool ks_vamap_to_off(const struct ks_vamap *m, uint64_t va, size_t *ret)
{
	va &= m->mask;
	for (size_t i = 0; i < m->nsegs; i++) {
		const struct ks_segment *s = &m->segs[i];
		uint64_t lo = s->vaddr & m->mask;
		/* segments past the end of a truncated file hold no bytes */
		if (va >= lo && va - lo < s->size && s->off <= m->len && va - lo < m->len - s->off) {
			*ret = (size_t)(s->off + (va - lo));
			return true;
		}
	}
	if (!m->flat || va < m->base || va - m->base >= m->len)
		return false;
	*ret = (size_t)(va - m->base);
	return true;
}
