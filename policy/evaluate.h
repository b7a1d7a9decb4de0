/*
 * evaluate.h - the one evaluation of what a push, or a commit, brings.
 *
 * Ref policy, push rules, secrets in what is added, files too large to
 * scan and rules that could not finish: each problem is decided here,
 * reject or warn, by the policy, for pre-receive, update and pre-commit
 * alike. The hooks print the result (report/push_text.h), audit it and
 * exit by it; they decide nothing themselves.
 */
#ifndef PG_EVALUATE_H
#define PG_EVALUATE_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

#include "git/git_published.h"
#include "git/push.h"
#include "policy/policy.h"
#include "policy/verdict.h"
#include "scanners/engine.h"
#include "scanners/git_scan.h"
#include "scanners/rules.h"

enum pg_evaluation_kind {
	PG_EVAL_PUSH,   /* a push the server receives */
	PG_EVAL_COMMIT  /* a commit being made: nothing is pushed yet, so names only warn */
};

struct pg_evaluation {
	enum pg_evaluation_kind kind;
	const struct pg_policy *policy; /* borrowed */
	struct pg_verdict verdict;      /* ref, push-rule and scan-limit problems */
	struct pg_git_scan scan;        /* secrets found, allowed inline, files too large */
	enum pg_severity *actions;      /* owned: actions[i] decides scan.findings.items[i] */
	enum pg_severity too_large;     /* what each of scan.too_large does */
	size_t rejections;              /* problems that reject, of every kind */
	size_t problems;                /* every problem, warnings included */
	struct pg_rules *rules;         /* owned: findings borrow their rules from here */
	struct pg_scanner *scanner;     /* owned */
	struct pg_git_published pub;    /* what walks over the pushed commits hide */
};

/**
 * Evaluate a push: every update against the ref policy and the push
 * rules, then the secrets in what the push brings (the commits it makes
 * reachable, their messages, pushed tags' messages, trees and blobs a
 * ref points at directly). Gitea's own internal pushes are not scanned.
 *
 * @param ev zero-initialised; release with pg_evaluation_clear()
 * @param repo opened with GIT_REPOSITORY_OPEN_FROM_ENV so the push's
 *        quarantine is visible; borrowed
 * @return 0 (whatever was found), or a negative PG_E* code when the
 *         evaluation could not finish (the caller rejects: fail closed)
 */
int pg_evaluate_push(struct pg_evaluation *ev, git_repository *repo,
		     const struct pg_policy *policy, const struct pg_push_facts *facts,
		     const struct pg_ref_updates *updates);

/**
 * Evaluate a commit being made: the lines the index adds to HEAD, and
 * whether the current branch's name will be refused at push time (a
 * warning: a commit is not a push). Files too large to scan warn.
 *
 * @return 0 or a negative PG_E* code
 */
int pg_evaluate_staged(struct pg_evaluation *ev, git_repository *repo,
		       const struct pg_policy *policy);

/**
 * How many of `findings` the policy rejects (by their confidence,
 * secrets.confidence); the rest only warn. `scan --config` exits by it.
 */
size_t pg_evaluate_rejected_findings(const struct pg_policy *policy,
				     const struct pg_findings *findings);

enum pg_bypass_answer {
	PG_BYPASS_GRANTED,
	PG_BYPASS_NO_REASON,  /* asked for without saying why */
	PG_BYPASS_NOT_ALLOWED, /* the pusher is not under bypass.users */
	PG_BYPASS_UNRECORDED   /* granted, but the audit log could not record it */
};

/** May `user` bypass the policy with `reason` (the push option's value)? */
enum pg_bypass_answer pg_evaluation_bypass(const struct pg_policy *policy, const char *user,
				    const char *reason);

/** Free what the evaluation owns; it is left zeroed. */
void pg_evaluation_clear(struct pg_evaluation *ev);

#endif
