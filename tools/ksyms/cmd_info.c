// SPDX-License-Identifier: MIT
/* ksyms info: where the kallsyms tables are, and what they are. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const struct opt info_opts[] = {
	{ "json", 'j', NULL,
	  "one JSON object per SRC, one per line; \"tables\" maps each kernel\n"
	  "table name to {\"offset\": N, \"address\": \"0x...\", \"size\": N}" },
	{ NULL, 0, NULL, NULL },
};

static const struct cmd_spec info_spec = {
	.name = "info",
	.usage = "info [OPTIONS] [SRC...]",
	.about = "Show the container chain, the kernel version, architecture, table layout,\n"
		 "symbol count, load address, and each kallsyms table's file offset (in the\n"
		 "decompressed kernel), virtual address and size.  On a symbol list (System.map,\n"
		 "/proc/kallsyms) say what the list is.  Without SRC, the running kernel's image\n"
		 "(else /proc/kallsyms), its BTF and its configuration.\n",
	.opts = info_opts,
	.groups = OPTS_INPUT | OPTS_OUTPUT,
};

static const char *endian_name(enum ksyms_byte_order o)
{
	return o == KSYMS_ENDIAN_BIG ? "big" : "little";
}

static const char *name_len_text(const struct ksyms_info *i)
{
	if (i->layout.name_len_bytes == 2)
		return i->long_names_seen ? "ULEB128 (1-2 bytes, 6.1+)" : "ULEB128 (6.1+; no name needs 2 bytes)";
	return "1 byte (before 6.1)";
}

/* A symbol list (System.map, /proc/kallsyms, .symtab) has no kallsyms
 * layout: say what it is instead. */
static void print_list_source(struct out *o, const struct ksyms_info *i)
{
	out_printf(o, "source:        %s, %llu symbols", i->source, (unsigned long long)i->num_syms);
	if (i->module_symbols)
		out_printf(o, " and %zu module symbols", i->module_symbols);
	out_printf(o, ", %d-bit addresses\n", i->word_size * 8);
	if (i->arch)
		out_printf(o, "arch:          %s (from %s)\n", i->arch, i->arch_source);
	if (i->addresses_hidden)
		out_str(o, "addresses:     all 0: kptr_restrict hides them from this reader (read /proc/kallsyms as root "
			   "with kernel.kptr_restrict=0, or use a System.map or the kernel image)\n");
}

static void print_exports(struct out *o, const struct ksyms_exports_info *e)
{
	if (!e)
		return;
	if (!e->known) {
		out_printf(o, "exports:       unknown (%s)\n", e->unknown_reason ? e->unknown_reason : "no ksymtab found");
		return;
	}
	out_printf(o, "exports:       %zu (%zu EXPORT_SYMBOL_GPL, %zu in a namespace), %s, found by %s\n", e->count,
		   e->gpl, e->with_namespace, e->layout, e->found_by);
}

/* The kernel's BTF, when ksyms_image_btf() found it (NULL: none, and why in @why). */
struct btf_found {
	const struct ksyms_btf_info *b;
	const char *why;
};

static void print_btf(struct out *o, const struct btf_found *f, int digits)
{
	const struct ksyms_btf_info *b = f->b;

	if (!b) {
		out_printf(o, "btf:           none: %s\n", f->why);
		return;
	}
	out_printf(o, "btf:           %u types, %llu bytes at offset 0x%llx", b->num_types, (unsigned long long)b->size,
		   (unsigned long long)b->offset);
	if (b->has_address) {
		out_str(o, ", address 0x");
		out_hex(o, b->address, digits);
	}
	out_printf(o, " (found by %s)\n", b->found_by);
}

/* Whether the addresses are vouched for, and by what. */
static void print_checks(struct out *o, const struct ksyms_info *i)
{
	if (i->addresses_verified)
		out_str(o, "addresses:     verified\n");
	else
		out_printf(o, "addresses:     NOT verified: %s\n", i->verify_note);
	for (size_t c = 0; c < i->num_checks; c++) {
		const struct ksyms_check *k = &i->checks[c];
		out_printf(o, "  %-12s %-8s %s%s\n", k->name, k->held ? "held" : "FAILED", k->detail,
			   k->independent ? "" : " (supporting only)");
	}
}

static void print_text(struct out *o, const char *path, const struct ksyms_image *img, const struct ksyms_table *tab,
		       const struct btf_found *btf, bool running)
{
	const struct ksyms_info *i = ksyms_table_info(tab);
	int digits = i->word_size == 4 ? 8 : 16;
	size_t nl = ksyms_image_layer_count(img);

	out_printf(o, "file:          %s\n", path);
	for (size_t l = 0; l < nl; l++) {
		const struct ksyms_layer *ly = ksyms_image_layer(img, l);
		out_printf(o, "%s %-11s at 0x%llx, %llu bytes: %s\n", l ? "            ->" : "chain:        ",
			   ly->format, (unsigned long long)ly->offset, (unsigned long long)ly->size, ly->description);
	}
	if (i->source_kind != KSYMS_SOURCE_KALLSYMS) {
		print_list_source(o, i);
		if (running)
			running_print_text(o);
		return;
	}
	out_printf(o, "kernel:        %s\n", i->banner ? i->banner : "(no \"Linux version\" banner found)");
	out_printf(o, "arch:          %s%s%s%s, %d-bit %s-endian\n", i->arch ? i->arch : "unknown",
		   i->arch_source ? " (from " : "", i->arch_source ? i->arch_source : "", i->arch_source ? ")" : "",
		   i->word_size * 8, endian_name(i->byte_order));
	out_printf(o, "layout:        %s, %s addresses, seqs_of_names %s\n", ksyms_table_order_name(i->layout.order),
		   ksyms_addr_mode_name(i->layout.addr_mode), ksyms_seqs_pos_name(i->layout.seqs));
	out_printf(o, "               name lengths %s, %u-byte markers, %u-byte num_syms, %u-byte alignment\n",
		   name_len_text(i), i->layout.marker_size, i->layout.num_syms_size, i->layout.align);
	out_printf(o, "symbols:       %llu\n", (unsigned long long)i->num_syms);
	print_exports(o, ksyms_table_exports(tab));
	print_btf(o, btf, digits);
	if (i->base_known) {
		out_str(o, "load address:  0x");
		out_hex(o, i->base, digits);
		out_printf(o, " (from %s)\n", i->base_source);
	} else {
		out_printf(o, "load address:  unknown (%s)\n", i->base_source ? i->base_source : "no anchor found; use --base");
	}
	if (i->layout.addr_mode == KSYMS_ADDR_RELATIVE || i->layout.addr_mode == KSYMS_ADDR_RELATIVE_PERCPU) {
		out_str(o, "relative base: 0x");
		out_hex(o, i->relative_base, digits);
		if (i->relative_base_inferred)
			out_printf(o, " (0 in the image, filled in at boot; inferred from %s)", i->relative_base_source);
		out_char(o, '\n');
	}
	print_checks(o, i);
	out_printf(o, "\n  %-24s %12s  %-*s %10s\n", "table", "file offset", digits + 2, "address", "size");
	for (int t = 0; t < KSYMS_TAB_COUNT; t++) {
		const struct ksyms_table_loc *l = &i->tables[t];
		if (!l->present)
			continue;
		out_printf(o, "  %-24s %#12llx  ", ksyms_table_id_name(t), (unsigned long long)l->offset);
		if (i->base_known) {
			out_str(o, "0x");
			out_hex(o, l->address, digits);
		} else {
			out_printf(o, "%-*s", digits + 2, "?");
		}
		out_printf(o, " %10llu\n", (unsigned long long)l->size);
	}
	if (running) {
		out_char(o, '\n');
		running_print_text(o);
	}
}

static void json_key(struct out *o, const char *key)
{
	out_json_string(o, key);
	out_char(o, ':');
}

static void json_str_or_null(struct out *o, const char *s)
{
	if (s)
		out_json_string(o, s);
	else
		out_str(o, "null");
}

static void json_addr(struct out *o, uint64_t v)
{
	out_printf(o, "\"0x%llx\"", (unsigned long long)v);
}

void out_json_chain(struct out *o, const struct ksyms_image *img)
{
	out_str(o, "\"chain\":[");
	for (size_t l = 0; l < ksyms_image_layer_count(img); l++) {
		const struct ksyms_layer *ly = ksyms_image_layer(img, l);
		out_str(o, l ? ",{" : "{");
		json_key(o, "format");
		out_json_string(o, ly->format);
		out_printf(o, ",\"offset\":%llu,\"size\":%llu,\"out_size\":%llu,", (unsigned long long)ly->offset,
			   (unsigned long long)ly->size, (unsigned long long)ly->out_size);
		out_json_member(o, "description", ly->description);
		out_char(o, '}');
	}
	out_char(o, ']');
}

/* "btf":{offset, address, size, types, found_by}, or null (info and scan) */
void out_json_btf(struct out *o, const struct ksyms_btf_info *b)
{
	out_str(o, "\"btf\":");
	if (!b) {
		out_str(o, "null");
		return;
	}
	out_printf(o, "{\"offset\":%llu,\"address\":", (unsigned long long)b->offset);
	if (b->has_address)
		json_addr(o, b->address);
	else
		out_str(o, "null");
	out_printf(o, ",\"size\":%llu,\"types\":%u,\"found_by\":", (unsigned long long)b->size, b->num_types);
	out_json_string(o, b->found_by);
	out_char(o, '}');
}

static void print_json(struct out *o, const char *path, const struct ksyms_image *img, const struct ksyms_table *tab,
		       const struct btf_found *btf, bool running)
{
	const struct ksyms_info *i = ksyms_table_info(tab);
	const struct ksyms_exports_info *e = ksyms_table_exports(tab);

	out_char(o, '{');
	out_json_member(o, "file", path);
	out_str(o, ",\"source\":");
	out_json_string(o, i->source ? i->source : "unknown");
	out_printf(o, ",\"module_symbols\":%zu,\"addresses_hidden\":%s", i->module_symbols,
		   i->addresses_hidden ? "true" : "false");
	out_str(o, ",\"exports\":");
	if (e && e->known) {
		out_printf(o, "{\"count\":%zu,\"gpl\":%zu,\"with_namespace\":%zu,\"layout\":", e->count, e->gpl,
			   e->with_namespace);
		json_str_or_null(o, e->layout);
		out_str(o, ",\"found_by\":");
		json_str_or_null(o, e->found_by);
		out_char(o, '}');
	} else {
		out_str(o, "null");
	}
	out_char(o, ',');
	out_json_chain(o, img);
	out_char(o, ',');
	out_json_btf(o, btf->b);
	out_char(o, ',');
	out_json_member_or_null(o, "banner", i->banner);
	out_char(o, ',');
	out_json_member_or_null(o, "arch", i->arch);
	out_str(o, ",\"arch_source\":");
	json_str_or_null(o, i->arch_source);
	out_printf(o, ",\"bits\":%d,\"endian\":\"%s\",\"num_syms\":%llu", i->word_size * 8, endian_name(i->byte_order),
		   (unsigned long long)i->num_syms);
	out_str(o, ",\"layout\":{\"order\":");
	out_json_string(o, ksyms_table_order_name(i->layout.order));
	out_str(o, ",\"addr_mode\":");
	out_json_string(o, ksyms_addr_mode_name(i->layout.addr_mode));
	out_str(o, ",\"seqs_of_names\":");
	out_json_string(o, ksyms_seqs_pos_name(i->layout.seqs));
	out_printf(o, ",\"name_len_bytes\":%u,\"long_names_seen\":%s,\"marker_size\":%u,\"num_syms_size\":%u,\"align\":%u}",
		   i->layout.name_len_bytes, i->long_names_seen ? "true" : "false", i->layout.marker_size,
		   i->layout.num_syms_size, i->layout.align);
	out_str(o, ",\"load_address\":");
	if (i->base_known)
		json_addr(o, i->base);
	else
		out_str(o, "null");
	out_str(o, ",\"load_address_source\":");
	json_str_or_null(o, i->base_source);
	out_printf(o, ",\"addresses_verified\":%s,\"verify_note\":", i->addresses_verified ? "true" : "false");
	json_str_or_null(o, i->verify_note);
	out_str(o, ",\"checks\":[");
	for (size_t c = 0; c < i->num_checks; c++) {
		const struct ksyms_check *k = &i->checks[c];
		out_str(o, c ? ",{\"name\":" : "{\"name\":");
		out_json_string(o, k->name);
		out_printf(o, ",\"held\":%s,\"independent\":%s,\"detail\":", k->held ? "true" : "false",
			   k->independent ? "true" : "false");
		out_json_string(o, k->detail);
		out_char(o, '}');
	}
	out_char(o, ']');
	if (i->layout.addr_mode == KSYMS_ADDR_RELATIVE || i->layout.addr_mode == KSYMS_ADDR_RELATIVE_PERCPU) {
		out_str(o, ",\"relative_base\":");
		json_addr(o, i->relative_base);
		out_printf(o, ",\"relative_base_inferred\":%s", i->relative_base_inferred ? "true" : "false");
		if (i->relative_base_inferred) {
			out_str(o, ",\"relative_base_source\":");
			json_str_or_null(o, i->relative_base_source);
		}
	}
	out_str(o, ",\"tables\":{");
	bool first = true;
	for (int t = 0; t < KSYMS_TAB_COUNT; t++) {
		const struct ksyms_table_loc *l = &i->tables[t];
		if (!l->present)
			continue;
		if (!first)
			out_char(o, ',');
		first = false;
		json_key(o, ksyms_table_id_name(t));
		out_printf(o, "{\"offset\":%llu,\"address\":", (unsigned long long)l->offset);
		if (i->base_known)
			json_addr(o, l->address);
		else
			out_str(o, "null");
		out_printf(o, ",\"size\":%llu}", (unsigned long long)l->size);
	}
	out_char(o, '}');
	if (running)
		running_print_json(o);
	out_str(o, "}\n");
}

static void info_option(void *ctx, int key, const char *arg)
{
	(void)arg;
	if (key == 'j')
		*(bool *)ctx = true;
}

/* Describe @path; NULL: the running kernel's image, else its /proc/kallsyms. */
static int info(const char *path, struct input_opts *in, bool json, struct out *o, bool first)
{
	char *running = path ? NULL : running_image();
	struct ksyms_image *img;
	struct ksyms_table *tab;

	if (!path && !running)
		running = sys_path("/proc/kallsyms");
	int rc = open_table(path ? path : running, in, &img, &tab);
	if (rc) {
		free(running);
		return rc;
	}
	/* BTF: only a kernel image has it (a symbol list is only names) */
	struct ksyms_btf_info b;
	struct btf_found btf = { NULL, "not a kernel image" };
	struct ksyms_error *err = NULL;
	if (ksyms_table_info(tab)->source_kind == KSYMS_SOURCE_KALLSYMS) {
		err = ksyms_image_btf(img, tab, NULL, &b, NULL);
		btf.b = err ? NULL : &b;
		btf.why = err ? ksyms_error_message(err) : NULL;
	}
	if (!json && !first)
		out_char(o, '\n');
	(json ? print_json : print_text)(o, path ? path : running, img, tab, &btf, !path);
	ksyms_error_destroy(err);
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	free(running);
	return 0;
}

int cmd_info(int argc, char **argv)
{
	struct input_opts in;
	bool json = false;
	int rc = 0;

	input_opts_init(&in);
	in.shows_verification = true;
	in.find.info_only = true; /* the facts, not the names: a third of the time */
	int i = parse_options(&info_spec, argc, argv, &in, info_option, &json);
	struct out o;
	out_init(&o);
	if (i == argc)
		rc = info(NULL, &in, json, &o, true);
	/* one after the other; a file that is no kernel does not stop the others */
	for (int k = i; k < argc; k++) {
		out_flush(&o);
		if (info(argv[k], &in, json, &o, k == i))
			rc = EXIT_BAD_INPUT;
	}
	int orc = out_finish(&o);
	return orc ? orc : rc;
}
