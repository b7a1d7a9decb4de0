/*
 * push_rules_yaml.c - the policy's `files:`, `commits:` and `workflows:`
 * sections: loading, defaults and freeing.
 *
 * Strict like the rest of the policy: unknown keys and bad values are
 * FILE:LINE:COL errors. The checks themselves live in push_rules.c.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "policy/policy_yaml_read.h"
#include "policy/push_rules_yaml.h"

/* Key and credential files no repository should hold (`forbidden_names: default`). */
static const char *const default_forbidden[] = {
	"*.pem", "*.key", "*.p12", "*.pfx", "*.keystore", "*.jks", "id_rsa", "id_dsa",
	"id_ecdsa", "id_ed25519", ".env", ".env.*", "credentials.json", ".netrc", ".pgpass", NULL
};
static const char *const default_allowed[] = {
	".env.example", ".env.sample", ".env.template", NULL
};

static const char *const file_keys[] = {
	"branches", "max_file_size", "forbidden_names", "allowed_names", "protected_paths",
	"severity", NULL
};
static const char *const protected_keys[] = { "paths", "users", NULL };
static const char *const commit_keys[] = {
	"branches", "message_pattern", "message_hint", "message_reject", "author_email",
	"committer_email", "signed_off", "max_commits", "include_merges", "severity", NULL
};

void pg_push_rules_defaults(struct pg_policy *policy)
{
	struct pg_workflow_policy *w = &policy->workflows;
	size_t i;

	w->check = true;
	for (i = 0; i < PG_WF_CHECKS; i++)
		w->severity[i] = pg_workflow_default_severity(i);
}

static int add_all(struct pg_strlist *out, const char *const *items)
{
	int error;

	for (; *items; items++)
		if ((error = pg_strlist_add(out, *items)) < 0)
			return error;
	return 0;
}

static int read_branches(struct pg_yaml *y, yaml_node_t *node, const char *what,
			 struct pg_strlist *out)
{
	yaml_node_t *value = pg_yaml_map_get(y, node, "branches");
	int error;

	if (!value)
		return pg_yaml_error(y, node, "%s needs 'branches' (globs, e.g. ['**'])", what);
	if ((error = pg_yaml_get_globs(y, value, "branches", out)) < 0)
		return error;
	if (!out->len)
		return pg_yaml_error(y, value, "%s: 'branches' must name at least one glob", what);
	return 0;
}

static int read_size(struct pg_yaml *y, yaml_node_t *map, const char *key, size_t *out)
{
	yaml_node_t *value = pg_yaml_map_get(y, map, key);
	unsigned long n;
	int error;

	if (!value)
		return 0;
	if ((error = pg_yaml_get_uint(y, value, key, (unsigned long)1 << 40, &n)) < 0)
		return error;
	*out = (size_t)n;
	return 0;
}

static int read_bool(struct pg_yaml *y, yaml_node_t *map, const char *key, bool *out)
{
	yaml_node_t *value = pg_yaml_map_get(y, map, key);

	return value ? pg_yaml_get_bool(y, value, key, out) : 0;
}

/* `forbidden_names: default` or a list of globs; `default` also sets the exceptions. */
static int read_forbidden(struct pg_yaml *y, yaml_node_t *node, struct pg_file_rule *rule)
{
	yaml_node_t *value = pg_yaml_map_get(y, node, "forbidden_names");
	const char *word;
	int error;

	if (!value)
		return 0;
	word = pg_yaml_scalar(value);
	if (word) {
		if (strcmp(word, "default"))
			return pg_yaml_error(y, value, "forbidden_names must be 'default' or a list of globs");
		if ((error = add_all(&rule->forbidden_names, default_forbidden)) < 0)
			return error;
		if (!pg_yaml_map_get(y, node, "allowed_names"))
			return add_all(&rule->allowed_names, default_allowed);
		return 0;
	}
	return pg_yaml_get_globs(y, value, "forbidden_names", &rule->forbidden_names);
}

static int parse_protected(struct pg_yaml *y, yaml_node_t *node, struct pg_file_rule *rule)
{
	yaml_node_t *item, *value;
	size_t i, n;
	int error;

	if ((error = pg_yaml_seq_check(y, node, "protected_paths")) < 0)
		return error;
	n = pg_yaml_seq_len(node);
	rule->protected_paths = calloc(n ? n : 1, sizeof(*rule->protected_paths));
	if (!rule->protected_paths)
		return pg_error_oom();
	for (i = 0; i < n; i++) {
		struct pg_protected_paths *pp = &rule->protected_paths[i];

		rule->protected_paths_len = i + 1;
		item = pg_yaml_seq_item(y, node, i);
		if ((error = pg_yaml_map_check(y, item, "protected_paths entry", protected_keys)) < 0)
			return error;
		if (!(value = pg_yaml_map_get(y, item, "paths")))
			return pg_yaml_error(y, item, "protected_paths entry needs 'paths'");
		if ((error = pg_yaml_get_globs(y, value, "protected paths", &pp->paths)) < 0)
			return error;
		if ((value = pg_yaml_map_get(y, item, "users")) &&
		    (error = pg_yaml_get_strlist(y, value, "protected_paths users", &pp->users)) < 0)
			return error;
	}
	return 0;
}

static int parse_file_rule(struct pg_yaml *y, yaml_node_t *node, struct pg_file_rule *rule)
{
	yaml_node_t *value;
	int error;

	rule->severity = PG_SEVERITY_REJECT;
	rule->line = (unsigned int)node->start_mark.line + 1;
	if ((error = pg_yaml_map_check(y, node, "files entry", file_keys)) < 0 ||
	    (error = read_branches(y, node, "files entry", &rule->branches)) < 0 ||
	    (error = read_size(y, node, "max_file_size", &rule->max_file_size)) < 0 ||
	    (error = read_forbidden(y, node, rule)) < 0 ||
	    (error = pg_policy_yaml__severity(y, node, &rule->severity)) < 0)
		return error;
	if ((value = pg_yaml_map_get(y, node, "allowed_names")) &&
	    (error = pg_yaml_get_globs(y, value, "allowed_names", &rule->allowed_names)) < 0)
		return error;
	if ((value = pg_yaml_map_get(y, node, "protected_paths")) &&
	    (error = parse_protected(y, value, rule)) < 0)
		return error;
	return 0;
}

static int parse_commit_rule(struct pg_yaml *y, yaml_node_t *node, struct pg_commit_rule *rule)
{
	int error;

	rule->severity = PG_SEVERITY_REJECT;
	rule->line = (unsigned int)node->start_mark.line + 1;
	if ((error = pg_yaml_map_check(y, node, "commits entry", commit_keys)) < 0 ||
	    (error = read_branches(y, node, "commits entry", &rule->branches)) < 0 ||
	    (error = pg_policy_yaml__regex(y, node, "message_pattern", &rule->message_pattern)) < 0 ||
	    (error = pg_policy_yaml__text(y, node, "message_hint", &rule->message_hint)) < 0 ||
	    (error = pg_policy_yaml__regex(y, node, "message_reject", &rule->message_reject)) < 0 ||
	    (error = pg_policy_yaml__regex(y, node, "author_email", &rule->author_email)) < 0 ||
	    (error = pg_policy_yaml__regex(y, node, "committer_email", &rule->committer_email)) < 0 ||
	    (error = read_bool(y, node, "signed_off", &rule->signed_off)) < 0 ||
	    (error = read_size(y, node, "max_commits", &rule->max_commits)) < 0 ||
	    (error = read_bool(y, node, "include_merges", &rule->include_merges)) < 0 ||
	    (error = pg_policy_yaml__severity(y, node, &rule->severity)) < 0)
		return error;
	return 0;
}

int pg_push_rules_parse_files(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy)
{
	size_t i, n;
	int error;

	if ((error = pg_yaml_seq_check(y, node, "files")) < 0)
		return error;
	n = pg_yaml_seq_len(node);
	policy->files = calloc(n ? n : 1, sizeof(*policy->files));
	if (!policy->files)
		return pg_error_oom();
	for (i = 0; i < n; i++) {
		policy->files_len = i + 1;
		if ((error = parse_file_rule(y, pg_yaml_seq_item(y, node, i), &policy->files[i])) < 0)
			return error;
	}
	return 0;
}

int pg_push_rules_parse_commits(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy)
{
	size_t i, n;
	int error;

	if ((error = pg_yaml_seq_check(y, node, "commits")) < 0)
		return error;
	n = pg_yaml_seq_len(node);
	policy->commits = calloc(n ? n : 1, sizeof(*policy->commits));
	if (!policy->commits)
		return pg_error_oom();
	for (i = 0; i < n; i++) {
		policy->commits_len = i + 1;
		if ((error = parse_commit_rule(y, pg_yaml_seq_item(y, node, i), &policy->commits[i])) < 0)
			return error;
	}
	return 0;
}

int pg_push_rules_parse_workflows(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy)
{
	struct pg_workflow_policy *w = &policy->workflows;
	const char *keys[PG_WF_CHECKS + 2] = { "check" };
	int error, value;
	size_t i;

	/* The checker names its checks; the policy adds only "check". */
	for (i = 0; i < PG_WF_CHECKS; i++)
		keys[i + 1] = pg_workflow_check_name(i);
	if ((error = pg_yaml_map_check(y, node, "workflows", keys)) < 0 ||
	    (error = read_bool(y, node, "check", &w->check)) < 0)
		return error;
	for (i = 0; i < PG_WF_CHECKS; i++) {
		value = (int)w->severity[i];
		if ((error = pg_policy_yaml__enum(y, node, pg_workflow_check_name(i),
						  pg_policy__severity_names, &value)) < 0)
			return error;
		w->severity[i] = value ? PG_SEVERITY_WARN : PG_SEVERITY_REJECT;
	}
	return 0;
}

void pg_push_rules_free(struct pg_policy *policy)
{
	size_t i, j;

	for (i = 0; i < policy->files_len; i++) {
		struct pg_file_rule *r = &policy->files[i];

		pg_strlist_clear(&r->branches);
		pg_strlist_clear(&r->forbidden_names);
		pg_strlist_clear(&r->allowed_names);
		for (j = 0; j < r->protected_paths_len; j++) {
			pg_strlist_clear(&r->protected_paths[j].paths);
			pg_strlist_clear(&r->protected_paths[j].users);
		}
		free(r->protected_paths);
	}
	free(policy->files);
	for (i = 0; i < policy->commits_len; i++) {
		struct pg_commit_rule *r = &policy->commits[i];

		pg_strlist_clear(&r->branches);
		pg_regex_clear(&r->message_pattern);
		free(r->message_hint);
		pg_regex_clear(&r->message_reject);
		pg_regex_clear(&r->author_email);
		pg_regex_clear(&r->committer_email);
	}
	free(policy->commits);
	policy->files = NULL;
	policy->commits = NULL;
	policy->files_len = policy->commits_len = 0;
}
