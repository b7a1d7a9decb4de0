/*
 * fuzz_policy.c - fuzzes pg_policy_load_buffer() on arbitrary bytes.
 *
 * Invariant: a policy that loads holds no YAML string with a NUL byte
 * (C strings would cut it there), answers rule lookups, is written by
 * pg_policy_write_yaml() as YAML that loads again to an equal policy, and
 * writing the reloaded policy gives the same bytes (every default is
 * spelled out, so one round trip is a fixed point).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <yaml.h>

#include "common/buf.h"
#include "common/error.h"
#include "policy/policy.h"
#include "fuzz.h"

/* policy_yaml.c refuses larger files; aliases can make the output that large. */
#define POLICY_SIZE_LIMIT ((size_t)1 << 20)

/* `yaml`: what pg_policy_write_yaml() wrote, or NULL when it is not involved. */
static void fail(const char *what, const struct pg_buf *yaml)
{
	fprintf(stderr, "fuzz_policy: %s\n", what);
	if (yaml)
		fprintf(stderr, "last error: %s\n--- written policy ---\n%s\n--- end ---\n",
			pg_error_last(), yaml->ptr);
	abort();
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

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static bool list_eq(const struct pg_strlist *a, const struct pg_strlist *b)
{
	size_t i;

	if (a->len != b->len)
		return false;
	for (i = 0; i < a->len; i++)
		if (strcmp(a->items[i], b->items[i]))
			return false;
	return true;
}

/* Field by field, except `line` and `source`, which name where a rule came from. */
static const char *policy_diff(const struct pg_policy *a, const struct pg_policy *b)
{
	const struct pg_branch_rule *x, *y;
	const struct pg_tag_rule *s, *t;
	size_t i;

	if (a->branches_len != b->branches_len)
		return "number of branch rules";
	for (i = 0; i < a->branches_len; i++) {
		x = &a->branches[i];
		y = &b->branches[i];
		if (!str_eq(x->match, y->match))
			return "branch match";
		if (x->create != y->create || x->delete_ != y->delete_ ||
		    x->force_push != y->force_push || x->direct_push != y->direct_push)
			return "branch permissions";
		if (x->has_merge_sources != y->has_merge_sources ||
		    !list_eq(&x->merge_sources, &y->merge_sources))
			return "branch merge_sources";
		if (!str_eq(x->name_pattern.source, y->name_pattern.source))
			return "branch name_pattern";
		if (!str_eq(x->name_hint, y->name_hint))
			return "branch name_hint";
		if (x->severity != y->severity)
			return "branch severity";
	}
	if (a->tags_len != b->tags_len)
		return "number of tag rules";
	for (i = 0; i < a->tags_len; i++) {
		s = &a->tags[i];
		t = &b->tags[i];
		if (!str_eq(s->match, t->match) || s->create != t->create ||
		    !str_eq(s->pattern.source, t->pattern.source) || !str_eq(s->hint, t->hint) ||
		    !str_eq(s->on_branch, t->on_branch) || s->immutable != t->immutable ||
		    s->severity != t->severity)
			return "tag rule";
	}
	if (!list_eq(&a->freeze.branches, &b->freeze.branches) ||
	    !str_eq(a->freeze.message, b->freeze.message))
		return "freeze";
	if (!list_eq(&a->bypass.users, &b->bypass.users))
		return "bypass";
	if (a->secrets.scan != b->secrets.scan || a->secrets.severity != b->secrets.severity ||
	    !str_eq(a->secrets.rules, b->secrets.rules) ||
	    a->secrets.max_blob_size != b->secrets.max_blob_size ||
	    a->secrets.too_large != b->secrets.too_large)
		return "secrets";
	if (!str_eq(a->audit_log, b->audit_log))
		return "audit_log";
	return NULL;
}

static size_t stars(const char *glob)
{
	size_t n = 0;

	for (; *glob; glob++)
		n += *glob == '*';
	return n;
}

/*
 * Run the lookups with the policy's globs. Glob matching is exponential
 * in the number of stars (common/glob.c says the admin controls that),
 * so policies with many stars in one glob are not matched here.
 */
static void lookups(const struct pg_policy *policy, const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"main", "develop", "feature/login-form", "fix/a/b", "hotfix/x-", "v1.2.3",
		"v2.0.0-rc.1", "release/2024.1", "", "a/b/c/d/e/f/g/h", "admin",
	};
	char tail[65];
	size_t i, n = size < 64 ? size : 64;

	for (i = 0; i < policy->branches_len; i++)
		if (stars(policy->branches[i].match) > 4)
			return;
	for (i = 0; i < policy->tags_len; i++)
		if (stars(policy->tags[i].match) > 4)
			return;
	for (i = 0; i < policy->freeze.branches.len; i++)
		if (stars(policy->freeze.branches.items[i]) > 4)
			return;
	/* The input's last bytes as a name, cut at a NUL. */
	memcpy(tail, data + size - n, n);
	tail[n] = '\0';
	for (i = 0; i <= sizeof(names) / sizeof(names[0]); i++) {
		const char *name = i < sizeof(names) / sizeof(names[0]) ? names[i] : tail;

		(void)pg_policy_branch_rule(policy, name);
		(void)pg_policy_tag_rule(policy, name);
		(void)pg_policy_is_frozen(policy, name);
		(void)pg_policy_is_bypass_user(policy, name);
	}
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
	struct pg_buf first = PG_BUF_INIT(PG_BUF_LIMIT_TEXT), second = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_policy *policy = NULL, *again = NULL;
	const char *diff;

	if (pg_policy_load_buffer(&policy, "fuzz.yml", (const char *)data, size) < 0)
		goto out;
	if (yaml_has_nul(data, size))
		fail("a string with a NUL byte was accepted (and cut at the NUL)", NULL);
	lookups(policy, data, size);
	if (pg_policy_write_yaml(&first, policy) < 0)
		fail("a loaded policy cannot be written", &first);
	if (first.size > POLICY_SIZE_LIMIT)
		goto out;
	if (pg_policy_load_buffer(&again, "written.yml", first.ptr, first.size) < 0)
		fail("the written policy does not load", &first);
	if (pg_policy_write_yaml(&second, again) < 0)
		fail("the reloaded policy cannot be written", &first);
	if (first.size != second.size || memcmp(first.ptr, second.ptr, first.size)) {
		fprintf(stderr, "--- second writing ---\n%s\n", second.ptr);
		fail("writing the reloaded policy gives different YAML", &first);
	}
	diff = policy_diff(policy, again);
	if (diff) {
		fprintf(stderr, "fuzz_policy: the reloaded policy differs in: %s\n", diff);
		fail("round trip changed the policy", &first);
	}
out:
	pg_policy_free(again);
	pg_policy_free(policy);
	pg_buf_release(&second);
	pg_buf_release(&first);
	return 0;
}
