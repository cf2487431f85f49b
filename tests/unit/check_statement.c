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
	ck_assert_msg(emh_statement_compile(&st, VERB, OBJECT, PURPOSE, UNLESS, 0, &field, &e) == 0, "%s", e.message);
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
	ck_assert_int_eq(emh_statement_compile(&bad, "share", "(data", PURPOSE, NULL, 0, &field, &e), EMH_EINVALID);
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
	ck_assert_int_eq(emh_statement_compile(&other, VERB, OBJECT, PURPOSE, "\\bjournal\\b", 0, &field, &e), 0);
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	size_t a = 0, b = 0;
	ck_assert_int_eq(emh_statement_search(&other, &m, text, strlen(text), &a, &b), 0);
	emh_matcher_dispose(&m);
	emh_statement_dispose(&other);
	ck_assert_int_eq(states(text), 1);
}
END_TEST

/* ---- "states": the affirmative mirror ------------------------------------------- */

static const char ENC_VERB[] = "encrypt(?:s|ed|ing)?|protect(?:s|ed|ing)?|secur(?:e|es|ed|ing)|"
                               "stor(?:e|es|ed|ing)|transmit(?:s|ted|ting)?|transferr?(?:s|ed|ing)?|"
                               "host(?:s|ed|ing)?|us(?:e|es|ed|ing)|keep(?:s|ing)?|kept|sen[dt]s?";
static const char ENC_OBJECT[] = "\\bencrypt(?:s|ed|ing|ion)?\\b|\\bTLS\\b|\\bHTTPS\\b|\\bSSL\\b|\\bAES\\b";

static emh_statement affirm;

static void setup_affirm(void)
{
	emh_error e = EMH_ERROR_INIT;
	const char *field = NULL;
	ck_assert_msg(emh_statement_compile(&affirm, ENC_VERB, ENC_OBJECT, NULL, NULL, 1, &field, &e) == 0, "%s",
	              e.message);
}

static void teardown_affirm(void)
{
	emh_statement_dispose(&affirm);
}

static int affirms(const char *text, size_t *at)
{
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	size_t a = 0, b = 0;
	int rc = emh_statement_search(&affirm, &m, text, strlen(text), &a, &b);
	emh_matcher_dispose(&m);
	if (at)
		*at = a;
	return rc;
}

START_TEST(states_an_unnegated_clause)
{
	/* Wording of public privacy policies (the criterion fixtures name them). */
	ck_assert_int_eq(affirms("Your data is encrypted in transit and at rest.", NULL), 1);
	ck_assert_int_eq(affirms("Journal entries are encrypted at rest using Fernet (AES-128-CBC).", NULL), 1);
	ck_assert_int_eq(affirms("All data is transmitted over encrypted connections (HTTPS/TLS).", NULL), 1);
	ck_assert_int_eq(affirms("All connections use TLS 1.3 encryption in transit.", NULL), 1);
	ck_assert_int_eq(affirms("We take your privacy seriously. We encrypt your data.", NULL), 1);
}
END_TEST

START_TEST(states_not_by_a_negated_clause)
{
	ck_assert_int_eq(affirms("We do not encrypt your data.", NULL), 0);
	ck_assert_int_eq(affirms("Your data is not encrypted.", NULL), 0);
	ck_assert_int_eq(affirms("We never encrypt the information you give us.", NULL), 0);
	ck_assert_int_eq(affirms("Data you send us is not encrypted in transit.", NULL), 0);
	ck_assert_int_eq(affirms("Passwords are hashed using PBKDF2 with SHA-256.", NULL), 0); /* no such word */
	ck_assert_int_eq(affirms("We store your data unencrypted on our servers.", NULL), 0);
}
END_TEST

START_TEST(states_a_clause_after_a_denial)
{
	/* The negation of one clause does not reach the next; nor does one's affirmation lend it another's. */
	ck_assert_int_eq(affirms("We do not sell your data, but we encrypt it at rest.", NULL), 1);
	ck_assert_int_eq(affirms("We store your data on our servers, but we do not encrypt it.", NULL), 0);
	/* The words after the verb stop at a negation: "store" does not borrow "encrypt". */
	ck_assert_int_eq(affirms("We store your data on our servers and do not encrypt it.", NULL), 0);
	/* ... but they reach a time the parse hung elsewhere ("app" is not in the dictionary). */
	ck_assert_int_eq(affirms("We keep your data on servers that use TLS after you last use the app.", NULL), 1);
	/* "while" says when it holds: the words after it are still the verb's. */
	ck_assert_int_eq(affirms("We store your data while your account is active and use TLS for it.", NULL), 1);
	/* A negation reaches a coordinated verb only from before it. */
	ck_assert_int_eq(affirms("Your data are encrypted, never sold and never used for advertising.", NULL), 1);
	ck_assert_int_eq(affirms("We do not store or encrypt your data.", NULL), 0);
	ck_assert_int_eq(affirms("We do not keep your data on our servers or encrypt it with TLS there.", NULL), 0);
	/* Through coordination, a verb takes the words before it (its subject). */
	ck_assert_int_eq(affirms("Transcripts are kept for a week and then encrypted.", NULL), 1);
	/* The words before the verb back to a negation: "stored" does not borrow "encrypt". */
	ck_assert_int_eq(affirms("We encrypt nothing, and your data is stored on our servers.", NULL), 0);
	ck_assert_int_eq(affirms("Backups we make are stored for a month and then encrypted.", NULL), 1);
	ck_assert_int_eq(affirms("We never encrypt data with TLS that we store.", NULL), 0);
	/* A relative clause is a clause of its own: "send" does not borrow "is not encrypted". */
	ck_assert_int_eq(affirms("Data you send through the contact form is not encrypted.", NULL), 0);
}
END_TEST

START_TEST(states_unjudged_is_never_not_stated)
{
	/* Over EMH_STATEMENT_MAX_WORDS tokens: not cut in pieces, not "not stated", but unjudged, with its offset. */
	static const char lead[] = "We take your privacy seriously. ";
	static const char quoted[] = "\"we\" \"do\" \"not\" \"encrypt\" \"your\" \"mood\" \"data\" \"with\" \"our\" "
	                             "\"keys\" \"and\" \"we\" \"keep\" \"your\" \"health\" \"data\" \"plain\" \"too\".";
	char text[1024];
	snprintf(text, sizeof text, "%s%s", lead, quoted);
	size_t at = 0;
	ck_assert_int_eq(affirms(text, &at), EMH_STATEMENT_UNJUDGED);
	ck_assert_uint_eq(at, strlen(lead));
	/* A sentence that states it still decides, before or after the unjudged one. */
	snprintf(text, sizeof text, "%s Your data is encrypted in transit and at rest.", quoted);
	ck_assert_int_eq(affirms(text, NULL), 1);
	/* A linkage that leaves a negating word out (a null word): what it negates is not known. */
	ck_assert_int_eq(affirms("We encrypt not your data.", NULL), EMH_STATEMENT_UNJUDGED);
	/* A plain denial needs no parse and is "not stated" (never unjudged). */
	ck_assert_int_eq(affirms("We do not encrypt your data.", NULL), 0);
}
END_TEST

START_TEST(states_too_many_parses_is_reported)
{
	/* Candidates that need a parse and do not state it: past the bound, reported (a review), never a fail. */
	static const char one[] = "We store your data on our servers.\n";
	size_t n = EMH_STATEMENT_MAX_PARSES + 1, len = strlen(one);
	char *text = malloc(n * len + 1);
	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		memcpy(text + i * len, one, len);
	text[n * len] = '\0';
	ck_assert_int_eq(affirms(text, NULL), EMH_STATEMENT_TOO_MANY);
	text[(n - 1) * len] = '\0'; /* exactly the limit: judged, not stated */
	ck_assert_int_eq(affirms(text, NULL), 0);
	free(text);
}
END_TEST

START_TEST(states_settings_are_its_own_in_the_cache)
{
	/* The same patterns as not_states and as states name different answers. */
	emh_statement mirror;
	emh_error e = EMH_ERROR_INIT;
	const char *field = NULL;
	ck_assert_int_eq(emh_statement_compile(&mirror, ENC_VERB, ENC_OBJECT, NULL, NULL, 0, &field, &e), 0);
	ck_assert_str_ne(mirror.settings, affirm.settings);
	emh_statement_dispose(&mirror);
	/* "states" needs no purpose; not_states compiled here without one matches any purpose too. */
	ck_assert_int_eq(affirm.affirm, 1);
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
	TCase *ta = tcase_create("states");
	tcase_set_timeout(ta, 120);
	tcase_add_checked_fixture(ta, setup_affirm, teardown_affirm);
	tcase_add_test(ta, states_an_unnegated_clause);
	tcase_add_test(ta, states_not_by_a_negated_clause);
	tcase_add_test(ta, states_a_clause_after_a_denial);
	tcase_add_test(ta, states_unjudged_is_never_not_stated);
	tcase_add_test(ta, states_too_many_parses_is_reported);
	tcase_add_test(ta, states_settings_are_its_own_in_the_cache);
	suite_add_tcase(s, ta);
	return s;
}
