// SPDX-License-Identifier: MIT
/*
 * Expanding kallsyms_names into the table (kallsyms_expand_symbol).
 *
 * Each entry is a length (1 byte, or ULEB128 since 6.1) followed by that
 * many token codes; the expansion's first character is the nm type letter.
 * Names are truncated at KSYM_NAME_LEN - 1 (511 since 6.1) like the
 * kernel's own expansion, which real tables never reach.
 */
#include <string.h>

#include "kallsyms.h"
#include "decode.h"
#include "core/overflow.h"

enum { MAX_NAME = 511 };

static bool is_type_letter(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

struct ksyms_error *ks_decode_names(const struct ks_ctx *ctx, const struct ks_found *f, struct ksyms_table *t)
{
	struct span d = ctx->data;
	const struct ks_tokens *tok = &f->tok;
	const struct ks_names *nm = &f->names;
	const uint8_t *p = span_at(d, nm->off, nm->len);
	uint32_t n = nm->num_syms;
	/* names compress about 3:1; grow if a table compresses better */
	size_t guess = nm->len * 3 + (size_t)n * 2;
	char buf[MAX_NAME + 256 + 2];

	if (!p || !ks_table_reserve(t, n, guess))
		return p ? &ks_enomem : ks_error_at((int64_t)nm->off, "kallsyms_names runs past the end of the data");
	size_t pos = 0;
	for (uint32_t i = 0; i < n; i++) {
		size_t len = p[pos++];
		if (nm->len_bytes == 2 && (len & 0x80))
			len = (len & 0x7f) | (size_t)p[pos++] << 7;
		size_t out = 0;
		for (size_t j = 0; j < len && out <= MAX_NAME; j++) {
			uint8_t c = p[pos + j];
			memcpy(buf + out, tok->str[c], tok->len[c]);
			out += tok->len[c];
		}
		if (out == 0 || !is_type_letter((uint8_t)buf[0]))
			return ks_error_at((int64_t)(nm->off + pos),
					   "symbol %u in kallsyms_names has no type letter (0x%02x)", i,
					   out ? (uint8_t)buf[0] : 0);
		size_t name_len = out - 1 > MAX_NAME ? MAX_NAME : out - 1;
		if (!ks_table_add(t, 0, buf[0], buf + 1, name_len, NULL))
			return &ks_enomem;
		pos += len;
	}
	return NULL;
}
