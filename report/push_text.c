/*
 * push_text.c - what the hooks tell the person pushing or committing
 * (push_text.h).
 *
 * The evaluation has decided every problem; this file only words it.
 * A push may carry thousands of refs and findings: the first ones are
 * shown in full, the rest counted.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/glob.h"
#include "common/text.h"
#include "git/git_changes.h"
#include "report/push_text.h"
#include "report/report.h"
#include "scanners/workflow.h"

/* Violations printed in full; the rest are counted. */
#define MAX_PRINTED 100

/* Findings printed in full; the rest are counted. */
#define MAX_SHOWN_FINDINGS 10

/*
 * A message quotes what the pusher wrote (names, workflow text); whatever a
 * check let through, no credential leaves whole. `text` is already escaped.
 */
static const char *masked(struct pg_buf *b, const char *text)
{
	pg_buf_clear(b);
	if (pg_buf_put_masked(b, text, strlen(text)) < 0) {
		pg_buf_clear(b);
		pg_buf_puts(b, "(message cannot be shown)");
	}
	return b->ptr;
}

static const char *mark_of(enum pg_severity severity, bool bypassed)
{
	if (severity == PG_SEVERITY_WARN)
		return "! warning";
	return bypassed ? "! bypassed" : "x";
}

void pg_verdict_print(FILE *out, const struct pg_verdict *verdict, bool bypassed)
{
	struct pg_buf name = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_buf shown = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const struct pg_violation *v;
	size_t i, more_refs = 0;

	/* Checks append a ref's problems together, so a group ends where the ref changes. */
	for (i = 0; i < verdict->len; i++) {
		v = &verdict->items[i];
		if (i >= MAX_PRINTED) {
			if (strcmp(v->ref, verdict->items[i - 1].ref))
				more_refs++;
			continue;
		}
		if (!i || strcmp(v->ref, verdict->items[i - 1].ref)) {
			pg_buf_clear(&name);
			if (pg_buf_put_name(&name, v->ref) < 0)
				pg_buf_puts(&name, "(ref name cannot be shown)");
			fprintf(out, "  %s\n", masked(&shown, name.ptr));
		}
		fprintf(out, "    %s [%s] %s\n", mark_of(v->severity, bypassed), v->check,
			masked(&shown, v->message));
		if (v->fix)
			fprintf(out, "      fix: %s\n", masked(&shown, v->fix));
	}
	if (verdict->len > MAX_PRINTED && more_refs)
		fprintf(out, "  ... and %zu more problems in %zu more refs\n",
			verdict->len - MAX_PRINTED, more_refs);
	else if (verdict->len > MAX_PRINTED)
		fprintf(out, "  ... and %zu more problems\n", verdict->len - MAX_PRINTED);
	pg_buf_release(&name);
	pg_buf_release(&shown);
}

static void put_user(struct pg_buf *out, const char *pusher)
{
	if (pg_buf_put_name(out, pusher ? pusher : "(unknown user)") < 0)
		pg_buf_puts(out, "(name cannot be shown)");
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

/* File name globs (common/glob.h) and the line comment their format uses. */
static const struct comment_syntax {
	const char *comment;
	const char *const *globs;
} comment_syntaxes[] = {
	{ "# pushgate:allow", (const char *const[]){
		"*.py", "*.rb", "*.sh", "*.bash", "*.zsh", "*.pl", "*.yml", "*.yaml", "*.toml",
		"*.env", "*.properties", "*.conf", "*.cfg", "*.ini", "*.r", "*.ps1", "*.tf",
		"*.hcl", "Dockerfile", "Makefile", "*.mk", "*.cmake", "*.nix", "*.gitignore",
		"*.dockerignore", "*.editorconfig", NULL } },
	{ "// pushgate:allow", (const char *const[]){
		"*.js", "*.mjs", "*.cjs", "*.jsx", "*.ts", "*.tsx", "*.go", "*.java", "*.kt",
		"*.kts", "*.scala", "*.c", "*.h", "*.cc", "*.cpp", "*.hpp", "*.cs", "*.rs",
		"*.swift", "*.php", "*.dart", "*.groovy", "*.gradle", "*.jsonc", "*.json5",
		"*.proto", "*.zig", NULL } },
	{ "<!-- pushgate:allow -->", (const char *const[]){
		"*.html", "*.htm", "*.xml", "*.md", "*.markdown", "*.vue", "*.svelte",
		"*.xhtml", "*.svg", "*.csproj", "*.config", NULL } },
	{ "-- pushgate:allow", (const char *const[]){
		"*.sql", "*.lua", "*.hs", "*.elm", NULL } },
	{ "% pushgate:allow", (const char *const[]){
		"*.tex", "*.erl", "*.m", NULL } },
	{ "; pushgate:allow", (const char *const[]){
		"*.clj", "*.el", "*.lisp", "*.asm", NULL } },
};

/* Does one of the NULL-terminated `globs` match `path`? */
static bool path_matches_any(const char *path, const char *const *globs)
{
	for (; *globs; globs++)
		if (pg_glob_match_path(*globs, path))
			return true;
	return false;
}

/* The comment that allows a finding in this file's format, or NULL if none is known. */
static const char *comment_for(const char *path)
{
	size_t i;

	for (i = 0; i < sizeof(comment_syntaxes) / sizeof(comment_syntaxes[0]); i++)
		if (path_matches_any(path, comment_syntaxes[i].globs))
			return comment_syntaxes[i].comment;
	return NULL;
}

/* How to allow a false positive where it is, in the syntax its file uses. */
static void put_allow_hint(struct pg_buf *out, const struct pg_finding *f)
{
	const char *comment;

	if (!strcmp(f->path, PG_GIT_COMMIT_MESSAGE) || !strcmp(f->path, PG_GIT_TAG_MESSAGE))
		pg_buf_puts(out, "reword the message (git commit --amend, git rebase -i)");
	else if (f->binary)
		pg_buf_puts(out, "a binary file cannot carry pushgate:allow: take the secret out of it");
	else if (path_matches_any(f->path, (const char *const[]){ "*.json", "*.ipynb", NULL }))
		pg_buf_puts(out, "JSON has no comments: list the finding's fingerprint (pushgate "
			    "scan --format json shows it) in .pushgateignore at the repository "
			    "root, or put pushgate:allow in a string on the same line");
	else if ((comment = comment_for(f->path)))
		pg_buf_printf(out, "end that line with the comment %s", comment);
	else
		pg_buf_puts(out, "add the comment pushgate:allow on that line, in the file's "
			    "comment syntax");
}

static void put_finding(struct pg_buf *line, const struct pg_finding *f, const char *mark)
{
	pg_buf_printf(line, "    %s [%s] ", mark, f->rule->id);
	put_location(line, f);
	pg_buf_puts(line, ": ");
	pg_buf_put_redacted(line, f->secret, f->secret_len);
	pg_buf_printf(line, " (confidence %s", pg_confidence_name(f->confidence));
	if (f->lowered) {
		pg_buf_puts(line, ": ");
		pg_finding_lowered_put(line, f->lowered);
	}
	pg_buf_puts(line, ")");
	if (pg_workflow_path_matches(f->path))
		pg_buf_puts(line, " (in a CI workflow file: use ${{ secrets.NAME }})");
}

static void print_findings(FILE *out, const struct pg_evaluation *ev, bool rejected,
			   bool bypassed)
{
	const struct pg_findings *f = &ev->scan.findings;
	struct pg_buf line = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;

	if (!f->len)
		return;
	fprintf(out, "  secrets in the pushed commits (%zu):\n", f->len);
	for (i = 0; i < f->len && i < MAX_SHOWN_FINDINGS; i++) {
		pg_buf_clear(&line);
		put_finding(&line, &f->items[i], mark_of(ev->actions[i], bypassed));
		fprintf(out, "%s\n", line.ptr);
	}
	if (f->len > MAX_SHOWN_FINDINGS)
		fprintf(out, "    ... and %zu more\n", f->len - MAX_SHOWN_FINDINGS);
	if (rejected) {
		fprintf(out, "      fix: remove it from the commits that add it (git commit --amend, "
			"git rebase -i or git reset), rotate the credential, push again\n");
		pg_buf_clear(&line);
		put_allow_hint(&line, &f->items[0]);
		fprintf(out, "      not a secret? %s\n", line.ptr);
	}
	pg_buf_release(&line);
}

void pg_push_text_allowed(FILE *out, const struct pg_evaluation *ev)
{
	const struct pg_findings *f = &ev->scan.allowed;
	struct pg_buf line = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;

	if (!f->len)
		return;
	fprintf(out, "pushgate: %zu finding%s allowed by pushgate:allow or .pushgateignore%s:\n", f->len,
		f->len == 1 ? "" : "s", ev->policy->audit_log ? " (recorded in the audit log)" : "");
	for (i = 0; i < f->len && i < MAX_SHOWN_FINDINGS; i++) {
		pg_buf_clear(&line);
		pg_buf_printf(&line, "    ~ allowed [%s] ", f->items[i].rule->id);
		put_location(&line, &f->items[i]);
		pg_buf_printf(&line, " (fingerprint %.12s)", f->items[i].fingerprint);
		fprintf(out, "%s\n", line.ptr);
	}
	if (f->len > MAX_SHOWN_FINDINGS)
		fprintf(out, "    ... and %zu more\n", f->len - MAX_SHOWN_FINDINGS);
	pg_buf_release(&line);
}

static void print_too_large(FILE *out, const struct pg_evaluation *ev, bool rejected)
{
	const struct pg_strlist *big = &ev->scan.too_large;
	size_t i;

	if (!big->len)
		return;
	fprintf(out, "  files too large to scan for secrets (limit %zu bytes):\n",
		ev->policy->secrets.max_blob_size);
	for (i = 0; i < big->len && i < MAX_SHOWN_FINDINGS; i++)
		fprintf(out, "    %s %s\n", mark_of(ev->too_large, false), big->items[i]);
	if (rejected)
		fprintf(out, "      fix: keep large files out of git (Git LFS), or ask an administrator "
			"to raise secrets.max_blob_size\n");
}

void pg_push_text_outcome(FILE *out, const struct pg_evaluation *ev, bool rejected,
			  bool bypassed)
{
	if (!ev->problems)
		return;
	if (rejected)
		fprintf(out, "pushgate: push rejected: %zu problem%s (policy: %s)\n",
			ev->rejections, ev->rejections == 1 ? "" : "s", ev->policy->source);
	else
		fprintf(out, "pushgate: push accepted with %zu warning%s (policy: %s)\n",
			ev->problems, ev->problems == 1 ? "" : "s", ev->policy->source);
	pg_verdict_print(out, &ev->verdict, bypassed);
	print_findings(out, ev, rejected, bypassed);
	print_too_large(out, ev, rejected);
	if (rejected)
		fprintf(out, "pushgate: nothing was updated; fix the problems above and push again\n");
}

void pg_push_text_bypass_refused(FILE *out, enum pg_bypass_answer why, const char *pusher)
{
	struct pg_buf who = PG_BUF_INIT(1024);

	put_user(&who, pusher);
	if (why == PG_BYPASS_NO_REASON)
		fprintf(out, "pushgate: a bypass needs a reason: git push -o %s=\"why\"\n",
			PG_BYPASS_OPTION);
	else if (why == PG_BYPASS_NOT_ALLOWED)
		fprintf(out, "pushgate: %s may not bypass the policy; ask an administrator "
			"listed under bypass.users\n", who.ptr);
	else if (why == PG_BYPASS_UNRECORDED)
		fprintf(out, "pushgate: the bypass was refused because it could not be "
			"recorded in the audit log\n");
	pg_buf_release(&who);
}

void pg_push_text_audit_failed(FILE *out, const char *why)
{
	fprintf(out, "pushgate: warning: could not write the audit log: %s\n", why);
}

void pg_push_text_bypassed(FILE *out, const struct pg_policy *policy, const char *pusher,
			   const char *reason)
{
	struct pg_buf who = PG_BUF_INIT(1024), why = PG_BUF_INIT(1024);

	put_user(&who, pusher);
	pg_buf_put_escaped(&why, reason, strlen(reason) > 200 ? 200 : strlen(reason));
	fprintf(out, "pushgate: policy bypassed by %s, reason: %s%s\n", who.ptr, why.ptr,
		policy->audit_log ? " (recorded in the audit log)" : " (no audit_log is set)");
	pg_buf_release(&who);
	pg_buf_release(&why);
}

/*
 * Branch-name problems only warn on a commit; anything else in the
 * verdict (a rule that could not finish) stops it.
 */
static void print_commit_verdict(FILE *out, const struct pg_evaluation *ev)
{
	if (!ev->verdict.len)
		return;
	if (pg_verdict_rejections(&ev->verdict))
		fprintf(out, "pushgate: commit stopped: the secret scan could not finish:\n");
	else
		fprintf(out, "pushgate: warning: this branch will be rejected when you push it:\n");
	pg_verdict_print(out, &ev->verdict, false);
}

void pg_commit_text_outcome(FILE *out, const struct pg_evaluation *ev)
{
	const struct pg_git_scan *scan = &ev->scan;
	size_t secrets = pg_evaluate_rejected_findings(ev->policy, &scan->findings);
	struct pg_buf hint = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);

	print_commit_verdict(out, ev);
	if (scan->too_large.len)
		fprintf(out, "pushgate: warning: %zu staged file%s too large to scan "
			"(limit %zu bytes); the server may reject the push\n", scan->too_large.len,
			scan->too_large.len == 1 ? "" : "s", ev->policy->secrets.max_blob_size);
	if (!scan->findings.len)
		return;
	fprintf(out, "pushgate: %s: %zu secret%s in the staged changes:\n",
		secrets ? "commit stopped" : "warning", scan->findings.len,
		scan->findings.len == 1 ? "" : "s");
	if (pg_report_text_write(out, &scan->findings, &scan->stats) < 0)
		fprintf(out, "pushgate: %s\n", pg_error_last());
	pg_buf_clear(&hint);
	put_allow_hint(&hint, &scan->findings.items[0]);
	fprintf(out, "  fix: take the secret out of the file and git add it again (or git restore "
		"--staged FILE); use an environment variable or your CI's secret store instead\n"
		"  not a secret? %s\n", hint.ptr);
	pg_buf_release(&hint);
}
