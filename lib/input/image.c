// SPDX-License-Identifier: MIT
/*
 * Opening an input: map the file (never copy it), then unwrap containers
 * and compression layer by layer until the data is the kernel itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "unwrap.h"
#include "core/error.h"
#include "core/buf.h"
#include "core/overflow.h"
#include "classify.h"
#include "dump.h"
#include "kcore.h"
#include "kernel/elf.h"

enum { DEFAULT_MAX_DEPTH = 16 };
static const uint64_t DEFAULT_MAX_OUTPUT = KS_DEFAULT_MAX_OUTPUT;
/* Decompression tried while opening one input, failed candidates and
 * bombs included, may produce this many times max_output in all. */
enum { WORK_PER_OUTPUT = 2 };

struct layer {
	struct ksyms_layer pub;
	char desc[384];
	struct span data; /* what this layer yields */
	uint8_t *owned;
};

struct ksyms_image {
	void *map;
	size_t map_len;
	uint8_t *copy;    /* file read into memory when it cannot be mapped */
	struct layer *layers;
	size_t nlayers;
	struct ks_kernel kernel;
	struct span file; /* the input as opened, before any unwrapping */
	bool stopped_early; /* some layer holds only a prefix (kallsyms_only) */
	bool kallsyms_only; /* the caller asked for the kallsyms tables only */
	struct ks_dump *dump; /* a memory dump, or NULL */
};

/* Containers with headers first, then bare compressed streams. */
static ks_unwrap_fn *const unwrappers[] = {
	ks_unwrap_bzimage, ks_unwrap_zimage, ks_unwrap_zboot, ks_unwrap_bootimg, ks_unwrap_uimage, ks_unwrap_fit,
	ks_unwrap_codec,
	ks_unwrap_embedded, /* last: it searches, the others know where to look */
};

static bool opts_valid(const void *opts, size_t known)
{
	if (!opts)
		return true;
	size_t sz = *(const size_t *)opts;
	if (sz < sizeof(size_t))
		return false;
	/* a newer caller's extra fields must be zero (libbpf OPTS_VALID) */
	for (size_t i = known; i < sz; i++)
		if (((const uint8_t *)opts)[i])
			return false;
	return true;
}

#define OPT(o, field, def) \
	((o) && (o)->sz >= offsetof(__typeof__(*(o)), field) + sizeof((o)->field) && (o)->field ? (o)->field : (def))

bool ks_open_opts_kallsyms_only(const struct ksyms_open_opts *opts)
{
	return OPT(opts, kallsyms_only, false);
}

uint64_t ks_open_opts_max_output(const struct ksyms_open_opts *opts)
{
	return OPT(opts, max_output, DEFAULT_MAX_OUTPUT);
}

static struct layer *add_layer(struct ksyms_image *img)
{
	struct layer *l = realloc(img->layers, (img->nlayers + 1) * sizeof(*l));

	if (!l)
		return NULL;
	img->layers = l;
	l = &img->layers[img->nlayers++];
	memset(l, 0, sizeof(*l));
	l->pub.description = l->desc;
	return l;
}

/* Point every layer's description at its own buffer (after a realloc). */
static void fix_descriptions(struct ksyms_image *img)
{
	for (size_t i = 0; i < img->nlayers; i++)
		img->layers[i].pub.description = img->layers[i].desc;
}

static struct ksyms_error *unwrap_once(struct span in, const struct ks_unwrap_opts *uo, bool *found,
				       struct ks_unwrapped *u)
{
	for (size_t i = 0; i < KS_ARRAY_SIZE(unwrappers); i++) {
		memset(u, 0, sizeof(*u));
		struct ksyms_error *err = unwrappers[i](in, uo, found, u);
		if (err || *found)
			return err;
	}
	return NULL;
}

/* A layer past what the outer layers left of the limit: say so. */
static struct ksyms_error *too_large_after(struct ksyms_error *err, uint64_t limit, uint64_t held)
{
	struct ksyms_error *e = ks_error(KSYMS_ERR_TOO_LARGE,
					 "%s (that is what was left of the %llu-byte limit on decompressed data: the "
					 "outer layers hold %llu bytes)",
					 ksyms_error_message(err), (unsigned long long)limit, (unsigned long long)held);

	ksyms_error_destroy(err);
	return e;
}

/*
 * What a container says about the kernel inside it (EFI zboot's PE machine
 * type, a uImage or FIT arch, an ARM zImage) is stronger evidence than a
 * guess from the data, weaker than the kernel's own header: it fills in
 * only what the kernel's classification left open.  Without it, a raw
 * 64-bit kernel whose addresses the data did not settle was read as
 * 32-bit (the LoongArch 7.x zboot kernel).
 */
static void apply_arch_hint(struct ks_kernel *k, const struct ks_unwrapped *u)
{
	if (!u->arch_hint || k->arch)
		return;
	k->arch = u->arch_hint;
	k->arch_source = u->arch_hint_source;
	if (!k->word_size)
		k->word_size = ks_arch_word_size(u->arch_hint);
	if (!k->byte_order)
		k->byte_order = u->byte_order_hint;
}

/* The last layer, the kernel itself, described. */
static struct ksyms_error *add_kernel_layer(struct ksyms_image *img, struct span data)
{
	struct layer *l = add_layer(img);

	if (!l)
		return &ks_enomem;
	fix_descriptions(img);
	l->pub.format = img->kernel.format;
	l->data = data;
	l->pub.offset = 0;
	l->pub.size = data.len;
	l->pub.out_size = data.len;
	snprintf(l->desc, sizeof(l->desc), "%s%s%s, %zu bytes", img->kernel.format, img->kernel.arch ? ", " : "",
		 img->kernel.arch ? img->kernel.arch : "", data.len);
	return NULL;
}

/*
 * A memory dump: the layer is the dump, its output the window of memory
 * that holds the kernel (input/dump.c).  *ret_found is false when @data is
 * no dump (raw data without VMCOREINFO in it is read as a kernel image).
 */
static struct ksyms_error *open_dump(struct ksyms_image *img, struct span data, const struct ks_log *log,
				     uint64_t limit, bool raw, bool *ret_found)
{
	struct ks_dump_opts o = { limit < (256ull << 20) ? limit : 0, log, raw };
	struct ksyms_error *err = ks_dump_open(data, &o, &img->dump);

	*ret_found = false;
	if (err && raw && ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND) {
		ksyms_error_destroy(err);
		return NULL;
	}
	if (err)
		return err;
	*ret_found = true;
	struct layer *l = add_layer(img);
	if (!l)
		return &ks_enomem;
	fix_descriptions(img);
	l->pub.format = img->dump->format;
	size_t dl = strnlen(img->dump->desc, sizeof(l->desc) - 1);
	memcpy(l->desc, img->dump->desc, dl);
	l->desc[dl] = 0;
	l->pub.offset = 0;
	l->pub.size = data.len;
	l->data = img->dump->data;
	l->pub.out_size = l->data.len;
	ks_info(log, "%s: %s", l->pub.format, l->desc);
	if ((err = ks_dump_kernel(img->dump, &img->kernel)))
		return err;
	img->kernel.max_output = limit;
	return add_kernel_layer(img, img->dump->data);
}

static struct ksyms_error *unwrap_all(struct ksyms_image *img, struct span data, const struct ksyms_open_opts *o,
				      const struct ks_stop *stop)
{
	struct ks_log log = { OPT(o, log, NULL), OPT(o, log_ctx, NULL), OPT(o, log_level, KSYMS_LOG_INFO) };
	uint64_t limit = OPT(o, max_output, DEFAULT_MAX_OUTPUT), held = 0;
	uint64_t work = limit > UINT64_MAX / WORK_PER_OUTPUT ? UINT64_MAX : limit * WORK_PER_OUTPUT;
	struct ks_unwrap_opts uo = { limit, &log, &work, stop };
	unsigned max_depth = OPT(o, max_depth, DEFAULT_MAX_DEPTH);
	bool has_hint = false;
	uint64_t hint = 0;
	struct ks_unwrapped arch = { 0 }; /* the innermost layer that named an architecture */
	bool found_dump;

	if (ks_dump_detect(data))
		return open_dump(img, data, &log, limit, false, &found_dump);
	for (unsigned depth = 0;; depth++) {
		struct ks_unwrapped u;
		bool found = false;
		/* the limit bounds the decompressed data held, every layer's */
		uo.max_output = limit - held;
		struct ksyms_error *err = unwrap_once(data, &uo, &found, &u);
		if (err && held && ksyms_error_code(err) == KSYMS_ERR_TOO_LARGE)
			return too_large_after(err, limit, held);
		if (err)
			return err;
		if (!found)
			break;
		if (depth >= max_depth) {
			ks_buf_free(&u.out);
			return ks_error(KSYMS_ERR_TOO_LARGE, "containers nested more than %u deep (see --max-depth)", max_depth);
		}
		struct layer *l = add_layer(img);
		if (!l) {
			ks_buf_free(&u.out);
			return &ks_enomem;
		}
		fix_descriptions(img);
		l->pub.format = u.format;
		snprintf(l->desc, sizeof(l->desc), "%s", u.description);
		l->pub.offset = u.offset;
		l->pub.size = u.size;
		l->pub.stopped_early = u.stopped;
		img->stopped_early |= u.stopped;
		if (u.decompressed) {
			held += u.out.len;
			l->owned = u.out.p;
			l->data = span_make(u.out.p, u.out.len, 0);
		} else {
			l->data = span_make(data.p + u.offset, u.size, 0);
		}
		l->pub.out_size = l->data.len;
		ks_info(&log, "%s: %s", u.format, l->desc);
		if (u.has_base_hint) {
			has_hint = true;
			hint = u.base_hint;
		}
		if (u.arch_hint) {
			arch.arch_hint = u.arch_hint;
			arch.arch_hint_source = u.arch_hint_source;
			arch.byte_order_hint = u.byte_order_hint;
		}
		data = l->data;
	}

	struct ksyms_error *err;
	if (!img->nlayers && ks_dump_raw_detect(data)) {
		if ((err = open_dump(img, data, &log, limit, true, &found_dump)) || found_dump)
			return err;
		ks_dump_destroy(img->dump);
		img->dump = NULL;
	}
	err = ks_kernel_classify(data, &img->kernel);
	if (err)
		return err;
	img->kernel.max_output = limit;
	if (has_hint && !img->kernel.nsegs) {
		img->kernel.has_base_hint = true;
		img->kernel.base_hint = hint;
		img->kernel.base_hint_source = "the container's load address";
	}
	apply_arch_hint(&img->kernel, &arch);
	return add_kernel_layer(img, data);
}

static struct ksyms_error *open_data(struct ksyms_image *img, const void *data, size_t len,
				     const struct ksyms_open_opts *opts, const struct ks_stop *stop,
				     struct ksyms_image **ret)
{
	struct ksyms_error *err;

	img->file = span_make(data, len, 0);
	img->kallsyms_only = OPT(opts, kallsyms_only, false);
	if (len == 0)
		err = ks_error_at(0, "empty file");
	else
		err = unwrap_all(img, span_make(data, len, 0), opts, stop);
	if (err) {
		ksyms_image_destroy(img);
		return err;
	}
	*ret = img;
	return NULL;
}

struct ksyms_error *ks_image_open_mem(const void *data, size_t len, const struct ksyms_open_opts *opts,
				      const struct ks_stop *stop, struct ksyms_image **ret)
{
	if (!ret || (!data && len) || !opts_valid(opts, sizeof(struct ksyms_open_opts)))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_image_open_mem");
	struct ksyms_image *img = calloc(1, sizeof(*img));
	if (!img)
		return &ks_enomem;
	return open_data(img, data, len, opts, stop, ret);
}

/* Read a file that cannot be mapped (a pipe, stdin), up to @cap bytes. */
static struct ksyms_error *read_all(int fd, const char *path, uint64_t cap, uint8_t **ret, size_t *ret_len)
{
	struct ks_buf b = { 0 };

	for (;;) {
		if (!ks_buf_reserve(&b, 1 << 20)) {
			ks_buf_free(&b);
			return &ks_enomem;
		}
		ssize_t n = read(fd, b.p + b.len, b.cap - b.len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			ks_buf_free(&b);
			return ks_error_os(e, "cannot read");
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
		if (b.len > cap) {
			ks_buf_free(&b);
			return ks_error(KSYMS_ERR_TOO_LARGE, "larger than the %llu-byte limit (see --max-output)", (unsigned long long)cap);
		}
	}
	*ret = b.p;
	*ret_len = b.len;
	return NULL;
}

/* ELF, ET_CORE: a memory dump, or /proc/kcore */
static bool is_elf_core(const uint8_t *p, size_t len)
{
	return len >= 18 && ks_elf_is_elf(span_make(p, len, 0)) && (p[5] == 2 ? p[16] == 0 && p[17] == 4 : p[16] == 4 && p[17] == 0);
}

/* The kernel image load of a kcore on @fd, as the chain's first layer. */
static struct ksyms_error *open_kcore(struct ksyms_image *img, int fd, const struct ksyms_open_opts *opts,
				      const struct ks_stop *stop, struct ksyms_image **ret)
{
	struct ks_kcore k = { 0 };
	struct ksyms_error *err = ks_kcore_read(fd, OPT(opts, max_output, DEFAULT_MAX_OUTPUT), &k);

	if (img->map)
		munmap(img->map, img->map_len);
	img->map = NULL;
	close(fd);
	if (err) {
		free(img);
		return err;
	}
	img->copy = k.elf;
	struct layer *l = add_layer(img);
	if (!l) {
		ks_kcore_free(&k);
		free(img);
		return &ks_enomem;
	}
	l->pub.format = "kcore";
	snprintf(l->desc, sizeof(l->desc), "%s", k.desc);
	l->pub.offset = k.offset;
	l->pub.size = k.size;
	l->pub.out_size = k.len;
	l->data = span_make(k.elf, k.len, 0);
	return open_data(img, k.elf, k.len, opts, stop, ret);
}

/*
 * Map the pages of a kernel-sized file at once: finding the tables reads
 * most of a raw image and all of a compressed one's payload, and a fault
 * per 64 KiB cost 15% of `list` on a raw 48 MB arm64 Image on a VM (104 to
 * 87 ms).  An ELF file is read where its headers point, and a memory dump
 * in a few places: those are mapped lazily (populating a 46 MB ppc64le
 * vmlinux made its `list` 10 ms slower).
 */
enum { POPULATE_MAX = 256 << 20 };

/*
 * A kernel-sized file is mapped at a 2 MiB boundary with huge pages
 * advised, then populated.  Where the file is not in the page cache yet,
 * its pages are then read in as 2 MiB folios and mapped 2 MiB at a time;
 * pages already cached stay as they are.  On this project's VM (shadow
 * page tables) the first touch of each 4 KiB page of a mapping costs about
 * 1.4-1.7 us however it was populated: a first scan of the 48 MB 7.2 arm64
 * Image took 20 ms through small pages and 4.9 ms through huge ones, a
 * second scan 3.4 ms.  Advice only: without THP for files the pages are
 * mapped 4 KiB at a time, as with MAP_POPULATE.
 *
 * The ELF magic is read through the mapping, not by a pread() before it:
 * that pread() read the file's first pages in as small folios, which then
 * stayed so in the page cache, and every later run paid for 4 KiB pages in
 * the first 4 MiB (0.7 ms a 2 MiB block touched throughout).
 */
static void *map_huge_aligned(int fd, size_t size)
{
#ifdef MADV_HUGEPAGE
	size_t span = size + KS_HUGE_PAGE;
	if (span < size)
		return MAP_FAILED;
	uint8_t *r = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return MAP_FAILED;
	uint8_t *a = (uint8_t *)(((uintptr_t)r + KS_HUGE_PAGE - 1) & ~(uintptr_t)(KS_HUGE_PAGE - 1));
	void *p = mmap(a, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED) {
		munmap(r, span);
		return MAP_FAILED;
	}
	/* the reservation's slack on either side */
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t end = ((uintptr_t)a + size + (uintptr_t)pg - 1) & ~((uintptr_t)pg - 1);
	if (a > r)
		munmap(r, (size_t)(a - r));
	if ((uintptr_t)r + span > end)
		munmap((void *)end, (uintptr_t)r + span - end);
	(void)madvise(p, size, MADV_HUGEPAGE);
	return p;
#else
	(void)fd;
	(void)size;
	return MAP_FAILED;
#endif
}

static void touch_pages(const volatile uint8_t *p, size_t size, size_t page)
{
	for (size_t o = 0; o < size; o += page)
		(void)p[o];
}

static void *map_file(int fd, size_t size)
{
	uint8_t *p = map_huge_aligned(fd, size);
	bool huge = p != MAP_FAILED;

	if (!huge)
		p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return p;
	if (size > POPULATE_MAX || (size >= 4 && memcmp(p, "\177ELF", 4) == 0)) {
#ifdef MADV_NOHUGEPAGE
		if (huge)
			(void)madvise(p, size, MADV_NOHUGEPAGE); /* read lazily, as it was */
#endif
		return p;
	}
#ifdef MADV_POPULATE_READ
	if (madvise(p, size, MADV_POPULATE_READ) == 0)
		return p;
#endif
	touch_pages(p, size, (size_t)sysconf(_SC_PAGESIZE)); /* before Linux 5.14 */
	return p;
}

struct ksyms_error *ks_image_open(const char *path, const struct ksyms_open_opts *opts, const struct ks_stop *stop,
				  struct ksyms_image **ret)
{
	if (!path || !ret || !opts_valid(opts, sizeof(struct ksyms_open_opts)))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_image_open");
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ks_error_os(errno, "cannot open");
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return ks_error_os(e, "cannot stat");
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "is a directory");
	}
	struct ksyms_image *img = calloc(1, sizeof(*img));
	if (!img) {
		close(fd);
		return &ks_enomem;
	}
	const void *data = NULL;
	size_t len = 0;
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		bool too_large = (uint64_t)st.st_size > SIZE_MAX;
		if (!too_large)
			img->map = map_file(fd, (size_t)st.st_size);
		if (too_large || img->map == MAP_FAILED) {
			img->map = NULL;
		} else {
			img->map_len = (size_t)st.st_size;
			data = img->map;
			len = img->map_len;
		}
		/* /proc/kcore: an ELF core of the whole address space that
		 * cannot be mapped; read only its kernel image load */
		if ((!data || is_elf_core(data, len)) && ks_kcore_detect(fd, !data))
			return open_kcore(img, fd, opts, stop, ret);
		if (too_large) {
			close(fd);
			free(img);
			return ks_error(KSYMS_ERR_TOO_LARGE, "too large to map");
		}
	}
	/* procfs files (/proc/kallsyms) have content but say size 0: read
	 * them; an empty file reads as empty */
	if (!data) {
		struct ksyms_error *err = read_all(fd, path, OPT(opts, max_output, DEFAULT_MAX_OUTPUT), &img->copy, &len);
		if (err) {
			close(fd);
			free(img);
			return err;
		}
		data = img->copy;
	}
	close(fd);
	return open_data(img, data, len, opts, stop, ret);
}

void ksyms_image_destroy(struct ksyms_image *img)
{
	if (!img)
		return;
	for (size_t i = 0; i < img->nlayers; i++)
		free(img->layers[i].owned);
	free(img->layers);
	ks_kernel_deinit(&img->kernel);
	ks_dump_destroy(img->dump);
	if (img->map)
		munmap(img->map, img->map_len);
	free(img->copy);
	free(img);
}

size_t ksyms_image_layer_count(const struct ksyms_image *img)
{
	return img ? img->nlayers : 0;
}

const struct ksyms_layer *ksyms_image_layer(const struct ksyms_image *img, size_t i)
{
	return img && i < img->nlayers ? &img->layers[i].pub : NULL;
}

const void *ksyms_image_layer_data(const struct ksyms_image *img, size_t i, size_t *ret_len)
{
	if (!img || i >= img->nlayers)
		return NULL;
	if (ret_len)
		*ret_len = img->layers[i].data.len;
	return img->layers[i].data.p;
}

const void *ksyms_image_kernel(const struct ksyms_image *img, size_t *ret_len)
{
	return img && img->nlayers ? ksyms_image_layer_data(img, img->nlayers - 1, ret_len) : NULL;
}

struct span ks_image_file(const struct ksyms_image *img)
{
	return img->file;
}

bool ks_image_stopped_early(const struct ksyms_image *img)
{
	return img->stopped_early;
}

bool ks_image_kallsyms_only(const struct ksyms_image *img)
{
	return img->kallsyms_only;
}

const struct ksyms_dump_info *ksyms_image_dump(const struct ksyms_image *img)
{
	return img && img->dump ? &img->dump->pub : NULL;
}

bool ksyms_image_paddr(const struct ksyms_image *img, uint64_t offset, uint64_t *ret)
{
	return img && img->dump && ks_dump_off_to_pa(img->dump, offset, ret);
}

struct ks_dump *ks_image_dump(const struct ksyms_image *img)
{
	return img->dump;
}

const struct ks_kernel *ks_image_kernel(const struct ksyms_image *img)
{
	return &img->kernel;
}
