/*
 * strlist.h - an owned list of C strings (globs, names, stopwords).
 */
#ifndef PG_STRLIST_H
#define PG_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

struct pg_strlist {
	char **items; /* owned array; each string owned */
	size_t len;
};

/** Append a copy of `s`. @return 0 or PG_ENOMEM */
int pg_strlist_add(struct pg_strlist *list, const char *s);

/** Free every string and the array; the list is left empty. */
void pg_strlist_clear(struct pg_strlist *list);

/** Is `s` equal to one of the items? */
bool pg_strlist_contains(const struct pg_strlist *list, const char *s);

/** Does `s` match one of the items taken as globs (pg_glob_match)? */
bool pg_strlist_glob_match(const struct pg_strlist *list, const char *s);

/** Does `path` match one of the items as path globs (pg_glob_match_path)? */
bool pg_strlist_glob_match_path(const struct pg_strlist *list, const char *path);

#endif
