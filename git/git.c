/*
 * git.c - start libgit2 once, on first use (see git.h for why).
 */
#include <pthread.h>
#include <stdbool.h>

#include <git2.h>

#include "common/error.h"
#include "git/git.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_result = -1; /* written once, under init_once */
static bool hook_bounds;     /* written before any thread starts, by pg_git_init_hook() */

static void init_libgit2(void)
{
	init_result = git_libgit2_init();
	if (init_result < 0)
		return;
	/* Re-hashing every object read is pure cost here (see git.h). */
	if (git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0) < 0)
		init_result = -1;
}

int pg_git_init(void)
{
	if (pthread_once(&init_once, init_libgit2) != 0 || init_result < 0)
		return pg_error_set(PG_EGIT, "cannot initialise libgit2");
	return 0;
}

int pg_git_init_hook(void)
{
	int error;

	if ((error = pg_git_init()) < 0)
		return error;
	if (git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)16 << 20) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)32 << 20) < 0)
		return pg_error_set_git("bounding libgit2's memory");
	hook_bounds = true;
	return 0;
}

bool pg_git_memory_bounded(void)
{
	return hook_bounds;
}

void pg_git_shutdown(void)
{
	if (init_result >= 0) {
		git_libgit2_shutdown();
		init_result = -1;
	}
}
