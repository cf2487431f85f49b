/*
 * check_har.c - unit tests for the network-capture reader (evaluator/har.c),
 * through emh_observe_run on a submission in memory: the hosts and the
 * persona's canaries in every encoding (base64 at each of its three
 * alignments), with their HAR entry, line and column; and its refusals
 * (malformed, duplicate keys, not a HAR, invalid UTF-8, \u0000, too many
 * entries).
 *
 * JSON is written with single quotes, which dq() turns into double quotes.
 * Expected hashes and base64 texts are worked out independently (sha256sum,
 * base64) and written here, never copied from a run.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/observe.h"
#define EMH_TEST_OBSERVE_FIXTURES
#include "helpers.h"

/* The flow fact with this host, canary and encoding, or NULL. */
static const cJSON *flow(const observed *o, const char *host, const char *canary, const char *encoding)
{
	const cJSON *flows = cJSON_GetObjectItemCaseSensitive(emh_observation_root(o->obs), "flows");
	for (const cJSON *f = flows ? flows->child : NULL; f; f = f->next)
		if (strcmp(cJSON_GetObjectItemCaseSensitive(f, "host")->valuestring, host) == 0 &&
		    strcmp(cJSON_GetObjectItemCaseSensitive(f, "canary")->valuestring, canary) == 0 &&
		    strcmp(cJSON_GetObjectItemCaseSensitive(f, "encoding")->valuestring, encoding) == 0)
			return f;
	return NULL;
}

START_TEST(observe_har_canaries)
{
	/* sha256("river.test@example.org") = ff627d04... computed with sha256sum; base64 of the first
	 * answer at offsets 0, 1 and 2 of an encoded text computed with base64(1). */
	static const char har[] =
		"{\"log\": {\"version\": \"1.2\", \"entries\": [\n"
		"{\"request\": {\"method\": \"GET\", \"url\": \"https://app.example/start\"}},\n"
		"{\"request\": {\"method\": \"GET\", \"url\": \"data:image/png;base64,AAAA\"}},\n"
		"{\"request\": {\"method\": \"POST\", \"url\": \"https://user:pw@www.facebook.com:443/tr?em="
		"FF627D0478D3DE014D73994D018B0CA6BF6ED3ABFB9DEB79063C50DEA7FC2F2C\",\n"
		"  \"postData\": {\"mimeType\": \"text/plain\", \"text\": \"q=Nearly+every+day+I+feel+down&mood=3\"}}},\n"
		"{\"request\": {\"method\": \"GET\", \"url\": \"https://graph.facebook.com/x\", \"headers\": [\n"
		"  {\"name\": \"X-A\", \"value\": \"TmVhcmx5IGV2ZXJ5IGRheSBJIGZlZWwgZG93bg==\"},\n"
		"  {\"name\": \"X-B\", \"value\": \"eE5lYXJseSBldmVyeSBkYXkgSSBmZWVsIGRvd24=\"},\n"
		"  {\"name\": \"X-C\", \"value\": \"eHhOZWFybHkgZXZlcnkgZGF5IEkgZmVlbCBkb3du\"}]}},\n"
		"{\"request\": {\"method\": \"POST\", \"url\": \"https://o1.ingest.sentry.io/api/1/?v=13\",\n"
		"  \"postData\": {\"mimeType\": \"application/json\", \"text\": \"{\\\"user\\\":\\\"River.Test@Example.ORG\\\"}\"}}},\n"
		"{\"request\": {\"method\": \"GET\", \"url\": \"https://cdn.example.net/font.woff2?t=1700000003\"}}\n"
		"]}}\n";
	observed o;
	observe(&o, persona_sub, har);
	ck_assert_msg(o.rc == 0, "%s", o.err.message);
	/* Hosts: one fact each, data: skipped, userinfo and port dropped, catalogue joined. */
	ck_assert_int_eq(count(&o, "hosts"), 5);
	const cJSON *hosts = cJSON_GetObjectItemCaseSensitive(emh_observation_root(o.obs), "hosts");
	const cJSON *fb = cJSON_GetArrayItem(hosts, 1);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(fb, "host")->valuestring, "www.facebook.com");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(fb, "tracker")->valuestring, "meta_pixel");
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(fb, "category")->valuestring, "advertising");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(fb, "third_party")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(fb, "recipient")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(hosts, 0), "third_party")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(hosts, 4), "tracker")));
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(hosts, 3), "recipient")->valuestring,
	                 "Sentry");

	/* The hashed e-mail (upper-case hex), the answer form-encoded, the mood score as a whole value. */
	const cJSON *f = flow(&o, "www.facebook.com", "email", "sha256");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(f, "location")->valuestring,
	                 "capture.har:4:39 entry 2 request.url");
	ck_assert_ptr_nonnull(flow(&o, "www.facebook.com", "answers/0", "url"));
	ck_assert_ptr_nonnull(flow(&o, "www.facebook.com", "mood_score", "plain"));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(f, "declared_processor")));
	/* Base64 at each of the three alignments counts once (one fact per host, canary, encoding). */
	f = flow(&o, "graph.facebook.com", "answers/0", "base64");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(cJSON_GetObjectItemCaseSensitive(f, "tracker")->valuestring, "fb_events");
	/* The e-mail as typed, to a processor declared for crash reporting. */
	f = flow(&o, "o1.ingest.sentry.io", "email", "plain");
	ck_assert_ptr_nonnull(f);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "declared_processor")));
	/* "3" inside 1700000003 and "no" inside other words are no flows. */
	ck_assert_ptr_null(flow(&o, "cdn.example.net", "mood_score", "plain"));
	ck_assert_ptr_null(flow(&o, "www.facebook.com", "answers/1", "plain"));
	ck_assert_int_eq(count(&o, "flows"), 5);
	ck_assert_int_eq(count(&o, "artifacts"), 1);
	observed_free(&o);
}
END_TEST

START_TEST(observe_har_three_alignments)
{
	/* Each header alone: the answer's base64 at offset 0, 1 and 2 of the encoded text. */
	static const char *const values[] = {
		"TmVhcmx5IGV2ZXJ5IGRheSBJIGZlZWwgZG93bg==",
		"eE5lYXJseSBldmVyeSBkYXkgSSBmZWVsIGRvd24=",
		"eHhOZWFybHkgZXZlcnkgZGF5IEkgZmVlbCBkb3du",
	};
	for (size_t i = 0; i < 3; i++) {
		char har[600];
		snprintf(har, sizeof har, "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"url\": "
		         "\"https://t.example/\", \"headers\": [{\"name\": \"X\", \"value\": \"%s\"}]}}]}}", values[i]);
		observed o;
		observe(&o, persona_sub, har);
		ck_assert_msg(o.rc == 0, "%s", o.err.message);
		ck_assert_msg(flow(&o, "t.example", "answers/0", "base64") != NULL, "alignment %zu missed", i);
		observed_free(&o);
	}
}
END_TEST

/* Observing har fails with code, at line:col, with msg in the message. */
static void har_refused(const char *har, size_t len, int code, unsigned line, const char *msg)
{
	observed o;
	memset(&o, 0, sizeof o);
	compile_catalogue(&o.cat);
	char *json = dq(persona_sub);
	emh_submission_file f = { "capture.har", har, len };
	EMH_PASS(emh_submission_load_memory(&o.sub, json, strlen(json), "submission.json", &f, 1,
	                                    emh_test_unvalidated(), &o.err), &o.err);
	free(json);
	o.rc = emh_observe_run(&o.obs, o.sub, &o.cat, &o.err);
	ck_assert_int_eq(o.rc, code);
	ck_assert_ptr_null(o.obs);
	ck_assert_str_eq(o.err.file, "capture.har");
	if (line)
		ck_assert_uint_eq(o.err.line, line);
	ck_assert_msg(strstr(o.err.message, msg), "'%s' not in '%s'", msg, o.err.message);
	observed_free(&o);
}

START_TEST(observe_har_refused)
{
	static const char trunc[] = "{\"log\": {\"version\": \"1.2\",\n \"entries\": [{\"request\": ";
	har_refused(trunc, strlen(trunc), EMH_EINVALID, 2, "");
	static const char dup[] = "{\"log\": {\"version\": \"1.2\",\n \"version\": \"1.2\", \"entries\": []}}";
	har_refused(dup, strlen(dup), EMH_EINVALID, 2, "duplicate key");
	static const char nohar[] = "{\"entries\": []}";
	har_refused(nohar, strlen(nohar), EMH_EINVALID, 1, "not a HAR file");
	static const char v[] = "{\"log\": {\"version\": \"9\", \"entries\": []}}";
	har_refused(v, strlen(v), EMH_EINVALID, 1, "HAR version");
	static const char badutf[] = "{\"log\": {\"version\": \"1.2\", \"entries\": [\n{\"request\": {\"url\": \"https://a.example/\xff\"}}]}}";
	har_refused(badutf, strlen(badutf), EMH_EINVALID, 2, "");
	static const char nul[] = "{\"log\": {\"version\": \"1.2\", \"entries\": [\n{\"request\": {\"url\": \"https://a.example/\\u0000x\"}}]}}";
	har_refused(nul, strlen(nul), EMH_EINVALID, 2, "");
	static const char noreq[] = "{\"log\": {\"version\": \"1.2\", \"entries\": [\n{\"response\": {}}]}}";
	har_refused(noreq, strlen(noreq), EMH_EINVALID, 2, "entry 0");
	/* One entry over the limit of 20000. */
	size_t n = 20001, cap = n * 16 + 64, len = 0;
	char *big = malloc(cap);
	ck_assert_ptr_nonnull(big);
	len += (size_t)snprintf(big, cap, "{\"log\": {\"version\": \"1.2\", \"entries\": [");
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(big + len, cap - len, "%s{}", i ? "," : "");
	len += (size_t)snprintf(big + len, cap - len, "]}}");
	har_refused(big, len, EMH_ELIMIT, 1, "EMH_HAR_MAX_ENTRIES");
	free(big);
}
END_TEST

Suite *emh_suite_har(void)
{
	Suite *s = suite_create("har");
	TCase *tc = tcase_create("har");
	tcase_add_test(tc, observe_har_canaries);
	tcase_add_test(tc, observe_har_three_alignments);
	tcase_add_test(tc, observe_har_refused);
	suite_add_tcase(s, tc);
	return s;
}
