/*
 * push_rules_yaml.h - loading the policy's files:, commits: and
 * workflows: sections (called by policy_yaml.c).
 */
#ifndef PG_PUSH_RULES_YAML_H
#define PG_PUSH_RULES_YAML_H

#include "common/yaml.h"
#include "policy/policy.h"

/** Set the defaults of the sections (workflow checks on, severities). */
void pg_push_rules_defaults(struct pg_policy *policy);

/** Parse `files:` (a list) into policy->files. @return 0, PG_EINVAL, PG_ENOMEM */
int pg_push_rules_parse_files(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy);

/** Parse `commits:` (a list) into policy->commits. */
int pg_push_rules_parse_commits(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy);

/** Parse `workflows:` (a mapping) into policy->workflows. */
int pg_push_rules_parse_workflows(struct pg_yaml *y, yaml_node_t *node, struct pg_policy *policy);

/** Free the sections' memory (not the policy itself). */
void pg_push_rules_free(struct pg_policy *policy);

#endif
