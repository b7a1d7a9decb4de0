/*
 * Unit tests for common/sha1.c: pg_sha1_blob() must give git's blob ids,
 * which earlier fingerprints and cache keys were computed with.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <git2.h>

#include "common/sha1.h"

static void assert_hex(const unsigned char digest[PG_SHA1_LEN], const char *hex)
{
	git_oid oid;
	char got[GIT_OID_HEXSZ + 1];

	memcpy(oid.id, digest, PG_SHA1_LEN);
	git_oid_tostr(got, sizeof(got), &oid);
	assert_string_equal(got, hex);
}

static void test_common_sha1__known_blob_ids(void **state)
{
	unsigned char d[PG_SHA1_LEN];

	(void)state;
	/* `git hash-object --stdin` of "" and of "hello\n". */
	pg_sha1_blob(d, "", 0);
	assert_hex(d, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	pg_sha1_blob(d, "hello\n", 6);
	assert_hex(d, "ce013625030ba8dba906f756967f9e9ca394464a");
}

/* Every length around the padding and block boundaries, and a large buffer. */
static void test_common_sha1__equals_libgit2(void **state)
{
	unsigned char d[PG_SHA1_LEN], *data;
	size_t sizes[] = { 1 << 20, 65536 + 7 }, len, i;
	git_oid oid;

	(void)state;
	data = malloc(1 << 20);
	assert_non_null(data);
	for (i = 0; i < 1 << 20; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	for (len = 0; len <= 300; len++) {
		pg_sha1_blob(d, data, len);
		assert_int_equal(git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB), 0);
		assert_memory_equal(d, oid.id, PG_SHA1_LEN);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pg_sha1_blob(d, data, sizes[i]);
		assert_int_equal(git_odb_hash(&oid, data, sizes[i], GIT_OBJECT_BLOB), 0);
		assert_memory_equal(d, oid.id, PG_SHA1_LEN);
	}
	free(data);
}

static void test_common_sha1__hex_round_trip(void **state)
{
	unsigned char id[PG_SHA1_LEN], back[PG_SHA1_LEN];
	char hex[PG_SHA1_HEX_LEN + 1], bad[PG_SHA1_HEX_LEN + 1];
	size_t i;

	(void)state;
	pg_sha1_blob(id, "x", 1);
	pg_sha1_hex(hex, id);
	assert_string_equal(hex, "c1b0730e0133447badcfd47fd144e254807b06e1");
	assert_true(pg_sha1_from_hex(back, hex));
	assert_memory_equal(id, back, PG_SHA1_LEN);
	/* Only git's spelling: 40 lower-case digits. */
	for (i = 0; i < PG_SHA1_HEX_LEN; i += 13) {
		memcpy(bad, hex, sizeof(bad));
		bad[i] = 'G';
		assert_false(pg_sha1_from_hex(back, bad));
		bad[i] = 'A';
		assert_false(pg_sha1_from_hex(back, bad));
	}
	assert_false(pg_sha1_from_hex(back, "c1b0730e"));
	assert_false(pg_sha1_from_hex(back, ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_common_sha1__known_blob_ids),
		cmocka_unit_test(test_common_sha1__equals_libgit2),
		cmocka_unit_test(test_common_sha1__hex_round_trip),
	};
	int rc;

	if (git_libgit2_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
