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

/* Four characters as token_head() packs them, the first in the low byte. */
#define CHARS4(a, b, c, d) ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24)

/* May a name whose expansion begins with @h (byte 0: the type letter, then
 * at least four characters) be a landmark?  Every landmark begins with
 * "kall", "linu", "__st" or one of "_s", "_e", "_t" (ks_landmark_starts);
 * no branch on the outcome. */
static inline bool head_candidate(uint64_t h)
{
	uint64_t w = (h >> 8) & 0xffffffffu;
	unsigned c0 = (unsigned)(h >> 8) & 0xff, c1 = (unsigned)(h >> 16) & 0xff;
	unsigned word = (unsigned)(w == CHARS4('k', 'a', 'l', 'l')) | (unsigned)(w == CHARS4('l', 'i', 'n', 'u')) |
			(unsigned)(w == CHARS4('_', '_', 's', 't'));
	unsigned under = (unsigned)(c0 == '_') & ((unsigned)(c1 == 's') | (unsigned)(c1 == 'e') | (unsigned)(c1 == 't'));

	return word | under;
}

/*
 * The landmark symbols (table.h), listed into the table as their names are
 * written.  A separate pass over the names cost 0.5 ms on 6.12 arm64, most
 * of it branches mispredicted on the first letter (a third of the names
 * start with '_'); here one word of the name, in cache, rules out all but
 * about one name in fifty without a branch (head_candidate()).  If the
 * list cannot grow it is dropped, and the searches read every name instead.
 */
struct landmarks {
	size_t cap;
	bool dropped;
};

static void landmarks_init(struct landmarks *lm, struct ksyms_table *t)
{
	memset(lm, 0, sizeof(*lm));
	ks_table_drop_landmarks(t);
	/* a list, even an empty one, says the names were all seen */
	lm->dropped = !ks_grow((void **)&t->landmarks, &lm->cap, 64, sizeof(*t->landmarks));
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

/* The checks every entry passes, whether its name is written or kept
 * packed: a type letter first, no control character, not over the
 * caller's length limit (@o: the expansion's length, type letter
 * included, or anything above MAX_NAME + 1 when longer). */
static inline bool entry_ok(const struct ks_ctx *ctx, const struct token_slots *ts, size_t o, uint8_t first)
{
	return o != 0 && is_type_letter(first) && !ts->any_ctrl && o - 1 <= ctx->max_name_len;
}

/* What is wrong with an entry that is not entry_ok(). */
static struct ksyms_error *check_entry(const struct ks_ctx *ctx, const struct token_slots *ts, const uint8_t *codes,
				       size_t len, uint32_t i, size_t at, size_t o, uint8_t first)
{
	if (o == 0 || !is_type_letter(first))
		return ks_error_at((int64_t)at, "symbol %u in kallsyms_names has no type letter (0x%02x)", i,
				   o ? first : 0);
	int bad = control_code(ts, codes, len);
	if (bad >= 0)
		return ks_error_at((int64_t)at,
				   "symbol %u in kallsyms_names at 0x%zx holds a control character (token 0x%02x): "
				   "no kernel name does", i, at, bad);
	/* a longer name is corrupt data (no kernel stores one) or past the
	 * caller's limit: an error, not a truncation */
	if (o - 1 > ctx->max_name_len)
		return ks_error_limit_at((int64_t)at,
					 "symbol %u in kallsyms_names at 0x%zx expands to %s%zu characters, more "
					 "than the limit of %u (see --max-name-len)",
					 i, at, o - 1 > MAX_NAME ? "over " : "", o - 1 > MAX_NAME ? MAX_NAME : o - 1,
					 ctx->max_name_len);
	return NULL;
}

/* An entry's length header at @p[*pos], advancing *pos past it. */
static size_t entry_len(const uint8_t *p, size_t *pos, unsigned len_bytes)
{
	size_t len = p[(*pos)++];

	if (len_bytes == 2 && (len & 0x80))
		len = (len & 0x7f) | (size_t)p[(*pos)++] << 7;
	return len;
}

/* The head of an expansion written at @out with at least four characters
 * after its type letter, as head_candidate() reads it. */
static inline uint64_t written_head(const char *out)
{
	return (uint8_t)out[0] | (uint64_t)load32((const uint8_t *)out + 1, false) << 8;
}

/* Write name @i (@o characters with its type letter, at @out in the pool)
 * into the table, listing it if it is a landmark. */
static void commit_name(struct ksyms_table *t, struct landmarks *lm, uint32_t i, const char *out, size_t o)
{
	size_t name_len = o - 1;

	if (name_len >= KS_LANDMARK_MIN_LEN && head_candidate(written_head(out)) && ks_is_landmark_name(out + 1))
		note_landmark(lm, t, i);
	t->addr[i] = 0;
	t->type[i] = out[0];
	t->name[i] = (uint32_t)(t->pool_len + 1);
	t->module[i] = KS_NO_MODULE;
	t->pool_len += name_len + 2;
}

static struct ksyms_error *decode_all(const struct ks_ctx *ctx, const struct ks_found *f, const struct token_slots *ts,
				      struct ksyms_table *t)
{
	struct landmarks lm;
	const struct ks_names *nm = &f->names;
	const uint8_t *p = ctx->data.p + nm->off;
	uint32_t n = nm->num_syms;

	landmarks_init(&lm, t);
	size_t pos = 0;
	for (uint32_t i = 0; i < n; i++) {
		size_t len = entry_len(p, &pos, nm->len_bytes);
		if (t->pool_cap - t->pool_len < ENTRY_ROOM) {
			/* a few tokens of 512 characters can stand for every name:
			 * what the names expand to is capped like decompression */
			if (t->pool_len + ENTRY_ROOM > ctx->max_pool)
				return ks_error_limit_at((int64_t)nm->off,
							 "kallsyms_names at 0x%zx expands to more than %llu bytes of names, "
							 "the limit on data made from the input (see --max-output)",
							 nm->off, (unsigned long long)ctx->max_pool);
			if (!ks_table_reserve(t, 0, t->pool_cap))
				return &ks_enomem;
		}
		/* the type letter stays in the pool right before the name */
		char *out = t->pool + t->pool_len;
		size_t o = len <= ts->short_codes ? expand_short(ts, p + pos, len, out) : expand(ts, p + pos, len, out);
		struct ksyms_error *err = entry_ok(ctx, ts, o, (uint8_t)out[0]) ? NULL :
					  check_entry(ctx, ts, p + pos, len, i, nm->off + pos, o, (uint8_t)out[0]);
		if (err)
			return err;
		out[o] = 0;
		commit_name(t, &lm, i, out, o);
		pos += len;
	}
	t->count = n;
	return NULL;
}

/*
 * For a table decoded for its facts only (table/packed.c): every entry is
 * checked as decode_all() checks it, but only the landmarks are written.
 * head_candidate() reads a name's first four characters: the first
 * token decides it for most names (a code's class), and otherwise the
 * next tokens' first bytes are shifted in, in a register (building them
 * in memory stalled on store forwarding: a quarter of the pass).  Used
 * only where no name could pass the pool's limit, which decode_all()
 * tests as it writes: @maxtok bounds every expansion.
 */
enum { NOT_LANDMARK, MAYBE_LANDMARK, CANDIDATE };

struct packed_pass {
	uint8_t class[256];
	/* for a MAYBE_LANDMARK code, the first bytes of a next token that
	 * keep its name a possible landmark (a bitmap): half the names of a
	 * kernel begin with a token of at most four characters */
	uint8_t next_ok[256][32];
	uint64_t head[256]; /* each token's first 8 bytes, the first in the low byte */
	size_t maxtok;
};

static uint64_t token_head(const uint8_t *s, size_t n)
{
	uint64_t h = 0;

	for (size_t k = 0; k < n && k < 8; k++)
		h |= (uint64_t)s[k] << (8 * k);
	return h;
}

/* Could a name whose expansion starts with @s (@n bytes, type letter
 * first) be a landmark?  Only a prefix of it is compared. */
static bool prefix_compatible(const uint8_t *s, size_t n)
{
	if (n <= 1)
		return true;
	for (size_t k = 0; k < KS_LANDMARK_STARTS; k++) {
		const char *m = ks_landmark_starts[k].s;
		size_t l = strlen(m);
		if (memcmp(s + 1, m, n - 1 < l ? n - 1 : l) == 0)
			return true;
	}
	return false;
}

/* The bytes that may follow the @n bytes at @s (type letter first, n < 5)
 * in a landmark's name. */
static void next_bytes(const uint8_t *s, size_t n, uint8_t ok[32])
{
	memset(ok, 0, 32);
	for (size_t k = 0; k < KS_LANDMARK_STARTS; k++) {
		const char *m = ks_landmark_starts[k].s;
		if (memcmp(s + 1, m, n - 1) == 0) {
			uint8_t b = (uint8_t)m[n - 1];
			ok[b / 8] |= (uint8_t)(1u << (b % 8));
		}
	}
}

static uint8_t code_class(const uint8_t *s, size_t n)
{
	if (n >= 5)
		return head_candidate(token_head(s, n)) ? CANDIDATE : NOT_LANDMARK;
	return prefix_compatible(s, n) ? MAYBE_LANDMARK : NOT_LANDMARK;
}

/* May the name of @n codes at @codes, whose first code is of class
 * MAYBE_LANDMARK, be a landmark?  Its first five bytes decide. */
static bool maybe_candidate(const struct token_slots *ts, const struct packed_pass *pp, const uint8_t *codes, size_t n)
{
	uint64_t h = pp->head[codes[0]];
	size_t have = ts->len[codes[0]];

	for (size_t j = 1; j < n && have < 5; j++) {
		h |= pp->head[codes[j]] << (8 * have);
		have += ts->len[codes[j]];
	}
	return have >= 5 && head_candidate(h); /* shorter: no landmark is */
}

static bool packed_pass_init(const struct ks_ctx *ctx, const struct ks_found *f, const struct token_slots *ts,
			     struct packed_pass *pp)
{
	const struct ks_names *nm = &f->names;
	size_t bound;

	pp->maxtok = 0;
	for (int c = 0; c < 256; c++) {
		if (ts->len[c] == 0 || ts->len[c] > KS_PACKED_MAX_TOKEN)
			return false; /* a name could expand to nothing: decode_all() says so */
		if (ts->len[c] > pp->maxtok)
			pp->maxtok = ts->len[c];
		pp->class[c] = code_class(ts->str[c], ts->len[c]);
		if (pp->class[c] == MAYBE_LANDMARK)
			next_bytes(ts->str[c], ts->len[c], pp->next_ok[c]);
		pp->head[c] = token_head(ts->str[c], ts->len[c]);
	}
	/* the pool decode_all() would fill: each name and a NUL */
	if (nm->len >= KS_NAME_PACKED || ckd_mul_size(&bound, nm->len, pp->maxtok) ||
	    ckd_add_size(&bound, bound, (size_t)nm->num_syms + ENTRY_ROOM) || bound > ctx->max_pool)
		return false;
	return true;
}

/* The expansion's length of @n codes (no early exit: the loop unrolls). */
static size_t expanded_len(const struct token_slots *ts, const uint8_t *codes, size_t n)
{
	size_t o = 0;

	for (size_t j = 0; j < n; j++)
		o += ts->len[codes[j]];
	return o;
}

static struct ksyms_error *decode_packed(const struct ks_ctx *ctx, const struct ks_found *f,
					 const struct token_slots *ts, const struct packed_pass *pp,
					 struct ksyms_table *t)
{
	struct landmarks lm;
	const struct ks_names *nm = &f->names;
	const uint8_t *p = ctx->data.p + nm->off;
	uint32_t n = nm->num_syms;
	/* names of up to this many codes fit the caller's limit */
	size_t sure = (ctx->max_name_len + 1) / pp->maxtok;

	if (!ks_table_pack(t, p, nm->len, nm->len_bytes, f->tok.str, f->tok.len))
		return &ks_enomem;
	landmarks_init(&lm, t);
	size_t pos = 0;
	for (uint32_t i = 0; i < n; i++) {
		size_t hdr = pos, len = entry_len(p, &pos, nm->len_bytes);
		const uint8_t *codes = p + pos;
		size_t o = len <= sure ? 1 : expanded_len(ts, codes, len);
		uint8_t first = (uint8_t)ts->slot[codes[0]][0];
		struct ksyms_error *err = entry_ok(ctx, ts, o, first) ? NULL :
					  check_entry(ctx, ts, codes, len, i, nm->off + pos, o, first);
		if (err)
			return err;
		pos += len;
		t->addr[i] = 0;
		t->type[i] = (char)first;
		t->name[i] = KS_NAME_PACKED | (uint32_t)hdr;
		t->module[i] = KS_NO_MODULE;
		uint8_t class = pp->class[codes[0]];
		if (class == MAYBE_LANDMARK) {
			/* one code: at most three characters, and no landmark is */
			uint8_t b = len > 1 ? (uint8_t)ts->slot[codes[1]][0] : 0;
			if (len < 2 || !(pp->next_ok[codes[0]][b / 8] >> (b % 8) & 1) ||
			    !maybe_candidate(ts, pp, codes, len))
				continue;
		} else if (class == NOT_LANDMARK) {
			continue;
		}
		if (t->pool_cap - t->pool_len < ENTRY_ROOM && !ks_table_reserve(t, 0, t->pool_cap))
			return &ks_enomem;
		char *out = t->pool + t->pool_len;
		o = len <= ts->short_codes ? expand_short(ts, codes, len, out) : expand(ts, codes, len, out);
		out[o] = 0;
		if (ks_is_landmark_name(out + 1))
			commit_name(t, &lm, i, out, o);
	}
	t->count = n;
	/* without the list, a search for a landmark would read every name */
	return lm.dropped ? &ks_enomem : NULL;
}

struct ksyms_error *ks_decode_names(const struct ks_ctx *ctx, const struct ks_found *f, struct ksyms_table *t)
{
	const struct ks_names *nm = &f->names;
	/* names compress about 3:1; grow if a table compresses better */
	size_t guess = nm->len * 3 + (size_t)nm->num_syms * 2 + ENTRY_ROOM;
	struct packed_pass pp;

	if (guess > ctx->max_pool)
		guess = (size_t)ctx->max_pool;
	if (!span_at(ctx->data, nm->off, nm->len))
		return ks_error_at((int64_t)nm->off, "kallsyms_names runs past the end of the data");
	struct token_slots *ts = malloc(sizeof(*ts));
	if (!ts)
		return &ks_enomem;
	fill_slots(&f->tok, ts);
	bool packed = ctx->opts && ctx->opts->info_only && packed_pass_init(ctx, f, ts, &pp);
	struct ksyms_error *err = &ks_enomem;
	if (ks_table_reserve(t, nm->num_syms, packed ? 2 * ENTRY_ROOM : guess))
		err = packed ? decode_packed(ctx, f, ts, &pp, t) : decode_all(ctx, f, ts, t);
	free(ts);
	return err;
}
