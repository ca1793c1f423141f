// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

void ks_log(const struct ks_log *log, enum ksyms_log_level level, const char *fmt, ...)
{
	if (!log || !log->fn || level > log->level)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log->fn(log->ctx, level, line);
}
