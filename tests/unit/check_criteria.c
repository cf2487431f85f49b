/*
 * check_criteria.c - unit tests for a whole criteria set (evaluator/criteria.c)
 * compiled from files in memory: a valid set, its date windows, the framework
 * file anywhere in the list, and the set-level checks (duplicate ids, unknown
 * domains, requires that are unknown, the criterion itself or a cycle, an
 * empty set, no framework.json), each located at its file, line, column and
 * JSON pointer; on_problem sees every problem of a run, not just the first.
 * One criterion file's own defects are check_compile.c's; framework.json's,
 * check_framework.c's.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "emheval/criteria.h"
#define EMH_TEST_CRITERIA_FIXTURES
#define EMH_TEST_GATE_FRAMEWORK
#include "helpers.h"

/* ---- a valid set ------------------------------------------------------------- */

START_TEST(criteria_valid_set_compiles)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"check\": {\"and\": [{\"path\": \"/a\", \"type\": \"integer\", \"ge\": 1, \"le\": 120},\n"
	         "  {\"path\": \"/items\", \"where\": {\"path\": \"/k\", \"eq\": \"x\"}, \"all\": {\"path\": \"\", \"exists\": true},"
	         "   \"min_count\": 1, \"unique\": \"/id\"},\n"
	         "  {\"not\": {\"path\": \"/s\", \"matches\": \"^a.c$\", \"flags\": \"imsxu\"}},\n"
	         "  {\"path\": \"/d\", \"within_days\": 365, \"of\": \"@as_of\", \"before\": \"/e\", \"after\": \"2000-02-29\"},\n"
	         "  {\"or\": [{\"evidence\": \"report\", \"present\": true, \"verified\": true}, {\"evidence\": \"*\", \"not_matches\": \"secret\"}]}]}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha",
	         "\"applies_when\": {\"path\": \"/p\", \"eq\": true},\n"
	         "  \"requires\": [\"A-1\"],\n"
	         "  \"review\": \"A human checks the wording.\",\n"
	         "  \"check\": {\"path\": \"/q\", \"absent\": true}");
	add_crit(&fs, "beta/B-1.json", "B-1", "beta",
	         "\"manual\": true, \"guidance\": \"Read the policy.\", \"requires\": [\"A-2\", \"A-1\"]");
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	problems ps = { 0 };
	o.on_problem = collect;
	o.payload = &ps;
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, fs.files, fs.n, &o, &err), &err);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_uint_eq(emh_criteria_count(c), 3);
	ck_assert_str_eq(emh_criteria_framework_name(c), "test framework");
	ck_assert_str_eq(emh_criteria_framework_version(c), "2.0.0");
	ck_assert_str_eq(emh_criteria_commit(c), ""); /* compiled from memory */
	ck_assert_str_eq(emh_criteria_tree(c), "");
	emh_criteria_free(c);
	emh_criteria_free(NULL);
	fileset_dispose(&fs);
}
END_TEST

/* `emheval due` reads a criterion's date windows: within_days anchored to the evaluation date, outside quantifiers. */
START_TEST(criteria_date_windows)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"check\": {\"and\": [{\"path\": \"/pentest/date\", \"type\": \"date\", \"within_days\": 365},\n"
	         "  {\"or\": [{\"not\": {\"path\": \"/x\", \"exists\": true}}, {\"path\": \"/dspt/date\", \"within_days\": 180, \"of\": \"@as_of\"}]},\n"
	         "  {\"path\": \"/rel\", \"within_days\": 30, \"of\": \"/other\"},\n"
	         "  {\"path\": \"/items\", \"all\": {\"path\": \"/d\", \"within_days\": 10}}]}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha", "\"check\": {\"path\": \"/q\", \"exists\": true}");
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, fs.files, fs.n, NULL, &err), &err);
	emh_date_window w[4];
	ck_assert_uint_eq(emh_criteria_windows(c, 0, w, 4), 2);
	ck_assert_str_eq(w[0].path, "/pentest/date");
	ck_assert_int_eq(w[0].days, 365);
	ck_assert_str_eq(w[1].path, "/dspt/date");
	ck_assert_int_eq(w[1].days, 180);
	ck_assert_uint_eq(emh_criteria_windows(c, 0, w, 1), 2); /* the count, even past max */
	ck_assert_uint_eq(emh_criteria_windows(c, 1, w, 4), 0);
	ck_assert_uint_eq(emh_criteria_windows(c, 9, w, 4), 0);
	emh_criteria_free(c);
	fileset_dispose(&fs);
}
END_TEST

/* The framework file may come anywhere in the list; options may be NULL. */
START_TEST(criteria_framework_anywhere_options_null)
{
	fileset fs = { 0 };
	add_crit(&fs, "beta/B-1.json", "B-1", "beta", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, fs.files, fs.n, NULL, &err), &err);
	ck_assert_uint_eq(emh_criteria_count(c), 2);
	emh_criteria_free(c);
	fileset_dispose(&fs);
}
END_TEST

/* ---- set-level defects -------------------------------------------------------- */

START_TEST(criteria_duplicate_id)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/X-1.json", "X-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/X-1.json", "X-1", "beta", "\"check\": {\"path\": \"/y\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "duplicate"));
	ck_assert_ptr_nonnull(strstr(err.message, "X-1"));
	/* Reported against one of the two files, naming the other. */
	int first = strcmp(err.file, "criteria/alpha/X-1.json") == 0;
	int second = strcmp(err.file, "criteria/beta/X-1.json") == 0;
	ck_assert_msg(first || second, "file %s", err.file);
	ck_assert_ptr_nonnull(strstr(err.message, first ? "beta/X-1.json" : "alpha/X-1.json"));
	ck_assert_uint_eq(ps.n, 1);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_unknown_domain)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "gamma/G-1.json", "G-1", "gamma", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/gamma/G-1.json");
	ck_assert_ptr_nonnull(strstr(err.message, "gamma"));
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_requires_unknown_and_self)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"requires\": [\"NOPE-9\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_ptr_nonnull(strstr(err.message, "NOPE-9"));
	ck_assert_uint_eq(ps.n, 1);
	fileset_dispose(&fs);

	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"requires\": [\"A-1\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/alpha/A-1.json");
	ck_assert_ptr_nonnull(strstr(err.message, "itself"));
	fileset_dispose(&fs);

	/* A requires entry that is not an id at all is located in the file. */
	expect_problem("\"requires\": [\"A-2\", 3], \"check\": {\"path\": \"/x\", \"exists\": true}", "/requires/1",
	               "3]", "id", 0);
}
END_TEST

START_TEST(criteria_requires_cycle)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/C-1.json", "C-1", "alpha",
	         "\"requires\": [\"C-2\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "alpha/C-2.json", "C-2", "alpha",
	         "\"requires\": [\"C-3\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/C-3.json", "C-3", "beta",
	         "\"requires\": [\"C-1\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/D-1.json", "D-1", "beta", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "cycle"));
	ck_assert_msg(strcmp(err.file, "criteria/alpha/C-1.json") == 0 ||
	              strcmp(err.file, "criteria/alpha/C-2.json") == 0 ||
	              strcmp(err.file, "criteria/beta/C-3.json") == 0, "file %s", err.file);
	fileset_dispose(&fs);

	/* A diamond (two paths to one prerequisite) is not a cycle. */
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/C-1.json", "C-1", "alpha",
	         "\"requires\": [\"C-2\", \"C-3\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "alpha/C-2.json", "C-2", "alpha",
	         "\"requires\": [\"C-3\"], \"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/C-3.json", "C-3", "beta", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	EMH_PASS(compile_set(&fs, NULL, &err, NULL), &err);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_several_problems_in_one_run)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha",
	         "\"colour\": 1,\n  \"check\": {\"path\": \"/x\", \"matches\": \"(\"}");
	add_crit(&fs, "alpha/A-2.json", "A-2", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add_crit(&fs, "beta/B-1.json", "B-1", "beta",
	         "\"check\": {\"and\": [{\"path\": \"/x\", \"before\": \"2023-02-29\"},\n"
	         "    {\"path\": \"/y\", \"lt\": \"1\"}]}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_uint_eq(ps.n, 4);
	/* Which problem each file had, wherever it comes in the list. */
	int seen_colour = 0, seen_regex = 0, seen_date = 0, seen_lt = 0;
	for (size_t i = 0; i < ps.n; i++) {
		const emh_error *e = &ps.e[i];
		ck_assert_int_eq(e->code, EMH_EINVALID);
		ck_assert_uint_gt(e->line, 0);
		if (strcmp(e->pointer, "/colour") == 0) {
			seen_colour++;
			ck_assert_str_eq(e->file, "criteria/alpha/A-1.json");
		} else if (strcmp(e->pointer, "/check/matches") == 0) {
			seen_regex++;
			ck_assert_str_eq(e->file, "criteria/alpha/A-1.json");
		} else if (strcmp(e->pointer, "/check/and/0/before") == 0) {
			seen_date++;
			ck_assert_str_eq(e->file, "criteria/beta/B-1.json");
		} else if (strcmp(e->pointer, "/check/and/1/lt") == 0) {
			seen_lt++;
			ck_assert_str_eq(e->file, "criteria/beta/B-1.json");
			unsigned line, col;
			pos_of(fs.files[3].data, "\"1\"", &line, &col);
			ck_assert_uint_eq(e->line, line);
			ck_assert_uint_eq(e->column, col);
		} else {
			ck_abort_msg("unexpected problem %s at %s", e->message, e->pointer);
		}
	}
	ck_assert(seen_colour == 1 && seen_regex == 1 && seen_date == 1 && seen_lt == 1);
	/* err holds the first problem reported. */
	ck_assert_str_eq(err.message, ps.e[0].message);
	ck_assert_str_eq(err.file, ps.e[0].file);
	ck_assert_str_eq(err.pointer, ps.e[0].pointer);
	fileset_dispose(&fs);
}
END_TEST

START_TEST(criteria_empty_set)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw_ok);
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "no criteria"));
	fileset_dispose(&fs);
}
END_TEST

START_TEST(framework_missing)
{
	fileset fs = { 0 };
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(err.message, "framework.json"));
	fileset_dispose(&fs);
}
END_TEST

/* ---- on the gate's framework.json (fw_text, helpers.h) ---------------------- */

START_TEST(gate_set_problems_are_located)
{
	const char *a = "{\"id\": \"A-1\", \"version\": 1, \"title\": \"t\", \"domain\": \"alpha\", \"severity\": \"minor\",\n"
	                " \"references\": [\"R\"], \"requires\": [\"A-2\", \"ZZ-9\"], \"check\": {\"path\": \"/x\", \"exists\": true},\n"
	                " \"fail_message\": \"f\", \"remediation\": \"r\"}";
	const char *b = "{\"id\": \"A-2\", \"version\": 1, \"title\": \"t\", \"domain\": \"alpha\", \"severity\": \"minor\",\n"
	                " \"references\": [\"R\"], \"requires\": [\"A-1\"], \"check\": {\"path\": \"/x\", \"exists\": true},\n"
	                " \"fail_message\": \"f\", \"remediation\": \"r\"}";
	emh_criteria_file files[] = {
		{ "framework.json", fw_text, strlen(fw_text) },
		{ "alpha/A-1.json", a, strlen(a) },
		{ "alpha/A-2.json", b, strlen(b) },
	};
	problems ps = { .n = 0 };
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	o.on_problem = collect;
	o.payload = &ps;
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_criteria_compile(&c, files, 3, &o, &err), EMH_EINVALID);
	/* The missing prerequisite and the cycle, each at its "requires" entry. */
	ck_assert_uint_eq(ps.n, 2);
	ck_assert_str_eq(ps.e[0].pointer, "/requires/1");
	ck_assert_uint_eq(ps.e[0].line, 2);
	ck_assert_uint_eq(ps.e[0].column, 43);
	ck_assert_ptr_nonnull(strstr(ps.e[0].message, "ZZ-9"));
	ck_assert_ptr_nonnull(strstr(ps.e[1].message, "A-1 -> A-2 -> A-1"));
	ck_assert_uint_eq(ps.e[1].line, 2);
}
END_TEST

Suite *emh_suite_criteria(void);
Suite *emh_suite_criteria(void)
{
	Suite *s = suite_create("criteria");
	TCase *tc = tcase_create("valid");
	tcase_add_test(tc, criteria_valid_set_compiles);
	tcase_add_test(tc, criteria_framework_anywhere_options_null);
	tcase_add_test(tc, criteria_date_windows);
	suite_add_tcase(s, tc);

	tc = tcase_create("set");
	tcase_add_test(tc, criteria_duplicate_id);
	tcase_add_test(tc, criteria_unknown_domain);
	tcase_add_test(tc, criteria_requires_unknown_and_self);
	tcase_add_test(tc, criteria_requires_cycle);
	tcase_add_test(tc, criteria_several_problems_in_one_run);
	tcase_add_test(tc, criteria_empty_set);
	tcase_add_test(tc, framework_missing);
	tcase_add_test(tc, gate_set_problems_are_located);
	suite_add_tcase(s, tc);
	return s;
}
