/*
 * check_observe.c - unit tests for the observers (evaluator/observe.c,
 * trackers.c, har.c): the tracker catalogue's problems located and its
 * matching by whole package components and parent domains; the HAR reader's
 * hosts and persona canaries in every encoding, with their HAR entry, line
 * and column, and its refusals (malformed, duplicate keys, not a HAR, invalid
 * UTF-8, \u0000, too many entries); /observed reserved in a submission; and
 * a criterion over /observed with provenance "observed" and findings that
 * point into the artifact.
 *
 * JSON is written with single quotes, which dq() turns into double quotes.
 * Expected hashes and base64 texts are worked out independently (sha256sum,
 * base64) and written here, never copied from a run.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/observe.h"
#include "helpers.h"

static char *dq(const char *s)
{
	char *d = strdup(s);
	ck_assert_ptr_nonnull(d);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

typedef struct problems {
	int n;
	emh_error first;
} problems;

static void collect(const emh_error *e, void *payload)
{
	problems *p = payload;
	if (p->n++ == 0)
		p->first = *e;
}

static const char catalogue[] =
	"{'trackers': [\n"
	" {'id': 'meta_pixel', 'name': 'Meta Pixel', 'company': 'Meta Platforms', 'category': 'advertising',\n"
	"  'host_signatures': ['facebook.com', 'connect.facebook.net'], 'source': 'https://example.org/a'},\n"
	" {'id': 'fb_events', 'name': 'App Events', 'company': 'Meta Platforms', 'category': 'advertising',\n"
	"  'code_signatures': ['com.facebook.appevents'], 'host_signatures': ['graph.facebook.com'],\n"
	"  'ios_signatures': ['FBSDKCoreKit', 'FBAEMKit'], 'names': ['Meta SDK', 'Facebook SDK'],\n"
	"  'source': 'https://example.org/b'},\n"
	" {'id': 'fb_core', 'name': 'Facebook core', 'company': 'Meta Platforms', 'category': 'social',\n"
	"  'code_signatures': ['com.facebook'], 'source': 'https://example.org/c'},\n"
	" {'id': 'sentry', 'name': 'Sentry', 'company': 'Functional Software', 'category': 'crash_reporting',\n"
	"  'code_signatures': ['io.sentry'], 'host_signatures': ['sentry.io'], 'source': 'https://example.org/d'}\n"
	"]}\n";

static void compile_catalogue(emh_trackers *t)
{
	char *text = dq(catalogue);
	problems p = { 0, EMH_ERROR_INIT };
	int rc = emh_trackers_compile(t, text, strlen(text), "trackers.json", collect, &p);
	ck_assert_msg(rc == 0 && p.n == 0, "catalogue: %s", p.first.message);
	ck_assert_uint_eq(t->count, 4);
	free(text);
}

START_TEST(observe_catalogue_matching)
{
	emh_trackers t;
	compile_catalogue(&t);
	const char *sig = NULL;
	const emh_tracker *e = emh_trackers_match_code(&t, "Lcom/facebook/appevents/AppEventsLogger;", &sig);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->id, "fb_events"); /* the longest prefix wins over com.facebook */
	ck_assert_str_eq(sig, "com.facebook.appevents");
	e = emh_trackers_match_code(&t, "com.facebook.login.LoginManager", NULL);
	ck_assert_str_eq(e->id, "fb_core");
	e = emh_trackers_match_code(&t, "com.facebook.appeventsx.Other", NULL);
	ck_assert_str_eq(e->id, "fb_core"); /* whole components only */
	ck_assert_ptr_null(emh_trackers_match_code(&t, "com.facebooker.Thing", NULL));
	ck_assert_ptr_null(emh_trackers_match_code(&t, "Lio/sentryx/A;", NULL));
	ck_assert_str_eq(emh_trackers_match_code(&t, "io.sentry", NULL)->id, "sentry"); /* a package name */

	e = emh_trackers_match_host(&t, "graph.facebook.com", &sig);
	ck_assert_str_eq(e->id, "fb_events");
	ck_assert_str_eq(sig, "graph.facebook.com");
	ck_assert_str_eq(emh_trackers_match_host(&t, "WWW.Facebook.COM:443", NULL)->id, "meta_pixel");
	ck_assert_str_eq(emh_trackers_match_host(&t, "facebook.com.", NULL)->id, "meta_pixel");
	ck_assert_ptr_null(emh_trackers_match_host(&t, "notfacebook.com", NULL));
	ck_assert_ptr_null(emh_trackers_match_host(&t, "facebook.com.evil.example", NULL));
	ck_assert_ptr_null(emh_trackers_match_host(&t, "com", NULL));
	emh_trackers_dispose(&t);
}
END_TEST

START_TEST(observe_catalogue_frameworks_and_names)
{
	emh_trackers t;
	compile_catalogue(&t);
	const char *sig = NULL;
	const emh_tracker *e = emh_trackers_match_framework(&t, "FBAEMKit", &sig);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->id, "fb_events");
	ck_assert_str_eq(sig, "FBAEMKit");
	ck_assert_ptr_null(emh_trackers_match_framework(&t, "FBSDKCoreKitX", NULL)); /* exact names only */
	ck_assert_ptr_null(emh_trackers_match_framework(&t, "fbsdkcorekit", NULL));
	ck_assert_ptr_null(emh_trackers_match_framework(&t, "MoodKit", NULL));

	const char *m = NULL;
	e = emh_trackers_match_name(&t, "Meta SDK (App Events)", &m);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->id, "fb_events");
	ck_assert_str_eq(m, "App Events"); /* the longest name that occurs wins */
	ck_assert_str_eq(emh_trackers_match_name(&t, "the facebook sdk", NULL)->id, "fb_events"); /* ASCII case */
	ck_assert_str_eq(emh_trackers_match_name(&t, "Sentry", NULL)->id, "sentry");
	ck_assert_str_eq(emh_trackers_match_name(&t, "Meta Pixel (web)", NULL)->id, "meta_pixel");
	ck_assert_ptr_null(emh_trackers_match_name(&t, "Sentryx", NULL)); /* whole words only */
	ck_assert_ptr_null(emh_trackers_match_name(&t, "MetaSDK", NULL));
	ck_assert_ptr_null(emh_trackers_match_name(&t, "AWS", NULL));
	emh_trackers_dispose(&t);
}
END_TEST

/* The first problem of compiling text: its line, column and message. */
static problems compile_problem(const char *single_quoted)
{
	char *text = dq(single_quoted);
	emh_trackers t;
	problems p = { 0, EMH_ERROR_INIT };
	int rc = emh_trackers_compile(&t, text, strlen(text), "criteria/trackers.json", collect, &p);
	ck_assert_int_ne(rc, 0);
	ck_assert_int_gt(p.n, 0);
	ck_assert_str_eq(p.first.file, "criteria/trackers.json");
	emh_trackers_dispose(&t);
	free(text);
	return p;
}

START_TEST(observe_catalogue_problems)
{
	static const char head[] = "{'trackers': [\n";
	char buf[1024];
	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'ads',\n"
	         "  'code_signatures': ['com.a'], 'source': 'https://x.example'}]}", head);
	problems p = compile_problem(buf);
	ck_assert_uint_eq(p.first.line, 2);
	ck_assert_msg(strstr(p.first.message, "unknown category \"ads\""), "%s", p.first.message);

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'host_signatures': ['Bad Host'], 'source': 'https://x.example'}]}", head);
	p = compile_problem(buf);
	ck_assert_uint_eq(p.first.line, 3);
	ck_assert_uint_eq(p.first.column, 23);
	ck_assert_str_eq(p.first.pointer, "/trackers/0/host_signatures/0");

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'code_signatures': ['com'], 'source': 'https://x.example'}]}", head);
	p = compile_problem(buf); /* one component is no package prefix: it would match everything */
	ck_assert_msg(strstr(p.first.message, "Java package prefix"), "%s", p.first.message);

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'code_signatures': ['com.a'], 'source': 'https://x.example'},\n"
	         " {'id': 'b', 'name': 'B', 'company': 'C', 'category': 'analytics',\n"
	         "  'code_signatures': ['com.a'], 'source': 'https://x.example'}]}", head);
	p = compile_problem(buf);
	ck_assert_uint_eq(p.first.line, 4);
	ck_assert_msg(strstr(p.first.message, "code signature \"com.a\" is also entry 0"), "%s", p.first.message);

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'code_signatures': ['com.a'], 'source': 'not a url'}]}", head);
	p = compile_problem(buf);
	ck_assert_str_eq(p.first.pointer, "/trackers/0/source");

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'source': 'https://x.example', 'sdk': 1}]}", head);
	p = compile_problem(buf);
	ck_assert_msg(strstr(p.first.message, "unknown key \"sdk\""), "%s", p.first.message);

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'ios_signatures': ['FBSDKCoreKit.framework'], 'source': 'https://x.example'}]}", head);
	p = compile_problem(buf); /* a framework's name, not its folder */
	ck_assert_str_eq(p.first.pointer, "/trackers/0/ios_signatures/0");
	ck_assert_uint_eq(p.first.line, 3);
	ck_assert_msg(strstr(p.first.message, "iOS framework name"), "%s", p.first.message);

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'ios_signatures': ['AKit'], 'names': ['A SDK'], 'source': 'https://x.example'},\n"
	         " {'id': 'b', 'name': 'B', 'company': 'C', 'category': 'analytics',\n"
	         "  'ios_signatures': ['BKit'], 'names': ['a sdk'], 'source': 'https://x.example'}]}", head);
	p = compile_problem(buf); /* a name that names two entries would make a declaration ambiguous */
	ck_assert_uint_eq(p.first.line, 4);
	ck_assert_msg(strstr(p.first.message, "other name \"a sdk\" is also entry 0"), "%s", p.first.message);

	snprintf(buf, sizeof buf, "%s {'id': 'a', 'name': 'A', 'company': 'C', 'category': 'analytics',\n"
	         "  'names': ['A SDK'], 'source': 'https://x.example'}]}", head);
	p = compile_problem(buf); /* other names are no signature */
	ck_assert_msg(strstr(p.first.message, "at least one code or host signature"), "%s", p.first.message);

	p = compile_problem("{'trackers': [\n {'id': 'a', 'id': 'b'}]}");
	ck_assert_uint_eq(p.first.line, 2);
	ck_assert_msg(strstr(p.first.message, "duplicate key"), "%s", p.first.message);
}
END_TEST

/* ---- the HAR reader, through emh_observe_run on a submission in memory ---------- */

typedef struct observed {
	emh_submission *sub;
	emh_observation *obs;
	emh_trackers cat;
	int rc;
	emh_error err;
} observed;

/* Loads a submission (single-quoted JSON) with capture.har = har (taken as is). */
static void observe(observed *o, const char *sub, const char *har)
{
	memset(o, 0, sizeof *o);
	compile_catalogue(&o->cat);
	char *json = dq(sub);
	emh_submission_file f = { "capture.har", har, strlen(har) };
	EMH_PASS(emh_submission_load_memory(&o->sub, json, strlen(json), "submission.json", &f, 1,
	                                    emh_test_unvalidated(), &o->err), &o->err);
	free(json);
	o->rc = emh_observe_run(&o->obs, o->sub, &o->cat, &o->err);
}

static void observed_free(observed *o)
{
	emh_observation_free(o->obs);
	emh_submission_free(o->sub);
	emh_trackers_dispose(&o->cat);
}

static const char persona_sub[] =
	"{'observation': {'persona': {'email': ' River.Test@Example.ORG ', 'mood_score': 3,\n"
	"  'answers': ['Nearly every day I feel down', 'no']}, 'first_party_hosts': ['app.example']},\n"
	" 'data_protection': {'third_parties': [{'name': 'Sentry', 'processor': true,\n"
	"  'purposes': ['crash_reporting'], 'hosts': ['sentry.io']}]},\n"
	" 'evidence': [{'kind': 'network_capture', 'path': 'capture.har'}]}";

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

static int count(const observed *o, const char *list)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(emh_observation_root(o->obs), list));
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

START_TEST(observe_reserved_member)
{
	char *json = dq("{'app': {'id': 'x'},\n 'observed': {'hosts': []}}");
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_submission_load_buffer(&s, json, strlen(json), "submission.json", emh_test_unvalidated(), &err);
	ck_assert_int_eq(rc, EMH_EINVALID);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_str_eq(err.pointer, "/observed");
	ck_assert_msg(strstr(err.message, "reserved"), "%s", err.message);
	free(json);
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
	TCase *tc = tcase_create("catalogue");
	tcase_add_test(tc, observe_catalogue_matching);
	tcase_add_test(tc, observe_catalogue_problems);
	tcase_add_test(tc, observe_catalogue_frameworks_and_names);
	tcase_add_test(tc, observe_declared_and_requests);
	suite_add_tcase(s, tc);
	tc = tcase_create("har");
	tcase_add_test(tc, observe_har_canaries);
	tcase_add_test(tc, observe_har_three_alignments);
	tcase_add_test(tc, observe_har_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("framework");
	tcase_add_test(tc, observe_reserved_member);
	tcase_add_test(tc, observe_criterion_findings);
	suite_add_tcase(s, tc);
	return s;
}
