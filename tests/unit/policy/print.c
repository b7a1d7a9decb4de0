/*
 * Unit tests for policy/policy_print.c: what pg_policy_write_yaml() writes
 * reloads to the same policy, whatever bytes its strings hold, and every
 * default is spelled out.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "policy/policy.h"

static void assert_same_string(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_same_list(const struct pg_strlist *a, const struct pg_strlist *b)
{
	size_t i;

	assert_int_equal(a->len, b->len);
	for (i = 0; i < a->len; i++)
		assert_string_equal(a->items[i], b->items[i]);
}

static void assert_same_regex(const struct pg_regex *a, const struct pg_regex *b)
{
	assert_same_string(a->source, b->source);
	assert_int_equal(a->code == NULL, b->code == NULL);
}

/* Equal in every field but `source` and the rules' `line`. */
static void assert_same_policy(const struct pg_policy *a, const struct pg_policy *b)
{
	size_t i;

	assert_int_equal(a->branches_len, b->branches_len);
	for (i = 0; i < a->branches_len; i++) {
		const struct pg_branch_rule *x = &a->branches[i], *y = &b->branches[i];

		assert_string_equal(x->match, y->match);
		assert_int_equal(x->create, y->create);
		assert_int_equal(x->delete_, y->delete_);
		assert_int_equal(x->force_push, y->force_push);
		assert_int_equal(x->direct_push, y->direct_push);
		assert_int_equal(x->has_merge_sources, y->has_merge_sources);
		assert_same_list(&x->merge_sources, &y->merge_sources);
		assert_same_regex(&x->name_pattern, &y->name_pattern);
		assert_same_string(x->name_hint, y->name_hint);
		assert_int_equal(x->severity, y->severity);
	}
	assert_int_equal(a->tags_len, b->tags_len);
	for (i = 0; i < a->tags_len; i++) {
		const struct pg_tag_rule *x = &a->tags[i], *y = &b->tags[i];

		assert_string_equal(x->match, y->match);
		assert_int_equal(x->create, y->create);
		assert_same_regex(&x->pattern, &y->pattern);
		assert_same_string(x->hint, y->hint);
		assert_same_string(x->on_branch, y->on_branch);
		assert_int_equal(x->immutable, y->immutable);
		assert_int_equal(x->severity, y->severity);
	}
	assert_same_list(&a->freeze.branches, &b->freeze.branches);
	assert_same_string(a->freeze.message, b->freeze.message);
	assert_same_list(&a->bypass.users, &b->bypass.users);
	assert_int_equal(a->secrets.scan, b->secrets.scan);
	assert_int_equal(a->secrets.severity, b->secrets.severity);
	assert_same_string(a->secrets.rules, b->secrets.rules);
	assert_int_equal(a->secrets.max_blob_size, b->secrets.max_blob_size);
	assert_int_equal(a->secrets.too_large, b->secrets.too_large);
	assert_int_equal(a->secrets.inline_allow, b->secrets.inline_allow);
	assert_memory_equal(a->secrets.confidence, b->secrets.confidence,
			    sizeof(a->secrets.confidence));
	assert_same_string(a->audit_log, b->audit_log);
	assert_int_equal(a->files_len, b->files_len);
	assert_int_equal(a->commits_len, b->commits_len);
	assert_int_equal(a->workflows.check, b->workflows.check);
	assert_memory_equal(a->workflows.severity, b->workflows.severity, sizeof(a->workflows.severity));
}

/* Write `p`, reload the text, check it is the same policy; returns the text (caller frees). */
static char *round_trip(const struct pg_policy *p)
{
	struct pg_buf yaml = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_policy *again = NULL;
	int error;

	assert_int_equal(pg_policy_write_yaml(&yaml, p), 0);
	error = pg_policy_load_buffer(&again, "written.yml", yaml.ptr, yaml.size);
	if (error < 0)
		print_error("%s\n--- written:\n%s", pg_error_last(), yaml.ptr);
	assert_int_equal(error, 0);
	assert_same_policy(p, again);
	pg_policy_free(again);
	return pg_buf_detach(&yaml);
}

static struct pg_policy *load_ok(const char *yaml)
{
	struct pg_policy *p = NULL;
	int error = pg_policy_load_buffer(&p, "t.yml", yaml, strlen(yaml));

	if (error < 0)
		print_error("%s\n", pg_error_last());
	assert_int_equal(error, 0);
	return p;
}

static void test_policy_print__default_round_trips(void **state)
{
	struct pg_policy *p = NULL;
	char *text;

	(void)state;
	assert_int_equal(pg_policy_load_default(&p), 0);
	text = round_trip(p);
	assert_non_null(strstr(text, "version: 1\n"));
	assert_non_null(strstr(text, "  - match: 'main'\n    create: allow\n    delete: deny\n"
				     "    force_push: deny\n    direct_push: deny\n"
				     "    merge_sources: ['develop', 'hotfix/*']\n"));
	assert_non_null(strstr(text, "    on_branch: 'main'\n    immutable: true\n    severity: reject\n"));
	assert_non_null(strstr(text, "freeze:\n  branches: []\n  message: ''\nbypass:\n  users: []\n"));
	assert_null(strstr(text, "extends"));
	free(text);
	pg_policy_free(p);
}

static void test_policy_print__spells_out_defaults(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nbranches:\n  - match: x\ntags:\n  - match: y\n");
	char *text;

	(void)state;
	text = round_trip(p);
	assert_string_equal(text,
			    "version: 1\n"
			    "branches:\n"
			    "  - match: 'x'\n"
			    "    create: allow\n"
			    "    delete: allow\n"
			    "    force_push: allow\n"
			    "    direct_push: allow\n"
			    "    # merge_sources: any (not restricted)\n"
			    "    # name_pattern: any name\n"
			    "    severity: reject\n"
			    "tags:\n"
			    "  - match: 'y'\n"
			    "    create: allow\n"
			    "    # pattern: any name\n"
			    "    # on_branch: any commit\n"
			    "    immutable: true\n"
			    "    severity: reject\n"
			    "freeze:\n"
			    "  branches: []\n"
			    "  message: ''\n"
			    "bypass:\n"
			    "  users: []\n"
			    "secrets:\n"
			    "  scan: true\n"
			    "  severity: reject\n"
			    "  # rules: the embedded rule set\n"
			    "  max_blob_size: 52428800\n"
			    "  too_large: reject\n"
			    "  inline_allow: honour\n"
			    "  confidence: {high: reject, medium: reject, low: warn}\n"
			    "files: []\n"
			    "commits: []\n"
			    "workflows:\n"
			    "  check: true\n"
			    "  secret_to_log: reject\n"
			    "  secret_in_args: warn\n"
			    "  set_x_with_secrets: warn\n"
			    "  no_host_key_check: warn\n"
			    "  remote_script: warn\n"
			    "  unparsable: warn\n"
			    "# audit_log: none\n");
	free(text);
	pg_policy_free(p);
}

static void test_policy_print__every_field_round_trips(void **state)
{
	struct pg_policy *p = load_ok("version: 1\n"
				      "branches:\n"
				      "  - match: 'release/*'\n"
				      "    create: deny\n"
				      "    delete: deny\n"
				      "    force_push: deny\n"
				      "    direct_push: deny\n"
				      "    merge_sources: []\n"
				      "    name_pattern: '^release/[0-9]+$'\n"
				      "    name_hint: release/N\n"
				      "    severity: warn\n"
				      "  - match: 'x'\n"
				      "    merge_sources: [a, 'b/**']\n"
				      "tags: []\n"
				      "freeze:\n"
				      "  branches: ['*']\n"
				      "  message: stop\n"
				      "bypass:\n"
				      "  users: [alice, bob]\n");
	char *text;

	(void)state;
	text = round_trip(p);
	assert_non_null(strstr(text, "    merge_sources: []\n"));
	assert_non_null(strstr(text, "    severity: warn\n"));
	assert_non_null(strstr(text, "tags: []\n"));
	assert_non_null(strstr(text, "  users: ['alice', 'bob']\n"));
	free(text);
	pg_policy_free(p);
}

static void test_policy_print__extends_is_written_flat(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nextends: default\nbranches:\n  - match: 'r/*'\n");
	struct pg_policy *again = NULL;
	struct pg_buf yaml = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);

	(void)state;
	assert_int_equal(pg_policy_write_yaml(&yaml, p), 0);
	assert_null(strstr(yaml.ptr, "extends"));
	assert_int_equal(pg_policy_load_buffer(&again, "w.yml", yaml.ptr, yaml.size), 0);
	assert_int_equal(again->branches_len, 7);
	assert_same_policy(p, again);
	pg_policy_free(again);
	pg_buf_release(&yaml);
	pg_policy_free(p);
}

/* Strings reach the policy through YAML escapes; each must come back byte for byte. */
static void test_policy_print__awkward_strings_round_trip(void **state)
{
	struct pg_policy *p = load_ok(
		"version: 1\n"
		"branches:\n"
		"  - match: \"it's\"\n"
		"    name_hint: \"a\\nb\\tc\\rd \\\"q\\\" \\\\ e\\x01\\x7f\\x1b[31m\"\n"
		"  - match: '# not a comment'\n"
		"    name_hint: \"\\u0085 \\u2028 \\u2029 \\ufeff \\u0080 \\u009f\"\n"
		"  - match: '- x: y'\n"
		"    name_hint: '  leading and trailing  '\n"
		"  - match: '*'\n"
		"    name_hint: \"caf\\u00e9 \\U0001F600 \\u4e2d ''\"\n"
		"    name_pattern: '^[''\"]\\d+\\s*$'\n"
		"freeze:\n"
		"  message: \"line one\\nline two\\n\"\n"
		"bypass:\n"
		"  users: ['o''brien', \"tab\\there\", '@', '%x', '&a', '!b', '{c}', '|']\n");
	char *text;

	(void)state;
	assert_string_equal(p->branches[0].name_hint, "a\nb\tc\rd \"q\" \\ e\001\177\033[31m");
	assert_string_equal(p->branches[1].name_hint,
			    "\xc2\x85 \xe2\x80\xa8 \xe2\x80\xa9 \xef\xbb\xbf \xc2\x80 \xc2\x9f");
	text = round_trip(p);
	assert_non_null(strstr(text, "match: 'it''s'"));
	assert_non_null(strstr(text, "\"a\\nb\\tc\\rd \\\"q\\\" \\\\ e\\x01\\x7f\\x1b[31m\""));
	assert_non_null(strstr(text, "  message: \"line one\\nline two\\n\"\n"));
	assert_non_null(strstr(text, "'o''brien'"));
	free(text);
	pg_policy_free(p);
}

/* A policy built in code, not from YAML, with strings no YAML source produced. */
static void test_policy_print__built_policy_round_trips(void **state)
{
	struct pg_policy *p = calloc(1, sizeof(*p));
	char *text;

	(void)state;
	assert_non_null(p);
	p->source = strdup("built");
	p->branches = calloc(1, sizeof(*p->branches));
	assert_non_null(p->branches);
	p->branches_len = 1;
	p->branches[0].match = strdup("feature/**");
	p->branches[0].direct_push = PG_PERM_DENY;
	p->branches[0].name_hint = strdup("\x02\x03\n\x1f x\\y \"z\" 'w'");
	assert_int_equal(pg_regex_compile(&p->branches[0].name_pattern, "^a\\tb'\"$", 0), 0);
	assert_int_equal(pg_strlist_add(&p->freeze.branches, "main"), 0);
	p->freeze.message = strdup("\t");
	assert_int_equal(pg_strlist_add(&p->bypass.users, "\xe2\x80\xa8"), 0);
	p->secrets.scan = false;
	p->secrets.severity = PG_SEVERITY_WARN;
	p->secrets.rules = strdup("/etc/pushgate/rules 'x'.yml");
	p->secrets.max_blob_size = 12345;
	p->secrets.too_large = PG_SEVERITY_WARN;
	p->secrets.inline_allow = false;
	p->secrets.confidence[0] = PG_SEVERITY_WARN;
	p->secrets.confidence[2] = PG_SEVERITY_REJECT;
	p->audit_log = strdup("/var/log/pushgate/audit.jsonl");
	text = round_trip(p);
	assert_non_null(strstr(text, "secrets:\n  scan: false\n  severity: warn\n"
				     "  rules: '/etc/pushgate/rules ''x''.yml'\n"
				     "  max_blob_size: 12345\n  too_large: warn\n"
				     "  inline_allow: ignore\n"
				     "  confidence: {high: warn, medium: reject, low: reject}\n"));
	assert_non_null(strstr(text, "\naudit_log: '/var/log/pushgate/audit.jsonl'\n"));
	assert_non_null(strstr(text, "\"\\x02\\x03\\n\\x1f x\\\\y \\\"z\\\" 'w'\""));
	assert_non_null(strstr(text, "  users: [\"\\u2028\"]\n"));
	free(text);
	pg_policy_free(p);
}

static void test_policy_print__invalid_utf8_is_refused(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nbranches:\n  - match: x\n");
	struct pg_buf yaml = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);

	(void)state;
	p->branches[0].name_hint = strdup("bad \xff byte");
	assert_non_null(p->branches[0].name_hint);
	assert_int_equal(pg_policy_write_yaml(&yaml, p), PG_EINVAL);
	assert_non_null(strstr(pg_error_last(), "UTF-8"));
	pg_buf_release(&yaml);
	pg_policy_free(p);
}

static void test_policy_print__empty_policy_round_trips(void **state)
{
	struct pg_policy *p = load_ok("version: 1\n");
	char *text;

	(void)state;
	text = round_trip(p);
	assert_non_null(strstr(text, "branches: []\ntags: []\n"));
	free(text);
	pg_policy_free(p);
}

static void test_policy_print__output_limit_is_reported(void **state)
{
	struct pg_policy *p = NULL;
	struct pg_buf small = PG_BUF_INIT(64);

	(void)state;
	assert_int_equal(pg_policy_load_default(&p), 0);
	assert_int_equal(pg_policy_write_yaml(&small, p), PG_ELIMIT);
	pg_buf_release(&small);
	pg_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_print__default_round_trips),
		cmocka_unit_test(test_policy_print__spells_out_defaults),
		cmocka_unit_test(test_policy_print__every_field_round_trips),
		cmocka_unit_test(test_policy_print__extends_is_written_flat),
		cmocka_unit_test(test_policy_print__awkward_strings_round_trip),
		cmocka_unit_test(test_policy_print__built_policy_round_trips),
		cmocka_unit_test(test_policy_print__invalid_utf8_is_refused),
		cmocka_unit_test(test_policy_print__empty_policy_round_trips),
		cmocka_unit_test(test_policy_print__output_limit_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
