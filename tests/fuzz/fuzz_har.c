/*
 * fuzz_har.c - bytes as a network capture (HAR) listed in a submission's
 * evidence, read by the observer framework (evaluator/observe.c, har.c)
 * against a small fixed catalogue with a persona whose values it looks for.
 * Reading ends in facts or a located error with a message (EMH_EINVALID or
 * EMH_ELIMIT), never a crash; every fact has its artifact, a location, and
 * for the HAR reader a line; reading twice gives the same facts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "evaluator/observe.h"
#include "evaluator/submission_internal.h"

static const char catalogue[] =
	"{\"trackers\": [{\"id\": \"pixel\", \"name\": \"Pixel\", \"company\": \"Ads Inc\", \"category\": \"advertising\","
	" \"code_signatures\": [\"com.ads\"], \"host_signatures\": [\"ads.example\"], \"source\": \"https://example.org/\"}]}";
static const char submission[] =
	"{\"observation\": {\"persona\": {\"email\": \"a.b@example.org\", \"mood_score\": 3,"
	" \"answers\": [\"hopeless most days\", \"7\"]}, \"first_party_hosts\": [\"app.example\"]},"
	" \"data_protection\": {\"third_parties\": [{\"name\": \"P\", \"processor\": true, \"purposes\": [\"analytics\"],"
	" \"hosts\": [\"p.example\"]}]},"
	" \"evidence\": [{\"kind\": \"network_capture\", \"path\": \"capture.har\"}]}";

static emh_trackers cat;
static int cat_ready;

static char *facts(const emh_observation *o)
{
	char *s = cJSON_PrintUnformatted(emh_observation_root(o));
	if (!s)
		emh_fuzz_fail("facts cannot be printed", NULL);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cat_ready) {
		if (emh_trackers_compile(&cat, catalogue, strlen(catalogue), "trackers.json", NULL, NULL))
			emh_fuzz_fail("the fixed catalogue does not compile", NULL);
		cat_ready = 1;
	}
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	so.validation = EMH_VALIDATE_OFF;
	emh_submission_file f = { "capture.har", (const char *)data, size };
	if (emh_submission_load_memory(&s, submission, strlen(submission), "submission.json", &f, 1, &so, &err))
		emh_fuzz_fail("the fixed submission does not load", &err);
	emh_observation *o = NULL, *again = NULL;
	int rc = emh_observe_run(&o, s, &cat, &err);
	if (rc == 0) {
		const cJSON *root = emh_observation_root(o);
		static const char *const lists[] = { "hosts", "flows" };
		for (size_t l = 0; l < 2; l++) {
			int i = 0;
			for (const cJSON *x = cJSON_GetObjectItemCaseSensitive(root, lists[l])->child; x; x = x->next, i++) {
				char ptr[64];
				const char *artifact = NULL;
				emh_fact_pos pos;
				snprintf(ptr, sizeof ptr, "/observed/%s/%d/host", lists[l], i);
				if (!emh_observation_locate(o, ptr, &artifact, &pos) || strcmp(artifact, "capture.har") != 0 ||
				    !pos.location || pos.line == 0)
					emh_fuzz_fail("a fact without its artifact and position", NULL);
			}
		}
		emh_error e2 = EMH_ERROR_INIT;
		if (emh_observe_run(&again, s, &cat, &e2))
			emh_fuzz_fail("a capture read once is refused the second time", &e2);
		char *a = facts(o), *b = facts(again);
		if (strcmp(a, b) != 0)
			emh_fuzz_fail("reading the same capture twice gives different facts", NULL);
		free(a);
		free(b);
	} else if (rc != EMH_EINVALID && rc != EMH_ELIMIT) {
		emh_fuzz_fail("unexpected error code", &err);
	} else if (err.message[0] == '\0' || strcmp(err.file, "capture.har") != 0) {
		emh_fuzz_fail("an error without a message or its artifact", &err);
	}
	emh_observation_free(o);
	emh_observation_free(again);
	emh_submission_free(s);
	return 0;
}
