/*
 * cmd_check.c - `emheval check SUBMISSION`: the vendor's self-check.
 * Loads criteria and one submission, evaluates, renders, and exits with
 * 0 approved / 1 not approved / 2 input error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli/cli.h"
#include "cli/commands.h"

int emh_cmd_check(int argc, char **argv)
{
	const char *criteria = NULL, *criteria_path = NULL, *rev = NULL, *as_of = NULL, *profile = NULL;
	const char *format_name = NULL, *output = NULL;
	const char *sign_key = NULL, *waivers_file = NULL, *ledger = NULL; /* audit: docs/audit.md */
	const char *reviewers = NULL;
	emh_cli_limits lim = { NULL, NULL, NULL, NULL, NULL };
	const emh_cli_option opts[] = {
		{ "--criteria-path", &criteria_path }, { "--criteria", &criteria }, { "--rev", &rev },
		{ "--as-of", &as_of }, { "--profile", &profile }, { "--format", &format_name }, { "--output", &output }, { "-o", &output },
		{ "--sign-key", &sign_key }, { "--waivers", &waivers_file }, { "--ledger", &ledger },
		{ "--reviewers", &reviewers },
		EMH_CLI_LIMIT_OPTIONS(lim),
	};
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		emh_cli_print_usage();
		fputs(emh_cli_limits_usage, stdout);
		return 0;
	}
	if (npos != 1)
		return emh_cli_usage_error("check needs one SUBMISSION (a folder or a JSON file)");
	emh_format format = EMH_FORMAT_TEXT;
	if (format_name && emh_format_parse(&format, format_name))
		return emh_cli_usage_error("unknown format '%s' (expected one of " EMH_FORMAT_NAMES ")", format_name);

	if (sign_key && !format_name)
		format = EMH_FORMAT_JSON;
	if (sign_key && !ledger && !(output && format == EMH_FORMAT_JSON))
		return emh_cli_usage_error("--sign-key needs --ledger REPO, or -o FILE with --format json: the "
		                           "signature is written beside the dossier");

	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	if (emh_cli_limits_apply(&lim, &so, &eo))
		return EMH_EXIT_USAGE;

	emh_error err = EMH_ERROR_INIT;
	emh_key *key = NULL;
	emh_waivers *waivers = NULL;
	emh_ledger *lg = NULL;
	int published = 0;
	emh_criteria *set = NULL;
	emh_submission *sub = NULL;
	emh_dossier *dossier = NULL;
	emh_buf out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	if ((sign_key && emh_key_load(&key, sign_key, &err)) ||
	    (waivers_file && emh_waivers_load(&waivers, waivers_file, &err))) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_load_criteria(&set, criteria, criteria_path, rev) ||
	    emh_cli_authorize_waivers(waivers, set, reviewers, criteria, criteria_path))
		goto done;
	/* Every schema problem is printed where it is; warnings too, even when it validates. */
	size_t nproblems = 0;
	so.on_problem = emh_cli_print_counted;
	so.on_warning = emh_cli_print_warning;
	so.validation = emh_criteria_submission_validation(set);
	so.payload = &nproblems;
	if (emh_submission_load(&sub, pos[0], &so, &err)) {
		if (!nproblems)
			emh_cli_print_error(&err);
		goto done;
	}
	eo.as_of = as_of;
	eo.profiles = profile;
	eo.waivers = emh_waivers_items(waivers, &eo.nwaivers);
	if (emh_evaluate(&dossier, set, sub, &eo, &err) || emh_dossier_seal(dossier, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (key || lg || ledger) {
		/* Signed and filed before anything is written, so a refusal leaves no files. */
		emh_publish_options po = EMH_PUBLISH_OPTIONS_INIT;
		published = output && format == EMH_FORMAT_JSON;
		po.output = published ? output : NULL;
		po.sign_key = key;
		char commit[41] = "";
		if ((ledger && emh_ledger_open(&lg, ledger, 1, &err)) ||
		    (po.ledger = lg, emh_dossier_publish(commit, dossier, &po, &err))) {
			emh_cli_print_error(&err);
			goto done;
		}
		if (lg)
			fprintf(stderr, "emheval: %s in ledger %s%s%.12s\n", commit[0] ? "filed" : "already filed",
			        ledger, commit[0] ? " as " : "", commit);
	}
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	ro.color = !output && emh_cli_color_ok();
	ro.width = emh_cli_text_width();
	ro.signature = key ? "signed (Ed25519): a DSSE envelope accompanies the dossier; emheval verify checks it"
	                   : "unsigned";
	/* CI locations name files as given on the command line: SUB/privacy.md, SUB/submission.json. */
	struct stat st;
	char *base = NULL;
	if (stat(pos[0], &st) == 0 && !S_ISDIR(st.st_mode)) {
		ro.submission_file = pos[0];
		const char *slash = strrchr(pos[0], '/');
		base = slash ? strndup(pos[0], (size_t)(slash - pos[0]) + (slash == pos[0])) : NULL;
		ro.base = base;
	} else {
		ro.base = pos[0];
	}
	rc = emh_report_render(&out, dossier, format, &ro, &err);
	free(base);
	if (rc) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (!published && emh_cli_write_output(output, &out))
		goto done;
	status = dossier->verdict == EMH_VERDICT_APPROVED ? EMH_EXIT_APPROVED : EMH_EXIT_NOT_APPROVED;
done:
	emh_buf_dispose(&out);
	emh_dossier_free(dossier);
	emh_submission_free(sub);
	emh_criteria_free(set);
	emh_ledger_free(lg);
	emh_waivers_free(waivers);
	emh_key_free(key);
	return status;
}
