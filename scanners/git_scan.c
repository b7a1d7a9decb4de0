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

static int on_skipped(const git_oid *commit, const char *path, const git_oid *blob,
		      enum pg_git_skip why, size_t size, void *payload)
{
	struct scan_state *st = payload;
	char hex[8] = "staged";
	char note[96];
	struct pg_buf entry = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error = 0;

	(void)blob;
	if (why == PG_GIT_SKIP_BINARY) {
		st->out->stats.skipped_binary++;
		return 0;
	}
	if (why != PG_GIT_SKIP_TOO_LARGE)
		return 0;
	st->out->stats.skipped_too_large++;
	if (commit)
		git_oid_tostr(hex, sizeof(hex), commit);
	snprintf(note, sizeof(note), " (%zu bytes, %s %s)", size, commit ? "commit" : "", hex);
	if ((error = pg_buf_put_name(&entry, path)) == 0 &&
	    (error = pg_buf_puts(&entry, note)) == 0)
		error = pg_strlist_add(&st->out->too_large, entry.ptr);
	pg_buf_release(&entry);
	return error;
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

int pg_git_scan_walk(struct pg_git_scan *out, const struct pg_scanner *scanner,
		     git_repository *repo, git_revwalk *walk,
		     const struct pg_git_changes_opts *opts)
{
	struct scan_state st = { out, NULL, NULL, "" };
	struct pg_git_visitor visitor = { on_added, on_skipped, &st };
	double start = now_seconds();
	int error;

	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&st.ctx, scanner)) == 0)
		error = pg_git_changes_walk(repo, walk, opts, &visitor);
	return finish(out, st.ctx, start, error);
}

int pg_git_scan_staged(struct pg_git_scan *out, const struct pg_scanner *scanner,
		       git_repository *repo, const struct pg_git_changes_opts *opts)
{
	struct scan_state st = { out, NULL, NULL, "" };
	struct pg_git_visitor visitor = { on_added, on_skipped, &st };
	double start = now_seconds();
	int error;

	out->stats.rules = pg_scanner_rules(scanner);
	if ((error = pg_scan_ctx_new(&st.ctx, scanner)) == 0)
		error = pg_git_changes_staged(repo, opts, &visitor);
	return finish(out, st.ctx, start, error);
}

void pg_git_scan_clear(struct pg_git_scan *scan)
{
	pg_findings_clear(&scan->findings);
	pg_scan_stats_release(&scan->stats);
	pg_strlist_clear(&scan->too_large);
}
