/*
 * rules_check.c - run each rule's examples and negative examples.
 *
 * Owns only the verdict on examples; loading and compiling are done by
 * the caller. Never prints an example whole: they look like secrets.
 */
#include <string.h>

#include "common/error.h"
#include "common/text.h"
#include "scanners/rules_check.h"

struct probe {
	size_t rule;
	bool found;
};

static int probe_cb(const struct pg_match *match, const char *buf, void *payload)
{
	struct probe *p = payload;

	(void)buf;
	if (match->rule_index != p->rule)
		return 0;
	p->found = true;
	return 1;
}

static int problem(struct pg_buf *report, const struct pg_rules *rules, const struct pg_rule *rule,
		   const char *kind, size_t n, const char *what, const char *example)
{
	int error;

	if ((error = pg_buf_printf(report, "%s:%u: rule '%s': %s %zu %s: ", rules->source,
				   rule->line, rule->id, kind, n, what)) < 0 ||
	    (error = pg_buf_put_redacted(report, example, strlen(example))) < 0)
		return error;
	return pg_buf_putc(report, '\n');
}

static int check_list(struct pg_scan_ctx *ctx, const struct pg_rules *rules, size_t r,
		      const struct pg_strlist *list, bool positive, struct pg_buf *report,
		      struct pg_rules_check_stats *stats)
{
	const struct pg_rule *rule = &rules->rules[r];
	const char *kind = positive ? "example" : "negative example";
	const uint64_t *limits;
	struct probe p;
	uint64_t before;
	size_t i, n;
	int rc, error;

	for (i = 0; i < list->len; i++) {
		p.rule = r;
		p.found = false;
		limits = pg_scan_ctx_limit_hits(ctx, &n);
		before = limits[r];
		rc = pg_scan_buffer(ctx, NULL, list->items[i], strlen(list->items[i]), probe_cb, &p);
		if (rc < 0)
			return rc;
		stats->examples++;
		if (limits[r] != before) {
			stats->failures++;
			if ((error = problem(report, rules, rule, kind, i + 1,
					     "hit a PCRE2 match limit", list->items[i])) < 0)
				return error;
		} else if (p.found != positive) {
			stats->failures++;
			if ((error = problem(report, rules, rule, kind, i + 1,
					     positive ? "does not match" : "matches",
					     list->items[i])) < 0)
				return error;
		}
	}
	return 0;
}

int pg_rules_check_examples(const struct pg_scanner *scanner, struct pg_buf *report,
			    struct pg_rules_check_stats *stats)
{
	const struct pg_rules *rules = pg_scanner_rules(scanner);
	struct pg_scan_ctx *ctx = NULL;
	size_t r;
	int error;

	memset(stats, 0, sizeof(*stats));
	if ((error = pg_scan_ctx_new(&ctx, scanner)) < 0)
		goto out;
	for (r = 0; r < rules->len; r++) {
		if ((error = check_list(ctx, rules, r, &rules->rules[r].examples, true,
					report, stats)) < 0 ||
		    (error = check_list(ctx, rules, r, &rules->rules[r].negative_examples, false,
					report, stats)) < 0)
			goto out;
		stats->rules++;
	}
out:
	pg_scan_ctx_free(ctx);
	return error;
}
