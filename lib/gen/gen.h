/* SPDX-License-Identifier: MIT */
/*
 * Internal interface of the kallsyms generator: scripts/kallsyms in
 * reverse of our decoder (kallsyms-format.md section 7).
 *
 *   filter.c    the build's symbol filters (section 4), the text range
 *               rule and absolute per-cpu symbols
 *   sort.c      address order with the alias tie-breaks (section 2.2) and
 *               the name order of kallsyms_seqs_of_names
 *   tokens.c    the greedy token table and the compressed names
 *   emit.c      every table in a struct ksyms_layout, word size and byte
 *               order, at its place in the image
 *   wrap.c      the synthetic raw image or minimal ELF around the tables
 *   generate.c  ksyms_generate(): checks the options and drives the above
 *
 * Nothing here reads input bytes: the input is the caller's symbol list.
 */
#ifndef KSYMS_GEN_H
#define KSYMS_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/buf.h"

/* KSYM_NAME_LEN: 128 before 6.1, 512 since 73bbb94466fd (6.1, ULEB128
 * lengths).  A name must be shorter: the kernel keeps a NUL. */
enum { KS_GEN_NAME_LEN_OLD = 128, KS_GEN_NAME_LEN = 512 };

/* One symbol on its way into the tables. */
struct ks_gen_sym {
	uint64_t addr;
	const char *name;   /* borrowed from the caller, NUL-terminated */
	uint32_t name_len;
	uint32_t seq;       /* position in the input: the last sort key */
	char type;          /* nm type letter as it will be stored */
	bool percpu;        /* stored as an absolute per-cpu value */
};

struct ks_gen_list {
	struct ks_gen_sym *v;
	size_t n;
};

/* Which build rules apply: the filter lists changed with the layout. */
enum ks_gen_era {
	KS_GEN_ERA_5_10, /* scripts/kallsyms filters nm output itself, 5.10 lists */
	KS_GEN_ERA_6_1,  /* the same with the 6.1 lists (ULEB128 lengths) */
	KS_GEN_ERA_6_4,  /* mksysmap filters, then scripts/kallsyms (names first) */
	KS_GEN_ERA_7_0,  /* 6.4 rules plus the later mksysmap additions */
};

enum ks_gen_era ks_gen_era_of(const struct ksyms_layout *l);

/* filter.c */

/* True if the build drops @name of @type before kallsyms sees it (the
 * mksysmap and scripts/kallsyms ignore lists of @era). */
bool ks_gen_ignored(enum ks_gen_era era, const char *name, size_t len, char type);

struct ks_gen_filter_opts {
	enum ks_gen_era era;
	bool ignore_lists;    /* apply ks_gen_ignored() */
	bool text_only;       /* the range rule of a build without CONFIG_KALLSYMS_ALL */
	bool absolute_percpu; /* x86-64 --absolute-percpu */
};

/* Drop, in place and keeping the order, what the build drops; mark the
 * absolute per-cpu symbols. */
KS_MUST_CHECK struct ksyms_error *ks_gen_filter(struct ks_gen_list *l, const struct ks_gen_filter_opts *o);

/* sort.c */

/* __start_X, __stop_X, __end_X, __X_start, __X_end (8+ characters). */
bool ks_gen_linker_provided(const char *name, size_t len);
/* Sort by address with the kernel's tie-breaks (a total order). */
void ks_gen_sort(struct ks_gen_list *l);
/* seqs_of_names: the table indexes of the (sorted) list in name order. */
KS_MUST_CHECK struct ksyms_error *ks_gen_name_order(const struct ks_gen_list *l, uint32_t **ret);

/* tokens.c */

/* The compressed names and the token table that expands them. */
struct ks_gen_tokens {
	uint8_t *code;       /* every symbol's codes, back to back */
	size_t *off;         /* symbol i starts at code + off[i] */
	uint32_t *len;       /* and has len[i] codes */
	size_t n;
	struct ks_buf table; /* kallsyms_token_table: 256 NUL-terminated strings */
	uint16_t index[256]; /* kallsyms_token_index */
};

KS_MUST_CHECK struct ksyms_error *ks_gen_tokens_build(const struct ks_gen_list *l, struct ks_gen_tokens *ret);
void ks_gen_tokens_free(struct ks_gen_tokens *t);

/* emit.c */

struct ks_gen_target {
	struct ksyms_layout layout;
	unsigned word;   /* 4 or 8 */
	bool be;
	uint64_t base;   /* virtual address of out->p[0] */
};

/* Append every table at the end of @out (whose length is the file offset
 * of the next byte) and record where each went in @tables. */
KS_MUST_CHECK struct ksyms_error *ks_gen_emit(struct ks_buf *out, const struct ks_gen_target *t,
					      const struct ks_gen_list *l, const struct ks_gen_tokens *tok,
					      struct ksyms_table_loc tables[KSYMS_TAB_COUNT]);

/* wrap.c */

/* Where the tables start in a synthetic image. */
enum { KS_GEN_TABLES_OFFSET = 0x1000, KS_GEN_TAIL_SIZE = 0x800, KS_GEN_MAX_BANNER = 0xc00 };

/* The bytes before the tables: an ELF header and program header when
 * @elf, then filler with the banner, up to KS_GEN_TABLES_OFFSET. */
KS_MUST_CHECK bool ks_gen_wrap_head(struct ks_buf *out, const struct ks_gen_target *t, bool elf,
				    uint16_t e_machine, const char *banner);
/* Filler after the tables; for an ELF, the program header now covers it all. */
KS_MUST_CHECK bool ks_gen_wrap_tail(struct ks_buf *out, const struct ks_gen_target *t, bool elf);
/* e_machine for the kept symbols, or a default for the word size and order. */
uint16_t ks_gen_elf_machine(const struct ks_gen_list *l, unsigned word, bool be);

/* generate.c */

/* The symbols ksyms_generate() stores, in table order (filtered, typed,
 * sorted).  l->v is malloc'd; names stay borrowed from @syms. */
KS_MUST_CHECK struct ksyms_error *ks_gen_prepare(const struct ksyms_gen_symbol *syms, size_t count,
						 const struct ksyms_gen_opts *opts, struct ks_gen_list *ret);

#endif
