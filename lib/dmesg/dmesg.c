// SPDX-License-Identifier: MIT
/*
 * ksyms_dmesg_read(): the kernel log buffer of a memory dump.
 *
 * The lockless ring buffer (5.10+): `prb` points at a printk_ringbuffer of
 *   desc_ring       count_bits, descs[], infos[], head_id, tail_id
 *   text_data_ring  size_bits, data[], head_lpos, tail_lpos
 * A descriptor's state_var holds its id and, in the top two bits, its
 * state (0 reserved, 1 committed, 2 finalized, 3 reusable); its
 * text_blk_lpos says where its text block is in the data ring (a block
 * starts with the descriptor id, one long; a block that would wrap starts
 * at the ring's beginning).  The printk_info of the same index holds seq,
 * ts_nsec, text_len, facility, level and the caller id.  Records are read
 * from tail_id to head_id, at most one pass over the ring: a record whose
 * descriptor is not committed or finalized under that id, whose info's
 * sequence number does not follow, or whose text does not fit its block,
 * is skipped and counted (the result is then partial).
 *
 * Offsets come from VMCOREINFO (OFFSET(printk_ringbuffer.desc_ring) ...)
 * when the dump has it; otherwise prb comes from the kallsyms table and
 * the layout from what 5.10-7.x share, the size of printk_info (88 bytes
 * in 5.10, 112 once dev_printk_info grew) chosen by which reads records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmesg.h"
#include "dmesg_int.h"
#include "core/buf.h"
#include "core/error.h"
#include "input/dump.h"
#include "input/image.h"
#include "kernel/vmcoreinfo.h"
#include "table/table.h"

enum { MAX_COUNT_BITS = 24, MAX_SIZE_BITS = 30, MAX_TEXT = 1 << 16, DESC_COMMITTED = 1, DESC_FINALIZED = 2 };

struct layout {
	uint64_t desc_ring, text_ring;                          /* in printk_ringbuffer */
	uint64_t count_bits, descs, infos, head_id, tail_id;    /* in prb_desc_ring */
	uint64_t size_bits, data, head_lpos, tail_lpos;         /* in prb_data_ring */
	uint64_t desc_size, state_var, text_blk_lpos, blk_begin, blk_next;
	uint64_t info_size, seq, ts_nsec, text_len, caller_id;
	const char *source;
};

/* What 5.10 to 7.2 share (checked against their VMCOREINFO). */
static const struct layout DEFAULTS = {
	.desc_ring = 0, .text_ring = 48,
	.count_bits = 0, .descs = 8, .infos = 16, .head_id = 24, .tail_id = 32,
	.size_bits = 0, .data = 8, .head_lpos = 16, .tail_lpos = 24,
	.desc_size = 24, .state_var = 0, .text_blk_lpos = 8, .blk_begin = 0, .blk_next = 8,
	.info_size = 112, .seq = 0, .ts_nsec = 8, .text_len = 16, .caller_id = 20,
};

/* ------------------------------------------------------------------------ */
/* the lockless ring buffer */

/* The VMCOREINFO layout, where every field it names is there. */
static bool layout_from_vmcoreinfo(const struct ks_vmcoreinfo *v, struct layout *l)
{
	struct {
		const char *name;
		uint64_t *field;
		bool size;
	} f[] = {
		{ "printk_ringbuffer.desc_ring", &l->desc_ring, false },
		{ "printk_ringbuffer.text_data_ring", &l->text_ring, false },
		{ "prb_desc_ring.count_bits", &l->count_bits, false },
		{ "prb_desc_ring.descs", &l->descs, false },
		{ "prb_desc_ring.infos", &l->infos, false },
		{ "prb_desc_ring.head_id", &l->head_id, false },
		{ "prb_desc_ring.tail_id", &l->tail_id, false },
		{ "prb_data_ring.size_bits", &l->size_bits, false },
		{ "prb_data_ring.data", &l->data, false },
		{ "prb_data_ring.head_lpos", &l->head_lpos, false },
		{ "prb_data_ring.tail_lpos", &l->tail_lpos, false },
		{ "prb_desc", &l->desc_size, true },
		{ "prb_desc.state_var", &l->state_var, false },
		{ "prb_desc.text_blk_lpos", &l->text_blk_lpos, false },
		{ "prb_data_blk_lpos.begin", &l->blk_begin, false },
		{ "prb_data_blk_lpos.next", &l->blk_next, false },
		{ "printk_info", &l->info_size, true },
		{ "printk_info.seq", &l->seq, false },
		{ "printk_info.ts_nsec", &l->ts_nsec, false },
		{ "printk_info.text_len", &l->text_len, false },
		{ "printk_info.caller_id", &l->caller_id, false },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!(f[i].size ? ks_vmci_size(v, f[i].name, f[i].field) : ks_vmci_offset(v, f[i].name, f[i].field)))
			return false;
	return l->desc_size >= 24 && l->info_size >= 24 && l->info_size <= 4096 && l->desc_size <= 4096;
}

struct ring {
	uint64_t count, descs, infos, head_id, tail_id;
	uint64_t size, data;
	unsigned long_bits;
};

/* The text block [begin, next) of the data ring, as the kernel's get_data(). */
static bool block(const struct ring *r, uint64_t begin, uint64_t next, uint64_t *ret_off, uint64_t *ret_len)
{
	unsigned bits = (unsigned)__builtin_ctzll(r->size);

	if (begin & 1 || next & 1) /* data-less */
		return false;
	if ((begin >> bits) == (next >> bits) && begin < next) {
		*ret_off = begin & (r->size - 1);
		*ret_len = next - begin;
	} else if (((begin + r->size) >> bits) == (next >> bits)) {
		*ret_off = 0;
		*ret_len = next & (r->size - 1);
	} else {
		return false;
	}
	return *ret_len >= 8 && *ret_len <= r->size;
}

/* Read the records; how many were readable.  @dry: only count. */
static size_t read_records(struct ks_logmem *dp, const struct ring *r, const struct layout *l, bool be,
			   struct ksyms_dmesg *m, bool dry, bool *ret_nomem)
{
	uint64_t id_mask = r->long_bits == 64 ? ~(3ull << 62) : ~(3ull << 30) & 0xffffffffull;
	uint64_t n = (r->head_id - r->tail_id) & id_mask, ok = 0, bad = 0, last_seq = 0;
	uint8_t *text = dry ? NULL : malloc(MAX_TEXT);
	bool have_last = false;

	*ret_nomem = false;
	if (!dry && !text) {
		*ret_nomem = true;
		return 0;
	}
	if (n >= r->count) /* a head that ran ahead of the tail by more than the ring: read one ring's worth */
		n = r->count - 1;
	for (uint64_t k = 0; k <= n; k++) {
		uint64_t id = (r->tail_id + k) & id_mask, idx = id & (r->count - 1), sv, begin, next, seq, ts;
		uint64_t desc = r->descs + idx * l->desc_size, info = r->infos + idx * l->info_size;
		uint8_t ib[32];
		if (!ks_logmem_u64(dp, desc + l->state_var, &sv) || !ks_logmem_u64(dp, desc + l->text_blk_lpos + l->blk_begin, &begin) ||
		    !ks_logmem_u64(dp, desc + l->text_blk_lpos + l->blk_next, &next)) {
			bad++;
			continue;
		}
		/* reserved (being written) or reusable (the ring's initial
		 * dummy, a recycled slot): no record, nothing wrong */
		unsigned state = (unsigned)(sv >> (r->long_bits - 2)) & 3;
		if ((sv & id_mask) != id || (state != DESC_COMMITTED && state != DESC_FINALIZED))
			continue;
		bad++; /* until it reads */
		if (!ks_logmem_u64(dp, info + l->seq, &seq) || !ks_logmem_u64(dp, info + l->ts_nsec, &ts))
			continue;
		uint16_t tlen;
		if (!ks_logmem_read(dp, info + l->text_len, ib, 4))
			continue;
		tlen = load16(ib, be);
		uint8_t fl = ib[3];
		uint32_t caller = 0;
		bool has_caller = ks_logmem_u32(dp, info + l->caller_id, &caller);
		/* the sequence numbers of a ring go up: one that does not is
		 * a stale slot, or a loop */
		if ((seq & (r->count - 1)) != idx && (seq % r->count) != idx)
			continue;
		if (have_last && seq <= last_seq)
			continue;
		uint64_t boff, blen;
		if (tlen && !block(r, begin, next, &boff, &blen))
			continue;
		if (tlen && tlen > blen - 8)
			continue;
		ok++;
		bad--;
		have_last = true;
		last_seq = seq;
		if (dry)
			continue;
		if (tlen && !ks_logmem_read(dp, r->data + boff + 8, text, tlen)) {
			bad++;
			continue;
		}
		struct ksyms_log_record *rec = ks_dmesg_add(m, text, tlen);
		if (!rec) {
			*ret_nomem = true;
			break;
		}
		rec->seq = seq;
		rec->ts_nsec = ts;
		rec->facility = ib[2];
		/* flags:5, level:3; a big-endian compiler gives flags the high bits */
		rec->level = be ? fl & 7 : fl >> 5;
		rec->has_caller = has_caller;
		rec->caller_id = caller;
	}
	free(text);
	if (!dry)
		m->skipped = (size_t)bad;
	return (size_t)ok;
}

static bool read_ring(struct ks_logmem *dp, uint64_t prb, const struct layout *l, bool be, unsigned long_bits,
		      struct ring *r)
{
	uint32_t cbits, sbits;
	uint64_t dr = prb + l->desc_ring, tr = prb + l->text_ring;

	if (!ks_logmem_u32(dp, dr + l->count_bits, &cbits) || !ks_logmem_u64(dp, dr + l->descs, &r->descs) ||
	    !ks_logmem_u64(dp, dr + l->infos, &r->infos) || !ks_logmem_u64(dp, dr + l->head_id, &r->head_id) ||
	    !ks_logmem_u64(dp, dr + l->tail_id, &r->tail_id) || !ks_logmem_u32(dp, tr + l->size_bits, &sbits) ||
	    !ks_logmem_u64(dp, tr + l->data, &r->data))
		return false;
	if (cbits == 0 || cbits > MAX_COUNT_BITS || sbits < 4 || sbits > MAX_SIZE_BITS)
		return false;
	r->count = 1ull << cbits;
	r->size = 1ull << sbits;
	r->long_bits = long_bits;
	return true;
}

static void finish(struct ksyms_dmesg *m)
{
	ks_dmesg_finish(m);
	if (m->skipped)
		snprintf(m->partial, sizeof(m->partial),
			 "%zu records of the ring could not be read (their descriptor, info or text is corrupt or outside the dump)",
			 m->skipped);
}

/* Read the ring buffer that @prb_sym points at, with layout @l (from
 * VMCOREINFO when @vmci_layout, else the 5.10-7.x defaults, probed). */
static struct ksyms_error *read_prb(struct ks_logmem *dp, uint64_t prb_sym, struct layout l, bool vmci_layout,
				    const char *src, struct ksyms_dmesg **ret)
{
	uint64_t prb;
	bool be = dp->be, nomem;
	unsigned long_bits = dp->long_bits;

	if (!ks_logmem_ulong(dp, prb_sym, &prb))
		return ks_error(KSYMS_ERR_NOT_FOUND, "prb at 0x%llx is not in the dump's memory",
				(unsigned long long)prb_sym);
	struct ring r = { 0 };
	/* prb_desc_ring grew a last_finalized_seq (40 -> 48 bytes) after 5.10 */
	if (!read_ring(dp, prb, &l, be, long_bits, &r) && !vmci_layout) {
		l.text_ring = 40;
		if (!read_ring(dp, prb, &l, be, long_bits, &r))
			l.text_ring = 48;
	}
	if (!r.count)
		return ks_error(KSYMS_ERR_BAD_DATA, "the printk ring buffer at 0x%llx (prb) is not readable or not one",
				(unsigned long long)prb);
	if (!vmci_layout) {
		/* the size of printk_info: the one that reads records */
		static const uint64_t sizes[] = { 112, 88 };
		size_t best = 0;
		uint64_t pick = l.info_size;
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			l.info_size = sizes[i];
			size_t n = read_records(dp, &r, &l, be, NULL, true, &nomem);
			if (n > best) {
				best = n;
				pick = sizes[i];
			}
		}
		l.info_size = pick;
	}
	struct ksyms_dmesg *m = calloc(1, sizeof(*m));
	if (!m)
		return &ks_enomem;
	read_records(dp, &r, &l, be, m, false, &nomem);
	if (nomem) {
		ksyms_dmesg_destroy(m);
		return &ks_enomem;
	}
	if (!m->count) {
		ksyms_dmesg_destroy(m);
		return ks_error(KSYMS_ERR_BAD_DATA, "the printk ring buffer at 0x%llx holds no readable record",
				(unsigned long long)prb);
	}
	snprintf(m->source, sizeof(m->source), "printk ring buffer at 0x%llx, %llu descriptors, %llu-byte text ring; "
		 "layout from %.80s", (unsigned long long)prb, (unsigned long long)r.count, (unsigned long long)r.size,
		 src);
	finish(m);
	*ret = m;
	return NULL;
}

struct ksyms_error *ksyms_dmesg_read(const struct ksyms_image *img, const struct ksyms_table *tab,
				     struct ksyms_dmesg **ret)
{
	struct ks_dump *dump = img ? ks_image_dump(img) : NULL;
	const struct ks_kernel *k = img ? ks_image_kernel(img) : NULL;
	struct layout l = DEFAULTS;
	uint64_t prb_sym = 0;

	if (!img || !ret)
		return ks_error(KSYMS_ERR_INVALID_ARGUMENT, "invalid arguments to ksyms_dmesg_read");
	if (!dump)
		return ks_error(KSYMS_ERR_NOT_FOUND, "not a memory dump: a kernel file holds no log");
	struct ks_logmem mem = { .d = dump, .window = dump->data };
	if (!dump->va_known && tab && tab->info.base_known) {
		mem.has_base = true;
		mem.base = tab->info.base;
	}
	mem.be = k->byte_order == KSYMS_ENDIAN_BIG;
	mem.long_bits = k->word_size == 4 ? 32 : 64;
	if (mem.long_bits == 32) {
		l.descs = 4;
		l.infos = 8;
	}
	const struct ks_vmcoreinfo *v = dump->vmci.text ? &dump->vmci : NULL;
	/* what VMCOREINFO names first, then the symbol table: prb (5.10+),
	 * else log_buf (2.6-5.9, which 5.10 still has, pointing at the text ring) */
	bool vprb = v && ks_vmci_symbol(v, "prb", &prb_sym);
	struct layout vl = l;
	if (vprb && layout_from_vmcoreinfo(v, &vl))
		return read_prb(&mem, prb_sym, vl, true,
				"VMCOREINFO (SYMBOL(prb), OFFSET(printk_ringbuffer...), SIZE(printk_info))", ret);
	if (!vprb && v && ks_logbuf_present(v, NULL))
		return ks_logbuf_read(&mem, v, tab, ret);
	if (ks_dmesg_symbol(NULL, tab, "prb", &prb_sym) || vprb)
		return read_prb(&mem, prb_sym, l, false,
				"the printk ring buffer's layout as 5.10-7.x have it, prb from the kallsyms table", ret);
	if (ks_logbuf_present(NULL, tab))
		return ks_logbuf_read(&mem, NULL, tab, ret);
	return ks_error(KSYMS_ERR_NOT_FOUND, "no kernel log: neither VMCOREINFO nor the symbol table says where "
			"prb (5.10+) or log_buf (before 5.10) is");
}
