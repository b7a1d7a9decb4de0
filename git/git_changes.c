/*
 * git_changes.c - enumerate the lines commits and the index add.
 *
 * The cost follows the size of the change: tree diffs between each
 * commit and its parents, blobs read once. For a merge, a line counts
 * only if it is new against every parent, so a clean merge costs nothing
 * and an "evil merge" that slips a line in is still seen.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/sha1.h"
#include "git/diff_pool.h"
#include "git/git.h"
#include "git/git_changes.h"
#include "git/oidset.h"

/* Interned strings: paths, each stored once, numbered in order of appearance. */
struct strtab {
	char **strs;
	size_t len, alloc;
	uint32_t *slots;            /* open addressing: index + 1, 0 empty */
	size_t cap;                 /* power of two */
};

/* A change the walk decided to scan, kept for later (see segment_drain()). */
struct deferred {
	git_oid commit;
	git_oid old_id, new_id;
	uint32_t path;              /* in the walker's strtab */
	uint32_t scope_from;        /* in the strtab, or NO_SCOPE_FROM */
	size_t others_at;           /* first of nothers in the segment's others */
	size_t nothers;
};

#define NO_SCOPE_FROM UINT32_MAX

/* The changes of consecutive commits, diffed path by path (see segment_order()). */
struct segment {
	struct deferred *items;
	size_t len, alloc;
	git_oid *others;
	size_t nothers, others_alloc;
	size_t *order;              /* items' indices, path by path; NULL until ordered */
	size_t next;                /* order[next] is the next to submit */
};

/*
 * Changes kept per segment: the first few small, so the diff threads
 * start early, later ones larger, as each path's first version in a
 * segment costs its whole delta chain again.
 */
#define SEGMENT_FIRST 1024
#define SEGMENT_MAX 16384

struct walker {
	git_repository *repo;
	git_odb *odb;
	const struct pg_git_changes_opts *opts;
	const struct pg_git_visitor *visitor;
	struct pg_diff_pool *pool;
	struct pg_oidset seen;
	git_oid *others;            /* a merge's other parents' ids at the current path */
	size_t others_alloc;
	bool defer;                 /* keep changes in segments instead of submitting them */
	struct segment seg[2];      /* one filling (the walk's), one draining (the pool's) */
	struct segment *filling, *draining;
	size_t segment_size;        /* when `filling` is full */
	struct strtab paths;
};

static uint32_t str_hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int strtab_grow(struct strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024, i, k;
	uint32_t *slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return pg_error_oom();
	for (i = 0; i < t->len; i++) {
		for (k = str_hash(t->strs[i]) & (cap - 1); slots[k]; k = (k + 1) & (cap - 1))
			;
		slots[k] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

/* The number of `s`, added if new. */
static int strtab_intern(struct strtab *t, const char *s, uint32_t *id)
{
	size_t k;
	char **strs;
	int error;

	if (t->len >= UINT32_MAX - 1)
		return pg_error_set(PG_ERROR, "too many paths in one history");
	if ((t->len + 1) * 2 > t->cap && (error = strtab_grow(t)) < 0)
		return error;
	for (k = str_hash(s) & (t->cap - 1); t->slots[k]; k = (k + 1) & (t->cap - 1))
		if (!strcmp(t->strs[t->slots[k] - 1], s)) {
			*id = t->slots[k] - 1;
			return 0;
		}
	if (!(strs = pg_array_grow(t->strs, &t->alloc, t->len + 1, sizeof(*strs))))
		return pg_error_oom();
	t->strs = strs;
	if (!(t->strs[t->len] = strdup(s)))
		return pg_error_oom();
	t->slots[k] = (uint32_t)t->len + 1;
	*id = (uint32_t)t->len++;
	return 0;
}

static void strtab_clear(struct strtab *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		free(t->strs[i]);
	free(t->strs);
	free(t->slots);
	memset(t, 0, sizeof(*t));
}

/* 1-based line and column of `offset` in a whole text. */
static void locate_in_text(const char *text, size_t offset, size_t *line, size_t *column)
{
	const char *p = text, *end = text + offset, *nl;

	*line = 1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		(*line)++;
		p = nl + 1;
	}
	*column = (size_t)(end - p) + 1;
}

void pg_added_lines_locate(const struct pg_added_lines *added, size_t offset,
			   size_t *line, size_t *column)
{
	size_t lo = 0, hi = added->nlines;

	if (!added->starts) {
		locate_in_text(added->text, offset, line, column);
		return;
	}

	/* Last line whose start is <= offset. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (added->starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	if (!added->nlines) {
		*line = 1;
		*column = offset + 1;
		return;
	}
	*line = added->lines[lo];
	*column = offset - added->starts[lo] + 1;
}

/* A diffed change, in walk order: hand what it adds to the visitor. */
static int deliver(const struct pg_diff_job *job, void *payload)
{
	struct walker *w = payload;
	const struct pg_blob_added *a = &job->added;
	const git_oid *commit = git_oid_is_zero(&job->commit) ? NULL : &job->commit;
	struct pg_added_lines added = { commit, job->change.path, &job->change.new_id };
	int error;

	if (a->outcome == PG_BLOB_SKIPPED)
		return w->visitor->skipped ? w->visitor->skipped(commit, job->change.path,
								 &job->change.new_id, a->why,
								 a->size, w->visitor->payload)
					   : 0;
	if (a->outcome == PG_BLOB_ADDED || a->outcome == PG_BLOB_BINARY) {
		added.text = a->text.ptr;
		added.len = a->text.size;
		added.binary = a->outcome == PG_BLOB_BINARY;
		added.clean = job->clean;
		if (!added.binary) {
			added.starts = a->starts;
			added.lines = a->lines;
			added.nlines = a->nlines;
		}
		if ((error = w->visitor->added(&added, w->visitor->payload)) != 0)
			return error;
	}
	if (!a->has_whole)
		return 0;
	memset(&added, 0, sizeof(added));
	added.commit = commit;
	added.path = job->change.path;
	added.blob = &job->change.new_id;
	added.text = a->whole.ptr;
	added.len = a->whole.size;
	added.except_path = job->change.scope_from;
	return w->visitor->added(&added, w->visitor->payload);
}

/* Hand `len` bytes of commit `id`'s message to the visitor. */
static int deliver_message(struct walker *w, const git_oid *id, const char *text, size_t len)
{
	struct pg_added_lines added = { id, PG_GIT_COMMIT_MESSAGE };

	if (!len)
		return 0;
	added.text = text;
	added.len = len;
	return w->visitor->added(&added, w->visitor->payload);
}

/*
 * A commit's message is content the pusher wrote. libgit2 keeps it as a
 * C string, which a NUL byte would end early: when its header and
 * message do not add up to the object's size, the raw object is read.
 */
static int visit_message(struct walker *w, git_commit *commit)
{
	const git_oid *id = git_commit_id(commit);
	const char *message = git_commit_message_raw(commit), *data, *body;
	size_t size, len = message ? strlen(message) : 0;
	git_odb_object *obj = NULL;
	git_object_t type;
	int error;

	if (git_odb_read_header(&size, &type, w->odb, id) < 0)
		return pg_error_set_git("reading a commit");
	if (size == strlen(git_commit_raw_header(commit)) + 1 + len)
		return deliver_message(w, id, message, len);
	if (git_odb_read(&obj, w->odb, id) < 0)
		return pg_error_set_git("reading a commit");
	data = git_odb_object_data(obj);
	size = git_odb_object_size(obj);
	body = memmem(data, size, "\n\n", 2);
	error = body ? deliver_message(w, id, body + 2, size - (size_t)(body + 2 - data)) : 0;
	git_odb_object_free(obj);
	return error;
}

/* One changed file, from a git_diff delta or from the tree comparison. */
struct change {
	git_delta_t status;
	const char *path;          /* the new path */
	const char *old_path;      /* differs for a rename */
	const git_oid *old_id;     /* zero when added */
	const git_oid *new_id;
	uint16_t new_mode;
};

static void change_from_delta(struct change *c, const git_diff_delta *delta)
{
	c->status = delta->status;
	c->path = delta->new_file.path;
	c->old_path = delta->old_file.path ? delta->old_file.path : delta->new_file.path;
	c->old_id = &delta->old_file.id;
	c->new_id = &delta->new_file.id;
	c->new_mode = delta->new_file.mode;
}

/* What each other parent of a merge holds at `path`, into w->others (see pg_blob_change). */
static int other_parent_ids(struct walker *w, const char *path, const git_oid *blob_id,
			    git_tree **other_parents, size_t nother)
{
	git_tree_entry *entry;
	git_oid *others;
	size_t p;
	int error;

	if (!(others = pg_array_grow(w->others, &w->others_alloc, nother, sizeof(*others))))
		return pg_error_oom();
	w->others = others;
	for (p = 0; p < nother; p++) {
		memset(&w->others[p], 0, sizeof(w->others[p]));
		error = git_tree_entry_bypath(&entry, other_parents[p], path);
		if (error == GIT_ENOTFOUND)
			continue;
		if (error < 0)
			return pg_error_set_git("reading a merge parent's tree");
		if (git_oid_equal(git_tree_entry_id(entry), blob_id) ||
		    git_tree_entry_type(entry) == GIT_OBJECT_BLOB)
			git_oid_cpy(&w->others[p], git_tree_entry_id(entry));
		git_tree_entry_free(entry);
	}
	return 0;
}

static int path_scope(struct walker *w, const char *path, uint32_t *id)
{
	*id = 0;
	return w->visitor->scope ? w->visitor->scope(path, id, w->visitor->payload) : 0;
}

/*
 * Mark (blob, scope) seen: 1 if it was new, 0 if not, or an error. The
 * first scope keys by the blob id itself; the others by a hash of both.
 */
static int seen_insert(struct walker *w, const git_oid *blob, uint32_t scope)
{
	unsigned char key[GIT_OID_RAWSZ + 4];
	git_oid id;

	if (!scope)
		return pg_oidset_insert(&w->seen, blob);
	memcpy(key, blob->id, GIT_OID_RAWSZ);
	memcpy(key + GIT_OID_RAWSZ, &scope, 4);
	pg_sha1_blob(id.id, key, sizeof(key));
	return pg_oidset_insert(&w->seen, &id);
}

/* Keep `bc` (of `commit`) in the filling segment. */
static int defer_change(struct walker *w, const git_oid *commit, const struct pg_blob_change *bc)
{
	struct segment *seg = w->filling;
	struct deferred *d;
	git_oid *others;
	int error;

	if (!(d = pg_array_grow(seg->items, &seg->alloc, seg->len + 1, sizeof(*d))))
		return pg_error_oom();
	seg->items = d;
	d = &seg->items[seg->len];
	memset(d, 0, sizeof(*d));
	git_oid_cpy(&d->commit, commit);
	git_oid_cpy(&d->old_id, &bc->old_id);
	git_oid_cpy(&d->new_id, &bc->new_id);
	d->scope_from = NO_SCOPE_FROM;
	if ((error = strtab_intern(&w->paths, bc->path, &d->path)) < 0 ||
	    (bc->scope_from && (error = strtab_intern(&w->paths, bc->scope_from, &d->scope_from)) < 0))
		return error;
	if (bc->nothers) {
		others = pg_array_grow(seg->others, &seg->others_alloc, seg->nothers + bc->nothers,
				       sizeof(*others));
		if (!others)
			return pg_error_oom();
		seg->others = others;
		memcpy(others + seg->nothers, bc->others, bc->nothers * sizeof(*others));
		d->others_at = seg->nothers;
		d->nothers = bc->nothers;
		seg->nothers += bc->nothers;
	}
	seg->len++;
	return 0;
}

static int item_path_cmp(const void *a, const void *b)
{
	const size_t *x = a, *y = b;

	/* Path, then walk order: each item is (path << 32 | index) in the caller. */
	return *x < *y ? -1 : *x > *y;
}

/*
 * Order a segment's changes path by path, each path's in walk order.
 * What a change reports depends on its own blobs only, and the visitor
 * sees each path's changes in walk order (which decides the commit a
 * finding names), so the order between paths is free; and reading a
 * path's versions one after the other is what a pack is built for: git
 * deltas each version against a neighbour of the same file, and libgit2
 * keeps the bases of the last delta chains it resolved (16 MiB, shared by
 * the threads, emptied whole when full). In walk order, a history's
 * changes to a few hundred files interleave, every read evicts the
 * chains the next one needs, and each version costs its whole chain
 * again: up to 50 deltas after git gc.
 */
static int segment_order(struct segment *seg)
{
	size_t i;

	seg->next = 0;
	if (!seg->len)
		return 0;
	if (seg->len > UINT32_MAX)
		return pg_error_set(PG_ERROR, "too many changes in one segment");
	if (!(seg->order = malloc(seg->len * sizeof(*seg->order))))
		return pg_error_oom();
	for (i = 0; i < seg->len; i++)
		seg->order[i] = (size_t)seg->items[i].path << 32 | i;
	qsort(seg->order, seg->len, sizeof(*seg->order), item_path_cmp);
	for (i = 0; i < seg->len; i++)
		seg->order[i] &= UINT32_MAX;
	return 0;
}

static void segment_reset(struct segment *seg)
{
	free(seg->order);
	seg->order = NULL;
	seg->len = seg->nothers = seg->next = 0;
}

static void segment_release(struct segment *seg)
{
	segment_reset(seg);
	free(seg->items);
	free(seg->others);
	memset(seg, 0, sizeof(*seg));
}

/*
 * Submit the draining segment's changes: all of them when `all`, else
 * only while the pool takes them without waiting, so the walk goes on
 * while the other threads diff.
 */
static int segment_drain(struct walker *w, bool all)
{
	struct segment *seg = w->draining;
	struct pg_blob_change bc;
	struct deferred *d;
	int error;

	while (seg->next < seg->len) {
		if (!all && (error = pg_diff_pool_poll(w->pool)) <= 0)
			return error;
		d = &seg->items[seg->order[seg->next++]];
		memset(&bc, 0, sizeof(bc));
		bc.path = w->paths.strs[d->path];
		bc.scope_from = d->scope_from == NO_SCOPE_FROM ? NULL : w->paths.strs[d->scope_from];
		git_oid_cpy(&bc.old_id, &d->old_id);
		git_oid_cpy(&bc.new_id, &d->new_id);
		bc.others = d->nothers ? seg->others + d->others_at : NULL;
		bc.nothers = d->nothers;
		if ((error = pg_diff_pool_submit(w->pool, &d->commit, &bc)) != 0)
			return error;
	}
	return 0;
}

/* After each commit: hand the pool what it can take; a full segment starts draining. */
static int segments_step(struct walker *w, bool last)
{
	struct segment *full;
	int error;

	if (!last && w->filling->len < w->segment_size)
		return segment_drain(w, false);
	if ((error = segment_drain(w, true)) != 0)
		return error;
	full = w->filling;
	if ((error = segment_order(full)) < 0)
		return error;
	segment_reset(w->draining);
	w->filling = w->draining;
	w->draining = full;
	if (w->segment_size < SEGMENT_MAX)
		w->segment_size *= 2;
	return last ? segment_drain(w, true) : 0;
}

/* One changed file: diff and scan what it adds unless its blob was seen in this scope. */
static int visit_change(struct walker *w, const struct change *c, const git_oid *commit,
			git_tree **other_parents, size_t nother)
{
	struct pg_blob_change bc;
	uint32_t scope, old_scope;
	int error;

	if (c->status != GIT_DELTA_ADDED && c->status != GIT_DELTA_MODIFIED &&
	    c->status != GIT_DELTA_RENAMED && c->status != GIT_DELTA_COPIED &&
	    c->status != GIT_DELTA_TYPECHANGE)
		return 0;
	if (c->new_mode == GIT_FILEMODE_COMMIT || git_oid_is_zero(c->new_id))
		return 0;
	memset(&bc, 0, sizeof(bc));
	if ((error = path_scope(w, c->path, &scope)) < 0)
		return error;
	if ((c->status == GIT_DELTA_RENAMED || c->status == GIT_DELTA_COPIED) &&
	    strcmp(c->old_path, c->path)) {
		if ((error = path_scope(w, c->old_path, &old_scope)) < 0)
			return error;
		if (old_scope != scope)
			bc.scope_from = (char *)c->old_path;
	}
	if (git_oid_equal(c->old_id, c->new_id) && !bc.scope_from)
		return 0; /* a rename within a scope, or a mode change, adds nothing */
	if ((error = seen_insert(w, c->new_id, scope)) <= 0)
		return error;
	if (nother && (error = other_parent_ids(w, c->path, c->new_id, other_parents, nother)) < 0)
		return error;
	bc.path = (char *)c->path;
	git_oid_cpy(&bc.old_id, c->old_id);
	git_oid_cpy(&bc.new_id, c->new_id);
	bc.others = w->others;
	bc.nothers = nother;
	return w->defer ? defer_change(w, commit, &bc) : pg_diff_pool_submit(w->pool, commit, &bc);
}

/* Pair deleted and added files into renames, so a move adds no lines. */
static int find_renames(git_diff *diff)
{
	git_diff_find_options fopts = GIT_DIFF_FIND_OPTIONS_INIT;

	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if (git_diff_find_similar(diff, &fopts) < 0)
		return pg_error_set_git("finding renames");
	return 0;
}

static int visit_diff(struct walker *w, git_diff *diff, const git_oid *commit,
		      git_tree **other_parents, size_t nother)
{
	struct change c;
	size_t i, n;
	int error;

	if ((error = find_renames(diff)) < 0)
		return error;
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		change_from_delta(&c, git_diff_get_delta(diff, i));
		if ((error = visit_change(w, &c, commit, other_parents, nother)) != 0)
			return error;
	}
	return 0;
}

static int walker_init(struct walker *w, git_repository *repo,
		       const struct pg_git_changes_opts *opts, const struct pg_git_visitor *visitor,
		       bool defer)
{
	struct pg_diff_pool_opts popts = { opts->threads, opts->from_env, opts->max_blob_size, defer,
					   visitor->prescan };

	memset(w, 0, sizeof(*w));
	w->defer = defer;
	w->filling = &w->seg[0];
	w->draining = &w->seg[1];
	w->segment_size = SEGMENT_FIRST;
	w->repo = repo;
	w->opts = opts;
	w->visitor = visitor;
	if (git_repository_odb(&w->odb, repo) < 0)
		return pg_error_set_git("opening the object database");
	return pg_diff_pool_new(&w->pool, repo, &popts, deliver, w);
}

/* Everything submitted, delivered: `error` unless that fails. */
static int walker_finish(struct walker *w, int error)
{
	if (error == 0)
		error = pg_diff_pool_finish(w->pool);
	return error;
}

static void walker_free(struct walker *w)
{
	pg_diff_pool_free(w->pool);
	git_odb_free(w->odb);
	pg_oidset_clear(&w->seen);
	free(w->others);
	segment_release(&w->seg[0]);
	segment_release(&w->seg[1]);
	strtab_clear(&w->paths);
}

/*
 * The paths that differ between two trees, found by descending only into
 * subtrees whose ids differ. libgit2 1.5's tree diff expands both trees
 * whole; given these paths as a literal pathspec it skips the rest, so a
 * commit costs what it changes, not the size of the repository.
 */
struct path_item {
	char *path;
	git_oid old_id, new_id;     /* zero on the side the path is missing from */
	uint16_t new_mode;
};

struct pathlist {
	struct path_item *items;
	size_t len, alloc;
	char **paths;               /* the items' paths, as a pathspec */
	size_t paths_alloc;
	bool needs_diff;            /* a file was deleted or changed type: renames are possible */
};

static void pathlist_clear(struct pathlist *pl)
{
	size_t i;

	for (i = 0; i < pl->len; i++)
		free(pl->items[i].path);
	free(pl->items);
	free(pl->paths);
	memset(pl, 0, sizeof(*pl));
}

/* Record a path that differs; `ea` its entry before (or NULL), `eb` after (or NULL). */
static int pathlist_add(struct pathlist *pl, const struct pg_buf *prefix, const char *name,
			const git_tree_entry *ea, const git_tree_entry *eb)
{
	struct path_item *it;
	char *path;

	if (!(it = pg_array_grow(pl->items, &pl->alloc, pl->len + 1, sizeof(*it))))
		return pg_error_oom();
	pl->items = it;
	path = malloc(prefix->size + strlen(name) + 1);
	if (!path)
		return pg_error_oom();
	memcpy(path, prefix->ptr, prefix->size);
	memcpy(path + prefix->size, name, strlen(name) + 1);
	it = &pl->items[pl->len++];
	memset(it, 0, sizeof(*it));
	it->path = path;
	if (ea)
		git_oid_cpy(&it->old_id, git_tree_entry_id(ea));
	if (eb) {
		git_oid_cpy(&it->new_id, git_tree_entry_id(eb));
		it->new_mode = (uint16_t)git_tree_entry_filemode(eb);
	}
	if (!eb || (ea && (git_tree_entry_filemode(ea) & 0170000) !=
			  (git_tree_entry_filemode(eb) & 0170000)))
		pl->needs_diff = true;
	return 0;
}

/* The items' paths as a pathspec (pointers into the items). */
static int pathlist_spec(struct pathlist *pl)
{
	char **paths;
	size_t i;

	if (!(paths = pg_array_grow(pl->paths, &pl->paths_alloc, pl->len, sizeof(*paths))))
		return pg_error_oom();
	pl->paths = paths;
	for (i = 0; i < pl->len; i++)
		pl->paths[i] = pl->items[i].path;
	return 0;
}

static int changed_paths(git_repository *repo, git_tree *a, git_tree *b, struct pg_buf *prefix,
			 struct pathlist *pl);
static int all_paths(git_repository *repo, const git_tree_entry *entry, struct pg_buf *prefix,
		     struct pathlist *pl, bool entry_in_a);

/* Every path under `entry` (a tree) or the entry itself, against nothing. */
static int all_paths(git_repository *repo, const git_tree_entry *entry, struct pg_buf *prefix,
		     struct pathlist *pl, bool entry_in_a)
{
	git_tree *sub = NULL;
	size_t keep = prefix->size;
	int error;

	if (git_tree_entry_type(entry) != GIT_OBJECT_TREE)
		return pathlist_add(pl, prefix, git_tree_entry_name(entry), entry_in_a ? entry : NULL,
				    entry_in_a ? NULL : entry);
	if (git_tree_lookup(&sub, repo, git_tree_entry_id(entry)) < 0)
		return pg_error_set_git("reading a tree");
	if ((error = pg_buf_puts(prefix, git_tree_entry_name(entry))) == 0 &&
	    (error = pg_buf_putc(prefix, '/')) == 0)
		error = entry_in_a ? changed_paths(repo, sub, NULL, prefix, pl)
				   : changed_paths(repo, NULL, sub, prefix, pl);
	prefix->size = keep;
	prefix->ptr[keep] = '\0';
	git_tree_free(sub);
	return error;
}

/* git's tree order: a subtree's name sorts as if it ended in '/'. */
static int entry_cmp(const git_tree_entry *x, const git_tree_entry *y)
{
	const unsigned char *p = (const unsigned char *)git_tree_entry_name(x);
	const unsigned char *q = (const unsigned char *)git_tree_entry_name(y);
	unsigned char cp, cq;

	while (*p && *p == *q) {
		p++;
		q++;
	}
	cp = *p ? *p : git_tree_entry_type(x) == GIT_OBJECT_TREE ? '/' : 0;
	cq = *q ? *q : git_tree_entry_type(y) == GIT_OBJECT_TREE ? '/' : 0;
	return cp < cq ? -1 : cp > cq;
}

/* An entry both trees have (same name, both subtrees or neither): what differs under it. */
static int pair_changed(git_repository *repo, const git_tree_entry *ea, const git_tree_entry *eb,
			struct pg_buf *prefix, struct pathlist *pl)
{
	git_tree *sa = NULL, *sb = NULL;
	size_t keep = prefix->size;
	int error;

	if (git_oid_equal(git_tree_entry_id(ea), git_tree_entry_id(eb)) &&
	    git_tree_entry_filemode(ea) == git_tree_entry_filemode(eb))
		return 0;
	if (git_tree_entry_type(eb) != GIT_OBJECT_TREE)
		return pathlist_add(pl, prefix, git_tree_entry_name(eb), ea, eb);
	if (git_tree_lookup(&sa, repo, git_tree_entry_id(ea)) < 0 ||
	    git_tree_lookup(&sb, repo, git_tree_entry_id(eb)) < 0)
		error = pg_error_set_git("reading a tree");
	else if ((error = pg_buf_puts(prefix, git_tree_entry_name(eb))) == 0 &&
		 (error = pg_buf_putc(prefix, '/')) == 0)
		error = changed_paths(repo, sa, sb, prefix, pl);
	prefix->size = keep;
	prefix->ptr[keep] = '\0';
	git_tree_free(sa);
	git_tree_free(sb);
	return error;
}

/*
 * Both trees' entries in one pass, in git's order. A tree that is out of
 * order (git never writes one) only makes entries look added or deleted:
 * more is scanned, never less.
 */
static int changed_paths(git_repository *repo, git_tree *a, git_tree *b, struct pg_buf *prefix,
			 struct pathlist *pl)
{
	const git_tree_entry *ea, *eb;
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	int c, error = 0;

	while (!error && (i < na || j < nb)) {
		ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		c = !ea ? 1 : !eb ? -1 : entry_cmp(ea, eb);
		if (c < 0) {
			error = all_paths(repo, ea, prefix, pl, true);
			i++;
		} else if (c > 0) {
			error = all_paths(repo, eb, prefix, pl, false);
			j++;
		} else {
			error = pair_changed(repo, ea, eb, prefix, pl);
			i++;
			j++;
		}
	}
	return error;
}

/*
 * git_diff_tree_to_tree() limited to the paths in `pl` (which differ),
 * or to the pathspec in the caller's `dopts` when it has one (libgit2
 * narrows the walk by it already).
 */
static int diff_paths(git_diff **out, git_repository *repo, git_tree *base, git_tree *tree,
		      const git_diff_options *dopts, struct pathlist *pl)
{
	git_diff_options narrowed = *dopts;
	int error;

	*out = NULL;
	if (!dopts->pathspec.count) {
		if (!pl->len)
			return 0;
		if ((error = pathlist_spec(pl)) < 0)
			return error;
		narrowed.pathspec.strings = pl->paths;
		narrowed.pathspec.count = pl->len;
		narrowed.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (git_diff_tree_to_tree(out, repo, base, tree, &narrowed) < 0)
		return pg_error_set_git("diffing a commit");
	return 0;
}

/* The paths that differ between two trees into `pl`. */
static int tree_changes(struct pathlist *pl, git_repository *repo, git_tree *base, git_tree *tree)
{
	struct pg_buf prefix = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	error = changed_paths(repo, base, tree, &prefix, pl);
	pg_buf_release(&prefix);
	return error;
}

/* git_diff_tree_to_tree() limited to the paths that differ; *out is NULL when nothing does. */
static int diff_trees(git_diff **out, git_repository *repo, git_tree *base, git_tree *tree,
		      const git_diff_options *dopts)
{
	struct pathlist pl = { 0 };
	int error = 0;

	*out = NULL;
	if (!dopts->pathspec.count && (error = tree_changes(&pl, repo, base, tree)) < 0)
		goto out;
	error = diff_paths(out, repo, base, tree, dopts, &pl);
out:
	pathlist_clear(&pl);
	return error;
}

static int item_cmp(const void *a, const void *b)
{
	return strcmp(((const struct path_item *)a)->path, ((const struct path_item *)b)->path);
}

/*
 * A commit that deletes nothing (and changes no file's type) cannot
 * rename: its changes need no git_diff, whose second tree walk was a
 * tenth of a history scan. Path order, as git_diff orders its deltas.
 */
static int visit_items(struct walker *w, struct pathlist *pl, const git_oid *commit,
		       git_tree **other_parents, size_t nother)
{
	struct change c;
	size_t i;
	int error;

	qsort(pl->items, pl->len, sizeof(*pl->items), item_cmp);
	for (i = 0; i < pl->len; i++) {
		c.status = git_oid_is_zero(&pl->items[i].old_id) ? GIT_DELTA_ADDED : GIT_DELTA_MODIFIED;
		c.path = c.old_path = pl->items[i].path;
		c.old_id = &pl->items[i].old_id;
		c.new_id = &pl->items[i].new_id;
		c.new_mode = pl->items[i].new_mode;
		if ((error = visit_change(w, &c, commit, other_parents, nother)) != 0)
			return error;
	}
	return 0;
}

static int visit_commit(struct walker *w, const git_oid *id)
{
	struct pathlist pl = { 0 };
	git_diff_options dopts;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *base = NULL, **others = NULL;
	git_diff *diff = NULL;
	unsigned int n, p;
	int error = 0;

	pg_blob_diff_options(&dopts, w->opts->max_blob_size);
	if (git_commit_lookup(&commit, w->repo, id) < 0 || git_commit_tree(&tree, commit) < 0) {
		error = pg_error_set_git("reading a commit");
		goto out;
	}
	if ((error = visit_message(w, commit)) != 0)
		goto out;
	n = git_commit_parentcount(commit);
	if (n > 0) {
		if (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&base, parent) < 0) {
			error = pg_error_set_git("reading a parent commit");
			goto out;
		}
		git_commit_free(parent);
		parent = NULL;
	}
	if (n > 1) {
		others = calloc(n - 1, sizeof(*others));
		if (!others) {
			error = pg_error_oom();
			goto out;
		}
		for (p = 1; p < n; p++) {
			if (git_commit_parent(&parent, commit, p) < 0 ||
			    git_commit_tree(&others[p - 1], parent) < 0) {
				error = pg_error_set_git("reading a merge parent");
				goto out;
			}
			git_commit_free(parent);
			parent = NULL;
		}
	}
	if ((error = tree_changes(&pl, w->repo, base, tree)) < 0 || !pl.len)
		goto out;
	if (!pl.needs_diff) {
		error = visit_items(w, &pl, id, others, n > 1 ? n - 1 : 0);
		goto out;
	}
	if ((error = diff_paths(&diff, w->repo, base, tree, &dopts, &pl)) < 0 || !diff)
		goto out;
	error = visit_diff(w, diff, id, others, n > 1 ? n - 1 : 0);
out:
	pathlist_clear(&pl);
	if (others)
		for (p = 1; p < n; p++)
			git_tree_free(others[p - 1]);
	free(others);
	git_diff_free(diff);
	git_commit_free(parent);
	git_tree_free(base);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

int pg_git_changes_walk(git_repository *repo, git_revwalk *walk,
			const struct pg_git_changes_opts *opts, const struct pg_git_visitor *visitor)
{
	struct walker w;
	git_oid id;
	int error;

	/*
	 * A hook streams: what it holds follows the queue, not the push. A
	 * scan keeps the walk's changes (some 100 bytes each) in segments
	 * to read them path by path (segment_order()).
	 */
	if ((error = walker_init(&w, repo, opts, visitor, !pg_git_memory_bounded())) < 0)
		goto out;
	if (git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0) {
		error = pg_error_set_git("sorting commits");
		goto out;
	}
	while ((error = git_revwalk_next(&id, walk)) == 0)
		if ((error = visit_commit(&w, &id)) != 0 ||
		    (w.defer && (error = segments_step(&w, false)) != 0))
			goto out;
	if (error != GIT_ITEROVER) {
		error = pg_error_set_git("walking commits");
		goto out;
	}
	error = w.defer ? segments_step(&w, true) : 0;
out:
	error = walker_finish(&w, error);
	walker_free(&w);
	return error;
}

int pg_git_changes_staged(git_repository *repo, const struct pg_git_changes_opts *opts,
			  const struct pg_git_visitor *visitor)
{
	git_diff_options dopts;
	git_reference *head = NULL;
	git_object *tree = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	struct walker w;
	int error;

	if ((error = walker_init(&w, repo, opts, visitor, false)) < 0)
		goto out;
	pg_blob_diff_options(&dopts, opts->max_blob_size);
	error = git_repository_head(&head, repo);
	if (error == 0) {
		if (git_reference_peel(&tree, head, GIT_OBJECT_TREE) < 0) {
			error = pg_error_set_git("reading HEAD");
			goto out;
		}
	} else if (error != GIT_EUNBORNBRANCH && error != GIT_ENOTFOUND) {
		error = pg_error_set_git("reading HEAD");
		goto out;
	}
	if (git_repository_index(&index, repo) < 0 ||
	    git_diff_tree_to_index(&diff, repo, (git_tree *)tree, index, &dopts) < 0) {
		error = pg_error_set_git("diffing the index");
		goto out;
	}
	error = visit_diff(&w, diff, NULL, NULL, 0);
out:
	error = walker_finish(&w, error);
	git_diff_free(diff);
	git_index_free(index);
	git_object_free(tree);
	git_reference_free(head);
	walker_free(&w);
	return error;
}

static int emit_changes(git_diff *diff, const git_oid *commit, pg_changed_file_cb cb,
			void *payload)
{
	const git_diff_delta *d;
	struct pg_changed_file f;
	size_t i, n;
	int error;

	if ((error = find_renames(diff)) < 0)
		return error;
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		d = git_diff_get_delta(diff, i);
		f.status = d->status;
		f.path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
		f.old_path = d->old_file.path;
		f.old_id = &d->old_file.id;
		f.new_id = &d->new_file.id;
		f.new_mode = d->new_file.mode;
		f.commit = commit;
		if ((error = cb(&f, payload)) != 0)
			return error;
	}
	return 0;
}

static int tree_of(git_tree **out, git_repository *repo, const git_oid *commit_id)
{
	git_commit *commit = NULL;
	int error = 0;

	if (git_commit_lookup(&commit, repo, commit_id) < 0 || git_commit_tree(out, commit) < 0)
		error = pg_error_set_git("reading a commit's tree");
	git_commit_free(commit);
	return error;
}

struct commit_changes {
	git_repository *repo;
	const git_strarray *paths;
	pg_changed_file_cb cb;
	void *payload;
};

static int changes_of_commit(git_commit *commit, void *payload)
{
	struct commit_changes *cc = payload;
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	git_commit *parent = NULL;
	git_tree *tree = NULL, *base = NULL;
	git_diff *diff = NULL;
	int error = 0;

	if (cc->paths)
		dopts.pathspec = *cc->paths;
	if (git_commit_tree(&tree, commit) < 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	     (git_commit_parent(&parent, commit, 0) < 0 || git_commit_tree(&base, parent) < 0))) {
		error = pg_error_set_git("reading a pushed commit");
		goto out;
	}
	if ((error = diff_trees(&diff, cc->repo, base, tree, &dopts)) < 0 || !diff)
		goto out;
	error = emit_changes(diff, git_commit_id(commit), cc->cb, cc->payload);
out:
	git_diff_free(diff);
	git_tree_free(base);
	git_tree_free(tree);
	git_commit_free(parent);
	return error;
}

int pg_git_new_commits(git_repository *repo, struct pg_git_published *pub,
		       const git_oid *new_commit,
		       int (*cb)(git_commit *commit, void *payload), void *payload)
{
	git_revwalk *walk = NULL;
	git_commit *commit = NULL;
	git_oid id;
	int error;

	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_push(walk, new_commit) < 0) {
		error = pg_error_set_git("walking the pushed commits");
		goto out;
	}
	if ((error = pg_git_published_hide(pub, walk)) < 0)
		goto out;
	while ((error = git_revwalk_next(&id, walk)) == 0) {
		if (git_commit_lookup(&commit, repo, &id) < 0) {
			error = pg_error_set_git("reading a pushed commit");
			goto out;
		}
		error = cb(commit, payload);
		git_commit_free(commit);
		commit = NULL;
		if (error != 0)
			goto out;
	}
	if (error != GIT_ITEROVER) {
		error = pg_error_set_git("walking the pushed commits");
		goto out;
	}
	error = 0;
out:
	git_revwalk_free(walk);
	return error;
}

int pg_git_ref_changes(git_repository *repo, struct pg_git_published *pub,
		       const git_oid *old_commit,
		       const git_oid *new_commit, const git_strarray *paths,
		       pg_changed_file_cb cb, void *payload)
{
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	struct commit_changes cc = { repo, paths, cb, payload };
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	int error;

	if (!old_commit)
		return pg_git_new_commits(repo, pub, new_commit, changes_of_commit, &cc);
	if (paths)
		dopts.pathspec = *paths;
	if ((error = tree_of(&old_tree, repo, old_commit)) < 0 ||
	    (error = tree_of(&new_tree, repo, new_commit)) < 0)
		goto out;
	if ((error = diff_trees(&diff, repo, old_tree, new_tree, &dopts)) < 0 || !diff)
		goto out;
	error = emit_changes(diff, NULL, cb, payload);
out:
	git_diff_free(diff);
	git_tree_free(new_tree);
	git_tree_free(old_tree);
	return error;
}
