// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hashmap.h"
#include "overflow.h"

/*
 * The slots are one array: a probe reads one cache line, not three (key,
 * value and flag apart), and the self-pointer map of 131,072 slots is
 * exactly one 2 MiB huge page.  Apart they were three allocations (two
 * huge pages and 32 pages of 4 KiB) whose first touch and release took
 * 1.0 ms of `ksyms list` on 7.2 arm64 (shadow page tables make each fresh
 * page and each unmapping expensive on the benchmark VM).  The array comes
 * zeroed from the kernel (ks_map_zeroed): a memset() of the pointer-vote
 * map would clear 16 MiB a second time.
 */
bool ks_hashmap_init(struct ks_hashmap *m, size_t max)
{
	size_t cap = 64, bytes;

	while (cap < max * 2 && cap < ((size_t)1 << 40))
		cap *= 2;
	memset(m, 0, sizeof(*m));
	if (ckd_mul_size(&bytes, cap, sizeof(*m->slots)))
		return false;
	m->slots = ks_map_zeroed(bytes);
	if (!m->slots)
		return false;
	/* probed at random: every page is touched early */
	ks_prefault(m->slots, bytes);
	m->cap = cap;
	m->max = max;
	return true;
}

void ks_hashmap_deinit(struct ks_hashmap *m)
{
	ks_unmap_zeroed(m->slots, m->cap * sizeof(*m->slots));
	memset(m, 0, sizeof(*m));
}

uint32_t *ks_hashmap_get(const struct ks_hashmap *m, uint64_t key)
{
	size_t mask = m->cap - 1;

	for (size_t i = ks_hash64(key) & mask;; i = (i + 1) & mask) {
		struct ks_hashmap_slot *s = &m->slots[i];
		if (!s->used)
			return NULL;
		if (s->key == key)
			return &s->val;
	}
}

uint32_t *ks_hashmap_slot(struct ks_hashmap *m, uint64_t key)
{
	size_t mask = m->cap - 1;

	for (size_t i = ks_hash64(key) & mask;; i = (i + 1) & mask) {
		struct ks_hashmap_slot *s = &m->slots[i];
		if (!s->used) {
			if (m->count >= m->max)
				return NULL;
			*s = (struct ks_hashmap_slot){ .key = key, .val = 0, .used = 1 };
			m->count++;
			return &s->val;
		}
		if (s->key == key)
			return &s->val;
	}
}
