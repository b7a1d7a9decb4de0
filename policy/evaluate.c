/*
 * evaluate.c - the one evaluation of a push or a commit (evaluate.h).
 *
 * The order is the cost's: ref checks and push rules first (they need
 * only the graph), then the secret scan, which reads what was added.
 * Every decision of reject or warn is taken at the end, in decide(),
 * from the policy, so the hooks only print and exit.
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "git/git_changes.h"
#include "git/oidset.h"
#include "policy/evaluate.h"
#include "policy/push_rules.h"
#include "policy/ref_check.h"
#include "scanners/ignore.h"

/* What the scan of one push needs besides the evaluation itself. */
struct push {
	struct pg_evaluation *ev;
	git_repository *repo;
	const struct pg_push_facts *facts;
	const struct pg_ref_updates *updates;
};

static int scanner_load(struct pg_evaluation *ev)
{
	struct pg_scanner_opts opts = { NULL };

	return pg_scanner_load(&ev->rules, &ev->scanner, ev->policy->secrets.rules, &opts);
}

/*
 * The push's quarantine (its new objects), for scans that must skip
 * what the repository had already; *out stays NULL outside pre-receive.
 */
static int quarantine_open(git_odb **out)
{
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");

	*out = NULL;
	if (quarantine && *quarantine && git_odb_open(out, quarantine) < 0)
		return pg_error_set_git("opening the push's quarantine");
	return 0;
}

/*
 * A ref may point (through tags) at a tree or blob: scan its blobs that
 * this push brings, i.e. the ones in the quarantine.
 */
static int scan_non_commit(struct push *p, git_object *obj, const char *ref, git_odb *only_in)
{
	git_object *target = NULL;
	int error = 0;

	if (git_object_peel(&target, obj, GIT_OBJECT_ANY) < 0 &&
	    git_object_dup(&target, obj) < 0) {
		error = pg_error_set_git("reading a pushed tag");
		goto out;
	}
	if (git_object_type(target) != GIT_OBJECT_TREE && git_object_type(target) != GIT_OBJECT_BLOB)
		goto out;
	error = pg_git_scan_object(&p->ev->scan, p->ev->scanner, p->repo, git_object_id(target),
				   ref, only_in, p->ev->policy->secrets.max_blob_size);
out:
	git_object_free(target);
	return error;
}

/*
 * One pushed ref's object: its tag messages (those the push brings), then
 * its commit into the walk, or its tree or blob scanned whole.
 */
static int scan_pushed_object(struct push *p, git_revwalk *walk, const struct pg_ref_update *u,
			      git_odb *only_in, size_t *pushed)
{
	git_object *obj = NULL, *commit = NULL;
	int error = 0;

	if (git_object_lookup(&obj, p->repo, &u->new_id, GIT_OBJECT_ANY) < 0) {
		error = pg_error_set_git("reading a pushed object");
		goto out;
	}
	if (git_object_type(obj) == GIT_OBJECT_TAG &&
	    (error = pg_git_scan_tag_messages(&p->ev->scan, p->ev->scanner, p->repo, &u->new_id,
					      only_in)) < 0)
		goto out;
	if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0) {
		if (git_revwalk_push(walk, git_object_id(commit)) < 0) {
			error = pg_error_set_git("walking pushed commits");
			goto out;
		}
		(*pushed)++;
	} else {
		error = scan_non_commit(p, obj, u->ref, only_in);
	}
out:
	git_object_free(commit);
	git_object_free(obj);
	return error;
}

static bool only_deletions(const struct pg_ref_updates *updates)
{
	size_t i;

	for (i = 0; i < updates->len; i++)
		if (!updates->items[i].new_zero)
			return false;
	return true;
}

/*
 * What the pushed commits' .pushgateignore files cover is taken out like
 * an inline allow: listed to the pusher, audited, and subject to
 * secrets.inline_allow. Read from the pushed tips, so an entry the push
 * itself adds is one the audit log shows.
 */
static int pushed_ignores_apply(struct push *p)
{
	const struct pg_git_published *pub = &p->ev->pub;
	struct pg_ignore ign = { 0 };
	struct pg_oidset seen = { 0 };
	size_t i;
	int error = 0;

	/* Once a pushed commit (many refs may share one), checked even with no finding. */
	for (i = 0; !error && i < pub->ntips; i++)
		if ((error = pg_oidset_insert(&seen, &pub->tips[i])) > 0)
			error = pg_ignore_load_commit(&ign, p->repo, &pub->tips[i]);
	if (!error && (error = pg_ignore_apply(&ign, &p->ev->scan.findings,
					       &p->ev->scan.allowed)) > 0)
		error = 0;
	pg_oidset_clear(&seen);
	pg_ignore_clear(&ign);
	return error;
}

/*
 * Scan what this push brings: the commits it makes reachable that no ref
 * reached before (their messages and the content they add), and the
 * tags, trees and blobs its refs point at.
 */
static int push_scan(struct push *p)
{
	const struct pg_policy *policy = p->ev->policy;
	struct pg_git_changes_opts opts = { policy->secrets.max_blob_size, 0, true };
	git_revwalk *walk = NULL;
	git_odb *only_in = NULL;
	size_t i, pushed = 0;
	int error = 0;

	if (!policy->secrets.scan || p->facts->internal || only_deletions(p->updates))
		return 0;
	p->ev->scan.report_allowed = true;
	if ((error = scanner_load(p->ev)) < 0 || (error = quarantine_open(&only_in)) < 0)
		goto out;
	if (git_revwalk_new(&walk, p->repo) < 0) {
		error = pg_error_set_git("starting the commit walk");
		goto out;
	}
	for (i = 0; i < p->updates->len; i++)
		if (!p->updates->items[i].new_zero &&
		    (error = scan_pushed_object(p, walk, &p->updates->items[i], only_in,
						&pushed)) < 0)
			goto out;
	if (pushed && (error = pg_git_published_hide(&p->ev->pub, walk)) == 0)
		error = pg_git_scan_walk(&p->ev->scan, p->ev->scanner, p->repo, walk, &opts);
	if (error == 0)
		error = pushed_ignores_apply(p);
out:
	git_odb_free(only_in);
	git_revwalk_free(walk);
	return error;
}

/*
 * The pushed commits, for the walks to share what they hide: each walk
 * hiding every branch and tag was most of a small push's cost.
 */
static int published_init(struct push *p)
{
	git_object *obj = NULL, *commit = NULL;
	git_oid *tips;
	size_t i, n = 0;

	tips = calloc(p->updates->len ? p->updates->len : 1, sizeof(*tips));
	if (!tips)
		return pg_error_oom();
	for (i = 0; i < p->updates->len; i++) {
		const struct pg_ref_update *u = &p->updates->items[i];

		/* A missing object is pg_ref_check()'s to reject, with its name. */
		if (u->new_zero || git_object_lookup(&obj, p->repo, &u->new_id, GIT_OBJECT_ANY) < 0)
			continue;
		if (git_object_peel(&commit, obj, GIT_OBJECT_COMMIT) == 0)
			git_oid_cpy(&tips[n++], git_object_id(commit));
		git_object_free(commit);
		git_object_free(obj);
		commit = obj = NULL;
	}
	pg_git_published_init(&p->ev->pub, p->repo, tips, n);
	return 0;
}

/* With secrets.inline_allow: ignore, what pushgate:allow kept out counts like any finding. */
static int inline_allows_refuse(struct pg_evaluation *ev)
{
	struct pg_findings *allowed = &ev->scan.allowed;
	size_t i;
	int error = 0;

	for (i = 0; !error && i < allowed->len; i++) {
		const struct pg_finding *f = &allowed->items[i];

		error = pg_findings_add(&ev->scan.findings, f->rule, f->path, f->commit, f->line,
					f->column, f->secret, f->secret_len);
		if (!error) {
			struct pg_finding *copy = &ev->scan.findings.items[ev->scan.findings.len - 1];

			copy->binary = f->binary;
			copy->offset = f->offset;
			copy->confidence = f->confidence;
			copy->lowered = f->lowered;
		}
	}
	pg_findings_clear(allowed);
	pg_findings_sort(&ev->scan.findings);
	return error;
}

/*
 * A rule whose confirmation hit PCRE2's match or depth limit may have
 * missed a secret: that is a rejection (fail closed), never a pass.
 */
static int limit_hits_add(struct pg_evaluation *ev)
{
	const struct pg_scan_stats *st = &ev->scan.stats;
	size_t i;
	int error;

	for (i = 0; st->rules && i < st->limit_hits_len; i++) {
		if (!st->limit_hits[i])
			continue;
		if ((error = pg_verdict_add(&ev->verdict, "(secret scan)", "scan-limit",
					    PG_SEVERITY_REJECT,
					    "forward this to your administrator: the rule's pattern "
					    "needs fixing (pushgate rules check)",
					    "rule '%s' could not finish on this %s (PCRE2 limit "
					    "hit %llu times), so it may have missed a secret",
					    st->rules->rules[i].id,
					    ev->kind == PG_EVAL_PUSH ? "push" : "commit",
					    (unsigned long long)st->limit_hits[i])) < 0)
			return error;
	}
	return 0;
}

size_t pg_evaluate_rejected_findings(const struct pg_policy *policy,
				     const struct pg_findings *findings)
{
	size_t i, n = 0;

	for (i = 0; i < findings->len; i++)
		if (pg_policy_secret_action(policy, findings->items[i].confidence) ==
		    PG_SEVERITY_REJECT)
			n++;
	return n;
}

/* Reject or warn, for every problem found; the hooks act on this alone. */
static int decide(struct pg_evaluation *ev)
{
	const struct pg_findings *f = &ev->scan.findings;
	size_t i;
	int error;

	if (!ev->policy->secrets.inline_allow && (error = inline_allows_refuse(ev)) < 0)
		return error;
	if ((error = limit_hits_add(ev)) < 0)
		return error;
	if (f->len && !(ev->actions = calloc(f->len, sizeof(*ev->actions))))
		return pg_error_oom();
	for (i = 0; i < f->len; i++)
		ev->actions[i] = pg_policy_secret_action(ev->policy, f->items[i].confidence);
	ev->rejections = pg_verdict_rejections(&ev->verdict) +
			 pg_evaluate_rejected_findings(ev->policy, f);
	/* A commit is stopped for what it adds, never for a file the server may refuse. */
	ev->too_large = ev->kind == PG_EVAL_PUSH ? ev->policy->secrets.too_large
						 : PG_SEVERITY_WARN;
	if (ev->too_large == PG_SEVERITY_REJECT)
		ev->rejections += ev->scan.too_large.len;
	ev->problems = ev->verdict.len + f->len + ev->scan.too_large.len;
	return 0;
}

int pg_evaluate_push(struct pg_evaluation *ev, git_repository *repo,
		     const struct pg_policy *policy, const struct pg_push_facts *facts,
		     const struct pg_ref_updates *updates)
{
	struct push p = { ev, repo, facts, updates };
	size_t i;
	int error;

	ev->kind = PG_EVAL_PUSH;
	ev->policy = policy;
	if ((error = published_init(&p)) < 0)
		return error;
	for (i = 0; i < updates->len; i++)
		if ((error = pg_ref_check(&ev->verdict, repo, policy, facts,
					  &updates->items[i])) < 0 ||
		    (error = pg_push_rules_check(&ev->verdict, repo, policy, facts, &ev->pub,
						 &updates->items[i])) < 0)
			return error;
	if ((error = push_scan(&p)) < 0)
		return error;
	return decide(ev);
}

/* Would the current branch be refused at push? A warning: a commit is not a push. */
static int branch_name_check(struct pg_evaluation *ev, git_repository *repo)
{
	git_reference *head = NULL;
	const char *target;
	size_t i;
	int error = 0;

	if (git_reference_lookup(&head, repo, "HEAD") < 0)
		return 0;
	target = git_reference_symbolic_target(head);
	if (target && !strncmp(target, "refs/heads/", 11))
		error = pg_ref_check_branch_name(&ev->verdict, ev->policy, target + 11);
	for (i = 0; i < ev->verdict.len; i++)
		ev->verdict.items[i].severity = PG_SEVERITY_WARN;
	git_reference_free(head);
	return error;
}

/* The staged .pushgateignore, as the push will carry it. */
static int staged_ignores_apply(struct pg_evaluation *ev, git_repository *repo)
{
	struct pg_ignore ign = { 0 };
	int error;

	if ((error = pg_ignore_load_index(&ign, repo)) == 0 &&
	    (error = pg_ignore_apply(&ign, &ev->scan.findings, &ev->scan.allowed)) > 0)
		error = 0;
	pg_ignore_clear(&ign);
	return error;
}

int pg_evaluate_staged(struct pg_evaluation *ev, git_repository *repo,
		       const struct pg_policy *policy)
{
	struct pg_git_changes_opts opts = { policy->secrets.max_blob_size, 0, true };
	int error;

	ev->kind = PG_EVAL_COMMIT;
	ev->policy = policy;
	if ((error = branch_name_check(ev, repo)) < 0)
		return error;
	if (policy->secrets.scan) {
		/* A server that ignores pushgate:allow would refuse what it let by. */
		ev->scan.report_allowed = !policy->secrets.inline_allow;
		if ((error = scanner_load(ev)) < 0 ||
		    (error = pg_git_scan_staged(&ev->scan, ev->scanner, repo, &opts)) < 0 ||
		    (error = staged_ignores_apply(ev, repo)) < 0)
			return error;
	}
	return decide(ev);
}

enum pg_bypass_answer pg_evaluation_bypass(const struct pg_policy *policy, const char *user,
				    const char *reason)
{
	if (!*reason)
		return PG_BYPASS_NO_REASON;
	if (!pg_policy_is_bypass_user(policy, user))
		return PG_BYPASS_NOT_ALLOWED;
	return PG_BYPASS_GRANTED;
}

void pg_evaluation_clear(struct pg_evaluation *ev)
{
	pg_git_scan_clear(&ev->scan);
	pg_git_published_clear(&ev->pub);
	pg_scanner_free(ev->scanner);
	pg_rules_free(ev->rules);
	pg_verdict_clear(&ev->verdict);
	free(ev->actions);
	memset(ev, 0, sizeof(*ev));
}
