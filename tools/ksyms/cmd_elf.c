// SPDX-License-Identifier: MIT
/* ksyms elf: an ELF that debuggers and disassemblers read, from any kernel image. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

enum { OPT_MAP = 0x100, OPT_RUNTIME_TEXT, OPT_SLIDE };

static const struct opt elf_opts[] = {
	{ "output", 'o', "OUT", "the ELF to write (default: stdout, not a terminal)" },
	{ "force", 'f', NULL, "overwrite OUT if it exists" },
	{ "map", OPT_MAP, "SRC",
	  "take the symbols from SRC (a System.map, or a /proc/kallsyms\n"
	  "booted with nokaslr) instead of the image's kallsyms; the bytes\nstill come from IMAGE" },
	{ "runtime-text", OPT_RUNTIME_TEXT, "ADDR",
	  "rebase everything for a KASLR boot: ADDR is that boot's run-time\n_text (grep ' _text$' /proc/kallsyms)" },
	{ "slide", OPT_SLIDE, "N", "rebase by N, the KASLR slide (the 'Kernel Offset' value)" },
	{ "base", OPT_BASE, "ADDR",
	  "virtual address of the image's first byte (raw images), as for\nevery command: not the rebase" },
	{ "verbose", 'v', NULL, "say what the sections came from (twice: each region)" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec elf_spec = {
	.name = "elf",
	.usage = "elf [OPTIONS] [-o OUT] IMAGE",
	.about = "Write IMAGE (any kernel ksyms reads: Image, bzImage, zImage, boot.img, FIT,\n"
		 "vmlinux, ...) as an ELF for gdb, objdump, readelf, nm and disassemblers: the\n"
		 "kernel's bytes loaded at their addresses, sections where the kernel's\n"
		 "boundary symbols put them (.text, .rodata, .init.text, .data, .bss, ...), a\n"
		 ".symtab with every symbol sized as %pS sizes it, and .BTF when the kernel\n"
		 "has it.  An ELF vmlinux keeps its own sections and program headers.\n",
	.opts = elf_opts,
	.groups = OPTS_INPUT,
};

struct elf_args {
	struct input_opts in;
	const char *out, *map, *image;
	bool force, has_slide, has_text;
	uint64_t slide, runtime_text;
};

struct sink {
	int fd;
};

static int sink_write(void *ctx, const void *data, size_t len)
{
	struct sink *s = ctx;
	const uint8_t *p = data;

	while (len) {
		ssize_t w = write(s->fd, p, len > (1u << 30) ? (1u << 30) : len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Open OUT for writing, refusing what would lose data or garble a terminal. */
static int open_output(const struct elf_args *a)
{
	struct stat out_st, in_st;

	if (strcmp(a->out, "-") == 0) {
		if (isatty(STDOUT_FILENO)) {
			fprintf(stderr, "%s: refusing to write an ELF to a terminal (use -o FILE, or redirect stdout)\n",
				progname);
			return -1;
		}
		return STDOUT_FILENO;
	}
	bool exists = stat(a->out, &out_st) == 0;
	if (exists && stat(a->image, &in_st) == 0 && in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
		fprintf(stderr, "%s: '%s' is the input file; not overwriting it\n", progname, a->out);
		return -1;
	}
	/* a device or a pipe (/dev/null, a FIFO) is written to, not replaced */
	int how = exists && !S_ISREG(out_st.st_mode) ? 0 : a->force ? O_CREAT | O_TRUNC : O_CREAT | O_EXCL;
	int fd = open(a->out, O_WRONLY | O_CLOEXEC | how, 0666);
	if (fd < 0)
		fprintf(stderr, "%s: cannot create '%s'%s: %s\n", progname, a->out,
			errno == EEXIST ? " (use --force to overwrite it)" : "", strerror(errno));
	return fd;
}

static void log_to_stderr(void *ctx, enum ksyms_log_level level, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s: %s%s\n", progname, level >= KSYMS_LOG_DEBUG ? "debug: " : "", msg);
}

static int open_map(const char *path, struct ksyms_table **ret)
{
	struct ksyms_source_opts so = { .sz = sizeof(so) };
	struct ksyms_error *err = ksyms_table_open(path, &so, ret);

	if (err) {
		report_error(path, err);
		return EXIT_BAD_INPUT;
	}
	if (ksyms_table_info(*ret)->addresses_hidden) {
		report_hidden(path);
		ksyms_table_destroy(*ret);
		return EXIT_BAD_INPUT;
	}
	return 0;
}

/* The slide --runtime-text means: run-time _text minus the table's. */
static bool slide_of_text(struct ksyms_table *tab, uint64_t text, uint64_t *ret)
{
	size_t pos;
	struct ksyms_symbol s;

	if (!ksyms_table_lookup_name(tab, "_text", &pos) || !ksyms_table_by_name(tab, pos, &s, NULL)) {
		fprintf(stderr, "%s: the symbol table has no _text to rebase from; use --slide\n", progname);
		return false;
	}
	*ret = text - s.addr;
	return true;
}

static int write_elf(struct elf_args *a, struct ksyms_image *img, struct ksyms_table *tab, struct ksyms_table *map)
{
	KSYMS_OPTS(ksyms_elf_opts, eo, .symbols = map, .has_slide = a->has_slide || a->has_text, .slide = a->slide);
	struct ksyms_elf_result r;

	if (a->has_text && !slide_of_text(map ? map : tab, a->runtime_text, &eo.slide))
		return EXIT_BAD_INPUT;
	if (verbose) {
		eo.log = log_to_stderr;
		eo.log_level = verbose > 1 ? KSYMS_LOG_DEBUG : KSYMS_LOG_INFO;
	}
	struct sink s = { open_output(a) };
	if (s.fd < 0)
		return EXIT_BAD_INPUT;
	struct ksyms_error *err = ksyms_elf_write(img, tab, &eo, sink_write, &s, &r);
	bool to_stdout = s.fd == STDOUT_FILENO, closed = to_stdout || close(s.fd) == 0;
	if (err || !closed) {
		if (err)
			report_error(a->image, err);
		else
			fprintf(stderr, "%s: cannot write '%s': %s\n", progname, a->out, strerror(errno));
		if (!to_stdout)
			unlink(a->out); /* no half-written file left behind */
		return EXIT_BAD_INPUT;
	}
	if (verbose)
		fprintf(stderr, "%s: wrote %llu bytes: %zu sections, %zu symbols%s\n", progname,
			(unsigned long long)r.size, r.sections, r.symbols, r.has_btf ? ", .BTF" : "");
	return 0;
}

static int run(struct elf_args *a)
{
	struct ksyms_image *img;
	struct ksyms_table *tab, *map = NULL;
	int rc = a->map ? open_map(a->map, &map) : 0;

	if (!rc)
		rc = open_table(a->image, &a->in, &img, &tab);
	if (rc) {
		ksyms_table_destroy(map);
		return rc;
	}
	rc = write_elf(a, img, tab, map);
	ksyms_table_destroy(map);
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	return rc;
}

static void elf_option(void *ctx, int key, const char *arg)
{
	struct elf_args *a = ctx;

	switch (key) {
	case 'o': a->out = arg; break;
	case 'f': a->force = true; break;
	case OPT_MAP: a->map = arg; break;
	case OPT_RUNTIME_TEXT:
		a->has_text = true;
		a->runtime_text = parse_number("run-time _text address", arg);
		break;
	case OPT_SLIDE:
		a->has_slide = true;
		a->slide = parse_number("slide", arg);
		break;
	}
}

int cmd_elf(int argc, char **argv)
{
	struct elf_args a = { .out = "-" };

	input_opts_init(&a.in);
	a.in.need_addresses = true;
	int i = parse_options(&elf_spec, argc, argv, &a.in, elf_option, &a);
	if (argc - i != 1)
		usage_error(&elf_spec, "elf takes one IMAGE");
	if (a.has_slide && a.has_text)
		usage_error(&elf_spec, "--slide and --runtime-text say the same thing: give one");
	a.image = argv[i];
	return run(&a);
}
