// SPDX-License-Identifier: MIT
/*
 * ksyms check-map: "does this System.map match the running kernel?" in one
 * line.  A ksyms_diff of the map against /proc/kallsyms, where a constant
 * slide (KASLR) and what kallsyms legitimately leaves out still match.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cmd.h"

static const char usage_text[] =
	"usage: ksyms check-map [OPTIONS] [SYSTEM_MAP]\n"
	"Does SYSTEM_MAP (default: /boot/System.map-$(uname -r)) match the running kernel?\n"
	"It is compared with /proc/kallsyms by name.  A constant slide (KASLR) still matches,\n"
	"and so does what kallsyms leaves out of System.map: absolute symbols, local labels,\n"
	"the data symbols of a kernel without CONFIG_KALLSYMS_ALL.  Module symbols are not\n"
	"compared.  SYSTEM_MAP may also be a kernel image or an ELF vmlinux.\n\n"
	"  -k, --kallsyms FILE     a saved copy of /proc/kallsyms (default: the live one)\n"
	"  -j, --json              the answer as a JSON object\n"
	"      --source KIND       read SYSTEM_MAP as KIND (auto, kallsyms, symtab, system.map)\n"
	"      --base, --arch, --endian, --bits, --max-output   for an image, as for 'ksyms list'\n\n"
	"Exit status: 0 it matches, 1 it does not (or an input is unusable), 2 usage.\n";

struct check {
	const char *map_path, *ks_path;
	char default_map[300];
	struct ksyms_table *map, *ks;
	bool json;
};

/* /boot/System.map-$(uname -r), where Debian, Fedora and SUSE install it. */
static const char *default_map(struct check *c)
{
	struct utsname u;

	if (uname(&u) != 0)
		usage_error(usage_text, "no SYSTEM_MAP given, and uname() failed");
	snprintf(c->default_map, sizeof(c->default_map), "/boot/System.map-%s", u.release);
	return c->default_map;
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
	out_str(&o, "{\"map\":");
	out_json_string(&o, c->map_path);
	out_str(&o, ",\"kallsyms\":");
	out_json_string(&o, c->ks_path);
	out_printf(&o, ",\"match\":%s,\"symbols\":%zu,\"slide\":\"%s\",\"differ\":%zu,\"example\":",
		   match ? "true" : "false", s->same + s->moved, slide, s->unexplained);
	if (match)
		out_str(&o, "null");
	else
		out_json_string(&o, ex);
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

int cmd_check_map(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kallsyms", required_argument, NULL, 'k' }, { "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' }, INPUT_LONG_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct check c = { .ks_path = "/proc/kallsyms" };
	struct input_opts in;
	int opt;

	input_opts_init(&in);
	while ((opt = getopt_long(argc, argv, "k:jhv", longopts, NULL)) != -1) {
		if (input_option(&in, opt, optarg))
			continue;
		switch (opt) {
		case 'k': c.ks_path = optarg; break;
		case 'j': c.json = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (argc - optind > 1)
		usage_error(usage_text, "check-map takes at most one SYSTEM_MAP");
	c.map_path = optind < argc ? argv[optind] : default_map(&c);
	int rc = open_inputs(&c, &in);
	if (!rc)
		rc = compare(&c);
	ksyms_table_destroy(c.map);
	ksyms_table_destroy(c.ks);
	return rc;
}
