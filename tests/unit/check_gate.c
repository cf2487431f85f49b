/*
 * check_gate.c - the behaviour of the compiler and loaders that the gate
 * relies on, on the gate's criteria repository: every framework.json problem
 * reported (evaluator/framework.c), set-level problems located (criteria.c),
 * a filtered source read (source.c), submissions with evidence in memory
 * (submission.c). The gate's own suites are check_lint.c, check_fixtures.c
 * and check_impact.c.
 *
 * Each case builds its criteria repository with the git CLI in a temporary
 * folder (the gate fixtures in helpers.h), so the gate reads real commits
 * through libgit2 as it does in use.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define EMH_TEST_GATE_FIXTURES
#include "helpers.h"
#include "emheval/emheval.h"
#include "evaluator/source.h"

/* ---- the compiler, as the gate relies on it -------------------------------- */

typedef struct problems {
	emh_error e[32];
	size_t n;
} problems;

static void collect(const emh_error *p, void *payload)
{
	problems *ps = payload;
	if (ps->n < 32)
		ps->e[ps->n] = *p;
	ps->n++;
}

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

static int want_all(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return 1;
}

START_TEST(gate_source_reads_fixtures_only_when_asked)
{
	base_set();
	put("criteria/alpha/fixtures/A-1.pass.json", "{\"submission\": {\"n\": 3}}\n");
	put("criteria/alpha/fixtures/deeper/x.json", "{}\n");
	commit("c");
	emh_source src = EMH_SOURCE_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_source_read(&src, g_repo, NULL, NULL, &err), &err);
	for (size_t i = 0; i < src.nfiles; i++)
		ck_assert_msg(emh_source_is_criteria_path(src.files[i].path), "%s read", src.files[i].path);
	ck_assert_uint_eq(src.nfiles, 4);
	emh_source_dispose(&src);
	EMH_PASS(emh_source_read_files(&src, g_repo, NULL, NULL, want_all, NULL, 3, &err), &err);
	ck_assert_uint_eq(src.nfiles, 5); /* the fixture, but nothing four levels down */
	ck_assert_str_eq(src.files[2].path, "alpha/fixtures/A-1.pass.json");
	emh_source_dispose(&src);
	ck_assert(emh_source_is_criteria_path("alpha/A-1.json"));
	ck_assert(!emh_source_is_criteria_path("alpha/fixtures/A-1.pass.json"));
	ck_assert(!emh_source_is_criteria_path("top.json"));
}
END_TEST

START_TEST(gate_submission_evidence_in_memory)
{
	const char *json = "{\"evidence\": [{\"kind\": \"policy\", \"path\": \"p.md\", \"sha256\": "
	                   "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"},"
	                   " {\"kind\": \"other\", \"path\": \"gone.md\"}]}";
	emh_submission_file files[] = { { "p.md", "hello", 5 } };
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_memory(&s, json, strlen(json), "mem", files, 1, emh_test_unvalidated(), &err), &err);
	emh_dossier *d = NULL;
	emh_criteria *set = NULL;
	const char *crit = "{\"id\": \"A-1\", \"version\": 1, \"title\": \"t\", \"domain\": \"alpha\", "
	                   "\"severity\": \"minor\", \"references\": [\"R\"], \"check\": {\"evidence\": \"*\", "
	                   "\"verified\": true}, \"fail_message\": \"f\", \"remediation\": \"r\"}";
	emh_criteria_file cf[] = { { "framework.json", fw_text, strlen(fw_text) }, { "alpha/A-1.json", crit, strlen(crit) } };
	EMH_PASS(emh_criteria_compile(&set, cf, 2, NULL, &err), &err);
	EMH_PASS(emh_evaluate(&d, set, s, NULL, &err), &err);
	ck_assert_uint_eq(d->nevidence, 2);
	ck_assert_str_eq(d->evidence[0].status, "verified");
	ck_assert_str_eq(d->evidence[1].status, "missing");
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_FAIL); /* gone.md is missing */
	emh_dossier_free(d);
	emh_submission_free(s);
	emh_criteria_free(set);
	/* The same path rules as on disk. */
	const char *bad = "{\"evidence\": [{\"kind\": \"p\", \"path\": \"../p.md\"}]}";
	ck_assert_int_eq(emh_submission_load_memory(&s, bad, strlen(bad), "mem", files, 1, emh_test_unvalidated(), &err), EMH_EUNSAFE);
	ck_assert_ptr_null(s);
	emh_submission_options so = *emh_test_unvalidated();
	so.max_evidence_bytes = 4;
	ck_assert_int_eq(emh_submission_load_memory(&s, json, strlen(json), "mem", files, 1, &so, &err), EMH_ELIMIT);
}
END_TEST

Suite *emh_suite_gate(void)
{
	Suite *s = suite_create("gate");
	TCase *tc = tcase_create("gate");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gate_framework_reports_every_problem);
	tcase_add_test(tc, gate_set_problems_are_located);
	tcase_add_test(tc, gate_source_reads_fixtures_only_when_asked);
	tcase_add_test(tc, gate_submission_evidence_in_memory);
	suite_add_tcase(s, tc);
	return s;
}
