#include "cli/commands.h"
int emh_cmd_test(int argc, char **argv) { (void)argc; (void)argv; return 2; }
