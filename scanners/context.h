/*
 * context.h - what a finding's surroundings say about how sure it is.
 *
 * Context only lowers a finding's confidence, one step per reason, and
 * records why; it never drops a finding, because the pusher controls
 * every path and byte (a secret in tests/ still leaks).
 */
#ifndef PG_CONTEXT_H
#define PG_CONTEXT_H

#include <stddef.h>

#include "scanners/finding.h"

/**
 * The PG_LOWERED_* reasons that `path` (relative, '/'-separated) gives:
 * test, spec and fixture paths; example, sample and template files;
 * localisation files. 0 for none. Pure; thread-safe.
 */
unsigned int pg_context_path(const char *path);

/**
 * The PG_LOWERED_* reasons the value itself gives: placeholder shapes
 * (`<...>`, `${...}`, `###...###`, `xxxx`, words joined by '_'),
 * password-hash shapes (bcrypt, argon2, crypt(3); bare 32/40/64/128 hex
 * digits when `password_rule`), natural-language text (non-ASCII bytes),
 * well-known defaults (postgres, admin, guest).
 * Pure; thread-safe.
 */
unsigned int pg_context_value(const char *secret, size_t len, bool password_rule);

/**
 * Lower `f` for its path and its value (pg_finding_lower() per reason).
 * Called where findings are made, before they are reported.
 */
void pg_context_assess(struct pg_finding *f);

#endif
