/*
 * git.h - libgit2, started by the commands that open repositories.
 *
 * git_libgit2_init() loads the system's TLS certificates: a third of the
 * start-up of a small scan, and a scan of files never needs them.
 */
#ifndef PG_GIT_H
#define PG_GIT_H

#include <stdbool.h>

/**
 * Start libgit2 once per process (later calls return the first result).
 * Object reads are not re-hashed: pushgate never writes objects, and
 * git's index-pack already verified what a push brought. The object
 * cache is off: scans read each blob once and hold the trees they
 * compare themselves, so it only held memory (a 5000-commit push:
 * 120 MB peak with libgit2's 16 MiB bound, 73 MB without, as fast).
 *
 * @return 0 or PG_EGIT. Thread-safe.
 */
int pg_git_init(void);

/**
 * pg_git_init() for a hook, which runs once per push on a shared server,
 * with libgit2's pack mapping bounded: windows of 16 MiB, at most 32 MiB
 * of them mapped (defaults: 1 GiB, 8 GiB). Smaller windows are remapped
 * so often that a big push's hook takes a third longer.
 *
 * @return 0 or PG_EGIT
 */
int pg_git_init_hook(void);

/**
 * Did pg_git_init_hook() start libgit2, so that memory must stay within a
 * hook's bounds? Scans that may hold more to go faster (a whole-history
 * scan: git/git_changes.c) ask this first. Thread-safe once threads
 * start after pg_git_init_hook().
 */
bool pg_git_memory_bounded(void);

/** Stop libgit2 if pg_git_init() started it; call once, at exit, with no threads left. */
void pg_git_shutdown(void);

#endif
