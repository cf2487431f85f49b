/*
 * cmd_verify.c - `emheval verify DOSSIER`: prints each check of a dossier
 * (canonical form, digest, signature, criteria, evidence, reproduction)
 * as "ok", "FAILED" or "skipped" with its detail.
 *
 * Exit status: 0 every check that could run holds; 1 a check failed; 2 a
 * usage error or an input that cannot be read (the dossier, the public key,
 * the submission).
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"

const char emh_cli_audit_usage[] =
"\n"
"Audit (docs/audit.md):\n"
"  keygen --out PREFIX   make an Ed25519 key pair: PREFIX.key (mode 0600,\n"
"                        never overwritten) and PREFIX.pub\n"
"  verify DOSSIER        check a dossier (or its .dsse.json envelope): canonical\n"
"                        form, digest, signature, criteria commit and tree,\n"
"                        evidence hashes, and that evaluating again reproduces it\n"
"    --pubkey KEY        the key that must have signed it\n"
"    --submission PATH   the submission: hash its files and evaluate again\n"
"    --criteria REPO     criteria repository (default: the one recorded)\n"
"    --reviewers REPO    repository of the reviewers file the reviews record\n"
"                        (default: the criteria repository)\n"
"  sign-decisions --key KEY [--reviewer NAME] FILE [-o OUT]\n"
"                        a reviewer signs their decisions in a reviews file\n"
"  review DOSSIER --decisions FILE\n"
"                        apply signed decisions: writes the next revision\n"
"    --reviewers REPO[:PATH]  who may decide: roles and keys, read from git at\n"
"                        HEAD (default: reviewers.json beside framework.json)\n"
"    -o FILE, --sign-key KEY, --ledger REPO, --criteria REPO\n"
"  ledger verify REPO [--pubkey KEY] [--anchor COMMIT] [-v]\n"
"                        check every commit and dossier of a ledger\n"
"  ledger log REPO [APP] list the dossiers filed, oldest first\n"
"  ledger add REPO DOSSIER... [--sign-key KEY]\n"
"                        file dossiers written earlier (and their envelopes);\n"
"                        with the key, each filing signs its place in the chain\n"
"    --submission DIR    store the submission the (one) dossier was made from\n"
"                        beside it, each file once by SHA-256 (docs/audit.md)\n"
"    --withhold LIST     keep these evidence paths or kinds (comma-separated)\n"
"                        out of the ledger: confidential; their hashes stay\n"
"\n"
"  check and evaluate also take:\n"
"    --sign-key KEY      sign the dossier: an in-toto statement in a DSSE\n"
"                        envelope, written beside it as NAME.dsse.json\n"
"    --waivers FILE      apply waivers (valid through their expiry date,\n"
"                        judged as of the evaluation date), each signed by its\n"
"                        approver in a role that may waive it\n"
"    --reviewers REPO[:PATH]  who may waive (as for review)\n"
"    --ledger REPO       file the dossier (and signature) in a git ledger,\n"
"                        created if absent; with --sign-key each filing also\n"
"                        signs its place in the ledger's chain\n"
"\n"
"  verify and ledger verify exit 0 when every check holds, 1 when one fails,\n"
"  2 when an input cannot be read; review exits as check does.\n";

static void print_check(const char *name, emh_check_status st, const char *detail, void *payload)
{
	(void)payload;
	static const char *const label[] = { "ok", "FAILED", "skipped" };
	emh_cli_print_line(stdout, "%-8s %-11s %s", label[st], name, detail);
}

int emh_cmd_verify(int argc, char **argv)
{
	emh_verify_options vo = EMH_VERIFY_OPTIONS_INIT;
	const emh_cli_option opts[] = {
		{ "--pubkey", &vo.pubkey }, { "--submission", &vo.submission }, { "--criteria", &vo.criteria },
		{ "--reviewers", &vo.reviewers },
	};
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, sizeof opts / sizeof opts[0], NULL, 0, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_audit_usage, stdout);
		return 0;
	}
	if (npos != 1)
		return emh_cli_usage_error("verify needs one DOSSIER (a dossier .json or its .dsse.json envelope)");
	vo.on_check = print_check;
	emh_verify_summary sum;
	emh_error err = EMH_ERROR_INIT;
	if (emh_verify(&sum, pos[0], &vo, &err)) {
		fflush(stdout);
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	printf("verify: %u ok, %u failed, %u skipped\n", sum.ok, sum.failed, sum.skipped);
	return sum.failed ? 1 : 0;
}
