// SPDX-License-Identifier: MIT
/* ksyms extract: write the kernel (or one layer of the chain) out of an image. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

static const struct opt extract_opts_list[] = {
	{ "output", 'o', "OUT", "the file to write; '-' writes to stdout (not a terminal)" },
	{ "step", 'n', "N", "write what layer N yields instead of the kernel" },
	{ "force", 'f', NULL, "overwrite OUT if it exists" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec extract_spec = {
	.name = "extract",
	.usage = "extract [OPTIONS] -o OUT IMAGE",
	.about = "Write the kernel inside IMAGE with every container and compression removed,\n"
		 "like the kernel's scripts/extract-vmlinux, or with --step N the data that\n"
		 "layer N of the chain yields ('ksyms info' numbers them, 0 = outermost).\n"
		 "Without --step, IMAGE must hold a kernel (its \"Linux version\" banner): a\n"
		 "file that holds none is an error, not a copy.\n",
	.opts = extract_opts_list,
	.groups = OPTS_IMAGE,
};

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
	char *banner = NULL;
	/* --step names a layer: write it, kernel or not */
	struct ksyms_error *err = x->has_step ? NULL : ksyms_image_banner(img, &banner);
	ksyms_free(banner);
	if (err) {
		size_t len;
		ksyms_image_layer_data(img, ksyms_image_layer_count(img) - 1, &len);
		ksyms_error_destroy(err);
		fprintf(stderr, "%s: '%s': no kernel found in the %zu bytes %s (no \"Linux version\" banner; "
			"not a kernel, or one cut short? --step N writes a layer anyway)\n", progname, image, len,
			ksyms_image_layer_count(img) > 1 ? "it unpacks to" : "of the file");
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
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

static void extract_option(void *ctx, int key, const char *arg)
{
	struct extract_opts *x = ctx;

	switch (key) {
	case 'o': x->out = arg; break;
	case 'n': x->has_step = true; x->step = parse_number("step", arg); break;
	default: x->force = true; break; /* -f */
	}
}

int cmd_extract(int argc, char **argv)
{
	struct input_opts in;
	struct extract_opts x = { 0 };

	input_opts_init(&in);
	int i = parse_options(&extract_spec, argc, argv, &in, extract_option, &x);
	if (argc - i != 1)
		usage_error(&extract_spec, "extract takes one IMAGE");
	if (!x.out)
		usage_error(&extract_spec, "extract needs -o OUT (or -o - for stdout)");
	return extract(&x, argv[i], &in);
}
