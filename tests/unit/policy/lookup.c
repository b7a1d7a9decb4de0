/*
 * Unit tests for pg_policy_load_effective(): the lookup order (--config,
 * $PUSHGATE_CONFIG, $GIT_DIR/pushgate.yml, the system file, the default),
 * and that a missing file found by lookup falls through while an
 * unreadable or invalid one is an error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "policy/policy.h"

#define SYSTEM_POLICY "/etc/pushgate/policy.yml"

struct fixture {
	char dir[64];        /* temporary directory, removed afterwards */
	char git_dir[128];   /* dir/repo.git */
	char repo_file[192]; /* dir/repo.git/pushgate.yml */
	char config[128];    /* dir/config.yml */
	char env[128];       /* dir/env.yml */
};

/* A policy whose only branch rule matches `marker`, so tests can tell files apart. */
static void write_policy(const char *path, const char *marker)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fprintf(f, "version: 1\nbranches:\n  - match: '%s'\n    create: deny\n", marker);
	assert_int_equal(fclose(f), 0);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/pushgate-lookup.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->git_dir, sizeof(fx->git_dir), "%s/repo.git", fx->dir);
	snprintf(fx->repo_file, sizeof(fx->repo_file), "%s/pushgate.yml", fx->git_dir);
	snprintf(fx->config, sizeof(fx->config), "%s/config.yml", fx->dir);
	snprintf(fx->env, sizeof(fx->env), "%s/env.yml", fx->dir);
	if (mkdir(fx->git_dir, 0700) < 0) {
		rmdir(fx->dir);
		free(fx);
		return -1;
	}
	unsetenv("PUSHGATE_CONFIG");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	const char *names[] = { fx->repo_file, fx->config, fx->env };
	size_t i;

	unsetenv("PUSHGATE_CONFIG");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (unlink(names[i]) < 0)
			rmdir(names[i]);
	rmdir(fx->git_dir);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* The fall-through to the default can only be seen on a machine without a system policy. */
static void skip_if_system_policy(void)
{
	struct stat st;

	if (lstat(SYSTEM_POLICY, &st) == 0)
		skip();
}

static struct pg_policy *effective_ok(const char *config, const char *git_dir)
{
	struct pg_policy *p = NULL;
	int error = pg_policy_load_effective(&p, config, git_dir);

	if (error < 0)
		print_error("unexpected error: %s\n", pg_error_last());
	assert_int_equal(error, 0);
	assert_non_null(p);
	return p;
}

static void assert_from(struct pg_policy *p, const char *source, const char *marker)
{
	assert_string_equal(p->source, source);
	assert_int_equal(p->branches_len, 1);
	assert_string_equal(p->branches[0].match, marker);
	pg_policy_free(p);
}

static void test_policy_lookup__config_wins(void **state)
{
	struct fixture *fx = *state;

	write_policy(fx->config, "from-config");
	write_policy(fx->env, "from-env");
	write_policy(fx->repo_file, "from-repo");
	assert_int_equal(setenv("PUSHGATE_CONFIG", fx->env, 1), 0);
	assert_from(effective_ok(fx->config, fx->git_dir), fx->config, "from-config");
}

static void test_policy_lookup__env_wins_over_git_dir(void **state)
{
	struct fixture *fx = *state;

	write_policy(fx->env, "from-env");
	write_policy(fx->repo_file, "from-repo");
	assert_int_equal(setenv("PUSHGATE_CONFIG", fx->env, 1), 0);
	assert_from(effective_ok(NULL, fx->git_dir), fx->env, "from-env");
}

static void test_policy_lookup__git_dir_file_used(void **state)
{
	struct fixture *fx = *state;
	char slashed[160];

	write_policy(fx->repo_file, "from-repo");
	assert_from(effective_ok(NULL, fx->git_dir), fx->repo_file, "from-repo");
	snprintf(slashed, sizeof(slashed), "%s/", fx->git_dir);
	assert_from(effective_ok(NULL, slashed), fx->repo_file, "from-repo");
}

static void test_policy_lookup__empty_env_is_unset(void **state)
{
	struct fixture *fx = *state;

	write_policy(fx->repo_file, "from-repo");
	assert_int_equal(setenv("PUSHGATE_CONFIG", "", 1), 0);
	assert_from(effective_ok(NULL, fx->git_dir), fx->repo_file, "from-repo");
}

static void test_policy_lookup__default_when_nothing_found(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p;

	skip_if_system_policy();
	p = effective_ok(NULL, fx->git_dir);
	assert_string_equal(p->source, "<default>");
	assert_int_equal(p->branches_len, 6);
	pg_policy_free(p);
	p = effective_ok(NULL, NULL);
	assert_string_equal(p->source, "<default>");
	pg_policy_free(p);
}

static void test_policy_lookup__missing_git_dir_falls_through(void **state)
{
	struct fixture *fx = *state;
	char missing[160];
	struct pg_policy *p;

	skip_if_system_policy();
	snprintf(missing, sizeof(missing), "%s/no-such.git", fx->dir);
	p = effective_ok(NULL, missing);
	assert_string_equal(p->source, "<default>");
	pg_policy_free(p);
}

static void test_policy_lookup__config_missing_is_error(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	write_policy(fx->repo_file, "from-repo");
	assert_int_equal(pg_policy_load_effective(&p, fx->config, fx->git_dir), PG_ENOTFOUND);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), "config.yml"));
	assert_non_null(strstr(pg_error_last(), "--config"));
}

static void test_policy_lookup__env_missing_is_error(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	write_policy(fx->repo_file, "from-repo");
	assert_int_equal(setenv("PUSHGATE_CONFIG", fx->env, 1), 0);
	assert_int_equal(pg_policy_load_effective(&p, NULL, fx->git_dir), PG_ENOTFOUND);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), "env.yml"));
	assert_non_null(strstr(pg_error_last(), "PUSHGATE_CONFIG"));
}

/* chmod 000 does not stop root, so a directory stands in for an unreadable file. */
static void test_policy_lookup__unreadable_git_dir_file_is_error(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	assert_int_equal(mkdir(fx->repo_file, 0700), 0);
	assert_int_equal(pg_policy_load_effective(&p, NULL, fx->git_dir), PG_EIO);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), fx->repo_file));
}

static void test_policy_lookup__unreadable_config_is_error(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	assert_int_equal(mkdir(fx->config, 0700), 0);
	assert_int_equal(pg_policy_load_effective(&p, fx->config, NULL), PG_EIO);
	assert_null(p);
	assert_int_equal(mkdir(fx->env, 0700), 0);
	assert_int_equal(setenv("PUSHGATE_CONFIG", fx->env, 1), 0);
	assert_int_equal(pg_policy_load_effective(&p, NULL, NULL), PG_EIO);
	assert_null(p);
}

static void test_policy_lookup__dangling_symlink_is_error(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	assert_int_equal(symlink("/nonexistent/pushgate.yml", fx->repo_file), 0);
	assert_int_equal(pg_policy_load_effective(&p, NULL, fx->git_dir), PG_EIO);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), "repo.git/pushgate.yml"));
}

static void test_policy_lookup__invalid_git_dir_file_is_error(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	write_text(fx->repo_file, "version: 1\nbranches:\n  - match: main\n    create: no\n");
	assert_int_equal(pg_policy_load_effective(&p, NULL, fx->git_dir), PG_EINVAL);
	assert_null(p);
	assert_memory_equal(pg_error_last(), fx->repo_file, strlen(fx->repo_file));
	assert_non_null(strstr(pg_error_last(), "pushgate.yml:4:13: create must be allow or deny"));
}

static void test_policy_lookup__invalid_config_does_not_fall_through(void **state)
{
	struct fixture *fx = *state;
	struct pg_policy *p = NULL;

	write_text(fx->config, "version: 1\nbogus: 1\n");
	write_policy(fx->repo_file, "from-repo");
	assert_int_equal(pg_policy_load_effective(&p, fx->config, fx->git_dir), PG_EINVAL);
	assert_null(p);
	assert_non_null(strstr(pg_error_last(), "config.yml:2:1: unknown key 'bogus'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_policy_lookup__config_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__env_wins_over_git_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__git_dir_file_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__empty_env_is_unset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__default_when_nothing_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__missing_git_dir_falls_through, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__config_missing_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__env_missing_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__unreadable_git_dir_file_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__unreadable_config_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__dangling_symlink_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__invalid_git_dir_file_is_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_policy_lookup__invalid_config_does_not_fall_through, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
