/*
 * glob.c - glob matching for branch names and repository paths.
 *
 * Globs come from the admin's policy and the rules file; the strings come
 * from pushers. Recursion depth is bounded by the number of stars in the
 * glob, which the admin controls.
 */
#include <string.h>

#include "common/glob.h"

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

static bool match_here(const char *g, const char *s)
{
	int r;

	while (*g) {
		if (g[0] == '*' && g[1] == '*') {
			g += 2;
			if (*g == '/') {
				/* "**" "/" also matches zero directories */
				if (match_here(g + 1, s))
					return true;
			}
			for (;; s++) {
				if (match_here(g, s))
					return true;
				if (!*s)
					return false;
			}
		}
		if (*g == '*') {
			g++;
			for (;; s++) {
				if (match_here(g, s))
					return true;
				if (!*s || *s == '/')
					return false;
			}
		}
		if (!*s)
			return false;
		if (*g == '?') {
			if (*s == '/')
				return false;
			g++;
			s++;
			continue;
		}
		if (*g == '[') {
			r = match_class(&g, *s);
			if (r <= 0)
				return false;
			s++;
			continue;
		}
		if (*g == '\\' && g[1])
			g++;
		if (*g != *s)
			return false;
		g++;
		s++;
	}
	return *s == '\0';
}

bool pg_glob_match(const char *glob, const char *str)
{
	return match_here(glob, str);
}

bool pg_glob_match_path(const char *glob, const char *path)
{
	const char *base;

	if (strchr(glob, '/'))
		return match_here(glob, path);
	base = strrchr(path, '/');
	return match_here(glob, base ? base + 1 : path);
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
