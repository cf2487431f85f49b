/*
 * cmd_criteria.c - `emheval criteria`: lists the criteria set at a revision,
 * as a table or as the Markdown of docs/criteria.md.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/commands.h"
#include "emheval/catalogue.h"

int emh_cmd_criteria(int argc, char **argv)
{
	const char *criteria = NULL, *criteria_path = NULL, *rev = NULL, *format = NULL, *output = NULL;
	const emh_cli_option opts[] = {
		{ "--criteria-path", &criteria_path }, { "--criteria", &criteria }, { "--rev", &rev },
		{ "--format", &format }, { "--output", &output }, { "-o", &output },
	};
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, NULL, 0, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		emh_cli_print_usage();
		return 0;
	}
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
	if (emh_cli_write_output(output, &out) == 0)
		status = 0;
done:
	emh_buf_dispose(&out);
	emh_criteria_free(set);
	return status;
}
