// SPDX-License-Identifier: MIT
/*
 * Writing the tables as scripts/kallsyms' assembler output would be laid
 * out (kallsyms-format.md sections 1 and 3): one .rodata run, every label
 * aligned (.balign 8 on 64-bit before 7.0, else 4) with zero filler, in the
 * order of the layout's era:
 *
 *   <= 6.3   addresses | offsets, relative_base;  num_syms, names, markers,
 *            [seqs_of_names (6.2, 6.3)], token_table, token_index
 *   6.4+     num_syms, names, markers, token_table, token_index,
 *            addresses | offsets, [relative_base], seqs_of_names
 *            (404bad70fcf7)
 *
 * The address values follow the mode and are refused, as the build
 * refuses them, when they do not fit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "core/endian.h"
#include "core/error.h"
#include "core/overflow.h"

struct emit {
	struct ks_buf *out;
	const struct ks_gen_target *t;
	const struct ks_gen_list *l;
	const struct ks_gen_tokens *tok;
	struct ksyms_table_loc *tables;
	uint64_t *markers; /* offsets in names of symbols 256k */
	size_t nmarkers;
};

typedef struct ksyms_error *emit_fn(struct emit *e);

/* output_label(): align, then the table starts here. */
static struct ksyms_error *label(struct emit *e, enum ksyms_table_id id)
{
	if (!ks_buf_align(e->out, e->t->layout.align))
		return &ks_enomem;
	struct ksyms_table_loc *loc = &e->tables[id];
	loc->present = true;
	loc->offset = e->out->len;
	loc->address = e->t->base + e->out->len;
	return NULL;
}

static void end_label(struct emit *e, enum ksyms_table_id id)
{
	e->tables[id].size = e->out->len - e->tables[id].offset;
}

/* Append an integer of @size bytes in the target's byte order. */
static struct ksyms_error *put(struct emit *e, uint64_t v, unsigned size)
{
	uint8_t b[8];

	if (size == 2)
		store16(b, (uint16_t)v, e->t->be);
	else
		store_word(b, v, size, e->t->be);
	return ks_buf_append(e->out, b, size) ? NULL : &ks_enomem;
}

static struct ksyms_error *emit_num_syms(struct emit *e)
{
	struct ksyms_error *err = label(e, KSYMS_TAB_NUM_SYMS);

	if (!err)
		err = put(e, e->l->n, e->t->layout.num_syms_size);
	end_label(e, KSYMS_TAB_NUM_SYMS);
	return err;
}

/* The length prefix: one byte, or ULEB128 in one or two bytes since 6.1
 * (73bbb94466fd). */
static struct ksyms_error *put_len(struct emit *e, size_t i, uint32_t len)
{
	uint8_t b[2] = { (uint8_t)len, 0 };
	size_t n = 1;

	if (e->t->layout.name_len_bytes == 2) {
		if (len > 0x3fff)
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
					"symbol '%s' compresses to %u bytes, more than 0x3fff", e->l->v[i].name, len);
		if (len > 0x7f) {
			b[0] = (uint8_t)(0x80 | (len & 0x7f));
			b[1] = (uint8_t)(len >> 7);
			n = 2;
		}
	} else if (len > 0xff) {
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
				"symbol '%s' compresses to %u bytes, more than 255", e->l->v[i].name, len);
	}
	return ks_buf_append(e->out, b, n) ? NULL : &ks_enomem;
}

static struct ksyms_error *emit_names(struct emit *e)
{
	struct ksyms_error *err = label(e, KSYMS_TAB_NAMES);
	size_t start = e->out->len;

	e->nmarkers = (e->l->n + 255) / 256;
	e->markers = calloc(e->nmarkers ? e->nmarkers : 1, sizeof(*e->markers));
	if (!e->markers)
		return &ks_enomem;
	for (size_t i = 0; i < e->l->n && !err; i++) {
		uint32_t len = e->tok->len[i];
		if ((i & 0xff) == 0)
			e->markers[i >> 8] = e->out->len - start;
		err = put_len(e, i, len);
		if (!err && !ks_buf_append(e->out, e->tok->code + e->tok->off[i], len))
			err = &ks_enomem;
	}
	end_label(e, KSYMS_TAB_NAMES);
	return err;
}

static struct ksyms_error *emit_markers(struct emit *e)
{
	struct ksyms_error *err = label(e, KSYMS_TAB_MARKERS);
	unsigned size = e->t->layout.marker_size;

	for (size_t k = 0; k < e->nmarkers && !err; k++) {
		if (size == 4 && e->markers[k] > UINT32_MAX)
			return ks_error(KSYMS_ERR_TOO_LARGE, "kallsyms_names is too large for 32-bit markers");
		err = put(e, e->markers[k], size);
	}
	end_label(e, KSYMS_TAB_MARKERS);
	return err;
}

static struct ksyms_error *emit_seqs(struct emit *e)
{
	struct ksyms_error *err = label(e, KSYMS_TAB_SEQS_OF_NAMES);
	uint32_t *seq = NULL;

	if (!err)
		err = ks_gen_name_order(e->l, &seq);
	for (size_t i = 0; i < e->l->n && !err; i++) {
		if (e->t->layout.seqs_entry_size == 4) {
			/* the .long entries of the 6.2 merge window (010a0aad) */
			err = put(e, seq[i], 4);
			continue;
		}
		/* 3 bytes, big-endian whatever the target (19bd8981dc2e) */
		uint8_t b[3] = { (uint8_t)(seq[i] >> 16), (uint8_t)(seq[i] >> 8), (uint8_t)seq[i] };
		if (!ks_buf_append(e->out, b, 3))
			err = &ks_enomem;
	}
	free(seq);
	end_label(e, KSYMS_TAB_SEQS_OF_NAMES);
	return err;
}

static struct ksyms_error *emit_token_table(struct emit *e)
{
	struct ksyms_error *err = label(e, KSYMS_TAB_TOKEN_TABLE);

	if (!err && !ks_buf_append(e->out, e->tok->table.p, e->tok->table.len))
		err = &ks_enomem;
	end_label(e, KSYMS_TAB_TOKEN_TABLE);
	return err;
}

static struct ksyms_error *emit_token_index(struct emit *e)
{
	struct ksyms_error *err = label(e, KSYMS_TAB_TOKEN_INDEX);

	for (int i = 0; i < 256 && !err; i++)
		err = put(e, e->tok->index[i], 2);
	end_label(e, KSYMS_TAB_TOKEN_INDEX);
	return err;
}

/* ------------------------------------------------------------------------ */
/* Addresses */

/* record_relative_base(): the lowest address that is not absolute per-cpu. */
static bool relative_base(const struct ks_gen_list *l, uint64_t *ret)
{
	for (size_t i = 0; i < l->n; i++) {
		if (!l->v[i].percpu) {
			*ret = l->v[i].addr;
			return true;
		}
	}
	return false;
}

/* "symbol X at A does not fit MODE offsets: WHY", WHY with its arguments. */
static struct ksyms_error *out_of_range(const struct ks_gen_sym *s, const char *mode, const char *why, ...)
	KS_PRINTF(3, 4);

static struct ksyms_error *out_of_range(const struct ks_gen_sym *s, const char *mode, const char *why, ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, why);
	vsnprintf(reason, sizeof(reason), why, ap);
	va_end(ap);
	return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "symbol '%s' at 0x%llx does not fit %s offsets: %s", s->name,
			(unsigned long long)s->addr, mode, reason);
}

/* The s32/u32 value of one kallsyms_offsets entry at file offset @at. */
static struct ksyms_error *offset_value(const struct emit *e, size_t i, uint64_t relbase, size_t at, uint32_t *ret)
{
	const struct ks_gen_sym *s = &e->l->v[i];
	const char *mode = ksyms_addr_mode_name(e->t->layout.addr_mode);

	switch (e->t->layout.addr_mode) {
	case KSYMS_ADDR_RELATIVE:
		/* e.g. x86-64 per-cpu symbols at 0 without --absolute-percpu */
		if (s->addr - relbase > UINT32_MAX)
			return out_of_range(s, mode, "more than 4 GiB above the lowest symbol, '%s' at 0x%llx",
					    e->l->v[0].name, (unsigned long long)relbase);
		*ret = (uint32_t)(s->addr - relbase);
		return NULL;
	case KSYMS_ADDR_RELATIVE_PERCPU:
		if (s->percpu) {
			if (s->addr > INT32_MAX)
				return out_of_range(s, mode, "a per-cpu offset above 0x7fffffff");
			*ret = (uint32_t)s->addr;
		} else {
			/* relbase - 1 - addr, in [INT32_MIN, -1] */
			if (s->addr - relbase > INT32_MAX)
				return out_of_range(s, mode, "more than 2 GiB above the lowest symbol, 0x%llx",
						    (unsigned long long)relbase);
			*ret = (uint32_t)(relbase - 1 - s->addr);
		}
		return NULL;
	case KSYMS_ADDR_PC_RELATIVE: {
		/* ".long _text - . + delta": the linker stores target - &entry */
		uint64_t diff = s->addr - (e->t->base + at);
		if (e->t->word == 8 && (int64_t)diff != (int64_t)(int32_t)(uint32_t)diff)
			return out_of_range(s, mode, "more than 2 GiB away from the table");
		*ret = (uint32_t)diff;
		return NULL;
	}
	default: /* KSYMS_ADDR_ABSOLUTE32 */
		if (s->addr > UINT32_MAX)
			return out_of_range(s, mode, "above 4 GiB");
		*ret = (uint32_t)s->addr;
		return NULL;
	}
}

static struct ksyms_error *emit_offsets(struct emit *e)
{
	enum ksyms_addr_mode mode = e->t->layout.addr_mode;
	bool has_relbase = mode == KSYMS_ADDR_RELATIVE || mode == KSYMS_ADDR_RELATIVE_PERCPU;
	uint64_t relbase = 0;
	struct ksyms_error *err;

	if (has_relbase && !relative_base(e->l, &relbase))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "%s offsets need a symbol that is not absolute per-cpu",
				ksyms_addr_mode_name(mode));
	if ((err = label(e, KSYMS_TAB_OFFSETS)))
		return err;
	for (size_t i = 0; i < e->l->n; i++) {
		uint32_t v = 0;
		if ((err = offset_value(e, i, relbase, e->out->len, &v)) || (err = put(e, v, 4)))
			return err;
	}
	end_label(e, KSYMS_TAB_OFFSETS);
	if (!has_relbase)
		return NULL;
	if ((err = label(e, KSYMS_TAB_RELATIVE_BASE)) || (err = put(e, relbase, e->t->word)))
		return err;
	end_label(e, KSYMS_TAB_RELATIVE_BASE);
	return NULL;
}

static struct ksyms_error *emit_addresses(struct emit *e)
{
	struct ksyms_error *err;

	if (e->t->layout.addr_mode != KSYMS_ADDR_ABSOLUTE)
		return emit_offsets(e);
	if ((err = label(e, KSYMS_TAB_ADDRESSES)))
		return err;
	for (size_t i = 0; i < e->l->n && !err; i++)
		err = put(e, e->l->v[i].addr, e->t->word);
	end_label(e, KSYMS_TAB_ADDRESSES);
	return err;
}

/* ------------------------------------------------------------------------ */

static size_t plan(const struct ksyms_layout *l, emit_fn *steps[8])
{
	size_t n = 0;

	if (l->order == KSYMS_ORDER_ADDRESSES_FIRST)
		steps[n++] = emit_addresses;
	steps[n++] = emit_num_syms;
	steps[n++] = emit_names;
	steps[n++] = emit_markers;
	if (l->seqs == KSYMS_SEQS_AFTER_MARKERS)
		steps[n++] = emit_seqs;
	steps[n++] = emit_token_table;
	steps[n++] = emit_token_index;
	if (l->order == KSYMS_ORDER_NAMES_FIRST)
		steps[n++] = emit_addresses;
	if (l->seqs == KSYMS_SEQS_AFTER_ADDRESSES)
		steps[n++] = emit_seqs;
	return n;
}

struct ksyms_error *ks_gen_emit(struct ks_buf *out, const struct ks_gen_target *t, const struct ks_gen_list *l,
				const struct ks_gen_tokens *tok, struct ksyms_table_loc tables[KSYMS_TAB_COUNT])
{
	struct emit e = { .out = out, .t = t, .l = l, .tok = tok, .tables = tables };
	emit_fn *steps[8];
	size_t n = plan(&t->layout, steps);
	struct ksyms_error *err = NULL;

	memset(tables, 0, KSYMS_TAB_COUNT * sizeof(*tables));
	for (size_t i = 0; i < n && !err; i++)
		err = steps[i](&e);
	free(e.markers);
	return err;
}
