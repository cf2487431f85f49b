/*
 * check_submission.c - loading submissions: folders and bare files, evidence
 * hashing and status, the confinement of evidence paths, an escaped NUL
 * refused with its position, /observed reserved for the observers, and a
 * submission with its evidence in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emheval/buf.h"
#include "emheval/submission.h"
#include "evaluator/submission_internal.h"
#include "evaluator/validate.h"
#define EMH_TEST_EVAL_FIXTURES
#define EMH_TEST_GATE_FRAMEWORK
#include "helpers.h"

/* sha256("hello\n") */
#define BAD_SHA "00000000000000000000000000000000000000000000000000000000000000ff"
#define HELLO_SHA "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"

static char *dir;

static void setup(void) { dir = emh_test_tmpdir(); }
static void teardown(void) { emh_test_rmtree(dir); free(dir); }

static void write_sub(const char *evidence_json)
{
	char json[2048];
	snprintf(json, sizeof json,
	         "{\n  \"submission_date\": \"2026-10-01\",\n  \"app\": {\"id\": \"t\"},\n"
	         "  \"evidence\": %s\n}\n", evidence_json);
	emh_test_write(dir, "sub/submission.json", json);
}

static int load(emh_submission **s, emh_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/sub", dir);
	return emh_submission_load(s, path, emh_test_unvalidated(), err);
}

START_TEST(evidence_hashes_and_status)
{
	emh_test_write(dir, "sub/a.md", "hello\n");
	emh_test_write(dir, "sub/docs/b.md", "hello\n");
	write_sub("[{\"kind\": \"privacy_policy\", \"path\": \"a.md\", \"sha256\": \"" HELLO_SHA "\"},\n"
	          " {\"kind\": \"dpia\", \"path\": \"docs/b.md\", \"sha256\": \"" BAD_SHA "\"},\n"
	          " {\"kind\": \"other\", \"path\": \"docs/b.md\"},\n"
	          " {\"kind\": \"gone\", \"path\": \"nothere.md\"}]");
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(load(&s, &err), &err);
	ck_assert_uint_eq(s->nevidence, 4);
	ck_assert_str_eq(s->evidence[0].status, "verified");
	ck_assert_str_eq(s->evidence[0].sha256, HELLO_SHA);
	ck_assert_str_eq(s->evidence[1].status, "mismatch");
	ck_assert_str_eq(s->evidence[2].status, "undeclared");
	ck_assert_str_eq(s->evidence[3].status, "missing");
	ck_assert_int_eq(strlen(emh_submission_sha256(s)), 64);
	emh_submission_free(s);
}
END_TEST

static void expect_refused(const char *path_json, int want_code, unsigned want_line)
{
	char ev[512];
	snprintf(ev, sizeof ev, "[\n    {\"kind\": \"k\", \"path\": %s}\n  ]", path_json);
	write_sub(ev);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(load(&s, &err), want_code);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(err.file, "submission.json") != NULL, "file: %s", err.file);
	ck_assert_uint_eq(err.line, want_line);
	ck_assert_uint_gt(err.column, 0);
	ck_assert_msg(strstr(err.message, "refused") != NULL || want_code == EMH_EINVALID, "%s", err.message);
}

START_TEST(evidence_paths_are_confined)
{
	emh_test_write(dir, "outside.md", "secret\n");
	emh_test_write(dir, "sub/ok.md", "hello\n");
	expect_refused("\"../outside.md\"", EMH_EUNSAFE, 5);
	expect_refused("\"docs/../../outside.md\"", EMH_EUNSAFE, 5);
	expect_refused("\"/etc/passwd\"", EMH_EUNSAFE, 5);
	expect_refused("\"./ok.md\"", EMH_EUNSAFE, 5);
	expect_refused("\"\"", EMH_EUNSAFE, 5);
	expect_refused("42", EMH_EINVALID, 5);
	char target[4096], link[4096];
	snprintf(target, sizeof target, "%s/outside.md", dir);
	snprintf(link, sizeof link, "%s/sub/link.md", dir);
	ck_assert_int_eq(symlink(target, link), 0);
	expect_refused("\"link.md\"", EMH_EUNSAFE, 5);
	/* Even a symlink that stays inside is refused: it could be swapped during the run. */
	snprintf(link, sizeof link, "%s/sub/inner.md", dir);
	ck_assert_int_eq(symlink("ok.md", link), 0);
	expect_refused("\"inner.md\"", EMH_EUNSAFE, 5);
	snprintf(link, sizeof link, "%s/sub/fifo.md", dir);
	ck_assert_int_eq(mkfifo(link, 0600), 0);
	expect_refused("\"fifo.md\"", EMH_EUNSAFE, 5);
	snprintf(link, sizeof link, "%s/sub/folder", dir);
	ck_assert_int_eq(mkdir(link, 0755), 0);
	expect_refused("\"folder\"", EMH_EUNSAFE, 5);
}
END_TEST

START_TEST(bare_file_and_buffer)
{
	emh_test_write(dir, "one.json", "{\"app\": {\"id\": \"bare\"}}");
	char path[4096];
	snprintf(path, sizeof path, "%s/one.json", dir);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load(&s, path, emh_test_unvalidated(), &err), &err);
	ck_assert_str_eq(emh_submission_label(s), path);
	emh_submission_free(s);
	s = NULL;
	ck_assert_int_eq(emh_submission_load_buffer(&s, "[1]", 3, "x.json", emh_test_unvalidated(), &err), EMH_EINVALID);
	ck_assert_msg(strstr(err.message, "object") != NULL, "%s", err.message);
	ck_assert_int_eq(emh_submission_load_buffer(&s, "{\"a\": 01}", 9, "x.json", NULL, &err), EMH_EINVALID);
	ck_assert_str_eq(err.file, "x.json");
	ck_assert_uint_eq(err.line, 1);
	snprintf(path, sizeof path, "%s/none", dir);
	ck_assert_int_eq(emh_submission_load(&s, path, NULL, &err), EMH_ENOTFOUND);
}
END_TEST

START_TEST(size_limits)
{
	emh_test_write(dir, "sub/a.md", "hello\n");
	write_sub("[{\"kind\": \"k\", \"path\": \"a.md\"}]");
	emh_submission_options o = *emh_test_unvalidated();
	o.max_evidence_bytes = 3;
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	char path[4096];
	snprintf(path, sizeof path, "%s/sub", dir);
	ck_assert_int_eq(emh_submission_load(&s, path, &o, &err), EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "limit") != NULL, "%s", err.message);
	o.max_evidence_bytes = 0;
	o.max_json_bytes = 10;
	ck_assert_int_eq(emh_submission_load(&s, path, &o, &err), EMH_ELIMIT);
}
END_TEST


/* The schema uses only keywords the validator implements. */
START_TEST(schema_keywords_all_implemented)
{
	const char *k = emh_validate_unsupported_keyword();
	ck_assert_msg(k == NULL, "submission.schema.json uses '%s', which validate.c does not implement", k);
}
END_TEST

static void count_cb(const emh_error *e, void *payload)
{
	(void)e;
	(*(int *)payload)++;
}

static char last_warning[512];
static void warn_cb(const emh_error *e, void *payload)
{
	(void)payload;
	snprintf(last_warning, sizeof last_warning, "%s", e->message);
}

/* Every problem once, located; a typo gets a suggestion; fragments skip "required". */
START_TEST(validation_reports_each_problem)
{
	const char *json = "{\"schema\": \"emheval/submission/1\", \"submission_date\": \"2026-02-30\",\n"
	                   " \"app\": {\"id\": \"a\", \"name\": \"A\", \"version\": 1},\n"
	                   " \"risk_teir\": \"A\", \"evidence\": []}";
	emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	int n = 0;
	o.on_problem = count_cb;
	o.on_warning = warn_cb;
	o.payload = &n;
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_submission_load_buffer(&s, json, strlen(json), "submission.json", &o, &err), EMH_EINVALID);
	ck_assert_int_eq(n, 3); /* risk_tier missing, a date not in the calendar, a number for a string */
	ck_assert_msg(strstr(err.message, "and 2 more problems") != NULL, "%s", err.message);
	ck_assert_str_eq(last_warning, "unknown member \"risk_teir\": did you mean \"risk_tier\"?");
	/* As a fixture's fragment the missing risk_tier is no problem; the others are. */
	n = 0;
	o.validation = EMH_VALIDATE_FRAGMENT;
	ck_assert_int_eq(emh_submission_load_buffer(&s, json, strlen(json), "submission.json", &o, &err), EMH_EINVALID);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(err.line, 1);
	ck_assert_str_eq(err.pointer, "/submission_date");
	/* Not a submission: one error, nothing else. */
	n = 0;
	o.validation = EMH_VALIDATE_FULL;
	ck_assert_int_eq(emh_submission_load_buffer(&s, "{\"a\": 1}", 8, "x.json", &o, &err), EMH_EINVALID);
	ck_assert_int_eq(n, 1);
	ck_assert_msg(strstr(err.message, "not a submission") != NULL, "%s", err.message);
	ck_assert_ptr_null(s);
}
END_TEST

static int nwarn;
static void warn_count(const emh_error *e, void *payload)
{
	(void)e;
	(void)payload;
	nwarn++;
}

/* 200 bad values and 200 unknown members: 50 of each listed, then one line that counts the rest. */
START_TEST(validation_caps_what_it_lists)
{
	emh_buf b = EMH_BUF_INIT;
	emh_buf_puts(&b, "{\"schema\": \"emheval/submission/1\", \"submission_date\": \"2026-01-01\", "
	                 "\"risk_tier\": \"A\", \"evidence\": [], \"app\": {\"id\": \"a\", \"name\": \"A\", "
	                 "\"version\": \"1\", \"languages\": [");
	for (int i = 0; i < 200; i++)
		emh_buf_appendf(&b, "%s\"english\"", i ? ", " : "");
	emh_buf_puts(&b, "]");
	for (int i = 0; i < 200; i++)
		emh_buf_appendf(&b, ", \"extra%d\": 1", i);
	emh_buf_puts(&b, "}}");
	emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	int n = 0;
	nwarn = 0;
	o.on_problem = count_cb;
	o.on_warning = warn_count;
	o.payload = &n;
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_submission_load_buffer(&s, emh_buf_cstr(&b), b.len, "submission.json", &o, &err),
	                 EMH_EINVALID);
	ck_assert_int_eq(n, (int)EMH_VALIDATE_MAX_ERRORS + 1);
	ck_assert_int_eq(nwarn, (int)EMH_VALIDATE_MAX_ERRORS + 1);
	ck_assert_msg(strstr(err.message, "and 199 more problems; the first 50 are listed") != NULL, "%s", err.message);
	emh_buf_dispose(&b);
}
END_TEST

/*
 * An evidence entry that breaks its anyOf (supplied without sha256) is one problem; its
 * kind and path are schema members, never "unknown" because the alternative the
 * validator explains lists only status, path and sha256. A real stray member still warns.
 */
START_TEST(validation_anyof_beside_properties_warns_only_of_strangers)
{
	const char *json = "{\"schema\": \"emheval/submission/1\", \"submission_date\": \"2026-01-01\",\n"
	                   " \"app\": {\"id\": \"a\", \"name\": \"A\", \"version\": \"1\"}, \"risk_tier\": \"A\",\n"
	                   " \"evidence\": [{\"kind\": \"privacy_policy\", \"path\": \"p.md\", \"colour\": 1}]}";
	emh_submission_options o = EMH_SUBMISSION_OPTIONS_INIT;
	int n = 0;
	nwarn = 0;
	last_warning[0] = '\0';
	o.on_problem = count_cb;
	o.on_warning = warn_count;
	o.payload = &n;
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_submission_load_buffer(&s, json, strlen(json), "submission.json", &o, &err), EMH_EINVALID);
	ck_assert_int_eq(n, 1);
	ck_assert_msg(strstr(err.message, "sha256") != NULL, "%s", err.message);
	ck_assert_int_eq(nwarn, 1); /* colour, and not kind or path */
	o.on_warning = warn_cb;
	ck_assert_int_eq(emh_submission_load_buffer(&s, json, strlen(json), "submission.json", &o, &err), EMH_EINVALID);
	ck_assert_msg(strstr(last_warning, "\"colour\"") != NULL, "%s", last_warning);
}
END_TEST

/*
 * An escaped NUL ("a\u0000 secret") is valid JSON, but cJSON's valuestring
 * ends at the NUL, so the text after it would escape not_matches, max_length
 * and eq. Submissions refuse \u0000 at load, with its position.
 */
START_TEST(eval_nul_in_string_refused)
{
	spec sp = { "T-1", NULL, "'check': {'or': [{'path': '/s', 'not_matches': 'secret'},"
	                         " {'path': '/s', 'max_length': 1}, {'path': '/s', 'eq': 'a'}]}", NULL };
	emh_criteria *c = build(fw_default, &sp, 1, 0);
	char *json = dq("{'s': 'a\\u0000 secret'}");
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(emh_submission_load_buffer(&s, json, strlen(json), NULL, emh_test_unvalidated(), &err), EMH_EINVALID);
	ck_assert_ptr_null(s);
	ck_assert_uint_eq(err.line, 1);
	ck_assert_uint_eq(err.column, 9);
	ck_assert_msg(strstr(err.message, "u0000") != NULL, "%s", err.message);
	free(json);
	emh_criteria_free(c);
}
END_TEST

/* ---- /observed is reserved for the observers ------------------------------------ */

START_TEST(observe_reserved_member)
{
	char *json = dq("{'app': {'id': 'x'},\n 'observed': {'hosts': []}}");
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	int rc = emh_submission_load_buffer(&s, json, strlen(json), "submission.json", emh_test_unvalidated(), &err);
	ck_assert_int_eq(rc, EMH_EINVALID);
	ck_assert_uint_eq(err.line, 2);
	ck_assert_str_eq(err.pointer, "/observed");
	ck_assert_msg(strstr(err.message, "reserved"), "%s", err.message);
	free(json);
}
END_TEST

/* ---- in memory, on the gate's framework.json (fw_text, helpers.h) ------------ */

START_TEST(gate_submission_evidence_in_memory)
{
	const char *json = "{\"evidence\": [{\"kind\": \"policy\", \"path\": \"p.md\", \"sha256\": "
	                   "\"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\"},"
	                   " {\"kind\": \"other\", \"path\": \"gone.md\"}]}";
	emh_submission_file files[] = { { "p.md", "hello", 5 } };
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_memory(&s, json, strlen(json), "mem", files, 1, emh_test_unvalidated(), &err), &err);
	emh_dossier *d = NULL;
	emh_criteria *set = NULL;
	const char *crit = "{\"id\": \"A-1\", \"version\": 1, \"title\": \"t\", \"domain\": \"alpha\", "
	                   "\"severity\": \"minor\", \"references\": [\"R\"], \"check\": {\"evidence\": \"*\", "
	                   "\"verified\": true}, \"fail_message\": \"f\", \"remediation\": \"r\"}";
	emh_criteria_file cf[] = { { "framework.json", fw_text, strlen(fw_text) }, { "alpha/A-1.json", crit, strlen(crit) } };
	EMH_PASS(emh_criteria_compile(&set, cf, 2, NULL, &err), &err);
	EMH_PASS(emh_evaluate(&d, set, s, NULL, &err), &err);
	ck_assert_uint_eq(d->nevidence, 2);
	ck_assert_str_eq(d->evidence[0].status, "verified");
	ck_assert_str_eq(d->evidence[1].status, "missing");
	ck_assert_int_eq(d->results[0].outcome, EMH_OUTCOME_FAIL); /* gone.md is missing */
	emh_dossier_free(d);
	emh_submission_free(s);
	emh_criteria_free(set);
	/* The same path rules as on disk. */
	const char *bad = "{\"evidence\": [{\"kind\": \"p\", \"path\": \"../p.md\"}]}";
	ck_assert_int_eq(emh_submission_load_memory(&s, bad, strlen(bad), "mem", files, 1, emh_test_unvalidated(), &err), EMH_EUNSAFE);
	ck_assert_ptr_null(s);
	emh_submission_options so = *emh_test_unvalidated();
	so.max_evidence_bytes = 4;
	ck_assert_int_eq(emh_submission_load_memory(&s, json, strlen(json), "mem", files, 1, &so, &err), EMH_ELIMIT);
}
END_TEST

Suite *emh_suite_submission(void)
{
	Suite *s = suite_create("submission");
	TCase *tc = tcase_create("load");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, evidence_hashes_and_status);
	tcase_add_test(tc, evidence_paths_are_confined);
	tcase_add_test(tc, bare_file_and_buffer);
	tcase_add_test(tc, size_limits);
	tcase_add_test(tc, schema_keywords_all_implemented);
	tcase_add_test(tc, validation_reports_each_problem);
	tcase_add_test(tc, validation_caps_what_it_lists);
	tcase_add_test(tc, validation_anyof_beside_properties_warns_only_of_strangers);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_test(tc, eval_nul_in_string_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_test(tc, observe_reserved_member);
	tcase_add_test(tc, gate_submission_evidence_in_memory);
	suite_add_tcase(s, tc);
	return s;
}
