/*
 * Unit tests for scanners/workflow.c: the CI workflow-file checks, against
 * the seed's real pipelines (tests/fixtures/workflows/, indentation
 * restored) and one fixture per violation and per allowed form.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/file.h"
#include "scanners/workflow.h"

#define FIXTURES "tests/fixtures/workflows/"

/* One expected problem; column 0 means "not asserted". */
struct want {
	enum pg_workflow_check check;
	size_t line;
	size_t column;
	const char *job;  /* NULL: at workflow level */
	const char *step; /* NULL: outside a step */
	const char *text; /* must appear in the message (the name it reports) */
};

static const char *const ids[] = {
	[PG_WF_SECRET_TO_LOG] = "workflow-secret-to-log",
	[PG_WF_SECRET_IN_ARGS] = "workflow-secret-in-args",
	[PG_WF_SET_X_WITH_SECRETS] = "workflow-set-x-with-secrets",
	[PG_WF_NO_HOST_KEY_CHECK] = "workflow-no-host-key-check",
	[PG_WF_REMOTE_SCRIPT] = "workflow-remote-script",
	[PG_WF_UNPARSABLE] = "workflow-unparsable",
};

static void dump(const struct pg_workflow_problems *p)
{
	size_t i;

	for (i = 0; i < p->len; i++)
		print_message("  %s %zu:%zu %s\n", p->items[i].id, p->items[i].line,
			      p->items[i].column, p->items[i].message);
}

static void assert_problems(const struct pg_workflow_problems *p, size_t first, const char *path,
			    const struct want *want, size_t n)
{
	char prefix[512];
	size_t i;
	const struct pg_workflow_problem *got;
	const char *c;

	if (p->len - first != n)
		dump(p);
	assert_int_equal(p->len - first, n);
	for (i = 0; i < n; i++) {
		got = &p->items[first + i];
		if (got->check != want[i].check || got->line != want[i].line)
			dump(p);
		assert_int_equal(got->check, want[i].check);
		assert_string_equal(got->id, ids[want[i].check]);
		assert_int_equal(got->line, want[i].line);
		if (want[i].column)
			assert_int_equal(got->column, want[i].column);
		if (want[i].job)
			assert_string_equal(got->job, want[i].job);
		else
			assert_null(got->job);
		if (want[i].step)
			assert_string_equal(got->step, want[i].step);
		else
			assert_null(got->step);
		snprintf(prefix, sizeof(prefix), "%s:%zu: ", path, want[i].line);
		assert_memory_equal(got->message, prefix, strlen(prefix));
		if (want[i].job) {
			snprintf(prefix, sizeof(prefix), "job '%s'", want[i].job);
			assert_non_null(strstr(got->message, prefix));
		}
		if (want[i].step) {
			snprintf(prefix, sizeof(prefix), "step '%s'", want[i].step);
			assert_non_null(strstr(got->message, prefix));
		}
		if (want[i].text && !strstr(got->message, want[i].text))
			fail_msg("'%s' not in: %s", want[i].text, got->message);
		for (c = got->message; *c; c++)
			assert_true((unsigned char)*c >= 0x20 && *c != 0x7f);
	}
}

static void check_buffer(const char *path, const char *buf, size_t len, const struct want *want,
			 size_t n)
{
	struct pg_workflow_problems p = { 0 };

	assert_int_equal(pg_workflow_check(&p, path, buf, len), 0);
	assert_problems(&p, 0, path, want, n);
	pg_workflow_problems_clear(&p);
}

static void check_fixture(const char *name, const struct want *want, size_t n)
{
	struct pg_buf b = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	char path[256];

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	if (pg_file_read(&b, path) < 0)
		fail_msg("cannot read %s (run from the top of the tree)", path);
	check_buffer(path, b.ptr, b.size, want, n);
	pg_buf_release(&b);
}

#define CHECK_FIXTURE(name, ...)                                                     \
	do {                                                                         \
		static const struct want w_[] = { __VA_ARGS__ };                     \
		check_fixture(name, w_, sizeof(w_) / sizeof(w_[0]));                 \
	} while (0)

static void test_scanners_workflow__path_matches(void **state)
{
	(void)state;
	assert_true(pg_workflow_path_matches(".gitea/workflows/ci.yml"));
	assert_true(pg_workflow_path_matches(".github/workflows/deploy.yaml"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/sub/ci.yml"));
	assert_false(pg_workflow_path_matches("src/.gitea/workflows/ci.yml"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/ci.yml.bak"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/README.md"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/.yml"));
	assert_false(pg_workflow_path_matches(".gitea/ci.yml"));
	assert_false(pg_workflow_path_matches(".gitlab/workflows/ci.yml"));
	assert_false(pg_workflow_path_matches(NULL));
}

static void test_scanners_workflow__severities_and_ids(void **state)
{
	int c;

	(void)state;
	assert_int_equal(pg_workflow_default_severity(PG_WF_SECRET_TO_LOG), PG_SEVERITY_REJECT);
	for (c = PG_WF_SECRET_IN_ARGS; c <= PG_WF_UNPARSABLE; c++) {
		assert_int_equal(pg_workflow_default_severity(c), PG_SEVERITY_WARN);
		assert_string_equal(pg_workflow_check_id(c), ids[c]);
	}
	assert_string_equal(pg_workflow_check_id(PG_WF_SECRET_TO_LOG), "workflow-secret-to-log");
}

/*
 * Seed §2.1, §2.5, §5.3: nothing to flag. matrix.*, env.NODE_VERSION and
 * inputs are not secrets; the ssh heredocs carry no secrets and keep host
 * key checking on.
 */
static void test_scanners_workflow__seed_clean_pipelines(void **state)
{
	(void)state;
	check_fixture("ci.yml", NULL, 0);
	check_fixture("integration.yml", NULL, 0);
	check_fixture("deploy-staging.yml", NULL, 0);
}

/*
 * Seed §2.2-2.4: the password is piped to --password-stdin (passes), but
 * the registry user is pasted into docker's arguments (warn), once each.
 */
static void test_scanners_workflow__seed_registry_login(void **state)
{
	(void)state;
	CHECK_FIXTURE("safety-wrapper.yml",
		      { PG_WF_SECRET_IN_ARGS, 50, 95, "build-image", "Push to registry",
			"secrets.REGISTRY_USER is interpolated into the arguments of docker" });
	CHECK_FIXTURE("secrets-proxy.yml",
		      { PG_WF_SECRET_IN_ARGS, 38, 95, "build-image", "Push to registry",
			"secrets.REGISTRY_USER" });
	CHECK_FIXTURE("hub.yml",
		      { PG_WF_SECRET_IN_ARGS, 50, 95, "build-image", "Push to registry",
			"secrets.REGISTRY_USER" });
}

/* Seed §5.1: ssh -o StrictHostKeyChecking=no, nothing else. */
static void test_scanners_workflow__seed_deploy_hub(void **state)
{
	(void)state;
	CHECK_FIXTURE("deploy-hub.yml",
		      { PG_WF_NO_HOST_KEY_CHECK, 16, 18, "deploy", "Deploy to production",
			"StrictHostKeyChecking" });
}

/* Seed §5.2: the bearer token is pasted into curl's -H argument. */
static void test_scanners_workflow__seed_tenant_update(void **state)
{
	(void)state;
	CHECK_FIXTURE("tenant-update.yml",
		      { PG_WF_SECRET_IN_ARGS, 33, 43, "rollout", "Trigger Hub rollout API",
			"secrets.HUB_ADMIN_TOKEN is interpolated into the arguments of curl" });
}

/* Pipes, files, ::add-mask::, single quotes, with: and github.* all pass. */
static void test_scanners_workflow__password_stdin_passes(void **state)
{
	(void)state;
	check_fixture("password-stdin.yml", NULL, 0);
}

static void test_scanners_workflow__echo_to_log_rejects(void **state)
{
	(void)state;
	CHECK_FIXTURE("echo-secret.yml",
		      { PG_WF_SECRET_TO_LOG, 9, 23, "build", "Print token",
			"secrets.DEPLOY_TOKEN is written to the log by echo" },
		      /* >&2: standard error is logged too */
		      { PG_WF_SECRET_TO_LOG, 15, 26, "build", "Print env",
			"$TOKEN (set from secrets.DEPLOY_TOKEN)" },
		      { PG_WF_SECRET_TO_LOG, 16, 0, "build", "Print env", "by printf" },
		      /* tee copies to its standard output */
		      { PG_WF_SECRET_TO_LOG, 17, 0, "build", "Print env", "$TOKEN" },
		      { PG_WF_SECRET_TO_LOG, 18, 0, "build", "step 3", "secrets.API_KEY" });
}

static void test_scanners_workflow__args_interpolation_warns(void **state)
{
	(void)state;
	CHECK_FIXTURE("args-interpolation.yml",
		      { PG_WF_SECRET_IN_ARGS, 9, 41, "push", "Docker login",
			"secrets.PW is interpolated into the arguments of docker" },
		      { PG_WF_SECRET_IN_ARGS, 13, 43, "push", "Call API", "secrets.T" });
}

/*
 * Not flagged: set -x without secrets (a job-level secret the run does not
 * use does not count), and a quoted heredoc run on another host.
 */
static void test_scanners_workflow__set_x_with_secrets(void **state)
{
	(void)state;
	CHECK_FIXTURE("set-x.yml",
		      { PG_WF_SET_X_WITH_SECRETS, 14, 11, "deploy", "Traced deploy",
			"set -x traces a step that uses $TOKEN" },
		      { PG_WF_SET_X_WITH_SECRETS, 22, 11, "deploy", "Traced expression", "secrets.K" },
		      { PG_WF_SECRET_IN_ARGS, 23, 0, "deploy", "Traced expression", "secrets.K" });
}

static void test_scanners_workflow__host_key_checking_off(void **state)
{
	(void)state;
	CHECK_FIXTURE("ssh-no-host-key.yml",
		      { PG_WF_NO_HOST_KEY_CHECK, 5, 27, NULL, NULL, "workflow env: " },
		      { PG_WF_NO_HOST_KEY_CHECK, 11, 22, "deploy", "Copy", NULL },
		      /* inside a heredoc written to ~/.ssh/config */
		      { PG_WF_NO_HOST_KEY_CHECK, 17, 13, "deploy", "Config", NULL });
}

static void test_scanners_workflow__remote_script(void **state)
{
	(void)state;
	CHECK_FIXTURE("remote-script.yml",
		      { PG_WF_REMOTE_SCRIPT, 9, 61, "tools", "Pipe to sh", "sh runs a script" },
		      { PG_WF_REMOTE_SCRIPT, 12, 0, "tools", "Variants", "bash runs" },
		      { PG_WF_REMOTE_SCRIPT, 13, 0, "tools", "Variants", "bash runs" },
		      { PG_WF_REMOTE_SCRIPT, 14, 0, "tools", "Variants", "sh runs" },
		      /* the pipeline continues after \ and after a trailing | */
		      { PG_WF_REMOTE_SCRIPT, 16, 15, "tools", "Variants", "bash runs" },
		      { PG_WF_REMOTE_SCRIPT, 18, 13, "tools", "Variants", "bash runs" });
}

static void test_scanners_workflow__env_expression_from_secret(void **state)
{
	(void)state;
	CHECK_FIXTURE("env-expr.yml",
		      { PG_WF_SECRET_TO_LOG, 16, 21, "use", "Echo env expression",
			"env.API_TOKEN (set from secrets.API_TOKEN)" },
		      /* DERIVED was set from env.API_TOKEN, itself from the secret */
		      { PG_WF_SECRET_IN_ARGS, 19, 33, "use", "Env expression in arguments",
			"env.DERIVED (set from secrets.API_TOKEN)" });
}

static void test_scanners_workflow__cat_heredoc_stdout_vs_file(void **state)
{
	(void)state;
	CHECK_FIXTURE("cat-heredoc.yml",
		      { PG_WF_SECRET_TO_LOG, 14, 25, "config", "Print config",
			"secrets.DB_PASS is written to the log by cat <<" },
		      /* after the <<- heredoc (tab-indented delimiter) ends */
		      { PG_WF_SECRET_TO_LOG, 25, 23, "config", "Write config", "$DB_PASS" },
		      /* a quoted delimiter stops $DB_PASS, not ${{ }} */
		      { PG_WF_SECRET_TO_LOG, 32, 21, "config",
			"Quoted delimiter does not expand shell variables", "secrets.DB_USER" });
}

/* The echo is the 4th line of the run: | block, which starts on line 9. */
static void test_scanners_workflow__multiline_run_line(void **state)
{
	(void)state;
	CHECK_FIXTURE("multiline.yml",
		      { PG_WF_SECRET_TO_LOG, 12, 32, "build", "Build and leak", "secrets.NPM_TOKEN" });
}

static void test_scanners_workflow__unparsable_reported(void **state)
{
	(void)state;
	CHECK_FIXTURE("unparsable.yml",
		      { PG_WF_UNPARSABLE, 8, 6, NULL, NULL, "invalid workflow file (" });
}

static void test_scanners_workflow__crlf_line_endings(void **state)
{
	(void)state;
	CHECK_FIXTURE("crlf.yml",
		      { PG_WF_SECRET_TO_LOG, 10, 20, "build", "Windows editor", "secrets.NPM_TOKEN" },
		      { PG_WF_NO_HOST_KEY_CHECK, 11, 18, "build", "Windows editor", NULL });
}

/* |, |-, >, plain, single- and double-quoted scalars all map to lines. */
static void test_scanners_workflow__scalar_styles(void **state)
{
	(void)state;
	CHECK_FIXTURE("scalar-styles.yml",
		      { PG_WF_SECRET_IN_ARGS, 11, 18, "styles", "Folded", "secrets.PW" },
		      { PG_WF_SECRET_TO_LOG, 17, 20, "styles", "Strip", "secrets.A" },
		      { PG_WF_SECRET_TO_LOG, 19, 32, "styles", "Double quoted", "secrets.B" },
		      { PG_WF_SECRET_IN_ARGS, 21, 30, "styles", "Single quoted", "secrets.C" },
		      { PG_WF_SECRET_TO_LOG, 24, 23, "styles", "Plain multi-line", "secrets.D" },
		      { PG_WF_SECRET_TO_LOG, 28, 20, "styles", "Comment after indicator", "secrets.E" });
}

/* Through LOCAL=..., export and $GITHUB_ENV (within the job only). */
static void test_scanners_workflow__secret_propagation(void **state)
{
	(void)state;
	CHECK_FIXTURE("propagation.yml",
		      { PG_WF_SECRET_TO_LOG, 12, 26, "flow", "Save", "$LOCAL (set from secrets.L)" },
		      { PG_WF_SECRET_TO_LOG, 16, 26, "flow", "Save", "$EXPORTED (set from secrets.E)" },
		      { PG_WF_SECRET_TO_LOG, 19, 26, "flow", "Use", "$SAVED (set from secrets.S)" });
}

static void test_scanners_workflow__foreign_shell(void **state)
{
	(void)state;
	CHECK_FIXTURE("foreign-shell.yml",
		      { PG_WF_SECRET_IN_ARGS, 13, 66, "win", "PowerShell",
			"interpolated into the script of shell pwsh" },
		      { PG_WF_SECRET_TO_LOG, 16, 23, "win", "Bash override", "by echo" });
}

static void test_scanners_workflow__structure_limits(void **state)
{
	static const struct want empty[] = { { PG_WF_UNPARSABLE, 1, 1, NULL, NULL, "empty" } };
	static const struct want scalar[] = { { PG_WF_UNPARSABLE, 1, 1, NULL, NULL, "not a mapping" } };
	static const struct want two[] = { { PG_WF_UNPARSABLE, 2, 1, NULL, NULL, "more than one" } };
	static const struct want alias[] = { { PG_WF_UNPARSABLE, 1, 0, NULL, NULL, "undefined alias" } };
	static const struct want deep[] = { { PG_WF_UNPARSABLE, 1, 0, NULL, NULL, "nested more than 64" } };
	static const struct want big[] = { { PG_WF_UNPARSABLE, 1, 1, NULL, NULL, "larger than 1 MiB" } };
	char nest[300];
	char *huge;
	size_t i;

	(void)state;
	check_buffer("e.yml", "", 0, empty, 1);
	check_buffer("e.yml", "# only a comment\n", 17, empty, 1);
	check_buffer("s.yml", "hello\n", 6, scalar, 1);
	check_buffer("m.yml", "a: 1\n---\nb: 2\n", 14, two, 1);
	check_buffer("a.yml", "a: *nope\n", 9, alias, 1);
	memcpy(nest, "a: ", 3);
	for (i = 0; i < 100; i++) {
		nest[3 + i] = '[';
		nest[103 + i] = ']';
	}
	check_buffer("d.yml", nest, 203, deep, 1);
	/* 64 levels (the mapping and 63 lists) are fine. */
	memset(nest + 3, '[', 63);
	memset(nest + 66, ']', 63);
	check_buffer("d.yml", nest, 129, NULL, 0);
	huge = malloc(PG_WORKFLOW_MAX_SIZE + 1);
	assert_non_null(huge);
	memset(huge, '#', PG_WORKFLOW_MAX_SIZE + 1);
	check_buffer("h.yml", huge, PG_WORKFLOW_MAX_SIZE + 1, big, 1);
	free(huge);
}

/* Aliases can make a small file expensive; the work is bounded. */
static void test_scanners_workflow__alias_work_bounded(void **state)
{
	struct pg_buf b = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	struct pg_workflow_problems p = { 0 };
	clock_t start;
	size_t i;

	(void)state;
	assert_int_equal(pg_buf_puts(&b, "x: &s\n"), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(pg_buf_printf(&b, "  - run: make %0400d\n", 0), 0);
	assert_int_equal(pg_buf_puts(&b, "jobs:\n"), 0);
	for (i = 0; i < 3000; i++)
		assert_int_equal(pg_buf_printf(&b, "  j%zu: {steps: *s}\n", i), 0);
	start = clock();
	assert_int_equal(pg_workflow_check(&p, "bomb.yml", b.ptr, b.size), 0);
	assert_true((double)(clock() - start) / CLOCKS_PER_SEC < 5.0);
	assert_int_equal(p.len, 1);
	assert_int_equal(p.items[0].check, PG_WF_UNPARSABLE);
	assert_non_null(strstr(p.items[0].message, "checked only in part"));
	pg_workflow_problems_clear(&p);
	pg_buf_release(&b);
}

static void test_scanners_workflow__problem_limit(void **state)
{
	struct pg_buf b = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	struct pg_workflow_problems p = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(pg_buf_puts(&b, "jobs:\n  j:\n    steps:\n      - run: |\n"), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(pg_buf_puts(&b, "          echo ${{ secrets.X }}\n"), 0);
	assert_int_equal(pg_workflow_check(&p, "many.yml", b.ptr, b.size), 0);
	assert_int_equal(p.len, PG_WORKFLOW_MAX_PROBLEMS);
	assert_int_equal(p.items[0].line, 5);
	assert_int_equal(p.items[PG_WORKFLOW_MAX_PROBLEMS - 1].line, 4 + PG_WORKFLOW_MAX_PROBLEMS);
	pg_workflow_problems_clear(&p);
	pg_buf_release(&b);
}

/*
 * Names from the file are escaped; text around the secret expression
 * (here a fake token) never reaches the message.
 */
static void test_scanners_workflow__messages_are_safe(void **state)
{
	static const char yaml[] =
		"jobs:\n"
		"  \"evil\\e[31m\":\n"
		"    steps:\n"
		"      - name: \"two\\nlines\"\n"
		"        run: echo \"ghp_FAKEFAKEFAKEFAKEFAKE ${{ secrets.X }}\"\n";
	struct pg_workflow_problems p = { 0 };

	(void)state;
	assert_int_equal(pg_workflow_check(&p, "dir/\x1b]0;t.yml", yaml, sizeof(yaml) - 1), 0);
	assert_int_equal(p.len, 1);
	assert_string_equal(p.items[0].job, "evil\x1b[31m");
	assert_string_equal(p.items[0].step, "two\nlines");
	assert_string_equal(p.items[0].message,
			    "dir/\\x1b]0;t.yml:5: job 'evil\\x1b[31m', step 'two\\nlines': "
			    "secrets.X is written to the log by echo; pipe it into the program "
			    "that reads it or redirect it to a file");
	assert_null(strstr(p.items[0].message, "ghp_"));
	pg_workflow_problems_clear(&p);
}

/* The buffer need not end in NUL (ASan catches any read past it). */
static void test_scanners_workflow__unterminated_buffer(void **state)
{
	static const char yaml[] = "jobs:\n  j:\n    steps:\n      - run: echo ${{ secrets.X }}";
	struct pg_workflow_problems p = { 0 };
	char *copy = malloc(sizeof(yaml) - 1);

	(void)state;
	assert_non_null(copy);
	memcpy(copy, yaml, sizeof(yaml) - 1);
	assert_int_equal(pg_workflow_check(&p, "u.yml", copy, sizeof(yaml) - 1), 0);
	assert_int_equal(p.len, 1);
	assert_int_equal(p.items[0].line, 4);
	assert_int_equal(p.items[0].column, 23);
	pg_workflow_problems_clear(&p);
	free(copy);
}

/* Problems already in the list stay first and untouched. */
static void test_scanners_workflow__appends_to_list(void **state)
{
	static const char a[] = "jobs:\n  j:\n    steps:\n      - run: |\n          true\n"
				"          echo ${{ secrets.X }}\n";
	static const char b[] = "jobs:\n  k:\n    steps:\n      - run: echo ${{ secrets.Y }}\n";
	struct pg_workflow_problems p = { 0 };

	(void)state;
	assert_int_equal(pg_workflow_check(&p, "a.yml", a, sizeof(a) - 1), 0);
	assert_int_equal(pg_workflow_check(&p, "b.yml", b, sizeof(b) - 1), 0);
	assert_int_equal(p.len, 2);
	assert_int_equal(p.items[0].line, 6);
	assert_string_equal(p.items[0].job, "j");
	assert_int_equal(p.items[1].line, 4);
	assert_string_equal(p.items[1].job, "k");
	pg_workflow_problems_clear(&p);
	assert_int_equal(p.len, 0);
	assert_null(p.items);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_workflow__path_matches),
		cmocka_unit_test(test_scanners_workflow__severities_and_ids),
		cmocka_unit_test(test_scanners_workflow__seed_clean_pipelines),
		cmocka_unit_test(test_scanners_workflow__seed_registry_login),
		cmocka_unit_test(test_scanners_workflow__seed_deploy_hub),
		cmocka_unit_test(test_scanners_workflow__seed_tenant_update),
		cmocka_unit_test(test_scanners_workflow__password_stdin_passes),
		cmocka_unit_test(test_scanners_workflow__echo_to_log_rejects),
		cmocka_unit_test(test_scanners_workflow__args_interpolation_warns),
		cmocka_unit_test(test_scanners_workflow__set_x_with_secrets),
		cmocka_unit_test(test_scanners_workflow__host_key_checking_off),
		cmocka_unit_test(test_scanners_workflow__remote_script),
		cmocka_unit_test(test_scanners_workflow__env_expression_from_secret),
		cmocka_unit_test(test_scanners_workflow__cat_heredoc_stdout_vs_file),
		cmocka_unit_test(test_scanners_workflow__multiline_run_line),
		cmocka_unit_test(test_scanners_workflow__unparsable_reported),
		cmocka_unit_test(test_scanners_workflow__crlf_line_endings),
		cmocka_unit_test(test_scanners_workflow__scalar_styles),
		cmocka_unit_test(test_scanners_workflow__secret_propagation),
		cmocka_unit_test(test_scanners_workflow__foreign_shell),
		cmocka_unit_test(test_scanners_workflow__structure_limits),
		cmocka_unit_test(test_scanners_workflow__alias_work_bounded),
		cmocka_unit_test(test_scanners_workflow__problem_limit),
		cmocka_unit_test(test_scanners_workflow__messages_are_safe),
		cmocka_unit_test(test_scanners_workflow__unterminated_buffer),
		cmocka_unit_test(test_scanners_workflow__appends_to_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
