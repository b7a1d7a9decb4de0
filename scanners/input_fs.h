/*
 * input_fs.h - the input stage for files, directories and standard
 * input: enumerate what to scan, read it in bounded chunks, hand the
 * chunks to the engine and turn its matches into findings.
 *
 * Never follows a symbolic link and never enters a `.git` directory.
 */
#ifndef PG_INPUT_FS_H
#define PG_INPUT_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "scanners/engine.h"
#include "scanners/finding.h"
#include "scanners/scan_stats.h"

/* Chunk sizes: the default, the smallest allowed, and the overlap cap. */
#define PG_INPUT_CHUNK_DEFAULT ((size_t)8 << 20)
#define PG_INPUT_CHUNK_MIN ((size_t)4 << 10)
#define PG_INPUT_OVERLAP_MAX ((size_t)64 << 10)

/* A file with a NUL byte in its first this many bytes is binary. */
#define PG_INPUT_BINARY_PROBE ((size_t)8 << 10)

struct pg_input_opts {
	unsigned int jobs;  /* worker threads; 0: one per online CPU */
	bool binary;        /* scan files that look binary too */
	size_t chunk_size;  /* 0: $PUSHGATE_CHUNK_SIZE or PG_INPUT_CHUNK_DEFAULT */
	FILE *warnings;     /* unreadable and skipped paths are reported here; NULL: nowhere */
	struct pg_progress *progress; /* files, bytes and findings so far; NULL: none */
};

/*
 * How a stream is cut. Chunk k holds `size` bytes (the last one fewer)
 * and starts `overlap` bytes before the end of chunk k-1. A chunk that
 * is not the last one reports only matches ending at least `guard`
 * bytes before its end, so every reported match was seen with `guard`
 * bytes of context after it; the next chunk reports only matches ending
 * after that point. Every match shorter than overlap - guard is thus
 * found in exactly one chunk.
 */
struct pg_input_chunking {
	size_t size;
	size_t overlap; /* min(PG_INPUT_OVERLAP_MAX, size / 2) */
	size_t guard;   /* overlap / 2 */
};

/**
 * The geometry for chunks of `size` bytes (raised to PG_INPUT_CHUNK_MIN).
 */
void pg_input_chunking_init(struct pg_input_chunking *out, size_t size);

/**
 * The chunk size from $PUSHGATE_CHUNK_SIZE (bytes, at least
 * PG_INPUT_CHUNK_MIN), or PG_INPUT_CHUNK_DEFAULT when it is unset.
 *
 * @return 0, or PG_EUSAGE when the variable is not a number
 */
int pg_input_chunk_size_from_env(size_t *out);

/* Per-thread reading and matching state: a chunk buffer and a scan ctx. */
struct pg_input_reader;

enum pg_input_outcome {
	PG_INPUT_SCANNED = 0,
	PG_INPUT_BINARY,    /* skipped: NUL in the first PG_INPUT_BINARY_PROBE bytes */
	PG_INPUT_UNREADABLE /* a read failed; findings before it are kept */
};

/**
 * Create a reader for one thread.
 *
 * @param out receives the reader (pg_input_reader_free)
 * @param scanner borrowed; must outlive the reader
 * @param chunk_size bytes per chunk (raised to PG_INPUT_CHUNK_MIN)
 * @param binary scan binary-looking streams too
 * @return 0 or PG_ENOMEM
 */
int pg_input_reader_new(struct pg_input_reader **out, const struct pg_scanner *scanner,
			size_t chunk_size, bool binary);

/** Free a reader; NULL is fine. */
void pg_input_reader_free(struct pg_input_reader *reader);

/**
 * The reader's per-rule PCRE2 limit-hit counts (pg_scan_ctx_limit_hits).
 * Borrowed until the reader is freed.
 */
const uint64_t *pg_input_reader_limit_hits(const struct pg_input_reader *reader, size_t *len);

/**
 * Scan everything readable from `fd` (not closed), chunk by chunk, and
 * append a finding per match with its 1-based line and byte column.
 *
 * @param path the path to report ('/'-separated); "-" means standard
 *        input, which the engine sees as having no path
 * @param outcome receives whether it was scanned, binary or unreadable;
 *        on PG_INPUT_UNREADABLE errno-style text is in pg_error_last()
 * @param bytes receives the number of bytes read
 * @return 0 (whatever the outcome), or a negative PG_E* code from
 *         allocation or the engine, which ends the whole scan
 */
int pg_input_reader_scan_fd(struct pg_input_reader *reader, int fd, const char *path,
			    struct pg_findings *out, enum pg_input_outcome *outcome,
			    uint64_t *bytes);

/**
 * Scan `paths` ("-" is standard input): files as given, directories
 * recursively with paths relative to them (or prefixed with the
 * directory as given when several paths are named). Skips `.git`
 * directories, symbolic links and special files found while walking,
 * and binary files unless opts->binary. Unreadable files and
 * directories are reported to opts->warnings and counted, not fatal.
 * Uses opts->jobs threads, each with its own engine context.
 *
 * @param out receives the findings, unsorted
 * @param stats receives the counts and per-rule limit hits
 *        (pg_scan_stats_release)
 * @return 0; PG_ENOTFOUND when a named path does not exist (nothing
 *         is scanned); PG_ENOMEM, PG_EUSAGE or an engine error
 */
int pg_input_fs_scan(const struct pg_scanner *scanner, char *const *paths, size_t npaths,
		     const struct pg_input_opts *opts, struct pg_findings *out,
		     struct pg_scan_stats *stats);

#endif
