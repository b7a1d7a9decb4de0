/*
 * text.c - escaping untrusted bytes, redacting secrets, entropy.
 *
 * Escaping works on bytes, not on the locale: a pusher chooses ref names
 * and paths, and an unescaped ESC or C1 CSI byte in a `remote:` line would
 * let them drive the developer's terminal.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/text.h"

size_t pg_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (!len)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Length of the printable UTF-8 sequence at s (1-4), or 0 to escape it. */
static size_t utf8_sequence_len(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n = pg_utf8_decode(s, len, &cp);

	/* C1 controls (U+0080..U+009F) act like ESC sequences on terminals. */
	if (n && cp >= 0x80 && cp <= 0x9f)
		return 0;
	return n;
}

static int put_escaped_byte(struct pg_buf *out, unsigned char c)
{
	switch (c) {
	case '\n':
		return pg_buf_puts(out, "\\n");
	case '\t':
		return pg_buf_puts(out, "\\t");
	case '\r':
		return pg_buf_puts(out, "\\r");
	case '\\':
		return pg_buf_puts(out, "\\\\");
	default:
		return pg_buf_printf(out, "\\x%02x", c);
	}
}

int pg_buf_put_escaped(struct pg_buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	int error = 0;

	while (i < len && !error) {
		if (p[i] < 0x20 || p[i] == 0x7f || p[i] == '\\') {
			error = put_escaped_byte(out, p[i]);
			i++;
			continue;
		}
		n = utf8_sequence_len(p + i, len - i);
		if (!n) {
			error = put_escaped_byte(out, p[i]);
			i++;
			continue;
		}
		error = pg_buf_put(out, p + i, n);
		i += n;
	}
	return error;
}

int pg_buf_puts_escaped(struct pg_buf *out, const char *s)
{
	return pg_buf_put_escaped(out, s, strlen(s));
}

int pg_buf_put_name(struct pg_buf *out, const char *name)
{
	size_t len = strlen(name);
	int error;

	if (len <= PG_TEXT_NAME_MAX)
		return pg_buf_put_escaped(out, name, len);
	if ((error = pg_buf_put_escaped(out, name, PG_TEXT_NAME_MAX)) < 0)
		return error;
	return pg_buf_puts(out, "...");
}

int pg_buf_put_redacted(struct pg_buf *out, const char *secret, size_t len)
{
	size_t shown = len / 4;
	int error;

	if (shown > 6)
		shown = 6;
	if ((error = pg_buf_put_escaped(out, secret, shown)) < 0)
		return error;
	return pg_buf_puts(out, "...(redacted)");
}

double pg_text_entropy(const char *s, size_t len)
{
	size_t counts[256] = { 0 };
	double h = 0.0, p;
	size_t i;

	if (!len)
		return 0.0;
	for (i = 0; i < len; i++)
		counts[(unsigned char)s[i]]++;
	for (i = 0; i < 256; i++) {
		if (!counts[i])
			continue;
		p = (double)counts[i] / (double)len;
		h -= p * log2(p);
	}
	return h;
}
