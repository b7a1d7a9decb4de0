/*
 * verdict.c - collect policy violations (see verdict.h); report/push_text.c
 * prints them.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "policy/verdict.h"

int pg_verdict_add(struct pg_verdict *verdict, const char *ref, const char *check,
		   enum pg_severity severity, const char *fix, const char *fmt, ...)
{
	struct pg_buf msg = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_violation *v, *items;
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = pg_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (error < 0)
		goto out;
	if (verdict->len == verdict->alloc) {
		size_t n = verdict->alloc ? verdict->alloc * 2 : 8;

		items = realloc(verdict->items, n * sizeof(*items));
		if (!items) {
			error = pg_error_oom();
			goto out;
		}
		verdict->items = items;
		verdict->alloc = n;
	}
	v = &verdict->items[verdict->len];
	v->ref = strdup(ref);
	v->fix = fix ? strdup(fix) : NULL;
	v->message = pg_buf_detach(&msg);
	if (!v->ref || !v->message || (fix && !v->fix)) {
		free(v->ref);
		free(v->fix);
		free(v->message);
		error = pg_error_oom();
		goto out;
	}
	v->check = check;
	v->severity = severity;
	verdict->len++;
out:
	pg_buf_release(&msg);
	return error;
}

size_t pg_verdict_rejections(const struct pg_verdict *verdict)
{
	size_t i, n = 0;

	for (i = 0; i < verdict->len; i++)
		if (verdict->items[i].severity == PG_SEVERITY_REJECT)
			n++;
	return n;
}

void pg_verdict_clear(struct pg_verdict *verdict)
{
	size_t i;

	for (i = 0; i < verdict->len; i++) {
		free(verdict->items[i].ref);
		free(verdict->items[i].message);
		free(verdict->items[i].fix);
	}
	free(verdict->items);
	verdict->items = NULL;
	verdict->len = verdict->alloc = 0;
}
