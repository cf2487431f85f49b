/*
 * check_pathlist.c - unit tests for evaluator/pathlist.c: a compact list of
 * paths sorts and de-duplicates exactly as the whole paths would.
 */
#include <stdlib.h>
#include <string.h>
#include "evaluator/pathlist.h"
#include "helpers.h"

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Folders with and without a trailing slash, empty, nested; names with high bytes and slashes. */
START_TEST(sorts_as_the_whole_paths_would)
{
	static const char *const folders[] = { "a", "a/", "a/b", "ab", "a.b", "", "/x", "/x/y", "a\xc3\xa9" };
	static const char *const names[] = { "s.json", "s", "s0.json", "t", "\xc3\xa9.json", "S.json", "s.jsonx", "a" };
	const size_t nf = sizeof folders / sizeof *folders, nn = sizeof names / sizeof *names;
	emh_pathlist *l = emh_pathlist_new();
	ck_assert_ptr_nonnull(l);
	char **want = calloc(nf * nn + 4, sizeof *want);
	size_t nwant = 0;
	unsigned seed = 7;
	for (size_t f = 0; f < nf; f++) {
		uint32_t id;
		ck_assert_int_eq(emh_pathlist_add_folder(l, folders[f], &id), 0);
		for (size_t k = 0; k < nn; k++) {
			/* in a scrambled order, so that the sort has work to do */
			size_t n = (k * 5 + f) % nn;
			seed = seed * 1103515245u + 12345u;
			ck_assert_int_eq(emh_pathlist_add(l, id, names[n], (seed >> 16) % 2), 0);
			size_t len = strlen(folders[f]);
			char buf[64];
			snprintf(buf, sizeof buf, "%s%s%s", folders[f], len && folders[f][len - 1] == '/' ? "" : "/", names[n]);
			want[nwant++] = strdup(buf);
		}
	}
	/* whole paths, one the same as a folder's entry ("a/s.json" twice, from "a" and "a/") */
	static const char *const whole[] = { "a/s.json", "zz", "a/b/s" };
	for (size_t w = 0; w < sizeof whole / sizeof *whole; w++) {
		ck_assert_int_eq(emh_pathlist_add(l, EMH_PATHLIST_WHOLE, whole[w], 0), 0);
		want[nwant++] = strdup(whole[w]);
	}
	qsort(want, nwant, sizeof *want, by_str);
	size_t k = 0;
	for (size_t i = 0; i < nwant; i++) /* unique */
		if (!k || strcmp(want[k - 1], want[i]) != 0)
			want[k++] = want[i];
		else
			free(want[i]);
	nwant = k;
	emh_pathlist_sort_unique(l);
	ck_assert_uint_eq(emh_pathlist_count(l), nwant);
	emh_buf b = EMH_BUF_INIT;
	for (size_t i = 0; i < nwant; i++) {
		ck_assert_str_eq(emh_pathlist_path(l, i, &b), want[i]);
		const char *name = emh_pathlist_name(l, i);
		size_t nl = strlen(name), pl = strlen(want[i]);
		ck_assert(nl <= pl && strcmp(want[i] + pl - nl, name) == 0);
		free(want[i]);
	}
	/* "a/s.json" came three times, once as a whole path (mark 0): mark 0 is kept */
	for (size_t i = 0; i < nwant; i++)
		if (strcmp(emh_pathlist_path(l, i, &b), "a/s.json") == 0)
			ck_assert_uint_eq(emh_pathlist_mark(l, i), 0);
	emh_buf_dispose(&b);
	free(want);
	emh_pathlist_free(l);
}
END_TEST

/* Of equal paths the one with the lowest mark stays, whichever came first. */
START_TEST(keeps_the_lowest_mark)
{
	emh_pathlist *l = emh_pathlist_new();
	uint32_t id;
	ck_assert_int_eq(emh_pathlist_add_folder(l, "p", &id), 0);
	ck_assert_int_eq(emh_pathlist_add(l, id, "x.json", 1), 0);
	ck_assert_int_eq(emh_pathlist_add(l, EMH_PATHLIST_WHOLE, "p/x.json", 0), 0);
	ck_assert_int_eq(emh_pathlist_add(l, id, "y.json", 1), 0);
	emh_pathlist_sort_unique(l);
	ck_assert_uint_eq(emh_pathlist_count(l), 2);
	ck_assert_uint_eq(emh_pathlist_mark(l, 0), 0);
	ck_assert_str_eq(emh_pathlist_name(l, 0), "p/x.json");
	ck_assert_uint_eq(emh_pathlist_mark(l, 1), 1);
	emh_pathlist_free(l);
}
END_TEST

Suite *emh_suite_pathlist(void);
Suite *emh_suite_pathlist(void)
{
	Suite *s = suite_create("pathlist");
	TCase *t = tcase_create("pathlist");
	tcase_add_test(t, sorts_as_the_whole_paths_would);
	tcase_add_test(t, keeps_the_lowest_mark);
	suite_add_tcase(s, t);
	return s;
}
