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
int cmd_dmesg(int argc, char **argv);

/* Options every command that reads a kernel accepts. */
struct input_opts {
	struct ksyms_find_opts find;
	struct ksyms_open_opts open;
	enum ksyms_source_kind kind; /* --source */
	bool need_addresses;          /* refuse a /proc/kallsyms whose addresses are hidden */
	/* --strict: addresses that could not be verified are an error, not a warning */
	bool strict;
	/* the command reports the verification itself (info): no warning */
	bool shows_verification;
};

void input_opts_init(struct input_opts *o);
/* Limits on hostile input (SECURITY.md), long options only. */
enum { OPT_MAX_SYMBOLS = 0x1000, OPT_MAX_NAME_LEN, OPT_MAX_DEPTH, OPT_STRICT_INPUT };
#define INPUT_LONG_OPTIONS                                                                   \
	{ "base", required_argument, NULL, 'B' }, { "arch", required_argument, NULL, 'A' },  \
	{ "endian", required_argument, NULL, 'E' }, { "bits", required_argument, NULL, 'W' }, \
	{ "max-output", required_argument, NULL, 'M' }, { "verbose", no_argument, NULL, 'v' }, \
	{ "source", required_argument, NULL, 'S' },                                          \
	{ "max-symbols", required_argument, NULL, OPT_MAX_SYMBOLS },                         \
	{ "max-name-len", required_argument, NULL, OPT_MAX_NAME_LEN },                       \
	{ "max-depth", required_argument, NULL, OPT_MAX_DEPTH },                             \
	{ "strict", no_argument, NULL, OPT_STRICT_INPUT }
/* The usage lines of the limits, for the commands that list them. */
#define INPUT_LIMITS_USAGE                                                                       \
	"      --max-output BYTES  cap on decompressed data, all layers together (default 1G)\n"  \
	"      --max-symbols N     refuse kallsyms tables of more symbols (default 4000000)\n"      \
	"      --max-name-len N    refuse longer symbol names (default and most 511)\n"            \
	"      --max-depth N       refuse containers nested deeper (default 16)\n"             \
	"      --strict            fail (exit 1) when the addresses cannot be verified\n"
/* Handle one of INPUT_LONG_OPTIONS; returns false if @opt is not one. Exits on a bad value. */
bool input_option(struct input_opts *o, int opt, const char *arg);

/* Open @path and decode its table; on failure print the error and return
 * EXIT_BAD_INPUT.  *img may be NULL-ed when not wanted. */
int open_table(const char *path, struct input_opts *o, struct ksyms_image **img, struct ksyms_table **tab);

/* Print "ksyms: 'path': message" for an error and destroy it. */
void report_error(const char *path, struct ksyms_error *err);
/* Explain that a /proc/kallsyms shows only zero addresses (kptr_restrict). */
void report_hidden(const char *path);
void usage_error(const char *usage, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Parse a number (decimal, or hex with 0x); exits on garbage. */
unsigned long long parse_number(const char *what, const char *s);

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
void out_json_string(struct out *o, const char *s);
void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* symfmt.c: symbols as list, addr2sym and sym2addr write them. */
/* "\tEXPORT_SYMBOL_GPL[\tNAMESPACE]", or nothing for a symbol that is not exported. */
void out_export_text(struct out *o, const struct ksyms_export *x);
/* ,"export":"EXPORT_SYMBOL"|null[,"namespace":"NS"] */
void out_export_json(struct out *o, const struct ksyms_export *x);
/* The kernel's %pS: name+0xoff/0xsize [module] */
void out_symbol_offset(struct out *o, const struct ksyms_match *m);
/* Hex digits of an address of this table: 8 or 16, as /proc/kallsyms. */
int addr_digits(const struct ksyms_table *tab);
/* A kernel address as typed: hex, optional 0x, fitted to the table's word size. */
bool parse_kernel_addr(struct ksyms_table *tab, const char *s, uint64_t *ret);

#endif
