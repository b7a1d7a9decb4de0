/*
 * glob.h - the one glob matcher, for branch names and paths.
 *
 * `*` and `?` never match `/`; `**` matches any run of characters
 * including `/` (and, as `**` + `/`, zero or more whole directories);
 * `[abc]`, `[a-z]` and `[!abc]` match one character other than `/`.
 */
#ifndef PG_GLOB_H
#define PG_GLOB_H

#include <stdbool.h>

/** Does `str` match `glob` as a whole? */
bool pg_glob_match(const char *glob, const char *str);

/**
 * Does the path match? As pg_glob_match(), except that a glob without
 * `/` is matched against the path's last component, so `*.pem` matches
 * `keys/a.pem`.
 */
bool pg_glob_match_path(const char *glob, const char *path);

/**
 * Is `glob` well formed (no unterminated `[` class, not empty)?
 */
bool pg_glob_valid(const char *glob);

#endif
