// SPDX-License-Identifier: MIT
/*
 * LiME captures (the Linux Memory Extractor's "lime" format, what forensic
 * tools acquire RAM in): a sequence of ranges, each a 32-byte header --
 * magic 0x4C694D45 ("EMiL" on disk), version 1, the first and the last
 * physical address (inclusive), 8 reserved bytes -- followed by the range's
 * bytes.  Little-endian.  And raw physical memory: the file is memory from
 * physical address 0, with no header at all.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/overflow.h"
#include "decompress/decompress.h"

enum { LIME_MAGIC = 0x4C694D45, LIME_HEADER = 32, MAX_RANGES = 1 << 16 };

bool ks_dump_lime_detect(struct span file)
{
	uint32_t magic, version;

	return span_u32(file, 0, false, &magic) && magic == LIME_MAGIC && span_u32(file, 4, false, &version) &&
	       version == 1;
}

struct ksyms_error *ks_dump_lime_open(struct ks_dump *d)
{
	struct span f = d->file;
	size_t pos = 0, cap = 0;

	d->format = "LiME";
	while (pos < f.len) {
		uint32_t magic, version;
		uint64_t s, e;
		if (!span_u32(f, pos, false, &magic) || magic != LIME_MAGIC || !span_u32(f, pos + 4, false, &version) ||
		    !span_u64(f, pos + 8, false, &s) || !span_u64(f, pos + 16, false, &e))
			return ks_error_at((int64_t)pos, "LiME: no range header at 0x%zx", pos);
		if (e < s || e - s == ~0ull)
			return ks_error_at((int64_t)pos + 8, "LiME: range 0x%llx-0x%llx ends before it starts",
					   (unsigned long long)s, (unsigned long long)e);
		uint64_t size = e - s + 1, avail = f.len - pos - LIME_HEADER;
		if (pos + LIME_HEADER > f.len)
			break;
		if (d->nranges >= MAX_RANGES)
			return ks_error_limit_at((int64_t)pos, "LiME: more than %d ranges", MAX_RANGES);
		if (d->nranges == cap && !ks_grow((void **)&d->ranges, &cap, d->nranges + 1, sizeof(*d->ranges)))
			return &ks_enomem;
		d->ranges[d->nranges++] = (struct ks_dump_range){ s, size, pos + LIME_HEADER, size < avail ? size : avail };
		if (size >= avail)
			break; /* the last range, or a capture cut short */
		pos += LIME_HEADER + (size_t)size;
	}
	ks_dump_sort_ranges(d);
	return d->nranges ? NULL : ks_error_at(0, "LiME capture without ranges");
}

/*
 * Raw memory has no header: it is taken for memory (not a raw kernel
 * image) when it is big and holds the page of VMCOREINFO every kernel
 * since 4.x keeps at boot (vmcoreinfo_data, page-aligned, starting
 * "OSRELEASE="), found by dump.c's scan.  Here only the size says "maybe".
 */
bool ks_dump_raw_detect(struct span file)
{
	return file.len >= (64u << 20) && file.len % 4096 == 0 && !span_eq(file, 0x38, "ARM\x64", 4) &&
	       !span_eq(file, 0, "\177ELF", 4);
}

struct ksyms_error *ks_dump_raw_open(struct ks_dump *d)
{
	d->format = "raw memory";
	d->ranges = malloc(sizeof(*d->ranges));
	if (!d->ranges)
		return &ks_enomem;
	d->ranges[0] = (struct ks_dump_range){ 0, d->file.len, 0, d->file.len };
	d->nranges = 1;
	return NULL;
}
