/*
 * Unit tests for hooks/hook_input.c: pre-receive lines (good, empty,
 * zero ids, every malformed form with its line number, very long refs,
 * many lines), the update hook's arguments, Gitea's environment and
 * push options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"
#include "hooks/hook_input.h"

#define ZERO "0000000000000000000000000000000000000000"
#define OLD  "1111111111111111111111111111111111111111"
#define NEW  "abcdef0123456789abcdef0123456789abcdef01"
#define NEW2 "0123456789abcdef0123456789abcdef01234567"
#define GOOD_LINE OLD " " NEW " refs/heads/main\n"

static const char *const gitea_vars[] = {
	"GITEA_PUSHER_NAME", "GITEA_PUSHER_ID", "GITEA_PUSHER_EMAIL", "GITEA_REPO_USER_NAME",
	"GITEA_REPO_NAME", "GITEA_REPO_ID", "GITEA_REPO_IS_WIKI", "GITEA_PR_ID",
	"GITEA_PR_INDEX", "GITEA_PUSH_TRIGGER", "GITEA_INTERNAL_PUSH", "GITEA_DEPLOY_KEY_ID",
	"GITEA_KEY_ID", NULL
};

static int group_setup(void **state)
{
	(void)state;
	return git_libgit2_init() < 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	git_libgit2_shutdown();
	return 0;
}

static void assert_oid(const git_oid *id, const char *hex)
{
	char s[GIT_OID_HEXSZ + 1];

	git_oid_tostr(s, sizeof(s), id);
	assert_string_equal(s, hex);
}

static void parse_ok(struct pg_ref_updates *out, const char *data, size_t len)
{
	int error = pg_hook_input_parse(out, data, len);

	if (error < 0)
		print_error("unexpected error: %s\n", pg_error_last());
	assert_int_equal(error, 0);
}

/*
 * `len` bytes of `data` must be rejected with PG_EINVAL, nothing kept,
 * and a message naming line `line_no` (0: no line number expected) and
 * containing `word`.
 */
static void expect_malformed_n(const char *data, size_t len, size_t line_no, const char *word)
{
	struct pg_ref_updates out = { NULL, 0, 0 };
	char where[64];
	const char *msg;
	int error;

	pg_error_clear();
	error = pg_hook_input_parse(&out, data, len);
	msg = pg_error_last();
	snprintf(where, sizeof(where), "line %zu (", line_no);
	if (error != PG_EINVAL || (line_no && !strstr(msg, where)) || !strstr(msg, word))
		print_error("error %d, message: %s\nexpected '%s' and '%s'\n", error, msg,
			    line_no ? where : "", word);
	assert_int_equal(error, PG_EINVAL);
	assert_int_equal(out.len, 0);
	assert_null(out.items);
	if (line_no)
		assert_non_null(strstr(msg, where));
	assert_non_null(strstr(msg, word));
}

static void expect_malformed(const char *data, size_t line_no, const char *word)
{
	expect_malformed_n(data, strlen(data), line_no, word);
}

/* ---- pre-receive lines ---- */

static void test_hooks_hook_input__good_lines(void **state)
{
	static const char in[] =
		OLD " " NEW " refs/heads/main\n"
		ZERO " " NEW2 " refs/heads/feature/login-form\n"
		NEW " " ZERO " refs/tags/v1.0.0\n";
	struct pg_ref_updates out = { NULL, 0, 0 };

	(void)state;
	parse_ok(&out, in, strlen(in));
	assert_int_equal(out.len, 3);
	assert_oid(&out.items[0].old_id, OLD);
	assert_oid(&out.items[0].new_id, NEW);
	assert_false(out.items[0].old_zero);
	assert_false(out.items[0].new_zero);
	assert_string_equal(out.items[0].ref, "refs/heads/main");
	assert_oid(&out.items[1].new_id, NEW2);
	assert_true(out.items[1].old_zero);
	assert_false(out.items[1].new_zero);
	assert_string_equal(out.items[1].ref, "refs/heads/feature/login-form");
	assert_oid(&out.items[2].old_id, NEW);
	assert_false(out.items[2].old_zero);
	assert_true(out.items[2].new_zero);
	assert_string_equal(out.items[2].ref, "refs/tags/v1.0.0");
	pg_ref_updates_clear(&out);
	assert_int_equal(out.len, 0);
	assert_null(out.items);
}

static void test_hooks_hook_input__final_line_without_newline(void **state)
{
	static const char in[] = GOOD_LINE OLD " " NEW2 " refs/for/develop/topic";
	struct pg_ref_updates out = { NULL, 0, 0 };

	(void)state;
	parse_ok(&out, in, strlen(in));
	assert_int_equal(out.len, 2);
	assert_string_equal(out.items[1].ref, "refs/for/develop/topic");
	assert_oid(&out.items[1].new_id, NEW2);
	pg_ref_updates_clear(&out);
	/* only the bytes given count: a length that stops before the newline */
	parse_ok(&out, GOOD_LINE, strlen(GOOD_LINE) - 1);
	assert_int_equal(out.len, 1);
	assert_string_equal(out.items[0].ref, "refs/heads/main");
	pg_ref_updates_clear(&out);
}

static void test_hooks_hook_input__empty_input(void **state)
{
	struct pg_ref_updates out = { NULL, 0, 0 };

	(void)state;
	parse_ok(&out, "", 0);
	assert_int_equal(out.len, 0);
	pg_ref_updates_clear(&out);
	/* a lone newline is an empty line, not empty input */
	expect_malformed("\n", 1, "expected '<old-id> <new-id> <ref>'");
}

static void test_hooks_hook_input__zero_ids(void **state)
{
	static const char in[] =
		ZERO " " NEW " refs/heads/a\n"
		NEW " " ZERO " refs/heads/b\n"
		ZERO " " ZERO " refs/heads/c\n";
	struct pg_ref_updates out = { NULL, 0, 0 };

	(void)state;
	parse_ok(&out, in, strlen(in));
	assert_int_equal(out.len, 3);
	assert_true(out.items[0].old_zero);
	assert_false(out.items[0].new_zero);
	assert_false(out.items[1].old_zero);
	assert_true(out.items[1].new_zero);
	assert_true(out.items[2].old_zero);
	assert_true(out.items[2].new_zero);
	assert_true(git_oid_is_zero(&out.items[1].new_id));
	pg_ref_updates_clear(&out);
}

static void test_hooks_hook_input__bad_ids(void **state)
{
	(void)state;
	/* short old id */
	expect_malformed(GOOD_LINE "111111111111111111111111111111111111111 " NEW " refs/heads/x\n",
			 2, "40-digit ids");
	/* long old id */
	expect_malformed(GOOD_LINE "11111111111111111111111111111111111111111 " NEW " refs/heads/x\n",
			 2, "40-digit ids");
	/* short and long new ids */
	expect_malformed(GOOD_LINE OLD " abcdef0123456789abcdef0123456789abcdef0 refs/heads/x\n",
			 2, "new id");
	expect_malformed(GOOD_LINE OLD " abcdef0123456789abcdef0123456789abcdef012 refs/heads/x\n",
			 2, "new id");
	/* uppercase hex, in either id */
	expect_malformed(GOOD_LINE "ABCDEF0123456789abcdef0123456789abcdef01 " NEW " refs/heads/x\n",
			 2, "40-digit ids");
	expect_malformed(GOOD_LINE OLD " ABCDEF0123456789ABCDEF0123456789ABCDEF01 refs/heads/x\n",
			 2, "new id");
	/* not hex at all */
	expect_malformed(GOOD_LINE GOOD_LINE "g111111111111111111111111111111111111111 " NEW
			 " refs/heads/x\n", 3, "40-digit ids");
}

static void test_hooks_hook_input__sha256_ids(void **state)
{
	static const char in[] =
		"0000000000000000000000000000000000000000000000000000000000000000 "
		"abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789 refs/heads/main\n";
	struct pg_ref_updates out = { NULL, 0, 0 };
	int error;

	(void)state;
	error = pg_hook_input_parse(&out, in, strlen(in));
	assert_int_equal(error, PG_EINVAL);
	assert_int_equal(out.len, 0);
	assert_non_null(strstr(pg_error_last(), "SHA-256"));
	/* also after good lines, and with both ids non-zero */
	expect_malformed(GOOD_LINE
			 "1111111111111111111111111111111111111111111111111111111111111111 "
			 "2222222222222222222222222222222222222222222222222222222222222222 "
			 "refs/heads/x\n", 0, "SHA-256");
}

static void test_hooks_hook_input__control_characters(void **state)
{
	static const char nul[] = GOOD_LINE OLD " " NEW " refs/heads/a\0b\n";
	static const char nul_id[] = "1111\0" "11111111111111111111111111111111111 " NEW " refs/heads/x";

	(void)state;
	/* CRLF line ends: the CR would otherwise become part of the ref */
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/x\r\n", 2, "control character");
	expect_malformed(OLD " " NEW " refs/heads/x\r\n" GOOD_LINE, 1, "control character");
	expect_malformed_n(nul, sizeof(nul) - 1, 2, "control character");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/a\tb\n", 2, "control character");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/a\x7f" "b\n", 2, "control character");
	/* a NUL in the ids stops the id */
	assert_int_equal(sizeof(nul_id) - 1, 82 + strlen("refs/heads/x"));
	expect_malformed_n(nul_id, sizeof(nul_id) - 1, 1, "40-digit ids");
}

static void test_hooks_hook_input__missing_or_extra_fields(void **state)
{
	(void)state;
	expect_malformed(GOOD_LINE OLD " " NEW "\n", 2, "expected");
	expect_malformed(GOOD_LINE OLD " " NEW " \n", 2, "expected");
	expect_malformed(GOOD_LINE OLD "\n", 2, "expected");
	expect_malformed(OLD " " NEW "refs/heads/x\n", 1, "new id");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/main extra\n", 2, "space");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/main \n", 2, "space");
	expect_malformed(GOOD_LINE OLD "  " NEW " refs/heads/main\n", 2, "new id");
	expect_malformed(GOOD_LINE " " OLD " " NEW " refs/heads/main\n", 2, "expected");
	expect_malformed(GOOD_LINE OLD "\t" NEW " refs/heads/main\n", 2, "expected");
}

static void test_hooks_hook_input__bad_ref_names(void **state)
{
	(void)state;
	expect_malformed(GOOD_LINE OLD " " NEW " HEAD\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " heads/main\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " main\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refsx/heads/main\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/a..b\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/a.lock\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads//x\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/a~1\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/a:b\n", 2, "not a valid ref name");
	expect_malformed(GOOD_LINE OLD " " NEW " refs/heads/x@{1}\n", 2, "not a valid ref name");
}

static void test_hooks_hook_input__empty_line_in_middle(void **state)
{
	(void)state;
	expect_malformed(GOOD_LINE "\n" GOOD_LINE, 2, "expected");
	expect_malformed(GOOD_LINE GOOD_LINE GOOD_LINE "\n", 4, "expected");
	expect_malformed(GOOD_LINE GOOD_LINE "\n\n", 3, "expected");
}

static void test_hooks_hook_input__error_shows_start_of_line(void **state)
{
	size_t n = 4096, i;
	char *in = malloc(n + 1);
	struct pg_ref_updates out = { NULL, 0, 0 };
	const char *msg;

	(void)state;
	assert_non_null(in);
	for (i = 0; i < n; i++)
		in[i] = 'z';
	in[n] = '\0';
	assert_int_equal(pg_hook_input_parse(&out, in, n), PG_EINVAL);
	msg = pg_error_last();
	assert_non_null(strstr(msg, "line 1 ("));
	assert_non_null(strstr(msg, "zzz...)"));
	/* the message is short even for a long line */
	assert_true(strlen(msg) < 300);
	free(in);
}

static void test_hooks_hook_input__megabyte_ref_name(void **state)
{
	static const char prefix[] = OLD " " NEW " refs/heads/feature/";
	size_t name_len = (size_t)1 << 20, plen = strlen(prefix), i;
	char *in = malloc(plen + name_len + 2);
	struct pg_ref_updates out = { NULL, 0, 0 };

	(void)state;
	assert_non_null(in);
	memcpy(in, prefix, plen);
	for (i = 0; i < name_len; i++)
		in[plen + i] = (i % 100 == 99) ? '/' : (char)('a' + i % 26);
	in[plen + name_len] = '\n';
	in[plen + name_len + 1] = '\0';
	parse_ok(&out, in, plen + name_len + 1);
	assert_int_equal(out.len, 1);
	assert_int_equal(strlen(out.items[0].ref), strlen("refs/heads/feature/") + name_len);
	assert_memory_equal(out.items[0].ref, prefix + 82, plen - 82);
	assert_memory_equal(out.items[0].ref + plen - 82, in + plen, name_len);
	pg_ref_updates_clear(&out);
	free(in);
}

static void test_hooks_hook_input__fifty_thousand_lines(void **state)
{
	size_t n = 50000, line_len = 82 + strlen("refs/heads/feature/b00000") + 1, i;
	char *in = malloc(n * line_len + 1), *p;
	struct pg_ref_updates out = { NULL, 0, 0 };
	char want[64];
	int w;

	(void)state;
	assert_non_null(in);
	p = in;
	for (i = 0; i < n; i++) {
		w = snprintf(p, line_len + 1, "%s %s refs/heads/feature/b%05zu\n",
			     i % 2 ? OLD : ZERO, NEW, i);
		assert_int_equal(w, (int)line_len);
		p += w;
	}
	parse_ok(&out, in, (size_t)(p - in));
	assert_int_equal(out.len, n);
	assert_true(out.items[0].old_zero);
	assert_false(out.items[1].old_zero);
	snprintf(want, sizeof(want), "refs/heads/feature/b%05zu", n - 1);
	assert_string_equal(out.items[n - 1].ref, want);
	assert_string_equal(out.items[12345].ref, "refs/heads/feature/b12345");
	pg_ref_updates_clear(&out);
	/* one bad line at the end rejects all of them */
	memcpy(in + (n - 1) * line_len + 82, "HEADS", 5);
	expect_malformed_n(in, (size_t)(p - in), n, "not a valid ref name");
	free(in);
}

static void test_hooks_hook_input__appends_to_existing(void **state)
{
	struct pg_ref_updates out = { NULL, 0, 0 };

	(void)state;
	parse_ok(&out, GOOD_LINE, strlen(GOOD_LINE));
	parse_ok(&out, ZERO " " NEW " refs/heads/develop\n", 82 + strlen("refs/heads/develop") + 1);
	assert_int_equal(out.len, 2);
	assert_string_equal(out.items[1].ref, "refs/heads/develop");
	pg_ref_updates_clear(&out);
}

/* ---- update hook arguments ---- */

static void test_hooks_hook_input__from_args(void **state)
{
	struct pg_ref_updates out = { NULL, 0, 0 };
	int error;

	(void)state;
	error = pg_hook_input_from_args(&out, "refs/heads/develop", ZERO, NEW);
	if (error < 0)
		print_error("unexpected error: %s\n", pg_error_last());
	assert_int_equal(error, 0);
	assert_int_equal(out.len, 1);
	assert_true(out.items[0].old_zero);
	assert_oid(&out.items[0].new_id, NEW);
	assert_string_equal(out.items[0].ref, "refs/heads/develop");
	pg_ref_updates_clear(&out);

	assert_int_equal(pg_hook_input_from_args(&out, "refs/heads/a..b", OLD, NEW), PG_EINVAL);
	assert_non_null(strstr(pg_error_last(), "not a valid ref name"));
	assert_int_equal(out.len, 0);
	assert_int_equal(pg_hook_input_from_args(&out, "refs/heads/x", "1234", NEW), PG_EINVAL);
	assert_int_equal(pg_hook_input_from_args(&out, "refs/heads/x", OLD, ""), PG_EINVAL);
	assert_int_equal(pg_hook_input_from_args(&out, "", OLD, NEW), PG_EINVAL);
	assert_int_equal(pg_hook_input_from_args(&out, "refs/heads/a b", OLD, NEW), PG_EINVAL);
	assert_int_equal(out.len, 0);
	/* a newline must not smuggle in a second update */
	assert_int_equal(pg_hook_input_from_args(&out, "refs/heads/a\n" ZERO " " NEW " refs/heads/b",
						 OLD, NEW), PG_EINVAL);
	assert_int_equal(out.len, 0);
}

/* ---- Gitea's environment ---- */

static void clear_gitea_env(void)
{
	size_t i;

	for (i = 0; gitea_vars[i]; i++)
		assert_int_equal(unsetenv(gitea_vars[i]), 0);
}

/* Facts from the environment, starting from the opposite of "unknown". */
static struct pg_push_facts facts_now(void)
{
	struct pg_push_facts f = { "stale", true, true, true };

	pg_push_facts_from_env(&f);
	return f;
}

static void test_hooks_hook_input__facts_unknown(void **state)
{
	struct pg_push_facts f;

	(void)state;
	clear_gitea_env();
	f = facts_now();
	assert_null(f.pusher);
	assert_false(f.pr_merge);
	assert_false(f.internal);
	assert_false(f.wiki);
	/* variables the facts do not use change nothing */
	setenv("GITEA_PUSHER_ID", "7", 1);
	setenv("GITEA_PUSHER_EMAIL", "a@example.com", 1);
	setenv("GITEA_REPO_USER_NAME", "org", 1);
	setenv("GITEA_REPO_NAME", "repo", 1);
	setenv("GITEA_REPO_ID", "3", 1);
	setenv("GITEA_PR_INDEX", "5", 1);
	setenv("GITEA_DEPLOY_KEY_ID", "9", 1);
	setenv("GITEA_KEY_ID", "11", 1);
	f = facts_now();
	assert_null(f.pusher);
	assert_false(f.pr_merge);
	assert_false(f.internal);
	assert_false(f.wiki);
	clear_gitea_env();
}

static void test_hooks_hook_input__facts_pusher(void **state)
{
	struct pg_push_facts f;

	(void)state;
	clear_gitea_env();
	setenv("GITEA_PUSHER_NAME", "alice", 1);
	f = facts_now();
	assert_non_null(f.pusher);
	assert_string_equal(f.pusher, "alice");
	assert_false(f.pr_merge);
	setenv("GITEA_PUSHER_NAME", "", 1);
	f = facts_now();
	assert_null(f.pusher);
	clear_gitea_env();
}

static void expect_pr_merge(const char *pr_id, bool want)
{
	struct pg_push_facts f;

	clear_gitea_env();
	assert_int_equal(setenv("GITEA_PR_ID", pr_id, 1), 0);
	f = facts_now();
	if (f.pr_merge != want)
		print_error("GITEA_PR_ID=%s: pr_merge %d, expected %d\n", pr_id, f.pr_merge, want);
	assert_int_equal(f.pr_merge, want);
	assert_false(f.internal);
	assert_false(f.wiki);
}

static void test_hooks_hook_input__facts_pr_id(void **state)
{
	(void)state;
	expect_pr_merge("12", true);
	expect_pr_merge("1", true);
	expect_pr_merge("0", false);
	expect_pr_merge("", false);
	expect_pr_merge("abc", false);
	expect_pr_merge("12abc", false);
	expect_pr_merge("-4", false);
	expect_pr_merge("0x10", false);
	expect_pr_merge(" 5", false);
	expect_pr_merge("+5", false);
	clear_gitea_env();
}

static void test_hooks_hook_input__facts_push_trigger(void **state)
{
	struct pg_push_facts f;

	(void)state;
	clear_gitea_env();
	setenv("GITEA_PUSH_TRIGGER", "pr-merge-to-base", 1);
	f = facts_now();
	assert_true(f.pr_merge);
	setenv("GITEA_PUSH_TRIGGER", "pr-merge-to-base-x", 1);
	f = facts_now();
	assert_false(f.pr_merge);
	setenv("GITEA_PUSH_TRIGGER", "", 1);
	f = facts_now();
	assert_false(f.pr_merge);
	/* Gitea's "update branch" writes the head branch: not a merge into the base */
	setenv("GITEA_PR_ID", "12", 1);
	setenv("GITEA_PUSH_TRIGGER", "pr-update-with-base", 1);
	f = facts_now();
	assert_false(f.pr_merge);
	setenv("GITEA_PUSH_TRIGGER", "pr-merge-to-base", 1);
	f = facts_now();
	assert_true(f.pr_merge);
	clear_gitea_env();
}

static void test_hooks_hook_input__facts_internal_and_wiki(void **state)
{
	struct pg_push_facts f;

	(void)state;
	clear_gitea_env();
	setenv("GITEA_INTERNAL_PUSH", "true", 1);
	f = facts_now();
	assert_true(f.internal);
	assert_false(f.wiki);
	assert_false(f.pr_merge);
	setenv("GITEA_INTERNAL_PUSH", "false", 1);
	assert_false(facts_now().internal);
	setenv("GITEA_INTERNAL_PUSH", "1", 1);
	assert_false(facts_now().internal);
	setenv("GITEA_INTERNAL_PUSH", "true ", 1);
	assert_false(facts_now().internal);
	clear_gitea_env();
	setenv("GITEA_REPO_IS_WIKI", "true", 1);
	f = facts_now();
	assert_true(f.wiki);
	assert_false(f.internal);
	setenv("GITEA_REPO_IS_WIKI", "false", 1);
	assert_false(facts_now().wiki);
	setenv("GITEA_REPO_IS_WIKI", "", 1);
	assert_false(facts_now().wiki);
	clear_gitea_env();
}

/* ---- push options ---- */

static void clear_push_options(void)
{
	char var[32];
	int i;

	unsetenv("GIT_PUSH_OPTION_COUNT");
	for (i = 0; i < 8; i++) {
		snprintf(var, sizeof(var), "GIT_PUSH_OPTION_%d", i);
		unsetenv(var);
	}
}

static void test_hooks_hook_input__push_option_values(void **state)
{
	const char *v;

	(void)state;
	clear_push_options();
	setenv("GIT_PUSH_OPTION_COUNT", "3", 1);
	setenv("GIT_PUSH_OPTION_0", "ci.skip", 1);
	setenv("GIT_PUSH_OPTION_1", "pushgate.bypass=hotfix for incident 42", 1);
	setenv("GIT_PUSH_OPTION_2", "topic=a=b", 1);
	v = pg_push_option("pushgate.bypass");
	assert_non_null(v);
	assert_string_equal(v, "hotfix for incident 42");
	v = pg_push_option("ci.skip");
	assert_non_null(v);
	assert_string_equal(v, "");
	v = pg_push_option("topic");
	assert_non_null(v);
	assert_string_equal(v, "a=b");
	assert_null(pg_push_option("absent"));
	/* prefixes and extensions of a name are different options */
	assert_null(pg_push_option("pushgate"));
	assert_null(pg_push_option("ci.skip.all"));
	assert_null(pg_push_option("ci"));
	clear_push_options();
}

static void test_hooks_hook_input__push_option_empty_value(void **state)
{
	const char *v;

	(void)state;
	clear_push_options();
	setenv("GIT_PUSH_OPTION_COUNT", "1", 1);
	setenv("GIT_PUSH_OPTION_0", "pushgate.bypass=", 1);
	v = pg_push_option("pushgate.bypass");
	assert_non_null(v);
	assert_string_equal(v, "");
	clear_push_options();
}

static void test_hooks_hook_input__push_option_count(void **state)
{
	(void)state;
	clear_push_options();
	/* options without a count are not options */
	setenv("GIT_PUSH_OPTION_0", "pushgate.bypass=x", 1);
	assert_null(pg_push_option("pushgate.bypass"));
	setenv("GIT_PUSH_OPTION_COUNT", "1", 1);
	assert_non_null(pg_push_option("pushgate.bypass"));
	/* options past the count are ignored */
	setenv("GIT_PUSH_OPTION_COUNT", "1", 1);
	setenv("GIT_PUSH_OPTION_1", "ci.skip", 1);
	assert_null(pg_push_option("ci.skip"));
	setenv("GIT_PUSH_OPTION_COUNT", "2", 1);
	assert_non_null(pg_push_option("ci.skip"));
	/* bad counts */
	setenv("GIT_PUSH_OPTION_COUNT", "0", 1);
	assert_null(pg_push_option("pushgate.bypass"));
	setenv("GIT_PUSH_OPTION_COUNT", "abc", 1);
	assert_null(pg_push_option("pushgate.bypass"));
	setenv("GIT_PUSH_OPTION_COUNT", "2x", 1);
	assert_null(pg_push_option("pushgate.bypass"));
	setenv("GIT_PUSH_OPTION_COUNT", "-1", 1);
	assert_null(pg_push_option("pushgate.bypass"));
	setenv("GIT_PUSH_OPTION_COUNT", "", 1);
	assert_null(pg_push_option("pushgate.bypass"));
	/* a count larger than the options given: the missing ones are skipped */
	setenv("GIT_PUSH_OPTION_COUNT", "5", 1);
	unsetenv("GIT_PUSH_OPTION_0");
	setenv("GIT_PUSH_OPTION_3", "pushgate.bypass=late", 1);
	assert_string_equal(pg_push_option("pushgate.bypass"), "late");
	/* an absurd count does not hang or crash */
	setenv("GIT_PUSH_OPTION_COUNT", "99999999999999999999", 1);
	assert_string_equal(pg_push_option("pushgate.bypass"), "late");
	clear_push_options();
	assert_null(pg_push_option("pushgate.bypass"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hooks_hook_input__good_lines),
		cmocka_unit_test(test_hooks_hook_input__final_line_without_newline),
		cmocka_unit_test(test_hooks_hook_input__empty_input),
		cmocka_unit_test(test_hooks_hook_input__zero_ids),
		cmocka_unit_test(test_hooks_hook_input__bad_ids),
		cmocka_unit_test(test_hooks_hook_input__sha256_ids),
		cmocka_unit_test(test_hooks_hook_input__control_characters),
		cmocka_unit_test(test_hooks_hook_input__missing_or_extra_fields),
		cmocka_unit_test(test_hooks_hook_input__bad_ref_names),
		cmocka_unit_test(test_hooks_hook_input__empty_line_in_middle),
		cmocka_unit_test(test_hooks_hook_input__error_shows_start_of_line),
		cmocka_unit_test(test_hooks_hook_input__megabyte_ref_name),
		cmocka_unit_test(test_hooks_hook_input__fifty_thousand_lines),
		cmocka_unit_test(test_hooks_hook_input__appends_to_existing),
		cmocka_unit_test(test_hooks_hook_input__from_args),
		cmocka_unit_test(test_hooks_hook_input__facts_unknown),
		cmocka_unit_test(test_hooks_hook_input__facts_pusher),
		cmocka_unit_test(test_hooks_hook_input__facts_pr_id),
		cmocka_unit_test(test_hooks_hook_input__facts_push_trigger),
		cmocka_unit_test(test_hooks_hook_input__facts_internal_and_wiki),
		cmocka_unit_test(test_hooks_hook_input__push_option_values),
		cmocka_unit_test(test_hooks_hook_input__push_option_empty_value),
		cmocka_unit_test(test_hooks_hook_input__push_option_count),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
