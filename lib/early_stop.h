/* SPDX-License-Identifier: MIT */
#ifndef KSYMS_EARLY_STOP_H
#define KSYMS_EARLY_STOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decompress/decompress.h"

/* The state of the question "is this prefix of the kernel enough for its
 * kallsyms tables?" (early_stop.c); @stop is what the decompression asks. */
struct ks_early_stop {
	struct ks_stop stop;
	uint64_t max_output;
	size_t searched;   /* the prefix already searched for the digit tokens */
	bool digits_seen;  /* ... and they were there */
	unsigned searches; /* full searches made */
	bool never;        /* the tables decoded, but their addresses need the rest */
};

void ks_early_stop_init(struct ks_early_stop *s, uint64_t max_output);

#endif
