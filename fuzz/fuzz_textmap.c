// SPDX-License-Identifier: MIT
/* System.map / /proc/kallsyms text, forced, then lookups driven by the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <ksyms.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	KSYMS_OPTS(ksyms_source_opts, so, .kind = KSYMS_SOURCE_PROC_KALLSYMS);
	struct ksyms_table *tab;
	struct ksyms_error *err = ksyms_table_open_mem(data, size, &so, &tab);

	if (err) {
		ksyms_error_destroy(err);
		return 0;
	}
	/* every 8 input bytes also serve as an address to look up */
	for (size_t i = 0; i + 8 <= size && i < 4096; i += 8) {
		uint64_t a;
		struct ksyms_match m;
		memcpy(&a, data + i, 8);
		if (ksyms_table_lookup_addr(tab, a, &m) && (m.sym.addr > a || m.offset != a - m.sym.addr))
			abort();
	}
	ksyms_table_destroy(tab);
	return 0;
}
