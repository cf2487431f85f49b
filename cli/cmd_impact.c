/*
 * cmd_impact.c - `emheval impact --from A --to B PATH...`: evaluates a
 * portfolio with the criteria of two revisions and reports what a change
 * flips. Exit status: 0, or 1 when --fail-on is given and met; 2 for a usage
 * error, criteria that cannot be read or compiled, or a submission that
 * cannot be read (the gate never passes on a portfolio it did not see).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "emheval/gate.h"

int emh_cmd_impact(int argc, char **argv)
{
	const char *criteria = NULL, *criteria_path = NULL, *from = NULL, *to = NULL, *as_of = NULL, *profile = NULL;
	const char *format_name = NULL, *output = NULL, *fail_on = NULL, *jobs = NULL;
	const emh_cli_option opts[] = {
		{ "--criteria-path", &criteria_path }, { "--criteria", &criteria }, { "--from", &from },
		{ "--to", &to }, { "--as-of", &as_of }, { "--profile", &profile }, { "--format", &format_name }, { "--output", &output },
		{ "-o", &output }, { "--fail-on", &fail_on }, { "--jobs", &jobs }, { "-j", &jobs },
	};
	const char **pos = calloc((size_t)argc + 1, sizeof *pos);
	if (!pos)
		return emh_cli_usage_error("out of memory");
	size_t npos = 0;
	int help = 0, status = EMH_EXIT_USAGE;
	emh_impact_report *report = NULL;
	emh_buf out = EMH_BUF_INIT;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, pos, (size_t)argc,
	                       &npos, &help);
	if (rc)
		goto done;
	if (help) {
		emh_cli_print_usage();
		fputs(emh_cli_gate_usage, stdout);
		status = 0;
		goto done;
	}
	emh_gate_format format = EMH_GATE_TEXT;
	if (format_name && (emh_gate_format_parse(&format, format_name) ||
	                    (format != EMH_GATE_TEXT && format != EMH_GATE_MARKDOWN && format != EMH_GATE_JSON))) {
		emh_cli_usage_error("unknown format '%s' for impact (expected text, markdown or json)", format_name);
		goto done;
	}
	if (!from || !to) {
		emh_cli_usage_error("impact needs --from REV and --to REV");
		goto done;
	}
	if (!npos) {
		emh_cli_usage_error("impact needs at least one PATH (a submission or a folder of them)");
		goto done;
	}
	int fail_new = 0, fail_any = 0;
	if (fail_on && strcmp(fail_on, "newly-rejected") == 0) {
		fail_new = 1;
	} else if (fail_on && strcmp(fail_on, "any-change") == 0) {
		fail_any = 1;
	} else if (fail_on) {
		emh_cli_usage_error("--fail-on takes newly-rejected or any-change, not '%s'", fail_on);
		goto done;
	}
	emh_impact_options io = EMH_IMPACT_OPTIONS_INIT;
	if (jobs) {
		char *end = NULL;
		long j = strtol(jobs, &end, 10);
		if (!*jobs || *end || j < 1 || j > 1024) {
			emh_cli_usage_error("--jobs takes a number from 1 to 1024, not '%s'", jobs);
			goto done;
		}
		io.jobs = (unsigned)j;
	}
	io.repository = criteria;
	io.path = criteria_path;
	io.from = from;
	io.to = to;
	io.as_of = as_of;
	io.profiles = profile;
	io.on_problem = emh_cli_print_problem;
	emh_error err = EMH_ERROR_INIT;
	rc = emh_impact(&report, &io, pos, npos, &err);
	if (rc) {
		if (rc != EMH_EINVALID || !err.file[0])
			emh_cli_print_error(&err); /* criteria problems were printed one by one */
		goto done;
	}
	if (emh_impact_render(&out, report, format, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (emh_cli_write_output(output, &out))
		goto done;
	if (report->nerrors) {
		fprintf(stderr, "emheval: %zu submission%s could not be read\n", report->nerrors,
		        report->nerrors == 1 ? "" : "s");
		goto done;
	}
	status = (fail_new && report->nnewly_rejected) || (fail_any && report->nchanged) ? 1 : 0;
done:
	emh_buf_dispose(&out);
	emh_impact_report_free(report);
	free(pos);
	return status;
}
