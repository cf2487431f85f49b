#include "cli/commands.h"
int emh_cmd_impact(int argc, char **argv) { (void)argc; (void)argv; return 2; }
