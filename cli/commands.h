/*
 * commands.h - one entry point and one table per subcommand, each in
 * cli/cmd_NAME.c. argv[1] is the command's name (argv[2] the subcommand's
 * for ledger); options start after it.
 */
#ifndef EMH_CLI_COMMANDS_H
#define EMH_CLI_COMMANDS_H

#include "cli/cli.h"

int emh_cmd_init(int argc, char **argv);
int emh_cmd_check(int argc, char **argv);
int emh_cmd_hash(int argc, char **argv);
int emh_cmd_keygen(int argc, char **argv);
int emh_cmd_verify(int argc, char **argv);
int emh_cmd_review(int argc, char **argv);
int emh_cmd_sign_decisions(int argc, char **argv);
int emh_cmd_ledger_verify(int argc, char **argv);
int emh_cmd_ledger_log(int argc, char **argv);
int emh_cmd_ledger_add(int argc, char **argv);
int emh_cmd_ledger_show(int argc, char **argv);
/* `ledger log --format json` (cmd_ledger_show.c): prints the array; returns the exit status. */
int emh_cli_ledger_log_json(const char *repo, const char *app);
int emh_cmd_report(int argc, char **argv);
int emh_cmd_criteria(int argc, char **argv);
int emh_cmd_evaluate(int argc, char **argv);
int emh_cmd_lint(int argc, char **argv);
int emh_cmd_test(int argc, char **argv);
int emh_cmd_impact(int argc, char **argv);
int emh_cmd_register(int argc, char **argv);
int emh_cmd_due(int argc, char **argv);

/* Each command's name, operands, help and option tables (emh_cli_commands lists them). */
extern const emh_cli_command emh_cli_init, emh_cli_hash, emh_cli_check, emh_cli_keygen, emh_cli_verify, emh_cli_review,
	emh_cli_sign_decisions, emh_cli_ledger_verify, emh_cli_ledger_log, emh_cli_ledger_add, emh_cli_ledger_show, emh_cli_report,
	emh_cli_criteria, emh_cli_evaluate, emh_cli_lint, emh_cli_test, emh_cli_impact, emh_cli_register,
	emh_cli_due;

/*
 * Columns to wrap text at: the terminal's width when standard output is a
 * TTY (TIOCGWINSZ), else $COLUMNS, else 80. Defined in cmd_report.c.
 */
unsigned emh_cli_text_width(void);

#endif
