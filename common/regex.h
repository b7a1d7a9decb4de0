/*
 * regex.h - PCRE2 regular expressions with bounded matching (no JIT: see regex.c).
 *
 * Used for policy patterns and rule allowlists; the scanner's own
 * confirmation step (scanners/) manages its own match data for speed.
 */
#ifndef PG_REGEX_H
#define PG_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct pg_regex {
	char *source;      /* owned; NULL when unset */
	pcre2_code *code;  /* owned; NULL when unset */
};

/* Match and depth limits: no pattern may run away on hostile input. */
#define PG_REGEX_MATCH_LIMIT 1000000
#define PG_REGEX_DEPTH_LIMIT 10000

/**
 * Compile `source` (PCRE2 syntax, UTF-8 not required).
 *
 * @param options extra PCRE2 compile options (0 for none)
 * @return 0, PG_ENOMEM, or PG_EINVAL with a message "at offset N: why"
 */
int pg_regex_compile(struct pg_regex *re, const char *source, uint32_t options);

/** Free and reset to unset. */
void pg_regex_clear(struct pg_regex *re);

/**
 * Does the regex match anywhere in s[0..len)? An unset regex matches.
 *
 * @return 1 match, 0 no match, or negative PG_ELIMIT/PG_ENOMEM when the
 *         match or depth limit was hit or memory ran out
 */
int pg_regex_search(const struct pg_regex *re, const char *s, size_t len);

#endif
