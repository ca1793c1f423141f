/* SPDX-License-Identifier: MIT */
/*
 * Exported symbols: the kernel's __ksymtab* sections, read once while the
 * image is mapped and kept with the table (struct ks_exports), so that
 * ksyms_table_export() works after the image is gone.
 *
 *   ksymtab.c  where the sections are (symbols, ELF section headers) and
 *              how their entries are laid out; decoding
 *   scan.c     finding the sections in a raw image whose table has no
 *              __start___ksymtab symbols (before 6.4 without KALLSYMS_ALL)
 *   exports.c  the stored result and the public getters
 */
#ifndef KSYMS_EXPORTS_H
#define KSYMS_EXPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/span.h"
#include "kernel/kernel.h"
#include "kernel/vamap.h"
#include "table/exports.h"
#include "table/table.h"

/* How many aliases at one address a match compares: real kernels have a
 * few dozen at most; a crafted table must not make the scan quadratic. */
enum { KS_KSYM_MAX_ALIASES = 256 };

/* The sections, in the order vmlinux.lds.h places them (5.10 RO_DATA). */
enum ks_ksec {
	KS_SEC_KSYMTAB,
	KS_SEC_GPL,
	KS_SEC_UNUSED,
	KS_SEC_UNUSED_GPL,
	KS_SEC_GPL_FUTURE,
	KS_SEC_FLAGS, /* __kflagstab, 7.x: one byte per __ksymtab entry */
	KS_SEC_COUNT
};

struct ks_range {
	bool present;
	size_t off, len; /* in the kernel data */
};

/* How one entry is stored (include/linux/export.h, export-internal.h). */
struct ks_ksym_layout {
	bool prel32;      /* CONFIG_HAVE_ARCH_PREL32_RELOCATIONS: s32 place-relative fields */
	unsigned field;   /* bytes per field: 4, or the word size for pointers */
	unsigned nfields; /* 2 = {value, name}; 3 = {value, name, namespace} (5.4+) */
};

/* Everything the readers share while the image is mapped. */
struct ks_ksym_ctx {
	struct span data;
	bool be;
	unsigned word;
	struct ks_vamap map;
	const struct ksyms_table *t;
	const uint32_t *order; /* table indices by address (NULL: the table is sorted) */
	size_t norder;
	struct ks_blocked addr_search; /* over the table's addresses, through order */
	struct ks_range sec[KS_SEC_COUNT];
	const char *found_by;
};

/* One decoded entry (before it is stored). */
struct ks_raw_export {
	uint64_t value;
	const char *name; /* into the data */
	size_t name_len;
	const char *ns;   /* into the data, NULL if none */
	size_t ns_len;
};

/* Read the ksymtab of @k into @t->exports.  Fails only when out of
 * memory: a kernel whose exports cannot be read gets info.known = false
 * and a reason. */
struct ksyms_error *ks_exports_read(const struct ks_kernel *k, struct ksyms_table *t);

/* entry.c */
bool ks_ksym_read(const struct ks_ksym_ctx *c, const struct ks_ksym_layout *l, size_t off,
		  struct ks_raw_export *ret);
/* The table index of the symbol @name at @addr, or SIZE_MAX. */
size_t ks_ksym_match(const struct ks_ksym_ctx *c, uint64_t addr, const char *name, size_t name_len);
/* The same for addresses given in ascending order, from *cursor (0 at first). */
size_t ks_ksym_match_next(const struct ks_ksym_ctx *c, size_t *cursor, uint64_t addr, const char *name,
			  size_t name_len);
uint64_t ks_ksym_addr_at(const struct ks_ksym_ctx *c, size_t pos);
/* A valid exported name (an identifier) or namespace (printable). */
bool ks_ksym_name_ok(const char *s, size_t len);
bool ks_ksym_ns_ok(const char *s, size_t len);

/* scan.c: find the sections by their content; fills c->sec. */
bool ks_ksym_scan(struct ks_ksym_ctx *c);

/* exports.c: store one entry. */
/* Make room for about @n more entries (an estimate: a bound is applied). */
KS_MUST_CHECK bool ks_exports_reserve(struct ks_exports *x, size_t n);
KS_MUST_CHECK bool ks_exports_add(struct ks_exports *x, const struct ks_raw_export *e, enum ksyms_export_kind kind,
				  size_t index);
KS_MUST_CHECK bool ks_exports_finish(struct ks_exports *x);

#endif
