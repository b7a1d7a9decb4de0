/*
 * git_scan.h - secrets in the lines commits or the index add.
 *
 * Joins the git input stage (git_changes.h) to the matching stage
 * (engine.h): each added-lines text is scanned and every match becomes a
 * finding with its commit, path and line in that commit's file.
 */
#ifndef PG_GIT_SCAN_H
#define PG_GIT_SCAN_H

#include <stdio.h>

#include <git2.h>

#include "common/strlist.h"
#include "policy/report.h"
#include "scanners/engine.h"
#include "scanners/finding.h"
#include "scanners/git_changes.h"

struct pg_git_scan {
	struct pg_findings findings;  /* one per (rule, path, secret), earliest commit */
	struct pg_scan_stats stats;   /* files = blobs scanned, bytes = added bytes */
	struct pg_strlist too_large;  /* "path (N bytes, commit X)" of blobs not scanned */
	FILE *progress;               /* set by the caller: a progress line goes here */
	double progress_at;           /* when it was last written */
};

/**
 * Scan the lines added by the commits `walk` yields (the caller pushes
 * and hides; see pg_git_changes_walk()). Results accumulate in `out`,
 * which the caller zero-initialises and frees with pg_git_scan_clear().
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_scan_walk(struct pg_git_scan *out, const struct pg_scanner *scanner,
		     git_repository *repo, git_revwalk *walk,
		     const struct pg_git_changes_opts *opts);

/** The same for the lines the index adds to HEAD (findings have no commit). */
int pg_git_scan_staged(struct pg_git_scan *out, const struct pg_scanner *scanner,
		       git_repository *repo, const struct pg_git_changes_opts *opts);

/** Free everything in `scan`; it is left empty. */
void pg_git_scan_clear(struct pg_git_scan *scan);

#endif
