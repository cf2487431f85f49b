/*
 * main.c - the emheval command line: picks the subcommand and runs it.
 * Commands parse their options, call libemheval and map the result to the
 * documented exit status; no evaluation logic lives in cli/.
 *
 * Exit status: 0 approved, 1 evaluated and not approved, 2 usage or input error.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} commands[] = {
	{ "check", emh_cmd_check },
	{ "keygen", emh_cmd_keygen },
	{ "verify", emh_cmd_verify },
	{ "review", emh_cmd_review },
	{ "sign-decisions", emh_cmd_sign_decisions },
	{ "ledger", emh_cmd_ledger },
	{ "report", emh_cmd_report },
	{ "criteria", emh_cmd_criteria },
	{ "evaluate", emh_cmd_evaluate },
	{ "lint", emh_cmd_lint },
	{ "test", emh_cmd_test },
	{ "impact", emh_cmd_impact },
	{ "register", emh_cmd_register },
	{ "due", emh_cmd_due },
};

const char emh_cli_usage[] =
"usage: emheval check SUBMISSION [options]\n"
"       emheval keygen|verify|sign-decisions|review|ledger ...  (audit; see the end)\n"
"       emheval report DOSSIER [--format FORMAT] [-o FILE] [--base DIR] [--unverified]\n"
"       emheval evaluate --out DIR [-j N] [--format F,...] [--shard K/N] PATH...\n"
"       emheval criteria [--format text|markdown] [options]\n"
"       emheval lint|test|impact ...  (the gate for criteria changes; see the end)\n"
"       emheval register|due LEDGER ...  (the public register; see the end)\n"
"       emheval --help | --version\n"
"\n"
"Checks e-mental-health app submissions against versioned criteria kept in\n"
"git and reports every result with its evidence, and the verdict.\n"
"\n"
"Commands:\n"
"  check SUBMISSION      evaluate one submission (a folder holding\n"
"                        submission.json and its evidence files, or a JSON file);\n"
"                        it is validated against the submission schema first\n"
"  report DOSSIER        render a saved dossier (JSON; - for standard input) in\n"
"                        any format, without evaluating again; exit status as\n"
"                        for its verdict; refused if its digest is wrong\n"
"  evaluate PATH...      evaluate a portfolio: PATH is a submission or a folder\n"
"                        searched recursively; one dossier per submission and\n"
"                        format in --out DIR, plus index.json and summary.txt\n"
"  criteria              list the criteria set at a revision (--format text or\n"
"                        markdown, the source of docs/criteria.md; -o FILE)\n"
"\n"
"Criteria options (every command that reads criteria):\n"
"  --criteria REPO       git repository holding the criteria (bare or not);\n"
"                        default: the repository holding the current directory\n"
"  --criteria-path DIR   criteria folder inside it (default: criteria)\n"
"  --rev REV             revision to read the criteria from: tag, branch or\n"
"                        commit (default: HEAD); never the working tree\n"
"\n"
"check options:\n"
"  --as-of DATE          evaluation date YYYY-MM-DD for date windows\n"
"                        (default: the submission's submission_date)\n"
"  --profile ID[,ID]     profiles to decide (default: from the submission)\n"
"  --format FORMAT       text (default), json (the dossier of record), html,\n"
"                        markdown, junit, sarif or github (docs/reports.md)\n"
"  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
"\n"
"report options:\n"
"  --format FORMAT       as for check (default: text)\n"
"  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
"  --base DIR            sarif, github, junit: the submission folder, prefixed\n"
"                        to file locations (check uses the SUBMISSION given)\n"
"  --unverified          show it, marked UNVERIFIED (exit 1)\n"
"\n"
"evaluate options:\n"
"  --out DIR             output folder (created if missing)\n"
"  -j, --jobs N          worker threads (default: one per core); the files\n"
"                        written do not depend on N\n"
"  --format F,...        formats per submission (default json); \"outcomes\"\n"
"                        adds outcomes.jsonl, one line of outcomes each\n"
"  --shard K/N           evaluate only the K-th of N stable shards\n"
"  --as-of DATE          evaluation date for every submission\n"
"  --profile ID[,ID]     as for check\n"
"  -q, --quiet           no progress on stderr\n"
"  exit status: 0 all evaluated (and filed), 1 not all, 2 error\n"
"\n"
"  -h, --help            show this help\n"
"  --version             show the version\n";

/* Split from the above: ISO C bounds one string literal at 4095 bytes. */
static const char usage_tail[] =
"\n"
"Exit status:\n"
"  0  approved\n"
"  1  evaluated, not approved for every profile (docs/profiles.md)\n"
"  2  usage error, or input that could not be read (criteria, submission)\n"
"\n"
"Formats:\n"
"  text      for a terminal: verdict, scores, failures with evidence and fix;\n"
"            wrapped to the terminal's width (else $COLUMNS, else 80)\n"
"  json      the dossier of record: canonical, deterministic, with its digest\n"
"  html      one self-contained, printable page (no network, no script)\n"
"  markdown  for pull-request comments and vendor tickets\n"
"  junit     JUnit XML, one testcase per criterion, for any CI\n"
"  sarif     SARIF 2.1.0, failures located in submission.json or evidence\n"
"  github    GitHub Actions annotations (::error file=...,line=...::)\n"
"\n"
"Environment: NO_COLOR disables colour; colour is used only on a terminal.\n"
"COLUMNS sets the text width when standard output is not a terminal.\n";

void emh_cli_print_usage(void)
{
	fputs(emh_cli_usage, stdout);
	fputs(usage_tail, stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return emh_cli_usage_error("a command is needed");
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		emh_cli_print_usage();
		fputs(emh_cli_audit_usage, stdout);
		fputs(emh_cli_limits_usage, stdout);
		fputs(emh_cli_gate_usage, stdout);
		fputs(emh_cli_register_usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("emheval %s\n", EMHEVAL_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc, argv);
	return emh_cli_usage_error("unknown command '%s'", cmd);
}
