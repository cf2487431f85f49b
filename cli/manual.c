/*
 * manual.c - `emheval --help` (one line per command) and `emheval --man`
 * (the man page, roff), both from the commands' option tables, so that the
 * help, the man page and the parser are one source. docs/emheval.1 is the
 * committed output of `emheval --man`; make builds build/emheval.1 from the
 * binary and installs that, and make test checks the two are the same.
 */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"

static const char summary_text[] =
	"Checks e-mental-health app submissions against versioned criteria kept in git and reports every "
	"result with its evidence, and the verdict.";

static const char *const description[] = {
	"emheval evaluates a vendor's submission (a folder holding submission.json and its evidence files, or a "
	"single JSON file) against a criteria set read from a git repository at a revision - never from the "
	"working tree - and writes a dossier: every criterion's outcome with its evidence, the verdict and the "
	"provenance (criteria commit and tree, submission and evidence hashes). The same inputs give "
	"byte-identical dossiers.",
	"Artifacts listed in the evidence (a HAR network capture of a session with a test persona; app packages "
	"and saved pages where a reader exists) are read by observers into facts under /observed, matched "
	"against the tracker catalogue trackers.json of the criteria set (docs/observers.md); an artifact that "
	"cannot be read is an input error (exit 2) at file:line:col.",
	"Options are parsed the GNU way (getopt_long): -ofile and -o file, --opt=value and --opt value, "
	"unambiguous abbreviations of long options, operands before, between or after options, and -- ending "
	"the options. Where an option or operand names a file written (-o, --output), - means standard output; "
	"report reads its DOSSIER from standard input when it is -. Each command's --help shows its options.",
	NULL,
};

static const char *const formats[][2] = {
	{ "text", "for a terminal: verdict, scores, failures with evidence and fix; wrapped to the terminal's "
	  "width (else $COLUMNS, else 80)" },
	{ "json", "the dossier of record: canonical, deterministic, with its digest" },
	{ "html", "one self-contained, printable page (no network, no script)" },
	{ "markdown", "for pull-request comments and vendor tickets" },
	{ "junit", "JUnit XML, one testcase per criterion, for any CI" },
	{ "sarif", "SARIF 2.1.0, failures located in submission.json or evidence" },
	{ "github", "GitHub Actions annotations (::error file=...,line=...::)" },
};

static const char *const exit_status[][2] = {
	{ "0", "check, report, review: approved. evaluate: every submission evaluated. verify, ledger verify, "
	  "lint, test: every check holds. register: built, and the ledger verified. due: nothing is due." },
	{ "1", "check, report, review: evaluated and not approved for every profile (conditional, "
	  "awaiting_review, incomplete, returned or rejected; docs/profiles.md). evaluate: some submissions "
	  "could not be evaluated (see index.json). verify, lint, test: a check failed. impact: the --fail-on "
	  "condition is met. register: built, but the ledger did not verify (every page says so). due: something "
	  "is due." },
	{ "2", "Usage error, or input that could not be read (criteria with file:line:col, submission, dossier, "
	  "key), or a submission that breaks the submission schema or is not a submission at all." },
};

static const char *const environment[][2] = {
	{ "NO_COLOR", "Disables colour; colour is used only on a terminal." },
	{ "COLUMNS", "Width of the text report when standard output is not a terminal." },
	{ "EMHEVAL_CRITERIA_SOURCES", "The sources file verify and review read to find a dossier's criteria: lines "
	  "NAME PATH mapping a criteria source to a local clone. Default $XDG_CONFIG_HOME/emheval/criteria-sources, "
	  "else ~/.config/emheval/criteria-sources (docs/dossier.md)." },
	{ "SOURCE_DATE_EPOCH", "When set (seconds since 1970, UTC), the time recorded in signed statements and "
	  "in ledger commits, for reproducible records." },
};

static const char *const files[][2] = {
	{ "criteria/framework.json", "Name, version, domains, label categories, weights and the verdict policy." },
	{ "criteria/DOMAIN/ID.json", "One criterion per file." },
	{ "criteria/DOMAIN/fixtures/ID.KIND.json", "A fixture of criterion ID that must give outcome KIND (pass, "
	  "fail, na, review or error); run by emheval test." },
	{ "NAME.json, NAME.dsse.json", "A dossier and its signed envelope." },
	{ "PREFIX/share/emheval/criteria.git", "The shipped criteria as a bare git repository with its history "
	  "(make install), used when no --criteria is given outside a repository holding criteria. PREFIX is the "
	  "folder above the bin folder that holds the running emheval (/usr/local by default): an installed emheval "
	  "finds its data from where it is." },
	{ "PREFIX/share/emheval/schemas/NAME.schema.json", "The JSON Schemas of submission.json, criteria, dossiers "
	  "and reviewers files. A schema's $id, https://emheval.example/schemas/NAME.schema.json, is its name, not "
	  "where to fetch it (emheval.example resolves nowhere): map that name to this file in an editor or "
	  "validator." },
	{ "PREFIX/share/bash-completion/completions/emheval", "Bash completion of the commands, each command's "
	  "options and the values of the options that take a fixed list (emheval --completion bash)." },
	{ "PREFIX/lib/libemheval.so, PREFIX/lib/pkgconfig/emheval.pc", "The library (also libemheval.a) and its "
	  "headers in PREFIX/include/emheval: cc app.c $(pkg-config --cflags --libs emheval)." },
	{ "PREFIX/share/doc/emheval", "README.md and docs/*.md, the documents SEE ALSO names." },
};

static const char *const examples[] = {
	"emheval check submissions/01-calm-breath",
	"emheval check submissions/04-moodshare-ads --format json -o dossier.json",
	"emheval evaluate --rev v1.0.0 --out out/ --format json,html portfolio/",
	"emheval keygen --out regulator",
	"emheval verify out/app.json --pubkey regulator.pub --submission portfolio/app",
	"emheval report dossier.json --format html -o - | gzip > report.html.gz",
	"emheval lint --against origin/main",
	"emheval test",
	"emheval impact --from main --to HEAD --format markdown submissions/",
	"emheval impact --from criteria-v2.1.0 --to HEAD submissions/",
	"emheval register ledger.git --out site/ --pubkey regulator.pub",
	"emheval due ledger.git --as-of 2027-11-01 --within 90d",
	NULL,
};

#define COUNT(a) (sizeof a / sizeof a[0])

/* ---- emheval --help ------------------------------------------------------------ */

/* Writes text from column col, wrapped at 80, continuation lines indented by indent. */
static void wrapped(FILE *f, const char *text, size_t col, size_t indent)
{
	const char *p = text;
	int first = 1;
	while (*p) {
		size_t word = strcspn(p, " ");
		if (!first && col + 1 + word > 80) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, word, f);
		col += word;
		p += word;
		while (*p == ' ')
			p++;
		first = 0;
	}
	fputc('\n', f);
}

void emh_cli_print_overview(FILE *f)
{
	fputs("usage: emheval COMMAND [options] [ARGUMENTS]\n"
	      "       emheval COMMAND --help      that command's options\n"
	      "       emheval --help | --version | --man | --completion bash\n\n", f);
	wrapped(f, summary_text, 0, 0);
	fputs("\nCommands:\n", f);
	for (size_t i = 0; emh_cli_commands[i]; i++) {
		const emh_cli_command *c = emh_cli_commands[i];
		char label[96];
		snprintf(label, sizeof label, "  emheval %s%s%s", c->name, c->args ? " " : "", c->args ? c->args : "");
		size_t len = strlen(label);
		fprintf(f, "%s%*s", label, len < 38 ? (int)(38 - len) : 1, "");
		wrapped(f, c->summary, len < 38 ? 38 : len + 1, 38);
	}
	fputs("\nExit status:\n", f);
	for (size_t i = 0; i < COUNT(exit_status); i++) {
		fprintf(f, "  %s  ", exit_status[i][0]);
		wrapped(f, exit_status[i][1], 5, 5);
	}
	fputs("\nFormats (check, report, evaluate; docs/reports.md):\n", f);
	for (size_t i = 0; i < COUNT(formats); i++) {
		fprintf(f, "  %-9s ", formats[i][0]);
		wrapped(f, formats[i][1], 12, 12);
	}
	fputs("\nEnvironment:\n", f);
	for (size_t i = 0; i < COUNT(environment); i++) {
		fprintf(f, "  %-18s ", environment[i][0]);
		wrapped(f, environment[i][1], 21, 21);
	}
	fputs("\nemheval COMMAND --help shows a command's options; man emheval shows them all.\n", f);
}

/* ---- emheval --man --------------------------------------------------------------- */

/* Roff text: backslashes and hyphens escaped, a leading dot or quote made inert. */
static void roff(FILE *f, const char *text)
{
	if (*text == '.' || *text == '\'')
		fputs("\\&", f);
	for (const char *p = text; *p; p++) {
		if (*p == '\\')
			fputs("\\e", f);
		else if (*p == '-')
			fputs("\\-", f);
		else if (*p == '\n' && p[1] == '\n') {
			fputs("\n.PP\n", f);
			p++;
		} else
			fputc(*p, f);
	}
}

static void man_option(FILE *f, const emh_cli_opt *o)
{
	fputs(".TP\n", f);
	if (o->short_name)
		fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB\\-\\-", f);
	roff(f, o->name);
	fputs("\\fR", f);
	if (o->arg) {
		fputs(" \\fI", f);
		roff(f, o->arg);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	roff(f, o->help);
	if (o->def) {
		fputs(" (default: ", f);
		roff(f, o->def);
		fputc(')', f);
	}
	fputs(".\n", f);
}

static void man_pairs(FILE *f, const char *const (*pairs)[2], size_t n, int bold)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, ".TP\n%s", bold ? "\\fB" : "\\fI");
		roff(f, pairs[i][0]);
		fputs("\\fR\n", f);
		roff(f, pairs[i][1]);
		fputc('\n', f);
	}
}

void emh_cli_write_man(FILE *f)
{
	fputs(".\\\" generated by emheval --man from the option tables in cli/; do not edit\n", f);
	fprintf(f, ".TH EMHEVAL 1 \"\" \"emheval %s\" \"User Commands\"\n", EMHEVAL_VERSION);
	fputs(".SH NAME\nemheval \\- check e\\-mental\\-health app submissions against versioned criteria kept in git\n",
	      f);
	fputs(".SH SYNOPSIS\n", f);
	for (size_t i = 0; emh_cli_commands[i]; i++) {
		const emh_cli_command *c = emh_cli_commands[i];
		fputs(".B emheval ", f);
		roff(f, c->name);
		fputc('\n', f);
		if (c->args) {
			fputs(".I ", f);
			roff(f, c->args);
			fputc('\n', f);
		}
		fputs(".RI [ options ]\n.br\n", f);
	}
	fputs(".B emheval \\-\\-help | \\-\\-version | \\-\\-man | \\-\\-completion bash\n", f);
	fputs(".SH DESCRIPTION\n", f);
	for (size_t i = 0; description[i]; i++) {
		if (i)
			fputs(".PP\n", f);
		roff(f, description[i]);
		fputc('\n', f);
	}
	fputs(".SH COMMANDS\n", f);
	for (size_t i = 0; emh_cli_commands[i]; i++) {
		const emh_cli_command *c = emh_cli_commands[i];
		fputs(".SS \"emheval ", f);
		roff(f, c->name);
		if (c->args) {
			fputc(' ', f);
			roff(f, c->args);
		}
		fputs("\"\n", f);
		roff(f, c->description);
		fputc('\n', f);
		const char *also[8];
		size_t nalso = 0;
		for (const emh_cli_group *const *g = c->groups; *g; g++) {
			if ((*g)->shared) {
				if (nalso < COUNT(also))
					also[nalso++] = (*g)->title;
				continue;
			}
			for (size_t k = 0; k < (*g)->n; k++)
				man_option(f, &(*g)->opts[k]);
		}
		if (nalso) {
			fputs(".PP\nAlso takes the ", f);
			for (size_t k = 0; k < nalso; k++) {
				fputs(k == 0 ? "" : k + 1 == nalso ? " and the " : ", the ", f);
				roff(f, also[k]);
			}
			fputs(" (see OPTIONS).\n", f);
		}
		if (c->exit_status) {
			fputs(".PP\n", f);
			roff(f, c->exit_status);
			fputc('\n', f);
		}
	}
	fputs(".SH OPTIONS\n", f);
	const emh_cli_group *seen[16];
	size_t nseen = 0;
	for (size_t i = 0; emh_cli_commands[i]; i++) {
		for (const emh_cli_group *const *g = emh_cli_commands[i]->groups; *g; g++) {
			if (!(*g)->shared)
				continue;
			int dup = 0;
			for (size_t k = 0; k < nseen; k++)
				dup |= seen[k] == *g;
			if (dup || nseen == COUNT(seen))
				continue;
			seen[nseen++] = *g;
			fputs(".SS \"", f);
			roff(f, (*g)->title);
			fputs("\"\nTaken by", f);
			for (size_t k = 0, n = 0; emh_cli_commands[k]; k++)
				for (const emh_cli_group *const *h = emh_cli_commands[k]->groups; *h; h++)
					if (*h == *g) {
						fputs(n++ ? ", " : " ", f);
						roff(f, emh_cli_commands[k]->name);
					}
			fputs(".\n", f);
			for (size_t k = 0; k < (*g)->n; k++)
				man_option(f, &(*g)->opts[k]);
		}
	}
	fputs(".SS \"Every command\"\n.TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\nShow the command's options.\n", f);
	fputs(".SH FORMATS\n", f);
	man_pairs(f, formats, COUNT(formats), 1);
	fputs(".SH EXIT STATUS\n", f);
	man_pairs(f, exit_status, COUNT(exit_status), 1);
	fputs(".SH ENVIRONMENT\n", f);
	man_pairs(f, environment, COUNT(environment), 1);
	fputs(".SH FILES\n", f);
	man_pairs(f, files, COUNT(files), 0);
	fputs(".SH EXAMPLES\n.nf\n", f);
	for (size_t i = 0; examples[i]; i++) {
		roff(f, examples[i]);
		fputc('\n', f);
	}
	fputs(".fi\n.SH SEE ALSO\n", f);
	roff(f, "In PREFIX/share/doc/emheval (make install) and in the source tree: README.md; "
	        "docs/criteria-format.md, docs/submission.md, docs/dossier.md, docs/reports.md, "
	        "docs/audit.md, docs/register.md, docs/gate.md, docs/security.md, docs/observers.md, "
	        "docs/artifacts.md, docs/performance.md, docs/decisions.md.");
	fputc('\n', f);
}
