/*
 * array.c - growing arrays of any element type (see array.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/array.h"
#include "common/error.h"

int pg_array_grow(void **items, size_t *alloc, size_t need, size_t size)
{
	size_t n;
	void *p;

	if (need <= *alloc)
		return 0;
	n = *alloc ? *alloc : 16;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return pg_error_oom();
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		return pg_error_oom();
	p = realloc(*items, n * size);
	if (!p)
		return pg_error_oom();
	*items = p;
	*alloc = n;
	return 0;
}
