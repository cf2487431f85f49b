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

int emh_cmd_test(int argc, char **argv)
{
	const char *criteria = NULL, *criteria_path = NULL, *rev = NULL;
	const char *format_name = NULL, *output = NULL;
	const emh_cli_option opts[] = {
		{ "--criteria-path", &criteria_path }, { "--criteria", &criteria }, { "--rev", &rev },
		{ "--format", &format_name }, { "--output", &output }, { "-o", &output },
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
	if (format_name && (emh_gate_format_parse(&format, format_name) ||
	                    (format != EMH_GATE_TEXT && format != EMH_GATE_JSON && format != EMH_GATE_JUNIT)))
		return emh_cli_usage_error("unknown format '%s' for test (expected text, json or junit)",
		                           format_name);
	emh_fixture_options fo = EMH_FIXTURE_OPTIONS_INIT;
	fo.source.repository = criteria;
	fo.source.path = criteria_path;
	fo.source.rev = rev;
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
