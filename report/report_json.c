/*
 * report_json.c - the JSON report (docs/architecture.md, "Formats users
 * rely on") and the baseline read back from it or from a SARIF report.
 *
 * Built with jansson; every secret is redacted before it becomes a JSON
 * string, and the baseline keeps only fingerprints.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/json.h"
#include "common/sha1.h"
#include "common/text.h"
#include "report/report.h"

/* A baseline is a report we wrote; this bounds what we agree to parse. */
#define BASELINE_LIMIT ((size_t)512 << 20)

static json_t *redacted_string(const char *secret, size_t len)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	json_t *v = NULL;

	if (pg_buf_put_redacted(&b, secret, len) < 0)
		goto out;
	v = json_stringn(b.ptr, b.size);
out:
	pg_buf_release(&b);
	return v;
}

/* The reasons context lowered a finding, as one string ("test path, placeholder value"). */
static json_t *lowered_string(unsigned int lowered)
{
	struct pg_buf b = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	json_t *v = NULL;

	if (pg_finding_lowered_put(&b, lowered) == 0)
		v = json_string(b.ptr);
	pg_buf_release(&b);
	return v;
}

static int finding_json(json_t **out, const struct pg_finding *f)
{
	json_t *o;
	int error;

	*out = NULL;
	if (!(o = json_object()))
		return pg_error_oom();
	if ((error = pg_json_set(o, "rule", pg_json_text(f->rule->id, strlen(f->rule->id)))) < 0 ||
	    (error = pg_json_set(o, "path", pg_json_text(f->path, strlen(f->path)))) < 0 ||
	    (error = pg_json_set(o, "line", json_integer((json_int_t)f->line))) < 0 ||
	    (error = pg_json_set(o, "column", json_integer((json_int_t)f->column))) < 0 ||
	    (error = pg_json_set(o, "commit", f->commit ? pg_json_text(f->commit, strlen(f->commit))
						    : json_null())) < 0 ||
	    (error = pg_json_set(o, "secret", redacted_string(f->secret, f->secret_len))) < 0 ||
	    (error = pg_json_set(o, "fingerprint", json_string(f->fingerprint))) < 0 ||
	    (f->binary && (error = pg_json_set(o, "offset", json_integer((json_int_t)f->offset))) < 0) ||
	    (f->author && (error = pg_json_set(o, "author", pg_json_text(f->author,
								       strlen(f->author)))) < 0) ||
	    (f->date[0] && (error = pg_json_set(o, "date", json_string(f->date))) < 0) ||
	    (error = pg_json_set(o, "description", pg_json_text(f->rule->description,
								  strlen(f->rule->description)))) < 0 ||
	    (error = pg_json_set(o, "severity", json_string(pg_rule_severity_name(f->rule->severity)))) < 0 ||
	    (error = pg_json_set(o, "confidence", json_string(pg_confidence_name(f->confidence)))) < 0 ||
	    (f->lowered && (error = pg_json_set(o, "lowered_because", lowered_string(f->lowered))) < 0))
		goto out;
	*out = o;
	return 0;
out:
	json_decref(o);
	return error;
}

static int stats_json(json_t **out, const struct pg_scan_stats *st)
{
	json_t *o = NULL, *skipped = NULL, *hits = NULL;
	size_t i;
	int error;

	*out = NULL;
	if (!(o = json_object()) || !(skipped = json_object())) {
		error = pg_error_oom();
		goto out;
	}
	if ((error = pg_json_set(skipped, "binary", json_integer((json_int_t)st->skipped_binary))) < 0 ||
	    (error = pg_json_set(skipped, "unreadable", json_integer((json_int_t)st->skipped_unreadable))) < 0 ||
	    (error = pg_json_set(skipped, "symlink", json_integer((json_int_t)st->skipped_symlink))) < 0 ||
	    (error = pg_json_set(skipped, "too_large", json_integer((json_int_t)st->skipped_too_large))) < 0 ||
	    (error = pg_json_set(o, "files", json_integer((json_int_t)st->files))) < 0 ||
	    (error = pg_json_set(o, "bytes", json_integer((json_int_t)st->bytes))) < 0)
		goto out;
	error = pg_json_set(o, "skipped", skipped);
	skipped = NULL; /* o's now, or freed by jansson */
	if (error < 0 || (error = pg_json_set(o, "seconds", json_real(st->seconds))) < 0)
		goto out;
	for (i = 0; st->rules && i < st->limit_hits_len && i < st->rules->len; i++) {
		if (!st->limit_hits[i])
			continue;
		if (!hits && !(hits = json_object())) {
			error = pg_error_oom();
			goto out;
		}
		if ((error = pg_json_set(hits, st->rules->rules[i].id,
				     json_integer((json_int_t)st->limit_hits[i]))) < 0)
			goto out;
	}
	if (hits) {
		error = pg_json_set(o, "limit_hits", hits);
		hits = NULL;
		if (error < 0)
			goto out;
	}
	*out = o;
	o = NULL;
out:
	json_decref(hits);
	json_decref(skipped);
	json_decref(o);
	return error;
}

int pg_report_json_write(FILE *out, const struct pg_findings *findings,
			 const struct pg_scan_stats *stats)
{
	json_t *root = NULL, *list = NULL, *item = NULL, *st = NULL;
	size_t i;
	int error = 0;

	if (!(root = json_object()) || !(list = json_array())) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < findings->len; i++) {
		if ((error = finding_json(&item, &findings->items[i])) < 0)
			goto out;
		error = pg_json_append(list, item);
		item = NULL; /* the list's, or freed by jansson */
		if (error < 0)
			goto out;
	}
	error = pg_json_set(root, "findings", list);
	list = NULL;
	if (error < 0 || (error = stats_json(&st, stats)) < 0)
		goto out;
	error = pg_json_set(root, "stats", st);
	if (error < 0)
		goto out;
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_REAL_PRECISION(6)) < 0 ||
	    fputc('\n', out) == EOF || fflush(out) || ferror(out)) {
		error = pg_error_set(PG_EIO, "cannot write the JSON report");
		goto out;
	}
out:
	json_decref(list);
	json_decref(root);
	return error;
}

static int is_fingerprint(const char *s, size_t len)
{
	unsigned char id[PG_SHA1_LEN];

	return len == PG_SHA1_HEX_LEN && pg_sha1_from_hex(id, s);
}

static int compare_fingerprints(const void *a, const void *b)
{
	return memcmp(a, b, 41);
}

/* Copy a fingerprint into the next free slot; false if it is not a valid one. */
static bool baseline_take(struct pg_baseline *out, const json_t *fp)
{
	if (!json_is_string(fp) || !is_fingerprint(json_string_value(fp), json_string_length(fp)))
		return false;
	memcpy(out->fingerprints[out->len++], json_string_value(fp), 41);
	return true;
}

static int baseline_alloc(struct pg_baseline *out, size_t n)
{
	if (n && !(out->fingerprints = calloc(n, sizeof(*out->fingerprints))))
		return pg_error_oom();
	return 0;
}

/* The "findings" of a JSON report written by pg_report_json_write(). */
static int baseline_from_json(struct pg_baseline *out, const json_t *list, const char *path)
{
	const json_t *item;
	size_t i;
	int error;

	if ((error = baseline_alloc(out, json_array_size(list))) < 0)
		return error;
	json_array_foreach(list, i, item) {
		if (!baseline_take(out, json_is_object(item) ? json_object_get(item, "fingerprint") : NULL))
			return pg_error_set(PG_EINVAL, "%s: baseline finding %zu has no valid "
					    "\"fingerprint\" (40 lower-case hex digits)", path, i + 1);
	}
	return 0;
}

/* Is this SARIF run pushgate's? Other tools' runs (a merged file) are skipped. */
static bool sarif_run_is_ours(const json_t *run)
{
	const json_t *name = json_object_get(json_object_get(json_object_get(run, "tool"),
							     "driver"), "name");

	return json_is_string(name) && !strcmp(json_string_value(name), "pushgate");
}

/* The results' partialFingerprints["pushgate/v1"] of a SARIF report's pushgate runs. */
static int baseline_from_sarif(struct pg_baseline *out, const json_t *root, const char *path)
{
	const json_t *version = json_object_get(root, "version"), *runs = json_object_get(root, "runs");
	const json_t *run, *results, *result;
	size_t i, j, n = 0, ours = 0;
	int error;

	if (!json_is_string(version) || strcmp(json_string_value(version), "2.1.0"))
		return pg_error_set(PG_EINVAL, "%s: baseline SARIF is not version \"2.1.0\"", path);
	json_array_foreach(runs, i, run) {
		if (!json_is_object(run))
			return pg_error_set(PG_EINVAL, "%s: baseline SARIF run %zu is not an object",
					    path, i + 1);
		if (!sarif_run_is_ours(run))
			continue;
		if (!json_is_array(results = json_object_get(run, "results")))
			return pg_error_set(PG_EINVAL, "%s: baseline SARIF run %zu has no \"results\" "
					    "array", path, i + 1);
		n += json_array_size(results);
		ours++;
	}
	if (!ours)
		return pg_error_set(PG_EINVAL, "%s: baseline SARIF has no run of pushgate "
				    "(tool.driver.name \"pushgate\")", path);
	if ((error = baseline_alloc(out, n)) < 0)
		return error;
	json_array_foreach(runs, i, run) {
		if (!sarif_run_is_ours(run))
			continue;
		json_array_foreach(json_object_get(run, "results"), j, result) {
			if (!baseline_take(out, json_object_get(json_object_get(result, "partialFingerprints"),
								"pushgate/v1")))
				return pg_error_set(PG_EINVAL, "%s: baseline SARIF run %zu result %zu has "
						    "no valid partialFingerprints \"pushgate/v1\" (40 "
						    "lower-case hex digits)", path, i + 1, j + 1);
		}
	}
	return 0;
}

int pg_baseline_load(struct pg_baseline *out, const char *path)
{
	struct pg_buf data = PG_BUF_INIT(BASELINE_LIMIT);
	json_t *root = NULL, *list;
	json_error_t jerr;
	int error;

	out->fingerprints = NULL;
	out->len = 0;
	if ((error = pg_file_read(&data, path)) < 0)
		goto out;
	if (!(root = json_loadb(data.ptr, data.size, 0, &jerr))) {
		error = pg_error_set(PG_EINVAL, "%s:%d:%d: baseline is not JSON: %s", path,
				     jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (json_is_object(root) && json_is_array(list = json_object_get(root, "findings")))
		error = baseline_from_json(out, list, path);
	else if (json_is_object(root) && json_is_array(json_object_get(root, "runs")))
		error = baseline_from_sarif(out, root, path);
	else
		error = pg_error_set(PG_EINVAL, "%s: baseline is neither a pushgate JSON report "
				     "(no \"findings\" array) nor a SARIF report (no \"runs\" array)",
				     path);
	if (error < 0)
		goto out;
	if (out->len > 1)
		qsort(out->fingerprints, out->len, sizeof(*out->fingerprints), compare_fingerprints);
out:
	if (error < 0)
		pg_baseline_clear(out);
	json_decref(root);
	pg_buf_release(&data);
	return error;
}

bool pg_baseline_contains(const struct pg_baseline *baseline, const char *fingerprint)
{
	char key[41] = { 0 };
	size_t len = strlen(fingerprint);

	if (!baseline->len || len != 40)
		return false;
	memcpy(key, fingerprint, 40);
	return !!bsearch(key, baseline->fingerprints, baseline->len,
		       sizeof(*baseline->fingerprints), compare_fingerprints);
}

size_t pg_baseline_filter(const struct pg_baseline *baseline, struct pg_findings *list)
{
	struct pg_finding *f;
	size_t i, kept = 0, dropped = 0;

	for (i = 0; i < list->len; i++) {
		f = &list->items[i];
		if (!pg_baseline_contains(baseline, f->fingerprint)) {
			if (kept != i)
				list->items[kept] = *f;
			kept++;
			continue;
		}
		pg_finding_release(f);
		dropped++;
	}
	list->len = kept;
	return dropped;
}

void pg_baseline_clear(struct pg_baseline *baseline)
{
	free(baseline->fingerprints);
	baseline->fingerprints = NULL;
	baseline->len = 0;
}
