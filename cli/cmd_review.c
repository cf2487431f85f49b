/*
 * cmd_review.c - `emheval review DOSSIER --decisions FILE`: applies a
 * reviewer's decisions and writes the next revision of the dossier,
 * optionally signed and filed in a ledger. Everything is checked (the
 * dossier, the decisions, the criteria it records) before anything is
 * written.
 *
 * Exit status as for check: 0 the new revision is approved, 1 it is not,
 * 2 a usage or input error (nothing written).
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"

int emh_cmd_review(int argc, char **argv)
{
	const char *decisions = NULL, *sign_key = NULL, *criteria = NULL, *output = NULL, *ledger = NULL;
	const emh_cli_option opts[] = {
		{ "--decisions", &decisions }, { "--sign-key", &sign_key }, { "--criteria", &criteria },
		{ "--output", &output }, { "-o", &output }, { "--ledger", &ledger },
	};
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
	if (npos != 1)
		return emh_cli_usage_error("review needs one DOSSIER (the dossier .json to review)");
	if (!decisions)
		return emh_cli_usage_error("review needs --decisions FILE (the reviewers' decisions)");
	if (sign_key && !output && !ledger)
		return emh_cli_usage_error("--sign-key needs -o FILE or --ledger REPO: the signature is written "
		                           "beside the dossier");

	emh_error err = EMH_ERROR_INIT;
	emh_key *key = NULL;
	emh_reviews *rv = NULL;
	emh_dossier *prev = NULL, *next = NULL;
	emh_criteria *set = NULL;
	emh_ledger *lg = NULL;
	emh_buf out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	if (sign_key && emh_key_load(&key, sign_key, &err))
		goto fail;
	if (key && !emh_key_is_private(key)) {
		fprintf(stderr, "emheval: %s: a public key cannot sign; give the private key (.key)\n", sign_key);
		goto done;
	}
	if (emh_dossier_load(&prev, pos[0], &err) || emh_reviews_load(&rv, decisions, &err) ||
	    emh_dossier_load_criteria(&set, prev, criteria, emh_cli_print_problem, NULL, &err) ||
	    emh_review_apply(&next, prev, set, rv, &err))
		goto fail;
	if (ledger && emh_ledger_open(&lg, ledger, 1, &err))
		goto fail;
	emh_publish_options po = EMH_PUBLISH_OPTIONS_INIT;
	po.output = output;
	po.sign_key = key;
	po.ledger = lg;
	char commit[41];
	if (emh_dossier_publish(commit, next, &po, &err))
		goto fail;
	if (!output) {
		if (emh_report_render(&out, next, EMH_FORMAT_JSON, NULL, &err))
			goto fail;
		if (emh_cli_write_output(NULL, &out))
			goto done;
	}
	emh_cli_print_line(stderr, "emheval: revision %d of %s %s: %s (%s)", next->revision,
	        next->submission_id ? next->submission_id : "?", next->app_version ? next->app_version : "?",
	        emh_verdict_name(next->verdict), next->digest);
	if (lg)
		fprintf(stderr, "emheval: %s in ledger %s%s%.12s\n", commit[0] ? "filed" : "already filed", ledger,
		        commit[0] ? " as " : "", commit);
	status = next->verdict == EMH_VERDICT_APPROVED ? EMH_EXIT_APPROVED : EMH_EXIT_NOT_APPROVED;
	goto done;
fail:
	emh_cli_print_error(&err);
done:
	emh_buf_dispose(&out);
	emh_ledger_free(lg);
	emh_criteria_free(set);
	emh_dossier_free(next);
	emh_dossier_free(prev);
	emh_reviews_free(rv);
	emh_key_free(key);
	return status;
}
