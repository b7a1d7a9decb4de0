/*
 * cache_file.h - entries of pushgate's cache directory.
 *
 * Compiled rules are slow to rebuild and cheap to keep, so they are
 * cached per key. Cache directory, first that applies:
 *   1. the cache_dir argument ("" = no cache);
 *   2. $PUSHGATE_CACHE_DIR (set but empty = no cache);
 *   3. $XDG_CACHE_HOME/pushgate (XDG_CACHE_HOME absolute);
 *   4. $HOME/.cache/pushgate (HOME absolute);
 *   5. none.
 * The directory is created with mode 0700 and used only when it belongs
 * to the effective user and is not writable by group or others. An entry
 * is `<40 hex key><suffix>`, written to a temporary file in the same
 * directory and renamed into place, laid out as (integers little-endian):
 *   8   magic, one per kind of entry
 *   4   format version of that kind
 *   20  key
 *   8   payload length
 *   ... payload
 *   8   checksum of the payload (torn or corrupted files)
 * Reading checks all of it before a payload byte is used; an entry that
 * fails is treated as absent, so a broken cache only costs time.
 */
#ifndef PG_CACHE_FILE_H
#define PG_CACHE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/sha1.h"

#define PG_CACHE_MAGIC_LEN 8

/* Largest payload read or written. */
#define PG_CACHE_PAYLOAD_MAX ((uint64_t)1 << 30)

/** Which kind of entry, and its layout version. */
struct pg_cache_kind {
	const char *magic;    /* PG_CACHE_MAGIC_LEN bytes */
	uint32_t version;
	const char *suffix;   /* file name suffix, e.g. ".hsdb" */
};

/**
 * Resolve the cache directory (steps 1-5 above) into `out`, left empty
 * when there is none.
 *
 * @return 0, PG_ELIMIT or PG_ENOMEM
 */
int pg_cache_dir(struct pg_buf *out, const char *cache_dir);

/**
 * The resolved, usable cache directory and the path of the entry for
 * `key` in it, or an empty `path` when there is no usable cache.
 *
 * @param dir receives the directory (for pg_cache_entry_write())
 * @return 0 or PG_ENOMEM
 */
int pg_cache_entry_path(struct pg_buf *dir, char *path, size_t path_size,
			const char *cache_dir, const struct pg_cache_kind *kind,
			const unsigned char key[PG_SHA1_LEN]);

/**
 * Read the entry at `path` whole and check it.
 *
 * @param file receives the file; the payload points into it
 * @return 1 valid (payload and len set), 0 absent or not valid, PG_ENOMEM
 */
int pg_cache_entry_read(struct pg_buf *file, const unsigned char **payload, size_t *len,
			const char *path, const struct pg_cache_kind *kind,
			const unsigned char key[PG_SHA1_LEN]);

/**
 * Write the entry atomically; best effort.
 *
 * @return true when the entry was written
 */
bool pg_cache_entry_write(const char *dir, const char *path, const struct pg_cache_kind *kind,
			  const unsigned char key[PG_SHA1_LEN], const void *payload, size_t len);

/** Little-endian integers of `n` bytes (n <= 8), for payloads. */
void pg_cache_put_le(unsigned char *p, uint64_t v, size_t n);
uint64_t pg_cache_get_le(const unsigned char *p, size_t n);

#endif
