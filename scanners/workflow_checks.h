/*
 * workflow_checks.h - the checks on the scripts of workflow steps: run:
 * scripts (workflow_checks.c) and actions/github-script scripts
 * (workflow_js.c).
 *
 * Internal to the workflow checker: workflow.c walks the YAML and hands
 * each script here; problems go to the pg_wf the script belongs to.
 */
#ifndef PG_WORKFLOW_CHECKS_H
#define PG_WORKFLOW_CHECKS_H

#include "scanners/workflow_int.h"
#include "scanners/workflow_shell.h"

/* One script (a run: or script: value) being analysed. */
struct pg_wf_script {
	struct pg_wf *wf;
	const yaml_node_t *node;
	const char *s;         /* the value; borrowed from the document */
	size_t len;
	struct pg_wf_segmap map;
	struct pg_wf_env_list local; /* variables the script itself assigns */
	size_t *setx;          /* offsets of set -x */
	size_t nsetx, asetx;
	bool uses_secrets;
	struct pg_wf_ref first_secret;
};

/* How a secret reference is used; selects the check and the message. */
enum pg_wf_ref_where {
	PG_WF_TO_LOG, PG_WF_IN_ARGS, PG_WF_IN_SCRIPT, PG_WF_TO_LOG_CHANGED, PG_WF_JS_TO_LOG,
	PG_WF_IN_JS
};

/**
 * Check a step's run: script, run by `shell` (NULL: the default shell).
 * POSIX shells get every check; others only interpolated secrets and
 * host key checks.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_wf_run_check(struct pg_wf *wf, const yaml_node_t *node, const char *shell);

/**
 * Report every disabled SSH host key check in value[from, to) of a
 * scalar whose positions `m` maps.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_wf_hostkey_scan(struct pg_wf *wf, const struct pg_wf_segmap *m, const char *v,
		       size_t from, size_t to);

/**
 * Keep only the references of `ln` that hold a secret, with their
 * origins set, and note the script's first one. Resolved against the
 * scopes as they are now, so call it right after tokenizing, before the
 * line's own assignments are recorded: they take effect for later lines.
 *
 * @param remote the line runs elsewhere (a heredoc fed to ssh...): its
 *        shell variables are not ours, only its ${{ }} references count
 */
void pg_wf_script_refs_resolve(struct pg_wf_script *sh, struct pg_wf_line *ln, bool remote);

/**
 * Report the secret reference `r` used as `where` says by `cmd`.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_wf_script_ref_report(struct pg_wf_script *sh, enum pg_wf_ref_where where,
			    const struct pg_wf_ref *r, struct pg_wf_span cmd);

/** Does `uses:` name actions/github-script, at any version or host? */
bool pg_wf_github_script_uses(const char *uses);

/**
 * Check the script: of an actions/github-script step (JavaScript).
 *
 * @return 0 or PG_ENOMEM
 */
int pg_wf_github_script_check(struct pg_wf *wf, const yaml_node_t *node);

#endif
