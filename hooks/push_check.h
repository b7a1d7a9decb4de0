/*
 * push_check.h - the server-side evaluation both ref hooks share.
 *
 * Opens the repository (quarantine included), loads the effective
 * policy, evaluates the push, applies an authorised bypass and prints
 * the outcome for the pusher.
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

#endif
