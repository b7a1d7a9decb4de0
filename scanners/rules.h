/*
 * rules.h - the secret rule set: model and loader.
 *
 * A rule set is loaded from YAML (docs/rules-format.md) or from the
 * embedded default (default_rules.yml) and is read-only afterwards, so
 * scanner threads share it without locks.
 */
#ifndef PG_RULES_H
#define PG_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/regex.h"
#include "common/sha1.h"
#include "common/strlist.h"

/* Largest rules file read. */
#define PG_RULES_FILE_LIMIT ((size_t)16 << 20)

enum pg_rule_severity {
	PG_RULE_CRITICAL = 0,
	PG_RULE_HIGH,
	PG_RULE_MEDIUM,
	PG_RULE_LOW
};

/*
 * How sure a finding is that it is a usable secret (docs/architecture.md,
 * "The engine"): high for a provider format or a checked structure, medium for a strong name
 * with a plausible value, low for a generic shape. Context (test paths,
 * localisation files, placeholders, hashes) lowers it one step at a time.
 */
enum pg_confidence {
	PG_CONFIDENCE_HIGH = 0,
	PG_CONFIDENCE_MEDIUM,
	PG_CONFIDENCE_LOW
};

#define PG_CONFIDENCE_LEVELS 3

struct pg_allowlist {
	struct pg_strlist stopwords;  /* lower-case; a secret containing one is dropped */
	struct pg_regex *regexes;     /* a secret matching one is dropped */
	size_t regexes_len;
	struct pg_strlist paths;      /* path globs whose findings are dropped */
};

struct pg_rule {
	char *id;
	char *description;
	enum pg_rule_severity severity;
	char *pattern;                /* PCRE2 source, as written */
	char *prefilter;              /* what Hyperscan looks for instead; NULL: the pattern */
	pcre2_code *code;             /* owned; the scanner JIT-compiles it on first use */
	uint32_t secret_group;        /* capture group of the secret; 0 = whole match */
	double min_entropy;           /* bits per byte; 0 = no threshold */
	struct pg_strlist keywords;   /* lower-case; empty = none required */
	struct pg_strlist paths;      /* empty = all paths */
	bool generic;                 /* generic_paths of the global allowlist apply */
	enum pg_confidence confidence; /* of its findings before context lowers it;
					  default high, low for generic rules */
	struct pg_allowlist allow;
	struct pg_strlist examples;
	struct pg_strlist negative_examples;
	unsigned int line;            /* where it was defined */
};

struct pg_rules {
	char *source;                 /* file path or "<default>" */
	struct pg_rule *rules;        /* index = Hyperscan pattern id */
	size_t len;
	struct pg_allowlist allow;    /* global */
	struct pg_strlist generic_paths;
	unsigned char digest[PG_SHA1_LEN]; /* names the rule set: cache key (pg_rules_file_digest) */
	bool cached;                  /* decoded from the cache (rules_cache.h), not parsed */
};

/**
 * Load and validate a rules file (docs/rules-format.md): YAML, keys,
 * types, unique ids, PCRE2 compilation, no empty matches. Hyperscan
 * compilation is checked by pg_scanner_new().
 *
 * @param out receives the rules, owned by the caller (pg_rules_free)
 * @return 0, PG_ENOTFOUND, PG_EIO, PG_ENOMEM or PG_EINVAL with
 *         "FILE:LINE:COL: message" naming the rule id
 */
int pg_rules_load_file(struct pg_rules **out, const char *path);

/** As pg_rules_load_file() from memory; `name` is used in messages. */
int pg_rules_load_buffer(struct pg_rules **out, const char *name,
			 const char *data, size_t len);

/** Load the embedded default rule set. */
int pg_rules_load_default(struct pg_rules **out);

/**
 * The embedded default rule set's YAML text (static) and its digest
 * (the SHA-1 the build computed, see default_rules.S).
 */
void pg_rules_default_text(const char **data, size_t *len, unsigned char digest[PG_SHA1_LEN]);

/**
 * The digest that names a rules file's rule set (pg_rules.digest, the
 * cache key): of its bytes and of the built-in rules it may extend.
 */
void pg_rules_file_digest(unsigned char digest[PG_SHA1_LEN], const char *data, size_t len);

/** As pg_rules_load_buffer() with the data's digest already known. */
int pg_rules_load_buffer_digest(struct pg_rules **out, const char *name, const char *data,
				size_t len, const unsigned char digest[PG_SHA1_LEN]);

/** Free a rule set; NULL is fine. */
void pg_rules_free(struct pg_rules *rules);

/** Lower-case name of a severity ("critical", "high", ...). */
const char *pg_rule_severity_name(enum pg_rule_severity severity);

/** Lower-case name of a confidence ("high", "medium", "low"). */
const char *pg_confidence_name(enum pg_confidence confidence);

#endif
