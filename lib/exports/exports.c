// SPDX-License-Identifier: MIT
/* The exports kept with a table, and the public getters. */
#include <stdlib.h>
#include <string.h>

#include "exports.h"
#include "core/buf.h"
#include "core/overflow.h"

void ks_exports_destroy(struct ks_exports *x)
{
	if (!x)
		return;
	free(x->ent);
	free(x->pool);
	free(x->by_index);
	free(x);
}

static bool pool_add(struct ks_exports *x, const char *s, size_t len, uint32_t *ret)
{
	size_t need;

	if (ckd_add_size(&need, x->pool_len, len + 1) || need > UINT32_MAX ||
	    !ks_grow((void **)&x->pool, &x->pool_cap, need, 1))
		return false;
	memcpy(x->pool + x->pool_len, s, len);
	x->pool[x->pool_len + len] = 0;
	*ret = (uint32_t)x->pool_len;
	x->pool_len = need;
	return true;
}

/* Namespaces repeat (a subsystem exports many symbols into one): reuse the
 * previous entries' copies. */
static bool ns_add(struct ks_exports *x, const char *s, size_t len, uint32_t *ret)
{
	for (size_t i = x->count; i-- > 0 && x->count - i <= 64;) {
		uint32_t o = x->ent[i].ns;
		if (o != UINT32_MAX && strncmp(x->pool + o, s, len) == 0 && x->pool[o + len] == 0) {
			*ret = o;
			return true;
		}
	}
	return pool_add(x, s, len, ret);
}

bool ks_exports_add(struct ks_exports *x, const struct ks_raw_export *e, enum ksyms_export_kind kind, size_t index)
{
	struct ks_export_ent ent = {
		.addr = e->value,
		.ns = UINT32_MAX,
		.index = index == SIZE_MAX || index >= UINT32_MAX ? UINT32_MAX : (uint32_t)index,
		.kind = (uint8_t)kind,
	};

	if (!ks_grow((void **)&x->ent, &x->cap, x->count + 1, sizeof(*x->ent)) ||
	    !pool_add(x, e->name, e->name_len, &ent.name) || (e->ns && !ns_add(x, e->ns, e->ns_len, &ent.ns)))
		return false;
	x->ent[x->count++] = ent;
	return true;
}

/* qsort has no context in C11: sort (table index, entry) pairs. */
struct pair {
	uint32_t index, ent;
};

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return (x->ent > y->ent) - (x->ent < y->ent);
}

bool ks_exports_finish(struct ks_exports *x)
{
	struct pair *p = malloc((x->count ? x->count : 1) * sizeof(*p));
	size_t n = 0;

	if (!p)
		return false;
	for (size_t i = 0; i < x->count; i++) {
		const struct ks_export_ent *e = &x->ent[i];
		x->info.gpl += e->kind == KSYMS_EXPORT_GPL || e->kind == KSYMS_EXPORT_UNUSED_GPL;
		x->info.with_namespace += e->ns != UINT32_MAX;
		if (e->index == UINT32_MAX) {
			x->info.not_in_table++;
			continue;
		}
		p[n++] = (struct pair){ e->index, (uint32_t)i };
	}
	qsort(p, n, sizeof(*p), cmp_pair);
	x->by_index = malloc((n ? n : 1) * sizeof(*x->by_index));
	if (!x->by_index) {
		free(p);
		return false;
	}
	for (size_t i = 0; i < n; i++)
		x->by_index[i] = p[i].ent;
	x->nby_index = n;
	x->info.count = x->count;
	free(p);
	return true;
}

/* ------------------------------------------------------------------------ */
/* public */

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

static void fill(const struct ks_exports *x, size_t i, struct ksyms_export *ret)
{
	const struct ks_export_ent *e = &x->ent[i];

	ret->kind = (enum ksyms_export_kind)e->kind;
	ret->name = x->pool + e->name;
	ret->ns = e->ns == UINT32_MAX ? NULL : x->pool + e->ns;
	ret->addr = e->addr;
	ret->index = e->index == UINT32_MAX ? SIZE_MAX : e->index;
}

bool ksyms_table_export(const struct ksyms_table *t, size_t index, struct ksyms_export *ret)
{
	const struct ks_exports *x = known(t);
	size_t lo = 0, hi;

	if (!x || index >= t->count)
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
		fill(x, x->by_index[lo], ret);
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
	fill(x, i, ret);
	return true;
}

const char *ksyms_export_kind_name(enum ksyms_export_kind kind)
{
	static const char *const names[] = {
		"", "EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL", "EXPORT_SYMBOL_GPL_FUTURE", "EXPORT_UNUSED_SYMBOL",
		"EXPORT_UNUSED_SYMBOL_GPL",
	};

	return (unsigned)kind < KS_ARRAY_SIZE(names) ? names[kind] : "";
}
