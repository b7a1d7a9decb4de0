/*
 * policy_yaml_read.h - typed readers for policy YAML, shared by the
 * policy loader's files (semi-private: pg_policy_yaml__ prefix).
 *
 * Each reads an optional key of a mapping (keeping *out's default when
 * the key is absent) and reports problems as FILE:LINE:COL.
 */
#ifndef PG_POLICY_YAML_READ_H
#define PG_POLICY_YAML_READ_H

#include "common/strlist.h"
#include "common/yaml.h"
#include "policy/policy.h"

/* Indexed by enum pg_perm and enum pg_severity; NULL-terminated. */
extern const char *const pg_policy__perm_names[];
extern const char *const pg_policy__severity_names[];

/** An optional key holding one of `names`; *out receives its index. */
int pg_policy_yaml__enum(struct pg_yaml *y, yaml_node_t *map, const char *key,
			 const char *const *names, int *out);

/** An optional `allow` | `deny` key. */
int pg_policy_yaml__perm(struct pg_yaml *y, yaml_node_t *map, const char *key, enum pg_perm *out);

/** The optional `severity: reject | warn` key. */
int pg_policy_yaml__severity(struct pg_yaml *y, yaml_node_t *map, enum pg_severity *out);

/** The rule's required `match` glob (caller frees *out). */
int pg_policy_yaml__match(struct pg_yaml *y, yaml_node_t *rule_node, const char *what, char **out);

/** An optional regex key, compiled; errors carry PCRE2's reason. */
int pg_policy_yaml__regex(struct pg_yaml *y, yaml_node_t *map, const char *key, struct pg_regex *out);

/** An optional string key; an empty string leaves *out NULL. */
int pg_policy_yaml__text(struct pg_yaml *y, yaml_node_t *map, const char *key, char **out);

#endif
