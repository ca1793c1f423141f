/* SPDX-License-Identifier: MIT */
/*
 * struct ksyms_table: a host-order symbol table, whatever the source
 * (decoded kallsyms, System.map, /proc/kallsyms, ELF .symtab).  Names live
 * in one string pool; symbols are parallel arrays so a 200,000-symbol
 * table is four allocations.
 */
#ifndef KSYMS_TABLE_H
#define KSYMS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/compiler.h"

#define KS_NO_MODULE UINT32_MAX

struct ksyms_table {
	struct ksyms_info info;
	size_t count, cap;
	uint64_t *addr;
	uint32_t *name;   /* offset into pool */
	uint32_t *module; /* offset into pool, or KS_NO_MODULE */
	char *type;
	char *pool;
	size_t pool_len, pool_cap;
	char *banner;     /* owned copy behind info.banner */
};

KS_MUST_CHECK struct ksyms_table *ks_table_new(void);
/* Make room for @n symbols and @pool_bytes of names in total. */
KS_MUST_CHECK bool ks_table_reserve(struct ksyms_table *t, size_t n, size_t pool_bytes);
/* Append a symbol; name (and module, if not NULL) are copied. */
KS_MUST_CHECK bool ks_table_add(struct ksyms_table *t, uint64_t addr, char type, const char *name, size_t name_len,
				const char *module);
KS_MUST_CHECK bool ks_table_set_banner(struct ksyms_table *t, const char *banner, size_t len);

#endif
