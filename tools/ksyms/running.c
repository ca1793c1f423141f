// SPDX-License-Identifier: MIT
/*
 * The running kernel: the source of every command that is given none.
 * /proc/kallsyms when it shows addresses; when kptr_restrict hides them,
 * the running kernel's image (/boot/vmlinuz-$(uname -r), or the
 * /lib/modules or /usr/lib/modules copy), whose link-time addresses are
 * the run-time ones only when the system shows there is no KASLR slide
 * (nokaslr on the command line, a kernel built without
 * CONFIG_RANDOMIZE_BASE).  Every path is under $KSYMS_SYSROOT, so tests can
 * build a fake root from corpus files; the CLI reads it, never the library.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cmd.h"

static const char *sysroot(void)
{
	const char *r = getenv("KSYMS_SYSROOT");
	return r ? r : "";
}

char *sys_path(const char *fmt, ...)
{
	char rel[512], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	size_t nr = strlen(sysroot()), n = strlen(rel);
	p = malloc(nr + n + 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_BAD_INPUT);
	}
	memcpy(p, sysroot(), nr);
	memcpy(p + nr, rel, n + 1);
	return p;
}

const char *running_release(void)
{
	static struct utsname u;
	static bool done;

	if (!done && uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	done = true;
	return u.release;
}

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

/* Where distributions install the image of kernel R. */
static const char *const image_paths[] = { "/boot/vmlinuz-%s", "/lib/modules/%s/vmlinuz", "/usr/lib/modules/%s/vmlinuz" };

char *running_image(void)
{
	for (size_t i = 0; i < sizeof(image_paths) / sizeof(image_paths[0]); i++) {
		char *p = sys_path(image_paths[i], running_release());
		if (readable(p))
			return p;
		free(p);
	}
	return NULL;
}

/* A whole small file (/proc/cmdline, /proc/sys/...), or NULL. */
static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (!nb)
				break;
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	bool bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	if (ret_len)
		*ret_len = len;
	return buf;
}

char *running_config(size_t *ret_len, char **ret_path)
{
	char *p = sys_path("/proc/config.gz");
	struct ksyms_image *img;
	KSYMS_OPTS(ksyms_open_opts, oo, .max_depth = 2);

	if (readable(p) && !ksyms_image_open(p, &oo, &img)) {
		size_t len;
		const char *data = ksyms_image_layer_data(img, ksyms_image_layer_count(img) - 1, &len);
		char *copy = malloc(len + 1);
		if (copy) {
			memcpy(copy, data, len);
			copy[len] = 0;
			*ret_len = len;
			*ret_path = p;
		}
		ksyms_image_destroy(img);
		if (copy)
			return copy;
	}
	free(p);
	p = sys_path("/boot/config-%s", running_release());
	char *text = slurp(p, ret_len);
	if (text) {
		*ret_path = p;
		return text;
	}
	free(p);
	return NULL;
}

/* Does the system show that the kernel was not moved?  nokaslr on its
 * command line, or a configuration without CONFIG_RANDOMIZE_BASE. */
static bool no_slide(void)
{
	char *p = sys_path("/proc/cmdline"), *path = NULL;
	char *cmdline = slurp(p, NULL);
	bool none = false;
	size_t len;

	free(p);
	for (const char *t = cmdline; t && (t = strstr(t, "nokaslr")); t += 7) {
		bool starts = t == cmdline || t[-1] == ' ' || t[-1] == '\t';
		none = none || (starts && (!t[7] || t[7] == ' ' || t[7] == '\t' || t[7] == '\n'));
	}
	free(cmdline);
	if (none)
		return true;
	char *config = running_config(&len, &path);
	none = config && strncmp(config, "CONFIG_RANDOMIZE_BASE=y\n", 24) != 0 &&
	       !strstr(config, "\nCONFIG_RANDOMIZE_BASE=y\n");
	free(config);
	free(path);
	return none;
}

/* " (kernel.kptr_restrict=1)", or "" when it cannot be read; and how to
 * get permission: with 2 even root sees zeros until it is lowered. */
static const char *kptr_restrict(char *buf, size_t len)
{
	char *p = sys_path("/proc/sys/kernel/kptr_restrict");
	char *v = slurp(p, NULL);
	const char *how = "run as root (or with CAP_SYSLOG)";

	free(p);
	buf[0] = 0;
	if (v && v[0] >= '0' && v[0] <= '9')
		snprintf(buf, len, " (kernel.kptr_restrict=%c)", v[0]);
	if (v && v[0] == '2')
		how = "run as root after 'sysctl kernel.kptr_restrict=1'";
	free(v);
	return how;
}

int open_running_table(struct input_opts *in, bool need_runtime, struct ksyms_table **ret_tab, char **ret_path)
{
	char *proc = sys_path("/proc/kallsyms");
	struct ksyms_table *tab = NULL;
	struct input_opts pin = *in;
	char why[64];

	pin.kind = KSYMS_SOURCE_PROC_KALLSYMS;
	pin.need_addresses = false;
	if (readable(proc)) {
		if (open_table(proc, &pin, NULL, &tab))
			tab = NULL; /* said why; try the image */
		else if (!ksyms_table_info(tab)->addresses_hidden) {
			*ret_tab = tab;
			*ret_path = proc;
			return 0;
		}
		ksyms_table_destroy(tab);
	}
	const char *how = kptr_restrict(why, sizeof(why));
	char *img = running_image();
	if (!img) {
		fprintf(stderr,
			"%s: %s: kernel addresses are hidden from this user%s and no image of the running kernel %s "
			"is readable (/boot/vmlinuz-%s, /lib/modules/%s/vmlinuz): %s, or name a source\n",
			progname, proc, why, running_release(), running_release(), running_release(), how);
		free(proc);
		return EXIT_BAD_INPUT;
	}
	if (need_runtime && !no_slide()) {
		fprintf(stderr,
			"%s: %s: kernel addresses are hidden from this user%s, and the KASLR slide of %s is not "
			"shown: %s, or name the image to get link-time addresses\n",
			progname, proc, why, img, how);
		free(proc);
		free(img);
		return EXIT_BAD_INPUT;
	}
	free(proc);
	in->open.kallsyms_only = false;
	if (open_table(img, in, NULL, &tab)) {
		free(img);
		return EXIT_BAD_INPUT;
	}
	if (verbose)
		fprintf(stderr, "%s: /proc/kallsyms hides addresses%s: reading %s\n", progname, why, img);
	*ret_tab = tab;
	*ret_path = img;
	return 0;
}

static void file_or_none(struct out *o, const char *label, char *path)
{
	out_printf(o, "%-15s%s\n", label, path ? path : "none");
	free(path);
}

static char *existing(char *path)
{
	if (readable(path))
		return path;
	free(path);
	return NULL;
}

void running_print_text(struct out *o)
{
	char *cfg = existing(sys_path("/proc/config.gz"));

	if (!cfg)
		cfg = existing(sys_path("/boot/config-%s", running_release()));
	out_printf(o, "%-15s%s (uname -r)\n", "running:", running_release());
	file_or_none(o, "btf:", existing(sys_path("/sys/kernel/btf/vmlinux")));
	file_or_none(o, "config:", cfg);
}

void running_print_json(struct out *o)
{
	char *btf = existing(sys_path("/sys/kernel/btf/vmlinux"));
	char *pcfg = existing(sys_path("/proc/config.gz"));
	char *bcfg = existing(sys_path("/boot/config-%s", running_release()));

	out_str(o, ",\"running\":{");
	out_json_member(o, "release", running_release());
	out_char(o, ',');
	out_json_member_or_null(o, "btf", btf);
	out_char(o, ',');
	out_json_member_or_null(o, "config", pcfg ? pcfg : bcfg);
	out_char(o, '}');
	free(btf);
	free(pcfg);
	free(bcfg);
}

bool names_file(const char *arg)
{
	return strcmp(arg, "-") == 0 || strchr(arg, '/') || access(arg, F_OK) == 0;
}
