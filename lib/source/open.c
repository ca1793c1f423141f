// SPDX-License-Identifier: MIT
/*
 * ksyms_table_open: any symbol source, decided from the content.  A text
 * list ("address type name" lines) is a System.map or /proc/kallsyms; any
 * other input is opened as an image (containers unwrapped) and its kallsyms
 * decoded; an ELF without kallsyms falls back to its .symtab.
 */
#include <string.h>

#include "source.h"
#include "core/error.h"
#include "exports/exports.h"
#include "input/elf.h"
#include "input/image.h"
#include "kallsyms/decode.h"

const char *ksyms_source_kind_name(enum ksyms_source_kind kind)
{
	switch (kind) {
	case KSYMS_SOURCE_KALLSYMS: return "kallsyms";
	case KSYMS_SOURCE_SYMTAB: return "ELF .symtab";
	case KSYMS_SOURCE_SYSTEM_MAP: return "System.map";
	case KSYMS_SOURCE_PROC_KALLSYMS: return "/proc/kallsyms";
	default: return "unknown";
	}
}

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
	err = from_kernel(img, path, o, ret);
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
	err = from_kernel(img, NULL, o, ret);
	ksyms_image_destroy(img);
	return err;
}
