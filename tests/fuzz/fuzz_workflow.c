/*
 * fuzz_workflow.c - fuzzes pg_workflow_check() on arbitrary bytes.
 *
 * Invariants: every problem names a known check by its own id, points at
 * a line and column inside the file, is sorted by line and column, and has
 * a message that starts with the path and holds no control character
 * (names from the file are escaped before they reach a terminal). The same
 * bytes always give the same problems, and an error leaves a list that
 * pg_workflow_problems_clear() can free.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "scanners/workflow.h"
#include "fuzz.h"

#define PATH ".gitea/workflows/fuzz.yml"

static void fail(const char *what, const struct pg_workflow_problem *p)
{
	fprintf(stderr, "fuzz_workflow: %s\n", what);
	if (p)
		fprintf(stderr, "problem: %s at %zu:%zu: %s\n", p->id, p->line, p->column,
			p->message ? p->message : "(no message)");
	abort();
}

/*
 * At least the number of lines YAML sees: it also breaks lines at NEL,
 * LS and PS, whose UTF-8 forms end in 0x85, 0xa8 and 0xa9.
 */
static size_t max_lines(const uint8_t *data, size_t size)
{
	size_t i, n = 1;

	for (i = 0; i < size; i++)
		n += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xa8 ||
		     data[i] == 0xa9;
	return n;
}

static void check_message(const struct pg_workflow_problem *p)
{
	const unsigned char *s;

	if (!p->message)
		fail("a problem has no message", p);
	if (strncmp(p->message, PATH ":", strlen(PATH ":")))
		fail("a message does not start with the path", p);
	for (s = (const unsigned char *)p->message; *s; s++)
		if (*s < 0x20 || *s == 0x7f)
			fail("a message holds a control character", p);
}

static void check_problems(const struct pg_workflow_problems *list, const uint8_t *data,
			   size_t size)
{
	size_t i, lines = max_lines(data, size);
	const struct pg_workflow_problem *p, *prev = NULL;

	/* One PG_WF_UNPARSABLE may follow a full list. */
	if (list->len > PG_WORKFLOW_MAX_PROBLEMS + 1)
		fail("more problems than PG_WORKFLOW_MAX_PROBLEMS", NULL);
	for (i = 0; i < list->len; i++) {
		p = &list->items[i];
		if (p->check > PG_WF_UNPARSABLE)
			fail("a problem names an unknown check", p);
		if (!p->id || strcmp(p->id, pg_workflow_check_id(p->check)))
			fail("a problem's id is not its check's id", p);
		if (p->check != PG_WF_UNPARSABLE && (p->line < 1 || p->line > lines))
			fail("a problem's line is outside the file", p);
		if (p->column < 1 && p->check != PG_WF_UNPARSABLE)
			fail("a problem's column is 0", p);
		if (prev && (prev->line > p->line ||
			     (prev->line == p->line && prev->column > p->column)))
			fail("problems are not sorted by line and column", p);
		check_message(p);
		prev = p;
	}
}

static int same_problems(const struct pg_workflow_problems *a, const struct pg_workflow_problems *b)
{
	size_t i;

	if (a->len != b->len)
		return 0;
	for (i = 0; i < a->len; i++)
		if (a->items[i].check != b->items[i].check || a->items[i].line != b->items[i].line ||
		    a->items[i].column != b->items[i].column ||
		    strcmp(a->items[i].message, b->items[i].message))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pg_workflow_problems first = {0}, second = {0};
	int rc1, rc2;

	rc1 = pg_workflow_check(&first, PATH, (const char *)data, size);
	rc2 = pg_workflow_check(&second, PATH, (const char *)data, size);
	if (rc1 != rc2)
		fail("the same bytes gave different return codes", NULL);
	if (rc1 == 0) {
		check_problems(&first, data, size);
		if (!same_problems(&first, &second))
			fail("the same bytes gave different problems", NULL);
	} else if (rc1 != PG_ENOMEM && rc1 != PG_ELIMIT) {
		fprintf(stderr, "error %d: %s\n", rc1, pg_error_last());
		fail("an error other than PG_ENOMEM or PG_ELIMIT", NULL);
	}
	pg_workflow_problems_clear(&first);
	pg_workflow_problems_clear(&second);
	return 0;
}
