/*
 * policy_yaml.c - load and validate policy files, the embedded default,
 * the lookup of the effective policy, and the rule lookups.
 *
 * Strict on purpose: anything it does not understand is an error with
 * FILE:LINE:COL, never a key to skip, because a skipped key is a weaker
 * policy. It decides nothing about actual ref updates (ref_check.c does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/glob.h"
#include "common/yaml.h"
#include "policy/policy.h"
#include "policy/policy_yaml_read.h"
#include "policy/push_rules_yaml.h"

#ifndef PG_SYSTEM_POLICY
#define PG_SYSTEM_POLICY "/etc/pushgate/policy.yml"
#endif

/* Policies are written by hand; anything this large is a mistake. */
#define PG_POLICY_SIZE_LIMIT ((size_t)1 << 20)

#define PG_POLICY_DEFAULT_NAME "<default>"

/* policy/default_policy.S: the bytes of policy/default_policy.yml. */
extern const char pg_policy_default_yml_start[];
extern const char pg_policy_default_yml_end[];

static const char *const extends_names[] = { "default", NULL };

static const char *const top_keys[] = {
	"version", "extends", "branches", "tags", "freeze", "bypass", "secrets", "files",
	"commits", "workflows", "audit_log", NULL
};
static const char *const branch_keys[] = {
	"match", "create", "delete", "force_push", "direct_push",
	"merge_sources", "name_pattern", "name_hint", "severity", NULL
};
static const char *const tag_keys[] = {
	"match", "create", "pattern", "hint", "on_branch", "immutable", "severity", NULL
};
static const char *const freeze_keys[] = { "branches", "message", NULL };
static const char *const bypass_keys[] = { "users", NULL };
static const char *const secrets_keys[] = {
	"scan", "severity", "rules", "max_blob_size", "too_large", "inline_allow", NULL
};

static void branch_rule_clear(struct pg_branch_rule *rule)
{
	free(rule->match);
	pg_strlist_clear(&rule->merge_sources);
	pg_regex_clear(&rule->name_pattern);
	free(rule->name_hint);
	memset(rule, 0, sizeof(*rule));
}

static void tag_rule_clear(struct pg_tag_rule *rule)
{
	free(rule->match);
	pg_regex_clear(&rule->pattern);
	free(rule->hint);
	free(rule->on_branch);
	memset(rule, 0, sizeof(*rule));
}

void pg_policy_free(struct pg_policy *policy)
{
	size_t i;

	if (!policy)
		return;
	for (i = 0; i < policy->branches_len; i++)
		branch_rule_clear(&policy->branches[i]);
	free(policy->branches);
	for (i = 0; i < policy->tags_len; i++)
		tag_rule_clear(&policy->tags[i]);
	free(policy->tags);
	pg_strlist_clear(&policy->freeze.branches);
	free(policy->freeze.message);
	pg_strlist_clear(&policy->bypass.users);
	free(policy->secrets.rules);
	pg_push_rules_free(policy);
	free(policy->audit_log);
	free(policy->source);
	free(policy);
}

static int parse_branch_rule(struct pg_yaml *y, yaml_node_t *node, struct pg_branch_rule *rule)
{
	yaml_node_t *sources;
	int error;

	rule->create = PG_PERM_ALLOW;
	rule->delete_ = PG_PERM_ALLOW;
	rule->force_push = PG_PERM_ALLOW;
	rule->direct_push = PG_PERM_ALLOW;
	rule->severity = PG_SEVERITY_REJECT;
	rule->line = (unsigned int)node->start_mark.line + 1;

	if ((error = pg_yaml_map_check(y, node, "branch rule", branch_keys)) < 0 ||
	    (error = pg_policy_yaml__match(y, node, "branch rule", &rule->match)) < 0 ||
	    (error = pg_policy_yaml__perm(y, node, "create", &rule->create)) < 0 ||
	    (error = pg_policy_yaml__perm(y, node, "delete", &rule->delete_)) < 0 ||
	    (error = pg_policy_yaml__perm(y, node, "force_push", &rule->force_push)) < 0 ||
	    (error = pg_policy_yaml__perm(y, node, "direct_push", &rule->direct_push)) < 0 ||
	    (error = pg_policy_yaml__regex(y, node, "name_pattern", &rule->name_pattern)) < 0 ||
	    (error = pg_policy_yaml__text(y, node, "name_hint", &rule->name_hint)) < 0 ||
	    (error = pg_policy_yaml__severity(y, node, &rule->severity)) < 0)
		return error;
	sources = pg_yaml_map_get(y, node, "merge_sources");
	if (sources) {
		rule->has_merge_sources = true;
		if ((error = pg_policy_yaml__globs(y, sources, "merge_sources", &rule->merge_sources)) < 0)
			return error;
	}
	return 0;
}

static int parse_tag_rule(struct pg_yaml *y, yaml_node_t *node, struct pg_tag_rule *rule)
{
	yaml_node_t *value;
	int error;

	rule->create = PG_PERM_ALLOW;
	rule->immutable = true;
	rule->severity = PG_SEVERITY_REJECT;
	rule->line = (unsigned int)node->start_mark.line + 1;

	if ((error = pg_yaml_map_check(y, node, "tag rule", tag_keys)) < 0 ||
	    (error = pg_policy_yaml__match(y, node, "tag rule", &rule->match)) < 0 ||
	    (error = pg_policy_yaml__perm(y, node, "create", &rule->create)) < 0 ||
	    (error = pg_policy_yaml__regex(y, node, "pattern", &rule->pattern)) < 0 ||
	    (error = pg_policy_yaml__text(y, node, "hint", &rule->hint)) < 0 ||
	    (error = pg_policy_yaml__severity(y, node, &rule->severity)) < 0)
		return error;
	value = pg_yaml_map_get(y, node, "on_branch");
	if (value) {
		if ((error = pg_yaml_get_string(y, value, "on_branch", &rule->on_branch)) < 0)
			return error;
		if (!*rule->on_branch)
			return pg_yaml_error(y, value, "on_branch must name a branch");
	}
	value = pg_yaml_map_get(y, node, "immutable");
	if (value && (error = pg_yaml_get_bool(y, value, "immutable", &rule->immutable)) < 0)
		return error;
	return 0;
}

/*
 * The rule arrays are sized up front and zeroed, and *len counts every
 * rule touched so far, so pg_policy_free() can release a half-parsed one.
 */
static int parse_branches(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy)
{
	size_t i, n;
	int error;

	if ((error = pg_yaml_seq_check(y, node, "branches")) < 0)
		return error;
	n = pg_yaml_seq_len(node);
	if (!n)
		return 0;
	policy->branches = calloc(n, sizeof(*policy->branches));
	if (!policy->branches)
		return pg_error_oom();
	for (i = 0; i < n; i++) {
		policy->branches_len = i + 1;
		error = parse_branch_rule(y, pg_yaml_seq_item(y, node, i), &policy->branches[i]);
		if (error < 0)
			return error;
	}
	return 0;
}

static int parse_tags(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy)
{
	size_t i, n;
	int error;

	if ((error = pg_yaml_seq_check(y, node, "tags")) < 0)
		return error;
	n = pg_yaml_seq_len(node);
	if (!n)
		return 0;
	policy->tags = calloc(n, sizeof(*policy->tags));
	if (!policy->tags)
		return pg_error_oom();
	for (i = 0; i < n; i++) {
		policy->tags_len = i + 1;
		error = parse_tag_rule(y, pg_yaml_seq_item(y, node, i), &policy->tags[i]);
		if (error < 0)
			return error;
	}
	return 0;
}

static int parse_freeze(struct pg_yaml *y, yaml_node_t *node, struct pg_freeze *freeze)
{
	yaml_node_t *value;
	int error;

	if ((error = pg_yaml_map_check(y, node, "freeze", freeze_keys)) < 0)
		return error;
	value = pg_yaml_map_get(y, node, "branches");
	if (value && (error = pg_policy_yaml__globs(y, value, "freeze branches", &freeze->branches)) < 0)
		return error;
	return pg_policy_yaml__text(y, node, "message", &freeze->message);
}

static int parse_bypass(struct pg_yaml *y, yaml_node_t *node, struct pg_bypass *bypass)
{
	yaml_node_t *value;
	size_t i;
	int error;

	if ((error = pg_yaml_map_check(y, node, "bypass", bypass_keys)) < 0)
		return error;
	value = pg_yaml_map_get(y, node, "users");
	if (!value)
		return 0;
	if ((error = pg_yaml_get_strlist(y, value, "bypass users", &bypass->users)) < 0)
		return error;
	for (i = 0; i < bypass->users.len; i++)
		if (!*bypass->users.items[i])
			return pg_yaml_error(y, pg_yaml_seq_item(y, value, i),
					     "bypass users: a user name must not be empty");
	return 0;
}

static const char *const inline_allow_names[] = { "honour", "ignore", NULL };

static int parse_secrets(struct pg_yaml *y, yaml_node_t *node, struct pg_secrets_policy *secrets)
{
	yaml_node_t *value;
	unsigned long size;
	int error, sev;

	if ((error = pg_yaml_map_check(y, node, "secrets", secrets_keys)) < 0)
		return error;
	if ((value = pg_yaml_map_get(y, node, "scan")) &&
	    (error = pg_yaml_get_bool(y, value, "secrets scan", &secrets->scan)) < 0)
		return error;
	if ((error = pg_policy_yaml__severity(y, node, &secrets->severity)) < 0)
		return error;
	if ((value = pg_yaml_map_get(y, node, "too_large"))) {
		if ((error = pg_yaml_get_enum(y, value, "secrets too_large", pg_policy__severity_names, &sev)) < 0)
			return error;
		secrets->too_large = (enum pg_severity)sev;
	}
	if ((value = pg_yaml_map_get(y, node, "inline_allow"))) {
		if ((error = pg_yaml_get_enum(y, value, "secrets inline_allow", inline_allow_names,
					      &sev)) < 0)
			return error;
		secrets->inline_allow = sev == 0;
	}
	if ((value = pg_yaml_map_get(y, node, "max_blob_size"))) {
		if ((error = pg_yaml_get_uint(y, value, "secrets max_blob_size",
					      (unsigned long)1 << 40, &size)) < 0)
			return error;
		if (!size)
			return pg_yaml_error(y, value, "secrets max_blob_size must be at least 1");
		secrets->max_blob_size = (size_t)size;
	}
	if ((value = pg_yaml_map_get(y, node, "rules"))) {
		if ((error = pg_yaml_get_string(y, value, "secrets rules", &secrets->rules)) < 0)
			return error;
		if (!*secrets->rules)
			return pg_yaml_error(y, value, "secrets rules: give a file name or leave the key out");
	}
	return 0;
}

static int parse_version(struct pg_yaml *y, yaml_node_t *root)
{
	yaml_node_t *node = pg_yaml_map_get(y, root, "version");
	unsigned long version;
	int error;

	if (!node)
		return pg_yaml_error(y, root, "missing 'version: 1'");
	if ((error = pg_yaml_get_uint(y, node, "version", (unsigned long)-1, &version)) < 0)
		return error;
	if (version != 1)
		return pg_yaml_error(y, node, "unsupported policy version %lu (this pushgate reads version 1)",
				     version);
	return 0;
}

/* Append src's rule arrays to dst's (the default after the file's rules), stealing them. */
static int append_rules(struct pg_policy *dst, struct pg_policy *src)
{
	struct pg_branch_rule *branches;
	struct pg_tag_rule *tags;

	if (src->branches_len) {
		branches = realloc(dst->branches,
				   (dst->branches_len + src->branches_len) * sizeof(*branches));
		if (!branches)
			return pg_error_oom();
		memcpy(branches + dst->branches_len, src->branches,
		       src->branches_len * sizeof(*branches));
		dst->branches = branches;
		dst->branches_len += src->branches_len;
		src->branches_len = 0;
	}
	if (src->tags_len) {
		tags = realloc(dst->tags, (dst->tags_len + src->tags_len) * sizeof(*tags));
		if (!tags)
			return pg_error_oom();
		memcpy(tags + dst->tags_len, src->tags, src->tags_len * sizeof(*tags));
		dst->tags = tags;
		dst->tags_len += src->tags_len;
		src->tags_len = 0;
	}
	return 0;
}

static void swap_freeze_bypass(struct pg_policy *a, struct pg_policy *b, bool freeze, bool bypass)
{
	struct pg_freeze f;
	struct pg_bypass u;

	if (freeze) {
		f = a->freeze;
		a->freeze = b->freeze;
		b->freeze = f;
	}
	if (bypass) {
		u = a->bypass;
		a->bypass = b->bypass;
		b->bypass = u;
	}
}

static int policy_parse(struct pg_policy **out, const char *name, const char *data,
			size_t len, bool builtin)
{
	struct pg_policy *policy = NULL, *base = NULL;
	struct pg_yaml y;
	bool loaded = false;
	yaml_node_t *root, *node, *extends;
	size_t i;
	int error, ignored;

	*out = NULL;
	if (len > PG_POLICY_SIZE_LIMIT)
		return pg_error_set(PG_EINVAL, "%s: larger than %zu bytes", name,
				    PG_POLICY_SIZE_LIMIT);
	if ((error = pg_yaml_load(&y, name, data ? data : "", data ? len : 0)) < 0)
		return error;
	loaded = true;
	root = pg_yaml_root(&y);

	policy = calloc(1, sizeof(*policy));
	if (!policy || !(policy->source = strdup(name))) {
		error = pg_error_oom();
		goto out;
	}
	policy->secrets.scan = true;
	policy->secrets.severity = PG_SEVERITY_REJECT;
	policy->secrets.max_blob_size = PG_POLICY_MAX_BLOB_DEFAULT;
	policy->secrets.too_large = PG_SEVERITY_REJECT;
	policy->secrets.inline_allow = true;
	pg_push_rules_defaults(policy);
	if ((error = pg_yaml_map_check(&y, root, "the policy", top_keys)) < 0 ||
	    (error = parse_version(&y, root)) < 0)
		goto out;
	extends = pg_yaml_map_get(&y, root, "extends");
	if (extends) {
		if ((error = pg_yaml_get_enum(&y, extends, "extends", extends_names, &ignored)) < 0)
			goto out;
		if (builtin) {
			error = pg_yaml_error(&y, extends, "the default policy cannot extend itself");
			goto out;
		}
	}
	if ((node = pg_yaml_map_get(&y, root, "branches")) &&
	    (error = parse_branches(&y, node, policy)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "tags")) &&
	    (error = parse_tags(&y, node, policy)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "freeze")) &&
	    (error = parse_freeze(&y, node, &policy->freeze)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "bypass")) &&
	    (error = parse_bypass(&y, node, &policy->bypass)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "secrets")) &&
	    (error = parse_secrets(&y, node, &policy->secrets)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "files")) &&
	    (error = pg_push_rules_parse_files(&y, node, policy)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "commits")) &&
	    (error = pg_push_rules_parse_commits(&y, node, policy)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "workflows")) &&
	    (error = pg_push_rules_parse_workflows(&y, node, policy)) < 0)
		goto out;
	if ((node = pg_yaml_map_get(&y, root, "audit_log")) &&
	    (error = pg_yaml_get_string(&y, node, "audit_log", &policy->audit_log)) < 0)
		goto out;

	if (builtin) {
		for (i = 0; i < policy->branches_len; i++)
			policy->branches[i].line = 0;
		for (i = 0; i < policy->tags_len; i++)
			policy->tags[i].line = 0;
	}
	if (extends) {
		if ((error = pg_policy_load_default(&base)) < 0 ||
		    (error = append_rules(policy, base)) < 0)
			goto out;
		swap_freeze_bypass(policy, base, !pg_yaml_map_get(&y, root, "freeze"),
				   !pg_yaml_map_get(&y, root, "bypass"));
	}
	*out = policy;
	policy = NULL;
out:
	if (loaded)
		pg_yaml_free(&y);
	pg_policy_free(base);
	pg_policy_free(policy);
	return error;
}

int pg_policy_load_buffer(struct pg_policy **out, const char *name,
			  const char *data, size_t len)
{
	if (!name)
		name = "<buffer>";
	return policy_parse(out, name, data, len, false);
}

int pg_policy_load_default(struct pg_policy **out)
{
	return policy_parse(out, PG_POLICY_DEFAULT_NAME, pg_policy_default_yml_start,
			    (size_t)(pg_policy_default_yml_end - pg_policy_default_yml_start),
			    true);
}

int pg_policy_load_file(struct pg_policy **out, const char *path)
{
	struct pg_buf data = PG_BUF_INIT(PG_POLICY_SIZE_LIMIT);
	const char *name;
	int error;

	*out = NULL;
	if (!path || !*path)
		return pg_error_set(PG_EINVAL, "no policy file name given");
	name = strcmp(path, "-") ? path : "<stdin>";
	if ((error = pg_file_read(&data, path)) < 0) {
		/* A policy too large to read is a broken policy, not a resource problem. */
		if (error == PG_ELIMIT)
			error = PG_EINVAL;
		goto out;
	}
	error = policy_parse(out, name, data.ptr, data.size, false);
out:
	pg_buf_release(&data);
	return error;
}

/*
 * A file named explicitly must exist. A file found by lookup that is
 * absent lets the lookup go on: *found is false. Anything else that
 * exists at the path (a dangling symlink, a directory, an unreadable or
 * invalid file) is an error: falling through would weaken the policy.
 */
static int load_candidate(struct pg_policy **out, const char *path, const char *origin,
			  bool explicit, bool *found)
{
	struct stat st;
	int error;

	*found = false;
	if (!explicit && lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return pg_error_set(PG_EIO, "%s (%s): %s", path, origin, strerror(errno));
	}
	*found = true;
	error = pg_policy_load_file(out, path);
	if (error == PG_ENOTFOUND && !explicit)
		return pg_error_set(PG_EIO, "%s (%s): exists but cannot be opened (dangling symlink?)",
				    path, origin);
	if (error == PG_ENOTFOUND)
		return pg_error_set(PG_ENOTFOUND, "%s (%s): no such policy file", path, origin);
	return error;
}

int pg_policy_load_effective(struct pg_policy **out, const char *config,
			     const char *git_dir)
{
	struct pg_buf path = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const char *env = getenv("PUSHGATE_CONFIG");
	size_t dir_len;
	bool found = false;
	int error = 0;

	*out = NULL;
	if (config) {
		error = load_candidate(out, config, "--config", true, &found);
		goto out;
	}
	/* An empty variable is treated as unset, as git does for most of its own. */
	if (env && *env) {
		error = load_candidate(out, env, "$PUSHGATE_CONFIG", true, &found);
		goto out;
	}
	if (git_dir && *git_dir) {
		dir_len = strlen(git_dir);
		while (dir_len > 1 && git_dir[dir_len - 1] == '/')
			dir_len--;
		if ((error = pg_buf_put(&path, git_dir, dir_len)) < 0 ||
		    (error = pg_buf_puts(&path, git_dir[dir_len - 1] == '/' ? "" : "/")) < 0 ||
		    (error = pg_buf_puts(&path, "pushgate.yml")) < 0)
			goto out;
		error = load_candidate(out, path.ptr, "repository policy", false, &found);
		if (error < 0 || found)
			goto out;
	}
	error = load_candidate(out, PG_SYSTEM_POLICY, "system policy", false, &found);
	if (error < 0 || found)
		goto out;
	error = pg_policy_load_default(out);
out:
	pg_buf_release(&path);
	return error;
}

const struct pg_branch_rule *pg_policy_branch_rule(const struct pg_policy *policy,
						   const char *branch)
{
	size_t i;

	if (!policy || !branch)
		return NULL;
	for (i = 0; i < policy->branches_len; i++)
		if (pg_glob_match(policy->branches[i].match, branch))
			return &policy->branches[i];
	return NULL;
}

const struct pg_tag_rule *pg_policy_tag_rule(const struct pg_policy *policy, const char *tag)
{
	size_t i;

	if (!policy || !tag)
		return NULL;
	for (i = 0; i < policy->tags_len; i++)
		if (pg_glob_match(policy->tags[i].match, tag))
			return &policy->tags[i];
	return NULL;
}

bool pg_policy_is_frozen(const struct pg_policy *policy, const char *branch)
{
	if (!policy || !branch)
		return false;
	return pg_strlist_glob_match(&policy->freeze.branches, branch);
}

bool pg_policy_is_bypass_user(const struct pg_policy *policy, const char *user)
{
	if (!policy || !user || !*user)
		return false;
	return pg_strlist_contains(&policy->bypass.users, user);
}
