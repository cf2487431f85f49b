/*
 * floor.h - the part shared by the two floors of the benchmark, read_floor.c and
 * parse_floor.c: the least work any rule checker must do on a corpus.
 *
 * floor_run lists the *.json files of a folder, sorts their names byte-wise, reads
 * each whole file into one reused buffer and hands the bytes to a per-tool "touch"
 * function; then it prints one summary line,
 *
 *     TOOL files=N bytes=B failures=F checksum=HEX
 *
 * and returns 0 when every file was read (and, for parse_floor, parsed), 1 when
 * some was not, 2 on a usage or listing error. The output matches the shared
 * bench's floor/ so that the two can be compared; the code is our own.
 *
 * Included by exactly one translation unit of each floor program.
 */
#ifndef EMH_BENCH_FLOOR_H
#define EMH_BENCH_FLOOR_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Called once per file with its bytes (NUL-terminated at len); updates *sum.
 * Returns 0, or -1 when the file counts as a failure. */
typedef int (*floor_touch_fn)(const char *bytes, size_t len, uint64_t *sum);

static int floor_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int floor_is_json_name(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && memcmp(name + n - 5, ".json", 5) == 0;
}

/*
 * Reads the whole file name (relative to the open folder dfd) into *buf, grown
 * as needed and NUL-terminated. Returns 0 and sets *len, or -1.
 */
static int floor_read(int dfd, const char *name, char **buf, size_t *cap, size_t *len)
{
	int fd = openat(dfd, name, O_RDONLY);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || st.st_size < 0) {
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	if (size + 1 > *cap) {
		char *p = realloc(*buf, size + 1);
		if (!p) {
			close(fd);
			return -1;
		}
		*buf = p;
		*cap = size + 1;
	}
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, *buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return got == size ? 0 : -1;
}

static int floor_run(int argc, char **argv, const char *tool, floor_touch_fn touch,
                     uint64_t sum)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", tool);
		return 2;
	}
	DIR *dir = opendir(argv[1]);
	if (!dir) {
		fprintf(stderr, "%s: %s: %s\n", tool, argv[1], strerror(errno));
		return 2;
	}
	char **names = NULL;
	size_t n = 0, cap_names = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (!floor_is_json_name(e->d_name))
			continue;
		if (n == cap_names) {
			size_t c = cap_names ? 2 * cap_names : 1024;
			char **p = realloc(names, c * sizeof *p);
			if (!p)
				goto oom;
			names = p;
			cap_names = c;
		}
		if (!(names[n] = strdup(e->d_name)))
			goto oom;
		n++;
	}
	if (n)
		qsort(names, n, sizeof *names, floor_cmp_names);

	char *buf = NULL;
	size_t cap = 0;
	unsigned long long bytes = 0, failures = 0;
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		if (floor_read(dirfd(dir), names[i], &buf, &cap, &len) != 0) {
			failures++;
		} else {
			bytes += len;
			if (touch(buf, len, &sum) != 0)
				failures++;
		}
		free(names[i]);
	}
	free(names);
	free(buf);
	closedir(dir);
	printf("%s files=%zu bytes=%llu failures=%llu checksum=%016llx\n", tool, n, bytes,
	       failures, (unsigned long long)sum);
	return failures ? 1 : 0;

oom:
	fprintf(stderr, "%s: out of memory\n", tool);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return 2;
}

#endif
