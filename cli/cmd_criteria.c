/*
 * cmd_criteria.c - `emheval criteria`: lists the criteria set at a revision,
 * as a table or as the Markdown of docs/criteria.md.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "emheval/catalogue.h"

static const emh_cli_opt criteria_opts[] = {
	{ "format", 0, "FORMAT", "text (a table) or markdown (the source of docs/criteria.md)", "text", "text markdown" },
	EMH_CLI_OUTPUT_OPT,
};
static const emh_cli_group criteria_group = EMH_CLI_GROUP("criteria options", criteria_opts, 0);
static const emh_cli_group *const criteria_groups[] = { &criteria_group, &emh_cli_criteria_group, NULL };
const emh_cli_command emh_cli_criteria = {
	"criteria", NULL,
	"list the criteria set at a revision",
	"Lists the criteria set at a revision: a table, one line per criterion, or the Markdown of "
	"docs/criteria.md.",
	"Exit status: 0 listed, 2 usage error or criteria that cannot be read.",
	criteria_groups, emh_cmd_criteria,
};

int emh_cmd_criteria(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_criteria, argc, argv, 2))
		return a.status;
	if (a.npos)
		return emh_cli_usage_error("unexpected argument %s", a.pos[0]);
	const char *criteria = emh_cli_get(&a, "criteria"), *criteria_path = emh_cli_get(&a, "criteria-path");
	const char *rev = emh_cli_get(&a, "rev"), *format = emh_cli_get(&a, "format");
	const char *output = emh_cli_output(&a, "output");
	int markdown = 0;
	if (format && strcmp(format, "markdown") == 0)
		markdown = 1;
	else if (format && strcmp(format, "text") != 0)
		return emh_cli_usage_error("unknown format '%s' for criteria (expected text or markdown)", format);
	emh_criteria *set = NULL;
	emh_buf out = EMH_BUF_INIT;
	emh_error err = EMH_ERROR_INIT;
	int status = EMH_EXIT_USAGE;
	if (emh_cli_load_criteria(&set, criteria, criteria_path, rev))
		goto done;
	if (emh_catalogue_render(&out, set, markdown, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	/* The tail of every command that renders (print the error, write -o, free): each frees its own. */
	if (emh_cli_write_output(output, &out) == 0)
		status = 0;
done:
	emh_buf_dispose(&out);
	emh_criteria_free(set);
	return status;
}
