/*
 * sha1.h - SHA-1 of a blob, as git names it.
 *
 * Cache keys, fingerprints and hook tokens only need a digest, and
 * computing one through libgit2 would start libgit2 (git.h): most of a
 * small scan's start-up. Identical to git's blob ids, so fingerprints
 * and keys are the same as when libgit2 computed them.
 */
#ifndef PG_SHA1_H
#define PG_SHA1_H

#include <stdbool.h>
#include <stddef.h>

#define PG_SHA1_LEN 20
#define PG_SHA1_HEX_LEN 40

/** SHA-1 of "blob <len>\0" followed by `data`: git's id for a blob of `data`. Thread-safe. */
void pg_sha1_blob(unsigned char out[PG_SHA1_LEN], const void *data, size_t len);

/**
 * Read 40 lower-case hex digits (git's spelling of an id) into `out`.
 * @return false, with `out` undefined, when `hex` does not start with them
 */
bool pg_sha1_from_hex(unsigned char out[PG_SHA1_LEN], const char *hex);

/** The first byte only: 2 lower-case hex digits. @return false if not */
bool pg_sha1_from_hex_byte(unsigned char *out, const char *hex);

/** Write `id` as 40 lower-case hex digits and a NUL into `out`. */
void pg_sha1_hex(char out[PG_SHA1_HEX_LEN + 1], const unsigned char id[PG_SHA1_LEN]);

#endif
