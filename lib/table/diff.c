// SPDX-License-Identifier: MIT
/*
 * ksyms_diff: two symbol tables side by side.
 *
 * Both tables' symbols are sorted by (module, name, address) and walked
 * together one name at a time.  A first walk finds the slide from names
 * that occur once on each side; a second pairs the copies of each name
 * (by the slide, then by equal address, then in address order) and gives
 * every difference the kernel build explains its reason (kallsyms-format.md
 * section 4: what kallsyms keeps of System.map in each era).
 */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "diff.h"
#include "core/error.h"
#include "core/overflow.h"

static const uint32_t NO_INDEX = UINT32_MAX;

/* One symbol taking part, keyed for pairing. */
struct part {
	const char *module; /* NULL for the kernel's own symbols */
	const char *name;
	uint64_t addr;      /* at the compare width */
	uint32_t index;     /* in its table */
	bool paired;
};

struct side {
	const struct ksyms_table *t;
	struct part *v;
	size_t n;
};

/* One entry of the result. */
struct item {
	const char *name; /* for the order of the entries */
	uint64_t key;     /* A's address, or B's for only in B */
	uint32_t a, b;    /* table indices or NO_INDEX */
	uint8_t kind, reason;
	bool type_changed, slid;
};

struct ksyms_diff {
	const struct ksyms_table *a, *b;
	struct item *items;
	size_t n;
	struct ksyms_diff_summary sum;
};

/* Everything the comparison needs while it runs. */
struct run {
	struct side a, b;
	uint64_t mask;
	bool reasons;  /* the kinds differ by filters the build applies */
	bool kn;       /* one table is kallsyms, the other an nm list */
	bool a_is_nm;  /* when kn: A is the nm list */
	struct ks_text_bounds nm_bounds;
	struct ksyms_diff *d;
};

/* ------------------------------------------------------------------------ */
/* What each table is */

static bool is_kallsyms_kind(enum ksyms_source_kind k)
{
	return k == KSYMS_SOURCE_KALLSYMS || k == KSYMS_SOURCE_PROC_KALLSYMS;
}

static bool is_nm_kind(enum ksyms_source_kind k)
{
	return k == KSYMS_SOURCE_SYSTEM_MAP || k == KSYMS_SOURCE_SYMTAB;
}

static const char *name_of(const struct ksyms_table *t, uint32_t i)
{
	return t->pool + t->name[i];
}

static bool has_module_symbols(const struct ksyms_table *t)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->module[i] != KS_NO_MODULE)
			return true;
	return false;
}

/* Every address is a 32-bit value, zero- or sign-extended. */
static bool fits_32(const struct ksyms_table *t)
{
	for (size_t i = 0; i < t->count; i++) {
		uint64_t hi = t->addr[i] >> 32;
		if (hi && !(hi == 0xffffffffu && (t->addr[i] & 0x80000000u)))
			return false;
	}
	return true;
}

/* 32-bit MIPS System.map addresses are sign-extended to 64 bits: a 32-bit
 * table against it compares the low halves. */
static uint64_t compare_mask(const struct ksyms_table *a, const struct ksyms_table *b)
{
	if ((a->info.word_size == 4 && fits_32(b)) || (b->info.word_size == 4 && fits_32(a)))
		return 0xffffffffu;
	return UINT64_MAX;
}

/* ------------------------------------------------------------------------ */
/* Reasons */

/* Why symbol @i of @t, on the A side if @in_a, has no partner. */
static enum ksyms_diff_reason one_sided_reason(const struct run *r, bool in_a, uint32_t i)
{
	const struct ksyms_table *t = in_a ? r->a.t : r->b.t;
	const char *n = name_of(t, i);
	char type = t->type[i];

	if (!r->reasons)
		return KSYMS_DIFF_UNEXPLAINED;
	enum ksyms_diff_reason why = ks_diff_type_reason(type);
	if (why != KSYMS_DIFF_UNEXPLAINED)
		return why;
	/* before the names: a text-only kernel drops its data whatever the name */
	if (r->kn && in_a == r->a_is_nm && r->d->sum.text_only && r->nm_bounds.has_text &&
	    !ks_diff_in_text(&r->nm_bounds, t->addr[i] & r->mask, n))
		return KSYMS_DIFF_OUTSIDE_TEXT;
	return ks_diff_name_reason(n);
}

/* x86-64 with --absolute-percpu (3.15 -> ~6.14) stores per-cpu symbols as
 * 'A'; nm says 'd', 'D', 'b' or 'B'. */
static enum ksyms_diff_reason type_reason(const struct run *r, char ta, char tb)
{
	char nm = r->a_is_nm ? ta : tb, ks = r->a_is_nm ? tb : ta;

	if (r->reasons && r->kn && ks == 'A' && nm != 'A')
		return KSYMS_DIFF_PERCPU;
	return KSYMS_DIFF_UNEXPLAINED;
}

static void explain_pair(const struct run *r, struct item *it)
{
	enum ksyms_diff_reason why = KSYMS_DIFF_UNEXPLAINED;

	if (it->kind == KSYMS_DIFF_MOVED && !it->slid)
		return;
	if (it->slid)
		why = KSYMS_DIFF_SLIDE;
	if (it->type_changed) {
		why = type_reason(r, r->a.t->type[it->a], r->b.t->type[it->b]);
		if (why == KSYMS_DIFF_UNEXPLAINED)
			return;
	}
	it->reason = (uint8_t)why;
}

/* ------------------------------------------------------------------------ */
/* Collecting and walking the symbols */

static int cmp_str(const char *x, const char *y)
{
	if (!x || !y)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

static int cmp_group(const struct part *x, const struct part *y)
{
	int c = cmp_str(x->module, y->module);

	return c ? c : strcmp(x->name, y->name);
}

static int cmp_part(const void *p, const void *q)
{
	const struct part *x = p, *y = q;
	int c = cmp_group(x, y);

	if (c)
		return c;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

static bool collect(struct side *s, bool modules, uint64_t mask, const struct ksyms_diff_opts *o, size_t *filtered,
		    size_t *skipped)
{
	const struct ksyms_table *t = s->t;

	s->v = ks_alloc_large((t->count ? t->count : 1) * sizeof(*s->v));
	if (!s->v)
		return false;
	for (size_t i = 0; i < t->count; i++) {
		struct ksyms_symbol sym;
		ksyms_table_symbol(t, i, &sym);
		if (sym.module && !modules) {
			(*skipped)++;
			continue;
		}
		if (o->filter && !o->filter(o->filter_ctx, &sym)) {
			(*filtered)++;
			continue;
		}
		s->v[s->n++] = (struct part){ sym.module, sym.name, sym.addr & mask, (uint32_t)i, false };
	}
	qsort(s->v, s->n, sizeof(*s->v), cmp_part);
	return true;
}

/* Walks both sorted sides one name at a time. */
struct walk {
	size_t i, j;
};

struct group {
	struct part *a, *b;
	size_t na, nb;
};

static size_t group_end(const struct side *s, size_t i)
{
	size_t e = i + 1;

	while (e < s->n && cmp_group(&s->v[e], &s->v[i]) == 0)
		e++;
	return e;
}

/* The next name: its symbols in A and in B (one side may have none). */
static bool next_group(const struct run *r, struct walk *w, struct group *g)
{
	bool more_a = w->i < r->a.n, more_b = w->j < r->b.n;

	if (!more_a && !more_b)
		return false;
	int c = !more_a ? 1 : !more_b ? -1 : cmp_group(&r->a.v[w->i], &r->b.v[w->j]);
	size_t ie = c <= 0 ? group_end(&r->a, w->i) : w->i;
	size_t je = c >= 0 ? group_end(&r->b, w->j) : w->j;

	g->a = r->a.v + w->i;
	g->na = ie - w->i;
	g->b = r->b.v + w->j;
	g->nb = je - w->j;
	w->i = ie;
	w->j = je;
	return true;
}

/* ------------------------------------------------------------------------ */
/* The slide */

static int cmp_u64(const void *p, const void *q)
{
	uint64_t x = *(const uint64_t *)p, y = *(const uint64_t *)q;

	return (x > y) - (x < y);
}

/* The most common non-zero delta of a sorted array, and how often. */
static uint64_t mode_nonzero(const uint64_t *v, size_t n, size_t *ret_count)
{
	uint64_t best = 0;
	size_t best_n = 0;

	for (size_t i = 0; i < n;) {
		size_t e = i + 1;
		while (e < n && v[e] == v[i])
			e++;
		if (v[i] && e - i > best_n) {
			best = v[i];
			best_n = e - i;
		}
		i = e;
	}
	*ret_count = best_n;
	return best;
}

/* From the kernel's own names that occur once on each side: the slide if
 * one non-zero delta holds for most of them, as when KASLR moved the whole
 * kernel.  A few symbols that moved alike are no slide. */
static bool find_slide(struct run *r)
{
	size_t cap = r->a.n < r->b.n ? r->a.n : r->b.n, n = 0, votes;
	uint64_t *delta = malloc((cap ? cap : 1) * sizeof(*delta));
	struct walk w = { 0, 0 };
	struct group g;

	if (!delta)
		return false;
	while (next_group(r, &w, &g)) {
		if (g.na != 1 || g.nb != 1 || g.a->module || !ks_diff_relocates(r->a.t->type[g.a->index]) ||
		    !ks_diff_relocates(r->b.t->type[g.b->index]))
			continue;
		delta[n++] = (g.b->addr - g.a->addr) & r->mask;
	}
	qsort(delta, n, sizeof(*delta), cmp_u64);
	uint64_t slide = mode_nonzero(delta, n, &votes);
	free(delta);
	if (votes * 2 > n) {
		r->d->sum.has_slide = true;
		r->d->sum.slide = slide;
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* Pairing */

static void add_item(struct run *r, const struct part *x, const struct part *y)
{
	struct item *it = &r->d->items[r->d->n++];
	const struct ksyms_diff_summary *s = &r->d->sum;

	memset(it, 0, sizeof(*it));
	it->a = x ? x->index : NO_INDEX;
	it->b = y ? y->index : NO_INDEX;
	it->name = x ? x->name : y->name;
	it->key = x ? x->addr : y->addr;
	if (x && y) {
		it->kind = x->addr == y->addr ? KSYMS_DIFF_SAME : KSYMS_DIFF_MOVED;
		it->slid = it->kind == KSYMS_DIFF_MOVED && s->has_slide && ((x->addr + s->slide) & r->mask) == y->addr;
		it->type_changed = r->a.t->type[x->index] != r->b.t->type[y->index];
		explain_pair(r, it);
	} else {
		it->kind = x ? KSYMS_DIFF_ONLY_A : KSYMS_DIFF_ONLY_B;
		it->reason = (uint8_t)one_sided_reason(r, x != NULL, it->a != NO_INDEX ? it->a : it->b);
	}
}

/* First of @b[0..n) (ascending addresses) at @addr, not yet paired. */
static struct part *find_unpaired(struct part *b, size_t n, uint64_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < n && b[lo].addr == addr; lo++)
		if (!b[lo].paired)
			return &b[lo];
	return NULL;
}

static void pair_by_delta(struct run *r, struct group *g, uint64_t delta)
{
	for (size_t i = 0; i < g->na; i++) {
		struct part *x = &g->a[i];
		if (x->paired)
			continue;
		struct part *y = find_unpaired(g->b, g->nb, (x->addr + delta) & r->mask);
		if (y) {
			x->paired = y->paired = true;
			add_item(r, x, y);
		}
	}
}

/* Copies neither the slide nor an equal address matched: in address order. */
static void pair_in_order(struct run *r, struct group *g)
{
	size_t j = 0;

	for (size_t i = 0; i < g->na; i++) {
		struct part *x = &g->a[i];
		if (x->paired)
			continue;
		while (j < g->nb && g->b[j].paired)
			j++;
		if (j == g->nb)
			return;
		x->paired = g->b[j].paired = true;
		add_item(r, x, &g->b[j]);
	}
}

static void pair_group(struct run *r, struct group *g)
{
	if (g->na && g->nb) {
		if (r->d->sum.has_slide)
			pair_by_delta(r, g, r->d->sum.slide);
		pair_by_delta(r, g, 0);
		pair_in_order(r, g);
	}
	for (size_t i = 0; i < g->na; i++)
		if (!g->a[i].paired)
			add_item(r, &g->a[i], NULL);
	for (size_t j = 0; j < g->nb; j++)
		if (!g->b[j].paired)
			add_item(r, NULL, &g->b[j]);
}

/* ------------------------------------------------------------------------ */
/* The result */

static int cmp_item(const void *p, const void *q)
{
	const struct item *x = p, *y = q;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	uint32_t xi = x->a != NO_INDEX ? x->a : x->b, yi = y->a != NO_INDEX ? y->a : y->b;
	return (xi > yi) - (xi < yi);
}

static void count(struct ksyms_diff *d)
{
	struct ksyms_diff_summary *s = &d->sum;

	for (size_t i = 0; i < d->n; i++) {
		const struct item *it = &d->items[i];
		size_t *per_kind[] = { &s->same, &s->moved, &s->only_a, &s->only_b };
		(*per_kind[it->kind])++;
		s->type_changed += it->type_changed;
		s->moved_by_slide += it->slid;
		if (it->kind != KSYMS_DIFF_SAME || it->type_changed)
			s->by_reason[it->reason]++;
	}
	s->unexplained = s->by_reason[KSYMS_DIFF_UNEXPLAINED];
}

/* Reads an options struct of any size (libbpf OPTS_VALID): a shorter one
 * from an older caller, or a longer one whose extra bytes are zero. */
static bool read_opts(const struct ksyms_diff_opts *in, struct ksyms_diff_opts *out)
{
	memset(out, 0, sizeof(*out));
	if (!in)
		return true;
	if (in->sz < sizeof(size_t))
		return false;
	for (size_t i = sizeof(*out); i < in->sz; i++)
		if (((const uint8_t *)in)[i])
			return false;
	memcpy(out, in, in->sz < sizeof(*out) ? in->sz : sizeof(*out));
	return true;
}

static void setup(struct run *r, const struct ksyms_table *a, const struct ksyms_table *b,
		  const struct ksyms_diff_opts *o)
{
	enum ksyms_source_kind ka = a->info.source_kind, kb = b->info.source_kind;

	r->a.t = a;
	r->b.t = b;
	r->mask = compare_mask(a, b);
	r->kn = (is_nm_kind(ka) && is_kallsyms_kind(kb)) || (is_kallsyms_kind(ka) && is_nm_kind(kb));
	r->a_is_nm = is_nm_kind(ka);
	/* a System.map is a .symtab through mksysmap's filters */
	r->reasons = !o->strict && (r->kn || (is_nm_kind(ka) && is_nm_kind(kb) && ka != kb));
	r->d->sum.addr_bits = r->mask == UINT64_MAX ? 64 : 32;
	if (r->kn) {
		r->d->sum.text_only = ks_diff_text_only(r->a_is_nm ? b : a, r->mask);
		ks_diff_text_bounds(r->a_is_nm ? a : b, r->mask, &r->nm_bounds);
	}
}

static struct ksyms_error *check_args(const struct ksyms_table *a, const struct ksyms_table *b,
				      const struct ksyms_diff_opts *opts, struct ksyms_diff_opts *o,
				      struct ksyms_diff **ret)
{
	if (!a || !b || !ret || !read_opts(opts, o))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_diff_create");
	if (a->info.addresses_hidden || b->info.addresses_hidden)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
				"the addresses of table %s are hidden (all 0: kptr_restrict); nothing to compare",
				a->info.addresses_hidden ? "A" : "B");
	if (a->facts_only || b->facts_only)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, KS_FACTS_ONLY_MSG);
	if (a->count > UINT32_MAX || b->count > UINT32_MAX)
		return ks_error(KSYMS_ERR_TOO_LARGE, "too many symbols to compare");
	return NULL;
}

static bool compare(struct run *r, const struct ksyms_diff_opts *o)
{
	struct ksyms_diff_summary *s = &r->d->sum;
	bool modules = has_module_symbols(r->a.t) && has_module_symbols(r->b.t);
	size_t total;

	if (!collect(&r->a, modules, r->mask, o, &s->a_filtered, &s->a_modules_skipped) ||
	    !collect(&r->b, modules, r->mask, o, &s->b_filtered, &s->b_modules_skipped) ||
	    ckd_add_size(&total, r->a.n, r->b.n))
		return false;
	s->a_compared = r->a.n;
	s->b_compared = r->b.n;
	r->d->items = malloc((total ? total : 1) * sizeof(*r->d->items));
	if (!r->d->items || !find_slide(r))
		return false;
	struct walk w = { 0, 0 };
	struct group g;
	while (next_group(r, &w, &g))
		pair_group(r, &g);
	qsort(r->d->items, r->d->n, sizeof(*r->d->items), cmp_item);
	count(r->d);
	return true;
}

struct ksyms_error *ksyms_diff_create(const struct ksyms_table *a, const struct ksyms_table *b,
				      const struct ksyms_diff_opts *opts, struct ksyms_diff **ret)
{
	struct ksyms_diff_opts o;
	struct ksyms_error *err = check_args(a, b, opts, &o, ret);

	if (err)
		return err;
	struct run r = { .d = calloc(1, sizeof(struct ksyms_diff)) };
	if (!r.d)
		return &ks_enomem;
	r.d->a = a;
	r.d->b = b;
	setup(&r, a, b, &o);
	bool ok = compare(&r, &o);
	free(r.a.v);
	free(r.b.v);
	if (!ok) {
		ksyms_diff_destroy(r.d);
		return &ks_enomem;
	}
	*ret = r.d;
	return NULL;
}

void ksyms_diff_destroy(struct ksyms_diff *d)
{
	if (!d)
		return;
	free(d->items);
	free(d);
}

const struct ksyms_diff_summary *ksyms_diff_summary(const struct ksyms_diff *d)
{
	return d ? &d->sum : NULL;
}

size_t ksyms_diff_count(const struct ksyms_diff *d)
{
	return d ? d->n : 0;
}

static void side_symbol(const struct ksyms_table *t, uint32_t i, size_t *ret_index, struct ksyms_symbol *ret)
{
	memset(ret, 0, sizeof(*ret));
	*ret_index = i == NO_INDEX ? SIZE_MAX : i;
	if (i != NO_INDEX)
		ksyms_table_symbol(t, i, ret);
}

bool ksyms_diff_entry(const struct ksyms_diff *d, size_t i, struct ksyms_diff_entry *ret)
{
	if (!d || !ret || i >= d->n)
		return false;
	const struct item *it = &d->items[i];
	ret->kind = (enum ksyms_diff_kind)it->kind;
	ret->reason = (enum ksyms_diff_reason)it->reason;
	ret->type_changed = it->type_changed;
	ret->slid = it->slid;
	side_symbol(d->a, it->a, &ret->a_index, &ret->a);
	side_symbol(d->b, it->b, &ret->b_index, &ret->b);
	return true;
}

