/* SPDX-License-Identifier: MIT */
/*
 * The exports a table keeps: the ksymtab entries that lib/exports read from
 * the image while it was mapped, stored with the table so that the table
 * answers export questions after the image is gone.  Plain data, owned and
 * freed by the table; lib/exports fills it in, lib/verify reads it.
 */
#ifndef KSYMS_TABLE_EXPORTS_H
#define KSYMS_TABLE_EXPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"

/* One stored entry. */
struct ks_export_ent {
	uint64_t addr;
	uint32_t name;  /* offset into pool */
	uint32_t ns;    /* offset into pool, or UINT32_MAX */
	uint32_t index; /* table index, or UINT32_MAX */
	uint8_t kind;   /* enum ksyms_export_kind */
	uint16_t name_len; /* in the padding: saves a strlen() per match */
};

struct ks_exports {
	struct ksyms_exports_info info;
	/* the table's arena, where ent, pool and by_index live */
	struct ks_arena *arena;
	struct ks_export_ent *ent;
	size_t count, cap;
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t *by_index; /* entry numbers sorted by table index (matched ones only) */
	size_t nby_index;
	char layout[96];
	/* evidence for lib/verify: entries whose value is the address of
	 * the table's symbol of the same name (not those matched by name
	 * alone because the image leaves their value to relocation), and
	 * whether values are place-relative (then they rest on the image
	 * base) or stored pointers */
	size_t matched_by_address;
	bool prel32;
};

void ks_exports_destroy(struct ks_exports *x);

#endif
