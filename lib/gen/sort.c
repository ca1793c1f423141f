// SPDX-License-Identifier: MIT
/*
 * The two orders of a kallsyms table (kallsyms-format.md sections 2.2, 3).
 *
 * Table order is by address.  Aliases (equal addresses) are ordered so
 * that kallsyms_lookup(), which reports the first alias, names the most
 * useful one: non-weak before weak, then names that do not look
 * linker-script-provided, then fewer leading underscores, then input order
 * (scripts/kallsyms compare_symbols, the same in 5.10, 6.1, 6.12, 7.2).
 *
 * kallsyms_seqs_of_names (6.2, 19bd8981dc2e) lists table indexes in name
 * order for kallsyms_lookup_name()'s binary search: strcmp of the names
 * without the type letter, equal names by address, then by table index
 * (compare_names in 6.12 and 7.2).
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "core/error.h"

static bool is_weak(char type)
{
	return type == 'w' || type == 'W';
}

bool ks_gen_linker_provided(const char *name, size_t len)
{
	if (len < 8 || name[0] != '_' || name[1] != '_')
		return false;
	return memcmp(name + 2, "start_", 6) == 0 || memcmp(name + 2, "stop_", 5) == 0 ||
	       memcmp(name + 2, "end_", 4) == 0 || memcmp(name + len - 6, "_start", 6) == 0 ||
	       memcmp(name + len - 4, "_end", 4) == 0;
}

static size_t leading_underscores(const char *name)
{
	return strspn(name, "_");
}

static int cmp_bool(bool a, bool b)
{
	return (int)a - (int)b;
}

static int cmp_addr(const void *pa, const void *pb)
{
	const struct ks_gen_sym *a = pa, *b = pb;
	int r;

	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	if ((r = cmp_bool(is_weak(a->type), is_weak(b->type))))
		return r;
	r = cmp_bool(ks_gen_linker_provided(a->name, a->name_len), ks_gen_linker_provided(b->name, b->name_len));
	if (r)
		return r;
	size_t ua = leading_underscores(a->name), ub = leading_underscores(b->name);
	if (ua != ub)
		return ua < ub ? -1 : 1;
	/* input order: what makes qsort stable here */
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void ks_gen_sort(struct ks_gen_list *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_addr);
}

/* qsort has no context argument: sort (name, addr, index) records instead. */
struct name_key {
	const char *name;
	uint64_t addr;
	uint32_t index;
};

static int cmp_name(const void *pa, const void *pb)
{
	const struct name_key *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);

	if (r)
		return r;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

struct ksyms_error *ks_gen_name_order(const struct ks_gen_list *l, uint32_t **ret)
{
	struct name_key *k = calloc(l->n ? l->n : 1, sizeof(*k));
	uint32_t *seq = calloc(l->n ? l->n : 1, sizeof(*seq));

	if (!k || !seq) {
		free(k);
		free(seq);
		return &ks_enomem;
	}
	for (size_t i = 0; i < l->n; i++) {
		k[i].name = l->v[i].name;
		k[i].addr = l->v[i].addr;
		k[i].index = (uint32_t)i;
	}
	if (l->n > 1)
		qsort(k, l->n, sizeof(*k), cmp_name);
	for (size_t i = 0; i < l->n; i++)
		seq[i] = k[i].index;
	free(k);
	*ret = seq;
	return NULL;
}
