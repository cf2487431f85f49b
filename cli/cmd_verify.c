/*
 * cmd_verify.c - `emheval verify DOSSIER`: prints each check of a dossier
 * (canonical form, digest, signature, criteria, evidence, reproduction)
 * as "ok", "FAILED" or "skipped" with its detail.
 *
 * Exit status: 0 every check that could run holds; 1 a check failed; 2 a
 * usage error or an input that cannot be read (the dossier, the public key,
 * the submission, the criteria commit in every repository tried).
 */
#include <stdio.h>
#include "cli/cli.h"
#include "cli/commands.h"

static void print_check(const char *name, emh_check_status st, const char *detail, void *payload)
{
	(void)payload;
	static const char *const label[] = { "ok", "FAILED", "skipped" };
	emh_cli_print_line(stdout, "%-8s %-11s %s", label[st], name, detail);
}

static const emh_cli_opt verify_opts[] = {
	{ "pubkey", 0, "KEY", "the key that must have signed it", NULL, NULL },
	{ "submission", 0, "PATH", "the submission: hash its files and evaluate again", NULL, NULL },
	{ "criteria", 0, "REPO", "criteria repository, the only one tried", "the recorded one, then the sources "
	  "file's, then the installed set (docs/dossier.md)", NULL },
	{ "reviewers", 0, "REPO[:PATH]", "repository of the reviewers file the reviews record",
	  "the repository the criteria were found in", NULL },
};
static const emh_cli_group verify_group = EMH_CLI_GROUP("verify options", verify_opts, 0);
static const emh_cli_group *const verify_groups[] = { &verify_group, NULL };
const emh_cli_command emh_cli_verify = {
	"verify", "DOSSIER",
	"check a dossier and its signature",
	"Checks a dossier (or its .dsse.json envelope): canonical form, digest, signature (--pubkey), criteria "
	"commit and tree, the signatures of recorded reviews, evidence hashes, and that evaluating again "
	"reproduces it (--submission). Each check prints ok, FAILED or skipped with its detail.",
	"Exit status: 0 every check that could run holds, 1 a check failed, 2 an input cannot be read, or the "
	"recorded criteria commit is in no repository tried and no other check failed.",
	verify_groups, emh_cmd_verify,
};

int emh_cmd_verify(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_verify, argc, argv, 2))
		return a.status;
	emh_verify_options vo = EMH_VERIFY_OPTIONS_INIT;
	vo.pubkey = emh_cli_get(&a, "pubkey");
	vo.submission = emh_cli_get(&a, "submission");
	emh_criteria_finder finder;
	emh_cli_criteria_finder(&finder, emh_cli_get(&a, "criteria"));
	vo.criteria = finder.repository;
	vo.sources = finder.sources;
	vo.installed = finder.installed;
	vo.reviewers = emh_cli_get(&a, "reviewers");
	const char **pos = a.pos;
	if (a.npos != 1)
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
	/* Only when nothing else failed: a tampered dossier (say, a flipped commit id) fails as such. */
	if (sum.criteria_missing && sum.failed == 1) {
		fflush(stdout);
		emh_cli_criteria_hint();
		return EMH_EXIT_USAGE;
	}
	return sum.failed ? 1 : 0;
}
