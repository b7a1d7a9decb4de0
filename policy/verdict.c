/*
 * verdict.c - collect and print policy violations (see verdict.h).
 *
 * Output reaches the pusher as `remote:` lines: short, grouped by ref,
 * each problem followed by how to fix it.
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

/* A push may carry thousands of refs: show this many problems, count the rest. */
#define MAX_PRINTED 100

/*
 * A message quotes what the pusher wrote (names, workflow text); whatever a
 * check let through, no credential leaves whole. `text` is already escaped.
 */
static const char *masked(struct pg_buf *b, const char *text)
{
	pg_buf_clear(b);
	if (pg_buf_put_masked(b, text, strlen(text)) < 0) {
		pg_buf_clear(b);
		pg_buf_puts(b, "(message cannot be shown)");
	}
	return b->ptr;
}

void pg_verdict_print(FILE *out, const struct pg_verdict *verdict, bool bypassed)
{
	struct pg_buf name = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_buf shown = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	const struct pg_violation *v;
	const char *mark;
	size_t i, more_refs = 0;

	/* Checks append a ref's problems together, so a group ends where the ref changes. */
	for (i = 0; i < verdict->len; i++) {
		v = &verdict->items[i];
		if (i >= MAX_PRINTED) {
			if (strcmp(v->ref, verdict->items[i - 1].ref))
				more_refs++;
			continue;
		}
		if (!i || strcmp(v->ref, verdict->items[i - 1].ref)) {
			pg_buf_clear(&name);
			if (pg_buf_put_name(&name, v->ref) < 0)
				pg_buf_puts(&name, "(ref name cannot be shown)");
			fprintf(out, "  %s\n", masked(&shown, name.ptr));
		}
		if (v->severity == PG_SEVERITY_WARN)
			mark = "! warning";
		else
			mark = bypassed ? "! bypassed" : "x";
		fprintf(out, "    %s [%s] %s\n", mark, v->check, masked(&shown, v->message));
		if (v->fix)
			fprintf(out, "      fix: %s\n", masked(&shown, v->fix));
	}
	if (verdict->len > MAX_PRINTED && more_refs)
		fprintf(out, "  ... and %zu more problems in %zu more refs\n",
			verdict->len - MAX_PRINTED, more_refs);
	else if (verdict->len > MAX_PRINTED)
		fprintf(out, "  ... and %zu more problems\n", verdict->len - MAX_PRINTED);
	pg_buf_release(&name);
	pg_buf_release(&shown);
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
