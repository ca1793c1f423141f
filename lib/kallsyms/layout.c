// SPDX-License-Identifier: MIT
/*
 * Named layouts, one per format era (kallsyms-format.md section 0).  They
 * tell the generator what to write; the locator never uses them: it
 * detects each feature from the data, because stable and vendor kernels
 * mix them (Debian 6.1.192 has the 6.2 seqs_of_names in the 6.1 order).
 *
 *  2.6      2.6.10 table-lookup compression: absolute kallsyms_addresses,
 *           pointer-wide num_syms and markers.
 *  4.6      CONFIG_KALLSYMS_BASE_RELATIVE (2213e9a66bb8): offsets +
 *           relative_base; markers still pointer-wide.
 *  5.10     u32 num_syms and markers.
 *  6.1      ULEB128 name lengths (73bbb94466fd).
 *  6.2      seqs_of_names between markers and token_table (19bd8981dc2e).
 *  6.4      names first, addresses after token_index (404bad70fcf7).
 *  7.0      place-relative offsets, no relative_base, all .balign 4
 *           (a081b5789255).
 * "-percpu" adds x86-64 absolute per-cpu (c6bda7c988a5, 3.15), "-absolute"
 * is a build without BASE_RELATIVE, "7.0-abs32" a non-relocatable 32-bit
 * 7.x kernel.
 */
#include <string.h>

#include "ksyms.h"
#include "core/compiler.h"
#include "core/error.h"

struct preset {
	const char *name;
	enum ksyms_addr_mode mode;
	enum ksyms_table_order order;
	enum ksyms_seqs_pos seqs;
	uint8_t name_len_bytes;
	bool word_markers; /* markers and num_syms pointer-wide */
	bool align4;       /* 7.0: every label .balign 4 */
};

static const struct preset presets[] = {
	{ "2.6", KSYMS_ADDR_ABSOLUTE, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 1, true, false },
	{ "4.6", KSYMS_ADDR_RELATIVE, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 1, true, false },
	{ "4.6-percpu", KSYMS_ADDR_RELATIVE_PERCPU, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 1, true, false },
	{ "5.10", KSYMS_ADDR_RELATIVE, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 1, false, false },
	{ "5.10-percpu", KSYMS_ADDR_RELATIVE_PERCPU, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 1, false, false },
	{ "5.10-absolute", KSYMS_ADDR_ABSOLUTE, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 1, false, false },
	{ "6.1", KSYMS_ADDR_RELATIVE, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_NONE, 2, false, false },
	{ "6.2", KSYMS_ADDR_RELATIVE, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_AFTER_MARKERS, 2, false, false },
	{ "6.2-percpu", KSYMS_ADDR_RELATIVE_PERCPU, KSYMS_ORDER_ADDRESSES_FIRST, KSYMS_SEQS_AFTER_MARKERS, 2, false,
	  false },
	{ "6.4", KSYMS_ADDR_RELATIVE, KSYMS_ORDER_NAMES_FIRST, KSYMS_SEQS_AFTER_ADDRESSES, 2, false, false },
	{ "6.4-percpu", KSYMS_ADDR_RELATIVE_PERCPU, KSYMS_ORDER_NAMES_FIRST, KSYMS_SEQS_AFTER_ADDRESSES, 2, false,
	  false },
	{ "6.4-absolute", KSYMS_ADDR_ABSOLUTE, KSYMS_ORDER_NAMES_FIRST, KSYMS_SEQS_AFTER_ADDRESSES, 2, false, false },
	{ "7.0", KSYMS_ADDR_PC_RELATIVE, KSYMS_ORDER_NAMES_FIRST, KSYMS_SEQS_AFTER_ADDRESSES, 2, false, true },
	{ "7.0-abs32", KSYMS_ADDR_ABSOLUTE32, KSYMS_ORDER_NAMES_FIRST, KSYMS_SEQS_AFTER_ADDRESSES, 2, false, true },
};

static const char *const preset_names[] = {
	"2.6", "4.6", "4.6-percpu", "5.10", "5.10-percpu", "5.10-absolute", "6.1", "6.2", "6.2-percpu",
	"6.4", "6.4-percpu", "6.4-absolute", "7.0", "7.0-abs32", NULL,
};

_Static_assert(KS_ARRAY_SIZE(preset_names) == KS_ARRAY_SIZE(presets) + 1, "preset name list out of date");

const char *const *ksyms_layout_preset_names(void)
{
	return preset_names;
}

struct ksyms_error *ksyms_layout_preset(const char *name, int word_size, struct ksyms_layout *ret)
{
	if (!name || !ret || (word_size != 4 && word_size != 8))
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "a layout needs a name and a word size of 4 or 8");
	for (size_t i = 0; i < KS_ARRAY_SIZE(presets); i++) {
		const struct preset *p = &presets[i];
		if (strcmp(p->name, name) != 0)
			continue;
		if (p->mode == KSYMS_ADDR_ABSOLUTE32 && word_size != 4)
			return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "layout '%s' exists only for 32-bit kernels", name);
		memset(ret, 0, sizeof(*ret));
		ret->addr_mode = p->mode;
		ret->order = p->order;
		ret->seqs = p->seqs;
		ret->seqs_entry_size = p->seqs ? 3 : 0;
		ret->name_len_bytes = p->name_len_bytes;
		ret->marker_size = (uint8_t)(p->word_markers ? word_size : 4);
		ret->num_syms_size = ret->marker_size;
		ret->align = (uint8_t)(p->align4 ? 4 : word_size);
		return NULL;
	}
	return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "unknown layout '%s'", name);
}
