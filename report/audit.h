/*
 * audit.h - the audit log: one JSON object a line for every rejected
 * and every bypassed push, and for every push that pushgate:allow let in.
 *
 * Records who, where, which refs, which checks and rule ids and the
 * fingerprints of found secrets; never a secret.
 */
#ifndef PG_AUDIT_H
#define PG_AUDIT_H

#include <stddef.h>

#include "policy/ref_check.h"
#include "policy/verdict.h"
#include "scanners/finding.h"

struct pg_audit_event {
	const char *event;                   /* "reject", "bypass" or "allow" (findings that
						pushgate:allow kept out of an accepted push) */
	const char *hook;                    /* "pre-receive", "update", ... */
	const struct pg_push_facts *facts;
	const char *git_dir;                 /* the repository's path */
	const struct pg_ref_update *updates;
	size_t updates_len;
	const struct pg_verdict *verdict;    /* may be NULL */
	const struct pg_findings *findings;  /* may be NULL */
	const char *reason;                  /* bypass reason; may be NULL */
};

/**
 * Append one event to the file at `path`, created 0600 if missing and
 * never through a symbolic link. The line is written with one write(2)
 * so concurrent hooks do not interleave.
 *
 * @return 0, PG_EIO or PG_ENOMEM (the caller reports it; a push's
 *         verdict never depends on it)
 */
int pg_audit_append(const char *path, const struct pg_audit_event *event);

#endif
