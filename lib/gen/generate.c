// SPDX-License-Identifier: MIT
/*
 * ksyms_generate(): scripts/kallsyms as a library call.  The steps are the
 * build's (kallsyms-format.md section 7): filter, sort, compress, emit;
 * then the tables are wrapped in an image the decoder can open.
 *
 * Whatever the real build refuses is refused here with
 * KSYMS_ERR_INVALID_ARGUMENT: an empty table, a name of KSYM_NAME_LEN
 * characters or more, an address that does not fit the mode's offsets.
 * Layouts that no kernel produced (PC-relative offsets before the 6.4
 * order, seqs_of_names where no kernel put it) are refused too, because
 * nothing could read them.
 */
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "core/error.h"
#include "core/overflow.h"

static const char default_banner[] =
	"Linux version 0.0.0-ksyms-gen (synthetic kallsyms tables made by libksyms) #1";

static struct ksyms_error *invalid(const char *what)
{
	return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "%s", what);
}

/* Accept older (shorter) option structs and newer ones whose extra fields
 * are zero (libbpf OPTS_VALID). */
static struct ksyms_error *copy_opts(const struct ksyms_gen_opts *opts, struct ksyms_gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (!opts)
		return invalid("generating tables needs options (a layout, a word size, a byte order)");
	if (opts->sz < sizeof(size_t))
		return invalid("generator options without a size");
	for (size_t i = sizeof(*o); i < opts->sz; i++)
		if (((const uint8_t *)opts)[i])
			return invalid("generator options from a newer libksyms");
	memcpy(o, opts, opts->sz < sizeof(*o) ? opts->sz : sizeof(*o));
	o->sz = sizeof(*o);
	return NULL;
}

static bool valid_mode(enum ksyms_addr_mode m)
{
	return m >= KSYMS_ADDR_ABSOLUTE && m <= KSYMS_ADDR_ABSOLUTE32;
}

/* Where each table can go depends on the era (kallsyms-format.md 0, 1). */
static struct ksyms_error *check_placement(const struct ksyms_layout *l, int word)
{
	bool names_first = l->order == KSYMS_ORDER_NAMES_FIRST;

	if (l->order != KSYMS_ORDER_ADDRESSES_FIRST && !names_first)
		return invalid("the layout has no table order");
	if ((l->seqs == KSYMS_SEQS_AFTER_MARKERS && names_first) ||
	    (l->seqs == KSYMS_SEQS_AFTER_ADDRESSES && !names_first) || (unsigned)l->seqs > KSYMS_SEQS_AFTER_ADDRESSES)
		return invalid("kallsyms_seqs_of_names follows the markers only in the addresses-first "
			       "order (6.2, 6.3) and the addresses only in the names-first order (6.4+)");
	/* the decoder relies on it: see try_names_first() in kallsyms/addrs.c */
	if (names_first && l->seqs != KSYMS_SEQS_AFTER_ADDRESSES)
		return invalid("the names-first order (6.4+) always has kallsyms_seqs_of_names after the addresses");
	if ((l->addr_mode == KSYMS_ADDR_PC_RELATIVE || l->addr_mode == KSYMS_ADDR_ABSOLUTE32) && !names_first)
		return invalid("7.0 offsets exist only in the names-first order");
	if (l->addr_mode == KSYMS_ADDR_ABSOLUTE32 && word != 4)
		return invalid("absolute32 offsets exist only in 32-bit kernels");
	return NULL;
}

static struct ksyms_error *check_layout(const struct ksyms_layout *l, int word)
{
	unsigned w = (unsigned)word;

	if (!valid_mode(l->addr_mode))
		return invalid("the layout has no address mode");
	if (l->name_len_bytes != 1 && l->name_len_bytes != 2)
		return invalid("name_len_bytes must be 1 or 2");
	if ((l->marker_size != 4 && l->marker_size != w) || (l->num_syms_size != 4 && l->num_syms_size != w))
		return invalid("kallsyms_markers and kallsyms_num_syms are 4 bytes or a word");
	if (l->align != 4 && l->align != 8)
		return invalid("tables are aligned to 4 or 8 bytes");
	if (l->seqs && l->seqs_entry_size != 3 && l->seqs_entry_size != 4)
		return invalid("kallsyms_seqs_of_names entries are 3 (or, in the 6.2 merge window, 4) bytes");
	return check_placement(l, word);
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static struct ksyms_error *check_opts(const struct ksyms_gen_opts *o)
{
	struct ksyms_error *err;
	enum ksyms_addr_mode m = o->layout.addr_mode;

	if (o->word_size != 4 && o->word_size != 8)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "word size must be 4 or 8, not %d", o->word_size);
	if (o->byte_order != KSYMS_ENDIAN_LITTLE && o->byte_order != KSYMS_ENDIAN_BIG)
		return invalid("the byte order must be little or big");
	if ((err = check_layout(&o->layout, o->word_size)))
		return err;
	/* --absolute-percpu went with base-relative per-cpu offsets or with
	 * absolute addresses; it was gone before 7.0 (~6.15) */
	if (o->absolute_percpu && m != KSYMS_ADDR_RELATIVE_PERCPU && m != KSYMS_ADDR_ABSOLUTE)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
				"absolute per-cpu symbols need relative-percpu or absolute addresses, not %s",
				ksyms_addr_mode_name(m));
	if (o->word_size == 4 && o->base > UINT32_MAX)
		return invalid("the base address does not fit a 32-bit kernel");
	if (o->banner && (strlen(o->banner) > KS_GEN_MAX_BANNER || !printable(o->banner)))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
				"the banner must be printable ASCII of at most %d characters", KS_GEN_MAX_BANNER);
	return NULL;
}

/* ------------------------------------------------------------------------ */

/* What nm prints as a type: a letter almost always, but also '?' (an
 * unknown section, ppc's __nosave_begin), which the build stores as is. */
static bool is_nm_type(char c)
{
	return c > ' ' && c < 0x7f;
}

static struct ksyms_error *load(const struct ksyms_gen_symbol *syms, size_t count, struct ks_gen_list *l)
{
	if (!count)
		return invalid("no symbols to encode");
	if (!syms)
		return invalid("the symbol array is NULL");
	if (count > UINT32_MAX)
		return ks_error(KSYMS_ERR_TOO_LARGE, "%zu symbols are more than kallsyms_num_syms holds", count);
	l->v = calloc(count, sizeof(*l->v));
	if (!l->v)
		return &ks_enomem;
	for (size_t i = 0; i < count; i++) {
		const struct ksyms_gen_symbol *s = &syms[i];
		if (!s->name || !s->name[0])
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "symbol %zu has no name", i);
		if (!is_nm_type(s->type))
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "symbol '%s' has type 0x%02x, not an nm type",
					s->name, (unsigned char)s->type);
		size_t len = strlen(s->name);
		l->v[i] = (struct ks_gen_sym){ .addr = s->addr, .name = s->name, .seq = (uint32_t)i, .type = s->type,
					       .name_len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len };
	}
	l->n = count;
	return NULL;
}

/* What the build refuses among the symbols it keeps. */
static struct ksyms_error *check_kept(const struct ks_gen_list *l, const struct ksyms_gen_opts *o)
{
	size_t max_len = o->layout.name_len_bytes == 2 ? KS_GEN_NAME_LEN : KS_GEN_NAME_LEN_OLD;

	if (!l->n)
		return invalid("no symbol is left after filtering");
	if (o->layout.seqs && o->layout.seqs_entry_size == 3 && l->n > 0xffffff)
		return ks_error(KSYMS_ERR_TOO_LARGE,
				"%zu symbols are more than 3-byte kallsyms_seqs_of_names entries index", l->n);
	for (size_t i = 0; i < l->n; i++) {
		const struct ks_gen_sym *s = &l->v[i];
		if (s->name_len >= max_len)
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
					"symbol '%.40s...' is %u characters long; this layout's KSYM_NAME_LEN is %zu",
					s->name, s->name_len, max_len);
		if (o->word_size == 4 && s->addr > UINT32_MAX)
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
					"symbol '%s' at 0x%llx does not fit a 32-bit kernel", s->name,
					(unsigned long long)s->addr);
	}
	return NULL;
}

static struct ksyms_error *prepare(const struct ksyms_gen_symbol *syms, size_t count, const struct ksyms_gen_opts *o,
				   struct ks_gen_list *ret)
{
	struct ks_gen_list l = { 0 };
	struct ks_gen_filter_opts f = {
		.era = ks_gen_era_of(&o->layout),
		.ignore_lists = o->filter,
		.text_only = o->text_only,
		.absolute_percpu = o->absolute_percpu,
	};
	struct ksyms_error *err = load(syms, count, &l);

	if (!err)
		err = ks_gen_filter(&l, &f);
	if (!err)
		err = check_kept(&l, o);
	if (err) {
		free(l.v);
		return err;
	}
	ks_gen_sort(&l);
	*ret = l;
	return NULL;
}

struct ksyms_error *ks_gen_prepare(const struct ksyms_gen_symbol *syms, size_t count, const struct ksyms_gen_opts *opts,
				   struct ks_gen_list *ret)
{
	struct ksyms_gen_opts o;
	struct ksyms_error *err = copy_opts(opts, &o);

	if (!err)
		err = check_opts(&o);
	return err ? err : prepare(syms, count, &o, ret);
}

/* ------------------------------------------------------------------------ */

static struct ksyms_error *build_image(const struct ks_gen_list *l, const struct ks_gen_tokens *tok,
				       const struct ksyms_gen_opts *o, struct ks_buf *out,
				       struct ksyms_table_loc tables[KSYMS_TAB_COUNT])
{
	struct ks_gen_target t = {
		.layout = o->layout,
		.word = (unsigned)o->word_size,
		.be = o->byte_order == KSYMS_ENDIAN_BIG,
		.base = o->base,
	};
	uint16_t machine = o->elf ? ks_gen_elf_machine(l, t.word, t.be) : 0;
	struct ksyms_error *err;
	uint64_t last;

	if (!ks_gen_wrap_head(out, &t, o->elf, machine, o->banner ? o->banner : default_banner))
		return &ks_enomem;
	if ((err = ks_gen_emit(out, &t, l, tok, tables)))
		return err;
	if (!ks_gen_wrap_tail(out, &t, o->elf))
		return &ks_enomem;
	/* every byte of the image needs a virtual address */
	if (ckd_add_u64(&last, o->base, out->len - 1) || (t.word == 4 && last > UINT32_MAX))
		return invalid("the image does not fit in the address space above the base address");
	return NULL;
}

struct ksyms_error *ksyms_generate(const struct ksyms_gen_symbol *syms, size_t count, const struct ksyms_gen_opts *opts,
				   struct ksyms_gen_result *ret)
{
	struct ksyms_gen_opts o;
	struct ks_gen_list l = { 0 };
	struct ks_gen_tokens tok = { 0 };
	struct ks_buf out = { 0 };
	struct ksyms_table_loc tables[KSYMS_TAB_COUNT];
	struct ksyms_error *err;

	if (!ret)
		return invalid("ksyms_generate() needs a result to fill");
	err = copy_opts(opts, &o);
	if (!err)
		err = check_opts(&o);
	if (!err)
		err = prepare(syms, count, &o, &l);
	if (!err)
		err = ks_gen_tokens_build(&l, &tok);
	if (!err)
		err = build_image(&l, &tok, &o, &out, tables);
	if (!err) {
		memset(ret, 0, sizeof(*ret));
		ret->data = out.p;
		ret->size = out.len;
		ret->num_syms = l.n;
		memcpy(ret->tables, tables, sizeof(tables));
		out.p = NULL;
	}
	ks_buf_free(&out);
	ks_gen_tokens_free(&tok);
	free(l.v);
	return err;
}
