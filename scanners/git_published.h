/*
 * git_published.h - what a push's commit walks hide: what the repository
 * had published (reachable from a branch or tag) before the push.
 *
 * Hiding every branch and tag makes libgit2 walk back from all of them,
 * which in a repository of 100k commits and 10k refs is most of a small
 * push's hook time. During pre-receive the pushed objects sit in git's
 * quarantine, so the new commits are the ones the repository's own
 * object store lacks: walking those finds the commits they grow from,
 * and when each of those is a branch or tag tip, hiding just them hides
 * exactly what hiding every ref would. Otherwise (no quarantine, a push
 * that builds on commits parked in refs/pull) every ref is hidden.
 */
#ifndef PG_GIT_PUBLISHED_H
#define PG_GIT_PUBLISHED_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

struct pg_git_published {
	git_oid *hide;      /* owned; published commits the new ones grow from */
	size_t len;
	bool every_ref;     /* hide every branch and tag instead */
};

/**
 * Work out how to hide what was published before a push of `tips`
 * (commit ids). With GIT_QUARANTINE_PATH unset, `out` says every_ref.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_published_find(struct pg_git_published *out, git_repository *repo,
			  const git_oid *tips, size_t n);

/** The fallback answer: hide every branch and tag. */
void pg_git_published_every_ref(struct pg_git_published *out);

/**
 * Hide from `walk` what `pub` says was published.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_published_hide(const struct pg_git_published *pub, git_revwalk *walk);

void pg_git_published_clear(struct pg_git_published *pub);

#endif
