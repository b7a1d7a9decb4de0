/*
 * fuzz_report.c - fuzzes the text, JSON and SARIF report writers
 * (report/report.h) on findings decoded from the input: up to three
 * made-up rules with arbitrary ids and descriptions, then findings with
 * arbitrary paths, commits, line and column numbers and secrets.
 *
 * Invariant: JSON and SARIF parse back (jansson) with one entry per
 * finding and its fingerprint; the JSON report reads back as a baseline
 * holding every fingerprint; the text report holds no control character
 * but newlines; and no report holds a secret of 8 bytes or more whole:
 * each secret must occur no more often than in the same report written
 * with that secret's hidden bytes (all but the redacted prefix) changed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "common/error.h"
#include "report/report.h"
#include "scanners/finding.h"
#include "scanners/rules.h"
#include "fuzz.h"

#define MAX_FINDINGS 16
#define MAX_LEAK_CHECKS 8

static struct pg_rules *rules;

/* The input, consumed front to back. */
struct input {
	const uint8_t *p;
	size_t left;
};

struct report {
	char *text, *json, *sarif;
	size_t text_len, json_len, sarif_len;
};

static void fail(const char *what, const char *format, const char *doc)
{
	fprintf(stderr, "fuzz_report: %s: %s\n", format, what);
	if (doc)
		fprintf(stderr, "--- report ---\n%s\n--- end ---\n", doc);
	abort();
}

static bool take_byte(struct input *in, uint8_t *out)
{
	if (!in->left)
		return false;
	*out = *in->p++;
	in->left--;
	return true;
}

static bool take_number(struct input *in, size_t bytes, size_t *out)
{
	size_t i;

	if (in->left < bytes)
		return false;
	*out = 0;
	for (i = 0; i < bytes; i++)
		*out |= (size_t)in->p[i] << (8 * i);
	in->p += bytes;
	in->left -= bytes;
	return true;
}

/* A NUL-terminated string, or the rest of the input; owned by the caller. */
static char *take_string(struct input *in)
{
	const uint8_t *nul = memchr(in->p, 0, in->left);
	size_t len = nul ? (size_t)(nul - in->p) : in->left;
	char *s = malloc(len + 1);

	if (!s)
		abort();
	memcpy(s, in->p, len);
	s[len] = '\0';
	in->p += len + (nul ? 1 : 0);
	in->left -= len + (nul ? 1 : 0);
	return s;
}

static void write_reports(struct report *r, const struct pg_findings *findings,
			  const struct pg_scan_stats *stats)
{
	FILE *f;

	memset(r, 0, sizeof(*r));
	if (!(f = open_memstream(&r->text, &r->text_len)))
		abort();
	if (pg_report_text_write(f, findings, stats) < 0)
		fail(pg_error_last(), "text", NULL);
	fclose(f);
	if (!(f = open_memstream(&r->json, &r->json_len)))
		abort();
	if (pg_report_json_write(f, findings, stats) < 0)
		fail(pg_error_last(), "json", NULL);
	fclose(f);
	if (!(f = open_memstream(&r->sarif, &r->sarif_len)))
		abort();
	if (pg_report_sarif_write(f, findings, stats) < 0)
		fail(pg_error_last(), "sarif", NULL);
	fclose(f);
}

static void free_reports(struct report *r)
{
	free(r->text);
	free(r->json);
	free(r->sarif);
}

static size_t count(const char *hay, size_t len, const char *needle, size_t n)
{
	const char *p = hay, *end = hay + len, *hit;
	size_t c = 0;

	while (p < end) {
		hit = memmem(p, (size_t)(end - p), needle, n);
		if (!hit)
			break;
		c++;
		p = hit + 1;
	}
	return c;
}

/* Valid UTF-8 without C0 (but newline), DEL or C1 controls. */
static void check_text(const struct report *r, size_t nfindings)
{
	const unsigned char *p = (const unsigned char *)r->text;
	size_t i = 0, n, k, lines = 0;
	unsigned int cp;

	while (i < r->text_len) {
		if (p[i] == '\n') {
			lines++;
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f)
			fail("a control character", "text", r->text);
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			n = 2, cp = p[i] & 0x1f;
		else if (p[i] >= 0xe0 && p[i] <= 0xef)
			n = 3, cp = p[i] & 0x0f;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			n = 4, cp = p[i] & 0x07;
		else
			fail("invalid UTF-8", "text", r->text);
		if (i + n > r->text_len)
			fail("truncated UTF-8", "text", r->text);
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				fail("invalid UTF-8", "text", r->text);
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) ||
		    (n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			fail("a C1 control, surrogate or overlong UTF-8", "text", r->text);
		i += n;
	}
	if (lines < nfindings + 1)
		fail("fewer lines than findings", "text", r->text);
}

static bool ids_unique(const struct pg_findings *findings)
{
	size_t i, j;

	for (i = 0; i < findings->len; i++)
		for (j = 0; j < i; j++)
			if (findings->items[i].rule != findings->items[j].rule &&
			    !strcmp(findings->items[i].rule->id, findings->items[j].rule->id))
				return false;
	return true;
}

static void check_json(const struct report *r, const struct pg_findings *findings)
{
	json_t *root, *list, *item, *v;
	json_error_t err;
	size_t i;

	if (!(root = json_loadb(r->json, r->json_len, 0, &err)))
		fail(err.text, "json does not parse", r->json);
	list = json_object_get(root, "findings");
	if (!json_is_array(list) || json_array_size(list) != findings->len ||
	    !json_is_object(json_object_get(root, "stats")))
		fail("no findings array of the right size, or no stats", "json", r->json);
	json_array_foreach(list, i, item) {
		v = json_object_get(item, "fingerprint");
		if (!json_is_string(v) || strcmp(json_string_value(v), findings->items[i].fingerprint))
			fail("wrong fingerprint", "json", r->json);
		v = json_object_get(item, "line");
		if (!json_is_integer(v) ||
		    (findings->items[i].line <= INT64_MAX &&
		     (uint64_t)json_integer_value(v) != findings->items[i].line))
			fail("wrong line", "json", r->json);
		if (!json_is_string(json_object_get(item, "rule")) ||
		    !json_is_string(json_object_get(item, "path")) ||
		    !json_is_string(json_object_get(item, "secret")) ||
		    !json_is_integer(json_object_get(item, "column")))
			fail("a finding lacks rule, path, secret or column", "json", r->json);
	}
	json_decref(root);
}

static void check_sarif(const struct report *r, const struct pg_findings *findings)
{
	json_t *root, *run, *results, *driver_rules, *item, *rule, *v;
	json_error_t err;
	json_int_t index;
	size_t i;
	bool unique = ids_unique(findings);

	if (!(root = json_loadb(r->sarif, r->sarif_len, 0, &err)))
		fail(err.text, "sarif does not parse", r->sarif);
	v = json_object_get(root, "version");
	run = json_array_get(json_object_get(root, "runs"), 0);
	results = json_object_get(run, "results");
	driver_rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"),
				       "rules");
	if (!json_is_string(v) || strcmp(json_string_value(v), "2.1.0") ||
	    !json_is_array(results) || json_array_size(results) != findings->len ||
	    !json_is_array(driver_rules))
		fail("not a SARIF 2.1.0 run with one result per finding", "sarif", r->sarif);
	json_array_foreach(results, i, item) {
		v = json_object_get(json_object_get(item, "partialFingerprints"), "pushgate/v1");
		if (!json_is_string(v) || strcmp(json_string_value(v), findings->items[i].fingerprint))
			fail("wrong fingerprint", "sarif", r->sarif);
		v = json_object_get(item, "ruleIndex");
		if (!json_is_integer(v))
			fail("no ruleIndex", "sarif", r->sarif);
		index = json_integer_value(v);
		if (index < 0 || (size_t)index >= json_array_size(driver_rules))
			fail("ruleIndex out of range", "sarif", r->sarif);
		rule = json_array_get(driver_rules, (size_t)index);
		if (unique && !json_equal(json_object_get(rule, "id"), json_object_get(item, "ruleId")))
			fail("ruleIndex names another rule than ruleId", "sarif", r->sarif);
	}
	json_decref(root);
}

/* The JSON report read back as a baseline lists every fingerprint. */
static void check_baseline(const struct report *r, const struct pg_findings *findings)
{
	struct pg_baseline baseline = { 0 };
	char path[64];
	size_t done = 0, i;
	ssize_t n;
	int fd = memfd_create("fuzz_report", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	while (done < r->json_len) {
		n = write(fd, r->json + done, r->json_len - done);
		if (n <= 0)
			abort();
		done += (size_t)n;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (pg_baseline_load(&baseline, path) < 0)
		fail(pg_error_last(), "json as baseline", r->json);
	for (i = 0; i < findings->len; i++)
		if (!pg_baseline_contains(&baseline, findings->items[i].fingerprint))
			fail("baseline lacks a fingerprint", "json as baseline", r->json);
	pg_baseline_clear(&baseline);
	close(fd);
}

/*
 * Each long secret may occur in a report only as often as it does when
 * the bytes a report must hide are different: otherwise they leaked.
 */
static void mask(char *buf, size_t len, const char *what)
{
	size_t n = strlen(what);
	char *p = buf, *hit;

	while (n && p < buf + len && (hit = memmem(p, (size_t)(buf + len - p), what, n))) {
		memset(hit, '#', n);
		p = hit + n;
	}
}

/*
 * Blank each finding's fingerprint out of the reports. They are hashes
 * of the secrets, so they differ between the two reports compared; and
 * libFuzzer learns the hex digits the comparisons see, so it can make a
 * "secret" equal to another finding's fingerprint.
 */
static void mask_fingerprints(struct report *r, const struct pg_findings *findings)
{
	size_t i;

	for (i = 0; i < findings->len; i++) {
		mask(r->text, r->text_len, findings->items[i].fingerprint);
		mask(r->json, r->json_len, findings->items[i].fingerprint);
		mask(r->sarif, r->sarif_len, findings->items[i].fingerprint);
	}
}

static void check_leaks(struct report *r, const struct pg_findings *findings,
			const struct pg_scan_stats *stats)
{
	struct pg_findings other = { 0 };
	const struct pg_finding *f;
	struct report o;
	char *secret;
	size_t i, k, shown, checked = 0;

	for (i = 0; i < findings->len; i++) {
		f = &findings->items[i];
		shown = f->secret_len / 4 > 6 ? 6 : f->secret_len / 4;
		if (!(secret = malloc(f->secret_len + 1)))
			abort();
		memcpy(secret, f->secret, f->secret_len);
		for (k = shown; k < f->secret_len; k++)
			secret[k] = (char)(secret[k] ^ 0x55);
		if (pg_findings_add(&other, f->rule, f->path, f->commit, f->line, f->column, secret,
				    f->secret_len) < 0)
			abort();
		free(secret);
	}
	write_reports(&o, &other, stats);
	mask_fingerprints(r, findings);
	mask_fingerprints(&o, &other);
	for (i = 0; i < findings->len && checked < MAX_LEAK_CHECKS; i++) {
		f = &findings->items[i];
		if (f->secret_len < 8)
			continue;
		checked++;
		if (count(r->text, r->text_len, f->secret, f->secret_len) >
		    count(o.text, o.text_len, f->secret, f->secret_len))
			fail("a whole secret", "text", r->text);
		if (count(r->json, r->json_len, f->secret, f->secret_len) >
		    count(o.json, o.json_len, f->secret, f->secret_len))
			fail("a whole secret", "json", r->json);
		if (count(r->sarif, r->sarif_len, f->secret, f->secret_len) >
		    count(o.sarif, o.sarif_len, f->secret, f->secret_len))
			fail("a whole secret", "sarif", r->sarif);
	}
	free_reports(&o);
	pg_findings_clear(&other);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	if (pg_rules_load_default(&rules) < 0) {
		fprintf(stderr, "fuzz_report: cannot load the default rules: %s\n", pg_error_last());
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct pg_rule made_up[3];
	struct pg_findings findings = { 0 };
	struct pg_scan_stats stats = { 0 };
	uint64_t hits[4] = { 0, 3, 0, 1 };
	const struct pg_rule *rule;
	struct report r;
	char *path, *commit, *secret;
	size_t nrules, i, line, column, number_size, secret_len;
	uint8_t flags, b;

	memset(made_up, 0, sizeof(made_up));
	if (!take_byte(&in, &flags))
		return 0;
	nrules = flags & 3;
	number_size = flags & 8 ? 8 : 2;
	for (i = 0; i < nrules; i++) {
		made_up[i].id = take_string(&in);
		made_up[i].description = take_string(&in);
		made_up[i].severity = take_byte(&in, &b) ? (enum pg_rule_severity)(b % 4) : PG_RULE_HIGH;
	}
	while (findings.len < MAX_FINDINGS && take_byte(&in, &b)) {
		if (nrules && !(b & 0x80))
			rule = &made_up[b % nrules];
		else
			rule = &rules->rules[(size_t)(b & 0x7f) * 2 % rules->len];
		path = take_string(&in);
		commit = take_byte(&in, &b) && (b & 1) ? take_string(&in) : NULL;
		if (!take_number(&in, number_size, &line) || !take_number(&in, number_size, &column) ||
		    !take_number(&in, 1, &secret_len)) {
			free(path);
			free(commit);
			break;
		}
		if (secret_len > in.left)
			secret_len = in.left;
		secret = (char *)in.p;
		in.p += secret_len;
		in.left -= secret_len;
		if (pg_findings_add(&findings, rule, path, commit, line, column, secret, secret_len) < 0)
			abort();
		free(path);
		free(commit);
	}
	pg_findings_sort(&findings);
	stats.files = findings.len;
	stats.bytes = size;
	stats.seconds = (double)size / 1000.0;
	stats.skipped_binary = flags >> 4;
	if (flags & 4) {
		stats.rules = rules;
		stats.limit_hits = hits;
		stats.limit_hits_len = sizeof(hits) / sizeof(hits[0]);
	}

	write_reports(&r, &findings, &stats);
	check_text(&r, findings.len);
	check_json(&r, &findings);
	check_sarif(&r, &findings);
	check_baseline(&r, &findings);
	check_leaks(&r, &findings, &stats);
	free_reports(&r);

	pg_findings_clear(&findings);
	for (i = 0; i < nrules; i++) {
		free(made_up[i].id);
		free(made_up[i].description);
	}
	return 0;
}
