/*
 * check_regex.c - the regexes of evaluator/regex.c: the nested-quantifier
 * scan that decides which patterns are metered; a metered pattern ends as an
 * error once its budget is spent; MH-NOADS-01's German member decides
 * example 11 (its policy normalised by textnorm.c) interpreted at the default
 * match limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/io.h"
#include "evaluator/internal.h"
#include "evaluator/textnorm.h"
#include "helpers.h"

START_TEST(nested_quantifiers_detected)
{
	size_t at = 99;
	ck_assert_int_eq(emh_regex_nested_quantifier("(a+)+$", &at), 1);
	ck_assert_uint_eq(at, 0);
	ck_assert_int_eq(emh_regex_nested_quantifier("x(?:\\w+\\s?)*y", &at), 1);
	ck_assert_uint_eq(at, 1);
	ck_assert_int_eq(emh_regex_nested_quantifier("((a|b)*c){2,}", NULL), 1);
	ck_assert_int_eq(emh_regex_nested_quantifier("(?:(x*))+", NULL), 1);
	/* Not nested, or bounded outside: not metered. */
	ck_assert_int_eq(emh_regex_nested_quantifier("\\b(?:share|sell)\\b[^.]{0,60}\\badvertis", NULL), 0);
	ck_assert_int_eq(emh_regex_nested_quantifier("(a+){0,5}", NULL), 0);
	ck_assert_int_eq(emh_regex_nested_quantifier("(ab)+c*", NULL), 0);
	ck_assert_int_eq(emh_regex_nested_quantifier("[(a+)]+", NULL), 0);
	ck_assert_int_eq(emh_regex_nested_quantifier("\\(a+\\)+", NULL), 0);
	ck_assert_int_eq(emh_regex_nested_quantifier("(?#(a+)+)x", NULL), 0);
	ck_assert_int_eq(emh_regex_nested_quantifier(
		"(?:(?!(?:\\b(?:not|never)\\b|n['\xe2\x80\x99]t\\b))[^.!?;\\n])*?(?:x)", NULL), 0);
}
END_TEST

START_TEST(metered_search_spends_its_budget)
{
	emh_regex re;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_regex_compile(&re, "(a+)+$", NULL, &err), 0);
	ck_assert_int_eq(re.metered, 1);
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	/* Runs of 16 letters: each start position stays under PCRE2's own limit. */
	size_t runs = 100000, len = runs * 17;
	char *t = malloc(len + 2);
	for (size_t i = 0; i < runs; i++) {
		memset(t + 17 * i, 'a', 16);
		t[17 * i + 16] = ' ';
	}
	t[len] = '!';
	t[len + 1] = '\0';
	size_t s, e;
	int rc = emh_regex_search(&re, &m, t, len + 1, &s, &e);
	ck_assert_int_eq(rc, EMH_REGEX_BUDGET_SPENT);
	char msg[300];
	emh_regex_strerror(rc, msg, sizeof msg);
	ck_assert_ptr_nonnull(strstr(msg, "regex search budget"));
	/* The budget is for the whole criterion: it stays spent until reset. */
	ck_assert_int_eq(emh_regex_search(&re, &m, "aaaa!", 5, &s, &e), EMH_REGEX_BUDGET_SPENT);
	emh_matcher_reset_budget(&m);
	ck_assert_int_eq(emh_regex_search(&re, &m, "aaaa!", 5, &s, &e), 0);
	ck_assert_int_eq(emh_regex_search(&re, &m, "x aaaa", 6, &s, &e), 1);
	free(t);
	emh_matcher_dispose(&m);
	emh_regex_dispose(&re);
}
END_TEST

/* A file under tests/ (the unit runner's directory), whole and NUL-terminated; caller frees. */
static char *slurp(const char *path, size_t *len)
{
	char *buf = NULL;
	emh_error err = EMH_ERROR_INIT;
	char msg[300];
	ck_assert_msg(emh_io_read_file(&buf, len, path, 1u << 24, &err) == 0, "%s",
	              emh_error_format(&err, msg, sizeof msg));
	return buf;
}

/*
 * MH-NOADS-01's German member, interpreted (as a build with EMH_REGEX_NO_JIT,
 * make valgrind) at the default match limit, decides example 11's German
 * policy: v9's lazy subpattern per character needed more than 10 million
 * steps there (an error); v10 walks a clause once. Not metered either: the
 * pattern has no nested unbounded repeat.
 */
START_TEST(noads_german_member_interpreted_within_default_limit)
{
	size_t clen, plen;
	char *crit = slurp("../criteria/data_protection/MH-NOADS-01.json", &clen);
	cJSON *doc = cJSON_ParseWithLength(crit, clen);
	ck_assert_ptr_nonnull(doc);
	const cJSON *members = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "check"), "and");
	const cJSON *de = NULL;
	for (int i = 0; i < cJSON_GetArraySize(members); i++) {
		const cJSON *m = cJSON_GetArrayItem(members, i);
		if (cJSON_GetObjectItem(m, "languages") && cJSON_GetObjectItem(m, "not_matches"))
			de = m;
	}
	ck_assert_msg(de != NULL, "MH-NOADS-01 has no member with languages and not_matches");
	emh_regex re;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_regex_compile(&re, cJSON_GetObjectItem(de, "not_matches")->valuestring,
	                                   cJSON_GetObjectItem(de, "flags")->valuestring, &err), 0);
	ck_assert_int_eq(re.metered, 0);
	emh_matcher m;
	ck_assert_int_eq(emh_matcher_init(&m), 0);
	char *policy = slurp("../submissions/11-ankerzeit-diga/datenschutzerklaerung.md", &plen);
	emh_textnorm n;
	ck_assert_int_eq(emh_textnorm_run(&n, policy, plen), 0);
	/* pcre2_match runs JIT code when there is some: PCRE2_NO_JIT interprets, as that build does. */
	int rc = pcre2_match(re.code, (PCRE2_SPTR)n.text, n.len, 0, PCRE2_NO_JIT, m.md, m.mctx);
	rc = rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
	char msg[300] = "";
	if (rc < 0)
		emh_regex_strerror(rc, msg, sizeof msg);
	ck_assert_msg(rc == 0, "example 11's policy: %d %s", rc, msg);
	/* The same policy with one disclosure appended: found, interpreted too. */
	const char add[] = "\n\nWir geben Ihre Nutzungsdaten an Werbepartner weiter, die nicht in der EU sitzen.\n";
	char *more = malloc(n.len + sizeof add);
	ck_assert_ptr_nonnull(more);
	memcpy(more, n.text, n.len);
	memcpy(more + n.len, add, sizeof add);
	rc = pcre2_match(re.code, (PCRE2_SPTR)more, n.len + sizeof add - 1, 0, PCRE2_NO_JIT, m.md, m.mctx);
	ck_assert_int_eq(rc, 1);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m.md);
	ck_assert_uint_ge(ov[0], n.len);
	ck_assert_ptr_nonnull(strstr(more + ov[0], "Werbepartner"));
	free(more);
	emh_textnorm_dispose(&n);
	free(policy);
	emh_matcher_dispose(&m);
	emh_regex_dispose(&re);
	cJSON_Delete(doc);
	free(crit);
}
END_TEST
Suite *emh_suite_regex(void);
Suite *emh_suite_regex(void)
{
	Suite *s = suite_create("regex");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, nested_quantifiers_detected);
	tcase_add_test(tc, metered_search_spends_its_budget);
	tcase_add_test(tc, noads_german_member_interpreted_within_default_limit);
	suite_add_tcase(s, tc);
	return s;
}
