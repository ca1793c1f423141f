/* SPDX-License-Identifier: MIT */
/*
 * Internal to ksyms_diff: what the kernel build explains when a System.map
 * and kallsyms differ (kallsyms-format.md section 4).  diff.c pairs the
 * symbols; diff_reasons.c knows the build's filters.
 */
#ifndef KSYMS_TABLE_DIFF_H
#define KSYMS_TABLE_DIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "table.h"

/* The text ranges of a table: the range rule of scripts/kallsyms. */
struct ks_text_bounds {
	bool has_text, has_init;
	uint64_t stext, etext, sinittext, einittext;
};

/* _stext, _etext, _sinittext and _einittext of @t, addresses & @mask. */
void ks_diff_text_bounds(const struct ksyms_table *t, uint64_t mask, struct ks_text_bounds *b);
/* Would the kernel keep @name at @addr without CONFIG_KALLSYMS_ALL? */
bool ks_diff_in_text(const struct ks_text_bounds *b, uint64_t addr, const char *name);
/* The kallsyms table @k has nothing outside the text ranges. */
bool ks_diff_text_only(const struct ksyms_table *k, uint64_t mask);
/* The symbol moves with the kernel: not absolute, not undefined. */
bool ks_diff_relocates(char type);
/* ABSOLUTE or DROPPED_TYPE for a type the build drops, else UNEXPLAINED. */
enum ksyms_diff_reason ks_diff_type_reason(char type);
/* The reason the build drops @name in some era, or UNEXPLAINED. */
enum ksyms_diff_reason ks_diff_name_reason(const char *name);

#endif
