/*
 * text.h - printing untrusted bytes safely.
 *
 * Ref names, paths and file contents come from the pusher and reach a
 * terminal through `remote:` lines, so they are escaped before printing;
 * secrets are never printed whole.
 */
#ifndef PG_TEXT_H
#define PG_TEXT_H

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
 * Append an untrusted name (ref, path, user) for a message: escaped as
 * by pg_buf_put_escaped() and cut after PG_TEXT_NAME_MAX bytes.
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

#endif
