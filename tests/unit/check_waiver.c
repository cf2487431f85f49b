/*
 * check_waiver.c - unit tests for evaluator/audit/waiver.c: errors in a
 * waiver file with their line and column, and waivers on their expiry
 * boundary (valid on the date, expired the day after).
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

/* ---- waivers ------------------------------------------------------------------------------ */

static int waivers_error(const char *json, unsigned *line, unsigned *col, char *msg, size_t size)
{
	emh_waivers *w = NULL;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_waivers_parse(&w, json, strlen(json), "w.json", &err);
	ck_assert_ptr_null(w);
	*line = err.line;
	*col = err.column;
	snprintf(msg, size, "%s", err.message);
	ck_assert_str_eq(err.file, "w.json");
	return rc;
}

START_TEST(waiver_file_errors_have_line_and_column)
{
	unsigned line, col;
	char msg[512];
	ck_assert_int_eq(waivers_error("{\"waivers\": [\n  {\"id\": \"W-1\",}\n]}", &line, &col, msg, sizeof msg), EMH_EINVALID);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 16);
	static const char base[] =
		"{\"waivers\": [\n"
		"  {\"id\": \"W-1\", \"criterion\": \"PRIV-1\", \"scope\": {\"app_id\": \"calm\"},\n"
		"   \"justification\": %s, \"approver\": \"Head of Assessment\", \"expires\": %s%s}\n"
		"]}";
	char text[1024];
	snprintf(text, sizeof text, base, "\"   \"", "\"2026-12-31\"", "");
	ck_assert_int_eq(waivers_error(text, &line, &col, msg, sizeof msg), EMH_EINVALID);
	ck_assert_uint_eq(line, 3);
	ck_assert_uint_eq(col, 21);
	ck_assert_ptr_nonnull(strstr(msg, "justification"));
	snprintf(text, sizeof text, base, "\"ok\"", "\"2026-02-30\"", "");
	ck_assert_int_eq(waivers_error(text, &line, &col, msg, sizeof msg), EMH_EINVALID);
	ck_assert_uint_eq(line, 3);
	ck_assert_ptr_nonnull(strstr(msg, "2026-02-30"));
	snprintf(text, sizeof text, base, "\"ok\"", "\"2026-12-31\"", ", \"note\": 1");
	ck_assert_int_eq(waivers_error(text, &line, &col, msg, sizeof msg), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(msg, "unknown member \"note\""));
	ck_assert_int_eq(waivers_error("{\"waivers\": [{\"id\": \"W\", \"criterion\": \"X\", \"justification\": \"j\","
	                               " \"approver\": \"a\", \"expires\": \"2026-01-01\"}]}", &line, &col, msg, sizeof msg),
	                 EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(msg, "scope"));
	ck_assert_int_eq(waivers_error("{\"waiver\": []}", &line, &col, msg, sizeof msg), EMH_EINVALID);
	ck_assert_int_eq(waivers_error("[]", &line, &col, msg, sizeof msg), EMH_EINVALID);
	static const char dup[] =
		"{\"waivers\": [\n"
		" {\"id\": \"W\", \"criterion\": \"A\", \"scope\": {\"app_id\": \"x\"}, \"justification\": \"j\", \"approver\": \"a\", \"expires\": \"2026-01-01\"},\n"
		" {\"id\": \"W\", \"criterion\": \"B\", \"scope\": {\"app_id\": \"x\"}, \"justification\": \"j\", \"approver\": \"a\", \"expires\": \"2026-01-01\"}\n"
		"]}";
	ck_assert_int_eq(waivers_error(dup, &line, &col, msg, sizeof msg), EMH_EINVALID);
	ck_assert_uint_eq(line, 3);
	ck_assert_ptr_nonnull(strstr(msg, "twice"));
}
END_TEST

static emh_waivers *waivers_of(const char *json)
{
	emh_waivers *w = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_waivers_parse(&w, json, strlen(json), "w.json", &err), &err);
	return w;
}

static const emh_waiver *waiver_named(const emh_dossier *d, const char *id)
{
	for (size_t i = 0; i < d->nwaivers; i++)
		if (strcmp(d->waivers[i].id, id) == 0)
			return &d->waivers[i];
	return NULL;
}

START_TEST(waiver_valid_on_expiry_date_expired_the_day_after)
{
	char *tmp = emh_test_tmpdir();
	char *repo = mini_repo(tmp);
	emh_criteria *set = load_set(repo);
	/* sub-bad (app "ads" 2.0.0) fails SAFE-1 (blocker); SAFE-2 requires it. Waive SAFE-1 until 2026-10-01. */
	emh_waivers *w = waivers_of(
		"{\"waivers\": [\n"
		" {\"id\": \"W-2\", \"criterion\": \"SAFE-1\", \"scope\": {\"app_id\": \"ads\", \"app_version\": \"2.0.0\"},\n"
		"  \"justification\": \"Helpline list being localised\", \"approver\": \"Head of Assessment\", \"expires\": \"2026-10-01\"},\n"
		" {\"id\": \"W-1\", \"criterion\": \"SAFE-3\", \"scope\": {\"app_id\": \"ads\"},\n"
		"  \"justification\": \"A manual criterion never fails automatically\", \"approver\": \"A\", \"expires\": \"2027-01-01\"},\n"
		" {\"id\": \"W-3\", \"criterion\": \"SAFE-1\", \"scope\": {\"app_id\": \"other-app\"},\n"
		"  \"justification\": \"Another vendor's\", \"approver\": \"A\", \"expires\": \"2027-01-01\"},\n"
		" {\"id\": \"W-4\", \"criterion\": \"SAFE-1\", \"scope\": {\"app_id\": \"ads\", \"app_version\": \"1.9.0\"},\n"
		"  \"justification\": \"Old version only\", \"approver\": \"A\", \"expires\": \"2027-01-01\"}\n"
		"]}");
	emh_dossier *on = evaluate_path(set, "data/mini/sub-bad", "2026-10-01", w);
	emh_dossier *after = evaluate_path(set, "data/mini/sub-bad", "2026-10-02", w);
	emh_dossier *none = evaluate_path(set, "data/mini/sub-bad", "2026-10-01", NULL);
	ck_assert_int_eq(result_of(none, "SAFE-1")->outcome, EMH_OUTCOME_FAIL);
	ck_assert_int_eq(result_of(none, "SAFE-2")->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_uint_eq(none->nwaivers, 0);
	/* On the expiry date: applied; the dependent criterion is evaluated. */
	const emh_result *r = result_of(on, "SAFE-1");
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_WAIVED);
	ck_assert_ptr_nonnull(strstr(r->reason, "W-2"));
	ck_assert_ptr_nonnull(r->message);    /* the failure stays visible */
	ck_assert_uint_gt(r->nfindings, 0);
	ck_assert_int_ne(result_of(on, "SAFE-2")->outcome, EMH_OUTCOME_NOT_EVALUATED);
	ck_assert_uint_eq(on->counts[EMH_OUTCOME_WAIVED], 1);
	/* Only the app's own waivers are listed, once each, sorted by id. */
	ck_assert_uint_eq(on->nwaivers, 2);
	ck_assert_str_eq(on->waivers[0].id, "W-1");
	ck_assert_str_eq(on->waivers[0].status, "unused");
	ck_assert_str_eq(on->waivers[1].id, "W-2");
	ck_assert_str_eq(on->waivers[1].status, "applied");
	ck_assert_ptr_null(waiver_named(on, "W-3"));
	ck_assert_ptr_null(waiver_named(on, "W-4"));
	/* The day after: expired, the fail stands. */
	ck_assert_int_eq(result_of(after, "SAFE-1")->outcome, EMH_OUTCOME_FAIL);
	ck_assert_str_eq(waiver_named(after, "W-2")->status, "expired");
	ck_assert_int_eq(after->verdict, EMH_VERDICT_REJECTED);
	/* Written and read back unchanged. */
	size_t len = 0;
	char *json = render(on, &len);
	ck_assert_ptr_nonnull(strstr(json, "\"justification\": \"Helpline list being localised\""));
	emh_dossier *back = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_dossier_parse(&back, json, len, "on.json", &err), &err);
	size_t len2 = 0;
	char *again = render(back, &len2);
	ck_assert_str_eq(json, again);
	/* Waivers without an evaluation date cannot be judged. */
	emh_submission *sub = NULL;
	static const char nodate[] = "{\"app\": {\"id\": \"ads\", \"version\": \"2.0.0\"}}";
	EMH_PASS(emh_submission_load_buffer(&sub, nodate, strlen(nodate), "s.json", emh_test_unvalidated(), &err), &err);
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.waivers = emh_waivers_items(w, &eo.nwaivers);
	emh_dossier *d = NULL;
	ck_assert_int_eq(emh_evaluate(&d, set, sub, &eo, &err), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "--as-of"));
	emh_submission_free(sub);
	free(json);
	free(again);
	emh_dossier_free(back);
	emh_dossier_free(on);
	emh_dossier_free(after);
	emh_dossier_free(none);
	emh_waivers_free(w);
	emh_criteria_free(set);
	emh_test_rmtree(tmp);
	free(repo);
	free(tmp);
}
END_TEST

Suite *emh_suite_waiver(void);
Suite *emh_suite_waiver(void)
{
	Suite *s = suite_create("waiver");
	TCase *t = tcase_create("waiver");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, waiver_file_errors_have_line_and_column);
	tcase_add_test(t, waiver_valid_on_expiry_date_expired_the_day_after);
	suite_add_tcase(s, t);
	return s;
}
