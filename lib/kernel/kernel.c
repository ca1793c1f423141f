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

static const char banner_tag[] = "Linux version ";

bool ks_kernel_banner_at(struct span data, size_t at, size_t *ret_len)
{
	uint8_t c;

	if (!span_eq(data, at, banner_tag, sizeof(banner_tag) - 1) ||
	    !span_u8(data, at + sizeof(banner_tag) - 1, &c) || c < '0' || c > '9')
		return false;
	size_t len = 0;
	while (len < 512 && span_u8(data, at + len, &c) && c >= 0x20 && c < 0x7f)
		len++;
	*ret_len = len;
	return true;
}

bool ks_kernel_banner(struct span data, size_t *ret_off, size_t *ret_len)
{
	size_t from = 0, at;

	while ((at = span_find(data, from, banner_tag, sizeof(banner_tag) - 1)) != SIZE_MAX) {
		if (ks_kernel_banner_at(data, at, ret_len)) {
			*ret_off = at;
			return true;
		}
		from = at + 1;
	}
	return false;
}
