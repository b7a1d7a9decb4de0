/*
 * update.c - `pushgate update REF OLD NEW`: check one ref update.
 *
 * Git runs it once per ref after pre-receive accepted the push; it
 * applies the same policy, so a server with only this hook is covered
 * too.
 */
#include "common/error.h"
#include "common/options.h"
#include "git/git.h"
#include "hooks/commands.h"
#include "hooks/hook_input.h"
#include "hooks/push_check.h"
#include "hooks/push_token.h"

static const char usage[] =
	"usage: pushgate update [--config FILE] REF OLD NEW\n\n"
	"Git server hook: exits 1 (rejecting this ref) when the update breaks the policy.";

int pg_cmd_update(int argc, char **argv)
{
	struct pg_ref_updates updates = { 0 };
	const char *config = NULL;
	int npos, error;
	const struct pg_option options[] = {
		{ PG_OPT_STRING, "config", 'c', &config, "FILE", "policy file (default: lookup order)" },
		{ PG_OPT_END }
	};

	if ((error = pg_options_parse(options, usage, argc, argv, &npos)) < 0)
		return error;
	if (npos != 3)
		return pg_error_set(PG_EUSAGE, "update takes REF OLD NEW (see --help)");
	if ((error = pg_push_token_take(argv[0], argv[1], argv[2])) != 0)
		return error < 0 ? error : 0; /* pre-receive accepted this very update */
	if ((error = pg_git_init_hook()) < 0)
		return error;
	if ((error = pg_hook_input_from_args(&updates, argv[0], argv[1], argv[2])) == 0)
		error = pg_push_check(&updates, config, PG_HOOK_UPDATE);
	pg_ref_updates_clear(&updates);
	return error;
}
