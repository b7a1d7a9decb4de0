/*
 * scan_stats.h - what a scan looked at: files, bytes, what it skipped and
 * why, and which rules hit PCRE2's limits. The inputs count, the reports
 * print.
 */
#ifndef PG_SCAN_STATS_H
#define PG_SCAN_STATS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scanners/rules.h"

/* What a scan looked at; every count is over the whole run. */
struct pg_scan_stats {
	uint64_t files;              /* files (or blobs) scanned */
	uint64_t bytes;              /* bytes scanned, each counted once */
	uint64_t skipped_binary;     /* NUL byte in the first 8 KiB */
	uint64_t skipped_unreadable; /* could not be opened or read */
	uint64_t skipped_symlink;    /* symbolic links are never followed */
	uint64_t skipped_too_large;  /* over a size limit */
	double seconds;              /* wall-clock time of the scan */
	const struct pg_rules *rules; /* borrowed: names the rules of limit_hits; may be NULL */
	uint64_t *limit_hits;        /* owned; limit_hits[i] for rules->rules[i]; may be NULL */
	size_t limit_hits_len;
};

/** Free what `stats` owns (limit_hits) and zero it. */
void pg_scan_stats_release(struct pg_scan_stats *stats);

/**
 * Add `len` per-rule limit-hit counts (pg_scan_ctx_limit_hits()) into
 * stats->limit_hits, allocating it on first use.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_scan_stats_add_limit_hits(struct pg_scan_stats *stats, const uint64_t *counts,
				 size_t len);

/** Seconds on a monotonic clock, for a scan's timings. */
double pg_scan_clock(void);

/*
 * A one-line progress report of a long scan on standard error: redrawn
 * at most four times a second on a terminal, a line every ten seconds
 * in a log. Safe to update from several threads.
 */
struct pg_progress {
	FILE *out;               /* NULL: silent */
	bool terminal;           /* redraw one line; else append lines */
	double start;            /* when the scan started (seconds, monotonic) */
	atomic_llong last_ms;    /* when a line was last written */
	atomic_bool shown;       /* a line was written */
};

/** Start a progress report to `out` (NULL for none). */
void pg_progress_init(struct pg_progress *p, FILE *out, bool terminal);

/**
 * Write the progress line if it is due: items of `what` done, bytes,
 * findings, rate. `last` writes it as the summary, ending the line, if
 * a line was shown or the scan took a second or more. A NULL or silent
 * `p` does nothing.
 */
void pg_progress_update(struct pg_progress *p, const char *what, uint64_t items,
			uint64_t bytes, uint64_t findings, bool last);

#endif
