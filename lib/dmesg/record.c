// SPDX-License-Identifier: MIT
/*
 * What the two log readers share (dmesg_int.h): kernel memory read through
 * the dump, the records being collected, and the address of a kernel
 * variable from VMCOREINFO or the symbol table.
 */
#include <stdlib.h>
#include <string.h>

#include "dmesg_int.h"
#include "core/buf.h"
#include "core/endian.h"
#include "input/dump.h"
#include "table/table.h"


bool ks_logmem_read(struct ks_logmem *m, uint64_t va, void *buf, size_t len)
{
	const uint8_t *p = m->has_base && va >= m->base && va - m->base <= m->window.len
				   ? span_at(m->window, (size_t)(va - m->base), len) : NULL;
	if (p) {
		memcpy(buf, p, len);
		return true;
	}
	return ks_dump_read_va(m->d, va, buf, len);
}

bool ks_logmem_u64(struct ks_logmem *m, uint64_t va, uint64_t *ret)
{
	uint8_t b[8];

	if (!ks_logmem_read(m, va, b, 8))
		return false;
	*ret = load64(b, m->be);
	return true;
}

bool ks_logmem_u32(struct ks_logmem *m, uint64_t va, uint32_t *ret)
{
	uint8_t b[4];

	if (!ks_logmem_read(m, va, b, 4))
		return false;
	*ret = load32(b, m->be);
	return true;
}

bool ks_logmem_ulong(struct ks_logmem *m, uint64_t va, uint64_t *ret)
{
	uint32_t w;

	if (m->long_bits == 64)
		return ks_logmem_u64(m, va, ret);
	if (!ks_logmem_u32(m, va, &w))
		return false;
	*ret = w;
	return true;
}

struct ksyms_log_record *ks_dmesg_add(struct ksyms_dmesg *m, const uint8_t *text, size_t len)
{
	if (m->count == m->cap && !ks_grow((void **)&m->recs, &m->cap, m->count + 1, sizeof(*m->recs)))
		return NULL;
	if (m->pool_len + len + 1 > m->pool_cap &&
	    !ks_grow((void **)&m->pool, &m->pool_cap, m->pool_len + len + 1, 1))
		return NULL;
	memcpy(m->pool + m->pool_len, text, len);
	m->pool[m->pool_len + len] = 0;
	struct ksyms_log_record *r = &m->recs[m->count++];
	memset(r, 0, sizeof(*r));
	r->text_len = len;
	r->has_time = r->has_level = true;
	r->text_off_ = m->pool_len; /* turned into a pointer once the pool stops moving */
	m->pool_len += len + 1;
	return r;
}

void ks_dmesg_finish(struct ksyms_dmesg *m)
{
	for (size_t i = 0; i < m->count; i++)
		m->recs[i].text = m->pool + m->recs[i].text_off_;
}

bool ks_dmesg_symbol(const struct ks_vmcoreinfo *v, const struct ksyms_table *tab, const char *name,
		     uint64_t *ret)
{
	size_t pos;
	struct ksyms_symbol sym;

	if (v && ks_vmci_symbol(v, name, ret))
		return true;
	if (!tab || !ksyms_table_lookup_name((struct ksyms_table *)tab, name, &pos) ||
	    !ksyms_table_by_name((struct ksyms_table *)tab, pos, &sym, NULL))
		return false;
	*ret = sym.addr;
	return true;
}

/* ------------------------------------------------------------------------ */
/* the result (ksyms.h) */

size_t ksyms_dmesg_count(const struct ksyms_dmesg *m)
{
	return m ? m->count : 0;
}

const struct ksyms_log_record *ksyms_dmesg_record(const struct ksyms_dmesg *m, size_t i)
{
	return m && i < m->count ? &m->recs[i] : NULL;
}

const char *ksyms_dmesg_source(const struct ksyms_dmesg *m)
{
	return m ? m->source : NULL;
}

const char *ksyms_dmesg_partial(const struct ksyms_dmesg *m)
{
	return m && m->partial[0] ? m->partial : NULL;
}

void ksyms_dmesg_destroy(struct ksyms_dmesg *m)
{
	if (!m)
		return;
	free(m->recs);
	free(m->pool);
	free(m);
}
