// SPDX-License-Identifier: MIT
/*
 * Names kept as kallsyms token codes: a table decoded for its facts only
 * (ksyms_find_opts.info_only, what `ksyms info` prints).
 *
 * Expanding every name is most of decoding a table: 3.3 of about 11 ms of
 * `info` on 6.12 arm64 (151k names, 1.75M codes), 5.4 of 15.6 ms on 7.2
 * arm64, and the pool it fills is 2-4 huge pages to clear.  The facts need
 * the type letters, the landmark symbols (table.h) and, to check the
 * ksymtab, the names of a few thousand symbols, which these readers
 * compare with the codes as they stand.  A symbol's name column then
 * holds KS_NAME_PACKED and the offset of its entry in kallsyms_names,
 * which the table borrows from the image; the landmarks are expanded
 * into the pool as usual.  ks_table_unpack() expands the rest, for the
 * rare reader that needs every name at once.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "core/buf.h"
#include "core/compiler.h"

bool ks_table_pack(struct ksyms_table *t, const uint8_t *names, size_t len, unsigned len_bytes,
		   const uint8_t *const tok[256], const uint16_t tok_len[256])
{
	struct ks_packed *p = NULL;

	for (int c = 0; c < 256; c++)
		if (tok_len[c] > KS_PACKED_MAX_TOKEN)
			return false;
	p = malloc(sizeof(*p));
	if (!p)
		return false;
	p->names = names;
	p->len = len;
	p->len_bytes = len_bytes;
	memcpy(p->tok, tok, sizeof(p->tok));
	memcpy(p->tok_len, tok_len, sizeof(p->tok_len));
	memset(p->slot, 0, sizeof(p->slot));
	for (int c = 0; c < 256; c++)
		memcpy(p->slot[c], tok[c], tok_len[c] < sizeof(p->slot[c]) ? tok_len[c] : sizeof(p->slot[c]));
	free(t->packed);
	t->packed = p;
	return true;
}

/* The codes of symbol @i's entry; false if they run outside the names
 * (they cannot: the decoder walked them, but the reader stays bounded). */
static bool entry_codes(const struct ks_packed *p, uint32_t off, const uint8_t **ret, size_t *ret_n)
{
	size_t pos = off, n;

	if (pos >= p->len)
		return false;
	n = p->names[pos++];
	if (p->len_bytes == 2 && (n & 0x80)) {
		if (pos >= p->len)
			return false;
		n = (n & 0x7f) | (size_t)p->names[pos++] << 7;
	}
	if (n > p->len - pos)
		return false;
	*ret = p->names + pos;
	*ret_n = n;
	return true;
}

/*
 * Expand the @n codes at @c (type letter first) into @buf, one slot copy a
 * token, stopping once past @stop characters; the length written (more
 * than @stop: longer than that).  @buf has room for @stop + 1 characters,
 * a token and a slot (EXPAND_ROOM).  The ksymtab check compares about 14k
 * names this way: a byte loop per token mispredicted its end for each one
 * (8.6% of 7.2 arm64 `info`).
 */
enum { SLOT = sizeof(((struct ks_packed *)0)->slot[0]), EXPAND_ROOM = KS_NAME_BUF + 1 + KS_PACKED_MAX_TOKEN + SLOT };

static size_t expand_packed(const struct ks_packed *p, const uint8_t *c, size_t n, char *buf, size_t stop)
{
	size_t o = 0;

	for (size_t j = 0; j < n && o <= stop; j++) {
		unsigned code = c[j], l = p->tok_len[code];
		if (l <= SLOT)
			memcpy(buf + o, p->slot[code], SLOT);
		else if (l <= KS_PACKED_MAX_TOKEN)
			memcpy(buf + o, p->tok[code], l);
		else
			return SIZE_MAX; /* ks_table_pack() refuses such tokens */
		o += l;
	}
	return o;
}

bool ks_table_name_eq(const struct ksyms_table *t, size_t i, const char *s, size_t len)
{
	if (!ks_name_packed(t, i)) {
		const char *n = t->pool + t->name[i];
		return strncmp(n, s, len) == 0 && n[len] == 0;
	}
	const uint8_t *c;
	size_t n;
	char buf[EXPAND_ROOM];

	if (len >= KS_NAME_BUF || !entry_codes(t->packed, t->name[i] & ~KS_NAME_PACKED, &c, &n))
		return false;
	size_t o = expand_packed(t->packed, c, n, buf, len + 1);
	return o == len + 1 && memcmp(buf + 1, s, len) == 0;
}

/* Packed symbol @i's name (its type letter dropped) into @buf of
 * EXPAND_ROOM bytes, cut at KS_NAME_BUF - 1 characters (the decoder
 * checked that every name fits) and NUL-terminated; its length. */
static size_t expand_name(const struct ksyms_table *t, size_t i, char *buf)
{
	const uint8_t *c;
	size_t n, o;

	if (!entry_codes(t->packed, t->name[i] & ~KS_NAME_PACKED, &c, &n))
		o = 0;
	else if ((o = expand_packed(t->packed, c, n, buf, KS_NAME_BUF)) == SIZE_MAX)
		o = 0;
	size_t len = o ? KS_MIN(o - 1, (size_t)KS_NAME_BUF - 1) : 0;
	memmove(buf, buf + 1, len);
	buf[len] = 0;
	return len;
}

size_t ks_table_name_copy(const struct ksyms_table *t, size_t i, char buf[KS_NAME_BUF])
{
	char tmp[EXPAND_ROOM];
	size_t n;

	if (ks_name_packed(t, i)) {
		n = expand_name(t, i, tmp);
		memcpy(buf, tmp, n + 1);
		return n;
	}
	n = strlen(t->pool + t->name[i]);
	if (n > KS_NAME_BUF - 1)
		n = KS_NAME_BUF - 1;
	memcpy(buf, t->pool + t->name[i], n);
	buf[n] = 0;
	return n;
}

const char *ks_table_name_or_copy(const struct ksyms_table *t, size_t i, char buf[KS_NAME_BUF])
{
	if (!ks_name_packed(t, i))
		return t->pool + t->name[i];
	ks_table_name_copy(t, i, buf);
	return buf;
}

char ks_table_name_first(const struct ksyms_table *t, size_t i)
{
	char tmp[EXPAND_ROOM];

	if (!ks_name_packed(t, i))
		return t->pool[t->name[i]];
	expand_name(t, i, tmp);
	return tmp[0];
}

/* Expand every packed name into a new pool (each as the decoder writes
 * it: the type letter, the name, a NUL), keeping the expanded ones. */
bool ks_table_unpack(struct ksyms_table *t)
{
	struct ks_buf pool = { 0 };
	char buf[KS_NAME_BUF];

	if (!t->packed)
		return true;
	for (size_t i = 0; i < t->count; i++) {
		size_t n = ks_table_name_copy(t, i, buf);
		if (pool.len + n + 2 > UINT32_MAX || !ks_buf_append(&pool, &t->type[i], 1) ||
		    !ks_buf_append(&pool, buf, n + 1)) {
			ks_buf_free(&pool);
			return false;
		}
	}
	/* the name column changes only once every name is copied */
	for (size_t i = 0, at = 0; i < t->count; i++) {
		t->name[i] = (uint32_t)(at + 1);
		at += strlen((const char *)pool.p + at + 1) + 2;
	}
	free(t->pool);
	t->pool = (char *)pool.p;
	t->pool_len = pool.len;
	t->pool_cap = pool.cap;
	free(t->packed);
	t->packed = NULL;
	return true;
}
