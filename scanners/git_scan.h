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
#include "git/git_changes.h"
#include "scanners/engine.h"
#include "scanners/finding.h"
#include "scanners/scan_stats.h"

struct pg_git_scan {
	struct pg_findings findings;  /* one per (rule, path, secret), earliest commit */
	bool report_allowed;          /* set by the caller: keep inline-allowed matches in
					 `allowed` (a server lists and audits them) */
	struct pg_findings allowed;   /* with report_allowed: what pushgate:allow kept out */
	struct pg_strlist scopes;     /* path scopes met (pg_scanner_path_scope()); id = index */
	struct pg_scan_stats stats;   /* files = blobs scanned, bytes = added bytes */
	struct pg_strlist too_large;  /* "path (N bytes, commit X)" of blobs not scanned */
	struct pg_progress *progress; /* set by the caller: a progress line; NULL: none */
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

/**
 * Scan a blob, or every blob of a tree, whole: for a tag that points at
 * a tree or blob rather than a commit. With `only_in` non-NULL, blobs
 * not in that object database (the push's quarantine) are skipped, as
 * the repository had them already. Findings name `label` (e.g. the tag)
 * as their commit and the tree path as their path.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_scan_object(struct pg_git_scan *out, const struct pg_scanner *scanner,
		       git_repository *repo, const git_oid *id, const char *label,
		       git_odb *only_in, size_t max_blob_size);

/**
 * Scan the message of the annotated tag `id` and of each tag it points
 * at in turn (a chain), as PG_GIT_TAG_MESSAGE findings labelled with
 * the tag object's id. With `only_in` non-NULL, tags not in that object
 * database (the push's quarantine) were in the repository already and
 * are skipped. Anything else than a tag: nothing to do.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_scan_tag_messages(struct pg_git_scan *out, const struct pg_scanner *scanner,
			     git_repository *repo, const git_oid *id, git_odb *only_in);

/**
 * pg_git_scan_tag_messages() for every annotated tag under refs/tags/:
 * what a whole-history scan adds to its commits.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_scan_all_tags(struct pg_git_scan *out, const struct pg_scanner *scanner,
			 git_repository *repo);

/** Free everything in `scan`; it is left empty. */
void pg_git_scan_clear(struct pg_git_scan *scan);

#endif
