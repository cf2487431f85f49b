/*
 * cmd_register.c - `emheval register LEDGER --out DIR` builds the public
 * register (a static website) from a ledger; `emheval due LEDGER --as-of
 * DATE` lists the approvals that no longer hold or lapse soon
 * (docs/register.md).
 *
 * Exit status: register: 0 built (and the ledger verified), 1 built but the
 * ledger did not verify, 2 usage or input error; due: 0 nothing due, 1
 * something due, 2 usage or input error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emheval/register.h"
#include "cli/cli.h"
#include "cli/commands.h"

static int parse_within(long *out, const char *s)
{
	if (!s)
		return 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || v < 0 || v > 36600 || (*end && strcmp(end, "d") != 0))
		return emh_cli_usage_error("--within needs a number of days, e.g. 90 or 90d (0 to 36600)");
	*out = v;
	return 0;
}

static const emh_cli_opt as_of_opt[] = {
	{ "as-of", 0, "DATE", "YYYY-MM-DD, the date what is due is judged on; never the clock",
	  "the newest evaluation date in the ledger", NULL },
	{ "within", 0, "DAYS", "what lapses within DAYS after the date counts as due (90 or 90d)", "90", NULL },
	{ "criteria", 0, "REPO", "where the recorded criteria commits are read",
	  "as each dossier records it, . the current repository", NULL },
	{ "rev", 0, "REV", "a newer criteria release to compare each filing with (read from --criteria)",
	  "the newest framework version in the ledger", NULL },
};
static const emh_cli_group due_shared = EMH_CLI_GROUP("Register options (register, due)", as_of_opt, 1);

static const emh_cli_opt register_opts[] = {
	{ "out", 0, "DIR", "the site's folder, created when missing; files are written atomically", NULL, NULL },
	{ "pubkey", 0, "KEY", "verify the ledger's signatures with KEY and publish it on the site", NULL, NULL },
};
static const emh_cli_group register_group = EMH_CLI_GROUP("register options", register_opts, 0);
static const emh_cli_group *const register_groups[] = { &register_group, &due_shared, NULL };
const emh_cli_command emh_cli_register = {
	"register", "LEDGER",
	"write the public register (a website)",
	"Writes a static website from a ledger: every app with its newest verdict per profile, views by verdict, "
	"profile and domain (one page each, no script), each app's history, each filed dossier (HTML, JSON, "
	"envelope), each criteria version, and what is due. Every page says whether ledger verify held when it "
	"was built and how to verify a download. The same ledger and options give the same bytes "
	"(docs/register.md).",
	"Exit status: 0 built and the ledger verified, 1 built but the ledger did not verify, 2 usage or input "
	"error.",
	register_groups, emh_cmd_register,
};

int emh_cmd_register(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_register, argc, argv, 2))
		return a.status;
	emh_register_options o = EMH_REGISTER_OPTIONS_INIT;
	const char *out = emh_cli_get(&a, "out"), *within = emh_cli_get(&a, "within");
	o.as_of = emh_cli_get(&a, "as-of");
	o.pubkey = emh_cli_get(&a, "pubkey");
	o.criteria_repo = emh_cli_get(&a, "criteria");
	o.criteria_rev = emh_cli_get(&a, "rev");
	const char **pos = a.pos;
	size_t npos = a.npos;
	if (npos != 1 || !out)
		return emh_cli_usage_error("register needs one LEDGER and --out DIR");
	if (parse_within(&o.within_days, within))
		return EMH_EXIT_USAGE;
	emh_register_summary sum;
	emh_error err = EMH_ERROR_INIT;
	if (emh_register_build(&sum, pos[0], out, &o, &err)) {
		emh_cli_print_error(&err);
		return EMH_EXIT_USAGE;
	}
	emh_cli_print_line(stdout, "register: %zu apps, %zu dossiers, %zu pages, %zu files in %s; ledger %s; %zu due; "
	                   "%zu files rewritten, %zu unchanged", sum.apps, sum.dossiers, sum.pages, sum.files, out,
	                   sum.verified ? "verified" : "did NOT verify", sum.due, sum.files - sum.unchanged,
	                   sum.unchanged);
	return sum.verified ? 0 : 1;
}

static const emh_cli_opt due_opts[] = {
	{ "format", 0, "FORMAT", "text, json or markdown", "text", "text json markdown" },
	EMH_CLI_OUTPUT_OPT,
};
static const emh_cli_group due_group = EMH_CLI_GROUP("due options", due_opts, 0);
static const emh_cli_group *const due_groups[] = { &due_group, &due_shared, NULL };
const emh_cli_command emh_cli_due = {
	"due", "LEDGER",
	"approvals that no longer hold or lapse",
	"Lists every approval (approved or conditional, per profile) that no longer holds on --as-of or lapses "
	"within --within: evidence date windows (the latest day each can hold), conditions, applied waivers, a "
	"newer criteria release (which cannot be re-evaluated without the submission).",
	"Exit status: 0 nothing due, 1 something due, 2 usage or input error.",
	due_groups, emh_cmd_due,
};

int emh_cmd_due(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_due, argc, argv, 2))
		return a.status;
	emh_register_options o = EMH_REGISTER_OPTIONS_INIT;
	const char *within = emh_cli_get(&a, "within"), *format = emh_cli_get(&a, "format");
	const char *output = emh_cli_output(&a, "output");
	o.as_of = emh_cli_get(&a, "as-of");
	o.criteria_repo = emh_cli_get(&a, "criteria");
	o.criteria_rev = emh_cli_get(&a, "rev");
	if (!format)
		format = "text";
	const char **pos = a.pos;
	size_t npos = a.npos;
	int rc;
	if (npos != 1)
		return emh_cli_usage_error("due needs one LEDGER");
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "markdown") != 0 &&
	    strcmp(format, "md") != 0)
		return emh_cli_usage_error("unknown format '%s' for due (text, json or markdown)", format);
	if (strcmp(format, "md") == 0)
		format = "markdown";
	if (parse_within(&o.within_days, within))
		return EMH_EXIT_USAGE;
	emh_due_list *l = NULL;
	emh_error err = EMH_ERROR_INIT;
	emh_buf b = EMH_BUF_INIT;
	if (emh_due_compute(&l, pos[0], &o, &err) || emh_due_render(&b, l, format, &err)) {
		emh_cli_print_error(&err);
		emh_due_free(l);
		emh_buf_dispose(&b);
		return EMH_EXIT_USAGE;
	}
	rc = emh_cli_write_output(output, &b) ? EMH_EXIT_USAGE : l->n ? 1 : 0;
	emh_due_free(l);
	emh_buf_dispose(&b);
	return rc;
}
