// SPDX-License-Identifier: MIT
/* ksyms btf: the kernel's BTF type information, as /sys/kernel/btf/vmlinux holds it. */
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const char usage_text[] =
	"usage: ksyms btf [OPTIONS] [-o OUT] IMAGE\n"
	"Write the BTF blob of the kernel in IMAGE (CONFIG_DEBUG_INFO_BTF): the bytes\n"
	"the booted kernel shows as /sys/kernel/btf/vmlinux, for 'bpftool btf dump\n"
	"file OUT format c > vmlinux.h' and pahole.  Found by __start_BTF/__stop_BTF,\n"
	"an ELF's .BTF section, or its header; validated before it is written.  A\n"
	"kernel without BTF is an error (exit 1).\n\n"
	"  -o, --output OUT        the file to write (default: stdout, not a terminal)\n"
	"  -f, --force             overwrite OUT if it exists\n"
	"  -j, --json              print where the BTF is instead of writing it\n"
	"      --base ADDR         virtual address of the image's first byte\n"
	"      --arch ARCH, --endian little|big, --bits 32|64   override detection\n"
	INPUT_LIMITS_USAGE
	"  -v, --verbose           explain what was found (twice: every candidate)\n";

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

int cmd_btf(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' }, INPUT_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct input_opts in;
	const char *out = "-";
	bool force = false, json = false;
	int opt;

	input_opts_init(&in);
	while ((opt = getopt_long(argc, argv, "o:fjhv", longopts, NULL)) != -1) {
		if (input_option(&in, opt, optarg))
			continue;
		switch (opt) {
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'j': json = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		usage_error(usage_text, "btf takes one IMAGE");
	return btf(argv[optind], out, force, json, &in);
}
