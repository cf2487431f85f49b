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

static const emh_cli_opt lint_opts[] = {
	{ "against", 0, "BASE", "also compare with revision BASE: a criterion whose meaning changed without a "
	  "version bump, a removed criterion not listed as retired in framework.json, a framework version not "
	  "bumped", NULL, NULL },
	{ "format", 0, "FORMAT", "text, json, sarif or junit", "text", "text json sarif junit" },
	EMH_CLI_OUTPUT_OPT,
	EMH_CLI_WORKTREE_OPT,
};
static const emh_cli_group lint_group = EMH_CLI_GROUP("lint options", lint_opts, 0);
static const emh_cli_group *const lint_groups[] = { &lint_group, &emh_cli_criteria_group, NULL };
const emh_cli_command emh_cli_lint = {
	"lint", NULL,
	"every defect of a criteria set",
	"Every defect of the criteria set at --rev, located file:line:col: schema, ids, regexes (PCRE2's "
	"message; nested unbounded repeats such as (a+)+, which run under a whole-search budget), pointers, "
	"references to the catalogue in framework.json, prerequisites, expressions that can never pass; with "
	"--against BASE, the versioning mistakes of the change (docs/gate.md).",
	"Exit status: 0 clean, 1 findings, 2 usage error or criteria that cannot be read.",
	lint_groups, emh_cmd_lint,
};

int emh_cmd_lint(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_lint, argc, argv, 2))
		return a.status;
	if (a.npos)
		return emh_cli_usage_error("unexpected argument %s", a.pos[0]);
	const char *criteria = emh_cli_get(&a, "criteria"), *criteria_path = emh_cli_get(&a, "criteria-path");
	const char *rev = emh_cli_get(&a, "rev"), *against = emh_cli_get(&a, "against");
	const char *format_name = emh_cli_get(&a, "format"), *output = emh_cli_output(&a, "output");
	emh_gate_format format = EMH_GATE_TEXT;
	if (format_name && (emh_gate_format_parse(&format, format_name) || format == EMH_GATE_MARKDOWN))
		return emh_cli_usage_error("unknown format '%s' for lint (expected text, json, sarif or junit)",
		                           format_name);
	emh_lint_options lo = EMH_LINT_OPTIONS_INIT;
	lo.source.repository = criteria;
	lo.source.path = criteria_path;
	lo.source.rev = rev;
	char snapshot[41];
	int wrc = emh_cli_gate_worktree(&lo.source, emh_cli_flag(&a, "worktree"), snapshot, "lint");
	if (wrc)
		return wrc;
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
