/*
 * push_check.c - evaluate a push: ref policy, then secrets in the lines
 * it adds; print the verdict, audit rejections and bypasses.
 *
 * Push options reach pre-receive only, and git runs the update hook for
 * each ref right after an accepted pre-receive. So pre-receive leaves a
 * single-use "already decided" token per accepted ref update in
 * $GIT_DIR/pushgate-accepted/, and the update hook that finds one
 * accepts at once: a bypass holds, and nothing is scanned twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/sha1.h"
#include "common/text.h"
#include "git/git_changes.h"
#include "hooks/push_check.h"
#include "policy/policy.h"
#include "policy/push_rules.h"
#include "policy/ref_check.h"
#include "policy/verdict.h"
#include "report/audit.h"
#include "scanners/engine.h"
#include "scanners/git_scan.h"
#include "scanners/rules.h"
#include "scanners/workflow.h"

/* A token older than this is stale (the push it belonged to died). */
#define TOKEN_SECONDS 600

/* Findings printed in full; the rest are counted. */
#define MAX_SHOWN_FINDINGS 10

#define TOKEN_DIR "pushgate-accepted"

struct push {
	git_repository *repo;
	struct pg_policy *policy;
	struct pg_push_facts facts;
	const struct pg_ref_updates *updates;
	enum pg_hook_kind kind;
	struct pg_git_published pub;    /* what walks over the new commits hide */
	struct pg_verdict verdict;      /* ref policy problems */
	struct pg_git_scan scan;        /* secrets in the added lines */
	struct pg_rules *rules;         /* findings borrow their rules from here */
	struct pg_scanner *scanner;
};

/* GITDIR/pushgate-accepted/<SHA-1 of "OLD NEW REF">: one update's token. */
static int token_path(struct pg_buf *out, const char *gitdir, const char *oldhex,
		      const char *newhex, const char *ref)
{
	struct pg_buf key = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	unsigned char digest[PG_SHA1_LEN];
	char hex[PG_SHA1_HEX_LEN + 1];
	size_t n = strlen(gitdir);
	int error;

	if ((error = pg_buf_printf(&key, "%s %s %s", oldhex, newhex, ref)) < 0)
		goto out;
	pg_sha1_blob(digest, key.ptr, key.size);
	pg_sha1_hex(hex, digest);
	error = pg_buf_printf(out, "%s%s" TOKEN_DIR "/%s", gitdir,
			      n && gitdir[n - 1] == '/' ? "" : "/", hex);
out:
	pg_buf_release(&key);
	return error;
}

static int token_path_of(struct pg_buf *out, git_repository *repo, const struct pg_ref_update *u)
{
	char oldhex[GIT_OID_HEXSZ + 1], newhex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(oldhex, sizeof(oldhex), &u->old_id);
	git_oid_tostr(newhex, sizeof(newhex), &u->new_id);
	return token_path(out, git_repository_path(repo), oldhex, newhex, u->ref);
}

static int tokens_write(git_repository *repo, const struct pg_ref_updates *updates)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;
	int fd, error;

	if ((error = pg_buf_printf(&path, "%s" TOKEN_DIR, git_repository_path(repo))) < 0)
		goto out;
	if (mkdir(path.ptr, 0700) < 0 && errno != EEXIST) {
		error = pg_error_set(PG_EIO, "%s: %s", path.ptr, strerror(errno));
		goto out;
	}
	for (i = 0; i < updates->len; i++) {
		pg_buf_clear(&path);
		if ((error = token_path_of(&path, repo, &updates->items[i])) < 0)
			goto out;
		(void)unlink(path.ptr);
		fd = open(path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			error = pg_error_set(PG_EIO, "%s: %s", path.ptr, strerror(errno));
			goto out;
		}
		close(fd);
	}
out:
	pg_buf_release(&path);
	return error;
}

/* 1 if the token at `path` was fresh (it is used up either way). */
static int token_take_path(const char *path)
{
	struct stat st;
	int found = 0;

	if (lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		found = time(NULL) - st.st_mtime < TOKEN_SECONDS;
		(void)unlink(path);
	}
	return found;
}

/* 1 if pre-receive already accepted this very update. */
static int token_take(git_repository *repo, const struct pg_ref_update *u)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = token_path_of(&path, repo, u)) == 0)
		error = token_take_path(path.ptr);
	pg_buf_release(&path);
	return error;
}

static bool is_full_hex_id(const char *s)
{
	unsigned char id[PG_SHA1_LEN];

	return pg_sha1_from_hex(id, s) && s[PG_SHA1_HEX_LEN] == '\0';
}

int pg_push_token_take(const char *ref, const char *oldhex, const char *newhex)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *gitdir = getenv("GIT_DIR");
	int error;

	/* Only git's own spelling of the ids: anything else takes the full path. */
	if (!gitdir || !*gitdir || !is_full_hex_id(oldhex) || !is_full_hex_id(newhex))
		return 0;
	if ((error = token_path(&path, gitdir, oldhex, newhex, ref)) == 0)
		error = token_take_path(path.ptr);
	pg_buf_release(&path);
	return error;
}

static void put_user(struct pg_buf *out, const char *pusher)
{
	if (pg_buf_put_name(out, pusher ? pusher : "(unknown user)") < 0)
		pg_buf_puts(out, "(name cannot be shown)");
}

static int load_scanner(struct push *p)
{
	struct pg_scanner_opts opts = { NULL };

	return pg_scanner_load(&p->rules, &p->scanner, p->policy->secrets.rules, &opts);
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
	error = pg_git_scan_object(&p->scan, p->scanner, p->repo, git_object_id(target), ref,
				   only_in, p->policy->secrets.max_blob_size);
out:
	git_object_free(target);
	return error;
}

/* With secrets.inline_allow: ignore, what pushgate:allow kept out counts like any finding. */
static int refuse_inline_allows(struct push *p)
{
	struct pg_findings *allowed = &p->scan.allowed;
	size_t i;
	int error = 0;

	for (i = 0; !error && i < allowed->len; i++) {
		const struct pg_finding *f = &allowed->items[i];

		error = pg_findings_add(&p->scan.findings, f->rule, f->path, f->commit, f->line,
					f->column, f->secret, f->secret_len);
		if (!error) {
			struct pg_finding *copy = &p->scan.findings.items[p->scan.findings.len - 1];

			copy->binary = f->binary;
			copy->offset = f->offset;
			copy->confidence = f->confidence;
			copy->lowered = f->lowered;
		}
	}
	pg_findings_clear(allowed);
	pg_findings_sort(&p->scan.findings);
	return error;
}

/*
 * A rule whose confirmation hit PCRE2's match or depth limit may have
 * missed a secret: that is a rejection (fail closed), never a pass.
 */
static int check_limit_hits(struct push *p)
{
	const struct pg_scan_stats *st = &p->scan.stats;
	size_t i;
	int error;

	for (i = 0; st->rules && i < st->limit_hits_len; i++) {
		if (!st->limit_hits[i])
			continue;
		if ((error = pg_verdict_add(&p->verdict, "(secret scan)", "scan-limit",
					    PG_SEVERITY_REJECT,
					    "forward this to your administrator: the rule's pattern "
					    "needs fixing (pushgate rules check)",
					    "rule '%s' could not finish on this push (PCRE2 limit "
					    "hit %llu times), so it may have missed a secret",
					    st->rules->rules[i].id,
					    (unsigned long long)st->limit_hits[i])) < 0)
			return error;
	}
	return 0;
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
	    (error = pg_git_scan_tag_messages(&p->scan, p->scanner, p->repo, &u->new_id,
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

/*
 * Scan what this push brings: the commits it makes reachable that no ref
 * reached before (their messages and the content they add), and the
 * tags, trees and blobs its refs point at.
 */
static int scan_secrets(struct push *p)
{
	struct pg_git_changes_opts opts = { p->policy->secrets.max_blob_size, 0, true };
	git_revwalk *walk = NULL;
	git_odb *only_in = NULL;
	size_t i, pushed = 0;
	int error = 0;

	if (!p->policy->secrets.scan || p->facts.internal)
		return 0;
	for (i = 0; i < p->updates->len && p->updates->items[i].new_zero; i++)
		;
	if (i == p->updates->len)
		return 0; /* only deletions: nothing to scan */
	p->scan.report_allowed = true;
	if ((error = load_scanner(p)) < 0 || (error = quarantine_open(&only_in)) < 0)
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
	if (pushed && (error = pg_git_published_hide(&p->pub, walk)) == 0)
		error = pg_git_scan_walk(&p->scan, p->scanner, p->repo, walk, &opts);
	if (error == 0 && !p->policy->secrets.inline_allow)
		error = refuse_inline_allows(p);
out:
	if (error == 0)
		error = check_limit_hits(p);
	git_odb_free(only_in);
	git_revwalk_free(walk);
	return error;
}

static size_t secret_rejections(const struct push *p)
{
	size_t n = 0;

	size_t i;

	for (i = 0; i < p->scan.findings.len; i++)
		if (pg_policy_secret_action(p->policy, p->scan.findings.items[i].confidence) ==
		    PG_SEVERITY_REJECT)
			n++;
	if (p->policy->secrets.too_large == PG_SEVERITY_REJECT)
		n += p->scan.too_large.len;
	return n;
}

/* "path:line:col in abc1234" (a binary blob: "path (byte N) in ..."), escaped. */
static void put_location(struct pg_buf *line, const struct pg_finding *f)
{
	char sid[8];

	pg_buf_put_name(line, f->path);
	if (f->binary)
		pg_buf_printf(line, " (binary, byte %zu) in ", f->offset);
	else
		pg_buf_printf(line, ":%zu:%zu in ", f->line, f->column);
	/* A commit id is shortened; a tag's name (tree or blob tags) is shown whole. */
	if (f->commit && strlen(f->commit) == GIT_OID_HEXSZ) {
		snprintf(sid, sizeof(sid), "%.7s", f->commit);
		pg_buf_puts(line, sid);
	} else {
		pg_buf_put_name(line, f->commit ? f->commit : "?");
	}
}

/* The comment that allows a finding where it is, or NULL where it cannot be inline. */
static const char *allow_hint(const struct pg_finding *f)
{
	if (!strcmp(f->path, PG_GIT_COMMIT_MESSAGE) || !strcmp(f->path, PG_GIT_TAG_MESSAGE))
		return "reword the message (git commit --amend, git rebase -i)";
	if (f->binary)
		return "a binary file cannot carry pushgate:allow: take the secret out of it";
	return "add the comment pushgate:allow on that line";
}

static void print_findings(const struct push *p, bool rejected, bool bypassed)
{
	const struct pg_findings *f = &p->scan.findings;
	struct pg_buf line = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *mark;
	size_t i;

	if (!f->len)
		return;
	fprintf(stderr, "  secrets in the pushed commits (%zu):\n", f->len);
	for (i = 0; i < f->len && i < MAX_SHOWN_FINDINGS; i++) {
		mark = pg_policy_secret_action(p->policy, f->items[i].confidence) == PG_SEVERITY_WARN
			       ? "! warning" : bypassed ? "! bypassed" : "x";
		pg_buf_clear(&line);
		pg_buf_printf(&line, "    %s [%s] ", mark, f->items[i].rule->id);
		put_location(&line, &f->items[i]);
		pg_buf_puts(&line, ": ");
		pg_buf_put_redacted(&line, f->items[i].secret, f->items[i].secret_len);
		pg_buf_printf(&line, " (confidence %s", pg_confidence_name(f->items[i].confidence));
		if (f->items[i].lowered) {
			pg_buf_puts(&line, ": ");
			pg_finding_lowered_put(&line, f->items[i].lowered);
		}
		pg_buf_puts(&line, ")");
		if (pg_workflow_path_matches(f->items[i].path))
			pg_buf_puts(&line, " (in a CI workflow file: use ${{ secrets.NAME }})");
		fprintf(stderr, "%s\n", line.ptr);
	}
	if (f->len > MAX_SHOWN_FINDINGS)
		fprintf(stderr, "    ... and %zu more\n", f->len - MAX_SHOWN_FINDINGS);
	if (rejected) {
		fprintf(stderr, "      fix: remove it from the commits that add it (git commit --amend, "
			"git rebase -i or git reset), rotate the credential, push again\n");
		fprintf(stderr, "      not a secret? %s\n", allow_hint(&f->items[0]));
	}
	pg_buf_release(&line);
}

/* What pushgate:allow let through is said, never silent (and audited). */
static void print_allowed(const struct push *p)
{
	const struct pg_findings *f = &p->scan.allowed;
	struct pg_buf line = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;

	if (!f->len)
		return;
	fprintf(stderr, "pushgate: %zu finding%s allowed by pushgate:allow comments%s:\n", f->len,
		f->len == 1 ? "" : "s", p->policy->audit_log ? " (recorded in the audit log)" : "");
	for (i = 0; i < f->len && i < MAX_SHOWN_FINDINGS; i++) {
		pg_buf_clear(&line);
		pg_buf_printf(&line, "    ~ allowed [%s] ", f->items[i].rule->id);
		put_location(&line, &f->items[i]);
		pg_buf_printf(&line, " (fingerprint %.12s)", f->items[i].fingerprint);
		fprintf(stderr, "%s\n", line.ptr);
	}
	if (f->len > MAX_SHOWN_FINDINGS)
		fprintf(stderr, "    ... and %zu more\n", f->len - MAX_SHOWN_FINDINGS);
	pg_buf_release(&line);
}

static void print_too_large(const struct push *p, bool rejected)
{
	const struct pg_strlist *big = &p->scan.too_large;
	size_t i;

	if (!big->len)
		return;
	fprintf(stderr, "  files too large to scan for secrets (limit %zu bytes):\n",
		p->policy->secrets.max_blob_size);
	for (i = 0; i < big->len && i < MAX_SHOWN_FINDINGS; i++)
		fprintf(stderr, "    %s %s\n", p->policy->secrets.too_large == PG_SEVERITY_WARN ?
			"! warning" : "x", big->items[i]);
	if (rejected)
		fprintf(stderr, "      fix: keep large files out of git (Git LFS), or ask an administrator "
			"to raise secrets.max_blob_size\n");
}

static void print_outcome(const struct push *p, bool rejected, bool bypassed)
{
	size_t problems = p->verdict.len + p->scan.findings.len + p->scan.too_large.len;
	size_t rejections = pg_verdict_rejections(&p->verdict) + secret_rejections(p);

	if (!problems)
		return;
	if (rejected)
		fprintf(stderr, "pushgate: push rejected: %zu problem%s (policy: %s)\n", rejections,
			rejections == 1 ? "" : "s", p->policy->source);
	else
		fprintf(stderr, "pushgate: push accepted with %zu warning%s (policy: %s)\n",
			problems, problems == 1 ? "" : "s", p->policy->source);
	pg_verdict_print(stderr, &p->verdict, bypassed);
	print_findings(p, rejected, bypassed);
	print_too_large(p, rejected);
	if (rejected)
		fprintf(stderr, "pushgate: nothing was updated; fix the problems above and push again\n");
}

/* Append the event to the policy's audit log; 0, or -1 when it could not be written. */
static int audit(const struct push *p, const char *event, const char *reason)
{
	const char *hook = p->kind == PG_HOOK_PRE_RECEIVE ? "pre-receive" : "update";
	bool allow = !strcmp(event, "allow");
	struct pg_audit_event ev = {
		event, hook, &p->facts, git_repository_path(p->repo), p->updates->items,
		p->updates->len, allow ? NULL : &p->verdict,
		allow ? &p->scan.allowed : &p->scan.findings, reason
	};

	if (!p->policy->audit_log)
		return 0;
	if (pg_audit_append(p->policy->audit_log, &ev) < 0) {
		fprintf(stderr, "pushgate: warning: could not write the audit log: %s\n",
			pg_error_last());
		return -1;
	}
	return 0;
}

static void print_bypass(const struct push *p, const char *reason)
{
	struct pg_buf who = PG_BUF_INIT(1024), why = PG_BUF_INIT(1024);

	put_user(&who, p->facts.pusher);
	pg_buf_put_escaped(&why, reason, strlen(reason) > 200 ? 200 : strlen(reason));
	fprintf(stderr, "pushgate: policy bypassed by %s, reason: %s%s\n", who.ptr, why.ptr,
		p->policy->audit_log ? " (recorded in the audit log)" : " (no audit_log is set)");
	pg_buf_release(&who);
	pg_buf_release(&why);
}

/*
 * A requested bypass: 1 authorised, 0 refused (and said why). Only the
 * pre-receive hook sees push options.
 */
static int bypass_decide(const struct push *p, const char *reason)
{
	struct pg_buf who = PG_BUF_INIT(1024);
	int allowed = 0;

	put_user(&who, p->facts.pusher);
	if (!*reason) {
		fprintf(stderr, "pushgate: a bypass needs a reason: git push -o %s=\"why\"\n",
			PG_BYPASS_OPTION);
	} else if (!pg_policy_is_bypass_user(p->policy, p->facts.pusher)) {
		fprintf(stderr, "pushgate: %s may not bypass the policy; ask an administrator "
			"listed under bypass.users\n", who.ptr);
	} else {
		allowed = 1;
	}
	pg_buf_release(&who);
	return allowed;
}

static int push_open(struct push *p)
{
	if (git_repository_open_ext(&p->repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0)
		return pg_error_set_git("opening the repository");
	pg_push_facts_from_env(&p->facts);
	return 0;
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
	pg_git_published_init(&p->pub, p->repo, tips, n);
	return 0;
}

static int push_evaluate(struct push *p)
{
	size_t i;
	int error;

	if ((error = published_init(p)) < 0)
		return error;
	for (i = 0; i < p->updates->len; i++)
		if ((error = pg_ref_check(&p->verdict, p->repo, p->policy, &p->facts,
					  &p->updates->items[i])) < 0 ||
		    (error = pg_push_rules_check(&p->verdict, p->repo, p->policy, &p->facts,
						 &p->pub, &p->updates->items[i])) < 0)
			return error;
	return scan_secrets(p);
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
	if ((error = push_open(&p)) < 0)
		goto out;
	if (kind == PG_HOOK_UPDATE) {
		if ((error = token_take(p.repo, &updates->items[0])) < 0)
			goto out;
		if (error == 1) {
			error = 0; /* pre-receive already accepted this very update */
			goto out;
		}
	}
	if ((error = pg_policy_load_effective(&p.policy, config, git_repository_path(p.repo))) < 0)
		goto out;
	if ((error = push_evaluate(&p)) < 0)
		goto out;

	rejected = pg_verdict_rejections(&p.verdict) + secret_rejections(&p) > 0;
	if (rejected && kind == PG_HOOK_PRE_RECEIVE)
		reason = pg_push_option(PG_BYPASS_OPTION);
	if (rejected && reason && bypass_decide(&p, reason)) {
		/* A bypass that leaves no audit record does not happen. */
		if (audit(&p, "bypass", reason) == 0) {
			bypassed = true;
			rejected = false;
			print_bypass(&p, reason);
		} else {
			fprintf(stderr, "pushgate: the bypass was refused because it could not be "
				"recorded in the audit log\n");
		}
	}
	print_outcome(&p, rejected, bypassed);
	print_allowed(&p);
	if (rejected)
		(void)audit(&p, "reject", reason);
	else if (p.scan.allowed.len)
		(void)audit(&p, "allow", NULL);
	if (!rejected && kind == PG_HOOK_PRE_RECEIVE && (error = tokens_write(p.repo, updates)) < 0)
		goto out;
	error = rejected ? 1 : 0;
out:
	pg_git_scan_clear(&p.scan);
	pg_git_published_clear(&p.pub);
	pg_scanner_free(p.scanner);
	pg_rules_free(p.rules);
	pg_verdict_clear(&p.verdict);
	pg_policy_free(p.policy);
	git_repository_free(p.repo);
	return error;
}
