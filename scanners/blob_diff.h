/*
 * blob_diff.h - the lines one changed file adds: the unit of work the
 * commit walk hands to its threads (scanners/diff_pool.h).
 *
 * Reads the file's blobs, diffs them and keeps the added lines; for a
 * merge, only those that are new against every parent. Each thread has
 * a differ of its own on a repository of its own: libgit2 serializes
 * object reads within one repository, not across repositories.
 */
#ifndef PG_BLOB_DIFF_H
#define PG_BLOB_DIFF_H

#include <stddef.h>

#include <git2.h>

#include "common/buf.h"
#include "scanners/git_changes.h"

/* One changed file. */
struct pg_blob_change {
	char *path;        /* '/'-separated; owned by whoever fills this in */
	git_oid old_id;    /* its blob before; zero when the file is new */
	git_oid new_id;
	git_oid *others;   /* merges: each other parent's id at path; zero if none or not a blob */
	size_t nothers;
};

enum pg_blob_outcome {
	PG_BLOB_NOTHING,   /* no line is new (all taken from a merge parent) */
	PG_BLOB_ADDED,     /* text holds the added lines */
	PG_BLOB_SKIPPED    /* not scanned: why, size */
};

/* What a change adds. Reusable: pg_blob_differ_run() overwrites it. */
struct pg_blob_added {
	enum pg_blob_outcome outcome;
	enum pg_git_skip why;
	size_t size;            /* skipped: the blob's (or LFS pointer's) size */
	struct pg_buf text;     /* added: the lines, each ending in '\n' */
	size_t *starts;         /* starts[i]: offset in text of added line i */
	size_t *lines;          /* lines[i]: its 1-based line in the blob */
	size_t nlines;
	size_t starts_alloc, lines_alloc;
};

struct pg_blob_differ;

/** Set up an empty result whose text may hold what `max_blob_size` allows (0: no limit). */
void pg_blob_added_init(struct pg_blob_added *added, size_t max_blob_size);

/** Free a result's memory; it stays usable. */
void pg_blob_added_release(struct pg_blob_added *added);

/**
 * The diff options of the whole walk: no context, blobs over
 * `max_blob_size` (0: no limit) treated as binary.
 */
void pg_blob_diff_options(git_diff_options *dopts, size_t max_blob_size);

/**
 * A differ reading from `repo`, which it borrows (and which must outlive
 * it). Use it from one thread at a time.
 *
 * @return 0, PG_ENOMEM or PG_EGIT
 */
int pg_blob_differ_new(struct pg_blob_differ **out, git_repository *repo, size_t max_blob_size);

/** Free a differ (NULL is fine). */
void pg_blob_differ_free(struct pg_blob_differ *differ);

/**
 * What `change` adds, into `out`: a blob over the size limit, a binary
 * file or a Git LFS pointer is skipped; a merge parent holding the same
 * blob makes it add nothing.
 *
 * @return 0 or a negative PG_E* code, with this thread's error message set
 */
int pg_blob_differ_run(struct pg_blob_differ *differ, const struct pg_blob_change *change,
		       struct pg_blob_added *out);

#endif
