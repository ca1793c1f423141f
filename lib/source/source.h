/* SPDX-License-Identifier: MIT */
/* Symbol sources other than a decoded image: text symbol lists and ELF .symtab. */
#ifndef KSYMS_SOURCE_H
#define KSYMS_SOURCE_H

#include "ksyms.h"
#include "core/span.h"
#include "table/table.h"

/* Does @data start like "address type name" lines? */
bool ks_textmap_detect(struct span data);
/* Parse System.map / /proc/kallsyms text. @kind may be AUTO (module lines
 * or the path decide) or one of the two text kinds. */
struct ksyms_error *ks_textmap_load(struct span data, const char *path, enum ksyms_source_kind kind,
				    struct ksyms_table **ret);
/* Read an ELF's .symtab as `nm -n` would list it. */
struct ksyms_error *ks_elfsym_load(struct span data, struct ksyms_table **ret);

#endif
