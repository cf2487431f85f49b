/*
 * check_evaluate.c - unit tests for evaluator/evaluate.c, which runs every
 * criterion of a set on one submission and builds the dossier: what a
 * criterion's outcome is (applies_when; requires, where only a prerequisite
 * that fails, errs or is not evaluated blocks its dependant; manual), that
 * evaluating twice or with the criteria files in another order renders
 * byte-identical JSON, and the entry points that return the dossier sealed
 * (emh_evaluate_sealed, emh_evaluator_run_sealed; evaluate then seal, as
 * evaluator/dossier/seal.c does). On small criteria sets compiled in memory
 * (the fixtures shared with check_eval.c are in helpers.h).
 *
 * JSON is written with single quotes, which dq() turns into double quotes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#define EMH_TEST_EVAL_FIXTURES
#include "helpers.h"

/* ---- a criterion's outcome ------------------------------------------------------------------- */

START_TEST(eval_applies_when)
{
	spec sp[] = {
		{ "AW-1", NULL, "'applies_when': {'path': '/kind', 'eq': 'app'}, 'check': " F, NULL },
		{ "AW-2", NULL, "'applies_when': {'path': '/kind', 'eq': 'web'}, 'check': " F, NULL },
		{ "AW-3", NULL, "'applies_when': {'path': '/str', 'gt': 0}, 'check': " P, NULL },
		{ "AW-4", NULL, "'applies_when': {'path': '/unk', 'eq': true}, 'check': " P, NULL },
		{ "AW-5", NULL, "'applies_when': {'path': '/nothing', 'exists': true}, 'check': " P, NULL },
		{ "AW-6", NULL, "'applies_when': {'not': {'path': '/nothing', 'exists': true}}, 'check': " P, NULL },
	};
	emh_criteria *c = build(fw_default, sp, 6, 0);
	emh_dossier *d = run(c, "{'kind': 'app', 'one': 1, 'str': 'x', 'unk': {'$unknown': 'tbd'}}");
	ck_assert_int_eq(result(d, "AW-1")->outcome, EMH_OUTCOME_FAIL);
	const emh_result *r = result(d, "AW-2");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NOT_APPLICABLE);
	ck_assert_uint_eq(r->nfindings, 0); /* applies_when records nothing */
	ck_assert_ptr_null(r->message);
	r = result(d, "AW-3");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_ERROR); /* an error from applies_when is the outcome */
	ck_assert_ptr_nonnull(r->reason);
	ck_assert_ptr_nonnull(strstr(r->reason, "applies"));
	r = result(d, "AW-4");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NEEDS_REVIEW);
	ck_assert_ptr_nonnull(r->reason);
	ck_assert_int_eq(result(d, "AW-5")->outcome, EMH_OUTCOME_NOT_APPLICABLE);
	ck_assert_int_eq(result(d, "AW-6")->outcome, EMH_OUTCOME_PASS);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_requires)
{
	spec sp[] = {
		{ "A-1", NULL, "'check': " F, NULL },                       /* fails */
		{ "B-1", NULL, "'requires': ['A-1'], 'check': " P, NULL },  /* not evaluated */
		{ "C-1", NULL, "'requires': ['B-1'], 'check': " P, NULL },  /* and neither is this */
		{ "D-1", NULL, "'check': " E, NULL },                       /* errs */
		{ "E-1", NULL, "'requires': ['D-1'], 'check': " P, NULL },
		{ "F-1", NULL, "'check': " P, NULL },                       /* passes */
		{ "G-1", NULL, "'requires': ['F-1'], 'check': " F, NULL },  /* evaluated: fails */
		{ "H-1", NULL, "'requires': ['F-1', 'A-1'], 'check': " P, NULL },
		/* A prerequisite that sorts after its dependant is still evaluated first. */
		{ "A-0", NULL, "'requires': ['Z-9'], 'check': " P, NULL },
		{ "Z-9", NULL, "'check': " F, NULL },
		{ "A-00", NULL, "'requires': ['Z-8'], 'check': " F, NULL },
		{ "Z-8", NULL, "'check': " P, NULL },
	};
	emh_criteria *c = build(fw_default, sp, sizeof sp / sizeof sp[0], 0);
	emh_dossier *d = run(c, L);
	ck_assert_int_eq(result(d, "A-1")->outcome, EMH_OUTCOME_FAIL);
	const emh_result *r = result(d, "B-1");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_ptr_nonnull(r->reason);
	ck_assert_ptr_nonnull(strstr(r->reason, "A-1"));
	ck_assert_ptr_nonnull(strstr(r->reason, "fail"));
	ck_assert_uint_eq(r->nfindings, 0);
	ck_assert_ptr_null(r->message);
	r = result(d, "C-1");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_ptr_nonnull(strstr(r->reason, "B-1"));
	r = result(d, "E-1");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_ptr_nonnull(strstr(r->reason, "D-1"));
	ck_assert_ptr_nonnull(strstr(r->reason, "error"));
	ck_assert_int_eq(result(d, "G-1")->outcome, EMH_OUTCOME_FAIL);
	r = result(d, "H-1");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_ptr_nonnull(strstr(r->reason, "A-1"));
	r = result(d, "A-0");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_ptr_nonnull(strstr(r->reason, "Z-9"));
	ck_assert_int_eq(result(d, "A-00")->outcome, EMH_OUTCOME_FAIL);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_manual)
{
	spec sp[] = {
		{ "M-1", "major", "'manual': true, 'guidance': 'Read the safety case.'", NULL },
		{ "M-2", NULL, "'check': " P ", 'review': 'A human judges adequacy.'", NULL },
		{ "M-3", NULL, "'check': {'path': '/d', 'before': '2030-01-01'}", NULL },
	};
	emh_criteria *c = build(fw_default, sp, 3, 0);
	emh_dossier *d = run(c, "{'one': 1, 'd': '2020-01-01'}");
	const emh_result *r = result(d, "M-1");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_NEEDS_REVIEW);
	ck_assert_int_eq(r->manual, 1);
	ck_assert_str_eq(r->provenance, "reviewer");
	ck_assert_str_eq(r->guidance, "Read the safety case.");
	ck_assert_ptr_nonnull(r->reason);
	ck_assert_int_eq(r->severity, EMH_SEVERITY_MAJOR);
	r = result(d, "M-2");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_PASS);
	ck_assert_int_eq(r->manual, 0);
	ck_assert_str_eq(r->provenance, "declared");
	ck_assert_str_eq(r->guidance, "A human judges adequacy.");
	ck_assert_str_eq(result(d, "M-3")->provenance, "verified"); /* dates are computed */
	/* A major manual criterion without a decision: awaiting review, and listed. */
	ck_assert_int_eq(d->verdict, EMH_VERDICT_AWAITING_REVIEW);
	ck_assert_uint_eq(d->nprofiles, 1);
	ck_assert_uint_eq(d->profiles[0].nawaiting_review, 1);
	ck_assert_str_eq(d->profiles[0].awaiting_review[0], "M-1");
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

/*
 * docs/criteria-format.md: a prerequisite that fails, errs or is itself not
 * evaluated blocks its dependant; one that does not apply or awaits review
 * does not ("the data is pending" is not "the data failed").
 */
START_TEST(eval_requires_only_blocked_by_failure)
{
	spec sp[] = {
		{ "A-1", NULL, "'applies_when': " F ", 'check': " P, NULL },
		{ "A-2", NULL, "'requires': ['A-1'], 'check': " P, NULL },
		{ "B-1", NULL, "'check': " R, NULL },
		{ "B-2", NULL, "'requires': ['B-1'], 'check': " P, NULL },
		{ "C-1", NULL, "'manual': true, 'guidance': 'g'", NULL },
		{ "C-2", NULL, "'requires': ['C-1'], 'check': " P, NULL },
	};
	emh_criteria *c = build(fw_default, sp, 6, 0);
	emh_dossier *d = run(c, L);
	ck_assert_int_eq(result(d, "A-1")->outcome, EMH_OUTCOME_NOT_APPLICABLE);
	ck_assert_int_eq(result(d, "A-2")->outcome, EMH_OUTCOME_PASS);
	ck_assert_int_eq(result(d, "B-1")->outcome, EMH_OUTCOME_NEEDS_REVIEW);
	ck_assert_int_eq(result(d, "B-2")->outcome, EMH_OUTCOME_PASS);
	ck_assert_int_eq(result(d, "C-2")->outcome, EMH_OUTCOME_PASS);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

/* ---- determinism ------------------------------------------------------------------------------ */

static char *render(emh_dossier *d)
{
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_dossier_seal(d, &err), &err);
	ck_assert_ptr_nonnull(d->digest);
	ck_assert(strncmp(d->digest, "sha256:", 7) == 0);
	emh_buf b = EMH_BUF_INIT;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_JSON, NULL, &err), &err);
	size_t len = 0;
	char *s = emh_buf_detach(&b, &len);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_gt(len, 0);
	ck_assert_int_eq(s[len - 1], '\n');
	ck_assert_uint_eq(strlen(s), len);
	return s;
}

START_TEST(eval_deterministic_json)
{
	spec sp[] = {
		{ "A-9", "major", "'check': {'and': [{'path': '/items', 'all': {'path': '/name', 'eq': 'ok'}},"
		                  " {'path': '/b', 'in': ['right']}, {'path': '/nested/c', 'lt': 1}]}", NULL },
		{ "A-10", NULL, "'check': {'path': '/b', 'gt': 0}", NULL },
		{ "B-1", NULL, "'manual': true, 'guidance': 'Look.'", "e" },
		{ "B-2", NULL, "'requires': ['A-9'], 'check': {'path': '/a', 'eq': 1}", "e" },
		{ "C-1", "blocker", "'applies_when': {'path': '/a', 'eq': 2}, 'check': {'path': '/a', 'eq': 2}", NULL },
		{ "C-2", NULL, "'check': {'path': '/a', 'eq': 1}", NULL },
	};
	size_t n = sizeof sp / sizeof sp[0];
	emh_criteria *c1 = build(fw_default, sp, n, 0);
	emh_criteria *c2 = build(fw_default, sp, n, 1); /* files in the other order */
	emh_dossier *d1 = run_opts(c1, FSUB, "2025-01-01", 1);
	emh_dossier *d2 = run_opts(c1, FSUB, "2025-01-01", 1);
	emh_dossier *d3 = run_opts(c2, FSUB, "2025-01-01", 1);
	/* Results in byte-wise order of id: "A-10" < "A-9". */
	static const char *const order[] = { "A-10", "A-9", "B-1", "B-2", "C-1", "C-2" };
	ck_assert_uint_eq(d1->nresults, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(d1->results[i].id, order[i]);
		ck_assert_str_eq(d3->results[i].id, order[i]);
	}
	char *j1 = render(d1), *j2 = render(d2), *j3 = render(d3);
	ck_assert_str_eq(j1, j2);
	ck_assert_str_eq(j1, j3);
	ck_assert_str_eq(d1->digest, d2->digest);
	ck_assert_str_eq(d1->digest, d3->digest);
	/* Rendering the same dossier again gives the same bytes too. */
	char *j1b = render(d1);
	ck_assert_str_eq(j1, j1b);
	/* The rendered dossier carries what was decided (spot checks, not a golden file). */
	ck_assert_ptr_nonnull(strstr(j1, "\"/items/2/name\""));
	ck_assert_ptr_nonnull(strstr(j1, "\"not_evaluated\""));
	ck_assert_ptr_nonnull(strstr(j1, "\"not_applicable\""));
	ck_assert_ptr_nonnull(strstr(j1, "\"app-1\""));
	/* A different submission gives a different digest. */
	emh_dossier *d4 = run_opts(c1, FSUB, "2025-01-02", 1);
	char *j4 = render(d4);
	ck_assert_str_ne(d1->digest, d4->digest);
	free(j1);
	free(j1b);
	free(j2);
	free(j3);
	free(j4);
	emh_dossier_free(d1);
	emh_dossier_free(d2);
	emh_dossier_free(d3);
	emh_dossier_free(d4);
	/* The dossier outlives its criteria set: free the set first, then read. */
	emh_dossier *d5 = run_opts(c2, FSUB, "2025-01-01", 1);
	emh_criteria_free(c1);
	emh_criteria_free(c2);
	char *j5 = render(d5);
	ck_assert_ptr_nonnull(strstr(j5, "\"Failed A-9.\""));
	free(j5);
	emh_dossier_free(d5);
}
END_TEST

/* The one entry point that returns a sealed dossier: the digest evaluate-then-seal gives, or nothing. */
START_TEST(eval_sealed_entry_point)
{
	spec sp[] = {
		{ "A-1", NULL, "'check': {'path': '/a', 'eq': 1}", NULL },
		{ "B-1", NULL, "'manual': true, 'guidance': 'Look.'", "e" },
	};
	emh_criteria *c = build(fw_default, sp, 2, 0);
	emh_dossier *plain = run_opts(c, FSUB, "2025-01-01", 1);
	char *want = render(plain); /* seals plain */
	char *json = dq(FSUB);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_buffer(&s, json, strlen(json), NULL, emh_test_unvalidated(), &err), &err);
	emh_eval_options o = EMH_EVAL_OPTIONS_INIT;
	o.as_of = "2025-01-01";
	emh_dossier *d = NULL;
	EMH_PASS(emh_evaluate_sealed(&d, c, s, &o, &err), &err);
	ck_assert_ptr_nonnull(d->digest);
	ck_assert_str_eq(d->digest, plain->digest);
	emh_dossier_free(d);
	emh_evaluator *ev = NULL;
	EMH_PASS(emh_evaluator_new(&ev, c, &o, &err), &err);
	d = NULL;
	EMH_PASS(emh_evaluator_run_sealed(ev, &d, s, &err), &err);
	ck_assert_str_eq(d->digest, plain->digest);
	emh_dossier_free(d);
	emh_evaluator_free(ev);
	/* A failed evaluation leaves no dossier behind. */
	o.as_of = "2025-13-40";
	d = (emh_dossier *)&o; /* not NULL before the call */
	ck_assert_int_eq(emh_evaluate_sealed(&d, c, s, &o, &err), EMH_EINVALID);
	ck_assert_ptr_null(d);
	emh_submission_free(s);
	free(json);
	free(want);
	emh_dossier_free(plain);
	emh_criteria_free(c);
}
END_TEST

Suite *emh_suite_evaluate(void);
Suite *emh_suite_evaluate(void)
{
	Suite *s = suite_create("evaluate");
	TCase *tc = tcase_create("criterion");
	tcase_add_test(tc, eval_applies_when);
	tcase_add_test(tc, eval_requires);
	tcase_add_test(tc, eval_requires_only_blocked_by_failure);
	tcase_add_test(tc, eval_manual);
	suite_add_tcase(s, tc);

	tc = tcase_create("determinism");
	tcase_add_test(tc, eval_deterministic_json);
	tcase_add_test(tc, eval_sealed_entry_point);
	suite_add_tcase(s, tc);
	return s;
}
