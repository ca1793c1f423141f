/* SPDX-License-Identifier: MIT */
/* The ksyms command line: one file per subcommand, all on <ksyms.h>. */
#ifndef KSYMS_TOOL_CMD_H
#define KSYMS_TOOL_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include <ksyms.h>

/* Exit codes: 0 success, 1 bad or unusable input (or nothing found), 2 usage. */
enum { EXIT_BAD_INPUT = 1, EXIT_USAGE = 2 };

extern const char *progname;
extern int verbose;

int cmd_info(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_symbolize(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_check_map(int argc, char **argv);
int cmd_addr2sym(int argc, char **argv);
int cmd_sym2addr(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_elf(int argc, char **argv);
int cmd_btf(int argc, char **argv);
int cmd_dmesg(int argc, char **argv);
int cmd_scan(int argc, char **argv);

/* Options every command that reads a kernel accepts. */
struct input_opts {
	struct ksyms_find_opts find;
	struct ksyms_open_opts open;
	enum ksyms_source_kind kind; /* --source */
	bool need_addresses;          /* refuse a /proc/kallsyms whose addresses are hidden */
	bool strict;                  /* --strict: fail on anything ksyms cannot vouch for (addresses not verified) */
	bool shows_verification;      /* the command reports the verification itself (info): no warning */
};

void input_opts_init(struct input_opts *o);

/*
 * The command line.  Each command describes its options once, in a
 * cmd_spec: parse_options() builds getopt_long's tables and --help from
 * it, so a command accepts exactly what its help lists.  The options every
 * command that reads a kernel takes come in groups, shared by all of them.
 */
struct opt {
	const char *name; /* long name, without "--" */
	int key;          /* the short option's letter, or a value >= 0x100 (long only) */
	const char *arg;  /* the argument's name in --help; NULL for a flag */
	const char *help; /* one line, or several separated by '\n' */
};

enum opt_group {
	OPTS_IMAGE = 1 << 0,  /* --max-output, --max-depth, -v: opening an image and its containers */
	OPTS_TABLE = 1 << 1,  /* --base, --arch, --bits, --endian, --source, --max-symbols, --max-name-len, --strict */
	OPTS_OUTPUT = 1 << 2, /* -o FILE: the output goes to FILE instead of stdout */
	OPTS_INPUT = OPTS_IMAGE | OPTS_TABLE,
};

/* Keys of the shared options: long-only keys of commands stay below 0x1000. */
enum {
	OPT_BASE = 0x1000, OPT_ARCH, OPT_BITS, OPT_ENDIAN, OPT_SOURCE, OPT_MAX_OUTPUT, OPT_MAX_SYMBOLS,
	OPT_MAX_NAME_LEN, OPT_MAX_DEPTH, OPT_STRICT,
};

struct cmd_spec {
	const char *name;      /* "list" */
	const char *usage;     /* what follows "usage: ksyms ": "list [OPTIONS] [SRC]" */
	const char *about;     /* what the command does, in lines */
	const struct opt *opts; /* its own options, ending with { NULL }; one named like a shared
				 * option replaces that option's help (its key stays the shared one) */
	unsigned groups;       /* enum opt_group */
	const char *epilog;    /* after the options (exit status, ...), or NULL */
};

/* The shared option groups, for the completion and man page checks. */
extern const struct opt image_options[], table_options[], output_options[];

/*
 * Parse argv against @spec.  Shared options go into @in (NULL when the
 * command has no input groups), -o into the output redirection, the rest
 * to @fn.  --help prints the help and exits 0; an unknown option, a missing
 * argument or a bad value prints one line and exits 2.  Returns optind.
 */
int parse_options(const struct cmd_spec *spec, int argc, char **argv, struct input_opts *in,
		  void (*fn)(void *ctx, int key, const char *arg), void *ctx);
void print_help(const struct cmd_spec *spec, FILE *f);
/* One line, "ksyms: CMD: message (see 'ksyms CMD --help')", and exit 2. */
void usage_error(const struct cmd_spec *spec, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* -o FILE: the command's stdout goes to a temporary file beside FILE,
 * renamed to FILE by output_finish() when the command produced output or
 * succeeded, removed otherwise (and at any other exit). */
int output_finish(int rc);

/* Parse a number (decimal, or hex with 0x); exits with a usage error on garbage. */
unsigned long long parse_number(const char *what, const char *s);
/* --source KIND */
enum ksyms_source_kind parse_source_kind(const char *arg);

/* Open @path and decode its table; on failure print the error and return
 * EXIT_BAD_INPUT.  *img may be NULL-ed when not wanted. */
int open_table(const char *path, struct input_opts *o, struct ksyms_image **img, struct ksyms_table **tab);

/* Print "ksyms: 'path': message" for an error and destroy it. */
void report_error(const char *path, struct ksyms_error *err);
/* Explain that a /proc/kallsyms shows only zero addresses (kptr_restrict). */
void report_hidden(const char *path);

/* -t/--type LETTERS, -s/--substring TEXT and -g/--glob PATTERN (the last two
 * repeatable): which symbols list and diff keep.  A symbol is kept when its type
 * is one of LETTERS (if given) and its name matches any TEXT or PATTERN (if any). */
struct name_filter {
	const char *types;
	const char **subs, **globs;
	size_t nsubs, nglobs;
};
bool name_filter_init(struct name_filter *f, int argc); /* false on out of memory */
/* Handle 't', 's' or 'g'; returns false if @opt is not one of them. */
bool name_filter_option(struct name_filter *f, int opt, const char *arg);
bool name_filter_active(const struct name_filter *f); /* any of -t, -s, -g given */
bool name_filter_keep(const struct name_filter *f, const struct ksyms_symbol *s);
void name_filter_free(struct name_filter *f);

/* Write @data to @path ("-" is stdout), refusing an existing file unless
 * @force.  On failure print why, remove a half-written file and return
 * EXIT_BAD_INPUT; a reader that goes away (EPIPE on stdout) is no failure. */
int write_output_file(const char *path, bool force, const void *data, size_t len);

/* Buffered stdout writing for big listings. */
struct out {
	char *buf;
	size_t len, cap;
	bool failed;
};
void out_init(struct out *o);
void out_flush(struct out *o);
int out_finish(struct out *o); /* flush; returns 0 or EXIT_BAD_INPUT on write error */
void out_bytes(struct out *o, const char *s, size_t n);
void out_str(struct out *o, const char *s);
void out_char(struct out *o, char c);
void out_hex(struct out *o, uint64_t v, int digits); /* zero-padded lowercase */
/* "ADDRESS TYPE NAME\n" as /proc/kallsyms prints it (%0*lx %c %s). */
void out_symbol_line(struct out *o, uint64_t addr, int digits, char type, const char *name);
/*
 * JSON strings (json.c).  Strings are UTF-8; kernel names are bytes.  Valid
 * UTF-8 is written as it is (control characters, '"' and '\\' escaped); a
 * byte that is not part of valid UTF-8 becomes U+FFFD, and then the member
 * "KEY_hex" follows "KEY" with the exact bytes in hex, so that every output
 * is valid JSON for any parser and every name can be had back exactly.
 */
/* "s" (a value, for strings that are always text: option names, formats) */
void out_json_string(struct out *o, const char *s);
/* "key":"value"[,"key_hex":"..."] */
void out_json_member(struct out *o, const char *key, const char *value);
void out_json_member_bytes(struct out *o, const char *key, const char *p, size_t n);
/* "key":null when @value is NULL */
void out_json_member_or_null(struct out *o, const char *key, const char *value);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* cmd_info.c: "chain":[{format, offset, size, out_size, description}, ...] (info and scan) */
void out_json_chain(struct out *o, const struct ksyms_image *img);
/* cmd_info.c: "btf":{offset, address, size, types, found_by}, or null when @b is NULL (info and scan) */
void out_json_btf(struct out *o, const struct ksyms_btf_info *b);

/* symfmt.c: symbols as list, addr2sym and sym2addr write them. */
/* "\tEXPORT_SYMBOL_GPL[\tNAMESPACE]", or nothing for a symbol that is not exported. */
void out_export_text(struct out *o, const struct ksyms_export *x);
/* ,"export":"EXPORT_SYMBOL"|null[,"namespace":"NS"] */
void out_export_json(struct out *o, const struct ksyms_export *x);
/* The kernel's %pS: name+0xoff/0xsize [module] */
void out_symbol_offset(struct out *o, const struct ksyms_match *m);
/* The same as a string (malloc'd; NULL when out of memory) */
char *symbol_offset_string(const struct ksyms_match *m);
/* Hex digits of an address of this table: 8 or 16, as /proc/kallsyms. */
int addr_digits(const struct ksyms_table *tab);
/* A kernel address as typed: hex, optional 0x, fitted to the table's word size. */
bool parse_kernel_addr(struct ksyms_table *tab, const char *s, uint64_t *ret);

/* running.c: the running kernel, the default source; paths are under
 * $KSYMS_SYSROOT when it is set (tests build a fake root). */
char *sys_path(const char *fmt, ...) __attribute__((format(printf, 1, 2))); /* malloc'd */
const char *running_release(void);  /* uname -r */
char *running_image(void);           /* the first readable image of the running kernel, or NULL */
/* /proc/config.gz, else /boot/config-R: the text (malloc'd) and where it came from */
char *running_config(size_t *ret_len, char **ret_path);
/* The running kernel's table: /proc/kallsyms when it shows addresses, else
 * its image, when the system shows it was not moved or @need_runtime is
 * false (the caller infers the slide); else one line saying how to get
 * permission, and EXIT_BAD_INPUT.  *ret_path is malloc'd. */
int open_running_table(struct input_opts *in, bool need_runtime, struct ksyms_table **ret_tab, char **ret_path);
/* info: the release, /sys/kernel/btf/vmlinux, the configuration */
void running_print_text(struct out *o);
void running_print_json(struct out *o); /* ,"running":{...} */
/* Is this argument a file (or "-") rather than an address or a name? */
bool names_file(const char *arg);

#endif
