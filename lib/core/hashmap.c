// SPDX-License-Identifier: MIT
#include <stdlib.h>

#include "buf.h"
#include "hashmap.h"

bool ks_hashmap_init(struct ks_hashmap *m, size_t max)
{
	size_t cap = 64;

	while (cap < max * 2 && cap < ((size_t)1 << 40))
		cap *= 2;
	m->keys = ks_alloc_large(cap * sizeof(*m->keys));
	m->vals = ks_alloc_large(cap * sizeof(*m->vals));
	m->used = ks_calloc_large(cap, 1);
	m->cap = cap;
	m->count = 0;
	m->max = max;
	if (!m->keys || !m->vals || !m->used) {
		ks_hashmap_deinit(m);
		return false;
	}
	/* probed at random: every page is touched early (ks_alloc_large
	 * put large slot arrays on huge pages; see ks_prefault) */
	ks_prefault(m->keys, cap * sizeof(*m->keys));
	ks_prefault(m->vals, cap * sizeof(*m->vals));
	ks_prefault(m->used, cap);
	return true;
}

void ks_hashmap_deinit(struct ks_hashmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	m->keys = NULL;
	m->vals = NULL;
	m->used = NULL;
	m->cap = m->count = 0;
}

uint32_t *ks_hashmap_get(const struct ks_hashmap *m, uint64_t key)
{
	size_t mask = m->cap - 1;

	for (size_t i = ks_hash64(key) & mask;; i = (i + 1) & mask) {
		if (!m->used[i])
			return NULL;
		if (m->keys[i] == key)
			return &m->vals[i];
	}
}

uint32_t *ks_hashmap_slot(struct ks_hashmap *m, uint64_t key)
{
	size_t mask = m->cap - 1;

	for (size_t i = ks_hash64(key) & mask;; i = (i + 1) & mask) {
		if (!m->used[i]) {
			if (m->count >= m->max)
				return NULL;
			m->used[i] = 1;
			m->keys[i] = key;
			m->vals[i] = 0;
			m->count++;
			return &m->vals[i];
		}
		if (m->keys[i] == key)
			return &m->vals[i];
	}
}
