/*
 * workflow_shell.h - a small, conservative tokenizer for the shell
 * scripts of workflow steps (run:).
 *
 * Splits one line of a script into commands, words, redirections,
 * heredoc bodies and command substitutions, and records every reference
 * a word makes ($X, ${X}, ${{ secrets.X }}, ${{ env.X }}) with its
 * position. It does not decide which references hold secrets or what
 * reaches the log: the checks (workflow_checks.c) do, in a later pass.
 */
#ifndef PG_WORKFLOW_SHELL_H
#define PG_WORKFLOW_SHELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scanners/workflow_expr.h"
#include "scanners/workflow_text.h"

/* No such word: an index into pg_wf_line.words that is never valid. */
#define PG_WF_NO_WORD SIZE_MAX
/* Nesting of $( ), ` `, <( ) and heredoc bodies analysed as scripts. */
#define PG_WF_SHELL_DEPTH_MAX 8
/* Bytes kept for a word when comparing it with command names and flags. */
#define PG_WF_WORD_MAX 64

/* What follows a command. */
enum pg_wf_sep {
	PG_WF_SEP_END, PG_WF_SEP_SEQ, PG_WF_SEP_AND, PG_WF_SEP_OR, PG_WF_SEP_PIPE, PG_WF_SEP_BG
};

/* A word: offsets into the script, quotes included. */
struct pg_wf_word {
	size_t start, end;
	size_t ref_first, ref_len; /* its references in pg_wf_line.refs */
	bool assign; /* NAME=value before the command name (set by the checks) */
	bool redir;  /* the target of a redirection or a heredoc delimiter */
};

struct pg_wf_cmd {
	size_t word_first, word_len;
	bool out_file;        /* standard output goes to a file, not the log */
	size_t out_word;      /* target of the last stdout redirection */
	size_t herestring;    /* word after <<<, or PG_WF_NO_WORD */
	enum pg_wf_sep sep;   /* what follows the command */
	/* Left zero by the tokenizer; set by the checks once the line is read: */
	size_t name;          /* index of the command name word, or PG_WF_NO_WORD */
	bool to_log;          /* standard output reaches the job log */
	bool after_download;  /* curl or wget pipes into this command */
	size_t via;           /* standard output reaches the log through this
			       * transforming command (base64, xxd...), or PG_WF_NO_WORD */
};

/* A heredoc: the command and delimiter word it belongs to, and its body. */
struct pg_wf_heredoc {
	size_t cmd, word;
	bool strip, quoted;        /* <<-; a quoted delimiter (the body does not expand) */
	size_t body_start, body_end;
	size_t ref_first, ref_len; /* the body's references in pg_wf_line.refs */
};

/* A command substitution's script: $( ), ` `, <( ), >( ). */
struct pg_wf_subst {
	size_t start, end;
};

/*
 * One line of a script (to the next unquoted newline, or further when it
 * ends in | && || or a heredoc follows), tokenized. Zero it before the
 * first use; pg_wf_shell_line_read() reuses its arrays.
 */
struct pg_wf_line {
	const char *s; /* the script; borrowed */
	bool open;     /* the last command still takes words */
	bool more;     /* the line ended with | && ||: the next line continues it */
	struct pg_wf_cmd *cmds;
	size_t ncmds, acmds;
	struct pg_wf_word *words;
	size_t nwords, awords;
	struct pg_wf_ref *refs; /* in the order of the text; origins empty */
	size_t nrefs, arefs;
	struct pg_wf_heredoc *docs;
	size_t ndocs, adocs;
	struct pg_wf_subst *substs;
	size_t nsubsts, asubsts;
};

enum pg_wf_scan_flags {
	PG_WF_SCAN_SHELL = 1,  /* $X and ${X} expand */
	PG_WF_SCAN_QUOTES = 2  /* single quotes stop expansion */
};

/**
 * Tokenize the line of s[*i, end) that starts at *i, then the bodies of
 * the heredocs it opens. References inside $( ) and ` ` belong to the
 * substitution, which is recorded to be read as a script of its own;
 * those inside $(( )) and ${ } belong to the word.
 *
 * @param ln emptied, then filled; borrows `s`
 * @param i in: where the line starts; out: where the next one does
 * @return 0 or PG_ENOMEM (ln then holds part of the line)
 */
int pg_wf_shell_line_read(struct pg_wf_line *ln, const char *s, size_t *i, size_t end);

/**
 * Append to ln->refs the references in s[a, b) without tokenizing:
 * expressions always, variables with PG_WF_SCAN_SHELL, and with
 * PG_WF_SCAN_QUOTES none inside single quotes. For scripts in other
 * languages, whose only shared syntax is ${{ }}.
 *
 * @return 0 or PG_ENOMEM
 */
int pg_wf_shell_refs_scan(struct pg_wf_line *ln, const char *s, size_t a, size_t b, int flags);

/** Free the arrays of `ln`; it may be zeroed and used again. */
void pg_wf_shell_line_free(struct pg_wf_line *ln);

/**
 * The word's text without quotes and backslashes, cut to fit `out`
 * (NUL-terminated; cap > 0).
 *
 * @return the full length, so callers can tell a cut word
 */
size_t pg_wf_shell_word_text(const char *s, const struct pg_wf_word *w, char *out, size_t cap);

#endif
