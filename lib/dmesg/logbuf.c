// SPDX-License-Identifier: MIT
/*
 * The kernel log before the lockless ring buffer of 5.10: log_buf.
 *
 * 3.5 to 5.9 (kernel/printk.c, kernel/printk/printk.c from 3.10): a buffer
 * of variable-length records.  Each starts with a header
 *   u64 ts_nsec; u16 len; u16 text_len; u16 dict_len; u8 facility;
 *   u8 flags:5, level:3;  and, with CONFIG_PRINTK_CALLER (5.1+), u32 caller_id
 * that is `struct log` in 3.5-3.10 and `struct printk_log` from 3.11; the
 * text follows it, then the dictionary, then padding to LOG_ALIGN (4, or
 * the struct's alignment, 8 on 64-bit, where unaligned access is slow):
 * len is the whole, exactly.  A header whose len is 0 marks the end of the
 * used part: the record is at offset 0 (log_from_idx(), log_next()).  The
 * log runs from log_first_idx to log_next_idx, both offsets into the
 * buffer; log_buf points at it (__log_buf, or a memblock copy made for
 * log_buf_len=); log_buf_len is its size.  VMCOREINFO has SYMBOL(log_buf),
 * SYMBOL(log_buf_len), SYMBOL(log_first_idx), SYMBOL(log_next_idx),
 * SIZE(log or printk_log) and OFFSET(.ts_nsec, .len, .text_len, .dict_len),
 * and OFFSET(printk_log.caller_id) in the kernels that export it (5.4's
 * log_buf_vmcoreinfo_setup() does with CONFIG_PRINTK_CALLER).  Without
 * them, the variables come from the kallsyms table (CONFIG_KALLSYMS_ALL)
 * and the header is 16, 20 or 24 bytes, whichever reads the log.
 *
 * Before 3.5 (kernel/printk.c of 2.6-3.4): a ring of characters,
 * log_buf[log_buf_len] (a power of two), written at log_end, an index that
 * only grows (the byte is log_buf[log_end & (log_buf_len - 1)]); VMCOREINFO
 * has SYMBOL(log_buf), SYMBOL(log_end), SYMBOL(log_buf_len).  Each line
 * starts with "<level>" and, with printk_time, the time as text.
 *
 * Every read goes through the dump; every record is checked before its text
 * is taken, and a walk that leaves the buffer, wraps twice or runs longer
 * than the buffer can hold records stops there (the log is then partial).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmesg_int.h"
#include "core/endian.h"
#include "core/error.h"

enum {
	HDR_MIN = 16,               /* the header without caller_id */
	HDR_MAX = 32,
	MAX_CHARS = 1 << 26,        /* a pre-3.5 buffer larger than this is not one */
	MAX_RECORDS_BUF = 1 << 30, /* LOG_BUF_LEN_MAX is 1 << 31 (5.x); no dump holds one of that size */
};

struct rec_layout {
	uint32_t hdr, ts, len, text_len, dict_len, caller;
	bool has_caller;
};

/* 3.5-5.0, and 5.1+ without CONFIG_PRINTK_CALLER */
static const struct rec_layout PLAIN = { .hdr = 16, .ts = 0, .len = 8, .text_len = 10, .dict_len = 12 };

struct logbuf {
	uint64_t buf;        /* the virtual address log_buf holds */
	uint32_t size;       /* log_buf_len */
	uint32_t first, next;
	bool has_seq;
	uint64_t first_seq, next_seq;
};

struct walk {
	size_t count;
	uint32_t stop_at;
	const char *why;     /* NULL: the walk reached log_next_idx */
	bool nomem;
};

static bool sym(const struct ks_vmcoreinfo *v, const struct ksyms_table *tab, const char *name)
{
	uint64_t a;

	return ks_dmesg_symbol(v, tab, name, &a);
}

bool ks_logbuf_present(const struct ks_vmcoreinfo *v, const struct ksyms_table *tab)
{
	return sym(v, tab, "log_buf") && sym(v, tab, "log_buf_len") &&
	       ((sym(v, tab, "log_first_idx") && sym(v, tab, "log_next_idx")) || sym(v, tab, "log_end"));
}

/* A u32 variable of the kernel, by name. */
static bool var32(struct ks_logmem *mem, const struct ks_vmcoreinfo *v, const struct ksyms_table *tab,
		  const char *name, uint32_t *ret)
{
	uint64_t a;

	return ks_dmesg_symbol(v, tab, name, &a) && ks_logmem_u32(mem, a, ret);
}

/* The header layout VMCOREINFO states: SIZE(printk_log) and its offsets
 * from 3.11, SIZE(log) and OFFSET(log.*) in 3.5-3.10. */
static bool layout_from_vmcoreinfo(const struct ks_vmcoreinfo *v, struct rec_layout *l, const char **ret_name)
{
	static const char *const names[] = { "printk_log", "log" };
	uint64_t hdr, ts, len, tl, dl, caller;
	char k[64];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *n = names[i];
		if (!ks_vmci_size(v, n, &hdr))
			continue;
#define OFF(f, r) (snprintf(k, sizeof(k), "%s." f, n), ks_vmci_offset(v, k, r))
		if (!OFF("ts_nsec", &ts) || !OFF("len", &len) || !OFF("text_len", &tl) || !OFF("dict_len", &dl))
			return false;
		if (hdr < HDR_MIN || hdr > HDR_MAX || ts + 8 > hdr || len + 2 > hdr || tl + 2 > hdr || dl + 4 > hdr)
			return false;
		*l = (struct rec_layout){ .hdr = (uint32_t)hdr, .ts = (uint32_t)ts, .len = (uint32_t)len,
					  .text_len = (uint32_t)tl, .dict_len = (uint32_t)dl };
		/* 5.1+ with CONFIG_PRINTK_CALLER: caller_id right after the
		 * level, where a kernel did not export its offset */
		if (OFF("caller_id", &caller) && caller + 4 <= hdr) {
			l->has_caller = true;
			l->caller = (uint32_t)caller;
		} else if (hdr >= 20 && dl + 8 <= hdr) {
			l->has_caller = true;
			l->caller = (uint32_t)dl + 4;
		}
#undef OFF
		*ret_name = n;
		return true;
	}
	return false;
}

/* The size the kernel gives a record of this header and text (its
 * msg_used_size()), for LOG_ALIGN @align. */
static uint32_t record_size(uint32_t hdr, uint32_t text_len, uint32_t dict_len, uint32_t align)
{
	uint32_t size = hdr + text_len + dict_len;

	return size + ((0u - size) & (align - 1));
}

struct hdr {
	uint64_t ts;
	uint16_t len, text_len, dict_len;
	uint8_t facility, level;
	uint32_t caller;
};

static bool read_hdr(struct ks_logmem *mem, const struct logbuf *lb, const struct rec_layout *l, uint32_t idx,
		     struct hdr *h)
{
	uint8_t b[HDR_MAX];

	if (!ks_logmem_read(mem, lb->buf + idx, b, l->hdr))
		return false;
	h->ts = load64(b + l->ts, mem->be);
	h->len = load16(b + l->len, mem->be);
	h->text_len = load16(b + l->text_len, mem->be);
	h->dict_len = load16(b + l->dict_len, mem->be);
	/* facility and flags:5/level:3 follow dict_len in every version; a
	 * big-endian compiler gives the first bit-field the high bits */
	h->facility = b[l->dict_len + 2];
	h->level = mem->be ? b[l->dict_len + 3] & 7 : b[l->dict_len + 3] >> 5;
	h->caller = l->has_caller ? load32(b + l->caller, mem->be) : 0;
	return true;
}

/* Why the record at @idx is not one, or NULL.  @end: where the walk must
 * stop (log_next_idx once past the wrap, else the buffer's end). */
static const char *check_record(const struct rec_layout *l, uint32_t idx, const struct hdr *h, uint32_t end)
{
	if (h->len != record_size(l->hdr, h->text_len, h->dict_len, 4) &&
	    h->len != record_size(l->hdr, h->text_len, h->dict_len, 8))
		return "a record whose len does not match its header, text and dictionary";
	if ((uint64_t)idx + h->len > end)
		return "a record that runs past the end of the log";
	return NULL;
}

static bool add(struct ksyms_dmesg *m, const struct hdr *h, const struct rec_layout *l, const uint8_t *text,
		uint64_t seq)
{
	struct ksyms_log_record *r = ks_dmesg_add(m, text, h->text_len);

	if (!r)
		return false;
	r->seq = seq;
	r->ts_nsec = h->ts;
	r->facility = h->facility;
	r->level = h->level;
	r->has_caller = l->has_caller;
	r->caller_id = h->caller;
	return true;
}

/* Walk the records from log_first_idx to log_next_idx, as the kernel's
 * log_from_idx()/log_next() do: at most one wrap, at most as many records
 * as the buffer can hold.  @m NULL: only count. */
static struct walk walk(struct ks_logmem *mem, const struct logbuf *lb, const struct rec_layout *l,
			struct ksyms_dmesg *m, uint8_t *text)
{
	struct walk w = { 0 };
	/* first == next: empty, or full (seq numbers apart, or a record there) */
	bool full = lb->first == lb->next && (lb->has_seq ? lb->first_seq != lb->next_seq : true);
	bool may_wrap = lb->first > lb->next || full, wrapped = false;
	uint32_t idx = lb->first;
	uint64_t max = lb->size / HDR_MIN + 1;
	struct hdr h;

	for (;;) {
		if (idx == lb->next && (!full || wrapped))
			break;
		w.stop_at = idx;
		if (w.count >= max) {
			w.why = "more records than the buffer can hold (a loop)";
			break;
		}
		if (idx % 4 || (uint64_t)idx + l->hdr > lb->size) {
			/* a record that ends the buffer exactly leaves no room
			 * for the wrap mark: the kernel never does that */
			w.why = "a record index outside log_buf or not aligned";
			break;
		}
		if (!read_hdr(mem, lb, l, idx, &h)) {
			w.why = "a record that is not in the dump's memory";
			break;
		}
		if (h.len == 0) {
			if (!may_wrap || wrapped) {
				w.why = may_wrap ? "a second wrap" : "a wrap mark (len 0) where the log does not wrap";
				break;
			}
			wrapped = true;
			idx = 0;
			continue;
		}
		uint32_t end = wrapped || !may_wrap ? lb->next : lb->size;
		if ((w.why = check_record(l, idx, &h, end)))
			break;
		if (m && h.text_len && !ks_logmem_read(mem, lb->buf + idx + l->hdr, text, h.text_len)) {
			w.why = "a record whose text is not in the dump's memory";
			break;
		}
		if (m && !add(m, &h, l, text, lb->first_seq + w.count)) {
			w.nomem = true;
			break;
		}
		w.count++;
		idx += h.len;
	}
	return w;
}

/* The header layout that reads the log: VMCOREINFO's, else the one of
 * 16 (no caller id), 20 or 24 bytes (caller id; LOG_ALIGN 4 or 8) that
 * walks furthest. */
static void pick_layout(struct ks_logmem *mem, const struct logbuf *lb, const struct ks_vmcoreinfo *v,
			struct rec_layout *l, char *src, size_t src_len)
{
	const char *name;

	if (v && layout_from_vmcoreinfo(v, l, &name)) {
		snprintf(src, src_len, "VMCOREINFO (SIZE(%s)=%u, OFFSET(%s.*))", name, l->hdr, name);
		return;
	}
	struct rec_layout c[3] = { PLAIN, PLAIN, PLAIN };
	c[1].hdr = 20;
	c[2].hdr = 24;
	c[1].has_caller = c[2].has_caller = true;
	c[1].caller = c[2].caller = 16;
	size_t best = 0, pick = 0;
	for (size_t i = 0; i < 3; i++) {
		struct walk w = walk(mem, lb, &c[i], NULL, NULL);
		if (w.count > best) {
			best = w.count;
			pick = i;
		}
	}
	*l = c[pick];
	snprintf(src, src_len, "the %u-byte header of 3.5-5.9%s", l->hdr, l->has_caller ? " with caller_id" : "");
}

static struct ksyms_error *read_records(struct ks_logmem *mem, const struct ks_vmcoreinfo *v,
					const struct ksyms_table *tab, struct logbuf *lb, struct ksyms_dmesg *m)
{
	struct rec_layout l;
	char src[96];
	uint64_t a;

	if (!var32(mem, v, tab, "log_first_idx", &lb->first) || !var32(mem, v, tab, "log_next_idx", &lb->next))
		return ks_error(KSYMS_ERR_NOT_FOUND, "log_first_idx or log_next_idx is not in the dump's memory");
	if (lb->first >= lb->size || lb->next >= lb->size)
		return ks_error(KSYMS_ERR_BAD_DATA, "log_first_idx (%u) or log_next_idx (%u) is outside log_buf "
				"(%u bytes)", lb->first, lb->next, lb->size);
	/* not in VMCOREINFO: from the table, when it has them */
	lb->has_seq = ks_dmesg_symbol(NULL, tab, "log_first_seq", &a) && ks_logmem_u64(mem, a, &lb->first_seq) &&
		      ks_dmesg_symbol(NULL, tab, "log_next_seq", &a) && ks_logmem_u64(mem, a, &lb->next_seq);
	if (!lb->has_seq)
		lb->first_seq = 0;
	pick_layout(mem, lb, v, &l, src, sizeof(src));
	uint8_t *text = malloc(1 << 16);
	if (!text)
		return &ks_enomem;
	struct walk w = walk(mem, lb, &l, m, text);
	free(text);
	if (w.nomem)
		return &ks_enomem;
	if (!m->count)
		return ks_error(KSYMS_ERR_BAD_DATA, "log_buf at 0x%llx holds no readable record: %s at offset %u",
				(unsigned long long)lb->buf, w.why ? w.why : "the log is empty", w.stop_at);
	if (w.why)
		snprintf(m->partial, sizeof(m->partial), "the records after offset %u of log_buf could not be read "
			 "(%.80s)", w.stop_at, w.why);
	snprintf(m->source, sizeof(m->source), "log_buf at 0x%llx, %u bytes of variable-length records "
		 "(3.5-5.9), offsets %u to %u; layout from %s", (unsigned long long)lb->buf, lb->size, lb->first,
		 lb->next, src);
	return NULL;
}

/* One line of a pre-3.5 buffer: "<level>" taken off when it is there. */
static bool add_line(struct ksyms_dmesg *m, const uint8_t *p, size_t len)
{
	size_t k = 1;
	unsigned lv = 0;

	while (len && k < len && k <= 4 && p[k] >= '0' && p[k] <= '9')
		lv = lv * 10 + (unsigned)(p[k++] - '0');
	bool has_level = len && p[0] == '<' && k > 1 && k < len && p[k] == '>';
	if (has_level) {
		p += k + 1;
		len -= k + 1;
	}
	struct ksyms_log_record *r = ks_dmesg_add(m, p, len);
	if (!r)
		return false;
	r->seq = m->count - 1;
	r->has_time = false;
	r->has_level = has_level;
	r->level = (uint8_t)(lv & 7);
	r->facility = (uint8_t)(lv >> 3);
	return true;
}

/* Before 3.5: the last log_buf_len characters before log_end, in order. */
static struct ksyms_error *read_chars(struct ks_logmem *mem, const struct ks_vmcoreinfo *v,
				      const struct ksyms_table *tab, const struct logbuf *lb, struct ksyms_dmesg *m)
{
	uint32_t end;

	if (!var32(mem, v, tab, "log_end", &end))
		return ks_error(KSYMS_ERR_NOT_FOUND, "log_end is not in the dump's memory");
	if (lb->size & (lb->size - 1) || lb->size > MAX_CHARS)
		return ks_error(KSYMS_ERR_BAD_DATA, "log_buf_len (%u) is not a power of two up to %u", lb->size,
				(unsigned)MAX_CHARS);
	uint32_t n = end < lb->size ? end : lb->size, start = end < lb->size ? 0 : end & (lb->size - 1);
	uint8_t *p = malloc(n ? n : 1);
	if (!p)
		return &ks_enomem;
	uint32_t first = lb->size - start < n ? lb->size - start : n;
	if (!ks_logmem_read(mem, lb->buf + start, p, first) ||
	    (n > first && !ks_logmem_read(mem, lb->buf, p + first, n - first))) {
		free(p);
		return ks_error(KSYMS_ERR_NOT_FOUND, "log_buf at 0x%llx (%u bytes) is not in the dump's memory",
				(unsigned long long)lb->buf, lb->size);
	}
	for (uint32_t at = 0; at < n;) {
		const uint8_t *nl = memchr(p + at, '\n', n - at);
		uint32_t len = nl ? (uint32_t)(nl - (p + at)) : n - at;
		if (!add_line(m, p + at, len)) {
			free(p);
			return &ks_enomem;
		}
		at += len + 1;
	}
	free(p);
	if (!m->count)
		return ks_error(KSYMS_ERR_BAD_DATA, "log_buf at 0x%llx is empty (log_end 0)", (unsigned long long)lb->buf);
	snprintf(m->source, sizeof(m->source), "log_buf at 0x%llx, a %u-byte character buffer (before 3.5), "
		 "log_end %u", (unsigned long long)lb->buf, lb->size, end);
	return NULL;
}

struct ksyms_error *ks_logbuf_read(struct ks_logmem *mem, const struct ks_vmcoreinfo *v,
				   const struct ksyms_table *tab, struct ksyms_dmesg **ret)
{
	struct logbuf lb = { 0 };
	uint64_t a;
	struct ksyms_error *err;

	if (!ks_dmesg_symbol(v, tab, "log_buf", &a) || !ks_logmem_ulong(mem, a, &lb.buf))
		return ks_error(KSYMS_ERR_NOT_FOUND, "log_buf is not in the dump's memory");
	if (!var32(mem, v, tab, "log_buf_len", &lb.size))
		return ks_error(KSYMS_ERR_NOT_FOUND, "log_buf_len is not in the dump's memory");
	if (lb.size < HDR_MIN || lb.size > MAX_RECORDS_BUF)
		return ks_error(KSYMS_ERR_BAD_DATA, "log_buf_len (%u) is not a log buffer's size", lb.size);
	struct ksyms_dmesg *m = calloc(1, sizeof(*m));
	if (!m)
		return &ks_enomem;
	/* log_end is the variable of the character buffer (before 3.5) */
	if (sym(v, tab, "log_end") && !sym(v, tab, "log_first_idx"))
		err = read_chars(mem, v, tab, &lb, m);
	else
		err = read_records(mem, v, tab, &lb, m);
	if (err) {
		ksyms_dmesg_destroy(m);
		return err;
	}
	ks_dmesg_finish(m);
	*ret = m;
	return NULL;
}
