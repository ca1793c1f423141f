// SPDX-License-Identifier: MIT
/*
 * U-Boot FIT images (U-Boot doc/usage/fit/source_file_format.rst): a
 * flattened device tree (devicetree-specification v0.4, chapter 5) whose
 * /images/<name> nodes carry the payloads and whose /configurations say
 * which to boot.  The kernel is the image the default configuration's
 * "kernel" property names, else the first configuration's, else the
 * first image of type "kernel" or "kernel_noload".  Its bytes are the
 * "data" property, or with `mkimage -E` external data after the tree:
 * "data-position" (from the start of the file) or "data-offset" (from the
 * end of the tree, rounded up to 4 bytes), with "data-size".  The
 * "compression" property names the codec; it is decompressed here.
 *
 * The structure block is walked iteratively, with a depth cap; every
 * token, name and property is checked against the block it lives in.
 */
#include <stdio.h>
#include <string.h>

#include "kernel/kernel.h"
#include "unwrap_util.h"
#include "core/overflow.h"
#include "decompress/decompress.h"

enum {
	FDT_OFF_STRUCT = 8,
	FDT_OFF_STRINGS = 12,
	FDT_VERSION = 20,
	FDT_SIZE_STRINGS = 32,
	FDT_SIZE_STRUCT = 36,
	FDT_BEGIN_NODE = 1,
	FDT_END_NODE = 2,
	FDT_PROP = 3,
	FDT_NOP = 4,
	FDT_END = 9,
	FDT_MAX_DEPTH = 32, /* FIT trees are 4 deep; anything past this is hostile */
	FDT_MAX_NAME = 256,
};

struct fdt {
	struct span whole, strct, strings;
	uint32_t totalsize;
};

enum fdt_event { EV_BEGIN, EV_END, EV_PROP };

/* One walker event: a node begins or ends at @depth (root = 1), or the
 * node at @depth has property @name = @value.  Return false to stop. */
typedef bool fdt_visit_fn(void *ctx, enum fdt_event ev, unsigned depth, const char *name, struct span value);

static struct ksyms_error *fdt_bad(const struct fdt *f, size_t pos, const char *what)
{
	return ks_error_at((int64_t)(f->strct.origin + pos), "FIT: %s at 0x%llx of the device tree", what,
			   (unsigned long long)(f->strct.origin + pos));
}

/* The block [off, off + size) of the tree, checked against totalsize. */
static struct ksyms_error *fdt_block(struct fdt *f, uint32_t off, uint32_t size, const char *what, struct span *ret)
{
	if (off > f->totalsize || size > f->totalsize - off || !span_sub(f->whole, off, size, ret))
		return ks_error_at((int64_t)f->whole.origin, "FIT: the device tree's %s (%u bytes at 0x%x) is outside its "
				   "%u bytes", what, size, off, f->totalsize);
	return NULL;
}

static struct ksyms_error *fdt_open(struct span in, struct fdt *f)
{
	uint32_t off_struct, off_strings, size_strings, size_struct = 0, version;

	if (!span_u32(in, 4, true, &f->totalsize) || !span_u32(in, FDT_OFF_STRUCT, true, &off_struct) ||
	    !span_u32(in, FDT_OFF_STRINGS, true, &off_strings) || !span_u32(in, FDT_VERSION, true, &version) ||
	    !span_u32(in, FDT_SIZE_STRINGS, true, &size_strings))
		return ks_error_at((int64_t)in.origin, "FIT: device tree header truncated (%zu bytes)", in.len);
	if (f->totalsize > in.len)
		return ks_error_at((int64_t)in.origin, "FIT: the device tree's totalsize %u is past the end of the data "
				   "(%zu bytes)", f->totalsize, in.len);
	if (version < 16)
		return ks_error(KSYMS_ERR_UNSUPPORTED, "FIT: device tree version %u is older than 16", version);
	f->whole = in;
	/* size_dt_struct exists from version 17; before, the block runs to the strings */
	if (version < 17 || !span_u32(in, FDT_SIZE_STRUCT, true, &size_struct))
		size_struct = off_strings > off_struct ? off_strings - off_struct : 0;
	struct ksyms_error *err = fdt_block(f, off_struct, size_struct, "structure block", &f->strct);
	return err ? err : fdt_block(f, off_strings, size_strings, "strings block", &f->strings);
}

/* A NUL-terminated name at @off of @s (at most FDT_MAX_NAME bytes), or NULL. */
static const char *fdt_string(struct span s, size_t off, size_t *ret_len)
{
	size_t n = span_strnlen(s, off, FDT_MAX_NAME);

	if (n == SIZE_MAX)
		return NULL;
	if (ret_len)
		*ret_len = n;
	return (const char *)span_at(s, off, n + 1);
}

static struct ksyms_error *fdt_prop(const struct fdt *f, size_t *pos, const char **ret_name, struct span *ret_value)
{
	uint32_t len, nameoff;
	size_t next;

	if (!span_u32(f->strct, *pos + 4, true, &len) || !span_u32(f->strct, *pos + 8, true, &nameoff) ||
	    !span_sub(f->strct, *pos + 12, len, ret_value))
		return fdt_bad(f, *pos, "property runs past the structure block");
	*ret_name = fdt_string(f->strings, nameoff, NULL);
	if (!*ret_name)
		return fdt_bad(f, *pos, "property name outside the strings block");
	if (align_up_size(&next, *pos + 12 + len, 4))
		return fdt_bad(f, *pos, "property too long");
	*pos = next;
	return NULL;
}

/* Walk the structure block, calling @visit for every node and property. */
static struct ksyms_error *fdt_walk(const struct fdt *f, fdt_visit_fn *visit, void *ctx)
{
	unsigned depth = 0;
	size_t pos = 0, n;
	uint32_t tok;
	const char *name = NULL;
	struct span value = { 0 };

	while (span_u32(f->strct, pos, true, &tok)) {
		size_t at = pos;
		switch (tok) {
		case FDT_BEGIN_NODE:
			if (++depth > FDT_MAX_DEPTH)
				return fdt_bad(f, at, "nodes nested too deep");
			if (!(name = fdt_string(f->strct, pos + 4, &n)) || align_up_size(&pos, pos + 4 + n + 1, 4))
				return fdt_bad(f, at, "node name runs past the structure block");
			if (!visit(ctx, EV_BEGIN, depth, name, value))
				return NULL;
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return fdt_bad(f, at, "unbalanced end of node");
			pos += 4;
			if (!visit(ctx, EV_END, depth--, "", value))
				return NULL;
			break;
		case FDT_PROP: {
			struct ksyms_error *err = fdt_prop(f, &pos, &name, &value);
			if (err)
				return err;
			if (depth == 0)
				return fdt_bad(f, at, "property outside any node");
			if (!visit(ctx, EV_PROP, depth, name, value))
				return NULL;
			break;
		}
		case FDT_NOP:
			pos += 4;
			break;
		case FDT_END:
			return depth ? fdt_bad(f, at, "the tree ends inside a node") : NULL;
		default:
			return fdt_bad(f, at, "unknown token");
		}
	}
	return fdt_bad(f, pos, "the structure block ends without FDT_END");
}

/* A string property's value, if it is NUL-terminated. */
static const char *prop_str(struct span v)
{
	return v.len && v.p[v.len - 1] == 0 ? (const char *)v.p : NULL;
}

/* A one- or two-cell number (addresses in FIT are either). */
static bool prop_num(struct span v, uint64_t *ret)
{
	uint32_t w;

	if (v.len == 4 && span_u32(v, 0, true, &w)) {
		*ret = w;
		return true;
	}
	return v.len == 8 && span_u64(v, 0, true, ret);
}

/* ------------------------------------------------------------------------ */
/* Pass 1: which image the configurations choose as the kernel. */

struct fit_confs {
	bool in_images_seen, in_confs;
	const char *desc, *default_conf, *cur_conf, *chosen_conf, *kernel, *first_conf, *first_kernel;
};

static bool visit_confs(void *ctx, enum fdt_event ev, unsigned depth, const char *name, struct span v)
{
	struct fit_confs *c = ctx;

	if (ev == EV_BEGIN && depth == 2) {
		c->in_confs = strcmp(name, "configurations") == 0;
		c->in_images_seen |= strcmp(name, "images") == 0;
	} else if (ev == EV_BEGIN && depth == 3 && c->in_confs) {
		c->cur_conf = name;
	} else if (ev == EV_PROP && depth == 1 && strcmp(name, "description") == 0) {
		c->desc = prop_str(v);
	} else if (ev == EV_PROP && depth == 2 && c->in_confs && strcmp(name, "default") == 0) {
		c->default_conf = prop_str(v);
	} else if (ev == EV_PROP && depth == 3 && c->in_confs && strcmp(name, "kernel") == 0 && prop_str(v)) {
		if (!c->first_kernel) {
			c->first_kernel = prop_str(v);
			c->first_conf = c->cur_conf;
		}
		if (c->default_conf && strcmp(c->cur_conf, c->default_conf) == 0) {
			c->kernel = prop_str(v);
			c->chosen_conf = c->cur_conf;
		}
	}
	return true;
}

/* ------------------------------------------------------------------------ */
/* Pass 2: the kernel image node's properties. */

struct fit_image {
	const char *name, *type, *comp, *arch;
	struct span data;
	bool has_data, has_pos, has_off, has_size, has_load;
	uint32_t pos, off, size;
	uint64_t load;
};

struct fit_find {
	const char *want; /* image name, or NULL for the first kernel */
	bool in_images, found;
	struct fit_image cur;
};

static bool is_kernel_type(const char *type)
{
	return type && (strcmp(type, "kernel") == 0 || strcmp(type, "kernel_noload") == 0);
}

/* data-position, data-offset and data-size are one cell each. */
static bool prop_u32(struct span v, uint32_t *ret)
{
	return v.len == 4 && span_u32(v, 0, true, ret);
}

static void image_prop(struct fit_image *im, const char *name, struct span v)
{
	if (strcmp(name, "type") == 0) {
		im->type = prop_str(v);
	} else if (strcmp(name, "compression") == 0) {
		im->comp = prop_str(v);
	} else if (strcmp(name, "arch") == 0) {
		im->arch = prop_str(v);
	} else if (strcmp(name, "data") == 0) {
		im->data = v;
		im->has_data = true;
	} else if (strcmp(name, "data-position") == 0) {
		im->has_pos = prop_u32(v, &im->pos);
	} else if (strcmp(name, "data-offset") == 0) {
		im->has_off = prop_u32(v, &im->off);
	} else if (strcmp(name, "data-size") == 0) {
		im->has_size = prop_u32(v, &im->size);
	} else if (strcmp(name, "load") == 0) {
		im->has_load = prop_num(v, &im->load);
	}
}

static bool visit_image(void *ctx, enum fdt_event ev, unsigned depth, const char *name, struct span v)
{
	struct fit_find *f = ctx;

	if (ev == EV_BEGIN && depth == 2)
		f->in_images = strcmp(name, "images") == 0;
	if (!f->in_images)
		return true;
	if (ev == EV_BEGIN && depth == 3) {
		memset(&f->cur, 0, sizeof(f->cur));
		f->cur.name = name;
	} else if (ev == EV_PROP && depth == 3) {
		image_prop(&f->cur, name, v);
	} else if (ev == EV_END && depth == 3) {
		f->found = f->want ? strcmp(f->cur.name, f->want) == 0 : is_kernel_type(f->cur.type);
		return !f->found;
	}
	return true;
}

/* ------------------------------------------------------------------------ */

/* The kernel's bytes: embedded, or external after the tree. */
static struct ksyms_error *fit_image_data(const struct fdt *f, const struct fit_image *im, struct span *ret)
{
	size_t base;

	if (im->has_data) {
		*ret = im->data;
		return NULL;
	}
	if (!im->has_size || !(im->has_pos || im->has_off))
		return ks_error_at((int64_t)f->whole.origin, "FIT: kernel image '%s' has neither data nor data-size "
				   "with data-position or data-offset", im->name);
	if (im->has_pos)
		return unwrap_range(f->whole, "FIT", "external kernel data", im->pos, im->size, ret);
	if (align_up_size(&base, f->totalsize, 4))
		return ks_error_at((int64_t)f->whole.origin, "FIT: totalsize overflows");
	return unwrap_range(f->whole, "FIT", "external kernel data", (uint64_t)base + im->off, im->size, ret);
}

/* The codec a "compression" value names, -1 for "none"; false if unknown. */
static bool fit_codec(const char *comp, int *ret)
{
	static const struct {
		const char *name;
		int codec;
	} map[] = {
		{ "none", -1 }, { "gzip", KS_CODEC_GZIP }, { "bzip2", KS_CODEC_BZIP2 }, { "lzma", KS_CODEC_LZMA },
		{ "lzo", KS_CODEC_LZO }, { "lz4", KS_CODEC_LZ4 }, { "zstd", KS_CODEC_ZSTD },
	};

	for (size_t i = 0; i < KS_ARRAY_SIZE(map); i++) {
		if (strcmp(comp ? comp : "none", map[i].name) == 0) {
			*ret = map[i].codec;
			return true;
		}
	}
	return false;
}

/* Decompress per the compression property, checked against the magic. */
static struct ksyms_error *fit_decompress(struct span data, const struct fit_image *im, int want,
					  const struct ks_unwrap_opts *o, struct ks_unwrapped *ret)
{
	enum ks_codec c;
	struct ks_decomp_result r;

	if (!ks_codec_detect(data, 0, &c) || !((int)c == want || (want == KS_CODEC_LZ4 && c == KS_CODEC_LZ4_LEGACY)))
		return ks_error_at((int64_t)data.origin, "FIT: kernel image '%s' says compression '%s', but its data at "
				   "0x%llx is not a %s stream", im->name, im->comp, (unsigned long long)data.origin, im->comp);
	struct ksyms_error *err = ks_unwrap_decompress(c, data, o, &ret->out, &r);
	if (err) {
		ks_buf_free(&ret->out);
		return ks_error_wrap(err, "FIT: kernel image '%s'", im->name);
	}
	ret->decompressed = true;
	ret->stopped = r.stopped;
	ret->size = r.consumed;
	return NULL;
}

/* MIPS kernels run where U-Boot loads them (KSEG0), so their load
 * address is the virtual base; elsewhere it is physical (see uImage). */
static void fit_base_hint(const struct fit_image *im, struct ks_unwrapped *ret)
{
	if (!im->has_load || !im->arch || strncmp(im->arch, "mips", 4) != 0 || im->load < 0x80000000u)
		return;
	ret->has_base_hint = true;
	ret->base_hint = im->load;
	/* a 32-bit address for a 64-bit kernel means CKSEG0, sign-extended */
	if (strcmp(im->arch, "mips64") == 0 && im->load <= 0xffffffffu)
		ret->base_hint |= 0xffffffff00000000ull;
}

static struct ksyms_error *fit_find_kernel(const struct fdt *f, struct fit_confs *c, struct fit_find *find)
{
	struct ksyms_error *err = fdt_walk(f, visit_confs, c);

	if (err)
		return err;
	if (!c->in_images_seen)
		return ks_error(KSYMS_ERR_NOT_FOUND, "a device tree blob with no /images node: not a FIT image, and no "
				"kernel");
	if (!c->kernel) {
		c->kernel = c->first_kernel;
		c->chosen_conf = c->first_conf;
	}
	find->want = c->kernel;
	if ((err = fdt_walk(f, visit_image, find)))
		return err;
	if (!find->found && c->kernel)
		return ks_error(KSYMS_ERR_BAD_DATA, "FIT: configuration '%s' names kernel '%s', which is not in /images",
				c->chosen_conf, c->kernel);
	if (!find->found)
		return ks_error(KSYMS_ERR_NOT_FOUND, "FIT image with no kernel in /images");
	return NULL;
}

struct ksyms_error *ks_unwrap_fit(struct span in, const struct ks_unwrap_opts *o, bool *found,
				  struct ks_unwrapped *ret)
{
	uint32_t magic;
	struct fdt f;
	struct fit_confs c = { 0 };
	struct fit_find find = { 0 };
	struct span data = { 0 };
	int want;

	if (!span_u32(in, 0, true, &magic) || magic != FDT_MAGIC)
		return NULL;
	*found = true;
	struct ksyms_error *err = fdt_open(in, &f);
	if (!err)
		err = fit_find_kernel(&f, &c, &find);
	if (!err)
		err = fit_image_data(&f, &find.cur, &data);
	if (err)
		return err;
	const struct fit_image *im = &find.cur;
	if (!fit_codec(im->comp, &want))
		return ks_error(KSYMS_ERR_UNSUPPORTED, "FIT: kernel image '%s' has unknown compression '%s'", im->name,
				im->comp);
	ret->format = "FIT";
	ret->offset = (size_t)(data.origin - in.origin);
	ret->size = data.len;
	if (want >= 0 && (err = fit_decompress(data, im, want, o, ret)))
		return err;
	fit_base_hint(im, ret);
	ret->arch_hint = ks_arch_from_name(im->arch);
	ret->arch_hint_source = "FIT image's arch property";
	char desc[64] = "";
	if (c.desc)
		unwrap_text(desc, sizeof(desc), span_make(c.desc, strlen(c.desc), 0), 0, SIZE_MAX);
	snprintf(ret->description, sizeof(ret->description),
		 "U-Boot FIT image '%s', kernel '%s'%s%s%s (%s, compression %s%s), %zu bytes at 0x%zx%s", desc,
		 im->name, c.chosen_conf ? " of configuration '" : "", c.chosen_conf ? c.chosen_conf : "",
		 c.chosen_conf ? "'" : "", im->arch ? im->arch : "no arch", im->comp ? im->comp : "none",
		 im->has_data ? "" : ", external data", data.len, ret->offset, ret->decompressed ? ", decompressed" : "");
	ks_debug(o->log, "FIT: kernel '%s', type %s", im->name, im->type ? im->type : "(none)");
	return NULL;
}
