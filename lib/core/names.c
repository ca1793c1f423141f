// SPDX-License-Identifier: MIT
/*
 * Names of the public enums (include/ksyms.h), for messages and output.
 * Here, at the bottom, so that any layer may name a table or a mode
 * without calling up into the layer that owns it.
 */
#include "ksyms.h"
#include "compiler.h"

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

const char *ksyms_export_kind_name(enum ksyms_export_kind kind)
{
	static const char *const names[] = {
		"", "EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL", "EXPORT_SYMBOL_GPL_FUTURE", "EXPORT_UNUSED_SYMBOL",
		"EXPORT_UNUSED_SYMBOL_GPL",
	};

	return (unsigned)kind < KS_ARRAY_SIZE(names) ? names[kind] : "";
}

const char *ksyms_slide_source_name(enum ksyms_slide_source src)
{
	static const char *const n[] = { "none", "given", "kernel-offset", "frames" };
	return (unsigned)src < KS_ARRAY_SIZE(n) ? n[src] : "unknown";
}

const char *ksyms_diff_kind_name(enum ksyms_diff_kind kind)
{
	static const char *const names[] = { "same", "moved", "only-a", "only-b" };

	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}
