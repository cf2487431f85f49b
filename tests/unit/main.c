/*
 * main.c - the Check runner for every unit suite listed in suites.h.
 * Run from tests/ (data paths are relative to it). CK_RUN_SUITE / CK_RUN_CASE
 * narrow a run; CK_FORK=no keeps a sanitizer's stack on the real fault.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "helpers.h"

#define EMH_SUITE(name) Suite *emh_suite_##name(void);
#include "suites.h"
#undef EMH_SUITE

char *emh_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/emheval-test-XXXXXX", base && *base ? base : "/tmp");
	char *dir = mkdtemp(tmpl);
	ck_assert_msg(dir != NULL, "mkdtemp failed");
	return strdup(dir);
}

const emh_submission_options *emh_test_unvalidated(void)
{
	static emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	o.validation = EMH_VALIDATE_OFF;
	return &o;
}

int emh_test_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void emh_test_rmtree(const char *path)
{
	if (path && *path)
		emh_test_sh("rm -rf '%s'", path);
}

void emh_test_write(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

int main(void)
{
	SRunner *sr = srunner_create(NULL);
#define EMH_SUITE(name) srunner_add_suite(sr, emh_suite_##name());
#include "suites.h"
#undef EMH_SUITE
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
