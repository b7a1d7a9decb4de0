/*
 * push_check.c - what both server hooks do with a push: evaluate it
 * (policy/evaluate.h), apply an authorised bypass, tell the pusher,
 * audit, and leave pre-receive's tokens for the update hook
 * (push_token.h).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "hooks/hook_input.h"
#include "hooks/push_check.h"
#include "hooks/push_token.h"
#include "policy/evaluate.h"
#include "policy/policy.h"
#include "report/audit.h"
#include "report/push_text.h"

struct push {
	git_repository *repo;
	struct pg_policy *policy;
	struct pg_push_facts facts;
	const struct pg_ref_updates *updates;
	enum pg_hook_kind kind;
	struct pg_evaluation ev;
};

/* Append the event to the policy's audit log; 0, or -1 when it could not be written. */
static int audit(const struct push *p, const char *event, const char *reason)
{
	const char *hook = p->kind == PG_HOOK_PRE_RECEIVE ? "pre-receive" : "update";
	bool allow = !strcmp(event, "allow");
	struct pg_audit_event ev = {
		event, hook, &p->facts, git_repository_path(p->repo), p->updates->items,
		p->updates->len, allow ? NULL : &p->ev.verdict,
		allow ? &p->ev.scan.allowed : &p->ev.scan.findings, reason
	};

	if (!p->policy->audit_log)
		return 0;
	if (pg_audit_append(p->policy->audit_log, &ev) < 0) {
		pg_push_text_audit_failed(stderr, pg_error_last());
		return -1;
	}
	return 0;
}

/*
 * A rejected push's bypass, when pre-receive was asked for one (only it
 * sees push options): 1 when it holds, 0 when refused (and said why).
 */
static int bypass_apply(const struct push *p, const char *reason)
{
	enum pg_bypass_answer why = pg_evaluation_bypass(p->policy, p->facts.pusher, reason);

	if (why != PG_BYPASS_GRANTED) {
		pg_push_text_bypass_refused(stderr, why, p->facts.pusher);
		return 0;
	}
	/* A bypass that leaves no audit record does not happen. */
	if (audit(p, "bypass", reason) < 0) {
		pg_push_text_bypass_refused(stderr, PG_BYPASS_UNRECORDED, p->facts.pusher);
		return 0;
	}
	pg_push_text_bypassed(stderr, p->policy, p->facts.pusher, reason);
	return 1;
}

int pg_push_check(const struct pg_ref_updates *updates, const char *config,
		  enum pg_hook_kind kind)
{
	struct push p;
	const char *reason = NULL;
	bool rejected, bypassed = false;
	int error;

	memset(&p, 0, sizeof(p));
	p.updates = updates;
	p.kind = kind;
	if (!updates->len)
		return 0;
	if (git_repository_open_ext(&p.repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0) {
		error = pg_error_set_git("opening the repository");
		goto out;
	}
	pg_push_facts_from_env(&p.facts);
	if (kind == PG_HOOK_UPDATE) {
		if ((error = pg_push_token_take_update(p.repo, &updates->items[0])) < 0)
			goto out;
		if (error == 1) {
			error = 0; /* pre-receive already accepted this very update */
			goto out;
		}
	}
	if ((error = pg_policy_load_effective(&p.policy, config, git_repository_path(p.repo))) < 0 ||
	    (error = pg_evaluate_push(&p.ev, p.repo, p.policy, &p.facts, updates)) < 0)
		goto out;

	rejected = p.ev.rejections > 0;
	if (rejected && kind == PG_HOOK_PRE_RECEIVE)
		reason = pg_push_option(PG_BYPASS_OPTION);
	if (rejected && reason && bypass_apply(&p, reason)) {
		bypassed = true;
		rejected = false;
	}
	pg_push_text_outcome(stderr, &p.ev, rejected, bypassed);
	pg_push_text_allowed(stderr, &p.ev);
	if (rejected)
		(void)audit(&p, "reject", reason);
	else if (p.ev.scan.allowed.len)
		(void)audit(&p, "allow", NULL);
	if (!rejected && kind == PG_HOOK_PRE_RECEIVE && (error = pg_push_tokens_write(p.repo, updates)) < 0)
		goto out;
	error = rejected ? 1 : 0;
out:
	pg_evaluation_clear(&p.ev);
	pg_policy_free(p.policy);
	git_repository_free(p.repo);
	return error;
}
