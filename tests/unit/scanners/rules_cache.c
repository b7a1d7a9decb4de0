/*
 * Unit tests for the parsed-rules cache (scanners/rules_cache.c): a
 * decoded rule set equals the parsed one field by field and pattern by
 * pattern; damaged, truncated or foreign entries are parsed again and
 * replaced; no cache means no entry.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "scanners/cache_file.h"
#include "scanners/rules.h"
#include "scanners/rules_cache.h"

static const char rules_a[] =
	"allow:\n"
	"  stopwords: [Example]\n"
	"  regexes: ['^x+$']\n"
	"  generic_paths: ['**/*.md']\n"
	"rules:\n"
	"  - id: github-pat\n"
	"    description: GitHub token\n"
	"    severity: critical\n"
	"    pattern: '\\b(ghp_[0-9A-Za-z]{36})\\b'\n"
	"    prefilter: 'ghp_'\n"
	"    min_entropy: 3.5\n"
	"    keywords: [GHP_]\n"
	"    paths: ['src/**']\n"
	"    allow:\n"
	"      regexes: ['(a)(b)', 'c']\n"
	"      paths: ['vendor/**']\n"
	"    examples: ['ghp_R8xw2Lq9ZtB4mNc7Vy1Kd3Hs6Pf0Jg5Ue2Ta']\n"
	"    negative_examples: ['ghp_short']\n"
	"  - id: generic-thing\n"
	"    description: \"two\\nlines\"\n"
	"    pattern: 'thing=([a-z]{8})'\n"
	"    secret_group: 0\n"
	"    generic: true\n"
	"    confidence: medium\n";

struct fixture {
	char tmp[64];
	char dir[128];
	char file[128];
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	FILE *f;

	if (!fx)
		return -1;
	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/pg-rules-cache.XXXXXX");
	if (!mkdtemp(fx->tmp))
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/cache", fx->tmp);
	snprintf(fx->file, sizeof(fx->file), "%s/rules.yml", fx->tmp);
	f = fopen(fx->file, "w");
	if (!f || fputs(rules_a, f) < 0 || fclose(f) != 0)
		return -1;
	*state = fx;
	return 0;
}

/* The cache directory holds only files. */
static int teardown(void **state)
{
	struct fixture *fx = *state;
	char path[4096];
	struct dirent *de;
	DIR *d = opendir(fx->dir);

	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", fx->dir, de->d_name);
			unlink(path);
		}
	}
	if (d)
		closedir(d);
	rmdir(fx->dir);
	unlink(fx->file);
	rmdir(fx->tmp);
	free(fx);
	return 0;
}

/* The one `.rules` entry in `dir` (static storage), or "" when there is none. */
static const char *rules_entry(const char *dir)
{
	static char path[4096];
	struct dirent *de;
	size_t n = 0, len;
	DIR *d = opendir(dir);

	path[0] = '\0';
	while (d && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (len > 6 && !strcmp(de->d_name + len - 6, ".rules")) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			n++;
		}
	}
	if (d)
		closedir(d);
	assert_true(n <= 1);
	return path;
}

static struct pg_rules *load(const char *file, const char *dir, bool want_cached)
{
	struct pg_rules *rules = NULL;

	if (pg_rules_load_cached(&rules, file, dir) < 0)
		fail_msg("pg_rules_load_cached: %s", pg_error_last());
	assert_int_equal(rules->cached, want_cached);
	return rules;
}

static void assert_lists_equal(const struct pg_strlist *a, const struct pg_strlist *b)
{
	size_t i;

	assert_int_equal(a->len, b->len);
	for (i = 0; i < a->len; i++)
		assert_string_equal(a->items[i], b->items[i]);
}

static void assert_codes_equal(const pcre2_code *a, const pcre2_code *b)
{
	size_t sa, sb;
	uint32_t ca, cb, oa, ob;

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(pcre2_pattern_info(a, PCRE2_INFO_SIZE, &sa), 0);
	assert_int_equal(pcre2_pattern_info(b, PCRE2_INFO_SIZE, &sb), 0);
	assert_int_equal(pcre2_pattern_info(a, PCRE2_INFO_CAPTURECOUNT, &ca), 0);
	assert_int_equal(pcre2_pattern_info(b, PCRE2_INFO_CAPTURECOUNT, &cb), 0);
	assert_int_equal(pcre2_pattern_info(a, PCRE2_INFO_ALLOPTIONS, &oa), 0);
	assert_int_equal(pcre2_pattern_info(b, PCRE2_INFO_ALLOPTIONS, &ob), 0);
	assert_int_equal(sa, sb);
	assert_int_equal(ca, cb);
	assert_int_equal(oa, ob);
}

static void assert_allow_equal(const struct pg_allowlist *a, const struct pg_allowlist *b)
{
	size_t i;

	assert_lists_equal(&a->stopwords, &b->stopwords);
	assert_lists_equal(&a->paths, &b->paths);
	assert_int_equal(a->regexes_len, b->regexes_len);
	for (i = 0; i < a->regexes_len; i++) {
		assert_string_equal(a->regexes[i].source, b->regexes[i].source);
		assert_codes_equal(a->regexes[i].code, b->regexes[i].code);
	}
}

/* Does `code` match all of `s`'s bytes somewhere? */
static bool matches(const pcre2_code *code, const char *s)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
	int rc;

	assert_non_null(md);
	rc = pcre2_match(code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static void assert_rules_equal(const struct pg_rules *a, const struct pg_rules *b)
{
	size_t i, j;

	assert_string_equal(a->source, b->source);
	assert_memory_equal(a->digest, b->digest, sizeof(a->digest));
	assert_allow_equal(&a->allow, &b->allow);
	assert_lists_equal(&a->generic_paths, &b->generic_paths);
	assert_int_equal(a->len, b->len);
	for (i = 0; i < a->len; i++) {
		const struct pg_rule *x = &a->rules[i], *y = &b->rules[i];

		assert_string_equal(x->id, y->id);
		assert_string_equal(x->description, y->description);
		assert_int_equal(x->severity, y->severity);
		assert_int_equal(x->confidence, y->confidence);
		assert_string_equal(x->pattern, y->pattern);
		assert_int_equal(x->prefilter == NULL, y->prefilter == NULL);
		if (x->prefilter)
			assert_string_equal(x->prefilter, y->prefilter);
		assert_codes_equal(x->code, y->code);
		assert_int_equal(x->secret_group, y->secret_group);
		assert_true(x->min_entropy == y->min_entropy);
		assert_lists_equal(&x->keywords, &y->keywords);
		assert_lists_equal(&x->paths, &y->paths);
		assert_int_equal(x->generic, y->generic);
		assert_allow_equal(&x->allow, &y->allow);
		assert_lists_equal(&x->examples, &y->examples);
		assert_lists_equal(&x->negative_examples, &y->negative_examples);
		assert_int_equal(x->line, y->line);
		for (j = 0; j < y->examples.len; j++)
			assert_true(matches(y->code, y->examples.items[j]));
	}
}

static void test_scanners_rules_cache__default_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct pg_rules *parsed = NULL, *cold, *warm;
	struct stat st;

	assert_int_equal(pg_rules_load_default(&parsed), 0);
	assert_false(parsed->cached);
	cold = load(NULL, fx->dir, false);
	assert_string_not_equal(rules_entry(fx->dir), "");
	assert_int_equal(stat(rules_entry(fx->dir), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	warm = load(NULL, fx->dir, true);
	assert_true(parsed->len > 100);
	assert_rules_equal(parsed, cold);
	assert_rules_equal(parsed, warm);
	pg_rules_free(parsed);
	pg_rules_free(cold);
	pg_rules_free(warm);
}

static void test_scanners_rules_cache__file_round_trip_and_change(void **state)
{
	struct fixture *fx = *state;
	struct pg_rules *parsed = NULL, *warm, *changed;
	FILE *f;

	assert_int_equal(pg_rules_load_file(&parsed, fx->file), 0);
	pg_rules_free(load(fx->file, fx->dir, false));
	warm = load(fx->file, fx->dir, true);
	assert_rules_equal(parsed, warm);
	assert_int_equal(warm->rules[0].allow.regexes_len, 2);
	assert_int_equal(warm->allow.regexes_len, 1);

	/* A changed file is a new key: parsed, never the old entry. */
	f = fopen(fx->file, "a");
	assert_non_null(f);
	fputs("  - id: added\n    description: d\n    pattern: 'added[0-9]{4}'\n", f);
	assert_int_equal(fclose(f), 0);
	changed = load(fx->file, fx->dir, false);
	assert_int_equal(changed->len, 3);
	assert_string_equal(changed->rules[2].id, "added");
	pg_rules_free(changed);
	pg_rules_free(load(fx->file, fx->dir, true));
	pg_rules_free(parsed);
	pg_rules_free(warm);
}

/* Read a whole file. */
static void slurp(struct pg_buf *out, const char *path)
{
	assert_int_equal(pg_file_read(out, path), 0);
}

/* Replace the entry's payload with `payload`, keeping a valid header and checksum. */
static void rewrap(const char *dir, const char *path, const unsigned char *key,
		   const void *payload, size_t len)
{
	const struct pg_cache_kind kind = { "PGRULES\n", PG_RULES_CACHE_FORMAT_VERSION, ".rules" };

	assert_true(pg_cache_entry_write(dir, path, &kind, key, payload, len));
}

static void test_scanners_rules_cache__damaged_entries_parse_again(void **state)
{
	struct fixture *fx = *state;
	struct pg_buf file = PG_BUF_INIT(64 << 20);
	struct pg_rules *parsed = NULL, *r;
	unsigned char key[PG_SHA1_LEN];
	const unsigned char *payload;
	char path[4096];
	size_t plen, cut, i;

	assert_int_equal(pg_rules_load_file(&parsed, fx->file), 0);
	pg_rules_free(load(fx->file, fx->dir, false));
	snprintf(path, sizeof(path), "%s", rules_entry(fx->dir));
	slurp(&file, path);
	/* Layout (cache_file.h): 8 magic, 4 version, 20 key, 8 length, payload, 8 checksum. */
	memcpy(key, file.ptr + 12, PG_SHA1_LEN);
	payload = (const unsigned char *)file.ptr + 40;
	plen = file.size - 48;

	/* Every truncation of the payload, wrapped with a valid checksum. */
	for (cut = 0; cut < plen; cut += cut < 64 ? 1 : 97) {
		rewrap(fx->dir, path, key, payload, cut);
		r = load(fx->file, fx->dir, false);
		assert_rules_equal(parsed, r);
		pg_rules_free(r);
	}
	/* Lengths and counts made huge; a string given a NUL; junk. */
	{
		unsigned char *copy = malloc(plen);

		assert_non_null(copy);
		for (i = 0; i < 4; i++) {
			memcpy(copy, payload, plen);
			switch (i) {
			case 0: memset(copy, 0xff, 4); break;          /* rule count */
			case 1: memset(copy + 4, 0xff, 4); break;      /* global stopword count */
			case 2: memcpy(copy + 8, "\x05\0\0\0", 4);     /* first stopword */
				copy[13] = '\0'; break;
			default: memset(copy, 0x41, plen); break;
			}
			rewrap(fx->dir, path, key, copy, plen);
			r = load(fx->file, fx->dir, false);
			assert_rules_equal(parsed, r);
			pg_rules_free(r);
		}
		free(copy);
	}
	/* A flipped byte without a new checksum; a truncated file. */
	slurp(&file, path);
	file.ptr[100] ^= 0x20;
	{
		FILE *f = fopen(path, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(file.ptr, 1, file.size, f), file.size);
		assert_int_equal(fclose(f), 0);
	}
	pg_rules_free(load(fx->file, fx->dir, false));
	assert_int_equal(truncate(path, 30), 0);
	pg_rules_free(load(fx->file, fx->dir, false));
	/* Each time the parsed set was written back: the next load decodes. */
	pg_rules_free(load(fx->file, fx->dir, true));
	pg_buf_release(&file);
	pg_rules_free(parsed);
}

static void test_scanners_rules_cache__no_cache_no_entry(void **state)
{
	struct fixture *fx = *state;

	pg_rules_free(load(fx->file, "", false));
	pg_rules_free(load(fx->file, "", false));
	assert_int_equal(access(fx->dir, F_OK), -1);
}

static void test_scanners_rules_cache__invalid_file_is_reported(void **state)
{
	struct fixture *fx = *state;
	struct pg_rules *rules = NULL;
	FILE *f = fopen(fx->file, "w");

	assert_non_null(f);
	fputs("rules:\n  - id: bad\n    description: d\n    pattern: '(unclosed'\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(pg_rules_load_cached(&rules, fx->file, fx->dir), PG_EINVAL);
	assert_null(rules);
	assert_non_null(strstr(pg_error_last(), "rules.yml:4:"));
	assert_non_null(strstr(pg_error_last(), "invalid pattern"));
	assert_string_equal(rules_entry(fx->dir), "");
	assert_int_equal(pg_rules_load_cached(&rules, "/nonexistent/rules.yml", fx->dir), PG_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scanners_rules_cache__default_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_rules_cache__file_round_trip_and_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_rules_cache__damaged_entries_parse_again, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_rules_cache__no_cache_no_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scanners_rules_cache__invalid_file_is_reported, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
