/*
 * Unit tests for common/glob.c: the matcher behind branch and path globs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "common/glob.h"

static void test_common_glob__star_stays_in_component(void **state)
{
	(void)state;
	assert_true(pg_glob_match("feature/*", "feature/login"));
	assert_false(pg_glob_match("feature/*", "feature/a/b"));
	assert_false(pg_glob_match("feature/*", "feature"));
	assert_true(pg_glob_match("*", "main"));
	assert_false(pg_glob_match("*", "a/b"));
}

static void test_common_glob__double_star_crosses(void **state)
{
	(void)state;
	assert_true(pg_glob_match("**", "a/b/c"));
	assert_true(pg_glob_match("feature/**", "feature/a/b"));
	assert_true(pg_glob_match("**/vendor/**", "x/vendor/y.js"));
	assert_true(pg_glob_match("**/package-lock.json", "package-lock.json"));
	assert_true(pg_glob_match("a/**/b", "a/b"));
	assert_true(pg_glob_match("a/**/b", "a/x/y/b"));
	assert_false(pg_glob_match("a/**/b", "a/x/c"));
}

static void test_common_glob__classes_and_questions(void **state)
{
	(void)state;
	assert_true(pg_glob_match("v[0-9]*", "v1.2.3"));
	assert_false(pg_glob_match("v[0-9]*", "va"));
	assert_true(pg_glob_match("[!a]x", "bx"));
	assert_false(pg_glob_match("[!a]x", "ax"));
	assert_true(pg_glob_match("?ain", "main"));
	assert_false(pg_glob_match("a?b", "a/b"));
	assert_false(pg_glob_match("[a-z]", "/"));
}

static void test_common_glob__path_basename(void **state)
{
	(void)state;
	assert_true(pg_glob_match_path("*.pem", "keys/deep/a.pem"));
	assert_true(pg_glob_match_path("*.pem", "a.pem"));
	assert_false(pg_glob_match_path("keys/*.pem", "other/keys/a.pem"));
	assert_true(pg_glob_match_path("keys/*.pem", "keys/a.pem"));
}

static void test_common_glob__validity(void **state)
{
	(void)state;
	assert_true(pg_glob_valid("feature/*"));
	assert_false(pg_glob_valid("[abc"));
	assert_false(pg_glob_valid(""));
	assert_false(pg_glob_match("[abc", "a"));
}

static void test_common_glob__many_stars_stay_linear(void **state)
{
	static char name[100001];

	(void)state;
	/* Backtracking would take longer than the universe here; the automaton does not. */
	memset(name, 'a', sizeof(name) - 1);
	assert_false(pg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*b", name));
	assert_true(pg_glob_match("*a*a*a*a*a*a*a*a*a*a*a*a*", name));
	assert_false(pg_glob_match("**a**a**a**a**a**a**a**b", name));
}

static void test_common_glob__empty_and_edges(void **state)
{
	(void)state;
	assert_true(pg_glob_match("*", ""));
	assert_true(pg_glob_match("**", ""));
	assert_false(pg_glob_match("?", ""));
	assert_true(pg_glob_match("feature/**", "feature/"));
	assert_true(pg_glob_match("**/x", "x"));
	assert_true(pg_glob_match("**/x", "a/b/x"));
	assert_false(pg_glob_match("**/x", "ax"));
	assert_true(pg_glob_match("a\\*b", "a*b"));
	assert_false(pg_glob_match("a\\*b", "axb"));
	assert_true(pg_glob_match("v[0-9].[0-9]*", "v1.2.3"));
}

/* The shapes answered without the automaton agree with it (same expectations). */
static void test_common_glob__simple_shapes(void **state)
{
	(void)state;
	assert_true(pg_glob_match("**/package-lock.json", "package-lock.json"));
	assert_true(pg_glob_match("**/package-lock.json", "web/app/package-lock.json"));
	assert_false(pg_glob_match("**/package-lock.json", "web/xpackage-lock.json"));
	assert_false(pg_glob_match("**/package-lock.json", "package-lock.json.bak"));
	assert_true(pg_glob_match("*.min.js", "app.min.js"));
	assert_false(pg_glob_match("*.min.js", "js/app.min.js"));
	assert_true(pg_glob_match_path("*.min.js", "js/app.min.js"));
	assert_true(pg_glob_match("*.min.js", ".min.js"));
	assert_true(pg_glob_match("vendor/**", "vendor/a/b.go"));
	assert_true(pg_glob_match("vendor/**", "vendor/"));
	assert_false(pg_glob_match("vendor/**", "vendor"));
	assert_false(pg_glob_match("vendor/**", "vendors/a"));
	assert_true(pg_glob_match("**/vendor/**", "vendor/x"));
	assert_true(pg_glob_match("**/vendor/**", "a/b/vendor/x/y"));
	assert_false(pg_glob_match("**/vendor/**", "a/myvendor/x"));
	assert_false(pg_glob_match("**/vendor/**", "a/vendor"));
	assert_true(pg_glob_match("**/vendor/**", "a/vendor/"));
	assert_true(pg_glob_match("main", "main"));
	assert_false(pg_glob_match("main", "mainline"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_glob__star_stays_in_component),
		cmocka_unit_test(test_common_glob__double_star_crosses),
		cmocka_unit_test(test_common_glob__classes_and_questions),
		cmocka_unit_test(test_common_glob__path_basename),
		cmocka_unit_test(test_common_glob__validity),
		cmocka_unit_test(test_common_glob__many_stars_stay_linear),
		cmocka_unit_test(test_common_glob__empty_and_edges),
		cmocka_unit_test(test_common_glob__simple_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
