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

static const emh_cli_opt check_opts[] = {
	{ "as-of", 0, "DATE", "evaluation date YYYY-MM-DD for date windows", "the submission's submission_date", NULL },
	{ "profile", 0, "ID[,ID]", "assessment profiles to decide (framework.json \"profiles\"); overrides the "
	  "submission's \"profiles\" and its app.markets, and its markets apply to the criteria as if declared "
	  "(docs/profiles.md); an unknown id is an error", "from the submission", NULL },
	{ "format", 0, "FORMAT", "text, json (the dossier of record), html, markdown, junit, sarif or github "
	  "(docs/reports.md)", "text; json with --sign-key", EMH_CLI_REPORT_FORMATS },
	EMH_CLI_OUTPUT_OPT,
	EMH_CLI_COLOR_OPT,
	EMH_CLI_VERBOSE_OPT,
};
static const emh_cli_group check_group = EMH_CLI_GROUP("check options", check_opts, 0);
static const emh_cli_group *const check_groups[] = {
	&check_group, &emh_cli_criteria_group, &emh_cli_publish_group, &emh_cli_limits_group, NULL,
};
const emh_cli_command emh_cli_check = {
	"check", "SUBMISSION",
	"evaluate one submission, print its report",
	"Validates SUBMISSION (a folder holding submission.json and its evidence files, or a JSON file) against "
	"the submission schema (every problem at file:line:col with its JSON pointer; an unknown member is a "
	"warning with a suggestion), then evaluates it with the criteria read from git at a revision and prints "
	"the report.",
	"Exit status: 0 approved, 1 evaluated and not approved for every profile, 2 usage or input error.",
	check_groups, emh_cmd_check,
};

int emh_cmd_check(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_check, argc, argv, 2))
		return a.status;
	const char *criteria = emh_cli_get(&a, "criteria"), *criteria_path = emh_cli_get(&a, "criteria-path");
	const char *rev = emh_cli_get(&a, "rev"), *as_of = emh_cli_get(&a, "as-of");
	const char *profile = emh_cli_get(&a, "profile"), *format_name;
	const char *output = emh_cli_output(&a, "output");
	/* audit: docs/audit.md */
	const char *sign_key = emh_cli_get(&a, "sign-key"), *waivers_file = emh_cli_get(&a, "waivers");
	const char *ledger = emh_cli_get(&a, "ledger"), *reviewers = emh_cli_get(&a, "reviewers");
	const char **pos = a.pos;
	if (a.npos != 1)
		return emh_cli_usage_error("check needs one SUBMISSION (a folder or a JSON file)");
	emh_format format;
	int color;
	if (emh_cli_render_format(&a, output, &format_name, &format, &color))
		return EMH_EXIT_USAGE;

	if (sign_key && !format_name)
		format = EMH_FORMAT_JSON;
	if (sign_key && !ledger && !(output && format == EMH_FORMAT_JSON))
		return emh_cli_usage_error("--sign-key needs --ledger REPO, or -o FILE with --format json: the "
		                           "signature is written beside the dossier");

	emh_submission_options so = EMH_SUBMISSION_OPTIONS_INIT;
	emh_eval_options eo = EMH_EVAL_OPTIONS_INIT;
	if (emh_cli_limits_apply(&a, &so, &eo))
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
	if (emh_evaluate_sealed(&dossier, set, sub, &eo, &err)) {
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
	ro.color = color;
	ro.verbose = emh_cli_flag(&a, "verbose");
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
	int rc = emh_report_render(&out, dossier, format, &ro, &err);
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
