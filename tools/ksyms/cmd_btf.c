// SPDX-License-Identifier: MIT
/* ksyms btf: the kernel's BTF type information, as /sys/kernel/btf/vmlinux holds it. */
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const struct opt btf_opts[] = {
	{ "output", 'o', "OUT", "the file to write (default: stdout, not a terminal)" },
	{ "force", 'f', NULL, "overwrite OUT if it exists" },
	{ "json", 'j', NULL, "print where the BTF is instead of writing it" },
	{ "verbose", 'v', NULL, "explain what was found (twice: every candidate)" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec btf_spec = {
	.name = "btf",
	.usage = "btf [OPTIONS] [-o OUT] IMAGE",
	.about = "Write the BTF blob of the kernel in IMAGE (CONFIG_DEBUG_INFO_BTF): the bytes\n"
		 "the booted kernel shows as /sys/kernel/btf/vmlinux, for 'bpftool btf dump\n"
		 "file OUT format c > vmlinux.h' and pahole.  Found by __start_BTF/__stop_BTF,\n"
		 "an ELF's .BTF section, or its header; validated before it is written.  A\n"
		 "kernel without BTF is an error (exit 1).\n",
	.opts = btf_opts,
	.groups = OPTS_INPUT,
};

struct btf_args {
	const char *out;
	bool force, json;
};

static void print_json(const char *path, const struct ksyms_btf_info *b)
{
	struct out o;

	out_init(&o);
	out_str(&o, "{\"file\":");
	out_json_string(&o, path);
	out_printf(&o, ",\"offset\":%llu,\"address\":", (unsigned long long)b->offset);
	if (b->has_address)
		out_printf(&o, "\"0x%llx\"", (unsigned long long)b->address);
	else
		out_str(&o, "null");
	out_printf(&o, ",\"size\":%llu,\"types\":%u,\"endian\":\"%s\",\"found_by\":", (unsigned long long)b->size,
		   b->num_types, b->byte_order == KSYMS_ENDIAN_BIG ? "big" : "little");
	out_json_string(&o, b->found_by);
	out_str(&o, "}\n");
	out_finish(&o);
}

static int btf(const char *path, const char *out, bool force, bool json, struct input_opts *in)
{
	struct ksyms_image *img;
	struct ksyms_btf_info b;
	const void *data;

	if (!json && strcmp(out, "-") == 0 && isatty(STDOUT_FILENO)) {
		fprintf(stderr, "%s: refusing to write BTF to a terminal (use -o FILE, or redirect stdout)\n", progname);
		return EXIT_BAD_INPUT;
	}
	int rc = open_table(path, in, &img, NULL);
	if (rc)
		return rc;
	/* the library decodes the symbols for __start_BTF itself, without the
	 * exports and checks a table from open_table() would cost */
	struct ksyms_error *err = ksyms_image_btf(img, NULL, &in->find, &b, &data);
	if (err) {
		report_error(path, err);
		rc = EXIT_BAD_INPUT;
	} else {
		if (verbose)
			fprintf(stderr, "%s: BTF at offset 0x%llx, %llu bytes, %u types (found by %s)\n", progname,
				(unsigned long long)b.offset, (unsigned long long)b.size, b.num_types, b.found_by);
		if (json)
			print_json(path, &b);
		else
			rc = write_output_file(out, force, data, (size_t)b.size);
	}
	ksyms_image_destroy(img);
	return rc;
}

static void btf_option(void *ctx, int key, const char *arg)
{
	struct btf_args *a = ctx;

	switch (key) {
	case 'o': a->out = arg; break;
	case 'f': a->force = true; break;
	case 'j': a->json = true; break;
	}
}

int cmd_btf(int argc, char **argv)
{
	struct btf_args a = { .out = "-" };
	struct input_opts in;

	input_opts_init(&in);
	int i = parse_options(&btf_spec, argc, argv, &in, btf_option, &a);
	if (argc - i != 1)
		usage_error(&btf_spec, "btf takes one IMAGE");
	return btf(argv[i], a.out, a.force, a.json, &in);
}
