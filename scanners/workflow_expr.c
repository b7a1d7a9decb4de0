/*
 * workflow_expr.c - ${{ }} expressions and env: scopes (see workflow_expr.h).
 *
 * Reads expressions only as far as finding names: operators, functions
 * and literals are stepped over, so secrets.X is found wherever it is.
 */
#include <string.h>

#include "common/array.h"
#include "common/error.h"
#include "scanners/workflow_expr.h"
#include "scanners/workflow_int.h"

size_t pg_wf_expr_close(const char *s, size_t open, size_t end)
{
	const char *p;

	if (open + 3 >= end)
		return end;
	p = memmem(s + open + 3, end - open - 3, "}}", 2);
	return p ? (size_t)(p - s) : end;
}

/* The end of secrets, secrets.X or secrets['X']; `i` is just past "secrets". */
static size_t secret_end(const char *s, size_t i, size_t close)
{
	if (i < close && s[i] == '.') {
		for (i++; i < close && is_expr_char(s[i]); i++)
			;
	} else if (i < close && s[i] == '[') {
		while (i < close && s[i] != ']')
			i++;
		if (i < close)
			i++;
	}
	return i;
}

static void ref_set(struct pg_wf_ref *r, enum pg_wf_ref_kind kind, const char *s, size_t a,
		    size_t b)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->off = a;
	r->name = span_of(s + a, b - a);
}

bool pg_wf_expr_ref_next(const char *s, size_t *k, size_t close, struct pg_wf_ref *out)
{
	size_t i = *k, a, b;

	while (i < close) {
		if (s[i] == '\'') {
			for (i++; i < close && s[i] != '\''; i++)
				;
			i++;
			continue;
		}
		if (!is_var_start(s[i]) || (i > 0 && (is_expr_char(s[i - 1]) || s[i - 1] == '.'))) {
			i++;
			continue;
		}
		for (a = i; i < close && is_expr_char(s[i]); i++)
			;
		if (ieq(s + a, i - a, "secrets")) {
			*k = secret_end(s, i, close);
			ref_set(out, PG_WF_REF_SECRET, s, a, *k);
			return true;
		}
		if (ieq(s + a, i - a, "env") && i < close && s[i] == '.') {
			for (b = i + 1; b < close && is_expr_char(s[b]); b++)
				;
			ref_set(out, PG_WF_REF_ENV_EXPR, s, a, b);
			out->var = span_of(s + i + 1, b - i - 1);
			*k = b;
			return true;
		}
	}
	*k = close;
	return false;
}

bool pg_wf_expr_secret_next(struct pg_wf *wf, const char *s, size_t *k, size_t close,
			    struct pg_wf_ref *out)
{
	while (pg_wf_expr_ref_next(s, k, close, out))
		if (pg_wf_ref_resolve(wf, NULL, out))
			return true;
	return false;
}

struct pg_wf_span pg_wf_value_secret(struct pg_wf *wf, const char *s, size_t len)
{
	struct pg_wf_span none = { NULL, 0 };
	struct pg_wf_ref hit;
	const char *p;
	size_t open = 0, close, k;

	while (open < len) {
		p = memmem(s + open, len - open, "${{", 3);
		if (!p)
			break;
		open = (size_t)(p - s);
		close = pg_wf_expr_close(s, open, len);
		k = open + 3;
		if (pg_wf_expr_secret_next(wf, s, &k, close, &hit))
			return hit.origin;
		open = close;
	}
	return none;
}

bool pg_wf_ref_resolve(struct pg_wf *wf, const struct pg_wf_env_list *local, struct pg_wf_ref *r)
{
	const struct pg_wf_env_var *var;
	bool shell = r->kind == PG_WF_REF_SHELL;

	r->origin = span_of(NULL, 0);
	if (r->kind == PG_WF_REF_SECRET) {
		r->origin = r->name;
		return true;
	}
	var = pg_wf_env_find(wf, shell ? local : NULL, r->var, !shell);
	if (var && var->origin.len)
		r->origin = var->origin;
	return r->origin.len > 0;
}

const struct pg_wf_env_var *pg_wf_env_find(struct pg_wf *wf, const struct pg_wf_env_list *local,
					   struct pg_wf_span name, bool icase)
{
	const struct pg_wf_env_list *lists[PG_WF_ENV_LEVELS + 1];
	size_t n = 0, i, j;
	int level;

	if (local)
		lists[n++] = local;
	for (level = PG_WF_ENV_LEVELS - 1; level >= 0; level--)
		lists[n++] = &wf->env[level];
	for (i = 0; i < n; i++) {
		for (j = lists[i]->len; j > 0; j--)
			if (span_eq(lists[i]->items[j - 1].name, name, icase))
				break;
		if (!pg_wf_work_charge(wf, lists[i]->len - j + 1))
			return NULL;
		if (j > 0)
			return &lists[i]->items[j - 1];
	}
	return NULL;
}

int pg_wf_env_set(struct pg_wf *wf, struct pg_wf_env_list *list, struct pg_wf_span name,
		  struct pg_wf_span origin)
{
	struct pg_wf_env_var *items;
	size_t j;

	for (j = 0; j < list->len; j++) {
		if (span_eq(list->items[j].name, name, false)) {
			list->items[j].origin = origin;
			break;
		}
	}
	if (!pg_wf_work_charge(wf, j + 1) || j < list->len)
		return 0;
	items = pg_array_grow(list->items, &list->alloc, list->len + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	list->items = items;
	list->items[list->len].name = name;
	list->items[list->len].origin = origin;
	list->len++;
	return 0;
}
