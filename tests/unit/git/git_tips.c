/*
 * Unit tests for git/git_tips.c: branch and tag tips read from
 * loose refs and packed-refs as git lays them out, a loose ref
 * overriding its packed entry, and everything else (other namespaces,
 * peeled lines, symbolic refs, odd lines) counting as "not a tip".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <git2.h>

#include "git/git_tips.h"

#define X "1111111111111111111111111111111111111111"
#define Y "2222222222222222222222222222222222222222"
#define Z "3333333333333333333333333333333333333333"
#define T "abcdefabcdefabcdefabcdefabcdefabcdefabcd"
#define P "4444444444444444444444444444444444444444"

struct fixture {
	char dir[80];     /* the common directory, '/'-terminated */
	char made[64];
	char files[32][160];
	size_t nfiles;
};

static void put(struct fixture *fx, const char *name, const char *content)
{
	char path[160], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", fx->dir, name);
	for (slash = path + strlen(fx->dir); (slash = strchr(slash, '/')); slash++) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(content, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_true(fx->nfiles < 32);
	snprintf(fx->files[fx->nfiles++], sizeof(fx->files[0]), "%s", path);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->made, sizeof(fx->made), "/tmp/pg-tips.XXXXXX");
	if (!mkdtemp(fx->made))
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/", fx->made);
	*state = fx;
	return 0;
}

static void remove_dirs(char *path, size_t keep)
{
	char *slash;

	while ((slash = strrchr(path, '/')) && (size_t)(slash - path) >= keep) {
		*slash = '\0';
		rmdir(path);
	}
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	size_t i, keep = strlen(fx->dir);

	for (i = 0; i < fx->nfiles; i++) {
		unlink(fx->files[i]);
		remove_dirs(fx->files[i], keep);
	}
	rmdir(fx->made);
	free(fx);
	return 0;
}

/* Are all of the hex ids tips? */
static bool cover(struct fixture *fx, const char *a, const char *b)
{
	git_oid ids[2];
	size_t n = 0;
	bool all = false;

	assert_int_equal(git_oid_fromstr(&ids[n++], a), 0);
	if (b)
		assert_int_equal(git_oid_fromstr(&ids[n++], b), 0);
	assert_int_equal(pg_git_tips_cover(&all, fx->dir, ids, n), 0);
	return all;
}

static void test_scanners_git_tips__loose_and_packed(void **state)
{
	struct fixture *fx = *state;

	assert_false(cover(fx, X, NULL));
	put(fx, "refs/heads/feature/deep/x", X "\n");
	put(fx, "packed-refs", "# pack-refs with: peeled fully-peeled sorted \n"
	    Y " refs/tags/v1.0.0\n"
	    T " refs/tags/v2.0.0\n"
	    "^" Z "\n"
	    P " refs/pull/7/head\n");
	assert_true(cover(fx, X, NULL));
	assert_true(cover(fx, Y, NULL));
	assert_true(cover(fx, X, Y));
	assert_true(cover(fx, T, NULL));
	/* A peeled tag target and a pull-request head are not branch or tag tips. */
	assert_false(cover(fx, Z, NULL));
	assert_false(cover(fx, P, NULL));
	assert_false(cover(fx, X, Z));
}

static void test_scanners_git_tips__loose_overrides_packed(void **state)
{
	struct fixture *fx = *state;

	put(fx, "packed-refs", X " refs/heads/main\n" Y " refs/heads/develop\n");
	assert_true(cover(fx, X, Y));
	put(fx, "refs/heads/main", Z "\n");
	assert_false(cover(fx, X, NULL));
	assert_true(cover(fx, Z, Y));
}

static void test_scanners_git_tips__odd_store_reads_as_no(void **state)
{
	struct fixture *fx = *state;

	put(fx, "refs/heads/sym", "ref: refs/heads/main\n");
	put(fx, "refs/heads/upper", "ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD\n");
	put(fx, "refs/heads/short", "1111\n");
	put(fx, "refs/heads/trailing", X "junk\n");
	put(fx, "refs/heads/being-written.lock", T "\n");
	put(fx, "packed-refs", "\n\n" Y "\n" Y "refs/heads/nospace\n"
	    Z " refs/heads/\n" P " refs/headsX/a\n" "nothex" Y " refs/heads/b\n");
	assert_false(cover(fx, X, NULL));
	assert_false(cover(fx, T, NULL));
	assert_false(cover(fx, Y, NULL));
	assert_false(cover(fx, Z, NULL));
	assert_false(cover(fx, P, NULL));
	/* A well-formed tag next to all that still counts. */
	put(fx, "refs/tags/a", X "\n");
	assert_true(cover(fx, X, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scanners_git_tips__loose_and_packed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_git_tips__loose_overrides_packed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_git_tips__odd_store_reads_as_no, setup, teardown),
	};
	int rc;

	if (git_libgit2_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
