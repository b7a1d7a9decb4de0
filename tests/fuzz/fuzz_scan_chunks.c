/*
 * fuzz_scan_chunks.c - fuzzes the chunked file reader
 * (pg_input_reader_scan_fd()) with the default rules and small chunks
 * (the first byte picks a size from 4 KiB to 8 KiB and whether binary
 * streams are skipped), reading the rest of the input from a memfd.
 *
 * Invariant: when no line and no match is long enough to reach past the
 * context a chunk keeps around a reported match (each shorter than half
 * the guard), the reader finds the same multiset of (rule, line, column,
 * secret) as one pg_scan_buffer() over the whole input; the reader reads
 * every byte, a stream that fits in one chunk always agrees, and a
 * stream with a NUL in its first 8 KiB is skipped when binary is off.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "common/error.h"
#include "scanners/engine.h"
#include "scanners/finding.h"
#include "scanners/input_fs.h"
#include "scanners/rules.h"
#include "fuzz.h"

static struct pg_rules *rules;
static struct pg_scanner *scanner;
static struct pg_scan_ctx *ctx;
static struct pg_input_reader *readers[64]; /* one per chunk size and binary mode */

struct hit {
	size_t rule;
	size_t line, column;
	const char *secret;
	size_t secret_len;
};

struct hits {
	struct hit *items;
	size_t len, alloc;
	size_t max_span; /* longest stretch a reported match and its secret cover */
	const char *buf;
	size_t line, line_start, pos; /* line cursor over buf */
};

static void push(struct hits *h, const struct hit *x)
{
	struct hit *items;

	if (h->len == h->alloc) {
		h->alloc = h->alloc ? h->alloc * 2 : 16;
		items = realloc(h->items, h->alloc * sizeof(*items));
		if (!items)
			abort();
		h->items = items;
	}
	h->items[h->len++] = *x;
}

static int on_match(const struct pg_match *m, const char *buf, void *payload)
{
	struct hits *h = payload;
	struct hit x;
	size_t lo, hi;

	/* Matches come in secret order, so the cursor only moves forward. */
	if (m->secret_start < h->pos)
		abort();
	for (; h->pos < m->secret_start; h->pos++) {
		if (buf[h->pos] == '\n') {
			h->line++;
			h->line_start = h->pos + 1;
		}
	}
	lo = m->match_start < m->secret_start ? m->match_start : m->secret_start;
	hi = m->match_end > m->secret_end ? m->match_end : m->secret_end;
	if (hi - lo > h->max_span)
		h->max_span = hi - lo;
	x.rule = m->rule_index;
	x.line = h->line;
	x.column = m->secret_start - h->line_start + 1;
	x.secret = buf + m->secret_start;
	x.secret_len = m->secret_end - m->secret_start;
	push(h, &x);
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	size_t n = x->secret_len < y->secret_len ? x->secret_len : y->secret_len;
	int c;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	c = memcmp(x->secret, y->secret, n);
	if (c)
		return c;
	if (x->secret_len != y->secret_len)
		return x->secret_len < y->secret_len ? -1 : 1;
	return 0;
}

static void print_hits(const char *what, const struct hits *h)
{
	size_t i;

	fprintf(stderr, "%s: %zu\n", what, h->len);
	for (i = 0; i < h->len; i++)
		fprintf(stderr, "  %zu:%zu %s: %zu bytes, starting '%.*s'\n", h->items[i].line,
			h->items[i].column, rules->rules[h->items[i].rule].id,
			h->items[i].secret_len,
			(int)(h->items[i].secret_len / 4 > 6 ? 6 : h->items[i].secret_len / 4),
			h->items[i].secret);
}

static size_t longest_line(const char *p, size_t len)
{
	size_t longest = 0, start = 0, i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n') {
			if (i - start > longest)
				longest = i - start;
			start = i + 1;
		}
	}
	return len - start > longest ? len - start : longest;
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
		fprintf(stderr, "fuzz_scan_chunks: cannot set up the scanner: %s\n", pg_error_last());
		abort();
	}
	return 0;
}

static int memfd_of(const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;
	int fd = memfd_create("fuzz_scan_chunks", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	if (lseek(fd, 0, SEEK_SET) != 0)
		abort();
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_input_reader *reader;
	struct pg_input_chunking ch;
	struct pg_findings found = { 0 };
	struct hits whole = { 0 }, chunked = { 0 };
	enum pg_input_outcome outcome;
	const char *buf;
	uint64_t bytes = 0;
	size_t chunk, i;
	struct hit x;
	int fd, rc;
	bool comparable, binary;

	if (!size)
		return 0;
	chunk = PG_INPUT_CHUNK_MIN + (size_t)(data[0] % 32) * 128;
	binary = !(data[0] & 0x20);
	if (!readers[data[0] % 64] &&
	    pg_input_reader_new(&readers[data[0] % 64], scanner, chunk, binary) < 0)
		abort();
	reader = readers[data[0] % 64];
	buf = (const char *)data + 1;
	size--;

	whole.buf = buf;
	whole.line = 1;
	rc = pg_scan_buffer(ctx, NULL, buf, size, on_match, &whole);
	if (rc != 0) {
		fprintf(stderr, "fuzz_scan_chunks: pg_scan_buffer: %d: %s\n", rc, pg_error_last());
		abort();
	}

	fd = memfd_of(buf, size);
	rc = pg_input_reader_scan_fd(reader, fd, "-", &found, &outcome, &bytes);
	close(fd);
	if (rc < 0) {
		fprintf(stderr, "fuzz_scan_chunks: pg_input_reader_scan_fd: %d: %s\n", rc,
			pg_error_last());
		abort();
	}
	if (!binary && memchr(buf, '\0', size < PG_INPUT_BINARY_PROBE ? size : PG_INPUT_BINARY_PROBE)) {
		if (outcome != PG_INPUT_BINARY || found.len)
			abort();
		goto out;
	}
	if (outcome != PG_INPUT_SCANNED || bytes != size) {
		fprintf(stderr, "fuzz_scan_chunks: outcome %d, %llu of %zu bytes read\n",
			(int)outcome, (unsigned long long)bytes, size);
		abort();
	}
	for (i = 0; i < found.len; i++) {
		x.rule = (size_t)(found.items[i].rule - rules->rules);
		if (x.rule >= rules->len || strcmp(found.items[i].path, "-") || found.items[i].commit)
			abort();
		x.line = found.items[i].line;
		x.column = found.items[i].column;
		x.secret = found.items[i].secret;
		x.secret_len = found.items[i].secret_len;
		push(&chunked, &x);
	}

	pg_input_chunking_init(&ch, chunk);
	comparable = size <= ch.size ||
		     (whole.max_span <= ch.guard / 2 && longest_line(buf, size) <= ch.guard / 2);
	if (getenv("PUSHGATE_FUZZ_VERBOSE"))
		fprintf(stderr, "fuzz_scan_chunks: %zu bytes, chunk %zu: %zu findings whole, "
			"%zu chunked, longest match %zu, longest line %zu: %s\n", size, chunk,
			whole.len, chunked.len, whole.max_span, longest_line(buf, size),
			comparable ? "compared" : "not comparable");
	if (comparable) {
		if (whole.len > 1)
			qsort(whole.items, whole.len, sizeof(*whole.items), hit_cmp);
		if (chunked.len > 1)
			qsort(chunked.items, chunked.len, sizeof(*chunked.items), hit_cmp);
		for (i = 0; i < whole.len || i < chunked.len; i++) {
			if (i >= whole.len || i >= chunked.len ||
			    hit_cmp(&whole.items[i], &chunked.items[i])) {
				fprintf(stderr, "fuzz_scan_chunks: chunk size %zu, %zu bytes: the "
					"chunked reader and a whole-buffer scan disagree\n", chunk, size);
				print_hits("whole buffer", &whole);
				print_hits("chunked", &chunked);
				abort();
			}
		}
	}
out:
	free(whole.items);
	free(chunked.items);
	pg_findings_clear(&found);
	return 0;
}
