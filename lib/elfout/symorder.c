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

#include "layout.h"
#include "core/error.h"

static const struct ksyms_table *cmp_table;

static int by_addr(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint64_t ax = cmp_table->addr[x], ay = cmp_table->addr[y];

	if (ax != ay)
		return ax < ay ? -1 : 1;
	return (x > y) - (x < y);
}

struct ksyms_error *ks_symorder_build(struct ks_elfw *w)
{
	const struct ksyms_table *t = w->syms;
	bool sorted = true;

	w->order = malloc((t->count ? t->count : 1) * sizeof(*w->order));
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
	if (!sorted) {
		/* qsort has no context argument in C11; a writer is never shared between threads */
		cmp_table = t;
		qsort(w->order, w->norder, sizeof(*w->order), by_addr);
		cmp_table = NULL;
	}
	return NULL;
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
