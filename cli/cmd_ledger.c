/*
 * cmd_ledger.c - `emheval ledger verify REPO` walks a ledger and checks
 * every commit and dossier in it; `emheval ledger log REPO [APP]` lists the
 * dossiers filed, oldest first: an app's decisions over time; `emheval
 * ledger add REPO DOSSIER...` files dossiers written earlier (with the
 * envelope beside each, when there is one) and, with --submission DIR, the
 * submission the dossier was made from (--withhold keeps confidential
 * documents out).
 *
 * Exit status: 0 verified (or listed); 1 a commit failed verification; 2 a
 * usage error or no ledger at REPO.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "emheval/io.h"
#include "cli/cli.h"
#include "cli/commands.h"

static void print_commit(const char *name, emh_check_status st, const char *detail, void *payload)
{
	(void)payload;
	emh_cli_print_line(stdout, "%-8s %.12s %s", st == EMH_CHECK_OK ? "ok" : st == EMH_CHECK_FAILED ? "FAILED" : "skipped", name, detail);
}

static const emh_cli_opt verify_opts[] = {
	{ "pubkey", 0, "KEY", "every dossier must be signed by KEY, and every commit must carry a Ledger-Sequence and "
	  "a Ledger-Signature by KEY over its place in the chain", NULL, NULL },
	{ "anchor", 0, "COMMIT", "a commit that must still be in the ledger's history (catches a history cut "
	  "short)", NULL, NULL },
	{ "verbose", 'v', NULL, "print every commit, not only the failures", NULL, NULL },
};
static const emh_cli_group verify_group = EMH_CLI_GROUP("ledger verify options", verify_opts, 0);
static const emh_cli_group *const verify_groups[] = { &verify_group, NULL };
const emh_cli_command emh_cli_ledger_verify = {
	"ledger verify", "REPO",
	"verify every commit and dossier",
	"Walks a git ledger of dossiers from its first commit and checks every commit and every dossier in it: a "
	"linear history, one dossier per commit, the chain, canonical dossiers matching their digests, envelopes "
	"(docs/audit.md). Prints each failing commit and a count.",
	"Exit status: 0 verified, 1 a commit failed verification, 2 usage error or no ledger at REPO.",
	verify_groups, emh_cmd_ledger_verify,
};

int emh_cmd_ledger_verify(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_ledger_verify, argc, argv, 3))
		return a.status;
	emh_ledger_verify_options lo = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	lo.pubkey = emh_cli_get(&a, "pubkey");
	lo.anchor = emh_cli_get(&a, "anchor");
	lo.verbose = emh_cli_flag(&a, "verbose");
	const char **pos = a.pos;
	if (a.npos != 1)
		return emh_cli_usage_error("ledger verify needs one REPO");
	lo.on_check = print_commit;
	emh_verify_summary sum;
	emh_error err = EMH_ERROR_INIT;
	if (emh_ledger_verify(&sum, pos[0], &lo, &err)) {
		fflush(stdout);
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	printf("ledger: %u commit%s verified, %u failed\n", sum.ok, sum.ok == 1 ? "" : "s", sum.failed);
	return sum.failed ? 1 : 0;
}

int emh_cli_reviewer_seen(const emh_dossier *d, size_t i)
{
	const emh_review *r = &d->reviews[i];
	for (size_t j = 0; j < i; j++) {
		const emh_review *q = &d->reviews[j];
		if (q->reviewer && r->reviewer && strcmp(q->reviewer, r->reviewer) == 0 &&
		    ((!q->role && !r->role) || (q->role && r->role && strcmp(q->role, r->role) == 0)))
			return 1;
	}
	return 0;
}

/*
 * A filing in at most three lines that fit 80 columns (but for a long app
 * id or reviewer name): what was decided, then when, against what and its
 * digest, then who reviewed it (when anyone did). Continuation lines start
 * with spaces, so a filing is a line that does not (grep '^[^ ]').
 */
static void print_entry(const emh_ledger_entry *e, void *payload)
{
	(void)payload;
	char when[32] = "";
	time_t t = (time_t)e->time;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	/* App ids come from vendors: print the ledger's percent-encoded path, never raw bytes. */
	const char *app = e->path + strlen("dossiers/");
	const char *end = strrchr(app, '/');
	emh_cli_print_line(stdout, "%.12s %.*s revision=%d %s, as of %s%s", e->commit, (int)(end ? end - app : 0), app,
	                   e->revision, e->verdict, e->as_of ? e->as_of : "-", e->is_signed ? ", signed" : "");
	emh_cli_print_line(stdout, "  filed %s, criteria %.12s, %.23s", when,
	                   e->criteria_commit ? e->criteria_commit : "-", e->digest);
	char line[512];
	size_t len = 0;
	for (size_t i = 0; e->dossier && i < e->dossier->nreviews; i++) {
		const emh_review *r = &e->dossier->reviews[i];
		if (!r->reviewer || emh_cli_reviewer_seen(e->dossier, i))
			continue;
		char who[256];
		int n = snprintf(who, sizeof who, "%s%s%s%s", r->reviewer, r->role ? " (" : "", r->role ? r->role : "",
		                 r->role ? ")" : "");
		if (n < 0)
			continue;
		if (len && len + 2 + (size_t)n > 80) { /* wrap between reviewers */
			emh_cli_print_line(stdout, "%s,", line);
			len = (size_t)snprintf(line, sizeof line, "    %s", who);
		} else
			len = (size_t)snprintf(line + len, sizeof line - len, "%s%s", len ? ", " : "  reviewed by ", who) + len;
		if (len >= sizeof line)
			len = sizeof line - 1;
	}
	if (len)
		emh_cli_print_line(stdout, "%s", line);
}

static const emh_cli_opt log_opts[] = {
	{ "format", 0, "FORMAT", "text (two or three lines a dossier, within 80 columns) or json (an array of objects, with the reviewers of "
	  "each dossier; docs/audit.md)", "text", "text json" },
};
static const emh_cli_group log_group = EMH_CLI_GROUP("ledger log options", log_opts, 0);
static const emh_cli_group *const log_groups[] = { &log_group, NULL };
const emh_cli_command emh_cli_ledger_log = {
	"ledger log", "REPO [APP]",
	"list a ledger's dossiers, oldest first",
	"Lists the dossiers filed in a ledger, oldest first (with APP, one app's decisions over time): commit, "
	"app, revision, verdict, evaluation date and whether it is signed; then the commit time, criteria commit "
	"and digest; then the reviewers, when any review is recorded. Continuation lines start with spaces; "
	"scripts read --format json.",
	"Exit status: 0 listed, 2 usage error or no ledger at REPO.",
	log_groups, emh_cmd_ledger_log,
};

int emh_cmd_ledger_log(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_ledger_log, argc, argv, 3))
		return a.status;
	const char **pos = a.pos;
	size_t npos = a.npos;
	if (npos < 1 || npos > 2)
		return npos ? emh_cli_usage_error("unexpected argument %s", pos[2])
		            : emh_cli_usage_error("ledger log needs REPO (and optionally an APP id)");
	const char *format = emh_cli_get(&a, "format");
	if (format && strcmp(format, "json") == 0)
		return emh_cli_ledger_log_json(pos[0], npos > 1 ? pos[1] : NULL); /* cmd_ledger_show.c */
	if (format && strcmp(format, "text") != 0)
		return emh_cli_usage_error("ledger log --format takes text or json, not '%s'", format);
	emh_error err = EMH_ERROR_INIT;
	if (emh_ledger_log(pos[0], npos > 1 ? pos[1] : NULL, print_entry, NULL, &err)) {
		fflush(stdout);
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
}

static const emh_cli_opt add_opts[] = {
	{ "sign-key", 0, "KEY", "each filing signs its place in the ledger's chain with KEY", NULL, NULL },
	{ "submission", 0, "DIR", "store the submission the (one) dossier was made from beside it, each file once "
	  "by SHA-256 (docs/audit.md)", NULL, NULL },
	{ "withhold", 0, "LIST", "keep these evidence paths or kinds (comma-separated) out of the ledger: "
	  "confidential; their hashes stay in the dossier", NULL, NULL },
};
static const emh_cli_group add_group = EMH_CLI_GROUP("ledger add options", add_opts, 0);
static const emh_cli_group *const add_groups[] = { &add_group, NULL };
const emh_cli_command emh_cli_ledger_add = {
	"ledger add", "REPO DOSSIER...",
	"file dossiers written earlier",
	"Files dossiers written earlier in a git ledger (created if absent), each with the DSSE envelope beside "
	"it when there is one.",
	"Exit status: 0 filed, 2 usage or input error.",
	add_groups, emh_cmd_ledger_add,
};

int emh_cmd_ledger_add(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_ledger_add, argc, argv, 3))
		return a.status;
	const char *sign_key = emh_cli_get(&a, "sign-key");
	emh_ledger_store store = { emh_cli_get(&a, "submission"), emh_cli_get(&a, "withhold") };
	const char **pos = a.pos;
	size_t npos = a.npos;
	if (npos < 2)
		return emh_cli_usage_error("ledger add needs REPO and at least one DOSSIER");
	if (store.submission && npos != 2)
		return emh_cli_usage_error("ledger add --submission DIR files one DOSSIER: the one made from DIR");
	if (store.withhold && !store.submission)
		return emh_cli_usage_error("--withhold needs --submission: it says what of the submission to keep out");
	emh_error err = EMH_ERROR_INIT;
	emh_ledger *lg = NULL;
	emh_key *key = NULL;
	/* With --sign-key each filing signs its place in the chain (docs/audit.md). */
	if ((sign_key && emh_key_load(&key, sign_key, &err)) || emh_ledger_open(&lg, pos[0], 1, &err) ||
	    (key && emh_ledger_set_signer(lg, key, &err))) {
		emh_cli_print_error(&err);
		emh_ledger_free(lg);
		emh_key_free(key);
		return EMH_EXIT_USAGE;
	}
	int status = 0;
	for (size_t i = 1; i < npos && status == 0; i++) {
		emh_dossier *d = NULL;
		char envpath[4096], commit[41];
		char *env = NULL;
		size_t envlen = 0;
		if (emh_dossier_load(&d, pos[i], &err) || emh_envelope_path(envpath, sizeof envpath, pos[i])) {
			status = EMH_EXIT_USAGE;
		} else {
			/* No envelope means unsigned; anything else in its place (a FIFO) is an error. */
			emh_error rerr = EMH_ERROR_INIT;
			int rrc = emh_io_read_file(&env, &envlen, envpath, (size_t)256 << 20, &rerr);
			if (rrc && rrc != EMH_ENOTFOUND) {
				err = rerr;
				status = EMH_EXIT_USAGE;
			}
		}
		if (status == 0 && emh_ledger_file_stored(lg, commit, d, env, envlen, &store, &err))
			status = EMH_EXIT_USAGE;
		if (status == 0)
			emh_cli_print_line(stdout, "%s %s%s%s", commit[0] ? "filed" : "already filed", pos[i], env ? " (signed)" : "",
			                   store.submission ? " with its submission" : "");
		free(env);
		emh_dossier_free(d);
	}
	if (status)
		emh_cli_print_error(&err);
	emh_ledger_free(lg);
	emh_key_free(key);
	return status;
}
