// SPDX-License-Identifier: MIT
/* The exports a table keeps (exports.h): freeing them, and the public getters. */
#include <stdlib.h>

#include "exports.h"
#include "table.h"
#include "core/compiler.h"

void ks_exports_destroy(struct ks_exports *x)
{
	if (!x)
		return;
	free(x); /* its arrays go with the table's arena */
}

static const struct ksyms_exports_info no_ksymtab = {
	.unknown_reason = "this symbol source has no ksymtab (only kernel images have one)",
};

static const struct ks_exports *known(const struct ksyms_table *t)
{
	return t && t->exports && t->exports->info.known ? t->exports : NULL;
}

const struct ksyms_exports_info *ksyms_table_exports(const struct ksyms_table *t)
{
	if (!t)
		return NULL;
	return t->exports ? &t->exports->info : &no_ksymtab;
}

static void fill(const struct ksyms_table *t, const struct ks_exports *x, size_t i, struct ksyms_export *ret)
{
	const struct ks_export_ent *e = &x->ent[i];

	ret->kind = (enum ksyms_export_kind)e->kind;
	ret->name = x->pool + e->name;
	ret->ns = e->ns == UINT32_MAX ? NULL : x->pool + e->ns;
	ret->addr = e->addr;
	ret->index = e->index == UINT32_MAX || t->facts_only ? SIZE_MAX : e->index;
}

bool ksyms_table_export(const struct ksyms_table *t, size_t index, struct ksyms_export *ret)
{
	const struct ks_exports *x = known(t);
	size_t lo = 0, hi;

	if (!x || index >= ks_table_listed(t))
		return false;
	hi = x->nby_index;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->ent[x->by_index[mid]].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->nby_index && x->ent[x->by_index[lo]].index == index) {
		fill(t, x, x->by_index[lo], ret);
		return true;
	}
	*ret = (struct ksyms_export){ .kind = KSYMS_EXPORT_NONE, .index = index };
	return true;
}

size_t ksyms_table_export_count(const struct ksyms_table *t)
{
	const struct ks_exports *x = known(t);

	return x ? x->count : 0;
}

bool ksyms_table_export_at(const struct ksyms_table *t, size_t i, struct ksyms_export *ret)
{
	const struct ks_exports *x = known(t);

	if (!x || i >= x->count)
		return false;
	fill(t, x, i, ret);
	return true;
}

