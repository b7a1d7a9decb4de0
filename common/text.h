/*
 * text.h - printing untrusted bytes safely.
 *
 * Ref names, paths and file contents come from the pusher and reach a
 * terminal through `remote:` lines, so they are escaped before printing;
 * secrets are never printed whole.
 */
#ifndef PG_TEXT_H
#define PG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

/**
 * Decode the UTF-8 sequence at `s` (at most `len` bytes available).
 *
 * @param cp receives the code point
 * @return its length (1-4), or 0 if it is not valid UTF-8 (overlong,
 *         surrogate, beyond U+10FFFF, truncated)
 */
size_t pg_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/**
 * Append `len` bytes of `s` with everything a terminal could act on
 * escaped: C0 and C1 control characters, DEL, backslash and bytes that
 * are not valid UTF-8 become `\n`, `\t`, `\r`, `\\` or `\xNN`.
 *
 * @return 0, PG_ELIMIT or PG_ENOMEM
 */
int pg_buf_put_escaped(struct pg_buf *out, const char *s, size_t len);

/** As pg_buf_put_escaped() for a C string. */
int pg_buf_puts_escaped(struct pg_buf *out, const char *s);

/* The longest untrusted name shown whole; longer ones are cut with "...". */
#define PG_TEXT_NAME_MAX 200

/**
 * Append an untrusted name (ref, path, user) for a message: escaped and
 * masked as by pg_buf_put_escaped_masked() (a name can hold a token too)
 * and cut after PG_TEXT_NAME_MAX bytes.
 *
 * @return 0, PG_ELIMIT or PG_ENOMEM
 */
int pg_buf_put_name(struct pg_buf *out, const char *name);

/**
 * Append a redacted form of a secret: at most a short prefix (never more
 * than a quarter of it, at most 6 bytes), escaped, then "...(redacted)".
 *
 * @return 0, PG_ELIMIT or PG_ENOMEM
 */
int pg_buf_put_redacted(struct pg_buf *out, const char *secret, size_t len);

/**
 * Shannon entropy of `len` bytes, in bits per byte (0 for len 0).
 */
double pg_text_entropy(const char *s, size_t len);

/**
 * Does `len` bytes of `s`, taken as one token, look like a credential? A
 * token is a run of letters, digits and `_ - + / =`; it looks like one when
 * it is at least 16 bytes long and either starts with a provider's prefix
 * (ghp_, gho_, github_pat_, glpat-, xoxb-, AKIA, ...), or mixes upper-case
 * letters, lower-case letters and digits (a path's `/`-separated parts are
 * judged one by one), or is at least 24 bytes of high entropy. Hex digests
 * and commit ids (at most 4 bits per byte) never do.
 *
 * @return false also when `s` holds a byte that cannot be in a token.
 *         Thread-safe.
 */
bool pg_text_secret_like(const char *s, size_t len);

/**
 * Append `len` bytes of text that is already safe to print (escaped, as
 * messages are), with every token that pg_text_secret_like() accepts
 * replaced by its pg_buf_put_redacted() form ("ghp_ab...(redacted)").
 * Redacted text passes through unchanged, so masking twice is harmless.
 * Everything pushgate prints that quotes pushed text goes through this
 * or pg_buf_put_escaped_masked().
 *
 * @return 0, PG_ELIMIT or PG_ENOMEM
 */
int pg_buf_put_masked(struct pg_buf *out, const char *s, size_t len);

/**
 * As pg_buf_put_masked() for untrusted bytes: what is not a token is
 * escaped as by pg_buf_put_escaped().
 *
 * @return 0, PG_ELIMIT or PG_ENOMEM
 */
int pg_buf_put_escaped_masked(struct pg_buf *out, const char *s, size_t len);

#endif
