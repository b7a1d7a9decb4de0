/*
 * report_sarif.c - the SARIF 2.1.0 report, for code-scanning dashboards.
 *
 * One run; the driver lists only the rules that produced a finding.
 * Secrets appear only redacted, paths only as URI-escaped relative URIs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/json.h"
#include "common/text.h"
#include "common/version.h"
#include "report/report.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

/* The distinct rules of the findings, in order of rule id. */
struct used_rules {
	const struct pg_rule **items;
	size_t len;
};

static const char *const sarif_levels[] = { "error", "warning", "note" };

/* The index in sarif_levels of a rule's severity. */
static size_t severity_step(enum pg_rule_severity severity)
{
	return severity <= PG_RULE_HIGH ? 0 : severity == PG_RULE_MEDIUM ? 1 : 2;
}

static const char *sarif_level(enum pg_rule_severity severity)
{
	return sarif_levels[severity_step(severity)];
}

/*
 * A finding's level: the rule's severity, one step lower for a
 * low-confidence finding, so that a dashboard sorting by level sees both;
 * rank carries the confidence alone (docs/ci.md, "SARIF").
 */
static const char *result_level(const struct pg_finding *f)
{
	size_t step = severity_step(f->rule->severity) + (f->confidence == PG_CONFIDENCE_LOW);

	return sarif_levels[step < 2 ? step : 2];
}

/* GitHub's security-severity: a number from 0.0 to 10.0, written as a string. */
static const char *security_severity(enum pg_rule_severity severity)
{
	switch (severity) {
	case PG_RULE_CRITICAL:
		return "9.5";
	case PG_RULE_HIGH:
		return "8.0";
	case PG_RULE_MEDIUM:
		return "5.5";
	case PG_RULE_LOW:
		return "3.0";
	}
	return "9.5";
}

/* SARIF rank (0-100): how likely the result is a real problem. */
static double result_rank(enum pg_confidence confidence)
{
	return confidence == PG_CONFIDENCE_HIGH ? 90.0 : confidence == PG_CONFIDENCE_MEDIUM ? 60.0 : 30.0;
}

static int compare_rules(const void *a, const void *b)
{
	const struct pg_rule *const *ra = a, *const *rb = b;

	return strcmp((*ra)->id, (*rb)->id);
}

static size_t used_rules_index(const struct used_rules *used, const struct pg_rule *rule)
{
	const struct pg_rule **hit;

	hit = bsearch(&rule, used->items, used->len, sizeof(*used->items), compare_rules);
	return hit ? (size_t)(hit - used->items) : 0;
}

static int used_rules_collect(struct used_rules *used, const struct pg_findings *findings)
{
	size_t i, j;

	used->items = NULL;
	used->len = 0;
	if (!findings->len)
		return 0;
	if (!(used->items = calloc(findings->len, sizeof(*used->items))))
		return pg_error_oom();
	for (i = 0; i < findings->len; i++) {
		for (j = 0; j < used->len; j++)
			if (used->items[j] == findings->items[i].rule)
				break;
		if (j == used->len)
			used->items[used->len++] = findings->items[i].rule;
	}
	qsort(used->items, used->len, sizeof(*used->items), compare_rules);
	return 0;
}

/* Percent-encode all but RFC 3986 unreserved characters and '/'. */
static int put_uri_escaped(struct pg_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char c;
	int error;

	for (; *s; s++) {
		c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
			error = pg_buf_putc(b, (char)c);
		else if ((error = pg_buf_putc(b, '%')) >= 0 &&
			 (error = pg_buf_putc(b, hex[c >> 4])) >= 0)
			error = pg_buf_putc(b, hex[c & 15]);
		if (error < 0)
			return error;
	}
	return 0;
}

/* What to do about any finding; the same for every rule. */
#define HELP_TEXT \
	"Take the secret out of the file and out of the commits that add it " \
	"(git commit --amend, git rebase -i), then rotate the credential: once " \
	"committed or pushed, treat it as leaked. Read it from an environment " \
	"variable or a secret store instead. Not a secret? Add the comment " \
	"pushgate:allow on its line (a binary file cannot carry one: take the " \
	"value out)."
#define HELP_MARKDOWN \
	"**Take the secret out** of the file and out of the commits that add it " \
	"(`git commit --amend`, `git rebase -i`), then **rotate the credential**: " \
	"once committed or pushed, treat it as leaked. Read it from an environment " \
	"variable or a secret store instead.\n\n" \
	"**Not a secret?** Add the comment `pushgate:allow` on its line, for example " \
	"`token = \"not-a-real-token\"  # pushgate:allow`. A binary file cannot " \
	"carry one: take the value out."

/* SARIF's multiformatMessageString, {"text", "markdown"}; markdown may be NULL. */
static json_t *message_string(const char *text, const char *markdown)
{
	json_t *o = json_object();

	if (!o || pg_json_set(o, "text", pg_json_text(text, strlen(text))) < 0 ||
	    (markdown && pg_json_set(o, "markdown", json_string(markdown)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *rule_properties(const struct pg_rule *rule)
{
	json_t *o = json_object(), *tags = json_array();

	if (!o || !tags || pg_json_append(tags, json_string("security")) < 0 ||
	    pg_json_append(tags, json_string("secret")) < 0) {
		json_decref(tags);
		json_decref(o);
		return NULL;
	}
	if (pg_json_set(o, "tags", tags) < 0 ||
	    pg_json_set(o, "security-severity", json_string(security_severity(rule->severity))) < 0 ||
	    pg_json_set(o, "precision", json_string(pg_confidence_name(rule->confidence))) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int rule_json(json_t **out, const struct pg_rule *rule)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	json_t *o = NULL, *conf = NULL;
	int error;

	*out = NULL;
	if (!(o = json_object()) || !(conf = json_object())) {
		error = pg_error_oom();
		goto out;
	}
	if ((error = pg_buf_puts_escaped(&b, rule->id)) < 0 ||
	    (error = pg_json_set(o, "id", pg_json_text(b.ptr, b.size))) < 0)
		goto out;
	pg_buf_clear(&b);
	if ((error = pg_buf_puts_escaped(&b, rule->description)) < 0 ||
	    (error = pg_json_set(o, "shortDescription", message_string(b.ptr, NULL))) < 0 ||
	    (error = pg_buf_puts(&b, " (pushgate rule ")) < 0 ||
	    (error = pg_buf_puts_escaped(&b, rule->id)) < 0 ||
	    (error = pg_buf_printf(&b, ", severity %s): anyone who can read the repository, a "
				  "clone of it or its history can use this credential.",
				  pg_rule_severity_name(rule->severity))) < 0 ||
	    (error = pg_json_set(o, "fullDescription", message_string(b.ptr, NULL))) < 0 ||
	    (error = pg_json_set(conf, "level", json_string(sarif_level(rule->severity)))) < 0)
		goto out;
	error = pg_json_set(o, "defaultConfiguration", conf);
	conf = NULL;
	if (error < 0 ||
	    (error = pg_json_set(o, "help", message_string(HELP_TEXT, HELP_MARKDOWN))) < 0 ||
	    (error = pg_json_set(o, "properties", rule_properties(rule))) < 0)
		goto out;
	*out = o;
	o = NULL;
out:
	json_decref(conf);
	json_decref(o);
	pg_buf_release(&b);
	return error;
}

static int location_json(json_t **out, const struct pg_finding *f)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	json_t *loc = NULL, *phys = NULL, *art = NULL, *region = NULL;
	int error;

	*out = NULL;
	if (!(loc = json_object()) || !(phys = json_object()) || !(art = json_object()) ||
	    !(region = json_object())) {
		error = pg_error_oom();
		goto out;
	}
	if ((error = put_uri_escaped(&b, f->path)) < 0 ||
	    (error = pg_json_set(art, "uri", pg_json_text(b.ptr, b.size))) < 0 ||
	    (f->path[0] != '/' && strcmp(f->path, "-") &&
	     (error = pg_json_set(art, "uriBaseId", json_string("%SRCROOT%"))) < 0) ||
	    (error = pg_json_set(region, "startLine", json_integer((json_int_t)f->line))) < 0 ||
	    (error = pg_json_set(region, "startColumn", json_integer((json_int_t)f->column))) < 0 ||
	    (f->binary && (error = pg_json_set(region, "byteOffset", json_integer((json_int_t)f->offset))) < 0))
		goto out;
	error = pg_json_set(phys, "artifactLocation", art);
	art = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(phys, "region", region);
	region = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(loc, "physicalLocation", phys);
	phys = NULL;
	if (error < 0)
		goto out;
	*out = loc;
	loc = NULL;
out:
	json_decref(region);
	json_decref(art);
	json_decref(phys);
	json_decref(loc);
	pg_buf_release(&b);
	return error;
}

static int result_json(json_t **out, const struct pg_finding *f, size_t rule_index)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	json_t *o = NULL, *msg = NULL, *locs = NULL, *loc = NULL, *fps = NULL, *props = NULL;
	int error;

	*out = NULL;
	if (!(o = json_object()) || !(msg = json_object()) || !(locs = json_array()) ||
	    !(fps = json_object()) || !(props = json_object())) {
		error = pg_error_oom();
		goto out;
	}
	if ((error = pg_buf_puts_escaped(&b, f->rule->description)) < 0 ||
	    (error = pg_buf_puts(&b, ": ")) < 0 ||
	    (error = pg_buf_put_redacted(&b, f->secret, f->secret_len)) < 0 ||
	    (error = pg_json_set(msg, "text", pg_json_text(b.ptr, b.size))) < 0 ||
	    (error = pg_json_set(fps, "pushgate/v1", json_string(f->fingerprint))) < 0 ||
	    (error = location_json(&loc, f)) < 0)
		goto out;
	error = pg_json_append(locs, loc);
	loc = NULL;
	if (error < 0)
		goto out;
	pg_buf_clear(&b);
	if ((error = pg_buf_puts_escaped(&b, f->rule->id)) < 0 ||
	    (error = pg_json_set(o, "ruleId", pg_json_text(b.ptr, b.size))) < 0 ||
	    (error = pg_json_set(o, "ruleIndex", json_integer((json_int_t)rule_index))) < 0 ||
	    (error = pg_json_set(o, "level", json_string(result_level(f)))) < 0 ||
	    (error = pg_json_set(o, "rank", json_real(result_rank(f->confidence)))) < 0 ||
	    (error = pg_json_set(props, "confidence", json_string(pg_confidence_name(f->confidence)))) < 0)
		goto out;
	/* A --git finding: who added it and when, ... */
	if (f->author &&
	    ((error = pg_json_set(props, "author", pg_json_text(f->author, strlen(f->author)))) < 0 ||
	     (error = pg_json_set(props, "date", json_string(f->date))) < 0))
		goto out;
	/* ... and the commit, also a fingerprint so each commit's copy counts. */
	if (f->commit &&
	    ((error = pg_json_set(props, "commit", pg_json_text(f->commit, strlen(f->commit)))) < 0 ||
	     (error = pg_json_set(fps, "commitSha/v1", pg_json_text(f->commit, strlen(f->commit)))) < 0))
		goto out;
	if (f->lowered) {
		pg_buf_clear(&b);
		if ((error = pg_finding_lowered_put(&b, f->lowered)) < 0 ||
		    (error = pg_json_set(props, "loweredBecause", pg_json_text(b.ptr, b.size))) < 0)
			goto out;
	}
	error = pg_json_set(o, "properties", props);
	props = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(o, "message", msg);
	msg = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(o, "locations", locs);
	locs = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(o, "partialFingerprints", fps);
	fps = NULL;
	if (error < 0)
		goto out;
	*out = o;
	o = NULL;
out:
	json_decref(props);
	json_decref(fps);
	json_decref(locs);
	json_decref(msg);
	json_decref(o);
	pg_buf_release(&b);
	return error;
}

static int run_json(json_t **out, const struct pg_findings *findings)
{
	struct used_rules used = { 0 };
	json_t *run = NULL, *tool = NULL, *driver = NULL, *rules = NULL, *results = NULL,
	       *item = NULL;
	size_t i;
	int error;

	*out = NULL;
	if ((error = used_rules_collect(&used, findings)) < 0)
		goto out;
	if (!(run = json_object()) || !(tool = json_object()) || !(driver = json_object()) ||
	    !(rules = json_array()) || !(results = json_array())) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < used.len; i++) {
		if ((error = rule_json(&item, used.items[i])) < 0)
			goto out;
		error = pg_json_append(rules, item);
		if (error < 0)
			goto out;
	}
	for (i = 0; i < findings->len; i++) {
		if ((error = result_json(&item, &findings->items[i],
					 used_rules_index(&used, findings->items[i].rule))) < 0)
			goto out;
		error = pg_json_append(results, item);
		if (error < 0)
			goto out;
	}
	if ((error = pg_json_set(driver, "name", json_string("pushgate"))) < 0 ||
	    (error = pg_json_set(driver, "version", json_string(PG_VERSION))) < 0)
		goto out;
	error = pg_json_set(driver, "rules", rules);
	rules = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(tool, "driver", driver);
	driver = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(run, "tool", tool);
	tool = NULL;
	if (error < 0)
		goto out;
	error = pg_json_set(run, "results", results);
	results = NULL;
	if (error < 0)
		goto out;
	*out = run;
	run = NULL;
out:
	json_decref(results);
	json_decref(rules);
	json_decref(driver);
	json_decref(tool);
	json_decref(run);
	free(used.items);
	return error;
}

int pg_report_sarif_write(FILE *out, const struct pg_findings *findings,
			  const struct pg_scan_stats *stats)
{
	json_t *root = NULL, *runs = NULL, *run = NULL;
	int error;

	(void)stats; /* SARIF has no place for them that tools read */
	if (!(root = json_object()) || !(runs = json_array())) {
		error = pg_error_oom();
		goto out;
	}
	if ((error = pg_json_set(root, "$schema", json_string(SARIF_SCHEMA))) < 0 ||
	    (error = pg_json_set(root, "version", json_string("2.1.0"))) < 0 ||
	    (error = run_json(&run, findings)) < 0)
		goto out;
	error = pg_json_append(runs, run);
	if (error < 0)
		goto out;
	error = pg_json_set(root, "runs", runs);
	runs = NULL;
	if (error < 0)
		goto out;
	if (json_dumpf(root, out, JSON_INDENT(2)) < 0 || fputc('\n', out) == EOF ||
	    fflush(out) || ferror(out)) {
		error = pg_error_set(PG_EIO, "cannot write the SARIF report");
		goto out;
	}
out:
	json_decref(runs);
	json_decref(root);
	return error;
}
