/*
 * Unit tests for scanners/engine.c and scanners/pcre_verify.c: Hyperscan
 * hits confirmed by PCRE2, secret extraction, filters, ordering, limits.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <git2.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "scanners/engine.h"
#include "scanners/rules.h"

struct env {
	struct pg_rules *rules;
	struct pg_scanner *scanner;
	struct pg_scan_ctx *ctx;
};

#define MAX_FOUND 512

struct found {
	size_t n;
	struct pg_match m[MAX_FOUND];
	char secret[MAX_FOUND][80];
};

static const struct pg_scanner_opts no_cache = { "" };

static void env_open(struct env *e, const char *yaml)
{
	memset(e, 0, sizeof(*e));
	if (pg_rules_load_buffer(&e->rules, "t.yml", yaml, strlen(yaml)) < 0 ||
	    pg_scanner_new(&e->scanner, e->rules, &no_cache) < 0 ||
	    pg_scan_ctx_new(&e->ctx, e->scanner) < 0)
		fail_msg("setup: %s", pg_error_last());
}

static void env_close(struct env *e)
{
	pg_scan_ctx_free(e->ctx);
	pg_scanner_free(e->scanner);
	pg_rules_free(e->rules);
}

static int collect(const struct pg_match *m, const char *buf, void *payload)
{
	struct found *f = payload;
	size_t n = m->secret_end - m->secret_start;

	if (f->n == MAX_FOUND)
		return -100;
	f->m[f->n] = *m;
	if (n >= sizeof(f->secret[0]))
		n = sizeof(f->secret[0]) - 1;
	memcpy(f->secret[f->n], buf + m->secret_start, n);
	f->secret[f->n][n] = '\0';
	f->n++;
	return 0;
}

static size_t scan(struct env *e, const char *path, const char *buf, size_t len, struct found *f)
{
	int rc;

	memset(f, 0, sizeof(*f));
	rc = pg_scan_buffer(e->ctx, path, buf, len, collect, f);
	if (rc != 0)
		fail_msg("scan returned %d: %s", rc, pg_error_last());
	return f->n;
}

static size_t scan_str(struct env *e, const char *path, const char *s, struct found *f)
{
	return scan(e, path, s, strlen(s), f);
}

#define TOKEN "ghp_R8xw2Lq9ZtB4mNc7Vy1Kd3Hs6Pf0Jg5Ue2Ta"

static const char gh_rules[] =
	"rules:\n"
	"  - id: github-pat\n"
	"    description: GitHub token\n"
	"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n";

static void test_scanners_engine__match_and_offsets(void **state)
{
	static const char text[] = "line one\ntoken = \"" TOKEN "\"\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, gh_rules);
	assert_int_equal(scan_str(&e, "a.py", "nothing to see", f), 0);
	assert_int_equal(scan_str(&e, "a.py", text, f), 1);
	assert_string_equal(f->m[0].rule->id, "github-pat");
	assert_int_equal(f->m[0].rule_index, 0);
	assert_int_equal(f->m[0].secret_start, 18);
	assert_int_equal(f->m[0].secret_end, 18 + 40);
	assert_int_equal(f->m[0].match_start, 18);
	assert_int_equal(f->m[0].match_end, 58);
	assert_string_equal(f->secret[0], TOKEN);
	assert_int_equal(scan_str(&e, NULL, "ghp_tooshort and ghp_R8xw2Lq9ZtB4mNc7Vy1Kd3Hs6Pf0Jg5Ue2TaX", f), 0);
	assert_int_equal(scan(&e, NULL, "", 0, f), 0);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__generic_yields_to_specific(void **state)
{
	static const char rules[] =
		"rules:\n"
		"  - id: generic-token\n"
		"    description: generic\n"
		"    generic: true\n"
		"    pattern: 'token\\s*=\\s*\"([^\"]{20,80})\"'\n"
		"  - id: github-pat\n"
		"    description: GitHub token\n"
		"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n";
	static const char both[] = "token = \"" TOKEN "\"\n";
	static const char generic_only[] = "token = \"Zq8Lw3Rt6Yp1Vx4Nm7Kc0Bh5Jd2Gf9Hs\"\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, rules);
	assert_int_equal(scan_str(&e, "a.py", both, f), 1);
	assert_string_equal(f->m[0].rule->id, "github-pat");
	assert_int_equal(scan_str(&e, "a.py", generic_only, f), 1);
	assert_string_equal(f->m[0].rule->id, "generic-token");
	env_close(&e);
	free(f);
}

static void test_scanners_engine__secret_group(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: kv\n"
		"    description: d\n"
		"    pattern: '(?i)(api_key)\\s*=\\s*\"([A-Za-z0-9]{12,})\"'\n"
		"    secret_group: 2\n"
		"  - id: whole\n"
		"    description: d\n"
		"    pattern: 'sk-[a-f0-9]{8}'\n"
		"  - id: default-one\n"
		"    description: d\n"
		"    pattern: 'pw:(\\w{6,})'\n";
	static const char text[] = "x API_KEY = \"abcDEF123456xyz\" sk-0123abcd pw:hunter22";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, text, f), 3);
	assert_string_equal(f->m[0].rule->id, "kv");
	assert_string_equal(f->secret[0], "abcDEF123456xyz");
	assert_int_equal(f->m[0].match_start, 2);
	assert_int_equal(f->m[0].secret_start, 13);
	assert_string_equal(f->secret[1], "sk-0123abcd");
	assert_int_equal(f->m[1].match_start, f->m[1].secret_start);
	assert_string_equal(f->secret[2], "hunter22");
	assert_int_equal(f->m[2].match_start + 3, f->m[2].secret_start);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__entropy_threshold(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: tok\n"
		"    description: d\n"
		"    pattern: 'tok_([a-zA-Z0-9]{16})'\n"
		"    min_entropy: 3.5\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, "tok_aaaaaaaaaaaaaaaa", f), 0);
	assert_int_equal(scan_str(&e, NULL, "tok_abababababababab", f), 0);
	assert_int_equal(scan_str(&e, NULL, "tok_Q7x9LmP2vB4nR8kZ", f), 1);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__keywords(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: hex\n"
		"    description: d\n"
		"    pattern: '\\b([a-f0-9]{32})\\b'\n"
		"    keywords: [Secret, token]\n";
	static const char text[] =
		"secret\n"
		"0123456789abcdef0123456789abcdef\n"
		"my_SECRET = 11111111111111111111111111111111\n"
		"x = 22222222222222222222222222222222 # TOKEN\n"
		"x = 33333333333333333333333333333333\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, text, f), 2);
	assert_string_equal(f->secret[0], "11111111111111111111111111111111");
	assert_string_equal(f->secret[1], "22222222222222222222222222222222");
	env_close(&e);
	free(f);
}

static void test_scanners_engine__keywords_multiline_match(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: pair\n"
		"    description: d\n"
		"    pattern: 'user=\\w+\\s+pass=(\\w{6,})'\n"
		"    keywords: [login]\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, "# login\nuser=bob\npass=hunter22\n", f), 0);
	assert_int_equal(scan_str(&e, NULL, "LOGIN: user=bob\npass=hunter22\n", f), 1);
	assert_int_equal(scan_str(&e, NULL, "user=bob\npass=hunter22 login\n", f), 1);
	assert_int_equal(scan_str(&e, NULL, "user=bob\npass=hunter22\nlogin\n", f), 0);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__match_across_lines(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: generic\n"
		"    description: d\n"
		"    pattern: '(?i)(?:password|secret)[\"'']?\\s*[:=]\\s*[\"'']?([A-Za-z0-9]{12,})'\n";
	static const char text[] =
		"config:\n"
		"  password:\n"
		"    Zx8qR2mL5vQ7\n"
		"  user: bob\n"
		"secret =\n\n\n   'Ab3De5Gh7Jk9Lm'\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, text, f), 2);
	assert_string_equal(f->secret[0], "Zx8qR2mL5vQ7");
	assert_int_equal(f->m[0].match_start, 10);
	assert_string_equal(f->secret[1], "Ab3De5Gh7Jk9Lm");
	env_close(&e);
	free(f);
}

static void test_scanners_engine__stopwords(void **state)
{
	static const char yaml[] =
		"allow:\n"
		"  stopwords: [EXAMPLE]\n"
		"rules:\n"
		"  - id: key\n"
		"    description: d\n"
		"    pattern: 'key=([A-Za-z0-9]{10,})'\n"
		"    allow: {stopwords: [placeholder]}\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, "key=myExAmPle123", f), 0);
	assert_int_equal(scan_str(&e, NULL, "key=PLACEHOLDERxx", f), 0);
	assert_int_equal(scan_str(&e, NULL, "example key=Zq8Vn3Lp0Xw", f), 1);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__allow_regexes(void **state)
{
	static const char yaml[] =
		"allow:\n"
		"  regexes: ['^\\$\\{\\{.*\\}\\}$']\n"
		"rules:\n"
		"  - id: pw\n"
		"    description: d\n"
		"    pattern: 'password: (\\S{8,})'\n"
		"    allow: {regexes: ['^0+$']}\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, "password: ${{secrets.DB}}", f), 0);
	assert_int_equal(scan_str(&e, NULL, "password: 000000000", f), 0);
	assert_int_equal(scan_str(&e, NULL, "password: x${{secrets.DB}}", f), 1);
	assert_int_equal(scan_str(&e, NULL, "password: 0000000001", f), 1);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__paths(void **state)
{
	static const char yaml[] =
		"allow:\n"
		"  paths: ['**/testdata/**']\n"
		"  generic_paths: ['*.min.js', '**/package-lock.json']\n"
		"rules:\n"
		"  - id: env-only\n"
		"    description: d\n"
		"    pattern: 'DB_PASS=\\w{6,}'\n"
		"    paths: ['*.env', 'config/**']\n"
		"  - id: generic\n"
		"    description: d\n"
		"    pattern: 'secret=\\w{6,}'\n"
		"    generic: true\n"
		"    allow: {paths: ['docs/**']}\n"
		"  - id: specific\n"
		"    description: d\n"
		"    pattern: 'ghs_\\w{10}'\n";
	static const char text[] = "DB_PASS=abcdef12 secret=abcdef12 ghs_0123456789";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, text, f), 3);
	assert_int_equal(scan_str(&e, "src/a.py", text, f), 2);
	assert_string_equal(f->m[0].rule->id, "generic");
	assert_int_equal(scan_str(&e, "deploy/prod.env", text, f), 3);
	assert_int_equal(scan_str(&e, "config/a/b.yml", text, f), 3);
	assert_int_equal(scan_str(&e, "a/testdata/x.env", text, f), 0);
	assert_int_equal(scan_str(&e, "web/app.min.js", text, f), 1);
	assert_string_equal(f->m[0].rule->id, "specific");
	assert_int_equal(scan_str(&e, "package-lock.json", text, f), 1);
	assert_int_equal(scan_str(&e, "docs/a.md", text, f), 1);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__inline_allow(void **state)
{
	static const char text[] =
		"a = \"" TOKEN "\"  # pushgate:allow\n"
		"b = \"" TOKEN "\"\n"
		"/* pushgate:allow */ c = '" TOKEN "'\n"
		"d = '" TOKEN "' # pushgate: allow\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, gh_rules);
	assert_int_equal(scan_str(&e, NULL, text, f), 2);
	assert_int_equal(f->m[0].secret_start, strlen("a = \"" TOKEN "\"  # pushgate:allow\nb = \""));
	env_close(&e);
	free(f);
}

static size_t scan_where(struct env *e, const struct pg_scan_where *where, const char *s,
			 struct found *f)
{
	f->n = 0;
	if (pg_scan_buffer_at(e->ctx, where, s, strlen(s), collect, f) != 0)
		fail_msg("scan: %s", pg_error_last());
	return f->n;
}

static const char scoped_rules[] =
	"allow:\n"
	"  generic_paths: ['vendor/**']\n"
	"rules:\n"
	"  - id: env-only\n"
	"    description: d\n"
	"    pattern: 'DB_PASS=\\w{6,}'\n"
	"    paths: ['*.env']\n"
	"  - id: generic\n"
	"    description: d\n"
	"    pattern: 'secret=\\w{6,}'\n"
	"    generic: true\n"
	"  - id: specific\n"
	"    description: d\n"
	"    pattern: 'ghs_\\w{10}'\n";

/* A move reports only the rules that apply at the new path and not at the old one. */
static void test_scanners_engine__except_path(void **state)
{
	static const char text[] = "DB_PASS=abcdef12 secret=abcdef12 ghs_0123456789";
	struct pg_scan_where from_vendor = { "prod.env", "vendor/e", false };
	struct pg_scan_where from_env = { "prod.env", "old.env", false };
	struct pg_scan_where from_py = { "prod.env", "a.py", false };
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, scoped_rules);
	assert_int_equal(scan_where(&e, &from_vendor, text, f), 2);
	assert_string_equal(f->m[0].rule->id, "env-only");
	assert_string_equal(f->m[1].rule->id, "generic");
	assert_int_equal(scan_where(&e, &from_env, text, f), 0);
	assert_int_equal(scan_where(&e, &from_py, text, f), 1);
	assert_string_equal(f->m[0].rule->id, "env-only");
	/* The ctx forgets the exception: a plain scan after it sees all three. */
	assert_int_equal(scan_str(&e, "prod.env", text, f), 3);
	env_close(&e);
	free(f);
}

/* Equal scope keys exactly where the same rules apply. */
static void test_scanners_engine__path_scope(void **state)
{
	struct pg_buf a = PG_BUF_INIT(4096), b = PG_BUF_INIT(4096);
	static const char *const same[][2] = {
		{ "src/a.py", "lib/b.c" }, { "vendor/x", "vendor/y/z.py" }, { "a.env", "b/c.env" },
	};
	static const char *const differ[][2] = {
		{ "src/a.py", "vendor/a.py" }, { "a.env", "a.py" }, { "vendor/a.env", "a.env" },
	};
	struct env e;
	size_t i;

	(void)state;
	env_open(&e, scoped_rules);
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		pg_buf_clear(&a);
		pg_buf_clear(&b);
		assert_int_equal(pg_scanner_path_scope(e.scanner, same[i][0], &a), 0);
		assert_int_equal(pg_scanner_path_scope(e.scanner, same[i][1], &b), 0);
		assert_string_equal(a.ptr, b.ptr);
	}
	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
		pg_buf_clear(&a);
		pg_buf_clear(&b);
		assert_int_equal(pg_scanner_path_scope(e.scanner, differ[i][0], &a), 0);
		assert_int_equal(pg_scanner_path_scope(e.scanner, differ[i][1], &b), 0);
		assert_string_not_equal(a.ptr, b.ptr);
	}
	pg_buf_release(&a);
	pg_buf_release(&b);
	env_close(&e);
}

/* report_allowed passes inline-allowed matches on, marked; nothing else changes. */
static void test_scanners_engine__report_allowed(void **state)
{
	static const char text[] =
		"a = \"" TOKEN "\"  # pushgate:allow\n"
		"b = \"" TOKEN "\"\n";
	struct pg_scan_where where = { "x.py", NULL, true };
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, gh_rules);
	assert_int_equal(scan_where(&e, &where, text, f), 2);
	assert_true(f->m[0].inline_allowed);
	assert_false(f->m[1].inline_allowed);
	where.report_allowed = false;
	assert_int_equal(scan_where(&e, &where, text, f), 1);
	assert_false(f->m[0].inline_allowed);
	env_close(&e);
	free(f);
}

static const char multi_rules[] =
	"rules:\n"
	"  - id: github-pat\n"
	"    description: d\n"
	"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n"
	"  - id: aws\n"
	"    description: d\n"
	"    pattern: '\\b(AKIA[0-9A-Z]{16})\\b'\n"
	"  - id: anything-long\n"
	"    description: d\n"
	"    pattern: '[0-9A-Za-z_]{40,}'\n"
	"    paths: ['*.log']\n";

static void test_scanners_engine__many_secrets_in_order(void **state)
{
	struct found *f = malloc(sizeof(*f));
	char *buf = malloc(200 * 100);
	size_t len = 0, i;
	struct env e;

	(void)state;
	env_open(&e, multi_rules);
	for (i = 0; i < 100; i++)
		len += (size_t)snprintf(buf + len, 200, "k%zu = 'ghp_%036zu' and AKIA%016zu;\n", i, i, i);
	assert_int_equal(scan(&e, "x.txt", buf, len, f), 200);
	for (i = 0; i < 200; i++) {
		if (i > 0)
			assert_true(f->m[i].secret_start > f->m[i - 1].secret_start);
		assert_string_equal(f->m[i].rule->id, i % 2 ? "aws" : "github-pat");
	}
	env_close(&e);
	free(buf);
	free(f);
}

static void test_scanners_engine__same_start_sorted_by_rule(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: long\n"
		"    description: d\n"
		"    pattern: 'ghp_[0-9A-Za-z]{20,}'\n"
		"  - id: exact\n"
		"    description: d\n"
		"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, yaml);
	assert_int_equal(scan_str(&e, NULL, "x " TOKEN " y", f), 2);
	assert_int_equal(f->m[0].rule_index, 0);
	assert_int_equal(f->m[1].rule_index, 1);
	assert_int_equal(f->m[0].secret_start, 2);
	assert_int_equal(f->m[1].secret_start, 2);
	assert_int_equal(f->m[0].secret_end, 42);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__greedy_match_reported_once(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: run\n"
		"    description: d\n"
		"    pattern: '[a-z]{20,}'\n";
	struct found *f = malloc(sizeof(*f));
	char *buf = malloc(3000);
	struct env e;

	(void)state;
	env_open(&e, yaml);
	memset(buf, 'q', 3000);
	buf[1000] = ' ';
	assert_int_equal(scan(&e, NULL, buf, 3000, f), 2);
	assert_int_equal(f->m[0].secret_start, 0);
	assert_int_equal(f->m[0].secret_end, 1000);
	assert_int_equal(f->m[1].secret_start, 1001);
	assert_int_equal(f->m[1].secret_end, 3000);
	env_close(&e);
	free(buf);
	free(f);
}

static void test_scanners_engine__long_match_widens_window(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: pem\n"
		"    description: d\n"
		"    pattern: '-----BEGIN PRIVATE KEY-----[A-Za-z0-9+/=\\s]{32,}?-----END PRIVATE KEY-----'\n";
	struct found *f = malloc(sizeof(*f));
	char *buf = malloc(20000);
	size_t len = 0, i;
	struct env e;

	(void)state;
	env_open(&e, yaml);
	len += (size_t)snprintf(buf, 100, "prefix\n-----BEGIN PRIVATE KEY-----\n");
	for (i = 0; i < 150; i++)
		len += (size_t)snprintf(buf + len, 100, "%s\n",
					"MIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAq7BFUpkGp3+LQmlQ");
	len += (size_t)snprintf(buf + len, 100, "-----END PRIVATE KEY-----\n");
	assert_int_equal(scan(&e, NULL, buf, len, f), 1);
	assert_int_equal(f->m[0].match_start, 7);
	assert_int_equal(f->m[0].match_end, len - 1);
	env_close(&e);
	free(buf);
	free(f);
}

static void test_scanners_engine__buffer_edges(void **state)
{
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, gh_rules);
	assert_int_equal(scan_str(&e, NULL, TOKEN, f), 1);
	assert_int_equal(f->m[0].secret_start, 0);
	assert_int_equal(f->m[0].secret_end, 40);
	assert_int_equal(scan_str(&e, NULL, TOKEN "\n" TOKEN, f), 2);
	assert_int_equal(f->m[1].secret_end, 81);
	/* A buffer that stops inside the secret has no secret. */
	assert_int_equal(scan(&e, NULL, TOKEN, 39, f), 0);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__nul_and_invalid_utf8(void **state)
{
	static const char text[] = "\0\xff\xfe\xc3(" TOKEN "\0\x80\x80 \xed\xa0\x80" TOKEN "\0";
	struct found *f = malloc(sizeof(*f));
	struct env e;

	(void)state;
	env_open(&e, gh_rules);
	assert_int_equal(scan(&e, "bin.dat", text, sizeof(text) - 1, f), 2);
	assert_int_equal(f->m[0].secret_start, 5);
	assert_string_equal(f->secret[0], TOKEN);
	assert_string_equal(f->secret[1], TOKEN);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__five_mb_line(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: github-pat\n"
		"    description: d\n"
		"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n"
		"    keywords: [ghp]\n"
		"  - id: x-run\n"
		"    description: d\n"
		"    pattern: 'x{30,}'\n"
		"    keywords: [zzz]\n";
	size_t len = (size_t)5 << 20, i;
	struct found *f = malloc(sizeof(*f));
	char *buf = malloc(len);
	struct env e;
	clock_t t0;

	(void)state;
	env_open(&e, yaml);
	for (i = 0; i < len; i++)
		buf[i] = "abcdefgh ,;="[i % 12];
	memcpy(buf + len / 2, " " TOKEN " ", 42);
	memcpy(buf + len - 41, " " TOKEN, 41);
	memcpy(buf + 500, " ZZZ ", 5);
	memcpy(buf + 1000, " ", 1);
	memset(buf + 1001, 'x', 2 << 20);
	t0 = clock();
	assert_int_equal(scan(&e, "big.min.txt", buf, len, f), 3);
	assert_string_equal(f->m[0].rule->id, "x-run");
	assert_int_equal(f->m[0].secret_start, 1001);
	assert_int_equal(f->m[0].secret_end, 1001 + (2 << 20));
	assert_int_equal(f->m[1].secret_start, len / 2 + 1);
	assert_int_equal(f->m[2].secret_start, len - 40);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	env_close(&e);
	free(buf);
	free(f);
}

static void test_scanners_engine__catastrophic_pattern_hits_limit(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: fine\n"
		"    description: d\n"
		"    pattern: 'sk-[0-9]{6}'\n"
		"  - id: evil\n"
		"    description: d\n"
		"    pattern: '(a+)+$|b'\n";
	struct found *f = malloc(sizeof(*f));
	char buf[64];
	const uint64_t *hits;
	size_t n;
	struct env e;
	clock_t t0;

	(void)state;
	env_open(&e, yaml);
	memset(buf, 'a', 40);
	buf[40] = 'b';
	memcpy(buf + 41, " sk-123456", 10);
	t0 = clock();
	assert_int_equal(scan(&e, NULL, buf, 51, f), 1);
	assert_string_equal(f->m[0].rule->id, "fine");
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
	hits = pg_scan_ctx_limit_hits(e.ctx, &n);
	assert_int_equal(n, 2);
	assert_int_equal(hits[0], 0);
	assert_true(hits[1] >= 1);
	env_close(&e);
	free(f);
}

static void test_scanners_engine__prefilter_false_hits_stay_cheap(void **state)
{
	static const char yaml[] =
		"rules:\n"
		"  - id: digit-key\n"
		"    description: d\n"
		"    pattern: 'key(?=[0-9])'\n"
		"  - id: after-token\n"
		"    description: d\n"
		"    pattern: '(?<=token:)[a-z0-9]{12}'\n";
	size_t len = (size_t)8 << 20, i, keys = 0;
	struct found *f = malloc(sizeof(*f));
	char *buf = malloc(len);
	struct env e;
	clock_t t0;

	(void)state;
	env_open(&e, yaml);
	memset(buf, '.', len);
	for (i = 0; i + 1000 < len; i += 1000) {
		memcpy(buf + i, "key tokem:abcdefabcdef", 22);
		if (i % 50000 == 0) {
			buf[i + 3] = '7';
			keys++;
		}
	}
	memcpy(buf + 500, "token:abcdefabcdef", 18);
	t0 = clock();
	assert_int_equal(scan(&e, NULL, buf, len, f), keys + 1);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	assert_int_equal(f->m[1].secret_start, 506);
	assert_string_equal(f->secret[1], "abcdefabcdef");
	env_close(&e);
	free(buf);
	free(f);
}

static int stop_cb(const struct pg_match *m, const char *buf, void *payload)
{
	(void)m;
	(void)buf;
	(*(int *)payload)++;
	return 7;
}

static void test_scanners_engine__callback_stops_scan(void **state)
{
	struct env e;
	int calls = 0;

	(void)state;
	env_open(&e, gh_rules);
	assert_int_equal(pg_scan_buffer(e.ctx, NULL, TOKEN " " TOKEN, 81, stop_cb, &calls), 7);
	assert_int_equal(calls, 1);
	env_close(&e);
}

static void test_scanners_engine__ctx_reuse_across_buffers(void **state)
{
	struct found *f = malloc(sizeof(*f));
	char *big = malloc(100000);
	struct env e;

	(void)state;
	env_open(&e, multi_rules);
	memset(big, 'a', 100000);
	assert_int_equal(scan(&e, NULL, big, 100000, f), 1);
	/* Per-rule state from the long buffer must not leak into a short one. */
	assert_int_equal(scan_str(&e, NULL, "x AKIA0123456789ABCDEF", f), 1);
	assert_int_equal(scan_str(&e, NULL, "AKIA0123456789ABCDEF", f), 1);
	assert_int_equal(f->m[0].secret_start, 0);
	env_close(&e);
	free(big);
	free(f);
}

static int count_match(const struct pg_match *m, const char *buf, void *payload)
{
	(void)m;
	(void)buf;
	++*(size_t *)payload;
	return 0;
}

struct agree {
	struct env e;
	size_t texts, found, passed_over;  /* texts with findings; with no hit at all */
};

/* The full scan's count of `text` at `path`, after checking the first pass agrees. */
static void check_agrees(struct agree *a, const char *path, const char *text, size_t len)
{
	size_t n = 0;
	int may, rc;

	may = pg_scan_buffer_may_match(a->e.ctx, text, len);
	assert_true(may == 0 || may == 1);
	if ((rc = pg_scan_buffer(a->e.ctx, path, text, len, count_match, &n)) != 0)
		fail_msg("scan of %s returned %d: %s", path, rc, pg_error_last());
	if (n && !may)
		fail_msg("%s: %zu findings, but the first pass saw no hit in %.*s", path, n,
			 (int)(len > 200 ? 200 : len), text);
	a->texts++;
	a->found += n != 0;
	a->passed_over += !may;
}

/* The whole file, each line alone and each pair of lines, as a diff hands them over. */
static void check_file(struct agree *a, const char *path, const char *rel)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t at, end, next;

	if (pg_file_read(&text, path) < 0)
		fail_msg("reading %s: %s", path, pg_error_last());
	check_agrees(a, rel, text.ptr, text.size);
	check_agrees(a, "x.txt", text.ptr, text.size);
	for (at = 0; at < text.size; at = next) {
		const char *nl = memchr(text.ptr + at, '\n', text.size - at);

		next = end = nl ? (size_t)(nl - text.ptr) + 1 : text.size;
		check_agrees(a, rel, text.ptr + at, end - at);
		if (end < text.size) {
			nl = memchr(text.ptr + end, '\n', text.size - end);
			end = nl ? (size_t)(nl - text.ptr) + 1 : text.size;
			check_agrees(a, rel, text.ptr + at, end - at);
		}
	}
	pg_buf_release(&text);
}

static void check_tree(struct agree *a, const char *dir, const char *rel)
{
	char path[4096], sub[4096];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		fail_msg("cannot open %s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' && (!de->d_name[1] || !strcmp(de->d_name, "..")))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
		if (de->d_type == DT_DIR)
			check_tree(a, path, sub);
		else
			check_file(a, path, sub);
	}
	closedir(d);
}

/*
 * The diff threads pass over text in which the first pass saw no hit
 * (pg_scan_buffer_may_match()): with the built-in rules, on every file
 * of the labelled recall corpus, whole and line by line, no text the
 * full scan finds anything in may be one of them; and many lines are.
 */
static void test_scanners_engine__may_match_never_misses(void **state)
{
	const char *src = getenv("PUSHGATE_SRC");
	static const char code[] =
		"static int add(int a, int b)\n{\n\treturn a + b;\n}\n";
	char dir[4096];
	struct agree a;

	(void)state;
	if (!src)
		fail_msg("PUSHGATE_SRC is not set: run this through tests/run.sh");
	memset(&a, 0, sizeof(a));
	if (pg_rules_load_default(&a.e.rules) < 0 ||
	    pg_scanner_new(&a.e.scanner, a.e.rules, &no_cache) < 0 ||
	    pg_scan_ctx_new(&a.e.ctx, a.e.scanner) < 0)
		fail_msg("setup: %s", pg_error_last());
	snprintf(dir, sizeof(dir), "%s/tests/corpus/recall/files", src);
	check_tree(&a, dir, "");
	assert_int_equal(pg_scan_buffer_may_match(a.e.ctx, code, strlen(code)), 0);
	assert_int_equal(pg_scan_buffer_may_match(a.e.ctx, TOKEN "\n", strlen(TOKEN) + 1), 1);
	print_message("%zu texts: %zu with findings, %zu passed over\n", a.texts, a.found,
		      a.passed_over);
	assert_true(a.found > 500);
	assert_true(a.passed_over > 300);
	env_close(&a.e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_engine__match_and_offsets),
		cmocka_unit_test(test_scanners_engine__generic_yields_to_specific),
		cmocka_unit_test(test_scanners_engine__secret_group),
		cmocka_unit_test(test_scanners_engine__entropy_threshold),
		cmocka_unit_test(test_scanners_engine__keywords),
		cmocka_unit_test(test_scanners_engine__keywords_multiline_match),
		cmocka_unit_test(test_scanners_engine__match_across_lines),
		cmocka_unit_test(test_scanners_engine__stopwords),
		cmocka_unit_test(test_scanners_engine__allow_regexes),
		cmocka_unit_test(test_scanners_engine__paths),
		cmocka_unit_test(test_scanners_engine__inline_allow),
		cmocka_unit_test(test_scanners_engine__except_path),
		cmocka_unit_test(test_scanners_engine__path_scope),
		cmocka_unit_test(test_scanners_engine__report_allowed),
		cmocka_unit_test(test_scanners_engine__many_secrets_in_order),
		cmocka_unit_test(test_scanners_engine__same_start_sorted_by_rule),
		cmocka_unit_test(test_scanners_engine__greedy_match_reported_once),
		cmocka_unit_test(test_scanners_engine__long_match_widens_window),
		cmocka_unit_test(test_scanners_engine__buffer_edges),
		cmocka_unit_test(test_scanners_engine__nul_and_invalid_utf8),
		cmocka_unit_test(test_scanners_engine__five_mb_line),
		cmocka_unit_test(test_scanners_engine__catastrophic_pattern_hits_limit),
		cmocka_unit_test(test_scanners_engine__prefilter_false_hits_stay_cheap),
		cmocka_unit_test(test_scanners_engine__callback_stops_scan),
		cmocka_unit_test(test_scanners_engine__ctx_reuse_across_buffers),
		cmocka_unit_test(test_scanners_engine__may_match_never_misses),
	};
	int rc;

	if (git_libgit2_init() < 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
