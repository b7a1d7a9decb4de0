/*
 * Unit tests for scanners/input_fs.c chunking: the geometry, and that
 * with 4 KiB chunks every secret is found exactly once, wherever it sits
 * relative to chunk boundaries, with the right line and column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <git2.h>

#include "common/error.h"
#include "scanners/engine.h"
#include "scanners/finding.h"
#include "scanners/input_fs.h"
#include "scanners/rules.h"

static const char test_rules[] =
	"version: 1\n"
	"rules:\n"
	"  - id: aws-access-key-id\n"
	"    description: AWS access key ID\n"
	"    pattern: '\\b(AKIA[A-Z2-7]{16})\\b'\n";

struct planted {
	size_t offset, line, column;
};

struct env {
	struct pg_rules *rules;
	struct pg_scanner *scanner;
};

static int setup(void **state)
{
	struct pg_scanner_opts opts = { "" };
	struct env *e = calloc(1, sizeof(*e));

	git_libgit2_init();
	if (!e || pg_rules_load_buffer(&e->rules, "<test>", test_rules, strlen(test_rules)) < 0 ||
	    pg_scanner_new(&e->scanner, e->rules, &opts) < 0)
		return -1;
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	pg_scanner_free(e->scanner);
	pg_rules_free(e->rules);
	free(e);
	git_libgit2_shutdown();
	return 0;
}

static uint32_t next_random(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 16;
}

/*
 * Fill `len` bytes with text: filler words, LF and CRLF line ends, and a
 * secret every few dozen bytes. Records where each secret starts.
 */
static size_t make_text(char *buf, size_t len, struct planted *out, size_t max, uint32_t seed)
{
	static const char base32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	size_t pos = 0, n = 0, line = 1, line_start = 0, i, gap;
	uint32_t r;

	while (pos < len) {
		gap = 1 + next_random(&seed) % 60;
		for (i = 0; i < gap && pos < len; i++) {
			r = next_random(&seed) % 16;
			buf[pos++] = r < 10 ? (char)('a' + r) : r < 13 ? ' ' : r < 15 ? '\n' : '\r';
			if (buf[pos - 1] == '\r' && pos < len)
				buf[pos++] = '\n';
			if (buf[pos - 1] == '\n') {
				line++;
				line_start = pos;
			}
		}
		if (pos + 22 > len || n == max)
			break;
		buf[pos++] = ' ';
		out[n].offset = pos;
		out[n].line = line;
		out[n].column = pos - line_start + 1;
		n++;
		memcpy(buf + pos, "AKIA", 4);
		for (i = 4; i < 20; i++)
			buf[pos + i] = base32[next_random(&seed) % 32];
		pos += 20;
		buf[pos++] = ' ';
	}
	while (pos < len)
		buf[pos++] = 'z';
	return n;
}

static int compare_findings(const void *a, const void *b)
{
	const struct pg_finding *fa = a, *fb = b;

	if (fa->line != fb->line)
		return fa->line < fb->line ? -1 : 1;
	return fa->column < fb->column ? -1 : fa->column > fb->column;
}

static void scan_text(struct env *e, const char *buf, size_t len, size_t chunk,
		      struct pg_findings *out, enum pg_input_outcome *outcome)
{
	char path[] = "/tmp/pushgate-chunks.XXXXXX";
	struct pg_input_reader *reader = NULL;
	uint64_t bytes = 0;
	int fd;

	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	unlink(path);
	assert_int_equal(pg_input_reader_new(&reader, e->scanner, chunk, false), 0);
	assert_int_equal(pg_input_reader_scan_fd(reader, fd, "t.txt", out, outcome, &bytes), 0);
	if (*outcome == PG_INPUT_SCANNED)
		assert_int_equal(bytes, len);
	pg_input_reader_free(reader);
	close(fd);
}

static void check_size(struct env *e, size_t len, size_t chunk, uint32_t seed)
{
	struct pg_findings found = { 0 };
	enum pg_input_outcome outcome;
	struct planted *want;
	char *buf;
	size_t n, i;

	assert_non_null(buf = malloc(len));
	assert_non_null(want = calloc(len / 20 + 1, sizeof(*want)));
	n = make_text(buf, len, want, len / 20 + 1, seed);
	assert_true(n > 0 || len < 100);
	scan_text(e, buf, len, chunk, &found, &outcome);
	assert_int_equal(outcome, PG_INPUT_SCANNED);
	if (found.len)
		qsort(found.items, found.len, sizeof(*found.items), compare_findings);
	if (found.len != n)
		print_error("size %zu chunk %zu: %zu findings, %zu planted\n", len, chunk, found.len, n);
	assert_int_equal(found.len, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(found.items[i].line, want[i].line);
		assert_int_equal(found.items[i].column, want[i].column);
		assert_int_equal(found.items[i].secret_len, 20);
		assert_memory_equal(found.items[i].secret, buf + want[i].offset, 20);
	}
	pg_findings_clear(&found);
	free(want);
	free(buf);
}

static void test_scanners_chunks__geometry(void **state)
{
	struct pg_input_chunking c;

	(void)state;
	pg_input_chunking_init(&c, 100);
	assert_int_equal(c.size, 4096);
	assert_int_equal(c.overlap, 2048);
	assert_int_equal(c.guard, 1024);
	pg_input_chunking_init(&c, 4096);
	assert_int_equal(c.size, 4096);
	assert_int_equal(c.overlap, 2048);
	pg_input_chunking_init(&c, (size_t)8 << 20);
	assert_int_equal(c.overlap, 65536);
	assert_int_equal(c.guard, 32768);
	pg_input_chunking_init(&c, 100000);
	assert_int_equal(c.overlap, 50000);
	assert_int_equal(c.guard, 25000);
}

static void test_scanners_chunks__env_size(void **state)
{
	size_t n;

	(void)state;
	unsetenv("PUSHGATE_CHUNK_SIZE");
	assert_int_equal(pg_input_chunk_size_from_env(&n), 0);
	assert_int_equal(n, PG_INPUT_CHUNK_DEFAULT);
	setenv("PUSHGATE_CHUNK_SIZE", "100", 1);
	assert_int_equal(pg_input_chunk_size_from_env(&n), 0);
	assert_int_equal(n, PG_INPUT_CHUNK_MIN);
	setenv("PUSHGATE_CHUNK_SIZE", "65536", 1);
	assert_int_equal(pg_input_chunk_size_from_env(&n), 0);
	assert_int_equal(n, 65536);
	setenv("PUSHGATE_CHUNK_SIZE", "12k", 1);
	assert_int_equal(pg_input_chunk_size_from_env(&n), PG_EUSAGE);
	unsetenv("PUSHGATE_CHUNK_SIZE");
}

static void test_scanners_chunks__every_secret_once(void **state)
{
	uint32_t seed;

	/* Sizes around whole chunks exercise the "full buffer, then EOF" path. */
	static const size_t sizes[] = { 30, 4095, 4096, 4097, 6144, 8192, 10239, 65536, 200003 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (seed = 1; seed <= 8; seed++)
			check_size(*state, sizes[i], 4096, seed * 7919u + (uint32_t)i);
	check_size(*state, 300000, 8192, 42);
	check_size(*state, 300000, (size_t)8 << 20, 43);
}

static void test_scanners_chunks__line_count_across_chunks(void **state)
{
	struct pg_findings found = { 0 };
	enum pg_input_outcome outcome;
	size_t len = 50000;
	char *buf;

	/* Only newlines, then one secret: its line is counted over 12 chunks. */
	assert_non_null(buf = malloc(len));
	memset(buf, '\n', len);
	memcpy(buf + 45000, "xy AKIAABCDEFGHIJKLMNOP ", 24);
	scan_text(*state, buf, len, 4096, &found, &outcome);
	assert_int_equal(found.len, 1);
	assert_int_equal(found.items[0].line, 45001);
	assert_int_equal(found.items[0].column, 4);
	pg_findings_clear(&found);
	free(buf);
}

static void test_scanners_chunks__binary_probe_spans_chunks(void **state)
{
	struct pg_findings found = { 0 };
	enum pg_input_outcome outcome;
	char buf[20000];

	memset(buf, 'a', sizeof(buf));
	memcpy(buf + 100, " AKIAABCDEFGHIJKLMNOP ", 22);
	/* A NUL past the first 4 KiB chunk but inside the 8 KiB probe. */
	buf[6000] = '\0';
	scan_text(*state, buf, sizeof(buf), 4096, &found, &outcome);
	assert_int_equal(outcome, PG_INPUT_BINARY);
	assert_int_equal(found.len, 0);
	/* Past the probe: text. */
	buf[6000] = 'a';
	buf[9000] = '\0';
	scan_text(*state, buf, sizeof(buf), 4096, &found, &outcome);
	assert_int_equal(outcome, PG_INPUT_SCANNED);
	assert_int_equal(found.len, 1);
	pg_findings_clear(&found);
}

static void test_scanners_chunks__no_truncated_matches(void **state)
{
	/* AKIA and 24 more: too long for the rule, but a prefix cut at a
	 * chunk end would look like a match ending at a word boundary. */
	static const char token[] = "AKIAQWERTYUIOPLKJHGFDSAZXCVB";
	struct pg_findings found = { 0 };
	enum pg_input_outcome outcome;
	char buf[14000];
	size_t boundary, p;

	for (boundary = 1024; boundary <= 12288; boundary += 1024) {
		for (p = boundary - 30; p <= boundary + 2; p++) {
			memset(buf, ' ', sizeof(buf));
			memcpy(buf + p, token, sizeof(token) - 1);
			scan_text(*state, buf, sizeof(buf), 4096, &found, &outcome);
			assert_int_equal(outcome, PG_INPUT_SCANNED);
			if (found.len)
				print_error("token at %zu reported\n", p);
			assert_int_equal(found.len, 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_chunks__geometry),
		cmocka_unit_test(test_scanners_chunks__env_size),
		cmocka_unit_test(test_scanners_chunks__every_secret_once),
		cmocka_unit_test(test_scanners_chunks__line_count_across_chunks),
		cmocka_unit_test(test_scanners_chunks__binary_probe_spans_chunks),
		cmocka_unit_test(test_scanners_chunks__no_truncated_matches),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
