/*
 * workflow_js.c - the checks on actions/github-script steps (see
 * workflow_checks.h).
 *
 * Their `script:` is JavaScript. Not a JS parser: strings, template
 * literals, comments and brackets are followed well enough to find
 * declarations (const t = ...), assignments and logging calls, and what
 * refers to a secret: ${{ secrets.X }} (interpolated before the script
 * runs, so inside strings too), process.env.X where X holds a secret,
 * and variables assigned from either.
 */
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "scanners/workflow_checks.h"

/* Nesting of template literals and ${ } followed. */
#define MAX_JS_DEPTH 16

static bool is_js_start(char c)
{
	return is_var_start(c) || c == '$';
}

static bool is_js_char(char c)
{
	return is_var_char(c) || c == '$';
}

static size_t js_code_end(const char *s, size_t i, size_t end, const char *stops, int depth);

/* Offset after the expression "${{" at i. */
static size_t js_skip_expr(const char *s, size_t i, size_t end)
{
	size_t close = pg_wf_expr_close(s, i, end);

	return close < end ? close + 2 : end;
}

/*
 * Offset after the string, template literal or comment that starts at i,
 * or i if none starts there.
 */
static size_t js_skip_literal(const char *s, size_t i, size_t end, int depth)
{
	const char *p;
	char q = s[i];

	if (q == '/' && i + 1 < end && s[i + 1] == '/') {
		p = memchr(s + i, '\n', end - i);
		return p ? (size_t)(p - s) : end;
	}
	if (q == '/' && i + 1 < end && s[i + 1] == '*') {
		p = i + 2 < end ? memmem(s + i + 2, end - i - 2, "*/", 2) : NULL;
		return p ? (size_t)(p - s) + 2 : end;
	}
	if (q != '\'' && q != '"' && q != '`')
		return i;
	for (i++; i < end && s[i] != q; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (starts_at(s, i, end, "${{")) {
			i = js_skip_expr(s, i, end) - 1;
		} else if (q == '`' && starts_at(s, i, end, "${")) {
			if (depth >= MAX_JS_DEPTH)
				return end;
			i = js_code_end(s, i + 2, end, "", depth + 1);
		} else if (q != '`' && s[i] == '\n') {
			return i;
		}
	}
	return i < end ? i + 1 : end;
}

/*
 * The end of the code at i: the first byte of `stops` outside brackets,
 * literals and expressions, or an unmatched closing bracket. A newline in
 * `stops` ends the code only where a statement can end (not after an
 * operator or before a continuation).
 */
static size_t js_code_end(const char *s, size_t i, size_t end, const char *stops, int depth)
{
	size_t level = 0, k, j;
	char last = 0;

	while (i < end) {
		char c = s[i];

		if (starts_at(s, i, end, "${{")) {
			i = js_skip_expr(s, i, end);
			last = 'x';
			continue;
		}
		k = js_skip_literal(s, i, end, depth);
		if (k != i) {
			if (s[i] != '/')
				last = 'x';
			i = k;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			level++;
		} else if (c == ')' || c == ']' || c == '}') {
			if (!level)
				return i;
			level--;
		} else if (!level && c && strchr(stops, c)) {
			if (c != '\n')
				return i;
			for (j = i + 1; j < end && (is_blank(s[j]) || s[j] == '\n'); j++)
				;
			if (last && !strchr("=+-*/%&|^!?:,.<>", last) &&
			    (j >= end || !strchr(".?+-*/%&|^:,=<>", s[j])))
				return i;
		}
		if (!is_blank(c) && c != '\n')
			last = c;
		i++;
	}
	return end;
}

static const struct pg_wf_env_var *js_var(const struct pg_wf_script *sh, struct pg_wf_span name)
{
	size_t j;

	for (j = sh->local.len; j > 0; j--)
		if (span_eq(sh->local.items[j - 1].name, name, false))
			return &sh->local.items[j - 1];
	return NULL;
}

/* Identifier at i (not a property); its end in *e. */
static bool js_ident_at(const char *s, size_t i, size_t end, size_t start, size_t *e)
{
	size_t k;

	if (!is_js_start(s[i]) || (i > start && (is_js_char(s[i - 1]) || s[i - 1] == '.')))
		return false;
	for (k = i; k < end && is_js_char(s[k]); k++)
		;
	*e = k;
	return true;
}

/* process.env.NAME or process.env['NAME'] at i: the name. */
static bool js_process_env(const char *s, size_t i, size_t end, struct pg_wf_span *name, size_t *e)
{
	size_t k = i + 11, a;
	char q;

	if (!starts_at(s, i, end, "process.env"))
		return false;
	if (k < end && s[k] == '.') {
		for (a = ++k; k < end && is_js_char(s[k]); k++)
			;
	} else if (k + 1 < end && s[k] == '[' && (s[k + 1] == '\'' || s[k + 1] == '"')) {
		q = s[k + 1];
		for (a = k += 2; k < end && s[k] != q && s[k] != '\n'; k++)
			;
		if (k < end && s[k] == q)
			k++;
		if (k < end && s[k] == ']')
			k++;
		*name = span_of(s + a, k >= a + 2 ? k - a - 2 : 0);
		*e = k;
		return name->len > 0;
	} else {
		return false;
	}
	*name = span_of(s + a, k - a);
	*e = k;
	return name->len > 0;
}

/*
 * The first reference to a secret in the JS code s[a, b), into *r:
 * expressions anywhere, process.env.X and tainted variables in code.
 */
static bool js_secret(struct pg_wf_script *sh, size_t a, size_t b, struct pg_wf_ref *r, int depth)
{
	const char *s = sh->s;
	const struct pg_wf_env_var *var;
	struct pg_wf_ref hit;
	struct pg_wf_span name;
	size_t i = a, k, e, close;

	while (i < b && pg_wf_work_charge(sh->wf, 1)) {
		if (starts_at(s, i, b, "${{")) {
			close = pg_wf_expr_close(s, i, b);
			k = i + 3;
			if (pg_wf_expr_secret_next(sh->wf, s, &k, close, &hit)) {
				*r = hit;
				return true;
			}
			i = close < b ? close + 2 : b;
			continue;
		}
		if (s[i] == '\'' || s[i] == '"' || s[i] == '`') {
			/* Only expressions and ${ } code count inside literals. */
			char q = s[i];

			for (i++; i < b && s[i] != q; i++) {
				if (s[i] == '\\') {
					i++;
				} else if (starts_at(s, i, b, "${{")) {
					if (js_secret(sh, i, js_skip_expr(s, i, b), r, depth))
						return true;
					i = js_skip_expr(s, i, b) - 1;
				} else if (q == '`' && starts_at(s, i, b, "${") && depth < MAX_JS_DEPTH) {
					close = js_code_end(s, i + 2, b, "", depth + 1);
					if (js_secret(sh, i + 2, close, r, depth + 1))
						return true;
					i = close;
				}
			}
			i++;
			continue;
		}
		k = js_skip_literal(s, i, b, depth);
		if (k != i) {
			i = k;
			continue;
		}
		if (!js_ident_at(s, i, b, a, &e)) {
			i++;
			continue;
		}
		if (js_process_env(s, i, b, &name, &e)) {
			var = pg_wf_env_find(sh->wf, NULL, name, false);
			if (var && var->origin.len) {
				r->kind = PG_WF_REF_ENV_EXPR;
				r->off = i;
				r->name = span_of(s + i, e - i);
				r->origin = var->origin;
				return true;
			}
		} else if ((var = js_var(sh, span_of(s + i, e - i))) && var->origin.len &&
			   !starts_at(s, e, b, ".length")) {
			r->kind = PG_WF_REF_ENV_EXPR;
			r->off = i;
			r->name = var->name;
			r->origin = var->origin;
			return true;
		}
		i = e;
	}
	return false;
}

static const char *const js_loggers[] = {
	"console.log", "console.info", "console.warn", "console.error", "console.debug",
	"console.trace", "console.dir", "console.table", "core.info", "core.debug",
	"core.warning", "core.notice", "core.error", "core.setFailed", "core.startGroup",
	"process.stdout.write", "process.stderr.write", NULL
};

/* NAME = value, from `at` (after the name): taint NAME by what the value refers to. */
static int js_assign(struct pg_wf_script *sh, struct pg_wf_span name, size_t at, size_t *next)
{
	struct pg_wf_span origin = { NULL, 0 };
	struct pg_wf_ref r;
	size_t end = js_code_end(sh->s, at, sh->len, ";,\n", 0);

	*next = end;
	if (!pg_wf_work_charge(sh->wf, end - at))
		return 0;
	if (js_secret(sh, at, end, &r, 0))
		origin = r.kind == PG_WF_REF_SECRET ? r.name : r.origin;
	*next = end;
	return pg_wf_env_set(sh->wf, &sh->local, name, origin);
}

static int js_walk(struct pg_wf_script *sh)
{
	const char *s = sh->s;
	struct pg_wf_span name;
	struct pg_wf_ref r;
	size_t i = 0, k, e, j, close, n;
	bool declared;
	int error;

	while (i < sh->len && pg_wf_work_charge(sh->wf, 1)) {
		if (starts_at(s, i, sh->len, "${{")) {
			i = js_skip_expr(s, i, sh->len);
			continue;
		}
		k = js_skip_literal(s, i, sh->len, 0);
		if (k != i) {
			i = k;
			continue;
		}
		if (!js_ident_at(s, i, sh->len, 0, &e)) {
			i++;
			continue;
		}
		/* A member chain: console.log, process.stdout.write. */
		while (e + 1 < sh->len && s[e] == '.' && is_js_start(s[e + 1]))
			for (e++; e < sh->len && is_js_char(s[e]); e++)
				;
		name = span_of(s + i, e - i);
		for (j = e; j < sh->len && is_blank(s[j]); j++)
			;
		declared = ieq(name.ptr, name.len, "const") || ieq(name.ptr, name.len, "let") ||
			   ieq(name.ptr, name.len, "var");
		if (declared) {
			/* const a = x, b = y */
			for (;;) {
				for (; j < sh->len && (is_blank(s[j]) || s[j] == '\n'); j++)
					;
				for (k = j; k < sh->len && is_js_char(s[k]); k++)
					;
				if (k == j)
					break;
				name = span_of(s + j, k - j);
				for (j = k; j < sh->len && is_blank(s[j]); j++)
					;
				if (j >= sh->len || s[j] != '=' || (j + 1 < sh->len && s[j + 1] == '='))
					break;
				if ((error = js_assign(sh, name, j + 1, &j)) < 0)
					return error;
				if (j >= sh->len || s[j] != ',')
					break;
				j++;
			}
			i = j > e ? j : e;
			continue;
		}
		if (j < sh->len && s[j] == '=' && !(j + 1 < sh->len && (s[j + 1] == '=' || s[j + 1] == '>')) &&
		    !memchr(name.ptr, '.', name.len)) {
			if ((error = js_assign(sh, name, j + 1, &i)) < 0)
				return error;
			continue;
		}
		for (n = 0; js_loggers[n] && !(name.len == strlen(js_loggers[n]) &&
					       !memcmp(name.ptr, js_loggers[n], name.len)); n++)
			;
		if (js_loggers[n] && j < sh->len && s[j] == '(') {
			close = js_code_end(s, j + 1, sh->len, "", 0);
			if (pg_wf_work_charge(sh->wf, close - j) && js_secret(sh, j + 1, close, &r, 0) &&
			    (error = pg_wf_script_ref_report(sh, PG_WF_JS_TO_LOG, &r, name)) < 0)
				return error;
		}
		i = e;
	}
	return 0;
}

bool pg_wf_github_script_uses(const char *uses)
{
	static const char action[] = "actions/github-script";
	const char *p = uses, *slash;
	size_t n = sizeof(action) - 1;

	if (!strncmp(p, "https://", 8) || !strncmp(p, "http://", 7)) {
		slash = strchr(strstr(p, "//") + 2, '/');
		if (!slash)
			return false;
		p = slash + 1;
	}
	return strlen(p) >= n && ieq(p, n, action) && (p[n] == '\0' || p[n] == '@');
}

/* Was the reference at `off` reported as logged? Then it is not also a warning. */
static bool js_logged(const struct pg_wf_script *sh, size_t off)
{
	const struct pg_workflow_problems *out = sh->wf->out;
	size_t line, col, i;

	pg_wf_segmap_linecol(sh->wf, &sh->map, off, &line, &col);
	for (i = sh->wf->first; i < out->len; i++)
		if (out->items[i].check == PG_WF_SECRET_TO_LOG && out->items[i].line == line &&
		    out->items[i].column == col)
			return true;
	return false;
}

int pg_wf_github_script_check(struct pg_wf *wf, const yaml_node_t *node)
{
	static const char label[] = "actions/github-script";
	struct pg_wf_script sh;
	struct pg_wf_line ln;
	size_t k;
	int error;

	memset(&sh, 0, sizeof(sh));
	memset(&ln, 0, sizeof(ln));
	sh.wf = wf;
	sh.node = node;
	sh.s = (const char *)node->data.scalar.value;
	sh.len = node->data.scalar.length;
	if ((error = pg_wf_segmap_build(wf, node, &sh.map)) < 0 || (error = js_walk(&sh)) < 0)
		goto out;
	/* Interpolated secrets become part of the script: warn, as for pwsh. */
	if ((error = pg_wf_shell_refs_scan(&ln, sh.s, 0, sh.len, 0)) < 0)
		goto out;
	pg_wf_script_refs_resolve(&sh, &ln, false);
	for (k = 0; k < ln.nrefs; k++) {
		if (js_logged(&sh, ln.refs[k].off))
			continue;
		if ((error = pg_wf_script_ref_report(&sh, PG_WF_IN_JS, &ln.refs[k],
						   span_of(label, sizeof(label) - 1))) < 0)
			goto out;
	}
	error = pg_wf_hostkey_scan(wf, &sh.map, sh.s, 0, sh.len);
out:
	pg_wf_shell_line_free(&ln);
	free(sh.map.items);
	free(sh.local.items);
	return error;
}
