/*
 * severity.h - what a problem does to a push: reject it or only warn.
 *
 * Kept below policy/ so that checkers in scanners/ can state their
 * defaults (pg_workflow_default_severity()) without including the policy
 * model; the policy overrides them per check.
 */
#ifndef PG_SEVERITY_H
#define PG_SEVERITY_H

enum pg_severity {
	PG_SEVERITY_REJECT = 0,
	PG_SEVERITY_WARN = 1
};

#endif
