// SPDX-License-Identifier: MIT
/*
 * The entry layer: the one place that composes the others (lib/README.md).
 *
 *   open      an input is mapped and its containers unwrapped (input/),
 *             with, for kallsyms_only, the early-stop question of
 *             early_stop.c, which needs the decoder;
 *   decode    kallsyms/ finds and decodes the tables, exports/ reads the
 *             ksymtab while the image is mapped, verify/ checks the
 *             addresses;
 *   sources   any symbol source: a text list (source/), a kernel image,
 *             or an ELF's .symtab when it has no kallsyms;
 *   outputs   the BTF blob (btf/) and the ELF (elfout/) of an opened image,
 *             the writer handed the BTF the locator found.
 *
 * No other layer calls into this one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "early_stop.h"
#include "btf/btf.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/log.h"
#include "elfout/elfout.h"
#include "exports/exports.h"
#include "input/image.h"
#include "kallsyms/decode.h"
#include "kernel/elf.h"
#include "source/source.h"
#include "verify/verify.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char *ksyms_version(void)
{
	return STR(KSYMS_VERSION_MAJOR) "." STR(KSYMS_VERSION_MINOR) "." STR(KSYMS_VERSION_PATCH);
}

/* ------------------------------------------------------------------------ */
/* open */

struct ksyms_error *ksyms_image_open(const char *path, const struct ksyms_open_opts *opts, struct ksyms_image **ret)
{
	struct ks_early_stop stop;

	if (!ks_open_opts_kallsyms_only(opts))
		return ks_image_open(path, opts, NULL, ret);
	ks_early_stop_init(&stop, ks_open_opts_max_output(opts));
	return ks_image_open(path, opts, &stop.stop, ret);
}

struct ksyms_error *ksyms_image_open_mem(const void *data, size_t len, const struct ksyms_open_opts *opts,
					 struct ksyms_image **ret)
{
	struct ks_early_stop stop;

	if (!ks_open_opts_kallsyms_only(opts))
		return ks_image_open_mem(data, len, opts, NULL, ret);
	ks_early_stop_init(&stop, ks_open_opts_max_output(opts));
	return ks_image_open_mem(data, len, opts, &stop.stop, ret);
}

/* ------------------------------------------------------------------------ */
/* decode */

/* Older (shorter) and newer (zero-tailed) option structs are accepted. */
static struct ksyms_error *find_opts(const struct ksyms_find_opts *opts, struct ksyms_find_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "find options without a size");
		for (size_t i = sizeof(*o); i < opts->sz; i++)
			if (((const uint8_t *)opts)[i])
				return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "find options from a newer libksyms");
		memcpy(o, opts, opts->sz < sizeof(*o) ? opts->sz : sizeof(*o));
		o->sz = sizeof(*o);
	}
	if (o->word_size && o->word_size != 4 && o->word_size != 8)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "word size must be 4 or 8, not %d", o->word_size);
	return NULL;
}

/*
 * A table decoded for its facts (info_only) is one that `ksyms info`
 * asks the BTF of next.  Reading the exports is the longest step of such
 * a decode (2.4 ms on 7.2 arm64), and two others need none of it: the
 * checks of the symbols against the image (ks_verify_symbols, 1.2 ms) and
 * finding the BTF, whose walk of the types took 1.2 ms.  A second thread
 * does both meanwhile, with scratch of its own, reading what the exports
 * reader does not write; the table keeps the BTF for ksyms_image_btf().
 * No thread outlives the call; without one, the steps run in turn.
 */
struct side_job {
	const struct ks_kernel *k;
	struct ksyms_table *t;
	bool prefix;
	struct ks_arena scratch;
	struct ksyms_error *verify_err;
	struct ksyms_btf_info info;
	struct ksyms_error *err;
};

static void *side_job_run(void *arg)
{
	struct side_job *j = arg;

	j->verify_err = ks_verify_symbols(j->k, j->t, j->prefix, &j->scratch);
	j->err = ks_btf_locate(j->k, j->t, NULL, &j->info);
	return NULL;
}

static void keep_btf(struct ksyms_table *t, const struct side_job *j)
{
	t->btf_known = true;
	t->btf_data = j->k->data.p;
	t->btf = j->info;
	t->btf_err = j->err;
}

struct ksyms_error *ksyms_table_from_image(const struct ksyms_image *img, const struct ksyms_find_opts *opts,
					   struct ksyms_table **ret)
{
	if (!img || !ret)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_table_from_image");
	struct ksyms_find_opts o;
	struct ksyms_table *t;
	struct ksyms_error *err = find_opts(opts, &o);
	if (err)
		return err;
	err = ks_kallsyms_load(ks_image_kernel(img), &o, &t);
	if (err)
		return err;
	struct side_job job = { .k = ks_image_kernel(img), .t = t, .prefix = ks_image_stopped_early(img) };
	pthread_t side;
	bool threaded = o.info_only && !job.prefix && pthread_create(&side, NULL, side_job_run, &job) == 0;
	/* while the image is mapped: the table keeps its exports, unless the
	 * caller needs only the symbols (kallsyms_only: a third of the work
	 * of listing a raw image; a prefix would not hold __ksymtab anyway) */
	err = ks_image_kallsyms_only(img) ? NULL : ks_exports_read(ks_image_kernel(img), t);
	if (threaded) {
		pthread_join(side, NULL);
		ks_arena_free(&job.scratch);
		keep_btf(t, &job);
		if (!err && !(err = job.verify_err))
			ks_verify_rest(ks_image_kernel(img), t, job.prefix);
	} else if (!err) {
		err = ks_verify_table(ks_image_kernel(img), t, job.prefix);
	}
	t->facts_only = o.info_only;
	if (err) {
		ksyms_table_destroy(t);
		return err;
	}
	*ret = t;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* sources */

/* A .symtab that lists kallsyms' own tables belongs to a kernel built
 * with CONFIG_KALLSYMS: if they did not decode, they are damaged, and the
 * .symtab must not stand in for them silently. */
static bool has_kallsyms(struct ksyms_table *t)
{
	size_t pos;

	return ksyms_table_lookup_name(t, "kallsyms_token_table", &pos) ||
	       ksyms_table_lookup_name(t, "kallsyms_names", &pos);
}

/* Symbols every vmlinux has, or every module. */
static bool kernel_like(struct ksyms_table *t)
{
	static const char *const marks[] = { "_stext", "start_kernel", "linux_banner", "__this_module" };
	size_t pos;

	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (ksyms_table_lookup_name(t, marks[i], &pos))
			return true;
	return false;
}

static struct ksyms_error *from_kernel(const struct ksyms_image *img, const char *path,
				       const struct ksyms_source_opts *o, struct ksyms_table **ret)
{
	const struct ks_kernel *k = ks_image_kernel(img);
	enum ksyms_source_kind kind = o ? o->kind : KSYMS_SOURCE_AUTO;

	if (kind == KSYMS_SOURCE_SYSTEM_MAP || kind == KSYMS_SOURCE_PROC_KALLSYMS ||
	    (kind == KSYMS_SOURCE_AUTO && ks_textmap_detect(k->data)))
		return ks_textmap_load(k->data, path, kind, ret);
	if (kind == KSYMS_SOURCE_SYMTAB) {
		/* the kernel's own ELF: the ELF around a compressed kernel
		 * (a MIPS vmlinuz) is its decompressor */
		if (!ks_elf_is_elf(k->data))
			return ks_error(KSYMS_ERR_NOT_FOUND, "no ELF .symtab: the kernel in this file is not an ELF");
		return ks_elfsym_load(k->data, ret);
	}
	struct ksyms_error *err = ksyms_table_from_image(img, o ? o->find : NULL, ret);
	if (err && kind == KSYMS_SOURCE_AUTO && ksyms_error_code(err) == KSYMS_ERR_NOT_FOUND &&
	    ks_elf_is_elf(k->data)) {
		/* a kernel ELF without kallsyms (a vmlinux built without
		 * CONFIG_KALLSYMS, a module): its .symtab is the table; any
		 * other ELF is not a kernel and stays an error */
		struct ksyms_table *t = NULL;
		struct ksyms_error *e2 = ks_elfsym_load(k->data, &t);
		if (!e2 && kernel_like(t) && !has_kallsyms(t) && !(e2 = ks_exports_read(k, t))) {
			ksyms_error_destroy(err);
			*ret = t;
			return NULL;
		}
		ksyms_table_destroy(t);
		ksyms_error_destroy(e2);
	}
	if (!err)
		(*ret)->info.source_kind = KSYMS_SOURCE_KALLSYMS;
	return err;
}

/* A table about to outlive its image: one decoded for its facts only
 * still borrows the image's names (table/packed.c), so expand them. */
static struct ksyms_error *outliving(struct ksyms_error *err, struct ksyms_table **ret)
{
	if (err || ks_table_unpack(*ret))
		return err;
	ksyms_table_destroy(*ret);
	*ret = NULL;
	return &ks_enomem;
}

static bool source_opts_ok(const struct ksyms_source_opts *o)
{
	return !o || o->sz >= sizeof(*o);
}

struct ksyms_error *ksyms_table_read(const struct ksyms_image *img, const struct ksyms_source_opts *o,
				     struct ksyms_table **ret)
{
	if (!img || !ret || !source_opts_ok(o))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_table_read");
	return from_kernel(img, NULL, o, ret);
}

struct ksyms_error *ksyms_table_open(const char *path, const struct ksyms_source_opts *o, struct ksyms_table **ret)
{
	struct ksyms_image *img;

	if (!path || !ret || !source_opts_ok(o))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_table_open");
	struct ksyms_error *err = ksyms_image_open(path, o ? o->open : NULL, &img);
	if (err)
		return err;
	err = outliving(from_kernel(img, path, o, ret), ret);
	ksyms_image_destroy(img);
	return err;
}

struct ksyms_error *ksyms_table_open_mem(const void *data, size_t len, const struct ksyms_source_opts *o,
					 struct ksyms_table **ret)
{
	struct ksyms_image *img;

	if (!ret || !source_opts_ok(o))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_table_open_mem");
	struct ksyms_error *err = ksyms_image_open_mem(data, len, o ? o->open : NULL, &img);
	if (err)
		return err;
	err = outliving(from_kernel(img, NULL, o, ret), ret);
	ksyms_image_destroy(img);
	return err;
}

/* ------------------------------------------------------------------------ */
/* outputs */

struct ksyms_error *ksyms_image_btf(const struct ksyms_image *img, struct ksyms_table *tab,
				    const struct ksyms_find_opts *find, struct ksyms_btf_info *ret, const void **ret_data)
{
	struct ksyms_btf_info b;
	struct ksyms_find_opts o;
	struct ksyms_table *own = NULL;

	if (!img || !ret)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_image_btf");
	const struct ks_kernel *k = ks_image_kernel(img);
	struct ksyms_error *err = tab ? NULL : find_opts(find, &o);
	if (err)
		return err;
	/* the symbols alone, for __start_BTF: the exports and the checks of
	 * the addresses would cost more than finding the BTF; an ELF says
	 * where its .BTF is without them */
	if (!tab && !ks_btf_in_elf(k)) {
		struct ks_log log = { o.log, o.log_ctx, o.log_level };
		err = ks_kallsyms_load(k, &o, &own);
		if (err) {
			ks_info(&log, "btf: no kallsyms table (%s): looking for the BTF header", ksyms_error_message(err));
			ksyms_error_destroy(err);
			own = NULL;
		}
		tab = own;
	}
	if (tab && tab->btf_known && tab->btf_data == k->data.p) {
		b = tab->btf;
		err = tab->btf_err ? ks_error_copy(tab->btf_err) : NULL;
	} else {
		err = ks_btf_locate(k, tab, NULL, &b);
	}
	ksyms_table_destroy(own);
	if (err)
		return err;
	if (ks_image_stopped_early(img) && b.offset + b.size > k->data.len)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "the image was decompressed only as far as kallsyms");
	*ret = b;
	if (ret_data)
		*ret_data = k->data.p + b.offset;
	return NULL;
}

struct ksyms_error *ksyms_elf_write(const struct ksyms_image *img, struct ksyms_table *tab,
				    const struct ksyms_elf_opts *opts, ksyms_write_fn *write, void *write_ctx,
				    struct ksyms_elf_result *ret)
{
	struct ksyms_elf_opts o = { .sz = sizeof(o) };

	if (!img || !write)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_elf_write");
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "ELF options without a size");
		for (size_t i = sizeof(o); i < opts->sz; i++)
			if (((const uint8_t *)opts)[i])
				return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "ELF options from a newer libksyms");
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	const struct ks_kernel *k = ks_image_kernel(img);
	if (ks_image_stopped_early(img))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT,
				"the image was decompressed only as far as kallsyms (kallsyms_only): no ELF of a part");
	if (!tab && !(o.symbols && ks_elf_is_elf(k->data)))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "ksyms_elf_write needs the table decoded from the image");
	if ((tab && tab->facts_only) || (o.symbols && o.symbols->facts_only))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, KS_FACTS_ONLY_MSG);
	enum ksyms_source_kind kind = tab ? ksyms_table_info(tab)->source_kind : KSYMS_SOURCE_KALLSYMS;
	if (kind == KSYMS_SOURCE_SYSTEM_MAP || kind == KSYMS_SOURCE_PROC_KALLSYMS)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "this is a symbol list, not a kernel image: an ELF needs the "
				"kernel's bytes (give the image, and the list as the symbols)");
	/* BTF is a bonus: a kernel without it, or with a damaged one, still
	 * gets its ELF */
	struct ks_log log = { o.log, o.log_ctx, o.log_level };
	struct ksyms_btf_info btf;
	struct ksyms_error *err = ks_btf_locate(k, tab, &log, &btf);
	if (err)
		ks_info(&log, "elf: no .BTF section: %s", ksyms_error_message(err));
	struct ks_elfout_in in = {
		.k = k, .own = tab, .syms = o.symbols ? o.symbols : tab, .btf = err ? NULL : &btf,
		.has_slide = o.has_slide, .slide = o.slide, .log = o.log, .log_ctx = o.log_ctx,
		.log_level = o.log_level,
	};
	ksyms_error_destroy(err);
	return ks_elfout_write(&in, write, write_ctx, ret);
}

void ksyms_free(void *p)
{
	free(p);
}
