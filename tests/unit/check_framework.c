/*
 * check_framework.c - unit tests for framework.json (evaluator/framework.c)
 * compiled with a set in memory: the verdict policy (severities, review,
 * conditions), profiles and their membership, categories and the other
 * defects, each located at its line, column and JSON pointer; and every
 * problem of one framework.json reported in one run.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/buf.h"
#include "emheval/criteria.h"
#define EMH_TEST_CRITERIA_FIXTURES
#define EMH_TEST_GATE_FRAMEWORK
#include "helpers.h"
#include "evaluator/criteria_internal.h"

/* ---- framework.json ------------------------------------------------------------ */

/* Compiles a set of the given framework text and one valid criterion; checks the problem. */
static void expect_framework_problem(const char *fw, const char *pointer, const char *marker,
                                     const char *says)
{
	fileset fs = { 0 };
	add(&fs, "framework.json", fw);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	problems ps = { 0 };
	ck_assert_int_eq(compile_set(&fs, NULL, &err, &ps), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/framework.json");
	if (pointer)
		ck_assert_msg(strcmp(err.pointer, pointer) == 0, "pointer %s, expected %s (%s)", err.pointer,
		              pointer, err.message);
	ck_assert_msg(strstr(err.message, says) != NULL, "message \"%s\" lacks \"%s\"", err.message, says);
	if (marker) {
		unsigned line, col;
		pos_of(fw, marker, &line, &col);
		ck_assert_msg(err.line == line && err.column == col, "at %u:%u, expected %u:%u (%s)",
		              err.line, err.column, line, col, err.message);
	}
	ck_assert_uint_ge(ps.n, 1);
	ck_assert_str_eq(ps.e[0].file, "criteria/framework.json");
	fileset_dispose(&fs);
}

/* fw_ok with its policy replaced. */
static char *fw_with_policy(const char *policy)
{
	return fmt("{\n"
	           "  \"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
	           "  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
	           "  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"}],\n"
	           "  \"verdict_policy\": %s\n"
	           "}\n", policy);
}

START_TEST(framework_policy_bad_severity)
{
	char *fw = fw_with_policy("{\"reject\": [\"blocker\", \"maybe\"]}");
	expect_framework_problem(fw, "/verdict_policy/reject/1", "\"maybe\"", "maybe");
	free(fw);
	/* Advisory never moves a verdict, so a policy cannot name it. */
	fw = fw_with_policy("{\"reject\": [\"advisory\", \"blocker\", \"major\"]}");
	expect_framework_problem(fw, "/verdict_policy/reject/0", "\"advisory\"", "advisory");
	free(fw);
	fw = fw_with_policy("{\"condition_days\": {\"advisory\": 30, \"minor\": 90}}");
	expect_framework_problem(fw, "/verdict_policy/condition_days/advisory", "30", "advisory");
	free(fw);
}
END_TEST

START_TEST(framework_policy_review_needs_blocker_and_major)
{
	char *fw = fw_with_policy("{\"review\": [\"major\"]}");
	expect_framework_problem(fw, "/verdict_policy", "[\"major\"]", "blocker and major");
	free(fw);
}
END_TEST

START_TEST(framework_policy_conditions)
{
	char *fw = fw_with_policy("{\"condition_days\": {\"minor\": 0}}");
	expect_framework_problem(fw, "/verdict_policy/condition_days/minor", "0}", "whole number");
	free(fw);
	fw = fw_with_policy("{\"condition_days\": {}}");
	expect_framework_problem(fw, "/verdict_policy", "{\"condition", "neither");
	free(fw);
	fw = fw_with_policy("{\"reject\": [\"blocker\", \"major\", \"minor\"], \"condition_days\": {\"minor\": 5}}");
	expect_framework_problem(fw, "/verdict_policy/condition_days", "{\"minor\": 5}", "both");
	free(fw);
	fw = fw_with_policy("[]");
	expect_framework_problem(fw, "/verdict_policy", "[]", "object");
	free(fw);
	fw = fw_with_policy("{\"integrity\": [\"NOPE-1\"]}");
	expect_framework_problem(fw, "/verdict_policy/integrity/0", "\"NOPE-1\"", "NOPE-1");
	free(fw);
}
END_TEST

/* fw_ok's shape with "profiles" PROFILES. */
static char *fw_with_profiles(const char *profiles)
{
	return fmt("{\n"
	           "  \"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
	           "  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
	           "  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"}],\n"
	           "  \"profiles\": %s\n"
	           "}\n", profiles);
}

START_TEST(framework_profiles_located_problems)
{
	/* A family that matches no criterion's references (A-1 cites "REF 1"). */
	char *fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"GB\"],\n"
	                            "    \"families\": [\"REF\", \"RE\"]}]");
	expect_framework_problem(fw, "/profiles/0/families/1", "\"RE\"", "matches no criterion");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"GB\"], \"families\": [\"REF\"],\n"
	                      "    \"exclude\": [\"B-9\"]}]");
	expect_framework_problem(fw, "/profiles/0/exclude/0", "\"B-9\"", "B-9");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"GBR\"], \"families\": [\"REF\"]}]");
	expect_framework_problem(fw, "/profiles/0/markets/0", "\"GBR\"", "ISO 3166");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"], \"domains\": [\"gamma\"]}]");
	expect_framework_problem(fw, "/profiles/0/domains/0", "\"gamma\"", "gamma");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"], \"families\": [\"REF\"]},\n"
	                      "    {\"id\": \"p\", \"title\": \"Q\", \"markets\": [\"*\"], \"families\": [\"REF\"]}]");
	expect_framework_problem(fw, "/profiles/1/id", "\"p\", \"title\": \"Q\"", "duplicate");
	free(fw);
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"]}]");
	expect_framework_problem(fw, "/profiles/0", "{\"id\": \"p\"", "families");
	free(fw);
	/* Everything excluded: the profile holds nothing. */
	fw = fw_with_profiles("[{\"id\": \"p\", \"title\": \"P\", \"markets\": [\"*\"], \"families\": [\"REF\"],\n"
	                      "    \"exclude\": [\"A-1\"]}]");
	expect_framework_problem(fw, "/profiles/0", NULL, "holds no criterion");
	free(fw);
}
END_TEST

/* Membership: by family (whole words only), include, domain, minus exclude. */
START_TEST(framework_profiles_membership)
{
	const char *fw =
		"{\"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
		" \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
		" \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
		"             {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"safe\"}],\n"
		" \"references\": {\"REF 1\": \"one\", \"REFX 2\": \"two\"},\n"
		" \"profiles\": [\n"
		"  {\"id\": \"uk\", \"title\": \"UK\", \"markets\": [\"GB\"], \"families\": [\"REF\"], \"include\": [\"C-3\"]},\n"
		"  {\"id\": \"de\", \"title\": \"DE\", \"markets\": [\"DE\"], \"domains\": [\"beta\"], \"exclude\": [\"C-3\"]},\n"
		"  {\"id\": \"any\", \"title\": \"Any\", \"markets\": [\"*\"], \"families\": [\"REFX\"]}]}\n";
	fileset fs = { 0 };
	add(&fs, "framework.json", fw);
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	add(&fs, "beta/B-2.json",
	    "{\"id\": \"B-2\", \"version\": 1, \"title\": \"B\", \"domain\": \"beta\", \"severity\": \"major\",\n"
	    " \"references\": [\"REFX 2\"], \"fail_message\": \"f\", \"remediation\": \"r\",\n"
	    " \"check\": {\"path\": \"/x\", \"exists\": true}}");
	add(&fs, "beta/C-3.json",
	    "{\"id\": \"C-3\", \"version\": 1, \"title\": \"C\", \"domain\": \"beta\", \"severity\": \"major\",\n"
	    " \"references\": [\"REFX 2\"], \"fail_message\": \"f\", \"remediation\": \"r\",\n"
	    " \"check\": {\"path\": \"/x\", \"exists\": true}}");
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_criteria_compile(&c, fs.files, fs.n, NULL, &err), 0);
	const emh_framework *f = &c->framework;
	ck_assert_uint_eq(f->nprofiles, 3);
	/* items sorted: A-1, B-2, C-3 */
	ck_assert_str_eq(c->items[1].id, "B-2");
	/* uk: "REF" holds "REF 1" but not "REFX 2"; C-3 by include */
	ck_assert_int_eq(f->profiles[0].member[0], 1);
	ck_assert_int_eq(f->profiles[0].member[1], 0);
	ck_assert_int_eq(f->profiles[0].member[2], 1);
	/* de: domain beta minus C-3 */
	ck_assert_int_eq(f->profiles[1].member[0], 0);
	ck_assert_int_eq(f->profiles[1].member[1], 1);
	ck_assert_int_eq(f->profiles[1].member[2], 0);
	/* any: family REFX */
	ck_assert_int_eq(f->profiles[2].member[0], 0);
	ck_assert_int_eq(f->profiles[2].member[1], 1);
	/* The shared default policy: blocker and major reject, minor gives a 90-day condition. */
	ck_assert_uint_eq(f->profiles[0].policy.reject, 1u << EMH_SEVERITY_BLOCKER | 1u << EMH_SEVERITY_MAJOR);
	ck_assert_int_eq(f->profiles[0].policy.condition_days[EMH_SEVERITY_MINOR], 90);
	emh_criteria_free(c);
	fileset_dispose(&fs);
	/* Without "profiles": one implicit profile "all" holding every criterion. */
	fileset fs2 = { 0 };
	add(&fs2, "framework.json", fw_ok);
	add_crit(&fs2, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	ck_assert_int_eq(emh_criteria_compile(&c, fs2.files, fs2.n, NULL, &err), 0);
	ck_assert_uint_eq(c->framework.nprofiles, 1);
	ck_assert_str_eq(c->framework.profiles[0].id, "all");
	ck_assert_int_eq(c->framework.profiles[0].member[0], 1);
	emh_criteria_free(c);
	fileset_dispose(&fs2);
}
END_TEST

START_TEST(framework_unknown_category)
{
	const char *fw =
		"{\n"
		"  \"name\": \"f\", \"version\": \"1\", \"effective_date\": \"2026-01-01\",\n"
		"  \"categories\": [{\"id\": \"safe\", \"title\": \"Safe\"}],\n"
		"  \"domains\": [{\"id\": \"alpha\", \"title\": \"Alpha\", \"category\": \"safe\"},\n"
		"              {\"id\": \"beta\", \"title\": \"Beta\", \"category\": \"nosuch\"}],\n"
		"  \"verdict_policy\": [{\"verdict\": \"approved\"}]\n"
		"}\n";
	expect_framework_problem(fw, "/domains/1/category", "\"nosuch\"", "nosuch");
}
END_TEST

START_TEST(framework_other_defects)
{
	/* Invalid JSON, located (on the line of the broken number). */
	fileset fs = { 0 };
	add(&fs, "framework.json", "{\n  \"name\": \"f\",\n  \"version\": 1.x\n}");
	add_crit(&fs, "alpha/A-1.json", "A-1", "alpha", "\"check\": {\"path\": \"/x\", \"exists\": true}");
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(compile_set(&fs, NULL, &err, NULL), EMH_EINVALID);
	ck_assert_str_eq(err.file, "criteria/framework.json");
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_ge(err.column, 14);
	fileset_dispose(&fs);
	/* Unknown top-level key. */
	char *fw = fmt("%.*s,\n  \"colour\": 1\n}\n", (int)(strrchr(fw_ok, '}') - fw_ok - 1), fw_ok);
	expect_framework_problem(fw, "/colour", "1\n}", "colour");
	free(fw);
	/* A weight for a domain that does not exist. */
	fw = fmt("%.*s,\n  \"weights\": {\"default\": {\"alpha\": 2, \"omega\": 1}}\n}\n",
	         (int)(strrchr(fw_ok, '}') - fw_ok - 1), fw_ok);
	expect_framework_problem(fw, NULL, NULL, "omega");
	free(fw);
	/* An effective date that is not a date. */
	fw = fmt("%s", fw_ok);
	memcpy(strstr(fw, "2026-01-01"), "2026-02-30", 10);
	expect_framework_problem(fw, "/effective_date", "\"2026-02-30\"", "effective_date");
	free(fw);
}
END_TEST

/* ---- on the gate's framework.json (fw_text, helpers.h) ---------------------- */

START_TEST(gate_framework_reports_every_problem)
{
	const char *fw = "{\"name\": \"x\", \"version\": \"1.0.0\", \"effective_date\": \"2026-13-01\",\n"
	                 " \"colour\": 1, \"categories\": [{\"id\": \"c\", \"title\": \"C\"}],\n"
	                 " \"domains\": [{\"id\": \"d\", \"title\": \"D\", \"category\": \"nope\"}],\n"
	                 " \"references\": {\"R\": 5}, \"retired\": [{\"id\": \"X\"}],\n"
	                 " \"verdict_policy\": {}}";
	emh_criteria_file files[] = { { "framework.json", fw, strlen(fw) } };
	problems ps = { .n = 0 };
	emh_criteria_options o = EMH_CRITERIA_OPTIONS_INIT;
	o.on_problem = collect;
	o.payload = &ps;
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_criteria_compile(&c, files, 1, &o, &err), EMH_EINVALID);
	ck_assert_ptr_null(c);
	/* effective_date, colour, unknown category, the reference's title, the retired reason. */
	ck_assert_uint_eq(ps.n, 5);
	const char *want[] = { "/effective_date", "/colour", "/domains/0/category", "/references/R", "/retired/0/reason" };
	for (size_t i = 0; i < 5; i++) {
		int seen = 0;
		for (size_t k = 0; k < ps.n; k++)
			seen |= strcmp(ps.e[k].pointer, want[i]) == 0 && ps.e[k].line > 0 && ps.e[k].column > 0;
		ck_assert_msg(seen, "no located problem at %s", want[i]);
	}
	ck_assert_str_eq(err.message, ps.e[0].message);
}
END_TEST

Suite *emh_suite_framework(void)
{
	Suite *s = suite_create("framework");
	TCase *tc = tcase_create("framework");
	tcase_add_test(tc, framework_policy_bad_severity);
	tcase_add_test(tc, framework_policy_review_needs_blocker_and_major);
	tcase_add_test(tc, framework_policy_conditions);
	tcase_add_test(tc, framework_profiles_located_problems);
	tcase_add_test(tc, framework_profiles_membership);
	tcase_add_test(tc, framework_unknown_category);
	tcase_add_test(tc, framework_other_defects);
	tcase_add_test(tc, gate_framework_reports_every_problem);
	suite_add_tcase(s, tc);
	return s;
}
