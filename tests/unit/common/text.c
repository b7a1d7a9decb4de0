/*
 * Unit tests for common/text.c and common/buf.c: escaping, redaction,
 * entropy and buffer limits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"

static void test_common_text__escapes_terminal_controls(void **state)
{
	struct pg_buf b = PG_BUF_INIT(1024);

	(void)state;
	assert_int_equal(pg_buf_put_escaped(&b, "a\x1b[31mb\n\\", 9), 0);
	assert_string_equal(b.ptr, "a\\x1b[31mb\\n\\\\");
	pg_buf_clear(&b);
	/* C1 CSI (U+009B) as UTF-8, an invalid byte, and a valid e-acute. */
	assert_int_equal(pg_buf_puts_escaped(&b, "x\xc2\x9by\xff\xc3\xa9"), 0);
	assert_string_equal(b.ptr, "x\\xc2\\x9by\\xff\xc3\xa9");
	pg_buf_release(&b);
}

static void test_common_text__redaction_hides_most(void **state)
{
	struct pg_buf b = PG_BUF_INIT(1024);
	const char *secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

	(void)state;
	assert_int_equal(pg_buf_put_redacted(&b, secret, strlen(secret)), 0);
	assert_string_equal(b.ptr, "ghp_ab...(redacted)");
	pg_buf_clear(&b);
	assert_int_equal(pg_buf_put_redacted(&b, "hunter22", 8), 0);
	assert_string_equal(b.ptr, "hu...(redacted)");
	pg_buf_release(&b);
}

static void test_common_text__entropy(void **state)
{
	(void)state;
	assert_true(pg_text_entropy("aaaaaaaa", 8) < 0.001);
	assert_true(pg_text_entropy("abcdefgh", 8) > 2.99);
	assert_true(pg_text_entropy("", 0) == 0.0);
}

static void test_common_buf__limit_is_enforced(void **state)
{
	struct pg_buf b = PG_BUF_INIT(8);

	(void)state;
	assert_int_equal(pg_buf_puts(&b, "12345678"), 0);
	assert_int_equal(pg_buf_putc(&b, '9'), PG_ELIMIT);
	assert_int_equal(b.size, 8);
	assert_string_equal(b.ptr, "12345678");
	pg_buf_release(&b);
	assert_non_null(b.ptr);
	assert_int_equal(b.size, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_text__escapes_terminal_controls),
		cmocka_unit_test(test_common_text__redaction_hides_most),
		cmocka_unit_test(test_common_text__entropy),
		cmocka_unit_test(test_common_buf__limit_is_enforced),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
