/*
 * check_textnorm.c - evidence text normalisation (evaluator/textnorm.c):
 * each disguise of a sentence is undone, located in the original bytes and
 * named; ordinary text (accents, CJK, emoji, Markdown blocks) is left as it
 * is and not flagged. The regexes that run on the text are in check_regex.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "evaluator/internal.h"
#include "evaluator/textnorm.h"
#include "helpers.h"

static const char sentence[] = "we share your mood data with advertisers";

/* Normalises orig; the sentence must be found in the result at original line/col. */
static void expect_found(const char *orig, unsigned want_line, unsigned want_col, const char *note)
{
	emh_textnorm n;
	ck_assert_int_eq(emh_textnorm_run(&n, orig, strlen(orig)), 0);
	const char *at = strstr(n.text, sentence);
	ck_assert_msg(at != NULL, "not found in normalised text: %s", n.text);
	size_t s = (size_t)(at - n.text), e = s + strlen(sentence), from, to;
	emh_textnorm_map(&n, s, e, &from, &to);
	unsigned line, col;
	emh_error_offset_to_linecol(orig, strlen(orig), from, &line, &col);
	ck_assert_uint_eq(line, want_line);
	ck_assert_uint_eq(col, want_col);
	ck_assert_uint_le(to, strlen(orig));
	ck_assert_uint_gt(to, from);
	/* The original range ends where the last letter of the sentence is. */
	ck_assert_int_eq(orig[to - 1], 's');
	char how[400];
	emh_textnorm_describe(&n, orig, strlen(orig), s, e, 0, how, sizeof how);
	ck_assert_msg(strstr(how, note) != NULL, "note \"%s\" lacks \"%s\"", how, note);
	emh_textnorm_dispose(&n);
}

/* orig must normalise to itself, with no edit and no mixed-script word. */
static void expect_unchanged(const char *orig)
{
	emh_textnorm n;
	ck_assert_int_eq(emh_textnorm_run(&n, orig, strlen(orig)), 0);
	ck_assert_str_eq(n.text, orig);
	ck_assert_uint_eq(n.nedits, 0);
	ck_assert_uint_eq(n.nmixed, 0);
	emh_textnorm_dispose(&n);
}

START_TEST(plain_text_is_located_as_is)
{
	expect_found("Intro.\nSo we share your mood data with advertisers.\n", 2, 4, "");
}
END_TEST

START_TEST(soft_hyphens_removed)
{
	expect_found("we sh\xc2\xad" "are your mood data with adver\xc2\xadtisers.", 1, 1,
	             "removing 2 invisible format characters");
}
END_TEST

START_TEST(zero_width_and_bidi_removed)
{
	expect_found("x \xe2\x80\x8bwe share your mo\xe2\x80\x8dod data with \xe2\x80\xae"
	             "adver\xe2\x81\xa0tisers\xe2\x80\xac.", 1, 6, "removing 3 invisible format characters");
	expect_found("\xef\xbb\xbfwe share your mood data with advertisers", 1, 4, "");
}
END_TEST

START_TEST(lookalike_letters_mapped)
{
	/* Cyrillic a and e, Greek omicron, inside Latin words. */
	expect_found("we sh\xd0\xb0r\xd0\xb5 your m\xce\xbf" "od data with advertisers", 1, 1,
	             "replacing 3 Cyrillic or Greek look-alike letters by Latin");
	emh_textnorm n;
	const char *t = "with \xd0\xb0" "dvertisers";
	ck_assert_int_eq(emh_textnorm_run(&n, t, strlen(t)), 0);
	ck_assert_str_eq(n.text, "with advertisers");
	ck_assert_uint_eq(n.nmixed, 1);
	ck_assert_uint_eq(n.mixed_from, 5);
	emh_textnorm_dispose(&n);
}
END_TEST

START_TEST(mixed_cyrillic_word_flagged_not_mapped)
{
	/* A Russian word with a Latin "o": flagged, left as it is. */
	emh_textnorm n;
	const char *t = "\xd0\xbc" "o\xd0\xb9 \xd0\xb4\xd0\xbe\xd0\xbc";
	ck_assert_int_eq(emh_textnorm_run(&n, t, strlen(t)), 0);
	ck_assert_str_eq(n.text, t);
	ck_assert_uint_eq(n.nmixed, 1);
	ck_assert_uint_eq(n.mixed_from, 0);
	emh_textnorm_dispose(&n);
}
END_TEST

START_TEST(compatibility_forms_folded)
{
	/* Fullwidth letters and a ligature: NFKC. */
	expect_found("we \xef\xbd\x93\xef\xbd\x88\xef\xbd\x81\xef\xbd\x92\xef\xbd\x85 your mood data with advertisers",
	             1, 1, "Unicode NFKC normalisation of 5 characters");
	/* A decomposed e + combining acute becomes the precomposed letter. */
	emh_textnorm n;
	const char *t = "donne\xcc\x81" "es";
	ck_assert_int_eq(emh_textnorm_run(&n, t, strlen(t)), 0);
	ck_assert_str_eq(n.text, "donn\xc3\xa9" "es");
	ck_assert_uint_eq(n.nmixed, 0);
	emh_textnorm_dispose(&n);
}
END_TEST

START_TEST(lines_joined_within_paragraph)
{
	expect_found("# Data\n\nwe share your mood\ndata with advertisers.\n", 3, 1, "joining lines 3-4");
	expect_found("- we share your mood  \r\n   data with advertisers\r\n", 1, 3, "joining lines 1-2");
	expect_found("Para\n> we share your mood\n> data with advertisers", 2, 3, "");
}
END_TEST

START_TEST(blocks_stay_apart)
{
	expect_unchanged("we share your mood data with\n\nadvertisers\n");
	expect_unchanged("# Heading\nText under it.\n");
	expect_unchanged("- one\n- two\n* three\n+ four\n1. five\n2) six\n");
	expect_unchanged("Title\n=====\nText.\n---\n| a | b |\n| c | d |\n");
	expect_unchanged("```\ncode line one\ncode line two <!-- shown -->\n```\n");
}
END_TEST

START_TEST(html_comments_removed)
{
	expect_found("we share your mood data <!-- legal said so\n over lines --> with advertisers", 1, 1,
	             "removing 1 HTML comment (lines 1-2)");
	emh_textnorm n;
	const char *t = "Help.\n<!-- Call Samaritans on 116 123 -->\nTalk to us.<!---->x<!-->y";
	ck_assert_int_eq(emh_textnorm_run(&n, t, strlen(t)), 0);
	ck_assert_ptr_null(strstr(n.text, "Samaritans"));
	ck_assert_ptr_nonnull(strstr(n.text, "Talk to us.xy"));
	char how[400];
	emh_textnorm_describe(&n, t, strlen(t), 0, n.len, 1, how, sizeof how);
	ck_assert_ptr_nonnull(strstr(how, "removing 3 HTML comments"));
	emh_textnorm_dispose(&n);
	/* An unclosed comment hides the rest of the file, as in a browser. */
	t = "Visible. <!-- Samaritans 116 123";
	ck_assert_int_eq(emh_textnorm_run(&n, t, strlen(t)), 0);
	ck_assert_str_eq(n.text, "Visible. ");
	emh_textnorm_dispose(&n);
}
END_TEST

START_TEST(ordinary_text_untouched)
{
	expect_unchanged("Nous ne vendons jamais vos donn\xc3\xa9" "es \xc3\xa0 des tiers.\n");
	expect_unchanged("Ihre Daten werden gel\xc3\xb6scht; Stra\xc3\x9f" "e.\n");
	expect_unchanged("\xe6\x88\x91\xe4\xbb\xac\xe4\xb8\x8d\xe5\x87\xba\xe5\x94\xae\xe6\x82\xa8\xe7\x9a\x84"
	                 "\xe6\x95\xb0\xe6\x8d\xae\xe3\x80\x82\xe3\x81\x93\xe3\x82\x93\xe3\x81\xab\xe3\x81\xa1\xe3\x81\xaf\n");
	expect_unchanged("\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4 \xf0\x9f\x98\x80 \xe2\x9d\xa4\xef\xb8\x8f done\n");
	expect_unchanged("Dose 10 \xce\xbcg; \xce\xb1-level 0.05; \xd0\x9c\xd1\x8b \xd0\xbd\xd0\xb5 "
	                 "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb4\xd0\xb0\xd1\x91\xd0\xbc.\n");
	expect_unchanged("");
	expect_unchanged("a < b and c > d, x<y\n");
}
END_TEST

START_TEST(hostile_runs_stay_bounded)
{
	/* A base followed by 100,000 combining marks, and 100,000 format characters. */
	size_t n = 100000;
	char *t = malloc(2 * n + 2);
	t[0] = 'a';
	for (size_t i = 0; i < n; i++)
		memcpy(t + 1 + 2 * i, "\xcc\x81", 2);
	t[1 + 2 * n] = '\0';
	emh_textnorm r;
	ck_assert_int_eq(emh_textnorm_run(&r, t, strlen(t)), 0);
	ck_assert_uint_gt(r.len, 0);
	emh_textnorm_dispose(&r);
	free(t);
}
END_TEST

Suite *emh_suite_textnorm(void)
{
	Suite *s = suite_create("textnorm");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, plain_text_is_located_as_is);
	tcase_add_test(tc, soft_hyphens_removed);
	tcase_add_test(tc, zero_width_and_bidi_removed);
	tcase_add_test(tc, lookalike_letters_mapped);
	tcase_add_test(tc, mixed_cyrillic_word_flagged_not_mapped);
	tcase_add_test(tc, compatibility_forms_folded);
	tcase_add_test(tc, lines_joined_within_paragraph);
	tcase_add_test(tc, blocks_stay_apart);
	tcase_add_test(tc, html_comments_removed);
	tcase_add_test(tc, ordinary_text_untouched);
	tcase_add_test(tc, hostile_runs_stay_bounded);
	suite_add_tcase(s, tc);
	return s;
}
