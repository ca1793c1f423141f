// SPDX-License-Identifier: MIT
/*
 * What the kernel build explains when a System.map (or an ELF .symtab)
 * and kallsyms (an image, /proc/kallsyms) differ: the filters of
 * scripts/mksysmap and scripts/kallsyms in every era (kallsyms-format.md
 * section 4), taken together since a table does not say its era, and the
 * text range rule of kernels without CONFIG_KALLSYMS_ALL.
 */
#include <string.h>

#include "diff.h"

static bool starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool in_ranges(const struct ks_text_bounds *b, uint64_t a)
{
	return (a >= b->stext && a <= b->etext) || (b->has_init && a >= b->sinittext && a <= b->einittext);
}

void ks_diff_text_bounds(const struct ksyms_table *t, uint64_t mask, struct ks_text_bounds *b)
{
	static const char *const names[] = { "_stext", "_etext", "_sinittext", "_einittext" };
	uint64_t *at[] = { &b->stext, &b->etext, &b->sinittext, &b->einittext };
	bool seen[4] = { false };

	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < t->count; i++) {
		const char *n = t->pool + t->name[i];
		if (n[0] != '_' || t->module[i] != KS_NO_MODULE)
			continue;
		for (size_t k = 0; k < 4; k++) {
			if (!seen[k] && strcmp(n, names[k]) == 0) {
				*at[k] = t->addr[i] & mask;
				seen[k] = true;
			}
		}
	}
	b->has_text = seen[0] && seen[1];
	b->has_init = seen[2] && seen[3];
}

/* Symbols the kernel drops at exactly _etext or _einittext, unless they are
 * those symbols, count as outside too (symbol_valid). */
bool ks_diff_in_text(const struct ks_text_bounds *b, uint64_t a, const char *n)
{
	if (!in_ranges(b, a))
		return false;
	if (a == b->etext && strcmp(n, "_etext") != 0)
		return false;
	return !(b->has_init && a == b->einittext && strcmp(n, "_einittext") != 0);
}

/* Absolute values do not move with the kernel; undefined symbols have none. */
bool ks_diff_relocates(char type)
{
	return type && !strchr("AaUuwv", type);
}

/*
 * Without CONFIG_KALLSYMS_ALL, kallsyms keeps only [_stext, _etext] and
 * [_sinittext, _einittext] (and, from ~6.4, every __start_ and __stop_):
 * a kallsyms table with nothing else was built that way.
 */
bool ks_diff_text_only(const struct ksyms_table *k, uint64_t mask)
{
	struct ks_text_bounds b;

	ks_diff_text_bounds(k, mask, &b);
	if (!b.has_text)
		return false;
	for (size_t i = 0; i < k->count; i++) {
		const char *n = k->pool + k->name[i];
		if (k->module[i] != KS_NO_MODULE || !ks_diff_relocates(k->type[i]) || starts_with(n, "__start_") ||
		    starts_with(n, "__stop_"))
			continue;
		if (!in_ranges(&b, k->addr[i] & mask))
			return false;
	}
	return true;
}

/* scripts/kallsyms drops absolute symbols (but for four IA-64 and PA-RISC
 * keepers) and u, n; mksysmap drops a, N, U, w; v is nm's undefined weak
 * object. */
enum ksyms_diff_reason ks_diff_type_reason(char type)
{
	if (type == 'A' || type == 'a')
		return KSYMS_DIFF_ABSOLUTE;
	if (type && strchr("UuNnwv", type))
		return KSYMS_DIFF_DROPPED_TYPE;
	return KSYMS_DIFF_UNEXPLAINED;
}

static bool is_lld_thunk(const char *n)
{
	/* mksysmap: / __[[:alnum:]]*Thunk_/ */
	const char *p = n + 2;

	if (!starts_with(n, "__"))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
		p++;
	return p - n >= 7 && starts_with(p - 5, "Thunk_");
}

static bool is_unique_modinfo(const char *n)
{
	/* 7.x mksysmap: / __UNIQUE_ID_modinfo_[0-9]*$/ */
	if (!starts_with(n, "__UNIQUE_ID_modinfo_"))
		return false;
	for (n += strlen("__UNIQUE_ID_modinfo_"); *n; n++)
		if (*n < '0' || *n > '9')
			return false;
	return true;
}

static bool has_suffix(const char *n, const char *s)
{
	size_t ln = strlen(n), ls = strlen(s);

	return ln >= ls && strcmp(n + ln - ls, s) == 0;
}

/* Names some era's scripts/kallsyms or scripts/mksysmap drops (the union,
 * since a table does not say its era): labels and mapping symbols first. */
enum ksyms_diff_reason ks_diff_name_reason(const char *n)
{
	static const char *const labels[] = { "$", ".L", "__kvm_nvhe_$", "__kvm_nvhe_.L", "__pi_$", "__pi_.L" };
	static const char *const prefixes[] = {
		"__crc_", "__kstrtab_", "__kstrtabns_", "__efistub_", "__kcfi_typeid_", "__kvm_nvhe___kcfi_typeid_",
		"__pi___kcfi_typeid_", "__mod_device_table__", "__kvm_nvhe_", "__AArch64ADRPThunk_",
		"__ARMV5PILongThunk_", "__ARMV7PILongThunk_", "__ThumbV7PILongThunk_", "__LA25Thunk_",
		"__microLA25Thunk_",
	};
	static const char *const suffixes[] = { "_from_arm", "_from_thumb", "_veneer" };

	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (starts_with(n, labels[i]))
			return KSYMS_DIFF_LOCAL_LABEL;
	if (strcmp(n, "L0") == 0)
		return KSYMS_DIFF_LOCAL_LABEL;
	for (int id = 0; id < KSYMS_TAB_COUNT; id++)
		if (strcmp(n, ksyms_table_id_name((enum ksyms_table_id)id)) == 0)
			return KSYMS_DIFF_KALLSYMS_TABLE;
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (starts_with(n, prefixes[i]))
			return KSYMS_DIFF_BUILD_FILTER;
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
		if (has_suffix(n, suffixes[i]))
			return KSYMS_DIFF_BUILD_FILTER;
	if (strcmp(n, "_SDA_BASE_") == 0 || strcmp(n, "_SDA2_BASE_") == 0 || strstr(n, ".long_branch.") ||
	    strstr(n, ".plt_branch.") || is_lld_thunk(n) || is_unique_modinfo(n))
		return KSYMS_DIFF_BUILD_FILTER;
	return KSYMS_DIFF_UNEXPLAINED;
}

/* ------------------------------------------------------------------------ */
/* Names of the reasons */

static const struct {
	const char *name, *text;
} reasons[KSYMS_DIFF_REASON_COUNT] = {
	[KSYMS_DIFF_UNEXPLAINED] = { "", "no known reason" },
	[KSYMS_DIFF_SLIDE] = { "slide", "moved by the constant slide" },
	[KSYMS_DIFF_ABSOLUTE] = { "absolute", "absolute symbol: kallsyms keeps none" },
	[KSYMS_DIFF_DROPPED_TYPE] = { "dropped-type", "undefined or debugging symbol: never in the kernel's tables" },
	[KSYMS_DIFF_LOCAL_LABEL] = { "local-label", "assembler local or mapping symbol, which one of the two filters drops" },
	[KSYMS_DIFF_BUILD_FILTER] = { "build-filter", "a name the kernel build filters out" },
	[KSYMS_DIFF_KALLSYMS_TABLE] = { "kallsyms-table", "kallsyms' own table, left out of kallsyms before 6.4" },
	[KSYMS_DIFF_OUTSIDE_TEXT] = { "outside-text", "outside the text ranges, kallsyms of a kernel without CONFIG_KALLSYMS_ALL" },
	[KSYMS_DIFF_PERCPU] = { "percpu", "x86-64 per-cpu symbol, absolute ('A') in kallsyms" },
};

const char *ksyms_diff_reason_name(enum ksyms_diff_reason reason)
{
	return (unsigned)reason < KSYMS_DIFF_REASON_COUNT ? reasons[reason].name : "unknown";
}

const char *ksyms_diff_reason_text(enum ksyms_diff_reason reason)
{
	return (unsigned)reason < KSYMS_DIFF_REASON_COUNT ? reasons[reason].text : "unknown";
}
