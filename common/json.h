/*
 * json.h - building JSON documents with jansson: one way to set a
 * member, append an element and turn untrusted bytes into a string.
 */
#ifndef PG_JSON_H
#define PG_JSON_H

#include <stddef.h>

#include <jansson.h>

/**
 * Set obj[key] to `value`, taking ownership of it (NULL, from a failed
 * constructor, counts as out of memory).
 *
 * @return 0 or PG_ENOMEM
 */
int pg_json_set(json_t *obj, const char *key, json_t *value);

/** Append `value` to array `arr`, taking ownership as pg_json_set() does. */
int pg_json_append(json_t *arr, json_t *value);

/**
 * A JSON string of untrusted bytes: as they are when they are valid
 * UTF-8 (JSON escapes control characters itself), escaped as text
 * reports escape them (common/text.h) otherwise, so nothing is lost
 * and no invalid string is written.
 *
 * @return the new string, or NULL when out of memory
 */
json_t *pg_json_text(const char *s, size_t len);

#endif
