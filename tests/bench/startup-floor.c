/*
 * startup-floor.c - what starting a pushgate process costs before its
 * own code runs, for the start-up case of `make bench` (run.sh builds
 * it three ways): with no libraries; linked with pushgate's libraries
 * (the dynamic loader mapping and relocating them, libgit2's chain
 * included); and linked with them calling git_libgit2_init(), which a
 * hook that opens the repository cannot skip.
 */
#ifdef WITH_GIT_INIT
#include <git2.h>
#endif

int main(void)
{
#ifdef WITH_GIT_INIT
	if (git_libgit2_init() < 0)
		return 1;
	git_libgit2_shutdown();
#endif
	return 0;
}
