/* SPDX-License-Identifier: MIT */
/* Library-internal constructors for struct ksyms_error. */
#ifndef KSYMS_CORE_ERROR_H
#define KSYMS_CORE_ERROR_H

#include <stdint.h>

#include "ksyms.h"
#include "compiler.h"

struct ksyms_error {
	enum ksyms_error_code code;
	int errnum;
	int64_t offset;
	char *message;
};

/* Returned when allocating an error fails; never freed. */
extern struct ksyms_error ks_enomem;

struct ksyms_error *ks_error(enum ksyms_error_code code, const char *fmt, ...) KS_PRINTF(2, 3);
/* Bad input data at file offset @offset. */
struct ksyms_error *ks_error_at(int64_t offset, const char *fmt, ...) KS_PRINTF(2, 3);
/* A configured limit (KSYMS_ERR_TOO_LARGE) hit by the data at @offset. */
struct ksyms_error *ks_error_limit_at(int64_t offset, const char *fmt, ...) KS_PRINTF(2, 3);
/* A failed system call; errnum is errno. */
struct ksyms_error *ks_error_os(int errnum, const char *fmt, ...) KS_PRINTF(2, 3);
/* A new error with @err's code, errno, offset and message. */
struct ksyms_error *ks_error_copy(const struct ksyms_error *err);
/* Prefix the message of @err with "<context>: ", keeping code and offset. */
struct ksyms_error *ks_error_wrap(struct ksyms_error *err, const char *fmt, ...) KS_PRINTF(2, 3);

#endif
