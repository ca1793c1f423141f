// SPDX-License-Identifier: MIT
/* ksyms extract: write the kernel (or one layer of the chain) out of an image. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

static const char usage_text[] =
	"usage: ksyms extract [OPTIONS] -o OUT IMAGE\n"
	"Write the kernel inside IMAGE with every container and compression removed,\n"
	"like the kernel's scripts/extract-vmlinux, or with --step N the data that\n"
	"layer N of the chain yields ('ksyms info' numbers them, 0 = outermost).\n\n"
	"  -o, --output OUT        the file to write; '-' writes to stdout (not a terminal)\n"
	"  -n, --step N            write what layer N yields instead of the kernel\n"
	"  -f, --force             overwrite OUT if it exists\n"
	"      --max-output BYTES  cap on decompressed data (default 1 GiB)\n"
	"  -v, --verbose           explain what was found (twice: every candidate)\n";

struct extract_opts {
	const char *out;
	bool force, has_step;
	unsigned long long step;
};

/* Refuse what would lose data or garble a terminal, before any work. */
static bool output_allowed(const struct extract_opts *x, const char *image)
{
	struct stat out_st, in_st;

	if (strcmp(x->out, "-") == 0) {
		if (!isatty(STDOUT_FILENO))
			return true;
		fprintf(stderr, "%s: refusing to write a kernel to a terminal (use -o FILE, or redirect stdout)\n",
			progname);
		return false;
	}
	if (stat(x->out, &out_st) != 0)
		return true;
	if (!x->force) {
		fprintf(stderr, "%s: '%s' exists (use --force to overwrite it)\n", progname, x->out);
		return false;
	}
	/* truncating the mapped input would crash us and destroy the input */
	if (stat(image, &in_st) == 0 && in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
		fprintf(stderr, "%s: '%s' is the input file; not overwriting it\n", progname, x->out);
		return false;
	}
	return true;
}

static int extract(const struct extract_opts *x, const char *image, struct input_opts *in)
{
	struct ksyms_image *img;

	if (!output_allowed(x, image))
		return EXIT_BAD_INPUT;
	int rc = open_table(image, in, &img, NULL);
	if (rc)
		return rc;
	size_t n = ksyms_image_layer_count(img);
	size_t step = x->has_step ? (size_t)x->step : n - 1;
	if (x->has_step && x->step >= n) {
		fprintf(stderr, "%s: '%s': there is no layer %llu; the chain has layers 0 to %zu\n", progname, image,
			x->step, n - 1);
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
	size_t len;
	const void *data = ksyms_image_layer_data(img, step, &len);
	if (verbose)
		fprintf(stderr, "%s: writing layer %zu (%s), %zu bytes\n", progname, step,
			ksyms_image_layer(img, step)->format, len);
	rc = write_output_file(x->out, x->force, data, len);
	ksyms_image_destroy(img);
	return rc;
}

int cmd_extract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' }, { "step", required_argument, NULL, 'n' },
		{ "force", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' },
		{ "max-output", required_argument, NULL, 'M' }, { "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct input_opts in;
	struct extract_opts x = { 0 };
	int opt;

	input_opts_init(&in);
	while ((opt = getopt_long(argc, argv, "o:n:fhv", longopts, NULL)) != -1) {
		if (input_option(&in, opt, optarg))
			continue;
		switch (opt) {
		case 'o': x.out = optarg; break;
		case 'n': x.has_step = true; x.step = parse_number("step", optarg); break;
		case 'f': x.force = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		usage_error(usage_text, "extract takes one IMAGE");
	if (!x.out)
		usage_error(usage_text, "extract needs -o OUT (or -o - for stdout)");
	return extract(&x, argv[optind], &in);
}
