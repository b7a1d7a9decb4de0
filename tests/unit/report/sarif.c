/*
 * Unit tests for report/report_sarif.c: the SARIF 2.1.0 document read
 * back with jansson, field by field; rules listed once each, results
 * pointing at them, URIs escaped, secrets only redacted; levels from
 * severity and confidence; a SARIF report read back as a baseline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "common/error.h"
#include "common/version.h"
#include "fixture.h"

static json_t *render_sarif(const struct fixture *fx)
{
	json_error_t jerr;
	json_t *root;
	size_t len;
	char *data;
	int error;

	data = fixture_render(PG_REPORT_SARIF, &fx->findings, &fx->stats, &len, &error);
	assert_int_equal(error, 0);
	assert_non_null(data);
	assert_false(fixture_contains(data, len, FIXTURE_GITHUB));
	assert_false(fixture_contains(data, len, FIXTURE_AWS));
	assert_false(fixture_contains(data, len, "-value-0123456789"));
	root = json_loadb(data, len, 0, &jerr);
	free(data);
	assert_non_null(root);
	return root;
}

static const char *str_at(const json_t *obj, const char *path)
{
	char key[64];
	const char *dot;
	const json_t *v = obj;

	/* "a.b.c": nested object keys. */
	while ((dot = strchr(path, '.'))) {
		assert_true((size_t)(dot - path) < sizeof(key));
		memcpy(key, path, (size_t)(dot - path));
		key[dot - path] = '\0';
		v = json_object_get(v, key);
		assert_true(json_is_object(v));
		path = dot + 1;
	}
	v = json_object_get(v, path);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static json_int_t int_at(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

static const json_t *the_run(const json_t *root)
{
	const json_t *runs = json_object_get(root, "runs");

	assert_true(json_is_array(runs));
	assert_int_equal(json_array_size(runs), 1);
	return json_array_get(runs, 0);
}

static void test_report_sarif__document_shape(void **state)
{
	struct fixture fx;
	const json_t *run, *rules;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(fixture_add_all(&fx), 0);
	root = render_sarif(&fx);
	assert_string_equal(str_at(root, "version"), "2.1.0");
	assert_non_null(strstr(str_at(root, "$schema"), "sarif"));
	run = the_run(root);
	assert_string_equal(str_at(run, "tool.driver.name"), "pushgate");
	assert_string_equal(str_at(run, "tool.driver.version"), PG_VERSION);
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_true(json_is_array(rules));
	assert_int_equal(json_array_size(rules), 3);
	/* Sorted by id. */
	assert_string_equal(str_at(json_array_get(rules, 0), "id"), "aws-access-key-id");
	assert_string_equal(str_at(json_array_get(rules, 0), "shortDescription.text"), "AWS access key ID");
	assert_string_equal(str_at(json_array_get(rules, 0), "defaultConfiguration.level"), "error");
	assert_string_equal(str_at(json_array_get(rules, 1), "id"), "generic-password");
	assert_string_equal(str_at(json_array_get(rules, 1), "defaultConfiguration.level"), "note");
	assert_string_equal(str_at(json_array_get(rules, 2), "id"), "github-pat");
	assert_int_equal(json_array_size(json_object_get(run, "results")), 3);
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__result_fields(void **state)
{
	struct fixture fx;
	const json_t *run, *results, *r, *locs, *phys, *region, *rules;
	json_t *root;
	size_t i;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(fixture_add_all(&fx), 0);
	root = render_sarif(&fx);
	run = the_run(root);
	results = json_object_get(run, "results");
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");

	/* Results follow the sorted findings: conf/, dir with space/, src/. */
	r = json_array_get(results, 2);
	assert_string_equal(str_at(r, "ruleId"), "github-pat");
	assert_string_equal(str_at(r, "level"), "error");
	assert_string_equal(str_at(r, "message.text"),
			    "GitHub personal access token (classic): ghp_Zq...(redacted)");
	assert_string_equal(str_at(r, "partialFingerprints.pushgate/v1"), fx.findings.items[2].fingerprint);
	locs = json_object_get(r, "locations");
	assert_true(json_is_array(locs));
	assert_int_equal(json_array_size(locs), 1);
	phys = json_object_get(json_array_get(locs, 0), "physicalLocation");
	assert_string_equal(str_at(phys, "artifactLocation.uri"), "src/a.py");
	assert_string_equal(str_at(phys, "artifactLocation.uriBaseId"), "%SRCROOT%");
	region = json_object_get(phys, "region");
	assert_int_equal(int_at(region, "startLine"), 12);
	assert_int_equal(int_at(region, "startColumn"), 9);

	r = json_array_get(results, 1);
	phys = json_object_get(json_array_get(json_object_get(r, "locations"), 0), "physicalLocation");
	assert_string_equal(str_at(phys, "artifactLocation.uri"), "dir%20with%20space/%C3%BC%231.txt");
	assert_string_equal(str_at(r, "level"), "error");

	r = json_array_get(results, 0);
	assert_string_equal(str_at(r, "level"), "note");
	assert_string_equal(str_at(r, "message.text"), "Password \"assigned\" in code: s3cr\xc3\xa9...(redacted)");

	/* ruleIndex points at the driver rule with the same id. */
	for (i = 0; i < json_array_size(results); i++) {
		r = json_array_get(results, i);
		assert_string_equal(str_at(json_array_get(rules, (size_t)int_at(r, "ruleIndex")), "id"),
				    str_at(r, "ruleId"));
	}
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__confidence_sets_rank(void **state)
{
	struct fixture fx;
	const json_t *results, *r;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(fixture_add_all(&fx), 0);
	/* Sorted: conf/ (0), dir with space/ (1), src/ (2, github-pat, high severity). */
	fx.findings.items[2].confidence = PG_CONFIDENCE_LOW;
	fx.findings.items[2].lowered = PG_LOWERED_TEST_PATH | PG_LOWERED_PLACEHOLDER;
	fx.findings.items[1].confidence = PG_CONFIDENCE_MEDIUM;
	root = render_sarif(&fx);
	results = json_object_get(the_run(root), "results");
	r = json_array_get(results, 2);
	assert_true(json_real_value(json_object_get(r, "rank")) < 50.0);
	assert_string_equal(str_at(r, "properties.confidence"), "low");
	assert_string_equal(str_at(r, "properties.loweredBecause"), "test path, placeholder value");
	r = json_array_get(results, 1);
	assert_true(json_real_value(json_object_get(r, "rank")) > 50.0);
	assert_true(json_real_value(json_object_get(r, "rank")) < 80.0);
	assert_string_equal(str_at(r, "properties.confidence"), "medium");
	assert_null(json_object_get(json_object_get(r, "properties"), "loweredBecause"));
	r = json_array_get(results, 0);
	assert_string_equal(str_at(r, "properties.confidence"), "high");
	assert_true(json_real_value(json_object_get(r, "rank")) > 80.0);
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__level_from_severity_low_confidence_one_lower(void **state)
{
	static const struct {
		enum pg_rule_severity severity;
		const char *rule_level, *levels[PG_CONFIDENCE_LEVELS]; /* high, medium, low */
	} cases[] = {
		{ PG_RULE_CRITICAL, "error", { "error", "error", "warning" } },
		{ PG_RULE_HIGH, "error", { "error", "error", "warning" } },
		{ PG_RULE_MEDIUM, "warning", { "warning", "warning", "note" } },
		{ PG_RULE_LOW, "note", { "note", "note", "note" } },
	};
	const json_t *run, *rule;
	struct fixture fx;
	json_t *root;
	size_t i, c;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "a", NULL, 1, 1,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (c = 0; c < PG_CONFIDENCE_LEVELS; c++) {
			fx.rules[0].severity = cases[i].severity;
			fx.findings.items[0].confidence = (enum pg_confidence)c;
			root = render_sarif(&fx);
			run = the_run(root);
			rule = json_array_get(json_object_get(json_object_get(json_object_get(run, "tool"),
									     "driver"), "rules"), 0);
			assert_string_equal(str_at(rule, "defaultConfiguration.level"), cases[i].rule_level);
			assert_string_equal(str_at(json_array_get(json_object_get(run, "results"), 0), "level"),
					    cases[i].levels[c]);
			json_decref(root);
		}
	}
	fixture_release(&fx);
}

static void test_report_sarif__rule_help_tags_and_security_severity(void **state)
{
	static const char *const want_severity[] = { "9.5", "3.0", "8.0" }; /* by id: aws, generic, github */
	const json_t *rules, *rule, *tags;
	struct fixture fx;
	json_t *root;
	const char *s;
	size_t i;

	(void)state;
	fixture_init(&fx);
	fx.rules[2].confidence = PG_CONFIDENCE_LOW;
	assert_int_equal(fixture_add_all(&fx), 0);
	root = render_sarif(&fx);
	rules = json_object_get(json_object_get(json_object_get(the_run(root), "tool"), "driver"), "rules");
	for (i = 0; i < json_array_size(rules); i++) {
		rule = json_array_get(rules, i);
		s = str_at(rule, "fullDescription.text");
		assert_non_null(strstr(s, str_at(rule, "shortDescription.text")));
		assert_non_null(strstr(s, str_at(rule, "id")));
		s = str_at(rule, "help.text");
		assert_non_null(strstr(s, "rotate the credential"));
		assert_non_null(strstr(s, "pushgate:allow"));
		assert_non_null(strstr(str_at(rule, "help.markdown"), "`pushgate:allow`"));
		tags = json_object_get(json_object_get(rule, "properties"), "tags");
		assert_int_equal(json_array_size(tags), 2);
		assert_string_equal(json_string_value(json_array_get(tags, 0)), "security");
		assert_string_equal(json_string_value(json_array_get(tags, 1)), "secret");
		assert_string_equal(str_at(rule, "properties.security-severity"), want_severity[i]);
	}
	assert_string_equal(str_at(json_array_get(rules, 0), "properties.precision"), "high");
	assert_string_equal(str_at(json_array_get(rules, 1), "properties.precision"), "low");
	/* A rules file's description is escaped as the short one is. */
	assert_string_equal(str_at(json_array_get(rules, 1), "fullDescription.text"),
			    "Password \"assigned\" in code (pushgate rule generic-password, severity "
			    "low): anyone who can read the repository, a clone of it or its history "
			    "can use this credential.");
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__git_finding_carries_its_commit(void **state)
{
	static const char commit[] = "0123456789abcdef0123456789abcdef01234567";
	const json_t *results, *r, *fps;
	struct fixture fx;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "a.py", commit, 3, 1,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "b.py", NULL, 3, 1,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	pg_findings_sort(&fx.findings);
	root = render_sarif(&fx);
	results = json_object_get(the_run(root), "results");
	r = json_array_get(results, 0);
	assert_string_equal(str_at(r, "properties.commit"), commit);
	fps = json_object_get(r, "partialFingerprints");
	assert_int_equal(json_object_size(fps), 2);
	assert_string_equal(str_at(fps, "pushgate/v1"), fx.findings.items[0].fingerprint);
	assert_string_equal(str_at(fps, "commitSha/v1"), commit);
	/* Outside git: no commit anywhere. */
	r = json_array_get(results, 1);
	assert_null(json_object_get(json_object_get(r, "properties"), "commit"));
	fps = json_object_get(r, "partialFingerprints");
	assert_int_equal(json_object_size(fps), 1);
	assert_string_equal(str_at(fps, "pushgate/v1"), fx.findings.items[1].fingerprint);
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__rule_listed_once(void **state)
{
	struct fixture fx;
	const json_t *run, *rules;
	json_t *root;
	int i;

	(void)state;
	fixture_init(&fx);
	for (i = 0; i < 5; i++)
		assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "a", NULL, (size_t)i + 1, 1,
						 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	pg_findings_sort(&fx.findings);
	root = render_sarif(&fx);
	run = the_run(root);
	rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), 1);
	assert_int_equal(json_array_size(json_object_get(run, "results")), 5);
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__empty_run(void **state)
{
	struct fixture fx;
	const json_t *run;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	root = render_sarif(&fx);
	run = the_run(root);
	assert_int_equal(json_array_size(json_object_get(run, "results")), 0);
	assert_int_equal(json_array_size(json_object_get(json_object_get(json_object_get(run, "tool"),
									 "driver"), "rules")), 0);
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__stdin_and_weird_paths(void **state)
{
	struct fixture fx;
	const json_t *results, *art;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[1], "-", NULL, 1, 1,
					 FIXTURE_AWS, strlen(FIXTURE_AWS)), 0);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[1], "x\xff?y%z", NULL, 1, 1,
					 FIXTURE_AWS, strlen(FIXTURE_AWS)), 0);
	pg_findings_sort(&fx.findings);
	root = render_sarif(&fx);
	results = json_object_get(the_run(root), "results");
	art = json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(results, 0),
									   "locations"), 0),
					      "physicalLocation"), "artifactLocation");
	assert_string_equal(str_at(art, "uri"), "-");
	assert_null(json_object_get(art, "uriBaseId"));
	art = json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(results, 1),
									   "locations"), 0),
					      "physicalLocation"), "artifactLocation");
	assert_string_equal(str_at(art, "uri"), "x%FF%3Fy%25z");
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_sarif__baseline_round_trip(void **state)
{
	static const char commit[] = "89abcdef0123456789abcdef0123456789abcdef";
	struct pg_baseline baseline = { 0 };
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(fixture_add_all(&fx), 0);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "z.py", commit, 1, 1,
					 FIXTURE_AWS, strlen(FIXTURE_AWS)), 0);
	/* Filtering is the same whatever the format; the JSON test checks it. */
	fixture_baseline_round_trip(&baseline, PG_REPORT_SARIF, &fx);
	pg_baseline_clear(&baseline);
	fixture_release(&fx);
}

#define FP_A "0123456789abcdef0123456789abcdef01234567"
#define FP_B "fedcba9876543210fedcba9876543210fedcba98"
#define RUN_OF(tool, results) "{\"tool\": {\"driver\": {\"name\": \"" tool "\"}}, \"results\": " results "}"
#define RESULT(fp) "{\"partialFingerprints\": {\"pushgate/v1\": \"" fp "\"}}"
#define SARIF(runs) "{\"version\": \"2.1.0\", \"runs\": [" runs "]}"

static void test_report_sarif__baseline_rejects_malformed(void **state)
{
	static const struct {
		const char *data, *message;
	} bad[] = {
		{ "{\"runs\": []}", "not version \"2.1.0\"" },
		{ "{\"version\": \"2.0.0\", \"runs\": [" RUN_OF("pushgate", "[]") "]}", "not version" },
		{ "{\"version\": \"2.1.0\", \"runs\": {}}", "neither" },
		{ SARIF(""), "no run of pushgate" },
		{ SARIF(RUN_OF("gitleaks", "[]")), "no run of pushgate" },
		{ SARIF("1"), "run 1 is not an object" },
		{ SARIF("{\"tool\": {\"driver\": {\"name\": \"pushgate\"}}}"), "run 1 has no \"results\"" },
		{ SARIF(RUN_OF("pushgate", "{}")), "run 1 has no \"results\"" },
		{ SARIF(RUN_OF("pushgate", "[" RESULT(FP_A) ", {}]")), "run 1 result 2 has no valid" },
		{ SARIF(RUN_OF("gitleaks", "[]") ", " RUN_OF("pushgate", "[1]")), "run 2 result 1 has no valid" },
		{ SARIF(RUN_OF("pushgate", "[" RESULT("abc") "]")), "result 1 has no valid" },
		{ SARIF(RUN_OF("pushgate", "[" RESULT("FEDCBA9876543210FEDCBA9876543210FEDCBA98") "]")),
		  "has no valid partialFingerprints \"pushgate/v1\"" },
		{ SARIF(RUN_OF("pushgate", "[{\"partialFingerprints\": {\"other/v1\": \"" FP_A "\"}}]")),
		  "result 1 has no valid" },
	};
	static const char merged[] = SARIF(RUN_OF("pushgate", "[" RESULT(FP_A) "]") ", "
					   RUN_OF("gitleaks", "[{}]") ", "
					   RUN_OF("pushgate", "[" RESULT(FP_B) "]"));
	struct pg_baseline baseline = { 0 };
	char path[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_write_temp(path, bad[i].data, strlen(bad[i].data));
		assert_int_equal(pg_baseline_load(&baseline, path), PG_EINVAL);
		assert_non_null(strstr(pg_error_last(), path));
		if (!strstr(pg_error_last(), bad[i].message))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, pg_error_last(),
				 bad[i].message);
		assert_int_equal(baseline.len, 0);
		assert_null(baseline.fingerprints);
		unlink(path);
	}
	/* Another tool's runs in a merged file are skipped, pushgate's all read. */
	fixture_write_temp(path, merged, strlen(merged));
	assert_int_equal(pg_baseline_load(&baseline, path), 0);
	assert_int_equal(baseline.len, 2);
	assert_true(pg_baseline_contains(&baseline, FP_A));
	assert_true(pg_baseline_contains(&baseline, FP_B));
	pg_baseline_clear(&baseline);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_sarif__document_shape),
		cmocka_unit_test(test_report_sarif__result_fields),
		cmocka_unit_test(test_report_sarif__confidence_sets_rank),
		cmocka_unit_test(test_report_sarif__level_from_severity_low_confidence_one_lower),
		cmocka_unit_test(test_report_sarif__rule_help_tags_and_security_severity),
		cmocka_unit_test(test_report_sarif__git_finding_carries_its_commit),
		cmocka_unit_test(test_report_sarif__rule_listed_once),
		cmocka_unit_test(test_report_sarif__empty_run),
		cmocka_unit_test(test_report_sarif__stdin_and_weird_paths),
		cmocka_unit_test(test_report_sarif__baseline_round_trip),
		cmocka_unit_test(test_report_sarif__baseline_rejects_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
