/*
 * strlist.c - owned string lists.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "common/glob.h"
#include "common/strlist.h"

int pg_strlist_add(struct pg_strlist *list, const char *s)
{
	char **items;
	char *copy;

	copy = strdup(s);
	if (!copy)
		return pg_error_oom();
	items = realloc(list->items, (list->len + 1) * sizeof(*items));
	if (!items) {
		free(copy);
		return pg_error_oom();
	}
	items[list->len++] = copy;
	list->items = items;
	return 0;
}

void pg_strlist_clear(struct pg_strlist *list)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		free(list->items[i]);
	free(list->items);
	list->items = NULL;
	list->len = 0;
}

bool pg_strlist_contains(const struct pg_strlist *list, const char *s)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		if (!strcmp(list->items[i], s))
			return true;
	return false;
}

bool pg_strlist_glob_match(const struct pg_strlist *list, const char *s)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		if (pg_glob_match(list->items[i], s))
			return true;
	return false;
}

bool pg_strlist_glob_match_path(const struct pg_strlist *list, const char *path)
{
	size_t i;

	for (i = 0; i < list->len; i++)
		if (pg_glob_match_path(list->items[i], path))
			return true;
	return false;
}
