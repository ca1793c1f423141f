// SPDX-License-Identifier: MIT
/*
 * The writer's own view of the table: the kernel's symbols (no module's) in
 * address order, aliases in table order, and the few names it needs
 * (boundary symbols, _text) found in one pass.  The table's lookup indexes
 * would do, but they sort every name, which costs more than the rest of
 * the writing; a kallsyms table is in address order already (but for
 * x86-64's absolute per-cpu symbols in front), so this is mostly a copy.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "layout.h"
#include "core/error.h"

struct addr_idx {
	uint64_t addr;
	uint32_t idx;
};

/* By address, then table order: a total order, so qsort needs no context
 * (and no global: writers may run in several threads). */
static int by_addr(const void *a, const void *b)
{
	const struct addr_idx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static struct ksyms_error *sort_order(struct ks_elfw *w)
{
	const struct ksyms_table *t = w->syms;
	struct addr_idx *tmp = malloc((w->norder ? w->norder : 1) * sizeof(*tmp));

	if (!tmp)
		return &ks_enomem;
	for (size_t i = 0; i < w->norder; i++)
		tmp[i] = (struct addr_idx){ t->addr[w->order[i]], w->order[i] };
	qsort(tmp, w->norder, sizeof(*tmp), by_addr);
	for (size_t i = 0; i < w->norder; i++)
		w->order[i] = tmp[i].idx;
	free(tmp);
	return NULL;
}

struct ksyms_error *ks_symorder_build(struct ks_elfw *w)
{
	const struct ksyms_table *t = w->syms;
	bool sorted = true;

	w->order = ks_alloc_large((t->count ? t->count : 1) * sizeof(*w->order));
	if (!w->order)
		return &ks_enomem;
	w->norder = 0;
	for (size_t i = 0; i < t->count; i++) {
		if (t->module[i] != KS_NO_MODULE)
			continue;
		if (w->norder && t->addr[i] < t->addr[w->order[w->norder - 1]])
			sorted = false;
		/* CONFIG_KALLSYMS_ALL, as the table's lookups tell it: a kernel
		 * with text symbols only still has a few linker-made data ones */
		if (t->pool[t->name[i]] != '_' && strchr("dDbBrRgGsS", t->type[i]))
			w->data_symbols = true;
		w->order[w->norder++] = (uint32_t)i;
	}
	return sorted ? NULL : sort_order(w);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void ks_symorder_lookup(const struct ks_elfw *w, const char **names, size_t n, uint64_t *ret_addr, bool *ret_found)
{
	const struct ksyms_table *t = w->syms;

	/* sorted, so that each symbol costs a binary search; the lowest
	 * address of a name wins, as kallsyms_lookup_name() has it */
	qsort(names, n, sizeof(*names), cmp_str);
	memset(ret_found, 0, n * sizeof(*ret_found));
	for (size_t i = 0; i < t->count; i++) {
		const char *name = t->pool + t->name[i];
		if (t->module[i] != KS_NO_MODULE)
			continue;
		const char **hit = bsearch(&name, names, n, sizeof(*names), cmp_str);
		if (!hit)
			continue;
		size_t k = (size_t)(hit - names);
		if (!ret_found[k] || t->addr[i] < ret_addr[k]) {
			ret_addr[k] = t->addr[i];
			ret_found[k] = true;
		}
	}
}
