/*
 * error.c - the per-thread last-error message behind pg_error_set().
 *
 * Thread-local so that scanner worker threads can fail independently;
 * the message buffer is fixed-size so that reporting an out-of-memory
 * condition never needs memory.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "common/error.h"

static _Thread_local char last_error[1024];

int pg_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return code;
}

int pg_error_set_git(const char *what)
{
	const git_error *e = git_error_last();

	return pg_error_set(PG_EGIT, "%s: %s", what,
			    e && e->message ? e->message : "unknown libgit2 error");
}

int pg_error_oom(void)
{
	return pg_error_set(PG_ENOMEM, "out of memory");
}

const char *pg_error_last(void)
{
	return last_error[0] ? last_error : "unknown error";
}

void pg_error_clear(void)
{
	last_error[0] = '\0';
}
