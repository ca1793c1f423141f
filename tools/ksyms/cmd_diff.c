// SPDX-License-Identifier: MIT
/* ksyms diff: two symbol sources side by side (ksyms_diff_create). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* diff(1)'s exit codes: scripts test them the same way */
enum { DIFF_SAME = 0, DIFF_DIFFERENT = 1, DIFF_TROUBLE = 2 };

enum { OPT_SUMMARY = 0x100, OPT_SOURCE_A, OPT_SOURCE_B };

static const struct opt diff_opts[] = {
	{ "all", 'a', NULL, "list the explained differences too, with their reason" },
	{ "summary", OPT_SUMMARY, NULL, "print the counts only" },
	{ "json", 'j', NULL, "one JSON object" },
	{ "type", 't', "LETTERS", "compare only symbols whose type is one of LETTERS" },
	{ "substring", 's', "TEXT", "compare only names containing TEXT (repeatable)" },
	{ "glob", 'g', "PATTERN", "compare only names matching PATTERN (repeatable)" },
	{ "strict", OPT_STRICT, NULL, "no excuses but the slide: every other difference counts" },
	{ "source-a", OPT_SOURCE_A, "KIND", "read A as KIND (--source: both)" },
	{ "source-b", OPT_SOURCE_B, "KIND", "read B as KIND" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec diff_spec = {
	.name = "diff",
	.usage = "diff [OPTIONS] A [B]",
	.about = "Compare two symbol sources of any kind: kernel images, ELF .symtab, System.map,\n"
		 "/proc/kallsyms; without B, A against the running kernel.  Symbols pair up by\n"
		 "name (module symbols with the same module's); each is the same, moved, only\n"
		 "in A or only in B.  Copies of a name defined more than once pair by the slide,\n"
		 "then by equal address, then in address order.  Differences the kernel build\n"
		 "explains (what kallsyms leaves out of System.map: absolute symbols, local\n"
		 "labels, data of a kernel without CONFIG_KALLSYMS_ALL, ...) and moves by one\n"
		 "constant slide (KASLR) are counted, not listed.  The input options apply to\n"
		 "both sides.\n",
	.opts = diff_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
	.epilog = "Exit status: 0 when nothing differs but what the build explains (no moves),\n"
		  "1 when the sources differ, 2 on trouble (usage, unreadable input).\n",
};

/* ksyms_diff_opts.filter */
static bool keep(void *ctx, const struct ksyms_symbol *s)
{
	return name_filter_keep(ctx, s);
}

struct diff_cmd {
	const char *path[2];
	struct ksyms_table *tab[2];
	enum ksyms_source_kind kind[2];
	bool all, summary, json, strict;
	int digits;
	uint64_t mask;
};

/* ------------------------------------------------------------------------ */
/* Text output */

static void print_sym(struct out *o, const struct diff_cmd *c, const struct ksyms_symbol *s)
{
	out_hex(o, s->addr & c->mask, c->digits);
	out_char(o, ' ');
	out_char(o, s->type);
	out_char(o, ' ');
	out_str(o, s->name);
	if (s->module) {
		out_str(o, "\t[");
		out_str(o, s->module);
		out_char(o, ']');
	}
}

static bool differs(const struct ksyms_diff_entry *e)
{
	return e->kind != KSYMS_DIFF_SAME || e->type_changed;
}

static void print_entry(struct out *o, const struct diff_cmd *c, const struct ksyms_diff_entry *e)
{
	switch (e->kind) {
	case KSYMS_DIFF_ONLY_A:
		out_str(o, "only-a  ");
		print_sym(o, c, &e->a);
		break;
	case KSYMS_DIFF_ONLY_B:
		out_str(o, "only-b  ");
		print_sym(o, c, &e->b);
		break;
	case KSYMS_DIFF_MOVED:
		out_str(o, "moved   ");
		out_hex(o, e->a.addr & c->mask, c->digits);
		out_str(o, " -> ");
		print_sym(o, c, &e->b);
		break;
	default:
		out_str(o, "type    ");
		out_hex(o, e->a.addr & c->mask, c->digits);
		out_printf(o, " %c -> %c %s", e->a.type, e->b.type, e->b.name);
		break;
	}
	if (e->kind == KSYMS_DIFF_MOVED && e->type_changed)
		out_printf(o, " (type %c -> %c)", e->a.type, e->b.type);
	if (e->reason != KSYMS_DIFF_UNEXPLAINED)
		out_printf(o, "  (%s)", ksyms_diff_reason_name(e->reason));
	out_char(o, '\n');
}

/* "-0x1000" for a slide that moves B below A. */
static void format_slide(char *buf, size_t len, uint64_t slide, unsigned bits)
{
	uint64_t top = bits == 64 ? UINT64_C(1) << 63 : UINT64_C(1) << 31;
	uint64_t mask = bits == 64 ? UINT64_MAX : 0xffffffffu;

	if (slide & top)
		snprintf(buf, len, "-0x%llx", (unsigned long long)((0 - slide) & mask));
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)slide);
}

static void print_side(struct out *o, const struct diff_cmd *c, int i, size_t compared, size_t filtered,
		       size_t skipped)
{
	const struct ksyms_info *info = ksyms_table_info(c->tab[i]);

	out_printf(o, "%c:            %s (%s, %zu compared", "AB"[i], c->path[i],
		   ksyms_source_kind_name(info->source_kind), compared);
	if (filtered)
		out_printf(o, ", %zu filtered out", filtered);
	if (skipped)
		out_printf(o, ", %zu of modules skipped: the other side has none", skipped);
	out_str(o, ")\n");
}

static void print_summary(struct out *o, const struct diff_cmd *c, const struct ksyms_diff_summary *s)
{
	char slide[32];

	print_side(o, c, 0, s->a_compared, s->a_filtered, s->a_modules_skipped);
	print_side(o, c, 1, s->b_compared, s->b_filtered, s->b_modules_skipped);
	if (s->addr_bits == 32)
		out_str(o, "addresses:    compared at 32 bits (a 32-bit source; sign-extended ones narrowed)\n");
	out_printf(o, "same:         %zu\nmoved:        %zu\nonly in A:    %zu\nonly in B:    %zu\n"
		      "type changed: %zu\n", s->same, s->moved, s->only_a, s->only_b, s->type_changed);
	size_t explained = 0;
	for (int r = 1; r < KSYMS_DIFF_REASON_COUNT; r++)
		explained += s->by_reason[r];
	out_printf(o, "explained:    %zu", explained);
	const char *sep = " (";
	for (int r = 1; r < KSYMS_DIFF_REASON_COUNT; r++) {
		if (!s->by_reason[r])
			continue;
		out_printf(o, "%s%s %zu", sep, ksyms_diff_reason_name((enum ksyms_diff_reason)r), s->by_reason[r]);
		sep = ", ";
	}
	out_str(o, explained ? ")\n" : "\n");
	if (s->text_only)
		out_str(o, "text only:    the kallsyms side has no data symbols (no CONFIG_KALLSYMS_ALL)\n");
	if (s->has_slide) {
		format_slide(slide, sizeof(slide), s->slide, s->addr_bits);
		out_printf(o, "slide:        %s (B - A; explains %zu of %zu moves)\n", slide, s->moved_by_slide, s->moved);
	} else {
		out_str(o, "slide:        none\n");
	}
	out_printf(o, "unexplained:  %zu\n", s->unexplained);
}

/* The differences worth a look (with -a, every one), then the counts: a long
 * listing leaves the summary on screen. */
static void print_text(struct out *o, const struct diff_cmd *c, const struct ksyms_diff *d)
{
	size_t n = ksyms_diff_count(d);
	struct ksyms_diff_entry e;

	for (size_t i = 0; !c->summary && i < n && !o->failed; i++)
		if (ksyms_diff_entry(d, i, &e) && differs(&e) && (c->all || e.reason == KSYMS_DIFF_UNEXPLAINED))
			print_entry(o, c, &e);
	print_summary(o, c, ksyms_diff_summary(d));
}

/* ------------------------------------------------------------------------ */
/* JSON output */

static void json_sym(struct out *o, const struct diff_cmd *c, const char *key, const struct ksyms_symbol *s)
{
	out_printf(o, ",\"%s\":{\"addr\":\"0x", key);
	out_hex(o, s->addr & c->mask, c->digits);
	out_str(o, "\",\"type\":\"");
	out_char(o, s->type);
	out_str(o, "\",");
	out_json_member(o, "name", s->name);
	if (s->module) {
		out_char(o, ',');
		out_json_member(o, "module", s->module);
	}
	out_char(o, '}');
}

static void json_entry(struct out *o, const struct diff_cmd *c, const struct ksyms_diff_entry *e, bool first)
{
	out_printf(o, "%s{\"kind\":\"%s\"", first ? "" : ",", ksyms_diff_kind_name(e->kind));
	if (e->kind != KSYMS_DIFF_ONLY_B)
		json_sym(o, c, "a", &e->a);
	if (e->kind != KSYMS_DIFF_ONLY_A)
		json_sym(o, c, "b", &e->b);
	out_printf(o, ",\"type_changed\":%s,\"slid\":%s,\"reason\":", e->type_changed ? "true" : "false",
		   e->slid ? "true" : "false");
	if (e->reason == KSYMS_DIFF_UNEXPLAINED)
		out_str(o, "null}");
	else
		out_printf(o, "\"%s\"}", ksyms_diff_reason_name(e->reason));
}

static void json_side(struct out *o, const struct diff_cmd *c, int i, size_t compared, size_t filtered,
		      size_t skipped)
{
	const struct ksyms_info *info = ksyms_table_info(c->tab[i]);

	out_printf(o, "\"%c\":{", "ab"[i]);
	out_json_member(o, "path", c->path[i]);
	out_printf(o, ",\"source\":\"%s\",\"symbols\":%zu,\"compared\":%zu,\"filtered\":%zu,\"modules_skipped\":%zu},",
		   ksyms_source_kind_name(info->source_kind), ksyms_table_count(c->tab[i]), compared, filtered,
		   skipped);
}

static void json_counts(struct out *o, const struct ksyms_diff_summary *s)
{
	char slide[32];

	out_printf(o, "\"addr_bits\":%u,\"same\":%zu,\"moved\":%zu,\"moved_by_slide\":%zu,\"only_a\":%zu,"
		      "\"only_b\":%zu,\"type_changed\":%zu,\"text_only\":%s,\"slide\":",
		   s->addr_bits, s->same, s->moved, s->moved_by_slide, s->only_a, s->only_b, s->type_changed,
		   s->text_only ? "true" : "false");
	format_slide(slide, sizeof(slide), s->slide, s->addr_bits);
	if (s->has_slide)
		out_printf(o, "\"%s\"", slide);
	else
		out_str(o, "null");
	out_str(o, ",\"explained\":{");
	bool first = true;
	for (int r = 1; r < KSYMS_DIFF_REASON_COUNT; r++) {
		if (!s->by_reason[r])
			continue;
		out_printf(o, "%s\"%s\":%zu", first ? "" : ",", ksyms_diff_reason_name((enum ksyms_diff_reason)r),
			   s->by_reason[r]);
		first = false;
	}
	out_printf(o, "},\"unexplained\":%zu", s->unexplained);
}

static void print_json(struct out *o, const struct diff_cmd *c, const struct ksyms_diff *d)
{
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	struct ksyms_diff_entry e;
	bool first = true;

	out_char(o, '{');
	json_side(o, c, 0, s->a_compared, s->a_filtered, s->a_modules_skipped);
	json_side(o, c, 1, s->b_compared, s->b_filtered, s->b_modules_skipped);
	json_counts(o, s);
	if (!c->summary) {
		out_str(o, ",\"differences\":[");
		for (size_t i = 0; i < ksyms_diff_count(d) && !o->failed; i++) {
			if (!ksyms_diff_entry(d, i, &e) || !differs(&e) ||
			    (!c->all && e.reason != KSYMS_DIFF_UNEXPLAINED))
				continue;
			json_entry(o, c, &e, first);
			first = false;
		}
		out_char(o, ']');
	}
	out_str(o, "}\n");
}

/* ------------------------------------------------------------------------ */

/* B NULL: the running kernel (the slide is the diff's to find). */
static int open_both(struct diff_cmd *c, const struct input_opts *in, char **running)
{
	for (int i = 0; i < 2; i++) {
		struct input_opts o = *in;
		o.kind = c->kind[i];
		o.need_addresses = true;
		o.open.kallsyms_only = true; /* names and addresses only, no exports */
		if (!c->path[i] && open_running_table(&o, false, &c->tab[i], running))
			return DIFF_TROUBLE;
		if (!c->path[i])
			c->path[i] = *running;
		else if (open_table(c->path[i], &o, NULL, &c->tab[i]))
			return DIFF_TROUBLE;
	}
	return 0;
}

static int run_diff(struct diff_cmd *c, struct name_filter *f)
{
	KSYMS_OPTS(ksyms_diff_opts, dopts, .filter = keep, .filter_ctx = f);
	struct ksyms_diff *d;
	struct ksyms_error *err;

	if (!name_filter_active(f))
		dopts.filter = NULL;
	dopts.strict = c->strict;
	err = ksyms_diff_create(c->tab[0], c->tab[1], &dopts, &d);
	if (err) {
		report_error(NULL, err);
		return DIFF_TROUBLE;
	}
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	c->mask = s->addr_bits == 32 ? 0xffffffffu : UINT64_MAX;
	c->digits = s->addr_bits == 32 ? 8 : 16;
	struct out o;
	out_init(&o);
	(c->json ? print_json : print_text)(&o, c, d);
	int rc = out_finish(&o) ? DIFF_TROUBLE : s->unexplained || s->moved ? DIFF_DIFFERENT : DIFF_SAME;
	ksyms_diff_destroy(d);
	return rc;
}

struct diff_args {
	struct diff_cmd *c;
	struct name_filter *f;
	bool kind_set[2];
};

static void diff_option(void *ctx, int key, const char *arg)
{
	struct diff_args *a = ctx;

	if (name_filter_option(a->f, key, arg))
		return;
	switch (key) {
	case 'a': a->c->all = true; break;
	case OPT_SUMMARY: a->c->summary = true; break;
	case 'j': a->c->json = true; break;
	case OPT_SOURCE_A: a->c->kind[0] = parse_source_kind(arg); a->kind_set[0] = true; break;
	default: a->c->kind[1] = parse_source_kind(arg); a->kind_set[1] = true; break; /* OPT_SOURCE_B */
	}
}

int cmd_diff(int argc, char **argv)
{
	struct diff_cmd c = { .digits = 16 };
	struct input_opts in;
	struct name_filter f;
	struct diff_args a = { &c, &f, { false, false } };
	char *running = NULL;
	int rc;

	input_opts_init(&in);
	if (!name_filter_init(&f, argc))
		usage_error(&diff_spec, "out of memory");
	int i = parse_options(&diff_spec, argc, argv, &in, diff_option, &a);
	c.strict = in.strict;
	if (i == argc || argc - i > 2)
		usage_error(&diff_spec, "diff takes two sources, A and B, or one to compare with the running kernel");
	for (int k = 0; k < 2; k++) {
		c.path[k] = i + k < argc ? argv[i + k] : NULL;
		if (!a.kind_set[k])
			c.kind[k] = in.kind;
	}
	if (c.path[1] && strcmp(c.path[0], "-") == 0 && strcmp(c.path[1], "-") == 0)
		usage_error(&diff_spec, "stdin ('-') can be only one of A and B");
	rc = open_both(&c, &in, &running);
	if (!rc)
		rc = run_diff(&c, &f);
	ksyms_table_destroy(c.tab[0]);
	ksyms_table_destroy(c.tab[1]);
	name_filter_free(&f);
	free(running);
	return rc;
}
