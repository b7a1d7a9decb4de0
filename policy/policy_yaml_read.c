/*
 * policy_yaml_read.c - typed readers for policy YAML (see
 * policy_yaml_read.h); strict, with FILE:LINE:COL in every message.
 */
#include <stdio.h>
#include <stdlib.h>

#include "common/error.h"
#include "policy/policy_yaml_read.h"

const char *const pg_policy__perm_names[] = { "allow", "deny", NULL };
const char *const pg_policy__severity_names[] = { "reject", "warn", NULL };

/* An optional enum-valued key; *out keeps its default when absent. */
int pg_policy_yaml__enum(struct pg_yaml *y, yaml_node_t *map, const char *key,
		     const char *const *names, int *out)
{
	yaml_node_t *node = pg_yaml_map_get(y, map, key);

	if (!node)
		return 0;
	return pg_yaml_get_enum(y, node, key, names, out);
}

int pg_policy_yaml__perm(struct pg_yaml *y, yaml_node_t *map, const char *key, enum pg_perm *out)
{
	int value = (int)*out, error;

	if ((error = pg_policy_yaml__enum(y, map, key, pg_policy__perm_names, &value)) < 0)
		return error;
	*out = value ? PG_PERM_DENY : PG_PERM_ALLOW;
	return 0;
}

int pg_policy_yaml__severity(struct pg_yaml *y, yaml_node_t *map, enum pg_severity *out)
{
	int value = (int)*out, error;

	if ((error = pg_policy_yaml__enum(y, map, "severity", pg_policy__severity_names, &value)) < 0)
		return error;
	*out = value ? PG_SEVERITY_WARN : PG_SEVERITY_REJECT;
	return 0;
}

/* The rule's required `match` glob. */
int pg_policy_yaml__match(struct pg_yaml *y, yaml_node_t *rule_node, const char *what, char **out)
{
	yaml_node_t *node = pg_yaml_map_get(y, rule_node, "match");
	int error;

	if (!node)
		return pg_yaml_error(y, rule_node, "%s needs a 'match' glob", what);
	if ((error = pg_yaml_get_string(y, node, "match", out)) < 0)
		return error;
	return pg_yaml_check_glob(y, node, "match", *out);
}

/* An optional regex; the message carries the node's position and PCRE2's reason. */
int pg_policy_yaml__regex(struct pg_yaml *y, yaml_node_t *map, const char *key, struct pg_regex *out)
{
	yaml_node_t *node = pg_yaml_map_get(y, map, key);

	return node ? pg_yaml_get_regex(y, node, key, out) : 0;
}

/* An optional string; empty means unset (NULL). */
int pg_policy_yaml__text(struct pg_yaml *y, yaml_node_t *map, const char *key, char **out)
{
	yaml_node_t *node = pg_yaml_map_get(y, map, key);
	int error;

	if (!node)
		return 0;
	if ((error = pg_yaml_get_string(y, node, key, out)) < 0)
		return error;
	if (!**out) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

