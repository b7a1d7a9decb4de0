/*
 * policy_cmd.c - `pushgate policy check [FILE] [--config FILE]`: validate
 * a policy file, or find the effective one, and print it as YAML with
 * every default spelled out; then its warnings, and whether this user can
 * write its audit log. Thin: loading and printing live in policy/.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	"The output is itself a valid policy file.\n"
	"\n"
	"Rules that can never apply are reported as warnings on stderr (exit 0).\n"
	"An audit_log that the user running the check cannot create or append\n"
	"to is an error (exit 2) in the effective policy, since the hooks would\n"
	"refuse every bypass, and a warning for a FILE (which may be meant for\n"
	"another server). Run it as the user Gitea runs as, without FILE:\n"
	"  sudo -u git pushgate policy check\n"
	"\n"
	"Exit status: 0 valid, 2 invalid (or the effective audit_log cannot be\n"
	"written).";

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

static int print_warnings(const struct pg_policy *policy)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;
	int error = 0;

	for (i = 0; i < policy->warnings.len && !error; i++)
		if ((error = pg_buf_puts(&text, "pushgate: warning: ")) == 0 &&
		    (error = pg_buf_puts_escaped(&text, policy->warnings.items[i])) == 0)
			error = pg_buf_putc(&text, '\n');
	if (!error && (fwrite(text.ptr, 1, text.size, stderr) != text.size || fflush(stderr) != 0))
		error = pg_error_set(PG_EIO, "cannot write to standard error");
	pg_buf_release(&text);
	return error;
}

/*
 * The hooks append to the audit log (creating it, mode 0600, but never
 * its directory) and refuse a bypass they cannot record, so a log this
 * user cannot write breaks the deployment. Checked without writing a
 * byte or leaving a file behind: an existing log is opened for appending
 * as the hooks open it, a missing one needs a directory we may add to.
 */
static int check_audit_log(const char *path)
{
	static const char fix[] = "the hooks must be able to append to it, or every bypass is "
				  "refused: create the directory, owned by the user Gitea runs as, "
				  "mode 0750 (install.sh --gitea ROOT does when run as root), and "
				  "run this check as that user (sudo -u git pushgate policy check)";
	struct pg_buf dir = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *slash = strrchr(path, '/');
	struct stat st;
	int fd, error = 0;

	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			error = pg_error_set(PG_EIO, "audit_log %s is a symbolic link, which the hooks "
					     "refuse to write through; name the file itself", path);
		} else if (!S_ISREG(st.st_mode)) {
			error = pg_error_set(PG_EIO, "audit_log %s is not a regular file", path);
		} else if ((fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
			error = pg_error_set(PG_EIO, "audit_log %s cannot be written by this user (%s); "
					     "the hooks must be able to append to it, or every bypass "
					     "is refused: chown it to the user Gitea runs as",
					     path, strerror(errno));
		} else if (close(fd) < 0) {
			error = pg_error_set(PG_EIO, "audit_log %s: %s", path, strerror(errno));
		}
		goto out;
	}
	if (errno != ENOENT) {
		error = pg_error_set(PG_EIO, "audit_log %s: %s", path, strerror(errno));
		goto out;
	}
	if ((error = slash ? pg_buf_put(&dir, path, slash == path ? 1 : (size_t)(slash - path)) :
		     pg_buf_puts(&dir, ".")) < 0)
		goto out;
	if (stat(dir.ptr, &st) < 0)
		error = pg_error_set(PG_EIO, "audit_log %s: its directory %s does not exist (%s); %s",
				     path, dir.ptr, strerror(errno), fix);
	else if (!S_ISDIR(st.st_mode))
		error = pg_error_set(PG_EIO, "audit_log %s: %s is not a directory", path, dir.ptr);
	else if (faccessat(AT_FDCWD, dir.ptr, W_OK | X_OK, AT_EACCESS) < 0)
		error = pg_error_set(PG_EIO, "audit_log %s: this user cannot create files in %s (%s); %s",
				     path, dir.ptr, strerror(errno), fix);
out:
	pg_buf_release(&dir);
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
	if (error < 0 || (error = print_policy(policy)) < 0 ||
	    (error = print_warnings(policy)) < 0)
		goto out;
	/*
	 * After printing: the policy is valid, but this server may not be
	 * ready for it. Fatal for the policy the hooks here would load; a
	 * FILE named on the command line may be meant for another server.
	 */
	if (policy->audit_log && (error = check_audit_log(policy->audit_log)) < 0 && npos == 2) {
		if (fprintf(stderr, "pushgate: warning: %s (an error when checking the effective "
				    "policy: pushgate policy check without FILE)\n", pg_error_last()) < 0) {
			error = pg_error_set(PG_EIO, "cannot write to standard error");
			goto out;
		}
		pg_error_clear();
		error = 0;
	}
out:
	pg_policy_free(policy);
	return error;
}
