/*
 * commands.h - one entry point per subcommand, each in cli/cmd_NAME.c.
 * argv[1] is the command's name; options start at argv[2].
 */
#ifndef EMH_CLI_COMMANDS_H
#define EMH_CLI_COMMANDS_H

int emh_cmd_check(int argc, char **argv);
int emh_cmd_keygen(int argc, char **argv);
int emh_cmd_verify(int argc, char **argv);
int emh_cmd_review(int argc, char **argv);
int emh_cmd_sign_decisions(int argc, char **argv);
int emh_cmd_ledger(int argc, char **argv);

/* Help for keygen, verify, review, ledger and the audit options (cmd_verify.c). */
extern const char emh_cli_audit_usage[];

int emh_cmd_report(int argc, char **argv);
int emh_cmd_criteria(int argc, char **argv);
int emh_cmd_evaluate(int argc, char **argv);

/*
 * Columns to wrap text at: the terminal's width when standard output is a
 * TTY (TIOCGWINSZ), else $COLUMNS, else 80. Defined in cmd_report.c.
 */
unsigned emh_cli_text_width(void);
/* Help for lint, test and impact (cmd_lint.c). */
extern const char emh_cli_gate_usage[];

int emh_cmd_lint(int argc, char **argv);
int emh_cmd_test(int argc, char **argv);
int emh_cmd_impact(int argc, char **argv);

/* The public register and what is due (cmd_register.c), and their help. */
int emh_cmd_register(int argc, char **argv);
int emh_cmd_due(int argc, char **argv);
extern const char emh_cli_register_usage[];

#endif
