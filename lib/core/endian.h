/* SPDX-License-Identifier: MIT */
/* Explicit byte-order loads and stores, built from bytes: no casts of input
 * pointers, so alignment and host order never matter. */
#ifndef KSYMS_CORE_ENDIAN_H
#define KSYMS_CORE_ENDIAN_H

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t load_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint16_t load_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t load_le64(const uint8_t *p)
{
	return (uint64_t)load_le32(p) | (uint64_t)load_le32(p + 4) << 32;
}

static inline uint64_t load_be64(const uint8_t *p)
{
	return (uint64_t)load_be32(p) << 32 | (uint64_t)load_be32(p + 4);
}

static inline uint16_t load16(const uint8_t *p, bool be)
{
	return be ? load_be16(p) : load_le16(p);
}

static inline uint32_t load32(const uint8_t *p, bool be)
{
	return be ? load_be32(p) : load_le32(p);
}

static inline uint64_t load64(const uint8_t *p, bool be)
{
	return be ? load_be64(p) : load_le64(p);
}

/* A word of @size bytes (4 or 8), zero-extended. */
static inline uint64_t load_word(const uint8_t *p, unsigned size, bool be)
{
	return size == 8 ? load64(p, be) : load32(p, be);
}

static inline void store16(uint8_t *p, uint16_t v, bool be)
{
	if (be) {
		p[0] = (uint8_t)(v >> 8);
		p[1] = (uint8_t)v;
	} else {
		p[0] = (uint8_t)v;
		p[1] = (uint8_t)(v >> 8);
	}
}

static inline void store32(uint8_t *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static inline void store64(uint8_t *p, uint64_t v, bool be)
{
	for (int i = 0; i < 8; i++)
		p[be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
}

static inline void store_word(uint8_t *p, uint64_t v, unsigned size, bool be)
{
	if (size == 8)
		store64(p, v, be);
	else
		store32(p, (uint32_t)v, be);
}

#endif
