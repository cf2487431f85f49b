/*
 * cmd_lint.c - `emheval lint`: every defect of a criteria set at a revision,
 * located file:line:col, and with --against BASE the versioning mistakes of
 * the change. Exit status: 0 clean, 1 findings, 2 usage error or criteria
 * that cannot be read.
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "emheval/gate.h"

const char emh_cli_gate_usage[] =
"\n"
"The gate for criteria changes (docs/gate.md):\n"
"  emheval lint [--against BASE] [--format text|json|sarif|junit] [-o FILE]\n"
"      every defect of the criteria set at --rev, located file:line:col:\n"
"      schema, ids, regexes (PCRE2's message; nested unbounded repeats such\n"
"      as (a+)+, which run under a whole-search budget), pointers,\n"
"      references to the catalogue in framework.json, prerequisites,\n"
"      expressions that can never pass; with --against BASE, changes without\n"
"      a version bump, removals not listed as retired, and an unbumped\n"
"      framework version.\n"
"      exit status: 0 clean, 1 findings, 2 usage error or unreadable criteria\n"
"  emheval test [--format text|json|junit] [-o FILE]\n"
"      runs the fixtures kept beside the criteria (DOMAIN/fixtures/ID.KIND.json,\n"
"      KIND pass, fail, na, review or error) at --rev and reports coverage.\n"
"      exit status: 0 every fixture holds and every check has a pass and a\n"
"      fail fixture, 1 otherwise, 2 usage error or unreadable criteria\n"
"  emheval impact --from REV --to REV [--format text|markdown|json] [-o FILE]\n"
"                 [--fail-on newly-rejected|any-change] [-j N] [--as-of DATE]\n"
"                 [--profile ID[,ID]] PATH...\n"
"      evaluates the submissions under PATH with the criteria of both\n"
"      revisions: criteria added, removed and changed, and every submission\n"
"      whose verdict or outcomes change, with the criteria responsible.\n"
"      exit status: 0, or 1 when --fail-on is met; 2 usage error, criteria or\n"
"      a submission that cannot be read\n"
"  All three take --criteria REPO and --criteria-path DIR; lint and test --rev.\n";

int emh_cmd_lint(int argc, char **argv)
{
	const char *criteria = NULL, *criteria_path = NULL, *rev = NULL, *against = NULL;
	const char *format_name = NULL, *output = NULL;
	const emh_cli_option opts[] = {
		{ "--criteria-path", &criteria_path }, { "--criteria", &criteria }, { "--rev", &rev },
		{ "--against", &against }, { "--format", &format_name }, { "--output", &output },
		{ "-o", &output },
	};
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		emh_cli_print_usage();
		fputs(emh_cli_gate_usage, stdout);
		return 0;
	}
	emh_gate_format format = EMH_GATE_TEXT;
	if (format_name && (emh_gate_format_parse(&format, format_name) || format == EMH_GATE_MARKDOWN))
		return emh_cli_usage_error("unknown format '%s' for lint (expected text, json, sarif or junit)",
		                           format_name);
	emh_lint_options lo = EMH_LINT_OPTIONS_INIT;
	lo.source.repository = criteria;
	lo.source.path = criteria_path;
	lo.source.rev = rev;
	lo.against = against;
	emh_error err = EMH_ERROR_INIT;
	emh_lint_report *report = NULL;
	emh_buf out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	if (emh_lint(&report, &lo, &err) || emh_lint_render(&out, report, format, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_write_output(output, &out))
		goto done;
	status = report->nfindings ? 1 : 0;
done:
	emh_buf_dispose(&out);
	emh_lint_report_free(report);
	return status;
}
