/*
 * push_text.h - what the hooks tell the person pushing or committing.
 *
 * The server hooks' lines reach the pusher as `remote:` lines: short,
 * grouped by ref, each problem followed by how to fix it. Every name
 * the pusher chose (refs, paths, users) is escaped and masked, and a
 * secret is only ever shown redacted.
 */
#ifndef PG_PUSH_TEXT_H
#define PG_PUSH_TEXT_H

#include <stdbool.h>
#include <stdio.h>

#include "policy/evaluate.h"
#include "policy/verdict.h"

/**
 * Print the violations grouped by ref (in order of first appearance),
 * `x` for rejections and `!` for warnings, each with its fix. With
 * `bypassed`, rejections are shown as bypassed warnings.
 */
void pg_verdict_print(FILE *out, const struct pg_verdict *verdict, bool bypassed);

/**
 * A push's outcome: the headline (rejected, or accepted with warnings),
 * the ref problems, the secrets and the files too large to scan, and
 * what to do. Nothing when the push has no problem.
 */
void pg_push_text_outcome(FILE *out, const struct pg_evaluation *ev, bool rejected,
			  bool bypassed);

/** The findings pushgate:allow or .pushgateignore let through: said, never silent. */
void pg_push_text_allowed(FILE *out, const struct pg_evaluation *ev);

/** Why a requested bypass was refused (`why` is not PG_BYPASS_GRANTED). */
void pg_push_text_bypass_refused(FILE *out, enum pg_bypass_answer why, const char *pusher);

/** The audit log could not be written (`why`: the error); the verdict stands. */
void pg_push_text_audit_failed(FILE *out, const char *why);

/** A granted bypass, by whom and why. */
void pg_push_text_bypassed(FILE *out, const struct pg_policy *policy, const char *pusher,
			   const char *reason);

/** A commit's outcome (pre-commit): branch-name warnings, then secrets. */
void pg_commit_text_outcome(FILE *out, const struct pg_evaluation *ev);

#endif
