// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct ksyms_error ks_enomem = {
	.code = KSYMS_ERR_NOMEM,
	.errnum = ENOMEM,
	.offset = -1,
	.message = (char *)"out of memory",
};

static char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static struct ksyms_error *make(enum ksyms_error_code code, int errnum, int64_t offset, char *msg)
{
	if (!msg)
		return &ks_enomem;
	struct ksyms_error *err = malloc(sizeof(*err));
	if (!err) {
		free(msg);
		return &ks_enomem;
	}
	err->code = code;
	err->errnum = errnum;
	err->offset = offset;
	err->message = msg;
	return err;
}

struct ksyms_error *ks_error(enum ksyms_error_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	return make(code, 0, -1, msg);
}

struct ksyms_error *ks_error_copy(const struct ksyms_error *err)
{
	if (err == &ks_enomem)
		return &ks_enomem;
	return make(err->code, err->errnum, err->offset, strdup(err->message ? err->message : ""));
}

struct ksyms_error *ks_error_at(int64_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	return make(KSYMS_ERR_BAD_DATA, 0, offset, msg);
}

struct ksyms_error *ks_error_limit_at(int64_t offset, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	return make(KSYMS_ERR_TOO_LARGE, 0, offset, msg);
}

struct ksyms_error *ks_error_os(int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = vformat(fmt, ap);
	va_end(ap);
	if (!msg)
		return &ks_enomem;
	char *full = malloc(strlen(msg) + 256);
	if (!full) {
		free(msg);
		return &ks_enomem;
	}
	snprintf(full, strlen(msg) + 256, "%s: %s", msg, strerror(errnum));
	free(msg);
	return make(KSYMS_ERR_OS, errnum, -1, full);
}

struct ksyms_error *ks_error_wrap(struct ksyms_error *err, const char *fmt, ...)
{
	if (!err || err == &ks_enomem)
		return err;
	va_list ap;
	va_start(ap, fmt);
	char *ctx = vformat(fmt, ap);
	va_end(ap);
	if (!ctx)
		return err;
	size_t a = strlen(ctx), b = strlen(err->message);
	char *msg = malloc(a + b + 3);
	if (msg) {
		memcpy(msg, ctx, a);
		memcpy(msg + a, ": ", 2);
		memcpy(msg + a + 2, err->message, b + 1);
		free(err->message);
		err->message = msg;
	}
	free(ctx);
	return err;
}

enum ksyms_error_code ksyms_error_code(const struct ksyms_error *err)
{
	return err ? err->code : 0;
}

const char *ksyms_error_message(const struct ksyms_error *err)
{
	return err ? err->message : "success";
}

int64_t ksyms_error_offset(const struct ksyms_error *err)
{
	return err ? err->offset : -1;
}

int ksyms_error_errno(const struct ksyms_error *err)
{
	return err ? err->errnum : 0;
}

void ksyms_error_destroy(struct ksyms_error *err)
{
	if (!err || err == &ks_enomem)
		return;
	free(err->message);
	free(err);
}
