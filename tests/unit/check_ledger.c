/*
 * check_ledger.c - unit tests for evaluator/audit/ledger.c: 1,000 dossiers
 * filed and verified, two writers at once, the first filing's
 * compare-and-swap, revisions out of order and refiling, path encoding, and
 * publishing exclusively (never replacing a file, envelope or symlink).
 *
 * Criteria come from a real git repository made from tests/data/mini at test
 * time, so dossiers carry real commit and tree ids and can be re-evaluated
 * (the audit fixtures are in helpers.h).
 */
#include <dirent.h>
#include <git2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "emheval/emheval.h"
#define EMH_TEST_AUDIT_FIXTURES
#include "helpers.h"

/* ---- ledger -------------------------------------------------------------------------------- */

static char *sub_text;

/* A dossier for app "app-N" (the mini submission with another id), evaluated in memory. */
static emh_dossier *app_dossier(const emh_criteria *set, int n, const char *version)
{
	if (!sub_text) {
		size_t len = 0;
		sub_text = read_all("data/mini/sub-ok/submission.json", &len);
	}
	const char *at = strstr(sub_text, "\"id\": \"calm\"");
	ck_assert_ptr_nonnull(at);
	char *text = malloc(strlen(sub_text) + 64);
	ck_assert_ptr_nonnull(text);
	int w = snprintf(text, strlen(sub_text) + 64, "%.*s\"id\": \"app-%04d\"%s", (int)(at - sub_text), sub_text, n,
	                 at + strlen("\"id\": \"calm\""));
	ck_assert_int_gt(w, 0);
	if (version) {
		char *v = strstr(text, "\"version\": \"1.0.0\"");
		ck_assert_ptr_nonnull(v);
		memcpy(v + 12, version, 5);
	}
	emh_submission *sub = NULL;
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_submission_load_buffer(&sub, text, strlen(text), "submission.json", emh_test_unvalidated(), &err), &err);
	EMH_PASS(emh_evaluate(&d, set, sub, NULL, &err), &err);
	EMH_PASS(emh_dossier_seal(d, &err), &err);
	emh_submission_free(sub);
	free(text);
	return d;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static size_t count_commits(const char *ledger)
{
	char cmd[700];
	snprintf(cmd, sizeof cmd, "git -C '%s' rev-list --count HEAD", ledger);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	unsigned long n = 0;
	ck_assert_int_eq(fscanf(p, "%lu", &n), 1);
	pclose(p);
	return n;
}

/* A ledger test's ground: a temporary folder with the mini criteria in a git repository, loaded, and the path of
   its ledger (tmp/ledger.git), not made here: ledger_open makes it, or two writers race to. */
typedef struct ledger_case {
	char *tmp, *repo, ledger[600];
	emh_criteria *set;
} ledger_case;

static void ledger_setup(ledger_case *c)
{
	memset(c, 0, sizeof *c);
	c->tmp = emh_test_tmpdir();
	c->repo = mini_repo(c->tmp);
	c->set = load_set(c->repo);
	snprintf(c->ledger, sizeof c->ledger, "%s/ledger.git", c->tmp);
}

/* The case's ledger, made when missing. */
static emh_ledger *ledger_open(const ledger_case *c)
{
	emh_ledger *l = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_ledger_open(&l, c->ledger, 1, &err), &err);
	return l;
}

static void ledger_teardown(ledger_case *c)
{
	emh_criteria_free(c->set);
	emh_test_rmtree(c->tmp);
	free(c->repo);
	free(c->tmp);
}

START_TEST(ledger_with_a_thousand_dossiers_verifies)
{
	ledger_case c;
	ledger_setup(&c);
	emh_ledger *l = ledger_open(&c);
	emh_error err = EMH_ERROR_INIT;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 1000; i++) {
		emh_dossier *d = app_dossier(c.set, i, NULL);
		char commit[41];
		EMH_PASS(emh_ledger_file(l, commit, d, NULL, 0, &err), &err);
		ck_assert_uint_eq(strlen(commit), 40);
		emh_dossier_free(d);
	}
	double filing = seconds_since(&t0);
	emh_ledger_free(l);
	ck_assert_uint_eq(count_commits(c.ledger), 1000);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	emh_verify_summary s;
	emh_ledger_verify_options lo = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	EMH_PASS(emh_ledger_verify(&s, c.ledger, &lo, &err), &err);
	double verifying = seconds_since(&t0);
	ck_assert_uint_eq(s.ok, 1000);
	ck_assert_uint_eq(s.failed, 0);
	fprintf(stderr, "audit: 1,000 dossiers filed in %.2f s, ledger verified in %.2f s\n", filing, verifying);
	ledger_teardown(&c);
}
END_TEST

typedef struct writer {
	const char *ledger;
	emh_dossier **ds;
	int n;
	int failures;
	char first_error[600]; /* what went wrong first, for the assertion's message */
} writer;

static void *write_all(void *arg)
{
	writer *w = arg;
	emh_ledger *l = NULL;
	emh_error err = EMH_ERROR_INIT;
	if (emh_ledger_open(&l, w->ledger, 1, &err)) {
		w->failures = w->n;
		snprintf(w->first_error, sizeof w->first_error, "open: %s", err.message);
		return NULL;
	}
	for (int i = 0; i < w->n; i++) {
		char commit[41];
		int rc = emh_ledger_file(l, commit, w->ds[i], NULL, 0, &err);
		if ((rc || !commit[0]) && w->failures++ == 0)
			snprintf(w->first_error, sizeof w->first_error, "dossier %d: %s", i,
			         rc ? err.message : "filed as already there");
	}
	emh_ledger_free(l);
	return NULL;
}

START_TEST(ledger_two_writers_never_lose_a_commit)
{
	ledger_case c;
	ledger_setup(&c); /* the ledger is not made: both writers race to make it */
	enum { N = 40 };
	emh_dossier *a[N], *b[N];
	for (int i = 0; i < N; i++) {
		a[i] = app_dossier(c.set, i, NULL);
		b[i] = app_dossier(c.set, 1000 + i, NULL);
	}
	/* Both writers also race to create the ledger. */
	writer wa = { c.ledger, a, N, 0, "" }, wb = { c.ledger, b, N, 0, "" };
	pthread_t ta, tb;
	ck_assert_int_eq(pthread_create(&ta, NULL, write_all, &wa), 0);
	ck_assert_int_eq(pthread_create(&tb, NULL, write_all, &wb), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ck_assert_msg(wa.failures == 0, "writer A failed %d times, first %s", wa.failures, wa.first_error);
	ck_assert_msg(wb.failures == 0, "writer B failed %d times, first %s", wb.failures, wb.first_error);
	ck_assert_uint_eq(count_commits(c.ledger), 2 * N);
	emh_verify_summary s;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_ledger_verify(&s, c.ledger, NULL, &err), &err);
	ck_assert_uint_eq(s.ok, 2 * N);
	ck_assert_uint_eq(s.failed, 0);
	for (int i = 0; i < N; i++) {
		emh_dossier_free(a[i]);
		emh_dossier_free(b[i]);
	}
	ledger_teardown(&c);
}
END_TEST

/* The first filing's compare-and-swap expects the zero id; the libgit2 linked here must refuse it under
   the branch's lock when the branch exists (a non-forced create checks before locking, and lost commits). */
START_TEST(ledger_first_commit_swap_refuses_an_existing_branch)
{
	ledger_case c;
	ledger_setup(&c);
	emh_ledger *l = ledger_open(&c);
	emh_error err = EMH_ERROR_INIT;
	emh_dossier *d = app_dossier(c.set, 7, NULL);
	char commit[41];
	EMH_PASS(emh_ledger_file(l, commit, d, NULL, 0, &err), &err);
	emh_ledger_free(l);
	ck_assert_int_ge(git_libgit2_init(), 1);
	git_repository *r = NULL;
	ck_assert_int_eq(git_repository_open(&r, c.ledger), 0);
	git_oid head, zero;
	memset(&zero, 0, sizeof zero);
	ck_assert_int_eq(git_reference_name_to_id(&head, r, "refs/heads/main"), 0);
	git_reference *ref = NULL;
	ck_assert_int_eq(git_reference_create_matching(&ref, r, "refs/heads/main", &head, 1, &zero, "t"), GIT_EMODIFIED);
	ck_assert_int_eq(git_reference_create_matching(&ref, r, "refs/heads/other", &head, 1, &zero, "t"), 0);
	git_reference_free(ref);
	git_repository_free(r);
	git_libgit2_shutdown();
	emh_dossier_free(d);
	ledger_teardown(&c);
}
END_TEST

typedef struct logged {
	int n;
	int revisions[8];
} logged;

static void on_entry(const emh_ledger_entry *e, void *payload)
{
	logged *lg = payload;
	if (lg->n < 8)
		lg->revisions[lg->n] = e->revision;
	lg->n++;
}

START_TEST(ledger_revisions_follow_in_order_and_refiling_is_idempotent)
{
	ledger_case c;
	ledger_setup(&c);
	emh_ledger *l = ledger_open(&c);
	emh_error err = EMH_ERROR_INIT;
	emh_dossier *r1 = evaluate_path(c.set, "data/mini/sub-ok", NULL, NULL), *r2 = NULL, *r3 = NULL;
	emh_reviews *a = reviews_of(review_pass), *b = reviews_of(review_fail);
	EMH_PASS(emh_review_apply(&r2, r1, c.set, a, NULL, &err), &err);
	EMH_PASS(emh_review_apply(&r3, r2, c.set, b, NULL, &err), &err);
	char commit[41];
	/* Revision 2 before revision 1: refused, nothing committed. */
	ck_assert_int_eq(emh_ledger_file(l, commit, r2, NULL, 0, &err), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "first"));
	EMH_PASS(emh_ledger_file(l, commit, r1, NULL, 0, &err), &err);
	ck_assert_uint_eq(strlen(commit), 40);
	EMH_PASS(emh_ledger_file(l, commit, r1, NULL, 0, &err), &err);
	ck_assert_str_eq(commit, ""); /* already there: nothing new */
	ck_assert_int_eq(emh_ledger_file(l, commit, r3, NULL, 0, &err), EMH_EINVALID); /* skips revision 2 */
	EMH_PASS(emh_ledger_file(l, commit, r2, NULL, 0, &err), &err);
	EMH_PASS(emh_ledger_file(l, commit, r3, NULL, 0, &err), &err);
	/* Revision 1 again after revision 3: a rollback, refused. */
	ck_assert_int_eq(emh_ledger_file(l, commit, r1, NULL, 0, &err), EMH_EINVALID);
	ck_assert_ptr_nonnull(strstr(err.message, "revisions only move forward"));
	/* An envelope that signs another dossier is refused. */
	char prefix[600], keypath[640];
	snprintf(prefix, sizeof prefix, "%s/k", c.tmp);
	snprintf(keypath, sizeof keypath, "%s.key", prefix);
	EMH_PASS(emh_key_generate(prefix, NULL, &err), &err);
	emh_key *key = NULL;
	EMH_PASS(emh_key_load(&key, keypath, &err), &err);
	emh_buf env = EMH_BUF_INIT;
	EMH_PASS(emh_sign_dossier(&env, r1, key, &err), &err);
	emh_dossier *other = app_dossier(c.set, 7, NULL);
	ck_assert_int_eq(emh_ledger_file(l, commit, other, env.ptr, env.len, &err), EMH_EINVALID);
	emh_ledger_free(l);
	ck_assert_uint_eq(count_commits(c.ledger), 3);
	logged lg = { 0, { 0 } };
	EMH_PASS(emh_ledger_log(c.ledger, "calm", on_entry, &lg, &err), &err);
	ck_assert_int_eq(lg.n, 3);
	ck_assert_int_eq(lg.revisions[0], 1);
	ck_assert_int_eq(lg.revisions[2], 3);
	lg.n = 0;
	EMH_PASS(emh_ledger_log(c.ledger, "nobody", on_entry, &lg, &err), &err);
	ck_assert_int_eq(lg.n, 0);
	emh_verify_summary s;
	EMH_PASS(emh_ledger_verify(&s, c.ledger, NULL, &err), &err);
	ck_assert_uint_eq(s.ok, 3);
	/* With a key, unsigned dossiers fail. */
	char pub[640];
	snprintf(pub, sizeof pub, "%s.pub", prefix);
	emh_ledger_verify_options lo = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	lo.pubkey = pub;
	EMH_PASS(emh_ledger_verify(&s, c.ledger, &lo, &err), &err);
	ck_assert_uint_eq(s.failed, 3);
	emh_buf_dispose(&env);
	emh_key_free(key);
	emh_dossier_free(other);
	emh_dossier_free(r1);
	emh_dossier_free(r2);
	emh_dossier_free(r3);
	emh_reviews_free(a);
	emh_reviews_free(b);
	ledger_teardown(&c);
}
END_TEST

START_TEST(ledger_paths_are_safe_and_distinct)
{
	char p[256];
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_ledger_path(p, sizeof p, "uk.co.example.app", "1.4.0", &err), &err);
	ck_assert_str_eq(p, "dossiers/uk.co.example.app/1.4.0");
	EMH_PASS(emh_ledger_path(p, sizeof p, "../etc", ".git", &err), &err);
	ck_assert_str_eq(p, "dossiers/%2E.%2Fetc/%2Egit");
	EMH_PASS(emh_ledger_path(p, sizeof p, "a/b", "x y%", &err), &err);
	ck_assert_str_eq(p, "dossiers/a%2Fb/x%20y%25");
	EMH_PASS(emh_ledger_path(p, sizeof p, "caf\xc3\xa9", "1\n2", &err), &err);
	ck_assert_str_eq(p, "dossiers/caf%C3%A9/1%0A2");
	ck_assert_int_eq(emh_ledger_path(p, sizeof p, "", "1", &err), EMH_EINVALID);
	ck_assert_int_eq(emh_ledger_path(p, sizeof p, "a", NULL, &err), EMH_EINVALID);
	ck_assert_int_eq(emh_ledger_path(p, 12, "abcdef", "1", &err), EMH_ELIMIT);
	emh_ledger *l = NULL;
	ck_assert_int_eq(emh_ledger_open(&l, "/nonexistent/ledger", 0, &err), EMH_ENOTFOUND);
}
END_TEST

/* Publishing exclusively (review's default file): an existing file, envelope or symlink is never replaced. */
typedef struct exclusive_writer {
	const emh_dossier *d;
	const char *path;
	int rc;
} exclusive_writer;

static void *publish_exclusive(void *arg)
{
	exclusive_writer *w = arg;
	emh_error err = EMH_ERROR_INIT;
	emh_publish_options po = EMH_PUBLISH_OPTIONS_INIT;
	po.output = w->path;
	po.exclusive = 1;
	w->rc = emh_dossier_publish(NULL, w->d, &po, &err);
	return NULL;
}

START_TEST(exclusive_publish_never_replaces)
{
	signed_case c;
	signed_setup(&c);
	emh_error err = EMH_ERROR_INIT;
	char *before = NULL, *after = NULL;
	size_t n1 = 0, n2 = 0;
	EMH_PASS(emh_io_read_file(&before, &n1, c.dossier, 1 << 24, &err), &err);
	emh_publish_options po = EMH_PUBLISH_OPTIONS_INIT;
	po.output = c.dossier;
	po.exclusive = 1;
	ck_assert_int_eq(emh_dossier_publish(NULL, c.d, &po, &err), EMH_EIO);
	ck_assert_ptr_nonnull(strstr(err.message, "already exists: it is not replaced"));
	EMH_PASS(emh_io_read_file(&after, &n2, c.dossier, 1 << 24, &err), &err);
	ck_assert_uint_eq(n1, n2);
	ck_assert_int_eq(memcmp(before, after, n1), 0);
	/* A dangling symlink is a name taken too: it is neither followed nor replaced. */
	char link_path[600], target[600];
	snprintf(link_path, sizeof link_path, "%s/link.json", c.tmp);
	snprintf(target, sizeof target, "%s/elsewhere.json", c.tmp);
	ck_assert_int_eq(symlink(target, link_path), 0);
	po.output = link_path;
	emh_error_clear(&err);
	ck_assert_int_eq(emh_dossier_publish(NULL, c.d, &po, &err), EMH_EIO);
	struct stat st;
	ck_assert_int_eq(lstat(link_path, &st), 0);
	ck_assert(S_ISLNK(st.st_mode));
	ck_assert_int_ne(access(target, F_OK), 0);
	/* Eight writers race for one new name: exactly one wins, and no temporary file is left. */
	char fresh[600];
	snprintf(fresh, sizeof fresh, "%s/fresh.json", c.tmp);
	exclusive_writer w[8];
	pthread_t th[8];
	for (int i = 0; i < 8; i++) {
		w[i] = (exclusive_writer){ c.d, fresh, -1 };
		ck_assert_int_eq(pthread_create(&th[i], NULL, publish_exclusive, &w[i]), 0);
	}
	int won = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(th[i], NULL);
		won += w[i].rc == 0;
	}
	ck_assert_int_eq(won, 1);
	free(after);
	after = NULL;
	EMH_PASS(emh_io_read_file(&after, &n2, fresh, 1 << 24, &err), &err);
	ck_assert_uint_eq(n2, n1); /* the same dossier, whole */
	ck_assert_int_eq(memcmp(before, after, n1), 0);
	DIR *dir = opendir(c.tmp);
	ck_assert_ptr_nonnull(dir);
	for (struct dirent *e; (e = readdir(dir));)
		ck_assert_msg(!strstr(e->d_name, ".tmp."), "temporary file left: %s", e->d_name);
	closedir(dir);
	free(before);
	free(after);
	signed_teardown(&c);
}
END_TEST

Suite *emh_suite_ledger(void);
Suite *emh_suite_ledger(void)
{
	Suite *s = suite_create("ledger");
	TCase *t = tcase_create("ledger");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, exclusive_publish_never_replaces);
	tcase_add_test(t, ledger_with_a_thousand_dossiers_verifies);
	tcase_add_test(t, ledger_two_writers_never_lose_a_commit);
	tcase_add_test(t, ledger_first_commit_swap_refuses_an_existing_branch);
	tcase_add_test(t, ledger_revisions_follow_in_order_and_refiling_is_idempotent);
	tcase_add_test(t, ledger_paths_are_safe_and_distinct);
	suite_add_tcase(s, t);
	return s;
}
