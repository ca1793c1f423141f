// SPDX-License-Identifier: MIT
/*
 * kdump-compressed dumps: makedumpfile's "diskdump" format (makedumpfile
 * -c/-l/-p/-z; QEMU's dump-guest-memory -z/-l/-s writes the same inside
 * the flattened format).  Layout, in blocks of block_size bytes (the page
 * size of the dumping side: 64 KiB from QEMU for arm64 guests):
 *
 *   block 0                disk_dump_header: "KDUMP   ", header_version,
 *                          utsname, block_size, sub_hdr_size, bitmap_blocks,
 *                          max_mapnr
 *   block 1..              kdump_sub_header: phys_base, and (by version)
 *                          where VMCOREINFO, the ELF notes and a 64-bit
 *                          max_mapnr are
 *   bitmaps                bitmap_blocks: two halves, the second says which
 *                          page frames were dumped
 *   page descriptors       one per dumped frame, in frame order: file
 *                          offset, size, flags (compression), page flags
 *   page data
 *
 * Everything is in the dumping machine's byte order and its 64-bit layout
 * (both producers run on 64-bit hosts); nothing in the file is trusted: a
 * bitmap or descriptor outside the file is an error, a page that does not
 * decompress to exactly one block is a corrupt page.
 */
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "core/error.h"
#include "core/overflow.h"
#include "decompress/decompress.h"

enum {
	HDR_SIZE = 464,
	UTS_LEN = 65,
	UTS_RELEASE = 12 + 2 * UTS_LEN,
	UTS_MACHINE = 12 + 4 * UTS_LEN,
	OFF_BLOCK_SIZE = 428,
	OFF_SUB_HDR_SIZE = 432,
	OFF_BITMAP_BLOCKS = 436,
	OFF_MAX_MAPNR = 440,
	SUB_SIZE = 104,
	DESC_SIZE = 24,
	F_ZLIB = 0x1,
	F_LZO = 0x2,
	F_SNAPPY = 0x4,
	F_INCOMPLETE = 0x8,
	F_EXCLUDED = 0x10,
	F_ZSTD = 0x20,
	MAX_BLOCK = 1 << 20,
	MAX_TEXT = 1 << 20,
	RANK_BITS = 512,
};

bool ks_dump_kdump_detect(struct span file)
{
	return span_eq(file, 0, "KDUMP   ", 8);
}

static uint32_t u32_at(const uint8_t *p, bool be)
{
	return load32(p, be);
}

/* Copy @len bytes of the logical file at @off into a new buffer. */
static uint8_t *copy_out(const struct ks_dump *d, uint64_t off, uint64_t len)
{
	uint8_t *b = len <= MAX_TEXT ? malloc(len ? (size_t)len : 1) : NULL;

	if (b && !ks_dump_file_read(d, off, b, (size_t)len)) {
		free(b);
		return NULL;
	}
	return b;
}

/* The same for a bitmap, which may be larger than any text. */
static uint8_t *copy_out_big(const struct ks_dump *d, uint64_t off, uint64_t len)
{
	uint8_t *b = len && len <= SIZE_MAX ? malloc((size_t)len) : NULL;

	if (b && !ks_dump_file_read(d, off, b, (size_t)len)) {
		free(b);
		return NULL;
	}
	return b;
}

static void utsname_field(char *out, const uint8_t *h, size_t off)
{
	size_t n = 0;

	while (n < UTS_LEN && h[off + n] >= 0x20 && h[off + n] < 0x7f) {
		out[n] = (char)h[off + n];
		n++;
	}
	out[n] = 0;
}

static const char *arch_of_machine(const char *m)
{
	static const char *const map[][2] = {
		{ "x86_64", "x86_64" }, { "aarch64", "arm64" }, { "i686", "i386" },   { "i386", "i386" },
		{ "ppc64le", "ppc64" }, { "ppc64", "ppc64" },   { "s390x", "s390x" }, { "riscv64", "riscv64" },
		{ "armv7l", "arm" },    { "arm", "arm" },       { "mips", "mips" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(m, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

struct ksyms_error *ks_dump_kdump_open(struct ks_dump *d)
{
	struct ks_kdump *kd = &d->kd;
	uint8_t h[HDR_SIZE], sub[SUB_SIZE];

	if (!ks_dump_file_read(d, 0, h, sizeof(h)))
		return ks_error_at(0, "kdump-compressed header truncated");
	uint32_t v = u32_at(h + 8, false);
	kd->be = v == 0 || v > 64;
	kd->header_version = u32_at(h + 8, kd->be);
	if (kd->header_version == 0 || kd->header_version > 64)
		return ks_error_at(8, "kdump-compressed header version %u is not one we know", kd->header_version);
	d->be = kd->be;
	utsname_field(kd->utsname_release, h, UTS_RELEASE);
	utsname_field(kd->utsname_machine, h, UTS_MACHINE);
	d->arch = arch_of_machine(kd->utsname_machine);
	d->word_size = d->arch && (strcmp(d->arch, "i386") == 0 || strcmp(d->arch, "arm") == 0 ||
				   strcmp(d->arch, "mips") == 0) ? 4 : 8;
	uint32_t bs = u32_at(h + OFF_BLOCK_SIZE, kd->be), sub_blocks = u32_at(h + OFF_SUB_HDR_SIZE, kd->be);
	uint32_t bitmap_blocks = u32_at(h + OFF_BITMAP_BLOCKS, kd->be);
	if (bs < 512 || bs > MAX_BLOCK || (bs & (bs - 1)))
		return ks_error_at(OFF_BLOCK_SIZE, "kdump-compressed block size %u is not a power of two in 512..1M", bs);
	kd->block_size = bs;
	kd->max_mapnr = u32_at(h + OFF_MAX_MAPNR, kd->be);
	if (!ks_dump_file_read(d, bs, sub, sizeof(sub)))
		return ks_error_at(bs, "kdump-compressed sub-header truncated");
	kd->phys_base = load64(sub, kd->be);
	if (kd->header_version >= 6) {
		uint64_t m = load64(sub + 96, kd->be);
		if (m)
			kd->max_mapnr = m;
	}
	/* VMCOREINFO and the ELF notes (QEMU's CPU state) */
	if (kd->header_version >= 3) {
		uint64_t off = load64(sub + 32, kd->be), len = load64(sub + 40, kd->be);
		if (len && (d->vmci_copy = copy_out(d, off, len)) != NULL) {
			size_t n = (size_t)len;
			while (n && d->vmci_copy[n - 1] == 0)
				n--;
			if (ks_vmci_valid((const char *)d->vmci_copy, n)) {
				d->vmci.text = (const char *)d->vmci_copy;
				d->vmci.len = n;
				d->vmci_source = "the kdump header";
			}
		}
	}
	if (kd->header_version >= 4) {
		uint64_t off = load64(sub + 48, kd->be), len = load64(sub + 56, kd->be);
		uint8_t *notes = len ? copy_out(d, off, len) : NULL;
		if (notes) {
			kd->notes = notes;
			ks_dump_parse_notes(d, span_make(notes, (size_t)len, off));
		} else if (len) {
			d->notes_bad = true;
		}
	}
	/* the second bitmap: the frames dumped */
	uint64_t bm_off, bm_len, desc_blk;
	if (__builtin_mul_overflow((uint64_t)1 + sub_blocks, (uint64_t)bs, &bm_off) ||
	    __builtin_mul_overflow((uint64_t)bitmap_blocks, (uint64_t)bs, &bm_len) ||
	    __builtin_add_overflow((uint64_t)1 + sub_blocks, (uint64_t)bitmap_blocks, &desc_blk) ||
	    __builtin_mul_overflow(desc_blk, (uint64_t)bs, &kd->desc_off) || bm_len < 2)
		return ks_error_at(OFF_BITMAP_BLOCKS, "kdump-compressed bitmaps (%u blocks) overflow", bitmap_blocks);
	uint64_t half = bm_len / 2;
	const uint8_t *bm = ks_dump_file_at(d, bm_off + half, (size_t)(half <= SIZE_MAX ? half : 0));
	if (!bm || half > SIZE_MAX) {
		kd->bitmap_copy = half <= (64ull << 20) ? copy_out_big(d, bm_off + half, half) : NULL;
		if (!kd->bitmap_copy)
			return ks_error_at((int64_t)bm_off, "kdump-compressed bitmap (%llu bytes at 0x%llx) lies outside the file",
					   (unsigned long long)bm_len, (unsigned long long)bm_off);
		bm = kd->bitmap_copy;
	}
	kd->bitmap2 = span_make(bm, (size_t)half, bm_off + half);
	if (kd->max_mapnr > half * 8)
		kd->max_mapnr = half * 8; /* frames past the bitmap were not dumped */
	/* rank: dumped frames before each chunk, for the descriptor index */
	kd->nrank = (size_t)(kd->max_mapnr / RANK_BITS) + 1;
	kd->rank = malloc(kd->nrank * sizeof(*kd->rank));
	kd->page = malloc(bs);
	kd->cbuf = malloc(bs);
	if (!kd->rank || !kd->page || !kd->cbuf)
		return &ks_enomem;
	uint64_t count = 0;
	for (size_t c = 0; c < kd->nrank; c++) {
		kd->rank[c] = count;
		size_t from = c * (RANK_BITS / 8), to = from + RANK_BITS / 8;
		for (size_t b = from; b < to && b < kd->bitmap2.len; b++)
			count += (uint64_t)__builtin_popcount(kd->bitmap2.p[b]);
	}
	d->is_kdump = true;
	d->page_size = bs;
	d->format = "kdump-compressed";
	/* QEMU's CPU notes say the memory came from QEMU, but makedumpfile
	 * keeps the notes of the core it compresses, so only a flattened file
	 * (what QEMU 7.2's kdump-* formats write) is surely QEMU's own */
	if (!d->producer)
		d->producer = d->cpus ? (d->flat ? "QEMU dump-guest-memory"
					       : "makedumpfile from a QEMU core, or QEMU's kdump-raw")
				      : d->flat ? "QEMU dump-guest-memory or makedumpfile -F" : "makedumpfile";
	return NULL;
}

static bool dumped(const struct ks_kdump *kd, uint64_t pfn)
{
	return pfn < kd->max_mapnr && (kd->bitmap2.p[pfn / 8] >> (pfn % 8) & 1);
}

/* The index of @pfn's descriptor: dumped frames before it. */
static uint64_t rank_of(const struct ks_kdump *kd, uint64_t pfn)
{
	uint64_t r = kd->rank[pfn / RANK_BITS];

	for (uint64_t b = (pfn / RANK_BITS) * (RANK_BITS / 8); b < pfn / 8; b++)
		r += (uint64_t)__builtin_popcount(kd->bitmap2.p[b]);
	return r + (uint64_t)__builtin_popcount(kd->bitmap2.p[pfn / 8] & ((1u << (pfn % 8)) - 1));
}

bool ks_kdump_read_page(struct ks_dump *d, uint64_t pfn, const uint8_t **ret, bool *ret_missing)
{
	struct ks_kdump *kd = &d->kd;
	uint8_t desc[DESC_SIZE];
	uint64_t doff;

	*ret_missing = false;
	if (kd->cached && kd->cached_pfn == pfn) {
		*ret = kd->page;
		return true;
	}
	if (!dumped(kd, pfn)) {
		*ret_missing = true;
		return false;
	}
	if (__builtin_mul_overflow(rank_of(kd, pfn), (uint64_t)DESC_SIZE, &doff) ||
	    __builtin_add_overflow(doff, kd->desc_off, &doff) || !ks_dump_file_read(d, doff, desc, sizeof(desc)))
		return false;
	uint64_t off = load64(desc, kd->be);
	uint32_t size = load32(desc + 8, kd->be), flags = load32(desc + 12, kd->be);
	if (flags & (F_EXCLUDED | F_INCOMPLETE)) {
		*ret_missing = true;
		return false;
	}
	if (size == 0 || size > kd->block_size)
		return false;
	const uint8_t *in = ks_dump_file_at(d, off, size);
	if (!in) {
		if (!ks_dump_file_read(d, off, kd->cbuf, size))
			return false;
		in = kd->cbuf;
	}
	kd->cached = false;
	if (flags & (F_ZLIB | F_LZO | F_SNAPPY | F_ZSTD)) {
		enum ks_page_codec c = flags & F_ZLIB ? KS_PAGE_ZLIB : flags & F_LZO ? KS_PAGE_LZO
				       : flags & F_SNAPPY ? KS_PAGE_SNAPPY : KS_PAGE_ZSTD;
		size_t n;
		kd->codecs_seen |= 1u << c;
		if (!ks_page_codec_available(c)) {
			kd->unsupported |= 1u << c;
			return false;
		}
		if (!ks_decompress_page(c, span_make(in, size, off), kd->page, kd->block_size, &n) ||
		    n != kd->block_size)
			return false;
	} else {
		if (size != kd->block_size)
			return false;
		memcpy(kd->page, in, size);
	}
	kd->cached = true;
	kd->cached_pfn = pfn;
	*ret = kd->page;
	return true;
}

void ks_kdump_free(struct ks_kdump *kd)
{
	free(kd->rank);
	free(kd->page);
	free(kd->cbuf);
	free(kd->notes);
	free(kd->bitmap_copy);
}
