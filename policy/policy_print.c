/*
 * policy_print.c - write a policy as YAML that policy_yaml.c reads back
 * to the same policy, with every default spelled out.
 *
 * Every string is quoted: single quotes where YAML allows the text as is,
 * double quotes with escapes where it holds characters YAML would fold,
 * strip or refuse (control characters, line breaks, BOM).
 */
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "policy/policy.h"


/*
 * May the code point appear as itself inside a quoted YAML scalar? Not
 * if libyaml's reader refuses it (C0/C1 controls, DEL, U+FFFE/U+FFFF) or
 * treats it as a line break (folded into a space) or a byte order mark.
 */
static const char *severity_word(enum pg_severity severity)
{
	return severity == PG_SEVERITY_WARN ? "warn" : "reject";
}

static bool yaml_literal_ok(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
		return false;
	if (cp == 0x2028 || cp == 0x2029 || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
		return false;
	return true;
}

static int check_utf8(const char *s, bool *plain)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	*plain = true;
	while (i < len) {
		n = pg_utf8_decode(p + i, len - i, &cp);
		if (!n)
			return pg_error_set(PG_EINVAL,
					    "policy string is not valid UTF-8, cannot write it as YAML");
		if (!yaml_literal_ok(cp))
			*plain = false;
		i += n;
	}
	return 0;
}

static int put_double_quoted(struct pg_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;
	int error = 0;

	if ((error = pg_buf_putc(out, '"')) < 0)
		return error;
	while (i < len && !error) {
		n = pg_utf8_decode(p + i, len - i, &cp);
		if (!n)
			return pg_error_set(PG_EINVAL, "policy string is not valid UTF-8");
		if (cp == '"')
			error = pg_buf_puts(out, "\\\"");
		else if (cp == '\\')
			error = pg_buf_puts(out, "\\\\");
		else if (cp == '\n')
			error = pg_buf_puts(out, "\\n");
		else if (cp == '\t')
			error = pg_buf_puts(out, "\\t");
		else if (cp == '\r')
			error = pg_buf_puts(out, "\\r");
		else if (cp < 0x20 || cp == 0x7f)
			error = pg_buf_printf(out, "\\x%02x", (unsigned int)cp);
		else if (!yaml_literal_ok(cp))
			error = pg_buf_printf(out, "\\u%04x", (unsigned int)cp);
		else
			error = pg_buf_put(out, p + i, n);
		i += n;
	}
	if (!error)
		error = pg_buf_putc(out, '"');
	return error;
}

static int put_single_quoted(struct pg_buf *out, const char *s)
{
	const char *quote;
	int error;

	if ((error = pg_buf_putc(out, '\'')) < 0)
		return error;
	while ((quote = strchr(s, '\''))) {
		if ((error = pg_buf_put(out, s, (size_t)(quote - s) + 1)) < 0 ||
		    (error = pg_buf_putc(out, '\'')) < 0)
			return error;
		s = quote + 1;
	}
	if ((error = pg_buf_puts(out, s)) < 0)
		return error;
	return pg_buf_putc(out, '\'');
}

/* A string as a YAML scalar that reads back as exactly the same bytes. */
static int put_string(struct pg_buf *out, const char *s)
{
	bool plain;
	int error;

	if ((error = check_utf8(s, &plain)) < 0)
		return error;
	return plain ? put_single_quoted(out, s) : put_double_quoted(out, s);
}

/* `    key: 'value'` and a newline. */
static int put_key_string(struct pg_buf *out, const char *indent, const char *key, const char *s)
{
	int error;

	if ((error = pg_buf_printf(out, "%s%s: ", indent, key)) < 0 ||
	    (error = put_string(out, s)) < 0)
		return error;
	return pg_buf_putc(out, '\n');
}

/* `    key: ['a', 'b']` (or `[]`) and a newline. */
static int put_key_list(struct pg_buf *out, const char *indent, const char *key,
			const struct pg_strlist *list)
{
	size_t i;
	int error;

	if ((error = pg_buf_printf(out, "%s%s: [", indent, key)) < 0)
		return error;
	for (i = 0; i < list->len; i++)
		if ((i && (error = pg_buf_puts(out, ", ")) < 0) ||
		    (error = put_string(out, list->items[i])) < 0)
			return error;
	return pg_buf_puts(out, "]\n");
}

static const char *perm_name(enum pg_perm perm)
{
	return perm == PG_PERM_DENY ? "deny" : "allow";
}

static const char *severity_name(enum pg_severity severity)
{
	return severity == PG_SEVERITY_WARN ? "warn" : "reject";
}

static int put_branch_rule(struct pg_buf *out, const struct pg_branch_rule *rule)
{
	const char *in = "    ";
	int error;

	if ((error = put_key_string(out, "  - ", "match", rule->match)) < 0 ||
	    (error = pg_buf_printf(out, "%screate: %s\n%sdelete: %s\n"
				   "%sforce_push: %s\n%sdirect_push: %s\n",
				   in, perm_name(rule->create), in, perm_name(rule->delete_),
				   in, perm_name(rule->force_push),
				   in, perm_name(rule->direct_push))) < 0)
		return error;
	if (rule->has_merge_sources)
		error = put_key_list(out, in, "merge_sources", &rule->merge_sources);
	else
		error = pg_buf_printf(out, "%s# merge_sources: any (not restricted)\n", in);
	if (error < 0)
		return error;
	if (rule->name_pattern.source)
		error = put_key_string(out, in, "name_pattern", rule->name_pattern.source);
	else
		error = pg_buf_printf(out, "%s# name_pattern: any name\n", in);
	if (error < 0)
		return error;
	if (rule->name_hint && (error = put_key_string(out, in, "name_hint", rule->name_hint)) < 0)
		return error;
	return pg_buf_printf(out, "%sseverity: %s\n", in, severity_name(rule->severity));
}

static int put_tag_rule(struct pg_buf *out, const struct pg_tag_rule *rule)
{
	const char *in = "    ";
	int error;

	if ((error = put_key_string(out, "  - ", "match", rule->match)) < 0 ||
	    (error = pg_buf_printf(out, "%screate: %s\n", in, perm_name(rule->create))) < 0)
		return error;
	if (rule->pattern.source)
		error = put_key_string(out, in, "pattern", rule->pattern.source);
	else
		error = pg_buf_printf(out, "%s# pattern: any name\n", in);
	if (error < 0)
		return error;
	if (rule->hint && (error = put_key_string(out, in, "hint", rule->hint)) < 0)
		return error;
	if (rule->on_branch)
		error = put_key_string(out, in, "on_branch", rule->on_branch);
	else
		error = pg_buf_printf(out, "%s# on_branch: any commit\n", in);
	if (error < 0)
		return error;
	return pg_buf_printf(out, "%simmutable: %s\n%sseverity: %s\n", in,
			     rule->immutable ? "true" : "false", in, severity_name(rule->severity));
}

static int put_file_rule(struct pg_buf *out, const struct pg_file_rule *rule)
{
	const char *in = "    ";
	size_t i;
	int error;

	if ((error = put_key_list(out, "  - ", "branches", &rule->branches)) < 0 ||
	    (error = pg_buf_printf(out, "%smax_file_size: %zu\n", in, rule->max_file_size)) < 0 ||
	    (error = put_key_list(out, in, "forbidden_names", &rule->forbidden_names)) < 0 ||
	    (error = put_key_list(out, in, "allowed_names", &rule->allowed_names)) < 0 ||
	    (error = pg_buf_printf(out, "%sprotected_paths:%s\n", in,
				   rule->protected_paths_len ? "" : " []")) < 0)
		return error;
	for (i = 0; i < rule->protected_paths_len; i++)
		if ((error = put_key_list(out, "      - ", "paths", &rule->protected_paths[i].paths)) < 0 ||
		    (error = put_key_list(out, "        ", "users", &rule->protected_paths[i].users)) < 0)
			return error;
	return pg_buf_printf(out, "%sseverity: %s\n", in, severity_name(rule->severity));
}

static int put_optional_regex(struct pg_buf *out, const char *key, const struct pg_regex *re)
{
	if (!re->source)
		return pg_buf_printf(out, "    # %s: not set\n", key);
	return put_key_string(out, "    ", key, re->source);
}

static int put_commit_rule(struct pg_buf *out, const struct pg_commit_rule *rule)
{
	const char *in = "    ";
	int error;

	if ((error = put_key_list(out, "  - ", "branches", &rule->branches)) < 0 ||
	    (error = put_optional_regex(out, "message_pattern", &rule->message_pattern)) < 0 ||
	    (rule->message_hint &&
	     (error = put_key_string(out, in, "message_hint", rule->message_hint)) < 0) ||
	    (error = put_optional_regex(out, "message_reject", &rule->message_reject)) < 0 ||
	    (error = put_optional_regex(out, "author_email", &rule->author_email)) < 0 ||
	    (error = put_optional_regex(out, "committer_email", &rule->committer_email)) < 0)
		return error;
	return pg_buf_printf(out, "%ssigned_off: %s\n%smax_commits: %zu\n%sinclude_merges: %s\n"
			     "%sseverity: %s\n", in, rule->signed_off ? "true" : "false",
			     in, rule->max_commits, in, rule->include_merges ? "true" : "false",
			     in, severity_name(rule->severity));
}

static int put_push_rules(struct pg_buf *out, const struct pg_policy *policy)
{
	size_t i;
	int error;

	if ((error = pg_buf_puts(out, policy->files_len ? "files:\n" : "files: []\n")) < 0)
		return error;
	for (i = 0; i < policy->files_len; i++)
		if ((error = put_file_rule(out, &policy->files[i])) < 0)
			return error;
	if ((error = pg_buf_puts(out, policy->commits_len ? "commits:\n" : "commits: []\n")) < 0)
		return error;
	for (i = 0; i < policy->commits_len; i++)
		if ((error = put_commit_rule(out, &policy->commits[i])) < 0)
			return error;
	if ((error = pg_buf_printf(out, "workflows:\n  check: %s\n",
				   policy->workflows.check ? "true" : "false")) < 0)
		return error;
	for (i = 0; i < PG_WF_CHECKS; i++)
		if ((error = pg_buf_printf(out, "  %s: %s\n", pg_workflow_check_name(i),
					   severity_name(policy->workflows.severity[i]))) < 0)
			return error;
	return 0;
}

int pg_policy_write_yaml(struct pg_buf *out, const struct pg_policy *policy)
{
	size_t i;
	int error;

	if ((error = pg_buf_puts(out, "version: 1\n")) < 0 ||
	    (error = pg_buf_puts(out, policy->branches_len ? "branches:\n" : "branches: []\n")) < 0)
		return error;
	for (i = 0; i < policy->branches_len; i++)
		if ((error = put_branch_rule(out, &policy->branches[i])) < 0)
			return error;
	if ((error = pg_buf_puts(out, policy->tags_len ? "tags:\n" : "tags: []\n")) < 0)
		return error;
	for (i = 0; i < policy->tags_len; i++)
		if ((error = put_tag_rule(out, &policy->tags[i])) < 0)
			return error;
	if ((error = pg_buf_puts(out, "freeze:\n")) < 0 ||
	    (error = put_key_list(out, "  ", "branches", &policy->freeze.branches)) < 0 ||
	    (error = put_key_string(out, "  ", "message",
				    policy->freeze.message ? policy->freeze.message : "")) < 0 ||
	    (error = pg_buf_puts(out, "bypass:\n")) < 0 ||
	    (error = put_key_list(out, "  ", "users", &policy->bypass.users)) < 0)
		return error;
	if ((error = pg_buf_printf(out, "secrets:\n  scan: %s\n  severity: %s\n",
				   policy->secrets.scan ? "true" : "false",
				   policy->secrets.severity == PG_SEVERITY_WARN ? "warn" : "reject")) < 0 ||
	    (error = (policy->secrets.rules
			      ? put_key_string(out, "  ", "rules", policy->secrets.rules)
			      : pg_buf_puts(out, "  # rules: the embedded rule set\n"))) < 0 ||
	    (error = pg_buf_printf(out, "  max_blob_size: %zu\n  too_large: %s\n  inline_allow: %s\n",
				   policy->secrets.max_blob_size,
				   policy->secrets.too_large == PG_SEVERITY_WARN ? "warn" : "reject",
				   policy->secrets.inline_allow ? "honour" : "ignore")) < 0 ||
	    (error = pg_buf_printf(out, "  confidence: {high: %s, medium: %s, low: %s}\n",
				   severity_word(policy->secrets.confidence[0]),
				   severity_word(policy->secrets.confidence[1]),
				   severity_word(policy->secrets.confidence[2]))) < 0)
		return error;
	if ((error = put_push_rules(out, policy)) < 0)
		return error;
	if (policy->audit_log)
		return put_key_string(out, "", "audit_log", policy->audit_log);
	return pg_buf_puts(out, "# audit_log: none\n");
}
