/* SPDX-License-Identifier: MIT */
/*
 * VMCOREINFO: the "KEY=VALUE" lines a kernel writes about itself for dump
 * readers (kernel/vmcore_info.c, crash_core.c before 6.9): OSRELEASE,
 * PAGESIZE, SYMBOL(name)=hex address, OFFSET(struct.member)=decimal,
 * SIZE(struct)=decimal, LENGTH(array)=decimal, NUMBER(name)=decimal (some
 * architectures write "0x..." hex there: arm64's kimage_voffset), and
 * KERNELOFFSET=hex.  The text comes from a dump (an ELF note, a kdump
 * header, or found in memory); it is borrowed, never copied.
 */
#ifndef KSYMS_KERNEL_VMCOREINFO_H
#define KSYMS_KERNEL_VMCOREINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ks_vmcoreinfo {
	const char *text; /* not NUL-terminated */
	size_t len;
};

/* Whether @text looks like VMCOREINFO: printable lines of KEY=VALUE with
 * OSRELEASE= and PAGESIZE= among them. */
bool ks_vmci_valid(const char *text, size_t len);
/* The value of line @key (the text before '='), as bytes; false if absent. */
bool ks_vmci_get(const struct ks_vmcoreinfo *v, const char *key, const char **ret, size_t *ret_len);
/* The value of @key as a number: SYMBOL() and KERNELOFFSET are hex, the
 * others decimal unless written with 0x; a leading '-' negates. */
bool ks_vmci_number(const struct ks_vmcoreinfo *v, const char *key, uint64_t *ret);
/* SYMBOL(@name), OFFSET(@name), SIZE(@name), NUMBER(@name). */
bool ks_vmci_symbol(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret);
bool ks_vmci_offset(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret);
bool ks_vmci_size(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret);
bool ks_vmci_num(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret);
/* Call @fn for every SYMBOL(name)=value line (name not NUL-terminated). */
void ks_vmci_each_symbol(const struct ks_vmcoreinfo *v, void (*fn)(void *ctx, const char *name, size_t len,
								    uint64_t value),
			 void *ctx);

#endif
