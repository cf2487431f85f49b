/*
 * check_batch.c - unit tests for evaluator/batch.c: a batch signs and files
 * the dossier it evaluated, not what it reads back from its output folder.
 *
 * Criteria come from a real git repository made from tests/data/mini at test
 * time, so dossiers carry real commit and tree ids and can be re-evaluated
 * (the audit fixtures are in helpers.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/batch.h"
#include "emheval/emheval.h"
#include "evaluator/audit/audit_internal.h"
#define EMH_TEST_AUDIT_FIXTURES
#include "helpers.h"

/* ---- a batch signs and files what it evaluated ------------------------------------------- */

typedef struct forger {
	const char *out_dir;
	int forged;
} forger;

/* Replaces a dossier written in the output folder with a forgery whose digest is consistent. */
static void forge(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	emh_error err = EMH_ERROR_INIT;
	emh_dossier *d = NULL;
	EMH_PASS(emh_audit__read_file(&text, &len, path, EMH_AUDIT_MAX_FILE, &err), &err);
	EMH_PASS(emh_dossier_parse(&d, text, len, path, &err), &err);
	d->verdict = d->verdict == EMH_VERDICT_APPROVED ? EMH_VERDICT_REJECTED : EMH_VERDICT_APPROVED;
	EMH_PASS(emh_dossier_seal(d, &err), &err);
	size_t n = 0;
	char *forged = render(d, &n);
	write_bytes(path, forged, n);
	free(forged);
	free(text);
	emh_dossier_free(d);
}

/*
 * After each submission, during the run: forge the dossier just written, as
 * someone with write access to --out could. emheval used to sign and file
 * after the batch, reading the folder back, and so filed these forgeries.
 */
static void forge_outputs(size_t done, size_t total, void *payload)
{
	forger *f = payload;
	(void)total;
	static const char *const names[] = { "a", "b", "c" };
	if (done < 1 || done > 3)
		return;
	char path[700];
	snprintf(path, sizeof path, "%s/%s.json", f->out_dir, names[done - 1]);
	forge(path);
	f->forged++;
}

START_TEST(batch_signs_and_files_the_dossier_it_evaluated)
{
	char *tmp = emh_test_tmpdir();
	char *repo = mini_repo(tmp);
	emh_criteria *set = load_set(repo);
	ck_assert_int_eq(emh_test_sh("for a in a b c; do mkdir -p '%s/p/'$a && cp -R data/mini/sub-ok/. '%s/p/'$a/ && "
	                             "sed -i \"s/\\\"id\\\": \\\"calm\\\"/\\\"id\\\": \\\"app-$a\\\"/\" '%s/p/'$a/submission.json; done",
	                             tmp, tmp, tmp), 0);
	char prefix[600], keypath[640], pub[640], ledger[640], out[640], pdir[640];
	snprintf(prefix, sizeof prefix, "%s/k", tmp);
	snprintf(keypath, sizeof keypath, "%s.key", prefix);
	snprintf(pub, sizeof pub, "%s.pub", prefix);
	snprintf(ledger, sizeof ledger, "%s/ledger.git", tmp);
	snprintf(out, sizeof out, "%s/out", tmp);
	snprintf(pdir, sizeof pdir, "%s/p", tmp);
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_key_generate(prefix, NULL, &err), &err);
	emh_key *key = NULL;
	emh_ledger *l = NULL;
	EMH_PASS(emh_key_load(&key, keypath, &err), &err);
	EMH_PASS(emh_ledger_open(&l, ledger, 1, &err), &err);
	char **paths = NULL;
	size_t n = 0;
	const char *roots[] = { pdir };
	EMH_PASS(emh_batch_discover(&paths, &n, roots, 1, &err), &err);
	ck_assert_uint_eq(n, 3);
	emh_format json = EMH_FORMAT_JSON;
	forger f = { out, 0 };
	emh_batch_options bo = EMH_BATCH_OPTIONS_INIT;
	bo.criteria = set;
	bo.out_dir = out;
	bo.formats = &json;
	bo.nformats = 1;
	bo.jobs = 1;
	bo.sign_key = key;
	bo.ledger = l;
	bo.progress = forge_outputs;
	bo.payload = &f;
	emh_batch_summary sum;
	EMH_PASS(emh_batch_run(&sum, (const char *const *)paths, n, &bo, &err), &err);
	ck_assert_uint_eq(sum.published, 3);
	ck_assert_int_gt(f.forged, 0);
	emh_ledger_free(l);
	/* Each filed dossier is the one evaluated: evaluating the submission again gives the same bytes,
	 * while the output folder now holds forgeries. */
	const char *names[] = { "a", "b", "c" };
	for (size_t i = 0; i < 3; i++) {
		emh_dossier *fresh = evaluate_path(set, paths[i], NULL, NULL);
		size_t flen = 0;
		char *want = render(fresh, &flen);
		char wpath[700];
		snprintf(wpath, sizeof wpath, "%s/want.json", tmp);
		write_bytes(wpath, want, flen);
		ck_assert_int_eq(emh_test_sh("git -C '%s' show HEAD:dossiers/app-%s/1.0.0/dossier.json >'%s/filed.json' && "
		                             "cmp -s '%s/filed.json' '%s'", ledger, names[i], tmp, tmp, wpath), 0);
		ck_assert_int_ne(emh_test_sh("cmp -s '%s/filed.json' '%s/%s.json'", tmp, out, names[i]), 0);
		free(want);
		emh_dossier_free(fresh);
	}
	emh_verify_summary vs;
	emh_ledger_verify_options lo = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	lo.pubkey = pub;
	EMH_PASS(emh_ledger_verify(&vs, ledger, &lo, &err), &err);
	ck_assert_uint_eq(vs.ok, 3);
	ck_assert_uint_eq(vs.failed, 0);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	emh_key_free(key);
	emh_criteria_free(set);
	emh_test_rmtree(tmp);
	free(repo);
	free(tmp);
}
END_TEST


/* ---- discovery reads no file; the batch passes over emheval's outputs as it reads them ------ */

START_TEST(batch_passes_over_outputs_when_it_reads_them)
{
	char *tmp = emh_test_tmpdir();
	char *repo = mini_repo(tmp);
	emh_criteria *set = load_set(repo);
	/* a folder submission, a bare one, a dossier and an envelope whose payloadType comes last */
	ck_assert_int_eq(emh_test_sh("mkdir -p '%s/p/a' && cp -R data/mini/sub-ok/. '%s/p/a/' && "
	                             "cp data/mini/sub-ok/submission.json '%s/p/x.json' && "
	                             "printf '{\"format\": \"emheval/dossier/1\", \"verdict\": \"approved\"}' >'%s/p/d.json' && "
	                             "printf '{\"payload\": \"eyJ9\", \"signatures\": [], \"payloadType\": \"t\"}' >'%s/p/e.json'",
	                             tmp, tmp, tmp, tmp, tmp), 0);
	char pdir[640], out[640], xfile[640];
	snprintf(pdir, sizeof pdir, "%s/p", tmp);
	snprintf(out, sizeof out, "%s/out", tmp);
	snprintf(xfile, sizeof xfile, "%s/p/x.json", tmp);
	emh_error err = EMH_ERROR_INIT;
	/* emh_batch_find lists the JSON files found in the folder unread, marked; a file named is not */
	const char *roots[] = { pdir, xfile };
	emh_discovery found;
	EMH_PASS(emh_batch_find(&found, roots, 2, NULL, &err), &err);
	ck_assert_uint_eq(found.count, 4);
	static const char *const tails[] = { "/p/a", "/p/d.json", "/p/e.json", "/p/x.json" };
	static const unsigned char marked[] = { 0, 1, 1, 0 };
	emh_buf path = EMH_BUF_INIT;
	for (size_t i = 0; i < 4; i++) {
		ck_assert_str_eq(emh_discovery_path(&found, i, &path) + strlen(tmp), tails[i]);
		ck_assert_int_eq(emh_discovery_unread(&found, i), marked[i]);
	}
	emh_buf_dispose(&path);
	/* the batch reads d and e once, finds emheval's outputs, and lists them with the skips */
	emh_batch_options bo = EMH_BATCH_OPTIONS_INIT;
	bo.criteria = set;
	bo.out_dir = out;
	bo.outcomes = 1;
	bo.jobs = 2;
	emh_batch_summary sum;
	EMH_PASS(emh_batch_run_found(&sum, &found, &bo, &err), &err);
	ck_assert_uint_eq(sum.total, 2);
	ck_assert_uint_eq(sum.skipped, 2);
	ck_assert_int_eq(emh_test_sh("jq -e '(.submissions | map(.name)) == [\"a\", \"x\"] and .summary.total == 2 "
	                             "and (.skipped | length) == 2 and (.skipped[0] | endswith(\"/p/d.json: an emheval "
	                             "record (its format says so), not a submission\")) and (.skipped[1] | "
	                             "endswith(\"/p/e.json: a signature envelope, not a submission\"))' '%s/index.json' "
	                             ">/dev/null && test $(wc -l <'%s/outcomes.jsonl') = 2 && "
	                             "grep -q '^skipped: .*/p/e.json' '%s/summary.txt'", out, out, out), 0);
	emh_discovery_dispose(&found);
	/* emh_batch_discover reads the marked files itself and leaves the outputs out */
	char **paths = NULL;
	size_t n = 0;
	EMH_PASS(emh_batch_discover(&paths, &n, roots, 1, &err), &err);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(paths[0] + strlen(tmp), "/p/a");
	ck_assert_str_eq(paths[1] + strlen(tmp), "/p/x.json");
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	emh_criteria_free(set);
	emh_test_rmtree(tmp);
	free(repo);
	free(tmp);
}
END_TEST

Suite *emh_suite_batch(void);
Suite *emh_suite_batch(void)
{
	Suite *s = suite_create("batch");
	TCase *t = tcase_create("batch");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, batch_signs_and_files_the_dossier_it_evaluated);
	tcase_add_test(t, batch_passes_over_outputs_when_it_reads_them);
	suite_add_tcase(s, t);
	return s;
}
