/*
 * cmd_report.c - `emheval report DOSSIER --format F`: renders a saved
 * dossier (the JSON of `check --format json`) in any format, without
 * evaluating anything again. The dossier's digest is checked first: one
 * that does not match its content is refused, or with --unverified shown
 * with an UNVERIFIED mark in every format (the render option "unverified",
 * docs/reports.md). Also home of
 * the terminal-width rule that every command writing text shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "emheval/io.h"
#include "cli/cli.h"
#include "cli/commands.h"

unsigned emh_cli_text_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	const char *cols = getenv("COLUMNS");
	if (cols && *cols) {
		char *end;
		unsigned long n = strtoul(cols, &end, 10);
		if (*end == '\0' && n > 0 && n < 10000)
			return (unsigned)n;
	}
	return 80;
}

static const emh_cli_opt report_opts[] = {
	{ "format", 0, "FORMAT", "as for check", "text", EMH_CLI_REPORT_FORMATS },
	EMH_CLI_OUTPUT_OPT,
	EMH_CLI_COLOR_OPT,
	EMH_CLI_VERBOSE_OPT,
	{ "base", 0, "DIR", "sarif, github, junit: the submission folder, prefixed to file locations", NULL, NULL },
	{ "unverified", 0, NULL, "show a dossier whose digest does not match, marked UNVERIFIED in every format "
	  "(exit 1)", NULL, NULL },
};
static const emh_cli_group report_group = EMH_CLI_GROUP("report options", report_opts, 0);
static const emh_cli_group *const report_groups[] = { &report_group, NULL };
const emh_cli_command emh_cli_report = {
	"report", "DOSSIER",
	"render a saved dossier, in any format",
	"Renders a saved dossier (the JSON of check --format json; - reads it from standard input) in any format, "
	"without evaluating again. A dossier whose digest does not match its content is refused; --unverified "
	"shows it marked UNVERIFIED.",
	"Exit status: as for check, from the dossier's verdict; 1 for an unverified dossier; 2 usage error, or a "
	"dossier that cannot be read or does not verify.",
	report_groups, emh_cmd_report,
};

int emh_cmd_report(int argc, char **argv)
{
	emh_cli_args a;
	if (emh_cli_parse(&a, &emh_cli_report, argc, argv, 2))
		return a.status;
	const char *output = emh_cli_output(&a, "output");
	const char *base = emh_cli_get(&a, "base");
	int unverified_ok = emh_cli_flag(&a, "unverified"), rc;
	const char **pos = a.pos;
	if (a.npos != 1)
		return emh_cli_usage_error("report needs one DOSSIER (a dossier JSON file, or - for standard input)");
	emh_format format;
	int color;
	if (emh_cli_render_format(&a, output, NULL, &format, &color))
		return EMH_EXIT_USAGE;

	emh_error err = EMH_ERROR_INIT;
	emh_dossier *dossier = NULL;
	emh_buf in = EMH_BUF_INIT, out = EMH_BUF_INIT;
	int status = EMH_EXIT_USAGE;
	const char *label = strcmp(pos[0], "-") == 0 ? "(stdin)" : pos[0];
	/* A dossier is a record of bounded size; 256 MiB is far beyond any real one. */
	const size_t max = (size_t)256 << 20;
	if (strcmp(pos[0], "-") == 0) {
		emh_buf_init(&in, max);
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
			emh_buf_append(&in, chunk, n);
		if (ferror(stdin) || !emh_buf_ok(&in)) {
			emh_cli_error("cannot read %s%s", label, ferror(stdin) ? "" : " (too large)");
			goto done;
		}
	} else {
		/* A FIFO or device named here is refused at once, never waited on. */
		char *text = NULL;
		size_t len = 0;
		if (emh_io_read_file(&text, &len, pos[0], max, &err)) {
			emh_cli_print_error(&err);
			goto done;
		}
		emh_buf_append(&in, text, len);
		free(text);
		if (!emh_buf_ok(&in)) {
			emh_cli_error("out of memory reading %s", label);
			goto done;
		}
	}
	if (emh_dossier_parse(&dossier, in.ptr ? in.ptr : "", in.len, label, &err)) {
		emh_cli_print_error(&err);
		goto done;
	}
	/* The verdict is only as good as the record: check the digest, and recompute nothing else. */
	emh_error derr = EMH_ERROR_INIT;
	int unverified = emh_dossier_check_digest(dossier, &derr) != 0;
	if (unverified && !unverified_ok) {
		char msg[1400];
		emh_cli_error("%s does not verify: %s", label, emh_error_format(&derr, msg, sizeof msg));
		fprintf(stderr, "emheval: not reported; --unverified shows it marked UNVERIFIED\n");
		goto done;
	}
	emh_render_options ro = EMH_RENDER_OPTIONS_INIT;
	ro.color = color;
	ro.verbose = emh_cli_flag(&a, "verbose");
	ro.width = emh_cli_text_width();
	ro.base = base;
	ro.unverified = unverified;
	/* A signed dossier has its envelope beside it, named by the library's rule (docs/audit.md). */
	char envelope[4096];
	if (strcmp(pos[0], "-") != 0 && emh_envelope_path(envelope, sizeof envelope, pos[0]) == 0)
		ro.signature = access(envelope, F_OK) == 0
		               ? "a DSSE envelope lies beside this dossier (not checked here: emheval verify --pubkey KEY)"
		               : "unsigned: no DSSE envelope beside this dossier";
	rc = emh_report_render(&out, dossier, format, &ro, &err);
	if (rc) {
		emh_cli_print_error(&err);
		goto done;
	}
	if (unverified)
		fprintf(stderr, "emheval: %s\n", EMH_REPORT_UNVERIFIED_TEXT);
	if (!emh_buf_ok(&out) || emh_cli_write_output(output, &out))
		goto done;
	/* An unverified record approves nothing. */
	status = dossier->verdict == EMH_VERDICT_APPROVED && !unverified ? EMH_EXIT_APPROVED : EMH_EXIT_NOT_APPROVED;
done:
	emh_buf_dispose(&in);
	emh_buf_dispose(&out);
	emh_dossier_free(dossier);
	return status;
}
