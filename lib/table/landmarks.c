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

const struct ks_landmark_start ks_landmark_starts[KS_LANDMARK_STARTS] = {
	{ "kallsyms_", true }, { "linux_banner", false }, { "__start_", true }, { "__stop_", true },
	{ "_sdata", false },   { "_edata", false },       { "_text", false },   { "_start", false },
};

/* Called only for the names a decoder's four-character test lets through
 * (about one in fifty), so a walk of the list costs nothing measurable. */
bool ks_is_landmark_name(const char *n)
{
	for (size_t k = 0; k < KS_LANDMARK_STARTS; k++) {
		const struct ks_landmark_start *s = &ks_landmark_starts[k];
		if (s->prefix ? strncmp(n, s->s, strlen(s->s)) == 0 : strcmp(n, s->s) == 0)
			return true;
	}
	return false;
}

void ks_table_drop_landmarks(struct ksyms_table *t)
{
	free(t->landmarks);
	t->landmarks = NULL;
	t->nlandmarks = 0;
}
