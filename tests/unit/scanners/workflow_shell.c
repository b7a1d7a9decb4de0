/*
 * Unit tests for scanners/workflow_shell.c: the shell tokenizer of the
 * workflow checker, on script text directly (no YAML): quoting, escapes,
 * heredocs, pipes and separators, substitutions, redirections, the
 * references it records and where, and input a shell would reject.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scanners/workflow_shell.h"

/* Tokenize the first line of `s`; *next receives where the next one starts. */
static void read_first(struct pg_wf_line *ln, const char *s, size_t *next)
{
	size_t i = 0;

	assert_int_equal(pg_wf_shell_line_read(ln, s, &i, strlen(s)), 0);
	if (next)
		*next = i;
}

static void assert_word(const struct pg_wf_line *ln, size_t w, const char *text)
{
	char buf[PG_WF_WORD_MAX];

	assert_true(w < ln->nwords);
	pg_wf_shell_word_text(ln->s, &ln->words[w], buf, sizeof(buf));
	assert_string_equal(buf, text);
}

/* The raw text of a span of the script, for comparing. */
static void assert_text(const char *s, size_t a, size_t b, const char *want)
{
	assert_true(b >= a);
	assert_int_equal(b - a, strlen(want));
	assert_memory_equal(s + a, want, b - a);
}

static void assert_ref(const struct pg_wf_line *ln, size_t r, enum pg_wf_ref_kind kind,
		       const char *at, const char *name, const char *var)
{
	const struct pg_wf_ref *ref;

	assert_true(r < ln->nrefs);
	ref = &ln->refs[r];
	assert_int_equal(ref->kind, kind);
	/* `at` is the text the reference starts with, found first in the script. */
	assert_int_equal(ref->off, (size_t)(strstr(ln->s, at) - ln->s));
	assert_int_equal(ref->name.len, strlen(name));
	assert_memory_equal(ref->name.ptr, name, ref->name.len);
	assert_int_equal(ref->var.len, strlen(var));
	if (ref->var.len)
		assert_memory_equal(ref->var.ptr, var, ref->var.len);
	assert_int_equal(ref->origin.len, 0); /* resolving is not the tokenizer's job */
}

static void test_scanners_workflow_shell__quoting(void **state)
{
	static const char s[] = "echo 'a $S b' \"c $X d\" e\"f\"'g' '${{ secrets.Q }}'";
	struct pg_wf_line ln = { 0 };

	(void)state;
	read_first(&ln, s, NULL);
	assert_int_equal(ln.ncmds, 1);
	assert_int_equal(ln.cmds[0].word_len, 5);
	assert_word(&ln, 0, "echo");
	assert_word(&ln, 1, "a $S b");
	assert_word(&ln, 2, "c $X d");
	assert_word(&ln, 3, "efg");
	/* Single quotes stop $S but not ${{ }}: the runner substitutes it first. */
	assert_int_equal(ln.words[1].ref_len, 0);
	assert_int_equal(ln.words[2].ref_len, 1);
	assert_int_equal(ln.words[4].ref_len, 1);
	assert_int_equal(ln.nrefs, 2);
	assert_ref(&ln, 0, PG_WF_REF_SHELL, "$X", "X", "X");
	assert_ref(&ln, 1, PG_WF_REF_SECRET, "secrets.Q", "secrets.Q", "");
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__escapes(void **state)
{
	static const char s[] = "echo \\$NOT \\\"$Y\\\" a\\ b \\\n  tail\nnext";
	struct pg_wf_line ln = { 0 };
	size_t next;

	(void)state;
	read_first(&ln, s, &next);
	/* \$ is literal; \" does not open a quote; \<newline> continues the line. */
	assert_int_equal(ln.ncmds, 1);
	assert_int_equal(ln.nwords, 5);
	assert_word(&ln, 1, "$NOT");
	assert_word(&ln, 2, "\"$Y\"");
	assert_word(&ln, 3, "a b");
	assert_word(&ln, 4, "tail");
	assert_int_equal(ln.nrefs, 1);
	assert_ref(&ln, 0, PG_WF_REF_SHELL, "$Y", "Y", "Y");
	assert_string_equal(s + next, "next");
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__heredocs(void **state)
{
	static const char s[] =
		"cat <<EOF > out; cat <<-'END'\n"
		"user=$U ${{ secrets.P }}\n"
		"EOF\n"
		"\t\tliteral $V ${{ env.W }}\n"
		"\tEND\n"
		"echo after\n";
	struct pg_wf_line ln = { 0 };
	size_t next;

	(void)state;
	read_first(&ln, s, &next);
	assert_int_equal(ln.ncmds, 2);
	assert_int_equal(ln.ndocs, 2);
	assert_int_equal(ln.docs[0].cmd, 0);
	assert_false(ln.docs[0].quoted);
	assert_false(ln.docs[0].strip);
	assert_text(s, ln.docs[0].body_start, ln.docs[0].body_end, "user=$U ${{ secrets.P }}\n");
	assert_int_equal(ln.docs[1].cmd, 1);
	assert_true(ln.docs[1].quoted);
	assert_true(ln.docs[1].strip);
	assert_text(s, ln.docs[1].body_start, ln.docs[1].body_end, "\t\tliteral $V ${{ env.W }}\n");
	assert_true(ln.words[ln.docs[0].word].redir);
	assert_word(&ln, ln.docs[1].word, "END");
	/* An unquoted body expands $U; a quoted one only gets ${{ }} substituted. */
	assert_int_equal(ln.docs[0].ref_len, 2);
	assert_ref(&ln, ln.docs[0].ref_first, PG_WF_REF_SHELL, "$U", "U", "U");
	assert_ref(&ln, ln.docs[0].ref_first + 1, PG_WF_REF_SECRET, "secrets.P", "secrets.P", "");
	assert_int_equal(ln.docs[1].ref_len, 1);
	assert_ref(&ln, ln.docs[1].ref_first, PG_WF_REF_ENV_EXPR, "env.W", "env.W", "W");
	assert_true(ln.cmds[0].out_file);
	assert_string_equal(s + next, "echo after\n");
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__pipes_and_separators(void **state)
{
	static const char s[] = "curl -s u | sh && a || b; c & d |& e\nf |\n  base64\ng";
	static const enum pg_wf_sep seps[] = {
		PG_WF_SEP_PIPE, PG_WF_SEP_AND, PG_WF_SEP_OR, PG_WF_SEP_SEQ, PG_WF_SEP_BG,
		PG_WF_SEP_PIPE, PG_WF_SEP_END
	};
	struct pg_wf_line ln = { 0 };
	size_t next, k;

	(void)state;
	read_first(&ln, s, &next);
	assert_int_equal(ln.ncmds, 7);
	for (k = 0; k < 7; k++)
		assert_int_equal(ln.cmds[k].sep, seps[k]);
	assert_int_equal(ln.cmds[0].word_len, 3);
	assert_word(&ln, ln.cmds[1].word_first, "sh");
	assert_word(&ln, ln.cmds[6].word_first, "e");
	/* A line ending in | goes on with the next one. */
	read_first(&ln, s + next, &k);
	assert_int_equal(ln.ncmds, 2);
	assert_int_equal(ln.cmds[0].sep, PG_WF_SEP_PIPE);
	assert_word(&ln, ln.cmds[1].word_first, "base64");
	assert_string_equal(s + next + k, "g");
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__substitutions(void **state)
{
	static const char s[] =
		"echo \"$(cat $F)\" `date $G` <(curl x) $((1 + $N)) ${H:-$I}";
	struct pg_wf_line ln = { 0 };

	(void)state;
	read_first(&ln, s, NULL);
	/* $( ), ` ` and <( ) are scripts of their own, read later. */
	assert_int_equal(ln.nsubsts, 3);
	assert_text(s, ln.substs[0].start, ln.substs[0].end, "cat $F");
	assert_text(s, ln.substs[1].start, ln.substs[1].end, "date $G");
	assert_text(s, ln.substs[2].start, ln.substs[2].end, "curl x");
	/* Arithmetic and ${ } defaults belong to the word. */
	assert_int_equal(ln.nrefs, 3);
	assert_ref(&ln, 0, PG_WF_REF_SHELL, "$N", "N", "N");
	assert_ref(&ln, 1, PG_WF_REF_SHELL, "${H", "H", "H");
	assert_ref(&ln, 2, PG_WF_REF_SHELL, "$I", "I", "I");
	assert_int_equal(ln.words[4].ref_len, 1);
	assert_int_equal(ln.words[5].ref_first, 1);
	assert_int_equal(ln.words[5].ref_len, 2);
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__reference_positions(void **state)
{
	static const char s[] =
		"run ${{ secrets.A }}x ${{ env.B }} ${{ secrets['C'] }} $D ${E} ${#F} ${{ ENV.G || 'env.H' }} $1 $?";
	struct pg_wf_line ln = { 0 };

	(void)state;
	read_first(&ln, s, NULL);
	assert_int_equal(ln.nrefs, 7);
	assert_ref(&ln, 0, PG_WF_REF_SECRET, "secrets.A", "secrets.A", "");
	assert_ref(&ln, 1, PG_WF_REF_ENV_EXPR, "env.B", "env.B", "B");
	assert_ref(&ln, 2, PG_WF_REF_SECRET, "secrets['C']", "secrets['C']", "");
	assert_ref(&ln, 3, PG_WF_REF_SHELL, "$D", "D", "D");
	assert_ref(&ln, 4, PG_WF_REF_SHELL, "${E}", "E", "E");
	assert_ref(&ln, 5, PG_WF_REF_SHELL, "${#F}", "F", "F");
	/* Names in expressions ignore case; literals are not references. */
	assert_ref(&ln, 6, PG_WF_REF_ENV_EXPR, "ENV.G", "ENV.G", "G");
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__redirections(void **state)
{
	static const char s[] =
		"a $X > f 2>&1; b >&2; c > /dev/stderr; d <<< \"$Y\"; e 2> log; f &> all";
	struct pg_wf_line ln = { 0 };

	(void)state;
	read_first(&ln, s, NULL);
	assert_int_equal(ln.ncmds, 6);
	assert_true(ln.cmds[0].out_file);
	assert_word(&ln, ln.cmds[0].out_word, "f");
	assert_true(ln.words[ln.cmds[0].out_word].redir);
	assert_false(ln.cmds[1].out_file); /* >&2: standard error reaches the log too */
	assert_false(ln.cmds[2].out_file);
	assert_int_not_equal(ln.cmds[3].herestring, PG_WF_NO_WORD);
	assert_word(&ln, ln.cmds[3].herestring, "$Y");
	assert_int_equal(ln.words[ln.cmds[3].herestring].ref_len, 1);
	assert_false(ln.cmds[4].out_file); /* only standard error goes to the file */
	assert_true(ln.cmds[5].out_file);
	assert_int_equal(ln.cmds[0].herestring, PG_WF_NO_WORD);
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__malformed(void **state)
{
	static const char *const inputs[] = {
		"", "\\", "echo \"open $X", "echo 'open", "echo $(", "echo $(cat", "echo ${",
		"echo ${{ secrets.A", "echo `", "cat <<", "cat <<EOF\nno end $X", "echo )))(((",
		"a |", "a &&", ";;;", "2>", "echo <(", "$((((((((((((((((((((1))))))))))))))))))))",
		"${{", "}}", "${{ env. }}", "echo \"$(\"$(\"$(\"$(\"$(\"$(\"$(\"$(\"$(\"$(x",
	};
	struct pg_wf_line ln = { 0 };
	size_t k, i, end, lines;

	(void)state;
	for (k = 0; k < sizeof(inputs) / sizeof(inputs[0]); k++) {
		end = strlen(inputs[k]);
		/* Every line read moves forward and stops at the end. */
		for (i = 0, lines = 0; i < end; lines++) {
			size_t before = i;

			assert_int_equal(pg_wf_shell_line_read(&ln, inputs[k], &i, end), 0);
			assert_true(i > before);
			assert_true(i <= end);
			assert_true(lines < end);
		}
	}
	/* An unclosed quote or heredoc runs to the end, its references kept. */
	read_first(&ln, "echo \"open $X", &i);
	assert_int_equal(i, strlen("echo \"open $X"));
	assert_ref(&ln, 0, PG_WF_REF_SHELL, "$X", "X", "X");
	read_first(&ln, "cat <<EOF\nno end $X", &i);
	assert_int_equal(ln.ndocs, 1);
	assert_int_equal(ln.docs[0].ref_len, 1);
	assert_int_equal(i, strlen("cat <<EOF\nno end $X"));
	read_first(&ln, "${{ env. }}", NULL);
	assert_ref(&ln, 0, PG_WF_REF_ENV_EXPR, "env.", "env.", "");
	pg_wf_shell_line_free(&ln);
}

static void test_scanners_workflow_shell__refs_scan(void **state)
{
	static const char s[] = "Write-Host ${{ secrets.A }} $B '$C ${{ env.D }}'";
	struct pg_wf_line ln = { 0 };

	(void)state;
	/* Other languages: only ${{ }}. */
	assert_int_equal(pg_wf_shell_refs_scan(&ln, s, 0, strlen(s), 0), 0);
	assert_int_equal(ln.nrefs, 2);
	assert_ref(&ln, 0, PG_WF_REF_SECRET, "secrets.A", "secrets.A", "");
	assert_ref(&ln, 1, PG_WF_REF_ENV_EXPR, "env.D", "env.D", "D");
	/* Shell variables, with and without single quotes stopping them. */
	ln.nrefs = 0;
	assert_int_equal(pg_wf_shell_refs_scan(&ln, s, 0, strlen(s), PG_WF_SCAN_SHELL), 0);
	assert_int_equal(ln.nrefs, 4);
	assert_ref(&ln, 2, PG_WF_REF_SHELL, "$C", "C", "C");
	ln.nrefs = 0;
	assert_int_equal(pg_wf_shell_refs_scan(&ln, s, 0, strlen(s),
					       PG_WF_SCAN_SHELL | PG_WF_SCAN_QUOTES), 0);
	assert_int_equal(ln.nrefs, 3);
	assert_ref(&ln, 1, PG_WF_REF_SHELL, "$B", "B", "B");
	assert_ref(&ln, 2, PG_WF_REF_ENV_EXPR, "env.D", "env.D", "D");
	pg_wf_shell_line_free(&ln);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scanners_workflow_shell__quoting),
		cmocka_unit_test(test_scanners_workflow_shell__escapes),
		cmocka_unit_test(test_scanners_workflow_shell__heredocs),
		cmocka_unit_test(test_scanners_workflow_shell__pipes_and_separators),
		cmocka_unit_test(test_scanners_workflow_shell__substitutions),
		cmocka_unit_test(test_scanners_workflow_shell__reference_positions),
		cmocka_unit_test(test_scanners_workflow_shell__redirections),
		cmocka_unit_test(test_scanners_workflow_shell__malformed),
		cmocka_unit_test(test_scanners_workflow_shell__refs_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
