/*
 * workflow_shell.c - the shell tokenizer of the workflow checker (see
 * workflow_shell.h).
 *
 * Not a shell parser: enough of one to follow quotes, \ continuations,
 * ; && || | &, redirections, heredocs and $( ) that real run: scripts
 * use, line by line. Control flow is ignored (every command counts),
 * functions are not followed, and redirections of { } or ( ) groups do
 * not reach the commands inside. Records what it finds and judges
 * nothing: which references hold secrets depends on assignments the
 * checks see only as they walk the commands.
 */
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/error.h"
#include "scanners/workflow_shell.h"

static void line_reset(struct pg_wf_line *ln, const char *s)
{
	ln->s = s;
	ln->open = false;
	ln->more = false;
	ln->ncmds = ln->nwords = ln->nrefs = ln->ndocs = ln->nsubsts = 0;
}

void pg_wf_shell_line_free(struct pg_wf_line *ln)
{
	free(ln->cmds);
	free(ln->words);
	free(ln->refs);
	free(ln->docs);
	free(ln->substs);
}

static int ref_add(struct pg_wf_line *ln, const struct pg_wf_ref *r)
{
	struct pg_wf_ref *items;

	items = pg_array_grow(ln->refs, &ln->arefs, ln->nrefs + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->refs = items;
	items[ln->nrefs++] = *r;
	return 0;
}

static int subst_add(struct pg_wf_line *ln, size_t start, size_t end)
{
	struct pg_wf_subst *items;

	items = pg_array_grow(ln->substs, &ln->asubsts, ln->nsubsts + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->substs = items;
	items[ln->nsubsts].start = start;
	items[ln->nsubsts].end = end;
	ln->nsubsts++;
	return 0;
}

/* Record the references of the expression "${{" at *i; *i moves past "}}". */
static int take_expr(struct pg_wf_line *ln, size_t *i, size_t end)
{
	size_t close = pg_wf_expr_close(ln->s, *i, end), k = *i + 3;
	struct pg_wf_ref r;
	int error;

	while (pg_wf_expr_ref_next(ln->s, &k, close, &r))
		if ((error = ref_add(ln, &r)) < 0)
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
			i = pg_wf_expr_close(s, i, end);
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

static int scan_refs(struct pg_wf_line *ln, size_t a, size_t b, int flags, int depth);

/* The shell variable s[a, b), referenced by the expansion at `off`. */
static int shell_var(struct pg_wf_line *ln, size_t off, size_t a, size_t b)
{
	struct pg_wf_ref r;

	if (b == a)
		return 0;
	memset(&r, 0, sizeof(r));
	r.kind = PG_WF_REF_SHELL;
	r.off = off;
	r.name = r.var = span_of(ln->s + a, b - a);
	return ref_add(ln, &r);
}

/*
 * The expansion at *i ('$' or '`'): variables, ${ }, $( ) and ` `. With
 * `record`, command substitutions are remembered to be analysed as scripts
 * of their own (their secrets are not the enclosing word's: echo "$(cmd)"
 * prints cmd's output); without, their references count as ours.
 */
static int take_dollar(struct pg_wf_line *ln, size_t *i, size_t end, bool record,
		       int depth)
{
	const char *s = ln->s;
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
			error = scan_refs(ln, at + 1, close, PG_WF_SCAN_SHELL | PG_WF_SCAN_QUOTES, depth + 1);
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
			error = scan_refs(ln, at + 3, close, PG_WF_SCAN_SHELL, depth + 1);
		} else if (record) {
			error = subst_add(ln, at + 2, close);
		} else {
			error = scan_refs(ln, at + 2, close, PG_WF_SCAN_SHELL | PG_WF_SCAN_QUOTES, depth + 1);
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
		if ((error = shell_var(ln, at, a, b)) < 0 ||
		    (error = scan_refs(ln, b, close, PG_WF_SCAN_SHELL | PG_WF_SCAN_QUOTES, depth + 1)) < 0)
			return error;
		*i = close < end ? close + 1 : end;
		return 0;
	}
	if (is_var_start(s[at + 1])) {
		for (b = at + 1; b < end && is_var_char(s[b]); b++)
			;
		*i = b;
		return shell_var(ln, at, at + 1, b);
	}
	*i = at + 1;
	return 0;
}

/* References in s[a, b): expressions always, variables with PG_WF_SCAN_SHELL. */
static int scan_refs(struct pg_wf_line *ln, size_t a, size_t b, int flags, int depth)
{
	const char *s = ln->s;
	bool squote = false, dquote = false;
	size_t i = a;
	int error;

	if (depth > PG_WF_SHELL_DEPTH_MAX)
		return 0;
	while (i < b) {
		if (starts_at(s, i, b, "${{")) {
			if ((error = take_expr(ln, &i, b)) < 0)
				return error;
			continue;
		}
		if ((flags & PG_WF_SCAN_QUOTES) && squote) {
			squote = s[i] != '\'';
			i++;
			continue;
		}
		if ((flags & PG_WF_SCAN_QUOTES) && s[i] == '\\') {
			i += 2;
			continue;
		}
		if ((flags & PG_WF_SCAN_QUOTES) && s[i] == '"')
			dquote = !dquote;
		if ((flags & PG_WF_SCAN_QUOTES) && s[i] == '\'' && !dquote) {
			squote = true;
			i++;
			continue;
		}
		if ((flags & PG_WF_SCAN_SHELL) && (s[i] == '$' || s[i] == '`')) {
			if ((error = take_dollar(ln, &i, b, false, depth)) < 0)
				return error;
			continue;
		}
		i++;
	}
	return 0;
}

/* Move *i past one shell word, recording its references and substitutions. */
static int scan_word(struct pg_wf_line *ln, size_t *i, size_t end)
{
	const char *s = ln->s;
	size_t k = *i, close;
	char quote = 0;
	int error;

	while (k < end) {
		char c = s[k];

		if (starts_at(s, k, end, "${{")) {
			if ((error = take_expr(ln, &k, end)) < 0)
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
			if ((error = take_dollar(ln, &k, end, true, 0)) < 0)
				return error;
			continue;
		}
		k++;
	}
	*i = k < end ? k : end;
	return 0;
}

static int cmd_open(struct pg_wf_line *ln)
{
	struct pg_wf_cmd *items;

	if (ln->open)
		return 0;
	items = pg_array_grow(ln->cmds, &ln->acmds, ln->ncmds + 1, sizeof(*items));
	if (!items)
		return pg_error_oom();
	ln->cmds = items;
	memset(&items[ln->ncmds], 0, sizeof(*items));
	items[ln->ncmds].word_first = ln->nwords;
	items[ln->ncmds].out_word = PG_WF_NO_WORD;
	items[ln->ncmds].herestring = PG_WF_NO_WORD;
	ln->ncmds++;
	ln->open = true;
	return 0;
}

static void cmd_close(struct pg_wf_line *ln, enum pg_wf_sep sep)
{
	if (ln->open)
		ln->cmds[ln->ncmds - 1].sep = sep;
	else if (ln->ncmds && sep == PG_WF_SEP_PIPE)
		ln->cmds[ln->ncmds - 1].sep = sep; /* ( ... ) | cmd */
	ln->open = false;
	ln->more = sep == PG_WF_SEP_PIPE || sep == PG_WF_SEP_AND || sep == PG_WF_SEP_OR;
}

/* Add the word at *i to the open command; *widx receives its index. */
static int word_add(struct pg_wf_line *ln, size_t *i, size_t end, bool redir,
		    size_t *widx)
{
	struct pg_wf_word *items;
	size_t start = *i, first = ln->nrefs;
	int error;

	if ((error = cmd_open(ln)) < 0 || (error = scan_word(ln, i, end)) < 0)
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

size_t pg_wf_shell_word_text(const char *s, const struct pg_wf_word *w, char *out, size_t cap)
{
	size_t k, n = 0;
	char c;

	for (k = w->start; k < w->end; k++) {
		c = s[k];
		if (c == '\'' || c == '"')
			continue;
		if (c == '\\' && k + 1 < w->end)
			c = s[++k];
		if (n + 1 < cap)
			out[n] = c;
		n++;
	}
	out[n < cap ? n : cap - 1] = '\0';
	return n;
}

static bool word_quoted(const char *s, const struct pg_wf_word *w)
{
	size_t k;

	for (k = w->start; k < w->end; k++)
		if (s[k] == '\'' || s[k] == '"' || s[k] == '\\')
			return true;
	return false;
}

/* A redirection at *i: n>, >>, >|, >&, &>, <, <<, <<-, <<<. */
static int take_redirect(struct pg_wf_line *ln, size_t *i, size_t end)
{
	const char *s = ln->s;
	size_t k = *i, fd = 1, widx;
	bool out = false, dup = false, both = false, heredoc = false, strip = false, here_string = false;
	struct pg_wf_cmd *c;
	struct pg_wf_heredoc *docs;
	char text[PG_WF_WORD_MAX];
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
	if ((error = word_add(ln, i, end, true, &widx)) < 0)
		return error;
	c = &ln->cmds[ln->ncmds - 1];
	pg_wf_shell_word_text(ln->s, &ln->words[widx], text, sizeof(text));
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
		docs[ln->ndocs].quoted = word_quoted(ln->s, &ln->words[widx]);
		ln->ndocs++;
	}
	return 0;
}

/* Does the line s[a, b) equal the heredoc delimiter word (without quotes)? */
static bool is_delimiter(const char *s, const struct pg_wf_word *w, size_t a, size_t b)
{
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
static int read_heredocs(struct pg_wf_line *ln, size_t *i, size_t end)
{
	struct pg_wf_heredoc *d;
	size_t n, ls, le = end, a;
	int error;

	for (n = 0; n < ln->ndocs; n++) {
		d = &ln->docs[n];
		d->body_start = d->body_end = *i;
		for (ls = *i; ls < end; ls = le + 1) {
			const char *nl = memchr(ln->s + ls, '\n', end - ls);

			le = nl ? (size_t)(nl - ln->s) : end;
			a = ls;
			while (d->strip && a < le && ln->s[a] == '\t')
				a++;
			if (is_delimiter(ln->s, &ln->words[d->word], a, le))
				break;
			d->body_end = le < end ? le + 1 : end;
		}
		*i = ls < end ? (le < end ? le + 1 : end) : end;
		d->ref_first = ln->nrefs;
		if ((error = scan_refs(ln, d->body_start, d->body_end,
				       d->quoted ? 0 : PG_WF_SCAN_SHELL, 0)) < 0)
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

int pg_wf_shell_line_read(struct pg_wf_line *ln, const char *s, size_t *i, size_t end)
{
	size_t k = *i;
	int error = 0;

	line_reset(ln, s);
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
			cmd_close(ln, PG_WF_SEP_SEQ);
			k++;
		} else if (c == '&' && k + 1 < end && s[k + 1] == '&') {
			cmd_close(ln, PG_WF_SEP_AND);
			k += 2;
		} else if (c == '|' && k + 1 < end && s[k + 1] == '|') {
			cmd_close(ln, PG_WF_SEP_OR);
			k += 2;
		} else if (c == '|') {
			cmd_close(ln, PG_WF_SEP_PIPE);
			k += (k + 1 < end && s[k + 1] == '&') ? 2 : 1;
		} else if (c == '&' && !(k + 1 < end && s[k + 1] == '>')) {
			cmd_close(ln, PG_WF_SEP_BG);
			k++;
		} else if (c == '(' || c == ')') {
			cmd_close(ln, PG_WF_SEP_SEQ);
			k++;
		} else if (redirect_at(s, k, end)) {
			if ((error = take_redirect(ln, &k, end)) < 0)
				return error;
		} else {
			if ((error = word_add(ln, &k, end, false, NULL)) < 0)
				return error;
		}
	}
	cmd_close(ln, PG_WF_SEP_END);
	if ((error = read_heredocs(ln, &k, end)) < 0)
		return error;
	*i = k;
	return 0;
}

int pg_wf_shell_refs_scan(struct pg_wf_line *ln, const char *s, size_t a, size_t b, int flags)
{
	ln->s = s;
	return scan_refs(ln, a, b, flags, 0);
}
