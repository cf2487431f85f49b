/*
 * observe_fixtures.c - the observer fixtures declared in helpers.h: a tracker
 * catalogue compiled, and a submission with a HAR capture observed in memory.
 * JSON is written with single quotes, which dq() (eval_fixtures.c) turns into
 * double quotes.
 */
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/observe.h"
#define EMH_TEST_OBSERVE_FIXTURES
#include "helpers.h"

void collect_first(const emh_error *e, void *payload)
{
	first_problem *p = payload;
	if (p->n++ == 0)
		p->first = *e;
}

const char catalogue[] =
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

void compile_catalogue(emh_trackers *t)
{
	char *text = dq(catalogue);
	first_problem p = { 0, EMH_ERROR_INIT };
	int rc = emh_trackers_compile(t, text, strlen(text), "trackers.json", collect_first, &p);
	ck_assert_msg(rc == 0 && p.n == 0, "catalogue: %s", p.first.message);
	ck_assert_uint_eq(t->count, 4);
	free(text);
}

/* Loads a submission (single-quoted JSON) with capture.har = har (taken as is). */
void observe(observed *o, const char *sub, const char *har)
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

void observed_free(observed *o)
{
	emh_observation_free(o->obs);
	emh_submission_free(o->sub);
	emh_trackers_dispose(&o->cat);
}

const char persona_sub[] =
	"{'observation': {'persona': {'email': ' River.Test@Example.ORG ', 'mood_score': 3,\n"
	"  'answers': ['Nearly every day I feel down', 'no']}, 'first_party_hosts': ['app.example']},\n"
	" 'data_protection': {'third_parties': [{'name': 'Sentry', 'processor': true,\n"
	"  'purposes': ['crash_reporting'], 'hosts': ['sentry.io']}]},\n"
	" 'evidence': [{'kind': 'network_capture', 'path': 'capture.har'}]}";


int count(const observed *o, const char *list)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(emh_observation_root(o->obs), list));
}
