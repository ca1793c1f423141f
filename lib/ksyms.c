// SPDX-License-Identifier: MIT
/* Library-wide entry points: version, names of enums, tables from images. */
#include <stdlib.h>
#include <string.h>

#include "ksyms.h"
#include "core/compiler.h"
#include "core/error.h"
#include "exports/exports.h"
#include "input/image.h"
#include "kallsyms/decode.h"
#include "verify/verify.h"

#define STR2(x) #x
#define STR(x) STR2(x)

const char *ksyms_version(void)
{
	return STR(KSYMS_VERSION_MAJOR) "." STR(KSYMS_VERSION_MINOR) "." STR(KSYMS_VERSION_PATCH);
}

static const char *const table_names[KSYMS_TAB_COUNT] = {
	"kallsyms_addresses", "kallsyms_offsets", "kallsyms_relative_base",
	"kallsyms_num_syms", "kallsyms_names", "kallsyms_markers",
	"kallsyms_seqs_of_names", "kallsyms_token_table", "kallsyms_token_index",
};

const char *ksyms_table_id_name(enum ksyms_table_id id)
{
	return (unsigned)id < KSYMS_TAB_COUNT ? table_names[id] : NULL;
}

const char *ksyms_addr_mode_name(enum ksyms_addr_mode m)
{
	static const char *const n[] = { "unknown", "absolute", "relative", "relative-percpu", "pc-relative",
					 "absolute32" };
	return (unsigned)m < KS_ARRAY_SIZE(n) ? n[m] : "unknown";
}

const char *ksyms_table_order_name(enum ksyms_table_order o)
{
	static const char *const n[] = { "unknown", "addresses-first", "names-first" };
	return (unsigned)o < KS_ARRAY_SIZE(n) ? n[o] : "unknown";
}

const char *ksyms_seqs_pos_name(enum ksyms_seqs_pos p)
{
	static const char *const n[] = { "none", "after-markers", "after-addresses" };
	return (unsigned)p < KS_ARRAY_SIZE(n) ? n[p] : "unknown";
}

struct ksyms_error *ksyms_table_from_image(const struct ksyms_image *img, const struct ksyms_find_opts *opts,
					   struct ksyms_table **ret)
{
	if (!img || !ret)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_table_from_image");
	/* accept older (shorter) and newer (zero-tailed) option structs */
	struct ksyms_find_opts o = { .sz = sizeof(o) };
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "find options without a size");
		for (size_t i = sizeof(o); i < opts->sz; i++)
			if (((const uint8_t *)opts)[i])
				return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "find options from a newer libksyms");
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
		o.sz = sizeof(o);
	}
	if (o.word_size && o.word_size != 4 && o.word_size != 8)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "word size must be 4 or 8, not %d", o.word_size);
	struct ksyms_table *t;
	struct ksyms_error *err = ks_kallsyms_load(ks_image_kernel(img), &o, &t);
	if (err)
		return err;
	/* while the image is mapped: the table keeps its exports (unknown
	 * if the kernel was decompressed only as far as kallsyms: __ksymtab
	 * lies after the tables) */
	err = ks_image_stopped_early(img) ? NULL : ks_exports_read(ks_image_kernel(img), t);
	if (!err)
		err = ks_verify_table(ks_image_kernel(img), t, ks_image_stopped_early(img));
	if (err) {
		ksyms_table_destroy(t);
		return err;
	}
	*ret = t;
	return NULL;
}

void ksyms_free(void *p)
{
	free(p);
}
