/*
 * workflow_int.h - the workflow checker's state for one file, shared by
 * scanners/workflow*.c: the text, where a YAML value's bytes sit in it,
 * the problems found, the env: scopes and the work budget.
 *
 * Implemented in workflow.c. Not for use outside the checker.
 */
#ifndef PG_WORKFLOW_INT_H
#define PG_WORKFLOW_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "common/buf.h"
#include "common/yaml.h"
#include "scanners/workflow.h"
#include "scanners/workflow_expr.h"
#include "scanners/workflow_text.h"

struct pg_wf_seg {
	size_t voff; /* offset in the scalar's value */
	size_t soff; /* offset of the same bytes in the file */
	size_t len;
};

/* Where the bytes of a scalar's value sit in the file. */
struct pg_wf_segmap {
	struct pg_wf_seg *items; /* owned */
	size_t len, alloc;
	size_t fallback; /* file offset of the scalar's start */
};

/* One call of pg_workflow_check(). */
struct pg_wf {
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
	struct pg_wf_env_list env[PG_WF_ENV_LEVELS];
};

/**
 * Charge `n` units of work. The budget bounds the time a hostile file
 * (aliases, huge scripts) can cost; once spent, wf->stopped is set and
 * every check winds down.
 *
 * @return false once the budget is spent
 */
bool pg_wf_work_charge(struct pg_wf *wf, size_t n);

/**
 * Map the value of a scalar to its bytes in the file, for positions.
 *
 * @param m filled; its items are owned by the caller (free(m->items))
 * @return 0 or PG_ENOMEM
 */
int pg_wf_segmap_build(struct pg_wf *wf, const yaml_node_t *node, struct pg_wf_segmap *m);

/** 1-based line and character column of offset `voff` in a mapped value. */
void pg_wf_segmap_linecol(const struct pg_wf *wf, const struct pg_wf_segmap *m, size_t voff,
			  size_t *line, size_t *col);

/**
 * Append a problem for the current job and step; duplicates are dropped,
 * and past PG_WORKFLOW_MAX_PROBLEMS the analysis stops.
 *
 * @param what the message after the location; already safe to print
 * @return 0 or PG_ENOMEM
 */
int pg_wf_problem_add(struct pg_wf *wf, enum pg_workflow_check check, size_t line, size_t col,
		      const struct pg_buf *what);

/**
 * Put text from the file into a message: escaped, cut like
 * pg_buf_put_name(), and with tokens that look like credentials masked.
 *
 * @return 0 or a pg_buf error
 */
int pg_wf_buf_put_span(struct pg_buf *b, struct pg_wf_span s);

/** As pg_wf_buf_put_span() for a NUL-terminated string. */
int pg_wf_buf_put_text(struct pg_buf *b, const char *s);

#endif
