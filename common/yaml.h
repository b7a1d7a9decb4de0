/*
 * yaml.h - strict reading of YAML documents (policy and rules files).
 *
 * Loads a whole document with libyaml and offers typed accessors that
 * report every problem as "NAME:LINE:COL: message", so that a typo in a
 * policy is an error and never a silently ignored key.
 */
#ifndef PG_YAML_H
#define PG_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "common/regex.h"
#include "common/strlist.h"

struct pg_yaml {
	yaml_document_t doc;
	char *name;  /* owned: the file name used in messages */
	bool loaded;
};

/**
 * Parse `len` bytes as one YAML document.
 *
 * @return 0, PG_ENOMEM, or PG_EINVAL ("NAME:LINE:COL: why") for syntax
 *         errors, an empty document or more than one document.
 *         On error `y` needs no pg_yaml_free().
 */
int pg_yaml_load(struct pg_yaml *y, const char *name, const char *data, size_t len);

/** Free the document. */
void pg_yaml_free(struct pg_yaml *y);

/** The root node (never NULL after a successful load). Borrowed. */
yaml_node_t *pg_yaml_root(struct pg_yaml *y);

/**
 * Record "NAME:LINE:COL: message" for `node` (1-based line and column).
 *
 * @return PG_EINVAL
 */
int pg_yaml_error(const struct pg_yaml *y, const yaml_node_t *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/**
 * Check that `node` is a mapping whose keys are plain scalars from
 * `allowed` (NULL-terminated), each at most once.
 *
 * @param what names the mapping in messages, e.g. "branch rule"
 * @return 0 or PG_EINVAL naming the first bad key
 */
int pg_yaml_map_check(struct pg_yaml *y, yaml_node_t *node, const char *what,
		      const char *const *allowed);

/** Value of `key` in mapping `map`, or NULL. Borrowed. */
yaml_node_t *pg_yaml_map_get(struct pg_yaml *y, yaml_node_t *map, const char *key);

/** Check that `node` is a sequence. @return 0 or PG_EINVAL */
int pg_yaml_seq_check(struct pg_yaml *y, yaml_node_t *node, const char *what);

/** Number of items of a sequence node. */
size_t pg_yaml_seq_len(const yaml_node_t *seq);

/** Item `i` of a sequence node. Borrowed. */
yaml_node_t *pg_yaml_seq_item(struct pg_yaml *y, yaml_node_t *seq, size_t i);

/** The scalar's text (NUL-terminated; borrowed), or NULL if not a scalar. */
const char *pg_yaml_scalar(const yaml_node_t *node);

/**
 * A scalar as a new string (caller frees).
 * @return 0, PG_EINVAL (not a scalar) or PG_ENOMEM
 */
int pg_yaml_get_string(struct pg_yaml *y, yaml_node_t *node, const char *what, char **out);

/** `true` or `false` (nothing else). @return 0 or PG_EINVAL */
int pg_yaml_get_bool(struct pg_yaml *y, yaml_node_t *node, const char *what, bool *out);

/** A finite decimal number. @return 0 or PG_EINVAL */
int pg_yaml_get_double(struct pg_yaml *y, yaml_node_t *node, const char *what, double *out);

/** A non-negative integer up to `max`. @return 0 or PG_EINVAL */
int pg_yaml_get_uint(struct pg_yaml *y, yaml_node_t *node, const char *what,
		     unsigned long max, unsigned long *out);

/**
 * One of `names` (NULL-terminated); *out receives its index.
 * @return 0 or PG_EINVAL listing the accepted names
 */
int pg_yaml_get_enum(struct pg_yaml *y, yaml_node_t *node, const char *what,
		     const char *const *names, int *out);

/**
 * A sequence of scalars appended to `out`.
 * @return 0, PG_EINVAL or PG_ENOMEM
 */
int pg_yaml_get_strlist(struct pg_yaml *y, yaml_node_t *node, const char *what,
			struct pg_strlist *out);

/**
 * Check one glob found at `node`: not empty, well formed. Messages:
 * "WHAT must not be empty", "WHAT: invalid glob 'G' (...)".
 *
 * @return 0 or PG_EINVAL
 */
int pg_yaml_check_glob(struct pg_yaml *y, yaml_node_t *node, const char *what,
		       const char *glob);

/**
 * A sequence of globs at `node`, each checked by pg_yaml_check_glob(),
 * appended to `out`.
 *
 * @return 0, PG_EINVAL or PG_ENOMEM
 */
int pg_yaml_get_globs(struct pg_yaml *y, yaml_node_t *node, const char *what,
		      struct pg_strlist *out);

/**
 * The string at `node` compiled as a regular expression (common/regex.h);
 * an invalid one is an error at the node with PCRE2's reason: "WHAT:
 * invalid regular expression at offset N: ...".
 *
 * @return 0, PG_EINVAL or PG_ENOMEM
 */
int pg_yaml_get_regex(struct pg_yaml *y, yaml_node_t *node, const char *what,
		      struct pg_regex *out);

#endif
