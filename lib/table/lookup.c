// SPDX-License-Identifier: MIT
/*
 * Lookups: address -> symbol+offset/size the way the kernel's %pS does it
 * (kernel/kallsyms.c get_symbol_pos and kallsyms_lookup_size_offset, with
 * the bounds of is_ksym_addr() of the kernel's era: see kernel_resolves()),
 * and name -> symbols the way kallsyms_lookup_name() does (lowest address
 * first for duplicated static names).  Indexes are built once; lookups
 * afterwards allocate nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "table.h"
#include "core/error.h"
#include "core/search.h"

/* Symbols that never resolve an address: absolute values (per-cpu offsets,
 * sizes in System.map), undefined and debugging entries. */
static bool addressable(char type)
{
	return !strchr("AaUuNn", type);
}

static const char *name_of(const struct ksyms_table *t, uint32_t i)
{
	return t->pool + t->name[i];
}

/* ------------------------------------------------------------------------ */
/* building */

struct addr_key {
	uint64_t addr;
	uint32_t index;
};

static int cmp_addr_key(const void *a, const void *b)
{
	const struct addr_key *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index); /* table order among aliases */
}

/* Sort the symbols selected by @module_syms into address order. */
static bool build_addr_index(const struct ksyms_table *t, bool module_syms, size_t *ret_n, uint64_t **ret_addr,
			     uint32_t **ret_idx)
{
	struct addr_key *k = ks_alloc_large((t->count ? t->count : 1) * sizeof(*k));
	size_t n = 0;
	bool sorted = true;

	if (!k)
		return false;
	for (size_t i = 0; i < t->count; i++) {
		if (!addressable(t->type[i]) || (t->module[i] != KS_NO_MODULE) != module_syms)
			continue;
		k[n].addr = t->addr[i];
		k[n].index = (uint32_t)i;
		if (n && k[n].addr < k[n - 1].addr)
			sorted = false;
		n++;
	}
	if (!sorted) /* kallsyms and System.map are sorted already */
		qsort(k, n, sizeof(*k), cmp_addr_key);
	uint64_t *addr = malloc((n ? n : 1) * sizeof(*addr));
	uint32_t *idx = malloc((n ? n : 1) * sizeof(*idx));
	if (!addr || !idx) {
		free(k);
		free(addr);
		free(idx);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		addr[i] = k[i].addr;
		idx[i] = k[i].index;
	}
	free(k);
	*ret_n = n;
	*ret_addr = addr;
	*ret_idx = idx;
	return true;
}

/* qsort has no context argument in C11: sort (name, address, index)
 * triples whose name pointers are resolved up front. */
struct name_key {
	const char *name;
	uint64_t addr;
	uint32_t index;
};

static int cmp_name_key(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return h;
}

static bool build_name_index(struct ksyms_table *t)
{
	struct ks_index *x = &t->idx;
	struct name_key *k = ks_alloc_large((t->count ? t->count : 1) * sizeof(*k));

	x->by_name = ks_alloc_large((t->count ? t->count : 1) * sizeof(*x->by_name));
	x->name_cap = 16;
	while (x->name_cap < t->count * 2)
		x->name_cap *= 2;
	x->name_slot = ks_calloc_large(x->name_cap, sizeof(*x->name_slot));
	if (!k || !x->by_name || !x->name_slot) {
		free(k);
		return false;
	}
	for (size_t i = 0; i < t->count; i++) {
		k[i].name = name_of(t, (uint32_t)i);
		k[i].addr = t->addr[i];
		k[i].index = (uint32_t)i;
	}
	qsort(k, t->count, sizeof(*k), cmp_name_key);
	for (size_t i = 0; i < t->count; i++) {
		x->by_name[i] = k[i].index;
		if (i && strcmp(k[i].name, k[i - 1].name) == 0)
			continue;
		size_t mask = x->name_cap - 1;
		size_t s = hash_name(k[i].name) & mask;
		while (x->name_slot[s])
			s = (s + 1) & mask;
		x->name_slot[s] = (uint32_t)i + 1;
	}
	free(k);
	return true;
}

/* "Linux version X.Y..." before 5.16? */
static bool banner_before_5_16(const char *banner)
{
	static const char prefix[] = "Linux version ";
	unsigned major = 0, minor = 0;
	const char *p;

	if (!banner || strncmp(banner, prefix, sizeof(prefix) - 1) != 0)
		return false;
	for (p = banner + sizeof(prefix) - 1; *p >= '0' && *p <= '9' && major < 100; p++)
		major = major * 10 + (unsigned)(*p - '0');
	if (*p++ != '.')
		return false;
	for (; *p >= '0' && *p <= '9' && minor < 1000; p++)
		minor = minor * 10 + (unsigned)(*p - '0');
	return major < 5 || (major == 5 && minor < 16);
}

/*
 * Until 5.16 the kernel's range checks included their end: is_kernel_text()
 * was [_stext, _etext], is_kernel_inittext() [_sinittext, _einittext] and
 * is_kernel() [_stext, _end] (include/linux/kallsyms.h, 2.6.12 to 5.15).
 * 5.16 made them half-open ("kallsyms: fix address-checks for kernel
 * related range") and moved them to asm-generic/sections.h, where
 * __is_kernel() also takes [__init_begin, __init_end).  The same series
 * turned core_kernel_data() of kernel/extable.c, a text symbol since 3.x,
 * into the inline is_kernel_core_data(): a table that has it is of the old
 * era.  Without it, ULEB128 name lengths (6.1+) say new; tables of
 * absolute addresses (before 4.6, and later arches without
 * KALLSYMS_BASE_RELATIVE) are old unless their banner says 5.16 or later.
 */
static bool inclusive_bounds(const struct ksyms_table *t, bool has_core_kernel_data)
{
	const struct ksyms_info *i = &t->info;

	if (has_core_kernel_data)
		return true;
	if (i->source_kind != KSYMS_SOURCE_KALLSYMS || i->layout.name_len_bytes == 2)
		return false;
	if (i->layout.addr_mode != KSYMS_ADDR_ABSOLUTE)
		return false;
	return !i->banner || banner_before_5_16(i->banner);
}

/* The bounds that decide whether the kernel resolves an address at all. */
static void find_bounds(struct ksyms_table *t)
{
	struct ks_index *x = &t->idx;
	bool init_lo = false, init_hi = false, ib_lo = false, ib_hi = false, core_kernel_data = false;

	for (size_t i = 0; i < t->count; i++) {
		if (t->module[i] != KS_NO_MODULE)
			continue;
		const char *n = name_of(t, (uint32_t)i);
		char ty = t->type[i];
		if (n[0] != '_') {
			if (strchr("dDbBrRgGsS", ty))
				x->all = true;
			else if (!core_kernel_data && n[0] == 'c' && strcmp(n, "core_kernel_data") == 0)
				core_kernel_data = true;
			continue;
		}
		if (!x->has_stext && strcmp(n, "_stext") == 0) {
			x->stext = t->addr[i];
			x->has_stext = true;
		} else if (!x->has_etext && strcmp(n, "_etext") == 0) {
			x->etext = t->addr[i];
			x->has_etext = true;
		} else if (!init_lo && strcmp(n, "_sinittext") == 0) {
			x->sinittext = t->addr[i];
			init_lo = true;
		} else if (!init_hi && strcmp(n, "_einittext") == 0) {
			x->einittext = t->addr[i];
			init_hi = true;
		} else if (!x->has_end && strcmp(n, "_end") == 0) {
			x->end = t->addr[i];
			x->has_end = true;
		} else if (!ib_lo && strcmp(n, "__init_begin") == 0) {
			x->init_begin = t->addr[i];
			ib_lo = true;
		} else if (!ib_hi && strcmp(n, "__init_end") == 0) {
			x->init_end = t->addr[i];
			ib_hi = true;
		}
	}
	x->has_init = init_lo && init_hi;
	x->has_init_data = ib_lo && ib_hi;
	x->all = x->all && x->has_end;
	x->inclusive = inclusive_bounds(t, core_kernel_data);
}

void ks_index_free(struct ks_index *x)
{
	free(x->addr);
	ks_blocked_free(&x->addr_search);
	free(x->by_addr);
	free(x->mod_addr);
	free(x->mod_by_addr);
	free(x->by_name);
	free(x->name_slot);
	memset(x, 0, sizeof(*x));
}

struct ksyms_error *ksyms_table_prepare(struct ksyms_table *t)
{
	if (!t)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "no table");
	if (t->idx.built)
		return NULL;
	if (t->facts_only)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, KS_FACTS_ONLY_MSG);
	find_bounds(t);
	if (!build_addr_index(t, false, &t->idx.n, &t->idx.addr, &t->idx.by_addr) ||
	    !build_addr_index(t, true, &t->idx.nmod, &t->idx.mod_addr, &t->idx.mod_by_addr) ||
	    !ks_blocked_init(&t->idx.addr_search, t->idx.addr, NULL, t->idx.n) || !build_name_index(t)) {
		ks_index_free(&t->idx);
		return &ks_enomem;
	}
	t->idx.built = true;
	return NULL;
}

static bool ready(struct ksyms_table *t)
{
	if (!t)
		return false;
	if (t->idx.built)
		return true;
	struct ksyms_error *err = ksyms_table_prepare(t);
	ksyms_error_destroy(err);
	return err == NULL;
}

/* ------------------------------------------------------------------------ */
/* address lookups */

/* [lo, hi), or [lo, hi] for a kernel before 5.16 (inclusive_bounds()). */
static bool in_range(const struct ks_index *x, uint64_t a, uint64_t lo, uint64_t hi)
{
	return a >= lo && (a < hi || (x->inclusive && a == hi));
}

/* is_kernel_inittext() */
static bool in_init_text(const struct ks_index *x, uint64_t a)
{
	return x->has_init && in_range(x, a, x->sinittext, x->einittext);
}

/* is_ksym_addr(): CONFIG_KALLSYMS_ALL resolves is_kernel() ([_stext, _end),
 * and since 5.16 [__init_begin, __init_end) too), otherwise only
 * is_kernel_text() and is_kernel_inittext().  A list without _stext (a
 * partial map) is taken as it is. */
static bool kernel_resolves(const struct ks_index *x, uint64_t a)
{
	if (!x->has_stext)
		return x->n && a >= x->addr[0];
	if (x->all)
		return in_range(x, a, x->stext, x->end) ||
		       (!x->inclusive && x->has_init_data && in_range(x, a, x->init_begin, x->init_end));
	if (in_init_text(x, a))
		return true;
	return x->has_etext ? in_range(x, a, x->stext, x->etext) : a >= x->stext;
}

/* Where the last symbol ends (kallsyms_lookup_size_offset). */
static uint64_t last_symbol_end(const struct ks_index *x, uint64_t a)
{
	if (in_init_text(x, a))
		return x->einittext;
	if (x->all)
		return x->end;
	return x->has_etext ? x->etext : 0;
}

static void fill_match(struct ksyms_table *t, const uint64_t *addrs, const uint32_t *idx, size_t n, size_t pos,
		       uint64_t a, uint64_t end, struct ksyms_match *m)
{
	size_t first = pos;

	while (first > 0 && addrs[first - 1] == addrs[pos])
		first--;
	ks_table_get(t, idx[first], &m->sym);
	m->index = idx[first];
	m->offset = a - addrs[pos];
	m->size = end > addrs[pos] ? end - addrs[pos] : 0;
	m->alias_pos = first;
	m->aliases = pos - first + 1;
	(void)n;
}

/* A module symbol: the kernel knows each module's bounds; a symbol list
 * does not, so the last symbol of a module covers at most 64 KiB. */
static bool lookup_module(struct ksyms_table *t, uint64_t a, struct ksyms_match *m)
{
	const struct ks_index *x = &t->idx;
	size_t pos = ks_upper_bound_u64(x->mod_addr, x->nmod, a);

	if (pos == 0)
		return false;
	pos--;
	const char *mod = t->pool + t->module[x->mod_by_addr[pos]];
	uint64_t end = 0;
	for (size_t j = pos + 1; j < x->nmod; j++) {
		if (strcmp(t->pool + t->module[x->mod_by_addr[j]], mod) != 0)
			break; /* modules do not overlap: the next one starts here */
		if (x->mod_addr[j] > x->mod_addr[pos]) {
			end = x->mod_addr[j];
			break;
		}
	}
	if (!end && a - x->mod_addr[pos] >= 0x10000)
		return false;
	fill_match(t, x->mod_addr, x->mod_by_addr, x->nmod, pos, a, end, m);
	return true;
}

bool ksyms_table_lookup_addr(struct ksyms_table *t, uint64_t a, struct ksyms_match *ret)
{
	if (!ready(t))
		return false;
	const struct ks_index *x = &t->idx;
	if (!kernel_resolves(x, a))
		return x->nmod && lookup_module(t, a, ret);
	size_t pos = ks_blocked_upper_bound(&x->addr_search, a);
	if (pos == 0)
		return x->nmod && lookup_module(t, a, ret);
	pos--;
	uint64_t end = pos + 1 < x->n ? x->addr[pos + 1] : last_symbol_end(x, a);
	fill_match(t, x->addr, x->by_addr, x->n, pos, a, end, ret);
	return true;
}

bool ksyms_table_by_address(struct ksyms_table *t, size_t pos, struct ksyms_symbol *ret, size_t *ret_index)
{
	if (!ready(t) || pos >= t->idx.n)
		return false;
	if (ret_index)
		*ret_index = t->idx.by_addr[pos];
	ks_table_get(t, t->idx.by_addr[pos], ret);
	return true;
}

/* ------------------------------------------------------------------------ */
/* name lookups */

size_t ksyms_table_lookup_name(struct ksyms_table *t, const char *name, size_t *ret_pos)
{
	if (!name || !ready(t) || !t->count)
		return 0;
	const struct ks_index *x = &t->idx;
	size_t mask = x->name_cap - 1;
	for (size_t s = hash_name(name) & mask; x->name_slot[s]; s = (s + 1) & mask) {
		size_t pos = x->name_slot[s] - 1;
		if (strcmp(name_of(t, x->by_name[pos]), name) != 0)
			continue;
		size_t end = pos + 1;
		while (end < t->count && strcmp(name_of(t, x->by_name[end]), name) == 0)
			end++;
		if (ret_pos)
			*ret_pos = pos;
		return end - pos;
	}
	return 0;
}

bool ksyms_table_by_name(struct ksyms_table *t, size_t pos, struct ksyms_symbol *ret, size_t *ret_index)
{
	if (!ready(t) || pos >= t->count)
		return false;
	if (ret_index)
		*ret_index = t->idx.by_name[pos];
	ks_table_get(t, t->idx.by_name[pos], ret);
	return true;
}
