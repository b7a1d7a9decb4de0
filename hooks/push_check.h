/*
 * push_check.h - the server-side evaluation both ref hooks share.
 *
 * Opens the repository (quarantine included), loads the effective
 * policy, checks every update, applies an authorised bypass and prints
 * the verdict for the pusher.
 */
#ifndef PG_PUSH_CHECK_H
#define PG_PUSH_CHECK_H

#include <stdbool.h>

#include "hooks/hook_input.h"

enum pg_hook_kind {
	PG_HOOK_PRE_RECEIVE,
	PG_HOOK_UPDATE
};

/**
 * Check a push and print the outcome to standard error (git relays it
 * to the pusher as `remote:` lines).
 *
 * @param config policy file from --config, or NULL for the lookup order
 * @return 0 accept, 1 reject, or a negative PG_E* code (the caller
 *         rejects: fail closed)
 */
int pg_push_check(const struct pg_ref_updates *updates, const char *config,
		  enum pg_hook_kind kind);

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
