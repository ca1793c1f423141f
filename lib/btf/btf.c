// SPDX-License-Identifier: MIT
/* Finding and validating the kernel's BTF blob (btf.h). */
#include <string.h>

#include "btf.h"
#include "core/compiler.h"
#include "core/error.h"
#include "core/log.h"
#include "kernel/elf.h"
#include "kernel/vamap.h"

enum {
	/* the kernel's struct btf_header, include/uapi/linux/btf.h */
	HDR_MAGIC = 0, HDR_VERSION = 2, HDR_FLAGS = 3, HDR_LEN = 4, HDR_TYPE_OFF = 8, HDR_TYPE_LEN = 12,
	HDR_STR_OFF = 16, HDR_STR_LEN = 20,
	/* a header longer than this is not one the kernel writes */
	HDR_MAX = 256,
	TYPE_SIZE = 12, /* struct btf_type: name_off, info, size/type */
	KIND_MAX = 19,  /* BTF_KIND_ENUM64 (6.0) */
};

/* Bytes that follow struct btf_type for each kind (include/uapi/linux/btf.h),
 * per vlen entry or fixed; -1 for kinds that do not exist. */
static const struct {
	uint8_t fixed, per_vlen;
	bool refs_type; /* the size/type field is a type id */
} kinds[KIND_MAX + 1] = {
	[1] = { 4, 0, false },   /* INT: encoding */
	[2] = { 0, 0, true },    /* PTR */
	[3] = { 12, 0, false },  /* ARRAY: elem type, index type, nelems */
	[4] = { 0, 12, false },  /* STRUCT: members */
	[5] = { 0, 12, false },  /* UNION */
	[6] = { 0, 8, false },   /* ENUM */
	[7] = { 0, 0, false },   /* FWD */
	[8] = { 0, 0, true },    /* TYPEDEF */
	[9] = { 0, 0, true },    /* VOLATILE */
	[10] = { 0, 0, true },   /* CONST */
	[11] = { 0, 0, true },   /* RESTRICT */
	[12] = { 0, 0, true },   /* FUNC: its FUNC_PROTO */
	[13] = { 0, 8, true },   /* FUNC_PROTO: return type; params */
	[14] = { 4, 0, true },   /* VAR: linkage */
	[15] = { 0, 12, false }, /* DATASEC: variables */
	[16] = { 0, 0, false },  /* FLOAT */
	[17] = { 4, 0, true },   /* DECL_TAG: component index */
	[18] = { 0, 0, true },   /* TYPE_TAG */
	[19] = { 0, 12, false }, /* ENUM64 */
};

static struct ksyms_error *check_strings(struct span str)
{
	uint8_t first, last;

	if (!span_u8(str, 0, &first) || !span_u8(str, str.len - 1, &last))
		return ks_error_at((int64_t)str.origin, "BTF string section is empty");
	if (first != 0 || last != 0)
		return ks_error_at((int64_t)str.origin + (first ? 0 : (int64_t)str.len - 1),
				   "BTF string section does not %s with a NUL", first ? "start" : "end");
	return NULL;
}

/* Walk every type: each must fit, be of a known kind and have its name in
 * the strings; the walk must end exactly at the end of the section. */
static struct ksyms_error *walk_types(struct span types, size_t str_len, bool be, uint32_t *ret_types,
				      size_t *walked)
{
	uint64_t max_ref = 0;
	uint32_t n = 0;
	size_t off = 0;

	while (off < types.len) {
		/* one bounds check for the three words: this loop runs for each
		 * of the 127k types of a 6.12 kernel */
		const uint8_t *p = span_at(types, off, TYPE_SIZE);
		if (!p)
			return ks_error_at((int64_t)(types.origin + off), "BTF type %u is cut short by the type section's end",
					   n + 1);
		uint32_t name_off = load32(p, be), info = load32(p + 4, be), ref = load32(p + 8, be);
		unsigned kind = (info >> 24) & 0x1f, vlen = info & 0xffff;
		if (kind == 0 || kind > KIND_MAX)
			return ks_error_at((int64_t)(types.origin + off), "BTF type %u has unknown kind %u", n + 1, kind);
		if (name_off >= str_len)
			return ks_error_at((int64_t)(types.origin + off), "BTF type %u names string offset %u past the strings",
					   n + 1, name_off);
		if (kinds[kind].refs_type && ref > max_ref)
			max_ref = ref;
		uint64_t extra = kinds[kind].fixed + (uint64_t)kinds[kind].per_vlen * vlen;
		if (extra > types.len - off - TYPE_SIZE)
			return ks_error_at((int64_t)(types.origin + off), "BTF type %u is cut short by the type section's end",
					   n + 1);
		off += TYPE_SIZE + (size_t)extra;
		*walked = off;
		if (n == UINT32_MAX)
			return ks_error_at((int64_t)types.origin, "BTF has too many types");
		n++;
	}
	if (n == 0)
		return ks_error_at((int64_t)types.origin, "BTF has no types");
	if (max_ref > n)
		return ks_error_at((int64_t)types.origin, "BTF refers to type %llu but has %u types",
				   (unsigned long long)max_ref, n);
	*ret_types = n;
	return NULL;
}

/* ks_btf_check(), saying in *walked how many bytes of types it read */
static struct ksyms_error *check_blob(struct span blob, bool be, size_t *ret_size, uint32_t *ret_types,
				      size_t *walked)
{
	uint16_t magic;
	uint8_t version, flags;
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	int64_t at = (int64_t)blob.origin;

	if (!span_u16(blob, HDR_MAGIC, be, &magic) || !span_u32(blob, HDR_STR_LEN, be, &str_len))
		return ks_error_at(at, "BTF header cut short");
	span_u8(blob, HDR_VERSION, &version);
	span_u8(blob, HDR_FLAGS, &flags);
	span_u32(blob, HDR_LEN, be, &hdr_len);
	span_u32(blob, HDR_TYPE_OFF, be, &type_off);
	span_u32(blob, HDR_TYPE_LEN, be, &type_len);
	span_u32(blob, HDR_STR_OFF, be, &str_off);
	if (magic != KS_BTF_MAGIC)
		return ks_error_at(at, "no BTF magic (0x%04x)", magic);
	if (version != 1 || flags != 0)
		return ks_error_at(at, "BTF version %u, flags %u: only version 1 without flags exists", version, flags);
	if (hdr_len < KS_BTF_HDR_MIN || hdr_len > HDR_MAX)
		return ks_error_at(at + HDR_LEN, "BTF header length %u is not one the kernel writes", hdr_len);
	if (!span_is_zero(blob, KS_BTF_HDR_MIN, hdr_len - KS_BTF_HDR_MIN))
		return ks_error_at(at + KS_BTF_HDR_MIN, "BTF header's %u bytes past the known fields are not zero",
				   hdr_len - KS_BTF_HDR_MIN);
	uint64_t type_end = (uint64_t)type_off + type_len, str_end = (uint64_t)str_off + str_len;
	uint64_t size = hdr_len + (type_end > str_end ? type_end : str_end);
	if (type_off % 4 || type_end > str_off)
		return ks_error_at(at + HDR_TYPE_OFF, "BTF type section (%u bytes at %u) is misaligned or overlaps the "
				   "strings at %u", type_len, type_off, str_off);
	if (size > blob.len)
		return ks_error_at(at, "BTF claims %llu bytes but only %zu are there", (unsigned long long)size,
				   blob.len);
	struct span types, strs;
	if (!span_sub(blob, hdr_len + (size_t)type_off, type_len, &types) ||
	    !span_sub(blob, hdr_len + (size_t)str_off, str_len, &strs))
		return ks_error_at(at, "BTF sections lie outside the blob");
	struct ksyms_error *err = check_strings(strs);
	if (!err)
		err = walk_types(types, str_len, be, ret_types, walked);
	if (err)
		return err;
	*ret_size = (size_t)size;
	return NULL;
}

struct ksyms_error *ks_btf_check(struct span blob, bool be, size_t *ret_size, uint32_t *ret_types)
{
	size_t walked = 0;

	return check_blob(blob, be, ret_size, ret_types, &walked);
}

/* ------------------------------------------------------------------------ */

struct ctx {
	const struct ks_log *log;
	const struct ks_kernel *k;
	struct ksyms_table *t;
	struct ks_vamap map;
	bool be;
};

/* __start_BTF and __stop_BTF (the lowest of each), and whether the table
 * has data symbols at all, in one pass: the table's name index would sort
 * every name for two lookups. */
struct bounds {
	uint64_t start, stop;
	bool has_start, has_stop, data;
};

/* nm's letters of data symbols; a switch, not strchr(): on 6.12 arm64
 * the first of them is symbol 48,691, and strchr() for each one before it
 * was 1.0M of `info`'s 103M instructions */
static bool is_data_type(char type)
{
	switch (type) {
	case 'd': case 'D': case 'b': case 'B': case 'r': case 'R': case 'g': case 'G': case 's': case 'S':
		return true;
	default:
		return false;
	}
}

static void find_bounds(const struct ksyms_table *t, struct bounds *b)
{
	memset(b, 0, sizeof(*b));
	/* as the table's lookups tell CONFIG_KALLSYMS_ALL: a kernel with
	 * text symbols only still has a few linker-made data ones, whose
	 * names start with '_' (the first other one ends the search) */
	for (size_t i = 0; i < t->count && !b->data; i++)
		b->data = t->module[i] == KS_NO_MODULE && is_data_type(t->type[i]) && ks_table_name_first(t, i) != '_';
	for (size_t k = 0, i; ks_landmark_next(t, &k, &i);) {
		const char *n = t->pool + t->name[i];
		if (t->module[i] != KS_NO_MODULE || n[0] != '_' || n[1] != '_' || n[2] != 's' || n[3] != 't')
			continue;
		if (strcmp(n, "__start_BTF") == 0 && (!b->has_start || t->addr[i] < b->start)) {
			b->start = t->addr[i];
			b->has_start = true;
		} else if (strcmp(n, "__stop_BTF") == 0 && (!b->has_stop || t->addr[i] < b->stop)) {
			b->stop = t->addr[i];
			b->has_stop = true;
		}
	}
}

static struct ksyms_error *accept(struct ctx *c, size_t off, const char *how, struct ksyms_btf_info *ret,
				  size_t *walked)
{
	size_t size;
	uint32_t types;
	struct ksyms_error *err = check_blob(span_from(c->k->data, off), c->be, &size, &types, walked);

	if (err)
		return err;
	memset(ret, 0, sizeof(*ret));
	ret->offset = off;
	ret->size = size;
	ret->num_types = types;
	ret->byte_order = c->be ? KSYMS_ENDIAN_BIG : KSYMS_ENDIAN_LITTLE;
	ret->found_by = how;
	ret->has_address = ks_vamap_to_va(&c->map, off, &ret->address);
	return NULL;
}

/* __start_BTF and __stop_BTF: the kernel's own bounds. */
static struct ksyms_error *by_symbols(struct ctx *c, uint64_t start, uint64_t stop, struct ksyms_btf_info *ret)
{
	size_t off;

	if (stop == start)
		return ks_error(KSYMS_ERR_NOT_FOUND, "the kernel has no BTF (__start_BTF = __stop_BTF)");
	if (stop < start || !ks_vamap_to_off(&c->map, start, &off))
		return ks_error(KSYMS_ERR_BAD_DATA, "__start_BTF (0x%llx) is not inside the kernel's bytes",
				(unsigned long long)start);
	size_t walked;
	struct ksyms_error *err = accept(c, off, "__start_BTF/__stop_BTF symbols", ret, &walked);
	if (err)
		return ks_error_wrap(err, "the BTF at __start_BTF (offset 0x%zx)", off);
	if (ret->size > stop - start)
		return ks_error_at((int64_t)off, "the BTF at __start_BTF is %llu bytes, more than __stop_BTF allows (%llu)",
				   (unsigned long long)ret->size, (unsigned long long)(stop - start));
	return NULL;
}

/* An ELF vmlinux names it in its section headers. */
static bool by_section(struct ctx *c, struct ksyms_btf_info *ret, struct ksyms_error **ret_err)
{
	struct ks_elf e;
	struct ks_elf_shdr sh;

	if (!ks_elf_is_elf(c->k->data))
		return false;
	struct ksyms_error *err = ks_elf_parse(c->k->data, &e);
	if (err) {
		ksyms_error_destroy(err);
		return false;
	}
	if (!ks_elf_section_by_name(&e, ".BTF", &sh) || sh.type == KS_SHT_NOBITS || sh.offset > c->k->data.len)
		return false;
	size_t walked;
	*ret_err = accept(c, (size_t)sh.offset, "ELF .BTF section", ret, &walked);
	if (*ret_err)
		*ret_err = ks_error_wrap(*ret_err, "the ELF .BTF section");
	return true;
}

/*
 * No bounds to go by: every place the magic, version 1 and flags 0 occur
 * is a candidate, validated in full; the largest valid one wins (the
 * kernel's own BTF dwarfs anything else that might look like one).  The
 * walks are bounded: a hostile image full of near-valid headers stops
 * after reading a few times its own size.
 */
static struct ksyms_error *by_scan(struct ctx *c, struct ksyms_btf_info *ret)
{
	static const uint8_t le[4] = { 0x9f, 0xeb, 1, 0 }, be[4] = { 0xeb, 0x9f, 1, 0 };
	struct span d = c->k->data;
	uint64_t budget = 4 * (uint64_t)d.len + (64u << 20);
	struct ksyms_btf_info best = { 0 };
	bool found = false;

	for (size_t at = 0; (at = span_find(d, at, c->be ? be : le, 4)) != SIZE_MAX; at++) {
		struct ksyms_btf_info cand;
		size_t walked = 0;
		struct ksyms_error *err = accept(c, at, "scan for the BTF header", &cand, &walked);
		if (err) {
			ks_debug(c->log, "btf: candidate at 0x%zx rejected: %s", at, ksyms_error_message(err));
			ksyms_error_destroy(err);
		} else if (!found || cand.size > best.size) {
			best = cand;
			found = true;
		}
		if (budget < 64 + (uint64_t)walked)
			return ks_error(KSYMS_ERR_TOO_LARGE, "too many BTF header candidates to check");
		budget -= 64 + (uint64_t)walked;
	}
	if (!found)
		return ks_error(KSYMS_ERR_NOT_FOUND, "the kernel has no BTF (no valid BTF header in its %zu bytes; "
				"built without CONFIG_DEBUG_INFO_BTF?)", d.len);
	*ret = best;
	return NULL;
}

bool ks_btf_in_elf(const struct ks_kernel *k)
{
	struct ks_elf e;
	struct ks_elf_shdr sh;

	if (!ks_elf_is_elf(k->data))
		return false;
	struct ksyms_error *err = ks_elf_parse(k->data, &e);
	if (err) {
		ksyms_error_destroy(err);
		return false;
	}
	return ks_elf_section_by_name(&e, ".BTF", &sh) && sh.type != KS_SHT_NOBITS;
}

struct ksyms_error *ks_btf_locate(const struct ks_kernel *k, struct ksyms_table *t, const struct ks_log *log,
				  struct ksyms_btf_info *ret)
{
	struct ctx c = { .log = log, .k = k, .t = t };
	const struct ksyms_info *i = t ? ksyms_table_info(t) : NULL;
	int word = i && i->word_size ? i->word_size : k->word_size ? k->word_size : 8;
	enum ksyms_byte_order bo = i && i->byte_order ? i->byte_order : k->byte_order;
	struct bounds b = { 0 };
	struct ksyms_error *err = NULL;

	c.be = bo == KSYMS_ENDIAN_BIG;
	ks_vamap_init(&c.map, k, i && i->base_known, i ? i->base : 0, word);
	if (by_section(&c, ret, &err))
		return err;
	if (t)
		find_bounds(t, &b);
	if (b.has_start && b.has_stop)
		return by_symbols(&c, b.start, b.stop, ret);
	if (b.data && i->source_kind == KSYMS_SOURCE_KALLSYMS)
		return ks_error(KSYMS_ERR_NOT_FOUND, "the kernel has no BTF (no __start_BTF symbol among its data "
				"symbols; built without CONFIG_DEBUG_INFO_BTF)");
	return by_scan(&c, ret);
}
