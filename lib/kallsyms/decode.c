// SPDX-License-Identifier: MIT
/*
 * Expanding kallsyms_names into the table (kallsyms_expand_symbol).
 *
 * Each entry is a length (1 byte, or ULEB128 since 6.1) followed by that
 * many token codes; the expansion's first character is the nm type letter.
 * Names are truncated at KSYM_NAME_LEN - 1 (511 since 6.1) like the
 * kernel's own expansion, which real tables never reach.
 */
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"
#include "decode.h"
#include "core/buf.h"
#include "core/overflow.h"

enum { MAX_NAME = 511 };
_Static_assert(KS_MAX_ENTRY <= 0xffff, "token lengths are 16-bit");

/* nm's letters, and '?' which nm prints for a symbol in a section it
 * cannot classify (ppc64 __nosave_begin) and scripts/kallsyms stores as is. */
static bool is_type_letter(uint8_t c)
{
	/* c | 0x20 folds upper case onto lower case (branch-free) */
	return (unsigned)((c | 0x20) - 'a') < 26 || c == '?';
}

enum { SLOT = 32 };

/* Token expansions copied into SLOT-byte slots, so that the common short
 * token is one fixed-size copy instead of a memcpy of variable length. */
struct token_slots {
	char slot[256][SLOT];
	uint16_t len[256];
	const uint8_t *str[256];
	/* codes whose expansion holds a control character, which no kernel
	 * name has and which must not reach a terminal through a listing */
	bool ctrl[256];
	bool any_ctrl;
	/* entries of at most this many codes go to expand_short() */
	size_t short_codes;
};

static bool has_control(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			return true;
	return false;
}

static void fill_slots(const struct ks_tokens *tok, struct token_slots *ts)
{
	unsigned max_len = 0;

	ts->any_ctrl = false;
	for (int c = 0; c < 256; c++) {
		memset(ts->slot[c], 0, sizeof(ts->slot[c]));
		memcpy(ts->slot[c], tok->str[c], tok->len[c] < SLOT ? tok->len[c] : SLOT);
		ts->len[c] = tok->len[c];
		ts->str[c] = tok->str[c];
		ts->ctrl[c] = has_control(tok->str[c], tok->len[c]);
		ts->any_ctrl |= ts->ctrl[c];
		if (tok->len[c] > max_len)
			max_len = tok->len[c];
	}
	ts->short_codes = max_len == 0 ? SIZE_MAX : max_len <= SLOT ? (MAX_NAME + 1) / max_len : 0;
}

/* The first code of @n at @codes that expands to a control character, or -1. */
static int control_code(const struct token_slots *ts, const uint8_t *codes, size_t n)
{
	for (size_t j = 0; ts->any_ctrl && j < n; j++)
		if (ts->ctrl[codes[j]])
			return codes[j];
	return -1;
}

/* Expand one entry's codes at @out; returns the length written, capped a
 * little past MAX_NAME + 1 (the caller truncates).  @out has room for
 * MAX_NAME + 1 + KS_MAX_ENTRY bytes and a little more (ENTRY_ROOM). */
static size_t expand(const struct token_slots *ts, const uint8_t *codes, size_t n, char *out)
{
	size_t o = 0;

	for (size_t j = 0; j < n && o <= MAX_NAME + 1; j++) {
		uint8_t c = codes[j];
		if (ts->len[c] <= SLOT)
			memcpy(out + o, ts->slot[c], SLOT);
		else
			memcpy(out + o, ts->str[c], ts->len[c]);
		o += ts->len[c];
	}
	return o;
}

/* expand() for an entry whose every code fits its slot and whose @n codes
 * cannot pass MAX_NAME + 1 characters: no check per code.  Slots of 32
 * bytes fit every token of the corpus (some are over 16); on 6.12 arm64
 * (1.75 M codes) the expansion is 37.0 -> 34.7 M instructions. */
static size_t expand_short(const struct token_slots *ts, const uint8_t *codes, size_t n, char *out)
{
	size_t o = 0;

	/* both loads before the store: a char store may alias them */
	for (const uint8_t *c = codes, *end = codes + n; c < end; c++) {
		unsigned code = *c, len = ts->len[code];
		memcpy(out + o, ts->slot[code], SLOT);
		o += len;
	}
	return o;
}

/* Room for one entry: expand() writes at most a token of KS_MAX_ENTRY
 * bytes (its pair's symbol) or a slot at o <= MAX_NAME + 1, expand_short()
 * less.  The value stays what it was with 16-byte slots: the --max-output
 * check below tests pool_len + ENTRY_ROOM, and a larger room would fail
 * inputs that passed before. */
enum { ENTRY_ROOM = MAX_NAME + 1 + KS_MAX_ENTRY + 16 };
_Static_assert(SLOT <= KS_MAX_ENTRY + 16, "a slot copy fits the room a long token has");

/*
 * The landmark symbols (table.h), listed into the table as their names are
 * written.  A separate pass over the names cost 0.5 ms on 6.12 arm64, most
 * of it branches mispredicted on the first letter (a third of the names
 * start with '_'); here one word of the name, in cache, rules out all but
 * about one name in fifty without a branch.  If the list cannot grow it is
 * dropped, and the searches read every name instead.
 */
struct landmarks {
	size_t cap;
	bool dropped;
	uint32_t kall, linu, st; /* the first four bytes of "kallsyms_", "linux_banner", "__start_"/"__stop_" */
};

static void landmarks_init(struct landmarks *lm, struct ksyms_table *t)
{
	memset(lm, 0, sizeof(*lm));
	memcpy(&lm->kall, "kall", 4);
	memcpy(&lm->linu, "linu", 4);
	memcpy(&lm->st, "__st", 4);
	ks_table_drop_landmarks(t);
	/* a list, even an empty one, says the names were all seen */
	lm->dropped = !ks_grow((void **)&t->landmarks, &lm->cap, 64, sizeof(*t->landmarks));
}

/* May the name at @n (@len >= KS_LANDMARK_MIN_LEN bytes) be a landmark? */
static bool landmark_candidate(const struct landmarks *lm, const char *n)
{
	uint32_t w;
	unsigned c1 = (unsigned char)n[1];

	memcpy(&w, n, 4);
	return (w == lm->kall) | (w == lm->linu) | (w == lm->st) |
	       ((n[0] == '_') & ((c1 == 's') | (c1 == 'e') | (c1 == 't')));
}

static void note_landmark(struct landmarks *lm, struct ksyms_table *t, uint32_t i)
{
	if (lm->dropped)
		return;
	if (!ks_grow((void **)&t->landmarks, &lm->cap, t->nlandmarks + 1, sizeof(*t->landmarks))) {
		ks_table_drop_landmarks(t);
		lm->dropped = true;
		return;
	}
	t->landmarks[t->nlandmarks++] = i;
}

struct ksyms_error *ks_decode_names(const struct ks_ctx *ctx, const struct ks_found *f, struct ksyms_table *t)
{
	struct landmarks lm;
	struct span d = ctx->data;
	const struct ks_names *nm = &f->names;
	const uint8_t *p = span_at(d, nm->off, nm->len);
	uint32_t n = nm->num_syms;
	/* names compress about 3:1; grow if a table compresses better */
	size_t guess = nm->len * 3 + (size_t)n * 2 + ENTRY_ROOM;

	if (guess > ctx->max_pool)
		guess = (size_t)ctx->max_pool;
	if (!p)
		return ks_error_at((int64_t)nm->off, "kallsyms_names runs past the end of the data");
	struct token_slots *ts = malloc(sizeof(*ts));
	if (!ts || !ks_table_reserve(t, n, guess)) {
		free(ts);
		return &ks_enomem;
	}
	fill_slots(&f->tok, ts);
	landmarks_init(&lm, t);
	size_t pos = 0;
	for (uint32_t i = 0; i < n; i++) {
		size_t len = p[pos++];
		if (nm->len_bytes == 2 && (len & 0x80))
			len = (len & 0x7f) | (size_t)p[pos++] << 7;
		if (t->pool_cap - t->pool_len < ENTRY_ROOM) {
			/* a few tokens of 512 characters can stand for every name:
			 * what the names expand to is capped like decompression */
			if (t->pool_len + ENTRY_ROOM > ctx->max_pool) {
				free(ts);
				return ks_error_limit_at((int64_t)nm->off,
							 "kallsyms_names at 0x%zx expands to more than %llu bytes of names, "
							 "the limit on data made from the input (see --max-output)",
							 nm->off, (unsigned long long)ctx->max_pool);
			}
			if (!ks_table_reserve(t, 0, t->pool_cap)) {
				free(ts);
				return &ks_enomem;
			}
		}
		/* the type letter stays in the pool right before the name */
		char *out = t->pool + t->pool_len;
		size_t o = len <= ts->short_codes ? expand_short(ts, p + pos, len, out) : expand(ts, p + pos, len, out);
		if (o == 0 || !is_type_letter((uint8_t)out[0])) {
			free(ts);
			return ks_error_at((int64_t)(nm->off + pos),
					   "symbol %u in kallsyms_names has no type letter (0x%02x)", i,
					   o ? (uint8_t)out[0] : 0);
		}
		int bad = control_code(ts, p + pos, len);
		if (bad >= 0) {
			free(ts);
			return ks_error_at((int64_t)(nm->off + pos),
					   "symbol %u in kallsyms_names at 0x%zx holds a control character (token 0x%02x): "
					   "no kernel name does", i, nm->off + pos, bad);
		}
		/* a longer name is corrupt data (no kernel stores one) or
		 * past the caller's limit: an error, not a truncation */
		if (o - 1 > ctx->max_name_len) {
			free(ts);
			return ks_error_limit_at((int64_t)(nm->off + pos),
					   "symbol %u in kallsyms_names at 0x%zx expands to %s%zu characters, more "
					   "than the limit of %u (see --max-name-len)",
					   i, nm->off + pos, o - 1 > MAX_NAME ? "over " : "", o - 1 > MAX_NAME ? MAX_NAME : o - 1,
					   ctx->max_name_len);
		}
		size_t name_len = o - 1;
		out[1 + name_len] = 0;
		if (name_len >= KS_LANDMARK_MIN_LEN && landmark_candidate(&lm, out + 1) && ks_is_landmark_name(out + 1))
			note_landmark(&lm, t, i);
		t->addr[i] = 0;
		t->type[i] = out[0];
		t->name[i] = (uint32_t)(t->pool_len + 1);
		t->module[i] = KS_NO_MODULE;
		t->pool_len += name_len + 2;
		pos += len;
	}
	t->count = n;
	free(ts);
	return NULL;
}
