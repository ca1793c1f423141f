/* SPDX-License-Identifier: MIT */
/* Compiler attributes behind macros, so -std=c11 -Wpedantic stays clean. */
#ifndef KSYMS_CORE_COMPILER_H
#define KSYMS_CORE_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define KS_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define KS_MUST_CHECK __attribute__((warn_unused_result))
#define KS_LIKELY(x) __builtin_expect(!!(x), 1)
#define KS_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define KS_PRINTF(fmt, args)
#define KS_MUST_CHECK
#define KS_LIKELY(x) (x)
#define KS_UNLIKELY(x) (x)
#endif

#define KS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KS_MIN(a, b) ((a) < (b) ? (a) : (b))
#define KS_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
