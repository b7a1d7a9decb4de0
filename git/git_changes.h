/*
 * git_changes.h - the input stage for git modes: which lines are new.
 *
 * Walks commits (or the staged index) with libgit2 and hands each new
 * blob's added lines to a visitor, once per blob, attributed to the
 * first commit of the walk that introduced them. It knows nothing of
 * rules or reports.
 */
#ifndef PG_GIT_CHANGES_H
#define PG_GIT_CHANGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "git/git_published.h"

struct pg_diff_prescan;  /* git/diff_pool.h */

struct pg_git_changes_opts {
	size_t max_blob_size; /* blobs larger than this are skipped (reported); 0: no limit */
	unsigned int threads; /* threads reading and diffing blobs, the caller's among them;
				 0: one per online CPU, at most 4 */
	bool from_env;        /* the repository was opened from git's environment (hooks):
				 the other threads open it the same way */
};

enum pg_git_skip {
	PG_GIT_SKIP_BINARY,
	PG_GIT_SKIP_TOO_LARGE,
	PG_GIT_SKIP_LFS_POINTER
};

/* Where commit messages are reported: not a path a tree can hold. */
#define PG_GIT_COMMIT_MESSAGE "<commit message>"
#define PG_GIT_TAG_MESSAGE "<tag message>"

/*
 * New content of one blob (or one commit's message), valid during the
 * visitor call only: the lines a text version adds (starts/lines set),
 * or a whole text to scan (starts NULL: the blob as a move brought it,
 * or a message), or a binary blob's raw bytes (binary).
 */
struct pg_added_lines {
	const git_oid *commit;  /* introducing commit; NULL for staged changes */
	const char *path;       /* path in that commit, '/'-separated, or PG_GIT_COMMIT_MESSAGE */
	const git_oid *blob;    /* NULL for a message */
	const char *text;       /* the added lines, each ending in '\n'; or the whole text */
	size_t len;
	const size_t *starts;   /* starts[i]: offset in text of added line i; NULL: whole text */
	const size_t *lines;    /* lines[i]: 1-based line of added line i in the blob */
	size_t nlines;
	bool binary;            /* text is a binary blob, raw: findings give a byte offset */
	const char *except_path; /* non-NULL: only rules that apply at path and not at this
				    path (where the moved content was scanned before) */
	bool clean;             /* the visitor's prescan found nothing in text */
};

struct pg_git_visitor {
	/* Return 0 to go on; anything else stops the walk and is returned. */
	int (*added)(const struct pg_added_lines *added, void *payload);
	/* A blob that was not scanned, and why; may be NULL. */
	int (*skipped)(const git_oid *commit, const char *path, const git_oid *blob,
		       enum pg_git_skip why, size_t size, void *payload);
	/*
	 * The scope of `path`: paths with the same id are scanned alike, so
	 * a blob is visited once per scope it appears in (not once in all),
	 * and a rename between scopes brings the whole blob into the new one.
	 * Ids are small and stable for the walk. NULL: one scope for all.
	 */
	int (*scope)(const char *path, uint32_t *id, void *payload);
	void *payload;
	/*
	 * May be NULL. Run on the threads that diff besides the caller's,
	 * on each blob's added lines or binary bytes they diffed, before
	 * added() sees them (marked clean when it found nothing); not on
	 * messages or whole moved blobs.
	 */
	const struct pg_diff_prescan *prescan;
};

/**
 * Where does byte `offset` of `added->text` lie in the blob (or message)?
 *
 * @param line receives the 1-based line in the blob
 * @param column receives the 1-based byte column
 */
void pg_added_lines_locate(const struct pg_added_lines *added, size_t offset,
			   size_t *line, size_t *column);

/**
 * Visit the content added by each commit `walk` yields: its message,
 * then its blobs (see pg_blob_differ_run() for text, binary, LFS and
 * size limits). The walk is sorted here (parents before children); the
 * caller pushes and hides. A commit is diffed against its first parent
 * (against nothing for a root commit); for a merge, only lines that
 * appear in none of its parents count. A rename within one scope adds
 * nothing; a rename into another scope adds the whole blob for what
 * that scope checks more. Each blob is visited once per scope;
 * submodules are ignored. Blobs are read and diffed on opts->threads
 * threads; the visitor is called on the caller's thread, in walk order,
 * so the result does not depend on the thread count.
 *
 * @return 0, a visitor's non-zero value, or a negative PG_E* code
 */
int pg_git_changes_walk(git_repository *repo, git_revwalk *walk,
			const struct pg_git_changes_opts *opts, const struct pg_git_visitor *visitor);

/**
 * Visit the lines the index adds to HEAD (to nothing in a repository
 * without commits). Same returns as pg_git_changes_walk().
 */
int pg_git_changes_staged(git_repository *repo, const struct pg_git_changes_opts *opts,
			  const struct pg_git_visitor *visitor);

/* One file a ref update changes, valid during the callback only. */
struct pg_changed_file {
	const char *path;        /* new path ('/'-separated); the old one for deletions */
	const char *old_path;    /* differs from path for renames */
	git_delta_t status;      /* GIT_DELTA_ADDED, _MODIFIED, _DELETED, _RENAMED, ... */
	const git_oid *old_id;
	const git_oid *new_id;   /* zero for deletions */
	uint16_t new_mode;       /* GIT_FILEMODE_*; GIT_FILEMODE_COMMIT for submodules */
	const git_oid *commit;   /* the commit whose diff shows it; NULL for a tree diff */
};

/** Return 0 to go on; anything else stops and is returned. */
typedef int (*pg_changed_file_cb)(const struct pg_changed_file *file, void *payload);

/**
 * The files a branch update changes: old tree against new tree when the
 * branch existed (`old_commit` non-NULL); for a new branch, each commit
 * new to the repository (see pg_git_new_commits()) against its first
 * parent. Renames are detected.
 *
 * @param paths when non-NULL, only paths matching these git pathspecs
 *        (the diff skips other subtrees: cheap for a few directories)
 * @return 0, the callback's non-zero value, or a negative PG_E* code
 */
int pg_git_ref_changes(git_repository *repo, struct pg_git_published *pub,
		       const git_oid *old_commit,
		       const git_oid *new_commit, const git_strarray *paths,
		       pg_changed_file_cb cb, void *payload);

/**
 * Call `cb` for each commit reachable from `new_commit` and not from
 * what `pub` hides (the commits a push brings in), newest first.
 *
 * @return 0, the callback's non-zero value, or a negative PG_E* code
 */
int pg_git_new_commits(git_repository *repo, struct pg_git_published *pub,
		       const git_oid *new_commit,
		       int (*cb)(git_commit *commit, void *payload), void *payload);

#endif
