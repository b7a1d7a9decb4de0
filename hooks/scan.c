/*
 * scan.c - `pushgate scan`: files, directories or standard input in,
 * a text, JSON or SARIF report out.
 *
 * Thin: parses options and wires the stages (rules, engine, input_fs,
 * baseline, report) together; it never looks at file contents itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/options.h"
#include "git/git.h"
#include "hooks/commands.h"
#include "policy/evaluate.h"
#include "policy/policy.h"
#include "report/report.h"
#include "scanners/engine.h"
#include "scanners/finding.h"
#include "scanners/git_scan.h"
#include "scanners/ignore.h"
#include "scanners/input_fs.h"
#include "scanners/rules.h"

static const char scan_usage[] =
	"usage: pushgate scan [options] [PATH...]\n"
	"   or: pushgate scan [options] -\n"
	"   (after --, a PATH - is a file named -, not standard input)\n"
	"   or: pushgate scan --git [--range REVS] [--repo DIR] [options]\n"
	"   or: pushgate scan --staged [--repo DIR] [options]\n"
	"\n"
	"Scan files and directories (default: .) or standard input (-) for secrets.\n"
	"With --git, scan the lines each commit adds (default: every commit reachable\n"
	"from any ref or HEAD; --range A..B or a single revision to limit it): each\n"
	"blob once, each finding attributed to the commit that added it, paths\n"
	"relative to the repository root. With --staged, the lines the index adds\n"
	"to HEAD.\n"
	"Directories are walked recursively, skipping .git directories, symbolic\n"
	"links (never followed, counted as skipped), special files, and binary files\n"
	"(a NUL byte in the first 8 KiB) unless --binary. Paths are reported relative\n"
	"to the directory when one directory is named, as named otherwise.\n"
	"A PATH that does not exist is an error (exit 2, nothing is scanned); a file\n"
	"or directory that cannot be read is reported on stderr, counted as skipped\n"
	"and does not change the exit status. Secrets are always shown redacted.\n"
	"Findings a .pushgateignore covers (fingerprints, path globs) are left out:\n"
	"the one in the directory scanned (or in .), in HEAD with --git, in the\n"
	"index with --staged, or --ignore-file FILE.\n"
	"\n"
	"Exit status: 0 no findings, 1 findings, 2 usage or internal error. With\n"
	"--config, only findings the policy rejects (secrets.confidence) count:\n"
	"the ones it only warns on are reported and exit 0, as a push would pass.\n"
	"With --exit-code N, findings exit N instead of 1; the report is written\n"
	"either way.";

struct scan_args {
	const char *format;
	const char *output;
	const char *rules;
	const char *baseline;
	const char *config;
	const char *cache_dir;
	const char *range;
	const char *repo;
	const char *exit_code;
	const char *ignore_file;
	int jobs;
	int binary;
	int no_cache;
	int git;
	int staged;
	int progress;
};

/* Write the report to `path` through a temporary file and rename(). */
static int write_report_file(const char *path, enum pg_report_format fmt,
			     const struct pg_findings *findings, const struct pg_scan_stats *stats)
{
	struct pg_buf tmp = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	FILE *fp = NULL;
	mode_t mask;
	int fd = -1, error;

	if ((error = pg_buf_printf(&tmp, "%s.tmp.XXXXXX", path)) < 0)
		goto out;
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		error = pg_error_set(PG_EIO, "cannot create '%s': %s", tmp.ptr, strerror(errno));
		goto out;
	}
	/* mkstemp() makes 0600; a report is as readable as any new file. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || !(fp = fdopen(fd, "w"))) {
		error = pg_error_set(PG_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto out;
	}
	fd = -1;
	if ((error = pg_report_write(fp, fmt, findings, stats)) < 0)
		goto out;
	if (fflush(fp) || fsync(fileno(fp)) < 0) {
		error = pg_error_set(PG_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto out;
	}
	error = fclose(fp);
	fp = NULL;
	if (error) {
		error = pg_error_set(PG_EIO, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto out;
	}
	if (rename(tmp.ptr, path) < 0) {
		error = pg_error_set(PG_EIO, "cannot rename '%s' to '%s': %s", tmp.ptr, path,
				     strerror(errno));
		goto out;
	}
out:
	if (fp)
		fclose(fp);
	if (fd >= 0)
		close(fd);
	if (error < 0 && tmp.size)
		unlink(tmp.ptr);
	pg_buf_release(&tmp);
	return error;
}

static int check_mode_args(const struct scan_args *a, int npos)
{
	if (a->git && a->staged)
		return pg_error_set(PG_EUSAGE, "scan: --git and --staged exclude each other");
	if ((a->range || a->repo) && !a->git && !a->staged)
		return pg_error_set(PG_EUSAGE, "scan: --%s goes with --git or --staged",
				    a->range ? "range" : "repo");
	if (a->range && !a->git)
		return pg_error_set(PG_EUSAGE, "scan: --range goes with --git");
	if ((a->git || a->staged) && npos)
		return pg_error_set(PG_EUSAGE, "scan: --%s takes no PATH (use --repo DIR)",
				    a->git ? "git" : "staged");
	if ((a->git || a->staged) && a->binary)
		return pg_error_set(PG_EUSAGE, "scan: --binary applies to files, not to --%s",
				    a->git ? "git" : "staged");
	return 0;
}

/* How many arguments follow the first "--" (all of them paths, whatever they look like). */
static int args_after_dashdash(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			return argc - i - 1;
	return 0;
}

/*
 * After "--" a "-" is a file of that name, not standard input: pre-commit
 * passes a root file named "-" so. The last `after` paths came after it.
 */
static void dash_paths_as_files(char **paths, int npos, int after)
{
	static char dash_file[] = "./-";
	int i;

	for (i = npos - after; i < npos; i++)
		if (i >= 0 && !strcmp(paths[i], "-"))
			paths[i] = dash_file;
}

/*
 * Parsed here, not as PG_OPT_INT, so every bad value gets the one message
 * that says what the number is for. 2 stays "the scan could not run", so a
 * CI job can tell a failed scan from findings it chose to report with
 * another status.
 */
static int parse_exit_code(int *out, const char *arg)
{
	char *end;
	long n;

	*out = 1;
	if (!arg)
		return 0;
	errno = 0;
	n = strtol(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || errno || *end || n > 255)
		return pg_error_set(PG_EUSAGE, "scan: --exit-code takes an exit status from 0 to 255 "
				    "(not 2), not '%s'", arg);
	if (n == 2)
		return pg_error_set(PG_EUSAGE, "scan: --exit-code cannot be 2: 2 means a usage or "
				    "internal error; choose 0, 1 or 3..255");
	*out = (int)n;
	return 0;
}

/* Push the commits to scan: a range A..B, one revision, or every ref and HEAD. */
static int walk_setup(git_revwalk *walk, git_repository *repo, const char *range)
{
	git_revspec spec;
	int error = 0;

	if (!range) {
		if (git_revwalk_push_glob(walk, "refs/*") < 0)
			return pg_error_set_git("listing refs");
		/* A detached HEAD (common in CI) is not under refs/. */
		(void)git_revwalk_push_head(walk);
		return 0;
	}
	if (git_revparse(&spec, repo, range) < 0)
		return pg_error_set_git("reading --range");
	if (spec.flags & GIT_REVSPEC_MERGE_BASE)
		error = pg_error_set(PG_EUSAGE, "scan: --range takes A..B or one revision, not A...B");
	else if ((spec.flags & GIT_REVSPEC_SINGLE) && git_revwalk_push(walk, git_object_id(spec.from)) < 0)
		error = pg_error_set_git("reading --range");
	else if ((spec.flags & GIT_REVSPEC_RANGE) &&
		 (git_revwalk_push(walk, git_object_id(spec.to)) < 0 ||
		  git_revwalk_hide(walk, git_object_id(spec.from)) < 0))
		error = pg_error_set_git("reading --range");
	git_object_free(spec.from);
	git_object_free(spec.to);
	return error;
}

/* The repository's .pushgateignore: the staged one, or HEAD's (none on an unborn branch). */
static int repository_ignores(struct pg_ignore *ignore, git_repository *repo, bool staged)
{
	git_oid head;

	if (staged)
		return pg_ignore_load_index(ignore, repo);
	if (git_reference_name_to_id(&head, repo, "HEAD") < 0)
		return 0;
	return pg_ignore_load_commit(ignore, repo, &head);
}

/* The .pushgateignore of a file scan: the one directory named, else the current one. */
static int files_ignores(struct pg_ignore *ignore, char **paths, size_t n)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct stat st;
	int error;

	if (n == 1 && strcmp(paths[0], "-") && stat(paths[0], &st) == 0 && S_ISDIR(st.st_mode))
		error = pg_buf_printf(&path, "%s/" PG_IGNORE_FILE, paths[0]);
	else
		error = pg_buf_puts(&path, PG_IGNORE_FILE);
	if (error == 0)
		error = pg_ignore_load_file(ignore, path.ptr);
	pg_buf_release(&path);
	return error;
}

/* --git and --staged: the lines commits or the index add. */
static int scan_repository(const struct scan_args *a, const struct pg_scanner *scanner,
			   const struct pg_policy *policy, struct pg_findings *findings,
			   struct pg_scan_stats *stats, struct pg_ignore *ignore,
			   struct pg_progress *progress)
{
	struct pg_git_changes_opts opts = {
		policy ? policy->secrets.max_blob_size : PG_POLICY_MAX_BLOB_DEFAULT,
		(unsigned int)a->jobs, false
	};
	struct pg_git_scan scan = { 0 };
	git_repository *repo = NULL;
	git_revwalk *walk = NULL;
	int error;

	if ((error = pg_git_init()) < 0)
		goto out;
	if (git_repository_open_ext(&repo, a->repo ? a->repo : ".", 0, NULL) < 0) {
		error = pg_error_set_git(a->repo ? a->repo : "finding the repository around .");
		goto out;
	}
	scan.progress = progress;
	if (a->staged) {
		error = pg_git_scan_staged(&scan, scanner, repo, &opts);
	} else {
		if (git_revwalk_new(&walk, repo) < 0) {
			error = pg_error_set_git("starting the commit walk");
			goto out;
		}
		if ((error = walk_setup(walk, repo, a->range)) < 0)
			goto out;
		error = pg_git_scan_walk(&scan, scanner, repo, walk, &opts);
		/* A whole-history scan covers what tags say, too. */
		if (error == 0 && !a->range)
			error = pg_git_scan_all_tags(&scan, scanner, repo);
	}
	if (error == 0 && !a->ignore_file)
		error = repository_ignores(ignore, repo, a->staged);
	if (error < 0)
		goto out;
	/* Hand the results over: the findings' rules outlive this function. */
	*findings = scan.findings;
	*stats = scan.stats;
	memset(&scan.findings, 0, sizeof(scan.findings));
	memset(&scan.stats, 0, sizeof(scan.stats));
out:
	pg_git_scan_clear(&scan);
	git_revwalk_free(walk);
	git_repository_free(repo);
	return error;
}

int pg_cmd_scan(int argc, char **argv)
{
	struct scan_args a = { .format = "text" };
	const struct pg_option options[] = {
		{ PG_OPT_STRING, "format", 'f', &a.format, "FORMAT", "report format: text (default), json or sarif" },
		{ PG_OPT_STRING, "output", 'o', &a.output, "FILE", "write the report to FILE (atomically) instead of stdout" },
		{ PG_OPT_STRING, "rules", 0, &a.rules, "FILE", "rules file (default: the embedded rules)" },
		{ PG_OPT_STRING, "baseline", 0, &a.baseline, "FILE", "drop findings whose fingerprint this JSON or SARIF report lists" },
		{ PG_OPT_STRING, "ignore-file", 0, &a.ignore_file, "FILE", "entries to ignore (default: the .pushgateignore of what is scanned)" },
		{ PG_OPT_STRING, "exit-code", 0, &a.exit_code, "N", "exit status when there are findings: 0..255 but not 2 (default 1)" },
		{ PG_OPT_INT, "jobs", 'j', &a.jobs, "N", "threads (default, or 0: one per online CPU; with --git, at most 4)" },
		{ PG_OPT_FLAG, "binary", 0, &a.binary, NULL, "scan binary files too" },
		{ PG_OPT_FLAG, "progress", 0, &a.progress, NULL, "a progress line on stderr even when it is not a terminal" },
		{ PG_OPT_FLAG, "no-cache", 0, &a.no_cache, NULL, "do not read or write the compiled-rules cache" },
		{ PG_OPT_STRING, "cache-dir", 0, &a.cache_dir, "DIR", "compiled-rules cache (default: $XDG_CACHE_HOME/pushgate)" },
		{ PG_OPT_STRING, "config", 0, &a.config, "FILE", "policy file: its secrets.rules, max_blob_size and confidence apply" },
		{ PG_OPT_FLAG, "git", 0, &a.git, NULL, "scan the lines commits add" },
		{ PG_OPT_STRING, "range", 0, &a.range, "REVS", "with --git: A..B or one revision (default: all refs)" },
		{ PG_OPT_STRING, "repo", 0, &a.repo, "DIR", "repository for --git/--staged (default: the one around .)" },
		{ PG_OPT_FLAG, "staged", 0, &a.staged, NULL, "scan the lines the index adds to HEAD" },
		{ PG_OPT_END }
	};
	char dot[] = "."; /* pg_input_fs_scan takes char *const *, as argv is */
	char *default_paths[] = { dot, NULL };
	struct pg_scanner_opts sopts = { NULL };
	struct pg_input_opts iopts = { 0 };
	struct pg_findings findings = { 0 };
	struct pg_scan_stats stats = { 0 };
	struct pg_baseline baseline = { 0 };
	struct pg_ignore ignore = { 0 };
	struct pg_progress progress;
	struct pg_policy *policy = NULL;
	struct pg_rules *rules = NULL;
	struct pg_scanner *scanner = NULL;
	enum pg_report_format fmt;
	char **paths;
	int npos = 0, after, found_status, error;

	after = args_after_dashdash(argc, argv);
	if ((error = pg_options_parse(options, scan_usage, argc, argv, &npos)) < 0)
		goto out;
	dash_paths_as_files(argv, npos, after);
	if ((error = pg_report_format_parse(&fmt, a.format)) < 0)
		goto out;
	if ((error = parse_exit_code(&found_status, a.exit_code)) < 0)
		goto out;
	if ((error = check_mode_args(&a, npos)) < 0)
		goto out;
	if (a.no_cache && a.cache_dir) {
		error = pg_error_set(PG_EUSAGE, "scan: --no-cache and --cache-dir exclude each other");
		goto out;
	}
	if (a.config && (error = pg_policy_load_file(&policy, a.config)) < 0)
		goto out;
	if (a.baseline && (error = pg_baseline_load(&baseline, a.baseline)) < 0)
		goto out;
	if (a.ignore_file && (error = pg_ignore_load_file(&ignore, a.ignore_file)) < 0)
		goto out;
	if (!a.rules && policy)
		a.rules = policy->secrets.rules;
	sopts.cache_dir = a.no_cache ? "" : a.cache_dir;
	/* On a terminal, or asked for: logs and hooks stay clean otherwise. */
	pg_progress_init(&progress, a.progress || isatty(STDERR_FILENO) ? stderr : NULL,
			 isatty(STDERR_FILENO));
	if ((error = pg_scanner_load(&rules, &scanner, a.rules, &sopts)) < 0)
		goto out;

	if (a.git || a.staged) {
		error = scan_repository(&a, scanner, policy, &findings, &stats, &ignore, &progress);
	} else {
		iopts.jobs = (unsigned int)a.jobs;
		iopts.binary = a.binary;
		iopts.warnings = stderr;
		iopts.progress = &progress;
		paths = npos ? argv : default_paths;
		error = pg_input_fs_scan(scanner, paths, npos ? (size_t)npos : 1, &iopts, &findings,
					 &stats);
		if (error == 0 && !a.ignore_file)
			error = files_ignores(&ignore, paths, npos ? (size_t)npos : 1);
	}
	if (error < 0 || (error = pg_ignore_apply(&ignore, &findings, NULL)) < 0)
		goto out;
	pg_progress_update(&progress, a.git || a.staged ? "blobs" : "files", stats.files,
			   stats.bytes, findings.len, true);
	pg_baseline_filter(&baseline, &findings);
	pg_findings_sort(&findings);

	if (a.output && strcmp(a.output, "-"))
		error = write_report_file(a.output, fmt, &findings, &stats);
	else
		error = pg_report_write(stdout, fmt, &findings, &stats);
	if (error < 0)
		goto out;
	/* With --config, only what the policy rejects counts, as on the server. */
	error = (policy ? pg_evaluate_rejected_findings(policy, &findings) : findings.len)
			? found_status : 0;
out:
	pg_findings_clear(&findings);
	pg_scan_stats_release(&stats);
	pg_baseline_clear(&baseline);
	pg_ignore_clear(&ignore);
	pg_scanner_free(scanner);
	pg_rules_free(rules);
	pg_policy_free(policy);
	return error;
}
