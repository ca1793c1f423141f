// SPDX-License-Identifier: MIT
/*
 * The token table (kallsyms-format.md section 2.2): the table-lookup
 * compression of 2.6.10, unchanged through 7.2.
 *
 * Each symbol is compressed as its type letter followed by its name.
 * Every byte value that occurs in some symbol keeps itself as its code.
 * The free codes are then given out from 255 down to 0, each to the
 * adjacent pair of codes that occurs most often over all symbols; ties go
 * to the lowest 16-bit key (first | second << 8), because the kernel scans
 * the keys upwards and keeps the first maximum.  Each new code replaces the
 * non-overlapping occurrences of its pair, left to right, and the pair
 * counts follow.  When no pair is left, the remaining codes stay unused
 * (empty tokens).  This is deterministic: the same symbols in the same
 * order give the same table as scripts/kallsyms, byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "core/error.h"
#include "core/overflow.h"

enum { NPAIRS = 1 << 16 };

/* How often each pair occurs, and which pairs ever occurred: the search
 * for the best pair then skips the (many) keys that never did. */
struct pairs {
	uint32_t count[NPAIRS];
	uint64_t seen[NPAIRS / 64];
};

static unsigned pair_key(uint8_t first, uint8_t second)
{
	return first | (unsigned)second << 8;
}

static void learn(struct pairs *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		unsigned k = pair_key(p[i], p[i + 1]);
		c->count[k]++;
		c->seen[k / 64] |= 1ull << (k % 64);
	}
}

static void forget(struct pairs *c, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		c->count[pair_key(p[i], p[i + 1])]--;
}

/* The most frequent pair; the lowest key on ties, as the kernel's upward
 * scan keeps the first maximum. */
static unsigned best_pair(const struct pairs *c)
{
	unsigned best = 0;

	for (unsigned w = 0; w < NPAIRS / 64; w++) {
		for (uint64_t bits = c->seen[w]; bits; bits &= bits - 1) {
			unsigned k = w * 64 + (unsigned)__builtin_ctzll(bits);
			if (c->count[k] > c->count[best])
				best = k;
		}
	}
	return best;
}

/* Offset of the first (a, b) in p[0..n), or n. */
static size_t find_pair(const uint8_t *p, size_t n, uint8_t a, uint8_t b)
{
	size_t i = 0;

	while (n >= 2 && i < n - 1) {
		const uint8_t *q = memchr(p + i, a, n - 1 - i);
		if (!q)
			return n;
		i = (size_t)(q - p);
		if (p[i + 1] == b)
			return i;
		i++;
	}
	return n;
}

/* Replace (a, b) by @code in every symbol that has it. */
static void compress(struct ks_gen_tokens *t, struct pairs *count, uint8_t a, uint8_t b, uint8_t code)
{
	for (size_t i = 0; i < t->n; i++) {
		uint8_t *p = t->code + t->off[i];
		size_t n = t->len[i];
		size_t r = find_pair(p, n, a, b);
		if (r == n)
			continue;
		forget(count, p, n);
		size_t w = r;
		while (r < n) {
			if (r + 1 < n && p[r] == a && p[r + 1] == b) {
				p[w++] = code;
				r += 2;
			} else {
				p[w++] = p[r++];
			}
		}
		t->len[i] = (uint32_t)w;
		learn(count, p, w);
	}
}

/* Copy "type letter + name" of every symbol into one buffer. */
static struct ksyms_error *load_symbols(const struct ks_gen_list *l, struct ks_gen_tokens *t)
{
	size_t total = 0;

	for (size_t i = 0; i < l->n; i++)
		if (ckd_add_size(&total, total, (size_t)l->v[i].name_len + 1))
			return ks_error(KSYMS_ERR_TOO_LARGE, "the symbol names are too large to compress");
	if (total > UINT32_MAX)
		return ks_error(KSYMS_ERR_TOO_LARGE, "the symbol names are too large to compress (%zu bytes)", total);
	t->n = l->n;
	t->code = malloc(total ? total : 1);
	t->off = calloc(l->n ? l->n : 1, sizeof(*t->off));
	t->len = calloc(l->n ? l->n : 1, sizeof(*t->len));
	if (!t->code || !t->off || !t->len)
		return &ks_enomem;
	size_t pos = 0;
	for (size_t i = 0; i < l->n; i++) {
		t->off[i] = pos;
		t->len[i] = l->v[i].name_len + 1;
		t->code[pos] = (uint8_t)l->v[i].type;
		memcpy(t->code + pos + 1, l->v[i].name, l->v[i].name_len);
		pos += t->len[i];
	}
	return NULL;
}

/* What each code stands for: itself, a pair of codes, or nothing. */
struct codes {
	uint8_t kind[256]; /* 0 unused, 1 a real byte, 2 a pair */
	uint8_t pair[256][2];
};

static void fill_codes(struct ks_gen_tokens *t, struct pairs *count, struct codes *c)
{
	for (size_t i = 0; i < t->n; i++)
		for (size_t j = 0; j < t->len[i]; j++)
			c->kind[t->code[t->off[i] + j]] = 1;
	for (size_t i = 0; i < t->n; i++)
		learn(count, t->code + t->off[i], t->len[i]);
	for (int code = 255; code >= 0; code--) {
		if (c->kind[code])
			continue;
		unsigned best = best_pair(count);
		if (count->count[best] == 0)
			break;
		c->kind[code] = 2;
		c->pair[code][0] = (uint8_t)(best & 0xff);
		c->pair[code][1] = (uint8_t)(best >> 8);
		compress(t, count, c->pair[code][0], c->pair[code][1], (uint8_t)code);
	}
}

/* Append the expansion of @code to @b. */
static bool expand(const struct codes *c, uint8_t code, struct ks_buf *b)
{
	if (c->kind[code] == 1)
		return ks_buf_append(b, &code, 1);
	if (c->kind[code] == 0)
		return true;
	return expand(c, c->pair[code][0], b) && expand(c, c->pair[code][1], b);
}

static struct ksyms_error *write_table(const struct codes *c, struct ks_gen_tokens *t)
{
	static const uint8_t nul;

	for (int code = 0; code < 256; code++) {
		/* kallsyms_token_index is .short */
		if (t->table.len > UINT16_MAX)
			return ks_error(KSYMS_ERR_TOO_LARGE, "kallsyms_token_table would exceed the 64 KiB that u16 "
					"kallsyms_token_index can address");
		t->index[code] = (uint16_t)t->table.len;
		if (!expand(c, (uint8_t)code, &t->table) || !ks_buf_append(&t->table, &nul, 1))
			return &ks_enomem;
	}
	return NULL;
}

struct ksyms_error *ks_gen_tokens_build(const struct ks_gen_list *l, struct ks_gen_tokens *ret)
{
	struct ks_gen_tokens t = { 0 };
	struct codes *c = calloc(1, sizeof(*c));
	struct pairs *count = calloc(1, sizeof(*count));
	struct ksyms_error *err = c && count ? load_symbols(l, &t) : &ks_enomem;

	if (!err) {
		fill_codes(&t, count, c);
		err = write_table(c, &t);
	}
	free(c);
	free(count);
	if (err) {
		ks_gen_tokens_free(&t);
		return err;
	}
	*ret = t;
	return NULL;
}

void ks_gen_tokens_free(struct ks_gen_tokens *t)
{
	free(t->code);
	free(t->off);
	free(t->len);
	ks_buf_free(&t->table);
	memset(t, 0, sizeof(*t));
}
