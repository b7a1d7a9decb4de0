/*
 * workflow.c - checks on CI workflow files (see workflow.h): the YAML
 * walk and the public API.
 *
 * Reads the file with libyaml, maps each scalar's value back to its
 * place in the file, loads the env: scopes of the workflow, its jobs and
 * steps, and hands each run: script to workflow_checks.c and each
 * actions/github-script script to workflow_js.c. Owns the problem list:
 * never copies or prints a secret value, messages name references only
 * (secrets.X, env.X, $X) and what they quote from the file is masked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "common/array.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/text.h"
#include "common/yaml.h"
#include "scanners/workflow.h"
#include "scanners/workflow_checks.h"
#include "scanners/workflow_int.h"

/* The one list of checks: ids in reports, names in policies, default severities. */
static const struct check_info {
	const char *id;
	const char *name;
	enum pg_severity severity;
} checks[PG_WF_CHECKS] = {
	[PG_WF_SECRET_TO_LOG] = { "workflow-secret-to-log", "secret_to_log", PG_SEVERITY_REJECT },
	[PG_WF_SECRET_IN_ARGS] = { "workflow-secret-in-args", "secret_in_args", PG_SEVERITY_WARN },
	[PG_WF_SET_X_WITH_SECRETS] = { "workflow-set-x-with-secrets", "set_x_with_secrets",
				       PG_SEVERITY_WARN },
	[PG_WF_NO_HOST_KEY_CHECK] = { "workflow-no-host-key-check", "no_host_key_check",
				      PG_SEVERITY_WARN },
	[PG_WF_REMOTE_SCRIPT] = { "workflow-remote-script", "remote_script", PG_SEVERITY_WARN },
	[PG_WF_UNPARSABLE] = { "workflow-unparsable", "unparsable", PG_SEVERITY_WARN },
};

int pg_wf_buf_put_span(struct pg_buf *b, struct pg_wf_span s)
{
	int error;

	if (s.len <= PG_TEXT_NAME_MAX)
		return pg_buf_put_escaped_masked(b, s.ptr, s.len);
	if ((error = pg_buf_put_escaped_masked(b, s.ptr, PG_TEXT_NAME_MAX)) < 0)
		return error;
	return pg_buf_puts(b, "...");
}

int pg_wf_buf_put_text(struct pg_buf *b, const char *s)
{
	return pg_wf_buf_put_span(b, span_of(s, strlen(s)));
}

bool pg_wf_work_charge(struct pg_wf *wf, size_t n)
{
	if (wf->stopped)
		return false;
	wf->work += n;
	if (wf->work <= wf->work_limit)
		return true;
	wf->stopped = true;
	return false;
}

/* ---- lines of the file ---- */

/* Length of the line break at `i` as libyaml counts them, or 0. */
static size_t break_len(const char *b, size_t i, size_t len)
{
	unsigned char c = (unsigned char)b[i];

	if (c == '\n')
		return 1;
	if (c == '\r')
		return (i + 1 < len && b[i + 1] == '\n') ? 2 : 1;
	if (c == 0xc2 && i + 1 < len && (unsigned char)b[i + 1] == 0x85)
		return 2;
	if (c == 0xe2 && i + 2 < len && (unsigned char)b[i + 1] == 0x80 &&
	    ((unsigned char)b[i + 2] == 0xa8 || (unsigned char)b[i + 2] == 0xa9))
		return 3;
	return 0;
}

static int lines_index(struct pg_wf *wf)
{
	size_t i = 0, b, *p;

	p = pg_array_grow(NULL, &wf->aline, 1, sizeof(*p));
	if (!p)
		return pg_error_oom();
	wf->line_start = p;
	wf->line_start[wf->nlines++] = 0;
	while (i < wf->len) {
		b = break_len(wf->buf, i, wf->len);
		if (!b) {
			i++;
			continue;
		}
		i += b;
		p = pg_array_grow(wf->line_start, &wf->aline, wf->nlines + 1, sizeof(*p));
		if (!p)
			return pg_error_oom();
		wf->line_start = p;
		wf->line_start[wf->nlines++] = i;
	}
	return 0;
}

static bool utf8_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/* File offset of a libyaml mark (its column counts characters). */
static size_t mark_offset(const struct pg_wf *wf, const yaml_mark_t *mark)
{
	size_t off, col = 0;

	if (mark->line >= wf->nlines)
		return wf->len;
	off = wf->line_start[mark->line];
	while (off < wf->len && col < mark->column && !break_len(wf->buf, off, wf->len)) {
		off++;
		while (off < wf->len && utf8_continuation(wf->buf[off]))
			off++;
		col++;
	}
	return off;
}

/* 1-based line and character column of a file offset. */
static void offset_linecol(const struct pg_wf *wf, size_t off, size_t *line, size_t *col)
{
	size_t lo = 0, hi = wf->nlines, mid, i, c = 1;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (wf->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	for (i = wf->line_start[lo]; i < off && i < wf->len; i++)
		if (!utf8_continuation(wf->buf[i]))
			c++;
	*line = lo + 1;
	*col = c;
}

/* ---- scalar value to file positions ---- */

static bool only_separators(const char *v, size_t from, size_t to)
{
	size_t i;

	for (i = from; i < to; i++)
		if (v[i] != ' ' && v[i] != '\t' && v[i] != '\n' && v[i] != '\r')
			return false;
	return true;
}

/*
 * Map the value of a scalar to its source lines: each source line,
 * without indentation, appears whole in the value after separators only
 * (folding turns line breaks into spaces, literal blocks keep them).
 * Escapes in quoted scalars stop the mapping; later offsets then point at
 * the last line mapped.
 */
int pg_wf_segmap_build(struct pg_wf *wf, const yaml_node_t *node, struct pg_wf_segmap *m)
{
	const char *v = (const char *)node->data.scalar.value;
	size_t vlen = node->data.scalar.length, vp = 0;
	size_t rs = mark_offset(wf, &node->start_mark), re = mark_offset(wf, &node->end_mark);
	size_t p, le, a, z, b, line;
	yaml_scalar_style_t style = node->data.scalar.style;
	const char *hit;
	struct pg_wf_seg *items;

	m->len = 0;
	m->fallback = rs;
	if (style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE) {
		line = node->start_mark.line + 1;
		rs = line < wf->nlines ? wf->line_start[line] : wf->len;
	} else if (style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		   style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
		if (re > rs + 1) {
			rs++;
			re--;
		}
	}
	(void)pg_wf_work_charge(wf, re > rs ? re - rs : 0);
	for (p = rs; p < re;) {
		b = 0;
		for (le = p; le < re && !b; le++)
			b = break_len(wf->buf, le, wf->len);
		if (b)
			le--;
		a = p;
		z = le;
		while (a < z && (wf->buf[a] == ' ' || wf->buf[a] == '\t'))
			a++;
		while (z > a && (wf->buf[z - 1] == ' ' || wf->buf[z - 1] == '\t' || wf->buf[z - 1] == '\r'))
			z--;
		p = le < re ? le + b : re;
		if (z == a)
			continue;
		hit = memmem(v + vp, vlen - vp, wf->buf + a, z - a);
		if (!hit || !only_separators(v, vp, (size_t)(hit - v)))
			break;
		items = pg_array_grow(m->items, &m->alloc, m->len + 1, sizeof(*items));
		if (!items)
			return pg_error_oom();
		m->items = items;
		m->items[m->len].voff = (size_t)(hit - v);
		m->items[m->len].soff = a;
		m->items[m->len].len = z - a;
		m->len++;
		vp = (size_t)(hit - v) + (z - a);
	}
	return 0;
}

static size_t segmap_offset(const struct pg_wf_segmap *m, size_t voff)
{
	size_t lo = 0, hi = m->len, mid;
	const struct pg_wf_seg *s;

	if (!m->len)
		return m->fallback;
	if (voff < m->items[0].voff)
		return m->items[0].soff;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (m->items[mid].voff <= voff)
			lo = mid;
		else
			hi = mid;
	}
	s = &m->items[lo];
	if (voff < s->voff + s->len)
		return s->soff + (voff - s->voff);
	return s->soff + s->len;
}

void pg_wf_segmap_linecol(const struct pg_wf *wf, const struct pg_wf_segmap *m, size_t voff,
			  size_t *line, size_t *col)
{
	offset_linecol(wf, segmap_offset(m, voff), line, col);
}

/* ---- problems ---- */

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static int dup_or_null(const char *s, char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : pg_error_oom();
}

int pg_wf_problem_add(struct pg_wf *wf, enum pg_workflow_check check, size_t line, size_t col,
		      const struct pg_buf *what)
{
	struct pg_workflow_problems *out = wf->out;
	struct pg_workflow_problem *p, *items;
	struct pg_buf msg = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	size_t i;
	int error = 0;

	for (i = wf->first; i < out->len; i++) {
		p = &out->items[i];
		if (p->check == check && p->line == line && p->column == col &&
		    str_eq(p->job, wf->job) && str_eq(p->step, wf->step))
			return 0;
	}
	if (out->len - wf->first >= PG_WORKFLOW_MAX_PROBLEMS && check != PG_WF_UNPARSABLE) {
		/* Nothing more can be reported: stop analysing. */
		wf->full = wf->stopped = true;
		return 0;
	}
	if ((error = pg_wf_buf_put_text(&msg, wf->path)) < 0 ||
	    (error = pg_buf_printf(&msg, ":%zu: ", line)) < 0)
		goto out;
	if (wf->job) {
		if ((error = pg_buf_puts(&msg, "job '")) < 0 ||
		    (error = pg_wf_buf_put_text(&msg, wf->job)) < 0 ||
		    (error = pg_buf_putc(&msg, '\'')) < 0)
			goto out;
		if (wf->step &&
		    ((error = pg_buf_puts(&msg, ", step '")) < 0 ||
		     (error = pg_wf_buf_put_text(&msg, wf->step)) < 0 ||
		     (error = pg_buf_putc(&msg, '\'')) < 0))
			goto out;
		if ((error = pg_buf_puts(&msg, ": ")) < 0)
			goto out;
	} else if (check != PG_WF_UNPARSABLE && (error = pg_buf_puts(&msg, "workflow env: ")) < 0) {
		goto out;
	}
	if ((error = pg_buf_put(&msg, what->ptr, what->size)) < 0)
		goto out;
	items = pg_array_grow(out->items, &out->alloc, out->len + 1, sizeof(*items));
	if (!items) {
		error = pg_error_oom();
		goto out;
	}
	out->items = items;
	p = &out->items[out->len];
	memset(p, 0, sizeof(*p));
	p->check = check;
	p->id = checks[check].id;
	p->line = line;
	p->column = col;
	if ((error = dup_or_null(wf->job, &p->job)) < 0 ||
	    (error = dup_or_null(wf->step, &p->step)) < 0) {
		free(p->job);
		goto out;
	}
	p->message = pg_buf_detach(&msg);
	if (!p->message) {
		free(p->job);
		free(p->step);
		error = pg_error_oom();
		goto out;
	}
	out->len++;
out:
	pg_buf_release(&msg);
	return error;
}

static int unparsable_note(struct pg_wf *wf, size_t line, size_t col, const char *why,
			   const char *context, const char *tail)
{
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = pg_buf_puts(&what, "invalid workflow file (")) < 0 ||
	    (error = pg_wf_buf_put_text(&what, why)) < 0 ||
	    (context && ((error = pg_buf_puts(&what, " ")) < 0 ||
			 (error = pg_wf_buf_put_text(&what, context)) < 0)) ||
	    (error = pg_buf_puts(&what, tail)) < 0)
		goto out;
	error = pg_wf_problem_add(wf, PG_WF_UNPARSABLE, line, col, &what);
out:
	pg_buf_release(&what);
	return error;
}

static int unparsable(struct pg_wf *wf, size_t line, size_t col, const char *why,
		      const char *context)
{
	return unparsable_note(wf, line, col, why, context, "); it was not checked");
}

static int problem_compare(const void *a, const void *b)
{
	const struct pg_workflow_problem *x = a, *y = b;
	int c;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	c = strcmp(x->job ? x->job : "", y->job ? y->job : "");
	if (c)
		return c;
	return strcmp(x->step ? x->step : "", y->step ? y->step : "");
}

/* ---- env: maps ---- */

static int env_load(struct pg_wf *wf, yaml_node_t *map, enum pg_wf_env_level level)
{
	struct pg_wf_segmap m = { 0 };
	yaml_node_pair_t *pair;
	yaml_node_t *key, *value;
	const char *name;
	struct pg_wf_span origin;
	int error = 0;

	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		if (!pg_wf_work_charge(wf, 16))
			break;
		key = yaml_document_get_node(&wf->y.doc, pair->key);
		value = yaml_document_get_node(&wf->y.doc, pair->value);
		name = pg_yaml_scalar(key);
		if (!name || !value || value->type != YAML_SCALAR_NODE)
			continue;
		origin = pg_wf_value_secret(wf, (const char *)value->data.scalar.value,
					    value->data.scalar.length);
		if ((error = pg_wf_env_set(wf, &wf->env[level], span_of(name, key->data.scalar.length),
					   origin)) < 0)
			goto out;
		if ((error = pg_wf_segmap_build(wf, value, &m)) < 0 ||
		    (error = pg_wf_hostkey_scan(wf, &m, (const char *)value->data.scalar.value, 0,
						value->data.scalar.length)) < 0)
			goto out;
	}
out:
	free(m.items);
	return error;
}

/* defaults: run: shell: of a workflow or job, else `inherited`. */
static const char *defaults_shell(struct pg_wf *wf, yaml_node_t *node, const char *inherited)
{
	yaml_node_t *run = pg_yaml_map_get(&wf->y, pg_yaml_map_get(&wf->y, node, "defaults"), "run");
	const char *shell = pg_yaml_scalar(pg_yaml_map_get(&wf->y, run, "shell"));

	return shell ? shell : inherited;
}

static int check_step(struct pg_wf *wf, yaml_node_t *step, size_t n, const char *shell)
{
	const char *name = pg_yaml_scalar(pg_yaml_map_get(&wf->y, step, "name"));
	const char *own = pg_yaml_scalar(pg_yaml_map_get(&wf->y, step, "shell"));
	yaml_node_t *run = pg_yaml_map_get(&wf->y, step, "run");
	const char *uses = pg_yaml_scalar(pg_yaml_map_get(&wf->y, step, "uses"));
	yaml_node_t *script = pg_yaml_map_get(&wf->y, pg_yaml_map_get(&wf->y, step, "with"), "script");
	int error;

	if (name && *name) {
		wf->step = name;
	} else {
		snprintf(wf->step_label, sizeof(wf->step_label), "step %zu", n);
		wf->step = wf->step_label;
	}
	wf->env[PG_WF_ENV_STEP].len = 0;
	if ((error = env_load(wf, pg_yaml_map_get(&wf->y, step, "env"), PG_WF_ENV_STEP)) < 0)
		goto out;
	if (run && run->type == YAML_SCALAR_NODE)
		error = pg_wf_run_check(wf, run, own ? own : shell);
	else if (uses && pg_wf_github_script_uses(uses) && script && script->type == YAML_SCALAR_NODE)
		error = pg_wf_github_script_check(wf, script);
out:
	wf->step = NULL;
	return error;
}

static int check_job(struct pg_wf *wf, const char *id, yaml_node_t *job, const char *shell)
{
	yaml_node_t *steps = pg_yaml_map_get(&wf->y, job, "steps"), *item;
	size_t i;
	int error;

	wf->job = id;
	wf->env[PG_WF_ENV_JOB].len = 0;
	wf->env[PG_WF_ENV_DYNAMIC].len = 0;
	shell = defaults_shell(wf, job, shell);
	if ((error = env_load(wf, pg_yaml_map_get(&wf->y, job, "env"), PG_WF_ENV_JOB)) < 0)
		goto out;
	for (i = 0; steps && i < pg_yaml_seq_len(steps); i++) {
		item = pg_yaml_seq_item(&wf->y, steps, i);
		if (!pg_wf_work_charge(wf, 64))
			break;
		if (item && item->type == YAML_MAPPING_NODE &&
		    (error = check_step(wf, item, i + 1, shell)) < 0)
			goto out;
	}
out:
	wf->job = NULL;
	return error;
}

static int check_root(struct pg_wf *wf)
{
	yaml_node_t *root = pg_yaml_root(&wf->y), *jobs, *key, *value;
	yaml_node_pair_t *pair;
	const char *shell, *id;
	int error;

	if (!root || root->type != YAML_MAPPING_NODE) {
		const char *s = pg_yaml_scalar(root);

		return unparsable(wf, root ? root->start_mark.line + 1 : 1,
				  root ? root->start_mark.column + 1 : 1,
				  s && !*s ? "the file is empty" : "the top level is not a mapping",
				  NULL);
	}
	shell = defaults_shell(wf, root, NULL);
	if ((error = env_load(wf, pg_yaml_map_get(&wf->y, root, "env"), PG_WF_ENV_WORKFLOW)) < 0)
		return error;
	jobs = pg_yaml_map_get(&wf->y, root, "jobs");
	if (!jobs || jobs->type != YAML_MAPPING_NODE)
		return 0;
	for (pair = jobs->data.mapping.pairs.start; pair < jobs->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(&wf->y.doc, pair->key);
		value = yaml_document_get_node(&wf->y.doc, pair->value);
		id = pg_yaml_scalar(key);
		if (!id || !value || value->type != YAML_MAPPING_NODE)
			continue;
		if (wf->stopped)
			break;
		if ((error = check_job(wf, id, value, shell)) < 0)
			return error;
	}
	return 0;
}

static int parser_problem(struct pg_wf *wf, const yaml_parser_t *parser)
{
	const yaml_mark_t *mark = parser->problem ? &parser->problem_mark : &parser->context_mark;

	if (parser->error == YAML_MEMORY_ERROR)
		return pg_error_oom();
	return unparsable(wf, mark->line + 1, mark->column + 1,
			  parser->problem ? parser->problem : "invalid YAML", parser->context);
}

/*
 * Parse the events once to bound what the loader will build: one
 * document, nesting at most PG_WORKFLOW_MAX_DEPTH. *ok tells whether
 * the file may be loaded.
 */
static int parse_check(struct pg_wf *wf, bool *ok)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	yaml_mark_t mark;
	size_t depth = 0, docs = 0;
	bool done = false;
	int error = 0;

	*ok = false;
	if (!yaml_parser_initialize(&parser))
		return pg_error_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)wf->buf, wf->len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			error = parser_problem(wf, &parser);
			goto out;
		}
		mark = ev.start_mark;
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			docs++;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (docs > 1) {
			error = unparsable(wf, mark.line + 1, mark.column + 1,
					   "more than one YAML document", NULL);
			goto out;
		}
		if (depth > PG_WORKFLOW_MAX_DEPTH) {
			error = unparsable(wf, mark.line + 1, mark.column + 1,
					   "nested more than 64 levels deep", NULL);
			goto out;
		}
	}
	if (!docs) {
		error = unparsable(wf, 1, 1, "the file is empty", NULL);
		goto out;
	}
	*ok = true;
out:
	yaml_parser_delete(&parser);
	return error;
}

static int load(struct pg_wf *wf, bool *ok)
{
	yaml_parser_t parser;
	int error = 0;

	*ok = false;
	if (!yaml_parser_initialize(&parser))
		return pg_error_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)wf->buf, wf->len);
	if (!yaml_parser_load(&parser, &wf->y.doc)) {
		/* libyaml has freed the partial document. */
		error = parser_problem(wf, &parser);
		goto out;
	}
	wf->y.loaded = true;
	*ok = true;
out:
	yaml_parser_delete(&parser);
	return error;
}

/* ---- public ---- */

/*
 * Gitea (modules/actions/workflows.go) runs every blob under
 * .gitea/workflows, or under .github/workflows when the first is missing,
 * at any depth (ListEntriesRecursiveFast), whose name ends in .yml or
 * .yaml, ".yml" itself included. Both directories are checked because
 * which one runs depends on the whole tree, not on this file; Forgejo's
 * .forgejo/workflows too. The extension is compared without case: a file
 * that may run is checked, one that cannot costs nothing. policy/push_rules.c
 * preselects with the same directories.
 */
static const char *const workflow_dirs[] = {
	".gitea/workflows/", ".github/workflows/", ".forgejo/workflows/", NULL
};

static bool ends_with_icase(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && ieq(s + n - k, k, suffix);
}

bool pg_workflow_path_matches(const char *path)
{
	size_t i, n, len;

	if (!path)
		return false;
	len = strlen(path);
	for (i = 0; workflow_dirs[i]; i++) {
		n = strlen(workflow_dirs[i]);
		if (len > n && !strncmp(path, workflow_dirs[i], n))
			return ends_with_icase(path + n, len - n, ".yml") ||
			       ends_with_icase(path + n, len - n, ".yaml");
	}
	return false;
}

int pg_workflow_check(struct pg_workflow_problems *out, const char *path,
		      const char *buf, size_t len)
{
	struct pg_wf wf;
	bool ok = false;
	int error = 0, level;

	memset(&wf, 0, sizeof(wf));
	wf.out = out;
	wf.first = out->len;
	wf.path = path;
	wf.buf = buf;
	wf.len = len;
	wf.work_limit = 16 * PG_WORKFLOW_MAX_SIZE;
	if (len > PG_WORKFLOW_MAX_SIZE) {
		error = unparsable(&wf, 1, 1, "larger than 1 MiB", NULL);
		goto out;
	}
	if ((error = lines_index(&wf)) < 0 || (error = parse_check(&wf, &ok)) < 0 || !ok ||
	    (error = load(&wf, &ok)) < 0 || !ok || (error = check_root(&wf)) < 0)
		goto out;
	if (wf.stopped && !wf.full)
		error = unparsable_note(&wf, 1, 1, "too much work: aliases or scripts too large to check", NULL,
					"); it was checked only in part");
out:
	if (out->len > wf.first)
		qsort(out->items + wf.first, out->len - wf.first, sizeof(*out->items), problem_compare);
	pg_yaml_free(&wf.y);
	for (level = 0; level < PG_WF_ENV_LEVELS; level++)
		free(wf.env[level].items);
	free(wf.line_start);
	return error;
}

void pg_workflow_problems_clear(struct pg_workflow_problems *p)
{
	size_t i;

	for (i = 0; i < p->len; i++) {
		free(p->items[i].job);
		free(p->items[i].step);
		free(p->items[i].message);
	}
	free(p->items);
	p->items = NULL;
	p->len = p->alloc = 0;
}

enum pg_severity pg_workflow_default_severity(enum pg_workflow_check c)
{
	if ((size_t)c >= PG_WF_CHECKS)
		return PG_SEVERITY_WARN;
	return checks[c].severity;
}

const char *pg_workflow_check_id(enum pg_workflow_check c)
{
	if ((size_t)c >= PG_WF_CHECKS)
		return "workflow-unknown";
	return checks[c].id;
}

const char *pg_workflow_check_name(enum pg_workflow_check c)
{
	if ((size_t)c >= PG_WF_CHECKS)
		return NULL;
	return checks[c].name;
}
