/*
 * main.c - the pushgate binary: dispatch to one command.
 *
 * The only place that turns errors into exit statuses. Server hooks fail
 * closed: any internal error exits 1, which makes Gitea reject the push.
 */
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "git/git.h"
#include "hooks/commands.h"

enum {
	PG_CMD_HOOK = 1 << 0 /* runs as a git hook: errors reject (exit 1) */
};

struct pg_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	unsigned int flags;
	const char *summary;
	const char *on_error; /* a hook's: what an error it cannot get past means */
};

#define PUSH_STOPPED "pushgate: the push was rejected because the check could not run; " \
	"forward this message to your administrator"
#define COMMIT_STOPPED "pushgate: the commit was stopped because the check could not run; " \
	"fix what the error names, or skip the hook once with git commit --no-verify"

static const struct pg_command commands[] = {
	{ "pre-receive", pg_cmd_pre_receive, PG_CMD_HOOK, "server hook: check a whole push (stdin: <old> <new> <ref>)", PUSH_STOPPED },
	{ "update", pg_cmd_update, PG_CMD_HOOK, "server hook: check one ref update (REF OLD NEW)", PUSH_STOPPED },
	{ "pre-commit", pg_cmd_pre_commit, PG_CMD_HOOK, "client hook: scan staged changes", COMMIT_STOPPED },
	{ "scan", pg_cmd_scan, 0, "scan files, standard input or git history for secrets" },
	{ "policy", pg_cmd_policy, 0, "policy check [FILE]: validate and print the effective policy" },
	{ "rules", pg_cmd_rules, 0, "rules list | rules check [FILE]: list or verify secret rules" },
	{ "version", pg_cmd_version, 0, "print the version" },
	{ "help", pg_cmd_help, 0, "show this help" },
};

static const struct pg_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int pg_cmd_help(int argc, char **argv)
{
	size_t i;

	(void)argc;
	(void)argv;
	printf("usage: pushgate <command> [options]\n\n"
	       "Git hooks and a secret scanner that enforce a branch policy.\n\n"
	       "Commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].summary);
	printf("\nRun 'pushgate <command> --help' for a command's options.\n"
	       "Exit status: 0 clean or accepted, 1 findings or rejected, 2 usage or internal error.\n");
	return 0;
}

int pg_cmd_version(int argc, char **argv)
{
	int major, minor, rev;

	(void)argc;
	(void)argv;
	if (git_libgit2_version(&major, &minor, &rev) < 0)
		major = minor = rev = 0;
	printf("pushgate %s (libgit2 %d.%d.%d)\n", PG_VERSION, major, minor, rev);
	return 0;
}

static int exit_status(const struct pg_command *cmd, int ret)
{
	if (ret >= 0)
		return ret;
	if (ret == PG_EHELP)
		return 0;
	if (ret == PG_EUSAGE) {
		fprintf(stderr, "pushgate: %s\n", pg_error_last());
		return cmd && (cmd->flags & PG_CMD_HOOK) ? 1 : 2;
	}
	fprintf(stderr, "pushgate: error: %s\n", pg_error_last());
	if (cmd && cmd->on_error)
		fprintf(stderr, "%s\n", cmd->on_error);
	return cmd && (cmd->flags & PG_CMD_HOOK) ? 1 : 2;
}

int main(int argc, char **argv)
{
	const struct pg_command *cmd;
	const char *base;
	int ret;

	base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : (argc > 0 ? argv[0] : "pushgate");

	/* Installed under a hook's name (hooks/pre-receive -> pushgate). */
	cmd = find_command(base);
	if (cmd && !(cmd->flags & PG_CMD_HOOK))
		cmd = NULL;
	if (!cmd) {
		if (argc < 2) {
			pg_cmd_help(0, NULL);
			return 2;
		}
		if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
			return pg_cmd_help(0, NULL);
		if (!strcmp(argv[1], "--version"))
			return pg_cmd_version(0, NULL);
		cmd = find_command(argv[1]);
		if (!cmd) {
			fprintf(stderr, "pushgate: '%s' is not a command; see 'pushgate help'\n", argv[1]);
			return 2;
		}
		argc--;
		argv++;
	}

	/* Commands start libgit2 when they need it (git/git.h). */
	ret = cmd->fn(argc, argv);
	pg_git_shutdown();
	return exit_status(cmd, ret);
}
