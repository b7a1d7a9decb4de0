/*
 * Unit tests for scanners/rules_yaml.c (and the Hyperscan side of a rule:
 * prefilter fallback and compile errors from scanners/hs_db.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <git2.h>

#include "common/error.h"
#include "common/sha1.h"
#include "scanners/engine.h"
#include "scanners/hs_db.h"
#include "scanners/rules.h"

static struct pg_scanner_opts no_cache = { "" };

static struct pg_rules *load_ok(const char *yaml)
{
	struct pg_rules *rules = NULL;
	int error = pg_rules_load_buffer(&rules, "t.yml", yaml, strlen(yaml));

	if (error < 0)
		fail_msg("load failed: %s", pg_error_last());
	return rules;
}

/* Load must fail with PG_EINVAL and a message containing each of the strings. */
static void load_fails(const char *yaml, const char *want1, const char *want2)
{
	struct pg_rules *rules = NULL;
	int error = pg_rules_load_buffer(&rules, "t.yml", yaml, strlen(yaml));

	assert_int_equal(error, PG_EINVAL);
	assert_null(rules);
	if (!strstr(pg_error_last(), want1) || (want2 && !strstr(pg_error_last(), want2)))
		fail_msg("message '%s' lacks '%s' / '%s'", pg_error_last(), want1,
			 want2 ? want2 : "");
}

static void test_scanners_rules_load__good_file(void **state)
{
	static const char yaml[] =
		"version: 1\n"
		"allow:\n"
		"  stopwords: [EXAMPLE, Dummy]\n"
		"  regexes: ['^\\$\\{\\{.*\\}\\}$']\n"
		"  paths: ['**/testdata/**']\n"
		"  generic_paths: ['*.min.js']\n"
		"rules:\n"
		"  - id: github-pat\n"
		"    description: GitHub token\n"
		"    severity: critical\n"
		"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n"
		"    keywords: [GHP_]\n"
		"    min_entropy: 3.5\n"
		"    paths: ['*.env']\n"
		"    generic: true\n"
		"    allow:\n"
		"      stopwords: [Fake]\n"
		"      regexes: ['x$']\n"
		"      paths: [vendor/**]\n"
		"    examples: ['a', 'b']\n"
		"    negative_examples: ['c']\n"
		"  - id: plain\n"
		"    description: no group\n"
		"    pattern: 'AKIA[0-9A-Z]{16}'\n"
		"  - id: second-group\n"
		"    description: two groups\n"
		"    pattern: '(k)=(v+)'\n"
		"    secret_group: 2\n";
	struct pg_rules *rules = load_ok(yaml);
	const struct pg_rule *r;
	static const unsigned char zero[20];

	(void)state;
	assert_string_equal(rules->source, "t.yml");
	assert_int_equal(rules->len, 3);
	assert_memory_not_equal(rules->digest, zero, 20);
	assert_int_equal(rules->allow.stopwords.len, 2);
	assert_string_equal(rules->allow.stopwords.items[0], "example");
	assert_string_equal(rules->allow.stopwords.items[1], "dummy");
	assert_int_equal(rules->allow.regexes_len, 1);
	assert_int_equal(rules->generic_paths.len, 1);

	r = &rules->rules[0];
	assert_string_equal(r->id, "github-pat");
	assert_int_equal(r->severity, PG_RULE_CRITICAL);
	assert_int_equal(r->secret_group, 1);
	assert_non_null(r->code);
	assert_true(r->min_entropy == 3.5);
	assert_string_equal(r->keywords.items[0], "ghp_");
	assert_string_equal(r->allow.stopwords.items[0], "fake");
	assert_true(r->generic);
	assert_int_equal(r->examples.len, 2);
	assert_int_equal(r->negative_examples.len, 1);
	assert_int_equal(r->line, 8);

	r = &rules->rules[1];
	assert_int_equal(r->severity, PG_RULE_HIGH);
	assert_int_equal(r->secret_group, 0);
	assert_false(r->generic);
	assert_int_equal(r->line, 22);
	assert_int_equal(rules->rules[2].secret_group, 2);
	pg_rules_free(rules);
}

static void test_scanners_rules_load__digest_follows_bytes(void **state)
{
	static const char a[] = "rules:\n  - {id: a, description: d, pattern: 'abc'}\n";
	static const char b[] = "rules:\n  - {id: a, description: d, pattern: 'abd'}\n";
	struct pg_rules *ra = load_ok(a), *ra2 = load_ok(a), *rb = load_ok(b);

	(void)state;
	assert_memory_equal(ra->digest, ra2->digest, 20);
	assert_memory_not_equal(ra->digest, rb->digest, 20);
	pg_rules_free(ra);
	pg_rules_free(ra2);
	pg_rules_free(rb);
}

/* The build embeds the default rules' digest; it must be theirs. */
static void test_scanners_rules_load__default_digest_is_the_texts(void **state)
{
	unsigned char embedded[PG_SHA1_LEN], computed[PG_SHA1_LEN];
	struct pg_rules *rules = NULL;
	const char *data;
	size_t len;

	(void)state;
	pg_rules_default_text(&data, &len, embedded);
	assert_true(len > 1000);
	pg_sha1_blob(computed, data, len);
	assert_memory_equal(embedded, computed, PG_SHA1_LEN);
	assert_int_equal(pg_rules_load_default(&rules), 0);
	assert_memory_equal(rules->digest, computed, PG_SHA1_LEN);
	pg_rules_free(rules);
}

static void test_scanners_rules_load__unknown_key(void **state)
{
	(void)state;
	load_fails("rules:\n"
		   "  - id: a\n"
		   "    description: d\n"
		   "    pattern: abc\n"
		   "    sevrity: high\n",
		   "t.yml:5:5: unknown key 'sevrity'", NULL);
	load_fails("version: 1\nrulez: []\n", "t.yml:2:1: unknown key 'rulez'", NULL);
	load_fails("allow:\n  stopword: [x]\nrules: []\n", "t.yml:2:3: unknown key 'stopword'", NULL);
	load_fails("rules:\n"
		   "  - id: a\n"
		   "    description: d\n"
		   "    pattern: abc\n"
		   "    allow: {generic_paths: [x]}\n",
		   "t.yml:5:13: unknown key 'generic_paths'", NULL);
}

static void test_scanners_rules_load__missing_fields(void **state)
{
	(void)state;
	load_fails("rules:\n  - id: a\n    description: d\n",
		   "t.yml:2:5: rule 'a': missing required key 'pattern'", NULL);
	load_fails("rules:\n  - id: a\n    pattern: abc\n",
		   "t.yml:2:5: rule 'a': missing required key 'description'", NULL);
	load_fails("rules:\n  - description: d\n    pattern: abc\n",
		   "t.yml:2:5: rule 1: missing required key 'id'", NULL);
	load_fails("version: 1\n", "t.yml:1:1: missing required key 'rules'", NULL);
	load_fails("rules: []\n", "t.yml:1:8: the rules list is empty", NULL);
}

static void test_scanners_rules_load__wrong_types(void **state)
{
	(void)state;
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    min_entropy: high\n",
		   "t.yml:5:18: min_entropy must be a number", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: [abc]\n",
		   "t.yml:4:14: pattern must be a string", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    keywords: abc\n",
		   "t.yml:5:15: keywords must be a list", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    generic: yes\n",
		   "t.yml:5:14: generic must be true or false", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    severity: fatal\n",
		   "t.yml:5:15: severity must be critical or high", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    paths: ['[x']\n",
		   "t.yml:5:13: rule 'a': paths: invalid glob '[x'", NULL);
	/* The same glob rules as the policy's: an empty one matches nothing and is an error. */
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    allow: {paths: ['']}\n",
		   "t.yml:5:21: rule 'a': allow.paths must not be empty", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    min_entropy: 9\n",
		   "t.yml:5:18: rule 'a': min_entropy must be from 0 to 8", NULL);
	load_fails("version: 2\nrules: []\n", "t.yml:1:10: unsupported rules file version 2", NULL);
	load_fails("rules: {a: b}\n", "t.yml:1:8: rules must be a list", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n"
		   "    allow: {stopwords: ['']}\n",
		   "t.yml:5:25: rule 'a': allow.stopwords must not contain an empty string", NULL);
}

static void test_scanners_rules_load__confidence(void **state)
{
	struct pg_rules *rules;

	(void)state;
	rules = load_ok("rules:\n"
			"  - {id: a, description: d, pattern: abc}\n"
			"  - {id: b, description: d, pattern: abd, generic: true}\n"
			"  - {id: c, description: d, pattern: abe, generic: true, confidence: medium}\n"
			"  - {id: d, description: d, pattern: abf, confidence: low}\n");
	assert_int_equal(rules->rules[0].confidence, PG_CONFIDENCE_HIGH);
	assert_int_equal(rules->rules[1].confidence, PG_CONFIDENCE_LOW);
	assert_int_equal(rules->rules[2].confidence, PG_CONFIDENCE_MEDIUM);
	assert_int_equal(rules->rules[3].confidence, PG_CONFIDENCE_LOW);
	pg_rules_free(rules);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    confidence: sure\n",
		   "t.yml:5:17: confidence must be high or medium or low", NULL);
}

static void test_scanners_rules_load__bad_and_duplicate_ids(void **state)
{
	(void)state;
	load_fails("rules:\n"
		   "  - {id: dup, description: d, pattern: abc}\n"
		   "  - {id: other, description: d, pattern: abc}\n"
		   "  - {id: dup, description: d, pattern: abd}\n",
		   "t.yml:4:10: rule 'dup': duplicate id (first defined on line 2)", NULL);
	load_fails("rules:\n  - {id: Bad_Id, description: d, pattern: abc}\n",
		   "t.yml:2:10: rule 'Bad_Id': id must be", NULL);
	load_fails("rules:\n  - {id: a--b, description: d, pattern: abc}\n", "t.yml:2:10:", "id must be");
	load_fails("rules:\n  - {id: a-, description: d, pattern: abc}\n", "t.yml:2:10:", "id must be");
}

static void test_scanners_rules_load__invalid_regex(void **state)
{
	(void)state;
	load_fails("rules:\n  - id: utf\n    description: d\n    pattern: '(*UTF)abc'\n",
		   "t.yml:4:14: rule 'utf': invalid pattern: ", "UTF");
	load_fails("rules:\n  - id: broken\n    description: d\n    pattern: 'ab(c'\n",
		   "t.yml:4:14: rule 'broken': invalid pattern: ", "missing closing parenthesis");
	load_fails("allow:\n  regexes: ['[z-a]']\nrules:\n  - {id: a, description: d, pattern: abc}\n",
		   "t.yml:2:13: allow.regexes: invalid regular expression at offset ", NULL);
	load_fails("rules:\n  - id: a\n    description: d\n    pattern: abc\n    allow: {regexes: ['(']}\n",
		   "t.yml:5:23: rule 'a': allow.regexes: invalid regular expression", NULL);
}

static void test_scanners_rules_load__empty_match(void **state)
{
	(void)state;
	load_fails("rules:\n  - id: empty\n    description: d\n    pattern: 'a*'\n",
		   "t.yml:4:14: rule 'empty': invalid pattern: it matches the empty string", NULL);
	load_fails("rules:\n  - id: empty\n    description: d\n    pattern: '(?:x|)'\n",
		   "rule 'empty': invalid pattern: it matches the empty string", NULL);
	load_fails("rules:\n  - id: empty\n    description: d\n    pattern: ''\n",
		   "t.yml:4:14: rule 'empty': pattern must not be empty", NULL);
	load_fails("rules:\n  - id: pre\n    description: d\n    pattern: abc\n    prefilter: ''\n",
		   "t.yml:5:16: rule 'pre': prefilter must not be empty", NULL);
	load_fails("rules:\n  - id: pre\n    description: d\n    pattern: abc\n    prefilter: [b]\n",
		   "t.yml:5:16:", "prefilter");
}

static void test_scanners_rules_load__secret_group(void **state)
{
	(void)state;
	load_fails("rules:\n  - id: g\n    description: d\n    pattern: '(a)(b)'\n    secret_group: 3\n",
		   "t.yml:5:19: rule 'g': secret_group 3 but the pattern has 2 capture groups", NULL);
	load_fails("rules:\n  - id: g\n    description: d\n    pattern: 'ab'\n    secret_group: 1\n",
		   "rule 'g': secret_group 1 but the pattern has 0 capture groups", NULL);
	load_fails("rules:\n  - id: g\n    description: d\n    pattern: '(a)b'\n    secret_group: -1\n",
		   "t.yml:5:19: secret_group must be a whole number", NULL);
}

static void test_scanners_rules_load__yaml_syntax(void **state)
{
	(void)state;
	load_fails("rules:\n  - id: a\n   description: [\n", "t.yml:", "invalid YAML");
}

static int found_cb(const struct pg_match *m, const char *buf, void *payload)
{
	(void)buf;
	(*(size_t *)payload) += m->rule_index + 1;
	return 0;
}

/* Collect match starts and ends: "start-end " each. */
static int spans_cb(const struct pg_match *m, const char *buf, void *payload)
{
	char *out = payload;

	(void)buf;
	snprintf(out + strlen(out), 256 - strlen(out), "%zu-%zu ", m->match_start, m->match_end);
	return 0;
}

static void test_scanners_rules_load__rule_prefilter(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: conn\n"
		"    description: d\n"
		"    pattern: 'host=[^;\\n]{1,600};[^\\n]{0,600}?pwd=([a-z]{4,})'\n"
		"    prefilter: 'pwd='\n"
		"  - id: wrong\n"
		"    description: d\n"
		"    pattern: 'zz[0-9]{4}'\n"
		"    prefilter: 'yy'\n";
	struct pg_rules *rules = load_ok(yaml);
	struct pg_scanner *scanner = NULL;
	struct pg_scan_ctx *ctx = NULL;
	const struct pg_hs_db *db;
	char text[2048], spans[256] = "";
	size_t n;

	(void)state;
	assert_string_equal(rules->rules[0].prefilter, "pwd=");
	assert_int_equal(pg_scanner_new(&scanner, rules, &no_cache), 0);
	db = pg_scanner__hs_db(scanner);
	assert_int_equal(db->prefilter[0], 1);
	assert_int_equal(db->prefilter[1], 1);
	assert_int_equal(pg_scan_ctx_new(&ctx, scanner), 0);

	/* The match starts 500 bytes before the prefilter's hit: the window widens to it. */
	n = (size_t)snprintf(text, sizeof(text), "x\nhost=%0500d;pwd=secret\n", 7);
	assert_int_equal(pg_scan_buffer(ctx, NULL, text, n, spans_cb, spans), 0);
	assert_string_equal(spans, "2-518 ");
	/* A pwd= alone is a hit that PCRE2 does not confirm. */
	spans[0] = '\0';
	assert_int_equal(pg_scan_buffer(ctx, NULL, "pwd=secret\n", 11, spans_cb, spans), 0);
	assert_string_equal(spans, "");
	/* Hyperscan looks only for the prefilter: a pattern match without it is not seen, */
	assert_int_equal(pg_scan_buffer(ctx, NULL, "zz1234", 6, spans_cb, spans), 0);
	assert_string_equal(spans, "");
	/* and PCRE2 searches back from where the prefilter matched. */
	assert_int_equal(pg_scan_buffer(ctx, NULL, "zz1234yy", 8, spans_cb, spans), 0);
	assert_string_equal(spans, "0-6 ");
	pg_scan_ctx_free(ctx);
	pg_scanner_free(scanner);
	pg_rules_free(rules);

	rules = load_ok("rules:\n  - {id: bad, description: d, pattern: abc, prefilter: 'ab('}\n");
	assert_int_equal(pg_scanner_new(&scanner, rules, &no_cache), PG_EINVAL);
	if (!strstr(pg_error_last(), "rule 'bad': Hyperscan cannot compile the prefilter"))
		fail_msg("message: %s", pg_error_last());
	pg_rules_free(rules);
}

static void test_scanners_rules_load__backreference_becomes_prefilter(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - {id: plain, description: d, pattern: 'zzz[0-9]+'}\n"
		"  - {id: backref, description: d, pattern: '(ab)\\1'}\n"
		"  - {id: lookahead, description: d, pattern: 'key(?=[0-9])'}\n";
	struct pg_rules *rules = load_ok(yaml);
	struct pg_scanner *scanner = NULL;
	struct pg_scan_ctx *ctx = NULL;
	const struct pg_hs_db *db;
	size_t sum;

	(void)state;
	assert_int_equal(pg_scanner_new(&scanner, rules, &no_cache), 0);
	db = pg_scanner__hs_db(scanner);
	assert_int_equal(db->len, 3);
	assert_int_equal(db->prefilter[0], 0);
	assert_int_equal(db->prefilter[1], 1);
	assert_int_equal(db->prefilter[2], 1);
	assert_int_equal(pg_scan_ctx_new(&ctx, scanner), 0);

	sum = 0;
	assert_int_equal(pg_scan_buffer(ctx, NULL, "xxababyy", 8, found_cb, &sum), 0);
	assert_int_equal(sum, 2);
	sum = 0;
	assert_int_equal(pg_scan_buffer(ctx, NULL, "xxabacyy", 8, found_cb, &sum), 0);
	assert_int_equal(sum, 0);
	sum = 0;
	assert_int_equal(pg_scan_buffer(ctx, NULL, "key1 keyx", 9, found_cb, &sum), 0);
	assert_int_equal(sum, 3);
	pg_scan_ctx_free(ctx);
	pg_scanner_free(scanner);
	pg_rules_free(rules);
}

static void test_scanners_rules_load__hyperscan_error_names_rule(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - {id: fine, description: d, pattern: 'abc'}\n"
		"  - {id: anchored-g, description: d, pattern: 'x\\Gy'}\n";
	struct pg_rules *rules = load_ok(yaml);
	struct pg_scanner *scanner = NULL;

	(void)state;
	assert_int_equal(pg_scanner_new(&scanner, rules, &no_cache), PG_EINVAL);
	assert_null(scanner);
	if (!strstr(pg_error_last(), "t.yml:3: rule 'anchored-g': Hyperscan cannot compile the pattern: ") ||
	    !strstr(pg_error_last(), "\\G"))
		fail_msg("message: %s", pg_error_last());
	pg_rules_free(rules);
}

static void test_scanners_rules_load__file_errors(void **state)
{
	struct pg_rules *rules = NULL;

	(void)state;
	assert_int_equal(pg_rules_load_file(&rules, "/nonexistent/rules.yml"), PG_ENOTFOUND);
	assert_null(rules);
	assert_int_equal(pg_rules_load_file(&rules, "/"), PG_EIO);
	pg_rules_free(NULL);
}

static void test_scanners_rules_load__severity_names(void **state)
{
	(void)state;
	assert_string_equal(pg_rule_severity_name(PG_RULE_CRITICAL), "critical");
	assert_string_equal(pg_rule_severity_name(PG_RULE_HIGH), "high");
	assert_string_equal(pg_rule_severity_name(PG_RULE_MEDIUM), "medium");
	assert_string_equal(pg_rule_severity_name(PG_RULE_LOW), "low");
	assert_string_equal(pg_rule_severity_name((enum pg_rule_severity)42), "unknown");
}

static void test_scanners_rules_load__default_set_compiles(void **state)
{
	struct pg_rules *rules = NULL;
	struct pg_scanner *scanner = NULL;

	(void)state;
	if (pg_rules_load_default(&rules) < 0)
		fail_msg("default rules: %s", pg_error_last());
	assert_true(rules->len > 0);
	assert_string_equal(rules->source, "<default>");
	if (pg_scanner_new(&scanner, rules, &no_cache) < 0)
		fail_msg("default rules: %s", pg_error_last());
	pg_scanner_free(scanner);
	pg_rules_free(rules);
}

static size_t default_len(void)
{
	struct pg_rules *d = NULL;
	size_t n;

	assert_int_equal(pg_rules_load_default(&d), 0);
	n = d->len;
	pg_rules_free(d);
	return n;
}

static bool has_rule(const struct pg_rules *rules, const char *id)
{
	size_t i;

	for (i = 0; i < rules->len; i++)
		if (!strcmp(rules->rules[i].id, id))
			return true;
	return false;
}

/* extends: default adds the file's rules and allowlist to the built-in ones. */
static void test_scanners_rules_load__extends_default(void **state)
{
	struct pg_rules *r;
	size_t n = default_len();

	(void)state;
	r = load_ok("version: 1\nextends: default\nallow: {stopwords: [zzplaceholder]}\n"
		    "rules:\n  - {id: acme-key, description: d, pattern: 'acme_[a-z0-9]{20}'}\n");
	assert_int_equal(r->len, n + 1);
	assert_true(has_rule(r, "github-pat"));
	assert_string_equal(r->rules[r->len - 1].id, "acme-key");
	assert_true(r->allow.stopwords.len > 1); /* the file's and the defaults' */
	pg_rules_free(r);
	/* With nothing of its own, the file is the defaults (a place to disable some). */
	r = load_ok("version: 1\nextends: default\n");
	assert_int_equal(r->len, n);
	pg_rules_free(r);
}

/* A file rule with a built-in id replaces it; disable drops rules by id. */
static void test_scanners_rules_load__replace_and_disable(void **state)
{
	struct pg_rules *r;
	size_t i, n = default_len();

	(void)state;
	r = load_ok("version: 1\nextends: default\ndisable: [aws-access-key-id, acme-key]\n"
		    "rules:\n  - {id: github-pat, description: mine, pattern: 'ghp_x{4}'}\n"
		    "  - {id: acme-key, description: d, pattern: 'acme_[a-z0-9]{20}'}\n");
	assert_int_equal(r->len, n - 1);
	assert_false(has_rule(r, "aws-access-key-id"));
	assert_false(has_rule(r, "acme-key"));
	for (i = 0; i < r->len; i++)
		if (!strcmp(r->rules[i].id, "github-pat"))
			assert_string_equal(r->rules[i].description, "mine");
	pg_rules_free(r);
	load_fails("version: 1\nextends: default\ndisable: [no-such-rule]\n",
		   "t.yml:3:11: disable: no rule 'no-such-rule'", NULL);
	load_fails("version: 1\nextends: gitleaks\n", "t.yml:2:10: extends must be default", NULL);
	load_fails("version: 1\nrules:\n  - {id: a, description: d, pattern: abc}\ndisable: [a]\n",
		   "disable: no rule is left", NULL);
	load_fails("version: 1\nallow: {stopwords: [x]}\n", "missing required key 'rules'", NULL);
}

/* The rule set of a file that may extend the defaults is named by both. */
static void test_scanners_rules_load__file_digest_names_the_defaults_too(void **state)
{
	static const char yaml[] = "version: 1\nextends: default\n";
	unsigned char bytes_only[PG_SHA1_LEN], digest[PG_SHA1_LEN], both[2 * PG_SHA1_LEN];
	unsigned char want[PG_SHA1_LEN];
	struct pg_rules *r;
	const char *text;
	size_t len;

	(void)state;
	pg_sha1_blob(bytes_only, yaml, sizeof(yaml) - 1);
	pg_rules_file_digest(digest, yaml, sizeof(yaml) - 1);
	assert_memory_not_equal(digest, bytes_only, PG_SHA1_LEN);
	/* The file's bytes and the built-in rules' digest, both: a new build's defaults change it. */
	memcpy(both, bytes_only, PG_SHA1_LEN);
	pg_rules_default_text(&text, &len, both + PG_SHA1_LEN);
	pg_sha1_blob(want, (const char *)both, sizeof(both));
	assert_memory_equal(digest, want, PG_SHA1_LEN);
	r = load_ok(yaml);
	assert_memory_equal(r->digest, digest, PG_SHA1_LEN);
	pg_rules_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_rules_load__good_file),
		cmocka_unit_test(test_scanners_rules_load__digest_follows_bytes),
		cmocka_unit_test(test_scanners_rules_load__extends_default),
		cmocka_unit_test(test_scanners_rules_load__replace_and_disable),
		cmocka_unit_test(test_scanners_rules_load__file_digest_names_the_defaults_too),
		cmocka_unit_test(test_scanners_rules_load__default_digest_is_the_texts),
		cmocka_unit_test(test_scanners_rules_load__unknown_key),
		cmocka_unit_test(test_scanners_rules_load__missing_fields),
		cmocka_unit_test(test_scanners_rules_load__wrong_types),
		cmocka_unit_test(test_scanners_rules_load__confidence),
		cmocka_unit_test(test_scanners_rules_load__bad_and_duplicate_ids),
		cmocka_unit_test(test_scanners_rules_load__invalid_regex),
		cmocka_unit_test(test_scanners_rules_load__empty_match),
		cmocka_unit_test(test_scanners_rules_load__secret_group),
		cmocka_unit_test(test_scanners_rules_load__yaml_syntax),
		cmocka_unit_test(test_scanners_rules_load__rule_prefilter),
		cmocka_unit_test(test_scanners_rules_load__backreference_becomes_prefilter),
		cmocka_unit_test(test_scanners_rules_load__hyperscan_error_names_rule),
		cmocka_unit_test(test_scanners_rules_load__file_errors),
		cmocka_unit_test(test_scanners_rules_load__severity_names),
		cmocka_unit_test(test_scanners_rules_load__default_set_compiles),
	};
	int rc;

	if (git_libgit2_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
