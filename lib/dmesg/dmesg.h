/* SPDX-License-Identifier: MIT */
/*
 * The kernel log in a memory dump: the lockless printk ring buffer (5.10+,
 * kernel/printk/printk_ringbuffer.h) read through the dump's memory, with
 * the structure offsets VMCOREINFO states or, without it, the layouts
 * every kernel since 5.10 has used, checked record by record.
 */
#ifndef KSYMS_DMESG_H
#define KSYMS_DMESG_H

#include "ksyms.h"

#endif
