// SPDX-License-Identifier: MIT
/*
 * JSON strings.  Kernel symbol names, module names, log lines and paths
 * are bytes, not text: a hostile image can hold names that are not UTF-8.
 * JSON can only carry Unicode, so the rule (README, "JSON output") is:
 * valid UTF-8 is written as it is, with '"', '\\' and control characters
 * escaped; each byte that is not part of valid UTF-8 becomes U+FFFD, and
 * the string's member KEY is then followed by KEY_hex, the exact bytes in
 * lowercase hex.  Every output parses in any JSON parser (no lone
 * surrogates), and every string can be had back byte for byte.
 */
#include <string.h>

#include "cmd.h"

static const char hex[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf; /* the range of the second byte */

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

/* Writes the string; returns false if some byte was not valid UTF-8. */
static bool json_text(struct out *o, const unsigned char *p, size_t n)
{
	bool valid = true;

	out_char(o, '"');
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len = utf8_len(p + i, n - i);
		if (!len) {
			out_str(o, "\\ufffd");
			valid = false;
			i++;
			continue;
		}
		if (len > 1) {
			out_bytes(o, (const char *)p + i, len);
		} else if (c == '"' || c == '\\') {
			out_char(o, '\\');
			out_char(o, (char)c);
		} else if (c == '\n') {
			out_str(o, "\\n");
		} else if (c == '\t') {
			out_str(o, "\\t");
		} else if (c == '\r') {
			out_str(o, "\\r");
		} else if (c < 0x20 || c == 0x7f) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			out_bytes(o, esc, 6);
		} else {
			out_char(o, (char)c);
		}
		i += len;
	}
	out_char(o, '"');
	return valid;
}

void out_json_string(struct out *o, const char *s)
{
	json_text(o, (const unsigned char *)s, strlen(s));
}

void out_json_member_bytes(struct out *o, const char *key, const char *p, size_t n)
{
	out_char(o, '"');
	out_str(o, key);
	out_str(o, "\":");
	if (json_text(o, (const unsigned char *)p, n))
		return;
	out_str(o, ",\"");
	out_str(o, key);
	out_str(o, "_hex\":\"");
	for (size_t i = 0; i < n; i++) {
		out_char(o, hex[(unsigned char)p[i] >> 4]);
		out_char(o, hex[(unsigned char)p[i] & 15]);
	}
	out_char(o, '"');
}

void out_json_member(struct out *o, const char *key, const char *value)
{
	out_json_member_bytes(o, key, value, strlen(value));
}

void out_json_member_or_null(struct out *o, const char *key, const char *value)
{
	if (value) {
		out_json_member(o, key, value);
		return;
	}
	out_char(o, '"');
	out_str(o, key);
	out_str(o, "\":null");
}
