/*
 * array.h - growing arrays of any element type.
 */
#ifndef PG_ARRAY_H
#define PG_ARRAY_H

#include <stddef.h>

/**
 * Make room for `need` elements of `size` bytes in `*items`, which holds
 * `*alloc`; capacity at least doubles, so appending one at a time is
 * linear. Nothing changes on failure.
 *
 * @param items the array (NULL while empty); may move
 * @param alloc its capacity in elements; updated
 * @return 0 or PG_ENOMEM (also when the size would overflow)
 */
int pg_array_grow(void **items, size_t *alloc, size_t need, size_t size);

#endif
