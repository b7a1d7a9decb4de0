/*
 * array.h - growing arrays of any element type.
 */
#ifndef PG_ARRAY_H
#define PG_ARRAY_H

#include <stddef.h>

/**
 * Make room for `need` (at least 1) elements of `size` bytes in `items`,
 * which holds `*alloc`. Capacity at least doubles, so appending one at a
 * time is linear.
 *
 * @param items the array, NULL while empty; owned by the caller
 * @param alloc its capacity in elements; updated on success
 * @return the array, perhaps moved (store it back); NULL when memory ran
 *         out or the size would overflow, `items` then unchanged
 */
void *pg_array_grow(void *items, size_t *alloc, size_t need, size_t size);

#endif
