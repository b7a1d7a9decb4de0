/*
 * git_tips.h - are these commits what branches or tags point at?
 *
 * Read straight from the files ref store (loose refs and packed-refs):
 * libgit2 turns every packed ref into an object first, which on a
 * repository of 10k refs was a third of a small push's pre-receive.
 * Only a "yes" lets a walk hide less, so anything unexpected in the
 * store (an unreadable file, a symbolic link, an odd line) reads as "no".
 */
#ifndef PG_GIT_TIPS_H
#define PG_GIT_TIPS_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

/**
 * Does a ref under refs/heads/ or refs/tags/ point directly at each of
 * `ids` (a loose ref overriding its packed entry, as git reads them)?
 *
 * @param commondir the repository's common directory, '/'-terminated
 *        (git_repository_commondir())
 * @param all receives the answer
 * @return 0 or PG_ENOMEM
 */
int pg_git_tips_cover(bool *all, const char *commondir, const git_oid *ids, size_t n);

#endif
