/* SPDX-License-Identifier: MIT */
/*
 * ksyms scan: the files to scan (cmd_scan.c walks the paths and describes
 * one file), and the worker processes that describe them, in parallel,
 * with the results printed in the order the files were walked
 * (scan_run.c).
 */
#ifndef KSYMS_TOOL_SCAN_H
#define KSYMS_TOOL_SCAN_H

#include "cmd.h"

/* One file of the walk, in walk order. */
struct scan_entry {
	char *path;
	char *error;   /* the file could not be scanned: why (walk or worker failure) */
	char *result;  /* the worker's output: its line (text) or object (JSON) */
	size_t result_len;
	int status;    /* 0, or EXIT_BAD_INPUT: unreadable, crashed, or --strict and not vouched for */
};

struct scan {
	struct input_opts in;
	bool json, follow;
	unsigned jobs;
	int width; /* of the path column of the text output */
	struct scan_entry *v;
	size_t n, cap;
};

/* In a worker: describe @e on stdout; returns the exit status. */
int scan_describe(const struct scan *s, const struct scan_entry *e);
/* The line of a file that could not be scanned (e->error). */
void scan_print_error(const struct scan *s, struct out *o, const struct scan_entry *e);
/* Describe every entry with s->jobs workers and print the results in order;
 * returns the exit status. */
int scan_run(struct scan *s);

#endif
