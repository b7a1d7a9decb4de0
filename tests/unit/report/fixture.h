/*
 * fixture.h - findings built by hand for the report tests: a tiny rule
 * set, secrets that must never appear whole in any output, and a helper
 * that renders a report into memory.
 */
#ifndef PG_TEST_REPORT_FIXTURE_H
#define PG_TEST_REPORT_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "report/report.h"
#include "scanners/finding.h"
#include "scanners/rules.h"

#define FIXTURE_GITHUB "ghp_Zq3xT7LmN2pR8sV4wY6bC1dF5gH9jK0aE2uO"
#define FIXTURE_AWS "AKIAZ7QRLM4TXB2VNC6D"
#define FIXTURE_WEIRD "s3cr\xc3\xa9t-\x1b[31m-value-0123456789"

struct fixture {
	struct pg_rule rules[3];
	struct pg_rules set;
	struct pg_findings findings;
	struct pg_scan_stats stats;
	uint64_t hits[3];
};

/* Rule and rule set strings are owned (char *): the fixture holds copies. */
static char *fixture_strdup(const char *s)
{
	char *copy = strdup(s);

	assert_non_null(copy);
	return copy;
}

static void fixture_init(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	git_libgit2_init();
	fx->rules[0].id = fixture_strdup("github-pat");
	fx->rules[0].description = fixture_strdup("GitHub personal access token (classic)");
	fx->rules[0].severity = PG_RULE_HIGH;
	fx->rules[1].id = fixture_strdup("aws-access-key-id");
	fx->rules[1].description = fixture_strdup("AWS access key ID");
	fx->rules[1].severity = PG_RULE_CRITICAL;
	fx->rules[2].id = fixture_strdup("generic-password");
	fx->rules[2].description = fixture_strdup("Password \"assigned\" in code");
	fx->rules[2].severity = PG_RULE_LOW;
	fx->set.source = fixture_strdup("<test>");
	fx->set.rules = fx->rules;
	fx->set.len = 3;
	fx->stats.files = 3;
	fx->stats.bytes = 12345;
	fx->stats.skipped_binary = 1;
	fx->stats.skipped_unreadable = 2;
	fx->stats.skipped_symlink = 3;
	fx->stats.skipped_too_large = 4;
	fx->stats.seconds = 0.25;
}

/* Three findings: plain, a path with a space and non-ASCII, a weird secret. */
static int fixture_add_all(struct fixture *fx)
{
	int error;

	if ((error = pg_findings_add(&fx->findings, &fx->rules[0], "src/a.py", NULL, 12, 9,
				     FIXTURE_GITHUB, strlen(FIXTURE_GITHUB))) < 0 ||
	    (error = pg_findings_add(&fx->findings, &fx->rules[1], "dir with space/\xc3\xbc#1.txt", NULL,
				     1, 1, FIXTURE_AWS, strlen(FIXTURE_AWS))) < 0 ||
	    (error = pg_findings_add(&fx->findings, &fx->rules[2], "conf/app.env", NULL, 3, 14,
				     FIXTURE_WEIRD, strlen(FIXTURE_WEIRD))) < 0)
		return error;
	pg_findings_sort(&fx->findings);
	return 0;
}

static void fixture_release(struct fixture *fx)
{
	size_t i;

	pg_findings_clear(&fx->findings);
	free(fx->stats.limit_hits);
	for (i = 0; i < sizeof(fx->rules) / sizeof(fx->rules[0]); i++) {
		free(fx->rules[i].id);
		free(fx->rules[i].description);
	}
	free(fx->set.source);
	git_libgit2_shutdown();
}

/* Render a report into a malloc'd string; *len receives its length. */
static char *fixture_render(enum pg_report_format fmt, const struct pg_findings *f,
			    const struct pg_scan_stats *st, size_t *len, int *error)
{
	char *data = NULL;
	FILE *out = open_memstream(&data, len);

	if (!out) {
		*error = -1;
		return NULL;
	}
	*error = pg_report_write(out, fmt, f, st);
	fclose(out);
	return data;
}

/* Write `len` bytes of `data` to `path`, replacing it. */
static void fixture_write_file(const char *path, const char *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Write `data` to a new temporary file; `path` receives its name. */
static void fixture_write_temp(char path[static 32], const char *data, size_t len)
{
	static const char template[] = "/tmp/pushgate-report.XXXXXX";
	int fd;

	memcpy(path, template, sizeof(template));
	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	fixture_write_file(path, data, len);
}

/*
 * Render the findings as `fmt`, read the report back as a baseline and
 * check that it lists every finding's fingerprint.
 */
static void fixture_baseline_round_trip(struct pg_baseline *out, enum pg_report_format fmt,
					struct fixture *fx)
{
	char path[32];
	size_t len, i;
	char *data;
	int error;

	data = fixture_render(fmt, &fx->findings, &fx->stats, &len, &error);
	assert_int_equal(error, 0);
	fixture_write_temp(path, data, len);
	free(data);
	assert_int_equal(pg_baseline_load(out, path), 0);
	unlink(path);
	assert_int_equal(out->len, fx->findings.len);
	for (i = 0; i < fx->findings.len; i++)
		assert_true(pg_baseline_contains(out, fx->findings.items[i].fingerprint));
}

/* Does `needle` occur anywhere in `hay`? */
static int fixture_contains(const char *hay, size_t len, const char *needle)
{
	return !!memmem(hay, len, needle, strlen(needle));
}

#endif
