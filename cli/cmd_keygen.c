/*
 * cmd_keygen.c - `emheval keygen --out PREFIX`: makes the Ed25519 key pair
 * a regulator signs dossiers with (PREFIX.key, mode 0600) and hands out to
 * verifiers (PREFIX.pub). Never overwrites an existing key.
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"

static const emh_cli_opt keygen_opts[] = {
	{ "out", 0, "PREFIX", "writes PREFIX.key (mode 0600, never overwritten) and PREFIX.pub", NULL, NULL },
};
static const emh_cli_group keygen_group = EMH_CLI_GROUP("keygen options", keygen_opts, 0);
static const emh_cli_group *const keygen_groups[] = { &keygen_group, NULL };
const emh_cli_command emh_cli_keygen = {
	"keygen", NULL,
	"make an Ed25519 key pair for signing",
	"Makes the Ed25519 key pair a regulator signs dossiers with: PREFIX.key (mode 0600, never overwritten; "
	"keep it secret) and PREFIX.pub (give it to whoever verifies).",
	"Exit status: 0 made, 2 usage error or a key that cannot be written.",
	keygen_groups, emh_cmd_keygen,
};

int emh_cmd_keygen(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_keygen, argc, argv, 2))
		return a.status;
	if (a.npos)
		return emh_cli_usage_error("unexpected argument %s", a.pos[0]);
	const char *prefix = emh_cli_get(&a, "out");
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
