/*
 * check_review.c - unit tests for evaluator/audit/review.c: a chain of three
 * review revisions, and errors that point at the decision in the decisions
 * file.
 *
 * Criteria come from a real git repository made from tests/data/mini at test
 * time, so dossiers carry real commit and tree ids and can be re-evaluated
 * (the audit fixtures are in helpers.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#define EMH_TEST_AUDIT_FIXTURES
#include "helpers.h"

/* ---- reviews ------------------------------------------------------------------------------ */

START_TEST(review_chain_of_three_revisions)
{
	char *tmp = emh_test_tmpdir();
	char *repo = mini_repo(tmp);
	emh_criteria *set = load_set(repo);
	emh_dossier *r1 = evaluate_path(set, "data/mini/sub-ok", NULL, NULL);
	ck_assert_int_eq(result_of(r1, "SAFE-3")->outcome, EMH_OUTCOME_NEEDS_REVIEW);
	ck_assert_int_eq(r1->revision, 1);
	emh_reviews *a = reviews_of(review_pass), *b = reviews_of(review_fail);
	emh_dossier *r2 = NULL, *r3 = NULL;
	emh_criteria *again = NULL;
	emh_error err = EMH_ERROR_INIT;
	/* The criteria the dossier records, from its repository at its commit. */
	EMH_PASS(emh_dossier_load_criteria(&again, r1, repo, NULL, NULL, &err), &err);
	EMH_PASS(emh_review_apply(&r2, r1, again, a, NULL, &err), &err);
	EMH_PASS(emh_review_apply(&r3, r2, again, b, NULL, &err), &err);
	ck_assert_int_eq(r2->revision, 2);
	ck_assert_int_eq(r3->revision, 3);
	ck_assert_str_eq(r2->previous_digest, r1->digest);
	ck_assert_str_eq(r3->previous_digest, r2->digest);
	ck_assert_str_ne(r2->digest, r1->digest);
	ck_assert_str_ne(r3->digest, r2->digest);
	const emh_result *s2 = result_of(r2, "SAFE-3"), *s3 = result_of(r3, "SAFE-3");
	ck_assert_int_eq(s2->outcome, EMH_OUTCOME_PASS);
	ck_assert_str_eq(s2->provenance, "reviewer");
	ck_assert_ptr_null(s2->reason);
	ck_assert_int_eq(s3->outcome, EMH_OUTCOME_FAIL);
	ck_assert_str_eq(s3->message, "A reviewer found crisis help hard to find.");
	ck_assert_uint_eq(r2->nreviews, 1);
	ck_assert_uint_eq(r3->nreviews, 2);
	ck_assert_str_eq(r3->reviews[0].reviewer, "Dr A. Byrne");
	ck_assert_str_eq(r3->reviews[1].decision, "fail");
	/*
	 * SAFE-3 is a major manual criterion: undecided it holds approval back
	 * (awaiting review, listed); a review re-decides the profile's verdict:
	 * passing it approves, failing it rejects.
	 */
	ck_assert_int_eq(r1->verdict, EMH_VERDICT_AWAITING_REVIEW);
	ck_assert_uint_eq(r1->nprofiles, 1);
	ck_assert_uint_eq(r1->profiles[0].nawaiting_review, 1);
	ck_assert_str_eq(r1->profiles[0].awaiting_review[0], "SAFE-3");
	ck_assert_int_eq(r2->verdict, EMH_VERDICT_APPROVED);
	ck_assert_int_eq(r2->profiles[0].verdict, EMH_VERDICT_APPROVED);
	ck_assert_uint_eq(r2->profiles[0].nawaiting_review, 0);
	ck_assert_int_eq(r3->profiles[0].verdict, EMH_VERDICT_REJECTED);
	ck_assert_int_eq(r3->verdict, EMH_VERDICT_REJECTED);
	ck_assert_uint_eq(r3->counts[EMH_OUTCOME_NEEDS_REVIEW], 0);
	ck_assert_uint_eq(r3->counts[EMH_OUTCOME_FAIL], 1);
	/* Each revision, written out, verifies and reproduces from the submission. */
	emh_dossier *revs[3] = { r1, r2, r3 };
	for (int i = 0; i < 3; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/rev%d.json", tmp, i + 1);
		size_t len = 0;
		char *json = render(revs[i], &len);
		write_bytes(path, json, len);
		free(json);
		tally t;
		emh_verify_summary s = verify(path, NULL, "data/mini/sub-ok", repo, &t);
		if (i == 0) {
			ck_assert_msg(s.failed == 0, "revision %d: %s: %s", i + 1, t.first_failed, t.detail);
		} else {
			/* Applied without a reviewers file, the decisions are unsigned: only that check fails. */
			ck_assert_msg(s.failed == (unsigned)i, "revision %d: %u failed", i + 1, s.failed); /* one per review */
			ck_assert_str_eq(t.first_failed, "reviews");
		}
		ck_assert_uint_eq(s.skipped, 1); /* unsigned */
		emh_dossier *loaded = NULL;
		EMH_PASS(emh_dossier_load(&loaded, path, &err), &err);
		ck_assert_str_eq(loaded->digest, revs[i]->digest);
		ck_assert_int_eq(loaded->revision, i + 1);
		emh_dossier_free(loaded);
	}
	emh_dossier_free(r1);
	emh_dossier_free(r2);
	emh_dossier_free(r3);
	emh_reviews_free(a);
	emh_reviews_free(b);
	emh_criteria_free(again);
	emh_criteria_free(set);
	emh_test_rmtree(tmp);
	free(repo);
	free(tmp);
}
END_TEST

START_TEST(review_errors_point_at_the_decision)
{
	char *tmp = emh_test_tmpdir();
	char *repo = mini_repo(tmp);
	emh_criteria *set = load_set(repo);
	emh_dossier *d = evaluate_path(set, "data/mini/sub-ok", NULL, NULL);
	emh_error err = EMH_ERROR_INIT;
	emh_dossier *out = NULL;
	static const char *const cases[][4] = {
		/* criterion, version, expected message fragment, which member the error points at */
		{ "NOPE-1", "1", "not in this dossier", "criterion" },
		{ "SAFE-3", "2", "version 1", "version" },
		{ "PRIV-1", "1", "awaits no review", "criterion" },
	};
	for (size_t i = 0; i < 3; i++) {
		char json[600];
		snprintf(json, sizeof json,
		         "{\"reviews\": [\n"
		         "  {\"reviewer\": \"R\", \"role\": \"r\", \"criterion\": \"%s\", \"version\": %s,\n"
		         "   \"decision\": \"pass\", \"rationale\": \"x\", \"date\": \"2026-10-04\"}]}", cases[i][0], cases[i][1]);
		emh_reviews *r = reviews_of(json);
		ck_assert_int_eq(emh_review_apply(&out, d, set, r, NULL, &err), EMH_EINVALID);
		ck_assert_ptr_null(out);
		ck_assert_msg(strstr(err.message, cases[i][2]) != NULL, "%s", err.message);
		ck_assert_str_eq(err.file, "r.json");
		/* Line 2, at the value of the member named: where it is in the text. */
		const char *line2 = strchr(json, '\n') + 1;
		char key[32];
		snprintf(key, sizeof key, "\"%s\": ", cases[i][3]);
		unsigned want_col = (unsigned)(strstr(line2, key) - line2) + (unsigned)strlen(key) + 1;
		ck_assert_uint_eq(err.line, 2);
		ck_assert_uint_eq(err.column, want_col);
		ck_assert_ptr_nonnull(strstr(err.pointer, cases[i][3]));
		emh_reviews_free(r);
	}
	/* A malformed file: located, and nothing to apply. */
	emh_reviews *r = NULL;
	static const char bad[] =
		"{\"reviews\": [\n"
		"  {\"reviewer\": \"R\", \"role\": \"r\", \"criterion\": \"SAFE-3\", \"version\": 1,\n"
		"   \"decision\": \"maybe\", \"rationale\": \"x\", \"date\": \"2026-10-04\"}]}";
	ck_assert_int_eq(emh_reviews_parse(&r, bad, strlen(bad), "r.json", &err), EMH_EINVALID);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_uint_eq(err.column, 16);
	ck_assert_ptr_nonnull(strstr(err.message, "\"pass\" or \"fail\""));
	static const char twice[] =
		"{\"reviews\": [\n"
		"  {\"reviewer\": \"R\", \"role\": \"r\", \"criterion\": \"SAFE-3\", \"version\": 1, \"decision\": \"pass\", \"rationale\": \"x\", \"date\": \"2026-10-04\"},\n"
		"  {\"reviewer\": \"S\", \"role\": \"r\", \"criterion\": \"SAFE-3\", \"version\": 1, \"decision\": \"fail\", \"rationale\": \"y\", \"date\": \"2026-10-04\"}]}";
	ck_assert_int_eq(emh_reviews_parse(&r, twice, strlen(twice), "r.json", &err), EMH_EINVALID);
	ck_assert_uint_eq(err.line, 3);
	ck_assert_ptr_nonnull(strstr(err.message, "line 2"));
	ck_assert_int_eq(emh_reviews_parse(&r, "{\"reviews\": []}", 15, "r.json", &err), EMH_EINVALID);
	ck_assert_ptr_null(r);
	/* A dossier changed after it was written is not reviewed. */
	emh_reviews *ok = reviews_of(review_pass);
	d->verdict = EMH_VERDICT_REJECTED;
	ck_assert_int_eq(emh_review_apply(&out, d, set, ok, NULL, &err), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "digest"));
	emh_reviews_free(ok);
	emh_dossier_free(d);
	emh_criteria_free(set);
	emh_test_rmtree(tmp);
	free(repo);
	free(tmp);
}
END_TEST

Suite *emh_suite_review(void);
Suite *emh_suite_review(void)
{
	Suite *s = suite_create("review");
	TCase *t = tcase_create("review");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, review_chain_of_three_revisions);
	tcase_add_test(t, review_errors_point_at_the_decision);
	suite_add_tcase(s, t);
	return s;
}
