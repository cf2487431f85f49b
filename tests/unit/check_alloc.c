/*
 * check_alloc.c - allocation-failure injection, as jq's and curl's test
 * suites do it: the Nth allocation through the library's wrappers (arena,
 * cJSON hooks, growable buffer, emh_malloc & co.; evaluator/arena.c) fails,
 * for N = 1, 2, ... over compiling a small criteria set (from memory, and
 * from a git repository with text checks), loading and evaluating a
 * submission and rendering the dossier in every format. Every run must return an
 * error or succeed: never crash (Check's fork catches it) and never leak
 * (`make asan` runs this suite under LeakSanitizer). The walk ends at the
 * first N that the whole pipeline passes without reaching.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/internal.h"
#include "helpers.h"
#include "register/register_internal.h"

/* Criteria and submission in single-quoted JSON (dq turns ' into "). */
static const char fw[] =
	"{'name': 'alloc', 'version': '1.0', 'effective_date': '2026-01-01',\n"
	" 'categories': [{'id': 'c1', 'title': 'One'}],\n"
	" 'domains': [{'id': 'd', 'title': 'D', 'category': 'c1'}],\n"
	" 'verdict_policy': {'reject': ['blocker', 'major'], 'condition_days': {'minor': 90}}}\n";

static const char *const criteria[][2] = {
	{ "d/A-1.json", "{'id': 'A-1', 'version': 1, 'title': 'Policy', 'domain': 'd', 'severity': 'major',"
	  " 'references': ['R 1'], 'fail_message': 'No <policy> & no \\u202e.', 'remediation': 'Add one.',"
	  " 'check': {'and': [{'path': '/policy', 'exists': true}, {'path': '/policy', 'matches': 'priv(acy)?', 'flags': 'i'}]}}" },
	{ "d/B-1.json", "{'id': 'B-1', 'version': 1, 'title': 'Age', 'domain': 'd', 'severity': 'minor',"
	  " 'references': ['R 2'], 'fail_message': 'Too young.', 'remediation': 'Raise it.',"
	  " 'requires': ['A-1'], 'check': {'path': '/min_age', 'gt': 15}}" },
	{ "d/C-1.json", "{'id': 'C-1', 'version': 1, 'title': 'Date', 'domain': 'd', 'severity': 'blocker',"
	  " 'references': ['R 3'], 'fail_message': 'Stale.', 'remediation': 'Review.',"
	  " 'check': {'or': [{'path': '/reviewed', 'after': '2025-01-01'}, {'path': '/tags', 'min_count': 3}]}}" },
	/* "eq" and "in" copy their values (cJSON_Duplicate): a failed copy once left a criterion without its check. */
	{ "d/D-1.json", "{'id': 'D-1', 'version': 1, 'title': 'Store', 'domain': 'd', 'severity': 'minor',"
	  " 'references': ['R 4'], 'fail_message': 'Wrong store.', 'remediation': 'Move.',"
	  " 'applies_when': {'path': '/min_age', 'exists': true},"
	  " 'check': {'or': [{'path': '/store', 'eq': {'name': 'x', 'ids': [1, 2]}}, {'path': '/tags/0', 'in': ['z', 'y']}]}}" },
};
#define NCRITERIA (sizeof criteria / sizeof *criteria)

static const char submission[] =
	"{'submission_date': '2026-03-01', 'policy': 'Our Privacy \\u202e policy <b>', 'min_age': 13,"
	" 'reviewed': '2024-06-01', 'tags': ['a', 'b']}";

static char *dq(const char *s)
{
	char *d = strdup(s);
	ck_assert_ptr_nonnull(d);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

/* Loads a criteria set and a submission (stage one of a pipeline); 0 or an error. */
typedef int (*loader)(emh_criteria **c, emh_submission **s, emh_error *err, const void *ctx);

/* From memory: the criteria above compiled, the submission above from a buffer. */
static int load_memory(emh_criteria **c, emh_submission **s, emh_error *err, const void *ctx)
{
	(void)ctx;
	emh_criteria_file files[NCRITERIA + 1];
	char *texts[NCRITERIA + 1];
	for (size_t i = 0; i < NCRITERIA; i++) {
		texts[i] = dq(criteria[i][1]);
		files[i].path = criteria[i][0];
		files[i].data = texts[i];
		files[i].len = strlen(texts[i]);
	}
	texts[NCRITERIA] = dq(fw);
	files[NCRITERIA].path = "framework.json";
	files[NCRITERIA].data = texts[NCRITERIA];
	files[NCRITERIA].len = strlen(texts[NCRITERIA]);
	char *sub = dq(submission);
	int rc = emh_criteria_compile(c, files, NCRITERIA + 1, NULL, err);
	if (!rc)
		rc = emh_submission_load_buffer(s, sub, strlen(sub), NULL, emh_test_unvalidated(), err);
	for (size_t i = 0; i <= NCRITERIA; i++)
		free(texts[i]);
	free(sub);
	return rc;
}

/* From disk: the set from a git repository (libgit2), the submission from its folder (ctx: the tmp folder). */
static int load_repository(emh_criteria **c, emh_submission **s, emh_error *err, const void *ctx)
{
	char repo[600], dir[600];
	snprintf(repo, sizeof repo, "%s/repo", (const char *)ctx);
	snprintf(dir, sizeof dir, "%s/sub", (const char *)ctx);
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.repository = repo;
	int rc = emh_criteria_load(c, &co, err);
	if (!rc)
		rc = emh_submission_load(s, dir, emh_test_unvalidated(), err);
	return rc;
}

/*
 * One pass of the pipeline; returns 0 when every step succeeded, else the
 * first error. On success *text (the caller's) holds every rendering.
 */
static int pipeline(loader load, const void *ctx, char **text)
{
	emh_error err = EMH_ERROR_INIT;
	emh_criteria *c = NULL;
	emh_submission *s = NULL;
	emh_dossier *d = NULL;
	emh_buf out = EMH_BUF_INIT;
	char *all = NULL; /* the renderings, copied with plain realloc: not counted */
	size_t nall = 0;
	int rc = load(&c, &s, &err, ctx);
	if (rc) /* a failed load leaves nothing behind (a compiled set is freed below) */
		ck_assert_ptr_null(s);
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = "2026-03-02";
	if (!rc) {
		rc = emh_evaluate_sealed(&d, c, s, &eo, &err);
		if (rc) /* a failed seal frees the dossier it made */
			ck_assert_ptr_null(d);
		else
			ck_assert_ptr_nonnull(d->digest);
	}
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	/* Every format there is (report.h), so a new one joins the sweep by itself. */
	for (int f = 0; !rc && f < EMH_FORMAT__COUNT; f++) {
		rc = emh_report_render(&out, d, (emh_format)f, &ro, &err);
		if (!rc) {
			ck_assert_uint_gt(out.len, 0);
			all = realloc(all, nall + out.len + 1);
			ck_assert_ptr_nonnull(all);
			memcpy(all + nall, out.ptr, out.len);
			nall += out.len;
			all[nall] = '\0';
		}
		emh_buf_dispose(&out);
		out = (emh_buf)EMH_BUF_INIT;
	}
	if (rc)
		ck_assert_int_ne(err.code, 0); /* a failure always says so */
	if (rc && !emh_alloc_injected()) {
		char msg[1400];
		ck_abort_msg("unarmed pipeline failed: %s", emh_error_format(&err, msg, sizeof msg));
	}
	emh_buf_dispose(&out);
	if (rc) {
		free(all);
		all = NULL;
	}
	*text = all;
	emh_dossier_free(d);
	emh_submission_free(s);
	emh_criteria_free(c);
	return rc;
}

/*
 * Fails allocation N = 1, 2, ... of the pipeline until a run reaches no
 * allocation N; each run must fail with an error or give the unarmed output.
 * Returns how many allocations were walked.
 */
static unsigned long sweep(loader load, const void *ctx, const char *contains)
{
	/* Unarmed, the pipeline works, and says what it decided. */
	emh_alloc_fail_at(0);
	char *want = NULL, *got = NULL;
	ck_assert_int_eq(pipeline(load, ctx, &want), 0);
	if (contains)
		ck_assert_msg(strstr(want, contains) != NULL, "the reports lack %s", contains);
	unsigned long n, failures = 0;
	const char *from = getenv("EMH_ALLOC_FROM"); /* for debugging one failure */
	/* Under valgrind (EMH_TEST_LIGHT, make valgrind) every seventh allocation is enough. */
	unsigned long stride = getenv("EMH_TEST_LIGHT") ? 7 : 1;
	for (n = from ? strtoul(from, NULL, 10) : 1; n < 1000000; n += stride) {
		emh_alloc_fail_at(n);
		int rc = pipeline(load, ctx, &got);
		unsigned long hit = emh_alloc_injected();
		emh_alloc_fail_at(0);
		if (!hit) { /* the whole pipeline ran without reaching allocation n */
			ck_assert_int_eq(rc, 0);
			ck_assert_str_eq(got, want);
			free(got);
			break;
		}
		failures += rc != 0;
		/* A failure that went unnoticed must have changed nothing (an error message's location, say). */
		if (!rc)
			ck_assert_msg(strcmp(got, want) == 0, "allocation %lu failed and the output changed", n);
		free(got);
		got = NULL;
	}
	free(want);
	if (getenv("EMH_ALLOC_VERBOSE"))
		fprintf(stderr, "alloc: %lu allocations walked, %lu runs failed cleanly\n", n - 1, failures);
	ck_assert_uint_lt(n, 1000000);
	ck_assert_uint_gt(failures, 0); /* failed allocations were reported */
	return n - 1;
}

START_TEST(alloc_fail_each_allocation)
{
	ck_assert_uint_gt(sweep(load_memory, NULL, "B-1"), 50); /* the walk went through the whole pipeline */
}
END_TEST

/* A set in git with text checks (matches, states, not_states) over a policy file of the submission's. */
static const char text_fw[] =
	"{'name': 'text', 'version': '1.0.0', 'effective_date': '2026-01-01', 'submission_schema': 'none',"
	" 'categories': [{'id': 'c1', 'title': 'One'}], 'domains': [{'id': 'privacy', 'title': 'P', 'category': 'c1'}]}\n";
static const char *const text_criteria[][2] = {
	{ "criteria/privacy/T-WORD.json", "{'id': 'T-WORD', 'version': 1, 'title': 'Word', 'domain': 'privacy', 'severity': 'major',"
	  " 'references': ['R'], 'fail_message': 'No word.', 'remediation': 'Add it.',"
	  " 'check': {'evidence': 'privacy_policy', 'matches': '\\\\bencrypt(?:s|ed|ion)?\\\\b', 'flags': 'i'}}" },
	{ "criteria/privacy/T-ENC.json", "{'id': 'T-ENC', 'version': 1, 'title': 'Enc', 'domain': 'privacy', 'severity': 'major',"
	  " 'references': ['R'], 'fail_message': 'Not stated.', 'remediation': 'State it.',"
	  " 'check': {'evidence': 'privacy_policy', 'looks_for': 'a statement that data is encrypted',"
	  " 'states': {'verb': 'encrypt(?:s|ed|ing)?', 'object': '\\\\bdata\\\\b'}}}" },
	{ "criteria/privacy/T-ADS.json", "{'id': 'T-ADS', 'version': 1, 'title': 'Ads', 'domain': 'privacy', 'severity': 'minor',"
	  " 'references': ['R'], 'fail_message': 'Shares with advertisers.', 'remediation': 'Stop.',"
	  " 'check': {'evidence': 'privacy_policy', 'not_states': {'verb': 'shar(?:e|es|ed|ing)',"
	  " 'object': '\\\\bdata\\\\b', 'purpose': '\\\\badvertisers?\\\\b'}}}" },
};

START_TEST(alloc_fail_loading_text_checks_from_git)
{
	char *tmp = emh_test_tmpdir();
	char repo[600], dir[600];
	snprintf(repo, sizeof repo, "%s/repo", tmp);
	snprintf(dir, sizeof dir, "%s/sub", tmp);
	ck_assert_int_eq(emh_test_sh("mkdir -p '%s/criteria/privacy' '%s'", repo, dir), 0);
	char *t = dq(text_fw);
	emh_test_write(repo, "criteria/framework.json", t);
	free(t);
	for (size_t i = 0; i < sizeof text_criteria / sizeof *text_criteria; i++) {
		t = dq(text_criteria[i][1]);
		emh_test_write(repo, text_criteria[i][0], t);
		free(t);
	}
	ck_assert_int_eq(emh_test_sh("git -C '%s' init -q && git -C '%s' add -A && "
	                             "git -C '%s' -c user.name=t -c user.email=t@x commit -qm criteria",
	                             repo, repo, repo), 0);
	emh_test_write(dir, "policy.md", "We take your privacy seriously. Your data is encrypted at rest.\n"
	               "We share your data with advertisers.\n");
	emh_test_write(dir, "submission.json", "{\"submission_date\": \"2026-03-01\", "
	               "\"evidence\": [{\"kind\": \"privacy_policy\", \"path\": \"policy.md\"}]}\n");
	/* The not_states criterion fails on the second sentence, so its finding is rendered too. */
	ck_assert_uint_gt(sweep(load_repository, tmp, "Shares with advertisers."), 50);
	emh_test_rmtree(tmp);
	free(tmp);
}
END_TEST

/* A ledger of two filings with waivers, as the register reads it: every failed allocation while reading
   must fail reg_load cleanly (nothing left to dispose, no summary with counts but no items). */
static void file_two(const char *ledger)
{
	emh_criteria_file files[NCRITERIA + 1];
	char *texts[NCRITERIA + 1];
	for (size_t i = 0; i <= NCRITERIA; i++) {
		texts[i] = dq(i < NCRITERIA ? criteria[i][1] : fw);
		files[i].path = i < NCRITERIA ? criteria[i][0] : "framework.json";
		files[i].data = texts[i];
		files[i].len = strlen(texts[i]);
	}
	emh_error err = EMH_ERROR_INIT;
	emh_criteria *c = NULL;
	EMH_PASS(emh_criteria_compile(&c, files, NCRITERIA + 1, NULL, &err), &err);
	char *wj = dq("{'waivers': [{'id': 'W-1', 'criterion': 'B-1', 'scope': {'app_id': 'app-a'},"
	              " 'justification': 'Age gate being rebuilt', 'approver': 'Head of Assessment', 'expires': '2027-01-01'},"
	              " {'id': 'W-2', 'criterion': 'C-1', 'scope': {'app_id': 'app-a'},"
	              " 'justification': 'Review booked', 'approver': 'Head of Assessment', 'expires': '2027-01-01'}]}");
	emh_waivers *w = NULL;
	EMH_PASS(emh_waivers_parse(&w, wj, strlen(wj), "w.json", &err), &err);
	emh_ledger *l = NULL;
	EMH_PASS(emh_ledger_open(&l, ledger, 1, &err), &err);
	static const char *const apps[] = { "app-a", "app-b" };
	for (size_t i = 0; i < 2; i++) {
		char json[400];
		snprintf(json, sizeof json, "{'submission_date': '2026-03-01', 'app': {'id': '%s', 'name': 'A', 'version': '1.0.0'},"
		         " 'policy': 'Our privacy policy', 'min_age': 13, 'reviewed': '2024-06-01', 'tags': ['a']}", apps[i]);
		char *sub = dq(json);
		emh_submission *s = NULL;
		emh_dossier *d = NULL;
		EMH_PASS(emh_submission_load_buffer(&s, sub, strlen(sub), NULL, emh_test_unvalidated(), &err), &err);
		emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
		eo.as_of = "2026-03-02";
		eo.waivers = emh_waivers_items(w, &eo.nwaivers);
		EMH_PASS(emh_evaluate_sealed(&d, c, s, &eo, &err), &err);
		char commit[41];
		EMH_PASS(emh_ledger_file(l, commit, d, NULL, 0, &err), &err);
		emh_dossier_free(d);
		emh_submission_free(s);
		free(sub);
	}
	emh_ledger_free(l);
	emh_waivers_free(w);
	free(wj);
	emh_criteria_free(c);
	for (size_t i = 0; i <= NCRITERIA; i++)
		free(texts[i]);
}

START_TEST(alloc_fail_reading_the_register)
{
	char *tmp = emh_test_tmpdir();
	char ledger[600];
	snprintf(ledger, sizeof ledger, "%s/ledger.git", tmp);
	emh_alloc_fail_at(0);
	file_two(ledger);
	reg_ledger l;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(reg_load(&l, ledger, &err), &err);
	ck_assert_uint_eq(l.nf, 2);
	ck_assert_uint_eq(l.f[0].d->nwaivers, 2); /* app-a's dossier lists both waivers */
	ck_assert_str_eq(l.f[0].d->waivers[1].id, "W-2");
	reg_dispose(&l);
	unsigned long n, failures = 0;
	unsigned long stride = getenv("EMH_TEST_LIGHT") ? 7 : 1;
	for (n = 1; n < 100000; n += stride) {
		emh_alloc_fail_at(n);
		memset(&err, 0, sizeof err);
		int rc = reg_load(&l, ledger, &err);
		unsigned long hit = emh_alloc_injected();
		emh_alloc_fail_at(0);
		if (rc) {
			ck_assert_int_ne(err.code, 0);
			ck_assert_ptr_null(l.f); /* disposed: nothing is left to the caller */
			failures++;
		} else {
			ck_assert_msg(l.nf == 2, "allocation %lu failed and reg_load read %zu filings of 2", n, l.nf);
			for (size_t i = 0; i < l.nf; i++) {
				const emh_dossier *d = l.f[i].d;
				ck_assert_ptr_nonnull(d);
				ck_assert(d->nwaivers == 0 || d->waivers != NULL);
				ck_assert(d->nreviews == 0 || d->reviews != NULL);
				ck_assert(d->nprofiles == 0 || d->profiles != NULL);
				ck_assert(l.f[i].nresults == 0 || l.f[i].results != NULL);
			}
			ck_assert_uint_eq(l.f[0].d->nwaivers, 2);
			reg_dispose(&l);
		}
		if (!hit)
			break;
	}
	ck_assert_uint_lt(n, 100000);
	ck_assert_uint_gt(failures, 0);
	emh_test_rmtree(tmp);
	free(tmp);
}
END_TEST

/* A zero size is no failure: glibc's realloc(p, 0) frees p and returns NULL. */
START_TEST(alloc_zero_size_is_not_a_failure)
{
	unsigned long lost = emh_alloc_failures();
	void *p = emh_malloc(0);
	ck_assert_ptr_nonnull(p);
	p = emh_realloc(p, 0);
	ck_assert_ptr_nonnull(p);
	void *q = emh_calloc(0, 8);
	ck_assert_ptr_nonnull(q);
	ck_assert_uint_eq(emh_alloc_failures(), lost);
	free(p);
	free(q);
}
END_TEST

Suite *emh_suite_alloc(void);
Suite *emh_suite_alloc(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("injection");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, alloc_fail_each_allocation);
	tcase_add_test(tc, alloc_fail_loading_text_checks_from_git);
	tcase_add_test(tc, alloc_fail_reading_the_register);
	tcase_add_test(tc, alloc_zero_size_is_not_a_failure);
	suite_add_tcase(s, tc);
	return s;
}
