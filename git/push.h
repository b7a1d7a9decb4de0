/*
 * push.h - what a push is: the ref updates it asks for and what Gitea
 * says about who pushes and how. The hooks fill these in; every layer
 * above reads them.
 */
#ifndef PG_PUSH_H
#define PG_PUSH_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

/* One line of pre-receive input, or the update hook's arguments. */
struct pg_ref_update {
	git_oid old_id;
	git_oid new_id;
	bool old_zero;   /* creating the ref */
	bool new_zero;   /* deleting the ref */
	char *ref;       /* owned, full name, e.g. refs/heads/main */
};

/* What Gitea tells the hook about the push (docs/architecture.md, "A push"). */
struct pg_push_facts {
	const char *pusher;      /* GITEA_PUSHER_NAME; NULL when unknown */
	bool pr_merge;           /* Gitea itself merging a pull request */
	bool internal;           /* GITEA_INTERNAL_PUSH=true */
	bool wiki;               /* GITEA_REPO_IS_WIKI=true */
	const char *repo_owner;  /* GITEA_REPO_USER_NAME; NULL when unknown */
	const char *repo_name;   /* GITEA_REPO_NAME; NULL when unknown */
};

/* Every update of one push, in the order git gave them. */
struct pg_ref_updates {
	struct pg_ref_update *items; /* owned */
	size_t len;
	size_t alloc;
};

/** Free every update; the list is left empty. */
void pg_ref_updates_clear(struct pg_ref_updates *updates);

#endif
