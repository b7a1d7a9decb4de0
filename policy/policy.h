/*
 * policy.h - the policy model: what may happen to which ref.
 *
 * Loaded from YAML (policy_yaml.c) or the embedded default
 * (default_policy.yml); read-only once loaded, so it can be shared.
 * Decisions about actual ref updates live in ref_check.c.
 */
#ifndef PG_POLICY_H
#define PG_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/regex.h"
#include "common/strlist.h"
#include "scanners/severity.h"
#include "scanners/workflow.h"

enum pg_perm {
	PG_PERM_ALLOW = 0,
	PG_PERM_DENY = 1
};

/* One entry of `branches:`; the first whose glob matches a branch wins. */
struct pg_branch_rule {
	char *match;                 /* glob on the branch name (without refs/heads/) */
	enum pg_perm create;         /* creating the branch */
	enum pg_perm delete_;        /* deleting it */
	enum pg_perm force_push;     /* non-fast-forward updates */
	enum pg_perm direct_push;    /* updates other than a Gitea pull-request merge */
	struct pg_strlist merge_sources; /* globs; every commit gained must be on one */
	bool has_merge_sources;      /* false: any source */
	struct pg_regex name_pattern;    /* a new branch's name must match, if set */
	char *name_hint;             /* human-readable form of name_pattern; may be NULL */
	enum pg_severity severity;
	unsigned int line;           /* where it was defined; 0 for built-in */
};

/* One entry of `tags:`; the first whose glob matches a tag wins. */
struct pg_tag_rule {
	char *match;                 /* glob on the tag name (without refs/tags/) */
	enum pg_perm create;         /* creating a matching tag at all */
	struct pg_regex pattern;     /* a new tag's name must match, if set */
	char *hint;                  /* human-readable form of pattern; may be NULL */
	char *on_branch;             /* the tagged commit must be on this branch; may be NULL */
	bool immutable;              /* an existing tag may not move or be deleted */
	enum pg_severity severity;
	unsigned int line;
};

struct pg_freeze {
	struct pg_strlist branches;  /* globs; empty: no freeze */
	char *message;               /* shown to the pusher; may be NULL */
};

struct pg_bypass {
	struct pg_strlist users;     /* Gitea user names allowed to bypass */
};

/* Confidence levels of a finding (high, medium, low; scanners/rules.h). */
#define PG_POLICY_CONFIDENCE_LEVELS 3

/* `secrets:` - scanning the lines a push or commit adds. */
struct pg_secrets_policy {
	bool scan;                   /* scan at all (default true) */
	enum pg_severity severity;   /* what a finding does (default reject) */
	char *rules;                 /* rules file; NULL: the embedded rules */
	size_t max_blob_size;        /* larger blobs are not scanned... */
	enum pg_severity too_large;  /* ...and this decides the push (default reject) */
	bool inline_allow;           /* honour pushgate:allow on the server (default true);
					false (`ignore`): such a finding counts like any other */
	/* `confidence:` what a finding of each confidence does, indexed by enum
	   pg_confidence (scanners/rules.h): high, medium, low. Default reject,
	   reject, warn. `severity: warn` makes every finding warn. */
	enum pg_severity confidence[PG_POLICY_CONFIDENCE_LEVELS];
};

/* `files:` entries: what the files a ref update changes may be. */
struct pg_protected_paths {
	struct pg_strlist paths;     /* path globs */
	struct pg_strlist users;     /* Gitea user names who may change them */
};

struct pg_file_rule {
	struct pg_strlist branches;  /* globs; every entry that matches applies */
	size_t max_file_size;        /* bytes; 0: no limit */
	struct pg_strlist forbidden_names;  /* path globs; empty: none */
	struct pg_strlist allowed_names;    /* exceptions to forbidden_names */
	struct pg_protected_paths *protected_paths;
	size_t protected_paths_len;
	enum pg_severity severity;
	unsigned int line;
};

/* `commits:` entries: what the commits new to the repository may be. */
struct pg_commit_rule {
	struct pg_strlist branches;       /* globs; every entry that matches applies */
	struct pg_regex message_pattern;  /* the message must match, if set */
	char *message_hint;
	struct pg_regex message_reject;   /* the message must not match, if set */
	struct pg_regex author_email;     /* must match, if set */
	struct pg_regex committer_email;  /* must match, if set */
	bool signed_off;                  /* a Signed-off-by: trailer is required */
	size_t max_commits;               /* per ref update; 0: no limit */
	bool include_merges;              /* check Gitea's pull-request merge commits too */
	enum pg_severity severity;
	unsigned int line;
};

/* The workflow-file checks' severities, by enum pg_workflow_check. */
struct pg_workflow_policy {
	bool check;                                  /* default true */
	enum pg_severity severity[PG_WF_CHECKS];
};

/* Default of secrets.max_blob_size: 50 MiB. */
#define PG_POLICY_MAX_BLOB_DEFAULT ((size_t)50 << 20)

struct pg_policy {
	char *source;                /* file path, or "<default>" */
	struct pg_branch_rule *branches;
	size_t branches_len;
	struct pg_tag_rule *tags;
	size_t tags_len;
	struct pg_freeze freeze;
	struct pg_bypass bypass;
	struct pg_secrets_policy secrets;
	struct pg_file_rule *files;
	size_t files_len;
	struct pg_commit_rule *commits;
	size_t commits_len;
	struct pg_workflow_policy workflows;
	char *audit_log;             /* JSON-lines audit file; NULL: none */
	struct pg_strlist warnings;  /* "FILE:LINE:COL: what" for `policy check`:
					rules that can never apply, names no rule
					lets anyone create; the hooks ignore them */
};

/** The push option that asks for a bypass: `pushgate.bypass=<reason>`. */
#define PG_BYPASS_OPTION "pushgate.bypass"

/**
 * Load and validate a policy file.
 *
 * A valid policy may still hold rules that can never apply; those are
 * listed in (*out)->warnings, never errors.
 *
 * @param out receives the policy, owned by the caller (pg_policy_free)
 * @param path file to read
 * @return 0, PG_ENOTFOUND, PG_EIO, or PG_EINVAL with a message of the form
 *         "FILE:LINE:COL: what is wrong"
 */
int pg_policy_load_file(struct pg_policy **out, const char *path);

/**
 * Load and validate a policy from memory; `name` is used in messages.
 * Same returns as pg_policy_load_file().
 */
int pg_policy_load_buffer(struct pg_policy **out, const char *name,
			  const char *data, size_t len);

/** Load the embedded default policy (docs/architecture.md, "Formats users rely on"). */
int pg_policy_load_default(struct pg_policy **out);

/**
 * Load the effective policy: `config` (from --config) if non-NULL, else
 * $PUSHGATE_CONFIG, else `$git_dir/pushgate.yml` (when git_dir is
 * non-NULL), else /etc/pushgate/policy.yml, else the embedded default.
 * A file named explicitly (--config, $PUSHGATE_CONFIG) must exist; one
 * found by lookup is used when it exists, and an existing but unreadable
 * or invalid file is an error, never a reason to fall through.
 */
int pg_policy_load_effective(struct pg_policy **out, const char *config,
			     const char *git_dir);

/** Free a policy; NULL is fine. */
void pg_policy_free(struct pg_policy *policy);

/** First branch rule whose glob matches `branch`, or NULL. Borrowed. */
const struct pg_branch_rule *pg_policy_branch_rule(const struct pg_policy *policy,
						   const char *branch);

/** First tag rule whose glob matches `tag`, or NULL. Borrowed. */
const struct pg_tag_rule *pg_policy_tag_rule(const struct pg_policy *policy,
					     const char *tag);

/**
 * What a secret finding of `confidence` (enum pg_confidence: 0 high,
 * 1 medium, 2 low) does under the policy: warn when `secrets.severity`
 * is warn, else what `secrets.confidence` says for that level.
 */
enum pg_severity pg_policy_secret_action(const struct pg_policy *policy, unsigned int confidence);

/** Is `branch` covered by the freeze? */
bool pg_policy_is_frozen(const struct pg_policy *policy, const char *branch);

/** May Gitea user `user` bypass with the push option? NULL: no. */
bool pg_policy_is_bypass_user(const struct pg_policy *policy, const char *user);

/**
 * Append the effective policy as YAML that pg_policy_load_buffer()
 * accepts, with every default spelled out.
 */
int pg_policy_write_yaml(struct pg_buf *out, const struct pg_policy *policy);

#endif
