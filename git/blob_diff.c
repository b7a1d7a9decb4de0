/*
 * blob_diff.c - the lines one changed file adds (see blob_diff.h).
 */
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/error.h"
#include "git/blob_diff.h"

#define LFS_VERSION_LINE "version https://git-lfs.github.com/spec/v1\n"
#define LFS_POINTER_MAX 1024
/* git's buffer_is_binary(): a NUL byte in this many first bytes. */
#define BINARY_PROBE 8000

struct added_line {
	const char *content; /* borrowed from the patch or the new blob */
	size_t len;
	size_t lineno;
};

struct pg_blob_differ {
	git_repository *repo;
	git_odb *odb;
	bool keep_last;
	git_blob *last;             /* keep_last: the new blob of the last change, if text */
	size_t max_blob_size;
	git_diff_options dopts;     /* pg_blob_diff_options() for max_blob_size */
	struct added_line *found;   /* lines of the current change */
	size_t found_len, found_alloc;
	size_t *other;              /* new line numbers added against another parent */
	size_t other_len, other_alloc;
	int other_oom;              /* collect_other_line ran out of memory */
};

void pg_blob_added_init(struct pg_blob_added *added, size_t max_blob_size)
{
	memset(added, 0, sizeof(*added));
	pg_buf_init(&added->text, max_blob_size ? max_blob_size * 2 + 4096 : (size_t)1 << 40);
	pg_buf_init(&added->whole, max_blob_size ? max_blob_size + 4096 : (size_t)1 << 40);
}

void pg_blob_added_release(struct pg_blob_added *added)
{
	pg_buf_release(&added->text);
	pg_buf_release(&added->whole);
	free(added->starts);
	free(added->lines);
	added->starts = added->lines = NULL;
	added->starts_alloc = added->lines_alloc = added->nlines = 0;
}

void pg_blob_diff_options(git_diff_options *dopts, size_t max_blob_size)
{
	git_diff_options_init(dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts->context_lines = 0;
	dopts->interhunk_lines = 0;
	if (max_blob_size)
		dopts->max_size = (git_off_t)max_blob_size + 1;
}

bool pg_blob_is_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE) != NULL;
}

/* Does `p` start with `n` characters of `set`, followed by `end`? Where it ends goes to *next. */
static bool span_then(const char *p, const char *limit, const char *set, size_t min, size_t max,
		      char end, const char **next)
{
	size_t n = 0;

	while (p + n < limit && n < max && p[n] && strchr(set, p[n]))
		n++;
	if (n < min || p + n >= limit || p[n] != end)
		return false;
	*next = p + n + 1;
	return true;
}

static bool starts_with(const char *p, const char *limit, const char *prefix, const char **next)
{
	size_t n = strlen(prefix);

	if ((size_t)(limit - p) < n || memcmp(p, prefix, n))
		return false;
	*next = p + n;
	return true;
}

#define HEX "0123456789abcdef"
#define DIGITS "0123456789"

bool pg_blob_is_lfs_pointer(const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	if (len >= LFS_POINTER_MAX || !starts_with(p, end, LFS_VERSION_LINE, &p))
		return false;
	/* Extensions (ext-<digit>-<name> sha256:<hex>) sort before oid. */
	while (starts_with(p, end, "ext-", &p))
		if (!span_then(p, end, DIGITS, 1, 1, '-', &p) ||
		    !span_then(p, end, "abcdefghijklmnopqrstuvwxyz" DIGITS, 1, 64, ' ', &p) ||
		    !starts_with(p, end, "sha256:", &p) || !span_then(p, end, HEX, 64, 64, '\n', &p))
			return false;
	return starts_with(p, end, "oid sha256:", &p) && span_then(p, end, HEX, 64, 64, '\n', &p) &&
	       starts_with(p, end, "size ", &p) && span_then(p, end, DIGITS, 1, 20, '\n', &p) &&
	       p == end;
}

int pg_blob_differ_new(struct pg_blob_differ **out, git_repository *repo, size_t max_blob_size)
{
	struct pg_blob_differ *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return pg_error_oom();
	d->repo = repo;
	d->max_blob_size = max_blob_size;
	pg_blob_diff_options(&d->dopts, max_blob_size);
	/* Whether a version is text is ours to decide (pg_blob_is_binary), not the old side's or .gitattributes'. */
	d->dopts.flags |= GIT_DIFF_FORCE_TEXT;
	if (git_repository_odb(&d->odb, repo) < 0) {
		free(d);
		return pg_error_set_git("opening the object database");
	}
	*out = d;
	return 0;
}

void pg_blob_differ_free(struct pg_blob_differ *d)
{
	if (!d)
		return;
	git_blob_free(d->last);
	git_odb_free(d->odb);
	free(d->found);
	free(d->other);
	free(d);
}

void pg_blob_differ_keep_last(struct pg_blob_differ *d, bool keep)
{
	d->keep_last = keep;
	if (!keep) {
		git_blob_free(d->last);
		d->last = NULL;
	}
}

/*
 * When a change's added lines follow from the lines both versions share
 * at their start and end, they are read off directly: a history's edits
 * are mostly a few lines in a big file, and git_patch_from_blobs() hashes
 * and classifies every line of both versions first (most of a history
 * scan). Only the cases where xdiff has no choice are decided here, so
 * the answer is the one it gives, line numbers included (see
 * pg_blob_diff__added_run() in blob_diff.h); any other falls back to it.
 */
#define RUN_MAX_SIZE ((size_t)64 << 20)  /* libgit2 diffs up to 512 MiB as text */
#define RUN_MAX_PAIRS 4096               /* line comparisons to tell two middles apart */

static size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;

	while (i + 64 <= n && !memcmp(a + i, b + i, 64))
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

static size_t common_suffix(const char *a, size_t na, const char *b, size_t nb, size_t n)
{
	size_t i = 0;

	while (i + 64 <= n && !memcmp(a + na - i - 64, b + nb - i - 64, 64))
		i += 64;
	while (i < n && a[na - i - 1] == b[nb - i - 1])
		i++;
	return i;
}

/* Where the line starting at `at` ends: after its '\n', or at `len`. */
static size_t line_end(const char *buf, size_t len, size_t at)
{
	const char *nl = memchr(buf + at, '\n', len - at);

	return nl ? (size_t)(nl - buf) + 1 : len;
}

/* Where the line ending at `end` (> 0, a line boundary) starts. */
static size_t line_start(const char *buf, size_t end)
{
	const char *nl = memrchr(buf, '\n', end - 1);

	return nl ? (size_t)(nl - buf) + 1 : 0;
}

static size_t count_lines(const char *buf, size_t start, size_t end)
{
	size_t n = 0;
	const char *p = buf + start, *stop = buf + end;

	while (p < stop && (p = memchr(p, '\n', (size_t)(stop - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

static bool same_line(const char *a, size_t a_at, size_t a_end, const char *b, size_t b_at,
		      size_t b_end)
{
	return a_end - a_at == b_end - b_at && !memcmp(a + a_at, b + b_at, a_end - a_at);
}

/* Does no line of old[o0, o1) equal a line of new[n0, n1)? False when too many to compare. */
static bool middles_apart(const char *old, size_t o0, size_t o1, const char *new, size_t n0,
			  size_t n1)
{
	size_t i, j, ie, je, pairs = 0;

	for (j = n0; j < n1; j = je) {
		je = line_end(new, n1, j);
		for (i = o0; i < o1; i = ie) {
			ie = line_end(old, o1, i);
			if (++pairs > RUN_MAX_PAIRS || same_line(old, i, ie, new, j, je))
				return false;
		}
	}
	return true;
}

bool pg_blob_diff__added_run(const char *old, size_t old_len, const char *new, size_t new_len,
			     size_t *start, size_t *end, size_t *lineno)
{
	size_t lp, pb, lo, ln, ls, sb, mid_end, first_end, prev_start;
	const char *nl;

	if (old_len > RUN_MAX_SIZE || new_len > RUN_MAX_SIZE)
		return false;
	/* xdiff first drops the lines both share at the start, then at the end. */
	lp = common_prefix(old, new, old_len < new_len ? old_len : new_len);
	if (lp == old_len && lp == new_len) {
		*start = *end = new_len;
		*lineno = 1;
		return true;
	}
	nl = lp ? memrchr(new, '\n', lp) : NULL;
	pb = nl ? (size_t)(nl - new) + 1 : 0;
	lo = old_len - pb;
	ln = new_len - pb;
	ls = common_suffix(old + pb, lo, new + pb, ln, lo < ln ? lo : ln);
	if ((ls == lo || old[old_len - ls - 1] == '\n') && (ls == ln || new[new_len - ls - 1] == '\n'))
		sb = ls;                /* the shared bytes start a line in both */
	else if ((nl = memchr(new + new_len - ls, '\n', ls)) != NULL)
		sb = new_len - (size_t)(nl - new) - 1;
	else
		sb = 0;
	mid_end = new_len - sb;
	*start = pb;
	*end = mid_end;
	*lineno = count_lines(new, 0, pb) + 1;
	if (pb == mid_end)
		return true;            /* lines removed, none added */
	/*
	 * Lines in both middles could be matched in more than one way; with
	 * none, every line of the new middle is added, as one group...
	 */
	if (old_len - sb > pb && !middles_apart(old, pb, old_len - sb, new, pb, mid_end))
		return false;
	/* ... which xdiff would slide up or down past a line equal to its last or first one. */
	prev_start = line_start(new, mid_end);
	if (pb && same_line(new, line_start(new, pb), pb, new, prev_start, mid_end))
		return false;
	first_end = line_end(new, new_len, pb);
	if (sb && same_line(new, pb, first_end, new, mid_end, line_end(new, new_len, mid_end)))
		return false;
	return true;
}

static int collect_patch_lines(struct pg_blob_differ *d, git_patch *patch)
{
	const git_diff_line *line;
	struct added_line *found;
	size_t h, l, nlines;

	d->found_len = 0;
	for (h = 0; h < git_patch_num_hunks(patch); h++) {
		nlines = (size_t)git_patch_num_lines_in_hunk(patch, h);
		for (l = 0; l < nlines; l++) {
			if (git_patch_get_line_in_hunk(&line, patch, h, l) < 0)
				return pg_error_set_git("reading a diff");
			if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0)
				continue;
			found = pg_array_grow(d->found, &d->found_alloc, d->found_len + 1,
					      sizeof(*found));
			if (!found)
				return pg_error_oom();
			d->found = found;
			d->found[d->found_len].content = line->content;
			d->found[d->found_len].len = line->content_len;
			d->found[d->found_len].lineno = (size_t)line->new_lineno;
			d->found_len++;
		}
	}
	return 0;
}

/* The lines of new[start, end), the first being line `lineno`, as found lines. */
static int collect_run_lines(struct pg_blob_differ *d, const char *new, size_t start, size_t end,
			     size_t lineno)
{
	struct added_line *found;
	size_t at, next;

	d->found_len = 0;
	for (at = start; at < end; at = next, lineno++) {
		next = line_end(new, end, at);
		found = pg_array_grow(d->found, &d->found_alloc, d->found_len + 1, sizeof(*found));
		if (!found)
			return pg_error_oom();
		d->found = found;
		d->found[d->found_len].content = new + at;
		d->found[d->found_len].len = next - at;
		d->found[d->found_len].lineno = lineno;
		d->found_len++;
	}
	return 0;
}

static int collect_other_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
			      const git_diff_line *line, void *payload)
{
	struct pg_blob_differ *d = payload;
	size_t *other;

	(void)delta;
	(void)hunk;
	if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0)
		return 0;
	other = pg_array_grow(d->other, &d->other_alloc, d->other_len + 1, sizeof(*other));
	if (!other) {
		d->other_oom = 1;
		return -1;
	}
	d->other = other;
	d->other[d->other_len++] = (size_t)line->new_lineno;
	return 0;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * A blob whose lines may stand for lines of a new text version: NULL
 * (counts as empty) when it is binary or over the size limit, as its
 * lines were never scanned as text lines.
 */
static int blob_lookup_text(git_blob **out, struct pg_blob_differ *d, const git_oid *id,
			    const char *what)
{
	git_object_t type;
	size_t size;
	git_blob *blob = NULL;

	*out = NULL;
	if (d->last && git_oid_equal(git_blob_id(d->last), id)) {
		/* Text and within the limit, or it would not have been kept. */
		*out = d->last;
		d->last = NULL;
		return 0;
	}
	if (git_odb_read_header(&size, &type, d->odb, id) < 0)
		return pg_error_set_git(what);
	if (type != GIT_OBJECT_BLOB || (d->max_blob_size && size > d->max_blob_size))
		return 0;
	if (git_blob_lookup(&blob, d->repo, id) < 0)
		return pg_error_set_git(what);
	if (pg_blob_is_binary(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob))) {
		git_blob_free(blob);
		return 0;
	}
	*out = blob;
	return 0;
}

/* Keep only the found lines that are also new against a merge parent's blob `other_id`. */
static int intersect_with_parent(struct pg_blob_differ *d, const char *path, const git_oid *other_id,
				 git_blob *blob)
{
	git_diff_options dopts = GIT_DIFF_OPTIONS_INIT;
	git_blob *old = NULL;
	size_t i, kept = 0;
	int error;

	if ((error = blob_lookup_text(&old, d, other_id, "reading a merge parent's blob")) < 0)
		return error;
	dopts.context_lines = 0;
	dopts.flags |= GIT_DIFF_FORCE_TEXT;
	d->other_len = 0;
	d->other_oom = 0;
	error = git_diff_blobs(old, path, blob, path, &dopts, NULL, NULL, NULL,
			       collect_other_line, d);
	git_blob_free(old);
	if (error < 0)
		return d->other_oom ? pg_error_oom() : pg_error_set_git("diffing a merge");
	qsort(d->other, d->other_len, sizeof(*d->other), size_cmp);
	for (i = 0; i < d->found_len; i++)
		if (d->other_len && bsearch(&d->found[i].lineno, d->other, d->other_len,
					    sizeof(*d->other), size_cmp))
			d->found[kept++] = d->found[i];
	d->found_len = kept;
	return 0;
}

/* Only the lines of `blob` (the change's new blob) new against every other parent of a merge. */
static int keep_new_against_others(struct pg_blob_differ *d, const struct pg_blob_change *c,
				   git_blob *blob)
{
	size_t p;
	int error = 0;

	for (p = 0; p < c->nothers && d->found_len && !error; p++)
		if (!git_oid_is_zero(&c->others[p]))
			error = intersect_with_parent(d, c->path, &c->others[p], blob);
	return error;
}

static void set_skipped(struct pg_blob_added *out, enum pg_git_skip why, size_t size)
{
	out->outcome = PG_BLOB_SKIPPED;
	out->why = why;
	out->size = size;
}

static int set_added(struct pg_blob_differ *d, struct pg_blob_added *out)
{
	size_t i, *starts, *lines;
	int error;

	pg_buf_clear(&out->text);
	if (!(starts = pg_array_grow(out->starts, &out->starts_alloc, d->found_len, sizeof(*starts))))
		return pg_error_oom();
	out->starts = starts;
	if (!(lines = pg_array_grow(out->lines, &out->lines_alloc, d->found_len, sizeof(*lines))))
		return pg_error_oom();
	out->lines = lines;
	for (i = 0; i < d->found_len; i++) {
		out->starts[i] = out->text.size;
		out->lines[i] = d->found[i].lineno;
		if ((error = pg_buf_put(&out->text, d->found[i].content, d->found[i].len)) < 0)
			return error;
		if ((!d->found[i].len || d->found[i].content[d->found[i].len - 1] != '\n') &&
		    (error = pg_buf_putc(&out->text, '\n')) < 0)
			return error;
	}
	out->nlines = d->found_len;
	out->outcome = PG_BLOB_ADDED;
	return 0;
}

static int taken_from_other_parent(const struct pg_blob_change *c)
{
	size_t p;

	for (p = 0; p < c->nothers; p++)
		if (git_oid_equal(&c->others[p], &c->new_id))
			return 1;
	return 0;
}

/* The lines `new` (text) adds against the change's old blob and merge parents. */
static int diff_text(struct pg_blob_differ *d, const struct pg_blob_change *c, git_blob *new,
		     struct pg_blob_added *out)
{
	git_patch *patch = NULL;
	git_blob *old = NULL;
	size_t start, end, lineno;
	int error;

	d->found_len = 0;
	if (git_oid_equal(&c->old_id, &c->new_id))
		return 0; /* a rename into another scope: only the whole blob is new there */
	if (!git_oid_is_zero(&c->old_id) &&
	    (error = blob_lookup_text(&old, d, &c->old_id, "reading a pushed blob")) < 0)
		return error;
	if (pg_blob_diff__added_run(old ? git_blob_rawcontent(old) : "",
				    old ? (size_t)git_blob_rawsize(old) : 0,
				    git_blob_rawcontent(new), (size_t)git_blob_rawsize(new),
				    &start, &end, &lineno)) {
		if ((error = collect_run_lines(d, git_blob_rawcontent(new), start, end, lineno)) < 0)
			goto out;
	} else if (git_patch_from_blobs(&patch, old, c->path, new, c->path, &d->dopts) < 0) {
		error = pg_error_set_git("diffing a commit");
		goto out;
	} else if ((error = collect_patch_lines(d, patch)) < 0) {
		goto out;
	}
	if (c->nothers && (error = keep_new_against_others(d, c, new)) < 0)
		goto out;
	if (d->found_len)
		error = set_added(d, out);
out:
	git_patch_free(patch);
	git_blob_free(old);
	return error;
}

int pg_blob_differ_run(struct pg_blob_differ *d, const struct pg_blob_change *c,
		       struct pg_blob_added *out)
{
	git_blob *new = NULL;
	git_object_t type;
	const char *data;
	size_t size;
	int error = 0;

	out->outcome = PG_BLOB_NOTHING;
	out->nlines = 0;
	out->has_whole = false;
	if (git_odb_read_header(&size, &type, d->odb, &c->new_id) < 0)
		return pg_error_set_git("reading a pushed blob");
	if (d->max_blob_size && size > d->max_blob_size) {
		set_skipped(out, PG_GIT_SKIP_TOO_LARGE, size);
		return 0;
	}
	if (taken_from_other_parent(c))
		return 0;
	if (git_blob_lookup(&new, d->repo, &c->new_id) < 0)
		return pg_error_set_git("reading a pushed blob");
	data = git_blob_rawcontent(new);
	size = (size_t)git_blob_rawsize(new);
	if (pg_blob_is_lfs_pointer(data, size)) {
		set_skipped(out, PG_GIT_SKIP_LFS_POINTER, size);
	} else if (pg_blob_is_binary(data, size)) {
		pg_buf_clear(&out->text);
		if ((error = pg_buf_put(&out->text, data, size)) == 0)
			out->outcome = PG_BLOB_BINARY;
	} else {
		if ((error = diff_text(d, c, new, out)) == 0 && c->scope_from) {
			pg_buf_clear(&out->whole);
			if ((error = pg_buf_put(&out->whole, data, size)) == 0)
				out->has_whole = true;
		}
		if (d->keep_last) {
			git_blob_free(d->last);
			d->last = new;
			new = NULL;
		}
	}
	git_blob_free(new);
	return error;
}
