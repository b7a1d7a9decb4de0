/*
 * ref_check.h - decide what the policy says about one ref update.
 *
 * Pure decisions over the repository's graph (libgit2); reading hook
 * input and printing belong to hooks/. Nothing here writes to the
 * repository.
 */
#ifndef PG_REF_CHECK_H
#define PG_REF_CHECK_H

#include <stdbool.h>

#include <git2.h>

#include "git/push.h"
#include "policy/policy.h"
#include "policy/verdict.h"

/**
 * Check one ref update against the policy and append every problem to
 * `verdict`.
 *
 * @param repo opened with GIT_REPOSITORY_OPEN_FROM_ENV so quarantined
 *        objects are visible; borrowed
 * @return 0 (whatever was found), or a negative PG_E* code when the
 *         check itself could not run (the caller must reject)
 */
int pg_ref_check(struct pg_verdict *verdict, git_repository *repo,
		 const struct pg_policy *policy, const struct pg_push_facts *facts,
		 const struct pg_ref_update *update);

/**
 * Would creating branch `branch` (without refs/heads/) pass the policy's
 * naming rules? Appends a "branch-name" violation to `verdict` if not;
 * needs no repository (the pre-commit hook warns early with it).
 *
 * @return 0 or a negative PG_E* code
 */
int pg_ref_check_branch_name(struct pg_verdict *verdict, const struct pg_policy *policy,
			     const char *branch);

#endif
