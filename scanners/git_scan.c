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

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "git/blob_diff.h"
#include "git/diff_pool.h"
#include "scanners/context.h"
#include "scanners/git_scan.h"

struct scan_state {
	struct pg_git_scan *out;
	struct pg_scan_ctx *ctx;
	const struct pg_scanner *scanner;
	const struct pg_added_lines *added; /* the text being scanned */
	const char *commit;                 /* what findings name as their commit, or NULL */
	char commit_hex[GIT_OID_HEXSZ + 1];
	struct pg_buf key;                  /* a path scope, being looked up */
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
	struct pg_findings *list = m->inline_allowed ? &st->out->allowed : &st->out->findings;
	const char *secret = buf + m->secret_start;
	size_t secret_len = m->secret_end - m->secret_start, line, column;
	char fingerprint[41];
	int error;

	if ((error = pg_finding_fingerprint(fingerprint, m->rule->id, st->added->path,
					    secret, secret_len)) < 0)
		return error;
	if (already_found(list, fingerprint))
		return 0;
	pg_added_lines_locate(st->added, m->secret_start, &line, &column);
	if ((error = pg_findings_add(list, m->rule, st->added->path, st->commit, line, column,
				     secret, secret_len)) < 0)
		return error;
	if (st->added->binary) {
		list->items[list->len - 1].binary = true;
		list->items[list->len - 1].offset = m->secret_start;
	}
	pg_context_assess(&list->items[list->len - 1]);
	return 0;
}

/* Scan one text the input stage hands over, with the rules its place selects. */
static int scan_added(struct scan_state *st, const struct pg_added_lines *added)
{
	struct pg_scan_where where = { added->path, added->except_path, st->out->report_allowed };

	st->added = added;
	if (added->blob)
		st->out->stats.files++;
	st->out->stats.bytes += added->len;
	if (added->clean)
		return 0;
	return pg_scan_buffer_at(st->ctx, &where, added->text, added->len, on_match, st);
}

/*
 * The first pass of the scan, on the diff threads (see
 * pg_scan_buffer_may_match()): few changes have any hit, so the
 * caller's thread, which walks the commits and reports, confirms those
 * few and passes over the rest. Each thread has a context of its own.
 */
static int prescan_run(const char *text, size_t len, void **state, void *payload)
{
	const struct scan_state *st = payload;
	struct pg_scan_ctx *ctx = *state;
	int error;

	if (!ctx) {
		if ((error = pg_scan_ctx_new(&ctx, st->scanner)) < 0)
			return error;
		*state = ctx;
	}
	return pg_scan_buffer_may_match(ctx, text, len);
}

static void prescan_state_free(void *state)
{
	pg_scan_ctx_free(state);
}

/* The id of `path`'s scope: its index among the scopes met so far. */
static int on_scope(const char *path, uint32_t *id, void *payload)
{
	struct scan_state *st = payload;
	struct pg_strlist *scopes = &st->out->scopes;
	size_t i;
	int error;

	pg_buf_clear(&st->key);
	if ((error = pg_scanner_path_scope(st->scanner, path, &st->key)) < 0)
		return error;
	for (i = 0; i < scopes->len; i++)
		if (!strcmp(scopes->items[i], st->key.ptr))
			break;
	if (i == scopes->len && (error = pg_strlist_add(scopes, st->key.ptr)) < 0)
		return error;
	*id = (uint32_t)i;
	return 0;
}

static void show_progress(struct pg_git_scan *out)
{
	pg_progress_update(out->progress, "blobs", out->stats.files, out->stats.bytes,
			   out->findings.len, false);
}

static int on_added(const struct pg_added_lines *added, void *payload)
{
	struct scan_state *st = payload;

	show_progress(st->out);
	st->commit = NULL;
	if (added->commit) {
		git_oid_tostr(st->commit_hex, sizeof(st->commit_hex), added->commit);
		st->commit = st->commit_hex;
	}
	return scan_added(st, added);
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

static int finish(struct pg_git_scan *out, struct scan_state *st, double start, int error)
{
	struct pg_scan_ctx *ctx = st->ctx;
	const uint64_t *hits;
	size_t len;

	pg_buf_release(&st->key);
	if (ctx) {
		hits = pg_scan_ctx_limit_hits(ctx, &len);
		if (error >= 0)
			error = pg_scan_stats_add_limit_hits(&out->stats, hits, len);
		pg_scan_ctx_free(ctx);
	}
	out->stats.seconds += pg_scan_clock() - start;
	pg_findings_sort(&out->findings);
	pg_findings_sort(&out->allowed);
	return error;
}

/* Name the author and date of the commit that added `f` (reports show them). */
static int finding_annotate(struct pg_finding *f, git_repository *repo)
{
	struct pg_buf author = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const git_signature *who;
	git_commit *commit = NULL;
	struct tm tm;
	git_oid id;
	time_t when;
	int error;

	if (!f->commit || git_oid_fromstr(&id, f->commit) < 0 ||
	    git_commit_lookup(&commit, repo, &id) < 0)
		return 0; /* a tag's label, or no commit: nothing to say */
	who = git_commit_author(commit);
	if ((error = pg_buf_printf(&author, "%s <%s>", who->name, who->email)) == 0)
		f->author = pg_buf_detach(&author);
	when = (time_t)who->when.time;
	if (gmtime_r(&when, &tm))
		strftime(f->date, sizeof(f->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	pg_buf_release(&author);
	git_commit_free(commit);
	return error;
}

static int findings_annotate(struct pg_findings *list, git_repository *repo)
{
	size_t i;
	int error = 0;

	for (i = 0; !error && i < list->len; i++)
		error = finding_annotate(&list->items[i], repo);
	return error;
}

/* The commits `walk` yields, or (walk NULL) the staged changes. */
static int scan_changes(struct pg_git_scan *out, const struct pg_scanner *scanner,
			git_repository *repo, git_revwalk *walk,
			const struct pg_git_changes_opts *opts)
{
	struct scan_state st = { out, NULL, scanner, NULL, NULL, "", PG_BUF_INIT(PG_BUF_LIMIT_TEXT) };
	struct pg_diff_prescan prescan = { prescan_run, prescan_state_free, &st };
	struct pg_git_visitor visitor = { on_added, on_skipped, on_scope, &st, &prescan };
	double start = pg_scan_clock();
	int error;

	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&st.ctx, scanner)) == 0)
		error = walk ? pg_git_changes_walk(repo, walk, opts, &visitor)
			     : pg_git_changes_staged(repo, opts, &visitor);
	if (error == 0 && walk && (error = findings_annotate(&out->findings, repo)) == 0)
		error = findings_annotate(&out->allowed, repo);
	return finish(out, &st, start, error);
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
	struct scan_state st;
	git_repository *repo;
	git_odb *only_in;
	size_t max_blob_size;
	struct pg_buf fullpath;
	int error;              /* what stopped a tree walk */
};

/* A blob a tag brings, whole: raw when binary, skipped when an LFS pointer or too large. */
static int scan_blob(struct object_scan *os, const git_oid *id, const char *path)
{
	struct pg_added_lines added = { NULL, path, id };
	git_blob *blob = NULL;
	size_t size;
	int error = 0;

	if (os->only_in && !git_odb_exists(os->only_in, id))
		return 0;
	if (git_blob_lookup(&blob, os->repo, id) < 0)
		return pg_error_set_git("reading a pushed blob");
	size = (size_t)git_blob_rawsize(blob);
	added.text = git_blob_rawcontent(blob);
	added.len = size;
	if (os->max_blob_size && size > os->max_blob_size) {
		error = record_too_large(os->st.out, os->st.commit, path, size);
		goto out;
	}
	if (!pg_blob_is_lfs_pointer(added.text, size)) {
		added.binary = pg_blob_is_binary(added.text, size);
		error = scan_added(&os->st, &added);
	}
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

static void object_scan_init(struct object_scan *os, struct pg_git_scan *out,
			     const struct pg_scanner *scanner, git_repository *repo,
			     const char *label, git_odb *only_in, size_t max_blob_size)
{
	memset(os, 0, sizeof(*os));
	os->st.out = out;
	os->st.scanner = scanner;
	os->st.commit = label;
	pg_buf_init(&os->st.key, PG_BUF_LIMIT_TEXT);
	os->repo = repo;
	os->only_in = only_in;
	os->max_blob_size = max_blob_size;
	pg_buf_init(&os->fullpath, PG_BUF_LIMIT_TEXT);
}

int pg_git_scan_object(struct pg_git_scan *out, const struct pg_scanner *scanner,
		       git_repository *repo, const git_oid *id, const char *label,
		       git_odb *only_in, size_t max_blob_size)
{
	struct object_scan os;
	git_object *obj = NULL;
	double start = pg_scan_clock();
	int error;

	object_scan_init(&os, out, scanner, repo, label, only_in, max_blob_size);
	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&os.st.ctx, scanner)) < 0)
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
	return finish(out, &os.st, start, error);
}

/* Tags can point at tags; git never makes a long chain, a pusher might. */
#define MAX_TAG_CHAIN 64

/* The message of tag `id` (read raw: a NUL byte cannot end it early); its target into *next. */
static int scan_tag_message(struct scan_state *st, git_repository *repo, git_odb *odb,
			    const git_oid *id, git_oid *next)
{
	struct pg_added_lines added = { NULL, PG_GIT_TAG_MESSAGE };
	git_odb_object *raw = NULL;
	git_tag *tag = NULL;
	const char *data, *body;
	size_t size;
	int error = 0;

	if (git_tag_lookup(&tag, repo, id) < 0 || git_odb_read(&raw, odb, id) < 0) {
		error = pg_error_set_git("reading a pushed tag");
		goto out;
	}
	git_oid_cpy(next, git_tag_target_id(tag));
	git_oid_tostr(st->commit_hex, sizeof(st->commit_hex), id);
	st->commit = st->commit_hex;
	data = git_odb_object_data(raw);
	size = git_odb_object_size(raw);
	if ((body = memmem(data, size, "\n\n", 2)) && (size_t)(body + 2 - data) < size) {
		added.text = body + 2;
		added.len = size - (size_t)(body + 2 - data);
		error = scan_added(st, &added);
	}
out:
	git_odb_object_free(raw);
	git_tag_free(tag);
	return error;
}

int pg_git_scan_tag_messages(struct pg_git_scan *out, const struct pg_scanner *scanner,
			     git_repository *repo, const git_oid *id, git_odb *only_in)
{
	struct scan_state st = { out, NULL, scanner, NULL, NULL, "", PG_BUF_INIT(PG_BUF_LIMIT_TEXT) };
	git_odb *odb = NULL;
	git_object_t type;
	git_oid cur, next;
	double start = pg_scan_clock();
	size_t size, n;
	int error;

	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&st.ctx, scanner)) < 0)
		goto out;
	if (git_repository_odb(&odb, repo) < 0) {
		error = pg_error_set_git("opening the object database");
		goto out;
	}
	git_oid_cpy(&cur, id);
	for (n = 0; n < MAX_TAG_CHAIN; n++) {
		if (git_odb_read_header(&size, &type, odb, &cur) < 0) {
			error = pg_error_set_git("reading a pushed object");
			goto out;
		}
		if (type != GIT_OBJECT_TAG || (only_in && !git_odb_exists(only_in, &cur)))
			goto out;
		if ((error = scan_tag_message(&st, repo, odb, &cur, &next)) < 0)
			goto out;
		git_oid_cpy(&cur, &next);
	}
	error = pg_error_set(PG_ELIMIT, "a pushed tag points through more than %d tags",
			     MAX_TAG_CHAIN);
out:
	git_odb_free(odb);
	return finish(out, &st, start, error);
}

int pg_git_scan_all_tags(struct pg_git_scan *out, const struct pg_scanner *scanner,
			 git_repository *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	int error = 0, rc;

	if (git_reference_iterator_glob_new(&it, repo, "refs/tags/*") < 0)
		return pg_error_set_git("listing tags");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		if (git_reference_type(ref) == GIT_REFERENCE_DIRECT)
			error = pg_git_scan_tag_messages(out, scanner, repo, git_reference_target(ref),
							 NULL);
		git_reference_free(ref);
		if (error < 0)
			break;
	}
	if (!error && rc != GIT_ITEROVER)
		error = pg_error_set_git("listing tags");
	git_reference_iterator_free(it);
	return error;
}

void pg_git_scan_clear(struct pg_git_scan *scan)
{
	pg_findings_clear(&scan->findings);
	pg_findings_clear(&scan->allowed);
	pg_strlist_clear(&scan->scopes);
	pg_scan_stats_release(&scan->stats);
	pg_strlist_clear(&scan->too_large);
}
