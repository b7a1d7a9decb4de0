/*
 * verdict.h - what the checks found about a push, ready to print.
 *
 * Checks append violations; the hook prints them grouped by ref and
 * rejects the push when any has severity reject. Messages are stored
 * already escaped: they quote ref names that came from the pusher.
 */
#ifndef PG_VERDICT_H
#define PG_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "policy/policy.h"

struct pg_violation {
	char *ref;        /* owned: the ref, unescaped (for grouping) */
	const char *check;/* static name of the check, e.g. "direct-push" */
	char *message;    /* owned, safe to print: what is wrong */
	char *fix;        /* owned, safe to print: how to fix it; may be NULL */
	enum pg_severity severity;
};

struct pg_verdict {
	struct pg_violation *items; /* owned, in the order found */
	size_t len;
	size_t alloc;
};

/**
 * Append a violation. `fmt` and the arguments make the message; callers
 * pass names through pg_buf_puts_escaped() first.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_verdict_add(struct pg_verdict *verdict, const char *ref, const char *check,
		   enum pg_severity severity, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/** Number of violations with severity reject. */
size_t pg_verdict_rejections(const struct pg_verdict *verdict);

/** Free every violation; the verdict is left empty. */
void pg_verdict_clear(struct pg_verdict *verdict);

#endif
