/*
 * git_floor.c - the start-up floor of one `emheval check`: a process that
 * only initialises libgit2 and shuts it down. Debian's libgit2 parses the
 * system CA bundle with mbedTLS in git_libgit2_init, whatever the program
 * does next, so no check can start faster than this (issue 18, item 5).
 */
#include <git2.h>
#include <stdio.h>

int main(void)
{
	if (git_libgit2_init() < 0) {
		fprintf(stderr, "git_floor: git_libgit2_init failed\n");
		return 1;
	}
	git_libgit2_shutdown();
	return 0;
}
