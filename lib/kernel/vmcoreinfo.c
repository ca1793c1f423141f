// SPDX-License-Identifier: MIT
/* VMCOREINFO lines (vmcoreinfo.h). */
#include <stdio.h>
#include <string.h>

#include "vmcoreinfo.h"

enum { MAX_KEY = 128 };

/* One line at @p: its key [p, eq) and value [eq+1, end). */
static bool next_line(const char *p, const char *end, const char **ret_eq, const char **ret_end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	const char *le = nl ? nl : end;
	const char *eq = memchr(p, '=', (size_t)(le - p));

	*ret_end = le;
	*ret_eq = eq;
	return eq != NULL;
}

bool ks_vmci_valid(const char *text, size_t len)
{
	bool osrelease = false, pagesize = false;
	size_t lines = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c != '\n' && (c < 0x20 || c >= 0x7f))
			return false;
	}
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eq, *le;
		if (next_line(p, end, &eq, &le)) {
			lines++;
			osrelease |= eq - p == 9 && memcmp(p, "OSRELEASE", 9) == 0;
			pagesize |= eq - p == 8 && memcmp(p, "PAGESIZE", 8) == 0;
		} else if (le != p) {
			return false;
		}
		p = le + 1;
	}
	return osrelease && pagesize && lines >= 3;
}

bool ks_vmci_get(const struct ks_vmcoreinfo *v, const char *key, const char **ret, size_t *ret_len)
{
	size_t klen = strlen(key);

	if (!v || !v->text)
		return false;
	const char *p = v->text, *end = v->text + v->len;
	while (p < end) {
		const char *eq, *le;
		if (next_line(p, end, &eq, &le) && (size_t)(eq - p) == klen && memcmp(p, key, klen) == 0) {
			*ret = eq + 1;
			*ret_len = (size_t)(le - eq - 1);
			return true;
		}
		p = le + 1;
	}
	return false;
}

/* Parse [s, s+n) as a number in @base (0: decimal, or hex after 0x). */
static bool parse(const char *s, size_t n, int base, uint64_t *ret)
{
	bool neg = false;
	uint64_t v = 0;
	size_t i = 0;

	if (n && s[0] == '-') {
		neg = true;
		i++;
	}
	if (base == 0) {
		base = 10;
		if (n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
			base = 16;
			i += 2;
		}
	} else if (base == 16 && n - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		i += 2;
	}
	if (i >= n || n - i > 20)
		return false;
	for (; i < n; i++) {
		int d;
		char c = s[i];
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return false;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*ret = neg ? (uint64_t)0 - v : v;
	return true;
}

bool ks_vmci_number(const struct ks_vmcoreinfo *v, const char *key, uint64_t *ret)
{
	const char *s;
	size_t n;

	if (!ks_vmci_get(v, key, &s, &n))
		return false;
	int base = strncmp(key, "SYMBOL(", 7) == 0 || strcmp(key, "KERNELOFFSET") == 0 ? 16 : 0;
	return parse(s, n, base, ret);
}

static bool keyed(const struct ks_vmcoreinfo *v, const char *kind, const char *name, uint64_t *ret)
{
	char key[MAX_KEY];

	if ((size_t)snprintf(key, sizeof(key), "%s(%s)", kind, name) >= sizeof(key))
		return false;
	return ks_vmci_number(v, key, ret);
}

bool ks_vmci_symbol(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret)
{
	return keyed(v, "SYMBOL", name, ret);
}

bool ks_vmci_offset(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret)
{
	return keyed(v, "OFFSET", name, ret);
}

bool ks_vmci_size(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret)
{
	return keyed(v, "SIZE", name, ret);
}

bool ks_vmci_num(const struct ks_vmcoreinfo *v, const char *name, uint64_t *ret)
{
	return keyed(v, "NUMBER", name, ret);
}

void ks_vmci_each_symbol(const struct ks_vmcoreinfo *v,
			 void (*fn)(void *ctx, const char *name, size_t len, uint64_t value), void *ctx)
{
	if (!v || !v->text)
		return;
	const char *p = v->text, *end = v->text + v->len;
	while (p < end) {
		const char *eq, *le;
		uint64_t val;
		if (next_line(p, end, &eq, &le) && eq - p > 8 && memcmp(p, "SYMBOL(", 7) == 0 && eq[-1] == ')' &&
		    parse(eq + 1, (size_t)(le - eq - 1), 16, &val))
			fn(ctx, p + 7, (size_t)(eq - 1 - (p + 7)), val);
		p = le + 1;
	}
}
