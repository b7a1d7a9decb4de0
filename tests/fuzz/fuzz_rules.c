/*
 * fuzz_rules.c - fuzzes pg_rules_load_buffer() (YAML, validation, PCRE2
 * compilation) on arbitrary bytes; Hyperscan is not compiled here.
 *
 * Invariant: a rule set that loads came from YAML without a NUL byte in
 * any string (C strings would cut it there), has at least one rule,
 * every id is valid and unique, every rule has compiled code that does
 * not match the empty string, and secret_group names an existing
 * capture group.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <yaml.h>

#include "common/error.h"
#include "common/regex.h"
#include "scanners/rules.h"
#include "fuzz.h"

static void fail(const struct pg_rules *rules, size_t i, const char *what)
{
	fprintf(stderr, "fuzz_rules: rule %zu ('%s'): %s\n", i,
		rules->rules[i].id ? rules->rules[i].id : "(null)", what);
	abort();
}

static bool id_valid(const char *id)
{
	const char *p;
	bool after_dash = true;

	if (!id || !*id)
		return false;
	for (p = id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			after_dash = false;
		else if (*p == '-' && !after_dash)
			after_dash = true;
		else
			return false;
	}
	return !after_dash;
}

static bool lower_case(const struct pg_strlist *list)
{
	size_t i;
	const char *p;

	for (i = 0; i < list->len; i++) {
		if (!*list->items[i])
			return false;
		for (p = list->items[i]; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				return false;
	}
	return true;
}

static void check(const struct pg_rules *rules, pcre2_match_data *md)
{
	const struct pg_rule *r;
	uint32_t captures;
	size_t i, j;
	int rc;

	if (!rules->len || !rules->rules)
		abort();
	if (!lower_case(&rules->allow.stopwords))
		abort();
	for (i = 0; i < rules->len; i++) {
		r = &rules->rules[i];
		if (!id_valid(r->id))
			fail(rules, i, "invalid id");
		for (j = 0; j < i; j++)
			if (!strcmp(rules->rules[j].id, r->id))
				fail(rules, i, "duplicate id");
		if (!r->description || !r->pattern || !r->code)
			fail(rules, i, "missing description, pattern or code");
		if ((unsigned int)r->severity > PG_RULE_LOW)
			fail(rules, i, "bad severity");
		if (pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &captures) != 0 ||
		    r->secret_group > captures)
			fail(rules, i, "secret_group beyond the capture groups");
		if (!(r->min_entropy >= 0 && r->min_entropy <= 8))
			fail(rules, i, "min_entropy out of range");
		if (!lower_case(&r->keywords) || !lower_case(&r->allow.stopwords))
			fail(rules, i, "keyword or stopword not lower-case or empty");
		rc = pcre2_match(r->code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
		if (rc >= 0)
			fail(rules, i, "pattern matches the empty string");
	}
}

/*
 * Does any scalar of the (first) YAML document hold a NUL byte? The
 * loaders keep strings as C strings, so such a document must be refused,
 * never read with the string cut at the NUL.
 */
static bool yaml_has_nul(const uint8_t *data, size_t size)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *node;
	bool found = false;

	if (!yaml_parser_initialize(&parser))
		abort();
	yaml_parser_set_input_string(&parser, data, size);
	if (yaml_parser_load(&parser, &doc)) {
		for (node = doc.nodes.start; node < doc.nodes.top; node++)
			if (node->type == YAML_SCALAR_NODE &&
			    memchr(node->data.scalar.value, 0, node->data.scalar.length))
				found = true;
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return found;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	git_libgit2_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_rules *rules = NULL;
	pcre2_match_data *md;

	if (pg_rules_load_buffer(&rules, "fuzz-rules.yml", (const char *)data, size) < 0)
		return 0;
	md = pcre2_match_data_create(1, NULL);
	if (!md)
		abort();
	check(rules, md);
	if (yaml_has_nul(data, size)) {
		fprintf(stderr, "fuzz_rules: a string with a NUL byte was accepted (and cut at the NUL)\n");
		abort();
	}
	pcre2_match_data_free(md);
	pg_rules_free(rules);
	return 0;
}
