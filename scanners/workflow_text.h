/*
 * workflow_text.h - text spans and character classes shared by the
 * workflow checker's files (scanners/workflow*.c).
 *
 * Header-only and free of state: the shell tokenizer includes it without
 * seeing the checker's context.
 */
#ifndef PG_WORKFLOW_TEXT_H
#define PG_WORKFLOW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Bytes of the file's text; borrowed from the YAML document. */
struct pg_wf_span {
	const char *ptr;
	size_t len;
};

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static inline bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_var_start(char c)
{
	return is_alpha(c) || c == '_';
}

static inline bool is_var_char(char c)
{
	return is_var_start(c) || is_digit(c);
}

/* Names in expressions (secrets.my-key, env.X) may contain dashes. */
static inline bool is_expr_char(char c)
{
	return is_var_char(c) || c == '-';
}

static inline char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: do the `n` bytes at `s` equal lower-case `word`? */
static inline bool ieq(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lower(s[i]) != word[i])
			return false;
	return !word[n];
}

static inline bool span_eq(struct pg_wf_span a, struct pg_wf_span b, bool icase)
{
	size_t i;

	if (a.len != b.len)
		return false;
	for (i = 0; i < a.len; i++)
		if (icase ? lower(a.ptr[i]) != lower(b.ptr[i]) : a.ptr[i] != b.ptr[i])
			return false;
	return true;
}

static inline bool in_list(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static inline struct pg_wf_span span_of(const char *p, size_t len)
{
	struct pg_wf_span s = { p, len };

	return s;
}

static inline bool starts_at(const char *s, size_t i, size_t end, const char *lit)
{
	size_t n = strlen(lit);

	return i <= end && end - i >= n && !memcmp(s + i, lit, n);
}
#endif
