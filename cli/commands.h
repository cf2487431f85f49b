/*
 * commands.h - one entry point per subcommand, each in cli/cmd_NAME.c.
 * argv[1] is the command's name; options start at argv[2].
 */
#ifndef EMH_CLI_COMMANDS_H
#define EMH_CLI_COMMANDS_H

int emh_cmd_check(int argc, char **argv);
int emh_cmd_criteria(int argc, char **argv);

#endif
