/*
 * ref_check.c - the branch and tag rules applied to one ref update.
 *
 * Every decision reads the repository as it was before the push (plus
 * the quarantined objects): a push cannot vouch for itself by updating
 * a source branch in the same push.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "policy/ref_check.h"

/* Commits listed by name in one message; the rest are counted. */
#define MAX_LISTED_COMMITS 5

struct check {
	struct pg_verdict *verdict;
	git_repository *repo;
	const struct pg_policy *policy;
	const struct pg_push_facts *facts;
	const struct pg_ref_update *update;
	const char *name;       /* the ref without its namespace; borrowed */
	struct pg_buf shown;    /* `name`, escaped for printing */
};

static int violation(struct check *c, const char *check, enum pg_severity severity,
		     const char *fix, const char *message)
{
	return pg_verdict_add(c->verdict, c->update->ref, check, severity, fix, "%s", message);
}

static void short_id(char out[8], const git_oid *id)
{
	git_oid_tostr(out, 8, id);
}

static int check_frozen(struct check *c)
{
	const char *msg = c->policy->freeze.message;
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if (!pg_policy_is_frozen(c->policy, c->name))
		return 0;
	if ((error = pg_buf_printf(&text, "'%s' is frozen: ", c->shown.ptr)) < 0 ||
	    (error = pg_buf_puts_escaped(&text, msg && *msg ? msg :
					 "changes are paused by the administrator")) < 0)
		goto out;
	error = violation(c, "freeze", PG_SEVERITY_REJECT,
			  "wait until the freeze is lifted, or ask an administrator to push with "
			  "-o " PG_BYPASS_OPTION "=\"reason\"", text.ptr);
out:
	pg_buf_release(&text);
	return error;
}

static int check_new_branch(struct check *c, const struct pg_branch_rule *rule)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_buf fix = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error = 0, matched;

	if (rule->create == PG_PERM_DENY) {
		if ((error = pg_buf_printf(&text, "'%s' is not an allowed branch name", c->shown.ptr)) < 0 ||
		    (error = pg_buf_puts(&fix, "use ")) < 0 ||
		    (error = pg_buf_puts_escaped(&fix, rule->name_hint ? rule->name_hint :
						 "a branch name the policy allows")) < 0)
			goto out;
		error = violation(c, "branch-name", rule->severity, fix.ptr, text.ptr);
		goto out;
	}
	matched = pg_regex_search(&rule->name_pattern, c->name, strlen(c->name));
	if (matched < 0) {
		error = matched;
		goto out;
	}
	if (!matched) {
		if ((error = pg_buf_printf(&text, "'%s' is not an allowed branch name", c->shown.ptr)) < 0 ||
		    (error = pg_buf_puts(&fix, "rename it (git branch -m NEW) to ")) < 0 ||
		    (error = pg_buf_puts_escaped(&fix, rule->name_hint ? rule->name_hint :
						 rule->name_pattern.source)) < 0)
			goto out;
		error = violation(c, "branch-name", rule->severity, fix.ptr, text.ptr);
	}
out:
	pg_buf_release(&text);
	pg_buf_release(&fix);
	return error;
}

static int oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/* Hide from the walk every existing branch (but `self`) that is an allowed source. */
static int hide_merge_sources(struct check *c, const struct pg_branch_rule *rule,
			      git_revwalk *walk)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL, *resolved = NULL;
	const char *name;
	int error;

	if (git_reference_iterator_glob_new(&it, c->repo, "refs/heads/*") < 0)
		return pg_error_set_git("listing branches");
	while ((error = git_reference_next(&ref, it)) == 0) {
		name = git_reference_name(ref) + strlen("refs/heads/");
		if (strcmp(name, c->name) && pg_strlist_glob_match(&rule->merge_sources, name) &&
		    git_reference_resolve(&resolved, ref) == 0) {
			/* A source that is not a commit cannot contain commits. */
			(void)git_revwalk_hide(walk, git_reference_target(resolved));
			git_reference_free(resolved);
			resolved = NULL;
		}
		git_reference_free(ref);
		ref = NULL;
	}
	git_reference_iterator_free(it);
	if (error != GIT_ITEROVER)
		return pg_error_set_git("listing branches");
	return 0;
}

/*
 * Commits gained that are neither on an allowed source branch nor merge
 * commits whose other parents are: collected in `bad` (owned by caller).
 */
static int find_foreign_commits(struct check *c, const struct pg_branch_rule *rule,
				git_oid **bad, size_t *bad_len)
{
	git_revwalk *walk = NULL;
	git_commit *commit = NULL;
	git_oid *gained = NULL, *tmp, id;
	size_t len = 0, alloc = 0, i;
	unsigned int p;
	int error = 0, foreign;

	*bad = NULL;
	*bad_len = 0;
	if (git_revwalk_new(&walk, c->repo) < 0 ||
	    git_revwalk_push(walk, &c->update->new_id) < 0 ||
	    git_revwalk_hide(walk, &c->update->old_id) < 0) {
		error = pg_error_set_git("walking the commits gained");
		goto out;
	}
	if ((error = hide_merge_sources(c, rule, walk)) < 0)
		goto out;
	while ((error = git_revwalk_next(&id, walk)) == 0) {
		if (len == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			tmp = realloc(gained, alloc * sizeof(*gained));
			if (!tmp) {
				error = pg_error_oom();
				goto out;
			}
			gained = tmp;
		}
		gained[len++] = id;
	}
	if (error != GIT_ITEROVER) {
		error = pg_error_set_git("walking the commits gained");
		goto out;
	}
	error = 0;
	if (len)
		qsort(gained, len, sizeof(*gained), oid_cmp);
	*bad = calloc(len ? len : 1, sizeof(**bad));
	if (!*bad) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < len; i++) {
		if (git_commit_lookup(&commit, c->repo, &gained[i]) < 0) {
			error = pg_error_set_git("reading a pushed commit");
			goto out;
		}
		foreign = git_commit_parentcount(commit) < 2;
		for (p = 1; !foreign && p < git_commit_parentcount(commit); p++)
			foreign = bsearch(git_commit_parent_id(commit, p), gained, len,
					  sizeof(*gained), oid_cmp) != NULL;
		if (foreign)
			(*bad)[(*bad_len)++] = gained[i];
		git_commit_free(commit);
		commit = NULL;
	}
out:
	git_revwalk_free(walk);
	free(gained);
	if (error < 0) {
		free(*bad);
		*bad = NULL;
		*bad_len = 0;
	}
	return error;
}

static int check_merge_sources(struct check *c, const struct pg_branch_rule *rule)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_buf fix = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	git_oid *bad = NULL;
	size_t bad_len = 0, i;
	char sid[8];
	int error;

	if ((error = find_foreign_commits(c, rule, &bad, &bad_len)) < 0 || !bad_len)
		goto out;
	if ((error = pg_buf_printf(&text, "%zu commit%s would reach '%s' from outside ", bad_len,
				   bad_len == 1 ? "" : "s", c->shown.ptr)) < 0)
		goto out;
	for (i = 0; i < rule->merge_sources.len; i++)
		if ((error = pg_buf_puts(&text, i ? ", " : "")) < 0 ||
		    (error = pg_buf_puts_escaped(&text, rule->merge_sources.items[i])) < 0)
			goto out;
	if ((error = pg_buf_puts(&text, ":")) < 0)
		goto out;
	for (i = 0; i < bad_len && i < MAX_LISTED_COMMITS; i++) {
		short_id(sid, &bad[i]);
		if ((error = pg_buf_printf(&text, " %s", sid)) < 0)
			goto out;
	}
	if (bad_len > MAX_LISTED_COMMITS &&
	    (error = pg_buf_printf(&text, " and %zu more", bad_len - MAX_LISTED_COMMITS)) < 0)
		goto out;
	if ((error = pg_buf_puts(&fix, "bring the work in through ")) < 0)
		goto out;
	for (i = 0; i < rule->merge_sources.len; i++)
		if ((error = pg_buf_puts(&fix, i ? " or " : "")) < 0 ||
		    (error = pg_buf_puts_escaped(&fix, rule->merge_sources.items[i])) < 0)
			goto out;
	if ((error = pg_buf_puts(&fix, " and merge with a merge commit (not squash or rebase)")) < 0)
		goto out;
	error = violation(c, "merge-source", rule->severity, fix.ptr, text.ptr);
out:
	free(bad);
	pg_buf_release(&text);
	pg_buf_release(&fix);
	return error;
}

static int check_branch_update(struct check *c, const struct pg_branch_rule *rule)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	char sid[8];
	int error = 0, descends;

	if (rule->force_push == PG_PERM_DENY) {
		descends = git_graph_descendant_of(c->repo, &c->update->new_id, &c->update->old_id);
		if (descends < 0) {
			error = pg_error_set_git("comparing old and new commits");
			goto out;
		}
		if (!descends && !git_oid_equal(&c->update->new_id, &c->update->old_id)) {
			short_id(sid, &c->update->old_id);
			if ((error = pg_buf_printf(&text, "force push to '%s' would drop its commits "
						   "(old tip %s is not in the new history)",
						   c->shown.ptr, sid)) < 0 ||
			    (error = violation(c, "force-push", rule->severity,
					       "pull, merge or rebase onto the current branch, then push "
					       "without --force", text.ptr)) < 0)
				goto out;
			pg_buf_clear(&text);
		}
	}
	if (rule->direct_push == PG_PERM_DENY && !c->facts->pr_merge) {
		if ((error = pg_buf_printf(&text, "direct pushes to '%s' are not allowed",
					   c->shown.ptr)) < 0 ||
		    (error = violation(c, "direct-push", rule->severity,
				       "push your work to a feature/, fix/ or hotfix/ branch and open a "
				       "pull request", text.ptr)) < 0)
			goto out;
	}
	if (rule->has_merge_sources)
		error = check_merge_sources(c, rule);
out:
	pg_buf_release(&text);
	return error;
}

static int check_branch(struct check *c)
{
	const struct pg_branch_rule *rule;
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = check_frozen(c)) < 0)
		return error;
	rule = pg_policy_branch_rule(c->policy, c->name);
	if (!rule)
		return 0;
	if (c->update->old_zero && c->update->new_zero)
		return 0;
	if (c->update->old_zero)
		return check_new_branch(c, rule);
	if (c->update->new_zero) {
		if (rule->delete_ == PG_PERM_ALLOW)
			return 0;
		if ((error = pg_buf_printf(&text, "deleting '%s' is not allowed", c->shown.ptr)) == 0)
			error = violation(c, "delete", rule->severity,
					  "protected branches stay; ask an administrator if it must go",
					  text.ptr);
		pg_buf_release(&text);
		return error;
	}
	return check_branch_update(c, rule);
}

/* Is the commit the tag points at on `branch`? 1 yes, 0 no (message in *why). */
static int tag_on_branch(struct check *c, const char *branch, const char **why)
{
	git_object *target = NULL, *commit = NULL;
	git_reference *ref = NULL, *resolved = NULL;
	struct pg_buf refname = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if (git_object_lookup(&target, c->repo, &c->update->new_id, GIT_OBJECT_ANY) < 0) {
		error = pg_error_set_git("reading the tagged object");
		goto out;
	}
	if (git_object_peel(&commit, target, GIT_OBJECT_COMMIT) < 0) {
		*why = "it does not point at a commit";
		error = 0;
		goto out;
	}
	if ((error = pg_buf_printf(&refname, "refs/heads/%s", branch)) < 0)
		goto out;
	error = git_reference_lookup(&ref, c->repo, refname.ptr);
	if (error == GIT_ENOTFOUND) {
		*why = "that branch does not exist yet";
		error = 0;
		goto out;
	}
	if (error < 0 || git_reference_resolve(&resolved, ref) < 0) {
		error = pg_error_set_git("reading the tag's branch");
		goto out;
	}
	if (git_oid_equal(git_reference_target(resolved), git_object_id(commit))) {
		error = 1;
		goto out;
	}
	error = git_graph_descendant_of(c->repo, git_reference_target(resolved),
					git_object_id(commit));
	if (error < 0)
		error = pg_error_set_git("checking the tagged commit");
	else if (!error)
		*why = "the tagged commit is not on it";
out:
	git_reference_free(resolved);
	git_reference_free(ref);
	git_object_free(commit);
	git_object_free(target);
	pg_buf_release(&refname);
	return error;
}

static int check_new_tag(struct check *c, const struct pg_tag_rule *rule)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_buf fix = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *why = NULL;
	int error = 0, ok;

	if (rule->create == PG_PERM_DENY) {
		if ((error = pg_buf_printf(&text, "creating tag '%s' is not allowed", c->shown.ptr)) == 0)
			error = violation(c, "tag-create", rule->severity,
					  "ask an administrator to create it", text.ptr);
		goto out;
	}
	ok = pg_regex_search(&rule->pattern, c->name, strlen(c->name));
	if (ok < 0) {
		error = ok;
		goto out;
	}
	if (!ok) {
		if ((error = pg_buf_printf(&text, "'%s' is not a valid tag name", c->shown.ptr)) < 0 ||
		    (error = pg_buf_puts(&fix, "delete it locally (git tag -d) and tag again as ")) < 0 ||
		    (error = pg_buf_puts_escaped(&fix, rule->hint ? rule->hint : rule->pattern.source)) < 0 ||
		    (error = violation(c, "tag-name", rule->severity, fix.ptr, text.ptr)) < 0)
			goto out;
		pg_buf_clear(&text);
		pg_buf_clear(&fix);
	}
	if (!rule->on_branch)
		goto out;
	ok = tag_on_branch(c, rule->on_branch, &why);
	if (ok < 0) {
		error = ok;
		goto out;
	}
	if (!ok) {
		if ((error = pg_buf_printf(&text, "tag '%s' must be on ", c->shown.ptr)) < 0 ||
		    (error = pg_buf_puts_escaped(&text, rule->on_branch)) < 0 ||
		    (error = pg_buf_printf(&text, ", but %s", why)) < 0 ||
		    (error = pg_buf_puts(&fix, "tag a commit that is already on ")) < 0 ||
		    (error = pg_buf_puts_escaped(&fix, rule->on_branch)) < 0)
			goto out;
		error = violation(c, "tag-branch", rule->severity, fix.ptr, text.ptr);
	}
out:
	pg_buf_release(&text);
	pg_buf_release(&fix);
	return error;
}

static int check_tag(struct check *c)
{
	const struct pg_tag_rule *rule = pg_policy_tag_rule(c->policy, c->name);
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if (!rule || (c->update->old_zero && c->update->new_zero))
		return 0;
	if (c->update->old_zero)
		return check_new_tag(c, rule);
	if (!rule->immutable)
		return 0;
	if ((error = pg_buf_printf(&text, "tag '%s' already exists and may not be %s", c->shown.ptr,
				   c->update->new_zero ? "deleted" : "moved")) == 0)
		error = violation(c, "tag-immutable", rule->severity,
				  "release a new version with a new tag instead", text.ptr);
	pg_buf_release(&text);
	return error;
}

/* AGit: refs/for/<branch>[/<topic>] must name an existing branch. */
static int check_agit(struct check *c)
{
	struct pg_buf refname = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t len = strlen(c->name);
	git_reference *ref = NULL;
	int error = 0, found = 0;

	while (len > 0 && !found) {
		pg_buf_clear(&refname);
		if ((error = pg_buf_puts(&refname, "refs/heads/")) < 0 ||
		    (error = pg_buf_put(&refname, c->name, len)) < 0)
			goto out;
		error = git_reference_lookup(&ref, c->repo, refname.ptr);
		if (error == 0)
			found = 1;
		else if (error != GIT_ENOTFOUND && error != GIT_EINVALIDSPEC) {
			error = pg_error_set_git("looking up the pull request's target branch");
			goto out;
		}
		git_reference_free(ref);
		ref = NULL;
		error = 0;
		while (len > 0 && c->name[len - 1] != '/')
			len--;
		if (len > 0)
			len--;
	}
	if (!found) {
		if ((error = pg_buf_printf(&text, "pull request target '%s' is not an existing branch",
					   c->shown.ptr)) == 0)
			error = violation(c, "agit-target", PG_SEVERITY_REJECT,
					  "push to refs/for/<existing-branch>, e.g. refs/for/develop",
					  text.ptr);
	}
out:
	pg_buf_release(&refname);
	pg_buf_release(&text);
	return error;
}

/* Every decision below reads the new object: one that is missing fails closed. */
static int check_new_object_exists(git_repository *repo, const struct pg_ref_update *update)
{
	git_odb *odb = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int exists;

	if (update->new_zero)
		return 0;
	if (git_repository_odb(&odb, repo) < 0)
		return pg_error_set_git("opening the object database");
	exists = git_odb_exists(odb, &update->new_id);
	git_odb_free(odb);
	if (!exists) {
		git_oid_tostr(hex, sizeof(hex), &update->new_id);
		return pg_error_set(PG_ENOTFOUND, "pushed object %s is missing from the repository", hex);
	}
	return 0;
}

int pg_ref_check_branch_name(struct pg_verdict *verdict, const struct pg_policy *policy,
			     const char *branch)
{
	struct pg_ref_update update = { 0 };
	struct pg_push_facts facts = { 0 };
	struct check c = { verdict, NULL, policy, &facts, &update, branch, PG_BUF_INIT(PG_BUF_LIMIT_TEXT) };
	struct pg_buf ref = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const struct pg_branch_rule *rule = pg_policy_branch_rule(policy, branch);
	int error;

	if (!rule)
		return 0;
	if ((error = pg_buf_printf(&ref, "refs/heads/%s", branch)) < 0 ||
	    (error = pg_buf_put_name(&c.shown, branch)) < 0)
		goto out;
	update.ref = ref.ptr;
	update.old_zero = true;
	error = check_new_branch(&c, rule);
out:
	pg_buf_release(&c.shown);
	pg_buf_release(&ref);
	return error;
}

static int starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int pg_ref_check(struct pg_verdict *verdict, git_repository *repo,
		 const struct pg_policy *policy, const struct pg_push_facts *facts,
		 const struct pg_ref_update *update)
{
	struct check c = { verdict, repo, policy, facts, update, NULL, PG_BUF_INIT(PG_BUF_LIMIT_TEXT) };
	int error = 0;

	/* Gitea writing its own refs (refs/pull/N/head, merges it computed). */
	if (facts->internal)
		return 0;
	if ((error = check_new_object_exists(repo, update)) < 0)
		return error;
	if (starts_with(update->ref, "refs/heads/")) {
		c.name = update->ref + strlen("refs/heads/");
		if (facts->wiki)
			return 0;
	} else if (starts_with(update->ref, "refs/tags/")) {
		c.name = update->ref + strlen("refs/tags/");
	} else if (starts_with(update->ref, "refs/for/")) {
		c.name = update->ref + strlen("refs/for/");
	} else {
		c.name = update->ref;
	}
	if ((error = pg_buf_put_name(&c.shown, c.name)) < 0)
		goto out;

	if (starts_with(update->ref, "refs/heads/"))
		error = check_branch(&c);
	else if (starts_with(update->ref, "refs/tags/"))
		error = check_tag(&c);
	else if (starts_with(update->ref, "refs/for/"))
		error = check_agit(&c);
	else if (starts_with(update->ref, "refs/pull/"))
		error = violation(&c, "pull-ref", PG_SEVERITY_REJECT,
				  "open pull requests in Gitea, or push to refs/for/<branch>",
				  "refs/pull/ is written by Gitea only");
	else
		error = violation(&c, "ref-namespace", PG_SEVERITY_REJECT,
				  "push branches (refs/heads/) and tags (refs/tags/) only",
				  "this server accepts branches and tags only");
out:
	pg_buf_release(&c.shown);
	return error;
}
