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
	git_repository *repo;   /* borrowed */
	git_oid *tips;          /* owned; the pushed commits */
	size_t ntips;
	bool found;             /* the fields below are known */
	bool every_ref;         /* hide every branch and tag */
	git_oid *hide;          /* owned; else hide these: published commits the new ones grow from */
	size_t len;
};

/**
 * Prepare for a push of `tips` (commit ids). Nothing is read until the
 * first pg_git_published_hide(), so a push that walks nothing pays
 * nothing.
 *
 * @param tips malloc'd array; `pub` owns it from here
 */
void pg_git_published_init(struct pg_git_published *pub, git_repository *repo,
			   git_oid *tips, size_t n);

/**
 * Hide from `walk` what was published before the push. The first call
 * works it out (once per push); without GIT_QUARANTINE_PATH that is
 * every branch and tag.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_git_published_hide(struct pg_git_published *pub, git_revwalk *walk);

void pg_git_published_clear(struct pg_git_published *pub);

#endif
