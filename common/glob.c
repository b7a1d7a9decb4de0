/*
 * glob.c - glob matching for branch names and repository paths.
 *
 * Globs come from the admin's policy and the rules file; the strings from
 * pushers, and Gitea sets no hook timeout. So a glob is compiled into a
 * small automaton and run over the string once, keeping the set of live
 * states: time is linear in the string for any glob, where backtracking
 * would be exponential in the number of stars (`*a*a*a*a*b`).
 */
#include <stdlib.h>
#include <string.h>

#include "common/glob.h"

enum token_kind {
	TOKEN_CHAR,   /* one given character */
	TOKEN_ANY,    /* ?: one character but '/' */
	TOKEN_CLASS,  /* [...]: one character of the class, never '/' */
	TOKEN_STAR,   /* *: any run without '/' */
	TOKEN_DSTAR,  /* **: any run */
	TOKEN_ENTRY   /* before "**" "/": may skip both (no directory at all) */
};

struct token {
	enum token_kind kind;
	char c;             /* TOKEN_CHAR */
	const char *cls;    /* TOKEN_CLASS: points at its '[' */
	size_t skip;        /* a further state reachable without input; 0: none */
};

/* Stack space for typical globs; longer ones allocate. */
#define TOKENS_ON_STACK 64

/* Match a [...] class at *gp against c; advance *gp past it. -1: malformed. */
static int match_class(const char **gp, char c)
{
	const char *g = *gp + 1;
	int negate = 0, matched = 0;

	if (*g == '!' || *g == '^') {
		negate = 1;
		g++;
	}
	if (*g == ']') {
		matched = (c == ']');
		g++;
	}
	while (*g && *g != ']') {
		if (g[1] == '-' && g[2] && g[2] != ']') {
			if (c >= g[0] && c <= g[2])
				matched = 1;
			g += 3;
		} else {
			if (c == *g)
				matched = 1;
			g++;
		}
	}
	if (*g != ']')
		return -1;
	*gp = g + 1;
	return (matched != negate) && c != '/';
}

/* Tokens of `glob` into `out` (room for strlen(glob) tokens: "**" "/" makes
 * three of three characters); -1 if malformed. */
static long tokenize(const char *glob, struct token *out)
{
	const char *g = glob, *cls;
	size_t n = 0;

	while (*g) {
		memset(&out[n], 0, sizeof(out[n]));
		if (g[0] == '*' && g[1] == '*' && g[2] == '/') {
			/* "**" "/" also matches no directory at all, but only from its start. */
			out[n].kind = TOKEN_ENTRY;
			out[n].skip = n + 3;
			memset(&out[n + 1], 0, 2 * sizeof(out[n]));
			out[n + 1].kind = TOKEN_DSTAR;
			out[n + 2].kind = TOKEN_CHAR;
			out[n + 2].c = '/';
			n += 3;
			g += 3;
			continue;
		} else if (g[0] == '*' && g[1] == '*') {
			out[n].kind = TOKEN_DSTAR;
			g += 2;
		} else if (*g == '*') {
			out[n].kind = TOKEN_STAR;
			g++;
		} else if (*g == '?') {
			out[n].kind = TOKEN_ANY;
			g++;
		} else if (*g == '[') {
			cls = g;
			if (match_class(&g, 'a') < 0)
				return -1;
			out[n].kind = TOKEN_CLASS;
			out[n].cls = cls;
		} else {
			if (*g == '\\' && g[1])
				g++;
			out[n].kind = TOKEN_CHAR;
			out[n].c = *g++;
		}
		n++;
	}
	return (long)n;
}

/* Add the states reachable without input; skips only ever point forward. */
static void close_states(const struct token *t, size_t n, unsigned char *live)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!live[i])
			continue;
		if (t[i].kind == TOKEN_STAR || t[i].kind == TOKEN_DSTAR || t[i].kind == TOKEN_ENTRY)
			live[i + 1] = 1;
		if (t[i].skip)
			live[t[i].skip] = 1;
	}
}

static bool token_takes(const struct token *t, char c)
{
	const char *cls;

	switch (t->kind) {
	case TOKEN_CHAR:
		return t->c == c;
	case TOKEN_ANY:
		return c != '/';
	case TOKEN_CLASS:
		cls = t->cls;
		return match_class(&cls, c) > 0;
	default:
		return false;
	}
}

static bool run(const struct token *t, size_t n, const char *s, unsigned char *live,
		unsigned char *next)
{
	size_t i;
	bool any;

	memset(live, 0, n + 1);
	live[0] = 1;
	close_states(t, n, live);
	for (; *s; s++) {
		memset(next, 0, n + 1);
		any = false;
		for (i = 0; i < n; i++) {
			if (!live[i])
				continue;
			if (t[i].kind == TOKEN_DSTAR || (t[i].kind == TOKEN_STAR && *s != '/'))
				next[i] = 1, any = true;
			else if (token_takes(&t[i], *s))
				next[i + 1] = 1, any = true;
		}
		if (!any)
			return false;
		close_states(t, n, next);
		memcpy(live, next, n + 1);
	}
	return live[n] != 0;
}

static bool has_special(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[' || s[i] == '\\')
			return true;
	return false;
}

static bool ends_with(const char *s, size_t slen, const char *suffix, size_t len)
{
	return slen >= len && !memcmp(s + slen - len, suffix, len);
}

/*
 * The shapes nearly every policy and rules glob has, answered without
 * the automaton (a tree scan asks each file's path against every
 * allowlist glob): 1 match, 0 no match, -1 not one of these shapes.
 */
static int match_simple(const char *glob, const char *str)
{
	size_t glen = strlen(glob), slen = strlen(str);
	const char *lit;
	size_t llen;

	if (!has_special(glob, glen))
		return !strcmp(glob, str);
	/* "**" "/" LITERAL: the path is LITERAL or ends in "/" LITERAL. */
	if (glen > 3 && !strncmp(glob, "**/", 3) && !has_special(glob + 3, glen - 3) &&
	    !strchr(glob + 3, '/')) {
		lit = glob + 3;
		llen = glen - 3;
		return (slen == llen && !memcmp(str, lit, llen)) ||
		       (slen > llen && str[slen - llen - 1] == '/' && ends_with(str, slen, lit, llen));
	}
	/* "*" LITERAL (no '/'): a suffix of a string without '/'. */
	if (glen > 1 && glob[0] == '*' && glob[1] != '*' && !has_special(glob + 1, glen - 1) &&
	    !strchr(glob + 1, '/'))
		return !strchr(str, '/') && ends_with(str, slen, glob + 1, glen - 1);
	/* "**" "/" LITERAL "/" "**": anything under a directory LITERAL at any depth. */
	if (glen > 6 && !strncmp(glob, "**/", 3) && !strcmp(glob + glen - 3, "/**") &&
	    !has_special(glob + 3, glen - 6) && !memchr(glob + 3, '/', glen - 6)) {
		const char *p;

		lit = glob + 3;
		llen = glen - 6;
		if (slen > llen && !memcmp(str, lit, llen) && str[llen] == '/')
			return 1;
		for (p = strchr(str, '/'); p; p = strchr(p + 1, '/'))
			if ((size_t)(str + slen - p) > llen + 1 && !memcmp(p + 1, lit, llen) &&
			    p[1 + llen] == '/')
				return 1;
		return 0;
	}
	/* LITERAL "/" "**": anything under the directory LITERAL. */
	if (glen > 3 && !strcmp(glob + glen - 3, "/**") && !has_special(glob, glen - 3))
		return slen >= glen - 2 && !memcmp(str, glob, glen - 2);
	return -1;
}

bool pg_glob_match(const char *glob, const char *str)
{
	struct token stack_tokens[TOKENS_ON_STACK], *t = stack_tokens;
	unsigned char stack_states[2 * (TOKENS_ON_STACK + 1)], *states = stack_states;
	size_t len = strlen(glob);
	long n;
	bool matched = false;
	int simple = match_simple(glob, str);

	if (simple >= 0)
		return simple == 1;
	if (len > TOKENS_ON_STACK) {
		t = malloc(len * sizeof(*t));
		states = malloc(2 * (len + 1));
		if (!t || !states)
			goto out; /* no memory: no match, as for a malformed glob */
	}
	n = tokenize(glob, t);
	if (n >= 0)
		matched = run(t, (size_t)n, str, states, states + n + 1);
out:
	if (t != stack_tokens)
		free(t);
	if (states != stack_states)
		free(states);
	return matched;
}

bool pg_glob_match_path(const char *glob, const char *path)
{
	const char *base;

	if (strchr(glob, '/'))
		return pg_glob_match(glob, path);
	base = strrchr(path, '/');
	return pg_glob_match(glob, base ? base + 1 : path);
}

bool pg_glob_valid(const char *glob)
{
	const char *g = glob;

	if (!*g)
		return false;
	while (*g) {
		if (*g == '[') {
			if (match_class(&g, 'a') < 0)
				return false;
			continue;
		}
		if (*g == '\\' && g[1])
			g++;
		g++;
	}
	return true;
}
