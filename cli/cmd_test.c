/*
 * cmd_test.c - `emheval test`: runs the fixtures kept beside the criteria
 * (DOMAIN/fixtures/ID.KIND.json) at a revision and reports coverage.
 * Exit status: 0 every fixture holds and every check has a pass and a fail
 * fixture, 1 otherwise, 2 usage error or criteria that cannot be read.
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "emheval/gate.h"

static const emh_cli_opt test_opts[] = {
	{ "format", 0, "FORMAT", "text, json or junit", "text", "text json junit" },
	EMH_CLI_OUTPUT_OPT,
	EMH_CLI_WORKTREE_OPT,
};
static const emh_cli_group test_group = EMH_CLI_GROUP("test options", test_opts, 0);
static const emh_cli_group *const test_groups[] = { &test_group, &emh_cli_criteria_group, NULL };
const emh_cli_command emh_cli_test = {
	"test", NULL,
	"run the criteria's fixtures; coverage",
	"Runs the fixtures kept beside the criteria (DOMAIN/fixtures/ID.KIND.json, KIND pass, fail, na, review "
	"or error) at --rev and reports coverage.",
	"Exit status: 0 every fixture holds and every check has a pass and a fail fixture, 1 otherwise, 2 usage "
	"error or criteria that cannot be read.",
	test_groups, emh_cmd_test,
};

int emh_cmd_test(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_test, argc, argv, 2))
		return a.status;
	if (a.npos)
		return emh_cli_usage_error("unexpected argument %s", a.pos[0]);
	const char *criteria = emh_cli_get(&a, "criteria"), *criteria_path = emh_cli_get(&a, "criteria-path");
	const char *rev = emh_cli_get(&a, "rev");
	const char *format_name = emh_cli_get(&a, "format"), *output = emh_cli_output(&a, "output");
	int rc;
	emh_gate_format format = EMH_GATE_TEXT;
	if (format_name && (emh_gate_format_parse(&format, format_name) ||
	                    (format != EMH_GATE_TEXT && format != EMH_GATE_JSON && format != EMH_GATE_JUNIT)))
		return emh_cli_usage_error("unknown format '%s' for test (expected text, json or junit)",
		                           format_name);
	emh_fixture_options fo = EMH_FIXTURE_OPTIONS_INIT;
	fo.source.repository = criteria;
	fo.source.path = criteria_path;
	fo.source.rev = rev;
	char snapshot[41];
	int wrc = emh_cli_gate_worktree(&fo.source, emh_cli_flag(&a, "worktree"), snapshot, "test");
	if (wrc)
		return wrc;
	fo.on_problem = emh_cli_print_problem;
	emh_error err = EMH_ERROR_INIT;
	emh_fixture_report *report = NULL;
	emh_buf out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	rc = emh_fixtures_run(&report, &fo, &err);
	if (rc) {
		if (rc != EMH_EINVALID)
			emh_cli_print_error(&err); /* compile problems were printed one by one */
		goto done;
	}
	if (emh_fixtures_render(&out, report, format, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_write_output(output, &out))
		goto done;
	status = emh_fixture_report_ok(report) ? 0 : 1;
done:
	emh_buf_dispose(&out);
	emh_fixture_report_free(report);
	return status;
}
