// SPDX-License-Identifier: MIT
/*
 * Finding kallsyms_token_index and kallsyms_token_table: the anchor of every
 * layout since 2.6.10 (table-lookup compression).
 *
 * token_index is 256 u16 in the target's byte order: index[0] == 0 and each
 * step is strlen(token)+1 >= 1, so the values strictly increase.  That
 * pattern is rare in other data and also tells the byte order.
 * token_table ends right before token_index (0..7 bytes of alignment) and
 * holds 256 NUL-terminated strings at exactly those offsets.  A code that is
 * a real byte of some name keeps that byte as its one-character token
 * (scripts/kallsyms.c, every version), so every one-character token must
 * equal its own code: a strong check that costs nothing.
 */
#include <string.h>

#include "kallsyms.h"

enum { MAX_TOKEN_LEN = KS_MAX_ENTRY, MAX_ODD_BYTES = 8 };

/* Read and check the 256 entries at @o; *ret_read says how many were read
 * (the work done, most candidates failing within a few). */
static bool read_index(struct span d, size_t o, bool be, uint16_t idx[256], unsigned *ret_read)
{
	const uint8_t *p = span_at(d, o, KS_TOKEN_INDEX_SIZE);

	*ret_read = 1;
	if (!p)
		return false;
	idx[0] = load16(p, be);
	if (idx[0] != 0)
		return false;
	for (int i = 1; i < 256; i++) {
		idx[i] = load16(p + 2 * i, be);
		*ret_read = (unsigned)i + 1;
		if (idx[i] <= idx[i - 1] || idx[i] - idx[i - 1] > MAX_TOKEN_LEN + 1)
			return false;
	}
	return true;
}

/* Check the 256 strings of a token table starting at @start, total @len
 * bytes, against @idx; fill the token pointers of @t. */
static bool check_strings(struct span d, size_t start, size_t len, const uint16_t idx[256], struct ks_tokens *t)
{
	const uint8_t *p = span_at(d, start, len);
	unsigned odd = 0, singles = 0;

	if (!p)
		return false;
	for (int i = 0; i < 256; i++) {
		size_t a = idx[i];
		size_t b = (i < 255 ? idx[i + 1] : len) - 1; /* the NUL */

		if (b >= len || p[b] != 0)
			return false;
		for (size_t j = a; j < b; j++) {
			if (p[j] == 0)
				return false;
			if (p[j] < 0x21 || p[j] > 0x7e)
				odd++;
		}
		if (b - a == 1) {
			if (p[a] != i)
				return false;
			singles++;
		}
		t->str[i] = p + a;
		t->len[i] = (uint16_t)(b - a);
	}
	return singles > 0 && odd <= MAX_ODD_BYTES;
}

/* token_table ends 0..7 bytes before the index at @o (before 5.0, up to
 * 255: see KS_MAX_OLD_PAD). */
static bool find_table(struct span d, size_t o, const uint16_t idx[256], struct ks_tokens *t)
{
	for (size_t pad = 0; pad <= KS_MAX_OLD_PAD && pad < o; pad++) {
		size_t end = o - pad; /* one past the last NUL */

		if (pad && d.p[end] != 0)
			break; /* padding is zero filler */
		if (end < 1 || d.p[end - 1] != 0)
			continue;
		/* the last token runs back from its NUL to the previous NUL */
		size_t s = end - 1;
		while (s > 0 && d.p[s - 1] != 0 && end - 1 - s < MAX_TOKEN_LEN)
			s--;
		size_t total = idx[255] + (end - 1 - s) + 1;
		if (total > end)
			continue;
		size_t start = end - total;
		if (!ks_gap_ok(pad, o - start))
			continue;
		if (check_strings(d, start, total, idx, t)) {
			t->table_off = start;
			t->table_len = total;
			return true;
		}
	}
	return false;
}

/* Cheap pre-filter: index[0] == 0 and index[1], the first token's length
 * plus one, is 1 .. MAX_TOKEN_LEN + 1 in a byte order.  Real first tokens
 * are short, but a table of long names can start with a long one (a
 * generated table whose first token was 300 characters was missed when
 * this asked for less than 256).  Returns a bit mask: 1 = little, 2 = big. */
static unsigned maybe_index(const uint8_t *p)
{
	unsigned le = p[2] | (unsigned)p[3] << 8, be = (unsigned)p[2] << 8 | p[3], m = 0;

	if (p[0] | p[1])
		return 0;
	if (le >= 1 && le <= MAX_TOKEN_LEN + 1)
		m |= 1;
	if (be >= 1 && be <= MAX_TOKEN_LEN + 1)
		m |= 2;
	return m;
}

/* Validate a candidate token_index at @o for the byte orders in @m. */
static bool try_index(const struct ks_ctx *ctx, size_t o, unsigned m, struct ks_tokens *ret)
{
	enum ksyms_byte_order want = ctx->opts ? ctx->opts->byte_order : KSYMS_ENDIAN_AUTO;

	for (int k = 0; k < 2; k++) {
		bool be = k == 1;
		if (!(m & (1u << k)))
			continue;
		if ((want == KSYMS_ENDIAN_LITTLE && be) || (want == KSYMS_ENDIAN_BIG && !be))
			continue;
		unsigned read;
		bool ok = read_index(ctx->data, o, be, ret->index, &read);
		if (!ks_work(ctx, read) || !ok)
			continue;
		if (!ks_work(ctx, ret->index[255]) || !find_table(ctx->data, o, ret->index, ret)) {
			ks_debug(&ctx->log, "token_index candidate at 0x%zx (%s-endian): no token_table before it", o,
				 be ? "big" : "little");
			continue;
		}
		ret->be = be;
		ret->index_off = o;
		ks_debug(&ctx->log, "token_table at 0x%zx (%zu bytes), token_index at 0x%zx, %s-endian", ret->table_off,
			 ret->table_len, o, be ? "big" : "little");
		return true;
	}
	return false;
}

bool ks_tokens_next(const struct ks_ctx *ctx, size_t *pos, struct ks_tokens *ret)
{
	struct span d = ctx->data;
	const uint8_t *p = span_at(d, 0, d.len);

	if (d.len < KS_TOKEN_INDEX_SIZE) {
		*pos = d.len;
		return false;
	}
	size_t last = d.len - KS_TOKEN_INDEX_SIZE;
	size_t o = *pos + (*pos & 1);
	while (o <= last) {
		/* Skip eight bytes at a time while none of their four u16 lanes
		 * is zero: index[0] == 0 is where every candidate starts. */
		if (o + 8 <= last) {
			uint64_t v = load_le64(p + o);
			uint64_t lanes = (v | (v >> 8)) & 0x00ff00ff00ff00ffull;
			if ((lanes & 0x00000000000000ffull) && (lanes & 0x0000000000ff0000ull) &&
			    (lanes & 0x000000ff00000000ull) && (lanes & 0x00ff000000000000ull)) {
				o += 8;
				continue;
			}
			if (v == 0) {
				o += 6; /* a zero run: only its last lane can start an index */
				continue;
			}
		}
		unsigned m = maybe_index(p + o);
		if (m && !ks_work(ctx, 0))
			break; /* the budget is spent: stop scanning */
		if (m && try_index(ctx, o, m, ret)) {
			*pos = o + 2;
			return true;
		}
		o += 2;
	}
	*pos = d.len;
	return false;
}

/*
 * The fast path: every real kernel has digits in its symbol names, so the
 * token table holds "0", "1", ... "9" as the one-character tokens of codes
 * 0x30..0x39, back to back.  memmem finds that run at memory speed; the
 * remaining 208 strings lead to the end of the table and the index right
 * after it.  Anything unusual (no digits at all) falls back to the full
 * scan of ks_tokens_next().
 */
bool ks_tokens_by_digits(const struct ks_ctx *ctx, size_t *from, size_t end, struct ks_tokens *ret)
{
	static const char digits[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9";
	struct span d = ctx->data, runs = d;
	size_t hit;

	/* runs that start before @end */
	if (end < d.len - KS_MIN(d.len, sizeof(digits) - 1))
		runs.len = end + sizeof(digits) - 1;
	while ((hit = span_find(runs, *from, digits, sizeof(digits))) != SIZE_MAX && ks_work(ctx, 256)) {
		*from = hit + 1;
		size_t pos = hit;
		bool ok = true;
		for (int code = '0'; code <= 0xff && ok; code++) {
			size_t len = span_strnlen(d, pos, MAX_TOKEN_LEN + 1);
			ok = len != SIZE_MAX && len <= MAX_TOKEN_LEN;
			pos += len + 1;
		}
		for (size_t pad = 0; ok && pad <= KS_MAX_OLD_PAD; pad++) {
			if (pad && !span_is_zero(d, pos + pad - 1, 1))
				break;
			unsigned m = 0;
			const uint8_t *p = span_at(d, pos + pad, KS_TOKEN_INDEX_SIZE);
			if (p)
				m = maybe_index(p);
			if (m && try_index(ctx, pos + pad, m, ret) && ret->table_off + ret->index['0'] == hit &&
			    ks_gap_ok(pad, pos + pad - ret->table_off))
				return true;
		}
	}
	return false;
}
