// SPDX-License-Identifier: MIT
/*
 * The generator: its parts on tiny inputs worked out by hand (token table,
 * sort tie-breaks, filters, table bytes), then every layout preset x word
 * size x byte order x {raw, ELF} generated from a synthetic kernel-like
 * symbol list and decoded again by the library's own locator, which must
 * give back exactly the symbols the generator kept, where it put them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/endian.h"
#include "core/span.h"
#include "gen/gen.h"
#include "kallsyms/kallsyms.h"
#include "kernel/elf.h"
#include "table/table.h"

#define SYM(a, t, n) { .addr = (a), .type = (t), .name = (n) }

static struct ks_gen_list list_of(const struct ksyms_gen_symbol *s, size_t n)
{
	struct ks_gen_list l = { calloc(n, sizeof(struct ks_gen_sym)), n };

	for (size_t i = 0; i < n; i++)
		l.v[i] = (struct ks_gen_sym){ .addr = s[i].addr, .name = s[i].name, .type = s[i].type,
					      .name_len = (uint32_t)strlen(s[i].name), .seq = (uint32_t)i };
	return l;
}

static const char *token(const struct ks_gen_tokens *t, int code)
{
	return (const char *)t->table.p + t->index[code];
}

/* ------------------------------------------------------------------------ */
/* Token table */

static void test_tokens_two_symbols(void)
{
	/* "taaa", "tab": pairs aa 2 (key 0x6161), ta 2 (0x6174), ab 1.  The
	 * tie goes to the lower key: 255 = aa, then taaa = t 255 a.  Every
	 * pair count is then 1 and the lowest key wins each round:
	 * 254 = ta (0x6174), 253 = 255 a (0x61ff), 252 = 254 b (0x62fe),
	 * 251 = t 253 (0xfd74); then no pair is left. */
	static const struct ksyms_gen_symbol s[] = { SYM(0x1000, 't', "aaa"), SYM(0x2000, 't', "ab") };
	struct ks_gen_list l = list_of(s, 2);
	struct ks_gen_tokens t;

	CHECK(!ks_gen_tokens_build(&l, &t));
	CHECK_STR(token(&t, 255), "aa");
	CHECK_STR(token(&t, 254), "ta");
	CHECK_STR(token(&t, 253), "aaa");
	CHECK_STR(token(&t, 252), "tab");
	CHECK_STR(token(&t, 251), "taaa");
	CHECK_STR(token(&t, 250), "");
	CHECK_STR(token(&t, 0), "");
	CHECK_STR(token(&t, 'a'), "a");
	CHECK_STR(token(&t, 'b'), "b");
	CHECK_STR(token(&t, 't'), "t");
	CHECK(t.len[0] == 1 && t.code[t.off[0]] == 251);
	CHECK(t.len[1] == 1 && t.code[t.off[1]] == 252);
	/* index[i+1] = index[i] + strlen(token i) + 1 */
	CHECK_EQ_U64(t.index[0], 0);
	CHECK_EQ_U64(t.index['a'], 'a');
	CHECK_EQ_U64(t.index['b'], 'a' + 2);
	CHECK_EQ_U64(t.table.len, 256 + 3 + 2 + 2 + 3 + 3 + 4);
	ks_gen_tokens_free(&t);
	free(l.v);
}

static void test_tokens_no_overlap(void)
{
	/* "Taaa": aa occurs twice but overlapping: left to right gives T 255 a;
	 * then (255,a) 0x61ff < (T,255) 0xff54 */
	static const struct ksyms_gen_symbol s1[] = { SYM(0x1000, 'T', "aaa") };
	/* "Taaaa": T 255 255; then (T,255) 0xff54 < (255,255) 0xffff */
	static const struct ksyms_gen_symbol s2[] = { SYM(0x1000, 'T', "aaaa") };
	struct ks_gen_list l = list_of(s1, 1);
	struct ks_gen_tokens t;

	CHECK(!ks_gen_tokens_build(&l, &t));
	CHECK_STR(token(&t, 255), "aa");
	CHECK_STR(token(&t, 254), "aaa");
	CHECK_STR(token(&t, 253), "Taaa");
	CHECK(t.len[0] == 1 && t.code[t.off[0]] == 253);
	ks_gen_tokens_free(&t);
	free(l.v);

	l = list_of(s2, 1);
	CHECK(!ks_gen_tokens_build(&l, &t));
	CHECK_STR(token(&t, 255), "aa");
	CHECK_STR(token(&t, 254), "Taa");
	CHECK_STR(token(&t, 253), "Taaaa");
	CHECK_STR(token(&t, 252), "");
	ks_gen_tokens_free(&t);
	free(l.v);
}

/* ------------------------------------------------------------------------ */
/* Sort */

static void test_sort(void)
{
	static const struct ksyms_gen_symbol s[] = {
		SYM(0x2000, 'T', "later"),	 SYM(0x1000, 'W', "weak_b"),	 SYM(0x1000, 'T', "__start_sec"),
		SYM(0x1000, 'T', "__foo"),	 SYM(0x1000, 'w', "weak_a"),	 SYM(0x1000, 'T', "_foo"),
		SYM(0x1000, 'T', "__init_end"), SYM(0x1000, 't', "zed"),	 SYM(0x1000, 't', "abc"),
		SYM(0x0fff, 'T', "first"),
	};
	static const char *const want[] = {
		"first",
		/* non-weak, not linker-provided: by leading underscores, then input order */
		"zed", "abc", "_foo", "__foo",
		/* linker-provided: both have two underscores, input order */
		"__start_sec", "__init_end",
		/* weak last, input order */
		"weak_b", "weak_a", "later",
	};
	struct ks_gen_list l = list_of(s, KS_ARRAY_SIZE(s));

	ks_gen_sort(&l);
	for (size_t i = 0; i < l.n; i++)
		CHECK_STR(l.v[i].name, want[i]);
	free(l.v);

	CHECK(ks_gen_linker_provided("__start_", 8));
	CHECK(ks_gen_linker_provided("__stop_x", 8));
	CHECK(ks_gen_linker_provided("__end_foo", 9));
	CHECK(ks_gen_linker_provided("__bss_start", 11));
	CHECK(ks_gen_linker_provided("__init_end", 10));
	CHECK(!ks_gen_linker_provided("__x_end", 7)); /* shorter than 8 */
	CHECK(!ks_gen_linker_provided("_sdata_end", 10));
	CHECK(!ks_gen_linker_provided("__startup", 9));
}

static void test_name_order(void)
{
	/* table order: b, a@0x1010, a@0x1008 can't happen (sorted), so build
	 * the sorted list and check strcmp, then address, then index */
	static const struct ksyms_gen_symbol s[] = {
		SYM(0x1000, 'T', "b"), SYM(0x1008, 't', "a"), SYM(0x1008, 'T', "a"), SYM(0x1010, 'T', "a"),
		SYM(0x1018, 'T', "B"), SYM(0x1020, 'T', "a_"),
	};
	struct ks_gen_list l = list_of(s, KS_ARRAY_SIZE(s));
	uint32_t *seq;
	static const uint32_t want[] = { 4, 1, 2, 3, 5, 0 };

	CHECK(!ks_gen_name_order(&l, &seq));
	for (size_t i = 0; i < KS_ARRAY_SIZE(want); i++)
		CHECK_EQ_U64(seq[i], want[i]);
	free(seq);
	free(l.v);
}

/* ------------------------------------------------------------------------ */
/* Filters */

static bool ign(enum ks_gen_era era, const char *name, char type)
{
	return ks_gen_ignored(era, name, strlen(name), type);
}

static void test_ignore_lists(void)
{
	enum ks_gen_era e510 = KS_GEN_ERA_5_10, e61 = KS_GEN_ERA_6_1, e64 = KS_GEN_ERA_6_4, e70 = KS_GEN_ERA_7_0;

	/* types, every era */
	for (int e = KS_GEN_ERA_5_10; e <= KS_GEN_ERA_7_0; e++) {
		CHECK(ign((enum ks_gen_era)e, "foo", 'U'));
		CHECK(ign((enum ks_gen_era)e, "foo", 'u'));
		CHECK(ign((enum ks_gen_era)e, "foo", 'N'));
		CHECK(ign((enum ks_gen_era)e, "foo", 'n'));
		CHECK(ign((enum ks_gen_era)e, "foo", 'A'));
		CHECK(!ign((enum ks_gen_era)e, "__gp", 'A'));
		CHECK(!ign((enum ks_gen_era)e, "__kernel_sigtramp", 'A'));
		CHECK(!ign((enum ks_gen_era)e, "foo", 'T'));
		CHECK(!ign((enum ks_gen_era)e, "foo", 'W'));
		CHECK(ign((enum ks_gen_era)e, "_SDA_BASE_", 'd'));
		CHECK(ign((enum ks_gen_era)e, "foo_veneer", 't'));
		CHECK(ign((enum ks_gen_era)e, "bar_from_thumb", 't'));
		CHECK(ign((enum ks_gen_era)e, "x.long_branch.y", 't'));
		CHECK(ign((enum ks_gen_era)e, "__efistub_foo", 't'));
	}
	/* kallsyms reads raw nm output until 6.3: it keeps 'w' and drops its own tables */
	CHECK(!ign(e510, "foo", 'w'));
	CHECK(!ign(e61, "foo", 'w'));
	CHECK(ign(e64, "foo", 'w'));
	CHECK(ign(e64, "foo", 'a'));
	CHECK(ign(e510, "kallsyms_names", 'R'));
	CHECK(!ign(e510, "kallsyms_seqs_of_names", 'R'));
	CHECK(ign(e61, "kallsyms_seqs_of_names", 'R'));
	CHECK(!ign(e64, "kallsyms_names", 'R'));
	/* 6.1 moved $, .LASANPC and __crc_ out of kallsyms and narrowed __kvm_nvhe_ */
	CHECK(ign(e510, "$x", 't'));
	CHECK(!ign(e61, "$x", 't'));
	CHECK(ign(e64, "$x.12", 't'));
	CHECK(ign(e510, "__crc_foo", 'A') && ign(e510, "__crc_foo", 'T'));
	CHECK(!ign(e61, "__crc_foo", 'T'));
	CHECK(ign(e64, "__crc_foo", 'T'));
	CHECK(ign(e510, "__kvm_nvhe_foo", 't'));
	CHECK(!ign(e61, "__kvm_nvhe_foo", 't'));
	CHECK(ign(e61, "__kvm_nvhe_$x", 't'));
	CHECK(ign(e64, "__kvm_nvhe_.Ltmp", 't'));
	CHECK(ign(e61, "__kcfi_typeid_foo", 'T'));
	CHECK(!ign(e510, "__kcfi_typeid_foo", 'T'));
	CHECK(ign(e510, ".LASANPC12", 't'));
	CHECK(!ign(e61, ".LASANPC12", 't'));
	CHECK(ign(e64, ".Ltmp1", 't'));
	/* lld thunks: fixed names until 6.3, any __<alnum>*Thunk_ after */
	CHECK(ign(e510, "__AArch64ADRPThunk_foo", 't'));
	CHECK(!ign(e510, "__X86Thunk_foo", 't'));
	CHECK(ign(e64, "__X86Thunk_foo", 't'));
	CHECK(ign(e64, "__Thunk_foo", 't'));
	CHECK(!ign(e64, "__foo_Thunk_x", 't'));
	CHECK(!ign(e64, "__fooThunk", 't'));
	/* 6.4+ mksysmap only */
	CHECK(ign(e64, "L0", 't') && !ign(e61, "L0", 't'));
	CHECK(ign(e64, "__kstrtab_foo", 'r') && !ign(e61, "__kstrtab_foo", 'r'));
	CHECK(ign(e64, "__pi___kcfi_typeid_x", 't'));
	/* Debian 6.12.107's System.map and /proc/kallsyms still have __pi_$x */
	CHECK(!ign(e64, "__pi_$x", 't') && ign(e70, "__pi_$x", 't') && ign(e70, "__pi_.L1", 't'));
	/* 7.x mksysmap additions */
	CHECK(!ign(e64, "__mod_device_table__pci__foo", 'r'));
	CHECK(ign(e70, "__mod_device_table__pci__foo", 'r'));
	CHECK(ign(e70, "__UNIQUE_ID_modinfo_123", 'r'));
	CHECK(ign(e70, "__UNIQUE_ID_modinfo_", 'r'));
	CHECK(!ign(e70, "__UNIQUE_ID_modinfo_12a", 'r'));
	CHECK(!ign(e64, "__UNIQUE_ID_modinfo_123", 'r'));
}

static size_t kept_names(const struct ksyms_gen_symbol *s, size_t n, enum ks_gen_era era, bool percpu,
			 const char **out, char *types)
{
	struct ks_gen_list l = list_of(s, n);
	struct ks_gen_filter_opts f = { .era = era, .text_only = true, .absolute_percpu = percpu };
	size_t k = 0;

	struct ksyms_error *err = ks_gen_filter(&l, &f);
	if (err) {
		ksyms_error_destroy(err);
		free(l.v);
		return SIZE_MAX;
	}
	for (size_t i = 0; i < l.n; i++) {
		out[k] = l.v[i].name;
		types[k++] = l.v[i].type;
	}
	free(l.v);
	return k;
}

static void test_text_range(void)
{
	static const struct ksyms_gen_symbol s[] = {
		SYM(0x0, 'D', "__per_cpu_start"), SYM(0x40, 'D', "pcpu_var"),    SYM(0x80, 'D', "__per_cpu_end"),
		SYM(0x0fff, 'T', "_text"),	   SYM(0x1000, 'T', "_stext"),	  SYM(0x1500, 't', "foo"),
		SYM(0x2000, 'T', "_etext"),	   SYM(0x2000, 'r', "at_etext"),  SYM(0x3000, 'd', "data"),
		SYM(0x4000, 'T', "_sinittext"),   SYM(0x4100, 't', "init_fn"),	  SYM(0x5000, 'T', "_einittext"),
		SYM(0x5000, 't', "at_einittext"), SYM(0x6000, 'D', "__start_sec"), SYM(0x6008, 'D', "__stop_sec"),
	};
	const char *k[KS_ARRAY_SIZE(s)];
	char types[KS_ARRAY_SIZE(s)];

	size_t n = kept_names(s, KS_ARRAY_SIZE(s), KS_GEN_ERA_6_1, false, k, types);
	CHECK_EQ_U64(n, 6);
	if (n == 6) {
		CHECK_STR(k[0], "_stext");
		CHECK_STR(k[1], "foo");
		CHECK_STR(k[2], "_etext");
		CHECK_STR(k[3], "_sinittext");
		CHECK_STR(k[4], "init_fn");
		CHECK_STR(k[5], "_einittext");
	}
	/* 6.4+ keeps __start_ and __stop_ whatever the range */
	n = kept_names(s, KS_ARRAY_SIZE(s), KS_GEN_ERA_6_4, false, k, types);
	CHECK_EQ_U64(n, 8);
	if (n == 8) {
		CHECK_STR(k[6], "__start_sec");
		CHECK_STR(k[7], "__stop_sec");
	}
	/* the per-cpu range is recorded before the range rule drops it */
	n = kept_names(s, KS_ARRAY_SIZE(s), KS_GEN_ERA_5_10, true, k, types);
	CHECK_EQ_U64(n, 6);
	CHECK(memchr(types, 'A', n) == NULL);

	/* no _stext: refused rather than an empty table */
	CHECK_EQ_U64(kept_names(s + 8, 4, KS_GEN_ERA_6_4, false, k, types), SIZE_MAX);
}

static void test_percpu(void)
{
	static const struct ksyms_gen_symbol s[] = {
		SYM(0x0, 'D', "__per_cpu_start"), SYM(0x40, 'd', "pcpu_var"), SYM(0x80, 'D', "__per_cpu_end"),
		SYM(0x81, 'D', "after"),	   SYM(0x1000, 'T', "_stext"),
	};
	struct ks_gen_list l = list_of(s, KS_ARRAY_SIZE(s));
	struct ks_gen_filter_opts f = { .era = KS_GEN_ERA_6_4, .ignore_lists = true, .absolute_percpu = true };

	CHECK(!ks_gen_filter(&l, &f));
	CHECK_EQ_U64(l.n, 5);
	for (size_t i = 0; i < l.n; i++) {
		bool in = i < 3;
		CHECK(l.v[i].percpu == in && (l.v[i].type == 'A') == in);
	}
	free(l.v);
	l = list_of(s + 3, 2);
	struct ksyms_error *err = ks_gen_filter(&l, &f);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT); /* no __per_cpu_start */
	ksyms_error_destroy(err);
	free(l.v);
}

/* ------------------------------------------------------------------------ */
/* Table bytes, worked out by hand */

static struct ksyms_gen_result gen3(const char *layout, int word, enum ksyms_byte_order bo)
{
	/* "Tb" "ta" "Ta": every pair once; 255 = Ta (0x6154), 254 = ta
	 * (0x6174), 253 = Tb (0x6254).  Name order: a@1008, a@1010, b. */
	static const struct ksyms_gen_symbol s[] = { SYM(0x1000, 'T', "b"), SYM(0x1008, 't', "a"),
						     SYM(0x1010, 'T', "a") };
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = word, .byte_order = bo, .base = 0x100000);
	struct ksyms_gen_result r = { 0 };
	struct ksyms_error *err = ksyms_layout_preset(layout, word, &o.layout);

	if (!err)
		err = ksyms_generate(s, 3, &o, &r);
	CHECK(err == NULL);
	ksyms_error_destroy(err);
	return r;
}

static bool bytes_at(const struct ksyms_gen_result *r, uint64_t off, const void *want, size_t n)
{
	struct span d = span_make(r->data, r->size, 0);
	bool ok = span_eq(d, (size_t)off, want, n);

	if (!ok)
		printf("# bytes at 0x%llx differ\n", (unsigned long long)off);
	return ok;
}

static void check_token_table(const struct ksyms_gen_result *r, bool be)
{
	const uint8_t *tt = (const uint8_t *)r->data + r->tables[KSYMS_TAB_TOKEN_TABLE].offset;
	const uint8_t *ti = (const uint8_t *)r->data + r->tables[KSYMS_TAB_TOKEN_INDEX].offset;

	/* 256 strings, 4 real bytes (T a b t) and 3 pairs */
	CHECK_EQ_U64(r->tables[KSYMS_TAB_TOKEN_TABLE].size, 256 + 4 + 6);
	CHECK_EQ_U64(load16(ti, be), 0);
	CHECK_EQ_U64(load16(ti + 2 * 'T', be), 'T');
	CHECK_EQ_U64(load16(ti + 2 * 'a', be), 'a' + 1);
	CHECK_EQ_U64(load16(ti + 2 * 255, be), 256 + 4 + 4 - 1);
	CHECK_STR((const char *)tt + load16(ti + 2 * 253, be), "Tb");
	CHECK_STR((const char *)tt + load16(ti + 2 * 254, be), "ta");
	CHECK_STR((const char *)tt + load16(ti + 2 * 255, be), "Ta");
}

static void test_bytes_64le(void)
{
	/* 6.4, 64-bit little-endian: everything .balign 8 from 0x1000 */
	struct ksyms_gen_result r = gen3("6.4", 8, KSYMS_ENDIAN_LITTLE);
	static const uint8_t num_syms[8] = { 3, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t names[8] = { 1, 0xfd, 1, 0xfe, 1, 0xff, 0, 0 };
	static const uint8_t offsets[16] = { 0, 0, 0, 0, 8, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t relbase[8] = { 0, 0x10, 0, 0, 0, 0, 0, 0 };
	static const uint8_t seqs[9] = { 0, 0, 1, 0, 0, 2, 0, 0, 0 };

	if (!r.data)
		return;
	CHECK_EQ_U64(r.tables[KSYMS_TAB_NUM_SYMS].offset, 0x1000);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_NAMES].offset, 0x1008);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_NAMES].size, 6);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_MARKERS].offset, 0x1010);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_TOKEN_TABLE].offset, 0x1018);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_TOKEN_INDEX].offset, 0x1128);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_OFFSETS].offset, 0x1328);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_RELATIVE_BASE].offset, 0x1338);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_SEQS_OF_NAMES].offset, 0x1340);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_SEQS_OF_NAMES].address, 0x101340);
	CHECK(!r.tables[KSYMS_TAB_ADDRESSES].present);
	CHECK(bytes_at(&r, 0x1000, num_syms, 8));
	CHECK(bytes_at(&r, 0x1008, names, 8));
	CHECK(bytes_at(&r, 0x1010, "\0\0\0\0\0\0\0\0", 8));
	CHECK(bytes_at(&r, 0x1328, offsets, 16));
	CHECK(bytes_at(&r, 0x1338, relbase, 8));
	CHECK(bytes_at(&r, 0x1340, seqs, 9));
	check_token_table(&r, false);
	ksyms_free(r.data);
}

static void test_bytes_32be(void)
{
	/* 6.2, 32-bit big-endian: offsets first, seqs between markers and
	 * token_table, .balign 4 */
	struct ksyms_gen_result r = gen3("6.2", 4, KSYMS_ENDIAN_BIG);
	static const uint8_t head[0x1c] = {
		0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0x10,	/* offsets */
		0, 0, 0x10, 0,				/* relative_base */
		0, 0, 0, 3,				/* num_syms */
		1, 0xfd, 1, 0xfe, 1, 0xff, 0, 0,	/* names, padding */
	};
	static const uint8_t markers_seqs[16] = { 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0 };

	if (!r.data)
		return;
	CHECK_EQ_U64(r.tables[KSYMS_TAB_OFFSETS].offset, 0x1000);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_RELATIVE_BASE].offset, 0x100c);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_NUM_SYMS].offset, 0x1010);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_NAMES].offset, 0x1014);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_MARKERS].offset, 0x101c);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_SEQS_OF_NAMES].offset, 0x1020);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_TOKEN_TABLE].offset, 0x102c);
	CHECK_EQ_U64(r.tables[KSYMS_TAB_TOKEN_INDEX].offset, 0x102c + 268);
	CHECK(bytes_at(&r, 0x1000, head, sizeof(head)));
	CHECK(bytes_at(&r, 0x101c, markers_seqs, sizeof(markers_seqs)));
	check_token_table(&r, true);
	ksyms_free(r.data);
}

static void test_bytes_percpu_pcrel(void)
{
	static const struct ksyms_gen_symbol s[] = {
		SYM(0x0, 'D', "__per_cpu_start"), SYM(0x40, 'D', "pcpu"), SYM(0x80, 'D', "__per_cpu_end"),
		SYM(0xffffffff81000000ull, 'T', "_text"), SYM(0xffffffff81000100ull, 'T', "f"),
	};
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = 8, .byte_order = KSYMS_ENDIAN_LITTLE,
		   .base = 0xffffffff81000000ull, .absolute_percpu = true);
	struct ksyms_gen_result r = { 0 };

	CHECK(!ksyms_layout_preset("5.10-percpu", 8, &o.layout));
	CHECK(!ksyms_generate(s, KS_ARRAY_SIZE(s), &o, &r));
	if (r.data) {
		/* per-cpu values as they are, the others relative_base - 1 - addr */
		const uint8_t *p = (const uint8_t *)r.data + r.tables[KSYMS_TAB_OFFSETS].offset;
		CHECK_EQ_U64(load_le32(p), 0);
		CHECK_EQ_U64(load_le32(p + 4), 0x40);
		CHECK_EQ_U64(load_le32(p + 8), 0x80);
		CHECK_EQ_U64(load_le32(p + 12), 0xffffffff);
		CHECK_EQ_U64(load_le32(p + 16), (uint32_t)-0x101);
		CHECK_EQ_U64(load_le64((const uint8_t *)r.data + r.tables[KSYMS_TAB_RELATIVE_BASE].offset),
			     0xffffffff81000000ull);
		ksyms_free(r.data);
	}

	/* 7.0: target - &entry */
	o.absolute_percpu = false;
	CHECK(!ksyms_layout_preset("7.0", 8, &o.layout));
	CHECK(!ksyms_generate(s + 3, 2, &o, &r));
	if (r.data) {
		uint64_t off = r.tables[KSYMS_TAB_OFFSETS].offset;
		const uint8_t *p = (const uint8_t *)r.data + off;
		CHECK_EQ_U64(load_le32(p), (uint32_t)-(int64_t)off);
		CHECK_EQ_U64(load_le32(p + 4), (uint32_t)(0x100 - (int64_t)off - 4));
		CHECK(!r.tables[KSYMS_TAB_RELATIVE_BASE].present);
		CHECK_EQ_U64(off % 4, 0);
		ksyms_free(r.data);
	}
}

/* ------------------------------------------------------------------------ */
/* Refusals */

static bool refused(const struct ksyms_gen_symbol *s, size_t n, const struct ksyms_gen_opts *o, const char *what)
{
	struct ksyms_gen_result r = { 0 };
	struct ksyms_error *err = ksyms_generate(s, n, o, &r);
	bool ok = err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT && !r.data;

	printf("# %s: %s\n", what, err ? ksyms_error_message(err) : "(accepted)");
	ksyms_error_destroy(err);
	ksyms_free(r.data);
	return ok;
}

static void test_refusals(void)
{
	static char long_name[600];
	static const struct ksyms_gen_symbol ok[] = { SYM(0xffffffff81000000ull, 'T', "_text"),
						      SYM(0xffffffff81000010ull, 'T', "f") };
	struct ksyms_gen_symbol s[2] = { ok[0], ok[1] };
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = 8, .byte_order = KSYMS_ENDIAN_LITTLE,
		   .base = 0xffffffff81000000ull);
	struct ksyms_gen_result r;

	CHECK(!ksyms_layout_preset("6.4", 8, &o.layout));
	CHECK(!ksyms_generate(ok, 2, &o, &r));
	ksyms_free(r.data);
	CHECK(refused(ok, 0, &o, "no symbols"));
	CHECK(refused(NULL, 2, &o, "NULL symbols"));
	CHECK(refused(ok, 2, NULL, "no options"));

	memset(long_name, 'x', 512);
	s[1].name = long_name; /* 512 characters: KSYM_NAME_LEN */
	CHECK(refused(s, 2, &o, "512-character name"));
	long_name[511] = 0;
	CHECK(!ksyms_generate(s, 2, &o, &r));
	ksyms_free(r.data);
	long_name[128] = 0;
	CHECK(!ksyms_layout_preset("5.10", 8, &o.layout));
	CHECK(refused(s, 2, &o, "128 characters before 6.1"));
	long_name[127] = 0;
	CHECK(!ksyms_generate(s, 2, &o, &r));
	ksyms_free(r.data);

	s[1] = ok[1];
	s[1].type = ' ';
	CHECK(refused(s, 2, &o, "type ' '"));
	s[1].type = '\x80';
	CHECK(refused(s, 2, &o, "type 0x80"));
	/* nm's '?' (ppc __nosave_begin) is stored as is */
	s[1].type = '?';
	CHECK(!ksyms_generate(s, 2, &o, &r));
	ksyms_free(r.data);
	s[1] = ok[1];
	s[1].name = "";
	CHECK(refused(s, 2, &o, "empty name"));

	/* u32 offsets: 4 GiB above the lowest symbol */
	s[1] = ok[1];
	s[1].addr = ok[0].addr + 0x100000000ull;
	CHECK(refused(s, 2, &o, "relative offset overflow"));
	CHECK(!ksyms_layout_preset("6.4-absolute", 8, &o.layout));
	CHECK(!ksyms_generate(s, 2, &o, &r));
	ksyms_free(r.data);
	/* s32 place-relative offsets */
	CHECK(!ksyms_layout_preset("7.0", 8, &o.layout));
	s[1].addr = ok[0].addr + 0x90000000ull;
	CHECK(refused(s, 2, &o, "pc-relative offset overflow"));
	s[1].addr = ok[0].addr + 0x7fff0000ull;
	CHECK(!ksyms_generate(s, 2, &o, &r));
	ksyms_free(r.data);
	/* 32-bit kernels */
	o.word_size = 4;
	o.base = 0xc0000000;
	CHECK(!ksyms_layout_preset("7.0-abs32", 4, &o.layout));
	CHECK(refused(ok, 2, &o, "64-bit address in a 32-bit kernel"));
	o.word_size = 8;
	CHECK(refused(ok, 2, &o, "absolute32 with 8-byte words"));

	/* per-cpu: values above S32_MAX, and the flag with a layout without it */
	static const struct ksyms_gen_symbol pc[] = {
		SYM(0x0, 'D', "__per_cpu_start"), SYM(0x80000000ull, 'D', "big"),
		SYM(0x80000001ull, 'D', "__per_cpu_end"), SYM(0xffffffff81000000ull, 'T', "_text"),
	};
	o.base = 0xffffffff81000000ull;
	o.absolute_percpu = true;
	CHECK(!ksyms_layout_preset("6.4-percpu", 8, &o.layout));
	CHECK(refused(pc, 4, &o, "per-cpu offset above S32_MAX"));
	CHECK(!ksyms_layout_preset("6.4", 8, &o.layout));
	CHECK(refused(pc, 4, &o, "absolute per-cpu with unsigned offsets"));
	o.absolute_percpu = false;

	/* options */
	o.byte_order = KSYMS_ENDIAN_AUTO;
	CHECK(refused(ok, 2, &o, "byte order auto"));
	o.byte_order = KSYMS_ENDIAN_BIG;
	o.word_size = 2;
	CHECK(refused(ok, 2, &o, "word size 2"));
	o.word_size = 8;
	o.banner = "Linux version\n6";
	CHECK(refused(ok, 2, &o, "banner with a newline"));
	o.banner = NULL;
	o.layout.seqs = KSYMS_SEQS_AFTER_MARKERS;
	CHECK(refused(ok, 2, &o, "seqs after markers in the 6.4 order"));
	o.layout.seqs = KSYMS_SEQS_AFTER_ADDRESSES;
	o.layout.align = 16;
	CHECK(refused(ok, 2, &o, "align 16"));
	o.layout.align = 8;
	struct {
		struct ksyms_gen_opts o;
		uint64_t newer_field;
	} newer;
	memset(&newer, 0, sizeof(newer));
	newer.o = o;
	newer.o.sz = sizeof(newer);
	CHECK(!ksyms_generate(ok, 2, &newer.o, &r)); /* a zero tail from a newer caller */
	ksyms_free(r.data);
	newer.newer_field = 1;
	CHECK(refused(ok, 2, &newer.o, "options from a newer library"));
	o.sz = 1;
	CHECK(refused(ok, 2, &o, "options without a size"));
	o.sz = sizeof(o);
	/* everything filtered away */
	static const struct ksyms_gen_symbol und[] = { SYM(0, 'U', "printk") };
	o.filter = true;
	CHECK(refused(und, 1, &o, "all filtered"));
}

/* ------------------------------------------------------------------------ */
/* Round trips through the decoder */

/* A kernel-like symbol list: text, init text, rodata, data, bss, with
 * aliases (weak, linker-provided, underscored), __start_/__stop_ pairs,
 * symbols the filters drop, optionally a per-cpu area at 0 (x86-64), and
 * a 300-character name that no token compresses much. */
struct synth {
	struct ksyms_gen_symbol *v;
	size_t n, cap;
	char *pool;
	size_t pool_len, pool_cap;
	uint32_t rng;
};

static uint32_t rnd(struct synth *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 17;
	s->rng ^= s->rng << 5;
	return s->rng;
}

/* Names are stored as offsets until the pool stops moving. */
static void add(struct synth *s, uint64_t addr, char type, const char *name)
{
	size_t len = strlen(name) + 1;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
	}
	if (s->pool_len + len > s->pool_cap) {
		s->pool_cap = (s->pool_cap + len) * 2;
		s->pool = realloc(s->pool, s->pool_cap);
	}
	memcpy(s->pool + s->pool_len, name, len);
	s->v[s->n++] = (struct ksyms_gen_symbol){ .addr = addr, .type = type,
						  .name = (const char *)(uintptr_t)s->pool_len };
	s->pool_len += len;
}

static void fix_names(struct synth *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->v[i].name = s->pool + (uintptr_t)s->v[i].name;
}

static void make_name(struct synth *s, char *buf, size_t size)
{
	static const char *const words[] = {
		"ext4", "do", "sys", "read", "write", "page", "alloc", "free", "lock", "unlock", "init", "exit",
		"irq", "dev", "net", "sock", "tcp", "udp", "mm", "vma", "fault", "sched", "task", "cpu", "mutex",
		"spin", "rcu", "work", "queue", "timer", "blk", "bio", "inode", "dentry", "file", "open", "mmap",
		"ioctl", "pci", "usb", "drm", "kvm", "bpf", "trace", "event", "perf", "cgroup", "xfs", "nfs", "crypto",
	};
	static const char *const tails[] = { "", "", "", "", ".constprop.0", ".isra.0", ".cold", ".part.0" };
	size_t n = 0;
	int parts = 1 + (int)(rnd(s) % 4);

	buf[0] = 0;
	if (rnd(s) % 8 == 0)
		n += (size_t)snprintf(buf + n, size - n, "__");
	for (int i = 0; i < parts; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "_" : "", words[rnd(s) % KS_ARRAY_SIZE(words)]);
	if (rnd(s) % 3 == 0)
		n += (size_t)snprintf(buf + n, size - n, "%u", rnd(s) % 1000);
	snprintf(buf + n, size - n, "%s", tails[rnd(s) % KS_ARRAY_SIZE(tails)]);
}

/* Aliases at the same address exercise every sort tie-break. */
static void add_alias(struct synth *s, uint64_t addr, char type, const char *name)
{
	char buf[256];

	switch (rnd(s) % 5) {
	case 0:
		snprintf(buf, sizeof(buf), "_%s", name);
		add(s, addr, type, buf);
		break;
	case 1:
		snprintf(buf, sizeof(buf), "%s_alias", name);
		add(s, addr, 'W', buf);
		break;
	case 2:
		snprintf(buf, sizeof(buf), "__%s_end", name);
		add(s, addr, type, buf);
		break;
	case 3:
		snprintf(buf, sizeof(buf), "%s_weak", name);
		add(s, addr, 'w', buf);
		break;
	default:
		add(s, addr, type, name); /* a duplicated static name */
		break;
	}
}

static void add_region(struct synth *s, uint64_t *addr, size_t count, const char *types)
{
	char name[256];

	for (size_t i = 0; i < count; i++) {
		char type = types[rnd(s) % strlen(types)];
		make_name(s, name, sizeof(name));
		add(s, *addr, type, name);
		if (rnd(s) % 10 == 0)
			add_alias(s, *addr, type, name);
		*addr += 4 * (1 + rnd(s) % 64);
	}
}

static void synth_build(struct synth *s, unsigned word, bool percpu, bool long_name)
{
	uint64_t text = word == 8 ? 0xffffffff81000000ull : 0xc1000000ull;
	uint64_t a = text;
	char name[320];

	memset(s, 0, sizeof(*s));
	s->rng = 0x9e3779b9u;
	if (percpu) {
		uint64_t p = 0;
		add(s, p, 'D', "__per_cpu_start");
		for (int i = 0; i < 40; i++, p += 0x40) {
			snprintf(name, sizeof(name), "pcpu_var_%d", i);
			add(s, p, i % 3 ? 'd' : 'D', name);
		}
		add(s, p, 'D', "__per_cpu_end");
	}
	add(s, a, 'T', "_text");
	add(s, a, 't', "$x");
	a += 0x1000;
	add(s, a, 'T', "_stext");
	add_region(s, &a, 1500, "tTtTtW");
	if (long_name) {
		/* no pair repeats inside it, and the free codes are gone by then */
		for (int i = 0; i < 300; i++)
			name[i] = "qzjxkvQZJXKV0123456789"[rnd(s) % 22];
		name[300] = 0;
		add(s, a, 'T', name);
		a += 0x40;
	}
	add(s, a, 't', "foo_veneer");
	add(s, a, 'T', "_etext");
	a += 0x1000;
	add(s, a, 'T', "_sinittext");
	add_region(s, &a, 300, "tT");
	add(s, a, 'T', "_einittext");
	a += 0x1000;
	add(s, a, 'D', "__start___tracepoints_ptrs");
	add_region(s, &a, 600, "rRdDbBV");
	add(s, a, 'D', "__stop___tracepoints_ptrs");
	add(s, a, 'A', "__crc_something");
	add(s, 0, 'U', "undefined_thing");
	add(s, a, 'B', "_end");
	fix_names(s);
}

static void synth_free(struct synth *s)
{
	free(s->v);
	free(s->pool);
}

struct variant {
	const char *layout;
	int word;
	bool be, elf;
};

static void describe(const struct variant *v, char *buf, size_t size)
{
	snprintf(buf, size, "%s %d-bit %s %s", v->layout, v->word * 8, v->be ? "BE" : "LE", v->elf ? "ELF" : "raw");
}

/* Every decoded symbol equals the kept one at the same position. */
static bool same_symbols(const struct ksyms_table *tab, const struct ks_gen_list *kept)
{
	if (ksyms_table_count(tab) != kept->n) {
		printf("# decoded %zu symbols, kept %zu\n", ksyms_table_count(tab), kept->n);
		return false;
	}
	for (size_t i = 0; i < kept->n; i++) {
		struct ksyms_symbol s;
		const struct ks_gen_sym *k = &kept->v[i];
		if (!ksyms_table_symbol(tab, i, &s) || s.addr != k->addr || s.type != k->type ||
		    strcmp(s.name, k->name) != 0) {
			printf("# symbol %zu: decoded %llx %c %s, kept %llx %c %s\n", i, (unsigned long long)s.addr,
			       s.type, s.name, (unsigned long long)k->addr, k->type, k->name);
			return false;
		}
	}
	return true;
}

static void print_layout(const char *what, const struct ksyms_layout *l)
{
	printf("# %s: %s, %s, seqs %s/%u, len %u, markers %u, num_syms %u, align %u\n", what,
	       ksyms_addr_mode_name(l->addr_mode), ksyms_table_order_name(l->order), ksyms_seqs_pos_name(l->seqs),
	       l->seqs_entry_size, l->name_len_bytes, l->marker_size, l->num_syms_size, l->align);
}

/* A 32-bit 7.0 absolute32 table is byte for byte a 32-bit names-first
 * kallsyms_addresses (both u32 addresses, .balign 4): the decoder may
 * name either. */
static bool abs32_alias(const struct ksyms_layout *decoded, const struct ksyms_gen_opts *o)
{
	return o->word_size == 4 && o->layout.order == KSYMS_ORDER_NAMES_FIRST &&
	       (o->layout.addr_mode == KSYMS_ADDR_ABSOLUTE || o->layout.addr_mode == KSYMS_ADDR_ABSOLUTE32) &&
	       (decoded->addr_mode == KSYMS_ADDR_ABSOLUTE || decoded->addr_mode == KSYMS_ADDR_ABSOLUTE32);
}

static bool same_layout(const struct ksyms_layout *a, const struct ksyms_gen_opts *o)
{
	const struct ksyms_layout *b = &o->layout;
	bool same = (a->addr_mode == b->addr_mode || abs32_alias(a, o)) && a->order == b->order && a->seqs == b->seqs &&
		    a->name_len_bytes == b->name_len_bytes && a->marker_size == b->marker_size &&
		    a->num_syms_size == b->num_syms_size && a->align == b->align &&
		    a->seqs_entry_size == b->seqs_entry_size;

	if (!same) {
		print_layout("decoded", a);
		print_layout("written", b);
	}
	return same;
}

/* With @swap, the decoder's kallsyms_addresses is our kallsyms_offsets. */
static enum ksyms_table_id written_id(int id, bool swap)
{
	if (swap && id == KSYMS_TAB_ADDRESSES)
		return KSYMS_TAB_OFFSETS;
	if (swap && id == KSYMS_TAB_OFFSETS)
		return KSYMS_TAB_ADDRESSES;
	return (enum ksyms_table_id)id;
}

static bool same_tables(const struct ksyms_info *info, const struct ksyms_gen_result *r, bool addresses,
			bool swap)
{
	for (int id = 0; id < KSYMS_TAB_COUNT; id++) {
		const struct ksyms_table_loc *d = &info->tables[id], *g = &r->tables[written_id(id, swap)];
		if (d->present != g->present || d->offset != g->offset || d->size != g->size ||
		    (addresses && d->address != g->address)) {
			printf("# %s: decoded %d at 0x%llx (%llx, %llu bytes), "
			       "written %d at 0x%llx (%llx, %llu bytes)\n",
			       ksyms_table_id_name(id), d->present, (unsigned long long)d->offset,
			       (unsigned long long)d->address, (unsigned long long)d->size, g->present,
			       (unsigned long long)g->offset, (unsigned long long)g->address,
			       (unsigned long long)g->size);
			return false;
		}
	}
	return true;
}

/* The stored length of kept symbol @target: the 2-byte ULEB128 form,
 * walked by hand from the start of kallsyms_names. */
static bool long_length_at(const struct ksyms_gen_result *r, size_t target)
{
	struct span d = span_make(r->data, r->size, 0);
	size_t pos = (size_t)r->tables[KSYMS_TAB_NAMES].offset;

	for (size_t i = 0;; i++) {
		uint8_t b0, b1 = 0;
		if (!span_u8(d, pos, &b0) || ((b0 & 0x80) && !span_u8(d, pos + 1, &b1)))
			return false;
		size_t len = b0 & 0x80 ? (size_t)(b0 & 0x7f) | (size_t)b1 << 7 : b0;
		if (i == target)
			return (b0 & 0x80) && len >= 0x80;
		pos += (b0 & 0x80 ? 2 : 1) + len;
	}
}

static void check_elf(const struct ksyms_gen_result *r, const struct variant *v, uint64_t base)
{
	struct ks_elf e;
	struct ks_elf_phdr ph;
	struct ksyms_error *err = ks_elf_parse(span_make(r->data, r->size, 0), &e);

	CHECK(!err && e.is64 == (v->word == 8) && e.be == v->be && e.phnum == 1 && e.type == 2);
	ksyms_error_destroy(err);
	/* the synthetic names carry no architecture: the default per class */
	CHECK(e.machine == (v->word == 8 ? (v->be ? 21 : 62) : (v->be ? 20 : 3)));
	CHECK(ks_elf_phdr(&e, 0, &ph) && ph.type == 1 && ph.offset == 0 && ph.vaddr == base &&
	      ph.filesz == r->size && ph.memsz == r->size);
}

/* Decode @r with the library and compare everything with what was
 * written; print the first difference. */
static bool decodes_exactly(const struct ksyms_gen_result *r, const struct ksyms_gen_opts *o,
			    const struct ks_gen_list *kept, const struct ksyms_find_opts *find)
{
	struct ksyms_image *img = NULL;
	struct ksyms_table *tab = NULL;
	struct ksyms_error *err = ksyms_image_open_mem(r->data, r->size, NULL, &img);
	bool ok = false;

	if (!err)
		err = ksyms_table_from_image(img, find, &tab);
	if (err) {
		printf("# decode: %s\n", ksyms_error_message(err));
		ksyms_error_destroy(err);
	} else {
		const struct ksyms_info *info = ksyms_table_info(tab);
		bool addresses = o->elf || find->has_base;
		ok = same_symbols(tab, kept) && same_layout(&info->layout, o) &&
		     same_tables(info, r, addresses, info->layout.addr_mode != o->layout.addr_mode) &&
		     info->word_size == o->word_size && info->byte_order == o->byte_order &&
		     info->num_syms == kept->n &&
		     (o->layout.name_len_bytes == 1 || info->long_names_seen) && info->banner &&
		     strncmp(info->banner, "Linux version 0.0.0-ksyms-gen", 29) == 0;
		if (!ok)
			printf("# info: %d-bit, byte order %d, %llu symbols, long names %d, banner %s\n",
			       info->word_size * 8, info->byte_order, (unsigned long long)info->num_syms,
			       info->long_names_seen, info->banner ? info->banner : "(none)");
	}
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	return ok;
}

static bool same_checks(const struct ksyms_info *a, const struct ksyms_info *b)
{
	if (a->num_checks != b->num_checks || a->addresses_verified != b->addresses_verified ||
	    a->base_known != b->base_known || a->base != b->base || a->num_syms != b->num_syms ||
	    (a->arch != b->arch && (!a->arch || !b->arch || strcmp(a->arch, b->arch) != 0)))
		return false;
	for (size_t k = 0; k < a->num_checks; k++)
		if (a->checks[k].held != b->checks[k].held || strcmp(a->checks[k].name, b->checks[k].name) != 0 ||
		    strcmp(a->checks[k].detail, b->checks[k].detail) != 0)
			return false;
	return true;
}

/* Every packed name reads as the kept one through each accessor, and as
 * it after ks_table_unpack(). */
static bool packed_names_read(struct ksyms_table *t, const struct ks_gen_list *kept)
{
	char buf[KS_NAME_BUF], longer[KS_NAME_BUF + 2];
	size_t packed = 0;

	for (size_t i = 0; i < kept->n; i++) {
		const char *want = kept->v[i].name;
		size_t n = strlen(want);
		packed += ks_name_packed(t, i);
		snprintf(longer, sizeof(longer), "%s_", want);
		if (ks_table_name_copy(t, i, buf) != n || strcmp(buf, want) != 0 || !ks_table_name_eq(t, i, want, n) ||
		    ks_table_name_eq(t, i, want, n - 1) || ks_table_name_eq(t, i, longer, n + 1) ||
		    ks_table_name_first(t, i) != want[0] || t->type[i] != kept->v[i].type) {
			printf("# packed symbol %zu: '%s' reads as '%s'\n", i, want, buf);
			return false;
		}
	}
	if (t->packed && packed + t->nlandmarks != kept->n) {
		printf("# %zu packed names and %zu landmarks of %zu\n", packed, t->nlandmarks, kept->n);
		return false;
	}
	if (!ks_table_unpack(t) || t->packed)
		return false;
	for (size_t i = 0; i < kept->n; i++)
		if (strcmp(t->pool + t->name[i], kept->v[i].name) != 0 || t->pool[t->name[i] - 1] != t->type[i])
			return false;
	return true;
}

/* Decoded for its facts only (ksyms_find_opts.info_only), @r gives the
 * same facts and landmarks as fully, lists no symbols, and keeps every
 * name readable while the image is open.  The names stay packed when the
 * architecture is known (an ELF's header); otherwise it is guessed from
 * every name, which expands them all (@packed false). */
static bool facts_only_same(const struct ksyms_gen_result *r, const struct ks_gen_list *kept,
			    const struct ksyms_find_opts *find, bool packed)
{
	struct ksyms_find_opts fo = *find;
	struct ksyms_image *img = NULL;
	struct ksyms_table *full = NULL, *facts = NULL;
	struct ksyms_symbol s;
	size_t pos;
	bool ok = false;

	fo.info_only = true;
	struct ksyms_error *err = ksyms_image_open_mem(r->data, r->size, NULL, &img);
	if (!err)
		err = ksyms_table_from_image(img, find, &full);
	if (!err)
		err = ksyms_table_from_image(img, &fo, &facts);
	if (err) {
		printf("# decode: %s\n", ksyms_error_message(err));
		ksyms_error_destroy(err);
	} else {
		ok = ksyms_table_count(facts) == 0 && !ksyms_table_symbol(facts, 0, &s) &&
		     ksyms_table_lookup_name(facts, "_text", &pos) == 0 && !facts->packed == !packed &&
		     same_checks(ksyms_table_info(full), ksyms_table_info(facts)) && facts->landmarks &&
		     full->nlandmarks == facts->nlandmarks && full->nlandmarks > 0 &&
		     memcmp(full->landmarks, facts->landmarks, full->nlandmarks * sizeof(*full->landmarks)) == 0 &&
		     packed_names_read(facts, kept);
	}
	ksyms_table_destroy(full);
	ksyms_table_destroy(facts);
	ksyms_image_destroy(img);
	return ok;
}

static void roundtrip(const struct variant *v, const struct synth *syn, const struct ksyms_gen_opts *base_opts)
{
	struct ksyms_gen_opts o = *base_opts;
	struct ks_gen_list kept = { 0 };
	struct ksyms_gen_result r = { 0 }, r2 = { 0 };
	KSYMS_OPTS(ksyms_find_opts, find, .word_size = 0);
	char what[96];

	describe(v, what, sizeof(what));
	printf("# %s\n", what);
	CHECK(!ks_gen_prepare(syn->v, syn->n, &o, &kept));
	CHECK(!ksyms_generate(syn->v, syn->n, &o, &r));
	CHECK(r.num_syms == kept.n && kept.n > 2000);
	/* the same input gives the same bytes */
	CHECK(!ksyms_generate(syn->v, syn->n, &o, &r2) && r2.size == r.size && memcmp(r.data, r2.data, r.size) == 0);
	ksyms_free(r2.data);
	if (o.layout.addr_mode == KSYMS_ADDR_PC_RELATIVE && !o.elf) {
		/* the one documented hint: a raw image does not say where it is */
		find.has_base = true;
		find.base = o.base;
	}
	CHECK(decodes_exactly(&r, &o, &kept, &find));
	CHECK(facts_only_same(&r, &kept, &find, o.elf));
	/* told the word size, the decoder reads it the same way */
	find.word_size = o.word_size;
	CHECK(decodes_exactly(&r, &o, &kept, &find));
	if (o.layout.name_len_bytes == 2) {
		size_t i = 0;
		while (i < kept.n && kept.v[i].name_len != 300)
			i++;
		CHECK(i < kept.n && long_length_at(&r, i));
	}
	if (o.elf)
		check_elf(&r, v, o.base);
	ksyms_free(r.data);
	free(kept.v);
}

static void test_roundtrips(void)
{
	const char *const *names = ksyms_layout_preset_names();

	for (size_t p = 0; names[p]; p++) {
		for (int word = 4; word <= 8; word += 4) {
			struct ksyms_layout layout;
			struct ksyms_error *err = ksyms_layout_preset(names[p], word, &layout);
			if (err) {
				/* 7.0-abs32 exists only for 32-bit kernels */
				CHECK(strcmp(names[p], "7.0-abs32") == 0 && word == 8);
				ksyms_error_destroy(err);
				continue;
			}
			bool percpu = layout.addr_mode == KSYMS_ADDR_RELATIVE_PERCPU;
			struct synth syn;
			synth_build(&syn, (unsigned)word, percpu, layout.name_len_bytes == 2);
			KSYMS_OPTS(ksyms_gen_opts, o, .layout = layout, .word_size = word, .filter = true,
				   .absolute_percpu = percpu, .base = word == 8 ? 0xffffffff81000000ull : 0xc1000000);
			if (layout.name_len_bytes == 1) {
				/* a 300-character name is refused before 6.1 */
				struct synth lng;
				struct ks_gen_list l;
				synth_build(&lng, (unsigned)word, percpu, true);
				err = ks_gen_prepare(lng.v, lng.n, &o, &l);
				CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT);
				ksyms_error_destroy(err);
				synth_free(&lng);
			}
			for (int k = 0; k < 4; k++) {
				struct variant v = { names[p], word, k & 1, k & 2 };
				o.byte_order = v.be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
				o.elf = v.elf;
				roundtrip(&v, &syn, &o);
			}
			synth_free(&syn);
		}
	}
}

/*
 * A 64-bit table that also reads as 4-byte words, where the known word
 * size must decide.  Each address repeats its 32-bit half, 4 GiB apart:
 * (c+k) << 32 | (c+k).  Stored, every half is at most the next, so the
 * table's tail reads as ascending u32s: a valid 4-byte absolute table,
 * and (its first u32 below 16 MiB, the next u32 a plausible base) a
 * 4.6-5.9 relative one.  The top 16 bits, 0x0001, are no architecture's
 * kernel address, so the 8-byte reading loses the plausible-top points
 * and the 4-byte relative one wins by structure alone; only the word
 * size, from the ELF class or the caller, overrules that, and it must
 * weigh more than the structural points the 4-byte reading gains.
 */
static void test_word_size_decides(void)
{
	/* over 256 symbols: a second marker says how wide markers are */
	enum { N = 300, C = 0x10000 };
	static struct ksyms_gen_symbol s[N];
	static char names[N][12];

	for (unsigned k = 0; k < N; k++) {
		snprintf(names[k], sizeof(names[k]), "sym_%u", k);
		s[k] = (struct ksyms_gen_symbol)SYM((uint64_t)(C + k) << 32 | (C + k), 'T', names[k]);
	}
	for (int k = 0; k < 4; k++) {
		struct variant v = { "2.6", 8, k & 1, k & 2 };
		KSYMS_OPTS(ksyms_gen_opts, o, .word_size = 8, .filter = false, .base = s[0].addr, .elf = v.elf,
			   .byte_order = v.be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE);
		KSYMS_OPTS(ksyms_find_opts, find, .word_size = v.elf ? 0 : 8); /* raw: the caller says 64-bit */
		struct ks_gen_list kept = { 0 };
		struct ksyms_gen_result r = { 0 };
		char what[96];

		describe(&v, what, sizeof(what));
		printf("# word size decides: %s\n", what);
		CHECK(!ksyms_layout_preset(v.layout, 8, &o.layout));
		CHECK(!ks_gen_prepare(s, N, &o, &kept) && kept.n == N);
		CHECK(!ksyms_generate(s, N, &o, &r));
		/* the fixture is ambiguous: the table's last N u32s ascend */
		const struct ksyms_table_loc *a = &r.tables[KSYMS_TAB_ADDRESSES];
		CHECK(a->present && a->size == 8 * N);
		bool asc = true;
		for (unsigned i = 1; i < N; i++) {
			const uint8_t *p = (const uint8_t *)r.data + a->offset + a->size - 4 * (N - i);
			asc &= load32(p - 4, v.be) <= load32(p, v.be);
		}
		CHECK(asc);
		CHECK(decodes_exactly(&r, &o, &kept, &find));
		ksyms_free(r.data);
		free(kept.v);
	}
}

/* Filler that no sample reads as sorted: xorshift bytes. */
static void fill_noise(uint8_t *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		p[i] = (uint8_t)seed;
	}
}

/* @n bytes of an ascending table of @word-byte values from @v, 4 apart. */
static void put_sorted(uint8_t *p, size_t n, unsigned word, bool be, uint64_t v)
{
	for (size_t i = 0; i + word <= n; i += word, v += 4)
		for (unsigned b = 0; b < word; b++)
			p[i + b] = (uint8_t)(v >> (8 * (be ? word - 1 - b : b)));
}

static size_t hint_of(const uint8_t *p, size_t n)
{
	struct ks_kernel k = { .data = span_make(p, n, 0) };
	struct ks_ctx ctx = { .data = k.data, .kernel = &k };
	return ks_hint_tables(&ctx);
}

/*
 * hint.c: a long sorted run is where the search starts (from a little
 * before it); short sorted arrays (pointers to strings, in order) and
 * noise are not.  Then a decoy long run before or after real tables:
 * the search still finds them, the same symbols at the same offsets.
 */
static void test_hint(void)
{
	enum { MiB = 1 << 20, AT = 3 * MiB / 2 };
	uint8_t *buf = malloc(4 * MiB);

	fill_noise(buf, 4 * MiB, 0x2545f491u);
	CHECK_EQ_U64(hint_of(buf, 4 * MiB), 0);
	for (int k = 0; k < 4; k++) {
		unsigned word = k & 1 ? 8 : 4;
		bool be = k & 2;
		fill_noise(buf, 4 * MiB, 0x2545f491u);
		put_sorted(buf + MiB / 2, 1024, word, be, 0xffff800081000000ull); /* short: not a table */
		put_sorted(buf + AT, 64 * 1024, word, be, word == 8 ? 0xffff800081000000ull : 0);
		size_t h = hint_of(buf, 4 * MiB);
		printf("# %u-byte %s run at 0x%x: hint 0x%zx\n", word, be ? "BE" : "LE", AT, h);
		CHECK(h <= AT && h + 256 * 1024 >= AT);
	}

	/* a real (generated) table between decoys */
	struct synth syn;
	synth_build(&syn, 8, false, false);
	KSYMS_OPTS(ksyms_gen_opts, o, .word_size = 8, .filter = true, .base = 0xffffffff81000000ull,
		   .byte_order = KSYMS_ENDIAN_LITTLE);
	struct ks_gen_list kept = { 0 };
	struct ksyms_gen_result r = { 0 };
	CHECK(!ksyms_layout_preset("6.4", 8, &o.layout));
	CHECK(!ks_gen_prepare(syn.v, syn.n, &o, &kept));
	CHECK(!ksyms_generate(syn.v, syn.n, &o, &r) && r.size < MiB);
	for (int before = 0; before < 2; before++) {
		size_t at = MiB + 4096;
		fill_noise(buf, 4 * MiB, 0x2545f491u);
		put_sorted(buf + (before ? MiB / 4 : 5 * MiB / 2), 64 * 1024, 4, false, 0);
		memcpy(buf + at, r.data, r.size);
		struct ksyms_image *img = NULL;
		struct ksyms_table *tab = NULL;
		CHECK(!ksyms_image_open_mem(buf, 4 * MiB, NULL, &img) && !ksyms_table_from_image(img, NULL, &tab));
		CHECK(tab && same_symbols(tab, &kept));
		CHECK(tab && ksyms_table_info(tab)->tables[KSYMS_TAB_TOKEN_TABLE].offset ==
				     at + r.tables[KSYMS_TAB_TOKEN_TABLE].offset);
		ksyms_table_destroy(tab);
		ksyms_image_destroy(img);
	}
	ksyms_free(r.data);
	free(kept.v);
	synth_free(&syn);
	free(buf);
}

/*
 * The decoder lists the landmark symbols (table/landmarks.c) as it writes
 * the names, which the searches for kallsyms_*, linux_banner, _sdata and
 * the like then walk instead of every name.  The list must be exactly the
 * names the rule names, stated here independently, among near misses of
 * each kind and 1,800 ordinary names.
 */
static bool landmark_by_rule(const char *n)
{
	static const char *const exact[] = { "linux_banner", "_sdata", "_edata", "_text", "_start" };

	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(n, exact[i]) == 0)
			return true;
	return strncmp(n, "kallsyms_", 9) == 0 || strncmp(n, "__start_", 8) == 0 || strncmp(n, "__stop_", 7) == 0;
}

static void test_landmarks(void)
{
	static const char *const extra[] = {
		"kallsyms_fake", "kallsyms_", "kallsyms", "kallsym_x", "kall", "k", "linux_bannerx", "linux_banne",
		"linu", "l", "_sdata", "_sdatax", "_sdat", "_edata", "_edat", "_start", "_startx", "_star", "_textx",
		"_tex", "__start_x", "__start_", "__start", "__stop_y", "__stop", "__stack_chk_fail", "__st", "_s",
		"_e", "_t", "__", "_",
	};
	uint64_t a = 0xffffffff81000000ull;
	struct synth s;
	struct ksyms_gen_result r = { 0 };
	struct ksyms_layout layout;
	struct ksyms_image *img = NULL;
	struct ksyms_table *tab = NULL;

	memset(&s, 0, sizeof(s));
	s.rng = 4242;
	add(&s, a, 'T', "_text");
	a += 0x1000;
	add(&s, a, 'T', "_stext");
	add_region(&s, &a, 1500, "tT");
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++, a += 0x40)
		add(&s, a, 't', extra[i]);
	add_region(&s, &a, 300, "tT");
	add(&s, a, 'T', "_etext");
	add(&s, a + 0x1000, 'B', "_end");
	fix_names(&s);
	CHECK(!ksyms_layout_preset("6.1", 8, &layout));
	KSYMS_OPTS(ksyms_gen_opts, o, .layout = layout, .word_size = 8, .byte_order = KSYMS_ENDIAN_LITTLE,
		   .base = 0xffffffff81000000ull);
	CHECK(!ksyms_generate(s.v, s.n, &o, &r));
	CHECK(!ksyms_image_open_mem(r.data, r.size, NULL, &img) && !ksyms_table_from_image(img, NULL, &tab));
	size_t bad = 0, listed = 0, k = 0;
	CHECK(tab && tab->landmarks);
	for (size_t i = 0; tab && tab->landmarks && i < tab->count; i++) {
		bool want = landmark_by_rule(tab->pool + tab->name[i]);
		bool have = k < tab->nlandmarks && tab->landmarks[k] == i;
		k += have;
		listed += have;
		if (want != have) {
			printf("# landmark list: '%s' %s\n", tab->pool + tab->name[i], want ? "missing" : "listed");
			bad++;
		}
	}
	CHECK_EQ_U64(bad, 0);
	/* _text, and kallsyms_fake, kallsyms_, _sdata, _edata, _start,
	 * __start_x, __start_, __stop_y of the extras: not vacuous */
	CHECK_EQ_U64(listed, 9);
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	ksyms_free(r.data);
	synth_free(&s);
}

int main(void)
{
	test_tokens_two_symbols();
	test_tokens_no_overlap();
	test_sort();
	test_name_order();
	test_ignore_lists();
	test_text_range();
	test_percpu();
	test_bytes_64le();
	test_bytes_32be();
	test_bytes_percpu_pcrel();
	test_refusals();
	test_roundtrips();
	test_word_size_decides();
	test_hint();
	test_landmarks();
	return tap_done();
}
