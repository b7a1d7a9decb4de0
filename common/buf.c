/*
 * buf.c - growable, size-limited byte buffers (see buf.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"

char pg_buf__empty[1];

void pg_buf_init(struct pg_buf *b, size_t limit)
{
	b->ptr = pg_buf__empty;
	b->size = 0;
	b->asize = 0;
	b->limit = limit;
}

int pg_buf_grow(struct pg_buf *b, size_t extra)
{
	size_t want, nsize;
	char *p;

	if (extra > b->limit || b->size > b->limit - extra)
		return pg_error_set(PG_ELIMIT, "buffer limit of %zu bytes reached", b->limit);
	want = b->size + extra + 1;
	if (want <= b->asize)
		return 0;
	nsize = b->asize ? b->asize : 64;
	while (nsize < want)
		nsize = nsize > ((size_t)-1) / 2 ? want : nsize * 2;
	p = realloc(b->asize ? b->ptr : NULL, nsize);
	if (!p)
		return pg_error_oom();
	if (!b->asize)
		p[0] = '\0';
	b->ptr = p;
	b->asize = nsize;
	return 0;
}

int pg_buf_put(struct pg_buf *b, const void *data, size_t len)
{
	int error;

	if (!len)
		return 0;
	if ((error = pg_buf_grow(b, len)) < 0)
		return error;
	memmove(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
	return 0;
}

int pg_buf_puts(struct pg_buf *b, const char *s)
{
	return pg_buf_put(b, s, strlen(s));
}

int pg_buf_putc(struct pg_buf *b, char c)
{
	return pg_buf_put(b, &c, 1);
}

int pg_buf_vprintf(struct pg_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n, error;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return pg_error_set(PG_EINVAL, "bad format string");
	if ((error = pg_buf_grow(b, (size_t)n)) < 0)
		return error;
	vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
	b->size += (size_t)n;
	return 0;
}

int pg_buf_printf(struct pg_buf *b, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = pg_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return error;
}

void pg_buf_clear(struct pg_buf *b)
{
	b->size = 0;
	if (b->asize)
		b->ptr[0] = '\0';
}

void pg_buf_release(struct pg_buf *b)
{
	if (b->asize)
		free(b->ptr);
	pg_buf_init(b, b->limit);
}

char *pg_buf_detach(struct pg_buf *b)
{
	char *p;

	if (!b->asize)
		return strdup("");
	p = b->ptr;
	pg_buf_init(b, b->limit);
	return p;
}
