/*
 * check_impact.c - unit tests for the impact gate (evaluator/gate/impact.c,
 * impact_weakened.c, reports/gate/gate_impact.c): outcomes that flip between
 * two revisions, weakenings named, inert Markdown, and a ledger's filings that
 * cannot be evaluated again listed apart.
 *
 * Each case builds its criteria repository with the git CLI in a temporary
 * folder (the gate fixtures in helpers.h), so the gate reads real commits
 * through libgit2 as it does in use.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>
#include "emheval/emheval.h"
#define EMH_TEST_GATE_FIXTURES
#include "helpers.h"

/* ---- impact ---------------------------------------------------------------- */

/* A submission folder with a policy that passes A-2; json is spliced into its object. */
static void put_sub(const char *name, const char *json)
{
	char rel[256], text[1024];
	snprintf(rel, sizeof rel, "portfolio/%s/p.md", name);
	put(rel, "We retain data for a year.\n");
	snprintf(rel, sizeof rel, "portfolio/%s/submission.json", name);
	/* A valid submission (the schema's core members); json adds the rest. */
	snprintf(text, sizeof text, "{\"schema\": \"emheval/submission/1\", \"submission_date\": \"2026-01-01\", "
	         "\"risk_tier\": \"A\", \"evidence\": [{\"kind\": \"policy\", \"path\": \"p.md\", "
	         "\"sha256\": \"%s\"}], %s", "79a8b8626f5bf3dc622e31a601fe67e7a0e669ef25b9192a47536f8aa0545288", json);
	put(rel, text);
}

static emh_impact_report *impact(const char *from, const char *to, unsigned jobs)
{
	emh_impact_options o = EMH_IMPACT_OPTIONS_INIT;
	o.repository = g_repo;
	o.from = from;
	o.to = to;
	o.jobs = jobs;
	char portfolio[4300];
	snprintf(portfolio, sizeof portfolio, "%s/portfolio", g_repo);
	const char *paths[] = { portfolio };
	emh_impact_report *r = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_impact(&r, &o, paths, 1, &err), &err);
	return r;
}

START_TEST(gate_impact_flips)
{
	base_set();
	put_sub("s1", "\"n\": 3, \"app\": {\"id\": \"one\", \"version\": \"1\", \"name\": \"One\"}}");
	put_sub("s2", "\"n\": 8, \"app\": {\"id\": \"two\", \"version\": \"1\", \"name\": \"Two\"}}");
	put_sub("s3", "\"n\": 9, \"app\": {\"id\": \"three\", \"version\": \"1\", \"name\": \"Three\"}, \"kind\": \"x\", \"flag\": true}");
	put_sub("s4", "\"n\": ");
	commit("v1");
	/* Tighten A-1 to le 7 (flips s2 and s3), reword A-2, add C-1 (fails nowhere), drop B-1. */
	put_crit("alpha", "A-1", 2, "\"check\": {\"path\": \"/n\", \"type\": \"integer\", \"ge\": 1, \"le\": 7}");
	ck_assert_int_eq(emh_test_sh("cd '%s' && sed -i 's/Title of A-2/Retention stated/' criteria/alpha/A-2.json && "
	                             "git rm -q criteria/beta/B-1.json", g_repo), 0);
	put_crit("alpha", "C-1", 1, "\"applies_when\": {\"path\": \"/never\", \"exists\": true},\n"
	         "  \"check\": {\"path\": \"/x\", \"exists\": true}");
	commit("v2");
	emh_impact_report *r = impact("HEAD~1", "HEAD", 3);
	ck_assert_str_eq(r->from_version, "1.0.0");
	ck_assert_uint_eq(r->ncriteria, 4);
	ck_assert_str_eq(r->criteria[0].id, "A-1");
	ck_assert_int_eq(r->criteria[0].kind, EMH_CHANGE_CHANGED);
	ck_assert_int_eq(r->criteria[0].version_from, 1);
	ck_assert_int_eq(r->criteria[0].version_to, 2);
	ck_assert_str_eq(r->criteria[0].keys, "version, check");
	ck_assert(!r->criteria[0].wording_only);
	ck_assert_ptr_null(r->criteria[0].references); /* its references did not change */
	ck_assert_ptr_null(r->framework_references);
	ck_assert_str_eq(r->criteria[1].id, "A-2");
	ck_assert(r->criteria[1].wording_only);
	ck_assert_str_eq(r->criteria[2].id, "B-1");
	ck_assert_int_eq(r->criteria[2].kind, EMH_CHANGE_REMOVED);
	ck_assert_str_eq(r->criteria[3].id, "C-1");
	ck_assert_int_eq(r->criteria[3].kind, EMH_CHANGE_ADDED);
	ck_assert_uint_eq(r->nsubmissions, 4);
	ck_assert_uint_eq(r->nerrors, 1);
	ck_assert_ptr_nonnull(r->submissions[3].error);
	ck_assert(!r->submissions[0].changed);
	ck_assert_str_eq(r->submissions[0].name, "One");
	const emh_submission_impact *s = &r->submissions[1];
	ck_assert(s->changed);
	ck_assert_int_eq(s->from, EMH_VERDICT_APPROVED);
	ck_assert_int_eq(s->to, EMH_VERDICT_REJECTED);
	ck_assert_uint_eq(s->nchanges, 1);
	ck_assert_str_eq(s->changes[0].criterion, "A-1");
	ck_assert_int_eq(s->changes[0].from, EMH_OUTCOME_PASS);
	ck_assert_int_eq(s->changes[0].to, EMH_OUTCOME_FAIL);
	ck_assert_ptr_nonnull(strstr(s->changes[0].detail, "found 8"));
	/* s3: A-1 fails now, and B-1 (which passed) is gone. */
	s = &r->submissions[2];
	ck_assert_uint_eq(s->nchanges, 2);
	ck_assert_str_eq(s->changes[1].criterion, "B-1");
	ck_assert(s->changes[1].has_from && !s->changes[1].has_to);
	ck_assert_uint_eq(r->nchanged, 2);
	ck_assert_uint_eq(r->nnewly_rejected, 2);
	/* The same report whatever the number of workers. */
	emh_impact_report *r1 = impact("HEAD~1", "HEAD", 1);
	emh_buf a = EMH_BUF_INIT, b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_impact_render(&a, r, EMH_GATE_JSON, &err), &err);
	EMH_PASS(emh_impact_render(&b, r1, EMH_GATE_JSON, &err), &err);
	ck_assert_str_eq(emh_buf_cstr(&a), emh_buf_cstr(&b));
	cJSON *j = cJSON_Parse(emh_buf_cstr(&a));
	ck_assert_ptr_nonnull(j);
	cJSON_Delete(j);
	emh_buf_dispose(&a);
	emh_buf_dispose(&b);
	emh_impact_report_free(r1);
	emh_impact_report_free(r);
	/* Unknown revisions are errors, not reports. */
	emh_impact_options o = EMH_IMPACT_OPTIONS_INIT;
	o.repository = g_repo;
	o.from = "HEAD";
	o.to = "no-such";
	const char *paths[] = { g_repo };
	emh_impact_report *none = NULL;
	ck_assert_int_eq(emh_impact(&none, &o, paths, 1, &err), EMH_ENOTFOUND);
	ck_assert_ptr_null(none);
	o.to = NULL;
	ck_assert_int_eq(emh_impact(&none, &o, paths, 1, &err), EMH_EINVALID);
}
END_TEST

/* Each weakening named, the rest not: emh_impact_weakened reads only the report. */
static void count_weak(const char *criterion, emh_severity sev, const char *sub, const char *how, void *payload)
{
	(void)sev;
	emh_buf *b = payload;
	emh_buf_appendf(b, "%s@%s:%s;", criterion, sub ? sub : "-", how);
}

START_TEST(gate_impact_weakened)
{
	emh_criterion_change cc[] = {
		{ .id = "B-GONE", .kind = EMH_CHANGE_REMOVED, .severity = EMH_SEVERITY_BLOCKER, .severity_from = EMH_SEVERITY_BLOCKER },
		{ .id = "M-LOW", .kind = EMH_CHANGE_CHANGED, .severity = EMH_SEVERITY_MINOR, .severity_from = EMH_SEVERITY_MAJOR },
		{ .id = "M-UP", .kind = EMH_CHANGE_CHANGED, .severity = EMH_SEVERITY_BLOCKER, .severity_from = EMH_SEVERITY_MAJOR },
		{ .id = "N-GONE", .kind = EMH_CHANGE_REMOVED, .severity = EMH_SEVERITY_MINOR, .severity_from = EMH_SEVERITY_MINOR },
		{ .id = "B-NEW", .kind = EMH_CHANGE_ADDED, .severity = EMH_SEVERITY_BLOCKER, .severity_from = EMH_SEVERITY_BLOCKER },
	};
	emh_outcome_change ch[] = {
		{ .criterion = "B-GONE", .severity_from = EMH_SEVERITY_BLOCKER, .has_from = 1, .from = EMH_OUTCOME_PASS },
		{ .criterion = "M-NA", .severity_from = EMH_SEVERITY_MAJOR, .has_from = 1, .has_to = 1,
		  .from = EMH_OUTCOME_PASS, .to = EMH_OUTCOME_NOT_APPLICABLE },
		{ .criterion = "M-OK", .severity_from = EMH_SEVERITY_MAJOR, .has_from = 1, .has_to = 1,
		  .from = EMH_OUTCOME_FAIL, .to = EMH_OUTCOME_PASS },
		{ .criterion = "M-STRICT", .severity_from = EMH_SEVERITY_MAJOR, .has_from = 1, .has_to = 1,
		  .from = EMH_OUTCOME_PASS, .to = EMH_OUTCOME_FAIL },
		{ .criterion = "N-OK", .severity_from = EMH_SEVERITY_MINOR, .has_from = 1, .has_to = 1,
		  .from = EMH_OUTCOME_FAIL, .to = EMH_OUTCOME_PASS },
	};
	emh_submission_impact s = { .path = "sub", .changes = ch, .nchanges = 5 };
	emh_impact_report r;
	memset(&r, 0, sizeof r);
	r.criteria = cc;
	r.ncriteria = 5;
	r.submissions = &s;
	r.nsubmissions = 1;
	emh_buf b = EMH_BUF_INIT;
	ck_assert_uint_eq(emh_impact_weakened(&r, count_weak, &b), 4);
	ck_assert_str_eq(emh_buf_cstr(&b), "B-GONE@-:removed;M-LOW@-:severity lowered to minor;"
	                 "M-NA@sub:no longer applies (was pass);M-OK@sub:relaxed: fail -> pass;");
	ck_assert_uint_eq(emh_impact_weakened(NULL, NULL, NULL), 0);
	emh_buf_dispose(&b);
}
END_TEST

START_TEST(gate_impact_markdown_is_inert)
{
	emh_outcome_change ch = { "A-1", EMH_SEVERITY_MAJOR, 1, 1, EMH_OUTCOME_PASS, EMH_OUTCOME_FAIL,
	                          "<img src=x onerror=alert(1)> | ![x](https://evil.example/t.png) @everyone",
	                          EMH_SEVERITY_MAJOR };
	emh_submission_impact s = { "evil|<b>/`x`", "**Bold** <script>alert(1)</script>\n# heading", NULL,
	                            EMH_VERDICT_APPROVED, EMH_VERDICT_REJECTED, 1, &ch, 1, NULL };
	emh_criterion_change cc = { "A-1", EMH_CHANGE_CHANGED, 1, 2, "t <i>", EMH_SEVERITY_MAJOR, 0, "check", 0,
	                            "-DTAC <b>C1</b>, +[C2](https://evil.example/)", EMH_SEVERITY_MAJOR };
	emh_impact_report r;
	memset(&r, 0, sizeof r);
	r.repository = ".";
	r.criteria_path = "criteria";
	r.from = "main";
	r.to = "HEAD";
	r.from_commit = r.to_commit = "0123456789abcdef0123456789abcdef01234567";
	r.from_version = r.to_version = "1.0.0";
	r.framework_references = "1 added <img src=x>";
	r.criteria = &cc;
	r.ncriteria = 1;
	r.submissions = &s;
	r.nsubmissions = 1;
	r.nchanged = r.nverdict_changed = r.nnewly_rejected = 1;
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_MARKDOWN, &err), &err);
	const char *md = emh_buf_cstr(&b);
	const char *banned[] = { "<img", "<script", "<b>", "](https", " @everyone", "**Bold**", "\n# heading",
	                         "evil|", "`x`" };
	for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
		ck_assert_msg(!strstr(md, banned[i]), "raw \"%s\" in:\n%s", banned[i], md);
	ck_assert_ptr_nonnull(strstr(md, "&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(md, "approved → **rejected**"));
	ck_assert_msg(strstr(md, "(references: ") && strstr(md, "&lt;b&gt;C1"), "references shown escaped in:\n%s", md);
	emh_buf_dispose(&b);
	/* Text: the line break inside the name does not start a line of its own. */
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_TEXT, &err), &err);
	ck_assert_ptr_null(strstr(emh_buf_cstr(&b), "\n# heading"));
	ck_assert_ptr_nonnull(strstr(emh_buf_cstr(&b), "\n           references: -DTAC <b>C1</b>, +[C2]"));
	ck_assert_ptr_nonnull(strstr(emh_buf_cstr(&b), "\n  references catalogue: 1 added"));
	emh_buf_dispose(&b);
	/* JSON carries both. */
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_JSON, &err), &err);
	cJSON *j = cJSON_Parse(emh_buf_cstr(&b));
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "framework_references")->valuestring, "1 added <img src=x>");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "criteria"), 0),
	                                     "references_change")->valuestring,
	                 "-DTAC <b>C1</b>, +[C2](https://evil.example/)");
	cJSON_Delete(j);
	emh_buf_dispose(&b);
}
END_TEST

/* impact --ledger: a filing not evaluated again is listed (never dropped), counted apart, and its vendor-given
 * app id stays inert in Markdown. */
START_TEST(gate_impact_ledger_lists_not_reevaluable)
{
	emh_submission_impact s[2];
	memset(s, 0, sizeof s);
	s[0].path = "org.ok 1.0 (ledger filing 1)";
	s[0].from = s[0].to = EMH_VERDICT_APPROVED;
	s[1].path = "<img src=x>|`evil` 2.0 (ledger filing 2)";
	s[1].not_reevaluable = "submission not stored";
	emh_impact_report r;
	memset(&r, 0, sizeof r);
	r.repository = ".";
	r.criteria_path = "criteria";
	r.from = "main";
	r.to = "HEAD";
	r.from_commit = r.to_commit = "0123456789abcdef0123456789abcdef01234567";
	r.from_version = r.to_version = "1.0.0";
	r.ledger = "ledger.git";
	r.submissions = s;
	r.nsubmissions = 2;
	r.nnot_reevaluable = 1;
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_TEXT, &err), &err);
	const char *t = emh_buf_cstr(&b);
	ck_assert_msg(strstr(t, "filings: 1 evaluated, 0 changed (0 verdicts, 0 newly rejected), 1 not re-evaluable\n"),
	              "summary in:\n%s", t);
	ck_assert_msg(strstr(t, "2.0 (ledger filing 2): not re-evaluable (submission not stored)\n"), "listed in:\n%s", t);
	emh_buf_dispose(&b);
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_MARKDOWN, &err), &err);
	const char *md = emh_buf_cstr(&b);
	ck_assert_msg(!strstr(md, "<img") && !strstr(md, "|`evil`"), "raw vendor text in:\n%s", md);
	ck_assert_msg(strstr(md, "#### Filings that could not be evaluated again") &&
	              strstr(md, "not re-evaluable (submission not stored)"), "listed in:\n%s", md);
	emh_buf_dispose(&b);
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_JSON, &err), &err);
	cJSON *j = cJSON_Parse(emh_buf_cstr(&b));
	ck_assert_ptr_nonnull(j);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "ledger")->valuestring, "ledger.git");
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "summary"), "not_reevaluable")->valueint, 1);
	const cJSON *second = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "submissions"), 1);
	ck_assert_str_eq(cJSON_GetObjectItem(second, "not_reevaluable")->valuestring, "submission not stored");
	ck_assert_ptr_null(cJSON_GetObjectItem(second, "verdict_to"));
	cJSON_Delete(j);
	emh_buf_dispose(&b);
	/* Without a ledger, the report keeps its layout: no ledger member, no not_reevaluable count. */
	r.ledger = NULL;
	r.nsubmissions = 1;
	r.nnot_reevaluable = 0;
	EMH_PASS(emh_impact_render(&b, &r, EMH_GATE_JSON, &err), &err);
	ck_assert_ptr_null(strstr(emh_buf_cstr(&b), "not_reevaluable"));
	ck_assert_ptr_null(strstr(emh_buf_cstr(&b), "\"ledger\""));
	emh_buf_dispose(&b);
}
END_TEST

Suite *emh_suite_impact(void);
Suite *emh_suite_impact(void)
{
	Suite *s = suite_create("impact");
	TCase *tc = tcase_create("impact");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gate_impact_ledger_lists_not_reevaluable);
	tcase_add_test(tc, gate_impact_flips);
	tcase_add_test(tc, gate_impact_markdown_is_inert);
	tcase_add_test(tc, gate_impact_weakened);
	suite_add_tcase(s, tc);
	return s;
}
