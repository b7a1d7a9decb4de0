/*
 * workflow.c - checks on CI workflow files (see workflow.h).
 *
 * Reads the YAML with libyaml, each run: script with a small,
 * conservative shell tokenizer and each actions/github-script script with
 * a smaller JavaScript one. Never copies or prints a secret value:
 * messages name references only (secrets.X, env.X, $X), and what they
 * quote from the file is masked.
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

#define NO_WORD SIZE_MAX
/* Nesting of $( ), ` `, <( ) and heredoc bodies analysed as scripts. */
#define MAX_SHELL_DEPTH 8
/* Bytes kept for a word when comparing it with command names and flags. */
#define WORD_TEXT_MAX 64

struct span {
	const char *ptr;
	size_t len;
};

/* One environment variable in scope; `origin` names the secret it holds. */
struct env_var {
	struct span name;
	struct span origin; /* e.g. "secrets.X"; len 0 when not from a secret */
};

struct env_list {
	struct env_var *items;
	size_t len, alloc;
};

enum env_level { ENV_WORKFLOW, ENV_JOB, ENV_DYNAMIC, ENV_STEP, ENV_LEVELS };

struct seg {
	size_t voff; /* offset in the scalar's value */
	size_t soff; /* offset of the same bytes in the file */
	size_t len;
};

/* Where the bytes of a scalar's value sit in the file. */
struct segmap {
	struct seg *items;
	size_t len, alloc;
	size_t fallback; /* file offset of the scalar's start */
};

struct wf {
	struct pg_workflow_problems *out;
	size_t first;            /* problems before this index are the caller's */
	const char *path;
	const char *buf;
	size_t len;
	size_t *line_start;      /* owned: file offset of each line */
	size_t nlines, aline;
	struct pg_yaml y;
	size_t work, work_limit;
	bool stopped;            /* work limit or problem limit reached: stop analysing */
	bool full;               /* PG_WORKFLOW_MAX_PROBLEMS reached */
	const char *job;         /* borrowed from the document, or NULL */
	const char *step;        /* borrowed from the document or step_label */
	char step_label[32];
	struct env_list env[ENV_LEVELS];
};

enum ref_kind {
	REF_SECRET,   /* ${{ secrets.X }} */
	REF_ENV_EXPR, /* ${{ env.X }} where X holds a secret */
	REF_SHELL     /* $X or ${X} where X holds a secret */
};

struct ref {
	enum ref_kind kind;
	size_t off;
	struct span name;   /* "secrets.X", "env.X", or the variable name */
	struct span origin; /* the secret an env reference was set from */
};

enum sep { SEP_END, SEP_SEQ, SEP_AND, SEP_OR, SEP_PIPE, SEP_BG };

struct word {
	size_t start, end;
	size_t ref_first, ref_len;
	bool assign; /* NAME=value before the command name */
	bool redir;  /* the target of a redirection or a heredoc delimiter */
};

struct cmd {
	size_t word_first, word_len;
	bool out_file;        /* standard output goes to a file, not the log */
	size_t out_word;      /* target of the last stdout redirection */
	size_t herestring;    /* word after <<<, or NO_WORD */
	enum sep sep;         /* what follows the command */
	/* Set by line_prepare() once the line is read: */
	size_t name;          /* index of the command name word, or NO_WORD */
	bool to_log;          /* standard output reaches the job log */
	bool after_download;  /* curl or wget pipes into this command */
	size_t via;           /* standard output reaches the log through this
			       * transforming command (base64, xxd...), or NO_WORD */
};

struct heredoc {
	size_t cmd, word;
	bool strip, quoted;
	size_t body_start, body_end;
	size_t ref_first, ref_len;
};

struct subst {
	size_t start, end;
};

/* One line of a script (to the next unquoted newline), tokenized. */
struct line {
	bool remote;  /* a script run elsewhere (heredoc body): no secret checks */
	bool open;    /* the last command still takes words */
	bool more;    /* the line ended with | && ||: the next line continues it */
	struct cmd *cmds;
	size_t ncmds, acmds;
	struct word *words;
	size_t nwords, awords;
	struct ref *refs;
	size_t nrefs, arefs;
	struct heredoc *docs;
	size_t ndocs, adocs;
	struct subst *substs;
	size_t nsubsts, asubsts;
};

/* One run: value being analysed. */
struct script {
	struct wf *wf;
	const yaml_node_t *node;
	const char *s;         /* the value; borrowed from the document */
	size_t len;
	struct segmap map;
	struct env_list local; /* variables the script itself assigns */
	size_t *setx;          /* offsets of set -x */
	size_t nsetx, asetx;
	bool uses_secrets;
	struct ref first_secret;
};

enum pass_flags {
	PASS_CAPTURED = 1, /* inside $( ): standard output does not reach the log */
	PASS_REMOTE = 2    /* a heredoc body fed to another program */
};

enum scan_flags {
	SCAN_SHELL = 1,  /* $X and ${X} expand */
	SCAN_QUOTES = 2  /* single quotes stop expansion */
};

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

/* Commands that run inside the shell: their arguments reach no argv. */
static const char *const shell_builtins[] = {
	"echo", "printf", "test", "[", "[[", "export", "local", "declare",
	"readonly", "typeset", "read", "set", "unset", "shift", "return", "exit",
	":", "true", "false", "for", "case", "select", "in", "let", "trap",
	"wait", "cd", "pushd", "popd", NULL
};

/* Words that come before the command name. */
static const char *const command_prefixes[] = {
	"!", "{", "}", "then", "do", "else", "elif", "if", "while", "until",
	"time", "nohup", "command", "builtin", "exec", NULL
};

static const char *const shells[] = {
	"sh", "bash", "dash", "zsh", "ksh", "ash", "mksh", NULL
};

/*
 * Commands that print what they read, changed: Gitea masks a secret's exact
 * value in the log, so a secret piped through one of these shows in full.
 * Hashes (sha256sum) are one-way and not listed; neither are grep, which
 * prints only what its pattern picks, and programs that consume input.
 */
static const char *const transforms[] = {
	"base64", "base32", "basenc", "xxd", "od", "hexdump", "hd", "rev", "tr", "sed",
	"awk", "gawk", "mawk", "nawk", "cut", "fold", "tac", "head", "tail", "sort",
	"uniq", "paste", "expand", "unexpand", "iconv", "gzip", "bzip2", "xz", "zstd",
	"lz4", "lzma", "compress", "uuencode", "jq", "yq", "strings", "nl", "fmt",
	"column", NULL
};

/* ---- small helpers ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_var_start(char c)
{
	return is_alpha(c) || c == '_';
}

static bool is_var_char(char c)
{
	return is_var_start(c) || is_digit(c);
}

/* Names in expressions (secrets.my-key, env.X) may contain dashes. */
static bool is_expr_char(char c)
{
	return is_var_char(c) || c == '-';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive: do the `n` bytes at `s` equal lower-case `word`? */
static bool ieq(const char *s, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!word[i] || lower(s[i]) != word[i])
			return false;
	return !word[n];
}

static bool span_eq(struct span a, struct span b, bool icase)
{
	size_t i;

	if (a.len != b.len)
		return false;
	for (i = 0; i < a.len; i++)
		if (icase ? lower(a.ptr[i]) != lower(b.ptr[i]) : a.ptr[i] != b.ptr[i])
			return false;
	return true;
}

static bool in_list(const char *const *list, const char *s)
{
	size_t i;

	for (i = 0; list[i]; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

static struct span span_of(const char *p, size_t len)
{
	struct span s = { p, len };

	return s;
}

static bool starts_at(const char *s, size_t i, size_t end, const char *lit)
{
	size_t n = strlen(lit);

	return i <= end && end - i >= n && !memcmp(s + i, lit, n);
}

/*
 * Escape text from the file for a message, cut like pg_buf_put_name().
 * Names and snippets may hold a pasted credential: tokens that look like
 * one are redacted, as findings are.
 */
static int put_span(struct pg_buf *b, struct span s)
{
	int error;

	if (s.len <= PG_TEXT_NAME_MAX)
		return pg_buf_put_escaped_masked(b, s.ptr, s.len);
	if ((error = pg_buf_put_escaped_masked(b, s.ptr, PG_TEXT_NAME_MAX)) < 0)
		return error;
	return pg_buf_puts(b, "...");
}

static int put_text(struct pg_buf *b, const char *s)
{
	return put_span(b, span_of(s, strlen(s)));
}

/* Charge `n` units of work; false once the budget is spent. */
static bool work_charge(struct wf *wf, size_t n)
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

static int lines_index(struct wf *wf)
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
static size_t mark_offset(const struct wf *wf, const yaml_mark_t *mark)
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
static void offset_linecol(const struct wf *wf, size_t off, size_t *line, size_t *col)
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
static int segmap_build(struct wf *wf, const yaml_node_t *node, struct segmap *m)
{
	const char *v = (const char *)node->data.scalar.value;
	size_t vlen = node->data.scalar.length, vp = 0;
	size_t rs = mark_offset(wf, &node->start_mark), re = mark_offset(wf, &node->end_mark);
	size_t p, le, a, z, b, line;
	yaml_scalar_style_t style = node->data.scalar.style;
	const char *hit;
	struct seg *items;

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
	(void)work_charge(wf, re > rs ? re - rs : 0);
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

static size_t segmap_offset(const struct segmap *m, size_t voff)
{
	size_t lo = 0, hi = m->len, mid;
	const struct seg *s;

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

static void value_linecol(const struct wf *wf, const struct segmap *m, size_t voff,
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

/* Append a problem; `what` is already safe to print. Duplicates are dropped. */
static int problem_add(struct wf *wf, enum pg_workflow_check check, size_t line, size_t col,
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
	if ((error = put_text(&msg, wf->path)) < 0 ||
	    (error = pg_buf_printf(&msg, ":%zu: ", line)) < 0)
		goto out;
	if (wf->job) {
		if ((error = pg_buf_puts(&msg, "job '")) < 0 ||
		    (error = put_text(&msg, wf->job)) < 0 ||
		    (error = pg_buf_putc(&msg, '\'')) < 0)
			goto out;
		if (wf->step &&
		    ((error = pg_buf_puts(&msg, ", step '")) < 0 ||
		     (error = put_text(&msg, wf->step)) < 0 ||
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

static int unparsable_note(struct wf *wf, size_t line, size_t col, const char *why,
			   const char *context, const char *tail)
{
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = pg_buf_puts(&what, "invalid workflow file (")) < 0 ||
	    (error = put_text(&what, why)) < 0 ||
	    (context && ((error = pg_buf_puts(&what, " ")) < 0 ||
			 (error = put_text(&what, context)) < 0)) ||
	    (error = pg_buf_puts(&what, tail)) < 0)
		goto out;
	error = problem_add(wf, PG_WF_UNPARSABLE, line, col, &what);
out:
	pg_buf_release(&what);
	return error;
}

static int unparsable(struct wf *wf, size_t line, size_t col, const char *why, const char *context)
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

/* ---- environment ---- */

static const struct env_var *env_find(struct wf *wf, const struct env_list *local,
				      struct span name, bool icase)
{
	const struct env_list *lists[ENV_LEVELS + 1];
	size_t n = 0, i, j;
	int level;

	if (local)
		lists[n++] = local;
	for (level = ENV_LEVELS - 1; level >= 0; level--)
		lists[n++] = &wf->env[level];
	for (i = 0; i < n; i++) {
		for (j = lists[i]->len; j > 0; j--)
			if (span_eq(lists[i]->items[j - 1].name, name, icase))
				break;
		if (!work_charge(wf, lists[i]->len - j + 1))
			return NULL;
		if (j > 0)
			return &lists[i]->items[j - 1];
	}
	return NULL;
}

/* Set `name` in `list`, replacing an earlier value so lists stay short. */
static int env_set(struct wf *wf, struct env_list *list, struct span name, struct span origin)
{
	struct env_var *items;
	size_t j;

	for (j = 0; j < list->len; j++) {
		if (span_eq(list->items[j].name, name, false)) {
			list->items[j].origin = origin;
			break;
		}
	}
	if (!work_charge(wf, j + 1) || j < list->len)
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

/* ---- expressions ---- */

/* End of the expression opened by "${{" at `open`: the offset of "}}", or `end`. */
static size_t expr_close(const char *s, size_t open, size_t end)
{
	const char *p;

	if (open + 3 >= end)
		return end;
	p = memmem(s + open + 3, end - open - 3, "}}", 2);
	return p ? (size_t)(p - s) : end;
}

struct expr_hit {
	enum ref_kind kind;
	size_t off;
	struct span name, origin;
};

/*
 * Next reference to a secret in the expression text s[*k, close): secrets
 * in any form, and env.X where X holds a secret. Literals are skipped.
 */
static bool expr_next_secret(struct wf *wf, const char *s, size_t *k, size_t close,
			     struct expr_hit *hit)
{
	size_t i = *k, a, b;
	const struct env_var *var;

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
			b = i;
			if (b < close && s[b] == '.') {
				for (b++; b < close && is_expr_char(s[b]); b++)
					;
			} else if (b < close && s[b] == '[') {
				while (b < close && s[b] != ']')
					b++;
				if (b < close)
					b++;
			}
			hit->kind = REF_SECRET;
			hit->off = a;
			hit->name = span_of(s + a, b - a);
			hit->origin = hit->name;
			*k = b;
			return true;
		}
		if (ieq(s + a, i - a, "env") && i < close && s[i] == '.') {
			for (b = i + 1; b < close && is_expr_char(s[b]); b++)
				;
			var = env_find(wf, NULL, span_of(s + i + 1, b - i - 1), true);
			if (var && var->origin.len) {
				hit->kind = REF_ENV_EXPR;
				hit->off = a;
				hit->name = span_of(s + a, b - a);
				hit->origin = var->origin;
				*k = b;
				return true;
			}
			i = b;
		}
	}
	*k = close;
	return false;
}

/* The first secret a value refers to through ${{ }}, or an empty span. */
static struct span value_secret(struct wf *wf, const char *s, size_t len)
{
	struct span none = { NULL, 0 };
	struct expr_hit hit;
	const char *p;
	size_t open = 0, close, k;

	while (open < len) {
		p = memmem(s + open, len - open, "${{", 3);
		if (!p)
			break;
		open = (size_t)(p - s);
		close = expr_close(s, open, len);
		k = open + 3;
		if (expr_next_secret(wf, s, &k, close, &hit))
			return hit.origin;
		open = close;
	}
	return none;
}

/* ---- StrictHostKeyChecking ---- */

/* Next "StrictHostKeyChecking no" (or =no, off) in s[*i, end); its offset in *at. */
static bool hostkey_next(const char *s, size_t *i, size_t end, size_t *at)
{
	static const char key[] = "stricthostkeychecking";
	size_t k, j;

	for (k = *i; k + sizeof(key) - 1 <= end; k++) {
		if (!ieq(s + k, sizeof(key) - 1, key))
			continue;
		j = k + sizeof(key) - 1;
		while (j < end && (s[j] == ' ' || s[j] == '\t' || s[j] == '=' || s[j] == '"' ||
				   s[j] == '\''))
			j++;
		*i = j;
		if ((end - j >= 2 && ieq(s + j, 2, "no") && (j + 2 == end || !is_var_char(s[j + 2]))) ||
		    (end - j >= 3 && ieq(s + j, 3, "off") && (j + 3 == end || !is_var_char(s[j + 3])))) {
			*at = k;
			return true;
		}
	}
	*i = end;
	return false;
}

static int hostkey_problem(struct wf *wf, size_t line, size_t col)
{
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = pg_buf_puts(&what, "StrictHostKeyChecking=no turns off SSH host key "
				 "verification; pin the host key in known_hosts instead")) < 0)
		goto out;
	error = problem_add(wf, PG_WF_NO_HOST_KEY_CHECK, line, col, &what);
out:
	pg_buf_release(&what);
	return error;
}

/* Report every disabled host key check in value[from, to) of a scalar. */
static int hostkey_scan(struct wf *wf, const struct segmap *m, const char *v, size_t from, size_t to)
{
	size_t i = from, at, line, col;
	int error;

	while (hostkey_next(v, &i, to, &at)) {
		value_linecol(wf, m, at, &line, &col);
		if ((error = hostkey_problem(wf, line, col)) < 0)
			return error;
	}
	return 0;
}

/* ---- env: maps ---- */

static int env_load(struct wf *wf, yaml_node_t *map, enum env_level level)
{
	struct segmap m = { 0 };
	yaml_node_pair_t *pair;
	yaml_node_t *key, *value;
	const char *name;
	struct span origin;
	int error = 0;

	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		if (!work_charge(wf, 16))
			break;
		key = yaml_document_get_node(&wf->y.doc, pair->key);
		value = yaml_document_get_node(&wf->y.doc, pair->value);
		name = pg_yaml_scalar(key);
		if (!name || !value || value->type != YAML_SCALAR_NODE)
			continue;
		origin = value_secret(wf, (const char *)value->data.scalar.value,
				      value->data.scalar.length);
		if ((error = env_set(wf, &wf->env[level], span_of(name, key->data.scalar.length), origin)) < 0)
			goto out;
		if ((error = segmap_build(wf, value, &m)) < 0 ||
		    (error = hostkey_scan(wf, &m, (const char *)value->data.scalar.value, 0,
					  value->data.scalar.length)) < 0)
			goto out;
	}
out:
	free(m.items);
	return error;
}

/*
 * ---- shell: tokens ----
 *
 * Not a shell parser: enough of one to follow quotes, \ continuations,
 * ; && || | &, redirections, heredocs and $( ) that real run: scripts
 * use, line by line. Control flow is ignored (every command counts),
 * functions are not followed, and redirections of { } or ( ) groups do
 * not reach the commands inside.
 */

static void line_reset(struct line *ln, bool remote)
{
	ln->remote = remote;
	ln->open = false;
	ln->more = false;
	ln->ncmds = ln->nwords = ln->nrefs = ln->ndocs = ln->nsubsts = 0;
}

static void line_free(struct line *ln)
{
	free(ln->cmds);
	free(ln->words);
	free(ln->refs);
	free(ln->docs);
	free(ln->substs);
}

static int ref_add(struct script *sh, struct line *ln, enum ref_kind kind, size_t off,
		   struct span name, struct span origin)
{
	struct ref *items;

	items = pg_array_grow(ln->refs, &ln->arefs, ln->nrefs + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->refs = items;
	items[ln->nrefs].kind = kind;
	items[ln->nrefs].off = off;
	items[ln->nrefs].name = name;
	items[ln->nrefs].origin = origin;
	if (!sh->uses_secrets) {
		sh->uses_secrets = true;
		sh->first_secret = items[ln->nrefs];
	}
	ln->nrefs++;
	return 0;
}

static int subst_add(struct line *ln, size_t start, size_t end)
{
	struct subst *items;

	items = pg_array_grow(ln->substs, &ln->asubsts, ln->nsubsts + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->substs = items;
	items[ln->nsubsts].start = start;
	items[ln->nsubsts].end = end;
	ln->nsubsts++;
	return 0;
}

/* Record the secrets of the expression "${{" at *i; *i moves past "}}". */
static int take_expr(struct script *sh, struct line *ln, size_t *i, size_t end)
{
	size_t close = expr_close(sh->s, *i, end), k = *i + 3;
	struct expr_hit hit;
	int error;

	while (expr_next_secret(sh->wf, sh->s, &k, close, &hit))
		if ((error = ref_add(sh, ln, hit.kind, hit.off, hit.name, hit.origin)) < 0)
			return error;
	*i = close < end ? close + 2 : end;
	return 0;
}

/* Offset of the bracket closing the one at `open` ('(' or '{'), or `end`. */
static size_t match_bracket(const char *s, size_t open, size_t end)
{
	char o = s[open], c = o == '(' ? ')' : '}';
	size_t i = open + 1, depth = 1;

	while (i < end) {
		if (starts_at(s, i, end, "${{")) {
			i = expr_close(s, i, end);
			i = i < end ? i + 2 : end;
			continue;
		}
		if (s[i] == '\\') {
			i += 2;
			continue;
		}
		if (s[i] == '\'') {
			for (i++; i < end && s[i] != '\''; i++)
				;
		} else if (s[i] == '"') {
			for (i++; i < end && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
		} else if (s[i] == o) {
			depth++;
		} else if (s[i] == c && !--depth) {
			return i;
		}
		i++;
	}
	return end;
}

static int scan_refs(struct script *sh, struct line *ln, size_t a, size_t b, int flags, int depth);

/* A tainted shell variable `name` referenced at `off`. */
static int shell_var(struct script *sh, struct line *ln, size_t off, size_t a, size_t b)
{
	const struct env_var *var;

	if (b == a || ln->remote)
		return 0;
	var = env_find(sh->wf, &sh->local, span_of(sh->s + a, b - a), false);
	if (!var || !var->origin.len)
		return 0;
	return ref_add(sh, ln, REF_SHELL, off, span_of(sh->s + a, b - a), var->origin);
}

/*
 * The expansion at *i ('$' or '`'): variables, ${ }, $( ) and ` `. With
 * `record`, command substitutions are remembered to be analysed as scripts
 * of their own (their secrets are not the enclosing word's: echo "$(cmd)"
 * prints cmd's output); without, their references count as ours.
 */
static int take_dollar(struct script *sh, struct line *ln, size_t *i, size_t end, bool record,
		       int depth)
{
	const char *s = sh->s;
	size_t at = *i, a, b, close;
	int error = 0;

	if (s[at] == '`') {
		for (close = at + 1; close < end && s[close] != '`'; close++)
			if (s[close] == '\\')
				close++;
		if (close > end)
			close = end;
		if (record)
			error = subst_add(ln, at + 1, close);
		else
			error = scan_refs(sh, ln, at + 1, close, SCAN_SHELL | SCAN_QUOTES, depth + 1);
		if (error < 0)
			return error;
		*i = close < end ? close + 1 : end;
		return 0;
	}
	if (at + 1 >= end) {
		*i = end;
		return 0;
	}
	if (s[at + 1] == '(') {
		close = match_bracket(s, at + 1, end);
		if (at + 2 < end && s[at + 2] == '(') {
			error = scan_refs(sh, ln, at + 3, close, SCAN_SHELL, depth + 1);
		} else if (record) {
			error = subst_add(ln, at + 2, close);
		} else {
			error = scan_refs(sh, ln, at + 2, close, SCAN_SHELL | SCAN_QUOTES, depth + 1);
		}
		*i = close < end ? close + 1 : end;
		return error;
	}
	if (s[at + 1] == '{') {
		close = match_bracket(s, at + 1, end);
		a = at + 2;
		if (a < close && (s[a] == '#' || s[a] == '!'))
			a++;
		for (b = a; b < close && is_var_char(s[b]); b++)
			;
		if ((error = shell_var(sh, ln, at, a, b)) < 0 ||
		    (error = scan_refs(sh, ln, b, close, SCAN_SHELL | SCAN_QUOTES, depth + 1)) < 0)
			return error;
		*i = close < end ? close + 1 : end;
		return 0;
	}
	if (is_var_start(s[at + 1])) {
		for (b = at + 1; b < end && is_var_char(s[b]); b++)
			;
		*i = b;
		return shell_var(sh, ln, at, at + 1, b);
	}
	*i = at + 1;
	return 0;
}

/* References in s[a, b): expressions always, variables with SCAN_SHELL. */
static int scan_refs(struct script *sh, struct line *ln, size_t a, size_t b, int flags, int depth)
{
	const char *s = sh->s;
	bool squote = false, dquote = false;
	size_t i = a;
	int error;

	if (depth > MAX_SHELL_DEPTH)
		return 0;
	while (i < b) {
		if (starts_at(s, i, b, "${{")) {
			if ((error = take_expr(sh, ln, &i, b)) < 0)
				return error;
			continue;
		}
		if ((flags & SCAN_QUOTES) && squote) {
			squote = s[i] != '\'';
			i++;
			continue;
		}
		if ((flags & SCAN_QUOTES) && s[i] == '\\') {
			i += 2;
			continue;
		}
		if ((flags & SCAN_QUOTES) && s[i] == '"')
			dquote = !dquote;
		if ((flags & SCAN_QUOTES) && s[i] == '\'' && !dquote) {
			squote = true;
			i++;
			continue;
		}
		if ((flags & SCAN_SHELL) && (s[i] == '$' || s[i] == '`')) {
			if ((error = take_dollar(sh, ln, &i, b, false, depth)) < 0)
				return error;
			continue;
		}
		i++;
	}
	return 0;
}

/* Move *i past one shell word, recording its references and substitutions. */
static int scan_word(struct script *sh, struct line *ln, size_t *i, size_t end)
{
	const char *s = sh->s;
	size_t k = *i, close;
	char quote = 0;
	int error;

	while (k < end) {
		char c = s[k];

		if (starts_at(s, k, end, "${{")) {
			if ((error = take_expr(sh, ln, &k, end)) < 0)
				return error;
			continue;
		}
		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			k++;
			continue;
		}
		if (c == '\\') {
			k += 2;
			continue;
		}
		if (quote == '"' && c == '"') {
			quote = 0;
			k++;
			continue;
		}
		if (!quote) {
			if (c == '\'' || c == '"') {
				quote = c;
				k++;
				continue;
			}
			if ((c == '<' || c == '>') && k + 1 < end && s[k + 1] == '(') {
				close = match_bracket(s, k + 1, end);
				if ((error = subst_add(ln, k + 2, close)) < 0)
					return error;
				k = close < end ? close + 1 : end;
				continue;
			}
			if (is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' ||
			    c == '<' || c == '>' || c == '(' || c == ')')
				break;
		}
		if (c == '$' || c == '`') {
			if ((error = take_dollar(sh, ln, &k, end, true, 0)) < 0)
				return error;
			continue;
		}
		k++;
	}
	*i = k < end ? k : end;
	return 0;
}

static int cmd_open(struct line *ln)
{
	struct cmd *items;

	if (ln->open)
		return 0;
	items = pg_array_grow(ln->cmds, &ln->acmds, ln->ncmds + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->cmds = items;
	memset(&items[ln->ncmds], 0, sizeof(*items));
	items[ln->ncmds].word_first = ln->nwords;
	items[ln->ncmds].out_word = NO_WORD;
	items[ln->ncmds].herestring = NO_WORD;
	ln->ncmds++;
	ln->open = true;
	return 0;
}

static void cmd_close(struct line *ln, enum sep sep)
{
	if (ln->open)
		ln->cmds[ln->ncmds - 1].sep = sep;
	else if (ln->ncmds && sep == SEP_PIPE)
		ln->cmds[ln->ncmds - 1].sep = sep; /* ( ... ) | cmd */
	ln->open = false;
	ln->more = sep == SEP_PIPE || sep == SEP_AND || sep == SEP_OR;
}

/* Add the word at *i to the open command; *widx receives its index. */
static int word_add(struct script *sh, struct line *ln, size_t *i, size_t end, bool redir,
		    size_t *widx)
{
	struct word *items;
	size_t start = *i, first = ln->nrefs;
	int error;

	if ((error = cmd_open(ln)) < 0 || (error = scan_word(sh, ln, i, end)) < 0)
		return error;
	if (*i == start && start < end && !redir)
		(*i)++;
	items = pg_array_grow(ln->words, &ln->awords, ln->nwords + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->words = items;
	memset(&items[ln->nwords], 0, sizeof(*items));
	items[ln->nwords].start = start;
	items[ln->nwords].end = *i;
	items[ln->nwords].ref_first = first;
	items[ln->nwords].ref_len = ln->nrefs - first;
	items[ln->nwords].redir = redir;
	ln->cmds[ln->ncmds - 1].word_len++;
	if (widx)
		*widx = ln->nwords;
	ln->nwords++;
	return 0;
}

/*
 * The word's text without quotes and backslashes, cut to fit `out`;
 * returns the full length so callers can tell a cut word.
 */
static size_t word_text(const struct script *sh, const struct word *w, char *out, size_t cap)
{
	size_t k, n = 0;
	char c;

	for (k = w->start; k < w->end; k++) {
		c = sh->s[k];
		if (c == '\'' || c == '"')
			continue;
		if (c == '\\' && k + 1 < w->end)
			c = sh->s[++k];
		if (n + 1 < cap)
			out[n] = c;
		n++;
	}
	out[n < cap ? n : cap - 1] = '\0';
	return n;
}

/* Is the word (its last path component) one of `list`? */
static bool word_in(const struct script *sh, const struct word *w, const char *const *list)
{
	char text[WORD_TEXT_MAX];
	const char *base;

	if (word_text(sh, w, text, sizeof(text)) >= sizeof(text))
		return false;
	base = strrchr(text, '/');
	return in_list(list, base ? base + 1 : text);
}

static bool word_is(const struct script *sh, const struct word *w, const char *name)
{
	const char *list[2] = { name, NULL };

	return word_in(sh, w, list);
}

static bool word_quoted(const struct script *sh, const struct word *w)
{
	size_t k;

	for (k = w->start; k < w->end; k++)
		if (sh->s[k] == '\'' || sh->s[k] == '"' || sh->s[k] == '\\')
			return true;
	return false;
}

/* A redirection at *i: n>, >>, >|, >&, &>, <, <<, <<-, <<<. */
static int take_redirect(struct script *sh, struct line *ln, size_t *i, size_t end)
{
	const char *s = sh->s;
	size_t k = *i, fd = 1, widx;
	bool out = false, dup = false, both = false, heredoc = false, strip = false, here_string = false;
	struct cmd *c;
	struct heredoc *docs;
	char text[WORD_TEXT_MAX];
	int error;

	if (is_digit(s[k])) {
		fd = 0;
		while (k < end && is_digit(s[k]) && fd < 1000)
			fd = fd * 10 + (size_t)(s[k++] - '0');
	}
	if (s[k] == '&') {
		both = out = true;
		k += 2;
		if (k < end && s[k] == '>')
			k++;
	} else if (s[k] == '>') {
		out = true;
		k++;
		if (k < end && (s[k] == '>' || s[k] == '|'))
			k++;
		else if (k < end && s[k] == '&') {
			dup = true;
			k++;
		}
	} else {
		fd = 0;
		k++;
		if (k < end && s[k] == '<') {
			k++;
			if (k < end && s[k] == '<') {
				here_string = true;
				k++;
			} else {
				heredoc = true;
				if (k < end && s[k] == '-') {
					strip = true;
					k++;
				}
			}
		} else if (k < end && (s[k] == '&' || s[k] == '>')) {
			k++;
		}
	}
	while (k < end && is_blank(s[k]))
		k++;
	*i = k;
	if ((error = word_add(sh, ln, i, end, true, &widx)) < 0)
		return error;
	c = &ln->cmds[ln->ncmds - 1];
	word_text(sh, &ln->words[widx], text, sizeof(text));
	if (out && (fd == 1 || both)) {
		if (dup && is_digit(text[0]))
			c->out_file = false; /* >&2: standard error reaches the log too */
		else if (!strcmp(text, "/dev/stdout") || !strcmp(text, "/dev/stderr") ||
			 !strcmp(text, "/dev/fd/1") || !strcmp(text, "/dev/fd/2") ||
			 !strcmp(text, "/dev/tty"))
			c->out_file = false;
		else {
			c->out_file = true;
			c->out_word = widx;
		}
	}
	if (here_string)
		c->herestring = widx;
	if (heredoc) {
		docs = pg_array_grow(ln->docs, &ln->adocs, ln->ndocs + 1, sizeof(*docs));
		if (!docs)
			return pg_error_oom();
		ln->docs = docs;
		memset(&docs[ln->ndocs], 0, sizeof(*docs));
		docs[ln->ndocs].cmd = ln->ncmds - 1;
		docs[ln->ndocs].word = widx;
		docs[ln->ndocs].strip = strip;
		docs[ln->ndocs].quoted = word_quoted(sh, &ln->words[widx]);
		ln->ndocs++;
	}
	return 0;
}

/* Does the line s[a, b) equal the heredoc delimiter word (without quotes)? */
static bool is_delimiter(const struct script *sh, const struct word *w, size_t a, size_t b)
{
	const char *s = sh->s;
	size_t k = w->start;
	char c;

	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\r'))
		b--;
	for (; k < w->end; k++) {
		c = s[k];
		if (c == '\'' || c == '"')
			continue;
		if (c == '\\' && k + 1 < w->end)
			c = s[++k];
		if (a >= b || s[a] != c)
			return false;
		a++;
	}
	return a == b;
}

/* Read the bodies of the heredocs opened on this line, starting at *i. */
static int read_heredocs(struct script *sh, struct line *ln, size_t *i, size_t end)
{
	struct heredoc *d;
	size_t n, ls, le = end, a;
	int error;

	for (n = 0; n < ln->ndocs; n++) {
		d = &ln->docs[n];
		d->body_start = d->body_end = *i;
		for (ls = *i; ls < end; ls = le + 1) {
			const char *nl = memchr(sh->s + ls, '\n', end - ls);

			le = nl ? (size_t)(nl - sh->s) : end;
			a = ls;
			while (d->strip && a < le && sh->s[a] == '\t')
				a++;
			if (is_delimiter(sh, &ln->words[d->word], a, le))
				break;
			d->body_end = le < end ? le + 1 : end;
		}
		*i = ls < end ? (le < end ? le + 1 : end) : end;
		d->ref_first = ln->nrefs;
		if ((error = scan_refs(sh, ln, d->body_start, d->body_end,
				       d->quoted ? 0 : SCAN_SHELL, 0)) < 0)
			return error;
		d->ref_len = ln->nrefs - d->ref_first;
	}
	return 0;
}

/* Does a redirection start at `k` (n>, >, <, &>, but not <( or >()? */
static bool redirect_at(const char *s, size_t k, size_t end)
{
	while (k < end && is_digit(s[k]))
		k++;
	if (k >= end)
		return false;
	if (s[k] == '&')
		return k + 1 < end && s[k + 1] == '>';
	return (s[k] == '<' || s[k] == '>') && !(k + 1 < end && s[k + 1] == '(');
}

/*
 * Tokenize one line of s[*i, end): commands, their words, redirections,
 * separators, then the heredoc bodies that follow the line.
 */
static int read_line(struct script *sh, struct line *ln, size_t *i, size_t end, bool remote)
{
	const char *s = sh->s;
	size_t k = *i;
	int error = 0;

	line_reset(ln, remote);
	while (k < end) {
		char c = s[k];

		if (is_blank(c)) {
			k++;
		} else if (c == '\\' && k + 1 < end && s[k + 1] == '\n') {
			k += 2;
		} else if (c == '\n') {
			k++;
			if (!(ln->more && !ln->open && !ln->ndocs))
				break;
		} else if (c == '#') {
			while (k < end && s[k] != '\n')
				k++;
		} else if (c == ';') {
			cmd_close(ln, SEP_SEQ);
			k++;
		} else if (c == '&' && k + 1 < end && s[k + 1] == '&') {
			cmd_close(ln, SEP_AND);
			k += 2;
		} else if (c == '|' && k + 1 < end && s[k + 1] == '|') {
			cmd_close(ln, SEP_OR);
			k += 2;
		} else if (c == '|') {
			cmd_close(ln, SEP_PIPE);
			k += (k + 1 < end && s[k + 1] == '&') ? 2 : 1;
		} else if (c == '&' && !(k + 1 < end && s[k + 1] == '>')) {
			cmd_close(ln, SEP_BG);
			k++;
		} else if (c == '(' || c == ')') {
			cmd_close(ln, SEP_SEQ);
			k++;
		} else if (redirect_at(s, k, end)) {
			if ((error = take_redirect(sh, ln, &k, end)) < 0)
				return error;
		} else {
			if ((error = word_add(sh, ln, &k, end, false, NULL)) < 0)
				return error;
		}
	}
	cmd_close(ln, SEP_END);
	if ((error = read_heredocs(sh, ln, &k, end)) < 0)
		return error;
	*i = k;
	return 0;
}

/* ---- shell: checks ---- */

static bool is_assignment(const struct script *sh, const struct word *w, struct span *name)
{
	size_t k = w->start;

	if (k >= w->end || !is_var_start(sh->s[k]))
		return false;
	while (k < w->end && is_var_char(sh->s[k]))
		k++;
	if (k < w->end && sh->s[k] == '+')
		k++;
	if (k >= w->end || sh->s[k] != '=')
		return false;
	if (name)
		*name = span_of(sh->s + w->start, k - w->start - (sh->s[k - 1] == '+'));
	return true;
}

/* Index of the command's name, after assignments, keywords, sudo and env. */
static size_t cmd_name(const struct script *sh, struct line *ln, const struct cmd *c)
{
	static const char sudo_args[] = "ugChpUrtDR";
	size_t k, e = c->word_first + c->word_len;
	bool sudo = false, env = false, started = false;
	char text[WORD_TEXT_MAX];
	struct word *w;

	for (k = c->word_first; k < e; k++) {
		w = &ln->words[k];
		if (w->redir)
			continue;
		if (!started && is_assignment(sh, w, NULL)) {
			w->assign = true;
			continue;
		}
		started = true;
		word_text(sh, w, text, sizeof(text));
		if (env && (text[0] == '-' || is_assignment(sh, w, NULL)))
			continue;
		if (sudo && text[0] == '-') {
			if (text[1] && !text[2] && strchr(sudo_args, text[1]))
				k++;
			continue;
		}
		sudo = env = false;
		if (word_in(sh, w, command_prefixes))
			continue;
		if (word_is(sh, w, "sudo")) {
			sudo = true;
			continue;
		}
		if (word_is(sh, w, "env")) {
			env = true;
			continue;
		}
		return k;
	}
	return NO_WORD;
}

static int put_ref(struct pg_buf *b, const struct ref *r)
{
	int error;

	if (r->kind == REF_SHELL && (error = pg_buf_putc(b, '$')) < 0)
		return error;
	if ((error = put_span(b, r->name)) < 0)
		return error;
	if (r->kind == REF_SECRET)
		return 0;
	if ((error = pg_buf_puts(b, " (set from ")) < 0 || (error = put_span(b, r->origin)) < 0)
		return error;
	return pg_buf_putc(b, ')');
}

static int script_problem(struct script *sh, enum pg_workflow_check check, size_t off,
			  const struct pg_buf *what)
{
	size_t line, col;

	value_linecol(sh->wf, &sh->map, off, &line, &col);
	return problem_add(sh->wf, check, line, col, what);
}

enum ref_where { TO_LOG, IN_ARGS, IN_SCRIPT, TO_LOG_CHANGED, JS_TO_LOG, IN_JS };

static bool where_logs(enum ref_where where)
{
	return where == TO_LOG || where == TO_LOG_CHANGED || where == JS_TO_LOG;
}

/* Report a secret reference written to the log by `cmd` or pasted into it. */
static int ref_problem(struct script *sh, enum ref_where where, const struct ref *r,
		       struct span cmd)
{
	static const char *const how[] = {
		" is written to the log by ",
		" is interpolated into the arguments of ",
		" is interpolated into the script of shell ",
		" is written to the log, encoded or changed, by ",
		" is written to the log by ",
		" is interpolated into the script of ",
	};
	static const char *const fix[] = {
		"; pipe it into the program that reads it or redirect it to a file",
		"; pass it through env: and read it from the environment or standard input",
		"; pass it through env: and read it from the environment",
		("; Gitea masks only the exact value, so a changed copy shows in full: pipe the "
		 "secret into the program that reads it or redirect it to a file"),
		"; pass it to the call that needs it and never log it",
		"; pass it through env: and read process.env.NAME",
	};
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = put_ref(&what, r)) < 0 ||
	    (error = pg_buf_puts(&what, how[where])) < 0 ||
	    (error = put_span(&what, cmd)) < 0 ||
	    (error = pg_buf_puts(&what, fix[where])) < 0)
		goto out;
	error = script_problem(sh, where_logs(where) ? PG_WF_SECRET_TO_LOG : PG_WF_SECRET_IN_ARGS,
			       r->off, &what);
out:
	pg_buf_release(&what);
	return error;
}

/* Report refs[first, first + len); shell variables only when written to the log. */
static int refs_problem(struct script *sh, struct line *ln, enum ref_where where,
			size_t first, size_t len, struct span cmd)
{
	size_t r;
	int error;

	for (r = first; r < first + len; r++) {
		if (!where_logs(where) && ln->refs[r].kind == REF_SHELL)
			continue;
		if ((error = ref_problem(sh, where, &ln->refs[r], cmd)) < 0)
			return error;
	}
	return 0;
}

static struct span ref_origin(const struct ref *r)
{
	return r->kind == REF_SECRET ? r->name : r->origin;
}

/* Remember NAME=value: the variable holds a secret if the value refers to one. */
static int assignment_record(struct script *sh, struct line *ln, const struct word *w,
			     struct env_list *list)
{
	struct span name, origin = { NULL, 0 };

	if (!is_assignment(sh, w, &name))
		return 0;
	if (w->ref_len)
		origin = ref_origin(&ln->refs[w->ref_first]);
	return env_set(sh->wf, list, name, origin);
}

/* NAME=value at s[a, b) (after blanks and an opening quote): the name. */
static bool line_assignment(const char *s, size_t a, size_t b, struct span *name)
{
	size_t k;

	while (a < b && (is_blank(s[a]) || s[a] == '"' || s[a] == '\''))
		a++;
	if (a >= b || !is_var_start(s[a]))
		return false;
	for (k = a; k < b && is_var_char(s[k]); k++)
		;
	if (k >= b || s[k] != '=')
		return false;
	*name = span_of(s + a, k - a);
	return true;
}

/* echo "NAME=${{ secrets.X }}" >> "$GITHUB_ENV": NAME holds a secret in later steps. */
static int github_env(struct script *sh, struct line *ln, size_t ci, size_t name, bool echo,
		      const struct heredoc *doc)
{
	const struct cmd *c = &ln->cmds[ci];
	const struct word *t, *w;
	struct env_list *dyn = &sh->wf->env[ENV_DYNAMIC];
	struct span var, origin;
	size_t k, r, ls, le;
	const char *nl;
	int error;

	if (!c->out_file || c->out_word == NO_WORD)
		return 0;
	t = &ln->words[c->out_word];
	if (!memmem(sh->s + t->start, t->end - t->start, "GITHUB_ENV", 10))
		return 0;
	for (k = name + 1; echo && k < c->word_first + c->word_len; k++) {
		w = &ln->words[k];
		if (w->redir || !line_assignment(sh->s, w->start, w->end, &var))
			continue;
		origin = w->ref_len ? ref_origin(&ln->refs[w->ref_first]) : span_of(NULL, 0);
		if ((error = env_set(sh->wf, dyn, var, origin)) < 0)
			return error;
	}
	r = doc ? doc->ref_first : 0;
	for (ls = doc ? doc->body_start : 0; doc && ls < doc->body_end; ls = le + 1) {
		nl = memchr(sh->s + ls, '\n', doc->body_end - ls);
		le = nl ? (size_t)(nl - sh->s) : doc->body_end;
		/* References are in offset order: skip those of earlier lines. */
		while (r < doc->ref_first + doc->ref_len && ln->refs[r].off < ls)
			r++;
		if (!line_assignment(sh->s, ls, le, &var))
			continue;
		origin = span_of(NULL, 0);
		if (r < doc->ref_first + doc->ref_len && ln->refs[r].off < le)
			origin = ref_origin(&ln->refs[r]);
		if ((error = env_set(sh->wf, dyn, var, origin)) < 0)
			return error;
	}
	return 0;
}

/* Does the word run curl or wget in a substitution: $(curl, <(wget, `curl? */
static bool word_downloads(const struct script *sh, const struct word *w)
{
	const char *s = sh->s;
	size_t k, j;

	for (k = w->start; k < w->end; k++) {
		if (!(s[k] == '`' || (s[k] == '(' && k > w->start && (s[k - 1] == '$' || s[k - 1] == '<'))))
			continue;
		for (j = k + 1; j < w->end && is_blank(s[j]); j++)
			;
		if (w->end - j >= 4 && (!memcmp(s + j, "curl", 4) || !memcmp(s + j, "wget", 4)) &&
		    (j + 4 == w->end || !is_var_char(s[j + 4])))
			return true;
	}
	return false;
}

static int remote_script(struct script *sh, struct line *ln, size_t ci, size_t name)
{
	static const char *const runners[] = { "source", ".", "eval", NULL };
	const struct cmd *c = &ln->cmds[ci];
	const struct word *nw = &ln->words[name], *w;
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	char text[WORD_TEXT_MAX];
	bool shell = word_in(sh, nw, shells), from_arg = false, reads_stdin = true, hit = false;
	size_t k;
	int error = 0;

	if (!shell && !word_in(sh, nw, runners))
		return 0;
	for (k = name + 1; k < c->word_first + c->word_len; k++) {
		w = &ln->words[k];
		if (w->redir)
			continue;
		word_text(sh, w, text, sizeof(text));
		if (text[0] == '-' && text[1] != '-' && strchr(text, 'c'))
			reads_stdin = false;
		if (word_downloads(sh, w))
			from_arg = true;
	}
	hit = from_arg || (shell && reads_stdin && c->after_download);
	if (!hit)
		goto out;
	word_text(sh, nw, text, sizeof(text));
	if ((error = put_span(&what, span_of(text, strlen(text)))) < 0 ||
	    (error = pg_buf_puts(&what, " runs a script downloaded with curl or wget without "
				 "checking it; download it to a file, verify its checksum, then "
				 "run it")) < 0)
		goto out;
	error = script_problem(sh, PG_WF_REMOTE_SCRIPT, nw->start, &what);
out:
	pg_buf_release(&what);
	return error;
}

static int setx_record(struct script *sh, struct line *ln, const struct cmd *c, size_t name)
{
	char text[WORD_TEXT_MAX], next[WORD_TEXT_MAX];
	size_t k, e = c->word_first + c->word_len, *items;
	bool on = false;

	for (k = name + 1; k < e && !on; k++) {
		if (ln->words[k].redir)
			continue;
		word_text(sh, &ln->words[k], text, sizeof(text));
		if (text[0] == '-' && text[1] != '-' && strchr(text + 1, 'x'))
			on = true;
		if (!strcmp(text, "-o") && k + 1 < e) {
			word_text(sh, &ln->words[k + 1], next, sizeof(next));
			on = !strcmp(next, "xtrace");
		}
	}
	if (!on)
		return 0;
	items = pg_array_grow(sh->setx, &sh->asetx, sh->nsetx + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	sh->setx = items;
	sh->setx[sh->nsetx++] = ln->words[name].start;
	return 0;
}

/* The first word after `name` that is not a redirection, or NO_WORD. */
static size_t next_arg(const struct line *ln, const struct cmd *c, size_t name)
{
	size_t k;

	for (k = name + 1; k < c->word_first + c->word_len; k++)
		if (!ln->words[k].redir)
			return k;
	return NO_WORD;
}

/* Does the command print what it reads, changed (see transforms[])? */
static bool cmd_transforms(const struct script *sh, const struct line *ln, const struct cmd *c)
{
	static const char *const openssl_encoders[] = { "enc", "base64", NULL };
	static const char *const printers[] = { "echo", "printf", NULL };
	char text[WORD_TEXT_MAX];
	size_t k, e = c->word_first + c->word_len;

	if (c->name == NO_WORD)
		return false;
	if (word_in(sh, &ln->words[c->name], transforms))
		return true;
	if (word_is(sh, &ln->words[c->name], "openssl")) {
		k = next_arg(ln, c, c->name);
		return k != NO_WORD && word_in(sh, &ln->words[k], openssl_encoders);
	}
	if (!word_is(sh, &ln->words[c->name], "xargs"))
		return false;
	/* xargs runs echo when given no command. */
	for (k = c->name + 1; k < e; k++) {
		if (ln->words[k].redir)
			continue;
		word_text(sh, &ln->words[k], text, sizeof(text));
		if (text[0] != '-')
			return word_in(sh, &ln->words[k], printers);
		if (!text[2] && strchr("IndLPsEa", text[1]))
			k++;
	}
	return true;
}

static const struct heredoc *cmd_heredoc(const struct line *ln, size_t ci)
{
	size_t n;

	for (n = ln->ndocs; n > 0; n--)
		if (ln->docs[n - 1].cmd == ci)
			return &ln->docs[n - 1];
	return NULL;
}

/* Secret checks of one command: echo to the log, arguments, set -x, assignments. */
static int secret_checks(struct script *sh, struct line *ln, size_t ci, size_t name, int flags)
{
	static const char *const declares[] = { "export", "local", "declare", "readonly", "typeset", NULL };
	const struct cmd *c = &ln->cmds[ci];
	const struct word *nw = &ln->words[name], *w;
	const struct heredoc *doc = cmd_heredoc(ln, ci);
	size_t k, e = c->word_first + c->word_len;
	char text[WORD_TEXT_MAX], label[2 * WORD_TEXT_MAX + 8], via[WORD_TEXT_MAX];
	bool echo, catlike, to_log, changed, transform, mask = false;
	int error;

	echo = word_is(sh, nw, "echo") || word_is(sh, nw, "printf");
	if (word_is(sh, nw, "printf")) {
		for (k = name + 1; k < e && ln->words[k].redir; k++)
			;
		if (k < e && word_is(sh, &ln->words[k], "-v"))
			echo = false;
	}
	catlike = word_is(sh, nw, "cat") || word_is(sh, nw, "tee");
	to_log = !(flags & PASS_CAPTURED) && c->to_log;
	changed = !(flags & PASS_CAPTURED) && !c->to_log && c->via != NO_WORD;
	transform = cmd_transforms(sh, ln, c);
	word_text(sh, nw, text, sizeof(text));
	via[0] = '\0';
	if (changed)
		word_text(sh, &ln->words[ln->cmds[c->via].name], via, sizeof(via));
	for (k = name + 1; k < e; k++) {
		char arg[WORD_TEXT_MAX];

		word_text(sh, &ln->words[k], arg, sizeof(arg));
		if (!ln->words[k].redir && !strncmp(arg, "::add-mask::", 12))
			mask = true;
	}
	if (echo && to_log && !mask) {
		for (k = name + 1; k < e; k++) {
			w = &ln->words[k];
			if (!w->redir &&
			    (error = refs_problem(sh, ln, TO_LOG, w->ref_first, w->ref_len,
						  span_of(text, strlen(text)))) < 0)
				return error;
		}
	}
	if (echo && changed && !mask) {
		snprintf(label, sizeof(label), "%s | %s", text, via);
		for (k = name + 1; k < e; k++) {
			w = &ln->words[k];
			if (!w->redir &&
			    (error = refs_problem(sh, ln, TO_LOG_CHANGED, w->ref_first, w->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
	}
	if ((catlike && changed) || (transform && (to_log || changed))) {
		if (doc) {
			snprintf(label, sizeof(label), "%s <<%s%s", text, changed ? " | " : "", via);
			if ((error = refs_problem(sh, ln, TO_LOG_CHANGED, doc->ref_first, doc->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
		if (c->herestring != NO_WORD) {
			w = &ln->words[c->herestring];
			snprintf(label, sizeof(label), "%s <<<%s%s", text, changed ? " | " : "", via);
			if ((error = refs_problem(sh, ln, TO_LOG_CHANGED, w->ref_first, w->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
	}
	if (catlike && to_log) {
		if (doc) {
			snprintf(label, sizeof(label), "%s <<", text);
			if ((error = refs_problem(sh, ln, TO_LOG, doc->ref_first, doc->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
		if (c->herestring != NO_WORD) {
			w = &ln->words[c->herestring];
			snprintf(label, sizeof(label), "%s <<<", text);
			if ((error = refs_problem(sh, ln, TO_LOG, w->ref_first, w->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
	}
	if (!word_in(sh, nw, shell_builtins)) {
		for (k = name; k < e; k++) {
			w = &ln->words[k];
			if (!w->redir &&
			    (error = refs_problem(sh, ln, IN_ARGS, w->ref_first, w->ref_len,
						  span_of(text, strlen(text)))) < 0)
				return error;
		}
	}
	if (word_is(sh, nw, "set") && (error = setx_record(sh, ln, c, name)) < 0)
		return error;
	if ((echo || catlike) && (error = github_env(sh, ln, ci, name, echo, catlike ? doc : NULL)) < 0)
		return error;
	if (word_in(sh, nw, declares)) {
		for (k = name + 1; k < e; k++)
			if (!ln->words[k].redir &&
			    (error = assignment_record(sh, ln, &ln->words[k], &sh->local)) < 0)
				return error;
	}
	return 0;
}

static int script_problem_hostkey(struct script *sh, size_t off)
{
	size_t line, col;

	value_linecol(sh->wf, &sh->map, off, &line, &col);
	return hostkey_problem(sh->wf, line, col);
}

/*
 * A variable in the step's environment (workflow, job, step, $GITHUB_ENV)
 * or set by the script that holds a secret and is not hidden by a plain
 * value of the same name; NULL if none.
 */
static const struct env_var *secret_in_scope(struct script *sh)
{
	const struct env_list *lists[ENV_LEVELS + 1];
	const struct env_var *v;
	size_t n = 0, i, j;
	int level;

	lists[n++] = &sh->local;
	for (level = ENV_LEVELS - 1; level >= 0; level--)
		lists[n++] = &sh->wf->env[level];
	for (i = 0; i < n; i++) {
		for (j = 0; j < lists[i]->len; j++) {
			if (!lists[i]->items[j].origin.len)
				continue;
			v = env_find(sh->wf, &sh->local, lists[i]->items[j].name, false);
			if (v && v->origin.len)
				return v;
		}
	}
	return NULL;
}

static int dump_problem(struct script *sh, size_t off, const char *label, const char *what_vars,
			const struct ref *r)
{
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if (what_vars) {
		if ((error = put_text(&what, label)) < 0 ||
		    (error = pg_buf_puts(&what, " writes every ")) < 0 ||
		    (error = pg_buf_puts(&what, what_vars)) < 0 ||
		    (error = pg_buf_puts(&what, " to the log, ")) < 0 ||
		    (error = put_ref(&what, r)) < 0 ||
		    (error = pg_buf_puts(&what, " among them; print only the variables the step "
					 "needs, by name, and none that holds a secret")) < 0)
			goto out;
	} else if ((error = put_ref(&what, r)) < 0 ||
		   (error = pg_buf_puts(&what, " is written to the log by ")) < 0 ||
		   (error = put_text(&what, label)) < 0 ||
		   (error = pg_buf_puts(&what, "; print only variables that hold no secret")) < 0) {
		goto out;
	}
	error = script_problem(sh, PG_WF_SECRET_TO_LOG, off, &what);
out:
	pg_buf_release(&what);
	return error;
}

/* Does the word name the process environment file, /proc/<pid>/environ? */
static bool word_environ(const struct script *sh, const struct word *w)
{
	char text[WORD_TEXT_MAX];
	size_t n = word_text(sh, w, text, sizeof(text));

	return n < sizeof(text) && !strncmp(text, "/proc/", 6) && n > 14 &&
	       !strcmp(text + n - 8, "/environ");
}

/*
 * Environment dumps whose output reaches the log while a variable holds a
 * secret: env and printenv alone, set, export -p, declare -p/-x, a read of
 * /proc/self/environ; and printenv or declare -p of such a variable.
 */
static int dump_checks(struct script *sh, struct line *ln, size_t ci, int flags)
{
	static const char *const declares[] = { "declare", "typeset", NULL };
	const struct cmd *c = &ln->cmds[ci];
	const struct env_var *var;
	const struct word *w;
	const char *vars = NULL;
	char text[WORD_TEXT_MAX], arg[WORD_TEXT_MAX], label[2 * WORD_TEXT_MAX + 8];
	size_t k, e = c->word_first + c->word_len, at = NO_WORD, nargs = 0, nopts = 0;
	bool printenv = false, declare = false, print_opt = false;
	struct ref r;
	int error;

	if ((flags & (PASS_CAPTURED | PASS_REMOTE)) || (!c->to_log && c->via == NO_WORD))
		return 0;
	if (c->name == NO_WORD) {
		/* env with no command: cmd_name() took it for a prefix. */
		for (k = c->word_first; k < e; k++) {
			w = &ln->words[k];
			if (w->redir || w->assign)
				continue;
			word_text(sh, w, arg, sizeof(arg));
			if (at != NO_WORD && (!strcmp(arg, "-i") || !strcmp(arg, "-") ||
					      !strcmp(arg, "--ignore-environment")))
				return 0;
			if (word_is(sh, w, "env"))
				at = k;
		}
		if (at == NO_WORD)
			return 0;
		vars = "environment variable";
	} else {
		at = c->name;
		printenv = word_is(sh, &ln->words[at], "printenv");
		declare = word_in(sh, &ln->words[at], declares);
		for (k = at + 1; k < e; k++) {
			w = &ln->words[k];
			if (word_environ(sh, w))
				vars = "environment variable"; /* also < /proc/self/environ */
			if (w->redir)
				continue;
			word_text(sh, w, arg, sizeof(arg));
			if (arg[0] == '-' && arg[1]) {
				if (strchr(arg, 'f') || strchr(arg, 'F'))
					declare = false; /* functions, not variables */
				print_opt |= strchr(arg, 'p') != NULL;
				nopts++;
				continue;
			}
			nargs++;
		}
		if (!vars && !nargs) {
			if (printenv)
				vars = "environment variable";
			else if (declare || (!nopts && word_is(sh, &ln->words[at], "set")))
				vars = "shell variable";
			else if (word_is(sh, &ln->words[at], "export") && nopts <= 1 && print_opt == (nopts == 1))
				vars = "exported variable";
		}
		if (!vars && !printenv && !(declare && print_opt))
			return 0;
	}
	word_text(sh, &ln->words[at], text, sizeof(text));
	if (c->via != NO_WORD) {
		word_text(sh, &ln->words[ln->cmds[c->via].name], arg, sizeof(arg));
		snprintf(label, sizeof(label), "%s | %s", text, arg);
	} else {
		snprintf(label, sizeof(label), "%s", text);
	}
	memset(&r, 0, sizeof(r));
	r.kind = REF_SHELL;
	if (vars) {
		if (!(var = secret_in_scope(sh)))
			return 0;
		r.name = var->name;
		r.origin = var->origin;
		return dump_problem(sh, ln->words[at].start, label, vars, &r);
	}
	/* printenv NAME..., declare -p NAME... */
	for (k = at + 1; k < e; k++) {
		w = &ln->words[k];
		if (w->redir)
			continue;
		if (word_text(sh, w, arg, sizeof(arg)) >= sizeof(arg) || arg[0] == '-')
			continue;
		var = env_find(sh->wf, &sh->local, span_of(arg, strlen(arg)), false);
		if (!var || !var->origin.len)
			continue;
		r.name = var->name;
		r.origin = var->origin;
		if ((error = dump_problem(sh, w->start, label, NULL, &r)) < 0)
			return error;
	}
	return 0;
}

static int check_command(struct script *sh, struct line *ln, size_t ci, int flags, int depth)
{
	const struct cmd *c = &ln->cmds[ci];
	size_t name = c->name, k, i, at, e = c->word_first + c->word_len;
	int error;

	if (depth == 0) {
		for (k = c->word_first; k < e; k++) {
			i = ln->words[k].start;
			while (hostkey_next(sh->s, &i, ln->words[k].end, &at))
				if ((error = script_problem_hostkey(sh, at)) < 0)
					return error;
		}
	}
	if (name != NO_WORD && !(flags & PASS_REMOTE) &&
	    (error = secret_checks(sh, ln, ci, name, flags)) < 0)
		return error;
	if (name != NO_WORD && (error = remote_script(sh, ln, ci, name)) < 0)
		return error;
	if ((error = dump_checks(sh, ln, ci, flags)) < 0)
		return error;
	/* Assignments take effect for the commands after this one. */
	for (k = c->word_first; !(flags & PASS_REMOTE) && k < e; k++)
		if (ln->words[k].assign &&
		    (error = assignment_record(sh, ln, &ln->words[k], &sh->local)) < 0)
			return error;
	return 0;
}

static int analyze_span(struct script *sh, size_t start, size_t end, int flags, int depth);

static bool cmd_is(const struct script *sh, const struct line *ln, const struct cmd *c,
		   const char *a, const char *b)
{
	return c->name != NO_WORD &&
	       (word_is(sh, &ln->words[c->name], a) || word_is(sh, &ln->words[c->name], b));
}

/* Facts about each command that depend on its neighbours, in linear time. */
static void line_prepare(const struct script *sh, struct line *ln)
{
	struct cmd *c;
	bool download = false;
	size_t k;

	for (k = 0; k < ln->ncmds; k++) {
		c = &ln->cmds[k];
		c->name = cmd_name(sh, ln, c);
		c->after_download = download;
		download = c->sep == SEP_PIPE && (download || cmd_is(sh, ln, c, "curl", "wget"));
	}
	for (k = ln->ncmds; k-- > 0;) {
		c = &ln->cmds[k];
		c->via = NO_WORD;
		c->to_log = false;
		if (c->out_file)
			continue;
		if (c->sep != SEP_PIPE || k + 1 >= ln->ncmds) {
			c->to_log = true;
		} else if (cmd_is(sh, ln, c + 1, "cat", "tee")) {
			/* cat and tee pass what they read on to their own output */
			c->to_log = c[1].to_log;
			c->via = c[1].via;
		} else if (cmd_transforms(sh, ln, c + 1) && (c[1].to_log || c[1].via != NO_WORD)) {
			c->via = k + 1;
		}
	}
}

static int analyze_line(struct script *sh, struct line *ln, int flags, int depth)
{
	const struct heredoc *d;
	size_t k;
	bool to_log;
	int error;

	line_prepare(sh, ln);
	for (k = 0; k < ln->ncmds; k++)
		if ((error = check_command(sh, ln, k, flags, depth)) < 0)
			return error;
	for (k = 0; k < ln->ndocs; k++) {
		d = &ln->docs[k];
		if (depth == 0 &&
		    (error = hostkey_scan(sh->wf, &sh->map, sh->s, d->body_start, d->body_end)) < 0)
			return error;
		/* A heredoc fed to ssh, sh, kubectl exec... is a script run elsewhere. */
		to_log = cmd_is(sh, ln, &ln->cmds[d->cmd], "cat", "tee") && ln->cmds[d->cmd].to_log;
		if (!to_log &&
		    (error = analyze_span(sh, d->body_start, d->body_end, flags | PASS_REMOTE, depth + 1)) < 0)
			return error;
	}
	for (k = 0; k < ln->nsubsts; k++)
		if ((error = analyze_span(sh, ln->substs[k].start, ln->substs[k].end,
					  flags | PASS_CAPTURED, depth + 1)) < 0)
			return error;
	return 0;
}

static int analyze_span(struct script *sh, size_t start, size_t end, int flags, int depth)
{
	struct line ln;
	size_t i = start;
	int error = 0;

	memset(&ln, 0, sizeof(ln));
	if (depth > MAX_SHELL_DEPTH || start >= end || !work_charge(sh->wf, end - start))
		return 0;
	while (i < end && !sh->wf->stopped) {
		if ((error = read_line(sh, &ln, &i, end, (flags & PASS_REMOTE) != 0)) < 0 ||
		    (error = analyze_line(sh, &ln, flags, depth)) < 0)
			goto out;
	}
out:
	line_free(&ln);
	return error;
}

/* ---- steps, jobs, the document ---- */

/* Is the step's shell one the tokenizer understands (bash, sh, default)? */
static bool shell_posix(const char *shell)
{
	char text[WORD_TEXT_MAX];
	const char *base;
	size_t n = 0;

	if (!shell)
		return true;
	while (is_blank(*shell))
		shell++;
	if (!*shell)
		return true;
	while (shell[n] && !is_blank(shell[n]) && n + 1 < sizeof(text)) {
		text[n] = shell[n];
		n++;
	}
	text[n] = '\0';
	base = strrchr(text, '/');
	return in_list(shells, base ? base + 1 : text);
}

/* pwsh, python, cmd: only ${{ }} interpolation and host key checks. */
static int check_foreign(struct script *sh, const char *shell)
{
	struct line ln;
	struct span cmd = span_of(shell, strlen(shell));
	int error;

	memset(&ln, 0, sizeof(ln));
	if ((error = scan_refs(sh, &ln, 0, sh->len, 0, 0)) < 0 ||
	    (error = refs_problem(sh, &ln, IN_SCRIPT, 0, ln.nrefs, cmd)) < 0 ||
	    (error = hostkey_scan(sh->wf, &sh->map, sh->s, 0, sh->len)) < 0)
		goto out;
out:
	line_free(&ln);
	return error;
}

static int setx_problems(struct script *sh)
{
	const struct env_list *step = &sh->wf->env[ENV_STEP];
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct ref r;
	size_t k;
	int error = 0;

	memset(&r, 0, sizeof(r));
	if (sh->uses_secrets) {
		r = sh->first_secret;
	} else {
		for (k = 0; k < step->len && !r.name.len; k++) {
			if (step->items[k].origin.len) {
				r.kind = REF_SHELL;
				r.name = step->items[k].name;
				r.origin = step->items[k].origin;
			}
		}
	}
	if (!r.name.len)
		return 0;
	if ((error = pg_buf_puts(&what, "set -x traces a step that uses ")) < 0 ||
	    (error = put_ref(&what, &r)) < 0 ||
	    (error = pg_buf_puts(&what, "; the trace writes expanded commands, secrets "
				 "included, to the log")) < 0)
		goto out;
	for (k = 0; k < sh->nsetx; k++)
		if ((error = script_problem(sh, PG_WF_SET_X_WITH_SECRETS, sh->setx[k], &what)) < 0)
			goto out;
out:
	pg_buf_release(&what);
	return error;
}

static int check_run(struct wf *wf, const yaml_node_t *node, const char *shell)
{
	struct script sh;
	int error;

	memset(&sh, 0, sizeof(sh));
	sh.wf = wf;
	sh.node = node;
	sh.s = (const char *)node->data.scalar.value;
	sh.len = node->data.scalar.length;
	if ((error = segmap_build(wf, node, &sh.map)) < 0)
		goto out;
	if (!shell_posix(shell)) {
		error = check_foreign(&sh, shell);
		goto out;
	}
	if ((error = analyze_span(&sh, 0, sh.len, 0, 0)) < 0)
		goto out;
	if (sh.nsetx)
		error = setx_problems(&sh);
out:
	free(sh.map.items);
	free(sh.local.items);
	free(sh.setx);
	return error;
}

/* defaults: run: shell: of a workflow or job, else `inherited`. */
static const char *defaults_shell(struct wf *wf, yaml_node_t *node, const char *inherited)
{
	yaml_node_t *run = pg_yaml_map_get(&wf->y, pg_yaml_map_get(&wf->y, node, "defaults"), "run");
	const char *shell = pg_yaml_scalar(pg_yaml_map_get(&wf->y, run, "shell"));

	return shell ? shell : inherited;
}

/*
 * ---- actions/github-script ----
 *
 * Its `script:` is JavaScript. Not a JS parser: strings, template
 * literals, comments and brackets are followed well enough to find
 * declarations (const t = ...), assignments and logging calls, and what
 * refers to a secret: ${{ secrets.X }} (interpolated before the script
 * runs, so inside strings too), process.env.X where X holds a secret,
 * and variables assigned from either.
 */

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
	size_t close = expr_close(s, i, end);

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

static const struct env_var *js_var(const struct script *sh, struct span name)
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
static bool js_process_env(const char *s, size_t i, size_t end, struct span *name, size_t *e)
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
static bool js_secret(struct script *sh, size_t a, size_t b, struct ref *r, int depth)
{
	const char *s = sh->s;
	const struct env_var *var;
	struct expr_hit hit;
	struct span name;
	size_t i = a, k, e, close;

	while (i < b && work_charge(sh->wf, 1)) {
		if (starts_at(s, i, b, "${{")) {
			close = expr_close(s, i, b);
			k = i + 3;
			if (expr_next_secret(sh->wf, s, &k, close, &hit)) {
				r->kind = hit.kind;
				r->off = hit.off;
				r->name = hit.name;
				r->origin = hit.origin;
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
			var = env_find(sh->wf, NULL, name, false);
			if (var && var->origin.len) {
				r->kind = REF_ENV_EXPR;
				r->off = i;
				r->name = span_of(s + i, e - i);
				r->origin = var->origin;
				return true;
			}
		} else if ((var = js_var(sh, span_of(s + i, e - i))) && var->origin.len &&
			   !starts_at(s, e, b, ".length")) {
			r->kind = REF_ENV_EXPR;
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
static int js_assign(struct script *sh, struct span name, size_t at, size_t *next)
{
	struct span origin = { NULL, 0 };
	struct ref r;
	size_t end = js_code_end(sh->s, at, sh->len, ";,\n", 0);

	*next = end;
	if (!work_charge(sh->wf, end - at))
		return 0;
	if (js_secret(sh, at, end, &r, 0))
		origin = r.kind == REF_SECRET ? r.name : r.origin;
	*next = end;
	return env_set(sh->wf, &sh->local, name, origin);
}

static int js_walk(struct script *sh)
{
	const char *s = sh->s;
	struct span name;
	struct ref r;
	size_t i = 0, k, e, j, close, n;
	bool declared;
	int error;

	while (i < sh->len && work_charge(sh->wf, 1)) {
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
			if (work_charge(sh->wf, close - j) && js_secret(sh, j + 1, close, &r, 0) &&
			    (error = ref_problem(sh, JS_TO_LOG, &r, name)) < 0)
				return error;
		}
		i = e;
	}
	return 0;
}

/* Does `uses:` name actions/github-script, at any version or host? */
static bool uses_github_script(const char *uses)
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
static bool js_logged(const struct script *sh, size_t off)
{
	const struct pg_workflow_problems *out = sh->wf->out;
	size_t line, col, i;

	value_linecol(sh->wf, &sh->map, off, &line, &col);
	for (i = sh->wf->first; i < out->len; i++)
		if (out->items[i].check == PG_WF_SECRET_TO_LOG && out->items[i].line == line &&
		    out->items[i].column == col)
			return true;
	return false;
}

static int check_github_script(struct wf *wf, const yaml_node_t *node)
{
	static const char label[] = "actions/github-script";
	struct script sh;
	struct line ln;
	size_t k;
	int error;

	memset(&sh, 0, sizeof(sh));
	memset(&ln, 0, sizeof(ln));
	sh.wf = wf;
	sh.node = node;
	sh.s = (const char *)node->data.scalar.value;
	sh.len = node->data.scalar.length;
	if ((error = segmap_build(wf, node, &sh.map)) < 0 || (error = js_walk(&sh)) < 0)
		goto out;
	/* Interpolated secrets become part of the script: warn, as for pwsh. */
	if ((error = scan_refs(&sh, &ln, 0, sh.len, 0, 0)) < 0)
		goto out;
	for (k = 0; k < ln.nrefs; k++) {
		if (js_logged(&sh, ln.refs[k].off))
			continue;
		if ((error = ref_problem(&sh, IN_JS, &ln.refs[k], span_of(label, sizeof(label) - 1))) < 0)
			goto out;
	}
	error = hostkey_scan(wf, &sh.map, sh.s, 0, sh.len);
out:
	line_free(&ln);
	free(sh.map.items);
	free(sh.local.items);
	return error;
}

static int check_step(struct wf *wf, yaml_node_t *step, size_t n, const char *shell)
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
	wf->env[ENV_STEP].len = 0;
	if ((error = env_load(wf, pg_yaml_map_get(&wf->y, step, "env"), ENV_STEP)) < 0)
		goto out;
	if (run && run->type == YAML_SCALAR_NODE)
		error = check_run(wf, run, own ? own : shell);
	else if (uses && uses_github_script(uses) && script && script->type == YAML_SCALAR_NODE)
		error = check_github_script(wf, script);
out:
	wf->step = NULL;
	return error;
}

static int check_job(struct wf *wf, const char *id, yaml_node_t *job, const char *shell)
{
	yaml_node_t *steps = pg_yaml_map_get(&wf->y, job, "steps"), *item;
	size_t i;
	int error;

	wf->job = id;
	wf->env[ENV_JOB].len = 0;
	wf->env[ENV_DYNAMIC].len = 0;
	shell = defaults_shell(wf, job, shell);
	if ((error = env_load(wf, pg_yaml_map_get(&wf->y, job, "env"), ENV_JOB)) < 0)
		goto out;
	for (i = 0; steps && i < pg_yaml_seq_len(steps); i++) {
		item = pg_yaml_seq_item(&wf->y, steps, i);
		if (!work_charge(wf, 64))
			break;
		if (item && item->type == YAML_MAPPING_NODE &&
		    (error = check_step(wf, item, i + 1, shell)) < 0)
			goto out;
	}
out:
	wf->job = NULL;
	return error;
}

static int check_root(struct wf *wf)
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
	if ((error = env_load(wf, pg_yaml_map_get(&wf->y, root, "env"), ENV_WORKFLOW)) < 0)
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

static int parser_problem(struct wf *wf, const yaml_parser_t *parser)
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
static int parse_check(struct wf *wf, bool *ok)
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

static int load(struct wf *wf, bool *ok)
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
	struct wf wf;
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
	for (level = 0; level < ENV_LEVELS; level++)
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
