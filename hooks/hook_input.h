/*
 * hook_input.h - everything git and Gitea hand a server hook.
 *
 * The pre-receive lines, the update hook's arguments, push options and
 * Gitea's environment are parsed here and nowhere else. Malformed input
 * is an error that rejects the push, never a line to skip.
 */
#ifndef PG_HOOK_INPUT_H
#define PG_HOOK_INPUT_H

#include <stddef.h>

#include "git/push.h"

/* The largest pre-receive input accepted (50k refs need about 8 MiB). */
#define PG_HOOK_INPUT_LIMIT ((size_t)64 << 20)

/**
 * Parse pre-receive input: lines of `<old> <new> <ref>`, each id 40 hex
 * digits. A final line without a newline is accepted.
 *
 * @return 0, PG_ENOMEM, or PG_EINVAL naming the line and what is wrong
 *         (64-digit ids get their own message: SHA-256 repositories are
 *         not supported)
 */
int pg_hook_input_parse(struct pg_ref_updates *out, const char *data, size_t len);

/**
 * Read standard input (at most PG_HOOK_INPUT_LIMIT bytes) and parse it.
 * Same returns as pg_hook_input_parse(), plus PG_EIO and PG_ELIMIT.
 */
int pg_hook_input_read(struct pg_ref_updates *out);

/** Parse the update hook's arguments into one update. */
int pg_hook_input_from_args(struct pg_ref_updates *out, const char *ref,
			    const char *old_hex, const char *new_hex);

/** Fill `facts` from Gitea's environment; unknown values stay false/NULL. */
void pg_push_facts_from_env(struct pg_push_facts *facts);

/**
 * The value of push option `name` (from GIT_PUSH_OPTION_<i>), borrowed
 * from the environment; "" for an option given without `=`; NULL when
 * absent.
 */
const char *pg_push_option(const char *name);

#endif
