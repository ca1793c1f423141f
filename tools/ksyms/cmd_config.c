// SPDX-License-Identifier: MIT
/* ksyms config: the .config embedded with CONFIG_IKCONFIG, like
 * scripts/extract-ikconfig, and the version banner; without IMAGE, the
 * running kernel's (/proc/config.gz, /boot/config-$(uname -r)). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct opt config_opts[] = {
	{ "banner", 'b', NULL, "print the banner on stdout, first, as a '# ' comment" },
	{ "quiet", 'q', NULL, "do not print the banner on stderr" },
	{ "json", 'j', NULL,
	  "one JSON object: \"file\", \"banner\", and \"options\", which maps each\n"
	  "CONFIG_ name to its value as text (\"y\", \"m\", \"0x1000\"; strings\n"
	  "unquoted), or to null for '# CONFIG_... is not set'" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec config_spec = {
	.name = "config",
	.usage = "config [OPTIONS] [IMAGE]",
	.about = "Print the .config the kernel was built with, as embedded by CONFIG_IKCONFIG\n"
		 "(what scripts/extract-ikconfig and /proc/config.gz give), to stdout; the\n"
		 "\"Linux version\" banner goes to stderr.  A kernel built without\n"
		 "CONFIG_IKCONFIG has none: that is said plainly, with exit status 1.  Without\n"
		 "IMAGE, the running kernel's: /proc/config.gz, else /boot/config-$(uname -r).\n",
	.opts = config_opts,
	.groups = OPTS_IMAGE | OPTS_OUTPUT,
};

struct config_args {
	bool banner, quiet, json;
};

static void config_option(void *ctx, int key, const char *arg)
{
	struct config_args *a = ctx;

	(void)arg;
	if (key == 'b')
		a->banner = true;
	else if (key == 'q')
		a->quiet = true;
	else
		a->json = true;
}

/* "value" of a string option: the text between the quotes, unescaped in place */
static size_t unquote(char *v, size_t n)
{
	size_t w = 0;

	if (n < 2 || v[0] != '"' || v[n - 1] != '"')
		return n;
	for (size_t r = 1; r + 1 < n; r++) {
		if (v[r] == '\\' && r + 2 < n)
			r++;
		v[w++] = v[r];
	}
	return w;
}

static bool config_name(const char *p, size_t n)
{
	if (n <= 7 || strncmp(p, "CONFIG_", 7) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(p[i] == '_' || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z') ||
		      (p[i] >= '0' && p[i] <= '9')))
			return false;
	return true;
}

/* One option line, written as a member of "options"; returns whether it was one. */
static bool json_option(struct out *o, char *line, size_t n, bool first)
{
	static const char unset[] = " is not set";
	char *eq = memchr(line, '=', n), name[256];
	size_t nl;

	if (n > 2 + sizeof(unset) && line[0] == '#' && line[1] == ' ' &&
	    memcmp(line + n - (sizeof(unset) - 1), unset, sizeof(unset) - 1) == 0) {
		nl = n - 2 - (sizeof(unset) - 1);
		if (!config_name(line + 2, nl) || nl >= sizeof(name))
			return false;
		memcpy(name, line + 2, nl);
		name[nl] = 0;
		out_printf(o, "%s\"%s\":null", first ? "" : ",", name);
		return true;
	}
	if (!eq || !config_name(line, (size_t)(eq - line)) || (size_t)(eq - line) >= sizeof(name))
		return false;
	nl = (size_t)(eq - line);
	memcpy(name, line, nl);
	name[nl] = 0;
	if (!first)
		out_char(o, ',');
	out_json_member_bytes(o, name, eq + 1, unquote(eq + 1, n - nl - 1));
	return true;
}

static void print_json(struct out *o, const char *file, const char *banner, char *config, size_t len)
{
	bool first = true;

	out_char(o, '{');
	out_json_member(o, "file", file);
	out_char(o, ',');
	out_json_member_or_null(o, "banner", banner);
	out_str(o, ",\"options\":{");
	for (size_t p = 0; p < len;) {
		char *nl = memchr(config + p, '\n', len - p);
		size_t n = nl ? (size_t)(nl - (config + p)) : len - p;
		if (json_option(o, config + p, n, first))
			first = false;
		p += n + 1;
	}
	out_str(o, "}}\n");
}

static void print_banner(const char *banner, struct out *o, const struct config_args *a)
{
	if (!banner || a->json)
		return;
	if (a->banner)
		out_printf(o, "# %s\n", banner);
	else if (!a->quiet)
		fprintf(stderr, "%s\n", banner);
}

/* The running kernel's banner: /proc/version, without its newline. */
static char *running_banner(void)
{
	char *p = sys_path("/proc/version"), buf[1024];
	FILE *f = fopen(p, "r");
	char *b = NULL;

	free(p);
	if (f && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = 0;
		b = strdup(buf);
	}
	if (f)
		fclose(f);
	return b;
}

static int running(const struct config_args *a)
{
	char *path = NULL, *banner = running_banner();
	size_t len = 0;
	char *config = running_config(&len, &path);
	struct out o;

	if (!config) {
		char *gz = sys_path("/proc/config.gz"), *boot = sys_path("/boot/config-%s", running_release());
		fprintf(stderr, "%s: the running kernel's configuration is in neither %s nor %s\n", progname, gz,
			boot);
		free(gz);
		free(boot);
		free(banner);
		return EXIT_BAD_INPUT;
	}
	out_init(&o);
	print_banner(banner, &o, a);
	if (a->json)
		print_json(&o, path, banner, config, len);
	else
		out_bytes(&o, config, len);
	free(config);
	free(path);
	free(banner);
	return out_finish(&o);
}

int cmd_config(int argc, char **argv)
{
	struct config_args a = { 0 };
	struct input_opts in;
	struct ksyms_image *img;

	input_opts_init(&in);
	int i = parse_options(&config_spec, argc, argv, &in, config_option, &a);
	if (argc - i > 1)
		usage_error(&config_spec, "config takes at most one IMAGE");
	if (i == argc)
		return running(&a);
	const char *path = argv[i];
	int rc = open_table(path, &in, &img, NULL);
	if (rc)
		return rc;
	char *config = NULL, *banner = NULL;
	size_t len = 0;
	ksyms_error_destroy(ksyms_image_banner(img, &banner));
	struct ksyms_error *err = ksyms_image_config(img, &config, &len);
	struct out o;
	if (err) {
		/* nothing on stdout on error: the banner, if wanted, on stderr */
		if (banner && !a.quiet)
			fprintf(stderr, "%s\n", banner);
		report_error(path, err);
		ksyms_free(banner);
		ksyms_image_destroy(img);
		return EXIT_BAD_INPUT;
	}
	out_init(&o);
	print_banner(banner, &o, &a);
	if (a.json)
		print_json(&o, path, banner, config, len);
	else
		out_bytes(&o, config, len);
	ksyms_free(config);
	ksyms_free(banner);
	ksyms_image_destroy(img);
	return out_finish(&o);
}
