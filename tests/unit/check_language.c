/*
 * check_language.c - unit tests for evaluator/language.c: the language of an
 * evidence text is detected from the text (whole and per long paragraph),
 * short texts are undetermined, and coverage by a criterion's declared
 * languages ("en", "en de", "*") is decided on the detected candidates;
 * threads detecting at once get what one thread gets, and a long paragraph
 * is judged in pieces.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/language.h"
#include "helpers.h"

/* Sentences of a German privacy policy (written for this test, as DiGA policies say it). */
static const char de_text[] =
	"Wir verarbeiten Ihre personenbezogenen Daten ausschließlich zur Bereitstellung der Anwendung und nur auf "
	"Grundlage Ihrer ausdrücklichen Einwilligung. Ihre Daten werden auf Servern in Deutschland gespeichert und "
	"nach Ablauf der gesetzlichen Aufbewahrungsfristen gelöscht. Sie haben jederzeit das Recht auf Auskunft, "
	"Berichtigung und Löschung Ihrer Daten.";
static const char en_text[] =
	"We process your personal data only to provide the app and only with your explicit consent. Your data is "
	"stored on servers in the United Kingdom and deleted when the retention period ends. You have the right to "
	"access, correct and delete your data at any time, and to complain to the Information Commissioner.";

static emh_language detect(const char *text)
{
	emh_language l;
	ck_assert_int_eq(emh_language_detect(&l, text, strlen(text)), 0);
	ck_assert_int_eq(l.unavailable, 0);
	ck_assert_uint_ge(l.nspans, 1);
	return l;
}

static int first_is(const emh_lang_span *s, const char *code)
{
	size_t k = strcspn(s->langs, " ");
	return strlen(code) == k && strncmp(s->langs, code, k) == 0;
}

START_TEST(german_and_english_detected)
{
	emh_language de = detect(de_text), en = detect(en_text);
	ck_assert_msg(first_is(&de.spans[0], "de"), "German detected as \"%s\"", de.spans[0].langs);
	ck_assert_msg(first_is(&en.spans[0], "en"), "English detected as \"%s\"", en.spans[0].langs);
	ck_assert_ptr_nonnull(emh_language_uncovered(&de, "en"));
	ck_assert_ptr_null(emh_language_uncovered(&de, "en de"));
	ck_assert_ptr_null(emh_language_uncovered(&de, "*"));
	ck_assert_ptr_null(emh_language_uncovered(&en, "en"));
	ck_assert_ptr_nonnull(emh_language_uncovered(&en, "de"));
	emh_language_dispose(&de);
	emh_language_dispose(&en);
}
END_TEST

START_TEST(short_text_undetermined)
{
	emh_language l;
	const char *s = "Wir löschen Ihre Daten nach 36 Monaten.";
	ck_assert_int_eq(emh_language_detect(&l, s, strlen(s)), 0);
	ck_assert_str_eq(l.spans[0].langs, "");
	ck_assert_ptr_null(emh_language_uncovered(&l, "en"));
	emh_language_dispose(&l);
}
END_TEST

/* English text with one German paragraph (a line, as textnorm writes paragraphs): the paragraph is found. */
START_TEST(foreign_paragraph_found)
{
	char text[4096];
	snprintf(text, sizeof text, "%s %s\n%s\nShort line.\n", en_text, en_text, de_text);
	emh_language l = detect(text);
	ck_assert_msg(first_is(&l.spans[0], "en"), "whole text detected as \"%s\"", l.spans[0].langs);
	const emh_lang_span *u = emh_language_uncovered(&l, "en");
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_ne(u, &l.spans[0]);
	ck_assert_uint_eq(u->at, 2 * strlen(en_text) + 2);
	ck_assert_uint_eq(u->len, strlen(de_text));
	emh_language_dispose(&l);
}
END_TEST

/* English keywords after every German sentence do not make it English. */
START_TEST(sprinkled_keywords_stay_german)
{
	char text[4096] = "";
	const char *p = de_text;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) + 1 : strlen(p);
		strncat(text, p, n);
		strcat(text, " We never sell your data; we retain and delete it.");
		p += n;
	}
	emh_language l = detect(text);
	ck_assert_msg(first_is(&l.spans[0], "de"), "detected as \"%s\"", l.spans[0].langs);
	ck_assert_ptr_nonnull(emh_language_uncovered(&l, "en"));
	emh_language_dispose(&l);
}
END_TEST

START_TEST(coverage_by_candidates)
{
	emh_lang_span s = { 0, 0, "sco en" };
	ck_assert_int_eq(emh_language_covered(&s, "en"), 1); /* a close second candidate counts */
	ck_assert_int_eq(emh_language_covered(&s, "de fr"), 0);
	ck_assert_int_eq(emh_language_covered(&s, "e"), 0);   /* whole codes only */
	ck_assert_int_eq(emh_language_covered(&s, "*"), 1);
	emh_lang_span none = { 0, 0, "" };
	ck_assert_int_eq(emh_language_covered(&none, "de"), 1);
}
END_TEST

/* Several threads classify at once (each with a handle of the pool): every result equals the sequential one. */
enum { THREADS = 4, ROUNDS = 6 };
static char mixed_text[8192];

static int same(const emh_language *a, const emh_language *b)
{
	if (a->nspans != b->nspans || a->unavailable != b->unavailable)
		return 0;
	for (size_t i = 0; i < a->nspans; i++)
		if (a->spans[i].at != b->spans[i].at || a->spans[i].len != b->spans[i].len ||
		    strcmp(a->spans[i].langs, b->spans[i].langs) != 0)
			return 0;
	return 1;
}

static char out_of_memory[] = "out of memory", differs[] = "differs from the sequential result";

static void *classify_rounds(void *arg)
{
	const emh_language *want = arg;
	for (int r = 0; r < ROUNDS; r++) {
		emh_language got;
		if (emh_language_detect(&got, mixed_text, strlen(mixed_text)) != 0)
			return out_of_memory;
		int ok = same(&got, want);
		emh_language_dispose(&got);
		if (!ok)
			return differs;
	}
	return NULL;
}

/* Lists of codes: whole codes only, and a merge keeps the first order and adds each code once. */
START_TEST(code_lists_listed_and_merged)
{
	ck_assert_int_eq(emh_language_listed("en de", "de", 2), 1);
	ck_assert_int_eq(emh_language_listed("en de", "d", 1), 0);
	ck_assert_int_eq(emh_language_listed("end", "en", 2), 0);
	ck_assert_int_eq(emh_language_listed("", "en", 2), 0);
	ck_assert_int_eq(emh_language_listed("de ende", "enx", 2), 0); /* [code, code + len) is "en" */
	emh_buf b = EMH_BUF_INIT;
	emh_language_merge(&b, "en");
	emh_language_merge(&b, "de en");
	emh_language_merge(&b, "fr de gsw");
	ck_assert_str_eq(emh_buf_cstr(&b), "en de fr gsw");
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(parallel_equals_sequential)
{
	snprintf(mixed_text, sizeof mixed_text, "%s %s\n%s\n%s\n%s %s\n", en_text, en_text, de_text, en_text, de_text, de_text);
	emh_language want = detect(mixed_text);
	ck_assert_uint_ge(want.nspans, 3);
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, classify_rounds, &want), 0);
	for (int i = 0; i < THREADS; i++) {
		void *why = NULL;
		pthread_join(t[i], &why);
		ck_assert_msg(why == NULL, "thread %d: %s", i, why ? (const char *)why : "");
	}
	emh_language_dispose(&want);
}
END_TEST

/* A paragraph longer than 4 KiB is classified in pieces: German text after 8 kB of English in it is found. */
START_TEST(long_paragraph_in_pieces)
{
	size_t cap = 16 * strlen(en_text) + 4 * strlen(de_text) + 64, n = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	for (int i = 0; i < 16; i++)
		n += (size_t)snprintf(text + n, cap - n, "%s ", en_text);
	for (int i = 0; i < 4; i++)
		n += (size_t)snprintf(text + n, cap - n, "%s ", de_text);
	emh_language l = detect(text);
	const emh_lang_span *u = emh_language_uncovered(&l, "en");
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_ne(u, &l.spans[0]);   /* the whole text reads as English */
	ck_assert_uint_ge(u->at, 4096 / 2); /* a later piece, not the first 4 KiB the paragraph was judged by */
	ck_assert_uint_le(u->len, 4096 + EMH_LANG_MIN_TEXT);
	emh_language_dispose(&l);
	free(text);
}
END_TEST

Suite *emh_suite_language(void)
{
	Suite *s = suite_create("language");
	TCase *tc = tcase_create("detect");
	tcase_add_test(tc, german_and_english_detected);
	tcase_add_test(tc, short_text_undetermined);
	tcase_add_test(tc, foreign_paragraph_found);
	tcase_add_test(tc, sprinkled_keywords_stay_german);
	tcase_add_test(tc, coverage_by_candidates);
	tcase_add_test(tc, code_lists_listed_and_merged);
	tcase_add_test(tc, parallel_equals_sequential);
	tcase_add_test(tc, long_paragraph_in_pieces);
	suite_add_tcase(s, tc);
	return s;
}
