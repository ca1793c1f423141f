// SPDX-License-Identifier: MIT
/*
 * A compressed kernel inside a self-decompressing image whose header, if
 * it has one, does not say where the payload is: MIPS `vmlinuz` (an ELF
 * decompressor with the stream in .data, arch/mips/boot/compressed), s390
 * `image` (arch/s390/boot), and the other boot wrappers that link
 * piggy.o-style payloads.  Containers with headers that locate the payload
 * (bzImage, zImage, zboot, ...) come earlier in the unwrapper table; this
 * is the fallback that searches.
 *
 * A real kernel must not be "unwrapped": it may hold compressed data of its
 * own (IKCONFIG's config.gz, a built-in initramfs) and random magic-like
 * bytes.  Every kernel has linux_banner ("Linux version 6.1.0 ...", in
 * init/version.c since 0.99), and a compressed kernel hides it, except that
 * lz4 and lzo store literals as they are, so the banner shows through
 * their streams.  Data with a banner is therefore searched only for lz4
 * and lzo streams that start before the banner.  Every codec magic that
 * passes its header check is a candidate, tried in file order (the
 * decompressor's code, and the copies of the magic in its rodata, come
 * before the payload; those copies fail within a few bytes), strong
 * headers before chance-like ones.  The first candidate that decompresses
 * to something kernel-like is kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/elf.h"
#include "kernel/kernel.h"
#include "classify.h"
#include "unwrap.h"
#include "core/compiler.h"
#include "core/error.h"
#include "decompress/decompress.h"

enum {
	/* Candidates per codec and in all: each costs at most one capped
	 * decompression, and false ones fail within bytes. */
	MAX_PER_CODEC = 16,
	MAX_TRIES = 32,
	/* A failed stream that had produced this much was the payload, not a
	 * stray magic: its error is worth reporting. */
	REPORT_AFTER = 64 << 10,
};

struct candidate {
	size_t off;
	enum ks_codec codec;
	bool weak;
};

static int candidate_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->weak != y->weak)
		return x->weak ? 1 : -1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/*
 * Where in its magic to anchor the scan: a byte that is rare in kernels,
 * since a raw kernel is scanned for lz4 and lzo magics and 0x04/0x02 are
 * among the commonest bytes of code.
 */
static size_t scan_anchor(enum ks_codec c)
{
	switch (c) {
	case KS_CODEC_LZ4:
	case KS_CODEC_LZ4_LEGACY:
		return 1; /* 0x22, 0x21: under 0.25% of a kernel's bytes */
	case KS_CODEC_LZO:
		return 5; /* '\r' */
	default:
		return 0;
	}
}

/*
 * The first offset in [from, end) where @m (@len bytes) starts, or SIZE_MAX.
 * memchr() on the anchor byte, then a compare: glibc's memmem() runs at
 * 2-3 GB/s whatever the needle, which made this scan 40% of `ksyms list`
 * on a 57 MB vmlinux; memchr() on a rare byte is ten times faster.
 */
static size_t find_magic(struct span in, size_t from, size_t end, const uint8_t *m, size_t len, size_t anchor)
{
	if (len > in.len)
		return SIZE_MAX;
	/* a whole magic must fit: then [from + anchor, end + anchor) is inside */
	end = KS_MIN(end, in.len - len + 1);
	while (from < end) {
		const uint8_t *p = span_at(in, from + anchor, end - from);
		const uint8_t *hit = p ? memchr(p, m[anchor], end - from) : NULL;
		if (!hit)
			return SIZE_MAX;
		size_t at = from + (size_t)(hit - p);
		if (span_eq(in, at, m, len))
			return at;
		from = at + 1;
	}
	return SIZE_MAX;
}

/* Every offset in [1, @end) where a stream of some codec can start, sorted;
 * only text-showing codecs if @banner (the data has a banner at @end). */
static size_t find_candidates(struct span in, size_t end, bool banner, struct candidate *c, size_t max)
{
	size_t n = 0;

	for (enum ks_codec k = 0; k < KS_CODEC_COUNT; k++) {
		size_t mlen, per = 0, at, from = 1; /* offset 0 is unwrap_codec.c's */
		const uint8_t *m = ks_codec_magic_bytes(k, &mlen);
		if (banner && !ks_codec_shows_text(k))
			continue;
		while (per < MAX_PER_CODEC && n < max && (at = find_magic(in, from, end, m, mlen, scan_anchor(k))) != SIZE_MAX) {
			if (ks_codec_magic(in, at, k)) {
				c[n++] = (struct candidate){ at, k, ks_codec_weak_at(in, at, k) };
				per++;
			}
			from = at + 1;
		}
	}
	qsort(c, n, sizeof(*c), candidate_cmp);
	return n;
}

/* Decompressed data a kernel would give: bigger than its compressed form,
 * and an ELF vmlinux, an arm64/RISC-V Image, or bytes with a banner. */
static bool looks_like_kernel(const struct ks_buf *out, size_t consumed)
{
	struct span s = span_make(out->p, out->len, 0);
	size_t at, len;

	if (out->len <= consumed)
		return false;
	return ks_elf_is_elf(s) || span_eq(s, 0x38, "ARM\x64", 4) || span_eq(s, 0x38, "RSC\x05", 4) ||
	       ks_kernel_banner(s, &at, &len);
}

/* What holds the stream ("an ELF decompressor (mips)"), for the description. */
static void describe_host(struct span in, char *buf, size_t cap)
{
	uint8_t cls, data;
	uint16_t machine;

	if (ks_elf_is_elf(in) && span_u8(in, 4, &cls) && span_u8(in, 5, &data) &&
	    span_u16(in, 18, data == 2, &machine)) {
		const char *arch = ks_arch_from_machine(machine, cls == 2 ? 8 : 4);
		snprintf(buf, cap, "an ELF decompressor (%s)", arch ? arch : "unknown machine");
	} else {
		snprintf(buf, cap, "a self-decompressing image");
	}
}

static void accept(struct span in, const struct candidate *c, struct ks_buf *out, const struct ks_decomp_result *r,
		   struct ks_unwrapped *ret)
{
	char host[64];

	describe_host(in, host, sizeof(host));
	ret->format = ks_codec_name(c->codec);
	ret->offset = c->off;
	ret->size = r->consumed;
	ret->decompressed = true;
	ret->out = *out;
	ret->stopped = r->stopped;
	snprintf(ret->description, sizeof(ret->description),
		 "%s stream found at 0x%zx inside %s, %zu bytes -> %zu bytes%s", ks_codec_name(c->codec), c->off,
		 host, r->consumed, out->len, ks_stream_note(r));
}

/*
 * What to tell the user if no candidate is kept.  A stray magic's failure
 * is noise, but a strong candidate that needed a codec this build lacks,
 * or that decoded a good part before failing, was probably the payload.
 */
struct verdict {
	struct ksyms_error *err;
	size_t made; /* output of the failed candidate behind @err */
};

static bool worth_reporting(const struct verdict *v, const struct candidate *c, const struct ksyms_error *err,
			    size_t made)
{
	if (c->weak)
		return false;
	/* a stream whose codec could not run (not built in, its library
	 * not installed) was never looked at: what fails after it may be
	 * chance magic inside it, and no other failure is as actionable */
	if (v->err && v->err->code == KSYMS_ERR_UNSUPPORTED)
		return false;
	/* past the cap says more than any other failure */
	if (err->code == KSYMS_ERR_TOO_LARGE)
		return !v->err || v->err->code != KSYMS_ERR_TOO_LARGE;
	if (v->err && v->err->code == KSYMS_ERR_TOO_LARGE)
		return false;
	if (err->code == KSYMS_ERR_UNSUPPORTED)
		return !v->err;
	return err->code == KSYMS_ERR_BAD_DATA && made >= REPORT_AFTER && made > v->made;
}

static void weigh_failure(struct verdict *v, const struct candidate *c, struct ksyms_error *err, size_t made)
{
	if (!worth_reporting(v, c, err, made)) {
		ksyms_error_destroy(err);
		return;
	}
	ksyms_error_destroy(v->err);
	v->err = ks_error_wrap(err, "%s stream at 0x%zx", ks_codec_name(c->codec), c->off);
	v->made = made;
}

/* Try one candidate; true if it was kept (into @ret) or must end the search (*err). */
static bool try_candidate(struct span in, const struct candidate *c, const struct ks_unwrap_opts *o,
			  struct verdict *v, struct ks_unwrapped *ret, struct ksyms_error **err)
{
	struct ks_buf out = { 0 };
	struct ks_decomp_result r;
	struct ksyms_error *e = ks_unwrap_decompress(c->codec, span_from(in, c->off), o, &out, &r);
	const char *name = ks_codec_name(c->codec);

	if (!e && looks_like_kernel(&out, r.consumed)) {
		accept(in, c, &out, &r, ret);
		return true;
	}
	if (!e) {
		ks_debug(o->log, "%s candidate at 0x%zx: %zu bytes -> %zu bytes, not a kernel", name, c->off,
			 r.consumed, out.len);
	} else {
		ks_debug(o->log, "%s candidate at 0x%zx: %s", name, c->off, e->message);
		/* out of memory, or no decompression left in the budget:
		 * trying on cannot help.  A strong stream past the cap is a
		 * bomb, a kernel that needs --max-output, or a magic in the
		 * decompressor's code whose header passed by chance (the s390
		 * 7.x image compares with the zstd magic as an immediate, and
		 * the bytes after it read as a frame header): the next
		 * candidate may still be the payload, so the cap is reported
		 * only if none is. */
		bool spent = o->work_left && *o->work_left == 0;
		if (e == &ks_enomem || (e->code == KSYMS_ERR_TOO_LARGE && spent)) {
			ks_buf_free(&out);
			*err = e == &ks_enomem ? e : ks_error_wrap(e, "%s stream at 0x%zx", name, c->off);
			return true;
		}
		weigh_failure(v, c, e, out.len);
	}
	ks_buf_free(&out);
	return false;
}

/* A kernel's own ELF: it exports symbols (CONFIG_MODULES gives every
 * kernel that can load a module a __ksymtab_strings section), which no
 * boot decompressor's ELF (MIPS vmlinuz, PowerPC zImage) does. */
static bool is_kernel_elf(struct span in)
{
	struct ks_elf e;
	struct ks_elf_shdr sh;

	if (!ks_elf_is_elf(in))
		return false;
	struct ksyms_error *err = ks_elf_parse(in, &e);
	if (err) {
		ksyms_error_destroy(err);
		return false;
	}
	return ks_elf_section_by_name(&e, "__ksymtab_strings", &sh);
}

struct ksyms_error *ks_unwrap_embedded(struct span in, const struct ks_unwrap_opts *o, bool *found,
				       struct ks_unwrapped *ret)
{
	struct candidate c[KS_CODEC_COUNT * MAX_PER_CODEC];
	struct verdict v = { 0 };
	size_t banner_at, len;

	/* an arm64/RISC-V/LoongArch Image header says this is the kernel
	 * itself: scanning its 30-50 MB for stray magics cost a third of
	 * `ksyms list` on a raw Image */
	if (ks_kernel_has_image_header(in))
		return NULL;
	/* nor is a vmlinux a wrapper: the banner and magic scans of the
	 * 46 MB ppc64le vmlinux were a quarter of `ksyms list` */
	if (is_kernel_elf(in))
		return NULL;
	bool banner = ks_kernel_banner(in, &banner_at, &len);
	size_t n = find_candidates(in, banner ? banner_at : in.len, banner, c, KS_ARRAY_SIZE(c));
	if (n)
		ks_debug(o->log, "%s: trying %zu compressed-stream candidates",
			 banner ? "a banner, but lz4 and lzo streams show one" : "no kernel banner", n);
	for (size_t i = 0; i < n && i < MAX_TRIES; i++) {
		struct ksyms_error *err = NULL;
		if (!try_candidate(in, &c[i], o, &v, ret, &err))
			continue;
		ksyms_error_destroy(v.err);
		*found = !err;
		return err;
	}
	return v.err;
}
