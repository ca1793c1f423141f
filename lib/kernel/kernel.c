// SPDX-License-Identifier: MIT
/* The facts about a kernel's bytes (kernel.h): what every consumer needs
 * beyond the struct itself. */
#include <stdlib.h>

#include "kernel.h"

void ks_kernel_deinit(struct ks_kernel *k)
{
	free(k->segs);
	k->segs = NULL;
	k->nsegs = 0;
}

bool ks_kernel_banner(struct span data, size_t *ret_off, size_t *ret_len)
{
	static const char tag[] = "Linux version ";
	size_t from = 0, at;

	while ((at = span_find(data, from, tag, sizeof(tag) - 1)) != SIZE_MAX) {
		size_t v = at + sizeof(tag) - 1;
		uint8_t c;
		if (span_u8(data, v, &c) && c >= '0' && c <= '9') {
			size_t len = 0;
			while (len < 512 && span_u8(data, at + len, &c) && c >= 0x20 && c < 0x7f)
				len++;
			*ret_off = at;
			*ret_len = len;
			return true;
		}
		from = at + 1;
	}
	return false;
}
