// SPDX-License-Identifier: MIT
/*
 * Landmark symbols: the few that the readers of a table look up by name.
 * Six readers of a decoded kernel each passed over every name for a
 * handful of them (the base from the kallsyms_* symbols, _sdata/_edata,
 * _text/_start, linux_banner, verify's banner and tables, the __start_/
 * __stop_ bounds of __ksymtab and of BTF): about 0.2 ms a pass over the
 * 151k names of 6.12 arm64.  The decoder lists them as it writes the
 * names (kallsyms/decode.c); each reader walks that short list with its
 * own tests (ks_landmark_next()).
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

/* Letters first, calls last: a third of all names start with '_'. */
bool ks_is_landmark_name(const char *n)
{
	switch (n[0]) {
	case 'k':
		return n[1] == 'a' && strncmp(n, "kallsyms_", 9) == 0;
	case 'l':
		return n[1] == 'i' && strcmp(n, "linux_banner") == 0;
	case '_':
		break;
	default:
		return false;
	}
	switch (n[1]) {
	case '_':
		return n[2] == 's' && n[3] == 't' && (strncmp(n + 4, "art_", 4) == 0 || strncmp(n + 4, "op_", 3) == 0);
	case 's':
		return strcmp(n, "_sdata") == 0 || strcmp(n, "_start") == 0;
	case 'e':
		return strcmp(n, "_edata") == 0;
	case 't':
		return strcmp(n, "_text") == 0;
	default:
		return false;
	}
}

void ks_table_drop_landmarks(struct ksyms_table *t)
{
	free(t->landmarks);
	t->landmarks = NULL;
	t->nlandmarks = 0;
}
