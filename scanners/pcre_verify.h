/*
 * pcre_verify.h - confirm a Hyperscan hit with the rule's PCRE2 pattern.
 *
 * Hyperscan reports only where a match ends. PCRE2 searches a window
 * ending there (256 bytes, doubled up to 64 KiB while no match covers
 * the hit; never wider than the longest match the pattern allows), which
 * confirms the hit and yields the match's start and the secret's capture
 * group. Per-rule state remembers what is already known so that the many
 * hits of one long match cost one search and widening never searches
 * the same bytes twice.
 */
#ifndef PG_PCRE_VERIFY_H
#define PG_PCRE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/regex.h"

#define PG_PCRE_VERIFY_WINDOW_MIN ((size_t)256)
#define PG_PCRE_VERIFY_WINDOW_MAX ((size_t)64 << 10)

/* Per-thread PCRE2 state, reused for every hit. */
struct pg_pcre_verify {
	pcre2_match_data *md;         /* owned; ovector for the largest capture count */
	pcre2_match_context *mctx;    /* owned; match and depth limits, offset limit */
	pcre2_jit_stack *jit_stack;   /* owned */
};

/* How far back from a hit one rule's matches can start. */
struct pg_pcre_window {
	size_t first;        /* first window, bytes before the hit */
	size_t max;          /* widest window */
};

/* What one rule's searches have established about the current buffer. */
struct pg_pcre_rule_state {
	size_t known_from;  /* every match starting in [known_from, known_to) was found */
	size_t known_to;
	size_t floor;       /* widening stops here: before it everything was seen */
	size_t last_start;  /* the match found reaching furthest, when has_last */
	size_t last_end;
	bool has_last;
	bool known;         /* known_from/known_to are meaningful */
};

/* One PCRE2 match: byte offsets in the buffer. */
struct pg_pcre_span {
	size_t match_start;
	size_t match_end;
	size_t secret_start; /* the secret group, or the whole match when it did not take part */
	size_t secret_end;
};

/**
 * Called for every match found while confirming a hit, including matches
 * that end before it (they are real PCRE2 matches in the window; the
 * caller deduplicates). Return 0 or a negative PG_E* code to stop.
 */
typedef int (*pg_pcre_emit_fn)(const struct pg_pcre_span *span, void *payload);

/**
 * Set up per-thread state able to hold `max_captures` capture groups.
 *
 * @return 0 or PG_ENOMEM; on error `v` needs no release
 */
int pg_pcre_verify_init(struct pg_pcre_verify *v, uint32_t max_captures);

/** Free the state; `v` is left zeroed. Safe on a zeroed struct. */
void pg_pcre_verify_release(struct pg_pcre_verify *v);

/** Forget everything about the previous buffer. */
void pg_pcre_rule_state_reset(struct pg_pcre_rule_state *st);

/**
 * The window policy for a pattern whose matches are at most `max_width`
 * bytes long (UINT_MAX or more: unbounded, or unknown as for prefilters).
 */
struct pg_pcre_window pg_pcre_window_for(size_t max_width);

/**
 * Confirm a Hyperscan hit of one rule ending at offset `end` of
 * buf[0..len). `code` must have been compiled with PCRE2_USE_OFFSET_LIMIT
 * (scanners/rules_yaml.c does). A hit inside the last match found is
 * skipped without searching.
 *
 * Not thread safe for one `v` or `st`; `code` may be shared.
 *
 * @return 1 a match covers the hit, 0 none does (a prefilter or window
 *         miss), PG_ELIMIT when PCRE2 hit its match, depth or JIT stack
 *         limit (the caller counts it), PG_ENOMEM, or emit's error
 */
int pg_pcre_verify_hit(struct pg_pcre_verify *v, struct pg_pcre_rule_state *st,
		       const pcre2_code *code, uint32_t secret_group,
		       const struct pg_pcre_window *window,
		       const char *buf, size_t len, size_t end,
		       pg_pcre_emit_fn emit, void *payload);

#endif
