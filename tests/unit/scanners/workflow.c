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
#include "common/text.h"
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
	/* Gitea lists the directory recursively and keeps any name ending in .yml. */
	assert_true(pg_workflow_path_matches(".gitea/workflows/sub/ci.yml"));
	assert_true(pg_workflow_path_matches(".gitea/workflows/.yml"));
	assert_true(pg_workflow_path_matches(".forgejo/workflows/ci.yml"));
	assert_true(pg_workflow_path_matches(".github/workflows/CI.YAML"));
	assert_false(pg_workflow_path_matches("src/.gitea/workflows/ci.yml"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/ci.yml.bak"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/README.md"));
	assert_false(pg_workflow_path_matches(".gitea/workflows/sub/README.md"));
	assert_false(pg_workflow_path_matches(".gitea/workflows"));
	assert_false(pg_workflow_path_matches(".gitea/workflows.yml"));
	assert_false(pg_workflow_path_matches(".gitea/workflowsx/ci.yml"));
	assert_false(pg_workflow_path_matches(".gitea/ci.yml"));
	assert_false(pg_workflow_path_matches(".gitlab/workflows/ci.yml"));
	assert_false(pg_workflow_path_matches(".Gitea/workflows/ci.yml"));
	assert_false(pg_workflow_path_matches(NULL));
}

/* Every directory Gitea, Forgejo or GitHub reads, at every depth, both extensions. */
static void test_scanners_workflow__path_matches_generated(void **state)
{
	static const char *const dirs[] = { ".gitea/workflows/", ".github/workflows/",
					    ".forgejo/workflows/" };
	static const char *const subs[] = { "", "sub/", "a/b/c/", "deploy/prod/" };
	static const char *const names[] = { "ci", "Deploy-2", "x.y", "" };
	static const char *const exts[] = { ".yml", ".yaml", ".YML", ".Yaml" };
	static const char *const not_exts[] = { ".yml.bak", ".json", "", ".ymlx", "yml" };
	char path[256];
	size_t d, s, n, e;

	(void)state;
	for (d = 0; d < 3; d++)
		for (s = 0; s < 4; s++)
			for (n = 0; n < 4; n++) {
				for (e = 0; e < 4; e++) {
					snprintf(path, sizeof(path), "%s%s%s%s", dirs[d], subs[s], names[n], exts[e]);
					if (!pg_workflow_path_matches(path))
						fail_msg("not matched: %s", path);
					snprintf(path, sizeof(path), "x/%s%s%s%s", dirs[d], subs[s], names[n], exts[e]);
					if (pg_workflow_path_matches(path))
						fail_msg("matched: %s", path);
				}
				for (e = 0; e < 5; e++) {
					snprintf(path, sizeof(path), "%s%s%s%s", dirs[d], subs[s], names[n], not_exts[e]);
					if (pg_workflow_path_matches(path))
						fail_msg("matched: %s", path);
				}
			}
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

/* ---- generated variants ---- */

/* Check `yaml`; the number of problems of `check` in *n, all problems in *total. */
static void run_yaml(const struct pg_buf *yaml, enum pg_workflow_check check, size_t *n,
		     size_t *total, struct pg_workflow_problems *p)
{
	size_t i;

	pg_workflow_problems_clear(p);
	assert_int_equal(pg_workflow_check(p, ".gitea/workflows/gen.yml", yaml->ptr, yaml->size), 0);
	*n = 0;
	for (i = 0; i < p->len; i++)
		if (p->items[i].check == check)
			(*n)++;
	*total = p->len;
}

/* Exactly one problem, of `check`, whose message holds `text`; or none at all. */
static void expect_one(const struct pg_buf *yaml, enum pg_workflow_check check, const char *text)
{
	struct pg_workflow_problems p = { 0 };
	size_t n, total;

	run_yaml(yaml, check, &n, &total, &p);
	if (n != 1 || total != 1 || (text && !strstr(p.items[0].message, text))) {
		dump(&p);
		fail_msg("expected one %s with '%s' in:\n%s", ids[check], text ? text : "", yaml->ptr);
	}
	pg_workflow_problems_clear(&p);
}

static void expect_none(const struct pg_buf *yaml)
{
	struct pg_workflow_problems p = { 0 };
	size_t n, total;

	run_yaml(yaml, PG_WF_SECRET_TO_LOG, &n, &total, &p);
	if (total) {
		dump(&p);
		fail_msg("expected nothing in:\n%s", yaml->ptr);
	}
	pg_workflow_problems_clear(&p);
}

/*
 * One job with one run: step. `level` puts T: ${{ secrets.X }} in the
 * workflow's, the job's or the step's env: (0, 1, 2), or nowhere (3).
 */
static void gen_run(struct pg_buf *b, int level, const char *script)
{
	static const char env[] = "env:\n  T: ${{ secrets.X }}\n";

	pg_buf_clear(b);
	assert_int_equal(pg_buf_printf(b, "on: push\n%sjobs:\n  j:\n    runs-on: x\n%s"
				       "    steps:\n      - name: s\n%s        run: |\n"
				       "          %s\n",
				       level == 0 ? env : "", level == 1 ? "    env:\n      T: ${{ secrets.X }}\n" : "",
				       level == 2 ? "        env:\n          T: ${{ secrets.X }}\n" : "",
				       script), 0);
}

static const char *const secret_sources[] = {
	"${{ secrets.X }}", "\"${{ secrets.X }}\"", "$T", "\"$T\"", "${T}", "\"${T}\"",
};

static const char *const encoders[] = {
	"base64", "base64 -w0", "base64 -d", "base32", "basenc --base64url", "xxd", "xxd -p",
	"od -c", "od -An -tx1", "hexdump -C", "hd", "rev", "tr a-z A-Z", "tr -d '\\n'",
	"sed 's/./& /g'", "awk '{print $1}'", "cut -c1-", "fold -w1", "openssl enc -base64",
	"openssl base64", "openssl enc -aes-256-cbc -a -pass pass:x", "gzip | base64",
	"gzip -c | xxd", "xz | base64", "jq -R .", "xargs", "xargs echo", "head -c 100",
	"rev | cat", "base64 | tee out.txt", "base64 >&2", "cat | base64",
};

/* Issue 1: a secret piped through an encoder into the log, in every combination. */
static void test_scanners_workflow__encoded_secret_to_log(void **state)
{
	struct pg_buf yaml = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	char script[256];
	size_t s, e;
	int level;

	(void)state;
	for (s = 0; s < sizeof(secret_sources) / sizeof(secret_sources[0]); s++) {
		for (e = 0; e < sizeof(encoders) / sizeof(encoders[0]); e++) {
			for (level = 0; level < 3; level++) {
				snprintf(script, sizeof(script), "echo %s | %s", secret_sources[s], encoders[e]);
				gen_run(&yaml, level, script);
				expect_one(&yaml, PG_WF_SECRET_TO_LOG, "encoded or changed, by echo | ");
				snprintf(script, sizeof(script), "printf '%%s' %s | %s", secret_sources[s], encoders[e]);
				gen_run(&yaml, level, script);
				expect_one(&yaml, PG_WF_SECRET_TO_LOG, "by printf | ");
			}
			/* Here-strings feed the encoder directly. */
			if (strchr(encoders[e], '|') || strchr(encoders[e], '>') || !strncmp(encoders[e], "cat", 3))
				continue;
			snprintf(script, sizeof(script), "%s <<< %s", encoders[e], secret_sources[s]);
			gen_run(&yaml, 1, script);
			expect_one(&yaml, PG_WF_SECRET_TO_LOG, " <<<");
		}
	}
	pg_buf_release(&yaml);
}

/* ...and what stays fine: the encoded secret goes to a program or a file, or a hash. */
static void test_scanners_workflow__encoded_secret_consumed(void **state)
{
	static const char *const sinks[] = {
		"docker login -u u --password-stdin",
		"base64 | docker login -u u --password-stdin",
		"base64 -w0 > \"$RUNNER_TEMP/t\"",
		"base64 >> \"$GITHUB_OUTPUT\"",
		"gzip | base64 > t.b64",
		"gh auth login --with-token",
		"sha256sum",
		"openssl dgst -sha256",
		"wc -c",
		"grep -q x",
		"base64 | kubectl create secret generic s --from-file=t=/dev/stdin",
		"xargs -I{} curl -sf -H @- https://x",
	};
	struct pg_buf yaml = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	char script[256];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(sinks) / sizeof(sinks[0]); k++) {
		snprintf(script, sizeof(script), "echo \"$T\" | %s", sinks[k]);
		gen_run(&yaml, 2, script);
		expect_none(&yaml);
	}
	gen_run(&yaml, 2, "AUTH=$(echo -n \"u:$T\" | base64)");
	expect_none(&yaml);
	gen_run(&yaml, 2, "echo \"not secret\" | base64");
	expect_none(&yaml);
	pg_buf_release(&yaml);
}

/* Issue 2: environment dumps while a variable holds a secret, at every env: level. */
static void test_scanners_workflow__env_dump(void **state)
{
	static const struct {
		const char *script, *text;
	} dumps[] = {
		{ "printenv", "printenv writes every environment variable to the log, $T (set from secrets.X)" },
		{ "env", "env writes every environment variable" },
		{ "env | sort", "env | sort writes" },
		{ "sudo env", "env writes" },
		{ "env -0", "env writes" },
		{ "set", "set writes every shell variable" },
		{ "export -p", "export writes every exported variable" },
		{ "export", "export writes" },
		{ "declare -p", "declare writes every shell variable" },
		{ "declare -x", "declare writes" },
		{ "declare -px", "declare writes" },
		{ "typeset -p", "typeset writes" },
		{ "cat /proc/self/environ", "cat writes every environment variable" },
		{ "tr '\\\\0' '\\\\n' < /proc/$$/environ", "tr writes" },
		{ "printenv T", "$T (set from secrets.X) is written to the log by printenv" },
		{ "printenv HOME T", "$T (set from secrets.X) is written to the log by printenv" },
		{ "declare -p T", "$T (set from secrets.X) is written to the log by declare" },
		{ "printenv | base64", "printenv | base64 writes" },
		{ "env >&2", "env writes" },
	};
	static const char *const fine[] = {
		"env > env.txt", "printenv >> \"$RUNNER_TEMP/env\"", "X=$(env)", "set -e", "set -euo pipefail",
		"set -o pipefail", "export A=1", "declare -f", "declare -F", "declare -x A=1", "printenv HOME",
		"env -i make", "env A=1 make", "env | grep -c PATH", "declare -p HOME", "echo \"$HOME\"",
	};
	struct pg_buf yaml = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	size_t k;
	int level;

	(void)state;
	for (k = 0; k < sizeof(dumps) / sizeof(dumps[0]); k++) {
		for (level = 0; level < 3; level++) {
			gen_run(&yaml, level, dumps[k].script);
			expect_one(&yaml, PG_WF_SECRET_TO_LOG, dumps[k].text);
		}
		/* No variable holds a secret: nothing to leak. */
		gen_run(&yaml, 3, dumps[k].script);
		expect_none(&yaml);
	}
	for (k = 0; k < sizeof(fine) / sizeof(fine[0]); k++)
		for (level = 0; level < 3; level++) {
			gen_run(&yaml, level, fine[k]);
			expect_none(&yaml);
		}
	/* A variable the script sets from a secret counts too. */
	gen_run(&yaml, 3, "export TOKEN=${{ secrets.Y }}\n          env");
	expect_one(&yaml, PG_WF_SECRET_TO_LOG, "$TOKEN (set from secrets.Y)");
	/* A plain value in the step hides the job's secret of the same name. */
	pg_buf_clear(&yaml);
	assert_int_equal(pg_buf_puts(&yaml, "jobs:\n  j:\n    env:\n      T: ${{ secrets.X }}\n    steps:\n"
				     "      - env:\n          T: plain\n        run: env\n"), 0);
	expect_none(&yaml);
	pg_buf_release(&yaml);
}

static void gen_script(struct pg_buf *b, const char *uses, const char *script)
{
	char indented[1024];
	size_t i, n = 0;

	for (i = 0; script[i] && n + 16 < sizeof(indented); i++) {
		indented[n++] = script[i];
		if (script[i] == '\n')
			n += (size_t)snprintf(indented + n, sizeof(indented) - n, "            ");
	}
	indented[n] = '\0';
	script = indented;
	pg_buf_clear(b);
	assert_int_equal(pg_buf_printf(b, "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n"
				       "      - name: gs\n        uses: %s\n        env:\n"
				       "          T: ${{ secrets.X }}\n        with:\n"
				       "          github-token: ${{ secrets.GITHUB_TOKEN }}\n"
				       "          script: |\n            %s\n",
				       uses, script), 0);
}

/* Issue 3: actions/github-script logging a secret, any version, any logger. */
static void test_scanners_workflow__github_script_logs(void **state)
{
	static const char *const uses[] = {
		"actions/github-script@v7", "actions/github-script@v6", "actions/github-script@main",
		"actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea",
		"https://github.com/actions/github-script@v7", "https://gitea.com/actions/github-script@v7",
		"Actions/GitHub-Script@v7", "actions/github-script",
	};
	static const char *const loggers[] = {
		"console.log", "console.info", "console.warn", "console.error", "console.debug",
		"core.info", "core.debug", "core.warning", "core.notice", "core.error", "core.setFailed",
		"process.stdout.write",
	};
	static const struct {
		const char *setup, *arg, *text;
	} sources[] = {
		{ "", "'${{ secrets.A }}'", "secrets.A is written to the log by " },
		{ "", "\"token: ${{ secrets.A }}\"", "secrets.A is written" },
		{ "", "`${{ secrets.A }}`", "secrets.A is written" },
		{ "", "process.env.T", "process.env.T (set from secrets.X) is written" },
		{ "", "process.env['T']", "(set from secrets.X) is written" },
		{ "", "`t=${process.env.T}`", "process.env.T (set from secrets.X)" },
		{ "const t = process.env.T; ", "t", "t (set from secrets.X) is written" },
		{ "let t = '${{ secrets.A }}'; ", "`value: ${t}`", "t (set from secrets.A) is written" },
		{ "var a = 1, t = process.env.T; ", "{ t }", "t (set from secrets.X)" },
		{ "const u = process.env.T; const t = u + '!'; ", "t", "t (set from secrets.X)" },
		{ "const t = JSON.stringify({ k: process.env.T }); ", "t", "t (set from secrets.X)" },
	};
	struct pg_buf yaml = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	char script[512];
	size_t u, l, s;

	(void)state;
	for (u = 0; u < sizeof(uses) / sizeof(uses[0]); u++)
		for (l = 0; l < sizeof(loggers) / sizeof(loggers[0]); l++)
			for (s = 0; s < sizeof(sources) / sizeof(sources[0]); s++) {
				/* A secret interpolated into the script is also a warning, unless logged there. */
				if (strstr(sources[s].setup, "${{"))
					continue;
				snprintf(script, sizeof(script), "%s%s(%s);", sources[s].setup, loggers[l],
					 sources[s].arg);
				gen_script(&yaml, uses[u], script);
				expect_one(&yaml, PG_WF_SECRET_TO_LOG, sources[s].text);
			}
	/* Assigned from an interpolated secret: a warning where it is pasted, a rejection where logged. */
	gen_script(&yaml, "actions/github-script@v7", "let t = '${{ secrets.A }}'; core.info(`v: ${t}`);");
	{
		struct pg_workflow_problems p = { 0 };
		size_t n, total;

		run_yaml(&yaml, PG_WF_SECRET_TO_LOG, &n, &total, &p);
		assert_int_equal(n, 1);
		assert_int_equal(total, 2);
		assert_non_null(strstr(p.items[0].message, "interpolated into the script of actions/github-script"));
		pg_workflow_problems_clear(&p);
	}
	pg_buf_release(&yaml);
}

/* ...and what stays fine: the secret used, not logged; a logged length; comments; other actions. */
static void test_scanners_workflow__github_script_passes(void **state)
{
	static const char *const fine[] = {
		"const t = process.env.T; await github.request('GET /x', { headers: { a: t } });",
		"const t = process.env.T; console.log(t.length);",
		"const t = process.env.T; console.log('t is set');",
		"const t = process.env.T; core.info(`token length ${t.length}`);",
		"// console.log(process.env.T)\nconsole.log('done');",
		"/* core.info(process.env.T) */ core.info('ok');",
		"let t = process.env.T; t = 'hidden'; console.log(t);",
		"console.log(process.env.HOME); core.info(context.sha);",
		"const t = process.env.T;\nconst u = 'x';\nconsole.log(u);",
	};
	struct pg_buf yaml = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(fine) / sizeof(fine[0]); k++) {
		gen_script(&yaml, "actions/github-script@v7", fine[k]);
		expect_none(&yaml);
	}
	/* Not github-script: with.script is that action's business. */
	gen_script(&yaml, "actions/github-scripts@v7", "console.log('${{ secrets.A }}');");
	expect_none(&yaml);
	gen_script(&yaml, "example/actions/github-script@v7", "console.log(process.env.T);");
	expect_none(&yaml);
	pg_buf_release(&yaml);
}

/* A deterministic token of `len` characters from `alphabet` after `prefix`. */
static void gen_token(char *out, size_t cap, const char *prefix, size_t len, unsigned *seed)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t n = strlen(prefix), i;

	assert_true(n + len < cap);
	memcpy(out, prefix, n);
	for (i = 0; i < len; i++) {
		*seed = *seed * 1103515245u + 12345u;
		out[n + i] = alphabet[(*seed >> 16) % 62];
	}
	/* Mixed classes for sure: the generic rule, not luck, decides. */
	out[n] = 'Q';
	out[n + 1] = 'q';
	out[n + 2] = '7';
	out[n + len] = '\0';
}

/* Append `tmpl` with each "%s" replaced by `token` (no format string from a table). */
static void put_with_token(struct pg_buf *out, const char *tmpl, const char *token)
{
	const char *at;

	while ((at = strstr(tmpl, "%s"))) {
		assert_int_equal(pg_buf_put(out, tmpl, (size_t)(at - tmpl)), 0);
		assert_int_equal(pg_buf_puts(out, token), 0);
		tmpl = at + 2;
	}
	assert_int_equal(pg_buf_puts(out, tmpl), 0);
}

/*
 * Issue 5: a token pasted into any quoted part of the file (a job id, a
 * step name, an env name, a secret's name, the path) never appears whole.
 */
static void test_scanners_workflow__messages_redact_tokens(void **state)
{
	static const char *const prefixes[] = { "ghp_", "gho_", "github_pat_", "glpat-", "xoxb-",
						"AKIA", "", "sk_live_" };
	static const char *const places[] = {
		"jobs:\n  %s:\n    steps:\n      - run: echo ${{ secrets.X }}\n",
		"jobs:\n  j:\n    steps:\n      - name: deploy %s now\n        run: echo ${{ secrets.X }}\n",
		"jobs:\n  j:\n    env:\n      %s: ${{ secrets.X }}\n    steps:\n      - run: echo ${{ env.%s }}\n",
		"jobs:\n  j:\n    steps:\n      - run: echo ${{ secrets['%s'] }}\n",
		"jobs:\n  j:\n    steps:\n      - run: |\n          %s=${{ secrets.X }}\n          printenv %s\n",
	};
	struct pg_buf yaml = PG_BUF_INIT(PG_WORKFLOW_MAX_SIZE);
	struct pg_workflow_problems p = { 0 };
	char token[128], path[192];
	unsigned seed = 7;
	size_t k, w, i;

	(void)state;
	for (k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		for (w = 0; w < sizeof(places) / sizeof(places[0]); w++) {
			gen_token(token, sizeof(token), prefixes[k], 20 + 4 * w, &seed);
			if (w == 4 || w == 2) /* a shell or env name: letters, digits, _ */
				for (i = 0; token[i]; i++)
					if (token[i] == '-')
						token[i] = '_';
			pg_buf_clear(&yaml);
			put_with_token(&yaml, places[w], token);
			snprintf(path, sizeof(path), ".gitea/workflows/%s.yml", token);
			assert_int_equal(pg_workflow_check(&p, path, yaml.ptr, yaml.size), 0);
			if (!p.len)
				fail_msg("no problem for:\n%s", yaml.ptr);
			for (i = 0; i < p.len; i++) {
				if (strstr(p.items[i].message, token))
					fail_msg("full token in: %s", p.items[i].message);
				assert_non_null(strstr(p.items[i].message, "...(redacted)"));
			}
			pg_workflow_problems_clear(&p);
		}
	}
	pg_buf_release(&yaml);
}

/* The masking helper itself: tokens go, words, paths, ids and redacted forms stay. */
static void test_scanners_workflow__mask_helper(void **state)
{
	static const char aws[] = "k=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\x1b";
	static const char *const kept[] = {
		".gitea/workflows/deploy-hub.yml:16: job 'deploy', step 'Deploy to production'",
		"refs/heads/feature/prov-step10-rewrite", "src/Config/AppSettings2.json",
		"commit 0123456789abcdef0123456789abcdef01234567", "secrets.REGISTRY_PASSWORD",
		"ghp_ab...(redacted)", "$TOKEN (set from secrets.DEPLOY_TOKEN)",
		"feature-command-classification-for-wrapper", "\\\\x1b[31m", "",
	};
	struct pg_buf b = PG_BUF_INIT(4096);
	char token[128], text[256];
	unsigned seed = 11;
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(kept) / sizeof(kept[0]); k++) {
		pg_buf_clear(&b);
		assert_int_equal(pg_buf_put_masked(&b, kept[k], strlen(kept[k])), 0);
		assert_string_equal(b.ptr, kept[k]);
	}
	for (k = 16; k < 60; k++) {
		gen_token(token, sizeof(token), k % 2 ? "" : "ghp_", k, &seed);
		snprintf(text, sizeof(text), "a \"%s\" b", token);
		pg_buf_clear(&b);
		assert_int_equal(pg_buf_put_masked(&b, text, strlen(text)), 0);
		assert_null(strstr(b.ptr, token));
		assert_non_null(strstr(b.ptr, "...(redacted)\" b"));
		assert_true(pg_text_secret_like(token, strlen(token)));
	}
	/* A well-known AWS example key, '/' inside, stays one token. */
	pg_buf_clear(&b);
	assert_int_equal(pg_buf_put_escaped_masked(&b, aws, sizeof(aws) - 1), 0);
	assert_string_equal(b.ptr, "k=wJal...(redacted)\\x1b");
	pg_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_workflow__path_matches),
		cmocka_unit_test(test_scanners_workflow__path_matches_generated),
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
		cmocka_unit_test(test_scanners_workflow__encoded_secret_to_log),
		cmocka_unit_test(test_scanners_workflow__encoded_secret_consumed),
		cmocka_unit_test(test_scanners_workflow__env_dump),
		cmocka_unit_test(test_scanners_workflow__github_script_logs),
		cmocka_unit_test(test_scanners_workflow__github_script_passes),
		cmocka_unit_test(test_scanners_workflow__messages_redact_tokens),
		cmocka_unit_test(test_scanners_workflow__mask_helper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
