// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "core/buf.h"
#include "core/overflow.h"
#include "exports.h"

struct ksyms_table *ks_table_new(void)
{
	return calloc(1, sizeof(struct ksyms_table));
}

void ksyms_table_destroy(struct ksyms_table *t)
{
	if (!t)
		return;
	ks_table_drop_landmarks(t);
	ks_exports_destroy(t->exports);
	ks_arena_free(&t->arena); /* before the block that may hold its first chunk */
	free(t->addr); /* the block of all four columns */
	free(t->pool);
	free(t->banner);
	free(t->packed);
	ksyms_error_destroy(t->btf_err);
	ks_index_free(&t->idx);
	free(t);
}

/*
 * The four columns live in one block, [addr | name | module | type], each
 * @cap long.  Apart, each column of a 151,474-symbol table began a 2 MiB
 * page of its own (ks_alloc_large), and every huge page is cleared whole
 * when first touched (about 0.13 ms here): four for 2.6 MB of columns.
 * In one block sized exactly, as the decoder reserves it, they take two.
 */
enum { COLUMN_BYTES = sizeof(uint64_t) + 2 * sizeof(uint32_t) + sizeof(char) };

static bool set_capacity(struct ksyms_table *t, size_t cap)
{
	size_t bytes;
	uint8_t *block = ckd_mul_size(&bytes, cap, COLUMN_BYTES) ? NULL : ks_alloc_large(bytes);

	if (!block)
		return false;
	uint64_t *addr = (uint64_t *)(void *)block;
	uint32_t *name = (uint32_t *)(void *)(addr + cap);
	uint32_t *module = name + cap;
	char *type = (char *)(module + cap);
	if (t->count) {
		memcpy(addr, t->addr, t->count * sizeof(*addr));
		memcpy(name, t->name, t->count * sizeof(*name));
		memcpy(module, t->module, t->count * sizeof(*module));
		memcpy(type, t->type, t->count * sizeof(*type));
	}
	if (t->block_lent)
		ks_arena_keep(&t->arena, t->addr); /* its end is the arena's first chunk */
	else
		free(t->addr);
	t->block_lent = false;
	t->addr = addr;
	t->name = name;
	t->module = module;
	t->type = type;
	t->cap = cap;
	return true;
}

/* Room for @need symbols, growing by doubling (a list read line by line). */
static bool grow_arrays(struct ksyms_table *t, size_t need)
{
	if (need <= t->cap)
		return true;
	size_t cap = t->cap ? t->cap : 16;
	return ks_double_to(&cap, need) && set_capacity(t, cap);
}

bool ks_table_reserve(struct ksyms_table *t, size_t n, size_t pool_bytes)
{
	size_t need;

	if (ckd_add_size(&need, t->count, n))
		return false;
	/* a first reservation is the caller's count: exactly that, and the
	 * rest of the block's last 2 MiB page, cleared with it when first
	 * touched, becomes the arena's first chunk (on 6.12 arm64 1.43 MB,
	 * where the exports and the verifier's scratch took a page of their
	 * own) */
	if (t->cap == 0 && need > 0) {
		size_t bytes = need * COLUMN_BYTES; /* cannot overflow: set_capacity() allocated it */
		if (!set_capacity(t, need))
			return false;
		t->block_lent = ks_arena_lend(&t->arena, (uint8_t *)t->addr + bytes, ks_large_size(bytes) - bytes);
	} else if (!grow_arrays(t, need)) {
		return false;
	}
	/* a reservation is for symbols about to be written: all of each column */
	ks_prefault(t->addr + t->count, n * sizeof(*t->addr));
	ks_prefault(t->name + t->count, n * sizeof(*t->name));
	ks_prefault(t->module + t->count, n * sizeof(*t->module));
	ks_prefault(t->type + t->count, n * sizeof(*t->type));
	if (ckd_add_size(&need, t->pool_len, pool_bytes) || need > UINT32_MAX)
		return false;
	return ks_grow((void **)&t->pool, &t->pool_cap, need, 1);
}

static bool pool_add(struct ksyms_table *t, const char *s, size_t len, uint32_t *ret)
{
	size_t need;

	if (ckd_add_size(&need, t->pool_len, len + 1) || need > UINT32_MAX ||
	    !ks_grow((void **)&t->pool, &t->pool_cap, need, 1))
		return false;
	memcpy(t->pool + t->pool_len, s, len);
	t->pool[t->pool_len + len] = 0;
	*ret = (uint32_t)t->pool_len;
	t->pool_len = need;
	return true;
}

bool ks_table_add(struct ksyms_table *t, uint64_t addr, char type, const char *name, size_t name_len,
		  const char *module)
{
	uint32_t n, m = KS_NO_MODULE;

	if (t->landmarks)
		ks_table_drop_landmarks(t);
	if (!grow_arrays(t, t->count + 1) || !pool_add(t, name, name_len, &n))
		return false;
	/* /proc/kallsyms lists a module's symbols together: share its name */
	if (module && t->count && t->module[t->count - 1] != KS_NO_MODULE &&
	    strcmp(t->pool + t->module[t->count - 1], module) == 0)
		m = t->module[t->count - 1];
	else if (module && !pool_add(t, module, strlen(module), &m))
		return false;
	t->addr[t->count] = addr;
	t->type[t->count] = type;
	t->name[t->count] = n;
	t->module[t->count] = m;
	t->count++;
	return true;
}

bool ks_table_set_banner(struct ksyms_table *t, const char *banner, size_t len)
{
	char *b = malloc(len + 1);

	if (!b)
		return false;
	memcpy(b, banner, len);
	b[len] = 0;
	free(t->banner);
	t->banner = b;
	t->info.banner = b;
	return true;
}

const struct ksyms_info *ksyms_table_info(const struct ksyms_table *t)
{
	return &t->info;
}

size_t ksyms_table_count(const struct ksyms_table *t)
{
	return t ? ks_table_listed(t) : 0;
}

bool ksyms_table_symbol(const struct ksyms_table *t, size_t i, struct ksyms_symbol *ret)
{
	if (!t || i >= ks_table_listed(t))
		return false;
	ks_table_get(t, i, ret);
	return true;
}

void ks_table_addresses_stated(struct ksyms_table *t)
{
	t->info.num_checks = 0;
	t->info.checks = t->checks;
	t->info.addresses_verified = !t->info.addresses_hidden;
	t->info.verify_note = t->info.addresses_hidden ? "every address is 0 (kptr_restrict hides them)" : NULL;
}
