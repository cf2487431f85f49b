/*
 * check_statement.c - "not_states" (evaluator/statement.c): a clause is judged
 * on its own parse, negation only where it governs the verb, and the result is
 * the same when worker threads share one dictionary.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/statement.h"
#include "emheval/error.h"
#include "helpers.h"

static const char VERB[] = "shar(?:e|es|ed|ing)|sell(?:s|ing)?|sold|disclos(?:e|es|ed|ing)|us(?:e|es|ed|ing)";
static const char OBJECT[] = "\\b(?:data|information|entries|scores|answers|it)\\b";
static const char PURPOSE[] = "\\badvertis(?:ers?|ing)\\b|\\bads?\\b|\\bmarketing\\s+partners\\b";
static const char UNLESS[] = "\\b(?:anonymi[sz]ed|aggregated|de-identified)\\b";

static emh_statement st;

static void setup(void)
{
	emh_error e = EMH_ERROR_INIT;
	const char *field = NULL;
	ck_assert_msg(emh_statement_compile(&st, VERB, OBJECT, PURPOSE, UNLESS, &field, &e) == 0, "%s", e.message);
}

static void teardown(void)
{
	emh_statement_dispose(&st);
}

static int states(const char *text)
{
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	size_t a = 0, b = 0;
	int rc = emh_statement_search(&st, &m, text, strlen(text), &a, &b);
	emh_matcher_dispose(&m);
	return rc;
}

START_TEST(clause_after_but_judged_on_its_own)
{
	ck_assert_int_eq(states("We do not sell your data, but we share your mood entries with advertisers."), 1);
	ck_assert_int_eq(states("We share your mood scores and questionnaire answers with Google and Facebook for "
	                        "ad targeting."), 1);
}
END_TEST

START_TEST(negation_of_another_verb_does_not_clear)
{
	/* "not" governs "opt", not "share" (a pattern reading the clause cleared it). */
	ck_assert_int_eq(states("If you do not opt out, we may share your usage data with our advertising partners."), 1);
}
END_TEST

START_TEST(negated_verbs_pass)
{
	ck_assert_int_eq(states("We never share your health information with advertisers."), 0);
	ck_assert_int_eq(states("We don't sell your personal information, and we don't share it with advertisers."), 0);
	ck_assert_int_eq(states("This data is used only to provide personalized services, including AI-powered "
	                        "analysis and recommendations, and is not shared for advertising purposes."), 0);
	ck_assert_int_eq(states("No personal data is shared with advertisers."), 0);
}
END_TEST

START_TEST(near_misses_pass)
{
	ck_assert_int_eq(states("We sell gift cards."), 0);                          /* no data, no advertising */
	ck_assert_int_eq(states("We share aggregated data with our advertising partners."), 0); /* unless */
	ck_assert_int_eq(states("We use your data to provide the service. We show no ads."), 0);
}
END_TEST

START_TEST(long_sentences_are_judged_in_pieces)
{
	/* Over EMH_STATEMENT_MAX_WORDS tokens: parsed in pieces cut at commas, each judged on its own. */
	static const char head[] = "We collect your name, your email address, your date of birth, your city, your "
	                           "preferred language, the pages you visit, the buttons you tap, the time you spend "
	                           "in the app, the device you use, the version of its operating system, ";
	char text[2048];
	snprintf(text, sizeof text, "%sand we share your usage data with our advertising partners.", head);
	ck_assert_int_eq(states(text), 1);
	snprintf(text, sizeof text, "%sand we never share your usage data with our advertising partners.", head);
	ck_assert_int_eq(states(text), 0);
}
END_TEST

START_TEST(bounds_are_on_the_input_not_the_clock)
{
	/* No wall-clock limit: a verdict must not depend on the machine's load. */
	ck_assert_int_eq(emh_statement__time_limit(), -1);
	/*
	 * A piece over EMH_STATEMENT_MAX_WORDS tokens (each quoted word is three) is not
	 * parsed: documented as left to the criterion's other checks, so "not stated",
	 * whatever it says, every time (never a timeout that a faster machine would pass).
	 */
	static const char quoted[] = "\"we\" \"share\" \"your\" \"mood\" \"data\" \"with\" \"our\" "
	                             "\"advertisers\" \"and\" \"we\" \"sell\" \"your\" \"health\" \"data\" "
	                             "\"to\" \"advertisers\" \"for\" \"ads\" \"too\" \"now\".";
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(states(quoted), 0);
	/* The same words unquoted are within the bound: parsed and judged. */
	ck_assert_int_eq(states("We share your mood data with our advertisers."), 1);
}
END_TEST

START_TEST(parses_per_document_are_bounded)
{
	/* More candidate sentences than EMH_STATEMENT_MAX_PARSES: not judged further, reported. */
	static const char one[] = "We never share your data with advertisers.\n";
	size_t n = EMH_STATEMENT_MAX_PARSES + 1, len = strlen(one);
	char *text = malloc(n * len + 1);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * len, one, len);
	text[n * len] = '\0';
	ck_assert_int_eq(states(text), EMH_STATEMENT_TOO_MANY);
	text[(n - 1) * len] = '\0'; /* exactly the limit: judged */
	ck_assert_int_eq(states(text), 0);
	free(text);
}
END_TEST

START_TEST(bad_patterns_name_their_field)
{
	emh_statement bad;
	emh_error e = EMH_ERROR_INIT;
	const char *field = NULL;
	ck_assert_int_eq(emh_statement_compile(&bad, "share", "(data", PURPOSE, NULL, &field, &e), EMH_EINVALID);
	ck_assert_str_eq(field, "object");
	ck_assert_ptr_nonnull(strstr(e.message, "object"));
}
END_TEST

static void *worker(void *arg)
{
	int *same = arg;
	for (int i = 0; i < 5; i++)
		if (states("We do not sell your data, but we share your mood entries with advertisers.") != 1 ||
		    states("We never share your health information with advertisers.") != 0)
			*same = 0;
	return NULL;
}

START_TEST(threads_share_the_dictionary)
{
	pthread_t t[4];
	int same[4] = { 1, 1, 1, 1 };
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &same[i]), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(same[i], 1);
	}
}
END_TEST

START_TEST(dictionary_loads_at_the_first_parse)
{
	/* Compiling and reading sentences without a candidate cost no dictionary. */
	ck_assert_int_eq(emh_statement__dictionary_loaded(), 0);
	ck_assert_int_eq(states("We keep your mood entries for two years. Ads are shown in the free version."), 0);
	ck_assert_int_eq(emh_statement__dictionary_loaded(), 0);
	/* A candidate sentence (a listed verb and an advertising word) loads it. */
	ck_assert_int_eq(states("We sell your sleep entries to advertisers every month."), 1);
	ck_assert_int_eq(emh_statement__dictionary_loaded(), 1);
	/* The last user disposed frees it (what LeakSanitizer checks at exit). */
	emh_statement_dispose(&st);
	ck_assert_int_eq(emh_statement__dictionary_loaded(), 0);
	setup();
}
END_TEST

START_TEST(plain_denials_need_no_parse)
{
	ck_assert_int_eq(states("We never sell your personal data, and we do not share it with advertisers."), 0);
	ck_assert_int_eq(states("We do not use your information for targeted advertising."), 0);
	ck_assert_int_eq(states("Your data is never sold and never used for advertising."), 0);
	ck_assert_int_eq(states("We do not use or disclose your health information for advertising."), 0);
	ck_assert_int_eq(states("Your answers will not be shared with advertisers."), 0);
	ck_assert_int_eq(emh_statement__dictionary_loaded(), 0);
	/* Near misses of that shape are parsed, and stated. */
	ck_assert_int_eq(states("We do not sell your data and we share it with advertisers."), 1);
	ck_assert_int_eq(emh_statement__dictionary_loaded(), 1);
	ck_assert_int_eq(states("We do not sell your data, but we share your mood entries with advertisers."), 1);
	ck_assert_int_eq(states("We do not only use your data for our service but share it with advertisers."), 1);
}
END_TEST

START_TEST(judged_sentences_are_cached_by_settings)
{
	static const char text[] = "Cached: we share your journal entries with advertisers of wellness products.";
	size_t h0, m0, h1, m1, h2, m2;
	emh_statement__cache_stats(&h0, &m0);
	ck_assert_int_eq(states(text), 1);
	emh_statement__cache_stats(&h1, &m1);
	ck_assert_uint_eq(m1, m0 + 1);
	ck_assert_uint_eq(h1, h0);
	ck_assert_int_eq(states(text), 1);
	emh_statement__cache_stats(&h2, &m2);
	ck_assert_uint_eq(h2, h1 + 1);
	ck_assert_uint_eq(m2, m1);
	/* Other settings are another key: an "unless" that clears it is not answered from the cache. */
	emh_statement other;
	emh_error e = EMH_ERROR_INIT;
	const char *field = NULL;
	ck_assert_int_eq(emh_statement_compile(&other, VERB, OBJECT, PURPOSE, "\\bjournal\\b", &field, &e), 0);
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	size_t a = 0, b = 0;
	ck_assert_int_eq(emh_statement_search(&other, &m, text, strlen(text), &a, &b), 0);
	emh_matcher_dispose(&m);
	emh_statement_dispose(&other);
	ck_assert_int_eq(states(text), 1);
}
END_TEST

Suite *emh_suite_statement(void)
{
	Suite *s = suite_create("statement");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, clause_after_but_judged_on_its_own);
	tcase_add_test(tc, negation_of_another_verb_does_not_clear);
	tcase_add_test(tc, negated_verbs_pass);
	tcase_add_test(tc, near_misses_pass);
	tcase_add_test(tc, long_sentences_are_judged_in_pieces);
	tcase_add_test(tc, bounds_are_on_the_input_not_the_clock);
	tcase_add_test(tc, parses_per_document_are_bounded);
	tcase_add_test(tc, bad_patterns_name_their_field);
	tcase_add_test(tc, threads_share_the_dictionary);
	tcase_add_test(tc, dictionary_loads_at_the_first_parse);
	tcase_add_test(tc, plain_denials_need_no_parse);
	tcase_add_test(tc, judged_sentences_are_cached_by_settings);
	suite_add_tcase(s, tc);
	return s;
}
