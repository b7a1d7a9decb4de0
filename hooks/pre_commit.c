/*
 * pre_commit.c - `pushgate pre-commit`: stop a commit that adds secrets.
 *
 * Scans the lines the index adds to HEAD (the whole index for a first
 * commit) with the same rules and policy the server uses, and warns
 * early when the branch's name will be rejected at push time.
 */
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "common/options.h"
#include "git/git.h"
#include "hooks/commands.h"
#include "policy/policy.h"
#include "policy/ref_check.h"
#include "policy/verdict.h"
#include "report/report.h"
#include "scanners/engine.h"
#include "scanners/git_scan.h"
#include "scanners/rules.h"

static const char usage[] =
	"usage: pushgate pre-commit [--config FILE]\n\n"
	"Git client hook: scans the staged changes for secrets and exits 1 (stopping\n"
	"the commit) when the policy rejects what it finds. Also warns when the\n"
	"current branch's name will be rejected when it is pushed.\n"
	"Skip it once with git commit --no-verify.";

/* Warn (never stop the commit) when the current branch will be refused at push. */
static int warn_branch_name(git_repository *repo, const struct pg_policy *policy)
{
	struct pg_verdict verdict = { 0 };
	git_reference *head = NULL;
	const char *target;
	int error;

	if (git_reference_lookup(&head, repo, "HEAD") < 0)
		return 0;
	target = git_reference_symbolic_target(head);
	error = 0;
	if (target && !strncmp(target, "refs/heads/", 11) &&
	    (error = pg_ref_check_branch_name(&verdict, policy, target + 11)) == 0 && verdict.len) {
		size_t i;

		for (i = 0; i < verdict.len; i++)
			verdict.items[i].severity = PG_SEVERITY_WARN; /* a commit is not a push */
		fprintf(stderr, "pushgate: warning: this branch will be rejected when you push it:\n");
		pg_verdict_print(stderr, &verdict, false);
	}
	pg_verdict_clear(&verdict);
	git_reference_free(head);
	return error;
}

/* How many findings stop the commit; the others only warn. */
static size_t count_rejections(const struct pg_git_scan *scan, const struct pg_policy *policy)
{
	size_t i, n = 0;

	for (i = 0; i < scan->findings.len; i++)
		if (pg_policy_secret_action(policy, scan->findings.items[i].confidence) ==
		    PG_SEVERITY_REJECT)
			n++;
	return n;
}

static void print_findings(const struct pg_git_scan *scan, const struct pg_policy *policy)
{
	bool reject = count_rejections(scan, policy) > 0;

	fprintf(stderr, "pushgate: %s: %zu secret%s in the staged changes:\n",
		reject ? "commit stopped" : "warning", scan->findings.len,
		scan->findings.len == 1 ? "" : "s");
	if (pg_report_text_write(stderr, &scan->findings, &scan->stats) < 0)
		fprintf(stderr, "pushgate: %s\n", pg_error_last());
	fprintf(stderr, "  fix: take the secret out of the file and git add it again (or git restore "
		"--staged FILE); use an environment variable or your CI's secret store instead\n"
		"  not a secret? add the comment pushgate:allow on that line\n");
}

int pg_cmd_pre_commit(int argc, char **argv)
{
	struct pg_git_changes_opts opts = { 0, 0, true };
	struct pg_scanner_opts sopts = { NULL };
	struct pg_git_scan scan = { 0 };
	struct pg_policy *policy = NULL;
	struct pg_rules *rules = NULL;
	struct pg_scanner *scanner = NULL;
	git_repository *repo = NULL;
	const char *config = NULL;
	int npos, error;
	const struct pg_option options[] = {
		{ PG_OPT_STRING, "config", 'c', &config, "FILE", "policy file (default: lookup order)" },
		{ PG_OPT_END }
	};

	if ((error = pg_options_parse(options, usage, argc, argv, &npos)) < 0)
		return error;
	if (npos)
		return pg_error_set(PG_EUSAGE, "pre-commit takes no arguments (see --help)");
	if ((error = pg_git_init_hook()) < 0)
		return error;
	/* FROM_ENV honours GIT_DIR and GIT_INDEX_FILE, which `git commit PATH` sets. */
	if (git_repository_open_ext(&repo, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL) < 0) {
		error = pg_error_set_git("opening the repository");
		goto out;
	}
	if ((error = pg_policy_load_effective(&policy, config, git_repository_path(repo))) < 0 ||
	    (error = warn_branch_name(repo, policy)) < 0)
		goto out;
	if (!policy->secrets.scan)
		goto out;
	opts.max_blob_size = policy->secrets.max_blob_size;
	if ((error = pg_scanner_load(&rules, &scanner, policy->secrets.rules, &sopts)) < 0 ||
	    (error = pg_git_scan_staged(&scan, scanner, repo, &opts)) < 0)
		goto out;
	if (scan.too_large.len)
		fprintf(stderr, "pushgate: warning: %zu staged file%s too large to scan "
			"(limit %zu bytes); the server may reject the push\n", scan.too_large.len,
			scan.too_large.len == 1 ? "" : "s", policy->secrets.max_blob_size);
	if (scan.findings.len) {
		print_findings(&scan, policy);
		error = count_rejections(&scan, policy) ? 1 : 0;
	}
out:
	pg_git_scan_clear(&scan);
	pg_scanner_free(scanner);
	pg_rules_free(rules);
	pg_policy_free(policy);
	git_repository_free(repo);
	return error;
}
