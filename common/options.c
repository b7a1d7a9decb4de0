/*
 * options.c - parse a command's argv against its option table.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/options.h"

void pg_options_print_usage(const struct pg_option *options, const char *usage)
{
	const struct pg_option *o;
	char left[64];

	printf("%s\n", usage);
	if (options[0].type != PG_OPT_END)
		printf("\nOptions:\n");
	for (o = options; o->type != PG_OPT_END; o++) {
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->short_name,
				 o->long_name, o->arg_name ? " " : "",
				 o->arg_name ? o->arg_name : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->long_name,
				 o->arg_name ? " " : "", o->arg_name ? o->arg_name : "");
		printf("  %-26s %s\n", left, o->help);
	}
	printf("  %-26s %s\n", "-h, --help", "show this help");
}

static const struct pg_option *find_long(const struct pg_option *options,
					 const char *name, size_t len)
{
	const struct pg_option *o;

	for (o = options; o->type != PG_OPT_END; o++)
		if (strlen(o->long_name) == len && !strncmp(o->long_name, name, len))
			return o;
	return NULL;
}

static const struct pg_option *find_short(const struct pg_option *options, char c)
{
	const struct pg_option *o;

	for (o = options; o->type != PG_OPT_END; o++)
		if (o->short_name == c)
			return o;
	return NULL;
}

static int set_value(const struct pg_option *o, const char *value)
{
	char *end;
	long n;

	switch (o->type) {
	case PG_OPT_FLAG:
		*(int *)o->value = 1;
		return 0;
	case PG_OPT_STRING:
		*(const char **)o->value = value;
		return 0;
	case PG_OPT_INT:
		errno = 0;
		n = strtol(value, &end, 10);
		if (errno || end == value || *end || n < 0 || n > INT_MAX)
			return pg_error_set(PG_EUSAGE,
					    "--%s takes a non-negative number, not '%s'",
					    o->long_name, value);
		*(int *)o->value = (int)n;
		return 0;
	default:
		return pg_error_set(PG_EUSAGE, "bad option table");
	}
}

int pg_options_parse(const struct pg_option *options, const char *usage,
		     int argc, char **argv, int *npos)
{
	const struct pg_option *o;
	const char *arg, *eq, *value;
	int i, pos = 0, only_positional = 0, error;

	for (i = 1; i < argc; i++) {
		arg = argv[i];
		if (only_positional || arg[0] != '-' || !strcmp(arg, "-")) {
			argv[pos++] = argv[i];
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_positional = 1;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			pg_options_print_usage(options, usage);
			return PG_EHELP;
		}
		value = NULL;
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			o = find_long(options, arg + 2,
				      eq ? (size_t)(eq - arg - 2) : strlen(arg + 2));
			if (eq)
				value = eq + 1;
		} else {
			o = arg[2] ? NULL : find_short(options, arg[1]);
		}
		if (!o)
			return pg_error_set(PG_EUSAGE, "unknown option '%s' (see --help)", arg);
		if (o->type == PG_OPT_FLAG) {
			if (value)
				return pg_error_set(PG_EUSAGE, "--%s takes no value", o->long_name);
		} else if (!value) {
			if (i + 1 >= argc)
				return pg_error_set(PG_EUSAGE, "--%s needs a value (%s)",
						    o->long_name, o->arg_name ? o->arg_name : "VALUE");
			value = argv[++i];
		}
		if ((error = set_value(o, value)) < 0)
			return error;
	}
	*npos = pos;
	return 0;
}
