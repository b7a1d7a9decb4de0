/*
 * policy_cmd.c - `pushgate policy check [FILE] [--config FILE]`: validate
 * a policy file, or find the effective one, and print it as YAML with
 * every default spelled out. Thin: loading and printing live in policy/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/options.h"
#include "common/text.h"
#include "hooks/commands.h"
#include "policy/policy.h"

static const char policy_usage[] =
	"usage: pushgate policy check [FILE] [--config FILE]\n"
	"\n"
	"Validate a policy file and print it with every default spelled out.\n"
	"Without FILE, print the effective policy and where it came from:\n"
	"--config FILE, $PUSHGATE_CONFIG, $GIT_DIR/pushgate.yml,\n"
	"/etc/pushgate/policy.yml, or the embedded default.\n"
	"The output is itself a valid policy file.";

static int print_policy(const struct pg_policy *policy)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	/* The source is a path from the environment: escape it so it stays one comment line. */
	if ((error = pg_buf_puts(&text, "# source: ")) < 0 ||
	    (error = pg_buf_puts_escaped(&text, policy->source)) < 0 ||
	    (error = pg_buf_putc(&text, '\n')) < 0 ||
	    (error = pg_policy_write_yaml(&text, policy)) < 0)
		goto out;
	if (fwrite(text.ptr, 1, text.size, stdout) != text.size || fflush(stdout) != 0) {
		error = pg_error_set(PG_EIO, "cannot write to standard output");
		goto out;
	}
out:
	pg_buf_release(&text);
	return error;
}

int pg_cmd_policy(int argc, char **argv)
{
	const char *config = NULL, *git_dir;
	struct pg_policy *policy = NULL;
	const struct pg_option options[] = {
		{ PG_OPT_STRING, "config", 0, &config, "FILE",
		  "use this policy file instead of the lookup" },
		{ PG_OPT_END }
	};
	int npos = 0, error;

	if ((error = pg_options_parse(options, policy_usage, argc, argv, &npos)) < 0)
		goto out;
	if (npos == 0) {
		pg_options_print_usage(options, policy_usage);
		error = pg_error_set(PG_EUSAGE, "policy: which subcommand? (check)");
		goto out;
	}
	if (strcmp(argv[0], "check")) {
		error = pg_error_set(PG_EUSAGE, "policy: unknown subcommand '%s' (see --help)",
				     argv[0]);
		goto out;
	}
	if (npos > 2) {
		error = pg_error_set(PG_EUSAGE, "policy check: takes at most one FILE");
		goto out;
	}
	if (npos == 2 && config) {
		error = pg_error_set(PG_EUSAGE, "policy check: give FILE or --config, not both");
		goto out;
	}
	if (npos == 2) {
		error = pg_policy_load_file(&policy, argv[1]);
	} else {
		git_dir = getenv("GIT_DIR");
		error = pg_policy_load_effective(&policy, config,
						 git_dir && *git_dir ? git_dir : NULL);
	}
	if (error < 0)
		goto out;
	error = print_policy(policy);
out:
	pg_policy_free(policy);
	return error;
}
