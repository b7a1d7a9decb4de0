/*
 * fuzz_scan.c - fuzzes the secret scanner (pg_scan_buffer()) with the
 * default rules on arbitrary bytes. A first byte below 0x08 picks the
 * path the buffer is scanned as (rules and allowlists depend on it).
 *
 * Invariant: every match lies inside the buffer, its secret is non-empty,
 * matches come in order of secret start (ties: rule index), no
 * (rule, secret) is reported twice, and scanning the same bytes again
 * with the same ctx reports the same matches.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "common/error.h"
#include "scanners/engine.h"
#include "scanners/rules.h"
#include "fuzz.h"

static struct pg_rules *rules;
static struct pg_scanner *scanner;
static struct pg_scan_ctx *ctx;

/* Indexed by a first byte below 0x08; NULL is standard input. */
static const char *const paths[] = {
	NULL, "src/app.py", ".github/workflows/ci.yml", "web/package-lock.json",
	"config/.env", "deploy/values.yaml", "dist/app.min.js", "docs/README.md",
};

struct state {
	size_t len;
	bool any;
	struct pg_match prev;
	struct pg_match *list; /* every match, to compare a second scan with */
	size_t n, alloc;
};

static void fail(const struct pg_match *m, const char *what)
{
	fprintf(stderr, "fuzz_scan: rule %s: secret [%zu, %zu) match [%zu, %zu): %s\n",
		m->rule ? m->rule->id : "?", m->secret_start, m->secret_end, m->match_start,
		m->match_end, what);
	abort();
}

static int on_match(const struct pg_match *m, const char *buf, void *payload)
{
	struct state *s = payload;

	(void)buf;
	if (m->rule_index >= rules->len || m->rule != &rules->rules[m->rule_index])
		fail(m, "rule and rule_index disagree");
	if (m->secret_start >= m->secret_end)
		fail(m, "empty or reversed secret");
	if (m->secret_end > s->len || m->match_end > s->len)
		fail(m, "outside the buffer");
	if (m->match_start > m->match_end)
		fail(m, "reversed match");
	if (s->any) {
		if (m->secret_start < s->prev.secret_start ||
		    (m->secret_start == s->prev.secret_start && m->rule_index < s->prev.rule_index))
			fail(m, "out of order");
		if (m->secret_start == s->prev.secret_start && m->rule_index == s->prev.rule_index &&
		    m->secret_end == s->prev.secret_end)
			fail(m, "reported twice");
	}
	s->prev = *m;
	s->any = true;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? s->alloc * 2 : 16;
		s->list = realloc(s->list, s->alloc * sizeof(*s->list));
		if (!s->list)
			abort();
	}
	s->list[s->n++] = *m;
	return 0;
}

/* $PUSHGATE_CACHE_DIR, or a private directory under $TMPDIR kept across runs. */
static const char *cache_dir(char *tmp, size_t size)
{
	const char *env = getenv("PUSHGATE_CACHE_DIR"), *base = getenv("TMPDIR");

	if (env && *env)
		return env;
	snprintf(tmp, size, "%s/pushgate-fuzz-cache-%u", base && *base ? base : "/tmp",
		 (unsigned int)getuid());
	(void)mkdir(tmp, 0700);
	return tmp;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct pg_scanner_opts opts = { 0 };
	char tmp[4096];

	(void)argc;
	(void)argv;
	git_libgit2_init();
	opts.cache_dir = cache_dir(tmp, sizeof(tmp));
	if (pg_rules_load_default(&rules) < 0 || pg_scanner_new(&scanner, rules, &opts) < 0 ||
	    pg_scan_ctx_new(&ctx, scanner) < 0) {
		fprintf(stderr, "fuzz_scan: cannot set up the scanner: %s\n", pg_error_last());
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data, *path = NULL;
	struct state s = { 0 }, again = { 0 };
	size_t i;
	int rc;

	if (size && data[0] < sizeof(paths) / sizeof(paths[0])) {
		path = paths[data[0]];
		buf++;
		size--;
	}
	s.len = size;
	again.len = size;
	rc = pg_scan_buffer(ctx, path, buf, size, on_match, &s);
	if (rc == 0)
		rc = pg_scan_buffer(ctx, path, buf, size, on_match, &again);
	if (rc != 0) {
		fprintf(stderr, "fuzz_scan: pg_scan_buffer: %d: %s\n", rc, pg_error_last());
		abort();
	}
	/* The ctx keeps nothing from one scan that changes the next. */
	if (s.n != again.n)
		fail(s.n ? &s.list[0] : &again.list[0], "a second scan finds a different number");
	for (i = 0; i < s.n; i++)
		if (memcmp(&s.list[i], &again.list[i], sizeof(s.list[i])))
			fail(&s.list[i], "a second scan finds something else");
	free(s.list);
	free(again.list);
	return 0;
}
