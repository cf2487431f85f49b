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
#include "emheval/register.h"

static const emh_cli_opt impact_opts[] = {
	{ "from", 0, "REV", "the revision whose criteria are compared", NULL, NULL },
	{ "to", 0, "REV", "the revision compared with it", NULL, NULL },
	{ "ledger", 0, "LEDGER", "instead of PATHs: each app's newest filing in LEDGER, evaluated again from the "
	  "submission stored beside it (ledger add --submission); filings without one are listed as not "
	  "re-evaluable", NULL, NULL },
	{ "format", 0, "FORMAT", "text, markdown (a pull-request comment) or json", "text", "text markdown json" },
	EMH_CLI_OUTPUT_OPT,
	{ "fail-on", 0, "WHAT", "newly-rejected: exit 1 when a submission becomes rejected; any-change: exit 1 "
	  "when any verdict or outcome changes; weakened: exit 1 when a blocker or major criterion is removed, "
	  "lowered in severity, relaxed for a submission (it did not pass, it passes) or no longer applies to a "
	  "submission it applied to, each printed on standard error", NULL, "newly-rejected any-change weakened" },
	{ "jobs", 'j', "N", "worker threads", "one per core", NULL },
	{ "as-of", 0, "DATE", "evaluation date YYYY-MM-DD for every submission",
	  "each submission's submission_date; with --ledger, each filing's evaluation date", NULL },
	{ "profile", 0, "ID[,ID]", "profiles to decide, as for check", "from each submission", NULL },
	{ "criteria", 0, "REPO", "git repository holding the criteria (bare or not)",
	  "the repository holding the current directory", NULL },
	{ "criteria-path", 0, "DIR", "criteria folder inside it", "criteria", NULL },
	{ "worktree", 0, NULL, "compare with the criteria folder as it is on disk, uncommitted edits included (a "
	  "snapshot commit on no branch), instead of --to", NULL, NULL },
};
static const emh_cli_group impact_group = EMH_CLI_GROUP("impact options", impact_opts, 0);
static const emh_cli_group *const impact_groups[] = { &impact_group, NULL };
const emh_cli_command emh_cli_impact = {
	"impact", "PATH... | --ledger LEDGER",
	"what a criteria change flips",
	"Evaluates the submissions under each PATH with the criteria of both revisions: the criteria added, "
	"removed and changed (with the clause ids a criterion's references lost and gained), and every "
	"submission whose verdict or outcomes change, with the criteria responsible (docs/gate.md). With "
	"--ledger, the submissions are those a ledger stores beside each app's newest filing (docs/register.md). The "
	"2021-form set (framework 2.1.0) is the tag criteria-v2.1.0: impact --from criteria-v2.1.0 --to HEAD.",
	"Exit status: 0, or 1 when --fail-on is met; 2 usage error, criteria or a submission that cannot be read.",
	impact_groups, emh_cmd_impact,
};

/* "emheval: weakened: PRIV-1 [major] in SUB: relaxed: fail -> pass" on standard error. */
static void print_weakened(const char *criterion, emh_severity severity_from, const char *submission,
                           const char *how, void *payload)
{
	(void)payload;
	emh_cli_print_line(stderr, "emheval: weakened: %s [%s]%s%s: %s", criterion, emh_severity_name(severity_from),
	                   submission ? " in " : "", submission ? submission : "", how);
}

int emh_cmd_impact(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_impact, argc, argv, 2))
		return a.status;
	const char *criteria = emh_cli_get(&a, "criteria"), *criteria_path = emh_cli_get(&a, "criteria-path");
	const char *from = emh_cli_get(&a, "from"), *to = emh_cli_get(&a, "to");
	const char *as_of = emh_cli_get(&a, "as-of"), *profile = emh_cli_get(&a, "profile");
	const char *format_name = emh_cli_get(&a, "format"), *output = emh_cli_output(&a, "output");
	const char *fail_on = emh_cli_get(&a, "fail-on"), *jobs = emh_cli_get(&a, "jobs");
	const char *ledger = emh_cli_get(&a, "ledger");
	const char **pos = a.pos;
	size_t npos = a.npos;
	int status = EMH_EXIT_USAGE, rc;
	emh_impact_report *report = NULL;
	emh_buf out = EMH_BUF_INIT;
	emh_gate_format format = EMH_GATE_TEXT;
	if (format_name && (emh_gate_format_parse(&format, format_name) ||
	                    (format != EMH_GATE_TEXT && format != EMH_GATE_MARKDOWN && format != EMH_GATE_JSON))) {
		emh_cli_usage_error("unknown format '%s' for impact (expected text, markdown or json)", format_name);
		goto done;
	}
	if (!from || (!to && !emh_cli_flag(&a, "worktree"))) {
		emh_cli_usage_error("impact needs --from REV and --to REV (or --worktree)");
		goto done;
	}
	if (ledger && npos) {
		emh_cli_usage_error("impact takes either PATHs or --ledger LEDGER, not both");
		goto done;
	}
	if (!npos && !ledger) {
		emh_cli_usage_error("impact needs at least one PATH (a submission or a folder of them) or --ledger LEDGER");
		goto done;
	}
	int fail_new = 0, fail_any = 0, fail_weak = 0;
	if (fail_on && strcmp(fail_on, "newly-rejected") == 0) {
		fail_new = 1;
	} else if (fail_on && strcmp(fail_on, "any-change") == 0) {
		fail_any = 1;
	} else if (fail_on && strcmp(fail_on, "weakened") == 0) {
		fail_weak = 1;
	} else if (fail_on) {
		emh_cli_usage_error("--fail-on takes newly-rejected, any-change or weakened, not '%s'", fail_on);
		goto done;
	}
	/*
	 * Uncommitted criteria: --worktree compares with them (in place of --to);
	 * otherwise a side read at HEAD warns that they are not seen, as lint does.
	 */
	int worktree = emh_cli_flag(&a, "worktree");
	if (worktree && to) {
		emh_cli_usage_error("--worktree compares with the criteria on disk; it cannot be combined with --to");
		goto done;
	}
	emh_gate_source src = { criteria, criteria_path, worktree ? NULL : strcmp(to, "HEAD") == 0 ? to : from };
	char snapshot[41];
	if (emh_cli_gate_worktree(&src, worktree, snapshot, "impact"))
		goto done;
	if (worktree)
		to = snapshot;
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
	rc = ledger ? emh_impact_ledger(&report, &io, ledger, &err) : emh_impact(&report, &io, pos, npos, &err);
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
		emh_cli_error("%zu submission%s could not be read", report->nerrors, report->nerrors == 1 ? "" : "s");
		goto done;
	}
	size_t weakened = fail_weak ? emh_impact_weakened(report, print_weakened, NULL) : 0;
	if (weakened)
		emh_cli_error("%zu weakening%s of blocker or major criteria (--fail-on weakened)", weakened,
		              weakened == 1 ? "" : "s");
	status = (fail_new && report->nnewly_rejected) || (fail_any && report->nchanged) || weakened ? 1 : 0;
done:
	emh_buf_dispose(&out);
	emh_impact_report_free(report);
	return status;
}
