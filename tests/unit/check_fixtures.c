/*
 * check_fixtures.c - unit tests for the fixtures gate (evaluator/gate/fixtures.c):
 * the kinds of fixture and their problems, coverage and revisions.
 *
 * Each case builds its criteria repository with the git CLI in a temporary
 * folder (the gate fixtures in helpers.h), so the gate reads real commits
 * through libgit2 as it does in use.
 */
#include <cjson/cJSON.h>
#include <string.h>
#include "emheval/emheval.h"
#define EMH_TEST_GATE_FIXTURES
#include "helpers.h"

/* ---- fixtures -------------------------------------------------------------- */

static emh_fixture_report *fixtures(const char *rev)
{
	emh_fixture_options o = EMH_FIXTURE_OPTIONS_INIT;
	o.source.repository = g_repo;
	o.source.rev = rev;
	emh_fixture_report *r = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_fixtures_run(&r, &o, &err), &err);
	return r;
}

static const emh_fixture_result *fixture(const emh_fixture_report *r, const char *name)
{
	for (size_t i = 0; i < r->nfixtures; i++) {
		const char *slash = strrchr(r->fixtures[i].file, '/');
		if (strcmp(slash + 1, name) == 0)
			return &r->fixtures[i];
	}
	ck_abort_msg("no fixture %s", name);
	return NULL;
}

START_TEST(gate_fixtures_kinds_and_problems)
{
	base_set();
	put_crit("alpha", "A-9", 1, "\"manual\": true,\n  \"guidance\": \"Look.\"");
	put("criteria/alpha/fixtures/A-1.pass.json", "{\"submission\": {\"n\": 3}}\n");
	put("criteria/alpha/fixtures/A-1.fail.json", "{\"description\": \"too many\", \"submission\": {\"n\": 30}}\n");
	put("criteria/alpha/fixtures/A-1.fail-wrong.json", "{\"submission\": {\"n\": 4}}\n");
	put("criteria/alpha/fixtures/A-1.error-type.json", "{\"submission\": {\"n\": \"3\"}}\n");
	put("criteria/alpha/fixtures/A-2.pass.json", "{\"submission\": {\"evidence\": [{\"kind\": \"policy\", \"path\": \"p.md\"}]},\n"
	    " \"evidence\": {\"p.md\": \"We RETAIN data.\"}}\n");
	/* The policy is there and says nothing of retention (a missing one would leave A-2 not evaluated). */
	put("criteria/alpha/fixtures/A-2.fail.json", "{\"submission\": {\"evidence\": [{\"kind\": \"policy\", \"path\": \"p.md\"}]}, "
	    "\"evidence\": {\"p.md\": \"We keep data.\"}}\n");
	/* B-1 requires A-1: alone, its prerequisite does not block it. */
	put("criteria/beta/fixtures/B-1.pass.json", "{\"submission\": {\"kind\": \"x\", \"flag\": true, \"n\": 99}}\n");
	put("criteria/beta/fixtures/B-1.fail.json", "{\"submission\": {\"kind\": \"x\", \"flag\": false}}\n");
	put("criteria/beta/fixtures/B-1.na.json", "{\"submission\": {\"kind\": \"y\"}}\n");
	put("criteria/beta/fixtures/B-1.pass-na.json", "{\"submission\": {\"kind\": \"y\", \"flag\": true}}\n");
	put("criteria/beta/fixtures/A-1.pass.json", "{\"submission\": {\"n\": 3}}\n");
	put("criteria/alpha/fixtures/A-9.pass.json", "{\"submission\": {}}\n");
	put("criteria/alpha/fixtures/A-9.review.json", "{\"submission\": {}}\n");
	put("criteria/alpha/fixtures/NOPE-1.fail.json", "{\"submission\": {}}\n");
	put("criteria/alpha/fixtures/A-1.maybe.json", "{\"submission\": {}}\n");
	put("criteria/alpha/fixtures/A-1.pass-bad.json", "{\"submission\": {}, \"extra\": 1}\n");
	put("criteria/alpha/fixtures/A-1.pass-json.json", "{\"submission\": {},}\n");
	commit("c");
	emh_fixture_report *r = fixtures(NULL);
	ck_assert(fixture(r, "A-1.pass.json")->ok);
	const emh_fixture_result *x = fixture(r, "A-1.fail.json");
	ck_assert(x->ok);
	ck_assert_str_eq(x->description, "too many");
	x = fixture(r, "A-1.fail-wrong.json");
	ck_assert(!x->ok);
	ck_assert_str_eq(x->label, "wrong");
	ck_assert_str_eq(x->problem, "expected fail, got pass");
	x = fixture(r, "A-1.error-type.json");
	ck_assert(!x->ok); /* "type": "integer" fails, it does not err */
	ck_assert_int_eq(x->got, EMH_OUTCOME_FAIL);
	ck_assert_uint_ge(x->nfindings, 1);
	ck_assert_str_eq(x->findings[0].pointer, "/n");
	ck_assert_uint_eq(x->findings[0].line, 1); /* located in the fixture file */
	ck_assert_uint_eq(x->findings[0].column, 22);
	ck_assert(fixture(r, "A-2.pass.json")->ok);
	ck_assert(fixture(r, "A-2.fail.json")->ok);
	ck_assert(fixture(r, "B-1.pass.json")->ok);
	ck_assert(fixture(r, "B-1.fail.json")->ok);
	ck_assert(fixture(r, "B-1.na.json")->ok);
	x = fixture(r, "B-1.pass-na.json");
	ck_assert(!x->ok);
	ck_assert_ptr_nonnull(strstr(x->problem, "applies_when does not hold"));
	ck_assert_ptr_nonnull(strstr(fixture(r, "A-1.pass.json")->file, "alpha/fixtures"));
	ck_assert_ptr_nonnull(strstr(r->fixtures[0].file, "criteria/"));
	x = NULL;
	for (size_t i = 0; i < r->nfixtures; i++)
		if (strstr(r->fixtures[i].file, "beta/fixtures/A-1.pass.json"))
			x = &r->fixtures[i];
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(strstr(x->problem, "alpha/fixtures/"));
	ck_assert_ptr_nonnull(strstr(fixture(r, "A-9.pass.json")->problem, "manual"));
	ck_assert(fixture(r, "A-9.review.json")->ok);
	ck_assert_ptr_nonnull(strstr(fixture(r, "NOPE-1.fail.json")->problem, "no criterion NOPE-1"));
	ck_assert_ptr_null(fixture(r, "A-1.maybe.json")->criterion);
	x = fixture(r, "A-1.pass-bad.json");
	ck_assert_ptr_nonnull(strstr(x->problem, "unknown key \"extra\""));
	ck_assert_uint_eq(x->line, 1);
	x = fixture(r, "A-1.pass-json.json");
	ck_assert_ptr_nonnull(strstr(x->problem, "not valid JSON"));
	ck_assert_uint_eq(x->line, 1);
	/* Coverage, B-1 have both kinds; the manual A-9 needs none. */
	ck_assert_uint_eq(r->nchecks, 3);
	ck_assert_uint_eq(r->nmissing_pass, 0);
	ck_assert_uint_eq(r->nmissing_fail, 0);
	ck_assert(!emh_fixture_report_ok(r));
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_fixtures_render(&b, r, EMH_GATE_JSON, &err), &err);
	cJSON *j = cJSON_Parse(emh_buf_cstr(&b));
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "fixtures")), (int)r->nfixtures);
	cJSON_Delete(j);
	emh_buf_dispose(&b);
	emh_fixture_report_free(r);
}
END_TEST

START_TEST(gate_fixtures_coverage_and_revisions)
{
	base_set();
	put("criteria/alpha/fixtures/A-1.pass.json", "{\"submission\": {\"n\": 3}}\n");
	put("criteria/alpha/fixtures/A-1.fail.json", "{\"submission\": {\"n\": 30}}\n");
	commit("c1");
	emh_fixture_report *r = fixtures(NULL);
	ck_assert_uint_eq(r->nbad, 0);
	ck_assert_uint_eq(r->nmissing_pass, 2); /* A-2, B-1 */
	ck_assert_uint_eq(r->nmissing_fail, 2);
	ck_assert(!emh_fixture_report_ok(r));
	emh_fixture_report_free(r);
	/* The threshold relaxed: the fail fixture no longer fails. */
	put_crit("alpha", "A-1", 2, "\"check\": {\"path\": \"/n\", \"type\": \"integer\", \"ge\": 1, \"le\": 50}");
	commit("c2");
	r = fixtures(NULL);
	ck_assert_uint_eq(r->nbad, 1);
	ck_assert_str_eq(fixture(r, "A-1.fail.json")->problem, "expected fail, got pass");
	emh_fixture_report_free(r);
	/* ...while the fixtures at the older revision still hold against it. */
	r = fixtures("HEAD~1");
	ck_assert_uint_eq(r->nbad, 0);
	emh_fixture_report_free(r);
}
END_TEST

Suite *emh_suite_fixtures(void);
Suite *emh_suite_fixtures(void)
{
	Suite *s = suite_create("fixtures");
	TCase *tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gate_fixtures_kinds_and_problems);
	tcase_add_test(tc, gate_fixtures_coverage_and_revisions);
	suite_add_tcase(s, tc);
	return s;
}
