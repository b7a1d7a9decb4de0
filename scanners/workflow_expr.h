/*
 * workflow_expr.h - ${{ }} expressions and the environment in scope.
 *
 * Finds what an expression refers to (secrets.X, env.X) without judging
 * it, and keeps the env: scopes (workflow, job, $GITHUB_ENV, step) that
 * decide whether env.X or $X holds a secret. Internal to the workflow
 * checker; reports nothing itself.
 */
#ifndef PG_WORKFLOW_EXPR_H
#define PG_WORKFLOW_EXPR_H

#include "scanners/workflow_text.h"

struct pg_wf;

enum pg_wf_ref_kind {
	PG_WF_REF_SECRET,   /* ${{ secrets.X }} */
	PG_WF_REF_ENV_EXPR, /* ${{ env.X }} */
	PG_WF_REF_SHELL     /* $X or ${X} */
};

/* A reference to a value that may be a secret; its text is borrowed. */
struct pg_wf_ref {
	enum pg_wf_ref_kind kind;
	size_t off;               /* where it starts in the text scanned */
	struct pg_wf_span name;   /* "secrets.X", "env.X", or the variable name */
	struct pg_wf_span var;    /* the variable read: X of env.X or $X; empty for secrets */
	struct pg_wf_span origin; /* the secret it holds, once resolved; empty if none */
};

/* One environment variable in scope; `origin` names the secret it holds. */
struct pg_wf_env_var {
	struct pg_wf_span name;
	struct pg_wf_span origin; /* e.g. "secrets.X"; len 0 when not from a secret */
};

struct pg_wf_env_list {
	struct pg_wf_env_var *items;
	size_t len, alloc;
};

/* Scopes, outermost first; a later one hides an earlier one. */
enum pg_wf_env_level {
	PG_WF_ENV_WORKFLOW, PG_WF_ENV_JOB, PG_WF_ENV_DYNAMIC, PG_WF_ENV_STEP, PG_WF_ENV_LEVELS
};

/**
 * End of the expression opened by "${{" at `open`.
 *
 * @return the offset of its "}}" in `s`, or `end` if it is not closed
 */
size_t pg_wf_expr_close(const char *s, size_t open, size_t end);

/**
 * The next reference in the expression text s[*k, close): secrets in any
 * form (secrets.X, secrets['X'], secrets itself) and env.X; literals are
 * skipped. Does not say whether env.X holds a secret (pg_wf_ref_resolve()).
 *
 * @param out receives the reference, its origin empty
 * @return true with *k past the reference, or false with *k = close
 */
bool pg_wf_expr_ref_next(const char *s, size_t *k, size_t close, struct pg_wf_ref *out);

/**
 * As pg_wf_expr_ref_next(), but only references that hold a secret in the
 * scopes of `wf`, resolved.
 */
bool pg_wf_expr_secret_next(struct pg_wf *wf, const char *s, size_t *k, size_t close,
			    struct pg_wf_ref *out);

/**
 * The first secret a YAML value refers to through ${{ }}.
 *
 * @return its name ("secrets.X"), borrowed from the document; empty if none
 */
struct pg_wf_span pg_wf_value_secret(struct pg_wf *wf, const char *s, size_t len);

/**
 * Decide whether `r` reads a secret: secrets.X always; env.X by the
 * scopes of `wf` (names without case, as the expression language
 * compares them); $X by `local` (what the script set), then the scopes.
 * Charges the work budget; finds nothing once it is spent.
 *
 * @return true, with r->origin set to the secret, or false with it empty
 */
bool pg_wf_ref_resolve(struct pg_wf *wf, const struct pg_wf_env_list *local, struct pg_wf_ref *r);

/**
 * The innermost variable `name` in scope: `local` (may be NULL), then the
 * step, $GITHUB_ENV, job and workflow scopes of `wf`.
 *
 * @return borrowed until the list changes; NULL if none or the work
 *         budget is spent
 */
const struct pg_wf_env_var *pg_wf_env_find(struct pg_wf *wf, const struct pg_wf_env_list *local,
					   struct pg_wf_span name, bool icase);

/**
 * Set `name` in `list` to hold `origin` (empty: no secret), replacing an
 * earlier value so lists stay short. Both spans are borrowed.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_wf_env_set(struct pg_wf *wf, struct pg_wf_env_list *list, struct pg_wf_span name,
		  struct pg_wf_span origin);

#endif
