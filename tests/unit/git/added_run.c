/*
 * Unit tests for pg_blob_diff__added_run() (git/blob_diff.c): whenever it
 * decides a change's added lines without a diff, they are exactly the
 * ones git_patch_from_buffers() reports with no context (the diff
 * pg_blob_differ_run() would run otherwise), line numbers included.
 * Random edits of files made of a few distinct lines provoke what could
 * tell them apart: repeated lines, groups xdiff slides, missing final
 * newlines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <git2.h>

#include "git/blob_diff.h"

struct lines {
	char text[8192];
	size_t len;
	size_t at[512];    /* at[i]: where added line i starts in text */
	size_t lineno[512];
	size_t n;
};

static int on_line(const git_diff_delta *delta, const git_diff_hunk *hunk,
		   const git_diff_line *line, void *payload)
{
	struct lines *l = payload;

	(void)delta;
	(void)hunk;
	if (line->origin != GIT_DIFF_LINE_ADDITION || line->new_lineno <= 0)
		return 0;
	assert_true(l->n < 512 && l->len + line->content_len < sizeof(l->text));
	l->at[l->n] = l->len;
	l->lineno[l->n++] = (size_t)line->new_lineno;
	memcpy(l->text + l->len, line->content, line->content_len);
	l->len += line->content_len;
	return 0;
}

/* What the diff reports `b` adds against `a`, as pg_blob_differ_run() asks for it. */
static void by_diff(struct lines *out, const char *a, const char *b)
{
	git_diff_options opts;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.context_lines = 0;
	opts.interhunk_lines = 0;
	opts.flags |= GIT_DIFF_FORCE_TEXT;
	memset(out, 0, sizeof(*out));
	assert_int_equal(git_diff_buffers(a, strlen(a), "f", b, strlen(b), "f", &opts, NULL, NULL,
					  NULL, on_line, out), 0);
}

/* The same from pg_blob_diff__added_run(), if it decides: true then. */
static bool by_run(struct lines *out, const char *a, const char *b)
{
	size_t start, end, lineno, at;
	const char *nl;

	memset(out, 0, sizeof(*out));
	if (!pg_blob_diff__added_run(a, strlen(a), b, strlen(b), &start, &end, &lineno))
		return false;
	for (at = start; at < end; lineno++) {
		nl = memchr(b + at, '\n', end - at);
		size_t next = nl ? (size_t)(nl - b) + 1 : end;
		out->at[out->n] = out->len;
		out->lineno[out->n++] = lineno;
		memcpy(out->text + out->len, b + at, next - at);
		out->len += next - at;
		at = next;
	}
	return true;
}

static void assert_same(const char *a, const char *b)
{
	struct lines want, got;

	if (!by_run(&got, a, b))
		return;
	by_diff(&want, a, b);
	if (want.n != got.n || want.len != got.len || memcmp(want.text, got.text, want.len) ||
	    memcmp(want.lineno, got.lineno, want.n * sizeof(size_t))) {
		print_error("differs from the diff:\n--- old\n%s\n--- new\n%s\n", a, b);
		fail();
	}
}

static void test_git_added_run__cases(void **state)
{
	static const char *const cases[][2] = {
		{ "", "" }, { "", "a\n" }, { "a\n", "" }, { "a", "a\n" }, { "a\n", "a" },
		{ "a\nb\n", "a\nb\nb\n" },           /* slides: left to the diff */
		{ "a\nb\nc\n", "a\nx\nc\n" }, { "a\nb\nc\n", "a\nb\nx\nc\n" },
		{ "a\nb\nc", "a\nb\nc\nd" }, { "abc", "abcd\n" }, { "x\ny\n", "y\nx\n" },
		{ "a\r\nb\r\n", "a\r\nc\r\nb\r\n" }, { "\n\n\n", "\n\n\n\n" },
		{ "a\nb\na\nb\n", "a\nb\na\nb\na\nb\n" },
		{ "x\nc\n", "c\ny\nc\n" },            /* could slide down */
		{ "a\nx\n", "a\ny\na\n" },            /* could slide up, to a removed line */
		{ "a\nx\nb\n", "a\ny\na\nb\n" }, { "p\nx\nq\nc\n", "p\nc\ny\nq\nc\n" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_same(cases[i][0], cases[i][1]);
}

/* A random file of `n` lines drawn from `alphabet` lines; maybe no final newline. */
static size_t random_file(char *out, size_t cap, unsigned *seed, size_t n, size_t alphabet)
{
	static const char *const words[] = { "int x;", "}", "", "return 0;", "{", "x++;",
					     "/* c */", "y = x;", "if (x)", "else" };
	size_t len = 0, i;

	for (i = 0; i < n && len + 16 < cap; i++) {
		const char *w = words[(size_t)rand_r(seed) % alphabet];

		len += (size_t)snprintf(out + len, cap - len, "%s\n", w);
	}
	if (len && rand_r(seed) % 8 == 0)
		len--;
	out[len] = '\0';
	return len;
}

/* `a` with a few lines replaced, inserted or deleted at one to three places. */
static void random_edit(char *out, size_t cap, const char *a, unsigned *seed, size_t alphabet)
{
	char insert[256], tmp[2048];
	size_t edits = 1 + (size_t)rand_r(seed) % 3, e, k, pos, cut, len, ilen;
	const char *nl;

	len = strlen(a);
	assert_true(len < cap);
	memcpy(out, a, len + 1);
	for (e = 0; e < edits; e++) {
		pos = len ? (size_t)rand_r(seed) % (len + 1) : 0;
		while (pos > 0 && out[pos - 1] != '\n')
			pos--;
		cut = pos;
		for (k = (size_t)rand_r(seed) % 3; k > 0 && cut < len; k--) {
			nl = memchr(out + cut, '\n', len - cut);
			cut = nl ? (size_t)(nl - out) + 1 : len;
		}
		ilen = random_file(insert, sizeof(insert), seed, (size_t)rand_r(seed) % 4, alphabet);
		if (pos + ilen + (len - cut) >= sizeof(tmp) || pos + ilen + (len - cut) >= cap)
			break;
		memcpy(tmp, out, pos);
		memcpy(tmp + pos, insert, ilen);
		memcpy(tmp + pos + ilen, out + cut, len - cut);
		len = pos + ilen + (len - cut);
		memcpy(out, tmp, len);
		out[len] = '\0';
	}
}

static void test_git_added_run__random_edits_match_the_diff(void **state)
{
	char a[2048], b[2048];
	unsigned seed = 16;
	size_t i, decided = 0, rounds = 40000;
	struct lines got;

	(void)state;
	for (i = 0; i < rounds; i++) {
		size_t alphabet = 2 + i % 9;

		random_file(a, sizeof(a), &seed, (size_t)rand_r(&seed) % 40, alphabet);
		random_edit(b, sizeof(b), a, &seed, alphabet);
		assert_same(a, b);
		decided += by_run(&got, a, b);
	}
	/* It must decide often, or it saves nothing. */
	assert_true(decided > rounds / 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_added_run__cases),
		cmocka_unit_test(test_git_added_run__random_edits_match_the_diff),
	};
	int failed;

	git_libgit2_init();
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return failed;
}
