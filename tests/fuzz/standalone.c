/*
 * standalone.c - runs a fuzz target without libFuzzer: each argument is a
 * file, or a folder whose files (sorted by name, recursively) are each one
 * input. `make test` replays tests/fuzz/regressions/TARGET and the seed
 * corpora this way under gcc, so every past finding stays fixed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

static size_t ran;

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "standalone: cannot open %s\n", path);
		return -1;
	}
	size_t cap = 4096, len = 0;
	unsigned char *buf = malloc(cap);
	for (;;) {
		if (!buf) {
			fclose(f);
			return -1;
		}
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		unsigned char *nb = realloc(buf, cap * 2);
		if (!nb)
			free(buf);
		buf = nb;
		cap *= 2;
	}
	fclose(f);
	/* An exact-size copy, so that a read past the input is caught by ASan and valgrind. */
	unsigned char *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "standalone: %s\n", path);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	ran++;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		fprintf(stderr, "standalone: no such file or folder: %s\n", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *names);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		size_t size = strlen(path) + strlen(e->d_name) + 2;
		names[n] = malloc(size);
		if (!names[n]) {
			rc = -1;
			break;
		}
		snprintf(names[n++], size, "%s/%s", path, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0 && run_path(names[i]))
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i]))
			rc = 1;
	printf("%s: %zu inputs replayed\n", argc > 0 ? argv[0] : "standalone", ran);
	return rc;
}
