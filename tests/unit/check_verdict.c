/*
 * check_verdict.c - unit tests for evaluator/verdict.c, from outcomes to
 * decisions: the verdict policy, one verdict per assessment profile and the
 * dossier's as the least favourable of them, conditions with their due
 * dates, the precedence of verdicts, the guard against a silent pass, and
 * the category scores with tier-dependent domain weights; on small criteria
 * sets compiled in memory (the fixtures shared with check_eval.c are in
 * helpers.h).
 *
 * JSON is written with single quotes, which dq() turns into double quotes.
 * Expected values come from the spec, worked out by hand where they are
 * numbers (day counts, scores) - never copied from a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#define EMH_TEST_EVAL_FIXTURES
#include "helpers.h"

/* A lenient policy: anything failing or erring is conditional, otherwise approved. */
static const char fw_lenient[] =
	"{'name': 'lenient', 'version': '1.0', 'effective_date': '2026-01-01',\n"
	" 'categories': [{'id': 'c1', 'title': 'One'}],\n"
	" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}],\n"
	" 'verdict_policy': {'reject': [], 'condition_days': {'blocker': 30, 'major': 60, 'minor': 90}}}\n";

/* ---- verdict and scores -------------------------------------------------------------------- */

static emh_verdict verdict_of(const char *fw, const spec *sp, size_t n, const char *sub, emh_dossier **keep)
{
	emh_criteria *c = build(fw, sp, n, 0);
	emh_dossier *d = run(c, sub);
	emh_verdict v = d->verdict;
	size_t total = 0;
	for (int o = 0; o < EMH_OUTCOME__COUNT; o++)
		total += d->counts[o];
	ck_assert_uint_eq(total, n);
	if (keep)
		*keep = d;
	else
		emh_dossier_free(d);
	emh_criteria_free(c);
	return v;
}

/* The one profile's verdict, lists checked by the caller through keep. */
START_TEST(eval_verdict_policy)
{
	spec blocker_fail[] = { { "V-1", "blocker", "'check': " F, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, blocker_fail, 2, L, NULL), EMH_VERDICT_REJECTED);
	/* An error or not_evaluated of a blocker/major is incomplete, not rejected. */
	spec major_error[] = { { "V-1", "major", "'check': " E, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	emh_dossier *d = NULL;
	ck_assert_int_eq(verdict_of(fw_default, major_error, 2, L, &d), EMH_VERDICT_INCOMPLETE);
	ck_assert_uint_eq(d->profiles[0].nincomplete, 1);
	ck_assert_str_eq(d->profiles[0].incomplete[0], "V-1");
	emh_dossier_free(d);
	spec all_pass[] = { { "V-1", "blocker", "'check': " P, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, all_pass, 2, L, NULL), EMH_VERDICT_APPROVED);
	/* Advisory results never move a verdict: not when failing, not when awaiting review. */
	spec adv[] = { { "V-1", "advisory", "'check': " R, NULL }, { "V-2", "advisory", "'check': " F, NULL },
	               { "V-3", "advisory", "'check': " E, NULL }, { "V-4", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, adv, 4, L, NULL), EMH_VERDICT_APPROVED);
	/* A minor check needing review does not hold approval back; a blocker one does. */
	spec minor_review[] = { { "V-1", "minor", "'check': " R, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, minor_review, 2, L, NULL), EMH_VERDICT_APPROVED);
	spec unknown_blocker[] = { { "V-1", "blocker", "'check': " R, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, unknown_blocker, 2, L, &d), EMH_VERDICT_AWAITING_REVIEW);
	ck_assert_str_eq(d->profiles[0].awaiting_review[0], "V-1");
	emh_dossier_free(d);
	/* Manual blockers await a decision too. */
	spec manual[] = { { "V-1", "blocker", "'manual': true, 'guidance': 'g'", NULL },
	                  { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, manual, 2, L, NULL), EMH_VERDICT_AWAITING_REVIEW);
	/* A not-applicable blocker failure is no failure. */
	spec na[] = { { "V-1", "blocker", "'applies_when': " F ", 'check': " F, NULL },
	              { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, na, 2, L, &d), EMH_VERDICT_APPROVED);
	ck_assert_uint_eq(d->counts[EMH_OUTCOME_NOT_APPLICABLE], 1);
	ck_assert_uint_eq(d->counts[EMH_OUTCOME_PASS], 1);
	emh_dossier_free(d);
}
END_TEST

/* Conditions: each minor gap with its fix and a due date as_of + the policy's days. */
START_TEST(eval_verdict_conditions)
{
	spec sp[] = { { "V-1", "minor", "'check': " F, NULL },
	              { "V-2", NULL, "'requires': ['V-1'], 'check': " P, NULL },
	              { "V-3", NULL, "'check': " P, NULL } };
	emh_criteria *c = build(fw_default, sp, 3, 0);
	emh_dossier *d = run_opts(c, L, "2026-11-20", 1);
	ck_assert_int_eq(d->verdict, EMH_VERDICT_CONDITIONAL);
	const emh_profile_verdict *p = &d->profiles[0];
	ck_assert_uint_eq(p->nconditions, 2);
	ck_assert_str_eq(p->conditions[0].criterion, "V-1");
	ck_assert_str_eq(p->conditions[0].fix, "Fix V-1.");
	ck_assert_str_eq(p->conditions[0].due, "2027-02-18"); /* 90 days, across the year end */
	ck_assert_int_eq(p->conditions[0].severity, EMH_SEVERITY_MINOR);
	/* not_evaluated: the fix is why it could not be evaluated. */
	ck_assert_str_eq(p->conditions[1].criterion, "V-2");
	ck_assert_ptr_nonnull(p->conditions[1].fix);
	ck_assert_ptr_nonnull(strstr(p->conditions[1].fix, "V-1"));
	emh_dossier_free(d);
	/* Without an evaluation date there is no due date, and the condition stays. */
	d = run(c, L);
	ck_assert_int_eq(d->verdict, EMH_VERDICT_CONDITIONAL);
	ck_assert_ptr_null(d->profiles[0].conditions[0].due);
	emh_dossier_free(d);
	emh_criteria_free(c);
	/* A policy's own days. */
	static const char fw_days[] =
		"{'name': 'days', 'version': '1.0', 'effective_date': '2026-01-01',\n"
		" 'categories': [{'id': 'c1', 'title': 'One'}],\n"
		" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}],\n"
		" 'verdict_policy': {'reject': ['blocker'], 'condition_days': {'major': 30, 'minor': 180}}}\n";
	spec mj[] = { { "V-1", "major", "'check': " F, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	c = build(fw_days, mj, 2, 0);
	d = run_opts(c, L, "2026-01-31", 1);
	ck_assert_int_eq(d->verdict, EMH_VERDICT_CONDITIONAL);
	ck_assert_str_eq(d->profiles[0].conditions[0].due, "2026-03-02");
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

/* Precedence: returned > rejected > incomplete > awaiting_review > conditional > approved. */
START_TEST(eval_verdict_precedence)
{
	static const char fw_int[] =
		"{'name': 'int', 'version': '1.0', 'effective_date': '2026-01-01',\n"
		" 'categories': [{'id': 'c1', 'title': 'One'}],\n"
		" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}],\n"
		" 'verdict_policy': {'integrity': ['V-1']}}\n";
	/* The integrity criterion failed: returned (resubmit), though a blocker also failed. */
	spec ret[] = { { "V-1", "blocker", "'check': " F, NULL }, { "V-2", "blocker", "'check': " F, NULL },
	               { "V-3", NULL, "'check': " P, NULL } };
	emh_dossier *d = NULL;
	ck_assert_int_eq(verdict_of(fw_int, ret, 3, L, &d), EMH_VERDICT_RETURNED);
	ck_assert_uint_eq(d->profiles[0].nreturned, 1);
	ck_assert_str_eq(d->profiles[0].returned[0], "V-1");
	ck_assert_uint_eq(d->profiles[0].nrejected, 1);
	ck_assert_str_eq(d->profiles[0].rejected[0], "V-2");
	emh_dossier_free(d);
	/* rejected beats incomplete and awaiting review */
	spec rej[] = { { "V-1", "blocker", "'check': " F, NULL }, { "V-2", "major", "'check': " E, NULL },
	               { "V-3", "major", "'manual': true, 'guidance': 'g'", NULL } };
	ck_assert_int_eq(verdict_of(fw_default, rej, 3, L, NULL), EMH_VERDICT_REJECTED);
	/* incomplete beats awaiting review */
	spec inc[] = { { "V-1", "major", "'check': " E, NULL }, { "V-2", "major", "'manual': true, 'guidance': 'g'", NULL },
	               { "V-3", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, inc, 3, L, NULL), EMH_VERDICT_INCOMPLETE);
	/* awaiting review beats conditional */
	spec aw[] = { { "V-1", "minor", "'check': " F, NULL }, { "V-2", "major", "'manual': true, 'guidance': 'g'", NULL },
	              { "V-3", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, aw, 3, L, &d), EMH_VERDICT_AWAITING_REVIEW);
	ck_assert_uint_eq(d->profiles[0].nconditions, 1); /* still listed */
	emh_dossier_free(d);
	/* The names and the ranking. */
	ck_assert_str_eq(emh_verdict_name(EMH_VERDICT_AWAITING_REVIEW), "awaiting_review");
	ck_assert_str_eq(emh_verdict_name(EMH_VERDICT_RETURNED), "returned");
	emh_verdict v;
	ck_assert_int_eq(emh_verdict_parse(&v, "returned"), 0);
	ck_assert_int_eq(v, EMH_VERDICT_RETURNED);
	ck_assert_int_gt(emh_verdict_rank(EMH_VERDICT_REJECTED), emh_verdict_rank(EMH_VERDICT_RETURNED));
	ck_assert_int_gt(emh_verdict_rank(EMH_VERDICT_RETURNED), emh_verdict_rank(EMH_VERDICT_INCOMPLETE));
	ck_assert_int_gt(emh_verdict_rank(EMH_VERDICT_INCOMPLETE), emh_verdict_rank(EMH_VERDICT_AWAITING_REVIEW));
	ck_assert_int_gt(emh_verdict_rank(EMH_VERDICT_AWAITING_REVIEW), emh_verdict_rank(EMH_VERDICT_CONDITIONAL));
	ck_assert_int_gt(emh_verdict_rank(EMH_VERDICT_CONDITIONAL), emh_verdict_rank(EMH_VERDICT_APPROVED));
}
END_TEST

/* Two jurisdictions: U-* count for uk, G-* for de, S-1 for both; and an any-market label. */
static const char fw_profiles[] =
	"{'name': 'profiles', 'version': '1.0', 'effective_date': '2026-01-01',\n"
	" 'categories': [{'id': 'c1', 'title': 'One'}],\n"
	" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}],\n"
	" 'profiles': [\n"
	"  {'id': 'uk', 'title': 'UK', 'markets': ['GB'], 'families': ['REF U-1', 'REF S-1']},\n"
	"  {'id': 'de', 'title': 'DE', 'markets': ['DE', 'AT'], 'families': ['REF G-1', 'REF S-1']},\n"
	"  {'id': 'label', 'title': 'Label', 'markets': ['*'], 'include': ['S-1']}]}\n";

static emh_dossier *run_profiles(const emh_criteria *c, const char *sub, const char *override)
{
	char *json = dq(sub);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_buffer(&s, json, strlen(json), NULL, emh_test_unvalidated(), &err), &err);
	emh_eval_options o = EMH_EVAL_OPTIONS_INIT;
	o.profiles = override;
	emh_dossier *d = NULL;
	int rc = emh_evaluate(&d, c, s, &o, &err);
	emh_submission_free(s);
	free(json);
	return rc ? NULL : d;
}

static emh_verdict profile_verdict(const emh_dossier *d, const char *id)
{
	for (size_t k = 0; k < d->nprofiles; k++)
		if (strcmp(d->profiles[k].id, id) == 0)
			return d->profiles[k].verdict;
	ck_abort_msg("no profile %s", id);
	return EMH_VERDICT__COUNT;
}

START_TEST(eval_verdict_per_profile)
{
	/* G-1 (a German-only blocker) fails: rejected for de, not for uk. */
	spec sp[] = { { "U-1", "blocker", "'check': " P, NULL }, { "G-1", "blocker", "'check': " F, NULL },
	              { "S-1", "major", "'check': " P, NULL } };
	emh_criteria *c = build(fw_profiles, sp, 3, 0);
	emh_dossier *d = run_profiles(c, "{'one': 1, 'app': {'markets': ['GB', 'DE']}}", NULL);
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->nprofiles, 2);
	ck_assert_str_eq(d->profiles[0].id, "uk");
	ck_assert_int_eq(profile_verdict(d, "uk"), EMH_VERDICT_APPROVED);
	ck_assert_int_eq(profile_verdict(d, "de"), EMH_VERDICT_REJECTED);
	ck_assert_uint_eq(d->profiles[0].ncriteria, 2); /* S-1, U-1 */
	/* the dossier's verdict: the least favourable */
	ck_assert_int_eq(d->verdict, EMH_VERDICT_REJECTED);
	emh_dossier_free(d);
	/* Only the UK market: only uk, approved. */
	d = run_profiles(c, "{'one': 1, 'app': {'markets': ['GB']}}", NULL);
	ck_assert_uint_eq(d->nprofiles, 1);
	ck_assert_int_eq(d->verdict, EMH_VERDICT_APPROVED);
	emh_dossier_free(d);
	/* Named in the submission, then overridden by --profile. */
	d = run_profiles(c, "{'one': 1, 'app': {'markets': ['GB']}, 'profiles': ['de']}", NULL);
	ck_assert_uint_eq(d->nprofiles, 1);
	ck_assert_str_eq(d->profiles[0].id, "de");
	emh_dossier_free(d);
	d = run_profiles(c, "{'one': 1, 'profiles': ['de']}", "label,uk");
	ck_assert_uint_eq(d->nprofiles, 2);
	ck_assert_str_eq(d->profiles[0].id, "label");
	ck_assert_int_eq(d->verdict, EMH_VERDICT_APPROVED);
	emh_dossier_free(d);
	/* No market matches (or none given): the any-market profiles. */
	d = run_profiles(c, "{'one': 1, 'app': {'markets': ['US']}}", NULL);
	ck_assert_uint_eq(d->nprofiles, 1);
	ck_assert_str_eq(d->profiles[0].id, "label");
	emh_dossier_free(d);
	d = run_profiles(c, "{'one': 1}", NULL);
	ck_assert_str_eq(d->profiles[0].id, "label");
	emh_dossier_free(d);
	/* Unknown ids are errors, from the submission and from --profile. */
	ck_assert_ptr_null(run_profiles(c, "{'one': 1, 'profiles': ['fr']}", NULL));
	ck_assert_ptr_null(run_profiles(c, "{'one': 1}", "uk,fr"));
	ck_assert_ptr_null(run_profiles(c, "{'one': 1}", "uk,"));
	ck_assert_ptr_null(run_profiles(c, "{'one': 1, 'profiles': []}", NULL));
	emh_criteria_free(c);
	/* No profile for the markets and none for any market: refused, never judged by nothing. */
	static const char fw_uk_only[] =
		"{'name': 'uk', 'version': '1.0', 'effective_date': '2026-01-01',\n"
		" 'categories': [{'id': 'c1', 'title': 'One'}],\n"
		" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}],\n"
		" 'profiles': [{'id': 'uk', 'title': 'UK', 'markets': ['GB'], 'families': ['REF U-1']}]}\n";
	c = build(fw_uk_only, sp, 1, 0);
	ck_assert_ptr_null(run_profiles(c, "{'one': 1, 'app': {'markets': ['US']}}", NULL));
	d = run_profiles(c, "{'one': 1, 'app': {'markets': ['US']}}", "uk");
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(d->verdict, EMH_VERDICT_APPROVED);
	emh_dossier_free(d);
	emh_criteria_free(c);
}
END_TEST

START_TEST(eval_verdict_no_silent_pass)
{
	/* Nothing applied: incomplete, whatever the (lenient) policy says. */
	spec none_applied[] = { { "V-1", NULL, "'applies_when': " F ", 'check': " P, NULL },
	                        { "V-2", NULL, "'applies_when': " F ", 'check': " F, NULL } };
	emh_dossier *d = NULL;
	ck_assert_int_eq(verdict_of(fw_lenient, none_applied, 2, L, &d), EMH_VERDICT_INCOMPLETE);
	ck_assert_uint_eq(d->counts[EMH_OUTCOME_NOT_APPLICABLE], 2);
	emh_dossier_free(d);
	ck_assert_int_eq(verdict_of(fw_default, none_applied, 2, L, NULL), EMH_VERDICT_INCOMPLETE);
	/* Every applicable result is an error: incomplete (the lenient policy says conditional). */
	spec all_errors[] = { { "V-1", NULL, "'check': " E, NULL }, { "V-2", NULL, "'check': " E, NULL },
	                      { "V-3", NULL, "'applies_when': " F ", 'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_lenient, all_errors, 3, L, &d), EMH_VERDICT_INCOMPLETE);
	ck_assert_uint_eq(d->counts[EMH_OUTCOME_ERROR], 2);
	emh_dossier_free(d);
	/* Some errors and a pass: the policy decides. */
	spec some_errors[] = { { "V-1", NULL, "'check': " E, NULL }, { "V-2", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_lenient, some_errors, 2, L, NULL), EMH_VERDICT_CONDITIONAL);
	/* A single criterion that passes is approved. */
	spec one[] = { { "V-1", NULL, "'check': " P, NULL } };
	ck_assert_int_eq(verdict_of(fw_lenient, one, 1, L, NULL), EMH_VERDICT_APPROVED);
}
END_TEST

/*
 * Scores: 100 x sum(w*s) over passes / sum(w*s) over pass, fail, error and
 * not_evaluated; severity weights blocker 4, major 3, minor 2, advisory 1.
 */
START_TEST(eval_scores)
{
	spec sp[] = {
		{ "S-1", "advisory", "'check': " P, NULL },                      /* 1, passes */
		{ "S-2", "major", "'check': " F, NULL },                         /* 3 */
		{ "S-3", "blocker", "'check': " E, NULL },                       /* 4 */
		{ "S-4", "blocker", "'manual': true, 'guidance': 'g'", NULL },   /* not counted */
		{ "S-5", "blocker", "'applies_when': " F ", 'check': " F, NULL },/* not counted */
		{ "S-6", "blocker", "'check': " R, NULL },                       /* not counted */
		{ "S-7", "minor", "'check': " P, "e" },                          /* category c2 */
	};
	emh_dossier *d = NULL;
	verdict_of(fw_default, sp, 7, L, &d);
	ck_assert_uint_eq(d->nscores, 3);
	ck_assert_str_eq(d->scores[0].category, "c1");
	ck_assert_str_eq(d->scores[0].title, "One");
	ck_assert_int_eq(d->scores[0].score, 13); /* 100 * 1/8 = 12.5, rounded half up */
	ck_assert_int_eq(d->scores[1].score, 100);
	ck_assert_int_eq(d->scores[2].score, -1); /* nothing counted */
	emh_dossier_free(d);
	/*
	 * Domain weights: d weighs 1 by default and 3 for tier C; f is not listed
	 * (1). An advisory pass in d against a major failure in f is 1/(1+3) =
	 * 25 by default and 3/(3+3) = 50 for tier C.
	 */
	spec sp2[] = {
		{ "S-1", "advisory", "'check': " P, NULL },
		{ "S-2", "major", "'check': " F, "f" },
		{ "S-3", "minor", "'check': " F, "e" },
		{ "S-4", "minor", "'check': " P, "e" },
	};
	verdict_of(fw_default, sp2, 4, L, &d);
	ck_assert_ptr_null(d->tier);
	ck_assert_int_eq(d->scores[0].score, 25);
	ck_assert_int_eq(d->scores[1].score, 50);
	emh_dossier_free(d);
	char *sub = malloc(strlen(L) + 32);
	ck_assert_ptr_nonnull(sub);
	snprintf(sub, strlen(L) + 32, "{'risk_tier': 'C', %s", L + 1);
	verdict_of(fw_default, sp2, 4, sub, &d);
	ck_assert_str_eq(d->tier, "C");
	ck_assert_int_eq(d->scores[0].score, 50);
	ck_assert_int_eq(d->scores[1].score, 50); /* e weighs 1 for every tier */
	emh_dossier_free(d);
	free(sub);
}
END_TEST

/*
 * The guard turns into incomplete only a submission for which nothing applied
 * or every applicable result is an error (and an "approved" with no pass at
 * all); otherwise the policy decides, so only minor failures are conditional.
 */
START_TEST(eval_verdict_policy_decides_without_passes)
{
	spec sp[] = { { "V-1", "minor", "'check': " F, NULL }, { "V-2", "minor", "'check': " F, NULL } };
	ck_assert_int_eq(verdict_of(fw_default, sp, 2, L, NULL), EMH_VERDICT_CONDITIONAL);
	spec mixed[] = { { "V-1", "minor", "'check': " F, NULL }, { "V-2", "minor", "'check': " E, NULL } };
	ck_assert_int_eq(verdict_of(fw_lenient, mixed, 2, L, NULL), EMH_VERDICT_CONDITIONAL);
}
END_TEST

Suite *emh_suite_verdict(void);
Suite *emh_suite_verdict(void)
{
	Suite *s = suite_create("verdict");
	TCase *tc = tcase_create("verdict");
	tcase_add_test(tc, eval_verdict_policy);
	tcase_add_test(tc, eval_verdict_conditions);
	tcase_add_test(tc, eval_verdict_precedence);
	tcase_add_test(tc, eval_verdict_per_profile);
	tcase_add_test(tc, eval_verdict_no_silent_pass);
	tcase_add_test(tc, eval_scores);
	tcase_add_test(tc, eval_verdict_policy_decides_without_passes);
	suite_add_tcase(s, tc);
	return s;
}
