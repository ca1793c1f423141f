/* SPDX-License-Identifier: MIT */
/* A small open-addressing hash map from uint64_t keys to uint32_t counts
 * or values, with a hard cap on its size (it never grows past @max). */
#ifndef KSYMS_CORE_HASHMAP_H
#define KSYMS_CORE_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler.h"

struct ks_hashmap_slot {
	uint64_t key;
	uint32_t val;
	uint32_t used; /* 0: empty */
};

struct ks_hashmap {
	struct ks_hashmap_slot *slots; /* cap of them; iterate over those in use */
	size_t cap;   /* power of two */
	size_t count;
	size_t max;   /* refuse new keys beyond this */
};

KS_MUST_CHECK bool ks_hashmap_init(struct ks_hashmap *m, size_t max);
void ks_hashmap_deinit(struct ks_hashmap *m);
/* Pointer to the value of @key, inserting 0 if absent; NULL if full. */
uint32_t *ks_hashmap_slot(struct ks_hashmap *m, uint64_t key);
/* Pointer to the value of @key, or NULL if absent. */
uint32_t *ks_hashmap_get(const struct ks_hashmap *m, uint64_t key);

static inline uint64_t ks_hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

#endif
