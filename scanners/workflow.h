/*
 * workflow.h - checks on CI workflow files (.gitea/workflows, .github/workflows, ...).
 *
 * Finds secrets written to the log (echoed, piped through an encoder such
 * as base64, dumped with the environment, logged by actions/github-script)
 * or interpolated into command arguments, set -x in steps that use secrets,
 * disabled SSH host key checks and curl | sh. Literal credentials are the
 * secret scanner's job, not this one's.
 */
#ifndef PG_WORKFLOW_H
#define PG_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>

#include "scanners/severity.h"

/* Larger files are reported as PG_WF_UNPARSABLE and not checked. */
#define PG_WORKFLOW_MAX_SIZE ((size_t)1 << 20)
/* Deeper YAML nesting is reported as PG_WF_UNPARSABLE. */
#define PG_WORKFLOW_MAX_DEPTH 64
/* At most this many problems per file; the rest are dropped. */
#define PG_WORKFLOW_MAX_PROBLEMS 256

enum pg_workflow_check {
	PG_WF_SECRET_TO_LOG,      /* a secret reaches the log: echo, cat <<, | base64,
				   * env dumps, github-script console.log */
	PG_WF_SECRET_IN_ARGS,     /* ${{ secrets.X }} in a command's arguments */
	PG_WF_SET_X_WITH_SECRETS, /* set -x in a step that uses secrets */
	PG_WF_NO_HOST_KEY_CHECK,  /* StrictHostKeyChecking=no */
	PG_WF_REMOTE_SCRIPT,      /* curl ... | sh, bash <(curl ...) */
	PG_WF_UNPARSABLE,         /* invalid YAML, too large, too deep, not a mapping */
	PG_WF_CHECKS              /* the number of checks; not a check */
};

struct pg_workflow_problem {
	enum pg_workflow_check check;
	const char *id;   /* static, stable kebab-case, e.g. "workflow-secret-to-log" */
	size_t line;      /* 1-based line of the offending text in the file */
	size_t column;    /* 1-based column (in characters) */
	char *job;        /* owned raw job id from the file; NULL at workflow level */
	char *step;       /* owned raw step name or "step N"; NULL outside steps */
	char *message;    /* owned; "PATH:LINE: job 'J', step 'S': ..." with every
			   * name from the file escaped and secret-looking tokens
			   * redacted (pg_buf_put_escaped_masked()); never contains a
			   * secret value */
};

struct pg_workflow_problems {
	struct pg_workflow_problem *items; /* owned */
	size_t len;
	size_t alloc;
};

/**
 * Is `path` a workflow file Gitea, Forgejo or GitHub could run: anywhere
 * under `.gitea/workflows/`, `.github/workflows/` or `.forgejo/workflows/`
 * at the repository root (subdirectories included, as Gitea lists them
 * recursively) and ending in `.yml` or `.yaml` (in any case)?
 *
 * @param path repository-relative path with `/` separators
 * @return true if the file is a workflow file. Thread-safe.
 */
bool pg_workflow_path_matches(const char *path);

/**
 * Check one workflow file and append what it finds to `out`, sorted by
 * line and column. A file that is not valid YAML, is empty, is not a
 * mapping, is larger than PG_WORKFLOW_MAX_SIZE or nests deeper than
 * PG_WORKFLOW_MAX_DEPTH gives one PG_WF_UNPARSABLE problem, not an error.
 *
 * @param out list to append to; problems already in it are kept
 * @param path the file's name as shown in messages (not opened)
 * @param buf the file's bytes (need not be NUL-terminated); borrowed
 * @param len number of bytes in `buf`
 * @return 0, or PG_ENOMEM / PG_ELIMIT with pg_error_set(); on error `out`
 *         may hold some problems and still needs pg_workflow_problems_clear().
 *         Thread-safe: keeps no state between calls.
 */
int pg_workflow_check(struct pg_workflow_problems *out, const char *path,
		      const char *buf, size_t len);

/** Free every problem; the list is left empty and reusable. */
void pg_workflow_problems_clear(struct pg_workflow_problems *p);

/**
 * The default severity of a check: PG_SEVERITY_REJECT for
 * PG_WF_SECRET_TO_LOG, PG_SEVERITY_WARN for every other check.
 */
enum pg_severity pg_workflow_default_severity(enum pg_workflow_check c);

/** The stable id of a check ("workflow-secret-to-log", ...); static. */
const char *pg_workflow_check_id(enum pg_workflow_check c);

/**
 * The check's short name, as the `workflows:` section of a policy spells
 * its key ("secret_to_log", ...); static. NULL for PG_WF_CHECKS and
 * beyond, so a loop can stop there.
 */
const char *pg_workflow_check_name(enum pg_workflow_check c);

#endif
