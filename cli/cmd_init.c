/*
 * cmd_init.c - `emheval init [DIR]`: starts a submission a vendor fills in
 * (emh_submission_scaffold): submission.json with the required fields and
 * "TODO: ..." placeholders, and one evidence document with its SHA-256.
 *
 * Exit status: 0 created, 2 usage error or DIR already holds a submission.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli/cli.h"
#include "cli/commands.h"

static const emh_cli_opt init_opts[] = {
	{ "date", 0, "DATE", "the submission_date written, YYYY-MM-DD", "today (UTC)", NULL },
};
static const emh_cli_group init_group = EMH_CLI_GROUP("init options", init_opts, 0);
static const emh_cli_group *const init_groups[] = { &init_group, NULL };
const emh_cli_command emh_cli_init = {
	"init", "[DIR]",
	"start a new submission folder",
	"Creates DIR (default: the current folder) as a submission to fill in: submission.json with every field "
	"the schema requires, a \"$schema\" member naming schemas/submission.schema.json for editors, \"TODO: "
	"...\" placeholders where the answers go (check warns about each one left, at its line) and one evidence "
	"document, evidence/privacy-policy.md, listed with its SHA-256. An existing submission.json or "
	"evidence/privacy-policy.md is never overwritten; each file is written atomically, submission.json last.\n\n"
	"Then: fill in the placeholders and add the documents, run emheval hash DIR to record their SHA-256, and "
	"emheval check DIR (docs/submission.md).",
	"Exit status: 0 created, 2 usage error or DIR already holds a submission.",
	init_groups, emh_cmd_init,
};

int emh_cmd_init(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_init, argc, argv, 2))
		return a.status;
	if (a.npos > 1)
		return emh_cli_usage_error("unexpected argument %s", a.pos[1]);
	const char *dir = a.npos ? a.pos[0] : ".";
	const char *date = emh_cli_get(&a, "date");
	char today[16];
	if (!date) {
		time_t now = time(NULL);
		struct tm tm;
		if (!gmtime_r(&now, &tm) || !strftime(today, sizeof today, "%Y-%m-%d", &tm))
			return emh_cli_usage_error("cannot read today's date; give --date YYYY-MM-DD");
		date = today;
	}
	emh_error err = EMH_ERROR_INIT;
	if (emh_submission_scaffold(dir, date, &err)) {
		if (err.code == EMH_EINVALID && !err.file[0] && strncmp(err.message, "a folder", 8) == 0)
			return emh_cli_usage_error("--date takes a real date YYYY-MM-DD, not '%s'", date);
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	emh_cli_print_line(stdout, "created %s/submission.json and %s/evidence/privacy-policy.md", dir, dir);
	emh_cli_print_line(stdout, "next: replace every \"TODO: ...\", list your documents under \"evidence\", then "
	                   "run emheval hash %s and emheval check %s", dir, dir);
	return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
}
