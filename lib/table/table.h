/* SPDX-License-Identifier: MIT */
/*
 * struct ksyms_table: a host-order symbol table, whatever the source
 * (decoded kallsyms, System.map, /proc/kallsyms, ELF .symtab).  Names live
 * in one string pool; symbols are parallel arrays (columns), all four in
 * one block (table.c), so a 200,000-symbol table is two allocations.
 */
#ifndef KSYMS_TABLE_H
#define KSYMS_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/arena.h"
#include "core/compiler.h"
#include "core/search.h"

#define KS_NO_MODULE UINT32_MAX

struct ks_packed;
struct ks_exports; /* lib/exports: the ksymtab, when read from an image */

/* Lookup indexes (lookup.c), built on first use. */
struct ks_index {
	bool built;
	size_t n;               /* kernel symbols in the address index */
	uint64_t *addr;         /* their addresses, ascending */
	struct ks_blocked addr_search; /* over addr (core/search.h) */
	uint32_t *by_addr;      /* table index at each address-order position */
	size_t nmod;            /* module symbols, likewise */
	uint64_t *mod_addr;
	uint32_t *mod_by_addr;
	uint32_t *by_name;      /* table indices by name, then address, then table order */
	uint32_t *name_slot;    /* hash of distinct names: name-order position + 1, 0 = empty */
	size_t name_cap;        /* power of two */
	/* the kernel's own bounds (0 = not in the table) */
	uint64_t stext, etext, sinittext, einittext, end, init_begin, init_end;
	bool has_stext, has_etext, has_init, has_end, has_init_data;
	bool all;               /* CONFIG_KALLSYMS_ALL: data symbols are present */
	bool inclusive;         /* before 5.16: ranges include their end (lookup.c) */
};

/*
 * Where a decoded table's addresses and its image base came from, so that
 * a check can tell a fact that vouches for them from one that only
 * repeats the inference (lib/verify).
 */
enum ks_addr_src {
	KS_ADDR_SRC_NONE = 0,
	KS_ADDR_SRC_TABLE,  /* values stored in the table (absolute, or offsets + a stored relative_base) */
	KS_ADDR_SRC_RELA,   /* relative_base from its relocation record's addend */
	KS_ADDR_SRC_VOTES,  /* relative_base voted for by pointers to symbols */
	KS_ADDR_SRC_BASE,   /* place-relative offsets: the image base plus data offsets */
};

enum ks_base_src {
	KS_BASE_SRC_NONE = 0,
	KS_BASE_SRC_ELF,       /* program headers */
	KS_BASE_SRC_USER,      /* --base */
	KS_BASE_SRC_CONTAINER, /* a container's load address */
	KS_BASE_SRC_SYMBOLS,   /* the table's own symbols (kallsyms_*, _text at the start) */
	KS_BASE_SRC_RELA,      /* a relocation record's place */
	KS_BASE_SRC_SELF,      /* words that hold their own address */
	KS_BASE_SRC_VOTES,     /* pointers to symbols */
	KS_BASE_SRC_HEADER,    /* a header's convention (LoongArch's window) */
};

enum { KS_MAX_CHECKS = 8, KS_CHECK_DETAIL = 192 };

struct ksyms_table {
	struct ksyms_info info;
	enum ks_addr_src addr_src;
	enum ks_base_src base_src;
	struct ksyms_check checks[KS_MAX_CHECKS];
	char check_detail[KS_MAX_CHECKS][KS_CHECK_DETAIL];
	char verify_note[KS_CHECK_DETAIL + 64];
	struct ks_index idx;
	size_t count, cap;
	uint64_t *addr;
	uint32_t *name;   /* offset into pool */
	uint32_t *module; /* offset into pool, or KS_NO_MODULE */
	char *type;
	char *pool;
	size_t pool_len, pool_cap;
	char *banner;     /* owned copy behind info.banner */
	struct ks_exports *exports;
	/* the exports' arrays and the scratch of passes over the table; its
	 * first chunk may be lent from the columns' block (table.c) */
	struct ks_arena arena;
	bool block_lent;
	/* indices of the landmark symbols, ascending (landmarks.c); NULL:
	 * not listed (dropped when a symbol is added) */
	uint32_t *landmarks;
	size_t nlandmarks;
	/* names kept as token codes (packed.c); NULL: every name is in the pool */
	struct ks_packed *packed;
	/* decoded for its facts only (ksyms_find_opts.info_only): the public
	 * API lists no symbols */
	bool facts_only;
	/* the BTF located while such a table was decoded (pipeline.c), for
	 * ksyms_image_btf() of the same kernel data: found (btf) or not
	 * (btf_err, owned) */
	bool btf_known;
	const uint8_t *btf_data;
	struct ksyms_btf_info btf;
	struct ksyms_error *btf_err;
};

KS_MUST_CHECK struct ksyms_table *ks_table_new(void);
/* Make room for @n symbols and @pool_bytes of names in total. */
KS_MUST_CHECK bool ks_table_reserve(struct ksyms_table *t, size_t n, size_t pool_bytes);
/* Append a symbol; name (and module, if not NULL) are copied. */
KS_MUST_CHECK bool ks_table_add(struct ksyms_table *t, uint64_t addr, char type, const char *name, size_t name_len,
				const char *module);
void ks_index_free(struct ks_index *x);

/* The symbols the public API lists: none for a table of facts only. */
static inline size_t ks_table_listed(const struct ksyms_table *t)
{
	return t->facts_only ? 0 : t->count;
}

/* Symbol @i (in range) as the public struct. */
static inline void ks_table_get(const struct ksyms_table *t, size_t i, struct ksyms_symbol *ret)
{
	ret->addr = t->addr[i];
	ret->name = t->pool + t->name[i];
	ret->module = t->module[i] == KS_NO_MODULE ? NULL : t->pool + t->module[i];
	ret->type = t->type[i];
}
/* landmarks.c: the names that readers of a table search for one by one
 * (kallsyms_*, linux_banner, _sdata, _edata, _text, _start, __start_*,
 * __stop_*).  The kallsyms decoder lists the symbols so named as it
 * writes them; a search for one of them walks that list:
 *	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);)
 * which visits every symbol when there is no list (another source, out
 * of memory, or dropped), so the answer never depends on it. */
enum { KS_LANDMARK_MIN_LEN = 5, KS_LANDMARK_STARTS = 8 }; /* "_text" */
/* The landmark names: those that begin with a prefix entry, or equal an
 * exact one.  The decoders' filters (kallsyms/decode.c) are derived from
 * this list. */
struct ks_landmark_start {
	const char *s;
	bool prefix;
};
extern const struct ks_landmark_start ks_landmark_starts[KS_LANDMARK_STARTS];
bool ks_is_landmark_name(const char *name);
void ks_table_drop_landmarks(struct ksyms_table *t);

static inline bool ks_landmark_next(const struct ksyms_table *t, size_t *k, size_t *ret_i)
{
	if (t->landmarks) {
		if (*k >= t->nlandmarks)
			return false;
		*ret_i = t->landmarks[(*k)++];
		return true;
	}
	if (*k >= t->count)
		return false;
	*ret_i = (*k)++;
	return true;
}

/*
 * packed.c: names kept as kallsyms token codes, for a table decoded for
 * its facts only.  A packed symbol's name column is KS_NAME_PACKED | the
 * offset of its entry in the borrowed kallsyms_names; the landmarks are
 * always expanded into the pool.  Readers that may meet a packed table
 * read names through these (a name fits KS_NAME_BUF with its NUL).
 */
#define KS_NAME_PACKED 0x80000000u
#define KS_FACTS_ONLY_MSG "the table was decoded for its facts only (info_only): it lists no symbols"
enum { KS_NAME_BUF = 512, KS_PACKED_MAX_TOKEN = 512 };

struct ks_packed {
	const uint8_t *names; /* kallsyms_names, borrowed from the image */
	size_t len;
	unsigned len_bytes;   /* 1, or 2 (ULEB128, 6.1+) */
	const uint8_t *tok[256];
	uint16_t tok_len[256];
	/* the tokens' first KS_PACKED_SLOT bytes, zero-padded: a token is one
	 * fixed-size copy (packed.c) */
	char slot[256][32];
};

KS_MUST_CHECK bool ks_table_pack(struct ksyms_table *t, const uint8_t *names, size_t len, unsigned len_bytes,
				 const uint8_t *const tok[256], const uint16_t tok_len[256]);

static inline bool ks_name_packed(const struct ksyms_table *t, size_t i)
{
	return t->packed && (t->name[i] & KS_NAME_PACKED);
}

/* Does symbol @i's name equal the @len bytes at @s? */
bool ks_table_name_eq(const struct ksyms_table *t, size_t i, const char *s, size_t len);
/* Symbol @i's name into @buf, NUL-terminated; its length. */
size_t ks_table_name_copy(const struct ksyms_table *t, size_t i, char buf[KS_NAME_BUF]);
/* Symbol @i's name: in the pool, else expanded into @buf. */
const char *ks_table_name_or_copy(const struct ksyms_table *t, size_t i, char buf[KS_NAME_BUF]);
/* The first character of symbol @i's name (0: empty). */
char ks_table_name_first(const struct ksyms_table *t, size_t i);
/* Expand every packed name into the pool (while the image is open). */
KS_MUST_CHECK bool ks_table_unpack(struct ksyms_table *t);

KS_MUST_CHECK bool ks_table_set_banner(struct ksyms_table *t, const char *banner, size_t len);
/* A table whose addresses are its source's own (a symbol list, an ELF
 * .symtab): nothing was inferred, so they stand as stated (lib/verify
 * checks the tables decoded from images). */
void ks_table_addresses_stated(struct ksyms_table *t);

#endif
