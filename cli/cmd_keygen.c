/*
 * cmd_keygen.c - `emheval keygen --out PREFIX`: makes the Ed25519 key pair
 * a regulator signs dossiers with (PREFIX.key, mode 0600) and hands out to
 * verifiers (PREFIX.pub). Never overwrites an existing key.
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"

int emh_cmd_keygen(int argc, char **argv)
{
	const char *prefix = NULL;
	const emh_cli_option opts[] = { { "--out", &prefix } };
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, 1, NULL, 0, pos, 0, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
	if (!prefix || !*prefix)
		return emh_cli_usage_error("keygen needs --out PREFIX (writes PREFIX.key and PREFIX.pub)");
	emh_error err = EMH_ERROR_INIT;
	char keyid[65];
	if (emh_key_generate(prefix, keyid, &err)) {
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	printf("private key: %s.key (mode 0600; keep it secret)\n", prefix);
	printf("public key:  %s.pub (give it to whoever verifies)\n", prefix);
	printf("key id:      %s\n", keyid);
	return 0;
}
