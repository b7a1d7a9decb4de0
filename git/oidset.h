/*
 * oidset.h - a set of object ids, for "each blob once" bookkeeping.
 */
#ifndef PG_OIDSET_H
#define PG_OIDSET_H

#include <stddef.h>

#include <git2.h>

struct pg_oidset {
	git_oid *slots;   /* owned; an all-zero slot is empty */
	size_t cap;       /* power of two */
	size_t len;
	int has_zero;     /* the zero id cannot live in a slot */
};

/**
 * Add `id`. @return 1 if it was added, 0 if already present, PG_ENOMEM
 */
int pg_oidset_insert(struct pg_oidset *set, const git_oid *id);

/** Is `id` in the set? */
int pg_oidset_contains(const struct pg_oidset *set, const git_oid *id);

/** Free the set; it is left empty and reusable. */
void pg_oidset_clear(struct pg_oidset *set);

#endif
