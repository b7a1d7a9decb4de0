/*
 * push_token.h - pre-receive's "already decided" tokens, one per
 * accepted ref update, taken by the update hook that follows
 * (push_token.c says why).
 */
#ifndef PG_PUSH_TOKEN_H
#define PG_PUSH_TOKEN_H

#include <git2.h>

#include "git/push.h"

/**
 * Leave a token for each update of a push pre-receive accepted.
 *
 * @return 0 or PG_EIO / PG_ENOMEM (the caller rejects: fail closed)
 */
int pg_push_tokens_write(git_repository *repo, const struct pg_ref_updates *updates);

/**
 * Take the token of update `u` through the opened repository.
 *
 * @return 1 pre-receive accepted this very update, 0 not known, or a
 *         negative PG_E* code
 */
int pg_push_token_take_update(git_repository *repo, const struct pg_ref_update *u);

/**
 * The update hook's shortcut: take the token pre-receive left for this
 * update in $GIT_DIR (git sets it for hooks), before libgit2 starts,
 * which is most of the hook's cost. Ids must be 40 lower-case hex digits
 * as git passes them; otherwise, or without GIT_DIR, the answer is 0 and
 * pg_push_check() looks again through the opened repository.
 *
 * @return 1 pre-receive accepted this very update, 0 not known, or a
 *         negative PG_E* code
 */
int pg_push_token_take(const char *ref, const char *oldhex, const char *newhex);

#endif
