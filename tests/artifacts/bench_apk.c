/*
 * bench_apk.c - times emh_apk_read on an APK (docs/performance.md): reads the
 * file once, then reads it as an APK REPS times and prints the best time, the
 * number of classes and permissions, and the archive's size.
 *   cc -O2 -I. -Iinclude tests/artifacts/bench_apk.c build/libemheval.a $(pkg-config --libs ...)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "evaluator/artifact.h"

static int count(const emh_artifact_item *it, void *ctx)
{
	unsigned long *n = ctx;
	n[it->kind == EMH_ITEM_CLASS ? 0 : 1]++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *p = malloc((size_t)len);
	if (!p || fread(p, 1, (size_t)len, f) != (size_t)len)
		return 2;
	fclose(f);
	double best = 1e9;
	unsigned long n[2] = { 0, 0 };
	for (int r = 0; r < reps; r++) {
		struct timespec a, b;
		emh_error err = EMH_ERROR_INIT;
		n[0] = n[1] = 0;
		clock_gettime(CLOCK_MONOTONIC, &a);
		int rc = emh_apk_read(p, (size_t)len, argv[1], NULL, count, n, &err);
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (rc) {
			char msg[1400];
			fprintf(stderr, "%s\n", emh_error_format(&err, msg, sizeof msg));
			return 1;
		}
		double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
		if (s < best)
			best = s;
	}
	printf("%s: %.1f MB, %lu classes, %lu permissions, best of %d: %.3f s\n", argv[1], (double)len / 1e6,
	       n[0], n[1], reps, best);
	free(p);
	return 0;
}
