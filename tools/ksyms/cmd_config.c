// SPDX-License-Identifier: MIT
/* ksyms config: the .config embedded with CONFIG_IKCONFIG, like
 * scripts/extract-ikconfig, and the version banner. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char usage_text[] =
	"usage: ksyms config [OPTIONS] IMAGE\n"
	"Print the .config the kernel was built with, as embedded by CONFIG_IKCONFIG\n"
	"(what scripts/extract-ikconfig and /proc/config.gz give), to stdout; the\n"
	"\"Linux version\" banner goes to stderr.  A kernel built without\n"
	"CONFIG_IKCONFIG has none: that is said plainly, with exit status 1.\n\n"
	"  -b, --banner            print the banner on stdout, first, as a '# ' comment\n"
	"  -q, --quiet             do not print the banner on stderr\n"
	"      --max-output BYTES  cap on decompressed data (default 1 GiB)\n"
	"  -v, --verbose           explain what was found\n";

static void print_banner(const struct ksyms_image *img, struct out *o, bool to_stdout, bool quiet)
{
	char *banner = NULL;
	struct ksyms_error *err = ksyms_image_banner(img, &banner);

	ksyms_error_destroy(err);
	if (banner && to_stdout)
		out_printf(o, "# %s\n", banner);
	else if (banner && !quiet)
		fprintf(stderr, "%s\n", banner);
	ksyms_free(banner);
}

int cmd_config(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "banner", no_argument, NULL, 'b' }, { "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' }, INPUT_LONG_OPTIONS, { NULL, 0, NULL, 0 },
	};
	struct input_opts in;
	bool banner = false, quiet = false;
	struct ksyms_image *img;
	int opt;

	input_opts_init(&in);
	while ((opt = getopt_long(argc, argv, "bqhv", longopts, NULL)) != -1) {
		if (input_option(&in, opt, optarg))
			continue;
		switch (opt) {
		case 'b': banner = true; break;
		case 'q': quiet = true; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1)
		usage_error(usage_text, "config takes one IMAGE");
	int rc = open_table(argv[optind], &in, &img, NULL);
	if (rc)
		return rc;
	char *config = NULL;
	size_t len = 0;
	struct ksyms_error *err = ksyms_image_config(img, &config, &len);
	struct out o;
	out_init(&o);
	print_banner(img, &o, banner, quiet);
	if (err) {
		out_finish(&o);
		report_error(argv[optind], err);
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
	out_bytes(&o, config, len);
	ksyms_free(config);
	ksyms_image_destroy(img);
	return out_finish(&o);
}
