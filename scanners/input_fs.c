/*
 * input_fs.c - files, directories and standard input into the engine.
 *
 * Owns enumeration (no symlinks, no .git, no special files), bounded
 * chunked reading with exactly-once matching across chunk boundaries,
 * line and column arithmetic, and the worker threads. It prints only
 * warnings about paths, never file contents.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/text.h"
#include "scanners/context.h"
#include "scanners/input_fs.h"

#define MAX_JOBS 256u

struct pg_input_reader {
	struct pg_scan_ctx *ctx;
	struct pg_input_chunking chunking;
	bool binary;
	char *buf; /* chunking.size bytes, allocated on first use */
};

/* Where a byte offset of the stream is in lines. */
struct line_cursor {
	uint64_t pos;        /* stream offset */
	size_t line;         /* 1-based line holding pos */
	uint64_t line_start; /* stream offset where that line starts */
};

/* One chunk being matched: the payload of on_match(). */
struct chunk_state {
	const char *path;
	struct pg_findings *out;
	const char *buf;
	uint64_t base; /* stream offset of buf[0] */
	size_t len;
	uint64_t lo, hi; /* report matches whose end is in (lo, hi] */
	struct line_cursor at_base, cur;
};

/* Something to scan, found by the enumeration. */
struct item {
	char *path;           /* owned: what to open */
	size_t report_offset; /* path + report_offset is what to report */
	bool named;           /* named on the command line */
};

struct item_list {
	struct item *items;
	size_t len;
	size_t alloc;
};

struct shared {
	const struct pg_scanner *scanner;
	const struct pg_input_opts *opts;
	size_t chunk_size;
	const struct item_list *items;
	atomic_size_t next;
	atomic_int stop;
	atomic_ullong done_files;  /* for the progress line */
	atomic_ullong done_bytes;
	atomic_ullong found;
};

struct worker {
	struct shared *sh;
	pthread_t thread;
	struct pg_input_reader *reader;
	struct pg_findings findings;
	struct pg_scan_stats stats;
	uint64_t counted_bytes;     /* of stats.bytes, already in the shared progress totals */
	size_t counted_findings;
	int error;
	char message[512];
};

void pg_input_chunking_init(struct pg_input_chunking *out, size_t size)
{
	if (size < PG_INPUT_CHUNK_MIN)
		size = PG_INPUT_CHUNK_MIN;
	out->size = size;
	out->overlap = size / 2 < PG_INPUT_OVERLAP_MAX ? size / 2 : PG_INPUT_OVERLAP_MAX;
	out->guard = out->overlap / 2;
}

int pg_input_chunk_size_from_env(size_t *out)
{
	const char *v = getenv("PUSHGATE_CHUNK_SIZE");
	unsigned long long n;
	char *end;

	*out = PG_INPUT_CHUNK_DEFAULT;
	if (!v || !*v)
		return 0;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || n > SIZE_MAX / 2)
		return pg_error_set(PG_EUSAGE, "PUSHGATE_CHUNK_SIZE must be a number of bytes, not '%s'", v);
	*out = n < PG_INPUT_CHUNK_MIN ? PG_INPUT_CHUNK_MIN : (size_t)n;
	return 0;
}

static const char *errno_text(int err, char *tmp, size_t len)
{
	/* GNU strerror_r: thread-safe, may return a static string. */
	return strerror_r(err, tmp, len);
}

static void warn_path(FILE *out, const char *what, const char *path, const char *why)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);

	if (!out)
		return;
	if (pg_buf_printf(&b, "pushgate: warning: %s '", what) < 0 ||
	    pg_buf_puts_escaped(&b, path) < 0 ||
	    pg_buf_printf(&b, "'%s%s\n", why ? ": " : "", why ? why : "") < 0)
		goto out;
	fputs(b.ptr, out);
out:
	pg_buf_release(&b);
}

int pg_input_reader_new(struct pg_input_reader **out, const struct pg_scanner *scanner,
			size_t chunk_size, bool binary)
{
	struct pg_input_reader *r;
	int error;

	*out = NULL;
	if (!(r = calloc(1, sizeof(*r))))
		return pg_error_oom();
	pg_input_chunking_init(&r->chunking, chunk_size);
	r->binary = binary;
	if ((error = pg_scan_ctx_new(&r->ctx, scanner)) < 0)
		goto out;
	*out = r;
	return 0;
out:
	pg_input_reader_free(r);
	return error;
}

void pg_input_reader_free(struct pg_input_reader *reader)
{
	if (!reader)
		return;
	pg_scan_ctx_free(reader->ctx);
	free(reader->buf);
	free(reader);
}

const uint64_t *pg_input_reader_limit_hits(const struct pg_input_reader *reader, size_t *len)
{
	return pg_scan_ctx_limit_hits(reader->ctx, len);
}

/* Exact count of '\n' bytes, eight at a time. */
static size_t count_newlines(const char *p, size_t n)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL, high = 0x8080808080808080ULL;
	const uint64_t nl = 0x0a0a0a0a0a0a0a0aULL;
	uint64_t w, t;
	size_t i = 0, count = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		w ^= nl;
		/* High bit of each byte of t: that byte of w is non-zero. */
		t = ((w & low7) + low7) | w;
		/* One bit per byte at bit 7: summed into the top byte by a multiply. */
		count += (size_t)((((~t & high) >> 7) * 0x0101010101010101ULL) >> 56);
	}
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}

static void cursor_advance(struct line_cursor *c, const char *buf, uint64_t base, uint64_t to)
{
	const char *from, *nl;
	size_t n, len;

	if (to <= c->pos)
		return;
	from = buf + (c->pos - base);
	len = (size_t)(to - c->pos);
	if ((n = count_newlines(from, len))) {
		nl = memrchr(from, '\n', len);
		c->line += n;
		c->line_start = base + (uint64_t)(nl - buf) + 1;
	}
	c->pos = to;
}

static int on_match(const struct pg_match *m, const char *buf, void *payload)
{
	struct chunk_state *s = payload;
	uint64_t end = s->base + m->match_end, start = s->base + m->secret_start;
	int error;

	if (m->secret_start > m->secret_end || m->secret_end > s->len || m->match_end > s->len)
		return pg_error_set(PG_ERROR, "the engine reported a match outside the buffer");
	if (end <= s->lo || end > s->hi)
		return 0;
	/* Matches come in order of secret_start; restart if one does not. */
	if (start < s->cur.pos)
		s->cur = s->at_base;
	cursor_advance(&s->cur, buf, s->base, start);
	if ((error = pg_findings_add(s->out, m->rule, s->path, NULL, s->cur.line,
				     (size_t)(start - s->cur.line_start) + 1, buf + m->secret_start,
				     m->secret_end - m->secret_start)) < 0)
		return error;
	pg_context_assess(&s->out->items[s->out->len - 1]);
	return 0;
}

/* Read until `want` bytes or end of file. */
static int fill(int fd, char *p, size_t want, size_t *got)
{
	char tmp[128];
	ssize_t n = pg_fd_read(fd, p, want);

	*got = 0;
	if (n < 0)
		return pg_error_set(PG_EIO, "%s", errno_text(errno, tmp, sizeof(tmp)));
	*got = (size_t)n;
	return 0;
}

int pg_input_reader_scan_fd(struct pg_input_reader *reader, int fd, const char *path,
			    struct pg_findings *out, enum pg_input_outcome *outcome,
			    uint64_t *bytes)
{
	const struct pg_input_chunking *ch = &reader->chunking;
	struct pg_findings found = { 0 };
	struct chunk_state s = { 0 };
	uint64_t probed = 0, probe_end, new_base;
	const char *engine_path = strcmp(path, "-") ? path : NULL;
	size_t got;
	bool eof;
	int error = 0;

	*outcome = PG_INPUT_SCANNED;
	*bytes = 0;
	if (!reader->buf && !(reader->buf = malloc(ch->size))) {
		error = pg_error_oom();
		goto out;
	}
	s.path = path;
	s.out = &found;
	s.buf = reader->buf;
	s.at_base.line = 1;
	for (;;) {
		if (fill(fd, reader->buf + s.len, ch->size - s.len, &got) < 0) {
			*outcome = PG_INPUT_UNREADABLE;
			break;
		}
		eof = s.len + got < ch->size;
		s.len += got;
		*bytes += got;
		if (!reader->binary && probed < PG_INPUT_BINARY_PROBE) {
			probe_end = s.base + s.len < PG_INPUT_BINARY_PROBE ? s.base + s.len
									 : PG_INPUT_BINARY_PROBE;
			if (probe_end > probed &&
			    memchr(reader->buf + (probed - s.base), '\0', (size_t)(probe_end - probed))) {
				pg_findings_clear(&found);
				*outcome = PG_INPUT_BINARY;
				goto out;
			}
			probed = probe_end;
		}
		s.hi = s.base + s.len - (eof ? 0 : ch->guard);
		s.cur = s.at_base;
		if (s.len && (error = pg_scan_buffer(reader->ctx, engine_path, reader->buf, s.len,
						     on_match, &s))) {
			if (error > 0)
				error = pg_error_set(PG_ERROR, "the engine stopped with %d", error);
			goto out;
		}
		if (eof)
			break;
		s.lo = s.hi;
		new_base = s.base + s.len - ch->overlap;
		if (s.cur.pos > s.at_base.pos && s.cur.pos <= new_base)
			s.at_base = s.cur;
		cursor_advance(&s.at_base, reader->buf, s.base, new_base);
		memmove(reader->buf, reader->buf + s.len - ch->overlap, ch->overlap);
		s.base = new_base;
		s.len = ch->overlap;
	}
	error = pg_findings_move(out, &found);
out:
	pg_findings_clear(&found);
	return error;
}

static int items_add(struct item_list *list, const char *path, size_t report_offset, bool named)
{
	struct item *items;
	size_t alloc;

	if (list->len == list->alloc) {
		alloc = list->alloc ? list->alloc * 2 : 64;
		if (alloc > SIZE_MAX / sizeof(*items) || !(items = realloc(list->items, alloc * sizeof(*items))))
			return pg_error_oom();
		list->items = items;
		list->alloc = alloc;
	}
	if (!(list->items[list->len].path = strdup(path)))
		return pg_error_oom();
	list->items[list->len].report_offset = report_offset;
	list->items[list->len].named = named;
	list->len++;
	return 0;
}

static void items_clear(struct item_list *list)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		free(list->items[i].path);
	free(list->items);
	memset(list, 0, sizeof(*list));
}

static void buf_truncate(struct pg_buf *b, size_t len)
{
	if (len < b->size) {
		b->size = len;
		b->ptr[len] = '\0';
	}
}

static int walk_dir(struct item_list *list, struct pg_buf *path, size_t report_offset,
		    struct pg_scan_stats *stats, FILE *warnings)
{
	char tmp[128];
	struct dirent *de;
	struct stat st;
	size_t keep = path->size;
	unsigned char type;
	DIR *dir;
	int error = 0;

	if (!(dir = opendir(path->ptr))) {
		stats->skipped_unreadable++;
		warn_path(warnings, "cannot read directory", path->ptr, errno_text(errno, tmp, sizeof(tmp)));
		return 0;
	}
	for (;;) {
		errno = 0;
		if (!(de = readdir(dir))) {
			if (errno) {
				stats->skipped_unreadable++;
				buf_truncate(path, keep);
				warn_path(warnings, "cannot read directory", path->ptr,
					  errno_text(errno, tmp, sizeof(tmp)));
			}
			break;
		}
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		buf_truncate(path, keep);
		if ((keep && path->ptr[keep - 1] != '/' && (error = pg_buf_putc(path, '/')) < 0) ||
		    (error = pg_buf_puts(path, de->d_name)) < 0)
			goto out;
		type = de->d_type;
		if (type == DT_UNKNOWN) {
			if (lstat(path->ptr, &st) < 0) {
				stats->skipped_unreadable++;
				warn_path(warnings, "cannot read", path->ptr, errno_text(errno, tmp, sizeof(tmp)));
				continue;
			}
			type = S_ISLNK(st.st_mode) ? DT_LNK : S_ISDIR(st.st_mode) ? DT_DIR
				: S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		if (type == DT_LNK) {
			stats->skipped_symlink++;
		} else if (type == DT_DIR) {
			if (strcmp(de->d_name, ".git") &&
			    (error = walk_dir(list, path, report_offset, stats, warnings)) < 0)
				goto out;
		} else if (type == DT_REG) {
			if ((error = items_add(list, path->ptr, report_offset, false)) < 0)
				goto out;
		}
	}
out:
	buf_truncate(path, keep);
	closedir(dir);
	return error;
}

static size_t dot_slash_len(const char *path)
{
	size_t n = 0;

	while (path[n] == '.' && path[n + 1] == '/') {
		n += 2;
		while (path[n] == '/')
			n++;
	}
	return n;
}

static int enumerate(struct item_list *list, char *const *paths, size_t npaths,
		     struct pg_scan_stats *stats, FILE *warnings)
{
	struct pg_buf dir = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	char tmp[128];
	struct stat st;
	size_t i, offset;
	int error = 0;

	/* Check every name first: a typo must not produce a clean report. */
	for (i = 0; i < npaths; i++) {
		if (strcmp(paths[i], "-") && lstat(paths[i], &st) < 0 && errno == ENOENT) {
			error = pg_error_set(PG_ENOTFOUND, "cannot scan '%s': no such file or directory",
					     paths[i]);
			goto out;
		}
	}
	for (i = 0; i < npaths; i++) {
		if (!strcmp(paths[i], "-")) {
			if ((error = items_add(list, "-", 0, true)) < 0)
				goto out;
			continue;
		}
		if (lstat(paths[i], &st) < 0) {
			stats->skipped_unreadable++;
			warn_path(warnings, "cannot read", paths[i], errno_text(errno, tmp, sizeof(tmp)));
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			stats->skipped_symlink++;
			warn_path(warnings, "not following symbolic link", paths[i], NULL);
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			if ((error = items_add(list, paths[i], 0, true)) < 0)
				goto out;
			continue;
		}
		pg_buf_clear(&dir);
		if ((error = pg_buf_puts(&dir, paths[i])) < 0)
			goto out;
		if (npaths == 1)
			offset = dir.size + (dir.size && dir.ptr[dir.size - 1] != '/');
		else
			offset = dot_slash_len(dir.ptr);
		if ((error = walk_dir(list, &dir, offset, stats, warnings)) < 0)
			goto out;
	}
out:
	pg_buf_release(&dir);
	return error;
}

static int scan_item(struct worker *w, const struct item *it)
{
	const char *report = it->path + it->report_offset;
	FILE *warnings = w->sh->opts->warnings;
	enum pg_input_outcome outcome;
	char tmp[128];
	struct stat st;
	uint64_t bytes = 0;
	bool owned = false;
	int fd = STDIN_FILENO, flags, error = 0;

	if (strcmp(it->path, "-") || !it->named) {
		owned = true;
		fd = open(it->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			if (errno == ELOOP) {
				w->stats.skipped_symlink++;
			} else {
				w->stats.skipped_unreadable++;
				warn_path(warnings, "cannot read", it->path, errno_text(errno, tmp, sizeof(tmp)));
			}
			return 0;
		}
		if (fstat(fd, &st) < 0) {
			w->stats.skipped_unreadable++;
			warn_path(warnings, "cannot read", it->path, errno_text(errno, tmp, sizeof(tmp)));
			goto out;
		}
		if (S_ISDIR(st.st_mode) || (!S_ISREG(st.st_mode) && !it->named))
			goto out;
		/* A FIFO or device named on the command line is read as a stream. */
		if (!S_ISREG(st.st_mode) && (flags = fcntl(fd, F_GETFL)) >= 0)
			fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	}
	if ((error = pg_input_reader_scan_fd(w->reader, fd, report, &w->findings, &outcome,
					     &bytes)) < 0)
		goto out;
	if (outcome == PG_INPUT_SCANNED) {
		w->stats.files++;
		w->stats.bytes += bytes;
	} else if (outcome == PG_INPUT_BINARY) {
		w->stats.skipped_binary++;
	} else {
		w->stats.skipped_unreadable++;
		warn_path(warnings, "cannot read", it->path, pg_error_last());
	}
out:
	if (owned)
		close(fd);
	return error;
}

/* Add what the worker did since it last counted to the shared totals, and maybe say so. */
static void progress_count(struct worker *w)
{
	struct shared *sh = w->sh;
	unsigned long long files, bytes, found;

	if (!sh->opts->progress)
		return;
	files = atomic_fetch_add(&sh->done_files, 1) + 1;
	bytes = atomic_fetch_add(&sh->done_bytes, w->stats.bytes - w->counted_bytes) +
		(w->stats.bytes - w->counted_bytes);
	found = atomic_fetch_add(&sh->found, w->findings.len - w->counted_findings) +
		(w->findings.len - w->counted_findings);
	w->counted_bytes = w->stats.bytes;
	w->counted_findings = w->findings.len;
	pg_progress_update(sh->opts->progress, "files", files, bytes, found, false);
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	size_t i;
	int error;

	if ((error = pg_input_reader_new(&w->reader, sh->scanner, sh->chunk_size,
					 sh->opts->binary)) < 0)
		goto out;
	while (!atomic_load(&sh->stop)) {
		i = atomic_fetch_add(&sh->next, 1);
		if (i >= sh->items->len)
			break;
		if ((error = scan_item(w, &sh->items->items[i])) < 0)
			goto out;
		progress_count(w);
	}
out:
	if (error < 0) {
		w->error = error;
		/* The message is per thread: carry it to the caller's. */
		snprintf(w->message, sizeof(w->message), "%s", pg_error_last());
		atomic_store(&sh->stop, 1);
	}
	return NULL;
}

static unsigned int default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

static int merge_worker(struct worker *w, struct pg_findings *out, struct pg_scan_stats *stats)
{
	const uint64_t *hits;
	size_t len;
	int error;

	stats->files += w->stats.files;
	stats->bytes += w->stats.bytes;
	stats->skipped_binary += w->stats.skipped_binary;
	stats->skipped_unreadable += w->stats.skipped_unreadable;
	stats->skipped_symlink += w->stats.skipped_symlink;
	stats->skipped_too_large += w->stats.skipped_too_large;
	if (w->reader) {
		hits = pg_input_reader_limit_hits(w->reader, &len);
		if (hits && (error = pg_scan_stats_add_limit_hits(stats, hits, len)) < 0)
			return error;
	}
	return pg_findings_move(out, &w->findings);
}

int pg_input_fs_scan(const struct pg_scanner *scanner, char *const *paths, size_t npaths,
		     const struct pg_input_opts *opts, struct pg_findings *out,
		     struct pg_scan_stats *stats)
{
	struct item_list items = { 0 };
	struct shared sh;
	struct worker *workers = NULL;
	struct timespec t0, t1;
	char tmp[128];
	unsigned int jobs, started = 0, i;
	int error = 0, rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(stats, 0, sizeof(*stats));
	stats->rules = pg_scanner_rules(scanner);
	memset(&sh, 0, sizeof(sh));
	sh.scanner = scanner;
	sh.opts = opts;
	sh.items = &items;
	atomic_init(&sh.next, 0);
	atomic_init(&sh.stop, 0);
	atomic_init(&sh.done_files, 0);
	atomic_init(&sh.done_bytes, 0);
	atomic_init(&sh.found, 0);
	if (opts->chunk_size)
		sh.chunk_size = opts->chunk_size;
	else if ((error = pg_input_chunk_size_from_env(&sh.chunk_size)) < 0)
		goto out;
	if ((error = enumerate(&items, paths, npaths, stats, opts->warnings)) < 0)
		goto out;

	jobs = opts->jobs ? opts->jobs : default_jobs();
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (jobs > items.len)
		jobs = items.len ? (unsigned int)items.len : 1;
	if (!(workers = calloc(jobs, sizeof(*workers)))) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < jobs; i++)
		workers[i].sh = &sh;
	if (jobs == 1) {
		worker_run(&workers[0]);
		started = 1;
	} else {
		for (started = 0; started < jobs; started++) {
			if ((rc = pthread_create(&workers[started].thread, NULL, worker_run,
						 &workers[started]))) {
				atomic_store(&sh.stop, 1);
				error = pg_error_set(PG_ERROR, "cannot start a scanning thread: %s",
						     errno_text(rc, tmp, sizeof(tmp)));
				break;
			}
		}
		for (i = 0; i < started; i++)
			if ((rc = pthread_join(workers[i].thread, NULL)) && !error)
				error = pg_error_set(PG_ERROR, "cannot join a scanning thread: %s",
						     errno_text(rc, tmp, sizeof(tmp)));
	}
	for (i = 0; i < started; i++) {
		if (workers[i].error < 0 && !error)
			error = pg_error_set(workers[i].error, "%s", workers[i].message);
		if (!error && (error = merge_worker(&workers[i], out, stats)) < 0)
			break;
	}
out:
	for (i = 0; workers && i < jobs; i++) {
		pg_findings_clear(&workers[i].findings);
		pg_input_reader_free(workers[i].reader);
	}
	free(workers);
	items_clear(&items);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	stats->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return error;
}
