/*
 * Unit tests for report/report_json.c: the JSON report read back field
 * by field with jansson, the baseline round trip, and that no secret
 * ever appears whole (checked for the text format too).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "common/error.h"
#include "fixture.h"

static json_t *render_json(const struct fixture *fx)
{
	json_error_t jerr;
	json_t *root;
	size_t len;
	char *data;
	int error;

	data = fixture_render(PG_REPORT_JSON, &fx->findings, &fx->stats, &len, &error);
	assert_int_equal(error, 0);
	assert_non_null(data);
	assert_true(len > 0 && data[len - 1] == '\n');
	assert_false(fixture_contains(data, len, FIXTURE_GITHUB));
	assert_false(fixture_contains(data, len, FIXTURE_AWS));
	assert_false(fixture_contains(data, len, "-value-0123456789"));
	root = json_loadb(data, len, 0, &jerr);
	free(data);
	assert_non_null(root);
	return root;
}

static const json_t *finding_at(const json_t *root, size_t i)
{
	const json_t *list = json_object_get(root, "findings");

	assert_true(json_is_array(list));
	assert_true(i < json_array_size(list));
	return json_array_get(list, i);
}

static void assert_str_field(const json_t *obj, const char *key, const char *want)
{
	const json_t *v = json_object_get(obj, key);

	assert_true(json_is_string(v));
	assert_string_equal(json_string_value(v), want);
}

static void assert_int_field(const json_t *obj, const char *key, json_int_t want)
{
	const json_t *v = json_object_get(obj, key);

	assert_true(json_is_integer(v));
	assert_int_equal(json_integer_value(v), want);
}

static void test_report_json__finding_fields(void **state)
{
	struct fixture fx;
	const json_t *f;
	json_t *root;
	char fp[41];

	(void)state;
	fixture_init(&fx);
	assert_int_equal(fixture_add_all(&fx), 0);
	root = render_json(&fx);
	assert_int_equal(json_array_size(json_object_get(root, "findings")), 3);

	/* Sorted by path: "conf/...", "dir with space/...", "src/a.py". */
	f = finding_at(root, 2);
	assert_int_equal(json_object_size(f), 10);
	assert_str_field(f, "rule", "github-pat");
	assert_str_field(f, "path", "src/a.py");
	assert_int_field(f, "line", 12);
	assert_int_field(f, "column", 9);
	assert_true(json_is_null(json_object_get(f, "commit")));
	assert_str_field(f, "secret", "ghp_Zq...(redacted)");
	assert_int_equal(pg_finding_fingerprint(fp, "github-pat", "src/a.py", FIXTURE_GITHUB,
						strlen(FIXTURE_GITHUB)), 0);
	assert_str_field(f, "fingerprint", fp);
	assert_str_field(f, "description", "GitHub personal access token (classic)");
	assert_str_field(f, "severity", "high");

	f = finding_at(root, 1);
	assert_str_field(f, "rule", "aws-access-key-id");
	assert_str_field(f, "path", "dir with space/\xc3\xbc#1.txt");
	assert_str_field(f, "secret", "AKIAZ...(redacted)");
	assert_str_field(f, "severity", "critical");

	f = finding_at(root, 0);
	assert_str_field(f, "rule", "generic-password");
	assert_str_field(f, "secret", "s3cr\xc3\xa9...(redacted)");
	assert_str_field(f, "description", "Password \"assigned\" in code");
	assert_str_field(f, "severity", "low");
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_json__stats(void **state)
{
	const uint64_t hits[3] = { 0, 7, 0 };
	struct fixture fx;
	const json_t *st, *sk, *lh;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	fx.stats.rules = &fx.set;
	assert_int_equal(pg_scan_stats_add_limit_hits(&fx.stats, hits, 3), 0);
	assert_int_equal(pg_scan_stats_add_limit_hits(&fx.stats, hits, 3), 0);
	root = render_json(&fx);
	assert_int_equal(json_array_size(json_object_get(root, "findings")), 0);
	st = json_object_get(root, "stats");
	assert_true(json_is_object(st));
	assert_int_field(st, "files", 3);
	assert_int_field(st, "bytes", 12345);
	assert_true(json_is_real(json_object_get(st, "seconds")));
	assert_true(json_real_value(json_object_get(st, "seconds")) == 0.25);
	sk = json_object_get(st, "skipped");
	assert_int_field(sk, "binary", 1);
	assert_int_field(sk, "unreadable", 2);
	assert_int_field(sk, "symlink", 3);
	assert_int_field(sk, "too_large", 4);
	lh = json_object_get(st, "limit_hits");
	assert_true(json_is_object(lh));
	assert_int_equal(json_object_size(lh), 1);
	assert_int_field(lh, "aws-access-key-id", 14);
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_json__no_limit_hits_no_key(void **state)
{
	struct fixture fx;
	const json_t *stats;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	root = render_json(&fx);
	stats = json_object_get(root, "stats");
	assert_true(json_is_object(stats));
	assert_null(json_object_get(stats, "limit_hits"));
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_json__commit_and_bad_utf8_path(void **state)
{
	struct fixture fx;
	const json_t *f;
	json_t *root;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "bad\xff\x1b.txt",
					 "0123456789abcdef0123456789abcdef01234567", 2, 3,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	root = render_json(&fx);
	f = finding_at(root, 0);
	assert_str_field(f, "path", "bad\\xff\\x1b.txt");
	assert_str_field(f, "commit", "0123456789abcdef0123456789abcdef01234567");
	json_decref(root);
	fixture_release(&fx);
}

static void test_report_json__text_never_shows_secret(void **state)
{
	struct fixture fx;
	size_t len;
	char *data;
	int error;

	(void)state;
	fixture_init(&fx);
	assert_int_equal(fixture_add_all(&fx), 0);
	data = fixture_render(PG_REPORT_TEXT, &fx.findings, &fx.stats, &len, &error);
	assert_int_equal(error, 0);
	assert_non_null(data);
	assert_false(fixture_contains(data, len, FIXTURE_GITHUB));
	assert_false(fixture_contains(data, len, FIXTURE_AWS));
	assert_false(fixture_contains(data, len, "-value-0123456789"));
	assert_false(fixture_contains(data, len, "\x1b"));
	assert_true(fixture_contains(data, len,
				     "src/a.py:12:9: github-pat: ghp_Zq...(redacted) "
				     "(GitHub personal access token (classic)) [confidence: high]\n"));
	assert_true(fixture_contains(data, len, "3 findings in 3 files (scanned 3 files, 12345 bytes"));
	assert_true(fixture_contains(data, len, "skipped 1 binary, 2 unreadable, 3 symlink, 4 too large)\n"));
	free(data);
	fixture_release(&fx);
}

static void test_report_json__baseline_round_trip(void **state)
{
	struct pg_baseline baseline = { 0 };
	struct fixture fx;

	(void)state;
	fixture_init(&fx);
	/* The baseline holds the first two; a third finding appears later. */
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "src/a.py", NULL, 12, 9,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[1], "b.txt", NULL, 1, 1,
					 FIXTURE_AWS, strlen(FIXTURE_AWS)), 0);
	fixture_baseline_round_trip(&baseline, PG_REPORT_JSON, &fx);

	/* Same secret moved to another line: same fingerprint; other path: new. */
	pg_findings_clear(&fx.findings);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "src/a.py", NULL, 40, 1,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[0], "src/b.py", NULL, 12, 9,
					 FIXTURE_GITHUB, strlen(FIXTURE_GITHUB)), 0);
	assert_int_equal(pg_findings_add(&fx.findings, &fx.rules[1], "b.txt", NULL, 7, 7,
					 FIXTURE_AWS, strlen(FIXTURE_AWS)), 0);
	assert_int_equal(pg_baseline_filter(&baseline, &fx.findings), 2);
	assert_int_equal(fx.findings.len, 1);
	assert_string_equal(fx.findings.items[0].path, "src/b.py");
	pg_baseline_clear(&baseline);
	fixture_release(&fx);
}

static void test_report_json__baseline_rejects_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[]",
		"{\"stats\": {}}",
		"{\"findings\": {}}",
		"{\"findings\": [1]}",
		"{\"findings\": [{\"rule\": \"x\"}]}",
		"{\"findings\": [{\"fingerprint\": \"abc\"}]}",
		"{\"findings\": [{\"fingerprint\": \"ABCDEF0123456789ABCDEF0123456789ABCDEF01\"}]}",
		"{\"findings\": [{\"fingerprint\": 5}]}",
	};
	char path[] = "/tmp/pushgate-baseline.XXXXXX";
	struct pg_baseline baseline = { 0 };
	size_t i;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_write_file(path, bad[i], strlen(bad[i]));
		assert_int_equal(pg_baseline_load(&baseline, path), PG_EINVAL);
		assert_int_equal(baseline.len, 0);
		assert_null(baseline.fingerprints);
	}
	fixture_write_file(path, "{\"findings\": []}", 16);
	assert_int_equal(pg_baseline_load(&baseline, path), 0);
	assert_int_equal(baseline.len, 0);
	assert_false(pg_baseline_contains(&baseline, "0123456789abcdef0123456789abcdef01234567"));
	unlink(path);
	assert_int_equal(pg_baseline_load(&baseline, path), PG_ENOTFOUND);
}

static void test_report_json__fingerprint_is_salted_and_keyed(void **state)
{
	static const char input[] = "pushgate-fingerprint-v1\0github-pat\0x\0" FIXTURE_GITHUB;
	char a[41], b[41], c[41], d[41], want[41], plain[41];
	git_oid oid;

	(void)state;
	git_libgit2_init();
	assert_int_equal(pg_finding_fingerprint(a, "github-pat", "x", FIXTURE_GITHUB, 40), 0);
	assert_int_equal(pg_finding_fingerprint(b, "github-pat", "x", FIXTURE_GITHUB, 40), 0);
	assert_int_equal(pg_finding_fingerprint(c, "github-pat", "y", FIXTURE_GITHUB, 40), 0);
	assert_int_equal(pg_finding_fingerprint(d, "other", "x", FIXTURE_GITHUB, 40), 0);
	assert_int_equal(strlen(a), 40);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_string_not_equal(a, d);
	/* The documented input: salt, id, path and secret, NUL-separated, as a blob. */
	assert_int_equal(git_odb_hash(&oid, input, sizeof(input) - 1, GIT_OBJECT_BLOB), 0);
	git_oid_tostr(want, sizeof(want), &oid);
	assert_string_equal(a, want);
	assert_int_equal(git_odb_hash(&oid, FIXTURE_GITHUB, 40, GIT_OBJECT_BLOB), 0);
	git_oid_tostr(plain, sizeof(plain), &oid);
	assert_string_not_equal(a, plain);
	git_libgit2_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_json__finding_fields),
		cmocka_unit_test(test_report_json__stats),
		cmocka_unit_test(test_report_json__no_limit_hits_no_key),
		cmocka_unit_test(test_report_json__commit_and_bad_utf8_path),
		cmocka_unit_test(test_report_json__text_never_shows_secret),
		cmocka_unit_test(test_report_json__baseline_round_trip),
		cmocka_unit_test(test_report_json__baseline_rejects_malformed),
		cmocka_unit_test(test_report_json__fingerprint_is_salted_and_keyed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
