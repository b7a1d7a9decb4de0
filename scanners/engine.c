/*
 * engine.c - scan a buffer: Hyperscan hits, PCRE2 confirmation, filters.
 *
 * Owns the order of the filters (docs/rules-format.md) and the per-thread
 * scan state. The Hyperscan callback only confirms and collects; user
 * callbacks run after hs_scan() returns, in secret order, once per
 * (rule, secret). Nothing here allocates per hit once buffers have grown.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/error.h"
#include "common/text.h"
#include "scanners/engine.h"
#include "scanners/hs_db.h"
#include "scanners/pcre_verify.h"
#include "scanners/rules_cache.h"

#define INLINE_ALLOW "pushgate:allow"

struct pg_scanner {
	const struct pg_rules *rules;    /* borrowed */
	struct pg_hs_db hs;
	struct pg_pcre_window *windows;  /* owned; per rule */
	uint32_t max_captures;
	/* Lazy JIT (rule_pattern()); pointers, so scans through a const scanner can use them. */
	pthread_mutex_t *jit_lock;       /* owned */
	atomic_bool *jit_tried;          /* owned; per rule */
};

struct raw_match {
	size_t rule;
	struct pg_pcre_span span;
	bool kept;     /* passed every filter (set in report()) */
	bool allowed;  /* kept only to be reported as inline-allowed */
};

enum path_verdict {
	PATH_UNKNOWN = 0,
	PATH_APPLIES,
	PATH_SKIPPED
};

/* The line(s) a match touches, with what was computed about them. */
struct line_cache {
	size_t start, end;   /* [start, end) without the final newline */
	bool valid;
	bool single;         /* no newline inside: reusable for any match within */
	bool lower_valid;
	int inline_allow;    /* -1 not computed yet */
};

struct pg_scan_ctx {
	const struct pg_scanner *scanner;
	hs_scratch_t *scratch;                 /* owned: hs_free_scratch */
	struct pg_pcre_verify verify;
	pcre2_match_data *allow_md;            /* owned */
	pcre2_match_context *allow_mctx;       /* owned */
	uint64_t *limit_hits;                  /* owned; per rule, cumulative */
	struct pg_pcre_rule_state *states;     /* owned; per rule, per scan */
	unsigned char *path_verdicts;          /* owned; per rule, per scan */
	size_t *touched;                       /* owned; rules with a verdict in this scan */
	size_t ntouched;
	struct raw_match *raw;                 /* owned; collected during hs_scan */
	size_t raw_len, raw_alloc;
	char *lower;                           /* owned: the cached line(s), lower-case */
	size_t lower_alloc;
	char *secret_lower;                    /* owned */
	size_t secret_lower_alloc;
	struct line_cache line;

	/* The scan in progress. */
	const char *buf;
	size_t len;
	const char *path;
	const char *except_path;               /* pg_scan_where.except_path */
	bool report_allowed;                   /* pg_scan_where.report_allowed */
	int generic_path;                      /* path matches the global generic_paths; -1: not asked yet */
	size_t rule;                           /* rule being confirmed, for emit */
	int error;
};

const struct pg_hs_db *pg_scanner__hs_db(const struct pg_scanner *scanner)
{
	return &scanner->hs;
}

const struct pg_rules *pg_scanner_rules(const struct pg_scanner *scanner)
{
	return scanner->rules;
}

int pg_scanner_load(struct pg_rules **rules_out, struct pg_scanner **out,
		    const char *rules_file, const struct pg_scanner_opts *opts)
{
	struct pg_rules *rules = NULL;
	int error;

	*rules_out = NULL;
	*out = NULL;
	if ((error = pg_rules_load_cached(&rules, rules_file, opts ? opts->cache_dir : NULL)) < 0)
		return error;
	if ((error = pg_scanner_new(out, rules, opts)) < 0) {
		pg_rules_free(rules);
		return error;
	}
	*rules_out = rules;
	return 0;
}

int pg_scanner_new(struct pg_scanner **out, const struct pg_rules *rules,
		   const struct pg_scanner_opts *opts)
{
	struct pg_scanner *s;
	uint32_t captures;
	size_t i;
	int error;

	*out = NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return pg_error_oom();
	s->rules = rules;
	for (i = 0; i < rules->len; i++) {
		if (pcre2_pattern_info(rules->rules[i].code, PCRE2_INFO_CAPTURECOUNT, &captures) != 0) {
			error = pg_error_set(PG_EINVAL, "rule '%s': cannot count capture groups",
					     rules->rules[i].id);
			goto out;
		}
		if (captures > s->max_captures)
			s->max_captures = captures;
	}
	if ((error = pg_hs_db_build(&s->hs, rules, opts ? opts->cache_dir : NULL)) < 0)
		goto out;
	s->windows = calloc(rules->len ? rules->len : 1, sizeof(*s->windows));
	if (!s->windows) {
		error = pg_error_oom();
		goto out;
	}
	s->jit_tried = calloc(rules->len ? rules->len : 1, sizeof(*s->jit_tried));
	s->jit_lock = malloc(sizeof(*s->jit_lock));
	if (!s->jit_tried || !s->jit_lock || pthread_mutex_init(s->jit_lock, NULL) != 0) {
		free(s->jit_lock);
		s->jit_lock = NULL;
		error = pg_error_oom();
		goto out;
	}
	for (i = 0; i < rules->len; i++)
		s->windows[i] = pg_pcre_window_for(s->hs.prefilter[i] || s->hs.max_width[i] == UINT_MAX
						   ? SIZE_MAX : s->hs.max_width[i]);
	*out = s;
	s = NULL;
out:
	pg_scanner_free(s);
	return error;
}

void pg_scanner_free(struct pg_scanner *scanner)
{
	if (!scanner)
		return;
	pg_hs_db_release(&scanner->hs);
	free(scanner->windows);
	free(scanner->jit_tried);
	if (scanner->jit_lock) {
		pthread_mutex_destroy(scanner->jit_lock);
		free(scanner->jit_lock);
	}
	free(scanner);
}

/*
 * A rule's pattern, JIT-compiled the first time a hit needs it: most
 * rules never hit a given input, and compiling all of them up front was
 * a third of a warm start. The flag is set (release) only after the
 * compile, so no thread matches with a pattern being compiled. A failed
 * JIT (no executable memory, an unsupported CPU) means the interpreter:
 * slower, not wrong.
 */
static const pcre2_code *rule_pattern(const struct pg_scanner *s, size_t id)
{
	pcre2_code *code = s->rules->rules[id].code;

	if (atomic_load_explicit(&s->jit_tried[id], memory_order_acquire))
		return code;
	pthread_mutex_lock(s->jit_lock);
	if (!atomic_load_explicit(&s->jit_tried[id], memory_order_relaxed)) {
		(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
		atomic_store_explicit(&s->jit_tried[id], true, memory_order_release);
	}
	pthread_mutex_unlock(s->jit_lock);
	return code;
}

int pg_scan_ctx_new(struct pg_scan_ctx **out, const struct pg_scanner *scanner)
{
	struct pg_scan_ctx *ctx;
	size_t n = scanner->rules->len;
	int error = 0;

	*out = NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return pg_error_oom();
	ctx->scanner = scanner;
	if ((error = pg_pcre_verify_init(&ctx->verify, scanner->max_captures)) < 0)
		goto out;
	if (hs_alloc_scratch(scanner->hs.db, &ctx->scratch) != HS_SUCCESS) {
		ctx->scratch = NULL;
		error = pg_error_set(PG_ENOMEM, "cannot allocate Hyperscan scratch space");
		goto out;
	}
	ctx->allow_md = pcre2_match_data_create(1, NULL);
	ctx->allow_mctx = pcre2_match_context_create(NULL);
	ctx->limit_hits = calloc(n ? n : 1, sizeof(*ctx->limit_hits));
	ctx->states = calloc(n ? n : 1, sizeof(*ctx->states));
	ctx->path_verdicts = calloc(n ? n : 1, 1);
	ctx->touched = calloc(n ? n : 1, sizeof(*ctx->touched));
	if (!ctx->allow_md || !ctx->allow_mctx || !ctx->limit_hits || !ctx->states ||
	    !ctx->path_verdicts || !ctx->touched) {
		error = pg_error_oom();
		goto out;
	}
	if (pcre2_set_match_limit(ctx->allow_mctx, PG_REGEX_MATCH_LIMIT) != 0 ||
	    pcre2_set_depth_limit(ctx->allow_mctx, PG_REGEX_DEPTH_LIMIT) != 0) {
		error = pg_error_set(PG_ERROR, "cannot set PCRE2 match limits");
		goto out;
	}
	*out = ctx;
	ctx = NULL;
out:
	pg_scan_ctx_free(ctx);
	return error;
}

void pg_scan_ctx_free(struct pg_scan_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->scratch)
		(void)hs_free_scratch(ctx->scratch);
	pg_pcre_verify_release(&ctx->verify);
	pcre2_match_data_free(ctx->allow_md);
	pcre2_match_context_free(ctx->allow_mctx);
	free(ctx->limit_hits);
	free(ctx->states);
	free(ctx->touched);
	free(ctx->path_verdicts);
	free(ctx->raw);
	free(ctx->lower);
	free(ctx->secret_lower);
	free(ctx);
}

const uint64_t *pg_scan_ctx_limit_hits(const struct pg_scan_ctx *ctx, size_t *len)
{
	*len = ctx->scanner->rules->len;
	return ctx->limit_hits;
}

/* Asked only when a generic rule hits: matching every path against the globs was 3% of a tree scan. */
static bool in_generic_path(struct pg_scan_ctx *ctx)
{
	if (ctx->generic_path < 0)
		ctx->generic_path = pg_strlist_glob_match_path(&ctx->scanner->rules->generic_paths,
							       ctx->path);
	return ctx->generic_path;
}

/* Does `rule` apply at `path` apart from the global allow paths and generic_paths? */
static bool rule_paths_apply(const struct pg_rule *rule, const char *path)
{
	return (!rule->paths.len || pg_strlist_glob_match_path(&rule->paths, path)) &&
	       !pg_strlist_glob_match_path(&rule->allow.paths, path);
}

/* Everything that decides whether `rule` applies at `path`, uncached. */
static bool rule_applies_at(const struct pg_rules *rules, const struct pg_rule *rule,
			    const char *path)
{
	return !pg_strlist_glob_match_path(&rules->allow.paths, path) &&
	       rule_paths_apply(rule, path) &&
	       !(rule->generic && pg_strlist_glob_match_path(&rules->generic_paths, path));
}

static bool rule_applies(struct pg_scan_ctx *ctx, size_t i)
{
	const struct pg_rule *rule;

	if (ctx->path_verdicts[i] == PATH_UNKNOWN) {
		ctx->touched[ctx->ntouched++] = i;
		rule = &ctx->scanner->rules->rules[i];
		if (!ctx->path ||
		    (rule_paths_apply(rule, ctx->path) && !(rule->generic && in_generic_path(ctx)) &&
		     !(ctx->except_path &&
		       rule_applies_at(ctx->scanner->rules, rule, ctx->except_path))))
			ctx->path_verdicts[i] = PATH_APPLIES;
		else
			ctx->path_verdicts[i] = PATH_SKIPPED;
	}
	return ctx->path_verdicts[i] == PATH_APPLIES;
}

int pg_scanner_path_scope(const struct pg_scanner *scanner, const char *path, struct pg_buf *out)
{
	const struct pg_rules *rules = scanner->rules;
	size_t i;
	int error;

	if (pg_strlist_glob_match_path(&rules->allow.paths, path))
		return pg_buf_putc(out, 'A');
	if ((error = pg_buf_putc(out, pg_strlist_glob_match_path(&rules->generic_paths, path)
				 ? 'G' : 'g')) < 0)
		return error;
	for (i = 0; i < rules->len; i++)
		if ((rules->rules[i].paths.len || rules->rules[i].allow.paths.len) &&
		    (error = pg_buf_putc(out, rule_paths_apply(&rules->rules[i], path)
					 ? '1' : '0')) < 0)
			return error;
	return 0;
}

static int emit_raw(const struct pg_pcre_span *span, void *payload)
{
	struct pg_scan_ctx *ctx = payload;
	struct raw_match *raw;

	raw = pg_array_grow(ctx->raw, &ctx->raw_alloc, ctx->raw_len + 1, sizeof(*raw));
	if (!raw)
		return pg_error_oom();
	ctx->raw = raw;
	ctx->raw[ctx->raw_len].rule = ctx->rule;
	ctx->raw[ctx->raw_len].span = *span;
	ctx->raw_len++;
	return 0;
}

static int on_hit(unsigned int id, unsigned long long from, unsigned long long to,
		  unsigned int flags, void *payload)
{
	struct pg_scan_ctx *ctx = payload;
	const struct pg_rule *rule;
	int rc;

	(void)from;
	(void)flags;
	if (id >= ctx->scanner->rules->len || !rule_applies(ctx, id))
		return 0;
	rule = &ctx->scanner->rules->rules[id];
	ctx->rule = id;
	rc = pg_pcre_verify_hit(&ctx->verify, &ctx->states[id], rule_pattern(ctx->scanner, id),
				rule->secret_group,
				&ctx->scanner->windows[id], ctx->buf, ctx->len, (size_t)to, emit_raw, ctx);
	if (rc == PG_ELIMIT) {
		ctx->limit_hits[id]++;
	} else if (rc < 0) {
		ctx->error = rc;
		return 1;
	}
	return 0;
}

static int raw_cmp(const void *a, const void *b)
{
	const struct raw_match *x = a, *y = b;

	if (x->span.secret_start != y->span.secret_start)
		return x->span.secret_start < y->span.secret_start ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	if (x->span.secret_end != y->span.secret_end)
		return x->span.secret_end < y->span.secret_end ? -1 : 1;
	if (x->span.match_start != y->span.match_start)
		return x->span.match_start < y->span.match_start ? -1 : 1;
	if (x->span.match_end != y->span.match_end)
		return x->span.match_end < y->span.match_end ? -1 : 1;
	return 0;
}

/* Point the line cache at the line(s) [start, end) of the match touches. */
static void line_find(struct pg_scan_ctx *ctx, size_t start, size_t end)
{
	struct line_cache *lc = &ctx->line;
	const char *p, *nl;
	size_t last = end > start ? end - 1 : start;

	if (lc->valid && lc->single && start >= lc->start && last <= lc->end)
		return;
	p = start ? memrchr(ctx->buf, '\n', start) : NULL;
	lc->start = p ? (size_t)(p - ctx->buf) + 1 : 0;
	if (last >= ctx->len) {
		lc->end = ctx->len;
	} else {
		nl = memchr(ctx->buf + last, '\n', ctx->len - last);
		lc->end = nl ? (size_t)(nl - ctx->buf) : ctx->len;
	}
	lc->single = !memchr(ctx->buf + lc->start, '\n', lc->end - lc->start);
	lc->valid = true;
	lc->lower_valid = false;
	lc->inline_allow = -1;
}

static int line_lower(struct pg_scan_ctx *ctx, const char **out)
{
	struct line_cache *lc = &ctx->line;
	size_t n = lc->end - lc->start, i;
	const unsigned char *src;
	char *lower;

	if (!lc->lower_valid) {
		if (!(lower = pg_array_grow(ctx->lower, &ctx->lower_alloc, n + 1, 1)))
			return pg_error_oom();
		ctx->lower = lower;
		src = (const unsigned char *)ctx->buf + lc->start;
		for (i = 0; i < n; i++)
			ctx->lower[i] = (char)(src[i] >= 'A' && src[i] <= 'Z' ? src[i] + 32 : src[i]);
		lc->lower_valid = true;
	}
	*out = ctx->lower;
	return 0;
}

static bool has_keyword(const struct pg_strlist *keywords, const char *lower, size_t n)
{
	size_t i;

	for (i = 0; i < keywords->len; i++)
		if (memmem(lower, n, keywords->items[i], strlen(keywords->items[i])))
			return true;
	return false;
}

static bool has_stopword(const struct pg_strlist *stopwords, const char *lower, size_t n)
{
	size_t i;

	for (i = 0; i < stopwords->len; i++)
		if (memmem(lower, n, stopwords->items[i], strlen(stopwords->items[i])))
			return true;
	return false;
}

/* @return 1 an allow regex matches, 0 none, PG_ENOMEM; limit errors are counted and do not allow. */
static int allowed_by_regex(struct pg_scan_ctx *ctx, const struct pg_allowlist *allow,
			    size_t rule, const char *secret, size_t n)
{
	size_t i;
	int rc;

	for (i = 0; i < allow->regexes_len; i++) {
		rc = pcre2_match(allow->regexes[i].code, (PCRE2_SPTR)secret, n, 0, 0,
				 ctx->allow_md, ctx->allow_mctx);
		if (rc >= 0)
			return 1;
		if (rc == PCRE2_ERROR_NOMEMORY)
			return pg_error_oom();
		if (rc != PCRE2_ERROR_NOMATCH)
			ctx->limit_hits[rule]++;
	}
	return 0;
}

/* What keep_match() decides besides dropping (0) or an error. */
enum { KEEP = 1, KEEP_ALLOWED = 2 };

/* @return KEEP, KEEP_ALLOWED (only the inline comment is against it), 0 drop, or an error */
static int keep_match(struct pg_scan_ctx *ctx, const struct raw_match *m)
{
	const struct pg_rules *rules = ctx->scanner->rules;
	const struct pg_rule *rule = &rules->rules[m->rule];
	const char *secret = ctx->buf + m->span.secret_start;
	size_t n = m->span.secret_end - m->span.secret_start, i;
	const char *lower = NULL;
	int error;

	if (!n)
		return 0;
	/* Rule paths and allow paths were applied before confirmation (rule_applies). */
	if (rule->keywords.len) {
		line_find(ctx, m->span.match_start, m->span.match_end);
		if ((error = line_lower(ctx, &lower)) < 0)
			return error;
		if (!has_keyword(&rule->keywords, lower, ctx->line.end - ctx->line.start))
			return 0;
	}
	if (rule->min_entropy > 0 && pg_text_entropy(secret, n) < rule->min_entropy)
		return 0;
	if (rules->allow.stopwords.len || rule->allow.stopwords.len) {
		char *sl = pg_array_grow(ctx->secret_lower, &ctx->secret_lower_alloc, n + 1, 1);

		if (!sl)
			return pg_error_oom();
		ctx->secret_lower = sl;
		for (i = 0; i < n; i++)
			ctx->secret_lower[i] = (char)(secret[i] >= 'A' && secret[i] <= 'Z'
						      ? secret[i] + 32 : secret[i]);
		if (has_stopword(&rules->allow.stopwords, ctx->secret_lower, n) ||
		    has_stopword(&rule->allow.stopwords, ctx->secret_lower, n))
			return 0;
	}
	if ((error = allowed_by_regex(ctx, &rules->allow, m->rule, secret, n)) != 0 ||
	    (error = allowed_by_regex(ctx, &rule->allow, m->rule, secret, n)) != 0)
		return error < 0 ? error : 0;
	line_find(ctx, m->span.match_start, m->span.match_end);
	if (ctx->line.inline_allow < 0)
		ctx->line.inline_allow = memmem(ctx->buf + ctx->line.start,
						ctx->line.end - ctx->line.start,
						INLINE_ALLOW, strlen(INLINE_ALLOW)) != NULL;
	if (!ctx->line.inline_allow)
		return KEEP;
	return ctx->report_allowed ? KEEP_ALLOWED : 0;
}

/*
 * A generic rule restates what a specific rule already said when their
 * secrets overlap (`GH_TOKEN=ghp_...` is a GitHub token, not also a
 * generic assignment): keep only the specific finding.
 */
static bool covered_by_specific(const struct pg_scan_ctx *ctx, size_t i)
{
	const struct pg_rules *rules = ctx->scanner->rules;
	const struct raw_match *m = &ctx->raw[i], *o;
	size_t j;

	if (!rules->rules[m->rule].generic)
		return false;
	for (j = i; j-- > 0;) {
		o = &ctx->raw[j];
		if (o->kept && !rules->rules[o->rule].generic && o->span.secret_end > m->span.secret_start)
			return true;
		/* No secret is longer than the widest confirmation window. */
		if (m->span.secret_start - o->span.secret_start > PG_PCRE_VERIFY_WINDOW_MAX)
			break;
	}
	for (j = i + 1; j < ctx->raw_len; j++) {
		o = &ctx->raw[j];
		if (o->span.secret_start >= m->span.secret_end)
			break;
		if (o->kept && !rules->rules[o->rule].generic)
			return true;
	}
	return false;
}

static int report(struct pg_scan_ctx *ctx, pg_match_cb cb, void *payload)
{
	const struct pg_rules *rules = ctx->scanner->rules;
	const struct raw_match *m, *prev = NULL;
	struct pg_match match;
	size_t i;
	int rc;

	if (ctx->raw_len > 1)
		qsort(ctx->raw, ctx->raw_len, sizeof(*ctx->raw), raw_cmp);
	for (i = 0; i < ctx->raw_len; i++) {
		struct raw_match *r = &ctx->raw[i];

		r->kept = r->allowed = false;
		if (prev && prev->rule == r->rule && prev->span.secret_start == r->span.secret_start &&
		    prev->span.secret_end == r->span.secret_end)
			continue;
		prev = r;
		if ((rc = keep_match(ctx, r)) < 0)
			return rc;
		r->kept = rc != 0;
		r->allowed = rc == KEEP_ALLOWED;
	}
	for (i = 0; i < ctx->raw_len; i++) {
		m = &ctx->raw[i];
		if (!m->kept || covered_by_specific(ctx, i))
			continue;
		match.rule = &rules->rules[m->rule];
		match.rule_index = m->rule;
		match.secret_start = m->span.secret_start;
		match.secret_end = m->span.secret_end;
		match.match_start = m->span.match_start;
		match.match_end = m->span.match_end;
		match.inline_allowed = m->allowed;
		if ((rc = cb(&match, ctx->buf, payload)) != 0)
			return rc;
	}
	return 0;
}

static int stop_at_hit(unsigned int id, unsigned long long from, unsigned long long to,
		       unsigned int flags, void *payload)
{
	(void)id;
	(void)from;
	(void)to;
	(void)flags;
	(void)payload;
	return 1;
}

int pg_scan_buffer_may_match(struct pg_scan_ctx *ctx, const char *buf, size_t len)
{
	hs_error_t hrc;

	if (!len)
		return 0;
	if (len > UINT_MAX)
		return 1; /* the full scan says why it cannot */
	hrc = hs_scan(ctx->scanner->hs.db, buf, (unsigned int)len, 0, ctx->scratch, stop_at_hit,
		      NULL);
	if (hrc == HS_SCAN_TERMINATED)
		return 1;
	if (hrc != HS_SUCCESS)
		return pg_error_set(PG_ERROR, "Hyperscan scan failed (%d)", (int)hrc);
	return 0;
}

int pg_scan_buffer(struct pg_scan_ctx *ctx, const char *path, const char *buf,
		   size_t len, pg_match_cb cb, void *payload)
{
	struct pg_scan_where where = { path, NULL, false };

	return pg_scan_buffer_at(ctx, &where, buf, len, cb, payload);
}

int pg_scan_buffer_at(struct pg_scan_ctx *ctx, const struct pg_scan_where *where,
		      const char *buf, size_t len, pg_match_cb cb, void *payload)
{
	const struct pg_rules *rules = ctx->scanner->rules;
	const char *path = where->path;
	hs_error_t hrc;
	size_t i;
	int error = 0;

	if (!len)
		return 0;
	if (len > UINT_MAX)
		return pg_error_set(PG_ELIMIT, "%s: a scanned buffer is limited to %u bytes",
				    path ? path : "<stdin>", UINT_MAX);
	if (path && pg_strlist_glob_match_path(&rules->allow.paths, path))
		return 0;
	ctx->buf = buf;
	ctx->len = len;
	ctx->path = path;
	ctx->except_path = path ? where->except_path : NULL;
	ctx->report_allowed = where->report_allowed;
	ctx->generic_path = path ? -1 : 0;
	ctx->error = 0;
	ctx->raw_len = 0;
	memset(&ctx->line, 0, sizeof(ctx->line));
	/* Only rules with hits in the last buffer have state: most files have none. */
	for (i = 0; i < ctx->ntouched; i++) {
		ctx->path_verdicts[ctx->touched[i]] = PATH_UNKNOWN;
		pg_pcre_rule_state_reset(&ctx->states[ctx->touched[i]]);
	}
	ctx->ntouched = 0;

	hrc = hs_scan(ctx->scanner->hs.db, buf, (unsigned int)len, 0, ctx->scratch, on_hit, ctx);
	if (hrc == HS_SCAN_TERMINATED && ctx->error < 0) {
		error = ctx->error;
		goto out;
	}
	if (hrc != HS_SUCCESS) {
		error = pg_error_set(PG_ERROR, "Hyperscan scan failed (%d)", (int)hrc);
		goto out;
	}
	error = report(ctx, cb, payload);
out:
	ctx->buf = NULL;
	ctx->path = ctx->except_path = NULL;
	return error;
}
