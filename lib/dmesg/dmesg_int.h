/* SPDX-License-Identifier: MIT */
/*
 * Internals shared by the two log readers of lib/dmesg: the lockless ring
 * buffer (dmesg.c, 5.10+) and the log_buf formats before it (logbuf.c,
 * 2.6-5.9): the result being built, and memory reads through the dump.
 */
#ifndef KSYMS_DMESG_INT_H
#define KSYMS_DMESG_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/span.h"
#include "kernel/vmcoreinfo.h"

struct ks_dump;

struct ksyms_dmesg {
	struct ksyms_log_record *recs;
	size_t count, cap;
	char *pool;
	size_t pool_len, pool_cap;
	size_t skipped;
	char source[256];
	char partial[192];
};

/* Memory as the log readers see it: the dump, and when the dump stated no
 * virtual addresses, the window at the base the decoder inferred. */
struct ks_logmem {
	struct ks_dump *d;
	bool has_base;
	uint64_t base;
	struct span window;
	bool be;
	unsigned long_bits;
};

bool ks_logmem_read(struct ks_logmem *m, uint64_t va, void *buf, size_t len);
bool ks_logmem_u64(struct ks_logmem *m, uint64_t va, uint64_t *ret);
bool ks_logmem_u32(struct ks_logmem *m, uint64_t va, uint32_t *ret);
/* A pointer-sized word (an unsigned long or a pointer of the kernel's). */
bool ks_logmem_ulong(struct ks_logmem *m, uint64_t va, uint64_t *ret);

/* Append a record holding a copy of @text; NULL when out of memory.  The
 * record's has_time and has_level start true. */
struct ksyms_log_record *ks_dmesg_add(struct ksyms_dmesg *m, const uint8_t *text, size_t len);
/* Point every record at its text once the pool stops moving. */
void ks_dmesg_finish(struct ksyms_dmesg *m);

/* The address of the kernel variable @name: VMCOREINFO's SYMBOL(@name)
 * when @v has it, else the symbol table's (@tab may be NULL). */
bool ks_dmesg_symbol(const struct ks_vmcoreinfo *v, const struct ksyms_table *tab, const char *name,
		     uint64_t *ret);

/* The log_buf formats (logbuf.c): whether VMCOREINFO or the table names
 * log_buf with the variables of one of them, and reading it.  NULL and
 * *ret set, or an error. */
bool ks_logbuf_present(const struct ks_vmcoreinfo *v, const struct ksyms_table *tab);
struct ksyms_error *ks_logbuf_read(struct ks_logmem *mem, const struct ks_vmcoreinfo *v,
				   const struct ksyms_table *tab, struct ksyms_dmesg **ret);

#endif
