/*
 * rules_yaml.c - load and validate a secret rules file (docs/rules-format.md).
 *
 * Owns the YAML-to-pg_rules mapping and every per-rule check PCRE2 can
 * make (syntax, empty matches, capture groups). Hyperscan compilation is
 * scanners/hs_db.c's; this file never touches Hyperscan.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/file.h"
#include "common/glob.h"
#include "common/sha1.h"
#include "common/yaml.h"
#include "scanners/rules.h"

/* scanners/default_rules.S: the bytes of scanners/default_rules.yml. */
extern const char pg_rules_default_yml_start[];
extern const char pg_rules_default_yml_end[];
extern const char pg_rules_default_yml_sha1[];

/*
 * PCRE2_USE_OFFSET_LIMIT lets the engine stop a confirmation search at the
 * Hyperscan hit instead of running on to the end of the buffer. Patterns
 * match bytes, as Hyperscan's do: (*UTF) would make invalid UTF-8 in a
 * scanned file an error, and (*UCP) would change what \w means.
 */
#define RULE_COMPILE_OPTIONS (PCRE2_USE_OFFSET_LIMIT | PCRE2_NEVER_UTF | PCRE2_NEVER_UCP)

static const char *const severity_names[] = { "critical", "high", "medium", "low", NULL };
static const char *const confidence_names[] = { "high", "medium", "low", NULL };

static const char *const top_keys[] = { "version", "extends", "disable", "allow", "rules", NULL };
static const char *const extends_names[] = { "default", NULL };
static const char *const global_allow_keys[] = {
	"stopwords", "regexes", "paths", "generic_paths", NULL
};
static const char *const rule_allow_keys[] = { "stopwords", "regexes", "paths", NULL };
static const char *const rule_keys[] = {
	"id", "description", "severity", "pattern", "prefilter", "secret_group", "min_entropy",
	"keywords", "paths", "generic", "confidence", "allow", "examples", "negative_examples", NULL
};

const char *pg_confidence_name(enum pg_confidence confidence)
{
	if ((unsigned int)confidence < PG_CONFIDENCE_LEVELS)
		return confidence_names[confidence];
	return "?";
}

const char *pg_rule_severity_name(enum pg_rule_severity severity)
{
	if ((unsigned int)severity < sizeof(severity_names) / sizeof(severity_names[0]) - 1)
		return severity_names[severity];
	return "unknown";
}

static void allowlist_clear(struct pg_allowlist *allow)
{
	size_t i;

	pg_strlist_clear(&allow->stopwords);
	for (i = 0; i < allow->regexes_len; i++)
		pg_regex_clear(&allow->regexes[i]);
	free(allow->regexes);
	allow->regexes = NULL;
	allow->regexes_len = 0;
	pg_strlist_clear(&allow->paths);
}

static void rule_clear(struct pg_rule *rule)
{
	free(rule->id);
	free(rule->description);
	free(rule->pattern);
	free(rule->prefilter);
	pcre2_code_free(rule->code);
	pg_strlist_clear(&rule->keywords);
	pg_strlist_clear(&rule->paths);
	allowlist_clear(&rule->allow);
	pg_strlist_clear(&rule->examples);
	pg_strlist_clear(&rule->negative_examples);
	memset(rule, 0, sizeof(*rule));
}

void pg_rules_free(struct pg_rules *rules)
{
	size_t i;

	if (!rules)
		return;
	for (i = 0; i < rules->len; i++)
		rule_clear(&rules->rules[i]);
	free(rules->rules);
	allowlist_clear(&rules->allow);
	pg_strlist_clear(&rules->generic_paths);
	free(rules->source);
	free(rules);
}

static bool id_valid(const char *id)
{
	const char *p;
	bool after_dash = true;

	if (!*id)
		return false;
	for (p = id; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			after_dash = false;
		} else if (*p == '-' && !after_dash) {
			after_dash = true;
		} else {
			return false;
		}
	}
	return !after_dash;
}

/* "rule 'ID': " or "" for the global allowlist, for messages. */
static const char *rule_prefix(char *out, size_t size, const char *id)
{
	if (!id)
		return "";
	snprintf(out, size, "rule '%s': ", id);
	return out;
}

/* A list of non-empty strings stored lower-case (stopwords, keywords). */
static int get_lower_list(struct pg_yaml *y, yaml_node_t *node, const char *what,
			  const char *id, struct pg_strlist *out)
{
	char prefix[160];
	size_t i, start = out->len;
	char *p;
	int error;

	if ((error = pg_yaml_get_strlist(y, node, what, out)) < 0)
		return error;
	for (i = start; i < out->len; i++) {
		if (!*out->items[i])
			return pg_yaml_error(y, pg_yaml_seq_item(y, node, i - start),
					     "%s%s must not contain an empty string",
					     rule_prefix(prefix, sizeof(prefix), id), what);
		for (p = out->items[i]; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	return 0;
}

/* "rule 'ID': WHAT" (or WHAT alone for the global allowlist), for messages. */
static const char *rule_what(char *out, size_t size, const char *id, const char *what)
{
	char prefix[160];

	snprintf(out, size, "%s%s", rule_prefix(prefix, sizeof(prefix), id), what);
	return out;
}

static int get_globs(struct pg_yaml *y, yaml_node_t *node, const char *what,
		     const char *id, struct pg_strlist *out)
{
	char name[200];

	return pg_yaml_get_globs(y, node, rule_what(name, sizeof(name), id, what), out);
}

static int get_regexes(struct pg_yaml *y, yaml_node_t *node, const char *id,
		       struct pg_allowlist *allow)
{
	struct pg_regex *regexes;
	char name[200];
	size_t i, n;
	int error;

	if ((error = pg_yaml_seq_check(y, node, "allow.regexes")) < 0)
		return error;
	n = pg_yaml_seq_len(node);
	if (!n)
		return 0;
	regexes = calloc(n, sizeof(*regexes));
	if (!regexes)
		return pg_error_oom();
	allow->regexes = regexes;
	rule_what(name, sizeof(name), id, "allow.regexes");
	for (i = 0; i < n; i++) {
		if ((error = pg_yaml_get_regex(y, pg_yaml_seq_item(y, node, i), name,
					       &regexes[i])) < 0)
			return error;
		allow->regexes_len = i + 1;
	}
	return 0;
}

static int parse_allow(struct pg_yaml *y, yaml_node_t *node, const char *id,
		       struct pg_allowlist *allow, struct pg_strlist *generic_paths)
{
	yaml_node_t *v;
	int error;

	if ((error = pg_yaml_map_check(y, node, id ? "rule allowlist" : "allowlist",
				       id ? rule_allow_keys : global_allow_keys)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "stopwords")) &&
	    (error = get_lower_list(y, v, "allow.stopwords", id, &allow->stopwords)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "regexes")) &&
	    (error = get_regexes(y, v, id, allow)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "paths")) &&
	    (error = get_globs(y, v, "allow.paths", id, &allow->paths)) < 0)
		return error;
	if (generic_paths && (v = pg_yaml_map_get(y, node, "generic_paths")) &&
	    (error = get_globs(y, v, "allow.generic_paths", id, generic_paths)) < 0)
		return error;
	return 0;
}

static int compile_pattern(struct pg_yaml *y, yaml_node_t *node, struct pg_rule *rule)
{
	pcre2_match_data *md = NULL;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE erroff;
	int errcode, rc, error = 0;

	if (!*rule->pattern)
		return pg_yaml_error(y, node, "rule '%s': pattern must not be empty", rule->id);
	rule->code = pcre2_compile((PCRE2_SPTR)rule->pattern, PCRE2_ZERO_TERMINATED,
				   RULE_COMPILE_OPTIONS, &errcode, &erroff, NULL);
	if (!rule->code) {
		if (pcre2_get_error_message(errcode, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", errcode);
		return pg_yaml_error(y, node, "rule '%s': invalid pattern: %s at offset %zu",
				     rule->id, (const char *)msg, (size_t)erroff);
	}
	/* The scanner JIT-compiles a pattern when it first needs it (engine.c). */
	md = pcre2_match_data_create_from_pattern(rule->code, NULL);
	if (!md)
		return pg_error_oom();
	rc = pcre2_match(rule->code, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
	if (rc >= 0)
		error = pg_yaml_error(y, node, "rule '%s': invalid pattern: it matches the empty string",
				      rule->id);
	else if (rc == PCRE2_ERROR_NOMEMORY)
		error = pg_error_oom();
	else if (rc != PCRE2_ERROR_NOMATCH)
		error = pg_yaml_error(y, node, "rule '%s': invalid pattern: cannot test it on the empty string (PCRE2 error %d)",
				      rule->id, rc);
	pcre2_match_data_free(md);
	return error;
}

static int parse_rule(struct pg_yaml *y, yaml_node_t *node, struct pg_rule *rule,
		      const struct pg_rules *rules, size_t index)
{
	yaml_node_t *v, *pattern_node;
	unsigned long ul;
	uint32_t captures;
	size_t i;
	int sev, error;

	rule->line = (unsigned int)node->start_mark.line + 1;
	rule->severity = PG_RULE_HIGH;
	if ((error = pg_yaml_map_check(y, node, "rule", rule_keys)) < 0)
		return error;

	if (!(v = pg_yaml_map_get(y, node, "id")))
		return pg_yaml_error(y, node, "rule %zu: missing required key 'id'", index + 1);
	if ((error = pg_yaml_get_string(y, v, "id", &rule->id)) < 0)
		return error;
	if (!id_valid(rule->id))
		return pg_yaml_error(y, v, "rule '%s': id must be lower-case letters and digits in dash-separated words",
				     rule->id);
	for (i = 0; i < index; i++)
		if (!strcmp(rules->rules[i].id, rule->id))
			return pg_yaml_error(y, v, "rule '%s': duplicate id (first defined on line %u)",
					     rule->id, rules->rules[i].line);

	if (!(v = pg_yaml_map_get(y, node, "description")))
		return pg_yaml_error(y, node, "rule '%s': missing required key 'description'", rule->id);
	if ((error = pg_yaml_get_string(y, v, "description", &rule->description)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "severity"))) {
		if ((error = pg_yaml_get_enum(y, v, "severity", severity_names, &sev)) < 0)
			return error;
		rule->severity = (enum pg_rule_severity)sev;
	}

	if (!(pattern_node = pg_yaml_map_get(y, node, "pattern")))
		return pg_yaml_error(y, node, "rule '%s': missing required key 'pattern'", rule->id);
	if ((error = pg_yaml_get_string(y, pattern_node, "pattern", &rule->pattern)) < 0 ||
	    (error = compile_pattern(y, pattern_node, rule)) < 0)
		return error;
	if (pcre2_pattern_info(rule->code, PCRE2_INFO_CAPTURECOUNT, &captures) < 0)
		return pg_yaml_error(y, pattern_node, "rule '%s': cannot count capture groups",
				     rule->id);
	rule->secret_group = captures ? 1 : 0;
	if ((v = pg_yaml_map_get(y, node, "prefilter"))) {
		if ((error = pg_yaml_get_string(y, v, "prefilter", &rule->prefilter)) < 0)
			return error;
		if (!*rule->prefilter)
			return pg_yaml_error(y, v, "rule '%s': prefilter must not be empty", rule->id);
	}
	if ((v = pg_yaml_map_get(y, node, "secret_group"))) {
		if ((error = pg_yaml_get_uint(y, v, "secret_group", 65535, &ul)) < 0)
			return error;
		if (ul > captures)
			return pg_yaml_error(y, v, "rule '%s': secret_group %lu but the pattern has %u capture group%s",
					     rule->id, ul, (unsigned int)captures, captures == 1 ? "" : "s");
		rule->secret_group = (uint32_t)ul;
	}

	if ((v = pg_yaml_map_get(y, node, "min_entropy"))) {
		if ((error = pg_yaml_get_double(y, v, "min_entropy", &rule->min_entropy)) < 0)
			return error;
		if (rule->min_entropy < 0 || rule->min_entropy > 8)
			return pg_yaml_error(y, v, "rule '%s': min_entropy must be from 0 to 8 (bits per byte)",
					     rule->id);
	}
	if ((v = pg_yaml_map_get(y, node, "keywords")) &&
	    (error = get_lower_list(y, v, "keywords", rule->id, &rule->keywords)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "paths")) &&
	    (error = get_globs(y, v, "paths", rule->id, &rule->paths)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "generic")) &&
	    (error = pg_yaml_get_bool(y, v, "generic", &rule->generic)) < 0)
		return error;
	/* A generic shape alone proves little: unless the rule says otherwise, it warns. */
	rule->confidence = rule->generic ? PG_CONFIDENCE_LOW : PG_CONFIDENCE_HIGH;
	if ((v = pg_yaml_map_get(y, node, "confidence"))) {
		if ((error = pg_yaml_get_enum(y, v, "confidence", confidence_names, &sev)) < 0)
			return error;
		rule->confidence = (enum pg_confidence)sev;
	}
	if ((v = pg_yaml_map_get(y, node, "allow")) &&
	    (error = parse_allow(y, v, rule->id, &rule->allow, NULL)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "examples")) &&
	    (error = pg_yaml_get_strlist(y, v, "examples", &rule->examples)) < 0)
		return error;
	if ((v = pg_yaml_map_get(y, node, "negative_examples")) &&
	    (error = pg_yaml_get_strlist(y, v, "negative_examples", &rule->negative_examples)) < 0)
		return error;
	return 0;
}

void pg_rules_file_digest(unsigned char digest[PG_SHA1_LEN], const char *data, size_t len)
{
	unsigned char parts[2 * PG_SHA1_LEN];
	const char *text;
	size_t text_len;

	/* A file may extend the built-in rules: a new build's defaults are a new rule set. */
	pg_sha1_blob(parts, data, len);
	pg_rules_default_text(&text, &text_len, parts + PG_SHA1_LEN);
	pg_sha1_blob(digest, (const char *)parts, sizeof(parts));
}

static int strlist_move(struct pg_strlist *dst, struct pg_strlist *src)
{
	size_t i;
	int error;

	for (i = 0; i < src->len; i++)
		if ((error = pg_strlist_add(dst, src->items[i])) < 0)
			return error;
	pg_strlist_clear(src);
	return 0;
}

/* Add the default rules' global allowlist to the file's own. */
static int allowlist_merge(struct pg_rules *dst, struct pg_rules *base)
{
	struct pg_regex *regexes;
	size_t n = dst->allow.regexes_len + base->allow.regexes_len;
	int error;

	if ((error = strlist_move(&dst->allow.stopwords, &base->allow.stopwords)) < 0 ||
	    (error = strlist_move(&dst->allow.paths, &base->allow.paths)) < 0 ||
	    (error = strlist_move(&dst->generic_paths, &base->generic_paths)) < 0)
		return error;
	if (!base->allow.regexes_len)
		return 0;
	if (!(regexes = realloc(dst->allow.regexes, n * sizeof(*regexes))))
		return pg_error_oom();
	memcpy(regexes + dst->allow.regexes_len, base->allow.regexes,
	       base->allow.regexes_len * sizeof(*regexes));
	dst->allow.regexes = regexes;
	dst->allow.regexes_len = n;
	free(base->allow.regexes);
	base->allow.regexes = NULL;
	base->allow.regexes_len = 0;
	return 0;
}

static struct pg_rule *rule_find(struct pg_rules *rules, const char *id)
{
	size_t i;

	for (i = 0; i < rules->len; i++)
		if (!strcmp(rules->rules[i].id, id))
			return &rules->rules[i];
	return NULL;
}

/*
 * `extends: default`: the built-in rules first, then the file's; a file
 * rule with a built-in rule's id replaces it, as in gitleaks' [extend].
 */
static int rules_extend(struct pg_rules *rules)
{
	struct pg_rules *base = NULL;
	struct pg_rule *merged;
	size_t i, n = 0;
	int error;

	if ((error = pg_rules_load_default(&base)) < 0)
		return error;
	if (!(merged = calloc(base->len + rules->len, sizeof(*merged)))) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < base->len; i++) {
		if (rule_find(rules, base->rules[i].id))
			continue;
		merged[n++] = base->rules[i];
		memset(&base->rules[i], 0, sizeof(base->rules[i]));
	}
	if (rules->len) /* a file that only extends has none, and no array */
		memcpy(merged + n, rules->rules, rules->len * sizeof(*merged));
	n += rules->len;
	free(rules->rules);
	rules->rules = merged;
	rules->len = n;
	error = allowlist_merge(rules, base);
out:
	pg_rules_free(base); /* the moved rules were zeroed: nothing of theirs is freed */
	return error;
}

/* `disable: [id, ...]`: drop these rules; an id that names no rule is an error. */
static int rules_disable(struct pg_yaml *y, yaml_node_t *node, struct pg_rules *rules)
{
	struct pg_strlist ids = { 0 };
	struct pg_rule *rule;
	size_t i;
	int error;

	if ((error = pg_yaml_get_strlist(y, node, "disable", &ids)) < 0)
		goto out;
	for (i = 0; i < ids.len; i++) {
		if (!(rule = rule_find(rules, ids.items[i]))) {
			error = pg_yaml_error(y, pg_yaml_seq_item(y, node, i),
					      "disable: no rule '%s' (pushgate rules list shows them)",
					      ids.items[i]);
			goto out;
		}
		rule_clear(rule);
		memmove(rule, rule + 1, (size_t)(rules->rules + rules->len - rule - 1) * sizeof(*rule));
		rules->len--;
	}
	if (!rules->len)
		error = pg_yaml_error(y, node, "disable: no rule is left");
out:
	pg_strlist_clear(&ids);
	return error;
}

/* `digest`: the SHA-1 (git blob id) of the data, or NULL to compute it. */
static int rules_parse(struct pg_rules **out, const char *name, const char *data, size_t len,
		       const unsigned char *digest)
{
	struct pg_rules *rules = NULL;
	yaml_node_t *root, *v, *list;
	struct pg_yaml y;
	bool loaded = false;
	unsigned long version;
	int extends = -1;
	size_t i, n = 0;
	int error;

	*out = NULL;
	rules = calloc(1, sizeof(*rules));
	if (!rules)
		return pg_error_oom();
	rules->source = strdup(name);
	if (!rules->source) {
		error = pg_error_oom();
		goto out;
	}
	if (digest)
		memcpy(rules->digest, digest, sizeof(rules->digest));
	else
		pg_rules_file_digest(rules->digest, data, len);

	if ((error = pg_yaml_load(&y, name, data, len)) < 0)
		goto out;
	loaded = true;
	root = pg_yaml_root(&y);
	if ((error = pg_yaml_map_check(&y, root, "rules file", top_keys)) < 0)
		goto out;
	if ((v = pg_yaml_map_get(&y, root, "version"))) {
		if ((error = pg_yaml_get_uint(&y, v, "version", 1000, &version)) < 0)
			goto out;
		if (version != 1) {
			error = pg_yaml_error(&y, v, "unsupported rules file version %lu (this pushgate reads version 1)",
					      version);
			goto out;
		}
	}
	if ((v = pg_yaml_map_get(&y, root, "extends")) &&
	    (error = pg_yaml_get_enum(&y, v, "extends", extends_names, &extends)) < 0)
		goto out;
	if ((v = pg_yaml_map_get(&y, root, "allow")) &&
	    (error = parse_allow(&y, v, NULL, &rules->allow, &rules->generic_paths)) < 0)
		goto out;
	list = pg_yaml_map_get(&y, root, "rules");
	if (!list && extends < 0) {
		error = pg_yaml_error(&y, root, "missing required key 'rules' (or extends: default)");
		goto out;
	}
	if (list && (error = pg_yaml_seq_check(&y, list, "rules")) < 0)
		goto out;
	if (list && !(n = pg_yaml_seq_len(list)) && extends < 0) {
		error = pg_yaml_error(&y, list, "the rules list is empty");
		goto out;
	}
	if (n && !(rules->rules = calloc(n, sizeof(*rules->rules)))) {
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < n; i++) {
		rules->len = i + 1;
		if ((error = parse_rule(&y, pg_yaml_seq_item(&y, list, i), &rules->rules[i],
					rules, i)) < 0)
			goto out;
	}
	if (extends >= 0 && (error = rules_extend(rules)) < 0)
		goto out;
	if ((v = pg_yaml_map_get(&y, root, "disable")) &&
	    (error = rules_disable(&y, v, rules)) < 0)
		goto out;
	*out = rules;
	rules = NULL;
out:
	if (loaded)
		pg_yaml_free(&y);
	pg_rules_free(rules);
	return error;
}

int pg_rules_load_buffer(struct pg_rules **out, const char *name, const char *data, size_t len)
{
	return rules_parse(out, name ? name : "<buffer>", data, len, NULL);
}

void pg_rules_default_text(const char **data, size_t *len, unsigned char digest[PG_SHA1_LEN])
{
	*data = pg_rules_default_yml_start;
	*len = (size_t)(pg_rules_default_yml_end - pg_rules_default_yml_start);
	/* A build that embedded no valid id (make always does) still works. */
	if (!pg_sha1_from_hex(digest, pg_rules_default_yml_sha1))
		pg_sha1_blob(digest, *data, *len);
}

int pg_rules_load_default(struct pg_rules **out)
{
	unsigned char digest[PG_SHA1_LEN];
	const char *data;
	size_t len;

	pg_rules_default_text(&data, &len, digest);
	return rules_parse(out, "<default>", data, len, digest);
}

int pg_rules_load_buffer_digest(struct pg_rules **out, const char *name, const char *data,
				size_t len, const unsigned char digest[PG_SHA1_LEN])
{
	return rules_parse(out, name, data, len, digest);
}

int pg_rules_load_file(struct pg_rules **out, const char *path)
{
	struct pg_buf data = PG_BUF_INIT(PG_RULES_FILE_LIMIT);
	int error;

	*out = NULL;
	if ((error = pg_file_read(&data, path)) < 0)
		goto out;
	error = rules_parse(out, path, data.ptr, data.size, NULL);
out:
	pg_buf_release(&data);
	return error;
}
