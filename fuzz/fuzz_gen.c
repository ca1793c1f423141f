// SPDX-License-Identifier: MIT
/*
 * The generator round trip: input bytes -> a symbol list -> ksyms_generate()
 * in a layout, word size, byte order and wrapping the input chooses ->
 * decode.  The decoded table must be exactly what the generator kept, in
 * its order (ks_gen_prepare() gives that list), with the tables where the
 * generator put them.  Input:
 *   byte 0   layout preset (modulo their count)
 *   byte 1   bit 0 64-bit, bit 1 big-endian, bit 2 ELF, bit 3 filter,
 *            bit 4 text only, bit 5 absolute per-cpu
 *   then records: type byte, 3-byte address (above the base), name length
 *   byte, name bytes (made printable)
 */
#include <string.h>

#include "fuzz.h"
#include "gen/gen.h"

enum { MAX_SYMS = 2048, RAW_INFER_MIN = 16 };

static const char types[] = "TtDdBbRrWwVvAaUuNn?GgSsi";

struct input {
	struct ksyms_gen_symbol syms[MAX_SYMS];
	char names[MAX_SYMS][257];
	size_t n;
};

static void parse(const uint8_t *p, size_t size, uint64_t base, struct input *in)
{
	in->n = 0;
	while (size >= 5 && in->n < MAX_SYMS) {
		struct ksyms_gen_symbol *s = &in->syms[in->n];
		char *name = in->names[in->n];
		size_t len = (size_t)p[4] + 1;
		if (len > size - 5)
			len = size - 5;
		s->type = types[p[0] % (sizeof(types) - 1)];
		s->addr = base + ((uint64_t)p[1] << 16 | (uint64_t)p[2] << 8 | p[3]);
		for (size_t i = 0; i < len; i++)
			name[i] = (char)(0x21 + p[5 + i] % 0x5e);
		name[len] = 0;
		s->name = name;
		p += 5 + len;
		size -= 5 + len;
		if (len)
			in->n++;
	}
}

/* Where the generator put the table the decoder calls @id. */
static const struct ksyms_table_loc *generated(const struct ksyms_gen_opts *o, const struct ksyms_gen_result *r,
					       const struct ksyms_info *info, int id)
{
	/* 32-bit absolute addresses and 7.0 absolute32 offsets are the same
	 * bytes: either name is a right reading */
	enum ksyms_addr_mode g = o->layout.addr_mode, d = info->layout.addr_mode;
	bool swapped = o->word_size == 4 && ((g == KSYMS_ADDR_ABSOLUTE32 && d == KSYMS_ADDR_ABSOLUTE) ||
					     (g == KSYMS_ADDR_ABSOLUTE && d == KSYMS_ADDR_ABSOLUTE32));

	if (swapped && id == KSYMS_TAB_ADDRESSES)
		return &r->tables[KSYMS_TAB_OFFSETS];
	if (swapped && id == KSYMS_TAB_OFFSETS)
		return &r->tables[KSYMS_TAB_ADDRESSES];
	return &r->tables[id];
}

static bool all_zero(const struct ksyms_gen_result *r, const struct ksyms_table_loc *g)
{
	const uint8_t *p = r->data;

	for (uint64_t i = 0; i < g->size; i++)
		if (p[g->offset + i])
			return false;
	return true;
}

static bool zero_word(const struct ksyms_gen_result *r, uint64_t off)
{
	const uint8_t *p = (const uint8_t *)r->data + off;

	return !p[0] && !p[1] && !p[2] && !p[3];
}

static void compare_tables(const struct ksyms_info *info, const struct ksyms_gen_opts *o,
			   const struct ksyms_gen_result *r)
{
	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		const struct ksyms_table_loc *g = generated(o, r, info, id), *d = &info->tables[id];
		/* A table of zero bytes only (one marker: 256 symbols or fewer;
		 * one relative offset) reads the same in any zero word of the
		 * padding next to it: there the data cannot tell where it is. */
		if (d->present == g->present && (!d->present || d->offset == g->offset || all_zero(r, g)))
			continue;
		/* seqs_of_names of one symbol is three zero bytes: with the
		 * zero marker and the padding around them, the table reads as
		 * well without it */
		if (id == KSYMS_TAB_SEQS_OF_NAMES && g->present && !d->present && all_zero(r, g))
			continue;
		/* a pointer-wide big-endian count or marker under 2^32 is four
		 * zero bytes and the 4-byte one of the later kernels */
		if ((id == KSYMS_TAB_NUM_SYMS || id == KSYMS_TAB_MARKERS) && d->present && g->present && g->size == 8 &&
		    d->offset == g->offset + 4 && o->byte_order == KSYMS_ENDIAN_BIG && zero_word(r, g->offset))
			continue;
		fprintf(stderr, "%s: decoded %d at 0x%llx, generated %d at 0x%llx (decoded as %s)\n",
			ksyms_table_id_name(id), d->present, (unsigned long long)d->offset, g->present,
			(unsigned long long)g->offset, ksyms_addr_mode_name(info->layout.addr_mode));
		fuzz_check(0);
	}
}

static void compare(const struct ks_gen_list *l, struct ksyms_table *t, const struct ksyms_gen_opts *o,
		    const struct ksyms_gen_result *r)
{
	const struct ksyms_info *info = ksyms_table_info(t);

	fuzz_check(ksyms_table_count(t) == l->n && r->num_syms == l->n);
	fuzz_check(info->word_size == o->word_size && info->byte_order == o->byte_order);
	compare_tables(info, o, r);
	for (size_t i = 0; i < l->n; i++) {
		struct ksyms_symbol s;
		fuzz_check(ksyms_table_symbol(t, i, &s));
		fuzz_check(strcmp(s.name, l->v[i].name) == 0);
		fuzz_check(s.type == l->v[i].type);
		fuzz_check(s.addr == l->v[i].addr);
	}
}

/*
 * A 32-bit names-first array of ascending u32s reads as place-relative
 * (7.x), absolute32 (7.x) and absolute addresses (6.4-6.9) alike; the
 * decoder keeps the reading that puts more text symbols inside the image.
 * With none inside under the generated reading there is nothing to go
 * by, and the round trip is not a property (real kernels hold their text).
 */
static bool fit_decides(const struct ks_gen_list *l, const struct ksyms_gen_opts *o, const struct ksyms_gen_result *r)
{
	enum ksyms_addr_mode m = o->layout.addr_mode;

	if (o->word_size != 4 || o->layout.order != KSYMS_ORDER_NAMES_FIRST ||
	    (m != KSYMS_ADDR_ABSOLUTE && m != KSYMS_ADDR_PC_RELATIVE && m != KSYMS_ADDR_ABSOLUTE32))
		return true;
	for (size_t i = 0; i < l->n; i++)
		if ((l->v[i].type == 't' || l->v[i].type == 'T') && l->v[i].addr >= o->base &&
		    l->v[i].addr - o->base < r->size)
			return true;
	return false;
}

/* Symbols all at one address make an array of zero offsets, which the
 * decoder takes for padding (no kernel has such a table): such a table
 * need not decode. */
static bool one_address(const struct ks_gen_list *l)
{
	for (size_t i = 1; i < l->n; i++)
		if (l->v[i].addr != l->v[0].addr)
			return false;
	return l->n >= 2;
}

static void roundtrip(const struct input *in, const struct ksyms_gen_opts *o)
{
	struct ks_gen_list l = { 0 };
	struct ksyms_gen_result r = { 0 };
	struct ksyms_error *err = ks_gen_prepare(in->syms, in->n, o, &l);

	if (!err)
		err = ksyms_generate(in->syms, in->n, o, &r);
	if (err) {
		ksyms_error_destroy(err);
		free(l.v);
		return;
	}
	KSYMS_OPTS(ksyms_find_opts, fo, .has_base = true, .base = o->base);
	/* A raw image has no header: a handful of symbols (three u32s at one
	 * address read as u64s look like ppc64's; two absolute addresses read
	 * as per-cpu offsets and a base) cannot show its word size, byte order
	 * or address mode, as a user of such a blob would give --bits and
	 * --endian; in an ELF too, the address mode of two symbols is a coin
	 * toss.  Such a table must decode, to as many symbols; from
	 * RAW_INFER_MIN symbols on it must decode exactly. */
	bool tiny = l.n < RAW_INFER_MIN;
	if (tiny && !o->elf) {
		fo.word_size = o->word_size;
		fo.byte_order = o->byte_order;
	}
	struct ksyms_image *img = NULL;
	struct ksyms_table *t = NULL;
	err = ksyms_image_open_mem(r.data, r.size, NULL, &img);
	if (!err)
		err = ksyms_table_from_image(img, &fo, &t);
	if (err && !one_address(&l))
		fprintf(stderr, "generated image does not decode: %s\n", ksyms_error_message(err));
	fuzz_check(!err || one_address(&l));
	if (!err && tiny)
		fuzz_check(ksyms_table_count(t) == l.n);
	else if (!err && !one_address(&l) && fit_decides(&l, o, &r))
		compare(&l, t, o, &r);
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	ksyms_image_destroy(img);
	ksyms_free(r.data);
	free(l.v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct input in;
	const char *const *names = ksyms_layout_preset_names();
	size_t nlayouts = 0;

	if (size < 2)
		return 0;
	while (names[nlayouts])
		nlayouts++;
	uint8_t f = data[1];
	int word = f & 1 ? 8 : 4;
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = word, .byte_order = f & 2 ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE,
		   .base = word == 8 ? 0xffffffff81000000ull : 0xc0000000u, .elf = f & 4, .filter = f & 8,
		   .text_only = f & 0x10, .absolute_percpu = f & 0x20);
	struct ksyms_error *err = ksyms_layout_preset(names[data[0] % nlayouts], word, &o.layout);
	if (err) {
		ksyms_error_destroy(err);
		return 0;
	}
	parse(data + 2, size - 2, o.base, &in);
	roundtrip(&in, &o);
	return 0;
}
