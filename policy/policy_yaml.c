/*
 * policy_yaml.c - load and validate policy files, the embedded default,
 * the lookup of the effective policy, and the rule lookups.
 *
 * Strict on purpose: anything it does not understand is an error with
 * FILE:LINE:COL, never a key to skip, because a skipped key is a weaker
 * policy. It decides nothing about actual ref updates (ref_check.c does);
 * what it finds odd but valid (rules that can never apply) it only lists
 * as warnings for `policy check`.
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
#include "common/text.h"
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
	"scan", "severity", "rules", "max_blob_size", "too_large", "inline_allow", "confidence", NULL
};
/* Indexed by enum pg_confidence. */
static const char *const confidence_keys[] = { "high", "medium", "low", NULL };

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
	pg_strlist_clear(&policy->warnings);
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
		if ((error = pg_yaml_get_globs(y, sources, "merge_sources", &rule->merge_sources)) < 0)
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
	if (value && (error = pg_yaml_get_globs(y, value, "freeze branches", &freeze->branches)) < 0)
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

/* `confidence: {high: reject, medium: reject, low: warn}`; a level left out keeps its default. */
static int parse_confidence(struct pg_yaml *y, yaml_node_t *node, struct pg_secrets_policy *secrets)
{
	int error, sev;
	size_t i;

	if ((error = pg_yaml_map_check(y, node, "secrets confidence", confidence_keys)) < 0)
		return error;
	for (i = 0; i < PG_POLICY_CONFIDENCE_LEVELS; i++) {
		sev = (int)secrets->confidence[i];
		if ((error = pg_policy_yaml__enum(y, node, confidence_keys[i],
						  pg_policy__severity_names, &sev)) < 0)
			return error;
		secrets->confidence[i] = (enum pg_severity)sev;
	}
	return 0;
}

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
	if ((value = pg_yaml_map_get(y, node, "confidence")) &&
	    (error = parse_confidence(y, value, secrets)) < 0)
		return error;
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

/*
 * Lint: what `policy check` warns about. Nothing here changes what a
 * policy decides; every answer errs towards silence, so a warning is
 * never wrong (a missed one is possible).
 */

/* Work allowed for one glob comparison; policies are written by hand. */
#define LINT_GLOB_STEPS 10000

/* Length of the glob token at g: "**", "[...]", "\x" or one character. */
static size_t glob_token_len(const char *g)
{
	const char *p = g + 1;

	if (g[0] == '*' && g[1] == '*')
		return 2;
	if (g[0] == '\\' && g[1])
		return 2;
	if (g[0] != '[')
		return 1;
	if (*p == '!' || *p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']')
		p++;
	return *p ? (size_t)(p - g) + 1 : 1;
}

/* The character a literal token stands for; 0 for a wildcard or class. */
static char glob_token_char(const char *g)
{
	if (g[0] == '\\' && g[1])
		return g[1];
	if (g[0] == '*' || g[0] == '?' || g[0] == '[')
		return 0;
	return g[0];
}

/* Does the class token at `cls` (len bytes) take character c? */
static bool glob_class_takes(const char *cls, size_t len, char c)
{
	char glob[128], str[2] = { c, 0 };

	if (len >= sizeof(glob))
		return false;
	memcpy(glob, cls, len);
	glob[len] = 0;
	return pg_glob_match(glob, str);
}

/*
 * Does glob `a` match every name glob `b` matches? True only when a
 * token-by-token alignment proves it; false when unsure or out of steps.
 */
static bool glob_covers(const char *a, const char *b, unsigned int *steps)
{
	size_t al, bl;
	char ac, bc;

	if (!*steps)
		return false;
	(*steps)--;
	if (!*b)
		return pg_glob_match(a, "");
	if (!*a)
		return false;
	/* b's "**" "/" also matches no directory at all: both forms must be covered. */
	if (b[0] == '*' && b[1] == '*' && b[2] == '/' && !glob_covers(a, b + 3, steps))
		return false;
	al = glob_token_len(a);
	bl = glob_token_len(b);
	/* A star in `a` may take b's head whole, or take nothing. */
	if (a[0] == '*') {
		if (glob_covers(a + al, b, steps) ||
		    (al == 2 && a[2] == '/' && glob_covers(a + 3, b, steps)))
			return true;
		if (b[0] == '*' && bl == 2)
			return al == 2 && glob_covers(a, b + 2, steps);
		if (al == 1 && (b[0] == '/' || (b[0] == '\\' && b[1] == '/')))
			return false;
		return glob_covers(a, b + bl, steps);
	}
	if (b[0] == '*')
		return false;
	ac = glob_token_char(a);
	bc = glob_token_char(b);
	if (a[0] == '?' && (b[0] == '?' || b[0] == '[' || (bc && bc != '/')))
		return glob_covers(a + 1, b + bl, steps);
	if (a[0] == '[' && bc && glob_class_takes(a, al, bc))
		return glob_covers(a + al, b + bl, steps);
	if (ac && ac == bc)
		return glob_covers(a + al, b + bl, steps);
	return false;
}

/* Could some name match both globs? False only when provably not. */
static bool glob_may_overlap(const char *a, const char *b)
{
	size_t la = strcspn(a, "*?[\\"), lb = strcspn(b, "*?[\\");

	if (!a[la] && !b[lb])
		return !strcmp(a, b);
	if (!a[la])
		return pg_glob_match(b, a);
	if (!b[lb])
		return pg_glob_match(a, b);
	return !strncmp(a, b, la < lb ? la : lb);
}

/*
 * The rule that keeps anyone from creating a branch whose name `glob`
 * matches; NULL when some such name may be created, or when unsure.
 */
static const struct pg_branch_rule *branch_create_refused(const struct pg_policy *policy,
							  const char *glob)
{
	const struct pg_branch_rule *rule;
	unsigned int steps;
	size_t i;
	int matched;

	if (!strpbrk(glob, "*?[\\")) {
		rule = pg_policy_branch_rule(policy, glob);
		if (!rule || rule->create == PG_PERM_DENY)
			return rule;
		matched = pg_regex_search(&rule->name_pattern, glob, strlen(glob));
		/* A pattern at its limits is for the hooks to report, not for a warning. */
		if (matched < 0)
			pg_error_clear();
		return matched == 0 ? rule : NULL;
	}
	for (i = 0; i < policy->branches_len; i++) {
		rule = &policy->branches[i];
		if (!glob_may_overlap(rule->match, glob))
			continue;
		if (rule->create != PG_PERM_DENY)
			return NULL;
		steps = LINT_GLOB_STEPS;
		if (glob_covers(rule->match, glob, &steps))
			return rule;
	}
	return NULL;
}

/* "branch rule 'X' (line N)", or "... (in the default policy)". */
static int put_rule(struct pg_buf *out, const char *kind, const char *match, unsigned int line)
{
	int error;

	if ((error = pg_buf_printf(out, "%s rule '", kind)) < 0 ||
	    (error = pg_buf_puts_escaped(out, match)) < 0)
		return error;
	if (line)
		return pg_buf_printf(out, "' (line %u)", line);
	return pg_buf_puts(out, "' (in the default policy)");
}

/* Add `msg` as a warning at `node`'s position, and empty it for the next. */
static int lint_warn(struct pg_policy *policy, const struct pg_yaml *y, const yaml_node_t *node,
		     struct pg_buf *msg)
{
	struct pg_buf line = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = pg_buf_printf(&line, "%s:%zu:%zu: %s", y->name,
				   node ? (size_t)node->start_mark.line + 1 : 1,
				   node ? (size_t)node->start_mark.column + 1 : 1, msg->ptr)) == 0)
		error = pg_strlist_add(&policy->warnings, line.ptr);
	pg_buf_release(&line);
	pg_buf_clear(msg);
	return error;
}

/* Rule i can never apply when an earlier rule's glob matches every name its glob does. */
static int lint_shadowed(struct pg_policy *policy, struct pg_yaml *y, yaml_node_t *item,
			 const char *kind, const char *const *matches, const unsigned int *lines,
			 size_t i, struct pg_buf *msg)
{
	unsigned int steps;
	size_t j;
	int error;

	for (j = 0; j < i; j++) {
		steps = LINT_GLOB_STEPS;
		if (!glob_covers(matches[j], matches[i], &steps))
			continue;
		if ((error = put_rule(msg, kind, matches[i], lines[i])) < 0 ||
		    (error = pg_buf_puts(msg, " can never apply: ")) < 0 ||
		    (error = put_rule(msg, kind, matches[j], lines[j])) < 0 ||
		    (error = pg_buf_puts(msg, " comes first and matches every name it does "
				       "(the first matching rule wins); merge the two or "
				       "put the narrower one first")) < 0)
			return error;
		return lint_warn(policy, y, pg_yaml_map_get(y, item, "match"), msg);
	}
	return 0;
}

/* Why no branch of that name can be created, after "...: ". */
static int put_refusal(struct pg_buf *msg, const struct pg_branch_rule *rule)
{
	int error;

	if ((error = pg_buf_puts(msg, "no rule lets anyone create a branch of that name (")) < 0 ||
	    (error = put_rule(msg, "branch", rule->match, rule->line)) < 0)
		return error;
	return pg_buf_puts(msg, rule->create == PG_PERM_DENY ? " denies creating it)" :
			   " refuses the name by its name_pattern)");
}

static int lint_rules(struct pg_policy *policy, struct pg_yaml *y, yaml_node_t *root,
		      size_t file_branches, size_t file_tags)
{
	struct pg_buf msg = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const struct pg_branch_rule *refused;
	const struct pg_strlist *sources;
	yaml_node_t *seq, *item;
	const char **matches = NULL;
	unsigned int *lines = NULL;
	size_t i, k, n = policy->branches_len > policy->tags_len ?
		policy->branches_len : policy->tags_len;
	int error = 0;

	if (!n)
		return 0;
	matches = calloc(n, sizeof(*matches));
	lines = calloc(n, sizeof(*lines));
	if (!matches || !lines) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < policy->branches_len; i++) {
		matches[i] = policy->branches[i].match;
		lines[i] = policy->branches[i].line;
	}
	seq = pg_yaml_map_get(y, root, "branches");
	for (i = 0; i < file_branches; i++) {
		item = pg_yaml_seq_item(y, seq, i);
		if ((error = lint_shadowed(policy, y, item, "branch", matches, lines, i, &msg)) < 0)
			goto out;
		sources = &policy->branches[i].merge_sources;
		for (k = 0; k < sources->len; k++) {
			if (!(refused = branch_create_refused(policy, sources->items[k])))
				continue;
			if ((error = pg_buf_puts(&msg, "merge_sources '")) < 0 ||
			    (error = pg_buf_puts_escaped(&msg, sources->items[k])) < 0 ||
			    (error = pg_buf_puts(&msg, "' of ")) < 0 ||
			    (error = put_rule(&msg, "branch", matches[i], lines[i])) < 0 ||
			    (error = pg_buf_puts(&msg, ": ")) < 0 ||
			    (error = put_refusal(&msg, refused)) < 0 ||
			    (error = pg_buf_puts(&msg, ", so no work can come from there unless such "
					       "a branch exists already")) < 0 ||
			    (error = lint_warn(policy, y, pg_yaml_seq_item(y,
					pg_yaml_map_get(y, item, "merge_sources"), k), &msg)) < 0)
				goto out;
		}
	}
	for (i = 0; i < policy->tags_len; i++) {
		matches[i] = policy->tags[i].match;
		lines[i] = policy->tags[i].line;
	}
	seq = pg_yaml_map_get(y, root, "tags");
	for (i = 0; i < file_tags; i++) {
		item = pg_yaml_seq_item(y, seq, i);
		if ((error = lint_shadowed(policy, y, item, "tag", matches, lines, i, &msg)) < 0)
			goto out;
		if (!policy->tags[i].on_branch ||
		    !(refused = branch_create_refused(policy, policy->tags[i].on_branch)))
			continue;
		if ((error = pg_buf_puts(&msg, "on_branch '")) < 0 ||
		    (error = pg_buf_puts_escaped(&msg, policy->tags[i].on_branch)) < 0 ||
		    (error = pg_buf_puts(&msg, "' of ")) < 0 ||
		    (error = put_rule(&msg, "tag", matches[i], lines[i])) < 0 ||
		    (error = pg_buf_puts(&msg, ": ")) < 0 ||
		    (error = put_refusal(&msg, refused)) < 0 ||
		    (error = pg_buf_puts(&msg, ", so no such tag can be pushed unless that branch "
				       "exists already")) < 0 ||
		    (error = lint_warn(policy, y, pg_yaml_map_get(y, item, "on_branch"), &msg)) < 0)
			goto out;
	}
out:
	free(matches);
	free(lines);
	pg_buf_release(&msg);
	return error;
}

static int policy_parse(struct pg_policy **out, const char *name, const char *data,
			size_t len, bool builtin)
{
	struct pg_policy *policy = NULL, *base = NULL;
	struct pg_yaml y;
	bool loaded = false;
	yaml_node_t *root, *node, *extends;
	size_t i, file_branches, file_tags;
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
	policy->secrets.confidence[0] = PG_SEVERITY_REJECT;
	policy->secrets.confidence[1] = PG_SEVERITY_REJECT;
	policy->secrets.confidence[2] = PG_SEVERITY_WARN;
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
	file_branches = policy->branches_len;
	file_tags = policy->tags_len;
	if (extends) {
		if ((error = pg_policy_load_default(&base)) < 0 ||
		    (error = append_rules(policy, base)) < 0)
			goto out;
		swap_freeze_bypass(policy, base, !pg_yaml_map_get(&y, root, "freeze"),
				   !pg_yaml_map_get(&y, root, "bypass"));
	}
	if (!builtin && (error = lint_rules(policy, &y, root, file_branches, file_tags)) < 0)
		goto out;
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

enum pg_severity pg_policy_secret_action(const struct pg_policy *policy, unsigned int confidence)
{
	if (policy->secrets.severity == PG_SEVERITY_WARN)
		return PG_SEVERITY_WARN;
	if (confidence >= PG_POLICY_CONFIDENCE_LEVELS)
		return PG_SEVERITY_REJECT; /* unknown: fail closed */
	return policy->secrets.confidence[confidence];
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
