/*
 * blob_diff.h - the lines one changed file adds: the unit of work the
 * commit walk hands to its threads (git/diff_pool.h).
 *
 * Reads the file's blobs, diffs them and keeps the added lines; for a
 * merge, only those that are new against every parent. Each thread has
 * a differ of its own on a repository of its own: libgit2 serializes
 * object reads within one repository, not across repositories.
 */
#ifndef PG_BLOB_DIFF_H
#define PG_BLOB_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "common/buf.h"
#include "git/git_changes.h"

/* One changed file. */
struct pg_blob_change {
	char *path;        /* '/'-separated; owned by whoever fills this in */
	char *scope_from;  /* a rename from a path where other rules apply: the whole new
			      blob is scanned again for the rules the move brings into
			      scope; NULL otherwise. Owned like path */
	git_oid old_id;    /* its blob before; zero when the file is new */
	git_oid new_id;
	git_oid *others;   /* merges: each other parent's id at path; zero if none or not a blob */
	size_t nothers;
};

enum pg_blob_outcome {
	PG_BLOB_NOTHING,   /* no line is new (all taken from a parent) */
	PG_BLOB_ADDED,     /* text holds the added lines */
	PG_BLOB_BINARY,    /* the new blob is binary: text holds all of it, raw */
	PG_BLOB_SKIPPED    /* not scanned: why, size */
};

/* What a change adds. Reusable: pg_blob_differ_run() overwrites it. */
struct pg_blob_added {
	enum pg_blob_outcome outcome;
	enum pg_git_skip why;
	size_t size;            /* skipped: the blob's size */
	struct pg_buf text;     /* added: the lines, each ending in '\n'; binary: the blob */
	size_t *starts;         /* starts[i]: offset in text of added line i */
	size_t *lines;          /* lines[i]: its 1-based line in the blob */
	size_t nlines;
	size_t starts_alloc, lines_alloc;
	bool has_whole;         /* change.scope_from is set and the new blob is text: */
	struct pg_buf whole;    /* ... all of it, for the rules the move brings into scope */
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
 * Should `differ` keep the new blob of each change it runs (one blob at
 * a time, up to the size limit) and, when the next change's old blob is
 * that one, diff against it instead of reading it again? Worth it when
 * changes come path by path, as a whole-history scan hands them over
 * (git/git_changes.c): the old blob of a change is the new blob of
 * the one before. Off by default.
 */
void pg_blob_differ_keep_last(struct pg_blob_differ *differ, bool keep);

/**
 * What `change` adds, into `out`. The new blob alone decides how: over
 * the size limit or a well-formed Git LFS pointer (the whole blob, see
 * pg_blob_is_lfs_pointer()), it is skipped; binary (a NUL byte in its
 * first 8000 bytes, as git decides), all of it is returned raw; text,
 * the lines it adds against the old blob and, for a merge, against
 * every other parent's blob at the path. A parent's blob that is binary
 * or over the size limit counts as empty, so nothing a parent held can
 * hide a line of a text version. A merge parent holding the same blob
 * makes it add nothing.
 *
 * @return 0 or a negative PG_E* code, with this thread's error message set
 */
int pg_blob_differ_run(struct pg_blob_differ *differ, const struct pg_blob_change *change,
		       struct pg_blob_added *out);

/**
 * Is `data` a Git LFS pointer and nothing else: `version
 * https://git-lfs.github.com/spec/v1`, then `ext-N-name sha256:HEX`
 * lines, `oid sha256:<64 hex>` and `size <digits>`, in that order, each
 * ending in '\n', under 1024 bytes? Anything more is content.
 */
bool pg_blob_is_lfs_pointer(const char *data, size_t len);

/**
 * The lines `new` adds against `old` (both text) when that needs no
 * diff: after the lines both share at the start and at the end (as
 * xdiff drops them first), either one side has no line left, or no
 * line left on one side equals a line left on the other; and the lines
 * left in `new` could not slide up or down past an equal line. Then
 * every line left in `new` is added, exactly as git_patch_from_blobs()
 * with no context would report them (tests/unit/git/added_run.c checks
 * this against it). Semi-private: used by pg_blob_differ_run(), exposed
 * for that test.
 *
 * @param start, end  out: the added lines are the whole lines of new[*start, *end) (none when equal)
 * @param lineno      out: the 1-based line number of the first
 * @return true when decided; false when only a line diff can tell.
 *         Thread-safe; borrows the buffers for the call only.
 */
bool pg_blob_diff__added_run(const char *old, size_t old_len, const char *new, size_t new_len,
			     size_t *start, size_t *end, size_t *lineno);

/** Does `data` look binary to git: a NUL byte in its first 8000 bytes? */
bool pg_blob_is_binary(const char *data, size_t len);

#endif
