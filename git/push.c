/*
 * push.c - the ref update list's memory (push.h).
 */
#include <stdlib.h>

#include "git/push.h"

void pg_ref_updates_clear(struct pg_ref_updates *updates)
{
	size_t i;

	for (i = 0; i < updates->len; i++)
		free(updates->items[i].ref);
	free(updates->items);
	updates->items = NULL;
	updates->len = updates->alloc = 0;
}
