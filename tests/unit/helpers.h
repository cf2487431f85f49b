/*
 * helpers.h - shared helpers for the Check unit tests.
 */
#ifndef EMH_TESTS_HELPERS_H
#define EMH_TESTS_HELPERS_H

#include <check.h>
#include <stdio.h>
#include "emheval/error.h"
#include "emheval/submission.h"

/* Asserts that a library call returned 0, printing its emh_error if not. */
#define EMH_PASS(call, errp) do { \
	int emh_rc_ = (call); \
	char emh_msg_[1400]; \
	ck_assert_msg(emh_rc_ == 0, "%s failed (%d): %s", #call, emh_rc_, \
	              emh_error_format((errp), emh_msg_, sizeof emh_msg_)); \
} while (0)

/* Makes a fresh temporary directory; returns a malloc'd path. */
char *emh_test_tmpdir(void);
/* Removes a directory tree (rm -rf). */
void emh_test_rmtree(const char *path);
/* Writes a file (creating parent folders); aborts the test on failure. */
void emh_test_write(const char *dir, const char *rel, const char *content);
/* Runs a shell command (with sh -c) and returns its exit status. */
int emh_test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Loading options without schema validation, for tests of the loader and the
 * evaluator on fragments (validation has its own suite, check_validate.c).
 */
const emh_submission_options *emh_test_unvalidated(void);

/* Every suite's constructor (one per line of suites.h). */
#define EMH_SUITE(name) Suite *emh_suite_##name(void);
#include "suites.h"
#undef EMH_SUITE

#endif
