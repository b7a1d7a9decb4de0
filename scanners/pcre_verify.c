/*
 * pcre_verify.c - windowed PCRE2 confirmation of Hyperscan hits.
 *
 * Owns the window policy (start small, widen only when no match covers
 * the hit) and the bookkeeping that keeps the total work linear in the
 * buffer. It must never run user code or allocate per hit.
 */
#include <string.h>

#include "common/error.h"
#include "scanners/pcre_verify.h"

#define JIT_STACK_START ((size_t)32 << 10)
#define JIT_STACK_MAX ((size_t)1 << 20)

int pg_pcre_verify_init(struct pg_pcre_verify *v, uint32_t max_captures)
{
	memset(v, 0, sizeof(*v));
	v->md = pcre2_match_data_create(max_captures + 1, NULL);
	v->mctx = pcre2_match_context_create(NULL);
	v->jit_stack = pcre2_jit_stack_create(JIT_STACK_START, JIT_STACK_MAX, NULL);
	if (!v->md || !v->mctx || !v->jit_stack) {
		pg_pcre_verify_release(v);
		return pg_error_oom();
	}
	if (pcre2_set_match_limit(v->mctx, PG_REGEX_MATCH_LIMIT) != 0 ||
	    pcre2_set_depth_limit(v->mctx, PG_REGEX_DEPTH_LIMIT) != 0) {
		pg_pcre_verify_release(v);
		return pg_error_set(PG_ERROR, "cannot set PCRE2 match limits");
	}
	pcre2_jit_stack_assign(v->mctx, NULL, v->jit_stack);
	return 0;
}

void pg_pcre_verify_release(struct pg_pcre_verify *v)
{
	pcre2_match_data_free(v->md);
	pcre2_match_context_free(v->mctx);
	pcre2_jit_stack_free(v->jit_stack);
	memset(v, 0, sizeof(*v));
}

void pg_pcre_rule_state_reset(struct pg_pcre_rule_state *st)
{
	memset(st, 0, sizeof(*st));
}

static int match_error(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
	case PCRE2_ERROR_DEPTHLIMIT:
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return PG_ELIMIT;
	case PCRE2_ERROR_NOMEMORY:
		return pg_error_oom();
	default:
		return pg_error_set(PG_ERROR, "PCRE2 match failed (error %d)", rc);
	}
}

struct search {
	struct pg_pcre_verify *v;
	struct pg_pcre_rule_state *st;
	const pcre2_code *code;
	uint32_t group;
	const char *buf;
	size_t len;
	size_t end;              /* the hit */
	pg_pcre_emit_fn emit;
	void *payload;
};

/*
 * Enumerate the non-overlapping matches that start in [from, limit],
 * emitting each. *next receives where a following enumeration would go
 * on. @return 1 one of them reaches the hit, 0 none does, or an error
 */
static int enumerate(struct search *s, size_t from, size_t limit, size_t *next)
{
	struct pg_pcre_span span;
	PCRE2_SIZE *ov;
	size_t pos = from;
	int rc, error, covered = 0;

	if (pcre2_set_offset_limit(s->v->mctx, limit) != 0)
		return pg_error_set(PG_ERROR, "cannot set the PCRE2 offset limit");
	ov = pcre2_get_ovector_pointer(s->v->md);
	while (pos <= limit) {
		rc = pcre2_match(s->code, (PCRE2_SPTR)s->buf, s->len, pos, 0, s->v->md, s->v->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0)
			return match_error(rc);
		span.match_start = ov[0];
		span.match_end = ov[1];
		if (s->group && (uint32_t)rc > s->group && ov[2 * s->group] != PCRE2_UNSET) {
			span.secret_start = ov[2 * s->group];
			span.secret_end = ov[2 * s->group + 1];
		} else {
			span.secret_start = ov[0];
			span.secret_end = ov[1];
		}
		if ((error = s->emit(&span, s->payload)) < 0)
			return error;
		pos = span.match_end > span.match_start ? span.match_end : span.match_start + 1;
		if (span.match_end >= s->end)
			covered = 1;
		if (!s->st->has_last || span.match_end >= s->st->last_end) {
			s->st->has_last = true;
			s->st->last_start = span.match_start;
			s->st->last_end = span.match_end;
		}
	}
	*next = pos > limit + 1 ? pos : limit + 1;
	return covered;
}

struct pg_pcre_window pg_pcre_window_for(size_t max_width)
{
	struct pg_pcre_window w = { PG_PCRE_VERIFY_WINDOW_MIN, PG_PCRE_VERIFY_WINDOW_MAX };

	if (max_width < w.max)
		w.max = max_width ? max_width : 1;
	if (w.first > w.max)
		w.first = w.max;
	return w;
}

int pg_pcre_verify_hit(struct pg_pcre_verify *v, struct pg_pcre_rule_state *st,
		       const pcre2_code *code, uint32_t secret_group,
		       const struct pg_pcre_window *window,
		       const char *buf, size_t len, size_t end,
		       pg_pcre_emit_fn emit, void *payload)
{
	struct search s = { v, st, code, secret_group, buf, len, end, emit, payload };
	const char *nl;
	size_t w, ws, next;
	int rc;

	if (!end || end > len)
		return 0;
	if (st->has_last && st->last_start < end && end <= st->last_end)
		return 1;

	/*
	 * Forward: know every match starting in [window start, end). Most
	 * matches lie on one line, so the first window stops at its start.
	 */
	ws = end > window->first ? end - window->first : 0;
	nl = end - 1 > ws ? memrchr(buf + ws, '\n', end - 1 - ws) : NULL;
	if (nl)
		ws = (size_t)(nl - buf) + 1;
	if (!st->known || ws < st->known_from) {
		st->known = true;
		st->floor = 0;
		st->known_from = ws;
		st->known_to = ws;
	} else if (ws > st->known_to) {
		/*
		 * Matches starting before the old known_to were all seen (the
		 * one reaching furthest is `last`): widening stops there.
		 */
		st->floor = st->known_to;
		st->known_from = ws;
		st->known_to = ws;
	}
	if (st->known_to < end) {
		rc = enumerate(&s, st->known_to, end - 1, &next);
		/* On a limit error give up on this stretch: re-running it per hit would repeat the cost. */
		st->known_to = rc < 0 ? end : next;
		if (rc)
			return rc;
	}

	/* Backward: widen only while no match covers the hit, searching only new bytes. */
	for (w = window->first;;) {
		ws = end > w ? end - w : 0;
		if (ws < st->floor)
			ws = st->floor;
		if (ws < st->known_from) {
			rc = enumerate(&s, ws, st->known_from - 1, &next);
			st->known_from = ws;
			if (rc)
				return rc;
		}
		if (w >= window->max || st->known_from <= st->floor)
			break;
		w = w > window->max / 2 ? window->max : w * 2;
	}
	return 0;
}
