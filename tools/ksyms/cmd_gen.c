// SPDX-License-Identifier: MIT
/* ksyms gen: placeholder until the generator lands. */
#include "cmd.h"

int cmd_gen(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "%s: gen is not implemented yet\n", progname);
	return EXIT_USAGE;
}
