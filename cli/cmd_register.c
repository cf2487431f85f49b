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

const char emh_cli_register_usage[] =
"usage: emheval register LEDGER --out DIR [--as-of DATE] [--within DAYS] [--pubkey KEY]\n"
"                        [--criteria REPO] [--rev REV]\n"
"       emheval due LEDGER [--as-of DATE] [--within DAYS] [--format text|json|markdown]\n"
"                        [--criteria REPO] [--rev REV] [-o FILE]\n"
"\n"
"register writes a static website from a ledger: every app with its newest\n"
"verdict per profile, views by verdict, profile and domain, each app's history,\n"
"each filed dossier (HTML, JSON, envelope), each criteria version, and what is\n"
"due. The same ledger and options give the same bytes (docs/register.md).\n"
"due lists every approval no longer true on DATE or lapsing within DAYS: an\n"
"evidence date window, a condition, an expiring waiver, a newer criteria release.\n"
"\n"
"  --out DIR        register: the site's folder (created if missing)\n"
"  --as-of DATE     YYYY-MM-DD (default: the newest evaluation date in the ledger)\n"
"  --within DAYS    the window, e.g. 90 or 90d (default 90)\n"
"  --pubkey KEY     register: verify the ledger's signatures with KEY, publish it\n"
"  --criteria REPO  where the recorded criteria commits are read (default: as\n"
"                   each dossier records it, \".\" the current repository)\n"
"  --rev REV        a newer criteria release to compare with (default: the newest\n"
"                   framework version in the ledger)\n"
"  --format F       due: text (default), json or markdown\n"
"  -o FILE          due: write to FILE (atomically) instead of stdout\n"
"exit status: register 0 built and verified, 1 the ledger did not verify;\n"
"             due 0 nothing due, 1 something due; both 2 usage or input error\n";

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

int emh_cmd_register(int argc, char **argv)
{
	emh_register_options o = EMH_REGISTER_OPTIONS_INIT;
	const char *out = NULL, *within = NULL;
	const emh_cli_option opts[] = {
		{ "--out", &out }, { "--as-of", &o.as_of }, { "--within", &within }, { "--pubkey", &o.pubkey },
		{ "--criteria", &o.criteria_repo }, { "--rev", &o.criteria_rev },
	};
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, 6, NULL, 0, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_register_usage, stdout);
		return 0;
	}
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

int emh_cmd_due(int argc, char **argv)
{
	emh_register_options o = EMH_REGISTER_OPTIONS_INIT;
	const char *within = NULL, *format = "text", *output = NULL;
	const emh_cli_option opts[] = {
		{ "--as-of", &o.as_of }, { "--within", &within }, { "--format", &format },
		{ "--criteria", &o.criteria_repo }, { "--rev", &o.criteria_rev }, { "-o", &output }, { "--output", &output },
	};
	const char *pos[1];
	size_t npos = 0;
	int help = 0;
	int rc = emh_cli_parse(argc, argv, 2, opts, 7, NULL, 0, pos, 1, &npos, &help);
	if (rc)
		return rc;
	if (help) {
		fputs(emh_cli_register_usage, stdout);
		return 0;
	}
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
