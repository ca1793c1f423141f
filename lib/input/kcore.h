/* SPDX-License-Identifier: MIT */
/*
 * /proc/kcore: the running kernel's memory as an ELF core.
 *
 * Its PT_LOADs are virtual ranges: the kernel image ([_text, _end), the
 * KCORE_TEXT entry of fs/proc/kcore.c), the direct map of RAM, vmalloc,
 * modules, vmemmap.  The file claims the whole address space (st_size of
 * 128 TiB and more) and cannot be mapped (kcore has no mmap), so it is read
 * with pread: the headers, the notes, and the one load that holds the
 * kernel image, nothing else.  What it yields is a small ELF executable
 * with that load at its run-time address, which the ELF vmlinux reader
 * takes as it is: the addresses are the running kernel's, KASLR applied.
 */
#ifndef KSYMS_INPUT_KCORE_H
#define KSYMS_INPUT_KCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"

struct ks_kcore {
	uint8_t *elf;   /* the ELF executable made of the kernel load (malloc'd) */
	size_t len;
	uint64_t offset, size; /* where the load lies in the file */
	char desc[320];
};

/*
 * Whether the file on @fd is a /proc/kcore-like ELF core: ET_CORE with the
 * NT_TASKSTRUCT note only kcore writes, or any ELF core that could not be
 * mapped (@unmappable).  No allocation beyond its headers.
 */
bool ks_kcore_detect(int fd, bool unmappable);
/* Read the kernel image load of the kcore on @fd (at most @max bytes). */
struct ksyms_error *ks_kcore_read(int fd, uint64_t max, struct ks_kcore *ret);
void ks_kcore_free(struct ks_kcore *k);

#endif
