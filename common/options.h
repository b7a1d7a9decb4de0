/*
 * options.h - declarative command-line options.
 *
 * Each command declares a table of options and a usage text and parses
 * them in one call; positional arguments are left in argv for it.
 */
#ifndef PG_OPTIONS_H
#define PG_OPTIONS_H

enum pg_option_type {
	PG_OPT_END = 0,
	PG_OPT_FLAG,   /* int *: set to 1 */
	PG_OPT_STRING, /* const char **: borrowed from argv */
	PG_OPT_INT     /* int *: a non-negative decimal number */
};

struct pg_option {
	enum pg_option_type type;
	const char *long_name;  /* without the leading "--" */
	char short_name;        /* 0 for none */
	void *value;
	const char *arg_name;   /* for usage, e.g. "FILE" */
	const char *help;
};

/**
 * Parse `argv[1..argc-1]` against `options`, a table ended by
 * `{ PG_OPT_END }`. Accepts `--name VALUE`, `--name=VALUE`, `-x VALUE`,
 * `--` and a lone `-` (a positional argument). Positional arguments are
 * moved to the front of argv, in order; their count goes to *npos.
 *
 * `--help` and `-h` print the usage and the option list to stdout and
 * return PG_EHELP.
 *
 * @return 0, PG_EHELP, or PG_EUSAGE with the message set
 */
int pg_options_parse(const struct pg_option *options, const char *usage,
		     int argc, char **argv, int *npos);

/** Print `usage` and the option table to stdout. */
void pg_options_print_usage(const struct pg_option *options, const char *usage);

#endif
