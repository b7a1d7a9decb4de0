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
		return pg_buf_put_escaped_masked(out, name, len);
	if ((error = pg_buf_put_escaped_masked(out, name, PG_TEXT_NAME_MAX)) < 0)
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

/*
 * ---- secret-looking tokens ----
 *
 * Messages quote text from the push (names, snippets of a workflow) and
 * that text may hold a credential. A "token" is a run of the characters
 * credentials are written in; '.' is not one of them, so paths and dotted
 * names split at their dots, while base64's '/' and '+' keep a key whole.
 */

static bool token_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '+' || c == '/' || c == '=';
}

/* Prefixes that providers put on their tokens; what follows is the secret. */
static const char *const token_prefixes[] = {
	"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-",
	"xoxa-", "xoxb-", "xoxe-", "xoxp-", "xoxr-", "xoxs-", "AKIA", "ASIA", "sk_live_",
	"sk_test_", "rk_live_", "npm_", "pypi-", "AIza", "eyJ", "hf_", "dop_v1_", NULL
};

/* The shortest token judged a secret: below it a run is a word, not a key. */
#define TOKEN_MIN 16

/* Is the whole run a credential? A path's parts are judged by put_run(). */
static bool token_secret_like(const char *s, size_t len)
{
	bool upper = false, lower = false, digit = false, slash = false;
	size_t i, n;

	if (len < TOKEN_MIN)
		return false;
	for (i = 0; token_prefixes[i]; i++) {
		n = strlen(token_prefixes[i]);
		if (len >= n + 8 && !memcmp(s, token_prefixes[i], n))
			return true;
	}
	for (i = 0; i < len; i++) {
		upper |= s[i] >= 'A' && s[i] <= 'Z';
		lower |= s[i] >= 'a' && s[i] <= 'z';
		digit |= s[i] >= '0' && s[i] <= '9';
		slash |= s[i] == '/';
	}
	/*
	 * All three classes mixed in one run is how generated keys look; with
	 * a '/' it may be a path with one mixed-case, numbered part
	 * (src/App2Config), whose parts are judged one by one instead.
	 */
	if (upper && lower && digit && !slash)
		return true;
	/*
	 * Long keys of two classes (base32, lower-case letters and digits) and
	 * base64 with '/': entropy above what hex (at most 4 bits) or a
	 * kebab-case name reaches.
	 */
	return len >= 24 && (upper + lower + digit) >= 2 && pg_text_entropy(s, len) >= 4.3;
}

/* Append one run of token characters, redacting it or its '/'-separated parts. */
static int put_run(struct pg_buf *out, const char *s, size_t len, bool *redacted)
{
	size_t a = 0, i;
	int error = 0;

	if (token_secret_like(s, len)) {
		*redacted = true;
		return pg_buf_put_redacted(out, s, len);
	}
	if (!memchr(s, '/', len))
		return pg_buf_put(out, s, len);
	for (i = 0; i <= len && !error; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (token_secret_like(s + a, i - a)) {
			*redacted = true;
			error = pg_buf_put_redacted(out, s + a, i - a);
		} else {
			error = pg_buf_put(out, s + a, i - a);
		}
		if (!error && i < len)
			error = pg_buf_putc(out, '/');
		a = i + 1;
	}
	return error;
}

bool pg_text_secret_like(const char *s, size_t len)
{
	size_t a = 0, i;

	for (i = 0; i < len; i++)
		if (!token_char((unsigned char)s[i]))
			return false;
	if (token_secret_like(s, len))
		return true;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '/')
			continue;
		if (token_secret_like(s + a, i - a))
			return true;
		a = i + 1;
	}
	return false;
}

static int put_masked(struct pg_buf *out, const char *s, size_t len, bool escape)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, a;
	bool redacted = false;
	int error = 0;

	while (i < len && !error) {
		a = i;
		if (!token_char(p[i])) {
			while (i < len && !token_char(p[i]))
				i++;
			error = escape ? pg_buf_put_escaped(out, s + a, i - a) : pg_buf_put(out, s + a, i - a);
			continue;
		}
		while (i < len && token_char(p[i]))
			i++;
		error = put_run(out, s + a, i - a, &redacted);
	}
	return error;
}

int pg_buf_put_masked(struct pg_buf *out, const char *s, size_t len)
{
	return put_masked(out, s, len, false);
}

int pg_buf_put_escaped_masked(struct pg_buf *out, const char *s, size_t len)
{
	return put_masked(out, s, len, true);
}
