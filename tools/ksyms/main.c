// SPDX-License-Identifier: MIT
/* ksyms: the command-line tool.  Dispatches to one file per subcommand. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

const char *progname = "ksyms";
int verbose;

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "info", cmd_info, "where the kallsyms tables are in a kernel image, and their layout" },
	{ "scan", cmd_scan, "which files under a folder hold a kernel, and what kernel" },
	{ "list", cmd_list, "print the symbol table like /proc/kallsyms" },
	{ "addr2sym", cmd_addr2sym, "addresses to symbol+offset/size, as the kernel's %pS prints them" },
	{ "sym2addr", cmd_sym2addr, "symbol names or patterns to addresses" },
	{ "config", cmd_config, "the .config embedded with CONFIG_IKCONFIG, and the version banner" },
	{ "diff", cmd_diff, "compare two symbol sources: same, moved, only in one, the slide" },
	{ "check-map", cmd_check_map, "does this System.map match the running kernel's /proc/kallsyms?" },
	{ "dmesg", cmd_dmesg, "the kernel log buffer of a memory dump (vmcore, QEMU dump, kdump, LiME)" },
	{ "symbolize", cmd_symbolize, "annotate a kernel log (oops, panic, dmesg) with symbol+offset/size" },
	{ "gen", cmd_gen, "build kallsyms tables from a System.map into a synthetic image" },
	{ "extract", cmd_extract, "write the kernel inside an image, decompressed (like extract-vmlinux)" },
	{ "elf", cmd_elf, "an ELF for gdb, objdump and disassemblers: sections, .symtab, .BTF" },
	{ "btf", cmd_btf, "the kernel's BTF type information, as /sys/kernel/btf/vmlinux" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-v] [--version] COMMAND [OPTIONS] [ARGS]\n\ncommands:\n", progname);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'%s COMMAND --help' describes a command.\n", progname);
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
			verbose++;
		} else if (strcmp(argv[i], "-vv") == 0) {
			verbose += 2;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("ksyms %s\n", ksyms_version());
			return 0;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", progname, argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* an unambiguous prefix selects a command (bpftool) */
	int found = -1;
	size_t len = strlen(argv[i]);
	for (size_t c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strncmp(commands[c].name, argv[i], len) != 0)
			continue;
		if (strlen(commands[c].name) == len) {
			found = (int)c;
			break;
		}
		found = found == -1 ? (int)c : -2;
	}
	if (found < 0) {
		fprintf(stderr, "%s: %s command '%s'\n", progname, found == -2 ? "ambiguous" : "unknown", argv[i]);
		usage(stderr);
		return EXIT_USAGE;
	}
	return output_finish(commands[found].fn(argc - i, argv + i));
}
