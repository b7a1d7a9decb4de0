/*
 * buf.h - the one growable byte buffer.
 *
 * Every pg_buf has a size limit fixed at creation, because the bytes it
 * holds often come from a pusher. `ptr` is never NULL and always
 * NUL-terminated, so it can be passed to C string functions.
 */
#ifndef PG_BUF_H
#define PG_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct pg_buf {
	char *ptr;    /* owned unless it points at pg_buf__empty */
	size_t size;  /* bytes used, not counting the terminating NUL */
	size_t asize; /* bytes allocated; 0 while ptr is pg_buf__empty */
	size_t limit; /* largest size allowed */
};

extern char pg_buf__empty[1];

/** Initializer: an empty buffer that may grow to `limit` bytes. */
#define PG_BUF_INIT(limit) { pg_buf__empty, 0, 0, (limit) }

/** Default limit for buffers holding names, messages and reports. */
#define PG_BUF_LIMIT_TEXT ((size_t)64 << 20)

/** Set up `b` as an empty buffer of the given limit. */
void pg_buf_init(struct pg_buf *b, size_t limit);

/**
 * Make room for `extra` more bytes.
 *
 * @return 0, PG_ELIMIT past the limit, or PG_ENOMEM
 */
int pg_buf_grow(struct pg_buf *b, size_t extra);

/** Append `len` bytes. @return 0, PG_ELIMIT or PG_ENOMEM */
int pg_buf_put(struct pg_buf *b, const void *data, size_t len);

/** Append a C string. @return 0, PG_ELIMIT or PG_ENOMEM */
int pg_buf_puts(struct pg_buf *b, const char *s);

/** Append one byte. @return 0, PG_ELIMIT or PG_ENOMEM */
int pg_buf_putc(struct pg_buf *b, char c);

/** Append printf-style output. @return 0, PG_ELIMIT or PG_ENOMEM */
int pg_buf_printf(struct pg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** As pg_buf_printf with a va_list. */
int pg_buf_vprintf(struct pg_buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/** Empty the buffer, keeping its memory. */
void pg_buf_clear(struct pg_buf *b);

/** Free the memory and reset to the empty state; the limit is kept. */
void pg_buf_release(struct pg_buf *b);

/**
 * Take ownership of the contents. The caller frees the result with
 * free(); the buffer is left empty. Returns NULL only on allocation
 * failure of an empty buffer's copy.
 */
char *pg_buf_detach(struct pg_buf *b);

#endif
