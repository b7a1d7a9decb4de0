/*
 * Unit tests for scanners/context.c and the confidence of findings:
 * what lowers a finding, by how much, and what is said about it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "scanners/context.h"

static void test_scanners_context__test_paths(void **state)
{
	static const char *const yes[] = {
		"test/conf.py", "src/tests/a.rb", "pkg/auth/login_test.go", "spec/models/user_spec.rb",
		"web/__tests__/api.js", "app/fixtures/users.yml", "x/src/test/java/a/LoginTest.java",
		"a/b.test.ts", "internal/testdata/k.pem", "test_settings.py", "cassettes/login.yaml",
	};
	static const char *const no[] = {
		"src/config.py", "contest/a.py", "latest/b.go", "attestation.go", "cmd/main.go",
		"deploy/prod.env",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(pg_context_path(yes[i]) & PG_LOWERED_TEST_PATH);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_int_equal(pg_context_path(no[i]), 0);
}

static void test_scanners_context__example_and_locale_paths(void **state)
{
	(void)state;
	assert_true(pg_context_path("examples/client.go") & PG_LOWERED_EXAMPLE);
	assert_true(pg_context_path(".env.example") & PG_LOWERED_EXAMPLE);
	assert_true(pg_context_path("config/app.yml.sample") & PG_LOWERED_EXAMPLE);
	assert_true(pg_context_path("web/locales/zh-CN.json") & PG_LOWERED_LOCALE);
	assert_true(pg_context_path("po/ja.po") & PG_LOWERED_LOCALE);
	assert_true(pg_context_path("src/i18n/messages.ts") & PG_LOWERED_LOCALE);
	assert_true(pg_context_path("lang/de.yml") & PG_LOWERED_LOCALE);
	assert_true(pg_context_path("res/messages_fr.properties") & PG_LOWERED_LOCALE);
	assert_true(pg_context_path("ja.json") & PG_LOWERED_LOCALE);
	assert_false(pg_context_path("config.json") & PG_LOWERED_LOCALE);
	assert_false(pg_context_path("db.yml") & PG_LOWERED_LOCALE);
	assert_false(pg_context_path("settings.json") & PG_LOWERED_LOCALE);
}

static unsigned int value(const char *s, bool password_rule)
{
	return pg_context_value(s, strlen(s), password_rule);
}

static void test_scanners_context__value_shapes(void **state)
{
	(void)state;
	assert_true(value("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", false) &
		    PG_LOWERED_HASH);
	assert_true(value("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g", false) &
		    PG_LOWERED_HASH);
	assert_true(value("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", true) &
		    PG_LOWERED_HASH);
	/* A bare hex digest is a hash only beside a password name: Bearer <hex> is a token. */
	assert_int_equal(value("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
			       false), 0);
	assert_true(value("a_very_important_secret", true) & PG_LOWERED_PLACEHOLDER);
	assert_true(value("###DB_PASS###", true) & PG_LOWERED_PLACEHOLDER);
	assert_true(value("xxxxxxxxxxxx", false) & PG_LOWERED_PLACEHOLDER);
	assert_true(value("\xe5\xaf\x86\xe7\xa0\x81", true) & PG_LOWERED_TEXT);
	assert_true(value("postgres", true) & PG_LOWERED_DEFAULT);
	assert_true(value("Guest", false) & PG_LOWERED_DEFAULT);
	assert_int_equal(value("Kq7wZr2m!x", true), 0);
	assert_int_equal(value("dGhpcyBpcyBub3QgYSBzZWNyZXQ", false), 0);
}

static void test_scanners_context__lowering_steps_and_reasons(void **state)
{
	struct pg_finding f = { 0 };
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);

	(void)state;
	f.confidence = PG_CONFIDENCE_HIGH;
	pg_finding_lower(&f, PG_LOWERED_TEST_PATH);
	assert_int_equal(f.confidence, PG_CONFIDENCE_MEDIUM);
	/* The same reason twice is one step. */
	pg_finding_lower(&f, PG_LOWERED_TEST_PATH);
	assert_int_equal(f.confidence, PG_CONFIDENCE_MEDIUM);
	pg_finding_lower(&f, PG_LOWERED_PLACEHOLDER);
	assert_int_equal(f.confidence, PG_CONFIDENCE_LOW);
	/* Low stays low, but the reason is still recorded. */
	pg_finding_lower(&f, PG_LOWERED_LOCALE);
	assert_int_equal(f.confidence, PG_CONFIDENCE_LOW);
	assert_int_equal(pg_finding_lowered_put(&b, f.lowered), 0);
	assert_string_equal(b.ptr, "test path, localisation file, placeholder value");
	pg_buf_release(&b);
	assert_string_equal(pg_confidence_name(PG_CONFIDENCE_MEDIUM), "medium");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_context__test_paths),
		cmocka_unit_test(test_scanners_context__example_and_locale_paths),
		cmocka_unit_test(test_scanners_context__value_shapes),
		cmocka_unit_test(test_scanners_context__lowering_steps_and_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
