/* SPDX-License-Identifier: MIT */
/* Sorting record numbers by a key inside the records, without a
 * comparison call per step. */
#ifndef KSYMS_CORE_SORT_H
#define KSYMS_CORE_SORT_H

#include <stddef.h>
#include <stdint.h>

/*
 * Sort the @n record numbers at @p, stably, by an unsigned key of
 * @key_size bytes (4 or 8, host order) at @key_off within records of
 * @stride bytes at @base: an LSD radix sort, 11 bits a pass, through @tmp
 * (n numbers); digits all the keys share take no pass (kernel addresses
 * differ in their low 26 bits or so: three passes, not six).  The result
 * is in @p.
 */
void ks_radix_sort_records(const void *base, size_t stride, size_t key_off, unsigned key_size, uint32_t *p,
			   uint32_t *tmp, size_t n);

#endif
