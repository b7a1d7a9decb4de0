/*
 * rules_cmd.c - `pushgate rules list [--rules FILE]` and `pushgate rules
 * check [FILE]`: list the secret rules, or validate a rules file,
 * compile it with Hyperscan and verify every rule's examples. Thin:
 * loading, compiling and checking live in scanners/.
 */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/options.h"
#include "common/text.h"
#include "hooks/commands.h"
#include "scanners/engine.h"
#include "scanners/rules.h"
#include "scanners/rules_check.h"

static const char rules_usage[] =
	"usage: pushgate rules list [--rules FILE]\n"
	"   or: pushgate rules check [FILE]\n"
	"\n"
	"list   print each rule's id, severity, confidence and description\n"
	"check  validate a rules file (default: the embedded set), compile it\n"
	"       with Hyperscan and verify every rule's examples and\n"
	"       negative_examples; exit 1 if an example fails\n"
	"\n"
	"The format is described in docs/rules-format.md.";

static int write_out(const struct pg_buf *text)
{
	if (fwrite(text->ptr, 1, text->size, stdout) != text->size || fflush(stdout) != 0)
		return pg_error_set(PG_EIO, "cannot write to standard output");
	return 0;
}

static int load(struct pg_rules **out, const char *file)
{
	return file ? pg_rules_load_file(out, file) : pg_rules_load_default(out);
}

static int rules_list(const char *file)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_rules *rules = NULL;
	const struct pg_rule *rule;
	size_t i;
	int error;

	if ((error = load(&rules, file)) < 0)
		goto out;
	for (i = 0; i < rules->len; i++) {
		rule = &rules->rules[i];
		/* A description is free text from a file: keep it on one line. */
		if ((error = pg_buf_printf(&text, "%-40s %-8s %-6s ", rule->id,
					   pg_rule_severity_name(rule->severity),
					   pg_confidence_name(rule->confidence))) < 0 ||
		    (error = pg_buf_puts_escaped(&text, rule->description)) < 0 ||
		    (error = pg_buf_putc(&text, '\n')) < 0)
			goto out;
	}
	error = write_out(&text);
out:
	pg_buf_release(&text);
	pg_rules_free(rules);
	return error;
}

static int rules_check(const char *file)
{
	struct pg_buf text = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_rules_check_stats stats;
	struct pg_scanner *scanner = NULL;
	struct pg_rules *rules = NULL;
	int error;

	if ((error = load(&rules, file)) < 0 ||
	    (error = pg_scanner_new(&scanner, rules, NULL)) < 0 ||
	    (error = pg_rules_check_examples(scanner, &text, &stats)) < 0)
		goto out;
	if (stats.failures)
		error = pg_buf_printf(&text, "%s: %zu of %zu examples failed in %zu rules\n",
				      rules->source, stats.failures, stats.examples, stats.rules);
	else
		error = pg_buf_printf(&text, "%zu rules ok (%zu examples)\n", stats.rules,
				      stats.examples);
	if (error < 0 || (error = write_out(&text)) < 0)
		goto out;
	error = stats.failures ? 1 : 0;
out:
	pg_buf_release(&text);
	pg_scanner_free(scanner);
	pg_rules_free(rules);
	return error;
}

int pg_cmd_rules(int argc, char **argv)
{
	const char *file = NULL;
	const struct pg_option options[] = {
		{ PG_OPT_STRING, "rules", 0, &file, "FILE",
		  "a rules file instead of the embedded default" },
		{ PG_OPT_END }
	};
	int npos = 0, error;

	if ((error = pg_options_parse(options, rules_usage, argc, argv, &npos)) < 0)
		return error;
	if (npos == 0) {
		pg_options_print_usage(options, rules_usage);
		return pg_error_set(PG_EUSAGE, "rules: which subcommand? (list or check)");
	}
	if (!strcmp(argv[0], "list")) {
		if (npos > 1)
			return pg_error_set(PG_EUSAGE, "rules list: takes no arguments (use --rules FILE)");
		return rules_list(file);
	}
	if (!strcmp(argv[0], "check")) {
		if (npos > 2)
			return pg_error_set(PG_EUSAGE, "rules check: takes at most one FILE");
		if (npos == 2 && file)
			return pg_error_set(PG_EUSAGE, "rules check: give FILE or --rules, not both");
		return rules_check(npos == 2 ? argv[1] : file);
	}
	return pg_error_set(PG_EUSAGE, "rules: unknown subcommand '%s' (list or check)", argv[0]);
}
