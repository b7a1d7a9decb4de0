/*
 * workflow_checks.c - the checks on run: scripts (see workflow_checks.h).
 *
 * Tokenizes each line (workflow_shell.c), decides which of its
 * references hold a secret, then judges each command: secrets written to
 * the log (echo, cat <<, | base64, env dumps) or passed as arguments,
 * set -x with secrets, disabled host key checks, curl | sh. Assignments
 * (NAME=, export, >> $GITHUB_ENV) are recorded as they are met, so a
 * variable holds a secret from the command after the one that set it.
 * Never copies or prints a secret value: messages name references only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/buf.h"
#include "common/error.h"
#include "scanners/workflow_checks.h"

enum pass_flags {
	PASS_CAPTURED = 1, /* inside $( ): standard output does not reach the log */
	PASS_REMOTE = 2    /* a heredoc body fed to another program */
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


static size_t word_text(const struct pg_wf_script *sh, const struct pg_wf_word *w, char *out,
			size_t cap)
{
	return pg_wf_shell_word_text(sh->s, w, out, cap);
}

/* Is the word (its last path component) one of `list`? */
static bool word_in(const struct pg_wf_script *sh, const struct pg_wf_word *w,
		    const char *const *list)
{
	char text[PG_WF_WORD_MAX];
	const char *base;

	if (word_text(sh, w, text, sizeof(text)) >= sizeof(text))
		return false;
	base = strrchr(text, '/');
	return in_list(list, base ? base + 1 : text);
}

static bool word_is(const struct pg_wf_script *sh, const struct pg_wf_word *w, const char *name)
{
	const char *list[2] = { name, NULL };

	return word_in(sh, w, list);
}

/* Where, counting only those kept, refs[at] will be: *cur and *kept advance with `at`. */
static size_t kept_before(const struct pg_wf_line *ln, size_t at, size_t *cur, size_t *kept)
{
	if (at < *cur)
		*cur = *kept = 0;
	for (; *cur < at; (*cur)++)
		if (ln->refs[*cur].origin.len)
			(*kept)++;
	return *kept;
}

/* Drop the references that hold no secret; words and heredocs follow. */
static void refs_compact(struct pg_wf_line *ln)
{
	size_t k, n = 0, cur = 0, kept = 0, first;

	/* Words, then heredocs, take their references in text order: one pass each. */
	for (k = 0; k < ln->nwords; k++) {
		first = kept_before(ln, ln->words[k].ref_first, &cur, &kept);
		ln->words[k].ref_len = kept_before(ln, ln->words[k].ref_first + ln->words[k].ref_len,
						   &cur, &kept) - first;
		ln->words[k].ref_first = first;
	}
	cur = kept = 0;
	for (k = 0; k < ln->ndocs; k++) {
		first = kept_before(ln, ln->docs[k].ref_first, &cur, &kept);
		ln->docs[k].ref_len = kept_before(ln, ln->docs[k].ref_first + ln->docs[k].ref_len,
						  &cur, &kept) - first;
		ln->docs[k].ref_first = first;
	}
	for (k = 0; k < ln->nrefs; k++)
		if (ln->refs[k].origin.len)
			ln->refs[n++] = ln->refs[k];
	ln->nrefs = n;
}

void pg_wf_script_refs_resolve(struct pg_wf_script *sh, struct pg_wf_line *ln, bool remote)
{
	struct pg_wf_ref *r;
	size_t k;

	for (k = 0; k < ln->nrefs; k++) {
		r = &ln->refs[k];
		r->origin = span_of(NULL, 0);
		if (remote && r->kind == PG_WF_REF_SHELL)
			continue;
		if (!pg_wf_ref_resolve(sh->wf, &sh->local, r))
			continue;
		if (!sh->uses_secrets) {
			sh->uses_secrets = true;
			sh->first_secret = *r;
		}
	}
	refs_compact(ln);
}

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

static int hostkey_problem(struct pg_wf *wf, size_t line, size_t col)
{
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if ((error = pg_buf_puts(&what, "StrictHostKeyChecking=no turns off SSH host key "
				 "verification; pin the host key in known_hosts instead")) < 0)
		goto out;
	error = pg_wf_problem_add(wf, PG_WF_NO_HOST_KEY_CHECK, line, col, &what);
out:
	pg_buf_release(&what);
	return error;
}

int pg_wf_hostkey_scan(struct pg_wf *wf, const struct pg_wf_segmap *m, const char *v,
		       size_t from, size_t to)
{
	size_t i = from, at, line, col;
	int error;

	while (hostkey_next(v, &i, to, &at)) {
		pg_wf_segmap_linecol(wf, m, at, &line, &col);
		if ((error = hostkey_problem(wf, line, col)) < 0)
			return error;
	}
	return 0;
}

static bool is_assignment(const struct pg_wf_script *sh, const struct pg_wf_word *w,
			  struct pg_wf_span *name)
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
static size_t cmd_name(const struct pg_wf_script *sh, struct pg_wf_line *ln,
		       const struct pg_wf_cmd *c)
{
	static const char sudo_args[] = "ugChpUrtDR";
	size_t k, e = c->word_first + c->word_len;
	bool sudo = false, env = false, started = false;
	char text[PG_WF_WORD_MAX];
	struct pg_wf_word *w;

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
	return PG_WF_NO_WORD;
}

static int put_ref(struct pg_buf *b, const struct pg_wf_ref *r)
{
	int error;

	if (r->kind == PG_WF_REF_SHELL && (error = pg_buf_putc(b, '$')) < 0)
		return error;
	if ((error = pg_wf_buf_put_span(b, r->name)) < 0)
		return error;
	if (r->kind == PG_WF_REF_SECRET)
		return 0;
	if ((error = pg_buf_puts(b, " (set from ")) < 0 || (error = pg_wf_buf_put_span(b, r->origin)) < 0)
		return error;
	return pg_buf_putc(b, ')');
}

static int script_problem(struct pg_wf_script *sh, enum pg_workflow_check check, size_t off,
			  const struct pg_buf *what)
{
	size_t line, col;

	pg_wf_segmap_linecol(sh->wf, &sh->map, off, &line, &col);
	return pg_wf_problem_add(sh->wf, check, line, col, what);
}

static bool where_logs(enum pg_wf_ref_where where)
{
	return where == PG_WF_TO_LOG || where == PG_WF_TO_LOG_CHANGED || where == PG_WF_JS_TO_LOG;
}

int pg_wf_script_ref_report(struct pg_wf_script *sh, enum pg_wf_ref_where where,
			    const struct pg_wf_ref *r, struct pg_wf_span cmd)
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
	    (error = pg_wf_buf_put_span(&what, cmd)) < 0 ||
	    (error = pg_buf_puts(&what, fix[where])) < 0)
		goto out;
	error = script_problem(sh, where_logs(where) ? PG_WF_SECRET_TO_LOG : PG_WF_SECRET_IN_ARGS,
			       r->off, &what);
out:
	pg_buf_release(&what);
	return error;
}

/* Report refs[first, first + len); shell variables only when written to the log. */
static int refs_problem(struct pg_wf_script *sh, struct pg_wf_line *ln, enum pg_wf_ref_where where,
			size_t first, size_t len, struct pg_wf_span cmd)
{
	size_t r;
	int error;

	for (r = first; r < first + len; r++) {
		if (!where_logs(where) && ln->refs[r].kind == PG_WF_REF_SHELL)
			continue;
		if ((error = pg_wf_script_ref_report(sh, where, &ln->refs[r], cmd)) < 0)
			return error;
	}
	return 0;
}

/* Report the references of words[from, e), redirections left out, as used by `label`. */
static int words_problem(struct pg_wf_script *sh, struct pg_wf_line *ln,
			 enum pg_wf_ref_where where, size_t from, size_t e, const char *label)
{
	const struct pg_wf_word *w;
	size_t k;
	int error;

	for (k = from; k < e; k++) {
		w = &ln->words[k];
		if (!w->redir &&
		    (error = refs_problem(sh, ln, where, w->ref_first, w->ref_len,
					  span_of(label, strlen(label)))) < 0)
			return error;
	}
	return 0;
}

static struct pg_wf_span ref_origin(const struct pg_wf_ref *r)
{
	return r->kind == PG_WF_REF_SECRET ? r->name : r->origin;
}

/* Remember NAME=value: the variable holds a secret if the value refers to one. */
static int assignment_record(struct pg_wf_script *sh, struct pg_wf_line *ln,
			     const struct pg_wf_word *w, struct pg_wf_env_list *list)
{
	struct pg_wf_span name, origin = { NULL, 0 };

	if (!is_assignment(sh, w, &name))
		return 0;
	if (w->ref_len)
		origin = ref_origin(&ln->refs[w->ref_first]);
	return pg_wf_env_set(sh->wf, list, name, origin);
}

/* NAME=value at s[a, b) (after blanks and an opening quote): the name. */
static bool line_assignment(const char *s, size_t a, size_t b, struct pg_wf_span *name)
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
static int github_env(struct pg_wf_script *sh, struct pg_wf_line *ln, size_t ci, size_t name,
		      bool echo, const struct pg_wf_heredoc *doc)
{
	const struct pg_wf_cmd *c = &ln->cmds[ci];
	const struct pg_wf_word *t, *w;
	struct pg_wf_env_list *dyn = &sh->wf->env[PG_WF_ENV_DYNAMIC];
	struct pg_wf_span var, origin;
	size_t k, r, ls, le;
	const char *nl;
	int error;

	if (!c->out_file || c->out_word == PG_WF_NO_WORD)
		return 0;
	t = &ln->words[c->out_word];
	if (!memmem(sh->s + t->start, t->end - t->start, "GITHUB_ENV", 10))
		return 0;
	for (k = name + 1; echo && k < c->word_first + c->word_len; k++) {
		w = &ln->words[k];
		if (w->redir || !line_assignment(sh->s, w->start, w->end, &var))
			continue;
		origin = w->ref_len ? ref_origin(&ln->refs[w->ref_first]) : span_of(NULL, 0);
		if ((error = pg_wf_env_set(sh->wf, dyn, var, origin)) < 0)
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
		if ((error = pg_wf_env_set(sh->wf, dyn, var, origin)) < 0)
			return error;
	}
	return 0;
}

/* Does the word run curl or wget in a substitution: $(curl, <(wget, `curl? */
static bool word_downloads(const struct pg_wf_script *sh, const struct pg_wf_word *w)
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

static int remote_script(struct pg_wf_script *sh, struct pg_wf_line *ln, size_t ci, size_t name)
{
	static const char *const runners[] = { "source", ".", "eval", NULL };
	const struct pg_wf_cmd *c = &ln->cmds[ci];
	const struct pg_wf_word *nw = &ln->words[name], *w;
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	char text[PG_WF_WORD_MAX];
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
	if ((error = pg_wf_buf_put_span(&what, span_of(text, strlen(text)))) < 0 ||
	    (error = pg_buf_puts(&what, " runs a script downloaded with curl or wget without "
				 "checking it; download it to a file, verify its checksum, then "
				 "run it")) < 0)
		goto out;
	error = script_problem(sh, PG_WF_REMOTE_SCRIPT, nw->start, &what);
out:
	pg_buf_release(&what);
	return error;
}

static int setx_record(struct pg_wf_script *sh, struct pg_wf_line *ln, const struct pg_wf_cmd *c,
		       size_t name)
{
	char text[PG_WF_WORD_MAX], next[PG_WF_WORD_MAX];
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

/* The first word after `name` that is not a redirection, or PG_WF_NO_WORD. */
static size_t next_arg(const struct pg_wf_line *ln, const struct pg_wf_cmd *c, size_t name)
{
	size_t k;

	for (k = name + 1; k < c->word_first + c->word_len; k++)
		if (!ln->words[k].redir)
			return k;
	return PG_WF_NO_WORD;
}

/* Does the command print what it reads, changed (see transforms[])? */
static bool cmd_transforms(const struct pg_wf_script *sh, const struct pg_wf_line *ln,
			   const struct pg_wf_cmd *c)
{
	static const char *const openssl_encoders[] = { "enc", "base64", NULL };
	static const char *const printers[] = { "echo", "printf", NULL };
	char text[PG_WF_WORD_MAX];
	size_t k, e = c->word_first + c->word_len;

	if (c->name == PG_WF_NO_WORD)
		return false;
	if (word_in(sh, &ln->words[c->name], transforms))
		return true;
	if (word_is(sh, &ln->words[c->name], "openssl")) {
		k = next_arg(ln, c, c->name);
		return k != PG_WF_NO_WORD && word_in(sh, &ln->words[k], openssl_encoders);
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

static const struct pg_wf_heredoc *cmd_heredoc(const struct pg_wf_line *ln, size_t ci)
{
	size_t n;

	for (n = ln->ndocs; n > 0; n--)
		if (ln->docs[n - 1].cmd == ci)
			return &ln->docs[n - 1];
	return NULL;
}

/* Secret checks of one command: echo to the log, arguments, set -x, assignments. */
static int secret_checks(struct pg_wf_script *sh, struct pg_wf_line *ln, size_t ci, size_t name,
			 int flags)
{
	static const char *const declares[] = { "export", "local", "declare", "readonly", "typeset", NULL };
	const struct pg_wf_cmd *c = &ln->cmds[ci];
	const struct pg_wf_word *nw = &ln->words[name], *w;
	const struct pg_wf_heredoc *doc = cmd_heredoc(ln, ci);
	size_t k, e = c->word_first + c->word_len;
	char text[PG_WF_WORD_MAX], label[2 * PG_WF_WORD_MAX + 8], via[PG_WF_WORD_MAX];
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
	changed = !(flags & PASS_CAPTURED) && !c->to_log && c->via != PG_WF_NO_WORD;
	transform = cmd_transforms(sh, ln, c);
	word_text(sh, nw, text, sizeof(text));
	via[0] = '\0';
	if (changed)
		word_text(sh, &ln->words[ln->cmds[c->via].name], via, sizeof(via));
	for (k = name + 1; k < e; k++) {
		char arg[PG_WF_WORD_MAX];

		word_text(sh, &ln->words[k], arg, sizeof(arg));
		if (!ln->words[k].redir && !strncmp(arg, "::add-mask::", 12))
			mask = true;
	}
	if (echo && to_log && !mask &&
	    (error = words_problem(sh, ln, PG_WF_TO_LOG, name + 1, e, text)) < 0)
		return error;
	if (echo && changed && !mask) {
		snprintf(label, sizeof(label), "%s | %s", text, via);
		if ((error = words_problem(sh, ln, PG_WF_TO_LOG_CHANGED, name + 1, e, label)) < 0)
			return error;
	}
	if ((catlike && changed) || (transform && (to_log || changed))) {
		if (doc) {
			snprintf(label, sizeof(label), "%s <<%s%s", text, changed ? " | " : "", via);
			if ((error = refs_problem(sh, ln, PG_WF_TO_LOG_CHANGED, doc->ref_first, doc->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
		if (c->herestring != PG_WF_NO_WORD) {
			w = &ln->words[c->herestring];
			snprintf(label, sizeof(label), "%s <<<%s%s", text, changed ? " | " : "", via);
			if ((error = refs_problem(sh, ln, PG_WF_TO_LOG_CHANGED, w->ref_first, w->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
	}
	if (catlike && to_log) {
		if (doc) {
			snprintf(label, sizeof(label), "%s <<", text);
			if ((error = refs_problem(sh, ln, PG_WF_TO_LOG, doc->ref_first, doc->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
		if (c->herestring != PG_WF_NO_WORD) {
			w = &ln->words[c->herestring];
			snprintf(label, sizeof(label), "%s <<<", text);
			if ((error = refs_problem(sh, ln, PG_WF_TO_LOG, w->ref_first, w->ref_len,
						  span_of(label, strlen(label)))) < 0)
				return error;
		}
	}
	if (!word_in(sh, nw, shell_builtins) &&
	    (error = words_problem(sh, ln, PG_WF_IN_ARGS, name, e, text)) < 0)
		return error;
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

static int script_problem_hostkey(struct pg_wf_script *sh, size_t off)
{
	size_t line, col;

	pg_wf_segmap_linecol(sh->wf, &sh->map, off, &line, &col);
	return hostkey_problem(sh->wf, line, col);
}

/*
 * A variable in the step's environment (workflow, job, step, $GITHUB_ENV)
 * or set by the script that holds a secret and is not hidden by a plain
 * value of the same name; NULL if none.
 */
static const struct pg_wf_env_var *secret_in_scope(struct pg_wf_script *sh)
{
	const struct pg_wf_env_list *lists[PG_WF_ENV_LEVELS + 1];
	const struct pg_wf_env_var *v;
	size_t n = 0, i, j;
	int level;

	lists[n++] = &sh->local;
	for (level = PG_WF_ENV_LEVELS - 1; level >= 0; level--)
		lists[n++] = &sh->wf->env[level];
	for (i = 0; i < n; i++) {
		for (j = 0; j < lists[i]->len; j++) {
			if (!lists[i]->items[j].origin.len)
				continue;
			v = pg_wf_env_find(sh->wf, &sh->local, lists[i]->items[j].name, false);
			if (v && v->origin.len)
				return v;
		}
	}
	return NULL;
}

static int dump_problem(struct pg_wf_script *sh, size_t off, const char *label,
			const char *what_vars, const struct pg_wf_ref *r)
{
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	int error;

	if (what_vars) {
		if ((error = pg_wf_buf_put_text(&what, label)) < 0 ||
		    (error = pg_buf_puts(&what, " writes every ")) < 0 ||
		    (error = pg_buf_puts(&what, what_vars)) < 0 ||
		    (error = pg_buf_puts(&what, " to the log, ")) < 0 ||
		    (error = put_ref(&what, r)) < 0 ||
		    (error = pg_buf_puts(&what, " among them; print only the variables the step "
					 "needs, by name, and none that holds a secret")) < 0)
			goto out;
	} else if ((error = put_ref(&what, r)) < 0 ||
		   (error = pg_buf_puts(&what, " is written to the log by ")) < 0 ||
		   (error = pg_wf_buf_put_text(&what, label)) < 0 ||
		   (error = pg_buf_puts(&what, "; print only variables that hold no secret")) < 0) {
		goto out;
	}
	error = script_problem(sh, PG_WF_SECRET_TO_LOG, off, &what);
out:
	pg_buf_release(&what);
	return error;
}

/* Does the word name the process environment file, /proc/<pid>/environ? */
static bool word_environ(const struct pg_wf_script *sh, const struct pg_wf_word *w)
{
	char text[PG_WF_WORD_MAX];
	size_t n = word_text(sh, w, text, sizeof(text));

	return n < sizeof(text) && !strncmp(text, "/proc/", 6) && n > 14 &&
	       !strcmp(text + n - 8, "/environ");
}

/*
 * Environment dumps whose output reaches the log while a variable holds a
 * secret: env and printenv alone, set, export -p, declare -p/-x, a read of
 * /proc/self/environ; and printenv or declare -p of such a variable.
 */
static int dump_checks(struct pg_wf_script *sh, struct pg_wf_line *ln, size_t ci, int flags)
{
	static const char *const declares[] = { "declare", "typeset", NULL };
	const struct pg_wf_cmd *c = &ln->cmds[ci];
	const struct pg_wf_env_var *var;
	const struct pg_wf_word *w;
	const char *vars = NULL;
	char text[PG_WF_WORD_MAX], arg[PG_WF_WORD_MAX], label[2 * PG_WF_WORD_MAX + 8];
	size_t k, e = c->word_first + c->word_len, at = PG_WF_NO_WORD, nargs = 0, nopts = 0;
	bool printenv = false, declare = false, print_opt = false;
	struct pg_wf_ref r;
	int error;

	if ((flags & (PASS_CAPTURED | PASS_REMOTE)) || (!c->to_log && c->via == PG_WF_NO_WORD))
		return 0;
	if (c->name == PG_WF_NO_WORD) {
		/* env with no command: cmd_name() took it for a prefix. */
		for (k = c->word_first; k < e; k++) {
			w = &ln->words[k];
			if (w->redir || w->assign)
				continue;
			word_text(sh, w, arg, sizeof(arg));
			if (at != PG_WF_NO_WORD && (!strcmp(arg, "-i") || !strcmp(arg, "-") ||
					      !strcmp(arg, "--ignore-environment")))
				return 0;
			if (word_is(sh, w, "env"))
				at = k;
		}
		if (at == PG_WF_NO_WORD)
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
	if (c->via != PG_WF_NO_WORD) {
		word_text(sh, &ln->words[ln->cmds[c->via].name], arg, sizeof(arg));
		snprintf(label, sizeof(label), "%s | %s", text, arg);
	} else {
		snprintf(label, sizeof(label), "%s", text);
	}
	memset(&r, 0, sizeof(r));
	r.kind = PG_WF_REF_SHELL;
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
		var = pg_wf_env_find(sh->wf, &sh->local, span_of(arg, strlen(arg)), false);
		if (!var || !var->origin.len)
			continue;
		r.name = var->name;
		r.origin = var->origin;
		if ((error = dump_problem(sh, w->start, label, NULL, &r)) < 0)
			return error;
	}
	return 0;
}

static int check_command(struct pg_wf_script *sh, struct pg_wf_line *ln, size_t ci, int flags,
			 int depth)
{
	const struct pg_wf_cmd *c = &ln->cmds[ci];
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
	if (name != PG_WF_NO_WORD && !(flags & PASS_REMOTE) &&
	    (error = secret_checks(sh, ln, ci, name, flags)) < 0)
		return error;
	if (name != PG_WF_NO_WORD && (error = remote_script(sh, ln, ci, name)) < 0)
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

static int analyze_span(struct pg_wf_script *sh, size_t start, size_t end, int flags, int depth);

static bool cmd_is(const struct pg_wf_script *sh, const struct pg_wf_line *ln,
		   const struct pg_wf_cmd *c, const char *a, const char *b)
{
	return c->name != PG_WF_NO_WORD &&
	       (word_is(sh, &ln->words[c->name], a) || word_is(sh, &ln->words[c->name], b));
}

/* Facts about each command that depend on its neighbours, in linear time. */
static void line_prepare(const struct pg_wf_script *sh, struct pg_wf_line *ln)
{
	struct pg_wf_cmd *c;
	bool download = false;
	size_t k;

	for (k = 0; k < ln->ncmds; k++) {
		c = &ln->cmds[k];
		c->name = cmd_name(sh, ln, c);
		c->after_download = download;
		download = c->sep == PG_WF_SEP_PIPE && (download || cmd_is(sh, ln, c, "curl", "wget"));
	}
	for (k = ln->ncmds; k-- > 0;) {
		c = &ln->cmds[k];
		c->via = PG_WF_NO_WORD;
		c->to_log = false;
		if (c->out_file)
			continue;
		if (c->sep != PG_WF_SEP_PIPE || k + 1 >= ln->ncmds) {
			c->to_log = true;
		} else if (cmd_is(sh, ln, c + 1, "cat", "tee")) {
			/* cat and tee pass what they read on to their own output */
			c->to_log = c[1].to_log;
			c->via = c[1].via;
		} else if (cmd_transforms(sh, ln, c + 1) && (c[1].to_log || c[1].via != PG_WF_NO_WORD)) {
			c->via = k + 1;
		}
	}
}

static int analyze_line(struct pg_wf_script *sh, struct pg_wf_line *ln, int flags, int depth)
{
	const struct pg_wf_heredoc *d;
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
		    (error = pg_wf_hostkey_scan(sh->wf, &sh->map, sh->s, d->body_start, d->body_end)) < 0)
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

static int analyze_span(struct pg_wf_script *sh, size_t start, size_t end, int flags, int depth)
{
	struct pg_wf_line ln;
	size_t i = start;
	int error = 0;

	memset(&ln, 0, sizeof(ln));
	if (depth > PG_WF_SHELL_DEPTH_MAX || start >= end || !pg_wf_work_charge(sh->wf, end - start))
		return 0;
	while (i < end && !sh->wf->stopped) {
		if ((error = pg_wf_shell_line_read(&ln, sh->s, &i, end)) < 0)
			goto out;
		pg_wf_script_refs_resolve(sh, &ln, (flags & PASS_REMOTE) != 0);
		if ((error = analyze_line(sh, &ln, flags, depth)) < 0)
			goto out;
	}
out:
	pg_wf_shell_line_free(&ln);
	return error;
}

/* Is the step's shell one the tokenizer understands (bash, sh, default)? */
static bool shell_posix(const char *shell)
{
	char text[PG_WF_WORD_MAX];
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
static int check_foreign(struct pg_wf_script *sh, const char *shell)
{
	struct pg_wf_line ln;
	struct pg_wf_span cmd = span_of(shell, strlen(shell));
	int error;

	memset(&ln, 0, sizeof(ln));
	if ((error = pg_wf_shell_refs_scan(&ln, sh->s, 0, sh->len, 0)) < 0)
		goto out;
	pg_wf_script_refs_resolve(sh, &ln, false);
	if ((error = refs_problem(sh, &ln, PG_WF_IN_SCRIPT, 0, ln.nrefs, cmd)) < 0 ||
	    (error = pg_wf_hostkey_scan(sh->wf, &sh->map, sh->s, 0, sh->len)) < 0)
		goto out;
out:
	pg_wf_shell_line_free(&ln);
	return error;
}

static int setx_problems(struct pg_wf_script *sh)
{
	const struct pg_wf_env_list *step = &sh->wf->env[PG_WF_ENV_STEP];
	struct pg_buf what = PG_BUF_INIT(PG_BUF_LIMIT_TEXT);
	struct pg_wf_ref r;
	size_t k;
	int error = 0;

	memset(&r, 0, sizeof(r));
	if (sh->uses_secrets) {
		r = sh->first_secret;
	} else {
		for (k = 0; k < step->len && !r.name.len; k++) {
			if (step->items[k].origin.len) {
				r.kind = PG_WF_REF_SHELL;
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

int pg_wf_run_check(struct pg_wf *wf, const yaml_node_t *node, const char *shell)
{
	struct pg_wf_script sh;
	int error;

	memset(&sh, 0, sizeof(sh));
	sh.wf = wf;
	sh.node = node;
	sh.s = (const char *)node->data.scalar.value;
	sh.len = node->data.scalar.length;
	if ((error = pg_wf_segmap_build(wf, node, &sh.map)) < 0)
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

