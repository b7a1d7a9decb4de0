/*
 * hs_db.h - the Hyperscan database of a rule set, and its on-disk cache.
 *
 * All rules compile into one block-mode database (pattern id = rule
 * index). Compiling the default set takes seconds, so the serialized
 * database is cached per (rules digest, Hyperscan version, CPU platform).
 *
 * The cache (cache_file.h) keeps entries `<key>.hsdb`; an entry that is
 * corrupt, truncated, for another key or another Hyperscan is ignored
 * and replaced; a cache that cannot be read or written only costs
 * compile time, never an error.
 */
#ifndef PG_HS_DB_H
#define PG_HS_DB_H

#include <stdbool.h>
#include <stddef.h>

#include <hs.h>

#include "common/buf.h"
#include "scanners/rules.h"

/* Bump when the compile flags or the cache file layout change. */
#define PG_HS_DB_FORMAT_VERSION 3

enum pg_hs_db_origin {
	PG_HS_DB_COMPILED = 0, /* compiled now (and written to the cache if possible) */
	PG_HS_DB_CACHED        /* deserialized from a valid cache entry */
};

struct pg_hs_db {
	hs_database_t *db;            /* owned: hs_free_database */
	unsigned char *prefilter;     /* owned; per rule: 1 = compiled with HS_FLAG_PREFILTER */
	unsigned int *max_width;      /* owned; per rule: longest match in bytes, UINT_MAX = unbounded */
	size_t len;                   /* number of rules */
	enum pg_hs_db_origin origin;
	bool cache_written;           /* a new cache entry was written */
	char cache_path[4096];        /* the entry's path; "" when no cache is used */
};

/**
 * Build (or load from the cache) the database for `rules`.
 *
 * @param out initialised here; release with pg_hs_db_release() on success
 * @param rules the validated rules (pg_rules_load_*); borrowed
 * @param cache_dir as pg_scanner_opts.cache_dir: NULL = default, "" = none
 * @return 0, PG_ENOMEM, or PG_EINVAL with "SOURCE:LINE: rule 'ID': Hyperscan
 *         cannot compile the pattern: <Hyperscan's message>"
 *
 * Thread safety: safe to call concurrently, also from several processes
 * sharing a cache directory (the last rename wins; every entry is valid).
 */
int pg_hs_db_build(struct pg_hs_db *out, const struct pg_rules *rules, const char *cache_dir);

/** Free the database; `db` is left zeroed. */
void pg_hs_db_release(struct pg_hs_db *db);

struct pg_scanner;

/**
 * The database of a scanner (engine.c), for tests and diagnostics: which
 * rules run as prefilters, whether it came from the cache. Borrowed for
 * the scanner's lifetime.
 */
const struct pg_hs_db *pg_scanner__hs_db(const struct pg_scanner *scanner);

#endif
