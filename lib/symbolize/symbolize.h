/* SPDX-License-Identifier: MIT */
/*
 * Symbolizing kernel logs: the line scanner (scan.c), the KASLR slide
 * evidence (slide.c) and the annotator (symbolize.c).
 */
#ifndef KSYMS_SYMBOLIZE_H
#define KSYMS_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ksyms.h"
#include "core/buf.h"
#include "core/compiler.h"

/* The kernel's KSYM_NAME_LEN: no symbol name is longer. */
#define KS_SYM_NAME_MAX 512

enum ks_tok_kind {
	KS_TOK_HEX0X, /* 0xffffffff81234567: %pS without kallsyms, or any 0x number */
	KS_TOK_HEX,   /* ffffffff81234567: %px, %lx (register and stack dumps) */
	KS_TOK_FRAME, /* [<ffffffff81234567>]: print_ip_sym() and old call traces */
	KS_TOK_NAMED, /* func+0x1c/0x80, maybe " [module]": what %pS prints */
};

struct ks_tok {
	enum ks_tok_kind kind;
	size_t start, end; /* the token's bytes in the line */
	uint64_t addr;     /* address tokens */
	unsigned digits;   /* hex digits of the address */
	/* named tokens: the name is [start, start + name_len) */
	size_t name_len;
	uint64_t off, size;
	size_t mod_start, mod_len; /* the module name, mod_len 0 if none */
};

struct ks_toks {
	struct ks_tok *v;
	size_t n, cap;
};

/* Find the addresses and symbol+off/size of one line.  Bare hex numbers
 * count only with exactly @word_size * 2 digits.  False when out of memory. */
KS_MUST_CHECK bool ks_scan_line(const char *line, size_t len, int word_size, struct ks_toks *out);

/* "Kernel Offset: 0x11600000 from 0xffffffff81000000" (x86, arm64 and
 * riscv panics) or "Kernel Offset: disabled" (x86 without KASLR). */
struct ks_kernel_offset {
	bool disabled;
	uint64_t offset, from;
};
bool ks_parse_kernel_offset(const char *line, size_t len, struct ks_kernel_offset *ret);

/* True for lines no address is printed in: instruction bytes ("Code:"). */
bool ks_skip_line(const char *line, size_t len);

/* A line only x86 prints ("RIP: ", "<TASK>"): for tables that do not say
 * their architecture. */
bool ks_x86_line(const char *line, size_t len);

/* Is the token at @pos a call trace entry: after the log prefix, only
 * spaces and an optional "? " before it (x86 printk_stack_address()). */
bool ks_trace_entry(const char *line, size_t pos);

/* A candidate slide and how many logged frames it explains. */
struct ks_vote {
	uint64_t slide;
	size_t votes;
};

struct ksyms_symbolizer {
	struct ksyms_table *tab;
	int word_size;
	uint64_t addr_mask;     /* addresses wrap at the word size */
	bool backtrace_pb;      /* call traces print %pB (x86): look up addr - 1 */
	bool arch_known;        /* else the log decides backtrace_pb */
	bool has_text;
	uint64_t table_text;    /* the table's _text */
	bool all_symbols;       /* data symbols too: an unknown name is an error */
	bool has_modules;
	bool replace;
	bool given;             /* the caller gave the slide */
	uint64_t given_slide;

	/* evidence (slide.c) */
	size_t scanned;         /* lines scanned */
	bool have_offset;
	struct ks_kernel_offset koff;
	struct ks_vote *votes;
	size_t nvotes, votes_cap;
	size_t frames;
	bool dirty;
	struct ksyms_slide_info slide;

	/* the current line */
	struct ks_toks toks;
	struct ksyms_annotation *ann;
	size_t nann, ann_cap;
	struct ks_buf out;
	struct ksyms_symbolize_stats stats;
	char name[KS_SYM_NAME_MAX + 1];
};

/* slide.c */
KS_MUST_CHECK bool ks_slide_add_frame(struct ksyms_symbolizer *s, uint64_t addr, const char *name, uint64_t off);
void ks_slide_add_offset(struct ksyms_symbolizer *s, const struct ks_kernel_offset *ko, size_t line);
void ks_slide_settle(struct ksyms_symbolizer *s);
/* Copy a named token's name, NUL-terminated, into s->name; false if too long. */
bool ks_tok_name(struct ksyms_symbolizer *s, const char *line, const struct ks_tok *t);
/* The token after @i when only spaces or '(' separate them, else NULL. */
const struct ks_tok *ks_tok_next(const struct ks_toks *tv, size_t i, const char *line);

#endif
