/*
 * git_scan.c - scan added lines and turn matches into findings.
 *
 * A secret that several commits carry is reported once, for the first
 * commit (in topological order) that added it at that path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "common/text.h"
#include "scanners/git_scan.h"

struct scan_state {
	struct pg_git_scan *out;
	struct pg_scan_ctx *ctx;
	const struct pg_added_lines *added; /* the text being scanned */
	char commit_hex[GIT_OID_HEXSZ + 1];
};

static bool already_found(const struct pg_findings *findings, const char *fingerprint)
{
	size_t i;

	for (i = 0; i < findings->len; i++)
		if (!strcmp(findings->items[i].fingerprint, fingerprint))
			return true;
	return false;
}

static int on_match(const struct pg_match *m, const char *buf, void *payload)
{
	struct scan_state *st = payload;
	const char *secret = buf + m->secret_start;
	size_t secret_len = m->secret_end - m->secret_start, line, column;
	char fingerprint[41];
	int error;

	if ((error = pg_finding_fingerprint(fingerprint, m->rule->id, st->added->path,
					    secret, secret_len)) < 0)
		return error;
	if (already_found(&st->out->findings, fingerprint))
		return 0;
	pg_added_lines_locate(st->added, m->secret_start, &line, &column);
	return pg_findings_add(&st->out->findings, m->rule, st->added->path,
			       st->added->commit ? st->commit_hex : NULL, line, column,
			       secret, secret_len);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show_progress(struct pg_git_scan *out, bool last)
{
	double now;

	if (!out->progress)
		return;
	now = now_seconds();
	if (!last && now - out->progress_at < 0.25)
		return;
	out->progress_at = now;
	fprintf(out->progress, "\rpushgate: %llu blobs, %.1f MB scanned, %zu findings%s",
		(unsigned long long)out->stats.files, (double)out->stats.bytes / 1e6,
		out->findings.len, last ? "\n" : "");
	fflush(out->progress);
}

static int on_added(const struct pg_added_lines *added, void *payload)
{
	struct scan_state *st = payload;

	show_progress(st->out, false);

	st->added = added;
	if (added->commit)
		git_oid_tostr(st->commit_hex, sizeof(st->commit_hex), added->commit);
	st->out->stats.files++;
	st->out->stats.bytes += added->len;
	return pg_scan_buffer(st->ctx, added->path, added->text, added->len, on_match, st);
}

/* Count a blob over the size limit and name it for the report. */
static int record_too_large(struct pg_git_scan *out, const char *where, const char *path,
			    size_t size)
{
	struct pg_buf entry = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	out->stats.skipped_too_large++;
	if ((error = pg_buf_put_name(&entry, path)) == 0 &&
	    (error = pg_buf_printf(&entry, " (%zu bytes, %s)", size, where)) == 0)
		error = pg_strlist_add(&out->too_large, entry.ptr);
	pg_buf_release(&entry);
	return error;
}

static int on_skipped(const git_oid *commit, const char *path, const git_oid *blob,
		      enum pg_git_skip why, size_t size, void *payload)
{
	struct scan_state *st = payload;
	char where[32] = "staged";

	(void)blob;
	if (why == PG_GIT_SKIP_BINARY) {
		st->out->stats.skipped_binary++;
		return 0;
	}
	if (why != PG_GIT_SKIP_TOO_LARGE)
		return 0;
	if (commit) {
		memcpy(where, "commit ", 7);
		git_oid_tostr(where + 7, 8, commit);
	}
	return record_too_large(st->out, where, path, size);
}

static int finish(struct pg_git_scan *out, struct pg_scan_ctx *ctx, double start, int error)
{
	const uint64_t *hits;
	size_t len;

	if (ctx) {
		hits = pg_scan_ctx_limit_hits(ctx, &len);
		if (error >= 0)
			error = pg_scan_stats_add_limit_hits(&out->stats, hits, len);
		pg_scan_ctx_free(ctx);
	}
	out->stats.seconds += now_seconds() - start;
	if (out->progress_at > 0)
		show_progress(out, true);
	pg_findings_sort(&out->findings);
	return error;
}

/* The commits `walk` yields, or (walk NULL) the staged changes. */
static int scan_changes(struct pg_git_scan *out, const struct pg_scanner *scanner,
			git_repository *repo, git_revwalk *walk,
			const struct pg_git_changes_opts *opts)
{
	struct scan_state st = { out, NULL, NULL, "" };
	struct pg_git_visitor visitor = { on_added, on_skipped, &st };
	double start = now_seconds();
	int error;

	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&st.ctx, scanner)) == 0)
		error = walk ? pg_git_changes_walk(repo, walk, opts, &visitor)
			     : pg_git_changes_staged(repo, opts, &visitor);
	return finish(out, st.ctx, start, error);
}

int pg_git_scan_walk(struct pg_git_scan *out, const struct pg_scanner *scanner,
		     git_repository *repo, git_revwalk *walk,
		     const struct pg_git_changes_opts *opts)
{
	return scan_changes(out, scanner, repo, walk, opts);
}

int pg_git_scan_staged(struct pg_git_scan *out, const struct pg_scanner *scanner,
		       git_repository *repo, const struct pg_git_changes_opts *opts)
{
	return scan_changes(out, scanner, repo, NULL, opts);
}

struct object_scan {
	struct pg_git_scan *out;
	struct pg_scan_ctx *ctx;
	git_repository *repo;
	git_odb *only_in;
	size_t max_blob_size;
	const char *label;
	const char *path;       /* of the blob being scanned */
	struct pg_buf fullpath;
	int error;              /* what stopped a tree walk */
};

/* 1-based line and column of `offset` in `text`. */
static void locate(const char *text, size_t offset, size_t *line, size_t *column)
{
	const char *p = text, *end = text + offset, *nl;

	*line = 1;
	while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		(*line)++;
		p = nl + 1;
	}
	*column = (size_t)(end - p) + 1;
}

static int on_object_match(const struct pg_match *m, const char *buf, void *payload)
{
	struct object_scan *os = payload;
	size_t line, column;

	locate(buf, m->secret_start, &line, &column);
	return pg_findings_add(&os->out->findings, m->rule, os->path, os->label, line, column,
			       buf + m->secret_start, m->secret_end - m->secret_start);
}

static int scan_blob(struct object_scan *os, const git_oid *id, const char *path)
{
	git_blob *blob = NULL;
	const char *data;
	size_t size;
	int error = 0;

	if (os->only_in && !git_odb_exists(os->only_in, id))
		return 0;
	if (git_blob_lookup(&blob, os->repo, id) < 0)
		return pg_error_set_git("reading a pushed blob");
	size = (size_t)git_blob_rawsize(blob);
	data = git_blob_rawcontent(blob);
	if (os->max_blob_size && size > os->max_blob_size) {
		error = record_too_large(os->out, os->label, path, size);
		goto out;
	}
	if (memchr(data, '\0', size < 8000 ? size : 8000)) {
		os->out->stats.skipped_binary++;
		goto out;
	}
	os->out->stats.files++;
	os->out->stats.bytes += size;
	os->path = path;
	error = pg_scan_buffer(os->ctx, path, data, size, on_object_match, os);
out:
	git_blob_free(blob);
	return error;
}

static int on_tree_entry(const char *root, const git_tree_entry *entry, void *payload)
{
	struct object_scan *os = payload;
	int error;

	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB ||
	    git_tree_entry_filemode(entry) == GIT_FILEMODE_COMMIT)
		return 0;
	pg_buf_clear(&os->fullpath);
	if ((error = pg_buf_puts(&os->fullpath, root)) < 0 ||
	    (error = pg_buf_puts(&os->fullpath, git_tree_entry_name(entry))) < 0 ||
	    (error = scan_blob(os, git_tree_entry_id(entry), os->fullpath.ptr)) < 0) {
		os->error = error;
		return -1; /* stop the walk; os->error says why */
	}
	return 0;
}

int pg_git_scan_object(struct pg_git_scan *out, const struct pg_scanner *scanner,
		       git_repository *repo, const git_oid *id, const char *label,
		       git_odb *only_in, size_t max_blob_size)
{
	struct object_scan os = { out, NULL, repo, only_in, max_blob_size, label, NULL,
				  PG_BUF_INIT(PG_BUF_LIMIT_TEXT), 0 };
	git_object *obj = NULL;
	double start = now_seconds();
	int error;

	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&os.ctx, scanner)) < 0)
		goto out;
	if (git_object_lookup(&obj, repo, id, GIT_OBJECT_ANY) < 0) {
		error = pg_error_set_git("reading a pushed object");
		goto out;
	}
	if (git_object_type(obj) == GIT_OBJECT_BLOB)
		error = scan_blob(&os, id, "(blob)");
	else if (git_object_type(obj) == GIT_OBJECT_TREE &&
		 git_tree_walk((git_tree *)obj, GIT_TREEWALK_PRE, on_tree_entry, &os) < 0)
		error = os.error ? os.error : pg_error_set_git("walking a pushed tree");
out:
	git_object_free(obj);
	pg_buf_release(&os.fullpath);
	return finish(out, os.ctx, start, error);
}

void pg_git_scan_clear(struct pg_git_scan *scan)
{
	pg_findings_clear(&scan->findings);
	pg_scan_stats_release(&scan->stats);
	pg_strlist_clear(&scan->too_large);
}
