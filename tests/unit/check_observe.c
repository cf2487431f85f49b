/*
 * check_observe.c - unit tests for the observer framework (evaluator/observe.c):
 * what a capture's readers find joined with what the submission declares
 * (tracking SDKs and third parties named through the catalogue, a finding
 * about a declaration located in submission.json), and a criterion over
 * /observed with provenance "observed" and findings that point into the
 * artifact. The readers' own suites are check_har.c (and check_artifact.c);
 * the catalogue's, check_trackers.c.
 *
 * JSON is written with single quotes, which dq() turns into double quotes.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/observe.h"
#define EMH_TEST_OBSERVE_FIXTURES
#include "helpers.h"

START_TEST(observe_declared_and_requests)
{
	static const char sub[] =
		"{'data_protection': {'tracking_sdks': [{'name': 'Meta SDK (App Events)', 'purpose': 'analytics'},\n"
		"  {'name': 'Our own logger', 'purpose': 'analytics'}],\n"
		"  'third_parties': [{'name': 'Cloud host', 'purposes': ['hosting'], 'hosts': ['o1.ingest.sentry.io']}]},\n"
		" 'evidence': [{'kind': 'network_capture', 'path': 'capture.har'}]}";
	observed o;
	observe(&o, sub, "{\"log\": {\"version\": \"1.2\", \"entries\": []}}");
	ck_assert_msg(o.rc == 0, "%s", o.err.message);
	const cJSON *root = emh_observation_root(o.obs);
	/* An empty capture is read, and says it holds no request. */
	const cJSON *art = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "artifacts"), 0);
	ck_assert_double_eq(cJSON_GetObjectItemCaseSensitive(art, "requests")->valuedouble, 0);
	/* Declarations named in the catalogue, with its category, whatever purpose was declared. */
	ck_assert_int_eq(count(&o, "declared"), 2);
	const cJSON *d0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "declared"), 0);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(d0, "declared")->valuestring, "/data_protection/tracking_sdks/0");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(d0, "tracker")->valuestring, "fb_events");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(d0, "category")->valuestring, "advertising");
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(d0, "purposes"), 0)->valuestring,
	                 "analytics");
	const cJSON *d1 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "declared"), 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(d1, "declared")->valuestring, "/data_protection/third_parties/0");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(d1, "tracker")->valuestring, "sentry"); /* by its host */
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(d1, "matched")->valuestring, "o1.ingest.sentry.io");
	/* A finding about it points into submission.json, at the declaration. */
	const char *file = NULL;
	emh_fact_pos pos;
	ck_assert(emh_observation_locate(o.obs, "/observed/declared/0/category", &file, &pos));
	ck_assert_str_eq(file, "submission.json");
	ck_assert_uint_eq(pos.line, 1);
	ck_assert_msg(strstr(pos.location, "\"Meta SDK (App Events)\" is fb_events (Meta Platforms, advertising)"),
	              "%s", pos.location);
	observed_free(&o);
}
END_TEST

/* A criterion over /observed: provenance "observed", findings located in the artifact. */
START_TEST(observe_criterion_findings)
{
	char *fw = dq("{'name': 'o', 'version': '1.0', 'effective_date': '2026-01-01',\n"
	              " 'categories': [{'id': 'c', 'title': 'C'}], 'domains': [{'id': 'd', 'title': 'D', 'category': 'c'}],\n"
	              " 'verdict_policy': {'reject': ['blocker', 'major'], 'review': ['blocker', 'major'],\n"
	              "  'condition_days': {'minor': 90}}}");
	char *crit = dq("{'id': 'O-1', 'version': 1, 'title': 'No ads', 'domain': 'd', 'severity': 'blocker',\n"
	                " 'references': ['R'], 'fail_message': 'Ads.', 'remediation': 'Remove.',\n"
	                " 'check': {'path': '/observed/hosts', 'none': {'path': '/category', 'eq': 'advertising'}}}");
	char *cat = dq(catalogue);
	emh_criteria_file files[] = {
		{ "framework.json", fw, strlen(fw) }, { "d/O-1.json", crit, strlen(crit) },
		{ "trackers.json", cat, strlen(cat) },
	};
	emh_criteria *c = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&c, files, 3, NULL, &err), &err);
	ck_assert_uint_eq(emh_criteria_count(c), 1); /* trackers.json is no criterion */
	static const char har[] = "{\"log\": {\"version\": \"1.2\", \"entries\": [\n"
	                          "  {\"request\": {\"url\": \"https://app.example/\"}},\n"
	                          "  {\"request\": {\"url\": \"https://connect.facebook.net/en_US/fbevents.js\"}}]}}";
	char *json = dq(persona_sub);
	emh_submission_file f = { "capture.har", har, strlen(har) };
	emh_submission *s = NULL;
	EMH_PASS(emh_submission_load_memory(&s, json, strlen(json), "submission.json", &f, 1,
	                                    emh_test_unvalidated(), &err), &err);
	emh_eval_options o = EMH_EVAL_OPTIONS_INIT;
	o.explain = 1;
	emh_dossier *d = NULL;
	EMH_PASS(emh_evaluate(&d, c, s, &o, &err), &err);
	const emh_result *r = &d->results[0];
	ck_assert_int_eq(r->outcome, EMH_OUTCOME_FAIL);
	ck_assert_str_eq(r->provenance, "observed");
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].pointer, "/observed/hosts/1/category");
	ck_assert_str_eq(r->findings[0].file, "capture.har");
	ck_assert_uint_eq(r->findings[0].line, 3);
	ck_assert_uint_eq(r->findings[0].column, 23);
	ck_assert_msg(strstr(r->findings[0].excerpt, "entry 1 request.url: request to connect.facebook.net"),
	              "%s", r->findings[0].excerpt);
	/* Without the artifact there is nothing observed: the arrays are empty, the check passes. */
	emh_dossier_free(d);
	emh_submission_free(s);
	char *bare = dq("{'evidence': []}");
	EMH_PASS(emh_submission_load_buffer(&s, bare, strlen(bare), NULL, emh_test_unvalidated(), &err), &err);
	EMH_PASS(emh_evaluate(&d, c, s, &o, &err), &err);
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_PASS);
	emh_dossier_free(d);
	emh_submission_free(s);
	emh_criteria_free(c);
	free(bare);
	free(json);
	free(fw);
	free(crit);
	free(cat);
}
END_TEST

Suite *emh_suite_observe(void)
{
	Suite *s = suite_create("observe");
	TCase *tc = tcase_create("declared");
	tcase_add_test(tc, observe_declared_and_requests);
	suite_add_tcase(s, tc);
	tc = tcase_create("framework");
	tcase_add_test(tc, observe_criterion_findings);
	suite_add_tcase(s, tc);
	return s;
}
