// SPDX-License-Identifier: MIT
/*
 * Memory dumps (lib/input/dump*.c) and the kernel log reader (lib/dmesg)
 * on arbitrary bytes: ELF cores, kdump-compressed files plain and
 * flattened, LiME.  Opening one, reading its symbol table and its log must
 * end in a result or an error, never a crash, a hang or a read outside the
 * input; every record the log reader returns has its text inside its own
 * allocation.  Cut-down versions of the real dumps in tests/data/dumps seed
 * the corpus (fuzz/corpus/dump).
 */
#include <string.h>

#include "fuzz.h"
#include "ksyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	KSYMS_OPTS(ksyms_open_opts, oo, .max_output = 64 << 20);
	struct ksyms_image *img;
	struct ksyms_error *err = ksyms_image_open_mem(data, size, &oo, &img);

	if (err) {
		fuzz_check(ksyms_error_message(err) != NULL);
		ksyms_error_destroy(err);
		return 0;
	}
	const struct ksyms_dump_info *di = ksyms_image_dump(img);
	uint64_t pa;
	if (di)
		(void)ksyms_image_paddr(img, 0, &pa);
	struct ksyms_table *tab = NULL;
	KSYMS_OPTS(ksyms_source_opts, so, .open = &oo);
	err = ksyms_table_read(img, &so, &tab);
	ksyms_error_destroy(err);
	struct ksyms_dmesg *m;
	err = ksyms_dmesg_read(img, tab, &m);
	if (!err) {
		for (size_t i = 0; i < ksyms_dmesg_count(m); i++) {
			const struct ksyms_log_record *r = ksyms_dmesg_record(m, i);
			fuzz_check(r && r->text && strlen(r->text) <= r->text_len);
		}
		ksyms_dmesg_destroy(m);
	}
	ksyms_error_destroy(err);
	ksyms_table_destroy(tab);
	ksyms_image_destroy(img);
	return 0;
}
