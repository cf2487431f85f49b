/*
 * check_lint.c - unit tests for the lint gate (evaluator/gate/lint.c and its
 * renderers, reports/gate/gate_lint.c): a clean set, types and references,
 * lint against an older revision (stale numbers, versions), and the rendered
 * findings.
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

static emh_lint_report *lint(const char *rev, const char *against)
{
	emh_lint_options o = EMH_LINT_OPTIONS_INIT;
	o.source.repository = g_repo;
	o.source.rev = rev;
	o.against = against;
	emh_lint_report *r = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_lint(&r, &o, &err), &err);
	return r;
}

/* The finding of rule in file (suffix), or NULL. */
static const emh_lint_finding *find(const emh_lint_report *r, const char *file, const char *rule)
{
	for (size_t i = 0; i < r->nfindings; i++) {
		size_t n = strlen(r->findings[i].file), m = strlen(file);
		if (strcmp(r->findings[i].rule, rule) == 0 && n >= m && strcmp(r->findings[i].file + n - m, file) == 0)
			return &r->findings[i];
	}
	return NULL;
}

/* ---- lint ------------------------------------------------------------------ */

START_TEST(gate_lint_clean_set)
{
	base_set();
	commit("c");
	emh_lint_report *r = lint(NULL, NULL);
	ck_assert_uint_eq(r->nfindings, 0);
	ck_assert_uint_eq(r->ncriteria, 3);
	ck_assert_str_eq(r->framework_version, "1.0.0");
	ck_assert_uint_eq(strlen(r->commit), 40);
	emh_lint_report_free(r);
}
END_TEST

START_TEST(gate_lint_types_and_references)
{
	base_set();
	put_crit("alpha", "A-3", 1,
	         "\"check\": {\"and\": [\n"
	         "    {\"path\": \"/s\", \"type\": \"string\", \"gt\": 1},\n"
	         "    {\"path\": \"/n\", \"matches\": \"^1\"},\n"
	         "    {\"path\": \"/t\", \"min_count\": 3, \"max_count\": 2},\n"
	         "    {\"path\": \"/u\", \"eq\": \"a\", \"in\": [\"b\"]},\n"
	         "    {\"path\": \"/v\", \"type\": \"integer\", \"eq\": 1.5},\n"
	         "    {\"or\": [{\"path\": \"/w\", \"type\": \"string\"}, {\"path\": \"/w\", \"type\": \"array\"}]},\n"
	         "    {\"path\": \"/list\", \"all\": {\"path\": \"/k\", \"type\": \"boolean\"}},\n"
	         "    {\"path\": \"/list\", \"any\": {\"path\": \"/k\", \"eq\": \"yes\"}}\n"
	         "  ]},\n"
	         "  \"applies_when\": {\"path\": \"/s\", \"type\": \"number\"}");
	put("criteria/beta/B-2.json", "{\"id\": \"B-2\", \"version\": 1, \"title\": \"t\", \"domain\": \"beta\", "
	    "\"severity\": \"minor\", \"references\": [\"REF 3\"], \"check\": {\"path\": \"/z\", \"exists\": true}, "
	    "\"fail_message\": \"f\", \"remediation\": \"r\"}\n");
	commit("c");
	emh_lint_report *r = lint(NULL, NULL);
	const emh_lint_finding *f;
	/* type string with gt, at "gt" */
	f = NULL;
	for (size_t k = 0; k < r->nfindings; k++)
		if (strcmp(r->findings[k].pointer, "/check/and/0/gt") == 0)
			f = &r->findings[k];
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->rule, "type");
	ck_assert_uint_eq(f->line, 11);
	ck_assert_str_eq(f->criterion, "A-3");
	ck_assert_ptr_nonnull(f->source_line);
	/* Count every type finding of A-3 by pointer. */
	const char *want[] = { "/check/and/0/gt", "/check/and/1/matches", "/check/and/2/max_count",
	                       "/check/and/3/eq", "/check/and/4/eq", "/check/and/7/any/eq", "/check/and/0/type" };
	size_t nwant = sizeof want / sizeof want[0];
	for (size_t i = 0; i < nwant; i++) {
		int seen = 0;
		for (size_t k = 0; k < r->nfindings; k++)
			seen |= strcmp(r->findings[k].rule, "type") == 0 && strcmp(r->findings[k].pointer, want[i]) == 0;
		ck_assert_msg(seen, "no type finding at %s", want[i]);
	}
	/* The two branches of an "or" may want different types: no finding. */
	for (size_t k = 0; k < r->nfindings; k++)
		ck_assert_msg(strncmp(r->findings[k].pointer, "/check/and/5", 12) != 0, "%s", r->findings[k].message);
	f = find(r, "beta/B-2.json", "reference");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->pointer, "/references/0");
	ck_assert_uint_eq(r->nfindings, nwant + 1);
	emh_lint_report_free(r);
}
END_TEST

/* A threshold changed while the fail_message still states the old one (issue 15). */
START_TEST(gate_lint_against_stale_number)
{
	base_set();
	ck_assert_int_eq(emh_test_sh("cd '%s' && sed -i -e 's/\"It failed.\"/\"More than 10 (or fewer than 1) sessions.\"/' "
	                             "-e 's/\"Fix it.\"/\"Keep it under 110, v10 or 10.5.\"/' criteria/alpha/A-1.json",
	                             g_repo), 0);
	commit("v1");
	ck_assert_int_eq(emh_test_sh("cd '%s' && git tag n1", g_repo), 0);
	/* The upper bound moves to 12; the wording is not touched. */
	ck_assert_int_eq(emh_test_sh("cd '%s' && sed -i -e 's/\"le\": 10/\"le\": 12/' -e 's/\"version\": 1/\"version\": 2/' "
	                             "criteria/alpha/A-1.json && sed -i 's/\"1.0.0\"/\"1.1.0\"/' criteria/framework.json",
	                             g_repo), 0);
	commit("v2");
	emh_lint_report *r = lint(NULL, "n1");
	const emh_lint_finding *f = find(r, "alpha/A-1.json", "stale-number");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->pointer, "/fail_message");
	ck_assert_ptr_nonnull(strstr(f->message, "states 10,"));
	ck_assert_ptr_nonnull(strstr(f->message, "numbers now: 1, 12"));
	/* "110", "v10" and "10.5" in the remediation are other numbers; 1 is still used. */
	ck_assert_uint_eq(r->nfindings, 1);
	emh_lint_report_free(r);
	/* The wording follows the check: clean. */
	ck_assert_int_eq(emh_test_sh("cd '%s' && sed -i 's/More than 10 /More than 12 /' criteria/alpha/A-1.json", g_repo), 0);
	commit("v2 worded");
	r = lint(NULL, "n1");
	for (size_t i = 0; i < r->nfindings; i++)
		ck_abort_msg("unexpected %s:%u: %s", r->findings[i].file, r->findings[i].line, r->findings[i].message);
	emh_lint_report_free(r);
}
END_TEST

START_TEST(gate_lint_against_versions)
{
	base_set();
	commit("v1");
	ck_assert_int_eq(emh_test_sh("cd '%s' && git tag v1", g_repo), 0);
	/* A-1 tightened without a bump, A-2 reworded only, B-1 removed. */
	put_crit("alpha", "A-1", 1, "\"check\": {\"path\": \"/n\", \"type\": \"integer\", \"ge\": 1, \"le\": 5}");
	ck_assert_int_eq(emh_test_sh("cd '%s' && sed -i 's/Title of A-2/A better title/' criteria/alpha/A-2.json && "
	                             "git rm -q criteria/beta/B-1.json", g_repo), 0);
	commit("v2");
	emh_lint_report *r = lint(NULL, "v1");
	ck_assert_str_eq(r->against, "v1");
	ck_assert_uint_eq(strlen(r->against_commit), 40);
	const emh_lint_finding *f = find(r, "alpha/A-1.json", "version-bump");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->pointer, "/version");
	ck_assert_uint_eq(f->line, 3);
	ck_assert_uint_eq(f->column, 14);
	ck_assert_ptr_null(find(r, "alpha/A-2.json", "version-bump"));
	ck_assert_ptr_nonnull(find(r, "framework.json", "retired"));
	ck_assert_ptr_nonnull(find(r, "framework.json", "framework-version"));
	ck_assert_uint_eq(r->nfindings, 3);
	emh_lint_report_free(r);
	/* Fixed: bumped, retired, a pre-release framework version above 1.0.0. */
	put_crit("alpha", "A-1", 2, "\"check\": {\"path\": \"/n\", \"type\": \"integer\", \"ge\": 1, \"le\": 5}");
	put_fw("1.1.0-rc.1", ",\n  \"retired\": [{\"id\": \"B-1\", \"reason\": \"gone\"}]");
	commit("v2 fixed");
	r = lint(NULL, "v1");
	for (size_t i = 0; i < r->nfindings; i++)
		ck_abort_msg("unexpected %s:%u: %s", r->findings[i].file, r->findings[i].line, r->findings[i].message);
	emh_lint_report_free(r);
	/* Going down is caught too, and a retired id in use. */
	put_crit("alpha", "A-1", 1, "\"check\": {\"path\": \"/n\", \"type\": \"integer\", \"ge\": 1, \"le\": 5}");
	put_crit("beta", "B-1", 1, "\"check\": {\"path\": \"/flag\", \"eq\": true}");
	commit("v3");
	r = lint(NULL, "HEAD~1");
	ck_assert_ptr_nonnull(find(r, "alpha/A-1.json", "version-down"));
	ck_assert_ptr_nonnull(find(r, "beta/B-1.json", "retired"));
	emh_lint_report_free(r);
}
END_TEST

START_TEST(gate_lint_renders)
{
	base_set();
	put_crit("alpha", "A-3", 1, "\"check\": {\"path\": \"/s\", \"matches\": \"(\"}");
	commit("c");
	emh_lint_report *r = lint(NULL, NULL);
	ck_assert_uint_eq(r->nfindings, 1);
	ck_assert_str_eq(r->findings[0].rule, "regex");
	emh_gate_format fmts[] = { EMH_GATE_TEXT, EMH_GATE_JSON, EMH_GATE_SARIF, EMH_GATE_JUNIT };
	for (size_t i = 0; i < 4; i++) {
		emh_buf b = EMH_BUF_INIT;
		emh_error err = EMH_ERROR_INIT;
		EMH_PASS(emh_lint_render(&b, r, fmts[i], &err), &err);
		ck_assert_ptr_nonnull(strstr(emh_buf_cstr(&b), "A-3.json"));
		if (fmts[i] == EMH_GATE_JSON || fmts[i] == EMH_GATE_SARIF) {
			cJSON *j = cJSON_Parse(emh_buf_cstr(&b));
			ck_assert_ptr_nonnull(j);
			cJSON_Delete(j);
		}
		if (fmts[i] == EMH_GATE_TEXT)
			ck_assert_ptr_nonnull(strstr(emh_buf_cstr(&b), "A-3.json:10:")); /* line of "check" */
		emh_buf_dispose(&b);
	}
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_lint_render(&b, r, EMH_GATE_MARKDOWN, &err), EMH_EINVALID);
	emh_buf_dispose(&b);
	emh_lint_report_free(r);
	emh_gate_format f;
	ck_assert_int_eq(emh_gate_format_parse(&f, "md"), 0);
	ck_assert_int_eq(f, EMH_GATE_MARKDOWN);
	ck_assert_int_eq(emh_gate_format_parse(&f, "pdf"), EMH_EINVALID);
}
END_TEST

Suite *emh_suite_lint(void);
Suite *emh_suite_lint(void)
{
	Suite *s = suite_create("lint");
	TCase *tc = tcase_create("lint");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gate_lint_clean_set);
	tcase_add_test(tc, gate_lint_types_and_references);
	tcase_add_test(tc, gate_lint_against_versions);
	tcase_add_test(tc, gate_lint_against_stale_number);
	tcase_add_test(tc, gate_lint_renders);
	suite_add_tcase(s, tc);
	return s;
}
