/*
 * git_published.c - find the published commits a push grows from (see
 * git_published.h for why), and hide them from walks.
 */
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/buf.h"
#include "common/error.h"
#include "git/git_published.h"
#include "git/git_tips.h"
#include "git/oidset.h"

struct search {
	git_repository *repo;
	git_odb *before;           /* the repository's objects without the quarantine */
	struct pg_oidset seen;
	git_oid *stack;
	size_t stack_len, stack_alloc;
	git_oid *edge;             /* commits the new ones grow from */
	size_t edge_len, edge_alloc;
};

static int oid_push(git_oid **items, size_t *len, size_t *alloc, const git_oid *id)
{
	git_oid *p = pg_array_grow(*items, alloc, *len + 1, sizeof(*p));

	if (!p)
		return pg_error_oom();
	*items = p;
	git_oid_cpy(&(*items)[(*len)++], id);
	return 0;
}

static int open_before(struct search *s)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = pg_buf_printf(&path, "%sobjects", git_repository_commondir(s->repo))) < 0)
		goto out;
	if (git_odb_open(&s->before, path.ptr) < 0)
		error = pg_error_set_git("opening the repository's objects");
out:
	pg_buf_release(&path);
	return error;
}

/* Walk the commits the object store lacked; collect the ones they grow from. */
static int collect_edge(struct search *s)
{
	git_commit *commit = NULL;
	git_oid id;
	unsigned int i, n;
	int error;

	while (s->stack_len) {
		git_oid_cpy(&id, &s->stack[--s->stack_len]);
		if ((error = pg_oidset_insert(&s->seen, &id)) <= 0) {
			if (error < 0)
				return error;
			continue;
		}
		if (git_odb_exists(s->before, &id)) {
			if ((error = oid_push(&s->edge, &s->edge_len, &s->edge_alloc, &id)) < 0)
				return error;
			continue;
		}
		if (git_commit_lookup(&commit, s->repo, &id) < 0)
			return pg_error_set_git("reading a pushed commit");
		n = git_commit_parentcount(commit);
		for (i = 0; i < n; i++)
			if ((error = oid_push(&s->stack, &s->stack_len, &s->stack_alloc,
					      git_commit_parent_id(commit, i))) < 0)
				break;
		git_commit_free(commit);
		if (i < n)
			return error;
	}
	return 0;
}

/* 1 if every edge commit is what a branch or tag points at, 0 if not. */
static int edge_is_published(const struct search *s)
{
	bool all;
	int error;

	if (!s->edge_len)
		return 1;
	if ((error = pg_git_tips_cover(&all, git_repository_commondir(s->repo), s->edge,
				       s->edge_len)) < 0)
		return error;
	return all ? 1 : 0;
}

void pg_git_published_init(struct pg_git_published *pub, git_repository *repo,
			   git_oid *tips, size_t n)
{
	memset(pub, 0, sizeof(*pub));
	pub->repo = repo;
	pub->tips = tips;
	pub->ntips = n;
}

/* Sets every_ref, or hide/len to the edge when it is all published. */
static int published_find(struct pg_git_published *pub)
{
	const char *quarantine = getenv("GIT_QUARANTINE_PATH");
	struct search s;
	size_t i;
	int error;

	pub->every_ref = true;
	if (!quarantine || !*quarantine)
		return 0;
	memset(&s, 0, sizeof(s));
	s.repo = pub->repo;
	if ((error = open_before(&s)) < 0)
		goto out;
	for (i = 0; i < pub->ntips; i++)
		if ((error = oid_push(&s.stack, &s.stack_len, &s.stack_alloc, &pub->tips[i])) < 0)
			goto out;
	if ((error = collect_edge(&s)) < 0 || (error = edge_is_published(&s)) <= 0)
		goto out;
	pub->every_ref = false;
	pub->hide = s.edge;
	pub->len = s.edge_len;
	s.edge = NULL;
	error = 0;
out:
	free(s.edge);
	free(s.stack);
	pg_oidset_clear(&s.seen);
	git_odb_free(s.before);
	return error;
}

int pg_git_published_hide(struct pg_git_published *pub, git_revwalk *walk)
{
	size_t i;
	int error;

	if (!pub->found) {
		if ((error = published_find(pub)) < 0)
			return error;
		pub->found = true;
	}
	if (pub->every_ref) {
		if (git_revwalk_hide_glob(walk, "refs/heads/*") < 0 ||
		    git_revwalk_hide_glob(walk, "refs/tags/*") < 0)
			return pg_error_set_git("hiding commits the repository already has");
		return 0;
	}
	for (i = 0; i < pub->len; i++)
		if (git_revwalk_hide(walk, &pub->hide[i]) < 0)
			return pg_error_set_git("hiding commits the repository already has");
	return 0;
}

void pg_git_published_clear(struct pg_git_published *pub)
{
	free(pub->tips);
	free(pub->hide);
	memset(pub, 0, sizeof(*pub));
}
