/*
 * yaml.c - load a YAML document and read it strictly (see yaml.h).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/error.h"
#include "common/glob.h"
#include "common/yaml.h"

static int parser_error(const char *name, const yaml_parser_t *parser)
{
	const yaml_mark_t *mark = parser->problem ? &parser->problem_mark : &parser->context_mark;

	if (parser->error == YAML_MEMORY_ERROR)
		return pg_error_oom();
	return pg_error_set(PG_EINVAL, "%s:%zu:%zu: invalid YAML: %s%s%s", name,
			    (size_t)mark->line + 1, (size_t)mark->column + 1,
			    parser->problem ? parser->problem : "syntax error",
			    parser->context ? " " : "", parser->context ? parser->context : "");
}

/* Deeper nesting than any policy or rules file needs. */
#define MAX_DEPTH 64

/*
 * libyaml's scanner gets quadratic with nesting depth, so a hostile file
 * is measured with the event parser first and refused as soon as it
 * nests too deep, before the whole document is built.
 */
static int check_depth(const char *name, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t event;
	yaml_event_type_t type;
	int depth = 0, error = 0;

	if (!yaml_parser_initialize(&parser))
		return pg_error_oom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	do {
		if (!yaml_parser_parse(&parser, &event)) {
			error = parser_error(name, &parser);
			break;
		}
		type = event.type;
		if (type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT)
			depth++;
		else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
			depth--;
		if (depth > MAX_DEPTH)
			error = pg_error_set(PG_EINVAL, "%s:%zu:%zu: nested deeper than %d levels", name,
					     (size_t)event.start_mark.line + 1,
					     (size_t)event.start_mark.column + 1, MAX_DEPTH);
		yaml_event_delete(&event);
	} while (!error && type != YAML_STREAM_END_EVENT);
	yaml_parser_delete(&parser);
	return error;
}

/*
 * A NUL in a string ("\0" in double quotes) would silently cut it short
 * wherever it is read as a C string: `admin\0evil` would name `admin`.
 * Refuse such documents whole, keys and list items included.
 */
static int check_no_nul(struct pg_yaml *y)
{
	yaml_node_t *node;

	for (node = y->doc.nodes.start; node < y->doc.nodes.top; node++)
		if (node->type == YAML_SCALAR_NODE &&
		    strlen((const char *)node->data.scalar.value) != node->data.scalar.length)
			return pg_yaml_error(y, node, "a string contains a NUL character");
	return 0;
}

int pg_yaml_load(struct pg_yaml *y, const char *name, const char *data, size_t len)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	int error = 0;

	memset(y, 0, sizeof(*y));
	if ((error = check_depth(name, data, len)) < 0)
		return error;
	y->name = strdup(name);
	if (!y->name)
		return pg_error_oom();
	if (!yaml_parser_initialize(&parser)) {
		free(y->name);
		return pg_error_oom();
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		error = parser_error(name, &parser);
		goto out;
	}
	y->loaded = true;
	if (!yaml_document_get_root_node(&y->doc)) {
		error = pg_error_set(PG_EINVAL, "%s:1:1: the file is empty", name);
		goto out;
	}
	if (!yaml_parser_load(&parser, &extra)) {
		error = parser_error(name, &parser);
		goto out;
	}
	if ((error = check_no_nul(y)) < 0) {
		yaml_document_delete(&extra);
		goto out;
	}
	if (yaml_document_get_root_node(&extra)) {
		error = pg_error_set(PG_EINVAL, "%s:%zu:1: more than one YAML document", name,
				     (size_t)yaml_document_get_root_node(&extra)->start_mark.line + 1);
		yaml_document_delete(&extra);
		goto out;
	}
	yaml_document_delete(&extra);
out:
	yaml_parser_delete(&parser);
	if (error < 0)
		pg_yaml_free(y);
	return error;
}

void pg_yaml_free(struct pg_yaml *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = false;
	free(y->name);
	y->name = NULL;
}

yaml_node_t *pg_yaml_root(struct pg_yaml *y)
{
	return yaml_document_get_root_node(&y->doc);
}

int pg_yaml_error(const struct pg_yaml *y, const yaml_node_t *node, const char *fmt, ...)
{
	struct pg_buf msg = PG_BUF_INIT(4096);
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = pg_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (error < 0 && error != PG_ELIMIT)
		return error;
	pg_error_set(PG_EINVAL, "%s:%zu:%zu: %s", y->name,
		     node ? (size_t)node->start_mark.line + 1 : 1,
		     node ? (size_t)node->start_mark.column + 1 : 1, msg.ptr);
	pg_buf_release(&msg);
	return PG_EINVAL;
}

const char *pg_yaml_scalar(const yaml_node_t *node)
{
	if (!node || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

static const char *node_kind(const yaml_node_t *node)
{
	switch (node->type) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

int pg_yaml_map_check(struct pg_yaml *y, yaml_node_t *node, const char *what,
		      const char *const *allowed)
{
	yaml_node_pair_t *pair, *other;
	yaml_node_t *key;
	const char *name;
	size_t i;

	if (node->type != YAML_MAPPING_NODE)
		return pg_yaml_error(y, node, "%s must be a mapping, not %s", what, node_kind(node));
	for (pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		key = yaml_document_get_node(&y->doc, pair->key);
		name = pg_yaml_scalar(key);
		if (!name)
			return pg_yaml_error(y, key, "%s: keys must be plain names", what);
		for (i = 0; allowed[i]; i++)
			if (!strcmp(allowed[i], name))
				break;
		if (!allowed[i]) {
			struct pg_buf list = PG_BUF_INIT(4096);
			int error;

			for (i = 0; allowed[i]; i++)
				pg_buf_printf(&list, "%s%s", i ? ", " : "", allowed[i]);
			error = pg_yaml_error(y, key, "unknown key '%s' in %s (known: %s)",
					      name, what, list.ptr);
			pg_buf_release(&list);
			return error;
		}
		for (other = node->data.mapping.pairs.start; other < pair; other++) {
			const char *prev = pg_yaml_scalar(yaml_document_get_node(&y->doc, other->key));

			if (prev && !strcmp(prev, name))
				return pg_yaml_error(y, key, "duplicate key '%s' in %s", name, what);
		}
	}
	return 0;
}

yaml_node_t *pg_yaml_map_get(struct pg_yaml *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *pair;
	const char *name;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (pair = map->data.mapping.pairs.start; pair < map->data.mapping.pairs.top; pair++) {
		name = pg_yaml_scalar(yaml_document_get_node(&y->doc, pair->key));
		if (name && !strcmp(name, key))
			return yaml_document_get_node(&y->doc, pair->value);
	}
	return NULL;
}

int pg_yaml_seq_check(struct pg_yaml *y, yaml_node_t *node, const char *what)
{
	if (node->type != YAML_SEQUENCE_NODE)
		return pg_yaml_error(y, node, "%s must be a list, not %s", what, node_kind(node));
	return 0;
}

size_t pg_yaml_seq_len(const yaml_node_t *seq)
{
	if (seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *pg_yaml_seq_item(struct pg_yaml *y, yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

int pg_yaml_get_string(struct pg_yaml *y, yaml_node_t *node, const char *what, char **out)
{
	const char *s = pg_yaml_scalar(node);

	if (!s)
		return pg_yaml_error(y, node, "%s must be a string, not %s", what, node_kind(node));
	if (strlen(s) != node->data.scalar.length)
		return pg_yaml_error(y, node, "%s contains a NUL character", what);
	*out = strdup(s);
	return *out ? 0 : pg_error_oom();
}

int pg_yaml_get_bool(struct pg_yaml *y, yaml_node_t *node, const char *what, bool *out)
{
	const char *s = pg_yaml_scalar(node);

	if (s && !strcmp(s, "true"))
		*out = true;
	else if (s && !strcmp(s, "false"))
		*out = false;
	else
		return pg_yaml_error(y, node, "%s must be true or false", what);
	return 0;
}

int pg_yaml_get_double(struct pg_yaml *y, yaml_node_t *node, const char *what, double *out)
{
	const char *s = pg_yaml_scalar(node);
	char *end;
	double d;

	if (!s || !*s)
		return pg_yaml_error(y, node, "%s must be a number", what);
	errno = 0;
	d = strtod(s, &end);
	if (errno || *end || !isfinite(d))
		return pg_yaml_error(y, node, "%s must be a number, not '%s'", what, s);
	*out = d;
	return 0;
}

int pg_yaml_get_uint(struct pg_yaml *y, yaml_node_t *node, const char *what,
		     unsigned long max, unsigned long *out)
{
	const char *s = pg_yaml_scalar(node);
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return pg_yaml_error(y, node, "%s must be a whole number", what);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return pg_yaml_error(y, node, "%s must be a whole number from 0 to %lu", what, max);
	*out = v;
	return 0;
}

int pg_yaml_get_enum(struct pg_yaml *y, yaml_node_t *node, const char *what,
		     const char *const *names, int *out)
{
	const char *s = pg_yaml_scalar(node);
	struct pg_buf list = PG_BUF_INIT(4096);
	int i, error;

	for (i = 0; s && names[i]; i++) {
		if (!strcmp(names[i], s)) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; names[i]; i++)
		pg_buf_printf(&list, "%s%s", i ? " or " : "", names[i]);
	error = pg_yaml_error(y, node, "%s must be %s", what, list.ptr);
	pg_buf_release(&list);
	return error;
}

int pg_yaml_get_strlist(struct pg_yaml *y, yaml_node_t *node, const char *what,
			struct pg_strlist *out)
{
	yaml_node_t *item;
	size_t i;
	int error;

	if ((error = pg_yaml_seq_check(y, node, what)) < 0)
		return error;
	for (i = 0; i < pg_yaml_seq_len(node); i++) {
		item = pg_yaml_seq_item(y, node, i);
		if (!pg_yaml_scalar(item))
			return pg_yaml_error(y, item, "items of %s must be strings, not %s",
					     what, node_kind(item));
		if ((error = pg_strlist_add(out, pg_yaml_scalar(item))) < 0)
			return error;
	}
	return 0;
}

int pg_yaml_check_glob(struct pg_yaml *y, yaml_node_t *node, const char *what,
		       const char *glob)
{
	if (!*glob)
		return pg_yaml_error(y, node, "%s must not be empty", what);
	if (!pg_glob_valid(glob))
		return pg_yaml_error(y, node, "%s: invalid glob '%s' (unterminated '[')", what, glob);
	return 0;
}

int pg_yaml_get_globs(struct pg_yaml *y, yaml_node_t *node, const char *what,
		      struct pg_strlist *out)
{
	size_t i, start = out->len;
	int error;

	if ((error = pg_yaml_get_strlist(y, node, what, out)) < 0)
		return error;
	for (i = start; i < out->len; i++)
		if ((error = pg_yaml_check_glob(y, pg_yaml_seq_item(y, node, i - start), what,
					       out->items[i])) < 0)
			return error;
	return 0;
}

int pg_yaml_get_regex(struct pg_yaml *y, yaml_node_t *node, const char *what,
		      struct pg_regex *out)
{
	char reason[512];
	char *source = NULL;
	int error;

	if ((error = pg_yaml_get_string(y, node, what, &source)) < 0)
		return error;
	if ((error = pg_regex_compile(out, source, 0)) == PG_EINVAL) {
		/* The reason is copied: pg_yaml_error() overwrites the message it is in. */
		snprintf(reason, sizeof(reason), "%s", pg_error_last());
		error = pg_yaml_error(y, node, "%s: %s", what, reason);
	}
	free(source);
	return error;
}
