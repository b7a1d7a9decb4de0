/*
 * Unit tests for policy/policy_yaml.c: the embedded default, good files,
 * every kind of bad file (with the FILE:LINE:COL it must report), rule
 * order, `extends: default`, and the freeze and bypass lookups.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "policy/policy.h"

static struct pg_policy *load_ok(const char *yaml)
{
	struct pg_policy *policy = NULL;
	int error = pg_policy_load_buffer(&policy, "t.yml", yaml, strlen(yaml));

	if (error < 0)
		print_error("unexpected error: %s\n", pg_error_last());
	assert_int_equal(error, 0);
	assert_non_null(policy);
	return policy;
}

/* Loading must fail with PG_EINVAL and a message starting with `where` and containing `what`. */
static void expect_invalid(const char *yaml, const char *where, const char *what)
{
	struct pg_policy *policy = (struct pg_policy *)1;
	int error = pg_policy_load_buffer(&policy, "t.yml", yaml, strlen(yaml));
	const char *msg = pg_error_last();

	if (strncmp(msg, where, strlen(where)) || !strstr(msg, what))
		print_error("message: %s\nexpected: %s ... %s\n", msg, where, what);
	assert_int_equal(error, PG_EINVAL);
	assert_null(policy);
	assert_memory_equal(msg, where, strlen(where));
	assert_non_null(strstr(msg, what));
}

static void assert_branch_rule(const struct pg_branch_rule *r, const char *match,
			       enum pg_perm create, enum pg_perm delete_,
			       enum pg_perm force_push, enum pg_perm direct_push,
			       const char *const *sources, const char *pattern,
			       const char *hint_prefix)
{
	size_t i, n = 0;

	assert_string_equal(r->match, match);
	assert_int_equal(r->create, create);
	assert_int_equal(r->delete_, delete_);
	assert_int_equal(r->force_push, force_push);
	assert_int_equal(r->direct_push, direct_push);
	if (sources) {
		assert_true(r->has_merge_sources);
		while (sources[n])
			n++;
		assert_int_equal(r->merge_sources.len, n);
		for (i = 0; i < n; i++)
			assert_string_equal(r->merge_sources.items[i], sources[i]);
	} else {
		assert_false(r->has_merge_sources);
		assert_int_equal(r->merge_sources.len, 0);
	}
	if (pattern) {
		assert_non_null(r->name_pattern.code);
		assert_string_equal(r->name_pattern.source, pattern);
	} else {
		assert_null(r->name_pattern.code);
		assert_null(r->name_pattern.source);
	}
	if (hint_prefix) {
		assert_non_null(r->name_hint);
		assert_memory_equal(r->name_hint, hint_prefix, strlen(hint_prefix));
	} else {
		assert_null(r->name_hint);
	}
	assert_int_equal(r->severity, PG_SEVERITY_REJECT);
}

static int search(const struct pg_regex *re, const char *s)
{
	return pg_regex_search(re, s, strlen(s));
}

static void test_policy_load__default_branch_rules(void **state)
{
	static const char *const main_sources[] = { "develop", "hotfix/*", NULL };
	static const char *const develop_sources[] = { "feature/*", "fix/*", "hotfix/*", "main", NULL };
	struct pg_policy *p = NULL;
	size_t i;

	(void)state;
	assert_int_equal(pg_policy_load_default(&p), 0);
	assert_string_equal(p->source, "<default>");
	assert_int_equal(p->branches_len, 6);
	assert_branch_rule(&p->branches[0], "main", PG_PERM_ALLOW, PG_PERM_DENY, PG_PERM_DENY,
			   PG_PERM_DENY, main_sources, NULL, NULL);
	assert_branch_rule(&p->branches[1], "develop", PG_PERM_ALLOW, PG_PERM_DENY, PG_PERM_DENY,
			   PG_PERM_DENY, develop_sources, NULL, NULL);
	assert_branch_rule(&p->branches[2], "feature/**", PG_PERM_ALLOW, PG_PERM_ALLOW,
			   PG_PERM_ALLOW, PG_PERM_ALLOW, NULL,
			   "^feature/[a-z0-9]+(-[a-z0-9]+)*$", "feature/ followed by lowercase kebab-case");
	assert_branch_rule(&p->branches[3], "fix/**", PG_PERM_ALLOW, PG_PERM_ALLOW,
			   PG_PERM_ALLOW, PG_PERM_ALLOW, NULL,
			   "^fix/[a-z0-9]+(-[a-z0-9]+)*$", "fix/ followed by lowercase kebab-case");
	assert_branch_rule(&p->branches[4], "hotfix/**", PG_PERM_ALLOW, PG_PERM_ALLOW,
			   PG_PERM_ALLOW, PG_PERM_ALLOW, NULL,
			   "^hotfix/[a-z0-9]+(-[a-z0-9]+)*$", "hotfix/ followed by lowercase kebab-case");
	assert_branch_rule(&p->branches[5], "**", PG_PERM_DENY, PG_PERM_ALLOW,
			   PG_PERM_ALLOW, PG_PERM_ALLOW, NULL, NULL, "main, develop, or feature/");
	for (i = 0; i < p->branches_len; i++)
		assert_int_equal(p->branches[i].line, 0);
	pg_policy_free(p);
}

static void test_policy_load__default_tag_freeze_bypass(void **state)
{
	struct pg_policy *p = NULL;
	const struct pg_tag_rule *t;

	(void)state;
	assert_int_equal(pg_policy_load_default(&p), 0);
	assert_int_equal(p->tags_len, 1);
	t = &p->tags[0];
	assert_string_equal(t->match, "**");
	assert_int_equal(t->create, PG_PERM_ALLOW);
	assert_string_equal(t->pattern.source,
			    "^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)"
			    "(-[0-9A-Za-z]+(\\.[0-9A-Za-z]+)*)?$");
	assert_string_equal(t->hint, "vMAJOR.MINOR.PATCH, optionally -prerelease: "
			    "e.g. v1.4.2 or v2.0.0-rc.1");
	assert_string_equal(t->on_branch, "main");
	assert_true(t->immutable);
	assert_int_equal(t->severity, PG_SEVERITY_REJECT);
	assert_int_equal(t->line, 0);
	assert_int_equal(p->freeze.branches.len, 0);
	assert_null(p->freeze.message);
	assert_int_equal(p->bypass.users.len, 0);
	pg_policy_free(p);
}

static void test_policy_load__default_patterns_behave(void **state)
{
	struct pg_policy *p = NULL;
	const struct pg_regex *feature, *fix, *hotfix, *tag;

	(void)state;
	assert_int_equal(pg_policy_load_default(&p), 0);
	feature = &p->branches[2].name_pattern;
	fix = &p->branches[3].name_pattern;
	hotfix = &p->branches[4].name_pattern;
	tag = &p->tags[0].pattern;
	assert_int_equal(search(feature, "feature/login-form"), 1);
	assert_int_equal(search(feature, "feature/a1"), 1);
	assert_int_equal(search(feature, "feature/Login"), 0);
	assert_int_equal(search(feature, "feature/login--form"), 0);
	assert_int_equal(search(feature, "feature/login-"), 0);
	assert_int_equal(search(feature, "feature/a/b"), 0);
	assert_int_equal(search(fix, "fix/null-pointer"), 1);
	assert_int_equal(search(fix, "fix/"), 0);
	assert_int_equal(search(hotfix, "hotfix/urgent-login-fix"), 1);
	assert_int_equal(search(hotfix, "hotfix/Urgent"), 0);
	assert_int_equal(search(tag, "v1.4.2"), 1);
	assert_int_equal(search(tag, "v0.0.0"), 1);
	assert_int_equal(search(tag, "v2.0.0-rc.1"), 1);
	assert_int_equal(search(tag, "1.4.2"), 0);
	assert_int_equal(search(tag, "v01.2.3"), 0);
	assert_int_equal(search(tag, "v1.2"), 0);
	assert_int_equal(search(tag, "v1.2.3-"), 0);
	assert_int_equal(search(tag, "v1.2.3-rc..1"), 0);
	pg_policy_free(p);
}

static void test_policy_load__default_rule_lookup(void **state)
{
	struct pg_policy *p = NULL;

	(void)state;
	assert_int_equal(pg_policy_load_default(&p), 0);
	assert_ptr_equal(pg_policy_branch_rule(p, "main"), &p->branches[0]);
	assert_ptr_equal(pg_policy_branch_rule(p, "develop"), &p->branches[1]);
	assert_ptr_equal(pg_policy_branch_rule(p, "feature/login"), &p->branches[2]);
	assert_ptr_equal(pg_policy_branch_rule(p, "feature/a/b"), &p->branches[2]);
	assert_ptr_equal(pg_policy_branch_rule(p, "fix/x"), &p->branches[3]);
	assert_ptr_equal(pg_policy_branch_rule(p, "hotfix/x"), &p->branches[4]);
	assert_ptr_equal(pg_policy_branch_rule(p, "release/1.0"), &p->branches[5]);
	assert_ptr_equal(pg_policy_branch_rule(p, "mainline"), &p->branches[5]);
	assert_ptr_equal(pg_policy_tag_rule(p, "v1.0.0"), &p->tags[0]);
	assert_ptr_equal(pg_policy_tag_rule(p, "a/b"), &p->tags[0]);
	assert_false(pg_policy_is_frozen(p, "main"));
	assert_false(pg_policy_is_bypass_user(p, "admin"));
	assert_null(pg_policy_branch_rule(NULL, "main"));
	pg_policy_free(p);
}

static void test_policy_load__good_file_every_field(void **state)
{
	const char *yaml =
		"# a comment\n"
		"version: 1\n"
		"branches:\n"
		"  - match: 'release/*'\n"
		"    create: deny\n"
		"    delete: deny\n"
		"    force_push: deny\n"
		"    direct_push: deny\n"
		"    merge_sources: [develop, 'hotfix/**']\n"
		"    name_pattern: '^release/[0-9]+$'\n"
		"    name_hint: release/N\n"
		"    severity: warn\n"
		"  - match: '*'\n"
		"tags:\n"
		"  - match: 'v*'\n"
		"    create: deny\n"
		"    pattern: '^v[0-9]+$'\n"
		"    hint: vN\n"
		"    on_branch: release\n"
		"    immutable: false\n"
		"    severity: warn\n"
		"  - match: '**'\n"
		"freeze:\n"
		"  branches: [main, 'release/*']\n"
		"  message: 'release week'\n"
		"bypass:\n"
		"  users: [alice, bob]\n";
	struct pg_policy *p = load_ok(yaml);
	const struct pg_branch_rule *b;
	const struct pg_tag_rule *t;

	(void)state;
	assert_string_equal(p->source, "t.yml");
	assert_int_equal(p->branches_len, 2);
	b = &p->branches[0];
	assert_string_equal(b->match, "release/*");
	assert_int_equal(b->create, PG_PERM_DENY);
	assert_int_equal(b->delete_, PG_PERM_DENY);
	assert_int_equal(b->force_push, PG_PERM_DENY);
	assert_int_equal(b->direct_push, PG_PERM_DENY);
	assert_true(b->has_merge_sources);
	assert_int_equal(b->merge_sources.len, 2);
	assert_string_equal(b->merge_sources.items[0], "develop");
	assert_string_equal(b->merge_sources.items[1], "hotfix/**");
	assert_string_equal(b->name_pattern.source, "^release/[0-9]+$");
	assert_int_equal(search(&b->name_pattern, "release/12"), 1);
	assert_int_equal(search(&b->name_pattern, "release/x"), 0);
	assert_string_equal(b->name_hint, "release/N");
	assert_int_equal(b->severity, PG_SEVERITY_WARN);
	assert_int_equal(b->line, 4);
	assert_int_equal(p->branches[1].line, 13);

	assert_int_equal(p->tags_len, 2);
	t = &p->tags[0];
	assert_string_equal(t->match, "v*");
	assert_int_equal(t->create, PG_PERM_DENY);
	assert_string_equal(t->pattern.source, "^v[0-9]+$");
	assert_string_equal(t->hint, "vN");
	assert_string_equal(t->on_branch, "release");
	assert_false(t->immutable);
	assert_int_equal(t->severity, PG_SEVERITY_WARN);
	assert_int_equal(t->line, 15);

	assert_int_equal(p->freeze.branches.len, 2);
	assert_string_equal(p->freeze.branches.items[1], "release/*");
	assert_string_equal(p->freeze.message, "release week");
	assert_int_equal(p->bypass.users.len, 2);
	assert_string_equal(p->bypass.users.items[0], "alice");
	assert_string_equal(p->bypass.users.items[1], "bob");
	pg_policy_free(p);
}

static void test_policy_load__omitted_keys_take_defaults(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nbranches:\n  - match: x\ntags:\n  - match: y\n");
	const struct pg_branch_rule *b;
	const struct pg_tag_rule *t;

	(void)state;
	b = &p->branches[0];
	assert_int_equal(b->create, PG_PERM_ALLOW);
	assert_int_equal(b->delete_, PG_PERM_ALLOW);
	assert_int_equal(b->force_push, PG_PERM_ALLOW);
	assert_int_equal(b->direct_push, PG_PERM_ALLOW);
	assert_false(b->has_merge_sources);
	assert_null(b->name_pattern.code);
	assert_null(b->name_hint);
	assert_int_equal(b->severity, PG_SEVERITY_REJECT);
	t = &p->tags[0];
	assert_int_equal(t->create, PG_PERM_ALLOW);
	assert_null(t->pattern.code);
	assert_null(t->hint);
	assert_null(t->on_branch);
	assert_true(t->immutable);
	assert_int_equal(t->severity, PG_SEVERITY_REJECT);
	assert_null(p->freeze.message);
	pg_policy_free(p);
}

static void test_policy_load__version_only_has_no_rules(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nbranches: []\n");

	(void)state;
	assert_int_equal(p->branches_len, 0);
	assert_int_equal(p->tags_len, 0);
	assert_null(pg_policy_branch_rule(p, "main"));
	assert_null(pg_policy_tag_rule(p, "v1.0.0"));
	pg_policy_free(p);
}

static void test_policy_load__empty_merge_sources_is_a_restriction(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nbranches:\n  - match: x\n    merge_sources: []\n");

	(void)state;
	assert_true(p->branches[0].has_merge_sources);
	assert_int_equal(p->branches[0].merge_sources.len, 0);
	pg_policy_free(p);
}

static void test_policy_load__unknown_key_top_level(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranchs: []\n", "t.yml:2:1:", "unknown key 'branchs'");
}

static void test_policy_load__unknown_key_in_branch_rule(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches:\n  - match: main\n    forcepush: deny\n",
		       "t.yml:4:5:", "unknown key 'forcepush' in branch rule");
}

static void test_policy_load__unknown_key_in_tag_rule(void **state)
{
	(void)state;
	expect_invalid("version: 1\ntags:\n  - match: '*'\n    immutible: true\n",
		       "t.yml:4:5:", "unknown key 'immutible' in tag rule");
}

static void test_policy_load__unknown_key_in_freeze_and_bypass(void **state)
{
	(void)state;
	expect_invalid("version: 1\nfreeze:\n  branch: [main]\n", "t.yml:3:3:", "unknown key 'branch'");
	expect_invalid("version: 1\nbypass:\n  user: [a]\n", "t.yml:3:3:", "unknown key 'user'");
}

static void test_policy_load__secrets_and_audit_log(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nsecrets:\n  scan: false\n  severity: warn\n"
				      "  rules: r.yml\n  max_blob_size: 1024\n  too_large: warn\n"
				      "audit_log: /tmp/a.jsonl\n");

	(void)state;
	assert_false(p->secrets.scan);
	assert_int_equal(p->secrets.severity, PG_SEVERITY_WARN);
	assert_string_equal(p->secrets.rules, "r.yml");
	assert_int_equal(p->secrets.max_blob_size, 1024);
	assert_int_equal(p->secrets.too_large, PG_SEVERITY_WARN);
	assert_string_equal(p->audit_log, "/tmp/a.jsonl");
	pg_policy_free(p);
	p = load_ok("version: 1\n");
	assert_true(p->secrets.scan);
	assert_int_equal(p->secrets.severity, PG_SEVERITY_REJECT);
	assert_null(p->secrets.rules);
	assert_int_equal(p->secrets.max_blob_size, PG_POLICY_MAX_BLOB_DEFAULT);
	assert_int_equal(p->secrets.too_large, PG_SEVERITY_REJECT);
	assert_null(p->audit_log);
	pg_policy_free(p);
	expect_invalid("version: 1\nsecrets:\n  scann: true\n", "t.yml:3:3:", "unknown key 'scann' in secrets");
	expect_invalid("version: 1\nsecrets:\n  max_blob_size: 0\n", "t.yml:3:18:", "at least 1");
	expect_invalid("version: 1\nsecrets:\n  too_large: maybe\n", "t.yml:3:14:", "reject or warn");
	expect_invalid("version: 1\nsecrets:\n  scan: yes\n", "t.yml:3:9:", "true or false");
	expect_invalid("version: 1\naudit_log: [a]\n", "t.yml:2:12:", "audit_log must be a string");
}

static void test_policy_load__wrong_types(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches: main\n", "t.yml:2:11:", "branches must be a list");
	expect_invalid("version: 1\nbranches:\n  - main\n", "t.yml:3:5:", "branch rule must be a mapping");
	expect_invalid("version: 1\nbranches:\n  - match: [main]\n", "t.yml:3:12:", "match must be a string");
	expect_invalid("version: 1\nbranches:\n  - match: main\n    merge_sources: develop\n",
		       "t.yml:4:20:", "merge_sources must be a list");
	expect_invalid("version: 1\nbranches:\n  - match: main\n    merge_sources: [[a]]\n",
		       "t.yml:4:21:", "must be strings");
	expect_invalid("version: 1\ntags:\n  - match: x\n    immutable: yes\n",
		       "t.yml:4:16:", "immutable must be true or false");
	expect_invalid("version: 1\nfreeze: []\n", "t.yml:2:9:", "freeze must be a mapping");
	expect_invalid("version: 1\nbypass:\n  users: alice\n", "t.yml:3:10:", "must be a list");
	expect_invalid("- version: 1\n", "t.yml:1:1:", "must be a mapping");
}

static void test_policy_load__bad_enum(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches:\n  - match: main\n    create: maybe\n",
		       "t.yml:4:13:", "create must be allow or deny");
	expect_invalid("version: 1\nbranches:\n  - match: main\n    severity: fatal\n",
		       "t.yml:4:15:", "severity must be reject or warn");
	expect_invalid("version: 1\ntags:\n  - match: x\n    create: Deny\n",
		       "t.yml:4:13:", "create must be allow or deny");
	expect_invalid("version: 1\nextends: strict\n", "t.yml:2:10:", "extends must be default");
}

static void test_policy_load__bad_glob(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches:\n  - match: 'feature/[a'\n",
		       "t.yml:3:12:", "invalid glob 'feature/[a'");
	expect_invalid("version: 1\nbranches:\n  - match: main\n    merge_sources: [develop, 'x[']\n",
		       "t.yml:4:30:", "invalid glob 'x['");
	expect_invalid("version: 1\ntags:\n  - match: '[v'\n", "t.yml:3:12:", "invalid glob");
	expect_invalid("version: 1\nfreeze:\n  branches: ['[']\n", "t.yml:3:14:", "invalid glob");
}

static void test_policy_load__empty_or_missing_match(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches:\n  - match: ''\n", "t.yml:3:12:", "match must not be empty");
	expect_invalid("version: 1\nbranches:\n  - create: deny\n", "t.yml:3:5:", "needs a 'match'");
	expect_invalid("version: 1\ntags:\n  - immutable: true\n", "t.yml:3:5:", "needs a 'match'");
}

static void test_policy_load__bad_regex(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches:\n  - match: main\n    name_pattern: '^(main'\n",
		       "t.yml:4:19:", "missing closing parenthesis");
	expect_invalid("version: 1\ntags:\n  - match: '*'\n    pattern: 'v[0-9'\n",
		       "t.yml:4:14:", "missing terminating ]");
	expect_invalid("version: 1\ntags:\n  - match: '*'\n    pattern: 'a**'\n",
		       "t.yml:4:14:", "pattern: invalid regular expression");
}

static void test_policy_load__version_required_and_one(void **state)
{
	(void)state;
	expect_invalid("branches: []\n", "t.yml:1:1:", "missing 'version: 1'");
	expect_invalid("branches: []\nversion: 2\n", "t.yml:2:10:", "unsupported policy version 2");
	expect_invalid("version: one\n", "t.yml:1:10:", "version must be a whole number");
	expect_invalid("version: 1.0\n", "t.yml:1:10:", "version must be a whole number");
}

static void test_policy_load__empty_file(void **state)
{
	(void)state;
	expect_invalid("", "t.yml:1:1:", "empty");
	expect_invalid("# only a comment\n", "t.yml:1:1:", "empty");
}

static void test_policy_load__yaml_syntax_error(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches:\n  - match: main\n   create: deny\n",
		       "t.yml:4:", "invalid YAML");
	expect_invalid("version: 1\nfreeze: {branches: [main\n", "t.yml:3:", "invalid YAML");
}

static void test_policy_load__duplicate_key(void **state)
{
	(void)state;
	expect_invalid("version: 1\nbranches: []\nbranches: []\n", "t.yml:3:1:", "duplicate key 'branches'");
	expect_invalid("version: 1\nbranches:\n  - match: main\n    create: deny\n    create: allow\n",
		       "t.yml:5:5:", "duplicate key 'create'");
}

static void test_policy_load__two_documents(void **state)
{
	(void)state;
	expect_invalid("version: 1\n---\nversion: 1\n", "t.yml:3:1:", "more than one YAML document");
}

static void test_policy_load__other_bad_values(void **state)
{
	(void)state;
	expect_invalid("version: 1\ntags:\n  - match: x\n    on_branch: ''\n",
		       "t.yml:4:16:", "on_branch must name a branch");
	expect_invalid("version: 1\nbypass:\n  users: [alice, '']\n",
		       "t.yml:3:18:", "must not be empty");
	expect_invalid("version: 1\nfreeze:\n  message: \"a\\0b\"\n", "t.yml:3:12:", "NUL");
	/* list items and keys too: "admin\0evil" must not become "admin" */
	expect_invalid("version: 1\nbypass:\n  users: [\"admin\\0evil\"]\n", "t.yml:3:11:", "NUL");
	expect_invalid("version: 1\n\"secrets\\0x\": {scan: false}\n", "t.yml:2:1:", "NUL");
}

static void test_policy_load__too_large(void **state)
{
	size_t len = ((size_t)1 << 20) + 1;
	struct pg_policy *p = NULL;
	char *big = malloc(len + 1);

	(void)state;
	assert_non_null(big);
	memset(big, '#', len);
	memcpy(big, "version: 1\n", 11);
	big[len] = '\0';
	assert_int_equal(pg_policy_load_buffer(&p, "big.yml", big, len), PG_EINVAL);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), "big.yml"));
	free(big);
}

static void test_policy_load__first_match_wins(void **state)
{
	struct pg_policy *p = load_ok("version: 1\n"
				      "branches:\n"
				      "  - match: 'release/1.*'\n"
				      "    create: deny\n"
				      "  - match: 'release/*'\n"
				      "    delete: deny\n"
				      "  - match: '**'\n"
				      "    force_push: deny\n"
				      "tags:\n"
				      "  - match: 'v1.*'\n"
				      "  - match: 'v*'\n");

	(void)state;
	assert_ptr_equal(pg_policy_branch_rule(p, "release/1.0"), &p->branches[0]);
	assert_int_equal(pg_policy_branch_rule(p, "release/1.0")->create, PG_PERM_DENY);
	assert_ptr_equal(pg_policy_branch_rule(p, "release/2.0"), &p->branches[1]);
	assert_int_equal(pg_policy_branch_rule(p, "release/2.0")->create, PG_PERM_ALLOW);
	assert_ptr_equal(pg_policy_branch_rule(p, "release/1/x"), &p->branches[2]);
	assert_ptr_equal(pg_policy_branch_rule(p, "main"), &p->branches[2]);
	assert_ptr_equal(pg_policy_tag_rule(p, "v1.2"), &p->tags[0]);
	assert_ptr_equal(pg_policy_tag_rule(p, "v2.0"), &p->tags[1]);
	assert_null(pg_policy_tag_rule(p, "x"));
	pg_policy_free(p);
}

static void test_policy_load__extends_default(void **state)
{
	struct pg_policy *p = load_ok("version: 1\n"
				      "extends: default\n"
				      "branches:\n"
				      "  - match: 'release/*'\n"
				      "    delete: deny\n"
				      "  - match: main\n"
				      "    severity: warn\n"
				      "tags:\n"
				      "  - match: 'nightly-*'\n"
				      "    immutable: false\n"
				      "bypass:\n"
				      "  users: [root]\n");

	(void)state;
	assert_string_equal(p->source, "t.yml");
	assert_int_equal(p->branches_len, 2 + 6);
	assert_string_equal(p->branches[0].match, "release/*");
	assert_int_equal(p->branches[0].line, 4);
	assert_string_equal(p->branches[1].match, "main");
	assert_string_equal(p->branches[2].match, "main");
	assert_int_equal(p->branches[2].line, 0);
	assert_int_equal(p->branches[2].direct_push, PG_PERM_DENY);
	assert_string_equal(p->branches[7].match, "**");
	assert_int_equal(p->branches[7].create, PG_PERM_DENY);
	/* the file's rule for main comes first and wins */
	assert_ptr_equal(pg_policy_branch_rule(p, "main"), &p->branches[1]);
	assert_int_equal(pg_policy_branch_rule(p, "main")->severity, PG_SEVERITY_WARN);
	assert_ptr_equal(pg_policy_branch_rule(p, "develop"), &p->branches[3]);
	assert_ptr_equal(pg_policy_branch_rule(p, "topic"), &p->branches[7]);
	assert_int_equal(p->tags_len, 2);
	assert_string_equal(p->tags[0].match, "nightly-*");
	assert_string_equal(p->tags[1].match, "**");
	assert_string_equal(p->tags[1].on_branch, "main");
	assert_true(pg_policy_is_bypass_user(p, "root"));
	assert_int_equal(p->freeze.branches.len, 0);
	pg_policy_free(p);
}

static void test_policy_load__extends_takes_freeze_from_file(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nextends: default\n"
				      "freeze:\n  branches: ['*']\n  message: 'incident 42'\n");

	(void)state;
	assert_int_equal(p->branches_len, 6);
	assert_int_equal(p->tags_len, 1);
	assert_true(pg_policy_is_frozen(p, "main"));
	assert_string_equal(p->freeze.message, "incident 42");
	assert_int_equal(p->bypass.users.len, 0);
	pg_policy_free(p);
}

static void test_policy_load__frozen_lookup(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nfreeze:\n  branches: [main, 'release/*']\n");

	(void)state;
	assert_true(pg_policy_is_frozen(p, "main"));
	assert_true(pg_policy_is_frozen(p, "release/1.0"));
	assert_false(pg_policy_is_frozen(p, "release/1/x"));
	assert_false(pg_policy_is_frozen(p, "develop"));
	assert_false(pg_policy_is_frozen(p, "mainline"));
	assert_false(pg_policy_is_frozen(p, NULL));
	assert_false(pg_policy_is_frozen(NULL, "main"));
	assert_null(p->freeze.message);
	pg_policy_free(p);
}

static void test_policy_load__bypass_lookup(void **state)
{
	struct pg_policy *p = load_ok("version: 1\nbypass:\n  users: [alice, 'release-bot']\n");

	(void)state;
	assert_true(pg_policy_is_bypass_user(p, "alice"));
	assert_true(pg_policy_is_bypass_user(p, "release-bot"));
	assert_false(pg_policy_is_bypass_user(p, "Alice"));
	assert_false(pg_policy_is_bypass_user(p, "bob"));
	assert_false(pg_policy_is_bypass_user(p, "*"));
	assert_false(pg_policy_is_bypass_user(p, ""));
	assert_false(pg_policy_is_bypass_user(p, NULL));
	pg_policy_free(p);
}

static void test_policy_load__file_good_missing_directory(void **state)
{
	char dir[] = "/tmp/pushgate-load.XXXXXX";
	char path[256], sub[256];
	struct pg_policy *p = NULL;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/policy.yml", dir);
	snprintf(sub, sizeof(sub), "%s/sub.yml", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("version: 1\nbranches:\n  - match: main\n    create: deny\n", f);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(pg_policy_load_file(&p, path), 0);
	assert_string_equal(p->source, path);
	assert_int_equal(p->branches[0].create, PG_PERM_DENY);
	pg_policy_free(p);
	p = NULL;

	assert_int_equal(pg_policy_load_file(&p, sub), PG_ENOTFOUND);
	assert_null(p);
	assert_int_equal(mkdir(sub, 0700), 0);
	assert_int_equal(pg_policy_load_file(&p, sub), PG_EIO);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), "sub.yml"));

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("version: 1\nbranches:\n  - match: main\n    create: nope\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(pg_policy_load_file(&p, path), PG_EINVAL);
	assert_null(p);
	assert_memory_equal(pg_error_last(), path, strlen(path));
	assert_non_null(strstr(pg_error_last(), "policy.yml:4:13:"));

	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_load__default_branch_rules),
		cmocka_unit_test(test_policy_load__secrets_and_audit_log),
		cmocka_unit_test(test_policy_load__default_tag_freeze_bypass),
		cmocka_unit_test(test_policy_load__default_patterns_behave),
		cmocka_unit_test(test_policy_load__default_rule_lookup),
		cmocka_unit_test(test_policy_load__good_file_every_field),
		cmocka_unit_test(test_policy_load__omitted_keys_take_defaults),
		cmocka_unit_test(test_policy_load__version_only_has_no_rules),
		cmocka_unit_test(test_policy_load__empty_merge_sources_is_a_restriction),
		cmocka_unit_test(test_policy_load__unknown_key_top_level),
		cmocka_unit_test(test_policy_load__unknown_key_in_branch_rule),
		cmocka_unit_test(test_policy_load__unknown_key_in_tag_rule),
		cmocka_unit_test(test_policy_load__unknown_key_in_freeze_and_bypass),
		cmocka_unit_test(test_policy_load__wrong_types),
		cmocka_unit_test(test_policy_load__bad_enum),
		cmocka_unit_test(test_policy_load__bad_glob),
		cmocka_unit_test(test_policy_load__empty_or_missing_match),
		cmocka_unit_test(test_policy_load__bad_regex),
		cmocka_unit_test(test_policy_load__version_required_and_one),
		cmocka_unit_test(test_policy_load__empty_file),
		cmocka_unit_test(test_policy_load__yaml_syntax_error),
		cmocka_unit_test(test_policy_load__duplicate_key),
		cmocka_unit_test(test_policy_load__two_documents),
		cmocka_unit_test(test_policy_load__other_bad_values),
		cmocka_unit_test(test_policy_load__too_large),
		cmocka_unit_test(test_policy_load__first_match_wins),
		cmocka_unit_test(test_policy_load__extends_default),
		cmocka_unit_test(test_policy_load__extends_takes_freeze_from_file),
		cmocka_unit_test(test_policy_load__frozen_lookup),
		cmocka_unit_test(test_policy_load__bypass_lookup),
		cmocka_unit_test(test_policy_load__file_good_missing_directory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
