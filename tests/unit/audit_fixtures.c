/*
 * audit_fixtures.c - the audit fixtures declared in helpers.h: the mini
 * criteria in a git repository, dossiers evaluated from files and sealed,
 * files read and written whole, verification with a tally of its checks,
 * and a signed dossier.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/emheval.h"
#include "evaluator/audit/audit_internal.h"
#define EMH_TEST_AUDIT_FIXTURES
#define EMH_TEST_EVAL_FIXTURES
#include "helpers.h"

char *mini_repo(const char *tmp)
{
	char *repo = malloc(strlen(tmp) + 8);
	ck_assert_ptr_nonnull(repo);
	snprintf(repo, strlen(tmp) + 8, "%s/repo", tmp);
	ck_assert_int_eq(emh_test_sh("git init -q '%s' && cp -R data/mini/criteria '%s/criteria' && "
	                             "git -C '%s' add -A && git -C '%s' -c user.name=t -c user.email=t@x "
	                             "commit -qm criteria", repo, repo, repo, repo), 0);
	return repo;
}

emh_criteria *load_set(const char *repo)
{
	emh_criteria *set = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_criteria_options co = EMH_CRITERIA_OPTIONS_INIT;
	co.repository = repo;
	EMH_PASS(emh_criteria_load(&set, &co, &err), &err);
	return set;
}

emh_dossier *evaluate_path(const emh_criteria *set, const char *sub_path, const char *as_of,
                                  const emh_waivers *w)
{
	emh_submission *sub = NULL;
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load(&sub, sub_path, emh_test_unvalidated(), &err), &err);
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = as_of;
	eo.waivers = emh_waivers_items(w, &eo.nwaivers);
	EMH_PASS(emh_evaluate(&d, set, sub, &eo, &err), &err);
	EMH_PASS(emh_dossier_seal(d, &err), &err);
	emh_submission_free(sub);
	return d;
}

char *render(const emh_dossier *d, size_t *len)
{
	emh_buf b = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_report_render(&b, d, EMH_FORMAT_JSON, NULL, &err), &err);
	return emh_buf_detach(&b, len);
}

void write_bytes(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

char *read_all(const char *path, size_t *len)
{
	char *text = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_audit__read_file(&text, len, path, EMH_AUDIT_MAX_FILE, &err), &err);
	return text;
}

/* The evaluation fixtures' result(), under the name the audit suites use. */
const emh_result *result_of(const emh_dossier *d, const char *id)
{
	return result(d, id);
}

static void on_check(const char *name, emh_check_status st, const char *detail, void *payload)
{
	tally *t = payload;
	if (st == EMH_CHECK_FAILED && !t->first_failed[0]) {
		snprintf(t->first_failed, sizeof t->first_failed, "%s", name);
		snprintf(t->detail, sizeof t->detail, "%s", detail);
	}
}

emh_verify_summary verify(const char *path, const char *pubkey, const char *sub, const char *repo, tally *t)
{
	emh_verify_options vo = EMH_VERIFY_OPTIONS_INIT;
	vo.pubkey = pubkey;
	vo.submission = sub;
	vo.criteria = repo;
	vo.on_check = on_check;
	vo.payload = t;
	memset(t, 0, sizeof *t);
	emh_verify_summary s;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_verify(&s, path, &vo, &err), &err);
	return s;
}

void signed_setup(signed_case *c)
{
	memset(c, 0, sizeof *c);
	c->tmp = emh_test_tmpdir();
	c->repo = mini_repo(c->tmp);
	c->set = load_set(c->repo);
	c->d = evaluate_path(c->set, "data/mini/sub-ok", NULL, NULL);
	snprintf(c->prefix, sizeof c->prefix, "%s/reg", c->tmp);
	snprintf(c->keypath, sizeof c->keypath, "%s.key", c->prefix);
	snprintf(c->pubpath, sizeof c->pubpath, "%s.pub", c->prefix);
	snprintf(c->dossier, sizeof c->dossier, "%s/calm.json", c->tmp);
	ck_assert_int_eq(emh_envelope_path(c->envelope, sizeof c->envelope, c->dossier), 0);
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_key_generate(c->prefix, NULL, &err), &err);
	emh_key *key = NULL;
	EMH_PASS(emh_key_load(&key, c->keypath, &err), &err);
	emh_publish_options po = EMH_PUBLISH_OPTIONS_INIT;
	po.output = c->dossier;
	po.sign_key = key;
	EMH_PASS(emh_dossier_publish(NULL, c->d, &po, &err), &err);
	emh_key_free(key);
}

void signed_teardown(signed_case *c)
{
	emh_dossier_free(c->d);
	emh_criteria_free(c->set);
	emh_test_rmtree(c->tmp);
	free(c->repo);
	free(c->tmp);
}

emh_reviews *reviews_of(const char *json)
{
	emh_reviews *r = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_reviews_parse(&r, json, strlen(json), "r.json", &err), &err);
	return r;
}

const char review_pass[] =
	"{\"reviews\": [{\"reviewer\": \"Dr A. Byrne\", \"role\": \"clinical safety officer\", \"criterion\": \"SAFE-3\",\n"
	"  \"version\": 1, \"decision\": \"pass\", \"rationale\": \"Crisis button on every screen.\", \"date\": \"2026-10-04\"}]}";
const char review_fail[] =
	"{\"reviews\": [{\"reviewer\": \"C. Doyle\", \"role\": \"second reviewer\", \"criterion\": \"SAFE-3\",\n"
	"  \"version\": 1, \"decision\": \"fail\", \"rationale\": \"Hidden behind a menu on the diary screen.\", \"date\": \"2026-10-09\"}]}";
