/* SPDX-License-Identifier: MIT */
/*
 * Memory handed out front to back from a few large chunks and freed all at
 * once: for the arrays that readers add to a symbol table (its exports) and
 * the scratch of passes over it (verification), which together fit in one
 * 2 MiB page where each had a page of its own (see arena.c).
 */
#ifndef KSYMS_CORE_ARENA_H
#define KSYMS_CORE_ARENA_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"

struct ks_arena_chunk;

struct ks_arena {
	struct ks_arena_chunk *chunks; /* newest first */
	size_t used;                   /* bytes handed out of the newest chunk */
	void *kept;                    /* a lender's old allocation (ks_arena_keep) */
};

/* A place in the arena to go back to (ks_arena_release). */
struct ks_arena_mark {
	struct ks_arena_chunk *chunk;
	size_t used;
};

/* @bytes (16-byte aligned, not cleared), or NULL on overflow or want of
 * memory.  Valid until ks_arena_free() or a release past it. */
KS_MUST_CHECK void *ks_arena_alloc(struct ks_arena *a, size_t bytes);
/* ks_grow() for an array in the arena: the array *p of *cap elements of
 * @elem bytes moves to room for at least @need (its old room is given back
 * only with the arena). */
KS_MUST_CHECK bool ks_arena_grow(struct ks_arena *a, void **p, size_t *cap, size_t need, size_t elem);

/* Lend an empty arena the @bytes at @p, the unused end of another
 * allocation (the rest of its last 2 MiB page, already cleared when the
 * allocation was), as its first chunk.  False, and nothing lent, when the
 * arena has chunks or the room is under 64 KiB.  The lender frees its
 * allocation only after ks_arena_free(), or hands it over (ks_arena_keep). */
bool ks_arena_lend(struct ks_arena *a, void *p, size_t bytes);
/* The lender's allocation @p is being replaced: the arena frees it when it
 * is freed itself. */
void ks_arena_keep(struct ks_arena *a, void *p);

struct ks_arena_mark ks_arena_mark(const struct ks_arena *a);
/* Give back everything allocated since @m: chunks added since are freed. */
void ks_arena_release(struct ks_arena *a, struct ks_arena_mark m);
void ks_arena_free(struct ks_arena *a);

#endif
