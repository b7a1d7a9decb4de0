/*
 * engine.h - the matching stage: bytes in, confirmed secrets out.
 *
 * One Hyperscan block-mode database holds every rule; each hit is
 * confirmed by the rule's PCRE2 pattern on a window ending at the hit,
 * which also extracts the secret; then entropy, keywords, allowlists and
 * the inline `pushgate:allow` comment filter it. The engine knows
 * nothing of files, git or reports: callers hand it buffers.
 */
#ifndef PG_ENGINE_H
#define PG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#include "scanners/rules.h"

/* Compiled rules; immutable after pg_scanner_new(), shared by threads. */
struct pg_scanner;

/* Per-thread matching state (Hyperscan scratch, PCRE2 match data). */
struct pg_scan_ctx;

struct pg_scanner_opts {
	const char *cache_dir; /* NULL: default ($XDG_CACHE_HOME/pushgate, ...); "": no cache */
};

/* One confirmed secret in the scanned buffer. */
struct pg_match {
	const struct pg_rule *rule; /* borrowed from the scanner's rules */
	size_t rule_index;          /* index in pg_rules.rules */
	size_t secret_start;        /* byte offsets in the buffer: the secret */
	size_t secret_end;
	size_t match_start;         /* the whole pattern match */
	size_t match_end;
	bool inline_allowed;        /* only the line's pushgate:allow comment keeps it out; passed
				       on only with pg_scan_where.report_allowed */
};

/* Where a buffer comes from, which decides the rules that apply to it. */
struct pg_scan_where {
	const char *path;         /* relative, '/'-separated; NULL: no path (standard input) */
	const char *except_path;  /* non-NULL: only rules that apply at `path` but not here
				     (content moved from except_path was scanned there already) */
	bool report_allowed;      /* pass inline-allowed matches on, marked, instead of dropping */
};

/**
 * Called for each match, in order of secret_start (ties: rule index).
 * Return 0 to go on; anything else stops the scan and is returned by
 * pg_scan_buffer().
 */
typedef int (*pg_match_cb)(const struct pg_match *match, const char *buf, void *payload);

/**
 * Compile the rules into one Hyperscan database, loading it from the
 * cache when a valid entry exists and writing one (atomically) when not.
 * A cache that cannot be read or written only costs compile time.
 *
 * @param out receives the scanner (pg_scanner_free); it borrows `rules`,
 *        which must outlive it
 * @return 0, PG_ENOMEM, or PG_EINVAL naming the rule Hyperscan rejected
 */
int pg_scanner_new(struct pg_scanner **out, const struct pg_rules *rules,
		   const struct pg_scanner_opts *opts);

/**
 * Load a rules file (`rules_file` NULL: the embedded rules) and build a
 * scanner for it: what every command that scans does first.
 *
 * @param rules_out receives the rules; the caller frees them after the
 *        scanner (pg_rules_free)
 * @param out receives the scanner (pg_scanner_free)
 * @return 0 or a negative PG_E* code; on error nothing is returned
 */
int pg_scanner_load(struct pg_rules **rules_out, struct pg_scanner **out,
		    const char *rules_file, const struct pg_scanner_opts *opts);

/** Free a scanner; NULL is fine. */
void pg_scanner_free(struct pg_scanner *scanner);

/** The rules the scanner was built from. Borrowed. */
const struct pg_rules *pg_scanner_rules(const struct pg_scanner *scanner);

/** Create per-thread state for `scanner`. @return 0 or PG_ENOMEM */
int pg_scan_ctx_new(struct pg_scan_ctx **out, const struct pg_scanner *scanner);

/** Free per-thread state; NULL is fine. */
void pg_scan_ctx_free(struct pg_scan_ctx *ctx);

/**
 * Scan `len` bytes. `path` (relative, '/'-separated; NULL for standard
 * input) selects path-specific rules and allowlists. Every match that
 * passes all filters is passed to `cb`.
 *
 * Thread safety: one ctx per thread; the scanner may be shared.
 *
 * @return 0, the callback's non-zero value, or a negative PG_E* code
 */
int pg_scan_buffer(struct pg_scan_ctx *ctx, const char *path, const char *buf,
		   size_t len, pg_match_cb cb, void *payload);

/**
 * pg_scan_buffer() with the choices of `where`: rules narrowed to those a
 * move from another path brings into scope, and inline-allowed matches
 * reported (marked) for a caller that must list or refuse them.
 */
int pg_scan_buffer_at(struct pg_scan_ctx *ctx, const struct pg_scan_where *where,
		      const char *buf, size_t len, pg_match_cb cb, void *payload);

/**
 * Could pg_scan_buffer_at() report anything in these `len` bytes? A
 * first pass with no path and no confirmation, stopping at the first
 * Hyperscan hit: every match the full scan reports starts as one, so
 * where there is none it finds nothing, whatever the path.
 *
 * @return 0 (no hit: nothing to find), 1 (a hit, or too long to tell),
 *         or PG_ERROR
 */
int pg_scan_buffer_may_match(struct pg_scan_ctx *ctx, const char *buf, size_t len);

/**
 * The scope of `path`: which rules and allowlists apply there, as a key
 * appended to `out`. Paths with equal keys are scanned alike, so content
 * scanned at one needs no second scan at the other (and a caller must
 * scan it again where the key differs).
 *
 * @return 0 or a negative PG_E* code (the buffer's limit)
 */
int pg_scanner_path_scope(const struct pg_scanner *scanner, const char *path, struct pg_buf *out);

/**
 * How often each rule's confirmation hit a PCRE2 match or depth limit in
 * this ctx: counts[i] for rule i, `len` entries. Borrowed until the ctx
 * is freed. Such hits are counted, never silently dropped.
 */
const uint64_t *pg_scan_ctx_limit_hits(const struct pg_scan_ctx *ctx, size_t *len);

#endif
