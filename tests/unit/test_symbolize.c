// SPDX-License-Identifier: MIT
/* Symbolizing logs: the line scanner, the slide evidence, the annotator. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "symbolize/symbolize.h"
#include "table/table.h"

static void add(struct ksyms_table *t, uint64_t a, char type, const char *name, const char *mod)
{
	CHECK(ks_table_add(t, a, type, name, strlen(name), mod));
}

/* A small x86-64 kernel at link-time addresses, two modules loaded. */
static struct ksyms_table *kernel(bool modules)
{
	struct ksyms_table *t = ks_table_new();

	add(t, 0xffffffff81000000, 'T', "_text", NULL);
	add(t, 0xffffffff81001000, 'T', "_stext", NULL);
	add(t, 0xffffffff81001000, 'T', "start", NULL);
	add(t, 0xffffffff81001100, 't', "helper", NULL);      /* 0x100 */
	add(t, 0xffffffff81001200, 't', "dup", NULL);         /* 0x40 */
	add(t, 0xffffffff81001240, 'T', "__pfx_func", NULL);  /* 0x10 */
	add(t, 0xffffffff81001250, 'T', "func", NULL);        /* 0x80 */
	add(t, 0xffffffff810012d0, 't', "dup", NULL);         /* 0x30 */
	add(t, 0xffffffff81001300, 'T', "_etext", NULL);
	add(t, 0xffffffff82000000, 'D', "init_task", NULL);   /* 0x100 */
	add(t, 0xffffffff82000100, 'B', "_end", NULL);
	if (modules) {
		add(t, 0xffffffffc0001000, 't', "mod_fn", "mymod");
		add(t, 0xffffffffc0001080, 't', "mod_last", "mymod");
	}
	t->info.word_size = 8;
	return t;
}

static struct ksyms_symbolizer *make(struct ksyms_table *t, const struct ksyms_symbolize_opts *o)
{
	struct ksyms_symbolizer *s = NULL;
	struct ksyms_error *err = ksyms_symbolizer_create(t, o, &s);
	CHECK(err == NULL);
	ksyms_error_destroy(err);
	return s;
}

static void scan(struct ksyms_symbolizer *s, const char *line)
{
	CHECK(ksyms_symbolizer_scan(s, line, strlen(line)) == NULL);
}

/* Symbolize @line and compare with @want. */
static void expect(struct ksyms_symbolizer *s, const char *line, const char *want)
{
	const char *out = NULL;
	size_t len = 0;

	CHECK(ksyms_symbolize_line(s, line, strlen(line), &out, &len) == NULL);
	if (!CHECK(out && len == strlen(want) && memcmp(out, want, len) == 0))
		printf("# got '%.*s'\n# want '%s'\n", (int)len, out ? out : "", want);
}

/* ------------------------------------------------------------------------ */

static void scan_one(const char *line, int word, size_t want_n, enum ks_tok_kind kind, uint64_t addr)
{
	struct ks_toks tv = { 0 };

	CHECK(ks_scan_line(line, strlen(line), word, &tv));
	if (!CHECK_EQ_U64(tv.n, want_n))
		printf("# in '%s'\n", line);
	if (want_n && tv.n) {
		CHECK(tv.v[0].kind == kind);
		if (kind != KS_TOK_NAMED)
			CHECK_EQ_U64(tv.v[0].addr, addr);
	}
	free(tv.v);
}

static void test_scanner(void)
{
	scan_one("[   12.345678][    T1]  ? 0xffffffff81001024", 8, 1, KS_TOK_HEX0X, 0xffffffff81001024);
	scan_one("[<ffffffff81001024>] func+0x1c/0x80", 8, 2, KS_TOK_FRAME, 0xffffffff81001024);
	scan_one("x23: ffffa45bc88fe980 x22: 0000000000000000", 8, 2, KS_TOK_HEX, 0xffffa45bc88fe980);
	scan_one("x23: ffffa45bc88fe980", 4, 0, KS_TOK_HEX, 0);  /* not pointer-wide on 32-bit */
	scan_one("PC is at c0123456 lr", 4, 1, KS_TOK_HEX, 0xc0123456);
	scan_one("RIP: 0010:func.cold+0x1c/0x80", 8, 1, KS_TOK_NAMED, 0);
	/* no boundary, too long, not hex, not a whole symbol, caller ids */
	scan_one("abcffffffff81001024 0xffffffff8100102g 0x1ffffffff81001024", 8, 0, KS_TOK_HEX, 0);
	/* bits of broken symbols are only small numbers, which never resolve */
	scan_one("[   12.345678][    C0] [T1] +0x1c/0x80 func+0x1c/ func+0x/0x1", 8, 4, KS_TOK_HEX0X, 0x1c);

	struct ks_toks tv = { 0 };
	const char *l = " func+0x1c/0x80 [ext4] f2+0x0/0x8 [m 0123456789abcdef0123456789abcdef01234567] f3+0x1/0x2 [";
	CHECK(ks_scan_line(l, strlen(l), 8, &tv) && tv.n == 3);
	if (tv.n == 3) {
		CHECK(tv.v[0].mod_len == 4 && memcmp(l + tv.v[0].mod_start, "ext4", 4) == 0);
		CHECK_EQ_U64(tv.v[0].off, 0x1c);
		CHECK_EQ_U64(tv.v[0].size, 0x80);
		CHECK(tv.v[1].mod_len == 1 && l[tv.v[1].end - 1] == ']');
		CHECK(tv.v[2].mod_len == 0 && tv.v[2].name_len == 2);
	}
	free(tv.v);
}

static void test_line_kinds(void)
{
	struct ks_kernel_offset ko;
	const char *x86 = "[    4.08] Kernel Offset: 0x11600000 from 0xffffffff81000000 (relocation range: ...)";
	const char *arm = "Kernel Offset: 0x245b46600000 from 0xffff800080000000";

	CHECK(ks_parse_kernel_offset(x86, strlen(x86), &ko) && !ko.disabled && ko.offset == 0x11600000 &&
	      ko.from == 0xffffffff81000000);
	CHECK(ks_parse_kernel_offset(arm, strlen(arm), &ko) && ko.offset == 0x245b46600000);
	CHECK(ks_parse_kernel_offset("Kernel Offset: disabled", 23, &ko) && ko.disabled);
	CHECK(!ks_parse_kernel_offset("Kernel Offset: 0x1 to 0x2", 25, &ko));
	CHECK(!ks_parse_kernel_offset("Kernel Offset: 0x", 17, &ko));
	CHECK(ks_skip_line("[ 1.0] Code: 48 8b 04 25", 24));

	const char *e1 = "[ 1.0][ T1]  ? 0xffff";
	const char *e2 = "Nov 23 host kernel:  0xffff";
	const char *e3 = "RIP: 0010:0xffff";
	const char *e4 = "pc : 0xffff";
	CHECK(ks_trace_entry(e1, strlen(e1) - 6));
	CHECK(ks_trace_entry(e2, strlen(e2) - 6));
	CHECK(!ks_trace_entry(e3, strlen(e3) - 6));
	CHECK(!ks_trace_entry(e4, strlen(e4) - 6));
}

/* ------------------------------------------------------------------------ */

static void test_kernel_offset(void)
{
	struct ksyms_table *t = kernel(false);
	struct ksyms_symbolizer *s = make(t, NULL);

	/* the evidence comes last, as in a panic */
	scan(s, "[ 1.0]  0xffffffff8a001110\n");
	scan(s, "[ 1.1] Kernel Offset: 0x9000000 from 0xffffffff81000000\n");
	const struct ksyms_slide_info *si = ksyms_symbolizer_slide(s);
	CHECK(si->source == KSYMS_SLIDE_KERNEL_OFFSET && si->slide == 0x9000000 && si->offset_line == 2);
	CHECK(!si->text_mismatch && !si->offset_conflict);
	expect(s, "[ 1.0]  0xffffffff8a001110\n", "[ 1.0]  0xffffffff8a001110 helper+0x10/0x100\n");
	expect(s, "RBX: ffffffff8b000008 RCX: 0\n", "RBX: ffffffff8b000008 (init_task+0x8/0x100) RCX: 0\n");
	/* its own addresses are not annotated, nor instruction bytes */
	expect(s, "Kernel Offset: 0x9000000 from 0xffffffff81000000", "Kernel Offset: 0x9000000 from 0xffffffff81000000");
	expect(s, "Code: ffffffff8a001110", "Code: ffffffff8a001110");
	size_t count;
	const struct ksyms_annotation *a = ksyms_symbolizer_annotations(s, &count);
	CHECK(count == 0 && a != NULL);
	/* a second boot with another offset is noticed */
	scan(s, "Kernel Offset: 0x5000000 from 0xffffffff81000000");
	CHECK(ksyms_symbolizer_slide(s)->offset_conflict);
	ksyms_symbolizer_destroy(s);

	/* a /proc/kallsyms of the same boot: its _text already moved */
	t->addr[0] += 0x9000000;
	s = make(t, NULL);
	scan(s, "Kernel Offset: 0x9000000 from 0xffffffff81000000");
	CHECK_EQ_U64(ksyms_symbolizer_slide(s)->slide, 0);
	CHECK(!ksyms_symbolizer_slide(s)->text_mismatch);
	ksyms_symbolizer_destroy(s);
	/* neither: another kernel */
	t->addr[0] += 0x1000;
	s = make(t, NULL);
	scan(s, "Kernel Offset: 0x9000000 from 0xffffffff81000000");
	CHECK(ksyms_symbolizer_slide(s)->text_mismatch);
	ksyms_symbolizer_destroy(s);
	ksyms_table_destroy(t);
}

static void test_frames(void)
{
	struct ksyms_table *t = kernel(false);
	struct ksyms_symbolizer *s = make(t, NULL);

	/* "dup" names two symbols: one frame allows two slides, the other picks */
	scan(s, "[<ffffffff8a001210>] dup+0x10/0x40");
	const struct ksyms_slide_info *si = ksyms_symbolizer_slide(s);
	CHECK(si->source == KSYMS_SLIDE_FRAMES && si->slide == 0x9000000); /* the aligned one */
	scan(s, "[<ffffffff8a001150>] helper+0x50/0x100");
	scan(s, " [<ffffffff8b001150>] helper+0x50/0x100 ");  /* disagrees */
	scan(s, "[<ffffffffc0001010>] mod_fn+0x10/0x80 [mymod]"); /* modules are no evidence */
	si = ksyms_symbolizer_slide(s);
	CHECK(si->slide == 0x9000000 && si->frames == 3 && si->frames_agree == 2);
	expect(s, "[<ffffffff8a001150>] helper+0x50/0x100", "[<ffffffff8a001150>] helper+0x50/0x100");
	expect(s, "[<ffffffff8b001150>] helper+0x50/0x100",
	       "[<ffffffff8b001150>] helper+0x50/0x100 (ksyms: no symbol at this address in the table)");
	expect(s, "[<ffffffff8a001150>] helper+0x50/0x110",
	       "[<ffffffff8a001150>] helper+0x50/0x110 (ksyms: the table has helper+0x50/0x100)");
	expect(s, "[<ffffffff8a0012e0>] dup+0x10/0x30", "[<ffffffff8a0012e0>] dup+0x10/0x30");
	expect(s, "[<ffffffff8a001110>] func+0x10/0x80",
	       "[<ffffffff8a001110>] func+0x10/0x80 (ksyms: the table has helper+0x10/0x100)");
	/* the same address twice: the last one speaks */
	expect(s, "RIP: 0010:[<ffffffff8a001110>]  [<ffffffff8a001110>] helper+0x10/0x100",
	       "RIP: 0010:[<ffffffff8a001110>]  [<ffffffff8a001110>] helper+0x10/0x100");
	expect(s, "[<ffffffff8a001110>] 0xffffffff8a001110",
	       "[<ffffffff8a001110>] 0xffffffff8a001110 helper+0x10/0x100");
	expect(s, "[<ffffffff8a001110>] (helper) from", "[<ffffffff8a001110>] (helper) from");
	const struct ksyms_symbolize_stats *st = ksyms_symbolizer_stats(s);
	CHECK(st->mismatches == 3 && st->mismatch_lines == 3 && st->checked == 3 && st->annotated == 1);
	ksyms_symbolizer_destroy(s);
	ksyms_table_destroy(t);
}

static void test_named(void)
{
	struct ksyms_table *t = kernel(false);
	struct ksyms_symbolizer *s = make(t, NULL);
	size_t count;

	expect(s, " func+0x10/0x80", " func+0x10/0x80");
	const struct ksyms_annotation *a = ksyms_symbolizer_annotations(s, &count);
	CHECK(count == 1 && a[0].kind == KSYMS_ANNOT_CHECKED && a[0].start == 1 && a[0].len == 14 && !a[0].has_addr);
	CHECK(a[0].resolved && strcmp(a[0].match.sym.name, "func") == 0 && a[0].match.size == 0x80);
	/* %pB: offset == size names the function a call ended */
	expect(s, " ? __pfx_func+0x10/0x10", " ? __pfx_func+0x10/0x10");
	expect(s, " nosuch+0x10/0x80", " nosuch+0x10/0x80 (ksyms: no such symbol in the table)");
	expect(s, " func+0x90/0x80", " func+0x90/0x80 (ksyms: the table has func+0x90/0x80)");
	expect(s, " dup+0x1/0x30 dup+0x1/0x40", " dup+0x1/0x30 dup+0x1/0x40");
	/* modules cannot be checked against a table without them */
	expect(s, " mod_fn+0x1/0x80 [mymod]", " mod_fn+0x1/0x80 [mymod]");
	a = ksyms_symbolizer_annotations(s, &count);
	CHECK(count == 1 && a[0].kind == KSYMS_ANNOT_UNCHECKED);
	ksyms_symbolizer_destroy(s);
	ksyms_table_destroy(t);
}

static void test_modules(void)
{
	struct ksyms_table *t = kernel(true);
	KSYMS_OPTS(ksyms_symbolize_opts, o, .has_slide = true, .slide = 0x9000000);
	struct ksyms_symbolizer *s = make(t, &o);

	/* the kernel moves by the slide, modules are where the table says */
	expect(s, " 0xffffffffc0001010 0xffffffff8a001110",
	       " 0xffffffffc0001010 mod_fn+0x10/0x80 [mymod] 0xffffffff8a001110 helper+0x10/0x100");
	expect(s, " mod_fn+0x1/0x80 [mymod] mod_fn+0x1/0x80 [other]",
	       " mod_fn+0x1/0x80 [mymod] mod_fn+0x1/0x80 [other] (ksyms: no such symbol in the table)");
	expect(s, "[<ffffffffc0001010>] mod_fn+0x10/0x80 [mymod]", "[<ffffffffc0001010>] mod_fn+0x10/0x80 [mymod]");
	CHECK(ksyms_symbolizer_stats(s)->checked == 2);
	ksyms_symbolizer_destroy(s);
	ksyms_table_destroy(t);
}

static void test_backtrace_and_replace(void)
{
	struct ksyms_table *t = kernel(false);
	KSYMS_OPTS(ksyms_symbolize_opts, o, .has_base = true, .base = 0xffffffff8a000000, .replace = true);
	struct ksyms_symbolizer *s;

	t->info.arch = "x86_64";
	s = make(t, &o);
	CHECK(ksyms_symbolizer_slide(s)->source == KSYMS_SLIDE_GIVEN);
	CHECK_EQ_U64(ksyms_symbolizer_slide(s)->slide, 0x9000000);
	/* a return address right after a call that ends __pfx_func */
	expect(s, "[ 1.0]  ? 0xffffffff8a001250\n", "[ 1.0]  ? __pfx_func+0x10/0x10\n");
	expect(s, "RIP: 0010:0xffffffff8a001250\r\n", "RIP: 0010:func+0x0/0x80\r\n");
	/* replace touches only what %pS printed: 0x and pointer width */
	expect(s, "RAX: ffffffff8a001250 0x8a001250", "RAX: ffffffff8a001250 0x8a001250");
	ksyms_symbolizer_destroy(s);
	ksyms_table_destroy(t);
}

static void test_no_allocation(void)
{
	struct ksyms_table *t = kernel(false);
	struct ksyms_symbolizer *s = make(t, NULL);
	const char *line = "[ 1.0] 0xffffffff81001110 0xffffffff81001110 ffffffff82000008 func+0x10/0x80\n";
	const char *out;
	size_t len;

	CHECK(ksyms_symbolize_line(s, line, strlen(line), &out, &len) == NULL);
	void *buf = s->out.p, *ann = s->ann, *toks = s->toks.v;
	for (int i = 0; i < 1000; i++)
		CHECK(ksyms_symbolize_line(s, line, strlen(line), &out, &len) == NULL);
	CHECK(buf == s->out.p && ann == s->ann && toks == s->toks.v); /* nothing was reallocated */
	ksyms_symbolizer_destroy(s);
	ksyms_table_destroy(t);
}

static void test_bad_calls(void)
{
	struct ksyms_table *t = kernel(false);
	struct ksyms_symbolizer *s = NULL;
	struct ksyms_error *err;
	const char *out;
	size_t len;

	err = ksyms_symbolizer_create(NULL, NULL, &s);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT);
	ksyms_error_destroy(err);
	/* options from a newer library: unknown fields set */
	struct {
		struct ksyms_symbolize_opts o;
		uint64_t extra;
	} newer = { .o = { .sz = sizeof(newer) }, .extra = 1 };
	err = ksyms_symbolizer_create(t, &newer.o, &s);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_INVALID_ARGUMENT);
	ksyms_error_destroy(err);
	/* a base needs _text */
	struct ksyms_table *t2 = ks_table_new();
	add(t2, 0x1000, 'T', "f", NULL);
	KSYMS_OPTS(ksyms_symbolize_opts, o, .has_base = true, .base = 0x2000);
	err = ksyms_symbolizer_create(t2, &o, &s);
	CHECK(err && ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND);
	ksyms_error_destroy(err);
	s = make(t2, NULL);
	err = ksyms_symbolize_line(s, NULL, 1, &out, &len);
	CHECK(err != NULL);
	ksyms_error_destroy(err);
	CHECK(ksyms_symbolize_line(s, NULL, 0, &out, &len) == NULL && len == 0);
	CHECK(ksyms_symbolizer_scan(s, "", 0) == NULL);
	ksyms_symbolizer_destroy(s);
	ksyms_symbolizer_destroy(NULL);
	CHECK(ksyms_symbolizer_slide(NULL) == NULL && ksyms_symbolizer_stats(NULL) == NULL);
	CHECK_STR(ksyms_slide_source_name(KSYMS_SLIDE_FRAMES), "frames");
	ksyms_table_destroy(t2);
	ksyms_table_destroy(t);
}

int main(void)
{
	test_scanner();
	test_line_kinds();
	test_kernel_offset();
	test_frames();
	test_named();
	test_modules();
	test_backtrace_and_replace();
	test_no_allocation();
	test_bad_calls();
	return tap_done();
}
