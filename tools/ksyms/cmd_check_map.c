// SPDX-License-Identifier: MIT
/*
 * ksyms check-map: "does this System.map match the running kernel?" in one
 * line.  A ksyms_diff of the map against /proc/kallsyms, where a constant
 * slide (KASLR) and what kallsyms legitimately leaves out still match.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct opt check_map_opts[] = {
	{ "kallsyms", 'k', "FILE", "a saved copy of /proc/kallsyms (default: the live one)" },
	{ "json", 'j', NULL, "the answer as a JSON object" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec check_map_spec = {
	.name = "check-map",
	.usage = "check-map [OPTIONS] [SYSTEM_MAP]",
	.about = "Does SYSTEM_MAP (default: /boot/System.map-$(uname -r)) match the running kernel?\n"
		 "It is compared with /proc/kallsyms by name.  A constant slide (KASLR) still matches,\n"
		 "and so does what kallsyms leaves out of System.map: absolute symbols, local labels,\n"
		 "the data symbols of a kernel without CONFIG_KALLSYMS_ALL.  Module symbols are not\n"
		 "compared.  SYSTEM_MAP may be any symbol source: a kernel image or an ELF vmlinux\n"
		 "works too.  The input options apply to SYSTEM_MAP.\n",
	.opts = check_map_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
	.epilog = "Exit status: 0 it matches, 1 it does not (or an input is unusable), 2 usage.\n",
};

struct check {
	const char *map_path, *ks_path;
	char *default_map, *default_ks;
	struct ksyms_table *map, *ks;
	bool json;
};

/* /boot/System.map-$(uname -r), where Debian, Fedora and SUSE install it. */
static const char *default_map(struct check *c)
{
	return c->default_map = sys_path("/boot/System.map-%s", running_release());
}

static int open_inputs(struct check *c, struct input_opts *in)
{
	struct input_opts ks;

	in->need_addresses = true;
	if (open_table(c->map_path, in, NULL, &c->map))
		return EXIT_BAD_INPUT;
	/* whatever it is called, read it as /proc/kallsyms text */
	input_opts_init(&ks);
	ks.kind = KSYMS_SOURCE_PROC_KALLSYMS;
	ks.need_addresses = true;
	return open_table(c->ks_path, &ks, NULL, &c->ks) ? EXIT_BAD_INPUT : 0;
}

static void format_addr(char *buf, size_t len, uint64_t a, unsigned bits)
{
	snprintf(buf, len, "0x%llx", (unsigned long long)(bits == 32 ? a & 0xffffffffu : a));
}

static void format_slide(char *buf, size_t len, const struct ksyms_diff_summary *s)
{
	uint64_t top = s->addr_bits == 64 ? UINT64_C(1) << 63 : UINT64_C(1) << 31;
	uint64_t mask = s->addr_bits == 64 ? UINT64_MAX : 0xffffffffu;

	if (!s->has_slide)
		snprintf(buf, len, "0x0");
	else if (s->slide & top)
		snprintf(buf, len, "-0x%llx", (unsigned long long)((0 - s->slide) & mask));
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)s->slide);
}

/* The first unexplained difference, in words: moves come first in the diff's order. */
static void example(const struct check *c, const struct ksyms_diff *d, char *buf, size_t len)
{
	unsigned bits = ksyms_diff_summary(d)->addr_bits;
	struct ksyms_diff_entry e;
	char x[24], y[24];

	snprintf(buf, len, "none");
	for (size_t i = 0; ksyms_diff_entry(d, i, &e); i++) {
		if ((e.kind == KSYMS_DIFF_SAME && !e.type_changed) || e.reason != KSYMS_DIFF_UNEXPLAINED)
			continue;
		format_addr(x, sizeof(x), e.a.addr, bits);
		format_addr(y, sizeof(y), e.b.addr, bits);
		if (e.kind == KSYMS_DIFF_MOVED)
			snprintf(buf, len, "%s at %s in the map, %s in %s", e.a.name, x, y, c->ks_path);
		else if (e.kind == KSYMS_DIFF_ONLY_A)
			snprintf(buf, len, "%s (%s) is not in %s", e.a.name, x, c->ks_path);
		else if (e.kind == KSYMS_DIFF_ONLY_B)
			snprintf(buf, len, "%s (%s) is not in the map", e.b.name, y);
		else
			snprintf(buf, len, "%s is '%c' in the map, '%c' in %s", e.a.name, e.a.type, e.b.type, c->ks_path);
		return;
	}
}

static void print_json(const struct check *c, const struct ksyms_diff_summary *s, bool match, const char *slide,
		       const char *ex)
{
	struct out o;

	out_init(&o);
	out_char(&o, '{');
	out_json_member(&o, "map", c->map_path);
	out_char(&o, ',');
	out_json_member(&o, "kallsyms", c->ks_path);
	out_printf(&o, ",\"match\":%s,\"symbols\":%zu,\"slide\":\"%s\",\"differ\":%zu",
		   match ? "true" : "false", s->same + s->moved, slide, s->unexplained);
	out_char(&o, ',');
	out_json_member_or_null(&o, "example", match ? NULL : ex);
	out_str(&o, "}\n");
	out_finish(&o);
}

static int verdict(const struct check *c, const struct ksyms_diff *d)
{
	const struct ksyms_diff_summary *s = ksyms_diff_summary(d);
	size_t paired = s->same + s->moved;
	bool match = s->unexplained == 0 && paired > 0;
	char slide[32], ex[600];

	format_slide(slide, sizeof(slide), s);
	example(c, d, ex, sizeof(ex));
	if (c->json)
		print_json(c, s, match, slide, ex);
	else if (match)
		printf("%s matches %s (%zu symbols, KASLR slide %s)\n", c->map_path, c->ks_path, paired, slide);
	else if (!paired)
		printf("%s does NOT match %s: no symbol in common\n", c->map_path, c->ks_path);
	else
		printf("%s does NOT match %s: %zu symbol%s beyond a constant slide (e.g. %s)\n", c->map_path,
		       c->ks_path, s->unexplained, s->unexplained == 1 ? " differs" : "s differ", ex);
	return match ? 0 : EXIT_BAD_INPUT;
}

static int compare(struct check *c)
{
	KSYMS_OPTS(ksyms_diff_opts, o, .strict = false);
	struct ksyms_diff *d;
	struct ksyms_error *err = ksyms_diff_create(c->map, c->ks, &o, &d);

	if (err) {
		report_error(NULL, err);
		return EXIT_BAD_INPUT;
	}
	int rc = verdict(c, d);
	ksyms_diff_destroy(d);
	return rc;
}

static void check_map_option(void *ctx, int key, const char *arg)
{
	struct check *c = ctx;

	if (key == 'k')
		c->ks_path = arg;
	else
		c->json = true;
}

int cmd_check_map(int argc, char **argv)
{
	struct check c = { 0 };
	struct input_opts in;

	input_opts_init(&in);
	int i = parse_options(&check_map_spec, argc, argv, &in, check_map_option, &c);
	if (argc - i > 1)
		usage_error(&check_map_spec, "check-map takes at most one SYSTEM_MAP");
	c.map_path = i < argc ? argv[i] : default_map(&c);
	if (!c.ks_path)
		c.ks_path = c.default_ks = sys_path("/proc/kallsyms");
	if (strcmp(c.map_path, "-") == 0 && strcmp(c.ks_path, "-") == 0)
		usage_error(&check_map_spec, "stdin ('-') can be only one of SYSTEM_MAP and --kallsyms");
	int rc = open_inputs(&c, &in);
	if (!rc)
		rc = compare(&c);
	ksyms_table_destroy(c.map);
	ksyms_table_destroy(c.ks);
	free(c.default_map);
	free(c.default_ks);
	return rc;
}
