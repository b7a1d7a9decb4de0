/*
 * Unit tests for common/json.c: untrusted bytes always become a valid
 * JSON string, unchanged when they are valid UTF-8, and ownership of a
 * value passes to the document even when it cannot be added.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "common/error.h"
#include "common/json.h"

static void assert_text(const char *in, size_t len, const char *want)
{
	json_t *v = pg_json_text(in, len);

	assert_non_null(v);
	assert_int_equal(json_string_length(v), strlen(want));
	assert_memory_equal(json_string_value(v), want, strlen(want));
	json_decref(v);
}

static void test_common_json__valid_utf8_is_kept(void **state)
{
	(void)state;
	assert_text("src/a.py", 8, "src/a.py");
	assert_text("d\xc3\xa9j\xc3\xa0/\xe5\xaf\x86\xe7\xa0\x81", 13,
		    "d\xc3\xa9j\xc3\xa0/\xe5\xaf\x86\xe7\xa0\x81");
	assert_text("tab\there", 8, "tab\there"); /* JSON escapes it when dumped */
}

static void test_common_json__invalid_utf8_is_escaped(void **state)
{
	(void)state;
	assert_text("a\xff" "b", 3, "a\\xffb");
	assert_text("\xc3", 1, "\\xc3");         /* cut in the middle of a character */
	assert_text("x\xc0\xaf", 3, "x\\xc0\\xaf"); /* an overlong '/' */
}

static void test_common_json__set_and_append_take_ownership(void **state)
{
	json_t *obj = json_object(), *arr = json_array();

	(void)state;
	assert_int_equal(pg_json_set(obj, "k", json_string("v")), 0);
	assert_string_equal(json_string_value(json_object_get(obj, "k")), "v");
	assert_int_equal(pg_json_append(arr, json_integer(7)), 0);
	assert_int_equal(json_array_size(arr), 1);
	/* A failed constructor's NULL is out of memory, not a crash. */
	assert_int_equal(pg_json_set(obj, "n", NULL), PG_ENOMEM);
	assert_int_equal(pg_json_append(arr, NULL), PG_ENOMEM);
	assert_int_equal(json_array_size(arr), 1);
	json_decref(obj);
	json_decref(arr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_json__valid_utf8_is_kept),
		cmocka_unit_test(test_common_json__invalid_utf8_is_escaped),
		cmocka_unit_test(test_common_json__set_and_append_take_ownership),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
