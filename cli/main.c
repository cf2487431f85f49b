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

/* In the order `emheval --help` and the man page list them. */
const emh_cli_command *const emh_cli_commands[] = {
	&emh_cli_init, &emh_cli_check, &emh_cli_hash, &emh_cli_report, &emh_cli_evaluate, &emh_cli_criteria,
	&emh_cli_keygen, &emh_cli_verify, &emh_cli_sign_decisions, &emh_cli_review,
	&emh_cli_ledger_verify, &emh_cli_ledger_log, &emh_cli_ledger_show, &emh_cli_ledger_add,
	&emh_cli_lint, &emh_cli_test, &emh_cli_impact,
	&emh_cli_register, &emh_cli_due,
	NULL,
};

/* "unknown command 'chek' (did you mean check?)": the names that start with prefix ("" or "ledger "). */
static int unknown_command(const char *prefix, const char *given)
{
	const char *names[32];
	size_t n = 0, plen = strlen(prefix);
	for (size_t i = 0; emh_cli_commands[i] && n < 31; i++) {
		const char *name = emh_cli_commands[i]->name;
		if (strncmp(name, prefix, plen) != 0)
			continue;
		const char *word = name + plen;
		if (!strchr(word, ' ') && (n == 0 || strcmp(names[n - 1], word) != 0))
			names[n++] = word;
	}
	if (!plen)
		names[n++] = "ledger";
	const char *near = emh_cli_suggest(given, names, n);
	if (near)
		return emh_cli_usage_error("unknown %scommand '%s' (did you mean %s%s?)", plen ? "ledger sub" : "",
		                           given, prefix, near);
	return emh_cli_usage_error("unknown %scommand '%s'", plen ? "ledger sub" : "", given);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return emh_cli_usage_error("a command is needed");
	const char *cmd = argv[1];
	if (strcmp(cmd, "help") == 0 && argc > 2) {
		/* "emheval help CMD" is "emheval CMD --help". */
		char name[64];
		snprintf(name, sizeof name, "%.20s%s%.20s", argv[2], argc > 3 ? " " : "", argc > 3 ? argv[3] : "");
		for (size_t i = 0; emh_cli_commands[i]; i++)
			if (strcmp(name, emh_cli_commands[i]->name) == 0) {
				emh_cli_print_help(stdout, emh_cli_commands[i]);
				return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
			}
		return unknown_command("", name);
	}
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		emh_cli_print_overview(stdout);
		return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("emheval %s\n", EMHEVAL_VERSION);
		return 0;
	}
	if (strcmp(cmd, "--man") == 0) {
		emh_cli_write_man(stdout);
		return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
	}
	if (strcmp(cmd, "--completion") == 0) {
		if (argc != 3 || strcmp(argv[2], "bash") != 0)
			return emh_cli_usage_error("--completion takes one shell: bash");
		emh_cli_write_completion(stdout);
		return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
	}
	if (strcmp(cmd, "ledger") == 0) {
		/* ledger verify|log|add: the subcommand picks the table. */
		if (argc < 3)
			return emh_cli_usage_error("ledger needs a subcommand: verify REPO, log REPO [APP], show REPO REF, add REPO DOSSIER...");
		if (strcmp(argv[2], "-h") == 0 || strcmp(argv[2], "--help") == 0) {
			emh_cli_print_help(stdout, &emh_cli_ledger_verify);
			fputc('\n', stdout);
			emh_cli_print_help(stdout, &emh_cli_ledger_log);
			fputc('\n', stdout);
			emh_cli_print_help(stdout, &emh_cli_ledger_show);
			fputc('\n', stdout);
			emh_cli_print_help(stdout, &emh_cli_ledger_add);
			return fflush(stdout) == 0 ? 0 : EMH_EXIT_USAGE;
		}
		char name[64];
		snprintf(name, sizeof name, "ledger %.40s", argv[2]);
		for (size_t i = 0; emh_cli_commands[i]; i++)
			if (strcmp(name, emh_cli_commands[i]->name) == 0)
				return emh_cli_commands[i]->run(argc, argv);
		return unknown_command("ledger ", argv[2]);
	}
	for (size_t i = 0; emh_cli_commands[i]; i++)
		if (strcmp(cmd, emh_cli_commands[i]->name) == 0)
			return emh_cli_commands[i]->run(argc, argv);
	return unknown_command("", cmd);
}
