/*
 * error.h - error codes and the per-thread error message.
 *
 * Every function that can fail returns 0 or a negative PG_E* code and
 * records what went wrong with pg_error_set(); only the dispatcher in
 * hooks/main.c turns codes into exit statuses.
 */
#ifndef PG_ERROR_H
#define PG_ERROR_H

enum pg_error_code {
	PG_OK = 0,
	PG_ERROR = -1,     /* generic failure, message says why */
	PG_ENOMEM = -2,    /* allocation failed */
	PG_EINVAL = -3,    /* invalid input: policy, rules, hook input */
	PG_EIO = -4,       /* reading or writing a file failed */
	PG_ELIMIT = -5,    /* a size or resource limit was reached */
	PG_ENOTFOUND = -6, /* a looked-up thing does not exist */
	PG_EUSAGE = -7,    /* bad command line */
	PG_EGIT = -8,      /* libgit2 reported an error */
	PG_EHELP = -9      /* --help was printed; not a failure */
};

/**
 * Record a formatted message as this thread's last error.
 *
 * @param code the PG_E* code to return
 * @param fmt printf-style format
 * @return code, so callers can write `return pg_error_set(PG_EINVAL, ...)`
 */
int pg_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/**
 * Record libgit2's last error, prefixed with what we were doing.
 *
 * @return PG_EGIT
 */
int pg_error_set_git(const char *what);

/**
 * Record an allocation failure.
 *
 * @return PG_ENOMEM
 */
int pg_error_oom(void);

/**
 * This thread's last error message; borrowed until the next pg_error_*
 * call on this thread. Never NULL.
 */
const char *pg_error_last(void);

/** Forget this thread's last error. */
void pg_error_clear(void);

#endif
