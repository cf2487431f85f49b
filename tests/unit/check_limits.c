/*
 * check_limits.c - hostile input against the engine's limits and confinement
 * (docs/security.md): array elements visited per criterion, regex limits
 * (catastrophic backtracking ends as an error naming the limit, in bounded
 * time), the evidence size limits, and evidence or submission.json
 * that is a symlink, a FIFO or a device, including a symlink swapped in by
 * another thread while the submission is read.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include "emheval/emheval.h"
#include "evaluator/submission_internal.h"
#include "helpers.h"

static const char fw[] =
	"{\"name\": \"limits\", \"version\": \"1.0\", \"effective_date\": \"2026-01-01\","
	" \"categories\": [{\"id\": \"c\", \"title\": \"C\"}],"
	" \"domains\": [{\"id\": \"d\", \"title\": \"D\", \"category\": \"c\"}],"
	" \"verdict_policy\": {\"reject\": [\"blocker\", \"major\", \"minor\"], \"condition_days\": {}}}";

/* A set of one criterion X-1 whose check is the JSON text check. */
static emh_criteria *one(const char *check)
{
	size_t size = strlen(check) + 512;
	char *text = malloc(size);
	ck_assert_ptr_nonnull(text);
	snprintf(text, size,
	        "{\"id\": \"X-1\", \"version\": 1, \"title\": \"t\", \"domain\": \"d\","
	        " \"severity\": \"major\", \"references\": [\"T 1\"], \"check\": %s,"
	        " \"fail_message\": \"f\", \"remediation\": \"r\"}", check);
	emh_criteria_file files[2] = {
		{ "framework.json", fw, strlen(fw) },
		{ "d/X-1.json", text, strlen(text) },
	};
	emh_criteria *set = NULL;
	emh_error err = EMH_ERROR_INIT;
	EMH_PASS(emh_criteria_compile(&set, files, 2, NULL, &err), &err);
	free(text);
	return set;
}

/* Evaluates json against check with opts; returns the one result's outcome, reason in *why. */
static emh_outcome run(const char *check, const char *json, size_t max_visit, char *why, size_t whysize)
{
	emh_criteria *set = one(check);
	emh_submission *sub = NULL;
	emh_dossier *d = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	so.max_json_bytes = 64u * 1024u * 1024u;
	so.validation = EMH_VALIDATE_OFF;
	EMH_PASS(emh_submission_load_buffer(&sub, json, strlen(json), "s.json", &so, &err), &err);
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	eo.as_of = "2026-01-01";
	eo.max_array_visit = max_visit;
	EMH_PASS(emh_evaluate(&d, set, sub, &eo, &err), &err);
	ck_assert_uint_eq(d->nresults, 1);
	emh_outcome o = d->results[0].outcome;
	snprintf(why, whysize, "%s", d->results[0].reason ? d->results[0].reason : "");
	emh_dossier_free(d);
	emh_submission_free(sub);
	emh_criteria_free(set);
	return o;
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* {"xs": [0,0,...]} with n elements; the caller frees. */
static char *big_array(size_t n)
{
	char *j = malloc(2 * n + 32);
	ck_assert_ptr_nonnull(j);
	size_t k = (size_t)snprintf(j, 32, "{\"xs\": [");
	for (size_t i = 0; i < n; i++) {
		j[k++] = '0';
		j[k++] = i + 1 < n ? ',' : ']';
	}
	j[k++] = '}';
	j[k] = '\0';
	return j;
}

START_TEST(array_visit_limit_default)
{
	/* 1.5 million elements, over the default of 1,000,000 visits. */
	char *j = big_array(1500000);
	char why[400];
	double t0 = now();
	emh_outcome o = run("{\"path\": \"/xs\", \"all\": {\"path\": \"\", \"type\": \"integer\"}}", j, 0, why, sizeof why);
	ck_assert_int_eq(o, EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "array visit limit (1000000 elements per criterion)"), "reason: %s", why);
	ck_assert_msg(now() - t0 < 20, "took %.1f s", now() - t0);
	/* Under the limit the same check passes. */
	free(j);
	j = big_array(900000);
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"all\": {\"path\": \"\", \"type\": \"integer\"}}", j, 0, why, sizeof why),
	                 EMH_OUTCOME_PASS);
	free(j);
}
END_TEST

START_TEST(array_visit_limit_option_where_and_any)
{
	char *j = big_array(5000);
	char why[400];
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"any\": {\"path\": \"\", \"eq\": 1}}", j, 1000, why, sizeof why),
	                 EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "array visit limit (1000 elements"), "reason: %s", why);
	/* Inside "where" (where nothing is recorded) the reason still names the limit. */
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"where\": {\"path\": \"\", \"eq\": 0}, \"min_count\": 1}",
	                     j, 1000, why, sizeof why), EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "array visit limit"), "reason: %s", why);
	/* A failing branch still decides an "and": fail is certain whatever the array holds. */
	ck_assert_int_eq(run("{\"and\": [{\"path\": \"/nothere\", \"exists\": true},"
	                     " {\"path\": \"/xs\", \"all\": {\"path\": \"\", \"eq\": 0}}]}", j, 1000, why, sizeof why),
	                 EMH_OUTCOME_FAIL);
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"all\": {\"path\": \"\", \"eq\": 0}}", j, 5000, why, sizeof why),
	                 EMH_OUTCOME_PASS);
	free(j);
}
END_TEST

START_TEST(array_visit_limit_nested_and_unique)
{
	/* 1500 elements of 1500 each: 2.25 million visits through nested quantifiers. */
	size_t n = 1500;
	char *j = malloc(n * (2 * n + 8) + 64), why[400];
	ck_assert_ptr_nonnull(j);
	size_t k = (size_t)snprintf(j, 64, "{\"xs\": [");
	for (size_t i = 0; i < n; i++) {
		j[k++] = '[';
		for (size_t m = 0; m < n; m++) {
			j[k++] = '0';
			j[k++] = m + 1 < n ? ',' : ']';
		}
		j[k++] = i + 1 < n ? ',' : ']';
	}
	j[k++] = '}';
	j[k] = '\0';
	double t0 = now();
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"all\": {\"path\": \"\", \"all\": {\"path\": \"\", \"eq\": 0}}}",
	                     j, 0, why, sizeof why), EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "array visit limit"), "reason: %s", why);
	free(j);
	/* unique compares pairs: 2000 distinct elements are 2 million comparisons. */
	n = 2000;
	j = malloc(n * 12 + 64);
	ck_assert_ptr_nonnull(j);
	k = (size_t)snprintf(j, 64, "{\"xs\": [");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(j + k, 12, "%zu%c", i, i + 1 < n ? ',' : ']');
	j[k++] = '}';
	j[k] = '\0';
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"unique\": \"\"}", j, 0, why, sizeof why), EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "array visit limit"), "reason: %s", why);
	ck_assert_int_eq(run("{\"path\": \"/xs\", \"unique\": \"\"}", j, 3000000, why, sizeof why), EMH_OUTCOME_PASS);
	ck_assert_msg(now() - t0 < 20, "took %.1f s", now() - t0);
	free(j);
}
END_TEST

/* {"s": PREFIX + FILL x n + SUFFIX}; the caller frees. */
static char *long_string(const char *prefix, char fill, size_t n, const char *suffix)
{
	size_t size = n + strlen(prefix) + strlen(suffix) + 16;
	char *j = malloc(size);
	ck_assert_ptr_nonnull(j);
	size_t k = (size_t)snprintf(j, size, "{\"s\": \"%s", prefix);
	memset(j + k, fill, n);
	k += n;
	snprintf(j + k, size - k, "%s\"}", suffix);
	return j;
}

/* "among" walks every element its pointer fans out to: each value compared counts as a visit. */
START_TEST(array_visit_limit_among)
{
	char *j = big_array(5000), why[400];
	/* The first element is among the elements: found at the first comparison. */
	ck_assert_int_eq(run("{\"path\": \"/xs/0\", \"among\": \"/xs/*\"}", j, 1000, why, sizeof why), EMH_OUTCOME_PASS);
	/* 1 is not among 5,000 zeros: 5,000 comparisons, over a limit of 1,000, is an error, never a fail. */
	j[8] = '1'; /* {"xs": [1,0,0,...]} */
	ck_assert_int_eq(run("{\"path\": \"/xs/0\", \"among\": \"/xs/1\"}", j, 1000, why, sizeof why), EMH_OUTCOME_FAIL);
	const char *chk = "{\"path\": \"/xs/0\", \"among\": \"/ys/*\"}";
	ck_assert_int_eq(run(chk, j, 1000, why, sizeof why), EMH_OUTCOME_FAIL); /* nothing there */
	char *k = malloc(2 * 5000 + 64);
	ck_assert_ptr_nonnull(k);
	size_t n = (size_t)snprintf(k, 64, "{\"want\": 7, \"xs\": [");
	for (size_t i = 0; i < 5000; i++) {
		k[n++] = '0';
		k[n++] = i + 1 < 5000 ? ',' : ']';
	}
	k[n++] = '}';
	k[n] = '\0';
	ck_assert_int_eq(run("{\"path\": \"/want\", \"among\": \"/xs/*\"}", k, 1000, why, sizeof why), EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "array visit limit (1000 elements per criterion)"), "reason: %s", why);
	ck_assert_int_eq(run("{\"path\": \"/want\", \"among\": \"/xs/*\"}", k, 10000, why, sizeof why), EMH_OUTCOME_FAIL);
	free(k);
	free(j);
}
END_TEST

START_TEST(regex_exponential_pattern_is_an_error)
{
	char *j = long_string("", 'a', 100000, "!"), why[400];
	double t0 = now();
	ck_assert_int_eq(run("{\"path\": \"/s\", \"matches\": \"(a+)+$\"}", j, 0, why, sizeof why), EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "regex") && strstr(why, "limit"), "reason: %s", why);
	ck_assert_msg(strstr(why, "(a+)+$"), "the reason names the pattern: %s", why);
	ck_assert_msg(now() - t0 < 10, "took %.1f s", now() - t0);
	free(j);
}
END_TEST

START_TEST(regex_deep_backtracking_is_an_error)
{
	/* Each "a" is a backtracking point: JIT runs out of stack, the interpreter of heap or depth. */
	char *j = long_string("", 'a', 200000, "="), why[400];
	double t0 = now();
	ck_assert_int_eq(run("{\"path\": \"/s\", \"matches\": \"(a|aa)+b=\"}", j, 0, why, sizeof why),
	                 EMH_OUTCOME_ERROR);
	ck_assert_msg(strstr(why, "regex") && strstr(why, "limit"), "reason: %s", why);
	ck_assert_msg(now() - t0 < 10, "took %.1f s", now() - t0);
	free(j);
}
END_TEST

START_TEST(regex_linear_search_on_long_text_is_fine)
{
	char *j = long_string("", 'x', 4000000, " data retention "), why[400];
	ck_assert_int_eq(run("{\"path\": \"/s\", \"matches\": \"\\\\b(?:retain|retention)\\\\b\", \"flags\": \"i\"}",
	                     j, 0, why, sizeof why), EMH_OUTCOME_PASS);
	ck_assert_int_eq(run("{\"path\": \"/s\", \"not_matches\": \"\\\\bsell\\\\b[^.]{0,60}\\\\bdata\\\\b\"}",
	                     j, 0, why, sizeof why), EMH_OUTCOME_PASS);
	free(j);
}
END_TEST

/* ---- submission files ------------------------------------------------------------ */

static char *dir;
static void setup(void) { dir = emh_test_tmpdir(); }
static void teardown(void) { emh_test_rmtree(dir); free(dir); }

static int load_sub(emh_submission **s, const emh_submission_options *o, emh_error *err)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/sub", dir);
	return emh_submission_load(s, path, o ? o : emh_test_unvalidated(), err);
}

static void write_sub(const char *evidence_json)
{
	char json[2048];
	snprintf(json, sizeof json, "{\"submission_date\": \"2026-10-01\", \"app\": {\"id\": \"t\"},\n"
	         " \"evidence\": %s}\n", evidence_json);
	emh_test_write(dir, "sub/submission.json", json);
}

START_TEST(evidence_total_limit)
{
	emh_test_write(dir, "sub/a.md", "0123456789");
	emh_test_write(dir, "sub/b.md", "0123456789");
	write_sub("[{\"kind\": \"a\", \"path\": \"a.md\"}, {\"kind\": \"b\", \"path\": \"b.md\"},"
	          " {\"kind\": \"c\", \"path\": \"a.md\"}]");
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_submission_options o = *emh_test_unvalidated();
	o.max_evidence_total = 25;
	ck_assert_int_eq(load_sub(&s, &o, &err), EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "--max-evidence-total"), "%s", err.message);
	ck_assert_str_eq(err.pointer, "/evidence/2");
	o.max_evidence_total = 30;
	EMH_PASS(load_sub(&s, &o, &err), &err);
	emh_submission_free(s);
	s = NULL;
	o.max_evidence_bytes = 9;
	ck_assert_int_eq(load_sub(&s, &o, &err), EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "--max-evidence-bytes"), "%s", err.message);
	o.max_evidence_bytes = 0;
	o.max_json_bytes = 20;
	ck_assert_int_eq(load_sub(&s, &o, &err), EMH_ELIMIT);
	ck_assert_msg(strstr(err.message, "--max-submission-bytes"), "%s", err.message);
}
END_TEST

START_TEST(submission_json_symlink_refused)
{
	char path[4096];
	emh_test_write(dir, "secret.json", "{\"app\": {\"id\": \"secret\"}}");
	snprintf(path, sizeof path, "%s/sub", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/sub/submission.json", dir);
	ck_assert_int_eq(symlink("../secret.json", path), 0);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(load_sub(&s, NULL, &err), EMH_EUNSAFE);
	ck_assert_msg(strstr(err.message, "symlink"), "%s", err.message);
	/* Named directly by the user, the file is the user's choice and is read. */
	EMH_PASS(emh_submission_load(&s, path, emh_test_unvalidated(), &err), &err);
	emh_submission_free(s);
}
END_TEST

START_TEST(special_files_refused_unopened)
{
	char path[4096];
	write_sub("[{\"kind\": \"a\", \"path\": \"pipe\"}]");
	snprintf(path, sizeof path, "%s/sub/pipe", dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);
	emh_submission *s = NULL;
	emh_error err = EMH_ERROR_INIT;
	ck_assert_int_eq(load_sub(&s, NULL, &err), EMH_EUNSAFE);
	ck_assert_msg(strstr(err.message, "a FIFO"), "%s", err.message);
	ck_assert_str_eq(err.pointer, "/evidence/0");

	write_sub("[{\"kind\": \"a\", \"path\": \"zero\"}]");
	snprintf(path, sizeof path, "%s/sub/zero", dir);
	if (mknod(path, S_IFCHR | 0644, makedev(1, 5)) == 0) { /* /dev/zero's numbers; needs root */
		ck_assert_int_eq(load_sub(&s, NULL, &err), EMH_EUNSAFE);
		ck_assert_msg(strstr(err.message, "a device"), "%s", err.message);
	} else {
		fprintf(stderr, "special_files_refused_unopened: mknod: %s (device case skipped)\n", strerror(errno));
	}

	write_sub("[{\"kind\": \"a\", \"path\": \"docs\"}]");
	snprintf(path, sizeof path, "%s/sub/docs", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(load_sub(&s, NULL, &err), EMH_EUNSAFE);
	ck_assert_msg(strstr(err.message, "a folder"), "%s", err.message);

	/* A symlink that stays inside the folder is refused too: it could be swapped. */
	emh_test_write(dir, "sub/real.md", "text");
	write_sub("[{\"kind\": \"a\", \"path\": \"link.md\"}]");
	snprintf(path, sizeof path, "%s/sub/link.md", dir);
	ck_assert_int_eq(symlink("real.md", path), 0);
	ck_assert_int_eq(load_sub(&s, NULL, &err), EMH_EUNSAFE);
	ck_assert_msg(strstr(err.message, "symlink"), "%s", err.message);
	/* And a symlinked folder on the way. */
	write_sub("[{\"kind\": \"a\", \"path\": \"ln/real.md\"}]");
	snprintf(path, sizeof path, "%s/sub/ln", dir);
	ck_assert_int_eq(symlink(".", path), 0);
	ck_assert_int_eq(load_sub(&s, NULL, &err), EMH_EUNSAFE);
	ck_assert_ptr_null(s);
}
END_TEST

/* The swapping thread: a.md is the real file or a symlink to the secret, over and over. */
static volatile int swapping;
static void *swapper(void *arg)
{
	(void)arg;
	char real[4096], link[4096], tmp[4096];
	snprintf(real, sizeof real, "%s/sub/a.md", dir);
	snprintf(link, sizeof link, "%s/sub/a.link", dir);
	snprintf(tmp, sizeof tmp, "%s/sub/a.real", dir);
	while (swapping) {
		/* A yield after each step: valgrind runs one thread at a time, and without them
		 * the reader starves (minutes per load) or only ever sees the end of a cycle. */
		rename(real, tmp);
		sched_yield();
		rename(link, real); /* a.md is now the symlink */
		sched_yield();
		rename(real, link);
		sched_yield();
		rename(tmp, real);  /* a.md is the file again */
		sched_yield();
	}
	return NULL;
}

START_TEST(symlink_swapped_during_reads_is_never_followed)
{
	char path[4096];
	emh_test_write(dir, "secret.md", "SECRET");
	emh_test_write(dir, "sub/a.md", "public text");
	write_sub("[{\"kind\": \"a\", \"path\": \"a.md\"}]");
	snprintf(path, sizeof path, "%s/sub/a.link", dir);
	ck_assert_int_eq(symlink("../secret.md", path), 0);
	pthread_t t;
	swapping = 1;
	ck_assert_int_eq(pthread_create(&t, NULL, swapper, NULL), 0);
	int read_ok = 0, refused = 0, missing = 0;
	/* Under valgrind (EMH_TEST_LIGHT) each load is slow: fewer rounds still race. */
	int rounds = getenv("EMH_TEST_LIGHT") ? 300 : 3000;
	for (int i = 0; i < rounds; i++) {
		emh_submission *s = NULL;
		emh_error err = EMH_ERROR_INIT;
		int rc = load_sub(&s, NULL, &err);
		if (rc == 0 && s->evidence[0].text) {
			ck_assert_str_eq(s->evidence[0].text, "public text");
			read_ok++;
		} else if (rc == 0) {
			missing++; /* caught between two renames */
		} else {
			ck_assert_int_eq(rc, EMH_EUNSAFE);
			refused++;
		}
		emh_submission_free(s);
	}
	swapping = 0;
	pthread_join(t, NULL);
	fprintf(stderr, "swap race: %d read, %d refused, %d missing; the secret never\n", read_ok, refused, missing);
	ck_assert_msg(refused + missing > 0, "the swap was never seen: the race was not run");
}
END_TEST

Suite *emh_suite_limits(void)
{
	Suite *s = suite_create("limits");
	TCase *tc = tcase_create("eval");
	tcase_set_timeout(tc, 120);
	/* Millions of elements and megabytes of text: make test and make asan run these;
	 * under valgrind (EMH_TEST_LIGHT, make valgrind) they would take most of an hour. */
	int light = getenv("EMH_TEST_LIGHT") != NULL;
	if (!light) {
		tcase_add_test(tc, array_visit_limit_default);
		tcase_add_test(tc, array_visit_limit_nested_and_unique);
	tcase_add_test(tc, array_visit_limit_among);
		tcase_add_test(tc, regex_exponential_pattern_is_an_error);
		tcase_add_test(tc, regex_deep_backtracking_is_an_error);
		tcase_add_test(tc, regex_linear_search_on_long_text_is_fine);
	}
	tcase_add_test(tc, array_visit_limit_option_where_and_any);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, evidence_total_limit);
	tcase_add_test(tc, submission_json_symlink_refused);
	tcase_add_test(tc, special_files_refused_unopened);
	tcase_add_test(tc, symlink_swapped_during_reads_is_never_followed);
	suite_add_tcase(s, tc);
	return s;
}
