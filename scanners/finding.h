/*
 * finding.h - what the scanners report: a secret at a place.
 *
 * Findings own a copy of the secret so that fingerprints and baselines
 * can be computed; nothing may print it except through
 * pg_buf_put_redacted().
 */
#ifndef PG_FINDING_H
#define PG_FINDING_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "scanners/rules.h"

/* Why context lowered a finding's confidence (scanners/context.h); bits. */
#define PG_LOWERED_TEST_PATH   (1u << 0) /* a test, spec or fixture path */
#define PG_LOWERED_EXAMPLE     (1u << 1) /* an example, sample, template or docs path */
#define PG_LOWERED_LOCALE      (1u << 2) /* a localisation file */
#define PG_LOWERED_PLACEHOLDER (1u << 3) /* the value looks like a placeholder */
#define PG_LOWERED_HASH        (1u << 4) /* the value looks like a hash, not a secret */
#define PG_LOWERED_TEXT        (1u << 5) /* the value is natural-language text */
#define PG_LOWERED_ENCRYPTED   (1u << 6) /* an encrypted key, useless without its passphrase */
#define PG_LOWERED_DEFAULT     (1u << 7) /* a well-known default (postgres, admin, guest) */

struct pg_finding {
	const struct pg_rule *rule; /* borrowed from the rule set */
	char *path;                 /* owned; "-" for standard input */
	char *commit;               /* owned hex id; NULL outside git modes */
	char *author;               /* owned "Name <email>" of the commit's author; may be NULL */
	char date[21];              /* the commit's author date, "YYYY-MM-DDTHH:MM:SSZ", or "" */
	size_t line;                /* 1-based line where the secret starts */
	size_t column;              /* 1-based byte column where it starts */
	bool binary;                /* found in a binary blob's raw bytes: offset says where */
	size_t offset;              /* binary: 0-based byte offset of the secret in the blob */
	char *secret;               /* owned; never print it whole */
	size_t secret_len;
	char fingerprint[41];       /* hex, see pg_finding_fingerprint() */
	enum pg_confidence confidence; /* the rule's, lowered by context */
	unsigned int lowered;       /* PG_LOWERED_* bits: why it is lower than the rule's */
};

struct pg_findings {
	struct pg_finding *items; /* owned */
	size_t len;
	size_t alloc;
};

/**
 * Append a finding; copies path, commit and secret and computes the
 * fingerprint. @return 0 or PG_ENOMEM
 */
int pg_findings_add(struct pg_findings *list, const struct pg_rule *rule,
		    const char *path, const char *commit, size_t line, size_t column,
		    const char *secret, size_t secret_len);

/**
 * Lower a finding's confidence one step (low stays low) and record why.
 * A reason already recorded lowers nothing more.
 */
void pg_finding_lower(struct pg_finding *f, unsigned int reason);

/**
 * Append the reasons in `lowered` (PG_LOWERED_* bits) as words separated
 * by ", " ("test path, placeholder"); nothing for 0.
 * @return 0 or PG_ENOMEM / PG_ELIMIT from the buffer
 */
int pg_finding_lowered_put(struct pg_buf *out, unsigned int lowered);

/** Free what one finding owns (its secret wiped first) and zero it. */
void pg_finding_release(struct pg_finding *f);

/**
 * Move every finding of `src` to the end of `dst`; `src` is left empty.
 *
 * @return 0 or PG_ENOMEM (then nothing moved)
 */
int pg_findings_move(struct pg_findings *dst, struct pg_findings *src);

/** Sort by path, line, column, rule id: reports are deterministic. */
void pg_findings_sort(struct pg_findings *list);

/** Free every finding; the list is left empty. */
void pg_findings_clear(struct pg_findings *list);

/**
 * The fingerprint of (rule id, path, secret): 40 hex digits of a salted
 * SHA-1, stable across runs and line moves, not revealing the secret.
 * `out` receives 41 bytes including the NUL.
 */
int pg_finding_fingerprint(char out[41], const char *rule_id, const char *path,
			   const char *secret, size_t secret_len);

#endif
