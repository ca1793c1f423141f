// SPDX-License-Identifier: MIT
/*
 * Symbol sources (lib/source): System.map and raw nm text, /proc/kallsyms
 * with module lines and with kptr_restrict's zeros, malformed and odd
 * text, detection by content, and an ELF .symtab read with nm's letters
 * and order (binutils bfd_decode_symclass, nm.c numeric_forward).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ksyms.h>

#include "harness.h"
#include "core/endian.h"

/* ------------------------------------------------------------------------ */
/* helpers */

static struct ksyms_table *open_text(const char *text, enum ksyms_source_kind kind, struct ksyms_error **ret_err)
{
	KSYMS_OPTS(ksyms_source_opts, so, .kind = kind);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(text, strlen(text), &so, &t);

	if (ret_err)
		*ret_err = err;
	else
		ksyms_error_destroy(err);
	return err ? NULL : t;
}

static bool sym_is(const struct ksyms_table *t, size_t i, uint64_t addr, char type, const char *name,
		   const char *module)
{
	struct ksyms_symbol s;

	if (!ksyms_table_symbol(t, i, &s))
		return false;
	if (s.addr != addr || s.type != type || strcmp(s.name, name) != 0)
		return false;
	return module ? s.module && strcmp(s.module, module) == 0 : s.module == NULL;
}

/* The error for @text: code BAD_DATA and a message that contains @want. */
static bool bad_text(const char *text, const char *want, int64_t offset)
{
	struct ksyms_error *err;
	struct ksyms_table *t = open_text(text, KSYMS_SOURCE_AUTO, &err);
	bool ok = !t && err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA &&
		  strstr(ksyms_error_message(err), want) && (offset < 0 || ksyms_error_offset(err) == offset);

	printf("# %s\n", err ? ksyms_error_message(err) : "(accepted)");
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	return ok;
}

/* ------------------------------------------------------------------------ */
/* System.map */

static const char system_map[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000040 t helper\n"
	"ffffffff81000080 W weak_fn\n"
	"ffffffff81001000 T _etext\n"
	"ffffffff82000000 D some_data\n"
	"ffffffff82000100 d __func__.1\n"
	"ffffffff82000200 B _end\n"
	"0000000000000000 A abs_sym\n";

static void test_system_map(void)
{
	struct ksyms_table *t = open_text(system_map, KSYMS_SOURCE_AUTO, NULL);

	CHECK(t != NULL);
	if (!t)
		return;
	const struct ksyms_info *i = ksyms_table_info(t);
	CHECK_EQ_U64(i->source_kind, KSYMS_SOURCE_SYSTEM_MAP);
	CHECK_STR(i->source, "System.map");
	CHECK_EQ_U64(i->word_size, 8);
	CHECK_EQ_U64(ksyms_table_count(t), 9);
	CHECK_EQ_U64(i->num_syms, 9);
	CHECK_EQ_U64(i->module_symbols, 0);
	CHECK(!i->addresses_hidden);
	CHECK(sym_is(t, 1, 0xffffffff81000000ull, 'T', "_text", NULL));
	CHECK(sym_is(t, 2, 0xffffffff81000040ull, 't', "helper", NULL));
	CHECK(sym_is(t, 6, 0xffffffff82000100ull, 'd', "__func__.1", NULL));
	CHECK(sym_is(t, 8, 0, 'A', "abs_sym", NULL));
	struct ksyms_match m;
	CHECK(ksyms_table_lookup_addr(t, 0xffffffff81000050ull, &m) && strcmp(m.sym.name, "helper") == 0 &&
	      m.offset == 0x10 && m.size == 0x40);
	/* a single zero address is data, not kptr_restrict */
	CHECK(!i->addresses_hidden);
	ksyms_table_destroy(t);

	/* 32-bit: 8 digits */
	t = open_text("c0008000 T _stext\nc0008010 t f\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && ksyms_table_info(t)->word_size == 4);
	CHECK(t && sym_is(t, 1, 0xc0008010u, 't', "f", NULL));
	ksyms_table_destroy(t);

	/* sign-extended 32-bit MIPS map: kept as printed; diff masks it */
	t = open_text("ffffffff80100000 T _text\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && sym_is(t, 0, 0xffffffff80100000ull, 'T', "_text", NULL));
	ksyms_table_destroy(t);

	/* nm's '?' (ppc64 __nosave_begin) and upper-case hex */
	t = open_text("C000000002700000 ? __nosave_begin\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && sym_is(t, 0, 0xc000000002700000ull, '?', "__nosave_begin", NULL));
	ksyms_table_destroy(t);
}

/* Raw `nm -n` output: undefined symbols have blanks for an address. */
static void test_nm_output(void)
{
	struct ksyms_table *t = open_text("                 w __start_BTF\n"
					  "                 U printk\n"
					  "0000000000000000 a r3_offset\n"
					  "c000000000000000 T _stext\n",
					  KSYMS_SOURCE_AUTO, NULL);

	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_EQ_U64(ksyms_table_count(t), 4);
	CHECK(sym_is(t, 0, 0, 'w', "__start_BTF", NULL));
	CHECK(sym_is(t, 1, 0, 'U', "printk", NULL));
	CHECK_EQ_U64(ksyms_table_info(t)->word_size, 8);
	ksyms_table_destroy(t);
	t = open_text("         U printk\nc0008000 T _stext\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && ksyms_table_count(t) == 2 && ksyms_table_info(t)->word_size == 4);
	ksyms_table_destroy(t);
	/* blanks are nm's way for undefined symbols only */
	CHECK(bad_text("c0008000 T _stext\n         T defined\n", "line 2: blank address", 18));
}

/* ------------------------------------------------------------------------ */
/* /proc/kallsyms */

static const char proc_kallsyms[] =
	"ffffffff81000000 T _stext\n"
	"ffffffff81000040 t helper\n"
	"ffffffff81001000 T _etext\n"
	"ffffffffc0001000 t mod_init\t[snd]\n"
	"ffffffffc0001040 T mod_api\t[snd]\n"
	"ffffffffc0002000 t other_fn\t[e1000e]\n"
	"ffffffffc0003000 t bpf_prog_6deef7357e7b4530_sd_fw_egress\t[bpf]\n";

static void test_proc_kallsyms(void)
{
	/* module lines say /proc/kallsyms whatever the file is called */
	struct ksyms_table *t = open_text(proc_kallsyms, KSYMS_SOURCE_AUTO, NULL);

	CHECK(t != NULL);
	if (!t)
		return;
	const struct ksyms_info *i = ksyms_table_info(t);
	CHECK_EQ_U64(i->source_kind, KSYMS_SOURCE_PROC_KALLSYMS);
	CHECK_STR(i->source, "/proc/kallsyms");
	CHECK_EQ_U64(i->module_symbols, 4);
	CHECK_EQ_U64(i->num_syms, 3);
	CHECK(!i->addresses_hidden);
	CHECK(sym_is(t, 1, 0xffffffff81000040ull, 't', "helper", NULL));
	CHECK(sym_is(t, 3, 0xffffffffc0001000ull, 't', "mod_init", "snd"));
	CHECK(sym_is(t, 4, 0xffffffffc0001040ull, 'T', "mod_api", "snd"));
	CHECK(sym_is(t, 5, 0xffffffffc0002000ull, 't', "other_fn", "e1000e"));
	CHECK(sym_is(t, 6, 0xffffffffc0003000ull, 't', "bpf_prog_6deef7357e7b4530_sd_fw_egress", "bpf"));
	/* module addresses resolve to the module's symbols */
	struct ksyms_match m;
	CHECK(ksyms_table_lookup_addr(t, 0xffffffffc0001010ull, &m) && strcmp(m.sym.name, "mod_init") == 0 &&
	      m.sym.module && strcmp(m.sym.module, "snd") == 0 && m.size == 0x40);
	size_t pos;
	CHECK_EQ_U64(ksyms_table_lookup_name(t, "mod_api", &pos), 1);
	ksyms_table_destroy(t);

	/* without modules: kallsyms' alias order (fewer underscores first)
	 * is not nm -n's strcmp order */
	t = open_text("ffffffff81000000 T _stext\nffffffff81000100 t helper\nffffffff81000100 t __pfx_helper\n",
		      KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && ksyms_table_info(t)->source_kind == KSYMS_SOURCE_PROC_KALLSYMS);
	ksyms_table_destroy(t);
	t = open_text("ffffffff81000000 T _stext\nffffffff81000100 t __pfx_helper\nffffffff81000100 t helper\n",
		      KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && ksyms_table_info(t)->source_kind == KSYMS_SOURCE_SYSTEM_MAP);
	ksyms_table_destroy(t);

	/* forcing the kind wins over the content */
	t = open_text(system_map, KSYMS_SOURCE_PROC_KALLSYMS, NULL);
	CHECK(t && ksyms_table_info(t)->source_kind == KSYMS_SOURCE_PROC_KALLSYMS);
	ksyms_table_destroy(t);
	t = open_text(proc_kallsyms, KSYMS_SOURCE_SYSTEM_MAP, NULL);
	CHECK(t && ksyms_table_info(t)->source_kind == KSYMS_SOURCE_SYSTEM_MAP);
	ksyms_table_destroy(t);
}

/* kptr_restrict: %px prints 0 for a reader who may not see addresses. */
static void test_kptr_restrict(void)
{
	struct ksyms_table *t = open_text("0000000000000000 T _stext\n"
					  "0000000000000000 t helper\n"
					  "0000000000000000 T _etext\n"
					  "0000000000000000 t mod_init\t[snd]\n",
					  KSYMS_SOURCE_AUTO, NULL);

	CHECK(t != NULL);
	if (!t)
		return;
	const struct ksyms_info *i = ksyms_table_info(t);
	CHECK(i->addresses_hidden);
	CHECK_EQ_U64(i->source_kind, KSYMS_SOURCE_PROC_KALLSYMS);
	CHECK_EQ_U64(i->word_size, 8);
	CHECK_EQ_U64(i->module_symbols, 1);
	ksyms_table_destroy(t);

	/* without module lines the zeros alone say /proc/kallsyms */
	t = open_text("0000000000000000 T _stext\n0000000000000000 T _etext\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && ksyms_table_info(t)->addresses_hidden &&
	      ksyms_table_info(t)->source_kind == KSYMS_SOURCE_PROC_KALLSYMS);
	ksyms_table_destroy(t);
	/* 32-bit zeros */
	t = open_text("00000000 T _stext\n00000000 t f\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && ksyms_table_info(t)->addresses_hidden && ksyms_table_info(t)->word_size == 4);
	ksyms_table_destroy(t);
	/* x86-64 per-cpu symbols start at 0: not hidden when others are not */
	t = open_text("0000000000000000 A fixed_percpu_data\nffffffff81000000 T _stext\n", KSYMS_SOURCE_AUTO, NULL);
	CHECK(t && !ksyms_table_info(t)->addresses_hidden);
	ksyms_table_destroy(t);
}

/* ------------------------------------------------------------------------ */
/* Malformed, CRLF, empty */

static void test_malformed(void)
{
	/* one error, with the line number, the offset of the line and the text */
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 T a b\n", "line 2: a blank in the name", 26));
	CHECK(bad_text("ffffffff81000000 T _stext\n\nffffffff81000010 T\n", "line 3: no type letter", 27));
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 1 x\n", "line 2: the type is not a letter", 26));
	CHECK(bad_text("ffffffff81000000 T _stext\n10000000000000000 T big\n", "line 2: address longer", 26));
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 T x\t[mod\n", "line 2: text after the name", 26));
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 T x\t[]\n", "line 2: text after the name", -1));
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 T x\t[a b]\n", "line 2: bad module name", -1));
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 T x\001y\n", "line 2: a control character", -1));
	/* the excerpt shows control bytes as '?' and is cut short */
	CHECK(bad_text("ffffffff81000000 T _stext\nffffffff81000010 T x\001y\n", "'ffffffff81000010 T x?y'", -1));
	CHECK(bad_text("Address Type Name\nffffffff81000000 T _stext\n", "line 1: no address", 0));
	char long_line[200];
	memset(long_line, 'z', sizeof(long_line));
	memcpy(long_line, "ffffffff81000000 T _stext\n  ", 28);
	long_line[sizeof(long_line) - 1] = 0;
	CHECK(bad_text(long_line, "zzz...'", -1));
	/* a module name longer than any the kernel makes */
	char mod[400];
	int n = snprintf(mod, sizeof(mod), "ffffffff81000000 T _stext\nffffffff81000000 T x\t[");
	memset(mod + n, 'm', 300);
	memcpy(mod + n + 300, "]\n", 3);
	CHECK(bad_text(mod, "line 2: module name longer than 255 bytes", 26));
}

static void test_crlf(void)
{
	struct ksyms_table *a = open_text(proc_kallsyms, KSYMS_SOURCE_AUTO, NULL);
	struct ksyms_table *b = open_text("ffffffff81000000 T _stext\r\n"
					  "\r\n"
					  "ffffffff81000040 t helper\r\n"
					  "ffffffff81001000 T _etext\r\n"
					  "ffffffffc0001000 t mod_init\t[snd]\r\n"
					  "ffffffffc0001040 T mod_api\t[snd]\r\n"
					  "ffffffffc0002000 t other_fn\t[e1000e]\r\n"
					  "ffffffffc0003000 t bpf_prog_6deef7357e7b4530_sd_fw_egress\t[bpf]",
					  KSYMS_SOURCE_AUTO, NULL);

	CHECK(a && b);
	if (!a || !b)
		goto out;
	CHECK_EQ_U64(ksyms_table_count(b), ksyms_table_count(a));
	for (size_t i = 0; i < ksyms_table_count(a); i++) {
		struct ksyms_symbol x, y;
		ksyms_table_symbol(a, i, &x);
		ksyms_table_symbol(b, i, &y);
		CHECK(x.addr == y.addr && x.type == y.type && strcmp(x.name, y.name) == 0 &&
		      strcmp(x.module ? x.module : "", y.module ? y.module : "") == 0);
	}
out:
	ksyms_table_destroy(a);
	ksyms_table_destroy(b);
}

static void test_empty(void)
{
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_AUTO);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem("", 0, &so, &t);

	CHECK(err != NULL && t == NULL);
	printf("# empty: %s\n", err ? ksyms_error_message(err) : "(accepted)");
	ksyms_error_destroy(err);
	CHECK(bad_text("\n\n\r\n", "no symbols in the list", 0));
	/* forced text kinds on empty or binary data */
	so.kind = KSYMS_SOURCE_SYSTEM_MAP;
	err = ksyms_table_open_mem("\n", 1, &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA);
	ksyms_error_destroy(err);
	static const uint8_t bin[] = { 0x12, 0x34, 0, 1, 2, 3, '\n', 0xff, 0x00 };
	err = ksyms_table_open_mem(bin, sizeof(bin), &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA && strstr(ksyms_error_message(err), "line 1"));
	ksyms_error_destroy(err);
}

/* ------------------------------------------------------------------------ */
/* A minimal ELF with sections and a .symtab */

struct tsec {
	const char *name;
	uint32_t type;
	uint64_t flags, addr, size;
};

struct tsym {
	const char *name;
	uint64_t value;
	uint8_t bind, type;
	uint16_t shndx;
	uint64_t size;
};

enum {
	PROGBITS = 1, SYMTAB = 2, STRTAB = 3, NOBITS = 8,
	W = 1, A = 2, X = 4, GPREL = 0x10000000,
	LOCAL = 0, GLOBAL = 1, WEAK = 2, UNIQUE = 10,
	NOTYPE = 0, OBJECT = 1, FUNC = 2, SECTION = 3, FILE_ = 4, IFUNC = 10,
	ABS = 0xfff1, COMMON = 0xfff2,
};

struct elfbuf {
	uint8_t *p;
	size_t len;
	bool is64, be;
};

static size_t put(struct elfbuf *b, const void *data, size_t n)
{
	size_t at = b->len;

	b->p = realloc(b->p, b->len + n + 8);
	if (data)
		memcpy(b->p + at, data, n);
	else
		memset(b->p + at, 0, n);
	b->len += n;
	while (b->len % 8)
		b->p[b->len++] = 0;
	return at;
}

static uint32_t strtab_add(char *tab, size_t *len, const char *s)
{
	uint32_t at = (uint32_t)*len;

	memcpy(tab + *len, s, strlen(s) + 1);
	*len += strlen(s) + 1;
	return at;
}

static size_t put_symtab(struct elfbuf *b, const struct tsym *syms, size_t n, char *str, size_t *strlen_)
{
	size_t esz = b->is64 ? 24 : 16;
	uint8_t *v = calloc(n + 1, esz);

	for (size_t i = 0; i < n; i++) {
		uint8_t *p = v + (i + 1) * esz;
		uint32_t name = syms[i].name[0] ? strtab_add(str, strlen_, syms[i].name) : 0;
		uint8_t info = (uint8_t)(syms[i].bind << 4 | syms[i].type);
		store32(p, name, b->be);
		if (b->is64) {
			p[4] = info;
			store16(p + 6, syms[i].shndx, b->be);
			store64(p + 8, syms[i].value, b->be);
			store64(p + 16, syms[i].size, b->be);
		} else {
			store32(p + 4, (uint32_t)syms[i].value, b->be);
			store32(p + 8, (uint32_t)syms[i].size, b->be);
			p[12] = info;
			store16(p + 14, syms[i].shndx, b->be);
		}
	}
	size_t at = put(b, v, (n + 1) * esz);
	free(v);
	return at;
}

static void put_shdr(uint8_t *p, const struct elfbuf *b, uint32_t name, uint32_t type, uint64_t flags,
		     uint64_t addr, uint64_t off, uint64_t size, uint32_t link, uint64_t entsize)
{
	if (b->is64) {
		store32(p, name, b->be);
		store32(p + 4, type, b->be);
		store64(p + 8, flags, b->be);
		store64(p + 16, addr, b->be);
		store64(p + 24, off, b->be);
		store64(p + 32, size, b->be);
		store32(p + 40, link, b->be);
		store64(p + 56, entsize, b->be);
	} else {
		store32(p, name, b->be);
		store32(p + 4, type, b->be);
		store32(p + 8, (uint32_t)flags, b->be);
		store32(p + 12, (uint32_t)addr, b->be);
		store32(p + 16, (uint32_t)off, b->be);
		store32(p + 20, (uint32_t)size, b->be);
		store32(p + 24, link, b->be);
		store32(p + 36, (uint32_t)entsize, b->be);
	}
}

static void put_ehdr(struct elfbuf *b, uint16_t machine, uint64_t shoff, uint16_t shnum)
{
	uint8_t *h = b->p;

	memcpy(h, "\177ELF", 4);
	h[4] = b->is64 ? 2 : 1;
	h[5] = b->be ? 2 : 1;
	h[6] = 1;
	store16(h + 16, 2, b->be); /* ET_EXEC */
	store16(h + 18, machine, b->be);
	store32(h + 20, 1, b->be);
	if (b->is64) {
		store64(h + 40, shoff, b->be);
		store16(h + 52, 64, b->be);
		store16(h + 58, 64, b->be);
		store16(h + 60, shnum, b->be);
		store16(h + 62, (uint16_t)(shnum - 1), b->be);
	} else {
		store32(h + 32, (uint32_t)shoff, b->be);
		store16(h + 40, 52, b->be);
		store16(h + 46, 40, b->be);
		store16(h + 48, shnum, b->be);
		store16(h + 50, (uint16_t)(shnum - 1), b->be);
	}
}

/* Sections 1..nsec as given, then .symtab, .strtab, .shstrtab. */
static uint8_t *make_elf(bool is64, bool be, uint16_t machine, const struct tsec *secs, size_t nsec,
			 const struct tsym *syms, size_t nsym, size_t *ret_len)
{
	struct elfbuf b = { .is64 = is64, .be = be };
	char str[4096], shstr[1024];
	size_t str_len = 1, shstr_len = 1, shsz = is64 ? 64 : 40;
	size_t off[64];
	uint32_t names[64];

	str[0] = shstr[0] = 0;
	put(&b, NULL, is64 ? 64 : 52);
	for (size_t i = 0; i < nsec; i++) {
		names[i] = strtab_add(shstr, &shstr_len, secs[i].name);
		off[i] = secs[i].type == NOBITS ? b.len : put(&b, NULL, (size_t)secs[i].size);
		memset(b.p + off[i], 0x5a, secs[i].type == NOBITS ? 0 : (size_t)secs[i].size);
	}
	size_t symoff = put_symtab(&b, syms, nsym, str, &str_len);
	size_t stroff = put(&b, str, str_len);
	uint32_t n_sym = strtab_add(shstr, &shstr_len, ".symtab");
	uint32_t n_str = strtab_add(shstr, &shstr_len, ".strtab");
	uint32_t n_sh = strtab_add(shstr, &shstr_len, ".shstrtab");
	size_t shstroff = put(&b, shstr, shstr_len);
	uint16_t shnum = (uint16_t)(nsec + 4);
	size_t shoff = put(&b, NULL, shnum * shsz);
	memset(b.p + shoff, 0, shnum * shsz);
	for (size_t i = 0; i < nsec; i++)
		put_shdr(b.p + shoff + (i + 1) * shsz, &b, names[i], secs[i].type, secs[i].flags, secs[i].addr, off[i],
			 secs[i].size, 0, 0);
	put_shdr(b.p + shoff + (nsec + 1) * shsz, &b, n_sym, SYMTAB, 0, 0, symoff, (nsym + 1) * (is64 ? 24 : 16),
		 (uint32_t)(nsec + 2), is64 ? 24 : 16);
	put_shdr(b.p + shoff + (nsec + 2) * shsz, &b, n_str, STRTAB, 0, 0, stroff, str_len, 0, 0);
	put_shdr(b.p + shoff + (nsec + 3) * shsz, &b, n_sh, STRTAB, 0, 0, shstroff, shstr_len, 0, 0);
	put_ehdr(&b, machine, shoff, shnum);
	*ret_len = b.len;
	return b.p;
}

/* A kernel-like ELF: sections of every kind nm tells apart. */
static const struct tsec kernel_secs[] = {
	{ ".text", PROGBITS, A | X, 0xffffffff81000000ull, 0x100 },      /* 1 */
	{ ".rodata", PROGBITS, A, 0xffffffff81200000ull, 0x40 },         /* 2 */
	{ ".data", PROGBITS, A | W, 0xffffffff81400000ull, 0x40 },       /* 3 */
	{ ".bss", NOBITS, A | W, 0xffffffff81600000ull, 0x1000 },        /* 4 */
	{ ".data_nosave", PROGBITS, W, 0xffffffff81700000ull, 0 },       /* 5: ppc64 */
	{ ".comment", PROGBITS, 0, 0, 0x10 },                            /* 6 */
	{ ".debug_info", PROGBITS, 0, 0, 0x10 },                         /* 7 */
};

static const struct tsym kernel_syms[] = {
	{ "vmlinux.o", 0, LOCAL, FILE_, ABS, 0 },
	{ "", 0xffffffff81000000ull, LOCAL, SECTION, 1, 0 },
	{ "start_kernel", 0xffffffff81000040ull, GLOBAL, FUNC, 1, 0 },
	{ "_stext", 0xffffffff81000000ull, GLOBAL, NOTYPE, 1, 0 },
	{ "_text", 0xffffffff81000000ull, GLOBAL, NOTYPE, 1, 0 },
	{ "helper", 0xffffffff81000080ull, LOCAL, FUNC, 1, 0 },
	{ "weak_fn", 0xffffffff81000090ull, WEAK, FUNC, 1, 0 },
	{ "weak_obj", 0xffffffff81400010ull, WEAK, OBJECT, 3, 0 },
	{ "linux_banner", 0xffffffff81200000ull, GLOBAL, OBJECT, 2, 0 },
	{ "local_ro", 0xffffffff81200010ull, LOCAL, OBJECT, 2, 0 },
	{ "init_task", 0xffffffff81400000ull, GLOBAL, OBJECT, 3, 0 },
	{ "local_data", 0xffffffff81400020ull, LOCAL, OBJECT, 3, 0 },
	{ "zeroes", 0xffffffff81600000ull, LOCAL, OBJECT, 4, 0 },
	{ "_end", 0xffffffff81601000ull, GLOBAL, NOTYPE, 4, 0 },
	{ "__nosave_begin", 0xffffffff81700000ull, GLOBAL, NOTYPE, 5, 0 },
	{ "comment_sym", 0, LOCAL, NOTYPE, 6, 0 },
	{ "debug_sym", 0x10, LOCAL, NOTYPE, 7, 0 },
	{ "r3_offset", 0x18, LOCAL, NOTYPE, ABS, 0 },
	{ "ABS_GLOBAL", 0x100, GLOBAL, NOTYPE, ABS, 0 },
	{ "common_obj", 0x40, GLOBAL, OBJECT, COMMON, 8 }, /* value = alignment */
	{ "printk", 0, GLOBAL, FUNC, 0, 0 },
	{ "plt_called", 0xffffffff81000100ull, GLOBAL, FUNC, 0, 0 }, /* a value, but undefined */
	{ "__start_BTF", 0, WEAK, NOTYPE, 0, 0 },
	{ "weak_undef_obj", 0, WEAK, OBJECT, 0, 0 },
	{ "resolver", 0xffffffff810000a0ull, GLOBAL, IFUNC, 1, 0 },
	{ "unique_obj", 0xffffffff81400030ull, UNIQUE, OBJECT, 3, 0 },
	{ "bad_section", 0x20, LOCAL, NOTYPE, 99, 0 },
};

/* What LC_ALL=C nm -n prints for it (undefined symbols' blanks as 0). */
static const char kernel_nm[] =
	"0000000000000000 w __start_BTF\n"
	"0000000000000000 U plt_called\n"
	"0000000000000000 U printk\n"
	"0000000000000000 v weak_undef_obj\n"
	"0000000000000000 n comment_sym\n"
	"0000000000000008 C common_obj\n"
	"0000000000000010 N debug_sym\n"
	"0000000000000018 a r3_offset\n"
	"0000000000000020 a bad_section\n"
	"0000000000000100 A ABS_GLOBAL\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81000000 T _text\n"
	"ffffffff81000040 T start_kernel\n"
	"ffffffff81000080 t helper\n"
	"ffffffff81000090 W weak_fn\n"
	"ffffffff810000a0 i resolver\n"
	"ffffffff81200000 R linux_banner\n"
	"ffffffff81200010 r local_ro\n"
	"ffffffff81400000 D init_task\n"
	"ffffffff81400010 V weak_obj\n"
	"ffffffff81400020 d local_data\n"
	"ffffffff81400030 u unique_obj\n"
	"ffffffff81600000 b zeroes\n"
	"ffffffff81601000 B _end\n"
	"ffffffff81700000 ? __nosave_begin\n";

static bool table_equals_text(const struct ksyms_table *t, const char *text, int digits)
{
	char line[256];
	size_t pos = 0;
	bool ok = true;

	for (size_t i = 0; i < ksyms_table_count(t); i++) {
		struct ksyms_symbol s;
		ksyms_table_symbol(t, i, &s);
		int n = snprintf(line, sizeof(line), "%0*llx %c %s\n", digits, (unsigned long long)s.addr, s.type,
				 s.name);
		if (strncmp(text + pos, line, (size_t)n) != 0) {
			printf("# symbol %zu: got %s", i, line);
			ok = false;
			break;
		}
		pos += (size_t)n;
	}
	return ok && text[pos] == 0;
}

static void test_elf_symtab(void)
{
	size_t len;
	uint8_t *elf = make_elf(true, false, 62 /* x86_64 */, kernel_secs, sizeof(kernel_secs) / sizeof(kernel_secs[0]),
				kernel_syms, sizeof(kernel_syms) / sizeof(kernel_syms[0]), &len);
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_SYMTAB);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(elf, len, &so, &t);

	CHECK(err == NULL);
	if (err)
		printf("# %s\n", ksyms_error_message(err));
	ksyms_error_destroy(err);
	if (t) {
		CHECK(table_equals_text(t, kernel_nm, 16));
		const struct ksyms_info *i = ksyms_table_info(t);
		CHECK_EQ_U64(i->source_kind, KSYMS_SOURCE_SYMTAB);
		CHECK_STR(i->source, "ELF .symtab");
		CHECK_EQ_U64(i->word_size, 8);
		CHECK_STR(i->arch, "x86_64");
		ksyms_table_destroy(t);
		t = NULL;
	}
	/* a kernel ELF without kallsyms: detected, and its .symtab read */
	so.kind = KSYMS_SOURCE_AUTO;
	err = ksyms_table_open_mem(elf, len, &so, &t);
	CHECK(err == NULL && t && ksyms_table_info(t)->source_kind == KSYMS_SOURCE_SYMTAB);
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	free(elf);
}

/* 32-bit big-endian MIPS: small data sections give 'g' and 's'. */
static void test_elf_symtab_mips(void)
{
	static const struct tsec secs[] = {
		{ ".text", PROGBITS, A | X, 0x80100000u, 0x40 },
		{ ".sdata", PROGBITS, A | W | GPREL, 0x80200000u, 0x10 },
		{ ".sbss", NOBITS, A | W | GPREL, 0x80300000u, 0x10 },
	};
	static const struct tsym syms[] = {
		{ "_stext", 0x80100000u, GLOBAL, NOTYPE, 1, 0 },
		{ "small_global", 0x80200000u, GLOBAL, OBJECT, 2, 0 },
		{ "small_bss", 0x80300000u, LOCAL, OBJECT, 3, 0 },
	};
	size_t len;
	uint8_t *elf = make_elf(false, true, 8 /* MIPS */, secs, 3, syms, 3, &len);
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_SYMTAB);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(elf, len, &so, &t);

	CHECK(err == NULL && t);
	ksyms_error_destroy(err);
	if (t) {
		CHECK(table_equals_text(t, "80100000 T _stext\n80200000 G small_global\n80300000 s small_bss\n", 8));
		CHECK_EQ_U64(ksyms_table_info(t)->word_size, 4);
		CHECK_EQ_U64(ksyms_table_info(t)->byte_order, KSYMS_ENDIAN_BIG);
	}
	ksyms_table_destroy(t);
	free(elf);
}

/* An ELF that is not a kernel is never taken as a symbol source unasked. */
static void test_non_kernel_elf(void)
{
	static const struct tsec secs[] = { { ".text", PROGBITS, A | X, 0x401000, 0x40 } };
	static const struct tsym syms[] = { { "main", 0x401000, GLOBAL, FUNC, 1, 0 },
					    { "_start", 0x401020, GLOBAL, FUNC, 1, 0 } };
	size_t len;
	uint8_t *elf = make_elf(true, false, 62, secs, 1, syms, 2, &len);
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_AUTO);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(elf, len, &so, &t);

	CHECK(err != NULL && t == NULL);
	printf("# non-kernel ELF: %s\n", err ? ksyms_error_message(err) : "(accepted)");
	ksyms_error_destroy(err);
	/* asked for, its .symtab is read */
	so.kind = KSYMS_SOURCE_SYMTAB;
	err = ksyms_table_open_mem(elf, len, &so, &t);
	CHECK(err == NULL && t && ksyms_table_count(t) == 2);
	ksyms_error_destroy(err);
	ksyms_table_destroy(t);
	t = NULL;
	free(elf);

	/* a stripped ELF */
	elf = make_elf(true, false, 62, secs, 1, NULL, 0, &len);
	err = ksyms_table_open_mem(elf, len, &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND);
	printf("# empty .symtab: %s\n", err ? ksyms_error_message(err) : "(accepted)");
	ksyms_error_destroy(err);
	free(elf);
	/* a text list asked for as a .symtab */
	err = ksyms_table_open_mem(system_map, strlen(system_map), &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND);
	ksyms_error_destroy(err);
}

/* A truncated .symtab or strtab is an error, never a read past the end. */
static void test_elf_truncated(void)
{
	size_t len;
	uint8_t *elf = make_elf(true, false, 62, kernel_secs, sizeof(kernel_secs) / sizeof(kernel_secs[0]), kernel_syms,
				sizeof(kernel_syms) / sizeof(kernel_syms[0]), &len);
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_SYMTAB);
	size_t shoff = (size_t)load_le64(elf + 40);
	size_t nsec = sizeof(kernel_secs) / sizeof(kernel_secs[0]);
	uint8_t *symhdr = elf + shoff + (nsec + 1) * 64;

	store64(symhdr + 32, (uint64_t)len, false); /* .symtab size past the end */
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(elf, len, &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA);
	ksyms_error_destroy(err);
	free(elf);
}

/* ------------------------------------------------------------------------ */
/* Detection by content */

static void test_detect_image(void)
{
	static const struct ksyms_gen_symbol syms[] = {
		{ 0xffffffff81000000ull, "_stext", 'T' }, { 0xffffffff81000040ull, "start_kernel", 'T' },
		{ 0xffffffff81000080ull, "helper", 't' }, { 0xffffffff81001000ull, "_etext", 'T' },
	};
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = 8, .byte_order = KSYMS_ENDIAN_LITTLE,
		   .base = 0xffffffff80000000ull);
	struct ksyms_gen_result r;

	CHECK(!ksyms_layout_preset("6.4", 8, &o.layout));
	if (ksyms_generate(syms, 4, &o, &r))
		return;
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_AUTO);
	struct ksyms_table *t = NULL;
	struct ksyms_error *err = ksyms_table_open_mem(r.data, r.size, &so, &t);
	CHECK(err == NULL && t);
	if (t) {
		CHECK_EQ_U64(ksyms_table_info(t)->source_kind, KSYMS_SOURCE_KALLSYMS);
		CHECK_EQ_U64(ksyms_table_count(t), 4);
		ksyms_table_destroy(t);
	}
	ksyms_error_destroy(err);
	/* the image forced to be a text list: the first line is not one */
	so.kind = KSYMS_SOURCE_SYSTEM_MAP;
	err = ksyms_table_open_mem(r.data, r.size, &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_BAD_DATA);
	ksyms_error_destroy(err);
	ksyms_free(r.data);
}

static void test_kind_names(void)
{
	CHECK_STR(ksyms_source_kind_name(KSYMS_SOURCE_KALLSYMS), "kallsyms");
	CHECK_STR(ksyms_source_kind_name(KSYMS_SOURCE_SYMTAB), "ELF .symtab");
	CHECK_STR(ksyms_source_kind_name(KSYMS_SOURCE_SYSTEM_MAP), "System.map");
	CHECK_STR(ksyms_source_kind_name(KSYMS_SOURCE_PROC_KALLSYMS), "/proc/kallsyms");
	CHECK_STR(ksyms_source_kind_name((enum ksyms_source_kind)99), "unknown");
	/* bad options */
	struct ksyms_source_opts so = { .sz = 1 };
	struct ksyms_table *t;
	struct ksyms_error *err = ksyms_table_open_mem(system_map, strlen(system_map), &so, &t);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT);
	ksyms_error_destroy(err);
}

int main(void)
{
	test_system_map();
	test_nm_output();
	test_proc_kallsyms();
	test_kptr_restrict();
	test_malformed();
	test_crlf();
	test_empty();
	test_elf_symtab();
	test_elf_symtab_mips();
	test_non_kernel_elf();
	test_elf_truncated();
	test_detect_image();
	test_kind_names();
	return tap_done();
}
