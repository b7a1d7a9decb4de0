/*
 * report.h - writing findings as text, JSON or SARIF, and reading a
 * JSON or SARIF report back as a baseline.
 *
 * Reports print secrets only through pg_buf_put_redacted() and paths
 * only escaped (text) or JSON-encoded; the whole secret never leaves.
 */
#ifndef PG_REPORT_H
#define PG_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scanners/finding.h"
#include "scanners/rules.h"
#include "scanners/scan_stats.h"

enum pg_report_format {
	PG_REPORT_TEXT = 0,
	PG_REPORT_JSON,
	PG_REPORT_SARIF
};

/**
 * Parse a --format value ("text", "json", "sarif").
 *
 * @return 0, or PG_EUSAGE with the message set
 */
int pg_report_format_parse(enum pg_report_format *out, const char *name);

/**
 * Write a whole report of `findings` (sorted by the caller with
 * pg_findings_sort()) and `stats` to `out`.
 *
 * Text is one line per finding, `path:line:column: rule: secret
 * (description)`, then a summary line; it is coloured only when `out`
 * is a terminal and NO_COLOR is unset. JSON and SARIF are one document
 * each, ending with a newline.
 *
 * Thread safety: none needed; reads its arguments only.
 *
 * @return 0, PG_EIO if writing failed, or PG_ENOMEM
 */
int pg_report_write(FILE *out, enum pg_report_format fmt,
		    const struct pg_findings *findings, const struct pg_scan_stats *stats);

/** As pg_report_write() for PG_REPORT_TEXT. */
int pg_report_text_write(FILE *out, const struct pg_findings *findings,
			 const struct pg_scan_stats *stats);

/** As pg_report_write() for PG_REPORT_JSON (docs/architecture.md, "Formats users rely on"). */
int pg_report_json_write(FILE *out, const struct pg_findings *findings,
			 const struct pg_scan_stats *stats);

/** As pg_report_write() for PG_REPORT_SARIF (SARIF 2.1.0). */
int pg_report_sarif_write(FILE *out, const struct pg_findings *findings,
			  const struct pg_scan_stats *stats);

/* Fingerprints from a previous JSON or SARIF report; sorted, for lookup. */
struct pg_baseline {
	char (*fingerprints)[41]; /* owned */
	size_t len;
};

/**
 * Read a report written by pg_report_json_write() or
 * pg_report_sarif_write() and keep the fingerprint of each finding: a
 * JSON report's findings[].fingerprint, or a SARIF report's
 * results[].partialFingerprints["pushgate/v1"] in every run whose
 * tool.driver.name is "pushgate" (other tools' runs of a merged file are
 * skipped).
 *
 * @param out receives the fingerprints; release with pg_baseline_clear()
 * @return 0, PG_ENOTFOUND, PG_EIO, PG_ENOMEM, or PG_EINVAL with the
 *         path and what is wrong when the file is not such a report (not
 *         JSON; neither a "findings" nor a "runs" array; a finding
 *         without a 40-hex-digit "fingerprint"; a SARIF version other
 *         than "2.1.0", no pushgate run, a pushgate run without a
 *         "results" array or a result without a 40-hex-digit
 *         "pushgate/v1" fingerprint)
 */
int pg_baseline_load(struct pg_baseline *out, const char *path);

/** Does the baseline list `fingerprint`? */
bool pg_baseline_contains(const struct pg_baseline *baseline, const char *fingerprint);

/**
 * Drop (and free) every finding of `list` whose fingerprint the baseline
 * lists, keeping the order of the rest.
 *
 * @return the number of findings dropped
 */
size_t pg_baseline_filter(const struct pg_baseline *baseline, struct pg_findings *list);

/** Free the fingerprints; the baseline is left empty. */
void pg_baseline_clear(struct pg_baseline *baseline);

#endif
