/*
 * pre_commit.c - `pushgate pre-commit`: stop a commit that adds secrets.
 *
 * Scans the lines the index adds to HEAD (the whole index for a first
 * commit) with the same rules and policy the server uses, and warns
 * early when the branch's name will be rejected at push time.
 */
#include <stdio.h>

#include <git2.h>

#include "common/error.h"
#include "common/options.h"
#include "git/git.h"
#include "hooks/commands.h"
#include "policy/evaluate.h"
#include "policy/policy.h"
#include "report/push_text.h"

static const char usage[] =
	"usage: pushgate pre-commit [--config FILE]\n\n"
	"Git client hook: scans the staged changes for secrets and exits 1 (stopping\n"
	"the commit) when the policy rejects what it finds. Also warns when the\n"
	"current branch's name will be rejected when it is pushed.\n"
	"Skip it once with git commit --no-verify.";

int pg_cmd_pre_commit(int argc, char **argv)
{
	struct pg_evaluation ev = { 0 };
	struct pg_policy *policy = NULL;
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
	    (error = pg_evaluate_staged(&ev, repo, policy)) < 0)
		goto out;
	pg_commit_text_outcome(stderr, &ev);
	error = ev.rejections ? 1 : 0;
out:
	pg_evaluation_clear(&ev);
	pg_policy_free(policy);
	git_repository_free(repo);
	return error;
}
