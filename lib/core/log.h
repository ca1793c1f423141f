/* SPDX-License-Identifier: MIT */
/* Per-call logging through the caller's callback; never a global. */
#ifndef KSYMS_CORE_LOG_H
#define KSYMS_CORE_LOG_H

#include "ksyms.h"
#include "compiler.h"

struct ks_log {
	ksyms_log_fn *fn;
	void *ctx;
	enum ksyms_log_level level;
};

void ks_log(const struct ks_log *log, enum ksyms_log_level level, const char *fmt, ...) KS_PRINTF(3, 4);

#define ks_info(log, ...) ks_log(log, KSYMS_LOG_INFO, __VA_ARGS__)
#define ks_debug(log, ...) ks_log(log, KSYMS_LOG_DEBUG, __VA_ARGS__)

#endif
