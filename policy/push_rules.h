/*
 * push_rules.h - the files: and commits: rules applied to a branch
 * update (file sizes, forbidden names, protected paths; commit messages,
 * e-mail addresses, sign-off, commit count).
 */
#ifndef PG_PUSH_RULES_H
#define PG_PUSH_RULES_H

#include <git2.h>

#include "git/git_published.h"
#include "policy/policy.h"
#include "policy/ref_check.h"
#include "policy/verdict.h"

/* Problems of one kind listed per ref; the rest are counted. */
#define PG_PUSH_RULES_MAX_LISTED 10

/**
 * Check one ref update against every files: and commits: entry whose
 * branch globs match. Branches only; deletions, Gitea's internal pushes
 * and wikis are not checked.
 *
 * @param pub what walks over the push's new commits hide, shared by
 *        the push's walks (pg_git_published_init())
 * @return 0 (whatever was found), or a negative PG_E* code when the
 *         check could not run (the caller rejects)
 */
int pg_push_rules_check(struct pg_verdict *verdict, git_repository *repo,
			const struct pg_policy *policy, const struct pg_push_facts *facts,
			struct pg_git_published *pub, const struct pg_ref_update *update);

#endif
