/*
 * cmd_evaluate.c - `emheval evaluate`: a regulator's batch over a portfolio.
 * Discovers submissions, runs the batch pipeline (evaluator/batch.c), shows
 * progress on stderr and prints the verdict counts.
 *
 * Exit status: 0 every submission was evaluated (and signed and filed, when
 * asked); 1 some could not be (each is in index.json with its error); 2
 * usage, criteria or output error.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "emheval/batch.h"

typedef struct progress {
	int tty;
	double start, last;
} progress;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A bar with count, rate and ETA on a terminal; a plain line every 2 s otherwise. */
static void show_progress(size_t done, size_t total, void *payload)
{
	progress *p = payload;
	double t = now(), el = t - p->start;
	int last = done == total;
	if (!last && t - p->last < (p->tty ? 0.1 : 2.0))
		return;
	p->last = t;
	double rate = el > 0 ? (double)done / el : 0;
	double eta = rate > 0 ? (double)(total - done) / rate : 0;
	if (p->tty) {
		char bar[31];
		size_t fill = total ? done * 30 / total : 30;
		for (size_t i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
		fprintf(stderr, "\r[%s] %zu/%zu  %.0f/s  ETA %.0fs ", bar, done, total, rate, eta);
		if (last)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "emheval: %zu/%zu evaluated (%.0f/s, ETA %.0fs)\n", done, total, rate, eta);
	}
}

/* Discovery, run beside the criteria's loading. */
typedef struct finding {
	emh_discovery *found;
	const char **pos;
	size_t npos;
	const char *out_dir;
	emh_error err;
	int rc;
} finding;

static void *find_submissions(void *arg)
{
	finding *f = arg;
	f->rc = emh_batch_find(f->found, f->pos, f->npos, f->out_dir, &f->err);
	return NULL;
}

static int parse_shard(const char *s, unsigned *k, unsigned *n)
{
	char *end;
	errno = 0;
	unsigned long a = strtoul(s, &end, 10);
	if (errno || end == s || *end != '/')
		return -1;
	const char *rest = end + 1;
	unsigned long b = strtoul(rest, &end, 10);
	if (errno || end == rest || *end || b == 0 || b > 100000 || a == 0 || a > b)
		return -1;
	*k = (unsigned)a - 1;
	*n = (unsigned)b;
	return 0;
}

/* Splits "json,html" into formats; "outcomes" sets *outcomes. */
static int parse_formats(const char *list, emh_format *out, size_t *n, int *outcomes)
{
	*n = 0;
	*outcomes = 0;
	char *copy = strdup(list);
	if (!copy)
		return -1;
	int rc = 0;
	for (char *save = NULL, *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		emh_format fmt;
		if (strcmp(f, "outcomes") == 0) {
			*outcomes = 1;
		} else if (emh_format_parse(&fmt, f) == 0) {
			int dup = 0;
			for (size_t i = 0; i < *n; i++)
				dup |= out[i] == fmt;
			if (!dup)
				out[(*n)++] = fmt;
		} else {
			rc = emh_cli_usage_error("unknown format '%s' (expected %s, or outcomes)", f, EMH_FORMAT_NAMES);
			break;
		}
	}
	free(copy);
	return rc;
}

static const emh_cli_opt evaluate_opts[] = {
	{ "out", 0, "DIR", "output folder (created if missing)", NULL, NULL },
	{ "jobs", 'j', "N", "worker threads; the files written do not depend on N", "one per core", NULL },
	{ "format", 0, "F,...", "formats per submission, as for check; \"outcomes\" adds outcomes.jsonl, one "
	  "line of outcomes each", "json", NULL },
	{ "shard", 0, "K/N", "evaluate only the K-th of N stable shards", NULL, NULL },
	{ "as-of", 0, "DATE", "evaluation date YYYY-MM-DD for every submission", "each submission's submission_date", NULL },
	{ "profile", 0, "ID[,ID]", "profiles to decide, as for check", "from each submission", NULL },
	{ "quiet", 'q', NULL, "no progress on standard error", NULL, NULL },
};
static const emh_cli_group evaluate_group = EMH_CLI_GROUP("evaluate options", evaluate_opts, 0);
static const emh_cli_group *const evaluate_groups[] = {
	&evaluate_group, &emh_cli_criteria_group, &emh_cli_publish_group, &emh_cli_limits_group, NULL,
};
const emh_cli_command emh_cli_evaluate = {
	"evaluate", "PATH...",
	"evaluate a portfolio into a folder",
	"Evaluates a portfolio: each PATH is a submission or a folder searched recursively. Worker threads share "
	"one compiled criteria set. Writes NAME.EXT per submission and format in --out DIR, plus index.json and "
	"summary.txt (and outcomes.jsonl with --format outcomes); NAME is the folder or file name with dots and "
	"tildes written ~2E and ~7E, so no two names and no batch file collide. One bad submission is recorded "
	"and never stops the batch, nor its signing and filing. The output folder, folders holding an emheval "
	"index and saved dossiers are never taken as submissions; what discovery skipped is listed in index.json "
	"and summary.txt.",
	"Exit status: 0 every submission evaluated (and signed and filed, when asked), 1 not all, 2 usage, "
	"criteria or output error.",
	evaluate_groups, emh_cmd_evaluate,
};

int emh_cmd_evaluate(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_evaluate, argc, argv, 2))
		return a.status;
	const char *criteria = emh_cli_get(&a, "criteria"), *criteria_path = emh_cli_get(&a, "criteria-path");
	const char *rev = emh_cli_get(&a, "rev"), *as_of = emh_cli_get(&a, "as-of");
	const char *profile = emh_cli_get(&a, "profile"), *out_dir = emh_cli_get(&a, "out");
	const char *jobs_s = emh_cli_get(&a, "jobs"), *formats_s = emh_cli_get(&a, "format");
	const char *shard_s = emh_cli_get(&a, "shard");
	/* audit: docs/audit.md */
	const char *sign_key = emh_cli_get(&a, "sign-key"), *waivers_file = emh_cli_get(&a, "waivers");
	const char *ledger = emh_cli_get(&a, "ledger"), *reviewers = emh_cli_get(&a, "reviewers");
	int quiet = emh_cli_flag(&a, "quiet");
	const char **pos = a.pos;
	size_t npos = a.npos;
	emh_discovery found = { 0 };
	emh_criteria *set = NULL;
	emh_key *key = NULL;
	emh_waivers *waivers = NULL;
	emh_ledger *lg = NULL;
	int status = EMH_EXIT_USAGE;
	emh_batch_options bo = EMH_BATCH_OPTIONS_INIT;
	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	if (emh_cli_limits_apply(&a, &so, &eo))
		goto done;
	bo.limits = &so;
	bo.max_array_visit = eo.max_array_visit;
	emh_format formats[EMH_FORMAT__COUNT];
	size_t nformats = 0;
	int outcomes = 0;
	if (!out_dir) {
		status = emh_cli_usage_error("evaluate needs --out DIR");
		goto done;
	}
	if (npos == 0) {
		status = emh_cli_usage_error("evaluate needs at least one PATH (a submission or a folder of them)");
		goto done;
	}
	if (jobs_s) {
		char *end;
		long j = strtol(jobs_s, &end, 10);
		if (*end || j < 1 || j > 1024) {
			status = emh_cli_usage_error("-j needs a number of workers from 1 to 1024, not '%s'", jobs_s);
			goto done;
		}
		bo.jobs = (unsigned)j;
	}
	if (shard_s && parse_shard(shard_s, &bo.shard_index, &bo.shard_count)) {
		status = emh_cli_usage_error("--shard needs K/N with 1 <= K <= N, not '%s'", shard_s);
		goto done;
	}
	if (parse_formats(formats_s ? formats_s : "json", formats, &nformats, &outcomes))
		goto done;
	emh_error err = EMH_ERROR_INIT;
	int has_json = 0;
	for (size_t i = 0; i < nformats; i++)
		has_json |= formats[i] == EMH_FORMAT_JSON;
	if ((sign_key || ledger) && !has_json) {
		status = emh_cli_usage_error("--sign-key and --ledger work on the json dossiers: add json to --format");
		goto done;
	}
	if ((sign_key && emh_key_load(&key, sign_key, &err)) ||
	    (waivers_file && emh_waivers_load(&waivers, waivers_file, &err)) ||
	    (ledger && emh_ledger_open(&lg, ledger, 1, &err))) {
		emh_cli_print_error(&err);
		goto done;
	}
	bo.waivers = emh_waivers_items(waivers, &bo.nwaivers);
	/* Discovery walks the folders while the criteria load (libgit2's start-up is most of a batch's
	 * fixed cost); neither touches what the other does. A discovery error (a path that does not exist)
	 * stops the command before a criteria error does; when both fail, the criteria's own messages,
	 * printed as they load, come first. */
	finding fs = { &found, pos, npos, out_dir, EMH_ERROR_INIT, 0 };
	pthread_t finder;
	int threaded = pthread_create(&finder, NULL, find_submissions, &fs) == 0;
	if (!threaded)
		find_submissions(&fs);
	int criteria_rc = emh_cli_load_criteria(&set, criteria, criteria_path, rev);
	if (threaded)
		pthread_join(finder, NULL);
	if (fs.rc) {
		emh_cli_print_error(&fs.err);
		goto done;
	}
	if (criteria_rc || emh_cli_authorize_waivers(waivers, set, reviewers, criteria, criteria_path))
		goto done;
	progress pr = { isatty(STDERR_FILENO), now(), 0 };
	bo.criteria = set;
	bo.out_dir = out_dir;
	bo.formats = formats;
	bo.nformats = nformats;
	bo.outcomes = outcomes;
	bo.as_of = as_of;
	bo.sign_key = key;
	bo.ledger = lg;
	bo.skipped = (const char *const *)found.skipped;
	bo.nskipped = found.nskipped;
	bo.profiles = profile;
	bo.on_warning = emh_cli_print_warning; /* told in batch order, like compiler warnings */
	if (!quiet) {
		bo.progress = show_progress;
		bo.payload = &pr;
	}
	emh_batch_summary sum;
	if (emh_batch_run_found(&sum, &found, &bo, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	printf("%zu submissions: %zu approved, %zu conditional, %zu awaiting_review, %zu incomplete, "
	       "%zu returned, %zu rejected", sum.total, sum.verdicts[EMH_VERDICT_APPROVED],
	       sum.verdicts[EMH_VERDICT_CONDITIONAL], sum.verdicts[EMH_VERDICT_AWAITING_REVIEW],
	       sum.verdicts[EMH_VERDICT_INCOMPLETE], sum.verdicts[EMH_VERDICT_RETURNED],
	       sum.verdicts[EMH_VERDICT_REJECTED]);
	if (sum.failed)
		printf(", %zu could not be evaluated (see %s/index.json)", sum.failed, out_dir);
	printf("\n");
	status = sum.failed ? 1 : 0;
	if (key || lg) {
		/* Signed and filed as evaluated, in index order (the ledger is one branch). */
		printf("%zu dossiers%s%s%s", sum.published, key ? " signed" : "", key && lg ? " and" : "",
		       lg ? " filed in the ledger" : "");
		if (sum.unpublished)
			printf(", %zu not (see publish_error in %s/index.json)", sum.unpublished, out_dir);
		printf("\n");
		if (sum.unpublished)
			status = 1;
	}
	if (found.nskipped + sum.skipped)
		printf("%zu paths skipped by discovery (listed in %s/summary.txt)\n", found.nskipped + sum.skipped,
		       out_dir);
done:
	emh_discovery_dispose(&found);
	emh_criteria_free(set);
	emh_ledger_free(lg);
	emh_waivers_free(waivers);
	emh_key_free(key);
	return status;
}
