/*
 * push_rules.c - files:, commits: and workflows: rules for one branch
 * update.
 *
 * Files are judged by what the update changes on the branch (old tree to
 * new tree; for a new branch, its commits new to the repository), so a
 * fast-forward that brings a forbidden file into main is caught even
 * though its commits were pushed before. Commits are judged only when
 * they enter the repository, so a merge does not re-judge old work.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "git/git_changes.h"
#include "policy/push_rules.h"
#include "scanners/workflow.h"

struct rules_check {
	struct pg_verdict *verdict;
	git_repository *repo;
	git_odb *odb;
	const struct pg_policy *policy;
	const struct pg_push_facts *facts;
	const struct pg_ref_update *update;
	const char *branch;
	struct pg_buf shown;             /* the branch, escaped */
	const struct pg_file_rule **files;
	size_t files_len;
	const struct pg_commit_rule **commits;
	size_t commits_len;
	size_t listed[8];                /* problems listed so far, per counter */
	size_t unlisted[8];              /* and the ones only counted */
	bool unlisted_reject[8];         /* one of those was a rejection */
	size_t new_commits;
};

enum counter {
	COUNT_FILE_SIZE, COUNT_FILE_NAME, COUNT_PROTECTED, COUNT_MESSAGE,
	COUNT_MESSAGE_REJECT, COUNT_EMAIL, COUNT_SIGNOFF, COUNT_KINDS
};

static const char *const counter_checks[COUNT_KINDS] = {
	"file-size", "file-name", "protected-path", "commit-message", "commit-message",
	"commit-email", "signed-off"
};

/* Add a violation unless this kind already listed enough; then only count. */
static int add(struct rules_check *c, enum counter kind, enum pg_severity severity,
	       const char *fix, const struct pg_buf *message)
{
	if (c->listed[kind] >= PG_PUSH_RULES_MAX_LISTED) {
		c->unlisted[kind]++;
		c->unlisted_reject[kind] |= severity == PG_SEVERITY_REJECT;
		return 0;
	}
	c->listed[kind]++;
	return pg_verdict_add(c->verdict, c->update->ref, counter_checks[kind], severity, fix,
			      "%s", message->ptr);
}

static int add_unlisted_counts(struct rules_check *c)
{
	size_t k;
	int error;

	for (k = 0; k < COUNT_KINDS; k++)
		if (c->unlisted[k] &&
		    (error = pg_verdict_add(c->verdict, c->update->ref, counter_checks[k],
					    c->unlisted_reject[k] ? PG_SEVERITY_REJECT : PG_SEVERITY_WARN,
					    NULL, "... and %zu more like this",
					    c->unlisted[k])) < 0)
			return error;
	return 0;
}

static void human_size(char *out, size_t len, size_t bytes)
{
	if (bytes >= (size_t)1 << 20)
		snprintf(out, len, "%.1f MiB", (double)bytes / (1 << 20));
	else if (bytes >= 1024)
		snprintf(out, len, "%.1f KiB", (double)bytes / 1024);
	else
		snprintf(out, len, "%zu bytes", bytes);
}

static int check_size(struct rules_check *c, const struct pg_file_rule *rule,
		      const struct pg_changed_file *f, size_t size, struct pg_buf *msg)
{
	char have[32], limit[32];
	int error;

	if (!rule->max_file_size || size <= rule->max_file_size)
		return 0;
	human_size(have, sizeof(have), size);
	human_size(limit, sizeof(limit), rule->max_file_size);
	pg_buf_clear(msg);
	if ((error = pg_buf_put_name(msg, f->path)) < 0 ||
	    (error = pg_buf_printf(msg, " is %s, over the %s limit for '%s'", have, limit,
				   c->shown.ptr)) < 0)
		return error;
	return add(c, COUNT_FILE_SIZE, rule->severity,
		   "keep large files out of git (use Git LFS), then push again", msg);
}

static int check_name(struct rules_check *c, const struct pg_file_rule *rule,
		      const struct pg_changed_file *f, struct pg_buf *msg)
{
	int error;

	if (!pg_strlist_glob_match_path(&rule->forbidden_names, f->path) ||
	    pg_strlist_glob_match_path(&rule->allowed_names, f->path))
		return 0;
	pg_buf_clear(msg);
	if ((error = pg_buf_put_name(msg, f->path)) < 0 ||
	    (error = pg_buf_puts(msg, ": key and credential files must not be committed")) < 0)
		return error;
	return add(c, COUNT_FILE_NAME, rule->severity,
		   "remove it from the commits (git rm --cached FILE, amend or rebase), add it to "
		   ".gitignore, and rotate what it holds", msg);
}

static int check_protected(struct rules_check *c, const struct pg_file_rule *rule,
			   const struct pg_changed_file *f, struct pg_buf *msg)
{
	const struct pg_protected_paths *pp;
	struct pg_buf fix = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i, u;
	int error = 0;

	for (i = 0; i < rule->protected_paths_len && !error; i++) {
		pp = &rule->protected_paths[i];
		if (!pg_strlist_glob_match_path(&pp->paths, f->path) &&
		    !pg_strlist_glob_match_path(&pp->paths, f->old_path))
			continue;
		if (c->facts->pusher && pg_strlist_contains(&pp->users, c->facts->pusher))
			continue;
		pg_buf_clear(msg);
		pg_buf_clear(&fix);
		if ((error = pg_buf_put_name(msg, f->path)) < 0 ||
		    (error = pg_buf_printf(msg, " is protected on '%s'; ", c->shown.ptr)) < 0 ||
		    (error = pg_buf_put_name(msg, c->facts->pusher ? c->facts->pusher : "this user")) < 0 ||
		    (error = pg_buf_puts(msg, " may not change it")) < 0 ||
		    (error = pg_buf_puts(&fix, pp->users.len ? "ask one of these to make the change: "
						 : "nobody may change it: ask an administrator")) < 0)
			break;
		for (u = 0; u < pp->users.len && !error; u++)
			if ((error = pg_buf_puts(&fix, u ? ", " : "")) == 0)
				error = pg_buf_put_name(&fix, pp->users.items[u]);
		if (!error)
			error = add(c, COUNT_PROTECTED, rule->severity, fix.ptr, msg);
		break; /* one message per file */
	}
	pg_buf_release(&fix);
	return error;
}

/* A changed CI workflow file: the checker's problems, at the policy's severity. */
static int check_workflow(struct rules_check *c, const struct pg_changed_file *f)
{
	struct pg_workflow_problems problems = { 0 };
	const struct pg_workflow_problem *wp;
	git_blob *blob = NULL;
	size_t i;
	int error;

	if (git_blob_lookup(&blob, c->repo, f->new_id) < 0)
		return pg_error_set_git("reading a pushed workflow file");
	error = pg_workflow_check(&problems, f->path, git_blob_rawcontent(blob),
				  (size_t)git_blob_rawsize(blob));
	for (i = 0; !error && i < problems.len; i++) {
		wp = &problems.items[i];
		error = pg_verdict_add(c->verdict, c->update->ref, wp->id,
				       c->policy->workflows.severity[wp->check],
				       "pass secrets through env: and pipe them into the program's "
				       "standard input; see docs/policy-format.md (workflows)",
				       "%s", wp->message);
	}
	pg_workflow_problems_clear(&problems);
	git_blob_free(blob);
	return error;
}

static int on_changed_file(const struct pg_changed_file *f, void *payload)
{
	struct rules_check *c = payload;
	struct pg_buf msg = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	git_object_t type;
	size_t i, size = 0;
	bool present = f->status != GIT_DELTA_DELETED && f->new_mode != GIT_FILEMODE_COMMIT;
	int error = 0;

	if (present && git_odb_read_header(&size, &type, c->odb, f->new_id) < 0) {
		error = pg_error_set_git("reading a pushed file's size");
		goto out;
	}
	if (present && c->policy->workflows.check && pg_workflow_path_matches(f->path) &&
	    (error = check_workflow(c, f)) < 0)
		goto out;
	for (i = 0; i < c->files_len && !error; i++) {
		if (present && (error = check_size(c, c->files[i], f, size, &msg)) < 0)
			break;
		if (present && (error = check_name(c, c->files[i], f, &msg)) < 0)
			break;
		error = check_protected(c, c->files[i], f, &msg);
	}
out:
	pg_buf_release(&msg);
	return error;
}

static int commit_problem(struct rules_check *c, enum counter kind, enum pg_severity severity,
			  const char *fix, git_commit *commit, const char *what)
{
	struct pg_buf msg = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	char sid[8];
	int error;

	git_oid_tostr(sid, sizeof(sid), git_commit_id(commit));
	if ((error = pg_buf_printf(&msg, "commit %s %s", sid, what)) == 0)
		error = add(c, kind, severity, fix, &msg);
	pg_buf_release(&msg);
	return error;
}

static bool has_signoff(const char *message)
{
	const char *p = message;

	while (p) {
		if (!strncmp(p, "Signed-off-by: ", 15))
			return true;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return false;
}

/* -1 error, 0 no match, 1 match; an unset regex is not consulted here. */
static int matches(const struct pg_regex *re, const char *s)
{
	return pg_regex_search(re, s, strlen(s));
}

static int check_one_commit_rule(struct rules_check *c, const struct pg_commit_rule *r,
				 git_commit *commit)
{
	const char *message = git_commit_message(commit);
	const git_signature *author = git_commit_author(commit);
	const git_signature *committer = git_commit_committer(commit);
	struct pg_buf fix = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int m, error = 0;

	if (!message)
		message = "";
	if (r->message_pattern.code) {
		if ((m = matches(&r->message_pattern, message)) < 0) {
			error = m;
			goto out;
		}
		if (!m) {
			if ((error = pg_buf_puts(&fix, "reword it (git rebase -i, reword) to: ")) < 0 ||
			    (error = pg_buf_put_name(&fix, r->message_hint ? r->message_hint :
						     r->message_pattern.source)) < 0 ||
			    (error = commit_problem(c, COUNT_MESSAGE, r->severity, fix.ptr, commit,
						    "has a message the policy does not accept")) < 0)
				goto out;
		}
	}
	if (r->message_reject.code) {
		if ((m = matches(&r->message_reject, message)) < 0) {
			error = m;
			goto out;
		}
		if (m && (error = commit_problem(c, COUNT_MESSAGE_REJECT, r->severity,
						 "reword or squash it (git rebase -i) before pushing",
						 commit, "has a message the policy rejects")) < 0)
			goto out;
	}
	if (r->author_email.code && author && author->email) {
		if ((m = matches(&r->author_email, author->email)) < 0) {
			error = m;
			goto out;
		}
		if (!m && (error = commit_problem(c, COUNT_EMAIL, r->severity,
						  "set user.email and fix the commit "
						  "(git commit --amend --reset-author)",
						  commit, "has an author e-mail the policy does not accept")) < 0)
			goto out;
	}
	if (r->committer_email.code && committer && committer->email) {
		if ((m = matches(&r->committer_email, committer->email)) < 0) {
			error = m;
			goto out;
		}
		if (!m && (error = commit_problem(c, COUNT_EMAIL, r->severity,
						  "set user.email and recommit (git rebase -i)",
						  commit, "has a committer e-mail the policy does not accept")) < 0)
			goto out;
	}
	if (r->signed_off && !has_signoff(message))
		error = commit_problem(c, COUNT_SIGNOFF, r->severity,
				       "sign off your commits: git rebase --signoff, or git commit -s",
				       commit, "has no Signed-off-by: line (DCO)");
out:
	pg_buf_release(&fix);
	return error;
}

static int on_new_commit(git_commit *commit, void *payload)
{
	struct rules_check *c = payload;
	bool gitea_merge = c->facts->pr_merge && git_commit_parentcount(commit) > 1;
	size_t i;
	int error;

	c->new_commits++;
	for (i = 0; i < c->commits_len; i++) {
		if (gitea_merge && !c->commits[i]->include_merges)
			continue;
		if ((error = check_one_commit_rule(c, c->commits[i], commit)) < 0)
			return error;
	}
	return 0;
}

static int check_commit_count(struct rules_check *c)
{
	size_t i;
	int error;

	for (i = 0; i < c->commits_len; i++) {
		const struct pg_commit_rule *r = c->commits[i];

		if (!r->max_commits || c->new_commits <= r->max_commits)
			continue;
		if ((error = pg_verdict_add(c->verdict, c->update->ref, "max-commits", r->severity,
					    "push the history in smaller parts, or ask an administrator",
					    "the push brings %zu new commits to '%s', more than the %zu allowed",
					    c->new_commits, c->shown.ptr, r->max_commits)) < 0)
			return error;
	}
	return 0;
}

static int select_rules(struct rules_check *c)
{
	const struct pg_policy *p = c->policy;
	size_t i;

	c->files = calloc(p->files_len ? p->files_len : 1, sizeof(*c->files));
	c->commits = calloc(p->commits_len ? p->commits_len : 1, sizeof(*c->commits));
	if (!c->files || !c->commits)
		return pg_error_oom();
	for (i = 0; i < p->files_len; i++)
		if (pg_strlist_glob_match(&p->files[i].branches, c->branch))
			c->files[c->files_len++] = &p->files[i];
	for (i = 0; i < p->commits_len; i++)
		if (pg_strlist_glob_match(&p->commits[i].branches, c->branch))
			c->commits[c->commits_len++] = &p->commits[i];
	return 0;
}

/*
 * With no files: entry to apply, only workflow files need looking at: the
 * directories pg_workflow_path_matches() accepts, at any depth (a libgit2
 * pathspec's '*' matches '/' too), which then picks the files.
 */
static char gitea_workflows[] = ".gitea/workflows/*";
static char github_workflows[] = ".github/workflows/*";
static char forgejo_workflows[] = ".forgejo/workflows/*";
/* git_strarray holds char *: writable arrays, not string literals. */
static char *workflow_dirs[] = { gitea_workflows, github_workflows, forgejo_workflows };
static const git_strarray workflow_paths = {
	workflow_dirs, sizeof(workflow_dirs) / sizeof(workflow_dirs[0])
};

int pg_push_rules_check(struct pg_verdict *verdict, git_repository *repo,
			const struct pg_policy *policy, const struct pg_push_facts *facts,
			struct pg_git_published *pub, const struct pg_ref_update *update)
{
	struct rules_check c;
	int error;

	if (facts->internal || facts->wiki || update->new_zero ||
	    strncmp(update->ref, "refs/heads/", 11) ||
	    (!policy->files_len && !policy->commits_len && !policy->workflows.check))
		return 0;
	memset(&c, 0, sizeof(c));
	c.verdict = verdict;
	c.repo = repo;
	c.policy = policy;
	c.facts = facts;
	c.update = update;
	c.branch = update->ref + 11;
	pg_buf_init(&c.shown, PG_BUF_LIMIT_TEXT);
	if ((error = select_rules(&c)) < 0 || (error = pg_buf_put_name(&c.shown, c.branch)) < 0)
		goto out;
	if (c.files_len || policy->workflows.check) {
		if (git_repository_odb(&c.odb, repo) < 0) {
			error = pg_error_set_git("opening the object database");
			goto out;
		}
		if ((error = pg_git_ref_changes(repo, pub, update->old_zero ? NULL : &update->old_id,
						&update->new_id, c.files_len ? NULL : &workflow_paths,
						on_changed_file, &c)) < 0)
			goto out;
	}
	if (c.commits_len) {
		if ((error = pg_git_new_commits(repo, pub, &update->new_id, on_new_commit, &c)) < 0 ||
		    (error = check_commit_count(&c)) < 0)
			goto out;
	}
	error = add_unlisted_counts(&c);
out:
	git_odb_free(c.odb);
	free(c.files);
	free(c.commits);
	pg_buf_release(&c.shown);
	return error;
}
