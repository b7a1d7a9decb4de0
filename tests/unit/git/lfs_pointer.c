/*
 * Unit tests for pg_blob_is_lfs_pointer() and pg_blob_is_binary()
 * (git/blob_diff.c): only a whole, well-formed pointer is skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "git/blob_diff.h"

#define V "version https://git-lfs.github.com/spec/v1\n"
#define OID "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
#define EXT "ext-0-foo sha256:0000000000000000000000000000000000000000000000000000000000000001\n"

static bool is_pointer(const char *s)
{
	return pg_blob_is_lfs_pointer(s, strlen(s));
}

static void test_scanners_lfs_pointer__well_formed(void **state)
{
	(void)state;
	assert_true(is_pointer(V OID "size 12345\n"));
	assert_true(is_pointer(V EXT OID "size 0\n"));
	assert_true(is_pointer(V EXT EXT OID "size 1\n"));
}

static void test_scanners_lfs_pointer__anything_more_is_content(void **state)
{
	static const char *const bad[] = {
		V "token = \"ghp_R8xw2Lq9ZtB4mNc7Vy1Kd3Hs6Pf0Jg5Ue2Ta\"\n",
		V OID "size 12\nkey = abc\n",                 /* a line after size */
		V OID "size 12",                               /* no final newline */
		V OID "size 12\n\n",
		"key=1\n" V OID "size 12\n",                   /* a line before version */
		V "oid sha256:4d7a\nsize 12\n",                /* short oid */
		V "oid sha256:4D7A214614AB2935C943F9E0FF69D22EADBB8F32B1258DAAA5E2CA24D17E2393\nsize 1\n",
		V OID "size 12a\n",
		V OID "size -1\n",
		V "size 12\n" OID,                             /* out of order */
		V OID EXT "size 12\n",                         /* extension after oid */
		V "ext-0-foo sha256:abc\n" OID "size 1\n",     /* short extension hash */
		V "ext-x-foo sha256:0000000000000000000000000000000000000000000000000000000000000001\n" OID "size 1\n",
		"version https://git-lfs.github.com/spec/v2\n" OID "size 1\n",
		V OID " size 12\n",
		V,
		"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (is_pointer(bad[i]))
			fail_msg("taken for a pointer: case %zu", i);
	/* A NUL inside is not a pointer either. */
	assert_false(pg_blob_is_lfs_pointer(V OID "size 1\n\0", sizeof(V OID "size 1\n")));
}

static void test_scanners_lfs_pointer__size_bound(void **state)
{
	char buf[1100];
	size_t n;

	(void)state;
	n = (size_t)snprintf(buf, sizeof(buf), "%s", V);
	while (n + sizeof(EXT) < 1000)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s", EXT);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", OID, "size 1\n");
	assert_true(n >= 1024);
	assert_false(pg_blob_is_lfs_pointer(buf, n));
}

static void test_scanners_lfs_pointer__binary_as_git_decides(void **state)
{
	char buf[9000];

	(void)state;
	memset(buf, 'a', sizeof(buf));
	assert_false(pg_blob_is_binary(buf, sizeof(buf)));
	buf[7999] = '\0';
	assert_true(pg_blob_is_binary(buf, sizeof(buf)));
	buf[7999] = 'a';
	buf[8000] = '\0';
	assert_false(pg_blob_is_binary(buf, sizeof(buf)));
	assert_true(pg_blob_is_binary("\0", 1));
	assert_false(pg_blob_is_binary("", 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_lfs_pointer__well_formed),
		cmocka_unit_test(test_scanners_lfs_pointer__anything_more_is_content),
		cmocka_unit_test(test_scanners_lfs_pointer__size_bound),
		cmocka_unit_test(test_scanners_lfs_pointer__binary_as_git_decides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
