/*
 * rules_check.h - verify a rule set's examples through the real engine.
 *
 * Each `examples` entry must yield a match of its rule and each
 * `negative_examples` entry none, scanned exactly as a file would be
 * (pg_scan_buffer with no path), so the check covers Hyperscan,
 * PCRE2 confirmation and every filter.
 */
#ifndef PG_RULES_CHECK_H
#define PG_RULES_CHECK_H

#include <stddef.h>

#include "common/buf.h"
#include "scanners/engine.h"

struct pg_rules_check_stats {
	size_t rules;             /* rules checked */
	size_t examples;          /* examples and negative examples scanned */
	size_t failures;          /* examples that did not behave */
};

/**
 * Scan every example of every rule of `scanner`.
 *
 * Problems are appended to `report`, one line each:
 * "FILE:LINE: rule 'ID': example N does not match: <redacted example>",
 * "... negative example N matches: ...", "... example N hit a PCRE2
 * limit". Examples are never printed whole (pg_buf_put_redacted).
 *
 * @param stats receives the counts
 * @return 0 (see stats->failures), PG_ENOMEM, or an engine error
 *
 * Thread safety: uses its own scan context; the scanner may be shared.
 */
int pg_rules_check_examples(const struct pg_scanner *scanner, struct pg_buf *report,
			    struct pg_rules_check_stats *stats);

#endif
