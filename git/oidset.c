/*
 * oidset.c - open-addressing hash set of git object ids.
 *
 * Object ids are already uniformly distributed, so their first bytes
 * serve as the hash.
 */
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "git/oidset.h"

static size_t slot_of(const git_oid *id, size_t cap)
{
	size_t h;

	memcpy(&h, id->id, sizeof(h));
	return h & (cap - 1);
}

static int is_empty(const git_oid *slot)
{
	return git_oid_is_zero(slot);
}

static int grow(struct pg_oidset *set)
{
	size_t ncap = set->cap ? set->cap * 2 : 64, i, s;
	git_oid *nslots = calloc(ncap, sizeof(*nslots));

	if (!nslots)
		return pg_error_oom();
	for (i = 0; i < set->cap; i++) {
		if (is_empty(&set->slots[i]))
			continue;
		for (s = slot_of(&set->slots[i], ncap); !is_empty(&nslots[s]); s = (s + 1) & (ncap - 1))
			;
		nslots[s] = set->slots[i];
	}
	free(set->slots);
	set->slots = nslots;
	set->cap = ncap;
	return 0;
}

int pg_oidset_insert(struct pg_oidset *set, const git_oid *id)
{
	size_t s;
	int error;

	if (git_oid_is_zero(id)) {
		if (set->has_zero)
			return 0;
		set->has_zero = 1;
		return 1;
	}
	if ((set->len + 1) * 2 > set->cap && (error = grow(set)) < 0)
		return error;
	for (s = slot_of(id, set->cap); !is_empty(&set->slots[s]); s = (s + 1) & (set->cap - 1))
		if (git_oid_equal(&set->slots[s], id))
			return 0;
	set->slots[s] = *id;
	set->len++;
	return 1;
}

int pg_oidset_contains(const struct pg_oidset *set, const git_oid *id)
{
	size_t s;

	if (git_oid_is_zero(id))
		return set->has_zero;
	if (!set->cap)
		return 0;
	for (s = slot_of(id, set->cap); !is_empty(&set->slots[s]); s = (s + 1) & (set->cap - 1))
		if (git_oid_equal(&set->slots[s], id))
			return 1;
	return 0;
}

void pg_oidset_clear(struct pg_oidset *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
