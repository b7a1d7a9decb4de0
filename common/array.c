/*
 * array.c - growing arrays of any element type (see array.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/array.h"

void *pg_array_grow(void *items, size_t *alloc, size_t need, size_t size)
{
	size_t n = *alloc ? *alloc : 8;
	void *p;

	if (need <= *alloc)
		return items;
	while (n < need) {
		if (n > SIZE_MAX / 2 / size)
			return NULL;
		n *= 2;
	}
	if (n > SIZE_MAX / size)
		return NULL;
	p = realloc(items, n * size);
	if (p)
		*alloc = n;
	return p;
}
