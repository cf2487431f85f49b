/*
 * helpers.h - shared helpers for the Check unit tests.
 */
#ifndef EMH_TESTS_HELPERS_H
#define EMH_TESTS_HELPERS_H

#include <check.h>
#include <stdio.h>
#include "emheval/error.h"
#include "emheval/submission.h"

/* Asserts that a library call returned 0, printing its emh_error if not. */
#define EMH_PASS(call, errp) do { \
	int emh_rc_ = (call); \
	char emh_msg_[1400]; \
	ck_assert_msg(emh_rc_ == 0, "%s failed (%d): %s", #call, emh_rc_, \
	              emh_error_format((errp), emh_msg_, sizeof emh_msg_)); \
} while (0)

/* Makes a fresh temporary directory; returns a malloc'd path. */
char *emh_test_tmpdir(void);
/* Removes a directory tree (rm -rf). */
void emh_test_rmtree(const char *path);
/* Writes a file (creating parent folders); aborts the test on failure. */
void emh_test_write(const char *dir, const char *rel, const char *content);
/* Runs a shell command (with sh -c) and returns its exit status. */
int emh_test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Loading options without schema validation, for tests of the loader and the
 * evaluator on fragments (validation has its own suite, check_validate.c).
 */
const emh_submission_options *emh_test_unvalidated(void);

/* Every suite's constructor (one per line of suites.h). */
#define EMH_SUITE(name) Suite *emh_suite_##name(void);
#include "suites.h"
#undef EMH_SUITE

/*
 * Evaluation fixtures shared by the suites that compile small criteria sets
 * and evaluate submissions in memory (check_eval.c, check_evaluate.c,
 * check_verdict.c, check_submission.c), defined in eval_fixtures.c. A suite
 * asks for them by defining EMH_TEST_EVAL_FIXTURES before it includes this
 * header: their short names (dq, run, L, ...) mean other things elsewhere.
 * The JSON is written with single quotes, which dq() turns into double quotes.
 */
#ifdef EMH_TEST_EVAL_FIXTURES
#include "emheval/emheval.h"

/* A copy of s with every ' turned into ". The caller frees. */
char *dq(const char *s);

/* A framework of three categories and domains d, e (c2) and f, tier weights for C, and a policy that
 * rejects or asks for review on a blocker or major and gives a minor 90 days as a condition. */
extern const char fw_default[];

/* One criterion: its id, severity (NULL: minor), domain (NULL: d), and members. */
typedef struct spec {
	const char *id;
	const char *severity;
	const char *members; /* e.g. "'check': {...}", single-quoted */
	const char *domain;
} spec;

/* Compiles a framework and criteria (single-quoted JSON); aborts on any problem. */
emh_criteria *build(const char *fw, const spec *sp, size_t n, int reverse);

/* Evaluates a submission (single-quoted JSON); explain on. */
emh_dossier *run_opts(const emh_criteria *c, const char *sub, const char *as_of, int explain);
emh_dossier *run(const emh_criteria *c, const char *sub);
const emh_result *result(const emh_dossier *d, const char *id);

/* Leaves with a known outcome on L. */
#define P "{'path': '/one', 'eq': 1}"
#define F "{'path': '/one', 'eq': 2}"
#define E "{'path': '/str', 'gt': 0}"
#define R "{'path': '/unk', 'eq': 1}"
/* The submission the leaves and most verdict tests run on. */
extern const char L[];

/* The submission findings are located in (line and column). */
extern const char FSUB[];
#endif /* EMH_TEST_EVAL_FIXTURES */

/*
 * Criteria fixtures shared by the suites of the criteria stage
 * (check_criteria.c, check_compile.c, check_framework.c), defined in
 * criteria_fixtures.c; a suite asks for them by defining
 * EMH_TEST_CRITERIA_FIXTURES before it includes this header.
 */
#ifdef EMH_TEST_CRITERIA_FIXTURES
#include "emheval/criteria.h"

/* framework.json of the sets: categories safe and secure, domains alpha and beta, a policy that rejects. */
extern const char fw_ok[];

#define MAX_FILES 16
#define MAX_PROBLEMS 32

/* Criteria files in memory, with the texts the set owns. */
typedef struct fileset {
	emh_criteria_file files[MAX_FILES];
	char *owned[MAX_FILES];
	size_t n;
} fileset;

/* A formatted string (malloc'd; the caller frees). */
char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* Adds a file; text is copied. */
void add(fileset *fs, const char *path, const char *text);
void fileset_dispose(fileset *fs);
/* The text of a criterion: the required keys on lines 2-9, then body (members, e.g. "\"check\": {...}"). */
char *crit(const char *id, const char *domain, const char *body);
/* Adds DOMAIN/ID.json built by crit(). */
void add_crit(fileset *fs, const char *path, const char *id, const char *domain, const char *body);

/* Problems seen by on_problem. */
typedef struct problems {
	emh_error e[MAX_PROBLEMS];
	size_t n;
} problems;
/* The on_problem callback that fills a problems (payload). */
void collect(const emh_error *p, void *payload);
/* Compiles fs; returns the code, fills err and ps (either may be NULL). */
int compile_set(const fileset *fs, const char *path, emh_error *err, problems *ps);
/* 1-based line and byte column where needle first occurs in text. */
void pos_of(const char *text, const char *needle, unsigned *line, unsigned *col);
/*
 * Compiles fw_ok and one criterion alpha/A-1.json with body, and checks the
 * one problem: code EMH_EINVALID (unless code != 0 is given), file label,
 * pointer, the position of marker (if not NULL), and that the message
 * contains says.
 */
void expect_problem(const char *body, const char *pointer, const char *marker, const char *says, int code);
#endif /* EMH_TEST_CRITERIA_FIXTURES */

/*
 * Observer fixtures shared by the suites of the observers (check_trackers.c,
 * check_har.c, check_observe.c), defined in observe_fixtures.c; a suite asks
 * for them by defining EMH_TEST_OBSERVE_FIXTURES before it includes this
 * header. JSON is written with single quotes, which dq() turns into double
 * quotes.
 */
#ifdef EMH_TEST_OBSERVE_FIXTURES
#include "emheval/emheval.h"
#include "evaluator/observe.h"

/* A copy of s with every ' turned into " (eval_fixtures.c). The caller frees. */
char *dq(const char *s);

/* The first problem a run reported, and how many it reported (an on_problem payload: collect_first). */
typedef struct first_problem {
	int n;
	emh_error first;
} first_problem;
void collect_first(const emh_error *e, void *payload);

/* A catalogue of four trackers (single-quoted): meta_pixel, fb_events, fb_core, sentry. */
extern const char catalogue[];
/* The catalogue compiled into t; aborts on any problem. */
void compile_catalogue(emh_trackers *t);

/* A submission observed: what emh_observe_run returned, and what it made. */
typedef struct observed {
	emh_submission *sub;
	emh_observation *obs;
	emh_trackers cat;
	int rc;
	emh_error err;
} observed;
/* Loads a submission (single-quoted JSON) with capture.har = har (taken as is). */
void observe(observed *o, const char *sub, const char *har);
void observed_free(observed *o);
/* A submission with the test persona, a first-party host, Sentry declared, and capture.har listed. */
extern const char persona_sub[];
/* The length of the observation's array list ("hosts", "flows", "declared", ...). */
int count(const observed *o, const char *list);
#endif /* EMH_TEST_OBSERVE_FIXTURES */

/*
 * Audit fixtures shared by the suites of the audit modules (check_sign.c,
 * check_verify.c, check_waiver.c, check_review.c, check_ledger.c,
 * check_batch.c), defined in audit_fixtures.c; a suite asks for them by
 * defining EMH_TEST_AUDIT_FIXTURES before it includes this header.
 */
#ifdef EMH_TEST_AUDIT_FIXTURES
#include "emheval/emheval.h"

/* A git repository holding tests/data/mini/criteria under criteria/; returns its path. */
char *mini_repo(const char *tmp);
/* The criteria set in that repository, loaded. */
emh_criteria *load_set(const char *repo);
/* The submission folder evaluated (with waivers, if any) and sealed. */
emh_dossier *evaluate_path(const emh_criteria *set, const char *sub_path, const char *as_of,
                           const emh_waivers *w);
/* A dossier rendered as JSON; the caller frees. */
char *render(const emh_dossier *d, size_t *len);
/* Writes, or reads whole, a file; aborts the test on failure. */
void write_bytes(const char *path, const char *data, size_t len);
char *read_all(const char *path, size_t *len);
/* A criterion's result in a dossier; aborts the test when it has none. */
const emh_result *result_of(const emh_dossier *d, const char *id);

/* Counts the checks of a verification, and remembers the first failure. */
typedef struct tally {
	char first_failed[64];
	char detail[1600];
} tally;
/* Verifies a dossier or envelope against a key, submission and criteria; tallies its checks in t. */
emh_verify_summary verify(const char *path, const char *pubkey, const char *sub, const char *repo, tally *t);

/* A signed dossier of the mini submission in a temporary folder: criteria repository, key pair, dossier and
   envelope. */
typedef struct signed_case {
	char *tmp, *repo, prefix[600], keypath[640], pubpath[640], dossier[640], envelope[660];
	emh_criteria *set;
	emh_dossier *d;
} signed_case;
void signed_setup(signed_case *c);
void signed_teardown(signed_case *c);

/* A reviews file parsed; and two reviews of SAFE-3 by different reviewers, a pass and a fail. */
emh_reviews *reviews_of(const char *json);
extern const char review_pass[];
extern const char review_fail[];
#endif /* EMH_TEST_AUDIT_FIXTURES */

/*
 * Gate fixtures shared by the gate's suites (check_lint.c, check_fixtures.c,
 * check_impact.c) and by the tests of the stages below it on the gate's
 * repository (check_criteria.c, check_framework.c, check_source.c,
 * check_submission.c), defined in gate_repo.c; a suite asks for
 * them by defining EMH_TEST_GATE_FIXTURES before it includes this header.
 * Each case builds its criteria repository with the git CLI in a temporary
 * folder (HOME and system config kept out), so the gate reads real commits
 * through libgit2 as it does in use.
 */
#if defined(EMH_TEST_GATE_FIXTURES) || defined(EMH_TEST_GATE_FRAMEWORK)
/* framework.json of the test sets: two domains, alpha and beta, and references REF 1 and REF 2 (alone, for a
 * suite with fixtures of its own: EMH_TEST_GATE_FRAMEWORK). */
extern const char fw_text[];
#endif

#ifdef EMH_TEST_GATE_FIXTURES
extern char *g_dir;   /* the test's temporary folder */
extern char g_repo[4200];
/* The checked fixture: the temporary folder with an empty git repository (g_repo) in it; and its removal. */
void setup(void);
void teardown(void);
/* Commits every change in the repository. */
void commit(const char *msg);
/* Writes a file in the repository. */
void put(const char *rel, const char *text);
/* framework.json as fw_text, with another version and more members (",\n  ..."). */
void put_fw(const char *version, const char *more);
/* A criterion file: id, domain, version and the rest of its members. */
void put_crit(const char *domain, const char *id, int version, const char *rest);
/* A set that lints clean: A-1 (a threshold), A-2 (text), B-1 (requires A-1). */
void base_set(void);
#endif /* EMH_TEST_GATE_FIXTURES */

#endif
