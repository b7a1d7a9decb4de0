/*
 * rules_cache.h - load a rule set through the cache.
 *
 * Parsing the default rules from YAML was half of a warm start (libyaml
 * on 178 KB, then PCRE2 compiling every pattern). A parsed rule set is
 * kept in the cache (cache_file.h) as `<key>.rules`, keyed by the SHA-1
 * of the rules text and the PCRE2 version, with its patterns in
 * pcre2_serialize_encode() form; any entry that does not decode whole is
 * ignored and replaced.
 */
#ifndef PG_RULES_CACHE_H
#define PG_RULES_CACHE_H

#include "scanners/rules.h"

/* Bump when the entry's layout changes. */
#define PG_RULES_CACHE_FORMAT_VERSION 3

/**
 * Load `rules_file` (NULL: the embedded default) from the cache, or
 * parse it (pg_rules_load_file()) and store it there.
 *
 * @param cache_dir as pg_scanner_opts.cache_dir: NULL = default, "" = none
 * @return as pg_rules_load_file(); rules->cached says where it came from
 */
int pg_rules_load_cached(struct pg_rules **out, const char *rules_file, const char *cache_dir);

#endif
