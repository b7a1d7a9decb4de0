/*
 * ignore.h - .pushgateignore: findings a repository says are not
 * secrets, for files that cannot carry a pushgate:allow comment.
 *
 * One entry a line: a finding's fingerprint (40 hex digits, as reports
 * print it) or a path glob; '#' starts a comment, blank lines are
 * skipped. The file sits at the repository's root and is committed, so
 * whoever reads it decides where it comes from: the work tree for a scan
 * of files, HEAD or the index in git modes, the pushed commits on the
 * server (where what it lets through is listed and audited, as inline
 * allows are).
 */
#ifndef PG_IGNORE_H
#define PG_IGNORE_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "common/strlist.h"
#include "scanners/finding.h"

#define PG_IGNORE_FILE ".pushgateignore"

struct pg_ignore {
	struct pg_strlist fingerprints; /* lower-case hex */
	struct pg_strlist globs;
};

/**
 * Add the entries of a .pushgateignore text to `ign`.
 *
 * @param name the file's name in messages
 * @return 0, PG_ENOMEM, or PG_EINVAL naming the line of a bad entry
 */
int pg_ignore_parse(struct pg_ignore *ign, const char *name, const char *data, size_t len);

/** The entries of file `path`; a file that does not exist has none. */
int pg_ignore_load_file(struct pg_ignore *ign, const char *path);

/**
 * The entries of the .pushgateignore at the root of commit `commit_id`'s
 * tree (none if it has none; anything but a blob there is an error).
 */
int pg_ignore_load_commit(struct pg_ignore *ign, git_repository *repo,
			  const git_oid *commit_id);

/** The entries of the .pushgateignore staged in the repository's index. */
int pg_ignore_load_index(struct pg_ignore *ign, git_repository *repo);

/** Does an entry cover `f` (its fingerprint, or a glob matching its path)? */
bool pg_ignore_matches(const struct pg_ignore *ign, const struct pg_finding *f);

/**
 * Take every finding an entry covers out of `findings`, keeping the
 * order of the rest: into `allowed` (when not NULL), else freed.
 *
 * @return the number taken out, or PG_ENOMEM
 */
int pg_ignore_apply(const struct pg_ignore *ign, struct pg_findings *findings,
		    struct pg_findings *allowed);

/** Free the entries; `ign` is left empty. */
void pg_ignore_clear(struct pg_ignore *ign);

#endif
