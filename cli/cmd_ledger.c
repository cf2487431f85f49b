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

static int ledger_verify(int argc, char **argv)
{
	emh_ledger_verify_options lo = EMH_LEDGER_VERIFY_OPTIONS_INIT;
	const emh_cli_option opts[] = { { "--pubkey", &lo.pubkey }, { "--anchor", &lo.anchor } };
	const emh_cli_flag flags[] = { { "--verbose", &lo.verbose }, { "-v", &lo.verbose } };
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 3, opts, 2, flags, 2, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
	if (npos != 1)
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
	emh_cli_print_line(stdout, "%.12s %s %.*s as_of=%s revision=%d %-11s %.23s criteria=%.12s%s", e->commit, when,
	       (int)(end ? end - app : 0), app, e->as_of ? e->as_of : "-", e->revision, e->verdict, e->digest,
	       e->criteria_commit ? e->criteria_commit : "-", e->is_signed ? " signed" : "");
}

static int ledger_log(int argc, char **argv)
{
	const char *pos[2];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 3, NULL, 0, NULL, 0, pos, 2, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
	if (npos < 1)
		return emh_cli_usage_error("ledger log needs REPO (and optionally an APP id)");
	emh_error err = EMH_ERROR_INIT;
	if (emh_ledger_log(pos[0], npos > 1 ? pos[1] : NULL, print_entry, NULL, &err)) {
		fflush(stdout);
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
}

static int ledger_add(int argc, char **argv)
{
	enum { MAX_FILES = 4096 };
	static const char *pos[MAX_FILES];
	size_t npos = 0;
	int help = 0;
	const char *sign_key = NULL;
	emh_ledger_store store = { NULL, NULL };
	const emh_cli_option opts[] = { { "--sign-key", &sign_key }, { "--submission", &store.submission },
	                                { "--withhold", &store.withhold } };
	int rc = emh_cli_parse(argc, argv, 3, opts, 3, NULL, 0, pos, MAX_FILES, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
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

int emh_cmd_ledger(int argc, char **argv)
{
	if (argc < 3)
		return emh_cli_usage_error("ledger needs a subcommand: verify REPO, log REPO [APP], add REPO DOSSIER...");
	if (strcmp(argv[2], "verify") == 0)
		return ledger_verify(argc, argv);
	if (strcmp(argv[2], "log") == 0)
		return ledger_log(argc, argv);
	if (strcmp(argv[2], "add") == 0)
		return ledger_add(argc, argv);
	if (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
	return emh_cli_usage_error("unknown ledger subcommand '%s' (verify, log or add)", argv[2]);
}
