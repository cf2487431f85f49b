/*
 * check_trackers.c - unit tests for the tracker catalogue (evaluator/trackers.c):
 * matching by whole package components, iOS frameworks and names, and parent
 * domains, the longest signature winning; and the catalogue's problems, each
 * located at its line and column.
 *
 * JSON is written with single quotes, which dq() turns into double quotes.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/observe.h"
#define EMH_TEST_OBSERVE_FIXTURES
#include "helpers.h"

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
static first_problem compile_problem(const char *single_quoted)
{
	char *text = dq(single_quoted);
	emh_trackers t;
	first_problem p = { 0, EMH_ERROR_INIT };
	int rc = emh_trackers_compile(&t, text, strlen(text), "criteria/trackers.json", collect_first, &p);
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
	first_problem p = compile_problem(buf);
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

Suite *emh_suite_trackers(void)
{
	Suite *s = suite_create("trackers");
	TCase *tc = tcase_create("catalogue");
	tcase_add_test(tc, observe_catalogue_matching);
	tcase_add_test(tc, observe_catalogue_problems);
	tcase_add_test(tc, observe_catalogue_frameworks_and_names);
	suite_add_tcase(s, tc);
	return s;
}
