// SPDX-License-Identifier: MIT
/*
 * What the kernel build keeps of `nm -n vmlinux` (kallsyms-format.md
 * section 4), so that a System.map can be turned into the table the build
 * would have made.
 *
 * Up to 6.3, scripts/kallsyms filters the nm output itself
 * (is_ignored_symbol, rewritten as tables of names in 5.x); 6.1 moved some
 * patterns out of it (`$`, `.LASANPC`, `__crc_`) and narrowed
 * `__kvm_nvhe_`.  From ~6.4 the filtering lives in the scripts/mksysmap sed
 * script, whose output is both System.map and the kallsyms input, and
 * kallsyms only drops the `u`/`n` types and absolute symbols.  7.x
 * mksysmap drops two more patterns (`__mod_device_table__`,
 * `__UNIQUE_ID_modinfo_N`).
 *
 * Then, without CONFIG_KALLSYMS_ALL, only the text and init text ranges
 * are kept (symbol_valid), and on x86-64 SMP before ~6.15 the per-cpu
 * symbols become type 'A' (make_percpus_absolute, c6bda7c988a5, 3.15).
 */
#include <string.h>

#include "gen.h"
#include "core/compiler.h"
#include "core/error.h"

enum ks_gen_era ks_gen_era_of(const struct ksyms_layout *l)
{
	if (l->addr_mode == KSYMS_ADDR_PC_RELATIVE || l->addr_mode == KSYMS_ADDR_ABSOLUTE32)
		return KS_GEN_ERA_7_0;
	if (l->order == KSYMS_ORDER_NAMES_FIRST)
		return KS_GEN_ERA_6_4;
	return l->name_len_bytes == 2 ? KS_GEN_ERA_6_1 : KS_GEN_ERA_5_10;
}

/* ------------------------------------------------------------------------ */
/* The ignore lists */

/* Which eras a pattern belongs to. */
enum {
	E510 = 1u << KS_GEN_ERA_5_10,
	E61 = 1u << KS_GEN_ERA_6_1,
	E64 = 1u << KS_GEN_ERA_6_4,
	E70 = 1u << KS_GEN_ERA_7_0,
	OLD = E510 | E61,
	NEW = E64 | E70,
	ALL = OLD | NEW,
};

struct pattern {
	const char *s;
	unsigned eras;
};

static const struct pattern exact[] = {
	/* pass 1 of the link has none of them, the later passes do (<= 6.3) */
	{ "kallsyms_addresses", OLD },	 { "kallsyms_offsets", OLD },	   { "kallsyms_relative_base", OLD },
	{ "kallsyms_num_syms", OLD },	 { "kallsyms_names", OLD },	   { "kallsyms_markers", OLD },
	{ "kallsyms_token_table", OLD }, { "kallsyms_token_index", OLD }, { "kallsyms_seqs_of_names", E61 },
	/* ppc small-data anchors move between passes */
	{ "_SDA_BASE_", ALL },		 { "_SDA2_BASE_", ALL },	   { "L0", NEW },
};

static const struct pattern prefixes[] = {
	/* ARM/AArch64/MIPS mapping and local symbols ($a $d $t $x) */
	{ "$", E510 | NEW },
	{ ".LASANPC", E510 },
	{ ".L", NEW },
	{ "__crc_", E510 | NEW },
	{ "__efistub_", ALL },
	{ "__kvm_nvhe_", E510 },
	{ "__kvm_nvhe_$", E61 | NEW },
	{ "__kvm_nvhe_.L", E61 | NEW },
	/* arm64/riscv PIE-namespace locals: still in Debian 6.12.107's
	 * System.map and /proc/kallsyms, dropped by 7.x mksysmap */
	{ "__pi_$", E70 },
	{ "__pi_.L", E70 },
	/* linker stubs; 6.4+ mksysmap matches every __<alnum>*Thunk_ instead */
	{ "__AArch64ADRPThunk_", OLD },
	{ "__ARMV5PILongThunk_", OLD },
	{ "__ARMV7PILongThunk_", OLD },
	{ "__ThumbV7PILongThunk_", OLD },
	{ "__LA25Thunk_", OLD },
	{ "__microLA25Thunk_", OLD },
	{ "__kcfi_typeid_", E61 | NEW },
	{ "__kvm_nvhe___kcfi_typeid_", NEW },
	{ "__pi___kcfi_typeid_", NEW },
	{ "__kstrtab_", NEW },
	{ "__kstrtabns_", NEW },
	{ "__mod_device_table__", E70 },
};

static const struct pattern suffixes[] = {
	/* ARM veneers, which come and go between link passes */
	{ "_from_arm", ALL },
	{ "_from_thumb", ALL },
	{ "_veneer", ALL },
};

static const struct pattern substrings[] = {
	/* ppc long branch stubs */
	{ ".long_branch.", ALL },
	{ ".plt_branch.", ALL },
};

static bool has_prefix(const char *name, size_t len, const char *p)
{
	size_t n = strlen(p);
	return len >= n && memcmp(name, p, n) == 0;
}

static bool has_suffix(const char *name, size_t len, const char *s)
{
	size_t n = strlen(s);
	return len >= n && memcmp(name + len - n, s, n) == 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* mksysmap's / __[[:alnum:]]*Thunk_/: "Thunk_" ends the alnum run after "__". */
static bool is_lld_thunk(const char *name, size_t len)
{
	size_t q = 2;

	if (!has_prefix(name, len, "__"))
		return false;
	while (q < len && is_alnum(name[q]))
		q++;
	return q >= 2 + 5 && q < len && memcmp(name + q - 5, "Thunk_", 6) == 0;
}

/* 7.x mksysmap's / __UNIQUE_ID_modinfo_[0-9]*$/ */
static bool is_unique_modinfo(const char *name, size_t len)
{
	static const char p[] = "__UNIQUE_ID_modinfo_";

	if (!has_prefix(name, len, p))
		return false;
	for (size_t i = sizeof(p) - 1; i < len; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return true;
}

static bool match_list(const struct pattern *list, size_t n, unsigned era, const char *name, size_t len,
		       bool (*match)(const char *, size_t, const char *))
{
	for (size_t i = 0; i < n; i++)
		if ((list[i].eras & era) && match(name, len, list[i].s))
			return true;
	return false;
}

static bool is_exact(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

static bool contains(const char *name, size_t len, const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(name + i, s, n) == 0)
			return true;
	return false;
}

/* Absolute symbols that IA-64 and PA-RISC need in the table. */
static bool is_absolute_keeper(const char *name, size_t len)
{
	static const char *const keep[] = { "__kernel_syscall_via_break", "__kernel_syscall_via_epc",
					    "__kernel_sigtramp", "__gp" };

	for (size_t i = 0; i < KS_ARRAY_SIZE(keep); i++)
		if (is_exact(name, len, keep[i]))
			return true;
	return false;
}

static bool type_ignored(enum ks_gen_era era, const char *name, size_t len, char type)
{
	/* 6.4+ mksysmap: / [aNUw] / */
	if (era >= KS_GEN_ERA_6_4 && (type == 'a' || type == 'N' || type == 'U' || type == 'w'))
		return true;
	/* scripts/kallsyms in every era */
	if (type == 'U' || type == 'u' || type == 'N' || type == 'n')
		return true;
	return (type == 'A' || type == 'a') && !is_absolute_keeper(name, len);
}

bool ks_gen_ignored(enum ks_gen_era era, const char *name, size_t len, char type)
{
	unsigned e = 1u << era;

	if (type_ignored(era, name, len, type))
		return true;
	if (match_list(exact, KS_ARRAY_SIZE(exact), e, name, len, is_exact) ||
	    match_list(prefixes, KS_ARRAY_SIZE(prefixes), e, name, len, has_prefix) ||
	    match_list(suffixes, KS_ARRAY_SIZE(suffixes), e, name, len, has_suffix) ||
	    match_list(substrings, KS_ARRAY_SIZE(substrings), e, name, len, contains))
		return true;
	if (era >= KS_GEN_ERA_6_4 && is_lld_thunk(name, len))
		return true;
	return era == KS_GEN_ERA_7_0 && is_unique_modinfo(name, len);
}

/* ------------------------------------------------------------------------ */
/* Ranges: text, init text, per-cpu */

struct range {
	const char *start_sym, *end_sym;
	bool has_start, has_end;
	uint64_t start, end;
};

/* Record the range bounds from the symbol list, as check_symbol_range()
 * does while reading: a later definition of a bound replaces an earlier. */
static void find_range(const struct ks_gen_list *l, struct range *r)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct ks_gen_sym *s = &l->v[i];
		if (strcmp(s->name, r->start_sym) == 0) {
			r->start = s->addr;
			r->has_start = true;
		} else if (strcmp(s->name, r->end_sym) == 0) {
			r->end = s->addr;
			r->has_end = true;
		}
	}
}

/* Bounds are inclusive; a missing bound is 0, as in the kernel. */
static bool in_range(const struct range *r, uint64_t addr)
{
	return addr >= r->start && addr <= r->end;
}

/* symbol_valid() without --all-symbols. */
static bool text_valid(enum ks_gen_era era, const struct range *text, const struct range *init,
		       const struct ks_gen_sym *s)
{
	/* section bounds are always kept since 6.4-era trees (absent in 6.1) */
	if (era >= KS_GEN_ERA_6_4 &&
	    (has_prefix(s->name, s->name_len, "__start_") || has_prefix(s->name, s->name_len, "__stop_")))
		return true;
	if (!in_range(text, s->addr) && !in_range(init, s->addr))
		return false;
	/* the end markers can move between link passes: nothing else may
	 * sit exactly on them */
	if (s->addr == text->end && strcmp(s->name, text->end_sym) != 0)
		return false;
	if (s->addr == init->end && strcmp(s->name, init->end_sym) != 0)
		return false;
	return true;
}

static void keep_if(struct ks_gen_list *l, bool (*drop)(const struct ks_gen_sym *, const void *), const void *ctx)
{
	size_t k = 0;

	for (size_t i = 0; i < l->n; i++)
		if (!drop(&l->v[i], ctx))
			l->v[k++] = l->v[i];
	l->n = k;
}

static bool drop_ignored(const struct ks_gen_sym *s, const void *ctx)
{
	const enum ks_gen_era *era = ctx;
	return ks_gen_ignored(*era, s->name, s->name_len, s->type);
}

struct text_ctx {
	enum ks_gen_era era;
	struct range text, init;
};

static bool drop_outside_text(const struct ks_gen_sym *s, const void *ctx)
{
	const struct text_ctx *t = ctx;
	return !text_valid(t->era, &t->text, &t->init, s);
}

struct ksyms_error *ks_gen_filter(struct ks_gen_list *l, const struct ks_gen_filter_opts *o)
{
	struct range pc = { .start_sym = "__per_cpu_start", .end_sym = "__per_cpu_end" };

	if (o->ignore_lists)
		keep_if(l, drop_ignored, &o->era);
	/* every bound is recorded while reading, before the range rule */
	if (o->absolute_percpu) {
		find_range(l, &pc);
		if (!pc.has_start || !pc.has_end)
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "absolute per-cpu symbols need "
					"__per_cpu_start and __per_cpu_end among the symbols");
	}
	if (o->text_only) {
		struct text_ctx t = { .era = o->era,
				      .text = { .start_sym = "_stext", .end_sym = "_etext" },
				      .init = { .start_sym = "_sinittext", .end_sym = "_einittext" } };
		find_range(l, &t.text);
		find_range(l, &t.init);
		if (!t.text.has_start || !t.text.has_end)
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
					"keeping only text symbols needs _stext and _etext among the symbols");
		keep_if(l, drop_outside_text, &t);
	}
	for (size_t i = 0; o->absolute_percpu && i < l->n; i++) {
		if (in_range(&pc, l->v[i].addr)) {
			l->v[i].percpu = true;
			l->v[i].type = 'A';
		}
	}
	return NULL;
}
