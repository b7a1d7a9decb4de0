/*
 * pre_receive.c - `pushgate pre-receive`: check a whole push.
 *
 * Reads every `<old> <new> <ref>` line git sends, then accepts or
 * rejects the push as a whole; git applies nothing before we answer.
 */
#include "common/error.h"
#include "common/options.h"
#include "git/git.h"
#include "hooks/commands.h"
#include "hooks/hook_input.h"
#include "hooks/push_check.h"

static const char usage[] =
	"usage: pushgate pre-receive [--config FILE]\n\n"
	"Git server hook: reads '<old> <new> <ref>' lines on standard input and\n"
	"exits 1 (rejecting the whole push) when any update breaks the policy.";

int pg_cmd_pre_receive(int argc, char **argv)
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
	if (npos)
		return pg_error_set(PG_EUSAGE, "pre-receive takes no arguments (see --help)");
	if ((error = pg_git_init_hook()) < 0)
		return error;
	if ((error = pg_hook_input_read(&updates)) == 0)
		error = pg_push_check(&updates, config, PG_HOOK_PRE_RECEIVE);
	pg_ref_updates_clear(&updates);
	return error;
}
